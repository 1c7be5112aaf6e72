// PCN footprints.
#include "api/detail/handles.hpp"

#include "placedef/geometry.hpp"
#include "placedef/render.hpp"

#include <cmath>

using namespace placedef;
using namespace placedef::detail::capi;

namespace {

PcnMethod pcn_method(pdef_pcn_method method) {
    check_option(method >= PDEF_PCN_VORONOI && method <= PDEF_PCN_REGISTERED,
                 "the PCN method " + std::to_string(static_cast<int>(method)) + " is not a pdef_pcn_method");
    return static_cast<PcnMethod>(method);
}

}  // namespace

static_assert(static_cast<int>(PcnMethod::registered) == PDEF_PCN_REGISTERED,
              "pdef_pcn_method mirrors placedef::PcnMethod");
static_assert(static_cast<int>(PracticeStatus::shares_site) == PDEF_PRACTICE_SHARES_SITE &&
                  static_cast<int>(PracticeStatus::no_location) == PDEF_PRACTICE_NO_LOCATION,
              "pdef_practice_status mirrors placedef::PracticeStatus");

extern "C" {

pdef_status pdef_pcn_method_from_string(pdef_context* ctx, const char* text, pdef_pcn_method* method) {
    return guarded(ctx, __func__, [&] {
        require(text, "text");
        require(method, "method");
        *method = static_cast<pdef_pcn_method>(pcn_method_from_string(text));
    });
}

const char* pdef_pcn_method_to_string(pdef_pcn_method method) {
    if (method < PDEF_PCN_VORONOI || method > PDEF_PCN_REGISTERED) return "unknown";
    return to_string(static_cast<PcnMethod>(method));
}

const char* pdef_practice_status_to_string(pdef_practice_status status) {
    if (status < PDEF_PRACTICE_USED || status > PDEF_PRACTICE_SHARES_SITE) return "unknown";
    return to_string(static_cast<PracticeStatus>(status));
}

pdef_status pdef_pcn_options_create(pdef_context* ctx, pdef_pcn_options** out) {
    return guarded(ctx, __func__, [&] {
        require(out, "out");
        *out = publish(std::make_unique<PcnOptionsObject>());
    });
}

void pdef_pcn_options_destroy(pdef_pcn_options* options) { destroy(options); }

pdef_status pdef_pcn_options_set_method(pdef_context* ctx, pdef_pcn_options* options, pdef_pcn_method method) {
    return guarded(ctx, __func__, [&] { use(options, "options").options.method = pcn_method(method); });
}

pdef_status pdef_pcn_options_set_columns(pdef_context* ctx, pdef_pcn_options* options, const char* pcn_code,
                                         const char* pcn_name, const char* practice_name) {
    return guarded(ctx, __func__, [&] {
        PracticeColumns& columns = use(options, "options").options.columns;
        require(pcn_code, "pcn_code");
        require(pcn_name, "pcn_name");
        require(practice_name, "practice_name");
        check_option(*pcn_code != '\0', "the PCN code column cannot be empty (default PCN_CODE)");
        columns = PracticeColumns{pcn_code, pcn_name, practice_name};
    });
}

pdef_status pdef_pcn_options_set_unallocated(pdef_context* ctx, pdef_pcn_options* options, const char* const* codes,
                                             size_t count) {
    return guarded(ctx, __func__, [&] {
        PcnOptions& o = use(options, "options").options;
        o.unallocated = texts(codes, count, "codes");
    });
}

pdef_status pdef_pcn_options_set_clip_codes(pdef_context* ctx, pdef_pcn_options* options, const char* const* codes,
                                            size_t count) {
    return guarded(ctx, __func__, [&] {
        PcnOptions& o = use(options, "options").options;
        o.clip_codes = texts(codes, count, "codes");
    });
}

pdef_status pdef_pcn_options_set_same_site(pdef_context* ctx, pdef_pcn_options* options, double metres) {
    return guarded(ctx, __func__, [&] {
        PcnOptions& o = use(options, "options").options;
        check_option(std::isfinite(metres) && metres >= 0,
                     "the same-site distance must be a finite number of metres, zero or more (default 1)");
        o.same_site = metres;
    });
}

pdef_status pdef_pcn_options_set_nearest_practice(pdef_context* ctx, pdef_pcn_options* options, bool nearest) {
    return guarded(ctx, __func__, [&] { use(options, "options").options.nearest_practice = nearest; });
}

pdef_status pdef_pcn_options_set_registered(pdef_context* ctx, pdef_pcn_options* options, const char* path) {
    return guarded(ctx, __func__, [&] {
        PcnOptionsObject& o = use(options, "options");
        require(path, "path");
        o.registered = std::make_shared<const RegisteredPatients>(read_registered_patients(path));
    });
}

pdef_status pdef_pcn_options_set_population(pdef_context* ctx, pdef_pcn_options* options,
                                            const pdef_population* population) {
    return guarded(ctx, __func__, [&] {
        PcnOptionsObject& o = use(options, "options");
        o.population = population ? use(population, "population").data : nullptr;
    });
}

pdef_status pdef_pcn_create(pdef_context* ctx, const pdef_layer* practices, const pdef_layer* clip,
                            const pdef_layer* blocks, const pdef_pcn_options* options, pdef_pcn** out) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        PcnRequest request;
        request.practices = LayerInput(use(practices, "practices").layer);
        request.clip = LayerInput(use(clip, "clip").layer);
        if (blocks) request.blocks = LayerInput(use(blocks, "blocks").layer);
        require(out, "out");
        if (options) {
            const PcnOptionsObject& given = use(options, "options");
            request.options = given.options;
            request.options.registered = given.registered.get();
            if (given.population) {
                request.population.units = LayerInput(given.population->units);
                request.population.values = given.population->source.population;
            }
        }
        PcnJobResult job = run_pcn(request, context.settings(), context.problems);
        auto handle = std::make_unique<PcnObject>();
        handle->result = std::move(job.result);
        handle->inputs = sources_of({job.practices.get(), job.clip.get(), job.blocks.get()});
        handle->practices = job.practices;
        handle->crs = job.clip->crs;
        *out = publish(std::move(handle));
    });
}

