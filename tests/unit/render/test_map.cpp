// Maps: PNG of the requested size showing the layer's colours, SVG that is
// well-formed XML with its title, legend and labels as text, labels that do
// not overlap, and errors for bad input and unwritable paths.
#include "hand_layers.hpp"
#include "support.hpp"
#include "xml_check.hpp"

#include "placedef/error.hpp"
#include "placedef/render.hpp"

#include "render/detail/canvas.hpp"

#include <cairo.h>
#include <catch2/catch.hpp>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <regex>

using Catch::Matchers::Contains;
using namespace placedef;
using placedef::test::box_wkt;
using placedef::test::hand_layer;

namespace {

MapOptions small_map(const std::string& title) {
    MapOptions options;
    options.title = title;
    options.width_px = 400;
    options.height_px = 300;
    options.dpi = 96;
    return options;
}

struct Image {
    int width = 0, height = 0;
    std::map<std::uint32_t, std::size_t> pixels_of;  ///< 0xRRGGBB -> count
};

Image read_png(const std::string& path) {
    std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface(
        cairo_image_surface_create_from_png(path.c_str()), &cairo_surface_destroy);
    REQUIRE(cairo_surface_status(surface.get()) == CAIRO_STATUS_SUCCESS);
    Image image;
    image.width = cairo_image_surface_get_width(surface.get());
    image.height = cairo_image_surface_get_height(surface.get());
    const int stride = cairo_image_surface_get_stride(surface.get());
    const unsigned char* data = cairo_image_surface_get_data(surface.get());
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x) {
            std::uint32_t pixel;
            std::memcpy(&pixel, data + y * stride + x * 4, 4);
            ++image.pixels_of[pixel & 0xFFFFFFu];  // opaque image: premultiplying changes nothing
        }
    return image;
}

std::uint32_t rgb(const std::string& hex) { return static_cast<std::uint32_t>(std::stoul(hex.substr(1), nullptr, 16)); }

/// Units in a row, each labelled with a text of the same width.
Layer row_of_units(int count, double size) {
    std::vector<std::pair<std::string, std::string>> units;
    for (int i = 0; i < count; ++i) {
        char code[8];
        std::snprintf(code, sizeof code, "U%02d", i);
        units.emplace_back(code, box_wkt(i * size, 0, (i + 1) * size, size));
    }
    return hand_layer("row", units);
}

}  // namespace

TEST_CASE("render_map writes a PNG of the requested size in the layer's colours", "[render]") {
    const Layer grid = test::grid_2x2(), halves = test::halves();
    const std::vector<std::string> colours = categorical_colours(grid);
    MapLayer outlines;
    outlines.layer = &halves;
    outlines.style = MapStyle::outline;
    outlines.outline_colour = "#CC3311";
    outlines.line_width = 3;  // wide enough for pixels of exactly that colour
    const std::string path = test::temp_dir("render-png") + "/grid.png";
    render_map({{&grid, MapStyle::categorical, {}, "Grid", "code"}, outlines}, small_map("A grid"), path);
    const Image image = read_png(path);
    CHECK(image.width == 400);
    CHECK(image.height == 300);
    // Each unit's fill covers a good share of the picture (the grid fills
    // most of a frame of about 300 x 250 pixels).
    for (const std::string& colour : colours) {
        INFO(colour);
        CHECK(image.pixels_of.count(rgb(colour)) == 1);
        if (image.pixels_of.count(rgb(colour))) CHECK(image.pixels_of.at(rgb(colour)) > 400 * 300 / 50);
    }
    CHECK(image.pixels_of.count(rgb("#CC3311")) == 1);  // the outline layer
}

TEST_CASE("render_svg is well-formed XML with the title, legend and labels as text", "[render]") {
    const Layer grid = test::grid_2x2(), halves = test::halves();
    MapLayer outlines;
    outlines.layer = &halves;
    outlines.style = MapStyle::outline;
    outlines.legend_title = "Halves & co";
    const std::string svg =
        render_svg({{&grid, MapStyle::categorical, {}, "Squares <2x2>", "code"}, outlines}, small_map("Grid & halves"));
    const test::XmlCheck xml = test::check_xml(svg);
    INFO(xml.error);
    REQUIRE(xml.well_formed);
    CHECK(xml.elements.front() == "svg");
    CHECK_THAT(svg, Contains("width=\"400\" height=\"300\""));
    CHECK_THAT(xml.text, Contains("Grid & halves"));       // title
    CHECK_THAT(xml.text, Contains("Squares <2x2>"));       // legend heading
    CHECK_THAT(xml.text, Contains("Halves & co"));         // outline entry
    for (const char* code : {"NE", "NW", "SE", "SW"}) CHECK_THAT(xml.text, Contains(std::string(code) + '\n'));
    CHECK_THAT(xml.text, Contains("200 m"));               // scale bar: a fifth of the 2 km grid
    // The same document goes to a .svg file.
    const std::string path = test::temp_dir("render-svg") + "/grid.SVG";
    render_map({{&grid, MapStyle::categorical, {}, "Squares <2x2>", "code"}, outlines}, small_map("Grid & halves"), path);
    CHECK(test::read_text(path) == svg);
}

