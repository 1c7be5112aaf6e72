// pcn: PCN footprints from GP practice points.
#include "common.hpp"

#include "placedef/catchment.hpp"
#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "placedef/render.hpp"

#include <cmath>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

namespace placedef::cli {
namespace {

struct PcnArguments {
    std::string practices, clip, blocks, registered, method = "voronoi";
    std::vector<std::string> clip_codes, outputs, unallocated{"U"};
    PracticeColumns columns;
    double same_site = 1.0;
    bool nearest = false;
    PopulationArguments pop;
};

int run_pcn(const PcnArguments& args, const Globals& globals) {
    Reporter reporter(globals);
    Session session(globals);
    PcnRequest request;
    request.practices = args.practices;
    request.clip = args.clip;
    if (!args.blocks.empty()) request.blocks = args.blocks;
    request.population = args.pop.input();
    request.registered = args.registered;
    request.options.method = pcn_method_from_string(args.method);
    request.options.columns = args.columns;
    request.options.unallocated = args.unallocated;
    request.options.clip_codes = args.clip_codes;
    request.options.same_site = args.same_site;
    request.options.nearest_practice = args.nearest;
    request.outputs = session.outputs(args.outputs);
    const PcnJobResult job = run_pcn(request, session.settings(), reporter.sink());
    const PcnResult& result = job.result;

    std::size_t counts[5] = {};
    for (const PracticeReport& p : result.practices) ++counts[static_cast<int>(p.status)];
    std::ostringstream out;
    out << std::fixed << std::setprecision(2);
    out << result.footprints.size() << " PCN footprints by " << to_string(result.method) << " from " << result.sites
        << " practice sites; they cover " << 100 * result.covered_area / result.clip_area << " % of the clip area ("
        << result.clip_area / 1e6 << " km2)\n";
    out << "practices: " << counts[0] << " used, " << counts[1] << " without a location, " << counts[2]
        << " in no PCN, " << counts[3] << " outside the clip area, " << counts[4] << " sharing a site with another PCN\n";
    if (!std::isnan(result.voronoi_agreement)) {
        out << "the footprints agree with the Voronoi partition on " << 100 * result.voronoi_agreement
            << " % of the clip area";
        if (!std::isnan(result.voronoi_agreement_population))
            out << " and " << 100 * result.voronoi_agreement_population << " % of its population";
        out << '\n';
    }
    if (!result.pcns_outside.empty()) {
        out << result.pcns_outside.size() << " PCNs have no practice in the clip area:";
        for (const auto& [code, name] : result.pcns_outside) out << ' ' << code << " (" << name << ')';
        out << '\n';
    }
    for (const PcnFootprint& f : result.footprints)
        if (f.parts > 1) out << "  " << f.code << " (" << f.name << ") is in " << f.parts << " parts\n";
    session.summary() << out.str();
    reporter.finish();
    return ok;
}

}  // namespace

std::vector<Command> add_catchment_commands(CLI::App& app, const Globals& globals) {
    auto args = std::make_shared<PcnArguments>();
    CLI::App* pcn = app.add_subcommand("pcn", "PCN footprints from GP practice points (voronoi, blocks, registered)");
    pcn->add_option("PRACTICES", args->practices, "GP practice points (code column: the practice code)")->required();
    pcn->add_option("--clip", args->clip, "layer whose units make the area to cover (e.g. the county)")->required();
    pcn->add_option("--clip-codes", args->clip_codes, "only these units of the clip layer (comma-separated)")
        ->delimiter(',');
    pcn->add_option("--method", args->method, "voronoi, blocks or registered")
        ->default_val("voronoi")
        ->check(CLI::IsMember({"voronoi", "blocks", "registered"}));
    pcn->add_option("--blocks", args->blocks, "building blocks (e.g. LSOA 2021), for blocks and registered");
    pcn->add_option("--registered", args->registered,
                    "patients registered at each practice by LSOA (PRACTICE_CODE, LSOA_CODE, NUMBER_OF_PATIENTS)");
    pcn->add_flag("--nearest", args->nearest, "blocks: each block goes to its nearest practice's PCN");
    pcn->add_option("--pcn-code", args->columns.pcn_code, "PCN code column of the practices")->default_val("PCN_CODE");
    pcn->add_option("--pcn-name", args->columns.pcn_name, "PCN name column")->default_val("PCN_NAME");
    pcn->add_option("--unallocated", args->unallocated, "PCN codes meaning 'in no PCN'")->delimiter(',')->default_val("U");
    add_real(pcn, "--same-site", args->same_site, "practices closer than this (m) share one site", 0.0)->default_val(1.0);
    pcn->add_option("-o,--output", args->outputs, "pcn.gpkg (footprints, practices, blocks) or pcn.csv; repeat for several")
        ->required()
        ->allow_extra_args(false);
    add_population_options(pcn, args->pop);
    return {{pcn, [args, &globals] { return run_pcn(*args, globals); }}};
}

}  // namespace placedef::cli
