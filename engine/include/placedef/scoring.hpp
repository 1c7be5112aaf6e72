// Co-terminosity: how well layer A aligns with layer B, per unit and for the
// layer, in the words of docs/glossary.md. Scoring reads intersection tables (and
// boundary-alignment figures) only; it makes no geometry calls.
//
// Shares are taken over the part of a unit that the other layer covers, so
// that the edge of a study area, a coast, or a layer that stops at a county
// line does not make a unit look split; that covered share is reported with
// every unit. A unit of which B covers less than `min_share` is `outside` B
// and left out of the layer scores (and counted).
#pragma once

#include "placedef/overlay.hpp"

#include <array>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace placedef {
inline namespace scoring {

enum class Relation {
    coterminous,  ///< a and b are each nested in the other
    nested,       ///< a lies (≥ ε) in one unit of B
    built_from,   ///< units of B nested in a make up ≥ ε of a
    split,        ///< none of the above
    outside,      ///< B covers less than min_share of a
};
constexpr std::size_t relation_count = 5;
const char* to_string(Relation relation);

struct ScoringOptions {
    double tolerance = 0.995;  ///< ε: the share treated as "all"
    double min_share = 0.01;   ///< the share from which a piece counts in fragmentation
    double distance = 20.0;    ///< metres treated as "the same line" (boundary alignment)
};

struct SplitPiece {
    std::string code;
    std::string name;
    double share = 0;      ///< of the unit's covered area
    double pop_share = std::numeric_limits<double>::quiet_NaN();
};

/// One unit of A scored against layer B.
struct UnitRelation {
    std::string code;
    std::string name;            ///< Feature::name ("" when the layer has none)
    Relation relation = Relation::outside;
    std::string best;            ///< the B unit holding the largest share; empty when outside
    std::string best_name;
    double coverage = 0;         ///< that largest share
    double best_share_of_b = 0;  ///< the share of the best B unit that this unit holds
    double iou = 0;              ///< intersection over union with the best B unit
    std::size_t fragmentation = 0;  ///< B units holding at least min_share
    double covered = 0;          ///< share of the unit inside B's coverage (at most 1)
    double built_from = 0;       ///< share made of B units nested in this unit
    double area_m2 = 0;
    double pop = std::numeric_limits<double>::quiet_NaN();
    double pop_covered = std::numeric_limits<double>::quiet_NaN();  ///< of it, inside B's coverage
    double pop_coverage = std::numeric_limits<double>::quiet_NaN();  ///< largest population share in one B unit
    std::string pop_best;  ///< the B unit holding that population share (ties: the first code); empty without people
    std::string pop_best_name;
    double boundary_alignment = std::numeric_limits<double>::quiet_NaN();
    double outer_boundary = std::numeric_limits<double>::quiet_NaN();  ///< share of the boundary on B's outer edge
    std::vector<SplitPiece> pieces;  ///< every B unit it overlaps, largest share first
    /// Other B units that also hold at least `tolerance` of the unit: B's units
    /// overlap here (two LEPs over one district), and the unit is nested in each.
    std::vector<std::string> also_within;
};

/// The unit of B a unit of A mostly lies in, by the measure a reader is
/// shown: people when the unit has any (the unit holding most of them),
/// otherwise area. Empty code when the unit is outside B.
struct MainUnit {
    std::string code;
    std::string name;
    double share = 0;      ///< of the unit's people, or of its area
    bool by_people = false;
};
MainUnit main_unit(const UnitRelation& unit);

/// Layer A scored against layer B.
struct LayerScore {
    std::string layer;
    std::string other;
    std::size_t units = 0;
    std::size_t scored = 0;  ///< units not outside B
    std::array<std::size_t, relation_count> counts{};  ///< by Relation
    /// Area-weighted mean, over scored units, of their coverage: 1 when every
    /// unit of A sits wholly in one unit of B.
    double coterminosity_index = 0;
    double coterminosity_index_pop = std::numeric_limits<double>::quiet_NaN();
    double nesting_rate = 0;      ///< share of scored units nested (co-terminous ones included)
    double coterminous_rate = 0;  ///< share of scored units co-terminous with a unit of B
    double boundary_alignment = std::numeric_limits<double>::quiet_NaN();
    /// Units lying wholly in two or more units of B (which overlap there), and
    /// the first of them by code as "CODE in B1 and B2" ("" when none).
    std::size_t in_overlapping = 0;
    std::string overlapping_example;
    std::size_t count(Relation relation) const { return counts[static_cast<std::size_t>(relation)]; }
};

struct AlignmentReport {
    ScoringOptions options;
    std::vector<UnitRelation> a_units;  ///< sorted by code
    std::vector<UnitRelation> b_units;
    LayerScore a_in_b;
    LayerScore b_in_a;
};

/// Scores both layers of an intersection table against each other. The
/// alignment figures, when given, fill boundary_alignment (A against B, and
/// B against A). Throws invalid_input on options outside (0, 1].
AlignmentReport score(const IntersectionTable& table, const ScoringOptions& options,
                      const BoundaryAlignment* a_against_b = nullptr, const BoundaryAlignment* b_against_a = nullptr);

/// Writes the per-unit report: one row per unit of A, then of B, with the
/// pieces of each unit as "code:share;code:share" largest first.
/// Units and their best matches are given by code and name; `form` sets how
/// shares, areas and people are written (NumberForm).
void write_alignment_csv(const AlignmentReport& report, const std::string& path,
                         NumberForm form = NumberForm::full);
// ---- crosswalk -------------------------------------------------------------------

/// One unit of the other layer that a unit falls in.
struct CrosswalkPart {
    std::string code;
    std::string name;
    double share = 0;       ///< of the unit, by the measure shown (people, else area)
    double area_share = 0;  ///< of the unit's covered area
    double pop_share = std::numeric_limits<double>::quiet_NaN();  ///< of its covered people
    double people = std::numeric_limits<double>::quiet_NaN();
    bool main = false;  ///< the unit's main unit (main_unit): the largest share by the measure shown
};

enum class CrosswalkStatus {
    whole,    ///< one unit of the other layer holds at least `tolerance` of it (by the measure shown)
    split,    ///< no unit of the other layer does
    outside,  ///< the other layer covers less than min_share of it
};
const char* to_string(CrosswalkStatus status);

/// A unit of one layer read against another: the units of the other it
/// falls in, with people and shares. The measure shown is people when the
/// unit has any, else area; whole or split and the main unit follow it.
struct CrosswalkUnit {
    std::string layer, other_layer;
    std::string code, name;
    bool by_people = false;
    CrosswalkStatus status = CrosswalkStatus::outside;
    std::vector<CrosswalkPart> parts;  ///< holding at least min_share (and the main one), largest first
    std::size_t small_parts = 0;       ///< further units holding less than min_share, not listed
    double small_share = 0;            ///< their share together
};

/// Both ways: every unit of A against B, then every unit of B against A, each sorted by code.
std::vector<CrosswalkUnit> crosswalk(const AlignmentReport& report);

/// "Redhill 80.1 %, Reigate 19.9 %": the parts by name (code when unnamed),
/// at most `max_parts` of them, then "and N more".
std::string falls_in_text(const CrosswalkUnit& unit, std::size_t max_parts = 4);

/// One row per unit and part: layer, code, name, status, measure,
/// other_layer, other_code, other_name, main, people, share, share_of_area,
/// share_of_people, parts, small_parts, small_share; a unit outside the
/// other layer has one row with the part columns empty.
void write_crosswalk_csv(const std::vector<CrosswalkUnit>& units, const std::string& path,
                         NumberForm form = NumberForm::full);

/// A few readable lines for a terminal: both layer scores.
std::string describe(const LayerScore& score);

// ---- best-fit lookups ------------------------------------------------------

enum class BestFitMethod { area, centroid, population };
const char* to_string(BestFitMethod method);
/// "area" | "centroid" | "population"; throws invalid_input otherwise.
BestFitMethod best_fit_method_from_string(const std::string& text);

struct BestFitRow {
    std::string child;
    std::string child_name;
    std::string parent;   ///< empty when no parent holds the child
    std::string parent_name;
    BestFitMethod method;  ///< the method used for this row (population falls back to area)
    double share = 0;      ///< the winner's share of the child (area, or population)
    bool ambiguous = false;  ///< the winner holds less than the ambiguity threshold, or ties with another parent
    std::string note;        ///< why a row differs from the method asked for
};

/// Parents whose share of a child is within this (relative) of the winner's
/// tie with it: the parent whose code sorts first wins, the row is ambiguous,
/// and its note names the others ("tie with ...").
constexpr double best_fit_tie = 1e-9;

struct BestFitOptions {
    BestFitMethod method = BestFitMethod::area;
    /// A best fit whose winner holds less than this share is flagged ambiguous.
    double ambiguous_below = 0.9;
};

/// Best-fit lookup of the children (A) in the parents (B) of `table`, one row
/// per child in code order. `population` needs a table made with population;
/// `centroid` needs `containing_parent`: for each child (layer order), the
/// parent holding its point on surface, or -1 (from containing_units()).
std::vector<BestFitRow> best_fit(const IntersectionTable& table, const BestFitOptions& options,
                                 const std::vector<long>& containing_parent = {});
void write_best_fit_csv(const std::vector<BestFitRow>& rows, const std::string& path,
                        NumberForm form = NumberForm::full);

// ---- deprivation by place ----------------------------------------------------

/// Deprivation measures of the units of a layer (the IMD on LSOAs), one value
/// per unit in layer order, NaN where a unit has none; a measure not given is
/// left empty. Ranks order units but do not average; scores do both.
struct DeprivationValues {
    std::vector<double> rank;    ///< national rank, 1 = most deprived
    std::vector<double> score;   ///< higher = more deprived
    std::vector<double> decile;  ///< national decile, 1 = the most deprived tenth
};

/// One of the most deprived units, with the footprint it mainly lies in.
struct DeprivedUnit {
    std::size_t index = 0;  ///< in the units' layer
    std::string code;
    std::string name;
    double rank = std::numeric_limits<double>::quiet_NaN();
    double score = std::numeric_limits<double>::quiet_NaN();
    double decile = std::numeric_limits<double>::quiet_NaN();
    std::string footprint;  ///< holding the largest share of its area (best fit by area); "" when none
    std::string footprint_name;
};

/// A footprint's deprivation: its people in national deciles 1 and 2, the
/// mean score over its people, and the most deprived unit lying mainly in it.
/// People come from the overlay's population; without it, areas stand in
/// for people (shares and means by area, people NaN).
struct FootprintDeprivation {
    std::string code;
    std::string name;
    bool by_people = false;
    double people = std::numeric_limits<double>::quiet_NaN();             ///< in units with a decile
    double people_deciles_1_2 = std::numeric_limits<double>::quiet_NaN();  ///< NaN without population or deciles
    double share_deciles_1_2 = std::numeric_limits<double>::quiet_NaN();   ///< of people (area) with a decile
    double mean_score = std::numeric_limits<double>::quiet_NaN();          ///< NaN without scores
    /// The most deprived unit whose main footprint this is; empty code when none is.
    DeprivedUnit most_deprived;
};

struct DeprivationProfile {
    bool by_people = false;
    std::vector<FootprintDeprivation> footprints;  ///< one per footprint, in layer order
    std::vector<DeprivedUnit> most_deprived;       ///< most deprived first
};

/// The units in deprivation order, most deprived first: by rank (1 first)
/// when ranks are given, else by score (highest first); ties by code. Units
/// without the measure are left out; at most `count` are kept.
/// `codes` and `names` are the units' (names may be empty).
std::vector<DeprivedUnit> most_deprived_units(const std::vector<std::string>& codes,
                                              const std::vector<std::string>& names, const DeprivationValues& values,
                                              std::size_t count);

/// The deprivation profile of a footprint layer, read from the overlay of the
/// deprivation units (A, the layer `values` describe) with the footprints (B),
/// made with population to weigh by people: per footprint its people and
/// share in national deciles 1-2 (with deciles), its population-weighted mean
/// score (with scores; a mean of ranks means nothing), and the most deprived
/// unit lying mainly in it; and the `most_deprived` most deprived units with
/// their footprints. Throws invalid_input when neither ranks nor scores are
/// given or a measure's size differs from the units'.
DeprivationProfile deprivation_profile(const IntersectionTable& units_by_footprints, const DeprivationValues& values,
                                       std::size_t most_deprived = 21);

// ---- the matrix ------------------------------------------------------------

struct MatrixOptions {
    ScoringOptions scoring;
    const PopulationSource* population = nullptr;
    bool alignment = true;  ///< compute boundary alignment too
    unsigned threads = 0;
    ProgressCallback progress;  ///< (pairs done, pairs)
};

struct Matrix {
    std::vector<std::string> layers;
    /// scores[i][j]: layer i scored against layer j (the diagonal included).
    std::vector<std::vector<LayerScore>> scores;
};

// The matrix is computed by the pipeline (coterminosity_matrix in pipeline.hpp).
void write_matrix_csv(const Matrix& matrix, const std::string& path);
/// Aligned text tables of the co-terminosity index, nesting rate and
/// boundary alignment, rows scored against columns.
std::string describe(const Matrix& matrix);

}  // namespace scoring
}  // namespace placedef
