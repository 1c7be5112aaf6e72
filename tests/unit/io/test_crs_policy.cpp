// The study CRS policy (crs_policy.cpp): a study CRS must be projected, in
// metres and keep areas over the data; measured with PROJ on the sample
// (Guildford and Waverley), through check_area_crs, read_layer, Reprojection
// and the command line.
#include "io_helpers.hpp"
#include "support.hpp"

#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "placedef/io.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>

using Catch::Matchers::Contains;
using namespace placedef;
using placedef::test::error_message;

namespace {

const std::string districts = "shapefiles/lad_2021.gpkg";
constexpr double degree = 3.14159265358979323846 / 180;
constexpr double districts_km2 = 616.2;  // Guildford and Waverley, in EPSG:27700

Layer read_districts(const std::string& study_crs) {
    ReadOptions options;
    options.study_crs = study_crs;
    ProblemSink problems;
    return read_layer(LayerAddress::parse(test::source_path(districts)), options, problems);
}

double total_km2(const Layer& layer) {
    double sum = 0;
    for (const Feature& feature : layer.features) sum += area(feature.shape);
    return sum / 1e6;
}

/// The extent of the sample in `study_crs`, reprojected from EPSG:27700
/// without the check (which would refuse the CRS being measured).
Box districts_extent_in(const std::string& study_crs) {
    const Layer layer = read_districts("EPSG:27700");
    Reprojection reprojection("EPSG:27700", study_crs);
    Box extent;
    for (const Feature& feature : layer.features) {
        MultiPolygon shape = feature.shape;
        REQUIRE_FALSE(reprojection.apply(shape));
        extent.expand(bounds(shape));
    }
    return extent;
}

/// The text between `after` and the next `until` in `message`.
std::string between(const std::string& message, const std::string& after, const std::string& until) {
    const std::size_t start = message.find(after);
    REQUIRE(start != std::string::npos);
    const std::size_t end = message.find(until, start + after.size());
    REQUIRE(end != std::string::npos);
    return message.substr(start + after.size(), end - start - after.size());
}

/// ETRS89 / LAEA Europe (EPSG:3035) as WKT 1, without its authority code.
const std::string laea_europe_wkt =
    R"(PROJCS["ETRS89 / LAEA Europe",GEOGCS["ETRS89",DATUM["European_Terrestrial_Reference_System_1989",)"
    R"(SPHEROID["GRS 1980",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],)"
    R"(PROJECTION["Lambert_Azimuthal_Equal_Area"],PARAMETER["latitude_of_center",52],)"
    R"(PARAMETER["longitude_of_center",10],PARAMETER["false_easting",4321000],)"
    R"(PARAMETER["false_northing",3210000],UNIT["metre",1]])";

}  // namespace

TEST_CASE("the British National Grid keeps areas over the sample", "[crs]") {
    const Layer layer = read_districts("EPSG:27700");
    const double distortion = area_distortion("EPSG:27700", layer.extent());
    INFO("EPSG:27700 over the sample: " << distortion * 100 << " %");
    // Transverse Mercator with scale 0.9996 on its central meridian (2 W):
    // areas 0.08 % small there, 0.06 % over Surrey, under 0.2 % over England.
    CHECK(distortion > 0.0003);
    CHECK(distortion < 0.002);
    CHECK_NOTHROW(check_area_crs("EPSG:27700", layer.extent()));
    CHECK(total_km2(layer) == Approx(districts_km2).epsilon(0.001));
    // England (Land's End to the Tweed) within 0.2 %, all Great Britain within the limit.
    const double england = area_distortion("EPSG:27700", Box{130000, 10000, 660000, 660000});
    const double britain = area_distortion("EPSG:27700", Box{0, 0, 700000, 1220000});
    INFO("England " << england * 100 << " %, Great Britain " << britain * 100 << " %");
    CHECK(england < 0.002);
    CHECK(britain < default_max_area_error);
    CHECK(britain > england);
    // ... but not to a limit below its own error.
    CHECK_THAT(error_message<invalid_input>([&] { check_area_crs("EPSG:27700", layer.extent(), 0.0001); }),
               Contains("'EPSG:27700' distorts area by 0.0") && Contains("(limit 0.01 %)") &&
                   Contains("+proj=laea +lat_0=51.2 +lon_0=-0.6 +datum=WGS84 +units=m"));
}

