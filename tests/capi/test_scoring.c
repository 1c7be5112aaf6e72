#include <stdio.h>
/* Co-terminosity: alignment reports, best-fit lookups and the matrix, on the
 * wards, county divisions and districts of Guildford and Waverley. */
#include "check.h"

struct layers {
    pdef_layer *lad, *ward, *ced, *lsoa;
    pdef_population *population;
};

static void check_layer_score(const pdef_layer_score *score, size_t units) {
    size_t total = 0, i;
    for (i = 0; i < PDEF_RELATION_COUNT; ++i) total += score->counts[i];
    CHECK(score->units == units && total == units);
    CHECK(score->scored == units - score->counts[PDEF_RELATION_OUTSIDE]);
    CHECK(score->coterminosity_index > 0 && score->coterminosity_index <= 1 + 1e-9);
    CHECK(score->nesting_rate >= score->coterminous_rate && score->nesting_rate <= 1);
}

static void check_relation_texts(void) {
    CHECK(strcmp(pdef_relation_to_string(PDEF_RELATION_COTERMINOUS), "coterminous") == 0);
    CHECK(strcmp(pdef_relation_to_string(PDEF_RELATION_NESTED), "nested") == 0);
    CHECK(strcmp(pdef_relation_to_string(PDEF_RELATION_BUILT_FROM), "built_from") == 0);
    CHECK(strcmp(pdef_relation_to_string(PDEF_RELATION_SPLIT), "split") == 0);
    CHECK(strcmp(pdef_relation_to_string(PDEF_RELATION_OUTSIDE), "outside") == 0);
    CHECK(strcmp(pdef_relation_to_string((pdef_relation)42), "unknown") == 0);
}

