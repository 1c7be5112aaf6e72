// align, bestfit and matrix: co-terminosity.
#include "common.hpp"

#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "placedef/scoring.hpp"

#include <iostream>
#include <memory>

namespace placedef::cli {
namespace {

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

}  // namespace

std::vector<Command> add_scoring_commands(CLI::App& app, const Globals& globals) {
    auto align_args = std::make_shared<AlignArguments>();
    CLI::App* align_cmd = app.add_subcommand(
        "align", "per-unit relations of A and B (co-terminous, nested, built from, split) and layer scores");
    align_cmd->add_option("A", align_args->a, "first layer")->required();
    align_cmd->add_option("B", align_args->b, "second layer")->required();
    align_cmd->add_option("-o,--output", align_args->output, "per-unit report (CSV)")->required();
    add_scoring_options(align_cmd, align_args->scoring);
    add_population_options(align_cmd, align_args->pop);

    auto fit_args = std::make_shared<BestFitArguments>();
    CLI::App* fit_cmd = app.add_subcommand("bestfit", "assign each unit of CHILD to exactly one unit of PARENT");
    fit_cmd->add_option("CHILD", fit_args->child, "the smaller units")->required();
    fit_cmd->add_option("PARENT", fit_args->parent, "the larger units")->required();
    fit_cmd->add_option("-o,--output", fit_args->output, "lookup CSV: child_code,parent_code,method,share,ambiguous,note")
        ->required();
    fit_cmd->add_option("--method", fit_args->method,
                        "area (largest intersection), centroid (point on surface) or population")
        ->default_val("area")
        ->check(CLI::IsMember({"area", "centroid", "population"}));
    fit_cmd->add_option("--ambiguous-below", fit_args->ambiguous_below,
                        "flag a best fit whose winner holds less than this share")
        ->default_val(0.9)
        ->check(CLI::Range(0.0, 1.0));
    add_population_options(fit_cmd, fit_args->pop);

    auto matrix_args = std::make_shared<MatrixArguments>();
    CLI::App* matrix_cmd = app.add_subcommand("matrix", "every pair of layers scored both ways");
    matrix_cmd->add_option("LAYER", matrix_args->layers, "two or more layers")->required()->expected(2, -1);
    matrix_cmd->add_option("-o,--output", matrix_args->output, "matrix CSV, one row per ordered pair")->required();
    add_scoring_options(matrix_cmd, matrix_args->scoring);
    add_population_options(matrix_cmd, matrix_args->pop);
    return {
        {align_cmd, [align_args, &globals] { return run_align(*align_args, globals); }},
        {fit_cmd, [fit_args, &globals] { return run_best_fit(*fit_args, globals); }},
        {matrix_cmd, [matrix_args, &globals] { return run_matrix(*matrix_args, globals); }},
    };
}

}  // namespace placedef::cli
