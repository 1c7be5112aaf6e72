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

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <tuple>
#include <utility>

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

namespace {

/// What an SVG map says about its units: the texts of its labels (a label's
/// lines joined by spaces; call-outs are labels too) and of its legend.
struct MapTexts {
    std::vector<std::string> labels, legend;
    std::size_t callouts = 0;
};

MapTexts map_texts(const std::string& svg) {
    MapTexts texts;
    const std::regex text(R"re(<text[^>]*>([^<]*)</text>)re");
    auto joined_texts = [&](const std::string& part) {
        std::string joined;
        for (auto it = std::sregex_iterator(part.begin(), part.end(), text); it != std::sregex_iterator(); ++it)
            joined += (joined.empty() ? "" : " ") + (*it)[1].str();
        return joined;
    };
    const std::regex group(R"re(<g class="(label|callout|entry)">\n((?:<(?:text|path|circle|rect)[^\n]*\n)*)</g>)re");
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), group); it != std::sregex_iterator(); ++it) {
        (*it)[1] == "entry" ? texts.legend.push_back(joined_texts((*it)[2])) : texts.labels.push_back(joined_texts((*it)[2]));
        texts.callouts += (*it)[1] == "callout";
    }
    return texts;
}

/// Checks that every unit named in `names` is on the map by name, or by a
/// number on the map keyed in the legend ("12 Walton-on-Thames", with an en
/// space), or counted in the legend's note of labels omitted; returns how
/// many were numbered.
std::size_t require_every_unit_identified(const std::string& svg, const std::vector<std::string>& names) {
    const MapTexts texts = map_texts(svg);
    const std::set<std::string> labels(texts.labels.begin(), texts.labels.end());
    std::map<std::string, std::string> number_of;  // name -> number keyed in the legend
    std::size_t omitted = 0, not_listed = 0;
    const std::regex key("([0-9]+)\u2002(.*)"), note("([0-9]+) labels? omitted.*"), more("and ([0-9]+) more not listed");
    for (const std::string& line : texts.legend) {
        std::smatch match;
        if (std::regex_match(line, match, key)) number_of[match[2]] = match[1];
        if (std::regex_match(line, match, note)) omitted = std::stoul(match[1]);
        if (std::regex_match(line, match, more)) not_listed = std::stoul(match[1]);
    }
    std::size_t named = 0, numbered = 0, missing = 0;
    for (const std::string& name : names) {
        INFO(name);
        if (labels.count(name)) {
            ++named;
            CHECK(number_of.count(name) == 0);  // a unit named on the map needs no number
        } else if (number_of.count(name)) {
            ++numbered;
            CHECK(labels.count(number_of.at(name)) == 1);  // its number is on the map
        } else {
            ++missing;
        }
    }
    // Units neither named nor keyed are those the legend counts: without a
    // label, or numbered on the map where the legend had no room for the key.
    CHECK(missing >= omitted);
    CHECK(missing <= omitted + not_listed);
    return numbered;
}

std::vector<std::string> codes_of(const Layer& layer) {
    std::vector<std::string> codes;
    for (const Feature& feature : layer.features) codes.push_back(feature.code);
    return codes;
}

}  // namespace

TEST_CASE("labels never overlap, and units whose names find no room are numbered and keyed in the legend", "[render]") {
    // 24 units of 100 m in a row on an 800 px map: about 30 px each, too
    // narrow for most labels side by side.
    const Layer row = row_of_units(24, 100);
    MapOptions options = small_map("");
    options.width_px = 800;
    options.height_px = 600;
    const std::string svg = render_svg({{&row, MapStyle::categorical, {}, "", "code"}}, options);
    REQUIRE(test::check_xml(svg).well_formed);
    const std::size_t numbered = require_every_unit_identified(svg, codes_of(row));
    CHECK(numbered > 0);
    CHECK(numbered < 24);
    CHECK_THAT(svg, !Contains("omitted"));  // there is room for every number

    // No two labels (names or numbers) overlap.
    const std::regex label(R"re(<text x="([0-9.]+)" y="([0-9.]+)" font-size="([0-9.]+)"[^>]*>(U[0-9]{2}|[0-9]+)</text>)re");
    const std::size_t labels_at = svg.find("<g class=\"labels\">");
    REQUIRE(labels_at != std::string::npos);
    const std::string labels = svg.substr(labels_at, svg.find("<g class=\"scale-bar\">") - labels_at);
    struct Placed {
        double x, y, width, height;
    };
    std::vector<Placed> at;
    detail::TextMeasure measure;
    for (auto it = std::sregex_iterator(labels.begin(), labels.end(), label); it != std::sregex_iterator(); ++it) {
        const detail::TextExtent extent = measure.measure((*it)[4], detail::Font{std::stod((*it)[3]), false, false});
        at.push_back({std::stod((*it)[1]), std::stod((*it)[2]), extent.width, extent.ascent + extent.descent});
    }
    REQUIRE(at.size() == 24);
    for (std::size_t i = 0; i < at.size(); ++i)
        for (std::size_t j = i + 1; j < at.size(); ++j) {
            const bool apart = std::abs(at[i].x - at[j].x) >= (at[i].width + at[j].width) / 2 - 0.1 ||
                               std::abs(at[i].y - at[j].y) >= at[i].height - 0.1;
            CHECK(apart);
        }
}

