// The partner terms of the objective (ClusteringProblem::respect and ::align),
// kept up to date as blocks move between regions.
//
// A partner layer's people form a table, regions by units. The respect term
// is the sum over regions of the people outside their main unit (a row's
// total less its largest entry); the align term the sum over units of the
// people outside their main region (a column's total less its largest
// entry). So a respect table keeps only its rows and an align table only its
// columns, each as a short list of the entries that hold people, with its
// total and its two largest entries. The change a move would make is then a
// look-up in one or two short lists (a footprint touches a few districts, a
// division a few footprints), and a move re-ranks the lists it touched.
#pragma once

#include "placedef/clustering.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace placedef::detail {

class PartnerTable {
public:
    /// The lines whose people outside their largest entry are counted.
    enum class Lines {
        regions,  ///< respect: per region, the people outside its main unit
        units     ///< align: per unit, the people outside its main region
    };
    /// A line's total and its two largest entries; `first_at` is where the
    /// largest lies (the lowest index among equals), -1 in an empty line.
    struct Leaders {
        double total = 0, first = 0, second = 0;
        std::int32_t first_at = -1;
        double outside() const { return total - first; }
    };

    /// `region` labels every block 0 .. regions-1.
    PartnerTable(const PartnerUnits& units, const ClusteringProblem& problem, const std::vector<std::int32_t>& region,
                 std::size_t regions, Lines lines);

    Lines lines() const { return m_by; }
    std::int32_t unit_of(std::size_t block) const { return m_units.unit[block]; }
    const std::vector<std::uint32_t>& blocks_of(std::int32_t unit) const { return m_unit_blocks[static_cast<std::size_t>(unit)]; }
    std::size_t line_count() const { return m_leaders.size(); }
    const Leaders& line(std::size_t index) const { return m_leaders[index]; }

    /// Σ over the lines of the people outside their largest entry.
    double outside() const { return m_outside; }
    /// The change in outside() if `block` moved from its region `from` to `to`.
    double outside_delta(std::size_t block, std::int32_t from, std::int32_t to) const;
    void move(std::size_t block, std::int32_t from, std::int32_t to);

private:
    struct Entry {
        std::int32_t at;       ///< the unit (in a region's line) or the region (in a unit's line)
        std::uint32_t blocks;  ///< decides when the entry empties, whatever the rounding of `people`
        double people;
    };
    using Line = std::vector<Entry>;
    static double people_at(const Line& line, std::int32_t at);
    void add(Line& line, std::int32_t at, double people);
    void remove(Line& line, std::int32_t at, double people);
    static Leaders rank(const Line& line);
    void rerank(std::size_t index);

    const PartnerUnits& m_units;
    const ClusteringProblem& m_problem;
    Lines m_by;
    std::vector<Line> m_lines;
    std::vector<Leaders> m_leaders;
    std::vector<std::vector<std::uint32_t>> m_unit_blocks;  ///< align: the blocks of each unit
    double m_outside = 0;
};

/// Every partner term of a problem: respect and align, each layer weighted
/// and scaled (partner_cost_scale) into the units of the objective.
class PartnerTerms {
public:
    PartnerTerms(const ClusteringProblem& problem, const std::vector<std::int32_t>& region, std::size_t regions);

    bool empty() const { return m_terms.empty(); }
    const PartnerTable& table(std::size_t index) const { return m_terms[index].table; }
    double cost() const;
    /// The change in cost() if `block` moved from `from` to `to`.
    double delta(std::size_t block, std::int32_t from, std::int32_t to) const;
    /// Makes the move in every table.
    void move(std::size_t block, std::int32_t from, std::int32_t to);
    /// The blocks whose moves change price, beyond those of the two regions
    /// involved, when `block` moves: the other blocks of its unit in each
    /// aligned layer (a unit's main region can change). Calls visit(b).
    template <typename Visit>
    void for_column_partners(std::size_t block, Visit&& visit) const {
        for (const Term& term : m_terms) {
            if (!term.align) continue;
            const std::int32_t unit = term.table.unit_of(block);
            if (unit < 0) continue;
            for (const std::uint32_t other : term.table.blocks_of(unit)) visit(other);
        }
    }

private:
    struct Term {
        PartnerTable table;
        double rate;  ///< weight × partner_cost_scale
        bool align;
    };
    std::vector<Term> m_terms;
};

/// The factor by which an edge of the graph grows (in seeded growth's
/// distances and SKATER's tree) for crossing partner layers' lines: 1 plus
/// the weight of each layer with two different units at its ends (so that,
/// at weight 1, a town reaches half as far across a line as along its side).
double crossing_factor(const ClusteringProblem& problem, std::size_t a, std::size_t b);

}  // namespace placedef::detail
