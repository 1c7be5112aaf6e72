#include "render/detail/svg_canvas.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>

namespace placedef::detail {


SvgCanvas::SvgCanvas(int width, int height, const std::string& title) {
    // No XML declaration: the document is UTF-8, the default, and it can go
    // inline into HTML as it is.
    m_out = "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\"";
    attribute("width", width);
    attribute("height", height);
    m_out += " viewBox=\"0 0 " + std::to_string(width) + ' ' + std::to_string(height) + '"';
    attribute("font-family", std::string(map_font) + ", Verdana, Arial, sans-serif");
    m_out += ">\n<title>" + xml_escape(title) + "</title>\n";
}

/// Pixels to one decimal: finer than any screen, and the files stay small.
namespace {

/// A coordinate to a tenth of a pixel, in the fewest characters.
std::string short_number(double value) {
    char buffer[32];
    const double rounded = std::round(value * 10) / 10;
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, rounded == 0 ? 0.0 : rounded,
                                      std::chars_format::general, 8);
    return std::string(buffer, result.ptr);
}

}  // namespace

void SvgCanvas::number(double value) { m_out += short_number(value); }

void SvgCanvas::attribute(const char* name, double value) {
    m_out += ' ';
    m_out += name;
    m_out += "=\"";
    number(value);
    m_out += '"';
}

void SvgCanvas::attribute(const char* name, const std::string& value) {
    m_out += ' ';
    m_out += name;
    m_out += "=\"" + xml_escape(value) + '"';
}

void SvgCanvas::path_data(const Rings& rings, bool closed) {
    m_out += " d=\"";
    for (const std::vector<Point>& ring : rings) {
        for (std::size_t i = 0; i < ring.size(); ++i) {
            m_out += i == 0 ? 'M' : 'L';
            number(ring[i].x);
            m_out += ' ';
            number(ring[i].y);
        }
        if (closed && !ring.empty()) m_out += 'Z';
    }
    m_out += '"';
}

void SvgCanvas::paint(const std::optional<Colour>& fill, const std::optional<Stroke>& outline) {
    attribute("fill", fill ? to_hex(*fill) : std::string("none"));
    if (fill && fill->alpha < 1) attribute("fill-opacity", fill->alpha);
    if (outline) {
        attribute("stroke", to_hex(outline->colour));
        attribute("stroke-width", outline->width);
        if (outline->colour.alpha < 1) attribute("stroke-opacity", outline->colour.alpha);
    }
}

void SvgCanvas::fill(const Rings& rings, const Colour& colour) {
    if (rings.empty()) return;  // a shape wholly outside the frame
    m_out += "<path";
    path_data(rings, true);
    m_out += " fill-rule=\"evenodd\"";
    paint(colour, std::nullopt);
    m_out += "/>\n";
}

void SvgCanvas::stroke(const Rings& rings, const Stroke& stroke, bool closed) {
    if (rings.empty()) return;
    m_out += "<path";
    path_data(rings, closed);
    paint(std::nullopt, stroke);
    m_out += " stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n";
}

void SvgCanvas::rectangle(double x, double y, double width, double height, const std::optional<Colour>& fill,
                          const std::optional<Stroke>& outline) {
    m_out += "<rect";
    attribute("x", x);
    attribute("y", y);
    attribute("width", width);
    attribute("height", height);
    paint(fill, outline);
    m_out += "/>\n";
}

void SvgCanvas::circle(double x, double y, double radius, const Colour& fill, const std::optional<Stroke>& outline) {
    m_out += "<circle";
    attribute("cx", x);
    attribute("cy", y);
    attribute("r", radius);
    paint(fill, outline);
    m_out += "/>\n";
}

void SvgCanvas::text(double x, double baseline, const std::string& text, const TextStyle& style) {
    m_out += "<text";
    attribute("x", x);
    attribute("y", baseline);
    attribute("font-size", style.font.size);
    if (style.font.bold) m_out += " font-weight=\"bold\"";
    if (style.font.italic) m_out += " font-style=\"italic\"";
    if (style.anchor == Anchor::middle) m_out += " text-anchor=\"middle\"";
    if (style.anchor == Anchor::end) m_out += " text-anchor=\"end\"";
    attribute("fill", to_hex(style.colour));
    if (style.halo > 0) {
        // The halo is a stroke painted under the fill (paint-order), as on the PNG.
        m_out += " stroke=\"#ffffff\" stroke-opacity=\"0.9\" stroke-linejoin=\"round\" paint-order=\"stroke\"";
        attribute("stroke-width", 2 * style.halo);
    }
    m_out += '>' + xml_escape(text) + "</text>\n";
}

void SvgCanvas::push_clip(double x, double y, double width, double height) {
    // Several maps inline in one HTML page share one id space: the id carries
    // a hash of this document so far.
    std::uint32_t hash = 2166136261u;  // FNV-1a
    for (const char c : m_out) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
    char hex[9];
    std::snprintf(hex, sizeof hex, "%08x", static_cast<unsigned>(hash));
    const std::string id = "pdef-clip-" + std::string(hex) + '-' + std::to_string(++m_clips);
    m_out += "<clipPath id=\"" + id + "\"><rect";
    attribute("x", x);
    attribute("y", y);
    attribute("width", width);
    attribute("height", height);
    m_out += "/></clipPath>\n<g clip-path=\"url(#" + id + ")\">\n";
    ++m_open_groups;
}

void SvgCanvas::pop_clip() { end_group(); }

void SvgCanvas::begin_group(const std::string& name) { open_group(name, ""); }

void SvgCanvas::open_group(const std::string& name, const std::string& transform) {
    std::string css_class;
    for (const char c : name) css_class += std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '_';
    m_out += "<g";
    attribute("class", css_class);
    if (!transform.empty()) attribute("transform", transform);
    m_out += ">\n";
    ++m_open_groups;
}

void SvgCanvas::push_offset(const std::string& name, double dx, double dy) {
    open_group(name, "translate(" + short_number(dx) + ' ' + short_number(dy) + ')');
}

void SvgCanvas::pop_offset() { end_group(); }

void SvgCanvas::end_group() {
    if (m_open_groups == 0) return;
    --m_open_groups;
    m_out += "</g>\n";
}

std::string SvgCanvas::finish() {
    while (m_open_groups > 0) end_group();
    m_out += "</svg>\n";
    return std::move(m_out);
}

}  // namespace placedef::detail
