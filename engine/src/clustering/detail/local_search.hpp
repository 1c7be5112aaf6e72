// The move machinery shared by AZP, max-p, the AZP refinement and the
// partner post-pass: a block on the edge of a region moves to a neighbouring
// region when the search says so, provided it is not pinned, its region keeps
// at least one block and stays connected, and neither region moves further
// outside the floor and ceiling. The objective is the WSS, plus the boundary
// term when the problem has one (ClusteringProblem::boundary; counted in
// what is called the WSS here), plus the partner terms
// (ClusteringProblem::respect and ::align). The change a move makes costs
// O(d) through RegionSums, O(degree) for the boundary term and O(1) per
// partner layer through PartnerTerms.
#pragma once

#include "placedef/clustering.hpp"

#include "partner_table.hpp"
#include "random.hpp"
#include "regions.hpp"

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace placedef::detail {

/// The seed of the index-th independent stream of a run (a restart, a
/// construction try): a splitmix64 mix of both, so that neighbouring indices
/// give unrelated sequences and no stream depends on the thread that runs it.
std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t index);

/// "a floor of 25000 people and a ceiling of 40000 people", for error messages.
std::string describe_bounds(const ClusteringProblem& problem);

/// Forwards (done, total) to ClusterOptions::progress from parallel workers,
/// one call at a time.
class ProgressCounter {
public:
    ProgressCounter(const ClusterProgress& progress, std::size_t total) : m_progress(progress), m_total(total) {}
    void advance(std::size_t steps = 1);

private:
    const ClusterProgress& m_progress;
    std::size_t m_total;
    std::size_t m_done = 0;
    std::mutex m_mutex;
};

/// A labelling under local search: the sums and WSS of every region, the
/// partner tables, the moves made since the best labelling seen (to return
/// to it), and scratch space for the contiguity test. The best is the one
/// with the least total violation of the floor and ceiling, then the least
/// cost (WSS plus partner terms).
class MoveState {
public:
    /// `region` labels every block 0 .. regions-1.
    MoveState(const ClusteringProblem& problem, std::vector<std::int32_t> region, std::size_t regions);

    const ClusteringProblem& problem() const { return m_problem; }
    const std::vector<std::int32_t>& labels() const { return m_region; }
    std::size_t regions() const { return m_sums.size(); }
    std::int32_t region_of(std::size_t block) const { return m_region[block]; }
    std::size_t region_size(std::int32_t region) const { return sums(region).count(); }
    double region_population(std::int32_t region) const { return sums(region).population(); }
    double wss() const { return m_wss; }
    /// The objective: the WSS plus the partner terms.
    double cost() const { return m_wss + m_partner_cost; }
    double best_cost() const { return m_best_wss + m_best_partner_cost; }
    const PartnerTerms& partners() const { return m_partners; }
    /// These blocks never move (seeded growth's town centres).
    void pin(const std::vector<std::size_t>& blocks);

    /// How far the regions' populations lie outside [floor, ceiling], summed; 0 when all are inside.
    double total_violation() const;

    /// Change in the cost if `block` moved to region `to`.
    double delta(std::size_t block, std::int32_t to) const;
    /// delta() split for trying several targets: what leaving costs (or
    /// saves) in WSS, then the rest for target `to` (the WSS of joining it,
    /// and the partner terms' change for the whole move).
    double leave_delta(std::size_t block) const;
    double join_delta(std::size_t block, std::int32_t to) const;
    /// Change in the total violation if `block` moved to region `to`.
    double violation_delta(std::size_t block, std::int32_t to) const;
    /// Whether `block` may move to `to` as far as pins, sizes and bounds go:
    /// it is not pinned, its region keeps a block, and neither region ends
    /// further outside the floor or ceiling than it was. Contiguity is the
    /// separate, costlier test.
    bool bounds_allow(std::size_t block, std::int32_t to) const;
    bool pinned(std::size_t block) const { return !m_pinned.empty() && m_pinned[block]; }
    /// Whether the block's region stays connected without it. A block found
    /// to hold its region together is not searched again until a block joins
    /// that region or a neighbour of it leaves (only those can change the
    /// answer): the sweeps offer the same such blocks again and again, and
    /// their searches were most of the local search's time.
    bool keeps_contiguity(std::size_t block);

