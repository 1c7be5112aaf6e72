// The ensemble loop behind cluster_ensemble() and town_footprints(): the
// caller says how one run makes its partition (cluster() alone, or under a
// nesting rule); the loop derives each run's method and seed, runs them in
// parallel and combines them in run order.
#pragma once

#include "placedef/clustering.hpp"

#include <functional>

namespace placedef::detail {

/// Makes one run's partition from the run's options (method, seed, one thread, no progress).
using RunPartition = std::function<Partition(const ClusterOptions& run_options)>;

/// Checks the ensemble options (see cluster_ensemble()), runs `partition`
/// once per run and summarises the runs; the consensus is the chosen run's partition.
Ensemble run_ensemble(const ClusteringProblem& problem, const ClusterOptions& options, const EnsembleOptions& ensemble,
                      const RunPartition& partition);

}  // namespace placedef::detail
