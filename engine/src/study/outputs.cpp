// The study's tables: CSV files and one GeoPackage with every result layer,
// its footprint layers styled for QGIS as the maps draw them. Each table is
// described once (fields and row values) and written to both.
#include "placedef/error.hpp"
#include "placedef/render.hpp"
#include "placedef/study.hpp"

#include "study/results.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>

namespace placedef::detail {

namespace {

/// A table described once: its fields, and one row of values per record.
FieldValue count(std::size_t value) { return static_cast<std::int64_t>(value); }

/// A deprivation column of the footprint tables and how a footprint's
/// profile fills it.
struct DeprivationColumn {
    std::string name;
    FieldType type;
    std::function<FieldValue(const FootprintDeprivation&)> value;
};

/// The mean score only with a score (ranks do not average), the people in
/// national deciles 1-2 only with deciles, and the most deprived unit.
std::vector<DeprivationColumn> deprivation_columns(const StudyResults& results) {
    std::vector<DeprivationColumn> columns;
    if (!results.config->deprivation) return columns;
    const std::string& score = results.deprivation_score_column;
    const std::string& rank = results.deprivation_rank_column;
    if (!score.empty())
        columns.push_back({"mean_" + score, FieldType::real, [](const FootprintDeprivation& d) { return FieldValue(d.mean_score); }});
    if (!results.deprivation_deciles.empty()) {
        columns.push_back({"share_in_deciles_1_2", FieldType::real,
                           [](const FootprintDeprivation& d) { return FieldValue(d.share_deciles_1_2); }});
        columns.push_back({"people_in_deciles_1_2", FieldType::real,
                           [](const FootprintDeprivation& d) { return FieldValue(d.people_deciles_1_2); }});
    }
    columns.push_back({"most_deprived", FieldType::text,
                       [](const FootprintDeprivation& d) { return FieldValue(d.most_deprived.code); }});
    columns.push_back({"most_deprived_name", FieldType::text,
                       [](const FootprintDeprivation& d) { return FieldValue(d.most_deprived.name); }});
    if (!rank.empty())
        columns.push_back({"most_deprived_" + rank, FieldType::real,
                           [](const FootprintDeprivation& d) { return FieldValue(d.most_deprived.rank); }});
    else
        columns.push_back({"most_deprived_" + score, FieldType::real,
                           [](const FootprintDeprivation& d) { return FieldValue(d.most_deprived.score); }});
    return columns;
}

/// The footprints of a set, one record per footprint; `run` adds the set's
/// id as the first column (footprints.csv holds every run).
Records footprint_records(const StudyResults& results, const FootprintSet& set, bool run) {
    Records records;
    if (run) records.fields.push_back({"run", FieldType::text});
    // The footprint layer's own column names, which the QGIS styles refer to.
    records.fields.insert(records.fields.end(), {{set.polygons.code_column, FieldType::text},
                                                 {set.polygons.attribute_names.front(), FieldType::text},
                                                 {set.members_word, FieldType::integer},
                                                 {"population", FieldType::real},
                                                 {"area_km2", FieldType::real},
                                                 {"parts", FieldType::integer},
                                                 {"polsby_popper", FieldType::real}});
    const std::vector<DeprivationColumn> deprivation = deprivation_columns(results);
    for (const DeprivationColumn& column : deprivation) records.fields.push_back({column.name, column.type});
    for (const std::string& target : set.targets)
        records.fields.insert(records.fields.end(), {{target + "_relation", FieldType::text},
                                                     {target + "_best", FieldType::text},
                                                     {target + "_best_name", FieldType::text},
                                                     {target + "_share", FieldType::real},
                                                     {target + "_share_of", FieldType::text},
                                                     {target + "_units", FieldType::integer}});
    for (const FootprintRow& row : set.rows) {
        std::vector<FieldValue> values;
        if (run) values.emplace_back(set.id);
        values.insert(values.end(), {row.code, row.name, count(row.members), row.population, row.area_km2, count(row.parts),
                                     row.polsby_popper});
        for (const DeprivationColumn& column : deprivation) values.push_back(column.value(row.deprivation));
        for (std::size_t t = 0; t < set.targets.size(); ++t) {
            // The main unit by the measure the report shows: people when there are any, else area.
            const UnitRelation& fit = row.fits[t];
            const MainUnit main = main_unit(fit);
            values.insert(values.end(), {std::string(to_string(fit.relation)), main.code,
                                         results.unit_name(set.targets[t], main.code), main.share,
                                         std::string(main.code.empty() ? "" : main.by_people ? "people" : "area"),
                                         count(fit.fragmentation)});
        }
        records.rows.push_back(std::move(values));
    }
    return records;
}

/// The study area's most deprived units, most deprived first, with the
/// footprint (code and name) of each run they lie in.
Records most_deprived_records(const StudyResults& results) {
    const std::string& rank = results.deprivation_rank_column;
    const std::string& score = results.deprivation_score_column;
    Records records;
    records.fields = {{"order", FieldType::integer}, {"code", FieldType::text}, {"name", FieldType::text}};
    if (!rank.empty()) records.fields.push_back({rank, FieldType::real});
    if (!score.empty()) records.fields.push_back({score, FieldType::real});
    records.fields.push_back({"national_decile", FieldType::real});
    for (const FootprintSet& set : results.runs)
        records.fields.insert(records.fields.end(), {{set.id + "_footprint", FieldType::text},
                                                     {set.id + "_footprint_name", FieldType::text}});
    std::int64_t order = 0;
    for (const DeprivedUnitRow& row : results.most_deprived) {
        const DeprivedUnit& unit = row.unit;
        std::vector<FieldValue> values{++order, unit.code, unit.name};
        if (!rank.empty()) values.emplace_back(unit.rank);
        if (!score.empty()) values.emplace_back(unit.score);
        values.emplace_back(unit.decile);
        for (std::size_t r = 0; r < results.runs.size(); ++r) {
            const std::string& code = row.footprints[r];
            values.emplace_back(code);
            values.emplace_back(results.unit_name(results.runs[r].id, code));
        }
        records.rows.push_back(std::move(values));
    }
    return records;
}

/// `stability`: the columns of an ensemble (empty for a run without one).
Records membership_records(const FootprintSet& set, bool run, bool stability) {
    Records records;
    if (run) records.fields.push_back({"run", FieldType::text});
    records.fields.insert(records.fields.end(), {{"block_code", FieldType::text},
                                                 {"footprint", FieldType::text},
                                                 {"name", FieldType::text},
                                                 {"parent", FieldType::text}});
    if (stability) records.fields.insert(records.fields.end(), {{"stability", FieldType::real}, {"unstable", FieldType::integer}});
    const bool measured = set.ensemble_runs > 0;
    for (const Membership& m : set.membership) {
        std::vector<FieldValue> values;
        if (run) values.emplace_back(set.id);
        values.insert(values.end(), {m.block, m.footprint, m.name, m.parent.empty() ? FieldValue{} : FieldValue{m.parent}});
        if (stability) {
            values.push_back(measured ? FieldValue{m.stability} : FieldValue{});
            values.push_back(measured ? FieldValue{static_cast<std::int64_t>(m.unstable ? 1 : 0)} : FieldValue{});
        }
        records.rows.push_back(std::move(values));
    }
    return records;
}

/// How often each edge of an ensemble run's blocks was a footprint boundary.
Records boundary_records(const FootprintSet& set, bool run) {
    Records records;
    if (run) records.fields.push_back({"run", FieldType::text});
    records.fields.insert(records.fields.end(), {{"block_a", FieldType::text},
                                                 {"block_b", FieldType::text},
                                                 {"footprint_a", FieldType::text},
                                                 {"footprint_b", FieldType::text},
                                                 {"frequency", FieldType::real},
                                                 {"shared_m", FieldType::real}});
    for (const BoundaryRow& edge : set.boundaries) {
        std::vector<FieldValue> values;
        if (run) values.emplace_back(set.id);
        values.insert(values.end(), {edge.block_a, edge.block_b, edge.footprint_a, edge.footprint_b, edge.frequency, edge.shared_m});
        records.rows.push_back(std::move(values));
    }
    return records;
}

/// The columns of write_matrix_csv (scoring.hpp), so that matrix.csv reads the same as `placedef matrix`'s.
Records matrix_records(const Matrix& matrix) {
    Records records;
    records.fields = {{"layer", FieldType::text},          {"other_layer", FieldType::text},
                      {"units", FieldType::integer},       {"scored", FieldType::integer},
                      {"coterminosity_index", FieldType::real}, {"coterminosity_index_pop", FieldType::real},
                      {"nesting_rate", FieldType::real},   {"coterminous_rate", FieldType::real},
                      {"boundary_alignment", FieldType::real}};
    for (std::size_t r = 0; r < relation_count; ++r)
        records.fields.push_back({to_string(static_cast<Relation>(r)), FieldType::integer});
    for (const auto& row : matrix.scores)
        for (const LayerScore& s : row) {
            std::vector<FieldValue> values{s.layer,         s.other,
                                           count(s.units),  count(s.scored),
                                           s.coterminosity_index, s.coterminosity_index_pop,
                                           s.nesting_rate,  s.coterminous_rate,
                                           s.boundary_alignment};
            for (std::size_t c : s.counts) values.emplace_back(count(c));
            records.rows.push_back(std::move(values));
        }
    return records;
}

Records layer_records(const StudyResults& results) {
    Records records;
    records.fields = {{"name", FieldType::text},     {"role", FieldType::text},       {"source", FieldType::text},
                      {"code_column", FieldType::text}, {"kind", FieldType::text},    {"units", FieldType::integer},
                      {"read", FieldType::integer},  {"before_clip", FieldType::integer}, {"area_km2", FieldType::real},
                      {"problems", FieldType::integer}};
    for (std::size_t i = 0; i < results.layers.size(); ++i) {
        const Layer& layer = results.layers[i];
        const LayerInfo& info = results.info[i];
        records.rows.push_back({layer.name, std::string(to_string(results.config->layers[i].role)), layer.source,
                                layer.code_column, std::string(to_string(layer.kind)), count(layer.size()),
                                count(layer.features_read), info.before_clip ? count(info.before_clip) : FieldValue{},
                                info.area_km2, count(info.problems)});
    }
    return records;
}

/// The columns of --problems FILE.csv, but for the feature id's name: a
/// GeoPackage keeps "fid" for its own row ids.
Records problem_records(const ProblemSink& problems) {
    Records records;
    records.fields = {{"kind", FieldType::text}, {"action", FieldType::text}, {"file", FieldType::text},
                      {"layer", FieldType::text}, {"feature_id", FieldType::integer}, {"code", FieldType::text},
                      {"field", FieldType::text}, {"detail", FieldType::text}};
    for (const Problem& p : problems.problems())
        records.rows.push_back({std::string(to_string(p.kind)), std::string(to_string(p.action)), p.where.file,
                                p.where.layer, p.where.fid ? FieldValue{*p.where.fid} : FieldValue{}, p.where.code,
                                p.where.field, p.detail});
    return records;
}

void write_polygons(VectorWriter& writer, const std::string& name, const std::string& crs, const Layer& polygons,
                    const Records& records) {
    writer.begin_layer(name, crs, LayerKind::polygon, records.fields);
    for (std::size_t i = 0; i < polygons.size(); ++i) writer.add(polygons.features[i].shape, records.rows[i]);
}

void write_practices(VectorWriter& writer, const std::string& crs, const Layer& practices, const PcnResult& pcn) {
    writer.begin_layer("practices", crs, LayerKind::point,
                       {{"practice_code", FieldType::text}, {"practice_name", FieldType::text},
                        {"pcn_code", FieldType::text}, {"status", FieldType::text}});
    for (std::size_t i = 0; i < pcn.practices.size(); ++i) {
        const PracticeReport& p = pcn.practices[i];
        const std::vector<FieldValue> values{p.code, p.name, p.pcn, std::string(to_string(p.status))};
        // practices are reported in layer order, so feature i is practice i
        const Feature& feature = practices.features[i];
        if (feature.located) writer.add(feature.point, values);
        else writer.add(values);
    }
    if (pcn.blocks.empty()) return;
    writer.begin_table("pcn_blocks", {{"block_code", FieldType::text}, {"pcn_code", FieldType::text},
                                      {"share", FieldType::real}, {"how", FieldType::text}});
    for (const BlockAssignment& b : pcn.blocks) writer.add({b.block, b.pcn, b.share, b.how});
}

/// The layers the report's maps draw that are not results (divisions,
/// districts, wards, and the deprivation units with their measure), each
/// styled as the maps show it, so that every map can be rebuilt in QGIS.
void write_map_layers(VectorWriter& writer, const StudyResults& results) {
    const StudyConfig& config = *results.config;
    const std::string& crs = config.read.study_crs;
    for (std::size_t i = 0; i < config.layers.size(); ++i) {
        const StudyLayer& c = config.layers[i];
        const bool boundary = c.role == LayerRole::division || c.role == LayerRole::district || c.role == LayerRole::ward;
        const bool deprivation = config.deprivation && config.deprivation->layer == c.name;
        if (!boundary && !deprivation) continue;
        const Layer& layer = results.layers[i];
        const std::string label = layer.label_column.empty() ? std::string("name") : layer.label_column;
        Records records;
        records.fields = {{layer.code_column, FieldType::text}, {label, FieldType::text}};
        const std::string measure = deprivation ? config.deprivation->column : std::string();
        const StudyResults::DeprivationShown shown = results.deprivation_shown();
        const bool deciles = deprivation && shown.deciles;
        if (deprivation) records.fields.push_back({measure, FieldType::real});
        if (deciles) records.fields.push_back({results.deprivation_decile_column, FieldType::real});
        for (std::size_t u = 0; u < layer.size(); ++u) {
            std::vector<FieldValue> values{layer.features[u].code, layer.features[u].name};
            if (deprivation) values.emplace_back(results.deprivation[u]);
            if (deciles) values.emplace_back(results.deprivation_deciles[u]);
            records.rows.push_back(std::move(values));
        }
        if (boundary) {
            const std::string name = "boundary_" + c.name;
            write_polygons(writer, name, crs, layer, records);
            // Divisions are the overview map's fill; districts and wards its outlines.
            writer.set_style(name, c.role == LayerRole::division
                                       ? qgis_categorical_qml(layer, categorical_colours(layer), label)
                                       : qgis_outline_qml("#222222", c.role == LayerRole::district ? 1.6 : 0.6, label));
        }
        if (deprivation) {
            // The deprivation map's classes, on the column that holds what it shows.
            const std::string name = "deprivation_" + c.name;
            write_polygons(writer, name, crs, layer, records);
            const std::vector<double>& values = *shown.values;
            if (std::any_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); }))
                writer.set_style(name, qgis_choropleth_qml(shown.column, choropleth_classes(
                                                                              values, ClassingOptions::for_measure(shown.column))));
        }
    }
}

}  // namespace

