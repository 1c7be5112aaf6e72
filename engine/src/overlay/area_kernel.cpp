#include "overlay/detail/area_kernel.hpp"

#include "geometry/predicates.hpp"
#include "placedef/geometry.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace placedef::detail {

namespace {

constexpr std::uint32_t chunk_edges = 8;
constexpr std::size_t strip_threshold = 32;  ///< edges under which point-in-polygon scans them all

Box segment_box(const Coord& a, const Coord& b) {
    Box box;
    box.expand(a);
    box.expand(b);
    return box;
}

Box intersect(const Box& a, const Box& b) {
    Box box;
    box.minx = std::max(a.minx, b.minx);
    box.miny = std::max(a.miny, b.miny);
    box.maxx = std::min(a.maxx, b.maxx);
    box.maxy = std::min(a.maxy, b.maxy);
    return box;
}

/// Position of `v`, known to lie on the line p→q, as a fraction of p→q,
/// measured on the dominant axis so that v == p gives 0 and v == q gives 1 exactly.
double position_on(const Coord& p, const Coord& q, const Coord& v) {
    if (std::abs(q.x - p.x) >= std::abs(q.y - p.y)) return (v.x - p.x) / (q.x - p.x);
    return (v.y - p.y) / (q.y - p.y);
}

// Error-free transformations (Knuth's two-sum, a product by fused
// multiply-add) and double-double sums and products built on them.
struct Wide {
    double hi, lo;
};
Wide two_sum(double a, double b) {
    const double s = a + b;
    const double bb = s - a;
    return {s, (a - (s - bb)) + (b - bb)};
}
Wide wide_add(Wide a, Wide b) {
    const Wide s = two_sum(a.hi, b.hi);
    return two_sum(s.hi, s.lo + a.lo + b.lo);
}
Wide wide_mul(Wide a, Wide b) {
    const double p = a.hi * b.hi;
    const double error = std::fma(a.hi, b.hi, -p);
    return two_sum(p, error + a.hi * b.lo + a.lo * b.hi);
}

/// Twice the integral of x dy along the straight piece from → to (local
/// coordinates), in double-double.
Wide twice_integral(const LocalPoint& from, const LocalPoint& to) {
    const Wide sum_x = wide_add({from.x, from.xl}, {to.x, to.xl});
    const Wide rise = wide_add({to.y, to.yl}, {-from.y, -from.yl});
    return wide_mul(sum_x, rise);
}

double cross(double ux, double uy, double vx, double vy) { return ux * vy - uy * vx; }

bool within_box(const Coord& a, const Coord& b, const Coord& c) {
    return std::min(a.x, b.x) <= c.x && c.x <= std::max(a.x, b.x) && std::min(a.y, b.y) <= c.y &&
           c.y <= std::max(a.y, b.y);
}

}  // namespace

void WideSum::add(double value_hi, double value_lo) {
    const Wide s = two_sum(hi, value_hi);
    hi = s.hi;
    lo += s.lo + value_lo;
}

LocalPoint AreaKernel::local(const Coord& c) const {
    const Wide x = two_sum(c.x, -m_origin.x), y = two_sum(c.y, -m_origin.y);
    return {x.hi, x.lo, y.hi, y.lo};
}

