/* Overlay two layers with the C API and write the intersection table.
 *   overlay A B OUT.csv      e.g. overlay shapefiles/ward_2025.gpkg@WD25CD shapefiles/ced_2025.gpkg ward_x_ced.csv
 * Prints how many rows came out and the pieces of the first unit of A. */
#include <placedef/pdef_c.h>

#include <stdio.h>
#include <string.h>

/* Prints the context's message for a failed call. */
static int failed(pdef_context *ctx, pdef_status status, const char *what) {
    if (status == PDEF_OK) return 0;
    fprintf(stderr, "%s: %s (%s)\n", what, pdef_context_last_error(ctx), pdef_status_string(status));
    return 1;
}

int main(int argc, char **argv) {
    pdef_context *ctx = NULL;
    pdef_layer *a = NULL, *b = NULL;
    pdef_table *table = NULL;
    pdef_table_summary summary;
    pdef_table_row row;
    size_t i;
    int error = 1;

    if (argc != 4) {
        fprintf(stderr, "usage: %s A B OUT.csv (a layer is path[:layer][@code_column])\n", argv[0]);
        return 1;
    }
    if (pdef_context_create(&ctx) != PDEF_OK) return 1;
    if (failed(ctx, pdef_layer_open(ctx, argv[1], PDEF_LAYER_POLYGON, &a), argv[1]) ||
        failed(ctx, pdef_layer_open(ctx, argv[2], PDEF_LAYER_POLYGON, &b), argv[2]) ||
        failed(ctx, pdef_overlay(ctx, a, b, NULL, 0.0, false, &table), "overlay") ||
        failed(ctx, pdef_table_write(ctx, table, argv[3]), argv[3]) ||
        failed(ctx, pdef_table_get_summary(ctx, table, &summary), "summary"))
        goto done;

    printf("placedef %s: %s x %s: %zu rows from %zu candidate pairs -> %s\n", pdef_version(), summary.a_layer,
           summary.b_layer, summary.rows, summary.candidate_pairs, argv[3]);
    for (i = 0; i < summary.rows; ++i) {
        if (failed(ctx, pdef_table_get_row(ctx, table, i, &row), "row")) goto done;
        if (row.a_index != 0) continue;
        printf("  %s in %s: %.1f %% of its area\n", row.a_code, row.b_code, 100 * row.share_of_a);
    }
    error = 0;

done:
    pdef_table_destroy(table);
    pdef_layer_destroy(b);
    pdef_layer_destroy(a);
    pdef_context_destroy(ctx);
    return error;
}
