#include "io_helpers.hpp"
#include "support.hpp"

#include "placedef/error.hpp"
#include "placedef/io.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

using Catch::Matchers::Contains;
using namespace placedef;
using placedef::test::error_message;

namespace {

Layer read_back(const std::string& address, LayerKind expect = LayerKind::polygon) {
    ReadOptions options;
    options.expect = expect;
    ProblemSink problems;
    return read_layer(LayerAddress::parse(address), options, problems);
}

Ring sorted(Ring ring) {
    std::sort(ring.begin(), ring.end(),
              [](const Coord& a, const Coord& b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
    return ring;
}

}  // namespace

TEST_CASE("format_number writes the shortest text that reads back the same", "[io][csv]") {
    CHECK(format_number(0.1) == "0.1");
    CHECK(format_number(120) == "120");
    CHECK(format_number(123456789012.0) == "123456789012");
    CHECK(format_number(1e21) == "1e+21");
    CHECK(format_number(-2.5) == "-2.5");
    CHECK(format_number(-0.0) == "0");
    for (double value : {1.0 / 3.0, 2.0 / 3.0 * 1e-9, 531234.56789012, 0.995, std::nextafter(1.0, 2.0)})
        CHECK(parse_number(format_number(value)) == value);
    CHECK(format_number(std::numeric_limits<double>::quiet_NaN()).empty());
    CHECK(format_number(std::numeric_limits<double>::infinity()).empty());
    CHECK(format_number(-std::numeric_limits<double>::infinity()).empty());
}

TEST_CASE("CsvWriter quotes what needs quoting and reads back", "[io][csv]") {
    const std::string path = test::temp_dir("csv") + "/out.csv";
    CsvWriter csv(path);
    csv.header({"code", "note", "area_m2", "count"});
    csv.cell("E1").cell("plain").cell(1.0 / 3.0).cell(std::int64_t{7});
    csv.end_row();
    csv.cell("E2").cell("a, \"b\"\nc").cell(std::numeric_limits<double>::quiet_NaN()).cell(std::size_t{8});
    csv.end_row();
    csv.cell("E3").cell(" padded ").cell(2.5).cell(-1);
    csv.close();
    csv.close();  // a second close does nothing

    CHECK(test::read_text(path) ==
          "code,note,area_m2,count\n"
          "E1,plain,0.3333333333333333,7\n"
          "E2,\"a, \"\"b\"\"\nc\",,8\n"
          "E3,\" padded \",2.5,-1\n");
    const Table table = read_table(path);
    CHECK(table.rows[1][1] == "a, \"b\"\nc");
    CHECK(table.number(0, 2) == 1.0 / 3.0);
}

TEST_CASE("CsvWriter refuses a path it cannot write", "[io][csv]") {
    const std::string path = test::temp_dir("csv-bad") + "/no/such/dir/out.csv";
    const std::string message = error_message<output_error>([&] { CsvWriter csv(path); });
    CHECK_THAT(message, Contains(path) && Contains("cannot be opened for writing"));
}

TEST_CASE("VectorWriter writes a GeoPackage with several layers", "[io][vector]") {
    const std::string path = test::temp_dir("gpkg") + "/out.gpkg";
    {
        VectorWriter writer(path);
        writer.begin_layer("areas", "EPSG:27700", LayerKind::polygon,
                           {{"AREACD", FieldType::text}, {"COUNT", FieldType::integer}, {"SHARE", FieldType::real}});
        MultiPolygon with_hole = test::square(0, 0, 10);
        with_hole.polygons[0].holes.push_back(Ring{{2, 2}, {2, 4}, {4, 4}, {4, 2}});
        writer.add(with_hole, {std::string("A1"), std::int64_t{42}, 0.25});
        writer.add(test::square(10, 0, 10), {std::string("A2"), std::monostate{}, std::nan("")});
        writer.begin_layer("sites", "EPSG:27700", LayerKind::point, {{"SITECD", FieldType::text}});
        writer.add(Coord{5, 5}, {std::string("P1")});
        writer.begin_table("notes", {{"NOTE", FieldType::text}});
        writer.add({std::string("hello")});
        writer.close();
    }
    CHECK(list_layers(path) == std::vector<std::string>{"areas", "sites", "notes"});

    const Layer areas = read_back(path + ":areas");
    REQUIRE(areas.size() == 2);
    CHECK(areas.source_crs == "EPSG:27700");
    const Polygon& first = areas.features[0].shape.polygons.at(0);
    CHECK(first.outer == test::square(0, 0, 10).polygons[0].outer);  // closed on write, open on read
    REQUIRE(first.holes.size() == 1);
    CHECK(first.holes[0] == Ring{{2, 2}, {2, 4}, {4, 4}, {4, 2}});
    CHECK(areas.features[0].attributes == std::vector<std::string>{"A1", "42", "0.25"});
    CHECK(areas.features[1].attributes == std::vector<std::string>{"A2", "", ""});  // NULL, and NaN as NULL

    const Layer sites = read_back(path + ":sites", LayerKind::point);
    REQUIRE(sites.size() == 1);
    CHECK(sites.features[0].point == Coord{5, 5});
}

TEST_CASE("VectorWriter replaces a single-layer file, and only its own layers of a GeoPackage", "[io][vector]") {
    const std::string dir = test::temp_dir("replace");
    const std::string path = dir + "/out.geojson";
    test::write_square_layer(path, "EPSG:27700", 5, "old");
    test::write_square_layer(path, "EPSG:27700", 2, "new");
    CHECK(list_layers(path) == std::vector<std::string>{"new"});
    CHECK(read_back(path).size() == 2);

    // A GeoPackage gathers layers; test_output_safety.cpp has the details.
    const std::string gpkg = dir + "/out.gpkg";
    test::write_square_layer(gpkg, "EPSG:27700", 5, "old");
    test::write_square_layer(gpkg, "EPSG:27700", 2, "new");
    test::write_square_layer(gpkg, "EPSG:27700", 3, "new");
    CHECK(list_layers(gpkg) == std::vector<std::string>{"old", "new"});
    CHECK(read_back(gpkg + ":old").size() == 5);
    CHECK(read_back(gpkg + ":new").size() == 3);
}

TEST_CASE("VectorWriter picks the driver from the extension", "[io][vector]") {
    const std::string dir = test::temp_dir("drivers");
    const std::string name = GENERATE(as<std::string>{}, "out.shp", "out.geojson", "out.json", "out.fgb");
    const std::string path = dir + "/" + name;
    test::write_square_layer(path, "EPSG:27700", 3);
    const Layer layer = read_back(path + "@SQCD");
    REQUIRE(layer.size() == 3);
    CHECK(layer.source_crs == "EPSG:27700");
    // FlatGeobuf reorders features along its spatial index: look them up by code.
    const auto third = layer.find("S3");
    REQUIRE(third);
    const Feature& feature = layer.features[*third];
    CHECK(feature.attributes[1] == "20");
    CHECK(parse_number(feature.attributes[2]) == 1.0);  // shapefiles print "1.000000000000000"
    // Shapefiles turn outer rings clockwise, so compare the vertices, not their order.
    CHECK(sorted(feature.shape.polygons[0].outer) == sorted(test::square(500200, 150000, 100).polygons[0].outer));
}

TEST_CASE("GeoJSON output keeps the field types", "[io][vector]") {
    const std::string path = test::temp_dir("geojson-types") + "/out.geojson";
    test::write_square_layer(path, "EPSG:27700", 2);
    const std::string text = test::read_text(path);
    CHECK_THAT(text, Contains("\"SQCD\": \"S2\"") && Contains("\"POP\": 10") && Contains("\"SHARE\": 0.5"));
}

TEST_CASE("VectorWriter errors name the path and the layer", "[io][vector]") {
    const std::string dir = test::temp_dir("vector-errors");
    CHECK_THAT(error_message<output_error>([&] { VectorWriter writer(dir + "/out.xyz"); }),
               Contains(dir + "/out.xyz") && Contains(".gpkg"));
    CHECK_THAT(error_message<output_error>([&] { VectorWriter writer(dir + "/no/such/dir/out.gpkg"); }),
               Contains(dir + "/no/such/dir/out.gpkg") && Contains("cannot be created"));

    VectorWriter writer(dir + "/out.gpkg");
    CHECK_THAT(error_message<output_error>([&] { writer.add({std::string("x")}); }),
               Contains("out.gpkg") && Contains("before begin_layer"));
    test::add_square_layer(writer, "areas", "EPSG:27700", 1);
    CHECK_THAT(error_message<output_error>([&] { writer.add(test::square(0, 0, 1), {std::string("only one")}); }),
               Contains("out.gpkg") && Contains("layer 'areas'") && Contains("1 values for 3 fields"));
    CHECK_THAT(error_message<output_error>([&] {
                   writer.add(Coord{0, 0}, {std::monostate{}, std::monostate{}, std::monostate{}});
               }),
               Contains("layer 'areas'") && Contains("point"));
    CHECK_THAT(error_message<output_error>([&] { test::add_square_layer(writer, "areas", "EPSG:27700", 1); }),
               Contains("out.gpkg") && Contains("layer 'areas'") && Contains("cannot create the layer"));
    CHECK_THAT(error_message<output_error>([&] { writer.begin_layer("other", "EPSG:nope", LayerKind::point, {}); }),
               Contains("layer 'other'") && Contains("EPSG:nope"));
}
