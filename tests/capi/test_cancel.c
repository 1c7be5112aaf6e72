/* pdef_context_cancel(): from another thread it stops a long overlay with
 * PDEF_ERROR_CANCELLED within a second, and no table is made; a cancel made
 * before a call stops that call; each call uses it up, so the next one runs. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, nanosleep */
#include "check.h"
#include "wkb.h"

#include <pthread.h>
#include <stdint.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* An n-by-n grid of 100 m squares, shifted by `offset` metres, as a polygon layer. */
static pdef_layer *grid(pdef_context *ctx, const char *name, size_t n, double offset) {
    const size_t count = n * n;
    const size_t wkb_size = 5 + 8 + 16 * 5;
    unsigned char *bytes = (unsigned char *)malloc(count * wkb_size);
    const unsigned char **wkb = (const unsigned char **)malloc(count * sizeof *wkb);
    size_t *sizes = (size_t *)malloc(count * sizeof *sizes);
    char *code_text = (char *)malloc(count * 16);
    const char **codes = (const char **)malloc(count * sizeof *codes);
    pdef_layer *layer = NULL;
    size_t i;
    for (i = 0; i < count; ++i) {
        const double x = 500000 + offset + 100.0 * (double)(i % n), y = 150000 + offset + 100.0 * (double)(i / n);
        const double ring[10] = {x, y, x + 100, y, x + 100, y + 100, x, y + 100, x, y};
        sizes[i] = wkb_polygon(bytes + i * wkb_size, ring, 5);
        wkb[i] = bytes + i * wkb_size;
        snprintf(code_text + 16 * i, 16, "%c%lu", name[0], (unsigned long)i);
        codes[i] = code_text + 16 * i;
    }
    CHECK_OK(ctx, pdef_layer_create_from_wkb(ctx, name, "EPSG:27700", PDEF_LAYER_POLYGON, count, codes, wkb, sizes,
                                             &layer));
    free(bytes);
    free((void *)wkb);
    free(sizes);
    free(code_text);
    free((void *)codes);
    return layer;
}

struct canceller {
    pdef_context *ctx;
    double delay; /* seconds */
    double at;    /* when it cancelled */
};

static void *cancel_later(void *argument) {
    struct canceller *c = (struct canceller *)argument;
    struct timespec pause;
    pause.tv_sec = (time_t)c->delay;
    pause.tv_nsec = (long)((c->delay - (double)pause.tv_sec) * 1e9);
    nanosleep(&pause, NULL);
    c->at = now();
    pdef_context_cancel(c->ctx);
    return NULL;
}

int main(int argc, char **argv) {
    pdef_context *ctx = NULL;
    pdef_layer *a, *b;
    pdef_table *table = NULL;
    pthread_t thread;
    struct canceller c;
    double started, ended;
    pdef_status status;
    /* Under valgrind (which preloads its own library) everything is ~50 times slower. */
    const char *preload = getenv("LD_PRELOAD");
    const double slowdown = preload && strstr(preload, "vgpreload") ? 50.0 : 1.0;
    (void)argc;
    (void)argv;
    if (pdef_context_create(&ctx) != PDEF_OK) return 1;
    CHECK_OK(ctx, pdef_context_set_threads(ctx, 2));
    a = grid(ctx, "a", slowdown > 1 ? 40 : 100, 0);
    b = grid(ctx, "b", slowdown > 1 ? 40 : 100, 30);

    /* a cancel before the call stops it, and is then used up */
    pdef_context_cancel(ctx);
    CHECK_FAILS(ctx, PDEF_ERROR_CANCELLED, pdef_overlay(ctx, a, b, NULL, 0, true, &table));
    CHECK_MESSAGE(ctx, "cancelled");
    CHECK(table == NULL);
    CHECK(strcmp(pdef_status_string(PDEF_ERROR_CANCELLED), "cancelled") == 0);

    /* a run not cancelled, timed, to know the cancel below lands mid-run */
    started = now();
    CHECK_OK(ctx, pdef_overlay(ctx, a, b, NULL, 0, true, &table));
    ended = now();
    CHECK(table != NULL);
    pdef_table_destroy(table);
    table = NULL;
    printf("overlay without cancel: %.2f s\n", ended - started);

    /* from another thread, a quarter into the run */
    c.ctx = ctx;
    c.delay = (ended - started) / 4;
    c.at = 0;
    CHECK(pthread_create(&thread, NULL, cancel_later, &c) == 0);
    status = pdef_overlay(ctx, a, b, NULL, 0, true, &table);
    ended = now();
    CHECK(pthread_join(thread, NULL) == 0);
    CHECK(status == PDEF_ERROR_CANCELLED);
    CHECK(table == NULL);
    printf("stopped %.3f s after the cancel\n", ended - c.at);
    CHECK(ended - c.at < 1.0 * slowdown);

    /* the cancel was used up: the next call runs */
    CHECK_OK(ctx, pdef_overlay(ctx, a, b, NULL, 0, false, &table));
    pdef_table_destroy(table);

    pdef_layer_destroy(a);
    pdef_layer_destroy(b);
    pdef_context_destroy(ctx);
    return finish("test_cancel");
}
