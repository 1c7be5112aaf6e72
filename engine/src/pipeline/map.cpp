// The map job: PNG and SVG maps of layers, and the same layers as a styled GeoPackage.
#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "placedef/pipeline.hpp"

#include "pipeline/outputs.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iterator>
#include <limits>

namespace placedef {
inline namespace pipeline {

namespace {

/// Outline colours of the layers drawn over the first, in order (Paul Tol's
/// colour-blind-safe "vibrant" scheme after a near-black).
const char* const outline_colours[] = {"#222222", "#CC3311", "#0077BB", "#EE7733", "#009988", "#EE3377"};

/// Values of `column` for each unit of `layer`: from the table `table_spec`
/// ("CSV[:KEY]", joined on the unit codes) or, without one, from the
/// layer's own attribute. Units without a value get NaN (no data).
std::vector<double> choropleth_values(const std::string& column, const std::string& table_spec, const Layer& layer,
                                      const RunSettings& settings, ProblemSink& problems) {
    const double no_data = std::numeric_limits<double>::quiet_NaN();
    if (!table_spec.empty()) {
        std::string path = table_spec, key;
        // "CSV:KEY" only when the part before the colon is a file, so that names with ':' still work.
        if (const auto colon = table_spec.rfind(':');
            colon != std::string::npos && std::filesystem::is_regular_file(table_spec.substr(0, colon))) {
            path = table_spec.substr(0, colon);
            key = table_spec.substr(colon + 1);
        }
        return join_table(path, key, column, layer, settings, problems, no_data);
    }
    const std::optional<std::size_t> index = layer.attribute_index(column);
    if (!index)
        throw invalid_input(layer.label() + " has no attribute '" + column + "' (give --table CSV for a column of a table)");
    std::vector<double> values;
    for (const Feature& feature : layer.features) {
        const std::string& text = *index < feature.attributes.size() ? feature.attributes[*index] : std::string();
        if (text.empty()) {
            values.push_back(no_data);
            continue;
        }
        const std::optional<double> value = parse_number(text);
        if (!value)
            throw invalid_input("'" + text + "' is not a number",
                                Location{layer.source, layer.name, feature.fid, feature.code, layer.attribute_names[*index]});
        values.push_back(*value);
    }
    return values;
}

}  // namespace

namespace {

/// The classes of a choropleth: from the measure's name, then as asked.
ClassingOptions classing_of(const MapRequest& request) {
    ClassingOptions classing = ClassingOptions::for_measure(request.column);
    if (!request.breaks.empty()) {
        classing.breaks = class_breaks_from_string(request.breaks);
        if (classing.breaks != ClassBreaks::fixed) classing.bounds.clear();
    }
    if (!request.bounds.empty()) {
        if (!request.breaks.empty() && classing.breaks != ClassBreaks::fixed)
            throw invalid_input("bounds are given for " + request.breaks + " breaks; they make fixed breaks");
        classing.breaks = ClassBreaks::fixed;
        classing.bounds = request.bounds;
    }
    if (classing.breaks == ClassBreaks::fixed && classing.bounds.empty())
        throw invalid_input("fixed breaks need their bounds (--bounds 10,20,30)");
    if (request.classes != 0) {
        if (classing.breaks == ClassBreaks::fixed)
            throw invalid_input("fixed breaks take their count from the bounds; give either --classes or --bounds");
        classing.classes = request.classes;
    }
    if (request.dark != "auto") classing.dark = dark_end_from_string(request.dark);
    return classing;
}

}  // namespace

MapResult run_map(const MapRequest& request, const RunSettings& settings, ProblemSink& problems) {
    const std::string& style = request.style;
    if (style != "categorical" && style != "choropleth" && style != "outline")
        throw invalid_input("unknown map style '" + style + "': use categorical, choropleth or outline");
    if (style == "choropleth" && request.column.empty()) throw invalid_input("a choropleth map needs a column");
    if (style != "choropleth" && !request.column.empty())
        throw invalid_input("a column colours a choropleth; it cannot go with the " + style + " style");
    if (!request.table.empty() && request.column.empty()) throw invalid_input("a table needs the column to map");
    const bool classed = !request.breaks.empty() || !request.bounds.empty() || request.classes != 0 || request.dark != "auto";
    if (classed && style != "choropleth")
        throw invalid_input("class breaks, bounds, counts and the dark end apply to a choropleth map only");
    if (request.layers.empty()) throw invalid_input("a map needs at least one polygon layer");
    if (request.fit > request.layers.size())
        throw invalid_input("fit " + std::to_string(request.fit) + ": there are only " +
                            std::to_string(request.layers.size()) + " layers");
    if (request.outline_titles.size() > request.layers.size() + request.points.size() - 1)
        throw invalid_input("more outline titles than layers drawn as outlines");
    if (request.vintages.size() > request.layers.size() + request.points.size())
        throw invalid_input("more vintages than layers");
    if (!request.values_vintage.empty() && style != "choropleth")
        throw invalid_input("a vintage of the values needs a choropleth");
    std::vector<std::string> sources;
    for (const auto* inputs : {&request.layers, &request.points})
        for (const LayerInput& input : *inputs) sources.push_back(detail::input_address(input));
    if (request.context) sources.push_back(detail::input_address(*request.context));
    if (!request.table.empty()) sources.push_back(request.table);
    const detail::OutputPlan plan(sources, request.outputs);

    MapResult result;
    result.polygons = load_inputs(request.layers, settings, problems);
    for (const LayerInput& input : request.points) result.points.push_back(load_input(input, settings, problems, LayerKind::point));
    MapLayer first;
    first.layer = result.polygons.front().get();
    first.style = style == "choropleth" ? MapStyle::choropleth : style == "outline" ? MapStyle::outline : MapStyle::categorical;
    first.label_attribute = request.labels;
    first.legend_title = request.legend_title.empty() && style == "choropleth" ? request.column : request.legend_title;
    if (first.style == MapStyle::choropleth) {
        first.values = choropleth_values(request.column, request.table, *result.polygons.front(), settings, problems);
        first.classing = classing_of(request);
        first.values_vintage = request.values_vintage;
    }
    result.layers.push_back(std::move(first));
    std::size_t colour = 0;
    auto add_outline = [&](const Layer& layer) {
        MapLayer outline;
        outline.layer = &layer;
        outline.style = MapStyle::outline;
        outline.outline_colour = outline_colours[colour % std::size(outline_colours)];
        outline.line_width = colour == 0 ? 1.6 : 1.2;
        if (colour < request.outline_titles.size()) outline.legend_title = request.outline_titles[colour];
        ++colour;
        result.layers.push_back(std::move(outline));
    };
    for (std::size_t i = 1; i < result.polygons.size(); ++i) add_outline(*result.polygons[i]);
    for (const auto& layer : result.points) add_outline(*layer);
    for (std::size_t i = 0; i < request.vintages.size(); ++i) result.layers[i].vintage = request.vintages[i];

    MapOptions options = request.options;
    if (options.date.empty()) options.date = drawing_date();
    if (request.context) {
        result.context = load_input(*request.context, settings, problems, LayerKind::polygon);
        options.context = result.context.get();
    }
    if (request.fit > 0) {
        const Layer& fitted = *result.polygons[request.fit - 1];
        for (const Feature& feature : fitted.features) options.extent.expand(bounds(feature.shape));
        const double margin = 0.03 * std::max(options.extent.width(), options.extent.height());
        options.extent.expand(Coord{options.extent.minx - margin, options.extent.miny - margin});
        options.extent.expand(Coord{options.extent.maxx + margin, options.extent.maxy + margin});
    }
    plan.write([&](const std::string& path) {
        if (is_map_path(path)) render_map(result.layers, options, path);
        else write_map_layers(result.layers, path);
    });
    plan.write_problems(problems);
    return result;
}

}  // namespace pipeline
}  // namespace placedef
