// The study CRS as io holds it (GDAL objects), shared by read_layer and the
// Reprojection of crs_policy.cpp.
#pragma once

#include "placedef/io.hpp"

#include <ogr_spatialref.h>

#include <string>

namespace placedef::detail {

/// The study CRS as GDAL reads it (traditional GIS axis order), checked to be
/// projected and in metres; throws invalid_input otherwise.
OGRSpatialReference study_reference(const std::string& text);

/// "EPSG:4326" when the CRS has an authority code, else its name.
std::string crs_label(const OGRSpatialReference& srs);

/// The reprojection of a source whose CRS GDAL already holds (a layer's own,
/// or the one assumed for it) to `study`, the result of
/// study_reference(study_crs). Errors name `where`.
Reprojection reprojection_from(const OGRSpatialReference& source, const OGRSpatialReference& study,
                               const std::string& study_crs, const Location& where);

}  // namespace placedef::detail
