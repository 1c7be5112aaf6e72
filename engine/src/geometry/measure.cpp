#include "placedef/geometry.hpp"

#include "geometry/detail/predicates.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

namespace placedef {

double signed_area(const Ring& ring) {
    const std::size_t n = ring.size();
    if (n < 3) return 0.0;
    // About the first vertex: British National Grid coordinates are ~1e5-1e6 m,
    // and the plain shoelace would lose digits to cancellation.
    const Coord origin = ring[0];
    double twice = 0.0;
    for (std::size_t i = 1; i + 1 < n; ++i) {
        const double x1 = ring[i].x - origin.x, y1 = ring[i].y - origin.y;
        const double x2 = ring[i + 1].x - origin.x, y2 = ring[i + 1].y - origin.y;
        twice += x1 * y2 - x2 * y1;
    }
    return twice / 2.0;
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
    // A ring of zero or NaN signed area (a bow tie, a spike) has no
    // orientation: it is left as it is, so that normalising twice changes nothing.
    const double oriented_area = signed_area(ring);
    if (counter_clockwise ? oriented_area < 0 : oriented_area > 0) std::reverse(ring.begin(), ring.end());
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

}  // namespace placedef
