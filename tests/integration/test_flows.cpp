// The flows job (run_flows): a flows table read with its problems counted,
// the areas' layer named after their main workplace, the tables and layers
// written, and the real Sardinian table.
#include "hand_layers.hpp"
#include "support.hpp"

#include "placedef/error.hpp"
#include "placedef/io.hpp"
#include "placedef/pipeline.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>

using namespace placedef;
using namespace placedef::test;
using Catch::Matchers::Contains;

namespace {

void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
}

/// Town 1 | village | town 2, 1 km squares in a row, named.
std::shared_ptr<const Layer> three_units() {
    Layer layer = hand_layer("places", {{"T1", box_wkt(0, 0, 1000, 1000)}, {"V", box_wkt(1000, 0, 2000, 1000)},
                                        {"T2", box_wkt(2000, 0, 3000, 1000)}});
    layer.label_column = "name";
    const char* names[] = {"Town one", "Village", "Town two"};
    for (std::size_t i = 0; i < 3; ++i) layer.features[i].name = names[i];
    return std::make_shared<const Layer>(layer);
}

/// three_units() as a GeoPackage in `folder`, for the command line: its address.
std::string write_units_gpkg(const std::string& folder) {
    const std::shared_ptr<const Layer> units = three_units();
    VectorWriter writer(folder + "/places.gpkg");
    writer.begin_layer("places", "EPSG:27700", LayerKind::polygon, {{"code"}, {"name"}});
    for (const Feature& unit : units->features) writer.add(unit.shape, {unit.code, unit.name});
    writer.close();
    return folder + "/places.gpkg@code,name";
}

}  // namespace

TEST_CASE("flows: bad rows are counted and skipped, the rest make the areas", "[flows][pipeline]") {
    const std::string folder = temp_dir("flows");
    write_file(folder + "/flows.csv",
               "home,work,people\n"
               "T1,T1,5000\nT2,T2,5000\nV,V,100\nV,T1,600\nV,T2,300\n"
               "V,T1,50\n"      // the pair again
               "X9,Y9,10\n"     // no such units
               "V,T2,-4\n"      // negative
               "T1,T2,many\n");  // not a number
    FlowsRequest request;
    request.units = LayerInput(three_units());
    request.table = folder + "/flows.csv";
    request.rules = FunctionalAreaRules::preset("istat");
    request.outputs.paths = {folder + "/areas.csv", folder + "/areas.gpkg"};
    // Scored against two halves of the strip: the town-and-village area lies half in each.
    request.score_against = {LayerInput(std::make_shared<const Layer>(
        hand_layer("halves", {{"W", box_wkt(0, 0, 1500, 1000)}, {"E", box_wkt(1500, 0, 3000, 1000)}})))};
    ProblemSink problems;
    const FlowsResult result = run_flows(request, RunSettings{}, problems);
    REQUIRE(result.scores.size() == 1);
    CHECK(result.scores[0].first == "halves");
    CHECK(result.scores[0].second.a_in_b.scored == 2);
    CHECK(result.flows == 5);
    CHECK(result.commuters == 11000);
    CHECK(problems.count(ProblemKind::duplicate_code) == 1);
    CHECK(problems.count(ProblemKind::missing_key) == 1);
    CHECK(problems.count(ProblemKind::non_numeric_value) == 2);
    REQUIRE(result.partition.areas.size() == 2);
    // Named after the unit with the most jobs: town one (5,600 jobs) holds the village.
    CHECK(result.areas->features[0].code == "T1");
    CHECK(result.areas->features[0].name == "Town one");
    const auto areas = read_csv_rows(folder + "/areas.csv");
    REQUIRE(areas.size() == 2);
    CHECK(areas[0].at("name") == "Town one");
    CHECK(areas[0].at("units") == "2");
    CHECK(areas[0].at("residents_in_work") == "6000");
    CHECK(areas[0].at("valid") == "yes");
    const auto membership = read_csv_rows(folder + "/areas_membership.csv");
    REQUIRE(membership.size() == 3);
    CHECK(membership[1].at("unit") == "V");
    CHECK(membership[1].at("area_name") == "Town one");
    CHECK(membership[1].at("placed") == "by the rule");
    CHECK(std::ifstream(folder + "/areas.gpkg").good());
}

