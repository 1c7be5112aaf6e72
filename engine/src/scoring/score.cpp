#include "placedef/error.hpp"
#include "placedef/io.hpp"
#include "placedef/scoring.hpp"
#include "placedef/text.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

namespace placedef {
inline namespace scoring {

const char* to_string(Relation relation) {
    switch (relation) {
        case Relation::coterminous: return "coterminous";
        case Relation::nested: return "nested";
        case Relation::built_from: return "built_from";
        case Relation::split: return "split";
        case Relation::outside: return "outside";
    }
    return "outside";
}

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

void check(const ScoringOptions& options) {
    if (!(options.tolerance > 0 && options.tolerance <= 1))
        throw invalid_input("the tolerance must lie in (0, 1]; it is the share treated as \"all\" (default 0.995)");
    if (!(options.min_share >= 0 && options.min_share < 1))
        throw invalid_input("the minimum share must lie in [0, 1) (default 0.01)");
    if (!(options.distance >= 0)) throw invalid_input("the alignment distance must be zero or more metres");
}

/// One side of an intersection table seen as "the units being scored".
struct Side {
    const std::vector<std::string>* codes;
    const std::vector<std::string>* names;
    const std::vector<double>* area;
    const std::vector<double>* pop;  ///< null without population
    std::vector<std::vector<std::size_t>> rows;  ///< row indices per unit
    std::vector<double> covered_area;            ///< area inside the other layer's coverage
    std::vector<double> covered_pop;
    bool is_a;

    std::size_t own(const IntersectionRow& row) const { return is_a ? row.a_index : row.b_index; }
    std::size_t other(const IntersectionRow& row) const { return is_a ? row.b_index : row.a_index; }
};

Side make_side(const IntersectionTable& table, bool is_a) {
    Side side;
    side.is_a = is_a;
    side.codes = is_a ? &table.a_codes : &table.b_codes;
    side.names = is_a ? &table.a_names : &table.b_names;
    side.area = is_a ? &table.a_area : &table.b_area;
    side.pop = table.has_population ? (is_a ? &table.a_pop : &table.b_pop) : nullptr;
    const std::size_t n = side.codes->size();
    side.rows.resize(n);
    std::vector<double> area_sum(n, 0.0), pop_sum(n, 0.0);
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const IntersectionRow& row = table.rows[r];
        const std::size_t unit = side.own(row);
        side.rows[unit].push_back(r);
        area_sum[unit] += row.area_m2;
        pop_sum[unit] += row.pop;
    }
    // The sum over-counts where the other layer's units overlap (LEP 2017),
    // hence the cap at the unit's own size.
    side.covered_area.resize(n);
    side.covered_pop.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        side.covered_area[i] = std::min((*side.area)[i], area_sum[i]);
        side.covered_pop[i] = side.pop ? std::min((*side.pop)[i], pop_sum[i]) : nan;
    }
    return side;
}

