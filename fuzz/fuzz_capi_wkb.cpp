// WKB through the C API: pdef_layer_create_from_wkb, then every getter of the
// layer and, for polygons, an overlay of the layer with itself. The first
// byte chooses the call's options, the rest are records (fuzz_input.hpp), one
// feature each; an empty record is a feature without geometry (NULL).
#include "fuzz_input.hpp"

#include "placedef/pdef_c.h"

#include <cstdint>
#include <string>
#include <vector>

using placedef::fuzz::require;

namespace {

constexpr std::size_t max_features = 8;

// One context for every input, destroyed at exit like any caller's: the
// library reports a handle never destroyed as a leak.
struct SharedContext {
    pdef_context* ctx = nullptr;
    SharedContext() {
        require(pdef_context_create(&ctx) == PDEF_OK, "a context can be made");
        pdef_context_set_threads(ctx, 1);
    }
    ~SharedContext() { pdef_context_destroy(ctx); }
    SharedContext(const SharedContext&) = delete;
    SharedContext& operator=(const SharedContext&) = delete;
};

pdef_context* context() {
    static SharedContext shared;
    return shared.ctx;
}

bool is_known(pdef_status status) {
    switch (status) {
        case PDEF_OK:
        case PDEF_ERROR_INVALID_INPUT:
        case PDEF_ERROR_TOPOLOGY:
            return true;
        default:
            return false;
    }
}

void check_status(pdef_status status, const char* call) {
    require(is_known(status), std::string(call) + " returned " + pdef_status_string(status) + ": " +
                                  pdef_context_last_error(context()));
}

void read_back(pdef_context* ctx, const pdef_layer* layer, pdef_layer_kind kind) {
    size_t count = 0;
    require(pdef_layer_get_count(ctx, layer, &count) == PDEF_OK, "pdef_layer_get_count");
    pdef_box extent;
    pdef_layer_get_extent(ctx, layer, &extent);
    for (size_t i = 0; i < count; ++i) {
        const char* code = nullptr;
        require(pdef_layer_get_code(ctx, layer, i, &code) == PDEF_OK, "pdef_layer_get_code");
        size_t found_at = 0;
        bool found = false;
        require(pdef_layer_find(ctx, layer, code, &found_at, &found) == PDEF_OK && found, "pdef_layer_find");
        unsigned char* wkb = nullptr;
        size_t size = 0;
        require(pdef_layer_get_wkb(ctx, layer, i, &wkb, &size) == PDEF_OK, "pdef_layer_get_wkb");
        pdef_free(wkb);
        if (kind == PDEF_LAYER_POLYGON) {
            double area = 0;
            size_t vertices = 0;
            require(pdef_layer_get_area(ctx, layer, i, &area) == PDEF_OK, "pdef_layer_get_area");
            require(pdef_layer_get_vertex_count(ctx, layer, i, &vertices) == PDEF_OK, "pdef_layer_get_vertex_count");
        } else {
            double x = 0, y = 0;
            bool located = false;
            require(pdef_layer_get_point(ctx, layer, i, &x, &y, &located) == PDEF_OK, "pdef_layer_get_point");
        }
    }
}

void overlay_with_itself(pdef_context* ctx, const pdef_layer* layer) {
    pdef_table* table = nullptr;
    const pdef_status status = pdef_overlay(ctx, layer, layer, nullptr, 0.0, true, &table);
    check_status(status, "pdef_overlay");
    if (status != PDEF_OK) return;
    pdef_table_summary summary;
    require(pdef_table_get_summary(ctx, table, &summary) == PDEF_OK, "pdef_table_get_summary");
    for (size_t i = 0; i < summary.rows; ++i) {
        pdef_table_row row;
        require(pdef_table_get_row(ctx, table, i, &row) == PDEF_OK, "pdef_table_get_row");
        unsigned char* wkb = nullptr;
        size_t size = 0;
        require(pdef_table_get_piece_wkb(ctx, table, i, &wkb, &size) == PDEF_OK, "pdef_table_get_piece_wkb");
        pdef_free(wkb);
    }
    pdef_table_destroy(table);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    pdef_context* ctx = context();
    const std::uint8_t options = data[0];
    const pdef_layer_kind kind = (options & 1) ? PDEF_LAYER_POINT : PDEF_LAYER_POLYGON;
    const auto policy = static_cast<pdef_invalid_policy>((options >> 1) % 3);
    const bool one_code = options & 8;  // every feature the same code: duplicates to merge
    require(pdef_context_set_invalid_policy(ctx, policy) == PDEF_OK, "pdef_context_set_invalid_policy");

    const auto records = placedef::fuzz::split_records(data + 1, size - 1, max_features);
    if (records.empty()) return 0;
    std::vector<std::string> code_texts;
    std::vector<const char*> codes;
    std::vector<const unsigned char*> wkb;
    std::vector<size_t> sizes;
    for (std::size_t i = 0; i < records.size(); ++i) code_texts.push_back("f" + std::to_string(one_code ? 0 : i));
    for (std::size_t i = 0; i < records.size(); ++i) {
        codes.push_back(code_texts[i].c_str());
        wkb.push_back(records[i].size ? records[i].data : nullptr);
        sizes.push_back(records[i].size);
    }

    pdef_layer* layer = nullptr;
    const pdef_status status =
        pdef_layer_create_from_wkb(ctx, "fuzz", "EPSG:27700", kind, codes.size(), codes.data(), wkb.data(), sizes.data(), &layer);
    check_status(status, "pdef_layer_create_from_wkb");
    require((status == PDEF_OK) == (layer != nullptr), "a layer exactly when the call succeeds");
    if (layer) {
        read_back(ctx, layer, kind);
        size_t count = 0;
        pdef_layer_get_count(ctx, layer, &count);
        if (kind == PDEF_LAYER_POLYGON && count > 0) overlay_with_itself(ctx, layer);
        pdef_layer_destroy(layer);
    }
    pdef_context_clear_problems(ctx);
    return 0;
}
