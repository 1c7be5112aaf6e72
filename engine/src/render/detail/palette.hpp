// Colour schemes of the maps and their QGIS styles (Paul Tol's colour-blind-
// safe schemes, https://personal.sron.nl/~pault/).
#pragma once

#include <array>

namespace placedef::detail {

/// Tol's "light" scheme without its pale grey: areas under black labels.
inline constexpr std::array<const char*, 8> categorical_palette = {
    "#77AADD", "#99DDFF", "#44BB99", "#BBCC33", "#AAAA00", "#EEDD88", "#EE8866", "#FFAABB"};

/// Tol's sequential YlOrBr, light to dark.
inline constexpr std::array<const char*, 9> sequential_ramp = {
    "#FFFFE5", "#FFF7BC", "#FEE391", "#FEC44F", "#FB9A29", "#EC7014", "#CC4C02", "#993404", "#662506"};

/// Borders between filled units, on the maps and in QGIS: thin, and grey so
/// that outline layers on top stand out; thinner on choropleths, whose
/// units are often small. Widths in points at 96 dpi (as MapLayer).
inline constexpr const char* fill_border_colour = "#666666";
inline constexpr double categorical_border_width = 0.5;
inline constexpr double choropleth_border_width = 0.3;

/// Points without a category (e.g. practices in no PCN).
inline constexpr const char* uncategorised_colour = "#BBBBBB";

}  // namespace placedef::detail
