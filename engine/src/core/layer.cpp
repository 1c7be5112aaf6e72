#include "placedef/layer.hpp"

#include "core/text.hpp"

#include <filesystem>

namespace placedef {
inline namespace core {

const char* to_string(LayerKind kind) {
    switch (kind) {
        case LayerKind::polygon: return "polygon";
        case LayerKind::point: return "point";
    }
    return "unknown";
}

Box Layer::extent() const {
    Box box;
    for (const Feature& feature : features) {
        if (kind == LayerKind::point) {
            box.expand(feature.point);
            continue;
        }
        for (const Polygon& polygon : feature.shape.polygons) {
            for (const Coord& c : polygon.outer) box.expand(c);
            for (const Ring& hole : polygon.holes)
                for (const Coord& c : hole) box.expand(c);
        }
    }
    return box;
}

// The index is built on first use. `features` is public, so a hit is checked
// against the feature it points at and the index rebuilt when they disagree
// (features edited after the first look-up). Not safe to call from several
// threads until the first call has returned.
std::optional<std::size_t> Layer::find(const std::string& code) const {
    auto rebuild = [this] {
        m_index.clear();
        m_index.reserve(features.size());
        // The first feature of a code wins, as duplicates are resolved later.
        for (std::size_t i = 0; i < features.size(); ++i) m_index.emplace(features[i].code, i);
    };
    auto look_up = [&]() -> std::optional<std::size_t> {
        auto it = m_index.find(code);
        if (it == m_index.end()) return std::nullopt;
        return it->second;
    };
    if (m_index.empty()) rebuild();
    std::optional<std::size_t> index = look_up();
    if (index && (*index >= features.size() || features[*index].code != code)) {
        rebuild();
        index = look_up();
    }
    return index;
}

std::optional<std::size_t> Layer::attribute_index(const std::string& column) const {
    return detail::find_name(attribute_names, column);
}

std::string Layer::label() const {
    // Connection strings have no file name; show them whole (without password).
    const std::string where =
        detail::istarts_with(source, "PG:") ? source : std::filesystem::path(source).filename().string();
    if (name.empty()) return where;
    if (where.empty()) return name;
    return name + " (" + where + ")";
}

}  // namespace core
}  // namespace placedef
