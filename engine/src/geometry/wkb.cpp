// Well-known binary in and out, through GEOS: how geometries cross the C API
// and reach GeoPandas (shapely reads and writes the same bytes).
#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "placedef/io.hpp"

#include "geometry/detail/geos_context.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace placedef {
inline namespace geometry {

namespace {

using detail::geos;
using detail::GeosPtr;

struct WkbReaderDeleter {
    void operator()(GEOSWKBReader* reader) const { GEOSWKBReader_destroy_r(geos(), reader); }
};
struct WkbWriterDeleter {
    void operator()(GEOSWKBWriter* writer) const { GEOSWKBWriter_destroy_r(geos(), writer); }
};

/// The geometry the bytes hold; throws invalid_input when they are not WKB,
/// or when bytes follow the geometry (a second geometry or a cut buffer
/// that GEOS would silently ignore).
GeosPtr read_wkb(const unsigned char* data, std::size_t size) {
    if (!data || size == 0) throw invalid_input("empty WKB: no bytes were given");
    std::unique_ptr<GEOSWKBReader, WkbReaderDeleter> reader(GEOSWKBReader_create_r(geos()));
    GEOSGeometry* g = GEOSWKBReader_read_r(geos(), reader.get(), data, size);
    if (!g) throw invalid_input("cannot parse WKB of " + std::to_string(size) + " bytes: " + detail::last_geos_error());
    GeosPtr geometry(g);
    if (auto trailing = trailing_bytes(wkb_layout(data, size), size)) throw invalid_input(*trailing);
    return geometry;
}

std::string type_name(const GEOSGeometry* g) {
    char* name = GEOSGeomType_r(geos(), g);
    std::string text = name ? name : "unknown";
    GEOSFree_r(geos(), name);
    return text;
}

std::vector<unsigned char> write_wkb(const GEOSGeometry* g) {
    std::unique_ptr<GEOSWKBWriter, WkbWriterDeleter> writer(GEOSWKBWriter_create_r(geos()));
    GEOSWKBWriter_setOutputDimension_r(geos(), writer.get(), 2);
    GEOSWKBWriter_setByteOrder_r(geos(), writer.get(), GEOS_WKB_NDR);
    std::size_t size = 0;
    unsigned char* bytes = GEOSWKBWriter_write_r(geos(), writer.get(), g, &size);
    if (!bytes) throw topology_error("GEOS could not write WKB: " + detail::last_geos_error());
    std::vector<unsigned char> out(bytes, bytes + size);
    GEOSFree_r(geos(), bytes);
    return out;
}

}  // namespace

MultiPolygon multipolygon_from_wkb(const unsigned char* data, std::size_t size) {
    const GeosPtr g = read_wkb(data, size);
    const int type = GEOSGeomTypeId_r(geos(), g.get());
    if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON)
        throw invalid_input("WKB holds a " + type_name(g.get()) + ", not a Polygon or MultiPolygon");
    return detail::from_geos(g.get());
}

Coord point_from_wkb(const unsigned char* data, std::size_t size) {
    const GeosPtr g = read_wkb(data, size);
    if (GEOSGeomTypeId_r(geos(), g.get()) != GEOS_POINT)
        throw invalid_input("WKB holds a " + type_name(g.get()) + ", not a Point");
    if (GEOSisEmpty_r(geos(), g.get())) throw invalid_input("WKB holds an empty Point");
    Coord c;
    GEOSGeomGetX_r(geos(), g.get(), &c.x);
    GEOSGeomGetY_r(geos(), g.get(), &c.y);
    return c;
}

std::optional<std::uint32_t> wkb_srid(const unsigned char* data, std::size_t size) {
    return wkb_layout(data, size).srid;
}

std::vector<unsigned char> to_wkb(const MultiPolygon& shape) { return write_wkb(detail::to_geos(shape).get()); }

std::vector<unsigned char> to_wkb(const Coord& point) {
    return write_wkb(detail::checked(GEOSGeom_createPointFromXY_r(geos(), point.x, point.y), "point").get());
}

}  // namespace geometry
}  // namespace placedef
