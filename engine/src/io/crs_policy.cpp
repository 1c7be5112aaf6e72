// The study CRS policy: areas are measured in the study CRS, so it must be
// projected, in metres, and keep areas where the data are (its area scale,
// measured with PROJ, close to 1). And Reprojection, the one path by which
// features reach the study CRS, from files (read_layer) and from WKB.
#include "placedef/error.hpp"
#include "placedef/io.hpp"

#include "io/detail/gdal_handles.hpp"
#include "io/detail/reprojection.hpp"

#include <cpl_string.h>
#include <ogr_srs_api.h>
#include <proj.h>
#include <proj_experimental.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

namespace placedef {
inline namespace io {

// ---- the study CRS as GDAL reads it ---------------------------------------------

}  // namespace io

namespace detail {

OGRSpatialReference study_reference(const std::string& text) {
    OGRSpatialReference srs;
    GdalErrorCapture errors;
    if (srs.SetFromUserInput(text.c_str()) != OGRERR_NONE)
        throw invalid_input("study CRS '" + text + "' is not a CRS GDAL understands: " + errors.message());
    if (srs.IsGeographic())
        throw invalid_input("study CRS '" + text +
                            "' is geographic (degrees); areas need a projected CRS in metres, such as EPSG:27700");
    if (!srs.IsProjected())
        throw invalid_input("study CRS '" + text + "' is not projected; areas need a projected CRS in metres");
    const char* unit_name = nullptr;
    const double metres_per_unit = srs.GetLinearUnits(&unit_name);
    if (std::fabs(metres_per_unit - 1.0) > 1e-9)
        throw invalid_input("study CRS '" + text + "' measures in " + (unit_name ? unit_name : "unknown units") +
                            "; areas need a CRS in metres");
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

std::string crs_label(const OGRSpatialReference& srs) {
    const char* authority = srs.GetAuthorityName(nullptr);
    const char* code = srs.GetAuthorityCode(nullptr);
    if (authority && code) return std::string(authority) + ":" + code;
    const char* name = srs.GetName();
    return name ? name : "unnamed CRS";
}

}  // namespace detail

inline namespace io {

namespace {

// ---- measuring area scale with PROJ -------------------------------------------

/// The CRS suggested for data in Great Britain: the British National Grid,
/// which the ONS boundaries come in.
constexpr const char* national_grid = "EPSG:27700";

/// Points per side of the grid the area scale is measured at: corners, edge
/// midpoints, centre and the points between (25 proj_factors calls).
constexpr int grid_side = 5;

struct ProjContextDeleter {
    void operator()(PJ_CONTEXT* ctx) const noexcept { proj_context_destroy(ctx); }
};
using ProjContextPtr = std::unique_ptr<PJ_CONTEXT, ProjContextDeleter>;

struct PjDeleter {
    void operator()(PJ* pj) const noexcept { proj_destroy(pj); }
};
using PjPtr = std::unique_ptr<PJ, PjDeleter>;

/// A PROJ context of our own (so that layers load on several threads), with
/// the PROJ data GDAL uses and PROJ's own logging off: errors are reported
/// through our exceptions.
ProjContextPtr new_proj_context() {
    ProjContextPtr ctx(proj_context_create());
    if (!ctx) throw std::bad_alloc();
    proj_log_level(ctx.get(), PJ_LOG_NONE);
    char** paths = OSRGetPROJSearchPaths();
    if (paths) proj_context_set_search_paths(ctx.get(), CSLCount(paths), paths);
    CSLDestroy(paths);
    return ctx;
}

std::string proj_reason(PJ_CONTEXT* ctx, int code) {
    const char* text = code ? proj_context_errno_string(ctx, code) : nullptr;
    return text ? text : "PROJ gave no reason";
}

/// Longitude and latitude in radians, from Greenwich, on the CRS's ellipsoid.
struct LonLat {
    double lon = 0;
    double lat = 0;
};

std::string describe(const Coord& at) {
    char text[64];
    std::snprintf(text, sizeof text, "(%.1f, %.1f)", at.x, at.y);
    return text;
}

/// The map projection of a projected CRS, as proj_factors measures it: from
/// longitude and latitude on the CRS's ellipsoid to its easting and northing.
/// proj_factors does this itself when given the CRS, but builds it anew at
/// every call (some 20 ms each), and in PROJ 9.1 gets CRSs with northing
/// first (EPSG:3035) or a prime meridian other than Greenwich wrong; built
/// here once, with Greenwich longitudes, the op is a single projection step.
class MapProjection {
public:
    /// From a projection operation made already (see projection_from_proj_string).
    MapProjection(PJ_CONTEXT* ctx, PjPtr projection, std::string label, bool)
        : m_ctx(ctx), m_label(std::move(label)), m_projection(std::move(projection)) {}

    MapProjection(PJ_CONTEXT* ctx, PjPtr crs, std::string label) : m_ctx(ctx), m_label(std::move(label)) {
        // A compound CRS (with heights) or a bound one (+towgs84): its projected part.
        for (int depth = 0; crs && proj_get_type(crs.get()) != PJ_TYPE_PROJECTED_CRS && depth < 4; ++depth) {
            const PJ_TYPE type = proj_get_type(crs.get());
            if (type == PJ_TYPE_BOUND_CRS) crs.reset(proj_get_source_crs(ctx, crs.get()));
            else if (type == PJ_TYPE_COMPOUND_CRS) crs.reset(proj_crs_get_sub_crs(ctx, crs.get(), 0));
            else crs.reset();
        }
        if (!crs || proj_get_type(crs.get()) != PJ_TYPE_PROJECTED_CRS)
            fail("PROJ finds no map projection in it");
        const PjPtr projected(proj_normalize_for_visualization(ctx, crs.get()));  // easting, northing
        const PjPtr geodetic(projected ? proj_crs_get_geodetic_crs(ctx, projected.get()) : nullptr);
        const PjPtr ellipsoid(geodetic ? proj_get_ellipsoid(ctx, geodetic.get()) : nullptr);
        double semi_major = 0;
        double inverse_flattening = 0;
        if (!ellipsoid || !proj_ellipsoid_get_parameters(ctx, ellipsoid.get(), &semi_major, nullptr, nullptr,
                                                         &inverse_flattening))
            fail("PROJ finds no ellipsoid in it");
        const PjPtr axes(proj_create_ellipsoidal_2D_cs(ctx, PJ_ELLPS2D_LONGITUDE_LATITUDE, "Radian", 1.0));
        const PjPtr lonlat(proj_create_geographic_crs(ctx, "longitude, latitude", "unnamed datum",
                                                      proj_get_name(ellipsoid.get()), semi_major, inverse_flattening,
                                                      "Greenwich", 0.0, nullptr, 0.0, axes.get()));
        if (lonlat) m_projection.reset(proj_create_crs_to_crs_from_pj(ctx, lonlat.get(), projected.get(), nullptr, nullptr));
        if (!m_projection) fail("PROJ cannot make its map projection: " + proj_reason(ctx, proj_context_errno(ctx)));
    }

    LonLat to_lonlat(const Coord& at) const {
        proj_errno_reset(m_projection.get());
        const PJ_COORD out = proj_trans(m_projection.get(), PJ_INV, proj_coord(at.x, at.y, 0, 0));
        const int error = proj_errno(m_projection.get());
        if (error || !std::isfinite(out.lp.lam) || !std::isfinite(out.lp.phi))
            throw invalid_input("study CRS '" + m_label + "' is not defined over the whole extent of the data: " +
                                describe(at) + " has no longitude and latitude (" + proj_reason(m_ctx, error) + ")");
        return LonLat{out.lp.lam, out.lp.phi};
    }

    /// The map's area over the ellipsoid's, at `at` (PROJ's areal_scale).
    double areal_scale(const LonLat& at) const {
        proj_errno_reset(m_projection.get());
        const PJ_FACTORS factors = proj_factors(m_projection.get(), proj_coord(at.lon, at.lat, 0, 0));
        const int error = proj_errno(m_projection.get());
        if (error || !std::isfinite(factors.areal_scale) || factors.areal_scale <= 0)
            throw invalid_input("study CRS '" + m_label + "': PROJ cannot measure its area scale at longitude " +
                                    std::to_string(proj_todeg(at.lon)) + ", latitude " +
                                std::to_string(proj_todeg(at.lat)) + " (" + proj_reason(m_ctx, error) + ")");
        return factors.areal_scale;
    }

    /// The study CRS, for messages.
    const std::string& label() const { return m_label; }

    /// The largest |areal scale - 1| at `points`.
    double distortion(const std::vector<LonLat>& points) const {
        double worst = 0;
        for (const LonLat& point : points) worst = std::max(worst, std::fabs(areal_scale(point) - 1.0));
        return worst;
    }

private:
    [[noreturn]] void fail(const std::string& why) const {
        throw invalid_input("study CRS '" + m_label + "' cannot be measured: " + why);
    }

    PJ_CONTEXT* m_ctx;
    std::string m_label;
    PjPtr m_projection;  ///< longitude, latitude (radians) -> easting, northing
};

/// The CRS as PROJ holds it, from GDAL's (by WKT 2, which keeps everything).
PjPtr proj_crs(PJ_CONTEXT* ctx, const OGRSpatialReference& srs, const std::string& label) {
    char* wkt = nullptr;
    const char* const options[] = {"FORMAT=WKT2_2019", nullptr};
    detail::GdalErrorCapture errors;
    const OGRErr exported = srs.exportToWkt(&wkt, options);
    const std::string text = wkt ? wkt : "";
    CPLFree(wkt);
    PjPtr crs(exported == OGRERR_NONE ? proj_create(ctx, text.c_str()) : nullptr);
    if (!crs)
        throw invalid_input("study CRS '" + label + "' cannot be measured: PROJ cannot read it (" +
                                (exported == OGRERR_NONE ? proj_reason(ctx, proj_context_errno(ctx)) : errors.message()) +
                                ")");
    return crs;
}

/// Where the area scale was measured, and the worst of it.
struct Measure {
    std::vector<LonLat> points;  ///< the grid, row by row: the centre is in the middle
    double distortion = 0;       ///< largest |areal scale - 1|
};

Measure measure(const MapProjection& projection, const Box& extent) {
    const std::string& label = projection.label();
    if (extent.empty()) throw invalid_input("study CRS '" + label + "': no extent to measure its area scale over");
    if (!std::isfinite(extent.minx) || !std::isfinite(extent.miny) || !std::isfinite(extent.maxx) ||
        !std::isfinite(extent.maxy))
        throw invalid_input("study CRS '" + label + "': the extent to measure its area scale over is not finite");
    Measure out;
    for (int row = 0; row < grid_side; ++row) {
        const double y = extent.miny + (extent.maxy - extent.miny) * row / (grid_side - 1);
        for (int column = 0; column < grid_side; ++column) {
            const double x = extent.minx + (extent.maxx - extent.minx) * column / (grid_side - 1);
            out.points.push_back(projection.to_lonlat(Coord{x, y}));
        }
    }
    out.distortion = projection.distortion(out.points);
    return out;
}

/// "147.3 %", with the digits a small fraction needs.
std::string percent(double fraction) {
    const double value = fraction * 100;
    char text[64];
    std::snprintf(text, sizeof text, value >= 10 ? "%.1f %%" : "%.2g %%", value);
    return text;
}

/// A Lambert azimuthal equal-area projection centred on `centre`, as a PROJ
/// string the study CRS option takes.
std::string equal_area_at(const LonLat& centre) {
    const auto tenths = [](double radians) {
        const double rounded = std::round(proj_todeg(radians) * 10) / 10;
        return rounded == 0 ? 0.0 : rounded;  // no "-0.0"
    };
    char text[128];
    std::snprintf(text, sizeof text, "+proj=laea +lat_0=%.1f +lon_0=%.1f +datum=WGS84 +units=m", tenths(centre.lat),
                  tenths(centre.lon));
    return text;
}

/// A CRS that keeps areas where `measured` was measured: the national grid
/// when the data lie within its area of use and it keeps areas there within
/// the limit, otherwise an equal-area projection centred on the data.
std::string alternative(PJ_CONTEXT* ctx, const Measure& measured, double max_area_error) {
    const LonLat& centre = measured.points[measured.points.size() / 2];
    const std::string centred = "'" + equal_area_at(centre) + "' (equal-area, centred on the data)";
    PjPtr grid(proj_create(ctx, national_grid));
    double west = 0, south = 0, east = 0, north = 0;
    if (!grid || !proj_get_area_of_use(ctx, grid.get(), &west, &south, &east, &north, nullptr)) return centred;
    for (const LonLat& point : measured.points) {
        const double lon = proj_todeg(point.lon);
        const double lat = proj_todeg(point.lat);
        if (lon < west || lon > east || lat < south || lat > north) return centred;
    }
    const MapProjection projection(ctx, std::move(grid), national_grid);
    return projection.distortion(measured.points) <= max_area_error ? national_grid : centred;
}

void check_limit(double max_area_error) {
    if (!std::isfinite(max_area_error) || max_area_error < 0)
        throw invalid_input("the area error a study CRS may have must be a finite number >= 0, not " +
                            std::to_string(max_area_error));
}

/// The map projection of the study CRS last measured on this thread, with
/// its PROJ context, kept for the next layer: making it costs some 10 ms
/// (PROJ searches its database), measuring with it microseconds, and every
/// layer of a study is checked against the same study CRS.
struct StudyProjection {
    ProjContextPtr ctx;
    std::string text;  ///< the study CRS as given, which names it
    std::unique_ptr<MapProjection> projection;
};

/// The map projection as a bare PROJ operation made from the CRS's PROJ
/// string (easting and northing, Greenwich longitudes), which PROJ builds
/// without searching its database: well under a millisecond, where the
/// operation between two CRSs takes some 10 ms. Null when the CRS has no
/// PROJ string or the operation is not a plain projection of longitude and
/// latitude; the caller then builds it the long way.
PjPtr projection_from_proj_string(PJ_CONTEXT* ctx, const OGRSpatialReference& study) {
    char* exported = nullptr;
    const OGRErr error = study.exportToProj4(&exported);
    std::string text = error == OGRERR_NONE && exported ? exported : "";
    CPLFree(exported);
    if (text.find("+proj=") == std::string::npos) return nullptr;
    // Datum shifts and grids do not change the map's scale, and have no place in a bare projection.
    std::istringstream words(text);
    std::string kept;
    for (std::string word; words >> word;)
        if (word.rfind("+towgs84=", 0) != 0 && word.rfind("+nadgrids=", 0) != 0 && word != "+no_defs" &&
            word != "+type=crs")
            kept += (kept.empty() ? "" : " ") + word;
    PjPtr projection(proj_create(ctx, kept.c_str()));
    if (!projection || !proj_angular_input(projection.get(), PJ_FWD) || proj_angular_output(projection.get(), PJ_FWD))
        return nullptr;
    return projection;
}

/// The study CRS's map projection, kept for the process: every layer of a
/// run is checked against the same study CRS. PROJ objects are not for two
/// threads at once, so the measuring is done under `mutex`.
std::mutex& projection_mutex() {
    static std::mutex mutex;
    return mutex;
}

StudyProjection& study_projection(const OGRSpatialReference& study, const std::string& text) {
    static StudyProjection kept;  // guarded by projection_mutex()
    if (kept.projection && kept.text == text) return kept;
    kept.projection.reset();  // before a context it uses could go
    if (!kept.ctx) kept.ctx = new_proj_context();
    // WKT and PROJJSON are too long for a message: their code or name.
    const bool long_form = text.find_first_of("[{") != std::string::npos;
    const std::string label = long_form ? detail::crs_label(study) : text;
    if (PjPtr quick = projection_from_proj_string(kept.ctx.get(), study))
        kept.projection = std::make_unique<MapProjection>(kept.ctx.get(), std::move(quick), label, true);
    else
        kept.projection = std::make_unique<MapProjection>(kept.ctx.get(), proj_crs(kept.ctx.get(), study, label), label);
    kept.text = text;
    return kept;
}

/// check_area_crs for a study CRS already read and checked (study_reference).
void check_area_over(const OGRSpatialReference& study, const std::string& text, const Box& extent,
                     double max_area_error) {
    check_limit(max_area_error);
    if (extent.empty()) return;
    const std::lock_guard<std::mutex> lock(projection_mutex());
    StudyProjection& measuring = study_projection(study, text);
    const Measure measured = measure(*measuring.projection, extent);
    if (measured.distortion <= max_area_error) return;
    throw invalid_input("study CRS '" + measuring.projection->label() + "' distorts area by " +
                        percent(measured.distortion) +
                        " over the data (limit " + percent(max_area_error) +
                        "); use a CRS that keeps areas there, such as " +
                        alternative(measuring.ctx.get(), measured, max_area_error));
}

// ---- coordinates the study CRS is checked over ------------------------------------


template <typename Visit>
void for_each_ring(MultiPolygon& shape, Visit&& visit) {
    for (Polygon& polygon : shape.polygons) {
        visit(polygon.outer);
        for (Ring& hole : polygon.holes) visit(hole);
    }
}

}  // namespace

double area_distortion(const std::string& study_crs, const Box& extent) {
    const OGRSpatialReference study = detail::study_reference(study_crs);
    const std::lock_guard<std::mutex> lock(projection_mutex());
    return measure(*study_projection(study, study_crs).projection, extent).distortion;
}

void check_area_crs(const std::string& study_crs, const Box& extent, double max_area_error) {
    check_area_over(detail::study_reference(study_crs), study_crs, extent, max_area_error);
}

// ---- Reprojection -------------------------------------------------------------------

namespace {

/// Where PROJ says a CRS may be used, in degrees of longitude and latitude;
/// west > east when it spans the antimeridian.
struct AreaOfUse {
    bool known = false;
    std::string crs;
    std::string name;
    double west = 0, south = 0, east = 0, north = 0;

    explicit AreaOfUse(const OGRSpatialReference& srs) : crs(detail::crs_label(srs)) {
        const char* text = nullptr;
        known = srs.GetAreaOfUse(&west, &south, &east, &north, &text) && west != -1000;
        if (text) name = text;
    }
    bool covers(double lon, double lat) const {
        const double m = area_of_use_margin;
        if (lat < south - m || lat > north + m) return false;
        if (east - west + 2 * m >= 360) return true;
        return west <= east ? lon >= west - m && lon <= east + m : lon >= west - m || lon <= east + m;
    }
    std::string describe() const {
        std::ostringstream out;
        out << "the area of use of " << crs;
        if (!name.empty()) out << " (" << name << ")";
        out << ": longitude " << west << " to " << east << ", latitude " << south << " to " << north;
        return out.str();
    }
};

}  // namespace

struct Reprojection::Impl {
    Impl(const OGRSpatialReference& source, const OGRSpatialReference& study_srs, std::string study_text,
         Location at)
        : study(study_srs), study_crs(std::move(study_text)), source_label(detail::crs_label(source)),
          where(std::move(at)), source_area(source), study_area(study_srs), source_projected(source.IsProjected()) {
        if (source_area.known || study_area.known) {
            // Areas of use are in degrees: a feature's corners go to the
            // source CRS's own longitude and latitude to be compared.
            if (!source.IsGeographic()) {
                std::unique_ptr<OGRSpatialReference> geographic(source.CloneGeogCS());
                if (geographic) {
                    geographic->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
                    detail::GdalErrorCapture quiet;
                    to_lonlat.reset(OGRCreateCoordinateTransformation(&source, geographic.get()));
                }
                if (!to_lonlat) source_area.known = study_area.known = false;
            }
        }
        if (source.IsSame(&study)) return;
        detail::GdalErrorCapture errors;
        transform.reset(OGRCreateCoordinateTransformation(&source, &study));
        if (!transform)
            throw invalid_input("cannot transform from " + source_label + " to " + study_crs + ": " + errors.message(),
                                where);
    }

    /// Transforms `count` points in place; false when any cannot be.
    bool transform_points(Coord* points, std::size_t count) {
        constexpr std::size_t chunk = 1 << 16;  // GDAL counts points in an int
        for (std::size_t begin = 0; begin < count; begin += chunk) {
            const std::size_t n = std::min(chunk, count - begin);
            x.resize(n);
            y.resize(n);
            success.assign(n, FALSE);
            for (std::size_t i = 0; i < n; ++i) {
                x[i] = points[begin + i].x;
                y[i] = points[begin + i].y;
            }
            transform->Transform(static_cast<int>(n), x.data(), y.data(), nullptr, success.data());
            for (std::size_t i = 0; i < n; ++i) {
                if (!success[i]) return false;
                points[begin + i] = Coord{x[i], y[i]};
            }
        }
        return true;
    }

    std::string failed(const std::string& gdal_message) {
        std::string detail = "its coordinates cannot be transformed from " + source_label + " to " + study_crs +
                             ": " + gdal_message + " (is the source CRS right?)";
        if (untransformable++ == 0) first_failure = detail;
        return detail;
    }

    OGRSpatialReference study;
    std::string study_crs;
    std::string source_label;
    Location where;
    detail::TransformPtr transform;  ///< null: the source is the study CRS
    std::vector<double> x, y;        ///< reused by transform_points
    std::vector<int> success;
    std::size_t transformed = 0;      ///< features given to the transform
    std::size_t untransformable = 0;  ///< of which it failed
    std::string first_failure;
    Box extent;  ///< of the features in the study CRS, corrupt ones left out
    AreaOfUse source_area, study_area;
    bool source_projected = false;
    detail::TransformPtr to_lonlat;  ///< source CRS to its longitude and latitude; null when it is geographic
};

Reprojection::Reprojection(const std::string& source_crs, const std::string& study_crs, const Location& where) {
    const OGRSpatialReference study = detail::study_reference(study_crs);
    OGRSpatialReference source;
    detail::GdalErrorCapture errors;
    if (source.SetFromUserInput(source_crs.c_str()) != OGRERR_NONE)
        throw invalid_input("source CRS '" + source_crs + "' is not a CRS GDAL understands: " + errors.message(), where);
    source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    m_impl = std::make_unique<Impl>(source, study, study_crs, where);
}

Reprojection::Reprojection(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Reprojection::Reprojection(Reprojection&&) noexcept = default;
Reprojection& Reprojection::operator=(Reprojection&&) noexcept = default;
Reprojection::~Reprojection() = default;

const std::string& Reprojection::source_label() const { return m_impl->source_label; }

std::optional<std::string> Reprojection::apply(MultiPolygon& shape) {
    Impl& self = *m_impl;
    bool has_points = false;
    for_each_ring(shape, [&](const Ring& ring) { has_points = has_points || !ring.empty(); });
    if (!has_points) return std::nullopt;
    if (self.transform) {
        ++self.transformed;
        detail::GdalErrorCapture errors;
        bool ok = true;
        for_each_ring(shape, [&](Ring& ring) { ok = ok && self.transform_points(ring.data(), ring.size()); });
        if (!ok) return self.failed(errors.message());
    }
    Box box;
    bool usable = true;
    for_each_ring(shape, [&](const Ring& ring) {
        for (const Coord& c : ring) {
            usable = usable && in_coordinate_range(c);
            box.expand(c);
        }
    });
    if (usable) self.extent.expand(box);
    return std::nullopt;
}

std::optional<std::string> Reprojection::apply(Coord& point) {
    Impl& self = *m_impl;
    if (self.transform) {
        ++self.transformed;
        detail::GdalErrorCapture errors;
        if (!self.transform_points(&point, 1)) return self.failed(errors.message());
    }
    if (in_coordinate_range(point)) self.extent.expand(point);
    return std::nullopt;
}

std::optional<std::string> Reprojection::nothing_transformed() const {
    if (m_impl->transformed == 0 || m_impl->untransformable < m_impl->transformed) return std::nullopt;
    return m_impl->first_failure;
}

std::optional<std::string> Reprojection::outside_area_of_use(const Box& box) const {
    const Impl& self = *m_impl;
    if ((!self.source_area.known && !self.study_area.known) || box.empty()) return std::nullopt;
    // The corners and the middles of the sides: enough for a feature to be
    // placed, and the margin covers the curving of a projected box.
    const double xs[] = {box.minx, (box.minx + box.maxx) / 2, box.maxx};
    const double ys[] = {box.miny, (box.miny + box.maxy) / 2, box.maxy};
    std::vector<double> lon, lat;
    for (double x : xs)
        for (double y : ys) {
            lon.push_back(x);
            lat.push_back(y);
        }
    std::vector<int> success(lon.size(), TRUE);
    if (self.to_lonlat) {
        detail::GdalErrorCapture quiet;  // a point PROJ cannot place is outside
        self.to_lonlat->Transform(static_cast<int>(lon.size()), lon.data(), lat.data(), nullptr, success.data());
    }
    Box placed;
    bool unplaced = false;
    const AreaOfUse* missed = nullptr;
    for (std::size_t i = 0; i < lon.size(); ++i) {
        if (!success[i] || !std::isfinite(lon[i]) || !std::isfinite(lat[i])) {
            unplaced = true;
            continue;
        }
        placed.expand(Coord{lon[i], lat[i]});
        for (const AreaOfUse* area : {&self.source_area, &self.study_area})
            if (area->known && !missed && !area->covers(lon[i], lat[i])) missed = area;
    }
    if (!missed && !unplaced) return std::nullopt;
    if (!missed) missed = self.source_area.known ? &self.source_area : &self.study_area;
    std::ostringstream out;
    out << "lies outside " << missed->describe() << " (with " << area_of_use_margin << " degree to spare)";
    if (!placed.empty())
        out << "; it spans longitude " << placed.minx << " to " << placed.maxx << ", latitude " << placed.miny
            << " to " << placed.maxy;
    if (unplaced) out << "; PROJ cannot place some of its corners on the globe";
    out << ". Are the coordinates and the declared CRS (" << self.source_label << ") right?";
    return out.str();
}

std::optional<std::string> Reprojection::looks_like_degrees(const Box& extent) const {
    const Impl& self = *m_impl;
    if (!self.source_projected || extent.empty()) return std::nullopt;
    if (extent.minx < -180 || extent.maxx > 180 || extent.miny < -90 || extent.maxy > 90) return std::nullopt;
    std::ostringstream out;
    out << "every coordinate of the layer lies within +-180, +-90 (x " << extent.minx << " to " << extent.maxx
        << ", y " << extent.miny << " to " << extent.maxy << "): they look like longitude and latitude in degrees, "
        << "but the layer's CRS " << self.source_label
        << " is projected; give the right CRS (for degrees, --assume-crs EPSG:4326 on a file that names none)";
    return out.str();
}

void Reprojection::check_area(double max_area_error) const {
    try {
        check_area_over(m_impl->study, m_impl->study_crs, m_impl->extent, max_area_error);
    } catch (const invalid_input& e) {
        throw invalid_input(e.reason(), m_impl->where);  // the layer
    }
}

}  // namespace io

Reprojection detail::reprojection_from(const OGRSpatialReference& source, const OGRSpatialReference& study,
                                       const std::string& study_crs, const Location& where) {
    return Reprojection(std::make_unique<Reprojection::Impl>(source, study, study_crs, where));
}

inline namespace io {

}  // namespace io
}  // namespace placedef
