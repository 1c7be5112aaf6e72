// Town footprints: contiguity graphs, footprint options and clustered footprints.
#include "api/detail/handles.hpp"

#include "placedef/geometry.hpp"
#include "placedef/render.hpp"

#include <cmath>
#include <limits>

using namespace placedef;
using namespace placedef::detail::capi;

namespace {

Adjacency adjacency_of(pdef_adjacency adjacency) {
    check_option(adjacency == PDEF_ADJACENCY_QUEEN || adjacency == PDEF_ADJACENCY_ROOK,
                 "the adjacency " + std::to_string(static_cast<int>(adjacency)) + " is not queen or rook");
    return static_cast<Adjacency>(adjacency);
}

const ContiguityGraph& graph_of(const pdef_graph* handle) { return use(handle, "graph").graph; }

void check_block(const ContiguityGraph& graph, std::size_t block) { check_index(block, graph.size(), "block"); }

pdef_graph* new_graph_handle(ContiguityGraph graph) {
    auto handle = std::make_unique<GraphObject>();
    handle->graph = std::move(graph);
    return publish(std::move(handle));
}

/// The footprints' metrics, which footprints clustered on a graph alone lack.
const FootprintsObject& with_metrics(const pdef_footprints* handle) {
    const FootprintsObject& footprints = use(handle, "footprints");
    if (!footprints.blocks)
        throw Misuse(PDEF_ERROR_NOT_AVAILABLE, "footprints clustered on a graph alone have no geometry or metrics");
    return footprints;
}

/// The partner fits of a role.
const std::vector<PartnerFit>& fits_of(const pdef_footprints* footprints, pdef_partner_role role) {
    const FootprintResult& result = use(footprints, "footprints").result;
    check_option(role == PDEF_PARTNER_RESPECT || role == PDEF_PARTNER_ALIGN,
                 "the role " + std::to_string(static_cast<int>(role)) + " is not a pdef_partner_role");
    return role == PDEF_PARTNER_RESPECT ? result.respect_fit : result.align_fit;
}

/// The request with the options' layers and the context's threads.
FootprintRequest request_of(const ContextObject& ctx, const FootprintOptionsObject& options) {
    FootprintRequest request = options.request;
    request.places = options.places.get();
    request.nest_layer = options.nest.get();
    request.cluster.threads = ctx.threads;
    request.contiguity.threads = ctx.threads;
    return request;
}

/// The balance, NAN standing for "the method's default".
void set_balance(ClusterOptions& options, double balance) {
    if (std::isnan(balance)) options.balance.reset();
    else options.balance = balance;
}

/// A word read into a C enum by the engine's parser for it (choice_from_string).
template <typename CEnum, typename Parse>
pdef_status parse_choice(pdef_context* ctx, const char* function, const char* text, CEnum* out, const char* out_name,
                         Parse parse) {
    return guarded(ctx, function, [&] {
        require(text, "text");
        require(out, out_name);
        *out = static_cast<CEnum>(parse(text));
    });
}

}  // namespace

static_assert(static_cast<int>(Adjacency::rook) == PDEF_ADJACENCY_ROOK, "pdef_adjacency mirrors placedef::Adjacency");
static_assert(static_cast<int>(ClusterMethod::seeded) == PDEF_CLUSTER_SEEDED &&
                  static_cast<int>(ClusterMethod::maxp) == PDEF_CLUSTER_MAXP,
              "pdef_cluster_method mirrors placedef::ClusterMethod");
static_assert(static_cast<int>(Linkage::complete) == PDEF_LINKAGE_COMPLETE, "pdef_linkage mirrors placedef::Linkage");
static_assert(static_cast<int>(LocalSearch::annealing) == PDEF_SEARCH_ANNEALING,
              "pdef_local_search mirrors placedef::LocalSearch");
static_assert(static_cast<int>(Nesting::within_units) == PDEF_NESTING_WITHIN_UNITS,
              "pdef_nesting mirrors placedef::Nesting");
static_assert(partner_across_share == 0.05, "pdef_partner_fit documents footprints_across as more than 5 %");

