// Invariants and the independent check on real data. Cases on the sample in
// shapefiles/ always run; cases on the full data set (../shared/data/uk) skip,
// saying so, when it is absent.
#include "support.hpp"

#include "placedef/geometry.hpp"
#include "placedef/io.hpp"
#include "placedef/overlay.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <algorithm>
#include <cstdlib>
#include <map>

using namespace placedef;
using namespace placedef::test;

namespace {

Layer load(const std::string& argument) {
    ProblemSink problems;
    Layer layer = load_layer(LayerAddress::parse(argument), ReadOptions{}, problems);
    return layer;
}

std::map<std::string, double> share_sums(const IntersectionTable& table) {
    std::map<std::string, double> sums;
    for (const IntersectionRow& row : table.rows) sums[row.a_code] += row.share_of_a;
    return sums;
}

}  // namespace

TEST_CASE("sample: each LSOA's shares over the wards sum to 1", "[integration][sample]") {
    const Layer lsoa = load(source_path("shapefiles/lsoa_2021.gpkg@LSOA21CD"));
    const Layer ward = load(source_path("shapefiles/ward_2025.gpkg@WD25CD"));
    REQUIRE(lsoa.size() > 100);
    const IntersectionTable table = overlay(lsoa, ward);
    const auto sums = share_sums(table);
    REQUIRE(sums.size() == lsoa.size());
    // Wards do not overlap, so no LSOA is covered more than once. Both layers
    // stop at the two districts' outer boundary, generalised independently:
    // LSOAs on that edge lose up to ~1 % there; every other one sums to 1.
    std::size_t whole = 0;
    for (const auto& [code, sum] : sums) {
        INFO(code);
        CHECK(sum < 1.0 + 1e-9);
        CHECK(sum > 0.99);
        whole += std::abs(sum - 1.0) <= 0.002;
    }
    CHECK(whole >= sums.size() * 8 / 10);
}

TEST_CASE("full data: LSOAs inside Surrey are covered once by the wards", "[integration][uk]") {
    PDEF_REQUIRE_UK_DATA();
    // The ward layer holds every ward within 3 km of Surrey, so an LSOA in
    // Surrey (UTLACD E10000030) lies inside B's extent.
    const Layer lsoa = load(uk_data_path("lsoa_2021_bgc.gpkg@LSOA21CD"));
    const Layer ward = load(uk_data_path("ward_2025_bgc.gpkg@WD25CD"));
    const std::size_t county = *lsoa.attribute_index("UTLACD");
    const auto sums = share_sums(overlay(lsoa, ward));
    std::size_t checked = 0;
    for (const Feature& feature : lsoa.features) {
        if (feature.attributes[county] != "E10000030") continue;
        INFO(feature.code);
        REQUIRE(sums.count(feature.code));
        CHECK(sums.at(feature.code) == Approx(1.0).margin(0.002));
        ++checked;
    }
    CHECK(checked == 719);  // Surrey's LSOA 2021 count in the layer (UTLACD)
}

TEST_CASE("sample: a layer against itself is co-terminous unit by unit", "[integration][sample]") {
    const Layer ward = load(source_path("shapefiles/ward_2025.gpkg@WD25CD"));
    const IntersectionTable table = overlay(ward, ward);
    std::size_t diagonal = 0;
    for (const IntersectionRow& row : table.rows) {
        if (row.a_code == row.b_code) {
            ++diagonal;
            CHECK(row.share_of_a == Approx(1.0).epsilon(1e-12));
            CHECK(row.share_of_b == Approx(1.0).epsilon(1e-12));
        } else {
            // Neighbours share edges exactly: anything else is a sliver of
            // the source's own overlaps, never a real share.
            CHECK(row.share_of_a < 1e-6);
        }
    }
    CHECK(diagonal == ward.size());
}

