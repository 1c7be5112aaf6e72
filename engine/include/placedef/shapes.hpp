// Geometry value types, shared vocabulary of every module. Polygons are plain
// coordinate rings so that the overlay kernel works on them without GEOS; GEOS
// stays private to the geometry module.
#pragma once

#include <cstddef>
#include <limits>
#include <vector>

namespace placedef {

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

}  // namespace placedef
