// town_footprints(): from a block layer to measured footprints, with the
// nesting rules applied around cluster().
#include "placedef/clustering.hpp"
#include "placedef/text.hpp"

#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "placedef/io.hpp"
#include "placedef/overlay.hpp"

#include "detail/ensemble.hpp"
#include "detail/local_search.hpp"
#include "detail/methods.hpp"
#include "detail/regions.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <numeric>

namespace placedef {
inline namespace clustering {

FootprintResult::FootprintResult(FootprintResult&& other) noexcept
    : graph(std::move(other.graph)), problem(std::move(other.problem)), partition(std::move(other.partition)),
      metrics(std::move(other.metrics)), parent(std::move(other.parent)), groups(other.groups),
      ensemble(std::move(other.ensemble)),
      notes(std::move(other.notes)),
      respect_fit(std::move(other.respect_fit)), align_fit(std::move(other.align_fit)) {
    problem.graph = &graph;
}

FootprintResult& FootprintResult::operator=(FootprintResult&& other) noexcept {
    graph = std::move(other.graph);
    problem = std::move(other.problem);
    problem.graph = &graph;
    partition = std::move(other.partition);
    metrics = std::move(other.metrics);
    parent = std::move(other.parent);
    groups = other.groups;
    ensemble = std::move(other.ensemble);
    notes = std::move(other.notes);
    respect_fit = std::move(other.respect_fit);
    align_fit = std::move(other.align_fit);
    return *this;
}

namespace {

using Edges = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

/// Each block's unit of the nest layer: the one holding most of its area.
std::vector<std::size_t> parent_units(const Layer& blocks, const Layer& nest, unsigned threads) {
    std::vector<std::size_t> parent;
    for (const std::int32_t unit : block_units(blocks, nest, 0, threads))
        parent.push_back(unit < 0 ? nest.size() : static_cast<std::size_t>(unit));
    for (std::size_t i = 0; i < blocks.size(); ++i)
        if (parent[i] == nest.size())
            throw invalid_input("lies in no unit of " + nest.label() + ", the layer footprints must nest in",
                                Location{blocks.source, blocks.name, blocks.features[i].fid, blocks.features[i].code, {}});
    return parent;
}

/// A problem over a subset of blocks (or over groups of blocks), owning its graph.
struct SubProblem {
    std::unique_ptr<ContiguityGraph> graph;
    ClusteringProblem problem;
    ClusterOptions options;
};

/// The problem over `members` (block indices) of `full`, with edges kept
/// only inside the subset and, given `parent`, only between blocks of one unit.
SubProblem restrict_to(const ClusteringProblem& full, const ClusterOptions& options, const std::vector<std::uint32_t>& members,
                       const std::vector<std::size_t>* parent = nullptr) {
    std::vector<std::int64_t> local(full.size(), -1);
    for (std::size_t m = 0; m < members.size(); ++m) local[members[m]] = static_cast<std::int64_t>(m);
    SubProblem sub;
    std::vector<std::string> codes;
    Edges edges;
    std::vector<double> lengths;
    sub.problem.dimensions = full.dimensions;
    for (std::size_t m = 0; m < members.size(); ++m) {
        const std::uint32_t block = members[m];
        codes.push_back(full.graph->codes[block]);
        sub.problem.attributes.insert(sub.problem.attributes.end(), full.row(block), full.row(block) + full.dimensions);
        if (!full.population.empty()) sub.problem.population.push_back(full.population[block]);
        for (std::size_t e = full.graph->offsets[block]; e < full.graph->offsets[block + 1]; ++e) {
            const std::uint32_t n = full.graph->neighbours[e];
            if (local[n] > static_cast<std::int64_t>(m) && (!parent || (*parent)[n] == (*parent)[block])) {
                edges.emplace_back(static_cast<std::uint32_t>(m), static_cast<std::uint32_t>(local[n]));
                lengths.push_back(full.graph->shared_length.empty() ? 0.0 : full.graph->shared_length[e]);
            }
        }
    }
    sub.graph = std::make_unique<ContiguityGraph>(graph_from_edges(std::move(codes), edges, lengths));
    sub.problem.graph = sub.graph.get();
    sub.problem.min_population = full.min_population;
    sub.problem.max_population = full.max_population;
    sub.problem.boundary = full.boundary;
    for (auto [from, to] : {std::pair{&full.respect, &sub.problem.respect}, std::pair{&full.align, &sub.problem.align}})
        for (const PartnerUnits& units : *from) {
            PartnerUnits& part = to->emplace_back(units);
            part.unit.clear();
            for (const std::uint32_t block : members) part.unit.push_back(units.unit[block]);
        }
    sub.options = options;
    sub.options.seed_blocks.clear();
    sub.options.seed_names.clear();
    sub.options.block_centres.clear();
    for (std::size_t t = 0; t < options.seed_blocks.size(); ++t)
        if (local[options.seed_blocks[t]] >= 0) {
            sub.options.seed_blocks.push_back(static_cast<std::size_t>(local[options.seed_blocks[t]]));
            sub.options.seed_names.push_back(options.seed_names[t]);
        }
    if (!options.block_centres.empty())
        for (std::uint32_t block : members) sub.options.block_centres.push_back(options.block_centres[block]);
    return sub;
}

/// "'E07000215' (Tandridge) of lad_2021 (lad_2021_bgc.gpkg)", for messages.
std::string describe_unit(const Layer& nest, std::size_t unit) {
    const Feature& feature = nest.features[unit];
    return "'" + feature.code + "'" + (feature.name.empty() ? "" : " (" + feature.name + ")") + " of " + nest.label();
}

/// Splits k over groups of blocks: each group between `least` and `most`
/// footprints (what its people allow under the ceiling and above the
/// floor), the rest given one at a time to the group furthest below its
/// share of k by population (largest remainder when the limits do not bind).
std::vector<std::size_t> share_k(std::size_t k, const std::vector<double>& people, const std::vector<std::size_t>& least,
                                 const std::vector<std::size_t>& most) {
    const double total = std::accumulate(people.begin(), people.end(), 0.0);
    std::vector<std::size_t> share = least;
    for (std::size_t given = std::accumulate(least.begin(), least.end(), std::size_t{0}); given < k; ++given) {
        std::size_t pick = people.size();
        double furthest = -std::numeric_limits<double>::infinity();
        for (std::size_t g = 0; g < people.size(); ++g) {
            if (share[g] >= most[g]) continue;
            const double exact = total > 0 ? static_cast<double>(k) * people[g] / total : 1.0;
            if (exact - static_cast<double>(share[g]) > furthest) {
                furthest = exact - static_cast<double>(share[g]);
                pick = g;
            }
        }
        ++share[pick];  // the caller checked that the limits leave room for k
    }
    return share;
}

/// Seeded growth over every group at once, on the graph cut at the units'
/// boundaries: towns grow only inside their unit, and the rural rule (at
/// most rural_footprints rural footprints, no fragments) holds for the
/// whole run. A group holding no town cannot join one across the boundary:
/// it is a rural footprint of its own, which `notes` explains.
Partition grow_within(const Layer& nest, const ClusteringProblem& full, const ClusterOptions& options,
                      const std::vector<std::size_t>& parent, const std::vector<std::vector<std::uint32_t>>& groups,
                      std::vector<std::string>& notes) {
    std::vector<std::uint32_t> every(full.size());
    std::iota(every.begin(), every.end(), 0u);
    const SubProblem cut = restrict_to(full, options, every, &parent);
    Partition partition = detail::cluster_seeded_in_parts(cut.problem, cut.options);

    std::vector<bool> town_block(full.size(), false);
    for (std::size_t block : options.seed_blocks) town_block[block] = true;
    std::vector<bool> unit_has_town(nest.size(), false);
    for (std::size_t block : options.seed_blocks) unit_has_town[parent[block]] = true;
    const std::size_t towns = options.seed_blocks.size();
    const std::size_t rural = partition.regions - towns;
    for (const std::vector<std::uint32_t>& group : groups) {
        if (std::any_of(group.begin(), group.end(), [&](std::uint32_t b) { return town_block[b]; })) continue;
        const auto region = static_cast<std::size_t>(partition.region[group.front()]);
        double people = 0;
        for (std::uint32_t b : group) people += full.population_of(b);
        const std::size_t unit = parent[group.front()];
        std::string note = partition.names[region] + " is " +
                           (unit_has_town[unit] ? "a part of unit " + describe_unit(nest, unit) + " cut off from its towns"
                                                : "unit " + describe_unit(nest, unit) + ", which holds no town") +
                           ": a rural footprint of its own (" + std::to_string(group.size()) +
                           (group.size() == 1 ? " block, " : " blocks, ") + readable_number(std::round(people)) +
                           " people), since no footprint may cross the unit's boundary to join a town";
        if (options.rural_footprints > 0 && rural > options.rural_footprints)
            note += ", and there are " + std::to_string(rural) + " rural footprints, not the " +
                    std::to_string(options.rural_footprints) + " asked for";
        notes.push_back(note);
    }
    return partition;
}

/// Clusters each connected group of blocks sharing a nest unit on its own
/// (seeded growth: all at once, see grow_within()).
Partition cluster_within(const Layer& nest, const ClusteringProblem& full, const ClusterOptions& options,
                         const std::vector<std::size_t>& parent, std::size_t& group_count, std::vector<std::string>& notes) {
    // Groups: connected parts of each parent's blocks.
    std::vector<std::int32_t> group(full.size(), -1);
    std::vector<std::vector<std::uint32_t>> members;
    for (std::size_t i = 0; i < full.size(); ++i) {
        if (group[i] >= 0) continue;
        std::vector<std::uint32_t> part{static_cast<std::uint32_t>(i)};
        group[i] = static_cast<std::int32_t>(members.size());
        for (std::size_t head = 0; head < part.size(); ++head)
            for (const std::uint32_t* n = full.graph->begin(part[head]); n != full.graph->end(part[head]); ++n)
                if (group[*n] < 0 && parent[*n] == parent[i]) {
                    group[*n] = group[i];
                    part.push_back(*n);
                }
        members.push_back(std::move(part));
    }
    group_count = members.size();
    std::vector<double> people(members.size(), 0.0);
    std::vector<std::size_t> least(members.size(), 1), most(members.size());
    for (std::size_t g = 0; g < members.size(); ++g) {
        for (std::uint32_t b : members[g]) people[g] += full.population_of(b);
        const std::string unit = describe_unit(nest, parent[members[g].front()]);
        if (full.min_population > 0 && people[g] < full.min_population)
            throw invalid_input("unit " + unit + " holds " + readable_number(people[g]) +
                                " people in its blocks (or one connected part of them), below the floor " +
                                readable_number(full.min_population) + ": no footprint within it can meet the floor");
        // A group needs enough footprints for the ceiling, and has room for
        // no more than its blocks, or than its people allow above the floor.
        if (std::isfinite(full.max_population))
            least[g] = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(people[g] / full.max_population)));
        most[g] = members[g].size();
        if (full.min_population > 0)
            most[g] = std::min(most[g], static_cast<std::size_t>(std::floor(people[g] / full.min_population)));
        if (least[g] > most[g])
            throw invalid_input("unit " + unit + " holds " + readable_number(people[g]) + " people in " +
                                std::to_string(members[g].size()) + " block(s) (or one connected part of them): no " +
                                "footprints within it meet " + detail::describe_bounds(full));
    }
    if (options.method == ClusterMethod::seeded) {
        std::vector<std::size_t> towns(members.size(), 0);
        for (const std::size_t block : options.seed_blocks) ++towns[static_cast<std::size_t>(group[block])];
        for (std::size_t g = 0; g < members.size(); ++g)
            if (full.min_population > 0 && static_cast<double>(towns[g]) * full.min_population > people[g])
                throw invalid_input("unit " + describe_unit(nest, parent[members[g].front()]) + " holds " +
                                    readable_number(people[g]) + " people (or one connected part of it does), too few for its " +
                                    std::to_string(towns[g]) + " towns' footprints to reach the floor " +
                                    readable_number(full.min_population));
        return grow_within(nest, full, options, parent, members, notes);
    }

    std::vector<std::size_t> k_share(members.size(), 0);
    if (full.k > 0) {
        if (full.k < members.size())
            throw invalid_input("k = " + std::to_string(full.k) + " footprints cannot stay within the " +
                                std::to_string(members.size()) + " separate parts of " + nest.label() +
                                "'s units: ask for at least that many");
        const std::size_t needed = std::accumulate(least.begin(), least.end(), std::size_t{0});
        const std::size_t room = std::accumulate(most.begin(), most.end(), std::size_t{0});
        if (full.k < needed)
            throw invalid_input("k = " + std::to_string(full.k) + " footprints within the units of " + nest.label() +
                                " cannot keep under the ceiling " + readable_number(full.max_population) +
                                ": the units' parts need at least " + std::to_string(needed) + " (raise k or the ceiling)");
        if (full.k > room)
            throw invalid_input("k = " + std::to_string(full.k) + " footprints do not fit within the units of " +
                                nest.label() + (full.min_population > 0 ? " above the floor " + readable_number(full.min_population) : "") +
                                ": their parts have room for at most " + std::to_string(room) + " (lower k" +
                                (full.min_population > 0 ? " or the floor)" : ")"));
        k_share = share_k(full.k, people, least, most);
    }

    Partition merged;
    merged.region.assign(full.size(), -1);
    for (std::size_t g = 0; g < members.size(); ++g) {
        SubProblem sub = restrict_to(full, options, members[g]);
        sub.problem.k = k_share[g];
        sub.options.seed = options.seed + g;  // each group its own stream, still fixed by the seed
        Partition part;
        try {
            part = cluster(sub.problem, sub.options);
        } catch (const invalid_input& e) {
            throw invalid_input("within unit " + describe_unit(nest, parent[members[g].front()]) + ": " + e.reason(), e.where());
        }
        const auto offset = static_cast<std::int32_t>(merged.regions);
        for (std::size_t m = 0; m < members[g].size(); ++m) merged.region[members[g][m]] = offset + part.region[m];
        merged.regions += part.regions;
        part.names.resize(part.regions);
        merged.names.insert(merged.names.end(), part.names.begin(), part.names.end());
    }
    return merged;
}

/// Clusters whole nest units: blocks are merged into their parents first.
Partition cluster_whole(const Layer& nest, const ClusteringProblem& full, const ClusterOptions& options,
                        const std::vector<std::size_t>& parent) {
    std::map<std::size_t, std::uint32_t> coarse_of;  // nest unit -> coarse index, in nest order
    for (std::size_t p : parent) coarse_of.emplace(p, 0);
    std::vector<std::string> codes;
    for (auto& [unit, index] : coarse_of) {
        index = static_cast<std::uint32_t>(codes.size());
        codes.push_back(nest.features[unit].code);
    }
    const std::size_t m = codes.size();
    std::vector<std::uint32_t> coarse(full.size());
    for (std::size_t i = 0; i < full.size(); ++i) coarse[i] = coarse_of[parent[i]];
    std::map<std::pair<std::uint32_t, std::uint32_t>, double> shared;  // unit pair -> their blocks' shared boundary
    for (std::size_t i = 0; i < full.size(); ++i)
        for (std::size_t e = full.graph->offsets[i]; e < full.graph->offsets[i + 1]; ++e)
            if (const std::uint32_t other = coarse[full.graph->neighbours[e]]; coarse[i] < other)
                shared[{coarse[i], other}] += full.graph->shared_length.empty() ? 0.0 : full.graph->shared_length[e];
    Edges edges;
    std::vector<double> lengths;
    for (const auto& [pair, length] : shared) {
        edges.push_back(pair);
        lengths.push_back(length);
    }
    SubProblem sub;
    sub.graph = std::make_unique<ContiguityGraph>(graph_from_edges(codes, edges, lengths));
    sub.problem.graph = sub.graph.get();
    sub.problem.dimensions = full.dimensions;
    sub.problem.k = full.k;
    sub.problem.min_population = full.min_population;
    sub.problem.max_population = full.max_population;
    sub.problem.boundary = full.boundary;
    // A unit's attributes are its blocks' population-weighted means.
    sub.problem.attributes.assign(m * full.dimensions, 0.0);
    std::vector<double> weight(m, 0.0), people(m, 0.0);
    for (std::size_t i = 0; i < full.size(); ++i) {
        const double w = std::max(full.population_of(i), 1e-9);
        weight[coarse[i]] += w;
        people[coarse[i]] += full.population_of(i);
        for (std::size_t d = 0; d < full.dimensions; ++d) sub.problem.attributes[coarse[i] * full.dimensions + d] += w * full.row(i)[d];
    }
    for (std::size_t u = 0; u < m; ++u)
        for (std::size_t d = 0; d < full.dimensions; ++d) sub.problem.attributes[u * full.dimensions + d] /= weight[u];
    if (!full.population.empty()) sub.problem.population = people;
    // A nest unit's partner unit is the one holding most of its people (its
    // blocks' own, or most of its blocks without people): the terms count
    // whole nest units.
    for (auto [from, to] : {std::pair{&full.respect, &sub.problem.respect}, std::pair{&full.align, &sub.problem.align}})
        for (const PartnerUnits& units : *from) {
            std::vector<std::map<std::int32_t, double>> held(m);
            for (std::size_t i = 0; i < full.size(); ++i)
                if (units.unit[i] >= 0) held[coarse[i]][units.unit[i]] += full.population_of(i) + 1e-9;
            PartnerUnits& part = to->emplace_back(units);
            part.unit.assign(m, -1);
            for (std::size_t u = 0; u < m; ++u) {
                double most = 0;
                for (const auto& [unit, share] : held[u])  // in unit order: ties go to the first
                    if (share > most) {
                        most = share;
                        part.unit[u] = unit;
                    }
            }
        }
    sub.options = options;
    if (options.method == ClusterMethod::seeded) {
        sub.options.seed_blocks.clear();
        for (std::size_t block : options.seed_blocks) sub.options.seed_blocks.push_back(coarse[block]);
        std::vector<Coord> centre(m, Coord{0, 0});
        std::vector<double> count(m, 0.0);
        for (std::size_t i = 0; i < full.size(); ++i) {
            centre[coarse[i]].x += options.block_centres[i].x;
            centre[coarse[i]].y += options.block_centres[i].y;
            ++count[coarse[i]];
        }
        for (std::size_t u = 0; u < m; ++u) centre[u] = {centre[u].x / count[u], centre[u].y / count[u]};
        sub.options.block_centres = centre;
    }
    const Partition by_unit = cluster(sub.problem, sub.options);
    Partition expanded;
    expanded.regions = by_unit.regions;
    expanded.names = by_unit.names;
    expanded.region.resize(full.size());
    for (std::size_t i = 0; i < full.size(); ++i) expanded.region[i] = by_unit.region[coarse[i]];
    return expanded;
}

/// The k a request asks for: given, or the people over the mean population per footprint.
std::size_t footprint_count(const FootprintRequest& request) {
    const double mean = request.mean_population;
    if (mean == 0) return request.k;
    if (!(std::isfinite(mean) && mean > 0))
        throw invalid_input("the mean population per footprint " + readable_number(mean) + " must be a finite number above 0");
    if (request.k > 0)
        throw invalid_input("give the number of footprints or their mean population, not both (k " + std::to_string(request.k) +
                            ", mean population " + readable_number(mean) + ")");
    if (request.cluster.method == ClusterMethod::seeded)
        throw invalid_input("seeded growth makes one footprint per town (and the rural ones asked for): a mean population does not apply");
    // Every front end asks this of the engine, so the same request gets the same k (or error) in each.
    if (request.population.empty()) throw invalid_input("a mean population per footprint needs the blocks' population");
    const double people = std::accumulate(request.population.begin(), request.population.end(), 0.0);
    return static_cast<std::size_t>(std::max(1.0, std::round(people / mean)));
}

}  // namespace

