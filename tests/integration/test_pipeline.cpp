// The pipeline's rules, as every front end meets them: outputs that would
// replace an input, or each other, are refused before any work; an empty
// layer is refused by the job itself; a table's key is guessed one way.
#include "support.hpp"

#include "placedef/error.hpp"
#include "placedef/pipeline.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

using namespace placedef;
using namespace placedef::test;

namespace {

std::string copy_sample(const std::string& dir, const std::string& name) {
    const std::string target = dir + "/" + name;
    std::filesystem::copy_file(source_path("shapefiles/" + name), target,
                               std::filesystem::copy_options::overwrite_existing);
    return target;
}

}  // namespace

TEST_CASE("pipeline: an output that is an input layer is refused before any work", "[pipeline][output]") {
    const std::string dir = temp_dir("pipeline-outputs");
    const std::string wards = copy_sample(dir, "ward_2025.gpkg");
    std::string output;
    // The case: the wards' own GeoPackage as the output. The pieces
    // go in beside the wards, which are kept as they were.
    REQUIRE(run_cli("overlay '" + wards + "@WD25CD' '" + source_path("shapefiles/lad_2021.gpkg") + "' -o '" + wards + "'",
                    output) == 0);
    CHECK(list_layers(wards) == std::vector<std::string>{"ward_2025", "pieces", "layer_styles"});
    REQUIRE(run_cli("info '" + wards + ":ward_2025@WD25CD'", output) == 0);
    CHECK_THAT(output, Catch::Contains("features:    45 (45 read)"));
    // Writing a layer of the same name as the input layer would replace it: refused, file untouched.
    const std::string with_pieces = read_text(wards);
    CHECK(run_cli("overlay '" + wards + ":pieces@a_code' '" + source_path("shapefiles/lad_2021.gpkg") + "' -o '" + wards +
                      "'",
                  output) == 4);
    CHECK_THAT(output, Catch::Contains("pieces"));
    CHECK(read_text(wards) == with_pieces);
    // The problems CSV and the result may not be one file.
    CHECK(run_cli("--problems '" + dir + "/p.csv' overlay '" + source_path("shapefiles/ward_2025.gpkg") + "@WD25CD' '" +
                      source_path("shapefiles/lad_2021.gpkg") + "' -o '" + dir + "/p.csv'",
                  output) == 4);
    CHECK_THAT(output, Catch::Contains("p.csv"));
    CHECK(!std::filesystem::exists(dir + "/p.csv"));
    // Into another GeoPackage that holds other layers: they are kept.
    const std::string shared = copy_sample(dir, "lad_2021.gpkg");
    REQUIRE(run_cli("overlay '" + source_path("shapefiles/ward_2025.gpkg") + "@WD25CD' '" +
                        source_path("shapefiles/ced_2025.gpkg") + "' -o '" + shared + "'",
                    output) == 0);
    const std::vector<std::string> layers = list_layers(shared);
    CHECK(std::find(layers.begin(), layers.end(), "lad_2021") != layers.end());
    CHECK(std::find(layers.begin(), layers.end(), "pieces") != layers.end());
}

TEST_CASE("pipeline: an unusable output location is found before the work", "[pipeline][output]") {
    std::string output;
    const int code = run_cli("overlay '" + source_path("shapefiles/ward_2025.gpkg") + "@WD25CD' '" +
                                 source_path("shapefiles/lad_2021.gpkg") + "' -o /no/such/folder/x.csv",
                             output);
    CHECK(code == 4);
    CHECK_THAT(output, Catch::Contains("/no/such/folder"));
    CHECK_THAT(output, !Catch::Contains("rows from"));  // nothing was computed
}

TEST_CASE("pipeline: every job refuses a layer with no usable feature", "[pipeline]") {
    auto empty = std::make_shared<Layer>();
    empty->name = "empty";
    empty->source = "memory";
    empty->crs = "EPSG:27700";
    auto one = std::make_shared<Layer>(*empty);
    Feature square;
    square.code = "A";
    square.shape = MultiPolygon{{Polygon{{{0, 0}, {10, 0}, {10, 10}, {0, 10}}, {}}}};
    one->features.push_back(square);
    RunSettings settings;
    ProblemSink problems;
    OverlayRequest overlay_request;
    overlay_request.a = LayerInput(std::shared_ptr<const Layer>(empty));
    overlay_request.b = LayerInput(std::shared_ptr<const Layer>(one));
    CHECK_THROWS_WITH(run_overlay(overlay_request, settings, problems), Catch::Contains("no features to work with"));
    MatrixRequest matrix;
    matrix.layers = {LayerInput(std::shared_ptr<const Layer>(one)), LayerInput(std::shared_ptr<const Layer>(empty))};
    CHECK_THROWS_WITH(run_matrix(matrix, settings, problems), Catch::Contains("no features to work with"));
}

