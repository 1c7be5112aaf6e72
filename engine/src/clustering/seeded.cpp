// Seeded growth: footprints grow contiguously from named town centres, the
// way planners describe places ("27 centres plus 2 rural clusters").
//
// Each block goes to the town that reaches it first in a multi-source
// Dijkstra over the contiguity graph, where an edge costs the distance between
// block centres divided by the town's weight. A block takes the label of the
// block it was reached from, so every footprint is connected by construction.
// Weights start equal (plain nearest town along the graph) and are then
// adjusted so that footprints move towards equal population: a town whose
// footprint holds fewer people than the target reaches further. `balance`
// sets the strength (0: none). Blocks further than `rural_distance` from every
// town (along the graph) are left to rural footprints: the connected groups
// they form, named "Rural 1", "Rural 2", ... by falling population; a group
// below the population floor, or beyond the number of rural footprints asked
// for, joins the town footprint it touches most. Footprints keep the towns'
// order, rural ones last.
//
// With partner layers (respect, align), an edge between blocks of different
// units of a partner layer costs 1 + that layer's weight times its length, so
// that footprints tend to stop at the partners' lines; cluster() then runs
// the partner post-pass (partner_pass.cpp). The rural distance stays plain
// metres.
#include "detail/methods.hpp"
#include "detail/partner_table.hpp"
#include "detail/regions.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <queue>