PreparedShape::PreparedShape(const MultiPolygon& shape) {
    std::size_t points = 0, rings = 0;
    for (const Polygon& polygon : shape.polygons) {
        points += polygon.outer.size() + 1;
        for (const Ring& hole : polygon.holes) points += hole.size() + 1;
        rings += 1 + polygon.holes.size();
    }
    m_points.reserve(points);
    m_rings.reserve(rings);
    // Interiors must lie left of every edge (outer rings counter-clockwise,
    // holes clockwise): the side tests and the x dy sums rely on it, so the
    // layout enforces it rather than trusting its callers.
    auto add_ring = [&](const Ring& ring, bool outer) {
        if (ring.size() < 3) return;
        RingSpan span{};
        span.first = static_cast<std::uint32_t>(m_points.size());
        span.edges = static_cast<std::uint32_t>(ring.size());
        const bool reverse = (signed_area(ring) > 0) != outer;
        for (std::size_t i = 0; i < ring.size(); ++i) {
            const Coord& c = ring[reverse ? ring.size() - 1 - i : i];
            m_points.push_back(c);
            span.box.expand(c);
        }
        m_points.push_back(m_points[span.first]);
        span.first_chunk = static_cast<std::uint32_t>(m_chunks.size());
        // Small rings are scanned edge by edge; chunk boxes only pay on long ones.
        if (span.edges > 4 * chunk_edges)
            for (std::uint32_t k = 0; k < span.edges; k += chunk_edges) {
                Chunk chunk{span.first + k, std::min(chunk_edges, span.edges - k), Box{}};
                for (std::uint32_t v = 0; v <= chunk.count; ++v) chunk.box.expand(m_points[span.first + k + v]);
                m_chunks.push_back(chunk);
            }
        span.chunks = static_cast<std::uint32_t>(m_chunks.size()) - span.first_chunk;
        m_box.expand(span.box);
        m_rings.push_back(span);
    };
    for (const Polygon& polygon : shape.polygons) {
        add_ring(polygon.outer, true);
        for (const Ring& hole : polygon.holes) add_ring(hole, false);
    }
    m_area = placedef::area(shape);
    if (m_rings.size() > 1) {
        for (const RingSpan& ring : m_rings)
            for (std::uint32_t k = ring.first; k < ring.end(); ++k) m_vertex_order.push_back(k);
        std::sort(m_vertex_order.begin(), m_vertex_order.end(), [&](std::uint32_t l, std::uint32_t r) {
            const Coord& cl = m_points[l];
            const Coord& cr = m_points[r];
            return cl.x < cr.x || (cl.x == cr.x && cl.y < cr.y);
        });
        find_touches();
    }
    const std::size_t edges = m_points.size() - m_rings.size();
    if (edges <= strip_threshold) return;

    // About four edges a strip keeps point-in-polygon tests short on the
    // long rings of counties and NHS areas.
    const std::size_t strips = std::clamp<std::size_t>(edges / 4, 1, 1u << 16);
    m_strip_y0 = m_box.miny;
    m_strip_height = (m_box.maxy - m_box.miny) / static_cast<double>(strips);
    if (!(m_strip_height > 0)) m_strip_height = 1.0;
    auto strip_of = [&](double y) {
        const double k = std::floor((y - m_strip_y0) / m_strip_height);
        return static_cast<std::size_t>(std::clamp(k, 0.0, static_cast<double>(strips - 1)));
    };
    std::vector<std::uint32_t> counts(strips + 1, 0);
    for_each_edge([&](std::uint32_t e) {
        const Coord a = start(e), b = end(e);
        for (std::size_t k = strip_of(std::min(a.y, b.y)), last = strip_of(std::max(a.y, b.y)); k <= last; ++k)
            ++counts[k + 1];
    });
    for (std::size_t k = 0; k < strips; ++k) counts[k + 1] += counts[k];
    m_strip_first = counts;
    m_strip_edges.resize(counts[strips]);
    for_each_edge([&](std::uint32_t e) {
        const Coord a = start(e), b = end(e);
        for (std::size_t k = strip_of(std::min(a.y, b.y)), last = strip_of(std::max(a.y, b.y)); k <= last; ++k)
            m_strip_edges[counts[k]++] = e;
    });
}

std::uint32_t PreparedShape::ring_of(std::uint32_t edge) const {
    // Few rings: a linear scan beats a binary search.
    std::uint32_t r = 0;
    while (r + 1 < m_rings.size() && m_rings[r + 1].first <= edge) ++r;
    return r;
}

void PreparedShape::find_touches() {
    // Sweep on x: the vertices in x order against the edges whose x range
    // holds them; exact orientation says whether a vertex lies on an edge.
    struct Span {
        double minx, maxx, miny, maxy;
        std::uint32_t edge;
    };
    std::vector<Span> spans;
    for_each_edge([&](std::uint32_t e) {
        const Box box = segment_box(start(e), end(e));
        spans.push_back({box.minx, box.maxx, box.miny, box.maxy, e});
    });
    std::sort(spans.begin(), spans.end(), [](const Span& l, const Span& r) { return l.minx < r.minx; });
    std::vector<Span> active;
    std::size_t next = 0;
    for (const std::uint32_t v : m_vertex_order) {
        const Coord p = m_points[v];
        while (next < spans.size() && spans[next].minx <= p.x) active.push_back(spans[next++]);
        std::size_t kept = 0;
        for (const Span& span : active) {
            if (span.maxx < p.x) continue;  // behind the sweep for good
            active[kept++] = span;
            if (p.y < span.miny || p.y > span.maxy) continue;
            const Coord u = start(span.edge), w = end(span.edge);
            if (p != u && p != w && orientation(u, w, p) == 0) m_touches.push_back({span.edge, v});
        }
        active.resize(kept);
    }
    std::sort(m_touches.begin(), m_touches.end(),
              [](const Touch& l, const Touch& r) { return l.edge < r.edge || (l.edge == r.edge && l.vertex < r.vertex); });
    m_touches_by_point = m_touches;
    std::sort(m_touches_by_point.begin(), m_touches_by_point.end(), [&](const Touch& l, const Touch& r) {
        const Coord& cl = m_points[l.vertex];
        const Coord& cr = m_points[r.vertex];
        return cl.x < cr.x || (cl.x == cr.x && cl.y < cr.y);
    });
}

