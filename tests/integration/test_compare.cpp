// Proposals compared side by side (run_compare) on a hand-drawn 4 x 4 grid
// of 1 km blocks, where every score can be worked out by hand:
//  - the partner's units are the four 2 x 2 quadrants (SW, SE, NW, NE);
//  - "nest" cuts the grid into west and east halves: every quadrant lies
//    wholly in one of its places;
//  - "split" cuts it three columns to one: the line x = 3000 km cuts the
//    two eastern quadrants (NE and SE) in half;
//  - a block in column c holds 100 × (c + 1) people, so a column holds
//    400, 800, 1,200 and 1,600 people (4,000 in all);
//  - deprivation: the block in column 0, row 0 is in national decile 1 and
//    the block in column 3, row 3 in decile 2; every other block in decile 5.
#include "hand_layers.hpp"
#include "support.hpp"

#include "placedef/error.hpp"
#include "placedef/io.hpp"
#include "placedef/pipeline.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

using namespace placedef;
using namespace placedef::test;
using Catch::Matchers::Contains;

namespace {

std::string block_code(int column, int row) { return "c" + std::to_string(column) + "r" + std::to_string(row); }

std::shared_ptr<const Layer> grid_blocks() {
    std::vector<std::pair<std::string, std::string>> units;
    for (int row = 0; row < 4; ++row)
        for (int column = 0; column < 4; ++column)
            units.emplace_back(block_code(column, row), box_wkt(column * 1000, row * 1000, (column + 1) * 1000, (row + 1) * 1000));
    return std::make_shared<const Layer>(hand_layer("blocks", units));
}

std::vector<double> grid_people(const Layer& blocks) {
    std::vector<double> people;
    for (const Feature& block : blocks.features) people.push_back(100.0 * (block.code[1] - '0' + 1));
    return people;
}

std::shared_ptr<const Layer> quadrants() {
    return std::make_shared<const Layer>(hand_layer("quadrants", {{"SW", box_wkt(0, 0, 2000, 2000)},
                                                                  {"SE", box_wkt(2000, 0, 4000, 2000)},
                                                                  {"NW", box_wkt(0, 2000, 2000, 4000)},
                                                                  {"NE", box_wkt(2000, 2000, 4000, 4000)}}));
}

std::shared_ptr<const Layer> halves(const std::string& name, double cut) {
    return std::make_shared<const Layer>(
        hand_layer(name, {{"W", box_wkt(0, 0, cut, 4000)}, {"E", box_wkt(cut, 0, 4000, 4000)}}));
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
}

/// The grid's deprivation table: a rank and a national decile per block.
std::string deprivation_table(const std::string& folder) {
    std::string text = "code,IMD_rank,IMD_decile\n";
    for (int row = 0; row < 4; ++row)
        for (int column = 0; column < 4; ++column) {
            const int decile = column == 0 && row == 0 ? 1 : column == 3 && row == 3 ? 2 : 5;
            text += block_code(column, row) + "," + std::to_string(decile * 1000 + row * 4 + column) + "," +
                    std::to_string(decile) + "\n";
        }
    write_file(folder + "/imd.csv", text);
    return folder + "/imd.csv";
}

CompareRequest grid_request(const std::string& folder) {
    const std::shared_ptr<const Layer> blocks = grid_blocks();
    CompareRequest request;
    request.blocks = LayerInput(blocks);
    request.population.units = LayerInput(blocks);
    request.population.values = grid_people(*blocks);
    request.proposals = {{"nest", LayerInput(halves("nest", 2000)), {}}, {"split", LayerInput(halves("split", 3000)), {}}};
    request.partners = {LayerInput(quadrants())};
    request.deprivation = {LayerInput(blocks), deprivation_table(folder), "code", "IMD_rank", {}};
    request.min_population = 1500;
    request.max_population = 2500;
    return request;
}

const ProposalPlace& place(const ProposalScore& proposal, const std::string& code) {
    for (const ProposalPlace& p : proposal.places)
        if (p.code == code) return p;
    FAIL("no place " << code << " in " << proposal.name);
    throw;
}

}  // namespace