    /// The distinct regions, other than its own, that `block` touches.
    void neighbour_regions(std::size_t block, std::vector<std::int32_t>& out) const;

    /// Moves `block` to `to` (the caller has checked the move) and records
    /// a new best labelling when it is better than the best seen.
    void move(std::size_t block, std::int32_t to);
    /// Takes the current labelling as the best, whatever its cost (after a
    /// repair that traded cost for feasibility).
    void mark_best();
    /// Undoes the moves made since the best labelling seen.
    void return_to_best();
    /// A cost change smaller than this is rounding, not an improvement.
    double improvement_tolerance() const;

private:
    void shift(std::size_t block, std::int32_t to);  ///< move without the bookkeeping of the best
    const RegionSums& sums(std::int32_t region) const { return m_sums[static_cast<std::size_t>(region)]; }
    double bound_violation(double population) const;
    /// The boundary term's cost of the block's edges into `region`.
    double boundary_into(std::size_t block, std::int32_t region) const;

    const ClusteringProblem& m_problem;
    std::vector<std::int32_t> m_region;
    std::vector<RegionSums> m_sums;
    std::vector<double> m_region_wss;
    std::vector<double> m_lengths;  ///< boundary term: per neighbour-list entry (empty without the term)
    double m_per_length = 0;        ///< boundary term: cost of a unit of m_lengths between regions
    PartnerTerms m_partners;
    std::vector<bool> m_pinned;  ///< empty: none
    double m_wss = 0, m_partner_cost = 0, m_violation = 0;
    double m_best_wss = 0, m_best_partner_cost = 0, m_best_violation = 0;
    std::vector<std::pair<std::uint32_t, std::int32_t>> m_since_best;  ///< (block, region it left)
    ConnectivityCheck m_connectivity;
    std::vector<std::uint32_t> m_region_changes;  ///< per region: blocks that joined it so far
    /// per block: 1 + m_region_changes of its region when it was found to hold
    /// the region together (0: not known); the block's region has not changed since
    std::vector<std::uint32_t> m_holds_together_at;
};

/// Moves blocks between neighbouring regions, each lowering the total floor
/// and ceiling violation or evening out two populations without raising it
/// (the cheapest first), until the violation is gone or no move is left;
/// keeps contiguity, pins and the region count. The result is the state's
/// new best, whatever its cost.
void repair_bounds(MoveState& state, Random& random);

/// Brings every region of `partition` (contiguous, labels 0 .. regions-1)
/// within the problem's floor and ceiling, for the methods whose
/// construction cannot promise it (SKATER and REDCAP cut a tree, seeded
/// growth follows distance): first by repair_bounds' moves restricted to
/// those that carry people towards the regions outside the bounds (regions
/// far from them keep their shape), then, if that stalls, by repair_bounds
/// itself in up to 8 random orders. Blocks marked in `fixed` (seeded growth:
/// the town centres) are pinned; empty: none. Throws invalid_input naming the
/// method, the bounds and the footprint furthest outside them when moves
/// cannot do it. Leaves a partition already within the bounds untouched.
void meet_bounds(const ClusteringProblem& problem, const ClusterOptions& options, Partition& partition,
                 const std::vector<bool>& fixed = {});

/// The local search `search` from the state's labelling. The state ends on
/// the best labelling seen: its cost is never above the start's, every region
/// keeps at least one block and its contiguity, pinned blocks stay, and no
/// region moves further outside the floor or ceiling.
void local_search(MoveState& state, LocalSearch search, Random& random);

/// A labelling and how good it is, for choosing among restarts.
struct Candidate {
    std::vector<std::int32_t> region;
    std::size_t regions = 0;
    double violation = 0;
    double cost = 0;  ///< WSS plus partner terms
};

/// The best of `candidates`: least violation, then least cost, then first.
/// `candidates` is not empty.
std::size_t best_candidate(const std::vector<Candidate>& candidates);

}  // namespace placedef::detail
