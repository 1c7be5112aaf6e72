// Overlay of two polygon layers: the intersection table (docs/methods/overlay.md).
//
// Method. Candidate pairs come from an R-tree of bounding boxes. The area of
// each intersection is computed exactly from the boundaries alone (Green's
// theorem: the area of a∩b is the line integral of x dy over the parts of a's
// boundary inside b plus the parts of b's boundary inside a), so no
// intersection polygon is built. Topology decisions use exact orientation
// predicates; only crossing points are rounded. Where no boundaries meet, one
// point-in-polygon test decides containment (the covered fast path).
//
// Degenerate cases, without any snapping:
//  - boundaries that touch at points or run along each other contribute no
//    area; a corner touch gives no row;
//  - a boundary stretch shared by a and b counts once when both have their
//    interior on the same side (identical units are co-terminous, share 1),
//    and not at all when the interiors are on opposite sides (neighbours);
//  - polygons of one layer may overlap each other (e.g. LEP 2017): each pair
//    is computed on its own, so a unit's shares may sum to more than 1, and to
//    less than 1 where B does not cover it. B is never assumed a partition.
// Tolerance for "the same line" belongs to scoring, not here: the overlay is
// exact, and `snap_tolerance` is refused unless 0 until snapping is designed.
#pragma once

#include "placedef/geometry.hpp"
#include "placedef/io.hpp"
#include "placedef/layer.hpp"
#include "placedef/problems.hpp"

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace placedef {
inline namespace overlays {

/// Population given on the units of a (usually finer) population layer.
/// Population is apportioned to pieces by area (areal weighting): a piece gets
/// each population unit's count times the share of that unit's area it holds.
struct PopulationSource {
    const Layer* layer = nullptr;
    std::vector<double> population;  ///< one per feature of *layer
};

/// The most people one unit, or a whole population layer, may hold: far above
/// any real count, and low enough that no sum of populations can overflow
/// (docs/robustness.md).
constexpr double max_population = 1e15;
/// Why `value` cannot be the population of a unit (negative, not a number,
/// infinite, or above max_population); empty when it can.
std::string population_fault(double value);
/// Throws invalid_input naming the unit of `population` whose value is not a
/// population (population_fault), or the layer when the values total more than
/// max_population. Every reader of populations applies it. `from` names the
/// file the values came from (empty: the units' own file).
void check_population_values(const PopulationSource& population, const std::string& from = {});

/// Called with (done, total) as pairs are processed; from one thread at a time.
using ProgressCallback = std::function<void(std::size_t done, std::size_t total)>;

struct OverlayOptions {
    /// Drop rows whose share_of_a and share_of_b are both below this. 0 keeps
    /// every row with positive area. Dropped rows are counted in the result.
    double min_share = 0.0;
    /// Distance under which boundaries are merged before overlay. Only 0
    /// (exact) is supported; documented so that callers never assume one.
    double snap_tolerance = 0.0;
    /// Build each piece's geometry (GEOS overlay), for GeoPackage output.
    bool with_geometry = false;
    /// Worker threads (0: all cores). Output does not depend on it.
    unsigned threads = 0;
    const PopulationSource* population = nullptr;
    ProgressCallback progress;
};

struct IntersectionRow {
    std::size_t a_index = 0;   ///< feature index in layer A
    std::size_t b_index = 0;
    std::string a_code;
    std::string b_code;
    double area_m2 = 0;
    double share_of_a = 0;     ///< area_m2 / area(a)
    double share_of_b = 0;
    double pop = 0;            ///< with population only
    double pop_share_of_a = 0; ///< pop / pop(a); 0 when a has no population
    double pop_share_of_b = 0;
    MultiPolygon piece;        ///< with_geometry only
};

struct OverlayStats {
    std::size_t candidate_pairs = 0;  ///< bounding boxes intersect
    std::size_t covered_pairs = 0;    ///< settled by the covered/disjoint fast path
    std::size_t rows = 0;
    std::size_t dropped_below_min_share = 0;
    double seconds = 0;          ///< whole overlay
    double prepare_seconds = 0;  ///< layouts and R-tree
    double areas_seconds = 0;    ///< candidate pairs and their areas
    double pieces_seconds = 0;   ///< piece geometry and population
};

struct IntersectionTable {
    std::string a_layer;
    std::string b_layer;
    bool has_population = false;
    std::vector<IntersectionRow> rows;  ///< sorted by (a_code, b_code)
    std::vector<std::string> a_codes;   ///< code of each unit of A, in layer order (units without rows too)
    std::vector<std::string> b_codes;
    std::vector<std::string> a_names;   ///< name of each unit of A (Feature::name; "" when the layer has none)
    std::vector<std::string> b_names;
    std::vector<double> a_area;         ///< area of each unit of A (m²)
    std::vector<double> b_area;
    std::vector<double> a_pop;          ///< population of each unit (with population)
    std::vector<double> b_pop;
    OverlayStats stats;
};

/// The intersection table of A and B. Both layers must be polygon layers in
/// the same CRS (invalid_input otherwise). Deterministic: the same rows in the
/// same order whatever the thread count.
IntersectionTable overlay(const Layer& a, const Layer& b, const OverlayOptions& options = {});

/// Population of each unit of `target`, apportioned from the population
/// source's units by area (areal weighting, as in the overlay).
std::vector<double> apportion_population(const Layer& target, const PopulationSource& population, unsigned threads = 0);

/// Two units of one layer whose insides overlap. The units of a population
/// layer should tile the ground: where two overlap, their people are counted
/// twice.
struct UnitOverlap {
    std::size_t first = 0, second = 0;  ///< feature indices, first < second
    double area_m2 = 0;
    double share = 0;  ///< of the smaller unit's area
};
/// The pairs of units of `layer` that overlap by more than `min_share` of the
/// smaller one's area, ordered by first then second. Layers generalised unit
/// by unit overlap their neighbours by slivers; the share keeps those out.
/// Candidates come from the layer's R-tree, so a layer costs about one pass of
/// its neighbours.
std::vector<UnitOverlap> overlapping_units(const Layer& layer, double min_share = 0.01, unsigned threads = 0);

/// For each point, the index of a unit of `layer` containing it (the first
/// in layer order when units overlap), or -1 when none does. A point on a
/// boundary between units goes to the first of them. Used by centroid best fits.
std::vector<long> containing_units(const std::vector<Coord>& points, const Layer& layer, unsigned threads = 0);

/// The features of `layer` whose point on surface lies in `area` (in its units
/// `codes`, or any unit when empty), in layer order: how a study area picks
/// its blocks (e.g. the LSOAs of a county). Throws invalid_input for a code
/// `area` lacks, or when no feature is selected.
Layer units_within(const Layer& layer, const Layer& area, const std::vector<std::string>& codes = {}, unsigned threads = 0);

/// Boundary alignment of each unit of A with layer B (docs/methods/coterminosity.md): how much of
/// the unit's boundary lies within `distance` of B's boundaries. Boundary that
/// lies on the outer edge of B's coverage (within `distance` of the boundary of
/// the union of B, such as a coast or the study-area edge), or outside B
/// altogether, is not counted against the unit: it is reported as `outer`.
struct BoundaryAlignment {
    double distance = 0;
    std::vector<double> length;   ///< boundary length of each unit of A (m)
    std::vector<double> aligned;  ///< of it, within `distance` of B's inner boundaries
    std::vector<double> outer;    ///< of it, on B's outer edge or outside B
    /// aligned / (length - outer) of one unit; 1 when nothing is left to align.
    double share(std::size_t unit) const;
    /// The same over the whole layer.
    double layer_share() const;
};
BoundaryAlignment boundary_alignment(const Layer& a, const Layer& b, double distance, unsigned threads = 0);

/// Layer B's boundaries prepared for boundary_alignment(): its edges, which of
/// them lie on the outer edge of its coverage (the point just beyond such an
/// edge is in no unit of B), and a point index. Build it once per layer when
/// the layer is aligned with several others (the matrix does).
class BoundaryIndex {
public:
    BoundaryIndex(const Layer& layer, unsigned threads = 0);
    ~BoundaryIndex();
    BoundaryIndex(BoundaryIndex&&) noexcept;
    BoundaryIndex& operator=(BoundaryIndex&&) noexcept;
    const Layer& layer() const;

private:
    friend BoundaryAlignment boundary_alignment(const Layer&, const BoundaryIndex&, double, unsigned);
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};
BoundaryAlignment boundary_alignment(const Layer& a, const BoundaryIndex& b, double distance, unsigned threads = 0);

/// Exact area of the intersection of two normalised, valid shapes, by the
/// boundary method above. Exposed for tests and benchmarks.
double intersection_area(const MultiPolygon& a, const MultiPolygon& b);

/// Writes the table: CSV (header; the columns in docs/cli.md, population columns
/// when present) or, for any other path (.gpkg, PG:...), a layer `pieces`
/// holding the same columns with each piece's geometry (which needs
/// with_geometry), styled by `styles` (GeoPackage only). Throws output_error.
/// Units are given by code and name (`a_code`, `a_name`, ...); `form` sets
/// how shares, areas and people are written (NumberForm).
void write_intersection_table(const IntersectionTable& table, const std::string& path, const std::string& crs,
                              const std::vector<LayerStyle>& styles = {}, NumberForm form = NumberForm::full);

}  // namespace overlays
}  // namespace placedef
