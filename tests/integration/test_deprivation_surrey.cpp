// Deprivation by place on the full Surrey data (../shared/data/uk): both IMD
// vintages on their own LSOAs, profiled over Surrey's districts. The expected
// units and people were read from the data files (the IMD CSVs, the ONS
// LSOA-district lookups and the mid-2020 population), not from this code.
#include "support.hpp"

#include "placedef/io.hpp"
#include "placedef/overlay.hpp"
#include "placedef/scoring.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace placedef;
using namespace placedef::test;

namespace {

Layer uk_layer(const std::string& address) {
    ProblemSink problems;
    return load_layer(LayerAddress::parse(uk_data_path(address)), ReadOptions{}, problems);
}

/// Surrey's units of a layer: those whose point on surface lies in the county.
Layer in_surrey(const Layer& layer, const Layer& counties) { return units_within(layer, counties, {"E10000030"}); }

std::vector<double> joined(const Layer& units, const std::string& table, const std::string& key, const std::string& column) {
    ProblemSink problems;
    return join_numeric(units, read_table(uk_data_path(table), key), column, problems, std::nan(""));
}

const FootprintDeprivation& district(const DeprivationProfile& profile, const std::string& code) {
    for (const FootprintDeprivation& f : profile.footprints)
        if (f.code == code) return f;
    FAIL("no district " << code);
    throw;
}

}  // namespace

TEST_CASE("full data: Surrey's most deprived LSOAs under IMD 2019 and IMD 2025, by district",
          "[scoring][deprivation][integration][uk]") {
    PDEF_REQUIRE_UK_DATA();
    const Layer counties = uk_layer("county_2021_bgc.gpkg@CTY21CD");
    const Layer districts = in_surrey(uk_layer("lad_2021_bgc.gpkg@LAD21CD,LAD21NM"), counties);
    const Layer lsoa11 = in_surrey(uk_layer("lsoa_2011_bgc.gpkg@LSOA11CD,LSOA11NM"), counties);
    REQUIRE(lsoa11.size() == 709);
    const PopulationSource people{&lsoa11, joined(lsoa11, "population_mid2020_lsoa11_syoa.csv", "lsoa11_code",
                                                  "total_population")};
    OverlayOptions options;
    options.population = &people;

    SECTION("IMD 2019 on LSOA 2011 (ranks and deciles only)") {
        DeprivationValues imd;
        imd.rank = joined(lsoa11, "imd_2019_lsoa11.csv", "lsoa11_code", "IMD_rank");
        imd.decile = joined(lsoa11, "imd_2019_lsoa11.csv", "lsoa11_code", "IMD_decile");
        const DeprivationProfile profile = deprivation_profile(overlay(lsoa11, districts, options), imd, 21);
        // Merstham's LSOA, rank 4,800, in Reigate and Banstead; then Woking 004F (5,986) and Guildford 012D (6,441).
        REQUIRE(profile.most_deprived.size() == 21);
        CHECK(profile.most_deprived[0].code == "E01030599");
        CHECK(profile.most_deprived[0].name == "Reigate and Banstead 008A");
        CHECK(profile.most_deprived[0].rank == 4800);
        CHECK(profile.most_deprived[0].footprint == "E07000211");
        CHECK(profile.most_deprived[0].footprint_name == "Reigate and Banstead");
        CHECK(profile.most_deprived[1].code == "E01030985");
        CHECK(profile.most_deprived[2].code == "E01030497");
        // No scores in IMD 2019's file: no mean.
        CHECK(std::isnan(district(profile, "E07000211").mean_score));
        // Four Surrey LSOAs lie in national deciles 1-2: Guildford 007C (1,478 people) and
        // 012D (1,767), Reigate and Banstead 008A (1,538), Woking 004F (1,215).
        CHECK(district(profile, "E07000209").people_deciles_1_2 == Approx(1478 + 1767).epsilon(0.01));
        CHECK(district(profile, "E07000211").people_deciles_1_2 == Approx(1538).epsilon(0.01));
        CHECK(district(profile, "E07000217").people_deciles_1_2 == Approx(1215).epsilon(0.01));
        CHECK(district(profile, "E07000207").people_deciles_1_2 == Approx(0).margin(1));  // Elmbridge: none
        CHECK(district(profile, "E07000211").most_deprived.code == "E01030599");
    }

    SECTION("IMD 2025 on LSOA 2021 (with scores), people carried from LSOA 2011 by area") {
        const Layer lsoa21 = in_surrey(uk_layer("lsoa_2021_bgc.gpkg@LSOA21CD,LSOA21NM"), counties);
        REQUIRE(lsoa21.size() == 719);
        DeprivationValues imd;
        imd.rank = joined(lsoa21, "imd_2025_lsoa21.csv", "lsoa21_code", "IMD_rank");
        imd.score = joined(lsoa21, "imd_2025_lsoa21.csv", "lsoa21_code", "IMD_score");
        imd.decile = joined(lsoa21, "imd_2025_lsoa21.csv", "lsoa21_code", "IMD_decile");
        const DeprivationProfile profile = deprivation_profile(overlay(lsoa21, districts, options), imd, 21);
        // Woking 005B (Goldsworth Park; rank 4,422, score 40.638) first; Merstham's (5,781) third.
        REQUIRE(profile.most_deprived.size() == 21);
        CHECK(profile.most_deprived[0].code == "E01030952");
        CHECK(profile.most_deprived[0].rank == 4422);
        CHECK(profile.most_deprived[0].score == Approx(40.638));
        CHECK(profile.most_deprived[0].decile == 2);
        CHECK(profile.most_deprived[0].footprint == "E07000217");
        CHECK(profile.most_deprived[1].code == "E01030744");  // Spelthorne 001B
        CHECK(profile.most_deprived[2].code == "E01030599");
        CHECK(profile.most_deprived[2].rank == 5781);
        CHECK(profile.most_deprived[2].footprint == "E07000211");
        // Every district's mean score lies within Surrey's range, below the most deprived's.
        for (const FootprintDeprivation& f : profile.footprints) {
            INFO(f.name);
            CHECK(f.mean_score > 0);
            CHECK(f.mean_score < 40.638);
        }
        CHECK(district(profile, "E07000217").most_deprived.code == "E01030952");
    }
}
