/* Layers (from GDAL and from WKB), joined columns and population. */
#include "check.h"
#include "wkb.h"

static void check_dataset(pdef_context *ctx, const char *root) {
    char **names = NULL;
    size_t count = 0;
    CHECK_OK(ctx, pdef_dataset_list_layers(ctx, path_in(root, "shapefiles/lad_2021.gpkg"), &names, &count));
    CHECK(count == 1 && names && strcmp(names[0], "lad_2021") == 0);
    pdef_free(names);
    CHECK_FAILS(ctx, PDEF_ERROR_IO, pdef_dataset_list_layers(ctx, path_in(root, "no/such.gpkg"), &names, &count));
    CHECK_MESSAGE(ctx, "no/such.gpkg");
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_dataset_list_layers(ctx, NULL, &names, &count));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_dataset_list_layers(ctx, "x.gpkg", NULL, &count));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_dataset_list_layers(ctx, "x.gpkg", &names, NULL));
}

/* Everything a polygon layer tells about itself. */
static void check_polygon_layer(pdef_context *ctx, const pdef_layer *wards) {
    size_t count = 0, index = 99, vertices = 0, columns = 0, i;
    const char *text = NULL, *name = NULL;
    bool flag = true, found = false;
    pdef_layer_kind kind = PDEF_LAYER_POINT;
    pdef_box box;
    double area = 0, x = 0, y = 0, total = 0;
    unsigned char *wkb = NULL;
    int has_name_column = 0;

    CHECK_OK(ctx, pdef_layer_get_count(ctx, wards, &count));
    CHECK(count == 45);
    CHECK_OK(ctx, pdef_layer_get_features_read(ctx, wards, &count));
    CHECK(count == 45);
    CHECK_OK(ctx, pdef_layer_get_problem_count(ctx, wards, &count));
    CHECK(count == 0);
    CHECK_OK(ctx, pdef_layer_get_kind(ctx, wards, &kind));
    CHECK(kind == PDEF_LAYER_POLYGON);
    CHECK_OK(ctx, pdef_layer_get_name(ctx, wards, &text));
    CHECK(strcmp(text, "ward_2025") == 0);
    CHECK_OK(ctx, pdef_layer_get_source(ctx, wards, &text));
    CHECK(strstr(text, "ward_2025.gpkg") != NULL);
    CHECK_OK(ctx, pdef_layer_get_crs(ctx, wards, &text));
    CHECK(strcmp(text, "EPSG:27700") == 0);
    CHECK_OK(ctx, pdef_layer_get_source_crs(ctx, wards, &text));
    CHECK(strstr(text, "27700") != NULL);
    CHECK_OK(ctx, pdef_layer_get_code_column(ctx, wards, &text, &flag));
    CHECK(strcmp(text, "WD25CD") == 0 && !flag);
    CHECK_OK(ctx, pdef_layer_get_code_column(ctx, wards, &text, NULL));
    CHECK_OK(ctx, pdef_layer_get_extent(ctx, wards, &box));
    /* Guildford and Waverley, in British National Grid metres */
    CHECK(box.minx > 450000 && box.maxx < 520000 && box.miny > 120000 && box.maxy < 170000 && box.minx < box.maxx);
    CHECK_OK(ctx, pdef_layer_get_code(ctx, wards, 0, &text));
    CHECK(strncmp(text, "E05", 3) == 0);
    CHECK_OK(ctx, pdef_layer_find(ctx, wards, text, &index, &found));
    CHECK(found && index == 0);
    CHECK_OK(ctx, pdef_layer_find(ctx, wards, "E00000000", &index, &found));
    CHECK(!found);
    for (i = 0; i < 45; ++i) {
        CHECK_OK(ctx, pdef_layer_get_area(ctx, wards, i, &area));
        total += area;
    }
    CHECK_NEAR(total / 1e6, 271.0 + 345.2, 1.0); /* the two districts, km2 (shapefiles/SOURCES.md) */
    CHECK_OK(ctx, pdef_layer_get_vertex_count(ctx, wards, 0, &vertices));
    CHECK(vertices >= 3);
    CHECK_OK(ctx, pdef_layer_get_wkb(ctx, wards, 0, &wkb, &count));
    CHECK(wkb != NULL && count > 9 && wkb[0] == 1 && wkb_type(wkb) == 6); /* little-endian MULTIPOLYGON */
    pdef_free(wkb);
    CHECK_OK(ctx, pdef_layer_get_attribute_count(ctx, wards, &columns));
    CHECK(columns >= 8);
    for (i = 0; i < columns; ++i) {
        CHECK_OK(ctx, pdef_layer_get_attribute_name(ctx, wards, i, &name));
        if (strcmp(name, "WD25NM") == 0) {
            has_name_column = 1;
            CHECK_OK(ctx, pdef_layer_get_attribute(ctx, wards, 0, i, &text));
            CHECK(strlen(text) > 0);
        }
    }
    CHECK(has_name_column);

    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_layer_get_code(ctx, wards, 45, &text));
    CHECK_MESSAGE(ctx, "45");
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_layer_get_area(ctx, wards, 45, &area));
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_layer_get_attribute_name(ctx, wards, columns, &name));
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_layer_get_attribute(ctx, wards, 0, columns, &text));
    CHECK_FAILS(ctx, PDEF_ERROR_NOT_AVAILABLE, pdef_layer_get_point(ctx, wards, 0, &x, &y, &flag));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_get_count(ctx, wards, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_get_features_read(ctx, wards, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_get_problem_count(ctx, wards, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_get_kind(ctx, wards, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_get_name(ctx, wards, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_get_source(ctx, wards, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_get_crs(ctx, wards, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_get_source_crs(ctx, wards, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_get_code_column(ctx, wards, NULL, &flag));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_get_extent(ctx, wards, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_get_code(ctx, wards, 0, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_find(ctx, wards, NULL, &index, &found));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_find(ctx, wards, "x", NULL, &found));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_find(ctx, wards, "x", &index, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_get_area(ctx, wards, 0, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_get_vertex_count(ctx, wards, 0, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_get_wkb(ctx, wards, 0, NULL, &count));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_get_wkb(ctx, wards, 0, &wkb, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_get_attribute_count(ctx, wards, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_get_attribute_name(ctx, wards, 0, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_get_attribute(ctx, wards, 0, 0, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_get_count(ctx, NULL, &count));
}

static void check_point_layer(pdef_context *ctx, const char *root) {
    pdef_layer *practices = NULL;
    size_t count = 0, vertices = 0, i, located_count = 0;
    double x = 0, y = 0, area = 0;
    bool located = false;
    pdef_layer_kind kind = PDEF_LAYER_POLYGON;
    unsigned char *wkb = NULL;

    CHECK_OK(ctx, pdef_layer_open(ctx, path_in(root, "shapefiles/gp_practices.gpkg@PRACTICE_CODE"), PDEF_LAYER_POINT, &practices));
    if (!practices) return;
    CHECK_OK(ctx, pdef_layer_get_count(ctx, practices, &count));
    CHECK(count == 25);
    CHECK_OK(ctx, pdef_layer_get_kind(ctx, practices, &kind));
    CHECK(kind == PDEF_LAYER_POINT);
    for (i = 0; i < count; ++i) {
        CHECK_OK(ctx, pdef_layer_get_point(ctx, practices, i, &x, &y, &located));
        located_count += located;
    }
    CHECK(located_count == 25);
    CHECK_OK(ctx, pdef_layer_get_point(ctx, practices, 0, &x, &y, &located));
    CHECK(x > 450000 && x < 520000 && y > 120000 && y < 170000);
    CHECK_OK(ctx, pdef_layer_get_wkb(ctx, practices, 0, &wkb, &count));
    CHECK(wkb && count == 21 && wkb_type(wkb) == 1);
    pdef_free(wkb);
    CHECK_FAILS(ctx, PDEF_ERROR_NOT_AVAILABLE, pdef_layer_get_area(ctx, practices, 0, &area));
    CHECK_MESSAGE(ctx, "point layer");
    CHECK_FAILS(ctx, PDEF_ERROR_NOT_AVAILABLE, pdef_layer_get_vertex_count(ctx, practices, 0, &vertices));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_get_point(ctx, practices, 0, NULL, &y, &located));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_get_point(ctx, practices, 0, &x, NULL, &located));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_get_point(ctx, practices, 0, &x, &y, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_layer_get_point(ctx, practices, 25, &x, &y, &located));
    pdef_layer_destroy(practices);
}

static void check_open_errors(pdef_context *ctx, const char *root) {
    pdef_layer *layer = NULL;
    CHECK_FAILS(ctx, PDEF_ERROR_IO, pdef_layer_open(ctx, path_in(root, "shapefiles/nothing.gpkg"), PDEF_LAYER_POLYGON,
                                                    &layer));
    CHECK_MESSAGE(ctx, "nothing.gpkg");
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT,
                pdef_layer_open(ctx, path_in(root, "shapefiles/lad_2021.gpkg:no_layer"), PDEF_LAYER_POLYGON, &layer));
    CHECK_MESSAGE(ctx, "no_layer");
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT,
                pdef_layer_open(ctx, path_in(root, "shapefiles/lad_2021.gpkg@NO_COLUMN"), PDEF_LAYER_POLYGON, &layer));
    CHECK_MESSAGE(ctx, "NO_COLUMN");
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT,
                pdef_layer_open(ctx, path_in(root, "shapefiles/gp_practices.gpkg"), PDEF_LAYER_POLYGON, &layer));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION,
                pdef_layer_open(ctx, path_in(root, "shapefiles/lad_2021.gpkg"), (pdef_layer_kind)5, &layer));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_open(ctx, NULL, PDEF_LAYER_POLYGON, &layer));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_open(ctx, "x.gpkg", PDEF_LAYER_POLYGON, NULL));
    /* a geographic study CRS is refused: areas are never computed in degrees */
    CHECK_OK(ctx, pdef_context_set_study_crs(ctx, "EPSG:4326"));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT,
                pdef_layer_open(ctx, path_in(root, "shapefiles/lad_2021.gpkg"), PDEF_LAYER_POLYGON, &layer));
    CHECK_OK(ctx, pdef_context_set_study_crs(ctx, "EPSG:27700"));
    /* the fail policy stops at a feature without geometry */
    CHECK_OK(ctx, pdef_context_set_invalid_policy(ctx, PDEF_INVALID_FAIL));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_layer_open(ctx, path_in(root, "tests/data/bad/null_geometry.geojson"),
                                                               PDEF_LAYER_POLYGON, &layer));
    CHECK_MESSAGE(ctx, "SQ2");
    CHECK_OK(ctx, pdef_context_set_invalid_policy(ctx, PDEF_INVALID_REPAIR));
    CHECK(layer == NULL); /* out-parameters are untouched on failure */
}

/* Layers made from WKB: a copy of three wards, a bow-tie that is repaired, a
 * missing geometry, and every way the input can be wrong. */
static void check_wkb_layers(pdef_context *ctx, const pdef_layer *wards) {
    const double bowtie[] = {500000, 150000, 500100, 150100, 500100, 150000, 500000, 150100, 500000, 150000};
    const double square[] = {500000, 150000, 500100, 150000, 500100, 150100, 500000, 150100, 500000, 150000};
    unsigned char *copied[3] = {NULL, NULL, NULL};
    unsigned char made[3][256];
    const unsigned char *wkb[3];
    size_t sizes[3], count = 0, i;
    const char *codes[3];
    const char *bad_codes[2] = {"A", NULL};
    const char *empty_codes[1] = {""};
    const char *values[3] = {"x", "y", "z"};
    const char *text = NULL;
    const char *bad_values[3] = {"x", NULL, "z"};
    pdef_layer *layer = NULL, *points = NULL;
    double area = 0, original = 0, x = 0, y = 0;
    bool located = true;
    unsigned char garbage[12] = {1, 3, 0, 0, 0, 9, 9, 9, 9, 9, 9, 9};
    unsigned char *no_geometry = NULL;
    pdef_problem problem;

    for (i = 0; i < 3; ++i) {
        CHECK_OK(ctx, pdef_layer_get_wkb(ctx, wards, i, &copied[i], &sizes[i]));
        CHECK_OK(ctx, pdef_layer_get_code(ctx, wards, i, &codes[i]));
        wkb[i] = copied[i];
    }
    CHECK_OK(ctx, pdef_layer_create_from_wkb(ctx, "three_wards", "EPSG:27700", PDEF_LAYER_POLYGON, 3, codes, wkb, sizes,
                                             &layer));
    CHECK_OK(ctx, pdef_layer_get_count(ctx, layer, &count));
    CHECK(count == 3);
    CHECK_OK(ctx, pdef_layer_get_area(ctx, layer, 2, &area));
    CHECK_OK(ctx, pdef_layer_get_area(ctx, wards, 2, &original));
    CHECK_NEAR(area, original, 1e-6 * original);
    CHECK_OK(ctx, pdef_layer_get_code_column(ctx, layer, &text, NULL));
    CHECK(strcmp(text, "code") == 0);

    CHECK_OK(ctx, pdef_layer_add_attribute(ctx, layer, "PCN_CODE", values));
    CHECK_OK(ctx, pdef_layer_get_attribute(ctx, layer, 1, 0, &text));
    CHECK(strcmp(text, "y") == 0);
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_layer_add_attribute(ctx, layer, "PCN_CODE", values));
    CHECK_MESSAGE(ctx, "PCN_CODE");
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_add_attribute(ctx, layer, "other", bad_values));
    CHECK_MESSAGE(ctx, "values[1]");
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_add_attribute(ctx, layer, NULL, values));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_add_attribute(ctx, layer, "other", NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_add_attribute(ctx, NULL, "other", values));
    pdef_layer_destroy(layer);
    layer = NULL;

    /* a bow-tie is repaired (and reported); a missing geometry is skipped (and reported) */
    sizes[0] = wkb_polygon(made[0], bowtie, 5);
    sizes[1] = wkb_polygon(made[1], square, 5);
    wkb[0] = made[0];
    wkb[1] = made[1];
    wkb[2] = NULL;
    sizes[2] = 0;
    codes[0] = "BOW";
    codes[1] = "SQUARE";
    codes[2] = "NONE";
    CHECK_OK(ctx, pdef_layer_create_from_wkb(ctx, "made", "EPSG:27700", PDEF_LAYER_POLYGON, 3, codes, wkb, sizes,
                                             &layer));
    CHECK_OK(ctx, pdef_layer_get_count(ctx, layer, &count));
    CHECK(count == 2);
    CHECK_OK(ctx, pdef_layer_get_features_read(ctx, layer, &count));
    CHECK(count == 3);
    CHECK_OK(ctx, pdef_layer_get_problem_count(ctx, layer, &count));
    CHECK(count == 2);
    CHECK_OK(ctx, pdef_layer_get_area(ctx, layer, 0, &area));
    CHECK_NEAR(area, 5000.0, 1e-6); /* the two triangles of the bow-tie */
    CHECK_OK(ctx, pdef_layer_get_area(ctx, layer, 1, &area));
    CHECK_NEAR(area, 10000.0, 1e-6);
    pdef_layer_destroy(layer);
    layer = NULL;

    /* points: one located, one without geometry (kept) */
    sizes[0] = wkb_point(made[0], 500050, 150050);
    wkb[0] = made[0];
    wkb[1] = NULL;
    CHECK_OK(ctx, pdef_layer_create_from_wkb(ctx, "points", "EPSG:27700", PDEF_LAYER_POINT, 2, codes, wkb, sizes,
                                             &points));
    CHECK_OK(ctx, pdef_layer_get_count(ctx, points, &count));
    CHECK(count == 2);
    CHECK_OK(ctx, pdef_layer_get_point(ctx, points, 0, &x, &y, &located));
    CHECK(located && x == 500050 && y == 150050);
    CHECK_OK(ctx, pdef_layer_get_point(ctx, points, 1, &x, &y, &located));
    CHECK(!located);
    CHECK_OK(ctx, pdef_layer_get_wkb(ctx, points, 1, &no_geometry, &count));
    CHECK(no_geometry == NULL && count == 0);
    pdef_layer_destroy(points);

    /* the wrong input: metres given as degrees cannot be reprojected */
    wkb[0] = made[1];
    sizes[0] = wkb_polygon(made[1], square, 5);
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT,
                pdef_layer_create_from_wkb(ctx, "w", "EPSG:4326", PDEF_LAYER_POLYGON, 1, codes, wkb, sizes, &layer));
    CHECK_MESSAGE(ctx, "no feature can be used: its coordinates cannot be transformed from EPSG:4326 to EPSG:27700");
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT,
                pdef_layer_create_from_wkb(ctx, "w", "EPSG:999999", PDEF_LAYER_POLYGON, 1, codes, wkb, sizes, &layer));
    CHECK_MESSAGE(ctx, "'EPSG:999999' is not a CRS");
    /* bytes that are not WKB: the feature is corrupt, as a GeoPackage's broken
     * blob is: skipped and named, or the end of the load under the fail policy */
    wkb[0] = garbage;
    sizes[0] = sizeof garbage;
    CHECK_OK(ctx, pdef_context_clear_problems(ctx));
    CHECK_OK(ctx, pdef_layer_create_from_wkb(ctx, "w", "EPSG:27700", PDEF_LAYER_POLYGON, 1, codes, wkb, sizes, &layer));
    CHECK_OK(ctx, pdef_layer_get_count(ctx, layer, &count));
    CHECK(count == 0);
    CHECK_OK(ctx, pdef_context_get_problem(ctx, 0, &problem));
    CHECK(strcmp(problem.kind, "corrupt_geometry") == 0 && strcmp(problem.action, "skipped") == 0);
    CHECK(strcmp(problem.code, "BOW") == 0 && problem.has_fid && problem.fid == 0);
    pdef_layer_destroy(layer);
    layer = NULL;
    CHECK_OK(ctx, pdef_context_set_invalid_policy(ctx, PDEF_INVALID_FAIL));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT,
                pdef_layer_create_from_wkb(ctx, "w", "EPSG:27700", PDEF_LAYER_POLYGON, 1, codes, wkb, sizes, &layer));
    CHECK_MESSAGE(ctx, "BOW"); /* names the feature */
    CHECK_OK(ctx, pdef_context_set_invalid_policy(ctx, PDEF_INVALID_REPAIR));
    /* only points where polygons are needed: the layer is refused, as a file's is */
    sizes[0] = wkb_point(made[0], 1, 2);
    wkb[0] = made[0];
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT,
                pdef_layer_create_from_wkb(ctx, "w", "EPSG:27700", PDEF_LAYER_POLYGON, 1, codes, wkb, sizes, &layer));
    CHECK_MESSAGE(ctx, "holds points; a polygon layer is needed");
    /* an empty code becomes "<layer>#<index>" under repair, as a file's "<layer>#<fid>" */
    wkb[0] = made[1];
    sizes[0] = wkb_polygon(made[1], square, 5);
    CHECK_OK(ctx, pdef_layer_create_from_wkb(ctx, "w", "EPSG:27700", PDEF_LAYER_POLYGON, 1, empty_codes, wkb, sizes,
                                             &layer));
    CHECK_OK(ctx, pdef_layer_get_code(ctx, layer, 0, &text));
    CHECK(strcmp(text, "w#0") == 0);
    pdef_layer_destroy(layer);
    layer = NULL;
    CHECK_OK(ctx, pdef_context_set_invalid_policy(ctx, PDEF_INVALID_FAIL));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT,
                pdef_layer_create_from_wkb(ctx, "w", "EPSG:27700", PDEF_LAYER_POLYGON, 1, empty_codes, wkb, sizes,
                                           &layer));
    CHECK_MESSAGE(ctx, "the code is empty");
    CHECK_OK(ctx, pdef_context_set_invalid_policy(ctx, PDEF_INVALID_REPAIR));
    /* no feature at all: an empty layer, as an empty file gives */
    CHECK_OK(ctx, pdef_layer_create_from_wkb(ctx, "w", "EPSG:27700", PDEF_LAYER_POLYGON, 0, codes, wkb, sizes, &layer));
    CHECK_OK(ctx, pdef_layer_get_count(ctx, layer, &count));
    CHECK(count == 0);
    pdef_layer_destroy(layer);
    layer = NULL;
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT,
                pdef_layer_create_from_wkb(ctx, "w", "EPSG:27700", PDEF_LAYER_POINT, 2, bad_codes, wkb, sizes, &layer));
    CHECK_MESSAGE(ctx, "codes[1]");
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION,
                pdef_layer_create_from_wkb(ctx, "w", "EPSG:27700", (pdef_layer_kind)-1, 1, codes, wkb, sizes, &layer));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT,
                pdef_layer_create_from_wkb(ctx, NULL, "EPSG:27700", PDEF_LAYER_POINT, 1, codes, wkb, sizes, &layer));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT,
                pdef_layer_create_from_wkb(ctx, "w", NULL, PDEF_LAYER_POINT, 1, codes, wkb, sizes, &layer));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT,
                pdef_layer_create_from_wkb(ctx, "w", "EPSG:27700", PDEF_LAYER_POINT, 1, NULL, wkb, sizes, &layer));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT,
                pdef_layer_create_from_wkb(ctx, "w", "EPSG:27700", PDEF_LAYER_POINT, 1, codes, NULL, sizes, &layer));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT,
                pdef_layer_create_from_wkb(ctx, "w", "EPSG:27700", PDEF_LAYER_POINT, 1, codes, wkb, NULL, &layer));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT,
                pdef_layer_create_from_wkb(ctx, "w", "EPSG:27700", PDEF_LAYER_POINT, 1, codes, wkb, sizes, NULL));
    /* under the fail policy, a missing polygon stops the layer */
    wkb[0] = NULL;
    CHECK_OK(ctx, pdef_context_set_invalid_policy(ctx, PDEF_INVALID_FAIL));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT,
                pdef_layer_create_from_wkb(ctx, "w", "EPSG:27700", PDEF_LAYER_POLYGON, 1, codes, wkb, sizes, &layer));
    CHECK_OK(ctx, pdef_context_set_invalid_policy(ctx, PDEF_INVALID_REPAIR));
    CHECK(layer == NULL);
    for (i = 0; i < 3; ++i) pdef_free(copied[i]);
}

