// The population floor and ceiling, and the balance, for every method: on a
// hand-drawn 6 x 6 grid whose unconstrained footprints break the bounds,
// each method returns footprints within them; bounds no partition can meet
// are refused with an error naming the bound.
#include "hand_problems.hpp"
#include "support.hpp"

#include "placedef/clustering.hpp"
#include "placedef/error.hpp"

#include "clustering/detail/regions.hpp"
#include "problem_file.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>

using namespace placedef;
using namespace placedef::test;
using Catch::Matchers::Contains;

namespace {

constexpr std::size_t side = 6;

/// Block (row, col) of the grid is number row * 6 + col.
std::uint32_t at(std::size_t row, std::size_t col) { return static_cast<std::uint32_t>(row * side + col); }

bool north_east(std::size_t block) { return block / side >= 3 && block % side >= 3; }

/// The 6 x 6 grid with rook edges. 100 people per block, 200 in the
/// north-east quadrant (rows and columns 3-5): 4,500 in all. The attribute
/// is 10 in that quadrant and a gentle slope elsewhere (0.1 per column,
/// 0.01 per row), so that unconstrained methods make the quadrant one
/// footprint of 1,800 people.
bench::OwnedProblem grid() {
    Edges edges;
    for (std::size_t r = 0; r < side; ++r)
        for (std::size_t c = 0; c < side; ++c) {
            if (c + 1 < side) edges.emplace_back(at(r, c), at(r, c + 1));
            if (r + 1 < side) edges.emplace_back(at(r, c), at(r + 1, c));
        }
    std::vector<double> values, people;
    for (std::size_t b = 0; b < side * side; ++b) {
        values.push_back(north_east(b) ? 10.0 : 0.1 * static_cast<double>(b % side) + 0.01 * static_cast<double>(b / side));
        people.push_back(north_east(b) ? 200.0 : 100.0);
    }
    bench::OwnedProblem owned = hand_problem(values, edges, people);
    std::vector<std::string> codes;
    for (std::size_t b = 0; b < side * side; ++b) codes.push_back("r" + std::to_string(b / side) + "c" + std::to_string(b % side));
    *owned.graph = graph_from_edges(codes, edges);
    return owned;
}

/// Options for `method` on the grid: seeded growth from the four corners, 1 km apart per block.
ClusterOptions options_for(ClusterMethod method, unsigned threads = 1) {
    ClusterOptions options;
    options.method = method;
    options.threads = threads;
    options.seed = 7;
    if (method == ClusterMethod::seeded) {
        options.seed_blocks = {at(0, 0), at(0, 5), at(5, 0), at(5, 5)};
        options.seed_names = {"SW", "SE", "NW", "NE"};
        for (std::size_t b = 0; b < side * side; ++b)
            options.block_centres.push_back({1000.0 * static_cast<double>(b % side), 1000.0 * static_cast<double>(b / side)});
        options.balance = 0;  // each block to the nearest corner: four quadrants, the north-east one of 1,800 people
    }
    return options;
}

std::vector<double> populations(const ClusteringProblem& problem, const Partition& partition) {
    std::vector<double> people;
    for (const auto& sums : detail::region_sums(problem, partition.region, partition.regions)) people.push_back(sums.population());
    return people;
}

void require_contiguous(const ClusteringProblem& problem, const Partition& partition) {
    const std::vector<std::size_t> parts = detail::region_parts(*problem.graph, partition.region, partition.regions);
    for (std::size_t r = 0; r < parts.size(); ++r) {
        INFO("footprint " << r + 1);
        REQUIRE(parts[r] == 1);
    }
}

const ClusterMethod every_method[] = {ClusterMethod::skater, ClusterMethod::redcap, ClusterMethod::maxp,
                                      ClusterMethod::azp, ClusterMethod::seeded};

}  // namespace

