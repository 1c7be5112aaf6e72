// partition_metrics(): footprints of hand-drawn squares whose area,
// perimeter, compactness and sums of squares are worked out on paper, both
// ways of finding a footprint in pieces, and the sample LSOAs by district.
#include <catch2/catch.hpp>

#include "hand_layers.hpp"
#include "hand_problems.hpp"
#include "placedef/clustering.hpp"
#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "support.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

using namespace placedef;
using test::box_wkt;
using test::hand_layer;
using test::square_grid;

namespace {

const double pi = std::acos(-1.0);

/// A layer with its graph and a one-attribute problem over it (ClusteringProblem
/// only points to its graph).
struct Setup {
    Layer layer;
    std::unique_ptr<ContiguityGraph> graph;
    ClusteringProblem problem;
};

Setup setup(Layer layer, const std::vector<double>& values, std::vector<double> population = {},
            IslandPolicy islands = IslandPolicy::report) {
    Setup s;
    s.layer = std::move(layer);
    ContiguityOptions options;
    options.islands = islands;
    s.graph = std::make_unique<ContiguityGraph>(contiguity_graph(s.layer, options));
    s.problem.graph = s.graph.get();
    s.problem.attributes = values;
    s.problem.dimensions = 1;
    s.problem.population = std::move(population);
    return s;
}

Partition labelling(std::vector<std::int32_t> region, std::size_t regions) {
    Partition partition;
    partition.region = std::move(region);
    partition.regions = regions;
    return partition;
}

}  // namespace

TEST_CASE("metrics: compactness of a 2 x 1 rectangle and an L", "[clustering][metrics]") {
    // Blocks 0 1 in the bottom row, 2 above block 0.
    const Setup s = setup(hand_layer("shapes", {{"A", box_wkt(0, 0, 100, 100)},
                                                {"B", box_wkt(100, 0, 200, 100)},
                                                {"C", box_wkt(0, 100, 100, 200)}}),
                          {1, 2, 3});
    const PartitionMetrics rectangle = partition_metrics(s.layer, s.problem, labelling({0, 0, 1}, 2));
    const FootprintMetrics& r = rectangle.footprints[0];
    CHECK(r.blocks == 2);
    CHECK(r.area_m2 == Approx(20000));
    CHECK(r.perimeter_m == Approx(600));
    CHECK(r.polsby_popper == Approx(4 * pi * 2 / 36));
    CHECK(r.hull_ratio == Approx(1.0));
    CHECK(r.parts == 1);
    CHECK(r.contiguous_graph);
    CHECK(r.wss == Approx(0.5));  // values 1 and 2 about their mean 1.5
    // A lone square: PP = 4π/16 = π/4.
    CHECK(rectangle.footprints[1].polsby_popper == Approx(pi / 4));
    CHECK(rectangle.footprints[1].wss == 0.0);

    const PartitionMetrics l_shape = partition_metrics(s.layer, s.problem, labelling({0, 0, 0}, 1));
    const FootprintMetrics& l = l_shape.footprints[0];
    CHECK(l.area_m2 == Approx(30000));
    CHECK(l.perimeter_m == Approx(800));
    CHECK(l.polsby_popper == Approx(4 * pi * 3 / 64));
    CHECK(l.hull_ratio == Approx(3 / 3.5));  // the hull adds half a square
    CHECK(l.wss == Approx(2.0));
    CHECK(l_shape.shapes.size() == 1);
    CHECK(area(l_shape.shapes[0]) == Approx(30000));
}

