#include "detail/spanning_tree.hpp"

#include "detail/partner_table.hpp"

#include "placedef/error.hpp"
#include "placedef/text.hpp"

#include "core/parallel.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <queue>
#include <string>
#include <tuple>

namespace placedef::detail {

std::vector<BlockEdge> graph_edges(const ContiguityGraph& graph) {
    std::vector<BlockEdge> edges;
    edges.reserve(graph.edge_count());
    for (std::size_t a = 0; a < graph.size(); ++a)
        for (const std::uint32_t* b = graph.begin(a); b != graph.end(a); ++b)
            if (*b > a) edges.push_back({static_cast<std::uint32_t>(a), *b});
    return edges;
}

std::vector<double> edge_lengths(const ClusteringProblem& problem, const std::vector<BlockEdge>& edges, unsigned threads) {
    std::vector<double> lengths(edges.size());
    parallel_for(edges.size(), threads, 4096, [&](std::size_t begin, std::size_t end) {
        for (std::size_t e = begin; e < end; ++e) {
            const double* x = problem.row(edges[e].a);
            const double* y = problem.row(edges[e].b);
            double squared = 0;
            for (std::size_t d = 0; d < problem.dimensions; ++d) squared += (x[d] - y[d]) * (x[d] - y[d]);
            lengths[e] = std::sqrt(squared);
        }
    });
    return lengths;
}

namespace {

/// Union-find over blocks (union by size, path halving).
class DisjointSets {
public:
    explicit DisjointSets(std::size_t count) : m_parent(count), m_size(count, 1) {
        std::iota(m_parent.begin(), m_parent.end(), std::uint32_t{0});
    }
    std::uint32_t find(std::uint32_t x) {
        while (m_parent[x] != x) x = m_parent[x] = m_parent[m_parent[x]];
        return x;
    }
    /// Joins the sets of x and y; false when they were one already.
    bool unite(std::uint32_t x, std::uint32_t y) {
        x = find(x);
        y = find(y);
        if (x == y) return false;
        if (m_size[x] < m_size[y]) std::swap(x, y);
        m_parent[y] = x;
        m_size[x] += m_size[y];
        return true;
    }

private:
    std::vector<std::uint32_t> m_parent, m_size;
};

}  // namespace

std::vector<BlockEdge> minimum_spanning_tree(const ClusteringProblem& problem, unsigned threads) {
    const std::vector<BlockEdge> edges = graph_edges(*problem.graph);
    std::vector<double> lengths = edge_lengths(problem, edges, threads);
    // An edge across a partner layer's line is dearer, so that the tree
    // crosses the lines where it must, and the cuts can follow them.
    if (!problem.respect.empty() || !problem.align.empty())
        for (std::size_t e = 0; e < edges.size(); ++e) lengths[e] *= crossing_factor(problem, edges[e].a, edges[e].b);
    std::vector<std::uint32_t> order(edges.size());
    std::iota(order.begin(), order.end(), std::uint32_t{0});
    std::sort(order.begin(), order.end(), [&](std::uint32_t l, std::uint32_t r) {
        return lengths[l] < lengths[r] || (lengths[l] == lengths[r] && l < r);
    });
    DisjointSets sets(problem.size());
    std::vector<BlockEdge> tree;
    tree.reserve(problem.size() > 0 ? problem.size() - 1 : 0);
    for (std::uint32_t e : order) {
        if (tree.size() + 1 >= problem.size()) break;
        if (sets.unite(edges[e].a, edges[e].b)) tree.push_back(edges[e]);
    }
    return tree;
}

std::size_t planned_cuts(const ClusteringProblem& problem) {
    if (problem.k > 0) return problem.k - 1;
    if (problem.min_population <= 0) return problem.size() > 0 ? problem.size() - 1 : 0;
    double total = 0;
    for (std::size_t i = 0; i < problem.size(); ++i) total += problem.population_of(i);
    return static_cast<std::size_t>(std::max(1.0, std::floor(total / problem.min_population))) - 1;
}

namespace {

constexpr std::uint32_t no_edge = 0xffffffffu;

/// A candidate cut of one tree. Better cuts leave less of a shortfall below
/// the floor (0: admissible), then need fewer further regions to meet the
/// ceiling (0 for a tree within it), then lower the sum of squares more, then
/// have the lower edge index.
struct Cut {
    double shortfall = 0;  ///< people the two sides lack to reach the floor, together
    std::size_t pieces = 0;
    double reduction = 0;
    std::uint32_t edge = no_edge;  ///< index in the tree's edge list
    std::uint32_t child = 0;       ///< the block on the far side from the tree's root
    bool found() const { return edge != no_edge; }
};

bool better(const Cut& l, const Cut& r) {
    if (!r.found()) return l.found();
    if (!l.found()) return false;
    if (l.shortfall != r.shortfall) return l.shortfall < r.shortfall;
    if (l.pieces != r.pieces) return l.pieces < r.pieces;
    if (l.reduction != r.reduction) return l.reduction > r.reduction;
    return l.edge < r.edge;
}

/// Trees of more than this many blocks have their cuts scored in parallel,
/// in chunks of this size: for smaller ones threads cost more than they save.
constexpr std::size_t parallel_scoring_chunk = 8192;

class TreePartitioner {
public:
    TreePartitioner(const ClusteringProblem& problem, const std::vector<BlockEdge>& tree, const ClusterOptions& options)
        : m_problem(problem),
          m_options(options),
          m_dimensions(problem.dimensions),
          m_cut(tree.size(), false),
          m_region(problem.size(), 0),
          m_parent(problem.size()),
          m_parent_edge(problem.size()),
          m_count(problem.size()),
          m_population(problem.size()),
          m_sum(problem.size() * problem.dimensions) {
        const std::size_t n = problem.size();
        m_offsets.assign(n + 1, 0);
        for (const BlockEdge& edge : tree) {
            ++m_offsets[edge.a + 1];
            ++m_offsets[edge.b + 1];
        }
        for (std::size_t i = 0; i < n; ++i) m_offsets[i + 1] += m_offsets[i];
        m_arcs.resize(2 * tree.size());
        std::vector<std::size_t> fill(m_offsets.begin(), m_offsets.end() - 1);
        for (std::uint32_t e = 0; e < tree.size(); ++e) {
            m_arcs[fill[tree[e].a]++] = {tree[e].b, e};
            m_arcs[fill[tree[e].b]++] = {tree[e].a, e};
        }
    }

