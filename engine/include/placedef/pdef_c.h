/*
 * pdef_c.h: the stable C API of placedef.
 *
 * Conventions (docs/c-api.md; docs/decisions/0004-c-api-handles-and-status-codes.md):
 *  - Every handle is an opaque struct used through a pointer. A pdef_context
 *    holds the error state, the log and progress callbacks and the settings
 *    (threads, CRS, invalid-geometry policy, scoring tolerances); it comes
 *    first in every fallible call. A context and every handle are used by one
 *    thread at a time (pdef_context_cancel() excepted, which any thread may
 *    call); different contexts may run in different threads. Any handle may
 *    be used with any context.
 *  - A handle is a checked value, not an address: it names a slot of a table
 *    the library keeps (the one piece of global state, thread-safe), with a
 *    generation and a type. A handle already destroyed (even when its slot
 *    now holds a newer object), one of another type, or a made-up value gives
 *    PDEF_ERROR_WRONG_HANDLE and a message saying which; it never reaches
 *    freed memory or another object.
 *  - Fallible calls return a pdef_status (PDEF_OK = 0) and write results
 *    through out-parameters, which are left untouched on failure. Every
 *    failure leaves a message in pdef_context_last_error(). Messages (the last
 *    error, log lines, a problem's description) may quote codes and names from
 *    data, so their control characters are shown as escapes (`\x1b`) and they
 *    are safe to print on a terminal; codes and names returned as data are
 *    exactly as read. A NULL argument
 *    gives PDEF_ERROR_NULL_ARGUMENT unless the documentation says "may be NULL";
 *    a handle of another type gives PDEF_ERROR_WRONG_HANDLE.
 *  - Ownership shows in the name: pdef_X_create / pdef_X_open return a handle
 *    that the caller frees with pdef_X_destroy (NULL is accepted and ignored;
 *    so are a handle of another type, which is left alone, and a handle
 *    already destroyed, so a double destroy does no harm). Buffers documented
 *    as "engine-allocated" are freed with pdef_free(). Strings returned as
 *    `const char *` and the strings inside result structs are borrowed: they
 *    live as long as the handle they come from (strings from a context: until
 *    the next call with that context). A handle created from another one keeps
 *    what it needs alive, so handles may be destroyed in any order.
 *  - Arrays come either from a count call and a caller buffer (the _copy_
 *    calls, whose buffer_size is a count of elements and must be at least the
 *    count) or element by element through an index (_get_ calls, index out of
 *    range: PDEF_ERROR_OUT_OF_RANGE).
 *  - Geometries cross the API as little-endian 2D WKB.
 *  - Status codes and enum values are ABI: never renumbered or reused. The C
 *    ABI is stable across minor versions; every function carries the version
 *    it first appeared in (@since). Calls that may still change live in
 *    pdef_c_experimental.h (none yet).
 */
#ifndef PDEF_C_H
#define PDEF_C_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this header (pdef_version() gives the library's). A minor
 * version adds functions or codes; compare to use them only where present. */
#define PDEF_VERSION_MAJOR 0
#define PDEF_VERSION_MINOR 9
#define PDEF_VERSION_PATCH 0

#if defined(_WIN32) && defined(PDEF_C_BUILDING)
#define PDEF_API __declspec(dllexport)
#elif defined(_WIN32)
#define PDEF_API __declspec(dllimport)
#elif defined(__GNUC__)
#define PDEF_API __attribute__((visibility("default")))
#else
#define PDEF_API
#endif

/* A C caller may pass any int for an enum parameter (undefined values give
 * BAD_OPTION). C++ may read a value outside an enum's enumerators only when
 * the enum has a fixed underlying type, so the C++ view fixes it to int, the
 * type of C enum constants; size and calling convention stay the same. */
#ifdef __cplusplus
#define PDEF_ENUM_BASE : int
#else
#define PDEF_ENUM_BASE
#endif

/* ---------------------------------------------------------------- status */

/** Result of every fallible call. Codes are grouped in ranges by area; a code
 *  a caller does not know counts as a generic failure (PDEF_ERROR). */
typedef enum pdef_status PDEF_ENUM_BASE {
    PDEF_OK = 0,

    /* 1-99: generic */
    PDEF_ERROR = 1,               /**< failure of no known kind */
    PDEF_ERROR_OUT_OF_MEMORY = 2,
    PDEF_ERROR_CANCELLED = 3, /**< stopped by pdef_context_cancel() (since 0.3.0) */

    /* 100-199: API misuse (the call, not the data, is wrong) */
    PDEF_ERROR_NULL_ARGUMENT = 100,    /**< a required pointer argument is NULL */
    PDEF_ERROR_WRONG_HANDLE = 101,     /**< a handle of another type (or not a handle) */
    PDEF_ERROR_BAD_OPTION = 102,       /**< an option value outside its documented range */
    PDEF_ERROR_OUT_OF_RANGE = 103,     /**< an index at or beyond the count */
    PDEF_ERROR_BUFFER_TOO_SMALL = 104, /**< a caller buffer shorter than the count */
    PDEF_ERROR_NOT_AVAILABLE = 105,    /**< the result was not computed (e.g. pieces without geometry) */

    /* 200-299: input data (command-line exit code 2) */
    PDEF_ERROR_INVALID_INPUT = 200, /**< unusable input: address, column, CRS, geometry, value */
    PDEF_ERROR_IO = 201,            /**< a file or connection that cannot be opened or read */

    /* 300-399: processing (exit code 3) */
    PDEF_ERROR_TOPOLOGY = 300, /**< a geometry operation failed on valid-looking input */
    PDEF_ERROR_INTERNAL = 301, /**< an engine fault; please report it */

    /* 400-499: output (exit code 4) */
    PDEF_ERROR_OUTPUT = 400 /**< a result that cannot be written */
} pdef_status;

/** placedef's version, "MAJOR.MINOR.PATCH" (the VERSION file). Static string.
 *  @since 0.1.0 */
PDEF_API const char *pdef_version(void);

/** Short English text of a status ("invalid input"); unknown codes give the
 *  text of PDEF_ERROR. Static string, never NULL.
 *  @since 0.1.0 */
PDEF_API const char *pdef_status_string(pdef_status status);

/** Frees a buffer the engine allocated (WKB, text, name lists). NULL is ignored.
 *  @since 0.1.0 */
PDEF_API void pdef_free(void *buffer);

/* --------------------------------------------------------------- context */

typedef struct pdef_context pdef_context;

typedef enum pdef_log_level PDEF_ENUM_BASE {
    PDEF_LOG_DEBUG = 0,  /**< timings and statistics */
    PDEF_LOG_INFO = 1,   /**< notes, e.g. a code column that was guessed */
    PDEF_LOG_WARNING = 2 /**< a problem with the input (see pdef_problem) */
} pdef_log_level;

/** Receives log messages on the thread that made the call. */
typedef void (*pdef_log_callback)(pdef_log_level level, const char *message, void *user_data);
/** Receives progress (done of total steps) of long calls; from one thread at a
 *  time, which may be a worker thread. */
typedef void (*pdef_progress_callback)(size_t done, size_t total, void *user_data);

/** What to do with a feature whose polygon is invalid. */
typedef enum pdef_invalid_policy PDEF_ENUM_BASE {
    PDEF_INVALID_REPAIR = 0, /**< GEOS MakeValid; kept when a polygon remains */
    PDEF_INVALID_SKIP = 1,   /**< left out, and reported */
    PDEF_INVALID_FAIL = 2    /**< the load fails with PDEF_ERROR_INVALID_INPUT */
} pdef_invalid_policy;

/** A new context with the defaults of the command line: all cores, study CRS
 *  EPSG:27700, no assumed CRS, repair, tolerance 0.995, minimum piece 0.01,
 *  distance 20 m, no callbacks. Free with pdef_context_destroy().
 *  Errors: NULL_ARGUMENT (out is NULL), OUT_OF_MEMORY.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_context_create(pdef_context **out);

/** Frees a context. NULL is ignored.
 *  @since 0.1.0 */
PDEF_API void pdef_context_destroy(pdef_context *ctx);

/** The message of the last failed call with this context ("" after a call
 *  that succeeded). Borrowed: valid until the next call with ctx. For a NULL
 *  or wrong handle, a static text saying so.
 *  @since 0.1.0 */
PDEF_API const char *pdef_context_last_error(const pdef_context *ctx);

/** The operating-system error number (errno: ENOENT for an input file that
 *  does not exist) behind the last failed call with this context, or 0 when
 *  it had none or the call succeeded. `file` (may be NULL) receives the file
 *  concerned ("" when none), borrowed as pdef_context_last_error() is.
 *  @since 0.3.0 */
PDEF_API int pdef_context_last_os_error(const pdef_context *ctx, const char **file);

/** Asks the call running with ctx to stop: it returns PDEF_ERROR_CANCELLED
 *  soon (within about a second; work already written stays as it was, and
 *  no result handle is made). Safe from any thread, e.g. one that watches
 *  for a signal, while another thread is in a call with ctx. A cancel made
 *  while no call runs applies to the next call; it is used up when the call
 *  it applies to returns (a call that ends before it reaches a check returns
 *  its result). A NULL, destroyed or wrong ctx is ignored.
 *  @since 0.3.0 */
PDEF_API void pdef_context_cancel(pdef_context *ctx);

/** Sets (or, with a NULL callback, removes) the log callback.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_context_set_log_callback(pdef_context *ctx, pdef_log_callback callback, void *user_data);

/** Sets (or, with a NULL callback, removes) the progress callback, used by
 *  pdef_overlay(), pdef_matrix_create() and pdef_footprints_create() (the
 *  runs of an ensemble).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_context_set_progress_callback(pdef_context *ctx, pdef_progress_callback callback,
                                                        void *user_data);

/** Worker threads for every call (0: all cores). Results do not depend on it.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_context_set_threads(pdef_context *ctx, unsigned threads);
/** @since 0.1.0 */
PDEF_API pdef_status pdef_context_get_threads(const pdef_context *ctx, unsigned *threads);

/** Scoring: the share treated as "all" for nested and co-terminous units,
 *  in [0.5, 1] (BAD_OPTION otherwise). Default 0.995.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_context_set_tolerance(pdef_context *ctx, double tolerance);
/** @since 0.1.0 */
PDEF_API pdef_status pdef_context_get_tolerance(const pdef_context *ctx, double *tolerance);

/** Scoring: the share from which a piece counts in a unit's fragmentation,
 *  in [0, 0.5]. Default 0.01.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_context_set_min_piece(pdef_context *ctx, double min_piece);
/** @since 0.1.0 */
PDEF_API pdef_status pdef_context_get_min_piece(const pdef_context *ctx, double *min_piece);

/** Scoring: metres treated as "the same line" by boundary alignment, finite
 *  and >= 0. Default 20.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_context_set_distance(pdef_context *ctx, double metres);
/** @since 0.1.0 */
PDEF_API pdef_status pdef_context_get_distance(const pdef_context *ctx, double *metres);

