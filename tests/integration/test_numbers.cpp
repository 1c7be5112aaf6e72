// Issue 16, silent wrong numbers: population values, overlapping population
// units, clustering attributes at any scale, ties and repeated names. Each
// case ends in a clear error or a reported problem, the same in every front
// end (the rules live in the engine; the C API and Python have their own
// tests of the same cases).
#include "hand_layers.hpp"
#include "support.hpp"

#include "placedef/error.hpp"
#include "placedef/pipeline.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>

using namespace placedef;
using namespace placedef::test;

namespace {

std::string write_file(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

std::shared_ptr<const Layer> shared(Layer layer) { return std::make_shared<const Layer>(std::move(layer)); }

}  // namespace

TEST_CASE("numbers: a population value that is not a count is refused in every job", "[numbers][population]") {
    const std::string dir = temp_dir("numbers-population");
    const std::string squares = source_path("tests/data/bad/squares.geojson@SQCD");
    const std::string lad = source_path("shapefiles/lad_2021.gpkg@LAD21CD");
    struct Case {
        std::string values, message;
    };
    const std::vector<Case> cases = {
        {"120\nSQ2,-100\nSQ3,40", "line 3 (code SQ2), field 'population': the population -100 is negative"},
        // Near 1e308 two values overflowed the sums to inf: cells came out empty, exit 0.
        {"1e308\nSQ2,1e308\nSQ3,40", "line 2 (code SQ1), field 'population': the population 1e+308 is above the limit"},
        {"6e14\nSQ2,6e14\nSQ3,40", "the population totals 1200000000000040, above the limit of 1e+15 people"},
    };
    for (const Case& c : cases) {
        const std::string table = write_file(dir + "/pop.csv", "code,population\nSQ1," + c.values + "\n");
        const std::string pop = " --pop '" + squares + "' --pop-table '" + table + "' --pop-column population";
        for (const std::string& job :
             {"overlay '" + squares + "' '" + lad + "'" + pop + " -o '" + dir + "/t.csv'",
              "align '" + squares + "' '" + lad + "'" + pop + " -o '" + dir + "/t.csv'",
              "footprints '" + squares + "' --k 1" + pop + " -o '" + dir + "/f.csv'"}) {
            std::string output;
            CHECK(run_cli(job, output) == 2);
            CHECK_THAT(output, Catch::Contains(c.message));
        }
    }
}

TEST_CASE("numbers: the engine's population rule holds for values given directly", "[numbers][population]") {
    const auto grid = shared(grid_2x2());
    const Layer target = halves();
    for (double bad : {-1.0, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(), 1e308}) {
        const PopulationSource source{grid.get(), {1, 2, bad, 4}};
        CHECK_THROWS_AS(apportion_population(target, source), invalid_input);
        CHECK_THROWS_WITH(check_population(*grid, source.population, "given"), Catch::Contains("code NW"));
    }
    // Each value within the limit, the total above it.
    CHECK_THROWS_WITH(check_population(*grid, {4e14, 4e14, 4e14, 1}, "given"), Catch::Contains("totals"));
    const std::vector<double> ok = apportion_population(target, PopulationSource{grid.get(), {1, 2, 3, 1e14}});
    CHECK(ok[0] == 4);  // W holds SW and NW
}

TEST_CASE("numbers: population units that overlap each other are reported", "[numbers][population][overlap]") {
    // The case: 4 km² of 100-people squares, and a fifth unit of 100
    // lying on SW: 500 people on ground that holds 400, said nowhere.
    Layer units = grid_2x2();
    units.features.push_back(hand_layer("x", {{"X", box_wkt(0, 0, 1000, 1000)}}).features.front());
    units.features.back().fid = 5;
    // A sliver of 0.5% of the smaller unit, as independently generalised
    // neighbours have: not an overlap.
    units.features.push_back(hand_layer("y", {{"Y", box_wkt(1995, 0, 3000, 1000)}}).features.front());
    units.features.back().fid = 6;
    const std::vector<UnitOverlap> overlaps = overlapping_units(units);
    REQUIRE(overlaps.size() == 1);
    CHECK(overlaps[0].first == 0);
    CHECK(overlaps[0].second == 4);
    CHECK(overlaps[0].area_m2 == Approx(1e6));
    CHECK(overlaps[0].share == Approx(1.0));

    RunSettings settings;
    ProblemSink problems;
    PopulationInput input;
    input.units = LayerInput(shared(units));
    input.values = {100, 100, 100, 100, 100, 0};
    const LoadedPopulation loaded = load_population(input, settings, problems);
    REQUIRE(problems.count(ProblemKind::overlapping_units) == 1);
    const Problem& problem = problems.problems().front();
    CHECK(problem.action == ProblemAction::kept);
    CHECK(problem.where.code == "X");
    CHECK(problem.where.fid == 5);
    CHECK_THAT(problem.detail, Catch::Contains("overlaps unit SW (feature 1) by 1000000 m2 (100.0% of the smaller)"));
    // Under the fail policy the run stops.
    settings.invalid = InvalidPolicy::fail;
    ProblemSink failing;
    CHECK_THROWS_WITH(load_population(input, settings, failing), Catch::Contains("overlaps unit SW"));
}

TEST_CASE("numbers: the overlap check is cheap on a real layer and finds nothing in one that tiles",
          "[numbers][population][overlap]") {
    if (!have_uk_data()) {
        SUCCEED("SKIPPED: no UK data");
        return;
    }
    RunSettings settings;
    ProblemSink problems;
    const auto lsoa = load_input(uk_data_path("lsoa_2021_bgc.gpkg"), settings, problems);
    const auto start = std::chrono::steady_clock::now();
    const std::vector<UnitOverlap> overlaps = overlapping_units(*lsoa);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(overlaps.empty());
    CHECK(seconds < 30);
}

TEST_CASE("numbers: a clustering attribute gives the same footprints at any scale", "[numbers][clustering]") {
    const std::string dir = temp_dir("numbers-scale");
    const auto population = read_csv_rows(source_path("shapefiles/population_mid2020_lsoa11.csv"));
    // Squares of values near 1e200 overflowed and those near 1e-300 underflowed:
    // the attribute read as constant (WSS/TSS 0.000) and the footprints changed.
    std::vector<std::vector<std::map<std::string, std::string>>> results;
    std::vector<std::string> summaries;
    for (const std::string exponent : {"", "e200", "e-300"}) {
        std::string table = "code,people\n";
        for (const auto& row : population) table += row.at("lsoa11_code") + "," + row.at("total_population") + exponent + "\n";
        const std::string path = write_file(dir + "/people" + exponent + ".csv", table);
        std::string output;
        REQUIRE(run_cli("footprints '" + source_path("shapefiles/lsoa_2011.gpkg") + "' --attr '" + path +
                            ":people' --method skater --k 6 -o '" + dir + "/f" + exponent + ".csv'",
                        output) == 0);
        CHECK_THAT(output, !Catch::Contains("WSS/TSS 0.000"));
        CHECK_THAT(output, !Catch::Contains("same value for every block"));
        results.push_back(read_csv_rows(dir + "/f" + exponent + ".csv"));
        summaries.push_back(output.substr(output.find("footprints by")));
    }
    for (std::size_t i = 1; i < results.size(); ++i) {
        REQUIRE(results[i].size() == results[0].size());
        for (std::size_t r = 0; r < results[0].size(); ++r) CHECK(results[i][r].at("blocks") == results[0][r].at("blocks"));
        CHECK(summaries[i] == summaries[0]);
    }
}

TEST_CASE("numbers: standardising is exact about constant columns and refuses bad weights", "[numbers][clustering]") {
    const std::vector<std::string> names = {"same", "tiny", "huge"};
    const std::vector<std::string> codes = {"A", "B", "C"};
    // 0.1 three times: the floating mean is not 0.1, and the old z-scores were
    // rounding noise blown up to ±1.
    std::vector<double> values = {0.1, 1e-300, 1e200, 0.1, 2e-300, 2e200, 0.1, 3e-300, 3e200};
    const std::vector<std::string> constant = standardise(values, 3, {}, names, codes);
    CHECK(constant == std::vector<std::string>{"same"});
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(values[i * 3] == 0.0);
        CHECK(values[i * 3 + 1] == Approx(std::sqrt(1.5) * (static_cast<double>(i) - 1)));
        CHECK(values[i * 3 + 2] == Approx(values[i * 3 + 1]));
    }
    for (double weight : {-1.0, 1e-101, 1e101, std::numeric_limits<double>::quiet_NaN()}) {
        std::vector<double> column = {1, 2, 3};
        CHECK_THROWS_WITH(standardise(column, 1, {weight}, {"imd"}, codes), Catch::Contains("of attribute 'imd'"));
    }
    std::vector<double> infinite = {1, std::numeric_limits<double>::infinity(), 3};
    CHECK_THROWS_WITH(standardise(infinite, 1, {}, {"imd"}, codes),
                      Catch::Contains("attribute 'imd' of block 'B' is not a finite number"));
}

