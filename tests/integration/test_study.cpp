// The sample study (examples/surrey/study.toml, on shapefiles/) run end to
// end: every output is written and agrees with the others; and the same
// study on the full data.
#include "support.hpp"

#include "placedef/geometry.hpp"
#include "placedef/io.hpp"
#include "placedef/pipeline.hpp"
#include "placedef/study.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>

using namespace placedef;
using namespace placedef::test;

namespace {

namespace fs = std::filesystem;

std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t count = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++count;
    return count;
}

using Row = std::map<std::string, std::string>;

/// Rows of a CSV as column -> text, read by the engine's own RFC 4180 reader
/// (unit names hold commas: "Godalming South, Milford and Witley ED").
std::vector<Row> rows_of(const std::string& path) {
    const Table table = read_table(path, {}, KeyRule::repeated);
    std::vector<Row> rows;
    for (const std::vector<std::string>& cells : table.rows) {
        Row row;
        for (std::size_t c = 0; c < table.columns.size(); ++c) row[table.columns[c]] = cells[c];
        rows.push_back(std::move(row));
    }
    return rows;
}

/// Rows of a CSV grouped by the value of `column`.
std::map<std::string, std::vector<Row>> by(const std::string& path, const std::string& column) {
    std::map<std::string, std::vector<Row>> groups;
    for (Row& row : rows_of(path)) groups[row.at(column)].push_back(row);
    return groups;
}

double total(const std::vector<Row>& rows, const std::string& column) {
    double sum = 0;
    for (const auto& row : rows) sum += std::stod(row.at(column));
    return sum;
}

