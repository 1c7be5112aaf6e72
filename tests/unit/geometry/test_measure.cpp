#include "hand_layers.hpp"

#include "placedef/geometry.hpp"

#include <catch2/catch.hpp>

using namespace placedef;

TEST_CASE("area, perimeter and bounds of hand-drawn shapes", "[geometry]") {
    const MultiPolygon square = multipolygon_from_wkt("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))");
    CHECK(area(square) == 100);
    CHECK(perimeter(square) == 40);
    const Box box = bounds(square);
    CHECK(box.minx == 0);
    CHECK(box.maxy == 10);

    const MultiPolygon holed =
        multipolygon_from_wkt("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 4 2, 4 4, 2 4, 2 2))");
    CHECK(area(holed) == 96);
    CHECK(perimeter(holed) == 48);
    CHECK(ring_count(holed) == 2);
    CHECK(vertex_count(holed) == 8);  // rings stored open
}

TEST_CASE("area keeps its precision at British National Grid coordinates", "[geometry]") {
    // A 1 m square at (650000, 1200000): the plain shoelace formula would lose
    // about 1e-4 of it to cancellation; ours is exact.
    const MultiPolygon tiny =
        multipolygon_from_wkt("POLYGON ((650000 1200000, 650001 1200000, 650001 1200001, 650000 1200001, 650000 1200000))");
    CHECK(area(tiny) == 1.0);
}

TEST_CASE("normalise orients rings and drops repeated vertices", "[geometry]") {
    MultiPolygon shape{{Polygon{{{0, 0}, {0, 10}, {0, 10}, {10, 10}, {10, 0}, {0, 0}},
                                {{{2, 2}, {4, 2}, {4, 4}, {2, 4}}}}}};
    normalise(shape);
    CHECK(shape.polygons[0].outer.size() == 4);
    CHECK(signed_area(shape.polygons[0].outer) > 0);   // counter-clockwise
    CHECK(signed_area(shape.polygons[0].holes[0]) < 0);  // clockwise
    CHECK(area(shape) == 96);
}

TEST_CASE("WKT round trip and errors", "[geometry]") {
    const MultiPolygon shape = multipolygon_from_wkt("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))");
    CHECK(shape.polygons.size() == 2);
    CHECK(multipolygon_from_wkt(to_wkt(shape)).polygons.size() == 2);
    CHECK_THROWS_AS(multipolygon_from_wkt("POLYGON ((0 0, 1"), invalid_input);
    CHECK_THROWS_AS(multipolygon_from_wkt("LINESTRING (0 0, 1 1)"), invalid_input);
}

TEST_CASE("point on surface lies inside a concave shape", "[geometry]") {
    const MultiPolygon u_shape =
        multipolygon_from_wkt("POLYGON ((0 0, 10 0, 10 10, 8 10, 8 2, 2 2, 2 10, 0 10, 0 0))");
    const Coord p = point_on_surface(u_shape);
    // The centroid (5, ~3.9) would fall in the notch; a point on surface must not.
    const bool in_left_arm = p.x >= 0 && p.x <= 2;
    const bool in_right_arm = p.x >= 8 && p.x <= 10;
    const bool in_base = p.y >= 0 && p.y <= 2;
    CHECK((in_left_arm || in_right_arm || in_base));
}

TEST_CASE("dissolve_by: units merged by a column's value, in order of first appearance", "[geometry][dissolve]") {
    Layer grid = test::grid_2x2();
    grid.attribute_names = {"half"};
    const char* halves[] = {"west", "east", "west", "east"};  // SW SE NW NE
    for (std::size_t i = 0; i < 4; ++i) grid.features[i].attributes = {halves[i]};
    const Layer merged = dissolve_by(grid, "HALF", 5.0);  // a column is found whatever its case
    REQUIRE(merged.size() == 2);
    CHECK(merged.features[0].code == "west");
    CHECK(merged.features[1].code == "east");
    CHECK(merged.code_column == "HALF");
    for (const Feature& half : merged.features) {
        CHECK(area(half.shape) == Approx(2e6));
        CHECK(half.shape.polygons.size() == 1);  // one piece, the shared edge gone
        CHECK(half.shape.polygons[0].holes.empty());
    }
    CHECK(bounds(merged.features[0].shape).maxx == Approx(1000));

    CHECK_THROWS_WITH(dissolve_by(grid, "province", 5.0), Catch::Contains("no column 'province' to dissolve by in grid"));
    grid.features[3].attributes = {""};
    CHECK_THROWS_WITH(dissolve_by(grid, "half", 5.0), Catch::Contains("unit NE has no value in 'half'"));
}
