/* PCN footprints from the 25 GP practices of Guildford and Waverley (6 PCNs
 * and one unallocated practice), clipped to the two districts. */
#include "check.h"
#include "wkb.h"

struct layers {
    pdef_layer *practices, *lad, *lsoa21, *lsoa11;
    pdef_population *population;
};

static void check_texts(pdef_context *ctx) {
    pdef_pcn_method method = PDEF_PCN_VORONOI;
    CHECK_OK(ctx, pdef_pcn_method_from_string(ctx, "registered", &method));
    CHECK(method == PDEF_PCN_REGISTERED);
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_pcn_method_from_string(ctx, "delaunay", &method));
    CHECK_MESSAGE(ctx, "delaunay");
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_pcn_method_from_string(ctx, NULL, &method));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_pcn_method_from_string(ctx, "voronoi", NULL));
    CHECK(strcmp(pdef_pcn_method_to_string(PDEF_PCN_BLOCKS), "blocks") == 0);
    CHECK(strcmp(pdef_pcn_method_to_string((pdef_pcn_method)3), "unknown") == 0);
    CHECK(strcmp(pdef_practice_status_to_string(PDEF_PRACTICE_UNALLOCATED), "unallocated") == 0);
    CHECK(strcmp(pdef_practice_status_to_string(PDEF_PRACTICE_USED), "used") == 0);
    CHECK(strcmp(pdef_practice_status_to_string((pdef_practice_status)-1), "unknown") == 0);
}

static void check_options_errors(pdef_context *ctx, const char *root) {
    pdef_pcn_options *options = NULL;
    const char *codes[2] = {"U", NULL};
    CHECK_OK(ctx, pdef_pcn_options_create(ctx, &options));
    if (!options) return;
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_pcn_options_set_method(ctx, options, (pdef_pcn_method)3));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_pcn_options_set_columns(ctx, options, "", "", ""));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_pcn_options_set_columns(ctx, options, NULL, "", ""));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_pcn_options_set_columns(ctx, options, "A", NULL, ""));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_pcn_options_set_columns(ctx, options, "A", "", NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_pcn_options_set_unallocated(ctx, options, codes, 2));
    CHECK_MESSAGE(ctx, "codes[1]");
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_pcn_options_set_unallocated(ctx, options, NULL, 1));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_pcn_options_set_clip_codes(ctx, options, NULL, 1));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_pcn_options_set_same_site(ctx, options, -1));
    CHECK_FAILS(ctx, PDEF_ERROR_BAD_OPTION, pdef_pcn_options_set_same_site(ctx, options, NAN));
    CHECK_FAILS(ctx, PDEF_ERROR_IO, pdef_pcn_options_set_registered(ctx, options, path_in(root, "no/registered.csv")));
    CHECK_MESSAGE(ctx, "registered.csv");
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_pcn_options_set_registered(
                                                   ctx, options, path_in(root, "shapefiles/imd_2019_lsoa11.csv")));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_pcn_options_set_registered(ctx, options, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_pcn_options_create(ctx, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_pcn_options_set_nearest_practice(ctx, NULL, true));
    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE,
                pdef_pcn_options_set_population(ctx, options, (const pdef_population *)(const void *)options));
    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE,
                pdef_pcn_options_set_method(ctx, (pdef_pcn_options *)(void *)not_a_handle, PDEF_PCN_BLOCKS));
    CHECK_OK(ctx, pdef_pcn_options_set_population(ctx, options, NULL));
    pdef_pcn_options_destroy(options);
    pdef_pcn_options_destroy(NULL);
}

