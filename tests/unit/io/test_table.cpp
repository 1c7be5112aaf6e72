#include "io_helpers.hpp"
#include "support.hpp"

#include "placedef/error.hpp"
#include "placedef/io.hpp"
#include "placedef/table.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

using Catch::Matchers::Contains;
using namespace placedef;
using placedef::test::error_message;

namespace {

std::string data(const std::string& name) { return test::source_path("tests/data/" + name); }

std::string write_file(const std::string& name, const std::string& bytes) {
    const std::string path = test::temp_dir("table") + "/" + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
}

void check_names(const std::string& message, const std::vector<std::string>& parts) {
    INFO(message);
    for (const std::string& part : parts) CHECK_THAT(message, Contains(part));
}

/// A layer of the given codes, as read_layer would return it (no geometry needed here).
Layer layer_with_codes(const std::vector<std::string>& codes) {
    Layer layer;
    layer.name = "squares";
    layer.source = "squares.gpkg";
    for (std::size_t i = 0; i < codes.size(); ++i) {
        Feature feature;
        feature.fid = static_cast<std::int64_t>(i + 1);
        feature.code = codes[i];
        layer.features.push_back(feature);
    }
    return layer;
}

}  // namespace

TEST_CASE("parse_number accepts whole finite decimal numbers only", "[io][table]") {
    CHECK(parse_number("12") == 12.0);
    CHECK(parse_number(" 3.5 ") == 3.5);
    CHECK(parse_number("-2e3") == -2000.0);
    CHECK(parse_number("+4") == 4.0);
    CHECK(parse_number(".25") == 0.25);
    for (const char* bad : {"", "  ", "abc", "1,234", "12abc", "n/a", "nan", "NaN", "inf", "-inf", "1e999", "0x10",
                            "+-1", "--1", "1 2"}) {
        INFO("text: '" << bad << "'");
        CHECK_FALSE(parse_number(bad).has_value());
    }
}

TEST_CASE("a CSV table is read with its header, keys and lines", "[io][table]") {
    const std::string path = data("population.csv");
    const Table table = read_table(path, "code");
    CHECK(table.source == path);
    CHECK(table.key_column == "code");
    CHECK(table.columns == std::vector<std::string>{"code", "name", "population"});
    CHECK(table.keys == std::vector<std::string>{"SQ1", "SQ2", "SQ3", "SQ4"});
    CHECK(table.lines == std::vector<std::size_t>{2, 3, 4, 5});
    REQUIRE(table.row_of("SQ2") == std::optional<std::size_t>(1));
    CHECK(table.rows[1][1] == "square 2, north");
    CHECK(table.number(1, 2) == 80.5);
    CHECK(table.number(3, 2) == 1000.0);
    CHECK_FALSE(table.row_of("SQ9").has_value());
    CHECK(table.column_index("POPULATION") == std::optional<std::size_t>(2));
    CHECK(read_table(path).key_column == "code");  // first column by default
}

TEST_CASE("BOM, CRLF, quotes and blanks around cells are handled", "[io][table]") {
    const std::string path = write_file("excel.csv",
                                        "\xEF\xBB\xBF"
                                        "code , note ,value\r\n"
                                        " A1 ,\"has \"\"quotes\"\", a comma\r\nand a line break\", 7 \r\n"
                                        "\r\n"
                                        "B2,\"\",\"8\"\r\n");
    const Table table = read_table(path, "code");
    CHECK(table.columns == std::vector<std::string>{"code", "note", "value"});
    CHECK(table.keys == std::vector<std::string>{"A1", "B2"});
    CHECK(table.rows[0][1] == "has \"quotes\", a comma\r\nand a line break");
    CHECK(table.rows[1][1].empty());
    CHECK(table.number(0, 2) == 7.0);
    CHECK(table.lines == std::vector<std::size_t>{2, 5});
}

TEST_CASE("a missing key column is refused, listing the columns", "[io][table]") {
    const std::string path = data("bad/population_no_key.csv");
    const std::string message = error_message<invalid_input>([&] { read_table(path, "code"); });
    check_names(message, {path, "field 'code'", "'area', 'name', 'population'"});
}

TEST_CASE("a duplicate key names both lines", "[io][table]") {
    const std::string path = data("bad/population_duplicate_key.csv");
    const std::string message = error_message<invalid_input>([&] { read_table(path, "code"); });
    check_names(message, {path, "line 4", "SQ1", "first at line 2", "field 'code'"});
}

TEST_CASE("an empty key names its line", "[io][table]") {
    const std::string path = write_file("empty_key.csv", "code,value\nA,1\n  ,2\n");
    check_names(error_message<invalid_input>([&] { read_table(path); }), {path, "line 3", "key is empty"});
}

TEST_CASE("a row with the wrong number of cells names its line", "[io][table]") {
    const std::string path = data("bad/population_ragged.csv");
    check_names(error_message<invalid_input>([&] { read_table(path); }), {path, "line 3", "2 cells", "header has 3"});
}