/* WKB in another CRS is reprojected to the study CRS, which is checked over it
 * as an opened layer's is. */
static void check_wkb_reprojection(pdef_context *ctx, const pdef_layer *wards) {
    /* 0.02 x 0.01 degrees at Guildford (longitude, latitude), and one in metres given as degrees */
    const double lonlat[] = {-0.58, 51.23, -0.56, 51.23, -0.56, 51.24, -0.58, 51.24, -0.58, 51.23};
    const double metres[] = {500000, 150000, 500100, 150000, 500100, 150100, 500000, 150100, 500000, 150000};
    const char *laea = "+proj=laea +lat_0=51.2 +lon_0=-0.6 +datum=WGS84 +units=m";
    const double pi = 3.14159265358979323846, a = 6378137.0, e2 = 0.00669437999014, lat = 51.235 * pi / 180;
    const double w = 1 - e2 * sin(lat) * sin(lat);
    /* the box on the WGS 84 ellipsoid: prime vertical and meridian radii of curvature */
    const double expected = (0.02 * pi / 180 * a / sqrt(w) * cos(lat)) * (0.01 * pi / 180 * a * (1 - e2) / (w * sqrt(w)));
    unsigned char made[2][256];
    unsigned char *copied[3] = {NULL, NULL, NULL}, *in_laea[3] = {NULL, NULL, NULL};
    const unsigned char *wkb[3];
    size_t sizes[3], copied_sizes[3], laea_sizes[3], count = 0, i;
    const char *codes[3] = {"BOX", "NOWHERE", NULL}, *text = NULL;
    pdef_layer *layer = NULL, *equal_area = NULL;
    pdef_problem problem;
    double area = 0, original = 0;

    sizes[0] = wkb_polygon(made[0], lonlat, 5);
    sizes[1] = wkb_polygon(made[1], metres, 5);
    wkb[0] = made[0];
    wkb[1] = made[1];
    CHECK_OK(ctx, pdef_context_clear_problems(ctx));
    CHECK_OK(ctx, pdef_layer_create_from_wkb(ctx, "lonlat", "EPSG:4326", PDEF_LAYER_POLYGON, 2, codes, wkb, sizes,
                                             &layer));
    if (layer) {
        CHECK_OK(ctx, pdef_layer_get_count(ctx, layer, &count));
        CHECK(count == 1);
        CHECK_OK(ctx, pdef_layer_get_source_crs(ctx, layer, &text));
        CHECK(strcmp(text, "EPSG:4326") == 0);
        CHECK_OK(ctx, pdef_layer_get_crs(ctx, layer, &text));
        CHECK(strcmp(text, "EPSG:27700") == 0);
        /* square metres, not square degrees: EPSG:27700 keeps them within 0.06 % here */
        CHECK_OK(ctx, pdef_layer_get_area(ctx, layer, 0, &area));
        CHECK_NEAR(area, expected, 0.001 * expected);
        /* the box in metres given as degrees is said to lie outside EPSG:4326's
         * area of use (as in a file), then skipped as it cannot be reprojected */
        CHECK_OK(ctx, pdef_layer_get_problem_count(ctx, layer, &count));
        CHECK(count == 2);
        CHECK_OK(ctx, pdef_context_get_problem(ctx, 0, &problem));
        CHECK(strcmp(problem.kind, "outside_crs_area") == 0 && strcmp(problem.action, "kept") == 0);
        CHECK(strcmp(problem.code, "NOWHERE") == 0 && strstr(problem.detail, "area of use of EPSG:4326") != NULL);
        CHECK_OK(ctx, pdef_context_get_problem(ctx, 1, &problem));
        CHECK(strcmp(problem.kind, "invalid_geometry") == 0 && strcmp(problem.action, "skipped") == 0);
        CHECK(strcmp(problem.code, "NOWHERE") == 0 && strstr(problem.detail, "cannot be transformed") != NULL);
    }
    pdef_layer_destroy(layer);
    layer = NULL;
    /* ... and stops the layer under the fail policy */
    CHECK_OK(ctx, pdef_context_set_invalid_policy(ctx, PDEF_INVALID_FAIL));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT,
                pdef_layer_create_from_wkb(ctx, "lonlat", "EPSG:4326", PDEF_LAYER_POLYGON, 2, codes, wkb, sizes,
                                           &layer));
    CHECK_MESSAGE(ctx, "NOWHERE");
    CHECK_MESSAGE(ctx, "cannot be transformed from EPSG:4326 to EPSG:27700");
    CHECK_OK(ctx, pdef_context_set_invalid_policy(ctx, PDEF_INVALID_REPAIR));

    /* three wards there and back: to an equal-area study CRS (a PROJ string), then back from it */
    for (i = 0; i < 3; ++i) {
        CHECK_OK(ctx, pdef_layer_get_wkb(ctx, wards, i, &copied[i], &copied_sizes[i]));
        CHECK_OK(ctx, pdef_layer_get_code(ctx, wards, i, &codes[i]));
        wkb[i] = copied[i];
    }
    CHECK_OK(ctx, pdef_context_set_study_crs(ctx, laea));
    CHECK_OK(ctx, pdef_layer_create_from_wkb(ctx, "wards", "EPSG:27700", PDEF_LAYER_POLYGON, 3, codes, wkb,
                                             copied_sizes, &equal_area));
    CHECK_OK(ctx, pdef_context_set_study_crs(ctx, "EPSG:27700"));
    if (equal_area) {
        CHECK_OK(ctx, pdef_layer_get_area(ctx, equal_area, 2, &area));
        CHECK_OK(ctx, pdef_layer_get_area(ctx, wards, 2, &original));
        CHECK(area > original * 1.0003 && area < original * 1.0008); /* EPSG:27700 is 0.06 % small here */
        for (i = 0; i < 3; ++i) {
            CHECK_OK(ctx, pdef_layer_get_wkb(ctx, equal_area, i, &in_laea[i], &laea_sizes[i]));
            wkb[i] = in_laea[i];
        }
        CHECK_OK(ctx, pdef_layer_create_from_wkb(ctx, "back", laea, PDEF_LAYER_POLYGON, 3, codes, wkb, laea_sizes,
                                                 &layer));
        CHECK_OK(ctx, pdef_layer_get_area(ctx, layer, 2, &area));
        CHECK_NEAR(area, original, 1e-6 * original);
        pdef_layer_destroy(layer);
        layer = NULL;
    }

    /* a study CRS that distorts area over the WKB is refused, naming what to use */
    for (i = 0; i < 3; ++i) wkb[i] = copied[i];
    CHECK_OK(ctx, pdef_context_set_study_crs(ctx, "EPSG:3857"));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT,
                pdef_layer_create_from_wkb(ctx, "wards", "EPSG:27700", PDEF_LAYER_POLYGON, 3, codes, wkb, copied_sizes,
                                           &layer));
    CHECK_MESSAGE(ctx, "study CRS 'EPSG:3857' distorts area by");
    CHECK_MESSAGE(ctx, "such as EPSG:27700");
    CHECK(layer == NULL);
    CHECK_OK(ctx, pdef_context_set_study_crs(ctx, "EPSG:27700"));
    pdef_layer_destroy(equal_area);
    for (i = 0; i < 3; ++i) {
        pdef_free(copied[i]);
        pdef_free(in_laea[i]);
    }
}

