// AZP and its refinement: two groups anyone can see, the guarantees of
// refine_azp() (never a higher WSS; contiguity, region count, floor and
// ceiling kept) from many starts and seeds, floors and ceilings in AZP
// itself, and independence from the thread count.
#include <catch2/catch.hpp>

#include <numeric>

#include "clustering/detail/regions.hpp"
#include "hand_problems.hpp"
#include "placedef/clustering.hpp"
#include "placedef/error.hpp"
#include "problem_file.hpp"

#include <algorithm>
#include <random>

using namespace placedef;
using Catch::Matchers::Contains;

namespace {

const LocalSearch every_search[] = {LocalSearch::greedy, LocalSearch::tabu, LocalSearch::annealing};

/// Two 3 x 3 rook grids, blocks 0-8 with values near 0 and blocks 9-17 with
/// values near 10, joined only by the edge 8 - 9 (corner to corner).
bench::OwnedProblem bridged_groups() {
    std::vector<double> values;
    test::Edges edges{{8, 9}};
    for (std::uint32_t group = 0; group < 2; ++group)
        for (std::uint32_t cell = 0; cell < 9; ++cell) {
            const std::uint32_t block = 9 * group + cell;
            values.push_back(10.0 * group + 0.1 * cell);
            if (cell % 3 < 2) edges.emplace_back(block, block + 1);
            if (cell < 6) edges.emplace_back(block, block + 3);
        }
    return test::hand_problem(values, edges);
}

/// A contiguous but poor start: the lattice cut into vertical stripes.
Partition stripes(std::size_t rows, std::size_t cols, std::size_t width) {
    Partition start;
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c) start.region.push_back(static_cast<std::int32_t>(c / width));
    start.regions = (cols + width - 1) / width;
    return start;
}

/// Population outside [floor, ceiling] of each region.
std::vector<double> bound_violations(const ClusteringProblem& problem, const Partition& partition) {
    std::vector<double> violation;
    for (const detail::RegionSums& sums : detail::region_sums(problem, partition.region, partition.regions))
        violation.push_back(std::max(0.0, problem.min_population - sums.population()) +
                            std::max(0.0, sums.population() - problem.max_population));
    return violation;
}

bool contiguous(const ClusteringProblem& problem, const Partition& partition) {
    const std::vector<std::size_t> parts = detail::region_parts(*problem.graph, partition.region, partition.regions);
    return std::all_of(parts.begin(), parts.end(), [](std::size_t count) { return count == 1; });
}

}  // namespace

TEST_CASE("AZP separates two groups joined by a thin bridge", "[clustering][azp]") {
    const bench::OwnedProblem owned = [] {
        bench::OwnedProblem built = bridged_groups();
        built.problem.k = 2;
        return built;
    }();
    std::vector<std::int32_t> expected(18, 1);
    std::fill(expected.begin(), expected.begin() + 9, 0);
    for (const LocalSearch search : every_search)
        for (std::uint64_t seed = 1; seed <= 3; ++seed) {
            INFO(to_string(search) << ", seed " << seed);
            CHECK(test::azp(owned.problem, search, seed).region == expected);
        }
}

TEST_CASE("AZP gives one region for k = 1 and one block each for k = n", "[clustering][azp]") {
    bench::OwnedProblem owned = bridged_groups();
    owned.problem.k = 1;
    CHECK(test::azp(owned.problem, LocalSearch::annealing, 1).region == std::vector<std::int32_t>(18, 0));
    owned.problem.k = 18;
    const Partition singles = test::azp(owned.problem, LocalSearch::annealing, 1);
    CHECK(singles.regions == 18);
    CHECK(singles.wss == 0);
}

TEST_CASE("refine_azp never raises the WSS and keeps contiguity, the region count and the bounds",
          "[clustering][azp][refine]") {
    for (std::uint64_t problem_seed = 1; problem_seed <= 3; ++problem_seed) {
        bench::OwnedProblem owned = bench::lattice_problem(20, 20, 3, problem_seed, problem_seed != 3);
        ClusteringProblem& problem = owned.problem;
        // Stripes of 80 blocks hold about 136,000 people: with these bounds
        // some start below the floor or above the ceiling, and may not move
        // further out.
        problem.min_population = 134000;
        problem.max_population = 138000;
        Partition start = stripes(20, 20, 4);
        std::tie(start.wss, start.tss) = sums_of_squares(problem, start.region);
        const std::vector<double> start_violation = bound_violations(problem, start);
        REQUIRE(*std::max_element(start_violation.begin(), start_violation.end()) > 0);
        for (const LocalSearch search : every_search)
            for (std::uint64_t seed = 1; seed <= 4; ++seed) {
                INFO("problem " << problem_seed << ", " << to_string(search) << ", seed " << seed);
                ClusterOptions options;
                options.search = search;
                options.seed = seed;
                const Partition refined = refine_azp(problem, start, options);
                CHECK(refined.regions == start.regions);
                CHECK(refined.wss < start.wss);  // stripes across a smooth surface leave much to gain
                CHECK(refined.wss == Approx(sums_of_squares(problem, refined.region).first));
                CHECK(contiguous(problem, refined));
                const std::vector<double> violation = bound_violations(problem, refined);
                for (std::size_t r = 0; r < violation.size(); ++r) CHECK(violation[r] <= start_violation[r]);
            }
    }
}

