// The placedef command line: argument parsing and reporting only; the work is
// done by the engine library. Exit codes (DESIGN.md): 0 ok, 1 usage,
// 2 input error, 3 processing error, 4 output error.
#include "progress.hpp"

#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "placedef/io.hpp"
#include "placedef/overlay.hpp"
#include "placedef/scoring.hpp"
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

struct PopulationArguments {
    std::string layer, table, column, key;
    bool given() const { return !layer.empty(); }
};

void add_population_options(CLI::App* command, PopulationArguments& args) {
    command->add_option("--pop", args.layer,
                        "population layer (e.g. LSOA polygons); population is apportioned to pieces by area");
    command->add_option("--pop-table", args.table, "CSV with one row per population unit");
    command->add_option("--pop-column", args.column, "population column of the table");
    command->add_option("--pop-key", args.key, "code column of the table (default: the column matching the layer's codes)");
}

struct OverlayArguments {
    std::string a, b;
    std::vector<std::string> outputs;
    PopulationArguments pop;
    double min_share = 0;
};

/// The population table's key: the given column, else the one whose values
/// match the most population-layer codes.
std::string choose_key(const PopulationArguments& args, const Layer& units) {
    if (!args.key.empty()) return args.key;
    std::ifstream in(args.table);
    std::string header;
    if (!in || !std::getline(in, header)) throw io_error("cannot read the header", Location{args.table, {}, {}, {}, {}});
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
            table = read_table(args.table, column);
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
                            Location{args.table, {}, {}, {}, {}});
    return best;
}

/// Joins the population table to the population layer's units.
PopulationSource population_of(const PopulationArguments& args, const Layer& units, ProblemSink& problems) {
    if (args.table.empty() || args.column.empty())
        throw invalid_input("--pop needs --pop-table FILE and --pop-column COLUMN");
    const Table table = read_table(args.table, choose_key(args, units));
    return PopulationSource{&units, join_numeric(units, table, args.column, problems)};
}

/// Loads `arguments` and, when asked, the population layer after them.
/// Returns the layers; `population` points into them.
std::vector<Layer> load_with_population(std::vector<std::string> arguments, const PopulationArguments& pop,
                                        const Globals& globals, ProblemSink& problems, PopulationSource& population) {
    if (pop.given()) arguments.push_back(pop.layer);
    std::vector<Layer> layers = load_all(arguments, globals, problems);
    if (pop.given()) population = population_of(pop, layers.back(), problems);
    return layers;
}

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

struct ScoringArguments {
    ScoringOptions options;
    bool no_alignment = false;
};

void add_scoring_options(CLI::App* command, ScoringArguments& args) {
    command->add_option("--tolerance", args.options.tolerance, "share treated as \"all\" (nested, co-terminous)")
        ->default_val(0.995)
        ->check(CLI::Range(0.5, 1.0));
    command->add_option("--distance", args.options.distance, "metres treated as the same line (boundary alignment)")
        ->default_val(20.0)
        ->check(CLI::NonNegativeNumber);
    command->add_option("--min-piece", args.options.min_share,
                        "share from which a piece counts in a unit's fragmentation")
        ->default_val(0.01)
        ->check(CLI::Range(0.0, 0.5));
    command->add_flag("--no-alignment", args.no_alignment, "skip boundary alignment (areas only)");
}

ProgressBar progress_bar(const char* label, const Globals& globals) {
    return ProgressBar(label, !globals.quiet && stderr_is_terminal());
}

struct AlignArguments {
    std::string a, b, output;
    ScoringArguments scoring;
    PopulationArguments pop;
};

int run_align(const AlignArguments& args, const Globals& globals) {
    Reporter reporter(globals);
    PopulationSource population;
    const std::vector<Layer> layers =
        load_with_population({args.a, args.b}, args.pop, globals, reporter.sink(), population);
    OverlayOptions options;
    options.threads = globals.threads;
    if (args.pop.given()) options.population = &population;
    const IntersectionTable table = overlay(layers[0], layers[1], options);
    BoundaryAlignment a_against_b, b_against_a;
    const bool aligned = !args.scoring.no_alignment;
    if (aligned) {
        a_against_b = boundary_alignment(layers[0], layers[1], args.scoring.options.distance, globals.threads);
        b_against_a = boundary_alignment(layers[1], layers[0], args.scoring.options.distance, globals.threads);
    }
    const AlignmentReport report = score(table, args.scoring.options, aligned ? &a_against_b : nullptr,
                                         aligned ? &b_against_a : nullptr);
    write_alignment_csv(report, args.output);
    std::cout << describe(report.a_in_b) << describe(report.b_in_a);
    std::cout << "tolerance " << args.scoring.options.tolerance << ", distance " << args.scoring.options.distance
              << " m, pieces from " << args.scoring.options.min_share << "; per-unit report -> " << args.output << '\n';
    reporter.finish();
    return ok;
}

struct BestFitArguments {
    std::string child, parent, output, method = "area";
    double ambiguous_below = 0.9;
    PopulationArguments pop;
};