namespace placedef::detail::capi {

ContiguityOptions contiguity_of(pdef_adjacency adjacency, double snap, double min_shared_length, bool join_islands) {
    ContiguityOptions options;
    options.adjacency = adjacency_of(adjacency);
    check_option(std::isfinite(snap) && snap >= 0, "the snap distance must be a finite number of metres, zero or more (default 5)");
    check_option(std::isfinite(min_shared_length) && min_shared_length >= 0,
                 "the minimum shared length must be a finite number of metres, zero or more (default 10)");
    options.snap = snap;
    options.min_shared_length = min_shared_length;
    options.islands = join_islands ? IslandPolicy::join_nearest : IslandPolicy::report;
    return options;
}

}  // namespace placedef::detail::capi

extern "C" {

pdef_status pdef_graph_create(pdef_context* ctx, const pdef_layer* blocks, pdef_adjacency adjacency, double snap,
                              double min_shared_length, bool join_islands, pdef_graph** out) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        const Layer& layer = *use(blocks, "blocks").layer;
        require(out, "out");
        ContiguityOptions options = contiguity_of(adjacency, snap, min_shared_length, join_islands);
        options.threads = context.threads;
        *out = new_graph_handle(contiguity_graph(layer, options));
    });
}

pdef_status pdef_graph_create_from_edges(pdef_context* ctx, size_t count, const char* const* codes, size_t edge_count,
                                         const uint32_t* edges, const double* lengths, pdef_graph** out) {
    return guarded(ctx, __func__, [&] {
        std::vector<std::string> names = texts(codes, count, "codes");
        if (edge_count) require(edges, "edges");
        require(out, "out");
        std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
        for (std::size_t e = 0; e < edge_count; ++e) {
            const std::uint32_t a = edges[2 * e], b = edges[2 * e + 1];
            if (a >= count || b >= count)
                throw invalid_input("edge " + std::to_string(e) + " (" + std::to_string(a) + ", " + std::to_string(b) +
                                    ") names a block beyond the " + std::to_string(count) + " blocks");
            pairs.emplace_back(a, b);
        }
        std::vector<double> shared;
        if (lengths) shared.assign(lengths, lengths + edge_count);
        *out = new_graph_handle(graph_from_edges(std::move(names), pairs, shared));
    });
}

void pdef_graph_destroy(pdef_graph* graph) { destroy(graph); }

pdef_status pdef_graph_get_summary(pdef_context* ctx, const pdef_graph* graph, pdef_graph_summary* summary) {
    return guarded(ctx, __func__, [&] {
        const ContiguityGraph& g = graph_of(graph);
        require(summary, "summary");
        *summary = pdef_graph_summary{g.size(), g.edge_count(), g.component_count, g.islands.size(), g.joined.size()};
    });
}

pdef_status pdef_graph_get_code(pdef_context* ctx, const pdef_graph* graph, size_t block, const char** code) {
    return guarded(ctx, __func__, [&] {
        const ContiguityGraph& g = graph_of(graph);
        require(code, "code");
        check_block(g, block);
        *code = g.codes[block].c_str();
    });
}

pdef_status pdef_graph_get_degree(pdef_context* ctx, const pdef_graph* graph, size_t block, size_t* degree) {
    return guarded(ctx, __func__, [&] {
        const ContiguityGraph& g = graph_of(graph);
        require(degree, "degree");
        check_block(g, block);
        *degree = g.degree(block);
    });
}

pdef_status pdef_graph_copy_neighbours(pdef_context* ctx, const pdef_graph* graph, size_t block, uint32_t* neighbours,
                                       double* shared_lengths, size_t buffer_size) {
    return guarded(ctx, __func__, [&] {
        const ContiguityGraph& g = graph_of(graph);
        check_block(g, block);
        check_buffer(neighbours, buffer_size, g.degree(block));
        for (std::size_t k = g.offsets[block], i = 0; k < g.offsets[block + 1]; ++k, ++i) {
            neighbours[i] = g.neighbours[k];
            if (shared_lengths) shared_lengths[i] = g.shared_length[k];
        }
    });
}

