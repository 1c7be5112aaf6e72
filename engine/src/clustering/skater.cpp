// SKATER (Assunção, Neves, Câmara and Freitas 2006): the minimum spanning
// tree of the contiguity graph under attribute distance, cut into regions.
#include "detail/local_search.hpp"
#include "detail/methods.hpp"
#include "detail/regions.hpp"
#include "detail/spanning_tree.hpp"

namespace placedef::detail {

// O(E log E) for the tree; each cut then costs O(m·d) for the tree of m
// blocks it splits: O(n·d·log k) when cuts split evenly, O(n·d·k) at worst.
Partition skater(const ClusteringProblem& problem, const ClusterOptions& options) {
    require_connected(*problem.graph);
    Partition partition = partition_tree(problem, minimum_spanning_tree(problem, options.threads), options);
    meet_bounds(problem, options, partition);
    return partition;
}

}  // namespace placedef::detail