/** The CRS every layer is reprojected to ("EPSG:27700"), opened or made from
 *  WKB. It must be projected, in metres, and keep areas over the layer: its
 *  area scale may differ from 1 by at most 0.5 % there (checked when a layer
 *  is opened or made; Web Mercator, which doubles areas in Britain, is
 *  refused). Empty text: BAD_OPTION.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_context_set_study_crs(pdef_context *ctx, const char *crs);
/** Borrowed: valid until the next call with ctx.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_context_get_study_crs(const pdef_context *ctx, const char **crs);

/** The CRS assumed for a source that declares none ("" : such a source is refused).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_context_set_assume_crs(pdef_context *ctx, const char *crs);
/** Borrowed: valid until the next call with ctx.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_context_get_assume_crs(const pdef_context *ctx, const char **crs);

/** Policy for invalid polygons when a layer is opened or made from WKB.
 *  An undefined value: BAD_OPTION.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_context_set_invalid_policy(pdef_context *ctx, pdef_invalid_policy policy);
/** @since 0.1.0 */
PDEF_API pdef_status pdef_context_get_invalid_policy(const pdef_context *ctx, pdef_invalid_policy *policy);
/** "repair" | "skip" | "fail" (case-insensitive); INVALID_INPUT otherwise.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_invalid_policy_from_string(pdef_context *ctx, const char *text, pdef_invalid_policy *policy);

/* -------------------------------------------------------------- problems */

/** A bad feature or value met by a call: counted, named, never dropped in
 *  silence. Each also goes to the log callback (PDEF_LOG_WARNING). */
typedef struct pdef_problem {
    const char *kind;        /**< "invalid_geometry", "null_geometry", "duplicate_code", "missing_key", ... */
    const char *action;      /**< "repaired", "skipped", "merged", "kept", "failed" */
    const char *file;        /**< dataset; "" when unknown (so are the other texts) */
    const char *layer;
    bool has_fid;
    int64_t fid;             /**< feature id, or 1-based CSV line (when has_fid) */
    const char *code;        /**< as read (data); the description shows it escaped */
    const char *field;
    const char *detail;
    const char *description; /**< the whole problem in one line, safe to print */
} pdef_problem;

/** Problems reported by calls with this context since it was created or cleared.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_context_get_problem_count(const pdef_context *ctx, size_t *count);
/** One problem; its texts are borrowed until the next call with ctx.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_context_get_problem(pdef_context *ctx, size_t index, pdef_problem *problem);
/** Forgets the problems reported so far.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_context_clear_problems(pdef_context *ctx);

/* ---------------------------------------------------------------- layers */

typedef struct pdef_layer pdef_layer;

typedef enum pdef_layer_kind PDEF_ENUM_BASE { PDEF_LAYER_POLYGON = 0, PDEF_LAYER_POINT = 1 } pdef_layer_kind;

typedef struct pdef_box {
    double minx, miny, maxx, maxy;
} pdef_box;

/** Names of the layers of a dataset, as one engine-allocated block: `*names`
 *  is an array of `*count` strings, all freed by one pdef_free(*names).
 *  Errors: IO (cannot open).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_dataset_list_layers(pdef_context *ctx, const char *path, char ***names, size_t *count);

/** Opens a layer from `path[:layer][@code_column]` (any GDAL vector source:
 *  .gpkg, .shp, .geojson, PG:...), reprojects it to the study CRS and, for
 *  polygons, applies the invalid-geometry policy and resolves duplicate codes.
 *  A point layer keeps points without a location (see pdef_layer_get_point),
 *  so that GP practices are accounted for by name. Problems go to the context.
 *  Free with pdef_layer_destroy(). Errors: IO (cannot open), INVALID_INPUT (no
 *  such layer, missing or ambiguous code column, no CRS, a study CRS that is
 *  geographic or distorts area over the layer, a layer of the other kind, an
 *  invalid feature under PDEF_INVALID_FAIL), BAD_OPTION (undefined kind).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_layer_open(pdef_context *ctx, const char *address, pdef_layer_kind kind, pdef_layer **out);

/** A layer from `count` features given as codes and WKB (wkb[i] holds
 *  wkb_sizes[i] bytes of ISO WKB or EWKB, either byte order; polygons,
 *  multipolygons and curved polygons for polygon layers, points for point
 *  layers). The features are read by the rules of pdef_layer_open(), so the
 *  same features give the same layer and the same problems either way: a
 *  NULL wkb[i] is a feature without geometry (a polygon one reported and
 *  skipped, a point one kept without location); bytes that are not WKB are
 *  corrupt_geometry, a geometry of the wrong type wrong_geometry_type,
 *  curves are linearised (curve_linearised), an empty code becomes
 *  "<name>#<index>" (empty_code), coordinates outside the CRS's area of use
 *  are reported (outside_crs_area), each under the context's invalid policy.
 *  `crs` is the CRS of the coordinates, in any form
 *  pdef_context_set_assume_crs() takes ("EPSG:4326" in longitude, latitude
 *  order, WKT, a PROJ string); they are reprojected to the context's study
 *  CRS, and the study CRS is checked over them. A feature whose coordinates
 *  cannot be reprojected is reported as invalid_geometry and skipped.
 *  Polygons are checked as pdef_layer_open() does; fid is the index in the
 *  arrays; count 0 gives an empty layer. Free with pdef_layer_destroy().
 *  Errors: INVALID_INPUT (bytes left after a geometry (their offset is
 *  given), an EWKB SRID that is not `crs` (both are named; SRID 0 counts as
 *  none), a `crs` that is not a CRS, only geometries of the other kind, no
 *  feature that can be reprojected, a study CRS that is geographic or
 *  distorts area over the layer, a feature's problem under
 *  PDEF_INVALID_FAIL), BAD_OPTION (undefined kind).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_layer_create_from_wkb(pdef_context *ctx, const char *name, const char *crs,
                                                pdef_layer_kind kind, size_t count, const char *const *codes,
                                                const unsigned char *const *wkb, const size_t *wkb_sizes,
                                                pdef_layer **out);

/** Adds a text attribute column (one value per feature, in feature order), as
 *  pdef_pcn_create() needs on practices made from WKB (PCN_CODE, PCN_NAME).
 *  Errors: INVALID_INPUT (a column of that name exists).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_layer_add_attribute(pdef_context *ctx, pdef_layer *layer, const char *column,
                                              const char *const *values);

/** Takes the units' names from attribute `column` (trimmed), as
 *  pdef_layer_open() does with the column given after the code
 *  (`path@CODE,NAME`) or guessed (LAD21CD -> LAD21NM, else "name"): for a
 *  layer made from WKB, add the names with pdef_layer_add_attribute() and
 *  choose them here. Tables made from the layer afterwards carry the names.
 *  Errors: INVALID_INPUT (no such column; the message lists the columns).
 *  @since 0.4.0 */
PDEF_API pdef_status pdef_layer_set_label_column(pdef_context *ctx, pdef_layer *layer, const char *column);

/** Chooses the code and name columns of a table of features by the rules of
 *  pdef_layer_open(), for a caller that holds the table itself (a data frame)
 *  and then makes the layer with pdef_layer_create_from_wkb() and
 *  pdef_layer_set_label_column(). The table has `columns` columns named
 *  `column_names` and `rows` rows whose texts are `values`, row by row
 *  (rows x columns of them; an empty text is a missing value). `code` and
 *  `label` (may be NULL or "": guessed) are the columns asked for; the code is
 *  guessed as the one column ending in "CD" whose values are all present and
 *  unique, the names as that column with "CD" made "NM", else "name", else
 *  none. `name` names the table in messages. `*code_index` receives the code
 *  column; `*label_index` the name column, or `columns` when there is none.
 *  Errors: INVALID_INPUT (no such column; no column, or several, to guess the
 *  code from: the message says why each was passed over and how to name one).
 *  @since 0.7.0 */
PDEF_API pdef_status pdef_choose_code_column(pdef_context *ctx, const char *name, size_t columns,
                                             const char *const *column_names, size_t rows,
                                             const char *const *values, const char *code, const char *label,
                                             size_t *code_index, size_t *label_index);

/** Named places (e.g. town centres) from a CSV as a point layer whose codes
 *  are the names: a name column (name, town or place) and lon/lat (EPSG:4326
 *  unless `crs` says otherwise) or x/y (the study CRS unless `crs` says
 *  otherwise; "" for these defaults), reprojected to the study CRS. For seeded
 *  footprints. Errors: IO, INVALID_INPUT (missing column, empty name, a value
 *  that is not a number, naming file, line and column).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_layer_open_places(pdef_context *ctx, const char *path, const char *crs, pdef_layer **out);

/** A new layer of the features of `layer` whose point on surface lies in
 *  `area` (in its units `codes`; count 0: any unit), in layer order: how a
 *  study area picks its blocks (e.g. the LSOAs of two districts). Errors:
 *  INVALID_INPUT (a code `area` lacks, no feature selected, CRS differ).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_layer_create_within(pdef_context *ctx, const pdef_layer *layer, const pdef_layer *area,
                                              const char *const *codes, size_t count, pdef_layer **out);

/** Frees a layer. NULL is ignored.
 *  @since 0.1.0 */
PDEF_API void pdef_layer_destroy(pdef_layer *layer);

/** Features in the layer (after skips and merges).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_layer_get_count(pdef_context *ctx, const pdef_layer *layer, size_t *count);
/** Rows the source held, before any skip or merge.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_layer_get_features_read(pdef_context *ctx, const pdef_layer *layer, size_t *count);
/** Problems reported while this layer was loaded.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_layer_get_problem_count(pdef_context *ctx, const pdef_layer *layer, size_t *count);
/** @since 0.1.0 */
PDEF_API pdef_status pdef_layer_get_kind(pdef_context *ctx, const pdef_layer *layer, pdef_layer_kind *kind);
/** Layer name inside the dataset.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_layer_get_name(pdef_context *ctx, const pdef_layer *layer, const char **name);
/** Path or connection string (password removed).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_layer_get_source(pdef_context *ctx, const pdef_layer *layer, const char **source);
/** The CRS the coordinates are in (the study CRS).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_layer_get_crs(pdef_context *ctx, const pdef_layer *layer, const char **crs);
/** The CRS of the source ("EPSG:4326" or a short name).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_layer_get_source_crs(pdef_context *ctx, const pdef_layer *layer, const char **crs);
/** The code column, and whether it was guessed (guessed may be NULL).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_layer_get_code_column(pdef_context *ctx, const pdef_layer *layer, const char **column,
                                                bool *guessed);
/** Bounding box of the features (empty layer: NOT_AVAILABLE).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_layer_get_extent(pdef_context *ctx, const pdef_layer *layer, pdef_box *extent);
/** Code of a feature.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_layer_get_code(pdef_context *ctx, const pdef_layer *layer, size_t index,
                                         const char **code);

/** The name of feature `index` from the layer's label column; "" when the
 *  layer has none. Errors: OUT_OF_RANGE.
 *  @since 0.4.0 */
PDEF_API pdef_status pdef_layer_get_unit_name(pdef_context *ctx, const pdef_layer *layer, size_t index,
                                              const char **name);
/** The column the names come from ("" when none) and whether it was guessed.
 *  @since 0.4.0 */
PDEF_API pdef_status pdef_layer_get_label_column(pdef_context *ctx, const pdef_layer *layer, const char **column,
                                                 bool *guessed);
