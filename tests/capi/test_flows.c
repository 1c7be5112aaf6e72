#include <stdio.h>
/* Functional areas from commuting flows through the C API, on the strip of the
 * engine's test (tests/integration/test_flows.cpp): town one | village | town
 * two, 1 km squares in a row, and an island 2 km east of town two whose
 * people work there. Under the istat rules (1,000 to 10,000 residents in
 * work) the village (self-containment 0.1) joins town one, the island (0.67)
 * joins town two through the link its flows make: two areas,
 *   T1 + V: residents 6,000, jobs 5,700, internal 5,700;
 *   T2 + I: residents 6,200, jobs 6,500, internal 6,200. */
#include "boxes.h"
#include "check.h"

static const char *const unit_codes[] = {"T1", "V", "T2", "I"};
static const char *const unit_names[] = {"Town one", "Village", "Town two", "Island"};
static const double unit_boxes[][4] = {{0, 0, 1, 1}, {1, 0, 2, 1}, {2, 0, 3, 1}, {5, 0, 6, 1}};

/* Writes `text` to `path`; returns path. */
static const char *write_text(const char *path, const char *text) {
    FILE *file = fopen(path, "w");
    CHECK(file != NULL);
    if (file) {
        fputs(text, file);
        fclose(file);
    }
    return path;
}

/* Whether the file at `path` exists and its first line is `header`. */
static int has_header(const char *path, const char *header) {
    char line[512] = "";
    FILE *file = fopen(path, "r");
    if (!file) return 0;
    if (!fgets(line, sizeof line, file)) line[0] = '\0';
    fclose(file);
    line[strcspn(line, "\r\n")] = '\0';
    return strcmp(line, header) == 0;
}

/* The areas of `units` from the flows `text`, written to `name` in `out`, under the istat rules. */
static pdef_functional_areas *istat_areas(pdef_context *ctx, const pdef_layer *units, const char *out, const char *name,
                                          const char *text) {
    pdef_functional_areas *fa = NULL;
    pdef_flows_options options;
    pdef_flows_options_init(&options);
    options.rules = "istat";
    CHECK_OK(ctx, pdef_flows(ctx, units, write_text(path_in(out, name), text), &options, &fa));
    return fa;
}

/* Farm | village | town | city in a row (the engine's reserve case): the town barely
 * meets the rule (1,000 residents in work, 760 working at home); the village sends 60
 * of its 1,000 workers to the town and 940 to the city it does not touch, so joining
 * the town would weaken it below the rule: the village is set aside, then placed where
 * an area it touches still meets the rule, the farm's (20,000 working at home). */
static void check_reserve(pdef_context *ctx, const char *out) {
    static const char *const codes[] = {"V", "T", "F", "C"};
    static const double row[][4] = {{1, 0, 2, 1}, {2, 0, 3, 1}, {0, 0, 1, 1}, {3, 0, 4, 1}};
    pdef_layer *units = boxes(ctx, "row", 4, codes, NULL, row);
    pdef_functional_areas *fa = NULL;
    pdef_functional_areas_summary summary;
    pdef_functional_area area;
    pdef_flows_options options;
    pdef_partition_agreement agreement;
    bool measured = true;
    size_t unit = 9;
    int32_t placed = -9;
    fa = istat_areas(ctx, units, out, "reserve.csv",
                     "home,work,people\nT,T,760\nT,C,240\nV,T,60\nV,C,940\nF,F,20000\nC,C,50000\n");
    CHECK_OK(ctx, pdef_functional_areas_get_summary(ctx, fa, &summary));
    CHECK(summary.areas == 3 && summary.reserved == 1 && summary.invalid == 0 && summary.island_links == 0);
    CHECK_OK(ctx, pdef_functional_areas_get_reserved(ctx, fa, 0, &unit, &placed));
    CHECK(unit == 0 && placed == 0);
    CHECK_OK(ctx, pdef_functional_areas_get_area(ctx, fa, 0, &area));
    /* The village and the farm, named after the farm (its 20,000 jobs): 20,000 of 21,000 at work inside. */
    CHECK(strcmp(area.code, "F") == 0 && area.units == 2 && area.valid);
    CHECK_NEAR(area.supply_containment, 20000.0 / 21000.0, 1e-12);
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_functional_areas_get_reserved(ctx, fa, 0, &unit, NULL));
    CHECK_OK(ctx, pdef_functional_areas_get_agreement(ctx, fa, &agreement, &measured));
    CHECK(!measured); /* no agree_with */
    pdef_functional_areas_destroy(fa);
    /* Against another tool's partition of the same units: {V, F} {T} {C}, ours exactly. */
    pdef_flows_options_init(&options);
    options.rules = "istat";
    options.agree_with = write_text(path_in(out, "theirs.csv"), "code,lma\nV,1\nF,1\nT,2\nC,3\n");
    CHECK_OK(ctx, pdef_flows(ctx, units, path_in(out, "reserve.csv"), &options, &fa));
    CHECK_OK(ctx, pdef_functional_areas_get_agreement(ctx, fa, &agreement, &measured));
    CHECK(measured && agreement.units == 4 && agreement.areas == 3 && agreement.other_areas == 3);
    CHECK(agreement.identical_areas == 3 && agreement.units_matched == 4);
    CHECK_NEAR(agreement.adjusted_rand, 1.0, 1e-12);
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_functional_areas_get_agreement(ctx, fa, NULL, &measured));
    pdef_functional_areas_destroy(fa);
    pdef_layer_destroy(units);
}

