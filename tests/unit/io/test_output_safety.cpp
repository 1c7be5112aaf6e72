// Output safety: writers replace their target only when complete, a
// GeoPackage keeps the layers a writer does not write, and check_outputs
// refuses, before any work, outputs that would destroy an input or each other.
// tests/io/kill_during_write.sh kills a writer mid-write.
#include "io_helpers.hpp"
#include "support.hpp"

#include "placedef/cancel.hpp"
#include "placedef/error.hpp"
#include "placedef/io.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <utility>

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using namespace placedef;
using placedef::test::error_message;

namespace fs = std::filesystem;

namespace {

/// Every file of `dir` with its bytes: what "left as it was" is checked against.
std::map<std::string, std::string> snapshot(const std::string& dir) {
    std::map<std::string, std::string> files;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir))
        files[entry.path().filename().string()] = test::read_text(entry.path().string());
    return files;
}

std::vector<std::string> names_in(const std::string& dir) {
    std::vector<std::string> names;
    for (const auto& [name, bytes] : snapshot(dir)) names.push_back(name);
    return names;
}

void write_text(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    REQUIRE(out.good());
}

std::size_t feature_count(const std::string& address) {
    ProblemSink problems;
    return read_layer(LayerAddress::parse(address), ReadOptions{}, problems).size();
}

std::vector<std::string> sorted_layers(const std::string& path) {
    std::vector<std::string> layers = list_layers(path);
    std::sort(layers.begin(), layers.end());
    return layers;
}

/// The rows of a GeoPackage's layer_styles table as (layer, QML), sorted;
/// read with ogr2ogr so that the check does not go through the writer's own code.
std::vector<std::pair<std::string, std::string>> styles_in(const std::string& gpkg) {
    const std::string csv = gpkg + ".styles.csv";
    const std::string command = "ogr2ogr -f CSV '" + csv + "' '" + gpkg +
                                "' layer_styles -select f_table_name,styleQML > /dev/null 2>&1";
    REQUIRE(std::system(command.c_str()) == 0);
    const Table table = read_table(csv, "f_table_name", KeyRule::repeated);
    fs::remove(csv);
    const std::size_t qml = table.column_index("styleQML").value();
    std::vector<std::pair<std::string, std::string>> rows;
    for (std::size_t i = 0; i < table.size(); ++i) rows.emplace_back(table.keys[i], table.rows[i][qml]);
    std::sort(rows.begin(), rows.end());
    return rows;
}

bool have_ogr2ogr() {
    if (std::system("command -v ogr2ogr > /dev/null 2>&1") == 0) return true;
    WARN("SKIPPED: ogr2ogr (gdal-bin) not found; the README set-up command installs it");
    return false;
}

void write_styled_layer(VectorWriter& writer, const std::string& layer, int count, const std::string& qml) {
    test::add_square_layer(writer, layer, "EPSG:27700", count);
    writer.set_style(layer, qml);
}

}  // namespace

TEST_CASE("CsvWriter writes beside its target and replaces it only in close()", "[output][csv]") {
    const std::string dir = test::temp_dir("csv-staged");
    const std::string path = dir + "/out.csv";
    write_text(path, "old\n");
    CsvWriter csv(path);
    csv.header({"a", "b"});
    csv.cell("1").cell("2");
    csv.end_row();
    CHECK(test::read_text(path) == "old\n");
    const std::vector<std::string> names = names_in(dir);
    REQUIRE(names.size() == 2);
    CHECK_THAT(names[0], StartsWith(".out.tmp-" + std::to_string(::getpid()) + "-"));
    CHECK(fs::path(names[0]).extension() == ".csv");
    csv.close();
    CHECK(test::read_text(path) == "a,b\n1,2\n");
    CHECK(names_in(dir) == std::vector<std::string>{"out.csv"});
}

TEST_CASE("CsvWriter left without close() leaves the target as it was", "[output][csv]") {
    const std::string dir = test::temp_dir("csv-abandoned");
    const std::string path = dir + "/out.csv";
    const bool existed = GENERATE(true, false);
    if (existed) write_text(path, "old\n");
    const auto before = snapshot(dir);
    try {
        CsvWriter csv(path);
        csv.header({"a"});
        csv.cell("partial");
        csv.end_row();
        throw std::runtime_error("the run failed");
    } catch (const std::runtime_error&) {
    }
    CHECK(snapshot(dir) == before);
}

