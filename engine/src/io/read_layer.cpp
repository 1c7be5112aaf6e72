// Reading a layer through OGR: choosing the layer, the CRS and the code
// column, turning OGR geometries into our value types, and reporting every
// feature that cannot be used. Validity and duplicate codes are left to the
// geometry module (check_layer).
#include "placedef/io.hpp"

#include "placedef/cancel.hpp"

#include "io/detail/gdal_handles.hpp"
#include "core/location.hpp"
#include "core/text.hpp"
#include "io/detail/reprojection.hpp"

#include <cpl_vsi.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_map>
#include <unordered_set>

namespace placedef {
inline namespace io {

namespace {

using detail::DatasetPtr;
using detail::FeaturePtr;
using detail::GdalErrorCapture;
using detail::GeometryPtr;

/// Opens the dataset; `opened_with` (when given) receives the errors GDAL
/// raised on a dataset it opened all the same, or "".
DatasetPtr open_vector_dataset(const std::string& path, const std::string& shown_path,
                               std::string* opened_with = nullptr) {
    detail::register_gdal_drivers();
    GdalErrorCapture errors;
    DatasetPtr dataset(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR));
    if (!dataset) {
        // GDAL says "not recognized as a supported file format" for all three.
        VSIStatBufL status;
        if (VSIStatL(path.c_str(), &status) == 0 && VSI_ISDIR(status.st_mode))
            throw io_error("cannot be opened: it is a directory that GDAL does not read as a dataset; give the file "
                           "inside it (a GeoPackage, a shapefile's .shp, ...)",
                           detail::in_file(shown_path));
        if (VSIStatL(path.c_str(), &status) == 0 && VSI_ISREG(status.st_mode) && status.st_size == 0)
            throw io_error("cannot be opened: the file is empty (0 bytes)", detail::in_file(shown_path));
        const std::string message = "cannot be opened: " + errors.message();
        // A local path (not a connection or a /vsi address) that is not there at all.
        if (!detail::istarts_with(path, "PG:") && !detail::istarts_with(path, "/vsi") &&
            VSIStatExL(path.c_str(), &status, VSI_STAT_EXISTS_FLAG) != 0)
            throw file_not_found(message, detail::in_file(shown_path));
        throw io_error(message, detail::in_file(shown_path));
    }
    if (opened_with) *opened_with = errors.failed() ? errors.message() : std::string();
    return dataset;
}

/// The CRS a GeoJSON file's 'crs' member names (RFC 7946 dropped it; GDAL
/// still reads it), as written: its "name" or its "code", or "" when the
/// first megabyte holds no such member.
std::string geojson_crs_member(const std::string& path) {
    VSILFILE* file = VSIFOpenL(path.c_str(), "rb");
    if (!file) return {};
    std::string head(1 << 20, '\0');
    head.resize(VSIFReadL(&head[0], 1, head.size(), file));
    VSIFCloseL(file);
    const std::size_t member = head.find("\"crs\"");
    if (member == std::string::npos) return {};
    const std::size_t end = head.find('}', member);
    const std::string object = head.substr(member, end == std::string::npos ? 400 : end - member);
    for (const char* key : {"\"name\"", "\"code\"", "\"href\""}) {
        std::size_t at = object.rfind(key);
        if (at == std::string::npos) continue;
        at = object.find(':', at);
        if (at == std::string::npos) continue;
        const std::size_t from = object.find_first_not_of(" \t\r\n\"", at + 1);
        const std::size_t to = object.find_first_of("\",}\r\n", from);
        if (from != std::string::npos) return object.substr(from, to == std::string::npos ? std::string::npos : to - from);
    }
    return "(unreadable)";
}

std::vector<std::string> layer_names(GDALDataset& dataset) {
    std::vector<std::string> names;
    for (OGRLayer* layer : dataset.GetLayers()) names.emplace_back(layer->GetName());
    return names;
}

/// With no layer named, the only layer, or else the only one with geometry
/// (a GeoPackage may also hold attribute tables such as layer_styles).
OGRLayer& choose_layer(GDALDataset& dataset, const std::string& wanted, const std::string& shown_path) {
    const std::vector<std::string> names = layer_names(dataset);
    if (!wanted.empty()) {
        OGRLayer* layer = dataset.GetLayerByName(wanted.c_str());
        if (!layer)
            throw invalid_input("has no layer '" + wanted + "'; its layers are " + detail::quoted_list(names),
                                detail::in_file(shown_path));
        return *layer;
    }
    if (names.empty()) throw invalid_input("holds no layers", detail::in_file(shown_path));
    if (names.size() == 1) return *dataset.GetLayer(0);
    std::vector<OGRLayer*> with_geometry;
    for (OGRLayer* layer : dataset.GetLayers())
        if (layer->GetGeomType() != wkbNone) with_geometry.push_back(layer);
    if (with_geometry.size() == 1) return *with_geometry.front();
    throw invalid_input("holds " + std::to_string(names.size()) + " layers (" + detail::quoted_list(names) +
                            "); name one as 'path:LAYER'",
                        detail::in_file(shown_path));
}

// ---- CRS -------------------------------------------------------------------

/// GeoPackage has no "no CRS": it points at its reserved entries
/// "Undefined geographic SRS" (srs_id 0) and "Undefined Cartesian SRS" (-1).
bool is_undefined(const OGRSpatialReference& srs) {
    const char* name = srs.GetName();
    return srs.GetAuthorityCode(nullptr) == nullptr && name && detail::istarts_with(name, "Undefined ") &&
           detail::iends_with(name, " SRS");
}

OGRSpatialReference source_reference(OGRLayer& layer, const ReadOptions& options, const Location& where) {
    OGRSpatialReference srs;
    const OGRSpatialReference* declared = layer.GetSpatialRef();
    if (declared && !is_undefined(*declared)) {
        srs = *declared;
    } else if (options.assume_crs.empty()) {
        throw invalid_input("the layer has no CRS; give --assume-crs EPSG:XXXX", where);
    } else {
        GdalErrorCapture errors;
        if (srs.SetFromUserInput(options.assume_crs.c_str()) != OGRERR_NONE)
            throw invalid_input(
                "assumed CRS '" + options.assume_crs + "' is not a CRS GDAL understands: " + errors.message(), where);
    }
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

// ---- geometry ------------------------------------------------------------

bool is_polygonal(OGRwkbGeometryType type) {
    return OGR_GT_IsSurface(type) || OGR_GT_IsSubClassOf(type, wkbMultiSurface);
}

bool is_point(OGRwkbGeometryType type) { return type == wkbPoint || type == wkbMultiPoint; }

bool is_expected_kind(OGRwkbGeometryType type, LayerKind expect) {
    return expect == LayerKind::polygon ? is_polygonal(type) : is_point(type);
}

/// What a layer of this type holds, for "the layer holds points".
std::string geometry_noun(OGRwkbGeometryType type) {
    if (is_point(type)) return "points";
    if (is_polygonal(type)) return "polygons";
    if (OGR_GT_IsCurve(type) || OGR_GT_IsSubClassOf(type, wkbMultiCurve)) return "lines";
    if (type == wkbGeometryCollection) return "geometry collections";
    return std::string("geometries of type ") + OGRGeometryTypeToName(type);
}

std::string wrong_kind_reason(const std::string& holds, LayerKind expect) {
    return "the layer holds " + holds + "; a " + to_string(expect) + " layer is needed";
}

Ring open_ring(const OGRLinearRing& ring) {
    Ring out;
    const int n = ring.getNumPoints();
    out.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) out.push_back(Coord{ring.getX(i), ring.getY(i)});
    if (out.size() > 1 && out.front() == out.back()) out.pop_back();
    return out;
}

void add_polygon(const OGRPolygon& polygon, MultiPolygon& into) {
    const OGRLinearRing* outer = polygon.getExteriorRing();
    if (!outer || outer->IsEmpty()) return;
    Polygon part;
    part.outer = open_ring(*outer);
    for (int i = 0; i < polygon.getNumInteriorRings(); ++i) part.holes.push_back(open_ring(*polygon.getInteriorRing(i)));
    into.polygons.push_back(std::move(part));
}

/// Adds the polygonal parts of a linear geometry to `into`, straight from
/// OGR's rings (no intermediate OGR copy), and counts the members that are
/// not polygons.
void collect_polygons(const OGRGeometry& geometry, MultiPolygon& into, std::size_t& dropped) {
    const OGRwkbGeometryType type = wkbFlatten(geometry.getGeometryType());
    if (type == wkbPolygon) {
        add_polygon(*geometry.toPolygon(), into);
    } else if (type == wkbMultiPolygon) {
        for (const OGRPolygon* polygon : geometry.toMultiPolygon()) add_polygon(*polygon, into);
    } else if (type == wkbGeometryCollection) {
        for (const OGRGeometry* member : geometry.toGeometryCollection()) collect_polygons(*member, into, dropped);
    } else if (is_polygonal(type)) {
        // Polyhedral surfaces and TINs: OGR turns them into polygons.
        GeometryPtr<> multi(OGRGeometryFactory::forceToMultiPolygon(geometry.clone()));
        if (multi && wkbFlatten(multi->getGeometryType()) == wkbMultiPolygon)
            for (const OGRPolygon* polygon : multi->toMultiPolygon()) add_polygon(*polygon, into);
    } else {
        ++dropped;
    }
}

struct Issue {
    ProblemKind kind;
    std::string detail;
    bool repairable = false;  ///< kept, with what could be saved, under `repair`
};

/// One source row as first read, before the code column is settled.
struct SourceRow {
    std::int64_t fid = 0;
    std::vector<std::string> attributes;
    MultiPolygon shape;
    Coord point{};
    std::optional<Issue> issue;
    std::string linearised;  ///< how a curved geometry was made straight, or ""
    std::string outside;     ///< how it lies outside its CRS's area of use, or ""
};

/// The box of the usable coordinates (finite and in range; the others are
/// check_layer's to report).
Box usable_box(const MultiPolygon& shape) {
    Box box;
    for (const Polygon& polygon : shape.polygons) {
        for (const Coord& c : polygon.outer)
            if (in_coordinate_range(c)) box.expand(c);
        for (const Ring& hole : polygon.holes)
            for (const Coord& c : hole)
                if (in_coordinate_range(c)) box.expand(c);
    }
    return box;
}

/// Arcs become straight segments each spanning at most this angle, whatever
/// OGR_ARC_STEPSIZE says, so that a result never depends on the environment.
/// A circle keeps 99.995 % of its area (1 - sin(x)/x for x = 1 degree).
constexpr double arc_step_degrees = 1.0;

/// The area of a shape as read (io comes before the geometry module, whose
/// measures it cannot use): shells minus holes, by the shoelace formula.
double shape_area(const MultiPolygon& shape) {
    const auto ring_area = [](const Ring& ring) {
        double twice = 0.0;
        for (std::size_t i = 0, n = ring.size(); i < n; ++i)
            twice += ring[i].x * ring[(i + 1) % n].y - ring[(i + 1) % n].x * ring[i].y;
        return std::fabs(twice) / 2.0;
    };
    double total = 0.0;
    for (const Polygon& polygon : shape.polygons) {
        total += ring_area(polygon.outer);
        for (const Ring& hole : polygon.holes) total -= ring_area(hole);
    }
    return total;
}

// ---- exact area of curved geometries -------------------------------------------

double cross(double ax, double ay, double bx, double by) { return ax * by - ay * bx; }

/// Twice the signed area swept from the origin along the arc from a through
/// b to c (Green's theorem: O x (c - a) + r^2 * angle, O the centre); the
/// chord's when the three points lie on a line.
double twice_arc_area(const OGRPoint& a, const OGRPoint& b, const OGRPoint& c) {
    const double ax = a.getX(), ay = a.getY(), bx = b.getX(), by = b.getY(), cx = c.getX(), cy = c.getY();
    double ox, oy, angle;
    const double pi = std::acos(-1.0);
    if (ax == cx && ay == cy) {  // a full circle through a and the point opposite, b
        ox = (ax + bx) / 2;
        oy = (ay + by) / 2;
        angle = 2 * pi;
    } else {
        const double d = 2 * (ax * (by - cy) + bx * (cy - ay) + cx * (ay - by));
        if (d == 0) return cross(ax, ay, cx, cy);
        const double a2 = ax * ax + ay * ay, b2 = bx * bx + by * by, c2 = cx * cx + cy * cy;
        ox = (a2 * (by - cy) + b2 * (cy - ay) + c2 * (ay - by)) / d;
        oy = (a2 * (cx - bx) + b2 * (ax - cx) + c2 * (bx - ax)) / d;
        const double start = std::atan2(ay - oy, ax - ox), end = std::atan2(cy - oy, cx - ox);
        const bool counter_clockwise = cross(bx - ax, by - ay, cx - bx, cy - by) > 0;
        angle = counter_clockwise ? std::fmod(end - start + 4 * pi, 2 * pi) : -std::fmod(start - end + 4 * pi, 2 * pi);
    }
    const double r2 = (ax - ox) * (ax - ox) + (ay - oy) * (ay - oy);
    return cross(ox, oy, cx - ax, cy - ay) + r2 * angle;
}

/// Twice the signed area swept along a curve: straight pieces and arcs.
double twice_curve_area(const OGRCurve& curve) {
    const OGRwkbGeometryType type = wkbFlatten(curve.getGeometryType());
    double twice = 0.0;
    if (type == wkbCompoundCurve) {
        for (const OGRCurve* part : curve.toCompoundCurve()) twice += twice_curve_area(*part);
    } else if (type == wkbCircularString) {
        const OGRSimpleCurve& arcs = *curve.toSimpleCurve();
        OGRPoint a, b, c;
        for (int i = 0; i + 2 < arcs.getNumPoints(); i += 2) {
            arcs.getPoint(i, &a);
            arcs.getPoint(i + 1, &b);
            arcs.getPoint(i + 2, &c);
            twice += twice_arc_area(a, b, c);
        }
    } else {
        const OGRSimpleCurve& line = *curve.toSimpleCurve();
        for (int i = 0; i + 1 < line.getNumPoints(); ++i)
            twice += cross(line.getX(i), line.getY(i), line.getX(i + 1), line.getY(i + 1));
    }
    return twice;
}

/// The area of a polygonal geometry with its arcs as arcs (GDAL's own
/// get_Area linearises compound curves first).
double exact_area(const OGRGeometry& geometry) {
    const OGRwkbGeometryType type = wkbFlatten(geometry.getGeometryType());
    if (OGR_GT_IsSubClassOf(type, wkbCurvePolygon)) {
        const OGRCurvePolygon& polygon = *geometry.toCurvePolygon();
        const OGRCurve* outer = polygon.getExteriorRingCurve();
        double total = outer ? std::fabs(twice_curve_area(*outer)) / 2 : 0.0;
        for (int i = 0; i < polygon.getNumInteriorRings(); ++i)
            total -= std::fabs(twice_curve_area(*polygon.getInteriorRingCurve(i))) / 2;
        return total;
    }
    double total = 0.0;
    if (OGR_GT_IsSubClassOf(type, wkbGeometryCollection))
        for (const OGRGeometry* member : geometry.toGeometryCollection()) total += exact_area(*member);
    return total;
}

std::string number_text(double value, int digits) {
    char text[40];
    std::snprintf(text, sizeof text, "%.*g", digits, value);
    return text;
}

/// Turns OGR geometries into shapes or points in the study CRS, and notes
/// which kinds of geometry the layer holds.
class GeometryReader {
public:
    GeometryReader(LayerKind expect, Reprojection& reprojection) : m_expect(expect), m_reprojection(reprojection) {}

    void read(GeometryPtr<> geometry, SourceRow& row) {
        double curved_area = 0.0, straight_area = 0.0;
        std::string curved_type;
        if (geometry && geometry->hasCurveGeometry()) {
            curved_type = OGRGeometryTypeToName(geometry->getGeometryType());
            curved_area = exact_area(*geometry);
            const double step = arc_step_degrees;
            const std::string option = "MAX_ANGLE_STEP_DEGREES=" + std::to_string(step);
            const char* options[] = {option.c_str(), nullptr};
            geometry.reset(geometry->getLinearGeometry(step, options));
            if (geometry) straight_area = OGR_G_Area(OGRGeometry::ToHandle(geometry.get()));
        }
        if (!geometry) {
            row.issue = Issue{ProblemKind::null_geometry, "the feature has no geometry"};
            return;
        }
        if (geometry->IsEmpty()) {
            row.issue = Issue{ProblemKind::empty_geometry, "the geometry is empty"};
            return;
        }
        const OGRwkbGeometryType type = wkbFlatten(geometry->getGeometryType());
        if (m_expect == LayerKind::polygon)
            read_polygons(*geometry, type, row);
        else
            read_point(*geometry, type, row);
        if (!curved_type.empty() && !row.shape.empty() && straight_area > 0.0) {
            // Both areas in the study CRS: the straight shape is measured
            // there, and the curve scaled by the ratio found in the source CRS.
            const double after = shape_area(row.shape);
            const double before = after * curved_area / straight_area;
            row.linearised = "a " + curved_type + " made of straight segments of at most " +
                             number_text(arc_step_degrees, 3) + " degree(s) of arc: area " + number_text(before, 9) +
                             " m2 as curves, " + number_text(after, 9) + " m2 after (" +
                             number_text(100.0 * (after - before) / before, 3) + " %)";
        }
    }

    bool saw_expected_kind() const { return m_saw_expected; }
    const std::vector<std::string>& other_kinds() const { return m_other_kinds; }

private:
    void read_polygons(OGRGeometry& geometry, OGRwkbGeometryType type, SourceRow& row) {
        if (!is_polygonal(type) && type != wkbGeometryCollection) {
            wrong_type(type, row);
            return;
        }
        std::size_t dropped = 0;
        collect_polygons(geometry, row.shape, dropped);
        if (row.shape.empty() && dropped > 0 && type == wkbGeometryCollection) {
            wrong_type(type, row);
            return;
        }
        m_saw_expected = true;  // polygons, if unusable ones
        locate(usable_box(row.shape), row);
        if (auto why = m_reprojection.apply(row.shape)) {
            unusable(*why, row);
            row.shape = {};
        } else if (row.shape.empty()) {
            row.issue = Issue{ProblemKind::empty_geometry, "the geometry has no non-empty polygon"};
        } else if (type == wkbGeometryCollection) {
            row.issue = Issue{ProblemKind::wrong_geometry_type,
                              "a GeometryCollection: its " + std::to_string(row.shape.polygons.size()) +
                                  " polygon(s) are kept and " + std::to_string(dropped) + " other member(s) dropped",
                              true};
        }
    }

    void read_point(OGRGeometry& geometry, OGRwkbGeometryType type, SourceRow& row) {
        if (!is_point(type)) {
            wrong_type(type, row);
            return;
        }
        m_saw_expected = true;
        if (type == wkbMultiPoint && geometry.toMultiPoint()->getNumGeometries() != 1) {
            row.issue = Issue{ProblemKind::wrong_geometry_type,
                              "a MultiPoint of " + std::to_string(geometry.toMultiPoint()->getNumGeometries()) +
                                  " points; one point per feature is needed"};
            return;
        }
        const OGRPoint& point = type == wkbPoint ? *geometry.toPoint() : *geometry.toMultiPoint()->getGeometryRef(0);
        row.point = Coord{point.getX(), point.getY()};
        Box box;
        if (in_coordinate_range(row.point)) box.expand(row.point);
        locate(box, row);
        if (auto why = m_reprojection.apply(row.point)) unusable(*why, row);
    }

    /// Notes where the feature lies in its source CRS, before reprojection.
    void locate(const Box& box, SourceRow& row) {
        m_source_extent.expand(box);
        if (auto why = m_reprojection.outside_area_of_use(box)) row.outside = std::move(*why);
    }

public:
    const Box& source_extent() const { return m_source_extent; }

private:

    void wrong_type(OGRwkbGeometryType type, SourceRow& row) {
        const std::string noun = geometry_noun(type);
        bool seen = false;
        for (const std::string& kind : m_other_kinds) seen = seen || kind == noun;
        if (!seen) m_other_kinds.push_back(noun);
        row.issue = Issue{ProblemKind::wrong_geometry_type, std::string("a ") + OGRGeometryTypeToName(type) +
                                                                " where a " + to_string(m_expect) + " is needed"};
    }

    /// A feature PROJ cannot reproject (coordinates outside the source CRS)
    /// is a problem of that feature alone.
    static void unusable(std::string why, SourceRow& row) {
        row.issue = Issue{ProblemKind::invalid_geometry, std::move(why)};
    }

    LayerKind m_expect;
    Reprojection& m_reprojection;
    bool m_saw_expected = false;
    std::vector<std::string> m_other_kinds;
    Box m_source_extent;
};

/// Coordinates that do not fit the layer's CRS, said once for the layer and
/// naming the first feature: numbers in degrees under a projected CRS, or
/// features outside the area of use of the source or the study CRS.
void report_misplaced(const std::vector<SourceRow>& rows, std::size_t code_index, const Reprojection& reprojection,
                      const Box& source_extent, const Layer& layer, ProblemSink& problems) {
    const Location layer_location = detail::in_file(layer.source, layer.name);
    auto at_row = [&](const SourceRow& row) {
        return detail::at_code(detail::at_fid(layer_location, row.fid),
                               std::string(detail::trim(row.attributes[code_index])));
    };
    if (auto degrees = reprojection.looks_like_degrees(source_extent)) {
        // Said of the layer, at its first feature, as every feature is concerned.
        problems.report(Problem{ProblemKind::outside_crs_area, ProblemAction::kept, at_row(rows.front()), *degrees});
        return;  // every feature would be named again below
    }
    std::size_t count = 0;
    const SourceRow* first = nullptr;
    for (const SourceRow& row : rows)
        if (!row.outside.empty() && count++ == 0) first = &row;
    if (!first) return;
    const Location where = at_row(*first);
    const std::string others = count > 1 ? " (and " + std::to_string(count - 1) + " other feature(s) of the layer)" : "";
    problems.report(Problem{ProblemKind::outside_crs_area, ProblemAction::kept, where,
                            "the feature" + others + " " + first->outside});
}

// ---- code column -----------------------------------------------------------

std::string join_nouns(const std::vector<std::string>& nouns) {
    std::string text;
    for (std::size_t i = 0; i < nouns.size(); ++i) text += (i == 0 ? "" : " and ") + nouns[i];
    return text;
}

/// Why column `index` cannot be the code column, or "" when it can: every
/// value must be present and unique.
std::string unusable_as_code(const std::vector<SourceRow>& rows, std::size_t index) {
    std::unordered_map<std::string, std::int64_t> first_fid;
    for (const SourceRow& row : rows) {
        const std::string value(detail::trim(row.attributes[index]));
        if (value.empty()) return "empty at feature " + std::to_string(row.fid);
        auto [it, inserted] = first_fid.emplace(value, row.fid);
        if (!inserted)
            return "'" + value + "' at features " + std::to_string(it->second) + " and " + std::to_string(row.fid);
    }
    return {};
}

/// The columns, for a message; a shapefile with none has likely lost its
/// .dbf, which GDAL does not mention.
std::string columns_text(const std::vector<std::string>& names, const std::string& shown_path) {
    std::string text = detail::quoted_list(names);
    if (names.empty() && detail::iends_with(shown_path, ".shp"))
        text += " (a shapefile keeps its columns in the .dbf file next to it: is it missing?)";
    return text;
}

struct CodeColumn {
    std::size_t index = 0;
    bool guessed = false;
};

CodeColumn choose_code_column(const LayerAddress& address, const std::string& shown_path,
                              const std::vector<std::string>& names, const std::vector<SourceRow>& rows,
                              const Location& where) {
    if (!address.code_column.empty()) {
        if (auto index = detail::find_name(names, address.code_column)) return {*index, false};
        Location at = where;
        at.field = address.code_column;
        throw invalid_input("no column '" + address.code_column + "' to take the codes from; the columns are " +
                                columns_text(names, shown_path),
                            at);
    }
    std::vector<std::string> usable;
    std::vector<std::string> rejected;
    CodeColumn chosen{0, true};
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (!detail::iends_with(names[i], "CD")) continue;
        const std::string why_not = unusable_as_code(rows, i);
        if (why_not.empty()) {
            usable.push_back(names[i]);
            chosen.index = i;
        } else {
            rejected.push_back(names[i] + ": " + why_not);
        }
    }
    if (usable.size() == 1) return chosen;

    const std::string example =
        LayerAddress{shown_path, address.layer, usable.empty() ? "COLUMN" : usable.front(), address.label_column}.to_string();
    std::string reason = "no code column given, and ";
    if (!usable.empty()) {
        reason += "several columns could be it (" + detail::quoted_list(usable) + ")";
    } else if (rejected.empty()) {
        reason += "no column ends in 'CD' to guess it from; the columns are " + columns_text(names, shown_path);
    } else {
        reason += "no column ending in 'CD' has a unique, non-empty value in every feature (";
        for (std::size_t i = 0; i < rejected.size(); ++i) reason += (i == 0 ? "" : "; ") + rejected[i];
        reason += ")";
    }
    throw invalid_input(reason + "; write the code column after '@', as '" + example + "'", where);
}

struct LabelColumn {
    std::optional<std::size_t> index;
    bool guessed = false;
};

/// The column of unit names: the one given, else the code column's name with
/// its final "CD" made "NM" (ONS's convention: LAD21CD, LAD21NM), else a
/// column called "name". None is fine: names are for readers, not for joins.
LabelColumn choose_label_column(const LayerAddress& address, const std::string& shown_path,
                                const std::vector<std::string>& names, const std::string& code_column,
                                const Location& where) {
    if (!address.label_column.empty()) {
        if (auto index = detail::find_name(names, address.label_column)) return {*index, false};
        Location at = where;
        at.field = address.label_column;
        throw invalid_input("no column '" + address.label_column + "' to take the names from; the columns are " +
                                columns_text(names, shown_path),
                            at);
    }
    if (detail::iends_with(code_column, "CD")) {
        const std::string stem = code_column.substr(0, code_column.size() - 2);
        const bool upper = code_column.back() == 'D';
        if (auto index = detail::find_name(names, stem + (upper ? "NM" : "nm"))) return {*index, true};
    }
    if (auto index = detail::find_name(names, "name")) return {*index, true};
    return {};
}

// ---- rows --------------------------------------------------------------------

/// Text values that were not UTF-8 (a shapefile with neither a .cpg nor a
/// code page in its .dbf gives its bytes as they are): read as Latin-1, the
/// usual encoding of such files, and reported once per layer.
struct Recoded {
    std::size_t values = 0;
    std::int64_t first_fid = 0;
    int first_field = 0;
    std::string first_value;  ///< as recoded
};

std::string utf8_text(const char* text, std::int64_t fid, int field, Recoded& recoded) {
    if (CPLIsUTF8(text, -1)) return text;
    char* converted = CPLRecode(text, CPL_ENC_ISO8859_1, CPL_ENC_UTF8);
    std::string value(converted);
    CPLFree(converted);
    if (recoded.values++ == 0) {
        recoded.first_fid = fid;
        recoded.first_field = field;
        recoded.first_value = value;
    }
    return value;
}

/// Reads every feature. A feature whose geometry GDAL could not decode (a
/// corrupt GeoPackage blob, a cut shapefile record) comes back without one,
/// with an error said about it: it is marked corrupt, and reading goes on.
/// An error with no feature ends the loop (the file itself is broken).
std::vector<SourceRow> read_rows(OGRLayer& source, GeometryReader& geometries, Recoded& recoded,
                                 GdalErrorCapture& errors) {
    std::vector<SourceRow> rows;
    const GIntBig expected = source.GetFeatureCount(FALSE);  // -1 when the driver cannot tell cheaply
    if (expected > 0) rows.reserve(static_cast<std::size_t>(expected));
    const int field_count = source.GetLayerDefn()->GetFieldCount();
    source.ResetReading();
    for (FeaturePtr feature(source.GetNextFeature()); feature; feature.reset(source.GetNextFeature())) {
        if (rows.size() % 256 == 0) check_cancelled();
        SourceRow row;
        row.fid = feature->GetFID() == OGRNullFID ? static_cast<std::int64_t>(rows.size()) : feature->GetFID();
        row.attributes.reserve(static_cast<std::size_t>(field_count));
        for (int i = 0; i < field_count; ++i)
            row.attributes.push_back(feature->IsFieldSetAndNotNull(i)
                                         ? utf8_text(feature->GetFieldAsString(i), row.fid, i, recoded)
                                         : std::string());
        GeometryPtr<> geometry(feature->StealGeometry());
        if (errors.failed()) {
            // What GDAL made of bytes it complained about is not trusted.
            row.issue = Issue{ProblemKind::corrupt_geometry,
                              std::string(geometry ? "GDAL reported an error reading the feature: "
                                                   : "the geometry cannot be read: ") +
                                  errors.message()};
            errors.clear();
        } else {
            geometries.read(std::move(geometry), row);
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

/// Reports a problem under `policy`; true when the feature is kept.
bool apply_policy(InvalidPolicy policy, ProblemKind kind, bool repairable, std::string detail, const Location& where,
                  ProblemSink& problems) {
    if (policy == InvalidPolicy::fail) {
        problems.report(Problem{kind, ProblemAction::failed, where, detail});
        throw invalid_input(detail + " (policy 'fail')", where);
    }
    const bool keep = repairable && policy == InvalidPolicy::repair;
    problems.report(Problem{kind, keep ? ProblemAction::repaired : ProblemAction::skipped, where, std::move(detail)});
    return keep;
}

/// Moves the rows that survive `policy` into `layer.features`, reporting the
/// others, now that each problem can be named by its code.
void keep_usable_rows(std::vector<SourceRow>& rows, std::size_t code_index, const std::string& geometry_column,
                      const ReadOptions& options, Layer& layer, ProblemSink& problems) {
    const InvalidPolicy policy = options.invalid;
    const Location layer_location = detail::in_file(layer.source, layer.name);
    // Codes given to units without one must never be the code of a real unit,
    // which would then be merged into it as a duplicate.
    std::unordered_set<std::string> taken;
    for (const SourceRow& row : rows) taken.emplace(detail::trim(row.attributes[code_index]));
    auto generated_code = [&](std::int64_t fid) {
        const std::string base = layer.name + "#" + std::to_string(fid);
        std::string code = base;
        for (int n = 2; taken.count(code); ++n) code = base + "#" + std::to_string(n);
        taken.insert(code);
        return code;
    };
    layer.features.reserve(rows.size());
    for (SourceRow& row : rows) {
        std::string code(detail::trim(row.attributes[code_index]));
        const Location where = detail::at_code(detail::at_fid(layer_location, row.fid), code);
        const bool unlocated = row.issue && (row.issue->kind == ProblemKind::null_geometry ||
                                             row.issue->kind == ProblemKind::empty_geometry);
        if (unlocated && options.keep_unlocated_points && layer.kind == LayerKind::point) {
            problems.report(Problem{row.issue->kind, ProblemAction::kept, detail::at_field(where, geometry_column),
                                    row.issue->detail + "; kept without a location"});
        } else if (row.issue && !apply_policy(policy, row.issue->kind, row.issue->repairable, row.issue->detail,
                                              detail::at_field(where, geometry_column), problems)) {
            continue;
        }
        if (code.empty()) {
            code = generated_code(row.fid);
            std::string why = "the code is empty";
            if (policy == InvalidPolicy::repair) why += "; it becomes '" + code + "'";
            if (!apply_policy(policy, ProblemKind::empty_code, true, why, detail::at_field(where, layer.code_column),
                              problems))
                continue;
        }
        if (!row.linearised.empty())
            problems.report(Problem{ProblemKind::curve_linearised, ProblemAction::repaired,
                                    detail::at_field(where, geometry_column), row.linearised});
        Feature feature;
        feature.fid = row.fid;
        feature.code = std::move(code);
        feature.shape = std::move(row.shape);
        feature.point = row.point;
        feature.located = !unlocated;
        feature.attributes = std::move(row.attributes);
        layer.features.push_back(std::move(feature));
    }
}

/// A layer none of whose features can be used for the reason all share:
/// coordinates that cannot be reprojected, or only geometries of another kind.
void require_usable_kind(const Reprojection& reprojection, const GeometryReader& geometries,
                         const ReadOptions& options, const Location& layer_location) {
    if (auto reason = reprojection.nothing_transformed())
        throw invalid_input("no feature can be used: " + *reason, layer_location);
    if (!geometries.saw_expected_kind() && !geometries.other_kinds().empty())
        throw invalid_input(wrong_kind_reason(join_nouns(geometries.other_kinds()), options.expect), layer_location);
}

/// Every layer's last steps, once its rows are read and its code column
/// known: misplaced coordinates said, the study CRS checked over the layer,
/// and the usable rows kept under the policy.
void settle_rows(std::vector<SourceRow>& rows, std::size_t code_index, const std::string& geometry_column,
                 Reprojection& reprojection, const GeometryReader& geometries, const ReadOptions& options,
                 Layer& layer, ProblemSink& problems) {
    report_misplaced(rows, code_index, reprojection, geometries.source_extent(), layer, problems);
    reprojection.check_area();  // after the report, which names features that stretch the extent
    keep_usable_rows(rows, code_index, geometry_column, options, layer, problems);
}

/// The geometry WKB bytes hold, through GDAL (which reads ISO WKB, EWKB's Z
/// and M flags, and curves); sets the row's issue when the bytes cannot be
/// read. Bytes after the geometry, and an EWKB SRID that is not the layer's
/// CRS, are the caller's mistake and refused.
GeometryPtr<> geometry_from_wkb(const WkbFeature& feature, const std::string& crs, const Location& where,
                                SourceRow& row) {
    if (!feature.wkb) return nullptr;  // no geometry: the reader reports it
    const WkbLayout layout = wkb_layout(feature.wkb, feature.size);
    if (!layout.ok) {
        row.issue = Issue{ProblemKind::corrupt_geometry, "the geometry cannot be read: " +
                                                             std::to_string(feature.size) +
                                                             " bytes that are not WKB (cut short, or an unknown type)"};
        return nullptr;
    }
    if (auto trailing = trailing_bytes(layout, feature.size)) throw invalid_input(*trailing, where);
    if (layout.srid && *layout.srid != 0 && "EPSG:" + std::to_string(*layout.srid) != crs)
        throw invalid_input("the EWKB says SRID " + std::to_string(*layout.srid) + " (EPSG:" +
                                std::to_string(*layout.srid) + "), but the coordinates were given as " + crs +
                                "; give crs='EPSG:" + std::to_string(*layout.srid) + "' or WKB without an SRID",
                            where);
    std::vector<unsigned char> plain;
    const unsigned char* bytes = feature.wkb;
    if (!layout.srid_heads.empty()) {
        plain = without_srid(feature.wkb, feature.size, layout);
        bytes = plain.data();
    }
    const std::size_t size = layout.srid_heads.empty() ? feature.size : plain.size();
    GdalErrorCapture errors;
    OGRGeometry* made = nullptr;
    std::size_t consumed = 0;
    const OGRErr status = OGRGeometryFactory::createFromWkb(bytes, nullptr, &made, size, wkbVariantIso, consumed);
    GeometryPtr<> geometry(made);
    if (status != OGRERR_NONE || !geometry) {
        row.issue = Issue{ProblemKind::corrupt_geometry,
                          "the geometry cannot be read: " + (errors.failed() ? errors.message() : std::string("not WKB"))};
        return nullptr;
    }
    return geometry;
}

}  // namespace

std::vector<std::string> list_layers(const std::string& path) {
    DatasetPtr dataset = open_vector_dataset(path, detail::without_password(path));
    return layer_names(*dataset);
}

Layer read_layer(const LayerAddress& address, const ReadOptions& options, ProblemSink& problems) {
    const OGRSpatialReference study_srs = detail::study_reference(options.study_crs);

    Layer layer;
    layer.source = detail::without_password(address.path);
    layer.crs = options.study_crs;
    layer.kind = options.expect;

    std::string open_errors;
    DatasetPtr dataset = open_vector_dataset(address.path, layer.source, &open_errors);
    GdalErrorCapture errors;
    OGRLayer& source = choose_layer(*dataset, address.layer, layer.source);
    layer.name = source.GetName();
    const Location layer_location = detail::in_file(layer.source, layer.name);
    // GDAL reads a GeoJSON 'crs' naming a CRS PROJ does not know as EPSG:4326,
    // saying so only as an error on the side: refused, as no CRS is right.
    const GDALDriver* driver = dataset->GetDriver();
    if (!open_errors.empty() && driver && detail::iequals(driver->GetDescription(), "GeoJSON")) {
        const std::string named = geojson_crs_member(address.path);
        if (!named.empty())
            throw invalid_input("its 'crs' member names " + named +
                                    ", a CRS that cannot be read (" + open_errors +
                                    "); give a known code such as EPSG:27700, or drop the member for EPSG:4326",
                                layer_location);
    }

    const OGRwkbGeometryType declared = wkbFlatten(source.GetGeomType());
    if (declared == wkbNone) throw invalid_input(wrong_kind_reason("no geometry", options.expect), layer_location);
    if (declared != wkbUnknown && declared != wkbGeometryCollection && !is_expected_kind(declared, options.expect))
        throw invalid_input(wrong_kind_reason(geometry_noun(declared), options.expect), layer_location);

    const OGRSpatialReference source_srs = source_reference(source, options, layer_location);
    Reprojection reprojection = detail::reprojection_from(source_srs, study_srs, options.study_crs, layer_location);
    layer.source_crs = reprojection.source_label();

    OGRFeatureDefn& definition = *source.GetLayerDefn();
    for (int i = 0; i < definition.GetFieldCount(); ++i)
        layer.attribute_names.emplace_back(definition.GetFieldDefn(i)->GetNameRef());

    GeometryReader geometries(options.expect, reprojection);
    errors.clear();
    Recoded recoded;
    std::vector<SourceRow> rows = read_rows(source, geometries, recoded, errors);
    // OGR ends the loop the same way at the end and on a read error.
    if (errors.failed())
        throw io_error("reading stopped after " + std::to_string(rows.size()) + " features: " + errors.message(),
                       layer_location);
    layer.features_read = rows.size();
    require_usable_kind(reprojection, geometries, options, layer_location);
    if (recoded.values)
        problems.report(Problem{ProblemKind::text_encoding, ProblemAction::repaired,
                                detail::at_field(detail::at_fid(layer_location, recoded.first_fid),
                                                 layer.attribute_names[static_cast<std::size_t>(recoded.first_field)]),
                                std::to_string(recoded.values) +
                                    " text value(s) of the layer are not UTF-8 and were read as Latin-1 (ISO-8859-1), "
                                    "the first as '" + recoded.first_value +
                                    "'; give the encoding (e.g. a .cpg file next to a shapefile) to be sure"});

    const CodeColumn code = choose_code_column(address, layer.source, layer.attribute_names, rows, layer_location);
    layer.code_column = layer.attribute_names[code.index];
    layer.geometry_column = source.GetGeometryColumn();
    if (layer.geometry_column.empty()) layer.geometry_column = "geometry";  // GeoJSON and Shapefile name none
    layer.code_column_guessed = code.guessed;
    const LabelColumn label =
        choose_label_column(address, layer.source, layer.attribute_names, layer.code_column, layer_location);
    settle_rows(rows, code.index, source.GetGeometryColumn(), reprojection, geometries, options, layer, problems);
    if (label.index) set_label_column(layer, layer.attribute_names[*label.index], label.guessed);
    return layer;
}

ChosenColumns choose_columns(const LayerAddress& address, const std::vector<std::string>& names,
                             const std::vector<std::vector<std::string>>& rows) {
    std::vector<SourceRow> source(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].size() != names.size())
            throw invalid_input("row " + std::to_string(i) + " has " + std::to_string(rows[i].size()) +
                                " values for " + std::to_string(names.size()) + " columns");
        source[i].fid = static_cast<std::int64_t>(i);
        source[i].attributes = rows[i];
    }
    const Location where = detail::in_file(address.path, address.layer.empty() ? address.path : address.layer);
    const CodeColumn code = choose_code_column(address, address.path, names, source, where);
    const LabelColumn label = choose_label_column(address, address.path, names, names[code.index], where);
    return ChosenColumns{code.index, code.guessed, label.index, label.guessed};
}

void set_label_column(Layer& layer, const std::string& column, bool guessed) {
    const std::optional<std::size_t> index = layer.attribute_index(column);
    if (!index) {
        Location at = detail::in_file(layer.source, layer.name);
        at.field = column;
        throw invalid_input("no column '" + column + "' to take the names from; the columns are " +
                                columns_text(layer.attribute_names, layer.source),
                            at);
    }
    layer.label_column = layer.attribute_names[*index];
    layer.label_column_guessed = guessed;
    for (Feature& feature : layer.features) feature.name = detail::trim(feature.attributes[*index]);
}

Layer read_wkb_layer(const std::string& name, const std::string& crs, const std::vector<WkbFeature>& features,
                     const ReadOptions& options, ProblemSink& problems) {
    Layer layer;
    layer.name = layer.source = name;
    layer.crs = options.study_crs;
    layer.kind = options.expect;
    layer.code_column = "code";
    layer.geometry_column = "geometry";
    const Location layer_location = detail::in_file(layer.source, layer.name);
    Reprojection reprojection(crs, options.study_crs, layer_location);
    layer.source_crs = reprojection.source_label();

    GeometryReader geometries(options.expect, reprojection);
    std::vector<SourceRow> rows(features.size());
    for (std::size_t i = 0; i < features.size(); ++i) {
        if (i % 256 == 0) check_cancelled();
        SourceRow& row = rows[i];
        row.fid = static_cast<std::int64_t>(i);
        row.attributes = {features[i].code};
        const Location where = detail::at_code(detail::at_fid(layer_location, row.fid), features[i].code);
        GeometryPtr<> geometry = geometry_from_wkb(features[i], crs, where, row);
        if (!row.issue) geometries.read(std::move(geometry), row);
    }
    layer.features_read = rows.size();
    require_usable_kind(reprojection, geometries, options, layer_location);
    settle_rows(rows, 0, layer.geometry_column, reprojection, geometries, options, layer, problems);
    // The code is the feature's code, not one of its attributes.
    for (Feature& feature : layer.features) {
        feature.attributes.clear();
        feature.name = detail::trim(features[static_cast<std::size_t>(feature.fid)].name);
    }
    if (std::any_of(features.begin(), features.end(), [](const WkbFeature& f) { return !f.name.empty(); }))
        layer.label_column = "name";
    return layer;
}

}  // namespace io
}  // namespace placedef
