// town_footprints() with --within: no footprint crosses the nest layer's
// boundaries, seeded growth grows each town inside its unit, and the rural
// rule holds for the whole run (at most N rural footprints, no fragments).
// A hand-drawn grid of 2 x 8 squares of 1 km, cut into a west and an east
// unit of 2 x 4 squares each:
//
//     r1c0 r1c1 r1c2 r1c3 | r1c4 r1c5 r1c6 r1c7
//     r0c0 r0c1 r0c2 r0c3 | r0c4 r0c5 r0c6 r0c7
//     West town in r0c0     East town in r0c7
//
// Blocks are 1 km apart along the graph. Beyond 2.5 km from both towns lie
// r0c3, r1c2, r1c3 (west) and r0c4, r1c4, r1c5 (east): one rural group on
// the whole graph, two once the graph is cut at the units' boundary.
#include "hand_problems.hpp"
#include "support.hpp"

#include "placedef/clustering.hpp"
#include "placedef/error.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace placedef;
using namespace placedef::test;
using Catch::Matchers::Contains;

namespace {

/// Block (row, col) of the 2 x 8 grid.
std::size_t at(std::size_t row, std::size_t col) { return row * 8 + col; }

Layer units() {
    Layer layer = hand_layer("halves", {{"W", box_wkt(0, 0, 4000, 2000)}, {"E", box_wkt(4000, 0, 8000, 2000)}});
    layer.features[0].name = "West side";
    layer.features[1].name = "East side";
    return layer;
}

/// Town centres as read_places gives them: code = name, a point each.
Layer towns(const std::vector<std::pair<std::string, Coord>>& places) {
    Layer layer;
    layer.name = "towns";
    layer.source = "towns.csv";
    layer.crs = "EPSG:27700";
    for (const auto& [name, point] : places) {
        Feature feature;
        feature.fid = static_cast<std::int64_t>(layer.features.size()) + 1;
        feature.code = name;
        feature.point = point;
        layer.features.push_back(feature);
    }
    return layer;
}

/// Seeded growth with no balance, rural beyond 2.5 km, 1,000 people a block.
FootprintRequest seeded_request(const Layer& places, const Layer& nest) {
    FootprintRequest request;
    request.cluster.method = ClusterMethod::seeded;
    request.cluster.balance = 0;
    request.cluster.rural_distance = 2500;
    request.places = &places;
    request.nest_layer = &nest;
    request.nesting = Nesting::within_units;
    request.population.assign(16, 1000);
    return request;
}

/// Every footprint lies in one unit and is one piece.
void require_within(const FootprintResult& result) {
    std::vector<std::set<std::string>> units(result.partition.regions);
    for (std::size_t b = 0; b < result.parent.size(); ++b)
        units[static_cast<std::size_t>(result.partition.region[b])].insert(result.parent[b]);
    for (std::size_t r = 0; r < units.size(); ++r) {
        INFO("footprint " << r + 1 << " (" << result.partition.names[r] << ")");
        REQUIRE(units[r].size() == 1);
        REQUIRE(result.metrics.footprints[r].parts == 1);
        REQUIRE(result.metrics.footprints[r].contiguous_graph);
    }
}

std::vector<std::size_t> blocks_of(const FootprintResult& result, const std::string& name) {
    std::vector<std::size_t> blocks;
    for (std::size_t b = 0; b < result.partition.region.size(); ++b)
        if (result.partition.names[static_cast<std::size_t>(result.partition.region[b])] == name) blocks.push_back(b);
    return blocks;
}

}  // namespace