pdef_status pdef_graph_copy_components(pdef_context* ctx, const pdef_graph* graph, uint32_t* components,
                                       size_t buffer_size) {
    return guarded(ctx, __func__, [&] {
        const ContiguityGraph& g = graph_of(graph);
        check_buffer(components, buffer_size, g.size());
        std::copy(g.component.begin(), g.component.end(), components);
    });
}

pdef_status pdef_graph_copy_islands(pdef_context* ctx, const pdef_graph* graph, uint32_t* islands, size_t buffer_size) {
    return guarded(ctx, __func__, [&] {
        const ContiguityGraph& g = graph_of(graph);
        check_buffer(islands, buffer_size, g.islands.size());
        std::copy(g.islands.begin(), g.islands.end(), islands);
    });
}

pdef_status pdef_graph_copy_joined(pdef_context* ctx, const pdef_graph* graph, uint32_t* pairs, size_t buffer_size) {
    return guarded(ctx, __func__, [&] {
        const ContiguityGraph& g = graph_of(graph);
        check_buffer(pairs, buffer_size, 2 * g.joined.size());
        for (std::size_t i = 0; i < g.joined.size(); ++i) {
            pairs[2 * i] = g.joined[i].first;
            pairs[2 * i + 1] = g.joined[i].second;
        }
    });
}

pdef_status pdef_cluster_method_from_string(pdef_context* ctx, const char* text, pdef_cluster_method* method) {
    return parse_choice(ctx, __func__, text, method, "method", cluster_method_from_string);
}

pdef_status pdef_linkage_from_string(pdef_context* ctx, const char* text, pdef_linkage* linkage) {
    return parse_choice(ctx, __func__, text, linkage, "linkage", linkage_from_string);
}

pdef_status pdef_local_search_from_string(pdef_context* ctx, const char* text, pdef_local_search* search) {
    return parse_choice(ctx, __func__, text, search, "search", local_search_from_string);
}

pdef_status pdef_adjacency_from_string(pdef_context* ctx, const char* text, pdef_adjacency* adjacency) {
    return parse_choice(ctx, __func__, text, adjacency, "adjacency", adjacency_from_string);
}

const char* pdef_cluster_method_to_string(pdef_cluster_method method) {
    if (method < PDEF_CLUSTER_SKATER || method > PDEF_CLUSTER_SEEDED) return "unknown";
    return to_string(static_cast<ClusterMethod>(method));
}

pdef_status pdef_footprint_options_create(pdef_context* ctx, pdef_footprint_options** out) {
    return guarded(ctx, __func__, [&] {
        require(out, "out");
        *out = publish(std::make_unique<FootprintOptionsObject>());
    });
}

void pdef_footprint_options_destroy(pdef_footprint_options* options) { destroy(options); }

pdef_status pdef_footprint_options_set_method(pdef_context* ctx, pdef_footprint_options* options,
                                              pdef_cluster_method method) {
    return guarded(ctx, __func__, [&] {
        FootprintRequest& request = use(options, "options").request;
        check_option(method >= PDEF_CLUSTER_SKATER && method <= PDEF_CLUSTER_SEEDED,
                     "the method " + std::to_string(static_cast<int>(method)) + " is not a pdef_cluster_method");
        request.cluster.method = static_cast<ClusterMethod>(method);
    });
}

pdef_status pdef_footprint_options_set_seed(pdef_context* ctx, pdef_footprint_options* options, uint64_t seed) {
    return guarded(ctx, __func__, [&] { use(options, "options").request.cluster.seed = seed; });
}

pdef_status pdef_footprint_options_set_count(pdef_context* ctx, pdef_footprint_options* options, size_t k) {
    return guarded(ctx, __func__, [&] { use(options, "options").request.k = k; });
}