TEST_CASE("flows: a code beyond the units is a flow across their edge, counted and reported", "[flows][pipeline]") {
    const std::string folder = temp_dir("flows-outside");
    write_file(folder + "/flows.csv",
               "home,work,people\n"
               "T1,T1,5000\nT2,T2,5000\nV,V,100\nV,T1,600\nV,T2,300\n"
               "T1,LDN,400\n"    // town one's residents who work in a city off the map
               "T1,PAR,7\n"      // another place beyond: not the same pair
               "T1,LDN,3\n"      // the pair again
               "OXF,T2,100\n");  // town two's jobs filled from beyond
    FlowsRequest request;
    request.units = LayerInput(three_units());
    request.table = folder + "/flows.csv";
    request.rules = FunctionalAreaRules::preset("istat");
    request.outputs.paths = {folder + "/areas.csv"};
    ProblemSink problems;
    const FlowsResult result = run_flows(request, RunSettings{}, problems);
    CHECK(result.flows == 8);
    CHECK(result.working_outside == 407);
    CHECK(result.coming_in == 100);
    CHECK(result.commuters == 11507);
    CHECK(problems.count(ProblemKind::duplicate_code) == 1);
    REQUIRE(problems.count(ProblemKind::missing_key) == 3);
    const auto tally = problems.tally();
    CHECK(tally.at({ProblemKind::missing_key, ProblemAction::kept}) == 3);
    CHECK_THAT(problems.problems()[0].detail,
               Contains("'LDN' is not a unit of places") &&
                   Contains("its 400 people count among the residents in work of 'T1', working outside the units"));
    // Town one and the village: 6,407 residents in work, 5,700 of them working inside.
    const auto areas = read_csv_rows(folder + "/areas.csv");
    REQUIRE(areas.size() == 2);
    CHECK(areas[0].at("residents_in_work") == "6407");
    CHECK(areas[0].at("living_and_working_in_it") == "5700");
    CHECK(areas[1].at("jobs") == "5400");
    // The command line says so beside its summary.
    std::string output;
    const int code = run_cli("--study-crs EPSG:27700 flows '" + write_units_gpkg(folder) + "' --flows '" + folder +
                                 "/flows.csv' --rules istat -o '" + folder + "/cli.csv'",
                             output);
    INFO(output);
    CHECK(code == 0);
    CHECK_THAT(output, Contains("across the edge of the units: 407 of their residents work outside them and 100 of their "
                                "jobs are filled from outside (counted in self-containment)"));
}

TEST_CASE("flows in a study: the report says who crossed the edge of the units", "[flows][study]") {
    const std::string folder = temp_dir("flows-study-edge");
    write_units_gpkg(folder);
    write_file(folder + "/flows.csv", "home,work,people\nT1,T1,5000\nT2,T2,5000\nV,V,100\nV,T1,600\nV,T2,300\n"
                                      "T1,LDN,400\nOXF,T2,100\n");
    write_file(folder + "/study.toml", "[study]\ntitle = \"Strip\"\n\n"
                                       "[layers.places]\ntitle = \"Places\"\npath = \"places.gpkg\"\ncode = \"code\"\n"
                                       "label = \"name\"\nrole = \"blocks\"\n\n"
                                       "[[flows]]\nid = \"edge\"\nunits = \"places\"\ntable = \"flows.csv\"\n"
                                       "rules = \"istat\"\n");
    std::string output;
    const int code = run_cli("study '" + folder + "/study.toml' -o '" + folder + "/out'", output);
    INFO(output);
    REQUIRE(code == 0);
    CHECK_THAT(read_text(folder + "/out/report.html"),
               Contains("400 residents of the Places work outside them and 100 of their jobs are filled from outside; "
                        "the areas"));
}

