#include "io_helpers.hpp"
#include "support.hpp"

#include "placedef/error.hpp"
#include "placedef/io.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <thread>

using Catch::Matchers::Contains;
using namespace placedef;
using placedef::test::error_message;

namespace {

std::string data(const std::string& name) { return test::source_path("tests/data/" + name); }

Layer read(const std::string& address, ReadOptions options = {}) {
    ProblemSink problems;
    return read_layer(LayerAddress::parse(address), options, problems);
}

Layer read(const std::string& address, InvalidPolicy policy, ProblemSink& problems) {
    ReadOptions options;
    options.invalid = policy;
    return read_layer(LayerAddress::parse(address), options, problems);
}

std::vector<std::string> codes(const Layer& layer) {
    std::vector<std::string> out;
    for (const Feature& feature : layer.features) out.push_back(feature.code);
    return out;
}

double distance(const Coord& a, const Coord& b) { return std::hypot(a.x - b.x, a.y - b.y); }

/// Checks that `message` names each of `parts`.
void check_names(const std::string& message, const std::vector<std::string>& parts) {
    INFO(message);
    for (const std::string& part : parts) CHECK_THAT(message, Contains(part));
}

/// A copy of `original` cut to half its size must fail as io_error naming the file.
void check_truncated_copy_fails(const std::string& original) {
    namespace fs = std::filesystem;
    const std::string copy = test::temp_dir("truncated") + "/truncated.gpkg";
    fs::copy_file(original, copy);
    fs::permissions(copy, fs::perms::owner_write, fs::perm_options::add);
    fs::resize_file(copy, fs::file_size(copy) / 2);
    const std::string message = error_message<io_error>([&] { read(copy); });
    check_names(message, {"truncated.gpkg"});
    CHECK_THAT(message, Contains("cannot be opened") || Contains("reading stopped"));
}

}  // namespace

TEST_CASE("a GeoJSON in EPSG:4326 is reprojected to metres in EPSG:27700", "[io][read_layer]") {
    const Layer layer = read(data("squares_4326.geojson"));
    CHECK(layer.name == "squares");
    CHECK(layer.source == data("squares_4326.geojson"));
    CHECK(layer.source_crs == "EPSG:4326");
    CHECK(layer.crs == "EPSG:27700");
    CHECK(layer.kind == LayerKind::polygon);
    CHECK(layer.code_column == "SQCD");
    CHECK(layer.code_column_guessed);
    CHECK(layer.features_read == 4);
    REQUIRE(codes(layer) == std::vector<std::string>{"SQ1", "SQ2", "SQ3", "SQ4"});
    CHECK(layer.attribute_names == std::vector<std::string>{"SQCD", "NAME"});
    CHECK(layer.features[0].attributes == std::vector<std::string>{"SQ1", "square 1"});
    CHECK(layer.features[0].fid == 1);

    for (const Feature& feature : layer.features) {
        REQUIRE(feature.shape.polygons.size() == 1);
        const Ring& ring = feature.shape.polygons[0].outer;
        REQUIRE(ring.size() == 4);  // open: the closing vertex is dropped
        for (const Coord& c : ring) {
            CHECK(c.x > 531000);  // (-0.1, 51.5) is near E 532000, N 179600
            CHECK(c.x < 533000);
            CHECK(c.y > 179000);
            CHECK(c.y < 181000);
        }
        // 0.0005 degrees: about 34.6 m east-west and 55.6 m north-south at 51.5 N.
        CHECK(distance(ring[0], ring[1]) == Approx(34.6).margin(0.5));
        CHECK(distance(ring[1], ring[2]) == Approx(55.6).margin(0.5));
    }
    const Box extent = layer.extent();
    // Grid north differs from true north by about 1.5 degrees here, so the
    // squares are slightly turned and the extent a little larger.
    CHECK(extent.width() == Approx(2 * 34.6).margin(5));
    CHECK(extent.height() == Approx(2 * 55.6).margin(5));
}

TEST_CASE("a layer already in the study CRS keeps its coordinates exactly", "[io][read_layer]") {
    const std::string path = test::temp_dir("same-crs") + "/squares.gpkg";
    test::write_square_layer(path, "EPSG:27700", 3);
    const Layer layer = read(path);
    CHECK(layer.source_crs == "EPSG:27700");
    REQUIRE(layer.size() == 3);
    const Ring& ring = layer.features[2].shape.polygons[0].outer;
    REQUIRE(ring.size() == 4);
    CHECK(ring[0] == Coord{500200.0, 150000.0});
    CHECK(ring[2] == Coord{500300.0, 150100.0});
    CHECK(layer.features[2].attributes == std::vector<std::string>{"S3", "20", "1"});
}