TEST_CASE("compare: one proposal nests in the quadrants, the other splits two of them", "[compare][pipeline]") {
    const std::string folder = temp_dir("compare-grid");
    ProblemSink problems;
    const CompareResult result = run_compare(grid_request(folder), RunSettings{}, problems);
    CHECK(problems.count() == 0);
    REQUIRE(result.proposals.size() == 2);
    const ProposalScore &nest = result.proposals[0], &split = result.proposals[1];

    SECTION("co-terminosity both ways, by area and by people") {
        const ProposalFit& n = nest.fits.at(0);
        CHECK(n.partner == "quadrants");
        CHECK(n.report.b_in_a.scored == 4);
        CHECK(n.split_units == 0);
        CHECK(n.people_in_split_units == 0);
        CHECK(n.report.b_in_a.coterminosity_index == Approx(1.0));
        CHECK(n.report.b_in_a.coterminosity_index_pop == Approx(1.0));
        // Each half is two quadrants: half of it in its largest one, by area and by people.
        CHECK(n.report.a_in_b.coterminosity_index == Approx(0.5));
        CHECK(n.report.a_in_b.coterminosity_index_pop == Approx(0.5));

        const ProposalFit& s = split.fits.at(0);
        CHECK(s.split_units == 2);
        REQUIRE(s.split.size() == 2);
        CHECK(((s.split[0].code == "NE" && s.split[1].code == "SE") || (s.split[0].code == "SE" && s.split[1].code == "NE")));
        // NE and SE hold 1,400 people each: 600 in column 2 (place W), 800 in column 3 (place E, their main place).
        CHECK(s.people_in_split_units == Approx(2800));
        CHECK(s.people_outside_main == Approx(1200));
        // NW and SW whole, NE and SE half in one place: (4 + 4 + 2 + 2) / 16 km².
        CHECK(s.report.b_in_a.coterminosity_index == Approx(0.75));
        // By people: (600 + 600 + 800 + 800) / 4,000.
        CHECK(s.report.b_in_a.coterminosity_index_pop == Approx(0.7));
        // W (12 km², 2,400 people) holds a third of its area and a quarter of its
        // people in any one quadrant; E (4 km², 1,600 people) half of each.
        CHECK(s.report.a_in_b.coterminosity_index == Approx((12.0 / 3 + 4 * 0.5) / 16));
        CHECK(s.report.a_in_b.coterminosity_index_pop == Approx((2400 * 0.25 + 1600 * 0.5) / 4000));
    }

    SECTION("boundary alignment") {
        // Line within 20 m (the distance) of the grid's outer edge is not
        // counted either way: 20 m at each end of every inner line.
        // The halves' only inner line, x = 2000, is a quadrant line.
        CHECK(nest.fits[0].report.a_in_b.boundary_alignment == Approx(1.0));
        // Each quadrant's 3,960 m of inner line: 1,980 m on x = 2000 and the
        // 20 m of y = 2000 within the distance of it.
        CHECK(nest.fits[0].report.b_in_a.boundary_alignment == Approx(2000.0 / 3960));
        // x = 3000 meets a quadrant line only where it crosses y = 2000 (40 m).
        CHECK(split.fits[0].report.a_in_b.boundary_alignment == Approx(40.0 / 3960));
        // Of the quadrants' 4 × 3,960 m of inner line, 40 m in NE and 40 m in SE lie by x = 3000.
        CHECK(split.fits[0].report.b_in_a.boundary_alignment == Approx(80.0 / (4 * 3960)));
    }

    SECTION("balance against the target range of 1,500 to 2,500 people") {
        CHECK(place(nest, "W").people == 1200);
        CHECK(place(nest, "E").people == 2800);
        CHECK(nest.balance.min == 1200);
        CHECK(nest.balance.max == 2800);
        CHECK(nest.balance.ratio == Approx(2800.0 / 1200));
        CHECK(nest.balance.cv == Approx(800.0 / 2000));  // standard deviation 800 around the mean of 2,000
        CHECK(nest.balance.below == 1);
        CHECK(nest.balance.above == 1);
        CHECK_FALSE(nest.balance.within_target());
        CHECK(split.balance.ratio == Approx(1.5));
        CHECK(split.balance.cv == Approx(400.0 / 2000));
        CHECK(split.balance.within_target());
    }

    SECTION("people in deciles 1-2 per place and its spread") {
        CHECK(place(nest, "W").deprivation.people_deciles_1_2 == Approx(100));
        CHECK(place(nest, "W").deprivation.share_deciles_1_2 == Approx(100.0 / 1200));
        CHECK(place(nest, "E").deprivation.share_deciles_1_2 == Approx(400.0 / 2800));
        CHECK(nest.deprived_max - nest.deprived_min == Approx(400.0 / 2800 - 100.0 / 1200));
        CHECK(place(split, "W").deprivation.share_deciles_1_2 == Approx(100.0 / 2400));
        CHECK(place(split, "E").deprivation.share_deciles_1_2 == Approx(400.0 / 1600));
    }

    SECTION("shape") {
        const ShapeMeasures& w = place(nest, "W").shape;
        CHECK(w.parts == 1);
        CHECK(w.area_m2 == Approx(8e6));
        CHECK(w.polsby_popper == Approx(4 * M_PI * 8e6 / (12000.0 * 12000.0)));
        CHECK(w.hull_ratio == Approx(1.0));
        CHECK(place(split, "E").shape.polsby_popper == Approx(4 * M_PI * 4e6 / (10000.0 * 10000.0)));
    }

    SECTION("change between the proposals: column 2 moves from E to W, and NE and SE are split") {
        REQUIRE(result.moves.size() == 1);
        const PlaceMove& move = result.moves[0];
        CHECK(nest.places[static_cast<std::size_t>(move.from_place)].code == "E");
        CHECK(split.places[static_cast<std::size_t>(move.to_place)].code == "W");
        CHECK(move.people == 1200);
        REQUIRE(move.blocks.size() == 4);
        for (std::size_t b : move.blocks) CHECK(result.blocks->features[b].code[1] == '2');
        REQUIRE(result.partner_changes.size() == 2);
        for (const PartnerChange& change : result.partner_changes) {
            CHECK((change.before.code == "NE" || change.before.code == "SE"));
            CHECK(change.before.status == CrosswalkStatus::whole);
            CHECK(change.after.status == CrosswalkStatus::split);
        }
    }
}