/// Checks what every study's outputs must satisfy, whatever the data:
/// each file is there, the matrix is square with 1 on its diagonal, each
/// block is in exactly one footprint per run, and the report holds a map
/// for each map file and no external resource.
void check_outputs(const std::string& out, const StudySummary& summary, std::size_t blocks) {
    for (const std::string& file : summary.files) {
        INFO(file);
        CHECK(fs::file_size(fs::path(out) / file) > 0);
    }
    const auto matrix = rows_of(out + "/matrix.csv");
    CHECK(matrix.size() == summary.matrix_size * summary.matrix_size);
    for (const auto& row : matrix)
        if (row.at("layer") == row.at("other_layer")) CHECK(std::stod(row.at("coterminosity_index")) == Approx(1.0));

    const auto footprints = by(out + "/footprints.csv", "run");
    const auto membership = by(out + "/membership.csv", "run");
    REQUIRE(footprints.size() == summary.footprints.size());
    for (const auto& [run, count] : summary.footprints) {
        INFO("run " << run);
        CHECK(footprints.at(run).size() == count);
        const auto& members = membership.at(run);
        CHECK(members.size() == blocks);
        std::set<std::string> distinct, used;
        for (const auto& row : members) {
            distinct.insert(row.at("block_code"));
            used.insert(row.at("footprint"));
        }
        CHECK(distinct.size() == blocks);
        CHECK(used.size() == count);  // no footprint is empty
        CHECK(total(footprints.at(run), "blocks") == Approx(static_cast<double>(blocks)));
    }
    CHECK(rows_of(out + "/pcn.csv").size() == summary.pcn_footprints);

    // The most deprived units: 21 (the default), most deprived (lowest rank) first, each in a
    // footprint of every run that exists; every footprint's share of people in deciles 1-2 is a share.
    const auto deprived = rows_of(out + "/most_deprived.csv");
    CHECK(deprived.size() == std::min<std::size_t>(21, blocks));
    for (std::size_t i = 1; i < deprived.size(); ++i)
        CHECK(std::stod(deprived[i - 1].at("IMD_rank")) <= std::stod(deprived[i].at("IMD_rank")));
    for (const auto& [run, count] : summary.footprints) {
        std::set<std::string> codes;
        for (const auto& row : footprints.at(run)) {
            codes.insert(row.at("footprint"));
            const double share = std::stod(row.at("share_in_deciles_1_2"));
            CHECK((share >= 0 && share <= 1));
        }
        for (const auto& row : deprived) CHECK(codes.count(row.at(run + "_footprint")) == 1);
    }

    // The crosswalks: every unit read against each footprint set has its parts'
    // shares (listed and small) summing to 1 in the measure shown, and one main unit.
    std::map<std::string, std::vector<std::map<std::string, std::string>>> units;
    for (const auto& row : rows_of(out + "/crosswalks.csv"))
        units[row.at("layer") + "|" + row.at("other_layer") + "|" + row.at("code")].push_back(row);
    REQUIRE_FALSE(units.empty());
    for (const auto& [key, parts] : units) {
        INFO(key);
        if (parts.front().at("status") == "outside") continue;
        double sum = std::stod(parts.front().at("small_share"));
        std::size_t mains = 0;
        for (const auto& part : parts) {
            sum += std::stod(part.at("share"));
            mains += part.at("main") == "1";
        }
        CHECK(sum == Approx(1).margin(1e-3));  // people apportioned by area: to rounding
        CHECK(mains == 1);
        CHECK(parts.size() == std::stoul(parts.front().at("parts")));
        CHECK((parts.front().at("status") == "whole") == (parts.size() == 1 && std::stod(parts.front().at("share")) >= 0.995));
    }

    const std::string html = read_text(out + "/report.html");
    CHECK(occurrences(html, "<figure id=\"map-") == summary.maps);
    CHECK(occurrences(html, "<table class=\"matrix\">") >= 3);
    // A comparison of the runs: its section, in the contents, with a scorecard row per
    // run and partner (as comparison_footprints.csv) and the blocks that change footprint.
    if (std::find(summary.files.begin(), summary.files.end(), "comparison_footprints.csv") != summary.files.end()) {
        const std::size_t section = html.find("<section id=\"compare-footprints\"");
        REQUIRE(section != std::string::npos);
        CHECK(html.find("<a href=\"#compare-footprints\">") != std::string::npos);
        const std::string compared = html.substr(section, html.find("</section>", section) - section);
        const auto scorecard = rows_of(out + "/comparison_footprints.csv");
        CHECK(!scorecard.empty());
        // The CSV names each partner by its layer's id, the report by the title the config gives it.
        const std::map<std::string, std::string> titles{
            {"ced", "County electoral divisions 2025"}, {"ward", "Wards 2025"}, {"pcn", "PCN footprints (voronoi)"}};
        for (const auto& row : scorecard) {
            INFO(row.at("proposal") << " against " << row.at("partner"));
            REQUIRE(titles.count(row.at("partner")) == 1);
            CHECK(compared.find("<tr><td>" + row.at("proposal") + "</td><td>" + titles.at(row.at("partner")) + "</td>") !=
                  std::string::npos);
        }
        CHECK(compared.find("<h3>Differences</h3>") != std::string::npos);
    }
    // One file: scripts and styles inline, images as data: URLs, nothing fetched.
    for (const char* external : {"<script src", "<link", "src=\"http", "@import"}) {
        INFO(external);
        CHECK(html.find(external) == std::string::npos);
    }
    CHECK(occurrences(html, "url(") == occurrences(html, "url(#") + occurrences(html, "url(data:"));
    // The interactive map: Leaflet inlined, and one feature per footprint of each set in its data.
    CHECK(html.find("<div id=\"webmap\">") != std::string::npos);
    CHECK(html.find("L.geoJSON") != std::string::npos);
    const std::size_t data = html.find("<script type=\"application/json\" id=\"map-data\">");
    REQUIRE(data != std::string::npos);
    const std::string map_data = html.substr(data, html.find("</script>", data) - data);
    std::size_t all_footprints = summary.pcn_footprints;
    for (const auto& [run, count] : summary.footprints) all_footprints += count;
    CHECK(occurrences(map_data, "\"type\":\"Feature\"") >= all_footprints);
    CHECK(map_data.find("</") == std::string::npos);  // nothing that could end the script element
}

