// Functional areas from commuting flows: the pipeline's run_flows behind C handles.
#include "api/detail/handles.hpp"

#include "placedef/geometry.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace placedef;
using namespace placedef::detail::capi;

namespace {

/// A C string that may be NULL, as text ("" for NULL).
std::string text_of(const char* text) { return text ? std::string(text) : std::string(); }

/// An option's rule value: 0 takes the preset's (NaN to the pipeline); a
/// negative or non-finite one is out of range.
double rule_value(double value, const char* name) {
    check_option(std::isfinite(value) && value >= 0,
                 std::string("options->") + name + " must be a finite number, zero (the rules' own) or more");
    return value == 0 ? std::numeric_limits<double>::quiet_NaN() : value;
}

const FunctionalAreas& partition_of(const pdef_functional_areas* areas) {
    return use(areas, "areas").result.partition;
}

}  // namespace

extern "C" {

void pdef_flows_options_init(pdef_flows_options* options) {
    if (!options) return;
    *options = pdef_flows_options{nullptr, nullptr, nullptr, nullptr, 0.0, 0.0, 0.0, 0.0, nullptr, PDEF_ADJACENCY_QUEEN,
                                  5.0,     10.0,    nullptr};
}

pdef_status pdef_flows(pdef_context* ctx, const pdef_layer* units, const char* flows_csv,
                       const pdef_flows_options* options, pdef_functional_areas** out) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        require(out, "out");
        require(flows_csv, "flows_csv");
        pdef_flows_options given;
        pdef_flows_options_init(&given);
        if (options) given = *options;
        auto handle = std::make_unique<FunctionalAreasObject>();
        FlowsRequest& request = handle->request;
        const std::shared_ptr<const Layer>& unit_layer = use(units, "units").layer;
        request.units = LayerInput(unit_layer);
        request.table = flows_csv;
        request.residence_column = text_of(given.residence_column);
        request.workplace_column = text_of(given.workplace_column);
        request.count_column = text_of(given.count_column);
        request.rules = FunctionalAreaRules::preset(
            given.rules ? given.rules : "ttwa2011", rule_value(given.min_size, "min_size"),
            rule_value(given.target_size, "target_size"), rule_value(given.min_containment, "min_containment"),
            rule_value(given.target_containment, "target_containment"), text_of(given.regrouping));
        request.contiguity = contiguity_of(given.adjacency, given.snap, given.min_shared_length, false);
        request.agree_with = text_of(given.agree_with);
        handle->inputs = sources_of({unit_layer.get()});
        handle->inputs.push_back(request.table);
        if (!request.agree_with.empty()) handle->inputs.push_back(request.agree_with);
        handle->result = run_flows(request, context.settings(), context.problems);
        *out = publish(std::move(handle));
    });
}

void pdef_functional_areas_destroy(pdef_functional_areas* areas) { destroy(areas); }

pdef_status pdef_functional_areas_get_summary(pdef_context* ctx, const pdef_functional_areas* areas,
                                              pdef_functional_areas_summary* summary) {
    return guarded(ctx, __func__, [&] {
        const FlowsResult& r = use(areas, "areas").result;
        require(summary, "summary");
        const FunctionalAreas& p = r.partition;
        *summary = pdef_functional_areas_summary{r.units->size(),       p.areas.size(),        p.invalid(),
                                                 p.reserve.size(),      p.without_flows.size(), r.island_links.size(),
                                                 p.dissolved,           r.flows,               r.commuters};
    });
}

pdef_status pdef_functional_areas_get_area(pdef_context* ctx, const pdef_functional_areas* areas, size_t index,
                                           pdef_functional_area* area) {
    return guarded(ctx, __func__, [&] {
        const FlowsResult& r = use(areas, "areas").result;
        require(area, "area");
        check_index(index, r.partition.areas.size(), "area");
        const FunctionalArea& a = r.partition.areas[index];
        const Feature& named = r.areas->features[index];
        *area = pdef_functional_area{named.code.c_str(),     named.name.c_str(),     a.units.size(),
                                     a.residents,            a.jobs,                 a.internal,
                                     a.supply_containment(), a.demand_containment(), a.validity,
                                     a.valid()};
    });
}

