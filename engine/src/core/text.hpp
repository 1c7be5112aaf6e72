// Small text helpers shared by the engine modules: trimming, ASCII case folding,
// column-name lookup, lists for messages and password removal. Escaping for
// other programs (terminal, XML, spreadsheets) is public: placedef/text.hpp.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace placedef::detail {

inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

inline std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

inline char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

inline bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}

inline bool istarts_with(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

inline bool iends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && iequals(text.substr(text.size() - suffix.size()), suffix);
}

inline bool icontains(std::string_view text, std::string_view part) {
    for (std::size_t i = 0; i + part.size() <= text.size(); ++i)
        if (iequals(text.substr(i, part.size()), part)) return true;
    return false;
}

/// Position of `name` in `names`: the exact spelling first, then ignoring
/// ASCII case (shapefiles and CSV exports often change the case of columns).
inline std::optional<std::size_t> find_name(const std::vector<std::string>& names, std::string_view name) {
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == name) return i;
    for (std::size_t i = 0; i < names.size(); ++i)
        if (iequals(names[i], name)) return i;
    return std::nullopt;
}

/// "'a', 'b', 'c'" for messages; long lists are cut so that the message stays readable.
inline std::string quoted_list(const std::vector<std::string>& items, std::size_t max_items = 40) {
    if (items.empty()) return "(none)";
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < max_items; ++i) {
        if (i > 0) out += ", ";
        out += '\'' + items[i] + '\'';
    }
    if (items.size() > max_items) out += " and " + std::to_string(items.size() - max_items) + " more";
    return out;
}

/// `text` with any password taken out, so that connection strings can be
/// shown in messages and stored in Layer::source. Handles the libpq keyword
/// form (`password=secret`, `password = 'a b'`) and the URI form
/// (`postgresql://user:secret@host/db`).
inline std::string without_password(std::string_view text) {
    constexpr std::string_view keyword = "password";
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        const bool word_start =
            i == 0 || is_space(text[i - 1]) || text[i - 1] == ':' || text[i - 1] == '?' || text[i - 1] == '&';
        if (word_start && istarts_with(text.substr(i), keyword)) {
            std::size_t j = i + keyword.size();
            while (j < text.size() && is_space(text[j])) ++j;
            if (j < text.size() && text[j] == '=') {
                ++j;
                while (j < text.size() && is_space(text[j])) ++j;
                if (j < text.size() && text[j] == '\'') {
                    for (++j; j < text.size() && text[j] != '\''; ++j)
                        if (text[j] == '\\') ++j;
                    ++j;
                } else {
                    while (j < text.size() && !is_space(text[j]) && text[j] != '&') ++j;
                }
                while (j < text.size() && (is_space(text[j]) || text[j] == '&')) ++j;
                i = j;
                continue;
            }
        }
        out += text[i++];
    }
    // URI form: drop ":secret" from the user information before '@'.
    const std::size_t scheme_end = out.find("://");
    if (scheme_end != std::string::npos) {
        const std::size_t authority = scheme_end + 3;
        const std::size_t at = out.find('@', authority);
        const std::size_t slash = out.find('/', authority);
        if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
            const std::size_t colon = out.find(':', authority);
            if (colon != std::string::npos && colon < at) out.erase(colon, at - colon);
        }
    }
    while (!out.empty() && is_space(out.back())) out.pop_back();
    return out;
}

}  // namespace placedef::detail
