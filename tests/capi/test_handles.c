/* Handles are checked values: a destroyed (stale), doubly destroyed,
 * wrong-type or made-up handle gives PDEF_ERROR_WRONG_HANDLE and a message,
 * never a read of freed memory (this program also runs under valgrind), and a
 * stale handle never reaches the newer object in its reused slot; the same
 * from several threads at once. */
#include "check.h"
#include "wkb.h"

#include <pthread.h>
#include <stdint.h>

/* A point layer of one feature named `name` (its code is the name too). */
static pdef_layer *point_layer(pdef_context *ctx, const char *name) {
    unsigned char point[21];
    const unsigned char *wkb[1];
    size_t sizes[1];
    const char *codes[1];
    pdef_layer *layer = NULL;
    sizes[0] = wkb_point(point, 530000, 180000);
    wkb[0] = point;
    codes[0] = name;
    CHECK_OK(ctx, pdef_layer_create_from_wkb(ctx, name, "EPSG:27700", PDEF_LAYER_POINT, 1, codes, wkb, sizes, &layer));
    return layer;
}

static int has_name(pdef_context *ctx, const pdef_layer *layer, const char *expected) {
    const char *name = NULL;
    return pdef_layer_get_name(ctx, layer, &name) == PDEF_OK && strcmp(name, expected) == 0;
}

/* A destroyed handle is refused even when its slot holds a newer layer, and
 * destroying it again leaves the newer layer alone. */
static void check_stale_and_double_destroy(pdef_context *ctx) {
    const char *name = NULL;
    pdef_layer *old_layer = point_layer(ctx, "old");
    pdef_layer *new_layer;
    CHECK(has_name(ctx, old_layer, "old"));
    pdef_layer_destroy(old_layer);
    new_layer = point_layer(ctx, "new");
    CHECK(new_layer != old_layer);

    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE, pdef_layer_get_name(ctx, old_layer, &name));
    CHECK_MESSAGE(ctx, "destroyed");
    CHECK_MESSAGE(ctx, "argument 'layer'");
    CHECK(name == NULL);

    pdef_layer_destroy(old_layer); /* double destroy: ignored */
    pdef_layer_destroy(old_layer);
    CHECK(has_name(ctx, new_layer, "new"));
    pdef_layer_destroy(new_layer);
    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE, pdef_layer_get_name(ctx, new_layer, &name));
}

/* A handle of another type and values that were never handles. */
static void check_wrong_and_forged(pdef_context *ctx) {
    const char *name = NULL;
    unsigned char stack_bytes[64] = {0};
    pdef_layer *layer = point_layer(ctx, "real");
    pdef_pcn_options *options = NULL;
    uintptr_t value = (uintptr_t)(void *)layer;
    size_t bit;
    CHECK_OK(ctx, pdef_pcn_options_create(ctx, &options));

    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE, pdef_layer_get_name(ctx, (const pdef_layer *)(void *)options, &name));
    CHECK_MESSAGE(ctx, "is not a pdef_layer (it is a pdef_pcn_options)");
    pdef_layer_destroy((pdef_layer *)(void *)options); /* another type: left alone */
    CHECK_OK(ctx, pdef_pcn_options_set_same_site(ctx, options, 5));

    /* memory that is no handle, an address of the right alignment, odd numbers */
    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE, pdef_layer_get_name(ctx, (const pdef_layer *)(void *)stack_bytes, &name));
    CHECK_MESSAGE(ctx, "not a placedef handle");
    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE, pdef_layer_get_name(ctx, (const pdef_layer *)(void *)not_a_handle, &name));
    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE, pdef_layer_get_name(ctx, (const pdef_layer *)(uintptr_t)0x12345, &name));
    CHECK_FAILS(ctx, PDEF_ERROR_WRONG_HANDLE, pdef_layer_get_name(ctx, (const pdef_layer *)UINTPTR_MAX, &name));
    /* the real handle with any one bit changed is refused, and destroying it frees nothing */
    for (bit = 0; bit < sizeof value * 8; ++bit) {
        const pdef_layer *forged = (const pdef_layer *)(value ^ ((uintptr_t)1 << bit));
        CHECK(pdef_layer_get_name(ctx, forged, &name) == PDEF_ERROR_WRONG_HANDLE);
        pdef_layer_destroy((pdef_layer *)forged);
    }
    CHECK(has_name(ctx, layer, "real"));
    pdef_layer_destroy(layer);
    pdef_pcn_options_destroy(options);
    pdef_pcn_options_destroy(options);
}

/* A destroyed context: no message can live in it, so the status and
 * pdef_context_last_error() tell. */
static void check_stale_context(void) {
    pdef_context *ctx = NULL;
    unsigned threads = 0;
    CHECK(pdef_context_create(&ctx) == PDEF_OK);
    pdef_context_destroy(ctx);
    CHECK(pdef_context_get_threads(ctx, &threads) == PDEF_ERROR_WRONG_HANDLE);
    CHECK(strstr(pdef_context_last_error(ctx), "destroyed") != NULL);
    pdef_context_cancel(ctx); /* ignored */
    pdef_context_destroy(ctx);
}

/* Threads that create, use and destroy handles at once, each also trying its
 * stale ones, which must all be refused while slots are reused around them. */
enum { THREADS = 4, ROUNDS = 300 };

static void *churn(void *argument) {
    int *failures = (int *)argument;
    pdef_context *ctx = NULL;
    int round;
    if (pdef_context_create(&ctx) != PDEF_OK) {
        ++*failures;
        return NULL;
    }
    for (round = 0; round < ROUNDS; ++round) {
        pdef_pcn_options *options = NULL;
        pdef_pcn_options *stale = NULL;
        if (pdef_pcn_options_create(ctx, &stale) != PDEF_OK) ++*failures;
        pdef_pcn_options_destroy(stale);
        if (pdef_pcn_options_create(ctx, &options) != PDEF_OK) ++*failures;
        if (pdef_pcn_options_set_same_site(ctx, options, 1.0 + round) != PDEF_OK) ++*failures;
        if (pdef_pcn_options_set_same_site(ctx, stale, 1.0) != PDEF_ERROR_WRONG_HANDLE) ++*failures;
        pdef_pcn_options_destroy(stale);
        if (pdef_pcn_options_set_same_site(ctx, options, 2.0) != PDEF_OK) ++*failures;
        pdef_pcn_options_destroy(options);
        if (pdef_pcn_options_set_same_site(ctx, options, 1.0) != PDEF_ERROR_WRONG_HANDLE) ++*failures;
    }
    pdef_context_destroy(ctx);
    return NULL;
}

static void check_threads(void) {
    pthread_t threads[THREADS];
    int failures[THREADS] = {0};
    int i;
    for (i = 0; i < THREADS; ++i) CHECK(pthread_create(&threads[i], NULL, churn, &failures[i]) == 0);
    for (i = 0; i < THREADS; ++i) {
        CHECK(pthread_join(threads[i], NULL) == 0);
        CHECK(failures[i] == 0);
    }
}

int main(int argc, char **argv) {
    pdef_context *ctx = NULL;
    (void)argc;
    (void)argv;
    if (pdef_context_create(&ctx) != PDEF_OK) return 1;
    check_stale_and_double_destroy(ctx);
    check_wrong_and_forged(ctx);
    pdef_context_destroy(ctx);
    check_stale_context();
    check_threads();
    return finish("test_handles");
}
