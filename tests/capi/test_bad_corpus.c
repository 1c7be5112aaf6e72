/* The bad-input corpus (tests/data/bad, issue 9) through the C API: each row
 * of EXPECTED.tsv whose c_api column names a call is run here and must give
 * its status, with a message naming the input, or its feature and problem
 * counts. Every problem must say where it was found. Also a polygon of
 * 1,000,000 vertices given as WKB. The command-line half is
 * tests/integration/test_bad_corpus.cpp. */
#include "check.h"
#include "wkb.h"

#define LINE_SIZE 4096
#define PATH_SIZE 2048
#define MAX_WORDS 16

/* text with FILE (the row's input), BAD (the corpus folder) and SRC (the
 * source tree) replaced, into out. */
static void substitute(const char *text, const char *root, const char *input, char *out, size_t size) {
    size_t used = 0;
    out[0] = '\0';
    while (*text && used + 1 < size) {
        char value[PATH_SIZE];
        size_t skip = 0;
        if (strncmp(text, "FILE", 4) == 0) {
            snprintf(value, sizeof value, "%s/tests/data/bad/%s", root, input);
            skip = 4;
        } else if (strncmp(text, "BAD", 3) == 0) {
            snprintf(value, sizeof value, "%s/tests/data/bad", root);
            skip = 3;
        } else if (strncmp(text, "SRC", 3) == 0) {
            snprintf(value, sizeof value, "%s", root);
            skip = 3;
        }
        if (skip) {
            snprintf(out + used, size - used, "%s", value);
            used += strlen(out + used);
            text += skip;
        } else {
            out[used++] = *text++;
            out[used] = '\0';
        }
    }
}

/* Splits text in place at each separator; returns the number of parts. */
static int split(char *text, const char *separator, char **parts, int max_parts) {
    int count = 0;
    const size_t length = strlen(separator);
    while (count < max_parts) {
        char *at = strstr(text, separator);
        parts[count++] = text;
        if (!at) break;
        *at = '\0';
        text = at + length;
    }
    return count;
}

static pdef_status status_named(const char *name) {
    if (strcmp(name, "IO") == 0) return PDEF_ERROR_IO;
    if (strcmp(name, "INVALID_INPUT") == 0) return PDEF_ERROR_INVALID_INPUT;
    if (strcmp(name, "OK") == 0) return PDEF_OK;
    return PDEF_ERROR;
}

/* Every problem the context holds names its file, layer or table, and place. */
static void check_problems_named(pdef_context *ctx, int line) {
    size_t count = 0, i;
    CHECK_OK(ctx, pdef_context_get_problem_count(ctx, &count));
    for (i = 0; i < count; ++i) {
        pdef_problem problem;
        CHECK_OK(ctx, pdef_context_get_problem(ctx, i, &problem));
        if (problem.file[0] == '\0' || !problem.has_fid || problem.kind[0] == '\0' || problem.action[0] == '\0') {
            fprintf(stderr, "EXPECTED.tsv line %d: a problem that does not say where: %s\n", line, problem.description);
            CHECK(0);
        }
    }
}

/* The OK result's words: features=N, problems=N, code=X, total=N. */
static void check_ok_result(pdef_context *ctx, int line, char **words, int count, const pdef_layer *layer,
                            const pdef_population *population, size_t problems) {
    int i;
    for (i = 1; i < count; ++i) {
        const char *word = words[i];
        int ok = 1;
        if (strncmp(word, "features=", 9) == 0) {
            size_t features = 0;
            CHECK_OK(ctx, pdef_layer_get_count(ctx, layer, &features));
            ok = features == (size_t)strtoul(word + 9, NULL, 10);
        } else if (strncmp(word, "problems=", 9) == 0) {
            ok = problems == (size_t)strtoul(word + 9, NULL, 10);
        } else if (strncmp(word, "code=", 5) == 0) {
            size_t index = 0;
            bool found = false;
            CHECK_OK(ctx, pdef_layer_find(ctx, layer, word + 5, &index, &found));
            ok = found;
        } else if (strncmp(word, "total=", 6) == 0) {
            size_t units = 0, u;
            double values[64], total = 0;
            CHECK_OK(ctx, pdef_layer_get_count(ctx, layer, &units));
            ok = population && units <= 64 &&
                 pdef_population_copy_values(ctx, population, values, sizeof values / sizeof values[0]) == PDEF_OK;
            for (u = 0; ok && u < units; ++u) total += values[u];
            ok = ok && fabs(total - strtod(word + 6, NULL)) < 1e-9;
        } else {
            ok = 0;
        }
        if (!ok) fprintf(stderr, "EXPECTED.tsv line %d: %s does not hold\n", line, word);
        CHECK(ok);
    }
}

