// Geometry value types, shared vocabulary of every module. Polygons are plain
// coordinate rings so that the overlay kernel works on them without GEOS; GEOS
// stays private to the geometry module.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

namespace placedef {
inline namespace core {

struct Coord {
    double x = 0;
    double y = 0;
    friend bool operator==(const Coord& a, const Coord& b) { return a.x == b.x && a.y == b.y; }
    friend bool operator!=(const Coord& a, const Coord& b) { return !(a == b); }
};

/// Axis-aligned bounding box; default-constructed boxes are empty.
struct Box {
    double minx = std::numeric_limits<double>::infinity();
    double miny = std::numeric_limits<double>::infinity();
    double maxx = -std::numeric_limits<double>::infinity();
    double maxy = -std::numeric_limits<double>::infinity();

    bool empty() const { return minx > maxx || miny > maxy; }
    void expand(const Coord& c) {
        if (c.x < minx) minx = c.x;
        if (c.x > maxx) maxx = c.x;
        if (c.y < miny) miny = c.y;
        if (c.y > maxy) maxy = c.y;
    }
    void expand(const Box& b) {
        if (b.empty()) return;
        expand(Coord{b.minx, b.miny});
        expand(Coord{b.maxx, b.maxy});
    }
    /// Closed-box test: boxes that only touch do intersect.
    bool intersects(const Box& b) const {
        return !(b.minx > maxx || b.maxx < minx || b.miny > maxy || b.maxy < miny);
    }
    bool contains(const Box& b) const {
        return b.minx >= minx && b.maxx <= maxx && b.miny >= miny && b.maxy <= maxy;
    }
    double width() const { return empty() ? 0 : maxx - minx; }
    double height() const { return empty() ? 0 : maxy - miny; }
};

/// A ring stored open: the closing point is not repeated.
using Ring = std::vector<Coord>;

struct Polygon {
    Ring outer;
    std::vector<Ring> holes;
};

struct MultiPolygon {
    std::vector<Polygon> polygons;
    bool empty() const { return polygons.empty(); }
};

/// The largest |x| or |y| a valid shape has, in metres: 1,000,000 km, far
/// beyond any projected CRS. Larger values are corrupt data (1e300 from a
/// broken export), and would make areas overflow to infinity.
constexpr double max_coordinate = 1e9;

/// The smallest nonzero |x| or |y| a valid shape has, in metres. The exact
/// orientation test sums error-free products of coordinates, and a product
/// below about 1e-292 loses its rounding error to underflow: with nonzero
/// magnitudes of at least 1e-100 no product comes near that. Such values are
/// corrupt data too (no survey is finer than a micrometre).
constexpr double min_coordinate = 1e-100;

/// Within the magnitudes where areas cannot overflow and exact predicates cannot underflow.
inline bool in_coordinate_range(double value) {
    const double magnitude = std::fabs(value);
    return magnitude <= max_coordinate && (magnitude >= min_coordinate || magnitude == 0.0);
}
inline bool in_coordinate_range(const Coord& c) { return in_coordinate_range(c.x) && in_coordinate_range(c.y); }

}  // namespace core
}  // namespace placedef
