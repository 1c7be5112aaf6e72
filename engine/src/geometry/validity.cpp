#include "placedef/geometry.hpp"
#include "placedef/text.hpp"

#include "geometry/detail/geos_context.hpp"
#include "geometry/predicates.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iomanip>
#include <numeric>
#include <sstream>

namespace placedef {
inline namespace geometry {

const char* to_string(ValidityReason reason) {
    switch (reason) {
        case ValidityReason::valid: return "valid";
        case ValidityReason::empty: return "empty geometry";
        case ValidityReason::too_few_points: return "too few points";
        case ValidityReason::non_finite_coordinate: return "non-finite coordinate";
        case ValidityReason::coordinate_out_of_range: return "coordinate out of range (beyond 1e9 m, or nonzero and nearer 0 than 1e-100 m)";
        case ValidityReason::zero_area: return "a shell with no area";
        case ValidityReason::ring_self_intersection: return "ring self-intersection";
        case ValidityReason::self_intersection: return "self-intersection";
        case ValidityReason::hole_outside_shell: return "hole lies outside shell";
        case ValidityReason::nested_holes: return "holes are nested";
        case ValidityReason::disconnected_interior: return "interior is disconnected";
        case ValidityReason::nested_shells: return "nested shells";
        case ValidityReason::duplicate_rings: return "duplicate rings";
        case ValidityReason::ring_not_closed: return "ring is not closed";
        case ValidityReason::other: return "invalid geometry";
    }
    return "invalid geometry";
}

std::string Validity::describe() const {
    std::ostringstream out;
    out << to_string(reason);
    if (has_location) out << " at (" << readable_number(location.x) << ' ' << readable_number(location.y) << ')';
    return out.str();
}

namespace {

bool distinct_points_at_least(const Ring& ring, std::size_t wanted) {
    std::size_t distinct = ring.empty() ? 0 : 1;
    for (std::size_t i = 1; i < ring.size() && distinct < wanted; ++i)
        if (std::none_of(ring.begin(), ring.begin() + static_cast<std::ptrdiff_t>(i),
                         [&](const Coord& c) { return c == ring[i]; }))
            ++distinct;
    return distinct >= wanted;
}

/// True when the open ring (closing vertex implied) touches or crosses itself,
/// or doubles back on an edge. Edges are swept in x order; only edges whose x
/// ranges overlap are compared.
bool ring_is_simple(const Ring& ring) {
    const std::size_t n = ring.size();
    struct Edge { double minx, maxx; std::size_t i; };
    std::vector<Edge> edges(n);
    for (std::size_t i = 0; i < n; ++i) {
        const Coord& a = ring[i];
        const Coord& b = ring[(i + 1) % n];
        edges[i] = {std::min(a.x, b.x), std::max(a.x, b.x), i};
    }
    std::sort(edges.begin(), edges.end(), [](const Edge& l, const Edge& r) { return l.minx < r.minx; });
    for (std::size_t s = 0; s < n; ++s) {
        const std::size_t i = edges[s].i;
        const Coord& a = ring[i];
        const Coord& b = ring[(i + 1) % n];
        for (std::size_t t = s + 1; t < n && edges[t].minx <= edges[s].maxx; ++t) {
            const std::size_t j = edges[t].i;
            const Coord& c = ring[j];
            const Coord& d = ring[(j + 1) % n];
            const bool j_follows = j == (i + 1) % n;
            const bool i_follows = i == (j + 1) % n;
            if (j_follows || i_follows) {
                // Neighbours share a vertex; they are bad only when they run
                // back along each other (a spike).
                const Coord& shared = j_follows ? b : a;
                const Coord& before = j_follows ? a : c;
                const Coord& after = j_follows ? d : b;
                if (detail::orientation(before, shared, after) == 0 &&
                    ((after.x - shared.x) * (before.x - shared.x) + (after.y - shared.y) * (before.y - shared.y)) > 0)
                    return false;
                continue;
            }
            if (detail::segments_intersect(a, b, c, d)) return false;
        }
    }
    return true;
}

ValidityReason reason_from_geos_text(const char* text) {
    struct Entry { const char* prefix; ValidityReason reason; };
    // GEOS's IsValidOp messages (TopologyValidationError).
    static const Entry table[] = {
        {"Ring Self-intersection", ValidityReason::ring_self_intersection},
        {"Self-intersection", ValidityReason::self_intersection},
        {"Hole lies outside shell", ValidityReason::hole_outside_shell},
        {"Holes are nested", ValidityReason::nested_holes},
        {"Interior is disconnected", ValidityReason::disconnected_interior},
        {"Nested shells", ValidityReason::nested_shells},
        {"Duplicate Rings", ValidityReason::duplicate_rings},
        {"Too few distinct points", ValidityReason::too_few_points},
        {"Invalid Coordinate", ValidityReason::non_finite_coordinate},
        {"Ring is not closed", ValidityReason::ring_not_closed},
    };
    for (const Entry& entry : table)
        if (text && std::strncmp(text, entry.prefix, std::strlen(entry.prefix)) == 0) return entry.reason;
    return ValidityReason::other;
}

Validity geos_validity(const MultiPolygon& shape) {
    GEOSContextHandle_t h = detail::geos();
    detail::GeosPtr g = detail::to_geos(shape);
    char* reason = nullptr;
    GEOSGeometry* location = nullptr;
    const char valid = GEOSisValidDetail_r(h, g.get(), 0, &reason, &location);
    Validity result;
    if (valid == 1) return result;
    if (valid == 2) throw topology_error("GEOS validity check failed: " + detail::last_geos_error());
    result.reason = reason_from_geos_text(reason);
    if (location) {
        GEOSGeomGetX_r(h, location, &result.location.x);
        GEOSGeomGetY_r(h, location, &result.location.y);
        result.has_location = true;
        GEOSGeom_destroy_r(h, location);
    }
    GEOSFree_r(h, reason);
    return result;
}


bool usable_coordinates(const Ring& ring) {
    return std::all_of(ring.begin(), ring.end(), [](const Coord& c) {
        return std::isfinite(c.x) && std::isfinite(c.y) && in_coordinate_range(c.x) && in_coordinate_range(c.y);
    });
}

/// Why no polygon can be built on the ring, or "" when one can. Closing and
/// repeated vertices do not count as points.
std::string degenerate_ring_reason(const Ring& ring) {
    if (!usable_coordinates(ring)) return {};
    MultiPolygon tidied{{Polygon{ring, {}}}};
    normalise(tidied);  // no repeated or closing vertex
    const Ring& points = tidied.polygons[0].outer;
    if (!distinct_points_at_least(points, 3)) {
        const std::size_t n = distinct_points_at_least(points, 2) ? 2 : points.size();
        return "only " + std::to_string(n) + " distinct point" + (n == 1 ? "" : "s");
    }
    const Coord& a = points[0];
    const auto b = std::find_if(points.begin(), points.end(), [&](const Coord& c) { return !(c == a); });
    if (std::all_of(points.begin(), points.end(), [&](const Coord& c) { return detail::orientation(a, *b, c) == 0; }))
        return "all its points lie on one line";
    // Not flat, yet its area rounds to 0: a sliver finer than doubles resolve
    // (a bow tie, whose lobes cancel, is not simple and is left to repair).
    if (signed_area(points) == 0.0 && ring_is_simple(points)) return "its area rounds to 0";
    return {};
}

std::string area_text(double value) {
    std::ostringstream out;
    out << std::setprecision(12) << value;
    return out.str();
}

}  // namespace

std::string DroppedRing::fault() const {
    std::string text;
    if (parts > 1) text = "part " + std::to_string(part + 1) + " of " + std::to_string(parts) + ", ";
    text += ring == 0 ? std::string("the shell") : "hole " + std::to_string(ring);
    return text + ": " + why;
}

std::string DroppedRing::describe() const {
    std::string text = fault() + "; dropped";
    if (holes_with_it) text += " with its " + std::to_string(holes_with_it) + " hole(s)";
    return text + ", " + area_text(area) + " m² lost";
}

std::vector<DroppedRing> drop_degenerate_rings(MultiPolygon& shape) {
    std::vector<DroppedRing> dropped;
    const std::size_t parts = shape.polygons.size();
    std::vector<Polygon> kept;
    kept.reserve(parts);
    for (std::size_t p = 0; p < parts; ++p) {
        Polygon& polygon = shape.polygons[p];
        DroppedRing entry;
        entry.part = p;
        entry.parts = parts;
        entry.why = degenerate_ring_reason(polygon.outer);
        if (!entry.why.empty()) {
            // A flat shell encloses nothing, so neither do its holes.
            entry.holes_with_it = polygon.holes.size();
            entry.area = std::max(0.0, area(polygon));
            dropped.push_back(std::move(entry));
            continue;
        }
        std::vector<Ring> holes;
        for (std::size_t h = 0; h < polygon.holes.size(); ++h) {
            entry.ring = h + 1;
            entry.why = degenerate_ring_reason(polygon.holes[h]);
            if (entry.why.empty()) {
                holes.push_back(std::move(polygon.holes[h]));
                continue;
            }
            entry.area = std::abs(signed_area(polygon.holes[h]));
            dropped.push_back(entry);
        }
        polygon.holes = std::move(holes);
        kept.push_back(std::move(polygon));
    }
    shape.polygons = std::move(kept);
    return dropped;
}

Validity check_validity(const MultiPolygon& shape) {
    Validity result;
    if (shape.empty()) {
        result.reason = ValidityReason::empty;
        return result;
    }
    std::size_t rings = 0;
    for (const Polygon& polygon : shape.polygons) {
        const auto check_ring = [&](const Ring& ring) {
            for (const Coord& c : ring) {
                if (!std::isfinite(c.x) || !std::isfinite(c.y)) {
                    result.reason = ValidityReason::non_finite_coordinate;
                    return false;
                }
                if (!in_coordinate_range(c.x) || !in_coordinate_range(c.y)) {
                    result.reason = ValidityReason::coordinate_out_of_range;
                    return false;
                }
            }
            if (!distinct_points_at_least(ring, 3)) {
                result.reason = ValidityReason::too_few_points;
                if (!ring.empty()) {
                    result.location = ring[0];
                    result.has_location = true;
                }
                return false;
            }
            ++rings;
            return true;
        };
        if (!check_ring(polygon.outer)) return result;
        for (const Ring& hole : polygon.holes)
            if (!check_ring(hole)) return result;
    }
    // The common case, one ring: simple and not flat means valid.
    if (rings == 1 && ring_is_simple(shape.polygons[0].outer) && signed_area(shape.polygons[0].outer) != 0.0)
        return result;
    result = geos_validity(shape);
    // GEOS decides with exact predicates, so a sliver whose shoelace products
    // round to the same double is valid to it while its area is 0 (found by fuzzing).
    if (result.ok())
        for (const Polygon& polygon : shape.polygons)
            if (signed_area(polygon.outer) == 0.0) {
                result.reason = ValidityReason::zero_area;
                result.location = polygon.outer[0];
                result.has_location = true;
                break;
            }
    return result;
}

}  // namespace geometry
}  // namespace placedef
