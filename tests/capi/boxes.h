/* Hand-drawn layers of boxes for the C API tests, near (X0, Y0) in EPSG:27700. */
#ifndef PDEF_CAPI_BOXES_H
#define PDEF_CAPI_BOXES_H

#include "check.h"
#include "wkb.h"

#define BOXES_MAX 16
#define X0 500000.0
#define Y0 150000.0

/* A layer of `count` (at most BOXES_MAX) boxes {x0, y0, x1, y1} in km from X0, Y0, named by a NAME
 * attribute when `names` is not NULL. */
static pdef_layer *boxes(pdef_context *ctx, const char *layer_name, size_t count, const char *const *codes,
                         const char *const *names, const double (*box)[4]) {
    unsigned char made[BOXES_MAX][128];
    const unsigned char *wkb[BOXES_MAX];
    size_t sizes[BOXES_MAX], i;
    pdef_layer *layer = NULL;
    for (i = 0; i < count; ++i) {
        const double x0 = X0 + 1000 * box[i][0], y0 = Y0 + 1000 * box[i][1];
        const double x1 = X0 + 1000 * box[i][2], y1 = Y0 + 1000 * box[i][3];
        const double ring[] = {x0, y0, x1, y0, x1, y1, x0, y1, x0, y0};
        sizes[i] = wkb_polygon(made[i], ring, 5);
        wkb[i] = made[i];
    }
    CHECK_OK(ctx, pdef_layer_create_from_wkb(ctx, layer_name, "EPSG:27700", PDEF_LAYER_POLYGON, count, codes, wkb,
                                             sizes, &layer));
    if (layer && names) {
        CHECK_OK(ctx, pdef_layer_add_attribute(ctx, layer, "NAME", names));
        CHECK_OK(ctx, pdef_layer_set_label_column(ctx, layer, "NAME"));
    }
    return layer;
}

#endif
