// The command line's options (issue 16): every numeric option of every command
// is read by one strict parser. A count never takes "-1" (wrapped to
// 18446744073709551615 before), a seed never "1e23" (clamped), a share never
// "nan": each is refused with exit code 1, naming the option and the range.
#include "support.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using Catch::Matchers::Contains;
using namespace placedef;

namespace {

const std::vector<std::string> commands = {"info",       "overlay", "align", "bestfit", "matrix", "pcn",
                                           "footprints", "map",     "study"};

struct NumericOption {
    std::string command, name, type;  ///< type: UINT, INT or FLOAT
};

/// The numeric options each --help lists, and the global ones.
std::vector<NumericOption> numeric_options() {
    std::vector<NumericOption> options;
    const std::regex line(R"(^\s+(?:-\w,)?(--[\w-]+) (UINT|INT|FLOAT)\b)");
    for (const std::string& command : commands) {
        std::string help;
        REQUIRE(test::run_cli(command + " --help", help) == 0);
        std::istringstream in(help);
        for (std::string text; std::getline(in, text);) {
            std::smatch match;
            if (std::regex_search(text, match, line)) options.push_back({command, match[1], match[2]});
        }
    }
    std::string help;
    REQUIRE(test::run_cli("--help", help) == 0);
    std::istringstream in(help);
    for (std::string text; std::getline(in, text);) {
        std::smatch match;
        if (std::regex_search(text, match, line)) options.push_back({"", match[1], match[2]});
    }
    return options;
}

}  // namespace

TEST_CASE("options: every numeric option refuses what is not a number in its range", "[cli][options]") {
    const std::vector<NumericOption> options = numeric_options();
    std::set<std::string> names;
    for (const NumericOption& option : options) names.insert(option.name);
    // The options the issue named, and at least one of each kind, are found.
    for (const char* name : {"--seed", "--k", "--width", "--threads", "--time-limit", "--tolerance", "--min-pop"})
        CHECK(names.count(name) == 1);
    const std::string layer = "'" + test::source_path("tests/data/bad/squares.geojson") + "@SQCD'";
    for (const NumericOption& option : options) {
        std::vector<std::string> bad = {"nan", "inf", "1e999", "0x10", "5m", "", "--"};
        if (option.type != "FLOAT") {
            bad.insert(bad.end(), {"-1", "1.5", "1e23", "18446744073709551616", "99999999999999999999999"});
        }
        for (const std::string& value : bad) {
            // Global options go before the command; a command's after its name.
            const std::string args = option.command.empty()
                                         ? option.name + " '" + value + "' info " + layer
                                         : option.command + " " + option.name + " '" + value + "' " + layer;
            std::string output;
            const int code = test::run_cli(args, 60, output);
            INFO("placedef " << args << "\n" << output);
            CHECK(code == 1);
            CHECK_THAT(output, Contains("error: "));
        }
    }
}

TEST_CASE("options: the issue's cases name the option and the range", "[cli][options]") {
    const std::string layer = "'" + test::source_path("tests/data/bad/squares.geojson") + "@SQCD'";
    std::string output;
    CHECK(test::run_cli("footprints " + layer + " --seed -1 -o x.csv", 60, output) == 1);
    CHECK_THAT(output, Contains("error: --seed: '-1' is not a whole number from 0 to 18446744073709551615"));
    CHECK(test::run_cli("footprints " + layer + " --seed 1e23 -o x.csv", 60, output) == 1);
    CHECK_THAT(output, Contains("error: --seed: '1e23' is not a whole number from 0 to 18446744073709551615"));
    CHECK(test::run_cli("footprints " + layer + " --k -1 -o x.csv", 60, output) == 1);
    CHECK_THAT(output, Contains("error: --k: '-1' is not a whole number from 0 to 18446744073709551615"));
    CHECK(test::run_cli("map " + layer + " --width 30001 -o x.svg", 60, output) == 1);
    CHECK_THAT(output, Contains("error: --width: '30001' is not a whole number from 16 to 30000"));
    CHECK(test::run_cli("align " + layer + " " + layer + " --tolerance 1.5 -o x.csv", 60, output) == 1);
    CHECK_THAT(output, Contains("error: --tolerance: '1.5' is not a finite number from 0.5 to 1"));
    CHECK(test::run_cli("--threads -1 info " + layer, 60, output) == 1);
    CHECK_THAT(output, Contains("error: --threads: '-1' is not a whole number from 0 to 4294967295"));

    // In range, the numbers work as documented: 0 is "not given" for --k, the largest seed is a seed.
    const std::string out = test::temp_dir("options");
    CHECK(test::run_cli("footprints " + layer + " --attr position --k 2 --seed 18446744073709551615 -o '" + out +
                            "/f.csv'",
                        60, output) == 0);
    CHECK(test::run_cli("--time-limit 1e3 info " + layer, 60, output) == 0);
}

