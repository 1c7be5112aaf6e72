#include "render/detail/cairo_canvas.hpp"

namespace placedef::detail {

void select_font(cairo_t* cairo, const Font& font) {
    cairo_select_font_face(cairo, map_font, font.italic ? CAIRO_FONT_SLANT_ITALIC : CAIRO_FONT_SLANT_NORMAL,
                           font.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cairo, font.size);
}

struct TextMeasure::Impl {
    cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
    cairo_t* cairo = cairo_create(surface);
    ~Impl() {
        cairo_destroy(cairo);
        cairo_surface_destroy(surface);
    }
};

TextMeasure::TextMeasure() : m_impl(std::make_unique<Impl>()) {}
TextMeasure::~TextMeasure() = default;

TextExtent TextMeasure::measure(const std::string& text, const Font& font) {
    select_font(m_impl->cairo, font);
    cairo_text_extents_t text_extents;
    cairo_text_extents(m_impl->cairo, text.c_str(), &text_extents);
    cairo_font_extents_t font_extents;
    cairo_font_extents(m_impl->cairo, &font_extents);
    return {text_extents.x_advance, font_extents.ascent, font_extents.descent};
}

void CairoCanvas::set_colour(const Colour& colour) {
    cairo_set_source_rgba(m_cairo, colour.r, colour.g, colour.b, colour.alpha);
}

void CairoCanvas::add_rings(const Rings& rings, bool closed) {
    for (const std::vector<Point>& ring : rings) {
        if (ring.empty()) continue;
        cairo_move_to(m_cairo, ring.front().x, ring.front().y);
        for (std::size_t i = 1; i < ring.size(); ++i) cairo_line_to(m_cairo, ring[i].x, ring[i].y);
        if (closed) cairo_close_path(m_cairo);
    }
}

void CairoCanvas::paint(const std::optional<Colour>& fill, const std::optional<Stroke>& outline) {
    if (fill) {
        set_colour(*fill);
        if (outline) cairo_fill_preserve(m_cairo);
        else cairo_fill(m_cairo);
    }
    if (outline) {
        set_colour(outline->colour);
        cairo_set_line_width(m_cairo, outline->width);
        cairo_stroke(m_cairo);
    }
    cairo_new_path(m_cairo);
}

void CairoCanvas::fill(const Rings& rings, const Colour& colour) {
    cairo_set_fill_rule(m_cairo, CAIRO_FILL_RULE_EVEN_ODD);
    add_rings(rings, true);
    paint(colour, std::nullopt);
}

void CairoCanvas::stroke(const Rings& rings, const Stroke& stroke, bool closed) {
    cairo_set_line_join(m_cairo, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(m_cairo, CAIRO_LINE_CAP_ROUND);
    add_rings(rings, closed);
    paint(std::nullopt, stroke);
}

void CairoCanvas::rectangle(double x, double y, double width, double height, const std::optional<Colour>& fill,
                            const std::optional<Stroke>& outline) {
    cairo_set_line_join(m_cairo, CAIRO_LINE_JOIN_MITER);
    cairo_rectangle(m_cairo, x, y, width, height);
    paint(fill, outline);
}

void CairoCanvas::circle(double x, double y, double radius, const Colour& fill, const std::optional<Stroke>& outline) {
    cairo_new_sub_path(m_cairo);
    cairo_arc(m_cairo, x, y, radius, 0, 6.283185307179586);
    paint(fill, outline);
}

void CairoCanvas::text(double x, double baseline, const std::string& text, const TextStyle& style) {
    select_font(m_cairo, style.font);
    cairo_text_extents_t extents;
    cairo_text_extents(m_cairo, text.c_str(), &extents);
    if (style.anchor == Anchor::middle) x -= extents.x_advance / 2;
    if (style.anchor == Anchor::end) x -= extents.x_advance;
    if (style.halo > 0) {
        cairo_move_to(m_cairo, x, baseline);
        cairo_text_path(m_cairo, text.c_str());
        cairo_set_line_join(m_cairo, CAIRO_LINE_JOIN_ROUND);
        cairo_set_line_width(m_cairo, 2 * style.halo);  // the stroke straddles the outline
        cairo_set_source_rgba(m_cairo, 1, 1, 1, 0.9);
        cairo_stroke(m_cairo);
    }
    // Glyphs, not their outlines: a PDF keeps the text as text (searchable, selectable).
    cairo_move_to(m_cairo, x, baseline);
    set_colour(style.colour);
    cairo_show_text(m_cairo, text.c_str());
    cairo_new_path(m_cairo);
}

void CairoCanvas::push_clip(double x, double y, double width, double height) {
    cairo_save(m_cairo);
    cairo_rectangle(m_cairo, x, y, width, height);
    cairo_clip(m_cairo);
}

void CairoCanvas::pop_clip() { cairo_restore(m_cairo); }

void CairoCanvas::push_offset(const std::string&, double dx, double dy) {
    cairo_save(m_cairo);
    cairo_translate(m_cairo, dx, dy);
}

void CairoCanvas::pop_offset() { cairo_restore(m_cairo); }

}  // namespace placedef::detail
