// Co-terminosity: alignment reports, best-fit lookups and the matrix.
#include "api/detail/handles.hpp"

#include "placedef/geometry.hpp"

using namespace placedef;
using namespace placedef::detail::capi;

namespace {

void check_side(pdef_side side) {
    check_option(side == PDEF_SIDE_A || side == PDEF_SIDE_B, "side must be PDEF_SIDE_A or PDEF_SIDE_B");
}

const std::vector<UnitRelation>& units_of(const AlignmentReport& report, pdef_side side) {
    check_side(side);
    return side == PDEF_SIDE_A ? report.a_units : report.b_units;
}

pdef_layer_score score_of(const LayerScore& score) {
    pdef_layer_score out{};
    out.layer = score.layer.c_str();
    out.other = score.other.c_str();
    out.units = score.units;
    out.scored = score.scored;
    for (std::size_t i = 0; i < relation_count; ++i) out.counts[i] = score.counts[i];
    out.coterminosity_index = score.coterminosity_index;
    out.coterminosity_index_pop = score.coterminosity_index_pop;
    out.nesting_rate = score.nesting_rate;
    out.coterminous_rate = score.coterminous_rate;
    out.boundary_alignment = score.boundary_alignment;
    return out;
}

/// Whether `layer` is the one a table side was made from (same codes, same order).
bool is_side_of(const Layer& layer, const std::vector<std::string>& codes) {
    if (layer.size() != codes.size()) return false;
    for (std::size_t i = 0; i < codes.size(); ++i)
        if (layer.features[i].code != codes[i]) return false;
    return true;
}

BestFitMethod best_fit_method(pdef_best_fit_method method) {
    check_option(method >= PDEF_BEST_FIT_AREA && method <= PDEF_BEST_FIT_POPULATION,
                 "the best-fit method " + std::to_string(static_cast<int>(method)) + " is not a pdef_best_fit_method");
    return static_cast<BestFitMethod>(method);
}

}  // namespace

static_assert(relation_count == PDEF_RELATION_COUNT, "pdef_relation mirrors placedef::Relation");
static_assert(static_cast<int>(Relation::outside) == PDEF_RELATION_OUTSIDE &&
                  static_cast<int>(Relation::split) == PDEF_RELATION_SPLIT,
              "pdef_relation mirrors placedef::Relation");
static_assert(static_cast<int>(BestFitMethod::population) == PDEF_BEST_FIT_POPULATION &&
                  static_cast<int>(BestFitMethod::centroid) == PDEF_BEST_FIT_CENTROID,
              "pdef_best_fit_method mirrors placedef::BestFitMethod");

extern "C" {

const char* pdef_relation_to_string(pdef_relation relation) {
    if (relation < PDEF_RELATION_COTERMINOUS || relation > PDEF_RELATION_OUTSIDE) return "unknown";
    return to_string(static_cast<Relation>(relation));
}

pdef_status pdef_report_create(pdef_context* ctx, const pdef_table* table, const pdef_layer* a, const pdef_layer* b,
                               pdef_report** out) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        const IntersectionTable& t = use(table, "table").table;
        require(out, "out");
        if (a || b) {
            const char* missing = a ? "b" : "a";
            if (!a || !b)
                throw Misuse(PDEF_ERROR_NULL_ARGUMENT, std::string("argument '") + missing +
                                                           "' is NULL: give both layers (alignment) or neither");
        }
        auto handle = std::make_unique<ReportObject>();
        handle->inputs = use(table, "table").inputs;
        if (a) {
            const Layer& layer_a = *use(a, "a").layer;
            const Layer& layer_b = *use(b, "b").layer;
            if (!is_side_of(layer_a, t.a_codes))
                throw invalid_input("layer " + layer_a.label() + " is not the A layer of the table (" + t.a_layer + ")");
            if (!is_side_of(layer_b, t.b_codes))
                throw invalid_input("layer " + layer_b.label() + " is not the B layer of the table (" + t.b_layer + ")");
            const double distance = context.scoring.distance;
            const BoundaryAlignment a_against_b = boundary_alignment(layer_a, layer_b, distance, context.threads);
            const BoundaryAlignment b_against_a = boundary_alignment(layer_b, layer_a, distance, context.threads);
            handle->report = score(t, context.scoring, &a_against_b, &b_against_a);
        } else {
            handle->report = score(t, context.scoring);
        }
        *out = publish(std::move(handle));
    });
}

