/* Town footprints: contiguity graphs and clustered footprints of the 166
 * LSOAs (2011) of Guildford and Waverley, with population and deprivation. */
#include "check.h"
#include "wkb.h"

#define BLOCKS 166

struct inputs {
    pdef_layer *lsoa, *lad;
    double population[BLOCKS];
    double imd[BLOCKS];
    double income[BLOCKS];
};

static int file_exists(const char *path) {
    FILE *file = fopen(path, "r");
    if (file) fclose(file);
    return file != NULL;
}

static double sum(const double *values, size_t count) {
    double total = 0;
    size_t i;
    for (i = 0; i < count; ++i) total += values[i];
    return total;
}

static void check_texts(pdef_context *ctx) {
    pdef_cluster_method method = PDEF_CLUSTER_SKATER;
    CHECK_OK(ctx, pdef_cluster_method_from_string(ctx, "maxp", &method));
    CHECK(method == PDEF_CLUSTER_MAXP);
    CHECK(strcmp(pdef_cluster_method_to_string(PDEF_CLUSTER_SEEDED), "seeded") == 0);
    CHECK(strcmp(pdef_cluster_method_to_string((pdef_cluster_method)5), "unknown") == 0);
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_cluster_method_from_string(ctx, "kmeans", &method));
    CHECK_MESSAGE(ctx, "kmeans");
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_cluster_method_from_string(ctx, NULL, &method));
    {
        /* the words of every front end, through the engine's one parser */
        pdef_linkage linkage = PDEF_LINKAGE_SINGLE;
        pdef_local_search search = PDEF_SEARCH_GREEDY;
        pdef_adjacency adjacency = PDEF_ADJACENCY_QUEEN;
        CHECK_OK(ctx, pdef_linkage_from_string(ctx, "complete", &linkage));
        CHECK(linkage == PDEF_LINKAGE_COMPLETE);
        CHECK_OK(ctx, pdef_local_search_from_string(ctx, "tabu", &search));
        CHECK(search == PDEF_SEARCH_TABU);
        CHECK_OK(ctx, pdef_adjacency_from_string(ctx, "rook", &adjacency));
        CHECK(adjacency == PDEF_ADJACENCY_ROOK);
        CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_linkage_from_string(ctx, "ward", &linkage));
        CHECK_MESSAGE(ctx, "unknown linkage 'ward': use single, average or complete");
        CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_local_search_from_string(ctx, "tabuu", &search));
        CHECK_MESSAGE(ctx, "unknown local search 'tabuu'");
        CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_adjacency_from_string(ctx, "bishop", &adjacency));
        CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_linkage_from_string(ctx, NULL, &linkage));
        CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_local_search_from_string(ctx, "tabu", NULL));
        CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_adjacency_from_string(ctx, "rook", NULL));
    }
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_cluster_method_from_string(ctx, "azp", NULL));
}

/* A path of four blocks A-B-C-D and a lone E, by hand. */
static void check_graph_from_edges(pdef_context *ctx) {
    const char *codes[5] = {"A", "B", "C", "D", "E"};
    const uint32_t edges[8] = {0, 1, 1, 2, 2, 3, 1, 0}; /* the last repeats the first */
    const uint32_t beyond[2] = {0, 5};
    const double lengths[4] = {10, 20, 30, 10};
    pdef_graph *graph = NULL;
    pdef_graph_summary summary;
    uint32_t neighbours[4], components[5], islands[1], joined[2];
    double shared[4];
    size_t degree = 0;
    const char *code = NULL;

    CHECK_OK(ctx, pdef_graph_create_from_edges(ctx, 5, codes, 4, edges, lengths, &graph));
    if (!graph) return;
    CHECK_OK(ctx, pdef_graph_get_summary(ctx, graph, &summary));
    CHECK(summary.blocks == 5 && summary.edges == 3 && summary.components == 2 && summary.joined == 0);
    CHECK_OK(ctx, pdef_graph_get_code(ctx, graph, 4, &code));
    CHECK(strcmp(code, "E") == 0);
    CHECK_OK(ctx, pdef_graph_get_degree(ctx, graph, 1, &degree));
    CHECK(degree == 2);
    CHECK_OK(ctx, pdef_graph_copy_neighbours(ctx, graph, 1, neighbours, shared, 4));
    CHECK(neighbours[0] == 0 && neighbours[1] == 2 && shared[1] == 20);
    CHECK_OK(ctx, pdef_graph_copy_neighbours(ctx, graph, 1, neighbours, NULL, 2));
    CHECK_OK(ctx, pdef_graph_copy_components(ctx, graph, components, 5));
    CHECK(components[0] == 0 && components[3] == 0 && components[4] == 1);
    CHECK_OK(ctx, pdef_graph_copy_islands(ctx, graph, islands, summary.islands));
    CHECK_OK(ctx, pdef_graph_copy_joined(ctx, graph, joined, 0));

    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_graph_get_code(ctx, graph, 5, &code));
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_graph_get_degree(ctx, graph, 5, &degree));
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_graph_copy_neighbours(ctx, graph, 5, neighbours, NULL, 4));
    CHECK_FAILS(ctx, PDEF_ERROR_BUFFER_TOO_SMALL, pdef_graph_copy_neighbours(ctx, graph, 1, neighbours, NULL, 1));
    CHECK_FAILS(ctx, PDEF_ERROR_BUFFER_TOO_SMALL, pdef_graph_copy_components(ctx, graph, components, 4));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_graph_copy_components(ctx, graph, NULL, 5));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_graph_copy_islands(ctx, graph, NULL, 1));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_graph_copy_joined(ctx, graph, NULL, 0));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_graph_get_summary(ctx, graph, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_graph_get_code(ctx, graph, 0, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_graph_get_degree(ctx, graph, 0, NULL));
    pdef_graph_destroy(graph);
    graph = NULL;

    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_graph_create_from_edges(ctx, 5, codes, 1, beyond, NULL, &graph));
    CHECK_MESSAGE(ctx, "beyond the 5 blocks");
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_graph_create_from_edges(ctx, 5, NULL, 1, edges, NULL, &graph));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_graph_create_from_edges(ctx, 5, codes, 1, NULL, NULL, &graph));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_graph_create_from_edges(ctx, 5, codes, 1, edges, NULL, NULL));
    CHECK(graph == NULL);
    pdef_graph_destroy(NULL);
}

