// Partner layers in the objective (--respect, --align): the tables price a
// move as a recount does, the weight is scaled as documented (worked out by
// hand on a chain), a soft boundary stops a footprint at the line only where
// people live across it, and every method follows the terms on a grid whose
// answer is plain to see.
#include <catch2/catch.hpp>

#include "clustering/detail/local_search.hpp"
#include "clustering/detail/partner_table.hpp"
#include "clustering/detail/regions.hpp"
#include "hand_problems.hpp"
#include "placedef/clustering.hpp"
#include "placedef/error.hpp"

#include <algorithm>
#include <random>

using namespace placedef;
using Catch::Matchers::Contains;

namespace {

/// Units by a function of (row, col), named U0, U1, ...
PartnerUnits lattice_units(const std::string& layer, std::size_t rows, std::size_t cols, std::size_t count,
                           const std::function<std::int32_t(std::size_t, std::size_t)>& unit_at, double weight) {
    PartnerUnits units;
    units.layer = layer;
    units.weight = weight;
    for (std::size_t u = 0; u < count; ++u) units.codes.push_back("U" + std::to_string(u));
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c) units.unit.push_back(unit_at(r, c));
    return units;
}

double recount(const ClusteringProblem& problem, const std::vector<std::int32_t>& region) {
    return sums_of_squares(problem, region).first + partner_cost(problem, region);
}

bool contiguous(const ClusteringProblem& problem, const Partition& partition) {
    const std::vector<std::size_t> parts = detail::region_parts(*problem.graph, partition.region, partition.regions);
    return std::all_of(parts.begin(), parts.end(), [](std::size_t count) { return count == 1; });
}

/// A 6 x 6 lattice whose one attribute is the row: left to itself, k = 2
/// cuts it into a top and a bottom half.
bench::OwnedProblem rows_lattice() {
    std::vector<double> values, people;
    for (std::size_t r = 0; r < 6; ++r)
        for (std::size_t c = 0; c < 6; ++c) {
            values.push_back(static_cast<double>(r));
            people.push_back(1000.0 + static_cast<double>((7 * r + 3 * c) % 5) * 100.0);
        }
    return test::hand_problem(values, test::lattice_edges(6, 6), people);
}

ClusterOptions method_options(ClusterMethod method) {
    ClusterOptions options;
    options.method = method;
    options.threads = 2;
    if (method == ClusterMethod::seeded) {
        options.seed_blocks = {2 * 6 + 1, 3 * 6 + 4};  // a town in each half
        for (std::size_t r = 0; r < 6; ++r)
            for (std::size_t c = 0; c < 6; ++c) options.block_centres.push_back({c * 100.0 + 50, r * 100.0 + 50});
        options.balance = 0;
    }
    return options;
}

void set_count(ClusteringProblem& problem, ClusterMethod method) {
    problem.k = method == ClusterMethod::maxp || method == ClusterMethod::seeded ? 0 : 2;
    double total = 0;
    for (double p : problem.population) total += p;
    // max-p: a floor of 40 % of the people allows two footprints, not three
    problem.min_population = method == ClusterMethod::maxp ? 0.4 * total : 0;
}

const ClusterMethod every_method[] = {ClusterMethod::skater, ClusterMethod::redcap, ClusterMethod::azp,
                                      ClusterMethod::maxp, ClusterMethod::seeded};

}  // namespace

TEST_CASE("partner tables price each move as a recount does", "[clustering][partners]") {
    bench::OwnedProblem owned = rows_lattice();
    ClusteringProblem& problem = owned.problem;
    problem.respect.push_back(lattice_units("bands", 6, 6, 3, [](std::size_t, std::size_t c) { return static_cast<std::int32_t>(c / 2); }, 1.5));
    // a unit of -1: blocks outside the layer count in neither term
    problem.align.push_back(lattice_units("quarters", 6, 6, 4,
                                          [](std::size_t r, std::size_t c) {
                                              return r == 0 && c == 0 ? -1 : static_cast<std::int32_t>((r / 3) * 2 + c / 3);
                                          },
                                          2.0));
    std::vector<std::int32_t> region;
    for (std::size_t block = 0; block < 36; ++block) region.push_back(static_cast<std::int32_t>((block % 6) / 2 + 3 * (block / 18)));
    detail::PartnerTerms terms(problem, region, 6);
    REQUIRE(terms.cost() == Approx(partner_cost(problem, region)));
    std::mt19937_64 random(7);
    for (int step = 0; step < 400; ++step) {
        const std::size_t block = random() % 36;
        const auto to = static_cast<std::int32_t>(random() % 6);
        const std::int32_t from = region[block];
        const double before = partner_cost(problem, region);
        const double delta = terms.delta(block, from, to);
        terms.move(block, from, to);
        region[block] = to;
        const double after = partner_cost(problem, region);
        INFO("step " << step);
        REQUIRE(delta == Approx(after - before).margin(1e-9));
        REQUIRE(terms.cost() == Approx(after).margin(1e-9));
    }
}

