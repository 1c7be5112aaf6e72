// Functional areas from commuting flows (functional_areas): hand-made flows
// whose answer can be worked out by hand, the validity rule, and on random
// flows over a grid the invariants: every unit in one area, every area in
// one piece on the graph, the same answer each time.
#include "support.hpp"

#include "placedef/clustering.hpp"
#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "placedef/io.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <cmath>
#include <limits>
#include <queue>
#include <random>
#include <set>

using namespace placedef;

namespace {

/// Units in a row, each touching the next.
ContiguityGraph row(const std::vector<std::string>& codes) {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
    for (std::uint32_t i = 0; i + 1 < codes.size(); ++i) edges.emplace_back(i, i + 1);
    return graph_from_edges(codes, edges);
}

/// Istat's rule: 1,000 to 10,000 residents in work, 75 % to 66.67 % self-contained.
FunctionalAreaRules istat() { return FunctionalAreaRules::preset("istat"); }

std::vector<std::uint32_t> units_of(const FunctionalAreas& areas, std::uint32_t unit) {
    return areas.areas.at(static_cast<std::size_t>(areas.area_of.at(unit))).units;
}

/// Whether the units of every area are connected on the graph.
bool every_area_in_one_piece(const ContiguityGraph& graph, const FunctionalAreas& result) {
    for (std::size_t a = 0; a < result.areas.size(); ++a) {
        const std::vector<std::uint32_t>& units = result.areas[a].units;
        std::set<std::uint32_t> reached{units.front()};
        std::queue<std::uint32_t> next;
        next.push(units.front());
        while (!next.empty()) {
            const std::uint32_t u = next.front();
            next.pop();
            for (const std::uint32_t* n = graph.begin(u); n != graph.end(u); ++n)
                if (result.area_of[*n] == static_cast<std::int32_t>(a) && reached.insert(*n).second) next.push(*n);
        }
        if (reached.size() != units.size()) return false;
    }
    return true;
}

}  // namespace

TEST_CASE("functional areas: the validity rule trades size against self-containment", "[functional]") {
    const FunctionalAreaRules rules = FunctionalAreaRules::preset("ttwa2011");
    CHECK(rules.min_size == 3500);
    CHECK(rules.target_size == 25000);
    CHECK(std::isinf(required_containment(3499, rules)));
    CHECK(required_containment(3500, rules) == Approx(0.75));
    CHECK(required_containment(25000, rules) == Approx(0.667));
    CHECK(required_containment(1e6, rules) == Approx(0.667));
    // Halfway in size, the size term Z is halfway from 0.667 / 0.75 to 1, and
    // the need is 0.667 / Z: a little under halfway in self-containment.
    const double z = (0.667 / 0.75 + 1) / 2;
    CHECK(required_containment(14250, rules) == Approx(0.667 / z));
    CHECK(required_containment(14250, rules) < (0.75 + 0.667) / 2);
    CHECK(area_validity(14250, 0.667 / z, rules) == Approx(1.0));
    CHECK(area_validity(30000, 0.5, rules) == Approx(0.5 / 0.667));
    // Beyond the target self-containment, more is not more valid.
    CHECK(area_validity(30000, 0.9, rules) == Approx(0.75 / 0.667));
    CHECK(area_validity(30000, 0.9, rules) == area_validity(30000, 0.8, rules));
    // Too small: below 1 however self-contained, lower the smaller.
    CHECK(area_validity(3000, 1.0, rules) < 1);
    CHECK(area_validity(1000, 1.0, rules) < area_validity(3000, 1.0, rules));
    CHECK_THROWS_AS(FunctionalAreaRules::preset("nuts3"), invalid_input);
    FunctionalAreaRules bad = rules;
    bad.min_size = 30000;
    CHECK_THROWS_WITH(bad.check(), Catch::Contains("below the target size"));
    bad = rules;
    bad.min_containment = 0.9;
    CHECK_THROWS_WITH(bad.check(), Catch::Contains("minimum <= target"));
}