ClusteringProblem problem_from_request(const ContiguityGraph& graph, const FootprintRequest& request) {
    const std::size_t n = graph.size();
    if (!request.population.empty() && request.population.size() != n)
        throw invalid_input("population given for " + std::to_string(request.population.size()) + " blocks of " +
                            std::to_string(n));
    ClusteringProblem problem;
    problem.graph = &graph;
    problem.dimensions = request.attributes.size();
    problem.attributes.resize(n * problem.dimensions);
    std::vector<double> weights;
    std::vector<std::string> names;
    for (std::size_t d = 0; d < problem.dimensions; ++d) {
        const FootprintAttribute& attribute = request.attributes[d];
        if (attribute.values.size() != n)
            throw invalid_input("attribute '" + attribute.name + "' has " + std::to_string(attribute.values.size()) +
                                " values for " + std::to_string(n) + " blocks");
        for (std::size_t i = 0; i < n; ++i) problem.attributes[i * problem.dimensions + d] = attribute.values[i];
        weights.push_back(attribute.weight);
        names.push_back(attribute.name);
    }
    problem.constant_attributes = standardise(problem.attributes, problem.dimensions, weights, names, graph.codes);
    problem.population = request.population;
    problem.k = footprint_count(request);
    problem.min_population = request.min_population;
    problem.max_population = request.max_population;
    problem.boundary = request.boundary;
    return problem;
}

