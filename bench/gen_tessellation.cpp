// gen_tessellation: write a synthetic polygon layer (a Voronoi tessellation) as a
// GeoPackage, for overlay benchmarks.
//
//   gen_tessellation --n 50000 --seed 1 -o cells.gpkg
//
// N sites are drawn uniformly in a square (default 100 km side, lower-left corner
// 400000,100000 in EPSG:27700) from std::mt19937_64 seeded with --seed. Each site's
// Voronoi cell (GEOSVoronoiDiagram_r), clipped to the square, becomes one MultiPolygon
// feature with a unique `code` ("S" + 7-digit site number, in draw order) and an integer
// `pop` (uniform 1000..1999, also drawn from the generator). Features are written in
// code order. The same seed and N give the same layer; the random numbers are derived
// from the generator's raw 64-bit output, not from std:: distributions (whose algorithms
// differ between standard libraries), and the GeoPackage timestamp is pinned.
//
// Exit codes (as placedef): 0 ok, 1 usage, 3 processing error, 4 output error.

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <cpl_conv.h>
#include <cpl_error.h>
#include <geos_c.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

struct Options {
    std::size_t n = 0;
    std::uint64_t seed = 1;
    std::string output;
    std::string layer = "cells";
    double x0 = 400000.0;
    double y0 = 100000.0;
    double side = 100000.0;
    bool quiet = false;
};

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};
struct ProcessingError : std::runtime_error {
    using std::runtime_error::runtime_error;
};
struct OutputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

const char* const usage_text =
    "usage: gen_tessellation --n N [--seed S] -o OUT.gpkg [options]\n"
    "  --n N          number of sites (cells), at least 2\n"
    "  --seed S       seed of std::mt19937_64 (default 1)\n"
    "  -o, --output   GeoPackage to write (replaced if it exists)\n"
    "  --layer NAME   layer name (default cells)\n"
    "  --origin X,Y   lower-left corner in EPSG:27700 metres (default 400000,100000)\n"
    "  --side L       side of the square in metres (default 100000)\n"
    "  --quiet        no progress messages on stderr\n";

std::uint64_t parse_unsigned(const std::string& flag, const std::string& text) {
    try {
        std::size_t used = 0;
        const unsigned long long v = std::stoull(text, &used, 10);
        if (used != text.size() || text.empty() || text[0] == '-') throw std::invalid_argument("");
        return v;
    } catch (const std::exception&) {
        throw UsageError(flag + " expects a non-negative integer, got '" + text + "'");
    }
}

double parse_double(const std::string& flag, const std::string& text) {
    try {
        std::size_t used = 0;
        const double v = std::stod(text, &used);
        if (used != text.size() || !std::isfinite(v)) throw std::invalid_argument("");
        return v;
    } catch (const std::exception&) {
        throw UsageError(flag + " expects a number, got '" + text + "'");
    }
}

Options parse_args(int argc, char** argv) {
    Options opt;
    bool have_n = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw UsageError(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "-h" || arg == "--help") {
            std::fputs(usage_text, stdout);
            std::exit(0);
        } else if (arg == "--n") {
            opt.n = static_cast<std::size_t>(parse_unsigned(arg, value()));
            have_n = true;
        } else if (arg == "--seed") {
            opt.seed = parse_unsigned(arg, value());
        } else if (arg == "-o" || arg == "--output") {
            opt.output = value();
        } else if (arg == "--layer") {
            opt.layer = value();
        } else if (arg == "--origin") {
            const std::string v = value();
            const auto comma = v.find(',');
            if (comma == std::string::npos) throw UsageError("--origin expects X,Y");
            opt.x0 = parse_double(arg, v.substr(0, comma));
            opt.y0 = parse_double(arg, v.substr(comma + 1));
        } else if (arg == "--side") {
            opt.side = parse_double(arg, value());
        } else if (arg == "--quiet") {
            opt.quiet = true;
        } else {
            throw UsageError("unknown argument '" + arg + "'");
        }
    }
    if (!have_n) throw UsageError("--n is required");
    if (opt.n < 2) throw UsageError("--n must be at least 2");
    if (opt.n > 9999999) throw UsageError("--n must be at most 9999999 (7-digit codes)");
    if (opt.output.empty()) throw UsageError("-o is required");
    if (!(opt.side > 0)) throw UsageError("--side must be positive");
    if (opt.layer.empty()) throw UsageError("--layer must not be empty");
    return opt;
}

