// info and overlay.
#include "common.hpp"

#include "placedef/error.hpp"
#include "placedef/geometry.hpp"

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

namespace placedef::cli {
namespace {

int run_info(const std::vector<std::string>& arguments, bool points, const Globals& globals) {
    Reporter reporter(globals);
    const Session session(globals);
    for (const std::string& argument : arguments) {
        const std::size_t before = reporter.sink().count();
        const Activity reading("reading '" + argument + "'");
        const std::shared_ptr<const Layer> loaded = load_input(argument, session.settings(), reporter.sink(),
                                                                points ? LayerKind::point : LayerKind::polygon,
                                                                EmptyLayer::allow);
        const Layer& layer = *loaded;
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
    if (!globals.problems_path.empty()) write_problems_csv(reporter.sink(), globals.problems_path);
    reporter.finish();
    return ok;
}

struct OverlayArguments {
    std::string a, b;
    std::vector<std::string> outputs;
    PopulationArguments pop;
    double min_share = 0;
    bool readable = false;
};

int run_overlay(const OverlayArguments& args, const Globals& globals) {
    Reporter reporter(globals);
    Session session(globals);
    OverlayRequest request;
    request.a = args.a;
    request.b = args.b;
    request.population = args.pop.input();
    request.min_share = args.min_share;
    request.outputs = session.outputs(args.outputs, args.readable);
    const Activity computing("computing the overlay of '" + args.a + "' and '" + args.b + "'");
    const OverlayResult result = run_overlay(request, session.settings(), reporter.sink());
    session.finish_progress();
    const IntersectionTable& table = result.table;
    // The table may go to standard output (-o -): the summary goes to standard error.
    std::ostream& out = session.summary(true);
    if (globals.verbose)
        out << std::fixed << std::setprecision(3) << "timings: prepare " << table.stats.prepare_seconds
                  << " s, areas " << table.stats.areas_seconds << " s, pieces " << table.stats.pieces_seconds << " s\n";
    out << result.a->name << " x " << result.b->name << ": " << table.rows.size() << " rows from "
        << table.stats.candidate_pairs << " candidate pairs (" << table.stats.covered_pairs
        << " settled without boundary contact) in " << std::fixed << std::setprecision(3) << table.stats.seconds << " s";
    if (table.stats.dropped_below_min_share)
        out << "; " << table.stats.dropped_below_min_share << " rows under --min-share " << args.min_share << " dropped";
    for (const std::string& output : args.outputs) out << " -> " << output;
    out << '\n';
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
    add_readable_option(overlay_cmd, overlay_args->readable);
    add_real(overlay_cmd, "--min-share", overlay_args->min_share,
             "drop rows whose shares of a and of b are both below this (counted)", 0.0, 1.0)
        ->default_val(0.0);
    return {
        {info, [info_args, &globals] { return run_info(info_args->layers, info_args->points, globals); }},
        {overlay_cmd, [overlay_args, &globals] { return run_overlay(*overlay_args, globals); }},
    };
}

}  // namespace placedef::cli
