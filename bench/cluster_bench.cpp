// cluster_bench: times placedef's clustering methods on the problems.
//
//   cluster_bench surrey PROBLEM.txt
//       The Surrey benchmark (bench/surrey_problem.py): each method in the
//       peers' configurations; prints a markdown table of regions, WSS/TSS,
//       contiguity and time (the clustering call only, as the peers' figures).
//   cluster_bench synthetic CELLS.gpkg METHOD [--k K] [--min-pop P] [--seed S] [--restarts R] [--ensemble N]
//                 [--respect KM] [--align KM]
//       One method (or an ensemble of N runs of it) on a synthetic Voronoi layer (gen_tessellation): 9
//       attributes made from smooth fields of the cell centre plus noise,
//       population from the layer's `pop`. --respect and --align add a
//       partner layer of KM-wide squares (each cell in the square holding its
//       centre) to the objective at weight 1. Prints one markdown row: blocks,
//       method, regions, WSS/TSS, graph time, clustering time, peak memory.
//
// Exit codes: 0 ok, 1 usage, 3 failure.
#include "problem_file.hpp"

#include "placedef/clustering.hpp"
#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "placedef/io.hpp"

#include "clustering/detail/random.hpp"
#include "clustering/detail/regions.hpp"

#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>

using namespace placedef;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// CPU seconds of every thread so far: with other work on the machine, wall time
/// overstates what an idle machine takes, while CPU time does not.
double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double peak_mib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

bool contiguous(const ClusteringProblem& problem, const Partition& partition) {
    const auto parts = detail::region_parts(*problem.graph, partition.region, partition.regions);
    for (std::size_t p : parts)
        if (p != 1) return false;
    return true;
}

struct Run {
    const char* label;
    ClusterMethod method;
    std::size_t k;
    double floor;
    LocalSearch search = LocalSearch::annealing;
    bool refine = false;
};

int surrey(const std::string& path) {
    bench::OwnedProblem owned = bench::read_problem_file(path);
    const Run runs[] = {
        {"SKATER k=29", ClusterMethod::skater, 29, 0},
        {"SKATER k=29, AZP refinement", ClusterMethod::skater, 29, 0, LocalSearch::annealing, true},
        {"REDCAP full-order average k=29", ClusterMethod::redcap, 29, 0},
        {"REDCAP k=29, AZP refinement", ClusterMethod::redcap, 29, 0, LocalSearch::annealing, true},
        {"AZP simulated annealing k=29", ClusterMethod::azp, 29, 0},
        {"AZP tabu k=29", ClusterMethod::azp, 29, 0, LocalSearch::tabu},
        {"max-p, floor 25,000", ClusterMethod::maxp, 0, 25000},
        {"max-p, floor 5,000", ClusterMethod::maxp, 0, 5000},
    };
    std::printf("| placedef run | regions | WSS/TSS | all contiguous | time |\n|---|---:|---:|---|---:|\n");
    for (const Run& run : runs) {
        ClusteringProblem problem = owned.problem;
        problem.k = run.k;
        problem.min_population = run.floor;
        ClusterOptions options;
        options.method = run.method;
        options.search = run.search;
        options.refine = run.refine;
        options.seed = 1;
        const auto start = std::chrono::steady_clock::now();
        const Partition partition = cluster(problem, options);
        const double elapsed = seconds_since(start);
        std::printf("| %s | %zu | %.3f | %s | %.3f s |\n", run.label, partition.regions, partition.ratio(),
                    contiguous(problem, partition) ? "yes" : "NO", elapsed);
        std::fflush(stdout);
    }
    // Ensembles (issue 18): N seeds each, all cores, the clustering and the summary.
    struct EnsembleRun {
        const char* label;
        ClusterMethod method;
        std::size_t k;
        double floor;
        std::size_t restarts;
    };
    const EnsembleRun ensembles[] = {
        {"AZP k=29 (10 starts a run), 100-run ensemble", ClusterMethod::azp, 29, 0, 10},
        {"AZP k=29 (1 start a run), 100-run ensemble", ClusterMethod::azp, 29, 0, 1},
        {"max-p floor 25,000, 100-run ensemble", ClusterMethod::maxp, 0, 25000, 10},
    };
    std::printf("\n| placedef ensemble | consensus regions | unstable blocks | mean ARI | time | CPU time |\n"
                "|---|---:|---:|---:|---:|---:|\n");
    for (const EnsembleRun& run : ensembles) {
        ClusteringProblem problem = owned.problem;
        problem.k = run.k;
        problem.min_population = run.floor;
        ClusterOptions options;
        options.method = run.method;
        options.restarts = run.restarts;
        options.seed = 1;
        EnsembleOptions ensemble;
        ensemble.runs = 100;
        const auto start = std::chrono::steady_clock::now();
        const double cpu_start = cpu_seconds();
        const Ensemble result = cluster_ensemble(problem, options, ensemble);
        const double elapsed = seconds_since(start), cpu = cpu_seconds() - cpu_start;
        const EnsembleResult& e = result.summary;
        std::printf("| %s | %zu | %zu of %zu | %.3f | %.2f s | %.2f s |\n", run.label, result.consensus.regions,
                    e.unstable_blocks, problem.size(), e.mean_ari[e.consensus_run], elapsed, cpu);
        std::fflush(stdout);
    }
    return 0;
}