pdef_status pdef_footprint_options_set_mean_population(pdef_context* ctx, pdef_footprint_options* options,
                                                       double mean_population) {
    return guarded(ctx, __func__, [&] {
        FootprintRequest& request = use(options, "options").request;
        check_option(std::isfinite(mean_population) && mean_population >= 0,
                     "the mean population per footprint must be a finite number, zero or more (0: not used)");
        request.mean_population = mean_population;
    });
}

pdef_status pdef_footprint_options_set_population_bounds(pdef_context* ctx, pdef_footprint_options* options,
                                                         double min_population, double max_population) {
    return guarded(ctx, __func__, [&] {
        FootprintRequest& request = use(options, "options").request;
        check_option(std::isfinite(min_population) && min_population >= 0,
                     "the population floor must be a finite number, zero or more");
        check_option(max_population > min_population,
                     "the population ceiling must be above the floor (INFINITY: no ceiling)");
        request.min_population = min_population;
        request.max_population = max_population;
    });
}

pdef_status pdef_footprint_options_set_population(pdef_context* ctx, pdef_footprint_options* options,
                                                  const double* values, size_t count) {
    return guarded(ctx, __func__, [&] {
        FootprintRequest& request = use(options, "options").request;
        if (count) require(values, "values");
        request.population.assign(values, values + count);
    });
}

pdef_status pdef_footprint_options_add_attribute(pdef_context* ctx, pdef_footprint_options* options, const char* name,
                                                 const double* values, size_t count, double weight) {
    return guarded(ctx, __func__, [&] {
        FootprintRequest& request = use(options, "options").request;
        require(name, "name");
        require(values, "values");
        check_option(std::isfinite(weight) && weight >= 0, "an attribute's weight must be a finite number, zero or more");
        request.attributes.push_back(FootprintAttribute{name, std::vector<double>(values, values + count), weight});
    });
}

pdef_status pdef_footprint_options_add_builtin_attribute(pdef_context* ctx, pdef_footprint_options* options,
                                                         const char* name, double weight) {
    return guarded(ctx, __func__, [&] {
        FootprintOptionsObject& o = use(options, "options");
        require(name, "name");
        check_option(is_builtin_attribute(name), std::string("'") + name +
                                                     "' is not a built-in attribute (density or position); another "
                                                     "attribute takes one value per block");
        check_option(std::isfinite(weight) && weight >= 0, "an attribute's weight must be a finite number, zero or more");
        o.builtin.push_back({name, {}, weight});
    });
}

pdef_status pdef_footprint_options_clear_attributes(pdef_context* ctx, pdef_footprint_options* options) {
    return guarded(ctx, __func__, [&] {
        FootprintOptionsObject& o = use(options, "options");
        o.request.attributes.clear();
        o.builtin.clear();
    });
}

pdef_status pdef_footprint_options_set_boundary(pdef_context* ctx, pdef_footprint_options* options, double weight) {
    return guarded(ctx, __func__, [&] {
        FootprintRequest& request = use(options, "options").request;
        check_option(weight == 0 || (weight >= min_attribute_weight && weight <= max_attribute_weight),
                     "the weight of the boundary term must be 0 or between 1e-100 and 1e100");
        request.boundary = weight;
    });
}

pdef_status pdef_footprint_options_set_seeded(pdef_context* ctx, pdef_footprint_options* options,
                                              const pdef_layer* places, double rural_distance,
                                              size_t rural_footprints, double balance) {
    return guarded(ctx, __func__, [&] {
        FootprintOptionsObject& o = use(options, "options");
        std::shared_ptr<const Layer> towns = places ? use(places, "places").layer : nullptr;
        check_option(rural_distance > 0, "the rural distance must be more than 0 metres (INFINITY: no rural footprints)");
        check_option(std::isnan(balance) || (balance >= 0 && balance <= 4),
                     "the balance must lie in [0, 4] (NAN: the method's default, 0.5 for seeded growth)");
        o.places = std::move(towns);
        o.request.cluster.rural_distance = rural_distance;
        o.request.cluster.rural_footprints = rural_footprints;
        set_balance(o.request.cluster, balance);
    });
}