PreparedShape::TouchRange PreparedShape::touches_of(std::uint32_t edge) const {
    return std::equal_range(m_touches.begin(), m_touches.end(), Touch{edge, 0},
                            [](const Touch& l, const Touch& r) { return l.edge < r.edge; });
}

std::int32_t PreparedShape::touch_on(std::uint32_t edge, const Coord& point) const {
    if (m_touches.empty()) return -1;
    const auto range = touches_of(edge);
    for (auto it = range.first; it != range.second; ++it)
        if (m_points[it->vertex] == point) return static_cast<std::int32_t>(it->vertex);
    return -1;
}

int PreparedShape::locate(const Coord& p) const {
    if (m_rings.empty() || p.x < m_box.minx || p.x > m_box.maxx || p.y < m_box.miny || p.y > m_box.maxy) return -1;
    bool inside = false;
    bool on_boundary = false;
    auto test = [&](std::uint32_t e) {
        const Coord u = start(e), v = end(e);
        if ((u.y > p.y) != (v.y > p.y)) {
            // The edge crosses the horizontal line through p; count it when
            // the crossing lies to the right of p (half-open rule at vertices).
            const int side = orientation(u, v, p);
            if (side == 0) on_boundary = true;
            else if ((v.y > u.y) ? side > 0 : side < 0) inside = !inside;
        } else if (u.y == p.y && v.y == p.y) {
            if (std::min(u.x, v.x) <= p.x && p.x <= std::max(u.x, v.x)) on_boundary = true;
        } else if (p == u || p == v) {
            on_boundary = true;
        }
    };
    if (m_strip_first.empty()) {
        for_each_edge(test);
    } else {
        const std::size_t strips = m_strip_first.size() - 1;
        const double k = std::floor((p.y - m_strip_y0) / m_strip_height);
        const auto strip = static_cast<std::size_t>(std::clamp(k, 0.0, static_cast<double>(strips - 1)));
        for (std::uint32_t i = m_strip_first[strip]; i < m_strip_first[strip + 1]; ++i) test(m_strip_edges[i]);
    }
    if (on_boundary) return 0;
    return inside ? 1 : -1;
}

int PreparedShape::wedge_side(std::uint32_t vertex, const Coord& toward) const {
    const RingSpan& ring = m_rings[ring_of(vertex)];
    if (vertex == ring.end()) vertex = ring.first;  // the closing copy of the first vertex
    const Coord at = m_points[vertex];
    auto neighbours = [&](std::uint32_t k, Coord& previous, Coord& next) {
        const RingSpan& of = m_rings[ring_of(k)];
        previous = m_points[k == of.first ? of.end() - 1 : k - 1];
        next = m_points[k + 1];
    };

    // Every occurrence of the point among the vertices (rings may touch there).
    std::uint32_t single[1] = {vertex};
    const std::uint32_t* first = single;
    const std::uint32_t* last = single + 1;
    if (!m_vertex_order.empty()) {
        const auto range = std::equal_range(m_vertex_order.begin(), m_vertex_order.end(), vertex,
                                            [&](std::uint32_t l, std::uint32_t r) {
                                                const Coord& cl = m_points[l];
                                                const Coord& cr = m_points[r];
                                                return cl.x < cr.x || (cl.x == cr.x && cl.y < cr.y);
                                            });
        first = &*range.first;
        last = first + (range.second - range.first);
    }
    // Edges of other rings passing through the point (a part's corner on
    // another part's side, a hole's corner on its shell's side).
    auto through = std::make_pair(m_touches_by_point.end(), m_touches_by_point.end());
    if (!m_touches_by_point.empty())
        through = std::equal_range(m_touches_by_point.begin(), m_touches_by_point.end(), Touch{0, vertex},
                                   [&](const Touch& l, const Touch& r) {
                                       const Coord& cl = m_points[l.vertex];
                                       const Coord& cr = m_points[r.vertex];
                                       return cl.x < cr.x || (cl.x == cr.x && cl.y < cr.y);
                                   });

    if (last - first == 1 && through.first == through.second) {
        Coord previous, next;
        neighbours(*first, previous, next);
        const int left_of_in = orientation(previous, at, toward);
        const int left_of_out = orientation(at, next, toward);
        if (left_of_in == 0 || left_of_out == 0) return 0;
        // Interiors lie left of edges: a left turn makes a convex corner (inside
        // means left of both), a right turn a reflex one (left of either).
        const bool convex = orientation(previous, at, next) > 0;
        const bool inside = convex ? (left_of_in > 0 && left_of_out > 0) : (left_of_in > 0 || left_of_out > 0);
        return inside ? 1 : -1;
    }

    // Several rings meet here. Turning clockwise from the ray towards
    // `toward`, the first edge met bounds the sector the ray lies in: the
    // interior lies counter-clockwise of an edge leaving the point, and
    // clockwise of one arriving, so a leaving edge means inside.
    struct Ray {
        Coord end;
        bool leaving;
    };
    // Clockwise order from the ray: right half-plane first, then straight
    // behind, then the left half-plane; within one, by orientation.
    auto half = [&](const Coord& end) {
        const int side = orientation(at, toward, end);
        if (side < 0) return 0;
        if (side > 0) return 2;
        // Collinear: ahead (along the ray) or behind.
        const bool ahead = (end.x - at.x) * (toward.x - at.x) + (end.y - at.y) * (toward.y - at.y) > 0;
        return ahead ? -1 : 1;
    };
    bool found = false;
    Ray best{};
    int best_half = 0;
    auto consider = [&](const Ray& ray) {
        const int h = half(ray.end);
        if (h < 0) return false;  // the ray runs along an edge
        if (!found || h < best_half || (h == best_half && h != 1 && orientation(at, best.end, ray.end) > 0)) {
            found = true;
            best = ray;
            best_half = h;
        }
        return true;
    };
    for (const std::uint32_t* k = first; k != last; ++k) {
        Coord previous, next;
        neighbours(*k, previous, next);
        if (!consider(Ray{next, true}) || !consider(Ray{previous, false})) return 0;
    }
    // An edge through the point is a leaving ray to its end and an arriving one from its start.
    for (auto it = through.first; it != through.second; ++it)
        if (!consider(Ray{end(it->edge), true}) || !consider(Ray{start(it->edge), false})) return 0;
    return best.leaving ? 1 : -1;
}

