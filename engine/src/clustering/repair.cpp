// Alignment repair: the fewest people moved, block by block, to bring a
// partner's units (divisions, wards) into footprints drawn by anyone.
//
// A move can only bring people into their unit's main footprint: moving a
// block of p people into the footprint holding most of its unit gains p;
// into one that overtakes the main footprint, less; anywhere else, nothing.
// So the people moved are at least the people to be brought in, and a greedy
// that takes the best gain per person moved, the largest block first among
// equals, comes close to the fewest people and the fewest blocks. Each move
// keeps the footprints connected, not empty, and no further outside the
// population bounds than they were (MoveState); a block that cannot move
// now may move once a neighbour has.
#include "placedef/clustering.hpp"

#include "placedef/cancel.hpp"
#include "placedef/error.hpp"
#include "placedef/text.hpp"

#include "detail/local_search.hpp"
#include "detail/regions.hpp"

#include <algorithm>
#include <cmath>

namespace placedef {
inline namespace clustering {
namespace {

struct Candidate {
    std::uint32_t block;
    std::int32_t to;
    double gain;    ///< people brought into their unit's main footprint
    double people;  ///< people moved
};

/// Better first: more gain per person moved, then more people (fewer
/// moves), then the lower block and footprint (a fixed order).
bool better(const Candidate& a, const Candidate& b) {
    const double ra = a.people > 0 ? a.gain / a.people : 1.0, rb = b.people > 0 ? b.gain / b.people : 1.0;
    if (ra != rb) return ra > rb;
    if (a.people != b.people) return a.people > b.people;
    if (a.block != b.block) return a.block < b.block;
    return a.to < b.to;
}

std::string footprint_name(const std::vector<std::string>& names, std::int32_t region) {
    const auto r = static_cast<std::size_t>(region);
    return r < names.size() && !names[r].empty() ? "'" + names[r] + "'" : "footprint " + std::to_string(r + 1);
}

std::string unit_name(const PartnerUnits& partner, std::size_t unit) {
    const std::string& name = unit < partner.names.size() ? partner.names[unit] : std::string();
    return "'" + (name.empty() ? partner.codes[unit] : name + "' (" + partner.codes[unit]) + (name.empty() ? "'" : ")");
}

}  // namespace

AlignmentRepair repair_alignment(const ClusteringProblem& problem, const PartnerUnits& partner, std::vector<std::int32_t> region,
                                 std::size_t regions, const RepairOptions& options, const std::vector<std::string>& names) {
    const std::size_t n = problem.size();
    if (!options.whole_units && !(options.target > 0 && options.target <= 1))
        throw invalid_input("the repair target " + readable_number(options.target) +
                            " must be a share above 0 and at most 1 (e.g. 0.95)");
    if (partner.unit.size() != n || region.size() != n)
        throw invalid_input("the repair needs one footprint and one unit of '" + partner.layer + "' per block");
    for (std::size_t block = 0; block < n; ++block)
        if (region[block] < 0 || static_cast<std::size_t>(region[block]) >= regions)
            throw invalid_input("block '" + problem.graph->codes[block] + "' has no footprint to repair");

    // The terms alone: no attributes, the partner at weight 1, so that the
    // state's cost is the people outside their unit's main footprint times
    // partner_cost_scale.
    ClusteringProblem pass = problem;
    pass.attributes.clear();
    pass.dimensions = 0;
    pass.respect.clear();
    pass.align.assign(1, partner);
    pass.align.front().weight = 1;
    const double scale = partner_cost_scale(pass);
    detail::MoveState state(pass, std::move(region), regions);
    for (const std::size_t block : options.keep)
        if (block >= n) throw invalid_input("the repair is asked to keep block " + std::to_string(block) + " of " + std::to_string(n));
    state.pin(options.keep);
    const detail::PartnerTable& table = state.partners().table(0);

    AlignmentRepair repair;
    repair.before = partner_fit(pass, partner, state.labels(), regions);
    double people = 0;
    for (const double p : repair.before.unit_people) people += p;
    auto share_in = [&] { return people > 0 ? 1.0 - state.cost() / scale / people : 1.0; };
    auto main_of = [&](std::size_t block) { return table.line(static_cast<std::size_t>(partner.unit[block])).first_at; };
    auto reached = [&] {
        if (!options.whole_units) return share_in() >= options.target - 1e-12;
        for (std::size_t block = 0; block < n; ++block)
            if (partner.unit[block] >= 0 && state.region_of(block) != main_of(block)) return false;
        return true;
    };

    std::vector<Candidate> candidates;
    std::vector<std::int32_t> targets;
    while (!reached()) {
        check_cancelled();
        candidates.clear();
        for (std::size_t block = 0; block < n; ++block) {
            if (partner.unit[block] < 0 || state.region_of(block) == main_of(block)) continue;  // nothing to gain
            state.neighbour_regions(block, targets);
            for (const std::int32_t to : targets) {
                if (options.whole_units && to != main_of(block)) continue;
                if (!state.bounds_allow(block, to)) continue;
                const double gain = -state.delta(block, to) / scale;
                const double moving = problem.population_of(block);
                if (gain <= 1e-9 * (1.0 + moving) && !(options.whole_units && moving == 0)) continue;
                candidates.push_back({static_cast<std::uint32_t>(block), to, std::max(gain, 0.0), moving});
            }
        }
        std::sort(candidates.begin(), candidates.end(), better);
        const auto chosen = std::find_if(candidates.begin(), candidates.end(),
                                         [&](const Candidate& c) { return state.keeps_contiguity(c.block); });
        if (chosen == candidates.end()) break;
        const std::int32_t from = state.region_of(chosen->block);
        state.move(chosen->block, chosen->to);
        repair.moves.push_back({chosen->block, from, chosen->to, chosen->people, share_in()});
        repair.people_moved += chosen->people;
    }
    repair.region = state.labels();
    repair.after = partner_fit(pass, partner, repair.region, regions);
    if (reached()) return repair;

    // Say how far it got and which units are still split, most people outside first.
    std::vector<std::size_t> split;
    for (std::size_t u = 0; u < repair.after.unit_people.size(); ++u)
        if (repair.after.unit_outside[u] > 0 || (options.whole_units && repair.after.unit_main[u] >= 0)) split.push_back(u);
    if (options.whole_units) {
        std::vector<bool> whole(repair.after.unit_people.size(), true);
        for (std::size_t block = 0; block < n; ++block)
            if (partner.unit[block] >= 0 && repair.region[block] != main_of(block))
                whole[static_cast<std::size_t>(partner.unit[block])] = false;
        split.erase(std::remove_if(split.begin(), split.end(), [&](std::size_t u) { return whole[u]; }), split.end());
    }
    std::stable_sort(split.begin(), split.end(),
                     [&](std::size_t a, std::size_t b) { return repair.after.unit_outside[a] > repair.after.unit_outside[b]; });
    std::string listed;
    for (std::size_t i = 0; i < std::min<std::size_t>(split.size(), 3); ++i) {
        const std::size_t u = split[i];
        listed += (i ? "; " : "") + unit_name(partner, u) + " has " + readable_number(std::round(repair.after.unit_outside[u])) +
                  " people outside " + footprint_name(names, repair.after.unit_main[u]);
    }
    const std::string goal = options.whole_units
                                 ? "every unit of '" + partner.layer + "' whole in one footprint"
                                 : percent_text(options.target) + " of the people of '" + partner.layer +
                                       "' in their unit's main footprint";
    throw invalid_input("the repair cannot reach " + goal + ": after " + std::to_string(repair.moves.size()) + " moves " +
                        percent_text(share_in()) + " are, and no block can move into its unit's main footprint " +
                        "without splitting or emptying a footprint, taking it outside the population bounds or moving a " +
                    "block that is kept. " +
                        std::to_string(split.size()) + " units are still split" + (listed.empty() ? "" : ": " + listed) +
                        (split.size() > 3 ? "; ..." : ""));
}

}  // namespace clustering
}  // namespace placedef