FootprintResult town_footprints(const Layer& blocks, const FootprintRequest& request) {
    const std::size_t n = blocks.size();
    if (n == 0) throw invalid_input("the block layer " + blocks.label() + " has no blocks");
    if (!request.population.empty() && request.population.size() != n)
        throw invalid_input("population given for " + std::to_string(request.population.size()) + " blocks of " +
                            std::to_string(n) + " in " + blocks.label());
    const bool seeded = request.cluster.method == ClusterMethod::seeded;
    if (request.attributes.empty() && !seeded)
        throw invalid_input(std::string(to_string(request.cluster.method)) + " needs at least one attribute to compare blocks by");
    if (request.nesting != Nesting::none && !request.nest_layer)
        throw invalid_input("a nesting rule needs the layer to nest in");

    FootprintResult result;
    result.graph = contiguity_graph(blocks, request.contiguity);
    result.problem = problem_from_request(result.graph, request);
    for (auto [from, to] : {std::pair{&request.respect, &result.problem.respect}, std::pair{&request.align, &result.problem.align}})
        for (const PartnerLayer& partner : *from) {
            if (!partner.layer) throw invalid_input("a partner layer to respect or align with was not given");
            to->push_back(partner_units(blocks, *partner.layer, partner.weight, request.cluster.threads));
        }
    const ClusteringProblem& problem = result.problem;

    ClusterOptions options = request.cluster;
    if (seeded) {
        if (!request.places) throw invalid_input("seeded growth needs the town centres");
        options.seed_blocks = locate_places(blocks, *request.places);
        options.seed_names.clear();
        for (const Feature& place : request.places->features) options.seed_names.push_back(place.code);
        options.block_centres.clear();
        for (const Feature& block : blocks.features) options.block_centres.push_back(point_on_surface(block.shape));
    }

    std::vector<std::size_t> parent;
    if (request.nesting != Nesting::none) {
        parent = parent_units(blocks, *request.nest_layer, options.threads);
        for (std::size_t p : parent) result.parent.push_back(request.nest_layer->features[p].code);
    }
    if (request.nesting == Nesting::within_units) detail::require_connected(result.graph);
    std::mutex runs_mutex;
    std::map<std::uint64_t, std::vector<std::string>> notes_by_seed;  // an ensemble reports its consensus run's notes
    auto partition_of = [&](const ClusterOptions& run_options) {
        switch (request.nesting) {
            case Nesting::none: break;
            case Nesting::within_units: {
                std::size_t groups = 1;
                std::vector<std::string> notes;
                Partition partition = cluster_within(*request.nest_layer, problem, run_options, parent, groups, notes);
                const std::lock_guard<std::mutex> lock(runs_mutex);  // ensemble runs: the same count from each
                result.groups = groups;
                notes_by_seed[run_options.seed] = std::move(notes);
                return partition;
            }
            case Nesting::whole_units: return cluster_whole(*request.nest_layer, problem, run_options, parent);
        }
        return cluster(problem, run_options);
    };
    if (request.ensemble.runs > 0) {
        Ensemble ensemble = detail::run_ensemble(problem, options, request.ensemble, partition_of);
        result.partition = std::move(ensemble.consensus);
        result.ensemble = std::move(ensemble.summary);
        result.notes = std::move(notes_by_seed[result.ensemble.seeds[result.ensemble.consensus_run]]);
    } else {
        result.partition = partition_of(options);
        result.notes = std::move(notes_by_seed[options.seed]);
    }
    std::tie(result.partition.wss, result.partition.tss) = sums_of_squares(problem, result.partition.region);
    result.metrics = partition_metrics(blocks, problem, result.partition, options.threads);
    for (const PartnerUnits& units : problem.respect)
        result.respect_fit.push_back(partner_fit(problem, units, result.partition.region, result.partition.regions));
    for (const PartnerUnits& units : problem.align)
        result.align_fit.push_back(partner_fit(problem, units, result.partition.region, result.partition.regions));
    return result;
}

