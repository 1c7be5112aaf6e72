// Ensembles: the adjusted Rand index by hand, a grid whose answer every seed
// finds (stability 1, boundary frequency 0 or 1), a star whose centre is
// tied between its arms (it flips between runs and is flagged), the rules of
// the request kept by the consensus (nesting), the shared boundaries drawn
// for the boundary layer, independence from the thread count, and bad input.
#include <catch2/catch.hpp>

#include "clustering/detail/local_search.hpp"
#include "clustering/detail/regions.hpp"
#include "hand_problems.hpp"
#include "placedef/clustering.hpp"
#include "placedef/cancel.hpp"
#include "placedef/error.hpp"
#include "problem_file.hpp"

#include <algorithm>
#include <cmath>

using namespace placedef;
using Catch::Matchers::Contains;

namespace {

/// A star: centre 0 and four arms of two blocks (east 1-2, north 3-4, west
/// 5-6, south 7-8), each block at its grid position (two attributes). Into
/// four footprints the arms are the footprints, and the centre joins any
/// one of them at exactly the same WSS (3.5): a tie only the seed breaks.
bench::OwnedProblem star() {
    bench::OwnedProblem owned = test::hand_problem(std::vector<double>(9, 0.0), {{0, 1}, {1, 2}, {0, 3}, {3, 4}, {0, 5}, {5, 6}, {0, 7}, {7, 8}});
    owned.problem.dimensions = 2;
    owned.problem.attributes = {0, 0, 1, 0, 2, 0, 0, 1, 0, 2, -1, 0, -2, 0, 0, -1, 0, -2};
    owned.problem.k = 4;
    return owned;
}

ClusterOptions azp_options(unsigned threads = 2) {
    ClusterOptions options;
    options.method = ClusterMethod::azp;
    options.seed = 7;
    options.threads = threads;
    return options;
}

}  // namespace

TEST_CASE("ensemble: the adjusted Rand index of labellings worked out by hand", "[clustering][ensemble]") {
    CHECK(adjusted_rand_index({0, 0, 1, 1}, {0, 0, 1, 1}) == 1.0);
    CHECK(adjusted_rand_index({0, 0, 1, 1}, {1, 1, 0, 0}) == 1.0);  // the names of regions do not matter
    // Table {2,1 / 0,1,2}: 2 pairs together in both, 6 in the first, 3 in the
    // second, of 15: (2 - 6*3/15) / ((6 + 3)/2 - 6*3/15) = 0.8 / 3.3.
    CHECK(adjusted_rand_index({0, 0, 0, 1, 1, 1}, {0, 0, 1, 1, 2, 2}) == Approx(0.8 / 3.3));
    CHECK(adjusted_rand_index({0, 0, 0}, {0, 0, 0}) == 1.0);
    CHECK(adjusted_rand_index({0, 1, 2}, {0, 1, 2}) == 1.0);
    CHECK(adjusted_rand_index({0, 0, 0}, {0, 1, 2}) == 0.0);
    CHECK_THROWS_WITH(adjusted_rand_index({0, 0}, {0, 0, 1}), Contains("labels 3 blocks, not 2"));
}

TEST_CASE("partition agreement: matching areas and the adjusted Rand index, by hand", "[clustering][agreement]") {
    // a: {0,1,2} {3,4,5}; b: {0,1} {2,3,4,5} (labels 7 and 9), unit 6 only in a.
    const PartitionAgreement agreement = partition_agreement({0, 0, 0, 1, 1, 1, 1}, {7, 7, 9, 9, 9, 9, -1});
    CHECK(agreement.units == 6);  // unit 6 is left out
    CHECK(agreement.areas_a == 2);
    CHECK(agreement.areas_b == 2);
    // The same table as above, transposed: ARI does not care which side is which.
    CHECK(agreement.adjusted_rand == Approx(adjusted_rand_index({0, 0, 0, 1, 1, 1}, {0, 0, 1, 1, 1, 1})));
    // a0's largest overlap is b7 (2 units), b7's is a0; a1's is b9 (3), b9's is a1 (3 against 1).
    CHECK(agreement.matched_areas == 2);
    CHECK(agreement.units_matched == 5);  // unit 2 is in a0 but in b9
    CHECK(agreement.identical_areas == 0);

    const PartitionAgreement same = partition_agreement({4, 4, 2, 2}, {0, 0, 1, 1});
    CHECK(same.adjusted_rand == 1.0);
    CHECK(same.identical_areas == 2);
    CHECK(same.units_matched == 4);
    // Two areas merged into one: the merged area matches one of them only.
    const PartitionAgreement merged = partition_agreement({0, 0, 1, 1}, {0, 0, 0, 0});
    CHECK(merged.matched_areas == 1);
    CHECK(merged.units_matched == 2);
    CHECK_THROWS_WITH(partition_agreement({0, 1}, {0}), Contains("partitions of 2 and 1 units"));
    CHECK_THROWS_WITH(partition_agreement({0, -1}, {-1, 0}), Contains("no unit is in both"));
}

