// contiguity_graph(): hand-drawn squares whose neighbours and shared lengths
// can be counted on paper, a brute-force GEOS check on the sample LSOAs, and
// the GeoPandas queen graph of the Surrey benchmark.
#include <catch2/catch.hpp>

#include "clustering/detail/random.hpp"
#include "hand_layers.hpp"
#include "hand_problems.hpp"
#include "placedef/clustering.hpp"
#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "placedef/stopwatch.hpp"
#include "problem_file.hpp"
#include "surrey_problem.hpp"
#include "support.hpp"

#include <cstdlib>
#include <filesystem>
#include <set>

using namespace placedef;
using test::box_wkt;
using test::hand_layer;
using test::square_grid;

namespace {

using Edge = std::pair<std::uint32_t, std::uint32_t>;

std::set<Edge> edge_set(const ContiguityGraph& graph) {
    std::set<Edge> edges;
    for (std::uint32_t i = 0; i < graph.size(); ++i)
        for (const std::uint32_t* n = graph.begin(i); n != graph.end(i); ++n)
            if (i < *n) edges.emplace(i, *n);
    return edges;
}

/// Shared length of the edge a-b (which must exist), read from a's list.
double shared_length(const ContiguityGraph& graph, std::size_t a, std::size_t b) {
    for (std::size_t k = graph.offsets[a]; k < graph.offsets[a + 1]; ++k)
        if (graph.neighbours[k] == b) return graph.shared_length[k];
    FAIL("no edge " << a << "-" << b);
    return 0;
}

ContiguityOptions options_for(Adjacency adjacency, double snap = 5.0, IslandPolicy islands = IslandPolicy::report) {
    ContiguityOptions options;
    options.adjacency = adjacency;
    options.snap = snap;
    options.islands = islands;
    return options;
}

/// Queen edges by brute force: every pair whose GEOS distance is within
/// snap (0 when they overlap), tried for every pair whose boxes come that close.
std::set<Edge> brute_force_queen(const Layer& blocks, double snap) {
    std::vector<Box> boxes;
    for (const Feature& f : blocks.features) boxes.push_back(bounds(f.shape));
    std::set<Edge> edges;
    for (std::uint32_t i = 0; i < blocks.size(); ++i)
        for (std::uint32_t j = i + 1; j < blocks.size(); ++j) {
            Box grown = boxes[i];
            grown.expand(Coord{grown.minx - snap, grown.miny - snap});
            grown.expand(Coord{grown.maxx + snap, grown.maxy + snap});
            if (grown.intersects(boxes[j]) && distance(blocks.features[i].shape, blocks.features[j].shape) <= snap)
                edges.emplace(i, j);
        }
    return edges;
}

void require_same_graph(const ContiguityGraph& a, const ContiguityGraph& b) {
    REQUIRE(a.offsets == b.offsets);
    REQUIRE(a.neighbours == b.neighbours);
    REQUIRE(a.shared_length == b.shared_length);
    REQUIRE(a.joined == b.joined);
    REQUIRE(a.islands == b.islands);
    REQUIRE(a.component == b.component);
}

}  // namespace