std::vector<std::int32_t> block_units(const Layer& blocks, const Layer& layer, double min_share, unsigned threads) {
    OverlayOptions options;
    options.threads = threads;
    const IntersectionTable table = overlay(blocks, layer, options);
    std::vector<std::int32_t> unit(blocks.size(), -1);
    std::vector<double> best(blocks.size(), 0.0);
    for (const IntersectionRow& row : table.rows)
        if (row.share_of_a > best[row.a_index]) {  // rows come by code: ties go to the lowest
            best[row.a_index] = row.share_of_a;
            unit[row.a_index] = static_cast<std::int32_t>(row.b_index);
        }
    for (std::size_t i = 0; i < blocks.size(); ++i)
        if (best[i] < min_share) unit[i] = -1;
    return unit;
}

PartnerUnits partner_units(const Layer& blocks, const Layer& partner, double weight, unsigned threads) {
    if (!(std::isfinite(weight) && weight > 0))
        throw invalid_input("the weight " + readable_number(weight) + " of partner layer " + partner.label() +
                            " must be a finite number above 0");
    PartnerUnits units;
    units.layer = partner.name;
    units.weight = weight;
    for (const Feature& feature : partner.features) {
        units.codes.push_back(feature.code);
        units.names.push_back(feature.name);
    }
    units.unit = block_units(blocks, partner, 0, threads);
    if (std::all_of(units.unit.begin(), units.unit.end(), [](std::int32_t unit) { return unit < 0; })) throw invalid_input("partner layer " + partner.label() + " covers none of the blocks of " + blocks.label());
    return units;
}