    Partition run(std::size_t progress_done) {
        const std::size_t target = m_problem.k > 0 ? m_problem.k : m_problem.size();
        const std::size_t progress_total = progress_done + planned_cuts(m_problem);
        add_region(0);
        while (!m_queue.empty()) {
            const Entry top = m_queue.top();
            if (top.version != m_regions[static_cast<std::size_t>(top.region)].version) {
                m_queue.pop();  // the region has been cut since
                continue;
            }
            // Cuts that break the floor come last. They are made to reach k,
            // or to split a region above the ceiling; otherwise (k = 0) the
            // floor decides how many regions there are. What is left outside
            // the bounds is for meet_bounds().
            if (m_regions.size() >= target || (top.cut.shortfall > 0 && m_problem.k == 0 && !top.over_ceiling)) break;
            m_queue.pop();
            cut(top.region, top.cut);
            if (m_options.progress)
                m_options.progress(std::min(progress_done + m_regions.size() - 1, progress_total), progress_total);
        }
        if (m_options.progress) m_options.progress(progress_total, progress_total);
        Partition partition;
        partition.region = m_region;
        partition.regions = m_regions.size();
        std::tie(partition.wss, partition.tss) = sums_of_squares(m_problem, partition.region);
        return partition;
    }

private:
    struct Arc {
        std::uint32_t to, edge;
    };
    struct Region {
        std::uint32_t root = 0;
        std::uint32_t version = 0;
    };
    /// A region waiting in the queue: those above the ceiling come first,
    /// the most populous first; then the others by their best cut.
    struct Entry {
        bool over_ceiling = false;
        double population = 0;
        Cut cut;
        std::int32_t region = 0;
        std::uint32_t version = 0;
    };
    struct EntryAfter {
        bool operator()(const Entry& l, const Entry& r) const {  // true when l comes out after r
            if (l.over_ceiling != r.over_ceiling) return r.over_ceiling;
            if (l.over_ceiling) return l.population < r.population || (l.population == r.population && l.region > r.region);
            return better(r.cut, l.cut);
        }
    };

    /// Registers the tree holding `root` as region `label` (new or just cut)
    /// and queues it with its best cut.
    void add_region(std::uint32_t root) {
        const auto label = static_cast<std::int32_t>(m_regions.size());
        m_regions.push_back({root, 0});
        score(label);
    }

    void cut(std::int32_t label, const Cut& chosen) {
        m_cut[chosen.edge] = true;
        ++m_regions[static_cast<std::size_t>(label)].version;
        score(label);             // the root's side keeps the label
        add_region(chosen.child);  // the far side becomes a new region
    }

    /// Labels the region's tree, finds its best admissible cut and queues it.
    void score(std::int32_t label) {
        const Region region = m_regions[static_cast<std::size_t>(label)];
        collect_subtree_sums(region.root, label);
        const std::uint32_t root = region.root;
        const double total_population = m_population[root];
        Entry entry;
        entry.region = label;
        entry.version = region.version;
        entry.population = total_population;
        entry.over_ceiling = total_population > m_problem.max_population;
        const std::size_t blocks = m_order.size();
        if (blocks > 1) {
            const std::size_t chunks = (blocks + parallel_scoring_chunk - 1) / parallel_scoring_chunk;
            std::vector<Cut> best(chunks);
            parallel_for(blocks, chunks > 1 ? m_options.threads : 1, parallel_scoring_chunk,
                         [&](std::size_t begin, std::size_t end) {
                             best[begin / parallel_scoring_chunk] = best_cut(begin, end, entry.over_ceiling);
                         });
            for (const Cut& candidate : best)
                if (better(candidate, entry.cut)) entry.cut = candidate;
        }
        if (entry.cut.found()) m_queue.push(entry);
    }

