// Hand-drawn layers for unit tests: units given as WKT, in EPSG:27700.
#pragma once

#include "placedef/geometry.hpp"
#include "placedef/layer.hpp"

#include <cmath>
#include <random>
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

/// Four 1 km squares in a 2 x 2 grid (SW, SE, NW, NE) over [0, 2000]².
inline Layer grid_2x2() {
    return hand_layer("grid", {{"SW", box_wkt(0, 0, 1000, 1000)},
                               {"SE", box_wkt(1000, 0, 2000, 1000)},
                               {"NW", box_wkt(0, 1000, 1000, 2000)},
                               {"NE", box_wkt(1000, 1000, 2000, 2000)}});
}

/// The same ground cut into west and east halves.
inline Layer halves() { return hand_layer("halves", {{"W", box_wkt(0, 0, 1000, 2000)}, {"E", box_wkt(1000, 0, 2000, 2000)}}); }

/// A random star-shaped polygon around (cx, cy), each vertex at between
/// `min_fraction` and 1 of `radius`: valid, often very concave.
inline MultiPolygon random_star(std::mt19937_64& random, double cx, double cy, double radius, int vertices,
                                double min_fraction) {
    std::uniform_real_distribution<double> unit(min_fraction, 1.0);
    Polygon polygon;
    for (int i = 0; i < vertices; ++i) {
        const double angle = 2 * M_PI * i / vertices;
        const double r = radius * unit(random);
        polygon.outer.push_back({cx + r * std::cos(angle), cy + r * std::sin(angle)});
    }
    MultiPolygon shape{{polygon}};
    normalise(shape);
    return shape;
}

}  // namespace placedef::test
