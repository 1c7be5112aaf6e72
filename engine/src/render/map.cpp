// Map layout and drawing: the frame fitted to the layers, fills, outlines,
// labels that do not collide, legend, scale bar, north arrow and title, on a
// Canvas (Cairo for PNG, SVG text for SVG).
#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "placedef/render.hpp"

#include "core/location.hpp"
#include "render/detail/cairo_canvas.hpp"
#include "render/detail/classes.hpp"
#include "render/detail/palette.hpp"
#include "render/detail/svg_canvas.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <new>
#include <stdexcept>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>

namespace placedef {
inline namespace render {

namespace {

using detail::Anchor;
using detail::Canvas;
using detail::Colour;
using detail::Font;
using detail::Point;
using detail::Rings;
using detail::Stroke;
using detail::TextMeasure;
using detail::TextStyle;

const Colour black = detail::parse_colour("#1A1A1A", "map");
const Colour white = detail::parse_colour("#FFFFFF", "map");
const Colour grey_text = detail::parse_colour("#555555", "map");
const Colour frame_background = detail::parse_colour("#F2F2EF", "map");
const Colour frame_border = detail::parse_colour("#999999", "map");

struct Rect {
    double x = 0, y = 0, width = 0, height = 0;
    double right() const { return x + width; }
    double bottom() const { return y + height; }
    bool overlaps(const Rect& other) const {
        return x < other.right() && other.x < right() && y < other.bottom() && other.y < bottom();
    }
    bool contains(const Rect& other) const {
        return other.x >= x && other.right() <= right() && other.y >= y && other.bottom() <= bottom();
    }
};

/// Study CRS metres (y up) to device pixels (y down).
struct Transform {
    double scale = 1;
    double world_left = 0, world_top = 0;
    double device_left = 0, device_top = 0;
    Point operator()(const Coord& c) const {
        return {device_left + (c.x - world_left) * scale, device_top + (world_top - c.y) * scale};
    }
};

/// Pixels per typographic point (1/72 inch) and per CSS pixel (1/96 inch).
struct Units {
    double point = 1, css = 1;
};

/// Sizes on the page, in points.
namespace size {
constexpr double title = 17, heading = 10, legend_text = 9, label = 8, small = 7.5;
constexpr double pad = 10, swatch = 12, halo = 1.6;
constexpr double max_label_width = 95;  ///< labels wider than this wrap onto a second line
}  // namespace size

struct LegendEntry {
    enum class Kind { area, line, marker, palette } kind = Kind::area;
    Colour fill;
    Stroke stroke;
    std::vector<Colour> palette;  ///< Kind::palette: a sample of the colours
    std::string text;
};

struct LegendSection {
    std::string heading;  ///< "" = none
    std::vector<LegendEntry> entries;
};

std::string layer_title(const MapLayer& map_layer) {
    return map_layer.legend_title.empty() ? map_layer.layer->name : map_layer.legend_title;
}

/// The text a feature is labelled with ("" = no label). A unit whose label
/// attribute is empty (an unnamed footprint) is labelled by its code, so that
/// no labelled unit goes unnamed on the map.
std::string label_text(const MapLayer& map_layer, const Feature& feature, std::optional<std::size_t> attribute) {
    if (map_layer.label_attribute == "code") return feature.code;
    if (!attribute) return {};
    if (*attribute >= feature.attributes.size() || feature.attributes[*attribute].empty()) return feature.code;
    return feature.attributes[*attribute];
}

std::optional<std::size_t> label_index(const MapLayer& map_layer) {
    if (map_layer.label_attribute.empty() || map_layer.label_attribute == "code") return std::nullopt;
    return map_layer.layer->attribute_index(map_layer.label_attribute);
}

}  // namespace

void check_map_size(int width_px, int height_px) {
    if (width_px <= 0 || height_px <= 0 || width_px > max_map_side_px || height_px > max_map_side_px ||
        static_cast<long long>(width_px) * height_px > max_map_pixels)
        throw invalid_input("map size " + std::to_string(width_px) + " x " + std::to_string(height_px) +
                            " pixels: each side must be 1 to " + std::to_string(max_map_side_px) + " and the whole at most " +
                            std::to_string(max_map_pixels) + " pixels (e.g. 10000 x 10000)");
}

namespace {

void validate(const std::vector<MapLayer>& layers, const MapOptions& options) {
    if (layers.empty()) throw invalid_input("a map needs at least one layer");
    check_map_size(options.width_px, options.height_px);
    if (!(options.dpi > 0) || options.dpi > 2400)
        throw invalid_input("map resolution " + std::to_string(options.dpi) + " dpi: must be above 0 and at most 2400");
    const Box& extent = options.extent;
    if (!extent.empty() && !(extent.width() > 0 && extent.height() > 0 && std::isfinite(extent.width()) &&
                             std::isfinite(extent.height())))
        throw invalid_input("the map extent must have a positive width and height");
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const MapLayer& map_layer = layers[i];
        if (!map_layer.layer) throw invalid_input("map layer " + std::to_string(i + 1) + " has no layer");
        const Layer& layer = *map_layer.layer;
        detail::parse_colour(map_layer.outline_colour, layer.label() + " outline");
        if (!(map_layer.line_width > 0) || !std::isfinite(map_layer.line_width))
            throw invalid_input(layer.label() + ": the line width must be a positive number");
        if (i == 0 && map_layer.style == MapStyle::choropleth && map_layer.values.size() != layer.size())
            throw invalid_input(layer.label() + ": a choropleth needs one value per feature, " +
                                std::to_string(map_layer.values.size()) + " given for " +
                                std::to_string(layer.size()));
        if (!map_layer.label_attribute.empty() && map_layer.label_attribute != "code" && !label_index(map_layer))
            throw invalid_input(layer.label() + ": no attribute '" + map_layer.label_attribute +
                                "' to label with (use \"code\" for the feature codes)");
    }
}

/// Rings of a shape in device pixels, dropping vertices within a third of a
/// pixel of the last one kept: invisible, and they make large SVG files.
Rings device_rings(const MultiPolygon& shape, const Transform& to_device) {
    Rings rings;
    auto add = [&](const Ring& ring) {
        std::vector<Point> points;
        points.reserve(ring.size());
        for (const Coord& c : ring) {
            const Point p = to_device(c);
            if (!points.empty() && std::abs(p.x - points.back().x) + std::abs(p.y - points.back().y) < 0.33) continue;
            points.push_back(p);
        }
        if (points.size() >= 3) rings.push_back(std::move(points));
    };
    for (const Polygon& polygon : shape.polygons) {
        add(polygon.outer);
        for (const Ring& hole : polygon.holes) add(hole);
    }
    return rings;
}

/// Shortest text of a number of kilometres or metres on the scale bar.
std::string scale_number(double value) {
    char text[32];
    const auto result = std::to_chars(text, text + sizeof text, value);
    return std::string(text, result.ptr);
}

class MapDrawer {
public:
    MapDrawer(const std::vector<MapLayer>& layers, const MapOptions& options)
        : m_layers(layers), m_options(options), m_units{options.dpi / 72, options.dpi / 96} {
        const bool choropleth = layers.front().style == MapStyle::choropleth;
        m_border = {detail::parse_colour(detail::fill_border_colour, "map"),
                    (choropleth ? detail::choropleth_border_width : detail::categorical_border_width) * m_units.css};
        prepare_first_layer();
    }

    void draw(Canvas& canvas) {
        const double width = m_options.width_px, height = m_options.height_px;
        canvas.rectangle(0, 0, width, height, white, std::nullopt);
        layout();
        canvas.rectangle(m_frame.x, m_frame.y, m_frame.width, m_frame.height, frame_background, std::nullopt);
        canvas.push_clip(m_frame.x, m_frame.y, m_frame.width, m_frame.height);
        draw_first_layer(canvas);
        for (std::size_t i = 1; i < m_layers.size(); ++i) draw_outline_layer(canvas, m_layers[i]);
        std::vector<Rect> obstacles;
        if (m_options.scale_bar) {
            obstacles.push_back(scale_bar_box());
            obstacles.push_back(north_arrow_box());
        }
        add_marker_boxes(obstacles);  // labels do not hide point markers
        draw_labels(canvas, obstacles);
        canvas.pop_clip();
        canvas.rectangle(m_frame.x, m_frame.y, m_frame.width, m_frame.height, std::nullopt,
                         Stroke{frame_border, 0.75 * m_units.css});
        if (m_options.scale_bar) {
            draw_scale_bar(canvas);
            draw_north_arrow(canvas);
        }
        if (m_options.legend) draw_legend(canvas);
        draw_title_and_credit(canvas);
    }

private:
    const std::vector<MapLayer>& m_layers;
    const MapOptions& m_options;
    Units m_units;
    TextMeasure m_measure;
    std::vector<std::optional<Colour>> m_fills;  ///< first layer, per feature (none: outline style)
    Stroke m_border;                             ///< between the first layer's filled units
    std::vector<LegendSection> m_legend;
    Rect m_frame, m_legend_box;
    Transform m_to_device;
    double m_legend_width = 0;

    double pt(double points) const { return points * m_units.point; }
    Font font(double points, bool bold = false, bool italic = false) const { return {pt(points), bold, italic}; }
    double line_height(const Font& f) {
        const detail::TextExtent e = m_measure.measure("Ag", f);
        return e.ascent + e.descent;
    }
    double text_width(const std::string& text, const Font& f) { return m_measure.measure(text, f).width; }

    /// Words of `text` on lines no wider than `max_width` (a long word keeps a line of its own).
    std::vector<std::string> wrap(const std::string& text, const Font& f, double max_width) {
        std::vector<std::string> lines;
        std::string line, word;
        auto flush_word = [&] {
            if (word.empty()) return;
            const std::string joined = line.empty() ? word : line + ' ' + word;
            if (!line.empty() && text_width(joined, f) > max_width) {
                lines.push_back(line);
                line = word;
            } else {
                line = joined;
            }
            word.clear();
        };
        for (const char c : text) {
            if (c == ' ') flush_word();
            else word += c;
        }
        flush_word();
        if (!line.empty()) lines.push_back(line);
        return lines;
    }

    /// `text` cut with an ellipsis to fit `max_width`.
    std::string fit(const std::string& text, const Font& f, double max_width) {
        if (text_width(text, f) <= max_width) return text;
        std::string cut = text;
        while (!cut.empty()) {
            cut.pop_back();
            while (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0x80) cut.pop_back();  // UTF-8
            if (text_width(cut + "\u2026", f) <= max_width) break;
        }
        return cut + "\u2026";
    }

    void prepare_first_layer() {
        const MapLayer& first = m_layers.front();
        const Layer& layer = *first.layer;
        LegendSection section;
        section.heading = layer_title(first);
        switch (first.style) {
            case MapStyle::categorical: {
                const bool points = layer.kind == LayerKind::point;
                const std::vector<std::string> colours =
                    points ? std::vector<std::string>(layer.size(), detail::categorical_palette[0])
                           : categorical_colours(layer);
                const std::optional<std::size_t> attribute = label_index(first);
                std::vector<LegendEntry> units;
                for (std::size_t i = 0; i < layer.size(); ++i) {
                    m_fills.emplace_back(detail::parse_colour(colours[i], layer.label()));
                    std::string text = first.label_attribute.empty() ? layer.features[i].code
                                                                     : label_text(first, layer.features[i], attribute);
                    if (text.empty()) text = layer.features[i].code;
                    units.push_back({points ? LegendEntry::Kind::marker : LegendEntry::Kind::area, *m_fills.back(),
                                     m_border, {}, std::move(text)});
                }
                std::stable_sort(units.begin(), units.end(),
                                 [](const LegendEntry& a, const LegendEntry& b) { return a.text < b.text; });
                section.entries = std::move(units);
                break;
            }
            case MapStyle::choropleth: {
                const ChoroplethClasses classes = choropleth_classes(first.values, first.classing);
                std::vector<Colour> class_colours;
                for (const std::string& hex : classes.colours) class_colours.push_back(detail::parse_colour(hex, "ramp"));
                const Colour no_data = detail::parse_colour(no_data_colour, "map");
                bool any_missing = false;
                for (const double value : first.values) {
                    const std::size_t c = classes.class_of(value);
                    any_missing = any_missing || c == classes.upper.size();
                    m_fills.emplace_back(c < class_colours.size() ? class_colours[c] : no_data);
                }
                const std::vector<std::string> labels = detail::class_labels(classes);
                for (std::size_t c = 0; c < labels.size(); ++c)
                    section.entries.push_back({LegendEntry::Kind::area, class_colours[c],
                                               m_border, {}, labels[c]});
                if (any_missing)
                    section.entries.push_back({LegendEntry::Kind::area, no_data, m_border,
                                               {}, "No data"});
                break;
            }
            case MapStyle::outline:
                m_fills.assign(layer.size(), std::nullopt);
                section.heading.clear();
                section.entries.push_back(outline_entry(first));
                break;
        }
        m_legend.push_back(std::move(section));
        if (m_layers.size() > 1) {
            LegendSection others;
            for (std::size_t i = 1; i < m_layers.size(); ++i) others.entries.push_back(outline_entry(m_layers[i]));
            m_legend.push_back(std::move(others));
        }
    }

    LegendEntry outline_entry(const MapLayer& map_layer) const {
        const Colour colour = detail::parse_colour(map_layer.outline_colour, "outline");
        const bool points = map_layer.layer->kind == LayerKind::point;
        return {points ? LegendEntry::Kind::marker : LegendEntry::Kind::line, colour,
                Stroke{colour, map_layer.line_width * m_units.css}, {}, layer_title(map_layer)};
    }

    // ------------------------------------------------------------- layout

    void layout() {
        const double width = m_options.width_px, height = m_options.height_px;
        const double pad = pt(size::pad);
        double top = pad;
        if (!m_options.title.empty()) top += line_height(font(size::title, true)) + pad * 0.6;
        double bottom = height - pad;
        if (!m_options.credit.empty() || !m_layers.front().layer->crs.empty())
            bottom -= line_height(font(size::small)) + pad * 0.3;
        double right = width - pad;
        if (m_options.legend) {
            m_legend_width = legend_width(width);
            right -= m_legend_width + pad;
        }
        m_frame = {pad, top, std::max(1.0, right - pad), std::max(1.0, bottom - top)};
        m_legend_box = {m_frame.right() + pad, m_frame.y, m_legend_width, m_frame.height};
        if (m_options.legend) summarise_long_legend();
        fit_extent();
    }

    double legend_width(double page_width) {
        const Font heading = font(size::heading, true), text = font(size::legend_text);
        double widest = 0;
        for (const LegendSection& section : m_legend) {
            widest = std::max(widest, text_width(section.heading, heading));
            for (const LegendEntry& entry : section.entries)
                widest = std::max(widest, pt(size::swatch) + pt(6) + text_width(entry.text, text));
        }
        return std::clamp(widest + pt(4), page_width * 0.14, page_width * 0.3);
    }

    /// A categorical legend with more units than fit becomes one entry that
    /// says how many units there are.
    void summarise_long_legend() {
        LegendSection& first = m_legend.front();
        if (m_layers.front().style != MapStyle::categorical) return;
        double needed = legend_heading_height(first);
        for (const LegendEntry& entry : first.entries) needed += entry_height(entry);
        for (std::size_t s = 1; s < m_legend.size(); ++s) {
            needed += pt(size::pad);
            for (const LegendEntry& entry : m_legend[s].entries) needed += entry_height(entry);
        }
        if (needed <= m_legend_box.height) return;
        const std::size_t units = first.entries.size();
        std::vector<Colour> sample;
        for (const std::optional<Colour>& fill : m_fills) {
            if (sample.size() == 4) break;
            const bool seen = std::any_of(sample.begin(), sample.end(), [&](const Colour& c) {
                return c.r == fill->r && c.g == fill->g && c.b == fill->b;
            });
            if (!seen) sample.push_back(*fill);
        }
        first.entries = {{LegendEntry::Kind::palette, {}, m_border, sample,
                          std::to_string(units) + " areas; neighbours differ in colour"}};
    }

    double legend_row_height() { return std::max(pt(size::swatch) * 1.2, line_height(font(size::legend_text)) * 1.25); }

    double legend_text_width() const { return m_legend_box.width - pt(size::swatch) - pt(6); }

    /// Lines of an entry's text in the legend.
    std::vector<std::string> entry_lines(const LegendEntry& entry) {
        std::vector<std::string> lines = wrap(entry.text, font(size::legend_text), legend_text_width());
        if (lines.empty()) lines.emplace_back();
        return lines;
    }

    double entry_height(const LegendEntry& entry) {
        const double lines = static_cast<double>(entry_lines(entry).size());
        return std::max(legend_row_height(), line_height(font(size::legend_text)) * (lines + 0.3));
    }

    double legend_heading_height(const LegendSection& section) {
        if (section.heading.empty()) return 0;
        const Font heading = font(size::heading, true);
        return static_cast<double>(wrap(section.heading, heading, m_legend_box.width).size()) * line_height(heading) +
               pt(4);
    }

    void fit_extent() {
        const Box extent = m_options.extent.empty() ? layers_extent() : m_options.extent;
        const double scale = std::min(m_frame.width / extent.width(), m_frame.height / extent.height());
        m_to_device.scale = scale;
        m_to_device.world_left = (extent.minx + extent.maxx) / 2 - m_frame.width / scale / 2;
        m_to_device.world_top = (extent.miny + extent.maxy) / 2 + m_frame.height / scale / 2;
        m_to_device.device_left = m_frame.x;
        m_to_device.device_top = m_frame.y;
    }

    /// Every feature of every layer, with a margin of 3 % (at least 100 m, for single points) all round.
    Box layers_extent() const {
        Box extent;
        for (const MapLayer& map_layer : m_layers) {
            for (const Feature& feature : map_layer.layer->features) {
                if (map_layer.layer->kind == LayerKind::point) {
                    if (feature.located) extent.expand(feature.point);
                } else {
                    extent.expand(bounds(feature.shape));
                }
            }
        }
        if (extent.empty()) extent = Box{0, 0, 1000, 1000};
        const double margin = std::max(0.03 * std::max(extent.width(), extent.height()), 100.0);
        extent.minx -= margin;
        extent.maxx += margin;
        extent.miny -= margin;
        extent.maxy += margin;
        return extent;
    }

    // ------------------------------------------------------------- layers

    double marker_radius() const { return pt(2.6); }

    void add_marker_boxes(std::vector<Rect>& boxes) const {
        const double r = marker_radius();
        for (const MapLayer& map_layer : m_layers) {
            if (map_layer.layer->kind != LayerKind::point) continue;
            for (const Feature& feature : map_layer.layer->features) {
                if (!feature.located) continue;
                const Point p = m_to_device(feature.point);
                boxes.push_back({p.x - r, p.y - r, 2 * r, 2 * r});
            }
        }
    }

    void draw_points(Canvas& canvas, const Layer& layer, const std::vector<std::optional<Colour>>& fills,
                     const Colour& fallback) {
        const double radius = marker_radius();
        for (std::size_t i = 0; i < layer.size(); ++i) {
            if (!layer.features[i].located) continue;
            const Point p = m_to_device(layer.features[i].point);
            canvas.circle(p.x, p.y, radius, i < fills.size() && fills[i] ? *fills[i] : fallback,
                          Stroke{white, 0.8 * m_units.css});
        }
    }

    void draw_first_layer(Canvas& canvas) {
        const MapLayer& first = m_layers.front();
        const Layer& layer = *first.layer;
        canvas.begin_group(layer.name);
        if (layer.kind == LayerKind::point) {
            draw_points(canvas, layer, m_fills, detail::parse_colour(first.outline_colour, "outline"));
        } else if (first.style == MapStyle::outline) {
            draw_outlines(canvas, first);
        } else {
            std::vector<Rings> shapes;
            shapes.reserve(layer.size());
            for (std::size_t i = 0; i < layer.size(); ++i) {
                shapes.push_back(device_rings(layer.features[i].shape, m_to_device));
                canvas.fill(shapes.back(), *m_fills[i]);
            }
            // Borders after every fill, so that no neighbour's fill covers half of one.
            for (const Rings& rings : shapes) canvas.stroke(rings, m_border, true);
        }
        canvas.end_group();
    }

    void draw_outlines(Canvas& canvas, const MapLayer& map_layer) {
        const Stroke stroke{detail::parse_colour(map_layer.outline_colour, "outline"),
                            map_layer.line_width * m_units.css};
        for (const Feature& feature : map_layer.layer->features)
            canvas.stroke(device_rings(feature.shape, m_to_device), stroke, true);
    }

    void draw_outline_layer(Canvas& canvas, const MapLayer& map_layer) {
        canvas.begin_group(map_layer.layer->name);
        if (map_layer.layer->kind == LayerKind::point)
            draw_points(canvas, *map_layer.layer, {}, detail::parse_colour(map_layer.outline_colour, "outline"));
        else
            draw_outlines(canvas, map_layer);
        canvas.end_group();
    }

    // ------------------------------------------------------------- labels

    struct LabelCandidate {
        Point at;
        double priority;  ///< larger first
        std::string text;
        bool beside;      ///< points: to the right of the marker, else centred
        std::size_t layer;
        const MultiPolygon* shape;  ///< areas: the unit, which a moved label must stay over
    };

    std::vector<LabelCandidate> label_candidates() {
        std::vector<LabelCandidate> candidates;
        for (std::size_t l = 0; l < m_layers.size(); ++l) {
            const MapLayer& map_layer = m_layers[l];
            if (map_layer.label_attribute.empty()) continue;
            const Layer& layer = *map_layer.layer;
            const std::optional<std::size_t> attribute = label_index(map_layer);
            std::vector<LabelCandidate> of_layer;
            for (const Feature& feature : layer.features) {
                std::string text = label_text(map_layer, feature, attribute);
                if (text.empty()) continue;
                if (layer.kind == LayerKind::point) {
                    if (feature.located)
                        of_layer.push_back({m_to_device(feature.point), 0, std::move(text), true, l, nullptr});
                } else if (!feature.shape.empty()) {
                    of_layer.push_back({m_to_device(point_on_surface(feature.shape)), area(feature.shape),
                                        std::move(text), false, l, &feature.shape});
                }
            }
            std::stable_sort(of_layer.begin(), of_layer.end(),
                             [](const LabelCandidate& a, const LabelCandidate& b) { return a.priority > b.priority; });
            candidates.insert(candidates.end(), of_layer.begin(), of_layer.end());
        }
        return candidates;
    }

    /// World coordinates of a device point.
    Coord to_world(const Point& p) const {
        return {m_to_device.world_left + (p.x - m_to_device.device_left) / m_to_device.scale,
                m_to_device.world_top - (p.y - m_to_device.device_top) / m_to_device.scale};
    }

    /// The first box of the label's places (at the anchor, then above, below,
    /// left and right of it, still centred over the unit) that stays in the
    /// frame and overlaps no placed box.
    std::optional<Rect> free_place(const LabelCandidate& candidate, double width, double height, const Rect& inside,
                                   const std::vector<Rect>& placed) const {
        const double x0 = candidate.beside ? candidate.at.x + pt(4) : candidate.at.x - width / 2;
        const double y0 = candidate.at.y - height / 2;
        const Point shifts[] = {{0, 0}, {0, -height}, {0, height}, {-width / 2, 0}, {width / 2, 0}};
        for (const Point& shift : shifts) {
            const Rect box{x0 + shift.x, y0 + shift.y, width, height};
            if (!inside.contains(box)) continue;
            if (std::any_of(placed.begin(), placed.end(), [&](const Rect& other) { return other.overlaps(box); }))
                continue;
            if ((shift.x != 0 || shift.y != 0) &&
                (!candidate.shape || !covers(*candidate.shape, to_world({box.x + width / 2, box.y + height / 2}))))
                continue;
            return box;
        }
        return std::nullopt;
    }

    void draw_labels(Canvas& canvas, std::vector<Rect> placed) {
        const double halo = pt(size::halo);
        const Rect inside{m_frame.x + 2, m_frame.y + 2, m_frame.width - 4, m_frame.height - 4};
        canvas.begin_group("labels");
        for (const LabelCandidate& candidate : label_candidates()) {
            const MapLayer& map_layer = m_layers[candidate.layer];
            const bool secondary = candidate.layer > 0;
            const Font f = font(secondary ? size::small : size::label, false, secondary);
            const std::vector<std::string> lines = wrap(candidate.text, f, pt(size::max_label_width));
            const detail::TextExtent metrics = m_measure.measure(candidate.text, f);
            const double line = metrics.ascent + metrics.descent;
            double widest = 0;
            for (const std::string& text : lines) widest = std::max(widest, text_width(text, f));
            const std::optional<Rect> found = free_place(candidate, widest + 2 * halo,
                                                         line * static_cast<double>(lines.size()) + 2 * halo, inside, placed);
            if (!found) continue;
            const Rect box = *found;
            placed.push_back(box);
            const TextStyle style{f, secondary ? detail::parse_colour(map_layer.outline_colour, "outline") : black,
                                  Anchor::middle, halo};
            for (std::size_t i = 0; i < lines.size(); ++i)
                canvas.text(box.x + box.width / 2, box.y + halo + metrics.ascent + line * static_cast<double>(i),
                            lines[i], style);
        }
        canvas.end_group();
    }

    // ------------------------------------------------- scale bar, north arrow

    /// Length of the scale bar in metres: 1, 2 or 5 times a power of ten, about a fifth of the frame.
    double scale_length() const {
        const double target = m_frame.width / m_to_device.scale / 5;
        const double power = std::pow(10.0, std::floor(std::log10(target)));
        for (const double step : {5.0, 2.0, 1.0})
            if (step * power <= target) return step * power;
        return power;
    }

    /// "20 km" or "500 m": the text at the end of the scale bar.
    std::string scale_end_text() const {
        const double metres = scale_length();
        return metres >= 1000 ? scale_number(metres / 1000) + " km" : scale_number(metres) + " m";
    }

    Rect scale_bar_box() {
        const double length = scale_length() * m_to_device.scale;
        const Font f = font(size::small);
        const double height = line_height(f) + pt(9), pad = pt(6);
        // The end text is centred on the end of the bar and may stick out past it.
        const double overhang = text_width(scale_end_text(), f) / 2;
        return {m_frame.x + pt(8), m_frame.bottom() - pt(8) - height - 2 * pad, length + 2 * pad + overhang,
                height + 2 * pad};
    }

    void draw_scale_bar(Canvas& canvas) {
        const Rect box = scale_bar_box();
        const double metres = scale_length();
        const bool in_km = metres >= 1000;
        const double length = metres * m_to_device.scale, bar = pt(4.5), pad = pt(6);
        const double x = box.x + pad, y = box.bottom() - pad - bar;
        canvas.begin_group("scale-bar");
        canvas.rectangle(box.x, box.y, box.width, box.height, Colour{1, 1, 1, 0.85}, std::nullopt);
        canvas.rectangle(x, y, length / 2, bar, black, Stroke{black, 0.75 * m_units.css});
        canvas.rectangle(x + length / 2, y, length / 2, bar, white, Stroke{black, 0.75 * m_units.css});
        const Font f = font(size::small);
        const double baseline = y - pt(3);
        const double unit = in_km ? 1000 : 1;
        const TextStyle style{f, black, Anchor::middle, 0};
        canvas.text(x, baseline, "0", style);
        canvas.text(x + length / 2, baseline, scale_number(metres / 2 / unit), style);
        canvas.text(x + length, baseline, scale_end_text(), style);
        canvas.end_group();
    }

    Rect north_arrow_box() const {
        const double w = pt(14), h = pt(26);
        return {m_frame.right() - pt(8) - w, m_frame.y + pt(8), w, h};
    }

    void draw_north_arrow(Canvas& canvas) {
        const Rect box = north_arrow_box();
        const double mid = box.x + box.width / 2, tip = box.y + pt(11), foot = box.bottom();
        canvas.begin_group("north-arrow");
        canvas.fill({{{mid, tip}, {box.right(), foot}, {mid, foot - pt(4)}}}, black);
        canvas.fill({{{mid, tip}, {mid, foot - pt(4)}, {box.x, foot}}}, white);
        canvas.stroke({{{mid, tip}, {box.right(), foot}, {mid, foot - pt(4)}, {box.x, foot}}},
                      Stroke{black, 0.75 * m_units.css}, true);
        canvas.text(mid, tip - pt(2), "N", TextStyle{font(size::legend_text, true), black, Anchor::middle, pt(1)});
        canvas.end_group();
    }

    // ------------------------------------------------------------- legend

    void draw_swatch(Canvas& canvas, const LegendEntry& entry, double x, double y) {
        const double s = pt(size::swatch);
        switch (entry.kind) {
            case LegendEntry::Kind::area:
                canvas.rectangle(x, y, s, s, entry.fill, entry.stroke);
                break;
            case LegendEntry::Kind::line:
                canvas.stroke({{{x, y + s / 2}, {x + s, y + s / 2}}}, entry.stroke, false);
                break;
            case LegendEntry::Kind::marker:
                canvas.circle(x + s / 2, y + s / 2, marker_radius(), entry.fill, Stroke{white, 0.8 * m_units.css});
                break;
            case LegendEntry::Kind::palette:
                for (std::size_t i = 0; i < entry.palette.size(); ++i)
                    canvas.rectangle(x + static_cast<double>(i % 2) * s / 2, y + static_cast<double>(i / 2) * s / 2,
                                     s / 2, s / 2, entry.palette[i], entry.stroke);
                break;
        }
    }

    void draw_legend(Canvas& canvas) {
        const Font heading = font(size::heading, true), text = font(size::legend_text);
        const double row = legend_row_height(), swatch = pt(size::swatch);
        const double text_x = m_legend_box.x + swatch + pt(6);
        const detail::TextExtent text_metrics = m_measure.measure("Ag", text);
        const detail::TextExtent heading_metrics = m_measure.measure("Ag", heading);
        double y = m_legend_box.y;
        canvas.begin_group("legend");
        for (std::size_t s = 0; s < m_legend.size(); ++s) {
            const LegendSection& section = m_legend[s];
            if (s > 0) y += pt(size::pad);
            for (const std::string& line : wrap(section.heading, heading, m_legend_box.width)) {
                canvas.text(m_legend_box.x, y + heading_metrics.ascent, line, TextStyle{heading, black, Anchor::start, 0});
                y += heading_metrics.ascent + heading_metrics.descent;
            }
            if (!section.heading.empty()) y += pt(4);
            for (const LegendEntry& entry : section.entries) {
                const double height = entry_height(entry);
                if (y + height > m_legend_box.bottom()) break;
                draw_swatch(canvas, entry, m_legend_box.x, y + (row - swatch) / 2);
                // The first line beside the swatch, the others below it.
                double baseline = y + row / 2 + (text_metrics.ascent - text_metrics.descent) / 2;
                for (const std::string& line : entry_lines(entry)) {
                    canvas.text(text_x, baseline, fit(line, text, legend_text_width()),
                                TextStyle{text, black, Anchor::start, 0});
                    baseline += text_metrics.ascent + text_metrics.descent;
                }
                y += height;
            }
        }
        canvas.end_group();
    }

    // ------------------------------------------------------ title, credit

    void draw_title_and_credit(Canvas& canvas) {
        const double pad = pt(size::pad);
        if (!m_options.title.empty()) {
            const Font f = font(size::title, true);
            const detail::TextExtent metrics = m_measure.measure(m_options.title, f);
            canvas.text(pad, pad + metrics.ascent, fit(m_options.title, f, m_options.width_px - 2 * pad), 
                        TextStyle{f, black, Anchor::start, 0});
        }
        const Font f = font(size::small);
        const double baseline = m_options.height_px - pad - m_measure.measure("Ag", f).descent;
        const std::string& crs = m_layers.front().layer->crs;
        double crs_width = 0;
        if (!crs.empty()) {
            const std::string text = "Coordinates: " + crs;
            crs_width = text_width(text, f) + pad;
            canvas.text(m_options.width_px - pad, baseline, text, TextStyle{f, grey_text, Anchor::end, 0});
        }
        if (!m_options.credit.empty())
            canvas.text(pad, baseline, fit(m_options.credit, f, m_options.width_px - 2 * pad - crs_width),
                        TextStyle{f, grey_text, Anchor::start, 0});
    }
};

bool has_extension(const std::string& path, const char* extension) {
    std::string found = std::filesystem::path(path).extension().string();
    std::transform(found.begin(), found.end(), found.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return found == extension;
}

/// Opens `path` for writing, replacing it; throws output_error naming it.
std::ofstream open_output(const std::string& path) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw output_error(std::string("cannot be opened for writing: ") + std::strerror(errno), detail::in_file(path));
    return out;
}

void finish_output(std::ofstream& out, const std::string& path) {
    out.close();
    if (!out) throw output_error("could not be written completely", detail::in_file(path));
}

cairo_status_t write_to_stream(void* closure, const unsigned char* data, unsigned int length) {
    auto* out = static_cast<std::ofstream*>(closure);
    out->write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(length));
    return *out ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

}  // namespace

std::string render_svg(const std::vector<MapLayer>& layers, const MapOptions& options) {
    validate(layers, options);
    MapDrawer drawer(layers, options);
    detail::SvgCanvas canvas(options.width_px, options.height_px, options.title.empty() ? "Map" : options.title);
    drawer.draw(canvas);
    return canvas.finish();
}

void render_map(const std::vector<MapLayer>& layers, const MapOptions& options, const std::string& path) {
    const bool png = has_extension(path, ".png"), svg = has_extension(path, ".svg");
    if (!png && !svg) throw output_error("cannot tell the map format from the name; use .png or .svg", detail::in_file(path));
    if (svg) {
        const std::string document = render_svg(layers, options);
        std::ofstream out = open_output(path);
        out << document;
        finish_output(out, path);
        return;
    }
    validate(layers, options);
    MapDrawer drawer(layers, options);
    std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface(
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, options.width_px, options.height_px), &cairo_surface_destroy);
    // The size is checked, so a surface that cannot be made is out of memory (exit code 3).
    if (cairo_surface_status(surface.get()) == CAIRO_STATUS_NO_MEMORY) throw std::bad_alloc();
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
        throw std::runtime_error(std::string("Cairo cannot make the image: ") +
                                 cairo_status_to_string(cairo_surface_status(surface.get())));
    std::unique_ptr<cairo_t, decltype(&cairo_destroy)> cairo(cairo_create(surface.get()), &cairo_destroy);
    detail::CairoCanvas canvas(cairo.get());
    drawer.draw(canvas);
    cairo_surface_flush(surface.get());
    std::ofstream out = open_output(path);
    if (cairo_status(cairo.get()) == CAIRO_STATUS_NO_MEMORY) throw std::bad_alloc();  // drawing ran out
    const cairo_status_t status = cairo_surface_write_to_png_stream(surface.get(), &write_to_stream, &out);
    if (status == CAIRO_STATUS_NO_MEMORY) throw std::bad_alloc();
    if (status != CAIRO_STATUS_SUCCESS)
        throw output_error(std::string("cannot be written: ") + cairo_status_to_string(status), detail::in_file(path));
    finish_output(out, path);
}

}  // namespace render
}  // namespace placedef
