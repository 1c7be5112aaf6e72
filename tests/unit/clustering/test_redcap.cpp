// REDCAP's full-order linkage tree: a hand-drawn case worked on paper, and
// small lattices against a direct transcription of Guo's (2008) definition.
// How the tree is cut is tested with SKATER's in test_skater.cpp.
#include <catch2/catch.hpp>

#include "clustering/detail/methods.hpp"
#include "clustering/detail/regions.hpp"
#include "clustering/detail/spanning_tree.hpp"
#include "hand_problems.hpp"
#include "problem_file.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

using namespace placedef;

namespace {

using EdgeList = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

EdgeList sorted_pairs(const std::vector<detail::BlockEdge>& tree) {
    EdgeList pairs;
    for (const detail::BlockEdge& edge : tree) pairs.emplace_back(std::min(edge.a, edge.b), std::max(edge.a, edge.b));
    std::sort(pairs.begin(), pairs.end());
    return pairs;
}

EdgeList linkage_tree(const ClusteringProblem& problem, Linkage linkage, unsigned threads = 1) {
    ClusterOptions options;
    options.method = ClusterMethod::redcap;
    options.linkage = linkage;
    options.threads = threads;
    return sorted_pairs(detail::full_order_linkage_tree(problem, options));
}

double distance(const ClusteringProblem& problem, std::size_t a, std::size_t b) {
    double squared = 0;
    for (std::size_t d = 0; d < problem.dimensions; ++d)
        squared += (problem.row(a)[d] - problem.row(b)[d]) * (problem.row(a)[d] - problem.row(b)[d]);
    return std::sqrt(squared);
}

/// Guo's procedure as written, recomputing every linkage from all member
/// pairs at every step: merge the adjacent pair of clusters with the least
/// linkage (ties: the lower index of their shortest edge) and keep that
/// shortest edge (ties: lower index).
EdgeList reference_tree(const ClusteringProblem& problem, Linkage linkage) {
    const ContiguityGraph& graph = *problem.graph;
    EdgeList edges;
    for (std::uint32_t a = 0; a < graph.size(); ++a)
        for (const std::uint32_t* b = graph.begin(a); b != graph.end(a); ++b)
            if (*b > a) edges.emplace_back(a, *b);
    std::vector<std::size_t> label(graph.size());
    std::iota(label.begin(), label.end(), std::size_t{0});
    EdgeList tree;
    while (tree.size() + 1 < graph.size()) {
        double best_linkage = std::numeric_limits<double>::infinity();
        std::size_t best_bridge = edges.size();
        for (const auto& [a, b] : edges) {
            if (label[a] == label[b]) continue;
            std::size_t bridge = edges.size();
            for (std::size_t e = 0; e < edges.size(); ++e) {
                const auto [x, y] = edges[e];
                const bool joins = (label[x] == label[a] && label[y] == label[b]) || (label[x] == label[b] && label[y] == label[a]);
                if (joins && (bridge == edges.size() || distance(problem, x, y) < distance(problem, edges[bridge].first, edges[bridge].second)))
                    bridge = e;
            }
            double sum = 0, least = std::numeric_limits<double>::infinity(), most = 0, pairs = 0;
            for (std::size_t i = 0; i < graph.size(); ++i)
                for (std::size_t j = 0; j < graph.size(); ++j)
                    if (label[i] == label[a] && label[j] == label[b]) {
                        const double d = distance(problem, i, j);
                        sum += d;
                        least = std::min(least, d);
                        most = std::max(most, d);
                        ++pairs;
                    }
            const double value = linkage == Linkage::average ? sum / pairs : linkage == Linkage::single ? least : most;
            if (value < best_linkage || (value == best_linkage && bridge < best_bridge)) {
                best_linkage = value;
                best_bridge = bridge;
            }
        }
        const auto [x, y] = edges[best_bridge];
        tree.emplace_back(x, y);
        const std::size_t from = label[y], to = label[x];
        for (std::size_t& l : label)
            if (l == from) l = to;
    }
    std::sort(tree.begin(), tree.end());
    return tree;
}

}  // namespace

