// Town footprints: spatially constrained clustering of building blocks
// (LSOAs, wards, divisions) into contiguous places.
//
// The pieces, in the order a run uses them:
//  - contiguity_graph(): queen or rook adjacency of a block layer, computed
//    from geometry with a snapping tolerance (generalised layers leave gaps
//    and overlaps of a few metres), with the shared boundary length of each
//    edge, and islands / separate components reported or joined;
//  - ClusteringProblem: the graph, the standardised and weighted attributes,
//    the population and the constraints (k, floor, ceiling);
//  - cluster(): SKATER, REDCAP, max-p, AZP or seeded growth, optionally
//    refined by AZP; seed and thread count are inputs, and the same seed
//    gives the same partition whatever the thread count;
//  - partition_metrics(): population, contiguity, compactness and
//    homogeneity of each footprint (co-terminosity comes from scoring).
// Errors: bad input (a disconnected graph, k larger than the number of
// blocks, a floor no partition can meet, a seed outside every block) throws
// invalid_input naming it; an empty partition is never returned.
#pragma once

#include "placedef/io.hpp"
#include "placedef/layer.hpp"
#include "placedef/shapes.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace placedef {
inline namespace clustering {

// ---------------------------------------------------------------- contiguity

enum class Adjacency {
    queen,  ///< blocks touch: their boundaries come within the snap distance anywhere
    rook    ///< blocks share a stretch of boundary at least min_shared_length long
};
const char* to_string(Adjacency adjacency);
/// "queen" | "rook"; throws invalid_input otherwise.
Adjacency adjacency_from_string(const std::string& text);

enum class IslandPolicy {
    report,       ///< components stay apart; clustering refuses a disconnected graph
    join_nearest  ///< each smaller component is linked to the nearest block of another, until one remains
};

struct ContiguityOptions {
    /// rook by default: blocks meeting only at a corner are not neighbours, so that
    /// every footprint is one polygon (a reader sees two places in two corner-joined parts).
    Adjacency adjacency = Adjacency::rook;
    /// Boundaries closer than this (metres) touch. Independently generalised
    /// layers leave slivers and gaps of a few metres between neighbours.
    double snap = 5.0;
    /// rook: a pair is adjacent when they share at least this length (m).
    double min_shared_length = 10.0;
    IslandPolicy islands = IslandPolicy::report;
    unsigned threads = 0;  ///< 0: all cores; the graph does not depend on it
};

/// An undirected graph over blocks in compressed-row form. Neighbour lists
/// are sorted and hold no self-loops or repeats.
struct ContiguityGraph {
    std::vector<std::string> codes;         ///< one per block, in layer order
    std::vector<std::size_t> offsets;       ///< size()+1: neighbours of i are [offsets[i], offsets[i+1])
    std::vector<std::uint32_t> neighbours;
    /// m, parallel to neighbours: the mean of the two blocks' boundary lengths
    /// that lie within the snap distance of the other (measured along normals);
    /// 0 for corner contacts and joined links
    std::vector<double> shared_length;
    /// Distance (m) within which boundaries touched when the graph was built
    /// from geometry (0 for graph_from_edges). Metrics dissolve footprints
    /// with it, so that gaps and slivers between generalised neighbours do not
    /// count as separate parts.
    double snap = 0;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> joined;  ///< links added by join_nearest (a < b)
    std::vector<std::uint32_t> islands;     ///< blocks that had no neighbour before any joining
    std::vector<std::uint32_t> component;   ///< component of each block (after joining), numbered from 0 in block order
    std::size_t component_count = 0;

    std::size_t size() const { return codes.size(); }
    std::size_t edge_count() const { return neighbours.size() / 2; }
    std::size_t degree(std::size_t block) const { return offsets[block + 1] - offsets[block]; }
    const std::uint32_t* begin(std::size_t block) const { return neighbours.data() + offsets[block]; }
    const std::uint32_t* end(std::size_t block) const { return neighbours.data() + offsets[block + 1]; }
    bool adjacent(std::size_t a, std::size_t b) const;  ///< binary search of a's list
};

/// The contiguity graph of a polygon layer. Throws invalid_input for a layer
/// that is not polygons or has fewer than one feature.
ContiguityGraph contiguity_graph(const Layer& blocks, const ContiguityOptions& options);

/// A graph from explicit undirected edges (i, j) over `codes` (tests, the C
/// API, coarser layers). Repeats and self-loops are dropped; lengths may be
/// empty (all 0) or one per edge. Components are computed; nothing is joined.
ContiguityGraph graph_from_edges(std::vector<std::string> codes,
                                 const std::vector<std::pair<std::uint32_t, std::uint32_t>>& edges,
                                 const std::vector<double>& lengths = {});

/// The boundary two neighbouring blocks share, for each edge of the graph
/// (a < b, in the order of a's neighbour list, as the edges of
/// EnsembleResult::boundaries): the stretches of a's boundary whose normals
/// meet b's within the graph's snap distance, as lines. Edges without such a
/// stretch (corner contacts, a block inside another, joined islands) have
/// none. `blocks` is the layer the graph was built from.
std::vector<std::vector<std::vector<Coord>>> shared_boundaries(const Layer& blocks, const ContiguityGraph& graph,
                                                               unsigned threads = 0);

// ------------------------------------------------------------------ problem

/// A partner's layer as the objective sees it: each block's unit (the one
/// holding the largest share of the block's area, as nesting finds a block's
/// parent) and the weight of the term. A person placed across the layer's
/// lines costs weight × partner_cost_scale() (see ClusteringProblem).
struct PartnerUnits {
    std::string layer;                ///< its name, for reports
    std::vector<std::int32_t> unit;   ///< per block: 0 .. codes.size()-1, or -1 outside every unit (not counted)
    std::vector<std::string> codes;   ///< per unit
    std::vector<std::string> names;   ///< per unit; may be empty
    double weight = 1.0;
};

/// What the clustering sees. Attributes are row-major, size() × dimensions,
/// already standardised and weighted (see standardise()); the distance
/// between blocks is Euclidean on them, and the objective is the within-
/// region sum of squared deviations from region means (WSS).
struct ClusteringProblem {
    const ContiguityGraph* graph = nullptr;
    std::vector<double> attributes;
    std::size_t dimensions = 0;
    /// Attributes whose values were the same for every block: they have no say.
    std::vector<std::string> constant_attributes;
    /// One per block; empty when no floor or ceiling is used (then every
    /// block counts 1 for balancing).
    std::vector<double> population;
    /// Target footprint count; 0 lets the floor decide (max-p). For max-p a
    /// k is an upper limit: touching regions merge, cheapest first, down to it.
    std::size_t k = 0;
    double min_population = 0;         ///< floor per footprint; 0: none
    double max_population = std::numeric_limits<double>::infinity();  ///< ceiling per footprint
    /// Weight of the boundary term (0: none). The local searches add this
    /// weight times blocks × (shared boundary between footprints / all shared
    /// boundary): footprints then follow the short boundaries between blocks
    /// and keep blocks with long ones together. 0 when nothing is cut, and
    /// counted per block like the WSS, so a weight of 1 has about the say of
    /// one standardised attribute. A graph without lengths counts each edge 1.
    double boundary = 0;
    /// Soft boundaries (`--respect`): for each footprint, the people outside
    /// its main unit of the layer (the unit holding most of its people) are
    /// added to the objective, each costing weight × partner_cost_scale().
    std::vector<PartnerUnits> respect;
    /// Co-terminosity (`--align`): for each unit of the layer, the people
    /// outside its main footprint are added to the objective at the same rate.
    std::vector<PartnerUnits> align;

    std::size_t size() const { return graph ? graph->size() : 0; }
    const double* row(std::size_t block) const { return attributes.data() + block * dimensions; }
    double population_of(std::size_t block) const { return population.empty() ? 1.0 : population[block]; }
};

/// What one person placed across a partner's lines adds to the objective at
/// weight 1: the total sum of squares over the total population (1 over it
/// when the attributes do not vary). So at weight 1, putting 1 % of the
/// people across the lines costs as much as 0.01 of WSS/TSS, whatever the
/// problem's size, attributes or population.
double partner_cost_scale(const ClusteringProblem& problem);

/// The partner terms of a labelling (regions numbered from 0): the people
/// outside their main unit or footprint, weighted and scaled as in the
/// objective; 0 without partner layers.
double partner_cost(const ClusteringProblem& problem, const std::vector<std::int32_t>& region);

/// Attribute weights: 0 (the attribute has no say) or within these bounds, so
/// that weighted distances neither overflow nor vanish.
constexpr double min_attribute_weight = 1e-100;
constexpr double max_attribute_weight = 1e100;

/// z-scores each column in place (population standard deviation, as PySAL
/// and GeoDa do) and multiplies it by its weight (weights empty: all 1). The
/// result does not depend on a column's scale (values of 1e200 or 1e-300
/// give what values of 1 give). A column whose values are all equal becomes
/// all 0, and its name is returned. Throws invalid_input on a non-finite
/// value (naming the column and block) or a weight that is not 0 nor
/// between min_attribute_weight and max_attribute_weight (naming the column).
std::vector<std::string> standardise(std::vector<double>& attributes, std::size_t dimensions,
                                     const std::vector<double>& weights, const std::vector<std::string>& column_names,
                                     const std::vector<std::string>& block_codes);

// -------------------------------------------------------------- algorithms

enum class ClusterMethod {
    skater,  ///< Assunção et al. 2006: prune a minimum spanning tree
    redcap,  ///< Guo 2008: full-order linkage tree, then partition like SKATER
    maxp,    ///< Duque et al. 2012 with Wei, Rey and Knaap 2021: most regions above a floor
    azp,     ///< Openshaw 1977: random contiguous start, then local improvement
    seeded   ///< grow from named town centres, balancing population
};
const char* to_string(ClusterMethod method);
/// "skater" | "redcap" | "maxp" | "azp" | "seeded"; throws invalid_input otherwise.
ClusterMethod cluster_method_from_string(const std::string& text);

enum class Linkage { single, average, complete };
const char* to_string(Linkage linkage);
/// "single" | "average" | "complete"; throws invalid_input otherwise.
Linkage linkage_from_string(const std::string& text);

enum class LocalSearch {
    greedy,     ///< AZP: moves that lower the objective, until none does
    tabu,       ///< AZP-tabu: best move each step, recent reversals forbidden
    annealing   ///< AZP-SA: worse moves accepted with falling probability
};
const char* to_string(LocalSearch search);
/// "greedy" | "tabu" | "annealing"; throws invalid_input otherwise.
LocalSearch local_search_from_string(const std::string& text);

/// Called with (done, total) in arbitrary units; from one thread at a time.
using ClusterProgress = std::function<void(std::size_t done, std::size_t total)>;

struct ClusterOptions {
    ClusterMethod method = ClusterMethod::skater;
    std::uint64_t seed = 1;
    unsigned threads = 0;              ///< 0: all cores; the result does not depend on it
    Linkage linkage = Linkage::average;  ///< redcap
    LocalSearch search = LocalSearch::annealing;  ///< azp, max-p's local search, and the refinement
    bool refine = false;               ///< run AZP local improvement on the result of any method
    std::size_t construction_tries = 100;  ///< maxp: constructions kept to the best (Wei et al.'s iterations)
    std::size_t restarts = 10;         ///< azp: random starts; the best is kept
    /// seeded: the block holding each town centre, and the town's name; the
    /// block count is the footprint count plus any rural ones.
    std::vector<std::size_t> seed_blocks;
    std::vector<std::string> seed_names;
    /// seeded: blocks further than this (m, centroid distance along the
    /// graph) from every centre form rural footprints; infinity: none.
    double rural_distance = std::numeric_limits<double>::infinity();
    /// seeded: keep at most this many rural footprints (0: all), the most
    /// populous groups of rural blocks; the others join the town footprint
    /// they touch most, and so does a group below the floor (with no floor,
    /// below the smallest town footprint). A group that touches no town (a
    /// part of a --within unit that holds none) stays a footprint of its own.
    std::size_t rural_footprints = 0;
    std::vector<Coord> block_centres;  ///< seeded: one per block (point on surface)
    /// How strongly footprints are balanced towards equal population; unset:
    /// the method's default (default_balance()). Seeded growth: 0 sends each
    /// block to the nearest town along the graph, 1 balances strongly. The
    /// attribute methods (with k): each footprint holds the mean population
    /// (total / k) give or take 1 / (2 × balance) of it, as an extra floor
    /// and ceiling (0.5: up to twice the mean; 1: 50 % to 150 %; 2: 75 % to
    /// 125 %); see population_bounds().
    std::optional<double> balance;
    ClusterProgress progress;
};

/// The balance a method runs with when none is given: 0.5 for seeded
/// growth, 0 (none) for the attribute methods.
double default_balance(ClusterMethod method);
/// options.balance, or the method's default.
double balance_of(const ClusterOptions& options);

/// The floor and ceiling cluster() holds every footprint to: the problem's,
/// tightened for the attribute methods by the balance band around the mean
/// population (see ClusterOptions::balance). Throws invalid_input for a
/// balance that is negative, or given to an attribute method without k.
std::pair<double, double> population_bounds(const ClusteringProblem& problem, const ClusterOptions& options);

struct Partition {
    std::vector<std::int32_t> region;  ///< one per block, 0 .. regions-1, every block assigned
    std::size_t regions = 0;
    /// per region: the town's name (seeded: towns in the order given, then
    /// the rural footprints), else empty
    std::vector<std::string> names;
    double wss = 0;                    ///< within-region sum of squares
    double tss = 0;                    ///< total sum of squares
    double ratio() const { return tss > 0 ? wss / tss : 0.0; }
};

/// Clusters the blocks. Every footprint is contiguous and within the floor
/// and ceiling (population_bounds()), whatever the method. Throws
/// invalid_input for a disconnected graph, k of 0 (without a floor) or above
/// the block count, bounds no partition meets (a floor above the total
/// population or above total / k, a ceiling below the largest block or
/// below total / k, k footprints or town footprints the method cannot bring
/// within them: the error names the bound and a footprint outside it), or
/// seeds that are missing, repeated or out of range.
Partition cluster(const ClusteringProblem& problem, const ClusterOptions& options);

/// The block holding each place of a point layer (e.g. town centres from
/// read_places), in the places' order. Throws invalid_input naming a place
/// that lies in no block, or two places that fall in one block.
std::vector<std::size_t> locate_places(const Layer& blocks, const Layer& places);

/// AZP local improvement of any contiguous partition; keeps contiguity, the
/// region count, the floor and the ceiling, and never raises the objective
/// (the WSS, plus the boundary term and the partner terms when asked for).
Partition refine_azp(const ClusteringProblem& problem, Partition start, const ClusterOptions& options);

/// WSS and TSS of a labelling (regions numbered from 0).
std::pair<double, double> sums_of_squares(const ClusteringProblem& problem, const std::vector<std::int32_t>& region);

// ------------------------------------------------------------------ metrics

/// The shape of a place: its size, its parts, and how compact it is.
struct ShapeMeasures {
    double area_m2 = 0;
    double perimeter_m = 0;
    std::size_t parts = 0;     ///< polygons of the shape
    double polsby_popper = 0;  ///< 4πA / P²: 1 for a circle, near 0 for a long thin or ragged shape
    double hull_ratio = 0;     ///< A / area of the convex hull: 1 for a shape without bays
};
/// Measures a (dissolved) shape; an empty shape measures 0 throughout.
ShapeMeasures measure_shape(const MultiPolygon& shape);

struct FootprintMetrics {
    std::int32_t region = 0;
    std::string name;
    std::size_t blocks = 0;
    double population = 0;
    double area_m2 = 0;
    double perimeter_m = 0;
    bool contiguous_graph = false;    ///< one connected part on the graph
    std::size_t parts = 0;            ///< polygons of the dissolved geometry
    double polsby_popper = 0;         ///< 4πA / P²
    double hull_ratio = 0;            ///< A / area of the convex hull
    double wss = 0;                   ///< this footprint's share of the within sum of squares
};

struct PartitionMetrics {
    std::vector<FootprintMetrics> footprints;  ///< by region
    std::vector<MultiPolygon> shapes;          ///< the dissolved footprints, by region
    double wss = 0, tss = 0;
    std::size_t non_contiguous = 0;            ///< footprints in more than one part (graph or geometry)
    double min_population = 0, max_population = 0;
};

/// Dissolves the blocks of each footprint and measures it. `blocks` is the
/// layer the graph was built from.
PartitionMetrics partition_metrics(const Layer& blocks, const ClusteringProblem& problem, const Partition& partition,
                                   unsigned threads = 0);

/// How footprints sit against a partner's layer, both ways, counted in people
/// over the blocks' units (PartnerUnits): a block's people are all in its
/// unit. Blocks outside every unit are not counted.
struct PartnerFit {
    std::string layer;
    double weight = 0;
    std::vector<double> footprint_people;       ///< per footprint: its people inside the layer
    std::vector<double> footprint_outside;      ///< per footprint: of them, those outside its main unit
    std::vector<std::int32_t> footprint_main;   ///< per footprint: the unit holding most of its people (-1: none)
    std::vector<double> unit_people;            ///< per unit: its people in the blocks
    std::vector<double> unit_outside;           ///< per unit: of them, those outside its main footprint
    std::vector<std::int32_t> unit_main;        ///< per unit: the footprint holding most of its people (-1: none)
    /// Share of the people who are in their footprint's main unit: 1 when
    /// every footprint lies within one unit (people-weighted "footprints in units").
    double footprints_in_units = 0;
    /// Share of the people who are in their unit's main footprint: 1 when
    /// every unit lies within one footprint ("units in footprints").
    double units_in_footprints = 0;
    /// Footprints with more than `share` of their people outside their main unit.
    std::size_t footprints_across(double share) const;
    /// Units (with people) holding at least `share` of their people in their main footprint.
    std::size_t units_within_one(double share) const;
    std::size_t units_with_people() const;
};

/// The fit of a labelling (regions numbered 0 .. regions-1) with a partner's units.
PartnerFit partner_fit(const ClusteringProblem& problem, const PartnerUnits& units, const std::vector<std::int32_t>& region,
                       std::size_t regions);

/// A footprint with more than this share of its people outside its main unit
/// is said to lie across the layer's lines.
constexpr double partner_across_share = 0.05;
/// "2 of 29 footprints have more than 5 % of their people across its lines;
/// 99.5 % of people are in their footprint's main unit"
std::string describe_respect(const PartnerFit& fit);
/// "99.1 % of its people are in their unit's main footprint; 77 of 81 units
/// lie wholly in one footprint" (wholly: at least `whole` of their people)
std::string describe_align(const PartnerFit& fit, double whole);

// ----------------------------------------------------------- alignment repair

struct RepairOptions {
    /// The share of the partner's people to bring into their unit's main
    /// footprint (PartnerFit::units_in_footprints), in (0, 1].
    double target = 0.95;
    /// Instead of a target: every block of every unit in the unit's main
    /// footprint, so that each footprint is a union of whole units (blocks
    /// outside every unit stay where they are).
    bool whole_units = false;
    /// Blocks that never move (e.g. the blocks holding town centres).
    std::vector<std::size_t> keep;
};

/// One block moved by the repair.
struct RepairMove {
    std::size_t block = 0;
    std::int32_t from = 0, to = 0;
    double people = 0;
    double units_in_footprints = 0;  ///< after the move
};

struct AlignmentRepair {
    std::vector<std::int32_t> region;  ///< the repaired labelling
    std::vector<RepairMove> moves;     ///< in the order made
    PartnerFit before, after;
    double people_moved = 0;
};

/// Moves blocks between footprints until the partner's units sit in them as
/// asked, moving as few people as it can: at each step the move that brings
/// the most people into their unit's main footprint per person moved, the
/// largest first among equals (so that few blocks move), then the lowest
/// block. A move keeps every footprint connected on the problem's graph and
/// not empty, and no footprint goes further outside the problem's floor and
/// ceiling than it was. `region` labels every block 0 .. regions-1;
/// `names` (one per region, or empty) name footprints in messages. Throws
/// invalid_input when the target cannot be reached, saying how far the
/// repair got and which units are still split.
AlignmentRepair repair_alignment(const ClusteringProblem& problem, const PartnerUnits& partner, std::vector<std::int32_t> region,
                                 std::size_t regions, const RepairOptions& options,
                                 const std::vector<std::string>& names = {});

// --------------------------------------------------------------- footprints
// One call from blocks to measured footprints, as the CLI, the C API and the
// Python module run it.

enum class Nesting {
    none,
    whole_units,   ///< footprints are made of whole units of the nest layer (e.g. divisions)
    within_units   ///< footprints never cross the nest layer's boundaries (e.g. districts)
};

struct FootprintAttribute {
    std::string name;            ///< as reported, e.g. "imd_2019_lsoa11.csv:IMD_rank"
    std::vector<double> values;  ///< one per block, raw (standardised by town_footprints)
    double weight = 1.0;
};

// ----------------------------------------------------------------- ensemble
// How stable are the footprints? An ensemble clusters the same problem N
// times under seeds derived from the request's seed (and, on request, under
// several methods), keeps as consensus the run that agrees most with all the
// others, and measures how often each block stays with its footprint's core
// and how often each shared edge is a footprint boundary.

/// A block whose stability is below this is flagged unstable.
constexpr double unstable_stability = 0.6;

struct EnsembleOptions {
    std::size_t runs = 0;  ///< 0: one run, no ensemble; else at least 2
    /// Methods of the runs, run i taking methods[i % size] (so each method
    /// gets every size-th seed); empty: the request's method. All of them
    /// use the request's k, floor, ceiling and method options.
    std::vector<ClusterMethod> methods;
};

/// One edge of the contiguity graph across the ensemble.
struct BoundaryFrequency {
    std::uint32_t a = 0, b = 0;  ///< blocks, a < b
    double shared_length = 0;    ///< m, the graph's
    double frequency = 0;        ///< share of runs in which a and b lie in different footprints
};

struct EnsembleResult {
    std::size_t runs = 0;                   ///< 0: no ensemble was run
    std::vector<ClusterMethod> methods;     ///< of each run
    std::vector<std::uint64_t> seeds;       ///< of each run (detail::stream_seed of the request's seed and i)
    std::vector<std::size_t> regions;       ///< footprint count of each run
    std::vector<double> mean_ari;           ///< each run's mean adjusted Rand index with the other runs
    std::size_t consensus_run = 0;          ///< the run with the highest mean_ari (the first on ties)
    /// Per block: the share of runs in which it lies in its consensus
    /// footprint's core. In a run, footprint F's core is F's part of the
    /// run's region R that F and R are each other's largest overlap by people
    /// (then blocks, then the lower number); a footprint with no such region
    /// has no core in that run.
    std::vector<double> stability;
    std::vector<BoundaryFrequency> boundaries;  ///< one per graph edge, in the graph's order
    std::size_t unstable_blocks = 0;        ///< stability below unstable_stability
    double unstable_population = 0;         ///< people in them (blocks without a population)
    bool unstable(std::size_t block) const { return stability[block] < unstable_stability; }
};

/// The consensus of an ensemble and what the runs say about it.
struct Ensemble {
    Partition consensus;
    EnsembleResult summary;
};

/// The adjusted Rand index (Hubert and Arabie 1985) of two labellings of the
/// same blocks: 1 for the same partition, about 0 for chance agreement. Two
/// partitions that both put every block together (or every block apart) score 1.
double adjusted_rand_index(const std::vector<std::int32_t>& a, const std::vector<std::int32_t>& b);

/// How far two partitions of the same units agree (ours against another
/// tool's, on the same data).
struct PartitionAgreement {
    std::size_t units = 0;           ///< labelled in both (the others are left out)
    std::size_t areas_a = 0, areas_b = 0;
    double adjusted_rand = 0;        ///< adjusted_rand_index over those units
    /// Areas of a and b that are each other's largest overlap (by units, the
    /// lower label on a tie): the same area, drawn a little differently.
    std::size_t matched_areas = 0;
    std::size_t identical_areas = 0;  ///< matched, with exactly the same units
    /// Units in the overlap of a matched pair: in the area that is "the
    /// same" in both. units_matched / units is the share in matching areas.
    std::size_t units_matched = 0;
};
/// Compares two labellings of the same units; a label below 0 means the
/// unit is not in that partition, and the unit is left out. Throws
/// invalid_input when the two differ in length or no unit is in both.
PartitionAgreement partition_agreement(const std::vector<std::int32_t>& a, const std::vector<std::int32_t>& b);

/// Combines labellings of the problem's blocks (every block labelled 0 ..)
/// into the consensus choice, stability and boundary frequency. The
/// consensus is labellings[summary.consensus_run]; methods, seeds are left
/// for the caller. At least one labelling.
EnsembleResult summarise_ensemble(const ClusteringProblem& problem, const std::vector<std::vector<std::int32_t>>& labellings,
                                  unsigned threads = 0);

/// Runs cluster() ensemble.runs times (run i with seed
/// detail::stream_seed(options.seed, i), on one thread each, runs in
/// parallel, combined in run order) and summarises them. Progress counts
/// finished runs. Throws invalid_input for fewer than 2 runs, seeded growth
/// in the ensemble (it does not depend on the seed, and other methods would
/// not keep its towns), or methods none of which depends on the seed
/// (skater and redcap without refine repeat one answer).
Ensemble cluster_ensemble(const ClusteringProblem& problem, const ClusterOptions& options, const EnsembleOptions& ensemble);

/// A partner's layer in the objective, with the weight of its term.
struct PartnerLayer {
    const Layer* layer = nullptr;
    double weight = 1.0;
};

struct FootprintRequest {
    ContiguityOptions contiguity;
    /// Method, seed, threads and method options. seed_blocks, seed_names and
    /// block_centres are filled from `places` for seeded growth.
    ClusterOptions cluster;
    std::size_t k = 0;
    /// Instead of k: the mean people per footprint, so that one setting
    /// carries from county to county (k = total people / mean_population,
    /// rounded, at least 1). 0: not used; never with k or seeded growth.
    double mean_population = 0;
    double min_population = 0;
    double max_population = std::numeric_limits<double>::infinity();
    double boundary = 0;  ///< ClusteringProblem::boundary
    std::vector<double> population;              ///< one per block; empty: each block counts 1
    std::vector<FootprintAttribute> attributes;  ///< at least one, except for seeded growth
    const Layer* places = nullptr;               ///< seeded: town centres (read_places)
    const Layer* nest_layer = nullptr;
    Nesting nesting = Nesting::none;
    /// runs > 0: the footprints are the ensemble's consensus, every run
    /// under the nesting rule; the result's `ensemble` says how stable they are.
    EnsembleOptions ensemble;
    /// Soft boundaries and partner alignment in the objective of every method
    /// (ClusteringProblem::respect and ::align; docs/methods/town-footprints.md
    /// says how each method uses them). Weights finite and above 0.
    std::vector<PartnerLayer> respect;
    std::vector<PartnerLayer> align;
};

struct FootprintResult {
    ContiguityGraph graph;                    ///< of the blocks
    ClusteringProblem problem;                ///< block level; points to `graph`, so do not copy the result
    Partition partition;                      ///< by block
    PartitionMetrics metrics;
    std::vector<std::string> parent;          ///< with nesting: each block's unit of the nest layer (largest share)
    std::size_t groups = 1;                   ///< parts clustered separately (nesting within units)
    EnsembleResult ensemble;                  ///< runs 0 without an ensemble
    /// What a reader must be told about the run, one sentence each: a rural
    /// footprint that a --within unit without a town forced, for instance.
    std::vector<std::string> notes;
    std::vector<PartnerFit> respect_fit;      ///< one per respected layer
    std::vector<PartnerFit> align_fit;        ///< one per aligned layer
    FootprintResult() = default;
    FootprintResult(const FootprintResult&) = delete;
    FootprintResult& operator=(const FootprintResult&) = delete;
    FootprintResult(FootprintResult&& other) noexcept;
    FootprintResult& operator=(FootprintResult&& other) noexcept;
};

/// The clustering problem over `graph` as town_footprints() makes it: the
/// request's attributes standardised and weighted, its population and
/// constraints. Throws invalid_input when an attribute or the population
/// has the wrong number of values.
ClusteringProblem problem_from_request(const ContiguityGraph& graph, const FootprintRequest& request);

/// Each block's unit of `layer`: the one holding the largest share of its
/// area (the lowest code among equals), when that share is at least
/// `min_share`; -1 otherwise. Nesting finds a block's parent this way.
std::vector<std::int32_t> block_units(const Layer& blocks, const Layer& layer, double min_share = 0, unsigned threads = 0);

/// Each block's unit of `partner`: the one holding the largest share of its
/// area (-1 when none holds any), with the units' codes and names. Throws
/// invalid_input for a weight that is not finite and above 0, or a partner
/// layer that covers none of the blocks.
PartnerUnits partner_units(const Layer& blocks, const Layer& partner, double weight, unsigned threads = 0);

/// Builds the graph, standardises the attributes, applies the nesting rule,
/// clusters and measures. Throws invalid_input for bad input (see cluster(),
/// plus a nest unit whose blocks cannot meet the floor, or fewer footprints
/// asked for than nest units to stay within).
FootprintResult town_footprints(const Layer& blocks, const FootprintRequest& request);

/// The footprints as a polygon layer (code "F01".., attribute "name").
Layer footprint_polygons(const FootprintResult& result, const std::string& crs, const std::string& name = "footprints");

/// Writes a GeoPackage (or any OGR path) with layers `footprints` (dissolved,
/// with their metrics) and `membership` (block code, footprint code and
/// name, parent unit), or for a .csv path the footprints' metrics table.
/// `styles` go to VectorWriter::set_style (render.hpp footprint_styles()
/// gives the footprints the colours and labels of the maps).
/// With an ensemble, `membership` gains each block's `stability` and
/// `unstable` (1 below unstable_stability), and a line layer
/// `boundary_frequency` holds each graph edge's shared boundary (block_a,
/// block_b, their consensus footprints, frequency, shared_m); a .csv path
/// gets those two tables beside it too (ensemble_csv_paths()).
void write_footprints(const FootprintResult& result, const Layer& blocks, const std::string& path,
                      const std::vector<LayerStyle>& styles = {});

/// Where write_footprints() puts an ensemble's membership and boundary
/// frequency tables beside a .csv output: "F_membership.csv" and
/// "F_boundary_frequency.csv" for "F.csv".
std::vector<std::string> ensemble_csv_paths(const std::string& csv_path);

// ------------------------------------------------------------ functional areas

/// People who live in unit `from` and work in unit `to` (indices into a
/// graph's units); from == to: those who work where they live. One end (never
/// both) may be `outside`, a place beyond the units: those people count among
/// the residents in work of `from` or the jobs of `to`, so that an area's
/// self-containment is not overstated by leaving out who crosses the edge.
struct Flow {
    static constexpr std::uint32_t outside = std::numeric_limits<std::uint32_t>::max();
    std::uint32_t from = 0, to = 0;
    double people = 0;
    /// One end is `outside`: the flow counts in a total, but ties no two units.
    bool crosses_edge() const { return from == outside || to == outside; }
};

/// How the least valid area gives up its units.
enum class Regrouping {
    /// Coombes & Bond (2008), as ONS built the 2011 TTWAs: the area is
    /// dissolved whole, and each of its units goes to the area it is most tied to.
    whole_area,
    /// Istat's labour market areas (Franconi, D'Alò and Ichim): one unit
    /// leaves, the one with the most commuters in from beyond the area and
    /// out of itself; the rest of the area stays together.
    one_unit
};
const char* to_string(Regrouping regrouping);
/// "whole_area" | "one_unit"; throws invalid_input otherwise.
Regrouping regrouping_from_string(const std::string& text);

/// The validity rule of functional areas (Coombes & Bond's "X-equation").
/// Self-containment is the lesser of the supply side (residents in work who
/// work in the area) and the demand side (jobs filled by residents). An area
/// of at least `target_size` residents in work needs `min_containment`; one
/// of `min_size` needs `target_containment`; in between the need follows the
/// X-equation's trade-off (required_containment); below `min_size` no area is
/// valid.
struct FunctionalAreaRules {
    double min_size = 3500;
    double target_size = 25000;
    double min_containment = 0.667;
    double target_containment = 0.75;
    Regrouping regrouping = Regrouping::whole_area;
    /// "ttwa2011" (the values above: ONS travel-to-work areas, 2011, an area
    /// dissolved whole) or "istat" (1,000, 10,000, 0.6667, 0.75, one unit at
    /// a time: Istat's labour market areas). Throws invalid_input otherwise.
    static FunctionalAreaRules preset(const std::string& name);
    /// The preset `name` with each value that is given (not NaN; a regrouping
    /// not empty, read by regrouping_from_string) in place of the preset's,
    /// then checked: what every front end asks for when it takes a preset and
    /// changes some of its values.
    static FunctionalAreaRules preset(const std::string& name, double min_size, double target_size,
                                      double min_containment, double target_containment,
                                      const std::string& regrouping = {});
    /// Throws invalid_input for sizes that are not 0 < min_size < target_size, or
    /// shares that are not 0 < min_containment <= target_containment <= 1.
    void check() const;
};

/// The self-containment an area of `size` residents in work needs: infinity
/// below min_size, min_containment / Z between the sizes, where Z rises in a
/// straight line from min_containment / target_containment at min_size to 1
/// at target_size.
double required_containment(double size, const FunctionalAreaRules& rules);
/// An area's validity, the X-equation's score: min(containment /
/// target_containment, 1) x Z x target_containment / min_containment, with Z
/// as above (going on falling below min_size, and 1 beyond target_size). At
/// least 1 exactly when the area meets the rule; the least valid area is the
/// one with the lowest value. It stops growing once the area is
/// target_containment self-contained: beyond that, more self-containment is
/// not more valid, so a unit that keeps its area that self-contained never
/// lowers its validity.
double area_validity(double size, double containment, const FunctionalAreaRules& rules);

struct FunctionalArea {
    std::vector<std::uint32_t> units;  ///< in unit order
    double residents = 0;  ///< residents in work (flows from its units)
    double jobs = 0;       ///< jobs (flows to its units)
    double internal = 0;   ///< flows from its units to its units
    double supply_containment() const { return residents > 0 ? internal / residents : 0; }
    double demand_containment() const { return jobs > 0 ? internal / jobs : 0; }
    double containment() const { return std::min(supply_containment(), demand_containment()); }
    double validity = 0;  ///< area_validity of its residents and containment
    bool valid() const { return validity >= 1; }
};

/// A unit that would have lowered the validity of the area it was tied to
/// most (or had no tie to any area it touches): set aside, and placed once
/// every area is valid, without the rule.
struct ReservedUnit {
    std::uint32_t unit = 0;
    std::int32_t area = -1;  ///< where it went, or -1 (it touches no area)
};

struct FunctionalAreas {
    std::vector<std::int32_t> area_of;  ///< per unit: its area
    std::vector<FunctionalArea> areas;  ///< numbered by their first unit
    std::vector<ReservedUnit> reserve;  ///< in the order they were set aside
    std::vector<std::uint32_t> without_flows;  ///< units nobody lives or works in: placed as the reserve is
    std::size_t dissolved = 0;          ///< areas dissolved on the way
    std::size_t invalid() const;        ///< areas that do not meet the rule
};

/// Functional areas (travel-to-work areas) from commuting flows by Coombes &
/// Bond's iterative procedure, contiguous by construction: every unit starts
/// as an area; while some area fails the rule, the least valid is dissolved
/// and each of its units joins the area it touches (on `graph`) to which it
/// has the strongest tie, T(u,B)^2 / (R_u J_B) + T(B,u)^2 / (R_B J_u) (flows
/// both ways over the residents in work R and jobs J of each side), or goes
/// to the reserve when joining would lower that area's validity. Areas only
/// grow by units they touch and are dissolved whole, so an area is never in
/// pieces; an area that touches no other (a separate component of the
/// graph) is left as it is. The reserve, then the units without flows, are
/// placed last, each in the touching area of its strongest tie (of the
/// longest shared boundary when it has no tie). Deterministic: ties go to the
/// lower index. Flows must index the graph's units (or Flow::outside at one
/// end) with people >= 0 (the pipeline reads and checks the table).
FunctionalAreas functional_areas(const ContiguityGraph& graph, const std::vector<Flow>& flows,
                                 const FunctionalAreaRules& rules, const ClusterProgress& progress = {});

/// `graph` with each unit that has no neighbour linked to the unit it sends
/// most commuters to (else receives most from), so that an island joins the
/// area its people work in. The links are added to `joined` (with no shared
/// length); the rest of the graph, its lengths and snap are kept.
ContiguityGraph join_islands_by_flows(const ContiguityGraph& graph, const std::vector<Flow>& flows);

}  // namespace clustering
}  // namespace placedef