TEST_CASE("metrics: population, sums of squares and names of a 3 x 3 grid", "[clustering][metrics]") {
    std::vector<double> values, population;
    for (int i = 0; i < 9; ++i) {
        values.push_back(i);
        population.push_back(100.0 * (i + 1));
    }
    const Setup s = setup(square_grid(3, 3), values, population);
    // West column against the rest.
    Partition partition = labelling({0, 1, 1, 0, 1, 1, 0, 1, 1}, 2);
    partition.names = {"West", "East"};
    const PartitionMetrics m = partition_metrics(s.layer, s.problem, partition, 2);
    REQUIRE(m.footprints.size() == 2);
    const FootprintMetrics& west = m.footprints[0];
    const FootprintMetrics& east = m.footprints[1];
    CHECK(west.name == "West");
    CHECK(east.region == 1);
    CHECK(west.population == 1200);
    CHECK(east.population == 3300);
    CHECK(m.min_population == 1200);
    CHECK(m.max_population == 3300);
    CHECK(west.wss == Approx(18));    // 0 3 6 about 3
    CHECK(east.wss == Approx(37.5));  // 1 2 4 5 7 8 about 4.5
    CHECK(m.wss == Approx(55.5));
    CHECK(m.tss == Approx(60));       // 0..8 about 4
    CHECK(west.area_m2 == Approx(30000));
    CHECK(east.perimeter_m == Approx(1000));
    CHECK(east.hull_ratio == Approx(1.0));
    CHECK(m.non_contiguous == 0);

    // The thread count changes nothing.
    const PartitionMetrics one = partition_metrics(s.layer, s.problem, partition, 1);
    for (std::size_t r = 0; r < 2; ++r) {
        CHECK(one.footprints[r].perimeter_m == m.footprints[r].perimeter_m);
        CHECK(to_wkt(one.shapes[r]) == to_wkt(m.shapes[r]));
    }
}

TEST_CASE("metrics: a footprint in pieces is found on the graph and on the map", "[clustering][metrics]") {
    SECTION("both: opposite corners of the grid") {
        const Setup s = setup(square_grid(3, 3), std::vector<double>(9, 0.0));
        const PartitionMetrics m = partition_metrics(s.layer, s.problem, labelling({0, 1, 1, 1, 1, 1, 1, 1, 0}, 2));
        CHECK_FALSE(m.footprints[0].contiguous_graph);
        CHECK(m.footprints[0].parts == 2);
        CHECK(m.footprints[1].contiguous_graph);
        CHECK(m.footprints[1].parts == 1);
        CHECK(m.non_contiguous == 1);
    }
    SECTION("the graph only: touching squares the graph does not link") {
        const Layer layer = square_grid(1, 2);
        ContiguityGraph graph = graph_from_edges({"r0c0", "r0c1"}, {});
        ClusteringProblem problem;
        problem.graph = &graph;
        const PartitionMetrics m = partition_metrics(layer, problem, labelling({0, 0}, 1));
        CHECK_FALSE(m.footprints[0].contiguous_graph);
        CHECK(m.footprints[0].parts == 1);
        CHECK(m.non_contiguous == 1);
    }
    SECTION("the map only: an island the graph joined") {
        const Setup s = setup(hand_layer("apart", {{"A", box_wkt(0, 0, 100, 100)}, {"B", box_wkt(1000, 0, 1100, 100)}}), {0, 0},
                              {}, IslandPolicy::join_nearest);
        REQUIRE(s.graph->joined.size() == 1);
        const PartitionMetrics m = partition_metrics(s.layer, s.problem, labelling({0, 0}, 1));
        CHECK(m.footprints[0].contiguous_graph);
        CHECK(m.footprints[0].parts == 2);
        CHECK(m.non_contiguous == 1);
        CHECK(m.footprints[0].population == 2);  // no populations: every block counts 1
    }
}

TEST_CASE("metrics: a 2 m gap between members is closed, not a second part", "[clustering][metrics]") {
    const Setup s = setup(hand_layer("gap", {{"W", box_wkt(0, 0, 100, 100)}, {"E", box_wkt(102, 0, 202, 100)}}), {0, 1});
    const PartitionMetrics m = partition_metrics(s.layer, s.problem, labelling({0, 0}, 1));
    CHECK(m.footprints[0].parts == 1);
    CHECK(m.footprints[0].area_m2 == Approx(20200));  // the 2 x 100 m gap is filled
    CHECK(m.footprints[0].perimeter_m == Approx(604));
    CHECK(m.footprints[0].hull_ratio == Approx(1.0));
}