TEST_CASE("sample: a layer read in EPSG:4326 gives the areas of its EPSG:27700 twin", "[integration][sample][crs]") {
    if (std::system("command -v ogr2ogr > /dev/null 2>&1") != 0) {
        WARN("SKIPPED: ogr2ogr (gdal-bin) not found; the README set-up command installs it");
        return;
    }
    const std::string dir = temp_dir("twin");
    const std::string twin = dir + "/lsoa_4326.geojson";
    const std::string command = "ogr2ogr -t_srs EPSG:4326 -lco COORDINATE_PRECISION=9 '" + twin + "' '" +
                                source_path("shapefiles/lsoa_2021.gpkg") + "'";
    REQUIRE(std::system(command.c_str()) == 0);
    const Layer native = load(source_path("shapefiles/lsoa_2021.gpkg@LSOA21CD"));
    const Layer reprojected = load(twin + "@LSOA21CD");
    CHECK(reprojected.source_crs == "EPSG:4326");
    CHECK(reprojected.crs == "EPSG:27700");
    REQUIRE(reprojected.size() == native.size());
    for (const Feature& feature : native.features) {
        const auto index = reprojected.find(feature.code);
        REQUIRE(index);
        INFO(feature.code);
        CHECK(area(reprojected.features[*index].shape) == Approx(area(feature.shape)).epsilon(0.001));
    }
}

TEST_CASE("full data: overlay areas agree with PostGIS to 1e-6", "[integration][uk]") {
    PDEF_REQUIRE_UK_DATA();
    struct Case { const char* a; const char* a_code; const char* b; const char* b_code; };
    const Case cases[] = {
        {"lsoa_2021", "LSOA21CD", "ward_2025", "WD25CD"},  {"lsoa_2021", "LSOA21CD", "ced_2025", "CED25CD"},
        {"ward_2025", "WD25CD", "ced_2025", "CED25CD"},    {"lad_2021", "LAD21CD", "icb_2022", "ICB22CD"},
        {"lsoa_2011", "LSOA11CD", "lep_2017", "LEP17CD"},  {"msoa_2021", "MSOA21CD", "sicbl_2022", "SICBL22CD"},
        {"ward_2019", "WD19CD", "ccg_2019", "CCG19CD"},
    };
    for (const Case& c : cases) {
        const std::string name = std::string(c.a) + "__" + c.b;
        INFO(name);
        const Layer a = load(uk_data_path(std::string(c.a) + "_bgc.gpkg@" + c.a_code));
        const Layer b = load(uk_data_path(std::string(c.b) + "_bgc.gpkg@" + c.b_code));
        const IntersectionTable table = overlay(a, b);
        // The reference was computed by bench/postgis_reference.sh.
        std::map<std::pair<std::string, std::string>, double> expected;
        for (const auto& row : read_csv_rows(source_path("tests/integration/postgis_reference/" + name + ".csv")))
            expected[{row.at("a_code"), row.at("b_code")}] = std::stod(row.at("area_m2"));
        CHECK(table.rows.size() == expected.size());
        std::size_t matched = 0;
        for (const IntersectionRow& row : table.rows) {
            const auto it = expected.find({row.a_code, row.b_code});
            if (it == expected.end()) {
                FAIL_CHECK("row not in PostGIS: " << row.a_code << " x " << row.b_code << " " << row.area_m2);
                continue;
            }
            ++matched;
            if (std::abs(row.area_m2 - it->second) > 1e-6 * it->second)
                FAIL_CHECK(row.a_code << " x " << row.b_code << ": " << row.area_m2 << " vs PostGIS " << it->second);
        }
        CHECK(matched == expected.size());
    }
}

TEST_CASE("full data: shares sum to 1 inside B's extent, and to 2 where LEPs overlap", "[integration][uk]") {
    PDEF_REQUIRE_UK_DATA();
    const Layer lsoa = load(uk_data_path("lsoa_2021_bgc.gpkg@LSOA21CD"));
    const Layer sicbl = load(uk_data_path("sicbl_2022_bgc.gpkg@SICBL22CD"));
    // Sub-ICB locations are built from whole LSOAs and tile England: every
    // LSOA is covered once.
    for (const auto& [code, sum] : share_sums(overlay(lsoa, sicbl))) {
        INFO(code);
        CHECK(sum == Approx(1.0).margin(0.002));
    }
    // LEP 2017 polygons overlap each other (two-tier LEP membership): a unit's
    // shares may sum to 2, never assumed to be 1.
    const Layer lsoa11 = load(uk_data_path("lsoa_2011_bgc.gpkg@LSOA11CD"));
    const Layer lep = load(uk_data_path("lep_2017_bgc.gpkg@LEP17CD"));
    std::size_t doubled = 0;
    for (const auto& [code, sum] : share_sums(overlay(lsoa11, lep))) {
        CHECK(sum < 2.002);
        if (sum > 1.998) ++doubled;
    }
    CHECK(doubled > 0);
}

