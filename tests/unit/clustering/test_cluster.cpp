// cluster(): the checks every method shares, seeded growth, and the
// town_footprints() front end with its nesting rules.
#include "hand_layers.hpp"
#include "hand_problems.hpp"
#include "support.hpp"

#include "placedef/clustering.hpp"
#include "placedef/error.hpp"
#include "placedef/io.hpp"

#include "clustering/detail/regions.hpp"
#include "problem_file.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <set>

using namespace placedef;
using namespace placedef::test;
using Catch::Matchers::Contains;

namespace {

/// A chain of blocks 0 - 1 - ... - (n-1), one attribute equal to the index,
/// 1,000 people each, centres 1 km apart along x.
bench::OwnedProblem chain(std::size_t n) {
    return hand_problem(block_indices(n), chain_edges(n), std::vector<double>(n, 1000));
}

std::vector<Coord> chain_centres(std::size_t n) {
    std::vector<Coord> centres;
    for (std::size_t i = 0; i < n; ++i) centres.push_back({1000.0 * static_cast<double>(i), 0.0});
    return centres;
}

const ClusterMethod every_method[] = {ClusterMethod::skater, ClusterMethod::redcap, ClusterMethod::maxp,
                                      ClusterMethod::azp};

}  // namespace

TEST_CASE("bad clustering problems get errors that say what is wrong", "[clustering][cluster]") {
    bench::OwnedProblem owned = chain(6);
    ClusteringProblem& problem = owned.problem;
    ClusterOptions options;
    for (ClusterMethod method : {ClusterMethod::skater, ClusterMethod::redcap, ClusterMethod::azp}) {
        options.method = method;
        problem.k = 7;
        CHECK_THROWS_WITH(cluster(problem, options), Contains("k = 7") && Contains("only 6 blocks"));
        problem.k = 0;
        CHECK_THROWS_AS(cluster(problem, options), invalid_input);
    }
    options.method = ClusterMethod::maxp;
    CHECK_THROWS_WITH(cluster(problem, options), Contains("needs a population floor"));
    problem.min_population = 6001;
    CHECK_THROWS_WITH(cluster(problem, options), Contains("above the total population 6000"));
    problem.min_population = 2000;
    problem.max_population = 500;
    CHECK_THROWS_WITH(cluster(problem, options), Contains("ceiling 500 is below the floor"));
    problem.max_population = std::numeric_limits<double>::infinity();
    CHECK_NOTHROW(cluster(problem, options));
    CHECK_THROWS_WITH(cluster_method_from_string("skatter"), Contains("unknown clustering method 'skatter'"));

    // Two separate groups of blocks: refused, naming the smaller one.
    bench::OwnedProblem split = chain(4);
    ContiguityGraph broken = graph_from_edges({"A", "B", "C", "D"}, {{0, 1}, {1, 2}});
    split.problem.graph = &broken;
    split.problem.k = 2;
    options.method = ClusterMethod::skater;
    CHECK_THROWS_WITH(cluster(split.problem, options), Contains("2 separate groups") && Contains("'D'"));
}

TEST_CASE("every method returns k contiguous footprints, the same for a seed whatever the threads", "[clustering][cluster]") {
    const bench::OwnedProblem owned = bench::lattice_problem(12, 12, 3, 7);
    for (ClusterMethod method : every_method) {
        ClusteringProblem problem = owned.problem;
        ClusterOptions options;
        options.method = method;
        options.seed = 42;
        if (method == ClusterMethod::maxp) problem.min_population = 15000;
        else problem.k = 9;
        options.threads = 1;
        const Partition one = cluster(problem, options);
        options.threads = 2;
        const Partition two = cluster(problem, options);
        INFO(to_string(method));
        CHECK(one.region == two.region);
        if (method != ClusterMethod::maxp) CHECK(one.regions == 9);
        const std::vector<std::size_t> parts = detail::region_parts(*problem.graph, one.region, one.regions);
        CHECK(std::all_of(parts.begin(), parts.end(), [](std::size_t p) { return p == 1; }));
        CHECK(one.wss < one.tss);
        CHECK(sums_of_squares(problem, one.region).first == Approx(one.wss));
        if (method == ClusterMethod::maxp) {
            const auto sums = detail::region_sums(problem, one.region, one.regions);
            for (const auto& region : sums) CHECK(region.population() >= 15000);
        }
    }
}

