// Alignment repair on hand-drawn lattices whose answer can be read off:
// exactly the stray blocks move, the largest first, nothing moves for no
// gain, and a target that cannot be met is an error saying why.
#include <catch2/catch.hpp>

#include "clustering/detail/regions.hpp"
#include "hand_problems.hpp"
#include "placedef/clustering.hpp"
#include "placedef/error.hpp"

#include <algorithm>

using namespace placedef;
using Catch::Matchers::Contains;

namespace {

/// 3 rows x 4 columns of 100 people. Footprint 0 is columns 0-1, footprint 1
/// columns 2-3. Division "W" is columns 0-1 and the top two blocks of column
/// 2 (blocks 2 and 6); division "E" the rest. So 200 of W's 800 people lie
/// outside its main footprint: 1000 of 1200 people (83.3 %) are in their
/// division's main footprint.
///     W W W E        row 0: blocks 0 1 2 3
///     W W W E        row 1: blocks 4 5 6 7
///     W W E E        row 2: blocks 8 9 10 11
struct Stray {
    bench::OwnedProblem owned = test::hand_problem(std::vector<double>(12, 0.0), test::lattice_edges(3, 4), std::vector<double>(12, 100));
    PartnerUnits divisions;
    std::vector<std::int32_t> footprints{0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1};
    Stray() {
        divisions.layer = "divisions";
        divisions.codes = {"W", "E"};
        divisions.names = {"West", ""};
        divisions.unit = {0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 1};
    }
    AlignmentRepair repair(const RepairOptions& options) {
        return repair_alignment(owned.problem, divisions, footprints, 2, options, {"Alpha", "Beta"});
    }
};

RepairOptions target(double share) {
    RepairOptions options;
    options.target = share;
    return options;
}

}  // namespace

TEST_CASE("repair moves exactly the two stray blocks", "[clustering][repair]") {
    Stray grid;
    const AlignmentRepair repair = grid.repair(target(0.95));
    CHECK(repair.before.units_in_footprints == Approx(1000.0 / 1200));
    REQUIRE(repair.moves.size() == 2);
    // equal gain per person and equal people: the lower block first
    CHECK(repair.moves[0].block == 2);
    CHECK(repair.moves[0].from == 1);
    CHECK(repair.moves[0].to == 0);
    CHECK(repair.moves[0].people == 100);
    CHECK(repair.moves[0].units_in_footprints == Approx(1100.0 / 1200));
    CHECK(repair.moves[1].block == 6);
    CHECK(repair.moves[1].to == 0);
    CHECK(repair.after.units_in_footprints == 1.0);
    CHECK(repair.people_moved == 200);
    CHECK(repair.region == std::vector<std::int32_t>{0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 1});
    // Every unit whole asks for the same two moves.
    RepairOptions whole;
    whole.whole_units = true;
    CHECK(grid.repair(whole).region == repair.region);
    // A target one move meets takes one move.
    CHECK(grid.repair(target(0.9)).moves.size() == 1);
    // A target already met takes none.
    CHECK(grid.repair(target(0.8)).moves.empty());
    // A block kept in place (a town centre) does not move: block 6 alone cannot reach 95 %.
    RepairOptions keep = target(0.95);
    keep.keep = {2};
    CHECK_THROWS_WITH(grid.repair(keep), Contains("after 1 moves 91.7 % are"));
}

TEST_CASE("repair moves the largest stray block first", "[clustering][repair]") {
    // Block 6 holds 300 people: W has 400 of its 1000 outside (1000 of 1400
    // in place, 71.4 %). Moving block 6 alone reaches 92.9 %.
    Stray grid;
    grid.owned.problem.population[6] = 300;
    const AlignmentRepair repair = grid.repair(target(0.9));
    REQUIRE(repair.moves.size() == 1);
    CHECK(repair.moves[0].block == 6);
    CHECK(repair.moves[0].units_in_footprints == Approx(1300.0 / 1400));
}

TEST_CASE("repair moves blocks without people only to make units whole", "[clustering][repair]") {
    Stray grid;
    grid.owned.problem.population[2] = 0;  // a stray block where no one lives
    CHECK(grid.repair(target(1.0)).moves.size() == 1);  // block 6: every person is in place
    RepairOptions whole;
    whole.whole_units = true;
    CHECK(grid.repair(whole).moves.size() == 2);
}

TEST_CASE("repair keeps the population bounds and says what it cannot meet", "[clustering][repair]") {
    Stray grid;
    grid.owned.problem.max_population = 700;  // Alpha holds 600: one block more, not two
    CHECK_THROWS_WITH(grid.repair(target(0.95)),
                      Contains("cannot reach 95.0 % of the people of 'divisions' in their unit's main footprint: after 1 moves "
                               "91.7 % are") &&
                          Contains("1 units are still split: 'West' (W) has 100 people outside 'Alpha'"));
    grid.owned.problem.max_population = 800;
    CHECK(grid.repair(target(0.95)).moves.size() == 2);
}

TEST_CASE("repair never empties or splits a footprint", "[clustering][repair]") {
    // Blocks 0-1-2 in a row, all in one division; footprints {0, 1} and {2}.
    // Block 2 cannot leave its footprint (it would be empty), and block 1
    // moving would gain nothing, so 100 % cannot be reached.
    bench::OwnedProblem owned = test::hand_problem({0, 0, 0}, test::chain_edges(3), {100, 100, 100});
    PartnerUnits one;
    one.layer = "wards";
    one.codes = {"U"};
    one.unit = {0, 0, 0};
    CHECK_THROWS_AS(repair_alignment(owned.problem, one, {0, 0, 1}, 2, target(1.0)), invalid_input);
    CHECK_THROWS_WITH(repair_alignment(owned.problem, one, {0, 0, 1}, 2, target(1.0)),
                      Contains("'U' has 100 people outside footprint 1"));
    // Splitting: in 2 x 3 blocks, footprint 1 is the top row 0-1-2 and
    // footprint 2 the bottom row; block 1, in the top row's middle, belongs
    // to the bottom row's division. Moving it would cut block 0 off from
    // block 2, so it stays.
    bench::OwnedProblem rows = test::hand_problem(std::vector<double>(6, 0.0), test::lattice_edges(2, 3), std::vector<double>(6, 100));
    PartnerUnits halves;
    halves.layer = "divisions";
    halves.codes = {"T", "B"};
    halves.unit = {0, 1, 0, 1, 1, 1};
    CHECK_THROWS_WITH(repair_alignment(rows.problem, halves, {0, 0, 0, 1, 1, 1}, 2, target(1.0)),
                      Contains("after 0 moves 83.3 % are") && Contains("'B' has 100 people outside footprint 2"));
}

TEST_CASE("repair refuses a target of 0 or below, or above 1", "[clustering][repair]") {
    Stray grid;
    CHECK_THROWS_WITH(grid.repair(target(0)), Contains("must be a share above 0 and at most 1"));
    CHECK_THROWS_WITH(grid.repair(target(1.5)), Contains("must be a share above 0 and at most 1"));
}