TEST_CASE("numbers: a best-fit tie is ambiguous and names the other parent", "[numbers][ties]") {
    // A child split exactly in two: it went to one parent with `ambiguous 0`.
    const Layer children = hand_layer("children", {{"C", box_wkt(0, 0, 2000, 1000)}, {"D", box_wkt(0, 1000, 1500, 2000)}});
    const Layer parents = hand_layer("parents", {{"W", box_wkt(0, 0, 1000, 2000)}, {"E", box_wkt(1000, 0, 2000, 2000)}});
    const IntersectionTable table = overlay(children, parents);
    BestFitOptions options;
    options.ambiguous_below = 0.4;
    for (int swap = 0; swap < 2; ++swap) {
        IntersectionTable ordered = table;
        if (swap) std::reverse(ordered.rows.begin(), ordered.rows.end());  // the winner never depends on row order
        const std::vector<BestFitRow> rows = best_fit(ordered, options);
        REQUIRE(rows.size() == 2);
        CHECK(rows[0].child == "C");
        CHECK(rows[0].parent == "E");  // the first code
        CHECK(rows[0].ambiguous);
        CHECK_THAT(rows[0].note, Catch::Contains("tie with W"));
        CHECK(rows[1].parent == "W");  // 2/3 of D: no tie
        CHECK(!rows[1].ambiguous);
        CHECK(rows[1].note.empty());
    }
}

