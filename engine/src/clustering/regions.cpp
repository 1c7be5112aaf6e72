#include "detail/regions.hpp"

#include "placedef/error.hpp"

#include <algorithm>

namespace placedef::detail {

void RegionSums::add(const ClusteringProblem& problem, std::size_t block, double sign) {
    const double* x = problem.row(block);
    for (std::size_t d = 0; d < m_sum.size(); ++d) {
        m_sum[d] += sign * x[d];
        m_sumsq[d] += sign * x[d] * x[d];
    }
    m_count = sign > 0 ? m_count + 1 : m_count - 1;
    m_population += sign * problem.population_of(block);
}

double RegionSums::wss() const {
    if (m_count == 0) return 0.0;
    double total = 0;
    for (std::size_t d = 0; d < m_sum.size(); ++d) total += m_sumsq[d] - m_sum[d] * m_sum[d] / static_cast<double>(m_count);
    return std::max(total, 0.0);
}

double RegionSums::wss_with(const ClusteringProblem& problem, std::size_t block, double sign) const {
    const std::size_t count = sign > 0 ? m_count + 1 : m_count - 1;
    if (count == 0) return 0.0;
    const double* x = problem.row(block);
    double total = 0;
    for (std::size_t d = 0; d < m_sum.size(); ++d) {
        const double sum = m_sum[d] + sign * x[d];
        total += m_sumsq[d] + sign * x[d] * x[d] - sum * sum / static_cast<double>(count);
    }
    return std::max(total, 0.0);
}

std::vector<RegionSums> region_sums(const ClusteringProblem& problem, const std::vector<std::int32_t>& region,
                                    std::size_t regions) {
    std::vector<RegionSums> sums(regions, RegionSums(problem.dimensions));
    for (std::size_t i = 0; i < region.size(); ++i)
        if (region[i] >= 0) sums[static_cast<std::size_t>(region[i])].add(problem, i);
    return sums;
}

std::vector<double> boundary_lengths(const ContiguityGraph& graph) {
    const bool measured = std::any_of(graph.shared_length.begin(), graph.shared_length.end(), [](double l) { return l > 0; });
    return measured ? graph.shared_length : std::vector<double>(graph.neighbours.size(), 1.0);
}

double boundary_cost_per_length(const ClusteringProblem& problem, const std::vector<double>& lengths) {
    if (problem.boundary <= 0) return 0.0;
    double total = 0;
    for (const double length : lengths) total += length;
    // Every edge is listed from both ends: total is twice the shared boundary.
    return total > 0 ? problem.boundary * static_cast<double>(problem.size()) / (total / 2) : 0.0;
}

double objective_of(const ClusteringProblem& problem, const std::vector<std::int32_t>& region) {
    std::int32_t highest = -1;
    for (const std::int32_t r : region) highest = std::max(highest, r);
    double total = 0;
    for (const RegionSums& s : region_sums(problem, region, static_cast<std::size_t>(highest + 1))) total += s.wss();
    if (problem.boundary > 0) {
        const ContiguityGraph& graph = *problem.graph;
        const std::vector<double> lengths = boundary_lengths(graph);
        double cut = 0;
        for (std::size_t block = 0; block < graph.size(); ++block)
            for (std::size_t e = graph.offsets[block]; e < graph.offsets[block + 1]; ++e)
                if (region[block] != region[graph.neighbours[e]]) cut += lengths[e];
        total += boundary_cost_per_length(problem, lengths) * cut / 2;
    }
    return total + partner_cost(problem, region);
}

std::uint32_t ConnectivityCheck::root(std::uint32_t search) {
    while (m_parent[search] != search) search = m_parent[search] = m_parent[m_parent[search]];
    return search;
}

void ConnectivityCheck::merge(std::uint32_t into, std::uint32_t other) {
    // The merged search goes on with both frontiers: the longer one stays, the shorter is appended.
    if (m_queues[other].size() - m_heads[other] > m_queues[into].size() - m_heads[into]) {
        std::swap(m_queues[into], m_queues[other]);
        std::swap(m_heads[into], m_heads[other]);
    }
    std::vector<std::uint32_t>& kept = m_queues[into];
    const std::vector<std::uint32_t>& added = m_queues[other];
    kept.insert(kept.end(), added.begin() + static_cast<std::ptrdiff_t>(m_heads[other]), added.end());
    m_queues[other].clear();
    m_heads[other] = 0;
    m_parent[other] = into;
}

bool ConnectivityCheck::stays_connected(const ContiguityGraph& graph, const std::vector<std::int32_t>& region,
                                        std::size_t block) {
    const std::int32_t own = region[block];
    m_starts.clear();
    for (const std::uint32_t* n = graph.begin(block); n != graph.end(block); ++n)
        if (region[*n] == own) m_starts.push_back(*n);
    const auto searches = static_cast<std::uint32_t>(m_starts.size());
    if (searches <= 1) return true;  // a leaf of its region, or its only member
    if (++m_check == 0) {            // the counter wrapped: start the marks afresh
        std::fill(m_visited_in.begin(), m_visited_in.end(), 0u);
        m_check = 1;
    }
    if (m_queues.size() < searches) m_queues.resize(searches);
    m_heads.assign(searches, 0);
    m_parent.resize(searches);
    for (std::uint32_t s = 0; s < searches; ++s) {
        m_parent[s] = s;
        m_queues[s].assign(1, m_starts[s]);
        m_visited_in[m_starts[s]] = m_check;
        m_search_of[m_starts[s]] = s;
    }
    std::uint32_t apart = searches;  // searches not yet merged
    while (true)
        for (std::uint32_t s = 0; s < searches; ++s) {
            if (m_parent[s] != s) continue;  // merged into another
            if (m_heads[s] == m_queues[s].size()) return false;  // a piece the others never reach
            const std::uint32_t at = m_queues[s][m_heads[s]++];
            for (const std::uint32_t* n = graph.begin(at); n != graph.end(at); ++n) {
                if (*n == block || region[*n] != own) continue;
                if (m_visited_in[*n] != m_check) {
                    m_visited_in[*n] = m_check;
                    m_search_of[*n] = s;
                    m_queues[s].push_back(*n);
                } else if (const std::uint32_t found = m_search_of[*n]; found != s) {  // mostly the block it came from
                    if (const std::uint32_t other = root(found); other != s) {
                        merge(s, other);
                        if (--apart == 1) return true;
                    }
                }
            }
        }
}

std::vector<std::size_t> region_parts(const ContiguityGraph& graph, const std::vector<std::int32_t>& region,
                                      std::size_t regions) {
    std::vector<std::size_t> parts(regions, 0);
    std::vector<bool> seen(graph.size(), false);
    std::vector<std::uint32_t> queue;
    for (std::size_t i = 0; i < graph.size(); ++i) {
        if (seen[i] || region[i] < 0) continue;
        ++parts[static_cast<std::size_t>(region[i])];
        seen[i] = true;
        queue.assign(1, static_cast<std::uint32_t>(i));
        for (std::size_t head = 0; head < queue.size(); ++head)
            for (const std::uint32_t* n = graph.begin(queue[head]); n != graph.end(queue[head]); ++n)
                if (!seen[*n] && region[*n] == region[i]) {
                    seen[*n] = true;
                    queue.push_back(*n);
                }
    }
    return parts;
}

void require_connected(const ContiguityGraph& graph) {
    if (graph.size() == 0) throw invalid_input("the contiguity graph has no blocks");
    if (graph.component_count <= 1) return;
    std::vector<std::size_t> size(graph.component_count, 0), first(graph.component_count, graph.size());
    for (std::size_t i = 0; i < graph.size(); ++i) {
        ++size[graph.component[i]];
        first[graph.component[i]] = std::min(first[graph.component[i]], i);
    }
    const std::size_t smallest =
        static_cast<std::size_t>(std::min_element(size.begin(), size.end()) - size.begin());
    throw invalid_input("the blocks form " + std::to_string(graph.component_count) +
                        " separate groups (islands or gaps wider than the snap distance); the smallest has " +
                        std::to_string(size[smallest]) + " block(s), starting with '" + graph.codes[first[smallest]] +
                        "': raise the snap distance or join islands to their nearest block");
}

std::size_t canonical_labels(std::vector<std::int32_t>& region) {
    std::vector<std::int32_t> renumber;
    std::int32_t next = 0;
    for (std::int32_t& label : region) {
        if (label < 0) continue;
        const auto old = static_cast<std::size_t>(label);
        if (old >= renumber.size()) renumber.resize(old + 1, -1);
        if (renumber[old] < 0) renumber[old] = next++;
        label = renumber[old];
    }
    return static_cast<std::size_t>(next);
}

}  // namespace placedef::detail