    /// Visits the tree of `root` breadth first (m_order, m_parent), labels
    /// it, and leaves in each block the count, population and attribute
    /// sums of its subtree.
    void collect_subtree_sums(std::uint32_t root, std::int32_t label) {
        m_order.assign(1, root);
        m_parent[root] = root;
        m_parent_edge[root] = no_edge;
        for (std::size_t head = 0; head < m_order.size(); ++head) {
            const std::uint32_t at = m_order[head];
            m_region[at] = label;
            m_count[at] = 1;
            m_population[at] = m_problem.population_of(at);
            std::copy(m_problem.row(at), m_problem.row(at) + m_dimensions, m_sum.begin() + static_cast<std::ptrdiff_t>(at * m_dimensions));
            for (std::size_t a = m_offsets[at]; a < m_offsets[at + 1]; ++a) {
                const Arc arc = m_arcs[a];
                if (m_cut[arc.edge] || arc.edge == m_parent_edge[at]) continue;
                m_parent[arc.to] = at;
                m_parent_edge[arc.to] = arc.edge;
                m_order.push_back(arc.to);
            }
        }
        for (std::size_t i = m_order.size(); i-- > 1;) {  // children before parents
            const std::uint32_t child = m_order[i], parent = m_parent[child];
            m_count[parent] += m_count[child];
            m_population[parent] += m_population[child];
            const double* from = m_sum.data() + child * m_dimensions;
            double* to = m_sum.data() + parent * m_dimensions;
            for (std::size_t d = 0; d < m_dimensions; ++d) to[d] += from[d];
        }
    }

    /// The best admissible cut among the edges above m_order[begin, end).
    /// Splitting a set into parts a and b lowers its sum of squares by
    /// n_a·n_b/n · |mean_a − mean_b|², so the subtree sums suffice.
    Cut best_cut(std::size_t begin, std::size_t end, bool over_ceiling) const {
        const std::uint32_t root = m_order.front();
        const double total_count = static_cast<double>(m_count[root]);
        const double total_population = m_population[root];
        const double* total_sum = m_sum.data() + root * m_dimensions;
        Cut best;
        for (std::size_t i = std::max<std::size_t>(begin, 1); i < end; ++i) {
            const std::uint32_t child = m_order[i];
            const double inside = m_population[child], outside = total_population - inside;
            const double shortfall =
                std::max(0.0, m_problem.min_population - inside) + std::max(0.0, m_problem.min_population - outside);
            const double inside_count = static_cast<double>(m_count[child]), outside_count = total_count - inside_count;
            const double* sum = m_sum.data() + child * m_dimensions;
            double gap = 0;
            for (std::size_t d = 0; d < m_dimensions; ++d) {
                const double difference = sum[d] / inside_count - (total_sum[d] - sum[d]) / outside_count;
                gap += difference * difference;
            }
            Cut candidate;
            candidate.shortfall = shortfall;
            candidate.pieces = over_ceiling ? regions_needed(inside) + regions_needed(outside) : 0;
            candidate.reduction = inside_count * outside_count / total_count * gap;
            candidate.edge = m_parent_edge[child];
            candidate.child = child;
            if (better(candidate, best)) best = candidate;
        }
        return best;
    }

    /// The fewest regions `people` can be split into under the ceiling.
    std::size_t regions_needed(double people) const {
        return static_cast<std::size_t>(std::max(1.0, std::ceil(people / m_problem.max_population)));
    }

    const ClusteringProblem& m_problem;
    const ClusterOptions& m_options;
    const std::size_t m_dimensions;
    std::vector<std::size_t> m_offsets;  ///< tree adjacency: arcs of block i are [m_offsets[i], m_offsets[i+1])
    std::vector<Arc> m_arcs;
    std::vector<bool> m_cut;             ///< per tree edge
    std::vector<std::int32_t> m_region;  ///< per block
    std::vector<Region> m_regions;
    std::priority_queue<Entry, std::vector<Entry>, EntryAfter> m_queue;
    // Scratch of score(), per block; the trees are disjoint.
    std::vector<std::uint32_t> m_order, m_parent, m_parent_edge;
    std::vector<std::size_t> m_count;
    std::vector<double> m_population, m_sum;
};

}  // namespace

Partition partition_tree(const ClusteringProblem& problem, const std::vector<BlockEdge>& tree,
                         const ClusterOptions& options, std::size_t progress_done) {
    if (problem.size() > 0 && tree.size() + 1 != problem.size())
        throw invalid_input(std::string(to_string(options.method)) + ": a spanning tree of " +
                            std::to_string(problem.size()) + " blocks needs " + std::to_string(problem.size() - 1) +
                            " edges, not " + std::to_string(tree.size()));
    return TreePartitioner(problem, tree, options).run(progress_done);
}

}  // namespace placedef::detail