TEST_CASE("refine_azp keeps a max-p partition above its floor", "[clustering][azp][refine]") {
    for (std::uint64_t problem_seed = 1; problem_seed <= 3; ++problem_seed) {
        bench::OwnedProblem owned = bench::lattice_problem(18, 18, 3, problem_seed);
        owned.problem.min_population = 10000;
        ClusterOptions options;
        options.method = ClusterMethod::maxp;
        options.construction_tries = 10;
        const Partition start = cluster(owned.problem, options);
        for (const LocalSearch search : every_search)
            for (std::uint64_t seed = 1; seed <= 4; ++seed) {
                INFO("problem " << problem_seed << ", " << to_string(search) << ", seed " << seed);
                options.search = search;
                options.seed = seed;
                const Partition refined = refine_azp(owned.problem, start, options);
                CHECK(refined.regions == start.regions);
                CHECK(refined.wss <= start.wss);
                CHECK(contiguous(owned.problem, refined));
                for (const double violation : bound_violations(owned.problem, refined)) CHECK(violation == 0);
            }
    }
}

TEST_CASE("refine_azp leaves a greedy AZP optimum unchanged under the greedy search", "[clustering][azp][refine]") {
    bench::OwnedProblem owned = bench::lattice_problem(15, 15, 2, 8);
    owned.problem.k = 9;
    const Partition found = test::azp(owned.problem, LocalSearch::greedy, 3);
    for (const LocalSearch search : every_search) {
        ClusterOptions options;
        options.search = search;
        const Partition refined = refine_azp(owned.problem, found, options);
        CHECK(refined.wss <= found.wss);
        CHECK(contiguous(owned.problem, refined));
        if (search == LocalSearch::greedy) CHECK(refined.region == found.region);
    }
}

TEST_CASE("refine_azp refuses a start that is not a contiguous partition of the blocks", "[clustering][azp][refine]") {
    const bench::OwnedProblem owned = bridged_groups();
    const ClusterOptions options;
    Partition split;
    split.region.assign(18, 0);
    split.region[0] = 1;
    split.region[17] = 1;  // region 1 is blocks 0 and 17, far apart
    split.regions = 2;
    CHECK_THROWS_AS(refine_azp(owned.problem, split, options), invalid_input);
    Partition short_start;
    short_start.region.assign(17, 0);
    short_start.regions = 1;
    CHECK_THROWS_AS(refine_azp(owned.problem, short_start, options), invalid_input);
    Partition unlabelled;
    unlabelled.region.assign(18, 0);
    unlabelled.region[4] = -1;
    unlabelled.regions = 1;
    CHECK_THROWS_AS(refine_azp(owned.problem, unlabelled, options), invalid_input);
}

TEST_CASE("AZP meets a floor and a ceiling, or says it cannot", "[clustering][azp]") {
    bench::OwnedProblem owned = bench::lattice_problem(16, 16, 2, 6);
    owned.problem.k = 8;  // about 54,000 people each
    owned.problem.min_population = 45000;
    owned.problem.max_population = 65000;
    for (const LocalSearch search : every_search) {
        const Partition partition = test::azp(owned.problem, search, 2);
        CHECK(partition.regions == 8);
        CHECK(contiguous(owned.problem, partition));
        for (const double violation : bound_violations(owned.problem, partition)) CHECK(violation == 0);
    }
    // With k = n every block is a region of its own. The 16 lattice blocks
    // hold 25,468 people, so 16 footprints of 1,500 fit by the total, but
    // some blocks hold fewer.
    bench::OwnedProblem small = bench::lattice_problem(4, 4, 2, 6);
    small.problem.k = 16;
    small.problem.min_population = 1500;
    REQUIRE(std::accumulate(small.problem.population.begin(), small.problem.population.end(), 0.0) == Approx(25468));
    REQUIRE(*std::min_element(small.problem.population.begin(), small.problem.population.end()) < 1500);
    CHECK_THROWS_AS(test::azp(small.problem, LocalSearch::annealing, 1), invalid_input);
    CHECK_THROWS_WITH(test::azp(small.problem, LocalSearch::annealing, 1),
                      Contains("16 contiguous regions within a floor of 1500 people"));
    // A floor of 2,000 fails the count first: 16 footprints need 32,000 people.
    small.problem.min_population = 2000;
    ClusterOptions options;
    options.method = ClusterMethod::azp;
    CHECK_THROWS_WITH(cluster(small.problem, options),
                      Contains("k = 16 footprints of at least the floor 2000 need 32000 people") &&
                          Contains("the blocks hold 25468"));
}

