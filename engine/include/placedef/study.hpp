// A study: one run over a region, described by one TOML config file. It reads
// the layers, population and deprivation tables and town centres the config
// names, then runs, in order: layer info, PCN footprints (when practices are
// given), the co-terminosity matrix of the boundary layers (and the PCN
// footprints), town footprints (one or more runs) with their population,
// mean deprivation and co-terminosity with divisions and PCN footprints, and
// maps. It writes report.html (one self-contained page), CSV tables
// (layers, matrix, pcn, footprints, membership, problems), PNG and PDF maps and one
// GeoPackage, study.gpkg, holding every result layer, styled for QGIS.
//
// The config (examples/surrey/study.toml is a complete example). Paths are
// relative to the config file's folder; a PG: connection string is taken as
// it is. Every key is checked: an unknown key, a value of the wrong type or
// out of range, a layer name that is not under [layers] and a file that is
// not there stop the run before any work, naming the file, the line and the
// key: "study.toml line 12: key 'layers.ced.path': file not found".
//
//   [study]        title; crs (default EPSG:27700); assume_crs; invalid =
//                  "repair" | "skip" | "fail"
//   [layers.NAME]  path (required); layer (inside the dataset); code (the
//                  code column; guessed when absent); label (a column of unit
//                  names); title; vintage (the data and its date for the
//                  maps' credit line, "CED 2025"; default: the title); role
//                  (required): blocks, area,
//                  pcn_practices, or a boundary role (district, division,
//                  ward, county, nhs, lep, ttwa, boundary); clip (a layer:
//                  keep the units whose point on surface lies in it) and
//                  clip_codes (in these of its units); dissolve (a column: the units
//                  merged by its value, provinces from municipalities)
//   [population]   layer, table (CSV), key (its code column), column; title;
//                  vintage (as for layers)
//   [deprivation]  the same, its column a national rank (IMD_rank: 1 = most
//                  deprived) or a score (higher = more deprived); score (a
//                  score column beside a rank, e.g. "IMD_score"), most_deprived
//                  (21). Per footprint: people and share in national deciles
//                  1-2 (from the rank's decile column, IMD_decile), the
//                  population-weighted mean score (only with a score: ranks do
//                  not average) and the most deprived unit; and the most
//                  deprived units with their footprints (deprivation_profile).
//                  Its columns are attributes for clustering
//   [towns]        path (CSV: name and lon/lat or x/y, see read_places); crs;
//                  outside = "fail" | "skip" (towns in no block)
//   [scoring]      tolerance (0.995), distance (20 m), min_share (0.01),
//                  alignment (true), footprints_against (layer names or
//                  "pcn"; default: the division layers and "pcn")
//   [matrix]       layers (default: every boundary layer), pcn (true: the
//                  PCN footprints are its last layer), population (true:
//                  population-weighted indices as well, when there is one)
//   [pcn]          practices (the pcn_practices layer), clip (required),
//                  clip_codes, method = "voronoi" | "blocks" | "registered",
//                  blocks, registered (CSV), nearest, same_site, pcn_code,
//                  pcn_name, practice_name, unallocated
//   [[footprints]] one table per run: id ([a-z0-9_]+), title, blocks (a
//                  blocks layer, required), method (required: skater, redcap,
//                  maxp, azp, seeded), k, min_population, max_population,
//                  attributes (deprivation columns, "density", "position",
//                  or { column = ..., weight = ... }), seed, adjacency,
//                  snap, min_shared_length, join_islands, linkage, search,
//                  refine, tries, restarts, rural_distance, rural_footprints,
//                  balance (not given: the method's default, see
//                  ClusterOptions::balance), nest_in or within (a layer),
//                  ensemble (N runs: the consensus footprints and each
//                  block's stability), ensemble_methods (e.g. ["azp", "maxp"]),
//                  respect and align (layer names, or { layer = ...,
//                  weight = ... } tables: the partner layers in the
//                  objective, see FootprintRequest)
//   [[comparisons]] proposals side by side (run_compare): id, title, blocks
//                  (a blocks layer, required), partners (layer names, "pcn"
//                  or footprint run ids, required), min_population and
//                  max_population (the target range), key, place_column
//                  ("area"), block_column (how lookups give each block its
//                  place), and [[comparisons.proposals]] tables, each a name
//                  and one of lookup (a CSV), layer (a layer name) or
//                  footprints (a run id). With [population] (required) and
//                  [deprivation] (people in deciles 1-2 per place)
//   [[flows]]      functional areas from commuting flows (run_flows): id,
//                  title, units (a polygon layer, required), table (CSV,
//                  required), residence, workplace, count (its columns;
//                  default the first three), rules ("ttwa2011" or "istat"),
//                  min_size, target_size, min_containment, target_containment
//                  (each changes the preset's), regrouping ("whole_area"
//                  or "one_unit"; default the preset's), adjacency ("queen"), snap,
//                  min_shared_length, against (layer names; default the
//                  district, LEP and TTWA layers but the units')
//   [maps]         enabled, width_px, height_px, dpi, credit, paper (of the
//                  PDF maps: "a4" (the default) or "a3", landscape)
//
// Outputs are deterministic: the same config gives the same CSV files and
// report whatever the thread count (the GeoPackage records when it was
// written).
#pragma once