/** Index of the feature with this code; *found is false when there is none.
 *  Not thread-safe on one layer (builds an index on first use).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_layer_find(pdef_context *ctx, const pdef_layer *layer, const char *code, size_t *index,
                                     bool *found);
/** Area of a polygon feature in m2 (point layer: NOT_AVAILABLE).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_layer_get_area(pdef_context *ctx, const pdef_layer *layer, size_t index, double *area_m2);
/** Vertices of a polygon feature (point layer: NOT_AVAILABLE).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_layer_get_vertex_count(pdef_context *ctx, const pdef_layer *layer, size_t index,
                                                 size_t *count);
/** Location of a point feature; *located is false (and x, y 0) for a point
 *  without geometry (polygon layer: NOT_AVAILABLE).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_layer_get_point(pdef_context *ctx, const pdef_layer *layer, size_t index, double *x,
                                          double *y, bool *located);
/** The feature's geometry as WKB (MULTIPOLYGON or POINT), engine-allocated:
 *  free *wkb with pdef_free(). A point without location gives *wkb NULL and
 *  *size 0.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_layer_get_wkb(pdef_context *ctx, const pdef_layer *layer, size_t index,
                                        unsigned char **wkb, size_t *size);
/** Attribute columns: every column of the source (the code column included),
 *  then those added by pdef_layer_add_attribute().
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_layer_get_attribute_count(pdef_context *ctx, const pdef_layer *layer, size_t *count);
/** @since 0.1.0 */
PDEF_API pdef_status pdef_layer_get_attribute_name(pdef_context *ctx, const pdef_layer *layer, size_t column,
                                                   const char **name);
/** An attribute value as text ("" for NULL).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_layer_get_attribute(pdef_context *ctx, const pdef_layer *layer, size_t index,
                                              size_t column, const char **value);

/** Values of a numeric table column for each feature, joined on the feature
 *  code: reads the CSV at `table_path` keyed by `key_column` (NULL: the
 *  column whose values match the most feature codes, said in the log at info
 *  level, as every front end chooses it) and writes one value per feature
 *  into `values` (buffer_size >= the feature count). A feature without a row
 *  gets `missing_value` and a missing_key problem. Errors: IO, INVALID_INPUT (missing column, duplicate
 *  key, a cell that is not a number, naming file, line and column).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_layer_join_numeric(pdef_context *ctx, const pdef_layer *layer, const char *table_path,
                                             const char *key_column, const char *column, double missing_value,
                                             double *values, size_t buffer_size);

/* ------------------------------------------------------------ population */

typedef struct pdef_population pdef_population;

/** Population given on the units of a polygon layer (e.g. LSOAs), from a
 *  numeric column of a CSV joined on the codes (as pdef_layer_join_numeric;
 *  every value a number from 0 to 1e15, and their total at most 1e15; a bad value is refused naming its
 *  line). It is apportioned to pieces by area wherever it is used. Keeps the layer
 *  alive. Free with pdef_population_destroy().
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_population_create(pdef_context *ctx, const pdef_layer *units, const char *table_path,
                                            const char *key_column, const char *column, pdef_population **out);
/** Population from one value per unit (count must be the unit count;
 *  each from 0 to 1e15, their total at most 1e15).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_population_create_from_values(pdef_context *ctx, const pdef_layer *units, size_t count,
                                                        const double *values, pdef_population **out);
/** NULL is ignored.
 *  @since 0.1.0 */
PDEF_API void pdef_population_destroy(pdef_population *population);
/** The value of each unit (buffer_size >= the unit count).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_population_copy_values(pdef_context *ctx, const pdef_population *population,
                                                 double *values, size_t buffer_size);
/** Population of each unit of `target` (buffer_size >= the target's feature
 *  count): the population's own values when `target` holds its units (the
 *  same layer, or units picked from it), else apportioned by area, as every
 *  front end gives footprints their people. Errors: INVALID_INPUT (another CRS).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_population_apportion(pdef_context *ctx, const pdef_population *population,
                                               const pdef_layer *target, double *values, size_t buffer_size);

/* --------------------------------------------------------------- overlay */

typedef struct pdef_table pdef_table;

/** A side of a pairwise result: layer A (scored against B), or layer B. */
typedef enum pdef_side PDEF_ENUM_BASE { PDEF_SIDE_A = 0, PDEF_SIDE_B = 1 } pdef_side;

typedef struct pdef_table_summary {
    const char *a_layer;
    const char *b_layer;
    size_t a_units;
    size_t b_units;
    size_t rows;
    bool has_population;
    bool has_geometry;
    size_t candidate_pairs;         /**< bounding boxes intersect */
    size_t covered_pairs;           /**< settled without boundary contact */
    size_t dropped_below_min_share; /**< rows left out by min_share */
    double seconds;                 /**< whole overlay */
} pdef_table_summary;

typedef struct pdef_table_row {
    size_t a_index; /**< feature index in layer A */
    size_t b_index;
    const char *a_code;
    const char *b_code;
    double area_m2;
    double share_of_a; /**< area_m2 / area of a */
    double share_of_b;
    double pop;            /**< with population only, else NaN (so are the next two) */
    double pop_share_of_a; /**< pop / pop of a; 0 when a has no population */
    double pop_share_of_b;
} pdef_table_row;

/** A unit of A or B with its area and population (NaN without population). */
typedef struct pdef_table_unit {
    const char *code;
    double area_m2;
    double pop;
} pdef_table_unit;

/** Numeric columns of the table, for pdef_table_copy_column(). */
typedef enum pdef_table_column PDEF_ENUM_BASE {
    PDEF_COLUMN_AREA_M2 = 0,
    PDEF_COLUMN_SHARE_OF_A = 1,
    PDEF_COLUMN_SHARE_OF_B = 2,
    PDEF_COLUMN_POP = 3,
    PDEF_COLUMN_POP_SHARE_OF_A = 4,
    PDEF_COLUMN_POP_SHARE_OF_B = 5
} pdef_table_column;

/** The intersection table of two polygon layers in the same CRS: every pair
 *  of units with positive intersection area, sorted by (a code, b code),
 *  computed exactly (no snapping). `population` (may be NULL) is apportioned
 *  to the pieces by area. Rows whose shares of a and of b are both under
 *  `min_share` (in [0, 1]) are dropped and counted. `with_geometry` also
 *  builds each piece's polygon (pdef_table_get_piece_wkb, GeoPackage output).
 *  Uses the context's threads and progress callback; the same rows whatever
 *  the thread count. Free with pdef_table_destroy(). Errors: INVALID_INPUT
 *  (point layers, CRS differ), BAD_OPTION (min_share), TOPOLOGY.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_overlay(pdef_context *ctx, const pdef_layer *a, const pdef_layer *b,
                                  const pdef_population *population, double min_share, bool with_geometry,
                                  pdef_table **out);
/** NULL is ignored.
 *  @since 0.1.0 */
PDEF_API void pdef_table_destroy(pdef_table *table);
/** @since 0.1.0 */
PDEF_API pdef_status pdef_table_get_summary(pdef_context *ctx, const pdef_table *table, pdef_table_summary *summary);
/** @since 0.1.0 */
PDEF_API pdef_status pdef_table_get_row(pdef_context *ctx, const pdef_table *table, size_t index,
                                        pdef_table_row *row);
/** A unit of side A or B, in layer order (units without rows too).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_table_get_unit(pdef_context *ctx, const pdef_table *table, pdef_side side, size_t index,
                                         pdef_table_unit *unit);

/** The name of unit `index` of a side ("" when its layer has no names).
 *  Errors: OUT_OF_RANGE.
 *  @since 0.4.0 */
PDEF_API pdef_status pdef_table_get_unit_name(pdef_context *ctx, const pdef_table *table, pdef_side side,
                                              size_t index, const char **name);
/** Copies a numeric column, one value per row (buffer_size >= rows).
 *  Population columns without population: NOT_AVAILABLE.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_table_copy_column(pdef_context *ctx, const pdef_table *table, pdef_table_column column,
                                            double *values, size_t buffer_size);
/** The piece of a row as MULTIPOLYGON WKB, engine-allocated (pdef_free).
 *  A table made without geometry: NOT_AVAILABLE.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_table_get_piece_wkb(pdef_context *ctx, const pdef_table *table, size_t index,
                                              unsigned char **wkb, size_t *size);
/** Writes the table: CSV for a .csv path, else (.gpkg, PG:...) a layer
 *  `pieces` with the same columns and each piece's geometry (needs
 *  with_geometry). An existing file is replaced, only once complete; an
 *  existing GeoPackage keeps its other layers. Errors: OUTPUT.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_table_write(pdef_context *ctx, const pdef_table *table, const char *path);

/* ------------------------------------------------------- co-terminosity */

typedef struct pdef_report pdef_report;

typedef enum pdef_relation PDEF_ENUM_BASE {
    PDEF_RELATION_COTERMINOUS = 0, /**< a and b are each nested in the other */
    PDEF_RELATION_NESTED = 1,      /**< a lies (>= tolerance) in one unit of B */
    PDEF_RELATION_BUILT_FROM = 2,  /**< units of B nested in a make up >= tolerance of a */
    PDEF_RELATION_SPLIT = 3,       /**< none of the above */
    PDEF_RELATION_OUTSIDE = 4      /**< B covers less than the minimum piece of a */
} pdef_relation;
#define PDEF_RELATION_COUNT 5

/** One layer scored against another. NaN marks a figure not computed. */
typedef struct pdef_layer_score {
    const char *layer;
    const char *other;
    size_t units;
    size_t scored;                    /**< units not outside the other layer */
    size_t counts[PDEF_RELATION_COUNT]; /**< units by pdef_relation */
    double coterminosity_index;       /**< area-weighted mean coverage of scored units */
    double coterminosity_index_pop;   /**< the same, population-weighted (NaN without population) */
    double nesting_rate;              /**< share of scored units nested (co-terminous ones included) */
    double coterminous_rate;          /**< share of scored units co-terminous with a unit of the other */
    double boundary_alignment;        /**< share of boundary within the distance of the other's (NaN without) */
} pdef_layer_score;

/** One unit scored against the other layer. */
typedef struct pdef_unit_relation {
    const char *code;
    pdef_relation relation;
    const char *best;          /**< unit of the other layer holding the largest share; "" when outside */
    double coverage;           /**< that largest share (of the covered area) */
    double best_share_of_b;    /**< the share of the best unit that this unit holds */
    double iou;                /**< intersection over union with the best unit */
    size_t fragmentation;      /**< units of the other layer holding at least the minimum piece */
    double covered;            /**< share of the unit inside the other layer's coverage */
    double built_from;         /**< share made of units of the other layer nested in this one */
    double area_m2;
    double pop;                /**< NaN without population (and the next two) */
    double pop_covered;
    double pop_coverage;
    double boundary_alignment; /**< NaN without alignment (and the next) */
    double outer_boundary;
    size_t piece_count;        /**< see pdef_report_get_piece */
} pdef_unit_relation;

typedef struct pdef_split_piece {
    const char *code;
    double share;     /**< of the unit's covered area */
    double pop_share; /**< NaN without population */
} pdef_split_piece;

/** Static text of a relation ("coterminous", "nested", "built_from",
 *  "split", "outside"); "unknown" for an undefined value.
 *  @since 0.1.0 */
PDEF_API const char *pdef_relation_to_string(pdef_relation relation);