TEST_CASE("contiguity: a 3 x 3 grid of squares", "[clustering][contiguity]") {
    const Layer grid = square_grid(3, 3);
    const ContiguityGraph queen = contiguity_graph(grid, options_for(Adjacency::queen));
    CHECK(queen.codes[4] == "r1c1");
    CHECK(queen.edge_count() == 20);
    CHECK(queen.degree(4) == 8);  // the centre touches every other square
    CHECK(queen.degree(0) == 3);
    CHECK(queen.component_count == 1);
    CHECK(queen.islands.empty());
    CHECK(queen.joined.empty());
    // Side neighbours share the whole 100 m side; corner neighbours nothing.
    CHECK(shared_length(queen, 0, 1) == Approx(100.0));
    CHECK(shared_length(queen, 1, 0) == shared_length(queen, 0, 1));
    CHECK(shared_length(queen, 4, 7) == Approx(100.0));
    CHECK(shared_length(queen, 0, 4) == 0.0);
    CHECK(shared_length(queen, 2, 4) == 0.0);

    const ContiguityGraph rook = contiguity_graph(grid, options_for(Adjacency::rook));
    CHECK(rook.edge_count() == 12);
    CHECK(rook.degree(4) == 4);
    CHECK_FALSE(rook.adjacent(0, 4));
    for (const Edge& e : edge_set(rook)) {
        CHECK(queen.adjacent(e.first, e.second));
        CHECK(shared_length(rook, e.first, e.second) == Approx(100.0));
    }

    // Exactly touching squares are neighbours with no tolerance at all.
    CHECK(contiguity_graph(grid, options_for(Adjacency::queen, 0.0)).edge_count() == 20);
    CHECK(contiguity_graph(grid, options_for(Adjacency::rook, 0.0)).edge_count() == 12);
}

TEST_CASE("contiguity: a gap of 2 m closes with snap 5, not with snap 1", "[clustering][contiguity]") {
    const Layer apart = square_grid(1, 2, 100, 2);
    const ContiguityGraph snapped = contiguity_graph(apart, options_for(Adjacency::rook, 5.0));
    REQUIRE(snapped.edge_count() == 1);
    CHECK(shared_length(snapped, 0, 1) == Approx(100.0));
    CHECK(snapped.component_count == 1);

    const ContiguityGraph strict = contiguity_graph(apart, options_for(Adjacency::queen, 1.0));
    CHECK(strict.edge_count() == 0);
    CHECK(strict.islands == std::vector<std::uint32_t>{0, 1});
    CHECK(strict.component_count == 2);
    CHECK(strict.component == std::vector<std::uint32_t>{0, 1});

    // Overlapping by 2 m (the other way generalisation goes wrong): neighbours
    // even with no tolerance.
    const Layer overlapping = hand_layer("overlap", {{"W", box_wkt(0, 0, 100, 100)}, {"E", box_wkt(98, 0, 198, 100)}});
    CHECK(contiguity_graph(overlapping, options_for(Adjacency::queen, 0.0)).edge_count() == 1);
}

TEST_CASE("contiguity: rook needs the least shared length, queen any contact", "[clustering][contiguity]") {
    // East square slid up so that the two share 5 m of side.
    const Layer slid = hand_layer("slid", {{"W", box_wkt(0, 0, 100, 100)}, {"E", box_wkt(100, 95, 200, 195)}});
    ContiguityOptions rook = options_for(Adjacency::rook);
    rook.min_shared_length = 10;
    CHECK(contiguity_graph(slid, rook).edge_count() == 0);
    rook.min_shared_length = 4;
    const ContiguityGraph short_side = contiguity_graph(slid, rook);
    REQUIRE(short_side.edge_count() == 1);
    CHECK(shared_length(short_side, 0, 1) == Approx(5.0));
    CHECK(contiguity_graph(slid, options_for(Adjacency::queen)).edge_count() == 1);
}