static double sum(const double *values, size_t count) {
    double total = 0;
    size_t i;
    for (i = 0; i < count; ++i) total += values[i];
    return total;
}

/* Population of the sample: 276,908 people in the 166 LSOAs of 2011. */
/* WKB with bytes after the geometry, and EWKB whose SRID is not the CRS the
 * coordinates were given in, are refused, naming the offset and both CRSs;
 * an EWKB SRID that agrees is taken. */
static void check_wkb_refusals(pdef_context *ctx) {
    const double square[] = {500000, 150000, 500100, 150000, 500100, 150100, 500000, 150100, 500000, 150000};
    unsigned char bytes[256];
    unsigned char ewkb[256];
    const unsigned char *wkb[1];
    size_t sizes[1];
    const char *codes[1] = {"SQ"};
    const uint32_t srid_flag_polygon = 0x20000003u, srid = 4326, bng = 27700;
    pdef_layer *layer = NULL;
    double area = 0;
    size_t size = wkb_polygon(bytes, square, 5);

    bytes[size] = 0; /* one byte too many */
    wkb[0] = bytes;
    sizes[0] = size + 1;
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT,
                pdef_layer_create_from_wkb(ctx, "t", "EPSG:27700", PDEF_LAYER_POLYGON, 1, codes, wkb, sizes, &layer));
    CHECK_MESSAGE(ctx, "1 trailing bytes after the geometry, from byte offset 93");
    CHECK_MESSAGE(ctx, "code SQ");
    CHECK(layer == NULL);

    /* the same polygon as EWKB: header, SRID, then the body of the plain WKB */
    memcpy(ewkb, bytes, 1);
    memcpy(ewkb + 1, &srid_flag_polygon, 4);
    memcpy(ewkb + 5, &srid, 4);
    memcpy(ewkb + 9, bytes + 5, size - 5);
    wkb[0] = ewkb;
    sizes[0] = size + 4;
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT,
                pdef_layer_create_from_wkb(ctx, "t", "EPSG:27700", PDEF_LAYER_POLYGON, 1, codes, wkb, sizes, &layer));
    CHECK_MESSAGE(ctx, "SRID 4326 (EPSG:4326)");
    CHECK_MESSAGE(ctx, "given as EPSG:27700");
    CHECK(layer == NULL);
    memcpy(ewkb + 5, &bng, 4);
    CHECK_OK(ctx, pdef_layer_create_from_wkb(ctx, "t", "EPSG:27700", PDEF_LAYER_POLYGON, 1, codes, wkb, sizes, &layer));
    CHECK_OK(ctx, pdef_layer_get_area(ctx, layer, 0, &area));
    CHECK_NEAR(area, 10000, 1e-6);
    pdef_layer_destroy(layer);
}

