// The boundary-integral kernel against GEOS overlay on many generated shapes,
// including the degenerate arrangements real layers produce (shared edges,
// vertices on edges, identical units).
#include "placedef/geometry.hpp"
#include "placedef/overlay.hpp"

#include "hand_layers.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>

using namespace placedef;

namespace {

MultiPolygon star(std::mt19937_64& random, double cx, double cy, double radius, int vertices) {
    return test::random_star(random, cx, cy, radius, vertices, 0.2);
}

MultiPolygon rectangle(double x0, double y0, double x1, double y1) {
    MultiPolygon shape{{Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}, {}}}};
    normalise(shape);
    return shape;
}

/// Grid cells of `step` over [0, size)², each cell's ring carrying every
/// grid vertex on its sides (so neighbours share vertices and edges exactly).
std::vector<MultiPolygon> grid(double origin, double size, double step, int subdivisions) {
    std::vector<MultiPolygon> cells;
    const double sub = step / subdivisions;
    for (double y = 0; y < size; y += step)
        for (double x = 0; x < size; x += step) {
            Polygon polygon;
            for (int i = 0; i < subdivisions; ++i) polygon.outer.push_back({origin + x + i * sub, origin + y});
            for (int i = 0; i < subdivisions; ++i) polygon.outer.push_back({origin + x + step, origin + y + i * sub});
            for (int i = 0; i < subdivisions; ++i) polygon.outer.push_back({origin + x + step - i * sub, origin + y + step});
            for (int i = 0; i < subdivisions; ++i) polygon.outer.push_back({origin + x, origin + y + step - i * sub});
            MultiPolygon shape{{polygon}};
            normalise(shape);
            cells.push_back(shape);
        }
    return cells;
}

}  // namespace

TEST_CASE("random star polygons agree with GEOS", "[overlay][kernel]") {
    std::mt19937_64 random(20261123);
    std::uniform_real_distribution<double> offset(-60, 60);
    for (int trial = 0; trial < 400; ++trial) {
        // Large British-grid-like coordinates, to exercise precision.
        const MultiPolygon a = star(random, 530000, 180000, 100, 5 + trial % 40);
        const MultiPolygon b = star(random, 530000 + offset(random), 180000 + offset(random), 80, 4 + trial % 23);
        const double expected = area(intersection(a, b));
        INFO("trial " << trial << "\na = " << to_wkt(a) << "\nb = " << to_wkt(b));
        CHECK(intersection_area(a, b) == Approx(expected).epsilon(1e-9).margin(1e-6));
        CHECK(intersection_area(b, a) == Approx(expected).epsilon(1e-9).margin(1e-6));
    }
}

TEST_CASE("a shape against itself gives its own area", "[overlay][kernel]") {
    std::mt19937_64 random(7);
    for (int trial = 0; trial < 100; ++trial) {
        const MultiPolygon a = star(random, 450000, 150000, 500, 3 + trial);
        CHECK(intersection_area(a, a) == Approx(area(a)).epsilon(1e-12));
    }
}

TEST_CASE("grids sharing vertices and edges partition each other exactly", "[overlay][kernel]") {
    // A fine grid against a coarse one: every fine cell is nested in exactly
    // one coarse cell (shared edges in the same direction), and touches
    // others along edges or at corners only.
    const auto fine = grid(1000, 120, 12, 3);  // integer vertices: exactly shared
    const auto coarse = grid(1000, 120, 24, 6);
    for (const MultiPolygon& f : fine) {
        double total = 0;
        int holders = 0;
        for (const MultiPolygon& c : coarse) {
            const double shared = intersection_area(f, c);
            total += shared;
            if (shared > 0) ++holders;
            CHECK(shared == Approx(area(intersection(f, c))).margin(1e-9));
        }
        CHECK(holders == 1);
        CHECK(total == Approx(area(f)).epsilon(1e-12));
    }
}

TEST_CASE("a grid shifted by half a cell splits each cell in four", "[overlay][kernel]") {
    const auto base = grid(0, 40, 10, 1);
    const auto shifted = grid(5, 40, 10, 2);
    for (const MultiPolygon& s : shifted)
        for (const MultiPolygon& c : base) {
            const double shared = intersection_area(s, c);
            CHECK(shared == Approx(area(intersection(s, c))).margin(1e-9));
            CHECK((shared == Approx(0.0).margin(1e-12) || shared == Approx(25.0).margin(1e-9)));
        }
}

TEST_CASE("rectangles with boundaries along each other", "[overlay][kernel]") {
    const MultiPolygon a = rectangle(0, 0, 10, 10);
    // Every b shares some edge line with a: inside, outside, straddling.
    const std::vector<std::pair<MultiPolygon, double>> cases = {
        {rectangle(0, 0, 10, 5), 50},   {rectangle(0, 0, 5, 10), 50},  {rectangle(-5, 0, 5, 10), 50},
        {rectangle(0, 10, 10, 20), 0},  {rectangle(10, 0, 20, 10), 0}, {rectangle(-5, -5, 15, 15), 100},
        {rectangle(2, 0, 8, 10), 60},   {rectangle(0, -3, 10, 3), 30}, {rectangle(10, 10, 11, 11), 0},
    };
    for (const auto& [b, expected] : cases) {
        INFO("b = " << to_wkt(b));
        CHECK(intersection_area(a, b) == Approx(expected).margin(1e-12));
        CHECK(intersection_area(b, a) == Approx(expected).margin(1e-12));
    }
}

