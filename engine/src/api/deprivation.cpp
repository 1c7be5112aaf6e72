// Deprivation by place: the study's rule (deprivation_profile) on any
// footprint layer and deprivation units.
#include "api/detail/handles.hpp"

using namespace placedef;
using namespace placedef::detail::capi;

namespace {

/// A measure given as `count` values, or none for NULL.
std::vector<double> measure(const double* values, std::size_t count) {
    return values ? std::vector<double>(values, values + count) : std::vector<double>();
}

pdef_deprived_unit unit_of(const DeprivedUnit& u) {
    return pdef_deprived_unit{u.index,  u.code.c_str(), u.name.c_str(),      u.rank,
                              u.score,  u.decile,       u.footprint.c_str(), u.footprint_name.c_str()};
}

}  // namespace

extern "C" {

pdef_status pdef_deprivation_create(pdef_context* ctx, const pdef_layer* footprints, const pdef_layer* units,
                                    const pdef_population* population, size_t count, const double* ranks,
                                    const double* scores, const double* deciles, size_t most_deprived,
                                    pdef_deprivation** out) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        const Layer& deprivation_units = *use(units, "units").layer;
        OverlayRequest request;
        request.a = LayerInput(use(units, "units").layer);
        request.b = LayerInput(use(footprints, "footprints").layer);
        request.population = population_input(population);
        require(out, "out");
        if (count != deprivation_units.size())
            throw invalid_input("count is " + std::to_string(count) + " but layer " + deprivation_units.label() + " has " +
                                std::to_string(deprivation_units.size()) + " units: give one value per unit");
        DeprivationValues values;
        values.rank = measure(ranks, count);
        values.score = measure(scores, count);
        values.decile = measure(deciles, count);
        const OverlayResult overlaid = run_overlay(request, context.settings(), context.problems);
        auto handle = std::make_unique<DeprivationObject>();
        handle->profile = deprivation_profile(overlaid.table, values, most_deprived);
        *out = publish(std::move(handle));
    });
}

void pdef_deprivation_destroy(pdef_deprivation* deprivation) { destroy(deprivation); }

pdef_status pdef_deprivation_get_footprint_count(pdef_context* ctx, const pdef_deprivation* deprivation,
                                                 size_t* count) {
    return guarded(ctx, __func__, [&] {
        const DeprivationProfile& profile = use(deprivation, "deprivation").profile;
        require(count, "count");
        *count = profile.footprints.size();
    });
}

pdef_status pdef_deprivation_get_footprint(pdef_context* ctx, const pdef_deprivation* deprivation, size_t index,
                                           pdef_footprint_deprivation* footprint) {
    return guarded(ctx, __func__, [&] {
        const DeprivationProfile& profile = use(deprivation, "deprivation").profile;
        require(footprint, "footprint");
        check_index(index, profile.footprints.size(), "footprint");
        const FootprintDeprivation& f = profile.footprints[index];
        *footprint = pdef_footprint_deprivation{f.code.c_str(),         f.name.c_str(),        f.by_people,
                                                f.people,               f.people_deciles_1_2, f.share_deciles_1_2,
                                                f.mean_score,           unit_of(f.most_deprived)};
    });
}

pdef_status pdef_deprivation_get_most_deprived_count(pdef_context* ctx, const pdef_deprivation* deprivation,
                                                     size_t* count) {
    return guarded(ctx, __func__, [&] {
        const DeprivationProfile& profile = use(deprivation, "deprivation").profile;
        require(count, "count");
        *count = profile.most_deprived.size();
    });
}

pdef_status pdef_deprivation_get_most_deprived(pdef_context* ctx, const pdef_deprivation* deprivation, size_t index,
                                               pdef_deprived_unit* unit) {
    return guarded(ctx, __func__, [&] {
        const DeprivationProfile& profile = use(deprivation, "deprivation").profile;
        require(unit, "unit");
        check_index(index, profile.most_deprived.size(), "unit");
        *unit = unit_of(profile.most_deprived[index]);
    });
}

}  // extern "C"