/* Two towns side by side, 2,000 of each one's 2,200 workers at home and 200 in the other:
 * two areas. 1,000 more of A's residents work beyond the units (the code "LDN") and 900
 * of B's jobs are filled from beyond ("OXF"): counted, A alone is no longer an area, and
 * with B it is one (the engine's case, worked out there). */
static void check_outside(pdef_context *ctx, const char *out) {
    static const char *const codes[] = {"A", "B"};
    static const double row[][4] = {{0, 0, 1, 1}, {1, 0, 2, 1}};
    pdef_layer *units = boxes(ctx, "pair", 2, codes, NULL, row);
    pdef_functional_areas *fa = NULL;
    pdef_functional_areas_summary summary;
    pdef_functional_area area;
    double working_outside = -1, coming_in = -1;
    fa = istat_areas(ctx, units, out, "outside.csv",
                     "home,work,people\nA,A,2000\nA,B,200\nB,B,2000\nB,A,200\nA,LDN,1000\nOXF,B,900\n");
    CHECK_OK(ctx, pdef_functional_areas_get_summary(ctx, fa, &summary));
    CHECK(summary.areas == 1 && summary.invalid == 0 && summary.flows == 6);
    CHECK_NEAR(summary.commuters, 6300, 1e-9);
    CHECK_OK(ctx, pdef_functional_areas_get_outside(ctx, fa, &working_outside, &coming_in));
    CHECK_NEAR(working_outside, 1000, 1e-9);
    CHECK_NEAR(coming_in, 900, 1e-9);
    CHECK_OK(ctx, pdef_functional_areas_get_area(ctx, fa, 0, &area));
    CHECK_NEAR(area.residents, 5400, 1e-9);
    CHECK_NEAR(area.jobs, 5300, 1e-9);
    CHECK_NEAR(area.internal, 4400, 1e-9);
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_functional_areas_get_outside(ctx, fa, NULL, &coming_in));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_functional_areas_get_outside(ctx, fa, &working_outside, NULL));
    pdef_functional_areas_destroy(fa);
    pdef_layer_destroy(units);
}