TEST_CASE("FileWriter (maps, the report) replaces its target only in close()", "[output][file]") {
    const std::string dir = test::temp_dir("file-staged");
    const std::string path = dir + "/report.html";
    write_text(path, "the previous good report\n");
    const auto before = snapshot(dir);
    try {
        FileWriter out(path);
        out.stream() << "<html>half a report";
        CHECK(test::read_text(path) == "the previous good report\n");
        throw std::runtime_error("the run failed");
    } catch (const std::runtime_error&) {
    }
    CHECK(snapshot(dir) == before);
    FileWriter out(path);
    out.stream() << "<html>the new report</html>";
    out.close();
    CHECK(test::read_text(path) == "<html>the new report</html>");
    CHECK(names_in(dir) == std::vector<std::string>{"report.html"});
    CHECK_THROWS_AS(out.stream(), output_error);  // nothing after close()
}

TEST_CASE("CsvWriter writes standard output directly", "[output][csv]") {
    std::ostringstream captured;
    std::streambuf* const original = std::cout.rdbuf(captured.rdbuf());
    try {
        CsvWriter csv("-");
        csv.header({"a"});
        csv.cell("1");
        CHECK(captured.str() == "a\n");  // as it goes, not at close()
        csv.close();
    } catch (...) {
        std::cout.rdbuf(original);
        throw;
    }
    std::cout.rdbuf(original);
    CHECK(captured.str() == "a\n1\n");
    CHECK_FALSE(fs::exists("-"));
}

TEST_CASE("Single-layer formats are replaced whole, and only by close()", "[output][vector]") {
    const std::string name = GENERATE(as<std::string>{}, "out.shp", "out.geojson", "out.fgb");
    const std::string dir = test::temp_dir("single-layer");
    const std::string path = dir + "/" + name;
    test::write_square_layer(path, "EPSG:27700", 5);
    // An index of the old Shapefile: kept with it, removed with it.
    if (name == "out.shp") write_text(dir + "/out.qix", "stale index");
    const auto before = snapshot(dir);

    SECTION("a writer that fails leaves every file as it was") {
        try {
            VectorWriter writer(path);
            test::add_square_layer(writer, "squares", "EPSG:27700", 2);
            throw std::runtime_error("the run failed");
        } catch (const std::runtime_error&) {
        }
        CHECK(snapshot(dir) == before);
    }
    SECTION("close() puts the new output in place") {
        test::write_square_layer(path, "EPSG:27700", 2);
        CHECK(feature_count(path + "@SQCD") == 2);
        for (const std::string& file : names_in(dir)) {
            CHECK_THAT(file, StartsWith("out."));
            CHECK(file != "out.qix");
        }
    }
}

TEST_CASE("A GeoPackage keeps the layers and styles that a writer does not write", "[output][vector][qgis]") {
    if (!have_ogr2ogr()) return;
    const std::string dir = test::temp_dir("gpkg-keep");
    const std::string path = dir + "/out.gpkg";
    {
        VectorWriter writer(path);
        write_styled_layer(writer, "keep", 3, "<qgis>keep</qgis>");
        write_styled_layer(writer, "squares", 5, "<qgis>old</qgis>");
        writer.begin_table("notes", {{"NOTE", FieldType::text}});
        writer.add({std::string("kept")});
        writer.close();
    }
    SECTION("a layer written again replaces the old one and its style") {
        VectorWriter writer(path);
        write_styled_layer(writer, "squares", 2, "<qgis>new</qgis>");
        writer.close();
        CHECK(sorted_layers(path) == std::vector<std::string>{"keep", "layer_styles", "notes", "squares"});
        CHECK(feature_count(path + ":keep") == 3);
        CHECK(feature_count(path + ":squares") == 2);
        CHECK(styles_in(path) == std::vector<std::pair<std::string, std::string>>{{"keep", "<qgis>keep</qgis>"},
                                                                                  {"squares", "<qgis>new</qgis>"}});
    }
    SECTION("names are matched as GeoPackage matches them, ignoring case; the old style goes with the layer") {
        VectorWriter writer(path);
        test::add_square_layer(writer, "SQUARES", "EPSG:27700", 1);
        writer.close();
        CHECK(sorted_layers(path) == std::vector<std::string>{"SQUARES", "keep", "layer_styles", "notes"});
        CHECK(feature_count(path + ":SQUARES") == 1);
        CHECK(styles_in(path) == std::vector<std::pair<std::string, std::string>>{{"keep", "<qgis>keep</qgis>"}});
    }
    SECTION("new layers are added") {
        test::write_square_layer(path, "EPSG:27700", 4, "added");
        CHECK(sorted_layers(path) == std::vector<std::string>{"added", "keep", "layer_styles", "notes", "squares"});
        CHECK(feature_count(path + ":added") == 4);
        CHECK(feature_count(path + ":squares") == 5);
        CHECK(styles_in(path).size() == 2);
    }
}

