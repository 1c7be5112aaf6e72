// Exact intersection area of two polygonal shapes without building the
// intersection polygon.
//
// By Green's theorem the area of a region is the integral of x dy around its
// boundary, and the boundary of a∩b is made of the parts of a's boundary that
// lie inside b and the parts of b's boundary that lie inside a. So:
//   1. find where the two boundaries meet (crossings, touches, shared
//      stretches), with exact orientation predicates, only among edges that
//      lie in the overlap of the two bounding boxes;
//   2. cut each boundary at those events into runs; a run never meets the
//      other boundary, so it is wholly inside or outside. Where a run starts or
//      ends at a crossing, or at one of its vertices lying inside an edge of
//      the other shape, the orientation of that edge decides, exactly.
//      Otherwise one of the run's own vertices (exact input) is located by a
//      point-in-polygon test. A run that leaves the other shape's bounding box
//      is outside without a test. (A computed point such as a midpoint is
//      never trusted: pieces cut by GEOS have vertices within 1e-11 m of the
//      other layer's edges, closer than doubles resolve.);
//   3. add up x dy over the runs inside, half of each shared stretch whose
//      interiors lie on the same side, none of one whose interiors face away.
// Cost per pair is linear in the edges near the overlap, plus one
// point-in-polygon test (indexed by horizontal strips) per run.
#pragma once

#include "placedef/shapes.hpp"

#include <cstdint>
#include <utility>
#include <vector>

namespace placedef::detail {

/// A shape laid out for repeated area queries: closed rings in one array,
/// edge chunks with boxes (to find the edges near a box quickly) and a strip
/// index for point-in-polygon. Immutable once built; shared between threads.
class PreparedShape {
public:
    PreparedShape() = default;
    explicit PreparedShape(const MultiPolygon& shape);

    const Box& box() const { return m_box; }
    double area() const { return m_area; }
    bool empty() const { return m_rings.empty(); }

    /// +1 inside, -1 outside, 0 on the boundary. Exact.
    int locate(const Coord& point) const;
    /// Whether the ray from this shape's vertex `vertex` (a point index)
    /// towards `toward` starts inside the shape: +1 inside, -1 outside, 0 along
    /// an edge. Exact. Every ring through that point counts (valid polygons'
    /// parts and holes may touch at a vertex).
    int wedge_side(std::uint32_t vertex, const Coord& toward) const;
    /// The same for a point strictly inside edge `edge`: the edge's side.
    int edge_side(std::uint32_t edge, const Coord& toward) const;
    /// A vertex of another ring of this shape lying on `point`, strictly
    /// inside `edge` (rings of a valid shape may touch there), or -1. Where
    /// there is one, the point is described by that vertex, whose wedge
    /// counts every ring through it, never by the edge alone.
    std::int32_t touch_on(std::uint32_t edge, const Coord& point) const;
    /// Calls visit(vertex) for each vertex of another ring lying strictly
    /// inside `edge`.
    template <typename Visit>
    void for_each_touch(std::uint32_t edge, Visit&& visit) const {
        const auto range = touches_of(edge);
        for (auto it = range.first; it != range.second; ++it) visit(it->vertex);
    }

private:
    friend class AreaKernel;
    // An edge is named by the index of its first point in m_points; the
    // closing points are never edge names, so ids have a gap between rings.
    struct RingSpan {
        std::uint32_t first;   ///< first edge (= index of the ring's first vertex)
        std::uint32_t edges;   ///< number of edges; m_points holds edges + 1 points
        std::uint32_t first_chunk;
        std::uint32_t chunks;
        Box box;
        std::uint32_t end() const { return first + edges; }
    };
    struct Chunk {
        std::uint32_t first_edge;
        std::uint32_t count;
        Box box;
    };

    /// A vertex lying strictly inside an edge of another ring (or of its
    /// own ring away from its neighbours): where rings of one shape touch.
    struct Touch {
        std::uint32_t edge;
        std::uint32_t vertex;  ///< point index
    };
    using TouchRange = std::pair<std::vector<Touch>::const_iterator, std::vector<Touch>::const_iterator>;
    TouchRange touches_of(std::uint32_t edge) const;
    void find_touches();

    Coord start(std::uint32_t edge) const { return m_points[edge]; }
    Coord end(std::uint32_t edge) const { return m_points[edge + 1]; }
    /// Index in m_rings of the ring holding `edge`.
    std::uint32_t ring_of(std::uint32_t edge) const;
    template <typename Visit>
    void for_each_edge(Visit&& visit) const {
        for (const RingSpan& ring : m_rings)
            for (std::uint32_t e = ring.first; e < ring.end(); ++e) visit(e);
    }

