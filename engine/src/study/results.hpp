// What a study run computes, shared by the steps that write it out: the
// tables (CSV and GeoPackage), the maps and the HTML report.
#pragma once

#include "placedef/study.hpp"

#include <cstddef>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace placedef::detail {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

/// A loaded layer and what the report says about it.
struct LayerInfo {
    std::size_t problems = 0;      ///< reported while it was read and checked
    std::size_t before_clip = 0;   ///< units before clipping (0: not clipped)
    double area_km2 = not_a_number;  ///< polygon layers
};

/// One footprint, town or PCN, with what the study measures of it.
struct FootprintRow {
    std::string code;
    std::string name;
    std::size_t members = 0;  ///< blocks (town footprints) or practices (PCN footprints)
    double population = not_a_number;
    double area_km2 = 0;
    std::size_t parts = 0;
    double polsby_popper = not_a_number;
    std::vector<UnitRelation> fits;  ///< one per target of the set, in its order
    FootprintDeprivation deprivation;  ///< with a [deprivation] table
};

/// One of the study area's most deprived units, with the footprint of each
/// run it mainly lies in.
struct DeprivedUnitRow {
    DeprivedUnit unit;
    std::vector<std::string> footprints;  ///< per run, in run order: the footprint's code ("" when in none)
};

/// A table of the report as it is shown: a header and rows of text.
struct ShownTable {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<bool> numeric;  ///< per column: right-aligned numbers
};

/// A comparison of proposals ([[comparisons]]) as the report shows it.
struct ComparisonSection {
    std::string id;
    std::string title;
    std::vector<std::string> summary;  ///< one sentence per proposal, then the changes
    ShownTable scorecard;  ///< proposal x partner
    ShownTable proposals;  ///< balance, deprivation, shape
    ShownTable moves;      ///< blocks that change place, by move
    /// A figure per partner (its config id, and a panel per proposal), drawn with the study's maps.
    std::vector<std::pair<std::string, std::vector<MapPanel>>> figures;
};

/// Functional areas from commuting flows ([[flows]]) as the report shows them.
struct FlowsSection {
    std::string id;
    std::string title;
    std::vector<std::string> summary;  ///< sentences: how many areas, how valid, the reserve, islands
    ShownTable areas;    ///< one row per area
    ShownTable reserve;  ///< the units placed from the reserve and where they went
    ShownTable scores;   ///< the areas against each `against` layer, both ways
    std::shared_ptr<const Layer> area_layer;  ///< for the map: one feature per area
    std::vector<std::vector<std::string>> popups;  ///< per feature of area_layer: what a click on the web map shows
    std::size_t units = 0;  ///< the configured layer of the units the flows run between
};

/// A block's place in a town footprint.
struct Membership {
    std::string block;
    std::string footprint;
    std::string name;
    std::string parent;  ///< with nesting: the block's unit of the nest layer
    double stability = not_a_number;  ///< ensemble runs: the share of runs with its footprint's core
    bool unstable = false;            ///< stability below unstable_stability
};

/// An edge of an ensemble run's contiguity graph: how often it was a boundary.
struct BoundaryRow {
    std::string block_a, block_b, footprint_a, footprint_b;
    double frequency = 0;
    double shared_m = 0;
    std::vector<std::vector<Coord>> lines;  ///< the shared boundary (none for a corner contact)
};

/// A set of footprints (one town-footprint run, or the PCN footprints) scored
/// against the study's targets.
struct FootprintSet {
    std::string id;     ///< "pcn" or the run's id
    std::string title;
    std::string members_word;  ///< "blocks" or "practices"
    bool printed = true;       ///< false: its report section is on screen only
    std::vector<std::string> summary;  ///< a few sentences for the report and the terminal
    Layer polygons;     ///< named `id`; one attribute, the footprint's name
    std::vector<FootprintRow> rows;     ///< by code
    std::vector<std::string> targets;   ///< layer names scored against
    std::vector<AlignmentReport> reports;  ///< per target: the footprints (A) against it (B)
    /// Both ways against every target and every district, division and ward
    /// layer: the footprints in each of their units, and each unit in the footprints.
    std::vector<CrosswalkUnit> crosswalk;
    std::vector<Membership> membership;    ///< town runs: one per block, in block order
    DeprivationProfile deprivation;        ///< with a [deprivation] table
    std::size_t ensemble_runs = 0;         ///< town runs with an ensemble: its run count
    Layer unstable;                        ///< ensemble runs: the unstable blocks, outlined on the footprints map
    std::vector<BoundaryRow> boundaries;   ///< ensemble runs: one per edge of the blocks' graph
};

