// Study coordinates as longitude and latitude, for web maps.
#include "placedef/error.hpp"
#include "placedef/io.hpp"

#include "io/detail/gdal_handles.hpp"

#include <ogr_spatialref.h>

namespace placedef {
inline namespace io {

struct LonLatTransform::Impl {
    std::unique_ptr<OGRCoordinateTransformation> transform;
};

LonLatTransform::LonLatTransform(const std::string& crs) : m_impl(std::make_unique<Impl>()) {
    detail::GdalErrorCapture errors;
    OGRSpatialReference from, to;
    if (from.SetFromUserInput(crs.c_str()) != OGRERR_NONE)
        throw invalid_input("'" + crs + "' is not a CRS GDAL understands: " + errors.message());
    to.importFromEPSG(4326);
    // Longitude first, as GeoJSON and web maps want it, whatever EPSG's axis order.
    from.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    to.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    m_impl->transform.reset(OGRCreateCoordinateTransformation(&from, &to));
    if (!m_impl->transform)
        throw invalid_input("no transformation from " + crs + " to longitude and latitude: " + errors.message());
}

LonLatTransform::LonLatTransform(LonLatTransform&&) noexcept = default;
LonLatTransform::~LonLatTransform() = default;

bool LonLatTransform::apply(std::vector<Coord>& points) const {
    if (points.empty()) return true;
    std::vector<double> x(points.size()), y(points.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
        x[i] = points[i].x;
        y[i] = points[i].y;
    }
    std::vector<int> ok(points.size(), 0);
    const bool all = m_impl->transform->Transform(points.size(), x.data(), y.data(), nullptr, ok.data());
    for (std::size_t i = 0; i < points.size(); ++i) points[i] = {x[i], y[i]};
    return all;
}

}  // namespace io
}  // namespace placedef
