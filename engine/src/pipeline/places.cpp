// The jobs that draw places: PCN footprints and town footprints.
#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "placedef/pipeline.hpp"
#include "placedef/text.hpp"

#include "pipeline/blocks.hpp"
#include "pipeline/outputs.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace placedef {
inline namespace pipeline {



PcnJobResult run_pcn(const PcnRequest& request, const RunSettings& settings, ProblemSink& problems) {
    std::vector<std::string> sources{detail::input_address(request.practices), detail::input_address(request.clip)};
    if (request.blocks.given()) sources.push_back(detail::input_address(request.blocks));
    if (!request.registered.empty()) sources.push_back(request.registered);
    detail::add_population_inputs(sources, request.population);
    const detail::OutputPlan plan(sources, request.outputs, {"footprints", "practices", "blocks"});

    PcnJobResult job;
    job.practices = load_input(request.practices, settings, problems, LayerKind::point);
    std::vector<LayerInput> polygons{request.clip};
    if (request.blocks.given()) polygons.push_back(request.blocks);
    if (request.population.given()) polygons.push_back(request.population.units);
    const std::vector<std::shared_ptr<const Layer>> layers = load_inputs(polygons, settings, problems);
    job.clip = layers[0];
    if (request.blocks.given()) job.blocks = layers[1];
    warn_if_apart({job.practices.get(), job.clip.get()}, settings);
    LoadedPopulation population;
    PcnOptions options = request.options;
    if (request.population.given()) {
        population = load_population(request.population, settings, problems, layers.back());
        options.population = &population.source;
    }
    RegisteredPatients registered;
    if (!request.registered.empty()) {
        registered = read_registered_patients(request.registered);
        options.registered = &registered;
    }
    options.threads = settings.threads;
    job.result = pcn_footprints(*job.practices, *job.clip, job.blocks.get(), options, problems);
    const std::vector<LayerStyle> styles = pcn_styles(job.result, job.clip->crs);
    plan.write([&](const std::string& path) { write_pcn_result(job.result, *job.practices, path, job.clip->crs, styles); });
    plan.write_problems(problems);
    return job;
}

AttributeSpec parse_attribute(const std::string& text) {
    AttributeSpec spec;
    std::string name = text;
    if (const auto star = name.rfind('*'); star != std::string::npos) {
        const std::optional<double> weight = parse_number(name.substr(star + 1));
        if (!weight || *weight < 0)
            throw invalid_input("attribute '" + text + "': the weight after '*' must be a number of 0 or more");
        spec.weight = *weight;
        name.erase(star);
    }
    if (name == "density" || name == "position" || name == "boundary") {
        spec.name = name;
        return spec;
    }
    const auto colon = name.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == name.size())
        throw invalid_input("attribute '" + text + "' is not TABLE:COLUMN[*WEIGHT], density, position or boundary");
    spec.table = name.substr(0, colon);
    spec.name = name.substr(colon + 1);
    return spec;
}

PartnerInput parse_partner(const std::string& text, const std::string& option) {
    PartnerInput partner;
    std::string address = text;
    if (const auto star = address.rfind('*'); star != std::string::npos) {
        const std::optional<double> weight = parse_number(address.substr(star + 1));
        if (!weight || !std::isfinite(*weight) || *weight <= 0)
            throw invalid_input(option + " '" + text + "': the weight after '*' must be a number above 0");
        partner.weight = *weight;
        address.erase(star);
    }
    if (address.empty()) throw invalid_input(option + " '" + text + "' names no layer (LAYER[*WEIGHT])");
    partner.layer = LayerInput(address);
    return partner;
}

bool is_builtin_attribute(const std::string& name) { return name == "density" || name == "position"; }

