// Runs every geometry case in tests/cases/*.case: WKT in, the overlay area
// out, checked against the written answer, with the inputs swapped, and
// against GEOS's intersection polygon; and as one-unit layers through
// overlay(), whose table area must match the piece it writes to GeoPackage.
#include "hand_layers.hpp"
#include "support.hpp"

#include "placedef/geometry.hpp"
#include "placedef/overlay.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

namespace fs = std::filesystem;
using namespace placedef;
using placedef::test::source_path;

namespace {

std::map<std::string, std::string> read_case(const fs::path& path) {
    std::map<std::string, std::string> fields;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        fields[line.substr(0, colon)] = line.substr(line.find_first_not_of(' ', colon + 1));
    }
    return fields;
}

}  // namespace

TEST_CASE("geometry cases in tests/cases", "[overlay][cases]") {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(source_path("tests/cases")))
        if (entry.path().extension() == ".case") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 15);
    for (const fs::path& file : files) {
        const auto fields = read_case(file);
        INFO("case " << file.filename().string());
        REQUIRE(fields.count("a"));
        REQUIRE(fields.count("b"));
        REQUIRE(fields.count("area"));
        const MultiPolygon a = multipolygon_from_wkt(fields.at("a"));
        const MultiPolygon b = multipolygon_from_wkt(fields.at("b"));
        const double expected = std::stod(fields.at("area"));
        const double tolerance = fields.count("tolerance") ? std::stod(fields.at("tolerance")) : 1e-9;
        const double margin = tolerance * std::max(1.0, expected);
        CHECK(intersection_area(a, b) == Approx(expected).margin(margin));
        CHECK(intersection_area(b, a) == Approx(expected).margin(margin));
        CHECK(area(intersection(a, b)) == Approx(expected).margin(margin));

        // The table and the map agree: a row's area is its piece's area.
        OverlayOptions options;
        options.with_geometry = true;
        const IntersectionTable table = overlay(test::hand_layer("a", {{"A", fields.at("a")}}),
                                                test::hand_layer("b", {{"B", fields.at("b")}}), options);
        const double table_area = table.rows.empty() ? 0.0 : table.rows.front().area_m2;
        CHECK(table.rows.size() <= 1);
        CHECK(table_area == Approx(expected).margin(margin));
        for (const IntersectionRow& row : table.rows) CHECK(area(row.piece) == Approx(row.area_m2).margin(margin));
    }
}