TEST_CASE("a unit with no room for its number gets a call-out, and the legend counts labels with no room", "[render]") {
    // 40 slivers of 10 m in a 400 m row: no number fits over its unit.
    const Layer row = row_of_units(40, 10);
    MapOptions options = small_map("");
    options.width_px = 900;
    options.height_px = 700;
    const std::string svg = render_svg({{&row, MapStyle::categorical, {}, "", "code"}}, options);
    require_every_unit_identified(svg, codes_of(row));
    CHECK(map_texts(svg).callouts > 0);
    // On a stamp-sized map some find no room at all, and the legend says how many.
    const std::string tiny = render_svg({{&row, MapStyle::categorical, {}, "", "code"}}, small_map(""));
    require_every_unit_identified(tiny, codes_of(row));
    CHECK_THAT(tiny, Contains("omitted"));
}

TEST_CASE("a layer of more than 40 units may lose names, and the legend says how many", "[render]") {
    const Layer row = row_of_units(41, 100);
    const std::string svg = render_svg({{&row, MapStyle::categorical, {}, "", "code"}}, small_map(""));
    const std::size_t named = map_texts(svg).labels.size();
    REQUIRE(named < 41);
    const std::vector<std::string> legend = map_texts(svg).legend;
    CHECK(std::count(legend.begin(), legend.end(), std::to_string(41 - named) + " of 41 names not shown at this scale") == 1);
}

TEST_CASE("every division of the sample is named or numbered on its map", "[render][sample]") {
    ProblemSink problems;
    const Layer divisions =
        load_layer(LayerAddress::parse(test::source_path("shapefiles/ced_2025.gpkg@CED25CD")), ReadOptions{}, problems);
    REQUIRE(divisions.size() <= max_identified_units);
    MapOptions options;
    std::vector<std::string> names;
    const std::size_t name = *divisions.attribute_index("CED25NM");
    for (const Feature& feature : divisions.features) names.push_back(feature.attributes[name]);
    for (const auto& [width, height] : {std::pair{1600, 1200}, std::pair{800, 600}}) {
        INFO(width << " x " << height);
        options.width_px = width;
        options.height_px = height;
        require_every_unit_identified(render_svg({{&divisions, MapStyle::categorical, {}, "", "CED25NM"}}, options), names);
    }
}

TEST_CASE("full data: each of the 32 districts around Surrey is named or numbered", "[render][uk]") {
    PDEF_REQUIRE_UK_DATA();
    ProblemSink problems;
    const Layer districts =
        load_layer(LayerAddress::parse(test::uk_data_path("lad_2021_bgc.gpkg@LAD21CD")), ReadOptions{}, problems);
    REQUIRE(districts.size() <= max_identified_units);
    std::vector<std::string> names;
    const std::size_t name = *districts.attribute_index("LAD21NM");
    for (const Feature& feature : districts.features) names.push_back(feature.attributes[name]);
    const std::string svg = render_svg({{&districts, MapStyle::categorical, {}, "Districts", "LAD21NM"}}, MapOptions{});
    CHECK(require_every_unit_identified(svg, names) > 0);  // London's boroughs are too small for their names
    CHECK_THAT(svg, !Contains("omitted"));
}

