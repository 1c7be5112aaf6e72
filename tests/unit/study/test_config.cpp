// The study config: what a good config gives, and that each kind of mistake
// is refused with the file, the line and the key.
#include "support.hpp"

#include "placedef/error.hpp"
#include "placedef/study.hpp"

#include <catch2/catch.hpp>

using namespace placedef;
using namespace placedef::test;

namespace {

/// A config "in" shapefiles/, so that its relative paths name the sample.
StudyConfig parse(const std::string& text) { return parse_study_config(text, source_path("shapefiles/study.toml")); }

/// The message parse() throws with.
std::string error_of(const std::string& text) {
    try {
        parse(text);
    } catch (const invalid_input& e) {
        return e.what();
    }
    return "(no error)";
}

const std::string two_layers = R"([layers.lad]
path = "lad_2021.gpkg"
code = "LAD21CD"
role = "district"

[layers.ced]
path = "ced_2025.gpkg"
label = "CED25NM"
role = "division"
)";

}  // namespace

TEST_CASE("study config: a minimal config and its defaults", "[study][config]") {
    const StudyConfig config = parse(two_layers);
    REQUIRE(config.layers.size() == 2);
    CHECK(config.title == "study");  // the file's stem
    CHECK(config.layers[0].name == "lad");  // in the order written, not sorted
    CHECK(config.layers[0].role == LayerRole::district);
    CHECK(config.layers[0].address.path == source_path("shapefiles/lad_2021.gpkg"));
    CHECK(config.layers[0].address.code_column == "LAD21CD");
    CHECK(config.layers[1].address.code_column.empty());  // guessed at load
    CHECK(config.layers[1].label_column == "CED25NM");
    CHECK(config.layers[1].title == "ced");
    CHECK(config.layers[1].vintage == "ced");  // the title, when no vintage is given
    CHECK(config.layers[1].where.line == 6);
    CHECK(config.maps.paper == Paper::a4);
    CHECK(config.matrix_layers == std::vector<std::string>{"lad", "ced"});
    CHECK(config.footprints_against == std::vector<std::string>{"ced"});  // the divisions; no [pcn]
    CHECK(config.read.study_crs == "EPSG:27700");
    CHECK(config.scoring.tolerance == Approx(0.995));
    CHECK_FALSE(config.pcn);
    CHECK(config.footprints.empty());
}

TEST_CASE("study config: the sample study reads", "[study][config]") {
    const StudyConfig config = read_study_config(source_path("examples/surrey/study.toml"));
    CHECK(config.title == "Guildford and Waverley");
    CHECK(config.layers.size() == 6);
    REQUIRE(config.pcn);
    CHECK(config.pcn->practices == "practices");
    CHECK(config.pcn->options.method == PcnMethod::voronoi);
    REQUIRE(config.footprints.size() == 2);
    CHECK(config.footprints[0].request.cluster.method == ClusterMethod::seeded);
    CHECK(config.footprints[0].request.cluster.rural_distance == 5000);
    CHECK(config.footprints[0].request.cluster.balance == 0.5);
    CHECK(config.footprints[1].request.k == 8);
    CHECK_FALSE(config.footprints[1].request.cluster.balance);  // not given: the method's default (none for skater)
    REQUIRE(config.footprints[1].attributes.size() == 2);
    CHECK(config.footprints[1].attributes[1].column == "density");
    CHECK(config.towns->skip_outside);
    CHECK(config.footprints_against == std::vector<std::string>{"ced", "lad", "pcn"});
    CHECK(config.layer("ced")->vintage == "CED 2025");
    CHECK(config.deprivation->vintage == "IMD 2019");
}

TEST_CASE("study config: vintages and the paper of the PDF maps", "[study][config]") {
    const StudyConfig config = parse(two_layers + "vintage = \"CED 2025\"\n[population]\nlayer = \"lad\"\n"
                                     "table = \"population_mid2020_lsoa11.csv\"\nkey = \"k\"\ncolumn = \"c\"\n"
                                     "title = \"People\"\n[maps]\npaper = \"a3\"\n");
    CHECK(config.layers[1].vintage == "CED 2025");
    CHECK(config.layers[0].vintage == "lad");
    CHECK(config.population->vintage == "People");  // the title, when no vintage is given
    CHECK(config.maps.paper == Paper::a3);
    CHECK_THAT(error_of(two_layers + "[maps]\npaper = \"letter\"\n"),
               Catch::Contains("line 11: key 'maps.paper': unknown paper 'letter': use a4 or a3"));
    CHECK_THAT(error_of(two_layers + "[maps]\nvintage = \"2025\"\n"), Catch::Contains("key 'maps.vintage': unknown key"));
}

