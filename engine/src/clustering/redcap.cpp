// REDCAP (Guo 2008), full-order variants: contiguity-constrained
// agglomerative clustering builds a spanning tree, which is then cut into
// regions as SKATER cuts its minimum spanning tree.
//
// Every block starts as its own cluster. Each step merges the two adjacent
// clusters with the smallest linkage - over ALL pairs of their members
// (full order), not only the adjacent pairs: the mean distance (average),
// the least (single) or the greatest (complete) - and adds to the tree the
// shortest graph edge between them.
//
// Linkage is kept only between adjacent clusters, in a heap with lazy
// deletion: an entry is dropped when one of its clusters has merged away or
// the link has changed since (each link carries the stamp of its current
// entry). A merged cluster keeps the id of the larger of the two, so that
// links whose linkage did not change (single and complete linkage, far from
// the merge) keep their entries. When A and B merge into C, the statistic of
// C and a neighbour N combines those of (A, N) and (B, N) exactly - a sum,
// a minimum or a maximum: the Lance-Williams update of each linkage - and
// when only one of A and B touched N the missing one is computed from all
// member pairs.
//
// Complexity. A pair of blocks enters such a direct computation at most once
// (afterwards the clusters holding it stay adjacent until they merge), so the
// distances cost at most n(n-1)/2 evaluations, O(n²·d): Θ(n²) in the worst
// case and in practice, since the last merges join large clusters. They run
// vectorised and, for large merges, in parallel. The bookkeeping costs
// O(deg) per merge for the degrees of the two clusters in the cluster graph,
// plus O(log) per heap entry; the heap is compacted when stale entries
// outnumber live links, so memory stays O(n + E). Average and complete
// linkage grow compact clusters of small degree; single linkage chains - one
// cluster absorbs block after block and its degree grows with its boundary -
// so its bookkeeping term is larger. Measured (bench::lattice_problem, 9
// attributes, two busy cores): 35,000 blocks take 2-4 s with average or
// complete linkage, 6 s with single, under 50 MB; 10,000 take 0.2-0.4 s.
#include "detail/local_search.hpp"
#include "detail/methods.hpp"
#include "detail/regions.hpp"
#include "detail/spanning_tree.hpp"

