// Best-fit lookups against the lookups ONS publishes, on the full Surrey data
// (../shared/data/uk): the C++ side of bench/ons_agreement.py, which prints the
// same figures as a table. A child is compared when ONS lists it and one of the
// parents ONS gives it is in our parent layer (vintages differ); where ONS lists
// several parents for a child (overlapping LEPs, a ward split between county
// divisions) any of them counts as agreement.
//
// Floors are the measured figures rounded down to 0.05 %, never below the
// issue's targets: 100 % on the nesting cases with every method, at most 29
// disagreements from LSOA 2011 to ward 2019 by area (the 97.75 % of all
// 1292 LSOAs; 4 of them have an ONS ward outside our layer), 95.2 % from LSOA
// 2021 to ward 2024 by area. Every ward-case disagreement is a child split
// between wards where ONS (population-weighted centroids) chose another part.
//
// One test case per family of cases, and layers cached per process, so that the
// file runs in a few seconds.
#include "support.hpp"

#include "placedef/geometry.hpp"
#include "placedef/io.hpp"
#include "placedef/overlay.hpp"
#include "placedef/scoring.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

using namespace placedef;
using namespace placedef::test;

namespace {

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

/// A layer of the UK data set ("file.gpkg@CODE"), loaded once per process.
const Layer& uk_layer(const std::string& argument) {
    static std::map<std::string, std::unique_ptr<Layer>> cache;
    auto& slot = cache[argument];
    if (!slot) {
        ProblemSink problems;
        slot = std::make_unique<Layer>(load_layer(LayerAddress::parse(uk_data_path(argument)), ReadOptions{}, problems));
    }
    return *slot;
}

/// Mid-2020 population on the LSOA 2011 units: the population of every case.
const PopulationSource& lsoa11_population() {
    static std::unique_ptr<PopulationSource> source;
    if (!source) {
        const Layer& units = uk_layer("lsoa_2011_bgc.gpkg@LSOA11CD");
        const Table table = read_table(uk_data_path("population_mid2020_lsoa11_syoa.csv"), "lsoa11_code");
        ProblemSink problems;
        std::vector<double> population = join_numeric(units, table, "total_population", problems);
        REQUIRE(problems.count() == 0);  // every LSOA has a population
        source = std::make_unique<PopulationSource>(PopulationSource{&units, std::move(population)});
    }
    return *source;
}

struct Floor {
    BestFitMethod method;
    double agree_percent;             ///< agreement floor over the children compared
    long max_disagreements = -1;      ///< -1: no count target
};

struct OnsCase {
    std::string title;
    std::string child;   ///< layer argument in the data folder
    std::string parent;
    std::string lookup;  ///< file in lookups/
    std::string key;     ///< a unique column of the lookup (read_table's key)
    std::string child_column;
    std::vector<std::string> parent_columns;
    std::size_t compared;  ///< children compared (a fact of the data)
    std::vector<Floor> floors;
    double non_ambiguous_floor = -1;  ///< -1: not asserted
};

/// ONS lookup: child code -> every parent code it lists.
std::map<std::string, std::set<std::string>> read_ons(const OnsCase& c) {
    const Table table = read_table(uk_data_path("lookups/" + c.lookup), c.key);
    const auto child_column = table.column_index(c.child_column);
    REQUIRE(child_column);
    std::vector<std::size_t> parent_columns;
    for (const std::string& name : c.parent_columns) {
        const auto column = table.column_index(name);
        REQUIRE(column);
        parent_columns.push_back(*column);
    }
    std::map<std::string, std::set<std::string>> parents;
    for (const auto& row : table.rows) {
        const std::string child = trimmed(row[*child_column]);
        if (child.empty()) continue;
        auto& listed = parents[child];
        for (std::size_t column : parent_columns)
            if (std::string parent = trimmed(row[column]); !parent.empty()) listed.insert(parent);
    }
    return parents;
}

struct Agreement {
    std::size_t compared = 0, disagree = 0;
    std::size_t non_ambiguous = 0, non_ambiguous_disagree = 0;
    double percent() const { return compared ? 100.0 * double(compared - disagree) / double(compared) : 0.0; }
    double non_ambiguous_percent() const {
        return non_ambiguous ? 100.0 * double(non_ambiguous - non_ambiguous_disagree) / double(non_ambiguous) : 0.0;
    }
};

void check_case(const OnsCase& c) {
    INFO(c.title);
    const Layer& child = uk_layer(c.child);
    const Layer& parent = uk_layer(c.parent);
    const auto ons = read_ons(c);

    OverlayOptions options;
    options.population = &lsoa11_population();
    const IntersectionTable table = overlay(child, parent, options);
    REQUIRE(table.has_population);
    std::vector<Coord> points;
    for (const Feature& feature : child.features) points.push_back(point_on_surface(feature.shape));
    const std::vector<long> containing = containing_units(points, parent);

    for (const Floor& floor : c.floors) {
        INFO("method " << to_string(floor.method));
        BestFitOptions fit_options;
        fit_options.method = floor.method;
        const std::vector<BestFitRow> rows = best_fit(table, fit_options, containing);

        // Every child exactly once, and nothing else.
        std::map<std::string, std::size_t> seen;
        for (const BestFitRow& row : rows) ++seen[row.child];
        CHECK(rows.size() == child.size());
        CHECK(seen.size() == child.size());
        for (const Feature& feature : child.features) {
            INFO("child " << feature.code);
            CHECK(seen[feature.code] == 1);
        }

        Agreement agreement;
        for (const BestFitRow& row : rows) {
            CHECK(row.method == floor.method);  // every child has population; no fallback to area
            const auto listed = ons.find(row.child);
            if (listed == ons.end()) continue;
            bool parent_in_layer = false;
            for (const std::string& code : listed->second) parent_in_layer |= parent.find(code).has_value();
            if (!parent_in_layer) continue;
            const bool agrees = listed->second.count(row.parent) > 0;
            ++agreement.compared;
            agreement.disagree += !agrees;
            if (!row.ambiguous) {
                ++agreement.non_ambiguous;
                agreement.non_ambiguous_disagree += !agrees;
            }
        }
        INFO(agreement.compared << " compared, " << agreement.disagree << " disagree (" << agreement.percent()
                                << " %); not ambiguous: " << agreement.non_ambiguous << ", "
                                << agreement.non_ambiguous_disagree << " disagree");
        CHECK(agreement.compared == c.compared);
        if (floor.agree_percent >= 100.0)
            CHECK(agreement.disagree == 0);
        else
            CHECK(agreement.percent() >= floor.agree_percent);
        if (floor.max_disagreements >= 0) CHECK(agreement.disagree <= std::size_t(floor.max_disagreements));
        if (c.non_ambiguous_floor >= 0) CHECK(agreement.non_ambiguous_percent() >= c.non_ambiguous_floor);
    }
}

constexpr BestFitMethod by_area = BestFitMethod::area;
constexpr BestFitMethod by_centroid = BestFitMethod::centroid;
constexpr BestFitMethod by_population = BestFitMethod::population;

/// Nesting cases: 100 % with every method.
OnsCase nesting(const std::string& title, const std::string& parent, const std::string& lookup, const std::string& key,
                const std::string& child_column, const std::vector<std::string>& parent_columns) {
    return {title, "lsoa_2011_bgc.gpkg@LSOA11CD", parent, lookup, key, child_column, parent_columns, 1292,
            {{by_area, 100.0}, {by_centroid, 100.0}, {by_population, 100.0}}};
}

}  // namespace