TEST_CASE("functional areas: a preset with some of its values changed, checked", "[functional]") {
    const double keep = std::numeric_limits<double>::quiet_NaN();
    const FunctionalAreaRules changed = FunctionalAreaRules::preset("istat", 2000, keep, keep, 0.8);
    CHECK(changed.min_size == 2000);
    CHECK(changed.target_size == 10000);
    CHECK(changed.min_containment == 0.6667);
    CHECK(changed.target_containment == 0.8);
    CHECK(changed.regrouping == Regrouping::one_unit);  // the istat preset's
    const FunctionalAreaRules same = FunctionalAreaRules::preset("ttwa2011", keep, keep, keep, keep);
    CHECK(same.min_size == 3500);
    CHECK(same.target_containment == 0.75);
    CHECK(FunctionalAreaRules::preset("istat", keep, keep, keep, keep, "whole_area").regrouping == Regrouping::whole_area);
    CHECK_THROWS_AS(FunctionalAreaRules::preset("istat", keep, keep, keep, keep, "by_hand"), invalid_input);
    CHECK_THROWS_WITH(FunctionalAreaRules::preset("istat", 20000, keep, keep, keep), Catch::Contains("below the target size"));
    CHECK_THROWS_AS(FunctionalAreaRules::preset("nuts3", keep, keep, keep, keep), invalid_input);
}

TEST_CASE("functional areas: a commuter village between two towns joins the town it leans to", "[functional]") {
    // Town 1 | village | town 2. The village's 1,000 workers: 100 at home, 600 to
    // town 1, 300 to town 2. Alone it holds 10 % of its residents: not an area.
    const ContiguityGraph graph = row({"T1", "V", "T2"});
    const std::vector<Flow> flows{{0, 0, 5000}, {2, 2, 5000}, {1, 1, 100}, {1, 0, 600}, {1, 2, 300}};
    const FunctionalAreas result = functional_areas(graph, flows, istat());
    REQUIRE(result.areas.size() == 2);
    CHECK(units_of(result, 1) == std::vector<std::uint32_t>{0, 1});
    CHECK(units_of(result, 2) == std::vector<std::uint32_t>{2});
    CHECK(result.dissolved == 1);
    CHECK(result.invalid() == 0);
    CHECK(result.reserve.empty());
    // Town 1 with the village: 6,000 residents in work and 5,700 jobs (town 1's
    // 5,600 and the village's 100), all filled from inside.
    const FunctionalArea& town = result.areas[static_cast<std::size_t>(result.area_of[0])];
    CHECK(town.residents == 6000);
    CHECK(town.jobs == 5700);
    CHECK(town.internal == 5700);
    CHECK(town.supply_containment() == Approx(0.95));
    CHECK(town.demand_containment() == Approx(1.0));
}

TEST_CASE("functional areas: a unit joins only an area it touches", "[functional]") {
    // T1 | A | B | T2: B's workers all go to town 1, which it does not touch.
    // Once A has joined town 1, B touches town 1's area and joins it too.
    const ContiguityGraph graph = row({"T1", "A", "B", "T2"});
    const std::vector<Flow> flows{{0, 0, 5000}, {3, 3, 5000}, {1, 1, 50}, {1, 0, 900}, {2, 2, 50}, {2, 0, 900}};
    const FunctionalAreas result = functional_areas(graph, flows, istat());
    CHECK(every_area_in_one_piece(graph, result));
    CHECK(units_of(result, 2) == std::vector<std::uint32_t>{0, 1, 2});
    // Without the link between A and B, B can only go to town 2, the one area it touches.
    const ContiguityGraph cut = graph_from_edges({"T1", "A", "B", "T2"}, {{0, 1}, {2, 3}});
    const FunctionalAreas apart = functional_areas(cut, flows, istat());
    CHECK(every_area_in_one_piece(cut, apart));
    CHECK(apart.area_of[2] == apart.area_of[3]);
}

