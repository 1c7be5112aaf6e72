// SKATER, and the tree partitioning it shares with REDCAP: hand-drawn
// problems whose best partition can be worked out on paper, run through both
// methods (the REDCAP-specific tree is tested in test_redcap.cpp).
#include <catch2/catch.hpp>

#include "clustering/detail/methods.hpp"
#include "clustering/detail/regions.hpp"
#include "clustering/detail/spanning_tree.hpp"
#include "hand_problems.hpp"
#include "placedef/error.hpp"
#include "problem_file.hpp"
#include "support.hpp"
#include "surrey_problem.hpp"

#include <algorithm>
#include <numeric>

using namespace placedef;
using test::hand_problem;

namespace {

/// Blocks 0 .. values.size()-1 in a row, one person each.
bench::OwnedProblem chain_problem(const std::vector<double>& values) {
    return hand_problem(values, test::chain_edges(values.size()), std::vector<double>(values.size(), 1.0));
}

Partition run(ClusterMethod method, const ClusteringProblem& problem, unsigned threads = 1) {
    ClusterOptions options;
    options.method = method;
    options.threads = threads;
    Partition partition = method == ClusterMethod::skater ? detail::skater(problem, options) : detail::redcap(problem, options);
    partition.regions = detail::canonical_labels(partition.region);
    return partition;
}

void require_contiguous(const ClusteringProblem& problem, const Partition& partition) {
    const std::vector<std::size_t> parts = detail::region_parts(*problem.graph, partition.region, partition.regions);
    for (std::size_t r = 0; r < partition.regions; ++r) {
        INFO("region " << r);
        REQUIRE(parts[r] == 1);
    }
}

using Labels = std::vector<std::int32_t>;

}  // namespace

TEST_CASE("SKATER and REDCAP split two groups at the bridge between them", "[clustering][skater][redcap]") {
    // Two 2×3 grids, values near 0 and near 5, joined by the single edge 5-6.
    //   0 1 2        6 7 8
    //   3 4 5 ---- 9 10 11   (5 touches 6 only)
    const std::vector<double> values{0.0, 0.2, 0.1, 0.3, 0.1, 0.2, 5.1, 4.9, 5.0, 5.2, 4.8, 5.0};
    std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
    for (std::uint32_t base : {0u, 6u})
        for (auto [a, b] : {std::pair{0u, 1u}, {1u, 2u}, {3u, 4u}, {4u, 5u}, {0u, 3u}, {1u, 4u}, {2u, 5u}})
            edges.emplace_back(base + a, base + b);
    edges.emplace_back(5, 6);
    bench::OwnedProblem owned = hand_problem(values, edges);
    owned.problem.k = 2;
    const ClusterMethod method = GENERATE(ClusterMethod::skater, ClusterMethod::redcap);
    INFO(to_string(method));
    const Partition partition = run(method, owned.problem);
    CHECK(partition.region == Labels{0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1});
    CHECK(partition.regions == 2);
    // Within each group the deviations from the means 0.15 and 5.0 only.
    CHECK(partition.wss == Approx(0.055 + 0.1).epsilon(1e-9));
}

TEST_CASE("SKATER and REDCAP cut a chain 0,0,0,10,10,10 between its third and fourth block", "[clustering][skater][redcap]") {
    bench::OwnedProblem owned = chain_problem({0, 0, 0, 10, 10, 10});
    owned.problem.k = 2;
    const ClusterMethod method = GENERATE(ClusterMethod::skater, ClusterMethod::redcap);
    INFO(to_string(method));
    const Partition partition = run(method, owned.problem);
    CHECK(partition.region == Labels{0, 0, 0, 1, 1, 1});
    CHECK(partition.wss == 0.0);
    CHECK(partition.tss == Approx(150.0));
}