TEST_CASE("study config: errors name the line and the key", "[study][config]") {
    // A file that is not there: the line of the key.
    CHECK_THAT(error_of("[layers.lad]\nrole = \"district\"\npath = \"nowhere.gpkg\"\n"),
               Catch::StartsWith(source_path("shapefiles/study.toml") + " line 3: key 'layers.lad.path': file not found"));
    // A misspelt key, with the keys that are known there.
    CHECK_THAT(error_of("[layers.lad]\nrole = \"district\"\npth = \"lad_2021.gpkg\"\n"),
               Catch::Contains("line 3: key 'layers.lad.pth': unknown key"));
    // A missing key: the line of its table.
    CHECK_THAT(error_of("\n[layers.lad]\nrole = \"district\"\n"), Catch::Contains("line 2: key 'layers.lad.path': is missing"));
    // The wrong type, and a value out of range.
    CHECK_THAT(error_of(two_layers + "[scoring]\ntolerance = \"high\"\n"),
               Catch::Contains("line 11: key 'scoring.tolerance': must be a number, not a string"));
    CHECK_THAT(error_of(two_layers + "[scoring]\ntolerance = 1.5\n"),
               Catch::Contains("line 11: key 'scoring.tolerance': must be between 0.5 and 1"));
    // An unknown role lists the known ones.
    CHECK_THAT(error_of("[layers.lad]\npath = \"lad_2021.gpkg\"\nrole = \"borough\"\n"),
               Catch::Contains("line 3: key 'layers.lad.role': unknown role 'borough': use blocks, area, pcn_practices"));
    // A reference to a layer that is not there.
    CHECK_THAT(error_of(two_layers + "[matrix]\nlayers = [\"lad\", \"wards\"]\n"),
               Catch::Contains("line 11: key 'matrix.layers': no layer 'wards' under [layers]"));
    // TOML syntax.
    CHECK_THAT(error_of(two_layers + "[matrix\n"), Catch::Contains("line 10: not valid TOML"));
    // No layers at all.
    CHECK_THAT(error_of("[study]\ntitle = \"x\"\n"), Catch::Contains("key 'layers': no layers"));
}

TEST_CASE("study config: non-ASCII text is fine in quotes and comments, refused outside them", "[study][config]") {
    // Names with accents, in every kind of string and in a comment: toml++ is
    // given them as escapes (it has undefined behaviour on some of them).
    const auto title_of = [](const std::string& toml) { return parse(toml + "\n" + two_layers).title; };
    CHECK(title_of("# Égham, Ash Vale ½\n[study]\ntitle = \"Égham \\\" Ư 𝄞\"") == "Égham \" Ư 𝄞");
    CHECK(title_of("[study]\ntitle = 'Égham \\ \"©\"'") == "Égham \\ \"©\"");
    CHECK(title_of("[study]\ntitle = '''\nǄ\nÆ'''") == "Ǆ\nÆ");
    CHECK(title_of("[study]\ntitle = '''Æ \"\"\" '''''") == "Æ \"\"\" ''");  // quotes before the delimiter
    CHECK(title_of("[study]\ntitle = \"\"\"Æ \\\n   élan\"\"\"") == "Æ élan");  // a line-ending backslash
    CHECK_THAT(error_of("[study]\n\"titlé\" = 1 # é\n" + two_layers),
               Catch::Contains("line 2: key 'study.titlé': unknown key"));  // a quoted key
    // Outside quotes, or after a backslash: refused, with the line.
    CHECK_THAT(error_of(two_layers + "[study]\ntitle = Égham\n"),
               Catch::Contains("study.toml line 11: not valid TOML: a non-ASCII character outside quotes"));
    CHECK_THAT(error_of("\xC6\xAF"), Catch::Contains("line 1: not valid TOML: a non-ASCII character outside quotes"));
    CHECK_THAT(error_of("[study]\ntitle = \"a \\é\"\n"),
               Catch::Contains("line 2: not valid TOML: a non-ASCII character after a backslash"));
    CHECK_THAT(error_of("[study]\ntitle = \"\xE9\"\n"), Catch::Contains("line 2: not valid TOML: a byte that is not UTF-8"));
    // A quote inside a comment opens nothing; a bad value stays bad.
    CHECK_THAT(error_of("# it's \"\n[study]\ntitle = é\n"), Catch::Contains("line 3: not valid TOML"));
    CHECK_THAT(error_of("[study]\ntitle = 0+cr\"© Surrey\"\n"), Catch::Contains("line 2: not valid TOML"));
    // Strings in a multi-line array are strings.
    CHECK_THAT(error_of(two_layers + "[matrix]\nlayers = [\n  \"lad\",\n  \"Égham\"\n]\n"),
               Catch::Contains("no layer 'Égham' under [layers]"));
}