TEST_CASE("REDCAP's full-order linkage looks at every member pair, not only adjacent ones", "[clustering][redcap]") {
    // Five blocks, values 8, 1, 7, 11, 3; edges 0-1 (7), 1-2 (6), 2-3 (4),
    // 3-4 (8), 0-4 (5), 1-3 (10).
    //  average: {2,3} (4), {0,4} (5); then {0,4}-{2,3} averages (1+3+4+8)/4 = 4,
    //  below {0,4}-{1} (7+2)/2 = 4.5, so they join by their only edge 3-4 -
    //  although 3-4 is the longest edge used; last 1 joins by 1-2 (6).
    //  single: {2,3}; then 4-{2,3} at |3-7| = 4 (a pair that is not adjacent)
    //  beats 0-4 (5): 3-4 again; 0 joins by 0-4, 1 by 1-2.
    //  complete: {2,3}, {0,4}; then {0,4}-{1} (7) beats {0,4}-{2,3} (8): 0-1;
    //  last 1-2. That is the minimum spanning tree.
    const bench::OwnedProblem owned = test::hand_problem({8, 1, 7, 11, 3}, {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {0, 4}, {1, 3}});
    const ClusteringProblem& problem = owned.problem;
    CHECK(linkage_tree(problem, Linkage::average) == EdgeList{{0, 4}, {1, 2}, {2, 3}, {3, 4}});
    CHECK(linkage_tree(problem, Linkage::single) == EdgeList{{0, 4}, {1, 2}, {2, 3}, {3, 4}});
    CHECK(linkage_tree(problem, Linkage::complete) == EdgeList{{0, 1}, {0, 4}, {1, 2}, {2, 3}});
    CHECK(sorted_pairs(detail::minimum_spanning_tree(problem, 1)) == EdgeList{{0, 1}, {0, 4}, {1, 2}, {2, 3}});
}

TEST_CASE("REDCAP's linkage tree matches Guo's procedure computed directly", "[clustering][redcap]") {
    const std::uint64_t seed = GENERATE(as<std::uint64_t>{}, 1, 2, 3);
    const bool queen = GENERATE(true, false);
    const bench::OwnedProblem owned = bench::lattice_problem(6, 7, 2, seed, queen);
    for (Linkage linkage : {Linkage::average, Linkage::single, Linkage::complete}) {
        INFO("seed " << seed << (queen ? " queen " : " rook ") << to_string(linkage));
        CHECK(linkage_tree(owned.problem, linkage) == reference_tree(owned.problem, linkage));
    }
}

TEST_CASE("REDCAP builds one spanning tree whatever the thread count, and cuts it into contiguous regions",
          "[clustering][redcap]") {
    // 1,600 blocks: the last merges compute enough pairs to go parallel.
    bench::OwnedProblem owned = bench::lattice_problem(40, 40, 4, 11);
    const Linkage linkage = GENERATE(Linkage::average, Linkage::single, Linkage::complete);
    INFO(to_string(linkage));
    const EdgeList tree = linkage_tree(owned.problem, linkage, 1);
    REQUIRE(tree.size() == owned.problem.size() - 1);
    for (const auto& [a, b] : tree) CHECK(owned.graph->adjacent(a, b));
    // n - 1 edges that connect every block: a spanning tree.
    CHECK(graph_from_edges(owned.graph->codes, tree).component_count == 1);
    CHECK(linkage_tree(owned.problem, linkage, 2) == tree);

    owned.problem.k = 12;
    ClusterOptions options;
    options.method = ClusterMethod::redcap;
    options.linkage = linkage;
    options.threads = 2;
    Partition partition = detail::redcap(owned.problem, options);
    REQUIRE(detail::canonical_labels(partition.region) == 12);
    const std::vector<std::size_t> parts = detail::region_parts(*owned.graph, partition.region, 12);
    CHECK(std::all_of(parts.begin(), parts.end(), [](std::size_t p) { return p == 1; }));
}