TEST_CASE("broken quoting and unreadable files are reported", "[io][table]") {
    const std::string open_quote = write_file("open_quote.csv", "code,value\nA,\"1\nB,2\n");
    check_names(error_message<invalid_input>([&] { read_table(open_quote); }), {open_quote, "line 2", "never closed"});
    const std::string after_quote = write_file("after_quote.csv", "code,value\nA,\"1\"x\n");
    check_names(error_message<invalid_input>([&] { read_table(after_quote); }), {after_quote, "line 2"});
    const std::string repeated = write_file("repeated.csv", "code,value,value\nA,1,2\n");
    check_names(error_message<invalid_input>([&] { read_table(repeated); }), {repeated, "'value' twice"});
    const std::string empty = write_file("empty.csv", "");
    check_names(error_message<invalid_input>([&] { read_table(empty); }), {empty, "header"});
    const std::string missing = test::temp_dir("table-missing") + "/absent.csv";
    check_names(error_message<io_error>([&] { read_table(missing); }), {missing, "cannot be read"});
}

TEST_CASE("a non-numeric population names file, line, column and value", "[io][table]") {
    const std::string path = data("bad/population_non_numeric.csv");
    const Table table = read_table(path, "code");
    CHECK(table.number(0, 2) == 120.0);
    const std::string message = error_message<invalid_input>([&] { table.number(1, 2); });
    check_names(message, {path, "line 3 (code SQ2)", "field 'population'", "'n/a' is not a number"});

    ProblemSink problems;
    const Layer layer = layer_with_codes({"SQ1", "SQ2"});
    check_names(error_message<invalid_input>([&] { join_numeric(layer, table, "population", problems); }),
                {path, "line 3", "field 'population'", "'n/a'"});
}

TEST_CASE("join_numeric gives one value per feature and reports missing keys", "[io][table]") {
    const Table table = read_table(data("population.csv"), "code");
    const Layer layer = layer_with_codes({"SQ4", "SQ9", "SQ1"});
    ProblemSink problems;
    const std::vector<double> values = join_numeric(layer, table, "population", problems, -1.0);
    CHECK(values == std::vector<double>{1000.0, -1.0, 120.0});
    REQUIRE(problems.count() == 1);
    const Problem& problem = problems.problems()[0];
    CHECK(problem.kind == ProblemKind::missing_key);
    CHECK(problem.action == ProblemAction::kept);
    CHECK(problem.where.file == "squares.gpkg");
    CHECK(problem.where.layer == "squares");
    CHECK(problem.where.fid == 2);
    CHECK(problem.where.code == "SQ9");
    CHECK(problem.where.field == "population");
    CHECK_THAT(problem.detail, Contains("population.csv"));

    check_names(error_message<invalid_input>([&] { join_numeric(layer, table, "households", problems); }),
                {"population.csv", "field 'households'", "'code', 'name', 'population'"});
}

TEST_CASE("real population table: 1292 rows keyed on lsoa11_code", "[io][table][uk]") {
    PDEF_REQUIRE_UK_DATA();
    const Table table = read_table(test::uk_data_path("population_mid2019_lsoa11_syoa.csv"), "lsoa11_code");
    CHECK(table.size() == 1292);
    const auto total = table.column_index("total_population");
    REQUIRE(total);
    for (std::size_t row = 0; row < table.size(); ++row) CHECK(table.number(row, *total) > 0);
}

TEST_CASE("text cells that a spreadsheet would run as formulas are written guarded and read back exactly",
          "[io][table][text]") {
    const std::vector<std::string> texts = {"=1+2", "+SQ", "-SQ", "@SUM(A1)", "\tx", "'=x", "''@x", "'plain", "-12.5",
                                            "E01000001", "'"};
    const std::string path = test::temp_dir("table-guard") + "/guarded.csv";
    {
        CsvWriter writer(path);
        writer.header({"code", "value"});
        for (const std::string& text : texts) {
            writer.cell(text).cell(-1.5);  // numbers are written as they are
            writer.end_row();
        }
        writer.close();
    }
    std::ifstream in(path, std::ios::binary);
    const std::string written((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK_THAT(written, Contains("\n'=1+2,-1.5\n") && Contains("\n'+SQ,") && Contains("\n'-SQ,") &&
                            Contains("\n'@SUM(A1),") && Contains("\n'\tx,") && Contains("\n''=x,") &&
                            Contains("\n-12.5,") && Contains("\nE01000001,"));
    const Table table = read_table(path, "code");
    CHECK(table.keys == texts);
    for (const auto& row : table.rows) CHECK(row[1] == "-1.5");
}

TEST_CASE("a table delimited by ';', a tab or '|' is named as such", "[io][table]") {
    const std::pair<char, const char*> delimiters[] = {{';', "';' (semicolon)"}, {'\t', "a tab"}, {'|', "'|'"}};
    for (const auto& [delimiter, name] : delimiters) {
        const std::string d(1, delimiter);
        const std::string path = write_file("delimited.csv", "code" + d + "population\nA" + d + "1\n");
        check_names(error_message<invalid_input>([&] { read_table(path, "code"); }),
                    {path, "line 1", "looks delimited by " + std::string(name)});
        check_names(error_message<invalid_input>([&] { read_table_columns(path); }), {"looks delimited by"});
    }
    // One real column is fine.
    CHECK(read_table(write_file("one.csv", "code\nA\nB\n"), "code").rows.size() == 2);
}

TEST_CASE("a directory given as a table is named as such", "[io][table]") {
    const std::string dir = test::temp_dir("table-dir");
    check_names(error_message<io_error>([&] { read_table(dir, ""); }), {dir, "is a directory"});
}