TEST_CASE("contiguity: multi-part blocks, holes and enclosed blocks", "[clustering][contiguity]") {
    const Layer layer = hand_layer(
        "parts", {{"ring", "POLYGON ((0 0, 300 0, 300 300, 0 300, 0 0), (100 100, 100 200, 200 200, 200 100, 100 100))"},
                  {"enclave", box_wkt(100, 100, 200, 200)},
                  // Two parts far apart, each beside a different block.
                  {"split", "MULTIPOLYGON (((1000 0, 1100 0, 1100 100, 1000 100, 1000 0)), "
                            "((2000 0, 2100 0, 2100 100, 2000 100, 2000 0)))"},
                  {"beside_first", box_wkt(1100, 0, 1200, 100)},
                  {"beside_second", box_wkt(2100, 0, 2200, 100)},
                  // Lies inside "big" without touching its boundary: they overlap.
                  {"big", box_wkt(5000, 0, 6000, 1000)},
                  {"inside", box_wkt(5400, 400, 5600, 600)}});
    const ContiguityGraph graph = contiguity_graph(layer, options_for(Adjacency::queen));
    CHECK(edge_set(graph) == std::set<Edge>{{0, 1}, {2, 3}, {2, 4}, {5, 6}});
    CHECK(shared_length(graph, 0, 1) == Approx(400.0));  // the hole's whole boundary
    CHECK(shared_length(graph, 2, 4) == Approx(100.0));
    CHECK(shared_length(graph, 5, 6) == 0.0);
    CHECK(graph.component_count == 3);
    CHECK(graph.component == std::vector<std::uint32_t>{0, 0, 1, 1, 1, 2, 2});
}

TEST_CASE("contiguity: islands are reported, or joined to the nearest block", "[clustering][contiguity]") {
    std::vector<std::pair<std::string, std::string>> units;
    const Layer grid = square_grid(3, 3);
    for (const Feature& f : grid.features) units.emplace_back(f.code, to_wkt(f.shape));
    // 500 m east of the middle-east square r1c2 (block 5) and further from
    // every other; a second island 600 m beyond the first, so nearer to it
    // than to the grid.
    units.emplace_back("island", box_wkt(800, 120, 900, 180));
    units.emplace_back("far_island", box_wkt(1500, 120, 1600, 180));
    const Layer layer = hand_layer("islands", units);

    const ContiguityGraph reported = contiguity_graph(layer, options_for(Adjacency::queen));
    CHECK(reported.islands == std::vector<std::uint32_t>{9, 10});
    CHECK(reported.component_count == 3);
    CHECK(reported.joined.empty());

    for (unsigned threads : {1u, 2u}) {
        ContiguityOptions options = options_for(Adjacency::queen, 5.0, IslandPolicy::join_nearest);
        options.threads = threads;
        const ContiguityGraph joined = contiguity_graph(layer, options);
        CHECK(joined.joined == std::vector<Edge>{{5, 9}, {9, 10}});
        CHECK(joined.islands == std::vector<std::uint32_t>{9, 10});
        CHECK(joined.component_count == 1);
        CHECK(joined.edge_count() == 22);
        CHECK(shared_length(joined, 5, 9) == 0.0);
        CHECK(shared_length(joined, 10, 9) == 0.0);
    }

    // A rook graph of the grid alone: no islands, nothing to join.
    const ContiguityGraph rook = contiguity_graph(grid, options_for(Adjacency::rook, 5.0, IslandPolicy::join_nearest));
    CHECK(rook.joined.empty());
    CHECK(rook.edge_count() == 12);
}

TEST_CASE("contiguity: bad input is refused, naming the layer", "[clustering][contiguity]") {
    Layer points = square_grid(1, 2);
    points.kind = LayerKind::point;
    CHECK_THROWS_WITH(contiguity_graph(points, ContiguityOptions{}), Catch::Contains("squares (squares.gpkg)") && Catch::Contains("polygons"));
    Layer empty = square_grid(1, 1);
    empty.features.clear();
    CHECK_THROWS_WITH(contiguity_graph(empty, ContiguityOptions{}), Catch::Contains("squares (squares.gpkg) has no features"));
    CHECK_THROWS_AS(contiguity_graph(square_grid(1, 2), options_for(Adjacency::queen, -1.0)), invalid_input);
    ContiguityOptions rook = options_for(Adjacency::rook);
    rook.min_shared_length = -1;
    CHECK_THROWS_AS(contiguity_graph(square_grid(1, 2), rook), invalid_input);
    // One block is a graph: a single island.
    const ContiguityGraph single = contiguity_graph(square_grid(1, 1), ContiguityOptions{});
    CHECK(single.size() == 1);
    CHECK(single.islands == std::vector<std::uint32_t>{0});
}

