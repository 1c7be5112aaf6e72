// The jobs that draw places: PCN footprints and town footprints.
#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "placedef/pipeline.hpp"

#include "pipeline/outputs.hpp"

#include <algorithm>
#include <cmath>

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
    if (name == "density" || name == "position") {
        spec.name = name;
        return spec;
    }
    const auto colon = name.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == name.size())
        throw invalid_input("attribute '" + text + "' is not TABLE:COLUMN[*WEIGHT], density or position");
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

std::vector<FootprintAttribute> builtin_attribute(const std::string& name, double weight, const Layer& blocks,
                                                  const std::vector<double>& population) {
    if (name == "density") {
        if (population.empty()) throw invalid_input("the density attribute needs the blocks' population");
        FootprintAttribute density{"log_density", {}, weight};
        for (std::size_t i = 0; i < blocks.size(); ++i)
            density.values.push_back(std::log(std::max(population[i], 1.0) / (area(blocks.features[i].shape) / 1e6)));
        return {density};
    }
    if (name == "position") {
        FootprintAttribute x{"position_x", {}, weight}, y{"position_y", {}, weight};
        for (const Feature& block : blocks.features) {
            const Coord at = point_on_surface(block.shape);
            x.values.push_back(at.x);
            y.values.push_back(at.y);
        }
        return {x, y};
    }
    return {};
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
    const detail::OutputPlan plan(sources, request.outputs, {"footprints", "membership"});

    FootprintsResult job;
    const PopulationInput& people = request.population;
    // The blocks and the population's units are read together: once when they are one layer.
    const std::vector<std::shared_ptr<const Layer>> read =
        people.given() ? load_inputs({request.blocks, people.units}, settings, problems)
                       : load_inputs({request.blocks}, settings, problems);
    job.blocks = read.front();
    if (request.clip.given()) {
        const std::shared_ptr<const Layer> clip = load_input(request.clip, settings, problems);
        warn_if_apart({job.blocks.get(), clip.get()}, settings);
        job.blocks = std::make_shared<const Layer>(units_within(*job.blocks, *clip, request.clip_codes, settings.threads));
    }
    const Layer& blocks = *job.blocks;
    FootprintRequest clustering = options;
    if (people.given()) {
        const LoadedPopulation loaded = load_population(people, settings, problems, read.back());
        job.population = population_on(blocks, loaded.source, settings.threads);
    } else if (!people.table.empty()) {
        // A table without its own layer is keyed by the blocks.
        job.population = load_population(people, settings, problems, job.blocks).source.population;
    }
    // Without a population input, the values a caller put in the options stand (the C API's).
    if (job.population.empty()) job.population = clustering.population;
    else clustering.population = job.population;
    if ((options.min_population > 0 || std::isfinite(options.max_population)) && job.population.empty())
        throw invalid_input("a population floor or ceiling needs the blocks' population");
    for (const AttributeSpec& spec : request.attributes) {
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
    clustering.cluster.progress = settings.progress_of(to_string(options.cluster.method));
    job.result = town_footprints(blocks, clustering);
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

}  // namespace pipeline
}  // namespace placedef
