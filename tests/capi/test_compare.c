#include <stdio.h>
/* Proposals compared through the C API, on the hand-drawn grid of the engine's
 * test (tests/integration/test_compare.cpp): 16 blocks of 1 km, a block in
 * column c holding 100 (c + 1) people; the partner's units are the four
 * quadrants; "nest" cuts the grid at x = 2 km (every quadrant whole), "split"
 * at x = 3 km (NE and SE cut in half). */
#include "boxes.h"
#include "check.h"

static const char *const block_codes[] = {"c0r0", "c1r0", "c2r0", "c3r0", "c0r1", "c1r1", "c2r1", "c3r1",
                                          "c0r2", "c1r2", "c2r2", "c3r2", "c0r3", "c1r3", "c2r3", "c3r3"};

static void check_comparison(pdef_context *ctx, const pdef_comparison *c, const char *out) {
    pdef_proposal_summary summary;
    pdef_proposal_fit fit;
    pdef_proposal_place place;
    pdef_place_move move;
    pdef_partner_change change;
    size_t proposals = 0, partners = 0, moves = 0, changes = 0, i;
    char path[1024];
    FILE *file = NULL;

    CHECK_OK(ctx, pdef_comparison_get_counts(ctx, c, &proposals, &partners, &moves, &changes));
    CHECK(proposals == 2 && partners == 1 && moves == 1 && changes == 2);
    CHECK_OK(ctx, pdef_comparison_get_counts(ctx, c, NULL, NULL, NULL, NULL));

    CHECK_OK(ctx, pdef_comparison_get_proposal(ctx, c, 0, &summary));
    CHECK(strcmp(summary.name, "nest") == 0 && summary.places == 2);
    CHECK_NEAR(summary.people_min, 1200, 1e-9);
    CHECK_NEAR(summary.people_max, 2800, 1e-9);
    CHECK_NEAR(summary.people_cv, 0.4, 1e-12);
    CHECK(summary.target && summary.below == 1 && summary.above == 1);
    CHECK(isnan(summary.deprived_min));  /* no deprivation given */
    CHECK_OK(ctx, pdef_comparison_get_proposal(ctx, c, 1, &summary));
    CHECK_NEAR(summary.people_cv, 0.2, 1e-12);
    CHECK(summary.below == 0 && summary.above == 0);

    CHECK_OK(ctx, pdef_comparison_get_fit(ctx, c, 0, 0, &fit));
    CHECK(strcmp(fit.partner, "quadrants") == 0 && fit.partner_units == 4 && fit.split_units == 0);
    CHECK_NEAR(fit.units_in_places, 1.0, 1e-9);
    CHECK_NEAR(fit.places_in_units, 0.5, 1e-9);
    CHECK_NEAR(fit.place_lines_aligned, 1.0, 1e-9);
    CHECK_OK(ctx, pdef_comparison_get_fit(ctx, c, 1, 0, &fit));
    CHECK(strcmp(fit.proposal, "split") == 0 && fit.split_units == 2);
    CHECK_NEAR(fit.people_in_split_units, 2800, 1e-6);
    CHECK_NEAR(fit.people_outside_main, 1200, 1e-6);
    CHECK_NEAR(fit.units_in_places, 0.75, 1e-9);
    CHECK_NEAR(fit.units_in_places_by_people, 0.7, 1e-9);

    CHECK_OK(ctx, pdef_comparison_get_place(ctx, c, 0, 0, &place));
    CHECK(strcmp(place.code, "W") == 0 && place.blocks == 8 && place.parts == 1);
    CHECK_NEAR(place.people, 1200, 1e-9);
    CHECK_NEAR(place.area_m2, 8e6, 1e-3);
    CHECK_NEAR(place.hull_ratio, 1.0, 1e-9);

    CHECK_OK(ctx, pdef_comparison_get_move(ctx, c, 0, &move));
    CHECK(move.from_proposal == 0 && move.to_proposal == 1 && move.blocks == 4);
    CHECK(strcmp(move.from_place, "E") == 0 && strcmp(move.to_place, "W") == 0);
    CHECK_NEAR(move.people, 1200, 1e-9);
    for (i = 0; i < 2; ++i) {
        CHECK_OK(ctx, pdef_comparison_get_partner_change(ctx, c, i, &change));
        CHECK(strcmp(change.code, "NE") == 0 || strcmp(change.code, "SE") == 0);
        CHECK(strcmp(change.before, "whole") == 0 && strcmp(change.after, "split") == 0);
    }

    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_comparison_get_proposal(ctx, c, 2, &summary));
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_comparison_get_fit(ctx, c, 0, 1, &fit));
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_comparison_get_place(ctx, c, 1, 2, &place));
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_comparison_get_move(ctx, c, 1, &move));
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_comparison_get_partner_change(ctx, c, 2, &change));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_comparison_get_move(ctx, c, 0, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_comparison_write(ctx, c, NULL));

    snprintf(path, sizeof path, "%s/compared.csv", out);
    CHECK_OK(ctx, pdef_comparison_write(ctx, c, path));
    snprintf(path, sizeof path, "%s/compared_partner_changes.csv", out);
    file = fopen(path, "r");
    CHECK(file != NULL);
    if (file) fclose(file);
    snprintf(path, sizeof path, "%s/compared.gpkg", out);
    CHECK_OK(ctx, pdef_comparison_write(ctx, c, path));
    /* A map: against its one partner, the figure goes to the path named, a panel per proposal. */
    snprintf(path, sizeof path, "%s/compared.svg", out);
    CHECK_OK(ctx, pdef_comparison_write(ctx, c, path));
    file = fopen(path, "r");
    CHECK(file != NULL);
    if (file) {
        char text[256];
        size_t panels = 0;
        while (fgets(text, sizeof text, file))
            if (strstr(text, "<g class=\"panel\"")) ++panels;
        CHECK(panels == 2);
        fclose(file);
    }
}