static void check_areas(pdef_context *ctx, const pdef_functional_areas *fa, const char *out, const char *table) {
    pdef_functional_areas_summary summary;
    pdef_functional_area area;
    int32_t membership[4] = {-9, -9, -9, -9};
    size_t a = 0, b = 0, size = 0, count = 0;
    int32_t reserved_area = 0;
    unsigned char *wkb = NULL;
    pdef_layer *layer = NULL;
    const char *code = NULL;

    CHECK_OK(ctx, pdef_functional_areas_get_summary(ctx, fa, &summary));
    CHECK(summary.units == 4 && summary.areas == 2 && summary.invalid == 0);
    CHECK(summary.reserved == 0 && summary.without_flows == 0 && summary.island_links == 1);
    CHECK(summary.dissolved == 2 && summary.flows == 7);
    CHECK_NEAR(summary.commuters, 12200, 1e-9);

    CHECK_OK(ctx, pdef_functional_areas_get_area(ctx, fa, 0, &area));
    CHECK(strcmp(area.code, "T1") == 0 && strcmp(area.name, "Town one") == 0 && area.units == 2);
    CHECK_NEAR(area.residents, 6000, 1e-9);
    CHECK_NEAR(area.jobs, 5700, 1e-9);
    CHECK_NEAR(area.internal, 5700, 1e-9);
    CHECK_NEAR(area.supply_containment, 0.95, 1e-12);
    CHECK_NEAR(area.demand_containment, 1.0, 1e-12);
    CHECK(area.valid && area.validity >= 1);
    CHECK_OK(ctx, pdef_functional_areas_get_area(ctx, fa, 1, &area));
    CHECK(strcmp(area.code, "T2") == 0 && strcmp(area.name, "Town two") == 0 && area.units == 2);
    CHECK_NEAR(area.residents, 6200, 1e-9);
    CHECK_NEAR(area.jobs, 6500, 1e-9);
    CHECK_NEAR(area.demand_containment, 6200.0 / 6500.0, 1e-12);
    CHECK(area.valid);

    CHECK_OK(ctx, pdef_functional_areas_copy_membership(ctx, fa, membership, 4));
    CHECK(membership[0] == 0 && membership[1] == 0 && membership[2] == 1 && membership[3] == 1);
    CHECK_FAILS(ctx, PDEF_ERROR_BUFFER_TOO_SMALL, pdef_functional_areas_copy_membership(ctx, fa, membership, 3));

    /* The island (unit 3) is linked to town two (unit 2), the pair in order. */
    CHECK_OK(ctx, pdef_functional_areas_get_island_link(ctx, fa, 0, &a, &b));
    CHECK(a == 2 && b == 3);
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_functional_areas_get_island_link(ctx, fa, 1, &a, &b));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_functional_areas_get_island_link(ctx, fa, 0, NULL, &b));
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_functional_areas_get_reserved(ctx, fa, 0, &a, &reserved_area));
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_functional_areas_get_area(ctx, fa, 2, &area));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_functional_areas_get_area(ctx, fa, 0, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_functional_areas_get_summary(ctx, fa, NULL));

    /* Town one and the village dissolved: one polygon of 2 km by 1 km. */
    CHECK_OK(ctx, pdef_functional_areas_get_area_wkb(ctx, fa, 0, &wkb, &size));
    CHECK(wkb != NULL && size > 9 && wkb_type(wkb) == 6);
    if (wkb && size > 9) {
        uint32_t polygons;
        memcpy(&polygons, wkb + 5, 4);
        CHECK(polygons == 1);
    }
    pdef_free(wkb);
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_functional_areas_get_area_wkb(ctx, fa, 2, &wkb, &size));

    CHECK_OK(ctx, pdef_functional_areas_to_layer(ctx, fa, &layer));
    CHECK_OK(ctx, pdef_layer_get_count(ctx, layer, &count));
    CHECK(count == 2);
    CHECK_OK(ctx, pdef_layer_get_code(ctx, layer, 1, &code));
    CHECK(code && strcmp(code, "T2") == 0);
    pdef_layer_destroy(layer);

    /* What `placedef flows -o` writes, and never over an input. */
    CHECK_OK(ctx, pdef_functional_areas_write(ctx, fa, path_in(out, "areas.csv")));
    CHECK(has_header(path_in(out, "areas.csv"),
                     "area,name,units,residents_in_work,jobs,living_and_working_in_it,supply_containment,"
                     "demand_containment,validity,valid,units_from_reserve"));
    CHECK(has_header(path_in(out, "areas_membership.csv"), "unit,name,area,area_name,placed"));
    CHECK_OK(ctx, pdef_functional_areas_write(ctx, fa, path_in(out, "areas.gpkg")));
    CHECK_FAILS(ctx, PDEF_ERROR_OUTPUT, pdef_functional_areas_write(ctx, fa, table));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_functional_areas_write(ctx, fa, NULL));
}