TEST_CASE("within: the rural rule holds for the whole run, not per unit", "[clustering][footprints][within]") {
    const Layer blocks = square_grid(2, 8, 1000);
    const Layer nest = units();
    const Layer places = towns({{"West", {500, 500}}, {"East", {7500, 500}}});
    FootprintRequest request = seeded_request(places, nest);
    // The west rural group holds 10,000 people, the east one 9,000; each town 5,000.
    for (const std::size_t b : {at(0, 3), at(1, 2)}) request.population[b] = 3000;
    request.population[at(1, 3)] = 4000;
    for (const std::size_t b : {at(0, 4), at(1, 4), at(1, 5)}) request.population[b] = 3000;

    SECTION("without --within, one rural group straddles the boundary") {
        request.nesting = Nesting::none;
        request.nest_layer = nullptr;
        request.cluster.rural_footprints = 2;
        const FootprintResult free = town_footprints(blocks, request);
        CHECK(free.partition.names == std::vector<std::string>{"West", "East", "Rural 1"});
        CHECK(blocks_of(free, "Rural 1") == std::vector<std::size_t>{at(0, 3), at(0, 4), at(1, 2), at(1, 3), at(1, 4), at(1, 5)});
    }
    SECTION("--rural 1: the more populous group is the one rural footprint; the other joins its unit's town") {
        request.cluster.rural_footprints = 1;
        const FootprintResult result = town_footprints(blocks, request);
        CHECK(result.groups == 2);
        CHECK(result.partition.names == std::vector<std::string>{"West", "East", "Rural 1"});
        CHECK(blocks_of(result, "Rural 1") == std::vector<std::size_t>{at(0, 3), at(1, 2), at(1, 3)});
        CHECK(blocks_of(result, "East") ==
              std::vector<std::size_t>{at(0, 4), at(0, 5), at(0, 6), at(0, 7), at(1, 4), at(1, 5), at(1, 6), at(1, 7)});
        CHECK(result.notes.empty());
        require_within(result);
    }
    SECTION("--rural 2: both groups, numbered across the run by population") {
        request.cluster.rural_footprints = 2;
        const FootprintResult result = town_footprints(blocks, request);
        CHECK(result.partition.names == std::vector<std::string>{"West", "East", "Rural 1", "Rural 2"});
        CHECK(blocks_of(result, "Rural 1") == std::vector<std::size_t>{at(0, 3), at(1, 2), at(1, 3)});
        CHECK(blocks_of(result, "Rural 2") == std::vector<std::size_t>{at(0, 4), at(1, 4), at(1, 5)});
        require_within(result);
    }
    SECTION("a group smaller than the smallest town footprint is a fragment: it joins its unit's town") {
        for (const std::size_t b : {at(0, 4), at(1, 4), at(1, 5)}) request.population[b] = 1000;  // 3,000 < 5,000
        request.cluster.rural_footprints = 2;
        const FootprintResult result = town_footprints(blocks, request);
        CHECK(result.partition.names == std::vector<std::string>{"West", "East", "Rural 1"});
        CHECK(blocks_of(result, "East").size() == 8);
        require_within(result);
    }
    SECTION("a floor: a group below it joins its town, and so does one its unit has no room for") {
        request.cluster.rural_footprints = 2;
        // The east group (9,000) is below the floor. The west one (10,000) is
        // not, but its unit's 15,000 people cannot make two footprints of 9,500.
        request.min_population = 9500;
        const FootprintResult result = town_footprints(blocks, request);
        CHECK(result.partition.names == std::vector<std::string>{"West", "East"});
        CHECK(result.metrics.min_population >= 9500);
        require_within(result);
        // A floor of 7,000 leaves room for both: the towns take blocks from them to reach it.
        request.min_population = 7000;
        const FootprintResult both = town_footprints(blocks, request);
        CHECK(both.partition.names == std::vector<std::string>{"West", "East", "Rural 1", "Rural 2"});
        CHECK(both.metrics.min_population >= 7000);
        require_within(both);
    }
}