static void check_report(pdef_context *ctx, const struct layers *l, const char *out) {
    pdef_table *table = NULL;
    pdef_report *report = NULL, *areas_only = NULL, *loose = NULL;
    pdef_layer_score score, loose_score;
    pdef_unit_relation unit, previous;
    pdef_split_piece piece, previous_piece;
    size_t count = 0, i, j;
    char *text = NULL;

    CHECK_OK(ctx, pdef_overlay(ctx, l->ward, l->ced, l->population, 0.0, false, &table));
    if (!table) return;
    CHECK_OK(ctx, pdef_report_create(ctx, table, l->ward, l->ced, &report));
    CHECK_OK(ctx, pdef_report_create(ctx, table, NULL, NULL, &areas_only));
    if (!report || !areas_only) return;

    CHECK_OK(ctx, pdef_report_get_layer_score(ctx, report, PDEF_SIDE_A, &score));
    CHECK(strcmp(score.layer, "ward_2025") == 0 && strcmp(score.other, "ced_2025") == 0);
    check_layer_score(&score, 45);
    CHECK(score.boundary_alignment > 0 && score.boundary_alignment <= 1);
    CHECK(score.coterminosity_index_pop > 0 && score.coterminosity_index_pop <= 1 + 1e-9);
    CHECK_OK(ctx, pdef_report_get_layer_score(ctx, report, PDEF_SIDE_B, &score));
    CHECK(strcmp(score.layer, "ced_2025") == 0);
    check_layer_score(&score, 19);
    CHECK_OK(ctx, pdef_report_get_layer_score(ctx, areas_only, PDEF_SIDE_A, &score));
    CHECK(isnan(score.boundary_alignment));

    /* a looser tolerance never nests fewer units */
    CHECK_OK(ctx, pdef_context_set_tolerance(ctx, 0.5));
    CHECK_OK(ctx, pdef_report_create(ctx, table, NULL, NULL, &loose));
    CHECK_OK(ctx, pdef_context_set_tolerance(ctx, 0.995));
    CHECK_OK(ctx, pdef_report_get_layer_score(ctx, loose, PDEF_SIDE_A, &loose_score));
    CHECK(loose_score.nesting_rate >= score.nesting_rate && loose_score.nesting_rate == 1.0);
    pdef_report_destroy(loose);

    CHECK_OK(ctx, pdef_report_get_unit_count(ctx, report, PDEF_SIDE_A, &count));
    CHECK(count == 45);
    for (i = 0; i < count; ++i) {
        CHECK_OK(ctx, pdef_report_get_unit(ctx, report, PDEF_SIDE_A, i, &unit));
        CHECK(unit.relation <= PDEF_RELATION_OUTSIDE && unit.coverage > 0 && unit.coverage <= 1 + 1e-9);
        CHECK(unit.piece_count >= 1 && unit.area_m2 > 0 && !isnan(unit.pop) && !isnan(unit.boundary_alignment));
        CHECK(strlen(unit.best) == 9 && unit.fragmentation >= 1 && unit.fragmentation <= unit.piece_count);
        if (i > 0) CHECK(strcmp(previous.code, unit.code) < 0); /* sorted by code */
        for (j = 0; j < unit.piece_count; ++j) {
            CHECK_OK(ctx, pdef_report_get_piece(ctx, report, PDEF_SIDE_A, i, j, &piece));
            if (j == 0) CHECK(strcmp(piece.code, unit.best) == 0 && piece.share == unit.coverage);
            if (j > 0) CHECK(piece.share <= previous_piece.share); /* largest first */
            CHECK(!isnan(piece.pop_share));
            previous_piece = piece;
        }
        CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_report_get_piece(ctx, report, PDEF_SIDE_A, i, j, &piece));
        previous = unit;
    }
    CHECK_OK(ctx, pdef_report_get_unit_count(ctx, report, PDEF_SIDE_B, &count));
    CHECK(count == 19);
    CHECK_OK(ctx, pdef_report_get_unit(ctx, report, PDEF_SIDE_B, 0, &unit));
    CHECK(strncmp(unit.code, "E58", 3) == 0);
    CHECK_OK(ctx, pdef_report_get_unit(ctx, areas_only, PDEF_SIDE_B, 0, &unit));
    CHECK(isnan(unit.boundary_alignment) && isnan(unit.outer_boundary));

    CHECK_OK(ctx, pdef_report_write_csv(ctx, report, path_in(out, "ward_ced_report.csv")));
    CHECK_OK(ctx, pdef_report_describe(ctx, report, &text));
    CHECK(text && strstr(text, "ward_2025") && strstr(text, "ced_2025"));
    pdef_free(text);

    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_report_create(ctx, table, l->ward, NULL, &loose));
    CHECK_MESSAGE(ctx, "give both layers");
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_report_create(ctx, table, NULL, l->ced, &loose));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_report_create(ctx, table, l->ced, l->ward, &loose));
    CHECK_MESSAGE(ctx, "is not the A layer");
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_report_create(ctx, NULL, NULL, NULL, &loose));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_report_create(ctx, table, NULL, NULL, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE,
                pdef_report_create(ctx, (const pdef_table *)(const void *)l->ward, NULL, NULL, &loose));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_report_get_layer_score(ctx, report, (pdef_side)3, &score));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_report_get_unit_count(ctx, report, (pdef_side)3, &count));
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_report_get_unit(ctx, report, PDEF_SIDE_B, 19, &unit));
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_report_get_piece(ctx, report, PDEF_SIDE_B, 19, 0, &piece));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_report_get_layer_score(ctx, report, PDEF_SIDE_A, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_report_get_unit_count(ctx, report, PDEF_SIDE_A, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_report_get_unit(ctx, report, PDEF_SIDE_A, 0, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_report_get_piece(ctx, report, PDEF_SIDE_A, 0, 0, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_report_write_csv(ctx, report, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_report_describe(ctx, report, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_OUTPUT, pdef_report_write_csv(ctx, report, path_in(out, "no/dir/report.csv")));
    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE,
                pdef_report_describe(ctx, (const pdef_report *)(const void *)table, &text));
    CHECK_MESSAGE(ctx, "(it is a pdef_table)");
    pdef_report_destroy((pdef_report *)(void *)table); /* another type: left alone */
    pdef_report_destroy(NULL);
    pdef_report_destroy(areas_only);
    pdef_report_destroy(report);
    pdef_table_destroy(table);
}

/* Wards nest in districts: every method finds one of the two districts. */
static void check_lookup(pdef_context *ctx, const struct layers *l, pdef_best_fit_method method) {
    pdef_lookup *lookup = NULL;
    pdef_lookup_row row;
    size_t count = 0, i, ambiguous = 0;

    CHECK_OK(ctx, pdef_lookup_create(ctx, l->ward, l->lad, l->population, method, 0.9, &lookup));
    if (!lookup) return;
    CHECK_OK(ctx, pdef_lookup_get_count(ctx, lookup, &count));
    CHECK(count == 45);
    for (i = 0; i < count; ++i) {
        CHECK_OK(ctx, pdef_lookup_get_row(ctx, lookup, i, &row));
        CHECK(strcmp(row.parent, "E07000209") == 0 || strcmp(row.parent, "E07000216") == 0);
        CHECK(strncmp(row.child, "E05", 3) == 0 && row.method == method && row.note != NULL);
        CHECK(row.share > 0.9 && row.share <= 1 + 1e-9);
        ambiguous += row.ambiguous;
    }
    CHECK(ambiguous == 0);
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_lookup_get_row(ctx, lookup, 45, &row));
    pdef_lookup_destroy(lookup);
}

static void check_lookups(pdef_context *ctx, const struct layers *l, const char *out) {
    pdef_lookup *lookup = NULL;
    pdef_best_fit_method method = PDEF_BEST_FIT_AREA;
    size_t count = 0;
    pdef_lookup_row row;

    check_lookup(ctx, l, PDEF_BEST_FIT_AREA);
    check_lookup(ctx, l, PDEF_BEST_FIT_CENTROID);
    check_lookup(ctx, l, PDEF_BEST_FIT_POPULATION);
    CHECK_OK(ctx, pdef_best_fit_method_from_string(ctx, "centroid", &method));
    CHECK(method == PDEF_BEST_FIT_CENTROID);
    CHECK(strcmp(pdef_best_fit_method_to_string(PDEF_BEST_FIT_POPULATION), "population") == 0);
    CHECK(strcmp(pdef_best_fit_method_to_string((pdef_best_fit_method)9), "unknown") == 0);
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_best_fit_method_from_string(ctx, "largest", &method));
    CHECK_MESSAGE(ctx, "largest");
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_best_fit_method_from_string(ctx, NULL, &method));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_best_fit_method_from_string(ctx, "area", NULL));

    CHECK_OK(ctx, pdef_lookup_create(ctx, l->ward, l->lad, NULL, PDEF_BEST_FIT_AREA, 0.9, &lookup));
    CHECK_OK(ctx, pdef_lookup_write_csv(ctx, lookup, path_in(out, "ward_lad.csv")));
    CHECK_FAILS(ctx, PDEF_ERROR_OUTPUT, pdef_lookup_write_csv(ctx, lookup, path_in(out, "no/dir/lookup.csv")));
    {
        /* a write never replaces a layer the result was made from */
        const char *source = NULL;
        char input[4096];
        CHECK_OK(ctx, pdef_layer_get_source(ctx, l->ward, &source));
        snprintf(input, sizeof input, "%s", source ? source : "");
        CHECK_FAILS(ctx, PDEF_ERROR_OUTPUT, pdef_lookup_write_csv(ctx, lookup, input));
        CHECK_MESSAGE(ctx, "ward_2025");
    }
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_lookup_write_csv(ctx, lookup, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_lookup_get_count(ctx, lookup, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_lookup_get_row(ctx, lookup, 0, NULL));
    pdef_lookup_destroy(lookup);
    lookup = NULL;

    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT,
                pdef_lookup_create(ctx, l->ward, l->lad, NULL, PDEF_BEST_FIT_POPULATION, 0.9, &lookup));
    CHECK_MESSAGE(ctx, "needs a population");
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION,
                pdef_lookup_create(ctx, l->ward, l->lad, NULL, (pdef_best_fit_method)7, 0.9, &lookup));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION,
                pdef_lookup_create(ctx, l->ward, l->lad, NULL, PDEF_BEST_FIT_AREA, 1.5, &lookup));
    CHECK_MESSAGE(ctx, "ambiguous_below");
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT,
                pdef_lookup_create(ctx, NULL, l->lad, NULL, PDEF_BEST_FIT_AREA, 0.9, &lookup));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT,
                pdef_lookup_create(ctx, l->ward, NULL, NULL, PDEF_BEST_FIT_AREA, 0.9, &lookup));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT,
                pdef_lookup_create(ctx, l->ward, l->lad, NULL, PDEF_BEST_FIT_AREA, 0.9, NULL));
    CHECK(lookup == NULL);
    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE,
                pdef_lookup_get_count(ctx, (const pdef_lookup *)(const void *)l->population, &count));
    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE,
                pdef_lookup_get_row(ctx, (const pdef_lookup *)(const void *)not_a_handle, 0, &row));
    pdef_lookup_destroy(NULL);
}