/// The study's maps speak the reader's words and date themselves: no text of
/// any map names a layer by its config id or its file's layer name (unless
/// the layer's title uses the word), titles come from the layers' titles, the
/// credit line of each carries the date and the vintages, and each map has an
/// A4 landscape PDF beside its PNG.
void check_maps(const std::string& out, const StudyConfig& config, const StudySummary& summary) {
    const std::string html = read_text(out + "/report.html");
    std::vector<std::string> texts;
    const std::regex text(R"re(<(text|title)[^>]*>([^<]*)</(text|title)>)re");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), text); it != std::sregex_iterator(); ++it)
        texts.push_back((*it)[2]);
    REQUIRE(texts.size() > summary.maps);
    auto lower = [](std::string s) {
        for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return s;
    };
    for (const StudyLayer& layer : config.layers) {
        for (const std::string& id : {layer.name, fs::path(layer.address.path).stem().string()}) {
            if (lower(layer.title + ' ' + layer.vintage).find(lower(id)) != std::string::npos) continue;
            const std::regex word("(^|[^A-Za-z0-9_])" + id + "($|[^A-Za-z0-9_])");
            for (const std::string& t : texts) {
                INFO(id << " in \"" << t << '"');
                CHECK_FALSE(std::regex_search(t, word));
            }
        }
    }
    CHECK(occurrences(html, "<title>" + config.title + ": " + config.layer("ced")->title + "</title>") == 1);  // the overview
    CHECK(occurrences(html, ">Drawn " + drawing_date() + " \u00B7 Boundaries: ") == summary.maps);
    // The deprivation map's credit names its units' vintage and the table's (and any layer it draws besides).
    const std::regex deprivation_credit("Boundaries: " + config.layer(config.deprivation->layer)->vintage +
                                        "[^;\u00B7]*; " + config.deprivation->vintage + " \u00B7");
    CHECK(std::regex_search(html, deprivation_credit));
    std::size_t pdfs = 0;
    for (const std::string& file : summary.files) {
        if (fs::path(file).extension() != ".pdf") continue;
        ++pdfs;
        INFO(file);
        CHECK(std::find(summary.files.begin(), summary.files.end(), fs::path(file).replace_extension(".png").string()) !=
              summary.files.end());
        const std::string pdf = read_text(out + "/" + file);
        std::smatch media_box;
        REQUIRE(std::regex_search(pdf, media_box, std::regex(R"re(/MediaBox \[ *0 +0 +([0-9.]+) +([0-9.]+) *\])re")));
        CHECK(std::stod(media_box[1]) == Approx(297 / 25.4 * 72).margin(0.01));
        CHECK(std::stod(media_box[2]) == Approx(210 / 25.4 * 72).margin(0.01));
    }
    CHECK(pdfs == summary.maps);
}

}  // namespace

TEST_CASE("the sample study writes consistent outputs", "[study][integration]") {
    const StudyConfig config = read_study_config(source_path("examples/surrey/study.toml"));
    const std::string out = temp_dir("study-sample");
    ProblemSink problems;
    const StudySummary summary = run_study(config, out, problems);

    CHECK(summary.layers == 6);
    CHECK(summary.matrix_size == 4);  // lad, ced, ward and the PCN footprints
    CHECK(summary.pcn_footprints == 6);
    CHECK(summary.footprints == std::vector<std::pair<std::string, std::size_t>>{{"towns", 6}, {"skater", 8}});
    CHECK(summary.maps == 10);  // 7, and the comparison of the two runs against the divisions, wards and PCN footprints
    CHECK(problems.count() == 1);  // H81132 Guildford Rivers Practice is in no PCN
    CHECK(problems.count(ProblemKind::practice_not_used) == 1);
    check_outputs(out, summary, 166);
    check_maps(out, config, summary);

    // The sample's 276,908 people, whole on LSOA 2011 blocks, and carried
    // to LSOA 2021 by area with a little lost at the districts' edges.
    const auto footprints = by(out + "/footprints.csv", "run");
    CHECK(total(footprints.at("towns"), "population") == Approx(276908).margin(0.5));
    CHECK(total(footprints.at("skater"), "population") == Approx(276908).epsilon(0.002));
    CHECK(total(rows_of(out + "/pcn.csv"), "population") == Approx(276908).epsilon(0.002));
    // Seeded growth from the five towns of the two districts, and one rural footprint.
    std::set<std::string> names;
    for (const auto& row : footprints.at("towns")) names.insert(row.at("name"));
    CHECK(names == std::set<std::string>{"Cranleigh", "Farnham", "Godalming", "Guildford", "Haslemere", "Rural 1"});
    // The sample's IMD 2019 gives ranks only: no footprint gets a mean (ranks do not
    // average), and the report says why; each footprint's most deprived LSOA is named.
    CHECK(footprints.at("towns").front().count("mean_IMD_rank") == 0);
    for (const auto& row : footprints.at("towns")) {
        CHECK(row.at("most_deprived").rfind("E01", 0) == 0);
        const double rank = std::stod(row.at("most_deprived_IMD_rank"));
        CHECK(rank >= 1);
        CHECK(rank <= 32844);  // England's LSOA 2011 count
    }
    CHECK(read_text(out + "/report.html").find("ranks do not average") != std::string::npos);

    // The GeoPackage holds every result layer, styled.
    const std::vector<std::string> layers = list_layers(out + "/study.gpkg");
    for (const char* name : {"pcn_footprints", "practices", "footprints_towns", "membership_towns", "footprints_skater",
                             "membership_skater", "matrix", "layers", "problems", "layer_styles"}) {
        INFO(name);
        CHECK(std::find(layers.begin(), layers.end(), name) != layers.end());
    }
    ProblemSink ignored;
    const Layer towns = read_layer(LayerAddress::parse(out + "/study.gpkg:footprints_towns@footprint"), ReadOptions{}, ignored);
    CHECK(towns.size() == 6);
    double area_km2 = 0;
    for (const Feature& f : towns.features) area_km2 += area(f.shape) / 1e6;
    CHECK(area_km2 == Approx(616.2).epsilon(0.002));  // the two districts

    const std::string html = read_text(out + "/report.html");
    CHECK(html.find("<title>Guildford and Waverley") != std::string::npos);
    CHECK(html.find("22 of the 27 towns") != std::string::npos);  // the towns outside are listed
    // Tables name each footprint's main unit by the measure shown, with layer titles, and a glossary explains the words.
    CHECK(html.find("main unit of County electoral divisions 2025: share of people") != std::string::npos);
    CHECK(html.find("<section id=\"glossary\">") != std::string::npos);
    CHECK(html.find("<dt>main unit</dt>") != std::string::npos);
    // Division by division: each division with the footprints it falls in, by name.
    CHECK(html.find("<section id=\"in-ced\">") != std::string::npos);
    CHECK(html.find("<td>Ash ED</td>") != std::string::npos);
}

