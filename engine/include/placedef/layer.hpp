// A layer: a set of polygon or point features with a unique code column,
// already reprojected to the study CRS.
#pragma once

#include "placedef/shapes.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace placedef {
inline namespace core {

enum class LayerKind { polygon, point };
const char* to_string(LayerKind kind);

struct Feature {
    std::int64_t fid = 0;      ///< OGR feature id in the source
    std::string code;          ///< value of the code column, trimmed
    std::string name;          ///< value of the label column, trimmed ("" when the layer has none)
    MultiPolygon shape;        ///< polygon layers: normalised, valid
    Coord point{};             ///< point layers
    bool located = true;       ///< false: a point with no location, kept on request (ReadOptions)
    std::vector<std::string> attributes;  ///< Layer::attribute_names order, as text
};

class Layer {
public:
    std::string name;            ///< layer name inside the dataset
    std::string source;          ///< path or connection string, password removed
    std::string code_column;
    bool code_column_guessed = false;
    /// Column the units' names come from (Feature::name): given, or guessed
    /// from the code column (LAD21CD -> LAD21NM, else a column "name"); empty: none.
    std::string label_column;
    bool label_column_guessed = false;
    std::string geometry_column;  ///< as the source names it ("geom", "SHAPE", ...), for messages
    std::string source_crs;      ///< CRS of the source, as "EPSG:4326" or a short WKT name
    std::string crs;             ///< study CRS the coordinates are in, e.g. "EPSG:27700"
    LayerKind kind = LayerKind::polygon;
    std::vector<std::string> attribute_names;
    std::vector<Feature> features;
    std::size_t features_read = 0;  ///< rows in the source, before any skip

    std::size_t size() const { return features.size(); }
    Box extent() const;
    /// Index of the feature with this code, if any. Builds an index on first use.
    std::optional<std::size_t> find(const std::string& code) const;
    /// Column index in attribute_names, if present (exact, then case-insensitive).
    std::optional<std::size_t> attribute_index(const std::string& column) const;
    /// "ward_2025 (ward_2025_bgc.gpkg)" for messages.
    std::string label() const;

private:
    mutable std::unordered_map<std::string, std::size_t> m_index;
};

}  // namespace core
}  // namespace placedef