static void check_matrix(pdef_context *ctx, const struct layers *l, const char *out) {
    const pdef_layer *three[3];
    const pdef_layer *with_null[2];
    const pdef_layer *with_wrong[2];
    pdef_matrix *matrix = NULL;
    pdef_layer_score score;
    size_t count = 0, i;
    const char *name = NULL;
    char *text = NULL;

    three[0] = l->lad;
    three[1] = l->ward;
    three[2] = l->ced;
    CHECK_OK(ctx, pdef_matrix_create(ctx, three, 3, l->population, true, &matrix));
    if (!matrix) return;
    CHECK_OK(ctx, pdef_matrix_get_layer_count(ctx, matrix, &count));
    CHECK(count == 3);
    CHECK_OK(ctx, pdef_matrix_get_layer_name(ctx, matrix, 1, &name));
    CHECK(strcmp(name, "ward_2025") == 0);
    for (i = 0; i < 3; ++i) { /* a layer is co-terminous with itself */
        CHECK_OK(ctx, pdef_matrix_get_score(ctx, matrix, i, i, &score));
        CHECK_NEAR(score.coterminosity_index, 1.0, 1e-9);
        CHECK(score.coterminous_rate == 1.0);
    }
    CHECK_OK(ctx, pdef_matrix_get_score(ctx, matrix, 1, 0, &score)); /* wards in districts */
    CHECK(strcmp(score.layer, "ward_2025") == 0 && strcmp(score.other, "lad_2021") == 0);
    check_layer_score(&score, 45);
    CHECK(score.coterminosity_index > 0.99 && !isnan(score.boundary_alignment) && !isnan(score.coterminosity_index_pop));
    CHECK_OK(ctx, pdef_matrix_write_csv(ctx, matrix, path_in(out, "matrix.csv")));
    CHECK_OK(ctx, pdef_matrix_describe(ctx, matrix, &text));
    CHECK(text && strstr(text, "lad_2021") && strstr(text, "ced_2025"));
    pdef_free(text);

    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_matrix_get_layer_name(ctx, matrix, 3, &name));
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_matrix_get_score(ctx, matrix, 0, 3, &score));
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_matrix_get_score(ctx, matrix, 3, 0, &score));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_matrix_get_layer_count(ctx, matrix, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_matrix_get_layer_name(ctx, matrix, 0, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_matrix_get_score(ctx, matrix, 0, 0, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_matrix_write_csv(ctx, matrix, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_matrix_describe(ctx, matrix, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_OUTPUT, pdef_matrix_write_csv(ctx, matrix, path_in(out, "no/dir/matrix.csv")));
    pdef_matrix_destroy(matrix);
    matrix = NULL;

    with_null[0] = l->lad;
    with_null[1] = NULL;
    with_wrong[0] = l->lad;
    with_wrong[1] = (const pdef_layer *)(const void *)l->population;
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_matrix_create(ctx, three, 1, NULL, false, &matrix));
    CHECK_MESSAGE(ctx, "two or more layers");
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_matrix_create(ctx, with_null, 2, NULL, false, &matrix));
    CHECK_MESSAGE(ctx, "layers[1]");
    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE, pdef_matrix_create(ctx, with_wrong, 2, NULL, false, &matrix));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_matrix_create(ctx, NULL, 2, NULL, false, &matrix));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_matrix_create(ctx, three, 2, NULL, false, NULL));
    CHECK(matrix == NULL);
    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE,
                pdef_matrix_get_layer_count(ctx, (const pdef_matrix *)(const void *)l->lad, &count));
    pdef_matrix_destroy(NULL);
}