/* Clustering a graph alone: a path whose two halves differ. */
static void check_footprints_from_graph(pdef_context *ctx) {
    const char *codes[4] = {"A", "B", "C", "D"};
    const uint32_t edges[6] = {0, 1, 1, 2, 2, 3};
    const double values[4] = {0, 1, 10, 11};
    const double people[4] = {100, 100, 100, 100};
    int32_t regions[4] = {-1, -1, -1, -1};
    pdef_graph *graph = NULL, *copy = NULL;
    pdef_footprint_options *options = NULL;
    pdef_footprints *footprints = NULL;
    pdef_footprints_summary summary;
    pdef_town_footprint footprint;
    pdef_layer *layer = NULL;
    unsigned char *wkb = NULL;
    size_t size = 0;
    const char *parent = NULL;

    CHECK_OK(ctx, pdef_graph_create_from_edges(ctx, 4, codes, 3, edges, NULL, &graph));
    CHECK_OK(ctx, pdef_footprint_options_create(ctx, &options));
    if (!graph || !options) return;
    CHECK_OK(ctx, pdef_footprint_options_set_count(ctx, options, 2));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_footprints_create_from_graph(ctx, graph, options, &footprints));
    CHECK_MESSAGE(ctx, "attribute");
    CHECK_OK(ctx, pdef_footprint_options_add_attribute(ctx, options, "value", values, 4, 1.0));
    CHECK_OK(ctx, pdef_footprint_options_set_population(ctx, options, people, 4));
    CHECK_OK(ctx, pdef_footprints_create_from_graph(ctx, graph, options, &footprints));
    if (footprints) {
        CHECK_OK(ctx, pdef_footprints_get_summary(ctx, footprints, &summary));
        CHECK(summary.regions == 2 && summary.blocks == 4 && !summary.has_metrics && summary.wss < summary.tss);
        CHECK(isnan(summary.min_population));
        CHECK_OK(ctx, pdef_footprints_copy_regions(ctx, footprints, regions, 4));
        CHECK(regions[0] == regions[1] && regions[2] == regions[3] && regions[0] != regions[2]);
        CHECK_FAILS(ctx, PDEF_ERROR_NOT_AVAILABLE, pdef_footprints_get_footprint(ctx, footprints, 0, &footprint));
        CHECK_MESSAGE(ctx, "graph alone");
        CHECK_FAILS(ctx, PDEF_ERROR_NOT_AVAILABLE, pdef_footprints_get_footprint_wkb(ctx, footprints, 0, &wkb, &size));
        CHECK_FAILS(ctx, PDEF_ERROR_NOT_AVAILABLE, pdef_footprints_to_layer(ctx, footprints, &layer));
        CHECK_FAILS(ctx, PDEF_ERROR_NOT_AVAILABLE, pdef_footprints_write(ctx, footprints, "x.csv"));
        CHECK_FAILS(ctx, PDEF_ERROR_NOT_AVAILABLE, pdef_footprints_get_parent(ctx, footprints, 0, &parent));
        CHECK_OK(ctx, pdef_footprints_get_graph(ctx, footprints, &copy));
        pdef_graph_destroy(copy);
        pdef_footprints_destroy(footprints);
        footprints = NULL;
    }
    /* the boundary term: SKATER needs the refinement for it, AZP takes it */
    CHECK_OK(ctx, pdef_footprint_options_set_boundary(ctx, options, 1.0));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_footprints_create_from_graph(ctx, graph, options, &footprints));
    CHECK_MESSAGE(ctx, "boundary term needs the AZP refinement");
    CHECK_OK(ctx, pdef_footprint_options_set_method(ctx, options, PDEF_CLUSTER_AZP));
    CHECK_OK(ctx, pdef_footprints_create_from_graph(ctx, graph, options, &footprints));
    if (footprints) {
        CHECK_OK(ctx, pdef_footprints_copy_regions(ctx, footprints, regions, 4));
        CHECK(regions[0] == regions[1] && regions[2] == regions[3] && regions[0] != regions[2]);
        pdef_footprints_destroy(footprints);
        footprints = NULL;
    }
    CHECK_OK(ctx, pdef_footprint_options_set_boundary(ctx, options, 0.0));
    /* seeded growth and nesting need geometry; too many footprints is refused */
    CHECK_OK(ctx, pdef_footprint_options_set_method(ctx, options, PDEF_CLUSTER_SEEDED));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_footprints_create_from_graph(ctx, graph, options, &footprints));
    CHECK_MESSAGE(ctx, "geometry");
    CHECK_OK(ctx, pdef_footprint_options_set_method(ctx, options, PDEF_CLUSTER_SKATER));
    CHECK_OK(ctx, pdef_footprint_options_set_count(ctx, options, 9));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_footprints_create_from_graph(ctx, graph, options, &footprints));
    CHECK_OK(ctx, pdef_footprint_options_set_count(ctx, options, 2));
    CHECK_OK(ctx, pdef_footprint_options_set_population(ctx, options, people, 3));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_footprints_create_from_graph(ctx, graph, options, &footprints));
    CHECK_MESSAGE(ctx, "population");
    CHECK(footprints == NULL);
    pdef_footprint_options_destroy(options);
    pdef_graph_destroy(graph);
}

/* An ensemble on a chain of 4 blocks whose two pairs every seed finds: each
 * block stable, the middle edge a boundary in every run and the others never;
 * then the sample's LSOAs by AZP, written with its stability tables. */