TEST_CASE("the sample study gives the same files whatever the thread count", "[study][integration]") {
    const StudyConfig config = read_study_config(source_path("examples/surrey/study.toml"));
    std::vector<std::string> outs;
    for (unsigned threads : {1u, 2u}) {
        outs.push_back(temp_dir("study-threads"));
        StudyRunOptions options;
        options.threads = threads;
        options.maps = false;  // the maps' own determinism is the render module's to test
        ProblemSink problems;
        run_study(config, outs.back(), problems, options);
    }
    for (const char* file : {"report.html", "matrix.csv", "footprints.csv", "membership.csv", "pcn.csv", "layers.csv",
                             "problems.csv", "comparison_footprints.csv", "comparison_footprints_moves.csv",
                             "comparison_footprints_partner_changes.csv"}) {
        INFO(file);
        CHECK(read_text(outs[0] + "/" + file) == read_text(outs[1] + "/" + file));
    }
}

TEST_CASE("a study run with an ensemble reports how stable its footprints are", "[study][integration][ensemble]") {
    StudyConfig config = read_study_config(source_path("examples/surrey/study.toml"));
    StudyFootprints run = config.footprints.back();  // skater on deprivation and density
    REQUIRE(run.id == "skater");
    run.id = "azp";
    run.title = "Footprints by AZP";
    run.request.cluster.method = ClusterMethod::azp;
    run.request.ensemble.runs = 8;
    config.footprints = {run};
    config.comparisons.clear();  // it compares the runs replaced here
    const std::string out = temp_dir("study-ensemble");
    ProblemSink problems;
    const StudySummary summary = run_study(config, out, problems);
    REQUIRE(summary.footprints.size() == 1);

    std::size_t unstable = 0, blocks = 0;
    for (const Row& row : rows_of(out + "/membership.csv")) {
        ++blocks;
        const double stability = std::stod(row.at("stability"));
        CHECK(row.at("unstable") == (stability < 0.6 ? "1" : "0"));
        unstable += stability < 0.6 ? 1 : 0;
    }
    const std::vector<Row> edges = rows_of(out + "/boundary_frequency.csv");
    CHECK_FALSE(edges.empty());
    for (const Row& row : edges) {
        CHECK(row.at("run") == "azp");
        const double frequency = std::stod(row.at("frequency"));
        CHECK(frequency >= 0);
        CHECK(frequency <= 1);
    }
    // The report says how many blocks are unstable, and the map outlines them with a legend entry.
    const std::string html = read_text(out + "/report.html");
    const std::string sentence = ": " + std::to_string(unstable) + " of " + std::to_string(blocks) + " blocks (";
    CHECK(html.find("Stability over 8 runs (azp") != std::string::npos);
    CHECK(html.find(sentence) != std::string::npos);
    CHECK(html.find("; " + std::to_string(unstable) + " of " + std::to_string(blocks) + " blocks unstable over 8 runs.") !=
          std::string::npos);  // the report's summary
    CHECK(html.find("boundary_frequency.csv") != std::string::npos);
    REQUIRE(unstable > 0);  // AZP on deprivation and density over 8 seeds: many are
    CHECK(html.find("Unstable blocks (with their footprint") != std::string::npos);
    // The interactive map has a layer of them to turn on.
    CHECK(html.find("\"id\":\"unstable_azp\",\"title\":\"Unstable blocks: Footprints by AZP\"") != std::string::npos);
    const std::vector<std::string> layers = list_layers(out + "/study.gpkg");
    CHECK(std::find(layers.begin(), layers.end(), "boundary_frequency_azp") != layers.end());
}