/** Scores both layers of a table against each other with the context's
 *  tolerance and minimum piece. With `a` and `b` (the table's layers A and B,
 *  both or neither may be NULL) boundary alignment is computed too, with the
 *  context's distance. Free with pdef_report_destroy(). Errors: INVALID_INPUT
 *  (layers that are not the table's).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_report_create(pdef_context *ctx, const pdef_table *table, const pdef_layer *a,
                                        const pdef_layer *b, pdef_report **out);
/** NULL is ignored.
 *  @since 0.1.0 */
PDEF_API void pdef_report_destroy(pdef_report *report);
/** PDEF_SIDE_A: A scored against B; PDEF_SIDE_B: B against A.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_report_get_layer_score(pdef_context *ctx, const pdef_report *report, pdef_side side,
                                                 pdef_layer_score *score);
/** @since 0.1.0 */
PDEF_API pdef_status pdef_report_get_unit_count(pdef_context *ctx, const pdef_report *report, pdef_side side,
                                                size_t *count);
/** Units are sorted by code.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_report_get_unit(pdef_context *ctx, const pdef_report *report, pdef_side side,
                                          size_t index, pdef_unit_relation *unit);
/** Pieces of a unit: every unit of the other layer it overlaps, largest first.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_report_get_piece(pdef_context *ctx, const pdef_report *report, pdef_side side,
                                           size_t unit, size_t piece, pdef_split_piece *out);

/** The names of a unit and of its best unit ("" when unnamed or outside).
 *  @since 0.4.0 */
PDEF_API pdef_status pdef_report_get_unit_names(pdef_context *ctx, const pdef_report *report, pdef_side side,
                                                size_t index, const char **name, const char **best_name);
/** The name of a piece's unit ("" when unnamed).
 *  @since 0.4.0 */
PDEF_API pdef_status pdef_report_get_piece_name(pdef_context *ctx, const pdef_report *report, pdef_side side,
                                                size_t unit, size_t piece, const char **name);
/** How many other units of the other layer also hold at least the tolerance
 *  of unit `unit` besides its best one: the other layer's units overlap
 *  there (two LEPs over one district), and the unit is nested in each.
 *  @since 0.4.0 */
PDEF_API pdef_status pdef_report_get_also_within_count(pdef_context *ctx, const pdef_report *report, pdef_side side,
                                                       size_t unit, size_t *count);
/** Code of the `index`-th of those units, largest share first.
 *  @since 0.4.0 */
PDEF_API pdef_status pdef_report_get_also_within(pdef_context *ctx, const pdef_report *report, pdef_side side,
                                                 size_t unit, size_t index, const char **code);
/** Writes the per-unit report (CSV): units of A, then of B. Errors: OUTPUT.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_report_write_csv(pdef_context *ctx, const pdef_report *report, const char *path);
/** Both layer scores as readable lines, engine-allocated (pdef_free).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_report_describe(pdef_context *ctx, const pdef_report *report, char **text);

/* ------------------------------------------------------------- best fit */

typedef struct pdef_lookup pdef_lookup;

typedef enum pdef_best_fit_method PDEF_ENUM_BASE {
    PDEF_BEST_FIT_AREA = 0,      /**< the parent holding the largest share of the child's area */
    PDEF_BEST_FIT_CENTROID = 1,  /**< the parent holding the child's point on surface */
    PDEF_BEST_FIT_POPULATION = 2 /**< the parent holding the largest share of its population */
} pdef_best_fit_method;

typedef struct pdef_lookup_row {
    const char *child;
    const char *parent;          /**< "" when no parent holds the child */
    pdef_best_fit_method method; /**< used for this row (population falls back to area) */
    double share;                /**< the winner's share of the child */
    bool ambiguous;              /**< the winner holds less than ambiguous_below */
    const char *note;            /**< why the row differs from the method asked for; "" */
} pdef_lookup_row;

/** "area" | "centroid" | "population"; INVALID_INPUT otherwise.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_best_fit_method_from_string(pdef_context *ctx, const char *text,
                                                      pdef_best_fit_method *method);
/** Static text; "unknown" for an undefined value.
 *  @since 0.1.0 */
PDEF_API const char *pdef_best_fit_method_to_string(pdef_best_fit_method method);

/** Best-fit lookup: each unit of `child` assigned to exactly one unit of
 *  `parent`, one row per child in code order. The population method needs
 *  `population` (may be NULL otherwise; INVALID_INPUT when missing).
 *  `ambiguous_below` in [0, 1]. Free with pdef_lookup_destroy().
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_lookup_create(pdef_context *ctx, const pdef_layer *child, const pdef_layer *parent,
                                        const pdef_population *population, pdef_best_fit_method method,
                                        double ambiguous_below, pdef_lookup **out);
/** NULL is ignored.
 *  @since 0.1.0 */
PDEF_API void pdef_lookup_destroy(pdef_lookup *lookup);
/** @since 0.1.0 */
PDEF_API pdef_status pdef_lookup_get_count(pdef_context *ctx, const pdef_lookup *lookup, size_t *count);
/** @since 0.1.0 */
PDEF_API pdef_status pdef_lookup_get_row(pdef_context *ctx, const pdef_lookup *lookup, size_t index,
                                         pdef_lookup_row *row);

/** The names of a row's child and parent ("" when unnamed or no parent).
 *  @since 0.4.0 */
PDEF_API pdef_status pdef_lookup_get_row_names(pdef_context *ctx, const pdef_lookup *lookup, size_t index,
                                               const char **child_name, const char **parent_name);
/** CSV: child_code,parent_code,method,share,ambiguous,note. Errors: OUTPUT.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_lookup_write_csv(pdef_context *ctx, const pdef_lookup *lookup, const char *path);

/* ------------------------------------------------- deprivation by place */

typedef struct pdef_deprivation pdef_deprivation;

/** A deprivation unit (an LSOA) as listed among the most deprived. NaN marks
 *  a measure not given. */
typedef struct pdef_deprived_unit {
    size_t index;               /**< in the units layer */
    const char *code;
    const char *name;           /**< "" when the units have no names */
    double rank;                /**< national rank, 1 = most deprived */
    double score;               /**< higher = more deprived */
    double decile;              /**< national decile, 1 = most deprived tenth */
    const char *footprint;      /**< the footprint holding most of its people (else area); "" when none */
    const char *footprint_name;
} pdef_deprived_unit;

/** A footprint's deprivation. Without population, areas stand in for people:
 *  share and mean by area, people NaN. */
typedef struct pdef_footprint_deprivation {
    const char *code;
    const char *name;
    bool by_people;
    double people;              /**< in units with a decile (NaN without population or deciles) */
    double people_deciles_1_2;  /**< people in national deciles 1 and 2 (NaN likewise) */
    double share_deciles_1_2;   /**< of its people (area) with a decile; NaN without deciles */
    double mean_score;          /**< population-weighted mean score; NaN without scores (ranks do not average) */
    pdef_deprived_unit most_deprived; /**< the most deprived unit lying mainly in it; code "" when none */
} pdef_footprint_deprivation;

/** The deprivation profile of the footprints (any polygon layer) from the
 *  deprivation units (e.g. LSOAs) and `count` values per measure, one per
 *  unit in layer order (NaN: none; pdef_layer_join_numeric() reads them from
 *  a table): `ranks` (1 = most deprived), `scores` (higher = more deprived),
 *  `deciles` (national); any may be NULL, but not both ranks and scores.
 *  Per footprint: its people and share in national deciles 1-2, its
 *  population-weighted mean score (only with scores), and its most deprived
 *  unit; and the `most_deprived` most deprived units (by rank, else by the
 *  highest score; ties by code) with the footprint each mainly lies in.
 *  `population` (may be NULL: by area) weighs the pieces, as in pdef_overlay().
 *  The same rule as the study's. Free with pdef_deprivation_destroy().
 *  Errors: INVALID_INPUT (count is not the units' count, neither ranks nor
 *  scores, layers in different CRSs).
 *  @since 0.4.0 */
PDEF_API pdef_status pdef_deprivation_create(pdef_context *ctx, const pdef_layer *footprints, const pdef_layer *units,
                                             const pdef_population *population, size_t count, const double *ranks,
                                             const double *scores, const double *deciles, size_t most_deprived,
                                             pdef_deprivation **out);
/** NULL is ignored.
 *  @since 0.4.0 */
PDEF_API void pdef_deprivation_destroy(pdef_deprivation *deprivation);
/** One per footprint, in layer order.
 *  @since 0.4.0 */
PDEF_API pdef_status pdef_deprivation_get_footprint_count(pdef_context *ctx, const pdef_deprivation *deprivation,
                                                          size_t *count);
/** @since 0.4.0 */
PDEF_API pdef_status pdef_deprivation_get_footprint(pdef_context *ctx, const pdef_deprivation *deprivation,
                                                    size_t index, pdef_footprint_deprivation *footprint);
/** At most `most_deprived`, most deprived first.
 *  @since 0.4.0 */
PDEF_API pdef_status pdef_deprivation_get_most_deprived_count(pdef_context *ctx, const pdef_deprivation *deprivation,
                                                              size_t *count);
/** @since 0.4.0 */
PDEF_API pdef_status pdef_deprivation_get_most_deprived(pdef_context *ctx, const pdef_deprivation *deprivation,
                                                        size_t index, pdef_deprived_unit *unit);

/* ---------------------------------------------------------------- matrix */

typedef struct pdef_matrix pdef_matrix;

/** Every ordered pair of `count` (>= 2) polygon layers scored with the
 *  context's scoring settings, from one overlay per unordered pair, pairs in
 *  parallel. `population` may be NULL; `alignment` adds boundary alignment.
 *  Uses the progress callback. Free with pdef_matrix_destroy().
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_matrix_create(pdef_context *ctx, const pdef_layer *const *layers, size_t count,
                                        const pdef_population *population, bool alignment, pdef_matrix **out);
/** NULL is ignored.
 *  @since 0.1.0 */
PDEF_API void pdef_matrix_destroy(pdef_matrix *matrix);
/** @since 0.1.0 */
PDEF_API pdef_status pdef_matrix_get_layer_count(pdef_context *ctx, const pdef_matrix *matrix, size_t *count);
/** @since 0.1.0 */
PDEF_API pdef_status pdef_matrix_get_layer_name(pdef_context *ctx, const pdef_matrix *matrix, size_t index,
                                                const char **name);
/** Layer `row` scored against layer `column` (the diagonal included).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_matrix_get_score(pdef_context *ctx, const pdef_matrix *matrix, size_t row, size_t column,
                                           pdef_layer_score *score);
/** CSV, one row per ordered pair. Errors: OUTPUT.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_matrix_write_csv(pdef_context *ctx, const pdef_matrix *matrix, const char *path);
/** Aligned text tables of the index, nesting rate and alignment,
 *  engine-allocated (pdef_free).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_matrix_describe(pdef_context *ctx, const pdef_matrix *matrix, char **text);

/* ------------------------------------------------------- PCN footprints */

typedef struct pdef_pcn_options pdef_pcn_options;
typedef struct pdef_pcn pdef_pcn;

typedef enum pdef_pcn_method PDEF_ENUM_BASE {
    PDEF_PCN_VORONOI = 0,   /**< Thiessen cells of the practice sites, dissolved by PCN */
    PDEF_PCN_BLOCKS = 1,    /**< whole blocks (e.g. LSOAs) by Voronoi majority or nearest practice */
    PDEF_PCN_REGISTERED = 2 /**< whole blocks by registered patients */
} pdef_pcn_method;