#include "core/parallel.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace placedef::detail {
namespace {

/// What is kept of the distances between all member pairs of two clusters:
/// their sum (average linkage), their least (single) or greatest (complete)
/// value. Single and complete keep squared distances; linkage() takes the root.
double combine_pairs(Linkage linkage, double x, double y) {
    switch (linkage) {
        case Linkage::single: return std::min(x, y);
        case Linkage::complete: return std::max(x, y);
        case Linkage::average: break;
    }
    return x + y;
}

/// Two adjacent clusters, seen from one of them.
struct Link {
    std::uint32_t cluster = 0;  ///< the other cluster
    std::uint64_t stamp = 0;    ///< of the heap entry that holds its current linkage (0: none)
    double pairs = 0;           ///< the statistic of all member pairs (combine_pairs)
    double bridge_length = 0;   ///< the shortest graph edge between the two
    std::uint32_t bridge = 0;   ///< its index in graph_edges()
};

bool shorter_bridge(const Link& l, const Link& r) {
    return l.bridge_length < r.bridge_length || (l.bridge_length == r.bridge_length && l.bridge < r.bridge);
}

/// A merge waiting in the heap: the smallest linkage first, then the lowest
/// bridge index (a bridge joins one pair of clusters, so the order is total).
struct Candidate {
    double linkage = 0;
    std::uint32_t bridge = 0;
    std::uint32_t a = 0, b = 0;
    std::uint64_t stamp = 0;  ///< stale unless the link (a, b) still carries it
};
struct CandidateAfter {
    bool operator()(const Candidate& l, const Candidate& r) const {
        return l.linkage > r.linkage || (l.linkage == r.linkage && l.bridge > r.bridge);
    }
};

/// A statistic over all member pairs of two clusters, to compute directly.
struct PairTask {
    std::uint32_t outer = 0, inner = 0;  ///< clusters; the larger is the inner one
    std::size_t link = 0;                ///< the Link it completes
    std::size_t first_item = 0;          ///< its work items are [first_item, next task's first_item)
};

/// Direct computations of fewer pairs run row by row, without tiles.
constexpr std::size_t small_pairs = 4096;
/// Pairs per work item of a direct computation (whole outer members): enough
/// that each tile of inner rows is reused from cache, and a computation
/// smaller than two items is not worth starting threads for. Fixed, so that
/// the sums, added item by item, do not depend on the thread count.
constexpr std::size_t pairs_per_item = std::size_t{1} << 20;
/// Inner rows per tile, transposed to columns: they and their squared
/// distances stay in L1 while every outer row of a work item passes.
constexpr std::size_t tile_rows = 256;

/// The value combine_pairs() leaves unchanged (distances are never negative).
double no_pairs(Linkage linkage) {
    return linkage == Linkage::single ? std::numeric_limits<double>::infinity() : 0.0;
}

/// Σ sqrt(values[j]), added in two lanes (even and odd j) then together, so
/// that the SSE2 path and the portable one give the same sum.
double sum_of_roots(const double* values, std::size_t count) {
    double lane[2] = {0.0, 0.0};
    std::size_t j = 0;
#if defined(__SSE2__)
    // Vector square roots: the compiler keeps std::sqrt scalar for errno's sake.
    __m128d lanes = _mm_setzero_pd();
    for (; j + 2 <= count; j += 2) lanes = _mm_add_pd(lanes, _mm_sqrt_pd(_mm_loadu_pd(values + j)));
    _mm_storeu_pd(lane, lanes);
#else
    for (; j + 2 <= count; j += 2) {
        lane[0] += std::sqrt(values[j]);
        lane[1] += std::sqrt(values[j + 1]);
    }
#endif
    double sum = lane[0] + lane[1];
    if (j < count) sum += std::sqrt(values[j]);
    return sum;
}

class LinkageTree {
public:
    LinkageTree(const ClusteringProblem& problem, const ClusterOptions& options)
        : m_problem(problem), m_options(options), m_edges(graph_edges(*problem.graph)) {
        const std::size_t n = problem.size();
        const std::vector<double> lengths = edge_lengths(problem, m_edges, options.threads);
        m_size.assign(n, 1);
        m_rows.resize(n);
        for (std::size_t i = 0; i < n; ++i) m_rows[i].assign(problem.row(i), problem.row(i) + problem.dimensions);
        m_neighbours.resize(n);
        // Edges come sorted by (a, b), so each neighbour list comes out sorted.
        for (std::uint32_t e = 0; e < m_edges.size(); ++e) {
            const auto [a, b] = m_edges[e];
            const double pairs = m_options.linkage == Linkage::average ? lengths[e] : lengths[e] * lengths[e];
            const std::uint64_t stamp = ++m_stamp;
            m_neighbours[a].push_back({b, stamp, pairs, lengths[e], e});
            m_neighbours[b].push_back({a, stamp, pairs, lengths[e], e});
            m_heap.push_back({linkage(pairs, a, b), e, a, b, stamp});
        }
        m_live_links = m_edges.size();
        std::make_heap(m_heap.begin(), m_heap.end(), CandidateAfter());
    }

    std::vector<BlockEdge> build() {
        const std::size_t merges = m_problem.size() > 0 ? m_problem.size() - 1 : 0;
        const std::size_t progress_total = merges + planned_cuts(m_problem);
        const std::size_t progress_step = std::max<std::size_t>(1, merges / 200);
        m_tree.reserve(merges);
        while (!m_heap.empty() && m_tree.size() < merges) {
            std::pop_heap(m_heap.begin(), m_heap.end(), CandidateAfter());
            const Candidate top = m_heap.back();
            m_heap.pop_back();
            if (!current(top)) continue;
            merge(top.a, top.b);
            if (m_heap.size() > 2 * m_live_links + 1024) drop_stale_candidates();
            if (m_options.progress && m_tree.size() % progress_step == 0) m_options.progress(m_tree.size(), progress_total);
        }
        return std::move(m_tree);
    }

private:
    static std::vector<Link>::const_iterator find(const std::vector<Link>& links, std::uint32_t cluster) {
        const auto at = std::lower_bound(links.begin(), links.end(), cluster,
                                         [](const Link& link, std::uint32_t id) { return link.cluster < id; });
        return at != links.end() && at->cluster == cluster ? at : links.end();
    }

