// QGIS style documents (QML, as QGIS 3.22 writes them, reduced to the
// renderer and the labels). Symbol properties are written both as an Option
// map, which QGIS reads from 3.22 on, and as the older <prop> list.
#include "placedef/error.hpp"
#include "placedef/render.hpp"
#include "placedef/text.hpp"

#include "render/detail/canvas.hpp"
#include "render/detail/classes.hpp"
#include "render/detail/palette.hpp"
#include "render/detail/qml.hpp"
#include "render/detail/svg_canvas.hpp"

#include <cmath>
#include <iterator>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace placedef {
inline namespace render {

namespace {

using Properties = std::vector<std::pair<std::string, std::string>>;

/// Points at 96 dpi (MapLayer::line_width) in millimetres, QGIS's usual unit.
std::string millimetres(double points_at_96_dpi) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", points_at_96_dpi * 25.4 / 96);
    return text;
}

/// "r,g,b,255" of a "#rrggbb" colour.
std::string qgis_colour(const std::string& hex) {
    const detail::Colour colour = detail::parse_colour(hex, "QGIS style");
    auto byte = [](double value) { return std::to_string(std::lround(value * 255)); };
    return byte(colour.r) + ',' + byte(colour.g) + ',' + byte(colour.b) + ",255";
}

std::string symbol_layer(const char* layer_class, const Properties& properties) {
    std::string out = "        <layer class=\"" + std::string(layer_class) + "\" enabled=\"1\" locked=\"0\" pass=\"0\">\n";
    out += "          <Option type=\"Map\">\n";
    for (const auto& [key, value] : properties)
        out += "            <Option name=\"" + key + "\" type=\"QString\" value=\"" + xml_escape(value) + "\"/>\n";
    out += "          </Option>\n";
    for (const auto& [key, value] : properties)
        out += "          <prop k=\"" + key + "\" v=\"" + xml_escape(value) + "\"/>\n";
    return out + "        </layer>\n";
}

std::string fill_symbol(const std::string& name, const std::string& fill, const std::string& outline,
                        double outline_width) {
    const Properties properties = {{"color", fill.empty() ? "0,0,0,0" : qgis_colour(fill)},
                                   {"joinstyle", "round"},
                                   {"outline_color", qgis_colour(outline)},
                                   {"outline_style", "solid"},
                                   {"outline_width", millimetres(outline_width)},
                                   {"outline_width_unit", "MM"},
                                   {"style", fill.empty() ? "no" : "solid"}};
    return "      <symbol type=\"fill\" name=\"" + name + "\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n" +
           symbol_layer("SimpleFill", properties) + "      </symbol>\n";
}

std::string line_symbol(const std::string& name, const std::string& colour, double width) {
    const Properties properties = {{"capstyle", "round"},         {"joinstyle", "round"},
                                   {"line_color", qgis_colour(colour)}, {"line_style", "solid"},
                                   {"line_width", millimetres(width)},  {"line_width_unit", "MM"}};
    return "      <symbol type=\"line\" name=\"" + name + "\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n" +
           symbol_layer("SimpleLine", properties) + "      </symbol>\n";
}

std::string marker_symbol(const std::string& name, const std::string& fill) {
    const Properties properties = {{"color", qgis_colour(fill)},    {"name", "circle"},
                                   {"outline_color", "51,51,51,255"}, {"outline_style", "solid"},
                                   {"outline_width", "0.2"},         {"outline_width_unit", "MM"},
                                   {"size", "2.6"},                  {"size_unit", "MM"}};
    return "      <symbol type=\"marker\" name=\"" + name + "\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n" +
           symbol_layer("SimpleMarker", properties) + "      </symbol>\n";
}

std::string document(const std::string& renderer, const std::string& label_field, bool points,
                     const std::string& label_colour = "#1A1A1A", bool italic = false) {
    std::string out = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n";
    out += "<qgis version=\"3.22.0\" styleCategories=\"Symbology|Labeling\" labelsEnabled=\"" +
           std::string(label_field.empty() ? "0" : "1") + "\">\n";
    out += renderer;
    if (!label_field.empty()) {
        // Over the point on surface for areas (centroidInside), beside the marker for points;
        // labels that would collide are left out (displayAll 0), as on the maps.
        out += "  <labeling type=\"simple\">\n    <settings calloutType=\"simple\">\n";
        out += "      <text-style fieldName=\"" + xml_escape(label_field) +
               "\" isExpression=\"0\" fontFamily=\"" + detail::map_font +
               "\" fontSize=\"8\" fontSizeUnit=\"Point\" fontWeight=\"50\" fontItalic=\"" + (italic ? "1" : "0") +
               "\" textColor=\"" + qgis_colour(label_colour) + "\" textOpacity=\"1\" multilineHeight=\"1\">\n";
        out += "        <text-buffer bufferDraw=\"1\" bufferSize=\"0.7\" bufferSizeUnits=\"MM\" "
               "bufferColor=\"255,255,255,255\" bufferOpacity=\"0.9\" bufferJoinStyle=\"128\" bufferNoFill=\"1\"/>\n";
        out += "      </text-style>\n";
        out += "      <text-format wrapChar=\"\" autoWrapLength=\"18\" useMaxLineLengthForAutoWrap=\"1\" "
               "multilineAlign=\"3\"/>\n";
        out += points ? "      <placement placement=\"0\" dist=\"1\" distUnits=\"MM\" priority=\"5\"/>\n"
                      : "      <placement placement=\"1\" centroidInside=\"1\" centroidWhole=\"0\" "
                        "fitInPolygonOnly=\"0\" priority=\"5\"/>\n";
        out += "      <rendering drawLabels=\"1\" displayAll=\"0\" obstacle=\"1\" obstacleType=\"1\" "
               "upsidedownLabels=\"0\" labelPerPart=\"0\" minFeatureSize=\"0\" scaleVisibility=\"0\" "
               "limitNumLabels=\"0\" zIndex=\"0\"/>\n";
        out += "    </settings>\n  </labeling>\n";
    }
    return out + "</qgis>\n";
}

/// Shortest text that reads back as the same double.
std::string exact(double value) {
    char text[32];
    for (int precision = 6; precision <= 17; ++precision) {
        std::snprintf(text, sizeof text, "%.*g", precision, value);
        if (std::strtod(text, nullptr) == value) break;
    }
    return text;
}

}  // namespace

}  // namespace render