int main(int argc, char **argv) {
    pdef_context *ctx = NULL;
    struct layers l = {NULL, NULL, NULL, NULL, NULL};
    if (argc < 3) {
        fprintf(stderr, "usage: test_scoring SOURCE_DIR OUTPUT_DIR\n");
        return 2;
    }
    if (pdef_context_create(&ctx) != PDEF_OK) return 1;
    check_relation_texts();
    CHECK_OK(ctx, pdef_layer_open(ctx, path_in(argv[1], "shapefiles/lad_2021.gpkg"), PDEF_LAYER_POLYGON, &l.lad));
    CHECK_OK(ctx, pdef_layer_open(ctx, path_in(argv[1], "shapefiles/ward_2025.gpkg@WD25CD"), PDEF_LAYER_POLYGON,
                                  &l.ward));
    CHECK_OK(ctx, pdef_layer_open(ctx, path_in(argv[1], "shapefiles/ced_2025.gpkg"), PDEF_LAYER_POLYGON, &l.ced));
    CHECK_OK(ctx, pdef_layer_open(ctx, path_in(argv[1], "shapefiles/lsoa_2011.gpkg"), PDEF_LAYER_POLYGON, &l.lsoa));
    CHECK_OK(ctx, pdef_population_create(ctx, l.lsoa, path_in(argv[1], "shapefiles/population_mid2020_lsoa11.csv"),
                                         "lsoa11_code", "total_population", &l.population));
    if (l.lad && l.ward && l.ced && l.population) {
        check_report(ctx, &l, argv[2]);
        check_lookups(ctx, &l, argv[2]);
        check_matrix(ctx, &l, argv[2]);
    }
    pdef_population_destroy(l.population);
    pdef_layer_destroy(l.lsoa);
    pdef_layer_destroy(l.ced);
    pdef_layer_destroy(l.ward);
    pdef_layer_destroy(l.lad);
    pdef_context_destroy(ctx);
    return finish("test_scoring");
}
