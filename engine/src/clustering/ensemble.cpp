// Ensembles: how stable footprints are under other seeds and methods.
//
// The consensus is the run closest to all the others: the one with the
// highest mean adjusted Rand index with the other runs (the "best of k"
// consensus of Strehl and Ghosh's cluster ensembles, on ARI). Each run
// already keeps every rule of the request (contiguity, k, floor and ceiling,
// nesting), so the consensus does too; building a new partition from
// co-association would have to solve those constraints again.
//
// Stability matches the consensus footprints to each run's regions by
// people: footprint F and region R are counterparts when each is the
// other's largest overlap. A block is with its footprint's core in a run
// when it lies in its footprint's counterpart; a footprint split in two
// keeps its larger part, and two footprints merged into one region leave the
// smaller one without a core. Blocks stay comparable across runs of
// different methods and region counts.
#include "detail/ensemble.hpp"
#include "detail/local_search.hpp"

#include "core/parallel.hpp"
#include "placedef/error.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <string>

namespace placedef {
inline namespace clustering {
namespace {

/// Rows of the contingency table of two labellings: (label in a, label in b)
/// for every block, in order of the pair, with the blocks of each pair.
struct Contingency {
    struct Cell {
        std::int32_t a, b;
        double people;       ///< population of the cell's blocks (each block 1 without a population)
        std::size_t blocks;
    };
    std::vector<Cell> cells;  ///< sorted by (a, b)
};

Contingency contingency(const std::vector<std::int32_t>& a, const std::vector<std::int32_t>& b,
                        const ClusteringProblem* problem) {
    std::vector<std::pair<std::uint64_t, std::uint32_t>> keyed(a.size());
    for (std::size_t i = 0; i < a.size(); ++i)
        keyed[i] = {(static_cast<std::uint64_t>(static_cast<std::uint32_t>(a[i])) << 32) | static_cast<std::uint32_t>(b[i]),
                    static_cast<std::uint32_t>(i)};
    std::sort(keyed.begin(), keyed.end());
    Contingency table;
    for (std::size_t i = 0; i < keyed.size();) {
        Contingency::Cell cell{a[keyed[i].second], b[keyed[i].second], 0.0, 0};
        for (; i < keyed.size() && static_cast<std::int32_t>(keyed[i].first >> 32) == cell.a &&
               static_cast<std::int32_t>(keyed[i].first & 0xffffffffu) == cell.b;
             ++i) {
            cell.people += problem ? problem->population_of(keyed[i].second) : 1.0;
            ++cell.blocks;
        }
        table.cells.push_back(cell);
    }
    return table;
}

void check_labelling(const std::vector<std::int32_t>& labels, std::size_t n, const char* what) {
    if (labels.size() != n)
        throw invalid_input(std::string(what) + " labels " + std::to_string(labels.size()) + " blocks, not " + std::to_string(n));
    for (std::int32_t label : labels)
        if (label < 0) throw invalid_input(std::string(what) + " leaves a block without a region");
}

/// Whether overlap (people, blocks) `l` is larger than `r`.
bool larger(const Contingency::Cell& l, const Contingency::Cell& r) {
    return l.people > r.people || (l.people == r.people && l.blocks > r.blocks);
}

/// 1 for each block that lies in its consensus footprint's counterpart in
/// the run, else 0.
std::vector<std::uint8_t> with_core(const ClusteringProblem& problem, const std::vector<std::int32_t>& consensus,
                                    const std::vector<std::int32_t>& run) {
    const Contingency table = contingency(consensus, run, &problem);
    const auto footprints = static_cast<std::size_t>(*std::max_element(consensus.begin(), consensus.end())) + 1;
    const auto regions = static_cast<std::size_t>(*std::max_element(run.begin(), run.end())) + 1;
    constexpr std::size_t none = static_cast<std::size_t>(-1);
    std::vector<std::size_t> best_of_footprint(footprints, none), best_of_region(regions, none);
    // Cells come in (footprint, region) order, so a later equal overlap never
    // replaces an earlier one: ties go to the lower number.
    for (std::size_t c = 0; c < table.cells.size(); ++c) {
        const Contingency::Cell& cell = table.cells[c];
        std::size_t& f = best_of_footprint[static_cast<std::size_t>(cell.a)];
        if (f == none || larger(cell, table.cells[f])) f = c;
        std::size_t& r = best_of_region[static_cast<std::size_t>(cell.b)];
        if (r == none || larger(cell, table.cells[r])) r = c;
    }
    std::vector<std::int32_t> counterpart(footprints, -1);
    for (std::size_t f = 0; f < footprints; ++f) {
        if (best_of_footprint[f] == none) continue;
        const Contingency::Cell& cell = table.cells[best_of_footprint[f]];
        if (best_of_region[static_cast<std::size_t>(cell.b)] == best_of_footprint[f]) counterpart[f] = cell.b;
    }
    std::vector<std::uint8_t> stable(consensus.size());
    for (std::size_t i = 0; i < consensus.size(); ++i)
        stable[i] = counterpart[static_cast<std::size_t>(consensus[i])] == run[i] ? 1 : 0;
    return stable;
}

std::vector<ClusterMethod> methods_of(const ClusterOptions& options, const EnsembleOptions& ensemble) {
    if (ensemble.runs < 2)
        throw invalid_input("an ensemble needs at least 2 runs, not " + std::to_string(ensemble.runs));
    std::vector<ClusterMethod> methods = ensemble.methods;
    if (methods.empty()) methods.push_back(options.method);
    if (options.method == ClusterMethod::seeded ||
        std::find(methods.begin(), methods.end(), ClusterMethod::seeded) != methods.end())
        throw invalid_input("seeded growth gives the same footprints for every seed, and other methods would not keep "
                            "each town in its own footprint: an ensemble cannot measure its stability; use azp or maxp");
    const bool seed_matters = options.refine || std::any_of(methods.begin(), methods.end(), [](ClusterMethod m) {
                                  return m == ClusterMethod::azp || m == ClusterMethod::maxp;
                              });
    if (!seed_matters)
        throw invalid_input("skater and redcap give the same footprints for every seed, so an ensemble of them alone "
                            "would call every block stable: add azp or maxp to the ensemble's methods, or refine by AZP");
    return methods;
}

}  // namespace

double adjusted_rand_index(const std::vector<std::int32_t>& a, const std::vector<std::int32_t>& b) {
    check_labelling(a, a.size(), "the first labelling");
    check_labelling(b, a.size(), "the second labelling");
    if (a.size() < 2) return 1.0;
    auto pairs = [](double count) { return count * (count - 1) / 2; };
    const Contingency table = contingency(a, b, nullptr);
    double together = 0;  // pairs of blocks together in both
    std::vector<double> in_a, in_b;
    for (const Contingency::Cell& cell : table.cells) {
        together += pairs(static_cast<double>(cell.blocks));
        const auto la = static_cast<std::size_t>(cell.a), lb = static_cast<std::size_t>(cell.b);
        if (la >= in_a.size()) in_a.resize(la + 1, 0.0);
        if (lb >= in_b.size()) in_b.resize(lb + 1, 0.0);
        in_a[la] += static_cast<double>(cell.blocks);
        in_b[lb] += static_cast<double>(cell.blocks);
    }
    double pairs_a = 0, pairs_b = 0;
    for (double count : in_a) pairs_a += pairs(count);
    for (double count : in_b) pairs_b += pairs(count);
    const double expected = pairs_a * pairs_b / pairs(static_cast<double>(a.size()));
    const double most = (pairs_a + pairs_b) / 2;
    // most == expected only when both put every block together, or both keep every block apart.
    if (most == expected) return 1.0;
    return (together - expected) / (most - expected);
}

PartitionAgreement partition_agreement(const std::vector<std::int32_t>& a, const std::vector<std::int32_t>& b) {
    if (a.size() != b.size())
        throw invalid_input("partitions of " + std::to_string(a.size()) + " and " + std::to_string(b.size()) +
                            " units cannot be compared");
    // Relabel 0.. over the units in both, as adjusted_rand_index needs.
    std::vector<std::int32_t> la, lb;
    std::map<std::int32_t, std::int32_t> relabel_a, relabel_b;
    for (std::size_t u = 0; u < a.size(); ++u) {
        if (a[u] < 0 || b[u] < 0) continue;
        la.push_back(relabel_a.emplace(a[u], static_cast<std::int32_t>(relabel_a.size())).first->second);
        lb.push_back(relabel_b.emplace(b[u], static_cast<std::int32_t>(relabel_b.size())).first->second);
    }
    if (la.empty()) throw invalid_input("no unit is in both partitions");
    PartitionAgreement agreement;
    agreement.units = la.size();
    agreement.areas_a = relabel_a.size();
    agreement.areas_b = relabel_b.size();
    agreement.adjusted_rand = adjusted_rand_index(la, lb);
    const Contingency table = contingency(la, lb, nullptr);
    // Each area's largest overlap on the other side; cells are sorted by (a, b),
    // so the first largest is the one with the lower label.
    std::vector<const Contingency::Cell*> best_a(agreement.areas_a, nullptr), best_b(agreement.areas_b, nullptr);
    std::vector<std::size_t> size_a(agreement.areas_a, 0), size_b(agreement.areas_b, 0);
    for (const Contingency::Cell& cell : table.cells) {
        const auto ia = static_cast<std::size_t>(cell.a), ib = static_cast<std::size_t>(cell.b);
        size_a[ia] += cell.blocks;
        size_b[ib] += cell.blocks;
        if (!best_a[ia] || cell.blocks > best_a[ia]->blocks) best_a[ia] = &cell;
        if (!best_b[ib] || cell.blocks > best_b[ib]->blocks) best_b[ib] = &cell;
    }
    for (std::size_t ia = 0; ia < agreement.areas_a; ++ia) {
        const Contingency::Cell* cell = best_a[ia];
        if (best_b[static_cast<std::size_t>(cell->b)] != cell) continue;
        ++agreement.matched_areas;
        agreement.units_matched += cell->blocks;
        if (cell->blocks == size_a[ia] && cell->blocks == size_b[static_cast<std::size_t>(cell->b)]) ++agreement.identical_areas;
    }
    return agreement;
}

EnsembleResult summarise_ensemble(const ClusteringProblem& problem, const std::vector<std::vector<std::int32_t>>& labellings,
                                  unsigned threads) {
    if (!problem.graph) throw invalid_input("the clustering problem has no contiguity graph");
    if (labellings.empty()) throw invalid_input("an ensemble needs at least one run to summarise");
    const ContiguityGraph& graph = *problem.graph;
    const std::size_t n = problem.size(), runs = labellings.size();
    for (const std::vector<std::int32_t>& labels : labellings) check_labelling(labels, n, "an ensemble run");

    EnsembleResult summary;
    summary.runs = runs;
    // Each pair once, from the row of its first run: every slot has one writer.
    std::vector<double> ari(runs * runs, 1.0);
    detail::parallel_for(runs, threads, 1, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i)
            for (std::size_t j = i + 1; j < runs; ++j)
                ari[i * runs + j] = ari[j * runs + i] = adjusted_rand_index(labellings[i], labellings[j]);
    });
    summary.mean_ari.assign(runs, 1.0);
    for (std::size_t i = 0; i < runs && runs > 1; ++i) {
        double sum = 0;
        for (std::size_t j = 0; j < runs; ++j)
            if (j != i) sum += ari[i * runs + j];
        summary.mean_ari[i] = sum / static_cast<double>(runs - 1);
    }
    summary.consensus_run = static_cast<std::size_t>(std::max_element(summary.mean_ari.begin(), summary.mean_ari.end()) -
                                                     summary.mean_ari.begin());  // the first of equals
    for (const std::vector<std::int32_t>& labels : labellings)
        summary.regions.push_back(static_cast<std::size_t>(*std::max_element(labels.begin(), labels.end())) + 1);