TEST_CASE("curves are linearised, Z is dropped and holes are kept", "[io][read_layer]") {
    ReadOptions options;
    options.assume_crs = "EPSG:27700";
    ProblemSink problems;
    const Layer layer = read_layer(LayerAddress::parse(data("curve_and_z.csv")), options, problems);
    REQUIRE(codes(layer) == std::vector<std::string>{"C1", "Z1", "H1"});
    // The circle's linearisation is said, with its step and both areas.
    REQUIRE(problems.count() == 1);
    const Problem& note = problems.problems()[0];
    CHECK(note.kind == ProblemKind::curve_linearised);
    CHECK(note.where.code == "C1");
    // pi 50^2 as a circle; 360 triangles of 50^2 sin(1 degree) / 2 as a polygon.
    check_names(note.detail, {"a Curve Polygon made of straight segments of at most 1 degree(s) of arc",
                              "area 7853.98", "m2 as curves, 7853.58", "m2 after (-0.005"});

    const Ring& circle = layer.features[0].shape.polygons.at(0).outer;
    CHECK(circle.size() > 16);
    for (const Coord& c : circle) CHECK(distance(c, Coord{500050, 150000}) == Approx(50).margin(0.01));

    const Ring& flat = layer.features[1].shape.polygons.at(0).outer;
    CHECK(flat == Ring{{500000, 150000}, {500010, 150000}, {500010, 150010}, {500000, 150010}});

    const Polygon& with_hole = layer.features[2].shape.polygons.at(0);
    CHECK(with_hole.outer.size() == 4);
    REQUIRE(with_hole.holes.size() == 1);
    CHECK(with_hole.holes[0] == Ring{{500022, 150002}, {500022, 150004}, {500024, 150004}, {500024, 150002}});
}

TEST_CASE("real LSOA 2021 layer: 1310 features, LSOA21CD guessed", "[io][read_layer][uk]") {
    PDEF_REQUIRE_UK_DATA();
    ProblemSink problems;
    const Layer layer = read(test::uk_data_path("lsoa_2021_bgc.gpkg"), InvalidPolicy::repair, problems);
    CHECK(layer.name == "lsoa_2021_bgc");
    CHECK(layer.size() == 1310);
    CHECK(layer.features_read == 1310);
    CHECK(layer.code_column == "LSOA21CD");
    CHECK(layer.code_column_guessed);
    CHECK(layer.source_crs == "EPSG:27700");
    CHECK(problems.count() == 0);
    CHECK(layer.find(layer.features[100].code) == std::optional<std::size_t>(100));
    for (const Feature& feature : layer.features) CHECK(feature.code.rfind("E01", 0) == 0);
    const Box extent = layer.extent();
    CHECK(extent.minx == Approx(465266.188837));
    CHECK(extent.maxy == Approx(180403.335505));
}

TEST_CASE("names come from the column given, or the code column's NM twin, or 'name'", "[io][read_layer][names]") {
    ProblemSink problems;
    const std::string ward = test::source_path("shapefiles/ward_2025.gpkg");
    const Layer guessed = read_layer(LayerAddress::parse(ward + "@WD25CD"), ReadOptions{}, problems);
    CHECK(guessed.label_column == "WD25NM");
    CHECK(guessed.label_column_guessed);
    const std::optional<std::size_t> ash = guessed.find("E05014944");
    REQUIRE(ash);
    CHECK(guessed.features[*ash].name == "Ash South");
    for (const Feature& feature : guessed.features) CHECK_FALSE(feature.name.empty());

    const Layer given = read_layer(LayerAddress::parse(ward + "@WD25CD,LAD25NM"), ReadOptions{}, problems);
    CHECK(given.label_column == "LAD25NM");
    CHECK_FALSE(given.label_column_guessed);
    CHECK((given.features[*ash].name == "Guildford"));

    // A name column given but absent: refused, naming the file and the column.
    CHECK_THROWS_WITH(read_layer(LayerAddress::parse(ward + "@WD25CD,NOPE"), ReadOptions{}, problems),
                      Catch::Contains("no column 'NOPE' to take the names from") && Catch::Contains("ward_2025.gpkg"));

    // 'name' when the code column has no twin (the corpus squares: SQCD, NAME).
    const Layer squares = read_layer(LayerAddress::parse(data("bad/squares.geojson@SQCD")), ReadOptions{}, problems);
    CHECK(squares.label_column == "NAME");
    CHECK(squares.features.front().name == "square 1");
    CHECK(problems.count() == 0);
}

TEST_CASE("real ward 2019 layer: WD19CD guessed because LAD20CD repeats", "[io][read_layer][uk]") {
    PDEF_REQUIRE_UK_DATA();
    const Layer layer = read(test::uk_data_path("ward_2019_bgc.gpkg"));
    CHECK(layer.size() == 325);
    CHECK(layer.code_column == "WD19CD");
    CHECK(layer.code_column_guessed);
    CHECK(layer.attribute_index("lad20cd") == layer.attribute_index("LAD20CD"));
}

