// PCN footprints on a hand-drawn county: a 4 km x 2 km clip area and
// practices of two PCNs; answers checkable on paper.
#include "hand_layers.hpp"
#include "support.hpp"

#include "placedef/catchment.hpp"
#include "placedef/error.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace placedef;
using placedef::test::box_wkt;
using placedef::test::hand_layer;

namespace {

Layer county() { return hand_layer("county", {{"C", box_wkt(0, 0, 4000, 2000)}, {"OTHER", box_wkt(4000, 0, 8000, 2000)}}); }

struct PracticeRow {
    const char* code;
    const char* pcn;
    double x, y;
    bool located;
};

Layer practices(const std::vector<PracticeRow>& rows) {
    Layer layer;
    layer.name = "practices";
    layer.source = "practices.gpkg";
    layer.crs = "EPSG:27700";
    layer.kind = LayerKind::point;
    layer.code_column = "PRACTICE_CODE";
    layer.attribute_names = {"PRACTICE_CODE", "PRACTICE_NAME", "PCN_CODE", "PCN_NAME"};
    std::int64_t fid = 1;
    for (const PracticeRow& row : rows) {
        Feature feature;
        feature.fid = fid++;
        feature.code = row.code;
        feature.point = {row.x, row.y};
        feature.located = row.located;
        feature.attributes = {row.code, std::string("Practice ") + row.code, row.pcn, std::string(row.pcn) + " PCN"};
        layer.features.push_back(feature);
    }
    return layer;
}

// West PCN W: two practices near x = 500 and 1500; east PCN E: one at 3000.
// Plus one without a location, one in no PCN, one outside the clip area and
// one of PCN E at W's west site.
Layer surrey_like() {
    return practices({{"P1", "W", 500, 1000, true},
                      {"P2", "W", 1500, 1000, true},
                      {"P3", "E", 3000, 1000, true},
                      {"P4", "E", 0, 0, false},
                      {"P5", "U", 2000, 500, true},
                      {"P6", "X", 6000, 1000, true},
                      {"P7", "E", 500.4, 1000, true}});
}

PcnOptions in_county(PcnMethod method) {
    PcnOptions options;
    options.method = method;
    options.clip_codes = {"C"};
    return options;
}

const PcnFootprint& footprint(const PcnResult& result, const std::string& code) {
    for (const PcnFootprint& f : result.footprints)
        if (f.code == code) return f;
    throw std::runtime_error("no footprint " + code);
}

}  // namespace

TEST_CASE("voronoi footprints cover the clip area and account for every practice", "[catchment][pcn]") {
    ProblemSink problems;
    const PcnResult result = pcn_footprints(surrey_like(), county(), nullptr, in_county(PcnMethod::voronoi), problems);
    REQUIRE(result.footprints.size() == 2);
    // At x = 500, P1 (W) and P7 (E) share a site: one vote each, and the tie
    // goes to the code that sorts first, E. Sites: 500 (E), 1500 (W), 3000 (E);
    // cells split at x = 1000 and x = 2250.
    CHECK(footprint(result, "W").area_m2 == Approx(1250.0 * 2000));
    CHECK(footprint(result, "E").area_m2 == Approx((1000.0 + 1750.0) * 2000));
    CHECK(footprint(result, "E").parts == 2);
    CHECK(footprint(result, "E").name == "E PCN");
    CHECK(result.clip_area == Approx(8e6));
    CHECK(result.covered_area == Approx(8e6));
    CHECK(result.footprint_area == Approx(8e6));  // no overlaps, no gaps
    CHECK(result.sites == 3);

    REQUIRE(result.practices.size() == 7);
    CHECK(result.practices[3].status == PracticeStatus::no_location);
    CHECK(result.practices[4].status == PracticeStatus::unallocated);
    CHECK(result.practices[5].status == PracticeStatus::outside_clip);
    CHECK(result.practices[0].status == PracticeStatus::shares_site);  // P1 (W) lost the shared site to E
    CHECK(result.practices[6].status == PracticeStatus::used);
    REQUIRE(result.pcns_outside.size() == 1);
    CHECK(result.pcns_outside[0].first == "X");
    CHECK(problems.count(ProblemKind::practice_not_used) == 3);  // no location, unallocated, shares site
}

TEST_CASE("blocks footprints are whole blocks, by Voronoi majority or nearest practice", "[catchment][pcn]") {
    // Four 1 km x 2 km blocks across the county, and one outside it.
    const Layer blocks = hand_layer("blocks", {{"B1", box_wkt(0, 0, 1000, 2000)},
                                               {"B2", box_wkt(1000, 0, 2000, 2000)},
                                               {"B3", box_wkt(2000, 0, 3000, 2000)},
                                               {"B4", box_wkt(3000, 0, 4000, 2000)},
                                               {"B5", box_wkt(5000, 0, 6000, 2000)}});
    ProblemSink problems;
    const PcnResult result = pcn_footprints(surrey_like(), county(), &blocks, in_county(PcnMethod::blocks), problems);
    REQUIRE(result.blocks.size() == 4);
    CHECK(result.blocks[0].pcn == "E");  // B1: all in the cell of the site at 500
    CHECK(result.blocks[1].pcn == "W");
    CHECK(result.blocks[2].pcn == "E");  // B3: 2000..2250 in W's cell, 2250..3000 in E's
    CHECK(result.blocks[2].share == Approx(0.75));
    CHECK(result.blocks[2].how == "voronoi majority");
    CHECK(result.covered_area == Approx(8e6));

    PcnOptions nearest = in_county(PcnMethod::blocks);
    nearest.nearest_practice = true;
    const PcnResult by_nearest = pcn_footprints(surrey_like(), county(), &blocks, nearest, problems);
    CHECK(by_nearest.blocks[2].how == "nearest practice");
}