TEST_CASE("ensemble: two groups every seed finds are stable everywhere", "[clustering][ensemble]") {
    // A 2 x 4 lattice: the west half (columns 0-1) near 0, the east half near 10.
    std::vector<double> values;
    for (int r = 0; r < 2; ++r)
        for (int c = 0; c < 4; ++c) values.push_back((c < 2 ? 0.0 : 10.0) + 0.1 * r + 0.05 * c);
    bench::OwnedProblem owned = test::hand_problem(values, test::lattice_edges(2, 4));
    owned.problem.k = 2;
    EnsembleOptions ensemble;
    ensemble.runs = 12;
    ensemble.methods = {ClusterMethod::azp, ClusterMethod::redcap};
    const Ensemble result = cluster_ensemble(owned.problem, azp_options(), ensemble);
    const EnsembleResult& e = result.summary;
    REQUIRE(e.runs == 12);
    CHECK(result.consensus.region == std::vector<std::int32_t>{0, 0, 1, 1, 0, 0, 1, 1});
    CHECK(std::all_of(e.stability.begin(), e.stability.end(), [](double s) { return s == 1.0; }));
    CHECK(e.unstable_blocks == 0);
    CHECK(e.unstable_population == 0);
    for (double ari : e.mean_ari) CHECK(ari == 1.0);
    CHECK(e.methods[0] == ClusterMethod::azp);
    CHECK(e.methods[1] == ClusterMethod::redcap);
    CHECK(e.seeds[3] == detail::stream_seed(7, 3));
    REQUIRE(e.boundaries.size() == owned.graph->edge_count());
    for (const BoundaryFrequency& edge : e.boundaries) {
        INFO(edge.a << " - " << edge.b);
        const bool crosses = (edge.a % 4 == 1 && edge.b == edge.a + 1);  // column 1 to column 2
        CHECK(edge.frequency == (crosses ? 1.0 : 0.0));
    }
}

TEST_CASE("ensemble: a block tied between footprints flips between runs and is flagged", "[clustering][ensemble]") {
    bench::OwnedProblem owned = star();
    const ClusterOptions options = azp_options();
    EnsembleOptions ensemble;
    ensemble.runs = 20;
    const Ensemble result = cluster_ensemble(owned.problem, options, ensemble);
    const EnsembleResult& e = result.summary;

    // Where each run put the centre, from the runs themselves: the arm whose first block it joined.
    std::vector<std::int32_t> arm_of_centre;
    for (std::size_t i = 0; i < ensemble.runs; ++i) {
        ClusterOptions run = options;
        run.seed = detail::stream_seed(options.seed, i);
        run.threads = 1;
        const Partition p = cluster(owned.problem, run);
        REQUIRE(p.regions == 4);
        std::int32_t arm = -1;
        for (std::int32_t first : {1, 3, 5, 7})
            if (p.region[0] == p.region[static_cast<std::size_t>(first)]) arm = first;
        REQUIRE(arm > 0);  // the centre always sits with one whole arm: the four ties
        for (std::int32_t first : {1, 3, 5, 7}) CHECK(p.region[first] == p.region[first + 1]);
        arm_of_centre.push_back(arm);
    }
    std::int32_t consensus_arm = -1;
    for (std::int32_t first : {1, 3, 5, 7})
        if (result.consensus.region[0] == result.consensus.region[static_cast<std::size_t>(first)]) consensus_arm = first;
    REQUIRE(consensus_arm > 0);
    const auto with_consensus = std::count(arm_of_centre.begin(), arm_of_centre.end(), consensus_arm);
    // The consensus is the most common answer (the run closest to the others).
    for (std::int32_t first : {1, 3, 5, 7}) CHECK(std::count(arm_of_centre.begin(), arm_of_centre.end(), first) <= with_consensus);
    INFO("centre with the consensus arm in " << with_consensus << " of 20 runs");
    CHECK(e.stability[0] == Approx(static_cast<double>(with_consensus) / 20.0));
    CHECK(e.stability[0] < 1.0);
    for (std::size_t arm_block = 1; arm_block < 9; ++arm_block) CHECK(e.stability[arm_block] == 1.0);
    // With these seeds the centre goes its consensus way in fewer than 60 % of runs: flagged.
    CHECK(e.stability[0] < unstable_stability);
    CHECK(e.unstable(0));
    CHECK(e.unstable_blocks == 1);
    CHECK(e.unstable_population == 1.0);  // no population: each block counts one

    // The centre's four edges: each a boundary whenever the centre is elsewhere;
    // it is apart from three arms in every run. Edges inside arms never are.
    double centre_edges = 0;
    for (const BoundaryFrequency& edge : e.boundaries) {
        if (edge.a == 0) {
            const auto apart = std::count_if(arm_of_centre.begin(), arm_of_centre.end(),
                                             [&](std::int32_t arm) { return arm != static_cast<std::int32_t>(edge.b); });
            CHECK(edge.frequency == Approx(static_cast<double>(apart) / 20.0));
            centre_edges += edge.frequency;
        } else {
            CHECK(edge.frequency == 0.0);
        }
    }
    CHECK(centre_edges == Approx(3.0));
}