typedef enum pdef_practice_status PDEF_ENUM_BASE {
    PDEF_PRACTICE_USED = 0,
    PDEF_PRACTICE_NO_LOCATION = 1,
    PDEF_PRACTICE_UNALLOCATED = 2,
    PDEF_PRACTICE_OUTSIDE_CLIP = 3,
    PDEF_PRACTICE_SHARES_SITE = 4
} pdef_practice_status;

typedef struct pdef_pcn_summary {
    pdef_pcn_method method;
    size_t footprints;
    size_t practices;
    size_t blocks;         /**< block assignments (block methods) */
    size_t pcns_outside;   /**< PCNs with no practice in the clip area */
    size_t sites;          /**< distinct practice sites used */
    double clip_area;      /**< m2 */
    double covered_area;   /**< of the clip area, inside some footprint */
    double footprint_area; /**< sum of the footprints' areas */
    double voronoi_agreement; /**< block methods: share of the clip area as Voronoi gives it; NaN for voronoi */
} pdef_pcn_summary;

typedef struct pdef_pcn_footprint {
    const char *code;
    const char *name;
    size_t practices; /**< member practices placed inside the clip area */
    double area_m2;
    size_t parts;
    double population; /**< NaN without population */
} pdef_pcn_footprint;

typedef struct pdef_practice {
    const char *code;
    const char *name;
    const char *pcn;
    pdef_practice_status status;
} pdef_practice;

typedef struct pdef_block_assignment {
    const char *block;
    const char *pcn;
    double share;    /**< of the block's area, or of its registered patients */
    const char *how; /**< "voronoi majority", "nearest practice", "registered patients", ... */
} pdef_block_assignment;

/** "voronoi" | "blocks" | "registered"; INVALID_INPUT otherwise.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_pcn_method_from_string(pdef_context *ctx, const char *text, pdef_pcn_method *method);
/** Static text; "unknown" for an undefined value.
 *  @since 0.1.0 */
PDEF_API const char *pdef_pcn_method_to_string(pdef_pcn_method method);
/** Static text ("used", "no_location", ...); "unknown" for an undefined value.
 *  @since 0.1.0 */
PDEF_API const char *pdef_practice_status_to_string(pdef_practice_status status);

/** Options with the defaults of the command line (voronoi, columns PCN_CODE,
 *  PCN_NAME, PRACTICE_NAME, unallocated "U", the whole clip layer, same site
 *  1 m). Free with pdef_pcn_options_destroy().
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_pcn_options_create(pdef_context *ctx, pdef_pcn_options **out);
/** NULL is ignored.
 *  @since 0.1.0 */
PDEF_API void pdef_pcn_options_destroy(pdef_pcn_options *options);
/** @since 0.1.0 */
PDEF_API pdef_status pdef_pcn_options_set_method(pdef_context *ctx, pdef_pcn_options *options,
                                                 pdef_pcn_method method);
/** Columns of the practices layer; pcn_name and practice_name may be "" (none).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_pcn_options_set_columns(pdef_context *ctx, pdef_pcn_options *options,
                                                  const char *pcn_code, const char *pcn_name,
                                                  const char *practice_name);
/** PCN codes that mean "in no PCN" (count 0: none).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_pcn_options_set_unallocated(pdef_context *ctx, pdef_pcn_options *options,
                                                      const char *const *codes, size_t count);
/** Units of the clip layer that make the clip area (count 0: all).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_pcn_options_set_clip_codes(pdef_context *ctx, pdef_pcn_options *options,
                                                     const char *const *codes, size_t count);
/** Practices closer than this (m, finite, >= 0) share one site.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_pcn_options_set_same_site(pdef_context *ctx, pdef_pcn_options *options, double metres);
/** Blocks method: each block goes to its nearest site's PCN instead of the
 *  Voronoi majority.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_pcn_options_set_nearest_practice(pdef_context *ctx, pdef_pcn_options *options,
                                                           bool nearest);
/** Registered method: reads NHS Digital's patients-registered-by-LSOA CSV
 *  now (PRACTICE_CODE, LSOA_CODE, NUMBER_OF_PATIENTS). Errors: IO, INVALID_INPUT.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_pcn_options_set_registered(pdef_context *ctx, pdef_pcn_options *options,
                                                     const char *path);
/** Population per footprint (may be NULL: none). The options keep it alive.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_pcn_options_set_population(pdef_context *ctx, pdef_pcn_options *options,
                                                     const pdef_population *population);

/** Draws PCN footprints from a point layer of practices, clipped to `clip`
 *  (a polygon layer); `blocks` (may be NULL for voronoi) are the building
 *  blocks of the block methods. `options` may be NULL (defaults). Every
 *  practice not used is reported as a problem. Free with pdef_pcn_destroy().
 *  Errors: INVALID_INPUT (missing column, no practice in the clip area, no
 *  blocks or registered patients for a method that needs them).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_pcn_create(pdef_context *ctx, const pdef_layer *practices, const pdef_layer *clip,
                                     const pdef_layer *blocks, const pdef_pcn_options *options, pdef_pcn **out);
/** NULL is ignored.
 *  @since 0.1.0 */
PDEF_API void pdef_pcn_destroy(pdef_pcn *pcn);
/** @since 0.1.0 */
PDEF_API pdef_status pdef_pcn_get_summary(pdef_context *ctx, const pdef_pcn *pcn, pdef_pcn_summary *summary);
/** Footprints sorted by PCN code.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_pcn_get_footprint(pdef_context *ctx, const pdef_pcn *pcn, size_t index,
                                            pdef_pcn_footprint *footprint);
/** A footprint as MULTIPOLYGON WKB, engine-allocated (pdef_free).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_pcn_get_footprint_wkb(pdef_context *ctx, const pdef_pcn *pcn, size_t index,
                                                unsigned char **wkb, size_t *size);
/** Every practice of the layer, in layer order, with its status.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_pcn_get_practice(pdef_context *ctx, const pdef_pcn *pcn, size_t index,
                                           pdef_practice *practice);
/** Block methods: how each block was assigned, by block code.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_pcn_get_block(pdef_context *ctx, const pdef_pcn *pcn, size_t index,
                                        pdef_block_assignment *block);
/** A PCN with located, allocated practices none of which lies in the clip area.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_pcn_get_pcn_outside(pdef_context *ctx, const pdef_pcn *pcn, size_t index,
                                              const char **code, const char **name);
/** The footprints as a polygon layer (code column pcn_code), for
 *  pdef_overlay(), pdef_report_create() and pdef_matrix_create(). Free with
 *  pdef_layer_destroy().
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_pcn_to_layer(pdef_context *ctx, const pdef_pcn *pcn, pdef_layer **out);
/** Writes a GeoPackage (or any OGR path) with layers pcn_footprints,
 *  practices and, for the block methods, blocks; or, for a .csv path, the
 *  footprints' table. Errors: OUTPUT.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_pcn_write(pdef_context *ctx, const pdef_pcn *pcn, const char *path);

/* ------------------------------------------------------ town footprints */

typedef struct pdef_graph pdef_graph;
typedef struct pdef_footprint_options pdef_footprint_options;
typedef struct pdef_footprints pdef_footprints;

typedef enum pdef_adjacency PDEF_ENUM_BASE {
    PDEF_ADJACENCY_QUEEN = 0, /**< blocks touch: boundaries within the snap distance anywhere */
    PDEF_ADJACENCY_ROOK = 1   /**< blocks share at least min_shared_length of boundary */
} pdef_adjacency;

typedef enum pdef_cluster_method PDEF_ENUM_BASE {
    PDEF_CLUSTER_SKATER = 0, /**< prune a minimum spanning tree (Assuncao et al. 2006) */
    PDEF_CLUSTER_REDCAP = 1, /**< full-order linkage tree, then as SKATER (Guo 2008) */
    PDEF_CLUSTER_MAXP = 2,   /**< most regions above a population floor (Duque et al. 2012) */
    PDEF_CLUSTER_AZP = 3,    /**< random contiguous start, local improvement (Openshaw 1977) */
    PDEF_CLUSTER_SEEDED = 4  /**< grow from named town centres, balancing population */
} pdef_cluster_method;

typedef enum pdef_linkage PDEF_ENUM_BASE { PDEF_LINKAGE_SINGLE = 0, PDEF_LINKAGE_AVERAGE = 1, PDEF_LINKAGE_COMPLETE = 2 } pdef_linkage;

typedef enum pdef_local_search PDEF_ENUM_BASE {
    PDEF_SEARCH_GREEDY = 0,
    PDEF_SEARCH_TABU = 1,
    PDEF_SEARCH_ANNEALING = 2
} pdef_local_search;

typedef enum pdef_nesting PDEF_ENUM_BASE {
    PDEF_NESTING_NONE = 0,
    PDEF_NESTING_WHOLE_UNITS = 1, /**< footprints are made of whole units of the nest layer */
    PDEF_NESTING_WITHIN_UNITS = 2 /**< footprints never cross the nest layer's boundaries */
} pdef_nesting;

/** A partner layer's part in the footprints' objective (@since 0.5.0). */
typedef enum pdef_partner_role PDEF_ENUM_BASE {
    PDEF_PARTNER_RESPECT = 0, /**< soft boundary: the people outside each footprint's main unit cost */
    PDEF_PARTNER_ALIGN = 1    /**< co-terminosity: the people outside each unit's main footprint cost */
} pdef_partner_role;

/** How footprints sit against a partner layer, in people over the blocks'
 *  units (each block in the unit holding most of its area) (@since 0.5.0). */
typedef struct pdef_partner_fit {
    const char *layer;          /**< the partner layer's name */
    double weight;
    double footprints_in_units; /**< share of the people in their footprint's main unit */
    double units_in_footprints; /**< share of the people in their unit's main footprint */
    size_t footprints;
    size_t footprints_across;   /**< footprints with more than 5 % of their people outside their main unit */
    size_t units;               /**< units holding people */
    size_t units_whole;         /**< of them, units with at least 99.5 % of their people in one footprint */
} pdef_partner_fit;

typedef struct pdef_graph_summary {
    size_t blocks;
    size_t edges;
    size_t components; /**< after any joining */
    size_t islands;    /**< blocks that had no neighbour before joining */
    size_t joined;     /**< links added to join separate components */
} pdef_graph_summary;

typedef struct pdef_footprints_summary {
    size_t regions;
    size_t blocks;
    double wss;            /**< within-region sum of squares (standardised attributes) */
    double tss;            /**< total sum of squares */
    bool has_metrics;      /**< false for footprints clustered on a graph alone */
    size_t non_contiguous; /**< footprints in more than one part (0 without metrics) */
    double min_population; /**< NaN without metrics (and the next) */
    double max_population;
    size_t groups;         /**< parts clustered separately (nesting within units) */
} pdef_footprints_summary;

typedef struct pdef_town_footprint {
    int32_t region;
    const char *name;      /**< the town (seeded growth); "" otherwise */
    size_t blocks;
    double population;
    double area_m2;
    double perimeter_m;
    bool contiguous_graph; /**< one connected part on the graph */
    size_t parts;          /**< polygons of the dissolved footprint */
    double polsby_popper;  /**< 4 pi A / P^2 */
    double hull_ratio;     /**< A / area of the convex hull */
    double wss;            /**< this footprint's share of the within sum of squares */
} pdef_town_footprint;