TEST_CASE("seeded growth: nearest town along the graph, balance, rural groups", "[clustering][seeded]") {
    bench::OwnedProblem owned = chain(10);
    ClusterOptions options;
    options.method = ClusterMethod::seeded;
    options.block_centres = chain_centres(10);
    options.seed_blocks = {0, 9};
    options.seed_names = {"West", "East"};
    options.balance = 0;
    Partition plain = cluster(owned.problem, options);
    REQUIRE(plain.regions == 2);
    CHECK(plain.names == std::vector<std::string>{"West", "East"});
    CHECK(plain.region == std::vector<std::int32_t>{0, 0, 0, 0, 0, 1, 1, 1, 1, 1});

    // Towns at 0 and 2: the western town is hemmed in. Balancing pushes the
    // boundary east, towards five blocks each.
    options.seed_blocks = {0, 2};
    const Partition hemmed = cluster(owned.problem, options);
    CHECK(std::count(hemmed.region.begin(), hemmed.region.end(), 0) == 2);
    options.balance = 1;
    const Partition balanced = cluster(owned.problem, options);
    CHECK(std::count(balanced.region.begin(), balanced.region.end(), 0) == 2);  // a chain: west of 2 is all it can reach
    options.seed_blocks = {0, 9};
    owned.problem.population = {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 9000};
    const Partition towards_small = cluster(owned.problem, options);
    CHECK(std::count(towards_small.region.begin(), towards_small.region.end(), 0) > 5);  // the big block's town reaches less

    // Blocks more than 2.5 km from both towns along the chain are rural.
    owned.problem.population.assign(10, 1000);
    options.balance = 0;
    options.rural_distance = 2500;
    const Partition rural = cluster(owned.problem, options);
    REQUIRE(rural.regions == 3);
    CHECK(rural.names == std::vector<std::string>{"West", "East", "Rural 1"});  // towns in order, rural last
    CHECK(rural.region == std::vector<std::int32_t>{0, 0, 0, 2, 2, 2, 2, 1, 1, 1});
    options.rural_footprints = 0;
    // A rural group below the floor joins the town it touches most.
    owned.problem.min_population = 4500;  // the rural group holds 4,000
    const Partition joined = cluster(owned.problem, options);
    CHECK(joined.regions == 2);
    // Towns at 0, 4 and 9, rural beyond 1.5 km: West {0, 1}, Middle {3, 4,
    // 5} and East {8, 9}, and two rural groups, {2} and {6, 7}.
    owned.problem.min_population = 0;
    options.rural_distance = 1500;
    options.seed_blocks = {0, 4, 9};
    options.seed_names = {"West", "Middle", "East"};
    owned.problem.population[2] = 2500;
    const Partition two_groups = cluster(owned.problem, options);
    CHECK(two_groups.names == std::vector<std::string>{"West", "Middle", "East", "Rural 1", "Rural 2"});
    CHECK(two_groups.region == std::vector<std::int32_t>{0, 0, 3, 1, 1, 1, 4, 4, 2, 2});  // the most populous first
    // A group beyond the number of rural footprints asked for joins the
    // town it touches most (one contact each with Middle and East: the first).
    options.rural_footprints = 1;
    const Partition one_group = cluster(owned.problem, options);
    CHECK(one_group.region == std::vector<std::int32_t>{0, 0, 3, 1, 1, 1, 1, 1, 2, 2});
    // With no floor, a group smaller than the smallest town footprint (2,000
    // people) is a fragment: it joins a town even when footprints are left.
    options.rural_footprints = 0;
    owned.problem.population[2] = 1000;
    const Partition fragment = cluster(owned.problem, options);
    CHECK(fragment.names == std::vector<std::string>{"West", "Middle", "East", "Rural 1"});
    CHECK(fragment.region == std::vector<std::int32_t>{0, 0, 0, 1, 1, 1, 3, 3, 2, 2});
    options.seed_names = {"West", "East"};

    options.seed_blocks = {3, 3};
    options.rural_footprints = 0;
    CHECK_THROWS_WITH(cluster(owned.problem, options), Contains("two town centres fall in block 'B3'"));
    options.seed_blocks.clear();
    CHECK_THROWS_WITH(cluster(owned.problem, options), Contains("needs at least one town centre"));
}

