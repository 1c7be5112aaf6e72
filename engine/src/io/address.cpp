#include "placedef/error.hpp"
#include "placedef/io.hpp"

#include "core/text.hpp"

#include <cpl_vsi.h>

namespace placedef {
inline namespace io {

namespace {

bool is_column_name(std::string_view text) {
    auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (text.empty() || !letter(text.front())) return false;
    for (char c : text)
        if (!letter(c) && !digit(c)) return false;
    return true;
}

bool is_connection_string(std::string_view text) { return detail::istarts_with(text, "PG:"); }

/// Through GDAL's virtual file system, so that /vsizip/... paths count too.
bool dataset_exists(std::string_view path) {
    VSIStatBufL status;
    return !path.empty() && VSIStatExL(std::string(path).c_str(), &status, VSI_STAT_EXISTS_FLAG) == 0;
}

/// In `PG:postgresql://user@host`, the '@' belongs to the URI, not to us.
bool is_inside_uri_authority(std::string_view text, std::size_t at) {
    const std::size_t scheme_end = text.find("://");
    if (scheme_end == std::string_view::npos || at < scheme_end) return false;
    const std::size_t path_start = text.find('/', scheme_end + 3);
    return path_start == std::string_view::npos || at < path_start;
}

/// Text after the last ':' of a connection string is a layer only when it
/// cannot be part of the connection itself (a key=value pair or a URI).
bool looks_like_layer_name(std::string_view text) {
    for (char c : text)
        if (c == '=' || c == '/' || detail::is_space(c)) return false;
    return true;
}

}  // namespace

LayerAddress LayerAddress::parse(std::string_view text) {
    auto refuse = [text](const std::string& why) -> void {
        throw invalid_input("layer address '" + detail::without_password(text) + "': " + why);
    };
    if (detail::trim(text).empty()) throw invalid_input("layer address is empty; expected path[:layer][@CODE_COLUMN]");

    LayerAddress address;
    std::string_view rest = text;
    const std::size_t at = text.rfind('@');
    if (at != std::string_view::npos && !(is_connection_string(text) && is_inside_uri_authority(text, at))) {
        const std::string_view after = text.substr(at + 1);
        if (after.empty()) refuse("nothing after '@'; write the code column after it or leave the '@' out");
        // `@CODE`, `@CODE,NAME`, or `@,NAME` (the code column guessed).
        const std::size_t comma = after.find(',');
        const bool has_label = comma != std::string_view::npos;
        const std::string_view code = after.substr(0, comma);
        const std::string_view label = has_label ? after.substr(comma + 1) : std::string_view();
        const bool code_ok = code.empty() ? has_label : is_column_name(code);
        if (code_ok && (!has_label || is_column_name(label))) {
            address.code_column = std::string(code);
            address.label_column = std::string(label);
            rest = text.substr(0, at);
        } else if (code_ok && dataset_exists(text.substr(0, at))) {
            refuse("after the ',' a name column is expected, as '@CODE,NAME'");
        }
    }
    if (rest.empty()) refuse("no path before '@'");

    if (is_connection_string(rest)) {
        const std::size_t colon = rest.rfind(':');
        const std::size_t prefix_colon = 2;  // the ':' of "PG:"
        if (colon != prefix_colon) {
            const std::string_view layer = rest.substr(colon + 1);
            if (layer.empty()) refuse("empty layer name after ':'");
            if (looks_like_layer_name(layer)) {
                address.layer = std::string(layer);
                rest = rest.substr(0, colon);
            }
        }
        address.path = std::string(rest);
        return address;
    }

    // A path that exists as written is never split, so names with ':' work.
    if (!dataset_exists(rest)) {
        if (rest.front() == ':') refuse("no path before ':'");
        for (std::size_t colon = rest.rfind(':'); colon != std::string_view::npos && colon > 0;
             colon = rest.rfind(':', colon - 1)) {
            // The ':' of a URL's scheme or port (/vsicurl/http://host:9/x.gpkg) never ends a path.
            if (rest.compare(colon, 3, "://") == 0 || is_inside_uri_authority(rest, colon)) continue;
            if (!dataset_exists(rest.substr(0, colon))) continue;
            if (colon + 1 == rest.size()) refuse("empty layer name after ':'");
            address.layer = std::string(rest.substr(colon + 1));
            rest = rest.substr(0, colon);
            break;
        }
    }
    address.path = std::string(rest);
    return address;
}

std::string LayerAddress::to_string() const {
    std::string text = path;
    if (!layer.empty()) text += ":" + layer;
    if (!code_column.empty()) text += "@" + code_column;
    if (!label_column.empty()) text += (code_column.empty() ? "@" : "") + std::string(",") + label_column;
    return text;
}

}  // namespace io
}  // namespace placedef
