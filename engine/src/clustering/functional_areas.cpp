// Functional areas from commuting flows: Coombes & Bond's iterative
// procedure (dissolve the least valid area, give its units to the areas they
// are most tied to, set aside those that would weaken their area), with the
// contiguity graph deciding which areas a unit may join.
#include "placedef/cancel.hpp"
#include "placedef/choice.hpp"
#include "placedef/clustering.hpp"
#include "placedef/error.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

namespace placedef {
inline namespace clustering {

const char* to_string(Regrouping regrouping) {
    return regrouping == Regrouping::whole_area ? "whole_area" : "one_unit";
}

Regrouping regrouping_from_string(const std::string& text) {
    return choice_from_string(text, "regrouping", std::array{Regrouping::whole_area, Regrouping::one_unit});
}

FunctionalAreaRules FunctionalAreaRules::preset(const std::string& name) {
    if (name == "ttwa2011") return {};
    if (name == "istat") return {1000, 10000, 0.6667, 0.75, Regrouping::one_unit};
    throw invalid_input("unknown functional area rules '" + name + "': use ttwa2011 or istat");
}

FunctionalAreaRules FunctionalAreaRules::preset(const std::string& name, double min_size, double target_size,
                                                double min_containment, double target_containment,
                                                const std::string& regrouping) {
    FunctionalAreaRules rules = preset(name);
    if (!regrouping.empty()) rules.regrouping = regrouping_from_string(regrouping);
    for (const auto& [given, rule] : {std::pair{min_size, &rules.min_size}, std::pair{target_size, &rules.target_size},
                                      std::pair{min_containment, &rules.min_containment},
                                      std::pair{target_containment, &rules.target_containment}})
        if (!std::isnan(given)) *rule = given;
    rules.check();
    return rules;
}

void FunctionalAreaRules::check() const {
    const bool sizes = std::isfinite(min_size) && std::isfinite(target_size) && min_size > 0 && min_size < target_size;
    if (!sizes)
        throw invalid_input("functional areas: the minimum size must be above 0 and below the target size (" +
                            std::to_string(min_size) + ", " + std::to_string(target_size) + ")");
    if (!(min_containment > 0 && min_containment <= target_containment && target_containment <= 1))
        throw invalid_input("functional areas: self-containment must be 0 < minimum <= target <= 1 (" +
                            std::to_string(min_containment) + ", " + std::to_string(target_containment) + ")");
}

namespace {

/// The X-equation's size term: min_containment / target_containment at
/// min_size, 1 from target_size, in a straight line between (and beyond, below).
double size_term(double size, const FunctionalAreaRules& rules) {
    const double short_of_target = std::max(0.0, (rules.target_size - size) / (rules.target_size - rules.min_size));
    return 1 - (1 - rules.min_containment / rules.target_containment) * short_of_target;
}

}  // namespace

double required_containment(double size, const FunctionalAreaRules& rules) {
    if (size < rules.min_size) return std::numeric_limits<double>::infinity();
    return rules.min_containment / size_term(size, rules);
}

double area_validity(double size, double containment, const FunctionalAreaRules& rules) {
    const double validity = std::min(containment / rules.target_containment, 1.0) * size_term(std::max(size, 0.0), rules) *
                            rules.target_containment / rules.min_containment;
    // Below the minimum size the straight line alone keeps it under 1; the
    // guard holds where rounding would not.
    return size < rules.min_size ? std::min(validity, std::nextafter(1.0, 0.0)) : validity;
}

std::size_t FunctionalAreas::invalid() const {
    return static_cast<std::size_t>(std::count_if(areas.begin(), areas.end(), [](const FunctionalArea& a) { return !a.valid(); }));
}

namespace {

constexpr std::int32_t none = -1;

/// Throws invalid_input for a flow that is not a count between two of the
/// `units`, or between one of them and outside.
void check_flow(const Flow& f, std::size_t units) {
    const bool from_ok = f.from < units || (f.from == Flow::outside && f.to != Flow::outside);
    const bool to_ok = f.to < units || (f.to == Flow::outside && f.from != Flow::outside);
    if (!from_ok || !to_ok || !(f.people >= 0) || !std::isfinite(f.people))
        throw invalid_input("a flow of " + std::to_string(f.people) + " from unit " + std::to_string(f.from) + " to unit " +
                            std::to_string(f.to) + " is not a count between the " + std::to_string(units) + " units");
}

/// The flows in both directions of each unit, in compressed-row form.
struct FlowTable {
    std::vector<std::size_t> out_offsets, in_offsets;
    std::vector<std::pair<std::uint32_t, double>> out, in;  ///< (other unit, people); no self flows
    std::vector<double> residents, jobs, own;                ///< per unit: from it, to it, and within it

    FlowTable(std::size_t units, const std::vector<Flow>& flows)
        : out_offsets(units + 1, 0), in_offsets(units + 1, 0), residents(units, 0), jobs(units, 0), own(units, 0) {
        for (const Flow& f : flows) {
            check_flow(f, units);
            if (f.from != Flow::outside) residents[f.from] += f.people;
            if (f.to != Flow::outside) jobs[f.to] += f.people;
            if (f.crosses_edge()) continue;  // in the totals only: no tie to a unit
            if (f.from == f.to) {
                own[f.from] += f.people;
            } else {
                ++out_offsets[f.from + 1];
                ++in_offsets[f.to + 1];
            }
        }
        std::partial_sum(out_offsets.begin(), out_offsets.end(), out_offsets.begin());
        std::partial_sum(in_offsets.begin(), in_offsets.end(), in_offsets.begin());
        out.resize(out_offsets.back());
        in.resize(in_offsets.back());
        std::vector<std::size_t> out_at(out_offsets.begin(), out_offsets.end() - 1), in_at(in_offsets.begin(), in_offsets.end() - 1);
        for (const Flow& f : flows) {
            if (f.from == f.to || f.crosses_edge()) continue;
            out[out_at[f.from]++] = {f.to, f.people};
            in[in_at[f.to]++] = {f.from, f.people};
        }
    }
};

/// The state of the procedure: which area each unit is in, and each area's totals.
class AreaBuilder {
public:
    AreaBuilder(const ContiguityGraph& graph, const FlowTable& flows, const FunctionalAreaRules& rules)
        : m_graph(graph), m_flows(flows), m_rules(rules), m_area_of(graph.size(), none), m_areas(graph.size()),
          m_sums(graph.size()), m_in_reserve(graph.size(), false), m_reached(graph.size(), false),
          m_moves(graph.size(), 0) {
        for (std::uint32_t u = 0; u < graph.size(); ++u) {
            if (flows.residents[u] == 0 && flows.jobs[u] == 0) {
                m_without_flows.push_back(u);
                continue;
            }
            m_area_of[u] = static_cast<std::int32_t>(u);
            static_cast<FunctionalArea&>(m_areas[u]) = unit_alone(u);
            m_areas[u].alive = true;
        }
    }

    /// Regroups the least valid area, while one fails the rule and can be
    /// regrouped; then places the reserve. A reserve unit that can only go
    /// where it makes an area fail starts another round, in which the failing
    /// area is dissolved in turn.
    void run(const ClusterProgress& progress) {
        const std::size_t total = m_graph.size();
        // After the first round the failing areas are dissolved whole, whatever
        // the regrouping: units passed on one at a time could come back to the
        // reserve for ever, while every whole dissolution leaves one area fewer.
        for (std::size_t round = 0; round <= total; ++round) {
            const bool one_unit = round == 0 && m_rules.regrouping == Regrouping::one_unit;
            for (std::int32_t worst = least_valid(); worst != none; worst = least_valid()) {
                check_cancelled();
                if (one_unit && m_areas[static_cast<std::size_t>(worst)].units.size() > 1)
                    let_one_unit_go(worst);
                else
                    dissolve(worst);
                ++m_dissolved;
                if (progress) progress(std::min(m_dissolved, total), total);
            }
            if (m_waiting.empty()) break;
            place_last(std::exchange(m_waiting, {}), true);
            // The reserve, placed, may now surround an area that touched no other.
            for (Area& area : m_areas) area.stuck = false;
            if (least_valid() == none) break;
        }
        place_last(m_without_flows, false);
    }

    FunctionalAreas result() const {
        FunctionalAreas out;
        out.area_of.assign(m_graph.size(), none);
        std::vector<std::int32_t> number(m_areas.size(), none);
        for (std::uint32_t u = 0; u < m_graph.size(); ++u) {
            const std::int32_t a = m_area_of[u];
            if (a == none) continue;  // a unit with neither flows nor an area it touches: an area of its own below
            if (number[static_cast<std::size_t>(a)] == none) {
                number[static_cast<std::size_t>(a)] = static_cast<std::int32_t>(out.areas.size());
                out.areas.push_back(shown(m_areas[static_cast<std::size_t>(a)]));
            }
            out.area_of[u] = number[static_cast<std::size_t>(a)];
        }
        for (std::uint32_t u = 0; u < m_graph.size(); ++u) {
            if (out.area_of[u] != none) continue;
            out.area_of[u] = static_cast<std::int32_t>(out.areas.size());
            out.areas.push_back(unit_alone(u));
        }
        for (const std::uint32_t unit : m_reserve) out.reserve.push_back({unit, out.area_of[unit]});
        out.without_flows = m_without_flows;
        out.dissolved = m_dissolved;
        return out;
    }

private:
    struct Area : FunctionalArea {
        bool alive = false;
        bool stuck = false;  ///< touches no other area: cannot be dissolved
    };
    /// A unit's flows with one area, out to it and in from it.
    struct Sum {
        double out = 0, in = 0;
        bool seen = false;
    };
    /// Where a unit would go: the area, its tie, and what it would add inside.
    struct Choice {
        std::int32_t area = none;
        double tie = -1;
        double added = 0;  ///< flows that would become internal
    };

    /// The validity of an area of these totals.
    double validity_of(double residents, double jobs, double internal) const {
        FunctionalArea totals;
        totals.residents = residents;
        totals.jobs = jobs;
        totals.internal = internal;
        return area_validity(residents, totals.containment(), m_rules);
    }

    /// Unit `u` as an area of its own.
    FunctionalArea unit_alone(std::uint32_t u) const {
        FunctionalArea area;
        area.units = {u};
        area.residents = m_flows.residents[u];
        area.jobs = m_flows.jobs[u];
        area.internal = m_flows.own[u];
        area.validity = validity_of(area.residents, area.jobs, area.internal);
        return area;
    }

    static FunctionalArea shown(const Area& area) {
        FunctionalArea out = area;
        std::sort(out.units.begin(), out.units.end());
        return out;
    }

    /// The invalid area of lowest validity that touches another (fewer residents, then lower number, on a tie).
    std::int32_t least_valid() const {
        std::int32_t worst = none;
        for (std::size_t a = 0; a < m_areas.size(); ++a) {
            const Area& area = m_areas[a];
            if (!area.alive || area.stuck || area.validity >= 1) continue;
            if (worst == none) {
                worst = static_cast<std::int32_t>(a);
                continue;
            }
            const Area& best = m_areas[static_cast<std::size_t>(worst)];
            if (std::tie(area.validity, area.residents) < std::tie(best.validity, best.residents))
                worst = static_cast<std::int32_t>(a);
        }
        return worst;
    }

    /// The area of strongest tie among those `unit` touches (none: it touches
    /// none); with `keep_valid`, among those that it leaves meeting the rule.
    Choice best_area(std::uint32_t unit, bool keep_valid = false, std::int32_t excluded = none) {
        std::vector<std::int32_t> seen;
        auto sum_of = [&](std::int32_t area) -> Sum& {
            Sum& sum = m_sums[static_cast<std::size_t>(area)];
            if (!sum.seen) {
                sum.seen = true;
                seen.push_back(area);
            }
            return sum;
        };
        for (std::size_t i = m_flows.out_offsets[unit]; i < m_flows.out_offsets[unit + 1]; ++i)
            if (const std::int32_t a = m_area_of[m_flows.out[i].first]; a != none) sum_of(a).out += m_flows.out[i].second;
        for (std::size_t i = m_flows.in_offsets[unit]; i < m_flows.in_offsets[unit + 1]; ++i)
            if (const std::int32_t a = m_area_of[m_flows.in[i].first]; a != none) sum_of(a).in += m_flows.in[i].second;
        Choice choice;
        double longest = -1;
        for (const std::uint32_t* n = m_graph.begin(unit); n != m_graph.end(unit); ++n) {
            const std::int32_t a = m_area_of[*n];
            if (a == none || a == excluded) continue;
            const Area& area = m_areas[static_cast<std::size_t>(a)];
            const Sum& sum = m_sums[static_cast<std::size_t>(a)];
            const double to = sum.seen ? sum.out : 0, from = sum.seen ? sum.in : 0;
            const double tie = term(to, m_flows.residents[unit], area.jobs) + term(from, area.residents, m_flows.jobs[unit]);
            if (keep_valid && validity_of(area.residents + m_flows.residents[unit], area.jobs + m_flows.jobs[unit],
                                          area.internal + m_flows.own[unit] + to + from) < 1)
                continue;
            const double length = m_graph.shared_length.empty() ? 0 : m_graph.shared_length[static_cast<std::size_t>(n - m_graph.neighbours.data())];
            // The strongest tie; without any tie, the longest shared boundary; then the lower area number.
            const bool better = tie > choice.tie ||
                                (tie == choice.tie && (length > longest || (length == longest && a < choice.area)));
            if (better) {
                choice = {a, tie, to + from};
                longest = length;
            }
        }
        for (const std::int32_t a : seen) m_sums[static_cast<std::size_t>(a)] = Sum{};
        return choice;
    }

    static double term(double flow, double residents, double jobs) {
        return residents > 0 && jobs > 0 ? flow * flow / (residents * jobs) : 0.0;
    }

    void join(std::uint32_t unit, const Choice& choice) {
        Area& area = m_areas[static_cast<std::size_t>(choice.area)];
        area.units.push_back(unit);
        area.residents += m_flows.residents[unit];
        area.jobs += m_flows.jobs[unit];
        area.internal += m_flows.own[unit] + choice.added;
        area.validity = validity_of(area.residents, area.jobs, area.internal);
        area.stuck = false;  // it has grown: what it touches may have changed
        m_area_of[unit] = choice.area;
    }

    /// Gives the units of area `dissolved` to the areas they touch, strongest
    /// tie first; a unit that would lower its area's validity, or has no tie,
    /// goes to the reserve. Units that touch no other area wait for their
    /// neighbours to be placed; if none of them can be, the area stays.
    void dissolve(std::int32_t dissolved) {
        Area& area = m_areas[static_cast<std::size_t>(dissolved)];
        std::vector<std::uint32_t> pending = area.units;
        for (const std::uint32_t u : pending) m_area_of[u] = none;
        area.alive = false;
        std::vector<std::uint32_t> placed;
        while (!pending.empty()) {
            std::size_t pick = pending.size();
            Choice best;
            for (std::size_t i = 0; i < pending.size(); ++i) {
                const Choice choice = best_area(pending[i]);
                if (choice.area != none && (pick == pending.size() || choice.tie > best.tie)) {
                    pick = i;
                    best = choice;
                }
            }
            if (pick == pending.size()) break;  // what is left touches no area
            const std::uint32_t unit = pending[pick];
            pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(pick));
            if (try_join(unit, best))
                placed.push_back(unit);
            else
                set_aside(unit);
        }
        if (pending.empty()) return;
        if (placed.empty() && pending.size() == area.units.size()) {  // a separate component: it stays, as it is
            for (const std::uint32_t u : pending) m_area_of[u] = dissolved;
            area.alive = true;
            area.stuck = true;
            return;
        }
        for (const std::uint32_t u : pending) set_aside(u);  // cut off by units set aside
    }

    /// Joins `unit` to the area of `choice` if it is tied to it and does not lower its validity.
    bool try_join(std::uint32_t unit, const Choice& choice) {
        if (choice.area == none || !(choice.tie > 0)) return false;
        const Area& target = m_areas[static_cast<std::size_t>(choice.area)];
        const double after = validity_of(target.residents + m_flows.residents[unit], target.jobs + m_flows.jobs[unit],
                                         target.internal + m_flows.own[unit] + choice.added);
        if (after < target.validity) return false;
        join(unit, choice);
        return true;
    }

    /// Istat's step: the unit of area `a` with the most commuters coming in
    /// from beyond the area and going out of the unit leaves it for the
    /// touching area it is most tied to (or the reserve); the rest stays. Only
    /// a unit whose leaving keeps the rest in one piece may leave.
    void let_one_unit_go(std::int32_t a) {
        Area& area = m_areas[static_cast<std::size_t>(a)];
        std::vector<std::pair<double, std::uint32_t>> order;
        for (const std::uint32_t u : area.units) {
            // All going out, and all coming in (from outside the units too) but from the rest of the area.
            double crossing = m_flows.residents[u] - m_flows.own[u] + m_flows.jobs[u] - m_flows.own[u];
            for (std::size_t i = m_flows.in_offsets[u]; i < m_flows.in_offsets[u + 1]; ++i)
                if (m_area_of[m_flows.in[i].first] == a) crossing -= m_flows.in[i].second;
            order.emplace_back(-crossing, u);
        }
        std::sort(order.begin(), order.end());
        std::uint32_t leaving = order.front().second;
        for (const auto& [minus_crossing, u] : order)
            if (rest_in_one_piece(area, a, u)) {
                leaving = u;
                break;
            }
        // Its flows with the rest of the area stop being internal.
        double with_rest = m_flows.own[leaving];
        for (std::size_t i = m_flows.out_offsets[leaving]; i < m_flows.out_offsets[leaving + 1]; ++i)
            if (m_area_of[m_flows.out[i].first] == a) with_rest += m_flows.out[i].second;
        for (std::size_t i = m_flows.in_offsets[leaving]; i < m_flows.in_offsets[leaving + 1]; ++i)
            if (m_area_of[m_flows.in[i].first] == a) with_rest += m_flows.in[i].second;
        area.units.erase(std::find(area.units.begin(), area.units.end(), leaving));
        area.residents -= m_flows.residents[leaving];
        area.jobs -= m_flows.jobs[leaving];
        area.internal -= with_rest;
        area.validity = validity_of(area.residents, area.jobs, area.internal);
        area.stuck = false;
        m_area_of[leaving] = none;
        // A unit passed back and forth between areas stops in the reserve: a guard, so that the steps end.
        if (m_moves[leaving] < max_moves && try_join(leaving, best_area(leaving, false, a)))
            ++m_moves[leaving];
        else
            set_aside(leaving);
    }

    /// Whether the units of area `a` but `leaving` are connected on the graph.
    bool rest_in_one_piece(const Area& area, std::int32_t a, std::uint32_t leaving) {
        const std::uint32_t start = area.units.front() == leaving ? area.units.back() : area.units.front();
        std::vector<std::uint32_t> reached{start};
        m_reached[start] = true;
        for (std::size_t next = 0; next < reached.size(); ++next)
            for (const std::uint32_t* n = m_graph.begin(reached[next]); n != m_graph.end(reached[next]); ++n)
                if (*n != leaving && m_area_of[*n] == a && !m_reached[*n]) {
                    m_reached[*n] = true;
                    reached.push_back(*n);
                }
        for (const std::uint32_t u : reached) m_reached[u] = false;  // clean for the next call
        return reached.size() + 1 == area.units.size();
    }

    void set_aside(std::uint32_t unit) {
        m_area_of[unit] = none;
        m_waiting.push_back(unit);
        if (!m_in_reserve[unit]) m_reserve.push_back(unit);  // listed once, however often set aside
        m_in_reserve[unit] = true;
    }

    /// Places `units` in the touching areas of their strongest ties; with
    /// `prefer_valid`, the strongest among the areas that still meet the rule
    /// with them, when there is one. Units that touch no area wait for their
    /// neighbours.
    void place_last(std::vector<std::uint32_t> waiting, bool prefer_valid) {
        bool moved = true;
        while (!waiting.empty() && moved) {
            moved = false;
            std::vector<std::uint32_t> still;
            for (const std::uint32_t u : waiting) {
                Choice choice = prefer_valid ? best_area(u, true) : Choice{};
                if (choice.area == none) choice = best_area(u);
                if (choice.area == none) {
                    still.push_back(u);
                    continue;
                }
                join(u, choice);
                moved = true;
            }
            waiting = std::move(still);
        }
    }

    const ContiguityGraph& m_graph;
    const FlowTable& m_flows;
    const FunctionalAreaRules& m_rules;
    std::vector<std::int32_t> m_area_of;
    std::vector<Area> m_areas;  ///< numbered by the unit each started as
    std::vector<Sum> m_sums;    ///< scratch of best_area, per area
    std::vector<std::uint32_t> m_without_flows;
    std::vector<std::uint32_t> m_reserve;  ///< every unit ever set aside, in order, once
    std::vector<std::uint32_t> m_waiting;  ///< set aside this round, to be placed at its end
    std::vector<bool> m_in_reserve;
    std::vector<bool> m_reached;  ///< scratch of rest_in_one_piece, all false between calls
    std::vector<unsigned> m_moves;  ///< per unit: how often it has left an area for another, one unit at a time
    static constexpr unsigned max_moves = 4;
    std::size_t m_dissolved = 0;
};

}  // namespace

FunctionalAreas functional_areas(const ContiguityGraph& graph, const std::vector<Flow>& flows,
                                 const FunctionalAreaRules& rules, const ClusterProgress& progress) {
    rules.check();
    if (graph.size() == 0) throw invalid_input("functional areas need at least one unit");
    const FlowTable table(graph.size(), flows);
    AreaBuilder builder(graph, table, rules);
    builder.run(progress);
    return builder.result();
}

ContiguityGraph join_islands_by_flows(const ContiguityGraph& graph, const std::vector<Flow>& flows) {
    // For each unit with no neighbour, its largest flow to one unit and from one unit (the lower unit on a tie).
    struct Tie {
        double people = 0;
        std::uint32_t other = 0;
    };
    std::vector<Tie> sent(graph.size()), received(graph.size());
    auto consider = [](Tie& tie, double people, std::uint32_t other) {
        if (people > tie.people || (people > 0 && people == tie.people && other < tie.other)) tie = {people, other};
    };
    for (const Flow& f : flows) {
        check_flow(f, graph.size());
        if (f.from == f.to || f.crosses_edge()) continue;
        if (graph.degree(f.from) == 0) consider(sent[f.from], f.people, f.to);
        if (graph.degree(f.to) == 0) consider(received[f.to], f.people, f.from);
    }
    std::vector<std::pair<std::uint32_t, std::uint32_t>> links;
    for (std::uint32_t u = 0; u < graph.size(); ++u) {
        // The unit it sends most commuters to; with none, the one it receives most from.
        const Tie& tie = sent[u].people > 0 ? sent[u] : received[u];
        if (graph.degree(u) == 0 && tie.people > 0) links.emplace_back(std::min(u, tie.other), std::max(u, tie.other));
    }
    std::sort(links.begin(), links.end());
    links.erase(std::unique(links.begin(), links.end()), links.end());
    if (links.empty()) return graph;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
    std::vector<double> lengths;
    for (std::uint32_t u = 0; u < graph.size(); ++u)
        for (std::size_t i = graph.offsets[u]; i < graph.offsets[u + 1]; ++i)
            if (u < graph.neighbours[i]) {
                edges.emplace_back(u, graph.neighbours[i]);
                lengths.push_back(graph.shared_length.empty() ? 0.0 : graph.shared_length[i]);
            }
    edges.insert(edges.end(), links.begin(), links.end());
    lengths.resize(edges.size(), 0.0);
    ContiguityGraph linked = graph_from_edges(graph.codes, edges, lengths);
    linked.snap = graph.snap;
    linked.islands = graph.islands;
    linked.joined = graph.joined;
    linked.joined.insert(linked.joined.end(), links.begin(), links.end());
    return linked;
}

}  // namespace clustering
}  // namespace placedef
