// Well-known binary in and out, through GEOS: how geometries cross the C API
// and reach GeoPandas (shapely reads and writes the same bytes).
#include "placedef/error.hpp"
#include "placedef/geometry.hpp"

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

/// Walks WKB (ISO or extended, either byte order, nested collections) to
/// learn how many bytes the geometry takes and the EWKB SRID of its head;
/// GEOS parses it but tells neither. `ok` is false for bytes it cannot walk.
class WkbWalker {
public:
    WkbWalker(const unsigned char* data, std::size_t size) : m_data(data), m_size(size) {}

    bool ok = true;
    std::optional<std::uint32_t> srid;

    /// The end offset of the geometry starting at `at`.
    std::size_t geometry(std::size_t at, int depth = 0) {
        if (depth > 64 || !has(at, 5)) return fail();
        const bool little = m_data[at] == 1;
        if (m_data[at] > 1) return fail();
        const std::uint32_t raw = u32(at + 1, little);
        std::size_t pos = at + 5;
        std::uint32_t dims = 2 + ((raw & 0x80000000u) ? 1 : 0) + ((raw & 0x40000000u) ? 1 : 0);  // EWKB Z, M
        if (raw & 0x20000000u) {  // EWKB SRID
            if (!has(pos, 4)) return fail();
            if (depth == 0) srid = u32(pos, little);
            pos += 4;
        }
        std::uint32_t type = raw & 0x0fffffffu;
        dims += type / 1000 == 3 ? 2 : (type / 1000 == 1 || type / 1000 == 2) ? 1 : 0;  // ISO Z, M, ZM
        type %= 1000;
        const std::size_t point_bytes = 8 * std::size_t{dims};
        switch (type) {
            case 1: return skip(pos, point_bytes);
            case 2:
            case 8: return points(pos, little, point_bytes);  // LineString, CircularString
            case 3:
            case 17: {  // Polygon, Triangle
                if (!has(pos, 4)) return fail();
                const std::uint32_t rings = u32(pos, little);
                pos += 4;
                for (std::uint32_t r = 0; r < rings && ok; ++r) pos = points(pos, little, point_bytes);
                return pos;
            }
            case 4: case 5: case 6: case 7: case 9: case 10: case 11: case 12: case 15: case 16: {  // collections
                if (!has(pos, 4)) return fail();
                const std::uint32_t parts = u32(pos, little);
                pos += 4;
                for (std::uint32_t p = 0; p < parts && ok; ++p) pos = geometry(pos, depth + 1);
                return pos;
            }
            default: return fail();
        }
    }

private:
    bool has(std::size_t at, std::size_t bytes) const { return at <= m_size && bytes <= m_size - at; }
    std::size_t fail() {
        ok = false;
        return m_size;
    }
    std::uint32_t u32(std::size_t at, bool little) const {
        const unsigned char* b = m_data + at;
        return little ? std::uint32_t{b[0]} | std::uint32_t{b[1]} << 8 | std::uint32_t{b[2]} << 16 | std::uint32_t{b[3]} << 24
                      : std::uint32_t{b[3]} | std::uint32_t{b[2]} << 8 | std::uint32_t{b[1]} << 16 | std::uint32_t{b[0]} << 24;
    }
    std::size_t skip(std::size_t at, std::size_t bytes) { return has(at, bytes) ? at + bytes : fail(); }
    std::size_t points(std::size_t at, bool little, std::size_t point_bytes) {
        if (!has(at, 4)) return fail();
        const std::uint32_t n = u32(at, little);
        if (n > (m_size - at - 4) / point_bytes) return fail();
        return at + 4 + std::size_t{n} * point_bytes;
    }

    const unsigned char* m_data;
    std::size_t m_size;
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
    WkbWalker walker(data, size);
    const std::size_t end = walker.geometry(0);
    if (walker.ok && end < size)
        throw invalid_input("WKB of " + std::to_string(size) + " bytes has " + std::to_string(size - end) +
                            " trailing bytes after the geometry, from byte offset " + std::to_string(end));
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
    if (!data) return std::nullopt;
    WkbWalker walker(data, size);
    walker.geometry(0);
    return walker.srid;
}

std::vector<unsigned char> to_wkb(const MultiPolygon& shape) { return write_wkb(detail::to_geos(shape).get()); }

std::vector<unsigned char> to_wkb(const Coord& point) {
    return write_wkb(detail::checked(GEOSGeom_createPointFromXY_r(geos(), point.x, point.y), "point").get());
}

}  // namespace geometry
}  // namespace placedef
