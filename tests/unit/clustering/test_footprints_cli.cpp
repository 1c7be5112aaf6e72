// The footprints command on the sample: a run a person can check, and bad
// input that gets a clear error and exit code 2, never an empty result.
#include "support.hpp"

#include "placedef/io.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <numeric>

using namespace placedef::test;
using Catch::Matchers::Contains;

namespace {

const std::string sample_blocks = "footprints " + source_path("shapefiles/lsoa_2011.gpkg") + " --pop-table " +
                                  source_path("shapefiles/population_mid2020_lsoa11.csv") +
                                  " --pop-column total_population --attr density ";

}  // namespace

TEST_CASE("footprints command: the sample into 6 footprints, written and summarised", "[clustering][footprints][cli]") {
    const std::string out = temp_dir("footprints-cli");
    std::string output;
    REQUIRE(run_cli(sample_blocks + "--method skater --k 6 -o " + out + "/f.csv -o " + out + "/f.gpkg", output) == 0);
    CHECK_THAT(output, Contains("6 footprints by skater"));
    const auto rows = read_csv_rows(out + "/f.csv");
    REQUIRE(rows.size() == 6);
    double people = 0, blocks = 0;
    for (const auto& row : rows) {
        people += std::stod(row.at("population"));
        blocks += std::stod(row.at("blocks"));
        CHECK(row.at("contiguous") == "1");
    }
    CHECK(blocks == 166);
    // The sample's 166 LSOAs (Guildford and Waverley) hold these people in mid-2020.
    double expected = 0;
    for (const auto& row : read_csv_rows(source_path("shapefiles/population_mid2020_lsoa11.csv")))
        expected += std::stod(row.at("total_population"));
    CHECK(people == Approx(expected));
}

TEST_CASE("footprints command: bad input gets a clear error", "[clustering][footprints][cli]") {
    std::string output;
    CHECK(run_cli(sample_blocks + "--method skatter --k 6", output) == 2);
    CHECK_THAT(output, Contains("unknown clustering method 'skatter'"));
    CHECK(run_cli(sample_blocks + "--method skater --k 500", output) == 2);
    CHECK_THAT(output, Contains("k = 500") && Contains("only 166 blocks"));
    CHECK(run_cli(sample_blocks + "--method maxp --min-pop 99000000", output) == 2);
    CHECK_THAT(output, Contains("above the total population"));
    CHECK(run_cli(sample_blocks + "--method azp --k 3 --search tabuu", output) == 2);
    CHECK_THAT(output, Contains("unknown local search 'tabuu'"));
    CHECK(run_cli(sample_blocks + "--method skater --k 3 --attr nosuch.csv:X", output) == 2);
    CHECK(run_cli(sample_blocks + "--method seeded --seeds " + source_path("examples/surrey_towns.csv"), output) == 2);
    CHECK_THAT(output, Contains("Woking") && Contains("outside every block"));  // the first town not in the sample
    // Blocks in two groups further apart than the snap distance.
    CHECK(run_cli(sample_blocks + "--method skater --k 3 --snap 0 --adjacency rook --min-shared 100000", output) == 2);
    CHECK_THAT(output, Contains("separate groups"));
}

TEST_CASE("footprints command: an ensemble writes stability and boundary frequency", "[clustering][footprints][cli][ensemble]") {
    const std::string out = temp_dir("footprints-cli-ensemble");
    std::string output;
    REQUIRE(run_cli(sample_blocks + "--method azp --k 6 --ensemble 6 --ensemble-methods azp,maxp --min-pop 20000 -o " + out +
                        "/f.csv -o " + out + "/f.gpkg",
                    output) == 0);
    CHECK_THAT(output, Contains("ensemble of 6 runs (azp, maxp): consensus is run"));
    CHECK_THAT(output, Contains("unstable blocks (stability below 0.6): "));
    const auto members = read_csv_rows(out + "/f_membership.csv");
    REQUIRE(members.size() == 166);
    std::size_t unstable = 0;
    for (const auto& row : members) {
        const double stability = std::stod(row.at("stability"));
        CHECK(stability >= 0);
        CHECK(stability <= 1);
        CHECK(row.at("unstable") == (stability < 0.6 ? "1" : "0"));
        unstable += stability < 0.6 ? 1 : 0;
    }
    CHECK_THAT(output, Contains("): " + std::to_string(unstable) + " of 166 ("));
    const auto edges = read_csv_rows(out + "/f_boundary_frequency.csv");
    CHECK(edges.size() == 442);  // the sample's rook edges
    for (const auto& row : edges) {
        // An edge between two consensus footprints is a boundary in the consensus run at least.
        if (row.at("footprint_a") != row.at("footprint_b")) CHECK(std::stod(row.at("frequency")) >= 1.0 / 6);
    }
    const std::vector<std::string> layers = placedef::list_layers(out + "/f.gpkg");
    CHECK(std::find(layers.begin(), layers.end(), "boundary_frequency") != layers.end());

    CHECK(run_cli(sample_blocks + "--method azp --k 6 --ensemble-methods azp", output) == 2);
    CHECK_THAT(output, Contains("--ensemble-methods needs --ensemble N"));
    CHECK(run_cli(sample_blocks + "--method skater --k 6 --ensemble 5", output) == 2);
    CHECK_THAT(output, Contains("skater and redcap give the same footprints for every seed"));
    CHECK(run_cli(sample_blocks + "--method azp --k 6 --ensemble 1", output) == 2);
    CHECK_THAT(output, Contains("at least 2 runs"));
}

TEST_CASE("footprints command: bounds, balance and --within notes", "[clustering][footprints][cli][within]") {
    const std::string out = temp_dir("footprints-cli-within");
    std::string output;
    // About 280,000 people in 6 footprints: 6 x 60,000 is more than there are.
    CHECK(run_cli(sample_blocks + "--method skater --k 6 --min-pop 60000", output) == 2);
    CHECK_THAT(output, Contains("k = 6 footprints of at least the floor 60000 need 360000 people"));
    CHECK(run_cli(sample_blocks + "--method maxp --min-pop 30000 --balance 1", output) == 2);
    CHECK_THAT(output, Contains("a balance needs k"));
    REQUIRE(run_cli(sample_blocks + "--method skater --k 6 --balance 2 -o " + out + "/balanced.csv", output) == 0);
    std::vector<double> people;
    for (const auto& row : read_csv_rows(out + "/balanced.csv")) people.push_back(std::stod(row.at("population")));
    REQUIRE(people.size() == 6);
    const double mean = std::accumulate(people.begin(), people.end(), 0.0) / 6;
    for (const double p : people) {
        CHECK(p >= 0.75 * mean);
        CHECK(p <= 1.25 * mean);
    }
    // Within the two districts, from Guildford alone: Waverley is a rural
    // footprint of its own, and the summary says why.
    {
        std::ofstream towns(out + "/towns.csv");
        towns << "name,longitude,latitude\nGuildford,-0.5704,51.2362\n";
    }
    REQUIRE(run_cli(sample_blocks + "--method seeded --seeds " + out + "/towns.csv --within " +
                        source_path("shapefiles/lad_2021.gpkg") + " -o " + out + "/towns.csv.out.csv",
                    output) == 0);
    CHECK_THAT(output, Contains("2 footprints by seeded") && Contains("Rural 1") &&
                           Contains("note: Rural 1 is unit ") && Contains("'E07000216' (Waverley)") &&
                           Contains("which holds no town"));
}
