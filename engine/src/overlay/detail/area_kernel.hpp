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
//      other boundary, so one point-in-polygon test classifies it, and a run
//      that leaves the other shape's bounding box is outside without a test;
//   3. add up x dy over the runs inside, half of each shared stretch whose
//      interiors lie on the same side, none of one whose interiors face away.
// Cost per pair is linear in the edges near the overlap, plus one
// point-in-polygon test (indexed by horizontal strips) per run.
#pragma once

#include "placedef/shapes.hpp"

#include <cstdint>
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
    Box m_box;
    double m_area = 0;
    // Horizontal strips, for shapes with many edges: edges whose y range
    // meets strip k are m_strip_edges[m_strip_first[k] .. m_strip_first[k+1]).
    double m_strip_y0 = 0;
    double m_strip_height = 1;
    std::vector<std::uint32_t> m_strip_first;
    std::vector<std::uint32_t> m_strip_edges;
};

struct AreaResult {
    double area = 0;
    bool boundaries_meet = false;  ///< false: settled by containment alone (fast path)
};

/// Per-thread scratch space for pair computations; reuse one per thread.
class AreaKernel {
public:
    AreaResult intersection_area(const PreparedShape& a, const PreparedShape& b);

private:
    struct Event {
        std::uint32_t edge;
        double t;       ///< position along the edge, 0..1, for ordering only
        Coord point;    ///< exact vertex or rounded crossing point
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
        Coord from, to;
    };
    struct Stop {
        double t;
        Coord point;
        bool is_event;
    };

    static void collect_candidates(const PreparedShape& shape, const Box& box, std::vector<std::uint32_t>& out);
    void find_events(const PreparedShape& a, const PreparedShape& b);
    void meet(const PreparedShape& a, std::uint32_t ea, const PreparedShape& b, std::uint32_t eb);
    /// Twice the integral of (x - x0) dy over the parts of `shape`'s boundary
    /// inside `other` (shared stretches weighted), using `side`'s events.
    double walk(const PreparedShape& shape, Side& side, const PreparedShape& other, double x0);

    Side m_a, m_b;
    std::vector<SweepEdge> m_sweep_a, m_sweep_b;
    std::vector<Piece> m_run;
    std::vector<Stop> m_stops;
};

}  // namespace placedef::detail