TEST_CASE("town centres are found in their blocks, and a centre outside every block is named", "[clustering][seeded]") {
    const Layer grid = grid_2x2();
    const std::string path = temp_dir("places") + "/towns.csv";
    {
        std::ofstream out(path);
        out << "name,x,y\nSouthwest,500,500\nNortheast,1500,1500\n";
    }
    const Layer places = read_places(path, "");
    CHECK(locate_places(grid, places) == std::vector<std::size_t>{0, 3});
    {
        std::ofstream out(path);
        out << "name,x,y\nSouthwest,500,500\nFaraway,9000,9000\n";
    }
    CHECK_THROWS_WITH(locate_places(grid, read_places(path, "")), Contains("Faraway") && Contains("outside every block"));
    {
        std::ofstream out(path);
        out << "name,x,y\nOne,100,100\nTwo,200,200\n";
    }
    CHECK_THROWS_WITH(locate_places(grid, read_places(path, "")), Contains("Two") && Contains("with 'One'"));
    {
        std::ofstream out(path);
        out << "name,lat,lon\nGuildford,51.2362,-0.5704\n";
    }
    const Layer guildford = read_places(path, "");  // WGS84 to British National Grid
    CHECK(guildford.features[0].point.x == Approx(499700).margin(300));
    CHECK(guildford.features[0].point.y == Approx(149600).margin(300));
    {
        std::ofstream out(path);
        out << "name,x,y\nNowhere,abc,1\n";
    }
    CHECK_THROWS_WITH(read_places(path, ""), Contains("towns.csv") && Contains("line 2") && Contains("'x'"));
}

TEST_CASE("footprints stay within, or are made of, the units of a nest layer", "[clustering][footprints]") {
    // A 4 x 2 grid of 1 km squares; attribute = column, population 1,000.
    std::vector<std::pair<std::string, std::string>> squares;
    for (int row = 0; row < 2; ++row)
        for (int col = 0; col < 4; ++col)
            squares.emplace_back("S" + std::to_string(row) + std::to_string(col),
                                 box_wkt(col * 1000, row * 1000, (col + 1) * 1000, (row + 1) * 1000));
    const Layer blocks = hand_layer("squares", squares);
    const Layer halves = hand_layer("halves", {{"W", box_wkt(0, 0, 2000, 2000)}, {"E", box_wkt(2000, 0, 4000, 2000)}});
    const Layer columns = hand_layer("columns", {{"C0", box_wkt(0, 0, 1000, 2000)}, {"C1", box_wkt(1000, 0, 2000, 2000)},
                                                 {"C2", box_wkt(2000, 0, 3000, 2000)}, {"C3", box_wkt(3000, 0, 4000, 2000)}});
    FootprintRequest request;
    request.population.assign(8, 1000);
    FootprintAttribute attribute;
    attribute.name = "row";  // rows differ: unconstrained footprints would be the two rows
    for (int row = 0; row < 2; ++row)
        for (int col = 0; col < 4; ++col) attribute.values.push_back(row);
    request.attributes = {attribute};
    request.cluster.method = ClusterMethod::skater;
    request.k = 2;
    const FootprintResult free = town_footprints(blocks, request);
    CHECK(free.partition.region == std::vector<std::int32_t>{0, 0, 0, 0, 1, 1, 1, 1});
    CHECK(free.metrics.non_contiguous == 0);

    request.nest_layer = &halves;
    request.nesting = Nesting::within_units;
    const FootprintResult within = town_footprints(blocks, request);
    CHECK(within.groups == 2);
    CHECK(within.partition.regions == 2);
    CHECK(within.partition.region == std::vector<std::int32_t>{0, 0, 1, 1, 0, 0, 1, 1});
    request.k = 1;
    CHECK_THROWS_WITH(town_footprints(blocks, request), Contains("k = 1") && Contains("2 separate parts"));

    request.k = 2;
    request.nest_layer = &columns;
    request.nesting = Nesting::whole_units;
    const FootprintResult whole = town_footprints(blocks, request);
    REQUIRE(whole.partition.regions == 2);
    for (int col = 0; col < 4; ++col) CHECK(whole.partition.region[col] == whole.partition.region[4 + col]);
    CHECK(whole.parent[5] == "C1");

    request.nesting = Nesting::within_units;
    request.nest_layer = &halves;
    request.k = 0;
    request.min_population = 4500;
    request.cluster.method = ClusterMethod::maxp;
    CHECK_THROWS_WITH(town_footprints(blocks, request), Contains("below the floor 4500"));
}