TEST_CASE("study config: steps that lack what they need are refused", "[study][config]") {
    const std::string blocks = two_layers + "\n[layers.lsoa]\npath = \"lsoa_2011.gpkg\"\nrole = \"blocks\"\n";
    // Seeded growth needs towns.
    CHECK_THAT(error_of(blocks + "\n[[footprints]]\nblocks = \"lsoa\"\nmethod = \"seeded\"\n"),
               Catch::Contains("line 17: key 'footprints[1].method': seeded growth needs a [towns] table"));
    // SKATER needs k, and attributes.
    CHECK_THAT(error_of(blocks + "\n[[footprints]]\nblocks = \"lsoa\"\nmethod = \"skater\"\nattributes = [\"position\"]\n"),
               Catch::Contains("key 'footprints[1].k': (or mean_population) is needed by skater"));
    // A mean population per footprint instead of k needs the people, and never comes with k.
    CHECK_THAT(error_of(blocks + "\n[[footprints]]\nblocks = \"lsoa\"\nmethod = \"skater\"\nmean_population = 7200\n"
                                 "attributes = [\"position\"]\n"),
               Catch::Contains("key 'footprints[1].mean_population': needs a [population] table"));
    CHECK_THAT(error_of(blocks + "\n[population]\nlayer = \"lsoa\"\ntable = \"population_mid2020_lsoa11.csv\"\nkey = \"k\"\ncolumn = \"total\"\n"
                                 "\n[[footprints]]\nblocks = \"lsoa\"\nmethod = \"skater\"\nmean_population = 7200\nk = 3\n"
                                 "attributes = [\"position\"]\n"),
               Catch::Contains("key 'footprints[1].mean_population': give k or mean_population, not both"));
    CHECK_THAT(error_of(blocks + "\n[[footprints]]\nblocks = \"lsoa\"\nmethod = \"skater\"\nk = 3\n"),
               Catch::Contains("key 'footprints[1].attributes': is needed by skater"));
    // A deprivation column without a [deprivation] table; density without population.
    CHECK_THAT(error_of(blocks + "\n[[footprints]]\nblocks = \"lsoa\"\nmethod = \"skater\"\nk = 3\nattributes = [\"IMD_rank\"]\n"),
               Catch::Contains("'IMD_rank' needs a [deprivation] table"));
    CHECK_THAT(error_of(blocks + "\n[[footprints]]\nblocks = \"lsoa\"\nmethod = \"skater\"\nk = 3\nattributes = [\"density\"]\n"),
               Catch::Contains("density needs a [population] table"));
    // The boundary term is named like an attribute, and needs no table.
    const StudyConfig boundary = parse(blocks + "\n[[footprints]]\nblocks = \"lsoa\"\nmethod = \"azp\"\nk = 3\n"
                                                "attributes = [\"position\", { column = \"boundary\", weight = 0.1 }]\n");
    REQUIRE(boundary.footprints[0].attributes.size() == 2);
    CHECK(boundary.footprints[0].attributes[1].column == "boundary");
    CHECK(boundary.footprints[0].attributes[1].weight == 0.1);
    // Blocks must be a layer of role blocks; an unknown method lists the known ones.
    CHECK_THAT(error_of(blocks + "\n[[footprints]]\nblocks = \"ced\"\nmethod = \"skater\"\nk = 3\n"),
               Catch::Contains("key 'footprints[1].blocks': layer 'ced' has role division; a layer of role blocks is needed"));
    CHECK_THAT(error_of(blocks + "\n[[footprints]]\nblocks = \"lsoa\"\nmethod = \"skater\"\nk = 3\n"
                                 "attributes = [\"position\"]\nbalance = 5\n"),
               Catch::Contains("key 'footprints[1].balance'"));
    CHECK_THAT(error_of(blocks + "\n[[footprints]]\nblocks = \"lsoa\"\nmethod = \"kmeans\"\n"),
               Catch::Contains("key 'footprints[1].method'"));
    // Two runs of one id; an id that cannot name a file.
    CHECK_THAT(error_of(blocks + "\n[[footprints]]\nid = \"a\"\nblocks = \"lsoa\"\nmethod = \"skater\"\nk = 2\n"
                                 "attributes = [\"position\"]\n[[footprints]]\nid = \"a\"\nblocks = \"lsoa\"\nmethod = \"skater\"\nk = 3\n"
                                 "attributes = [\"position\"]\n"),
               Catch::Contains("'a' is used by another [[footprints]] run"));
    CHECK_THAT(error_of(blocks + "\n[[footprints]]\nid = \"My run\"\nblocks = \"lsoa\"\nmethod = \"skater\"\n"),
               Catch::Contains("'My run' must be lower-case letters, digits and _"));
    // The PCN step: practices of role pcn_practices, and blocks for the blocks method.
    CHECK_THAT(error_of(blocks + "\n[pcn]\nclip = \"lad\"\n"),
               Catch::Contains("key 'pcn.practices': is missing, and no layer has role pcn_practices"));
    const std::string practices = blocks + "\n[layers.gp]\npath = \"gp_practices.gpkg\"\nrole = \"pcn_practices\"\n";
    CHECK_THAT(error_of(practices + "\n[pcn]\nclip = \"lad\"\nmethod = \"blocks\"\n"),
               Catch::Contains("key 'pcn.blocks': is needed by the blocks method"));
    CHECK_THAT(error_of(practices + "\n[pcn]\nclip = \"gp\"\n"),
               Catch::Contains("key 'pcn.clip': layer 'gp' holds points"));
    // Scoring against the PCN footprints needs them.
    CHECK_THAT(error_of(two_layers + "[scoring]\nfootprints_against = [\"pcn\"]\n"),
               Catch::Contains("line 11: key 'scoring.footprints_against': 'pcn' needs a [pcn] table"));
    // Clipping by a layer that is itself clipped.
    CHECK_THAT(error_of(two_layers + "clip = \"lad\"\n[layers.lsoa]\npath = \"lsoa_2011.gpkg\"\nrole = \"blocks\"\nclip = \"ced\"\n"),
               Catch::Contains("key 'layers.lsoa.clip': layer 'ced' is itself clipped"));
}

