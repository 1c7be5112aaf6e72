#include "placedef/geometry.hpp"

#include "geometry/predicates.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

namespace placedef {
inline namespace geometry {

namespace {

/// Twice the signed area of the ring whose i-th vertex is vertex(i), about
/// its first vertex: British National Grid coordinates are ~1e5-1e6 m, and
/// the plain shoelace would lose digits to cancellation.
template <typename Vertex>
double twice_signed_area(std::size_t n, Vertex vertex) {
    if (n < 3) return 0.0;
    const Coord origin = vertex(0);
    double twice = 0.0;
    for (std::size_t i = 1; i + 1 < n; ++i) {
        const Coord a = vertex(i), b = vertex(i + 1);
        const double x1 = a.x - origin.x, y1 = a.y - origin.y;
        const double x2 = b.x - origin.x, y2 = b.y - origin.y;
        twice += x1 * y2 - x2 * y1;
    }
    return twice;
}

}  // namespace

double signed_area(const Ring& ring) {
    return twice_signed_area(ring.size(), [&](std::size_t i) { return ring[i]; }) / 2.0;
}

double area(const Polygon& polygon) {
    double total = std::abs(signed_area(polygon.outer));
    for (const Ring& hole : polygon.holes) total -= std::abs(signed_area(hole));
    return total;
}

double area(const MultiPolygon& shape) {
    double total = 0.0;
    for (const Polygon& polygon : shape.polygons) total += area(polygon);
    return total;
}

namespace {
double ring_length(const Ring& ring) {
    double length = 0.0;
    for (std::size_t i = 0, n = ring.size(); i < n; ++i) {
        const Coord& a = ring[i];
        const Coord& b = ring[(i + 1) % n];
        length += std::hypot(b.x - a.x, b.y - a.y);
    }
    return length;
}

template <typename Visit>
void for_each_ring(const MultiPolygon& shape, Visit&& visit) {
    for (const Polygon& polygon : shape.polygons) {
        visit(polygon.outer);
        for (const Ring& hole : polygon.holes) visit(hole);
    }
}

/// Drops a repeated closing vertex and consecutive duplicates.
void tidy(Ring& ring) {
    Ring out;
    out.reserve(ring.size());
    for (const Coord& c : ring)
        if (out.empty() || out.back() != c) out.push_back(c);
    while (out.size() > 1 && out.front() == out.back()) out.pop_back();
    ring.swap(out);
}

void orient(Ring& ring, bool counter_clockwise) {
    // Rounding makes the area of a nearly flat ring (or one whose products
    // overflow) depend on where the sum starts, so that the ring and its
    // reverse can have the same sign. Such a ring, like one of zero or NaN
    // area (a bow tie, a spike), has no orientation: it is left as it is,
    // so that normalising twice changes nothing (found by fuzz_geometry).
    const std::size_t n = ring.size();
    const double forward = twice_signed_area(n, [&](std::size_t i) { return ring[i]; });
    const double backward = twice_signed_area(n, [&](std::size_t i) { return ring[n - 1 - i]; });
    const bool oriented = (forward > 0 && backward < 0) || (forward < 0 && backward > 0);
    if (oriented && (counter_clockwise ? forward < 0 : forward > 0)) std::reverse(ring.begin(), ring.end());
}

void write_ring(std::ostringstream& out, const Ring& ring) {
    if (ring.empty()) {  // WKB may hold one (a hole of no points); GEOS reads it back
        out << "EMPTY";
        return;
    }
    out << '(';
    for (std::size_t i = 0; i <= ring.size(); ++i) {
        const Coord& c = ring[i % ring.size()];
        if (i) out << ", ";
        out << c.x << ' ' << c.y;
    }
    out << ')';
}
}  // namespace

double perimeter(const MultiPolygon& shape) {
    double total = 0.0;
    for_each_ring(shape, [&](const Ring& ring) { total += ring_length(ring); });
    return total;
}

Box bounds(const Ring& ring) {
    Box box;
    for (const Coord& c : ring) box.expand(c);
    return box;
}

Box bounds(const MultiPolygon& shape) {
    Box box;
    for (const Polygon& polygon : shape.polygons) box.expand(bounds(polygon.outer));
    return box;
}

std::size_t vertex_count(const MultiPolygon& shape) {
    std::size_t count = 0;
    for_each_ring(shape, [&](const Ring& ring) { count += ring.size(); });
    return count;
}

std::size_t ring_count(const MultiPolygon& shape) {
    std::size_t count = 0;
    for_each_ring(shape, [&](const Ring&) { ++count; });
    return count;
}

void normalise(MultiPolygon& shape) {
    for (Polygon& polygon : shape.polygons) {
        tidy(polygon.outer);
        orient(polygon.outer, true);
        for (Ring& hole : polygon.holes) {
            tidy(hole);
            orient(hole, false);
        }
    }
}

Ring convex_hull(const MultiPolygon& shape) {
    std::vector<Coord> points;
    points.reserve(vertex_count(shape));
    for (const Polygon& polygon : shape.polygons) points.insert(points.end(), polygon.outer.begin(), polygon.outer.end());
    std::sort(points.begin(), points.end(), [](const Coord& a, const Coord& b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
    points.erase(std::unique(points.begin(), points.end()), points.end());
    if (points.size() < 3) return points;
    // Lower hull left to right, then upper hull right to left; a point is
    // kept only where the chain turns left (exact orientation).
    Ring hull(2 * points.size());
    std::size_t size = 0;
    auto add = [&](const Coord& c, std::size_t floor) {
        while (size >= floor && detail::orientation(hull[size - 2], hull[size - 1], c) <= 0) --size;
        hull[size++] = c;
    };
    for (const Coord& c : points) add(c, 2);
    const std::size_t lower = size + 1;
    for (std::size_t i = points.size() - 1; i-- > 0;) add(points[i], lower);
    hull.resize(size - 1);  // the last point repeats the first
    return hull;
}

bool covers(const MultiPolygon& shape, const Coord& point) {
    bool inside = false;
    bool on_boundary = false;
    for_each_ring(shape, [&](const Ring& ring) {
        for (std::size_t i = 0, n = ring.size(); i < n && !on_boundary; ++i) {
            const Coord& a = ring[i];
            const Coord& b = ring[(i + 1) % n];
            if (detail::segments_intersect(a, b, point, point)) on_boundary = true;
            // Half-open rule on y, so a vertex at the point's height counts once.
            else if ((a.y > point.y) != (b.y > point.y) &&
                     (detail::orientation(a, b, point) > 0) == (b.y > a.y))
                inside = !inside;
        }
    });
    return on_boundary || inside;
}

std::string to_wkt(const MultiPolygon& shape, int precision) {
    std::ostringstream out;
    out << std::setprecision(precision);
    if (shape.empty()) return "MULTIPOLYGON EMPTY";
    out << "MULTIPOLYGON (";
    for (std::size_t p = 0; p < shape.polygons.size(); ++p) {
        if (p) out << ", ";
        out << '(';
        write_ring(out, shape.polygons[p].outer);
        for (const Ring& hole : shape.polygons[p].holes) {
            out << ", ";
            write_ring(out, hole);
        }
        out << ')';
    }
    out << ')';
    return out.str();
}

}  // namespace geometry
}  // namespace placedef
