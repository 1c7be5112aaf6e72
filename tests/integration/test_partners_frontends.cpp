// Partner layers through the front ends: a study run with respect and align
// gives the footprints `placedef footprints --respect --align` gives, and
// says how they sit against the partners. (The C API and Python are tested
// in tests/capi and bindings/python/tests.)
#include "support.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace placedef::test;

TEST_CASE("a study run respecting and aligned with partner layers draws what the command line draws",
          "[study][integration][partners]") {
    const std::string out = temp_dir("study-partners");
    const std::string config = out + "/partners.toml";
    {
        std::ofstream file(config);
        file << "[layers.lad]\npath = \"" << source_path("shapefiles/lad_2021.gpkg") << "\"\ncode = \"LAD21CD\"\nrole = \"district\"\n"
             << "[layers.ced]\npath = \"" << source_path("shapefiles/ced_2025.gpkg") << "\"\ncode = \"CED25CD\"\nrole = \"division\"\n"
             << "[layers.lsoa]\npath = \"" << source_path("shapefiles/lsoa_2011.gpkg") << "\"\ncode = \"LSOA11CD\"\nrole = \"blocks\"\n"
             << "[population]\nlayer = \"lsoa\"\ntable = \"" << source_path("shapefiles/population_mid2020_lsoa11.csv")
             << "\"\nkey = \"lsoa11_code\"\ncolumn = \"total_population\"\n"
             << "[[footprints]]\nid = \"towns\"\nblocks = \"lsoa\"\nmethod = \"skater\"\nk = 6\nattributes = [\"density\"]\n"
             << "respect = [{ layer = \"lad\", weight = 2 }]\nalign = \"ced\"\n[maps]\nenabled = false\n";
    }
    std::string output;
    REQUIRE(run_cli("study '" + config + "' -o '" + out + "/study'", output) == 0);
    CHECK_THAT(output, Catch::Contains("Respecting lad (weight 2): "));
    CHECK_THAT(output, Catch::Contains("Aligned with ced (weight 1): "));

    REQUIRE(run_cli("footprints '" + source_path("shapefiles/lsoa_2011.gpkg") + "@LSOA11CD' --pop-table '" +
                        source_path("shapefiles/population_mid2020_lsoa11.csv") +
                        "' --pop-key lsoa11_code --pop-column total_population --attr density --method skater --k 6 --respect '" +
                        source_path("shapefiles/lad_2021.gpkg") + "@LAD21CD*2' --align '" +
                        source_path("shapefiles/ced_2025.gpkg") + "@CED25CD' -o '" + out + "/cli.gpkg'",
                    output) == 0);
    CHECK_THAT(output, Catch::Contains("respecting lad_2021 (weight 2): "));
    REQUIRE(std::system(("ogr2ogr -f CSV '" + out + "/cli.csv' '" + out + "/cli.gpkg' membership 2>/dev/null").c_str()) == 0);
    const auto study = read_csv_rows(out + "/study/membership.csv");
    const auto cli = read_csv_rows(out + "/cli.csv");
    REQUIRE(study.size() == 166);
    REQUIRE(cli.size() == study.size());
    for (std::size_t i = 0; i < study.size(); ++i) {
        INFO(study[i].at("block_code"));
        CHECK(cli[i].at("block_code") == study[i].at("block_code"));
        CHECK(cli[i].at("footprint") == study[i].at("footprint"));
    }
}

TEST_CASE("a study run aligns with the study's own PCN footprints", "[study][integration][partners]") {
    const std::string out = temp_dir("study-partners-pcn");
    const std::string config = out + "/pcn.toml";
    const std::string head =
        "[layers.lad]\npath = \"" + source_path("shapefiles/lad_2021.gpkg") + "\"\ncode = \"LAD21CD\"\nrole = \"district\"\n" +
        "[layers.lsoa]\npath = \"" + source_path("shapefiles/lsoa_2011.gpkg") + "\"\ncode = \"LSOA11CD\"\nrole = \"blocks\"\n" +
        "[layers.practices]\npath = \"" + source_path("shapefiles/gp_practices.gpkg") +
        "\"\ncode = \"PRACTICE_CODE\"\nrole = \"pcn_practices\"\n" + "[population]\nlayer = \"lsoa\"\ntable = \"" +
        source_path("shapefiles/population_mid2020_lsoa11.csv") + "\"\nkey = \"lsoa11_code\"\ncolumn = \"total_population\"\n" +
        "[[footprints]]\nid = \"towns\"\nblocks = \"lsoa\"\nmethod = \"azp\"\nk = 6\nattributes = [\"density\"]\n"
        "align = { layer = \"pcn\", weight = 2 }\n[maps]\nenabled = false\n";
    {
        std::ofstream file(config);
        file << head;
    }
    std::string output;
    CHECK(run_cli("study '" + config + "' -o '" + out + "/refused'", output) == 2);  // no [pcn] table yet
    CHECK_THAT(output, Catch::Contains("key 'footprints[1].align': 'pcn' needs a [pcn] table"));
    {
        std::ofstream file(config);
        file << head << "[pcn]\npractices = \"practices\"\nmethod = \"voronoi\"\nclip = \"lad\"\n";
    }
    REQUIRE(run_cli("study '" + config + "' -o '" + out + "/study'", output) == 0);
    CHECK_THAT(output, Catch::Contains("Aligned with ") && Catch::Contains(" (weight 2): "));
}
