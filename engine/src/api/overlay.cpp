// The overlay and its intersection table.
#include "api/detail/handles.hpp"

#include "placedef/geometry.hpp"
#include "placedef/render.hpp"

#include <iomanip>
#include <limits>
#include <sstream>

using namespace placedef;
using namespace placedef::detail::capi;

namespace {

constexpr double not_computed = std::numeric_limits<double>::quiet_NaN();

const IntersectionRow& row_of(const pdef_table* handle, std::size_t index) {
    const IntersectionTable& table = use(handle, "table").table;
    check_index(index, table.rows.size(), "row");
    return table.rows[index];
}

}  // namespace

extern "C" {

pdef_status pdef_overlay(pdef_context* ctx, const pdef_layer* a, const pdef_layer* b,
                         const pdef_population* population, double min_share, bool with_geometry, pdef_table** out) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        OverlayRequest request;
        request.a = LayerInput(use(a, "a").layer);
        request.b = LayerInput(use(b, "b").layer);
        request.population = population_input(population);
        require(out, "out");
        check_option(min_share >= 0.0 && min_share <= 1.0, "min_share must lie in [0, 1] (0 keeps every row)");
        request.min_share = min_share;
        request.with_geometry = with_geometry;
        OverlayResult result = run_overlay(request, context.settings(), context.problems);
        const Layer& layer_a = *result.a;
        const Layer& layer_b = *result.b;
        auto handle = std::make_unique<TableObject>();
        handle->table = std::move(result.table);
        handle->inputs = sources_of({result.a.get(), result.b.get(),
                                     population ? use(population, "population").data->units.get() : nullptr});
        handle->crs = layer_a.crs;
        handle->with_geometry = with_geometry;
        const OverlayStats& stats = handle->table.stats;
        std::ostringstream message;
        message << layer_a.name << " x " << layer_b.name << ": " << stats.rows << " rows from "
                << stats.candidate_pairs << " candidate pairs (" << stats.covered_pairs
                << " settled without boundary contact) in " << std::fixed << std::setprecision(3) << stats.seconds
                << " s";
        if (stats.dropped_below_min_share)
            message << "; " << stats.dropped_below_min_share << " rows under min_share dropped";
        context.log(PDEF_LOG_DEBUG, message.str());
        *out = publish(std::move(handle));
    });
}

void pdef_table_destroy(pdef_table* table) { destroy(table); }

pdef_status pdef_table_get_summary(pdef_context* ctx, const pdef_table* table, pdef_table_summary* summary) {
    return guarded(ctx, __func__, [&] {
        const TableObject& handle = use(table, "table");
        require(summary, "summary");
        const IntersectionTable& t = handle.table;
        summary->a_layer = t.a_layer.c_str();
        summary->b_layer = t.b_layer.c_str();
        summary->a_units = t.a_codes.size();
        summary->b_units = t.b_codes.size();
        summary->rows = t.rows.size();
        summary->has_population = t.has_population;
        summary->has_geometry = handle.with_geometry;
        summary->candidate_pairs = t.stats.candidate_pairs;
        summary->covered_pairs = t.stats.covered_pairs;
        summary->dropped_below_min_share = t.stats.dropped_below_min_share;
        summary->seconds = t.stats.seconds;
    });
}

pdef_status pdef_table_get_row(pdef_context* ctx, const pdef_table* table, size_t index, pdef_table_row* row) {
    return guarded(ctx, __func__, [&] {
        const IntersectionRow& r = row_of(table, index);
        require(row, "row");
        const bool people = use(table, "table").table.has_population;
        *row = pdef_table_row{r.a_index,
                              r.b_index,
                              r.a_code.c_str(),
                              r.b_code.c_str(),
                              r.area_m2,
                              r.share_of_a,
                              r.share_of_b,
                              people ? r.pop : not_computed,
                              people ? r.pop_share_of_a : not_computed,
                              people ? r.pop_share_of_b : not_computed};
    });
}

