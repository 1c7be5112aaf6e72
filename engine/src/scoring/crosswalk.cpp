// Crosswalks: each unit of a layer read against another, in the measure a
// reader is shown (people when there are any, else area).
#include "placedef/io.hpp"
#include "placedef/scoring.hpp"
#include "placedef/text.hpp"

#include <algorithm>
#include <cmath>

namespace placedef {
inline namespace scoring {

namespace {

CrosswalkUnit read_unit(const UnitRelation& unit, const LayerScore& score, const ScoringOptions& options) {
    CrosswalkUnit out;
    out.layer = score.layer;
    out.other_layer = score.other;
    out.code = unit.code;
    out.name = unit.name;
    out.by_people = !std::isnan(unit.pop_covered) && unit.pop_covered > 0;
    if (unit.relation == Relation::outside) return out;

    std::vector<CrosswalkPart> parts;
    for (const SplitPiece& piece : unit.pieces) {
        CrosswalkPart part;
        part.code = piece.code;
        part.name = piece.name;
        part.area_share = piece.share;
        part.pop_share = piece.pop_share;
        if (out.by_people) part.people = piece.pop_share * unit.pop_covered;
        part.share = out.by_people ? piece.pop_share : piece.share;
        parts.push_back(std::move(part));
    }
    std::stable_sort(parts.begin(), parts.end(), [](const CrosswalkPart& l, const CrosswalkPart& r) {
        if (l.share != r.share) return l.share > r.share;
        return l.code < r.code;
    });
    // The main unit is main_unit's: the same rule as every other table.
    const std::string main = main_unit(unit).code;
    for (CrosswalkPart& part : parts) {
        part.main = part.code == main;
        if (part.main && part.share >= options.tolerance) out.status = CrosswalkStatus::whole;
        if (part.main || part.share >= options.min_share) {
            out.parts.push_back(part);
        } else {
            ++out.small_parts;
            out.small_share += part.share;
        }
    }
    if (out.status != CrosswalkStatus::whole) out.status = CrosswalkStatus::split;
    return out;
}

}  // namespace

const char* to_string(CrosswalkStatus status) {
    switch (status) {
        case CrosswalkStatus::whole: return "whole";
        case CrosswalkStatus::split: return "split";
        case CrosswalkStatus::outside: return "outside";
    }
    return "?";
}

std::vector<CrosswalkUnit> crosswalk(const AlignmentReport& report) {
    std::vector<CrosswalkUnit> units;
    for (const UnitRelation& unit : report.a_units) units.push_back(read_unit(unit, report.a_in_b, report.options));
    for (const UnitRelation& unit : report.b_units) units.push_back(read_unit(unit, report.b_in_a, report.options));
    return units;
}

std::string falls_in_text(const CrosswalkUnit& unit, std::size_t max_parts) {
    if (unit.status == CrosswalkStatus::outside) return "outside " + unit.other_layer;
    std::string text;
    for (std::size_t i = 0; i < unit.parts.size() && i < max_parts; ++i) {
        const CrosswalkPart& part = unit.parts[i];
        if (!text.empty()) text += ", ";
        text += (part.name.empty() ? part.code : part.name) + " " + percent_text(part.share);
    }
    const std::size_t more = unit.parts.size() > max_parts ? unit.parts.size() - max_parts : 0;
    if (more > 0) text += " and " + std::to_string(more) + " more";
    // Pieces under a thousandth are edge slivers of two maps drawn apart; "> 99.9 %" already says so.
    if (unit.small_parts > 0 && unit.small_share >= 0.0005)
        text += (more > 0 ? "; " : " and ") + std::to_string(unit.small_parts) + " smaller (" +
                percent_text(unit.small_share) + ")";
    return text;
}

void write_crosswalk_csv(const std::vector<CrosswalkUnit>& units, const std::string& path, NumberForm form) {
    CsvWriter csv(path);
    auto share = [form](const std::string& name) { return quantity_column(name, Quantity::share, form); };
    csv.header({"layer", "code", "name", "status", "measure", "other_layer", "other_code", "other_name", "main",
                "people", share("share"), share("share_of_area"), share("share_of_people"), "parts", "small_parts",
                share("small_share")});
    for (const CrosswalkUnit& unit : units) {
        auto begin_row = [&] {
            csv.cell(unit.layer).cell(unit.code).cell(unit.name).cell(std::string(to_string(unit.status)));
            csv.cell(std::string(unit.by_people ? "people" : "area")).cell(unit.other_layer);
        };
        auto end_row = [&] {
            csv.cell(unit.parts.size()).cell(unit.small_parts);
            csv.cell(quantity_value(unit.small_share, Quantity::share, form));
            csv.end_row();
        };
        if (unit.parts.empty()) {
            begin_row();
            for (int i = 0; i < 7; ++i) csv.cell(std::string());
            end_row();
        }
        for (const CrosswalkPart& part : unit.parts) {
            begin_row();
            csv.cell(part.code).cell(part.name).cell(part.main ? 1 : 0);
            csv.cell(quantity_value(part.people, Quantity::people, form));
            for (double value : {part.share, part.area_share, part.pop_share})
                csv.cell(quantity_value(value, Quantity::share, form));
            end_row();
        }
    }
    csv.close();
}

}  // namespace scoring
}  // namespace placedef
