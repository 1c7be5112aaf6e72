// The placedef command line: argument parsing and reporting only; the work is
// done by the engine library. Exit codes (DESIGN.md): 0 ok, 1 usage,
// 2 input error, 3 processing error, 4 output error.
#include "progress.hpp"

#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "placedef/io.hpp"
#include "placedef/overlay.hpp"
#include "placedef/stopwatch.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <algorithm>
#include <fstream>
#include <iomanip>
#include <future>
#include <iostream>
#include <sstream>

namespace placedef::cli {
namespace {

enum ExitCode { ok = 0, usage = 1, input_error = 2, processing_error = 3, output_failure = 4 };

struct Globals {
    std::string study_crs = "EPSG:27700";
    std::string assume_crs;
    std::string invalid = "repair";
    unsigned threads = 0;
    bool quiet = false;
    bool verbose = false;
    std::string problems_path;
};


/// Prints the first problems as they come, keeps all for the summary and the
/// optional problems CSV.
class Reporter {
public:
    explicit Reporter(const Globals& globals) : m_globals(globals) {
        m_sink.set_listener([this](const Problem& problem) {
            if (m_globals.quiet) return;
            if (m_shown < shown_limit)
                std::cerr << "warning: " << problem.describe() << '\n';
            else if (m_shown == shown_limit)
                std::cerr << "warning: further problems are counted in the summary"
                          << (m_globals.problems_path.empty() ? " (write them all with --problems FILE.csv)" : "")
                          << '\n';
            ++m_shown;
        });
    }
    ProblemSink& sink() { return m_sink; }

