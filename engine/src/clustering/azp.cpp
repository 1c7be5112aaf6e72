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

#include "geometry/detail/parallel.hpp"
#include "placedef/error.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <string>

namespace placedef {
namespace detail {
namespace {

/// k distinct random seed blocks, then random contiguous growth: a random
/// unassigned block touching a region joins the region of a random assigned
/// neighbour, until every block has one (the graph is connected).
std::vector<std::int32_t> random_start(const ClusteringProblem& problem, std::size_t k, Random& random) {
    const ContiguityGraph& graph = *problem.graph;
    const std::size_t n = problem.size();
    std::vector<std::int32_t> region(n, -1);
    std::vector<std::uint32_t> blocks(n);
    std::iota(blocks.begin(), blocks.end(), 0u);
    std::vector<std::uint32_t> frontier;  // unassigned blocks next to a region, repeats allowed
    auto join = [&](std::uint32_t block, std::int32_t label) {
        region[block] = label;
        for (const std::uint32_t* m = graph.begin(block); m != graph.end(block); ++m)
            if (region[*m] < 0) frontier.push_back(*m);
    };
    for (std::size_t r = 0; r < k; ++r) {  // a partial Fisher-Yates shuffle draws the seeds
        std::swap(blocks[r], blocks[r + random.below(n - r)]);
        join(blocks[r], static_cast<std::int32_t>(r));
    }
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

/// One AZP run: a random start brought within the floor and ceiling where
/// moves can do it, then the local search.
Candidate azp_run(const ClusteringProblem& problem, const ClusterOptions& options, std::uint64_t seed) {
    Random random(seed);
    MoveState state(problem, random_start(problem, problem.k, random), problem.k);
    repair_bounds(state, random);
    local_search(state, options.search, random);
    return {state.labels(), problem.k, state.total_violation(), state.wss()};
}

std::string describe_bounds(const ClusteringProblem& problem) {
    std::string text = "a floor of " + std::to_string(problem.min_population);
    if (problem.max_population < std::numeric_limits<double>::infinity())
        text += " and a ceiling of " + std::to_string(problem.max_population);
    return text;
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
    result.wss = best.wss;
    return result;
}

}  // namespace detail

Partition refine_azp(const ClusteringProblem& problem, Partition start, const ClusterOptions& options) {
    if (!problem.graph) throw invalid_input("refine_azp: the problem has no contiguity graph");
    if (start.region.size() != problem.size())
        throw invalid_input("refine_azp: the partition labels " + std::to_string(start.region.size()) + " blocks, the problem has " +
                            std::to_string(problem.size()));
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
    const auto [start_wss, tss] = sums_of_squares(problem, start.region);
    const double refined_wss = sums_of_squares(problem, state.labels()).first;
    if (refined_wss < start_wss) {  // else only rounding moved: keep the start exactly
        start.region = state.labels();
        start.wss = refined_wss;
    } else {
        start.wss = start_wss;
    }
    start.regions = regions;
    start.tss = tss;
    return start;
}

}  // namespace placedef