TEST_CASE("real GP practices as a point layer: null geometries are reported", "[io][read_layer][uk]") {
    PDEF_REQUIRE_UK_DATA();
    const std::string path = test::uk_data_path("gp_practices_pcn_2022.gpkg");
    ReadOptions options;
    options.expect = LayerKind::point;
    ProblemSink problems;
    const Layer layer = read_layer(LayerAddress::parse(path + "@PRACTICE_CODE"), options, problems);
    CHECK(layer.kind == LayerKind::point);
    CHECK(layer.features_read == 349);
    CHECK(layer.size() == 346);
    CHECK_FALSE(layer.code_column_guessed);
    REQUIRE(problems.count(ProblemKind::null_geometry) == 3);
    const Problem& first = problems.problems().front();
    CHECK(first.action == ProblemAction::skipped);
    CHECK(first.where.file == path);
    CHECK(first.where.layer == "gp_practices_pcn_2022");
    CHECK(first.where.fid.has_value());
    CHECK_FALSE(first.where.code.empty());
    CHECK(first.where.field == "geom");
}

TEST_CASE("a point layer where polygons are needed is refused", "[io][read_layer]") {
    SECTION("declared Point (GeoPackage)") {
        const std::string path = test::temp_dir("points") + "/practices.gpkg";
        {
            VectorWriter writer(path);
            writer.begin_layer("practices", "EPSG:27700", LayerKind::point, {{"PRACCD", FieldType::text}});
            writer.add(Coord{500000, 150000}, {std::string("P1")});
            writer.close();
        }
        const std::string message = error_message<invalid_input>([&] { read(path); });
        check_names(message, {path, "layer 'practices'", "holds points; a polygon layer is needed"});
    }
    SECTION("undeclared, every feature a point (GeoJSON)") {
        const std::string message = error_message<invalid_input>([&] { read(data("bad/points.geojson")); });
        check_names(message, {"points.geojson", "layer 'points'", "holds points; a polygon layer is needed"});
    }
    SECTION("real GP practices (sample)") {
        const std::string message = error_message<invalid_input>(
            [&] { read(test::source_path("shapefiles/gp_practices.gpkg") + "@PRACTICE_CODE"); });
        check_names(message, {"gp_practices.gpkg", "holds points; a polygon layer is needed"});
    }
}

TEST_CASE("a polygon layer where points are needed is refused", "[io][read_layer]") {
    ReadOptions options;
    options.expect = LayerKind::point;
    const std::string message = error_message<invalid_input>([&] { read(data("squares_4326.geojson"), options); });
    check_names(message, {"squares_4326.geojson", "layer 'squares'", "holds polygons; a point layer is needed"});
}

TEST_CASE("points: a MultiPoint of one point is a point, of two a wrong type", "[io][read_layer]") {
    ReadOptions options;
    options.expect = LayerKind::point;
    ProblemSink problems;
    const Layer layer = read_layer(LayerAddress::parse(data("bad/points.geojson")), options, problems);
    CHECK(layer.kind == LayerKind::point);
    REQUIRE(codes(layer) == std::vector<std::string>{"P1", "P2", "P3"});
    CHECK(layer.features[2].point.y - layer.features[0].point.y == Approx(55.6).margin(0.5));
    REQUIRE(problems.count() == 1);
    const Problem& problem = problems.problems()[0];
    CHECK(problem.kind == ProblemKind::wrong_geometry_type);
    CHECK(problem.action == ProblemAction::skipped);
    CHECK(problem.where.fid == 4);
    CHECK(problem.where.code == "P4");
    CHECK_THAT(problem.detail, Contains("MultiPoint of 2 points"));
}

TEST_CASE("a truncated GeoPackage is an io_error naming the file", "[io][read_layer]") {
    SECTION("written here") {
        const std::string path = test::temp_dir("to-truncate") + "/many.gpkg";
        test::write_square_layer(path, "EPSG:27700", 2000);
        check_truncated_copy_fails(path);
    }
    SECTION("real LSOA layer (sample)") {
        check_truncated_copy_fails(test::source_path("shapefiles/lsoa_2021.gpkg"));
    }
}

TEST_CASE("a missing file is an io_error naming it", "[io][read_layer]") {
    const std::string path = test::temp_dir("missing") + "/nothing_here.gpkg";
    check_names(error_message<io_error>([&] { read(path); }), {path, "cannot be opened"});
    check_names(error_message<io_error>([&] { list_layers(path); }), {path});
}

TEST_CASE("a connection string's password never reaches a message or Layer::source", "[io][read_layer]") {
    // Port 1 on this machine refuses at once, so no server is needed.
    const std::string connection = GENERATE(
        as<std::string>{}, "PG:dbname=nowhere host=localhost port=1 password=hunter2",
        "PG:dbname=nowhere password='hunter 2' host=localhost port=1", "PG:postgresql://me:hunter2@localhost:1/nowhere",
        "PG:postgresql://me@localhost:1/nowhere?password=hunter2&sslmode=disable");
    const std::string message = error_message<io_error>([&] { read(connection); });
    CHECK_THAT(message, Contains("nowhere") && Contains("cannot be opened"));
    CHECK_THAT(message, !Contains("hunter"));
}