std::vector<std::string> write_tables(const StudyResults& results, const std::string& outdir) {
    const StudyConfig& config = *results.config;
    const std::string& crs = config.read.study_crs;
    auto path = [&outdir](const char* name) { return (std::filesystem::path(outdir) / name).string(); };
    std::vector<std::string> files;
    auto csv = [&](const Records& records, const char* name) {
        write_records_csv(records, path(name));
        files.emplace_back(name);
    };

    const Records problems = problem_records(*results.problems);
    const Records layers = layer_records(results);
    csv(layers, "layers.csv");
    const Records matrix = matrix_records(results.matrix);
    if (!results.matrix.layers.empty()) csv(matrix, "matrix.csv");
    if (results.pcn_set) csv(footprint_records(results, *results.pcn_set, false), "pcn.csv");
    const bool ensembles = std::any_of(results.runs.begin(), results.runs.end(),
                                       [](const FootprintSet& set) { return set.ensemble_runs > 0; });
    if (!results.runs.empty()) {
        Records all, members;
        for (const FootprintSet& set : results.runs) {
            Records one = footprint_records(results, set, true);
            Records blocks = membership_records(set, true, ensembles);
            // Runs share the targets, so their columns agree.
            all.fields = one.fields;
            members.fields = blocks.fields;
            all.rows.insert(all.rows.end(), one.rows.begin(), one.rows.end());
            members.rows.insert(members.rows.end(), blocks.rows.begin(), blocks.rows.end());
        }
        csv(all, "footprints.csv");
        csv(members, "membership.csv");
    }
    if (ensembles) {
        Records edges;
        for (const FootprintSet& set : results.runs) {
            if (set.ensemble_runs == 0) continue;
            Records one = boundary_records(set, true);
            edges.fields = one.fields;
            edges.rows.insert(edges.rows.end(), one.rows.begin(), one.rows.end());
        }
        csv(edges, "boundary_frequency.csv");
    }
    if (!results.most_deprived.empty()) csv(most_deprived_records(results), "most_deprived.csv");
    std::vector<CrosswalkUnit> crosswalks;
    if (results.pcn_set) crosswalks = results.pcn_set->crosswalk;
    for (const FootprintSet& set : results.runs) crosswalks.insert(crosswalks.end(), set.crosswalk.begin(), set.crosswalk.end());
    if (!crosswalks.empty()) {
        write_crosswalk_csv(crosswalks, path("crosswalks.csv"));
        files.emplace_back("crosswalks.csv");
    }
    csv(problems, "problems.csv");

    VectorWriter gpkg(path("study.gpkg"));
    if (results.pcn_set) {
        write_polygons(gpkg, "pcn_footprints", crs, results.pcn_set->polygons, footprint_records(results, *results.pcn_set, false));
        write_practices(gpkg, crs, results.layer(config.pcn->practices), *results.pcn);
        for (const LayerStyle& style : pcn_styles(*results.pcn, crs)) gpkg.set_style(style.layer, style.qml);
    }
    for (const FootprintSet& set : results.runs) {
        const std::string name = "footprints_" + set.id;
        write_polygons(gpkg, name, crs, set.polygons, footprint_records(results, set, false));
        gpkg.set_style(name, qgis_categorical_qml(set.polygons, categorical_colours(set.polygons),
                                                  set.polygons.attribute_names.front()));
        write_records_table(gpkg, "membership_" + set.id, membership_records(set, false, set.ensemble_runs > 0));
        if (set.ensemble_runs > 0) {
            const Records edges = boundary_records(set, false);
            gpkg.begin_line_layer("boundary_frequency_" + set.id, crs, edges.fields);
            for (std::size_t k = 0; k < edges.rows.size(); ++k) gpkg.add_lines(set.boundaries[k].lines, edges.rows[k]);
            gpkg.set_style("boundary_frequency_" + set.id, qgis_boundary_frequency_qml());
        }
    }
    write_map_layers(gpkg, results);
    if (!results.most_deprived.empty()) write_records_table(gpkg, "most_deprived", most_deprived_records(results));
    if (!results.matrix.layers.empty()) write_records_table(gpkg, "matrix", matrix);
    write_records_table(gpkg, "layers", layers);
    write_records_table(gpkg, "problems", problems);
    gpkg.close();
    files.emplace_back("study.gpkg");
    return files;
}

}  // namespace placedef::detail
