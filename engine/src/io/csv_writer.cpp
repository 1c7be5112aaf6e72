#include "placedef/cancel.hpp"
#include "placedef/error.hpp"
#include "placedef/io.hpp"
#include "placedef/text.hpp"

#include "core/location.hpp"
#include "core/text.hpp"
#include "io/detail/staged_output.hpp"

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <system_error>

namespace placedef {
inline namespace io {

std::string format_number(double value) {
    // Empty, not "nan"/"inf": spreadsheets and our own reader treat an empty
    // cell as missing, while "nan" would be read as text.
    if (!std::isfinite(value)) return {};
    if (value == 0) return "0";  // also -0, which would print as "-0"
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

FileWriter::FileWriter(const std::string& path) : m_path(path) {
    if (path == "-") {
        m_out = &std::cout;
        return;
    }
    m_staged = std::make_unique<detail::StagedOutput>(path, path);
    m_file.open(m_staged->temp_path(), std::ios::binary | std::ios::trunc);
    if (!m_file)
        throw output_error("cannot be opened for writing: " + std::generic_category().message(errno),
                           detail::in_file(path));
    m_out = &m_file;
}

FileWriter::~FileWriter() {
    if (m_file.is_open()) m_file.close();  // m_staged then removes the file unless close() committed it
}

std::ostream& FileWriter::stream() {
    if (!m_out) throw output_error("written after close()", detail::in_file(m_path));
    return *m_out;
}

void FileWriter::close() {
    if (!m_out) return;  // already closed
    m_out->flush();
    bool written = static_cast<bool>(*m_out);
    if (m_file.is_open()) {
        m_file.close();
        written = written && !m_file.fail();
    }
    m_out = nullptr;
    if (!written) {
        if (m_staged) m_staged->discard();
        throw output_error("could not be written completely (is the disk full?)", detail::in_file(m_path));
    }
    if (!m_staged) return;
    try {
        m_staged->commit();
    } catch (...) {
        m_staged->discard();
        throw;
    }
}

CsvWriter::CsvWriter(const std::string& path) : m_file(path) {}

CsvWriter::~CsvWriter() = default;

void CsvWriter::header(const std::vector<std::string>& names) {
    for (const std::string& name : names) cell(name);
    end_row();
}

CsvWriter& CsvWriter::cell(const std::string& text) { return put(csv_guard(text)); }

CsvWriter& CsvWriter::put(const std::string& text) {
    if (m_row_started) m_buffer += ',';
    m_row_started = true;
    // Quoted also when the ends are blank, since readers (ours too) trim cells.
    const bool needs_quotes = text.find_first_of(",\"\r\n") != std::string::npos ||
                              (!text.empty() && (detail::is_space(text.front()) || detail::is_space(text.back())));
    if (!needs_quotes) {
        m_buffer += text;
        return *this;
    }
    m_buffer += '"';
    for (char c : text) {
        if (c == '"') m_buffer += '"';
        m_buffer += c;
    }
    m_buffer += '"';
    return *this;
}

CsvWriter& CsvWriter::cell(double value) { return put(format_number(value)); }

CsvWriter& CsvWriter::cell(const FieldValue& value) {
    if (const auto* text = std::get_if<std::string>(&value)) return cell(*text);
    if (const auto* number = std::get_if<double>(&value)) return cell(*number);
    if (const auto* count = std::get_if<std::int64_t>(&value)) return cell(*count);
    return cell(std::string());
}

bool is_csv_path(const std::string& path) {
    return path == "-" || (path.size() >= 4 && path.compare(path.size() - 4, 4, ".csv") == 0);
}

bool is_map_path(const std::string& path) {
    std::string extension = std::filesystem::path(path).extension().string();
    for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return extension == ".png" || extension == ".svg" || extension == ".pdf";
}

CsvWriter& CsvWriter::cell(std::int64_t value) {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return put(std::string(buffer, result.ptr));
}

void CsvWriter::end_row() {
    if (m_file.closed()) throw output_error("a row was written after close()", detail::in_file(m_file.path()));
    // A cancelled run stops here too; the staged file is then discarded.
    if (++m_rows_written % 4096 == 0) check_cancelled();
    m_buffer += '\n';
    std::ostream& out = m_file.stream();
    out.write(m_buffer.data(), static_cast<std::streamsize>(m_buffer.size()));
    m_buffer.clear();
    m_row_started = false;
    if (!out)
        throw output_error("writing failed: " + std::generic_category().message(errno), detail::in_file(m_file.path()));
}

void CsvWriter::close() {
    if (m_file.closed()) return;
    if (m_row_started) end_row();
    m_file.close();
}

std::string quantity_column(const std::string& name, Quantity quantity, NumberForm form) {
    if (form == NumberForm::full) return name;
    switch (quantity) {
    case Quantity::share: return name + "_pct";
    case Quantity::area_m2:
        return detail::iends_with(name, "_m2") ? name.substr(0, name.size() - 3) + "_ha" : name + "_ha";
    case Quantity::people: return name;
    }
    return name;
}

FieldValue quantity_value(double value, Quantity quantity, NumberForm form) {
    if (std::isnan(value)) return std::monostate{};
    if (form == NumberForm::full) return value;
    auto one_decimal = [](double x) { return std::round(x * 10) / 10; };
    switch (quantity) {
    case Quantity::share: return one_decimal(value * 100);
    case Quantity::area_m2: return one_decimal(value / 1e4);
    case Quantity::people: return std::round(value);
    }
    return value;
}

void write_records_csv(const Records& records, const std::string& path) {
    CsvWriter csv(path);
    std::vector<std::string> header;
    for (const OutputField& field : records.fields) header.push_back(field.name);
    csv.header(header);
    for (const std::vector<FieldValue>& row : records.rows) {
        for (const FieldValue& value : row) csv.cell(value);
        csv.end_row();
    }
    csv.close();
}

}  // namespace io
}  // namespace placedef