TEST_CASE("a layer with no CRS is refused unless a CRS is assumed", "[io][read_layer]") {
    const std::string dir = test::temp_dir("no-crs");
    const std::string path = GENERATE_COPY(dir + "/no_crs.shp", dir + "/no_crs.gpkg");
    test::write_square_layer(path, "", 2, "no_crs");
    const std::string message = error_message<invalid_input>([&] { read(path); });
    check_names(message, {path, "layer 'no_crs'", "has no CRS", "--assume-crs EPSG:"});

    ReadOptions options;
    options.assume_crs = "EPSG:27700";
    const Layer layer = read(path, options);
    CHECK(layer.source_crs == "EPSG:27700");
    REQUIRE(layer.size() == 2);
    CHECK(layer.features[1].shape.polygons[0].outer[0] == Coord{500100.0, 150000.0});

    options.assume_crs = "EPSG:999999";
    check_names(error_message<invalid_input>([&] { read(path, options); }), {path, "EPSG:999999"});
}

TEST_CASE("the study CRS must be projected in metres", "[io][read_layer]") {
    ReadOptions options;
    options.study_crs = "EPSG:4326";
    CHECK_THAT(error_message<invalid_input>([&] { read(data("squares_4326.geojson"), options); }),
               Contains("EPSG:4326") && Contains("geographic"));
    options.study_crs = "EPSG:2263";  // New York, US survey feet
    CHECK_THAT(error_message<invalid_input>([&] { read(data("squares_4326.geojson"), options); }),
               Contains("EPSG:2263") && Contains("metres"));
    options.study_crs = "not a crs";
    CHECK_THAT(error_message<invalid_input>([&] { read(data("squares_4326.geojson"), options); }),
               Contains("not a crs"));
    options.study_crs = "EPSG:32630";  // UTM 30N is fine
    CHECK(read(data("squares_4326.geojson"), options).crs == "EPSG:32630");
}

TEST_CASE("an empty geometry is skipped and reported, or fails the read", "[io][read_layer]") {
    const std::string path = data("bad/empty_geometry.geojson");
    ProblemSink problems;
    const Layer layer = read(path, InvalidPolicy::repair, problems);
    CHECK(codes(layer) == std::vector<std::string>{"SQ1", "SQ3"});
    CHECK(layer.features_read == 3);
    REQUIRE(problems.count() == 1);
    const Problem& problem = problems.problems()[0];
    CHECK(problem.kind == ProblemKind::empty_geometry);
    CHECK(problem.action == ProblemAction::skipped);
    CHECK(problem.where.file == path);
    CHECK(problem.where.layer == "empty_geometry");
    CHECK(problem.where.fid == 2);
    CHECK(problem.where.code == "SQ2");
    check_names(problem.describe(), {"empty_geometry.geojson", "feature 2 (code SQ2)", "empty_geometry (skipped)"});

    ProblemSink failing;
    const std::string message = error_message<invalid_input>([&] { read(path, InvalidPolicy::fail, failing); });
    check_names(message, {path, "layer 'empty_geometry'", "feature 2 (code SQ2)", "empty"});
    CHECK(failing.count(ProblemKind::empty_geometry) == 1);
}

TEST_CASE("a null geometry is skipped and reported, or fails the read", "[io][read_layer]") {
    const std::string path = data("bad/null_geometry.geojson");
    ProblemSink problems;
    const Layer layer = read(path, InvalidPolicy::skip, problems);
    CHECK(codes(layer) == std::vector<std::string>{"SQ1", "SQ3"});
    REQUIRE(problems.count(ProblemKind::null_geometry) == 1);
    const Problem& problem = problems.problems()[0];
    CHECK(problem.action == ProblemAction::skipped);
    CHECK(problem.where.fid == 2);
    CHECK(problem.where.code == "SQ2");

    ProblemSink failing;
    const std::string message = error_message<invalid_input>([&] { read(path, InvalidPolicy::fail, failing); });
    check_names(message, {path, "layer 'null_geometry'", "feature 2 (code SQ2)", "no geometry"});
}

TEST_CASE("wrong geometry types and empty codes follow the policy", "[io][read_layer]") {
    // SQCD is named: with an empty code in it, it would not be guessed.
    const std::string path = data("bad/mixed_geometry.geojson") + "@SQCD";
    SECTION("repair keeps the polygons of a collection and names empty codes") {
        ProblemSink problems;
        const Layer layer = read(path, InvalidPolicy::repair, problems);
        CHECK(codes(layer) == std::vector<std::string>{"SQ1", "SQ3", "mixed_geometry#4", "SQ5"});
        CHECK(layer.features[1].shape.polygons.size() == 1);
        REQUIRE(problems.count() == 3);
        const auto& list = problems.problems();
        CHECK(list[0].kind == ProblemKind::wrong_geometry_type);
        CHECK(list[0].action == ProblemAction::skipped);
        CHECK(list[0].where.fid == 2);
        CHECK(list[0].where.code == "SQ2");
        CHECK_THAT(list[0].detail, Contains("Line String"));
        CHECK(list[1].kind == ProblemKind::wrong_geometry_type);
        CHECK(list[1].action == ProblemAction::repaired);
        CHECK(list[1].where.fid == 3);
        CHECK(list[2].kind == ProblemKind::empty_code);
        CHECK(list[2].action == ProblemAction::repaired);
        CHECK(list[2].where.fid == 4);
        CHECK(list[2].where.field == "SQCD");
    }
    SECTION("skip leaves them all out") {
        ProblemSink problems;
        const Layer layer = read(path, InvalidPolicy::skip, problems);
        CHECK(codes(layer) == std::vector<std::string>{"SQ1", "SQ5"});
        CHECK(problems.tally()[{ProblemKind::wrong_geometry_type, ProblemAction::skipped}] == 2);
        CHECK(problems.tally()[{ProblemKind::empty_code, ProblemAction::skipped}] == 1);
    }
    SECTION("fail stops at the first") {
        ProblemSink problems;
        const std::string message = error_message<invalid_input>([&] { read(path, InvalidPolicy::fail, problems); });
        check_names(message, {data("bad/mixed_geometry.geojson"), "layer 'mixed_geometry'", "feature 2 (code SQ2)",
                              "Line String"});
    }
}