TEST_CASE("flows: agreement with another partition of the same units", "[flows][pipeline][agreement]") {
    const std::string folder = temp_dir("flows-agree");
    write_file(folder + "/flows.csv", "home,work,people\nT1,T1,5000\nT2,T2,5000\nV,V,100\nV,T1,600\nV,T2,300\n");
    // Another tool put the village with town two; X9 is no unit of ours.
    write_file(folder + "/theirs.csv", "code,lma\nT1,1\nV,2\nT2,2\nX9,3\n");
    FlowsRequest request;
    request.units = LayerInput(three_units());
    request.table = folder + "/flows.csv";
    request.rules = FunctionalAreaRules::preset("istat");
    request.agree_with = folder + "/theirs.csv";
    request.outputs.paths = {folder + "/ours.csv"};
    ProblemSink problems;
    const FlowsResult result = run_flows(request, RunSettings{}, problems);
    REQUIRE(result.agreement);
    CHECK(result.agreement->units == 3);
    CHECK(problems.count(ProblemKind::missing_key) == 1);
    // Ours {T1, V} {T2} against theirs {T1} {V, T2}: no pair together in both.
    CHECK(result.agreement->adjusted_rand == Approx(-0.5));
    // Every overlap is one unit, so ties decide: our {T1, V} and their {T1} are
    // each other's first largest overlap; their {V, T2} prefers our {T1, V} too.
    CHECK(result.agreement->matched_areas == 1);
    CHECK(result.agreement->identical_areas == 0);
    CHECK(result.agreement->units_matched == 1);
    // Our own membership table reads as a partition (its "area" column): full agreement.
    request.agree_with = folder + "/ours_membership.csv";
    request.outputs.paths.clear();
    const FlowsResult again = run_flows(request, RunSettings{}, problems);
    CHECK(again.agreement->adjusted_rand == 1.0);
    CHECK(again.agreement->identical_areas == 2);
}

TEST_CASE("flows: requests that cannot run are refused with the reason", "[flows][pipeline]") {
    const std::string folder = temp_dir("flows-bad");
    write_file(folder + "/two.csv", "home,work\nT1,T1\n");
    FlowsRequest request;
    request.units = LayerInput(three_units());
    request.table = folder + "/two.csv";
    ProblemSink problems;
    CHECK_THROWS_WITH(run_flows(request, RunSettings{}, problems), Contains("needs the residence, the workplace and the count"));
    request.count_column = "people";
    CHECK_THROWS_WITH(run_flows(request, RunSettings{}, problems), Contains("no count column 'people'"));
    write_file(folder + "/header.csv", "home,work,people\n");
    request.table = folder + "/header.csv";
    CHECK_THROWS_WITH(run_flows(request, RunSettings{}, problems), Contains("the flows table has a header and no rows"));
    request.table = folder + "/none.csv";
    CHECK_THROWS_AS(run_flows(request, RunSettings{}, problems), error);
    request.rules.min_size = 0;
    CHECK_THROWS_WITH(run_flows(request, RunSettings{}, problems), Contains("minimum size"));
    // Codes of another geography: nothing to build from, said so rather than 3 empty areas.
    write_file(folder + "/other.csv", "home,work,people\nE02000001,E02000001,500\nE02000001,E02000002,20\n");
    request = FlowsRequest{};
    request.units = LayerInput(three_units());
    request.table = folder + "/other.csv";
    CHECK_THROWS_WITH(run_flows(request, RunSettings{}, problems),
                      Contains("no row of the flows table could be used (2 rows): none is between two units. Do the table's "
                               "codes name the units of places") && Contains("such as 'T1'"));
    // Most rows of another geography: a warning, and the areas of the rest.
    write_file(folder + "/mixed.csv", "home,work,people\nT1,T1,5000\nX1,X1,1\nX2,X2,1\nX3,X3,1\n");
    request.table = folder + "/mixed.csv";
    std::vector<std::string> warnings;
    RunSettings settings;
    settings.warning = [&](const std::string& line) { warnings.push_back(line); };
    run_flows(request, settings, problems);
    REQUIRE(warnings.size() == 1);
    CHECK_THAT(warnings[0], Contains("only 1 of the 4 rows of the flows table"));
}

TEST_CASE("flows on Sardinia: the command line's areas, each in one piece", "[flows][sardinia]") {
    const std::string flows = sardinia_data_path("commuting_flows_2001.csv");
    if (flows.empty()) {
        WARN("SKIPPED: ../shared/data/sardinia is absent");
        return;
    }
    const std::string folder = temp_dir("flows-sardinia");
    std::string output;
    const int code = run_cli("--study-crs EPSG:32632 flows '" + sardinia_data_path("municipalities_2001.gpkg") +
                                 "@PRO_COM,NOME_COM' --flows '" + flows + "' --rules istat -o '" + folder + "/lma.csv'",
                             output);
    INFO(output);
    REQUIRE(code == 0);
    CHECK_THAT(output, Contains("36 functional areas of 377 units from 10997 flows"));
    const auto membership = read_csv_rows(folder + "/lma_membership.csv");
    CHECK(membership.size() == 377);
}