TEST_CASE("metrics: bad partitions are refused", "[clustering][metrics]") {
    const Setup s = setup(square_grid(1, 3), {0, 1, 2});
    CHECK_THROWS_AS(partition_metrics(s.layer, s.problem, labelling({0, 0}, 1)), invalid_input);
    CHECK_THROWS_WITH(partition_metrics(s.layer, s.problem, labelling({0, 0, 3}, 2)), Catch::Contains("'r0c2' has region 3"));
    CHECK_THROWS_WITH(partition_metrics(s.layer, s.problem, labelling({0, 0, 2}, 3)), Catch::Contains("region 1 has no blocks"));
    Layer renamed = s.layer;
    renamed.features[1].code = "other";
    CHECK_THROWS_WITH(partition_metrics(renamed, s.problem, labelling({0, 0, 0}, 1)), Catch::Contains("another layer or order"));
    ClusteringProblem no_graph = s.problem;
    no_graph.graph = nullptr;
    CHECK_THROWS_AS(partition_metrics(s.layer, no_graph, labelling({0, 0, 0}, 1)), invalid_input);
}

TEST_CASE("metrics: the geometry primitives behind them", "[clustering][metrics]") {
    const MultiPolygon l_shape = multipolygon_from_wkt("POLYGON ((0 0, 2 0, 2 1, 1 1, 1 2, 0 2, 0 0))");
    const Ring hull = convex_hull(l_shape);
    CHECK(hull.size() == 5);
    CHECK(signed_area(hull) == Approx(3.5));  // counter-clockwise
    CHECK(covers(l_shape, Coord{0.5, 0.5}));
    CHECK(covers(l_shape, Coord{1.5, 1.0}));  // on the boundary
    CHECK_FALSE(covers(l_shape, Coord{1.5, 1.5}));
    const MultiPolygon ring = multipolygon_from_wkt("POLYGON ((0 0, 3 0, 3 3, 0 3, 0 0), (1 1, 1 2, 2 2, 2 1, 1 1))");
    CHECK_FALSE(covers(ring, Coord{1.5, 1.5}));  // in the hole
    CHECK(distance(l_shape, multipolygon_from_wkt(box_wkt(4, 0, 5, 1))) == Approx(2.0));
    CHECK(distance(l_shape, multipolygon_from_wkt(box_wkt(0.2, 0.2, 0.4, 0.4))) == 0.0);
    CHECK(area(dissolve({l_shape}, 0.0)) == Approx(3.0));
    CHECK_THROWS_AS(dissolve({l_shape}, -1.0), invalid_input);
}

TEST_CASE("metrics: the sample LSOAs by district", "[clustering][metrics]") {
    ProblemSink problems;
    const Layer lsoa = load_layer(LayerAddress::parse(test::source_path("shapefiles/lsoa_2021.gpkg")), ReadOptions{}, problems);
    const std::size_t district = *lsoa.attribute_index("LADCD_ACTIVE");
    Partition by_district;
    std::vector<std::string> seen;
    double block_area = 0;
    for (const Feature& f : lsoa.features) {
        const std::string& lad = f.attributes[district];
        auto at = std::find(seen.begin(), seen.end(), lad);
        if (at == seen.end()) at = seen.insert(seen.end(), lad);
        by_district.region.push_back(static_cast<std::int32_t>(at - seen.begin()));
        block_area += area(f.shape);
    }
    by_district.regions = seen.size();
    REQUIRE(by_district.regions == 2);  // Guildford and Waverley
    const Setup s = setup(lsoa, std::vector<double>(lsoa.size(), 0.0));
    const PartitionMetrics m = partition_metrics(s.layer, s.problem, by_district);
    CHECK(m.non_contiguous == 0);
    double footprint_area = 0;
    for (const FootprintMetrics& f : m.footprints) {
        footprint_area += f.area_m2;
        CHECK(f.polsby_popper > 0.1);
        CHECK(f.polsby_popper < 1.0);
        CHECK(f.hull_ratio > 0.5);
        CHECK(f.hull_ratio < 1.0);
    }
    CHECK(m.footprints[0].blocks + m.footprints[1].blocks == 166);
    // Dissolving closes slivers only: the districts cover what the LSOAs do.
    CHECK(footprint_area == Approx(block_area).epsilon(1e-4));
}
