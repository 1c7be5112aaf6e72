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
// deletion (an entry is dropped when one of its clusters has merged). When A
// and B merge into C, the statistic of C and a neighbour N combines those of
// (A, N) and (B, N) exactly (a sum, a minimum or a maximum: the Lance-
// Williams update of each linkage); when only one of A and B touched N, the
// missing one is computed from all member pairs. A pair of blocks enters
// such a direct computation at most once - afterwards the clusters holding
// it stay adjacent until they merge - so building the tree costs at most
// n(n-1)/2 distance evaluations, O(n²·d) (in parallel, vectorised over
// members), plus O(E log E) for the heap and the neighbour lists of planar-
// like graphs. In practice the quadratic term dominates only for the last,
// large merges; measured figures are in the module's benchmark notes.
#include "detail/methods.hpp"
#include "detail/regions.hpp"
#include "detail/spanning_tree.hpp"

#include "geometry/detail/parallel.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace placedef::detail {
namespace {

/// What is kept of the distances between all member pairs of two clusters:
/// their sum (average linkage), their least (single) or greatest (complete)
/// value. Single and complete keep squared distances until finish_pairs().
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
};
struct CandidateAfter {
    bool operator()(const Candidate& l, const Candidate& r) const {
        return l.linkage > r.linkage || (l.linkage == r.linkage && l.bridge > r.bridge);
    }
};

/// A statistic over all member pairs of two clusters, to compute directly.
struct PairTask {
    std::uint32_t outer = 0, inner = 0;  ///< clusters; `inner`'s rows are gathered column by column
    std::size_t link = 0;                ///< the Link it completes
    std::size_t first_item = 0;          ///< its work items are [first_item, next task's first_item)
    std::size_t columns = 0;             ///< offset of its gathered rows
};

/// Pairs per work item of a direct computation (whole outer members): enough
/// that each tile of inner rows is reused from cache, and a computation
/// smaller than two items is not worth starting threads for. Fixed, so that
/// the sums, added item by item, do not depend on the thread count.
constexpr std::size_t pairs_per_item = std::size_t{1} << 20;
/// Inner rows per tile: their columns and squared distances stay in L1.
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
        m_members.reserve(2 * n);
        m_neighbours.reserve(2 * n);
        for (std::uint32_t i = 0; i < n; ++i) m_members.push_back({i});
        m_neighbours.resize(n);
        // Edges come sorted by (a, b), so each neighbour list comes out sorted.
        for (std::uint32_t e = 0; e < m_edges.size(); ++e) {
            const auto [a, b] = m_edges[e];
            const double pairs = m_options.linkage == Linkage::average ? lengths[e] : lengths[e] * lengths[e];
            m_neighbours[a].push_back({b, pairs, lengths[e], e});
            m_neighbours[b].push_back({a, pairs, lengths[e], e});
            m_heap.push({linkage(pairs, a, b), e, a, b});
        }
    }

    std::vector<BlockEdge> build() {
        const std::size_t merges = m_problem.size() > 0 ? m_problem.size() - 1 : 0;
        const std::size_t progress_total = merges + planned_cuts(m_problem);
        const std::size_t progress_step = std::max<std::size_t>(1, merges / 200);
        m_tree.reserve(merges);
        while (!m_heap.empty() && m_tree.size() < merges) {
            const Candidate top = m_heap.top();
            m_heap.pop();
            if (m_members[top.a].empty() || m_members[top.b].empty()) continue;  // one has merged since
            merge(top.a, top.b);
            if (m_options.progress && m_tree.size() % progress_step == 0) m_options.progress(m_tree.size(), progress_total);
        }
        return std::move(m_tree);
    }

