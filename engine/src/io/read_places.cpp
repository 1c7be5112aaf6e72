// Named places from a CSV (town centres for seeded footprints).
#include "placedef/error.hpp"
#include "placedef/io.hpp"
#include "placedef/text.hpp"

#include "io/detail/gdal_handles.hpp"
#include "core/location.hpp"
#include "core/text.hpp"

#include <ogr_spatialref.h>

#include <initializer_list>
#include <map>
#include <optional>

namespace placedef {
inline namespace io {
namespace {

std::optional<std::size_t> first_column(const Table& table, std::initializer_list<const char*> names) {
    for (const char* name : names)
        if (auto found = detail::find_name(table.columns, name)) return found;
    return std::nullopt;
}

OGRSpatialReference reference(const std::string& text, const Location& where) {
    OGRSpatialReference srs;
    detail::GdalErrorCapture errors;
    if (srs.SetFromUserInput(text.c_str()) != OGRERR_NONE)
        throw invalid_input("CRS '" + text + "' is not a CRS GDAL understands: " + errors.message(), where);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

}  // namespace

Layer read_places(const std::string& path, const std::string& crs, const std::string& study_crs) {
    const Table table = read_table(path, {}, KeyRule::repeated);
    const Location file = detail::in_file(path);
    const auto name = first_column(table, {"name", "town", "place"});
    if (!name) throw invalid_input("has no name column (accepted: name, town, place)", detail::at_field(file, "name"));
    const auto lon = first_column(table, {"lon", "longitude", "lng"});
    const auto lat = first_column(table, {"lat", "latitude"});
    const auto x = first_column(table, {"x", "easting"});
    const auto y = first_column(table, {"y", "northing"});
    const bool geographic = lon && lat;
    if (!geographic && !(x && y))
        throw invalid_input("has no coordinate columns (accepted: lon and lat, or x and y, or easting and northing)",
                            detail::at_field(file, "x"));
    const std::string source_crs = !crs.empty() ? crs : geographic ? "EPSG:4326" : study_crs;
    const OGRSpatialReference source = reference(source_crs, file);
    const OGRSpatialReference target = reference(study_crs, file);
    detail::TransformPtr transform;
    if (!source.IsSame(&target)) {
        detail::GdalErrorCapture errors;
        transform.reset(OGRCreateCoordinateTransformation(&source, &target));
        if (!transform)
            throw invalid_input("cannot transform from " + source_crs + " to " + study_crs + ": " + errors.message(), file);
    }

    Layer places;
    places.name = "places";
    places.source = path;
    places.crs = study_crs;
    places.source_crs = source_crs;
    places.code_column = table.columns[*name];
    places.kind = LayerKind::point;
    std::map<std::string, std::int64_t> line_of;  // each footprint takes its town's name: names must differ
    for (std::size_t row = 0; row < table.size(); ++row) {
        Feature feature;
        feature.fid = static_cast<std::int64_t>(table.lines[row]);
        feature.code = table.rows[row][*name];
        const Location at = detail::at_field(detail::at_fid(file, feature.fid), table.columns[*name]);
        if (feature.code.empty()) throw invalid_input("a place has no name", at);
        const auto [first, inserted] = line_of.emplace(feature.code, feature.fid);
        if (!inserted)
            throw invalid_input("two places are named '" + feature.code + "' (lines " + std::to_string(first->second) +
                                    " and " + std::to_string(feature.fid) +
                                    "): their footprints would share one name; name them apart",
                                detail::at_code(at, feature.code));
        double px = table.number(row, geographic ? *lon : *x);
        double py = table.number(row, geographic ? *lat : *y);
        if (transform) {
            detail::GdalErrorCapture errors;  // PROJ's reasons go into the message, not raw to stderr
            const double given_x = px, given_y = py;
            if (!transform->Transform(1, &px, &py))
                throw invalid_input("cannot transform the place's coordinates (" + readable_number(given_x) + ", " +
                                        readable_number(given_y) + ") from " + source_crs + " to " + study_crs + ": " +
                                        errors.message(),
                                    detail::at_code(detail::at_fid(file, feature.fid), feature.code));
        }
        feature.point = {px, py};
        feature.located = true;
        places.features.push_back(std::move(feature));
    }
    if (places.features.empty()) throw invalid_input("holds no places", file);
    return places;
}

}  // namespace io
}  // namespace placedef