TEST_CASE("a GEOS piece of two shapes keeps its area against either of them", "[overlay][kernel]") {
    // The piece's vertices are crossing points rounded onto the parents'
    // edges: boundaries within an ulp of each other, meeting at shared
    // vertices. Every side decision must come from exact predicates.
    std::mt19937_64 random(424242);
    std::uniform_real_distribution<double> offset(-60, 60);
    std::size_t checked = 0;
    for (int trial = 0; trial < 300; ++trial) {
        const MultiPolygon a = star(random, 540000, 159000, 100, 5 + trial % 30);
        const MultiPolygon b = star(random, 540000 + offset(random), 159000 + offset(random), 80, 4 + trial % 17);
        const MultiPolygon piece = intersection(a, b);
        if (piece.empty()) continue;
        const double expected = area(piece);
        INFO("trial " << trial << "\na = " << to_wkt(a) << "\nb = " << to_wkt(b));
        CHECK(intersection_area(piece, a) == Approx(expected).epsilon(1e-7).margin(1e-6));
        CHECK(intersection_area(b, piece) == Approx(expected).epsilon(1e-7).margin(1e-6));
        ++checked;
    }
    CHECK(checked > 250);
}

namespace {

/// Shapes whose rings touch at T = (x0, y0): a rectangle part with a
/// triangle part whose corner sits on the rectangle's side at T (`hole`
/// false), or a square shell with a triangular hole whose corner sits on the
/// shell's side at T (`hole` true). `turned` swaps the axes about T, so that
/// two such shapes cross there. Integer offsets, scaled exactly.
MultiPolygon touching_rings(bool hole, bool turned, int shift, double scale, double x0, double y0) {
    auto at = [&](double x, double y) {
        return turned ? Coord{x0 + scale * y, y0 + scale * x} : Coord{x0 + scale * x, y0 + scale * y};
    };
    MultiPolygon shape;
    if (hole) {
        shape.polygons.push_back(Polygon{{at(-shift, 0), at(10 - shift, 0), at(10 - shift, 10), at(-shift, 10)},
                                         {{at(0, 0), at(2, 3), at(-2, 3)}}});
    } else {
        shape.polygons.push_back(Polygon{{at(-shift, -2), at(10 - shift, -2), at(10 - shift, 0), at(-shift, 0)}, {}});
        shape.polygons.push_back(Polygon{{at(0, 0), at(2, 2), at(-2, 2)}, {}});
    }
    normalise(shape);
    return shape;
}

}  // namespace

TEST_CASE("rings of one shape touching where the other shape's boundary passes", "[overlay][kernel]") {
    // issue-16: a part's corner on another part's side (or a hole's corner on
    // its shell's side), with the other shape's edge running through that
    // point. The crossing with the side alone said "outside" where the other
    // part began: 7 instead of 12 for the case below.
    const MultiPolygon a = multipolygon_from_wkt("POLYGON((0 0,5 0,5 10,0 10,0 0))");
    const MultiPolygon b = multipolygon_from_wkt("MULTIPOLYGON(((0 2,10 2,10 4,0 4,0 2)),((5 4,7 6,3 6,5 4)))");
    CHECK(intersection_area(a, b) == 12.0);
    CHECK(intersection_area(b, a) == 12.0);

    // The whole class: both kinds of touch, in metres on the British grid and
    // in small integers, against lines and corners through the touch point,
    // and against a shape touching itself at the same point.
    std::mt19937_64 random(16);
    std::uniform_int_distribution<int> step(-4, 4), reach(1, 6);
    std::size_t checked = 0;
    for (int trial = 0; trial < 400; ++trial) {
        const bool hole = trial % 2 == 1;
        const bool metres = trial % 4 >= 2;
        const double scale = metres ? 100 : 1, x0 = metres ? 530000 : 0, y0 = metres ? 180000 : 0;
        const int shift = 3 + trial % 5;
        const MultiPolygon touching = touching_rings(hole, false, shift, scale, x0, y0);
        // A triangle with one side through T (direction d), or with its corner at T.
        const int dx = step(random), dy = step(random);
        if (dx == 0 && dy == 0) continue;
        const int k = reach(random), m = reach(random), ox = step(random), oy = step(random);
        auto at = [&](double x, double y) { return Coord{x0 + scale * x, y0 + scale * y}; };
        Polygon triangle;
        if (trial % 3 == 0) {
            triangle.outer = {at(0, 0), at(dx, dy), at(ox, oy)};
        } else {
            triangle.outer = {at(k * dx, k * dy), at(-m * dx, -m * dy), at(ox, oy)};
        }
        MultiPolygon other{{triangle}};
        normalise(other);
        if (!(area(other) > 0)) continue;
        const double expected = area(intersection(touching, other));
        INFO("trial " << trial << "\na = " << to_wkt(touching) << "\nb = " << to_wkt(other));
        const double margin = 1e-9 * scale * scale;
        CHECK(intersection_area(touching, other) == Approx(expected).epsilon(1e-12).margin(margin));
        CHECK(intersection_area(other, touching) == Approx(expected).epsilon(1e-12).margin(margin));
        // Both shapes touching themselves at the same point.
        const MultiPolygon mirrored = touching_rings(trial % 3 == 1 ? hole : !hole, true, 2 + trial % 7, scale, x0, y0);
        const double both = area(intersection(touching, mirrored));
        CHECK(intersection_area(touching, mirrored) == Approx(both).epsilon(1e-12).margin(margin));
        CHECK(intersection_area(mirrored, touching) == Approx(both).epsilon(1e-12).margin(margin));
        ++checked;
    }
    CHECK(checked > 300);
}