void pdef_report_destroy(pdef_report* report) { destroy(report); }

pdef_status pdef_report_get_layer_score(pdef_context* ctx, const pdef_report* report, pdef_side side,
                                        pdef_layer_score* score) {
    return guarded(ctx, __func__, [&] {
        const AlignmentReport& r = use(report, "report").report;
        require(score, "score");
        check_side(side);
        *score = score_of(side == PDEF_SIDE_A ? r.a_in_b : r.b_in_a);
    });
}

pdef_status pdef_report_get_unit_count(pdef_context* ctx, const pdef_report* report, pdef_side side,
                                       size_t* count) {
    return guarded(ctx, __func__, [&] {
        const AlignmentReport& r = use(report, "report").report;
        require(count, "count");
        *count = units_of(r, side).size();
    });
}

pdef_status pdef_report_get_unit(pdef_context* ctx, const pdef_report* report, pdef_side side, size_t index,
                                 pdef_unit_relation* unit) {
    return guarded(ctx, __func__, [&] {
        const std::vector<UnitRelation>& units = units_of(use(report, "report").report, side);
        require(unit, "unit");
        check_index(index, units.size(), "unit");
        const UnitRelation& u = units[index];
        *unit = pdef_unit_relation{u.code.c_str(),     static_cast<pdef_relation>(u.relation),
                                   u.best.c_str(),     u.coverage,
                                   u.best_share_of_b,  u.iou,
                                   u.fragmentation,    u.covered,
                                   u.built_from,       u.area_m2,
                                   u.pop,              u.pop_covered,
                                   u.pop_coverage,     u.boundary_alignment,
                                   u.outer_boundary,   u.pieces.size()};
    });
}

pdef_status pdef_report_get_piece(pdef_context* ctx, const pdef_report* report, pdef_side side, size_t unit,
                                  size_t piece, pdef_split_piece* out) {
    return guarded(ctx, __func__, [&] {
        const std::vector<UnitRelation>& units = units_of(use(report, "report").report, side);
        require(out, "out");
        check_index(unit, units.size(), "unit");
        const std::vector<SplitPiece>& pieces = units[unit].pieces;
        check_index(piece, pieces.size(), "piece");
        *out = pdef_split_piece{pieces[piece].code.c_str(), pieces[piece].share, pieces[piece].pop_share};
    });
}

pdef_status pdef_report_get_unit_names(pdef_context* ctx, const pdef_report* report, pdef_side side, size_t index,
                                       const char** name, const char** best_name) {
    return guarded(ctx, __func__, [&] {
        const std::vector<UnitRelation>& units = units_of(use(report, "report").report, side);
        require(name, "name");
        require(best_name, "best_name");
        check_index(index, units.size(), "unit");
        *name = units[index].name.c_str();
        *best_name = units[index].best_name.c_str();
    });
}

pdef_status pdef_report_get_piece_name(pdef_context* ctx, const pdef_report* report, pdef_side side, size_t unit,
                                       size_t piece, const char** name) {
    return guarded(ctx, __func__, [&] {
        const std::vector<UnitRelation>& units = units_of(use(report, "report").report, side);
        require(name, "name");
        check_index(unit, units.size(), "unit");
        check_index(piece, units[unit].pieces.size(), "piece");
        *name = units[unit].pieces[piece].name.c_str();
    });
}