// RLIMIT_AS and AddressSanitizer's terabytes of shadow memory do not mix.
#if defined(__SANITIZE_ADDRESS__)
#define PDEF_OPTIONS_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PDEF_OPTIONS_UNDER_ASAN 1
#endif
#endif

TEST_CASE("options: a map beyond the documented size is refused, a map out of memory is exit code 3",
          "[cli][options][limits]") {
    const std::string layer = "'" + test::source_path("tests/data/bad/squares.geojson") + "@SQCD'";
    const std::string out = test::temp_dir("map-size");
    std::string output;
    for (const char* size : {"--width 30000 --height 30000", "--width 10001 --height 10000"}) {
        INFO(size);
        CHECK(test::run_cli("map " + layer + " " + std::string(size) + " -o '" + out + "/big.png'", 60, output) == 1);
        CHECK_THAT(output, Contains("error: --width, --height: map size") && Contains("at most 100000000 pixels"));
        CHECK_FALSE(std::ifstream(out + "/big.png").good());
    }
#ifndef PDEF_OPTIONS_UNDER_ASAN
    // 10000 x 10000 is allowed; drawn in 300 MB of address space it runs out of memory: exit code 3, not 2.
    CHECK(test::run_cli("--memory-limit 300 map " + layer + " --width 10000 --height 10000 -o '" + out + "/big.png'", 120,
                        output) == 3);
    CHECK_THAT(output, Contains("error: memory limit of 300 MB reached while "));
#endif
}

TEST_CASE("options: -q prints nothing but the results, in every command", "[cli][options][quiet]") {
    const std::string squares = "'" + test::source_path("tests/data/bad/duplicate_codes.geojson") + "@SQCD'";
    const std::string lad = "'" + test::source_path("shapefiles/lad_2021.gpkg") + "'";  // code column guessed: a note
    const std::string practices = "'" + test::source_path("shapefiles/gp_practices.gpkg") + "@PRACTICE_CODE'";
    const std::string out = test::temp_dir("quiet");
    // Each would print notes, warnings (the duplicate code, a practice in no PCN) and a summary without -q.
    const std::vector<std::string> runs = {
        "overlay " + squares + " " + lad + " -o '" + out + "/overlay.csv'",
        "align " + squares + " " + lad + " -o '" + out + "/align.csv'",
        "bestfit " + squares + " " + lad + " -o '" + out + "/bestfit.csv'",
        "matrix " + squares + " " + lad + " -o '" + out + "/matrix.csv'",
        "pcn " + practices + " --clip " + lad + " --method voronoi -o '" + out + "/pcn.csv'",
        "footprints " + squares + " --attr position --k 2 -o '" + out + "/footprints.csv'",
        "map " + squares + " " + lad + " -o '" + out + "/map.svg'",
    };
    for (const std::string& args : runs) {
        std::string output;
        REQUIRE(test::run_cli(args, 120, output) == 0);
        INFO("placedef " << args);
        CHECK_FALSE(output.empty());  // the run does say something without -q
        CHECK(test::run_cli("-q " + args, 120, output) == 0);
        CHECK(output.empty());
        CHECK(test::run_cli(args + " -q", 120, output) == 0);  // after the command's name too
        CHECK(output.empty());
    }
    // info's description is its result: -q keeps it and drops the warnings.
    std::string output;
    CHECK(test::run_cli("-q info " + squares, 60, output) == 0);
    CHECK_THAT(output, Contains("features:    2 (4 read)") && !Contains("warning:") && !Contains("problems: 2"));
}

TEST_CASE("footprints without a population count blocks, not people; numbers in messages stay short",
          "[cli][options]") {
    const std::string squares = "'" + test::source_path("tests/data/bad/squares.geojson") + "@SQCD'";
    const std::string out = test::temp_dir("no-population");
    std::string output;
    REQUIRE(test::run_cli("footprints " + squares + " --attr position --k 2 -o '" + out + "/f.csv'", 60, output) == 0);
    CHECK_THAT(output, Contains("blocks per footprint 1 to 2 (no population given)") && !Contains("people") &&
                           !Contains("population per footprint"));
}