TEST_CASE("study config: a file that cannot be read is an io_error", "[study][config]") {
    CHECK_THROWS_AS(read_study_config(source_path("examples/surrey/no_such_study.toml")), io_error);
}

TEST_CASE("study config: a footprint run's ensemble", "[study][config][ensemble]") {
    const std::string run = two_layers + "\n[layers.lsoa]\npath = \"lsoa_2011.gpkg\"\nrole = \"blocks\"\n" +
                            "\n[[footprints]]\nblocks = \"lsoa\"\nmethod = \"azp\"\nk = 3\nattributes = [\"position\"]\n";
    CHECK(parse(run).footprints[0].request.ensemble.runs == 0);
    const StudyConfig config = parse(run + "ensemble = 20\nensemble_methods = [\"azp\", \"maxp\"]\n");
    const EnsembleOptions& ensemble = config.footprints[0].request.ensemble;
    CHECK(ensemble.runs == 20);
    CHECK(ensemble.methods == std::vector<ClusterMethod>{ClusterMethod::azp, ClusterMethod::maxp});
    CHECK_THAT(error_of(run + "ensemble = 1\n"), Catch::Contains("key 'footprints[1].ensemble'"));
    CHECK_THAT(error_of(run + "ensemble_methods = [\"azp\"]\n"),
               Catch::Contains("key 'footprints[1].ensemble_methods': needs ensemble = N"));
    CHECK_THAT(error_of(run + "ensemble = 4\nensemble_methods = [\"kmeans\"]\n"),
               Catch::Contains("key 'footprints[1].ensemble_methods'") && Catch::Contains("kmeans"));
    CHECK_THAT(error_of(run + "ensemble = 4\nensemble_methods = \"azp\"\n"), Catch::Contains("must be an array"));
}

