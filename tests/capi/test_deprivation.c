#include <stdio.h>
/* Deprivation by place and unit names through the C API, on hand-made layers
 * whose numbers are checked by hand: four 1 km squares (SW, SE, NW, NE) with
 * people 100, 200, 300, 50, IMD-like ranks 500, 300, 100, 50, scores 10, 20,
 * 30, 40 and deciles 5, 3, 2, 1, under two footprints, W (SW + NW) and E. */
#include "boxes.h"
#include "check.h"

static const char *const unit_codes[] = {"SW", "SE", "NW", "NE"};
static const char *const unit_names[] = {"SW town", "SE town", "NW town", "NE town"};
static const double unit_boxes[][4] = {{0, 0, 1, 1}, {1, 0, 2, 1}, {0, 1, 1, 2}, {1, 1, 2, 2}};
static const double people[] = {100, 200, 300, 50};
static const double ranks[] = {500, 300, 100, 50};
static const double scores[] = {10, 20, 30, 40};
static const double deciles[] = {5, 3, 2, 1};

static void check_names(pdef_context *ctx, pdef_layer *units, const pdef_layer *halves) {
    const char *text = NULL, *best = NULL;
    bool guessed = true;
    pdef_table *table = NULL;
    pdef_report *report = NULL;
    pdef_lookup *lookup = NULL;

    CHECK_OK(ctx, pdef_layer_get_unit_name(ctx, units, 2, &text));
    CHECK(text && strcmp(text, "NW town") == 0);
    CHECK_OK(ctx, pdef_layer_get_label_column(ctx, units, &text, &guessed));
    CHECK(text && strcmp(text, "NAME") == 0 && !guessed);
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_layer_set_label_column(ctx, units, "NOPE"));
    CHECK_MESSAGE(ctx, "NAME");  /* the columns it has */
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_layer_get_unit_name(ctx, units, 4, &text));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_layer_set_label_column(ctx, units, NULL));

    /* Tables, reports and lookups made from named layers carry the names. */
    CHECK_OK(ctx, pdef_overlay(ctx, units, halves, NULL, 0.0, false, &table));
    if (!table) return;
    CHECK_OK(ctx, pdef_table_get_unit_name(ctx, table, PDEF_SIDE_A, 3, &text));
    CHECK(text && strcmp(text, "NE town") == 0);
    CHECK_OK(ctx, pdef_table_get_unit_name(ctx, table, PDEF_SIDE_B, 0, &text));
    CHECK(text && strcmp(text, "West") == 0);
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_table_get_unit_name(ctx, table, PDEF_SIDE_B, 2, &text));
    CHECK_OK(ctx, pdef_report_create(ctx, table, NULL, NULL, &report));
    if (report) {
        /* units are sorted by code: NE, NW, SE, SW; NW lies in W (West) */
        CHECK_OK(ctx, pdef_report_get_unit_names(ctx, report, PDEF_SIDE_A, 1, &text, &best));
        CHECK(text && strcmp(text, "NW town") == 0 && best && strcmp(best, "West") == 0);
        CHECK_OK(ctx, pdef_report_get_piece_name(ctx, report, PDEF_SIDE_A, 1, 0, &text));
        CHECK(text && strcmp(text, "West") == 0);
        CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT,
                    pdef_report_get_unit_names(ctx, report, PDEF_SIDE_A, 1, &text, NULL));
    }
    pdef_report_destroy(report);
    pdef_table_destroy(table);
    CHECK_OK(ctx, pdef_lookup_create(ctx, units, halves, NULL, PDEF_BEST_FIT_AREA, 0.9, &lookup));
    if (lookup) {
        CHECK_OK(ctx, pdef_lookup_get_row_names(ctx, lookup, 0, &text, &best));  /* NE in East */
        CHECK(text && strcmp(text, "NE town") == 0 && best && strcmp(best, "East") == 0);
        CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_lookup_get_row_names(ctx, lookup, 4, &text, &best));
    }
    pdef_lookup_destroy(lookup);
}