pdef_status pdef_functional_areas_get_area_wkb(pdef_context* ctx, const pdef_functional_areas* areas, size_t index,
                                               unsigned char** wkb, size_t* size) {
    return guarded(ctx, __func__, [&] {
        const FlowsResult& r = use(areas, "areas").result;
        require(wkb, "wkb");
        require(size, "size");
        check_index(index, r.areas->size(), "area");
        give_wkb(to_wkb(r.areas->features[index].shape), wkb, size);
    });
}

pdef_status pdef_functional_areas_copy_membership(pdef_context* ctx, const pdef_functional_areas* areas, int32_t* area_of,
                                                  size_t buffer_size) {
    return guarded(ctx, __func__, [&] {
        const std::vector<std::int32_t>& membership = partition_of(areas).area_of;
        check_buffer(area_of, buffer_size, membership.size());
        std::copy(membership.begin(), membership.end(), area_of);
    });
}

pdef_status pdef_functional_areas_get_reserved(pdef_context* ctx, const pdef_functional_areas* areas, size_t index,
                                               size_t* unit, int32_t* area) {
    return guarded(ctx, __func__, [&] {
        const std::vector<ReservedUnit>& reserve = partition_of(areas).reserve;
        require(unit, "unit");
        require(area, "area");
        check_index(index, reserve.size(), "reserved unit");
        *unit = reserve[index].unit;
        *area = reserve[index].area;
    });
}

pdef_status pdef_functional_areas_get_island_link(pdef_context* ctx, const pdef_functional_areas* areas, size_t index,
                                                  size_t* a, size_t* b) {
    return guarded(ctx, __func__, [&] {
        const FlowsResult& r = use(areas, "areas").result;
        require(a, "a");
        require(b, "b");
        check_index(index, r.island_links.size(), "island link");
        *a = r.island_links[index].first;
        *b = r.island_links[index].second;
    });
}

pdef_status pdef_functional_areas_get_agreement(pdef_context* ctx, const pdef_functional_areas* areas,
                                                pdef_partition_agreement* agreement, bool* measured) {
    return guarded(ctx, __func__, [&] {
        const FlowsResult& r = use(areas, "areas").result;
        require(agreement, "agreement");
        require(measured, "measured");
        *measured = r.agreement.has_value();
        if (!r.agreement) return;
        const PartitionAgreement& a = *r.agreement;
        *agreement = {a.units, a.areas_a, a.areas_b, a.adjusted_rand, a.matched_areas, a.identical_areas, a.units_matched};
    });
}

pdef_status pdef_functional_areas_get_outside(pdef_context* ctx, const pdef_functional_areas* areas,
                                              double* working_outside, double* coming_in) {
    return guarded(ctx, __func__, [&] {
        const FlowsResult& r = use(areas, "areas").result;
        require(working_outside, "working_outside");
        require(coming_in, "coming_in");
        *working_outside = r.working_outside;
        *coming_in = r.coming_in;
    });
}

pdef_status pdef_functional_areas_to_layer(pdef_context* ctx, const pdef_functional_areas* areas, pdef_layer** out) {
    return guarded(ctx, __func__, [&] {
        const FlowsResult& r = use(areas, "areas").result;
        require(out, "out");
        *out = new_layer_handle(*r.areas);
    });
}

pdef_status pdef_functional_areas_write(pdef_context* ctx, const pdef_functional_areas* areas, const char* path) {
    return guarded(ctx, __func__, [&] {
        const FunctionalAreasObject& f = use(areas, "areas");
        check_write(f.inputs, path, {"areas", "membership"});
        for (const std::string& written : flows_written_paths(path))
            if (written != path) check_write(f.inputs, written.c_str());
        write_functional_areas(f.result, f.request, path);
    });
}

}  // extern "C"