TEST_CASE("a config error stops the study before any output", "[study][integration]") {
    const std::string out = temp_dir("study-bad");
    const std::string config = out + "/bad.toml";
    {
        std::ofstream file(config);
        file << "[layers.lad]\npath = \"" << source_path("shapefiles/lad_2021.gpkg") << "\"\nrole = \"district\"\ncode = \"NOPE\"\n";
    }
    std::string output;
    CHECK(run_cli("study '" + config + "' -o '" + out + "/result'", output) == 2);
    CHECK_THAT(output, Catch::Contains("bad.toml line 1: key 'layers.lad'"));
    CHECK_THAT(output, Catch::Contains("NOPE"));
    CHECK_FALSE(fs::exists(out + "/result"));
}

TEST_CASE("a study never replaces its inputs in the output folder", "[study][integration][output]") {
    const std::string out = temp_dir("study-inputs-in-output");
    // The config's layer sits in study.gpkg, where the study writes its results.
    REQUIRE(std::system(("ogr2ogr -f GPKG '" + out + "/study.gpkg' '" + source_path("shapefiles/lad_2021.gpkg") +
                         "' -nln districts 2>/dev/null")
                            .c_str()) == 0);
    const std::string config = out + "/study.toml";
    auto write_config = [&](const std::string& layer) {
        std::ofstream file(config);
        file << "[study]\ntitle = \"inputs beside outputs\"\n[layers." << layer << "]\npath = \"study.gpkg\"\nlayer = \""
             << layer << "\"\ncode = \"LAD21CD\"\nrole = \"district\"\n[layers.wards]\npath = \""
             << source_path("shapefiles/ward_2025.gpkg") << "\"\ncode = \"WD25CD\"\nrole = \"ward\"\n[maps]\nenabled = false\n";
    };
    std::string output;
    write_config("districts");
    REQUIRE(run_cli("study '" + config + "' -o '" + out + "'", output) == 0);
    // The results go in beside the input layer, which is kept.
    std::vector<std::string> layers = list_layers(out + "/study.gpkg");
    CHECK(std::find(layers.begin(), layers.end(), "districts") != layers.end());
    CHECK(std::find(layers.begin(), layers.end(), "matrix") != layers.end());
    // An input layer named like a layer the study writes is refused before any work.
    REQUIRE(std::system(("ogr2ogr -f GPKG -update '" + out + "/study.gpkg' '" + source_path("shapefiles/lad_2021.gpkg") +
                         "' -nln layers -overwrite 2>/dev/null")
                            .c_str()) == 0);
    const std::string before = read_text(out + "/study.gpkg");
    write_config("layers");
    CHECK(run_cli("study '" + config + "' -o '" + out + "'", output) == 4);
    CHECK_THAT(output, Catch::Contains("layers"));
    CHECK(read_text(out + "/study.gpkg") == before);
}

