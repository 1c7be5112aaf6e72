// info and overlay.
#include "common.hpp"

#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "placedef/render.hpp"
#include "placedef/stopwatch.hpp"

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

namespace placedef::cli {
namespace {

int run_info(const std::vector<std::string>& arguments, bool points, const Globals& globals) {
    Reporter reporter(globals);
    for (const std::string& argument : arguments) {
        const std::size_t before = reporter.sink().count();
        const Layer layer = load(argument, globals, reporter.sink(), points ? LayerKind::point : LayerKind::polygon);
        const Box extent = layer.extent();
        double total_area = 0;
        std::size_t vertices = 0;
        for (const Feature& feature : layer.features) {
            total_area += area(feature.shape);
            vertices += vertex_count(feature.shape);
        }
        std::ostringstream out;
        out.setf(std::ios::fixed);
        out.precision(1);
        out << layer.name << " (" << layer.source << ")\n"
            << "  kind:        " << to_string(layer.kind) << '\n'
            << "  features:    " << layer.size() << " (" << layer.features_read << " read)\n"
            << "  code column: " << layer.code_column << (layer.code_column_guessed ? " (guessed)" : "") << '\n'
            << "  CRS:         " << layer.crs << " (source " << layer.source_crs << ")\n";
        if (layer.features.empty())
            out << "  extent:      none (no features)\n";
        else
            out << "  extent:      " << extent.minx << ' ' << extent.miny << ' ' << extent.maxx << ' ' << extent.maxy
                << '\n';
        if (layer.kind == LayerKind::polygon) {
            out.precision(3);
            out << "  area:        " << total_area / 1e6 << " km2\n"
                << "  vertices:    " << vertices << '\n';
        }
        out << "  problems:    " << (reporter.sink().count() - before) << '\n';
        std::cout << out.str();
    }
    reporter.finish();
    return ok;
}

struct OverlayArguments {
    std::string a, b;
    std::vector<std::string> outputs;
    PopulationArguments pop;
    double min_share = 0;
};

int run_overlay(const OverlayArguments& args, const Globals& globals) {
    Reporter reporter(globals);
    Stopwatch clock;
    PopulationSource population;
    const std::vector<Layer> layers =
        load_with_population({args.a, args.b}, args.pop, globals, reporter.sink(), population);
    const double load_seconds = clock.lap();

    OverlayOptions options;
    if (args.pop.given()) options.population = &population;
    options.with_geometry = !std::all_of(args.outputs.begin(), args.outputs.end(), is_csv_path);
    options.min_share = args.min_share;
    options.threads = globals.threads;
    ProgressBar bar = progress_bar("overlay", globals);
    options.progress = [&](std::size_t done, std::size_t total) { bar.update(done, total); };

    clock.lap();
    const Activity computing("computing the overlay of " + layers[0].name + " and " + layers[1].name);
    const IntersectionTable table = overlay(layers[0], layers[1], options);
    bar.finish();
    clock.lap();
    std::vector<LayerStyle> styles;  // pieces shaded by how much of their unit of A they hold
    if (!table.rows.empty()) {
        std::vector<double> shares;
        for (const IntersectionRow& row : table.rows) shares.push_back(row.share_of_a);
        styles.push_back({"pieces", qgis_choropleth_qml("share_of_a", choropleth_classes(shares))});
    }
    for (const std::string& output : args.outputs) {
        const Activity writing("writing '" + output + "'");
        write_intersection_table(table, output, layers[0].crs, styles);
    }
    if (globals.verbose)
        std::cerr << std::fixed << std::setprecision(3) << "timings: load " << load_seconds << " s, prepare "
                  << table.stats.prepare_seconds << " s, areas " << table.stats.areas_seconds << " s, pieces "
                  << table.stats.pieces_seconds << " s, write " << clock.lap() << " s\n";
    if (!globals.quiet) {
        std::cerr << layers[0].name << " x " << layers[1].name << ": " << table.rows.size() << " rows from "
                  << table.stats.candidate_pairs << " candidate pairs (" << table.stats.covered_pairs
                  << " settled without boundary contact) in " << std::fixed << std::setprecision(3)
                  << table.stats.seconds << " s";
        if (table.stats.dropped_below_min_share)
            std::cerr << "; " << table.stats.dropped_below_min_share << " rows under --min-share " << args.min_share
                      << " dropped";
        for (const std::string& output : args.outputs) std::cerr << " -> " << output;
        std::cerr << '\n';
    }
    reporter.finish();
    return ok;
}

}  // namespace

std::vector<Command> add_layer_commands(CLI::App& app, const Globals& globals) {
    struct InfoArguments {
        std::vector<std::string> layers;
        bool points = false;
    };
    auto info_args = std::make_shared<InfoArguments>();
    CLI::App* info = app.add_subcommand("info", "CRS, feature count, extent and problems of each layer");
    info->add_option("LAYER", info_args->layers, "layers to describe")->required();
    info->add_flag("--points", info_args->points, "the layers hold points (e.g. GP practices)");

    auto overlay_args = std::make_shared<OverlayArguments>();
    CLI::App* overlay_cmd = app.add_subcommand(
        "overlay", "intersection table of A and B: every pair with positive area, its area and shares");
    overlay_cmd->add_option("A", overlay_args->a, "first layer")->required();
    overlay_cmd->add_option("B", overlay_args->b, "second layer")->required();
    overlay_cmd->add_option("-o,--output", overlay_args->outputs,
                            "table.csv, or a .gpkg (or any OGR path) holding the pieces too; repeat for several")
        ->required()
        ->allow_extra_args(false);
    add_population_options(overlay_cmd, overlay_args->pop);
    overlay_cmd->add_option("--min-share", overlay_args->min_share,
                            "drop rows whose shares of a and of b are both below this (counted)")
        ->default_val(0.0)
        ->check(CLI::Range(0.0, 1.0));
    return {
        {info, [info_args, &globals] { return run_info(info_args->layers, info_args->points, globals); }},
        {overlay_cmd, [overlay_args, &globals] { return run_overlay(*overlay_args, globals); }},
    };
}

}  // namespace placedef::cli
