// QGIS styles: the QML documents are well-formed and say what the maps show
// (renderer, categories and colours, labels), and the writers store them in
// the GeoPackage's layer_styles table. tests/qgis/styled_layers.py checks
// that QGIS itself opens them so.
#include "hand_layers.hpp"
#include "support.hpp"
#include "xml_check.hpp"

#include "placedef/catchment.hpp"
#include "placedef/clustering.hpp"
#include "placedef/error.hpp"
#include "placedef/io.hpp"
#include "placedef/render.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>

using Catch::Matchers::Contains;
using namespace placedef;
using placedef::test::box_wkt;
using placedef::test::hand_layer;

namespace {

std::size_t count_of(const std::string& text, const std::string& part) {
    std::size_t count = 0;
    for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++count;
    return count;
}

/// "r,g,b,255" as QGIS writes a "#rrggbb" colour.
std::string qgis_rgb(const std::string& hex) {
    const unsigned long value = std::stoul(hex.substr(1), nullptr, 16);
    return std::to_string((value >> 16) & 255) + ',' + std::to_string((value >> 8) & 255) + ',' +
           std::to_string(value & 255) + ",255";
}

bool has_layer(const std::string& path, const std::string& name) {
    const std::vector<std::string> layers = list_layers(path);
    return std::find(layers.begin(), layers.end(), name) != layers.end();
}

void require_well_formed(const std::string& qml) {
    const test::XmlCheck xml = test::check_xml(qml);
    INFO(xml.error);
    REQUIRE(xml.well_formed);
    CHECK(xml.elements.front() == "qgis");
}

}  // namespace

TEST_CASE("qgis_categorical_qml: one category per unit in the map's colours, labelled", "[render][qgis]") {
    const Layer grid = test::grid_2x2();
    const std::vector<std::string> colours = categorical_colours(grid);
    const std::string qml = qgis_categorical_qml(grid, colours, "CODE");
    require_well_formed(qml);
    CHECK_THAT(qml, Contains("type=\"categorizedSymbol\" attr=\"CODE\""));
    CHECK(count_of(qml, "<category ") == 4);
    for (std::size_t i = 0; i < grid.size(); ++i) {
        CHECK_THAT(qml, Contains("<category value=\"" + grid.features[i].code + "\""));
        CHECK_THAT(qml, Contains(qgis_rgb(colours[i])));
    }
    CHECK_THAT(qml, Contains("labelsEnabled=\"1\""));
    CHECK_THAT(qml, Contains("fieldName=\"CODE\""));

    const std::string unlabelled = qgis_categorical_qml(grid, colours, "");
    require_well_formed(unlabelled);
    CHECK_THAT(unlabelled, Contains("labelsEnabled=\"0\""));
    CHECK_THAT(unlabelled, !Contains("<labeling"));
    CHECK_THROWS_AS(qgis_categorical_qml(grid, {"#000000"}, ""), invalid_input);
}

TEST_CASE("qgis_outline_qml and qgis_choropleth_qml", "[render][qgis]") {
    const std::string outline = qgis_outline_qml("#CC3311", 1.5, "NAME");
    require_well_formed(outline);
    CHECK_THAT(outline, Contains("type=\"singleSymbol\""));
    CHECK_THAT(outline, Contains("204,51,17,255"));
    CHECK_THAT(outline, Contains("value=\"no\""));      // no fill
    CHECK_THAT(outline, Contains("value=\"0.397\""));   // 1.5 px at 96 dpi = 0.397 mm
    CHECK_THROWS_AS(qgis_outline_qml("#CC3311", 0), invalid_input);
    CHECK_THROWS_AS(qgis_outline_qml("CC3311", 1), invalid_input);

    const ChoroplethClasses classes = choropleth_classes({0.1, 0.25, 0.5, 0.75, 0.9, 1.0}, 3);
    const std::string choropleth = qgis_choropleth_qml("value", classes);
    require_well_formed(choropleth);
    CHECK_THAT(choropleth, Contains("type=\"graduatedSymbol\" attr=\"value\""));
    CHECK(count_of(choropleth, "<range ") == 3);
    CHECK_THAT(choropleth, Contains("lower=\"0.1\" upper=\"0.25\""));
    CHECK_THAT(choropleth, Contains("lower=\"0.25\" upper=\"0.75\""));
    CHECK_THAT(choropleth, Contains("lower=\"0.75\" upper=\"1\""));
    for (const std::string& colour : classes.colours) CHECK_THAT(choropleth, Contains(qgis_rgb(colour)));
}