pdef_status pdef_report_get_also_within_count(pdef_context* ctx, const pdef_report* report, pdef_side side,
                                              size_t unit, size_t* count) {
    return guarded(ctx, __func__, [&] {
        const std::vector<UnitRelation>& units = units_of(use(report, "report").report, side);
        require(count, "count");
        check_index(unit, units.size(), "unit");
        *count = units[unit].also_within.size();
    });
}

pdef_status pdef_report_get_also_within(pdef_context* ctx, const pdef_report* report, pdef_side side, size_t unit,
                                        size_t index, const char** code) {
    return guarded(ctx, __func__, [&] {
        const std::vector<UnitRelation>& units = units_of(use(report, "report").report, side);
        require(code, "code");
        check_index(unit, units.size(), "unit");
        check_index(index, units[unit].also_within.size(), "also_within");
        *code = units[unit].also_within[index].c_str();
    });
}

pdef_status pdef_report_write_csv(pdef_context* ctx, const pdef_report* report, const char* path) {
    return guarded(ctx, __func__, [&] {
        const ReportObject& handle = use(report, "report");
        check_write(handle.inputs, path);
        write_alignment_csv(handle.report, path);
    });
}

pdef_status pdef_report_describe(pdef_context* ctx, const pdef_report* report, char** text) {
    return guarded(ctx, __func__, [&] {
        const AlignmentReport& r = use(report, "report").report;
        require(text, "text");
        *text = allocated_copy(describe(r.a_in_b) + describe(r.b_in_a));
    });
}

pdef_status pdef_best_fit_method_from_string(pdef_context* ctx, const char* text, pdef_best_fit_method* method) {
    return guarded(ctx, __func__, [&] {
        require(text, "text");
        require(method, "method");
        *method = static_cast<pdef_best_fit_method>(best_fit_method_from_string(text));
    });
}

const char* pdef_best_fit_method_to_string(pdef_best_fit_method method) {
    if (method < PDEF_BEST_FIT_AREA || method > PDEF_BEST_FIT_POPULATION) return "unknown";
    return to_string(static_cast<BestFitMethod>(method));
}

pdef_status pdef_lookup_create(pdef_context* ctx, const pdef_layer* child, const pdef_layer* parent,
                               const pdef_population* population, pdef_best_fit_method method,
                               double ambiguous_below, pdef_lookup** out) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        BestFitRequest request;
        request.child = LayerInput(use(child, "child").layer);
        request.parent = LayerInput(use(parent, "parent").layer);
        request.population = population_input(population);
        require(out, "out");
        request.options.method = best_fit_method(method);
        check_option(ambiguous_below >= 0.0 && ambiguous_below <= 1.0,
                     "ambiguous_below must lie in [0, 1] (default 0.9)");
        request.options.ambiguous_below = ambiguous_below;
        auto handle = std::make_unique<LookupObject>();
        BestFitResult result = run_best_fit(request, context.settings(), context.problems);
        handle->rows = std::move(result.rows);
        handle->inputs = sources_of({result.child.get(), result.parent.get()});
        *out = publish(std::move(handle));
    });
}

void pdef_lookup_destroy(pdef_lookup* lookup) { destroy(lookup); }

pdef_status pdef_lookup_get_count(pdef_context* ctx, const pdef_lookup* lookup, size_t* count) {
    return guarded(ctx, __func__, [&] {
        const LookupObject& handle = use(lookup, "lookup");
        require(count, "count");
        *count = handle.rows.size();
    });
}

pdef_status pdef_lookup_get_row(pdef_context* ctx, const pdef_lookup* lookup, size_t index, pdef_lookup_row* row) {
    return guarded(ctx, __func__, [&] {
        const LookupObject& handle = use(lookup, "lookup");
        require(row, "row");
        check_index(index, handle.rows.size(), "row");
        const BestFitRow& r = handle.rows[index];
        *row = pdef_lookup_row{r.child.c_str(), r.parent.c_str(), static_cast<pdef_best_fit_method>(r.method),
                               r.share,         r.ambiguous,      r.note.c_str()};
    });
}