TEST_CASE("partner fit counts people both ways", "[clustering][partners]") {
    // Blocks 0-3 with 10, 20, 30, 40 people; units {0, 1} and {2, 3};
    // footprints {0}, {1, 2}, {3}.
    bench::OwnedProblem owned = test::hand_problem({0, 1, 2, 3}, test::chain_edges(4), {10, 20, 30, 40});
    PartnerUnits units;
    units.layer = "pairs";
    units.codes = {"P", "Q"};
    units.unit = {0, 0, 1, 1};
    const PartnerFit fit = partner_fit(owned.problem, units, {0, 1, 1, 2}, 3);
    // footprint {1, 2}: 30 of its 50 people in Q, 20 outside
    CHECK(fit.footprint_outside == std::vector<double>{0, 20, 0});
    CHECK(fit.footprint_main == std::vector<std::int32_t>{0, 1, 1});
    // P: 20 of 30 in footprint 1, 10 outside; Q: 40 of 70 in footprint 2, 30 outside
    CHECK(fit.unit_outside == std::vector<double>{10, 30});
    CHECK(fit.unit_main == std::vector<std::int32_t>{1, 2});
    CHECK(fit.footprints_in_units == Approx(0.8));
    CHECK(fit.units_in_footprints == Approx(0.6));
    CHECK(fit.footprints_across(0.05) == 1);
    CHECK(fit.units_within_one(0.995) == 0);
    CHECK(partner_cost_scale(owned.problem) == Approx(5.0 / 100.0));  // TSS of 0..3 is 5, 100 people
}

TEST_CASE("a soft boundary's weight is scaled by TSS over the people", "[clustering][partners]") {
    // A chain of six blocks of 100 people, attribute 0 0 0 0 1 1: SKATER cuts
    // it 0-3 | 4-5 (WSS 0). A district line runs between blocks 2 and 3, so
    // that cut puts block 3's 100 people (1/6 of them) across it; cutting at
    // the line instead costs a WSS of 2/3, half the TSS of 4/3. At weight w
    // the crossing costs w/6 of the TSS: the cut moves to the line once w > 3.
    bench::OwnedProblem owned = test::hand_problem({0, 0, 0, 0, 1, 1}, test::chain_edges(6), std::vector<double>(6, 100));
    owned.problem.k = 2;
    PartnerUnits districts;
    districts.layer = "districts";
    districts.codes = {"West", "East"};
    districts.unit = {0, 0, 0, 1, 1, 1};
    ClusterOptions options;
    options.method = ClusterMethod::skater;
    for (const auto& [weight, expected] : {std::pair{2.5, std::vector<std::int32_t>{0, 0, 0, 0, 1, 1}},
                                           std::pair{3.5, std::vector<std::int32_t>{0, 0, 0, 1, 1, 1}}}) {
        districts.weight = weight;
        owned.problem.respect = {districts};
        INFO("weight " << weight);
        CHECK(cluster(owned.problem, options).region == expected);
    }
}

