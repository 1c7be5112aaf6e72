/* Version, status texts, buffers, the context, its settings and problems. */
#include "check.h"

#include <errno.h>

struct log_record {
    int warnings;
    int infos;
    char last[512];
    char last_warning[512];
};

static void on_log(pdef_log_level level, const char *message, void *user_data) {
    struct log_record *record = (struct log_record *)user_data;
    if (level == PDEF_LOG_WARNING) {
        ++record->warnings;
        snprintf(record->last_warning, sizeof record->last_warning, "%s", message);
    }
    if (level == PDEF_LOG_INFO) ++record->infos;
    snprintf(record->last, sizeof record->last, "%s", message);
}

static void check_version_and_status(void) {
    const pdef_status all[] = {PDEF_OK, PDEF_ERROR, PDEF_ERROR_OUT_OF_MEMORY, PDEF_ERROR_NULL_ARGUMENT,
                               PDEF_ERROR_WRONG_HANDLE, PDEF_ERROR_BAD_OPTION, PDEF_ERROR_OUT_OF_RANGE,
                               PDEF_ERROR_BUFFER_TOO_SMALL, PDEF_ERROR_NOT_AVAILABLE, PDEF_ERROR_INVALID_INPUT,
                               PDEF_ERROR_IO, PDEF_ERROR_TOPOLOGY, PDEF_ERROR_INTERNAL, PDEF_ERROR_OUTPUT};
    size_t i, j;
    int major = -1, minor = -1, patch = -1;
    CHECK(sscanf(pdef_version(), "%d.%d.%d", &major, &minor, &patch) == 3);
    CHECK(major >= 0 && minor >= 0 && patch >= 0);
    CHECK(strcmp(pdef_status_string(PDEF_OK), "ok") == 0);
    /* Every code has its own text; a code the library does not know reads as PDEF_ERROR. */
    for (i = 0; i < sizeof all / sizeof all[0]; ++i)
        for (j = i + 1; j < sizeof all / sizeof all[0]; ++j)
            CHECK(strcmp(pdef_status_string(all[i]), pdef_status_string(all[j])) != 0);
    CHECK(strcmp(pdef_status_string((pdef_status)999), pdef_status_string(PDEF_ERROR)) == 0);
    pdef_free(NULL);
}