TEST_CASE("an empty code is replaced, skipped or fails the read", "[io][read_layer]") {
    const std::string path = test::temp_dir("empty-code") + "/codes.gpkg";
    {
        VectorWriter writer(path);
        writer.begin_layer("codes", "EPSG:27700", LayerKind::polygon, {{"SQCD", FieldType::text}});
        writer.add(test::square(500000, 150000, 1), {std::string("A")});
        writer.add(test::square(500001, 150000, 1), {std::monostate{}});
        writer.add(test::square(500002, 150000, 1), {std::string(" ")});
        writer.close();
    }
    ProblemSink repaired;
    CHECK(codes(read(path + "@SQCD", InvalidPolicy::repair, repaired)) ==
          std::vector<std::string>{"A", "codes#2", "codes#3"});
    CHECK(repaired.count(ProblemKind::empty_code) == 2);
    CHECK_THAT(repaired.problems()[0].detail, Contains("codes#2"));

    ProblemSink skipped;
    CHECK(codes(read(path + "@SQCD", InvalidPolicy::skip, skipped)) == std::vector<std::string>{"A"});

    ProblemSink failed;
    const std::string message =
        error_message<invalid_input>([&] { read(path + "@SQCD", InvalidPolicy::fail, failed); });
    check_names(message, {path, "layer 'codes'", "feature 2", "field 'SQCD'", "code is empty"});
    REQUIRE(failed.count() == 1);
    CHECK(failed.problems()[0].action == ProblemAction::failed);
}

TEST_CASE("a code made for a unit without one never takes a real unit's code", "[io][read_layer]") {
    const std::string path = test::temp_dir("generated-code") + "/codes.gpkg";
    {
        VectorWriter writer(path);
        writer.begin_layer("codes", "EPSG:27700", LayerKind::polygon, {{"SQCD", FieldType::text}});
        writer.add(test::square(500000, 150000, 1), {std::string("codes#3")});  // a real unit named like a made code
        writer.add(test::square(500001, 150000, 1), {std::string("codes#2#2")});
        writer.add(test::square(500002, 150000, 1), {std::monostate{}});          // fid 3: would become codes#3
        writer.add(test::square(500003, 150000, 1), {std::string("codes#2")});
        writer.close();
    }
    ProblemSink problems;
    const std::vector<std::string> made = codes(read(path + "@SQCD", InvalidPolicy::repair, problems));
    CHECK(made == std::vector<std::string>{"codes#3", "codes#2#2", "codes#3#2", "codes#2"});
    CHECK(problems.count(ProblemKind::duplicate_code) == 0);  // nothing merged: every unit kept whole
    REQUIRE(problems.count(ProblemKind::empty_code) == 1);
    CHECK_THAT(problems.problems()[0].detail, Contains("codes#3#2"));
}

TEST_CASE("a missing code column is refused, naming the field and the columns", "[io][read_layer]") {
    const std::string path = data("bad/no_code_column.geojson");
    SECTION("given but absent") {
        const std::string message = error_message<invalid_input>([&] { read(path + "@SQCD"); });
        check_names(message, {path, "layer 'no_code_column'", "field 'SQCD'", "'NAME', 'ID'"});
    }
    SECTION("nothing to guess from") {
        const std::string message = error_message<invalid_input>([&] { read(path); });
        check_names(message, {path, "layer 'no_code_column'", "'CD'", "'NAME', 'ID'", path + "@COLUMN"});
    }
}

TEST_CASE("several candidate code columns need a choice", "[io][read_layer]") {
    const std::string path = data("bad/ambiguous_code.geojson");
    const std::string message = error_message<invalid_input>([&] { read(path); });
    check_names(message, {path, "several columns", "'ACD', 'BCD'", path + "@ACD"});
    CHECK_THAT(message, !Contains("'PARENTCD'"));

    const Layer layer = read(path + "@bcd");  // case does not matter
    CHECK(layer.code_column == "BCD");
    CHECK_FALSE(layer.code_column_guessed);
    CHECK(codes(layer) == std::vector<std::string>{"B1", "B2"});
}