TEST_CASE("flows on one Sardinian province from the island's table: the people crossing its edge are counted",
          "[flows][sardinia]") {
    const std::string flows = sardinia_data_path("commuting_flows_2001.csv");
    if (flows.empty()) {
        WARN("SKIPPED: ../shared/data/sardinia is absent");
        return;
    }
    // The province of Cagliari (codes 92...) as the units: a county in a national table.
    RunSettings settings;
    settings.study_crs = "EPSG:32632";
    ProblemSink problems;
    const std::shared_ptr<const Layer> island =
        load_input(LayerInput(sardinia_data_path("municipalities_2001.gpkg") + "@PRO_COM,NOME_COM"), settings, problems);
    auto province = std::make_shared<Layer>();  // a new layer, so that its code index is its own
    province->name = "cagliari";
    province->source = island->source;
    province->code_column = island->code_column;
    province->label_column = island->label_column;
    province->crs = island->crs;
    province->source_crs = island->source_crs;
    std::copy_if(island->features.begin(), island->features.end(), std::back_inserter(province->features),
                 [](const Feature& f) { return f.code.rfind("92", 0) == 0; });
    REQUIRE(province->size() == 109);
    // Worked out from the table alone: who lives in the province and works beyond it, and the reverse.
    double working_outside = 0, coming_in = 0, residents = 0;
    for (const auto& row : read_csv_rows(flows)) {
        const bool home_in = row.at("residence_code").rfind("92", 0) == 0;
        const bool work_in = row.at("workplace_code").rfind("92", 0) == 0;
        const double people = std::stod(row.at("workers"));
        if (home_in) residents += people;
        if (home_in && !work_in) working_outside += people;
        if (!home_in && work_in) coming_in += people;
    }
    FlowsRequest request;
    request.units = LayerInput(std::shared_ptr<const Layer>(province));
    request.table = flows;
    request.rules = FunctionalAreaRules::preset("istat");
    const FlowsResult result = run_flows(request, settings, problems);
    CHECK(result.working_outside == working_outside);
    CHECK(result.coming_in == coming_in);
    CHECK(working_outside > 1000);
    double area_residents = 0;
    for (const FunctionalArea& area : result.partition.areas) area_residents += area.residents;
    CHECK(area_residents == residents);  // everybody who lives in the province, wherever they work
    CHECK(result.partition.invalid() == 0);
}

TEST_CASE("flows in a study: the Sardinian example gives the command line's areas, with a report section and a map",
          "[flows][sardinia][study]") {
    if (sardinia_data_path("commuting_flows_2001.csv").empty()) {
        WARN("SKIPPED: ../shared/data/sardinia is absent");
        return;
    }
    const std::string folder = temp_dir("flows-sardinia-study");
    std::string output;
    int code = run_cli("study '" + source_path("examples/sardinia/study.toml") + "' -o '" + folder + "/study'", output);
    INFO(output);
    REQUIRE(code == 0);
    code = run_cli("--study-crs EPSG:32632 flows '" + sardinia_data_path("municipalities_2001.gpkg") +
                       "@PRO_COM,NOME_COM' --flows '" + sardinia_data_path("commuting_flows_2001.csv") +
                       "' --rules istat -o '" + folder + "/cli.csv'",
                   output);
    REQUIRE(code == 0);
    // One pipeline behind both: the same request gives the same table, byte for byte.
    CHECK(read_text(folder + "/study/flows_istat.csv") == read_text(folder + "/cli.csv"));
    CHECK(read_text(folder + "/study/flows_istat_membership.csv") == read_text(folder + "/cli_membership.csv"));
    const auto ttwa = read_csv_rows(folder + "/study/flows_ttwa.csv");
    const auto istat = read_csv_rows(folder + "/study/flows_istat.csv");
    CHECK(ttwa.size() < istat.size());  // larger areas under England's larger minimum
    for (const auto& area : ttwa) CHECK(std::stod(area.at("residents_in_work")) >= 3500);

    const std::string report = read_text(folder + "/study/report.html");
    CHECK_THAT(report, Contains("id=\"flows-istat\""));
    CHECK_THAT(report, Contains("id=\"map-flows_istat\""));
    CHECK_THAT(report, Contains("36 functional areas of the 377 Municipalities 2001"));
    // Scored against the provinces, which the study makes from the municipalities' province codes.
    CHECK_THAT(report, Contains("<td>Provinces 2001</td><td class=\"n\">36</td>"));
    CHECK(std::ifstream(folder + "/study/map_flows_istat.png").good());
    CHECK(std::ifstream(folder + "/study/map_flows_ttwa.pdf").good());
    CHECK(std::ifstream(folder + "/study/flows_istat.gpkg").good());
}