TEST_CASE("command line: overlay writes a table and info describes layers", "[integration][cli]") {
    const std::string dir = temp_dir("cli");
    std::string output;
    const std::string lsoa = source_path("shapefiles/lsoa_2021.gpkg");
    const std::string ward = source_path("shapefiles/ward_2025.gpkg@WD25CD");
    REQUIRE(run_cli("overlay '" + lsoa + "' '" + ward + "' -o '" + dir + "/t.csv'", output) == 0);
    const std::string table = read_text(dir + "/t.csv");
    CHECK(table.rfind("a_code,a_name,b_code,b_name,area_m2,share_of_a,share_of_b\n", 0) == 0);
    CHECK(output.find("names from LSOA21NM") != std::string::npos);
    CHECK(output.find("code column guessed as LSOA21CD") != std::string::npos);

    REQUIRE(run_cli("overlay '" + lsoa + "' '" + ward + "' -o '" + dir + "/t.gpkg'", output) == 0);
    ProblemSink problems;
    const Layer pieces = read_layer(LayerAddress::parse(dir + "/t.gpkg:pieces@a_code"), ReadOptions{}, problems);
    CHECK(pieces.size() == static_cast<std::size_t>(std::count(table.begin(), table.end(), '\n') - 1));

    REQUIRE(run_cli("info '" + lsoa + "'", output) == 0);
    CHECK(output.find("EPSG:27700") != std::string::npos);
    CHECK(output.find("LSOA21CD (guessed)") != std::string::npos);
}

TEST_CASE("command line: population columns from --pop", "[integration][cli][population]") {
    const std::string dir = temp_dir("pop");
    std::string output;
    const std::string args = "overlay '" + source_path("shapefiles/ward_2025.gpkg@WD25CD") + "' '" +
                             source_path("shapefiles/ced_2025.gpkg@CED25CD") + "' --pop '" +
                             source_path("shapefiles/lsoa_2011.gpkg@LSOA11CD") + "' --pop-table '" +
                             source_path("shapefiles/population_mid2020_lsoa11.csv") +
                             "' --pop-column total_population -o '" + dir + "/p.csv'";
    REQUIRE(run_cli(args, output) == 0);
    const auto rows = read_csv_rows(dir + "/p.csv");
    REQUIRE_FALSE(rows.empty());
    REQUIRE(rows[0].count("pop_share_of_a"));
    double total = 0;
    for (const auto& row : rows) total += std::stod(row.at("pop"));
    // The two districts' mid-2020 population, apportioned to ward x division
    // pieces, loses at most what the pieces outside the sample's LSOAs cost.
    const Table people = read_table(source_path("shapefiles/population_mid2020_lsoa11.csv"), "lsoa11_code");
    double expected = 0;
    for (std::size_t r = 0; r < people.size(); ++r) expected += people.number(r, *people.column_index("total_population"));
    CHECK(total == Approx(expected).epsilon(0.01));
}

TEST_CASE("command line: exit codes per failure class", "[integration][cli][errors]") {
    std::string output;
    CHECK(run_cli("overlay", output) == 1);                            // usage
    CHECK(run_cli("overlay a.gpkg b.gpkg -o x.csv --invalid maybe", output) == 1);
    CHECK(run_cli("info /nonexistent/layer.gpkg", output) == 2);       // input
    CHECK(output.find("/nonexistent/layer.gpkg") != std::string::npos);
    const std::string lsoa = source_path("shapefiles/lsoa_2021.gpkg");
    CHECK(run_cli("overlay '" + lsoa + "' '" + lsoa + "' -o /nonexistent/dir/t.csv", output) == 4);  // output
    CHECK(run_cli("info '" + source_path("shapefiles/gp_practices.gpkg") + "'", output) == 2);  // points, not polygons
    CHECK(output.find("gp_practices") != std::string::npos);
    CHECK(run_cli("--help", output) == 0);
    CHECK(output.find("overlay") != std::string::npos);
}