TEST_CASE("compare: a proposal given as a lookup of blocks scores as its polygons do", "[compare][pipeline]") {
    const std::string folder = temp_dir("compare-lookup");
    std::string lookup = "block,area,name\n";
    for (int row = 0; row < 4; ++row)
        for (int column = 0; column < 4; ++column)
            lookup += block_code(column, row) + "," + (column < 3 ? "W,West" : "E,East") + "\n";
    write_file(folder + "/split.csv", lookup);
    CompareRequest request = grid_request(folder);
    request.proposals[0] = {"split from blocks", {}, folder + "/split.csv"};
    ProblemSink problems;
    const CompareResult result = run_compare(request, RunSettings{}, problems);
    const ProposalScore &from_blocks = result.proposals[0], &drawn = result.proposals[1];
    CHECK(place(from_blocks, "W").name == "West");
    CHECK(place(from_blocks, "W").shape.area_m2 == Approx(12e6));
    CHECK(place(from_blocks, "W").shape.parts == 1);
    CHECK(place(from_blocks, "W").people == 2400);
    const LayerScore &a = from_blocks.fits[0].report.b_in_a, &b = drawn.fits[0].report.b_in_a;
    CHECK(a.coterminosity_index == Approx(b.coterminosity_index));
    CHECK(a.coterminosity_index_pop == Approx(b.coterminosity_index_pop));
    CHECK(from_blocks.fits[0].split_units == 2);
    // The same drawing: no block moves and no partner unit changes.
    CHECK(result.moves.empty());
    CHECK(result.partner_changes.empty());
}