TEST_CASE("study config: a footprint run left out of the printed report", "[study][config]") {
    const std::string run = two_layers + "\n[layers.lsoa]\npath = \"lsoa_2011.gpkg\"\nrole = \"blocks\"\n" +
                            "\n[[footprints]]\nblocks = \"lsoa\"\nmethod = \"azp\"\nk = 3\nattributes = [\"position\"]\n";
    CHECK(parse(run).footprints[0].printed);
    CHECK_FALSE(parse(run + "printed = false\n").footprints[0].printed);
    CHECK_THAT(error_of(run + "printed = \"no\"\n"),
               Catch::Contains("key 'footprints[1].printed': must be true or false, not a string"));
}

TEST_CASE("study config: partner layers a run respects and aligns with", "[study][config][partners]") {
    const std::string run = two_layers + "\n[layers.lsoa]\npath = \"lsoa_2011.gpkg\"\nrole = \"blocks\"\n" +
                            "\n[[footprints]]\nblocks = \"lsoa\"\nmethod = \"skater\"\nk = 3\nattributes = [\"position\"]\n";
    const StudyConfig config = parse(run + "respect = \"lad\"\nalign = [\"ced\", { layer = \"lad\", weight = 0.5 }]\n");
    const StudyFootprints& f = config.footprints.front();
    REQUIRE(f.respect.size() == 1);
    CHECK(f.respect[0].layer == "lad");
    CHECK(f.respect[0].weight == 1.0);
    REQUIRE(f.align.size() == 2);
    CHECK(f.align[0].layer == "ced");
    CHECK(f.align[1].layer == "lad");
    CHECK(f.align[1].weight == 0.5);
    CHECK_THAT(error_of(run + "respect = \"wards\"\n"), Catch::Contains("key 'footprints[1].respect': no layer 'wards' under [layers]"));
    CHECK_THAT(error_of(run + "align = [{ layer = \"ced\", weight = 0 }]\n"),
               Catch::Contains("key 'footprints[1].align.weight': must be between"));
    CHECK_THAT(error_of(run + "align = [{ layer = \"ced\", wieght = 2 }]\n"), Catch::Contains("wieght"));
    CHECK_THAT(error_of(run + "align = 3\n"), Catch::Contains("must hold layer names"));
}

TEST_CASE("study config: proposals compared side by side", "[study][config][compare]") {
    const std::string base = two_layers + "\n[layers.lsoa]\npath = \"lsoa_2011.gpkg\"\nrole = \"blocks\"\n" +
                             "\n[population]\nlayer = \"lsoa\"\ntable = \"population_mid2020_lsoa11.csv\"\n" +
                             "key = \"lsoa11_code\"\ncolumn = \"total_population\"\n" +
                             "\n[[footprints]]\nid = \"sk\"\nblocks = \"lsoa\"\nmethod = \"skater\"\nk = 3\nattributes = [\"position\"]\n";
    const std::string comparison = "\n[[comparisons]]\nid = \"councils\"\nblocks = \"lsoa\"\npartners = [\"ced\", \"sk\"]\n"
                                   "max_population = 200000\nblock_column = \"LADCD_ACTIVE\"\n";
    const std::string districts = "\n[[comparisons.proposals]]\nname = \"districts\"\nlayer = \"lad\"\n";
    const std::string footprints = "\n[[comparisons.proposals]]\nname = \"footprints\"\nfootprints = \"sk\"\n";
    const StudyConfig config = parse(base + comparison + districts + footprints);
    REQUIRE(config.comparisons.size() == 1);
    const StudyComparison& c = config.comparisons[0];
    CHECK(c.id == "councils");
    CHECK(c.blocks == "lsoa");
    CHECK(c.partners == std::vector<std::string>{"ced", "sk"});
    CHECK(c.max_population == 200000);
    CHECK(c.min_population == 0);
    CHECK(c.block_column == "LADCD_ACTIVE");
    CHECK(c.place_column == "area");
    REQUIRE(c.proposals.size() == 2);
    CHECK(c.proposals[0].layer == "lad");
    CHECK(c.proposals[1].footprints == "sk");

    CHECK_THAT(error_of(base + comparison), Catch::Contains("key 'comparisons[1].proposals': has no [[comparisons[1].proposals]] to compare"));
    CHECK_THAT(error_of(base + comparison + "\n[[comparisons.proposals]]\nname = \"both\"\nlayer = \"lad\"\nfootprints = \"sk\"\n"),
               Catch::Contains("key 'comparisons[1].proposals[1]': give one of lookup, layer or footprints"));
    CHECK_THAT(error_of(base + comparison + "\n[[comparisons.proposals]]\nname = \"x\"\nfootprints = \"towns\"\n"),
               Catch::Contains("key 'comparisons[1].proposals[1].footprints': no [[footprints]] run 'towns'"));
    CHECK_THAT(error_of(base + comparison + "\n[[comparisons.proposals]]\nname = \"x\"\nlookup = \"nowhere.csv\"\n"),
               Catch::Contains("file not found"));
    CHECK_THAT(error_of(base + comparison + districts + districts), Catch::Contains("'districts' names another proposal"));
    CHECK_THAT(error_of(base + comparison + districts + "\n[[comparisons.proposals]]\nname = \"x\"\nlayr = \"lad\"\n"),
               Catch::Contains("key 'comparisons[1].proposals[2].layr': unknown key"));
    CHECK_THAT(error_of(base + "\n[[comparisons]]\nblocks = \"lsoa\"\npartners = [\"wards\"]\n" + districts),
               Catch::Contains("key 'comparisons[1].partners': no layer 'wards'"));
    CHECK_THAT(error_of(base + "\n[[comparisons]]\nblocks = \"lad\"\npartners = [\"ced\"]\n" + districts),
               Catch::Contains("a layer of role blocks is needed here"));
    CHECK_THAT(error_of(base + "\n[comparisons]\nblocks = \"lsoa\"\n"), Catch::Contains("must be written as [[comparisons]] tables"));
}