static void check_settings(pdef_context *ctx) {
    unsigned threads = 99;
    double value = 0;
    const char *text = NULL;
    pdef_invalid_policy policy = PDEF_INVALID_FAIL;

    /* defaults: those of the command line */
    CHECK_OK(ctx, pdef_context_get_threads(ctx, &threads));
    CHECK(threads == 0);
    CHECK_OK(ctx, pdef_context_get_tolerance(ctx, &value));
    CHECK(value == 0.995);
    CHECK_OK(ctx, pdef_context_get_min_piece(ctx, &value));
    CHECK(value == 0.01);
    CHECK_OK(ctx, pdef_context_get_distance(ctx, &value));
    CHECK(value == 20.0);
    CHECK_OK(ctx, pdef_context_get_study_crs(ctx, &text));
    CHECK(strcmp(text, "EPSG:27700") == 0);
    CHECK_OK(ctx, pdef_context_get_assume_crs(ctx, &text));
    CHECK(strcmp(text, "") == 0);
    CHECK_OK(ctx, pdef_context_get_invalid_policy(ctx, &policy));
    CHECK(policy == PDEF_INVALID_REPAIR);

    CHECK_OK(ctx, pdef_context_set_threads(ctx, 2));
    CHECK_OK(ctx, pdef_context_get_threads(ctx, &threads));
    CHECK(threads == 2);
    CHECK_OK(ctx, pdef_context_set_tolerance(ctx, 0.9));
    CHECK_OK(ctx, pdef_context_get_tolerance(ctx, &value));
    CHECK(value == 0.9);
    CHECK_OK(ctx, pdef_context_set_min_piece(ctx, 0.05));
    CHECK_OK(ctx, pdef_context_get_min_piece(ctx, &value));
    CHECK(value == 0.05);
    CHECK_OK(ctx, pdef_context_set_distance(ctx, 10));
    CHECK_OK(ctx, pdef_context_get_distance(ctx, &value));
    CHECK(value == 10);
    CHECK_OK(ctx, pdef_context_set_study_crs(ctx, "EPSG:3857"));
    CHECK_OK(ctx, pdef_context_get_study_crs(ctx, &text));
    CHECK(strcmp(text, "EPSG:3857") == 0);
    CHECK_OK(ctx, pdef_context_set_assume_crs(ctx, "EPSG:4326"));
    CHECK_OK(ctx, pdef_context_get_assume_crs(ctx, &text));
    CHECK(strcmp(text, "EPSG:4326") == 0);
    CHECK_OK(ctx, pdef_context_set_invalid_policy(ctx, PDEF_INVALID_SKIP));
    CHECK_OK(ctx, pdef_context_get_invalid_policy(ctx, &policy));
    CHECK(policy == PDEF_INVALID_SKIP);
    CHECK_OK(ctx, pdef_invalid_policy_from_string(ctx, "Fail", &policy));
    CHECK(policy == PDEF_INVALID_FAIL);

    /* bad options leave the setting as it was */
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_context_set_tolerance(ctx, 1.5));
    CHECK_MESSAGE(ctx, "tolerance");
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_context_set_tolerance(ctx, 0.2));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_context_set_tolerance(ctx, NAN));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_context_set_min_piece(ctx, 0.6));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_context_set_min_piece(ctx, -0.1));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_context_set_distance(ctx, -1));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_context_set_distance(ctx, INFINITY));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_context_set_study_crs(ctx, ""));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_context_set_invalid_policy(ctx, (pdef_invalid_policy)7));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_invalid_policy_from_string(ctx, "mend", &policy));
    CHECK_MESSAGE(ctx, "repair, skip, fail");
    CHECK_OK(ctx, pdef_context_get_tolerance(ctx, &value));
    CHECK(value == 0.9);
    CHECK_OK(ctx, pdef_context_get_invalid_policy(ctx, &policy));
    CHECK(policy == PDEF_INVALID_SKIP);
    /* a successful call clears the message */
    CHECK(strcmp(pdef_context_last_error(ctx), "") == 0);

    /* NULL arguments */
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_context_get_threads(ctx, NULL));
    CHECK_MESSAGE(ctx, "'threads' is NULL");
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_context_get_tolerance(ctx, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_context_get_min_piece(ctx, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_context_get_distance(ctx, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_context_set_study_crs(ctx, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_context_get_study_crs(ctx, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_context_set_assume_crs(ctx, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_context_get_assume_crs(ctx, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_context_get_invalid_policy(ctx, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_invalid_policy_from_string(ctx, NULL, &policy));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_invalid_policy_from_string(ctx, "skip", NULL));
}

/* Calls without a usable context cannot leave a message: the status tells. */
static void check_bad_contexts(void) {
    pdef_context *fake = (pdef_context *)(void *)not_a_handle;
    unsigned threads = 0;
    size_t count = 0;
    CHECK(pdef_context_create(NULL) == PDEF_ERROR_NULL_ARGUMENT);
    CHECK(pdef_context_set_threads(NULL, 1) == PDEF_ERROR_NULL_ARGUMENT);
    CHECK(pdef_context_get_threads(fake, &threads) == PDEF_ERROR_WRONG_HANDLE);
    CHECK(pdef_context_set_log_callback(fake, NULL, NULL) == PDEF_ERROR_WRONG_HANDLE);
    CHECK(pdef_context_set_progress_callback(NULL, NULL, NULL) == PDEF_ERROR_NULL_ARGUMENT);
    CHECK(pdef_context_get_problem_count(fake, &count) == PDEF_ERROR_WRONG_HANDLE);
    CHECK(pdef_context_clear_problems(NULL) == PDEF_ERROR_NULL_ARGUMENT);
    CHECK(strstr(pdef_context_last_error(NULL), "NULL") != NULL);
    CHECK(strstr(pdef_context_last_error(fake), "not a pdef_context") != NULL);
    pdef_context_destroy(NULL);
    pdef_context_destroy(fake); /* another type: left alone */
}

/* A layer with a feature without geometry reports one problem, which reaches
 * the log callback and the context's problem list. */
static void check_problems(pdef_context *ctx, const char *root) {
    struct log_record record = {0, 0, "", ""};
    pdef_layer *layer = NULL;
    size_t count = 99;
    pdef_problem problem;

    CHECK_OK(ctx, pdef_context_set_study_crs(ctx, "EPSG:27700"));
    CHECK_OK(ctx, pdef_context_set_invalid_policy(ctx, PDEF_INVALID_REPAIR));
    CHECK_OK(ctx, pdef_context_set_log_callback(ctx, on_log, &record));
    CHECK_OK(ctx, pdef_context_set_progress_callback(ctx, NULL, NULL));
    CHECK_OK(ctx, pdef_context_clear_problems(ctx));
    CHECK_OK(ctx, pdef_context_get_problem_count(ctx, &count));
    CHECK(count == 0);
    CHECK_OK(ctx, pdef_layer_open(ctx, path_in(root, "tests/data/bad/null_geometry.geojson"), PDEF_LAYER_POLYGON,
                                  &layer));
    CHECK_OK(ctx, pdef_context_get_problem_count(ctx, &count));
    CHECK(count == 1);
    CHECK(record.warnings == 1);
    CHECK(record.infos == 1); /* the code column SQCD was guessed */
    CHECK_OK(ctx, pdef_context_get_problem(ctx, 0, &problem));
    CHECK(strcmp(problem.kind, "null_geometry") == 0);
    CHECK(strcmp(problem.action, "skipped") == 0);
    CHECK(strcmp(problem.code, "SQ2") == 0);
    CHECK(problem.has_fid && problem.fid == 2);
    CHECK(strstr(problem.file, "null_geometry.geojson") != NULL);
    CHECK(strcmp(problem.layer, "null_geometry") == 0);
    CHECK(problem.field != NULL && problem.detail != NULL);
    CHECK(strstr(problem.description, "null_geometry (skipped)") != NULL);
    CHECK(strstr(record.last, "code column guessed as SQCD") != NULL); /* the note came last */
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_context_get_problem(ctx, 1, &problem));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_context_get_problem(ctx, 0, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_context_get_problem_count(ctx, NULL));
    CHECK_OK(ctx, pdef_context_clear_problems(ctx));
    CHECK_OK(ctx, pdef_context_get_problem_count(ctx, &count));
    CHECK(count == 0);
    pdef_layer_destroy(layer);

    /* without a callback, problems are still kept */
    CHECK_OK(ctx, pdef_context_set_log_callback(ctx, NULL, NULL));
    CHECK_OK(ctx, pdef_layer_open(ctx, path_in(root, "tests/data/bad/null_geometry.geojson"), PDEF_LAYER_POLYGON,
                                  &layer));
    CHECK_OK(ctx, pdef_context_get_problem_count(ctx, &count));
    CHECK(count == 1);
    CHECK(record.warnings == 1);
    pdef_layer_destroy(layer);
}

/* Two layers whose extents never meet: the overlay has no row and says why
 * through the log callback, as the command line does on stderr. */
static void check_layers_apart_warning(pdef_context *ctx, const char *root) {
    struct log_record record = {0, 0, "", ""};
    pdef_layer *apart = NULL;
    pdef_layer *lads = NULL;
    pdef_table *table = NULL;
    pdef_table_summary summary;

    CHECK_OK(ctx, pdef_context_set_log_callback(ctx, on_log, &record));
    CHECK_OK(ctx, pdef_layer_open(ctx, path_in(root, "tests/data/bad/apart.geojson@SQCD"), PDEF_LAYER_POLYGON,
                                  &apart));
    CHECK_OK(ctx, pdef_layer_open(ctx, path_in(root, "shapefiles/lad_2021.gpkg@LAD21CD"), PDEF_LAYER_POLYGON,
                                  &lads));
    record.warnings = 0;
    CHECK_OK(ctx, pdef_overlay(ctx, apart, lads, NULL, 0.0, false, &table));
    CHECK(record.warnings == 1);
    CHECK(strstr(record.last_warning, "layer apart (apart.geojson) and layer lad_2021 (lad_2021.gpkg) do not overlap") != NULL);
    CHECK_OK(ctx, pdef_table_get_summary(ctx, table, &summary));
    CHECK(summary.rows == 0);
    CHECK_OK(ctx, pdef_context_set_log_callback(ctx, NULL, NULL));
    pdef_table_destroy(table);
    pdef_layer_destroy(lads);
    pdef_layer_destroy(apart);
}

/* The operating system's error behind a failed call, and the file it concerns. */
static void check_os_error(pdef_context *ctx, const char *root) {
    pdef_layer *layer = NULL;
    const char *file = NULL;
    const char *missing = path_in(root, "shapefiles/no_such_layer.gpkg");
    CHECK_FAILS(ctx, PDEF_ERROR_IO, pdef_layer_open(ctx, missing, PDEF_LAYER_POLYGON, &layer));
    CHECK(pdef_context_last_os_error(ctx, &file) == ENOENT);
    CHECK(file != NULL && strstr(file, "no_such_layer.gpkg") != NULL);
    CHECK(pdef_context_last_os_error(ctx, NULL) == ENOENT); /* file may be NULL */
    CHECK_OK(ctx, pdef_layer_open(ctx, path_in(root, "shapefiles/lad_2021.gpkg@LAD21CD"), PDEF_LAYER_POLYGON, &layer));
    CHECK(pdef_context_last_os_error(ctx, &file) == 0); /* a call that succeeded had none */
    CHECK(file != NULL && strcmp(file, "") == 0);
    pdef_layer_destroy(layer);
}

int main(int argc, char **argv) {
    pdef_context *ctx = NULL;
    if (argc < 2) {
        fprintf(stderr, "usage: test_context SOURCE_DIR\n");
        return 2;
    }
    check_version_and_status();
    check_bad_contexts();
    CHECK(pdef_context_create(&ctx) == PDEF_OK);
    if (!ctx) return finish("test_context");
    CHECK(strcmp(pdef_context_last_error(ctx), "") == 0);
    check_settings(ctx);
    check_problems(ctx, argv[1]);
    check_layers_apart_warning(ctx, argv[1]);
    check_os_error(ctx, argv[1]);
    pdef_context_destroy(ctx);
    return finish("test_context");
}
