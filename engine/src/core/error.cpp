#include "placedef/error.hpp"

namespace placedef {
inline namespace core {

// Tables carry no layer name, and their `fid` is a line number; saying
// "line" there lets a user go straight to the row in an editor.
std::string Location::describe() const {
    std::string text;
    auto add = [&text](const std::string& part) {
        if (!text.empty()) text += ", ";
        text += part;
    };
    if (!file.empty()) add("file '" + file + "'");
    if (!layer.empty()) add("layer '" + layer + "'");
    if (fid) {
        const bool is_table_row = layer.empty() && !file.empty();
        add((is_table_row ? "line " : "feature ") + std::to_string(*fid) +
            (code.empty() ? "" : " (code " + code + ")"));
    } else if (!code.empty()) {
        add("code " + code);
    }
    if (!field.empty()) add("field '" + field + "'");
    return text;
}

namespace {

std::string with_location(const Location& where, const std::string& reason) {
    const std::string prefix = where.describe();
    return prefix.empty() ? reason : prefix + ": " + reason;
}

}  // namespace

error::error(const std::string& message, Location where)
    : std::runtime_error(with_location(where, message)), m_where(std::move(where)), m_reason(message) {}

}  // namespace core
}  // namespace placedef