TEST_CASE("full data: the Surrey study", "[study][integration][uk][.slow]") {
    PDEF_REQUIRE_UK_DATA();
    const StudyConfig config = read_study_config(source_path("examples/surrey/study_full.toml"));
    const std::string out = temp_dir("study-full");
    ProblemSink problems;
    const StudySummary summary = run_study(config, out, problems);
    CHECK(summary.matrix_size == 8);  // 7 boundary layers and the PCN footprints
    CHECK(summary.pcn_footprints == 28);
    // The max-p run: every footprint of 30,000 people or more.
    CHECK(summary.footprints == std::vector<std::pair<std::string, std::size_t>>{{"towns", 29}, {"redcap", 29}, {"maxp", 38}});
    check_outputs(out, summary, 709);  // Surrey's LSOAs
    check_maps(out, config, summary);
    // The counties around Surrey are drawn grey, beyond the study area, on every
    // map but the comparisons' figures, whose partners' outlines reach into them.
    const auto comparison_maps = static_cast<std::size_t>(std::count_if(summary.files.begin(), summary.files.end(), [](const std::string& f) {
        return f.rfind("map_comparison_", 0) == 0 && f.size() > 4 && f.compare(f.size() - 4, 4, ".png") == 0;
    }));
    CHECK(comparison_maps > 0);
    CHECK(occurrences(read_text(out + "/report.html"), ">Beyond the study area (Counties 2021)</text>") ==
          summary.maps - comparison_maps);
    const auto footprints = by(out + "/footprints.csv", "run");
    for (const char* run : {"towns", "redcap", "maxp"})
        CHECK(total(footprints.at(run), "population") == Approx(1199870).margin(0.5));
    // The reorganisation options: every division lies whole in one council under
    // both; the two councils split Surrey Heartlands only, the three Frimley too.
    const auto unitaries = rows_of(out + "/comparison_unitaries.csv");
    REQUIRE(unitaries.size() == 12);  // 2 proposals x 6 partners
    for (const auto& row : unitaries) {
        if (row.at("partner") == "ced") CHECK(row.at("partner_units_split") == "0");
        if (row.at("partner") == "icb")
            CHECK(row.at("partner_units_split") == (row.at("proposal") == "Two unitaries" ? "1" : "2"));
    }
    const auto compared = rows_of(out + "/comparison_footprints_proposals.csv");
    REQUIRE(compared.size() == 3);  // seeded, REDCAP and max-p
    for (const auto& row : compared) CHECK(std::stod(row.at("people")) == Approx(1199870).margin(0.5));
    std::size_t rural = 0;
    for (const auto& row : footprints.at("towns")) rural += row.at("name").rfind("Rural", 0) == 0;
    CHECK(rural == 2);
    // IMD 2025 on LSOA 2021 (imd_2025_lsoa21.csv, Surrey's 719 LSOAs): Woking 005B
    // (Goldsworth Park, rank 4,422, score 40.638) is Surrey's most deprived, in the
    // Woking footprint; Merstham's (rank 5,781) is third, in Redhill. Six lie in
    // national deciles 1-2, so the footprints' people in them come to those six's.
    const auto deprived = rows_of(out + "/most_deprived.csv");
    REQUIRE(deprived.size() == 21);
    CHECK(deprived[0].at("code") == "E01030952");
    CHECK(deprived[0].at("IMD_rank") == "4422");
    CHECK(deprived[0].at("IMD_score") == "40.638");
    CHECK(deprived[0].at("towns_footprint_name") == "Woking");
    CHECK(deprived[2].at("code") == "E01030599");
    CHECK(deprived[2].at("towns_footprint_name") == "Redhill");
    std::size_t in_first_two = 0;
    for (const auto& row : deprived) in_first_two += std::stod(row.at("national_decile")) <= 2;
    CHECK(in_first_two == 6);
    for (const auto& row : footprints.at("towns")) {
        if (row.at("name") != "Woking") continue;
        CHECK(row.at("most_deprived") == "E01030952");
        CHECK(row.at("most_deprived_IMD_rank") == "4422");
        // A mean score lies between Surrey's least and most deprived LSOAs' scores.
        const double mean = std::stod(row.at("mean_IMD_score"));
        CHECK((mean > 1.0 && mean < 40.638));
    }
    // "41 of 81 lie in one footprint" (issue 17): the divisions whole in a town footprint, by people.
    std::size_t divisions = 0, whole = 0;
    for (const auto& row : rows_of(out + "/crosswalks.csv")) {
        if (row.at("layer") != "ced" || row.at("other_layer") != "towns" || row.at("main") != "1") continue;
        ++divisions;
        whole += row.at("status") == "whole";
    }
    CHECK(divisions == 81);
    CHECK(whole == 41);
    CHECK(read_text(out + "/report.html").find("41 of 81 lie wholly in one footprint") != std::string::npos);
    // Reigate's main division is the one holding most of its people (47.5 % in
    // Reigate ED), not the one holding most of its area (Dorking Rural ED, with 6 %).
    for (const auto& row : footprints.at("towns")) {
        if (row.at("name") != "Reigate") continue;
        CHECK(row.at("ced_best_name") == "Reigate ED");
        CHECK(row.at("ced_share_of") == "people");
        CHECK(std::stod(row.at("ced_share")) == Approx(0.475).margin(0.005));
    }
}