static void check_ensemble(pdef_context *ctx, const struct inputs *in, const char *out) {
    const char *codes[4] = {"A", "B", "C", "D"};
    const uint32_t edges[6] = {0, 1, 1, 2, 2, 3};
    const double values[4] = {0, 1, 10, 11};
    const pdef_cluster_method methods[2] = {PDEF_CLUSTER_AZP, PDEF_CLUSTER_REDCAP};
    const pdef_cluster_method bad_method = (pdef_cluster_method)9;
    double stability[BLOCKS], frequency[3];
    uint32_t pairs[6];
    pdef_graph *graph = NULL;
    pdef_footprint_options *options = NULL;
    pdef_footprints *footprints = NULL;
    pdef_ensemble_summary ensemble;
    size_t i, unstable = 0;

    CHECK_OK(ctx, pdef_graph_create_from_edges(ctx, 4, codes, 3, edges, NULL, &graph));
    CHECK_OK(ctx, pdef_footprint_options_create(ctx, &options));
    if (!graph || !options) return;
    CHECK_OK(ctx, pdef_footprint_options_set_count(ctx, options, 2));
    CHECK_OK(ctx, pdef_footprint_options_add_attribute(ctx, options, "value", values, 4, 1.0));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_footprint_options_set_ensemble(ctx, options, 1, NULL, 0));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_footprint_options_set_ensemble(ctx, options, 5, &bad_method, 1));
    /* skater alone repeats one answer: refused when the footprints are made */
    CHECK_OK(ctx, pdef_footprint_options_set_ensemble(ctx, options, 5, NULL, 0));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_footprints_create_from_graph(ctx, graph, options, &footprints));
    CHECK_MESSAGE(ctx, "same footprints for every seed");
    CHECK_OK(ctx, pdef_footprint_options_set_ensemble(ctx, options, 6, methods, 2));
    CHECK_OK(ctx, pdef_footprints_create_from_graph(ctx, graph, options, &footprints));
    if (footprints) {
        CHECK_OK(ctx, pdef_footprints_get_ensemble(ctx, footprints, &ensemble));
        CHECK(ensemble.runs == 6 && ensemble.unstable_blocks == 0 && ensemble.edges == 3);
        CHECK(ensemble.consensus_mean_ari == 1.0 && ensemble.unstable_below == 0.6);
        CHECK_OK(ctx, pdef_footprints_copy_stability(ctx, footprints, stability, 4));
        for (i = 0; i < 4; ++i) CHECK(stability[i] == 1.0);
        CHECK_FAILS(ctx, PDEF_ERROR_BUFFER_TOO_SMALL, pdef_footprints_copy_stability(ctx, footprints, stability, 3));
        CHECK_OK(ctx, pdef_footprints_copy_boundary_frequency(ctx, footprints, pairs, frequency, 3));
        CHECK(pairs[0] == 0 && pairs[1] == 1 && pairs[2] == 1 && pairs[3] == 2);
        CHECK(frequency[0] == 0.0 && frequency[1] == 1.0 && frequency[2] == 0.0);
        pdef_footprints_destroy(footprints);
        footprints = NULL;
    }
    /* one run: nothing to measure */
    CHECK_OK(ctx, pdef_footprint_options_set_ensemble(ctx, options, 0, NULL, 0));
    CHECK_OK(ctx, pdef_footprints_create_from_graph(ctx, graph, options, &footprints));
    if (footprints) {
        CHECK_OK(ctx, pdef_footprints_get_ensemble(ctx, footprints, &ensemble));
        CHECK(ensemble.runs == 0);
        CHECK_FAILS(ctx, PDEF_ERROR_NOT_AVAILABLE, pdef_footprints_copy_stability(ctx, footprints, stability, 4));
        pdef_footprints_destroy(footprints);
        footprints = NULL;
    }
    pdef_footprint_options_destroy(options);
    pdef_graph_destroy(graph);

    /* The sample's blocks by AZP into 6, over 8 seeds: stability tables beside the CSV. */
    options = NULL;
    CHECK_OK(ctx, pdef_footprint_options_create(ctx, &options));
    if (!options) return;
    CHECK_OK(ctx, pdef_footprint_options_set_method(ctx, options, PDEF_CLUSTER_AZP));
    CHECK_OK(ctx, pdef_footprint_options_set_count(ctx, options, 6));
    CHECK_OK(ctx, pdef_footprint_options_set_population(ctx, options, in->population, BLOCKS));
    CHECK_OK(ctx, pdef_footprint_options_add_attribute(ctx, options, "IMD_rank", in->imd, BLOCKS, 1.0));
    CHECK_OK(ctx, pdef_footprint_options_set_ensemble(ctx, options, 8, NULL, 0));
    CHECK_OK(ctx, pdef_footprints_create(ctx, in->lsoa, options, &footprints));
    if (footprints) {
        CHECK_OK(ctx, pdef_footprints_get_ensemble(ctx, footprints, &ensemble));
        CHECK(ensemble.runs == 8 && ensemble.consensus_run < 8);
        CHECK_OK(ctx, pdef_footprints_copy_stability(ctx, footprints, stability, BLOCKS));
        for (i = 0; i < BLOCKS; ++i) {
            CHECK(stability[i] >= 0 && stability[i] <= 1);
            if (stability[i] < 0.6) ++unstable;
        }
        CHECK(unstable == ensemble.unstable_blocks);
        CHECK_OK(ctx, pdef_footprints_write(ctx, footprints, path_in(out, "ensemble.csv")));
        CHECK(file_exists(path_in(out, "ensemble_membership.csv")));
        CHECK(file_exists(path_in(out, "ensemble_boundary_frequency.csv")));
        pdef_footprints_destroy(footprints);
    }
    pdef_footprint_options_destroy(options);
}

/* Balance on a graph: a path of 100, 100, 100 and 300 people cut in two.
 * Unbalanced, the attribute cuts it in the middle (200 and 400 people);
 * balance 4 keeps each footprint within 12.5 % of the mean 300. */
