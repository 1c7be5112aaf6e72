// Hand-drawn layers for unit tests: units given as WKT, in EPSG:27700.
#pragma once

#include "placedef/geometry.hpp"
#include "placedef/layer.hpp"

#include <string>
#include <utility>
#include <vector>

namespace placedef::test {

inline Layer hand_layer(const std::string& name, const std::vector<std::pair<std::string, std::string>>& units) {
    Layer layer;
    layer.name = name;
    layer.source = name + ".gpkg";
    layer.crs = "EPSG:27700";
    layer.code_column = "CODE";
    std::int64_t fid = 1;
    for (const auto& [code, wkt] : units) {
        Feature feature;
        feature.fid = fid++;
        feature.code = code;
        feature.shape = multipolygon_from_wkt(wkt);
        layer.features.push_back(feature);
    }
    return layer;
}

/// WKT of the axis-aligned rectangle [x0, x1] x [y0, y1].
inline std::string box_wkt(double x0, double y0, double x1, double y1) {
    auto n = [](double v) { return std::to_string(v); };
    return "POLYGON ((" + n(x0) + " " + n(y0) + ", " + n(x1) + " " + n(y0) + ", " + n(x1) + " " + n(y1) + ", " +
           n(x0) + " " + n(y1) + ", " + n(x0) + " " + n(y0) + "))";
}

}  // namespace placedef::test