TEST_CASE("functional areas: an island joins the area its people work in", "[functional]") {
    // The island (unit 3) touches nothing; its 2,000 workers: 500 at home, 1,500 to town 2.
    const ContiguityGraph graph = graph_from_edges({"T1", "V", "T2", "I"}, {{0, 1}, {1, 2}});
    const std::vector<Flow> flows{{0, 0, 5000}, {2, 2, 5000}, {1, 1, 100}, {1, 0, 600}, {1, 2, 300},
                                  {3, 3, 500}, {3, 2, 1500}};
    const FunctionalAreas alone = functional_areas(graph, flows, istat());
    CHECK(units_of(alone, 3) == std::vector<std::uint32_t>{3});  // it touches no area: it stays, invalid
    CHECK(alone.invalid() == 1);
    const ContiguityGraph joined = join_islands_by_flows(graph, flows);
    CHECK(joined.joined == std::vector<std::pair<std::uint32_t, std::uint32_t>>{{2, 3}});
    CHECK(joined.adjacent(0, 1));
    CHECK(joined.adjacent(2, 3));
    const FunctionalAreas result = functional_areas(joined, flows, istat());
    CHECK(units_of(result, 3) == std::vector<std::uint32_t>{2, 3});
    CHECK(result.invalid() == 0);
}

TEST_CASE("functional areas: people who cross the edge of the units count in self-containment", "[functional]") {
    // Two towns side by side, each with 2,200 residents in work: 2,000 at home, 200 to the other.
    // Each holds 91 % of its residents: two areas.
    const ContiguityGraph graph = row({"A", "B"});
    std::vector<Flow> flows{{0, 0, 2000}, {0, 1, 200}, {1, 1, 2000}, {1, 0, 200}};
    CHECK(functional_areas(graph, flows, istat()).areas.size() == 2);
    // 1,000 more of A's residents work beyond the units (a city off the map). A then holds
    // 2,000 of its 3,200 (62.5 %; 72.8 % needed at that size): not an area. With B it
    // holds 4,400 of 5,400 (81.5 %; 70.7 % needed): one area, which leaving them out
    // would have hidden.
    flows.push_back({0, Flow::outside, 1000});
    const FunctionalAreas result = functional_areas(graph, flows, istat());
    REQUIRE(result.areas.size() == 1);
    const FunctionalArea& both = result.areas[0];
    CHECK(both.residents == 5400);
    CHECK(both.jobs == 4400);
    CHECK(both.internal == 4400);
    CHECK(both.supply_containment() == Approx(4400.0 / 5400.0));
    CHECK(both.valid());
    // Jobs filled from beyond count on the demand side the same way.
    const std::vector<Flow> coming_in{{0, 0, 2000}, {0, 1, 200}, {1, 1, 2000}, {1, 0, 200}, {Flow::outside, 1, 900}};
    const FunctionalAreas in = functional_areas(graph, coming_in, istat());
    REQUIRE(in.areas.size() == 1);
    CHECK(in.areas[0].jobs == 5300);
    CHECK(in.areas[0].demand_containment() == Approx(4400.0 / 5300.0));
    // Beyond the units at both ends is no flow of theirs.
    CHECK_THROWS_AS(functional_areas(graph, {{0, 0, 10}, {Flow::outside, Flow::outside, 5}}, istat()), invalid_input);
    CHECK_THROWS_AS(join_islands_by_flows(graph, {{Flow::outside, Flow::outside, 5}}), invalid_input);
}