pdef_status pdef_lookup_get_row_names(pdef_context* ctx, const pdef_lookup* lookup, size_t index,
                                      const char** child_name, const char** parent_name) {
    return guarded(ctx, __func__, [&] {
        const LookupObject& handle = use(lookup, "lookup");
        require(child_name, "child_name");
        require(parent_name, "parent_name");
        check_index(index, handle.rows.size(), "row");
        *child_name = handle.rows[index].child_name.c_str();
        *parent_name = handle.rows[index].parent_name.c_str();
    });
}

pdef_status pdef_lookup_write_csv(pdef_context* ctx, const pdef_lookup* lookup, const char* path) {
    return guarded(ctx, __func__, [&] {
        const LookupObject& handle = use(lookup, "lookup");
        check_write(handle.inputs, path);
        write_best_fit_csv(handle.rows, path);
    });
}

pdef_status pdef_matrix_create(pdef_context* ctx, const pdef_layer* const* layers, size_t count,
                               const pdef_population* population, bool alignment, pdef_matrix** out) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        require(layers, "layers");
        require(out, "out");
        MatrixRequest request;
        for (std::size_t i = 0; i < count; ++i) {
            const std::string argument = "layers[" + std::to_string(i) + "]";
            request.layers.emplace_back(use(layers[i], argument.c_str()).layer);
        }
        request.population = population_input(population);
        request.scoring = context.scoring;
        request.alignment = alignment;
        auto handle = std::make_unique<MatrixObject>();
        handle->matrix = run_matrix(request, context.settings(), context.problems);
        for (std::size_t i = 0; i < count; ++i)
            for (std::string& source : sources_of({use(layers[i], "layers").layer.get()})) handle->inputs.push_back(std::move(source));
        *out = publish(std::move(handle));
    });
}

void pdef_matrix_destroy(pdef_matrix* matrix) { destroy(matrix); }

pdef_status pdef_matrix_get_layer_count(pdef_context* ctx, const pdef_matrix* matrix, size_t* count) {
    return guarded(ctx, __func__, [&] {
        const Matrix& m = use(matrix, "matrix").matrix;
        require(count, "count");
        *count = m.layers.size();
    });
}

pdef_status pdef_matrix_get_layer_name(pdef_context* ctx, const pdef_matrix* matrix, size_t index,
                                       const char** name) {
    return guarded(ctx, __func__, [&] {
        const Matrix& m = use(matrix, "matrix").matrix;
        require(name, "name");
        check_index(index, m.layers.size(), "layer");
        *name = m.layers[index].c_str();
    });
}

pdef_status pdef_matrix_get_score(pdef_context* ctx, const pdef_matrix* matrix, size_t row, size_t column,
                                  pdef_layer_score* score) {
    return guarded(ctx, __func__, [&] {
        const Matrix& m = use(matrix, "matrix").matrix;
        require(score, "score");
        check_index(row, m.layers.size(), "layer");
        check_index(column, m.layers.size(), "layer");
        *score = score_of(m.scores[row][column]);
    });
}

pdef_status pdef_matrix_write_csv(pdef_context* ctx, const pdef_matrix* matrix, const char* path) {
    return guarded(ctx, __func__, [&] {
        const MatrixObject& handle = use(matrix, "matrix");
        check_write(handle.inputs, path);
        write_matrix_csv(handle.matrix, path);
    });
}

pdef_status pdef_matrix_describe(pdef_context* ctx, const pdef_matrix* matrix, char** text) {
    return guarded(ctx, __func__, [&] {
        const Matrix& m = use(matrix, "matrix").matrix;
        require(text, "text");
        *text = allocated_copy(describe(m));
    });
}

}  // extern "C"