static void check_balance_from_graph(pdef_context *ctx) {
    const char *codes[4] = {"A", "B", "C", "D"};
    const uint32_t edges[6] = {0, 1, 1, 2, 2, 3};
    const double values[4] = {0, 1, 10, 11};
    const double people[4] = {100, 100, 100, 300};
    int32_t regions[4] = {-1, -1, -1, -1};
    pdef_graph *graph = NULL;
    pdef_footprint_options *options = NULL;
    pdef_footprints *footprints = NULL;

    CHECK_OK(ctx, pdef_graph_create_from_edges(ctx, 4, codes, 3, edges, NULL, &graph));
    CHECK_OK(ctx, pdef_footprint_options_create(ctx, &options));
    if (!graph || !options) return;
    CHECK_OK(ctx, pdef_footprint_options_add_attribute(ctx, options, "value", values, 4, 1.0));
    CHECK_OK(ctx, pdef_footprint_options_set_population(ctx, options, people, 4));
    CHECK_OK(ctx, pdef_footprint_options_set_count(ctx, options, 2));
    CHECK_OK(ctx, pdef_footprints_create_from_graph(ctx, graph, options, &footprints));
    if (footprints) {
        CHECK_OK(ctx, pdef_footprints_copy_regions(ctx, footprints, regions, 4));
        CHECK(regions[0] == regions[1] && regions[1] != regions[2] && regions[2] == regions[3]);
        pdef_footprints_destroy(footprints);
        footprints = NULL;
    }
    CHECK_OK(ctx, pdef_footprint_options_set_balance(ctx, options, 4));
    CHECK_OK(ctx, pdef_footprints_create_from_graph(ctx, graph, options, &footprints));
    if (footprints) {
        CHECK_OK(ctx, pdef_footprints_copy_regions(ctx, footprints, regions, 4));
        CHECK(regions[0] == regions[1] && regions[1] == regions[2] && regions[2] != regions[3]);
        pdef_footprints_destroy(footprints);
        footprints = NULL;
    }
    /* without k there is no mean to balance around; NAN restores the default (none) */
    CHECK_OK(ctx, pdef_footprint_options_set_count(ctx, options, 0));
    CHECK_OK(ctx, pdef_footprint_options_set_population_bounds(ctx, options, 150, INFINITY));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_footprints_create_from_graph(ctx, graph, options, &footprints));
    CHECK_MESSAGE(ctx, "a balance needs k");
    CHECK_OK(ctx, pdef_footprint_options_set_balance(ctx, options, NAN));
    CHECK_OK(ctx, pdef_footprints_create_from_graph(ctx, graph, options, &footprints));
    pdef_footprints_destroy(footprints);
    footprints = NULL;
    /* a bound no partition meets is refused, naming it */
    CHECK_OK(ctx, pdef_footprint_options_set_count(ctx, options, 2));
    CHECK_OK(ctx, pdef_footprint_options_set_population_bounds(ctx, options, 350, INFINITY));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_footprints_create_from_graph(ctx, graph, options, &footprints));
    CHECK_MESSAGE(ctx, "k = 2 footprints of at least the floor 350 need 700 people");
    /* a mean population of 200 per footprint: 600 people make 3 footprints; never with k */
    CHECK_OK(ctx, pdef_footprint_options_set_population_bounds(ctx, options, 0, INFINITY));
    CHECK_OK(ctx, pdef_footprint_options_set_mean_population(ctx, options, 200));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_footprints_create_from_graph(ctx, graph, options, &footprints));
    CHECK_MESSAGE(ctx, "not both (k 2, mean population 200)");
    CHECK_OK(ctx, pdef_footprint_options_set_count(ctx, options, 0));
    CHECK_OK(ctx, pdef_footprints_create_from_graph(ctx, graph, options, &footprints));
    if (footprints) {
        pdef_footprints_summary made;
        CHECK_OK(ctx, pdef_footprints_get_summary(ctx, footprints, &made));
        CHECK(made.regions == 3);
        pdef_footprints_destroy(footprints);
        footprints = NULL;
    }
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_footprint_options_set_mean_population(ctx, options, -1));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_footprint_options_set_mean_population(ctx, options, NAN));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_footprint_options_set_balance(ctx, options, -1));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_footprint_options_set_balance(ctx, options, 5));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_footprint_options_set_balance(ctx, NULL, 1));
    CHECK(footprints == NULL);
    pdef_footprint_options_destroy(options);
    pdef_graph_destroy(graph);
}

static void check_options_errors(pdef_context *ctx) {
    pdef_footprint_options *options = NULL;
    const double values[2] = {1, 2};
    CHECK_OK(ctx, pdef_footprint_options_create(ctx, &options));
    if (!options) return;
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_footprint_options_set_method(ctx, options, (pdef_cluster_method)9));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_footprint_options_set_population_bounds(ctx, options, -1, INFINITY));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_footprint_options_set_population_bounds(ctx, options, 10, 5));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_footprint_options_set_population_bounds(ctx, options, 0, NAN));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_footprint_options_set_boundary(ctx, options, -1));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_footprint_options_set_boundary(ctx, options, NAN));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_footprint_options_add_attribute(ctx, options, "a", values, 2, -1));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_footprint_options_add_attribute(ctx, options, NULL, values, 2, 1));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_footprint_options_add_attribute(ctx, options, "a", NULL, 2, 1));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_footprint_options_set_population(ctx, options, NULL, 2));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_footprint_options_set_seeded(ctx, options, NULL, 0, 0, 0.5));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_footprint_options_set_seeded(ctx, options, NULL, INFINITY, 0, 5));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_footprint_options_set_search(ctx, options, (pdef_linkage)3,
                                                                            PDEF_SEARCH_TABU, false, 10, 2));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_footprint_options_set_search(ctx, options, PDEF_LINKAGE_SINGLE,
                                                                            (pdef_local_search)3, false, 10, 2));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_footprint_options_set_search(ctx, options, PDEF_LINKAGE_SINGLE,
                                                                            PDEF_SEARCH_TABU, false, 0, 2));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION,
                pdef_footprint_options_set_contiguity(ctx, options, (pdef_adjacency)2, 5, 10, false));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION,
                pdef_footprint_options_set_contiguity(ctx, options, PDEF_ADJACENCY_ROOK, -5, 10, false));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION,
                pdef_footprint_options_set_contiguity(ctx, options, PDEF_ADJACENCY_ROOK, 5, NAN, false));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT,
                pdef_footprint_options_set_nesting(ctx, options, NULL, PDEF_NESTING_WITHIN_UNITS));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_footprint_options_set_nesting(ctx, options, NULL, (pdef_nesting)3));
    CHECK_OK(ctx, pdef_footprint_options_set_nesting(ctx, options, NULL, PDEF_NESTING_NONE));
    CHECK_OK(ctx, pdef_footprint_options_set_seed(ctx, options, 42));
    CHECK_OK(ctx, pdef_footprint_options_clear_attributes(ctx, options));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_footprint_options_create(ctx, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_footprint_options_set_seed(ctx, NULL, 1));
    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE,
                pdef_footprint_options_set_count(ctx, (pdef_footprint_options *)(void *)not_a_handle, 3));
    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE, pdef_footprint_options_set_seeded(
                                                  ctx, options, (const pdef_layer *)(const void *)options, 1, 0, 0));
    CHECK_MESSAGE(ctx, "(it is a pdef_footprint_options)");
    pdef_footprint_options_destroy(options);
    pdef_footprint_options_destroy(NULL);
}

