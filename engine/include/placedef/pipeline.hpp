// The pipeline: one function per job, behind every front end. The command
// line parses its arguments into a request, the C API fills the same request
// from its handles (Python goes through the C API), and a study builds
// requests from its config; none of them decides anything itself. Every rule
// a job applies lives here once (docs/architecture.md):
//  - layers are read and checked one way: reprojected to the study CRS, whose
//    area distortion over the data is checked, invalid features handled by
//    the problem policy, and a layer with no usable feature refused;
//  - a table's key column is the one given, else the column that matches the
//    most unit codes, and a guess is always said (RunSettings::note);
//  - population values must be finite, not negative and at most max_population,
//    and population units that overlap each other are reported;
//  - outputs are checked before any work (never an input, never each other,
//    writable), and written whole or not at all.
#pragma once

#include "placedef/catchment.hpp"
#include "placedef/clustering.hpp"
#include "placedef/io.hpp"
#include "placedef/layer.hpp"
#include "placedef/overlay.hpp"
#include "placedef/problems.hpp"
#include "placedef/render.hpp"
#include "placedef/scoring.hpp"
#include "placedef/study.hpp"

#include <cstddef>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace placedef {
inline namespace pipeline {

// ---- what every job shares ---------------------------------------------------

/// How layers are read and how a run talks back. The same settings give the
/// same answer in every front end.
struct RunSettings {
    std::string study_crs = "EPSG:27700";
    std::string assume_crs;  ///< CRS of sources that declare none; empty: such a source is refused
    InvalidPolicy invalid = InvalidPolicy::repair;
    unsigned threads = 0;  ///< 0: all cores; results do not depend on it
    /// A line the user should read but that is not a problem ("code column
    /// guessed as LSOA21CD"). Empty: not said.
    std::function<void(const std::string& line)> note;
    /// A line that warns of an answer the user would not expect (two layers
    /// of a job that do not overlap, so that their overlay is empty). Empty:
    /// not said.
    std::function<void(const std::string& line)> warning;
    /// (step, done, total) during long steps, from one thread at a time.
    std::function<void(const std::string& step, std::size_t done, std::size_t total)> progress;

    ReadOptions read_options(LayerKind kind) const;
    /// The progress callback for one step, as the engine's loops take it.
    ProgressCallback progress_of(const std::string& step) const;
};

/// A layer to work on: an address to read (`path[:layer][@code]`), or a layer
/// a caller has already loaded (the C API, Python, a study).
struct LayerInput {
    std::string address;
    std::shared_ptr<const Layer> loaded;

    LayerInput() = default;
    LayerInput(std::string layer_address) : address(std::move(layer_address)) {}  // NOLINT: a path reads as an input
    LayerInput(const char* layer_address) : address(layer_address) {}              // NOLINT
    LayerInput(std::shared_ptr<const Layer> layer) : loaded(std::move(layer)) {}   // NOLINT
    bool given() const { return loaded || !address.empty(); }
    /// The address, or the loaded layer's source, for messages and output checks.
    std::string source() const;
};

/// People on the units of a polygon layer: a table column joined on the unit
/// codes, or one value per unit.
struct PopulationInput {
    LayerInput units;
    std::string table;   ///< CSV path
    std::string key;     ///< key column; empty: the column matching the most unit codes
    std::string column;  ///< value column
    std::vector<double> values;  ///< instead of a table: one per unit
    bool given() const { return units.given(); }
};

/// A loaded population: its units and their values (kept alive together).
struct LoadedPopulation {
    std::shared_ptr<const Layer> units;
    PopulationSource source;
};

/// Whether a job can work with a polygon layer that has no usable feature:
/// only describing a layer can (`info`); every job computes with units.
enum class EmptyLayer { refuse, allow };

/// Reads (or takes) a layer under the settings' rules, says when its code
/// column was guessed, and refuses a polygon layer with no usable feature
/// (unless `empty` allows it). Throws invalid_input or io_error naming file,
/// layer and feature.
std::shared_ptr<const Layer> load_input(const LayerInput& input, const RunSettings& settings, ProblemSink& problems,
                                        LayerKind kind = LayerKind::polygon, EmptyLayer empty = EmptyLayer::refuse);
/// The same for a layer address, returned by value for callers that keep
/// their own copy (the C API's layer handles).
Layer open_layer(const std::string& address, const RunSettings& settings, ProblemSink& problems,
                 LayerKind kind = LayerKind::polygon, EmptyLayer empty = EmptyLayer::refuse);
/// A layer given as codes and WKB (the C API, Python), read and checked by
/// the rules of a file's layer under the settings (load_wkb_layer).
Layer open_wkb_layer(const std::string& name, const std::string& crs, const std::vector<WkbFeature>& features,
                     const RunSettings& settings, ProblemSink& problems, LayerKind kind);
/// Several polygon layers, read side by side; problems in argument order.
std::vector<std::shared_ptr<const Layer>> load_inputs(const std::vector<LayerInput>& inputs, const RunSettings& settings,
                                                      ProblemSink& problems);
/// Throws invalid_input when `layer` has no feature to work with: every job
/// computes with units, and an empty layer would give an empty result that
/// reads as "no overlap".
void require_units(const Layer& layer);

/// Warns (settings.warning) of each pair of the layers whose extents do not
/// meet: a job combining them finds nothing in common. The same layer given
/// twice, and empty layers, are passed over.
void warn_if_apart(const std::vector<const Layer*>& layers, const RunSettings& settings);

/// The key column of `table_path` to join to `units`: `key` when given, else
/// the column whose values match the most codes of the units (said through
/// settings.note). Throws invalid_input when no column matches.
std::string table_key(const std::string& table_path, const std::string& key, const Layer& units,
                      const RunSettings& settings);
/// `column` of `table_path` joined to `units` (see table_key). A unit with no
/// row gets `missing_value` and a missing_key problem; a cell that is not a
/// number throws invalid_input naming file, line, column and value.
std::vector<double> join_table(const std::string& table_path, const std::string& key, const std::string& column,
                               const Layer& units, const RunSettings& settings, ProblemSink& problems,
                               double missing_value = 0.0);
/// The national decile column beside a rank column of a table: "IMD_decile"
/// beside "IMD_rank" (any case); "" when `column` is not a rank or the table
/// has no such column.
std::string decile_column_beside(const std::string& table_path, const std::string& column);
/// Checks population values: one per unit, each from 0 to max_population and
/// their total too (invalid_input naming the unit and where the value came
/// from otherwise; see check_population_values).
void check_population(const Layer& units, const std::vector<double>& values, const std::string& from);
/// A population column of `table_path` joined to `units` (as join_table; a
/// unit with no row gets 0 and a missing_key problem) and checked as
/// check_population, a bad value named by the table's line, code and column.
std::vector<double> population_from_table(const std::string& table_path, const std::string& key,
                                          const std::string& column, const Layer& units, const RunSettings& settings,
                                          ProblemSink& problems);
/// Share of the smaller unit's area above which two population units are
/// said to overlap (slivers between independently generalised units are not).
constexpr double population_overlap_share = 0.01;
/// Reports each pair of units of a population layer that overlap (by more than
/// population_overlap_share): an overlapping_units problem on the second unit,
/// kept, or failed and thrown as invalid_input under the fail policy.
void check_population_units(const Layer& units, const RunSettings& settings, ProblemSink& problems);
/// Loads a population (its units checked by check_population_units); `units`
/// may be given already loaded (it is then not read again).
LoadedPopulation load_population(const PopulationInput& input, const RunSettings& settings, ProblemSink& problems,
                                 std::shared_ptr<const Layer> units = nullptr);

/// The people on each unit of `target`: the population's own values when
/// `target` holds the population's units (the same layer, or units of the same
/// layer picked from it, such as clipped blocks), else apportioned by area.
/// One rule, so that footprints get the same people in every front end.
std::vector<double> population_on(const Layer& target, const PopulationSource& population, unsigned threads);

/// Where a job writes: files or connection strings, checked before any work
/// against each other and the job's inputs (check_outputs).
struct Outputs {
    std::vector<std::string> paths;
    std::string problems;  ///< the problems CSV; empty: none
    NumberForm numbers = NumberForm::full;  ///< tables: full precision, or readable (`--readable`)
};
/// Writes the problems CSV (kind, action, file, layer, fid, code, field, detail).
void write_problems_csv(const ProblemSink& problems, const std::string& path);

// ---- jobs ----------------------------------------------------------------------

/// Overlay then score, the one way every job compares two layers: the
/// intersection table, boundary alignment both ways when asked, and the
/// per-unit report. Boundary indexes already built for a layer (the matrix
/// builds each once) may be given; otherwise they are built here.
AlignmentReport compare_layers(const Layer& a, const Layer& b, const PopulationSource* population,
                               const ScoringOptions& scoring, bool alignment, unsigned threads,
                               const BoundaryIndex* a_boundaries = nullptr, const BoundaryIndex* b_boundaries = nullptr);

struct OverlayRequest {
    LayerInput a, b;
    PopulationInput population;
    double min_share = 0;
    Outputs outputs;  ///< .csv: the table; other formats: the pieces with their polygons too
    /// Build the pieces' polygons even when no output needs them (the C API's with_geometry).
    bool with_geometry = false;
};
struct OverlayResult {
    std::shared_ptr<const Layer> a, b;
    IntersectionTable table;
};
OverlayResult run_overlay(const OverlayRequest& request, const RunSettings& settings, ProblemSink& problems);

struct AlignRequest {
    LayerInput a, b;
    PopulationInput population;
    ScoringOptions scoring;
    bool alignment = true;  ///< boundary alignment (false: areas only)
    Outputs outputs;        ///< per-unit report (CSV)
};
struct AlignResult {
    std::shared_ptr<const Layer> a, b;
    AlignmentReport report;
};
AlignResult run_align(const AlignRequest& request, const RunSettings& settings, ProblemSink& problems);

struct BestFitRequest {
    LayerInput child, parent;
    PopulationInput population;  ///< required by the population method
    BestFitOptions options;
    Outputs outputs;  ///< lookup CSV
};
struct BestFitResult {
    std::shared_ptr<const Layer> child, parent;
    std::vector<BestFitRow> rows;
    std::size_t ambiguous = 0, orphans = 0, fallbacks = 0;  ///< fallbacks: by area, for want of people
};
BestFitResult run_best_fit(const BestFitRequest& request, const RunSettings& settings, ProblemSink& problems);

struct CrosswalkRequest {
    LayerInput a, b;
    PopulationInput population;  ///< when given, people are the measure shown
    ScoringOptions scoring;      ///< tolerance (whole), min_share (parts listed)
    Outputs outputs;             ///< crosswalk CSV, both ways
};
struct CrosswalkResult {
    std::shared_ptr<const Layer> a, b;
    AlignmentReport report;
    std::vector<CrosswalkUnit> units;  ///< A against B, then B against A
};
CrosswalkResult run_crosswalk(const CrosswalkRequest& request, const RunSettings& settings, ProblemSink& problems);

struct MatrixRequest {
    std::vector<LayerInput> layers;  ///< two or more
    PopulationInput population;
    ScoringOptions scoring;
    bool alignment = true;
    Outputs outputs;  ///< matrix CSV
};
/// Every ordered pair of layers scored, from one overlay per unordered pair,
/// pairs computed in parallel. Deterministic.
Matrix coterminosity_matrix(const std::vector<const Layer*>& layers, const MatrixOptions& options);
Matrix run_matrix(const MatrixRequest& request, const RunSettings& settings, ProblemSink& problems);

struct PcnRequest {
    LayerInput practices;  ///< points
    LayerInput clip;
    LayerInput blocks;     ///< blocks and registered methods
    PopulationInput population;
    std::string registered;  ///< registered-patients CSV (registered method)
    PcnOptions options;      ///< method, columns, clip codes, same site, nearest
    Outputs outputs;
};
struct PcnJobResult {
    std::shared_ptr<const Layer> practices, clip, blocks;
    PcnResult result;
};
PcnJobResult run_pcn(const PcnRequest& request, const RunSettings& settings, ProblemSink& problems);

/// A clustering attribute as the front ends name it: "density" (log of people
/// per km² of block area), "position" (the point on surface's x and y: favours
/// compact footprints), "boundary" (not an attribute but the objective's
/// boundary term, ClusteringProblem::boundary, weighted alike), or a column of
/// a table (`table` path, `column`).
struct AttributeSpec {
    std::string name;   ///< "density", "position", "boundary", or the column
    std::string table;  ///< with a column: the CSV it comes from
    double weight = 1.0;
};
/// Parses "TABLE:COLUMN[*WEIGHT]", "density[*W]", "position[*W]" or "boundary[*W]".
AttributeSpec parse_attribute(const std::string& text);
/// The built-in attributes: density and position (one attribute each for x
/// and y); empty for a name that is not built in.
/// "density" or "position".
bool is_builtin_attribute(const std::string& name);
std::vector<FootprintAttribute> builtin_attribute(const std::string& name, double weight, const Layer& blocks,
                                                  const std::vector<double>& population);
/// Sets the objective term a name stands for ("boundary") in the request with
/// this weight; false for any other name.
bool set_objective_term(const std::string& name, double weight, FootprintRequest& request);

/// A partner's layer in the footprints' objective (`--respect`, `--align`).
struct PartnerInput {
    LayerInput layer;
    double weight = 1.0;
};
/// Parses "LAYER[*WEIGHT]" for `option` (named in the error): the weight
/// after the last '*' must be a finite number above 0 (default 1).
PartnerInput parse_partner(const std::string& text, const std::string& option);

struct FootprintsRequest {
    LayerInput blocks;
    LayerInput clip;  ///< keep the blocks whose point on surface lies in it
    std::vector<std::string> clip_codes;
    PopulationInput population;  ///< on the blocks or another layer (apportioned)
    std::vector<AttributeSpec> attributes;
    std::string towns, towns_crs;  ///< seeded: town centres CSV
    LayerInput nest;               ///< with options.nesting
    FootprintRequest options;      ///< method, k, floor, ceiling, contiguity, nesting (layers filled here)
    /// Partner layers in the objective: options.respect and options.align are filled from them.
    std::vector<PartnerInput> respect, align;
    std::vector<LayerInput> score_against;
    Outputs outputs;
};
struct FootprintsResult {
    std::shared_ptr<const Layer> blocks;  ///< after clipping
    std::vector<double> population;       ///< per block; empty without one
    FootprintResult result;
    std::vector<std::pair<std::string, AlignmentReport>> scores;  ///< one per score_against layer
};
FootprintsResult run_footprints(const FootprintsRequest& request, const RunSettings& settings, ProblemSink& problems);

/// Alignment repair of any footprint set (`placedef repair`).
struct RepairRequest {
    LayerInput blocks;           ///< the blocks footprints are made of (their graph and people)
    PopulationInput population;  ///< on the blocks or another layer (apportioned)
    /// The footprints: a polygon layer (placedef's `footprints` layer, or a
    /// council's own drawing; each block goes to the footprint holding at
    /// least half of its area), or a CSV of block codes and footprints.
    std::string footprints;
    std::string key;                          ///< CSV: the block code column; empty: the one matching the most blocks
    std::string footprint_column = "footprint";  ///< CSV: the footprint of each block (a "name" column names them)
    LayerInput partner;          ///< the layer whose units are brought into footprints (divisions)
    ContiguityOptions contiguity;
    double min_population = 0;
    double max_population = std::numeric_limits<double>::infinity();
    RepairOptions options;       ///< target or whole units (its blocks to keep are filled from `towns`)
    std::string towns, towns_crs;  ///< town centres (read_places) whose blocks never move; empty: none
    std::string moves;           ///< CSV of the moves; empty: none
    Outputs outputs;             ///< the repaired footprints: .gpkg (footprints, membership) or .csv (metrics)
};
struct RepairJobResult {
    std::shared_ptr<const Layer> blocks;  ///< the blocks that lie in a footprint, in layer order
    std::vector<double> population;       ///< per block; empty without one
    std::size_t left_out = 0;             ///< blocks in no footprint, left out
    std::vector<std::string> codes;       ///< each footprint's code in the input
    FootprintResult result;               ///< the repaired footprints, measured; partition.names as in the input
    AlignmentRepair repair;               ///< regions index codes
};
/// Reads the footprints and the blocks, repairs (repair_alignment) within
/// the population bounds on the blocks' graph, and writes the moves (block
/// code and name, from and to footprint code and name, people, share after)
/// and the repaired footprints. Blocks in no footprint are left out (said in
/// a note). Throws invalid_input for footprints no block lies in, a CSV
/// without the footprint column, or a target that cannot be reached.
RepairJobResult run_repair(const RepairRequest& request, const RunSettings& settings, ProblemSink& problems);

// ---- proposals compared side by side ------------------------------------------------

/// One drawing of the area's places (councils, footprints): a polygon layer,
/// or a lookup from blocks to places built into polygons from the blocks.
struct ProposalInput {
    std::string name;    ///< as the scorecard shows it; empty: the layer's name, or the lookup's file name
    LayerInput layer;    ///< polygons (each block in the one holding half its area or more)
    std::string lookup;  ///< or a CSV of blocks (or of a block attribute, CompareRequest::block_column) and places
    bool given() const { return layer.given() || !lookup.empty(); }
};

/// A deprivation measure on units of its own (the IMD on LSOAs): a rank
/// (1 = most deprived, by its name as the study reads it) or a score, and
/// the national deciles beside it.
struct DeprivationInput {
    LayerInput units;
    std::string table, key, column;
    std::string decile_column;  ///< empty: the column named like a rank column with "decile" for "rank" (IMD_decile)
    bool given() const { return units.given(); }
};

struct CompareRequest {
    LayerInput blocks;           ///< the blocks places are made of (LSOAs); people are counted on them
    PopulationInput population;  ///< on the blocks or another layer (apportioned)
    std::vector<ProposalInput> proposals;  ///< one or more; changes are read between each pair
    std::vector<LayerInput> partners;      ///< the partners' layers each proposal is scored against
    DeprivationInput deprivation;
    /// Lookups: the key column (empty: the one matching the most blocks), the
    /// place column (a "name" column names the places), and the blocks'
    /// attribute the keys match (empty: the block codes).
    std::string key, place_column = "area", block_column;
    /// A target range for each place's people: a place outside it fails. 0
    /// and infinity: no target.
    double min_population = 0;
    double max_population = std::numeric_limits<double>::infinity();
    ScoringOptions scoring;
    bool alignment = true;  ///< boundary alignment (false: areas only)
    /// The maps' page (size, resolution, paper, credit). A title "" is made
    /// from the proposals' names; a date "" is drawing_date().
    MapOptions map;
    /// .csv: the scorecard, with the proposals, places, moves and partner
    /// changes beside it (compare_csv_paths()); .png, .svg or .pdf: a figure
    /// of a panel per proposal for each partner (compare_map_paths(), checked
    /// once the partners are read, as their names are the layers'); a
    /// GeoPackage: one layer per proposal, the differences and those tables.
    Outputs outputs;
};

/// How evenly a proposal shares out its people.
struct PopulationBalance {
    std::size_t places = 0;
    double min = 0, max = 0, mean = 0;
    double ratio = std::numeric_limits<double>::quiet_NaN();  ///< max / min (NaN when a place has nobody)
    double cv = 0;  ///< coefficient of variation: standard deviation over the mean (population form)
    bool target = false;  ///< a target range was given
    std::size_t below = 0, above = 0;  ///< places outside the target range
    bool within_target() const { return below == 0 && above == 0; }
};
PopulationBalance population_balance(const std::vector<double>& people, double min_population, double max_population);

/// One place of a proposal.
struct ProposalPlace {
    std::string code, name;
    std::size_t blocks = 0;
    double people = 0;  ///< its blocks' people
    ShapeMeasures shape;
    FootprintDeprivation deprivation;  ///< code empty without a deprivation input
};

/// A proposal against one partner's layer.
struct ProposalFit {
    std::string partner;     ///< the layer's name
    AlignmentReport report;  ///< A: the proposal's places, B: the partner's units
    /// The partner's units (inside the proposal's area) not lying wholly in
    /// one place, with where their people fall, most people first.
    std::vector<CrosswalkUnit> split;
    std::size_t split_units = 0;
    double people_in_split_units = 0;  ///< their people inside the proposal's places
    double people_outside_main = 0;    ///< of them, those outside their unit's main place
};

struct ProposalScore {
    std::string name;
    std::string source;  ///< the layer or lookup it came from
    std::shared_ptr<const Layer> polygons;  ///< its places (code, name), in the order of `places`
    std::vector<std::int32_t> block_place;  ///< per block of CompareResult::blocks: index into places, or -1
    std::vector<ProposalPlace> places;
    PopulationBalance balance;
    /// Share of each place's people in national deciles 1-2: lowest and
    /// highest over the places (NaN without deprivation).
    double deprived_min = std::numeric_limits<double>::quiet_NaN();
    double deprived_max = std::numeric_limits<double>::quiet_NaN();
    /// The shapes at their worst: places in more than one part, the lowest
    /// Polsby-Popper and convex-hull ratio over the places.
    std::size_t places_in_parts = 0;
    double polsby_popper_min = 1, hull_ratio_min = 1;
    std::vector<ProposalFit> fits;  ///< one per partner, in request order
};

/// Blocks that lie in another place under a later proposal. Each place of
/// the earlier proposal has a successor, the later place holding most of its
/// people; a block moves when its later place is not its place's successor.
struct PlaceMove {
    std::size_t from_proposal = 0, to_proposal = 0;
    std::int32_t from_place = 0, to_place = 0;  ///< indexes into each proposal's places
    std::vector<std::size_t> blocks;            ///< in layer order
    double people = 0;
};

/// A partner's unit that sits differently in two proposals: whole in one
/// place under one and split under the other, or whole in places that are
/// not each other's successors.
struct PartnerChange {
    std::size_t from_proposal = 0, to_proposal = 0;
    std::size_t partner = 0;  ///< index into the request's partners
    CrosswalkUnit before, after;
};

struct CompareResult {
    std::shared_ptr<const Layer> blocks;
    std::vector<double> population;  ///< per block; empty without one
    std::vector<std::string> partners;  ///< the partners' layer names
    std::vector<std::shared_ptr<const Layer>> partner_layers;  ///< in the same order
    std::vector<ProposalScore> proposals;
    std::vector<PlaceMove> moves;  ///< by pair of proposals, then from and to place
    std::vector<PartnerChange> partner_changes;
};

/// Where a scorecard CSV "S.csv" puts its companion tables: "S_proposals.csv",
/// "S_places.csv", "S_moves.csv", "S_partner_changes.csv".
std::vector<std::string> compare_csv_paths(const std::string& csv_path);

/// Where a comparison's map "M.png" (or .svg, .pdf) puts its figures, one
/// per partner (CompareResult::partners, the names of the partners' layers
/// as read): M.png itself against one partner; against several,
/// "M_<partner>.png" each, the name in lower case with '_' for anything but
/// letters and digits (and "_2" after a name a partner before had).
std::vector<std::string> compare_map_paths(const std::string& map_path, const std::vector<std::string>& partners);
/// Every file an output path of a comparison writes: a scorecard and its
/// companion tables, a map's figures, or the GeoPackage itself.
std::vector<std::string> compare_written_paths(const std::string& path, const std::vector<std::string>& partners);

/// The figure of a comparison against partner `partner` (an index into
/// result.partners): a panel per proposal, its places filled and named,
/// the partner's units outlined over each, every panel at the same scale.
/// `partner_title` names the partner in the legend ("" = its layer's name).
std::vector<MapPanel> comparison_panels(const CompareResult& result, std::size_t partner,
                                        const std::string& partner_title = {});

/// Scores each proposal against each partner (compare_layers, with boundary
/// alignment), its balance, its deprivation and its shapes, and reads the
/// changes between each pair of proposals. Throws invalid_input for no
/// proposal, a proposal with no place holding a block, or no partner.
CompareResult run_compare(const CompareRequest& request, const RunSettings& settings, ProblemSink& problems);
/// Writes a comparison as run_compare writes each of its outputs: a .csv
/// path the scorecard and its companion tables, a map path the figures,
/// any other path the GeoPackage (numbers as request.outputs.numbers asks).
void write_comparison(const CompareResult& result, const CompareRequest& request, const std::string& path);

/// Functional areas (travel-to-work areas) from commuting flows.
struct FlowsRequest {
    LayerInput units;   ///< polygons; the flows' codes are their codes
    std::string table;  ///< CSV: a row per pair of units, residence to workplace
    /// Its columns; empty: the first, second and third.
    std::string residence_column, workplace_column, count_column;
    FunctionalAreaRules rules;  ///< FunctionalAreaRules::preset("ttwa2011") by default
    /// Which units touch (queen by default, so that units meeting at a point
    /// may share an area); units with no neighbour are linked to the unit
    /// they send most commuters to (join_islands_by_flows).
    ContiguityOptions contiguity = {Adjacency::queen};
    /// Layers the areas are scored against (co-terminosity both ways, as
    /// footprints --score): districts, LEPs, the official TTWAs.
    std::vector<LayerInput> score_against;
    ScoringOptions scoring;  ///< of score_against
    /// Another partition of the same units to measure agreement with (another
    /// tool's areas on the same flows): a CSV of the unit code (first
    /// column) and its area (the column "area", else the second), such as a
    /// membership table of run_flows. Units it leaves out are left out of the
    /// agreement; codes that are not units are problems, skipped.
    std::string agree_with;
    /// .csv: the areas (and `<name>_membership.csv`, unit by unit); .png,
    /// .svg, .pdf: a map of the areas; another path: a GeoPackage of the
    /// areas (styled) and the membership table.
    Outputs outputs;
};
struct FlowsResult {
    std::shared_ptr<const Layer> units;
    FunctionalAreas partition;
    /// One feature per area: code and name of the unit with the most jobs in
    /// it (the area is named after its main workplace), in partition order.
    std::shared_ptr<const Layer> areas;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> island_links;
    std::vector<std::pair<std::string, AlignmentReport>> scores;  ///< one per score_against layer
    std::size_t flows = 0;       ///< rows used
    double commuters = 0;        ///< their people, working where they live included
    /// People living in the units who work beyond them (a workplace code that
    /// is not a unit), and people from beyond them working in the units: in the
    /// areas' residents in work and jobs, so in their self-containment.
    double working_outside = 0, coming_in = 0;
    std::optional<PartitionAgreement> agreement;  ///< with request.agree_with
};
/// Reads the flows, builds the contiguity graph, and runs functional_areas.
/// A row with one code that is not a unit is a flow across the units' edge:
/// kept in the totals and reported (ProblemAction::kept). A row with neither
/// code a unit, a count that is not a number or is negative, and a repeated
/// pair are problems, skipped and counted. No row between two units is an
/// error (the codes are of another geography).
FlowsResult run_flows(const FlowsRequest& request, const RunSettings& settings, ProblemSink& problems);
/// Where a functional areas CSV "A.csv" puts the membership: "A_membership.csv".
std::string flows_membership_path(const std::string& csv_path);
/// Every file an output path of the flows job writes: a .csv path and its
/// membership, or the map or GeoPackage itself.
std::vector<std::string> flows_written_paths(const std::string& path);
/// Writes functional areas as run_flows writes each of its outputs: a .csv
/// path the areas and the membership beside them, a map path the map, any
/// other path the GeoPackage (numbers as request.outputs.numbers asks).
void write_functional_areas(const FlowsResult& result, const FlowsRequest& request, const std::string& path);

struct MapRequest {
    std::vector<LayerInput> layers;  ///< polygons: the first filled, the others outlined over it
    std::vector<LayerInput> points;  ///< point layers, outlined (markers) over the polygons
    std::string style = "categorical";  ///< of the first layer: categorical, choropleth or outline
    std::string column;  ///< choropleth: the value column (of `table`, or the first layer's attribute)
    std::string table;   ///< choropleth: "CSV[:KEY]" holding `column`, joined on the unit codes
    /// Choropleth classes: "" takes them from the measure (a decile column in ten
    /// fixed classes, else quantiles); "quantile", "equal", "natural" or "fixed".
    std::string breaks;
    std::vector<double> bounds;  ///< fixed breaks: the upper bound of each class but the last
    std::size_t classes = 0;     ///< 0: chosen from the count
    std::string dark = "auto";   ///< the end drawn darkest: "auto" (from the column's name), "high" or "low"
    std::string labels;  ///< attribute labelling the first layer's units
    std::string legend_title;
    std::vector<std::string> outline_titles;  ///< legend titles of the outlined layers, in order
    std::size_t fit = 0;  ///< 1-based layer the map is fitted to; 0: all
    /// The data of each layer and its date for the credit line ("CED 2025"),
    /// in order: `layers`, then `points`; fewer than the layers is fine.
    std::vector<std::string> vintages;
    std::string values_vintage;  ///< choropleth: the data of the column ("IMD 2019")
    /// Units beyond the study area, drawn in grey under the map (MapOptions::context).
    std::optional<LayerInput> context;
    /// options.date "" is filled with drawing_date(); options.paper sizes PDFs.
    MapOptions options;
    Outputs outputs;  ///< .png, .svg, .pdf, or a GeoPackage of the layers as drawn
};
struct MapResult {
    std::vector<std::shared_ptr<const Layer>> polygons, points;
    std::shared_ptr<const Layer> context;  ///< null without one
    std::vector<MapLayer> layers;  ///< as drawn; they point into polygons and points
};
MapResult run_map(const MapRequest& request, const RunSettings& settings, ProblemSink& problems);

// ---- the study: a whole run from one config ---------------------------------------

struct StudyRunOptions {
    unsigned threads = 0;  ///< 0: all cores; the outputs do not depend on it
    bool maps = true;      ///< false: no map files and no maps in the report
    /// One line per step and result, for a terminal.
    std::function<void(const std::string& line)> log;
    /// (step, done, total) during long steps; from one thread at a time.
    std::function<void(const std::string& step, std::size_t done, std::size_t total)> progress;
    /// A problems CSV written when the run ends (besides problems.csv in the output folder); empty: none.
    std::string problems;
};

struct StudyStep {
    std::string name;
    double seconds = 0;
};

struct StudySummary {
    std::size_t layers = 0;
    std::size_t matrix_size = 0;          ///< layers in the matrix
    std::size_t pcn_footprints = 0;
    std::vector<std::pair<std::string, std::size_t>> footprints;  ///< run id, footprint count
    std::size_t maps = 0;
    std::size_t problems = 0;
    std::vector<std::string> files;       ///< written, relative to the output folder, in order
    std::vector<StudyStep> steps;
    double seconds = 0;
};

/// Runs the study and writes its outputs into `outdir` (created if needed;
/// files of the same names are replaced). Bad features go to `problems` and
/// into the report. Throws invalid_input (config or data that cannot be
/// used, naming the config line where it can), io_error, output_error.
StudySummary run_study(const StudyConfig& config, const std::string& outdir, ProblemSink& problems,
                       const StudyRunOptions& options = {});

}  // namespace pipeline
}  // namespace placedef
