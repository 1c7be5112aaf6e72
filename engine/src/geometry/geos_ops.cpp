#include "placedef/error.hpp"
#include "placedef/geometry.hpp"

#include "geometry/detail/geos_context.hpp"

namespace placedef {

using detail::checked;
using detail::geos;
using detail::GeosPtr;

MultiPolygon make_valid(const MultiPolygon& shape) {
    GEOSContextHandle_t h = geos();
    GeosPtr g = detail::to_geos(shape);
    GEOSMakeValidParams* params = GEOSMakeValidParams_create_r(h);
    // The structure method rebuilds areas from rings (outer rings fill, holes
    // cut) instead of keeping every linework fragment: what a user means by a
    // self-intersecting boundary polygon.
    GEOSMakeValidParams_setMethod_r(h, params, GEOS_MAKE_VALID_STRUCTURE);
    GEOSMakeValidParams_setKeepCollapsed_r(h, params, 0);
    GEOSGeometry* repaired = GEOSMakeValidWithParams_r(h, g.get(), params);
    GEOSMakeValidParams_destroy_r(h, params);
    return detail::from_geos(checked(repaired, "MakeValid").get());
}

MultiPolygon intersection(const MultiPolygon& a, const MultiPolygon& b) {
    GeosPtr ga = detail::to_geos(a);
    GeosPtr gb = detail::to_geos(b);
    return detail::from_geos(checked(GEOSIntersection_r(geos(), ga.get(), gb.get()), "intersection").get());
}

MultiPolygon union_all(const std::vector<MultiPolygon>& shapes) {
    MultiPolygon all;
    for (const MultiPolygon& shape : shapes)
        all.polygons.insert(all.polygons.end(), shape.polygons.begin(), shape.polygons.end());
    GeosPtr g = detail::to_geos(all);
    return detail::from_geos(checked(GEOSUnaryUnion_r(geos(), g.get()), "union").get());
}

Coord point_on_surface(const MultiPolygon& shape) {
    GEOSContextHandle_t h = geos();
    GeosPtr g = detail::to_geos(shape);
    GeosPtr point = checked(GEOSPointOnSurface_r(h, g.get()), "point on surface");
    Coord c;
    if (GEOSisEmpty_r(h, point.get())) throw invalid_input("point on surface of an empty geometry");
    GEOSGeomGetX_r(h, point.get(), &c.x);
    GEOSGeomGetY_r(h, point.get(), &c.y);
    return c;
}

MultiPolygon multipolygon_from_wkt(const std::string& wkt) {
    GEOSContextHandle_t h = geos();
    GEOSWKTReader* reader = GEOSWKTReader_create_r(h);
    GEOSGeometry* g = GEOSWKTReader_read_r(h, reader, wkt.c_str());
    GEOSWKTReader_destroy_r(h, reader);
    if (!g) throw invalid_input("cannot parse WKT '" + wkt.substr(0, 80) + "': " + detail::last_geos_error());
    GeosPtr owned(g);
    const int type = GEOSGeomTypeId_r(h, g);
    if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON)
        throw invalid_input("WKT is not a polygon or multipolygon: '" + wkt.substr(0, 80) + "'");
    return detail::from_geos(g);
}

}  // namespace placedef