// ---- GEOS helpers ---------------------------------------------------------------------

class GeosContext {
public:
    GeosContext() : m_handle(GEOS_init_r()) {
        if (!m_handle) throw ProcessingError("GEOS_init_r failed");
        GEOSContext_setErrorMessageHandler_r(m_handle, &GeosContext::on_error, &m_last_error);
        GEOSContext_setNoticeMessageHandler_r(m_handle, &GeosContext::on_notice, nullptr);
    }
    ~GeosContext() { GEOS_finish_r(m_handle); }
    GeosContext(const GeosContext&) = delete;
    GeosContext& operator=(const GeosContext&) = delete;

    GEOSContextHandle_t get() const { return m_handle; }
    const std::string& last_error() const { return m_last_error; }

private:
    static void on_error(const char* fmt, void* userdata) {
        // GEOS passes a finished message; the format has no further arguments.
        *static_cast<std::string*>(userdata) = fmt;
    }
    static void on_notice(const char*, void*) {}

    GEOSContextHandle_t m_handle;
    std::string m_last_error;
};

struct GeomDeleter {
    GEOSContextHandle_t ctx;
    void operator()(GEOSGeometry* g) const {
        if (g) GEOSGeom_destroy_r(ctx, g);
    }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

struct WkbWriterDeleter {
    GEOSContextHandle_t ctx;
    void operator()(GEOSWKBWriter* w) const {
        if (w) GEOSWKBWriter_destroy_r(ctx, w);
    }
};
using WkbWriterPtr = std::unique_ptr<GEOSWKBWriter, WkbWriterDeleter>;

GeomPtr checked(const GeosContext& ctx, GEOSGeometry* g, const char* what) {
    if (!g) throw ProcessingError(std::string(what) + " failed: " + ctx.last_error());
    return GeomPtr(g, GeomDeleter{ctx.get()});
}

// ---- random sites ---------------------------------------------------------------------

struct Site {
    double x;
    double y;
    int pop;
};

// Uniform in [0, 1) from the top 53 bits of one draw: the same on every platform.
double unit_double(std::mt19937_64& rng) {
    return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

std::vector<Site> draw_sites(const Options& opt) {
    std::mt19937_64 rng(opt.seed);
    std::vector<Site> sites(opt.n);
    for (auto& s : sites) {
        s.x = opt.x0 + opt.side * unit_double(rng);
        s.y = opt.y0 + opt.side * unit_double(rng);
        s.pop = 1000 + static_cast<int>(rng() % 1000);
    }
    return sites;
}

// Uniform grid of site indices for nearest-site queries (about one site per bin).
class SiteGrid {
public:
    SiteGrid(const std::vector<Site>& sites, const Options& opt)
        : m_sites(sites), m_x0(opt.x0), m_y0(opt.y0) {
        m_bins = std::max<std::size_t>(1, static_cast<std::size_t>(std::sqrt(double(sites.size()))));
        m_bin_size = opt.side / double(m_bins);
        m_start.assign(m_bins * m_bins + 1, 0);
        for (const auto& s : sites) ++m_start[bin_of(s.x, s.y) + 1];
        for (std::size_t i = 1; i < m_start.size(); ++i) m_start[i] += m_start[i - 1];
        m_items.resize(sites.size());
        std::vector<std::size_t> fill(m_start.begin(), m_start.end() - 1);
        for (std::size_t i = 0; i < sites.size(); ++i) m_items[fill[bin_of(sites[i].x, sites[i].y)]++] = i;
    }

    // Index of the site nearest to (x, y); ties go to the lower index.
    std::size_t nearest(double x, double y) const {
        const long bx = clamp_bin((x - m_x0) / m_bin_size);
        const long by = clamp_bin((y - m_y0) / m_bin_size);
        std::size_t best = std::numeric_limits<std::size_t>::max();
        double best_d2 = std::numeric_limits<double>::infinity();
        const long last = long(m_bins) - 1;
        for (long ring = 0; ring <= last; ++ring) {
            for (long j = by - ring; j <= by + ring; ++j) {
                if (j < 0 || j > last) continue;
                const bool edge_row = (j == by - ring || j == by + ring);
                for (long i = bx - ring; i <= bx + ring; i += (edge_row ? 1 : 2 * ring)) {
                    if (i >= 0 && i <= last) scan_bin(std::size_t(j) * m_bins + std::size_t(i), x, y, best, best_d2);
                    if (ring == 0) break;
                }
            }
            // Every site not yet seen lies at least `ring * bin` away from (x, y).
            const double reach = double(ring) * m_bin_size;
            if (best_d2 < reach * reach) break;
        }
        return best;
    }

private:
    long clamp_bin(double v) const {
        const long b = static_cast<long>(std::floor(v));
        return std::clamp<long>(b, 0, long(m_bins) - 1);
    }
    std::size_t bin_of(double x, double y) const {
        return std::size_t(clamp_bin((y - m_y0) / m_bin_size)) * m_bins +
               std::size_t(clamp_bin((x - m_x0) / m_bin_size));
    }
    void scan_bin(std::size_t bin, double x, double y, std::size_t& best, double& best_d2) const {
        for (std::size_t k = m_start[bin]; k < m_start[bin + 1]; ++k) {
            const std::size_t idx = m_items[k];
            const double dx = m_sites[idx].x - x;
            const double dy = m_sites[idx].y - y;
            const double d2 = dx * dx + dy * dy;
            if (d2 < best_d2 || (d2 == best_d2 && idx < best)) {
                best_d2 = d2;
                best = idx;
            }
        }
    }

    const std::vector<Site>& m_sites;
    double m_x0;
    double m_y0;
    std::size_t m_bins = 1;
    double m_bin_size = 1;
    std::vector<std::size_t> m_start;
    std::vector<std::size_t> m_items;
};

// Mean of a polygon's exterior ring vertices (closing vertex excluded): inside a convex
// cell, so its nearest site is the cell's own site.
void ring_mean(const GeosContext& ctx, const GEOSGeometry* polygon, double& mx, double& my) {
    const GEOSGeometry* ring = GEOSGetExteriorRing_r(ctx.get(), polygon);
    const GEOSCoordSequence* seq = ring ? GEOSGeom_getCoordSeq_r(ctx.get(), ring) : nullptr;
    unsigned int size = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(ctx.get(), seq, &size) || size < 4)
        throw ProcessingError("Voronoi cell without a usable exterior ring");
    double sx = 0;
    double sy = 0;
    for (unsigned int i = 0; i + 1 < size; ++i) {
        double x = 0;
        double y = 0;
        GEOSCoordSeq_getXY_r(ctx.get(), seq, i, &x, &y);
        sx += x;
        sy += y;
    }
    mx = sx / double(size - 1);
    my = sy / double(size - 1);
}

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// ---- GDAL output ----------------------------------------------------------------------

struct DatasetCloser {
    void operator()(void* ds) const {
        if (ds) GDALClose(ds);
    }
};
using DatasetPtr = std::unique_ptr<void, DatasetCloser>;

struct FeatureDeleter {
    void operator()(OGRFeatureH f) const { OGR_F_Destroy(f); }
};
using FeaturePtr = std::unique_ptr<std::remove_pointer_t<OGRFeatureH>, FeatureDeleter>;

struct SrsDeleter {
    void operator()(OGRSpatialReferenceH s) const { OSRRelease(s); }
};
using SrsPtr = std::unique_ptr<std::remove_pointer_t<OGRSpatialReferenceH>, SrsDeleter>;

std::string cpl_error_text() {
    const char* msg = CPLGetLastErrorMsg();
    return (msg && *msg) ? std::string(": ") + msg : std::string();
}

void write_layer(const Options& opt, const std::vector<Site>& sites,
                 const std::vector<std::vector<unsigned char>>& wkb) {
    GDALAllRegister();
    // Pin gpkg_contents.last_change so that a seed always gives the same file.
    CPLSetConfigOption("OGR_CURRENT_DATE", "2025-01-01T00:00:00Z");
    GDALDriverH driver = GDALGetDriverByName("GPKG");
    if (!driver) throw OutputError("GDAL has no GPKG driver");
    VSIStatBufL st;
    if (VSIStatL(opt.output.c_str(), &st) == 0 && VSIUnlink(opt.output.c_str()) != 0)
        throw OutputError("cannot replace " + opt.output);
    CPLErrorReset();
    DatasetPtr ds(GDALCreate(driver, opt.output.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) throw OutputError("cannot create " + opt.output + cpl_error_text());

    SrsPtr srs(OSRNewSpatialReference(nullptr));
    if (OSRImportFromEPSG(srs.get(), 27700) != OGRERR_NONE)
        throw OutputError("cannot build EPSG:27700 (PROJ database missing?)" + cpl_error_text());
    const char* lco[] = {"GEOMETRY_NAME=geom", "FID=fid", "SPATIAL_INDEX=YES", nullptr};
    OGRLayerH layer = GDALDatasetCreateLayer(ds.get(), opt.layer.c_str(), srs.get(), wkbMultiPolygon,
                                             const_cast<char**>(lco));
    if (!layer) throw OutputError(opt.output + ": cannot create layer " + opt.layer + cpl_error_text());

    OGRFieldDefnH code_field = OGR_Fld_Create("code", OFTString);
    OGR_Fld_SetWidth(code_field, 8);
    OGRFieldDefnH pop_field = OGR_Fld_Create("pop", OFTInteger);
    const bool fields_ok = OGR_L_CreateField(layer, code_field, TRUE) == OGRERR_NONE &&
                           OGR_L_CreateField(layer, pop_field, TRUE) == OGRERR_NONE;
    OGR_Fld_Destroy(code_field);
    OGR_Fld_Destroy(pop_field);
    if (!fields_ok) throw OutputError(opt.output + ": cannot create fields" + cpl_error_text());

    if (GDALDatasetStartTransaction(ds.get(), FALSE) != OGRERR_NONE)
        throw OutputError(opt.output + ": cannot start a transaction" + cpl_error_text());
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    char code[32];
    for (std::size_t i = 0; i < sites.size(); ++i) {
        FeaturePtr feature(OGR_F_Create(defn));
        std::snprintf(code, sizeof code, "S%07zu", i + 1);
        OGR_F_SetFieldString(feature.get(), 0, code);
        OGR_F_SetFieldInteger(feature.get(), 1, sites[i].pop);
        OGRGeometryH geom = nullptr;
        if (OGR_G_CreateFromWkb(wkb[i].data(), nullptr, &geom, static_cast<int>(wkb[i].size())) != OGRERR_NONE)
            throw OutputError(std::string("cannot convert the cell of ") + code);
        OGR_F_SetGeometryDirectly(feature.get(), geom);
        if (OGR_L_CreateFeature(layer, feature.get()) != OGRERR_NONE)
            throw OutputError(opt.output + ": cannot write feature " + code + cpl_error_text());
    }
    if (GDALDatasetCommitTransaction(ds.get()) != OGRERR_NONE)
        throw OutputError(opt.output + ": cannot commit" + cpl_error_text());
    ds.reset();
    if (CPLGetLastErrorType() >= CE_Failure)
        throw OutputError(opt.output + ": error while closing" + cpl_error_text());
}

// ---- main work ------------------------------------------------------------------------

void run(const Options& opt) {
    const auto t0 = Clock::now();
    auto progress = [&](const char* what) {
        if (!opt.quiet) std::fprintf(stderr, "gen_tessellation: %-34s %7.2f s\n", what, seconds_since(t0));
    };

    const std::vector<Site> sites = draw_sites(opt);
    const double x1 = opt.x0 + opt.side;
    const double y1 = opt.y0 + opt.side;

    GeosContext ctx;
    GEOSContextHandle_t h = ctx.get();
    std::vector<unsigned char> site_done(sites.size(), 0);
    std::vector<std::vector<unsigned char>> wkb(sites.size());
    {
        GeomPtr multipoint;
        {
            std::vector<GEOSGeometry*> points;
            points.reserve(sites.size());
            try {
                for (const auto& s : sites) {
                    GEOSGeometry* p = GEOSGeom_createPointFromXY_r(h, s.x, s.y);
                    if (!p) throw ProcessingError("cannot create a point: " + ctx.last_error());
                    points.push_back(p);
                }
            } catch (...) {
                for (auto* p : points) GEOSGeom_destroy_r(h, p);
                throw;
            }
            // The collection takes ownership of the points (also on failure).
            multipoint = checked(ctx,
                                 GEOSGeom_createCollection_r(h, GEOS_MULTIPOINT, points.data(),
                                                             static_cast<unsigned int>(points.size())),
                                 "GEOSGeom_createCollection_r");
        }
        GeomPtr square = checked(ctx, GEOSGeom_createRectangle_r(h, opt.x0, opt.y0, x1, y1),
                                 "GEOSGeom_createRectangle_r");
        progress("sites drawn");
        GeomPtr cells = checked(ctx, GEOSVoronoiDiagram_r(h, multipoint.get(), square.get(), 0.0, 0),
                                "GEOSVoronoiDiagram_r");
        multipoint.reset();
        progress("Voronoi diagram built");

        const int ncells = GEOSGetNumGeometries_r(h, cells.get());
        if (ncells < 0 || std::size_t(ncells) != sites.size())
            throw ProcessingError("Voronoi diagram has " + std::to_string(ncells) + " cells for " +
                                  std::to_string(sites.size()) + " sites (duplicate sites?)");

        SiteGrid grid(sites, opt);
        WkbWriterPtr writer(GEOSWKBWriter_create_r(h), WkbWriterDeleter{h});
        if (!writer) throw ProcessingError("GEOSWKBWriter_create_r failed");
        {
            for (int c = 0; c < ncells; ++c) {
                const GEOSGeometry* cell = GEOSGetGeometryN_r(h, cells.get(), c);
                if (!cell || GEOSGeomTypeId_r(h, cell) != GEOS_POLYGON)
                    throw ProcessingError("Voronoi cell " + std::to_string(c) + " is not a polygon");
                double mx = 0;
                double my = 0;
                ring_mean(ctx, cell, mx, my);
                const std::size_t site = grid.nearest(mx, my);
                if (site >= sites.size() || site_done[site])
                    throw ProcessingError("cannot match Voronoi cell " + std::to_string(c) + " to one site");
                site_done[site] = 1;

                double ex0 = 0, ey0 = 0, ex1 = 0, ey1 = 0;
                if (!GEOSGeom_getExtent_r(h, cell, &ex0, &ey0, &ex1, &ey1))
                    throw ProcessingError("GEOSGeom_getExtent_r failed: " + ctx.last_error());
                GeomPtr part;
                if (ex0 < opt.x0 || ey0 < opt.y0 || ex1 > x1 || ey1 > y1) {
                    part = checked(ctx, GEOSClipByRect_r(h, cell, opt.x0, opt.y0, x1, y1), "GEOSClipByRect_r");
                    if (GEOSGeomTypeId_r(h, part.get()) != GEOS_POLYGON || GEOSisEmpty_r(h, part.get()))
                        throw ProcessingError("clipped cell " + std::to_string(c) + " is not one polygon");
                } else {
                    part = checked(ctx, GEOSGeom_clone_r(h, cell), "GEOSGeom_clone_r");
                }
                GEOSGeometry* raw = part.release();
                GeomPtr multi = checked(ctx, GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, &raw, 1),
                                        "GEOSGeom_createCollection_r");
                std::size_t size = 0;
                unsigned char* bytes = GEOSWKBWriter_write_r(h, writer.get(), multi.get(), &size);
                if (!bytes) throw ProcessingError("GEOSWKBWriter_write_r failed: " + ctx.last_error());
                wkb[site].assign(bytes, bytes + size);
                GEOSFree_r(h, bytes);
            }
        }
    }
    progress("cells matched and clipped");
    write_layer(opt, sites, wkb);
    progress("GeoPackage written");
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const Options opt = parse_args(argc, argv);
        run(opt);
        return 0;
    } catch (const UsageError& e) {
        std::fprintf(stderr, "gen_tessellation: %s\n%s", e.what(), usage_text);
        return 1;
    } catch (const OutputError& e) {
        std::fprintf(stderr, "gen_tessellation: output error: %s\n", e.what());
        return 4;
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "gen_tessellation: out of memory\n");
        return 3;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "gen_tessellation: %s\n", e.what());
        return 3;
    }
}
