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

#include <cairo-pdf.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <tuple>

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
/// Land beyond the study area: a grey darker than the frame's background, so
/// that the edge of the study shows, and light enough not to compete with it.
const Colour context_fill = detail::parse_colour("#D5D5D0", "map");
const Colour leader_colour = detail::parse_colour("#333333", "map");

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
constexpr double title = 17, panel_title = 12, heading = 10, legend_text = 9, label = 8, small = 7.5;
constexpr double pad = 10, swatch = 12, halo = 1.6;
constexpr double max_label_width = 95;  ///< labels wider than this wrap onto a second line
}  // namespace size

struct LegendEntry {
    /// text: a line without a swatch (a numbered unit's key); note: the same in grey italics.
    enum class Kind { area, line, marker, palette, text, note } kind = Kind::area;
    Colour fill;
    Stroke stroke;
    std::vector<Colour> palette;  ///< Kind::palette: a sample of the colours
    std::string text;
    std::size_t feature = static_cast<std::size_t>(-1);  ///< a categorical unit: its first-layer feature
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

Paper paper_from_string(const std::string& text) {
    if (text == "a4") return Paper::a4;
    if (text == "a3") return Paper::a3;
    throw invalid_input("unknown paper '" + text + "': use a4 or a3");
}

std::pair<double, double> paper_size_points(Paper paper) {
    // ISO 216 in millimetres, landscape, at 72 points to the inch.
    const double mm = 72 / 25.4;
    return paper == Paper::a3 ? std::pair{420 * mm, 297 * mm} : std::pair{297 * mm, 210 * mm};
}

std::string drawing_date() {
    std::time_t now = std::time(nullptr);
    if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
        long long seconds = 0;
        const char* end = epoch + std::strlen(epoch);
        const auto [stop, error] = std::from_chars(epoch, end, seconds);
        if (error != std::errc() || stop != end || seconds < 0)
            throw invalid_input(std::string("SOURCE_DATE_EPOCH '") + epoch + "' is not a number of seconds since 1970");
        now = static_cast<std::time_t>(seconds);
    }
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[16];
    std::strftime(text, sizeof text, "%Y-%m-%d", &utc);
    return text;
}

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
    if (options.context && options.context->kind != LayerKind::polygon)
        throw invalid_input(options.context->label() + ": the context beyond the study area must be a polygon layer");
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
        if (!map_layer.colours.empty() && map_layer.colours.size() != layer.size())
            throw invalid_input(layer.label() + ": " + std::to_string(map_layer.colours.size()) + " colours given for " +
                                std::to_string(layer.size()) + " features");
        for (const std::string& colour : map_layer.colours) detail::parse_colour(colour, layer.label() + " fill");
        if (!map_layer.label_attribute.empty() && map_layer.label_attribute != "code" && !label_index(map_layer))
            throw invalid_input(layer.label() + ": no attribute '" + map_layer.label_attribute +
                                "' to label with (use \"code\" for the feature codes)");
    }
}

/// Rings of a shape in device pixels, dropping vertices within a third of a
/// pixel of the last one kept, and the polygons wholly outside `visible`
/// (world coordinates): invisible, and they make large SVG files.
Rings device_rings(const MultiPolygon& shape, const Transform& to_device, const Box& visible) {
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
        if (!bounds(polygon.outer).intersects(visible)) continue;
        add(polygon.outer);
        for (const Ring& hole : polygon.holes) add(hole);
    }
    return rings;
}

/// `extent` grown to hold every located feature of `layer`.
void add_extent(Box& extent, const Layer& layer) {
    for (const Feature& feature : layer.features) {
        if (layer.kind == LayerKind::point) {
            if (feature.located) extent.expand(feature.point);
        } else {
            extent.expand(bounds(feature.shape));
        }
    }
}

/// `extent` with a margin of 3 % (at least 100 m, for single points) all round.
Box with_margin(Box extent) {
    if (extent.empty()) extent = Box{0, 0, 1000, 1000};
    const double margin = std::max(0.03 * std::max(extent.width(), extent.height()), 100.0);
    extent.minx -= margin;
    extent.maxx += margin;
    extent.miny -= margin;
    extent.maxy += margin;
    return extent;
}

/// Shortest text of a number of kilometres or metres on the scale bar.
std::string scale_number(double value) {
    char text[32];
    const auto result = std::to_chars(text, text + sizeof text, value);
    return std::string(text, result.ptr);
}

/// The text of a map's credit line: the date, the layers' vintages
/// (boundaries first, then points and the mapped values), then the credit.
std::string credit_text(const std::vector<MapLayer>& layers, const MapOptions& options) {
    std::vector<std::string> boundaries, other_data;
    auto add = [](std::vector<std::string>& list, const std::string& vintage) {
        if (!vintage.empty() && std::find(list.begin(), list.end(), vintage) == list.end()) list.push_back(vintage);
    };
    for (const MapLayer& map_layer : layers) {
        add(map_layer.layer->kind == LayerKind::point ? other_data : boundaries, map_layer.vintage);
        add(other_data, map_layer.values_vintage);
    }
    auto joined = [](const std::vector<std::string>& list) {
        std::string text;
        for (const std::string& item : list) text += (text.empty() ? "" : ", ") + item;
        return text;
    };
    std::string data = boundaries.empty() ? std::string() : "Boundaries: " + joined(boundaries);
    if (!other_data.empty()) data += (data.empty() ? "" : "; ") + joined(other_data);
    std::string text;
    for (const std::string& part : {options.date.empty() ? std::string() : "Drawn " + options.date, data, options.credit})
        if (!part.empty()) text += (text.empty() ? "" : " \u00B7 ") + part;
    return text;
}

/// Text on a page of `width` x `height` device units: measuring, wrapping
/// and cutting lines, and the title at the top and the credit line at the
/// foot that a map and a figure of panels share.
class PageText {
protected:
    PageText(double dpi, double width, double height) : m_width(width), m_height(height), m_units{dpi / 72, dpi / 96} {}

    double m_width, m_height;
    Units m_units;
    TextMeasure m_measure;

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

    /// `text` on at most `max_lines` lines of the page's width (the last cut to fit).
    std::vector<std::string> title_lines(const std::string& text, const Font& f, std::size_t max_lines) {
        const double width = m_width - 2 * pt(size::pad);
        std::vector<std::string> lines = wrap(text, f, width);
        if (lines.size() > max_lines) {
            for (std::size_t i = max_lines; i < lines.size(); ++i) lines[max_lines - 1] += ' ' + lines[i];
            lines.resize(max_lines);
        }
        for (std::string& line : lines) line = fit(line, f, width);
        return lines;
    }

