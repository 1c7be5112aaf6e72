// The flows job: functional areas (travel-to-work areas) from a commuting
// table over a unit layer, and their tables, layers and map.
#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "placedef/pipeline.hpp"
#include "placedef/text.hpp"

#include "pipeline/outputs.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace placedef {
inline namespace pipeline {

std::string flows_membership_path(const std::string& csv_path) {
    const std::string stem = csv_path.size() > 4 ? csv_path.substr(0, csv_path.size() - 4) : csv_path;
    return stem + "_membership.csv";
}

std::vector<std::string> flows_written_paths(const std::string& path) {
    if (is_csv_path(path)) return {path, flows_membership_path(path)};
    return {path};
}

namespace {

using detail::Columns;

/// The column `name`, or the table's column at `position` when no name is given.
std::size_t column_of(const Table& table, const std::string& name, std::size_t position, const char* what) {
    if (name.empty()) {
        if (position >= table.columns.size())
            throw invalid_input("the flows table has " + std::to_string(table.columns.size()) +
                                    " columns; it needs the residence, the workplace and the count",
                                Location{table.source, {}, {}, {}, {}});
        return position;
    }
    if (const std::optional<std::size_t> index = table.column_index(name)) return *index;
    throw invalid_input(std::string("no ") + what + " column '" + name + "'", Location{table.source, {}, {}, {}, name});
}

/// The flows of the table between units of `units`, and between one of them
/// and a code that is none of them (a place beyond the units: counted in the
/// totals, reported); what cannot be used is a problem, skipped.
std::vector<Flow> read_flows(const FlowsRequest& request, const Layer& units, const RunSettings& settings,
                             ProblemSink& problems) {
    const Table table = read_table(request.table, request.residence_column, KeyRule::repeated);
    const std::size_t from_column = column_of(table, request.residence_column, 0, "residence");
    const std::size_t to_column = column_of(table, request.workplace_column, 1, "workplace");
    const std::size_t count_column = column_of(table, request.count_column, 2, "count");
    std::vector<Flow> flows;
    // A pair is a duplicate by its codes: the places beyond the units are told apart by theirs.
    std::map<std::string, std::uint32_t> outside_index;
    auto key_of = [&](const std::optional<std::size_t>& unit, const std::string& code) -> std::uint64_t {
        if (unit) return *unit;
        return units.size() + outside_index.emplace(code, static_cast<std::uint32_t>(outside_index.size())).first->second;
    };
    std::map<std::pair<std::uint64_t, std::uint64_t>, std::size_t> line_of_pair;
    for (std::size_t r = 0; r < table.size(); ++r) {
        const std::vector<std::string>& row = table.rows[r];
        const auto line = static_cast<std::int64_t>(table.lines[r]);
        auto report = [&](ProblemKind kind, ProblemAction action, std::size_t column, const std::string& detail) {
            problems.report({kind, action, Location{table.source, {}, line, row[from_column], table.columns[column]}, detail});
        };
        const std::optional<std::size_t> from = units.find(row[from_column]);
        const std::optional<std::size_t> to = units.find(row[to_column]);
        if (!from && !to) {
            report(ProblemKind::missing_key, ProblemAction::skipped, from_column,
                   "neither '" + row[from_column] + "' nor '" + row[to_column] + "' is a unit of " + units.label());
            continue;
        }
        const std::optional<double> people = parse_number(row[count_column]);
        if (!people || *people < 0) {
            report(ProblemKind::non_numeric_value, ProblemAction::skipped, count_column,
                   "'" + row[count_column] + "' is not a count of people" + (people ? " (negative)" : ""));
            continue;
        }
        if (const auto [first, added] =
                line_of_pair.emplace(std::make_pair(key_of(from, row[from_column]), key_of(to, row[to_column])), table.lines[r]);
            !added) {
            report(ProblemKind::duplicate_code, ProblemAction::skipped, to_column,
                   "the pair " + row[from_column] + " -> " + row[to_column] + " again (first on line " +
                       std::to_string(first->second) + "); the first is kept");
            continue;
        }
        if (!from || !to) {
            const std::size_t column = !from ? from_column : to_column;
            report(ProblemKind::missing_key, ProblemAction::kept, column,
                   "'" + row[column] + "' is not a unit of " + units.label() + ": its " + readable_number(*people) +
                       (!from ? " people count among the jobs of '" + row[to_column] + "', filled from outside the units"
                              : " people count among the residents in work of '" + row[from_column] +
                                    "', working outside the units"));
        }
        flows.push_back({from ? static_cast<std::uint32_t>(*from) : Flow::outside,
                         to ? static_cast<std::uint32_t>(*to) : Flow::outside, *people});
    }
    // Codes of another geography (or another column) match nothing, or little:
    // areas from what is left would look like an answer and be none.
    const std::string advice = " Do the table's codes name the units of " + units.label() + "? Their codes are in '" +
                               units.code_column + "', such as '" + (units.size() ? units.features.front().code : "") +
                               "'.";
    if (table.size() == 0)
        throw invalid_input("the flows table has a header and no rows", Location{table.source, {}, {}, {}, {}});
    const auto between_units =
        static_cast<std::size_t>(std::count_if(flows.begin(), flows.end(), [](const Flow& f) { return !f.crosses_edge(); }));
    if (between_units == 0)
        throw invalid_input("no row of the flows table could be used (" + std::to_string(table.size()) +
                                " rows): none is between two units." + advice,
                            Location{table.source, {}, {}, {}, {}});
    if (between_units * 2 < table.size() && settings.warning)
        settings.warning("only " + std::to_string(between_units) + " of the " + std::to_string(table.size()) +
                         " rows of the flows table " + table.source + " are between two units: " +
                         std::to_string(flows.size() - between_units) + " have one end beyond them (counted) and " +
                         std::to_string(table.size() - flows.size()) +
                         " are skipped, as in a table of a wider region." + advice);
    return flows;
}

/// An area per feature, named after the unit with the most jobs in it.
std::shared_ptr<Layer> areas_layer(const Layer& units, const FunctionalAreas& partition, const std::vector<Flow>& flows,
                                   double snap) {
    std::vector<double> jobs(units.size(), 0);
    for (const Flow& f : flows)
        if (f.to != Flow::outside) jobs[f.to] += f.people;
    auto layer = std::make_shared<Layer>();
    layer->name = "areas";
    layer->source = "areas";
    layer->crs = units.crs;
    layer->code_column = "area";
    layer->label_column = "name";
    layer->attribute_names = {"name"};
    for (const FunctionalArea& area : partition.areas) {
        const std::uint32_t main = *std::max_element(area.units.begin(), area.units.end(), [&](std::uint32_t a, std::uint32_t b) {
            return jobs[a] < jobs[b] || (jobs[a] == jobs[b] && a > b);
        });
        std::vector<MultiPolygon> shapes;
        for (const std::uint32_t u : area.units) shapes.push_back(units.features[u].shape);
        Feature feature;
        feature.fid = static_cast<std::int64_t>(layer->size()) + 1;
        feature.code = units.features[main].code;
        feature.name = units.features[main].name.empty() ? feature.code : units.features[main].name;
        feature.attributes = {feature.name};
        feature.shape = dissolve(shapes, snap);
        layer->features.push_back(std::move(feature));
    }
    return layer;
}

Records areas_sheet(const FlowsResult& result, const Columns& c) {
    Records sheet{{c.text("area"), c.text("name"), c.count("units"), c.people("residents_in_work"), c.people("jobs"),
                   c.people("living_and_working_in_it"), c.share("supply_containment"), c.share("demand_containment"),
                   c.real("validity"), c.text("valid"), c.count("units_from_reserve")},
                  {}};
    std::vector<std::size_t> from_reserve(result.partition.areas.size(), 0);
    for (const ReservedUnit& r : result.partition.reserve)
        if (r.area >= 0) ++from_reserve[static_cast<std::size_t>(r.area)];
    for (std::size_t a = 0; a < result.partition.areas.size(); ++a) {
        const FunctionalArea& area = result.partition.areas[a];
        const Feature& feature = result.areas->features[a];
        sheet.rows.push_back({feature.code, feature.name, Columns::count(area.units.size()), c.people(area.residents),
                              c.people(area.jobs), c.people(area.internal), c.share(area.supply_containment()),
                              c.share(area.demand_containment()), Columns::real(area.validity),
                              std::string(area.valid() ? "yes" : "no"), Columns::count(from_reserve[a])});
    }
    return sheet;
}

Records membership_sheet(const FlowsResult& result, const Columns& c) {
    Records sheet{{c.text("unit"), c.text("name"), c.text("area"), c.text("area_name"), c.text("placed")}, {}};
    std::vector<std::string> placed(result.units->size(), "by the rule");
    for (const ReservedUnit& r : result.partition.reserve) placed[r.unit] = "from the reserve";
    for (const std::uint32_t u : result.partition.without_flows) placed[u] = "without flows";
    for (std::size_t u = 0; u < result.units->size(); ++u) {
        const Feature& unit = result.units->features[u];
        const Feature& area = result.areas->features[static_cast<std::size_t>(result.partition.area_of[u])];
        sheet.rows.push_back({unit.code, unit.name, area.code, area.name, placed[u]});
    }
    return sheet;
}

/// Our areas against the partition of the same units in `path` (code, area).
PartitionAgreement agreement_with(const std::string& path, const FlowsResult& result, ProblemSink& problems) {
    const Table table = read_table(path);
    if (table.columns.size() < 2)
        throw invalid_input("the partition to agree with needs two columns, the unit code and its area",
                            Location{table.source, {}, {}, {}, {}});
    // A placedef membership table names its area column; another tool's lookup has it second.
    const std::size_t area_column = table.column_index("area").value_or(1);
    std::vector<std::int32_t> theirs(result.units->size(), -1);
    std::map<std::string, std::int32_t> label_of;
    for (std::size_t r = 0; r < table.size(); ++r) {
        const std::vector<std::string>& row = table.rows[r];
        const std::optional<std::size_t> unit = result.units->find(row[0]);
        if (!unit) {
            problems.report({ProblemKind::missing_key, ProblemAction::skipped,
                             Location{table.source, {}, static_cast<std::int64_t>(table.lines[r]), row[0], table.columns[0]},
                             "'" + row[0] + "' is not a unit of " + result.units->label()});
            continue;
        }
        if (row[area_column].empty()) continue;  // a unit the other partition leaves out
        theirs[*unit] = label_of.emplace(row[area_column], static_cast<std::int32_t>(label_of.size())).first->second;
    }
    return partition_agreement(result.partition.area_of, theirs);
}

}  // namespace

void write_functional_areas(const FlowsResult& result, const FlowsRequest& request, const std::string& path) {
    const Columns c(request.outputs.numbers);
    if (is_csv_path(path)) {
        write_records_csv(areas_sheet(result, c), path);
        write_records_csv(membership_sheet(result, c), flows_membership_path(path));
        return;
    }
    if (is_map_path(path)) {
        MapLayer areas;
        areas.layer = result.areas.get();
        areas.style = MapStyle::categorical;
        areas.label_attribute = "name";
        areas.legend_title = "Functional areas";
        MapLayer units;
        units.layer = result.units.get();
        units.style = MapStyle::outline;
        units.outline_colour = "#777777";
        units.line_width = 0.4;
        units.legend_title = result.units->name;
        MapOptions options;
        options.title = "Functional areas of " + result.units->name + " from " + std::to_string(result.flows) + " flows";
        options.date = drawing_date();
        render_map({areas, units}, options, path);
        return;
    }
    VectorWriter writer(path);
    const Records areas = areas_sheet(result, c);
    writer.begin_layer("areas", result.areas->crs, LayerKind::polygon, areas.fields);
    for (std::size_t a = 0; a < areas.rows.size(); ++a) writer.add(result.areas->features[a].shape, areas.rows[a]);
    writer.set_style("areas", qgis_categorical_qml(*result.areas, categorical_colours(*result.areas), "name"));
    write_records_table(writer, "membership", membership_sheet(result, c));
    writer.close();
}

FlowsResult run_flows(const FlowsRequest& request, const RunSettings& settings, ProblemSink& problems) {
    request.rules.check();
    if (request.table.empty()) throw invalid_input("functional areas need a flows table");
    std::vector<std::string> memberships;
    for (const std::string& path : request.outputs.paths)
        for (const std::string& written : flows_written_paths(path))
            if (written != path) memberships.push_back(written);
    std::vector<std::string> sources{detail::input_address(request.units), request.table};
    for (const LayerInput& input : request.score_against) sources.push_back(detail::input_address(input));
    if (!request.agree_with.empty()) sources.push_back(request.agree_with);
    const detail::OutputPlan plan(sources, request.outputs, {"areas", "membership"}, memberships);

    FlowsResult result;
    result.units = load_input(request.units, settings, problems, LayerKind::polygon);
    const std::vector<Flow> flows = read_flows(request, *result.units, settings, problems);
    result.flows = flows.size();
    for (const Flow& f : flows) {
        result.commuters += f.people;
        if (f.to == Flow::outside) result.working_outside += f.people;
        if (f.from == Flow::outside) result.coming_in += f.people;
    }
    ContiguityOptions touching = request.contiguity;
    touching.islands = IslandPolicy::report;  // islands are linked by their flows, not to the nearest unit
    touching.threads = settings.threads;
    const ContiguityGraph graph = join_islands_by_flows(contiguity_graph(*result.units, touching), flows);
    result.island_links = graph.joined;
    result.partition = functional_areas(graph, flows, request.rules, settings.progress_of("functional areas"));
    result.areas = areas_layer(*result.units, result.partition, flows, graph.snap);
    if (!request.agree_with.empty()) result.agreement = agreement_with(request.agree_with, result, problems);
    for (const LayerInput& input : request.score_against) {
        const std::shared_ptr<const Layer> other = load_input(input, settings, problems);
        warn_if_apart({result.units.get(), other.get()}, settings);
        result.scores.emplace_back(other->name,
                                   compare_layers(*result.areas, *other, nullptr, request.scoring, false, settings.threads));
    }
    plan.write([&](const std::string& path) { write_functional_areas(result, request, path); });
    plan.write_problems(problems);
    return result;
}

}  // namespace pipeline
}  // namespace placedef