int PreparedShape::edge_side(std::uint32_t edge, const Coord& toward) const {
    return orientation(start(edge), end(edge), toward);
}

void AreaKernel::collect_candidates(const PreparedShape& shape, const Box& box, std::vector<std::uint32_t>& out) {
    for (const PreparedShape::RingSpan& ring : shape.m_rings) {
        if (!ring.box.intersects(box)) continue;
        if (ring.chunks == 0) {
            for (std::uint32_t e = ring.first; e < ring.end(); ++e)
                if (segment_box(shape.start(e), shape.end(e)).intersects(box)) out.push_back(e);
            continue;
        }
        for (std::uint32_t c = ring.first_chunk; c < ring.first_chunk + ring.chunks; ++c) {
            const PreparedShape::Chunk& chunk = shape.m_chunks[c];
            if (!chunk.box.intersects(box)) continue;
            for (std::uint32_t e = chunk.first_edge; e < chunk.first_edge + chunk.count; ++e)
                if (segment_box(shape.start(e), shape.end(e)).intersects(box)) out.push_back(e);
        }
    }
}

void AreaKernel::meet(const PreparedShape& a, std::uint32_t ea, const PreparedShape& b, std::uint32_t eb) {
    const Coord p = a.start(ea), q = a.end(ea);
    const Coord r = b.start(eb), s = b.end(eb);
    const int o1 = orientation(p, q, r), o2 = orientation(p, q, s);
    const int o3 = orientation(r, s, p), o4 = orientation(r, s, q);
    using Side8 = std::int8_t;
    // What of a shape lies at point c of its edge `edge`: a vertex (point
    // index; the edge's end is point edge + 1), another ring's vertex touching
    // the edge there, or the inside of the edge.
    auto feature_at = [](const PreparedShape& shape, const Coord& c, std::uint32_t edge) {
        Feature f;
        if (c == shape.start(edge)) f.vertex = static_cast<std::int32_t>(edge);
        else if (c == shape.end(edge)) f.vertex = static_cast<std::int32_t>(edge + 1);
        else if ((f.vertex = shape.touch_on(edge, c)) < 0) f.edge = static_cast<std::int32_t>(edge);
        return f;
    };
    auto event_a = [&](const Coord& point, double t, int before, int after) {
        m_a.events.push_back({ea, t, local(point), Side8(before), Side8(after), feature_at(b, point, eb)});
    };
    auto event_b = [&](const Coord& point, double t, int before, int after) {
        m_b.events.push_back({eb, t, local(point), Side8(before), Side8(after), feature_at(a, point, ea)});
    };

    if (o1 == 0 && o2 == 0) {
        // Both edges on one line: they are apart, meet end to end, or share a stretch.
        const bool along_x = std::abs(q.x - p.x) >= std::abs(q.y - p.y);
        auto u = [&](const Coord& v) { return along_x ? v.x : v.y; };
        const double lo = std::max(std::min(u(p), u(q)), std::min(u(r), u(s)));
        const double hi = std::min(std::max(u(p), u(q)), std::max(u(r), u(s)));
        if (lo > hi) return;
        auto point_at = [&](double value) {
            for (const Coord* c : {&p, &q, &r, &s})
                if (u(*c) == value) return *c;
            return p;  // unreachable: lo and hi are coordinates of the four ends
        };
        const Coord first = point_at(lo);
        event_a(first, position_on(p, q, first), 0, 0);
        event_b(first, position_on(r, s, first), 0, 0);
        if (lo == hi) return;
        const Coord last = point_at(hi);
        event_a(last, position_on(p, q, last), 0, 0);
        event_b(last, position_on(r, s, last), 0, 0);
        const bool same_direction = (u(q) > u(p)) == (u(s) > u(r));
        const double weight = same_direction ? 0.5 : 0.0;
        const double ta0 = position_on(p, q, first), ta1 = position_on(p, q, last);
        const double tb0 = position_on(r, s, first), tb1 = position_on(r, s, last);
        m_a.overlaps.push_back({ea, std::min(ta0, ta1), std::max(ta0, ta1), weight});
        m_b.overlaps.push_back({eb, std::min(tb0, tb1), std::max(tb0, tb1), weight});
        return;
    }
    if (o1 * o2 < 0 && o3 * o4 < 0) {
        // A crossing at a point where another ring of one shape touches the
        // crossed edge is a touch: that shape's side there comes from every
        // ring through the point, not from the one edge (the point is exact).
        bool a_touch = false, b_touch = false;
        Coord touch;
        b.for_each_touch(eb, [&](std::uint32_t v) {
            if (!b_touch && orientation(p, q, b.m_points[v]) == 0) b_touch = true, touch = b.m_points[v];
        });
        a.for_each_touch(ea, [&](std::uint32_t v) {
            if (!a_touch && orientation(r, s, a.m_points[v]) == 0) a_touch = true, touch = a.m_points[v];
        });
        if (a_touch || b_touch) {
            event_a(touch, position_on(p, q, touch), b_touch ? 0 : o3, b_touch ? 0 : o4);
            event_b(touch, position_on(r, s, touch), a_touch ? 0 : o1, a_touch ? 0 : o2);
            return;
        }
        // Proper crossing: the only place a new (rounded) point is made. The
        // sides before and after it are exact: p and q against b's edge, r
        // and s against a's (interiors lie to the left of normalised edges).
        const double dx = q.x - p.x, dy = q.y - p.y;
        const double ex = s.x - r.x, ey = s.y - r.y;
        const double denominator = dx * ey - dy * ex;
        const double fx = r.x - p.x, fy = r.y - p.y;
        const double ta = std::clamp((fx * ey - fy * ex) / denominator, 0.0, 1.0);
        const double tb = std::clamp((fx * dy - fy * dx) / denominator, 0.0, 1.0);
        // The point is placed from the edge end nearest to it, measured
        // against the other edge's nearest end, and kept in double-double:
        // its error is a rounding of those short distances, not of the
        // grid's coordinates (1e-9 m at 5e6 m) nor of the edges' lengths.
        // A sliver 1e-7 m wide between two near vertices keeps its area.
        const double length_a = std::max(std::abs(dx), std::abs(dy)), length_b = std::max(std::abs(ex), std::abs(ey));
        const bool from_a = std::min(ta, 1 - ta) * length_a <= std::min(tb, 1 - tb) * length_b;
        const Coord near = from_a ? (ta <= 0.5 ? p : q) : (tb <= 0.5 ? r : s);
        const Coord far_end = from_a ? (tb <= 0.5 ? r : s) : (ta <= 0.5 ? p : q);
        const double ux = from_a ? dx : ex, uy = from_a ? dy : ey;  // along the edge placed on
        const double vx = from_a ? ex : dx, vy = from_a ? ey : dy;  // along the other
        const double step = cross(far_end.x - near.x, far_end.y - near.y, vx, vy) / cross(ux, uy, vx, vy);
        const LocalPoint base = local(near);
        const Wide cx = wide_add({base.x, base.xl}, {step * ux, 0.0});
        const Wide cy = wide_add({base.y, base.yl}, {step * uy, 0.0});
        const LocalPoint crossing{cx.hi, cx.lo, cy.hi, cy.lo};
        m_a.events.push_back({ea, ta, crossing, Side8(o3), Side8(o4), Feature{}});
        m_b.events.push_back({eb, tb, crossing, Side8(o1), Side8(o2), Feature{}});
        return;
    }
    // Touches: an end of one edge lies on the other; the features recorded
    // let the walk find the sides there.
    if (o1 == 0 && within_box(p, q, r)) {
        event_a(r, position_on(p, q, r), 0, 0);
        event_b(r, 0.0, 0, 0);
    }
    if (o2 == 0 && within_box(p, q, s)) {
        event_a(s, position_on(p, q, s), 0, 0);
        event_b(s, 1.0, 0, 0);
    }
    if (o3 == 0 && within_box(r, s, p)) {
        event_a(p, 0.0, 0, 0);
        event_b(p, position_on(r, s, p), 0, 0);
    }
    if (o4 == 0 && within_box(r, s, q)) {
        event_a(q, 1.0, 0, 0);
        event_b(q, position_on(r, s, q), 0, 0);
    }
}