pdef_status pdef_footprint_options_set_balance(pdef_context* ctx, pdef_footprint_options* options, double balance) {
    return guarded(ctx, __func__, [&] {
        FootprintOptionsObject& o = use(options, "options");
        check_option(std::isnan(balance) || (balance >= 0 && balance <= 4),
                     "the balance must lie in [0, 4] (NAN: the method's default, 0.5 for seeded growth and 0 for the others)");
        set_balance(o.request.cluster, balance);
    });
}

pdef_status pdef_footprint_options_set_search(pdef_context* ctx, pdef_footprint_options* options, pdef_linkage linkage,
                                              pdef_local_search search, bool refine, size_t construction_tries,
                                              size_t restarts) {
    return guarded(ctx, __func__, [&] {
        ClusterOptions& cluster = use(options, "options").request.cluster;
        check_option(linkage >= PDEF_LINKAGE_SINGLE && linkage <= PDEF_LINKAGE_COMPLETE,
                     "the linkage " + std::to_string(static_cast<int>(linkage)) + " is not a pdef_linkage");
        check_option(search >= PDEF_SEARCH_GREEDY && search <= PDEF_SEARCH_ANNEALING,
                     "the search " + std::to_string(static_cast<int>(search)) + " is not a pdef_local_search");
        check_option(construction_tries >= 1 && restarts >= 1, "max-p constructions and AZP restarts must be 1 or more");
        cluster.linkage = static_cast<Linkage>(linkage);
        cluster.search = static_cast<LocalSearch>(search);
        cluster.refine = refine;
        cluster.construction_tries = construction_tries;
        cluster.restarts = restarts;
    });
}

pdef_status pdef_footprint_options_set_contiguity(pdef_context* ctx, pdef_footprint_options* options,
                                                  pdef_adjacency adjacency, double snap, double min_shared_length,
                                                  bool join_islands) {
    return guarded(ctx, __func__, [&] {
        FootprintRequest& request = use(options, "options").request;
        request.contiguity = contiguity_of(adjacency, snap, min_shared_length, join_islands);
    });
}

pdef_status pdef_footprint_options_set_nesting(pdef_context* ctx, pdef_footprint_options* options,
                                               const pdef_layer* nest, pdef_nesting nesting) {
    return guarded(ctx, __func__, [&] {
        FootprintOptionsObject& o = use(options, "options");
        check_option(nesting >= PDEF_NESTING_NONE && nesting <= PDEF_NESTING_WITHIN_UNITS,
                     "the nesting " + std::to_string(static_cast<int>(nesting)) + " is not a pdef_nesting");
        if (nesting != PDEF_NESTING_NONE) require(nest, "nest");
        o.nest = nesting == PDEF_NESTING_NONE ? nullptr : use(nest, "nest").layer;
        o.request.nesting = static_cast<Nesting>(nesting);
    });
}

pdef_status pdef_footprint_options_set_ensemble(pdef_context* ctx, pdef_footprint_options* options, size_t runs,
                                               const pdef_cluster_method* methods, size_t method_count) {
    return guarded(ctx, __func__, [&] {
        EnsembleOptions& ensemble = use(options, "options").request.ensemble;
        if (method_count > 0) require(methods, "methods");
        std::vector<ClusterMethod> chosen;
        for (std::size_t i = 0; i < method_count; ++i) {
            check_option(methods[i] >= PDEF_CLUSTER_SKATER && methods[i] <= PDEF_CLUSTER_SEEDED,
                         "the method " + std::to_string(static_cast<int>(methods[i])) + " is not a pdef_cluster_method");
            chosen.push_back(static_cast<ClusterMethod>(methods[i]));
        }
        check_option(runs != 1, "an ensemble needs at least 2 runs (0: no ensemble)");
        check_option(runs > 0 || method_count == 0, "ensemble methods need a run count");
        ensemble.runs = runs;
        ensemble.methods = std::move(chosen);
    });
}