TEST_CASE("A GeoPackage writer that fails leaves the file as it was", "[output][vector]") {
    const std::string dir = test::temp_dir("gpkg-fail");
    const std::string path = dir + "/out.gpkg";
    test::write_square_layer(path, "EPSG:27700", 5, "squares");
    test::write_square_layer(path, "EPSG:27700", 3, "other");
    const auto before = snapshot(dir);

    SECTION("close() fails") {
        VectorWriter writer(path);
        test::add_square_layer(writer, "squares", "EPSG:27700", 1);
        writer.set_style("other", "<qgis/>");  // a kept layer, not written by this writer
        CHECK_THAT(error_message<output_error>([&] { writer.close(); }),
                   Contains("'other'") && Contains("not written") && Contains(path));
        CHECK(snapshot(dir) == before);
        CHECK_NOTHROW(writer.close());  // nothing left to do
        CHECK(snapshot(dir) == before);
    }
    SECTION("the writer is dropped without close()") {
        {
            VectorWriter writer(path);
            test::add_square_layer(writer, "squares", "EPSG:27700", 1);
            test::add_square_layer(writer, "more", "EPSG:27700", 1);
        }
        CHECK(snapshot(dir) == before);
    }
}

TEST_CASE("A writer stops when the run is cancelled and leaves the folder as it was", "[output][cancel]") {
    const std::string dir = test::temp_dir("cancelled-writers");
    write_text(dir + "/out.csv", "old\n");
    test::write_square_layer(dir + "/out.gpkg", "EPSG:27700", 5, "squares");
    const auto before = snapshot(dir);
    CancelToken token;
    const CancelScope scope(token);
    SECTION("CSV") {
        CsvWriter csv(dir + "/out.csv");
        for (int row = 0; row < 100; ++row) csv.cell(row).end_row();
        token.request();  // as Ctrl-C does, between two rows
        CHECK_THROWS_AS([&] {
            for (int row = 0; row < 10000; ++row) csv.cell(row).end_row();
        }(), cancelled);
    }
    SECTION("GeoPackage") {
        VectorWriter writer(dir + "/out.gpkg");
        test::add_square_layer(writer, "squares", "EPSG:27700", 10);
        token.request();
        CHECK_THROWS_AS(test::add_square_layer(writer, "more", "EPSG:27700", 1000), cancelled);
    }
    CHECK(snapshot(dir) == before);
}

TEST_CASE("A file named .gpkg that is not a GeoPackage is refused, not replaced", "[output][vector]") {
    const std::string dir = test::temp_dir("not-gpkg");
    const std::string path = dir + "/out.gpkg";
    write_text(path, "my notes, not a GeoPackage\n");
    CHECK_THAT(error_message<output_error>([&] { VectorWriter writer(path); }),
               Contains(path) && Contains("not a GeoPackage") && !Contains(".tmp-"));
    CHECK(names_in(dir) == std::vector<std::string>{"out.gpkg"});
    CHECK(test::read_text(path) == "my notes, not a GeoPackage\n");

    write_text(path, "");  // an empty file holds no layers to keep
    test::write_square_layer(path, "EPSG:27700", 2);
    CHECK(list_layers(path) == std::vector<std::string>{"squares"});
}

TEST_CASE("Writers replace the file a symbolic link points to, not the link", "[output]") {
    const std::string dir = test::temp_dir("symlink");
    fs::create_directory(dir + "/real");
    write_text(dir + "/real/out.csv", "old\n");
    fs::create_symlink("real/out.csv", dir + "/link.csv");
    CsvWriter csv(dir + "/link.csv");
    csv.header({"new"});
    csv.close();
    CHECK(fs::is_symlink(dir + "/link.csv"));
    CHECK(test::read_text(dir + "/real/out.csv") == "new\n");
    CHECK(names_in(dir + "/real") == std::vector<std::string>{"out.csv"});
}

TEST_CASE("Writer errors name the path given, not the temporary file", "[output][vector]") {
    const std::string path = test::temp_dir("temp-name") + "/no/such/dir/out.gpkg";
    CHECK_THAT(error_message<output_error>([&] { VectorWriter writer(path); }),
               Contains(path) && !Contains(".tmp-"));
    const std::string folder = test::temp_dir("folder-target") + "/out.gpkg";
    fs::create_directory(folder);
    CHECK_THAT(error_message<output_error>([&] { VectorWriter writer(folder); }),
               Contains(folder) && Contains("is a folder"));
    CHECK_THAT(error_message<output_error>([&] { CsvWriter csv(folder + "/"); }),
               Contains(folder) && Contains("is a folder"));
    CHECK(names_in(folder).empty());
}