/* One manifest row through pdef_layer_open or pdef_population_create. */
static void run_row(const char *root, int line, char **cells) {
    const char *input = cells[0];
    char call[LINE_SIZE], result[LINE_SIZE], message[LINE_SIZE], text[LINE_SIZE];
    char *words[MAX_WORDS] = {NULL}, *results[MAX_WORDS] = {NULL}, *texts[MAX_WORDS] = {NULL};
    int word_count, result_count, text_count, i;
    pdef_context *ctx = NULL;
    pdef_layer *layer = NULL;
    pdef_population *population = NULL;
    pdef_status status, expected;
    size_t problems = 0;

    substitute(cells[4], root, input, call, sizeof call);
    word_count = split(call, " ", words, MAX_WORDS);
    snprintf(result, sizeof result, "%s", cells[5]);
    result_count = split(result, " ", results, MAX_WORDS);
    expected = status_named(results[0]);
    if (pdef_context_create(&ctx) != PDEF_OK) {
        CHECK(0);
        return;
    }
    for (i = 2; i + 1 < word_count; i += 2) {
        if (strcmp(words[i], "--assume-crs") == 0) {
            CHECK_OK(ctx, pdef_context_set_assume_crs(ctx, words[i + 1]));
        } else if (strcmp(words[i], "--invalid") == 0) {
            pdef_invalid_policy policy = PDEF_INVALID_REPAIR;
            CHECK_OK(ctx, pdef_invalid_policy_from_string(ctx, words[i + 1], &policy));
            CHECK_OK(ctx, pdef_context_set_invalid_policy(ctx, policy));
        }
    }
    if (strcmp(words[0], "open") == 0 && word_count >= 2) {
        status = pdef_layer_open(ctx, words[1], PDEF_LAYER_POLYGON, &layer);
        if (status == PDEF_OK) CHECK_OK(ctx, pdef_layer_get_problem_count(ctx, layer, &problems));
    } else if (strcmp(words[0], "population") == 0 && word_count == 3) {
        char table[PATH_SIZE];
        substitute("FILE", root, input, table, sizeof table);
        CHECK_OK(ctx, pdef_layer_open(ctx, words[1], PDEF_LAYER_POLYGON, &layer));
        CHECK_OK(ctx, pdef_context_clear_problems(ctx));
        status = layer ? pdef_population_create(ctx, layer, table, NULL, words[2], &population) : PDEF_ERROR;
        /* (a call with the context would replace the message of a failure) */
        if (status == PDEF_OK) CHECK_OK(ctx, pdef_context_get_problem_count(ctx, &problems));
    } else {
        fprintf(stderr, "EXPECTED.tsv line %d: unknown C API call '%s'\n", line, cells[4]);
        status = PDEF_ERROR;
    }

    if (status != expected) {
        fprintf(stderr, "EXPECTED.tsv line %d: %s on %s gave status %d (%s), expected %s; message: %s\n", line,
                words[0], input, (int)status, pdef_status_string(status), results[0], pdef_context_last_error(ctx));
        CHECK(0);
    } else if (status == PDEF_OK) {
        check_ok_result(ctx, line, results, result_count, layer, population, problems);
        check_problems_named(ctx, line);
    } else {
        /* The message names the input and what is wrong with it, as the command line does. */
        snprintf(message, sizeof message, "%s", cells[3]);
        text_count = split(message, " | ", texts, MAX_WORDS);
        for (i = 0; i < text_count; ++i) {
            if (texts[i][0] == '!') continue;
            substitute(texts[i], root, input, text, sizeof text);
            if (!strstr(pdef_context_last_error(ctx), text)) {
                fprintf(stderr, "EXPECTED.tsv line %d: the message does not say \"%s\": %s\n", line, text,
                        pdef_context_last_error(ctx));
                CHECK(0);
            }
        }
        CHECK(population == NULL); /* out-parameters stay untouched on failure */
        if (strcmp(words[0], "open") == 0) CHECK(layer == NULL);
    }
    pdef_population_destroy(population);
    pdef_layer_destroy(layer);
    pdef_context_destroy(ctx);
}

