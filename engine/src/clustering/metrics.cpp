// partition_metrics(): population, contiguity (on the graph and on the
// dissolved geometry), compactness and homogeneity of each footprint.
#include "placedef/clustering.hpp"

#include "placedef/error.hpp"
#include "placedef/geometry.hpp"

#include "detail/regions.hpp"
#include "core/parallel.hpp"

#include <algorithm>
#include <cmath>

namespace placedef {
inline namespace clustering {
namespace {

void check_inputs(const Layer& blocks, const ClusteringProblem& problem, const Partition& partition) {
    if (!problem.graph) throw invalid_input("partition metrics: the clustering problem has no contiguity graph");
    const ContiguityGraph& graph = *problem.graph;
    const std::size_t n = blocks.size();
    if (n == 0) throw invalid_input("partition metrics: the layer " + blocks.label() + " has no blocks");
    if (graph.size() != n)
        throw invalid_input("partition metrics: the graph has " + std::to_string(graph.size()) + " blocks but the layer " +
                            blocks.label() + " has " + std::to_string(n));
    for (std::size_t i = 0; i < n; ++i)
        if (graph.codes[i] != blocks.features[i].code)
            throw invalid_input("partition metrics: block " + std::to_string(i + 1) + " of the layer " + blocks.label() + " is '" +
                                blocks.features[i].code + "' but the graph's is '" + graph.codes[i] +
                                "': the graph was built from another layer or order");
    if (problem.attributes.size() != n * problem.dimensions)
        throw invalid_input("partition metrics: " + std::to_string(problem.attributes.size()) + " attribute values for " +
                            std::to_string(n) + " blocks of " + std::to_string(problem.dimensions) + " dimensions");
    if (!problem.population.empty() && problem.population.size() != n)
        throw invalid_input("partition metrics: " + std::to_string(problem.population.size()) + " populations for " +
                            std::to_string(n) + " blocks");
    if (partition.region.size() != n)
        throw invalid_input("partition metrics: the partition labels " + std::to_string(partition.region.size()) + " blocks, the layer " +
                            blocks.label() + " has " + std::to_string(n));
    std::vector<bool> used(partition.regions, false);
    for (std::size_t i = 0; i < n; ++i) {
        const std::int32_t label = partition.region[i];
        if (label < 0 || static_cast<std::size_t>(label) >= partition.regions)
            throw invalid_input("partition metrics: block '" + blocks.features[i].code + "' has region " + std::to_string(label) +
                                ", outside 0.." + std::to_string(static_cast<long long>(partition.regions) - 1));
        used[static_cast<std::size_t>(label)] = true;
    }
    const auto unused = std::find(used.begin(), used.end(), false);
    if (unused != used.end())
        throw invalid_input("partition metrics: region " + std::to_string(unused - used.begin()) + " has no blocks");
}

}  // namespace

ShapeMeasures measure_shape(const MultiPolygon& shape) {
    ShapeMeasures m;
    m.area_m2 = area(shape);
    m.perimeter_m = perimeter(shape);
    m.parts = shape.polygons.size();
    const double pi = std::acos(-1.0);
    m.polsby_popper = m.perimeter_m > 0 ? 4 * pi * m.area_m2 / (m.perimeter_m * m.perimeter_m) : 0.0;
    const double hull_area = m.parts > 0 ? std::abs(signed_area(convex_hull(shape))) : 0.0;
    m.hull_ratio = hull_area > 0 ? m.area_m2 / hull_area : 0.0;
    return m;
}

PartitionMetrics partition_metrics(const Layer& blocks, const ClusteringProblem& problem, const Partition& partition,
                                   unsigned threads) {
    check_inputs(blocks, problem, partition);
    const std::size_t regions = partition.regions;
    std::vector<std::vector<std::size_t>> members(regions);
    for (std::size_t i = 0; i < blocks.size(); ++i) members[static_cast<std::size_t>(partition.region[i])].push_back(i);
    const std::vector<detail::RegionSums> sums = detail::region_sums(problem, partition.region, regions);
    const std::vector<std::size_t> graph_parts = detail::region_parts(*problem.graph, partition.region, regions);

    PartitionMetrics out;
    out.footprints.resize(regions);
    out.shapes.resize(regions);
    detail::parallel_for(regions, threads, 1, [&](std::size_t begin, std::size_t end) {
        for (std::size_t r = begin; r < end; ++r) {
            std::vector<MultiPolygon> shapes;
            shapes.reserve(members[r].size());
            for (std::size_t i : members[r]) shapes.push_back(blocks.features[i].shape);
            MultiPolygon& shape = out.shapes[r] = dissolve(shapes, problem.graph->snap);

            FootprintMetrics& m = out.footprints[r];
            m.region = static_cast<std::int32_t>(r);
            if (r < partition.names.size()) m.name = partition.names[r];
            m.blocks = members[r].size();
            m.population = sums[r].population();
            const ShapeMeasures measured = measure_shape(shape);
            m.area_m2 = measured.area_m2;
            m.perimeter_m = measured.perimeter_m;
            m.contiguous_graph = graph_parts[r] == 1;
            m.parts = measured.parts;
            m.polsby_popper = measured.polsby_popper;
            m.hull_ratio = measured.hull_ratio;
            m.wss = sums[r].wss();
        }
    });

    detail::RegionSums all(problem.dimensions);
    for (std::size_t i = 0; i < blocks.size(); ++i) all.add(problem, i);
    out.tss = all.wss();
    out.min_population = out.max_population = out.footprints.empty() ? 0.0 : out.footprints.front().population;
    for (const FootprintMetrics& m : out.footprints) {
        out.wss += m.wss;
        out.non_contiguous += !m.contiguous_graph || m.parts > 1;
        out.min_population = std::min(out.min_population, m.population);
        out.max_population = std::max(out.max_population, m.population);
    }
    return out;
}

}  // namespace clustering
}  // namespace placedef