TEST_CASE("contiguity: the sample LSOAs match a brute-force GEOS check", "[clustering][contiguity]") {
    ProblemSink problems;
    const Layer lsoa = load_layer(LayerAddress::parse(test::source_path("shapefiles/lsoa_2021.gpkg")), ReadOptions{}, problems);
    REQUIRE(lsoa.size() == 166);
    for (double snap : {0.0, 5.0, 50.0}) {
        INFO("snap " << snap);
        ContiguityOptions options = options_for(Adjacency::queen, snap);
        options.threads = 1;
        const ContiguityGraph queen = contiguity_graph(lsoa, options);
        CHECK(edge_set(queen) == brute_force_queen(lsoa, snap));
        options.threads = 2;
        require_same_graph(contiguity_graph(lsoa, options), queen);

        // Rook edges are the queen edges sharing at least 10 m.
        const ContiguityGraph rook = contiguity_graph(lsoa, options_for(Adjacency::rook, snap));
        std::set<Edge> long_edges;
        for (const Edge& e : edge_set(queen))
            if (shared_length(queen, e.first, e.second) >= 10.0) long_edges.insert(e);
        CHECK(edge_set(rook) == long_edges);
    }
    // One shared length per edge, the same read from either end.
    const ContiguityGraph queen = contiguity_graph(lsoa, options_for(Adjacency::queen));
    for (const Edge& e : edge_set(queen)) CHECK(shared_length(queen, e.first, e.second) == shared_length(queen, e.second, e.first));
}

TEST_CASE("full data: the Surrey LSOA queen graph matches GeoPandas", "[clustering][contiguity][uk]") {
    PDEF_REQUIRE_UK_DATA();
    const bench::OwnedProblem reference = test::surrey_problem();

    // The benchmark's blocks, in its order (LSOA code order).
    ProblemSink problems;
    const Layer all = load_layer(LayerAddress::parse(test::uk_data_path("lsoa_2011_bgc.gpkg")), ReadOptions{}, problems);
    Layer surrey = all;
    surrey.features.clear();
    for (const std::string& code : reference.graph->codes) {
        const auto index = all.find(code);
        REQUIRE(index);
        surrey.features.push_back(all.features[*index]);
    }
    ContiguityOptions options = options_for(Adjacency::queen, 5.0);
    options.threads = 2;
    const ContiguityGraph queen = contiguity_graph(surrey, options);
    CHECK(queen.edge_count() == 2013);
    CHECK(edge_set(queen) == edge_set(*reference.graph));
    CHECK(queen.component_count == 1);
}

TEST_CASE("contiguity: 35,000 Voronoi cells, brute-force checked", "[clustering][contiguity][.slow]") {
    // Random points over a 60 km square, as dense as urban LSOAs.
    detail::Random random(7);
    std::vector<Coord> points(35000);
    for (Coord& p : points) p = {500000 + random.unit() * 60000, 100000 + random.unit() * 60000};
    const std::vector<MultiPolygon> cells = voronoi_cells(points, Box{500000, 100000, 560000, 160000});
    Layer layer;
    layer.name = "cells";
    for (std::size_t i = 0; i < cells.size(); ++i) {
        Feature f;
        f.code = "C" + std::to_string(i);
        f.shape = cells[i];
        layer.features.push_back(f);
    }
    ContiguityOptions options = options_for(Adjacency::queen);
    options.threads = 2;
    Stopwatch clock;
    const ContiguityGraph queen = contiguity_graph(layer, options);
    WARN("35,000 Voronoi cells, queen snap 5 m, 2 threads: " << clock.lap() << " s, " << queen.edge_count() << " edges");
    CHECK(queen.component_count == 1);
    CHECK(queen.islands.empty());
    CHECK(edge_set(queen) == brute_force_queen(layer, options.snap));
    options.threads = 1;
    require_same_graph(contiguity_graph(layer, options), queen);
}