TEST_CASE("qgis_boundary_frequency_qml names each band and widens with the frequency", "[render][qgis][ensemble]") {
    const std::string qml = qgis_boundary_frequency_qml();
    require_well_formed(qml);
    CHECK_THAT(qml, Contains("type=\"graduatedSymbol\" attr=\"frequency\""));
    CHECK(count_of(qml, "<range ") == 4);
    CHECK(count_of(qml, "class=\"SimpleLine\"") == 4);
    // QGIS takes the first band holding a value, ends included: 0 alone, then (0, 0.5], then up to 1.
    CHECK_THAT(qml, Contains("lower=\"0\" upper=\"0\" label=\"never a boundary (always together)\""));
    CHECK_THAT(qml, Contains("lower=\"0\" upper=\"0.5\" label=\"a boundary in up to half the runs\""));
    CHECK_THAT(qml, Contains("upper=\"1\" label=\"a boundary in every run\""));
    // wider lines for more frequent boundaries: 0.3, 1, 1.6 and 2.2 points at 96 dpi
    const auto at = [&](const char* width) { return qml.find("name=\"line_width\" type=\"QString\" value=\"" + std::string(width)); };
    CHECK(at("0.0794") < at("0.265"));
    CHECK(at("0.265") < at("0.423"));
    CHECK(at("0.423") < at("0.582"));
    CHECK(at("0.582") != std::string::npos);
}

TEST_CASE("VectorWriter::set_style writes QGIS's layer_styles table", "[render][qgis][io]") {
    const Layer grid = test::grid_2x2();
    const std::string dir = test::temp_dir("styles");
    SECTION("a GeoPackage gets the table") {
        VectorWriter writer(dir + "/styled.gpkg");
        writer.begin_layer("grid", "EPSG:27700", LayerKind::polygon, {{"CODE", FieldType::text}});
        for (const Feature& f : grid.features) writer.add(f.shape, {f.code});
        writer.set_style("grid", "<qgis/>");
        writer.set_style("grid", qgis_categorical_qml(grid, categorical_colours(grid), "CODE"));  // replaces
        writer.close();
        CHECK(has_layer(dir + "/styled.gpkg", "grid"));
        CHECK(has_layer(dir + "/styled.gpkg", "layer_styles"));
    }
    SECTION("without a style there is no table") {
        VectorWriter writer(dir + "/plain.gpkg");
        writer.begin_layer("grid", "EPSG:27700", LayerKind::polygon, {{"CODE", FieldType::text}});
        for (const Feature& f : grid.features) writer.add(f.shape, {f.code});
        writer.close();
        CHECK_FALSE(has_layer(dir + "/plain.gpkg", "layer_styles"));
    }
    SECTION("a style for a layer that was not written is an error") {
        VectorWriter writer(dir + "/wrong.gpkg");
        writer.begin_layer("grid", "EPSG:27700", LayerKind::polygon, {{"CODE", FieldType::text}});
        writer.set_style("other", "<qgis/>");
        try {
            writer.close();
            FAIL("close() accepted a style for a layer that was not written");
        } catch (const output_error& e) {
            CHECK_THAT(std::string(e.what()), Contains("'other'") && Contains("wrong.gpkg"));
        }
    }
    SECTION("formats without a style table leave the style out") {
        VectorWriter writer(dir + "/grid.geojson");
        writer.begin_layer("grid", "EPSG:27700", LayerKind::polygon, {{"CODE", FieldType::text}});
        for (const Feature& f : grid.features) writer.add(f.shape, {f.code});
        writer.set_style("grid", "<qgis/>");
        CHECK_NOTHROW(writer.close());
        CHECK(list_layers(dir + "/grid.geojson").size() == 1);
    }
}

