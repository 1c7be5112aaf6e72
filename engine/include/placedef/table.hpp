// A table of text cells keyed by a code column (population, IMD, lookups).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace placedef {
inline namespace core {

class Table {
public:
    std::string source;                 ///< file it was read from
    std::string key_column;
    std::vector<std::string> columns;   ///< header, in file order
    std::vector<std::string> keys;      ///< one per row, file order
    std::vector<std::vector<std::string>> rows;  ///< cells, columns order
    std::vector<std::size_t> lines;     ///< 1-based line of each row in the file

    std::size_t size() const { return rows.size(); }
    std::optional<std::size_t> column_index(const std::string& name) const;
    std::optional<std::size_t> row_of(const std::string& key) const;
    /// Cell as a number; throws invalid_input naming file, line, column and
    /// value when it is not one (empty cells, "n/a", "1,234" included).
    double number(std::size_t row, std::size_t column) const;

    void build_index();  ///< called by read_table; call again after editing rows

private:
    std::unordered_map<std::string, std::size_t> m_row_of;
};

/// Parses a number the strict way: the whole trimmed text must be a finite
/// decimal number. Returns nullopt otherwise.
std::optional<double> parse_number(const std::string& text);

}  // namespace core
}  // namespace placedef