TEST_CASE("a guess explains why each CD column was turned down", "[io][read_layer]") {
    const std::string path = test::temp_dir("no-unique") + "/parents.gpkg";
    {
        VectorWriter writer(path);
        writer.begin_layer("parents", "EPSG:27700", LayerKind::polygon, {{"LADCD", FieldType::text}});
        writer.add(test::square(500000, 150000, 1), {std::string("E07000207")});
        writer.add(test::square(500001, 150000, 1), {std::string("E07000207")});
        writer.close();
    }
    check_names(error_message<invalid_input>([&] { read(path); }),
                {path, "LADCD: 'E07000207' at features 1 and 2", "write the code column after '@'"});
}

TEST_CASE("the layer must be named when a dataset has several", "[io][read_layer]") {
    const std::string path = test::temp_dir("layers") + "/two.gpkg";
    {
        VectorWriter writer(path);
        test::add_square_layer(writer, "first", "EPSG:27700", 2);
        test::add_square_layer(writer, "second", "EPSG:27700", 3);
        writer.close();
    }
    CHECK(list_layers(path) == std::vector<std::string>{"first", "second"});
    check_names(error_message<invalid_input>([&] { read(path); }), {path, "'first', 'second'", "path:LAYER"});
    check_names(error_message<invalid_input>([&] { read(path + ":third"); }),
                {path, "no layer 'third'", "'first', 'second'"});
    const Layer second = read(path + ":second");
    CHECK(second.name == "second");
    CHECK(second.size() == 3);
    CHECK(second.label() == "second (two.gpkg)");
}

TEST_CASE("an attribute table next to one layer does not need naming", "[io][read_layer]") {
    const std::string path = test::temp_dir("layer-and-table") + "/styled.gpkg";
    {
        VectorWriter writer(path);
        test::add_square_layer(writer, "areas", "EPSG:27700", 2);
        writer.begin_table("notes", {{"text", FieldType::text}});
        writer.add({std::string("hello")});
        writer.close();
    }
    CHECK(read(path).name == "areas");
    check_names(error_message<invalid_input>([&] { read(path + ":notes"); }),
                {path, "layer 'notes'", "no geometry; a polygon layer is needed"});
}

TEST_CASE("two threads can read different datasets at once", "[io][read_layer]") {
    const std::string gpkg = test::temp_dir("threads") + "/squares.gpkg";
    test::write_square_layer(gpkg, "EPSG:27700", 50);
    const Layer expected_geojson = read(data("squares_4326.geojson"));
    const Layer expected_gpkg = read(gpkg);

    bool geojson_same = true;
    bool gpkg_same = true;
    auto repeat = [](const std::string& path, const Layer& expected, bool& same) {
        for (int i = 0; i < 20; ++i) {
            const Layer layer = read(path);
            same = same && layer.size() == expected.size() &&
                   layer.features.back().shape.polygons[0].outer == expected.features.back().shape.polygons[0].outer;
        }
    };
    std::thread first(repeat, data("squares_4326.geojson"), std::cref(expected_geojson), std::ref(geojson_same));
    std::thread second(repeat, gpkg, std::cref(expected_gpkg), std::ref(gpkg_same));
    first.join();
    second.join();
    CHECK(geojson_same);
    CHECK(gpkg_same);
}

// The reporting types every reader uses: locations, errors and the problem sink.

TEST_CASE("Location::describe names what is known, and error keeps the bare reason", "[io][problems]") {
    Location where;
    CHECK(where.describe().empty());
    where.file = "a.gpkg";
    where.layer = "lsoa";
    where.fid = 12;
    where.code = "E01000001";
    where.field = "LSOA11CD";
    CHECK(where.describe() == "file 'a.gpkg', layer 'lsoa', feature 12 (code E01000001), field 'LSOA11CD'");

    Location table_row;
    table_row.file = "pop.csv";
    table_row.fid = 7;
    CHECK(table_row.describe() == "file 'pop.csv', line 7");

    const invalid_input located("bad value", where);
    CHECK(std::string(located.what()) == where.describe() + ": bad value");
    CHECK(located.reason() == "bad value");
    CHECK(located.where().fid == 12);
    const io_error bare("no location");
    CHECK(std::string(bare.what()) == "no location");
}

TEST_CASE("ProblemSink counts, tallies and tells its listener", "[io][problems]") {
    ProblemSink sink;
    std::vector<std::string> heard;
    sink.set_listener([&](const Problem& problem) { heard.push_back(problem.describe()); });
    CHECK(sink.summary() == "no problems");
    Location where;
    where.file = "a.gpkg";
    sink.report({ProblemKind::invalid_geometry, ProblemAction::repaired, where, "ring self-intersection"});
    sink.report({ProblemKind::invalid_geometry, ProblemAction::repaired, where, ""});
    sink.report({ProblemKind::null_geometry, ProblemAction::skipped, where, ""});
    CHECK(sink.count() == 3);
    CHECK(sink.count(ProblemKind::invalid_geometry) == 2);
    CHECK(sink.count(ProblemKind::duplicate_code) == 0);
    CHECK(sink.summary() == "2 invalid_geometry repaired, 1 null_geometry skipped");
    REQUIRE(heard.size() == 3);
    CHECK(heard[0] == "file 'a.gpkg': invalid_geometry (repaired): ring self-intersection");
}

