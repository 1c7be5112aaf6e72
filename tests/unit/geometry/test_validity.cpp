#include "placedef/geometry.hpp"
#include "placedef/io.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <string>

using namespace placedef;

namespace {
Validity validity_of(const char* wkt) { return check_validity(multipolygon_from_wkt(wkt)); }

/// check_validity gives `reason` (its text holding `text`), and check_layer
/// (repair policy) skips the shape as collapsed, reporting it once.
void check_skipped_as_collapsed(const MultiPolygon& shape, ValidityReason reason, const std::string& text) {
    const Validity validity = check_validity(shape);
    CHECK(validity.reason == reason);
    CHECK(validity.describe().find(text) != std::string::npos);
    Layer layer;
    layer.name = "tiny";
    layer.code_column = "CODE";
    layer.features.push_back(Feature{});
    layer.features.back().fid = 1;
    layer.features.back().code = "T1";
    layer.features.back().shape = shape;
    ProblemSink problems;
    check_layer(layer, InvalidPolicy::repair, problems, 1);
    CHECK(layer.size() == 0);
    CHECK(problems.count(ProblemKind::collapsed_geometry) == 1);
}

}  // namespace

TEST_CASE("validity gives a reason", "[geometry][validity]") {
    CHECK(validity_of("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))").ok());
    CHECK(validity_of("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 4 2, 4 4, 2 4, 2 2))").ok());

    const Validity bowtie = validity_of("POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))");
    CHECK(bowtie.reason == ValidityReason::self_intersection);
    CHECK(bowtie.has_location);
    CHECK(bowtie.location.x == Approx(5));
    CHECK(bowtie.describe().find("self-intersection at (5") != std::string::npos);

    CHECK(validity_of("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (20 20, 22 20, 22 22, 20 22, 20 20))").reason ==
          ValidityReason::hole_outside_shell);
    CHECK(validity_of("MULTIPOLYGON (((0 0, 10 0, 10 10, 0 10, 0 0)), ((5 5, 15 5, 15 15, 5 15, 5 5)))").reason ==
          ValidityReason::self_intersection);
    // A ring that touches itself at a vertex (an inverted hole written as one ring).
    CHECK(validity_of("POLYGON ((0 0, 10 0, 10 10, 5 0, 0 10, 0 0))").reason != ValidityReason::valid);
    // A spike: the boundary runs out and back along the same line.
    CHECK_FALSE(validity_of("POLYGON ((0 0, 10 0, 10 10, 10 20, 10 10, 0 10, 0 0))").ok());
}

TEST_CASE("degenerate and non-finite rings", "[geometry][validity]") {
    MultiPolygon flat{{Polygon{{{0, 0}, {1, 1}, {2, 2}}, {}}}};
    CHECK_FALSE(check_validity(flat).ok());
    MultiPolygon two{{Polygon{{{0, 0}, {1, 1}}, {}}}};
    CHECK(check_validity(two).reason == ValidityReason::too_few_points);
    MultiPolygon nan{{Polygon{{{0, 0}, {NAN, 1}, {2, 0}}, {}}}};
    CHECK(check_validity(nan).reason == ValidityReason::non_finite_coordinate);
    CHECK(check_validity(MultiPolygon{}).reason == ValidityReason::empty);
}

TEST_CASE("coordinates nearer 0 than min_coordinate are out of range, and skipped", "[geometry][validity]") {
    // Found by fuzzing: products of such coordinates underflow, so the exact
    // orientation test (and GEOS's area) cannot be trusted on them. A ring of
    // subnormals has, besides, an area that underflows to 0.
    const MultiPolygon subnormal{
        {Polygon{{{0, 0}, {0, 8.1126e-320}, {3e-323, 6.452714189670884e-307}, {5.43230922867e-312, 6.324e-321}}, {}}}};
    REQUIRE(area(subnormal) == 0.0);
    check_skipped_as_collapsed(subnormal, ValidityReason::coordinate_out_of_range, "nearer 0 than 1e-100");

    // One such vertex is enough, and exactly 0 or min_coordinate is fine.
    const auto square_with = [](double tiny) {
        return MultiPolygon{{Polygon{{{tiny, 0}, {10, 0}, {10, 10}, {0, 10}}, {}}}};
    };
    CHECK(check_validity(square_with(1e-200)).reason == ValidityReason::coordinate_out_of_range);
    CHECK(check_validity(square_with(-1e-101)).reason == ValidityReason::coordinate_out_of_range);
    CHECK(check_validity(square_with(0.0)).ok());
    CHECK(check_validity(square_with(min_coordinate)).ok());
}

