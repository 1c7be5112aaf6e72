#include "placedef/choice.hpp"
#include "placedef/error.hpp"
#include "placedef/io.hpp"
#include "placedef/scoring.hpp"
#include "placedef/text.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

namespace placedef {
inline namespace scoring {

const char* to_string(BestFitMethod method) {
    switch (method) {
        case BestFitMethod::area: return "area";
        case BestFitMethod::centroid: return "centroid";
        case BestFitMethod::population: return "population";
    }
    return "area";
}

BestFitMethod best_fit_method_from_string(const std::string& text) {
    return choice_from_string(text, "best-fit method",
                              std::array{BestFitMethod::area, BestFitMethod::centroid, BestFitMethod::population});
}

namespace {

/// The row with the largest value of `key` among `rows`, and the parents tied
/// with it: within best_fit_tie (relative) of the largest. A tie goes to the
/// parent whose code sorts first, so the result never depends on row order,
/// and the others are named.
struct Winner {
    const IntersectionRow* row = nullptr;
    std::vector<std::string> tied;  ///< the other parents, in code order
};

template <typename Key>
Winner winner(const IntersectionTable& table, const std::vector<std::size_t>& rows, Key key) {
    double largest = 0;
    bool any = false;
    for (std::size_t r : rows) {
        largest = any ? std::max(largest, key(table.rows[r])) : key(table.rows[r]);
        any = true;
    }
    Winner result;
    if (!any) return result;
    const double floor = largest - best_fit_tie * std::abs(largest);
    std::vector<const IntersectionRow*> close;
    for (std::size_t r : rows)
        if (key(table.rows[r]) >= floor) close.push_back(&table.rows[r]);
    std::sort(close.begin(), close.end(),
              [](const IntersectionRow* l, const IntersectionRow* r) { return l->b_code < r->b_code; });
    result.row = close.front();
    for (std::size_t i = 1; i < close.size(); ++i) result.tied.push_back(close[i]->b_code);
    return result;
}

void add_note(BestFitRow& row, const std::string& text) { row.note += (row.note.empty() ? "" : "; ") + text; }

}  // namespace

std::vector<BestFitRow> best_fit(const IntersectionTable& table, const BestFitOptions& options,
                                 const std::vector<long>& containing_parent) {
    if (!(options.ambiguous_below >= 0 && options.ambiguous_below <= 1))
        throw invalid_input("the ambiguity threshold must lie in [0, 1] (default 0.9)");
    if (options.method == BestFitMethod::population && !table.has_population)
        throw invalid_input("the population method needs a population layer and table (--pop, --pop-table)");
    const std::size_t children = table.a_codes.size();
    if (options.method == BestFitMethod::centroid && containing_parent.size() != children)
        throw invalid_input("the centroid method needs the parent of each child's point on surface");

    std::vector<std::vector<std::size_t>> rows_of(children);
    for (std::size_t r = 0; r < table.rows.size(); ++r) rows_of[table.rows[r].a_index].push_back(r);
    std::vector<std::size_t> order(children);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t l, std::size_t r) { return table.a_codes[l] < table.a_codes[r]; });

    std::unordered_map<std::string, std::size_t> parent_index;
    for (std::size_t i = 0; i < table.b_codes.size(); ++i) parent_index.emplace(table.b_codes[i], i);

    std::vector<BestFitRow> result;
    result.reserve(children);
    for (std::size_t child : order) {
        BestFitRow row;
        row.child = table.a_codes[child];
        row.method = options.method;
        const std::vector<std::size_t>& rows = rows_of[child];
        std::vector<std::string> tied;
        auto by_area = [&] {
            const Winner best = winner(table, rows, [](const IntersectionRow& r) { return r.area_m2; });
            if (best.row) {
                row.parent = best.row->b_code;
                row.share = best.row->share_of_a;
                tied = best.tied;
            }
        };
        switch (options.method) {
            case BestFitMethod::area:
                by_area();
                break;
            case BestFitMethod::population:
                if (table.a_pop[child] > 0) {
                    // No winner when no parent overlaps the child: reported below.
                    const Winner best = winner(table, rows, [](const IntersectionRow& r) { return r.pop; });
                    if (best.row) {
                        row.parent = best.row->b_code;
                        row.share = best.row->pop_share_of_a;
                        tied = best.tied;
                    }
                } else {
                    row.method = BestFitMethod::area;
                    add_note(row, "no population: area used");
                    by_area();
                }
                break;
            case BestFitMethod::centroid: {
                const long parent = containing_parent[child];
                if (parent >= 0) {
                    row.parent = table.b_codes[static_cast<std::size_t>(parent)];
                    for (std::size_t r : rows)
                        if (table.rows[r].b_index == static_cast<std::size_t>(parent)) row.share = table.rows[r].share_of_a;
                } else {
                    row.note = "point on surface outside every parent";
                }
                break;
            }
        }
        if (row.parent.empty() && row.note.empty()) row.note = "no parent overlaps the child";
        if (!tied.empty()) {
            std::string names;
            for (const std::string& code : tied) names += (names.empty() ? "" : ", ") + code;
            add_note(row, "tie with " + names + " (the first code taken)");
        }
        // Parents that do not overlap cannot both hold more than half of a child:
        // when the one chosen and another do, the parents overlap here, and the
        // child belongs to both as much as to the one chosen.
        const bool by_people = row.method == BestFitMethod::population;
        std::vector<std::string> overlapping;
        for (std::size_t r : rows) {
            const IntersectionRow& other = table.rows[r];
            const double share = by_people ? other.pop_share_of_a : other.share_of_a;
            if (row.share > 0.5 && other.b_code != row.parent && share > 0.5)
                overlapping.push_back(other.b_code + " (" + percent_text(share) + ")");
        }
        std::sort(overlapping.begin(), overlapping.end());
        if (!overlapping.empty() && !row.parent.empty()) {
            std::string names;
            for (const std::string& text : overlapping) names += (names.empty() ? "" : ", ") + text;
            add_note(row, "also in " + names + ": the parents overlap here");
        }
        row.ambiguous = row.parent.empty() || row.share < options.ambiguous_below || !tied.empty() ||
                        !overlapping.empty();
        row.child_name = table.a_names[child];
        if (auto found = parent_index.find(row.parent); found != parent_index.end())
            row.parent_name = table.b_names[found->second];
        result.push_back(std::move(row));
    }
    return result;
}

void write_best_fit_csv(const std::vector<BestFitRow>& rows, const std::string& path, NumberForm form) {
    CsvWriter csv(path);
    csv.header({"child_code", "child_name", "parent_code", "parent_name", "method",
                quantity_column("share", Quantity::share, form), "ambiguous", "note"});
    for (const BestFitRow& row : rows) {
        csv.cell(row.child).cell(row.child_name).cell(row.parent).cell(row.parent_name);
        csv.cell(std::string(to_string(row.method))).cell(quantity_value(row.share, Quantity::share, form));
        csv.cell(row.ambiguous ? 1 : 0).cell(row.note);
        csv.end_row();
    }
    csv.close();
}

}  // namespace scoring
}  // namespace placedef
