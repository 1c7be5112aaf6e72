/* The overlay and its intersection table: wards of 2025 by county divisions,
 * with population apportioned from the LSOAs of 2011. */
#include "check.h"
#include "wkb.h"

struct progress_record {
    size_t calls;
    size_t done;
    size_t total;
};

static void on_progress(size_t done, size_t total, void *user_data) {
    struct progress_record *record = (struct progress_record *)user_data;
    ++record->calls;
    record->done = done;
    record->total = total;
}

static void check_full_table(pdef_context *ctx, const pdef_table *table, const char *out) {
    pdef_table_summary summary;
    pdef_table_row row;
    pdef_table_unit unit;
    double columns[6][400];
    double share_sum = 0, people = 0;
    size_t i, size = 0;
    unsigned char *wkb = NULL;
    const pdef_table_column all[6] = {PDEF_COLUMN_AREA_M2, PDEF_COLUMN_SHARE_OF_A, PDEF_COLUMN_SHARE_OF_B,
                                      PDEF_COLUMN_POP, PDEF_COLUMN_POP_SHARE_OF_A, PDEF_COLUMN_POP_SHARE_OF_B};

    CHECK_OK(ctx, pdef_table_get_summary(ctx, table, &summary));
    CHECK(strcmp(summary.a_layer, "ward_2025") == 0 && strcmp(summary.b_layer, "ced_2025") == 0);
    CHECK(summary.a_units == 45 && summary.b_units == 19);
    CHECK(summary.rows > 45 && summary.rows < 400);
    CHECK(summary.has_population && summary.has_geometry);
    CHECK(summary.candidate_pairs >= summary.rows && summary.covered_pairs <= summary.candidate_pairs);
    CHECK(summary.dropped_below_min_share == 0 && summary.seconds >= 0);
    if (summary.rows >= 400) return;

    for (i = 0; i < 6; ++i) CHECK_OK(ctx, pdef_table_copy_column(ctx, table, all[i], columns[i], 400));
    for (i = 0; i < summary.rows; ++i) {
        CHECK_OK(ctx, pdef_table_get_row(ctx, table, i, &row));
        CHECK(row.a_index < 45 && row.b_index < 19 && strlen(row.a_code) == 9 && strlen(row.b_code) == 9);
        CHECK(row.area_m2 > 0 && row.share_of_a > 0 && row.share_of_a <= 1 + 1e-9 && row.share_of_b <= 1 + 1e-9);
        CHECK(row.area_m2 == columns[0][i] && row.share_of_a == columns[1][i] && row.share_of_b == columns[2][i]);
        CHECK(row.pop == columns[3][i] && row.pop_share_of_a == columns[4][i] && row.pop_share_of_b == columns[5][i]);
        share_sum += row.share_of_a;
        people += row.pop;
    }
    /* every ward lies in the county divisions of its district; boundaries differ by metres */
    CHECK_NEAR(share_sum, 45.0, 0.5);
    CHECK_NEAR(people, 276908, 276908 * 0.01);

    CHECK_OK(ctx, pdef_table_get_unit(ctx, table, PDEF_SIDE_A, 0, &unit));
    CHECK(strncmp(unit.code, "E05", 3) == 0 && unit.area_m2 > 0 && unit.pop > 0);
    CHECK_OK(ctx, pdef_table_get_unit(ctx, table, PDEF_SIDE_B, 18, &unit));
    CHECK(strncmp(unit.code, "E58", 3) == 0 && unit.area_m2 > 0 && unit.pop > 0);
    CHECK_OK(ctx, pdef_table_get_piece_wkb(ctx, table, 0, &wkb, &size));
    CHECK(wkb && size > 9 && wkb_type(wkb) == 6);
    pdef_free(wkb);

    CHECK_OK(ctx, pdef_table_write(ctx, table, path_in(out, "ward_x_ced.csv")));
    CHECK_OK(ctx, pdef_table_write(ctx, table, path_in(out, "ward_x_ced.gpkg")));
    CHECK_FAILS(ctx, PDEF_ERROR_OUTPUT, pdef_table_write(ctx, table, path_in(out, "no/such/dir/table.csv")));
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_table_get_row(ctx, table, summary.rows, &row));
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_table_get_piece_wkb(ctx, table, summary.rows, &wkb, &size));
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_table_get_unit(ctx, table, PDEF_SIDE_B, 19, &unit));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_table_get_unit(ctx, table, (pdef_side)2, 0, &unit));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_table_copy_column(ctx, table, (pdef_table_column)6, columns[0], 400));
    CHECK_FAILS(ctx, PDEF_ERROR_BUFFER_TOO_SMALL,
                pdef_table_copy_column(ctx, table, PDEF_COLUMN_AREA_M2, columns[0], summary.rows - 1));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_table_copy_column(ctx, table, PDEF_COLUMN_AREA_M2, NULL, 400));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_table_get_summary(ctx, table, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_table_get_row(ctx, table, 0, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_table_get_unit(ctx, table, PDEF_SIDE_A, 0, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_table_get_piece_wkb(ctx, table, 0, NULL, &size));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_table_get_piece_wkb(ctx, table, 0, &wkb, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_table_write(ctx, table, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_table_write(ctx, NULL, "x.csv"));
}

/* Without population or geometry, and with rows under a minimum share dropped. */
static void check_lean_table(pdef_context *ctx, const pdef_layer *wards, const pdef_layer *ceds, const char *out) {
    pdef_table *table = NULL;
    pdef_table_summary summary;
    pdef_table_row row;
    pdef_table_unit unit;
    double values[400];
    unsigned char *wkb = NULL;
    size_t size = 0;
    struct progress_record progress = {0, 0, 0};

    CHECK_OK(ctx, pdef_context_set_progress_callback(ctx, on_progress, &progress));
    CHECK_OK(ctx, pdef_overlay(ctx, wards, ceds, NULL, 0.5, false, &table));
    CHECK_OK(ctx, pdef_context_set_progress_callback(ctx, NULL, NULL));
    CHECK(progress.calls > 0 && progress.done == progress.total);
    if (!table) return;
    CHECK_OK(ctx, pdef_table_get_summary(ctx, table, &summary));
    CHECK(!summary.has_population && !summary.has_geometry);
    CHECK(summary.dropped_below_min_share > 0 && summary.rows >= 45 && summary.rows < 100);
    CHECK_OK(ctx, pdef_table_get_row(ctx, table, 0, &row));
    CHECK(isnan(row.pop) && isnan(row.pop_share_of_a) && isnan(row.pop_share_of_b));
    CHECK(row.share_of_a >= 0.5 || row.share_of_b >= 0.5);
    CHECK_OK(ctx, pdef_table_get_unit(ctx, table, PDEF_SIDE_A, 0, &unit));
    CHECK(isnan(unit.pop));
    CHECK_FAILS(ctx, PDEF_ERROR_NOT_AVAILABLE, pdef_table_copy_column(ctx, table, PDEF_COLUMN_POP, values, 400));
    CHECK_MESSAGE(ctx, "without population");
    CHECK_FAILS(ctx, PDEF_ERROR_NOT_AVAILABLE, pdef_table_get_piece_wkb(ctx, table, 0, &wkb, &size));
    CHECK_MESSAGE(ctx, "without geometry");
    CHECK_OK(ctx, pdef_table_write(ctx, table, path_in(out, "lean.csv")));
    /* a GeoPackage needs the pieces */
    CHECK_FAILS(ctx, PDEF_ERROR_OUTPUT, pdef_table_write(ctx, table, path_in(out, "lean.gpkg")));
    pdef_table_destroy(table);
}

static void check_overlay_errors(pdef_context *ctx, const char *root, const pdef_layer *wards,
                                 const pdef_layer *ceds) {
    const double square[] = {0, 0, 100, 0, 100, 100, 0, 100, 0, 0};
    unsigned char made[128];
    const unsigned char *wkb[1];
    size_t sizes[1];
    const char *codes[1] = {"SQUARE"};
    pdef_layer *practices = NULL, *equal_area = NULL;
    pdef_table *table = NULL;

    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_overlay(ctx, wards, ceds, NULL, 2.0, false, &table));
    CHECK_MESSAGE(ctx, "min_share");
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_overlay(ctx, wards, ceds, NULL, NAN, false, &table));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_overlay(ctx, NULL, ceds, NULL, 0, false, &table));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_overlay(ctx, wards, NULL, NULL, 0, false, &table));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_overlay(ctx, wards, ceds, NULL, 0, false, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE,
                pdef_overlay(ctx, wards, ceds, (const pdef_population *)(const void *)wards, 0, false, &table));
    CHECK_MESSAGE(ctx, "'population' is not a pdef_population (it is a pdef_layer)");

    CHECK_OK(ctx, pdef_layer_open(ctx, path_in(root, "shapefiles/gp_practices.gpkg@PRACTICE_CODE"), PDEF_LAYER_POINT,
                                  &practices));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_overlay(ctx, practices, ceds, NULL, 0, false, &table));
    pdef_layer_destroy(practices);

    /* layers in different CRS are never overlaid (LAEA Europe: any square keeps its area) */
    sizes[0] = wkb_polygon(made, square, 5);
    wkb[0] = made;
    CHECK_OK(ctx, pdef_context_set_study_crs(ctx, "EPSG:3035"));
    CHECK_OK(ctx, pdef_layer_create_from_wkb(ctx, "square", "EPSG:3035", PDEF_LAYER_POLYGON, 1, codes, wkb, sizes,
                                             &equal_area));
    CHECK_OK(ctx, pdef_context_set_study_crs(ctx, "EPSG:27700"));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_overlay(ctx, equal_area, wards, NULL, 0, false, &table));
    CHECK_MESSAGE(ctx, "EPSG:3035");
    CHECK(table == NULL);
    pdef_layer_destroy(equal_area);

    /* a layer whose every feature was skipped is refused by the job, not overlaid into an empty table */
    wkb[0] = NULL;
    sizes[0] = 0;
    CHECK_OK(ctx, pdef_layer_create_from_wkb(ctx, "nothing_usable", "EPSG:27700", PDEF_LAYER_POLYGON, 1, codes, wkb,
                                             sizes, &equal_area));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_overlay(ctx, equal_area, wards, NULL, 0, false, &table));
    CHECK_MESSAGE(ctx, "no features to work with");
    CHECK(table == NULL);
    pdef_layer_destroy(equal_area);

    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE,
                pdef_table_get_row(ctx, (const pdef_table *)(const void *)wards, 0, NULL));
    CHECK_MESSAGE(ctx, "is not a pdef_table (it is a pdef_layer)");
    pdef_table_destroy((pdef_table *)(void *)not_a_handle);
    pdef_table_destroy(NULL);
}

