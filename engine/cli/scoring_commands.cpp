// align, bestfit and matrix: co-terminosity.
#include "common.hpp"

#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "placedef/scoring.hpp"
#include "placedef/text.hpp"

#include <cmath>
#include <iomanip>
#include <iostream>
#include <limits>
#include <memory>
#include <sstream>

namespace placedef::cli {
namespace {

struct ScoringArguments {
    ScoringOptions options;
    bool no_alignment = false;
};

void add_scoring_options(CLI::App* command, ScoringArguments& args) {
    add_real(command, "--tolerance", args.options.tolerance, "share treated as \"all\" (nested, co-terminous)", 0.5, 1.0)
        ->default_val(0.995);
    add_real(command, "--distance", args.options.distance, "metres treated as the same line (boundary alignment)", 0.0)
        ->default_val(20.0);
    add_real(command, "--min-piece", args.options.min_share, "share from which a piece counts in a unit's fragmentation",
             0.0, 0.5)
        ->default_val(0.01);
    command->add_flag("--no-alignment", args.no_alignment, "skip boundary alignment (areas only)");
}

struct AlignArguments {
    std::string a, b, output;
    ScoringArguments scoring;
    PopulationArguments pop;
    bool readable = false;
};

int run_align(const AlignArguments& args, const Globals& globals) {
    Reporter reporter(globals);
    Session session(globals);
    AlignRequest request;
    request.a = args.a;
    request.b = args.b;
    request.population = args.pop.input();
    request.scoring = args.scoring.options;
    request.alignment = !args.scoring.no_alignment;
    request.outputs = session.outputs({args.output}, args.readable);
    const AlignResult result = run_align(request, session.settings(), reporter.sink());
    std::ostream& out = session.summary();
    out << describe(result.report.a_in_b) << describe(result.report.b_in_a);
    out << "tolerance " << args.scoring.options.tolerance << ", distance " << args.scoring.options.distance
              << " m, pieces from " << args.scoring.options.min_share << "; per-unit report -> " << args.output << '\n';
    reporter.finish();
    return ok;
}

struct BestFitArguments {
    std::string child, parent, output, method = "area";
    double ambiguous_below = 0.9;
    PopulationArguments pop;
    bool readable = false;
};

int run_best_fit(const BestFitArguments& args, const Globals& globals) {
    Reporter reporter(globals);
    Session session(globals);
    BestFitRequest request;
    request.child = args.child;
    request.parent = args.parent;
    request.options.method = best_fit_method_from_string(args.method);
    request.options.ambiguous_below = args.ambiguous_below;
    if (request.options.method == BestFitMethod::population && args.pop.layer.empty())
        throw invalid_input("--method population needs --pop LAYER --pop-table FILE --pop-column COLUMN");
    request.population = args.pop.input();
    request.outputs = session.outputs({args.output}, args.readable);
    const BestFitResult result = run_best_fit(request, session.settings(), reporter.sink());
    std::ostream& out = session.summary();
    out << result.child->name << " -> " << result.parent->name << " by " << to_string(request.options.method)
              << ": " << result.rows.size() << " children, " << result.ambiguous << " ambiguous (winner under "
              << request.options.ambiguous_below << "), " << result.orphans << " with no parent";
    if (result.fallbacks) out << ", " << result.fallbacks << " by area (no population)";
    out << " -> " << args.output << '\n';
    reporter.finish();
    return ok;
}

int run_crosswalk(const AlignArguments& args, const Globals& globals) {
    Reporter reporter(globals);
    Session session(globals);
    CrosswalkRequest request;
    request.a = args.a;
    request.b = args.b;
    request.population = args.pop.input();
    request.scoring = args.scoring.options;
    request.outputs = session.outputs({args.output}, args.readable);
    const CrosswalkResult result = run_crosswalk(request, session.settings(), reporter.sink());
    std::ostream& out = session.summary();
    for (const LayerScore* score : {&result.report.a_in_b, &result.report.b_in_a}) {
        std::size_t whole = 0, split = 0, outside = 0;
        for (const CrosswalkUnit& unit : result.units) {
            if (unit.layer != score->layer || unit.other_layer != score->other) continue;
            whole += unit.status == CrosswalkStatus::whole;
            split += unit.status == CrosswalkStatus::split;
            outside += unit.status == CrosswalkStatus::outside;
        }
        out << score->layer << " in " << score->other << ": " << whole << " whole, " << split << " split";
        if (outside) out << ", " << outside << " outside";
        out << " (by " << (request.population.given() ? "people" : "area") << ")\n";
    }
    out << "crosswalk -> " << args.output << '\n';
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
    Session session(globals);
    MatrixRequest request;
    for (const std::string& layer : args.layers) request.layers.emplace_back(layer);
    request.population = args.pop.input();
    request.scoring = args.scoring.options;
    request.alignment = !args.scoring.no_alignment;
    request.outputs = session.outputs({args.output});
    const Matrix matrix = run_matrix(request, session.settings(), reporter.sink());
    session.finish_progress();
    session.summary() << describe(matrix);
    reporter.finish();
    return ok;
}

struct CompareArguments {
    std::vector<std::string> proposals, partners, outputs;
    std::string blocks, key, place_column = "area", block_column;
    std::string imd, imd_table, imd_key, imd_column, imd_decile;
    double min_pop = 0, max_pop = std::numeric_limits<double>::infinity();
    ScoringArguments scoring;
    PopulationArguments pop;
    MapPageArguments page;
    bool readable = false;
};

std::string three_places(double value) {
    std::ostringstream text;
    text << std::fixed << std::setprecision(3) << value;
    return text.str();
}

/// "NAME=ADDRESS" names a proposal; a CSV is a lookup, anything else a layer.
ProposalInput proposal_of(const std::string& text) {
    ProposalInput proposal;
    std::string address = text;
    const auto equals = text.find('=');
    if (equals != std::string::npos && text.find_first_of("/.", 0) > equals) {
        proposal.name = text.substr(0, equals);
        address = text.substr(equals + 1);
        if (proposal.name.empty() || address.empty()) throw invalid_input("proposal '" + text + "' is not [NAME=]LAYER or [NAME=]LOOKUP.csv");
    }
    if (is_csv_path(address)) proposal.lookup = address;
    else proposal.layer = LayerInput(address);
    return proposal;
}

int run_compare(const CompareArguments& args, const Globals& globals) {
    CompareRequest request;
    request.map = args.page.options();
    Reporter reporter(globals);
    Session session(globals);
    for (const std::string& text : args.proposals) request.proposals.push_back(proposal_of(text));
    for (const std::string& partner : args.partners) request.partners.emplace_back(partner);
    request.blocks = args.blocks;
    request.population = args.pop.input();
    request.key = args.key;
    request.place_column = args.place_column;
    request.block_column = args.block_column;
    if (!args.imd.empty()) {
        if (args.imd_table.empty() || args.imd_column.empty())
            throw invalid_input("--imd needs --imd-table FILE and --imd-column COLUMN");
        request.deprivation = {LayerInput(args.imd), args.imd_table, args.imd_key, args.imd_column, args.imd_decile};
    }
    request.min_population = args.min_pop;
    request.max_population = args.max_pop;
    request.scoring = args.scoring.options;
    request.alignment = !args.scoring.no_alignment;
    request.outputs = session.outputs(args.outputs, args.readable);
    const CompareResult result = run_compare(request, session.settings(), reporter.sink());
    session.finish_progress();

    std::ostream& out = session.summary();
    for (const ProposalScore& proposal : result.proposals) {
        const PopulationBalance& b = proposal.balance;
        out << proposal.name << ": " << b.places << (b.places == 1 ? " place" : " places") << ", people "
            << readable_number(std::round(b.min)) << " to " << readable_number(std::round(b.max)) << " (CV "
            << three_places(b.cv) << ")";
        if (b.target) out << (b.within_target() ? ", within the target" : ", " + std::to_string(b.below + b.above) + " outside the target");
        if (!std::isnan(proposal.deprived_min))
            out << "; deciles 1-2 " << percent_text(proposal.deprived_min) << " to " << percent_text(proposal.deprived_max);
        out << '\n';
        for (const ProposalFit& fit : proposal.fits)
            out << "  " << fit.partner << ": " << fit.split_units << " of " << fit.report.b_in_a.scored << " units split ("
                << readable_number(std::round(fit.people_in_split_units)) << " people, "
                << readable_number(std::round(fit.people_outside_main)) << " outside their unit's main place); units in places "
                << three_places(fit.report.b_in_a.coterminosity_index) << ", places in units "
                << three_places(fit.report.a_in_b.coterminosity_index) << '\n';
    }
    std::size_t moved_blocks = 0;
    double moved_people = 0;
    for (const PlaceMove& move : result.moves) {
        moved_blocks += move.blocks.size();
        moved_people += move.people;
    }
    if (result.proposals.size() > 1)
        out << "between the proposals: " << moved_blocks << " blocks (" << readable_number(std::round(moved_people))
            << " people) change place; " << result.partner_changes.size() << " partner units sit differently\n";
    for (const std::string& path : args.outputs)  // a map is a figure per partner, each in a file of its own
        for (const std::string& written : is_map_path(path) ? compare_map_paths(path, result.partners) : std::vector<std::string>{path})
            out << "-> " << written << '\n';
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
    add_readable_option(align_cmd, align_args->readable);

    auto crosswalk_args = std::make_shared<AlignArguments>();
    CLI::App* crosswalk_cmd = app.add_subcommand(
        "crosswalk", "per unit of A and of B, the units of the other it falls in, with people and shares; whole or split");
    crosswalk_cmd->add_option("A", crosswalk_args->a, "first layer")->required();
    crosswalk_cmd->add_option("B", crosswalk_args->b, "second layer")->required();
    crosswalk_cmd->add_option("-o,--output", crosswalk_args->output, "crosswalk CSV, both ways")->required();
    add_real(crosswalk_cmd, "--tolerance", crosswalk_args->scoring.options.tolerance,
             "share treated as \"all\" (whole)", 0.5, 1.0)
        ->default_val(0.995);
    add_real(crosswalk_cmd, "--min-piece", crosswalk_args->scoring.options.min_share,
             "share from which a part is listed (smaller ones are counted)", 0.0, 0.5)
        ->default_val(0.01);
    add_population_options(crosswalk_cmd, crosswalk_args->pop);
    add_readable_option(crosswalk_cmd, crosswalk_args->readable);

    auto fit_args = std::make_shared<BestFitArguments>();
    CLI::App* fit_cmd = app.add_subcommand("bestfit", "assign each unit of CHILD to exactly one unit of PARENT");
    fit_cmd->add_option("CHILD", fit_args->child, "the smaller units")->required();
    fit_cmd->add_option("PARENT", fit_args->parent, "the larger units")->required();
    fit_cmd->add_option("-o,--output", fit_args->output, "lookup CSV: child_code,child_name,parent_code,parent_name,method,share,ambiguous,note")
        ->required();
    fit_cmd->add_option("--method", fit_args->method,
                        "area (largest intersection), centroid (point on surface) or population")
        ->default_val("area")
        ->check(CLI::IsMember({"area", "centroid", "population"}));
    add_real(fit_cmd, "--ambiguous-below", fit_args->ambiguous_below,
             "flag a best fit whose winner holds less than this share", 0.0, 1.0)
        ->default_val(0.9);
    add_population_options(fit_cmd, fit_args->pop);
    add_readable_option(fit_cmd, fit_args->readable);

    auto matrix_args = std::make_shared<MatrixArguments>();
    CLI::App* matrix_cmd = app.add_subcommand("matrix", "every pair of layers scored both ways");
    matrix_cmd->add_option("LAYER", matrix_args->layers, "two or more layers")->required()->expected(2, -1);
    matrix_cmd->add_option("-o,--output", matrix_args->output, "matrix CSV, one row per ordered pair")->required();
    add_scoring_options(matrix_cmd, matrix_args->scoring);
    add_population_options(matrix_cmd, matrix_args->pop);
    auto compare_args = std::make_shared<CompareArguments>();
    CLI::App* compare_cmd = app.add_subcommand(
        "compare", "proposals side by side: each against the partners' layers, their balance, deprivation, shapes and changes");
    compare_cmd->add_option("PROPOSAL", compare_args->proposals,
                            "[NAME=]LAYER of places, or [NAME=]LOOKUP.csv of blocks and places")
        ->required()
        ->expected(1, -1);
    compare_cmd->add_option("--blocks", compare_args->blocks, "the blocks places are made of (e.g. LSOAs)")->required();
    compare_cmd->add_option("--partner", compare_args->partners, "a partner's layer to score against; repeat for several")
        ->required();
    compare_cmd->add_option("-o,--output", compare_args->outputs,
                            "scorecard .csv (with its companion tables), .gpkg (a layer per proposal, the differences), or "
                            ".png, .svg, .pdf (a panel per proposal, a figure per partner); repeat")
        ->required();
    add_population_options(compare_cmd, compare_args->pop);
    compare_cmd->add_option("--key", compare_args->key, "lookups: the key column (default: the one matching the blocks)");
    compare_cmd->add_option("--place-column", compare_args->place_column, "lookups: the place column (a \"name\" column names them)")
        ->default_val("area");
    compare_cmd->add_option("--block-column", compare_args->block_column,
                            "lookups: the blocks' attribute the keys match (e.g. a district code; default: the block codes)");
    compare_cmd->add_option("--imd", compare_args->imd, "deprivation units (e.g. LSOA 2011 polygons)");
    compare_cmd->add_option("--imd-table", compare_args->imd_table, "CSV of deprivation per unit");
    compare_cmd->add_option("--imd-column", compare_args->imd_column, "its rank (1 = most deprived) or score column");
    compare_cmd->add_option("--imd-key", compare_args->imd_key, "its code column (default: the one matching the units)");
    compare_cmd->add_option("--imd-decile", compare_args->imd_decile,
                            "its national decile column (default: the rank's, IMD_decile beside IMD_rank)");
    add_real(compare_cmd, "--min-pop", compare_args->min_pop, "target: the fewest people a place should have", 0.0);
    add_real(compare_cmd, "--max-pop", compare_args->max_pop, "target: the most people a place should have", 0.0,
             std::numeric_limits<double>::max(), true);
    add_scoring_options(compare_cmd, compare_args->scoring);
    add_readable_option(compare_cmd, compare_args->readable);
    add_map_page_options(compare_cmd, compare_args->page, "figure");
    return {
        {align_cmd, [align_args, &globals] { return run_align(*align_args, globals); }},
        {crosswalk_cmd, [crosswalk_args, &globals] { return run_crosswalk(*crosswalk_args, globals); }},
        {fit_cmd, [fit_args, &globals] { return run_best_fit(*fit_args, globals); }},
        {matrix_cmd, [matrix_args, &globals] { return run_matrix(*matrix_args, globals); }},
        {compare_cmd, [compare_args, &globals] { return run_compare(*compare_args, globals); }},
    };
}

}  // namespace placedef::cli