int main(int argc, char **argv) {
    const char *out = argc > 2 ? argv[2] : ".";
    pdef_context *ctx = NULL;
    pdef_layer *units;
    pdef_functional_areas *fa = NULL, *one = NULL;
    pdef_functional_areas_summary summary;
    pdef_flows_options options;
    pdef_problem problem;
    size_t problems = 0;
    char table[1024], short_table[1024];
    if (pdef_context_create(&ctx) != PDEF_OK) return 1;
    units = boxes(ctx, "places", 4, unit_codes, unit_names, unit_boxes);
    snprintf(table, sizeof table, "%s/flows.csv", out);
    write_text(table,
               "home,work,people\n"
               "T1,T1,5000\nT2,T2,5000\nV,V,100\nV,T1,600\nV,T2,300\nI,I,800\nI,T2,400\n"
               "V,T1,50\n"       /* the pair again */
               "X9,Y9,10\n"      /* no such units */
               "V,T2,-4\n"       /* negative */
               "T1,T2,many\n");  /* not a number */
    snprintf(short_table, sizeof short_table, "%s/two_columns.csv", out);
    write_text(short_table, "home,work\nT1,T1\n");

    pdef_flows_options_init(&options);
    CHECK(options.rules == NULL && options.min_size == 0 && options.regrouping == NULL);
    CHECK(options.adjacency == PDEF_ADJACENCY_QUEEN);
    CHECK(options.snap == 5.0 && options.min_shared_length == 10.0);
    options.rules = "istat";
    options.count_column = "people";
    CHECK_OK(ctx, pdef_context_clear_problems(ctx));
    CHECK_OK(ctx, pdef_flows(ctx, units, table, &options, &fa));
    /* The four bad rows, skipped and counted, the first naming its line. */
    CHECK_OK(ctx, pdef_context_get_problem_count(ctx, &problems));
    CHECK(problems == 4);
    CHECK_OK(ctx, pdef_context_get_problem(ctx, 0, &problem));
    CHECK(strcmp(problem.kind, "duplicate_code") == 0 && problem.has_fid && problem.fid == 9);
    if (fa) check_areas(ctx, fa, out, table);
    check_reserve(ctx, out);
    check_outside(ctx, out);

    /* A minimum size above both areas' residents: one area of everybody. */
    options.min_size = 6500;
    CHECK_OK(ctx, pdef_flows(ctx, units, table, &options, &one));
    CHECK_OK(ctx, pdef_functional_areas_get_summary(ctx, one, &summary));
    CHECK(summary.areas == 1 && summary.invalid == 0);
    /* No options: the ttwa2011 rules (3,500 to 25,000), which the two areas meet too. */
    pdef_functional_areas_destroy(one);
    one = NULL;
    CHECK_OK(ctx, pdef_flows(ctx, units, table, NULL, &one));
    CHECK_OK(ctx, pdef_functional_areas_get_summary(ctx, one, &summary));
    CHECK(summary.areas == 2 && summary.invalid == 0);

    /* Errors: rules out of order, unknown rules, bad options, a missing column, no table, wrong handles. */
    options.min_size = 20000;
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_flows(ctx, units, table, &options, &fa));
    CHECK_MESSAGE(ctx, "minimum size");
    options.min_size = -1;
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_flows(ctx, units, table, &options, &fa));
    options.min_size = 0;
    options.rules = "nuts";
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_flows(ctx, units, table, &options, &fa));
    CHECK_MESSAGE(ctx, "unknown functional area rules 'nuts'");
    options.rules = "istat";
    options.regrouping = "sideways";
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_flows(ctx, units, table, &options, &fa));
    CHECK_MESSAGE(ctx, "sideways");
    /* ONS's regrouping under Istat's values: the same two areas on the strip. */
    options.regrouping = "whole_area";
    pdef_functional_areas_destroy(one);
    one = NULL;
    CHECK_OK(ctx, pdef_flows(ctx, units, table, &options, &one));
    CHECK_OK(ctx, pdef_functional_areas_get_summary(ctx, one, &summary));
    CHECK(summary.areas == 2 && summary.invalid == 0);
    options.regrouping = NULL;
    options.rules = NULL;
    options.adjacency = (pdef_adjacency)7;
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_flows(ctx, units, table, &options, &fa));
    options.adjacency = PDEF_ADJACENCY_ROOK;
    options.snap = -1;
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_flows(ctx, units, table, &options, &fa));
    options.snap = 5;
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_flows(ctx, units, short_table, &options, &fa));
    CHECK_MESSAGE(ctx, "no count column 'people'");
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_flows(ctx, units, short_table, NULL, &fa));
    CHECK_MESSAGE(ctx, "needs the residence, the workplace and the count");
    CHECK_FAILS(ctx, PDEF_ERROR_IO, pdef_flows(ctx, units, path_in(out, "none.csv"), NULL, &fa));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_flows(ctx, units, NULL, NULL, &fa));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_flows(ctx, units, table, NULL, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_flows(ctx, NULL, table, NULL, &fa));
    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE, pdef_flows(ctx, (const pdef_layer *)fa, table, NULL, &one));
    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE,
                pdef_functional_areas_get_summary(ctx, (const pdef_functional_areas *)units, &summary));
    pdef_flows_options_init(NULL); /* ignored */

    pdef_functional_areas_destroy(one);
    pdef_functional_areas_destroy(fa);
    pdef_functional_areas_destroy(fa); /* a double destroy does no harm */
    pdef_functional_areas_destroy(NULL);
    pdef_layer_destroy(units);
    pdef_context_destroy(ctx);
    return finish("test_flows");
}
