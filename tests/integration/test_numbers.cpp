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

#include <fstream>
#include <limits>

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