UnitRelation relate(const IntersectionTable& table, const Side& side, const Side& other, std::size_t unit,
                    const ScoringOptions& options, const BoundaryAlignment* alignment) {
    UnitRelation result;
    result.code = (*side.codes)[unit];
    result.name = (*side.names)[unit];
    result.area_m2 = (*side.area)[unit];
    const double covered = side.covered_area[unit];
    result.covered = result.area_m2 > 0 ? covered / result.area_m2 : 0.0;
    if (side.pop) {
        result.pop = (*side.pop)[unit];
        result.pop_covered = side.covered_pop[unit];
        result.pop_coverage = 0;
    }
    if (alignment) {
        result.boundary_alignment = alignment->share(unit);
        const double length = alignment->length[unit];
        result.outer_boundary = length > 0 ? alignment->outer[unit] / length : 0.0;
    }

    std::vector<std::pair<const IntersectionRow*, double>> shares;  // row, share of covered area
    for (std::size_t r : side.rows[unit]) {
        const IntersectionRow& row = table.rows[r];
        shares.emplace_back(&row, covered > 0 ? row.area_m2 / covered : 0.0);
    }
    std::sort(shares.begin(), shares.end(), [&](const auto& l, const auto& r) {
        if (l.second != r.second) return l.second > r.second;
        return (*other.codes)[other.own(*l.first)] < (*other.codes)[other.own(*r.first)];
    });
    for (const auto& [row, share] : shares) {
        SplitPiece piece;
        piece.code = (*other.codes)[side.other(*row)];
        piece.name = (*other.names)[side.other(*row)];
        piece.share = share;
        if (side.pop) {
            const double pop_covered = side.covered_pop[unit];
            piece.pop_share = pop_covered > 0 ? row->pop / pop_covered : 0.0;
            // Pieces come largest area first; a tie in people goes to the first code.
            const bool more = piece.pop_share > result.pop_coverage ||
                              (piece.pop_share == result.pop_coverage && piece.code < result.pop_best);
            if (pop_covered > 0 && (result.pop_best.empty() || more)) {
                result.pop_coverage = piece.pop_share;
                result.pop_best = piece.code;
                result.pop_best_name = piece.name;
            }
        }
        result.pieces.push_back(piece);
    }
    if (shares.empty() || result.covered < options.min_share) {
        result.relation = Relation::outside;
        return result;
    }

    const IntersectionRow& best = *shares.front().first;
    const std::size_t best_other = side.other(best);
    const double other_covered = other.covered_area[best_other];
    result.best = (*other.codes)[best_other];
    result.best_name = (*other.names)[best_other];
    result.coverage = shares.front().second;
    result.best_share_of_b = other_covered > 0 ? best.area_m2 / other_covered : 0.0;
    const double union_area = covered + other_covered - best.area_m2;
    result.iou = union_area > 0 ? best.area_m2 / union_area : 0.0;
    for (std::size_t i = 1; i < shares.size() && shares[i].second >= options.tolerance; ++i)
        result.also_within.push_back((*other.codes)[side.other(*shares[i].first)]);
    for (const auto& [row, share] : shares) {
        if (share >= options.min_share) ++result.fragmentation;
        const double other_area = other.covered_area[side.other(*row)];
        if (other_area > 0 && row->area_m2 / other_area >= options.tolerance) result.built_from += share;
    }

    if (result.coverage >= options.tolerance && result.best_share_of_b >= options.tolerance)
        result.relation = Relation::coterminous;
    else if (result.coverage >= options.tolerance)
        result.relation = Relation::nested;
    else if (result.built_from >= options.tolerance)
        result.relation = Relation::built_from;
    else
        result.relation = Relation::split;
    return result;
}

LayerScore summarise(const std::vector<UnitRelation>& units, const Side& side, const std::string& layer,
                     const std::string& other_layer, const BoundaryAlignment* alignment) {
    LayerScore score;
    score.layer = layer;
    score.other = other_layer;
    score.units = units.size();
    double weight = 0, weighted = 0, pop_weight = 0, pop_weighted = 0;
    std::size_t nested = 0, coterminous = 0;
    for (const UnitRelation& unit : units) {
        ++score.counts[static_cast<std::size_t>(unit.relation)];
        if (unit.relation == Relation::outside) continue;
        ++score.scored;
        const double covered = unit.area_m2 * unit.covered;
        weight += covered;
        weighted += covered * unit.coverage;
        if (side.pop && unit.pop_covered > 0) {
            pop_weight += unit.pop_covered;
            pop_weighted += unit.pop_covered * unit.pop_coverage;
        }
        nested += unit.relation == Relation::nested || unit.relation == Relation::coterminous;
        coterminous += unit.relation == Relation::coterminous;
        if (!unit.also_within.empty() && score.in_overlapping++ == 0) {
            score.overlapping_example = unit.code + " in " + unit.best;
            for (const std::string& code : unit.also_within) score.overlapping_example += " and " + code;
        }
    }
    if (score.scored == 0) {
        score.coterminosity_index = nan;
        score.nesting_rate = nan;
        score.coterminous_rate = nan;
    } else {
        score.coterminosity_index = weight > 0 ? weighted / weight : nan;
        score.nesting_rate = static_cast<double>(nested) / static_cast<double>(score.scored);
        score.coterminous_rate = static_cast<double>(coterminous) / static_cast<double>(score.scored);
    }
    if (side.pop) score.coterminosity_index_pop = pop_weight > 0 ? pop_weighted / pop_weight : nan;
    if (alignment) score.boundary_alignment = alignment->layer_share();
    return score;
}

std::vector<UnitRelation> relate_all(const IntersectionTable& table, const Side& side, const Side& other,
                                     const ScoringOptions& options, const BoundaryAlignment* alignment) {
    if (alignment && alignment->length.size() != side.codes->size())
        throw invalid_input("boundary alignment was computed for " + std::to_string(alignment->length.size()) +
                            " units, the table has " + std::to_string(side.codes->size()));
    std::vector<UnitRelation> units;
    units.reserve(side.codes->size());
    for (std::size_t i = 0; i < side.codes->size(); ++i) units.push_back(relate(table, side, other, i, options, alignment));
    std::sort(units.begin(), units.end(), [](const UnitRelation& l, const UnitRelation& r) { return l.code < r.code; });
    return units;
}

}  // namespace

