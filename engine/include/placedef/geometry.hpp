// The geometry module: measures, validity with a reason, repair and the few
// GEOS operations the engine needs, plus the load step that applies the
// invalid-geometry policy to a layer read by io.
#pragma once

#include "placedef/io.hpp"
#include "placedef/layer.hpp"
#include "placedef/problems.hpp"
#include "placedef/shapes.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace placedef {
inline namespace geometry {

/// Signed area by the shoelace formula (counter-clockwise positive), computed
/// about the ring's first vertex so that large projected coordinates do not
/// cost precision.
double signed_area(const Ring& ring);
/// Area of the polygon: outer ring minus holes, whatever their orientation.
double area(const Polygon& polygon);
double area(const MultiPolygon& shape);
/// Total boundary length of every ring.
double perimeter(const MultiPolygon& shape);
Box bounds(const Ring& ring);
Box bounds(const MultiPolygon& shape);
std::size_t vertex_count(const MultiPolygon& shape);
std::size_t ring_count(const MultiPolygon& shape);

/// Makes outer rings counter-clockwise and holes clockwise, drops a repeated
/// closing vertex and consecutive duplicate vertices. The overlay kernel
/// relies on this orientation.
void normalise(MultiPolygon& shape);

/// Well-known text, for messages and tests.
std::string to_wkt(const MultiPolygon& shape, int precision = 17);
/// Parses POLYGON / MULTIPOLYGON WKT (GEOS reader); throws invalid_input.
MultiPolygon multipolygon_from_wkt(const std::string& wkt);

/// Why a geometry is not valid (OGC simple-features rules, as GEOS checks them).
enum class ValidityReason {
    valid,
    empty,
    too_few_points,
    non_finite_coordinate,
    coordinate_out_of_range,  ///< |x| or |y| above max_coordinate, or nonzero below min_coordinate
    ring_self_intersection,
    self_intersection,   ///< rings of the geometry cross each other
    hole_outside_shell,
    nested_holes,
    disconnected_interior,
    nested_shells,
    duplicate_rings,
    ring_not_closed,
    zero_area,  ///< a shell that GEOS finds valid whose area rounds to 0 in double arithmetic
    other,
};
const char* to_string(ValidityReason reason);

// max_coordinate, min_coordinate and in_coordinate_range: shapes.hpp.

struct Validity {
    ValidityReason reason = ValidityReason::valid;
    Coord location{};          ///< where GEOS found the fault, when it says
    bool has_location = false;
    bool ok() const { return reason == ValidityReason::valid; }
    std::string describe() const;  ///< "ring self-intersection at (512345.1 171234.9)"
};

/// Full validity check. Simple single-ring polygons are checked by our own
/// sweep (the common case, and much faster); anything else goes to GEOS.
Validity check_validity(const MultiPolygon& shape);

/// A ring taken out of a shape by drop_degenerate_rings.
struct DroppedRing {
    std::size_t part = 0;           ///< 0-based index of its polygon in the shape as given
    std::size_t parts = 0;          ///< polygons in the shape as given
    std::size_t ring = 0;           ///< 0 the shell, k the k-th hole
    std::size_t holes_with_it = 0;  ///< holes that went with a dropped shell
    double area = 0.0;              ///< the area the ring enclosed, with its holes'
    std::string why;                ///< "only 2 distinct points", ...
    std::string fault() const;      ///< "part 2 of 3, hole 1: only 1 distinct point"
    std::string describe() const;   ///< the fault, then "; dropped, 0 m² lost"
};

/// Takes out of `shape` (normalised, or at least tidied) every ring no polygon
/// can be built on: fewer than 3 distinct points, all points on one line, or
/// a simple ring whose area rounds to 0. A shell goes with its holes. Rings
/// with non-finite or out-of-range coordinates are left for check_validity.
/// Returns what was dropped, in shape order.
std::vector<DroppedRing> drop_degenerate_rings(MultiPolygon& shape);

/// Repairs with GEOS MakeValid (structure method) and keeps the polygonal part.
/// The result is normalised and may be empty (a polygon that collapses to a
/// line). Throws topology_error when GEOS fails.
MultiPolygon make_valid(const MultiPolygon& shape);

/// Exact polygon intersection through GEOS overlay (OverlayNG). Used to write
/// piece geometries; areas alone come from the overlay kernel, which is faster.
MultiPolygon intersection(const MultiPolygon& a, const MultiPolygon& b);

/// Union of shapes through GEOS (used to merge duplicate-code features).
MultiPolygon union_all(const std::vector<MultiPolygon>& shapes);

/// Union of shapes that also closes gaps and slivers narrower than `gap`
/// metres between them (independently generalised neighbours): a mitred GEOS
/// buffer out by gap/2 and back in, so straight edges and corners come back
/// where they were. gap 0 is union_all. Throws invalid_input for a negative
/// gap, topology_error when GEOS fails.
MultiPolygon dissolve(const std::vector<MultiPolygon>& shapes, double gap);

/// The units of a polygon layer merged by the value of one of its columns
/// (municipalities into their provinces): one feature per value, coded by
/// it, in order of first appearance, dissolved closing gaps under `gap`
/// metres. Throws invalid_input, naming the layer, when the column is not
/// among its attributes or a unit has no value in it.
Layer dissolve_by(const Layer& layer, const std::string& column, double gap);

/// The shape with vertices removed where the outline moves less than
/// `tolerance` metres (GEOS's topology-preserving Douglas-Peucker): for
/// drawing at a small scale, never for measuring. Throws topology_error when
/// GEOS fails.
MultiPolygon simplified(const MultiPolygon& shape, double tolerance);

/// Shortest distance between two shapes (GEOS); 0 when they intersect or one
/// lies inside the other. Throws invalid_input when either is empty.
double distance(const MultiPolygon& a, const MultiPolygon& b);

/// Convex hull of every vertex of the shape (Andrew's monotone chain),
/// counter-clockwise, stored open; fewer than three points when the vertices
/// are collinear.
Ring convex_hull(const MultiPolygon& shape);

/// Whether the point lies inside the shape or on its boundary (crossing
/// number over every ring; the on-boundary test is exact).
bool covers(const MultiPolygon& shape, const Coord& point);

/// Voronoi (Thiessen) cells of distinct points, clipped to `extent`: cell i
/// holds the part of `extent` nearer to points[i] than to any other point.
/// Throws invalid_input when there are no points or two are equal.
std::vector<MultiPolygon> voronoi_cells(const std::vector<Coord>& points, const Box& extent);

/// A point guaranteed to lie inside the shape (GEOS PointOnSurface).
Coord point_on_surface(const MultiPolygon& shape);

/// Parses well-known binary (either byte order; ISO or extended WKB; Z and M
/// values are dropped) of a POLYGON or MULTIPOLYGON, through GEOS. The result
/// is normalised but not checked (see check_layer). Throws invalid_input on
/// bytes that are not WKB, or WKB of another geometry type.
MultiPolygon multipolygon_from_wkb(const unsigned char* data, std::size_t size);
/// Parses WKB of a POINT; throws invalid_input also for an empty point.
/// Both parsers refuse bytes left after the geometry, giving their offset.
Coord point_from_wkb(const unsigned char* data, std::size_t size);
/// The SRID an extended (EWKB) head names, if any (not checked as WKB).
std::optional<std::uint32_t> wkb_srid(const unsigned char* data, std::size_t size);
/// Little-endian 2D WKB of the shape, always a MULTIPOLYGON (empty when the shape is).
std::vector<unsigned char> to_wkb(const MultiPolygon& shape);
/// Little-endian 2D WKB of a POINT.
std::vector<unsigned char> to_wkb(const Coord& point);

/// Applies the geometry checks to a freshly read polygon layer: normalises
/// rings, checks validity and applies `policy` (repair: GEOS MakeValid, skip,
/// fail: invalid_input naming the feature), and resolves duplicate codes
/// (repair: the features are merged into one unit; skip: the later ones are
/// left out; fail). Every case goes to `problems`. Uses `threads` workers
/// (0: all cores); the result does not depend on the count.
void check_layer(Layer& layer, InvalidPolicy policy, ProblemSink& problems, unsigned threads = 0);

/// read_layer followed, for polygon layers, by check_layer: what the command
/// line calls to load a layer.
Layer load_layer(const LayerAddress& address, const ReadOptions& options, ProblemSink& problems);
/// read_wkb_layer followed by check_layer: a layer given as WKB, checked as
/// a file's is.
Layer load_wkb_layer(const std::string& name, const std::string& crs, const std::vector<WkbFeature>& features,
                     const ReadOptions& options, ProblemSink& problems);

}  // namespace geometry
}  // namespace placedef
