// One place where every bad feature is reported: counted, named by file,
// layer, feature id and code, and never silently dropped.
#pragma once

#include "placedef/error.hpp"

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace placedef {
inline namespace core {

/// What to do with a feature whose geometry is invalid.
enum class InvalidPolicy {
    repair,  ///< GEOS MakeValid; the feature is kept when a polygon remains
    skip,    ///< the feature is left out of the layer, and reported
    fail,    ///< the read stops with invalid_input
};
const char* to_string(InvalidPolicy policy);
/// "repair" | "skip" | "fail"; throws invalid_input otherwise.
InvalidPolicy invalid_policy_from_string(const std::string& text);

enum class ProblemKind {
    invalid_geometry,
    null_geometry,
    empty_geometry,
    wrong_geometry_type,
    duplicate_code,
    empty_code,
    missing_key,        ///< a unit has no row in a joined table
    non_numeric_value,  ///< a table cell that should be a number is not
    collapsed_geometry, ///< repair left no polygon
    small_share_dropped,///< overlay rows under --min-share that were dropped on request
    practice_not_used,  ///< a GP practice that no PCN footprint could be drawn from
    text_encoding,      ///< text that is not UTF-8, read as Latin-1 (ISO-8859-1)
    degenerate_ring,    ///< a hole or part with no area (flat, or too few points), dropped from its unit
    overlapping_units,  ///< two units of a population layer overlap: their people there are counted twice
    corrupt_geometry,   ///< a geometry GDAL cannot decode (a corrupt GeoPackage blob); the feature is skipped
    curve_linearised,   ///< arcs made of straight segments; the step and the area before and after are said
    outside_crs_area,   ///< coordinates outside the area of use of their CRS or the study CRS, or degrees under a projected CRS
};
const char* to_string(ProblemKind kind);

enum class ProblemAction {
    repaired,  ///< fixed and kept
    skipped,   ///< left out, as the policy says
    merged,    ///< joined with another feature of the same code
    kept,      ///< kept as it is; a warning
    failed,    ///< stopped the run
};
const char* to_string(ProblemAction action);

struct Problem {
    ProblemKind kind;
    ProblemAction action;
    Location where;
    std::string detail;
    std::string describe() const;
};

/// Collects problems. A listener (for example a logger) sees each one as it
/// arrives; the list and counts are kept for the final report.
class ProblemSink {
public:
    using Listener = std::function<void(const Problem&)>;

    void set_listener(Listener listener) { m_listener = std::move(listener); }
    void report(Problem problem);
    const std::vector<Problem>& problems() const { return m_problems; }
    std::size_t count() const { return m_problems.size(); }
    std::size_t count(ProblemKind kind) const;
    /// Counts per (kind, action), for summaries.
    std::map<std::pair<ProblemKind, ProblemAction>, std::size_t> tally() const;
    /// A few lines: "3 invalid_geometry repaired, 1 null_geometry skipped".
    std::string summary() const;

private:
    std::vector<Problem> m_problems;
    Listener m_listener;
};

}  // namespace core
}  // namespace placedef