TEST_CASE("AZP reports its progress once per random start", "[clustering][azp]") {
    bench::OwnedProblem owned = bench::lattice_problem(10, 10, 2, 3);
    owned.problem.k = 5;
    ClusterOptions options;
    options.method = ClusterMethod::azp;
    options.restarts = 6;
    options.threads = 2;
    std::vector<std::pair<std::size_t, std::size_t>> reports;
    options.progress = [&](std::size_t done, std::size_t total) { reports.emplace_back(done, total); };
    cluster(owned.problem, options);
    REQUIRE(reports.size() == 6);
    for (std::size_t i = 0; i < reports.size(); ++i) CHECK(reports[i] == std::make_pair(i + 1, std::size_t{6}));
}

TEST_CASE("AZP gives the same regions for a seed whatever the thread count", "[clustering][azp]") {
    bench::OwnedProblem owned = bench::lattice_problem(20, 20, 3, 2);
    owned.problem.k = 15;
    for (const LocalSearch search : every_search) {
        const Partition one = test::azp(owned.problem, search, 5, 1);
        const Partition two = test::azp(owned.problem, search, 5, 2);
        CHECK(one.region == two.region);
        CHECK(one.wss == two.wss);
    }
}

namespace {

/// The plain answer: a breadth-first search from one of the block's
/// neighbours in its region, around the block, reaches all the others.
bool neighbours_reach_each_other(const ContiguityGraph& graph, const std::vector<std::int32_t>& region, std::size_t block) {
    std::vector<std::uint32_t> inside;
    for (const std::uint32_t* n = graph.begin(block); n != graph.end(block); ++n)
        if (region[*n] == region[block]) inside.push_back(*n);
    if (inside.size() <= 1) return true;
    std::vector<bool> seen(graph.size(), false);
    seen[block] = true;
    seen[inside[0]] = true;
    std::vector<std::uint32_t> queue{inside[0]};
    for (std::size_t head = 0; head < queue.size(); ++head)
        for (const std::uint32_t* n = graph.begin(queue[head]); n != graph.end(queue[head]); ++n)
            if (!seen[*n] && region[*n] == region[block]) {
                seen[*n] = true;
                queue.push_back(*n);
            }
    return std::all_of(inside.begin(), inside.end(), [&](std::uint32_t b) { return seen[b]; });
}

}  // namespace

TEST_CASE("the connectivity check of a move agrees with a plain search", "[clustering][azp][contiguity]") {
    // Random labellings of a 9 x 9 lattice with its diagonals (up to 8
    // neighbours a block, regions in many pieces) and of a rook lattice: for
    // every block, the interleaved searches give the plain search's answer.
    for (const bool diagonals : {false, true}) {
        test::Edges edges = test::lattice_edges(9, 9);
        if (diagonals)
            for (std::uint32_t r = 0; r + 1 < 9; ++r)
                for (std::uint32_t c = 0; c + 1 < 9; ++c) {
                    edges.emplace_back(r * 9 + c, (r + 1) * 9 + c + 1);
                    edges.emplace_back(r * 9 + c + 1, (r + 1) * 9 + c);
                }
        std::vector<std::string> codes;
        for (std::size_t b = 0; b < 81; ++b) codes.push_back("b" + std::to_string(b));
        const ContiguityGraph graph = graph_from_edges(codes, edges);
        detail::ConnectivityCheck check(graph.size());
        std::mt19937_64 random(5);
        std::size_t cut = 0, kept = 0;
        for (int trial = 0; trial < 200; ++trial) {
            std::vector<std::int32_t> region(81);
            const std::uint64_t labels = 2 + trial % 3;
            for (std::int32_t& r : region) r = static_cast<std::int32_t>(random() % labels);
            for (std::size_t block = 0; block < 81; ++block) {
                const bool expected = neighbours_reach_each_other(graph, region, block);
                INFO("trial " << trial << ", block " << block << (diagonals ? ", with diagonals" : ""));
                REQUIRE(check.stays_connected(graph, region, block) == expected);
                ++(expected ? kept : cut);
            }
        }
        CHECK(cut > 1000);  // both answers were put to the test many times
        CHECK(kept > 1000);
    }
}