TEST_CASE("a sliver whose area rounds to 0 is skipped as collapsed", "[geometry][validity]") {
    // Twice its area is a*d - b*c = (1+2^-52)^2 - (1+2^-51) = 2^-104 exactly,
    // so GEOS finds it valid, but both products round to 1+2^-51.
    const double a = 1 + 0x1p-52, b = 1 + 0x1p-51, c = 1, d = 1 + 0x1p-52;
    const MultiPolygon sliver{{Polygon{{{0, 0}, {a, b}, {c, d}}, {}}}};
    REQUIRE(area(sliver) == 0.0);
    check_skipped_as_collapsed(sliver, ValidityReason::zero_area, "a shell with no area");
}

TEST_CASE("the fast single-ring check agrees with GEOS", "[geometry][validity]") {
    // Rings the sweep accepts must be valid for GEOS too; these are valid and
    // go through the fast path.
    for (const char* wkt : {"POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))",
                            "POLYGON ((0 0, 10 0, 10 10, 8 10, 8 2, 2 2, 2 10, 0 10, 0 0))",
                            "POLYGON ((0 0, 5 0, 10 0, 10 10, 0 0))"}) {
        INFO(wkt);
        CHECK(validity_of(wkt).ok());
    }
}

TEST_CASE("make_valid repairs a bow-tie into two triangles", "[geometry][validity]") {
    const MultiPolygon bowtie = multipolygon_from_wkt("POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))");
    const MultiPolygon repaired = make_valid(bowtie);
    CHECK(check_validity(repaired).ok());
    CHECK(repaired.polygons.size() == 2);
    CHECK(area(repaired) == Approx(50));
}

TEST_CASE("check_layer applies the invalid policy and reports every case", "[geometry][validity]") {
    auto make_layer = [] {
        Layer layer;
        layer.name = "hand";
        layer.source = "hand.gpkg";
        layer.code_column = "CODE";
        auto add = [&](std::int64_t fid, const char* code, const char* wkt) {
            Feature feature;
            feature.fid = fid;
            feature.code = code;
            feature.shape = multipolygon_from_wkt(wkt);
            layer.features.push_back(feature);
        };
        add(1, "A", "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))");
        add(2, "B", "POLYGON ((20 0, 30 10, 30 0, 20 10, 20 0))");  // bow-tie
        add(3, "C", "POLYGON ((40 0, 50 0, 50 10, 40 10, 40 0))");
        add(4, "A", "POLYGON ((10 0, 15 0, 15 10, 10 10, 10 0))");  // duplicate code
        return layer;
    };

    SECTION("repair") {
        Layer layer = make_layer();
        ProblemSink problems;
        check_layer(layer, InvalidPolicy::repair, problems, 2);
        REQUIRE(layer.size() == 3);
        CHECK(problems.count(ProblemKind::invalid_geometry) == 1);
        CHECK(problems.count(ProblemKind::duplicate_code) == 1);
        CHECK(area(layer.features[0].shape) == Approx(150));  // A merged with its second row
        CHECK(area(layer.features[1].shape) == Approx(50));   // B repaired
        const Problem& invalid = problems.problems()[0];
        CHECK(invalid.action == ProblemAction::repaired);
        CHECK(invalid.where.fid == 2);
        CHECK(invalid.where.code == "B");
        CHECK(invalid.describe().find("hand.gpkg") != std::string::npos);
    }
    SECTION("skip") {
        Layer layer = make_layer();
        ProblemSink problems;
        check_layer(layer, InvalidPolicy::skip, problems, 1);
        CHECK(layer.size() == 2);
        CHECK(problems.count() == 2);
        CHECK(area(layer.features[0].shape) == Approx(100));
    }
    SECTION("fail") {
        Layer layer = make_layer();
        ProblemSink problems;
        try {
            check_layer(layer, InvalidPolicy::fail, problems, 1);
            FAIL("expected invalid_input");
        } catch (const invalid_input& e) {
            const std::string message = e.what();
            CHECK(message.find("hand.gpkg") != std::string::npos);
            CHECK(message.find("hand") != std::string::npos);
            CHECK(message.find("feature 2") != std::string::npos);
            CHECK(message.find("self-intersection") != std::string::npos);
        }
    }
}