TEST_CASE("ONS lookups: LSOA 2011 to ward 2019 best fits agree with ONS", "[integration][uk][bestfit]") {
    PDEF_REQUIRE_UK_DATA();
    // Measured: 29 disagreements of 1288 (97.748 %) by area and by population
    // (the population layer is the child itself), 25 (98.06 %) by centroid;
    // not ambiguous: 1157 rows, 99.91 % agree.
    check_case({"LSOA 2011 -> ward 2019", "lsoa_2011_bgc.gpkg@LSOA11CD", "ward_2019_bgc.gpkg@WD19CD",
                "lsoa11_ward19_lad19.csv", "LSOA11CD", "LSOA11CD", {"WD19CD"}, 1288,
                {{by_area, 97.70, 29}, {by_centroid, 98.05}, {by_population, 97.70, 29}}, 99.5});
}

TEST_CASE("ONS lookups: LSOA 2021 to ward 2024 best fits agree with ONS", "[integration][uk][bestfit]") {
    PDEF_REQUIRE_UK_DATA();
    // Measured: 62 disagreements of 1302 (95.24 %) by area and by population
    // (LSOA 2011 population apportioned by area), 64 (95.08 %) by centroid;
    // not ambiguous: 1048 rows (1049 by population), 99.62 % agree.
    check_case({"LSOA 2021 -> ward 2024", "lsoa_2021_bgc.gpkg@LSOA21CD", "ward_2025_bgc.gpkg@WD25CD",
                "lsoa21_ward24_lad24.csv", "lsoa21_code", "lsoa21_code", {"ward24_code"}, 1302,
                {{by_area, 95.20}, {by_centroid, 95.05}, {by_population, 95.20}}, 99.5});
}

