/* A few checks for the C API tests, which are plain C programs:
 *   test_x SOURCE_DIR OUTPUT_DIR
 * Each check prints what failed and counts it; main returns finish(). */
#ifndef PDEF_CAPI_CHECK_H
#define PDEF_CAPI_CHECK_H

#include "placedef/pdef_c.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failures = 0;
static int check_count = 0;

static inline void check_result(int ok, const char *file, int line, const char *what, const char *detail) {
    ++check_count;
    if (ok) return;
    ++check_failures;
    fprintf(stderr, "%s:%d: check failed: %s%s%s\n", file, line, what, detail ? "\n    " : "", detail ? detail : "");
}

#define CHECK(condition) check_result((condition) != 0, __FILE__, __LINE__, #condition, NULL)

/* The call succeeds; otherwise the context's message is shown. */
#define CHECK_OK(ctx, call)                                                                      \
    do {                                                                                         \
        pdef_status check_status_ = (call);                                                      \
        check_result(check_status_ == PDEF_OK, __FILE__, __LINE__, #call,                        \
                     check_status_ == PDEF_OK ? NULL : pdef_context_last_error(ctx));            \
    } while (0)

/* The call fails with `expected` and leaves a message naming the function. */
#define CHECK_FAILS(ctx, expected, call)                                                          \
    do {                                                                                         \
        pdef_status check_status_ = (call);                                                      \
        char check_detail_[512];                                                                 \
        snprintf(check_detail_, sizeof check_detail_, "status %d (%s), expected %d; message: %s", \
                 (int)check_status_, pdef_status_string(check_status_), (int)(expected),         \
                 pdef_context_last_error(ctx));                                                  \
        check_result(check_status_ == (expected) && strncmp(pdef_context_last_error(ctx), "pdef_", 5) == 0, \
                     __FILE__, __LINE__, #call, check_detail_);                                  \
    } while (0)

/* The last error mentions `text`. */
#define CHECK_MESSAGE(ctx, text) \
    check_result(strstr(pdef_context_last_error(ctx), (text)) != NULL, __FILE__, __LINE__, "message mentions " #text, \
                 pdef_context_last_error(ctx))

#define CHECK_NEAR(a, b, tolerance) CHECK(fabs((double)(a) - (double)(b)) <= (tolerance))

/* A pointer that is no handle at all, and one of each wrong kind made by the tests. */
static const unsigned char not_a_handle[64] = {0};

static char check_path_buffer[8][1024];
static int check_path_next = 0;
/* dir + "/" + name, in one of a few rotating buffers. */
static inline const char *path_in(const char *dir, const char *name) {
    char *buffer = check_path_buffer[check_path_next++ % 8];
    snprintf(buffer, sizeof check_path_buffer[0], "%s/%s", dir, name);
    return buffer;
}

static inline int finish(const char *name) {
    printf("%s: %d checks, %d failed\n", name, check_count, check_failures);
    return check_failures ? 1 : 0;
}

#endif