TEST_CASE("within: a unit with no town is a rural footprint of its own, and the run says so", "[clustering][footprints][within]") {
    const Layer blocks = square_grid(2, 8, 1000);
    const Layer nest = units();
    const Layer places = towns({{"West", {500, 500}}});
    FootprintRequest request = seeded_request(places, nest);

    SECTION("no rural distance: the east unit is unreachable, so rural") {
        request.cluster.rural_distance = std::numeric_limits<double>::infinity();
        const FootprintResult result = town_footprints(blocks, request);
        CHECK(result.partition.names == std::vector<std::string>{"West", "Rural 1"});
        CHECK(blocks_of(result, "West").size() == 8);
        CHECK(blocks_of(result, "Rural 1").size() == 8);
        REQUIRE(result.notes.size() == 1);
        CHECK_THAT(result.notes[0], Contains("Rural 1 is unit 'E' (East side) of halves (halves.gpkg), which holds no town: "
                                             "a rural footprint of its own (8 blocks, 8000 people), since no footprint "
                                             "may cross the unit's boundary to join a town"));
        require_within(result);
    }
    SECTION("beyond the rural footprints asked for: numbered after them, and the note says how many there are") {
        for (const std::size_t b : {at(0, 3), at(1, 2)}) request.population[b] = 3000;
        request.population[at(1, 3)] = 4000;  // the west rural group: 10,000 people, more than the east unit's 8,000
        request.cluster.rural_footprints = 1;
        const FootprintResult result = town_footprints(blocks, request);
        CHECK(result.partition.names == std::vector<std::string>{"West", "Rural 1", "Rural 2"});
        CHECK(blocks_of(result, "Rural 1") == std::vector<std::size_t>{at(0, 3), at(1, 2), at(1, 3)});
        CHECK(blocks_of(result, "Rural 2").size() == 8);
        REQUIRE(result.notes.size() == 1);
        CHECK_THAT(result.notes[0], Contains("Rural 2 is unit 'E'") && Contains("and there are 2 rural footprints, not the 1 asked for"));
        require_within(result);
    }
    SECTION("a detached part of a unit with a town is cut off from it: a rural footprint too, however small") {
        // r1c7 belongs to the west unit, away from the rest of it.
        Layer split = hand_layer("halves", {{"W", "MULTIPOLYGON (((0 0, 4000 0, 4000 2000, 0 2000, 0 0)), "
                                                  "((7000 1000, 8000 1000, 8000 2000, 7000 2000, 7000 1000)))"},
                                            {"E", "POLYGON ((4000 0, 8000 0, 8000 1000, 7000 1000, 7000 2000, 4000 2000, 4000 0))"}});
        split.features[0].name = "West side";
        const Layer both = towns({{"West", {500, 500}}, {"East", {7500, 500}}});
        FootprintRequest detached = seeded_request(both, split);
        detached.cluster.rural_distance = std::numeric_limits<double>::infinity();
        const FootprintResult result = town_footprints(blocks, detached);
        CHECK(result.groups == 3);
        CHECK(result.partition.names == std::vector<std::string>{"West", "East", "Rural 1"});
        CHECK(blocks_of(result, "Rural 1") == std::vector<std::size_t>{at(1, 7)});
        REQUIRE(result.notes.size() == 1);
        CHECK_THAT(result.notes[0], Contains("Rural 1 is a part of unit 'W' (West side) of halves (halves.gpkg) cut off "
                                             "from its towns: a rural footprint of its own (1 block, 1000 people)"));
        require_within(result);
    }
    SECTION("a unit too small for its towns to meet the floor is refused, naming it") {
        const Layer two = towns({{"West", {500, 500}}, {"Western", {3500, 1500}}});
        FootprintRequest crowded = seeded_request(two, nest);
        crowded.min_population = 4500;  // two towns in 8,000 people
        CHECK_THROWS_WITH(town_footprints(blocks, crowded),
                          Contains("unit 'W' (West side) of halves (halves.gpkg) holds 8000 people") &&
                              Contains("too few for its 2 towns' footprints to reach the floor 4500"));
    }
    SECTION("a unit below the floor is refused, naming it") {
        request.min_population = 9000;
        CHECK_THROWS_WITH(town_footprints(blocks, request),
                          Contains("unit 'W' (West side) of halves") && Contains("below the floor 9000"));
    }
}

TEST_CASE("within: k is shared so that every unit can meet the floor and the ceiling", "[clustering][footprints][within]") {
    const Layer blocks = square_grid(2, 8, 1000);
    const Layer nest = units();
    FootprintRequest request;
    request.cluster.method = ClusterMethod::skater;
    request.nest_layer = &nest;
    request.nesting = Nesting::within_units;
    request.population.assign(16, 1000);
    FootprintAttribute column{"column", {}, 1.0};
    for (std::size_t b = 0; b < 16; ++b) column.values.push_back(static_cast<double>(b % 8));
    request.attributes = {column};

    request.max_population = 3000;  // each unit's 8,000 people need 3 footprints
    request.k = 5;
    CHECK_THROWS_WITH(town_footprints(blocks, request), Contains("the units' parts need at least 6 (raise k or the ceiling)"));
    request.k = 6;
    for (const ClusterMethod method : {ClusterMethod::skater, ClusterMethod::redcap, ClusterMethod::azp, ClusterMethod::maxp}) {
        INFO(to_string(method));
        request.cluster.method = method;
        request.min_population = method == ClusterMethod::maxp ? 2000 : 0;
        const FootprintResult result = town_footprints(blocks, request);
        CHECK(result.partition.regions == 6);
        CHECK(result.metrics.max_population <= 3000);
        require_within(result);
    }

    request.cluster.method = ClusterMethod::skater;
    request.max_population = std::numeric_limits<double>::infinity();
    request.min_population = 5000;  // one footprint per unit at most
    request.k = 3;
    CHECK_THROWS_WITH(town_footprints(blocks, request), Contains("room for at most 2 (lower k or the floor)"));

    // A unit's own clustering fails: the error names the unit.
    request.min_population = 0;
    request.max_population = 4500;
    request.population[at(0, 4)] = 5000;
    request.k = 5;
    CHECK_THROWS_WITH(town_footprints(blocks, request),
                      Contains("within unit 'E' (East side) of halves") &&
                          Contains("block 'r0c4' alone holds 5000 people, above the population ceiling 4500"));
}