void AreaKernel::find_events(const PreparedShape& a, const PreparedShape& b) {
    auto fill = [](const PreparedShape& shape, const std::vector<std::uint32_t>& edges, std::vector<SweepEdge>& out) {
        out.clear();
        out.reserve(edges.size());
        for (std::uint32_t e : edges) {
            const Box box = segment_box(shape.start(e), shape.end(e));
            out.push_back({box.minx, box.maxx, box.miny, box.maxy, e});
        }
        std::sort(out.begin(), out.end(), [](const SweepEdge& l, const SweepEdge& r) {
            return l.minx < r.minx || (l.minx == r.minx && l.edge < r.edge);
        });
    };
    fill(a, m_a.candidates, m_sweep_a);
    fill(b, m_b.candidates, m_sweep_b);
    // Sort-and-sweep on x between the two edge sets: each pair whose x ranges
    // overlap is met exactly once, from whichever edge starts first.
    std::size_t i = 0, j = 0;
    const std::size_t na = m_sweep_a.size(), nb = m_sweep_b.size();
    while (i < na && j < nb) {
        if (m_sweep_a[i].minx <= m_sweep_b[j].minx) {
            const SweepEdge& ea = m_sweep_a[i++];
            for (std::size_t k = j; k < nb && m_sweep_b[k].minx <= ea.maxx; ++k) {
                const SweepEdge& eb = m_sweep_b[k];
                if (eb.miny <= ea.maxy && ea.miny <= eb.maxy) meet(a, ea.edge, b, eb.edge);
            }
        } else {
            const SweepEdge& eb = m_sweep_b[j++];
            for (std::size_t k = i; k < na && m_sweep_a[k].minx <= eb.maxx; ++k) {
                const SweepEdge& ea = m_sweep_a[k];
                if (ea.miny <= eb.maxy && eb.miny <= ea.maxy) meet(a, ea.edge, b, eb.edge);
            }
        }
    }
}