std::string detail::categorized_qml(const std::string& field, const std::vector<QmlCategory>& categories,
                                    QmlSymbol symbol, const std::string& label_field) {
    // Values XML cannot hold go to one catch-all category (value ""), which QGIS
    // uses for every value no other category matches.
    std::vector<QmlCategory> written;
    written.reserve(categories.size());
    bool catch_all = false;
    for (const QmlCategory& category : categories) {
        if (xml_keeps(category.value)) {
            written.push_back(category);
        } else if (!catch_all) {
            written.push_back({"", category.label, category.colour});
            catch_all = true;
        }
    }
    std::string renderer = "  <renderer-v2 type=\"categorizedSymbol\" attr=\"" + xml_escape(field) +
                           "\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n    <categories>\n";
    for (std::size_t i = 0; i < written.size(); ++i)
        renderer += "      <category value=\"" + xml_escape(written[i].value) + "\" label=\"" +
                    xml_escape(written[i].label) + "\" symbol=\"" + std::to_string(i) + "\" render=\"true\"/>\n";
    renderer += "    </categories>\n    <symbols>\n";
    for (std::size_t i = 0; i < written.size(); ++i)
        renderer += symbol == QmlSymbol::fill
                        ? fill_symbol(std::to_string(i), written[i].colour, fill_border_colour,
                                      categorical_border_width)
                        : marker_symbol(std::to_string(i), written[i].colour);
    renderer += "    </symbols>\n  </renderer-v2>\n";
    return document(renderer, label_field, symbol == QmlSymbol::marker);
}

std::string detail::single_marker_qml(const std::string& colour, const std::string& label_field) {
    const std::string renderer = "  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" "
                                 "forceraster=\"0\">\n    <symbols>\n" +
                                 marker_symbol("0", colour) + "    </symbols>\n  </renderer-v2>\n";
    return document(renderer, label_field, true);
}