TEST_CASE("invalid_policy_from_string accepts the three words only", "[io][problems]") {
    CHECK(invalid_policy_from_string("repair") == InvalidPolicy::repair);
    CHECK(invalid_policy_from_string("skip") == InvalidPolicy::skip);
    CHECK(invalid_policy_from_string("FAIL") == InvalidPolicy::fail);
    CHECK(std::string(to_string(InvalidPolicy::skip)) == "skip");
    check_names(error_message<invalid_input>([] { invalid_policy_from_string("fix"); }),
                {"'fix'", "repair, skip, fail"});
}

TEST_CASE("Layer::find, attribute_index and label", "[io][layer]") {
    Layer layer = read(data("squares_4326.geojson"));
    CHECK(layer.find("SQ3") == std::optional<std::size_t>(2));
    CHECK_FALSE(layer.find("SQ9").has_value());
    CHECK(layer.attribute_index("NAME") == std::optional<std::size_t>(1));
    CHECK(layer.attribute_index("name") == std::optional<std::size_t>(1));
    CHECK_FALSE(layer.attribute_index("AREA").has_value());
    CHECK(layer.label() == "squares (squares_4326.geojson)");

    // Features edited after a look-up: the index notices.
    std::swap(layer.features[0], layer.features[2]);
    CHECK(layer.find("SQ3") == std::optional<std::size_t>(0));
    CHECK(layer.find("SQ1") == std::optional<std::size_t>(2));
}

