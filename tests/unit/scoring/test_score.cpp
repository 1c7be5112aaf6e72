// Per-unit relations and layer scores on hand-drawn layers whose answers can
// be checked on paper.
#include "hand_layers.hpp"

#include "placedef/error.hpp"
#include "placedef/scoring.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace placedef;
using placedef::test::box_wkt;
using placedef::test::hand_layer;

namespace {

const UnitRelation& unit(const std::vector<UnitRelation>& units, const std::string& code) {
    for (const UnitRelation& u : units)
        if (u.code == code) return u;
    throw std::runtime_error("no unit " + code);
}

AlignmentReport score_layers(const Layer& a, const Layer& b, const ScoringOptions& options = {},
                             const PopulationSource* population = nullptr) {
    OverlayOptions overlay_options;
    overlay_options.population = population;
    return score(overlay(a, b, overlay_options), options);
}

// Four 1 km squares in a 2 x 2 grid, and the 2 km square they make up.
Layer quarters() { return test::grid_2x2(); }
Layer whole() { return hand_layer("whole", {{"ALL", box_wkt(0, 0, 2000, 2000)}}); }

}  // namespace

TEST_CASE("small units nested in a large one, which is built from them", "[scoring]") {
    const AlignmentReport report = score_layers(quarters(), whole());
    for (const UnitRelation& u : report.a_units) {
        CHECK(u.relation == Relation::nested);
        CHECK(u.best == "ALL");
        CHECK(u.coverage == Approx(1.0));
        CHECK(u.best_share_of_b == Approx(0.25));
        CHECK(u.iou == Approx(0.25));
        CHECK(u.fragmentation == 1);
        CHECK(u.covered == Approx(1.0));
    }
    const UnitRelation& all = report.b_units.at(0);
    CHECK(all.relation == Relation::built_from);
    CHECK(all.built_from == Approx(1.0));
    CHECK(all.fragmentation == 4);
    CHECK(all.coverage == Approx(0.25));
    REQUIRE(all.pieces.size() == 4);
    CHECK(all.pieces[0].code == "NE");  // equal shares: code order

    CHECK(report.a_in_b.coterminosity_index == Approx(1.0));
    CHECK(report.a_in_b.nesting_rate == Approx(1.0));
    CHECK(report.a_in_b.coterminous_rate == Approx(0.0));
    CHECK(report.a_in_b.count(Relation::nested) == 4);
    CHECK(report.b_in_a.coterminosity_index == Approx(0.25));
    CHECK(report.b_in_a.nesting_rate == Approx(0.0));
    CHECK(report.b_in_a.count(Relation::built_from) == 1);
}

TEST_CASE("a layer against itself is co-terminous and scores 1", "[scoring]") {
    const Layer a = quarters();
    const AlignmentReport report = score_layers(a, a);
    for (const UnitRelation& u : report.a_units) {
        CHECK(u.relation == Relation::coterminous);
        CHECK(u.best == u.code);
        CHECK(u.iou == Approx(1.0));
    }
    CHECK(report.a_in_b.coterminosity_index == Approx(1.0));
    CHECK(report.a_in_b.nesting_rate == Approx(1.0));
    CHECK(report.a_in_b.coterminous_rate == Approx(1.0));
}

