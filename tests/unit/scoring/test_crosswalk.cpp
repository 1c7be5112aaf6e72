// Crosswalks: each unit in the units of the other layer, by the measure shown.
#include "placedef/overlay.hpp"
#include "placedef/scoring.hpp"

#include "hand_layers.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace placedef;
using test::box_wkt;
using test::hand_layer;

namespace {

AlignmentReport report_of(const Layer& a, const Layer& b, const PopulationSource* population = nullptr) {
    OverlayOptions options;
    options.population = population;
    return score(overlay(a, b, options), ScoringOptions{});
}

const CrosswalkUnit& unit_of(const std::vector<CrosswalkUnit>& units, const std::string& layer, const std::string& code) {
    const auto found = std::find_if(units.begin(), units.end(),
                                    [&](const CrosswalkUnit& u) { return u.layer == layer && u.code == code; });
    REQUIRE(found != units.end());
    return *found;
}

/// Divisions D1 (west half) and D2 (east half) of [0, 2000] x [0, 1000]; towns T1
/// over 0..1500 and T2 over 1500..2000, so D1 lies in T1 and D2 is split 1:1.
Layer divisions() {
    Layer layer = hand_layer("ced", {{"D1", box_wkt(0, 0, 1000, 1000)}, {"D2", box_wkt(1000, 0, 2000, 1000)}});
    layer.features[0].name = "West ED";
    layer.features[1].name = "East ED";
    return layer;
}
Layer towns() {
    Layer layer = hand_layer("towns", {{"T1", box_wkt(0, 0, 1500, 1000)}, {"T2", box_wkt(1500, 0, 2000, 1000)}});
    layer.features[0].name = "Westford";
    layer.features[1].name = "Eastbury";
    return layer;
}

}  // namespace

TEST_CASE("a crosswalk says per unit which units of the other layer it falls in, whole or split", "[scoring][crosswalk]") {
    const std::vector<CrosswalkUnit> units = crosswalk(report_of(divisions(), towns()));
    REQUIRE(units.size() == 4);  // both ways

    const CrosswalkUnit& west = unit_of(units, "ced", "D1");
    CHECK(west.name == "West ED");
    CHECK(west.status == CrosswalkStatus::whole);
    CHECK_FALSE(west.by_people);
    REQUIRE(west.parts.size() == 1);
    CHECK(west.parts[0].code == "T1");
    CHECK(west.parts[0].name == "Westford");
    CHECK(west.parts[0].main);
    CHECK(west.parts[0].share == Approx(1.0));

    const CrosswalkUnit& east = unit_of(units, "ced", "D2");
    CHECK(east.status == CrosswalkStatus::split);
    REQUIRE(east.parts.size() == 2);
    CHECK(east.parts[0].share == Approx(0.5));
    CHECK(east.parts[0].code == "T1");  // an exact tie: the first code leads, and is the main one
    CHECK(east.parts[0].main);
    CHECK_FALSE(east.parts[1].main);
    CHECK(falls_in_text(east) == "Westford 50.0 %, Eastbury 50.0 %");

    // The other way: T1 holds D1 and half of D2, by area two thirds and one third.
    const CrosswalkUnit& westford = unit_of(units, "towns", "T1");
    CHECK(westford.other_layer == "ced");
    REQUIRE(westford.parts.size() == 2);
    CHECK(westford.parts[0].code == "D1");
    CHECK(westford.parts[0].share == Approx(2.0 / 3));
    CHECK(unit_of(units, "towns", "T2").status == CrosswalkStatus::whole);
}

TEST_CASE("a crosswalk measures in people when there are any, and the main unit follows", "[scoring][crosswalk][population]") {
    // 900 people in the east quarter of D2 (1500..2000), 100 in its west quarter:
    // by area D2 is split 1:1, by people 90 % in Eastbury, which is its main unit.
    const Layer people = hand_layer("people", {{"P0", box_wkt(0, 0, 1000, 1000)},
                                               {"P1", box_wkt(1000, 0, 1500, 1000)},
                                               {"P2", box_wkt(1500, 0, 2000, 1000)}});
    const PopulationSource population{&people, {0.0, 100.0, 900.0}};
    const std::vector<CrosswalkUnit> units = crosswalk(report_of(divisions(), towns(), &population));
    const CrosswalkUnit& east = unit_of(units, "ced", "D2");
    CHECK(east.by_people);
    REQUIRE(east.parts.size() == 2);
    CHECK(east.parts[0].code == "T2");
    CHECK(east.parts[0].main);
    CHECK(east.parts[0].share == Approx(0.9));
    CHECK(east.parts[0].area_share == Approx(0.5));
    CHECK(east.parts[0].people == Approx(900));
    // D1 has nobody: it is read by area.
    CHECK_FALSE(unit_of(units, "ced", "D1").by_people);
}