TEST_CASE("compare: a map is a figure per partner, a panel per proposal", "[compare][pipeline]") {
    const std::string folder = temp_dir("compare-maps");
    CompareRequest request = grid_request(folder);
    request.map.width_px = 800;
    request.map.height_px = 500;
    ProblemSink problems;
    SECTION("one partner: the path named") {
        request.outputs.paths = {folder + "/figure.svg"};
        CHECK(compare_map_paths(folder + "/figure.svg", {"quadrants"}) == std::vector<std::string>{folder + "/figure.svg"});
        run_compare(request, RunSettings{}, problems);
        const std::string svg = read_text(folder + "/figure.svg");
        CHECK_THAT(svg, Contains(">nest: 2 places<"));
        CHECK_THAT(svg, Contains(">split: 2 places<"));
        CHECK_THAT(svg, Contains("nest and split, with the units of quadrants"));
        std::size_t panels = 0;
        for (std::size_t at = svg.find("<g class=\"panel\""); at != std::string::npos; at = svg.find("<g class=\"panel\"", at + 1))
            ++panels;
        CHECK(panels == 2);
    }
    SECTION("several partners: a figure each, named after the partner, and not the path named") {
        request.partners.push_back(LayerInput(halves("Halves 2000", 2000)));
        request.outputs.paths = {folder + "/figure.png", folder + "/figure.pdf"};
        const std::vector<std::string> expected{folder + "/figure_quadrants.png", folder + "/figure_halves_2000.png"};
        const CompareResult result = run_compare(request, RunSettings{}, problems);
        CHECK(compare_map_paths(folder + "/figure.png", result.partners) == expected);
        for (const std::string& path : expected) CHECK(std::filesystem::file_size(path) > 1000);
        CHECK(std::filesystem::exists(folder + "/figure_halves_2000.pdf"));
        CHECK_FALSE(std::filesystem::exists(folder + "/figure.png"));
        CHECK_FALSE(std::filesystem::exists(folder + "/figure.pdf"));
        // Each panel outlines the partner of its figure, over the proposal's places.
        const std::vector<MapPanel> panels = comparison_panels(result, 1, "Halves");
        REQUIRE(panels.size() == 2);
        CHECK(panels[0].layers.at(0).layer == result.proposals[0].polygons.get());
        CHECK(panels[1].layers.at(1).layer == result.partner_layers[1].get());
        CHECK(panels[1].layers.at(1).legend_title == "Halves");
        CHECK_THROWS_AS(comparison_panels(result, 2), invalid_input);
    }
    SECTION("two partners of one name get a file each, named as files take names") {
        CHECK(compare_map_paths(folder + "/f.svg", {"quadrants", "quadrants"}) ==
              std::vector<std::string>{folder + "/f_quadrants.svg", folder + "/f_quadrants_2.svg"});
        CHECK(compare_map_paths("plain.svg", {"ICB 2022", "Sub-ICB"}) ==
              std::vector<std::string>{"plain_icb_2022.svg", "plain_sub_icb.svg"});
        CHECK(compare_written_paths("t.csv", {"a", "b"}).size() == 5);
        CHECK(compare_written_paths("t.gpkg", {"a", "b"}) == std::vector<std::string>{"t.gpkg"});
    }
    SECTION("a figure that would replace an input is refused") {
        // The quadrants read from a file whose name the figure against them would take.
        const std::string input = folder + "/figure_quadrants.svg";
        write_file(input, "<svg/>");
        auto read_there = std::make_shared<Layer>(*quadrants());
        read_there->source = input;
        request.partners = {LayerInput(read_there), LayerInput(halves("halves", 2000))};
        request.outputs.paths = {folder + "/figure.svg"};
        CHECK_THROWS_WITH(run_compare(request, RunSettings{}, problems), Contains("figure_quadrants.svg"));
        CHECK(read_text(input) == "<svg/>");
        CHECK_FALSE(std::filesystem::exists(folder + "/figure_halves.svg"));
    }
}

TEST_CASE("compare: bad requests are refused with the reason", "[compare][pipeline]") {
    const std::string folder = temp_dir("compare-bad");
    CompareRequest request = grid_request(folder);
    ProblemSink problems;
    SECTION("no partner") {
        request.partners.clear();
        CHECK_THROWS_WITH(run_compare(request, RunSettings{}, problems), Contains("at least one partner layer"));
    }
    SECTION("two proposals of one name") {
        request.proposals[1].name = "nest";
        CHECK_THROWS_WITH(run_compare(request, RunSettings{}, problems), Contains("two proposals are named 'nest'"));
    }
    SECTION("a lookup without its place column") {
        write_file(folder + "/bad.csv", "block,council\nc0r0,W\n");
        request.proposals[0] = {"bad", {}, folder + "/bad.csv"};
        CHECK_THROWS_WITH(run_compare(request, RunSettings{}, problems), Contains("has no column 'area'"));
    }
}

namespace {

/// The people of each Surrey district, summed from its LSOA 2011 populations
/// (mid-2020) as published: no apportioning.
std::map<std::string, double> district_people() {
    ProblemSink problems;
    const Layer lsoas = open_layer(uk_data_path("lsoa_2011_bgc.gpkg") + "@LSOA11CD", RunSettings{}, problems);
    const Table table = read_table(uk_data_path("population_mid2020_lsoa11_syoa.csv"), "lsoa11_code");
    const std::size_t district = *lsoas.attribute_index("LADCD_ACTIVE");
    const std::size_t people = *table.column_index("total_population");
    std::map<std::string, double> sums;
    for (const Feature& lsoa : lsoas.features)
        sums[lsoa.attributes[district]] += std::stod(table.rows[*table.row_of(lsoa.code)][people]);
    return sums;
}

std::vector<std::string> codes_of(const std::vector<CrosswalkUnit>& units) {
    std::vector<std::string> codes;
    for (const CrosswalkUnit& unit : units) codes.push_back(unit.code);
    std::sort(codes.begin(), codes.end());
    return codes;
}

}  // namespace