    bool current(const Candidate& candidate) const {
        if (m_size[candidate.a] == 0 || m_size[candidate.b] == 0) return false;
        const std::vector<Link>& links = m_neighbours[candidate.a];
        const auto link = find(links, candidate.b);
        return link != links.end() && link->stamp == candidate.stamp;
    }

    void drop_stale_candidates() {
        m_heap.erase(std::remove_if(m_heap.begin(), m_heap.end(), [&](const Candidate& c) { return !current(c); }),
                     m_heap.end());
        std::make_heap(m_heap.begin(), m_heap.end(), CandidateAfter());
    }

    void merge(std::uint32_t x, std::uint32_t y) {
        const bool x_keeps = m_size[x] > m_size[y] || (m_size[x] == m_size[y] && x < y);
        const std::uint32_t keep = x_keeps ? x : y, gone = x_keeps ? y : x;
        const std::vector<Link>& kept = m_neighbours[keep];
        const std::vector<Link>& left = m_neighbours[gone];
        // Scratch kept between merges: a cluster of high degree would otherwise
        // have its large lists allocated afresh (and paged in) at every merge.
        std::vector<Link>& links = m_links;    // the merged cluster's links
        std::vector<Link>& before = m_before;  // what `keep` had with each neighbour (stamp 0: nothing)
        std::vector<char>& touched_gone = m_touched_gone;
        std::vector<PairTask>& tasks = m_tasks;
        links.clear();
        before.clear();
        touched_gone.clear();
        tasks.clear();
        m_tree.push_back(m_edges[find(kept, gone)->bridge]);
        // Both lists are sorted by cluster: walk them together.
        auto i = kept.begin(), j = left.begin();
        while (i != kept.end() || j != left.end()) {
            if (i != kept.end() && i->cluster == gone) {
                ++i;
            } else if (j != left.end() && j->cluster == keep) {
                ++j;
            } else if (j == left.end() || (i != kept.end() && i->cluster < j->cluster)) {
                tasks.push_back({gone, i->cluster, links.size(), 0});  // `gone` never touched this neighbour
                before.push_back(*i);
                touched_gone.push_back(false);
                links.push_back(*i++);
            } else if (i == kept.end() || j->cluster < i->cluster) {
                tasks.push_back({keep, j->cluster, links.size(), 0});
                before.push_back({});
                touched_gone.push_back(true);
                links.push_back(*j++);
            } else {
                Link both = shorter_bridge(*i, *j) ? *i : *j;
                both.pairs = combine_pairs(m_options.linkage, i->pairs, j->pairs);
                before.push_back(*i);
                touched_gone.push_back(true);
                links.push_back(both);
                ++i;
                ++j;
            }
        }
        compute_pairs(tasks, links);
        m_live_links = m_live_links + links.size() + 1 - kept.size() - left.size();

        m_size[keep] += m_size[gone];
        m_size[gone] = 0;
        m_rows[keep].insert(m_rows[keep].end(), m_rows[gone].begin(), m_rows[gone].end());
        std::vector<double>().swap(m_rows[gone]);
        std::vector<Link>().swap(m_neighbours[gone]);
        for (std::size_t l = 0; l < links.size(); ++l) {
            Link& link = links[l];
            // Average linkage changes with the cluster's size; the others only with their statistic.
            const bool changed = m_options.linkage == Linkage::average || before[l].stamp == 0 ||
                                 link.pairs != before[l].pairs || link.bridge != before[l].bridge;
            if (!changed && !touched_gone[l]) continue;  // the neighbour's copy of the link is still right
            if (changed) link.stamp = ++m_stamp;
            std::vector<Link>& theirs = m_neighbours[link.cluster];
            const auto was_gone = find(theirs, gone);
            if (was_gone != theirs.end()) theirs.erase(was_gone);
            Link back = link;
            back.cluster = keep;
            const auto at = std::lower_bound(theirs.begin(), theirs.end(), keep,
                                             [](const Link& other, std::uint32_t id) { return other.cluster < id; });
            if (at != theirs.end() && at->cluster == keep)
                *at = back;
            else
                theirs.insert(at, back);
            if (changed) {
                m_heap.push_back({linkage(link.pairs, keep, link.cluster), link.bridge, keep, link.cluster, link.stamp});
                std::push_heap(m_heap.begin(), m_heap.end(), CandidateAfter());
            }
        }
        std::swap(m_neighbours[keep], links);  // the old list becomes the next merge's scratch
    }

