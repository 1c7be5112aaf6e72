// The partner matrix on hand-drawn layers.
#include "hand_layers.hpp"

#include "placedef/error.hpp"
#include "placedef/pipeline.hpp"
#include "placedef/scoring.hpp"

#include <catch2/catch.hpp>

using namespace placedef;
using placedef::test::box_wkt;
using placedef::test::hand_layer;

TEST_CASE("matrix: diagonal 1, nesting one way, determinism", "[scoring][matrix]") {
    const Layer grid = test::grid_2x2(), halves = test::halves();
    const Layer bands = hand_layer("bands", {{"S", box_wkt(0, 0, 2000, 700)}, {"N", box_wkt(0, 700, 2000, 2000)}});
    MatrixOptions options;
    options.threads = 2;
    const Matrix matrix = coterminosity_matrix({&grid, &halves, &bands}, options);
    REQUIRE(matrix.layers == std::vector<std::string>{"grid", "halves", "bands"});
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(matrix.scores[i][i].coterminosity_index == Approx(1.0));
        CHECK(matrix.scores[i][i].nesting_rate == Approx(1.0));
        CHECK(matrix.scores[i][i].boundary_alignment == Approx(1.0));
    }
    CHECK(matrix.scores[0][1].nesting_rate == Approx(1.0));          // grid cells nest in halves
    CHECK(matrix.scores[1][0].coterminosity_index == Approx(0.5));   // halves are built from two cells
    CHECK(matrix.scores[1][0].count(Relation::built_from) == 2);
    // Grid against bands: the south cells are 70/30, the north ones nested.
    CHECK(matrix.scores[0][2].coterminosity_index == Approx((0.7 + 0.7 + 1 + 1) / 4));
    CHECK(matrix.scores[0][2].nesting_rate == Approx(0.5));

    MatrixOptions one_thread = options;
    one_thread.threads = 1;
    const Matrix again = coterminosity_matrix({&grid, &halves, &bands}, one_thread);
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 3; ++j) {
            CHECK(again.scores[i][j].coterminosity_index == matrix.scores[i][j].coterminosity_index);
            CHECK(again.scores[i][j].boundary_alignment == matrix.scores[i][j].boundary_alignment);
        }
    CHECK_THROWS_AS(coterminosity_matrix({}, options), invalid_input);
}
