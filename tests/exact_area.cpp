#include "exact_area.hpp"

#include <algorithm>

namespace placedef::test {

namespace {

struct Edge {
    double x1, y1, x2, y2;  ///< x1 < x2
    int weight;
};

Rational twice_signed_area(const Ring& ring) {
    Rational twice = 0;
    for (std::size_t i = 0; i < ring.size(); ++i) {
        const Coord& p = ring[i];
        const Coord& q = ring[(i + 1) % ring.size()];
        twice += Rational(p.x) * Rational(q.y) - Rational(q.x) * Rational(p.y);
    }
    return twice;
}

/// The edges of a shape with their weights; vertical edges bound no area.
std::vector<Edge> edges_of(const MultiPolygon& shape) {
    std::vector<Edge> edges;
    auto add = [&](const Ring& ring, bool outer) {
        const Rational twice = twice_signed_area(ring);
        if (twice == 0) return;
        // Interior to the left: outer rings counter-clockwise, holes clockwise.
        const int ring_weight = ((twice > 0) == outer) ? 1 : -1;
        for (std::size_t i = 0; i < ring.size(); ++i) {
            const Coord& p = ring[i];
            const Coord& q = ring[(i + 1) % ring.size()];
            if (p.x == q.x) continue;
            if (p.x > q.x) edges.push_back({q.x, q.y, p.x, p.y, ring_weight});
            else edges.push_back({p.x, p.y, q.x, q.y, -ring_weight});
        }
    };
    for (const Polygon& polygon : shape.polygons) {
        add(polygon.outer, true);
        for (const Ring& hole : polygon.holes) add(hole, false);
    }
    std::sort(edges.begin(), edges.end(), [](const Edge& l, const Edge& r) { return l.x1 < r.x1; });
    return edges;
}

/// Height of edge e above y0 at x.
Rational height(const Edge& e, const Rational& x, const Rational& y0) {
    return Rational(e.y1) + (Rational(e.y2) - Rational(e.y1)) * (x - Rational(e.x1)) / (Rational(e.x2) - Rational(e.x1)) -
           y0;
}

/// Area of T(e) ∩ T(g) over [l, r]: the integral of the lower edge's height.
Rational common_area(const Edge& e, const Edge& g, const Rational& l, const Rational& r, const Rational& y0) {
    const Rational el = height(e, l, y0), er = height(e, r, y0);
    const Rational gl = height(g, l, y0), gr = height(g, r, y0);
    const Rational dl = el - gl, dr = er - gr;
    if ((dl <= 0 && dr <= 0) || (dl >= 0 && dr >= 0)) return (r - l) * (std::min(el, gl) + std::min(er, gr)) / 2;
    // The edges cross inside (l, r): split there.
    const Rational xc = l + (r - l) * dl / (dl - dr);
    const Rational hc = height(e, xc, y0);
    return (xc - l) * (std::min(el, gl) + hc) / 2 + (r - xc) * (hc + std::min(er, gr)) / 2;
}

}  // namespace

Rational exact_area(const MultiPolygon& shape) {
    Rational total = 0;
    for (const Polygon& polygon : shape.polygons) {
        total += abs(twice_signed_area(polygon.outer));
        for (const Ring& hole : polygon.holes) total -= abs(twice_signed_area(hole));
    }
    return total / 2;
}

Rational exact_intersection_area(const MultiPolygon& a, const MultiPolygon& b, std::size_t pair_limit, bool* complete) {
    if (complete) *complete = true;
    const std::vector<Edge> ea = edges_of(a), eb = edges_of(b);
    if (ea.empty() || eb.empty()) return 0;
    double low = ea.front().y1;
    for (const auto* edges : {&ea, &eb})
        for (const Edge& e : *edges) low = std::min({low, e.y1, e.y2});
    const Rational y0(low);

    std::vector<std::pair<const Edge*, const Edge*>> pairs;
    // A plain interval sweep: for each edge of a, the edges of b starting
    // before it ends, and ending after it starts.
    for (const Edge& e : ea)
        for (const Edge& g : eb) {
            if (g.x1 >= e.x2) break;  // eb sorted by x1
            if (g.x2 <= e.x1) continue;
            pairs.emplace_back(&e, &g);
            if (pairs.size() > pair_limit) {
                if (complete) *complete = false;
                return 0;
            }
        }
    Rational total = 0;
    for (const auto& [e, g] : pairs) {
        const Rational l = Rational(std::max(e->x1, g->x1)), r = Rational(std::min(e->x2, g->x2));
        total += (e->weight * g->weight) * common_area(*e, *g, l, r, y0);
    }
    return total;
}

}  // namespace placedef::test