/* A unit wholly inside two units that overlap (two LEPs over one district). */
static void check_also_within(pdef_context *ctx) {
    static const char *const codes[] = {"D"};
    static const double district[][4] = {{0, 0, 1, 1}};
    static const char *const lep_codes[] = {"L1", "L2"};
    static const double leps[][4] = {{0, 0, 2, 2}, {0, 0, 1.5, 3}};
    pdef_layer *a = boxes(ctx, "district", 1, codes, NULL, district);
    pdef_layer *b = boxes(ctx, "lep", 2, lep_codes, NULL, leps);
    pdef_table *table = NULL;
    pdef_report *report = NULL;
    pdef_unit_relation unit;
    size_t count = 99;
    const char *code = NULL;
    if (a && b) CHECK_OK(ctx, pdef_overlay(ctx, a, b, NULL, 0.0, false, &table));
    if (table) CHECK_OK(ctx, pdef_report_create(ctx, table, NULL, NULL, &report));
    if (report) {
        CHECK_OK(ctx, pdef_report_get_unit(ctx, report, PDEF_SIDE_A, 0, &unit));
        CHECK_OK(ctx, pdef_report_get_also_within_count(ctx, report, PDEF_SIDE_A, 0, &count));
        CHECK(count == 1);
        CHECK_OK(ctx, pdef_report_get_also_within(ctx, report, PDEF_SIDE_A, 0, 0, &code));
        CHECK(code && ((strcmp(unit.best, "L1") == 0 && strcmp(code, "L2") == 0) ||
                       (strcmp(unit.best, "L2") == 0 && strcmp(code, "L1") == 0)));
        CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_report_get_also_within(ctx, report, PDEF_SIDE_A, 0, 1, &code));
        /* the LEPs lie in no single district: nothing else holds them */
        CHECK_OK(ctx, pdef_report_get_also_within_count(ctx, report, PDEF_SIDE_B, 0, &count));
        CHECK(count == 0);
    }
    pdef_report_destroy(report);
    pdef_table_destroy(table);
    pdef_layer_destroy(b);
    pdef_layer_destroy(a);
}

