// Hand-drawn clustering problems and block layers for the clustering unit
// tests: small enough that their best partitions can be worked out on paper.
#pragma once

#include "hand_layers.hpp"
#include "problem_file.hpp"

#include "placedef/clustering.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace placedef::test {

using Edges = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

/// One attribute per block (`values`) over `edges` between blocks "B0",
/// "B1", ...; `population` holds one value per block, or is empty (each
/// block counts one).
inline bench::OwnedProblem hand_problem(std::vector<double> values, const Edges& edges,
                                        std::vector<double> population = {}) {
    std::vector<std::string> codes;
    for (std::size_t i = 0; i < values.size(); ++i) codes.push_back("B" + std::to_string(i));
    bench::OwnedProblem owned;
    owned.graph = std::make_unique<ContiguityGraph>(graph_from_edges(std::move(codes), edges));
    owned.problem.graph = owned.graph.get();
    owned.problem.attributes = std::move(values);
    owned.problem.dimensions = 1;
    owned.problem.population = std::move(population);
    return owned;
}

/// The edges of the chain 0 - 1 - ... - (n-1).
inline Edges chain_edges(std::size_t n) {
    Edges edges;
    for (std::uint32_t i = 0; i + 1 < n; ++i) edges.emplace_back(i, i + 1);
    return edges;
}

/// The rook edges of a rows x cols lattice, blocks numbered row-major.
inline Edges lattice_edges(std::size_t rows, std::size_t cols) {
    Edges edges;
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c) {
            const auto block = static_cast<std::uint32_t>(r * cols + c);
            if (c + 1 < cols) edges.emplace_back(block, block + 1);
            if (r + 1 < rows) edges.emplace_back(block, static_cast<std::uint32_t>(block + cols));
        }
    return edges;
}

/// 0, 1, ..., n-1: an attribute equal to each block's index.
inline std::vector<double> block_indices(std::size_t n) {
    std::vector<double> values;
    for (std::size_t i = 0; i < n; ++i) values.push_back(static_cast<double>(i));
    return values;
}

/// AZP with the given local search, seed and thread count.
inline Partition azp(const ClusteringProblem& problem, LocalSearch search, std::uint64_t seed, unsigned threads = 2) {
    ClusterOptions options;
    options.method = ClusterMethod::azp;
    options.search = search;
    options.seed = seed;
    options.threads = threads;
    return cluster(problem, options);
}

/// Squares of `side` metres in rows x cols, row-major from the south-west,
/// with `gap` metres between neighbours; codes "r<row>c<col>".
inline Layer square_grid(std::size_t rows, std::size_t cols, double side = 100, double gap = 0) {
    std::vector<std::pair<std::string, std::string>> units;
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c) {
            const double x = static_cast<double>(c) * (side + gap), y = static_cast<double>(r) * (side + gap);
            units.emplace_back("r" + std::to_string(r) + "c" + std::to_string(c), box_wkt(x, y, x + side, y + side));
        }
    return hand_layer("squares", units);
}

}  // namespace placedef::test