TEST_CASE("A population floor admits only the cuts that leave both sides above it", "[clustering][skater][redcap]") {
    // Unconstrained, the outlier 10 is cut off alone; with a floor of 3 people
    // (one per block) the middle cut is the only admissible one.
    bench::OwnedProblem owned = chain_problem({0, 0, 0, 0, 0, 10});
    const ClusterMethod method = GENERATE(ClusterMethod::skater, ClusterMethod::redcap);
    INFO(to_string(method));
    owned.problem.k = 2;
    CHECK(run(method, owned.problem).region == Labels{0, 0, 0, 0, 0, 1});

    owned.problem.min_population = 3;
    CHECK(run(method, owned.problem).region == Labels{0, 0, 0, 1, 1, 1});
    SECTION("k = 0: as many regions as the floor allows") {
        owned.problem.k = 0;
        CHECK(run(method, owned.problem).region == Labels{0, 0, 0, 1, 1, 1});
    }
    SECTION("a floor no cut meets leaves one region covering everything without k, and is refused with k") {
        owned.problem.min_population = 4;
        owned.problem.k = 0;
        const Partition partition = run(method, owned.problem);
        CHECK(partition.regions == 1);
        CHECK(partition.region == Labels(6, 0));
        // k = 2 footprints of 4 people need 8; there are 6. Never fewer than k footprints.
        owned.problem.k = 2;
        CHECK_THROWS_WITH(run(method, owned.problem), Catch::Contains("below the floor of 4 (lower k or the floor)"));
        ClusterOptions options;
        options.method = method;
        CHECK_THROWS_WITH(cluster(owned.problem, options),
                          Catch::Contains("k = 2 footprints of at least the floor 4 need 8 people, but the blocks hold 6"));
    }
    SECTION("with k, cuts below the floor are made when the admissible ones run out, then blocks move") {
        // Floor 2 and k = 3 on six blocks: the outlier's cut (5 | 1) is not
        // admissible, so the tree cuts give 3 | 3 and then 3 | 1+2 or the
        // like; the repair leaves three regions of two people.
        owned.problem.min_population = 2;
        owned.problem.k = 3;
        const Partition partition = run(method, owned.problem);
        CHECK(partition.regions == 3);
        CHECK(partition.region == Labels{0, 0, 1, 1, 2, 2});
    }
    SECTION("populations, not block counts, meet the floor") {
        owned.problem.population = {5, 1, 1, 1, 1, 1};  // only 5|rest and 5+1|rest qualify for a floor of 4
        owned.problem.min_population = 4;
        CHECK(run(method, owned.problem).region == Labels{0, 0, 1, 1, 1, 1});
    }
}

TEST_CASE("A population ceiling is met first, with the fewest regions it needs", "[clustering][skater][redcap]") {
    bench::OwnedProblem owned = chain_problem({0, 0, 0, 0, 0, 10});
    const ClusterMethod method = GENERATE(ClusterMethod::skater, ClusterMethod::redcap);
    INFO(to_string(method));
    owned.problem.max_population = 3;
    SECTION("k = 2: the only two regions under the ceiling") {
        owned.problem.k = 2;
        CHECK(run(method, owned.problem).region == Labels{0, 0, 0, 1, 1, 1});
    }
    SECTION("k = 3: the ceiling takes the first cut, the sum of squares the second") {
        owned.problem.k = 3;
        CHECK(run(method, owned.problem).region == Labels{0, 0, 0, 1, 1, 2});
    }
    SECTION("k = 0 with a floor: cuts stop when the floor forbids more") {
        owned.problem.k = 0;
        owned.problem.min_population = 2;
        CHECK(run(method, owned.problem).region == Labels{0, 0, 0, 1, 1, 1});
    }
    SECTION("no two regions fit under a ceiling of 2") {
        owned.problem.k = 2;
        owned.problem.max_population = 2;
        CHECK_THROWS_AS(run(method, owned.problem), invalid_input);
        CHECK_THROWS_WITH(run(method, owned.problem), Catch::Contains("above the ceiling of 2") && Catch::Contains("raise k"));
    }
    SECTION("the floor forbids every cut of a region above the ceiling") {
        owned.problem.k = 0;
        owned.problem.min_population = 3;
        owned.problem.max_population = 4;
        owned.problem.population = {1, 1, 1, 1, 1, 2};  // 7 people: 3|4 and 4|3 are admissible; 4|3 cuts off the 10
        CHECK(run(method, owned.problem).region == Labels{0, 0, 0, 0, 1, 1});
        owned.problem.min_population = 4;
        owned.problem.max_population = 5;
        owned.problem.population = {1, 1, 1, 1, 1, 1};  // 6 people: one region is over 5, two are under 4 each
        CHECK_THROWS_WITH(run(method, owned.problem), Catch::Contains("within a floor of 4 people and a ceiling of 5 people") &&
                                                          Catch::Contains("(lower the floor or raise the ceiling)"));
    }
}