/** The contiguity graph of a polygon layer of blocks: queen or rook
 *  adjacency with boundaries within `snap` metres touching (independently
 *  generalised layers leave gaps of a few metres), rook needing
 *  `min_shared_length` metres of shared boundary; `join_islands` links each
 *  smaller component to the nearest block of another until one remains.
 *  Uses the context's threads. Free with pdef_graph_destroy(). Errors:
 *  BAD_OPTION (undefined adjacency, negative distances), INVALID_INPUT.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_graph_create(pdef_context *ctx, const pdef_layer *blocks, pdef_adjacency adjacency,
                                       double snap, double min_shared_length, bool join_islands, pdef_graph **out);
/** A graph over `count` blocks named by `codes` from `edge_count` undirected
 *  edges given as pairs of block indexes (edges[2i], edges[2i+1]); `lengths`
 *  (may be NULL) gives each edge's shared boundary length. Repeats and
 *  self-loops are dropped. Errors: INVALID_INPUT (an index >= count).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_graph_create_from_edges(pdef_context *ctx, size_t count, const char *const *codes,
                                                  size_t edge_count, const uint32_t *edges, const double *lengths,
                                                  pdef_graph **out);
/** NULL is ignored.
 *  @since 0.1.0 */
PDEF_API void pdef_graph_destroy(pdef_graph *graph);
/** @since 0.1.0 */
PDEF_API pdef_status pdef_graph_get_summary(pdef_context *ctx, const pdef_graph *graph, pdef_graph_summary *summary);
/** @since 0.1.0 */
PDEF_API pdef_status pdef_graph_get_code(pdef_context *ctx, const pdef_graph *graph, size_t block, const char **code);
/** Neighbours of a block: the count for pdef_graph_copy_neighbours().
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_graph_get_degree(pdef_context *ctx, const pdef_graph *graph, size_t block, size_t *degree);
/** The neighbours of a block, sorted, and (shared_lengths may be NULL) the
 *  boundary length shared with each (0 for corner contacts and joined links);
 *  buffer_size >= the degree.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_graph_copy_neighbours(pdef_context *ctx, const pdef_graph *graph, size_t block,
                                                uint32_t *neighbours, double *shared_lengths, size_t buffer_size);
/** The component of each block, numbered from 0 in block order (buffer_size >= blocks).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_graph_copy_components(pdef_context *ctx, const pdef_graph *graph, uint32_t *components,
                                                size_t buffer_size);
/** The blocks that had no neighbour (buffer_size >= islands).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_graph_copy_islands(pdef_context *ctx, const pdef_graph *graph, uint32_t *islands,
                                             size_t buffer_size);
/** The links added by join_islands as pairs a < b (buffer_size >= 2 x joined).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_graph_copy_joined(pdef_context *ctx, const pdef_graph *graph, uint32_t *pairs,
                                            size_t buffer_size);

/** "skater" | "redcap" | "maxp" | "azp" | "seeded"; INVALID_INPUT otherwise.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_cluster_method_from_string(pdef_context *ctx, const char *text,
                                                     pdef_cluster_method *method);
/** Static text; "unknown" for an undefined value.
 *  @since 0.1.0 */
PDEF_API const char *pdef_cluster_method_to_string(pdef_cluster_method method);
/** "single" | "average" | "complete"; INVALID_INPUT otherwise (the words every front end takes).
 *  @since 0.2.0 */
PDEF_API pdef_status pdef_linkage_from_string(pdef_context *ctx, const char *text, pdef_linkage *linkage);
/** "greedy" | "tabu" | "annealing"; INVALID_INPUT otherwise.
 *  @since 0.2.0 */
PDEF_API pdef_status pdef_local_search_from_string(pdef_context *ctx, const char *text, pdef_local_search *search);
/** "queen" | "rook"; INVALID_INPUT otherwise.
 *  @since 0.2.0 */
PDEF_API pdef_status pdef_adjacency_from_string(pdef_context *ctx, const char *text, pdef_adjacency *adjacency);

/** Options with the defaults of the command line: skater, seed 1, k 0, no
 *  population bounds, no attributes, rook adjacency with 5 m snap and 10 m
 *  shared length, islands reported, average linkage, annealing, no
 *  refinement, 100 max-p constructions, 10 AZP restarts, no rural
 *  footprints, the method's balance (0.5 for seeded growth, none for the
 *  others), no nesting. Free with pdef_footprint_options_destroy().
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_footprint_options_create(pdef_context *ctx, pdef_footprint_options **out);
/** NULL is ignored.
 *  @since 0.1.0 */
PDEF_API void pdef_footprint_options_destroy(pdef_footprint_options *options);
/** @since 0.1.0 */
PDEF_API pdef_status pdef_footprint_options_set_method(pdef_context *ctx, pdef_footprint_options *options,
                                                       pdef_cluster_method method);
/** Random seed: the same seed gives the same footprints whatever the thread count.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_footprint_options_set_seed(pdef_context *ctx, pdef_footprint_options *options,
                                                     uint64_t seed);
/** Number of footprints (0: the population floor decides, max-p).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_footprint_options_set_count(pdef_context *ctx, pdef_footprint_options *options, size_t k);
/** Instead of a count: the mean people per footprint, so that k = the blocks'
 *  total population / `mean_population`, rounded, at least 1 (0: not used,
 *  the default). Not with a count, with seeded growth or without the blocks'
 *  population (INVALID_INPUT when the footprints run). Errors: BAD_OPTION
 *  (not finite, or below 0).
 *  @since 0.6.0 */
PDEF_API pdef_status pdef_footprint_options_set_mean_population(pdef_context *ctx, pdef_footprint_options *options,
                                                                double mean_population);
/** Population floor and ceiling per footprint (min >= 0, max > min; INFINITY:
 *  no ceiling). They need the blocks' population.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_footprint_options_set_population_bounds(pdef_context *ctx, pdef_footprint_options *options,
                                                                  double min_population, double max_population);
/** The population of each block (count 0: none; then each block counts 1).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_footprint_options_set_population(pdef_context *ctx, pdef_footprint_options *options,
                                                           const double *values, size_t count);
/** Adds an attribute (one raw value per block; standardised and multiplied by
 *  `weight` >= 0 before clustering). Every method but seeded needs one.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_footprint_options_add_attribute(pdef_context *ctx, pdef_footprint_options *options,
                                                          const char *name, const double *values, size_t count,
                                                          double weight);
/** Adds a built-in attribute, made from the blocks as the command line's
 *  --attr makes it: "density" (the log of people per km² of block area; needs
 *  the population) or "position" (each block's point on surface, x and y:
 *  favours compact footprints), with `weight` >= 0. pdef_footprints_create
 *  makes it; pdef_footprints_create_from_graph refuses it (no geometry).
 *  Errors: BAD_OPTION (another name, a weight that is not finite or negative).
 *  @since 0.7.0 */
PDEF_API pdef_status pdef_footprint_options_add_builtin_attribute(pdef_context *ctx, pdef_footprint_options *options,
                                                                  const char *name, double weight);
/** Removes the attributes added so far (built-in ones too).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_footprint_options_clear_attributes(pdef_context *ctx, pdef_footprint_options *options);
/** The weight of the boundary term (0, the default: none; else 1e-100 to
 *  1e100): the local searches (azp, maxp, refine) add weight × blocks × the
 *  share of the blocks' shared boundary that runs between footprints, so that
 *  footprints keep blocks with long shared boundaries together. skater and
 *  redcap without refine, and seeded growth, refuse it when they run.
 *  Errors: BAD_OPTION (a weight that is not finite, negative, or outside
 *  those bounds).
 *  @since 0.5.0 */
PDEF_API pdef_status pdef_footprint_options_set_boundary(pdef_context *ctx, pdef_footprint_options *options,
                                                         double weight);
/** Seeded growth: the town centres (a point layer, see pdef_layer_open_places;
 *  NULL: none), the graph distance in metres beyond which blocks form rural
 *  footprints (INFINITY: none), at most `rural_footprints` of them (0: all;
 *  with PDEF_NESTING_WITHIN_UNITS, for the whole run), and the population
 *  balance in [0, 4] (0: nearest town; since 0.5.0 NAN: the method's
 *  default, as pdef_footprint_options_set_balance). The options keep the
 *  places alive.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_footprint_options_set_seeded(pdef_context *ctx, pdef_footprint_options *options,
                                                       const pdef_layer *places, double rural_distance,
                                                       size_t rural_footprints, double balance);
/** Population balance, for every method, in [0, 4]; NAN: the method's
 *  default (0.5 for seeded growth, 0 for the others; the default of new
 *  options). Seeded growth: 0 sends each block to the nearest town, higher
 *  values even out the towns' populations. The attribute methods, with k:
 *  each footprint holds the mean population (total / k) give or take
 *  1 / (2 x balance) of it, as an extra floor and ceiling (1: 50 % to 150 %
 *  of the mean); INVALID_INPUT from pdef_footprints_create without k.
 *  @since 0.5.0 */
PDEF_API pdef_status pdef_footprint_options_set_balance(pdef_context *ctx, pdef_footprint_options *options,
                                                        double balance);
/** Method details: redcap's linkage, AZP's local search, AZP refinement of any
 *  method's result, max-p constructions (>= 1) and AZP random starts (>= 1).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_footprint_options_set_search(pdef_context *ctx, pdef_footprint_options *options,
                                                       pdef_linkage linkage, pdef_local_search search, bool refine,
                                                       size_t construction_tries, size_t restarts);
/** The contiguity graph's settings (see pdef_graph_create).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_footprint_options_set_contiguity(pdef_context *ctx, pdef_footprint_options *options,
                                                           pdef_adjacency adjacency, double snap,
                                                           double min_shared_length, bool join_islands);
/** A nesting rule and the layer it refers to (NULL with PDEF_NESTING_NONE).
 *  The options keep the layer alive.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_footprint_options_set_nesting(pdef_context *ctx, pdef_footprint_options *options,
                                                        const pdef_layer *nest, pdef_nesting nesting);

/** An ensemble: `runs` clusterings (0: one run, no ensemble; else at least
 *  2) under seeds derived from the options' seed, run i by
 *  methods[i % method_count] (method_count 0: the options' method). The
 *  footprints are then the run closest to all the others (highest mean
 *  adjusted Rand index), and pdef_footprints_get_ensemble() tells how stable
 *  they are. Errors (at pdef_footprints_create): INVALID_INPUT for 1 run,
 *  seeded growth, or methods that do not depend on the seed alone (skater,
 *  redcap without refinement).
 *  @since 0.5.0 */
PDEF_API pdef_status pdef_footprint_options_set_ensemble(pdef_context *ctx, pdef_footprint_options *options, size_t runs,
                                                         const pdef_cluster_method *methods, size_t method_count);
