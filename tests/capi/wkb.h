/* Hand-made WKB for the C API tests (host byte order, flagged in the header). */
#ifndef PDEF_CAPI_WKB_H
#define PDEF_CAPI_WKB_H

#include <stdint.h>
#include <string.h>

static inline size_t wkb_put_header(unsigned char *at, uint32_t type) {
    const uint32_t one = 1;
    unsigned char little;
    memcpy(&little, &one, 1);
    at[0] = little; /* 1: little-endian (NDR), 0: big-endian (XDR) */
    memcpy(at + 1, &type, 4);
    return 5;
}

/* POLYGON with one ring of n points (closed by the caller); returns the size. */
static inline size_t wkb_polygon(unsigned char *at, const double *xy, uint32_t n) {
    const uint32_t rings = 1;
    size_t size = wkb_put_header(at, 3);
    memcpy(at + size, &rings, 4);
    memcpy(at + size + 4, &n, 4);
    memcpy(at + size + 8, xy, 16 * (size_t)n);
    return size + 8 + 16 * (size_t)n;
}

static inline size_t wkb_point(unsigned char *at, double x, double y) {
    size_t size = wkb_put_header(at, 1);
    memcpy(at + size, &x, 8);
    memcpy(at + size + 8, &y, 8);
    return size + 16;
}

/* The geometry type a WKB buffer declares (either byte order). */
static inline uint32_t wkb_type(const unsigned char *wkb) {
    uint32_t type;
    if (wkb[0] == 1) return (uint32_t)wkb[1] | (uint32_t)wkb[2] << 8 | (uint32_t)wkb[3] << 16 | (uint32_t)wkb[4] << 24;
    type = (uint32_t)wkb[4] | (uint32_t)wkb[3] << 8 | (uint32_t)wkb[2] << 16 | (uint32_t)wkb[1] << 24;
    return type;
}

#endif