TEST_CASE("SKATER and REDCAP on a lattice: k contiguous regions, the same whatever the thread count",
          "[clustering][skater][redcap]") {
    // 10,000 blocks: SKATER's first cuts score a tree big enough to be split
    // across threads, and REDCAP's last merges compute enough pairs.
    const bench::OwnedProblem owned = bench::lattice_problem(100, 100, 3, 7);
    ClusteringProblem problem = owned.problem;
    const ClusterMethod method = GENERATE(ClusterMethod::skater, ClusterMethod::redcap);
    INFO(to_string(method));
    SECTION("k = 40") {
        problem.k = 40;
        const Partition one = run(method, problem, 1);
        CHECK(one.regions == 40);
        require_contiguous(problem, one);
        CHECK(one.ratio() < 0.5);  // smooth fields: 40 regions explain most of the variance
        const Partition two = run(method, problem, 2);
        CHECK(two.region == one.region);
        CHECK(two.wss == one.wss);
    }
    SECTION("a floor of 100,000 people and no k") {
        problem.min_population = 100000;
        const Partition one = run(method, problem, 1);
        require_contiguous(problem, one);
        std::vector<double> people(one.regions, 0.0);
        for (std::size_t i = 0; i < problem.size(); ++i) people[static_cast<std::size_t>(one.region[i])] += problem.population_of(i);
        for (double p : people) CHECK(p >= 100000);
        const double total = std::accumulate(problem.population.begin(), problem.population.end(), 0.0);
        CHECK(static_cast<double>(one.regions) > total / 100000 / 3);  // most cuts the floor allows are made
        CHECK(run(method, problem, 2).region == one.region);
    }
}

TEST_CASE("The minimum spanning tree joins every block with the shortest edges", "[clustering][skater]") {
    // A square 0-1-2-3 with values 0, 1, 5, 3.2: the longest side, 1-2, is left out.
    const bench::OwnedProblem owned = hand_problem({0, 1, 5, 3.2}, {{0, 1}, {1, 2}, {2, 3}, {0, 3}});
    const std::vector<detail::BlockEdge> tree = detail::minimum_spanning_tree(owned.problem, 1);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
    for (const detail::BlockEdge& edge : tree) pairs.emplace_back(edge.a, edge.b);
    std::sort(pairs.begin(), pairs.end());
    CHECK(pairs == std::vector<std::pair<std::uint32_t, std::uint32_t>>{{0, 1}, {0, 3}, {2, 3}});
}

TEST_CASE("SKATER and REDCAP reach the peers' WSS/TSS on the Surrey benchmark", "[clustering][skater][redcap][.slow]") {
    PDEF_REQUIRE_UK_DATA();
    bench::OwnedProblem owned = test::surrey_problem();
    owned.problem.k = 29;
    // libgeoda's figures on the same problem (the measurements).
    const Partition skater = run(ClusterMethod::skater, owned.problem, 2);
    CHECK(skater.regions == 29);
    require_contiguous(owned.problem, skater);
    CHECK(skater.ratio() <= 0.601);
    const Partition redcap = run(ClusterMethod::redcap, owned.problem, 2);
    CHECK(redcap.regions == 29);
    require_contiguous(owned.problem, redcap);
    CHECK(redcap.ratio() <= 0.566);
}