/** Adds a partner layer to the objective of every method: with
 *  PDEF_PARTNER_RESPECT its lines are a soft boundary (each person outside
 *  a footprint's main unit costs), with PDEF_PARTNER_ALIGN its units are kept
 *  whole (each person outside a unit's main footprint costs). At weight 1
 *  putting 1 % of the people across the lines costs as much as 0.01 of
 *  WSS/TSS; the weight must be finite and above 0. Repeat for several
 *  layers. The options keep the layer alive. Needs blocks with geometry
 *  (pdef_footprints_create).
 *  @since 0.5.0 */
PDEF_API pdef_status pdef_footprint_options_add_partner(pdef_context *ctx, pdef_footprint_options *options,
                                                        const pdef_layer *layer, pdef_partner_role role, double weight);
/** Removes the partner layers added so far.
 *  @since 0.5.0 */
PDEF_API pdef_status pdef_footprint_options_clear_partners(pdef_context *ctx, pdef_footprint_options *options);

/** Town footprints: builds the blocks' contiguity graph, standardises the
 *  attributes, applies the nesting rule, clusters (context threads; the
 *  result does not depend on them) and dissolves and measures each
 *  footprint. Free with pdef_footprints_destroy(). Every footprint is
 *  contiguous and within the population floor and ceiling, whatever the
 *  method. Errors: INVALID_INPUT (a disconnected graph, k above the block
 *  count, a floor or ceiling no contiguous partition meets (the message
 *  names the bound), missing attributes or town centres, a town in no block).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_footprints_create(pdef_context *ctx, const pdef_layer *blocks,
                                            const pdef_footprint_options *options, pdef_footprints **out);
/** Clusters the blocks of a graph alone (no geometry: no metrics, shapes,
 *  seeded growth or nesting; INVALID_INPUT for those). The options'
 *  attributes and population have one value per graph block.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_footprints_create_from_graph(pdef_context *ctx, const pdef_graph *graph,
                                                       const pdef_footprint_options *options, pdef_footprints **out);
/** NULL is ignored.
 *  @since 0.1.0 */
PDEF_API void pdef_footprints_destroy(pdef_footprints *footprints);
/** @since 0.1.0 */
PDEF_API pdef_status pdef_footprints_get_summary(pdef_context *ctx, const pdef_footprints *footprints,
                                                 pdef_footprints_summary *summary);
/** The region (0 .. regions-1) of each block, in block order (buffer_size >= blocks).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_footprints_copy_regions(pdef_context *ctx, const pdef_footprints *footprints,
                                                  int32_t *regions, size_t buffer_size);
/** A footprint's metrics (footprints from a graph: NOT_AVAILABLE).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_footprints_get_footprint(pdef_context *ctx, const pdef_footprints *footprints,
                                                   size_t region, pdef_town_footprint *footprint);
/** A dissolved footprint as MULTIPOLYGON WKB, engine-allocated (pdef_free).
 *  Footprints from a graph: NOT_AVAILABLE.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_footprints_get_footprint_wkb(pdef_context *ctx, const pdef_footprints *footprints,
                                                       size_t region, unsigned char **wkb, size_t *size);
/** The number of partner layers of a role the footprints were drawn with.
 *  @since 0.5.0 */
PDEF_API pdef_status pdef_footprints_get_partner_count(pdef_context *ctx, const pdef_footprints *footprints,
                                                       pdef_partner_role role, size_t *count);
/** How the footprints sit against the index-th partner layer of a role
 *  (pointers valid while the footprints live).
 *  @since 0.5.0 */
PDEF_API pdef_status pdef_footprints_get_partner_fit(pdef_context *ctx, const pdef_footprints *footprints,
                                                     pdef_partner_role role, size_t index, pdef_partner_fit *fit);
/** With nesting: the nest unit holding most of a block (else NOT_AVAILABLE).
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_footprints_get_parent(pdef_context *ctx, const pdef_footprints *footprints, size_t block,
                                                const char **parent);
/** What a reader must be told about the run, one sentence per note: under
 *  PDEF_NESTING_WITHIN_UNITS, a unit (or a detached part of one) that holds
 *  no town is a rural footprint of its own, perhaps beyond the rural
 *  footprints asked for. The note is borrowed from the footprints.
 *  @since 0.5.0 */
PDEF_API pdef_status pdef_footprints_get_note_count(pdef_context *ctx, const pdef_footprints *footprints, size_t *count);
/** @since 0.5.0 */
PDEF_API pdef_status pdef_footprints_get_note(pdef_context *ctx, const pdef_footprints *footprints, size_t index,
                                              const char **note);
/** A copy of the graph the footprints were clustered on. Free with pdef_graph_destroy().
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_footprints_get_graph(pdef_context *ctx, const pdef_footprints *footprints,
                                               pdef_graph **out);
/** The footprints as a polygon layer (codes F01, F02, ...; attribute name),
 *  for pdef_overlay(), pdef_report_create() and pdef_matrix_create(). Free
 *  with pdef_layer_destroy(). Footprints from a graph: NOT_AVAILABLE.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_footprints_to_layer(pdef_context *ctx, const pdef_footprints *footprints, pdef_layer **out);
/** Writes a GeoPackage (or any OGR path) with layers footprints (dissolved,
 *  with their metrics) and membership, or for a .csv path the metrics table.
 *  From an ensemble, membership gains stability and unstable, the
 *  GeoPackage a boundary_frequency line layer, and a .csv path F.csv the
 *  tables F_membership.csv and F_boundary_frequency.csv.
 *  Errors: OUTPUT; NOT_AVAILABLE for footprints from a graph.
 *  @since 0.1.0 */
PDEF_API pdef_status pdef_footprints_write(pdef_context *ctx, const pdef_footprints *footprints, const char *path);

/** What an ensemble says about its consensus footprints. */
typedef struct pdef_ensemble_summary {
    size_t runs;                /**< 0: the footprints come from one run */
    size_t consensus_run;       /**< 0-based: the run whose footprints these are */
    double consensus_mean_ari;  /**< its mean adjusted Rand index with the other runs */
    size_t unstable_blocks;     /**< blocks whose stability is below unstable_below */
    double unstable_population; /**< their people (blocks without a population count 1) */
    double unstable_below;      /**< the threshold: 0.6 */
    size_t edges;               /**< graph edges, for pdef_footprints_copy_boundary_frequency() */
} pdef_ensemble_summary;

/** The ensemble's summary; runs 0 for footprints from one run.
 *  @since 0.5.0 */
PDEF_API pdef_status pdef_footprints_get_ensemble(pdef_context *ctx, const pdef_footprints *footprints,
                                                  pdef_ensemble_summary *summary);
/** Each block's stability, in block order (buffer_size >= blocks): the share
 *  of runs in which it lies in its footprint's core, the part of the
 *  footprint in the run's region that it and the footprint are each other's
 *  largest overlap by people. NOT_AVAILABLE without an ensemble.
 *  @since 0.5.0 */
PDEF_API pdef_status pdef_footprints_copy_stability(pdef_context *ctx, const pdef_footprints *footprints,
                                                    double *stability, size_t buffer_size);
/** Each edge of the graph as a pair of blocks a < b (`pairs`, 2 x edges; may
 *  be NULL) and the share of runs in which it was a footprint boundary
 *  (`frequency`, edges; may be NULL); buffer_size >= edges. NOT_AVAILABLE
 *  without an ensemble.
 *  @since 0.5.0 */
PDEF_API pdef_status pdef_footprints_copy_boundary_frequency(pdef_context *ctx, const pdef_footprints *footprints,
                                                             uint32_t *pairs, double *frequency, size_t buffer_size);

/* -------------------------------------------------- proposals compared */

typedef struct pdef_comparison pdef_comparison;

/** One proposal for the area's places: a polygon layer (each block in the
 *  place holding half its area or more), or a CSV lookup of blocks and
 *  places built into polygons from the blocks. */
typedef struct pdef_proposal {
    const char *name;         /**< NULL or "": the layer's name, or the lookup's file name */
    const pdef_layer *layer;  /**< the places, or NULL for a lookup */
    const char *lookup;       /**< CSV path, when layer is NULL */
} pdef_proposal;

/** How a comparison reads lookups, its target and deprivation; fill with
 *  pdef_compare_options_init(). */
typedef struct pdef_compare_options {
    const char *key;           /**< lookups: the key column; NULL: the one matching the most blocks */
    const char *place_column;  /**< lookups: the place column; NULL: "area" (a "name" column names places) */
    const char *block_column;  /**< lookups: the blocks' attribute the keys match; NULL: the block codes */
    double min_population;     /**< target range of each place's people: 0 ... */
    double max_population;     /**< ... and INFINITY: no target */
    const pdef_layer *deprivation_units;  /**< e.g. LSOAs; NULL: no deprivation */
    const char *deprivation_table;        /**< CSV of a rank (1 = most deprived) or score, and national deciles */
    const char *deprivation_column;       /**< its rank or score column (the decile column beside a rank is found) */
} pdef_compare_options;

/** No target, no deprivation, lookups read by their "area" column.
 *  @since 0.6.0 */
PDEF_API void pdef_compare_options_init(pdef_compare_options *options);

/** Proposals side by side (the rule of `placedef compare`): each scored
 *  against each partner layer with the context's scoring options (and
 *  boundary alignment), its balance, deprivation and shapes, and the changes
 *  between each pair of proposals. `population` is required (on the blocks or
 *  another layer, apportioned). Free with pdef_comparison_destroy().
 *  Errors: NULL_ARGUMENT; INVALID_INPUT (no proposal or partner, a lookup
 *  without its place column, no block in a proposal's places); IO.
 *  @since 0.6.0 */
PDEF_API pdef_status pdef_compare(pdef_context *ctx, const pdef_layer *blocks, const pdef_population *population,
                                  const pdef_proposal *proposals, size_t proposal_count,
                                  const pdef_layer *const *partners, size_t partner_count,
                                  const pdef_compare_options *options, pdef_comparison **out);
/** @since 0.6.0 */
PDEF_API void pdef_comparison_destroy(pdef_comparison *comparison);

/** A proposal's summary. NaN marks what was not measured (deprivation). */
typedef struct pdef_proposal_summary {
    const char *name;
    size_t places;
    double people_min, people_max;
    double people_ratio;  /**< largest over smallest (NaN when a place has nobody) */
    double people_cv;     /**< coefficient of variation */
    bool target;          /**< a target range was given */
    size_t below, above;  /**< places outside it */
    double deprived_min, deprived_max;  /**< share of people in deciles 1-2, lowest and highest place */
} pdef_proposal_summary;

/** A proposal against one partner layer (A: its places, B: the partner's units). */
typedef struct pdef_proposal_fit {
    const char *proposal, *partner;
    size_t partner_units;          /**< scored (inside the proposal's area) */
    size_t split_units;            /**< not lying wholly in one place */
    double people_in_split_units;  /**< their people inside the places */
    double people_outside_main;    /**< of them, outside their unit's main place */
    double units_in_places, units_in_places_by_people;  /**< co-terminosity index of the partner in the places */
    double places_in_units, places_in_units_by_people;  /**< and of the places in the partner */
    double place_lines_aligned;    /**< share of the places' inner lines on the partner's lines */
    double partner_lines_aligned;  /**< share of the partner's inner lines on the places' */
} pdef_proposal_fit;

/** A place of a proposal. */
typedef struct pdef_proposal_place {
    const char *code, *name;
    size_t blocks;
    double people, area_m2;
    size_t parts;
    double polsby_popper, hull_ratio;
    double people_deciles_1_2, share_deciles_1_2;  /**< NaN without deprivation */
} pdef_proposal_place;