TEST_CASE("write_map_layers writes each map layer with its style", "[render][qgis]") {
    const Layer grid = test::grid_2x2(), halves = test::halves();
    MapLayer outline{&halves, MapStyle::outline, {}, "", "code"};
    const std::string path = test::temp_dir("map-layers") + "/map.gpkg";
    write_map_layers({{&grid, MapStyle::choropleth, {1, 2, 3, std::numeric_limits<double>::quiet_NaN()}, "", "code"},
                      outline},
                     path);
    CHECK(list_layers(path) == std::vector<std::string>{"grid", "halves", "layer_styles"});
    ProblemSink problems;
    const Layer back = read_layer(LayerAddress::parse(path + ":grid@CODE"), ReadOptions{}, problems);
    CHECK(back.size() == 4);
    REQUIRE(back.attribute_index("value"));
    CHECK(back.features[0].attributes[*back.attribute_index("value")] == "1");
    CHECK_THROWS_AS(write_map_layers({{&grid, MapStyle::choropleth, {1}, "", ""}}, path), invalid_input);
}

TEST_CASE("footprint_styles and pcn_styles style the writers' layers", "[render][qgis]") {
    std::vector<std::pair<std::string, std::string>> squares;
    for (int col = 0; col < 4; ++col)
        squares.emplace_back("S" + std::to_string(col), box_wkt(col * 1000, 0, (col + 1) * 1000, 1000));
    const Layer blocks = hand_layer("squares", squares);
    FootprintRequest request;
    request.attributes = {{"column", {0, 0, 5, 5}, 1.0}};
    request.k = 2;
    const FootprintResult result = town_footprints(blocks, request);
    const std::vector<LayerStyle> styles = footprint_styles(result, blocks);
    REQUIRE(styles.size() == 1);
    CHECK(styles[0].layer == "footprints");
    require_well_formed(styles[0].qml);
    CHECK(count_of(styles[0].qml, "<category ") == 2);
    CHECK_THAT(styles[0].qml, Contains("attr=\"footprint\""));
    const std::string path = test::temp_dir("footprint-styles") + "/footprints.gpkg";
    write_footprints(result, blocks, path, styles);
    CHECK(has_layer(path, "layer_styles"));

    PcnResult pcns;
    pcns.footprints.resize(2);
    pcns.footprints[0].code = "P1";
    pcns.footprints[0].name = "West";
    pcns.footprints[0].shape = multipolygon_from_wkt(box_wkt(0, 0, 1000, 1000));
    pcns.footprints[1].code = "P2";
    pcns.footprints[1].name = "East";
    pcns.footprints[1].shape = multipolygon_from_wkt(box_wkt(1000, 0, 2000, 1000));
    const std::vector<LayerStyle> pcn = pcn_styles(pcns, "EPSG:27700");
    REQUIRE(pcn.size() == 2);
    CHECK(pcn[0].layer == "pcn_footprints");
    CHECK(pcn[1].layer == "practices");
    for (const LayerStyle& style : pcn) require_well_formed(style.qml);
    CHECK_THAT(pcn[0].qml, Contains("fieldName=\"pcn_name\""));
    // Practices are drawn in their PCN's colour; the empty value catches the rest.
    CHECK(count_of(pcn[1].qml, "<category ") == 3);
    CHECK_THAT(pcn[1].qml, Contains("type=\"marker\""));
    CHECK_THAT(pcn[1].qml, Contains("<category value=\"\""));
}