static void check_graph_of_blocks(pdef_context *ctx, const struct inputs *in) {
    pdef_graph *queen = NULL, *rook = NULL;
    pdef_graph_summary q, r;
    CHECK_OK(ctx, pdef_graph_create(ctx, in->lsoa, PDEF_ADJACENCY_QUEEN, 5, 10, false, &queen));
    CHECK_OK(ctx, pdef_graph_create(ctx, in->lsoa, PDEF_ADJACENCY_ROOK, 5, 10, true, &rook));
    if (queen && rook) {
        CHECK_OK(ctx, pdef_graph_get_summary(ctx, queen, &q));
        CHECK_OK(ctx, pdef_graph_get_summary(ctx, rook, &r));
        CHECK(q.blocks == BLOCKS && q.edges >= r.edges && q.edges > BLOCKS && q.islands == 0);
        CHECK(r.components == 1);
    }
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION,
                pdef_graph_create(ctx, in->lsoa, (pdef_adjacency)7, 5, 10, false, &queen));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_graph_create(ctx, in->lsoa, PDEF_ADJACENCY_QUEEN, -1, 10, false, &queen));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_graph_create(ctx, NULL, PDEF_ADJACENCY_QUEEN, 5, 10, false, &queen));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_graph_create(ctx, in->lsoa, PDEF_ADJACENCY_QUEEN, 5, 10, false, NULL));
    pdef_graph_destroy(queen);
    pdef_graph_destroy(rook);
}

/* The built-in attributes, made from the blocks as the command line's --attr density and
 * --attr position make them: eight footprints by SKATER on them alone; other names, bad
 * weights and a graph without geometry are refused. */
static void check_builtin_attributes(pdef_context *ctx, const struct inputs *in) {
    pdef_footprint_options *options = NULL;
    pdef_footprints *footprints = NULL;
    pdef_footprints_summary summary;
    pdef_graph *graph = NULL;
    CHECK_OK(ctx, pdef_footprint_options_create(ctx, &options));
    if (!options) return;
    CHECK_OK(ctx, pdef_footprint_options_set_method(ctx, options, PDEF_CLUSTER_SKATER));
    CHECK_OK(ctx, pdef_footprint_options_set_count(ctx, options, 8));
    CHECK_OK(ctx, pdef_footprint_options_set_population(ctx, options, in->population, BLOCKS));
    CHECK_OK(ctx, pdef_footprint_options_add_builtin_attribute(ctx, options, "density", 1.0));
    CHECK_OK(ctx, pdef_footprint_options_add_builtin_attribute(ctx, options, "position", 0.5));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_footprint_options_add_builtin_attribute(ctx, options, "height", 1.0));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_footprint_options_add_builtin_attribute(ctx, options, "density", -1.0));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_footprint_options_add_builtin_attribute(ctx, options, NULL, 1.0));
    CHECK_OK(ctx, pdef_footprints_create(ctx, in->lsoa, options, &footprints));
    if (footprints) {
        CHECK_OK(ctx, pdef_footprints_get_summary(ctx, footprints, &summary));
        CHECK(summary.regions == 8 && summary.blocks == BLOCKS && summary.wss < summary.tss);
        pdef_footprints_destroy(footprints);
        footprints = NULL;
    }
    CHECK_OK(ctx, pdef_graph_create(ctx, in->lsoa, PDEF_ADJACENCY_QUEEN, 5, 10, false, &graph));
    if (graph) {
        CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_footprints_create_from_graph(ctx, graph, options, &footprints));
        pdef_graph_destroy(graph);
    }
    CHECK_OK(ctx, pdef_footprint_options_clear_attributes(ctx, options));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_footprints_create(ctx, in->lsoa, options, &footprints));
    pdef_footprint_options_destroy(options);
}

/* Eight footprints by SKATER on deprivation, with population; all invariants
 * a person can check: every block in one region, people add up, shapes match areas. */
