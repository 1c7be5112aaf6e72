#include "placedef/error.hpp"
#include "placedef/io.hpp"
#include "placedef/table.hpp"
#include "placedef/text.hpp"

#include "core/location.hpp"
#include "core/text.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace placedef {
inline namespace io {

namespace {

struct CsvRecord {
    std::int64_t line = 0;  ///< 1-based line where the record starts
    std::vector<std::string> cells;
};

/// RFC 4180 records: ',' between cells, CRLF, LF or CR between records,
/// '"' quoting with "" for a quote; quoted cells may span lines. Cells are
/// trimmed; blank lines are skipped. A stray quote inside an unquoted cell is
/// kept as text, as spreadsheet exports sometimes write one.
std::vector<CsvRecord> parse_csv(std::string_view text, const std::string& path) {
    constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";
    if (text.substr(0, utf8_bom.size()) == utf8_bom) text.remove_prefix(utf8_bom.size());
    // No text table holds a NUL byte; binary data would otherwise be read as
    // strange cells and fail later with a less helpful message.
    if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos)
        throw invalid_input("is binary data, not a CSV text table (a NUL byte at byte " + std::to_string(nul + 1) + ")",
                            detail::in_file(path));

    std::vector<CsvRecord> records;
    CsvRecord record{1, {}};
    std::string cell;
    std::int64_t line = 1;
    std::int64_t quote_line = 0;  // where the open quoted cell started
    bool in_quotes = false;
    bool after_closing_quote = false;

    auto end_cell = [&] {
        record.cells.push_back(csv_unguard(detail::trim(cell)));  // the apostrophe csv_guard adds
        cell.clear();
        after_closing_quote = false;
    };
    auto end_record = [&] {
        end_cell();
        const bool blank = record.cells.size() == 1 && record.cells.front().empty();
        if (!blank) records.push_back(std::move(record));
        record = CsvRecord{line, {}};
    };
    auto is_line_break = [&](std::size_t i) {
        // "\r\n" counts once, at its '\n'.
        return text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'));
    };

    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_quotes) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                in_quotes = false;
                after_closing_quote = true;
            } else {
                if (is_line_break(i)) ++line;
                cell += c;
            }
            continue;
        }
        if (c == ',') {
            end_cell();
        } else if (c == '\r' || c == '\n') {
            if (is_line_break(i)) {
                ++line;
                end_record();
            }
        } else if (c == '"' && !after_closing_quote && detail::trim(cell).empty()) {
            in_quotes = true;
            quote_line = line;
            cell.clear();
        } else if (after_closing_quote) {
            if (!detail::is_space(c))
                throw invalid_input("text after the closing quote of a cell",
                                    detail::at_fid(detail::in_file(path), line));
        } else {
            cell += c;
        }
    }
    if (in_quotes)
        throw invalid_input("a quoted cell is never closed", detail::at_fid(detail::in_file(path), quote_line));
    if (!cell.empty() || !record.cells.empty() || after_closing_quote) end_record();
    return records;
}

std::string read_whole_file(const std::string& path) {
    std::error_code ignored;
    if (std::filesystem::is_directory(path, ignored))
        throw io_error("is a directory, not a table; give the CSV file", detail::in_file(path));
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        const int number = errno;
        const std::string message = "cannot be read: " + std::generic_category().message(number);
        if (number == ENOENT) throw file_not_found(message, detail::in_file(path));
        throw io_error(message, detail::in_file(path));
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw io_error("reading failed: " + std::generic_category().message(errno), detail::in_file(path));
    return text.str();
}

/// A header of one cell holding ';', a tab or '|' is a table written with
/// another delimiter (spreadsheets in many locales use ';'): said at once,
/// where it would otherwise end as "no column matches".
void require_comma_delimited(const std::vector<std::string>& header, const std::string& path) {
    if (header.size() != 1) return;
    static const std::pair<char, const char*> others[] = {{';', "';' (semicolon)"}, {'\t', "a tab"}, {'|', "'|'"}};
    for (const auto& [delimiter, name] : others)
        if (header.front().find(delimiter) != std::string::npos)
            throw invalid_input("the header '" + header.front() + "' is one column: the table looks delimited by " +
                                    name + ", and placedef reads comma-separated values; save it as CSV with commas",
                                detail::at_fid(detail::in_file(path), 1));
}

