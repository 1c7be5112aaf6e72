// Legend text of choropleth classes, shared by the maps and the QGIS styles.
#pragma once

#include "placedef/render.hpp"

#include <string>
#include <vector>

namespace placedef::detail {

/// "lower – upper" for each class, with as many decimals as the classes'
/// width needs to tell the bounds apart and thousands separated by commas;
/// for whole numbers, the first and last number in the class ("6 – 7", "8").
std::vector<std::string> class_labels(const ChoroplethClasses& classes);

}  // namespace placedef::detail
