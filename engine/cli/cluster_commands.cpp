// footprints: town footprints by spatially constrained clustering; flows:
// functional areas (travel-to-work areas) from commuting flows.
#include "common.hpp"

#include "placedef/clustering.hpp"
#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "placedef/render.hpp"
#include "placedef/scoring.hpp"
#include "placedef/text.hpp"

#include <cmath>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

namespace placedef::cli {
namespace {

struct FootprintArguments {
    std::string blocks, method = "skater", adjacency = "rook", linkage = "average", search = "annealing";
    std::string seeds, seeds_crs, nest_in, within, clip;
    std::vector<std::string> clip_codes;
    std::vector<std::string> attributes, score_layers, outputs;
    std::size_t k = 0, tries = 100, restarts = 10;
    double mean_pop = 0, min_pop = 0, max_pop = std::numeric_limits<double>::infinity(), snap = 5.0, min_shared = 10.0;
    double rural_distance = std::numeric_limits<double>::infinity();
    double balance = std::numeric_limits<double>::quiet_NaN();  ///< NaN: not given (the method's default)
    std::size_t rural_footprints = 0;
    std::uint64_t seed = 1;
    bool join_islands = false, refine = false;
    PopulationArguments pop;
    // ensemble
    std::size_t ensemble = 0;
    std::vector<std::string> ensemble_methods;
    std::vector<std::string> respect, align;  // LAYER[*WEIGHT]
};

/// The ensemble's lines of the summary: the consensus run and the unstable blocks.
std::string describe_ensemble(const EnsembleResult& e, const FootprintsResult& footprints) {
    const std::size_t blocks = e.stability.size();
    std::string methods;
    for (ClusterMethod m : e.methods)
        if (methods.find(to_string(m)) == std::string::npos) methods += (methods.empty() ? "" : ", ") + std::string(to_string(m));
    std::ostringstream out;
    out << std::fixed << std::setprecision(3);
    out << "ensemble of " << e.runs << " runs (" << methods << "): consensus is run " << e.consensus_run + 1
        << " (" << to_string(e.methods[e.consensus_run]) << ", " << e.regions[e.consensus_run]
        << " footprints), mean ARI " << e.mean_ari[e.consensus_run] << " with the others\n";
    out << std::setprecision(1) << "unstable blocks (stability below " << unstable_stability << "): " << e.unstable_blocks
        << " of " << blocks << " (" << 100.0 * static_cast<double>(e.unstable_blocks) / static_cast<double>(blocks) << " %)";
    if (!footprints.population.empty()) {
        double total = 0;
        for (double p : footprints.population) total += p;
        out << ", " << readable_number(std::round(e.unstable_population)) << " people ("
            << (total > 0 ? 100.0 * e.unstable_population / total : 0.0) << " %)";
    }
    std::size_t always = 0, sometimes = 0;
    for (const BoundaryFrequency& edge : e.boundaries) {
        if (edge.frequency == 1.0) ++always;
        else if (edge.frequency > 0) ++sometimes;
    }
    out << "; edges that are a boundary in every run " << always << ", in some runs " << sometimes << '\n';
    return out.str();
}

/// How the footprints sit against the layers they respect or align with.
std::string describe_partners(const FootprintResult& result) {
    std::ostringstream out;
    for (const PartnerFit& fit : result.respect_fit)
        out << "respecting " << fit.layer << " (weight " << readable_number(fit.weight) << "): " << describe_respect(fit) << '\n';
    for (const PartnerFit& fit : result.align_fit)
        out << "aligned with " << fit.layer << " (weight " << readable_number(fit.weight) << "): "
            << describe_align(fit, ScoringOptions{}.tolerance) << '\n';
    return out.str();
}

int run_footprints(const FootprintArguments& args, const Globals& globals) {
    Reporter reporter(globals);
    Session session(globals);
    FootprintRequest request;
    request.cluster.method = cluster_method_from_string(args.method);
    request.cluster.seed = args.seed;
    request.cluster.threads = globals.threads;
    request.cluster.linkage = linkage_from_string(args.linkage);
    request.cluster.search =
        local_search_from_string(args.search);
    request.cluster.refine = args.refine;
    request.cluster.construction_tries = args.tries;
    request.cluster.restarts = args.restarts;
    request.cluster.rural_distance = args.rural_distance;
    if (!std::isnan(args.balance)) request.cluster.balance = args.balance;
    request.cluster.rural_footprints = args.rural_footprints;
    request.contiguity.adjacency = adjacency_from_string(args.adjacency);
    request.contiguity.snap = args.snap;
    request.contiguity.min_shared_length = args.min_shared;
    request.contiguity.islands = args.join_islands ? IslandPolicy::join_nearest : IslandPolicy::report;
    request.contiguity.threads = globals.threads;
    request.k = args.k;
    request.mean_population = args.mean_pop;
    request.min_population = args.min_pop;
    request.max_population = args.max_pop;
    request.ensemble.runs = args.ensemble;
    for (const std::string& method : args.ensemble_methods) request.ensemble.methods.push_back(cluster_method_from_string(method));
    if (!request.ensemble.methods.empty() && args.ensemble == 0) throw invalid_input("--ensemble-methods needs --ensemble N");
    if (!args.nest_in.empty() && !args.within.empty()) throw invalid_input("give --nest-in or --within, not both");
    FootprintsRequest job;
    job.blocks = args.blocks;
    if (!args.clip.empty()) job.clip = args.clip;
    job.clip_codes = args.clip_codes;
    job.population = args.pop.input();
    for (const std::string& spec : args.attributes) job.attributes.push_back(parse_attribute(spec));
    job.towns = args.seeds;
    job.towns_crs = args.seeds_crs;
    if (!args.nest_in.empty() || !args.within.empty()) {
        job.nest = args.nest_in.empty() ? args.within : args.nest_in;
        request.nesting = args.nest_in.empty() ? Nesting::within_units : Nesting::whole_units;
    }
    for (const std::string& layer : args.score_layers) job.score_against.emplace_back(layer);
    for (const std::string& text : args.respect) job.respect.push_back(parse_partner(text, "--respect"));
    for (const std::string& text : args.align) job.align.push_back(parse_partner(text, "--align"));
    job.options = std::move(request);
    job.outputs = session.outputs(args.outputs);
    const FootprintsResult footprints = run_footprints(job, session.settings(), reporter.sink());
    session.finish_progress();
    const FootprintResult& result = footprints.result;
    const Layer& blocks = *footprints.blocks;
    const PartitionMetrics& m = result.metrics;
    std::ostringstream out;
    out << std::fixed << std::setprecision(3);
    out << m.footprints.size() << " footprints by " << to_string(job.options.cluster.method) << " (seed " << args.seed << ") from "
        << blocks.size() << " blocks (" << result.graph.edge_count() << ' ' << to_string(job.options.contiguity.adjacency)
        << " edges";
    if (!result.graph.joined.empty()) out << ", " << result.graph.joined.size() << " links joining islands";
    out << "); WSS/TSS " << result.partition.ratio() << '\n';
    // Without a population each block counts 1: the metrics' "population" is then a block count.
    const bool people = !footprints.population.empty();
    if (people)
        out << "population per footprint " << readable_number(std::round(m.min_population)) << " to "
            << readable_number(std::round(m.max_population));
    else
        out << "blocks per footprint " << readable_number(std::round(m.min_population)) << " to " << readable_number(std::round(m.max_population))
            << " (no population given)";
    out << "; footprints in more than one part: " << m.non_contiguous << '\n';
    for (const FootprintMetrics& f : m.footprints) {
        out << "  " << std::setw(3) << f.region + 1 << ' ' << std::left << std::setw(22) << f.name.substr(0, 22) << std::right
            << std::setw(5) << f.blocks << " blocks ";
        if (people) out << std::setw(9) << readable_number(std::round(f.population)) << " people ";
        out << " PP " << f.polsby_popper << " hull " << f.hull_ratio << (f.parts > 1 ? " (parts!)" : "");
        for (const PartnerFit& fit : result.respect_fit) {
            const auto r = static_cast<std::size_t>(f.region);
            const double inside_layer = fit.footprint_people[r];
            out << " across " << percent_text(inside_layer > 0 ? fit.footprint_outside[r] / inside_layer : 0.0);
        }
        out << '\n';
    }
    if (result.ensemble.runs > 0) out << describe_ensemble(result.ensemble, footprints);
    for (const std::string& note : result.notes) out << "note: " << note << '\n';
    out << describe_partners(result);
    for (const auto& [name, report] : footprints.scores) out << describe(report.a_in_b) << describe(report.b_in_a);
    session.summary() << out.str();
    reporter.finish();
    return ok;
}

}  // namespace

struct FlowsArguments {
    std::string units, table, residence, workplace, count, rules = "ttwa2011", adjacency = "queen", agree_with, regrouping;
    /// NaN: as the rules say.
    double min_size = std::nan(""), target_size = std::nan(""), min_containment = std::nan(""), target_containment = std::nan("");
    double snap = 5.0, min_shared = 10.0;
    std::vector<std::string> outputs, score_layers;
    bool readable = false;
};

int run_flows(const FlowsArguments& args, const Globals& globals) {
    FlowsRequest request;
    // A usage mistake, found before any layer is read.
    request.rules = FunctionalAreaRules::preset(args.rules, args.min_size, args.target_size, args.min_containment,
                                                args.target_containment, args.regrouping);
    const bool changed = !std::isnan(args.min_size) || !std::isnan(args.target_size) || !std::isnan(args.min_containment) ||
                         !std::isnan(args.target_containment) || !args.regrouping.empty();
    Reporter reporter(globals);
    Session session(globals);
    request.units = args.units;
    request.table = args.table;
    request.residence_column = args.residence;
    request.workplace_column = args.workplace;
    request.count_column = args.count;
    request.contiguity.adjacency = adjacency_from_string(args.adjacency);
    request.contiguity.snap = args.snap;
    request.contiguity.min_shared_length = args.min_shared;
    for (const std::string& layer : args.score_layers) request.score_against.emplace_back(layer);
    request.agree_with = args.agree_with;
    request.outputs = session.outputs(args.outputs, args.readable);
    const FlowsResult result = run_flows(request, session.settings(), reporter.sink());
    session.finish_progress();
    const FunctionalAreas& p = result.partition;
    std::ostream& out = session.summary();
    out << p.areas.size() << " functional areas of " << result.units->size() << " units from " << result.flows << " flows ("
        << readable_number(result.commuters) << " people in work); " << p.invalid() << " short of the rule ("
        << args.rules << (changed ? ", changed" : "")
        << "); " << p.reserve.size() << " units placed from the reserve, " << p.without_flows.size()
        << " without flows; " << result.island_links.size() << " islands linked to where their people work\n";
    if (result.working_outside > 0 || result.coming_in > 0)
        out << "across the edge of the units: " << readable_number(result.working_outside) << " of their residents work outside them and "
            << readable_number(result.coming_in) << " of their jobs are filled from outside (counted in self-containment)\n";
    for (const auto& [name, report] : result.scores) out << describe(report.a_in_b) << describe(report.b_in_a);
    if (const std::optional<PartitionAgreement>& a = result.agreement)
        out << "agreement with " << args.agree_with << " over " << a->units << " units: adjusted Rand index "
            << grouped_number(a->adjusted_rand, 3) << "; " << a->matched_areas << " of our " << a->areas_a
            << " areas match one of its " << a->areas_b << " (" << a->identical_areas << " with the same units), and "
            << a->units_matched << " units (" << percent_text(static_cast<double>(a->units_matched) / static_cast<double>(a->units))
            << ") lie in matching areas\n";
    for (const std::string& path : args.outputs) {
        out << "-> " << path << '\n';
        if (is_csv_path(path)) out << "-> " << flows_membership_path(path) << '\n';
    }
    reporter.finish();
    return ok;
}

std::vector<Command> add_cluster_commands(CLI::App& app, const Globals& globals) {
    auto args = std::make_shared<FootprintArguments>();
    CLI::App* cmd = app.add_subcommand("footprints", "town footprints: contiguous groups of blocks (skater, redcap, maxp, azp, seeded)");
    cmd->add_option("BLOCKS", args->blocks, "building blocks (e.g. LSOAs)")->required();
    cmd->add_option("--method", args->method, "skater, redcap, maxp, azp or seeded")->default_val("skater");
    cmd->add_option("--clip", args->clip, "keep the blocks whose point on surface lies in this layer's units");
    cmd->add_option("--clip-codes", args->clip_codes, "only these units of the clip layer (comma-separated)")->delimiter(',');
    add_whole(cmd, "-k,--k", args->k, "number of footprints (0: not given; --min-pop decides)");
    add_real(cmd, "--mean-pop", args->mean_pop,
             "instead of --k: mean people per footprint, so k = total people / this (carries to another county)", 0.0,
             std::numeric_limits<double>::max(), true);
    add_real(cmd, "--min-pop", args->min_pop, "population floor per footprint (every method holds it)", 0.0);
    add_real(cmd, "--max-pop", args->max_pop, "population ceiling per footprint (every method holds it)", 0.0, std::numeric_limits<double>::max(), true);
    cmd->add_option("--attr", args->attributes, "attribute TABLE:COLUMN[*WEIGHT], density, position or boundary; repeat for several");
    add_population_options(cmd, args->pop);
    cmd->add_option("--seeds", args->seeds, "seeded: CSV of town centres (name, lon/lat or x/y)");
    cmd->add_option("--seeds-crs", args->seeds_crs, "CRS of the town coordinates (default EPSG:4326 for lon/lat, else the study CRS)");
    add_real(cmd, "--rural-distance", args->rural_distance, "seeded: metres along the graph beyond which blocks are rural", 0.0);
    add_whole(cmd, "--rural", args->rural_footprints, "seeded: at most this many rural footprints in all (the most populous)");
    add_real(cmd, "--balance", args->balance,
             "seeded: 0 nearest town, higher more even (not given: 0.5); others, with --k: each footprint within "
             "1/(2 x balance) of the mean (not given: none)",
             0.0, 4.0);
    cmd->add_option("--nest-in", args->nest_in, "footprints made of whole units of this layer (e.g. divisions)");
    cmd->add_option("--within", args->within, "footprints never cross this layer's boundaries (e.g. districts)");
    cmd->add_option("--respect", args->respect,
                    "soft boundary LAYER[*WEIGHT]: people across its lines cost (weight 1: 1 % of people = 0.01 of WSS/TSS)");
    cmd->add_option("--align", args->align, "LAYER[*WEIGHT]: keep its units (e.g. divisions) whole in footprints; repeatable");
    cmd->add_option("--adjacency", args->adjacency,
                    "rook (blocks sharing a stretch of boundary; one polygon per footprint) or queen (corners too)")
        ->default_val("rook");
    add_real(cmd, "--snap", args->snap, "metres within which boundaries touch", 0.0)->default_val(5.0);
    add_real(cmd, "--min-shared", args->min_shared, "rook: metres of shared boundary", 0.0)->default_val(10.0);
    cmd->add_flag("--join-islands", args->join_islands, "link separate groups of blocks to their nearest block");
    cmd->add_option("--linkage", args->linkage, "redcap: single, average or complete")->default_val("average");
    cmd->add_option("--search", args->search, "azp: greedy, tabu or annealing")->default_val("annealing");
    cmd->add_flag("--refine", args->refine, "refine the result by AZP local search");
    add_whole(cmd, "--tries", args->tries, "maxp: constructions tried")->default_val(100);
    add_whole(cmd, "--restarts", args->restarts, "azp: random starts")->default_val(10);
    add_whole(cmd, "--seed", args->seed, "random seed: the same seed gives the same footprints")->default_val(1);
    add_whole(cmd, "--ensemble", args->ensemble,
              "run N seeds, keep the consensus and measure each block's stability");
    cmd->add_option("--ensemble-methods", args->ensemble_methods, "ensemble: methods taken in turn (e.g. azp,maxp,redcap)")
        ->delimiter(',');
    cmd->add_option("--score", args->score_layers, "co-terminosity of the footprints with this layer; repeat for several");
    cmd->add_option("-o,--output", args->outputs, "footprints.gpkg (footprints, membership) or .csv; repeat for several");

    auto flows_args = std::make_shared<FlowsArguments>();
    CLI::App* flows = app.add_subcommand(
        "flows", "functional areas (travel-to-work areas) from commuting flows, contiguous by construction");
    flows->add_option("UNITS", flows_args->units, "the units the flows run between (e.g. MSOAs, municipalities)")->required();
    flows->add_option("--flows", flows_args->table, "CSV of commuting flows: residence, workplace, count")->required();
    flows->add_option("--residence", flows_args->residence, "its residence code column (default: the first)");
    flows->add_option("--workplace", flows_args->workplace, "its workplace code column (default: the second)");
    flows->add_option("--count", flows_args->count, "its count column (default: the third)");
    flows->add_option("--rules", flows_args->rules,
                      "ttwa2011 (3,500 to 25,000 workers, 75 % to 66.7 % self-contained) or istat (1,000 to 10,000)")
        ->default_val("ttwa2011")
        ->check(CLI::IsMember({"ttwa2011", "istat"}));
    add_real(flows, "--min-size", flows_args->min_size,
             "fewest residents in work an area may have (default: the rules')", 0.0, 1e12, true);
    add_real(flows, "--target-size", flows_args->target_size,
             "residents in work from which the minimum self-containment is enough", 0.0, 1e12, true);
    add_real(flows, "--min-containment", flows_args->min_containment,
             "self-containment enough for an area of the target size", 0.0, 1.0, true);
    add_real(flows, "--target-containment", flows_args->target_containment,
             "self-containment an area of the minimum size needs", 0.0, 1.0, true);
    flows->add_option("--regrouping", flows_args->regrouping,
                      "whole_area (the least valid area dissolved whole, as ONS) or one_unit (one unit leaves it at a "
                      "time, as Istat); default: the rules'")
        ->check(CLI::IsMember({"whole_area", "one_unit"}));
    flows->add_option("--adjacency", flows_args->adjacency, "queen (units meeting at a point touch) or rook")->default_val("queen");
    add_real(flows, "--snap", flows_args->snap, "metres within which boundaries touch", 0.0)->default_val(5.0);
    add_real(flows, "--min-shared", flows_args->min_shared, "rook: metres of shared boundary", 0.0)->default_val(10.0);
    flows->add_option("--score", flows_args->score_layers, "co-terminosity of the areas with this layer; repeat for several");
    flows->add_option("--agree-with", flows_args->agree_with,
                      "CSV of unit code and area (another tool's areas): how far the partitions agree");
    add_readable_option(flows, flows_args->readable);
    flows->add_option("-o,--output", flows_args->outputs,
                      "areas.csv (with areas_membership.csv), .gpkg (areas, membership), or a map .png/.svg/.pdf; repeat")
        ->required();
    return {{cmd, [args, &globals] { return run_footprints(*args, globals); }},
            {flows, [flows_args, &globals] { return run_flows(*flows_args, globals); }}};
}

}  // namespace placedef::cli