static void check_population(pdef_context *ctx, const char *root, const pdef_layer *wards) {
    const char *table = path_in(root, "shapefiles/population_mid2020_lsoa11.csv");
    pdef_layer *lsoa = NULL, *practices = NULL;
    pdef_population *population = NULL, *from_values = NULL;
    double values[166], apportioned[45], few[3] = {1, 2, 3};
    size_t before = 0, after = 0;

    CHECK_OK(ctx, pdef_layer_open(ctx, path_in(root, "shapefiles/lsoa_2011.gpkg"), PDEF_LAYER_POLYGON, &lsoa));
    if (!lsoa) return;
    CHECK_OK(ctx, pdef_layer_join_numeric(ctx, lsoa, table, "lsoa11_code", "total_population", -1, values, 166));
    CHECK(sum(values, 166) == 276908);
    /* no key column named: the column matching the most unit codes is the key, as in every front end
       (the first column holds names, and keying on it would leave every unit without a row) */
    CHECK_OK(ctx, pdef_context_get_problem_count(ctx, &before));
    CHECK_OK(ctx, pdef_layer_join_numeric(ctx, lsoa, table, NULL, "total_population", -1, values, 166));
    CHECK_OK(ctx, pdef_context_get_problem_count(ctx, &after));
    CHECK(sum(values, 166) == 276908 && after == before);
    CHECK_FAILS(ctx, PDEF_ERROR_BUFFER_TOO_SMALL,
                pdef_layer_join_numeric(ctx, lsoa, table, "lsoa11_code", "total_population", 0, values, 165));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT,
                pdef_layer_join_numeric(ctx, lsoa, table, "lsoa11_code", "no_such_column", 0, values, 166));
    CHECK_MESSAGE(ctx, "no_such_column");
    CHECK_FAILS(ctx, PDEF_ERROR_IO, pdef_layer_join_numeric(ctx, lsoa, path_in(root, "no.csv"), "lsoa11_code",
                                                            "total_population", 0, values, 166));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT,
                pdef_layer_join_numeric(ctx, lsoa, NULL, "lsoa11_code", "total_population", 0, values, 166));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT,
                pdef_layer_join_numeric(ctx, lsoa, table, "lsoa11_code", NULL, 0, values, 166));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT,
                pdef_layer_join_numeric(ctx, lsoa, table, "lsoa11_code", "total_population", 0, NULL, 166));

    CHECK_OK(ctx, pdef_population_create(ctx, lsoa, table, "lsoa11_code", "total_population", &population));
    CHECK_OK(ctx, pdef_population_copy_values(ctx, population, values, 166));
    CHECK(sum(values, 166) == 276908);
    CHECK_OK(ctx, pdef_population_create_from_values(ctx, lsoa, 166, values, &from_values));
    /* the population keeps its units alive */
    pdef_layer_destroy(lsoa);
    lsoa = NULL;
    CHECK_OK(ctx, pdef_population_apportion(ctx, from_values, wards, apportioned, 45));
    CHECK_NEAR(sum(apportioned, 45), 276908, 276908 * 0.005);
    CHECK_OK(ctx, pdef_population_copy_values(ctx, from_values, values, 166));
    CHECK(sum(values, 166) == 276908);

    CHECK_FAILS(ctx, PDEF_ERROR_BUFFER_TOO_SMALL, pdef_population_copy_values(ctx, population, values, 10));
    CHECK_FAILS(ctx, PDEF_ERROR_BUFFER_TOO_SMALL, pdef_population_apportion(ctx, population, wards, apportioned, 44));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_population_apportion(ctx, population, NULL, apportioned, 45));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_population_copy_values(ctx, NULL, values, 166));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_population_create_from_values(ctx, wards, 3, few, &from_values));
    CHECK_MESSAGE(ctx, "3 population values for the 45 units");
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_population_create_from_values(ctx, wards, 3, NULL, &from_values));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_population_create_from_values(ctx, wards, 3, few, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_population_create(ctx, wards, table, "k", "c", NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_population_create(ctx, NULL, table, "k", "c", &population));
    CHECK_OK(ctx, pdef_layer_open(ctx, path_in(root, "shapefiles/gp_practices.gpkg@PRACTICE_CODE"), PDEF_LAYER_POINT, &practices));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT,
                pdef_population_create(ctx, practices, table, "lsoa11_code", "total_population", &population));
    CHECK_MESSAGE(ctx, "polygon units");

    /* wrong handle types */
    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE, pdef_layer_get_count(ctx, (const pdef_layer *)(const void *)population,
                                                                   &before));
    CHECK_MESSAGE(ctx, "is not a pdef_layer (it is a pdef_population)");
    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE,
                pdef_population_copy_values(ctx, (const pdef_population *)(const void *)wards, values, 166));
    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE,
                pdef_layer_get_name(ctx, (const pdef_layer *)(const void *)not_a_handle, &table));
    CHECK_MESSAGE(ctx, "not a placedef handle");
    pdef_layer_destroy((pdef_layer *)(void *)population); /* another type: left alone */
    pdef_population_destroy(NULL);
    pdef_layer_destroy(NULL);

    pdef_population_destroy(population);
    pdef_population_destroy(from_values);
    pdef_layer_destroy(practices);
}