AlignmentReport score(const IntersectionTable& table, const ScoringOptions& options,
                      const BoundaryAlignment* a_against_b, const BoundaryAlignment* b_against_a) {
    check(options);
    const Side a = make_side(table, true), b = make_side(table, false);
    AlignmentReport report;
    report.options = options;
    report.a_units = relate_all(table, a, b, options, a_against_b);
    report.b_units = relate_all(table, b, a, options, b_against_a);
    report.a_in_b = summarise(report.a_units, a, table.a_layer, table.b_layer, a_against_b);
    report.b_in_a = summarise(report.b_units, b, table.b_layer, table.a_layer, b_against_a);
    return report;
}

void write_alignment_csv(const AlignmentReport& report, const std::string& path, NumberForm form) {
    CsvWriter csv(path);
    auto share = [form](const std::string& name) { return quantity_column(name, Quantity::share, form); };
    csv.header({"layer", "other_layer", "code", "name", "relation", "best", "best_name", share("coverage"),
                share("best_share_of_other"), share("iou"), "fragmentation", share("covered"), share("built_from"),
                share("boundary_alignment"), share("outer_boundary"),
                quantity_column("area_m2", Quantity::area_m2, form), "pop", share("pop_coverage"), "pieces",
                "also_within"});
    auto write = [&](const std::vector<UnitRelation>& units, const LayerScore& score) {
        for (const UnitRelation& unit : units) {
            std::string pieces;
            for (const SplitPiece& piece : unit.pieces) {
                if (!pieces.empty()) pieces += ';';
                pieces += piece.code + ':' +
                          (form == NumberForm::full ? format_number(piece.share) : percent_text(piece.share));
            }
            auto cell = [&](double value, Quantity quantity) { csv.cell(quantity_value(value, quantity, form)); };
            csv.cell(score.layer).cell(score.other).cell(unit.code).cell(unit.name);
            csv.cell(std::string(to_string(unit.relation))).cell(unit.best).cell(unit.best_name);
            for (double value : {unit.coverage, unit.best_share_of_b, unit.iou}) cell(value, Quantity::share);
            csv.cell(unit.fragmentation);
            for (double value : {unit.covered, unit.built_from, unit.boundary_alignment, unit.outer_boundary})
                cell(value, Quantity::share);
            cell(unit.area_m2, Quantity::area_m2);
            cell(unit.pop, Quantity::people);
            cell(unit.pop_coverage, Quantity::share);
            csv.cell(pieces);
            std::string also;
            for (const std::string& code : unit.also_within) also += (also.empty() ? "" : ";") + code;
            csv.cell(also);
            csv.end_row();
        }
    };
    write(report.a_units, report.a_in_b);
    write(report.b_units, report.b_in_a);
    csv.close();
}

std::string describe(const LayerScore& score) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(3);
    out << score.layer << " against " << score.other << ": " << score.units << " units, " << score.scored
        << " scored (" << score.count(Relation::outside) << " outside " << score.other << ")\n";
    out << "  co-terminosity index " << score.coterminosity_index;
    if (!std::isnan(score.coterminosity_index_pop)) out << " (population-weighted " << score.coterminosity_index_pop << ")";
    out << ", nesting rate " << score.nesting_rate << ", co-terminous " << score.coterminous_rate;
    if (!std::isnan(score.boundary_alignment)) out << ", boundary alignment " << score.boundary_alignment;
    out << "\n  " << score.count(Relation::coterminous) << " co-terminous, " << score.count(Relation::nested)
        << " nested, " << score.count(Relation::built_from) << " built from, " << score.count(Relation::split)
        << " split\n";
    if (score.in_overlapping > 0)
        out << "  " << score.in_overlapping << " unit(s) lie wholly in two or more units of " << score.other
            << ", which overlap there (" << score.overlapping_example << "): each is nested in all of them\n";
    return out.str();
}

MainUnit main_unit(const UnitRelation& unit) {
    if (unit.relation == Relation::outside) return {};
    if (!unit.pop_best.empty()) return MainUnit{unit.pop_best, unit.pop_best_name, unit.pop_coverage, true};
    return MainUnit{unit.best, unit.best_name, unit.coverage, false};
}

}  // namespace scoring
}  // namespace placedef