TEST_CASE("functional areas: units without outflows or without any flow", "[functional]") {
    // A business park (unit 1) where nobody lives: 400 of town 1's residents work there.
    // A reservoir (unit 3), no flows at all, between town 1 and town 2 and sharing more boundary with town 2.
    const ContiguityGraph graph =
        graph_from_edges({"T1", "Park", "T2", "Water"}, {{0, 1}, {0, 3}, {2, 3}}, {2000, 100, 900});
    const std::vector<Flow> flows{{0, 0, 4600}, {0, 1, 400}, {2, 2, 5000}};
    const FunctionalAreas result = functional_areas(graph, flows, istat());
    CHECK(units_of(result, 1) == std::vector<std::uint32_t>{0, 1});  // tied to town 1 by its 400 jobs
    CHECK(result.areas[static_cast<std::size_t>(result.area_of[0])].internal == 5000);
    CHECK(result.without_flows == std::vector<std::uint32_t>{3});
    CHECK(result.area_of[3] == result.area_of[2]);  // the longer shared boundary
    CHECK(result.invalid() == 0);
}

TEST_CASE("functional areas: a unit that would weaken its area goes to the reserve and is placed last", "[functional]") {
    // Town (unit 0) is barely valid: 1,000 residents in work, 760 working at home.
    // Village (unit 1) sends 60 of its 1,000 workers to town and 940 to a city
    // it does not touch: joining town would lower town's self-containment.
    const ContiguityGraph graph = graph_from_edges({"Town", "Village", "City"}, {{0, 1}});
    const std::vector<Flow> flows{{0, 0, 760}, {0, 2, 240}, {1, 0, 60}, {1, 2, 940}, {2, 2, 50000}};
    const FunctionalAreas result = functional_areas(graph, flows, istat());
    REQUIRE(result.reserve.size() == 1);
    CHECK(result.reserve[0].unit == 1);
    CHECK(result.reserve[0].area == result.area_of[0]);  // placed last, in the one area it touches
    CHECK(units_of(result, 0) == std::vector<std::uint32_t>{0, 1});
}

TEST_CASE("functional areas: a reserve unit goes where the area still meets the rule", "[functional]") {
    // Town 1 | village | town 2, and a city nobody touches. Town 1 is barely valid
    // (1,000 residents in work, 760 at home); the village sends 60 workers there,
    // 40 to town 2 and 900 to the city. Its tie to town 1 is the stronger, but
    // with it town 1 would keep 820 of 2,000 workers: far short of the rule.
    const ContiguityGraph graph = graph_from_edges({"T1", "V", "T2", "City"}, {{0, 1}, {1, 2}});
    const std::vector<Flow> flows{{0, 0, 760}, {0, 3, 240}, {1, 0, 60}, {1, 2, 40}, {1, 3, 900},
                                  {2, 2, 20000}, {3, 3, 50000}};
    const FunctionalAreas result = functional_areas(graph, flows, istat());
    REQUIRE(result.reserve.size() == 1);
    CHECK(result.reserve[0].unit == 1);
    CHECK(result.reserve[0].area == result.area_of[2]);  // town 2 takes it and still meets the rule
    CHECK(units_of(result, 0) == std::vector<std::uint32_t>{0});
    CHECK(result.invalid() == 0);
    CHECK(every_area_in_one_piece(graph, result));
}

