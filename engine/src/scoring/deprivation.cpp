// Deprivation by place: the most deprived units of a deprivation layer and
// the deprivation profile of each footprint, read from one overlay.
#include "placedef/error.hpp"
#include "placedef/scoring.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

namespace placedef {
inline namespace scoring {

namespace {

void check_size(const std::vector<double>& measure, std::size_t units, const char* what) {
    if (!measure.empty() && measure.size() != units)
        throw invalid_input(std::string("deprivation ") + what + ": " + std::to_string(measure.size()) +
                            " values for " + std::to_string(units) + " units");
}

double value_at(const std::vector<double>& measure, std::size_t i) {
    return measure.empty() ? std::numeric_limits<double>::quiet_NaN() : measure[i];
}

bool in_first_two_deciles(double decile) { return decile <= 2; }

}  // namespace

std::vector<DeprivedUnit> most_deprived_units(const std::vector<std::string>& codes,
                                              const std::vector<std::string>& names, const DeprivationValues& values,
                                              std::size_t count) {
    const std::size_t units = codes.size();
    if (values.rank.empty() && values.score.empty())
        throw invalid_input("deprivation needs a rank or a score for its units (neither was given)");
    check_size(values.rank, units, "ranks");
    check_size(values.score, units, "scores");
    check_size(values.decile, units, "deciles");
    if (!names.empty() && names.size() != units)
        throw invalid_input("deprivation: " + std::to_string(names.size()) + " names for " + std::to_string(units) + " units");
    // Ranks when given: a rank is the measure the index publishes its order by.
    const bool by_rank = !values.rank.empty();
    const std::vector<double>& measure = by_rank ? values.rank : values.score;
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < units; ++i)
        if (std::isfinite(measure[i])) order.push_back(i);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (measure[a] != measure[b]) return by_rank ? measure[a] < measure[b] : measure[a] > measure[b];
        return codes[a] < codes[b];
    });
    order.resize(std::min(order.size(), count));
    std::vector<DeprivedUnit> result;
    result.reserve(order.size());
    for (std::size_t i : order) {
        DeprivedUnit unit;
        unit.index = i;
        unit.code = codes[i];
        if (!names.empty()) unit.name = names[i];
        unit.rank = value_at(values.rank, i);
        unit.score = value_at(values.score, i);
        unit.decile = value_at(values.decile, i);
        result.push_back(std::move(unit));
    }
    return result;
}

DeprivationProfile deprivation_profile(const IntersectionTable& units_by_footprints, const DeprivationValues& values,
                                       std::size_t most_deprived) {
    const IntersectionTable& table = units_by_footprints;
    const std::size_t footprints = table.b_codes.size();
    // Every unit in order, so that each footprint's most deprived is its first.
    const std::vector<DeprivedUnit> ordered =
        most_deprived_units(table.a_codes, table.a_names, values, table.a_codes.size());

    DeprivationProfile profile;
    profile.by_people = table.has_population;
    // A unit's footprint: the best fit by the measure a reader is shown (people, else area).
    BestFitOptions fit;
    fit.method = table.has_population ? BestFitMethod::population : BestFitMethod::area;
    std::unordered_map<std::string, std::size_t> footprint_index;
    for (std::size_t f = 0; f < footprints; ++f) footprint_index.emplace(table.b_codes[f], f);
    std::unordered_map<std::string, std::size_t> footprint_of;  // unit code -> footprint index
    for (const BestFitRow& row : best_fit(table, fit))
        if (!row.parent.empty()) footprint_of.emplace(row.child, footprint_index.at(row.parent));

    profile.footprints.resize(footprints);
    for (std::size_t f = 0; f < footprints; ++f) {
        FootprintDeprivation& out = profile.footprints[f];
        out.code = table.b_codes[f];
        out.name = f < table.b_names.size() ? table.b_names[f] : std::string();
        out.by_people = profile.by_people;
    }

    // Sums over the pieces, weighted by people (area without population);
    // a unit without a value is left out of that measure's sums.
    std::vector<double> with_decile(footprints, 0.0), in_deciles_1_2(footprints, 0.0);
    std::vector<double> score_sum(footprints, 0.0), score_weight(footprints, 0.0);
    for (const IntersectionRow& row : table.rows) {
        const double weight = profile.by_people ? row.pop : row.area_m2;
        if (!(weight > 0)) continue;
        const double decile = value_at(values.decile, row.a_index);
        if (std::isfinite(decile)) {
            with_decile[row.b_index] += weight;
            if (in_first_two_deciles(decile)) in_deciles_1_2[row.b_index] += weight;
        }
        const double score = value_at(values.score, row.a_index);
        if (std::isfinite(score)) {
            score_sum[row.b_index] += weight * score;
            score_weight[row.b_index] += weight;
        }
    }
    for (std::size_t f = 0; f < footprints; ++f) {
        FootprintDeprivation& out = profile.footprints[f];
        if (!values.decile.empty() && with_decile[f] > 0) {
            out.share_deciles_1_2 = in_deciles_1_2[f] / with_decile[f];
            if (profile.by_people) {
                out.people = with_decile[f];
                out.people_deciles_1_2 = in_deciles_1_2[f];
            }
        }
        if (score_weight[f] > 0) out.mean_score = score_sum[f] / score_weight[f];
    }

    for (const DeprivedUnit& unit : ordered) {
        const auto found = footprint_of.find(unit.code);
        if (found == footprint_of.end()) continue;
        FootprintDeprivation& out = profile.footprints[found->second];
        if (out.most_deprived.code.empty()) out.most_deprived = unit;
    }
    for (std::size_t i = 0; i < std::min(most_deprived, ordered.size()); ++i) {
        DeprivedUnit unit = ordered[i];
        const auto found = footprint_of.find(unit.code);
        if (found != footprint_of.end()) {
            unit.footprint = table.b_codes[found->second];
            unit.footprint_name = profile.footprints[found->second].name;
        }
        profile.most_deprived.push_back(std::move(unit));
    }
    for (FootprintDeprivation& out : profile.footprints) {
        if (out.most_deprived.code.empty()) continue;
        out.most_deprived.footprint = out.code;
        out.most_deprived.footprint_name = out.name;
    }
    return profile;
}

}  // namespace scoring
}  // namespace placedef