void pdef_pcn_destroy(pdef_pcn* pcn) { destroy(pcn); }

pdef_status pdef_pcn_get_summary(pdef_context* ctx, const pdef_pcn* pcn, pdef_pcn_summary* summary) {
    return guarded(ctx, __func__, [&] {
        const PcnResult& r = use(pcn, "pcn").result;
        require(summary, "summary");
        *summary = pdef_pcn_summary{static_cast<pdef_pcn_method>(r.method),
                                    r.footprints.size(),
                                    r.practices.size(),
                                    r.blocks.size(),
                                    r.pcns_outside.size(),
                                    r.sites,
                                    r.clip_area,
                                    r.covered_area,
                                    r.footprint_area,
                                    r.voronoi_agreement};
    });
}

pdef_status pdef_pcn_get_footprint(pdef_context* ctx, const pdef_pcn* pcn, size_t index,
                                   pdef_pcn_footprint* footprint) {
    return guarded(ctx, __func__, [&] {
        const PcnResult& r = use(pcn, "pcn").result;
        require(footprint, "footprint");
        check_index(index, r.footprints.size(), "footprint");
        const PcnFootprint& f = r.footprints[index];
        *footprint = pdef_pcn_footprint{f.code.c_str(), f.name.c_str(), f.practices, f.area_m2, f.parts, f.population};
    });
}

pdef_status pdef_pcn_get_footprint_wkb(pdef_context* ctx, const pdef_pcn* pcn, size_t index, unsigned char** wkb,
                                       size_t* size) {
    return guarded(ctx, __func__, [&] {
        const PcnResult& r = use(pcn, "pcn").result;
        require(wkb, "wkb");
        require(size, "size");
        check_index(index, r.footprints.size(), "footprint");
        give_wkb(to_wkb(r.footprints[index].shape), wkb, size);
    });
}

pdef_status pdef_pcn_get_practice(pdef_context* ctx, const pdef_pcn* pcn, size_t index, pdef_practice* practice) {
    return guarded(ctx, __func__, [&] {
        const PcnResult& r = use(pcn, "pcn").result;
        require(practice, "practice");
        check_index(index, r.practices.size(), "practice");
        const PracticeReport& p = r.practices[index];
        *practice = pdef_practice{p.code.c_str(), p.name.c_str(), p.pcn.c_str(),
                                  static_cast<pdef_practice_status>(p.status)};
    });
}

pdef_status pdef_pcn_get_block(pdef_context* ctx, const pdef_pcn* pcn, size_t index, pdef_block_assignment* block) {
    return guarded(ctx, __func__, [&] {
        const PcnResult& r = use(pcn, "pcn").result;
        require(block, "block");
        check_index(index, r.blocks.size(), "block");
        const BlockAssignment& b = r.blocks[index];
        *block = pdef_block_assignment{b.block.c_str(), b.pcn.c_str(), b.share, b.how.c_str()};
    });
}

pdef_status pdef_pcn_get_pcn_outside(pdef_context* ctx, const pdef_pcn* pcn, size_t index, const char** code,
                                     const char** name) {
    return guarded(ctx, __func__, [&] {
        const PcnResult& r = use(pcn, "pcn").result;
        require(code, "code");
        require(name, "name");
        check_index(index, r.pcns_outside.size(), "PCN");
        *code = r.pcns_outside[index].first.c_str();
        *name = r.pcns_outside[index].second.c_str();
    });
}

pdef_status pdef_pcn_to_layer(pdef_context* ctx, const pdef_pcn* pcn, pdef_layer** out) {
    return guarded(ctx, __func__, [&] {
        const PcnObject& handle = use(pcn, "pcn");
        require(out, "out");
        *out = new_layer_handle(footprint_layer(handle.result, handle.crs));
    });
}

pdef_status pdef_pcn_write(pdef_context* ctx, const pdef_pcn* pcn, const char* path) {
    return guarded(ctx, __func__, [&] {
        const PcnObject& handle = use(pcn, "pcn");
        check_write(handle.inputs, path, {"footprints", "practices", "blocks"});
        write_pcn_result(handle.result, *handle.practices, path, handle.crs, pcn_styles(handle.result, handle.crs));
    });
}

}  // extern "C"
