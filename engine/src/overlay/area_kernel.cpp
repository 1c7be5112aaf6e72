#include "overlay/detail/area_kernel.hpp"

#include "geometry/detail/predicates.hpp"
#include "placedef/geometry.hpp"

#include <algorithm>
#include <cmath>

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

/// Twice the integral of (x - x0) dy along the straight piece from → to.
double twice_integral(const Coord& from, const Coord& to, double x0) {
    return (from.x + to.x - 2.0 * x0) * (to.y - from.y);
}

bool within_box(const Coord& a, const Coord& b, const Coord& c) {
    return std::min(a.x, b.x) <= c.x && c.x <= std::max(a.x, b.x) && std::min(a.y, b.y) <= c.y &&
           c.y <= std::max(a.y, b.y);
}

}  // namespace

PreparedShape::PreparedShape(const MultiPolygon& shape) {
    std::size_t points = 0, rings = 0;
    for (const Polygon& polygon : shape.polygons) {
        points += polygon.outer.size() + 1;
        for (const Ring& hole : polygon.holes) points += hole.size() + 1;
        rings += 1 + polygon.holes.size();
    }
    m_points.reserve(points);
    m_rings.reserve(rings);
    auto add_ring = [&](const Ring& ring) {
        if (ring.size() < 3) return;
        RingSpan span{};
        span.first = static_cast<std::uint32_t>(m_points.size());
        span.edges = static_cast<std::uint32_t>(ring.size());
        for (const Coord& c : ring) {
            m_points.push_back(c);
            span.box.expand(c);
        }
        m_points.push_back(ring.front());
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
        add_ring(polygon.outer);
        for (const Ring& hole : polygon.holes) add_ring(hole);
    }
    m_area = placedef::area(shape);
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
    auto touch = [&](const Coord& point, double ta, double tb) {
        m_a.events.push_back({ea, ta, point});
        m_b.events.push_back({eb, tb, point});
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
        touch(first, position_on(p, q, first), position_on(r, s, first));
        if (lo == hi) return;
        const Coord last = point_at(hi);
        touch(last, position_on(p, q, last), position_on(r, s, last));
        const bool same_direction = (u(q) > u(p)) == (u(s) > u(r));
        const double weight = same_direction ? 0.5 : 0.0;
        const double ta0 = position_on(p, q, first), ta1 = position_on(p, q, last);
        const double tb0 = position_on(r, s, first), tb1 = position_on(r, s, last);
        m_a.overlaps.push_back({ea, std::min(ta0, ta1), std::max(ta0, ta1), weight});
        m_b.overlaps.push_back({eb, std::min(tb0, tb1), std::max(tb0, tb1), weight});
        return;
    }
    if (o1 * o2 < 0 && o3 * o4 < 0) {
        // Proper crossing: the only place a new (rounded) point is made.
        const double dx = q.x - p.x, dy = q.y - p.y;
        const double ex = s.x - r.x, ey = s.y - r.y;
        const double denominator = dx * ey - dy * ex;
        const double fx = r.x - p.x, fy = r.y - p.y;
        const double ta = std::clamp((fx * ey - fy * ex) / denominator, 0.0, 1.0);
        const double tb = std::clamp((fx * dy - fy * dx) / denominator, 0.0, 1.0);
        touch(Coord{p.x + ta * dx, p.y + ta * dy}, ta, tb);
        return;
    }
    // Touches: an end of one edge lies on the other.
    if (o1 == 0 && within_box(p, q, r)) touch(r, position_on(p, q, r), 0.0);
    if (o2 == 0 && within_box(p, q, s)) touch(s, position_on(p, q, s), 1.0);
    if (o3 == 0 && within_box(r, s, p)) touch(p, 0.0, position_on(r, s, p));
    if (o4 == 0 && within_box(r, s, q)) touch(q, 1.0, position_on(r, s, q));
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

double AreaKernel::walk(const PreparedShape& shape, Side& side, const PreparedShape& other, double x0) {
    if (side.candidates.empty()) return 0.0;
    std::sort(side.events.begin(), side.events.end(),
              [](const Event& l, const Event& r) { return l.edge < r.edge || (l.edge == r.edge && l.t < r.t); });
    std::sort(side.overlaps.begin(), side.overlaps.end(),
              [](const Overlap& l, const Overlap& r) { return l.edge < r.edge || (l.edge == r.edge && l.t0 < r.t0); });

    double twice = 0.0;
    bool outside_known = false;  // the current run began where the boundary left other's box
    m_run.clear();

    auto finish_run = [&] {
        if (!m_run.empty() && !outside_known) {
            // The run meets the other boundary nowhere, so any interior point
            // of it classifies all of it; the longest piece's midpoint is the
            // farthest from rounding trouble.
            const Piece* longest = &m_run.front();
            double best = -1.0;
            for (const Piece& piece : m_run) {
                const double length = std::abs(piece.to.x - piece.from.x) + std::abs(piece.to.y - piece.from.y);
                if (length > best) {
                    best = length;
                    longest = &piece;
                }
            }
            const int where = other.locate(Coord{(longest->from.x + longest->to.x) / 2, (longest->from.y + longest->to.y) / 2});
            if (where >= 0) {
                double sum = 0.0;
                for (const Piece& piece : m_run) sum += twice_integral(piece.from, piece.to, x0);
                twice += where > 0 ? sum : sum / 2;  // on the boundary only through rounding: split the difference
            }
        }
        m_run.clear();
        outside_known = false;
    };

    auto events_of = [&](std::uint32_t edge) {
        return std::equal_range(side.events.begin(), side.events.end(), Event{edge, 0, {}},
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
    auto walk_edge = [&](std::uint32_t e, double from_t, const Coord& from_point, double to_t, const Coord& to_point) {
        stops.clear();
        stops.push_back({from_t, from_point, false});
        const auto [first, last] = events_of(e);
        for (auto it = first; it != last; ++it) {
            if (it->t < from_t || it->t > to_t) continue;
            if (it->t == stops.back().t) {
                stops.back().is_event = true;
            } else {
                stops.push_back({it->t, it->point, true});
            }
        }
        if (stops.back().t == to_t) {
            stops.back().point = to_point;
        } else {
            stops.push_back({to_t, to_point, false});
        }
        for (std::size_t i = 0; i + 1 < stops.size(); ++i) {
            if (stops[i].is_event) finish_run();
            double weight = 0;
            if (overlap_weight(e, (stops[i].t + stops[i + 1].t) / 2, weight)) {
                twice += weight * twice_integral(stops[i].point, stops[i + 1].point, x0);
                finish_run();
                continue;
            }
            m_run.push_back({stops[i].point, stops[i + 1].point});
        }
        if (stops.back().is_event) finish_run();
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
            if (other.locate(shape.m_points[ring.first]) > 0)
                for (std::uint32_t e = ring.first; e < ring_end; ++e)
                    twice += twice_integral(shape.start(e), shape.end(e), x0);
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
                walk_edge(e, from_t, first ? start.point : shape.start(e), to_t, last ? start.point : shape.end(e));
            }
            finish_run();
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
                }
                const std::uint32_t e = candidates[begin + k];
                walk_edge(e, 0.0, shape.start(e), 1.0, shape.end(e));
            }
            m_run.clear();  // it runs into a gap: outside
            outside_known = false;
        }
        begin = end;
    }
    return twice;
}

AreaResult AreaKernel::intersection_area(const PreparedShape& a, const PreparedShape& b) {
    AreaResult result;
    if (a.empty() || b.empty() || !a.box().intersects(b.box())) return result;
    const Box common = intersect(a.box(), b.box());
    m_a.clear();
    m_b.clear();
    collect_candidates(a, common, m_a.candidates);
    collect_candidates(b, common, m_b.candidates);
    find_events(a, b);
    result.boundaries_meet = !m_a.events.empty();
    const double x0 = (common.minx + common.maxx) / 2;
    const double twice = walk(a, m_a, b, x0) + walk(b, m_b, a, x0);
    result.area = std::max(0.0, twice / 2);
    return result;
}

}  // namespace placedef::detail
