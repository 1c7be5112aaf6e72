// Categorical colours and choropleth classes. Touching units are found
// independently of the graph the colouring uses: by grid position for a
// hand-drawn grid, by GEOS distance for the sample layers.
#include "hand_layers.hpp"
#include "support.hpp"

#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "placedef/render.hpp"

#include "render/detail/classes.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <set>

using namespace placedef;
using placedef::test::box_wkt;
using placedef::test::hand_layer;

namespace {

/// An n x n grid of 1 km squares; unit r*n+c is row r, column c.
Layer square_grid(int n) {
    std::vector<std::pair<std::string, std::string>> units;
    for (int r = 0; r < n; ++r)
        for (int c = 0; c < n; ++c)
            units.emplace_back("R" + std::to_string(r) + "C" + std::to_string(c),
                               box_wkt(c * 1000.0, r * 1000.0, (c + 1) * 1000.0, (r + 1) * 1000.0));
    return hand_layer("grid", units);
}

bool is_hex_colour(const std::string& text) {
    if (text.size() != 7 || text[0] != '#') return false;
    for (std::size_t i = 1; i < 7; ++i)
        if (!std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
    return true;
}

/// Every pair of units within `gap` metres of each other has two colours.
void require_touching_units_differ(const Layer& layer, const std::vector<std::string>& colours, double gap) {
    REQUIRE(colours.size() == layer.size());
    std::size_t touching = 0;
    for (std::size_t i = 0; i < layer.size(); ++i) {
        Box near_i = bounds(layer.features[i].shape);
        near_i.expand(Coord{near_i.minx - gap, near_i.miny - gap});
        near_i.expand(Coord{near_i.maxx + gap, near_i.maxy + gap});
        for (std::size_t j = i + 1; j < layer.size(); ++j) {
            if (!near_i.intersects(bounds(layer.features[j].shape))) continue;
            if (distance(layer.features[i].shape, layer.features[j].shape) > gap) continue;
            ++touching;
            INFO(layer.features[i].code << " and " << layer.features[j].code << " touch");
            REQUIRE(colours[i] != colours[j]);
        }
    }
    CHECK(touching >= layer.size());  // a real map: more neighbour pairs than units
}

Layer sample(const std::string& address) {
    ProblemSink problems;
    return load_layer(LayerAddress::parse(test::source_path("shapefiles/" + address)), ReadOptions{}, problems);
}

}  // namespace

TEST_CASE("categorical_colours: squares that touch, even at a corner, never share a colour", "[render]") {
    const int n = 6;
    const Layer grid = square_grid(n);
    const std::vector<std::string> colours = categorical_colours(grid);
    REQUIRE(colours.size() == grid.size());
    for (const std::string& colour : colours) CHECK(is_hex_colour(colour));
    for (int a = 0; a < n * n; ++a)
        for (int b = a + 1; b < n * n; ++b)
            if (std::abs(a / n - b / n) <= 1 && std::abs(a % n - b % n) <= 1) {
                INFO(grid.features[static_cast<std::size_t>(a)].code << " and "
                                                                     << grid.features[static_cast<std::size_t>(b)].code);
                CHECK(colours[static_cast<std::size_t>(a)] != colours[static_cast<std::size_t>(b)]);
            }
    // Four squares meet at each inner corner, so four colours at least; the
    // palette has eight, and a grid never needs more.
    const std::set<std::string> distinct(colours.begin(), colours.end());
    CHECK(distinct.size() >= 4);
    CHECK(distinct.size() <= 8);
    CHECK(categorical_colours(grid) == colours);  // deterministic
}

TEST_CASE("categorical_colours: units apart from each other may share colours", "[render]") {
    const Layer apart = hand_layer("apart", {{"A", box_wkt(0, 0, 100, 100)}, {"B", box_wkt(1000, 0, 1100, 100)}});
    const std::vector<std::string> colours = categorical_colours(apart);
    REQUIRE(colours.size() == 2);
    CHECK(is_hex_colour(colours[0]));
    CHECK(is_hex_colour(colours[1]));
}

TEST_CASE("categorical_colours on the sample layers: touching units never share a colour", "[render]") {
    for (const char* address : {"ward_2025.gpkg@WD25CD", "lsoa_2021.gpkg@LSOA21CD", "ced_2025.gpkg@CED25CD"}) {
        INFO(address);
        const Layer layer = sample(address);
        require_touching_units_differ(layer, categorical_colours(layer), 1.0);
    }
}

TEST_CASE("categorical_colours on Surrey's 309 wards: touching wards never share a colour", "[render]") {
    PDEF_REQUIRE_UK_DATA();
    ProblemSink problems;
    const Layer wards =
        load_layer(LayerAddress::parse(test::uk_data_path("ward_2025_bgc.gpkg@WD25CD")), ReadOptions{}, problems);
    require_touching_units_differ(wards, categorical_colours(wards), 1.0);
}

TEST_CASE("categorical_colours refuses a point layer and gives none for an empty layer", "[render]") {
    Layer points;
    points.name = "points";
    points.kind = LayerKind::point;
    points.features.resize(2);
    CHECK_THROWS_AS(categorical_colours(points), invalid_input);
    Layer empty;
    empty.name = "empty";
    CHECK(categorical_colours(empty).empty());
}

TEST_CASE("shared_categorical_colours: a name keeps its colour in every layer, and units touching in any layer differ",
          "[render]") {
    // Two drawings of one strip: A | B | C, and A | C with B's land shared out.
    Layer three = hand_layer("three", {{"A", box_wkt(0, 0, 100, 100)},
                                       {"B", box_wkt(100, 0, 200, 100)},
                                       {"C", box_wkt(200, 0, 300, 100)}});
    Layer two = hand_layer("two", {{"C", box_wkt(150, 0, 300, 100)}, {"A", box_wkt(0, 0, 150, 100)}});
    const std::vector<std::vector<std::string>> colours = shared_categorical_colours({&three, &two});
    REQUIRE(colours.size() == 2);
    REQUIRE(colours[0].size() == 3);
    REQUIRE(colours[1].size() == 2);
    const std::string &a = colours[0][0], &b = colours[0][1], &c = colours[0][2];
    CHECK(colours[1][1] == a);  // A in the second drawing
    CHECK(colours[1][0] == c);  // C in the second drawing
    CHECK(a != b);
    CHECK(b != c);
    CHECK(a != c);  // A and C touch only in the second drawing
    CHECK(shared_categorical_colours({&three, &two}) == colours);  // deterministic
    // A unit without a name goes by its code: the layers above have no names, so codes matched.
    three.features[0].name = "Alpha";
    two.features[1].name = "Alpha";
    CHECK(shared_categorical_colours({&three, &two})[1][1] == shared_categorical_colours({&three, &two})[0][0]);
}

TEST_CASE("choropleth_classes: quantile classes worked out by hand", "[render]") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    SECTION("1..10 in five classes: two values each") {
        const ChoroplethClasses classes = choropleth_classes({7, 1, 2, 3, 4, nan, 5, 6, 8, 9, 10}, 5);
        CHECK(classes.min == 1);
        CHECK(classes.upper == std::vector<double>{2, 4, 6, 8, 10});
        CHECK(classes.whole_numbers);
        CHECK(classes.class_of(1) == 0);
        CHECK(classes.class_of(2) == 0);  // a bound belongs to the class below it
        CHECK(classes.class_of(2.5) == 1);
        CHECK(classes.class_of(10) == 4);
        CHECK(classes.class_of(nan) == 5);  // no data
        REQUIRE(classes.colours.size() == 5);
        CHECK(std::set<std::string>(classes.colours.begin(), classes.colours.end()).size() == 5);
        CHECK(detail::class_labels(classes) ==
              std::vector<std::string>{"1 \u2013 2", "3 \u2013 4", "5 \u2013 6", "7 \u2013 8", "9 \u2013 10"});
    }
    SECTION("1..7 in five classes: rank ceil((i+1)·7/5)") {
        // ranks 2, 3, 5, 6, 7
        CHECK(choropleth_classes({1, 2, 3, 4, 5, 6, 7}, 5).upper == std::vector<double>{2, 3, 5, 6, 7});
    }
    SECTION("ties merge classes that would end at the same value") {
        const ChoroplethClasses classes = choropleth_classes({1, 1, 1, 1, 1, 1, 2, 3}, 3);
        CHECK(classes.upper == std::vector<double>{1, 3});
        CHECK(detail::class_labels(classes) == std::vector<std::string>{"1", "2 \u2013 3"});
    }
    SECTION("shares: labels with the decimals the class widths need") {
        const ChoroplethClasses classes = choropleth_classes({0.5, 0.62, 0.75, 0.875, 0.9, 1.0}, 3);
        CHECK(classes.upper == std::vector<double>{0.62, 0.875, 1.0});
        CHECK_FALSE(classes.whole_numbers);
        CHECK(detail::class_labels(classes) ==
              std::vector<std::string>{"0.50 \u2013 0.62", "0.62 \u2013 0.88", "0.88 \u2013 1.00"});
    }
    SECTION("large numbers get thousands separators") {
        const ChoroplethClasses classes = choropleth_classes({1200, 15000, 32844}, 2);
        CHECK(detail::class_labels(classes) == std::vector<std::string>{"1,200 \u2013 15,000", "15,001 \u2013 32,844"});
    }
    SECTION("the number of classes follows the count: 5 to 7") {
        std::vector<double> ten, hundred;
        for (int i = 0; i < 10; ++i) ten.push_back(i);
        for (int i = 0; i < 100; ++i) hundred.push_back(i * 0.5);
        CHECK(choropleth_classes(ten).upper.size() == 5);      // ceil(log2 10) + 1 = 5
        CHECK(choropleth_classes(hundred).upper.size() == 7);  // 8, at most 7
        CHECK(choropleth_classes({3, 3, 4}).upper.size() == 2);  // never more than the distinct values
    }
    SECTION("no finite value, or too many classes, is refused") {
        CHECK_THROWS_AS(choropleth_classes({nan, nan}), invalid_input);
        CHECK_THROWS_AS(choropleth_classes({}), invalid_input);
        CHECK_THROWS_AS(choropleth_classes({1, 2, 3}, 11), invalid_input);
    }
}