/// A map: inline SVG for the report, and the PNG and PDF files written beside it.
struct MapFigure {
    std::string id;
    std::string title;
    std::string caption;
    std::string svg;
    std::string png;  ///< file name in the output folder
    std::string pdf;  ///< file name in the output folder
};

struct StudyResults {
    const StudyConfig* config = nullptr;
    std::vector<Layer> layers;     ///< parallel to config->layers
    std::vector<LayerInfo> info;   ///< parallel to config->layers
    std::optional<PopulationSource> population;  ///< on the [population] layer
    std::vector<double> deprivation;  ///< on the [deprivation] layer's units (NaN: missing)
    /// The national deciles of the deprivation measure, when its column is a
    /// rank ("IMD_rank") and the table also holds the deciles ("IMD_decile"):
    /// the deprivation map shows these, in ten fixed classes. Empty otherwise.
    std::vector<double> deprivation_deciles;
    std::string deprivation_decile_column;
    /// The measures deprivation_profile reads: the column as a rank or a
    /// score (by its name), the score column beside a rank, the deciles.
    DeprivationValues deprivation_values;
    std::string deprivation_rank_column, deprivation_score_column;  ///< "" when not given
    /// The most deprived units of the [deprivation] layer (the config's
    /// most_deprived, default 21), most deprived first.
    std::vector<DeprivedUnitRow> most_deprived;
    std::optional<PcnResult> pcn;
    std::optional<FootprintSet> pcn_set;
    std::vector<FootprintSet> runs;
    std::vector<ComparisonSection> comparisons;  ///< one per [[comparisons]] table
    std::vector<FlowsSection> flows;             ///< one per [[flows]] table
    Matrix matrix;
    std::vector<MapFigure> maps;
    std::vector<std::string> notes;   ///< things the reader should know (towns left out, ...)
    const ProblemSink* problems = nullptr;

    const Layer& layer(const std::string& name) const;
    /// A layer's title as configured ("County electoral divisions 2025"); the
    /// PCN footprints' title for "pcn".
    std::string title_of(const std::string& layer_name) const;
    /// The name of unit `code` of a layer, from its label column ("" when none).
    std::string unit_name(const std::string& layer_name, const std::string& code) const;
    /// Every footprint set: the town runs in config order, then the PCN footprints.
    std::vector<const FootprintSet*> footprint_sets() const;

    /// The study area: the units of the layer the study clips to (a layer's
    /// `clip`, or the [pcn] clip) that its `clip_codes` name. `clip` is empty
    /// when no clip codes bound the study (then everything lies in it).
    struct Area {
        std::string clip;
        std::vector<std::string> codes;
        bool holds(const Feature& unit) const;  ///< a unit of the clip layer
    };
    Area area() const;

    /// What maps of deprivation show: the national deciles when the table has
    /// them (ten fixed classes), else the measure itself.
    struct DeprivationShown {
        const std::vector<double>* values = nullptr;
        std::string column;
        bool deciles = false;
    };
    DeprivationShown deprivation_shown() const;
};

/// The overlay population, when the study has one.
inline const PopulationSource* population_of(const StudyResults& results) {
    return results.population ? &*results.population : nullptr;
}

/// CSVs (matrix, footprints, membership, pcn, problems) and the GeoPackage;
/// returns the file names written.
std::vector<std::string> write_tables(const StudyResults& results, const std::string& outdir);
/// The maps: PNG and PDF files in `outdir` and SVG kept for the report.
std::vector<MapFigure> draw_maps(const StudyResults& results, const std::string& outdir);
/// The report's interactive map: its layers (divisions, districts, every
/// footprint set, deprivation) as GeoJSON in longitude and latitude, with
/// what a click on each feature shows.
std::string web_map_json(const StudyResults& results);
/// report.html: one self-contained page.
void write_report(const StudyResults& results, const std::string& path);

}  // namespace placedef::detail