static void check_skater(pdef_context *ctx, const struct inputs *in, const char *out) {
    pdef_footprint_options *options = NULL;
    pdef_footprints *footprints = NULL;
    pdef_footprints_summary summary;
    pdef_town_footprint footprint;
    pdef_layer *layer = NULL;
    pdef_graph *graph = NULL;
    pdef_graph_summary graph_summary;
    int32_t regions[BLOCKS], again[BLOCKS];
    size_t i, blocks = 0, count = 0, size = 0;
    double people = 0, area = 0;
    unsigned char *wkb = NULL;
    const char *parent = NULL;

    CHECK_OK(ctx, pdef_footprint_options_create(ctx, &options));
    if (!options) return;
    CHECK_OK(ctx, pdef_footprint_options_set_method(ctx, options, PDEF_CLUSTER_SKATER));
    CHECK_OK(ctx, pdef_footprint_options_set_count(ctx, options, 8));
    CHECK_OK(ctx, pdef_footprint_options_set_population(ctx, options, in->population, BLOCKS));
    CHECK_OK(ctx, pdef_footprint_options_set_population_bounds(ctx, options, 10000, INFINITY));
    CHECK_OK(ctx, pdef_footprint_options_add_attribute(ctx, options, "IMD_rank", in->imd, BLOCKS, 1.0));
    CHECK_OK(ctx, pdef_footprint_options_add_attribute(ctx, options, "Income_rank", in->income, BLOCKS, 0.5));
    CHECK_OK(ctx, pdef_footprint_options_set_contiguity(ctx, options, PDEF_ADJACENCY_QUEEN, 5, 10, false));
    CHECK_OK(ctx, pdef_footprint_options_set_search(ctx, options, PDEF_LINKAGE_AVERAGE, PDEF_SEARCH_ANNEALING, false,
                                                    100, 10));
    CHECK_OK(ctx, pdef_footprints_create(ctx, in->lsoa, options, &footprints));
    if (!footprints) {
        pdef_footprint_options_destroy(options);
        return;
    }
    CHECK_OK(ctx, pdef_footprints_get_summary(ctx, footprints, &summary));
    CHECK(summary.regions == 8 && summary.blocks == BLOCKS && summary.has_metrics && summary.groups == 1);
    CHECK(summary.wss < summary.tss && summary.min_population >= 10000 && summary.max_population >= summary.min_population);
    CHECK_OK(ctx, pdef_footprints_copy_regions(ctx, footprints, regions, BLOCKS));
    for (i = 0; i < BLOCKS; ++i) CHECK(regions[i] >= 0 && regions[i] < 8);
    for (i = 0; i < summary.regions; ++i) {
        CHECK_OK(ctx, pdef_footprints_get_footprint(ctx, footprints, i, &footprint));
        CHECK(footprint.region == (int32_t)i && footprint.blocks >= 1 && footprint.contiguous_graph);
        CHECK(footprint.polsby_popper > 0 && footprint.polsby_popper <= 1 && footprint.hull_ratio > 0 &&
              footprint.hull_ratio <= 1 + 1e-9 && footprint.perimeter_m > 0 && footprint.name != NULL);
        blocks += footprint.blocks;
        people += footprint.population;
        area += footprint.area_m2;
    }
    CHECK(blocks == BLOCKS);
    CHECK_NEAR(people, sum(in->population, BLOCKS), 1e-6 * people);
    CHECK_NEAR(area / 1e6, 271.0 + 345.2, 1.0);
    CHECK_OK(ctx, pdef_footprints_get_footprint_wkb(ctx, footprints, 0, &wkb, &size));
    CHECK(wkb && wkb_type(wkb) == 6);
    pdef_free(wkb);
    CHECK_OK(ctx, pdef_footprints_get_graph(ctx, footprints, &graph));
    CHECK_OK(ctx, pdef_graph_get_summary(ctx, graph, &graph_summary));
    CHECK(graph_summary.blocks == BLOCKS);
    pdef_graph_destroy(graph);
    CHECK_OK(ctx, pdef_footprints_to_layer(ctx, footprints, &layer));
    CHECK_OK(ctx, pdef_layer_get_count(ctx, layer, &count));
    CHECK(count == 8);
    pdef_layer_destroy(layer);
    CHECK_OK(ctx, pdef_footprints_write(ctx, footprints, path_in(out, "footprints.gpkg")));
    CHECK_OK(ctx, pdef_footprints_write(ctx, footprints, path_in(out, "footprints.csv")));
    CHECK_FAILS(ctx, PDEF_ERROR_OUTPUT, pdef_footprints_write(ctx, footprints, path_in(out, "no/dir/footprints.csv")));
    CHECK_FAILS(ctx, PDEF_ERROR_NOT_AVAILABLE, pdef_footprints_get_parent(ctx, footprints, 0, &parent));
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_footprints_get_parent(ctx, footprints, BLOCKS, &parent));
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_footprints_get_footprint(ctx, footprints, 8, &footprint));
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_footprints_get_footprint_wkb(ctx, footprints, 8, &wkb, &size));
    CHECK_FAILS(ctx, PDEF_ERROR_BUFFER_TOO_SMALL, pdef_footprints_copy_regions(ctx, footprints, regions, 10));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_footprints_get_summary(ctx, footprints, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_footprints_get_footprint(ctx, footprints, 0, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_footprints_get_footprint_wkb(ctx, footprints, 0, NULL, &size));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_footprints_get_footprint_wkb(ctx, footprints, 0, &wkb, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_footprints_get_parent(ctx, footprints, 0, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_footprints_get_graph(ctx, footprints, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_footprints_to_layer(ctx, footprints, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_footprints_write(ctx, footprints, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE,
                pdef_footprints_get_summary(ctx, (const pdef_footprints *)(const void *)options, &summary));
    pdef_footprints_destroy((pdef_footprints *)(void *)options); /* another type: left alone */
    pdef_footprints_destroy(footprints);
    footprints = NULL;

    /* the same seed gives the same footprints, whatever the thread count */
    CHECK_OK(ctx, pdef_context_set_threads(ctx, 1));
    CHECK_OK(ctx, pdef_footprints_create(ctx, in->lsoa, options, &footprints));
    CHECK_OK(ctx, pdef_context_set_threads(ctx, 0));
    CHECK_OK(ctx, pdef_footprints_copy_regions(ctx, footprints, again, BLOCKS));
    CHECK(memcmp(regions, again, sizeof regions) == 0);
    pdef_footprints_destroy(footprints);
    footprints = NULL;

    /* a floor above the total population cannot be met */
    CHECK_OK(ctx, pdef_footprint_options_set_population_bounds(ctx, options, 1e9, INFINITY));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_footprints_create(ctx, in->lsoa, options, &footprints));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_footprints_create(ctx, NULL, options, &footprints));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_footprints_create(ctx, in->lsoa, NULL, &footprints));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_footprints_create(ctx, in->lsoa, options, NULL));
    CHECK(footprints == NULL);
    pdef_footprint_options_destroy(options);
}