TEST_CASE("every method keeps every footprint within the floor and the ceiling", "[clustering][bounds]") {
    const bench::OwnedProblem owned = grid();
    for (const ClusterMethod method : every_method) {
        INFO(to_string(method));
        ClusteringProblem problem = owned.problem;
        problem.k = method == ClusterMethod::seeded ? 0 : 4;

        // Unconstrained (max-p needs its floor), the north-east quadrant is one footprint of 1,800 people.
        if (method != ClusterMethod::maxp) {
            const std::vector<double> free = populations(problem, cluster(problem, options_for(method)));
            CHECK(*std::max_element(free.begin(), free.end()) == 1800);
        }

        problem.min_population = 900;
        problem.max_population = 1400;
        const Partition one = cluster(problem, options_for(method, 1));
        CHECK(one.regions == 4);
        require_contiguous(problem, one);
        for (const double people : populations(problem, one)) {
            CHECK(people >= 900);
            CHECK(people <= 1400);
        }
        if (method == ClusterMethod::seeded) {  // each town keeps its own block and name
            const ClusterOptions options = options_for(method);
            for (std::size_t t = 0; t < 4; ++t) CHECK(one.region[options.seed_blocks[t]] == static_cast<std::int32_t>(t));
            CHECK(one.names == options.seed_names);
        }
        CHECK(cluster(problem, options_for(method, 2)).region == one.region);
    }
}

TEST_CASE("bounds no partition can meet are refused, naming the bound", "[clustering][bounds]") {
    const bench::OwnedProblem owned = grid();
    for (const ClusterMethod method : every_method) {
        INFO(to_string(method));
        ClusteringProblem problem = owned.problem;
        problem.k = method == ClusterMethod::seeded ? 0 : 4;
        const ClusterOptions options = options_for(method);
        if (method == ClusterMethod::maxp) problem.min_population = 100;

        problem.max_population = 150;  // below the north-east blocks' 200 people
        CHECK_THROWS_WITH(cluster(problem, options), Contains("block 'r3c3' alone holds 200 people") &&
                                                         Contains("above the population ceiling 150"));
        problem.max_population = std::numeric_limits<double>::infinity();

        problem.min_population = 1200;  // four footprints of 1,200 need 4,800 people; there are 4,500
        if (method == ClusterMethod::seeded)
            CHECK_THROWS_WITH(cluster(problem, options),
                              Contains("4 town footprints of at least the floor 1200 need 4800 people") &&
                                  Contains("the blocks hold 4500"));
        else if (method != ClusterMethod::maxp)  // max-p takes k as an upper limit: it makes 3
            CHECK_THROWS_WITH(cluster(problem, options), Contains("k = 4 footprints of at least the floor 1200 need 4800 people"));
        problem.min_population = method == ClusterMethod::maxp ? 100 : 0;

        if (method != ClusterMethod::seeded) {
            problem.max_population = 1100;  // four footprints of at most 1,100 hold 4,400; there are 4,500
            CHECK_THROWS_WITH(cluster(problem, options), Contains("k = 4 footprints of at most the ceiling 1100 hold 4400") &&
                                                             Contains("raise k or the ceiling"));
        }
    }

    // Bounds that the totals allow but contiguity does not: a chain of
    // 4 - 4 - 4 people in two footprints under a ceiling of 6 (one holds two
    // blocks), or 1 - 10 - 1 in two above a floor of 5 (one holds an end alone).
    for (const ClusterMethod method : every_method) {
        INFO(to_string(method));
        ClusterOptions options;
        options.method = method;
        options.seed_blocks = {0, 2};
        options.block_centres = {{0, 0}, {1000, 0}, {2000, 0}};
        bench::OwnedProblem even = hand_problem({0, 1, 2}, chain_edges(3), {4, 4, 4});
        even.problem.k = method == ClusterMethod::seeded ? 0 : 2;
        even.problem.max_population = 6;
        if (method == ClusterMethod::maxp) even.problem.min_population = 1;
        CHECK_THROWS_WITH(cluster(even.problem, options), Contains("within") && Contains("a ceiling of 6 people"));
        if (method == ClusterMethod::maxp) continue;  // k is an upper limit: one footprint of 12 meets a floor of 5
        bench::OwnedProblem heavy = hand_problem({0, 1, 2}, chain_edges(3), {1, 10, 1});
        heavy.problem.k = method == ClusterMethod::seeded ? 0 : 2;
        heavy.problem.min_population = 5;
        CHECK_THROWS_WITH(cluster(heavy.problem, options), Contains("within a floor of 5 people"));
    }
}

