// Layer-level overlay: shares, row order, min-share, population, errors.
#include "hand_layers.hpp"

#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "placedef/overlay.hpp"

#include <catch2/catch.hpp>

#include <map>

using namespace placedef;
using placedef::test::hand_layer;

namespace {

// Two 10x10 squares side by side (A), against a 20x5 band across their lower
// halves and a 20x5 band across their upper halves (B), written in a
// shuffled code order to test the row order.
Layer squares() {
    return hand_layer("squares", {{"S2", "POLYGON ((10 0, 20 0, 20 10, 10 10, 10 0))"},
                                {"S1", "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))"}});
}
Layer bands() {
    return hand_layer("bands", {{"UPPER", "POLYGON ((0 5, 20 5, 20 10, 0 10, 0 5))"},
                              {"LOWER", "POLYGON ((0 0, 20 0, 20 5, 0 5, 0 0))"}});
}

}  // namespace

TEST_CASE("intersection table of hand-drawn layers", "[overlay]") {
    const IntersectionTable table = overlay(squares(), bands());
    REQUIRE(table.rows.size() == 4);
    // Sorted by a_code, then b_code.
    CHECK(table.rows[0].a_code == "S1");
    CHECK(table.rows[0].b_code == "LOWER");
    CHECK(table.rows[1].b_code == "UPPER");
    CHECK(table.rows[2].a_code == "S2");
    for (const IntersectionRow& row : table.rows) {
        CHECK(row.area_m2 == Approx(50));
        CHECK(row.share_of_a == Approx(0.5));
        CHECK(row.share_of_b == Approx(0.5));
    }
    CHECK(table.stats.candidate_pairs == 4);
    CHECK_FALSE(table.has_population);
}

TEST_CASE("a layer against itself gives only whole-unit rows", "[overlay]") {
    const Layer a = squares();
    const IntersectionTable table = overlay(a, a);
    REQUIRE(table.rows.size() == 2);  // the neighbours' shared edge gives no row
    for (const IntersectionRow& row : table.rows) {
        CHECK(row.a_code == row.b_code);
        CHECK(row.share_of_a == 1.0);
        CHECK(row.share_of_b == 1.0);
    }
}

TEST_CASE("min-share drops and counts small rows", "[overlay]") {
    const Layer a = hand_layer("a", {{"A", "POLYGON ((0 0, 100 0, 100 100, 0 100, 0 0))"}});
    const Layer b = hand_layer("b", {{"BIG", "POLYGON ((0 0, 99 0, 99 100, 0 100, 0 0))"},
                                  {"SLIVER", "POLYGON ((99 0, 200 0, 200 100, 99 100, 99 0))"}});
    OverlayOptions options;
    options.min_share = 0.02;
    const IntersectionTable table = overlay(a, b, options);
    REQUIRE(table.rows.size() == 1);
    CHECK(table.rows[0].b_code == "BIG");
    CHECK(table.stats.dropped_below_min_share == 1);
    CHECK(overlay(a, b).rows.size() == 2);  // nothing is dropped unless asked
}

TEST_CASE("the result does not depend on the thread count", "[overlay]") {
    std::vector<std::pair<std::string, std::string>> fine, coarse;
    for (int i = 0; i < 30; ++i)
        for (int j = 0; j < 30; ++j) {
            const int x = i * 7, y = j * 7;
            fine.emplace_back("F" + std::to_string(i * 30 + j),
                              "POLYGON ((" + std::to_string(x) + " " + std::to_string(y) + ", " + std::to_string(x + 7) +
                                  " " + std::to_string(y) + ", " + std::to_string(x + 7) + " " + std::to_string(y + 7) +
                                  ", " + std::to_string(x) + " " + std::to_string(y + 7) + ", " + std::to_string(x) +
                                  " " + std::to_string(y) + "))");
        }
    for (int i = 0; i < 5; ++i)
        coarse.emplace_back("C" + std::to_string(i), "POLYGON ((" + std::to_string(i * 43) + " -1, " +
                                                         std::to_string(i * 43 + 43) + " -1, " +
                                                         std::to_string(i * 43 + 43) + " 211, " + std::to_string(i * 43) +
                                                         " 211, " + std::to_string(i * 43) + " -1))");
    const Layer a = hand_layer("fine", fine), b = hand_layer("coarse", coarse);
    OverlayOptions one, two;
    one.threads = 1;
    two.threads = 2;
    const IntersectionTable t1 = overlay(a, b, one), t2 = overlay(a, b, two);
    REQUIRE(t1.rows.size() == t2.rows.size());
    for (std::size_t i = 0; i < t1.rows.size(); ++i) {
        CHECK(t1.rows[i].a_code == t2.rows[i].a_code);
        CHECK(t1.rows[i].b_code == t2.rows[i].b_code);
        CHECK(t1.rows[i].area_m2 == t2.rows[i].area_m2);
    }
    // Every fine cell's shares over the coarse strips sum to 1 (they cover it).
    std::map<std::string, double> share_sum;
    for (const IntersectionRow& row : t1.rows) share_sum[row.a_code] += row.share_of_a;
    REQUIRE(share_sum.size() == 900);
    for (const auto& [code, sum] : share_sum) CHECK(sum == Approx(1.0).epsilon(1e-12));
}

TEST_CASE("population is apportioned by area of the population units", "[overlay][population]") {
    // Population units: left half of the 20x10 area holds 100 people, right half 300.
    const Layer units = hand_layer("units", {{"L", "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))"},
                                           {"R", "POLYGON ((10 0, 20 0, 20 10, 10 10, 10 0))"}});
    PopulationSource population{&units, {100.0, 300.0}};
    // A: a 15-wide west block and a 5-wide east block; B: the lower and upper bands.
    const Layer a = hand_layer("a", {{"W", "POLYGON ((0 0, 15 0, 15 10, 0 10, 0 0))"},
                                   {"E", "POLYGON ((15 0, 20 0, 20 10, 15 10, 15 0))"}});
    OverlayOptions options;
    options.population = &population;
    const IntersectionTable table = overlay(a, bands(), options);
    REQUIRE(table.has_population);
    REQUIRE(table.rows.size() == 4);
    // W holds all of L (100) and half of R (150): 250; its lower half 125.
    // E holds the other half of R: 150; its lower half 75.
    for (const IntersectionRow& row : table.rows) {
        INFO(row.a_code << " x " << row.b_code);
        CHECK(row.pop == Approx(row.a_code == "W" ? 125.0 : 75.0));
        CHECK(row.pop_share_of_a == Approx(0.5));
        CHECK(row.pop_share_of_b == Approx(row.a_code == "W" ? 125.0 / 200.0 : 75.0 / 200.0));
    }
}

TEST_CASE("overlay refuses what it cannot do", "[overlay][errors]") {
    Layer a = squares(), b = bands();
    b.crs = "EPSG:4326";
    CHECK_THROWS_AS(overlay(a, b), invalid_input);
    try {
        overlay(a, b);
    } catch (const invalid_input& e) {
        CHECK(std::string(e.what()).find("different CRS") != std::string::npos);
    }
    b.crs = a.crs;
    OverlayOptions snapped;
    snapped.snap_tolerance = 1.0;
    CHECK_THROWS_AS(overlay(a, b, snapped), invalid_input);
    Layer points = squares();
    points.kind = LayerKind::point;
    CHECK_THROWS_AS(overlay(points, b), invalid_input);
}
