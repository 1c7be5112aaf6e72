// The clustering methods behind cluster(). Each receives a problem that
// cluster() has validated (connected graph, 1 <= k <= n when k is set, a
// floor no larger than the total population) and returns a partition with
// every block labelled; cluster() then renumbers the regions canonically and
// fills the sums of squares.
#pragma once

#include "placedef/clustering.hpp"

namespace placedef::detail {

Partition skater(const ClusteringProblem& problem, const ClusterOptions& options);
Partition redcap(const ClusteringProblem& problem, const ClusterOptions& options);
Partition max_p(const ClusteringProblem& problem, const ClusterOptions& options);
/// AZP as a method: a random contiguous start of k regions, then local search.
Partition azp(const ClusteringProblem& problem, const ClusterOptions& options);
Partition seeded_growth(const ClusteringProblem& problem, const ClusterOptions& options);
/// Brings a partition that its method built without the partner terms
/// (SKATER, REDCAP, seeded growth) to them by local search (partner_pass.cpp).
Partition follow_partners(const ClusteringProblem& problem, Partition partition, const ClusterOptions& options);

/// cluster() for seeded growth on a graph in separate parts: town_footprints()
/// grows towns within the units of a --within layer on the blocks' graph cut
/// at the units' boundaries, so that the rural rule holds for the whole run.
/// Blocks no town can reach form rural footprints.
Partition cluster_seeded_in_parts(const ClusteringProblem& problem, const ClusterOptions& options);

}  // namespace placedef::detail