TEST_CASE("a split unit: fragmentation, coverage and its pieces", "[scoring]") {
    // A 1000 x 1000 unit cut 60/39.5/0.5 by three strips of B; A's
    // neighbours L and R cover the rest of B, as a real layer would.
    const Layer a = hand_layer("a", {{"U", box_wkt(0, 0, 1000, 1000)},
                                     {"L", box_wkt(-500, 0, 0, 1000)},
                                     {"R", box_wkt(1000, 0, 2000, 1000)}});
    const Layer b = hand_layer("b", {{"W", box_wkt(-500, 0, 600, 1000)},
                                     {"M", box_wkt(600, 0, 995, 1000)},
                                     {"E", box_wkt(995, 0, 2000, 1000)}});
    const AlignmentReport report = score_layers(a, b);
    const UnitRelation& u = unit(report.a_units, "U");
    CHECK(u.relation == Relation::split);
    CHECK(u.best == "W");
    CHECK(u.coverage == Approx(0.6));
    CHECK(u.fragmentation == 2);  // E holds 0.5 %, under the 1 % minimum piece
    REQUIRE(u.pieces.size() == 3);
    CHECK(u.pieces[1].code == "M");
    CHECK(u.pieces[1].share == Approx(0.395));
    CHECK(u.pieces[2].share == Approx(0.005));
    CHECK(u.built_from == Approx(0.395));  // M lies wholly in U; W and E do not
    // M (395 x 1000) is nested in U: from B's side it is nested.
    CHECK(unit(report.b_units, "M").relation == Relation::nested);
    // W lies 600/1100 in U and 500/1100 in L: split.
    const UnitRelation& w = unit(report.b_units, "W");
    CHECK(w.relation == Relation::split);
    CHECK(w.coverage == Approx(600.0 / 1100.0));
    CHECK(w.fragmentation == 2);
}

TEST_CASE("the tolerance decides nesting; slivers from generalisation stay nested", "[scoring]") {
    // U lies 99.6 % in L and 0.4 % in R (a 4 m offset along its east side):
    // nested at 0.995, split at 0.999.
    const Layer a = hand_layer("a", {{"U", box_wkt(0, 0, 1000, 1000)},
                                     {"W", box_wkt(-1000, 0, 0, 1000)},
                                     {"E", box_wkt(1000, 0, 3000, 1000)}});
    const Layer b = hand_layer("b", {{"L", box_wkt(-1000, 0, 996, 1000)}, {"R", box_wkt(996, 0, 3000, 1000)}});
    CHECK(unit(score_layers(a, b).a_units, "U").relation == Relation::nested);
    ScoringOptions strict;
    strict.tolerance = 0.999;
    CHECK(unit(score_layers(a, b, strict).a_units, "U").relation == Relation::split);
}

TEST_CASE("the edge of B's coverage does not count against a unit", "[scoring]") {
    // U lies half beyond B (a coast, a county line): its covered half is in
    // one unit, so it is nested, with covered = 0.5. V lies wholly outside.
    // X covers the rest of B1.
    const Layer a = hand_layer("a", {{"U", box_wkt(-500, 0, 500, 1000)},
                                     {"V", box_wkt(-3000, 0, -2000, 1000)},
                                     {"X", "POLYGON ((500 0, 2000 0, 2000 2000, 0 2000, 0 1000, 500 1000, 500 0))"}});
    const Layer b = hand_layer("b", {{"B1", box_wkt(0, 0, 2000, 2000)}});
    const AlignmentReport report = score_layers(a, b);
    const UnitRelation& u = unit(report.a_units, "U");
    CHECK(u.relation == Relation::nested);
    CHECK(u.covered == Approx(0.5));
    CHECK(u.coverage == Approx(1.0));
    CHECK(unit(report.a_units, "V").relation == Relation::outside);
    CHECK(unit(report.a_units, "U").best_share_of_b == Approx(0.125));
    CHECK(report.a_in_b.scored == 2);
    CHECK(report.a_in_b.count(Relation::outside) == 1);
    CHECK(report.a_in_b.nesting_rate == Approx(1.0));
}

TEST_CASE("the population-weighted index weighs units by their people", "[scoring][population]") {
    // Units: P1 (0..1000 x 0..1000) holds 900 people, P2 (1000..2000) 100.
    const Layer people = hand_layer("people", {{"P1", box_wkt(0, 0, 1000, 1000)}, {"P2", box_wkt(1000, 0, 2000, 1000)}});
    const PopulationSource population{&people, {900.0, 100.0}};
    // A: one unit over both; B: split at x = 1500. By area A's best piece is
    // 0.75; by people it is (900 + 50) / 1000 = 0.95.
    const Layer a = hand_layer("a", {{"A", box_wkt(0, 0, 2000, 1000)}});
    const Layer b = hand_layer("b", {{"W", box_wkt(0, 0, 1500, 1000)}, {"E", box_wkt(1500, 0, 2000, 1000)}});
    const AlignmentReport report = score_layers(a, b, {}, &population);
    const UnitRelation& u = report.a_units.at(0);
    CHECK(u.coverage == Approx(0.75));
    CHECK(u.pop == Approx(1000));
    CHECK(u.pop_coverage == Approx(0.95));
    CHECK(report.a_in_b.coterminosity_index == Approx(0.75));
    CHECK(report.a_in_b.coterminosity_index_pop == Approx(0.95));
    CHECK(std::isnan(score_layers(a, b).a_in_b.coterminosity_index_pop));  // none without population
}