pdef_status pdef_table_get_unit(pdef_context* ctx, const pdef_table* table, pdef_side side, size_t index,
                                pdef_table_unit* unit) {
    return guarded(ctx, __func__, [&] {
        const IntersectionTable& t = use(table, "table").table;
        require(unit, "unit");
        check_option(side == PDEF_SIDE_A || side == PDEF_SIDE_B, "side must be PDEF_SIDE_A or PDEF_SIDE_B");
        const bool on_a = side == PDEF_SIDE_A;
        const std::vector<std::string>& codes = on_a ? t.a_codes : t.b_codes;
        const std::vector<double>& areas = on_a ? t.a_area : t.b_area;
        const std::vector<double>& people = on_a ? t.a_pop : t.b_pop;
        check_index(index, codes.size(), "unit");
        *unit = pdef_table_unit{codes[index].c_str(), areas[index],
                                index < people.size() ? people[index] : not_computed};
    });
}

pdef_status pdef_table_get_unit_name(pdef_context* ctx, const pdef_table* table, pdef_side side, size_t index,
                                     const char** name) {
    return guarded(ctx, __func__, [&] {
        const IntersectionTable& t = use(table, "table").table;
        require(name, "name");
        check_option(side == PDEF_SIDE_A || side == PDEF_SIDE_B, "side must be PDEF_SIDE_A or PDEF_SIDE_B");
        const std::vector<std::string>& names = side == PDEF_SIDE_A ? t.a_names : t.b_names;
        check_index(index, names.size(), "unit");
        *name = names[index].c_str();
    });
}

pdef_status pdef_table_copy_column(pdef_context* ctx, const pdef_table* table, pdef_table_column column,
                                   double* values, size_t buffer_size) {
    return guarded(ctx, __func__, [&] {
        const IntersectionTable& t = use(table, "table").table;
        check_option(column >= PDEF_COLUMN_AREA_M2 && column <= PDEF_COLUMN_POP_SHARE_OF_B,
                     "column " + std::to_string(static_cast<int>(column)) + " is not a pdef_table_column");
        check_buffer(values, buffer_size, t.rows.size());
        if (column >= PDEF_COLUMN_POP && !t.has_population)
            throw Misuse(PDEF_ERROR_NOT_AVAILABLE, "the table was made without population");
        double IntersectionRow::*member = nullptr;
        switch (column) {
            case PDEF_COLUMN_AREA_M2: member = &IntersectionRow::area_m2; break;
            case PDEF_COLUMN_SHARE_OF_A: member = &IntersectionRow::share_of_a; break;
            case PDEF_COLUMN_SHARE_OF_B: member = &IntersectionRow::share_of_b; break;
            case PDEF_COLUMN_POP: member = &IntersectionRow::pop; break;
            case PDEF_COLUMN_POP_SHARE_OF_A: member = &IntersectionRow::pop_share_of_a; break;
            case PDEF_COLUMN_POP_SHARE_OF_B: member = &IntersectionRow::pop_share_of_b; break;
        }
        for (std::size_t i = 0; i < t.rows.size(); ++i) values[i] = t.rows[i].*member;
    });
}

pdef_status pdef_table_get_piece_wkb(pdef_context* ctx, const pdef_table* table, size_t index, unsigned char** wkb,
                                     size_t* size) {
    return guarded(ctx, __func__, [&] {
        const IntersectionRow& r = row_of(table, index);
        require(wkb, "wkb");
        require(size, "size");
        if (!use(table, "table").with_geometry)
            throw Misuse(PDEF_ERROR_NOT_AVAILABLE, "the table was made without geometry (with_geometry false)");
        give_wkb(to_wkb(r.piece), wkb, size);
    });
}

pdef_status pdef_table_write(pdef_context* ctx, const pdef_table* table, const char* path) {
    return guarded(ctx, __func__, [&] {
        const TableObject& handle = use(table, "table");
        check_write(handle.inputs, path, {"pieces"});
        write_intersection_table(handle.table, path, handle.crs, overlay_styles(handle.table));
    });
}

}  // extern "C"
