// Co-terminosity on real data: the Surrey partner matrix against its golden
// output, and the align / bestfit / matrix commands on the sample.
#include "support.hpp"

#include "placedef/geometry.hpp"
#include "placedef/pipeline.hpp"
#include "placedef/scoring.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace placedef;
using namespace placedef::test;

namespace {

const std::vector<std::pair<std::string, std::string>> surrey_layers = {
    {"lad_2021_bgc.gpkg", "LAD21CD"}, {"ced_2025_bgc.gpkg", "CED25CD"}, {"ward_2025_bgc.gpkg", "WD25CD"},
    {"ccg_2021_bgc.gpkg", "CCG21CD"}, {"icb_2022_bgc.gpkg", "ICB22CD"}, {"lep_2021_bgc.gpkg", "LEP21CD"},
    {"ttwa_2011_bgc.gpkg", "TTWA11CD"},
};

bool same_number(const std::string& got, const std::string& expected) {
    if (got.empty() || expected.empty()) return got == expected;
    const double g = std::stod(got), e = std::stod(expected);
    return std::abs(g - e) <= 1e-9 * std::max(1.0, std::abs(e));
}

}  // namespace

TEST_CASE("full data: the Surrey partner matrix matches its golden output", "[integration][uk][matrix]") {
    PDEF_REQUIRE_UK_DATA();
    std::vector<Layer> loaded;
    for (const auto& [file, code] : surrey_layers) {
        ProblemSink problems;
        loaded.push_back(load_layer(LayerAddress::parse(uk_data_path(file) + "@" + code), ReadOptions{}, problems));
    }
    std::vector<const Layer*> layers;
    for (const Layer& layer : loaded) layers.push_back(&layer);
    const Matrix matrix = coterminosity_matrix(layers, MatrixOptions{});

    for (std::size_t i = 0; i < layers.size(); ++i) {
        INFO(matrix.layers[i]);
        CHECK(matrix.scores[i][i].coterminosity_index == Approx(1.0).epsilon(1e-12));
        CHECK(matrix.scores[i][i].nesting_rate == 1.0);
        CHECK(matrix.scores[i][i].boundary_alignment == Approx(1.0).epsilon(1e-12));
    }
    // Wards nest in districts (docs/methods/coterminosity.md: at the default tolerance).
    CHECK(matrix.scores[2][0].nesting_rate >= 0.99);
    // CCGs (April 2021) were built from whole districts' LSOAs inside ICBs: nested.
    CHECK(matrix.scores[3][4].nesting_rate == 1.0);

    const std::string dir = temp_dir("matrix");
    write_matrix_csv(matrix, dir + "/matrix.csv");
    const auto got = read_csv_rows(dir + "/matrix.csv");
    const auto golden = read_csv_rows(source_path("tests/integration/golden/surrey_matrix.csv"));
    REQUIRE(got.size() == golden.size());
    for (std::size_t r = 0; r < got.size(); ++r)
        for (const auto& [column, expected] : golden[r]) {
            INFO(got[r].at("layer") << " against " << got[r].at("other_layer") << ": " << column);
            const bool text = column == "layer" || column == "other_layer";
            CHECK((text ? got[r].at(column) == expected : same_number(got[r].at(column), expected)));
        }
}