/* The voronoi method with default options. */
static void check_voronoi(pdef_context *ctx, const struct layers *l, const char *out) {
    pdef_pcn *pcn = NULL;
    pdef_pcn_summary summary;
    pdef_pcn_footprint footprint;
    pdef_practice practice;
    pdef_block_assignment block;
    pdef_layer *layer = NULL;
    pdef_table *table = NULL;
    size_t i, used = 0, placed = 0, unallocated = 0, size = 0, count = 0;
    const char *code = NULL, *name = NULL;
    unsigned char *wkb = NULL;

    CHECK_OK(ctx, pdef_pcn_create(ctx, l->practices, l->lad, NULL, NULL, &pcn));
    if (!pcn) return;
    CHECK_OK(ctx, pdef_pcn_get_summary(ctx, pcn, &summary));
    CHECK(summary.method == PDEF_PCN_VORONOI && summary.footprints == 6 && summary.practices == 25);
    CHECK(summary.blocks == 0 && summary.pcns_outside == 0 && summary.sites >= 6 && summary.sites <= 24);
    CHECK_NEAR(summary.clip_area / 1e6, 271.0 + 345.2, 1.0);
    CHECK_NEAR(summary.covered_area, summary.clip_area, 1e-6 * summary.clip_area); /* Voronoi cells tile the area */
    CHECK(isnan(summary.voronoi_agreement));
    for (i = 0; i < summary.footprints; ++i) {
        CHECK_OK(ctx, pdef_pcn_get_footprint(ctx, pcn, i, &footprint));
        CHECK(footprint.code[0] == 'U' && footprint.name != NULL && footprint.area_m2 > 0 && footprint.parts >= 1);
        CHECK(isnan(footprint.population));
        placed += footprint.practices;
    }
    for (i = 0; i < summary.practices; ++i) {
        CHECK_OK(ctx, pdef_pcn_get_practice(ctx, pcn, i, &practice));
        CHECK(strlen(practice.code) == 6 && practice.name != NULL && practice.pcn != NULL);
        used += practice.status == PDEF_PRACTICE_USED || practice.status == PDEF_PRACTICE_SHARES_SITE;
        if (practice.status == PDEF_PRACTICE_UNALLOCATED) {
            ++unallocated;
            CHECK(strcmp(practice.code, "H81132") == 0);
        }
    }
    CHECK(unallocated == 1 && used == 24 && placed == 24);
    CHECK_OK(ctx, pdef_pcn_get_footprint_wkb(ctx, pcn, 0, &wkb, &size));
    CHECK(wkb && size > 9 && wkb_type(wkb) == 6);
    pdef_free(wkb);

    /* the footprints are a layer like any other */
    CHECK_OK(ctx, pdef_pcn_to_layer(ctx, pcn, &layer));
    CHECK_OK(ctx, pdef_layer_get_count(ctx, layer, &count));
    CHECK(count == 6);
    CHECK_OK(ctx, pdef_overlay(ctx, layer, l->lad, NULL, 0, false, &table));
    pdef_table_destroy(table);
    pdef_layer_destroy(layer);

    CHECK_OK(ctx, pdef_pcn_write(ctx, pcn, path_in(out, "pcn_voronoi.gpkg")));
    CHECK_OK(ctx, pdef_pcn_write(ctx, pcn, path_in(out, "pcn_voronoi.csv")));
    CHECK_FAILS(ctx, PDEF_ERROR_OUTPUT, pdef_pcn_write(ctx, pcn, path_in(out, "no/dir/pcn.csv")));
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_pcn_get_footprint(ctx, pcn, 6, &footprint));
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_pcn_get_footprint_wkb(ctx, pcn, 6, &wkb, &size));
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_pcn_get_practice(ctx, pcn, 25, &practice));
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_pcn_get_block(ctx, pcn, 0, &block));
    CHECK_FAILS(ctx, PDEF_ERROR_OUT_OF_RANGE, pdef_pcn_get_pcn_outside(ctx, pcn, 0, &code, &name));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_pcn_get_summary(ctx, pcn, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_pcn_get_footprint(ctx, pcn, 0, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_pcn_get_footprint_wkb(ctx, pcn, 0, NULL, &size));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_pcn_get_footprint_wkb(ctx, pcn, 0, &wkb, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_pcn_get_practice(ctx, pcn, 0, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_pcn_get_block(ctx, pcn, 0, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_pcn_get_pcn_outside(ctx, pcn, 0, NULL, &name));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_pcn_get_pcn_outside(ctx, pcn, 0, &code, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_pcn_to_layer(ctx, pcn, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_pcn_write(ctx, pcn, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE,
                pdef_pcn_get_summary(ctx, (const pdef_pcn *)(const void *)l->lad, &summary));
    CHECK_MESSAGE(ctx, "is not a pdef_pcn (it is a pdef_layer)");
    pdef_pcn_destroy((pdef_pcn *)(void *)l->lad); /* another type: left alone */
    pdef_pcn_destroy(NULL);
    pdef_pcn_destroy(pcn);
}

/* A registered-patients table that gives each block to one practice of the
 * PCN the blocks method chose for it (and a few patients to another). */
static int write_registered(pdef_context *ctx, const pdef_pcn *blocks, const pdef_layer *practices,
                            const char *path) {
    pdef_pcn_summary summary;
    pdef_block_assignment block;
    size_t i, p, count = 0;
    const char *code = NULL, *pcn = NULL, *other = NULL;
    FILE *file = fopen(path, "w");
    if (!file) return 0;
    fprintf(file, "PRACTICE_CODE,LSOA_CODE,NUMBER_OF_PATIENTS\n");
    CHECK_OK(ctx, pdef_pcn_get_summary(ctx, blocks, &summary));
    CHECK_OK(ctx, pdef_layer_get_count(ctx, practices, &count));
    CHECK_OK(ctx, pdef_layer_get_code(ctx, practices, 0, &other));
    for (i = 0; i < summary.blocks; ++i) {
        CHECK_OK(ctx, pdef_pcn_get_block(ctx, blocks, i, &block));
        for (p = 0; p < count; ++p) {
            CHECK_OK(ctx, pdef_layer_get_attribute(ctx, practices, p, 3, &pcn)); /* PCN_CODE */
            if (strcmp(pcn, block.pcn) != 0) continue;
            CHECK_OK(ctx, pdef_layer_get_code(ctx, practices, p, &code));
            fprintf(file, "%s,%s,500\n", code, block.block);
            /* each (practice, LSOA) pair once: a repeated pair is refused */
            if (strcmp(code, other) != 0) fprintf(file, "%s,%s,3\n", other, block.block);
            break;
        }
    }
    return fclose(file) == 0;
}

/* The block methods nest the footprints in LSOAs; registered patients that
 * follow the blocks' choice give the same footprints. */
static void check_block_methods(pdef_context *ctx, const struct layers *l, const char *out) {
    pdef_pcn_options *options = NULL;
    pdef_pcn *blocks = NULL, *registered = NULL;
    pdef_pcn_summary summary, registered_summary;
    pdef_pcn_footprint footprint, registered_footprint;
    pdef_block_assignment block;
    const char *unallocated[2] = {"U", "Unallocated"};
    const char *registered_path = path_in(out, "registered.csv");
    double people = 0;
    size_t i;

    CHECK_OK(ctx, pdef_pcn_options_create(ctx, &options));
    if (!options) return;
    CHECK_OK(ctx, pdef_pcn_options_set_method(ctx, options, PDEF_PCN_BLOCKS));
    CHECK_OK(ctx, pdef_pcn_options_set_columns(ctx, options, "PCN_CODE", "PCN_NAME", "PRACTICE_NAME"));
    CHECK_OK(ctx, pdef_pcn_options_set_unallocated(ctx, options, unallocated, 2));
    CHECK_OK(ctx, pdef_pcn_options_set_clip_codes(ctx, options, NULL, 0));
    CHECK_OK(ctx, pdef_pcn_options_set_same_site(ctx, options, 1.0));
    CHECK_OK(ctx, pdef_pcn_options_set_nearest_practice(ctx, options, false));
    CHECK_OK(ctx, pdef_pcn_options_set_population(ctx, options, l->population));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_pcn_create(ctx, l->practices, l->lad, NULL, options, &blocks));
    CHECK_MESSAGE(ctx, "blocks");
    CHECK_OK(ctx, pdef_pcn_create(ctx, l->practices, l->lad, l->lsoa21, options, &blocks));
    if (!blocks) {
        pdef_pcn_options_destroy(options);
        return;
    }
    CHECK_OK(ctx, pdef_pcn_get_summary(ctx, blocks, &summary));
    CHECK(summary.method == PDEF_PCN_BLOCKS && summary.footprints == 6 && summary.blocks == 166);
    CHECK(summary.voronoi_agreement > 0.5 && summary.voronoi_agreement <= 1);
    for (i = 0; i < summary.footprints; ++i) {
        CHECK_OK(ctx, pdef_pcn_get_footprint(ctx, blocks, i, &footprint));
        people += footprint.population;
    }
    CHECK_NEAR(people, 276908, 276908 * 0.01);
    for (i = 0; i < summary.blocks; ++i) {
        CHECK_OK(ctx, pdef_pcn_get_block(ctx, blocks, i, &block));
        CHECK(strncmp(block.block, "E01", 3) == 0 && block.pcn[0] == 'U' && block.share > 0 && block.share <= 1 + 1e-9);
        CHECK(strcmp(block.how, "voronoi majority") == 0);
    }
    CHECK_OK(ctx, pdef_pcn_write(ctx, blocks, path_in(out, "pcn_blocks.gpkg")));

    CHECK(write_registered(ctx, blocks, l->practices, registered_path));
    CHECK_OK(ctx, pdef_pcn_options_set_method(ctx, options, PDEF_PCN_REGISTERED));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT,
                pdef_pcn_create(ctx, l->practices, l->lad, l->lsoa21, options, &registered));
    CHECK_MESSAGE(ctx, "registered");
    CHECK_OK(ctx, pdef_pcn_options_set_registered(ctx, options, registered_path));
    CHECK_OK(ctx, pdef_pcn_create(ctx, l->practices, l->lad, l->lsoa21, options, &registered));
    if (registered) {
        CHECK_OK(ctx, pdef_pcn_get_summary(ctx, registered, &registered_summary));
        CHECK(registered_summary.method == PDEF_PCN_REGISTERED && registered_summary.footprints == 6);
        CHECK_NEAR(registered_summary.voronoi_agreement, summary.voronoi_agreement, 1e-9);
        for (i = 0; i < 6; ++i) {
            CHECK_OK(ctx, pdef_pcn_get_footprint(ctx, blocks, i, &footprint));
            CHECK_OK(ctx, pdef_pcn_get_footprint(ctx, registered, i, &registered_footprint));
            CHECK(strcmp(footprint.code, registered_footprint.code) == 0);
            CHECK_NEAR(footprint.area_m2, registered_footprint.area_m2, 1e-6 * footprint.area_m2);
        }
        CHECK_OK(ctx, pdef_pcn_get_block(ctx, registered, 0, &block));
        CHECK(strcmp(block.how, "registered patients") == 0 && block.share > 0.99);
    }
    /* the options keep the population and the table alive; the result keeps the practices */
    pdef_pcn_options_destroy(options);
    pdef_pcn_destroy(blocks);
    if (registered) CHECK_OK(ctx, pdef_pcn_write(ctx, registered, path_in(out, "pcn_registered.csv")));
    pdef_pcn_destroy(registered);
}

/* Only Guildford: Waverley's practices lie outside the clip area, and the
 * PCNs that have all their practices there are listed. */
static void check_clip_codes(pdef_context *ctx, const struct layers *l) {
    pdef_pcn_options *options = NULL;
    pdef_pcn *pcn = NULL;
    pdef_pcn_summary summary;
    pdef_practice practice;
    const char *guildford[1] = {"E07000209"};
    const char *nowhere[1] = {"E00000000"};
    const char *code = NULL, *name = NULL;
    size_t i, outside = 0;

    CHECK_OK(ctx, pdef_pcn_options_create(ctx, &options));
    if (!options) return;
    CHECK_OK(ctx, pdef_pcn_options_set_clip_codes(ctx, options, guildford, 1));
    CHECK_OK(ctx, pdef_pcn_create(ctx, l->practices, l->lad, NULL, options, &pcn));
    if (pcn) {
        CHECK_OK(ctx, pdef_pcn_get_summary(ctx, pcn, &summary));
        CHECK_NEAR(summary.clip_area / 1e6, 271.0, 0.5);
        for (i = 0; i < summary.practices; ++i) {
            CHECK_OK(ctx, pdef_pcn_get_practice(ctx, pcn, i, &practice));
            outside += practice.status == PDEF_PRACTICE_OUTSIDE_CLIP;
        }
        /* the practices whose points lie in Waverley (SOURCES.md's 11/14 split goes by postcode district) */
        CHECK(outside == 13);
        CHECK(summary.pcns_outside == 3); /* the PCNs with no practice in Guildford */
        CHECK_OK(ctx, pdef_pcn_get_pcn_outside(ctx, pcn, 0, &code, &name));
        CHECK(code[0] == 'U' && strlen(name) > 0);
        pdef_pcn_destroy(pcn);
        pcn = NULL;
    }
    CHECK_OK(ctx, pdef_pcn_options_set_clip_codes(ctx, options, nowhere, 1));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_pcn_create(ctx, l->practices, l->lad, NULL, options, &pcn));
    CHECK_MESSAGE(ctx, "E00000000");
    CHECK_OK(ctx, pdef_pcn_options_set_clip_codes(ctx, options, NULL, 0));
    CHECK_OK(ctx, pdef_pcn_options_set_columns(ctx, options, "NO_SUCH_COLUMN", "", ""));
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_pcn_create(ctx, l->practices, l->lad, NULL, options, &pcn));
    CHECK_MESSAGE(ctx, "NO_SUCH_COLUMN");
    CHECK_FAILS(ctx, PDEF_ERROR_INVALID_INPUT, pdef_pcn_create(ctx, l->lad, l->lad, NULL, NULL, &pcn));
    CHECK_MESSAGE(ctx, "points");
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_pcn_create(ctx, NULL, l->lad, NULL, NULL, &pcn));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_pcn_create(ctx, l->practices, NULL, NULL, NULL, &pcn));
    CHECK_FAILS(ctx, PDEF_ERROR_NULL_ARGUMENT, pdef_pcn_create(ctx, l->practices, l->lad, NULL, NULL, NULL));
    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE,
                pdef_pcn_create(ctx, l->practices, l->lad, NULL, (const pdef_pcn_options *)(const void *)l->lad, &pcn));
    CHECK(pcn == NULL);
    pdef_pcn_options_destroy(options);
}