TEST_CASE("study config: functional areas from commuting flows", "[study][config][flows]") {
    // The parse only checks the table is there; any CSV of the sample serves.
    const std::string flows = "\n[[flows]]\nid = \"ttwa\"\nunits = \"ced\"\ntable = \"population_mid2020_lsoa11.csv\"\n";
    const StudyConfig config = parse(two_layers + flows + "rules = \"istat\"\nmin_size = 2000\nadjacency = \"rook\"\n");
    REQUIRE(config.flows.size() == 1);
    const StudyFlows& f = config.flows[0];
    CHECK(f.id == "ttwa");
    CHECK(f.units == "ced");
    CHECK(f.rules_name == "istat");
    CHECK(f.rules.min_size == 2000);       // changed
    CHECK(f.rules.target_size == 10000);   // the preset's
    CHECK(f.contiguity.adjacency == Adjacency::rook);
    CHECK(f.rules.regrouping == Regrouping::one_unit);  // Istat's way, with Istat's rules
    CHECK(parse(two_layers + flows + "rules = \"istat\"\nregrouping = \"whole_area\"\n").flows[0].rules.regrouping ==
          Regrouping::whole_area);
    CHECK_THAT(error_of(two_layers + flows + "regrouping = \"some\"\n"),
               Catch::Contains("key 'flows[1].regrouping': unknown regrouping 'some': use whole_area or one_unit"));
    CHECK(f.against == std::vector<std::string>{"lad"});  // the districts, never the units themselves
    CHECK(parse(two_layers + flows).flows[0].contiguity.adjacency == Adjacency::queen);

    CHECK_THAT(error_of(two_layers + flows + "rules = \"census\"\n"),
               Catch::Contains("key 'flows[1].rules': unknown functional area rules 'census'"));
    CHECK_THAT(error_of(two_layers + flows + "min_size = 30000\n"), Catch::Contains("minimum size must be above 0 and below the target"));
    CHECK_THAT(error_of(two_layers + flows + "min_containment = 1.5\n"),
               Catch::Contains("key 'flows[1].min_containment': must be between 0 and 1"));
    CHECK_THAT(error_of(two_layers + flows + "against = [\"ward\"]\n"), Catch::Contains("key 'flows[1].against': no layer 'ward'"));
    CHECK_THAT(error_of(two_layers + "\n[[flows]]\nunits = \"ced\"\ntable = \"nowhere.csv\"\n"), Catch::Contains("file not found"));
    CHECK_THAT(error_of(two_layers + flows + flows), Catch::Contains("'ttwa' is used by another [[flows]] table"));
}

TEST_CASE("study config: a layer dissolved by a column", "[study][config][flows]") {
    const StudyConfig config = parse(two_layers + "\n[layers.county]\npath = \"lad_2021.gpkg\"\ndissolve = \"CTRY\"\nrole = \"county\"\n");
    CHECK(config.layer("county")->dissolve == "CTRY");
    CHECK_THAT(error_of(two_layers + "\n[layers.gp]\npath = \"lad_2021.gpkg\"\ndissolve = \"CTRY\"\nrole = \"pcn_practices\"\n"),
               Catch::Contains("points cannot be dissolved"));
}
