// The geometry pipeline fed with fuzzed WKB: the input is records (see
// fuzz_input.hpp), each the WKB of one feature; odd records go to layer A,
// even ones to layer B (B is A when there is one record). Each shape goes
// through parse, measures, validity, repair and the WKB/WKT round trips; then
// both layers through check_layer (the load step) and their features through
// the overlay kernel, GEOS and overlay(), whose answers must agree.
#include "fuzz_input.hpp"

#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "placedef/overlay.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

using namespace placedef;
using placedef::fuzz::require;

namespace {

constexpr std::size_t max_features = 8;

bool same_shape(const MultiPolygon& a, const MultiPolygon& b) {
    if (a.polygons.size() != b.polygons.size()) return false;
    for (std::size_t p = 0; p < a.polygons.size(); ++p) {
        const Polygon& pa = a.polygons[p];
        const Polygon& pb = b.polygons[p];
        if (pa.outer != pb.outer || pa.holes.size() != pb.holes.size()) return false;
        for (std::size_t h = 0; h < pa.holes.size(); ++h)
            if (pa.holes[h] != pb.holes[h]) return false;
    }
    return true;
}

double largest_coordinate(const MultiPolygon& shape) {
    const Box box = bounds(shape);
    if (box.empty()) return 0;
    return std::max({std::abs(box.minx), std::abs(box.maxx), std::abs(box.miny), std::abs(box.maxy)});
}

/// Each step on its own, as a caller of the geometry module would use it.
void exercise_shape(const MultiPolygon& parsed) {
    area(parsed);
    perimeter(parsed);
    vertex_count(parsed);
    ring_count(parsed);
    convex_hull(parsed);
    to_wkt(parsed);
    const Validity validity = check_validity(parsed);
    validity.describe();
    // Orientation and equality mean nothing for NaN coordinates, nor areas and
    // exact predicates for coordinates out of range (check_validity names the
    // first fault it meets, so a shape with both may be called either);
    // check_layer skips such shapes and never repairs them.
    if (validity.reason == ValidityReason::non_finite_coordinate ||
        validity.reason == ValidityReason::coordinate_out_of_range)
        return;
    MultiPolygon shape = parsed;
    normalise(shape);
    require(same_shape(shape, parsed), "multipolygon_from_wkb returns a normalised shape");
    try {
        const std::vector<unsigned char> wkb = to_wkb(shape);
        require(same_shape(multipolygon_from_wkb(wkb.data(), wkb.size()), shape),
                "to_wkb then multipolygon_from_wkb gives the shape back");
    } catch (const error&) {
    }
    // Nor is a shell whose area rounds to 0 repaired (GEOS finds it valid).
    if (validity.ok() || validity.reason == ValidityReason::zero_area) return;
    try {
        const MultiPolygon repaired = make_valid(shape);
        require(repaired.empty() || check_validity(repaired).ok(),
                "make_valid gives a valid shape: " + check_validity(repaired).describe());
    } catch (const topology_error&) {
    }
}

Layer layer_of(const std::vector<MultiPolygon>& shapes, std::size_t first, const std::string& name) {
    Layer layer;
    layer.name = name;
    layer.source = "fuzz";
    layer.crs = layer.source_crs = "EPSG:27700";
    layer.code_column = "code";
    for (std::size_t i = first; i < shapes.size(); i += 2) {
        Feature feature;
        feature.fid = static_cast<std::int64_t>(i);
        feature.code = name + std::to_string(i);
        feature.shape = shapes[i];
        layer.features.push_back(std::move(feature));
    }
    layer.features_read = layer.features.size();
    return layer;
}

/// Room for rounding in an area computed from these shapes: relative to the
/// areas, plus the error of crossing points rounded at this coordinate scale.
double area_tolerance(const MultiPolygon& a, const MultiPolygon& b) {
    const double scale = std::max(largest_coordinate(a), largest_coordinate(b));
    return 1e-6 * (area(a) + area(b)) + 1e-12 * (perimeter(a) + perimeter(b)) * std::max(scale, 1.0);
}

bool all_finite(const MultiPolygon& a, const MultiPolygon& b) {
    return std::isfinite(area(a)) && std::isfinite(area(b)) && std::isfinite(area_tolerance(a, b));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<MultiPolygon> shapes;
    for (const fuzz::Record& record : fuzz::split_records(data, size, max_features)) {
        try {
            shapes.push_back(multipolygon_from_wkb(record.data, record.size));
        } catch (const invalid_input&) {
        }
    }
    if (shapes.empty()) return 0;
    for (const MultiPolygon& shape : shapes) exercise_shape(shape);

    Layer a = layer_of(shapes, 0, "a");
    Layer b = shapes.size() == 1 ? layer_of(shapes, 0, "b") : layer_of(shapes, 1, "b");
    ProblemSink problems;
    check_layer(a, InvalidPolicy::repair, problems, 1);
    check_layer(b, InvalidPolicy::repair, problems, 1);
    for (const Layer* layer : {&a, &b})
        for (const Feature& feature : layer->features) {
            const Validity validity = check_validity(feature.shape);
            require(validity.ok(), "check_layer keeps valid shapes only: " + feature.code + " " + validity.describe());
            require(area(feature.shape) > 0, "check_layer keeps shapes with area");
        }

    // The kernel against itself (inputs swapped) and against GEOS.
    std::vector<std::vector<double>> expected(a.size(), std::vector<double>(b.size(), 0.0));
    for (std::size_t i = 0; i < a.size(); ++i) {
        for (std::size_t j = 0; j < b.size(); ++j) {
            const MultiPolygon& sa = a.features[i].shape;
            const MultiPolygon& sb = b.features[j].shape;
            const double ab = intersection_area(sa, sb);
            const double ba = intersection_area(sb, sa);
            expected[i][j] = ab;
            if (!all_finite(sa, sb)) continue;
            const double tolerance = area_tolerance(sa, sb);
            const std::string pair = " (" + a.features[i].code + ", " + b.features[j].code + ")";
            require(std::abs(ab - ba) <= tolerance, "intersection_area does not depend on the order" + pair);
            require(ab >= -tolerance && ab <= std::min(area(sa), area(sb)) + tolerance,
                    "intersection_area lies between 0 and the smaller area" + pair);
            try {
                const double geos = area(intersection(sa, sb));
                require(std::abs(ab - geos) <= tolerance,
                        "intersection_area " + std::to_string(ab) + " agrees with GEOS " + std::to_string(geos) + pair);
            } catch (const topology_error&) {
            }
        }
    }

    if (a.features.empty() || b.features.empty()) return 0;
    OverlayOptions options;
    options.threads = 1;
    options.with_geometry = true;
    IntersectionTable table;
    try {
        table = overlay(a, b, options);
    } catch (const topology_error&) {
        return 0;
    }
    std::vector<std::vector<bool>> has_row(a.size(), std::vector<bool>(b.size(), false));
    for (const IntersectionRow& row : table.rows) {
        require(row.a_index < a.size() && row.b_index < b.size(), "rows name features of the layers");
        has_row[row.a_index][row.b_index] = true;
        const MultiPolygon& sa = a.features[row.a_index].shape;
        const MultiPolygon& sb = b.features[row.b_index].shape;
        if (!all_finite(sa, sb)) continue;
        const double tolerance = area_tolerance(sa, sb);
        require(row.area_m2 > 0, "overlay rows have positive area");
        require(std::abs(row.area_m2 - expected[row.a_index][row.b_index]) <= tolerance,
                "overlay agrees with intersection_area for " + row.a_code + ", " + row.b_code);
        require(row.share_of_a <= 1 + 1e-6 && row.share_of_b <= 1 + 1e-6, "shares are at most 1");
    }
    for (std::size_t i = 0; i < a.size(); ++i)
        for (std::size_t j = 0; j < b.size(); ++j)
            if (!has_row[i][j] && all_finite(a.features[i].shape, b.features[j].shape))
                require(expected[i][j] <= area_tolerance(a.features[i].shape, b.features[j].shape),
                        "overlay has a row for every pair that intersects: " + a.features[i].code + ", " +
                            b.features[j].code);
    return 0;
}