std::vector<FootprintAttribute> builtin_attribute(const std::string& name, double weight, const Layer& blocks,
                                                  const std::vector<double>& population) {
    if (!is_builtin_attribute(name)) return {};
    if (name == "density") {
        if (population.empty()) throw invalid_input("the density attribute needs the blocks' population");
        FootprintAttribute density{"log_density", {}, weight};
        for (std::size_t i = 0; i < blocks.size(); ++i)
            density.values.push_back(std::log(std::max(population[i], 1.0) / (area(blocks.features[i].shape) / 1e6)));
        return {density};
    }
    FootprintAttribute x{"position_x", {}, weight}, y{"position_y", {}, weight};
    for (const Feature& block : blocks.features) {
        const Coord at = point_on_surface(block.shape);
        x.values.push_back(at.x);
        y.values.push_back(at.y);
    }
    return {x, y};
}

bool set_objective_term(const std::string& name, double weight, FootprintRequest& request) {
    if (name != "boundary") return false;
    request.boundary = weight;
    return true;
}

FootprintsResult run_footprints(const FootprintsRequest& request, const RunSettings& settings, ProblemSink& problems) {
    const FootprintRequest& options = request.options;
    if (request.nest.given() != (options.nesting != Nesting::none))
        throw invalid_input("a nesting rule needs its layer, and a nest layer its rule");
    std::vector<std::string> sources{detail::input_address(request.blocks)};
    for (const LayerInput* input : {&request.clip, &request.nest})
        if (input->given()) sources.push_back(detail::input_address(*input));
    for (const LayerInput& input : request.score_against) sources.push_back(detail::input_address(input));
    for (const auto* partners : {&request.respect, &request.align})
        for (const PartnerInput& partner : *partners) sources.push_back(detail::input_address(partner.layer));
    for (const AttributeSpec& spec : request.attributes)
        if (!spec.table.empty()) sources.push_back(spec.table);
    if (!request.towns.empty()) sources.push_back(request.towns);
    detail::add_population_inputs(sources, request.population);
    // An ensemble's CSV output has two tables beside it: checked with the outputs, written with it.
    std::vector<std::string> side_tables;
    if (options.ensemble.runs > 0)
        for (const std::string& path : request.outputs.paths)
            if (is_csv_path(path))
                for (const std::string& side : ensemble_csv_paths(path)) side_tables.push_back(side);
    const detail::OutputPlan plan(sources, request.outputs, {"footprints", "membership", "boundary_frequency"}, side_tables);

    FootprintsResult job;
    const PopulationInput& people = request.population;
    const std::vector<std::shared_ptr<const Layer>> read = detail::load_blocks(request.blocks, people, settings, problems);
    job.blocks = read.front();
    if (request.clip.given()) {
        const std::shared_ptr<const Layer> clip = load_input(request.clip, settings, problems);
        warn_if_apart({job.blocks.get(), clip.get()}, settings);
        job.blocks = std::make_shared<const Layer>(units_within(*job.blocks, *clip, request.clip_codes, settings.threads));
    }
    const Layer& blocks = *job.blocks;
    FootprintRequest clustering = options;
    job.population = detail::people_on_blocks(people, read.back(), job.blocks, settings, problems);
    // Without a population input, the values a caller put in the options stand (the C API's).
    if (job.population.empty()) job.population = clustering.population;
    else clustering.population = job.population;
    if ((options.min_population > 0 || std::isfinite(options.max_population)) && job.population.empty())
        throw invalid_input("a population floor or ceiling needs the blocks' population");
    for (const AttributeSpec& spec : request.attributes) {
        if (spec.table.empty() && set_objective_term(spec.name, spec.weight, clustering)) continue;
        std::vector<FootprintAttribute> made = builtin_attribute(spec.name, spec.weight, blocks, job.population);
        if (made.empty())
            made.push_back({spec.name,
                            join_table(spec.table, {}, spec.name, blocks, settings, problems,
                                       std::numeric_limits<double>::quiet_NaN()),
                            spec.weight});
        for (FootprintAttribute& attribute : made) clustering.attributes.push_back(std::move(attribute));
    }
    Layer places;
    if (!request.towns.empty()) {
        places = read_places(request.towns, request.towns_crs, settings.study_crs);
        clustering.places = &places;
    }
    std::shared_ptr<const Layer> nest;
    if (request.nest.given()) {
        nest = load_input(request.nest, settings, problems);
        clustering.nest_layer = nest.get();
    }
    std::vector<std::shared_ptr<const Layer>> partner_layers;  // kept alive while clustering
    for (auto [inputs, layers] : {std::pair{&request.respect, &clustering.respect}, std::pair{&request.align, &clustering.align}}) {
        if (!inputs->empty()) layers->clear();
        for (const PartnerInput& input : *inputs) {
            partner_layers.push_back(load_input(input.layer, settings, problems));
            warn_if_apart({&blocks, partner_layers.back().get()}, settings);
            layers->push_back({partner_layers.back().get(), input.weight});
        }
    }
    clustering.cluster.threads = settings.threads;
    clustering.contiguity.threads = settings.threads;
    clustering.cluster.progress = settings.progress_of(options.ensemble.runs > 0 ? "ensemble" : to_string(options.cluster.method));
    job.result = town_footprints(blocks, clustering);
    if (options.mean_population > 0 && settings.note)
        settings.note("k = " + std::to_string(job.result.problem.k) + " footprints: " +
                      std::to_string(std::llround(std::accumulate(job.population.begin(), job.population.end(), 0.0))) +
                      " people at a mean of " + readable_number(options.mean_population) + " per footprint");
    if (settings.note)
        for (const std::string& name : job.result.problem.constant_attributes)
            settings.note("warning: attribute '" + name + "' has the same value for every block: it has no say in the footprints");
    if (!request.score_against.empty()) {
        const Layer polygons = footprint_polygons(job.result, blocks.crs);
        for (const LayerInput& input : request.score_against) {
            const std::shared_ptr<const Layer> other = load_input(input, settings, problems);
            warn_if_apart({&blocks, other.get()}, settings);
            job.scores.emplace_back(other->name,
                                    compare_layers(polygons, *other, nullptr, ScoringOptions{}, false, settings.threads));
        }
    }
    const std::vector<LayerStyle> styles = footprint_styles(job.result, blocks);
    plan.write([&](const std::string& path) { write_footprints(job.result, blocks, path, styles); });
    plan.write_problems(problems);
    return job;
}