TEST_CASE("choropleth classes: equal, natural and fixed breaks, and the dark end", "[render][colours]") {
    const std::vector<double> values{1, 2, 3, 10, 11, 12, 30, 31, 32};
    SECTION("equal: three classes of width (32 - 1) / 3") {
        ClassingOptions options;
        options.breaks = ClassBreaks::equal;
        options.classes = 3;
        const ChoroplethClasses classes = choropleth_classes(values, options);
        REQUIRE(classes.upper.size() == 3);
        CHECK(classes.upper[0] == Approx(1 + 31.0 / 3));
        CHECK(classes.upper[1] == Approx(1 + 62.0 / 3));
        CHECK(classes.upper[2] == 32);
    }
    SECTION("natural: the three clusters a person sees") {
        ClassingOptions options;
        options.breaks = ClassBreaks::natural;
        options.classes = 3;
        CHECK(choropleth_classes(values, options).upper == std::vector<double>{3, 12, 32});
    }
    SECTION("fixed: the bounds as given, empty classes kept, the last taking the rest") {
        ClassingOptions options;
        options.breaks = ClassBreaks::fixed;
        options.bounds = {5, 20, 25};
        const ChoroplethClasses classes = choropleth_classes(values, options);
        CHECK(classes.upper == std::vector<double>{5, 20, 25, 32});
        CHECK(classes.class_of(3) == 0);
        CHECK(classes.class_of(12) == 1);
        CHECK(classes.class_of(30) == 3);  // nothing in (20, 25]: that class stays, empty
        options.bounds = {5, 5};
        CHECK_THROWS_AS(choropleth_classes(values, options), invalid_input);
        options.bounds.clear();
        CHECK_THROWS_AS(choropleth_classes(values, options), invalid_input);
    }
    SECTION("deciles: ten fixed classes, 1 (the most deprived tenth) darkest") {
        const ClassingOptions options = ClassingOptions::for_measure("IMD_decile");
        CHECK(options.dark == DarkEnd::low);
        const ChoroplethClasses classes = choropleth_classes({3, 4, 9, 10}, options);
        REQUIRE(classes.upper.size() == 10);
        REQUIRE(classes.colours.size() == 10);
        CHECK(classes.class_of(1) == 0);
        CHECK(classes.class_of(10) == 9);
        CHECK(classes.colours.front() == "#662506");  // the darkest step of the ramp
        CHECK(classes.colours.back() == "#FFFFE5");   // the lightest
        CHECK(detail::class_labels(classes).front() == "1");
    }
    SECTION("ranks are darkest at 1; other measures at their top") {
        CHECK(measure_dark_end("IMD_rank") == DarkEnd::low);
        CHECK(measure_dark_end("Income_rank") == DarkEnd::low);
        CHECK(measure_dark_end("IMD_score") == DarkEnd::high);
        CHECK(measure_dark_end("total_population") == DarkEnd::high);
        ClassingOptions options;
        options.classes = 3;
        const ChoroplethClasses high = choropleth_classes(values, options);
        options.dark = DarkEnd::low;
        const ChoroplethClasses low = choropleth_classes(values, options);
        CHECK(low.upper == high.upper);
        CHECK(low.colours == std::vector<std::string>(high.colours.rbegin(), high.colours.rend()));
    }
    SECTION("names of the options") {
        CHECK(class_breaks_from_string("natural") == ClassBreaks::natural);
        CHECK_THROWS_AS(class_breaks_from_string("jenks"), invalid_input);
        CHECK(dark_end_from_string("low") == DarkEnd::low);
        CHECK_THROWS_AS(dark_end_from_string("dark"), invalid_input);
    }
}