AreaKernel::Walked AreaKernel::walk(const PreparedShape& shape, Side& side, const PreparedShape& other) {
    Walked walked;
    // Edges away from the common box lie outside the other shape.
    walked.outside = side.candidates.size() < shape.m_points.size() - shape.m_rings.size();
    if (side.candidates.empty()) return walked;
    std::sort(side.events.begin(), side.events.end(),
              [](const Event& l, const Event& r) { return l.edge < r.edge || (l.edge == r.edge && l.t < r.t); });
    std::sort(side.overlaps.begin(), side.overlaps.end(),
              [](const Overlap& l, const Overlap& r) { return l.edge < r.edge || (l.edge == r.edge && l.t0 < r.t0); });

    WideSum& twice = walked.twice;
    bool outside_known = false;  // the current run began where the boundary left other's box
    std::int8_t run_side = 0;    // the current run's side, once known
    Feature run_start;           // what of `other` lies where the run began
    std::uint32_t last_edge = 0; // edge of the run's last piece
    m_run.clear();

    // The side of `other` that a piece leaving (or reaching) an event point
    // lies on, from what of `other` is there; `toward` is an exact vertex on
    // the piece's line, on the piece's side of the point.
    auto side_at = [&](const Feature& feature, const Coord& toward) -> std::int8_t {
        if (feature.vertex >= 0) return static_cast<std::int8_t>(other.wedge_side(static_cast<std::uint32_t>(feature.vertex), toward));
        if (feature.edge >= 0) return static_cast<std::int8_t>(other.edge_side(static_cast<std::uint32_t>(feature.edge), toward));
        return 0;
    };

    // Closes the current run at event stop `end` (or at no event).
    auto finish_run = [&](const Stop* end) {
        if (!m_run.empty() && outside_known) walked.outside = true;
        if (!m_run.empty() && !outside_known) {
            int where = run_side;
            if (where == 0 && end) where = end->before != 0 ? end->before : side_at(end->feature, shape.start(last_edge));
            if (where == 0) {
                // Locate an input vertex inside the run: exact, and never on
                // the other boundary (it would be an event). A run of one
                // piece between two vertex touches has none: its midpoint.
                const Coord probe = m_run.size() > 1
                                        ? shape.end(m_run.front().edge)
                                        : Coord{m_origin.x + (m_run.front().from.x + m_run.front().to.x) / 2,
                                                m_origin.y + (m_run.front().from.y + m_run.front().to.y) / 2};
                where = other.locate(probe);
            }
            (where > 0 ? walked.inside : where < 0 ? walked.outside : walked.uncertain) = true;
            if (where >= 0) {
                WideSum sum;
                for (const Piece& piece : m_run) {
                    const Wide term = twice_integral(piece.from, piece.to);
                    sum.add(term.hi, term.lo);
                }
                twice.add(sum, where > 0 ? 1.0 : 0.5);  // on the boundary only through rounding: split the difference
            }
        }
        m_run.clear();
        outside_known = false;
        run_side = 0;
        run_start = Feature{};
    };
    // Starts a run at event stop `stop`.
    auto begin_run = [&](const Stop& stop) {
        run_side = stop.after;
        run_start = stop.feature;
    };
    // Adds a piece of edge `e` to the current run.
    auto extend_run = [&](std::uint32_t e, const LocalPoint& from, const LocalPoint& to) {
        if (m_run.empty() && run_side == 0 && !outside_known) run_side = side_at(run_start, shape.end(e));
        m_run.push_back({from, to, e});
        last_edge = e;
    };

    auto events_of = [&](std::uint32_t edge) {
        return std::equal_range(side.events.begin(), side.events.end(), Event{edge, 0, {}, 0, 0, {}},
                                [](const Event& l, const Event& r) { return l.edge < r.edge; });
    };
    auto overlap_weight = [&](std::uint32_t edge, double t, double& weight) {
        for (auto it = std::lower_bound(side.overlaps.begin(), side.overlaps.end(), Overlap{edge, 0, 0, 0},
                                        [](const Overlap& l, const Overlap& r) { return l.edge < r.edge; });
             it != side.overlaps.end() && it->edge == edge; ++it)
            if (it->t0 <= t && t <= it->t1) {
                weight = it->weight;
                return true;
            }
        return false;
    };

    // Walks edge `e` from position `from_t` to `to_t`, cutting at events.
    std::vector<Stop>& stops = m_stops;
    auto walk_edge = [&](std::uint32_t e, double from_t, const LocalPoint& from_point, double to_t,
                         const LocalPoint& to_point) {
        stops.clear();
        stops.push_back({from_t, from_point, false, 0, 0, Feature{}});
        const auto [first, last] = events_of(e);
        for (auto it = first; it != last; ++it) {
            if (it->t < from_t || it->t > to_t) continue;
            if (it->t != stops.back().t) stops.push_back({it->t, it->point, true, 0, 0, Feature{}});
            Stop& stop = stops.back();
            stop.is_event = true;
            // Several events at one point (a vertex met by two edges): any
            // that knows a side tells it; exact ones never disagree.
            if (it->before != 0) stop.before = it->before;
            if (it->after != 0) stop.after = it->after;
            if (it->feature.vertex >= 0) stop.feature = it->feature;  // a vertex tells both ways
            else if (stop.feature.vertex < 0 && it->feature.edge >= 0) stop.feature = it->feature;
        }
        if (stops.back().t == to_t) {
            stops.back().point = to_point;
        } else {
            stops.push_back({to_t, to_point, false, 0, 0, Feature{}});
        }
        for (std::size_t i = 0; i + 1 < stops.size(); ++i) {
            if (stops[i].is_event) {
                finish_run(&stops[i]);
                begin_run(stops[i]);
            }
            double weight = 0;
            if (overlap_weight(e, (stops[i].t + stops[i + 1].t) / 2, weight)) {
                const Wide term = twice_integral(stops[i].point, stops[i + 1].point);
                twice.add(term.hi * weight, term.lo * weight);
                (weight > 0 ? walked.same_shared : walked.opposite_shared) = true;
                m_run.clear();
                run_side = 0;
                run_start = Feature{};
                continue;
            }
            extend_run(e, stops[i].point, stops[i + 1].point);
        }
        if (stops.back().is_event) {
            finish_run(&stops.back());
            begin_run(stops.back());
        }
    };

    const std::vector<std::uint32_t>& candidates = side.candidates;
    std::size_t begin = 0;
    while (begin < candidates.size()) {
        // The candidates of one ring are contiguous (edge ids are ring-major).
        const PreparedShape::RingSpan& ring = shape.m_rings[shape.ring_of(candidates[begin])];
        const std::uint32_t ring_end = ring.end();
        std::size_t end = begin;
        while (end < candidates.size() && candidates[end] < ring_end) ++end;
        const std::size_t count = end - begin;
        const auto ring_events = std::make_pair(events_of(ring.first).first, events_of(ring_end - 1).second);
        const bool whole_ring = count == ring.edges;

        if (whole_ring && ring_events.first == ring_events.second) {
            // The ring never meets the other boundary: wholly inside or outside.
            const int where = other.locate(shape.m_points[ring.first]);
            (where > 0 ? walked.inside : where < 0 ? walked.outside : walked.uncertain) = true;
            if (where > 0)
                for (std::uint32_t e = ring.first; e < ring_end; ++e) {
                    const Wide term = twice_integral(local(shape.start(e)), local(shape.end(e)));
                    twice.add(term.hi, term.lo);
                }
        } else if (whole_ring) {
            // Start at the ring's first event and go once around back to it.
            const Event start = *ring_events.first;
            outside_known = false;
            m_run.clear();
            for (std::uint32_t step = 0; step <= ring.edges; ++step) {
                const std::uint32_t e = ring.first + (start.edge - ring.first + step) % ring.edges;
                const bool first = step == 0, last = step == ring.edges;
                const double from_t = first ? start.t : 0.0;
                const double to_t = last ? start.t : 1.0;
                if (last && to_t == 0.0) break;
                walk_edge(e, from_t, first ? start.point : local(shape.start(e)), to_t,
                          last ? start.point : local(shape.end(e)));
            }
            finish_run(nullptr);
        } else {
            // Start just after a gap: edges outside the common box lie outside
            // the other shape, so the run that leaves them is outside until an event.
            auto adjacent = [&](std::size_t k) {  // candidate k follows candidate k-1 around the ring
                const std::uint32_t previous = candidates[begin + (k + count - 1) % count];
                return candidates[begin + k] == (previous + 1 == ring_end ? ring.first : previous + 1);
            };
            std::size_t start = 0;
            while (adjacent(start)) ++start;  // terminates: not every edge is a candidate
            m_run.clear();
            for (std::size_t step = 0; step < count; ++step) {
                const std::size_t k = (start + step) % count;
                if (!adjacent(k)) {
                    m_run.clear();
                    outside_known = true;
                    run_side = 0;
                    run_start = Feature{};
                }
                const std::uint32_t e = candidates[begin + k];
                walk_edge(e, 0.0, local(shape.start(e)), 1.0, local(shape.end(e)));
            }
            if (!m_run.empty()) walked.outside = true;
            m_run.clear();  // it runs into a gap: outside
            outside_known = false;
            run_side = 0;
            run_start = Feature{};
        }
        begin = end;
    }
    return walked;
}