#include "placedef/catchment.hpp"
#include "placedef/clustering.hpp"
#include "placedef/io.hpp"
#include "placedef/problems.hpp"
#include "placedef/render.hpp"
#include "placedef/scoring.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace placedef {
inline namespace study {

/// What a layer is for in a study.
enum class LayerRole {
    blocks,         ///< building blocks of town footprints (LSOAs, wards)
    area,           ///< the study area: used to clip other layers and PCN footprints
    pcn_practices,  ///< GP practice points with their PCN
    // Boundary layers: in the co-terminosity matrix and drawn on the maps.
    district,
    division,
    ward,
    county,
    nhs,
    lep,
    ttwa,
    boundary,  ///< any other partner's boundaries
};
const char* to_string(LayerRole role);
/// Boundary roles go into the co-terminosity matrix.
bool is_boundary(LayerRole role);

/// Where a setting was given: the config file, its line, and the dotted key.
struct ConfigPlace {
    std::string file;
    long line = 0;
    std::string key;
    /// "study.toml line 12: key 'layers.ced.path'"
    std::string describe() const;
};

struct StudyLayer {
    std::string name;  ///< its key under [layers]; the name used in tables and the matrix
    std::string title; ///< shown in the report (default: name)
    std::string vintage;  ///< the data and its date, in the maps' credit line ("CED 2025"; default: title)
    LayerAddress address;  ///< path resolved against the config's folder
    std::string label_column;  ///< column holding unit names (labels, tables); empty: none
    LayerRole role = LayerRole::boundary;
    std::string clip;  ///< keep only the units whose point on surface lies in this layer
    std::vector<std::string> clip_codes;  ///< ... in these of its units (empty: any)
    /// A column: the units merged by its value (municipalities into provinces), after any clip.
    std::string dissolve;
    ConfigPlace where;
};

/// A table of values joined to the units of one layer.
struct StudyTable {
    std::string layer;   ///< the layer whose codes the key column holds
    std::string path;
    std::string key;     ///< key column
    std::string column;  ///< value column
    std::string title;   ///< shown in the report (default: the column)
    std::string vintage;  ///< the data and its date, in the maps' credit line ("IMD 2019"; default: title)
    /// [deprivation] only: how many of the most deprived units the study lists
    /// with the footprints they lie in ("the 21 areas of greatest deprivation").
    std::size_t most_deprived = 21;
    /// [deprivation] only: a score column beside `column` (a rank), the
    /// measure footprints average; empty: none (or `column` is the score).
    std::string score;
    ConfigPlace where;
};

struct StudyTowns {
    std::string path;
    std::string crs;  ///< empty: read_places' default
    /// Towns lying in no block are left out (and listed in the report)
    /// instead of stopping the run: one towns file can serve a part of a county.
    bool skip_outside = false;
    ConfigPlace where;
};

struct StudyPcn {
    std::string practices;  ///< layer with role pcn_practices
    std::string clip;       ///< layer whose units make the clip area
    std::string blocks;     ///< blocks and registered methods
    std::string registered; ///< registered-patients CSV (registered method)
    PcnOptions options;     ///< method, columns, clip codes, same site, nearest
    ConfigPlace where;
};

struct StudyAttribute {
    std::string column;  ///< a deprivation-table column, "density" or "position"
    double weight = 1.0;
};

/// A partner layer in a run's objective (respect, align).
struct StudyPartner {
    std::string layer;  ///< a polygon layer under [layers], or "pcn": the study's PCN footprints
    double weight = 1.0;
};

/// One town-footprint run ([[footprints]]).
struct StudyFootprints {
    std::string id;     ///< [a-z0-9_]+: names its layers and maps
    std::string title;
    std::string blocks; ///< a layer with role blocks
    FootprintRequest request;  ///< options as configured; population, attributes and places are filled by the run
    std::vector<StudyAttribute> attributes;
    std::string nest_layer;  ///< nest_in or within, with request.nesting
    std::vector<StudyPartner> respect, align;  ///< filled into request.respect and .align by the run
    /// false: the run's section of the report is on screen only, so that a
    /// run drawn to be compared does not lengthen the printed report.
    bool printed = true;
    ConfigPlace where;
};

/// One proposal of a comparison: a lookup from blocks to places, a polygon
/// layer under [layers], or a footprint run of the study (exactly one).
struct StudyProposal {
    std::string name;
    std::string lookup;      ///< CSV path (resolved)
    std::string layer;       ///< a layer name
    std::string footprints;  ///< a [[footprints]] run id
    ConfigPlace where;
};

/// Proposals compared side by side ([[comparisons]]; run_compare).
struct StudyComparison {
    std::string id;  ///< [a-z0-9_]+: names its files
    std::string title;
    std::string blocks;  ///< a layer with role blocks
    std::string key, place_column = "area", block_column;  ///< how lookups give each block its place
    std::vector<StudyProposal> proposals;
    /// Layer names, "pcn", or footprint run ids.
    std::vector<std::string> partners;
    double min_population = 0;
    double max_population = std::numeric_limits<double>::infinity();
    ConfigPlace where;
};

/// Functional areas from commuting flows ([[flows]]; run_flows).
struct StudyFlows {
    std::string id;  ///< [a-z0-9_]+: names its files
    std::string title;
    std::string units;  ///< a polygon layer: the units the flows run between
    std::string table;  ///< CSV of flows
    std::string residence, workplace, count;  ///< its columns; empty: the first, second and third
    std::string rules_name = "ttwa2011";      ///< the preset the rules start from
    FunctionalAreaRules rules;                ///< the preset with any value the config changes
    ContiguityOptions contiguity = {Adjacency::queen};
    /// Layer names the areas are scored against; default: the district, LEP and TTWA layers.
    std::vector<std::string> against;
    ConfigPlace where;
};

struct StudyMaps {
    bool enabled = true;
    int width_px = 1600;
    int height_px = 1200;
    double dpi = 150;
    std::string credit;  ///< small print under each map (the data's copyright line)
    Paper paper = Paper::a4;  ///< the page of the PDF maps
};

struct StudyConfig {
    std::string path;   ///< the config file, as given
    std::string title;
    ReadOptions read;   ///< study CRS, assumed CRS, invalid policy (threads are the run's)
    ScoringOptions scoring;
    bool alignment = true;  ///< boundary alignment in the matrix
    std::vector<StudyLayer> layers;  ///< config order
    std::optional<StudyTable> population;
    std::optional<StudyTable> deprivation;
    std::optional<StudyTowns> towns;
    std::optional<StudyPcn> pcn;
    std::vector<StudyFootprints> footprints;
    std::vector<StudyComparison> comparisons;
    std::vector<StudyFlows> flows;
    std::vector<std::string> matrix_layers;  ///< layer names; default: every boundary layer
    bool matrix_with_pcn = true;              ///< PCN footprints as the matrix's last layer
    /// Population-weighted indices too, when there is a [population] (it
    /// apportions people to every piece of every pair: the matrix's main cost).
    bool matrix_population = true;
    /// What footprints are scored against: layer names, or "pcn" for the PCN
    /// footprints. Default: the division layers and "pcn".
    std::vector<std::string> footprints_against;
    StudyMaps maps;

    const StudyLayer* layer(const std::string& name) const;
};

/// Reads and checks a config file: syntax, known keys and their types,
/// values in range, layers that exist, files that exist (PG: sources are not
/// checked). Throws invalid_input "FILE line N: key 'a.b': reason", or
/// io_error when the file cannot be read.
StudyConfig read_study_config(const std::string& path);
/// The same from text; relative paths are resolved against `path`'s folder.
StudyConfig parse_study_config(const std::string& text, const std::string& path);

// run_study, which runs a config, is the pipeline's study job (pipeline.hpp).

}  // namespace study
}  // namespace placedef
