// AZP (Openshaw 1977): from a random contiguous partition into k regions,
// blocks on region edges move to neighbouring regions while that lowers the
// within sum of squares; the tabu and simulated-annealing searches of
// Openshaw and Rao (1995) get out of the first local optimum. Random starts
// run in parallel, each on its own seed stream, and the best is kept, so the
// result does not depend on the thread count. refine_azp() runs the same
// search from any contiguous partition.
#include "detail/local_search.hpp"
#include "detail/methods.hpp"
#include "detail/regions.hpp"

#include "core/parallel.hpp"
#include "placedef/error.hpp"

#include <algorithm>
#include <limits>
#include <functional>
#include <numeric>
#include <queue>
#include <string>

namespace placedef {
inline namespace clustering {
}  // namespace clustering

namespace detail {
namespace {

/// k distinct random blocks (a partial Fisher-Yates shuffle).
std::vector<std::uint32_t> draw_seeds(std::size_t n, std::size_t k, Random& random) {
    std::vector<std::uint32_t> blocks(n);
    std::iota(blocks.begin(), blocks.end(), 0u);
    for (std::size_t r = 0; r < k; ++r) std::swap(blocks[r], blocks[r + random.below(n - r)]);
    blocks.resize(k);
    return blocks;
}

/// Random contiguous growth from k random seeds: a random unassigned block
/// touching a region joins the region of a random assigned neighbour, until
/// every block has one (the graph is connected).
std::vector<std::int32_t> random_start(const ClusteringProblem& problem, Random& random) {
    const ContiguityGraph& graph = *problem.graph;
    std::vector<std::int32_t> region(problem.size(), -1);
    std::vector<std::uint32_t> frontier;  // unassigned blocks next to a region, repeats allowed
    auto join = [&](std::uint32_t block, std::int32_t label) {
        region[block] = label;
        for (const std::uint32_t* m = graph.begin(block); m != graph.end(block); ++m)
            if (region[*m] < 0) frontier.push_back(*m);
    };
    const std::vector<std::uint32_t> seeds = draw_seeds(problem.size(), problem.k, random);
    for (std::size_t r = 0; r < seeds.size(); ++r) join(seeds[r], static_cast<std::int32_t>(r));
    std::vector<std::int32_t> touching;
    while (!frontier.empty()) {
        const std::size_t pick = random.below(frontier.size());
        const std::uint32_t block = frontier[pick];
        frontier[pick] = frontier.back();
        frontier.pop_back();
        if (region[block] >= 0) continue;
        touching.clear();
        for (const std::uint32_t* m = graph.begin(block); m != graph.end(block); ++m)
            if (region[*m] >= 0) touching.push_back(region[*m]);
        join(block, touching[random.below(touching.size())]);
    }
    return region;
}

/// Contiguous growth from k random seeds in which the region with the
/// fewest people takes the next block, a random one on its edge: for a
/// floor or a ceiling, regions of similar population leave the repair
/// little to do (a random start leaves some regions far below a floor that
/// no single move can mend).
std::vector<std::int32_t> balanced_start(const ClusteringProblem& problem, Random& random) {
    const ContiguityGraph& graph = *problem.graph;
    std::vector<std::int32_t> region(problem.size(), -1);
    std::vector<std::vector<std::uint32_t>> edge(problem.k);  // unassigned blocks next to each region, repeats allowed
    std::vector<double> population(problem.k, 0.0);
    auto join = [&](std::uint32_t block, std::int32_t label) {
        region[block] = label;
        const auto r = static_cast<std::size_t>(label);
        population[r] += problem.population_of(block);
        for (const std::uint32_t* m = graph.begin(block); m != graph.end(block); ++m)
            if (region[*m] < 0) edge[r].push_back(*m);
    };
    using Growing = std::pair<double, std::int32_t>;  // (population, region): the smallest grows first
    std::priority_queue<Growing, std::vector<Growing>, std::greater<Growing>> growing;
    const std::vector<std::uint32_t> seeds = draw_seeds(problem.size(), problem.k, random);
    for (std::size_t r = 0; r < seeds.size(); ++r) {
        join(seeds[r], static_cast<std::int32_t>(r));
        growing.emplace(population[r], static_cast<std::int32_t>(r));
    }
    while (!growing.empty()) {
        const std::int32_t label = growing.top().second;
        growing.pop();
        std::vector<std::uint32_t>& blocks = edge[static_cast<std::size_t>(label)];
        while (!blocks.empty()) {
            const std::size_t pick = random.below(blocks.size());
            const std::uint32_t block = blocks[pick];
            blocks[pick] = blocks.back();
            blocks.pop_back();
            if (region[block] < 0) {
                join(block, label);
                break;
            }
        }
        if (!blocks.empty()) growing.emplace(population[static_cast<std::size_t>(label)], label);  // else it is enclosed
    }
    return region;
}

/// One AZP run: a random start (balanced when there are bounds) brought
/// within the floor and ceiling where moves can do it, then the local search.
Candidate azp_run(const ClusteringProblem& problem, const ClusterOptions& options, std::uint64_t seed) {
    Random random(seed);
    const bool bounded = problem.min_population > 0 || problem.max_population < std::numeric_limits<double>::infinity();
    MoveState state(problem, bounded ? balanced_start(problem, random) : random_start(problem, random), problem.k);
    repair_bounds(state, random);
    local_search(state, options.search, random);
    return {state.labels(), problem.k, state.total_violation(), state.cost()};
}

}  // namespace

Partition azp(const ClusteringProblem& problem, const ClusterOptions& options) {
    if (problem.k == 0) throw invalid_input("azp needs a region count: set k to at least 1");
    if (options.restarts == 0) throw invalid_input("azp needs at least one random start: set restarts to 1 or more");
    std::vector<Candidate> runs(options.restarts);
    ProgressCounter progress(options.progress, runs.size());
    parallel_for(runs.size(), options.threads, 1, [&](std::size_t begin, std::size_t end) {
        for (std::size_t run = begin; run < end; ++run) {
            runs[run] = azp_run(problem, options, stream_seed(options.seed, run));
            progress.advance();
        }
    });
    Candidate& best = runs[best_candidate(runs)];
    if (best.violation > 0)
        throw invalid_input("azp: none of " + std::to_string(runs.size()) + " random starts gave " + std::to_string(problem.k) +
                            " contiguous regions within " + describe_bounds(problem) +
                            "; lower k, loosen the bounds or raise restarts");
    Partition result;
    result.region = std::move(best.region);
    result.regions = problem.k;
    return result;
}

}  // namespace detail

inline namespace clustering {

Partition refine_azp(const ClusteringProblem& problem, Partition start, const ClusterOptions& options) {
    if (!problem.graph) throw invalid_input("refine_azp: the problem has no contiguity graph");
    if (start.region.size() != problem.size())
        throw invalid_input("refine_azp: the partition labels " + std::to_string(start.region.size()) +
                            " blocks, the problem has " + std::to_string(problem.size()));
    std::int32_t highest = -1;
    for (std::size_t block = 0; block < start.region.size(); ++block) {
        if (start.region[block] < 0)
            throw invalid_input("refine_azp: block '" + problem.graph->codes[block] + "' has no region");
        highest = std::max(highest, start.region[block]);
    }
    const std::size_t regions = std::max(start.regions, static_cast<std::size_t>(highest + 1));
    const std::vector<std::size_t> parts = detail::region_parts(*problem.graph, start.region, regions);
    for (std::size_t r = 0; r < regions; ++r)
        if (parts[r] != 1)
            throw invalid_input("refine_azp: region " + std::to_string(r) +
                                (parts[r] == 0 ? " has no block" : " is in " + std::to_string(parts[r]) + " separate parts") +
                                "; the start must be a contiguous partition");

    detail::Random random(options.seed);
    detail::MoveState state(problem, start.region, regions);
    detail::local_search(state, options.search, random);
    // Only a lower objective replaces the start: else only rounding moved, and the start is kept exactly.
    if (detail::objective_of(problem, state.labels()) < detail::objective_of(problem, start.region))
        start.region = state.labels();
    std::tie(start.wss, start.tss) = sums_of_squares(problem, start.region);
    start.regions = regions;
    return start;
}

}  // namespace clustering
}  // namespace placedef
