// One polygon per footprint by default: blocks that meet only at a corner are
// not neighbours unless queen contiguity is asked for, so no method can join
// them into one footprint.
#include "hand_layers.hpp"
#include "support.hpp"

#include "placedef/clustering.hpp"
#include "placedef/io.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace placedef;
using namespace placedef::test;

namespace {

/// grid_2x2() (SW, SE, NW, NE) as a checkerboard: SW and NE hold 10, SE and
/// NW 0, 1,000 people each. The diagonals are two perfectly uniform
/// footprints, but each diagonal pair touches only at the centre point.
FootprintRequest checkerboard_request(ClusterMethod method) {
    FootprintRequest request;
    request.population.assign(4, 1000);
    FootprintAttribute attribute;
    attribute.name = "value";
    attribute.values = {10, 0, 0, 10};
    request.attributes = {attribute};
    request.cluster.method = method;
    if (method == ClusterMethod::maxp)
        request.min_population = 2000;
    else
        request.k = 2;
    return request;
}

void require_single_polygons(const FootprintResult& result) {
    REQUIRE(result.partition.regions == 2);
    CHECK(result.metrics.non_contiguous == 0);
    for (const FootprintMetrics& footprint : result.metrics.footprints) {
        CHECK(footprint.parts == 1);
        CHECK(footprint.contiguous_graph);
    }
}

}  // namespace

TEST_CASE("by default no method joins blocks that meet only at a corner", "[clustering][contiguity]") {
    const Layer grid = grid_2x2();
    CHECK(FootprintRequest{}.contiguity.adjacency == Adjacency::rook);

    for (const ClusterMethod method :
         {ClusterMethod::skater, ClusterMethod::redcap, ClusterMethod::maxp, ClusterMethod::azp}) {
        INFO(to_string(method));
        const FootprintResult result = town_footprints(grid, checkerboard_request(method));
        CHECK(result.graph.edge_count() == 4);  // the four sides; no diagonal
        require_single_polygons(result);
    }

    const std::string path = temp_dir("corner") + "/towns.csv";
    {
        std::ofstream out(path);
        out << "name,x,y\nSouthwest,500,500\nNortheast,1500,1500\n";
    }
    const Layer places = read_places(path, "");
    FootprintRequest seeded = checkerboard_request(ClusterMethod::seeded);
    seeded.places = &places;
    seeded.attributes.clear();
    require_single_polygons(town_footprints(grid, seeded));
}

TEST_CASE("queen contiguity, asked for, joins corner neighbours into one footprint", "[clustering][contiguity]") {
    // The reason rook is the default: on the queen graph SKATER finds the
    // uniform diagonals, two footprints each in two pieces.
    FootprintRequest request = checkerboard_request(ClusterMethod::skater);
    request.contiguity.adjacency = Adjacency::queen;
    const FootprintResult result = town_footprints(grid_2x2(), request);
    CHECK(result.graph.edge_count() == 6);
    CHECK(result.partition.region[0] == result.partition.region[3]);
    CHECK(result.partition.region[1] == result.partition.region[2]);
    CHECK(result.partition.wss == Approx(0.0).margin(1e-12));
    CHECK(result.metrics.non_contiguous == 2);
    for (const FootprintMetrics& footprint : result.metrics.footprints) CHECK(footprint.parts == 2);
}