namespace placedef::detail {
namespace {

constexpr std::int32_t unassigned = -1;
constexpr std::int32_t rural = -2;

double edge_length(const ClusterOptions& options, std::size_t a, std::size_t b) {
    const Coord& p = options.block_centres[a];
    const Coord& q = options.block_centres[b];
    return std::hypot(p.x - q.x, p.y - q.y);
}

/// Weighted multi-source Dijkstra; blocks already labelled `rural` stay so.
/// Returns each block's cost of reaching it (unweighted distance when all
/// weights are 1 and `across_lines` is false or there is no partner layer).
std::vector<double> grow(const ClusteringProblem& problem, const ClusterOptions& options, const std::vector<double>& weight,
                         std::vector<std::int32_t>& region, bool across_lines = true) {
    const ContiguityGraph& graph = *problem.graph;
    std::vector<double> cost(graph.size(), std::numeric_limits<double>::infinity());
    for (std::int32_t& label : region)
        if (label != rural) label = unassigned;
    using Entry = std::pair<double, std::uint32_t>;  // ties: the lower block index first
    std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> queue;
    for (std::size_t t = 0; t < options.seed_blocks.size(); ++t) {
        const std::size_t seed = options.seed_blocks[t];
        region[seed] = static_cast<std::int32_t>(t);
        cost[seed] = 0;
        queue.emplace(0.0, static_cast<std::uint32_t>(seed));
    }
    std::vector<std::int32_t> reached_from(graph.size(), unassigned);
    std::vector<bool> settled(graph.size(), false);
    while (!queue.empty()) {
        const auto [at_cost, at] = queue.top();
        queue.pop();
        if (settled[at]) continue;
        settled[at] = true;
        const std::int32_t town = region[at];
        for (const std::uint32_t* n = graph.begin(at); n != graph.end(at); ++n) {
            if (region[*n] == rural || settled[*n]) continue;
            const double length = edge_length(options, at, *n) * (across_lines ? crossing_factor(problem, at, *n) : 1.0);
            const double next = at_cost + length / weight[static_cast<std::size_t>(town)];
            if (next < cost[*n]) {
                cost[*n] = next;
                region[*n] = town;
                queue.emplace(next, *n);
            }
        }
    }
    return cost;
}

std::vector<double> town_population(const ClusteringProblem& problem, const std::vector<std::int32_t>& region, std::size_t towns) {
    std::vector<double> people(towns, 0.0);
    for (std::size_t i = 0; i < region.size(); ++i)
        if (region[i] >= 0) people[static_cast<std::size_t>(region[i])] += problem.population_of(i);
    return people;
}

/// Largest |log(population / target)| over towns: 0 when perfectly balanced.
double imbalance(const std::vector<double>& people, double target) {
    double worst = 0;
    for (double p : people) worst = std::max(worst, std::fabs(std::log(std::max(p, 1.0) / target)));
    return worst;
}

/// Labels the rural blocks' connected groups as footprints after the towns.
void form_rural_footprints(const ClusteringProblem& problem, const ClusterOptions& options, std::vector<std::int32_t>& region,
                           Partition& partition) {
    const ContiguityGraph& graph = *problem.graph;
    struct Group {
        std::vector<std::uint32_t> blocks;
        double people = 0;
    };
    std::vector<Group> groups;
    std::vector<bool> seen(graph.size(), false);
    for (std::size_t i = 0; i < graph.size(); ++i) {
        if (region[i] != rural || seen[i]) continue;
        Group group;
        seen[i] = true;
        group.blocks.push_back(static_cast<std::uint32_t>(i));
        for (std::size_t head = 0; head < group.blocks.size(); ++head)
            for (const std::uint32_t* n = graph.begin(group.blocks[head]); n != graph.end(group.blocks[head]); ++n)
                if (region[*n] == rural && !seen[*n]) {
                    seen[*n] = true;
                    group.blocks.push_back(*n);
                }
        for (std::uint32_t b : group.blocks) group.people += problem.population_of(b);
        groups.push_back(std::move(group));
    }
    std::stable_sort(groups.begin(), groups.end(), [](const Group& l, const Group& r) { return l.people > r.people; });
    const std::size_t limit = options.rural_footprints ? options.rural_footprints : groups.size();
    std::size_t kept = 0;
    for (const Group& group : groups) {
        // Groups are whole components of the rural blocks, so they touch
        // only town footprints, and at least one (the graph is connected).
        std::vector<std::size_t> contacts(partition.regions, 0);
        for (std::uint32_t b : group.blocks)
            for (const std::uint32_t* n = graph.begin(b); n != graph.end(b); ++n)
                if (region[*n] >= 0 && static_cast<std::size_t>(region[*n]) < contacts.size())
                    ++contacts[static_cast<std::size_t>(region[*n])];
        const auto best = std::max_element(contacts.begin(), contacts.end());
        if ((kept < limit && group.people >= problem.min_population) || *best == 0) {
            const auto label = static_cast<std::int32_t>(partition.names.size());
            partition.names.push_back("Rural " + std::to_string(++kept));
            for (std::uint32_t b : group.blocks) region[b] = label;
            continue;
        }
        for (std::uint32_t b : group.blocks) region[b] = static_cast<std::int32_t>(best - contacts.begin());
    }
}

}  // namespace

Partition seeded_growth(const ClusteringProblem& problem, const ClusterOptions& options) {
    const std::size_t towns = options.seed_blocks.size();
    const std::size_t n = problem.size();
    std::vector<std::int32_t> region(n, unassigned);
    std::vector<double> weight(towns, 1.0);

    // Blocks beyond the rural distance from every town (plain graph distance).
    const std::vector<double> nearest = grow(problem, options, weight, region, false);
    for (std::size_t i = 0; i < n; ++i)
        if (nearest[i] > options.rural_distance) region[i] = rural;
    grow(problem, options, weight, region);

    double total = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (region[i] != rural) total += problem.population_of(i);
    const double target = std::clamp(total / static_cast<double>(towns), std::max(problem.min_population, 1.0),
                                     problem.max_population);
    std::vector<std::int32_t> best = region;
    double best_imbalance = imbalance(town_population(problem, region, towns), target);
    // Damped multiplicative updates; the most balanced labelling seen is kept.
    const std::size_t rounds = options.balance > 0 ? 60 : 0;
    for (std::size_t round = 0; round < rounds; ++round) {
        const std::vector<double> people = town_population(problem, region, towns);
        for (std::size_t t = 0; t < towns; ++t)
            weight[t] *= std::pow(target / std::max(people[t], 1.0), 0.25 * options.balance);
        grow(problem, options, weight, region);
        const double now = imbalance(town_population(problem, region, towns), target);
        if (now < best_imbalance) {
            best_imbalance = now;
            best = region;
        }
        if (options.progress) options.progress(round + 1, rounds);
    }

    Partition partition;
    partition.regions = towns;
    for (std::size_t t = 0; t < towns; ++t)
        partition.names.push_back(options.seed_names.empty() ? "Town " + std::to_string(t + 1) : options.seed_names[t]);
    form_rural_footprints(problem, options, best, partition);
    partition.regions = partition.names.size();
    partition.region = std::move(best);
    return partition;
}

}  // namespace placedef::detail