pdef_status pdef_footprint_options_add_partner(pdef_context* ctx, pdef_footprint_options* options, const pdef_layer* layer,
                                               pdef_partner_role role, double weight) {
    return guarded(ctx, __func__, [&] {
        FootprintOptionsObject& o = use(options, "options");
        std::shared_ptr<const Layer> partner = use(layer, "layer").layer;
        check_option(role == PDEF_PARTNER_RESPECT || role == PDEF_PARTNER_ALIGN,
                     "the role " + std::to_string(static_cast<int>(role)) + " is not a pdef_partner_role");
        check_option(std::isfinite(weight) && weight > 0, "a partner layer's weight must be a finite number above 0 (default 1)");
        (role == PDEF_PARTNER_RESPECT ? o.respect : o.align).emplace_back(std::move(partner), weight);
    });
}

pdef_status pdef_footprint_options_clear_partners(pdef_context* ctx, pdef_footprint_options* options) {
    return guarded(ctx, __func__, [&] {
        FootprintOptionsObject& o = use(options, "options");
        o.respect.clear();
        o.align.clear();
    });
}

pdef_status pdef_footprints_create(pdef_context* ctx, const pdef_layer* blocks, const pdef_footprint_options* options,
                                   pdef_footprints** out) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        FootprintsRequest request;
        request.blocks = LayerInput(use(blocks, "blocks").layer);
        const FootprintOptionsObject& o = use(options, "options");
        require(out, "out");
        request.options = request_of(context, o);
        request.attributes = o.builtin;
        if (o.nest) request.nest = LayerInput(o.nest);
        for (const auto& [layer, weight] : o.respect) request.respect.push_back({LayerInput(layer), weight});
        for (const auto& [layer, weight] : o.align) request.align.push_back({LayerInput(layer), weight});
        FootprintsResult job = run_footprints(request, context.settings(), context.problems);
        auto handle = std::make_unique<FootprintsObject>();
        handle->result = std::move(job.result);
        std::vector<const Layer*> inputs{use(blocks, "blocks").layer.get(), o.nest.get()};
        for (const auto* partners : {&o.respect, &o.align})
            for (const auto& partner : *partners) inputs.push_back(partner.first.get());
        handle->inputs = sources_of(inputs);
        handle->blocks = job.blocks;
        *out = publish(std::move(handle));
    });
}

pdef_status pdef_footprints_create_from_graph(pdef_context* ctx, const pdef_graph* graph,
                                              const pdef_footprint_options* options, pdef_footprints** out) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        const ContiguityGraph& g = graph_of(graph);
        const FootprintOptionsObject& o = use(options, "options");
        require(out, "out");
        const FootprintRequest request = request_of(context, o);
        if (request.cluster.method == ClusterMethod::seeded)
            throw invalid_input("seeded growth needs blocks with geometry (use pdef_footprints_create)");
        if (request.nesting != Nesting::none)
            throw invalid_input("a nesting rule needs blocks with geometry (use pdef_footprints_create)");
        if (!o.builtin.empty())
            throw invalid_input("a built-in attribute (" + o.builtin.front().name + ") needs blocks with geometry (use pdef_footprints_create)");
        if (!o.respect.empty() || !o.align.empty())
            throw invalid_input("partner layers need blocks with geometry (use pdef_footprints_create)");
        if (request.attributes.empty())
            throw invalid_input(std::string(to_string(request.cluster.method)) + " needs at least one attribute");
        auto handle = std::make_unique<FootprintsObject>();
        FootprintResult& result = handle->result;
        result.graph = g;
        result.problem = problem_from_request(result.graph, request);
        if (request.ensemble.runs > 0) {
            Ensemble ensemble = cluster_ensemble(result.problem, request.cluster, request.ensemble);
            result.partition = std::move(ensemble.consensus);
            result.ensemble = std::move(ensemble.summary);
        } else {
            result.partition = cluster(result.problem, request.cluster);
        }
        std::tie(result.partition.wss, result.partition.tss) = sums_of_squares(result.problem, result.partition.region);
        *out = publish(std::move(handle));
    });
}

void pdef_footprints_destroy(pdef_footprints* footprints) { destroy(footprints); }