static void check_manifest(const char *root) {
    char path[PATH_SIZE], line[LINE_SIZE];
    int number = 0, rows = 0, header_seen = 0;
    FILE *manifest;
    snprintf(path, sizeof path, "%s/tests/data/bad/EXPECTED.tsv", root);
    manifest = fopen(path, "r");
    CHECK(manifest != NULL);
    if (!manifest) return;
    while (fgets(line, sizeof line, manifest)) {
        char *cells[8];
        size_t length = strlen(line);
        ++number;
        if (length && line[length - 1] == '\n') line[--length] = '\0';
        if (length == 0 || line[0] == '#') continue;
        if (!header_seen) { /* the column names */
            header_seen = 1;
            continue;
        }
        if (split(line, "\t", cells, 8) != 6) {
            fprintf(stderr, "EXPECTED.tsv line %d: not 6 cells\n", number);
            CHECK(0);
            continue;
        }
        if (strcmp(cells[4], "-") == 0) continue;
        run_row(root, number, cells);
        ++rows;
    }
    fclose(manifest);
    CHECK(rows >= 30);
}

/* A star of 1,000,000 vertices given as WKB: kept whole, its area right. */
static void check_million_vertices(void) {
    const uint32_t n = 1000000;
    const double pi = 3.14159265358979323846;
    double *xy = malloc(16 * (size_t)(n + 1));
    unsigned char *wkb = malloc(16 * (size_t)(n + 1) + 64);
    const char *codes[1] = {"BIG1"};
    const unsigned char *geometries[1];
    size_t sizes[1], vertices = 0;
    double area = 0, expected = 0;
    pdef_context *ctx = NULL;
    pdef_layer *layer = NULL;
    uint32_t i;
    if (!xy || !wkb || pdef_context_create(&ctx) != PDEF_OK) {
        CHECK(0);
        free(xy);
        free(wkb);
        return;
    }
    for (i = 0; i < n; ++i) {
        const double angle = 2 * pi * i / n, radius = 1000.0 + 50.0 * sin(40 * angle);
        xy[2 * i] = 500000.0 + radius * cos(angle);
        xy[2 * i + 1] = 150000.0 + radius * sin(angle);
    }
    xy[2 * n] = xy[0];
    xy[2 * n + 1] = xy[1];
    /* r(a) = 1000 + 50 sin(40 a): area = pi (1000^2 + 50^2 / 2) */
    expected = pi * (1000.0 * 1000.0 + 50.0 * 50.0 / 2);
    sizes[0] = wkb_polygon(wkb, xy, n + 1);
    geometries[0] = wkb;
    CHECK_OK(ctx, pdef_layer_create_from_wkb(ctx, "million", "EPSG:27700", PDEF_LAYER_POLYGON, 1, codes, geometries,
                                             sizes, &layer));
    if (layer) {
        CHECK_OK(ctx, pdef_layer_get_vertex_count(ctx, layer, 0, &vertices));
        CHECK(vertices == n);
        CHECK_OK(ctx, pdef_layer_get_area(ctx, layer, 0, &area));
        CHECK_NEAR(area, expected, expected * 1e-6);
        CHECK_OK(ctx, pdef_layer_get_problem_count(ctx, layer, &vertices));
        CHECK(vertices == 0);
    }
    pdef_layer_destroy(layer);
    pdef_context_destroy(ctx);
    free(xy);
    free(wkb);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: test_bad_corpus SOURCE_DIR\n");
        return 2;
    }
    check_manifest(argv[1]);
    check_million_vertices();
    return finish("test_bad_corpus");
}