TEST_CASE("registered footprints follow patients, and blocks without any fall back", "[catchment][pcn]") {
    const Layer blocks = hand_layer("blocks", {{"B1", box_wkt(0, 0, 2000, 2000)}, {"B2", box_wkt(2000, 0, 4000, 2000)}});
    const std::string path = test::temp_dir("registered") + "/patients.csv";
    {
        std::ofstream out(path);
        out << "PUBLICATION,PRACTICE_CODE,LSOA_CODE,SEX,NUMBER_OF_PATIENTS\n"
               "x,P2,B1,ALL,700\nx,P3,B1,ALL,300\nx,P2,B1,MALE,350\nx,NOPE,B1,ALL,5\n";
    }
    const RegisteredPatients registered = read_registered_patients(path);
    CHECK(registered.patients.size() == 3);  // MALE rows left out: the file has ALL rows
    PcnOptions options = in_county(PcnMethod::registered);
    options.registered = &registered;
    ProblemSink problems;
    const PcnResult result = pcn_footprints(surrey_like(), county(), &blocks, options, problems);
    REQUIRE(result.blocks.size() == 2);
    CHECK(result.blocks[0].pcn == "W");
    CHECK(result.blocks[0].share == Approx(0.7));
    CHECK(result.blocks[0].how == "registered patients");
    CHECK(result.blocks[1].how == "no patients: voronoi majority");
    CHECK(problems.count(ProblemKind::missing_key) == 2);  // the unknown practice, the block without patients

    std::ofstream(path) << "PRACTICE_CODE,LSOA_CODE,NUMBER_OF_PATIENTS\nP2,B1,n/a\n";
    CHECK_THROWS_AS(read_registered_patients(path), invalid_input);
    // A negative count, and a pair given twice (it would be summed), are refused with the line.
    std::ofstream(path) << "PRACTICE_CODE,LSOA_CODE,NUMBER_OF_PATIENTS\nP1,B1,5\nP2,B1,-3\n";
    CHECK_THROWS_WITH(read_registered_patients(path), Catch::Contains("negative") && Catch::Contains("line 3"));
    std::ofstream(path) << "PRACTICE_CODE,LSOA_CODE,NUMBER_OF_PATIENTS\nP1,B1,5\nP2,B1,3\nP1,B1,4\n";
    CHECK_THROWS_WITH(read_registered_patients(path),
                      Catch::Contains("P1") && Catch::Contains("line 2") && Catch::Contains("line 4"));
    std::ofstream(path) << "PRACTICE_CODE,NUMBER_OF_PATIENTS\nP2,3\n";
    CHECK_THROWS_WITH(read_registered_patients(path), Catch::Contains("LSOA"));
}

TEST_CASE("pcn refuses what it cannot do", "[catchment][pcn][errors]") {
    ProblemSink problems;
    PcnOptions options = in_county(PcnMethod::voronoi);
    options.clip_codes = {"NOWHERE"};
    CHECK_THROWS_WITH(pcn_footprints(surrey_like(), county(), nullptr, options, problems), Catch::Contains("NOWHERE"));
    CHECK_THROWS_AS(pcn_footprints(surrey_like(), county(), nullptr, in_county(PcnMethod::blocks), problems), invalid_input);
    CHECK_THROWS_AS(pcn_footprints(practices({{"P9", "E", 9000, 9000, true}}), county(), nullptr, in_county(PcnMethod::voronoi), problems),
                    invalid_input);  // no practice in the clip area
    CHECK_THROWS_AS(pcn_method_from_string("voronio"), invalid_input);
}

TEST_CASE("pcn: a tie is said, and a practice listed twice is refused", "[catchment][pcn][numbers]") {
    // Issue 16: ties went silently to the first code; a repeated practice code was accepted.
    const Layer blocks = hand_layer("blocks", {{"B1", box_wkt(0, 0, 2000, 2000)}, {"B2", box_wkt(2000, 0, 4000, 2000)}});
    const std::string path = test::temp_dir("registered-tie") + "/patients.csv";
    std::ofstream(path) << "PRACTICE_CODE,LSOA_CODE,NUMBER_OF_PATIENTS\nP2,B1,500\nP3,B1,500\nP3,B2,10\n";
    const RegisteredPatients registered = read_registered_patients(path);
    PcnOptions options = in_county(PcnMethod::registered);
    options.registered = &registered;
    ProblemSink problems;
    const PcnResult result = pcn_footprints(surrey_like(), county(), &blocks, options, problems);
    REQUIRE(result.blocks.size() == 2);
    CHECK(result.blocks[0].pcn == "E");  // the first code
    CHECK(result.blocks[0].how == "registered patients (tie with W)");
    CHECK(result.blocks[1].how == "registered patients");

    Layer twice = surrey_like();
    twice.features[4].code = "P2";
    CHECK_THROWS_WITH(pcn_footprints(twice, county(), nullptr, in_county(PcnMethod::voronoi), problems),
                      Catch::Contains("practice code 'P2' is given twice (features 2 and 5)"));
}