TEST_CASE("balance keeps the attribute methods' footprints near the mean population", "[clustering][bounds][balance]") {
    const bench::OwnedProblem owned = grid();
    ClusteringProblem problem = owned.problem;
    problem.k = 4;  // mean 1,125 people
    for (const ClusterMethod method : {ClusterMethod::skater, ClusterMethod::redcap, ClusterMethod::maxp, ClusterMethod::azp}) {
        INFO(to_string(method));
        ClusterOptions options = options_for(method);
        CHECK(population_bounds(problem, options) == std::pair{0.0, std::numeric_limits<double>::infinity()});
        options.balance = 2;  // within 25 % of the mean: 843.75 to 1,406.25
        CHECK(population_bounds(problem, options) == std::pair{843.75, 1406.25});
        const Partition balanced = cluster(problem, options);
        CHECK(balanced.regions == 4);
        require_contiguous(problem, balanced);
        for (const double people : populations(problem, balanced)) {
            CHECK(people >= 843.75);
            CHECK(people <= 1406.25);
        }
        // The band combines with the floor and ceiling: the tighter bound wins.
        ClusteringProblem floored = problem;
        floored.min_population = 1000;
        CHECK(population_bounds(floored, options) == std::pair{1000.0, 1406.25});
        floored.min_population = 1500;
        floored.max_population = 2000;
        CHECK_THROWS_WITH(cluster(floored, options), Contains("the population floor 1500 is above the band of balance 2 "
                                                               "with k = 4 (844 to 1406 people)"));
        // A band narrower than a block: the error says where the ceiling came from.
        ClusteringProblem many = problem;
        many.k = 26;  // mean 173 people, 12.5 % either side: 151 to 195
        options.balance = 4;
        CHECK_THROWS_WITH(cluster(many, options),
                          Contains("block 'r3c3' alone holds 200 people, above the population ceiling 195") &&
                              Contains("[balance 4 with k = 26: each footprint within 12.5 % of the mean 173 people (151 to 195)]"));
        // Without k there is no mean to balance around.
        ClusteringProblem no_k = problem;
        no_k.k = 0;
        no_k.min_population = 900;
        CHECK_THROWS_WITH(cluster(no_k, options), Contains("a balance needs k"));
        options.balance = -1;
        CHECK_THROWS_WITH(cluster(problem, options), Contains("the balance must be zero or more"));
    }
    // Seeded growth keeps its own balance (the towns' reach), not a band.
    ClusterOptions seeded = options_for(ClusterMethod::seeded);
    seeded.balance = 4;
    CHECK(population_bounds(owned.problem, seeded) == std::pair{0.0, std::numeric_limits<double>::infinity()});
    CHECK(default_balance(ClusterMethod::seeded) == 0.5);
    CHECK(default_balance(ClusterMethod::skater) == 0);
}

TEST_CASE("a mean population per footprint sets k from the people, for any county", "[clustering][bounds][mean]") {
    // 2 x 8 squares of 1 km; 1,000 people a block but 3,500 in the last: 18,500 in all.
    const Layer blocks = square_grid(2, 8, 1000);
    FootprintRequest request;
    request.population.assign(16, 1000);
    request.population[15] = 3500;
    FootprintAttribute column{"column", {}, 1.0};
    for (std::size_t b = 0; b < 16; ++b) column.values.push_back(static_cast<double>(b % 8));
    request.attributes = {column};
    for (const ClusterMethod method : {ClusterMethod::skater, ClusterMethod::redcap, ClusterMethod::azp, ClusterMethod::maxp}) {
        INFO(to_string(method));
        request.cluster.method = method;
        request.min_population = method == ClusterMethod::maxp ? 1000 : 0;  // max-p needs its floor; k caps it
        request.mean_population = 4000;  // 18,500 / 4,000 = 4.6: five footprints
        CHECK(town_footprints(blocks, request).partition.regions == 5);
        request.mean_population = 6500;  // 2.8: three
        CHECK(town_footprints(blocks, request).partition.regions == 3);
        request.mean_population = 1e6;  // never fewer than one
        CHECK(town_footprints(blocks, request).partition.regions == 1);
    }
    request.mean_population = 4000;
    request.k = 4;
    CHECK_THROWS_WITH(town_footprints(blocks, request), Contains("not both (k 4, mean population 4000)"));
    request.k = 0;
    for (const double bad : {-1.0, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
        request.mean_population = bad;
        CHECK_THROWS_WITH(town_footprints(blocks, request), Contains("must be a finite number above 0"));
    }
    request.mean_population = 4000;
    const std::vector<double> people = request.population;
    request.population.clear();  // each block would count 1: a mean of people means nothing then
    CHECK_THROWS_WITH(town_footprints(blocks, request), Contains("a mean population per footprint needs the blocks' population"));
    request.population = people;
    request.cluster.method = ClusterMethod::seeded;
    CHECK_THROWS_WITH(town_footprints(blocks, request), Contains("a mean population does not apply"));
}