TEST_CASE("Web Mercator is refused over the sample, naming its distortion and EPSG:27700", "[crs]") {
    const Box extent = districts_extent_in("EPSG:3857");
    const double distortion = area_distortion("EPSG:3857", extent);
    INFO("EPSG:3857 over the sample: " << distortion * 100 << " %");
    CHECK(distortion > 1.5);  // sec^2(51.3 N) - 1 = 1.56 at the north edge: areas 2.5 times too large
    CHECK(distortion < 1.6);
    const std::string message = error_message<invalid_input>([&] { check_area_crs("EPSG:3857", extent); });
    CHECK_THAT(message, Contains("study CRS 'EPSG:3857' distorts area by 15") && Contains(" % over the data") &&
                            Contains("(limit 0.5 %)") && Contains("such as EPSG:27700"));
    CHECK_NOTHROW(check_area_crs("EPSG:3857", extent, 2.0));  // a limit is a limit

    // Reading the layer is refused the same way, naming the layer: before,
    // it gave 1,567.5 km2 for 616.2.
    const std::string read_message = error_message<invalid_input>([] { read_districts("EPSG:3857"); });
    CHECK_THAT(read_message, Contains("lad_2021.gpkg', layer 'lad_2021'") && Contains("'EPSG:3857' distorts area") &&
                                 Contains("EPSG:27700"));
    // Point layers too.
    ReadOptions points;
    points.study_crs = "EPSG:3857";
    points.expect = LayerKind::point;
    ProblemSink problems;
    CHECK_THAT(error_message<invalid_input>([&] {
                   read_layer(LayerAddress::parse(test::source_path("shapefiles/gp_practices.gpkg@PRACTICE_CODE")),
                              points, problems);
               }),
               Contains("gp_practices.gpkg") && Contains("'EPSG:3857' distorts area"));
}

TEST_CASE("a geographic or non-metre study CRS is refused whatever the extent", "[crs]") {
    const Box degrees{-0.9, 51.0, -0.3, 51.4};
    CHECK_THAT(error_message<invalid_input>([&] { check_area_crs("EPSG:4326", degrees); }),
               Contains("study CRS 'EPSG:4326' is geographic (degrees)") && Contains("EPSG:27700"));
    CHECK_THAT(error_message<invalid_input>([&] { check_area_crs("EPSG:4326", Box{}); }), Contains("geographic"));
    CHECK_THAT(error_message<invalid_input>([&] { area_distortion("EPSG:4326", degrees); }), Contains("geographic"));
    CHECK_THAT(error_message<invalid_input>([&] { check_area_crs("EPSG:2263", Box{0, 0, 1, 1}); }),
               Contains("'EPSG:2263' measures in") && Contains("metres"));
    CHECK_THAT(error_message<invalid_input>([&] { check_area_crs("no such crs", Box{0, 0, 1, 1}); }),
               Contains("'no such crs' is not a CRS"));
    // Without an extent there is nothing to measure: a projected CRS in metres passes.
    CHECK_NOTHROW(check_area_crs("EPSG:3857", Box{}));
    CHECK_THROWS_AS(area_distortion("EPSG:3857", Box{}), invalid_input);
}

TEST_CASE("an equal-area study CRS passes, given as a code, a PROJ string or WKT", "[crs]") {
    const std::string laea_here = "+proj=laea +lat_0=51.2 +lon_0=-0.6 +datum=WGS84 +units=m";
    for (const std::string& crs : {laea_here, std::string("EPSG:3035"), laea_europe_wkt}) {
        INFO(crs);
        const Layer layer = read_districts(crs);
        CHECK(layer.crs == crs);
        CHECK(area_distortion(crs, layer.extent()) < 1e-6);
        // Areas on the ellipsoid, where EPSG:27700 gives them 0.05 % small.
        CHECK(total_km2(layer) == Approx(616.52).epsilon(0.0002));
    }
    // EPSG:3035 has northing first: the grid goes in as easting, northing all the same.
    CHECK(area_distortion("EPSG:3035", districts_extent_in("EPSG:3035")) < 1e-6);
}

