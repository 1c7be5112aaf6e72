#include "placedef/text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <system_error>

namespace placedef {
inline namespace core {

namespace {

/// One step through UTF-8 text: the code point at `at` and its length, or
/// `valid` false (length 1) for a byte that does not start a well-formed
/// sequence (stray continuation, overlong form, surrogate, beyond U+10FFFF,
/// cut short).
struct Step {
    char32_t code = 0;
    std::size_t length = 1;
    bool valid = false;
};

Step next_code_point(std::string_view text, std::size_t at) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(at);
    if (lead < 0x80) return {lead, 1, true};
    std::size_t length = 0;
    char32_t code = 0;
    char32_t minimum = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2, code = lead & 0x1F, minimum = 0x80;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3, code = lead & 0x0F, minimum = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4, code = lead & 0x07, minimum = 0x10000;
    } else {
        return {};
    }
    if (at + length > text.size()) return {};
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(at + i) & 0xC0) != 0x80) return {};
        code = (code << 6) | (byte(at + i) & 0x3F);
    }
    if (code < minimum || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return {};
    return {code, length, true};
}

void append_hex(std::string& out, const char* format, unsigned value) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, format, value);
    out += buffer;
}

/// Code points that reorder the text shown after them ("Trojan Source").
bool is_bidi_control(char32_t code) {
    return (code >= 0x202A && code <= 0x202E) || (code >= 0x2066 && code <= 0x2069);
}

bool xml_forbidden(char32_t code) {
    return (code < 0x20 && code != '\t' && code != '\n' && code != '\r') || code == 0xFFFE || code == 0xFFFF;
}

/// A finite number in the form our tables write them (std::to_chars), which
/// is also what a spreadsheet reads as a number rather than a formula.
bool is_number(std::string_view cell) {
    double value = 0;
    const char* end = cell.data() + cell.size();
    const auto [ptr, error] = std::from_chars(cell.data(), end, value);
    return error == std::errc() && ptr == end && std::isfinite(value);
}

/// Whether csv_guard puts an apostrophe before `cell`: a formula start, or an
/// apostrophe that csv_unguard would otherwise take for a guard.
bool needs_guard(std::string_view cell) {
    std::size_t apostrophes = 0;
    while (apostrophes < cell.size() && cell[apostrophes] == '\'') ++apostrophes;
    const std::string_view rest = cell.substr(apostrophes);
    if (rest.empty()) return false;
    const char first = rest.front();
    const bool formula = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
    return formula && !is_number(rest);
}

}  // namespace

std::string terminal_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const Step step = next_code_point(text, i);
        if (!step.valid) {
            append_hex(out, "\\x%02x", static_cast<unsigned char>(text[i]));
        } else if ((step.code < 0x20 && step.code != '\n' && step.code != '\t') || step.code == 0x7F) {
            append_hex(out, "\\x%02x", static_cast<unsigned>(step.code));
        } else if ((step.code >= 0x80 && step.code <= 0x9F) || is_bidi_control(step.code)) {
            append_hex(out, "\\u%04x", static_cast<unsigned>(step.code));
        } else {
            out.append(text, i, step.length);
        }
        i += step.length;
    }
    return out;
}

std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const Step step = next_code_point(text, i);
        if (!step.valid || xml_forbidden(step.code)) {
            out += "\xEF\xBF\xBD";  // U+FFFD
        } else {
            switch (step.code) {
                case '&': out += "&amp;"; break;
                case '<': out += "&lt;"; break;
                case '>': out += "&gt;"; break;
                case '"': out += "&quot;"; break;
                case '\'': out += "&apos;"; break;
                case '\t': out += "&#9;"; break;
                case '\n': out += "&#10;"; break;
                case '\r': out += "&#13;"; break;
                default: out.append(text, i, step.length);
            }
        }
        i += step.length;
    }
    return out;
}

bool xml_keeps(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const Step step = next_code_point(text, i);
        if (!step.valid || xml_forbidden(step.code)) return false;
        i += step.length;
    }
    return true;
}

std::string csv_guard(std::string_view cell) {
    return needs_guard(cell) ? "'" + std::string(cell) : std::string(cell);
}

std::string csv_unguard(std::string_view cell) {
    // csv_guard adds an apostrophe exactly when needs_guard holds, and no
    // text it leaves alone starts with an apostrophe followed by such text.
    if (!cell.empty() && cell.front() == '\'' && needs_guard(cell.substr(1))) return std::string(cell.substr(1));
    return std::string(cell);
}

std::string readable_number(double value) {
    if (std::isnan(value)) return "nan";
    if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
    const double magnitude = std::fabs(value);
    char buffer[40];
    if (value == 0) return "0";
    std::snprintf(buffer, sizeof buffer, magnitude >= 1e-4 && magnitude < 1e15 ? "%.15g" : "%.6g", value);
    return buffer;
}

std::string grouped_number(double value, int digits) {
    if (!std::isfinite(value) || std::fabs(value) >= 1e15) return readable_number(value);
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%.*f", std::clamp(digits, 0, 15), std::fabs(value));
    std::string text = buffer;
    const std::size_t point = text.find('.');
    for (std::size_t end = point == std::string::npos ? text.size() : point; end > 3; end -= 3) text.insert(end - 3, ",");
    // "-0" is not a number people write
    return (value < 0 && text.find_first_not_of("0.,") != std::string::npos ? "-" : "") + text;
}

std::string percent_text(double share) {
    if (!std::isfinite(share)) return "n/a";
    const double percent = 100.0 * share;
    if (share > 0 && percent < 0.05) return "< 0.1 %";
    if (share < 1 && percent >= 99.95 && percent < 100.0) return "> 99.9 %";
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%.1f %%", percent);
    return buffer;
}

}  // namespace core
}  // namespace placedef