TEST_CASE("pipeline: a table's key column is guessed one way, and said", "[pipeline]") {
    RunSettings settings;
    std::vector<std::string> notes;
    settings.note = [&notes](const std::string& line) { notes.push_back(line); };
    ProblemSink problems;
    const auto lsoa = load_input(source_path("shapefiles/lsoa_2011.gpkg"), settings, problems);
    PopulationInput input;
    input.table = source_path("shapefiles/population_mid2020_lsoa11.csv");
    input.column = "total_population";
    const LoadedPopulation population = load_population(input, settings, problems, lsoa);
    double people = 0;
    for (double value : population.source.population) people += value;
    CHECK(people == 276908);  // the first column holds names: keyed on it, every unit would get 0
    CHECK(problems.count() == 0);
    REQUIRE(!notes.empty());
    CHECK_THAT(notes.back(), Catch::Contains("key column guessed as lsoa11_code"));
}

TEST_CASE("pipeline: a key column that matches no unit is refused, one that matches few is said", "[pipeline]") {
    RunSettings settings;
    std::vector<std::string> notes;
    settings.note = [&notes](const std::string& line) { notes.push_back(line); };
    ProblemSink problems;
    const auto lsoa = load_input(source_path("shapefiles/lsoa_2011.gpkg"), settings, problems);
    const std::string table = source_path("shapefiles/population_mid2020_lsoa11.csv");
    // The names column: every unit would get 0 people.
    CHECK_THROWS_WITH(join_table(table, "lsoa11_name", "total_population", *lsoa, settings, problems),
                      Catch::Contains("no unit of lsoa_2011") && Catch::Contains("lsoa11_name"));
    CHECK(problems.count(ProblemKind::missing_key) == 0);  // refused, not reported unit by unit
    // Few units matched: a warning, and each missing unit reported.
    Layer some = *lsoa;
    for (std::size_t i = 10; i < some.features.size(); ++i) some.features[i].code = "NOT" + std::to_string(i);
    const std::vector<double> values = join_table(table, "lsoa11_code", "total_population", some, settings, problems);
    CHECK(problems.count(ProblemKind::missing_key) == some.size() - 10);
    REQUIRE(!notes.empty());
    CHECK_THAT(notes.back(), Catch::Contains("only 10 of 166 units"));
}

TEST_CASE("pipeline: layers that do not overlap are warned of in every job that combines them", "[pipeline]") {
    auto layer_at = [](const std::string& name, double x) {
        auto layer = std::make_shared<Layer>();
        layer->name = name;
        layer->source = name + ".gpkg";
        layer->crs = "EPSG:27700";
        Feature square;
        square.code = name + "1";
        square.shape = MultiPolygon{{Polygon{{{x, 150000}, {x + 100, 150000}, {x + 100, 150100}, {x, 150100}}, {}}}};
        layer->features.push_back(square);
        return std::shared_ptr<const Layer>(layer);
    };
    const auto here = layer_at("here", 500000), there = layer_at("there", 400000), near = layer_at("near", 500050);
    RunSettings settings;
    std::vector<std::string> warnings;
    settings.warning = [&warnings](const std::string& line) { warnings.push_back(line); };
    ProblemSink problems;

    OverlayRequest overlay;
    overlay.a = LayerInput(here);
    overlay.b = LayerInput(there);
    CHECK(run_overlay(overlay, settings, problems).table.rows.empty());
    REQUIRE(warnings.size() == 1);
    CHECK_THAT(warnings[0], Catch::Contains("layer here (here.gpkg) and layer there (there.gpkg) do not overlap") &&
                                Catch::Contains("extents 500000.0 150000.0 500100.0 150100.0 and 400000.0"));

    warnings.clear();
    MatrixRequest matrix;
    matrix.layers = {LayerInput(here), LayerInput(near), LayerInput(there)};
    run_matrix(matrix, settings, problems);
    CHECK(warnings.size() == 2);  // here and near each with there

    warnings.clear();
    overlay.b = LayerInput(near);
    run_overlay(overlay, settings, problems);
    CHECK(warnings.empty());
}
