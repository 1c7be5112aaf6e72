// Point lookups and boundary alignment: the geometric relations between two
// layers that are not areas.
#include "placedef/geometry.hpp"
#include "placedef/overlay.hpp"

#include "core/parallel.hpp"
#include "overlay/detail/area_kernel.hpp"
#include "overlay/detail/prepared_layer.hpp"

#include <algorithm>
#include <cmath>

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>

namespace placedef {
inline namespace overlays {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

std::vector<long> containing_units(const std::vector<Coord>& points, const Layer& layer, unsigned threads) {
    const detail::PreparedLayer prepared(layer, threads);
    std::vector<long> found(points.size(), -1);
    detail::parallel_for(points.size(), threads, 256, [&](std::size_t begin, std::size_t end) {
        std::vector<std::uint32_t> hits;
        for (std::size_t i = begin; i < end; ++i) {
            Box box;
            box.expand(points[i]);
            prepared.query(box, hits);
            for (std::uint32_t unit : hits)
                if (prepared.shape(unit).locate(points[i]) >= 0) {
                    found[i] = static_cast<long>(unit);
                    break;
                }
        }
    });
    return found;
}

Layer units_within(const Layer& layer, const Layer& area, const std::vector<std::string>& codes, unsigned threads) {
    std::vector<bool> wanted(area.size(), codes.empty());
    for (const std::string& code : codes) {
        const auto index = area.find(code);
        if (!index) throw invalid_input("has no unit '" + code + "'", Location{area.source, area.name, {}, code, area.code_column});
        wanted[*index] = true;
    }
    std::vector<Coord> points;
    points.reserve(layer.size());
    for (const Feature& feature : layer.features) points.push_back(point_on_surface(feature.shape));
    const std::vector<long> holder = containing_units(points, area, threads);
    Layer chosen;
    chosen.name = layer.name;
    chosen.source = layer.source;
    chosen.code_column = layer.code_column;
    chosen.geometry_column = layer.geometry_column;
    chosen.source_crs = layer.source_crs;
    chosen.crs = layer.crs;
    chosen.kind = layer.kind;
    chosen.attribute_names = layer.attribute_names;
    chosen.features_read = layer.features_read;
    for (std::size_t i = 0; i < layer.size(); ++i)
        if (holder[i] >= 0 && wanted[static_cast<std::size_t>(holder[i])]) chosen.features.push_back(layer.features[i]);
    if (chosen.features.empty()) throw invalid_input("no feature of " + layer.label() + " lies in " + area.label());
    return chosen;
}

double BoundaryAlignment::share(std::size_t unit) const {
    const double judged = length[unit] - outer[unit];
    return judged > 0 ? aligned[unit] / judged : 1.0;
}

double BoundaryAlignment::layer_share() const {
    double judged = 0, total_aligned = 0;
    for (std::size_t i = 0; i < length.size(); ++i) {
        judged += length[i] - outer[i];
        total_aligned += aligned[i];
    }
    return judged > 0 ? total_aligned / judged : 1.0;
}

namespace {

using RPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using RBox = bg::model::box<RPoint>;
using EdgeTree = bgi::rtree<std::pair<RBox, std::uint32_t>, bgi::rstar<16>>;

struct Segment {
    Coord from, to;
};

struct Interval {
    double lo, hi;
};

template <typename Visit>
void for_each_edge(const MultiPolygon& shape, Visit&& visit) {
    auto ring_edges = [&](const Ring& ring) {
        for (std::size_t i = 0, n = ring.size(); i < n; ++i) visit(Segment{ring[i], ring[(i + 1) % n]});
    };
    for (const Polygon& polygon : shape.polygons) {
        ring_edges(polygon.outer);
        for (const Ring& hole : polygon.holes) ring_edges(hole);
    }
}

/// Edges of shapes with an R-tree of their boxes.
class EdgeIndex {
public:
    explicit EdgeIndex(std::vector<Segment> edges) : m_edges(std::move(edges)) {
        std::vector<std::pair<RBox, std::uint32_t>> values;
        values.reserve(m_edges.size());
        for (std::uint32_t i = 0; i < m_edges.size(); ++i) {
            const Segment& s = m_edges[i];
            values.emplace_back(RBox(RPoint(std::min(s.from.x, s.to.x), std::min(s.from.y, s.to.y)),
                                     RPoint(std::max(s.from.x, s.to.x), std::max(s.from.y, s.to.y))),
                                i);
        }
        m_tree = EdgeTree(values.begin(), values.end());
    }
    /// Parameter intervals of `s` within `distance` of the indexed edges, merged.
    void near(const Segment& s, double distance, std::vector<Interval>& out) const;

private:
    std::vector<Segment> m_edges;
    EdgeTree m_tree;
};

/// The part of segment s (parameter 0..1) within `distance` of edge e: the
/// segment cut by the capsule around e, which is convex, so one interval: the
/// hull of its cuts by the band along e and the two end disks.
bool capsule_cut(const Segment& s, const Segment& e, double distance, Interval& cut) {
    const double dx = s.to.x - s.from.x, dy = s.to.y - s.from.y;
    double lo = 1.0, hi = 0.0;
    auto widen = [&](double a, double b) {
        a = std::max(a, 0.0);
        b = std::min(b, 1.0);
        if (a > b) return;
        lo = std::min(lo, a);
        hi = std::max(hi, b);
    };
    auto disk = [&](const Coord& centre) {
        const double fx = s.from.x - centre.x, fy = s.from.y - centre.y;
        const double a = dx * dx + dy * dy, b = 2 * (dx * fx + dy * fy), c = fx * fx + fy * fy - distance * distance;
        if (a == 0) {
            if (c <= 0) widen(0, 1);
            return;
        }
        const double discriminant = b * b - 4 * a * c;
        if (discriminant < 0) return;
        const double root = std::sqrt(discriminant);
        widen((-b - root) / (2 * a), (-b + root) / (2 * a));
    };
    disk(e.from);
    disk(e.to);
    const double ex = e.to.x - e.from.x, ey = e.to.y - e.from.y;
    const double length = std::hypot(ex, ey);
    if (length > 0) {
        // Along e: 0 <= along(t) <= length; across: |across(t)| <= distance.
        const double ux = ex / length, uy = ey / length;
        const double along0 = (s.from.x - e.from.x) * ux + (s.from.y - e.from.y) * uy, along1 = dx * ux + dy * uy;
        const double across0 = (s.from.x - e.from.x) * -uy + (s.from.y - e.from.y) * ux, across1 = dx * -uy + dy * ux;
        double a = 0.0, b = 1.0;
        auto keep = [&](double value0, double slope, double low, double high) {
            // low <= value0 + slope t <= high
            if (slope == 0) {
                if (value0 < low || value0 > high) b = -1;
                return;
            }
            double t_low = (low - value0) / slope, t_high = (high - value0) / slope;
            if (t_low > t_high) std::swap(t_low, t_high);
            a = std::max(a, t_low);
            b = std::min(b, t_high);
        };
        keep(along0, along1, 0.0, length);
        keep(across0, across1, -distance, distance);
        if (a <= b) widen(a, b);
    }
    if (lo > hi) return false;
    cut = {lo, hi};
    return true;
}

void merge(std::vector<Interval>& intervals) {
    std::sort(intervals.begin(), intervals.end(), [](const Interval& l, const Interval& r) { return l.lo < r.lo; });
    std::size_t out = 0;
    for (const Interval& interval : intervals) {
        if (out > 0 && interval.lo <= intervals[out - 1].hi)
            intervals[out - 1].hi = std::max(intervals[out - 1].hi, interval.hi);
        else
            intervals[out++] = interval;
    }
    intervals.resize(out);
}

void EdgeIndex::near(const Segment& s, double distance, std::vector<Interval>& out) const {
    out.clear();
    const RBox query(RPoint(std::min(s.from.x, s.to.x) - distance, std::min(s.from.y, s.to.y) - distance),
                     RPoint(std::max(s.from.x, s.to.x) + distance, std::max(s.from.y, s.to.y) + distance));
    Interval cut{};
    for (auto it = m_tree.qbegin(bgi::intersects(query)); it != m_tree.qend(); ++it)
        if (capsule_cut(s, m_edges[it->second], distance, cut)) out.push_back(cut);
    merge(out);
}

bool covers(const std::vector<Interval>& merged, double t) {
    for (const Interval& interval : merged)
        if (interval.lo <= t && t <= interval.hi) return true;
    return false;
}

/// How far beyond an edge to look for a neighbour of the same layer: enough to
/// step over the rounding gaps between units, far less than a unit's width.
constexpr double beyond_edge = 1.0;

}  // namespace

struct BoundaryIndex::Impl {
    const Layer* layer;
    detail::PreparedLayer units;
    std::unique_ptr<EdgeIndex> all_edges;
    std::unique_ptr<EdgeIndex> outer_edges;

    Impl(const Layer& source, unsigned threads) : layer(&source), units(source, threads) {
        std::vector<Segment> edges;
        for (const Feature& feature : source.features)
            for_each_edge(feature.shape, [&](const Segment& s) { edges.push_back(s); });
        // Rings are normalised (interiors on the left), so the point a step to
        // the right of an edge's middle is outside its own unit; if no unit of
        // the layer holds it, the edge bounds the layer's coverage.
        std::vector<char> outer(edges.size(), 0);
        detail::parallel_for(edges.size(), threads, 1024, [&](std::size_t begin, std::size_t end) {
            std::vector<std::uint32_t> hits;
            for (std::size_t i = begin; i < end; ++i) {
                const Segment& e = edges[i];
                const double dx = e.to.x - e.from.x, dy = e.to.y - e.from.y, length = std::hypot(dx, dy);
                if (length == 0) continue;
                const Coord beyond{(e.from.x + e.to.x) / 2 + dy / length * beyond_edge,
                                   (e.from.y + e.to.y) / 2 - dx / length * beyond_edge};
                outer[i] = !covers_point(beyond, hits);
            }
        });
        std::vector<Segment> outer_only;
        for (std::size_t i = 0; i < edges.size(); ++i)
            if (outer[i]) outer_only.push_back(edges[i]);
        all_edges = std::make_unique<EdgeIndex>(std::move(edges));
        outer_edges = std::make_unique<EdgeIndex>(std::move(outer_only));
    }

    bool covers_point(const Coord& point, std::vector<std::uint32_t>& hits) const {
        Box box;
        box.expand(point);
        units.query(box, hits);
        for (std::uint32_t unit : hits)
            if (units.shape(unit).locate(point) >= 0) return true;
        return false;
    }
};

BoundaryIndex::BoundaryIndex(const Layer& layer, unsigned threads) : m_impl(std::make_unique<Impl>(layer, threads)) {}
BoundaryIndex::~BoundaryIndex() = default;
BoundaryIndex::BoundaryIndex(BoundaryIndex&&) noexcept = default;
BoundaryIndex& BoundaryIndex::operator=(BoundaryIndex&&) noexcept = default;
const Layer& BoundaryIndex::layer() const { return *m_impl->layer; }

BoundaryAlignment boundary_alignment(const Layer& a, const Layer& b, double distance, unsigned threads) {
    return boundary_alignment(a, BoundaryIndex(b, threads), distance, threads);
}

BoundaryAlignment boundary_alignment(const Layer& a, const BoundaryIndex& index, double distance, unsigned threads) {
    const Layer& b = index.layer();
    if (!(distance >= 0)) throw invalid_input("the alignment distance must be zero or more metres");
    if (a.crs != b.crs)
        throw invalid_input("layers " + a.label() + " and " + b.label() + " are in different CRS");
    const BoundaryIndex::Impl& target = *index.m_impl;

    BoundaryAlignment result;
    result.distance = distance;
    result.length.assign(a.size(), 0.0);
    result.aligned.assign(a.size(), 0.0);
    result.outer.assign(a.size(), 0.0);
    detail::parallel_for(a.size(), threads, 16, [&](std::size_t begin, std::size_t end) {
        std::vector<Interval> near_any, near_outer;
        std::vector<double> cuts;
        std::vector<std::uint32_t> hits;
        for (std::size_t unit = begin; unit < end; ++unit) {
            for_each_edge(a.features[unit].shape, [&](const Segment& s) {
                const double length = std::hypot(s.to.x - s.from.x, s.to.y - s.from.y);
                if (length == 0) return;
                result.length[unit] += length;
                target.all_edges->near(s, distance, near_any);
                target.outer_edges->near(s, distance, near_outer);
                // Elementary pieces between every interval end, each judged once.
                cuts.assign({0.0, 1.0});
                for (const auto* list : {&near_any, &near_outer})
                    for (const Interval& interval : *list) cuts.insert(cuts.end(), {interval.lo, interval.hi});
                std::sort(cuts.begin(), cuts.end());
                for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
                    const double piece = (cuts[k + 1] - cuts[k]) * length;
                    if (piece <= 0) continue;
                    const double middle = (cuts[k] + cuts[k + 1]) / 2;
                    if (covers(near_outer, middle)) {
                        result.outer[unit] += piece;
                    } else if (covers(near_any, middle)) {
                        result.aligned[unit] += piece;
                    } else {
                        const Coord at{s.from.x + middle * (s.to.x - s.from.x), s.from.y + middle * (s.to.y - s.from.y)};
                        if (!target.covers_point(at, hits)) result.outer[unit] += piece;  // beyond B's coverage
                    }
                }
            });
        }
    });
    return result;
}

}  // namespace overlays
}  // namespace placedef
