// The partner post-pass: SKATER and REDCAP cut a tree and seeded growth runs
// a shortest-path race, so none of them can weigh the partner terms as it
// builds (seeded growth only makes crossing a partner's line dearer). Their
// partition is then improved by local search on the objective with the
// terms, keeping contiguity, the region count, and the floor and ceiling.
//  - SKATER and REDCAP: the AZP refinement (options.search), on the WSS plus
//    the partner terms; its result is never worse than the cut.
//  - Seeded growth: its footprints are not chosen by WSS, so the pass weighs
//    the partner terms alone; it takes only moves that lower them (greedy
//    descent: no move for nothing), every town centre block stays in its
//    footprint, and no footprint goes further beyond the population range
//    the growth gave than a twentieth of the mean footprint population (so
//    the range widens by a tenth of the mean at most), nor beyond the floor
//    and ceiling when they are given.
#include "detail/local_search.hpp"
#include "detail/methods.hpp"

#include <algorithm>
#include <limits>

namespace placedef::detail {
namespace {

/// Seeded growth's pass: how far, as a share of the mean footprint
/// population, a footprint may go beyond either end of the grown range.
constexpr double range_slack = 0.05;

}  // namespace

Partition follow_partners(const ClusteringProblem& problem, Partition partition, const ClusterOptions& options) {
    if (options.method != ClusterMethod::seeded) return refine_azp(problem, std::move(partition), options);

    ClusteringProblem pass = problem;
    pass.attributes.clear();
    pass.dimensions = 0;
    double least = std::numeric_limits<double>::infinity(), most = 0, total = 0;
    std::vector<double> people(partition.regions, 0.0);
    for (std::size_t block = 0; block < problem.size(); ++block)
        people[static_cast<std::size_t>(partition.region[block])] += problem.population_of(block);
    for (const double p : people) {
        least = std::min(least, p);
        most = std::max(most, p);
        total += p;
    }
    const double slack = range_slack * total / static_cast<double>(partition.regions);
    pass.min_population = std::max(problem.min_population, least - slack);
    pass.max_population = std::min(problem.max_population, most + slack);
    MoveState state(pass, partition.region, partition.regions);
    state.pin(options.seed_blocks);
    Random random(stream_seed(options.seed, 0));
    local_search(state, LocalSearch::greedy, random);
    partition.region = state.labels();
    return partition;
}

}  // namespace placedef::detail