pdef_status pdef_footprints_get_summary(pdef_context* ctx, const pdef_footprints* footprints,
                                        pdef_footprints_summary* summary) {
    return guarded(ctx, __func__, [&] {
        const FootprintsObject& f = use(footprints, "footprints");
        require(summary, "summary");
        const FootprintResult& r = f.result;
        const bool metrics = f.blocks != nullptr;
        const double nan = std::numeric_limits<double>::quiet_NaN();
        *summary = pdef_footprints_summary{r.partition.regions,
                                           r.partition.region.size(),
                                           r.partition.wss,
                                           r.partition.tss,
                                           metrics,
                                           metrics ? r.metrics.non_contiguous : 0,
                                           metrics ? r.metrics.min_population : nan,
                                           metrics ? r.metrics.max_population : nan,
                                           r.groups};
    });
}

pdef_status pdef_footprints_get_ensemble(pdef_context* ctx, const pdef_footprints* footprints,
                                         pdef_ensemble_summary* summary) {
    return guarded(ctx, __func__, [&] {
        const EnsembleResult& e = use(footprints, "footprints").result.ensemble;
        require(summary, "summary");
        const bool ran = e.runs > 0;
        *summary = pdef_ensemble_summary{e.runs,
                                         e.consensus_run,
                                         ran ? e.mean_ari[e.consensus_run] : std::numeric_limits<double>::quiet_NaN(),
                                         e.unstable_blocks,
                                         e.unstable_population,
                                         unstable_stability,
                                         e.boundaries.size()};
    });
}

pdef_status pdef_footprints_copy_stability(pdef_context* ctx, const pdef_footprints* footprints, double* stability,
                                           size_t buffer_size) {
    return guarded(ctx, __func__, [&] {
        const EnsembleResult& e = use(footprints, "footprints").result.ensemble;
        if (e.runs == 0) throw Misuse(PDEF_ERROR_NOT_AVAILABLE, "the footprints come from one run: no ensemble, no stability");
        check_buffer(stability, buffer_size, e.stability.size());
        std::copy(e.stability.begin(), e.stability.end(), stability);
    });
}

pdef_status pdef_footprints_copy_boundary_frequency(pdef_context* ctx, const pdef_footprints* footprints, uint32_t* pairs,
                                                    double* frequency, size_t buffer_size) {
    return guarded(ctx, __func__, [&] {
        const EnsembleResult& e = use(footprints, "footprints").result.ensemble;
        if (e.runs == 0) throw Misuse(PDEF_ERROR_NOT_AVAILABLE, "the footprints come from one run: no ensemble, no boundary frequency");
        if (pairs) check_buffer(pairs, buffer_size, e.boundaries.size());
        if (frequency) check_buffer(frequency, buffer_size, e.boundaries.size());
        for (std::size_t k = 0; k < e.boundaries.size(); ++k) {
            if (pairs) {
                pairs[2 * k] = e.boundaries[k].a;
                pairs[2 * k + 1] = e.boundaries[k].b;
            }
            if (frequency) frequency[k] = e.boundaries[k].frequency;
        }
    });
}

pdef_status pdef_footprints_copy_regions(pdef_context* ctx, const pdef_footprints* footprints, int32_t* regions,
                                         size_t buffer_size) {
    return guarded(ctx, __func__, [&] {
        const std::vector<std::int32_t>& region = use(footprints, "footprints").result.partition.region;
        check_buffer(regions, buffer_size, region.size());
        std::copy(region.begin(), region.end(), regions);
    });
}

pdef_status pdef_footprints_get_partner_count(pdef_context* ctx, const pdef_footprints* footprints, pdef_partner_role role,
                                              size_t* count) {
    return guarded(ctx, __func__, [&] {
        const std::vector<PartnerFit>& fits = fits_of(footprints, role);
        require(count, "count");
        *count = fits.size();
    });
}

