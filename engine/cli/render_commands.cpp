// map: PNG and SVG maps of layers, and the same layers as a styled GeoPackage.
#include "common.hpp"

#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "placedef/render.hpp"

#include <filesystem>
#include <iostream>
#include <limits>
#include <memory>

namespace placedef::cli {
namespace {

struct MapArguments {
    std::vector<std::string> layers, points, outputs, outline_titles;
    std::string style, column, table, labels, title, legend_title, credit;
    int width = 1600, height = 1200;
    double dpi = 150;
    std::size_t fit = 0;  ///< 1-based LAYER to fit the map to; 0: all
    bool no_legend = false, no_scale_bar = false;
};

/// Outline colours of the layers drawn over the first, in order (Paul Tol's
/// colour-blind-safe "vibrant" scheme after a near-black).
const char* const outline_colours[] = {"#222222", "#CC3311", "#0077BB", "#EE7733", "#009988", "#EE3377"};

/// Values of `column` for each unit of `layer`: from the table `table_spec`
/// ("CSV[:KEY]", joined on the unit codes) or, without one, from the
/// layer's own attribute. Units without a value get NaN (no data).
std::vector<double> choropleth_values(const std::string& column, const std::string& table_spec, const Layer& layer,
                                      ProblemSink& problems) {
    const double no_data = std::numeric_limits<double>::quiet_NaN();
    if (!table_spec.empty()) {
        std::string path = table_spec, key;
        // "CSV:KEY" only when the part before the colon is a file, so that names with ':' still work.
        if (const auto colon = table_spec.rfind(':');
            colon != std::string::npos && std::filesystem::is_regular_file(table_spec.substr(0, colon))) {
            path = table_spec.substr(0, colon);
            key = table_spec.substr(colon + 1);
        }
        const Table table = read_table(path, choose_key(path, key, layer));
        if (!table.column_index(column)) throw invalid_input("has no column '" + column + "'", Location{path, {}, {}, {}, column});
        return join_numeric(layer, table, column, problems, no_data);
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

bool is_map_path(const std::string& path) {
    std::string extension = std::filesystem::path(path).extension().string();
    for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return extension == ".png" || extension == ".svg";
}

int run_map(const MapArguments& args, const Globals& globals) {
    std::string style = args.style.empty() ? (args.column.empty() ? "categorical" : "choropleth") : args.style;
    if (style == "choropleth" && args.column.empty()) throw invalid_input("--style choropleth needs --column COL");
    if (style != "choropleth" && !args.column.empty())
        throw invalid_input("--column colours a choropleth; it cannot go with --style " + style);
    if (!args.table.empty() && args.column.empty()) throw invalid_input("--table needs --column COL");
    if (args.fit > args.layers.size())
        throw invalid_input("--fit " + std::to_string(args.fit) + ": there are only " + std::to_string(args.layers.size()) +
                            " layers");
    if (args.outline_titles.size() > args.layers.size() + args.points.size() - 1)
        throw invalid_input("--outline-titles: more titles than layers drawn as outlines");

    Reporter reporter(globals);
    const std::vector<Layer> polygons = load_all(args.layers, globals, reporter.sink());
    std::vector<Layer> points;
    for (const std::string& argument : args.points) points.push_back(load(argument, globals, reporter.sink(), LayerKind::point));

    std::vector<MapLayer> layers;
    MapLayer first;
    first.layer = &polygons.front();
    first.style = style == "choropleth" ? MapStyle::choropleth : MapStyle::categorical;
    first.label_attribute = args.labels;
    first.legend_title = args.legend_title.empty() && style == "choropleth" ? args.column : args.legend_title;
    if (first.style == MapStyle::choropleth)
        first.values = choropleth_values(args.column, args.table, polygons.front(), reporter.sink());
    layers.push_back(std::move(first));
    std::size_t colour = 0;
    auto add_outline = [&](const Layer& layer) {
        MapLayer outline;
        outline.layer = &layer;
        outline.style = MapStyle::outline;
        outline.outline_colour = outline_colours[colour % std::size(outline_colours)];
        outline.line_width = colour == 0 ? 1.6 : 1.2;
        if (colour < args.outline_titles.size()) outline.legend_title = args.outline_titles[colour];
        ++colour;
        layers.push_back(std::move(outline));
    };
    for (std::size_t i = 1; i < polygons.size(); ++i) add_outline(polygons[i]);
    for (const Layer& layer : points) add_outline(layer);

    MapOptions options;
    options.title = args.title;
    options.width_px = args.width;
    options.height_px = args.height;
    options.dpi = args.dpi;
    options.legend = !args.no_legend;
    options.scale_bar = !args.no_scale_bar;
    options.credit = args.credit;
    if (args.fit > 0) {
        const Layer& fitted = polygons[args.fit - 1];
        for (const Feature& feature : fitted.features) options.extent.expand(bounds(feature.shape));
        const double margin = 0.03 * std::max(options.extent.width(), options.extent.height());
        options.extent.expand(Coord{options.extent.minx - margin, options.extent.miny - margin});
        options.extent.expand(Coord{options.extent.maxx + margin, options.extent.maxy + margin});
    }
    for (const std::string& output : args.outputs) {
        if (is_map_path(output)) render_map(layers, options, output);
        else write_map_layers(layers, output);
        if (!globals.quiet) std::cout << "map of " << layers.size() << (layers.size() == 1 ? " layer" : " layers")
                                      << " -> " << output << '\n';
    }
    reporter.finish();
    return ok;
}

}  // namespace

std::vector<Command> add_render_commands(CLI::App& app, const Globals& globals) {
    auto args = std::make_shared<MapArguments>();
    CLI::App* map = app.add_subcommand(
        "map", "a map (PNG, SVG) of layers: the first filled, the others as outlines; or a styled GeoPackage of them");
    map->add_option("LAYER", args->layers, "polygon layers; the first is filled, the others drawn as outlines")
        ->required();
    map->add_option("--points", args->points, "point layers drawn as markers over the others (e.g. GP practices)");
    map->add_option("--style", args->style,
                    "categorical (neighbours differ in colour; the default) or choropleth (of --column)")
        ->check(CLI::IsMember({"categorical", "choropleth"}));
    map->add_option("--column", args->column, "choropleth: numeric column of --table, or else of the first layer");
    map->add_option("--table", args->table, "CSV[:KEY] joined to the first layer's codes (key guessed when omitted)");
    map->add_option("--labels", args->labels, "label the first layer's units: code, or an attribute (e.g. LAD21NM)");
    map->add_option("--title", args->title, "title over the map");
    map->add_option("--legend-title", args->legend_title, "legend heading of the first layer (default: its name, or the column)");
    map->add_option("--outline-titles", args->outline_titles,
                    "legend texts of the layers drawn as outlines, in order (comma-separated; default: their names)")
        ->delimiter(',');
    map->add_option("--fit", args->fit, "fit the map to this LAYER (1 = the first), not to all of them");
    map->add_option("--credit", args->credit, "small print under the map, e.g. the data's copyright line");
    map->add_option("--width", args->width, "width in pixels")->default_val(1600)->check(CLI::Range(16, 30000));
    map->add_option("--height", args->height, "height in pixels")->default_val(1200)->check(CLI::Range(16, 30000));
    map->add_option("--dpi", args->dpi, "resolution: sets the size of text and lines in pixels")
        ->default_val(150)
        ->check(CLI::Range(10.0, 2400.0));
    map->add_flag("--no-legend", args->no_legend, "leave out the legend");
    map->add_flag("--no-scale-bar", args->no_scale_bar, "leave out the scale bar and north arrow");
    map->add_option("-o,--output", args->outputs,
                    "map.png, map.svg, or a GeoPackage of the layers styled for QGIS like the map; repeat for several")
        ->required()
        ->allow_extra_args(false);
    return {{map, [args, &globals] { return run_map(*args, globals); }}};
}

}  // namespace placedef::cli