/* Footprints within districts, and seeded growth from five towns. */
static void check_nesting_and_seeds(pdef_context *ctx, const struct inputs *in, const char *out) {
    pdef_footprint_options *options = NULL;
    pdef_footprints *footprints = NULL;
    pdef_footprints_summary summary;
    pdef_town_footprint footprint;
    pdef_layer *towns = NULL;
    const char *towns_path = path_in(out, "towns.csv");
    const char *parent = NULL, *note = NULL;
    size_t i, named = 0, notes = 0;
    FILE *file = fopen(towns_path, "w");
    if (!file) return;
    fputs("name,longitude,latitude\n"
          "Guildford,-0.5704,51.2362\nGodalming,-0.6149,51.1857\nFarnham,-0.7986,51.2146\n"
          "Haslemere,-0.7115,51.0899\nCranleigh,-0.4894,51.1419\n",
          file);
    fclose(file);

    CHECK_OK(ctx, pdef_footprint_options_create(ctx, &options));
    if (!options) return;
    CHECK_OK(ctx, pdef_footprint_options_set_count(ctx, options, 6));
    CHECK_OK(ctx, pdef_footprint_options_add_attribute(ctx, options, "IMD_rank", in->imd, BLOCKS, 1.0));
    CHECK_OK(ctx, pdef_footprint_options_set_nesting(ctx, options, in->lad, PDEF_NESTING_WITHIN_UNITS));
    CHECK_OK(ctx, pdef_footprints_create(ctx, in->lsoa, options, &footprints));
    if (footprints) {
        CHECK_OK(ctx, pdef_footprints_get_summary(ctx, footprints, &summary));
        CHECK(summary.regions == 6 && summary.groups == 2);
        CHECK_OK(ctx, pdef_footprints_get_parent(ctx, footprints, 0, &parent));
        CHECK(strcmp(parent, "E07000209") == 0 || strcmp(parent, "E07000216") == 0);
        pdef_footprints_destroy(footprints);
        footprints = NULL;
    }
    CHECK_OK(ctx, pdef_footprint_options_set_nesting(ctx, options, NULL, PDEF_NESTING_NONE));

    CHECK_OK(ctx, pdef_layer_open_places(ctx, towns_path, "", &towns));
    CHECK_FAILS(ctx, PDEF_ERROR_IO, pdef_layer_open_places(ctx, path_in(out, "no_towns.csv"), "", &towns));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_open_places(ctx, towns_path, NULL, &towns));
    CHECK_OK(ctx, pdef_footprint_options_set_method(ctx, options, PDEF_CLUSTER_SEEDED));
    CHECK_OK(ctx, pdef_footprint_options_set_count(ctx, options, 0));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_footprints_create(ctx, in->lsoa, options, &footprints));
    CHECK_MESSAGE(ctx, "town centres");
    CHECK_OK(ctx, pdef_footprint_options_set_population(ctx, options, in->population, BLOCKS));
    CHECK_OK(ctx, pdef_footprint_options_set_seeded(ctx, options, towns, INFINITY, 0, 0.5));
    pdef_layer_destroy(towns); /* the options keep the places */
    CHECK_OK(ctx, pdef_footprints_create(ctx, in->lsoa, options, &footprints));
    if (footprints) {
        CHECK_OK(ctx, pdef_footprints_get_summary(ctx, footprints, &summary));
        CHECK(summary.regions == 5);
        for (i = 0; i < summary.regions; ++i) {
            CHECK_OK(ctx, pdef_footprints_get_footprint(ctx, footprints, i, &footprint));
            named += strcmp(footprint.name, "Guildford") == 0 || strcmp(footprint.name, "Cranleigh") == 0;
        }
        CHECK(named == 2);
        CHECK_OK(ctx, pdef_footprints_get_note_count(ctx, footprints, &notes));
        CHECK(notes == 0);
        pdef_footprints_destroy(footprints);
        footprints = NULL;
    }

    /* Within the districts, from Guildford alone: Waverley holds no town, so
     * it is a rural footprint of its own, and a note says why. */
    file = fopen(towns_path, "w");
    if (!file) return;
    fputs("name,longitude,latitude\nGuildford,-0.5704,51.2362\n", file);
    fclose(file);
    CHECK_OK(ctx, pdef_layer_open_places(ctx, towns_path, "", &towns));
    CHECK_OK(ctx, pdef_footprint_options_set_seeded(ctx, options, towns, INFINITY, 0, NAN));
    pdef_layer_destroy(towns);
    CHECK_OK(ctx, pdef_footprint_options_set_nesting(ctx, options, in->lad, PDEF_NESTING_WITHIN_UNITS));
    CHECK_OK(ctx, pdef_footprints_create(ctx, in->lsoa, options, &footprints));
    if (footprints) {
        CHECK_OK(ctx, pdef_footprints_get_summary(ctx, footprints, &summary));
        CHECK(summary.regions == 2);
        CHECK_OK(ctx, pdef_footprints_get_footprint(ctx, footprints, 1, &footprint));
        CHECK(strcmp(footprint.name, "Rural 1") == 0);
        CHECK_OK(ctx, pdef_footprints_get_note_count(ctx, footprints, &notes));
        CHECK(notes == 1);
        CHECK_OK(ctx, pdef_footprints_get_note(ctx, footprints, 0, &note));
        CHECK(note && strstr(note, "Rural 1 is unit ") && strstr(note, "E07000216") && strstr(note, "holds no town"));
        CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_footprints_get_note(ctx, footprints, 1, &note));
        CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_footprints_get_note_count(ctx, footprints, NULL));
        pdef_footprints_destroy(footprints);
    }
    pdef_footprint_options_destroy(options);
}

static void check_within(pdef_context *ctx, const struct inputs *in) {
    const char *guildford[1] = {"E07000209"};
    const char *nowhere[1] = {"E00000000"};
    pdef_layer *within = NULL;
    size_t count = 0;
    CHECK_OK(ctx, pdef_layer_create_within(ctx, in->lsoa, in->lad, guildford, 1, &within));
    CHECK_OK(ctx, pdef_layer_get_count(ctx, within, &count));
    CHECK(count == 84); /* the LSOAs of Guildford (shapefiles/SOURCES.md) */
    pdef_layer_destroy(within);
    within = NULL;
    CHECK_OK(ctx, pdef_layer_create_within(ctx, in->lsoa, in->lad, NULL, 0, &within));
    CHECK_OK(ctx, pdef_layer_get_count(ctx, within, &count));
    CHECK(count == BLOCKS);
    pdef_layer_destroy(within);
    within = NULL;
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_layer_create_within(ctx, in->lsoa, in->lad, nowhere, 1, &within));
    CHECK_MESSAGE(ctx, "E00000000");
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_create_within(ctx, in->lsoa, NULL, NULL, 0, &within));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_create_within(ctx, in->lsoa, in->lad, NULL, 1, &within));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_create_within(ctx, in->lsoa, in->lad, NULL, 0, NULL));
    CHECK(within == NULL);
}

/* Partner layers: the districts as a soft boundary at weight 10 keep each of
 * 8 AZP footprints in one district; the divisions aligned with are reported. */