TEST_CASE("command line: align, bestfit and matrix on the sample", "[integration][cli][scoring]") {
    const std::string dir = temp_dir("scoring-cli");
    const std::string lsoa = "'" + source_path("shapefiles/lsoa_2021.gpkg") + "'";
    const std::string ward = "'" + source_path("shapefiles/ward_2025.gpkg@WD25CD") + "'";
    const std::string lad = "'" + source_path("shapefiles/lad_2021.gpkg") + "'";
    const std::string ced = "'" + source_path("shapefiles/ced_2025.gpkg") + "'";
    std::string output;

    REQUIRE(run_cli("align " + ward + " " + lad + " -o '" + dir + "/align.csv'", output) == 0);
    CHECK_THAT(output, Catch::Contains("ward_2025 against lad_2021: 45 units, 45 scored"));
    const auto units = read_csv_rows(dir + "/align.csv");
    REQUIRE(units.size() == 45 + 2);
    std::size_t nested = 0;
    for (const auto& row : units)
        if (row.at("layer") == "ward_2025") nested += row.at("relation") == "nested" || row.at("relation") == "coterminous";
    CHECK(nested >= 44);  // wards nest in their district

    REQUIRE(run_cli("bestfit " + lsoa + " " + ward + " -o '" + dir + "/fit.csv'", output) == 0);
    const auto fit = read_csv_rows(dir + "/fit.csv");
    REQUIRE(fit.size() == 166);
    CHECK(fit[0].count("child_code"));
    CHECK(fit[0].at("method") == "area");

    const std::string pop = " --pop '" + source_path("shapefiles/lsoa_2011.gpkg") + "' --pop-table '" +
                            source_path("shapefiles/population_mid2020_lsoa11.csv") + "' --pop-column total_population";
    REQUIRE(run_cli("bestfit " + ward + " " + ced + " --method population" + pop + " -o '" + dir + "/pop.csv'", output) == 0);
    CHECK(read_csv_rows(dir + "/pop.csv").at(0).at("method") == "population");
    REQUIRE(run_cli("bestfit " + ward + " " + ced + " --method centroid -o '" + dir + "/c.csv'", output) == 0);

    REQUIRE(run_cli("matrix " + lad + " " + ced + " " + ward + " -o '" + dir + "/m.csv'", output) == 0);
    CHECK_THAT(output, Catch::Contains("co-terminosity index (row scored against column)"));
    CHECK(read_csv_rows(dir + "/m.csv").size() == 9);

    // A misspelt method is a usage error, never a silent default; population without people is an input error.
    CHECK(run_cli("bestfit " + lsoa + " " + ward + " --method centriod -o '" + dir + "/x.csv'", output) == 1);
    CHECK(run_cli("bestfit " + lsoa + " " + ward + " --method population -o '" + dir + "/x.csv'", output) == 2);
    CHECK_THAT(output, Catch::Contains("--pop"));
    CHECK(run_cli("align " + ward + " " + lad + " --tolerance 1.5 -o '" + dir + "/x.csv'", output) == 1);
}

TEST_CASE("command line: pcn footprints on the sample", "[integration][cli][pcn]") {
    const std::string dir = temp_dir("pcn-cli");
    const std::string base = "pcn '" + source_path("shapefiles/gp_practices.gpkg@PRACTICE_CODE") + "' --clip '" +
                             source_path("shapefiles/lad_2021.gpkg") + "'";
    std::string output;
    REQUIRE(run_cli(base + " --method blocks --blocks '" + source_path("shapefiles/lsoa_2021.gpkg") + "' -o '" + dir +
                        "/pcn.gpkg' -o '" + dir + "/pcn.csv'",
                    output) == 0);
    CHECK_THAT(output, Catch::Contains("6 PCN footprints by blocks"));
    CHECK_THAT(output, Catch::Contains("GUILDFORD RIVERS PRACTICE (U): in no PCN"));  // reported by name
    CHECK(read_csv_rows(dir + "/pcn.csv").size() == 6);
    // The GeoPackage feeds align like any layer.
    REQUIRE(run_cli("align '" + dir + "/pcn.gpkg:pcn_footprints@pcn_code' '" + source_path("shapefiles/lad_2021.gpkg") +
                        "' -o '" + dir + "/align.csv'",
                    output) == 0);
    CHECK_THAT(output, Catch::Contains("pcn_footprints against lad_2021: 6 units"));
    CHECK(run_cli(base + " --method blocks -o '" + dir + "/x.gpkg'", output) == 2);  // blocks without --blocks
    CHECK_THAT(output, Catch::Contains("--blocks"));
    CHECK(run_cli(base + " --method voronio -o '" + dir + "/x.gpkg'", output) == 1);
}