    /// The height the title's lines take, with the gap under them.
    double title_height(const std::vector<std::string>& lines, const Font& f) {
        return lines.empty() ? 0 : static_cast<double>(lines.size()) * line_height(f) + pt(size::pad) * 0.6;
    }

    void draw_title(Canvas& canvas, const std::vector<std::string>& lines, const Font& f) {
        double baseline = pt(size::pad) + m_measure.measure("Ag", f).ascent;
        for (const std::string& line : lines) {
            canvas.text(pt(size::pad), baseline, line, TextStyle{f, black, Anchor::start, 0});
            baseline += line_height(f);
        }
    }

    double crs_width(const std::string& crs) {
        return crs.empty() ? 0 : text_width("Coordinates: " + crs, font(size::small)) + pt(size::pad);
    }

    /// The credit line's text wrapped beside the coordinate system's name.
    std::vector<std::string> credit_lines(const std::string& text, const std::string& crs) {
        return wrap(text, font(size::small), m_width - 2 * pt(size::pad) - crs_width(crs));
    }

    /// The height the credit lines take at the foot of the page, with the gap above them.
    double credit_height(const std::vector<std::string>& lines, const std::string& crs) {
        const std::size_t count = std::max<std::size_t>(lines.size(), crs.empty() ? 0 : 1);
        return count ? static_cast<double>(count) * line_height(font(size::small)) + pt(size::pad) * 0.3 : 0;
    }

    /// The credit lines at the foot of the page, the coordinate system at the right of the last.
    void draw_credit(Canvas& canvas, const std::vector<std::string>& lines, const std::string& crs) {
        const double pad = pt(size::pad);
        const Font f = font(size::small);
        const double line = line_height(f);
        const double last_baseline = m_height - pad - m_measure.measure("Ag", f).descent;
        canvas.begin_group("credit");
        if (!crs.empty())
            canvas.text(m_width - pad, last_baseline, "Coordinates: " + crs, TextStyle{f, grey_text, Anchor::end, 0});
        double baseline = last_baseline - line * static_cast<double>(lines.empty() ? 0 : lines.size() - 1);
        for (const std::string& text : lines) {
            canvas.text(pad, baseline, fit(text, f, m_width - 2 * pad - crs_width(crs)), TextStyle{f, grey_text, Anchor::start, 0});
            baseline += line;
        }
        canvas.end_group();
    }
};

/// A map on a page, or one panel of a figure (make_panel): a panel has a
/// title of one line, no credit line (the figure has one), and a legend of
/// a given width, so that panels of the same size get frames of the same
/// size and, fitted to the same extent, the same scale.
class MapDrawer : private PageText {
public:
    /// Draws on a page of `width` x `height` device units (pixels, or PDF points at 72 dpi).
    MapDrawer(const std::vector<MapLayer>& layers, const MapOptions& options, double width, double height)
        : PageText(options.dpi, width, height), m_layers(layers), m_options(options) {
        const bool choropleth = layers.front().style == MapStyle::choropleth;
        m_border = {detail::parse_colour(detail::fill_border_colour, "map"),
                    (choropleth ? detail::choropleth_border_width : detail::categorical_border_width) * m_units.css};
        prepare_legend();
        m_candidates = label_candidates();
    }