    std::vector<Coord> m_points;  ///< every ring, closed (first vertex repeated)
    std::vector<RingSpan> m_rings;
    std::vector<Chunk> m_chunks;  ///< only for rings long enough to pay for them
    /// With several rings: every vertex's point index, sorted by coordinates,
    /// to find the rings that meet at a point.
    std::vector<std::uint32_t> m_vertex_order;
    /// Every touch, sorted by edge (for meet) ...
    std::vector<Touch> m_touches;
    /// ... and sorted by the vertex's coordinates (for wedge_side).
    std::vector<Touch> m_touches_by_point;
    Box m_box;
    double m_area = 0;
    // Horizontal strips, for shapes with many edges: edges whose y range
    // meets strip k are m_strip_edges[m_strip_first[k] .. m_strip_first[k+1]).
    double m_strip_y0 = 0;
    double m_strip_height = 1;
    std::vector<std::uint32_t> m_strip_first;
    std::vector<std::uint32_t> m_strip_edges;
};

/// A point in a pair's local coordinates, each coordinate held as an
/// unevaluated sum of two doubles (x + xl): input vertices exactly, crossing
/// points to within a rounding of their distance from the nearest vertex.
struct LocalPoint {
    double x = 0, xl = 0, y = 0, yl = 0;
};

/// A double-double running sum: the boundary integral of a thin sliver is
/// a small difference of large terms.
struct WideSum {
    double hi = 0, lo = 0;
    void add(double value_hi, double value_lo);
    void add(const WideSum& other, double scale) { add(other.hi * scale, other.lo * scale); }  // scale: a power of 2 or 0
    double value() const { return hi + lo; }
};

/// The area of a∩b and what is decided exactly about it. The decisions come
/// from exact orientation tests on the input coordinates; only the area is
/// rounded.
struct AreaResult {
    /// area(a∩b) to double-double accuracy, then rounded; never above
    /// a.area() or b.area(); exactly a.area() when a lies within b (and
    /// b.area() when b lies within a); at least the smallest positive normal
    /// double when the interiors meet, 0 when they do not.
    double area = 0;
    bool boundaries_meet = false;  ///< false: settled by containment alone (fast path)
    bool interiors_meet = false;   ///< the interiors of a and b share some area, however small
    bool a_within_b = false;       ///< a lies within b (a's boundary is in b's closure, b's outside a's interior)
    bool b_within_a = false;
};

/// Per-thread scratch space for pair computations; reuse one per thread.
class AreaKernel {
public:
    AreaResult intersection_area(const PreparedShape& a, const PreparedShape& b);

private:
    /// What of the other shape lies at an event point: one of its vertices
    /// (point index) or the inside of one of its edges; -1 when unknown.
    struct Feature {
        std::int32_t vertex = -1;
        std::int32_t edge = -1;
    };
    struct Event {
        std::uint32_t edge;
        double t;       ///< position along the edge, 0..1, for ordering only
        LocalPoint point;  ///< exact vertex or crossing point
        /// Whether the edge just before / just after the event lies inside the
        /// other shape: +1 inside, -1 outside, 0 not yet known (then the
        /// other shape's vertex or edge at the point tells, see Feature).
        std::int8_t before = 0;
        std::int8_t after = 0;
        Feature feature;
    };
    struct Overlap {
        std::uint32_t edge;
        double t0, t1;
        double weight;  ///< 0.5 same direction, 0 opposite
    };
    struct Side {
        std::vector<std::uint32_t> candidates;  ///< edges meeting the common box, ascending
        std::vector<Event> events;
        std::vector<Overlap> overlaps;
        void clear() { candidates.clear(); events.clear(); overlaps.clear(); }
    };
    struct SweepEdge {
        double minx, maxx, miny, maxy;
        std::uint32_t edge;
    };
    struct Piece {
        LocalPoint from, to;
        std::uint32_t edge;
    };
    struct Stop {
        double t;
        LocalPoint point;
        bool is_event;
        std::int8_t before;  ///< as Event
        std::int8_t after;
        Feature feature;
    };

    static void collect_candidates(const PreparedShape& shape, const Box& box, std::vector<std::uint32_t>& out);
    void find_events(const PreparedShape& a, const PreparedShape& b);
    void meet(const PreparedShape& a, std::uint32_t ea, const PreparedShape& b, std::uint32_t eb);
    /// Twice the integral of x dy (local coordinates) over the parts of
    /// `shape`'s boundary inside `other` (shared stretches weighted), using
    /// `side`'s events.
    struct Walked {
        WideSum twice;
        bool inside = false;           ///< some of the boundary lies inside the other shape
        bool outside = false;          ///< some lies outside it
        bool same_shared = false;      ///< some runs along the other's boundary, interiors on one side
        bool opposite_shared = false;  ///< some runs along it, interiors facing away
        bool uncertain = false;        ///< a side fell to a rounded probe on the other boundary
    };
    Walked walk(const PreparedShape& shape, Side& side, const PreparedShape& other);
    /// A point relative to the pair's origin, exactly. Areas are sums of
    /// products of coordinates; about the origin they keep the digits that
    /// 1e5-1e6 m grid coordinates would lose.
    LocalPoint local(const Coord& c) const;

    Coord m_origin;
    Side m_a, m_b;
    std::vector<SweepEdge> m_sweep_a, m_sweep_b;
    std::vector<Piece> m_run;
    std::vector<Stop> m_stops;
};

}  // namespace placedef::detail