TEST_CASE("compare: Surrey's two and three unitary options from whole districts", "[compare][surrey]") {
    PDEF_REQUIRE_UK_DATA();
    CompareRequest request;
    request.blocks = LayerInput(uk_data_path("lsoa_2021_bgc.gpkg") + "@LSOA21CD");
    request.block_column = "LADCD_ACTIVE";
    request.population.units = LayerInput(uk_data_path("lsoa_2011_bgc.gpkg") + "@LSOA11CD");
    request.population.table = uk_data_path("population_mid2020_lsoa11_syoa.csv");
    request.population.column = "total_population";
    for (const char* option : {"two_unitaries", "three_unitaries"})
        request.proposals.push_back({option, {}, source_path(std::string("examples/surrey/proposals/") + option + ".csv")});
    request.partners = {LayerInput(uk_data_path("lad_2021_bgc.gpkg")), LayerInput(uk_data_path("icb_2022_bgc.gpkg")),
                        LayerInput(uk_data_path("sicbl_2022_bgc.gpkg"))};
    ProblemSink problems;
    const CompareResult result = run_compare(request, RunSettings{}, problems);
    REQUIRE(result.proposals.size() == 2);

    const std::map<std::string, double> published = district_people();
    for (const ProposalScore& option : result.proposals) {
        INFO(option.name);
        // Every district lies wholly in one unitary council.
        const LayerScore& districts = option.fits[0].report.b_in_a;
        CHECK(districts.scored == 11);
        CHECK(districts.nesting_rate == 1.0);
        CHECK(option.fits[0].split_units == 0);
        // A council's people are its districts' people: exactly the sum of its
        // blocks' people, and within 0.01 % of the published LSOA 2011 sums
        // (the LSOA 2011 people are apportioned onto the LSOA 2021 blocks).
        std::map<std::string, std::set<std::string>> districts_of;
        std::map<std::string, double> block_sum;
        for (std::size_t b = 0; b < result.blocks->size(); ++b) {
            const std::int32_t p = option.block_place[b];
            if (p < 0) continue;
            const Feature& block = result.blocks->features[b];
            const std::string& council = option.places[static_cast<std::size_t>(p)].code;
            districts_of[council].insert(block.attributes[*result.blocks->attribute_index("LADCD_ACTIVE")]);
            block_sum[council] += result.population[b];
        }
        for (const ProposalPlace& council : option.places) {
            INFO(council.name);
            CHECK(council.people == Approx(block_sum[council.code]).epsilon(1e-12));
            double districts_people = 0;
            for (const std::string& district : districts_of[council.code]) districts_people += published.at(district);
            CHECK(council.people == Approx(districts_people).epsilon(1e-4));
        }
    }
    const ProposalScore &two = result.proposals[0], &three = result.proposals[1];
    CHECK(two.places.size() == 2);
    CHECK(three.places.size() == 3);

    // The splits of the NHS areas, with the people in them: the two unitaries
    // split Surrey Heartlands only; the three split Frimley too, whose Surrey
    // part reaches into Runnymede and Spelthorne's North Surrey.
    for (std::size_t partner : {1u, 2u}) {
        INFO(result.partners[partner]);
        const ProposalFit &two_fit = two.fits[partner], &three_fit = three.fits[partner];
        REQUIRE(two_fit.split.size() == 1);
        CHECK(three_fit.split.size() == 2);
        CHECK(two_fit.people_in_split_units > 900000);
        CHECK(three_fit.people_in_split_units > two_fit.people_in_split_units);
        for (const CrosswalkUnit& unit : three_fit.split) CHECK(unit.parts.size() >= 2);
        const std::vector<std::string> three_codes = codes_of(three_fit.split);
        CHECK(std::find(three_codes.begin(), three_codes.end(), two_fit.split[0].code) != three_codes.end());
        // The unit only the three unitaries split is the one that sits differently between them.
        std::size_t changed = 0;
        for (const PartnerChange& change : result.partner_changes)
            if (change.partner == partner) {
                ++changed;
                CHECK(change.before.status == CrosswalkStatus::whole);
                CHECK(change.after.status == CrosswalkStatus::split);
            }
        CHECK(changed == 1);
    }
    // Elmbridge leaves East Surrey, Runnymede and Spelthorne leave West Surrey, for North Surrey.
    double moved = 0;
    for (const PlaceMove& move : result.moves) {
        CHECK(three.places[static_cast<std::size_t>(move.to_place)].name == "North Surrey");
        moved += move.people;
    }
    CHECK(moved == Approx(three.places[0].people));
    CHECK(three.places[0].name == "North Surrey");
}