namespace {
/// check_layer on a one-feature layer (fid 7, code D7) under `policy`.
Layer checked_alone(const MultiPolygon& shape, InvalidPolicy policy, ProblemSink& problems) {
    Layer layer;
    layer.name = "rings";
    layer.source = "rings.gpkg";
    layer.code_column = "CODE";
    layer.geometry_column = "geom";
    layer.features.push_back(Feature{});
    layer.features.back().fid = 7;
    layer.features.back().code = "D7";
    layer.features.back().shape = shape;
    check_layer(layer, policy, problems, 1);
    return layer;
}

const Ring km_square(double x0 = 0) { return {{x0, 0}, {x0 + 1000, 0}, {x0 + 1000, 1000}, {x0, 1000}, {x0, 0}}; }
}  // namespace

TEST_CASE("a degenerate hole or part is dropped alone, and its unit kept", "[geometry][validity]") {
    // Every way a ring can be unbuildable: repeated points only, fewer than 4
    // points, too few distinct points, all on one line.
    const std::vector<std::pair<Ring, std::string>> degenerate{
        {{{500, 500}, {500, 500}, {500, 500}, {500, 500}}, "only 1 distinct point"},
        {{{500, 500}, {600, 600}}, "only 2 distinct points"},
        {{{500, 500}, {600, 600}, {500, 500}}, "only 2 distinct points"},
        {{{500, 500}, {600, 600}, {600, 600}, {500, 500}, {500, 500}}, "only 2 distinct points"},
        {{{200, 200}, {400, 400}, {600, 600}, {200, 200}}, "all its points lie on one line"},
        {{{200, 200}, {400, 400}, {300, 300}, {600, 600}}, "all its points lie on one line"},
    };
    for (const auto& [ring, why] : degenerate) {
        INFO(why);
        SECTION("as a hole: " + why + " " + std::to_string(ring.size())) {
            ProblemSink problems;
            const Layer layer = checked_alone(MultiPolygon{{Polygon{km_square(), {ring}}}}, InvalidPolicy::repair, problems);
            REQUIRE(layer.size() == 1);
            CHECK(area(layer.features[0].shape) == 1e6);
            CHECK(layer.features[0].shape.polygons[0].holes.empty());
            REQUIRE(problems.count() == 1);
            const Problem& problem = problems.problems()[0];
            CHECK(problem.kind == ProblemKind::degenerate_ring);
            CHECK(problem.action == ProblemAction::repaired);
            CHECK(problem.where.fid == 7);
            CHECK(problem.where.code == "D7");
            const std::string text = problem.describe();
            CHECK(text.find("rings.gpkg") != std::string::npos);
            CHECK(text.find("hole 1: " + why) != std::string::npos);
            CHECK(text.find("0 m² lost") != std::string::npos);
        }
        SECTION("as a part: " + why + " " + std::to_string(ring.size())) {
            ProblemSink problems;
            const Layer layer = checked_alone(MultiPolygon{{Polygon{km_square(), {}}, Polygon{ring, {}}}},
                                              InvalidPolicy::repair, problems);
            REQUIRE(layer.size() == 1);
            CHECK(area(layer.features[0].shape) == 1e6);
            REQUIRE(problems.count(ProblemKind::degenerate_ring) == 1);
            CHECK(problems.problems()[0].detail.find("part 2 of 2, the shell: " + why) != std::string::npos);
        }
    }
    SECTION("a flat shell goes with its hole; other parts and their holes stay") {
        const Ring hole{{100, 100}, {100, 200}, {200, 200}, {200, 100}};
        const MultiPolygon shape{{Polygon{km_square(), {hole}}, Polygon{{{2000, 0}, {3000, 0}, {2500, 0}}, {hole}}}};
        ProblemSink problems;
        const Layer layer = checked_alone(shape, InvalidPolicy::repair, problems);
        REQUIRE(layer.size() == 1);
        CHECK(area(layer.features[0].shape) == 1e6 - 1e4);
        REQUIRE(problems.count(ProblemKind::degenerate_ring) == 1);
        CHECK(problems.problems()[0].detail.find("part 2 of 2, the shell: all its points lie on one line; dropped "
                                                 "with its 1 hole(s)") != std::string::npos);
    }
    SECTION("a part whose area rounds to 0 goes, the rest stays") {
        const double a = 1 + 0x1p-52, b = 1 + 0x1p-51, c = 1, d = 1 + 0x1p-52;
        const MultiPolygon shape{{Polygon{km_square(10), {}}, Polygon{{{0, 0}, {a, b}, {c, d}}, {}}}};
        ProblemSink problems;
        const Layer layer = checked_alone(shape, InvalidPolicy::repair, problems);
        REQUIRE(layer.size() == 1);
        CHECK(area(layer.features[0].shape) == 1e6);
        REQUIRE(problems.count(ProblemKind::degenerate_ring) == 1);
        CHECK(problems.problems()[0].detail.find("its area rounds to 0") != std::string::npos);
    }
    SECTION("a degenerate hole in a shell that also needs repair: both are reported") {
        const MultiPolygon shape{{Polygon{{{0, 0}, {1000, 1000}, {1000, 0}, {0, 1000}}, {{{700, 400}, {700, 400}}}}}};
        ProblemSink problems;
        const Layer layer = checked_alone(shape, InvalidPolicy::repair, problems);
        REQUIRE(layer.size() == 1);
        CHECK(area(layer.features[0].shape) == Approx(5e5));
        CHECK(problems.count(ProblemKind::degenerate_ring) == 1);
        CHECK(problems.count(ProblemKind::invalid_geometry) == 1);
    }
    SECTION("with nothing left, the feature is collapsed, naming each ring") {
        const MultiPolygon shape{{Polygon{{{0, 0}, {0, 0}}, {}}, Polygon{{{1, 1}, {2, 2}, {3, 3}}, {}}}};
        ProblemSink problems;
        CHECK(checked_alone(shape, InvalidPolicy::repair, problems).size() == 0);
        REQUIRE(problems.count() == 1);
        CHECK(problems.problems()[0].kind == ProblemKind::collapsed_geometry);
        CHECK(problems.problems()[0].detail.find("part 1 of 2, the shell: only 1 distinct point") != std::string::npos);
        CHECK(problems.problems()[0].detail.find("part 2 of 2, the shell: all its points") != std::string::npos);
    }
    SECTION("skip and fail name the degenerate ring") {
        const MultiPolygon shape{{Polygon{km_square(), {{{5, 5}, {5, 5}, {5, 5}}}}}};
        ProblemSink skipped;
        CHECK(checked_alone(shape, InvalidPolicy::skip, skipped).size() == 0);
        REQUIRE(skipped.count() == 1);
        CHECK(skipped.problems()[0].kind == ProblemKind::degenerate_ring);
        CHECK(skipped.problems()[0].action == ProblemAction::skipped);
        ProblemSink failed;
        CHECK_THROWS_WITH(checked_alone(shape, InvalidPolicy::fail, failed),
                          Catch::Contains("feature 7") && Catch::Contains("degenerate ring, hole 1"));
    }
    SECTION("a bow tie is not degenerate: it is repaired, not dropped") {
        MultiPolygon bowtie{{Polygon{{{0, 0}, {10, 10}, {10, 0}, {0, 10}}, {}}}};
        CHECK(drop_degenerate_rings(bowtie).empty());
        CHECK(bowtie.polygons.size() == 1);
    }
}