pdef_status pdef_footprints_get_partner_fit(pdef_context* ctx, const pdef_footprints* footprints, pdef_partner_role role,
                                            size_t index, pdef_partner_fit* fit) {
    return guarded(ctx, __func__, [&] {
        const std::vector<PartnerFit>& fits = fits_of(footprints, role);
        require(fit, "fit");
        check_index(index, fits.size(), "partner layer");
        const PartnerFit& f = fits[index];
        *fit = pdef_partner_fit{f.layer.c_str(),
                                f.weight,
                                f.footprints_in_units,
                                f.units_in_footprints,
                                f.footprint_people.size(),
                                f.footprints_across(partner_across_share),
                                f.units_with_people(),
                                f.units_within_one(ScoringOptions{}.tolerance)};
    });
}

pdef_status pdef_footprints_get_footprint(pdef_context* ctx, const pdef_footprints* footprints, size_t region,
                                          pdef_town_footprint* footprint) {
    return guarded(ctx, __func__, [&] {
        const PartitionMetrics& m = with_metrics(footprints).result.metrics;
        require(footprint, "footprint");
        check_index(region, m.footprints.size(), "footprint");
        const FootprintMetrics& f = m.footprints[region];
        *footprint = pdef_town_footprint{f.region,  f.name.c_str(),   f.blocks,     f.population,
                                         f.area_m2, f.perimeter_m,    f.contiguous_graph, f.parts,
                                         f.polsby_popper, f.hull_ratio, f.wss};
    });
}

pdef_status pdef_footprints_get_footprint_wkb(pdef_context* ctx, const pdef_footprints* footprints, size_t region,
                                              unsigned char** wkb, size_t* size) {
    return guarded(ctx, __func__, [&] {
        const PartitionMetrics& m = with_metrics(footprints).result.metrics;
        require(wkb, "wkb");
        require(size, "size");
        check_index(region, m.shapes.size(), "footprint");
        give_wkb(to_wkb(m.shapes[region]), wkb, size);
    });
}

pdef_status pdef_footprints_get_parent(pdef_context* ctx, const pdef_footprints* footprints, size_t block,
                                       const char** parent) {
    return guarded(ctx, __func__, [&] {
        const FootprintResult& r = use(footprints, "footprints").result;
        require(parent, "parent");
        check_index(block, r.partition.region.size(), "block");
        if (r.parent.empty()) throw Misuse(PDEF_ERROR_NOT_AVAILABLE, "the footprints were made without a nesting rule");
        *parent = r.parent[block].c_str();
    });
}

pdef_status pdef_footprints_get_note_count(pdef_context* ctx, const pdef_footprints* footprints, size_t* count) {
    return guarded(ctx, __func__, [&] {
        const FootprintsObject& f = use(footprints, "footprints");
        require(count, "count");
        *count = f.result.notes.size();
    });
}

pdef_status pdef_footprints_get_note(pdef_context* ctx, const pdef_footprints* footprints, size_t index, const char** note) {
    return guarded(ctx, __func__, [&] {
        const FootprintsObject& f = use(footprints, "footprints");
        require(note, "note");
        check_index(index, f.result.notes.size(), "note");
        *note = f.result.notes[index].c_str();
    });
}

pdef_status pdef_footprints_get_graph(pdef_context* ctx, const pdef_footprints* footprints, pdef_graph** out) {
    return guarded(ctx, __func__, [&] {
        const FootprintResult& r = use(footprints, "footprints").result;
        require(out, "out");
        *out = new_graph_handle(r.graph);
    });
}

pdef_status pdef_footprints_to_layer(pdef_context* ctx, const pdef_footprints* footprints, pdef_layer** out) {
    return guarded(ctx, __func__, [&] {
        const FootprintsObject& f = with_metrics(footprints);
        require(out, "out");
        *out = new_layer_handle(footprint_polygons(f.result, f.blocks->crs));
    });
}

pdef_status pdef_footprints_write(pdef_context* ctx, const pdef_footprints* footprints, const char* path) {
    return guarded(ctx, __func__, [&] {
        const FootprintsObject& f = with_metrics(footprints);
        check_write(f.inputs, path, {"footprints", "membership"});
        write_footprints(f.result, *f.blocks, path, footprint_styles(f.result, *f.blocks));
    });
}

}  // extern "C"
