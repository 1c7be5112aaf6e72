#include "placedef/problems.hpp"

#include "core/text.hpp"

namespace placedef {
inline namespace core {

const char* to_string(InvalidPolicy policy) {
    switch (policy) {
        case InvalidPolicy::repair: return "repair";
        case InvalidPolicy::skip: return "skip";
        case InvalidPolicy::fail: return "fail";
    }
    return "unknown";
}

InvalidPolicy invalid_policy_from_string(const std::string& text) {
    for (InvalidPolicy policy : {InvalidPolicy::repair, InvalidPolicy::skip, InvalidPolicy::fail})
        if (detail::iequals(detail::trim(text), to_string(policy))) return policy;
    throw invalid_input("invalid-geometry policy '" + text + "' is not one of: repair, skip, fail");
}

const char* to_string(ProblemKind kind) {
    switch (kind) {
        case ProblemKind::invalid_geometry: return "invalid_geometry";
        case ProblemKind::null_geometry: return "null_geometry";
        case ProblemKind::empty_geometry: return "empty_geometry";
        case ProblemKind::wrong_geometry_type: return "wrong_geometry_type";
        case ProblemKind::duplicate_code: return "duplicate_code";
        case ProblemKind::empty_code: return "empty_code";
        case ProblemKind::missing_key: return "missing_key";
        case ProblemKind::non_numeric_value: return "non_numeric_value";
        case ProblemKind::collapsed_geometry: return "collapsed_geometry";
        case ProblemKind::small_share_dropped: return "small_share_dropped";
        case ProblemKind::practice_not_used: return "practice_not_used";
        case ProblemKind::text_encoding: return "text_encoding";
        case ProblemKind::degenerate_ring: return "degenerate_ring";
        case ProblemKind::overlapping_units: return "overlapping_units";
        case ProblemKind::corrupt_geometry: return "corrupt_geometry";
        case ProblemKind::curve_linearised: return "curve_linearised";
        case ProblemKind::outside_crs_area: return "outside_crs_area";
    }
    return "unknown";
}

const char* to_string(ProblemAction action) {
    switch (action) {
        case ProblemAction::repaired: return "repaired";
        case ProblemAction::skipped: return "skipped";
        case ProblemAction::merged: return "merged";
        case ProblemAction::kept: return "kept";
        case ProblemAction::failed: return "failed";
    }
    return "unknown";
}

std::string Problem::describe() const {
    std::string text = where.describe();
    if (!text.empty()) text += ": ";
    text += std::string(to_string(kind)) + " (" + to_string(action) + ")";
    if (!detail.empty()) text += ": " + detail;
    return text;
}

// Stored before the listener runs, so that the counts stay right even when
// a listener throws (for example to stop at the first problem).
void ProblemSink::report(Problem problem) {
    m_problems.push_back(std::move(problem));
    if (m_listener) m_listener(m_problems.back());
}

std::size_t ProblemSink::count(ProblemKind kind) const {
    std::size_t n = 0;
    for (const Problem& problem : m_problems)
        if (problem.kind == kind) ++n;
    return n;
}

std::map<std::pair<ProblemKind, ProblemAction>, std::size_t> ProblemSink::tally() const {
    std::map<std::pair<ProblemKind, ProblemAction>, std::size_t> counts;
    for (const Problem& problem : m_problems) ++counts[{problem.kind, problem.action}];
    return counts;
}

std::string ProblemSink::summary() const {
    if (m_problems.empty()) return "no problems";
    std::string text;
    for (const auto& [key, n] : tally()) {
        if (!text.empty()) text += ", ";
        text += std::to_string(n) + " " + to_string(key.first) + " " + to_string(key.second);
    }
    return text;
}

}  // namespace core
}  // namespace placedef