TEST_CASE("check_outputs refuses an output that is an input", "[output][check]") {
    const std::string dir = test::temp_dir("check-inputs");
    const std::string gpkg = dir + "/in.gpkg";
    test::write_square_layer(gpkg, "EPSG:27700", 2, "wards");
    test::write_square_layer(gpkg, "EPSG:27700", 2, "lsoa");
    const std::string table = dir + "/pop.csv";
    write_text(table, "code,pop\nS1,5\n");
    const std::vector<std::string> inputs{gpkg + ":wards@SQCD", table};

    SECTION("distinct files pass, and the check leaves nothing behind") {
        const auto before = snapshot(dir);
        CHECK_NOTHROW(check_outputs(inputs, {{dir + "/out.gpkg", {}}, {dir + "/out.csv", {}}}));
        CHECK_NOTHROW(check_outputs(inputs, {{"-", {}}, {"-", {}}, {"PG:dbname=study", {"wards"}}}));
        CHECK(snapshot(dir) == before);
    }
    SECTION("the same file, however it is spelt") {
        fs::create_directory(dir + "/sub");
        fs::create_symlink("../pop.csv", dir + "/sub/link.csv");
        fs::create_hard_link(table, dir + "/hard.csv");
        for (const std::string& spelling : {table, dir + "/sub/../pop.csv", dir + "/./pop.csv", dir + "/sub/link.csv",
                                            dir + "/hard.csv"})
            CHECK_THAT(error_message<output_error>([&] { check_outputs(inputs, {{spelling, {}}}); }),
                       Contains(spelling) && Contains("is also the input '" + table + "'"));
    }
    SECTION("a GeoPackage input takes new layers but not its own") {
        CHECK_NOTHROW(check_outputs(inputs, {{gpkg, {"pieces"}}}));
        CHECK_NOTHROW(check_outputs(inputs, {{gpkg, {"lsoa"}}}));  // in the file, but not read
        for (const char* layer : {"wards", "WARDS"})
            CHECK_THAT(error_message<output_error>([&] { check_outputs(inputs, {{gpkg, {"pieces", layer}}}); }),
                       Contains("would overwrite input layer '" + std::string(layer) + "' of '" + gpkg + "'"));
        CHECK_THAT(error_message<output_error>([&] { check_outputs(inputs, {{gpkg, {}}}); }),
                   Contains("is also the input"));
    }
    SECTION("an input that names no layer may be any of its layers") {
        CHECK_NOTHROW(check_outputs({gpkg}, {{gpkg, {"pieces"}}}));
        CHECK_THAT(error_message<output_error>([&] { check_outputs({gpkg}, {{gpkg, {"lsoa"}}}); }),
                   Contains("would overwrite input layer 'lsoa'"));
    }
}

TEST_CASE("check_outputs refuses two outputs to one file", "[output][check]") {
    const std::string dir = test::temp_dir("check-outputs");
    const std::string csv = dir + "/result.csv", gpkg = dir + "/out.gpkg";
    CHECK_THAT(error_message<output_error>([&] { check_outputs({}, {{csv, {}}, {dir + "/./result.csv", {}}}); }),
               Contains("is given as an output twice") && Contains("(also as '" + csv + "')"));
    CHECK_NOTHROW(check_outputs({}, {{gpkg, {"pieces"}}, {gpkg, {"footprints", "membership"}}}));
    CHECK_THAT(error_message<output_error>([&] { check_outputs({}, {{gpkg, {"pieces"}}, {gpkg, {"Pieces"}}}); }),
               Contains(gpkg) && Contains("layer 'Pieces' would be written twice"));
    CHECK_THAT(error_message<output_error>([&] { check_outputs({}, {{gpkg, {"pieces"}}, {gpkg, {}}}); }),
               Contains("is given as an output twice"));
    CHECK(names_in(dir).empty());
}

TEST_CASE("check_outputs refuses an output that cannot be written", "[output][check]") {
    const std::string dir = test::temp_dir("check-folders");
    const std::string missing = dir + "/none/out.csv";
    CHECK_THAT(error_message<output_error>([&] { check_outputs({}, {{missing, {}}}); }),
               Contains(missing) && Contains("folder '" + dir + "/none' does not exist"));
    CHECK_THAT(error_message<output_error>([&] { check_outputs({}, {{dir, {}}}); }),
               Contains(dir) && Contains("is a folder"));
    write_text(dir + "/file", "");
    CHECK_THAT(error_message<output_error>([&] { check_outputs({}, {{dir + "/file/out.csv", {}}}); }),
               Contains("'" + dir + "/file' is not a folder"));
    // /sys takes no new files, even from root (a chmod'ed folder would not stop root).
    if (fs::is_directory("/sys"))
        CHECK_THAT(error_message<output_error>([&] { check_outputs({}, {{"/sys/out.csv", {}}}); }),
                   Contains("/sys/out.csv") && Contains("folder '/sys' does not accept new files"));
    CHECK(names_in(dir) == std::vector<std::string>{"file"});
}