TEST_CASE("ONS lookups: LSOA 2011 best fits in nesting geographies agree with ONS", "[integration][uk][bestfit]") {
    PDEF_REQUIRE_UK_DATA();
    const std::string nhs21 = "lsoa11_ccg21_stp21_lad21.csv", nhs22 = "lsoa11_sicbl22_icb22_lad22.csv";
    const std::vector<OnsCase> cases = {
        nesting("LSOA 2011 -> LEP 2017", "lep_2017_bgc.gpkg@LEP17CD", "lsoa11_lep17.csv", "LSOA11CD", "LSOA11CD",
                {"LEP17CD1", "LEP17CD2"}),
        nesting("LSOA 2011 -> TTWA 2011", "ttwa_2011_bgc.gpkg@TTWA11CD", "lsoa11_ttwa11.csv", "LSOA11CD", "LSOA11CD",
                {"TTWA11CD"}),
        nesting("LSOA 2011 -> CCG 2021", "ccg_2021_bgc.gpkg@CCG21CD", nhs21, "lsoa11_code", "lsoa11_code",
                {"ccg21_code"}),
        nesting("LSOA 2011 -> STP 2021", "stp_2021_bgc.gpkg@STP21CD", nhs21, "lsoa11_code", "lsoa11_code",
                {"stp21_code"}),
        nesting("LSOA 2011 -> LAD 2021", "lad_2021_bgc.gpkg@LAD21CD", nhs21, "lsoa11_code", "lsoa11_code",
                {"ltla21_code"}),
        nesting("LSOA 2011 -> SICBL 2022", "sicbl_2022_bgc.gpkg@SICBL22CD", nhs22, "lsoa11_code", "lsoa11_code",
                {"sicbl22_code"}),
        nesting("LSOA 2011 -> ICB 2022", "icb_2022_bgc.gpkg@ICB22CD", nhs22, "lsoa11_code", "lsoa11_code",
                {"icb22_code"}),
    };
    for (const OnsCase& c : cases) check_case(c);
}

TEST_CASE("ONS lookups: ward 2019 to county division 2023 best fits agree with ONS", "[integration][uk][bestfit]") {
    PDEF_REQUIRE_UK_DATA();
    // No target in the issue. WD19CD repeats in the ONS file (one row per
    // division a ward is split between), so the table is keyed on FID.
    // Measured: 239 compared; 100 % by area and population, 238 (99.58 %) by
    // centroid (one ward's point on surface lies outside every division).
    check_case({"ward 2019 -> county division 2023", "ward_2019_bgc.gpkg@WD19CD", "ced_2023_bgc.gpkg@CED23CD",
                "ward19_lad19_cty19_ced19.csv", "FID", "WD19CD", {"CED19CD"}, 239,
                {{by_area, 100.0}, {by_centroid, 99.55}, {by_population, 100.0}}});
}

TEST_CASE("full data: Croydon lies wholly in two LEP 2017 areas, which overlap; both are named",
          "[integration][uk][bestfit]") {
    PDEF_REQUIRE_UK_DATA();
    const IntersectionTable table = overlay(uk_layer("lad_2021_bgc.gpkg@LAD21CD"), uk_layer("lep_2017_bgc.gpkg@LEP17CD"));
    const std::vector<BestFitRow> rows = best_fit(table, BestFitOptions{});
    std::size_t flagged = 0;
    for (const BestFitRow& row : rows) {
        if (row.note.find("the parents overlap here") == std::string::npos) continue;
        ++flagged;
        CHECK(row.child == "E09000008");  // Croydon
        CHECK(row.ambiguous);
        CHECK_THAT(row.note, Catch::Contains("also in E37000004"));  // Coast to Capital, beside London chosen
    }
    CHECK(flagged == 1);
    const AlignmentReport report = score(table, ScoringOptions{});
    CHECK(report.a_in_b.in_overlapping == 1);
    CHECK(report.a_in_b.overlapping_example == "E09000008 in E37000023 and E37000004");
}