TEST_CASE("render_svg: a choropleth shows its classes and the units without data", "[render]") {
    const Layer grid = test::grid_2x2();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    MapLayer layer{&grid, MapStyle::choropleth, {10, 20, nan, 40}, "Score", ""};
    const std::string svg = render_svg({layer}, small_map("Scores"));
    const test::XmlCheck xml = test::check_xml(svg);
    REQUIRE(xml.well_formed);
    CHECK_THAT(xml.text, Contains("Score\n"));
    CHECK_THAT(xml.text, Contains("No data"));
    const ChoroplethClasses classes = choropleth_classes(layer.values);
    auto lower = [](std::string text) {
        for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return text;
    };
    for (const std::string& colour : classes.colours) CHECK_THAT(svg, Contains("fill=\"" + lower(colour) + '"'));
    CHECK_THAT(svg, Contains("fill=\"#888888\""));  // no data
}

TEST_CASE("labels never overlap: crowded labels are left out", "[render]") {
    // 24 units of 100 m in a row on a 400 px map: about 13 px each, too
    // narrow for their labels, so most labels must be dropped.
    const Layer row = row_of_units(24, 100);
    const MapOptions options = small_map("");
    const std::string svg = render_svg({{&row, MapStyle::categorical, {}, "", "code"}}, options);
    REQUIRE(test::check_xml(svg).well_formed);
    const std::regex label(R"re(<text x="([0-9.]+)" y="([0-9.]+)" font-size="([0-9.]+)"[^>]*>(U[0-9]{2})</text>)re");
    std::vector<std::pair<double, double>> at;
    double font_size = 0;
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), label); it != std::sregex_iterator(); ++it) {
        at.emplace_back(std::stod((*it)[1]), std::stod((*it)[2]));
        font_size = std::stod((*it)[3]);
    }
    REQUIRE(at.size() >= 2);
    CHECK(at.size() < 24);
    detail::TextMeasure measure;
    const detail::TextExtent extent = measure.measure("U00", detail::Font{font_size, false, false});
    for (std::size_t i = 0; i < at.size(); ++i)
        for (std::size_t j = i + 1; j < at.size(); ++j) {
            const bool apart = std::abs(at[i].first - at[j].first) >= extent.width - 0.1 ||
                               std::abs(at[i].second - at[j].second) >= extent.ascent + extent.descent - 0.1;
            CHECK(apart);
        }
}

TEST_CASE("render_map refuses bad input and names the path it cannot write", "[render]") {
    const Layer grid = test::grid_2x2();
    const MapOptions options = small_map("t");
    const std::vector<MapLayer> layers = {{&grid, MapStyle::categorical, {}, "", ""}};
    SECTION("a directory that does not exist") {
        const std::string path = test::temp_dir("render-bad") + "/no/such/dir/map.png";
        CHECK_THROWS_AS(render_map(layers, options, path), output_error);
        CHECK_THROWS_WITH(render_map(layers, options, path), Contains(path));
        CHECK_THROWS_AS(render_map(layers, options, test::temp_dir("render-bad") + "/no/map.svg"), output_error);
    }
    SECTION("a format it does not write") {
        CHECK_THROWS_AS(render_map(layers, options, test::temp_dir("render-bad") + "/map.jpg"), output_error);
    }
    SECTION("bad layers and options") {
        CHECK_THROWS_AS(render_svg({}, options), invalid_input);
        CHECK_THROWS_AS(render_svg({{nullptr, MapStyle::categorical, {}, "", ""}}, options), invalid_input);
        CHECK_THROWS_AS(render_svg({{&grid, MapStyle::choropleth, {1, 2, 3}, "", ""}}, options), invalid_input);
        CHECK_THROWS_AS(render_svg({{&grid, MapStyle::categorical, {}, "", "NAME"}}, options), invalid_input);
        MapLayer red{&grid, MapStyle::outline, {}, "", ""};
        red.outline_colour = "red";
        CHECK_THROWS_AS(render_svg({red}, options), invalid_input);
        MapOptions tiny = options;
        tiny.width_px = 0;
        CHECK_THROWS_AS(render_svg(layers, tiny), invalid_input);
        MapOptions flat = options;
        flat.extent = Box{0, 0, 1000, 0};
        CHECK_THROWS_AS(render_svg(layers, flat), invalid_input);
    }
}
