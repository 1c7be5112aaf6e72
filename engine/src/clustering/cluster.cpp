// cluster(): checks the problem once for every method, runs the method, and
// hands back a canonical, verified partition.
#include "placedef/clustering.hpp"

#include "placedef/error.hpp"
#include "placedef/overlay.hpp"
#include "placedef/text.hpp"

#include "detail/methods.hpp"
#include "detail/regions.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

namespace placedef {
inline namespace clustering {
namespace {

std::string count_text(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.0f", value);
    return text;
}

void validate(const ClusteringProblem& problem, const ClusterOptions& options) {
    if (!problem.graph) throw invalid_input("the clustering problem has no contiguity graph");
    const ContiguityGraph& graph = *problem.graph;
    const std::size_t n = graph.size();
    if (problem.attributes.size() != n * problem.dimensions)
        throw invalid_input("the clustering problem has " + std::to_string(problem.attributes.size()) +
                            " attribute values for " + std::to_string(n) + " blocks of " +
                            std::to_string(problem.dimensions) + " attributes");
    if (!problem.population.empty() && problem.population.size() != n)
        throw invalid_input("the clustering problem has " + std::to_string(problem.population.size()) +
                            " populations for " + std::to_string(n) + " blocks");
    for (std::size_t i = 0; i < problem.population.size(); ++i)
        if (const std::string fault = population_fault(problem.population[i]); !fault.empty())
            throw invalid_input("the population of block '" + graph.codes[i] + "' " + fault);
    detail::require_connected(graph);

    double total = 0, largest = 0;
    std::size_t largest_block = 0;
    for (std::size_t i = 0; i < n; ++i) {
        total += problem.population_of(i);
        if (problem.population_of(i) > largest) {
            largest = problem.population_of(i);
            largest_block = i;
        }
    }
    const bool floor = problem.min_population > 0;
    if (!(problem.min_population >= 0)) throw invalid_input("the population floor must be zero or more");
    if (floor && problem.min_population > total)
        throw invalid_input("the population floor " + count_text(problem.min_population) + " is above the total population " +
                            count_text(total) + " of the blocks: no footprint can reach it");
    if (!(problem.max_population > 0)) throw invalid_input("the population ceiling must be more than zero");
    if (problem.max_population < problem.min_population)
        throw invalid_input("the population ceiling " + count_text(problem.max_population) + " is below the floor " +
                            count_text(problem.min_population));
    if (largest > problem.max_population)
        throw invalid_input("block '" + graph.codes[largest_block] + "' alone holds " + count_text(largest) +
                            " people, above the population ceiling " + count_text(problem.max_population));
    if (problem.k > n)
        throw invalid_input("k = " + std::to_string(problem.k) + " footprints asked for, but there are only " +
                            std::to_string(n) + " blocks");

    for (const auto* layers : {&problem.respect, &problem.align})
        for (const PartnerUnits& units : *layers) {
            const std::string layer = "the partner layer '" + units.layer + "'";
            if (units.unit.size() != n)
                throw invalid_input(layer + " gives units for " + std::to_string(units.unit.size()) + " blocks of " +
                                    std::to_string(n));
            for (std::size_t i = 0; i < n; ++i)
                if (units.unit[i] < -1 || units.unit[i] >= static_cast<std::int64_t>(units.codes.size()))
                    throw invalid_input(layer + " puts block '" + graph.codes[i] + "' in unit " +
                                        std::to_string(units.unit[i]) + " of " + std::to_string(units.codes.size()));
            if (!(std::isfinite(units.weight) && units.weight > 0))
                throw invalid_input(layer + " has weight " + readable_number(units.weight) +
                                    ": a weight must be a finite number above 0");
        }

    switch (options.method) {
        case ClusterMethod::skater:
        case ClusterMethod::redcap:
            if (problem.k == 0 && !floor)
                throw invalid_input(std::string(to_string(options.method)) + " needs a footprint count k or a population floor");
            break;
        case ClusterMethod::azp:
            if (problem.k == 0) throw invalid_input("azp needs a footprint count k");
            break;
        case ClusterMethod::maxp:
            if (!floor) throw invalid_input("maxp needs a population floor (the most footprints above it are found)");
            break;
        case ClusterMethod::seeded: {
            if (options.seed_blocks.empty()) throw invalid_input("seeded growth needs at least one town centre");
            if (!options.seed_names.empty() && options.seed_names.size() != options.seed_blocks.size())
                throw invalid_input("seeded growth has " + std::to_string(options.seed_names.size()) + " names for " +
                                    std::to_string(options.seed_blocks.size()) + " town centres");
            if (options.block_centres.size() != n)
                throw invalid_input("seeded growth needs one centre point per block");
            std::set<std::size_t> seen;
            for (std::size_t block : options.seed_blocks) {
                if (block >= n) throw invalid_input("a town centre names block " + std::to_string(block) + " of " + std::to_string(n));
                if (!seen.insert(block).second)
                    throw invalid_input("two town centres fall in block '" + graph.codes[block] + "'");
            }
            if (options.refine) throw invalid_input("seeded growth keeps each town in its own footprint; AZP refinement is not offered");
            if (!(options.balance >= 0)) throw invalid_input("the balance of seeded growth must be zero or more");
            break;
        }
    }
}

/// Renumbers regions by their lowest block, carrying names along.
void canonicalise(Partition& partition) {
    std::vector<std::int32_t> before = partition.region;
    partition.regions = detail::canonical_labels(partition.region);
    if (partition.names.empty()) return;
    std::vector<std::string> names(partition.regions);
    for (std::size_t i = 0; i < before.size(); ++i)
        names[static_cast<std::size_t>(partition.region[i])] = partition.names[static_cast<std::size_t>(before[i])];
    partition.names = std::move(names);
}

/// The guarantees every method owes; a failure here is a bug in a method.
void verify(const ClusteringProblem& problem, const ClusterOptions& options, const Partition& partition) {
    const std::size_t n = problem.size();
    if (partition.region.size() != n || partition.regions == 0 ||
        std::any_of(partition.region.begin(), partition.region.end(), [](std::int32_t r) { return r < 0; }))
        throw topology_error(std::string(to_string(options.method)) + " left blocks without a footprint");
    const std::vector<std::size_t> parts = detail::region_parts(*problem.graph, partition.region, partition.regions);
    for (std::size_t r = 0; r < parts.size(); ++r)
        if (parts[r] != 1)
            throw topology_error(std::string(to_string(options.method)) + " produced footprint " + std::to_string(r + 1) +
                                 " in " + std::to_string(parts[r]) + " parts");
}

}  // namespace

Partition cluster(const ClusteringProblem& problem, const ClusterOptions& options) {
    validate(problem, options);
    Partition partition;
    switch (options.method) {
        case ClusterMethod::skater: partition = detail::skater(problem, options); break;
        case ClusterMethod::redcap: partition = detail::redcap(problem, options); break;
        case ClusterMethod::maxp: partition = detail::max_p(problem, options); break;
        case ClusterMethod::azp: partition = detail::azp(problem, options); break;
        case ClusterMethod::seeded: partition = detail::seeded_growth(problem, options); break;
    }
    const bool built_without_partners = options.method == ClusterMethod::skater || options.method == ClusterMethod::redcap ||
                                        options.method == ClusterMethod::seeded;
    if (options.refine && options.method != ClusterMethod::azp)
        partition = refine_azp(problem, std::move(partition), options);  // weighs the partner terms too
    else if (built_without_partners && (!problem.respect.empty() || !problem.align.empty()))
        partition = detail::follow_partners(problem, std::move(partition), options);
    if (options.method != ClusterMethod::seeded) canonicalise(partition);  // seeded keeps the towns' order
    verify(problem, options, partition);
    std::tie(partition.wss, partition.tss) = sums_of_squares(problem, partition.region);
    return partition;
}

std::vector<std::size_t> locate_places(const Layer& blocks, const Layer& places) {
    std::vector<Coord> points;
    for (const Feature& place : places.features) points.push_back(place.point);
    const std::vector<long> holder = containing_units(points, blocks);
    std::vector<std::size_t> located(places.size());
    std::vector<std::size_t> first_place(blocks.size(), places.size());
    for (std::size_t i = 0; i < places.size(); ++i) {
        const Location where{places.source, places.name, places.features[i].fid, places.features[i].code, {}};
        if (holder[i] < 0)
            throw invalid_input("lies outside every block of " + blocks.label() + " (at " + readable_number(points[i].x) +
                                    ", " + readable_number(points[i].y) + " in " + places.crs + ")",
                                where);
        located[i] = static_cast<std::size_t>(holder[i]);
        std::size_t& first = first_place[located[i]];
        if (first < places.size())
            throw invalid_input("falls in block '" + blocks.features[located[i]].code + "' with '" +
                                    places.features[first].code + "': each footprint needs its own block",
                                where);
        first = i;
    }
    return located;
}

}  // namespace clustering
}  // namespace placedef
