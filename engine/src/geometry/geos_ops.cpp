#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "placedef/text.hpp"

#include "geometry/detail/geos_context.hpp"

#include <algorithm>
#include <map>

namespace placedef {
inline namespace geometry {

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

MultiPolygon simplified(const MultiPolygon& shape, double tolerance) {
    GeosPtr g = detail::to_geos(shape);
    return detail::from_geos(checked(GEOSTopologyPreserveSimplify_r(geos(), g.get(), tolerance), "simplify").get());
}

MultiPolygon dissolve(const std::vector<MultiPolygon>& shapes, double gap) {
    if (!(gap >= 0)) throw invalid_input("dissolve: the gap to close must be a number >= 0, not " + std::to_string(gap));
    if (gap == 0) return union_all(shapes);
    GEOSContextHandle_t h = geos();
    // Union first: buffering overlapping parts of one collection is not
    // something GEOS promises to get right.
    GeosPtr g = detail::to_geos(union_all(shapes));
    // Mitred joins: out-and-in restores straight edges and square corners
    // exactly, where round joins would leave chamfers. The mitre limit of 5
    // (GEOS's default) only bevels spikes sharper than about 23 degrees.
    const double mitre_limit = 5.0;
    auto grow = [&](const GEOSGeometry* shape, double by) {
        return checked(GEOSBufferWithStyle_r(h, shape, by, 8, GEOSBUF_CAP_FLAT, GEOSBUF_JOIN_MITRE, mitre_limit), "buffer");
    };
    GeosPtr closed = grow(grow(g.get(), gap / 2).get(), -gap / 2);
    return detail::from_geos(closed.get());
}

Layer dissolve_by(const Layer& layer, const std::string& column, double gap) {
    const std::optional<std::size_t> index = layer.attribute_index(column);
    if (!index)
        throw invalid_input("no column '" + column + "' to dissolve by in " + layer.label(),
                            Location{layer.source, layer.name, {}, {}, column});
    Layer merged;
    merged.name = layer.name;
    merged.source = layer.source;
    merged.code_column = column;
    merged.geometry_column = layer.geometry_column;
    merged.source_crs = layer.source_crs;
    merged.crs = layer.crs;
    merged.kind = layer.kind;
    std::vector<std::vector<MultiPolygon>> parts;
    std::map<std::string, std::size_t> position;
    for (const Feature& unit : layer.features) {
        const std::string& value = unit.attributes[*index];
        if (value.empty())
            throw invalid_input("unit " + unit.code + " has no value in '" + column + "' to dissolve by",
                                Location{layer.source, layer.name, unit.fid, unit.code, column});
        const auto [at, added] = position.emplace(value, merged.features.size());
        if (added) {
            Feature feature;
            feature.fid = static_cast<std::int64_t>(merged.features.size()) + 1;
            feature.code = value;
            merged.features.push_back(std::move(feature));
            parts.emplace_back();
        }
        parts[at->second].push_back(unit.shape);
    }
    for (std::size_t f = 0; f < merged.features.size(); ++f) merged.features[f].shape = dissolve(parts[f], gap);
    merged.features_read = merged.features.size();
    return merged;
}

double distance(const MultiPolygon& a, const MultiPolygon& b) {
    if (a.empty() || b.empty()) throw invalid_input("distance: one of the shapes is empty");
    GeosPtr ga = detail::to_geos(a);
    GeosPtr gb = detail::to_geos(b);
    double result = 0;
    if (!GEOSDistance_r(geos(), ga.get(), gb.get(), &result))
        throw topology_error("GEOS distance failed: " + detail::last_geos_error());
    return result;
}

std::vector<MultiPolygon> voronoi_cells(const std::vector<Coord>& points, const Box& extent) {
    if (points.empty()) throw invalid_input("Voronoi cells need at least one point");
    std::vector<std::size_t> order(points.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    auto by_position = [&](std::size_t l, std::size_t r) {
        return points[l].x < points[r].x || (points[l].x == points[r].x && points[l].y < points[r].y);
    };
    std::sort(order.begin(), order.end(), by_position);
    for (std::size_t i = 1; i < order.size(); ++i)
        if (points[order[i]] == points[order[i - 1]])
            throw invalid_input("Voronoi cells need distinct points; two lie at (" + readable_number(points[order[i]].x) +
                                " " + readable_number(points[order[i]].y) + ")");

    const MultiPolygon box_shape{{Polygon{{{extent.minx, extent.miny}, {extent.maxx, extent.miny},
                                           {extent.maxx, extent.maxy}, {extent.minx, extent.maxy}},
                                          {}}}};
    if (points.size() == 1) return {box_shape};

    GEOSContextHandle_t h = geos();
    std::vector<double> xy;
    for (const Coord& c : points) xy.insert(xy.end(), {c.x, c.y});
    GEOSCoordSequence* sequence = GEOSCoordSeq_copyFromBuffer_r(h, xy.data(), points.size(), 0, 0);
    GeosPtr sites = checked(GEOSGeom_createLineString_r(h, sequence), "point set");
    GeosPtr envelope = detail::to_geos(box_shape);
    GeosPtr diagram = checked(GEOSVoronoiDiagram_r(h, sites.get(), envelope.get(), 0.0, 0), "Voronoi diagram");

    // GEOS 3.11 returns the cells in its own order: give each to the point it holds.
    std::vector<MultiPolygon> cells(points.size());
    const int count = GEOSGetNumGeometries_r(h, diagram.get());
    for (int i = 0; i < count; ++i) {
        const MultiPolygon cell = detail::from_geos(GEOSGetGeometryN_r(h, diagram.get(), i));
        const Box box = bounds(cell);
        const auto first = std::lower_bound(order.begin(), order.end(), box.minx,
                                            [&](std::size_t k, double x) { return points[k].x < x; });
        for (auto it = first; it != order.end() && points[*it].x <= box.maxx; ++it) {
            const Coord& p = points[*it];
            if (p.y < box.miny || p.y > box.maxy || !cells[*it].empty()) continue;
            GeosPtr g = detail::to_geos(cell);
            GeosPtr point = checked(GEOSGeom_createPointFromXY_r(h, p.x, p.y), "point");
            if (GEOSIntersects_r(h, g.get(), point.get()) == 1) {
                cells[*it] = intersection(cell, box_shape);
                break;
            }
        }
    }
    for (std::size_t i = 0; i < cells.size(); ++i)
        if (cells[i].empty())
            throw topology_error("GEOS gave no Voronoi cell for the point at (" + readable_number(points[i].x) + " " +
                                 readable_number(points[i].y) + ")");
    return cells;
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

}  // namespace geometry
}  // namespace placedef
