// Table: text cells keyed by a code column, and the strict number parser
// every reader of numbers shares.
#include "placedef/error.hpp"
#include "placedef/table.hpp"

#include "core/location.hpp"
#include "core/text.hpp"

#include <charconv>
#include <cmath>
#include <system_error>

namespace placedef {
inline namespace core {

std::optional<double> parse_number(const std::string& text) {
    std::string_view digits = detail::trim(text);
    // from_chars refuses a leading '+', which is still a plain decimal number.
    if (!digits.empty() && digits.front() == '+') {
        digits.remove_prefix(1);
        if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) return std::nullopt;
    }
    if (digits.empty()) return std::nullopt;
    double value = 0;
    const char* end = digits.data() + digits.size();
    const auto [stop, status] = std::from_chars(digits.data(), end, value);
    if (status != std::errc() || stop != end || !std::isfinite(value)) return std::nullopt;
    return value;
}

std::optional<std::size_t> Table::column_index(const std::string& name) const {
    return detail::find_name(columns, name);
}

std::optional<std::size_t> Table::row_of(const std::string& key) const {
    auto it = m_row_of.find(key);
    if (it == m_row_of.end()) return std::nullopt;
    return it->second;
}

double Table::number(std::size_t row, std::size_t column) const {
    const std::string& text = rows.at(row).at(column);
    if (auto value = parse_number(text)) return *value;
    Location where = detail::at_field(detail::in_file(source), columns.at(column));
    if (row < keys.size()) where.code = keys[row];
    if (row < lines.size()) where.fid = static_cast<std::int64_t>(lines[row]);
    throw invalid_input(
        text.empty() ? std::string("the cell is empty; a number is needed") : "'" + text + "' is not a number", where);
}

void Table::build_index() {
    m_row_of.clear();
    m_row_of.reserve(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) m_row_of.emplace(keys[i], i);
}

}  // namespace core
}  // namespace placedef