TEST_CASE("a grown footprint stops at a respected line where people live across it", "[clustering][partners][seeded]") {
    // Six blocks in a row, 100 m apart, towns in the first and the last. The
    // nearest town takes blocks 0-2 and 3-5, so town A crosses the district
    // line between blocks 1 and 2. Respecting the districts, block 2 joins
    // town B when it holds people, and stays with A when it holds none (a
    // person across the line costs; empty land does not).
    for (const double across : {100.0, 0.0}) {
        bench::OwnedProblem owned = test::hand_problem(std::vector<double>(6, 0.0), test::chain_edges(6),
                                                       {100, 100, across, 10, 10, 10});
        owned.problem.attributes.clear();
        owned.problem.dimensions = 0;
        ClusterOptions options;
        options.method = ClusterMethod::seeded;
        options.seed_blocks = {0, 5};
        options.balance = 0;
        for (int i = 0; i < 6; ++i) options.block_centres.push_back({i * 100.0, 0.0});
        CHECK(cluster(owned.problem, options).region == std::vector<std::int32_t>{0, 0, 0, 1, 1, 1});
        PartnerUnits districts;
        districts.layer = "districts";
        districts.codes = {"West", "East"};
        districts.unit = {0, 0, 1, 1, 1, 1};
        owned.problem.respect = {districts};
        INFO("people across the line: " << across);
        const std::vector<std::int32_t> expected =
            across > 0 ? std::vector<std::int32_t>{0, 0, 1, 1, 1, 1} : std::vector<std::int32_t>{0, 0, 0, 1, 1, 1};
        CHECK(cluster(owned.problem, options).region == expected);
    }
}

TEST_CASE("every method keeps footprints inside strongly respected districts", "[clustering][partners]") {
    // Left alone, each method cuts the 6 x 6 lattice into top and bottom;
    // with the west and east halves as districts at weight 100, the answer
    // is the two districts.
    for (const ClusterMethod method : every_method) {
        bench::OwnedProblem owned = rows_lattice();
        ClusteringProblem& problem = owned.problem;
        set_count(problem, method);
        problem.respect.push_back(
            lattice_units("districts", 6, 6, 2, [](std::size_t, std::size_t c) { return static_cast<std::int32_t>(c / 3); }, 100));
        const Partition partition = cluster(problem, method_options(method));
        INFO(to_string(method));
        REQUIRE(partition.regions == 2);
        CHECK(contiguous(problem, partition));
        const PartnerFit fit = partner_fit(problem, problem.respect[0], partition.region, partition.regions);
        CHECK(fit.footprints_in_units == 1.0);
        CHECK(fit.units_in_footprints == 1.0);
    }
}

TEST_CASE("every method builds footprints of whole aligned units", "[clustering][partners]") {
    // Three vertical bands of two columns as the partner's units (divisions)
    // and the column as the attribute: left alone, k = 2 cuts between
    // columns 2 and 3, through the middle band (and seeded growth from towns
    // in the outer columns splits it too). Aligned with the bands at weight
    // 100, the footprints are one band and two. The middle band holds few
    // people, so that seeded growth can hand it whole to one town within the
    // population range.
    for (const ClusterMethod method : every_method) {
        bench::OwnedProblem owned = rows_lattice();
        ClusteringProblem& problem = owned.problem;
        for (std::size_t block = 0; block < 36; ++block) {
            problem.attributes[block] = static_cast<double>(block % 6);
            if (block % 6 == 2 || block % 6 == 3) problem.population[block] = 10;
        }
        set_count(problem, method);
        ClusterOptions options = method_options(method);
        if (method == ClusterMethod::seeded) options.seed_blocks = {2 * 6, 3 * 6 + 5};
        const PartnerUnits bands =
            lattice_units("divisions", 6, 6, 3, [](std::size_t, std::size_t c) { return static_cast<std::int32_t>(c / 2); }, 100);
        const Partition alone = cluster(problem, options);
        problem.align.push_back(bands);
        const Partition partition = cluster(problem, options);
        std::string drawn;
        for (std::size_t b = 0; b < 36; ++b) drawn += std::to_string(partition.region[b]) + (b % 6 == 5 ? "\n" : "");
        INFO(to_string(method) << "\n" << drawn);
        REQUIRE(partition.regions == 2);
        CHECK(contiguous(problem, partition));
        CHECK(partner_fit(problem, bands, alone.region, alone.regions).units_in_footprints < 1.0);
        CHECK(partner_fit(problem, bands, partition.region, partition.regions).units_in_footprints == 1.0);
        if (method == ClusterMethod::seeded) {  // each town keeps its centre
            CHECK(partition.region[2 * 6] == 0);
            CHECK(partition.region[3 * 6 + 5] == 1);
        }
    }
}