TEST_CASE("a crosswalk counts the parts under min_share instead of listing them", "[scoring][crosswalk]") {
    // D lies 99.7 % in T1; T2 takes a 0.3 % sliver, as two maps drawn apart do.
    const Layer d = hand_layer("d", {{"D", box_wkt(0, 0, 1000, 1000)}});
    const Layer t = hand_layer("t", {{"T1", box_wkt(0, 0, 997, 1000)}, {"T2", box_wkt(997, 0, 2000, 1000)}});
    const std::vector<CrosswalkUnit> units = crosswalk(report_of(d, t));
    const CrosswalkUnit& unit = unit_of(units, "d", "D");
    CHECK(unit.status == CrosswalkStatus::whole);  // 0.997 >= the tolerance 0.995
    REQUIRE(unit.parts.size() == 1);
    CHECK(unit.small_parts == 1);
    CHECK(unit.small_share == Approx(0.003));
    CHECK(falls_in_text(unit) == "T1 99.7 % and 1 smaller (0.3 %)");  // unnamed: the code
}

TEST_CASE("a crosswalk of a unit outside the other layer has one row with no part", "[scoring][crosswalk]") {
    const Layer far = hand_layer("far", {{"F", box_wkt(9000, 9000, 9100, 9100)}});
    const std::vector<CrosswalkUnit> units = crosswalk(report_of(far, towns()));
    const CrosswalkUnit& unit = unit_of(units, "far", "F");
    CHECK(unit.status == CrosswalkStatus::outside);
    CHECK(unit.parts.empty());
    const std::string dir = test::temp_dir("crosswalk");
    write_crosswalk_csv(units, dir + "/c.csv", NumberForm::readable);
    const auto rows = test::read_csv_rows(dir + "/c.csv");
    REQUIRE(rows.size() == 3);  // F, then T1 and T2 outside "far"
    CHECK(rows[0].at("status") == "outside");
    CHECK(rows[0].at("other_code").empty());
    CHECK(rows[0].count("share_pct") == 1);
}

TEST_CASE("readable tables write percentages and hectares to one decimal, machine tables in full",
          "[scoring][crosswalk][io]") {
    const std::string dir = test::temp_dir("readable");
    const std::vector<CrosswalkUnit> units = crosswalk(report_of(divisions(), towns()));
    write_crosswalk_csv(units, dir + "/full.csv");
    write_crosswalk_csv(units, dir + "/readable.csv", NumberForm::readable);
    const auto full = test::read_csv_rows(dir + "/full.csv");
    const auto readable = test::read_csv_rows(dir + "/readable.csv");
    REQUIRE(full.size() == readable.size());
    for (std::size_t i = 0; i < full.size(); ++i) {
        CHECK(std::stod(readable[i].at("share_pct")) == Approx(std::round(std::stod(full[i].at("share")) * 1000) / 10));
        CHECK(readable[i].at("name") == full[i].at("name"));
    }
    // Rows: D1, D2 (two parts), then T1 in D1: two thirds, 0.6666666666666666 in full, 66.7 for a reader.
    CHECK(readable[3].at("code") == "T1");
    CHECK(readable[3].at("share_pct") == "66.7");
    CHECK(full[3].at("share").size() > 10);

    CHECK(quantity_column("area_m2", Quantity::area_m2, NumberForm::readable) == "area_ha");
    CHECK(std::get<double>(quantity_value(25000, Quantity::area_m2, NumberForm::readable)) == 2.5);
    CHECK(std::get<double>(quantity_value(1234.56, Quantity::people, NumberForm::readable)) == 1235);
    CHECK(std::holds_alternative<std::monostate>(quantity_value(std::nan(""), Quantity::share, NumberForm::readable)));
}
