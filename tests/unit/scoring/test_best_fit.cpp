// Best-fit lookups on hand-drawn children and parents.
#include "hand_layers.hpp"

#include "placedef/error.hpp"
#include "placedef/scoring.hpp"

#include <catch2/catch.hpp>

using namespace placedef;
using placedef::test::box_wkt;
using placedef::test::hand_layer;

namespace {

// Parents: west and east halves of a 2 km x 1 km area, split at x = 1000.
Layer parents() {
    return hand_layer("parents", {{"PW", box_wkt(0, 0, 1000, 1000)}, {"PE", box_wkt(1000, 0, 2000, 1000)}});
}

// Children: C1 inside PW; C2 70 % in PE; C3 a U whose arms straddle the
// split (60 % of its area in PW) and whose notch faces east.
Layer children() {
    return hand_layer(
        "children",
        {{"C1", box_wkt(100, 100, 400, 400)},
         {"C2", box_wkt(700, 500, 1700, 600)},
         {"C3", "POLYGON ((400 0, 1400 0, 1400 200, 700 200, 700 800, 1400 800, 1400 1000, 400 1000, 400 0))"}});
}

std::vector<long> surface_points_in(const Layer& child, const Layer& parent) {
    std::vector<Coord> points;
    for (const Feature& feature : child.features) points.push_back(point_on_surface(feature.shape));
    return containing_units(points, parent);
}

}  // namespace

TEST_CASE("area best fit: the parent with the largest piece", "[scoring][bestfit]") {
    const auto rows = best_fit(overlay(children(), parents()), BestFitOptions{});
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].child == "C1");
    CHECK(rows[0].parent == "PW");
    CHECK(rows[0].share == Approx(1.0));
    CHECK_FALSE(rows[0].ambiguous);
    CHECK(rows[1].parent == "PE");
    CHECK(rows[1].share == Approx(0.7));
    CHECK(rows[1].ambiguous);  // under 0.9
    CHECK(rows[2].child == "C3");
    // C3: 600 x 1000 west of the split minus the notch part (300 x 600) = 420,000;
    // east: 400 x 200 x 2 = 160,000 of 580,000.
    CHECK(rows[2].parent == "PW");
    CHECK(rows[2].share == Approx(420000.0 / 580000.0));
}

TEST_CASE("centroid best fit uses a point on the surface", "[scoring][bestfit]") {
    const Layer child = children(), parent = parents();
    BestFitOptions options;
    options.method = BestFitMethod::centroid;
    const auto rows = best_fit(overlay(child, parent), options, surface_points_in(child, parent));
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].parent == "PW");
    CHECK(rows[0].method == BestFitMethod::centroid);
    // C3's point on surface lies in the U itself, never in its notch.
    CHECK((rows[2].parent == "PW" || rows[2].parent == "PE"));
    CHECK(rows[2].share > 0);
    // A child whose point lies in no parent is reported, not dropped.
    const Layer stray = hand_layer("stray", {{"S", box_wkt(5000, 5000, 5100, 5100)}});
    const auto lonely = best_fit(overlay(stray, parent), options, surface_points_in(stray, parent));
    REQUIRE(lonely.size() == 1);
    CHECK(lonely[0].parent.empty());
    CHECK(lonely[0].ambiguous);
    CHECK(lonely[0].note == "point on surface outside every parent");
}

TEST_CASE("population best fit follows people, and falls back to area without them", "[scoring][bestfit][population]") {
    // People live only in the east 300 m of C2: all of them in PE... and a
    // child with no people falls back to area.
    const Layer people = hand_layer("people", {{"H", box_wkt(1400, 500, 1700, 600)}, {"EMPTY", box_wkt(0, 0, 600, 1000)}});
    const PopulationSource population{&people, {500.0, 0.0}};
    OverlayOptions overlay_options;
    overlay_options.population = &population;
    BestFitOptions options;
    options.method = BestFitMethod::population;
    const auto rows = best_fit(overlay(children(), parents(), overlay_options), options);
    CHECK(rows[1].child == "C2");
    CHECK(rows[1].parent == "PE");
    CHECK(rows[1].method == BestFitMethod::population);
    CHECK(rows[1].share == Approx(1.0));
    CHECK_FALSE(rows[1].ambiguous);
    CHECK(rows[0].child == "C1");
    CHECK(rows[0].method == BestFitMethod::area);
    CHECK(rows[0].note == "no population: area used");
    CHECK_THROWS_AS(best_fit(overlay(children(), parents()), options), invalid_input);  // no population in the table

    // Regression: a child with people and no parent at all (a London ward
    // against county divisions) crashed; it is reported instead.
    const Layer stray = hand_layer("stray", {{"S", box_wkt(5000, 5000, 5100, 5100)}});
    const Layer stray_people = hand_layer("people", {{"P", box_wkt(5000, 5000, 5100, 5100)}});
    const PopulationSource stray_population{&stray_people, {50.0}};
    overlay_options.population = &stray_population;
    const auto lonely = best_fit(overlay(stray, parents(), overlay_options), options);
    REQUIRE(lonely.size() == 1);
    CHECK(lonely[0].parent.empty());
    CHECK(lonely[0].ambiguous);
    CHECK(lonely[0].note == "no parent overlaps the child");
}

TEST_CASE("best-fit methods are named, and unknown names are refused", "[scoring][bestfit][errors]") {
    CHECK(best_fit_method_from_string("centroid") == BestFitMethod::centroid);
    CHECK_THROWS_AS(best_fit_method_from_string("centriod"), invalid_input);
    BestFitOptions options;
    options.method = BestFitMethod::centroid;
    CHECK_THROWS_AS(best_fit(overlay(children(), parents()), options), invalid_input);  // no points given
}

TEST_CASE("a child wholly inside two overlapping parents is flagged with both named", "[scoring][bestfit]") {
    // Two parents that overlap over x = 500..1000 (as two LEPs did over Croydon);
    // C lies in the overlap, wholly in both; D lies in LONDON alone.
    const Layer overlapping =
        hand_layer("leps", {{"LONDON", box_wkt(0, 0, 1000, 1000)}, {"COAST", box_wkt(500, 0, 1500, 1000)}});
    const Layer districts = hand_layer("districts", {{"C", box_wkt(600, 100, 900, 400)}, {"D", box_wkt(100, 100, 400, 400)}});
    const auto rows = best_fit(overlay(districts, overlapping), BestFitOptions{});
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].child == "C");
    CHECK(rows[0].ambiguous);
    CHECK_THAT(rows[0].note, Catch::Contains("also in") && Catch::Contains("(100.0 %): the parents overlap here"));
    // Both hold all of C: the exact tie is named as such too.
    CHECK_THAT(rows[0].note, Catch::Contains("tie with"));
    CHECK(rows[1].child == "D");
    CHECK_FALSE(rows[1].ambiguous);
    CHECK(rows[1].note.empty());
}

TEST_CASE("a child mostly inside two overlapping parents is flagged even without a tie", "[scoring][bestfit]") {
    // C holds 90 % of its area in A and 80 % in B: only overlapping parents can do that.
    const Layer overlapping = hand_layer("parents", {{"A", box_wkt(0, 0, 900, 1000)}, {"B", box_wkt(200, 0, 2000, 1000)}});
    const Layer child = hand_layer("child", {{"C", box_wkt(0, 0, 1000, 100)}});
    const auto rows = best_fit(overlay(child, overlapping), BestFitOptions{});
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].parent == "A");
    CHECK(rows[0].share == Approx(0.9));
    CHECK(rows[0].ambiguous);
    CHECK(rows[0].note == "also in B (80.0 %): the parents overlap here");
}