    void draw(Canvas& canvas) {
        arrange();
        canvas.rectangle(0, 0, m_width, m_height, white, std::nullopt);
        canvas.rectangle(m_frame.x, m_frame.y, m_frame.width, m_frame.height, frame_background, std::nullopt);
        canvas.push_clip(m_frame.x, m_frame.y, m_frame.width, m_frame.height);
        draw_context(canvas);
        draw_first_layer(canvas);
        for (std::size_t i = 1; i < m_layers.size(); ++i) draw_outline_layer(canvas, m_layers[i]);
        draw_labels(canvas);
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

    /// Makes this map a panel of a figure, its legend `legend_width` wide.
    void make_panel(double legend_width) { m_panel_legend_width = legend_width; }
    /// A figure tries its grids on the same drawers.
    void set_page(double width, double height) {
        m_width = width;
        m_height = height;
    }
    /// The width the legend would take on a map of its own.
    double natural_legend_width() { return m_options.legend ? legend_column_width() : 0; }
    /// Device units per metre of the frame as laid out now.
    double frame_scale() {
        layout(1);
        return m_to_device.scale;
    }

private:
    /// A first-layer unit to label: where, how important, with what.
    struct LabelCandidate {
        Point at;
        double priority;  ///< larger first
        std::string text;
        bool beside;      ///< points: to the right of the marker, else centred
        std::size_t layer;
        std::size_t feature;
        const MultiPolygon* shape;  ///< areas: the unit, which a moved label must stay over
    };

    struct PlacedLabel {
        Rect box;
        std::vector<std::string> lines;
        TextStyle style;
        std::optional<Point> leader_from;  ///< a call-out: the unit's point, joined to the box by a line
    };

    /// Legend columns a layer identified unit by unit may take before its legend is summarised.
    static constexpr std::size_t max_legend_columns = 3;
    /// The most of the page's width a legend of several columns takes.
    static constexpr double max_legend_share = 0.5;

    const std::vector<MapLayer>& m_layers;
    const MapOptions& m_options;
    std::optional<double> m_panel_legend_width;  ///< set: a panel of a figure
    std::vector<std::optional<Colour>> m_fills;  ///< first layer, per feature (none: outline style)
    Stroke m_border;                             ///< between the first layer's filled units
    std::vector<LegendSection> m_base_legend;    ///< the layers' entries, before labels are placed
    std::vector<LegendSection> m_legend;         ///< as drawn: with the units' numbers
    std::vector<LegendEntry> m_notes;            ///< what the map leaves out, at the legend's foot whatever else fits
    std::vector<LabelCandidate> m_candidates;
    std::vector<PlacedLabel> m_labels;
    std::vector<std::size_t> m_numbers;  ///< per first-layer feature: its number on the map (0: none)
    std::size_t m_omitted = 0;           ///< labels with no place at all
    std::size_t m_unnamed = 0;           ///< names of a layer too large to identify that did not fit
    std::vector<std::string> m_title_lines, m_credit_lines;
    Rect m_frame, m_legend_box;
    Transform m_to_device;
    std::size_t m_legend_columns = 1;
    double m_column_width = 0;

    const Layer& first_layer() const { return *m_layers.front().layer; }

    /// The first layer's units are each named or numbered: a categorical
    /// layer always, another when it is labelled; at most
    /// max_identified_units. Not on a panel: its legend has no room for the
    /// key of many numbers, so the names that find no room are counted.
    bool identified() const {
        if (m_panel_legend_width) return false;
        const MapLayer& first = m_layers.front();
        const bool labelled = first.style == MapStyle::categorical || !first.label_attribute.empty();
        return labelled && !first_layer().features.empty() && first_layer().size() <= max_identified_units;
    }

    /// The name of a first-layer unit: its label, or its code when it has none.
    std::string unit_name(const Feature& feature, std::optional<std::size_t> attribute) const {
        std::string text = m_layers.front().label_attribute.empty() ? feature.code
                                                                    : label_text(m_layers.front(), feature, attribute);
        return text.empty() ? feature.code : text;
    }

    void prepare_legend() {
        const MapLayer& first = m_layers.front();
        const Layer& layer = *first.layer;
        LegendSection section;
        section.heading = layer_title(first);
        switch (first.style) {
            case MapStyle::categorical: {
                const bool points = layer.kind == LayerKind::point;
                const std::vector<std::string> colours =
                    points ? std::vector<std::string>(layer.size(), detail::categorical_palette[0])
                    : first.colours.empty() ? categorical_colours(layer)
                                            : first.colours;
                const std::optional<std::size_t> attribute = label_index(first);
                for (std::size_t i = 0; i < layer.size(); ++i) {
                    m_fills.emplace_back(detail::parse_colour(colours[i], layer.label()));
                    section.entries.push_back({points ? LegendEntry::Kind::marker : LegendEntry::Kind::area,
                                               *m_fills.back(), m_border, {}, unit_name(layer.features[i], attribute), i});
                }
                std::stable_sort(section.entries.begin(), section.entries.end(),
                                 [](const LegendEntry& a, const LegendEntry& b) { return a.text < b.text; });
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
                    section.entries.push_back({LegendEntry::Kind::area, class_colours[c], m_border, {}, labels[c]});
                if (any_missing) section.entries.push_back({LegendEntry::Kind::area, no_data, m_border, {}, "No data"});
                break;
            }
            case MapStyle::outline:
                m_fills.assign(layer.size(), std::nullopt);
                section.heading.clear();
                section.entries.push_back(outline_entry(first));
                break;
        }
        m_base_legend.push_back(std::move(section));
        if (m_layers.size() > 1) {
            LegendSection others;
            for (std::size_t i = 1; i < m_layers.size(); ++i) others.entries.push_back(outline_entry(m_layers[i]));
            m_base_legend.push_back(std::move(others));
        }
        if (m_options.context)
            m_base_legend.push_back({"", {{LegendEntry::Kind::area, context_fill, Stroke{white, 0.8 * m_units.css}, {},
                                           m_options.context_title}}});
    }

    LegendEntry outline_entry(const MapLayer& map_layer) const {
        const Colour colour = detail::parse_colour(map_layer.outline_colour, "outline");
        const bool points = map_layer.layer->kind == LayerKind::point;
        return {points ? LegendEntry::Kind::marker : LegendEntry::Kind::line, colour,
                Stroke{colour, map_layer.line_width * m_units.css}, {}, layer_title(map_layer)};
    }

    /// "12" and the unit's name, as the legend keys a numbered unit.
    static std::string numbered(std::size_t number, const std::string& name) {
        return std::to_string(number) + "\u2002" + name;  // an en space: wider than a word's gap
    }

    /// The legend as drawn: the units' numbers beside their names (or, on a
    /// choropleth, a section of its own), and the notes of what is not on the map.
    void build_legend() {
        m_legend = m_base_legend;
        if (m_layers.front().style == MapStyle::categorical) {
            for (LegendEntry& entry : m_legend.front().entries)
                if (entry.feature < m_numbers.size() && m_numbers[entry.feature])
                    entry.text = numbered(m_numbers[entry.feature], entry.text);
        } else if (std::any_of(m_numbers.begin(), m_numbers.end(), [](std::size_t n) { return n > 0; })) {
            const std::optional<std::size_t> attribute = label_index(m_layers.front());
            std::vector<std::pair<std::size_t, std::size_t>> by_number;  // number, feature
            for (std::size_t i = 0; i < m_numbers.size(); ++i)
                if (m_numbers[i]) by_number.emplace_back(m_numbers[i], i);
            std::sort(by_number.begin(), by_number.end());
            LegendSection key{"Numbered on the map", {}};
            for (const auto& [number, feature] : by_number)
                key.entries.push_back({LegendEntry::Kind::text, {}, {}, {},
                                       numbered(number, unit_name(first_layer().features[feature], attribute))});
            m_legend.insert(m_legend.begin() + 1, std::move(key));
        }
        m_notes.clear();
        if (m_omitted)
            m_notes.push_back({LegendEntry::Kind::note, {}, {}, {},
                               std::to_string(m_omitted) + (m_omitted == 1 ? " label" : " labels") +
                                   " omitted: no room on the map"});
        if (m_unnamed)
            m_notes.push_back({LegendEntry::Kind::note, {}, {}, {},
                               std::to_string(m_unnamed) + " of " + std::to_string(first_layer().size()) +
                                   " names not shown at this scale"});
    }

    /// A categorical legend with more units than fit: the numbered units
    /// (their key must stay) and one entry that says how many units there are.
    void summarise_units() {
        if (m_layers.front().style != MapStyle::categorical) return;
        LegendSection& first = m_legend.front();
        const std::size_t units = first.entries.size();
        std::vector<Colour> sample;
        for (const std::optional<Colour>& fill : m_fills) {
            if (sample.size() == 4) break;
            const bool seen = std::any_of(sample.begin(), sample.end(), [&](const Colour& c) {
                return c.r == fill->r && c.g == fill->g && c.b == fill->b;
            });
            if (!seen) sample.push_back(*fill);
        }
        std::vector<LegendEntry> kept = {{LegendEntry::Kind::palette, {}, m_border, sample,
                                          std::to_string(units) + " areas; neighbours differ in colour"}};
        for (const LegendEntry& entry : first.entries)
            if (entry.feature < m_numbers.size() && m_numbers[entry.feature]) kept.push_back(entry);
        first.entries = std::move(kept);
    }

    // ------------------------------------------------------------- layout

    /// Layout, labels and legend. A legend longer than its column keeps, of a
    /// categorical layer's units, only those numbered on the map (the others
    /// are named there); still too long, it takes more columns (when the
    /// units are identified one by one), which narrows the frame and so moves
    /// the labels: they are placed again.
    void arrange() {
        for (std::size_t columns = 1;; ++columns) {
            layout(columns);
            place_labels();
            build_legend();
            if (!m_options.legend || legend_fits()) return;
            summarise_units();
            if (legend_fits() || !identified() || columns == max_legend_columns) return;
            // Columns too narrow for their keys would cut them: better a legend that says what it leaves out.
            const double next = static_cast<double>(columns + 1);
            if (next * legend_column_width() + (next - 1) * pt(size::pad) > max_legend_share * m_width) return;
        }
    }

    bool legend_fits() { return flow_legend(nullptr, notes_height()).left_out == 0; }

    double notes_height() {
        double height = m_notes.empty() ? 0 : pt(size::pad);
        for (const LegendEntry& note : m_notes) height += entry_height(note);
        return height;
    }

    void layout(std::size_t columns) {
        const double pad = pt(size::pad);
        // A map's title may take two lines; a panel's one, so that every panel's frame starts at the same height.
        m_title_lines = title_lines(m_options.title, title_font(), m_panel_legend_width ? 1 : 2);
        const double top = pad + title_height(m_title_lines, title_font());
        double right = m_width - pad;
        m_legend_columns = columns;
        if (m_options.legend) {
            m_column_width = m_panel_legend_width ? *m_panel_legend_width : legend_column_width();
            if (columns > 1)
                m_column_width = std::min(m_column_width, (m_width * max_legend_share - pad * static_cast<double>(columns - 1)) /
                                                              static_cast<double>(columns));
            right -= legend_width() + pad;
        }
        m_credit_lines.clear();
        if (!m_panel_legend_width) m_credit_lines = credit_lines(credit_text(m_layers, m_options), first_layer().crs);
        const double bottom = m_height - pad - (m_panel_legend_width ? 0 : credit_height(m_credit_lines, first_layer().crs));
        m_frame = {pad, top, std::max(1.0, right - pad), std::max(1.0, bottom - top)};
        m_legend_box = {m_frame.right() + pad, m_frame.y, legend_width(), m_frame.height};
        fit_extent();
    }

    Font title_font() const { return font(m_panel_legend_width ? size::panel_title : size::title, true); }

    double legend_width() const {
        return m_options.legend ? static_cast<double>(m_legend_columns) * m_column_width +
                                      pt(size::pad) * static_cast<double>(m_legend_columns - 1)
                                : 0;
    }

    /// Wide enough for the widest entry, numbered when units may be.
    double legend_column_width() {
        const Font heading = font(size::heading, true), text = font(size::legend_text);
        const double swatch = pt(size::swatch) + pt(6);
        const std::string widest_number = identified() ? numbered(first_layer().size(), "") : std::string();
        double widest = 0;
        for (const LegendSection& section : m_base_legend) {
            widest = std::max(widest, text_width(section.heading, heading));
            for (const LegendEntry& entry : section.entries)
                widest = std::max(widest, swatch + text_width(widest_number + entry.text, text));
        }
        for (const LabelCandidate& candidate : m_candidates)
            if (candidate.layer == 0) widest = std::max(widest, text_width(widest_number + candidate.text, text));
        return std::clamp(widest + pt(4), m_width * 0.14, m_width * 0.3);
    }

    double legend_row_height() { return std::max(pt(size::swatch) * 1.2, line_height(font(size::legend_text)) * 1.25); }

    static bool has_swatch(const LegendEntry& entry) {
        return entry.kind != LegendEntry::Kind::text && entry.kind != LegendEntry::Kind::note;
    }

    Font entry_font(const LegendEntry& entry) const {
        return font(size::legend_text, false, entry.kind == LegendEntry::Kind::note);
    }

    double entry_text_width(const LegendEntry& entry) const {
        return m_column_width - (has_swatch(entry) ? pt(size::swatch) + pt(6) : 0);
    }

    /// Lines of an entry's text in the legend.
    std::vector<std::string> entry_lines(const LegendEntry& entry) {
        std::vector<std::string> lines = wrap(entry.text, entry_font(entry), entry_text_width(entry));
        if (lines.empty()) lines.emplace_back();
        return lines;
    }

    double entry_height(const LegendEntry& entry) {
        const double lines = static_cast<double>(entry_lines(entry).size());
        const double text = line_height(entry_font(entry)) * (lines + 0.3);
        return has_swatch(entry) ? std::max(legend_row_height(), text) : text;
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

    /// Every feature of every layer, with a margin.
    Box layers_extent() const {
        Box extent;
        for (const MapLayer& map_layer : m_layers) add_extent(extent, *map_layer.layer);
        return with_margin(extent);
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

    /// Fills of `layer` in `fill_of(i)`, then every border, so that no neighbour's fill covers half of one.
    template <typename FillOf>
    void draw_areas(Canvas& canvas, const Layer& layer, FillOf fill_of, const Stroke& border) {
        std::vector<Rings> shapes;
        shapes.reserve(layer.size());
        const Box visible = drawn_world();
        for (std::size_t i = 0; i < layer.size(); ++i) {
            shapes.push_back(device_rings(layer.features[i].shape, m_to_device, visible));
            canvas.fill(shapes.back(), fill_of(i));
        }
        for (const Rings& rings : shapes) canvas.stroke(rings, border, true);
    }

    void draw_context(Canvas& canvas) {
        if (!m_options.context) return;
        canvas.begin_group("context");
        draw_areas(canvas, *m_options.context, [](std::size_t) { return context_fill; }, Stroke{white, 0.8 * m_units.css});
        canvas.end_group();
    }

    void draw_first_layer(Canvas& canvas) {
        const MapLayer& first = m_layers.front();
        const Layer& layer = *first.layer;
        canvas.begin_group(layer.name);
        if (layer.kind == LayerKind::point)
            draw_points(canvas, layer, m_fills, detail::parse_colour(first.outline_colour, "outline"));
        else if (first.style == MapStyle::outline)
            draw_outlines(canvas, first);
        else
            draw_areas(canvas, layer, [&](std::size_t i) { return *m_fills[i]; }, m_border);
        canvas.end_group();
    }

    void draw_outlines(Canvas& canvas, const MapLayer& map_layer) {
        const Stroke stroke{detail::parse_colour(map_layer.outline_colour, "outline"),
                            map_layer.line_width * m_units.css};
        const Box visible = drawn_world();
        for (const Feature& feature : map_layer.layer->features)
            canvas.stroke(device_rings(feature.shape, m_to_device, visible), stroke, true);
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

    /// Labels of every labelled layer, each layer's larger units first. The
    /// first layer's units are labelled with their names when they are
    /// identified one by one, even without a label attribute.
    std::vector<LabelCandidate> label_candidates() const {
        std::vector<LabelCandidate> candidates;
        for (std::size_t l = 0; l < m_layers.size(); ++l) {
            const MapLayer& map_layer = m_layers[l];
            const bool named_units = l == 0 && identified();
            if (map_layer.label_attribute.empty() && !named_units) continue;
            const Layer& layer = *map_layer.layer;
            const std::optional<std::size_t> attribute = label_index(map_layer);
            std::vector<LabelCandidate> of_layer;
            for (std::size_t f = 0; f < layer.size(); ++f) {
                const Feature& feature = layer.features[f];
                std::string text = named_units ? unit_name(feature, attribute) : label_text(map_layer, feature, attribute);
                if (text.empty()) continue;
                if (layer.kind == LayerKind::point) {
                    if (feature.located)
                        of_layer.push_back({m_to_device(feature.point), 0, std::move(text), true, l, f, nullptr});
                } else if (!feature.shape.empty()) {
                    // Device positions are set once the frame is known (place_labels).
                    of_layer.push_back({{}, area(feature.shape), std::move(text), false, l, f, &feature.shape});
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

    /// The ground in the frame and a margin wider than any line: what is drawn of the layers.
    Box drawn_world() const {
        const double margin = pt(size::pad);
        Box world;
        world.expand(to_world({m_frame.x - margin, m_frame.y - margin}));
        world.expand(to_world({m_frame.right() + margin, m_frame.bottom() + margin}));
        return world;
    }

    Rect label_area() const { return {m_frame.x + 2, m_frame.y + 2, m_frame.width - 4, m_frame.height - 4}; }

    static bool overlaps_any(const Rect& box, const std::vector<Rect>& placed) {
        return std::any_of(placed.begin(), placed.end(), [&](const Rect& other) { return other.overlaps(box); });
    }

    /// The first box of the label's places (at the anchor, then above, below,
    /// left and right of it, still centred over the unit) that stays in the
    /// frame and overlaps no placed box.
    std::optional<Rect> free_place(const LabelCandidate& candidate, double width, double height,
                                   const std::vector<Rect>& placed) const {
        const Rect inside = label_area();
        const double x0 = candidate.beside ? candidate.at.x + pt(4) : candidate.at.x - width / 2;
        const double y0 = candidate.at.y - height / 2;
        const Point shifts[] = {{0, 0}, {0, -height}, {0, height}, {-width / 2, 0}, {width / 2, 0}};
        for (const Point& shift : shifts) {
            const Rect box{x0 + shift.x, y0 + shift.y, width, height};
            if (!inside.contains(box) || overlaps_any(box, placed)) continue;
            if ((shift.x != 0 || shift.y != 0) &&
                (!candidate.shape || !covers(*candidate.shape, to_world({box.x + width / 2, box.y + height / 2}))))
                continue;
            return box;
        }
        return std::nullopt;
    }

    /// Where a leader line from `from` meets `box`.
    static Point leader_end(const Point& from, const Rect& box) {
        return {std::clamp(from.x, box.x, box.right()), std::clamp(from.y, box.y, box.bottom())};
    }

    /// Small boxes along the leader line from `from` to `box`: what a leader
    /// must not cross, and what later labels must not cover.
    static std::vector<Rect> leader_boxes(const Point& from, const Rect& box) {
        const Point end = leader_end(from, box);
        const int steps = std::max(2, static_cast<int>(std::hypot(end.x - from.x, end.y - from.y) / 3));
        std::vector<Rect> boxes;
        for (int i = 1; i < steps; ++i) {
            const double t = static_cast<double>(i) / steps;
            boxes.push_back({from.x + (end.x - from.x) * t - 0.5, from.y + (end.y - from.y) * t - 0.5, 1, 1});
        }
        return boxes;
    }

    /// A free box near the unit's point, in one of sixteen directions at
    /// growing distances, whose leader line crosses none of `leader_blockers`: a call-out.
    std::optional<Rect> callout_place(const LabelCandidate& candidate, double width, double height,
                                      const std::vector<Rect>& placed, const std::vector<Rect>& leader_blockers) const {
        const Rect inside = label_area();
        const double step = std::max(width, height) + pt(4);
        for (const double distance : {1.0, 1.5, 2.0, 3.0, 4.0, 5.5, 7.0, 9.0, 12.0}) {
            for (int direction = 0; direction < 16; ++direction) {
                const double angle = direction * 0.39269908169872414;  // 22.5 degrees, from east anticlockwise
                const Point centre{candidate.at.x + std::cos(angle) * distance * step,
                                   candidate.at.y - std::sin(angle) * distance * step};
                const Rect box{centre.x - width / 2, centre.y - height / 2, width, height};
                if (!inside.contains(box) || overlaps_any(box, placed)) continue;
                const std::vector<Rect> leader = leader_boxes(candidate.at, box);
                if (std::none_of(leader.begin(), leader.end(), [&](const Rect& r) { return overlaps_any(r, leader_blockers); }))
                    return box;
            }
        }
        return std::nullopt;
    }

    std::vector<Rect> label_obstacles() {
        std::vector<Rect> obstacles;
        if (m_options.scale_bar) {
            obstacles.push_back(scale_bar_box());
            obstacles.push_back(north_arrow_box());
        }
        add_marker_boxes(obstacles);  // labels do not hide point markers
        return obstacles;
    }

    /// Places every label that finds room; then the identified units left
    /// unnamed get numbers, at their point or in a call-out; what still finds
    /// no room is counted, for the legend to say.
    void place_labels() {
        m_labels.clear();
        m_omitted = m_unnamed = 0;
        m_numbers.assign(first_layer().size(), 0);
        std::vector<Rect> placed = label_obstacles();
        const double halo = pt(size::halo);
        std::vector<const LabelCandidate*> unnamed;
        for (LabelCandidate& candidate : m_candidates) {
            const Layer& layer = *m_layers[candidate.layer].layer;
            if (candidate.shape) candidate.at = m_to_device(point_on_surface(*candidate.shape));
            else candidate.at = m_to_device(layer.features[candidate.feature].point);
            const bool secondary = candidate.layer > 0;
            const Font f = font(secondary ? size::small : size::label, false, secondary);
            const std::vector<std::string> lines = wrap(candidate.text, f, pt(size::max_label_width));
            double widest = 0;
            for (const std::string& text : lines) widest = std::max(widest, text_width(text, f));
            const std::optional<Rect> box = free_place(
                candidate, widest + 2 * halo, line_height(f) * static_cast<double>(lines.size()) + 2 * halo, placed);
            if (box) {
                placed.push_back(*box);
                const Colour colour =
                    secondary ? detail::parse_colour(m_layers[candidate.layer].outline_colour, "outline") : black;
                m_labels.push_back({*box, lines, TextStyle{f, colour, Anchor::middle, halo}, std::nullopt});
            } else if (!secondary && identified()) {
                unnamed.push_back(&candidate);
            } else {
                ++(secondary ? m_omitted : m_unnamed);
            }
        }
        number_units(unnamed, placed);
    }

    /// Numbers for the units in `unnamed` (larger first), counted 1, 2, ...
    /// in the order of their names, so that the legend's key reads in order.
    /// A number goes over its unit, else in a call-out whose leader crosses no
    /// label, else in one whose leader passes under names (leaders are drawn
    /// first, so a name's halo covers them) but crosses no other number.
    void number_units(const std::vector<const LabelCandidate*>& unnamed, std::vector<Rect>& placed) {
        if (unnamed.empty()) return;
        const double halo = pt(size::halo);
        const Font f = font(size::label, true);
        const double width = text_width(std::to_string(unnamed.size()), f) + 2 * halo;
        const double height = line_height(f) + 2 * halo;
        std::vector<Rect> numbers_and_leaders;
        std::vector<std::pair<const LabelCandidate*, PlacedLabel>> numbered_units;
        for (const LabelCandidate* candidate : unnamed) {
            PlacedLabel label{{}, {}, TextStyle{f, black, Anchor::middle, halo}, std::nullopt};
            std::optional<Rect> box = free_place(*candidate, width, height, placed);
            if (!box) {
                box = callout_place(*candidate, width, height, placed, placed);
                if (!box) box = callout_place(*candidate, width, height, placed, numbers_and_leaders);
                if (box) {
                    label.leader_from = candidate->at;
                    const std::vector<Rect> leader = leader_boxes(candidate->at, *box);
                    placed.insert(placed.end(), leader.begin(), leader.end());
                    numbers_and_leaders.insert(numbers_and_leaders.end(), leader.begin(), leader.end());
                }
            }
            if (!box) {
                ++m_omitted;
                continue;
            }
            label.box = *box;
            placed.push_back(*box);
            numbers_and_leaders.push_back(*box);
            numbered_units.emplace_back(candidate, std::move(label));
        }
        std::sort(numbered_units.begin(), numbered_units.end(), [](const auto& a, const auto& b) {
            return std::tie(a.first->text, a.first->feature) < std::tie(b.first->text, b.first->feature);
        });
        for (std::size_t i = 0; i < numbered_units.size(); ++i) {
            auto& [candidate, label] = numbered_units[i];
            m_numbers[candidate->feature] = i + 1;
            label.lines = {std::to_string(i + 1)};
            m_labels.push_back(std::move(label));
        }
    }

    void draw_labels(Canvas& canvas) {
        canvas.begin_group("labels");
        canvas.begin_group("leaders");  // under every label, whose halo hides a leader passing beneath
        for (const PlacedLabel& label : m_labels) {
            if (!label.leader_from) continue;
            const Point from = *label.leader_from;
            canvas.stroke({{from, leader_end(from, label.box)}}, Stroke{leader_colour, 0.75 * m_units.css}, false);
            canvas.circle(from.x, from.y, pt(1.3), leader_colour, std::nullopt);
        }
        canvas.end_group();
        for (const PlacedLabel& label : m_labels) {
            canvas.begin_group(label.leader_from ? "callout" : "label");
            const detail::TextExtent metrics = m_measure.measure("Ag", label.style.font);
            const double line = metrics.ascent + metrics.descent;
            for (std::size_t i = 0; i < label.lines.size(); ++i)
                canvas.text(label.box.x + label.box.width / 2,
                            label.box.y + label.style.halo + metrics.ascent + line * static_cast<double>(i),
                            label.lines[i], label.style);
            canvas.end_group();
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
            case LegendEntry::Kind::text:
            case LegendEntry::Kind::note:
                break;
        }
    }

    void draw_entry(Canvas& canvas, const LegendEntry& entry, double x, double y) {
        canvas.begin_group("entry");  // an entry's lines belong together (SVG)
        const Font f = entry_font(entry);
        const double row = legend_row_height(), swatch = pt(size::swatch);
        const detail::TextExtent metrics = m_measure.measure("Ag", f);
        double baseline = y + metrics.ascent + line_height(f) * 0.15;
        if (has_swatch(entry)) {
            draw_swatch(canvas, entry, x, y + (row - swatch) / 2);
            // The first line beside the swatch, the others below it.
            baseline = y + row / 2 + (metrics.ascent - metrics.descent) / 2;
            x += swatch + pt(6);
        }
        const TextStyle style{f, entry.kind == LegendEntry::Kind::note ? grey_text : black, Anchor::start, 0};
        for (const std::string& line : entry_lines(entry)) {
            canvas.text(x, baseline, fit(line, f, entry_text_width(entry)), style);
            baseline += metrics.ascent + metrics.descent;
        }    canvas.end_group();
    }

    struct LegendFlow {
        std::size_t left_out = 0;  ///< entries with no room
        double x = 0, y = 0;       ///< where the next entry would go
    };

    /// Lays the legend's sections down its columns, drawing them when
    /// `canvas` is given, keeping `reserve` free at the foot of each column.
    /// A heading stays with its section's first entry.
    LegendFlow flow_legend(Canvas* canvas, double reserve) {
        const Font heading = font(size::heading, true);
        const double heading_line = line_height(heading);
        const double top = m_legend_box.y;
        std::size_t column = 1;
        LegendFlow flow{0, m_legend_box.x, top};
        auto bottom = [&] { return m_legend_box.bottom() - reserve; };
        auto room_for = [&](double height) {
            if (flow.y + height <= bottom() + 0.01) return true;
            if (column == m_legend_columns) return false;
            ++column;
            flow.x += m_column_width + pt(size::pad);
            flow.y = top;
            return flow.y + height <= bottom() + 0.01;
        };
        std::size_t remaining = 0;
        for (const LegendSection& section : m_legend) remaining += section.entries.size();
        for (std::size_t s = 0; s < m_legend.size(); ++s) {
            const LegendSection& section = m_legend[s];
            if (s > 0 && flow.y > top) flow.y += pt(size::pad);
            const std::vector<std::string> heading_lines = wrap(section.heading, heading, m_column_width);
            const double heading_height =
                heading_lines.empty() ? 0 : static_cast<double>(heading_lines.size()) * heading_line + pt(4);
            const double first_height = section.entries.empty() ? 0 : entry_height(section.entries.front());
            if (!room_for(heading_height + first_height)) {
                flow.left_out = remaining;
                return flow;
            }
            for (const std::string& line : heading_lines) {
                if (canvas)
                    canvas->text(flow.x, flow.y + m_measure.measure("Ag", heading).ascent, fit(line, heading, m_column_width),
                                 TextStyle{heading, black, Anchor::start, 0});
                flow.y += heading_line;
            }
            if (!heading_lines.empty()) flow.y += pt(4);
            for (const LegendEntry& entry : section.entries) {
                const double height = entry_height(entry);
                if (!room_for(height)) {
                    flow.left_out = remaining;
                    return flow;
                }
                if (canvas) draw_entry(*canvas, entry, flow.x, flow.y);
                flow.y += height;
                --remaining;
            }
        }
        return flow;
    }

    /// The sections, then the notes; never cut silently: when entries have
    /// no room, a last row says how many.
    void draw_legend(Canvas& canvas) {
        canvas.begin_group("legend");
        double reserve = notes_height();
        LegendFlow flow = flow_legend(nullptr, reserve);
        if (flow.left_out == 0) {
            flow = flow_legend(&canvas, reserve);
        } else {
            auto more = [](std::size_t count) {
                return LegendEntry{LegendEntry::Kind::note, {}, {}, {}, "and " + std::to_string(count) + " more not listed"};
            };
            reserve += entry_height(more(flow.left_out));
            flow = flow_legend(&canvas, reserve);
            draw_entry(canvas, more(flow.left_out), flow.x, flow.y);
            flow.y += entry_height(more(flow.left_out));
        }
        if (!m_notes.empty()) flow.y += pt(size::pad);
        for (const LegendEntry& note : m_notes) {
            draw_entry(canvas, note, flow.x, flow.y);
            flow.y += entry_height(note);
        }
        canvas.end_group();
    }

    // ------------------------------------------------------ title, credit

    void draw_title_and_credit(Canvas& canvas) {
        draw_title(canvas, m_title_lines, title_font());
        if (!m_panel_legend_width) draw_credit(canvas, m_credit_lines, first_layer().crs);
    }
};

/// Small multiples: the panels in a grid under one title and over one
/// credit line, every panel at the same scale over the same extent.
class FigureDrawer : private PageText {
public:
    FigureDrawer(const std::vector<MapPanel>& panels, const MapOptions& options, double width, double height)
        : PageText(options.dpi, width, height), m_panels(panels), m_options(options) {
        Box extent = options.extent;
        if (extent.empty()) {
            for (const MapPanel& panel : panels) add_extent(extent, *panel.layers.front().layer);
            extent = with_margin(extent);
        }
        m_panel_options.reserve(panels.size());  // the drawers keep references to these
        for (const MapPanel& panel : panels) {
            MapOptions of_panel = options;
            of_panel.title = panel.title;
            of_panel.extent = extent;
            m_panel_options.push_back(std::move(of_panel));
        }
        for (std::size_t i = 0; i < panels.size(); ++i)
            m_drawers.emplace_back(panels[i].layers, m_panel_options[i], width, height);
    }

    void draw(Canvas& canvas) {
        const Font title_font = font(size::title, true);
        const std::vector<std::string> title = title_lines(m_options.title, title_font, 2);
        std::vector<MapLayer> every_layer;
        for (const MapPanel& panel : m_panels) every_layer.insert(every_layer.end(), panel.layers.begin(), panel.layers.end());
        const std::string& crs = m_panels.front().layers.front().layer->crs;
        const std::vector<std::string> credit = credit_lines(credit_text(every_layer, m_options), crs);
        // Each panel keeps its own margin, so the figure's title needs none below it.
        const double top = title.empty() ? 0 : pt(size::pad) + static_cast<double>(title.size()) * line_height(title_font);
        const Grid grid = arrange(top, m_height - credit_height(credit, crs));
        canvas.rectangle(0, 0, m_width, m_height, white, std::nullopt);
        draw_title(canvas, title, title_font);
        for (std::size_t i = 0; i < m_drawers.size(); ++i) {
            const double x = static_cast<double>(i % grid.columns) * grid.width;
            const double y = top + static_cast<double>(i / grid.columns) * grid.height;
            canvas.push_offset("panel", x, y);
            m_drawers[i].draw(canvas);
            canvas.pop_offset();
        }
        draw_credit(canvas, credit, crs);
    }

private:
    struct Grid {
        std::size_t columns = 1;
        double width = 0, height = 0;  ///< of each panel
    };

    /// The grid whose panels show the extent largest (fewer columns when equal), between `top` and `bottom`.
    Grid arrange(double top, double bottom) {
        const std::size_t count = m_drawers.size();
        Grid best;
        double best_scale = -1;
        for (std::size_t columns = 1; columns <= count; ++columns) {
            const std::size_t rows = (count + columns - 1) / columns;
            const Grid grid{columns, m_width / static_cast<double>(columns),
                            std::max(1.0, (bottom - top) / static_cast<double>(rows))};
            size_panels(grid);
            const double scale = m_drawers.front().frame_scale();
            if (scale > best_scale * (1 + 1e-9)) {
                best = grid;
                best_scale = scale;
            }
        }
        size_panels(best);
        return best;
    }

    /// Every panel of the grid's size, with the legend as wide as the widest panel's needs.
    void size_panels(const Grid& grid) {
        double legend_width = 0;
        for (MapDrawer& drawer : m_drawers) {
            drawer.set_page(grid.width, grid.height);
            legend_width = std::max(legend_width, drawer.natural_legend_width());
        }
        for (MapDrawer& drawer : m_drawers) drawer.make_panel(legend_width);
    }

    const std::vector<MapPanel>& m_panels;
    const MapOptions& m_options;
    std::vector<MapOptions> m_panel_options;
    std::deque<MapDrawer> m_drawers;  // a drawer does not move
};

bool has_extension(const std::string& path, const char* extension) {
    std::string found = std::filesystem::path(path).extension().string();
    std::transform(found.begin(), found.end(), found.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return found == extension;
}

cairo_status_t write_to_stream(void* closure, const unsigned char* data, unsigned int length) {
    auto* out = static_cast<std::ostream*>(closure);
    out->write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(length));
    return *out ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

}  // namespace

namespace {

/// Draws a page of `width` x `height` device units with `options` (whose dpi a PDF sets to 72).
using PageDrawing = std::function<void(Canvas& canvas, const MapOptions& options, double width, double height)>;

PageDrawing map_drawing(const std::vector<MapLayer>& layers) {
    return [&layers](Canvas& canvas, const MapOptions& options, double width, double height) {
        MapDrawer(layers, options, width, height).draw(canvas);
    };
}

PageDrawing figure_drawing(const std::vector<MapPanel>& panels) {
    return [&panels](Canvas& canvas, const MapOptions& options, double width, double height) {
        FigureDrawer(panels, options, width, height).draw(canvas);
    };
}

std::string svg_of(const PageDrawing& drawing, const MapOptions& options) {
    detail::SvgCanvas canvas(options.width_px, options.height_px, options.title.empty() ? "Map" : options.title);
    drawing(canvas, options, options.width_px, options.height_px);
    return canvas.finish();
}

using SurfacePointer = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;

/// Throws for a surface Cairo could not make: bad_alloc when out of memory (exit code 3).
void check_surface(cairo_surface_t* surface) {
    const cairo_status_t status = cairo_surface_status(surface);
    if (status == CAIRO_STATUS_NO_MEMORY) throw std::bad_alloc();
    if (status != CAIRO_STATUS_SUCCESS)
        throw std::runtime_error(std::string("Cairo cannot make the map's surface: ") + cairo_status_to_string(status));
}

/// Draws the page on `surface` (whose size `width` x `height` the drawing lays out).
void draw_on(cairo_surface_t* surface, const PageDrawing& drawing, const MapOptions& options, double width,
             double height) {
    std::unique_ptr<cairo_t, decltype(&cairo_destroy)> cairo(cairo_create(surface), &cairo_destroy);
    detail::CairoCanvas canvas(cairo.get());
    drawing(canvas, options, width, height);
    if (cairo_status(cairo.get()) == CAIRO_STATUS_NO_MEMORY) throw std::bad_alloc();  // drawing ran out
}

void write_png(const PageDrawing& drawing, const MapOptions& options, const std::string& path) {
    SurfacePointer surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, options.width_px, options.height_px),
                           &cairo_surface_destroy);
    check_surface(surface.get());  // the size is checked, so a failure here is memory
    draw_on(surface.get(), drawing, options, options.width_px, options.height_px);
    cairo_surface_flush(surface.get());
    // Staged: a failed write leaves the previous map in place.
    FileWriter out(path);
    const cairo_status_t status = cairo_surface_write_to_png_stream(surface.get(), &write_to_stream, &out.stream());
    if (status == CAIRO_STATUS_NO_MEMORY) throw std::bad_alloc();
    if (status != CAIRO_STATUS_SUCCESS)
        throw output_error(std::string("cannot be written: ") + cairo_status_to_string(status), detail::in_file(path));
    out.close();
}

/// A PDF page of the paper asked for, drawn in points: the same layout as
/// the PNG at 72 dpi, with text as text and every line a vector.
void write_pdf(const PageDrawing& drawing, const MapOptions& options, const std::string& path) {
    const auto [width, height] = paper_size_points(options.paper);
    MapOptions in_points = options;
    in_points.dpi = 72;
    FileWriter out(path);
    {
        SurfacePointer surface(cairo_pdf_surface_create_for_stream(&write_to_stream, &out.stream(), width, height),
                               &cairo_surface_destroy);
        check_surface(surface.get());
        cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, options.title.c_str());
        // The drawing date, not the clock, so that the same map gives the same file.
        const std::string created = (options.date.empty() ? std::string("1970-01-01") : options.date) + "T00:00:00Z";
        cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, created.c_str());
        draw_on(surface.get(), drawing, in_points, width, height);
        cairo_surface_finish(surface.get());
        const cairo_status_t status = cairo_surface_status(surface.get());
        if (status == CAIRO_STATUS_NO_MEMORY) throw std::bad_alloc();
        if (status != CAIRO_STATUS_SUCCESS)
            throw output_error(std::string("cannot be written: ") + cairo_status_to_string(status), detail::in_file(path));
    }
    out.close();
}

/// Writes the page to .png, .svg or .pdf by the path's extension.
void write_page(const PageDrawing& drawing, const MapOptions& options, const std::string& path) {
    const bool png = has_extension(path, ".png"), svg = has_extension(path, ".svg"), pdf = has_extension(path, ".pdf");
    if (!png && !svg && !pdf)
        throw output_error("cannot tell the map format from the name; use .png, .svg or .pdf", detail::in_file(path));
    if (svg) {
        const std::string document = svg_of(drawing, options);
        FileWriter out(path);
        out.stream() << document;
        out.close();
    } else if (pdf) {
        write_pdf(drawing, options, path);
    } else {
        write_png(drawing, options, path);
    }
}

void validate(const std::vector<MapPanel>& panels, const MapOptions& options) {
    if (panels.empty()) throw invalid_input("a figure of panels needs at least one panel");
    for (const MapPanel& panel : panels) validate(panel.layers, options);
}

}  // namespace

std::string render_svg(const std::vector<MapLayer>& layers, const MapOptions& options) {
    validate(layers, options);
    return svg_of(map_drawing(layers), options);
}

void render_map(const std::vector<MapLayer>& layers, const MapOptions& options, const std::string& path) {
    validate(layers, options);
    write_page(map_drawing(layers), options, path);
}

std::string render_panels_svg(const std::vector<MapPanel>& panels, const MapOptions& options) {
    validate(panels, options);
    return svg_of(figure_drawing(panels), options);
}

void render_panels(const std::vector<MapPanel>& panels, const MapOptions& options, const std::string& path) {
    validate(panels, options);
    write_page(figure_drawing(panels), options, path);
}

std::vector<MapPanel> side_by_side(const std::vector<std::pair<std::string, const Layer*>>& titled_layers,
                                   const std::string& label_attribute, const std::string& legend_title,
                                   const std::vector<MapLayer>& outlines) {
    std::vector<const Layer*> layers;
    for (const auto& titled : titled_layers) layers.push_back(titled.second);
    std::vector<std::vector<std::string>> colours = shared_categorical_colours(layers);
    std::vector<MapPanel> panels;
    for (std::size_t i = 0; i < titled_layers.size(); ++i) {
        const auto& [title, layer] = titled_layers[i];
        MapLayer filled;
        filled.layer = layer;
        filled.style = MapStyle::categorical;
        filled.colours = std::move(colours[i]);
        filled.label_attribute = label_attribute;
        filled.legend_title = legend_title;
        MapPanel panel{title, {std::move(filled)}};
        panel.layers.insert(panel.layers.end(), outlines.begin(), outlines.end());
        panels.push_back(std::move(panel));
    }
    return panels;
}

}  // namespace render
}  // namespace placedef
