// The half that SKATER and REDCAP share. Both reduce the contiguity graph to a
// spanning tree - SKATER the minimum one over attribute distances, REDCAP the
// one its full-order linkage merges leave behind - and then cut that tree
// into regions the same way: each step removes the tree edge whose removal
// lowers the within-region sum of squares the most.
#pragma once

#include "placedef/clustering.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace placedef::detail {

/// An undirected edge between two blocks.
struct BlockEdge {
    std::uint32_t a = 0, b = 0;
};

/// Every edge of the graph once, as (a, b) with a < b, in neighbour-list
/// order. An edge's position in this list is its index, which breaks ties
/// between equal lengths everywhere in SKATER and REDCAP.
std::vector<BlockEdge> graph_edges(const ContiguityGraph& graph);

/// The Euclidean distance between the attribute rows of each edge's blocks,
/// computed in parallel (the values do not depend on the thread count).
std::vector<double> edge_lengths(const ClusteringProblem& problem, const std::vector<BlockEdge>& edges, unsigned threads);

/// The minimum spanning tree of the problem's (connected) graph under
/// edge_lengths(), by Kruskal: equal lengths are taken in edge-index order,
/// so the tree is unique. O(E log E).
std::vector<BlockEdge> minimum_spanning_tree(const ClusteringProblem& problem, unsigned threads);

/// REDCAP's spanning tree (Guo 2008, full order): agglomerative clustering
/// under contiguity with options.linkage taken over all member pairs of two
/// adjacent clusters; each merge adds the shortest graph edge between the
/// two (ties: lower edge index). At most n(n-1)/2 distance evaluations, in
/// parallel with options.threads; the tree does not depend on it.
std::vector<BlockEdge> full_order_linkage_tree(const ClusteringProblem& problem, const ClusterOptions& options);

/// The cuts partition_tree() expects to make: k - 1, or with k = 0 the most
/// the floor allows (total population / floor, less one). For progress.
std::size_t planned_cuts(const ClusteringProblem& problem);

/// Cuts a spanning tree of the problem's blocks into regions, SKATER's way
/// (Assunção et al. 2006):
///  - each step removes the edge that lowers the within-region sum of
///    squares the most, over all trees, among the cuts that leave both sides
///    with at least problem.min_population people (ties: lower index in
///    `tree`);
///  - a region above problem.max_population is cut first (the largest
///    first), by the cut whose two sides need the fewest further regions to
///    meet the ceiling, then by the fall in the sum of squares;
///  - when no cut leaves both sides above the floor, the cut that leaves
///    them least short of it is made, but only to reach k or to split a
///    region above the ceiling: with k = 0 the floor decides how many
///    regions there are;
///  - it stops at problem.k regions (k = 0: when no cut is left to make).
/// The regions may still lie outside the floor or ceiling; skater() and
/// redcap() then move blocks with meet_bounds(), which says so when it
/// cannot bring them within. k is never exceeded.
/// Each cut re-scores only the two trees it makes, one depth-first pass each
/// (subtree count, population and attribute sums; every cut of a tree of m
/// blocks is scored in O(m·d) from them). Trees of many blocks are scored in
/// parallel with options.threads; the result does not depend on it.
/// options.progress sees (progress_done + cuts, progress_done + planned_cuts()).
/// Fills wss and tss of the returned partition.
Partition partition_tree(const ClusteringProblem& problem, const std::vector<BlockEdge>& tree,
                         const ClusterOptions& options, std::size_t progress_done = 0);

}  // namespace placedef::detail
