// The pieces of QGIS style documents (QML) that the public builders in
// render.hpp and the styles of the engine's outputs share.
#pragma once

#include "placedef/layer.hpp"

#include <string>
#include <vector>

namespace placedef::detail {

/// One class of a categorized renderer.
struct QmlCategory {
    std::string value;   ///< field value of the features in it
    std::string label;   ///< legend text in QGIS
    std::string colour;  ///< "#rrggbb"
};

enum class QmlSymbol { fill, marker };

/// One category per feature of `layer`: its code, with its colour in
/// `colours` (one per feature; invalid_input otherwise).
std::vector<QmlCategory> feature_categories(const Layer& layer, const std::vector<std::string>& colours);

/// A categorized renderer on `field` with labels from `label_field` ("" = none).
/// A value that XML cannot hold (a control character in a code) cannot be
/// matched by its own category: such values share QGIS's catch-all category
/// (value ""), drawn in the colour of the first of them, so every feature is
/// still drawn.
std::string categorized_qml(const std::string& field, const std::vector<QmlCategory>& categories, QmlSymbol symbol,
                            const std::string& label_field);

/// Every point the same marker of `colour`, labels from `label_field` ("" = none).
std::string single_marker_qml(const std::string& colour, const std::string& label_field);

}  // namespace placedef::detail