TEST_CASE("a corrupt geometry blob skips that feature alone, naming it", "[io][read_layer]") {
    namespace fs = std::filesystem;
    const std::string path = test::temp_dir("corrupt-blob") + "/corrupt.gpkg";
    test::write_square_layer(path, "EPSG:27700", 3);
    // The geometry blobs of the three rows start with "GP", version 0, flags,
    // and srs_id 27700 (little-endian); SQLite keeps a small table's rows in
    // one page, so the middle blob is feature 2's. Its WKB type is overwritten
    // in place, which leaves the SQLite file itself valid.
    std::string bytes;
    {
        std::ifstream in(path, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    const std::string srs("\x34\x6c\x00\x00", 4);
    std::vector<std::size_t> blobs;
    for (std::size_t at = bytes.find(std::string("GP\0", 3)); at != std::string::npos;
         at = bytes.find(std::string("GP\0", 3), at + 1))
        if (bytes.compare(at + 4, 4, srs) == 0) blobs.push_back(at);
    REQUIRE(blobs.size() == 3);
    const std::size_t flags = static_cast<unsigned char>(bytes[blobs[1] + 3]);
    const std::size_t envelope_doubles[] = {0, 4, 6, 6, 8, 0, 0, 0};
    const std::size_t wkb = blobs[1] + 8 + 8 * envelope_doubles[(flags >> 1) & 7];
    bytes.replace(wkb + 1, 4, "\x7f\x7f\x7f\x7f");
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << bytes;
    }

    ProblemSink problems;
    const Layer layer = read(path + "@SQCD", InvalidPolicy::repair, problems);
    CHECK(codes(layer) == std::vector<std::string>{"S1", "S3"});
    CHECK(layer.features_read == 3);
    REQUIRE(problems.count() == 1);
    const Problem& problem = problems.problems()[0];
    CHECK(problem.kind == ProblemKind::corrupt_geometry);
    CHECK(problem.action == ProblemAction::skipped);
    CHECK(problem.where.fid == 2);
    CHECK(problem.where.code == "S2");
    check_names(problem.describe(), {"corrupt.gpkg", "layer 'squares'", "feature 2", "the geometry cannot be read"});

    ProblemSink failed;
    check_names(error_message<invalid_input>([&] { read(path + "@SQCD", InvalidPolicy::fail, failed); }),
                {"corrupt.gpkg", "feature 2 (code S2)", "the geometry cannot be read"});
}

namespace {
/// A GeoJSON of one polygon per ring, codes C1, C2, ...; `crs` its 'crs' member's name, or none.
std::string write_geojson(const std::string& name, const std::string& crs, const std::vector<std::string>& rings) {
    const std::string path = test::temp_dir("crs-area") + "/" + name;
    std::ofstream out(path);
    out << "{\"type\":\"FeatureCollection\",";
    if (!crs.empty()) out << "\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"" << crs << "\"}},";
    out << "\"features\":[";
    for (std::size_t i = 0; i < rings.size(); ++i)
        out << (i ? "," : "") << "{\"type\":\"Feature\",\"properties\":{\"CODE\":\"C" << i + 1
            << "\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[" << rings[i] << "]}}";
    out << "]}";
    return path;
}

const std::string guildford_ring = "[[500000,150000],[500100,150000],[500100,150100],[500000,150000]]";
}  // namespace

TEST_CASE("a GeoJSON 'crs' that names an unknown CRS is refused, naming it", "[io][read_layer][crs]") {
    for (const char* crs : {"urn:ogc:def:crs:EPSG::99999", "EPSG:FOO"}) {
        const std::string path = write_geojson("unknown.geojson", crs, {guildford_ring});
        check_names(error_message<invalid_input>([&] { read(path + "@CODE"); }),
                    {path, "its 'crs' member names " + std::string(crs), "cannot be read"});
    }
    // A known one, and none (RFC 7946: EPSG:4326), are read.
    CHECK(read(write_geojson("known.geojson", "urn:ogc:def:crs:EPSG::27700", {guildford_ring}) + "@CODE").size() == 1);
    CHECK(read(write_geojson("none.geojson", "", {"[[-0.57,51.23],[-0.56,51.23],[-0.56,51.24],[-0.57,51.23]]"}) +
               "@CODE").size() == 1);
}

TEST_CASE("coordinates outside their CRS's area of use are reported", "[io][read_layer][crs]") {
    auto outside = [](const std::string& path, std::string& detail, std::optional<std::int64_t>& fid) {
        ProblemSink problems;
        read(path + "@CODE", InvalidPolicy::repair, problems);
        std::size_t count = 0;
        for (const Problem& problem : problems.problems())
            if (problem.kind == ProblemKind::outside_crs_area) {
                ++count;
                detail = problem.detail;
                fid = problem.where.fid;
                CHECK(problem.action == ProblemAction::kept);
            }
        return count;
    };
    std::string detail;
    std::optional<std::int64_t> fid;
    SECTION("longitude and latitude declared as EPSG:27700") {
        const std::string path = write_geojson("lonlat.geojson", "urn:ogc:def:crs:EPSG::27700",
                                               {"[[-0.57,51.23],[-0.56,51.23],[-0.56,51.24],[-0.57,51.23]]"});
        REQUIRE(outside(path, detail, fid) == 1);
        CHECK_THAT(detail, Contains("look like longitude and latitude in degrees") && Contains("EPSG:27700"));
    }
    SECTION("a whole-world EPSG:4326 polygon brought to EPSG:27700") {
        const std::string path = write_geojson(
            "world.geojson", "", {"[[-0.57,51.23],[-0.56,51.23],[-0.56,51.24],[-0.57,51.23]]",
                                  "[[-180,-90],[180,-90],[180,90],[-180,90],[-180,-90]]"});
        REQUIRE(outside(path, detail, fid) == 1);
        CHECK(fid == std::optional<std::int64_t>(1));  // GeoJSON fids count from 0
        CHECK_THAT(detail, Contains("outside the area of use of EPSG:27700") && Contains("longitude -180 to 180"));
    }
    SECTION("a Fiji polygon, in Fiji's own map grid numbers, declared as EPSG:27700") {
        const std::string path = write_geojson(
            "fiji.geojson", "urn:ogc:def:crs:EPSG::27700",
            {guildford_ring, "[[1870000,3860000],[1880000,3860000],[1880000,3870000],[1870000,3860000]]"});
        ProblemSink problems;
        CHECK_THROWS_WITH(read(path + "@CODE", InvalidPolicy::repair, problems), Contains("distorts area"));
        REQUIRE(problems.count(ProblemKind::outside_crs_area) == 1);
        CHECK(problems.problems()[0].where.code == "C2");
    }
    SECTION("a Fiji polygon in EPSG:4326 with the study CRS EPSG:27700") {
        const std::string path =
            write_geojson("fiji_4326.geojson", "", {"[[178.0,-18.0],[178.1,-18.0],[178.1,-17.9],[178.0,-18.0]]"});
        ProblemSink problems;
        try {
            read(path + "@CODE", InvalidPolicy::repair, problems);
        } catch (const invalid_input&) {
            // refused for its area distortion, or not transformable: reported first either way
        }
        CHECK(problems.count(ProblemKind::outside_crs_area) == 1);
    }
    SECTION("real coordinates in their CRS are not reported") {
        CHECK(outside(write_geojson("fine.geojson", "urn:ogc:def:crs:EPSG::27700", {guildford_ring}), detail, fid) ==
              0);
        ProblemSink problems;
        read(data("squares_4326.geojson") + "@SQCD", InvalidPolicy::repair, problems);
        CHECK(problems.count(ProblemKind::outside_crs_area) == 0);
    }
}

TEST_CASE("an empty file and a directory are named as such", "[io][read_layer]") {
    const std::string dir = test::temp_dir("not-a-layer");
    const std::string empty = dir + "/empty.gpkg";
    std::ofstream(empty).close();
    check_names(error_message<io_error>([&] { read(empty); }), {empty, "the file is empty (0 bytes)"});
    const std::string folder = dir + "/folder.gpkg";
    std::filesystem::create_directory(folder);
    check_names(error_message<io_error>([&] { read(folder); }), {folder, "is a directory"});
}
