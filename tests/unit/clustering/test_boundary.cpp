// The boundary term of the local searches (ClusteringProblem::boundary):
// footprints cut where blocks share little boundary. Chains and rows of
// blocks whose best cuts can be worked out on paper, its guarantees under
// refine_azp(), its trip through the --within and --nest-in sub-problems,
// and the methods that refuse it.
#include <catch2/catch.hpp>

#include "clustering/detail/regions.hpp"
#include "hand_layers.hpp"
#include "hand_problems.hpp"
#include "placedef/clustering.hpp"
#include "placedef/error.hpp"
#include "problem_file.hpp"

#include <algorithm>

using namespace placedef;
using Catch::Matchers::Contains;

namespace {

const LocalSearch every_search[] = {LocalSearch::greedy, LocalSearch::tabu, LocalSearch::annealing};

/// The chain 0 - 1 - 2 - 3 with values 0, 0, 1, 1 and shared boundaries of
/// 20, 100 and 10 m. Two regions, cut at:
///   (1,2): WSS 0,   boundary term w·4·100/130 = 3.077 w
///   (2,3): WSS 2/3, boundary term w·4·10/130  = 0.308 w
///   (0,1): WSS 2/3, boundary term w·4·20/130  = 0.615 w
/// so the attribute's cut (1,2) is best below w = (2/3)/(3.077 − 0.308) =
/// 0.241, and the shortest boundary (2,3) above it.
bench::OwnedProblem waist_chain(double weight) {
    bench::OwnedProblem owned = test::hand_problem({0, 0, 1, 1}, test::chain_edges(4));
    owned.graph = std::make_unique<ContiguityGraph>(graph_from_edges(owned.graph->codes, test::chain_edges(4), {20, 100, 10}));
    owned.problem.graph = owned.graph.get();
    owned.problem.k = 2;
    owned.problem.boundary = weight;
    return owned;
}

/// Edges between regions (each once).
std::size_t cut_edges(const ContiguityGraph& graph, const std::vector<std::int32_t>& region) {
    std::size_t cut = 0;
    for (std::size_t block = 0; block < graph.size(); ++block)
        for (std::size_t e = graph.offsets[block]; e < graph.offsets[block + 1]; ++e)
            if (graph.neighbours[e] > block && region[block] != region[graph.neighbours[e]]) ++cut;
    return cut;
}

/// Six 100 m squares in a row; the right three are shifted 80 m north, so
/// that blocks 2 and 3 share 20 m of boundary and every other pair 100 m.
Layer stepped_row() {
    std::vector<std::pair<std::string, std::string>> units;
    for (int i = 0; i < 6; ++i) {
        const double x = 100.0 * i, y = i < 3 ? 0.0 : 80.0;
        units.emplace_back("b" + std::to_string(i), test::box_wkt(x, y, x + 100, y + 100));
    }
    return test::hand_layer("stepped", units);
}

}  // namespace

TEST_CASE("The boundary term moves the cut to the shortest shared boundary once it outweighs the WSS",
          "[clustering][boundary]") {
    const std::vector<std::int32_t> by_attribute{0, 0, 1, 1}, by_boundary{0, 0, 0, 1};
    for (const LocalSearch search : every_search)
        for (std::uint64_t seed = 1; seed <= 3; ++seed) {
            INFO(to_string(search) << ", seed " << seed);
            CHECK(test::azp(waist_chain(0).problem, search, seed).region == by_attribute);
            CHECK(test::azp(waist_chain(0.2).problem, search, seed).region == by_attribute);
            CHECK(test::azp(waist_chain(0.3).problem, search, seed).region == by_boundary);
            CHECK(test::azp(waist_chain(1).problem, search, seed).region == by_boundary);
        }
    // The objective is the WSS plus the term, as worked out above; the
    // partition reports the WSS alone.
    const bench::OwnedProblem owned = waist_chain(1);
    CHECK(detail::objective_of(owned.problem, by_boundary) == Approx(2.0 / 3 + 4.0 * 10 / 130));
    CHECK(detail::objective_of(owned.problem, by_attribute) == Approx(4.0 * 100 / 130));
    CHECK(test::azp(owned.problem, LocalSearch::annealing, 1).wss == Approx(2.0 / 3));
}

TEST_CASE("The boundary term counts each edge 1 in a graph without lengths", "[clustering][boundary]") {
    // A chain of 5 blocks with one value: the WSS is 0 whatever the cut, and
    // every cut of two regions cuts one edge: 1 × 5 × 1/4.
    bench::OwnedProblem owned = test::hand_problem({3, 3, 3, 3, 3}, test::chain_edges(5));
    owned.problem.boundary = 1;
    CHECK(detail::objective_of(owned.problem, {0, 0, 1, 1, 1}) == Approx(1.25));
    CHECK(detail::objective_of(owned.problem, {0, 1, 1, 2, 2}) == Approx(2.5));
    CHECK(detail::objective_of(owned.problem, {0, 0, 0, 0, 0}) == 0);
}