int main(int argc, char **argv) {
    pdef_context *ctx = NULL;
    pdef_layer *wards = NULL, *ceds = NULL, *lsoa = NULL;
    pdef_population *population = NULL;
    pdef_table *table = NULL;
    if (argc < 3) {
        fprintf(stderr, "usage: test_overlay SOURCE_DIR OUTPUT_DIR\n");
        return 2;
    }
    if (pdef_context_create(&ctx) != PDEF_OK) return 1;
    CHECK_OK(ctx, pdef_context_set_threads(ctx, 2));
    CHECK_OK(ctx, pdef_layer_open(ctx, path_in(argv[1], "shapefiles/ward_2025.gpkg@WD25CD"), PDEF_LAYER_POLYGON,
                                  &wards));
    CHECK_OK(ctx, pdef_layer_open(ctx, path_in(argv[1], "shapefiles/ced_2025.gpkg"), PDEF_LAYER_POLYGON, &ceds));
    CHECK_OK(ctx, pdef_layer_open(ctx, path_in(argv[1], "shapefiles/lsoa_2011.gpkg"), PDEF_LAYER_POLYGON, &lsoa));
    CHECK_OK(ctx, pdef_population_create(ctx, lsoa, path_in(argv[1], "shapefiles/population_mid2020_lsoa11.csv"),
                                         "lsoa11_code", "total_population", &population));
    if (wards && ceds && population) {
        CHECK_OK(ctx, pdef_overlay(ctx, wards, ceds, population, 0.0, true, &table));
        if (table) check_full_table(ctx, table, argv[2]);
        check_lean_table(ctx, wards, ceds, argv[2]);
        check_overlay_errors(ctx, argv[1], wards, ceds);
    }
    pdef_table_destroy(table);
    pdef_population_destroy(population);
    pdef_layer_destroy(lsoa);
    pdef_layer_destroy(ceds);
    pdef_layer_destroy(wards);
    pdef_context_destroy(ctx);
    return finish("test_overlay");
}
