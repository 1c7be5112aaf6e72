// GEOS's own XML test suite against the overlay kernel: every case whose
// inputs are both polygonal (those with an expected intersection, and the
// others, whatever operation they test), in both argument orders. The suite is read in place from PDEF_GEOS_XMLTESTER (LGPL:
// never copied here); the test says SKIPPED when the folder is absent.
//
// The truth is the exact area of a∩b in rational arithmetic (tests/exact_area.hpp),
// because GEOS's expected results are themselves rounded (fixed precision
// models, snap-rounding, printed decimals). The kernel must agree with it to
// 1e-9 relative, except on slivers below what doubles resolve at the
// coordinates' magnitude, and a∩b is never larger than a or b.
#include "exact_area.hpp"
#include "support.hpp"

#include "placedef/geometry.hpp"
#include "placedef/overlay.hpp"

#include <catch2/catch.hpp>
#include <geos_c.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <memory>
#include <sstream>

namespace fs = std::filesystem;
using namespace placedef;
using placedef::test::Rational;

namespace {

/// One polygon/polygon case of the suite.
struct XmlCase {
    std::string where;  ///< file and case number, for messages
    MultiPolygon a, b;
    bool has_intersection = false;  ///< an expected intersection is given
    double expected_area = 0;       ///< GEOS's expected intersection's area (its first one)
    bool repaired = false;          ///< an input was invalid and repaired as placedef repairs at load
};

struct GeosContext {
    GEOSContextHandle_t handle = GEOS_init_r();
    ~GeosContext() { GEOS_finish_r(handle); }
};

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

/// The text inside the first element `tag` of `block` from `from`, and where it ends.
bool element(const std::string& block, const std::string& tag, std::size_t& from, std::string& attributes,
             std::string& text) {
    for (std::size_t at = block.find("<" + tag, from); at != std::string::npos; at = block.find("<" + tag, at + 1)) {
        const char next = block[at + 1 + tag.size()];
        if (next != '>' && next != ' ' && next != '\t' && next != '\n' && next != '\r' && next != '/') continue;
        const std::size_t open_end = block.find('>', at);
        if (open_end == std::string::npos) return false;
        attributes = block.substr(at + 1 + tag.size(), open_end - at - 1 - tag.size());
        if (block[open_end - 1] == '/') {  // <tag ... />
            text.clear();
            from = open_end + 1;
            return true;
        }
        const std::size_t close = block.find("</" + tag + ">", open_end);
        if (close == std::string::npos) return false;
        text = block.substr(open_end + 1, close - open_end - 1);
        from = close + tag.size() + 3;
        return true;
    }
    return false;
}

std::string attribute(const std::string& attributes, const std::string& name) {
    for (const char quote : {'"', '\''}) {
        const std::string key = name + "=" + quote;
        const auto at = attributes.find(key);
        if (at == std::string::npos) continue;
        const auto end = attributes.find(quote, at + key.size());
        return attributes.substr(at + key.size(), end - at - key.size());
    }
    return {};
}

using GeosPtr = std::unique_ptr<GEOSGeometry, std::function<void(GEOSGeometry*)>>;

/// A geometry of the suite (WKT, or hex WKB); null when it cannot be read.
GeosPtr read_geometry(GEOSContextHandle_t h, const std::string& text) {
    const std::string body = trim(text);
    GEOSGeometry* g = nullptr;
    if (!body.empty() && std::all_of(body.begin(), body.end(), [](char c) { return std::isxdigit(c); })) {
        GEOSWKBReader* reader = GEOSWKBReader_create_r(h);
        g = GEOSWKBReader_readHEX_r(h, reader, reinterpret_cast<const unsigned char*>(body.data()), body.size());
        GEOSWKBReader_destroy_r(h, reader);
    } else {
        GEOSWKTReader* reader = GEOSWKTReader_create_r(h);
        g = GEOSWKTReader_read_r(h, reader, body.c_str());
        GEOSWKTReader_destroy_r(h, reader);
    }
    return GeosPtr(g, [h](GEOSGeometry* p) { GEOSGeom_destroy_r(h, p); });
}

bool polygonal(GEOSContextHandle_t h, const GEOSGeometry* g) {
    const int type = GEOSGeomTypeId_r(h, g);
    return (type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON) && !GEOSisEmpty_r(h, g);
}

/// The shape as placedef holds it (through WKB: exact), with the run's fixed
/// precision model applied to its coordinates as GEOS's reader applies it.
MultiPolygon to_shape(GEOSContextHandle_t h, const GEOSGeometry* g, double scale) {
    GEOSWKBWriter* writer = GEOSWKBWriter_create_r(h);
    std::size_t size = 0;
    unsigned char* wkb = GEOSWKBWriter_write_r(h, writer, g, &size);
    GEOSWKBWriter_destroy_r(h, writer);
    MultiPolygon shape = multipolygon_from_wkb(wkb, size);
    GEOSFree_r(h, wkb);
    if (scale > 0) {
        auto snap = [scale](double v) { return std::floor(v * scale + 0.5) / scale; };
        for (Polygon& polygon : shape.polygons) {
            for (Coord& c : polygon.outer) c = {snap(c.x), snap(c.y)};
            for (Ring& hole : polygon.holes)
                for (Coord& c : hole) c = {snap(c.x), snap(c.y)};
        }
    }
    return shape;
}

/// Every polygon/polygon case of every file under `root`; and in `shapes`,
/// every polygonal input of every case (repaired when invalid).
std::vector<XmlCase> read_suite(const fs::path& root, std::size_t& files, std::vector<MultiPolygon>* shapes = nullptr) {
    GeosContext geos;
    GEOSContextHandle_t h = geos.handle;
    std::vector<fs::path> paths;
    for (const auto& entry : fs::recursive_directory_iterator(root))
        if (entry.path().extension() == ".xml") paths.push_back(entry.path());
    std::sort(paths.begin(), paths.end());
    files = paths.size();
    std::vector<XmlCase> cases;
    for (const fs::path& path : paths) {
        std::ifstream in(path);
        std::stringstream buffer;
        buffer << in.rdbuf();
        const std::string xml = buffer.str();
        std::size_t case_number = 0;
        for (std::size_t at = xml.find("<case"); at != std::string::npos; at = xml.find("<case", at + 1)) {
            const std::size_t end = xml.find("</case>", at);
            if (end == std::string::npos) break;
            ++case_number;
            const std::string block = xml.substr(at, end - at);
            // The precision model in force: the last one declared before the case.
            double scale = 0;
            const std::size_t model = xml.rfind("<precisionModel", at);
            if (model != std::string::npos) {
                const std::string tag = xml.substr(model, xml.find('>', model) - model);
                const std::string text = attribute(tag, "scale");
                if (attribute(tag, "type") != "FLOATING" && !text.empty() && text != "...") scale = std::stod(text);
            }
            std::size_t from = 0;
            std::string attributes, text_a, text_b;
            if (!element(block, "a", from, attributes, text_a) || !attribute(attributes, "file").empty()) continue;
            from = 0;
            if (!element(block, "b", from, attributes, text_b) || !attribute(attributes, "file").empty()) continue;
            const GeosPtr ga = read_geometry(h, text_a), gb = read_geometry(h, text_b);
            if (shapes)
                for (const GeosPtr* g : {&ga, &gb})
                    if (*g && polygonal(h, g->get())) {
                        MultiPolygon shape = to_shape(h, g->get(), scale);
                        if (!check_validity(shape).ok()) shape = make_valid(shape);
                        if (!shape.empty()) shapes->push_back(std::move(shape));
                    }
            if (!ga || !gb || !polygonal(h, ga.get()) || !polygonal(h, gb.get())) continue;
            XmlCase c;
            c.where = path.lexically_relative(root).string() + " case " + std::to_string(case_number);
            c.a = to_shape(h, ga.get(), scale);
            c.b = to_shape(h, gb.get(), scale);
            for (MultiPolygon* shape : {&c.a, &c.b})
                if (!check_validity(*shape).ok()) {
                    *shape = make_valid(*shape);
                    c.repaired = true;
                }
            from = 0;
            std::string op_text;
            while (element(block, "op", from, attributes, op_text)) {
                if (attribute(attributes, "name").rfind("intersection", 0) != 0 || !attribute(attributes, "pattern").empty())
                    continue;
                const GeosPtr expected = read_geometry(h, op_text);
                if (!expected) continue;
                double area = 0;
                GEOSArea_r(h, expected.get(), &area);
                if (!c.has_intersection) c.expected_area = area;
                c.has_intersection = true;
                break;
            }
            if (!c.a.empty() && !c.b.empty()) cases.push_back(std::move(c));
        }
    }
    return cases;
}

double to_double(const Rational& value) { return value.convert_to<double>(); }

/// Area under which a result is a sub-ulp sliver: one whose mean width (its
/// area over the extent of the two shapes' common box) is under 4 ulps of
/// the coordinates there. Doubles cannot place its sides, so its area is
/// known only to about this much (GEOS's own results differ by more).
double sliver_floor(const MultiPolygon& a, const MultiPolygon& b) {
    const Box box_a = bounds(a), box_b = bounds(b);
    Box common;
    common.minx = std::max(box_a.minx, box_b.minx);
    common.miny = std::max(box_a.miny, box_b.miny);
    common.maxx = std::min(box_a.maxx, box_b.maxx);
    common.maxy = std::min(box_a.maxy, box_b.maxy);
    if (common.empty()) return 0.0;
    const double magnitude =
        std::max({std::abs(common.minx), std::abs(common.maxx), std::abs(common.miny), std::abs(common.maxy)});
    const double ulp = std::nextafter(magnitude, HUGE_VAL) - magnitude;
    return 4 * ulp * std::max(common.width(), common.height());
}

fs::path suite_root() { return fs::path(PDEF_GEOS_XMLTESTER); }

}  // namespace