TEST_CASE("local search keeps its cost in step with the partner terms", "[clustering][partners]") {
    bench::OwnedProblem owned = rows_lattice();
    ClusteringProblem& problem = owned.problem;
    problem.respect.push_back(
        lattice_units("districts", 6, 6, 2, [](std::size_t, std::size_t c) { return static_cast<std::int32_t>(c / 3); }, 0.7));
    problem.align.push_back(lattice_units("divisions", 6, 6, 4,
                                          [](std::size_t r, std::size_t c) { return static_cast<std::int32_t>((r / 3) * 2 + c / 3); },
                                          0.4));
    std::vector<std::int32_t> stripes;
    for (std::size_t block = 0; block < 36; ++block) stripes.push_back(static_cast<std::int32_t>(block / 12));
    for (const LocalSearch search : {LocalSearch::greedy, LocalSearch::tabu, LocalSearch::annealing}) {
        detail::MoveState state(problem, stripes, 3);
        state.pin({0, 35});
        detail::Random random(3);
        local_search(state, search, random);
        INFO(to_string(search));
        CHECK(state.cost() == Approx(recount(problem, state.labels())).margin(1e-9));
        CHECK(state.cost() <= recount(problem, stripes) + 1e-12);
        CHECK(state.labels()[0] == 0);  // pinned blocks stay
        CHECK(state.labels()[35] == 2);
    }
}

TEST_CASE("every ranking counts the whole objective, as the local search does", "[clustering][partners][boundary]") {
    // max-p ranks its constructions, AZP its refinement, by objective_of: it
    // must count the boundary and partner terms exactly as MoveState does.
    bench::OwnedProblem owned = rows_lattice();
    ClusteringProblem& problem = owned.problem;
    problem.boundary = 0.3;
    problem.respect.push_back(
        lattice_units("districts", 6, 6, 2, [](std::size_t, std::size_t c) { return static_cast<std::int32_t>(c / 3); }, 0.7));
    problem.align.push_back(lattice_units("divisions", 6, 6, 4,
                                          [](std::size_t r, std::size_t c) { return static_cast<std::int32_t>((r / 3) * 2 + c / 3); },
                                          0.4));
    std::mt19937_64 random(11);
    for (int trial = 0; trial < 50; ++trial) {
        std::vector<std::int32_t> region(36);
        for (std::int32_t& r : region) r = static_cast<std::int32_t>(random() % 4);
        region[0] = 0, region[1] = 1, region[2] = 2, region[3] = 3;  // every label used
        const detail::MoveState state(problem, region, 4);
        INFO("trial " << trial);
        REQUIRE(detail::objective_of(problem, region) == Approx(state.cost()).epsilon(1e-12));
        // and the boundary term is in it: the same labelling costs more with it than without
        REQUIRE(detail::objective_of(problem, region) > recount(problem, region));
    }
}

TEST_CASE("partner terms give the same footprints whatever the thread count", "[clustering][partners]") {
    for (const ClusterMethod method : {ClusterMethod::azp, ClusterMethod::maxp}) {
        bench::OwnedProblem owned = rows_lattice();
        ClusteringProblem& problem = owned.problem;
        set_count(problem, method);
        problem.k = method == ClusterMethod::azp ? 4 : 0;
        if (method == ClusterMethod::maxp) problem.min_population /= 3;
        problem.respect.push_back(
            lattice_units("districts", 6, 6, 2, [](std::size_t, std::size_t c) { return static_cast<std::int32_t>(c / 3); }, 0.3));
        problem.align.push_back(lattice_units(
            "divisions", 6, 6, 4, [](std::size_t r, std::size_t c) { return static_cast<std::int32_t>((r / 3) * 2 + c / 3); }, 0.3));
        ClusterOptions options = method_options(method);
        options.threads = 1;
        const Partition one = cluster(problem, options);
        options.threads = 2;
        const Partition two = cluster(problem, options);
        INFO(to_string(method));
        CHECK(one.region == two.region);
    }
}