namespace {

void write_moves(const RepairJobResult& job, const std::string& path) {
    CsvWriter csv(path);
    csv.header({"block_code", "block_name", "from_footprint", "from_name", "to_footprint", "to_name", "people",
                "units_in_footprints"});
    const std::vector<std::string>& names = job.result.partition.names;
    for (const RepairMove& move : job.repair.moves) {
        const Feature& block = job.blocks->features[move.block];
        const auto from = static_cast<std::size_t>(move.from), to = static_cast<std::size_t>(move.to);
        csv.cell(block.code).cell(block.name).cell(job.codes[from]).cell(names[from]).cell(job.codes[to]).cell(names[to]);
        csv.cell(move.people).cell(move.units_in_footprints);
        csv.end_row();
    }
    csv.close();
}

}  // namespace

RepairJobResult run_repair(const RepairRequest& request, const RunSettings& settings, ProblemSink& problems) {
    if (request.footprints.empty()) throw invalid_input("the repair needs the footprints: a polygon layer or a CSV");
    if (!request.partner.given()) throw invalid_input("the repair needs the partner layer whose units to bring into footprints");
    const bool from_table = is_csv_path(request.footprints);
    std::vector<std::string> sources{detail::input_address(request.blocks), detail::input_address(request.partner),
                                     from_table ? request.footprints : detail::input_address(LayerInput(request.footprints))};
    if (!request.towns.empty()) sources.push_back(request.towns);
    detail::add_population_inputs(sources, request.population);
    Outputs outputs = request.outputs;
    if (!request.moves.empty()) outputs.paths.push_back(request.moves);
    const detail::OutputPlan plan(sources, outputs, {"footprints", "membership"});

    const PopulationInput& people = request.population;
    const std::vector<std::shared_ptr<const Layer>> read = detail::load_blocks(request.blocks, people, settings, problems);
    const Layer& all_blocks = *read.front();
    detail::Membership membership;
    std::string footprints_label = request.footprints;
    if (from_table) {
        membership = detail::membership_from_lookup(request.footprints, {request.key, request.footprint_column, {}, "footprint"},
                                                    all_blocks, settings);
    } else {
        const std::shared_ptr<const Layer> polygons = load_input(LayerInput(request.footprints), settings, problems);
        warn_if_apart({&all_blocks, polygons.get()}, settings);
        footprints_label = polygons->label();
        membership = detail::membership_from_polygons(*polygons, all_blocks, settings.threads);
    }

    RepairJobResult job;
    auto kept = std::make_shared<Layer>(all_blocks);
    kept->features.clear();
    std::vector<std::int32_t> region;
    for (std::size_t b = 0; b < all_blocks.size(); ++b)
        if (membership.place[b] >= 0) {
            kept->features.push_back(all_blocks.features[b]);
            region.push_back(membership.place[b]);
        }
    if (kept->features.empty())
        throw invalid_input("no block of " + all_blocks.label() + " lies in a footprint of " + footprints_label);
    job.left_out = all_blocks.size() - kept->size();
    if (job.left_out > 0 && settings.note)
        settings.note(std::to_string(job.left_out) + " of the " + std::to_string(all_blocks.size()) + " blocks of " +
                      all_blocks.label() + " lie in no footprint and are left out");
    job.blocks = kept;
    job.codes = membership.codes;
    job.population = detail::people_on_blocks(people, read.back(), job.blocks, settings, problems);
    if ((request.min_population > 0 || std::isfinite(request.max_population)) && job.population.empty())
        throw invalid_input("a population floor or ceiling needs the blocks' population");

    const std::shared_ptr<const Layer> partner = load_input(request.partner, settings, problems);
    warn_if_apart({kept.get(), partner.get()}, settings);
    ContiguityOptions contiguity = request.contiguity;
    contiguity.threads = settings.threads;
    FootprintResult& result = job.result;
    result.graph = contiguity_graph(*kept, contiguity);
    result.problem.graph = &result.graph;
    result.problem.population = job.population;
    result.problem.min_population = request.min_population;
    result.problem.max_population = request.max_population;
    const PartnerUnits units = partner_units(*kept, *partner, 1.0, settings.threads);
    std::vector<std::string> names = membership.names;
    for (std::size_t f = 0; f < names.size(); ++f)
        if (names[f].empty()) names[f] = membership.codes[f];
    const std::size_t regions = membership.codes.size();
    RepairOptions options = request.options;
    if (!request.towns.empty()) {
        const Layer towns = read_places(request.towns, request.towns_crs, settings.study_crs);
        const std::vector<std::size_t> centres = locate_places(*kept, towns);
        options.keep.insert(options.keep.end(), centres.begin(), centres.end());
    }
    job.repair = repair_alignment(result.problem, units, std::move(region), regions, options, names);

    result.partition.region = job.repair.region;
    result.partition.regions = regions;
    result.partition.names = names;
    result.metrics = partition_metrics(*kept, result.problem, result.partition, settings.threads);
    result.align_fit = {job.repair.after};
    const std::vector<LayerStyle> styles = footprint_styles(result, *kept);
    plan.write([&](const std::string& path) {
        if (path == request.moves) write_moves(job, path);
        else write_footprints(result, *kept, path, styles);
    });
    plan.write_problems(problems);
    return job;
}

}  // namespace pipeline
}  // namespace placedef