TEST_CASE("command line: an invalid polygon and a duplicate code under each policy", "[integration][cli][errors]") {
    const std::string dir = temp_dir("bad");
    const std::string path = dir + "/divisions.gpkg";
    {
        VectorWriter writer(path);
        writer.begin_layer("divisions", "EPSG:27700", LayerKind::polygon, {{"DIVCD", FieldType::text}});
        writer.add(multipolygon_from_wkt("POLYGON ((0 0, 100 0, 100 100, 0 100, 0 0))"), {std::string("D1")});
        writer.add(multipolygon_from_wkt("POLYGON ((200 0, 300 100, 300 0, 200 100, 200 0))"), {std::string("D2")});
        writer.add(multipolygon_from_wkt("POLYGON ((100 0, 150 0, 150 100, 100 100, 100 0))"), {std::string("D1")});
        writer.close();
    }
    std::string output;
    // A repeated value rules a column out of the code-column guess, and says so.
    CHECK(run_cli("info '" + path + "'", output) == 2);
    CHECK_THAT(output, Catch::Contains("DIVCD: 'D1' at features 1 and 3"));

    const std::string layer = "'" + path + "@DIVCD'";
    CHECK(run_cli("info --invalid fail " + layer, output) == 2);
    for (const char* part : {"divisions.gpkg", "layer 'divisions'", "feature 2", "code D2", "field 'geom'",
                             "self-intersection at (250"})
        CHECK_THAT(output, Catch::Contains(part));

    REQUIRE(run_cli("info --problems '" + dir + "/problems.csv' " + layer, output) == 0);
    CHECK_THAT(output, Catch::Contains("features:    2 (3 read)"));  // D1's two rows merged
    CHECK_THAT(output, Catch::Contains("invalid_geometry"));
    const auto problems = read_csv_rows(dir + "/problems.csv");
    REQUIRE(problems.size() == 2);
    CHECK(problems[0].at("kind") == "invalid_geometry");
    CHECK(problems[0].at("action") == "repaired");
    CHECK(problems[0].at("fid") == "2");
    CHECK(problems[1].at("kind") == "duplicate_code");
    CHECK(problems[1].at("action") == "merged");
    CHECK(problems[1].at("code") == "D1");

    REQUIRE(run_cli("info --invalid skip " + layer, output) == 0);
    CHECK_THAT(output, Catch::Contains("features:    1 (3 read)"));
}

TEST_CASE("sample: a GEOS piece against its own unit keeps its whole area", "[integration][sample][kernel]") {
    // Pieces cut by GEOS have vertices rounded onto the other layer's edges,
    // within 1e-11 m of them: the hardest input the kernel meets (population
    // is apportioned through exactly this call).
    const Layer lsoa = load(source_path("shapefiles/lsoa_2021.gpkg@LSOA21CD"));
    const Layer ward = load(source_path("shapefiles/ward_2025.gpkg@WD25CD"));
    OverlayOptions options;
    options.with_geometry = true;
    const IntersectionTable table = overlay(lsoa, ward, options);
    std::size_t checked = 0;
    for (const IntersectionRow& row : table.rows) {
        if (row.share_of_a == 1.0 || row.share_of_b == 1.0) continue;  // whole units, not cut
        const double piece = area(row.piece);
        INFO(row.a_code << " x " << row.b_code << " piece " << piece);
        CHECK(intersection_area(row.piece, lsoa.features[row.a_index].shape) == Approx(piece).epsilon(1e-6).margin(1e-6));
        CHECK(intersection_area(row.piece, ward.features[row.b_index].shape) == Approx(piece).epsilon(1e-6).margin(1e-6));
        ++checked;
    }
    CHECK(checked > 300);
}

TEST_CASE("sample: with the children as population units, population shares equal area shares",
          "[integration][sample][population]") {
    const Layer lsoa = load(source_path("shapefiles/lsoa_2011.gpkg@LSOA11CD"));
    const Layer ward = load(source_path("shapefiles/ward_2025.gpkg@WD25CD"));
    const Table people = read_table(source_path("shapefiles/population_mid2020_lsoa11.csv"), "lsoa11_code");
    ProblemSink problems;
    const PopulationSource population{&lsoa, join_numeric(lsoa, people, "total_population", problems)};
    OverlayOptions options;
    options.population = &population;
    const IntersectionTable table = overlay(lsoa, ward, options);
    for (const IntersectionRow& row : table.rows) {
        INFO(row.a_code << " x " << row.b_code);
        CHECK(row.pop_share_of_a == Approx(row.share_of_a).margin(1e-6));
    }
    for (std::size_t i = 0; i < lsoa.size(); ++i) CHECK(table.a_pop[i] == Approx(population.population[i]).epsilon(1e-6));
}
