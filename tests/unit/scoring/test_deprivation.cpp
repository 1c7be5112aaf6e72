// Deprivation by place: the profile of footprints over hand-made units whose
// scores, ranks, deciles and people give numbers checkable by hand.
#include "placedef/error.hpp"
#include "placedef/overlay.hpp"
#include "placedef/scoring.hpp"

#include "hand_layers.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace placedef;
using test::box_wkt;
using test::hand_layer;

namespace {

/// The 2 x 2 grid of 1 km squares (SW, SE, NW, NE), named, as deprivation units.
Layer units() {
    Layer layer = test::grid_2x2();
    layer.name = "lsoa";
    for (Feature& unit : layer.features) unit.name = unit.code + " town";
    return layer;
}

/// NE is the most deprived (rank 50, score 40, decile 1), then NW, SE, SW; in
/// grid order SW, SE, NW, NE.
DeprivationValues values() {
    DeprivationValues v;
    v.rank = {500, 300, 100, 50};
    v.score = {10, 20, 30, 40};
    v.decile = {5, 3, 2, 1};
    return v;
}

IntersectionTable table_of(const Layer& footprints, const PopulationSource* population) {
    static const Layer grid = units();
    OverlayOptions options;
    options.population = population;
    return overlay(grid, footprints, options);
}

const FootprintDeprivation& footprint(const DeprivationProfile& profile, const std::string& code) {
    for (const FootprintDeprivation& f : profile.footprints)
        if (f.code == code) return f;
    FAIL("no footprint " << code);
    throw;
}

}  // namespace

TEST_CASE("a footprint's deprivation: people in deciles 1-2, the mean score over its people, its most deprived unit",
          "[scoring][deprivation]") {
    const Layer grid = units();
    // People: SW 100, SE 200, NW 300, NE 50.
    const PopulationSource people{&grid, {100, 200, 300, 50}};
    Layer halves = test::halves();  // W = SW + NW, E = SE + NE
    halves.features[0].name = "West";
    const DeprivationProfile profile = deprivation_profile(table_of(halves, &people), values(), 3);
    REQUIRE(profile.by_people);
    REQUIRE(profile.footprints.size() == 2);

    const FootprintDeprivation& west = footprint(profile, "W");
    CHECK(west.name == "West");
    CHECK(west.people == Approx(400));
    CHECK(west.people_deciles_1_2 == Approx(300));              // NW
    CHECK(west.share_deciles_1_2 == Approx(0.75));
    CHECK(west.mean_score == Approx((100 * 10 + 300 * 30) / 400.0));  // 25
    CHECK(west.most_deprived.code == "NW");
    CHECK(west.most_deprived.name == "NW town");
    CHECK(west.most_deprived.rank == 100);
    CHECK(west.most_deprived.footprint == "W");

    const FootprintDeprivation& east = footprint(profile, "E");
    CHECK(east.people == Approx(250));
    CHECK(east.people_deciles_1_2 == Approx(50));  // NE
    CHECK(east.share_deciles_1_2 == Approx(0.2));
    CHECK(east.mean_score == Approx((200 * 20 + 50 * 40) / 250.0));  // 24
    CHECK(east.most_deprived.code == "NE");

    // The three most deprived, most deprived first, each with its footprint.
    REQUIRE(profile.most_deprived.size() == 3);
    CHECK(profile.most_deprived[0].code == "NE");
    CHECK(profile.most_deprived[0].footprint == "E");
    CHECK(profile.most_deprived[0].score == 40);
    CHECK(profile.most_deprived[0].decile == 1);
    CHECK(profile.most_deprived[1].code == "NW");
    CHECK(profile.most_deprived[1].footprint == "W");
    CHECK(profile.most_deprived[1].footprint_name == "West");
    CHECK(profile.most_deprived[2].code == "SE");
}

TEST_CASE("without people a footprint's deprivation is weighed by area, and its people are unknown",
          "[scoring][deprivation]") {
    const DeprivationProfile profile = deprivation_profile(table_of(test::halves(), nullptr), values());
    CHECK_FALSE(profile.by_people);
    const FootprintDeprivation& west = footprint(profile, "W");
    CHECK(west.share_deciles_1_2 == Approx(0.5));
    CHECK(west.mean_score == Approx(20));  // SW 10 and NW 30, equal areas
    CHECK(std::isnan(west.people));
    CHECK(std::isnan(west.people_deciles_1_2));
    CHECK(profile.most_deprived.size() == 4);  // fewer units than the 21 asked for
}

TEST_CASE("ranks order units but give no mean, and a footprint's most deprived unit is one lying mainly in it",
          "[scoring][deprivation]") {
    // left holds SW, NW and a fifth of SE and NE; NE lies mainly in right.
    const Layer footprints =
        hand_layer("towns", {{"left", box_wkt(0, 0, 1200, 2000)}, {"right", box_wkt(1200, 0, 2000, 2000)}});
    DeprivationValues ranks_only = values();
    ranks_only.score.clear();
    const DeprivationProfile profile = deprivation_profile(table_of(footprints, nullptr), ranks_only);
    const FootprintDeprivation& left = footprint(profile, "left");
    CHECK(std::isnan(left.mean_score));
    CHECK(left.most_deprived.code == "NW");  // not NE, of which it holds a fifth
    CHECK(footprint(profile, "right").most_deprived.code == "NE");
    // Deciles 1-2 by area: NW whole and a fifth of NE, of 2.4 km².
    CHECK(left.share_deciles_1_2 == Approx(1.2 / 2.4));

    // With scores the mean is by area over the pieces: (10 + 30 + 0.2 x 20 + 0.2 x 40) / 2.4.
    const DeprivationProfile scored = deprivation_profile(table_of(footprints, nullptr), values());
    CHECK(footprint(scored, "left").mean_score == Approx(52.0 / 2.4));
}

TEST_CASE("the most deprived units: by rank when given, else by the highest score, ties by code",
          "[scoring][deprivation]") {
    const std::vector<std::string> codes{"B", "A", "C", "D"};
    DeprivationValues v;
    v.score = {5, 7, 7, std::nan("")};  // D has no score and is left out
    std::vector<DeprivedUnit> order = most_deprived_units(codes, {}, v, 10);
    REQUIRE(order.size() == 3);
    CHECK(order[0].code == "A");  // 7, tied with C: code order
    CHECK(order[1].code == "C");
    CHECK(order[2].code == "B");
    CHECK(order[2].index == 0);

    v.rank = {2, 3, 1, 4};  // the rank decides, whatever the scores say
    order = most_deprived_units(codes, {}, v, 2);
    REQUIRE(order.size() == 2);
    CHECK(order[0].code == "C");
    CHECK(order[1].code == "B");

    CHECK_THROWS_AS(most_deprived_units(codes, {}, DeprivationValues{}, 2), invalid_input);
    DeprivationValues short_ranks;
    short_ranks.rank = {1, 2};
    CHECK_THROWS_WITH(most_deprived_units(codes, {}, short_ranks, 2), Catch::Contains("2 values for 4 units"));
}