    const std::vector<std::int32_t>& consensus = labellings[summary.consensus_run];
    std::vector<std::vector<std::uint8_t>> stable(runs);
    detail::parallel_for(runs, threads, 1, [&](std::size_t begin, std::size_t end) {
        for (std::size_t r = begin; r < end; ++r) stable[r] = with_core(problem, consensus, labellings[r]);
    });
    std::vector<std::size_t> count(n, 0);
    for (const std::vector<std::uint8_t>& run : stable)
        for (std::size_t i = 0; i < n; ++i) count[i] += run[i];
    summary.stability.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        summary.stability[i] = static_cast<double>(count[i]) / static_cast<double>(runs);
        if (summary.unstable(i)) {
            ++summary.unstable_blocks;
            summary.unstable_population += problem.population_of(i);
        }
    }

    for (std::uint32_t a = 0; a < n; ++a)
        for (std::size_t k = graph.offsets[a]; k < graph.offsets[a + 1]; ++k) {
            const std::uint32_t b = graph.neighbours[k];
            if (b < a) continue;
            std::size_t apart = 0;
            for (const std::vector<std::int32_t>& labels : labellings) apart += labels[a] != labels[b] ? 1 : 0;
            summary.boundaries.push_back({a, b, graph.shared_length.empty() ? 0.0 : graph.shared_length[k],
                                          static_cast<double>(apart) / static_cast<double>(runs)});
        }
    return summary;
}