TEST_CASE("the main unit is chosen by the measure shown: people when there are any, else area",
          "[scoring][population]") {
    // A spans 0..2000 x 0..1000; B splits it at x = 500: W holds a quarter of
    // A's area but, with P1's 900 people at 0..500 and P2's 100 spread over
    // 500..2000, 90 % of its people. By area the main unit is E (0.75); by
    // people it is W (0.9). A report that picks E by area and prints 0.9 names
    // the wrong unit (issue 17: "Reigate: Dorking Rural ED 0.479").
    const Layer people = hand_layer("people", {{"P1", box_wkt(0, 0, 500, 1000)}, {"P2", box_wkt(500, 0, 2000, 1000)}});
    const PopulationSource population{&people, {900.0, 100.0}};
    const Layer a = hand_layer("a", {{"A", box_wkt(0, 0, 2000, 1000)}});
    const Layer b = hand_layer("b", {{"W", box_wkt(0, 0, 500, 1000)}, {"E", box_wkt(500, 0, 2000, 1000)}});
    const UnitRelation with_people = score_layers(a, b, {}, &population).a_units.at(0);
    CHECK(with_people.best == "E");
    CHECK(with_people.pop_best == "W");
    const MainUnit by_people = main_unit(with_people);
    CHECK(by_people.code == "W");
    CHECK(by_people.by_people);
    CHECK(by_people.share == Approx(0.9));
    const MainUnit by_area = main_unit(score_layers(a, b).a_units.at(0));
    CHECK(by_area.code == "E");
    CHECK_FALSE(by_area.by_people);
    CHECK(by_area.share == Approx(0.75));
    // Outside B: no main unit.
    const Layer far = hand_layer("far", {{"F", box_wkt(9000, 9000, 9100, 9100)}});
    CHECK(main_unit(score_layers(far, b).a_units.at(0)).code.empty());
}

TEST_CASE("a unit wholly inside two overlapping units is nested in both, and said", "[scoring]") {
    const Layer overlapping =
        hand_layer("leps", {{"LONDON", box_wkt(0, 0, 1000, 1000)}, {"COAST", box_wkt(500, 0, 1500, 1000)}});
    // E fills COAST's east, so that C is nested in COAST rather than all of it that is covered.
    const Layer districts = hand_layer("districts", {{"C", box_wkt(600, 100, 900, 400)},
                                                     {"D", box_wkt(100, 100, 400, 400)},
                                                     {"E", box_wkt(1000, 0, 1500, 1000)}});
    const AlignmentReport report = score_layers(districts, overlapping);
    const UnitRelation& c = unit(report.a_units, "C");
    CHECK(c.relation == Relation::nested);
    CHECK(c.best == "COAST");  // an exact tie in area: the first code
    CHECK(c.also_within == std::vector<std::string>{"LONDON"});
    CHECK(unit(report.a_units, "D").also_within.empty());
    CHECK(report.a_in_b.in_overlapping == 1);
    CHECK(report.a_in_b.overlapping_example == "C in COAST and LONDON");
    CHECK_THAT(describe(report.a_in_b), Catch::Contains("1 unit(s) lie wholly in two or more units of leps, which overlap there"));
}

TEST_CASE("scoring refuses options outside their range", "[scoring][errors]") {
    const IntersectionTable table = overlay(quarters(), whole());
    ScoringOptions bad;
    bad.tolerance = 1.5;
    CHECK_THROWS_AS(score(table, bad), invalid_input);
    bad.tolerance = 0.995;
    bad.min_share = -0.1;
    CHECK_THROWS_AS(score(table, bad), invalid_input);
}