TEST_CASE("a UTM zone is measured where the data are", "[crs]") {
    // UTM 33N (central meridian 15 E): Surrey is 15.6 degrees off it.
    const std::string message = error_message<invalid_input>([] { read_districts("EPSG:32633"); });
    CHECK_THAT(message, Contains("'EPSG:32633' distorts area by 2.") && Contains("such as EPSG:27700"));
    // Given as WKT, the message names it by its name.
    const std::string utm33_wkt =
        R"(PROJCS["WGS 84 / UTM zone 33N",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],)"
        R"(PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],)"
        R"(PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",15],PARAMETER["scale_factor",0.9996],)"
        R"(PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1]])";
    CHECK_THAT(error_message<invalid_input>([&] { read_districts(utm33_wkt); }),
               Contains("study CRS 'WGS 84 / UTM zone 33N' distorts area by 2.") && !Contains("PROJCS"));
    // UTM 30N (3 W) is made for it.
    CHECK(area_distortion("EPSG:32630", districts_extent_in("EPSG:32630")) < 0.001);
    // UTM 1N (177 W) keeps areas over Surrey too, surprising as it is: a
    // transverse Mercator keeps scale along the whole great circle of its
    // central meridian, and Surrey lies 3.6 degrees from its far half (the
    // coordinates run past the pole, northing 14,300 km). PROJ's exact
    // algorithm measures it so, and the areas agree with an equal-area CRS.
    const Box far_side = districts_extent_in("EPSG:32601");
    CHECK(far_side.miny > 14e6);
    CHECK(area_distortion("EPSG:32601", far_side) < 0.002);
    CHECK(total_km2(read_districts("EPSG:32601")) == Approx(616.52).epsilon(0.002));
}

TEST_CASE("outside Great Britain the suggestion is an equal-area CRS centred on the data", "[crs]") {
    // 10 km around New York in Web Mercator.
    const Box new_york{-8238310 - 5000.0, 4970072 - 5000.0, -8238310 + 5000.0, 4970072 + 5000.0};
    const std::string message = error_message<invalid_input>([&] { check_area_crs("EPSG:3857", new_york); });
    CHECK_THAT(message, Contains("distorts area by 74.") && Contains(" % over the data") && !Contains("27700"));
    const std::string suggested = between(message, "such as '", "'");
    CHECK(suggested == "+proj=laea +lat_0=40.7 +lon_0=-74.0 +datum=WGS84 +units=m");
    // ... and it does keep areas there.
    CHECK(area_distortion(suggested, Box{-5000, -5000, 5000, 5000}) < 1e-9);
    Reprojection reprojection("EPSG:3857", suggested);
    MultiPolygon square = test::square(new_york.minx, new_york.miny, 10000);
    REQUIRE_FALSE(reprojection.apply(square));
    CHECK_NOTHROW(reprojection.check_area());
    // 10 km on the Mercator map is about 10 km x cos(40.7) on the ground: on
    // the ellipsoid, the area scale of Web Mercator is
    // sec^2(lat) (1 - e^2 sin^2(lat))^2 / (1 - e^2).
    const double latitude = 40.713 * degree, e2 = 0.00669438;
    const double expected =
        1e8 * std::pow(std::cos(latitude), 2) * (1 - e2) / std::pow(1 - e2 * std::pow(std::sin(latitude), 2), 2);
    CHECK(area(square) == Approx(expected).epsilon(0.001));
}