Ensemble cluster_ensemble(const ClusteringProblem& problem, const ClusterOptions& options, const EnsembleOptions& ensemble) {
    return detail::run_ensemble(problem, options, ensemble,
                                [&problem](const ClusterOptions& run_options) { return cluster(problem, run_options); });
}

}  // namespace clustering

namespace detail {

Ensemble run_ensemble(const ClusteringProblem& problem, const ClusterOptions& options, const EnsembleOptions& ensemble,
                      const RunPartition& partition) {
    const std::vector<ClusterMethod> methods = methods_of(options, ensemble);
    const std::size_t runs = ensemble.runs;
    std::vector<Partition> partitions(runs);
    std::vector<ClusterOptions> run_options(runs, options);
    for (std::size_t i = 0; i < runs; ++i) {
        run_options[i].method = methods[i % methods.size()];
        run_options[i].seed = stream_seed(options.seed, i);
        run_options[i].threads = 1;  // the runs are the parallel work
        run_options[i].progress = nullptr;
    }
    ProgressCounter progress(options.progress, runs);
    parallel_for(runs, options.threads, 1, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            try {
                partitions[i] = partition(run_options[i]);
            } catch (const invalid_input& e) {
                throw invalid_input("ensemble run " + std::to_string(i + 1) + " (" + to_string(run_options[i].method) +
                                    ", seed " + std::to_string(run_options[i].seed) + "): " + e.what());
            }
            progress.advance();
        }
    });
    std::vector<std::vector<std::int32_t>> labellings;
    labellings.reserve(runs);
    for (const Partition& p : partitions) labellings.push_back(p.region);
    Ensemble result;
    result.summary = summarise_ensemble(problem, labellings, options.threads);
    for (const ClusterOptions& o : run_options) {
        result.summary.methods.push_back(o.method);
        result.summary.seeds.push_back(o.seed);
    }
    result.consensus = std::move(partitions[result.summary.consensus_run]);
    return result;
}

}  // namespace detail
}  // namespace placedef