TEST_CASE("the GEOS XML test suite: kernel areas against the exact intersection area", "[overlay][geos-xml]") {
    if (!fs::is_directory(suite_root())) {
        WARN("SKIPPED: GEOS XML test suite not found at " PDEF_GEOS_XMLTESTER " (set PDEF_GEOS_XMLTESTER)");
        return;
    }
    std::size_t files = 0;
    const std::vector<XmlCase> cases = read_suite(suite_root(), files);
    std::size_t with_intersection = 0, runs = 0, passed = 0, slivers = 0, geos_rounded = 0, repaired = 0;
    std::size_t unrefereed = 0;
    std::size_t exact_zero = 0;
    for (const XmlCase& c : cases) {
        if (c.has_intersection) ++with_intersection;
        if (c.repaired) ++repaired;
        bool complete = true;
        const Rational exact = test::exact_intersection_area(c.a, c.b, 20000000, &complete);
        if (!complete) {
            ++unrefereed;
            continue;
        }
        const double truth = to_double(exact);
        const double floor = sliver_floor(c.a, c.b);
        if (c.has_intersection && std::abs(c.expected_area - truth) > 1e-9 * truth + floor) ++geos_rounded;
        if (exact == 0) ++exact_zero;
        const double area_a = area(c.a), area_b = area(c.b);
        for (const bool swapped : {false, true}) {
            const double kernel = swapped ? intersection_area(c.b, c.a) : intersection_area(c.a, c.b);
            ++runs;
            INFO(std::setprecision(17) << c.where << (swapped ? " (b, a)" : " (a, b)") << ": kernel " << kernel
                                       << ", exact " << truth << ", sliver floor " << floor
                         << ", GEOS expected " << c.expected_area << (c.repaired ? " (repaired input)" : "")
                         << "\na = " << to_wkt(c.a) << "\nb = " << to_wkt(c.b));
            const double error = std::abs(kernel - truth);
            const bool sliver = truth <= floor;
            if (sliver && error > 1e-9 * truth) ++slivers;  // passes only as a sliver
            if (exact == 0) CHECK(kernel == 0.0);  // touching or apart: no area at all
            CHECK((error <= 1e-9 * truth || (sliver && error <= floor)));
            CHECK(kernel <= area_a);
            CHECK(kernel <= area_b);
            if (error <= 1e-9 * truth || (sliver && error <= floor)) ++passed;
        }
    }
    WARN("GEOS XML suite: " << files << " files, " << cases.size() << " polygon/polygon cases (" << with_intersection
                            << " with an expected intersection, " << geos_rounded
                            << " of them with an expected area that differs from the exact one; " << repaired
                            << " with an input repaired first; " << exact_zero << " whose inputs only touch or lie apart; "
                            << unrefereed << " too large to referee); " << runs << " kernel runs (both orders), "
                            << passed << " within 1e-9 of the exact area, or sub-ulp slivers within the rounding floor (" << slivers
                            << " of those)");
    CHECK(cases.size() >= 150);
    CHECK(with_intersection >= 60);
    CHECK(unrefereed == 0);
}