std::vector<detail::QmlCategory> detail::feature_categories(const Layer& layer, const std::vector<std::string>& colours) {
    if (colours.size() != layer.size())
        throw invalid_input(layer.label() + ": " + std::to_string(colours.size()) + " colours for " +
                            std::to_string(layer.size()) + " features");
    std::vector<QmlCategory> categories;
    categories.reserve(layer.size());
    // The legend names each unit (its code when it has no name): readers know places by name.
    for (const Feature& feature : layer.features) {
        const std::string& legend = feature.name.empty() ? feature.code : feature.name;
        categories.push_back({feature.code, legend, colours[categories.size()]});
    }
    return categories;
}

inline namespace render {

std::string qgis_categorical_qml(const Layer& layer, const std::vector<std::string>& colours,
                                 const std::string& label_field) {
    return detail::categorized_qml(layer.code_column, detail::feature_categories(layer, colours),
                                   layer.kind == LayerKind::point ? detail::QmlSymbol::marker : detail::QmlSymbol::fill,
                                   label_field);
}

std::string qgis_outline_qml(const std::string& colour, double line_width, const std::string& label_field) {
    if (!(line_width > 0)) throw invalid_input("an outline needs a positive line width");
    const std::string renderer = "  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" "
                                 "forceraster=\"0\">\n    <symbols>\n" +
                                 fill_symbol("0", "", colour, line_width) + "    </symbols>\n  </renderer-v2>\n";
    return document(renderer, label_field, false, colour, true);
}

std::string qgis_boundary_frequency_qml() {
    struct Band {
        double lower, upper;
        const char* label;
        const char* colour;
        double width;  // points at 96 dpi
    };
    // Frequencies are shares of runs (k / N): "every run" is exactly 1, and
    // the band below it ends just short of 1 so that 99,999 of 100,000 falls in it.
    const Band bands[] = {{0, 0, "never a boundary (always together)", "#d9d9d9", 0.3},
                          {0, 0.5, "a boundary in up to half the runs", "#fdae6b", 1.0},
                          {0.5, 0.99999, "a boundary in more than half the runs", "#e6550d", 1.6},
                          {0.99999, 1, "a boundary in every run", "#7f2704", 2.2}};
    std::string renderer = "  <renderer-v2 type=\"graduatedSymbol\" attr=\"frequency\" graduatedMethod=\"GraduatedColor\" "
                           "symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n    <ranges>\n";
    std::string symbols;
    for (std::size_t i = 0; i < std::size(bands); ++i) {
        renderer += "      <range lower=\"" + exact(bands[i].lower) + "\" upper=\"" + exact(bands[i].upper) + "\" label=\"" +
                    bands[i].label + "\" symbol=\"" + std::to_string(i) + "\" render=\"true\"/>\n";
        symbols += line_symbol(std::to_string(i), bands[i].colour, bands[i].width);
    }
    renderer += "    </ranges>\n    <symbols>\n" + symbols + "    </symbols>\n  </renderer-v2>\n";
    return document(renderer, "", false);
}

std::string qgis_choropleth_qml(const std::string& field, const ChoroplethClasses& classes,
                                const std::string& label_field) {
    if (classes.upper.empty() || classes.colours.size() != classes.upper.size())
        throw invalid_input("choropleth classes need one colour per class");
    std::string renderer = "  <renderer-v2 type=\"graduatedSymbol\" attr=\"" + xml_escape(field) +
                           "\" graduatedMethod=\"GraduatedColor\" symbollevels=\"0\" enableorderby=\"0\" "
                           "forceraster=\"0\">\n    <ranges>\n";
    const std::vector<std::string> labels = detail::class_labels(classes);
    for (std::size_t i = 0; i < classes.upper.size(); ++i) {
        const double lower = i == 0 ? classes.min : classes.upper[i - 1];
        renderer += "      <range lower=\"" + exact(lower) + "\" upper=\"" + exact(classes.upper[i]) + "\" label=\"" +
                    xml_escape(labels[i]) + "\" symbol=\"" + std::to_string(i) + "\" render=\"true\"/>\n";
    }
    renderer += "    </ranges>\n    <symbols>\n";
    for (std::size_t i = 0; i < classes.upper.size(); ++i)
        renderer += fill_symbol(std::to_string(i), classes.colours[i], detail::fill_border_colour,
                                detail::choropleth_border_width);
    renderer += "    </symbols>\n    <mode name=\"quantile\"/>\n  </renderer-v2>\n";
    return document(renderer, label_field, false);
}

}  // namespace render
}  // namespace placedef