TEST_CASE("refine_azp with the boundary term never raises the objective and cuts fewer edges",
          "[clustering][boundary][refine]") {
    for (std::uint64_t problem_seed = 1; problem_seed <= 2; ++problem_seed) {
        bench::OwnedProblem owned = bench::lattice_problem(12, 12, 2, problem_seed, false);
        ClusteringProblem& problem = owned.problem;
        problem.k = 6;
        ClusterOptions options;
        options.method = ClusterMethod::azp;
        options.seed = 3;
        const Partition plain = cluster(problem, options);
        problem.boundary = 2;
        for (const LocalSearch search : every_search) {
            INFO("problem " << problem_seed << ", " << to_string(search));
            options.search = search;
            const Partition refined = refine_azp(problem, plain, options);
            CHECK(refined.regions == plain.regions);
            CHECK(detail::objective_of(problem, refined.region) <= detail::objective_of(problem, plain.region));
            CHECK(cut_edges(*problem.graph, refined.region) < cut_edges(*problem.graph, plain.region));
            const std::vector<std::size_t> parts = detail::region_parts(*problem.graph, refined.region, refined.regions);
            CHECK(std::all_of(parts.begin(), parts.end(), [](std::size_t count) { return count == 1; }));
        }
    }
}

TEST_CASE("AZP with the boundary term gives the same regions for a seed whatever the thread count",
          "[clustering][boundary]") {
    bench::OwnedProblem owned = bench::lattice_problem(16, 16, 2, 4);
    owned.problem.k = 10;
    owned.problem.boundary = 0.5;
    for (const LocalSearch search : every_search) {
        const Partition one = test::azp(owned.problem, search, 7, 1);
        const Partition two = test::azp(owned.problem, search, 7, 2);
        CHECK(one.region == two.region);
        CHECK(one.wss == two.wss);
    }
}

TEST_CASE("Footprints keep the blocks' shared boundaries through --within and --nest-in", "[clustering][boundary]") {
    // One attribute with the same value everywhere: only the boundary term
    // tells the cuts apart, and the only 20 m boundary is between b2 and b3.
    const Layer blocks = stepped_row();
    FootprintRequest request;
    request.cluster.method = ClusterMethod::azp;
    request.attributes = {{"flat", std::vector<double>(6, 1.0), 1.0}};
    request.k = 2;
    request.boundary = 1;
    const std::vector<std::int32_t> at_the_step{0, 0, 0, 1, 1, 1};
    CHECK(town_footprints(blocks, request).partition.region == at_the_step);

    // One district over all six: the blocks are clustered as a sub-problem.
    const Layer district = test::hand_layer("district", {{"D1", test::box_wkt(-10, -10, 610, 190)}});
    request.nest_layer = &district;
    request.nesting = Nesting::within_units;
    CHECK(town_footprints(blocks, request).partition.region == at_the_step);

    // Whole units {b0,b1,b2}, {b3}, {b4,b5}: the units share 20 m and 100 m,
    // summed from their blocks' edges, so the cut falls between the first two.
    const Layer units = test::hand_layer("units", {{"U1", test::box_wkt(-10, -10, 295, 110)},
                                                   {"U2", test::box_wkt(305, 70, 395, 190)},
                                                   {"U3", test::box_wkt(405, 70, 610, 190)}});
    request.nest_layer = &units;
    request.nesting = Nesting::whole_units;
    CHECK(town_footprints(blocks, request).partition.region == at_the_step);
}

TEST_CASE("Methods that do not search refuse the boundary term, and its weight is checked", "[clustering][boundary]") {
    bench::OwnedProblem owned = waist_chain(1);
    ClusterOptions options;
    for (const ClusterMethod method : {ClusterMethod::skater, ClusterMethod::redcap}) {
        options.method = method;
        options.refine = false;
        CHECK_THROWS_WITH(cluster(owned.problem, options), Contains("the boundary term needs the AZP refinement"));
        options.refine = true;  // the tree is cut at (1,2) by the WSS; the refinement moves the cut off it
        const Partition refined = cluster(owned.problem, options);
        CHECK(refined.region != std::vector<std::int32_t>{0, 0, 1, 1});
        CHECK(detail::objective_of(owned.problem, refined.region) < detail::objective_of(owned.problem, {0, 0, 1, 1}));
    }
    options.method = ClusterMethod::maxp;
    options.refine = false;
    owned.problem.k = 0;
    owned.problem.min_population = 1;  // each block counts 1
    CHECK_NOTHROW(cluster(owned.problem, options));
    owned.problem.k = 2;
    owned.problem.min_population = 0;
    owned.problem.boundary = -1;
    options.method = ClusterMethod::azp;
    CHECK_THROWS_WITH(cluster(owned.problem, options), Contains("the weight of the boundary term"));
    owned.problem.boundary = 1e200;
    CHECK_THROWS_AS(cluster(owned.problem, options), invalid_input);
}