    double linkage(double pairs, std::uint32_t x, std::uint32_t y) const {
        if (m_options.linkage == Linkage::average)
            return pairs / (static_cast<double>(m_size[x]) * static_cast<double>(m_size[y]));
        return std::sqrt(pairs);
    }

    /// Completes links[task.link] with the statistic of all member pairs of
    /// each task's two clusters.
    void compute_pairs(std::vector<PairTask>& tasks, std::vector<Link>& links) {
        const auto small = std::remove_if(tasks.begin(), tasks.end(), [&](const PairTask& task) {
            if (m_size[task.outer] * m_size[task.inner] >= small_pairs) return false;
            Link& link = links[task.link];
            link.pairs = combine_pairs(m_options.linkage, link.pairs, direct_statistic(task));
            return true;
        });
        tasks.erase(small, tasks.end());
        std::size_t items = 0, pairs = 0;
        for (PairTask& task : tasks) {
            if (m_size[task.outer] > m_size[task.inner]) std::swap(task.outer, task.inner);
            task.first_item = items;
            items += (m_size[task.outer] + outer_per_item(m_size[task.inner]) - 1) / outer_per_item(m_size[task.inner]);
            pairs += m_size[task.outer] * m_size[task.inner];
        }
        std::vector<std::size_t> item_task(items);
        for (std::size_t t = 0; t < tasks.size(); ++t) {
            const std::size_t end = t + 1 < tasks.size() ? tasks[t + 1].first_item : items;
            std::fill(item_task.begin() + static_cast<std::ptrdiff_t>(tasks[t].first_item),
                      item_task.begin() + static_cast<std::ptrdiff_t>(end), t);
        }
        std::vector<double> partial(items);
        parallel_for(items, pairs >= 2 * pairs_per_item ? m_options.threads : 1, 1, [&](std::size_t begin, std::size_t end) {
            std::vector<double> columns(tile_rows * m_problem.dimensions);
            for (std::size_t item = begin; item < end; ++item) {
                const PairTask& task = tasks[item_task[item]];
                const std::size_t first = (item - task.first_item) * outer_per_item(m_size[task.inner]);
                const std::size_t last = std::min(m_size[task.outer], first + outer_per_item(m_size[task.inner]));
                partial[item] = item_statistic(task, first, last, columns);
            }
        });
        for (std::size_t t = 0; t < tasks.size(); ++t) {
            const std::size_t end = t + 1 < tasks.size() ? tasks[t + 1].first_item : items;
            Link& link = links[tasks[t].link];
            for (std::size_t item = tasks[t].first_item; item < end; ++item)
                link.pairs = combine_pairs(m_options.linkage, link.pairs, partial[item]);
        }
    }

    /// The statistic of all member pairs of a small task, row by row.
    double direct_statistic(const PairTask& task) const {
        const std::size_t d = m_problem.dimensions;
        double statistic = no_pairs(m_options.linkage);
        for (std::size_t a = 0; a < m_size[task.outer]; ++a) {
            const double* x = m_rows[task.outer].data() + a * d;
            for (std::size_t b = 0; b < m_size[task.inner]; ++b) {
                const double* y = m_rows[task.inner].data() + b * d;
                double squared = 0;
                for (std::size_t k = 0; k < d; ++k) squared += (x[k] - y[k]) * (x[k] - y[k]);
                statistic = combine_pairs(m_options.linkage, statistic,
                                          m_options.linkage == Linkage::average ? std::sqrt(squared) : squared);
            }
        }
        return statistic;
    }