void require_distinct_columns(const std::vector<std::string>& columns, const std::string& path) {
    for (std::size_t i = 0; i < columns.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (!columns[i].empty() && columns[i] == columns[j])
                throw invalid_input("the header names column '" + columns[i] + "' twice (columns " +
                                        std::to_string(j + 1) + " and " + std::to_string(i + 1) + ")",
                                    detail::at_fid(detail::in_file(path), 1));
}

}  // namespace

std::vector<std::string> read_table_columns(const std::string& path) {
    const std::vector<CsvRecord> records = parse_csv(read_whole_file(path), path);
    if (records.empty()) throw invalid_input("is empty; a header row is needed", detail::in_file(path));
    require_comma_delimited(records.front().cells, path);
    require_distinct_columns(records.front().cells, path);
    return records.front().cells;
}

Table read_table(const std::string& path, const std::string& key_column, KeyRule keys) {
    const std::vector<CsvRecord> records = parse_csv(read_whole_file(path), path);
    if (records.empty()) throw invalid_input("is empty; a header row is needed", detail::in_file(path));

    Table table;
    table.source = path;
    table.columns = records.front().cells;
    require_comma_delimited(table.columns, path);
    require_distinct_columns(table.columns, path);
    std::size_t key_index = 0;
    if (!key_column.empty()) {
        auto found = table.column_index(key_column);
        if (!found)
            throw invalid_input(
                "has no key column '" + key_column + "'; the columns are " + detail::quoted_list(table.columns),
                detail::at_field(detail::in_file(path), key_column));
        key_index = *found;
    }
    table.key_column = table.columns[key_index];

    std::unordered_map<std::string, std::int64_t> first_line;
    for (std::size_t r = 1; r < records.size(); ++r) {
        const CsvRecord& record = records[r];
        Location where = detail::at_fid(detail::in_file(path), record.line);
        if (record.cells.size() != table.columns.size())
            throw invalid_input("the row has " + std::to_string(record.cells.size()) + " cells where the header has " +
                                    std::to_string(table.columns.size()),
                                where);
        const std::string& key = record.cells[key_index];
        where.field = table.key_column;
        if (key.empty()) throw invalid_input("the key is empty", where);
        auto [it, inserted] = first_line.emplace(key, record.line);
        if (!inserted && keys == KeyRule::unique) {
            where.code = key;
            throw invalid_input("duplicate key '" + key + "' (first at line " + std::to_string(it->second) + ")",
                                where);
        }
        table.keys.push_back(key);
        table.rows.push_back(record.cells);
        table.lines.push_back(static_cast<std::size_t>(record.line));
    }
    table.build_index();
    return table;
}

std::vector<double> join_numeric(const Layer& layer, const Table& table, const std::string& column,
                                 ProblemSink& problems, double missing_value) {
    const auto column_index = table.column_index(column);
    if (!column_index)
        throw invalid_input("has no column '" + column + "'; the columns are " + detail::quoted_list(table.columns),
                            detail::at_field(detail::in_file(table.source), column));
    std::vector<double> values;
    values.reserve(layer.features.size());
    for (const Feature& feature : layer.features) {
        if (auto row = table.row_of(feature.code)) {
            values.push_back(table.number(*row, *column_index));
            continue;
        }
        problems.report(Problem{ProblemKind::missing_key, ProblemAction::kept,
                                Location{layer.source, layer.name, feature.fid, feature.code, column},
                                "no row with key '" + feature.code + "' in '" + table.source + "' (column '" +
                                    table.key_column + "'); " + format_number(missing_value) + " used"});
        values.push_back(missing_value);
    }
    return values;
}

}  // namespace io
}  // namespace placedef
