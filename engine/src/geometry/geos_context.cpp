#include "geometry/detail/geos_context.hpp"

#include "placedef/error.hpp"
#include "placedef/geometry.hpp"

#include <cstdarg>
#include <cstdio>
#include <new>

namespace placedef::detail {

namespace {

struct ThreadContext {
    GEOSContextHandle_t handle = nullptr;
    std::string last_error;

    ThreadContext() {
        handle = GEOS_init_r();
        GEOSContext_setErrorMessageHandler_r(handle, &ThreadContext::on_message, this);
        GEOSContext_setNoticeMessageHandler_r(handle, &ThreadContext::on_notice, nullptr);
    }
    ~ThreadContext() { GEOS_finish_r(handle); }
    ThreadContext(const ThreadContext&) = delete;
    ThreadContext& operator=(const ThreadContext&) = delete;

    static void on_message(const char* message, void* self) {
        static_cast<ThreadContext*>(self)->last_error = message ? message : "";
    }
    // Notices (e.g. "Self-intersection at ...") accompany validity answers we
    // already get through the API; they are not errors.
    static void on_notice(const char*, void*) {}
};

ThreadContext& context() {
    thread_local ThreadContext instance;
    return instance;
}

GEOSCoordSequence* ring_sequence(GEOSContextHandle_t h, const Ring& ring) {
    const std::size_t n = ring.size();
    // GEOS wants closed rings; our rings are stored open.
    std::vector<double> xy;
    xy.reserve(2 * (n + 1));
    for (const Coord& c : ring) {
        xy.push_back(c.x);
        xy.push_back(c.y);
    }
    if (n > 0) {
        xy.push_back(ring[0].x);
        xy.push_back(ring[0].y);
    }
    return GEOSCoordSeq_copyFromBuffer_r(h, xy.data(), n ? n + 1 : 0, 0, 0);
}

GEOSGeometry* linear_ring(GEOSContextHandle_t h, const Ring& ring) {
    GEOSCoordSequence* seq = ring_sequence(h, ring);
    if (!seq) return nullptr;
    return GEOSGeom_createLinearRing_r(h, seq);
}

Ring read_ring(GEOSContextHandle_t h, const GEOSGeometry* ring) {
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned int size = 0;
    GEOSCoordSeq_getSize_r(h, seq, &size);
    Ring out(size);
    if (size) GEOSCoordSeq_copyToBuffer_r(h, seq, &out[0].x, 0, 0);
    return out;
}

void collect_polygons(GEOSContextHandle_t h, const GEOSGeometry* g, MultiPolygon& out) {
    const int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_POLYGON) {
        if (GEOSisEmpty_r(h, g)) return;
        Polygon polygon;
        polygon.outer = read_ring(h, GEOSGetExteriorRing_r(h, g));
        const int holes = GEOSGetNumInteriorRings_r(h, g);
        for (int i = 0; i < holes; ++i) polygon.holes.push_back(read_ring(h, GEOSGetInteriorRingN_r(h, g, i)));
        out.polygons.push_back(std::move(polygon));
    } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        const int parts = GEOSGetNumGeometries_r(h, g);
        for (int i = 0; i < parts; ++i) collect_polygons(h, GEOSGetGeometryN_r(h, g, i), out);
    }
}

}  // namespace

GEOSContextHandle_t geos() { return context().handle; }

std::string last_geos_error() {
    // GEOS turns a failed allocation into the text of std::bad_alloc: that is
    // out of memory (exit code 3, --memory-limit), not a fault of the geometry.
    if (context().last_error == std::bad_alloc().what()) throw std::bad_alloc();
    return context().last_error;
}

GeosPtr checked(GEOSGeometry* g, const char* operation) {
    if (!g) throw topology_error(std::string("GEOS ") + operation + " failed: " + last_geos_error());
    return GeosPtr(g);
}

GeosPtr to_geos(const MultiPolygon& shape) {
    GEOSContextHandle_t h = geos();
    std::vector<GEOSGeometry*> polygons;
    polygons.reserve(shape.polygons.size());
    auto release = [&] {
        for (GEOSGeometry* p : polygons) GEOSGeom_destroy_r(h, p);
    };
    for (const Polygon& polygon : shape.polygons) {
        GEOSGeometry* shell = linear_ring(h, polygon.outer);
        if (!shell) {
            release();
            throw topology_error("GEOS could not build a ring: " + last_geos_error());
        }
        std::vector<GEOSGeometry*> holes;
        for (const Ring& hole : polygon.holes) {
            GEOSGeometry* ring = linear_ring(h, hole);
            if (!ring) {
                for (GEOSGeometry* made : holes) GEOSGeom_destroy_r(h, made);
                GEOSGeom_destroy_r(h, shell);
                release();
                throw topology_error("GEOS could not build a ring: " + last_geos_error());
            }
            holes.push_back(ring);
        }
        GEOSGeometry* made = GEOSGeom_createPolygon_r(h, shell, holes.data(), static_cast<unsigned>(holes.size()));
        if (!made) {
            release();
            throw topology_error("GEOS could not build a polygon: " + last_geos_error());
        }
        polygons.push_back(made);
    }
    return checked(GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polygons.data(),
                                               static_cast<unsigned>(polygons.size())),
                   "createCollection");
}

MultiPolygon from_geos(const GEOSGeometry* g) {
    MultiPolygon out;
    collect_polygons(geos(), g, out);
    normalise(out);
    return out;
}

}  // namespace placedef::detail