TEST_CASE("ensemble: the same result for any thread count", "[clustering][ensemble]") {
    // A 9 x 9 lattice with uneven values and populations; azp and maxp in turn.
    std::vector<double> values, population;
    for (std::uint32_t i = 0; i < 81; ++i) {
        values.push_back(std::sin(0.7 * i) + 0.01 * i);
        population.push_back(100.0 + static_cast<double>((i * 37) % 50));
    }
    bench::OwnedProblem owned = test::hand_problem(values, test::lattice_edges(9, 9), population);
    owned.problem.k = 6;
    owned.problem.min_population = 900;
    EnsembleOptions ensemble;
    ensemble.runs = 9;
    ensemble.methods = {ClusterMethod::azp, ClusterMethod::maxp};
    const Ensemble one = cluster_ensemble(owned.problem, azp_options(1), ensemble);
    for (unsigned threads : {2u, 3u, 8u}) {
        INFO(threads << " threads");
        const Ensemble many = cluster_ensemble(owned.problem, azp_options(threads), ensemble);
        CHECK(many.consensus.region == one.consensus.region);
        CHECK(many.summary.consensus_run == one.summary.consensus_run);
        CHECK(many.summary.stability == one.summary.stability);
        CHECK(many.summary.mean_ari == one.summary.mean_ari);
        REQUIRE(many.summary.boundaries.size() == one.summary.boundaries.size());
        for (std::size_t k = 0; k < one.summary.boundaries.size(); ++k)
            CHECK(many.summary.boundaries[k].frequency == one.summary.boundaries[k].frequency);
    }
    // The consensus keeps the rules: contiguous, within the floor, at most k (maxp's k is a limit).
    const std::vector<std::size_t> parts = detail::region_parts(*owned.graph, one.consensus.region, one.consensus.regions);
    CHECK(std::all_of(parts.begin(), parts.end(), [](std::size_t p) { return p == 1; }));
    for (const detail::RegionSums& sums : detail::region_sums(owned.problem, one.consensus.region, one.consensus.regions))
        CHECK(sums.population() >= 900);
    CHECK(one.consensus.regions <= 6);
}