private:
    void merge(std::uint32_t a, std::uint32_t b) {
        const auto merged = static_cast<std::uint32_t>(m_members.size());
        std::vector<Link> links;
        std::vector<PairTask> tasks;
        {
            const std::vector<Link>& of_a = m_neighbours[a];
            const std::vector<Link>& of_b = m_neighbours[b];
            const auto joining = std::lower_bound(of_a.begin(), of_a.end(), b,
                                                  [](const Link& link, std::uint32_t id) { return link.cluster < id; });
            m_tree.push_back(m_edges[joining->bridge]);
            // Both lists are sorted by cluster: walk them together.
            auto i = of_a.begin(), j = of_b.begin();
            while (i != of_a.end() || j != of_b.end()) {
                if (i != of_a.end() && i->cluster == b) {
                    ++i;
                    continue;
                }
                if (j != of_b.end() && j->cluster == a) {
                    ++j;
                    continue;
                }
                if (j == of_b.end() || (i != of_a.end() && i->cluster < j->cluster)) {
                    tasks.push_back({b, i->cluster, links.size(), 0, 0});  // b never touched this neighbour
                    links.push_back(*i++);
                } else if (i == of_a.end() || j->cluster < i->cluster) {
                    tasks.push_back({a, j->cluster, links.size(), 0, 0});
                    links.push_back(*j++);
                } else {
                    Link both = shorter_bridge(*i, *j) ? *i : *j;
                    both.pairs = combine_pairs(m_options.linkage, i->pairs, j->pairs);
                    links.push_back(both);
                    ++i;
                    ++j;
                }
            }
        }
        compute_pairs(tasks, links);

        std::vector<std::uint32_t>& larger = m_members[a].size() >= m_members[b].size() ? m_members[a] : m_members[b];
        std::vector<std::uint32_t>& smaller = &larger == &m_members[a] ? m_members[b] : m_members[a];
        std::vector<std::uint32_t> members = std::move(larger);
        members.insert(members.end(), smaller.begin(), smaller.end());
        std::vector<std::uint32_t>().swap(smaller);
        std::vector<Link>().swap(m_neighbours[a]);
        std::vector<Link>().swap(m_neighbours[b]);
        m_members.push_back(std::move(members));

        for (const Link& link : links) {
            std::vector<Link>& theirs = m_neighbours[link.cluster];
            for (std::uint32_t gone : {std::max(a, b), std::min(a, b)}) {
                const auto at = std::lower_bound(theirs.begin(), theirs.end(), gone,
                                                 [](const Link& l, std::uint32_t id) { return l.cluster < id; });
                if (at != theirs.end() && at->cluster == gone) theirs.erase(at);
            }
            Link back = link;
            back.cluster = merged;
            theirs.push_back(back);  // the newest cluster has the highest id: the list stays sorted
            m_heap.push({linkage(link.pairs, merged, link.cluster), link.bridge, link.cluster, merged});
        }
        m_neighbours.push_back(std::move(links));
    }

    double linkage(double pairs, std::uint32_t x, std::uint32_t y) const {
        if (m_options.linkage == Linkage::average)
            return pairs / (static_cast<double>(m_members[x].size()) * static_cast<double>(m_members[y].size()));
        return std::sqrt(pairs);
    }

    /// Completes links[task.link] with the statistic of all member pairs of
    /// each task's two clusters. The larger cluster of a task is the inner
    /// one, gathered column by column so that the distances from one outer
    /// member to all of it vectorise.
    void compute_pairs(std::vector<PairTask>& tasks, std::vector<Link>& links) {
        const std::size_t d = m_problem.dimensions;
        std::size_t items = 0, pairs = 0, columns_size = 0;
        for (PairTask& task : tasks) {
            if (m_members[task.outer].size() > m_members[task.inner].size()) std::swap(task.outer, task.inner);
            const std::size_t inner = m_members[task.inner].size(), outer = m_members[task.outer].size();
            task.first_item = items;
            task.columns = columns_size;
            items += (outer + outer_per_item(inner) - 1) / outer_per_item(inner);
            pairs += inner * outer;
            columns_size += inner * d;
        }
        m_columns.resize(columns_size);
        for (const PairTask& task : tasks) {
            const std::vector<std::uint32_t>& inner = m_members[task.inner];
            for (std::size_t j = 0; j < inner.size(); ++j) {
                const double* row = m_problem.row(inner[j]);
                for (std::size_t k = 0; k < d; ++k) m_columns[task.columns + k * inner.size() + j] = row[k];
            }
        }
        std::vector<std::size_t> item_task(items);
        for (std::size_t t = 0; t < tasks.size(); ++t) {
            const std::size_t end = t + 1 < tasks.size() ? tasks[t + 1].first_item : items;
            std::fill(item_task.begin() + static_cast<std::ptrdiff_t>(tasks[t].first_item),
                      item_task.begin() + static_cast<std::ptrdiff_t>(end), t);
        }
        std::vector<double> partial(items);
        parallel_for(items, pairs >= 2 * pairs_per_item ? m_options.threads : 1, 1, [&](std::size_t begin, std::size_t end) {
            for (std::size_t item = begin; item < end; ++item) {
                const PairTask& task = tasks[item_task[item]];
                const std::size_t step = outer_per_item(m_members[task.inner].size());
                const std::size_t first = (item - task.first_item) * step;
                partial[item] = item_statistic(task, first, std::min(m_members[task.outer].size(), first + step));
            }
        });
        for (std::size_t t = 0; t < tasks.size(); ++t) {
            const std::size_t end = t + 1 < tasks.size() ? tasks[t + 1].first_item : items;
            Link& link = links[tasks[t].link];
            for (std::size_t item = tasks[t].first_item; item < end; ++item)
                link.pairs = combine_pairs(m_options.linkage, link.pairs, partial[item]);
        }
    }

    static std::size_t outer_per_item(std::size_t inner) { return std::max<std::size_t>(1, pairs_per_item / inner); }

    /// The statistic of the distances between outer members [first, last)
    /// of a task and all its inner members, a tile of inner rows at a time.
    double item_statistic(const PairTask& task, std::size_t first, std::size_t last) const {
        const std::vector<std::uint32_t>& outer = m_members[task.outer];
        const std::size_t count = m_members[task.inner].size();
        const double* columns = m_columns.data() + task.columns;
        double squared[tile_rows];
        double statistic = no_pairs(m_options.linkage);
        for (std::size_t tile = 0; tile < count; tile += tile_rows) {
            const std::size_t rows = std::min(tile_rows, count - tile);
            for (std::size_t o = first; o < last; ++o) {
                const double* x = m_problem.row(outer[o]);
                std::fill(squared, squared + rows, 0.0);
                for (std::size_t k = 0; k < m_problem.dimensions; ++k) {
                    const double value = x[k];
                    const double* column = columns + k * count + tile;
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
    std::vector<std::vector<std::uint32_t>> m_members;  ///< per cluster (blocks first, then one per merge); empty once merged
    std::vector<std::vector<Link>> m_neighbours;        ///< per cluster, sorted by cluster
    std::priority_queue<Candidate, std::vector<Candidate>, CandidateAfter> m_heap;
    std::vector<BlockEdge> m_tree;
    std::vector<double> m_columns;  ///< scratch of compute_pairs()
};

}  // namespace

std::vector<BlockEdge> full_order_linkage_tree(const ClusteringProblem& problem, const ClusterOptions& options) {
    return LinkageTree(problem, options).build();
}

Partition redcap(const ClusteringProblem& problem, const ClusterOptions& options) {
    require_connected(*problem.graph);
    const std::vector<BlockEdge> tree = full_order_linkage_tree(problem, options);
    return partition_tree(problem, tree, options, tree.size());
}

}  // namespace placedef::detail