int main(int argc, char **argv) {
    static const char *const quadrant_codes[] = {"SW", "SE", "NW", "NE"};
    static const double quadrant_boxes[][4] = {{0, 0, 2, 2}, {2, 0, 4, 2}, {0, 2, 2, 4}, {2, 2, 4, 4}};
    static const char *const half_codes[] = {"W", "E"};
    static const double nest_boxes[][4] = {{0, 0, 2, 4}, {2, 0, 4, 4}};
    static const double split_boxes[][4] = {{0, 0, 3, 4}, {3, 0, 4, 4}};
    const char *out = argc > 2 ? argv[2] : ".";
    double block_boxes[16][4], people[16];
    pdef_context *ctx = NULL;
    pdef_layer *blocks, *quadrants, *nest, *split;
    pdef_population *population = NULL;
    pdef_comparison *comparison = NULL;
    pdef_compare_options options;
    pdef_proposal proposals[2];
    char lookup[1024];
    FILE *file = NULL;
    size_t i;
    if (pdef_context_create(&ctx) != PDEF_OK) return 1;
    for (i = 0; i < 16; ++i) {
        const double column = (double)(i % 4), row = (double)(i / 4);
        block_boxes[i][0] = column;
        block_boxes[i][1] = row;
        block_boxes[i][2] = column + 1;
        block_boxes[i][3] = row + 1;
        people[i] = 100 * (column + 1);
    }
    blocks = boxes(ctx, "blocks", 16, block_codes, NULL, (const double (*)[4])block_boxes);
    quadrants = boxes(ctx, "quadrants", 4, quadrant_codes, NULL, quadrant_boxes);
    nest = boxes(ctx, "nest", 2, half_codes, NULL, nest_boxes);
    split = boxes(ctx, "split", 2, half_codes, NULL, split_boxes);
    if (blocks) CHECK_OK(ctx, pdef_population_create_from_values(ctx, blocks, 16, people, &population));

    pdef_compare_options_init(&options);
    CHECK(options.max_population == INFINITY && options.place_column == NULL);
    options.min_population = 1500;
    options.max_population = 2500;
    proposals[0].name = NULL;  /* named after its layer */
    proposals[0].layer = nest;
    proposals[0].lookup = NULL;
    proposals[1].name = "split";
    proposals[1].layer = split;
    proposals[1].lookup = NULL;
    CHECK_OK(ctx, pdef_compare(ctx, blocks, population, proposals, 2, (const pdef_layer *const *)&quadrants, 1, &options,
                               &comparison));
    if (comparison) check_comparison(ctx, comparison, out);

    /* Errors: no population, no out, a handle of the wrong type, a lookup without its place column. */
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT,
                pdef_compare(ctx, blocks, NULL, proposals, 2, (const pdef_layer *const *)&quadrants, 1, NULL, &comparison));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT,
                pdef_compare(ctx, blocks, population, proposals, 2, (const pdef_layer *const *)&quadrants, 1, NULL, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE, pdef_comparison_get_counts(ctx, (const pdef_comparison *)blocks, NULL,
                                                                             NULL, NULL, NULL));
    snprintf(lookup, sizeof lookup, "%s/bad_lookup.csv", out);
    file = fopen(lookup, "w");
    if (file) {
        fputs("block,council\nc0r0,W\n", file);
        fclose(file);
    }
    proposals[1].layer = NULL;
    proposals[1].lookup = lookup;
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT,
                pdef_compare(ctx, blocks, population, proposals, 2, (const pdef_layer *const *)&quadrants, 1, NULL, &comparison));
    CHECK_MESSAGE(ctx, "has no column 'area'");

    pdef_comparison_destroy(comparison);
    pdef_population_destroy(population);
    pdef_layer_destroy(split);
    pdef_layer_destroy(nest);
    pdef_layer_destroy(quadrants);
    pdef_layer_destroy(blocks);
    pdef_context_destroy(ctx);
    return finish("test_compare");
}
