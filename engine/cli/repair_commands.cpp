// repair: moves blocks between footprints until a partner's units sit in them.
#include "common.hpp"

#include "placedef/clustering.hpp"
#include "placedef/error.hpp"
#include "placedef/text.hpp"

#include <cmath>
#include <memory>
#include <sstream>

namespace placedef::cli {
namespace {

struct RepairArguments {
    std::string footprints, partner, blocks, key, footprint_column = "footprint", moves, adjacency = "rook", seeds, seeds_crs;
    std::vector<std::string> outputs;
    double target = 0.95, min_pop = 0, max_pop = std::numeric_limits<double>::infinity(), snap = 5.0, min_shared = 10.0;
    bool whole_units = false;
    PopulationArguments pop;
};

int run_repair(const RepairArguments& args, const Globals& globals, bool target_given) {
    Reporter reporter(globals);
    Session session(globals);
    if (args.whole_units && target_given) throw invalid_input("give --target or --whole-units, not both");
    RepairRequest job;
    job.footprints = args.footprints;
    job.partner = args.partner;
    job.blocks = args.blocks;
    job.population = args.pop.input();
    job.key = args.key;
    job.footprint_column = args.footprint_column;
    job.contiguity.adjacency = adjacency_from_string(args.adjacency);
    job.contiguity.snap = args.snap;
    job.contiguity.min_shared_length = args.min_shared;
    job.min_population = args.min_pop;
    job.max_population = args.max_pop;
    job.options.target = args.target;
    job.options.whole_units = args.whole_units;
    job.towns = args.seeds;
    job.towns_crs = args.seeds_crs;
    job.moves = args.moves;
    job.outputs = session.outputs(args.outputs);
    const RepairJobResult repaired = run_repair(job, session.settings(), reporter.sink());
    session.finish_progress();

    const AlignmentRepair& repair = repaired.repair;
    const PartnerFit &before = repair.before, &after = repair.after;
    const std::vector<std::string>& names = repaired.result.partition.names;
    const double whole = ScoringOptions{}.tolerance;
    std::ostringstream out;
    out << "repair of " << names.size() << " footprints (" << repaired.blocks->size() << " blocks) against " << after.layer
        << ": " << after.units_with_people() << " units with people\n";
    out << "people in their unit's main footprint " << percent_text(before.units_in_footprints) << " -> "
        << percent_text(after.units_in_footprints)
        << (args.whole_units ? std::string(" (every unit whole)") : " (target " + percent_text(args.target) + ")")
        << "; units wholly in one footprint " << before.units_within_one(whole) << " -> " << after.units_within_one(whole)
        << '\n';
    out << repair.moves.size() << " moves of " << readable_number(std::round(repair.people_moved)) << " people"
        << (repair.moves.empty() ? "" : ":") << '\n';
    for (const RepairMove& move : repair.moves) {
        const Feature& block = repaired.blocks->features[move.block];
        out << "  " << block.code << (block.name.empty() ? "" : " " + block.name) << ": "
            << names[static_cast<std::size_t>(move.from)] << " -> " << names[static_cast<std::size_t>(move.to)] << ", "
            << readable_number(std::round(move.people)) << " people (" << percent_text(move.units_in_footprints) << ")\n";
    }
    session.summary() << out.str();
    reporter.finish();
    return ok;
}

}  // namespace

std::vector<Command> add_repair_commands(CLI::App& app, const Globals& globals) {
    auto args = std::make_shared<RepairArguments>();
    CLI::App* cmd = app.add_subcommand("repair", "move blocks between footprints until a partner's units sit in them");
    cmd->add_option("FOOTPRINTS", args->footprints,
                    "footprints: a polygon layer (each block in the one holding half its area or more) or a CSV of blocks")
        ->required();
    cmd->add_option("PARTNER", args->partner, "the layer whose units to bring into footprints (e.g. divisions)")->required();
    cmd->add_option("--blocks", args->blocks, "the blocks the footprints are made of (e.g. LSOAs)")->required();
    add_population_options(cmd, args->pop);
    CLI::Option* target =
        add_real(cmd, "--target", args->target, "share of the partner's people to bring into their unit's main footprint", 0.0, 1.0, true)
            ->default_val(0.95);
    cmd->add_flag("--whole-units", args->whole_units, "instead: every footprint a union of whole units");
    add_real(cmd, "--min-pop", args->min_pop, "population floor per footprint", 0.0);
    add_real(cmd, "--max-pop", args->max_pop, "population ceiling per footprint", 0.0, std::numeric_limits<double>::max(), true);
    cmd->add_option("--seeds", args->seeds, "CSV of town centres (as footprints): their blocks never move");
    cmd->add_option("--seeds-crs", args->seeds_crs, "CRS of the town coordinates (default EPSG:4326 for lon/lat)");
    cmd->add_option("--key", args->key, "CSV footprints: the block code column (default: the one matching the blocks)");
    cmd->add_option("--footprint-column", args->footprint_column, "CSV footprints: the footprint column")->default_val("footprint");
    cmd->add_option("--adjacency", args->adjacency, "rook or queen (as footprints)")->default_val("rook");
    add_real(cmd, "--snap", args->snap, "metres within which boundaries touch", 0.0)->default_val(5.0);
    add_real(cmd, "--min-shared", args->min_shared, "rook: metres of shared boundary", 0.0)->default_val(10.0);
    cmd->add_option("--moves", args->moves, "CSV of the moves: block, from, to, people");
    cmd->add_option("-o,--output", args->outputs, "repaired footprints: .gpkg (footprints, membership) or .csv; repeat for several");
    return {{cmd, [args, target, &globals] { return run_repair(*args, globals, target->count() > 0); }}};
}

}  // namespace placedef::cli