    static std::size_t outer_per_item(std::size_t inner) { return std::max<std::size_t>(1, pairs_per_item / inner); }

    /// The statistic of the distances between outer members [first, last)
    /// of a task and all its inner members, a tile of inner rows at a time,
    /// transposed into `columns` so that the distances vectorise.
    double item_statistic(const PairTask& task, std::size_t first, std::size_t last, std::vector<double>& columns) const {
        const std::size_t d = m_problem.dimensions, count = m_size[task.inner];
        const double* inner = m_rows[task.inner].data();
        const double* outer = m_rows[task.outer].data();
        double squared[tile_rows];
        double statistic = no_pairs(m_options.linkage);
        for (std::size_t tile = 0; tile < count; tile += tile_rows) {
            const std::size_t rows = std::min(tile_rows, count - tile);
            for (std::size_t j = 0; j < rows; ++j)
                for (std::size_t k = 0; k < d; ++k) columns[k * tile_rows + j] = inner[(tile + j) * d + k];
            for (std::size_t o = first; o < last; ++o) {
                const double* x = outer + o * d;
                std::fill(squared, squared + rows, 0.0);
                for (std::size_t k = 0; k < d; ++k) {
                    const double value = x[k];
                    const double* column = columns.data() + k * tile_rows;
                    for (std::size_t j = 0; j < rows; ++j) {
                        const double difference = value - column[j];
                        squared[j] += difference * difference;
                    }
                }
                statistic = combine_pairs(m_options.linkage, statistic, tile_statistic(squared, rows));
            }
        }
        return statistic;
    }

    /// Sum of the distances, or least or greatest squared distance.
    double tile_statistic(const double* squared, std::size_t rows) const {
        double extreme = squared[0];
        switch (m_options.linkage) {
            case Linkage::average: return sum_of_roots(squared, rows);
            case Linkage::single:
                for (std::size_t j = 1; j < rows; ++j) extreme = squared[j] < extreme ? squared[j] : extreme;
                return extreme;
            case Linkage::complete:
                for (std::size_t j = 1; j < rows; ++j) extreme = squared[j] > extreme ? squared[j] : extreme;
                return extreme;
        }
        return extreme;
    }

    const ClusteringProblem& m_problem;
    const ClusterOptions& m_options;
    const std::vector<BlockEdge> m_edges;
    // Per cluster, named by one of its blocks: its block count (0 once merged
    // away) and its members' attribute rows, contiguous for the distance loops.
    std::vector<std::size_t> m_size;
    std::vector<std::vector<double>> m_rows;
    std::vector<std::vector<Link>> m_neighbours;        ///< per cluster, sorted by cluster
    std::vector<Candidate> m_heap;                      ///< a heap under CandidateAfter
    std::uint64_t m_stamp = 0;                          ///< the last stamp given out
    std::size_t m_live_links = 0;                       ///< links between live clusters, each counted once
    std::vector<BlockEdge> m_tree;
    // Scratch of merge() and compute_pairs().
    std::vector<Link> m_links, m_before;
    std::vector<char> m_touched_gone;
    std::vector<PairTask> m_tasks;
};

}  // namespace

std::vector<BlockEdge> full_order_linkage_tree(const ClusteringProblem& problem, const ClusterOptions& options) {
    return LinkageTree(problem, options).build();
}

Partition redcap(const ClusteringProblem& problem, const ClusterOptions& options) {
    require_connected(*problem.graph);
    const std::vector<BlockEdge> tree = full_order_linkage_tree(problem, options);
    Partition partition = partition_tree(problem, tree, options, tree.size());
    meet_bounds(problem, options, partition);
    return partition;
}

}  // namespace placedef::detail