namespace {

Layer one_unit(const std::string& name, const MultiPolygon& shape) {
    Layer layer;
    layer.name = name;
    layer.source = name + ".gpkg";
    layer.crs = "EPSG:27700";
    layer.code_column = "CODE";
    Feature feature;
    feature.fid = 1;
    feature.code = name;
    feature.shape = shape;
    layer.features.push_back(feature);
    return layer;
}

}  // namespace

TEST_CASE("the GEOS XML test suite: the overlay table's invariants", "[overlay][geos-xml][invariants]") {
    if (!fs::is_directory(suite_root())) {
        WARN("SKIPPED: GEOS XML test suite not found at " PDEF_GEOS_XMLTESTER " (set PDEF_GEOS_XMLTESTER)");
        return;
    }
    std::size_t files = 0;
    std::vector<MultiPolygon> shapes;
    const std::vector<XmlCase> cases = read_suite(suite_root(), files, &shapes);
    REQUIRE(shapes.size() >= 450);

    // A unit against itself: one row, its own area, shares exactly 1.
    for (const MultiPolygon& shape : shapes) {
        INFO("a = " << to_wkt(shape));
        const Layer layer = one_unit("A", shape);
        const IntersectionTable table = overlay(layer, layer);
        REQUIRE(table.rows.size() == 1);
        CHECK(table.rows[0].area_m2 == area(shape));
        CHECK(table.rows[0].share_of_a == 1.0);
        CHECK(table.rows[0].share_of_b == 1.0);
    }

    // Each pair: a row exactly when the exact intersection has area (however
    // small); its area never above either unit's; shares within [0, 1].
    std::size_t rows = 0, slivers = 0;
    for (const XmlCase& c : cases) {
        const double truth = test::exact_intersection_area(c.a, c.b).convert_to<double>();
        const bool meet = test::exact_intersection_area(c.a, c.b) > 0;
        for (const bool swapped : {false, true}) {
            const Layer a = one_unit("A", swapped ? c.b : c.a), b = one_unit("B", swapped ? c.a : c.b);
            const IntersectionTable table = overlay(a, b);
            INFO(c.where << (swapped ? " (b, a)" : " (a, b)") << ": exact area " << truth);
            CHECK(table.rows.size() == (meet ? 1u : 0u));
            for (const IntersectionRow& row : table.rows) {
                ++rows;
                if (truth < 1e-6) ++slivers;
                CHECK(row.area_m2 > 0);
                CHECK(row.area_m2 <= table.a_area[0]);
                CHECK(row.area_m2 <= table.b_area[0]);
                CHECK((row.share_of_a > 0 && row.share_of_a <= 1));
                CHECK((row.share_of_b > 0 && row.share_of_b <= 1));
            }
        }
    }
    WARN("GEOS XML suite invariants: " << shapes.size() << " polygons each against itself; " << cases.size()
                                       << " pairs in both orders gave " << rows << " rows (" << slivers
                                       << " of them slivers under 1e-6 m2)");
}