TEST_CASE("numbers: two towns of one name are refused, naming both lines", "[numbers][ties]") {
    const std::string dir = temp_dir("numbers-towns");
    const std::string towns = write_file(dir + "/towns.csv", "name,lon,lat\nGuildford,-0.5704,51.2362\n"
                                                             "Godalming,-0.6123,51.1856\nGuildford,-0.5,51.2\n");
    CHECK_THROWS_WITH(read_places(towns, ""), Catch::Contains("two places are named 'Guildford' (lines 2 and 4)"));
    std::string output;
    CHECK(run_cli("footprints '" + source_path("shapefiles/lsoa_2011.gpkg") + "' --method seeded --seeds '" + towns +
                      "' -o '" + dir + "/f.csv'",
                  output) == 2);
    CHECK_THAT(output, Catch::Contains("towns.csv', line 4 (code Guildford)"));
}

TEST_CASE("numbers: the matrix labels two layers of one name apart", "[numbers][matrix]") {
    const Layer first = grid_2x2();
    Layer second = halves();
    second.name = "grid";
    Layer third = halves();
    third.name = "grid (2)";  // a layer whose own name is the label the second would get
    const Matrix matrix = coterminosity_matrix({&first, &second, &third}, MatrixOptions{});
    CHECK(matrix.layers == std::vector<std::string>{"grid", "grid (3)", "grid (2)"});
}
