// map: PNG, SVG and PDF maps of layers, and the same layers as a styled GeoPackage.
#include "common.hpp"

#include "placedef/error.hpp"
#include "placedef/render.hpp"

#include <iostream>
#include <memory>

namespace placedef::cli {
namespace {

struct MapArguments {
    std::vector<std::string> layers, points, outputs, outline_titles, vintages;
    std::string style, column, table, labels, legend_title, breaks, dark = "auto";
    std::string values_vintage, context;
    std::vector<double> bounds;
    std::size_t classes = 0;
    MapPageArguments page;
    std::size_t fit = 0;  ///< 1-based LAYER to fit the map to; 0: all
    bool no_legend = false, no_scale_bar = false;
};

int run_map(const MapArguments& args, const Globals& globals) {
    MapRequest request;
    request.options = args.page.options();
    Reporter reporter(globals);
    Session session(globals);
    for (const std::string& layer : args.layers) request.layers.emplace_back(layer);
    for (const std::string& layer : args.points) request.points.emplace_back(layer);
    request.style = args.style.empty() ? (args.column.empty() ? "categorical" : "choropleth") : args.style;
    request.column = args.column;
    request.table = args.table;
    request.breaks = args.breaks;
    request.bounds = args.bounds;
    request.classes = args.classes;
    request.dark = args.dark;
    request.labels = args.labels;
    request.legend_title = args.legend_title;
    request.outline_titles = args.outline_titles;
    request.fit = args.fit;
    request.vintages = args.vintages;
    request.values_vintage = args.values_vintage;
    if (!args.context.empty()) request.context = LayerInput(args.context);
    request.options.legend = !args.no_legend;
    request.options.scale_bar = !args.no_scale_bar;
    request.outputs = session.outputs(args.outputs);
    const MapResult result = run_map(request, session.settings(), reporter.sink());
    for (const std::string& output : args.outputs)
        session.summary() << "map of " << result.layers.size() << (result.layers.size() == 1 ? " layer" : " layers") << " -> "
                      << output << '\n';
    reporter.finish();
    return ok;
}

}  // namespace

std::vector<Command> add_render_commands(CLI::App& app, const Globals& globals) {
    auto args = std::make_shared<MapArguments>();
    CLI::App* map = app.add_subcommand(
        "map", "a map (PNG, SVG, PDF) of layers: the first filled, the others as outlines; or a styled GeoPackage of them");
    map->add_option("LAYER", args->layers, "polygon layers; the first is filled, the others drawn as outlines")
        ->required();
    map->add_option("--points", args->points, "point layers drawn as markers over the others (e.g. GP practices)");
    map->add_option("--style", args->style,
                    "categorical (neighbours differ in colour; the default) or choropleth (of --column)")
        ->check(CLI::IsMember({"categorical", "choropleth"}));
    map->add_option("--column", args->column, "choropleth: numeric column of --table, or else of the first layer");
    map->add_option("--table", args->table, "CSV[:KEY] joined to the first layer's codes (key guessed when omitted)");
    map->add_option("--breaks", args->breaks,
                    "choropleth classes: quantile, equal, natural (Jenks) or fixed (with --bounds); default: ten "
                    "fixed classes for a decile column, else quantile")
        ->check(CLI::IsMember({"quantile", "equal", "natural", "fixed"}));
    add_reals(map, "--bounds", args->bounds, "fixed breaks: the upper bound of each class but the last, e.g. 10,20,30");
    add_whole(map, "--classes", args->classes, "number of choropleth classes (default: 5 to 7 from the count)",
              std::size_t{1}, max_classes);
    map->add_option("--dark", args->dark,
                    "the end of the measure drawn darkest: auto (low for ranks and deciles, where 1 is the most "
                    "deprived; else high), high or low")
        ->check(CLI::IsMember({"auto", "high", "low"}));
    map->add_option("--labels", args->labels, "label the first layer's units: code, or an attribute (e.g. LAD21NM)");
    map->add_option("--legend-title", args->legend_title, "legend heading of the first layer (default: its name, or the column)");
    map->add_option("--outline-titles", args->outline_titles,
                    "legend texts of the layers drawn as outlines, in order (comma-separated; default: their names)")
        ->delimiter(',');
    add_whole(map, "--fit", args->fit, "fit the map to this LAYER (1 = the first), not to all of them");
    map->add_option("--vintages", args->vintages,
                    "the data of each LAYER and --points layer and its date for the credit line, in order "
                    "(comma-separated, e.g. \"LSOA 2011,CED 2025\")")
        ->delimiter(',');
    map->add_option("--values-vintage", args->values_vintage, "choropleth: the data of --column for the credit line (e.g. \"IMD 2019\")");
    map->add_option("--context", args->context, "a layer of the land beyond the study area, drawn in grey under the map");
    add_map_page_options(map, args->page, "map");
    map->add_flag("--no-legend", args->no_legend, "leave out the legend");
    map->add_flag("--no-scale-bar", args->no_scale_bar, "leave out the scale bar and north arrow");
    map->add_option("-o,--output", args->outputs,
                    "map.png, map.svg, map.pdf, or a GeoPackage of the layers styled for QGIS like the map; repeat for several")
        ->required()
        ->allow_extra_args(false);
    return {{map, [args, &globals] { return run_map(*args, globals); }}};
}

}  // namespace placedef::cli
