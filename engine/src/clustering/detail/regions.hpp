// Shared bookkeeping of the clustering algorithms: per-region attribute sums
// (so the within sum of squares and the change a move makes cost O(d)), and
// the contiguity test a move must pass.
#pragma once

#include "placedef/clustering.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace placedef::detail {

/// Sums of one region: count, population, and per dimension the sum and the
/// sum of squares of the attributes. WSS = Σ_d (sumsq_d − sum_d² / count).
class RegionSums {
public:
    explicit RegionSums(std::size_t dimensions = 0) : m_sum(dimensions, 0.0), m_sumsq(dimensions, 0.0) {}
    void add(const ClusteringProblem& problem, std::size_t block, double sign = 1.0);
    void remove(const ClusteringProblem& problem, std::size_t block) { add(problem, block, -1.0); }
    double wss() const;
    /// WSS of the region with `block` added (sign +1) or removed (sign −1),
    /// without changing it.
    double wss_with(const ClusteringProblem& problem, std::size_t block, double sign) const;
    std::size_t count() const { return m_count; }
    double population() const { return m_population; }
    const std::vector<double>& sum() const { return m_sum; }

private:
    std::size_t m_count = 0;
    double m_population = 0;
    std::vector<double> m_sum, m_sumsq;
};

/// The boundary term's length of each entry of the graph's neighbour list:
/// the shared length, or 1 for every edge of a graph without lengths.
std::vector<double> boundary_lengths(const ContiguityGraph& graph);
/// What a unit of those lengths between two regions costs in the objective
/// (ClusteringProblem::boundary); 0 without the term.
double boundary_cost_per_length(const ClusteringProblem& problem, const std::vector<double>& lengths);

/// What every method minimises, of a labelling (regions numbered from 0): the
/// WSS, the boundary term and the partner terms, as MoveState::cost() counts
/// them, so that constructions, restarts and refinements are ranked alike.
double objective_of(const ClusteringProblem& problem, const std::vector<std::int32_t>& region);

/// Sums of every region of a labelling (regions numbered 0 .. regions-1; a
/// negative label is "not yet assigned" and is left out).
std::vector<RegionSums> region_sums(const ClusteringProblem& problem, const std::vector<std::int32_t>& region,
                                    std::size_t regions);

/// Whether a region stays connected when one of its blocks leaves it. The
/// search starts from each of the block's neighbours in the region at once,
/// each taking one step in turn, and searches that meet merge; the first to
/// run out of blocks before meeting the rest has found a piece that the move
/// would cut off. A move that keeps the region whole costs about the blocks
/// between those neighbours, one that cuts a small piece off a large region
/// about that piece, never the whole region (the local searches' hot spot).
class ConnectivityCheck {
public:
    explicit ConnectivityCheck(std::size_t blocks) : m_visited_in(blocks, 0), m_search_of(blocks, 0) {}
    /// `block` is a member of its region in `region`.
    bool stays_connected(const ContiguityGraph& graph, const std::vector<std::int32_t>& region, std::size_t block);

private:
    std::uint32_t root(std::uint32_t search);
    void merge(std::uint32_t into, std::uint32_t other);

    std::vector<std::uint32_t> m_visited_in;  ///< per block: the check that visited it (m_check)
    std::vector<std::uint32_t> m_search_of;   ///< per visited block: the search that reached it first
    std::uint32_t m_check = 0;
    std::vector<std::uint32_t> m_starts;                ///< the block's neighbours in its region
    std::vector<std::vector<std::uint32_t>> m_queues;   ///< per search; a merged search's is empty
    std::vector<std::size_t> m_heads;                   ///< per search: the next block of its queue to expand
    std::vector<std::uint32_t> m_parent;                ///< union-find over the searches
};

/// Number of connected parts of each region on the graph.
std::vector<std::size_t> region_parts(const ContiguityGraph& graph, const std::vector<std::int32_t>& region,
                                      std::size_t regions);

/// Throws invalid_input unless the graph is one component (naming the count
/// and the smallest component's first block).
void require_connected(const ContiguityGraph& graph);

/// Renumbers regions 0.. in order of their lowest block, so that equal
/// partitions compare equal whatever order a method found them in.
std::size_t canonical_labels(std::vector<std::int32_t>& region);

}  // namespace placedef::detail
