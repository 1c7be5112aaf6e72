// Clustering problems for benchmarks and tests, independent of placedef's own
// graph builder: the text format written by bench/surrey_problem.py, and a
// synthetic lattice for scale runs.
#pragma once

#include "placedef/clustering.hpp"
#include "placedef/error.hpp"

#include <cmath>
#include <cstdint>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace placedef::bench {

/// A problem that owns its graph (ClusteringProblem only points to one).
struct OwnedProblem {
    std::unique_ptr<ContiguityGraph> graph;
    ClusteringProblem problem;
};

/// Reads "n d", n rows "code population x_1..x_d", "m", m rows "i j".
inline OwnedProblem read_problem_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw io_error("cannot open problem file '" + path + "'");
    std::size_t n = 0, d = 0, m = 0;
    in >> n >> d;
    OwnedProblem owned;
    std::vector<std::string> codes(n);
    owned.problem.dimensions = d;
    owned.problem.attributes.resize(n * d);
    owned.problem.population.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        in >> codes[i] >> owned.problem.population[i];
        for (std::size_t k = 0; k < d; ++k) in >> owned.problem.attributes[i * d + k];
    }
    in >> m;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> edges(m);
    for (auto& [a, b] : edges) in >> a >> b;
    if (!in) throw io_error("problem file '" + path + "' is truncated or malformed");
    owned.graph = std::make_unique<ContiguityGraph>(graph_from_edges(std::move(codes), edges));
    owned.problem.graph = owned.graph.get();
    return owned;
}

/// A rows × cols lattice with queen (or rook) neighbours, `dimensions`
/// attributes that vary smoothly across it plus noise (so that regions have
/// something to find), and populations of 1,000..2,399 people; z-scored.
inline OwnedProblem lattice_problem(std::size_t rows, std::size_t cols, std::size_t dimensions, std::uint64_t seed,
                                    bool queen = true) {
    std::mt19937_64 random(seed);
    auto unit = [&] { return static_cast<double>(random() >> 11) * 0x1.0p-53; };
    const std::size_t n = rows * cols;
    OwnedProblem owned;
    std::vector<std::string> codes(n);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
    owned.problem.dimensions = dimensions;
    owned.problem.attributes.resize(n * dimensions);
    owned.problem.population.resize(n);
    std::vector<double> phase(dimensions * 2);
    for (double& p : phase) p = unit() * 6.283185307179586;
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c) {
            const std::size_t i = r * cols + c;
            codes[i] = "G" + std::to_string(i);
            owned.problem.population[i] = 1000 + std::floor(unit() * 1400);
            for (std::size_t k = 0; k < dimensions; ++k)
                owned.problem.attributes[i * dimensions + k] =
                    std::sin(static_cast<double>(r) / 9.0 + phase[2 * k]) + std::cos(static_cast<double>(c) / 7.0 + phase[2 * k + 1]) +
                    0.5 * unit();
            auto link = [&](std::size_t rr, std::size_t cc) {
                edges.emplace_back(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(rr * cols + cc));
            };
            if (c + 1 < cols) link(r, c + 1);
            if (r + 1 < rows) link(r + 1, c);
            if (queen && r + 1 < rows && c + 1 < cols) link(r + 1, c + 1);
            if (queen && r + 1 < rows && c > 0) link(r + 1, c - 1);
        }
    std::vector<std::string> names;
    standardise(owned.problem.attributes, dimensions, {}, names, codes);
    owned.graph = std::make_unique<ContiguityGraph>(graph_from_edges(std::move(codes), edges));
    owned.problem.graph = owned.graph.get();
    return owned;
}

}  // namespace placedef::bench
