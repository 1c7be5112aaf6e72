// max-p regions (Duque, Anselin and Rey 2012) with the construction and
// local search of Wei, Rey and Knaap (2021): many randomised constructions
// look for the largest number of contiguous regions that each reach the
// floor; those with the most regions are ranked by WSS and the best few are
// improved by local search (simulated annealing, as Wei et al., unless
// options.search says otherwise) that keeps every region above the floor.
// Constructions and searches run in parallel, each on its own seed stream,
// and are compared in index order, so the result does not depend on the
// thread count. The growth departs from the published random one where
// that finds more regions (see grow_regions).
//
// With k also set, k caps the count: the floor still decides how many
// regions can be made, and when that is more than k the touching regions
// whose union adds least to the WSS are merged until k remain (a merge never
// breaks the floor).
#include "detail/local_search.hpp"
#include "detail/methods.hpp"
#include "detail/regions.hpp"

#include "core/parallel.hpp"
#include "placedef/error.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <string>

namespace placedef::detail {
namespace {

constexpr std::int32_t unassigned = -1;
constexpr std::int32_t enclave = -2;  // left over by a growth that could not reach the floor
constexpr std::size_t searched_most = 10;  // constructions improved by local search

bool within_ceiling(const ClusteringProblem& problem, double population) { return population <= problem.max_population; }

/// Unassigned blocks by how many unassigned neighbours they have, so that
/// the most cut-off one can be drawn (at random among equals). Counts only
/// fall, so a block is re-filed one bucket lower as a neighbour is taken
/// and stale entries are dropped when they come up.
class PeripheryQueue {
public:
    PeripheryQueue(const ContiguityGraph& graph, const std::vector<std::uint32_t>& free_neighbours) {
        std::size_t most = 0;
        for (std::size_t block = 0; block < graph.size(); ++block) most = std::max(most, graph.degree(block));
        m_buckets.resize(most + 1);
        for (std::size_t block = 0; block < graph.size(); ++block)
            m_buckets[free_neighbours[block]].push_back(static_cast<std::uint32_t>(block));
    }
    void refile(std::uint32_t block, std::uint32_t free_neighbours) {
        m_buckets[free_neighbours].push_back(block);
        m_lowest = std::min<std::size_t>(m_lowest, free_neighbours);
    }
    /// An unassigned block with the fewest unassigned neighbours, or none
    /// (the block count) when every block is taken.
    std::size_t draw(const std::vector<std::int32_t>& region, const std::vector<std::uint32_t>& free_neighbours,
                     Random& random) {
        for (; m_lowest < m_buckets.size(); ++m_lowest) {
            std::vector<std::uint32_t>& bucket = m_buckets[m_lowest];
            while (!bucket.empty()) {
                const std::size_t pick = random.below(bucket.size());
                const std::uint32_t block = bucket[pick];
                bucket[pick] = bucket.back();
                bucket.pop_back();
                if (region[block] == unassigned && free_neighbours[block] == m_lowest) return block;
            }
        }
        return region.size();
    }

private:
    std::vector<std::vector<std::uint32_t>> m_buckets;
    std::size_t m_lowest = 0;
};

/// Grows regions through unassigned blocks until each reaches the floor.
/// Both choices favour the blocks most at risk of being cut off, which
/// leaves fewer scraps that cannot reach the floor and so makes more
/// regions: each seed is an unassigned block with the fewest unassigned
/// neighbours (the edge of what is left), and the next block taken is one
/// with the fewest unassigned neighbours, then the most links into the
/// region; ties are drawn at random. (Random seeds and growth, as published,
/// gave 39 regions on the Surrey problem with a floor of 25,000; these
/// rules give 45.) A block that would take the region over the ceiling is
/// passed over. A growth that runs out of blocks before the floor leaves
/// them as enclaves. Returns the number of regions.
std::size_t grow_regions(const ClusteringProblem& problem, std::vector<std::int32_t>& region, Random& random) {
    const ContiguityGraph& graph = *problem.graph;
    const std::size_t n = problem.size();
    std::vector<std::uint32_t> free_neighbours(n);
    for (std::size_t block = 0; block < n; ++block) free_neighbours[block] = static_cast<std::uint32_t>(graph.degree(block));
    PeripheryQueue seeds(graph, free_neighbours);
    std::vector<std::uint32_t> links(n, 0);  // links into the growing region, for blocks on its frontier
    std::vector<std::uint32_t> frontier, grown;
    std::int32_t regions = 0;
    auto better = [&](std::uint32_t a, std::uint32_t b) {  // -1: a first, 1: b first, 0: equal
        if (free_neighbours[a] != free_neighbours[b]) return free_neighbours[a] < free_neighbours[b] ? -1 : 1;
        if (links[a] != links[b]) return links[a] > links[b] ? -1 : 1;
        return 0;
    };
    for (std::size_t seed; (seed = seeds.draw(region, free_neighbours, random)) < n;) {
        grown.clear();
        frontier.clear();
        double population = 0;
        auto take = [&](std::uint32_t block) {
            region[block] = regions;
            grown.push_back(block);
            population += problem.population_of(block);
            for (const std::uint32_t* m = graph.begin(block); m != graph.end(block); ++m) {
                if (region[*m] != unassigned) continue;
                seeds.refile(*m, --free_neighbours[*m]);
                if (links[*m]++ == 0) frontier.push_back(*m);
            }
        };
        take(static_cast<std::uint32_t>(seed));
        while (population < problem.min_population) {
            std::size_t pick = frontier.size(), ties = 0;
            for (std::size_t f = 0; f < frontier.size(); ++f) {
                const std::uint32_t block = frontier[f];
                if (!within_ceiling(problem, population + problem.population_of(block))) continue;
                const int order = pick == frontier.size() ? -1 : better(block, frontier[pick]);
                if (order < 0) {
                    pick = f;
                    ties = 1;
                } else if (order == 0 && random.below(++ties) == 0) {
                    pick = f;
                }
            }
            if (pick == frontier.size()) break;
            const std::uint32_t block = frontier[pick];
            frontier[pick] = frontier.back();
            frontier.pop_back();
            links[block] = 0;
            take(block);
        }
        for (const std::uint32_t block : frontier) links[block] = 0;
        if (population >= problem.min_population) {
            ++regions;
        } else {
            for (const std::uint32_t block : grown) region[block] = enclave;
        }
    }
    return static_cast<std::size_t>(regions);
}

/// Gives each enclave to the neighbouring region whose WSS it raises least
/// (one that stays within the ceiling, when there is one), spreading out
/// from the regions in random order.
void assign_enclaves(const ClusteringProblem& problem, std::vector<std::int32_t>& region, std::vector<RegionSums>& sums,
                     Random& random) {
    const ContiguityGraph& graph = *problem.graph;
    std::vector<std::uint32_t> queue;
    auto touches_region = [&](std::uint32_t block) {
        for (const std::uint32_t* m = graph.begin(block); m != graph.end(block); ++m)
            if (region[*m] >= 0) return true;
        return false;
    };
    std::vector<bool> queued(problem.size(), false);
    for (std::size_t block = 0; block < problem.size(); ++block)
        if (region[block] == enclave && touches_region(static_cast<std::uint32_t>(block))) {
            queue.push_back(static_cast<std::uint32_t>(block));
            queued[block] = true;
        }
    random.shuffle(queue);
    for (std::size_t head = 0; head < queue.size(); ++head) {
        const std::uint32_t block = queue[head];
        std::int32_t best = -1;
        bool best_fits = false;
        double best_cost = std::numeric_limits<double>::infinity();
        for (const std::uint32_t* m = graph.begin(block); m != graph.end(block); ++m) {
            if (region[*m] < 0) continue;
            const RegionSums& target = sums[static_cast<std::size_t>(region[*m])];
            const bool fits = within_ceiling(problem, target.population() + problem.population_of(block));
            const double cost = target.wss_with(problem, block, 1.0) - target.wss();
            if ((fits && !best_fits) || (fits == best_fits && cost < best_cost)) {
                best = region[*m];
                best_fits = fits;
                best_cost = cost;
            }
        }
        region[block] = best;
        sums[static_cast<std::size_t>(best)].add(problem, block);
        for (const std::uint32_t* m = graph.begin(block); m != graph.end(block); ++m)
            if (region[*m] == enclave && !queued[*m]) {
                queued[*m] = true;
                queue.push_back(*m);
            }
    }
}

double ceiling_excess(const ClusteringProblem& problem, const std::vector<RegionSums>& sums) {
    double excess = 0;
    for (const RegionSums& s : sums) excess += std::max(0.0, s.population() - problem.max_population);
    return excess;
}

/// One construction: regions grown to the floor, enclaves assigned. When no
/// growth reaches the floor, the one region of every block is the answer
/// (cluster() has checked that the total population reaches it).
Candidate construct(const ClusteringProblem& problem, Random& random) {
    Candidate built;
    built.region.assign(problem.size(), unassigned);
    built.regions = grow_regions(problem, built.region, random);
    if (built.regions == 0) {
        built.region.assign(problem.size(), 0);
        built.regions = 1;
    }
    std::vector<RegionSums> sums = region_sums(problem, built.region, built.regions);
    assign_enclaves(problem, built.region, sums, random);
    built.cost = objective_of(problem, built.region);
    built.violation = ceiling_excess(problem, sums);
    return built;
}

/// What merging two regions adds to the WSS: n_a n_b / (n_a + n_b) times
/// the squared distance between their means.
double merge_cost(const RegionSums& a, const RegionSums& b) {
    const double na = static_cast<double>(a.count()), nb = static_cast<double>(b.count());
    double distance = 0;
    for (std::size_t d = 0; d < a.sum().size(); ++d) {
        const double gap = a.sum()[d] / na - b.sum()[d] / nb;
        distance += gap * gap;
    }
    return na * nb / (na + nb) * distance;
}

/// Merges the touching pair of regions whose union adds least to the WSS
/// (preferring unions within the ceiling) until `k` regions remain, then
/// renumbers the regions.
void merge_down(const ClusteringProblem& problem, Candidate& candidate, std::size_t k) {
    const ContiguityGraph& graph = *problem.graph;
    std::vector<RegionSums> sums = region_sums(problem, candidate.region, candidate.regions);
    std::vector<std::vector<std::uint32_t>> members(candidate.regions);
    std::vector<std::vector<std::int32_t>> touching(candidate.regions);
    for (std::size_t block = 0; block < problem.size(); ++block) {
        const std::int32_t own = candidate.region[block];
        members[static_cast<std::size_t>(own)].push_back(static_cast<std::uint32_t>(block));
        for (const std::uint32_t* m = graph.begin(block); m != graph.end(block); ++m)
            if (candidate.region[*m] != own) touching[static_cast<std::size_t>(own)].push_back(candidate.region[*m]);
    }
    auto tidy = [](std::vector<std::int32_t>& list) {
        std::sort(list.begin(), list.end());
        list.erase(std::unique(list.begin(), list.end()), list.end());
    };
    for (auto& list : touching) tidy(list);
    for (std::size_t remaining = candidate.regions; remaining > k; --remaining) {
        std::size_t keep = 0, absorb = 0;
        bool best_fits = false;
        double best_cost = std::numeric_limits<double>::infinity();
        for (std::size_t a = 0; a < touching.size(); ++a)
            for (const std::int32_t other : touching[a]) {
                const auto b = static_cast<std::size_t>(other);
                if (b < a) continue;
                const bool fits = within_ceiling(problem, sums[a].population() + sums[b].population());
                const double cost = merge_cost(sums[a], sums[b]);
                if ((fits && !best_fits) || (fits == best_fits && cost < best_cost)) {
                    keep = a;
                    absorb = b;
                    best_fits = fits;
                    best_cost = cost;
                }
            }
        const auto kept = static_cast<std::int32_t>(keep), absorbed = static_cast<std::int32_t>(absorb);
        for (const std::uint32_t block : members[absorb]) {
            candidate.region[block] = kept;
            sums[keep].add(problem, block);
            members[keep].push_back(block);
        }
        members[absorb].clear();
        for (const std::int32_t other : touching[absorb]) {
            auto& list = touching[static_cast<std::size_t>(other)];
            std::replace(list.begin(), list.end(), absorbed, kept);
            tidy(list);
            if (other != kept) touching[keep].push_back(other);
        }
        touching[absorb].clear();
        auto& list = touching[keep];
        list.erase(std::remove(list.begin(), list.end(), kept), list.end());
        tidy(list);
    }
    candidate.regions = canonical_labels(candidate.region);
}

}  // namespace

Partition max_p(const ClusteringProblem& problem, const ClusterOptions& options) {
    if (options.construction_tries == 0)
        throw invalid_input("max-p needs at least one construction: set construction_tries to 1 or more");
    const std::size_t tries = options.construction_tries;
    const std::size_t searched_limit = std::min(tries, searched_most);
    ProgressCounter progress(options.progress, tries + searched_limit);

    std::vector<Candidate> built(tries);
    parallel_for(tries, options.threads, 1, [&](std::size_t begin, std::size_t end) {
        for (std::size_t attempt = begin; attempt < end; ++attempt) {
            Random random(stream_seed(options.seed, attempt));
            built[attempt] = construct(problem, random);
            progress.advance();
        }
    });

    // Within the ceiling first, then the most regions (up to k), then the least cost (the whole objective, as the local search counts it).
    const std::size_t cap = problem.k ? problem.k : std::numeric_limits<std::size_t>::max();
    auto count = [&](const Candidate& c) { return std::min(c.regions, cap); };
    std::vector<std::size_t> ranked(tries);
    std::iota(ranked.begin(), ranked.end(), std::size_t{0});
    std::stable_sort(ranked.begin(), ranked.end(), [&](std::size_t a, std::size_t b) {
        const Candidate &x = built[a], &y = built[b];
        if (x.violation != y.violation) return x.violation < y.violation;
        if (count(x) != count(y)) return count(x) > count(y);
        return x.cost < y.cost;
    });
    const Candidate& leader = built[ranked.front()];
    std::size_t searched = 1;
    while (searched < searched_limit && built[ranked[searched]].violation == leader.violation &&
           count(built[ranked[searched]]) == count(leader))
        ++searched;

    std::vector<Candidate> improved(searched);
    parallel_for(searched, options.threads, 1, [&](std::size_t begin, std::size_t end) {
        for (std::size_t rank = begin; rank < end; ++rank) {
            Candidate& start = built[ranked[rank]];
            if (start.regions > cap) merge_down(problem, start, cap);
            Random random(stream_seed(options.seed, tries + rank));
            MoveState state(problem, std::move(start.region), start.regions);
            repair_bounds(state, random);  // a ceiling the growth could not keep, or a merge down to k broke
            local_search(state, options.search, random);
            improved[rank] = {state.labels(), start.regions, state.total_violation(), state.cost()};
            progress.advance();
        }
    });
    if (searched < searched_limit) progress.advance(searched_limit - searched);

    Candidate& best = improved[best_candidate(improved)];
    if (best.violation > 0)
        throw invalid_input("max-p: none of " + std::to_string(tries) + " constructions kept every region within " +
                            describe_bounds(problem) + "; raise the ceiling or construction_tries");
    Partition result;
    result.region = std::move(best.region);
    result.regions = best.regions;
    return result;
}

}  // namespace placedef::detail
