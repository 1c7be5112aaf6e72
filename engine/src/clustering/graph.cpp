// The graph type and the pieces of the problem every method shares.
#include "placedef/clustering.hpp"
#include "placedef/choice.hpp"

#include "placedef/error.hpp"

#include "detail/regions.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace placedef {
inline namespace clustering {

const char* to_string(Adjacency adjacency) { return adjacency == Adjacency::queen ? "queen" : "rook"; }

const char* to_string(ClusterMethod method) {
    switch (method) {
        case ClusterMethod::skater: return "skater";
        case ClusterMethod::redcap: return "redcap";
        case ClusterMethod::maxp: return "maxp";
        case ClusterMethod::azp: return "azp";
        case ClusterMethod::seeded: return "seeded";
    }
    return "skater";
}

ClusterMethod cluster_method_from_string(const std::string& text) {
    return choice_from_string(text, "clustering method",
                              std::array{ClusterMethod::skater, ClusterMethod::redcap, ClusterMethod::maxp,
                                         ClusterMethod::azp, ClusterMethod::seeded});
}

Linkage linkage_from_string(const std::string& text) {
    return choice_from_string(text, "linkage", std::array{Linkage::single, Linkage::average, Linkage::complete});
}

LocalSearch local_search_from_string(const std::string& text) {
    return choice_from_string(text, "local search",
                              std::array{LocalSearch::greedy, LocalSearch::tabu, LocalSearch::annealing});
}

Adjacency adjacency_from_string(const std::string& text) {
    return choice_from_string(text, "adjacency", std::array{Adjacency::queen, Adjacency::rook});
}

const char* to_string(Linkage linkage) {
    switch (linkage) {
        case Linkage::single: return "single";
        case Linkage::average: return "average";
        case Linkage::complete: return "complete";
    }
    return "average";
}

const char* to_string(LocalSearch search) {
    switch (search) {
        case LocalSearch::greedy: return "greedy";
        case LocalSearch::tabu: return "tabu";
        case LocalSearch::annealing: return "annealing";
    }
    return "annealing";
}

bool ContiguityGraph::adjacent(std::size_t a, std::size_t b) const {
    return std::binary_search(begin(a), end(a), static_cast<std::uint32_t>(b));
}

ContiguityGraph graph_from_edges(std::vector<std::string> codes,
                                 const std::vector<std::pair<std::uint32_t, std::uint32_t>>& edges,
                                 const std::vector<double>& lengths) {
    if (!lengths.empty() && lengths.size() != edges.size())
        throw invalid_input("graph_from_edges: " + std::to_string(lengths.size()) + " lengths for " +
                            std::to_string(edges.size()) + " edges");
    const std::size_t n = codes.size();
    struct Arc {
        std::uint32_t from, to;
        double length;
    };
    std::vector<Arc> arcs;
    arcs.reserve(edges.size() * 2);
    for (std::size_t e = 0; e < edges.size(); ++e) {
        const auto [a, b] = edges[e];
        if (a >= n || b >= n)
            throw invalid_input("graph_from_edges: edge " + std::to_string(a) + "-" + std::to_string(b) +
                                " names a block beyond the " + std::to_string(n) + " given");
        if (a == b) continue;
        const double length = lengths.empty() ? 0.0 : lengths[e];
        arcs.push_back({a, b, length});
        arcs.push_back({b, a, length});
    }
    std::sort(arcs.begin(), arcs.end(), [](const Arc& l, const Arc& r) {
        return l.from < r.from || (l.from == r.from && (l.to < r.to || (l.to == r.to && l.length > r.length)));
    });
    arcs.erase(std::unique(arcs.begin(), arcs.end(), [](const Arc& l, const Arc& r) { return l.from == r.from && l.to == r.to; }),
               arcs.end());
    ContiguityGraph graph;
    graph.codes = std::move(codes);
    graph.offsets.assign(n + 1, 0);
    for (const Arc& arc : arcs) {
        ++graph.offsets[arc.from + 1];
        graph.neighbours.push_back(arc.to);
        graph.shared_length.push_back(arc.length);
    }
    for (std::size_t i = 0; i < n; ++i) graph.offsets[i + 1] += graph.offsets[i];
    graph.component.assign(n, 0);
    std::vector<bool> seen(n, false);
    std::vector<std::uint32_t> queue;
    for (std::size_t i = 0; i < n; ++i) {
        if (graph.degree(i) == 0) graph.islands.push_back(static_cast<std::uint32_t>(i));
        if (seen[i]) continue;
        const auto label = static_cast<std::uint32_t>(graph.component_count++);
        seen[i] = true;
        queue.assign(1, static_cast<std::uint32_t>(i));
        for (std::size_t head = 0; head < queue.size(); ++head) {
            graph.component[queue[head]] = label;
            for (const std::uint32_t* m = graph.begin(queue[head]); m != graph.end(queue[head]); ++m)
                if (!seen[*m]) {
                    seen[*m] = true;
                    queue.push_back(*m);
                }
        }
    }
    return graph;
}

std::vector<std::string> standardise(std::vector<double>& attributes, std::size_t dimensions,
                                     const std::vector<double>& weights, const std::vector<std::string>& column_names,
                                     const std::vector<std::string>& block_codes) {
    if (dimensions == 0) return {};
    if (attributes.size() % dimensions)
        throw invalid_input("standardise: " + std::to_string(attributes.size()) + " values is not a whole number of rows of " +
                            std::to_string(dimensions));
    if (!weights.empty() && weights.size() != dimensions)
        throw invalid_input("standardise: " + std::to_string(weights.size()) + " weights for " + std::to_string(dimensions) +
                            " attributes");
    const std::size_t n = attributes.size() / dimensions;
    std::vector<std::string> constant;
    for (std::size_t d = 0; d < dimensions; ++d) {
        const std::string column = d < column_names.size() ? column_names[d] : "attribute " + std::to_string(d + 1);
        const double weight = weights.empty() ? 1.0 : weights[d];
        if (!(weight == 0 || (weight >= min_attribute_weight && weight <= max_attribute_weight)))
        {
            std::ostringstream text;
            text << weight;
            throw invalid_input("the weight " + text.str() + " of attribute '" + column +
                                "' is not 0 nor between 1e-100 and 1e100");
        }
        auto value = [&](std::size_t i) -> double& { return attributes[i * dimensions + d]; };
        double largest = 0;
        bool same = true;
        for (std::size_t i = 0; i < n; ++i) {
            if (!std::isfinite(value(i)))
                throw invalid_input("attribute '" + column + "' of block '" +
                                    (i < block_codes.size() ? block_codes[i] : std::to_string(i)) + "' is not a finite number");
            largest = std::max(largest, std::abs(value(i)));
            same = same && value(i) == value(0);
        }
        // Equal values are said exactly: their floating mean need not equal
        // them, and the rounding would be blown up to a spread of noise.
        if (same || weight == 0) {
            if (same && n > 0) constant.push_back(column);
            for (std::size_t i = 0; i < n; ++i) value(i) = 0.0;
            continue;
        }
        // A power of two brings the largest value near 1, exactly: squares of
        // values near 1e200 overflowed and those near 1e-300 underflowed, and
        // the column read as constant. Now its scale makes no difference.
        const int exponent = std::ilogb(largest);
        for (std::size_t i = 0; i < n; ++i) value(i) = std::ldexp(value(i), -exponent);
        double mean = 0;
        for (std::size_t i = 0; i < n; ++i) mean += value(i);
        mean /= static_cast<double>(n);
        double variance = 0;
        for (std::size_t i = 0; i < n; ++i) variance += (value(i) - mean) * (value(i) - mean);
        const double spread = std::sqrt(variance / static_cast<double>(n));
        for (std::size_t i = 0; i < n; ++i) value(i) = weight * (value(i) - mean) / spread;
    }
    return constant;
}

std::pair<double, double> sums_of_squares(const ClusteringProblem& problem, const std::vector<std::int32_t>& region) {
    std::int32_t highest = -1;
    for (std::int32_t label : region) highest = std::max(highest, label);
    const std::vector<detail::RegionSums> sums = detail::region_sums(problem, region, static_cast<std::size_t>(highest + 1));
    double wss = 0;
    for (const detail::RegionSums& s : sums) wss += s.wss();
    detail::RegionSums all(problem.dimensions);
    for (std::size_t i = 0; i < problem.size(); ++i) all.add(problem, i);
    return {wss, all.wss()};
}

}  // namespace clustering
}  // namespace placedef