TEST_CASE("bad partner units are refused", "[clustering][partners]") {
    bench::OwnedProblem owned = test::hand_problem({0, 1, 2, 3}, test::chain_edges(4));
    owned.problem.k = 2;
    PartnerUnits units;
    units.layer = "wards";
    units.codes = {"A", "B"};
    units.unit = {0, 0, 1};
    owned.problem.align = {units};
    ClusterOptions options;
    CHECK_THROWS_WITH(cluster(owned.problem, options), Contains("'wards' gives units for 3 blocks of 4"));
    owned.problem.align[0].unit = {0, 0, 1, 2};
    CHECK_THROWS_WITH(cluster(owned.problem, options), Contains("puts block 'B3' in unit 2 of 2"));
    owned.problem.align[0].unit = {0, 0, 1, 1};
    owned.problem.align[0].weight = 0;
    CHECK_THROWS_AS(cluster(owned.problem, options), invalid_input);
    owned.problem.align[0].weight = std::numeric_limits<double>::infinity();
    CHECK_THROWS_WITH(cluster(owned.problem, options), Contains("finite number above 0"));
}

TEST_CASE("a block's partner unit is the one holding most of its area", "[clustering][partners]") {
    const Layer blocks = test::square_grid(1, 3);  // x 0-100, 100-200, 200-300
    const Layer partner = test::hand_layer(
        "districts", {{"A", test::box_wkt(0, 0, 160, 100)}, {"B", test::box_wkt(160, 0, 200, 100)}});
    const PartnerUnits units = partner_units(blocks, partner, 2.0);
    CHECK(units.layer == "districts");
    CHECK(units.codes == std::vector<std::string>{"A", "B"});
    CHECK(units.unit == std::vector<std::int32_t>{0, 0, -1});  // the middle block is 60 % in A; the last in neither
    CHECK(units.weight == 2.0);
    CHECK_THROWS_WITH(partner_units(blocks, partner, -1), Contains("must be a finite number above 0"));
    const Layer far = test::hand_layer("far", {{"X", test::box_wkt(5000, 5000, 5100, 5100)}});
    CHECK_THROWS_WITH(partner_units(blocks, far, 1), Contains("covers none of the blocks"));
}

TEST_CASE("partner layers under the nesting rules", "[clustering][partners][footprints]") {
    // 2 x 4 squares of 100 m. With the halves (x below or above 200 m) as the
    // units to stay within and the columns to align with, k = 4 gives one
    // column per footprint; built from whole columns and aligned with the
    // halves, k = 2 gives the halves.
    const Layer blocks = test::square_grid(2, 4);
    const Layer halves = test::hand_layer("halves", {{"W", test::box_wkt(0, 0, 200, 200)}, {"E", test::box_wkt(200, 0, 400, 200)}});
    std::vector<std::pair<std::string, std::string>> strips;
    for (int c = 0; c < 4; ++c) strips.emplace_back("C" + std::to_string(c), test::box_wkt(c * 100.0, 0, c * 100.0 + 100, 200));
    const Layer columns = test::hand_layer("columns", strips);
    FootprintRequest request;
    request.cluster.method = ClusterMethod::azp;
    FootprintAttribute rows{"row", {}, 1.0};  // left alone, the footprints would be rows
    for (const Feature& block : blocks.features) rows.values.push_back(block.code[1] == '0' ? 0.0 : 1.0);
    request.attributes = {rows};

    request.k = 4;
    request.nest_layer = &halves;
    request.nesting = Nesting::within_units;
    request.align = {{&columns, 100}};
    const FootprintResult within = town_footprints(blocks, request);
    CHECK(within.groups == 2);
    REQUIRE(within.align_fit.size() == 1);
    CHECK(within.align_fit[0].units_in_footprints == 1.0);
    CHECK(within.partition.regions == 4);

    request.k = 2;
    request.nest_layer = &columns;
    request.nesting = Nesting::whole_units;
    request.align = {{&halves, 100}};
    const FootprintResult whole = town_footprints(blocks, request);
    REQUIRE(whole.align_fit.size() == 1);
    CHECK(whole.align_fit[0].units_in_footprints == 1.0);
    CHECK(whole.align_fit[0].footprints_in_units == 1.0);
}
