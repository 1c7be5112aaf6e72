// GEOS reentrant C API plumbing: one context per thread, owned geometries,
// and conversion between our value types and GEOS geometries.
#pragma once

#include "placedef/shapes.hpp"

#include <geos_c.h>

#include <memory>
#include <string>

namespace placedef::detail {

/// The calling thread's GEOS context (created on first use, freed at thread
/// exit). GEOS errors are captured, not printed; last_geos_error() reads them.
GEOSContextHandle_t geos();
/// The last error or notice message GEOS gave on this thread.
std::string last_geos_error();

struct GeosDeleter {
    void operator()(GEOSGeometry* g) const { if (g) GEOSGeom_destroy_r(geos(), g); }
};
using GeosPtr = std::unique_ptr<GEOSGeometry, GeosDeleter>;

/// Throws topology_error carrying GEOS's message when `g` is null.
GeosPtr checked(GEOSGeometry* g, const char* operation);

GeosPtr to_geos(const MultiPolygon& shape);
/// Polygonal part of any GEOS geometry (collections are searched), normalised.
MultiPolygon from_geos(const GEOSGeometry* g);

}  // namespace placedef::detail
