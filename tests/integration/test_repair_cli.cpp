// placedef repair on the sample: footprints given as polygons or as a CSV of
// blocks give the same moves, every move is listed and written, and a
// target that cannot be met is a clear error with exit code 2.
#include "support.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>

using namespace placedef::test;
using Catch::Matchers::Contains;

namespace {

std::string sample(const std::string& name) { return "'" + source_path("shapefiles/" + name) + "'"; }

const std::string people = " --pop-table " + sample("population_mid2020_lsoa11.csv") +
                           " --pop-key lsoa11_code --pop-column total_population";

}  // namespace

TEST_CASE("repair command: the sample's footprints brought into the divisions", "[repair][cli][partners]") {
    const std::string out = temp_dir("repair-cli");
    std::string output;
    REQUIRE(run_cli("footprints " + sample("lsoa_2011.gpkg") + "@LSOA11CD" + people +
                        " --attr density --method skater --k 8 -o '" + out + "/f.gpkg'",
                    output) == 0);
    const std::string tail = " " + sample("ced_2025.gpkg") + "@CED25CD --blocks " + sample("lsoa_2011.gpkg") + "@LSOA11CD" + people;

    REQUIRE(run_cli("repair '" + out + "/f.gpkg:footprints@footprint,name'" + tail + " --target 0.9 --moves '" + out +
                        "/moves.csv' -o '" + out + "/repaired.csv' -o '" + out + "/repaired.gpkg'",
                    output) == 0);
    CHECK_THAT(output, Contains("repair of 8 footprints (166 blocks) against ced_2025: 19 units with people"));
    CHECK_THAT(output, Contains("(target 90.0 %)"));
    const auto moves = read_csv_rows(out + "/moves.csv");
    REQUIRE(!moves.empty());
    CHECK_THAT(output, Contains(std::to_string(moves.size()) + " moves of "));
    for (const auto& move : moves) {  // every move is printed: block, name, from, to, people
        CHECK_THAT(output, Contains("  " + move.at("block_code") + " " + move.at("block_name") + ": " + move.at("from_name") +
                                    " -> " + move.at("to_name") + ", " + move.at("people") + " people"));
        CHECK(move.at("from_footprint") != move.at("to_footprint"));
    }
    CHECK(std::stod(moves.back().at("units_in_footprints")) >= 0.9);
    CHECK(std::stod(moves.front().at("units_in_footprints")) < 0.9);
    const auto repaired = read_csv_rows(out + "/repaired.csv");
    REQUIRE(repaired.size() == 8);
    double blocks = 0;
    for (const auto& row : repaired) {
        blocks += std::stod(row.at("blocks"));
        CHECK(row.at("contiguous") == "1");
    }
    CHECK(blocks == 166);

    // The same footprints as a CSV of blocks (the GeoPackage's membership): the same moves.
    REQUIRE(std::system(("ogr2ogr -f CSV '" + out + "/membership.csv' '" + out + "/f.gpkg' membership 2>/dev/null").c_str()) == 0);
    REQUIRE(run_cli("repair '" + out + "/membership.csv'" + tail + " --target 0.9 --moves '" + out + "/moves_csv.csv'", output) ==
            0);
    CHECK(read_text(out + "/moves_csv.csv") == read_text(out + "/moves.csv"));

    // Every division whole cannot be had on these blocks: a clear error naming the units left split.
    CHECK(run_cli("repair '" + out + "/membership.csv'" + tail + " --whole-units", output) == 2);
    CHECK_THAT(output, Contains("the repair cannot reach every unit of 'ced_2025' whole in one footprint"));
    CHECK_THAT(output, Contains("units are still split: '"));
    CHECK(run_cli("repair '" + out + "/membership.csv'" + tail + " --whole-units --target 0.9", output) == 2);
    CHECK_THAT(output, Contains("give --target or --whole-units, not both"));
    CHECK(run_cli("repair '" + out + "/membership.csv'" + tail + " --target 0", output) == 1);
    CHECK(run_cli("repair '" + out + "/membership.csv'" + tail + " --footprint-column zone", output) == 2);
    CHECK_THAT(output, Contains("has no column 'zone' giving each block's footprint"));
}