TEST_CASE("the credit line gives the date and the data's vintages", "[render]") {
    const Layer grid = test::grid_2x2(), halves = test::halves();
    MapLayer fill{&grid, MapStyle::choropleth, {1, 2, 3, 4}, "Score", ""};
    fill.vintage = "LSOA 2011";
    fill.values_vintage = "IMD 2019";
    MapLayer outline{&halves, MapStyle::outline, {}, "", ""};
    outline.vintage = "CED 2025";
    MapOptions options = small_map("t");
    options.width_px = 900;
    options.date = "2026-12-03";
    options.credit = "Contains OS data";
    const std::string svg = render_svg({fill, outline}, options);
    const std::size_t credit = svg.find("<g class=\"credit\">");
    REQUIRE(credit != std::string::npos);
    CHECK_THAT(svg.substr(credit),
               Contains("Drawn 2026-12-03 \u00B7 Boundaries: LSOA 2011, CED 2025; IMD 2019 \u00B7 Contains OS data"));
    // The same date however often drawn: SOURCE_DATE_EPOCH fixes the date a map says it was drawn.
    const char* before = std::getenv("SOURCE_DATE_EPOCH");
    const std::string saved = before ? before : "";
    setenv("SOURCE_DATE_EPOCH", "1796256000", 1);
    CHECK(drawing_date() == "2026-12-03");
    setenv("SOURCE_DATE_EPOCH", "yesterday", 1);
    CHECK_THROWS_AS(drawing_date(), invalid_input);
    unsetenv("SOURCE_DATE_EPOCH");
    CHECK(std::regex_match(drawing_date(), std::regex("20[0-9]{2}-[01][0-9]-[0-3][0-9]")));
    if (before) setenv("SOURCE_DATE_EPOCH", saved.c_str(), 1);
}

TEST_CASE("the context beyond the study area is grey, in the legend, and not fitted", "[render]") {
    const Layer grid = test::grid_2x2();
    const Layer around = hand_layer("around", {{"W", box_wkt(-50000, 0, 0, 2000)}, {"E", box_wkt(2000, 0, 52000, 2000)}});
    MapOptions options = small_map("t");
    const std::string plain = render_svg({{&grid, MapStyle::categorical, {}, "", ""}}, options);
    options.context = &around;
    const std::string svg = render_svg({{&grid, MapStyle::categorical, {}, "", ""}}, options);
    CHECK_THAT(svg, Contains("<g class=\"context\">\n<path"));
    CHECK_THAT(svg, Contains("fill=\"#d5d5d0\""));
    const std::vector<std::string> legend = map_texts(svg).legend;
    CHECK(std::count(legend.begin(), legend.end(), "Beyond the study area") == 1);
    // Fitted to the 2 km grid, not to the context 100 km across: the scale bar is in metres.
    const std::regex scale_end(R"re(>([0-9.]+) (k?m)</text>)re");
    for (const std::string* map : {&svg, &plain}) {
        std::smatch match;
        REQUIRE(std::regex_search(*map, match, scale_end));
        CHECK(match[2] == "m");
    }
    Layer points = grid;
    points.kind = LayerKind::point;
    options.context = &points;
    CHECK_THROWS_AS(render_svg({{&grid, MapStyle::categorical, {}, "", ""}}, options), invalid_input);
}

