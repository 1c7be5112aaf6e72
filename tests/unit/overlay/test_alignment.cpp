// Boundary alignment on hand-drawn layers: lengths a person can add up.
#include "hand_layers.hpp"

#include "placedef/error.hpp"
#include "placedef/overlay.hpp"

#include <catch2/catch.hpp>

using namespace placedef;
using placedef::test::box_wkt;
using placedef::test::hand_layer;

namespace {
// Two 1 km squares side by side.
Layer pair_of_squares(double shift = 0) {
    return hand_layer("squares", {{"W", box_wkt(0 + shift, 0, 1000 + shift, 1000)},
                                  {"E", box_wkt(1000 + shift, 0, 2000 + shift, 1000)}});
}
}  // namespace

TEST_CASE("a layer is aligned with itself; its outer edge is set aside", "[overlay][alignment]") {
    const Layer a = pair_of_squares();
    const BoundaryAlignment result = boundary_alignment(a, a, 20.0);
    // Three sides bound the coverage; so do the 20 m at each end of the
    // shared side (within the distance of the outer edge, which wins).
    for (std::size_t i = 0; i < 2; ++i) {
        CHECK(result.length[i] == Approx(4000));
        CHECK(result.outer[i] == Approx(3040));
        CHECK(result.aligned[i] == Approx(960));
        CHECK(result.share(i) == Approx(1.0));
    }
    CHECK(result.layer_share() == Approx(1.0));
}

TEST_CASE("an inner boundary moved by less or more than the distance", "[overlay][alignment]") {
    // B's inner boundary at x = 1000 + offset; A's at x = 1000.
    const Layer a = pair_of_squares();
    // Judged: the shared side less its 20 m ends (960 m); aligned when B's
    // line is within 20 m of it.
    for (const auto& [offset, aligned] : std::vector<std::pair<double, double>>{{5, 960}, {19.9, 960}, {20.1, 0}, {300, 0}}) {
        INFO("offset " << offset);
        const Layer b = hand_layer("b", {{"W", box_wkt(0, 0, 1000 + offset, 1000)}, {"E", box_wkt(1000 + offset, 0, 2000, 1000)}});
        const BoundaryAlignment result = boundary_alignment(a, b, 20.0);
        CHECK(result.aligned[0] == Approx(aligned).margin(1e-6));
        CHECK(result.outer[0] == Approx(3040));
        CHECK(result.share(0) == Approx(aligned / 960).margin(1e-9));
    }
}

TEST_CASE("a grid against halves: vertical lines align, the horizontal one does not", "[overlay][alignment]") {
    const Layer grid = test::grid_2x2(), halves = test::halves();
    const BoundaryAlignment result = boundary_alignment(grid, halves, 20.0);
    // Each cell: two sides on the coverage edge (2000 m), plus 20 m of its
    // vertical and 20 m of its horizontal inner side next to that edge; the
    // vertical side's other 980 m and the horizontal side's last 20 m (at the
    // halves' line) are aligned; 960 m of the horizontal side are not.
    for (std::size_t i = 0; i < 4; ++i) {
        CHECK(result.outer[i] == Approx(2040));
        CHECK(result.aligned[i] == Approx(1000));
        CHECK(result.share(i) == Approx(1000.0 / 1960.0));
    }
    CHECK(result.layer_share() == Approx(1000.0 / 1960.0));
    // The other way round every inner boundary of the halves is a grid line.
    CHECK(boundary_alignment(halves, grid, 20.0).layer_share() == Approx(1.0));
}

TEST_CASE("boundary beyond the other layer's coverage is outer, not unaligned", "[overlay][alignment]") {
    // A reaches 500 m past B's east edge.
    const Layer a = hand_layer("a", {{"A", box_wkt(0, 0, 2500, 1000)}});
    const Layer b = pair_of_squares();
    const BoundaryAlignment result = boundary_alignment(a, b, 20.0);
    CHECK(result.length[0] == Approx(7000));
    // West side and the parts of south and north along B: on B's outer edge
    // (1000 + 2 x 2000); the east side and 2 x 480 m beyond B: outside.
    CHECK(result.outer[0] == Approx(7000));
    CHECK(result.aligned[0] == Approx(0));
    CHECK(result.share(0) == Approx(1.0));  // nothing left to judge
}

TEST_CASE("a prepared boundary index gives the same answer", "[overlay][alignment]") {
    const Layer a = pair_of_squares(3.0);
    const Layer b = pair_of_squares();
    const BoundaryIndex index(b);
    const BoundaryAlignment direct = boundary_alignment(a, b, 20.0), indexed = boundary_alignment(a, index, 20.0);
    CHECK(direct.aligned == indexed.aligned);
    CHECK(direct.outer == indexed.outer);
    CHECK_THROWS_AS(boundary_alignment(a, b, -1.0), invalid_input);
}
