// The intersection table's documented invariants (docs/methods/overlay.md) on
// random layers: a row exactly when the interiors meet (the exact referee
// says), a row's area never above either unit's, shares and population shares
// within [0, 1], and share exactly 1 for a unit within the other (itself, a
// copy, a unit inside another).
#include "exact_area.hpp"

#include "placedef/geometry.hpp"
#include "placedef/overlay.hpp"

#include "hand_layers.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>

using namespace placedef;

namespace {

MultiPolygon star(std::mt19937_64& random, double cx, double cy, double radius, int vertices) {
    return test::random_star(random, cx, cy, radius, vertices, 0.3);
}

Layer layer_of(const std::string& name, const std::vector<MultiPolygon>& shapes) {
    Layer layer;
    layer.name = name;
    layer.source = name + ".gpkg";
    layer.crs = "EPSG:27700";
    layer.code_column = "CODE";
    for (std::size_t i = 0; i < shapes.size(); ++i) {
        Feature feature;
        feature.fid = static_cast<std::int64_t>(i + 1);
        feature.code = name + std::to_string(i);
        feature.shape = shapes[i];
        layer.features.push_back(feature);
    }
    return layer;
}

}  // namespace

TEST_CASE("overlay rows keep their invariants on random layers", "[overlay][invariants]") {
    std::mt19937_64 random(1616);
    std::uniform_real_distribution<double> offset(-150, 150);
    std::uniform_real_distribution<double> people(0, 5000);
    int nested_checked = 0;
    for (int trial = 0; trial < 6; ++trial) {
        const double x0 = 530000, y0 = 180000;
        std::vector<MultiPolygon> a_shapes, b_shapes;
        for (int i = 0; i < 12; ++i) a_shapes.push_back(star(random, x0 + offset(random), y0 + offset(random), 60, 6 + i));
        for (int i = 0; i < 8; ++i) b_shapes.push_back(star(random, x0 + offset(random), y0 + offset(random), 90, 5 + i));
        // A copy of a unit of A, and a piece GEOS cut (rounded vertices
        // within an ulp of both parents' edges).
        b_shapes.push_back(a_shapes[0]);
        b_shapes.push_back(intersection(a_shapes[2], b_shapes[0]));
        if (b_shapes.back().empty()) b_shapes.pop_back();
        // A 1 m star about the centre of unit 1 (stars hold their centre).
        const Box box = bounds(a_shapes[1]);
        const MultiPolygon inner = star(random, (box.minx + box.maxx) / 2, (box.miny + box.maxy) / 2, 1, 5);
        const Layer a = layer_of("A", a_shapes), b = layer_of("B", b_shapes);

        PopulationSource pop;
        pop.layer = &a;
        for (std::size_t i = 0; i < a_shapes.size(); ++i) pop.population.push_back(people(random));
        OverlayOptions options;
        options.population = &pop;
        const IntersectionTable table = overlay(a, b, options);

        std::size_t rows = 0;
        for (std::size_t i = 0; i < a_shapes.size(); ++i)
            for (std::size_t j = 0; j < b_shapes.size(); ++j) {
                const bool meet = test::exact_intersection_area(a_shapes[i], b_shapes[j]) > 0;
                rows += meet ? 1 : 0;
            }
        CHECK(table.rows.size() == rows);
        for (const IntersectionRow& row : table.rows) {
            INFO("trial " << trial << ": " << row.a_code << " x " << row.b_code);
            CHECK(row.area_m2 > 0);
            CHECK(row.area_m2 <= table.a_area[row.a_index]);
            CHECK(row.area_m2 <= table.b_area[row.b_index]);
            CHECK((row.share_of_a > 0 && row.share_of_a <= 1));
            CHECK((row.share_of_b > 0 && row.share_of_b <= 1));
            CHECK((row.pop_share_of_a >= 0 && row.pop_share_of_a <= 1));
            CHECK((row.pop_share_of_b >= 0 && row.pop_share_of_b <= 1));
            if (row.a_index == 0 && row.b_index == 8) {  // the copy
                CHECK(row.share_of_a == 1.0);
                CHECK(row.share_of_b == 1.0);
                CHECK(row.pop_share_of_a == 1.0);
            }
        }
        // A unit inside another: share 1 exactly, with the unit's own area.
        const IntersectionTable nested = overlay(layer_of("S", {inner}), layer_of("A", {a_shapes[1]}));
        if (test::exact_intersection_area(inner, a_shapes[1]) == test::exact_area(inner)) {
            ++nested_checked;
            REQUIRE(nested.rows.size() == 1);
            CHECK(nested.rows[0].share_of_a == 1.0);
            CHECK(nested.rows[0].area_m2 == area(inner));
        }
    }
    CHECK(nested_checked >= 4);
}
