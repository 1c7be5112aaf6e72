// cluster(): checks the problem once for every method, runs the method, and
// hands back a canonical, verified partition.
#include "placedef/clustering.hpp"

#include "placedef/error.hpp"
#include "placedef/overlay.hpp"
#include "placedef/text.hpp"

#include "detail/local_search.hpp"
#include "detail/methods.hpp"
#include "detail/regions.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <set>

namespace placedef {
inline namespace clustering {
namespace {

double total_people(const ClusteringProblem& problem) {
    double total = 0;
    for (std::size_t i = 0; i < problem.size(); ++i) total += problem.population_of(i);
    return total;
}

std::string count_text(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.0f", value);
    return text;
}

/// `connected`: the graph must be one component (every method but seeded
/// growth within units, whose graph is cut at the units' boundaries).
void validate(const ClusteringProblem& problem, const ClusterOptions& options, bool connected) {
    if (!problem.graph) throw invalid_input("the clustering problem has no contiguity graph");
    population_bounds(problem, options);  // checks the balance
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
    if (connected) detail::require_connected(graph);

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
    if (!(problem.boundary == 0 || (problem.boundary >= min_attribute_weight && problem.boundary <= max_attribute_weight)))
        throw invalid_input("the weight of the boundary term must be 0 or between 1e-100 and 1e100, not " +
                            readable_number(problem.boundary));
    if (problem.k > n)
        throw invalid_input("k = " + std::to_string(problem.k) + " footprints asked for, but there are only " +
                            std::to_string(n) + " blocks");
    // k footprints between the floor and the ceiling hold k x floor to k x
    // ceiling people (max-p takes k as an upper limit: fewer may meet the floor).
    const auto k = static_cast<double>(problem.k);
    if (problem.k > 0 && floor && options.method != ClusterMethod::maxp && k * problem.min_population > total)
        throw invalid_input("k = " + std::to_string(problem.k) + " footprints of at least the floor " +
                            count_text(problem.min_population) + " need " + count_text(k * problem.min_population) +
                            " people, but the blocks hold " + count_text(total) + ": lower k or the floor");
    if (problem.k > 0 && k * problem.max_population < total)
        throw invalid_input("k = " + std::to_string(problem.k) + " footprints of at most the ceiling " +
                            count_text(problem.max_population) + " hold " + count_text(k * problem.max_population) +
                            " people, but the blocks hold " + count_text(total) + ": raise k or the ceiling");

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
            if (problem.boundary > 0 && !options.refine)
                throw invalid_input(std::string(to_string(options.method)) +
                                    " cuts its tree by the WSS alone: the boundary term needs the AZP refinement (refine)");
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
            if (problem.boundary > 0) throw invalid_input("seeded growth does not search, so the boundary term has no say in it");
            const auto towns = static_cast<double>(options.seed_blocks.size());
            if (floor && towns * problem.min_population > total)
                throw invalid_input(std::to_string(options.seed_blocks.size()) + " town footprints of at least the floor " +
                                    count_text(problem.min_population) + " need " +
                                    count_text(towns * problem.min_population) + " people, but the blocks hold " +
                                    count_text(total) + ": lower the floor");
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
    const std::vector<detail::RegionSums> sums = detail::region_sums(problem, partition.region, partition.regions);
    const double rounding =
        1e-9 * (1.0 + problem.min_population + (std::isfinite(problem.max_population) ? problem.max_population : 0.0));
    for (std::size_t r = 0; r < sums.size(); ++r)
        if (sums[r].population() < problem.min_population - rounding ||
            sums[r].population() > problem.max_population + rounding)
            throw topology_error(std::string(to_string(options.method)) + " produced footprint " + std::to_string(r + 1) +
                                 " of " + count_text(sums[r].population()) + " people, outside " +
                                 detail::describe_bounds(problem));
}

/// The problem with the balance band's floor and ceiling, when it has one.
std::optional<ClusteringProblem> with_balance_bounds(const ClusteringProblem& problem, const ClusterOptions& options) {
    const auto [floor, ceiling] = population_bounds(problem, options);
    if (floor == problem.min_population && ceiling == problem.max_population) return std::nullopt;
    ClusteringProblem bounded = problem;
    bounded.min_population = floor;
    bounded.max_population = ceiling;
    return bounded;
}

/// "balance 1 with k = 29: each footprint within 50 % of the mean 41375
/// people (20688 to 62063)", to explain bounds a user did not write.
std::string describe_balance(const ClusteringProblem& problem, const ClusterOptions& options) {
    const double balance = balance_of(options), mean = total_people(problem) / static_cast<double>(problem.k);
    char percent[32];
    std::snprintf(percent, sizeof percent, "%g", 50.0 / balance);
    return "balance " + readable_number(balance) + " with k = " + std::to_string(problem.k) + ": each footprint within " +
           percent + " % of the mean " + count_text(mean) + " people (" +
           count_text(std::max(0.0, mean - mean / (2 * balance))) + " to " + count_text(mean + mean / (2 * balance)) + ")";
}

/// cluster() on a validated problem: the method, the refinement, canonical
/// labels and the checks every partition must pass.
Partition run_method(const ClusteringProblem& problem, const ClusterOptions& options) {
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

}  // namespace

double default_balance(ClusterMethod method) { return method == ClusterMethod::seeded ? 0.5 : 0.0; }

double balance_of(const ClusterOptions& options) { return options.balance.value_or(default_balance(options.method)); }

std::pair<double, double> population_bounds(const ClusteringProblem& problem, const ClusterOptions& options) {
    const double balance = balance_of(options);
    if (!(balance >= 0) || !std::isfinite(balance))
        throw invalid_input("the balance must be zero or more, not " + readable_number(balance));
    std::pair<double, double> bounds{problem.min_population, problem.max_population};
    if (options.method == ClusterMethod::seeded || balance == 0) return bounds;
    if (problem.k == 0)
        throw invalid_input(std::string(to_string(options.method)) +
                            " balances population around the mean of k footprints: a balance needs k");
    const double mean = total_people(problem) / static_cast<double>(problem.k), spread = mean / (2 * balance);
    bounds.first = std::max(bounds.first, mean - spread);
    bounds.second = std::min(bounds.second, mean + spread);
    if (bounds.second < bounds.first)
        throw invalid_input(std::string(problem.min_population > mean + spread
                                            ? "the population floor " + count_text(problem.min_population) + " is above"
                                            : "the population ceiling " + count_text(problem.max_population) + " is below") +
                            " the band of balance " + readable_number(balance) + " with k = " + std::to_string(problem.k) +
                            " (" + count_text(std::max(0.0, mean - spread)) + " to " + count_text(mean + spread) +
                            " people): they leave no room");
    return bounds;
}

Partition cluster(const ClusteringProblem& problem, const ClusterOptions& options) {
    const std::optional<ClusteringProblem> bounded = with_balance_bounds(problem, options);
    if (!bounded) {
        validate(problem, options, true);
        return run_method(problem, options);
    }
    try {
        validate(*bounded, options, true);
        return run_method(*bounded, options);
    } catch (const invalid_input& e) {
        // The floor or ceiling named may be the balance band's: say where it came from.
        throw invalid_input(e.reason() + " [" + describe_balance(problem, options) + "]", e.where());
    }
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

Partition detail::cluster_seeded_in_parts(const ClusteringProblem& problem, const ClusterOptions& options) {
    if (options.method != ClusterMethod::seeded) throw invalid_input("only seeded growth clusters a graph in separate parts");
    validate(problem, options, false);
    return run_method(problem, options);
}

}  // namespace placedef