TEST_CASE("render_map writes a PDF page of A4 or A3, landscape", "[render][pdf]") {
    const Layer grid = test::grid_2x2();
    const std::string dir = test::temp_dir("render-pdf");
    MapOptions options = small_map("Grid on paper");
    options.date = "2026-12-03";
    for (const auto& [paper, width_mm, height_mm] : {std::tuple{Paper::a4, 297.0, 210.0}, std::tuple{Paper::a3, 420.0, 297.0}}) {
        INFO(width_mm << " x " << height_mm << " mm");
        options.paper = paper;
        const std::string path = dir + "/grid.pdf";
        render_map({{&grid, MapStyle::categorical, {}, "Grid", ""}}, options, path);
        const std::string pdf = test::read_text(path);
        CHECK(pdf.rfind("%PDF-", 0) == 0);
        const std::regex media_box(R"re(/MediaBox \[ *0 +0 +([0-9.]+) +([0-9.]+) *\])re");
        std::smatch match;
        REQUIRE(std::regex_search(pdf, match, media_box));
        CHECK(std::stod(match[1]) == Approx(width_mm / 25.4 * 72).margin(0.01));
        CHECK(std::stod(match[2]) == Approx(height_mm / 25.4 * 72).margin(0.01));
        CHECK_THAT(pdf, Contains("/Title (Grid on paper)"));
        CHECK_THAT(pdf, Contains("/CreationDate (20261203"));  // the drawing date, so the file is the same each time
        CHECK_THAT(pdf, Contains("/FontFile"));                // text as text: the font is embedded
    }
    CHECK(paper_from_string("a3") == Paper::a3);
    CHECK_THROWS_AS(paper_from_string("letter"), invalid_input);
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
        CHECK_THROWS_AS(render_map(layers, options, test::temp_dir("render-bad") + "/no/map.pdf"), output_error);
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

namespace {

/// The SVG of each panel of a figure: the text of each group of class "panel", and where it is drawn.
struct PanelSvg {
    double x = 0, y = 0;
    std::string body;
};

std::vector<PanelSvg> panels_of(const std::string& svg) {
    std::vector<PanelSvg> panels;
    const std::regex start(R"re(<g class="panel" transform="translate\(([-0-9.e]+) ([-0-9.e]+)\)">)re");
    for (std::sregex_iterator it(svg.begin(), svg.end(), start), end; it != end; ++it) {
        const std::size_t from = static_cast<std::size_t>(it->position() + it->length());
        // A panel's groups nest; its own ends where the depth of <g> returns to zero.
        int depth = 1;
        std::size_t at = from;
        while (depth > 0) {
            const std::size_t open = svg.find("<g", at), close = svg.find("</g>", at);
            REQUIRE(close != std::string::npos);
            if (open < close) {
                ++depth;
                at = open + 2;
            } else {
                --depth;
                at = close + 4;
            }
        }
        panels.push_back({std::stod((*it)[1]), std::stod((*it)[2]), svg.substr(from, at - from)});
    }
    return panels;
}

/// The path data drawn for the layer `name` in a panel (its group's paths, in order).
std::string paths_of_layer(const std::string& panel, const std::string& name) {
    const std::size_t from = panel.find("<g class=\"" + name + "\">");
    if (from == std::string::npos) return {};
    const std::size_t to = panel.find("</g>", from);
    std::string paths;
    const std::string group = panel.substr(from, to - from);
    const std::regex data(R"re( d="([^"]*)")re");
    for (std::sregex_iterator it(group.begin(), group.end(), data), end; it != end; ++it) paths += (*it)[1].str() + ';';
    return paths;
}

std::vector<MapPanel> grid_and_corner_panels(const Layer& grid, const Layer& corner, const Layer& halves) {
    MapLayer outline;
    outline.layer = &halves;
    outline.style = MapStyle::outline;
    outline.outline_colour = "#CC3311";
    outline.line_width = 3;  // wide enough for pixels of exactly that colour
    return side_by_side({{"The grid", &grid}, {"A corner", &corner}}, "code", "Places", {outline});
}

}  // namespace

TEST_CASE("render_panels: a panel per layer, every one at the same scale over the same ground", "[render][panels]") {
    // The second proposal covers only the grid's south-west square; the figure still shows the whole grid in each panel.
    const Layer grid = test::grid_2x2(), halves = test::halves();
    const Layer corner = hand_layer("corner", {{"SW", box_wkt(0, 0, 1000, 1000)}});
    MapOptions options = small_map("Two drawings & the halves");
    options.width_px = 800;
    options.height_px = 500;
    options.credit = "Drawn by hand";
    const std::string svg = render_panels_svg(grid_and_corner_panels(grid, corner, halves), options);
    const test::XmlCheck xml = test::check_xml(svg);
    INFO(xml.error);
    REQUIRE(xml.well_formed);
    const std::vector<PanelSvg> panels = panels_of(svg);
    REQUIRE(panels.size() == 2);
    CHECK_THAT(xml.text, Contains("Two drawings & the halves"));
    CHECK_THAT(panels[0].body, Contains(">The grid<"));
    CHECK_THAT(panels[1].body, Contains(">A corner<"));
    // The same outline layer is drawn with the same path data in each panel: the same extent at the same scale.
    const std::string outline = paths_of_layer(panels[0].body, "halves");
    REQUIRE_FALSE(outline.empty());
    CHECK(paths_of_layer(panels[1].body, "halves") == outline);
    // The south-west square is the same shape in both panels, in the same colour (it has one code).
    const std::vector<std::vector<std::string>> colours = shared_categorical_colours({&grid, &corner});
    CHECK(colours[1][0] == colours[0][0]);
    // A credit line for the figure, not one per panel.
    std::size_t credits = 0;
    for (std::size_t at = svg.find("Drawn by hand"); at != std::string::npos; at = svg.find("Drawn by hand", at + 1)) ++credits;
    CHECK(credits == 1);
    CHECK(std::count_if(panels.begin(), panels.end(), [](const PanelSvg& p) { return p.body.find("Drawn by hand") != std::string::npos; }) == 0);
    // A square extent on a page wider than high: side by side.
    CHECK(panels[0].y == panels[1].y);
    CHECK(panels[1].x == Approx(400));
}

TEST_CASE("render_panels lays the panels in the grid that shows the ground largest", "[render][panels]") {
    const Layer grid = test::grid_2x2(), halves = test::halves();
    // A strip four times as wide as high: stacked, one under the other, on a page of 4:3.
    const Layer strip = hand_layer("strip", {{"W", box_wkt(0, 0, 4000, 1000)}});
    const Layer strip_east = hand_layer("strip", {{"E", box_wkt(2000, 0, 4000, 1000)}});
    std::vector<MapPanel> stacked = side_by_side({{"one", &strip}, {"two", &strip_east}}, "code", "Places", {});
    const std::vector<PanelSvg> rows = panels_of(render_panels_svg(stacked, small_map("Strips")));
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].x == rows[1].x);
    CHECK(rows[0].y < rows[1].y);
    // Four squares on a square page: two by two.
    MapOptions square = small_map("Squares");
    square.height_px = 400;
    std::vector<MapPanel> four = side_by_side({{"a", &grid}, {"b", &grid}, {"c", &halves}, {"d", &halves}}, "code", "Places", {});
    const std::vector<PanelSvg> cells = panels_of(render_panels_svg(four, square));
    REQUIRE(cells.size() == 4);
    std::set<double> xs, ys;
    for (const PanelSvg& cell : cells) {
        xs.insert(cell.x);
        ys.insert(cell.y);
    }
    CHECK(xs.size() == 2);
    CHECK(ys.size() == 2);
}

TEST_CASE("render_panels writes PNG, SVG and a PDF page, and refuses bad figures", "[render][panels]") {
    const Layer grid = test::grid_2x2(), halves = test::halves();
    const Layer corner = hand_layer("corner", {{"SW", box_wkt(0, 0, 1000, 1000)}});
    const std::vector<MapPanel> panels = grid_and_corner_panels(grid, corner, halves);
    const std::string dir = test::temp_dir("render-panels");
    MapOptions options = small_map("Panels");
    render_panels(panels, options, dir + "/panels.png");
    const Image image = read_png(dir + "/panels.png");
    CHECK(image.width == 400);
    CHECK(image.height == 300);
    CHECK(image.pixels_of.count(rgb("#CC3311")) == 1);
    render_panels(panels, options, dir + "/panels.svg");
    CHECK(test::read_text(dir + "/panels.svg") == render_panels_svg(panels, options));
    options.date = "2026-12-03";
    render_panels(panels, options, dir + "/panels.pdf");
    const std::string pdf = test::read_text(dir + "/panels.pdf");
    const std::regex page(R"(/Type\s*/Page[^s])");
    CHECK(std::distance(std::sregex_iterator(pdf.begin(), pdf.end(), page), std::sregex_iterator()) == 1);
    CHECK_THAT(pdf, Contains("/Title (Panels)"));

    CHECK_THROWS_WITH(render_panels_svg({}, options), Contains("at least one panel"));
    CHECK_THROWS_AS(render_panels_svg({MapPanel{"empty", {}}}, options), invalid_input);
    std::vector<MapPanel> wrong_colours = panels;
    wrong_colours[0].layers[0].colours = {"#FFFFFF"};
    CHECK_THROWS_WITH(render_panels_svg(wrong_colours, options), Contains("1 colours given for 4 features"));
    CHECK_THROWS_AS(render_panels(panels, options, dir + "/panels.jpg"), output_error);
}