static void check_profile(pdef_context *ctx, const pdef_layer *units, const pdef_layer *halves) {
    pdef_population *population = NULL;
    pdef_deprivation *profile = NULL, *by_area = NULL;
    pdef_footprint_deprivation f;
    pdef_deprived_unit u;
    size_t count = 0;

    CHECK_OK(ctx, pdef_population_create_from_values(ctx, units, 4, people, &population));
    CHECK_OK(ctx, pdef_deprivation_create(ctx, halves, units, population, 4, ranks, scores, deciles, 3, &profile));
    if (!profile) return;
    CHECK_OK(ctx, pdef_deprivation_get_footprint_count(ctx, profile, &count));
    CHECK(count == 2);
    CHECK_OK(ctx, pdef_deprivation_get_footprint(ctx, profile, 0, &f)); /* W: SW 100 people, NW 300 */
    CHECK(strcmp(f.code, "W") == 0 && strcmp(f.name, "West") == 0 && f.by_people);
    CHECK_NEAR(f.people, 400, 1e-6);
    CHECK_NEAR(f.people_deciles_1_2, 300, 1e-6);
    CHECK_NEAR(f.share_deciles_1_2, 0.75, 1e-9);
    CHECK_NEAR(f.mean_score, (100 * 10 + 300 * 30) / 400.0, 1e-9);
    CHECK(strcmp(f.most_deprived.code, "NW") == 0 && strcmp(f.most_deprived.name, "NW town") == 0);
    CHECK(f.most_deprived.rank == 100 && f.most_deprived.index == 2);
    CHECK_OK(ctx, pdef_deprivation_get_footprint(ctx, profile, 1, &f)); /* E: SE 200, NE 50 */
    CHECK_NEAR(f.mean_score, (200 * 20 + 50 * 40) / 250.0, 1e-9);
    CHECK_NEAR(f.share_deciles_1_2, 0.2, 1e-9);
    CHECK(strcmp(f.most_deprived.code, "NE") == 0);

    CHECK_OK(ctx, pdef_deprivation_get_most_deprived_count(ctx, profile, &count));
    CHECK(count == 3);
    CHECK_OK(ctx, pdef_deprivation_get_most_deprived(ctx, profile, 0, &u));
    CHECK(strcmp(u.code, "NE") == 0 && u.rank == 50 && u.score == 40 && u.decile == 1);
    CHECK(strcmp(u.footprint, "E") == 0 && strcmp(u.footprint_name, "East") == 0);
    CHECK_OK(ctx, pdef_deprivation_get_most_deprived(ctx, profile, 1, &u));
    CHECK(strcmp(u.code, "NW") == 0 && strcmp(u.footprint, "W") == 0);
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_deprivation_get_most_deprived(ctx, profile, 3, &u));
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_deprivation_get_footprint(ctx, profile, 2, &f));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_deprivation_get_footprint(ctx, profile, 0, NULL));

    /* Ranks alone, by area: no mean (ranks do not average), people unknown. */
    CHECK_OK(ctx, pdef_deprivation_create(ctx, halves, units, NULL, 4, ranks, NULL, deciles, 21, &by_area));
    if (by_area) {
        CHECK_OK(ctx, pdef_deprivation_get_footprint(ctx, by_area, 0, &f));
        CHECK(!f.by_people && isnan(f.mean_score) && isnan(f.people));
        CHECK_NEAR(f.share_deciles_1_2, 0.5, 1e-9);
        CHECK_OK(ctx, pdef_deprivation_get_most_deprived_count(ctx, by_area, &count));
        CHECK(count == 4);
    }

    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT,
                pdef_deprivation_create(ctx, halves, units, NULL, 3, ranks, scores, NULL, 21, &by_area));
    CHECK_MESSAGE(ctx, "one value per unit");
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT,
                pdef_deprivation_create(ctx, halves, units, NULL, 4, NULL, NULL, deciles, 21, &by_area));
    CHECK_MESSAGE(ctx, "rank or a score");
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT,
                pdef_deprivation_create(ctx, halves, units, NULL, 4, ranks, NULL, NULL, 21, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE,
                pdef_deprivation_create(ctx, halves, (const pdef_layer *)(const void *)population, NULL, 4, ranks,
                                        NULL, NULL, 21, &by_area));
    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE,
                pdef_deprivation_get_footprint_count(ctx, (const pdef_deprivation *)(const void *)units, &count));
    pdef_deprivation_destroy(by_area);
    pdef_deprivation_destroy(profile);
    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE, pdef_deprivation_get_footprint_count(ctx, profile, &count));
    pdef_deprivation_destroy(profile); /* a second destroy is ignored */
    pdef_deprivation_destroy(NULL);
    pdef_population_destroy(population);
}

int main(int argc, char **argv) {
    static const char *const half_codes[] = {"W", "E"};
    static const char *const half_names[] = {"West", "East"};
    static const double half_boxes[][4] = {{0, 0, 1, 2}, {1, 0, 2, 2}};
    pdef_context *ctx = NULL;
    pdef_layer *units = NULL, *halves = NULL;
    (void)argc;
    (void)argv;
    if (pdef_context_create(&ctx) != PDEF_OK) return 1;
    units = boxes(ctx, "lsoa", 4, unit_codes, unit_names, unit_boxes);
    halves = boxes(ctx, "towns", 2, half_codes, half_names, half_boxes);
    if (units && halves) {
        check_names(ctx, units, halves);
        check_profile(ctx, units, halves);
    }
    check_also_within(ctx);
    pdef_layer_destroy(halves);
    pdef_layer_destroy(units);
    pdef_context_destroy(ctx);
    return finish("test_deprivation");
}