TEST_CASE("functional areas on random flows: a partition of contiguous areas, the same each time", "[functional]") {
    // A 12 x 12 grid of units with gravity-model flows between them.
    const int side = 12;
    std::vector<std::string> codes;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
    for (int y = 0; y < side; ++y)
        for (int x = 0; x < side; ++x) {
            codes.push_back("u" + std::to_string(y * side + x));
            const auto at = static_cast<std::uint32_t>(y * side + x);
            if (x + 1 < side) edges.emplace_back(at, at + 1);
            if (y + 1 < side) edges.emplace_back(at, at + side);
        }
    const ContiguityGraph graph = graph_from_edges(codes, edges);
    std::mt19937_64 random(7);
    std::uniform_real_distribution<double> mass(100, 3000);
    std::vector<double> people(codes.size());
    for (double& p : people) p = mass(random);
    std::vector<Flow> flows;
    for (std::uint32_t a = 0; a < codes.size(); ++a)
        for (std::uint32_t b = 0; b < codes.size(); ++b) {
            const double dx = double(a % side) - double(b % side), dy = double(a / side) - double(b / side);
            const double weight = people[b] * std::exp(-std::hypot(dx, dy));
            if (a == b || weight > 50) flows.push_back({a, b, std::round(a == b ? people[a] * 0.5 : weight * 0.3)});
        }
    // Both ways of regrouping: the whole least valid area, or one unit of it.
    const Regrouping regrouping = GENERATE(Regrouping::whole_area, Regrouping::one_unit);
    INFO(to_string(regrouping));
    FunctionalAreaRules rules = istat();
    rules.regrouping = regrouping;
    const FunctionalAreas result = functional_areas(graph, flows, rules);
    REQUIRE(result.area_of.size() == codes.size());
    CHECK(result.invalid() == 0);
    std::size_t placed = 0;
    for (const FunctionalArea& area : result.areas) placed += area.units.size();
    CHECK(placed == codes.size());
    for (std::uint32_t u = 0; u < codes.size(); ++u) {
        const std::vector<std::uint32_t>& units = result.areas.at(static_cast<std::size_t>(result.area_of[u])).units;
        CHECK(std::find(units.begin(), units.end(), u) != units.end());
    }
    CHECK(every_area_in_one_piece(graph, result));
    CHECK(result.areas.size() > 1);
    CHECK(result.areas.size() < codes.size());
    const FunctionalAreas again = functional_areas(graph, flows, rules);
    CHECK(again.area_of == result.area_of);
    CHECK_THROWS_AS(functional_areas(graph, {{0, 500, 10}}, istat()), invalid_input);
    CHECK_THROWS_AS(functional_areas(graph, {{0, 1, -1}}, istat()), invalid_input);
}

TEST_CASE("functional areas of Sardinia: 377 municipalities, Istat's rule, every area in one piece", "[functional][sardinia]") {
    const std::string flows_path = test::sardinia_data_path("commuting_flows_2001.csv");
    if (flows_path.empty()) {
        WARN("SKIPPED: ../shared/data/sardinia is absent");
        return;
    }
    ReadOptions read;
    read.study_crs = "EPSG:32632";  // UTM 32N: metres over Sardinia
    ProblemSink problems;
    const Layer municipalities = load_layer(
        LayerAddress::parse(test::sardinia_data_path("municipalities_2001.gpkg") + "@PRO_COM,NOME_COM"), read, problems);
    REQUIRE(municipalities.size() == 377);
    ContiguityOptions touching;
    touching.adjacency = Adjacency::queen;
    const ContiguityGraph geometry = contiguity_graph(municipalities, touching);
    std::map<std::string, std::uint32_t> unit_of;
    for (std::uint32_t u = 0; u < municipalities.size(); ++u) unit_of[municipalities.features[u].code] = u;
    std::vector<Flow> flows;
    double commuters = 0;
    for (const auto& row : test::read_csv_rows(flows_path)) {
        flows.push_back({unit_of.at(row.at("residence_code")), unit_of.at(row.at("workplace_code")), std::stod(row.at("workers"))});
        commuters += flows.back().people;
    }
    CHECK(flows.size() == 10997);
    CHECK(commuters == 391395);
    const ContiguityGraph graph = join_islands_by_flows(geometry, flows);

    for (const char* preset : {"istat", "ttwa2011"}) {
        INFO(preset);
        const auto start = std::chrono::steady_clock::now();
        const FunctionalAreas result = functional_areas(graph, flows, FunctionalAreaRules::preset(preset));
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        CHECK(every_area_in_one_piece(graph, result));
        CHECK(result.invalid() == 0);  // every area meets the rule
        WARN("Sardinia, " << preset << " rule: " << result.areas.size() << " areas, " << result.invalid() << " invalid, "
                          << result.reserve.size() << " units in the reserve, " << graph.joined.size() << " island links, "
                          << seconds << " s");
        CHECK(result.areas.size() > 10);
        CHECK(result.areas.size() < 60);
    }
}