/* A table held by the caller: its code and name columns chosen as a layer's are. */
static void check_choose_columns(pdef_context *ctx) {
    const char *names[] = {"fid", "LAD21CD", "LAD21NM", "WD25CD"};
    /* WD25CD repeats a value, so LAD21CD is the only code column; its names are LAD21NM */
    const char *values[] = {"1", "E07000209", "Guildford", "E05000001",
                            "2", "E07000216", "Waverley", "E05000001"};
    const char *lone[] = {"code", "name"};
    const char *lone_values[] = {"A", "Alpha"};
    size_t code = 99, label = 99;
    CHECK_OK(ctx, pdef_choose_code_column(ctx, "frame", 4, names, 2, values, NULL, NULL, &code, &label));
    CHECK(code == 1 && label == 2);
    CHECK_OK(ctx, pdef_choose_code_column(ctx, "frame", 4, names, 2, values, "", "", &code, &label));
    CHECK(code == 1 && label == 2);
    /* given columns are taken as they are, duplicates and all (the layer reports them) */
    CHECK_OK(ctx, pdef_choose_code_column(ctx, "frame", 4, names, 2, values, "WD25CD", "fid", &code, &label));
    CHECK(code == 3 && label == 0);
    /* no column ending in CD: say so and how to name one; no name column: label == columns */
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_choose_code_column(ctx, "frame", 2, lone, 1, lone_values, NULL, NULL, &code, &label));
    CHECK_MESSAGE(ctx, "no column ends in 'CD'");
    CHECK_MESSAGE(ctx, "frame@COLUMN");
    CHECK_OK(ctx, pdef_choose_code_column(ctx, "frame", 2, lone, 1, lone_values, "code", NULL, &code, &label));
    CHECK(code == 0 && label == 1);
    CHECK_OK(ctx, pdef_choose_code_column(ctx, "frame", 1, lone, 1, lone_values, "code", NULL, &code, &label));
    CHECK(code == 0 && label == 1);
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_choose_code_column(ctx, "frame", 4, names, 2, values, "LAD24CD", NULL, &code, &label));
    CHECK_MESSAGE(ctx, "no column 'LAD24CD'");
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_choose_code_column(ctx, "frame", 4, names, 2, values, NULL, "NAME", &code, &label));
    CHECK_MESSAGE(ctx, "no column 'NAME'");
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_choose_code_column(ctx, NULL, 4, names, 2, values, NULL, NULL, &code, &label));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_choose_code_column(ctx, "frame", 4, NULL, 2, values, NULL, NULL, &code, &label));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_choose_code_column(ctx, "frame", 4, names, 2, NULL, NULL, NULL, &code, &label));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_choose_code_column(ctx, "frame", 4, names, 2, values, NULL, NULL, NULL, &label));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_choose_code_column(ctx, "frame", 4, names, 2, values, NULL, NULL, &code, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE, pdef_choose_code_column((pdef_context *)(void *)not_a_handle, "frame", 4, names, 2, values, NULL, NULL, &code, &label));
}

int main(int argc, char **argv) {
    pdef_context *ctx = NULL;
    pdef_layer *wards = NULL;
    if (argc < 2) {
        fprintf(stderr, "usage: test_layer SOURCE_DIR\n");
        return 2;
    }
    if (pdef_context_create(&ctx) != PDEF_OK) return 1;
    check_dataset(ctx, argv[1]);
    check_choose_columns(ctx);
    CHECK_OK(ctx, pdef_layer_open(ctx, path_in(argv[1], "shapefiles/ward_2025.gpkg@WD25CD"), PDEF_LAYER_POLYGON,
                                  &wards));
    if (wards) {
        check_polygon_layer(ctx, wards);
        check_wkb_layers(ctx, wards);
        check_wkb_reprojection(ctx, wards);
        check_wkb_refusals(ctx);
        check_population(ctx, argv[1], wards);
    }
    check_point_layer(ctx, argv[1]);
    check_open_errors(ctx, argv[1]);
    pdef_layer_destroy(wards);
    pdef_context_destroy(ctx);
    return finish("test_layer");
}
