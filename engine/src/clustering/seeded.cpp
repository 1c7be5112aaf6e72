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
// town (along the graph), and blocks no town can reach (town_footprints()
// grows within the units of a --within layer on a graph cut at their
// boundaries), are left to rural footprints: see form_rural_footprints().
// Footprints keep the towns' order, rural ones last. Last, blocks move
// between footprints (never a town's own block) until each lies within the
// floor and ceiling, or the run says it cannot.
//
// With partner layers (respect, align), an edge between blocks of different
// units of a partner layer costs 1 + that layer's weight times its length, so
// that footprints tend to stop at the partners' lines; cluster() then runs
// the partner post-pass (partner_pass.cpp). The rural distance stays plain
// metres.
#include "detail/local_search.hpp"
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

/// Labels the rural blocks' connected groups. The `rural_footprints` most
/// populous (0: every one) become footprints "Rural 1", "Rural 2", ... after
/// the towns, unless they are fragments: fewer people than the floor, or
/// with no floor than the smallest town footprint; nor is a group kept when
/// its part of the graph (a --within unit) would then hold too few people
/// for its towns and rural footprints to meet the floor. The other groups
/// join the town footprint they touch most. A group that touches no town
/// (blocks no town can reach) cannot join one: it stays a footprint of its
/// own, numbered after the kept ones.
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
    const std::vector<double> town_people = town_population(problem, region, partition.regions);
    const double fragment = problem.min_population > 0 ? problem.min_population
                                                        : *std::min_element(town_people.begin(), town_people.end());
    const std::size_t limit = options.rural_footprints ? options.rural_footprints : groups.size();
    // Per part of the graph: its people, and the footprints that must meet the floor in it.
    std::vector<double> part_people(graph.component_count, 0.0);
    std::vector<std::size_t> part_footprints(graph.component_count, 0);
    for (std::size_t i = 0; i < graph.size(); ++i) part_people[graph.component[i]] += problem.population_of(i);
    for (const std::size_t seed : options.seed_blocks) ++part_footprints[graph.component[seed]];
    auto room_for_one_more = [&](const Group& group) {
        const std::uint32_t part = graph.component[group.blocks.front()];
        return part_people[part] >= problem.min_population * static_cast<double>(part_footprints[part] + 1);
    };
    std::size_t kept = 0;
    std::vector<const Group*> cut_off;
    auto label_rural = [&](const Group& group) {
        const auto label = static_cast<std::int32_t>(partition.names.size());
        partition.names.push_back("Rural " + std::to_string(partition.names.size() - partition.regions + 1));
        for (std::uint32_t b : group.blocks) region[b] = label;
    };
    for (const Group& group : groups) {
        if (kept < limit && group.people >= fragment && room_for_one_more(group)) {
            label_rural(group);
            ++part_footprints[graph.component[group.blocks.front()]];
            ++kept;
            continue;
        }
        // Groups are whole components of the rural blocks, so they touch
        // only town footprints.
        std::vector<std::size_t> contacts(partition.regions, 0);
        for (std::uint32_t b : group.blocks)
            for (const std::uint32_t* n = graph.begin(b); n != graph.end(b); ++n)
                if (region[*n] >= 0 && static_cast<std::size_t>(region[*n]) < contacts.size())
                    ++contacts[static_cast<std::size_t>(region[*n])];
        const auto best = std::max_element(contacts.begin(), contacts.end());
        if (*best == 0) {
            cut_off.push_back(&group);
            continue;
        }
        for (std::uint32_t b : group.blocks) region[b] = static_cast<std::int32_t>(best - contacts.begin());
    }
    for (const Group* group : cut_off) label_rural(*group);
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
        if (nearest[i] > options.rural_distance || std::isinf(nearest[i])) region[i] = rural;
    grow(problem, options, weight, region);

    double total = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (region[i] != rural) total += problem.population_of(i);
    const double target = std::clamp(total / static_cast<double>(towns), std::max(problem.min_population, 1.0),
                                     problem.max_population);
    // People outside the floor and ceiling, over the towns.
    auto outside_bounds = [&](const std::vector<double>& people) {
        double outside = 0;
        for (double p : people) outside += std::max(0.0, problem.min_population - p) + std::max(0.0, p - problem.max_population);
        return outside;
    };
    std::vector<double> people = town_population(problem, region, towns);
    std::vector<std::int32_t> best = region;
    double best_outside = outside_bounds(people), best_imbalance = imbalance(people, target);
    // Damped multiplicative updates of the weights: towards the target with
    // the balance, and at least as hard for a town outside the floor or
    // ceiling, towards the bound it breaks. The labelling seen with the
    // fewest people outside the bounds, then the most balanced, is kept.
    const double balance = balance_of(options);
    const bool bounded = problem.min_population > 0 || std::isfinite(problem.max_population);
    const std::size_t rounds = balance > 0 || bounded ? 60 : 0;
    for (std::size_t round = 0; round < rounds; ++round) {
        for (std::size_t t = 0; t < towns; ++t) {
            const double p = std::max(people[t], 1.0);
            if (p < problem.min_population) weight[t] *= std::pow(problem.min_population / p, 0.25 * std::max(balance, 1.0));
            else if (p > problem.max_population) weight[t] *= std::pow(problem.max_population / p, 0.25 * std::max(balance, 1.0));
            else weight[t] *= std::pow(target / p, 0.25 * balance);
        }
        grow(problem, options, weight, region);
        people = town_population(problem, region, towns);
        const double outside = outside_bounds(people), now = imbalance(people, target);
        if (outside < best_outside || (outside == best_outside && now < best_imbalance)) {
            best_outside = outside;
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
    if (bounded) {
        // What growth and the rural rule left outside the bounds, blocks
        // moved (never a town's own) at the least cost in compactness: the
        // repair's sum of squares is over the block centres.
        ClusteringProblem spatial = problem;
        spatial.dimensions = 2;
        spatial.attributes.clear();
        for (const Coord& centre : options.block_centres) spatial.attributes.insert(spatial.attributes.end(), {centre.x, centre.y});
        standardise(spatial.attributes, 2, {}, {"x", "y"}, problem.graph->codes);
        std::vector<bool> town_block(n, false);
        for (const std::size_t block : options.seed_blocks) town_block[block] = true;
        meet_bounds(spatial, options, partition, town_block);
    }
    return partition;
}

}  // namespace placedef::detail