/** Blocks of one place of a proposal that lie in another place under a later one. */
typedef struct pdef_place_move {
    size_t from_proposal, to_proposal;
    const char *from_place, *from_name, *to_place, *to_name;
    size_t blocks;
    double people;
} pdef_place_move;

/** A partner unit that sits differently in two proposals. */
typedef struct pdef_partner_change {
    size_t from_proposal, to_proposal, partner;
    const char *code, *name;
    const char *before, *after;  /**< "whole", "split" or "outside" */
} pdef_partner_change;

/** Counts: proposals, partners, moves and partner changes (any may be NULL).
 *  @since 0.6.0 */
PDEF_API pdef_status pdef_comparison_get_counts(pdef_context *ctx, const pdef_comparison *comparison, size_t *proposals,
                                                size_t *partners, size_t *moves, size_t *partner_changes);
/** @since 0.6.0 */
PDEF_API pdef_status pdef_comparison_get_proposal(pdef_context *ctx, const pdef_comparison *comparison, size_t index,
                                                  pdef_proposal_summary *summary);
/** @since 0.6.0 */
PDEF_API pdef_status pdef_comparison_get_fit(pdef_context *ctx, const pdef_comparison *comparison, size_t proposal,
                                             size_t partner, pdef_proposal_fit *fit);
/** Place `index` of a proposal (0 .. its summary's places - 1).
 *  @since 0.6.0 */
PDEF_API pdef_status pdef_comparison_get_place(pdef_context *ctx, const pdef_comparison *comparison, size_t proposal,
                                               size_t index, pdef_proposal_place *place);
/** @since 0.6.0 */
PDEF_API pdef_status pdef_comparison_get_move(pdef_context *ctx, const pdef_comparison *comparison, size_t index,
                                              pdef_place_move *move);
/** @since 0.6.0 */
PDEF_API pdef_status pdef_comparison_get_partner_change(pdef_context *ctx, const pdef_comparison *comparison,
                                                        size_t index, pdef_partner_change *change);
/** Writes what `placedef compare -o PATH` writes: a .csv path the scorecard
 *  S.csv with S_proposals.csv, S_places.csv, S_moves.csv and
 *  S_partner_changes.csv beside it; any other path a GeoPackage with a layer
 *  per proposal, the differences and those tables. Errors: OUTPUT.
 *  @since 0.6.0 */
PDEF_API pdef_status pdef_comparison_write(pdef_context *ctx, const pdef_comparison *comparison, const char *path);

/* ------------------------------------- functional areas from commuting flows */

typedef struct pdef_functional_areas pdef_functional_areas;

/** How pdef_flows() reads its table and which rule the areas meet; fill with
 *  pdef_flows_options_init(). A value of 0 for a size or a self-containment
 *  takes the preset's. */
typedef struct pdef_flows_options {
    const char *residence_column;  /**< NULL or "": the table's first column */
    const char *workplace_column;  /**< NULL or "": its second */
    const char *count_column;      /**< NULL or "": its third */
    const char *rules;             /**< "ttwa2011" (NULL: it) or "istat" */
    double min_size;               /**< fewest residents in work an area may have */
    double target_size;            /**< residents in work from which min_containment is enough */
    double min_containment;        /**< self-containment enough for an area of the target size */
    double target_containment;     /**< self-containment an area of the minimum size needs */
    /** NULL or "": the rules' (ttwa2011: "whole_area", the least valid area dissolved whole;
     *  istat: "one_unit", one unit leaves it at a time) */
    const char *regrouping;
    pdef_adjacency adjacency;      /**< which units touch: PDEF_ADJACENCY_QUEEN */
    double snap;                   /**< metres within which boundaries touch: 5 */
    double min_shared_length;      /**< rook: metres of shared boundary: 10 */
    /** NULL or "": none; else another partition of the same units to measure
     *  agreement with (`--agree-with`): a CSV of unit code (first column) and
     *  area (the column "area", else the second); see
     *  pdef_functional_areas_get_agreement(). */
    const char *agree_with;
} pdef_flows_options;

/** The defaults of `placedef flows`: the table's first three columns, the
 *  ttwa2011 rules unchanged (their values and regrouping), queen adjacency,
 *  5 m snap, 10 m shared length.
 *  @since 0.8.0 */
PDEF_API void pdef_flows_options_init(pdef_flows_options *options);

/** Functional areas (travel-to-work areas) from commuting flows (the rule of
 *  `placedef flows`): reads the CSV `flows_csv`, a row per pair of units of
 *  `units` (residence, workplace, people), builds the units' contiguity
 *  graph (a unit with no neighbour linked to the unit its people work in
 *  most) and groups the units into contiguous areas that meet the rules'
 *  size and self-containment (docs/methods/functional-areas.md). A code not
 *  among the units, a count that is not a number or is negative, and a
 *  repeated pair are problems (pdef_context_get_problem()), skipped and
 *  counted. `options` may be NULL (the defaults). Progress goes to the
 *  context's callback. Free with pdef_functional_areas_destroy().
 *  Errors: NULL_ARGUMENT; BAD_OPTION (undefined adjacency, negative
 *  distances); INVALID_INPUT (unknown rules or regrouping, rules out of order, a column
 *  that is not in the table); IO (a table that cannot be read).
 *  @since 0.8.0 */
PDEF_API pdef_status pdef_flows(pdef_context *ctx, const pdef_layer *units, const char *flows_csv,
                                const pdef_flows_options *options, pdef_functional_areas **out);
/** NULL is ignored.
 *  @since 0.8.0 */
PDEF_API void pdef_functional_areas_destroy(pdef_functional_areas *areas);

/** What a run of pdef_flows() made. */
typedef struct pdef_functional_areas_summary {
    size_t units;          /**< of the units layer */
    size_t areas;
    size_t invalid;        /**< areas that do not meet the rule */
    size_t reserved;       /**< units set aside and placed at the end (pdef_functional_areas_get_reserved()) */
    size_t without_flows;  /**< units nobody lives or works in, placed as the reserve is */
    size_t island_links;   /**< links of a unit with no neighbour to where its people work */
    size_t dissolved;      /**< areas dissolved on the way */
    size_t flows;          /**< rows of the table used */
    double commuters;      /**< their people, those working where they live included */
} pdef_functional_areas_summary;

/** One functional area, named after the unit with the most jobs in it. */
typedef struct pdef_functional_area {
    const char *code, *name;    /**< that unit's code and name */
    size_t units;
    double residents;           /**< residents in work: flows from its units */
    double jobs;                /**< flows to its units */
    double internal;            /**< flows from its units to its units */
    double supply_containment;  /**< internal / residents */
    double demand_containment;  /**< internal / jobs */
    double validity;            /**< 1 or more when it meets the rule; below 1, how far it falls short */
    bool valid;
} pdef_functional_area;

/** @since 0.8.0 */
PDEF_API pdef_status pdef_functional_areas_get_summary(pdef_context *ctx, const pdef_functional_areas *areas,
                                                       pdef_functional_areas_summary *summary);
/** Area `index` (0 .. areas - 1), in the order of the areas' first units.
 *  @since 0.8.0 */
PDEF_API pdef_status pdef_functional_areas_get_area(pdef_context *ctx, const pdef_functional_areas *areas,
                                                    size_t index, pdef_functional_area *area);
/** An area's polygon (its units dissolved) as MULTIPOLYGON WKB, engine-allocated (pdef_free).
 *  @since 0.8.0 */
PDEF_API pdef_status pdef_functional_areas_get_area_wkb(pdef_context *ctx, const pdef_functional_areas *areas,
                                                        size_t index, unsigned char **wkb, size_t *size);
/** The area (0 .. areas - 1) of each unit, in the units' order (buffer_size >= units).
 *  @since 0.8.0 */
PDEF_API pdef_status pdef_functional_areas_copy_membership(pdef_context *ctx, const pdef_functional_areas *areas,
                                                           int32_t *area_of, size_t buffer_size);
/** Reserved unit `index` (0 .. reserved - 1), in the order they were set
 *  aside: the unit (an index into the units layer) and the area it was placed
 *  in at the end (-1: it touched none).
 *  @since 0.8.0 */
PDEF_API pdef_status pdef_functional_areas_get_reserved(pdef_context *ctx, const pdef_functional_areas *areas,
                                                        size_t index, size_t *unit, int32_t *area);
/** Island link `index` (0 .. island_links - 1): two units a < b (indexes
 *  into the units layer) linked because one of them has no neighbour and
 *  sends most of its commuters to the other (with none sent, receives most
 *  from it).
 *  @since 0.8.0 */
PDEF_API pdef_status pdef_functional_areas_get_island_link(pdef_context *ctx, const pdef_functional_areas *areas,
                                                           size_t index, size_t *a, size_t *b);
/** How far the areas agree with options->agree_with, over the units in both
 *  (as `placedef flows --agree-with` prints it). */
typedef struct pdef_partition_agreement {
    size_t units;            /**< units in both partitions */
    size_t areas;            /**< ours among them */
    size_t other_areas;      /**< the other partition's */
    double adjusted_rand;    /**< 1: the same partition; about 0: chance */
    size_t matched_areas;    /**< pairs of areas that are each other's largest overlap */
    size_t identical_areas;  /**< matched, with the same units */
    size_t units_matched;    /**< units in the overlap of a matched pair */
} pdef_partition_agreement;

/** The agreement with options->agree_with; `*measured` is false (and
 *  `*agreement` untouched) when no agree_with was given.
 *  @since 0.8.0 */
PDEF_API pdef_status pdef_functional_areas_get_agreement(pdef_context *ctx, const pdef_functional_areas *areas,
                                                         pdef_partition_agreement *agreement, bool *measured);
/** The people who cross the edge of the units: `*working_outside` residents
 *  of the units who work beyond them and `*coming_in` jobs in the units
 *  filled from beyond (rows of the table with one code that is not a unit).
 *  Both count in the areas' residents in work and jobs, so in their
 *  self-containment.
 *  @since 0.9.0 */
PDEF_API pdef_status pdef_functional_areas_get_outside(pdef_context *ctx, const pdef_functional_areas *areas,
                                                       double *working_outside, double *coming_in);
/** The areas as a polygon layer (code and name of each area's main
 *  workplace), for pdef_overlay(), pdef_report_create() and
 *  pdef_matrix_create(). Free with pdef_layer_destroy().
 *  @since 0.8.0 */
PDEF_API pdef_status pdef_functional_areas_to_layer(pdef_context *ctx, const pdef_functional_areas *areas,
                                                    pdef_layer **out);
/** Writes what `placedef flows -o PATH` writes: a .csv path A.csv the areas
 *  with A_membership.csv beside it (unit by unit: its area and how it was
 *  placed), a map path (.png, .svg, .pdf) a map of the areas, any other path
 *  a GeoPackage with the layer areas and the table membership. Errors: OUTPUT
 *  (among them a path that would replace an input).
 *  @since 0.8.0 */
PDEF_API pdef_status pdef_functional_areas_write(pdef_context *ctx, const pdef_functional_areas *areas,
                                                 const char *path);

#ifdef __cplusplus
}
#endif

#endif /* PDEF_C_H */