int run_best_fit(const BestFitArguments& args, const Globals& globals) {
    Reporter reporter(globals);
    BestFitOptions options;
    options.method = best_fit_method_from_string(args.method);
    options.ambiguous_below = args.ambiguous_below;
    if (options.method == BestFitMethod::population && !args.pop.given())
        throw invalid_input("--method population needs --pop LAYER --pop-table FILE --pop-column COLUMN");
    PopulationSource population;
    const std::vector<Layer> layers =
        load_with_population({args.child, args.parent}, args.pop, globals, reporter.sink(), population);
    OverlayOptions overlay_options;
    overlay_options.threads = globals.threads;
    if (options.method == BestFitMethod::population) overlay_options.population = &population;
    const IntersectionTable table = overlay(layers[0], layers[1], overlay_options);
    std::vector<long> containing;
    if (options.method == BestFitMethod::centroid) {
        std::vector<Coord> points;
        for (const Feature& feature : layers[0].features) points.push_back(point_on_surface(feature.shape));
        containing = containing_units(points, layers[1], globals.threads);
    }
    const std::vector<BestFitRow> rows = best_fit(table, options, containing);
    write_best_fit_csv(rows, args.output);
    std::size_t ambiguous = 0, orphans = 0, fallbacks = 0;
    for (const BestFitRow& row : rows) {
        ambiguous += row.ambiguous;
        orphans += row.parent.empty();
        fallbacks += row.method != options.method;
    }
    std::cout << layers[0].name << " -> " << layers[1].name << " by " << to_string(options.method) << ": "
              << rows.size() << " children, " << ambiguous << " ambiguous (winner under " << options.ambiguous_below
              << "), " << orphans << " with no parent";
    if (fallbacks) std::cout << ", " << fallbacks << " by area (no population)";
    std::cout << " -> " << args.output << '\n';
    reporter.finish();
    return ok;
}

struct MatrixArguments {
    std::vector<std::string> layers;
    std::string output;
    ScoringArguments scoring;
    PopulationArguments pop;
};

int run_matrix(const MatrixArguments& args, const Globals& globals) {
    Reporter reporter(globals);
    PopulationSource population;
    const std::vector<Layer> loaded = load_with_population(args.layers, args.pop, globals, reporter.sink(), population);
    std::vector<const Layer*> layers;
    for (std::size_t i = 0; i < args.layers.size(); ++i) layers.push_back(&loaded[i]);
    MatrixOptions options;
    options.scoring = args.scoring.options;
    options.alignment = !args.scoring.no_alignment;
    options.threads = globals.threads;
    if (args.pop.given()) options.population = &population;
    ProgressBar bar = progress_bar("matrix", globals);
    options.progress = [&](std::size_t done, std::size_t total) { bar.update(done, total); };
    const Matrix matrix = coterminosity_matrix(layers, options);
    bar.finish();
    write_matrix_csv(matrix, args.output);
    std::cout << describe(matrix);
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
    add_population_options(overlay_cmd, overlay_args.pop);
    overlay_cmd->add_option("--min-share", overlay_args.min_share,
                            "drop rows whose shares of a and of b are both below this (counted)")
        ->default_val(0.0)
        ->check(CLI::Range(0.0, 1.0));

    AlignArguments align_args;
    CLI::App* align_cmd = app.add_subcommand(
        "align", "per-unit relations of A and B (co-terminous, nested, built from, split) and layer scores");
    align_cmd->add_option("A", align_args.a, "first layer")->required();
    align_cmd->add_option("B", align_args.b, "second layer")->required();
    align_cmd->add_option("-o,--output", align_args.output, "per-unit report (CSV)")->required();
    add_scoring_options(align_cmd, align_args.scoring);
    add_population_options(align_cmd, align_args.pop);

    BestFitArguments fit_args;
    CLI::App* fit_cmd = app.add_subcommand("bestfit", "assign each unit of CHILD to exactly one unit of PARENT");
    fit_cmd->add_option("CHILD", fit_args.child, "the smaller units")->required();
    fit_cmd->add_option("PARENT", fit_args.parent, "the larger units")->required();
    fit_cmd->add_option("-o,--output", fit_args.output, "lookup CSV: child_code,parent_code,method,share,ambiguous,note")
        ->required();
    fit_cmd->add_option("--method", fit_args.method,
                        "area (largest intersection), centroid (point on surface) or population")
        ->default_val("area")
        ->check(CLI::IsMember({"area", "centroid", "population"}));
    fit_cmd->add_option("--ambiguous-below", fit_args.ambiguous_below,
                        "flag a best fit whose winner holds less than this share")
        ->default_val(0.9)
        ->check(CLI::Range(0.0, 1.0));
    add_population_options(fit_cmd, fit_args.pop);

    MatrixArguments matrix_args;
    CLI::App* matrix_cmd = app.add_subcommand("matrix", "every pair of layers scored both ways");
    matrix_cmd->add_option("LAYER", matrix_args.layers, "two or more layers")->required()->expected(2, -1);
    matrix_cmd->add_option("-o,--output", matrix_args.output, "matrix CSV, one row per ordered pair")->required();
    add_scoring_options(matrix_cmd, matrix_args.scoring);
    add_population_options(matrix_cmd, matrix_args.pop);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? ok : usage;
    }
    if (info->parsed()) return run_info(info_layers, info_points, globals);
    if (align_cmd->parsed()) return run_align(align_args, globals);
    if (fit_cmd->parsed()) return run_best_fit(fit_args, globals);
    if (matrix_cmd->parsed()) return run_matrix(matrix_args, globals);
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