int synthetic(int argc, char** argv) {
    if (argc < 4) throw invalid_input("synthetic needs CELLS.gpkg and METHOD");
    const std::string cells = argv[2];
    ClusterOptions options;
    options.method = cluster_method_from_string(argv[3]);
    std::size_t k = 0;
    double floor = 0, respect_km = 0, align_km = 0;
    EnsembleOptions ensemble;
    for (int i = 4; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--k") k = std::stoul(argv[i + 1]);
        else if (flag == "--min-pop") floor = std::stod(argv[i + 1]);
        else if (flag == "--seed") options.seed = std::stoull(argv[i + 1]);
        else if (flag == "--restarts") options.restarts = std::stoul(argv[i + 1]);
        else if (flag == "--ensemble") ensemble.runs = std::stoul(argv[i + 1]);
        else if (flag == "--respect") respect_km = std::stod(argv[i + 1]);
        else if (flag == "--align") align_km = std::stod(argv[i + 1]);
        else throw invalid_input("unknown option " + flag);
    }
    ProblemSink problems;
    const Layer layer = load_layer(LayerAddress::parse(cells + "@code"), ReadOptions{}, problems);
    const auto graph_start = std::chrono::steady_clock::now();
    const ContiguityGraph graph = contiguity_graph(layer, ContiguityOptions{});
    const double graph_seconds = seconds_since(graph_start);

    ClusteringProblem problem;
    problem.graph = &graph;
    problem.dimensions = 9;
    problem.k = k;
    problem.min_population = floor;
    const auto pop = layer.attribute_index("pop");
    if (!pop) throw invalid_input("the cells have no pop column");
    detail::Random noise(7);
    for (const Feature& feature : layer.features) {
        problem.population.push_back(std::stod(feature.attributes[*pop]));
        const Coord c = point_on_surface(feature.shape);
        for (std::size_t d = 0; d < problem.dimensions; ++d) {
            const double scale = 4000.0 + 2500.0 * static_cast<double>(d);  // fields of several grains
            problem.attributes.push_back(std::sin(c.x / scale + static_cast<double>(d)) * std::cos(c.y / (1.3 * scale)) +
                                         0.3 * noise.unit());
        }
    }
    standardise(problem.attributes, problem.dimensions, {}, {}, graph.codes);
    auto squares = [&](double km) {
        PartnerUnits units;
        units.layer = std::to_string(km) + " km squares";
        std::map<std::pair<long, long>, std::int32_t> index;
        for (const Feature& feature : layer.features) {
            const Coord c = point_on_surface(feature.shape);
            const auto square = std::pair{std::lround(std::floor(c.x / (km * 1000))), std::lround(std::floor(c.y / (km * 1000)))};
            const auto [at, added] = index.emplace(square, static_cast<std::int32_t>(units.codes.size()));
            if (added) units.codes.push_back(std::to_string(square.first) + "," + std::to_string(square.second));
            units.unit.push_back(at->second);
        }
        return units;
    };
    if (respect_km > 0) problem.respect.push_back(squares(respect_km));
    if (align_km > 0) problem.align.push_back(squares(align_km));
    const auto start = std::chrono::steady_clock::now();
    std::string method = to_string(options.method);
    Partition partition;
    if (ensemble.runs > 0) {
        Ensemble result = cluster_ensemble(problem, options, ensemble);
        partition = std::move(result.consensus);
        method += ", " + std::to_string(ensemble.runs) + "-run ensemble (" +
                  std::to_string(result.summary.unstable_blocks) + " unstable)";
    } else {
        partition = cluster(problem, options);
    }
    const double elapsed = seconds_since(start);
    std::printf("| %zu | %s | %zu | %.3f | %s | %.2f s | %.2f s | %.0f MiB |\n", graph.size(), method.c_str(),
                partition.regions, partition.ratio(), contiguous(problem, partition) ? "yes" : "NO", graph_seconds, elapsed,
                peak_mib());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string usage =
        "usage: cluster_bench surrey PROBLEM.txt\n"
        "       cluster_bench synthetic CELLS.gpkg METHOD [--k K] [--min-pop P] [--seed S] [--restarts R] [--ensemble N]\n"
        "                 [--respect KM] [--align KM]\n";
    try {
        if (argc >= 3 && std::string(argv[1]) == "surrey") return surrey(argv[2]);
        if (argc >= 4 && std::string(argv[1]) == "synthetic") return synthetic(argc, argv);
        std::cerr << usage;
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "cluster_bench: " << e.what() << '\n';
        return 3;
    }
}