int main(int argc, char **argv) {
    pdef_context *ctx = NULL;
    struct layers l = {NULL, NULL, NULL, NULL, NULL};
    if (argc < 3) {
        fprintf(stderr, "usage: test_pcn SOURCE_DIR OUTPUT_DIR\n");
        return 2;
    }
    if (pdef_context_create(&ctx) != PDEF_OK) return 1;
    check_texts(ctx);
    check_options_errors(ctx, argv[1]);
    CHECK_OK(ctx, pdef_layer_open(ctx, path_in(argv[1], "shapefiles/gp_practices.gpkg@PRACTICE_CODE"),
                                  PDEF_LAYER_POINT, &l.practices));
    CHECK_OK(ctx, pdef_layer_open(ctx, path_in(argv[1], "shapefiles/lad_2021.gpkg"), PDEF_LAYER_POLYGON, &l.lad));
    CHECK_OK(ctx, pdef_layer_open(ctx, path_in(argv[1], "shapefiles/lsoa_2021.gpkg"), PDEF_LAYER_POLYGON, &l.lsoa21));
    CHECK_OK(ctx, pdef_layer_open(ctx, path_in(argv[1], "shapefiles/lsoa_2011.gpkg"), PDEF_LAYER_POLYGON, &l.lsoa11));
    CHECK_OK(ctx, pdef_population_create(ctx, l.lsoa11, path_in(argv[1], "shapefiles/population_mid2020_lsoa11.csv"),
                                         "lsoa11_code", "total_population", &l.population));
    if (l.practices && l.lad && l.lsoa21 && l.population) {
        check_voronoi(ctx, &l, argv[2]);
        check_block_methods(ctx, &l, argv[2]);
        check_clip_codes(ctx, &l);
    }
    pdef_population_destroy(l.population);
    pdef_layer_destroy(l.lsoa11);
    pdef_layer_destroy(l.lsoa21);
    pdef_layer_destroy(l.lad);
    pdef_layer_destroy(l.practices);
    pdef_context_destroy(ctx);
    return finish("test_pcn");
}