AreaResult AreaKernel::intersection_area(const PreparedShape& a, const PreparedShape& b) {
    AreaResult result;
    if (a.empty() || b.empty() || !a.box().intersects(b.box())) return result;
    const Box common = intersect(a.box(), b.box());
    m_a.clear();
    m_b.clear();
    // Sums and crossing points are taken about a corner of the common box
    // (input coordinates: the differences are exact where they matter).
    m_origin = Coord{common.minx, common.miny};
    collect_candidates(a, common, m_a.candidates);
    collect_candidates(b, common, m_b.candidates);
    find_events(a, b);
    result.boundaries_meet = !m_a.events.empty();
    const Walked on_a = walk(a, m_a, b), on_b = walk(b, m_b, a);
    WideSum twice = on_a.twice;
    twice.add(on_b.twice, 1.0);
    const double area = twice.value() / 2;
    // Exact decisions from the sides of the boundaries (see the header).
    const bool certain = !on_a.uncertain && !on_b.uncertain;
    result.interiors_meet = on_a.inside || on_b.inside || on_a.same_shared || (!certain && area > 0);
    result.a_within_b = certain && !on_a.outside && !on_a.opposite_shared && !on_b.inside;
    result.b_within_a = certain && !on_b.outside && !on_b.opposite_shared && !on_a.inside;
    if (result.a_within_b) result.area = a.area();
    else if (result.b_within_a) result.area = b.area();
    else if (result.interiors_meet)
        result.area = std::max(std::min({area, a.area(), b.area()}), std::numeric_limits<double>::min());
    return result;
}

}  // namespace placedef::detail