    void finish() {
        if (!m_globals.quiet && m_sink.count()) std::cerr << "problems: " << m_sink.summary() << '\n';
        if (m_globals.problems_path.empty()) return;
        CsvWriter csv(m_globals.problems_path);
        csv.header({"kind", "action", "file", "layer", "fid", "code", "field", "detail"});
        for (const Problem& p : m_sink.problems()) {
            csv.cell(to_string(p.kind)).cell(to_string(p.action)).cell(p.where.file).cell(p.where.layer);
            if (p.where.fid) csv.cell(*p.where.fid);
            else csv.cell(std::string());
            csv.cell(p.where.code).cell(p.where.field).cell(p.detail);
            csv.end_row();
        }
        csv.close();
    }

private:
    static constexpr std::size_t shown_limit = 20;
    const Globals& m_globals;
    ProblemSink m_sink;
    std::size_t m_shown = 0;
};

ReadOptions read_options(const Globals& globals, LayerKind kind) {
    ReadOptions options;
    options.study_crs = globals.study_crs;
    options.assume_crs = globals.assume_crs;
    options.invalid = invalid_policy_from_string(globals.invalid);
    options.expect = kind;
    options.threads = globals.threads;
    return options;
}

Layer load(const std::string& argument, const Globals& globals, ProblemSink& problems,
           LayerKind kind = LayerKind::polygon) {
    Layer layer = load_layer(LayerAddress::parse(argument), read_options(globals, kind), problems);
    if (layer.code_column_guessed && !globals.quiet)
        std::cerr << "note: " << layer.label() << ": code column guessed as " << layer.code_column
                  << " (give path@COLUMN to choose)\n";
    return layer;
}

/// Loads several layers at once: GDAL reads are independent per dataset.
/// Problems are reported in argument order, whatever finishes first.
std::vector<Layer> load_all(const std::vector<std::string>& arguments, const Globals& globals, ProblemSink& problems) {
    std::vector<ProblemSink> sinks(arguments.size());
    std::vector<std::future<Layer>> pending;
    for (std::size_t i = 0; i < arguments.size(); ++i)
        pending.push_back(std::async(std::launch::async, [&, i] {
            return load_layer(LayerAddress::parse(arguments[i]), read_options(globals, LayerKind::polygon), sinks[i]);
        }));
    std::vector<Layer> layers;
    std::exception_ptr failure;
    for (std::size_t i = 0; i < pending.size(); ++i) {
        try {
            layers.push_back(pending[i].get());
        } catch (...) {
            if (!failure) failure = std::current_exception();
        }
        for (const Problem& problem : sinks[i].problems()) problems.report(problem);
    }
    if (failure) std::rethrow_exception(failure);
    for (const Layer& layer : layers)
        if (layer.code_column_guessed && !globals.quiet)
            std::cerr << "note: " << layer.label() << ": code column guessed as " << layer.code_column
                      << " (give path@COLUMN to choose)\n";
    return layers;
}

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
            << "  CRS:         " << layer.crs << " (source " << layer.source_crs << ")\n"
            << "  extent:      " << extent.minx << ' ' << extent.miny << ' ' << extent.maxx << ' ' << extent.maxy << '\n';
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

bool is_csv_path(const std::string& path) {
    return path == "-" || (path.size() > 4 && path.compare(path.size() - 4, 4, ".csv") == 0);
}

struct OverlayArguments {
    std::string a, b;
    std::vector<std::string> outputs;
    std::string pop_layer, pop_table, pop_column, pop_key;
    double min_share = 0;
};

/// The population table's key: the given column, else the one whose values
/// match the most population-layer codes.
std::string choose_key(const OverlayArguments& args, const Layer& units) {
    if (!args.pop_key.empty()) return args.pop_key;
    std::ifstream in(args.pop_table);
    std::string header;
    if (!in || !std::getline(in, header)) throw io_error("cannot read the header", Location{args.pop_table, {}, {}, {}, {}});
    std::vector<std::string> columns;
    std::stringstream split(header);
    for (std::string column; std::getline(split, column, ',');) {
        while (!column.empty() && (column.back() == '\r' || column.back() == '"')) column.pop_back();
        while (!column.empty() && column.front() == '"') column.erase(0, 1);
        columns.push_back(column);
    }
    std::string best;
    std::size_t best_matches = 0;
    for (const std::string& column : columns) {
        Table table;
        try {
            table = read_table(args.pop_table, column);
        } catch (const invalid_input&) {
            continue;  // empty or duplicate keys: not the key column
        }
        std::size_t matches = 0;
        for (const Feature& feature : units.features) matches += table.row_of(feature.code).has_value();
        if (matches > best_matches) {
            best = column;
            best_matches = matches;
        }
    }
    if (best.empty())
        throw invalid_input("no column of the table matches the codes of " + units.label() + "; give --pop-key",
                            Location{args.pop_table, {}, {}, {}, {}});
    return best;
}

int run_overlay(const OverlayArguments& args, const Globals& globals) {
    Reporter reporter(globals);
    Stopwatch clock;
    std::vector<std::string> arguments{args.a, args.b};
    const bool with_population = !args.pop_layer.empty();
    if (with_population) arguments.push_back(args.pop_layer);
    std::vector<Layer> layers = load_all(arguments, globals, reporter.sink());
    const double load_seconds = clock.lap();

    PopulationSource population;
    OverlayOptions options;
    if (with_population) {
        if (args.pop_table.empty() || args.pop_column.empty())
            throw invalid_input("--pop needs --pop-table FILE and --pop-column COLUMN");
        const Layer& units = layers[2];
        const Table table = read_table(args.pop_table, choose_key(args, units));
        population.layer = &units;
        population.population = join_numeric(units, table, args.pop_column, reporter.sink());
        options.population = &population;
    }
    options.with_geometry = !std::all_of(args.outputs.begin(), args.outputs.end(), is_csv_path);
    options.min_share = args.min_share;
    options.threads = globals.threads;
    ProgressBar bar("overlay", !globals.quiet && stderr_is_terminal());
    options.progress = [&](std::size_t done, std::size_t total) { bar.update(done, total); };

    clock.lap();
    const IntersectionTable table = overlay(layers[0], layers[1], options);
    bar.finish();
    clock.lap();
    for (const std::string& output : args.outputs) write_intersection_table(table, output, layers[0].crs);
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

int run(int argc, char** argv) {
    CLI::App app{"placedef: define places from boundary layers: overlay, co-terminosity, footprints.\n"
                 "A LAYER is path[:layer][@code_column]; the code column is guessed when one column ending\n"
                 "in CD has unique values."};
    app.set_version_flag("--version", PDEF_VERSION);
    app.require_subcommand(1);
    app.fallthrough();
    Globals globals;
    app.add_option("--study-crs", globals.study_crs, "CRS every layer is reprojected to (projected, metres)")
        ->default_val("EPSG:27700");
    app.add_option("--assume-crs", globals.assume_crs, "CRS of layers that declare none (otherwise refused)");
    app.add_option("--invalid", globals.invalid, "what to do with an invalid geometry: repair, skip or fail")
        ->default_val("repair")
        ->check(CLI::IsMember({"repair", "skip", "fail"}));
    app.add_option("--threads", globals.threads, "worker threads (0: all cores)")->default_val(0);
    app.add_flag("-q,--quiet", globals.quiet, "print only errors");
    app.add_flag("-v,--verbose", globals.verbose, "also print how long each step took");
    app.add_option("--problems", globals.problems_path, "write every reported problem to this CSV");

    std::vector<std::string> info_layers;
    bool info_points = false;
    CLI::App* info = app.add_subcommand("info", "CRS, feature count, extent and problems of each layer");
    info->add_option("LAYER", info_layers, "layers to describe")->required();
    info->add_flag("--points", info_points, "the layers hold points (e.g. GP practices)");

    OverlayArguments overlay_args;
    CLI::App* overlay_cmd = app.add_subcommand(
        "overlay", "intersection table of A and B: every pair with positive area, its area and shares");
    overlay_cmd->add_option("A", overlay_args.a, "first layer")->required();
    overlay_cmd->add_option("B", overlay_args.b, "second layer")->required();
    overlay_cmd->add_option("-o,--output", overlay_args.outputs,
                            "table.csv, or a .gpkg (or any OGR path) holding the pieces too; repeat for several")
        ->required()
        ->allow_extra_args(false);
    overlay_cmd->add_option("--pop", overlay_args.pop_layer,
                            "population layer (e.g. LSOA polygons); population is apportioned to pieces by area");
    overlay_cmd->add_option("--pop-table", overlay_args.pop_table, "CSV with one row per population unit");
    overlay_cmd->add_option("--pop-column", overlay_args.pop_column, "population column of the table");
    overlay_cmd->add_option("--pop-key", overlay_args.pop_key,
                            "code column of the table (default: the column matching the layer's codes)");
    overlay_cmd->add_option("--min-share", overlay_args.min_share,
                            "drop rows whose shares of a and of b are both below this (counted)")
        ->default_val(0.0)
        ->check(CLI::Range(0.0, 1.0));

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? ok : usage;
    }
    if (info->parsed()) return run_info(info_layers, info_points, globals);
    return run_overlay(overlay_args, globals);
}

}  // namespace
}  // namespace placedef::cli

int main(int argc, char** argv) {
    using namespace placedef;
    using placedef::cli::ExitCode;
    try {
        return placedef::cli::run(argc, argv);
    } catch (const output_error& e) {
        std::cerr << "error: " << e.what() << '\n';
        return ExitCode::output_failure;
    } catch (const io_error& e) {
        std::cerr << "error: " << e.what() << '\n';
        return ExitCode::input_error;
    } catch (const invalid_input& e) {
        std::cerr << "error: " << e.what() << '\n';
        return ExitCode::input_error;
    } catch (const std::bad_alloc&) {
        std::cerr << "error: out of memory\n";
        return ExitCode::processing_error;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << '\n';
        return ExitCode::processing_error;
    }
}