TEST_CASE("an extent the study CRS cannot reach is refused, and bad arguments are named", "[crs]") {
    CHECK_THAT(error_message<invalid_input>([] { check_area_crs("EPSG:27700", Box{0, 0, 9e8, 9e8}); }),
               Contains("study CRS 'EPSG:27700' is not defined over the whole extent of the data") &&
                   Contains("has no longitude and latitude"));
    const double infinity = std::numeric_limits<double>::infinity();
    CHECK_THAT(error_message<invalid_input>([&] { check_area_crs("EPSG:27700", Box{0, 0, infinity, 1}); }),
               Contains("not finite"));
    CHECK_THAT(error_message<invalid_input>([] { check_area_crs("EPSG:27700", Box{0, 0, 1, 1}, -1); }),
               Contains("finite number >= 0"));
}

TEST_CASE("Reprojection: coordinates to the study CRS, failures per feature, the check over what arrived", "[crs]") {
    Reprojection reprojection("EPSG:4326", "EPSG:27700", Location{"made", "made", {}, {}, {}});
    CHECK(reprojection.source_label() == "EPSG:4326");
    Coord guildford{-0.5704, 51.2362};  // longitude, latitude
    REQUIRE_FALSE(reprojection.apply(guildford));
    CHECK(guildford.x == Approx(499900).margin(300));
    CHECK(guildford.y == Approx(149530).margin(300));
    Coord nowhere{500000, 150000};  // metres given as degrees
    const std::optional<std::string> why = reprojection.apply(nowhere);
    REQUIRE(why);
    CHECK_THAT(*why, Contains("cannot be transformed from EPSG:4326 to EPSG:27700"));
    CHECK_FALSE(reprojection.nothing_transformed());  // one of two went through
    CHECK_NOTHROW(reprojection.check_area());

    Reprojection only_bad("EPSG:4326", "EPSG:27700");
    REQUIRE(only_bad.apply(nowhere));
    CHECK(only_bad.nothing_transformed() == *why);
    CHECK_NOTHROW(only_bad.check_area());  // nothing arrived: nothing to check

    // Coordinates check_layer will skip (1e300) are left out of the extent checked.
    Reprojection same("EPSG:27700", "EPSG:27700");
    MultiPolygon corrupt = test::square(-1e300, -1e300, 1e300);
    MultiPolygon fine = test::square(500000, 150000, 100);
    REQUIRE_FALSE(same.apply(corrupt));
    REQUIRE_FALSE(same.apply(fine));
    CHECK_FALSE(same.nothing_transformed());  // nothing was to be transformed
    CHECK_NOTHROW(same.check_area());
    // A study CRS that distorts area over what arrived is refused, naming the layer.
    Reprojection mercator("EPSG:27700", "EPSG:3857", Location{"made", "made", {}, {}, {}});
    MultiPolygon surrey = test::square(483000, 123000, 28000);
    REQUIRE_FALSE(mercator.apply(surrey));
    CHECK_THAT(error_message<invalid_input>([&] { mercator.check_area(); }),
               Contains("file 'made', layer 'made'") && Contains("'EPSG:3857' distorts area"));

    CHECK_THAT(error_message<invalid_input>([] { Reprojection("EPSG:999999", "EPSG:27700"); }),
               Contains("source CRS 'EPSG:999999' is not a CRS"));
    CHECK_THAT(error_message<invalid_input>([] { Reprojection("EPSG:27700", "EPSG:4326"); }),
               Contains("geographic"));
}

TEST_CASE("placedef --study-crs EPSG:3857 info is refused with exit code 2", "[crs][cli]") {
    std::string output;
    CHECK(test::run_cli("--study-crs EPSG:3857 info '" + test::source_path(districts) + "'", output) == 2);
    CHECK_THAT(output, Contains("study CRS 'EPSG:3857' distorts area by 15") && Contains("(limit 0.5 %)") &&
                           Contains("such as EPSG:27700") && !Contains("km2"));
    CHECK(test::run_cli("--study-crs '+proj=laea +lat_0=51.2 +lon_0=-0.6 +datum=WGS84 +units=m' info '" +
                            test::source_path(districts) + "'",
                        output) == 0);
    CHECK_THAT(output, Contains("area:        616.5"));
}
