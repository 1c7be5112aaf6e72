#include "detail/partner_table.hpp"

#include "detail/regions.hpp"

#include "placedef/text.hpp"

#include <algorithm>

namespace placedef {
namespace detail {

PartnerTable::PartnerTable(const PartnerUnits& units, const ClusteringProblem& problem,
                           const std::vector<std::int32_t>& region, std::size_t regions, Lines lines)
    : m_units(units),
      m_problem(problem),
      m_by(lines),
      m_lines(lines == Lines::regions ? regions : units.codes.size()) {
    if (m_by == Lines::units) m_unit_blocks.resize(units.codes.size());
    for (std::size_t block = 0; block < region.size(); ++block) {
        const std::int32_t unit = units.unit[block];
        if (unit < 0) continue;
        const double people = problem.population_of(block);
        if (m_by == Lines::regions) {
            add(m_lines[static_cast<std::size_t>(region[block])], unit, people);
        } else {
            add(m_lines[static_cast<std::size_t>(unit)], region[block], people);
            m_unit_blocks[static_cast<std::size_t>(unit)].push_back(static_cast<std::uint32_t>(block));
        }
    }
    m_leaders.resize(m_lines.size());
    for (std::size_t index = 0; index < m_lines.size(); ++index) {
        m_leaders[index] = rank(m_lines[index]);
        m_outside += m_leaders[index].outside();
    }
}

double PartnerTable::people_at(const Line& line, std::int32_t at) {
    for (const Entry& entry : line)
        if (entry.at == at) return entry.people;
    return 0.0;
}

void PartnerTable::add(Line& line, std::int32_t at, double people) {
    for (Entry& entry : line)
        if (entry.at == at) {
            ++entry.blocks;
            entry.people += people;
            return;
        }
    line.push_back({at, 1, people});
}

void PartnerTable::remove(Line& line, std::int32_t at, double people) {
    for (Entry& entry : line)
        if (entry.at == at) {
            entry.people -= people;
            if (--entry.blocks == 0) {
                entry = line.back();
                line.pop_back();
            }
            return;
        }
}

PartnerTable::Leaders PartnerTable::rank(const Line& line) {
    Leaders leaders;
    for (const Entry& entry : line) {
        leaders.total += entry.people;
        // ties go to the lowest index, so that the leader does not depend on the order of moves
        if (leaders.first_at < 0 || entry.people > leaders.first || (entry.people == leaders.first && entry.at < leaders.first_at)) {
            if (leaders.first_at >= 0) leaders.second = leaders.first;
            leaders.first = entry.people;
            leaders.first_at = entry.at;
        } else if (entry.people > leaders.second) {
            leaders.second = entry.people;
        }
    }
    return leaders;
}

void PartnerTable::rerank(std::size_t index) {
    m_outside -= m_leaders[index].outside();
    m_leaders[index] = rank(m_lines[index]);
    m_outside += m_leaders[index].outside();
}

double PartnerTable::outside_delta(std::size_t block, std::int32_t from, std::int32_t to) const {
    const std::int32_t unit = m_units.unit[block];
    if (unit < 0 || from == to) return 0.0;
    const double moving = m_problem.population_of(block);
    if (m_by == Lines::regions) {
        // the unit's entry falls in the row left and rises in the row joined
        const auto f = static_cast<std::size_t>(from), t = static_cast<std::size_t>(to);
        const Leaders& left = m_leaders[f];
        const double left_first =
            std::max(people_at(m_lines[f], unit) - moving, left.first_at == unit ? left.second : left.first);
        const Leaders& joined = m_leaders[t];
        const double joined_first = std::max(joined.first, people_at(m_lines[t], unit) + moving);
        return ((left.total - moving - left_first) - left.outside()) +
               ((joined.total + moving - joined_first) - joined.outside());
    }
    // one column: `from`'s entry falls, `to`'s rises. The largest entry other
    // than `from`'s may be `to`'s old one, which is harmless as its new one
    // is larger.
    const Line& column = m_lines[static_cast<std::size_t>(unit)];
    const Leaders& c = m_leaders[static_cast<std::size_t>(unit)];
    const double others = c.first_at == from ? c.second : c.first;
    const double first = std::max({people_at(column, to) + moving, people_at(column, from) - moving, others});
    return c.first - first;
}

void PartnerTable::move(std::size_t block, std::int32_t from, std::int32_t to) {
    const std::int32_t unit = m_units.unit[block];
    if (unit < 0 || from == to) return;
    const double moving = m_problem.population_of(block);
    if (m_by == Lines::regions) {
        remove(m_lines[static_cast<std::size_t>(from)], unit, moving);
        add(m_lines[static_cast<std::size_t>(to)], unit, moving);
        rerank(static_cast<std::size_t>(from));
        rerank(static_cast<std::size_t>(to));
    } else {
        Line& column = m_lines[static_cast<std::size_t>(unit)];
        remove(column, from, moving);
        add(column, to, moving);
        rerank(static_cast<std::size_t>(unit));
    }
}

PartnerTerms::PartnerTerms(const ClusteringProblem& problem, const std::vector<std::int32_t>& region, std::size_t regions) {
    if (problem.respect.empty() && problem.align.empty()) return;
    const double scale = partner_cost_scale(problem);
    m_terms.reserve(problem.respect.size() + problem.align.size());
    for (const PartnerUnits& units : problem.respect)
        m_terms.push_back({PartnerTable(units, problem, region, regions, PartnerTable::Lines::regions), units.weight * scale, false});
    for (const PartnerUnits& units : problem.align)
        m_terms.push_back({PartnerTable(units, problem, region, regions, PartnerTable::Lines::units), units.weight * scale, true});
}

double PartnerTerms::cost() const {
    double total = 0;
    for (const Term& term : m_terms) total += term.rate * term.table.outside();
    return total;
}

double PartnerTerms::delta(std::size_t block, std::int32_t from, std::int32_t to) const {
    double total = 0;
    for (const Term& term : m_terms) total += term.rate * term.table.outside_delta(block, from, to);
    return total;
}

void PartnerTerms::move(std::size_t block, std::int32_t from, std::int32_t to) {
    for (Term& term : m_terms) term.table.move(block, from, to);
}

double crossing_factor(const ClusteringProblem& problem, std::size_t a, std::size_t b) {
    double factor = 1.0;
    for (const auto* layers : {&problem.respect, &problem.align})
        for (const PartnerUnits& units : *layers)
            if (units.unit[a] != units.unit[b] && units.unit[a] >= 0 && units.unit[b] >= 0) factor += units.weight;
    return factor;
}

}  // namespace detail

inline namespace clustering {

double partner_cost_scale(const ClusteringProblem& problem) {
    detail::RegionSums all(problem.dimensions);
    double people = 0;
    for (std::size_t block = 0; block < problem.size(); ++block) {
        all.add(problem, block);
        people += problem.population_of(block);
    }
    const double tss = all.wss();
    return (tss > 0 ? tss : 1.0) / (people > 0 ? people : 1.0);
}

double partner_cost(const ClusteringProblem& problem, const std::vector<std::int32_t>& region) {
    if (problem.respect.empty() && problem.align.empty()) return 0.0;
    std::int32_t highest = -1;
    for (const std::int32_t r : region) highest = std::max(highest, r);
    return detail::PartnerTerms(problem, region, static_cast<std::size_t>(highest + 1)).cost();
}

std::size_t PartnerFit::footprints_across(double share) const {
    std::size_t count = 0;
    for (std::size_t r = 0; r < footprint_people.size(); ++r)
        if (footprint_people[r] > 0 && footprint_outside[r] > share * footprint_people[r]) ++count;
    return count;
}

std::size_t PartnerFit::units_within_one(double share) const {
    std::size_t count = 0;
    for (std::size_t u = 0; u < unit_people.size(); ++u)
        if (unit_people[u] > 0 && unit_people[u] - unit_outside[u] >= share * unit_people[u]) ++count;
    return count;
}

std::size_t PartnerFit::units_with_people() const {
    return static_cast<std::size_t>(std::count_if(unit_people.begin(), unit_people.end(), [](double p) { return p > 0; }));
}

std::string describe_respect(const PartnerFit& fit) {
    return std::to_string(fit.footprints_across(partner_across_share)) + " of " + std::to_string(fit.footprint_people.size()) +
           " footprints have more than " + percent_text(partner_across_share) + " of their people across its lines; " +
           percent_text(fit.footprints_in_units) + " of people are in their footprint's main unit";
}

std::string describe_align(const PartnerFit& fit, double whole) {
    return percent_text(fit.units_in_footprints) + " of its people are in their unit's main footprint; " +
           std::to_string(fit.units_within_one(whole)) + " of " + std::to_string(fit.units_with_people()) +
           " units lie wholly in one footprint";
}

PartnerFit partner_fit(const ClusteringProblem& problem, const PartnerUnits& units, const std::vector<std::int32_t>& region,
                       std::size_t regions) {
    using Table = detail::PartnerTable;
    const Table rows(units, problem, region, regions, Table::Lines::regions);
    const Table columns(units, problem, region, regions, Table::Lines::units);
    PartnerFit fit;
    fit.layer = units.layer;
    fit.weight = units.weight;
    double people = 0;
    for (std::size_t r = 0; r < rows.line_count(); ++r) {
        fit.footprint_people.push_back(rows.line(r).total);
        fit.footprint_outside.push_back(rows.line(r).outside());
        fit.footprint_main.push_back(rows.line(r).first_at);
        people += rows.line(r).total;
    }
    for (std::size_t u = 0; u < columns.line_count(); ++u) {
        fit.unit_people.push_back(columns.line(u).total);
        fit.unit_outside.push_back(columns.line(u).outside());
        fit.unit_main.push_back(columns.line(u).first_at);
    }
    fit.footprints_in_units = people > 0 ? 1.0 - rows.outside() / people : 1.0;
    fit.units_in_footprints = people > 0 ? 1.0 - columns.outside() / people : 1.0;
    return fit;
}

}  // namespace clustering
}  // namespace placedef