static void check_partners(pdef_context *ctx, const struct inputs *in, pdef_layer *ced) {
    pdef_footprint_options *options = NULL;
    pdef_footprints *footprints = NULL;
    pdef_graph *graph = NULL;
    pdef_partner_fit fit;
    size_t count = 9;

    CHECK_OK(ctx, pdef_footprint_options_create(ctx, &options));
    if (!options) return;
    CHECK_OK(ctx, pdef_footprint_options_set_method(ctx, options, PDEF_CLUSTER_AZP));
    CHECK_OK(ctx, pdef_footprint_options_set_count(ctx, options, 8));
    CHECK_OK(ctx, pdef_footprint_options_set_population(ctx, options, in->population, BLOCKS));
    CHECK_OK(ctx, pdef_footprint_options_add_attribute(ctx, options, "IMD_rank", in->imd, BLOCKS, 1.0));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_footprint_options_add_partner(ctx, options, in->lad, PDEF_PARTNER_RESPECT, 0));
    CHECK_MESSAGE(ctx, "above 0");
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION,
                pdef_footprint_options_add_partner(ctx, options, in->lad, (pdef_partner_role)7, 1));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_footprint_options_add_partner(ctx, options, NULL, PDEF_PARTNER_ALIGN, 1));
    CHECK_OK(ctx, pdef_footprint_options_add_partner(ctx, options, in->lad, PDEF_PARTNER_RESPECT, 10));
    CHECK_OK(ctx, pdef_footprints_create(ctx, in->lsoa, options, &footprints));
    if (footprints) {
        CHECK_OK(ctx, pdef_footprints_get_partner_count(ctx, footprints, PDEF_PARTNER_RESPECT, &count));
        CHECK(count == 1);
        CHECK_OK(ctx, pdef_footprints_get_partner_fit(ctx, footprints, PDEF_PARTNER_RESPECT, 0, &fit));
        CHECK(strcmp(fit.layer, "lad_2021") == 0 && fit.weight == 10);
        CHECK(fit.footprints == 8 && fit.footprints_across == 0 && fit.footprints_in_units == 1.0);
        CHECK(fit.units == 2 && fit.units_whole == 0); /* two districts, each in several footprints */
        CHECK_OK(ctx, pdef_footprints_get_partner_count(ctx, footprints, PDEF_PARTNER_ALIGN, &count));
        CHECK(count == 0);
        pdef_footprints_destroy(footprints);
        footprints = NULL;
    }
    CHECK_OK(ctx, pdef_footprint_options_add_partner(ctx, options, ced, PDEF_PARTNER_ALIGN, 1));
    CHECK_OK(ctx, pdef_footprints_create(ctx, in->lsoa, options, &footprints));
    if (footprints) {
        CHECK_OK(ctx, pdef_footprints_get_partner_fit(ctx, footprints, PDEF_PARTNER_ALIGN, 0, &fit));
        CHECK(strcmp(fit.layer, "ced_2025") == 0 && fit.units == 19 && fit.units_whole <= fit.units);
        CHECK(fit.units_in_footprints > 0.5 && fit.units_in_footprints <= 1.0);
        CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_footprints_get_partner_fit(ctx, footprints, PDEF_PARTNER_ALIGN, 1, &fit));
        CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_footprints_get_partner_count(ctx, footprints, PDEF_PARTNER_ALIGN, NULL));
        pdef_footprints_destroy(footprints);
        footprints = NULL;
    }
    /* without geometry there is no unit to put a block in */
    CHECK_OK(ctx, pdef_graph_create(ctx, in->lsoa, PDEF_ADJACENCY_ROOK, 5, 10, false, &graph));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_footprints_create_from_graph(ctx, graph, options, &footprints));
    CHECK_MESSAGE(ctx, "partner layers need blocks with geometry");
    CHECK_OK(ctx, pdef_footprint_options_clear_partners(ctx, options));
    CHECK_OK(ctx, pdef_footprints_create(ctx, in->lsoa, options, &footprints));
    CHECK_OK(ctx, pdef_footprints_get_partner_count(ctx, footprints, PDEF_PARTNER_RESPECT, &count));
    CHECK(count == 0);
    pdef_footprints_destroy(footprints);
    pdef_graph_destroy(graph);
    pdef_footprint_options_destroy(options);
}

int main(int argc, char **argv) {
    static struct inputs in;
    pdef_context *ctx = NULL;
    const char *imd = NULL;
    if (argc < 3) {
        fprintf(stderr, "usage: test_footprints SOURCE_DIR OUTPUT_DIR\n");
        return 2;
    }
    if (pdef_context_create(&ctx) != PDEF_OK) return 1;
    check_texts(ctx);
    check_graph_from_edges(ctx);
    check_footprints_from_graph(ctx);
    check_balance_from_graph(ctx);
    check_options_errors(ctx);
    imd = path_in(argv[1], "shapefiles/imd_2019_lsoa11.csv");
    CHECK_OK(ctx, pdef_layer_open(ctx, path_in(argv[1], "shapefiles/lsoa_2011.gpkg"), PDEF_LAYER_POLYGON, &in.lsoa));
    CHECK_OK(ctx, pdef_layer_open(ctx, path_in(argv[1], "shapefiles/lad_2021.gpkg"), PDEF_LAYER_POLYGON, &in.lad));
    CHECK_OK(ctx, pdef_layer_join_numeric(ctx, in.lsoa, path_in(argv[1], "shapefiles/population_mid2020_lsoa11.csv"),
                                          "lsoa11_code", "total_population", NAN, in.population, BLOCKS));
    CHECK_OK(ctx, pdef_layer_join_numeric(ctx, in.lsoa, imd, NULL, "IMD_rank", NAN, in.imd, BLOCKS));
    CHECK_OK(ctx, pdef_layer_join_numeric(ctx, in.lsoa, imd, NULL, "Income_rank", NAN, in.income, BLOCKS));
    if (in.lsoa && in.lad) {
        check_graph_of_blocks(ctx, &in);
        check_skater(ctx, &in, argv[2]);
        check_builtin_attributes(ctx, &in);
        check_nesting_and_seeds(ctx, &in, argv[2]);
        check_within(ctx, &in);
        check_ensemble(ctx, &in, argv[2]);
        {
            pdef_layer *ced = NULL;
            CHECK_OK(ctx, pdef_layer_open(ctx, path_in(argv[1], "shapefiles/ced_2025.gpkg"), PDEF_LAYER_POLYGON, &ced));
            if (ced) check_partners(ctx, &in, ced);
            pdef_layer_destroy(ced);
        }
    }
    pdef_layer_destroy(in.lad);
    pdef_layer_destroy(in.lsoa);
    pdef_context_destroy(ctx);
    return finish("test_footprints");
}