TEST_CASE("ensemble: footprints under a nesting rule, and the shared boundaries drawn", "[clustering][ensemble][footprints]") {
    // 2 x 4 squares of 100 m; footprints within the west and east halves.
    const Layer blocks = test::square_grid(2, 4);
    const Layer halves = test::hand_layer("halves", {{"W", test::box_wkt(0, 0, 200, 200)}, {"E", test::box_wkt(200, 0, 400, 200)}});
    FootprintRequest request;
    request.cluster = azp_options();
    request.k = 4;
    request.attributes.push_back({"value", {1, 2, 3, 4, 2, 1, 4, 3}, 1.0});
    request.nest_layer = &halves;
    request.nesting = Nesting::within_units;
    request.ensemble.runs = 10;
    const FootprintResult result = town_footprints(blocks, request);
    REQUIRE(result.ensemble.runs == 10);
    CHECK(result.partition.regions == 4);
    CHECK(result.groups == 2);
    for (std::size_t i = 0; i < blocks.size(); ++i)
        for (std::size_t j = 0; j < blocks.size(); ++j)
            if (result.partition.region[i] == result.partition.region[j]) CHECK((i % 4 < 2) == (j % 4 < 2));
    // Edges across the halves' line are a boundary in every run.
    for (const BoundaryFrequency& edge : result.ensemble.boundaries)
        if (edge.a % 4 == 1 && edge.b == edge.a + 1) CHECK(edge.frequency == 1.0);

    // The shared boundary of r0c0 and r0c1 is the 100 m side x = 100; r0c0 and r1c0 share y = 100.
    const std::vector<std::vector<std::vector<Coord>>> lines = shared_boundaries(blocks, result.graph);
    REQUIRE(lines.size() == result.graph.edge_count());
    for (std::size_t k = 0; k < result.ensemble.boundaries.size(); ++k) {
        const BoundaryFrequency& edge = result.ensemble.boundaries[k];
        REQUIRE(lines[k].size() == 1);
        const std::vector<Coord>& line = lines[k][0];
        double length = 0;
        for (std::size_t p = 1; p < line.size(); ++p) length += std::hypot(line[p].x - line[p - 1].x, line[p].y - line[p - 1].y);
        CHECK(length == Approx(100.0));
        CHECK(edge.shared_length == Approx(100.0));
        if (edge.a == 0 && edge.b == 1) {
            CHECK(line.front().x == Approx(100.0));
            CHECK(line.back().x == Approx(100.0));
        }
        if (edge.a == 0 && edge.b == 4) {
            CHECK(line.front().y == Approx(100.0));
            CHECK(line.back().y == Approx(100.0));
        }
    }
}

TEST_CASE("ensemble: bad requests get a clear error", "[clustering][ensemble]") {
    bench::OwnedProblem owned = star();
    EnsembleOptions ensemble;
    ensemble.runs = 1;
    CHECK_THROWS_WITH(cluster_ensemble(owned.problem, azp_options(), ensemble), Contains("at least 2 runs, not 1"));
    ensemble.runs = 5;
    ClusterOptions skater;
    skater.method = ClusterMethod::skater;
    CHECK_THROWS_WITH(cluster_ensemble(owned.problem, skater, ensemble),
                      Contains("skater and redcap give the same footprints for every seed"));
    skater.refine = true;  // AZP refinement draws on the seed
    CHECK(cluster_ensemble(owned.problem, skater, ensemble).summary.runs == 5);
    ensemble.methods = {ClusterMethod::azp, ClusterMethod::seeded};
    CHECK_THROWS_WITH(cluster_ensemble(owned.problem, azp_options(), ensemble), Contains("seeded growth"));
    // A run that cannot meet the request says which run it was.
    ensemble.methods = {ClusterMethod::maxp};
    CHECK_THROWS_WITH(cluster_ensemble(owned.problem, azp_options(), ensemble),
                      Contains("ensemble run 1 (maxp") && Contains("maxp needs a population floor"));
}

TEST_CASE("ensemble: progress counts the runs, and a cancel stops between them", "[clustering][ensemble][cancel]") {
    bench::OwnedProblem owned = star();
    ClusterOptions options = azp_options(1);
    std::vector<std::size_t> seen;
    options.progress = [&](std::size_t done, std::size_t total) {
        CHECK(total == 6);
        seen.push_back(done);
    };
    EnsembleOptions ensemble;
    ensemble.runs = 6;
    cluster_ensemble(owned.problem, options, ensemble);
    CHECK(seen == std::vector<std::size_t>{1, 2, 3, 4, 5, 6});

    CancelToken token;
    const CancelScope scope(token);
    seen.clear();
    options.progress = [&](std::size_t done, std::size_t) {
        seen.push_back(done);
        if (done == 2) token.request();
    };
    CHECK_THROWS_AS(cluster_ensemble(owned.problem, options, ensemble), cancelled);
    CHECK(seen == std::vector<std::size_t>{1, 2});  // the third run never started
}