namespace {

std::string footprint_code(std::size_t region) {
    char code[24];  // "F" and up to 20 digits: never truncated
    std::snprintf(code, sizeof code, "F%02zu", region + 1);
    return code;
}

}  // namespace

Layer footprint_polygons(const FootprintResult& result, const std::string& crs, const std::string& name) {
    Layer layer;
    layer.name = name;
    layer.source = name;
    layer.crs = crs;
    layer.code_column = "footprint";
    layer.attribute_names = {"name"};
    layer.label_column = "name";
    for (std::size_t r = 0; r < result.metrics.shapes.size(); ++r) {
        Feature feature;
        feature.fid = static_cast<std::int64_t>(r) + 1;
        feature.code = footprint_code(r);
        feature.shape = result.metrics.shapes[r];
        feature.name = r < result.partition.names.size() ? result.partition.names[r] : std::string();
        feature.attributes = {feature.name};
        layer.features.push_back(std::move(feature));
    }
    return layer;
}

void write_footprints(const FootprintResult& result, const Layer& blocks, const std::string& path,
                      const std::vector<LayerStyle>& styles) {
    const std::vector<OutputField> fields = {
        {"footprint", FieldType::text},    {"name", FieldType::text},         {"blocks", FieldType::integer},
        {"population", FieldType::real},   {"area_km2", FieldType::real},     {"perimeter_km", FieldType::real},
        {"parts", FieldType::integer},     {"contiguous", FieldType::integer}, {"polsby_popper", FieldType::real},
        {"hull_ratio", FieldType::real},   {"wss", FieldType::real}};
    auto values = [&](const FootprintMetrics& m) {
        return std::vector<FieldValue>{footprint_code(static_cast<std::size_t>(m.region)), m.name,
                                       static_cast<std::int64_t>(m.blocks), m.population, m.area_m2 / 1e6,
                                       m.perimeter_m / 1e3, static_cast<std::int64_t>(m.parts),
                                       static_cast<std::int64_t>(m.contiguous_graph && m.parts == 1 ? 1 : 0),
                                       m.polsby_popper, m.hull_ratio, m.wss};
    };
    const bool ensemble = result.ensemble.runs > 0;
    std::vector<OutputField> member_fields = {{"block_code", FieldType::text}, {"footprint", FieldType::text},
                                              {"name", FieldType::text}, {"parent", FieldType::text}};
    if (ensemble) {
        member_fields.push_back({"stability", FieldType::real});
        member_fields.push_back({"unstable", FieldType::integer});
    }
    auto member_values = [&](std::size_t i) {
        const auto region = static_cast<std::size_t>(result.partition.region[i]);
        std::vector<FieldValue> row{blocks.features[i].code, footprint_code(region),
                                    region < result.partition.names.size() ? result.partition.names[region] : std::string(),
                                    result.parent.empty() ? FieldValue{} : FieldValue{result.parent[i]}};
        if (ensemble) {
            row.emplace_back(result.ensemble.stability[i]);
            row.emplace_back(static_cast<std::int64_t>(result.ensemble.unstable(i) ? 1 : 0));
        }
        return row;
    };
    const std::vector<OutputField> boundary_fields = {
        {"block_a", FieldType::text},   {"block_b", FieldType::text}, {"footprint_a", FieldType::text},
        {"footprint_b", FieldType::text}, {"frequency", FieldType::real}, {"shared_m", FieldType::real}};
    auto boundary_values = [&](const BoundaryFrequency& edge) {
        return std::vector<FieldValue>{blocks.features[edge.a].code, blocks.features[edge.b].code,
                                       footprint_code(static_cast<std::size_t>(result.partition.region[edge.a])),
                                       footprint_code(static_cast<std::size_t>(result.partition.region[edge.b])),
                                       edge.frequency, edge.shared_length};
    };
    auto write_csv = [](const std::string& csv_path, const std::vector<OutputField>& columns, std::size_t rows,
                        const std::function<std::vector<FieldValue>(std::size_t)>& row) {
        CsvWriter out(csv_path);
        std::vector<std::string> header;
        for (const OutputField& field : columns) header.push_back(field.name);
        out.header(header);
        for (std::size_t r = 0; r < rows; ++r) {
            for (const FieldValue& value : row(r)) out.cell(value);
            out.end_row();
        }
        out.close();
    };
    if (is_csv_path(path)) {
        write_csv(path, fields, result.metrics.footprints.size(),
                  [&](std::size_t r) { return values(result.metrics.footprints[r]); });
        if (ensemble) {
            const std::vector<std::string> side = ensemble_csv_paths(path);
            write_csv(side[0], member_fields, blocks.size(), member_values);
            write_csv(side[1], boundary_fields, result.ensemble.boundaries.size(),
                      [&](std::size_t e) { return boundary_values(result.ensemble.boundaries[e]); });
        }
        return;
    }
    VectorWriter writer(path);
    writer.begin_layer("footprints", blocks.crs, LayerKind::polygon, fields);
    for (std::size_t r = 0; r < result.metrics.footprints.size(); ++r)
        writer.add(result.metrics.shapes[r], values(result.metrics.footprints[r]));
    writer.begin_table("membership", member_fields);
    for (std::size_t i = 0; i < blocks.size(); ++i) writer.add(member_values(i));
    if (ensemble) {
        const std::vector<std::vector<std::vector<Coord>>> lines = shared_boundaries(blocks, result.graph);
        writer.begin_line_layer("boundary_frequency", blocks.crs, boundary_fields);
        for (std::size_t e = 0; e < result.ensemble.boundaries.size(); ++e)
            writer.add_lines(lines[e], boundary_values(result.ensemble.boundaries[e]));
    }
    for (const LayerStyle& style : styles) writer.set_style(style.layer, style.qml);
    writer.close();
}

std::vector<std::string> ensemble_csv_paths(const std::string& csv_path) {
    std::string stem = csv_path;
    if (is_csv_path(stem)) stem.erase(stem.size() - 4);
    return {stem + "_membership.csv", stem + "_boundary_frequency.csv"};
}

}  // namespace clustering
}  // namespace placedef
