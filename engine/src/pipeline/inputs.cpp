// The rules of reading a job's inputs: layers, tables and population, the
// same for every front end.
#include "placedef/cancel.hpp"
#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "placedef/pipeline.hpp"

#include "core/location.hpp"
#include "core/text.hpp"

#include <cmath>
#include <exception>
#include <fstream>
#include <future>
#include <iomanip>
#include <sstream>

namespace placedef {
inline namespace pipeline {

ReadOptions RunSettings::read_options(LayerKind kind) const {
    ReadOptions options;
    options.study_crs = study_crs;
    options.assume_crs = assume_crs;
    options.invalid = invalid;
    options.expect = kind;
    options.threads = threads;
    // Points without a location stay in the layer, so that reports can name
    // them (GP practices are each accounted for).
    options.keep_unlocated_points = kind == LayerKind::point;
    return options;
}

ProgressCallback RunSettings::progress_of(const std::string& step) const {
    if (!progress) return {};
    return [this, step](std::size_t done, std::size_t total) { progress(step, done, total); };
}

std::string LayerInput::source() const { return loaded ? loaded->source : LayerAddress::parse(address).path; }

void require_units(const Layer& layer) {
    if (!layer.features.empty()) return;
    throw invalid_input("the layer has no features to work with (" + std::to_string(layer.features_read) + " read" +
                            (layer.features_read ? ", none usable: see the problems reported" : "") + ")",
                        Location{layer.source, layer.name, {}, {}, {}});
}

namespace {

std::string extent_text(const Box& box) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(1) << box.minx << ' ' << box.miny << ' ' << box.maxx << ' ' << box.maxy;
    return out.str();
}

}  // namespace

void warn_if_apart(const std::vector<const Layer*>& layers, const RunSettings& settings) {
    if (!settings.warning) return;
    std::vector<Box> extents;
    for (const Layer* layer : layers) extents.push_back(layer->extent());
    for (std::size_t i = 0; i < layers.size(); ++i)
        for (std::size_t j = i + 1; j < layers.size(); ++j) {
            if (layers[i] == layers[j] || extents[i].empty() || extents[j].empty()) continue;
            if (extents[i].intersects(extents[j])) continue;
            settings.warning("layer " + layers[i]->label() + " and layer " + layers[j]->label() +
                             " do not overlap: extents " + extent_text(extents[i]) + " and " +
                             extent_text(extents[j]) + " (" + layers[i]->crs +
                             "); nothing they cover is in common, so results that combine them are empty. "
                             "Are the files and their CRSs the intended ones?");
        }
}

namespace {

void note(const RunSettings& settings, const std::string& line) {
    if (settings.note) settings.note(line);
}

std::shared_ptr<const Layer> read_input(const LayerInput& input, const RunSettings& settings, ProblemSink& problems,
                                        LayerKind kind) {
    if (input.loaded) {
        if (input.loaded->kind != kind)
            throw invalid_input(std::string("a layer of ") + to_string(kind) + "s is needed; " + input.loaded->label() +
                                    " holds " + to_string(input.loaded->kind) + "s",
                                Location{input.loaded->source, input.loaded->name, {}, {}, {}});
        return input.loaded;
    }
    if (input.address.empty()) throw invalid_input("no layer given");
    return std::make_shared<const Layer>(load_layer(LayerAddress::parse(input.address), settings.read_options(kind), problems));
}

void accept(const Layer& layer, const LayerInput& input, const RunSettings& settings, EmptyLayer empty) {
    if (!input.loaded && layer.code_column_guessed)
        note(settings, layer.label() + ": code column guessed as " + layer.code_column +
                           (layer.label_column_guessed ? ", names from " + layer.label_column : std::string()) +
                           " (give path@CODE,NAME to choose)");
    if (layer.kind == LayerKind::polygon && empty == EmptyLayer::refuse) require_units(layer);
}

}  // namespace

std::shared_ptr<const Layer> load_input(const LayerInput& input, const RunSettings& settings, ProblemSink& problems,
                                        LayerKind kind, EmptyLayer empty) {
    std::shared_ptr<const Layer> layer = read_input(input, settings, problems, kind);
    accept(*layer, input, settings, empty);
    return layer;
}

Layer open_layer(const std::string& address, const RunSettings& settings, ProblemSink& problems, LayerKind kind,
                 EmptyLayer empty) {
    if (address.empty()) throw invalid_input("no layer given");
    Layer layer = load_layer(LayerAddress::parse(address), settings.read_options(kind), problems);
    accept(layer, LayerInput(address), settings, empty);
    return layer;
}

Layer open_wkb_layer(const std::string& name, const std::string& crs, const std::vector<WkbFeature>& features,
                     const RunSettings& settings, ProblemSink& problems, LayerKind kind) {
    return load_wkb_layer(name, crs, features, settings.read_options(kind), problems);
}

std::vector<std::shared_ptr<const Layer>> load_inputs(const std::vector<LayerInput>& inputs, const RunSettings& settings,
                                                      ProblemSink& problems) {
    // An input given twice (a population on the blocks themselves) is read once,
    // so that its problems and notes are reported once.
    std::vector<std::size_t> first(inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        first[i] = i;
        for (std::size_t j = 0; j < i; ++j)
            if (inputs[j].address == inputs[i].address && inputs[j].loaded == inputs[i].loaded) {
                first[i] = j;
                break;
            }
    }
    // GDAL reads are independent per dataset: read side by side, report in order.
    std::vector<ProblemSink> sinks(inputs.size());
    std::vector<std::future<std::shared_ptr<const Layer>>> pending(inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i)
        if (first[i] == i)
            pending[i] = std::async(std::launch::async, [&, i, token = current_cancel_token()] {
                const CancelScope scope(token);  // a cancelled run stops these reads too
                return read_input(inputs[i], settings, sinks[i], LayerKind::polygon);
            });
    std::vector<std::shared_ptr<const Layer>> layers(inputs.size());
    std::exception_ptr failure;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        if (first[i] != i) continue;
        try {
            layers[i] = pending[i].get();
        } catch (...) {
            if (!failure) failure = std::current_exception();
        }
        for (const Problem& problem : sinks[i].problems()) problems.report(problem);
    }
    if (failure) std::rethrow_exception(failure);
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        if (first[i] != i) {
            layers[i] = layers[first[i]];
            continue;
        }
        accept(*layers[i], inputs[i], settings, EmptyLayer::refuse);
    }
    std::vector<const Layer*> distinct;
    for (std::size_t i = 0; i < inputs.size(); ++i)
        if (first[i] == i) distinct.push_back(layers[i].get());
    warn_if_apart(distinct, settings);
    return layers;
}

// ---- tables ----------------------------------------------------------------------

std::string table_key(const std::string& table_path, const std::string& key, const Layer& units,
                      const RunSettings& settings) {
    if (!key.empty()) return key;
    std::string best;
    std::size_t best_matches = 0;
    std::exception_ptr first_failure;
    std::size_t readable = 0;
    std::string turned_down;  // columns that cannot be a key, and why
    for (const std::string& column : read_table_columns(table_path)) {
        Table table;
        try {
            table = read_table(table_path, column);
        } catch (const invalid_input& e) {
            // Empty or duplicate keys: not the key column.
            if (!first_failure) first_failure = std::current_exception();
            turned_down += (turned_down.empty() ? "" : "; ") + column + ": " + e.reason();
            if (e.where().fid) turned_down += " at line " + std::to_string(*e.where().fid);
            continue;
        }
        ++readable;
        std::size_t matches = 0;
        for (const Feature& feature : units.features) matches += table.row_of(feature.code).has_value();
        if (matches > best_matches) {
            best = column;
            best_matches = matches;
        }
    }
    if (readable == 0 && first_failure) std::rethrow_exception(first_failure);
    if (best.empty())
        throw invalid_input("no column of the table matches the codes of " + units.label() + "; name the key column" +
                                (turned_down.empty() ? "" : " (turned down: " + turned_down + ")"),
                            detail::in_file(table_path));
    note(settings, table_path + ": key column guessed as " + best + " (" + std::to_string(best_matches) + " of " +
                       std::to_string(units.size()) + " units matched; name it to choose)");
    return best;
}

std::string decile_column_beside(const std::string& table_path, const std::string& column) {
    const std::string_view measure = column;
    const std::string_view rank = "rank";
    for (std::size_t at = measure.size() + 1; at-- > rank.size();) {  // the last "rank" in the name
        const std::size_t start = at - rank.size();
        if (!detail::iequals(measure.substr(start, rank.size()), rank)) continue;
        const std::string wanted = std::string(measure.substr(0, start)) + "decile" + std::string(measure.substr(at));
        for (const std::string& name : read_table_columns(table_path))
            if (detail::iequals(name, wanted)) return name;
        return {};
    }
    return {};
}

namespace {

/// The table that `join_table` joins: its key column found (table_key), the
/// value column present, and at least one unit matched.
Table joinable_table(const std::string& table_path, const std::string& key, const std::string& column,
                     const Layer& units, const RunSettings& settings) {
    const std::string key_column = table_key(table_path, key, units, settings);
    Table table = read_table(table_path, key_column);
    if (!table.column_index(column))
        throw invalid_input("has no column '" + column + "'", detail::at_field(detail::in_file(table_path), column));
    // A key column that matches no unit would give every unit nothing: refused,
    // not reported unit by unit. One that matches few is said out loud.
    std::size_t matched = 0;
    for (const Feature& feature : units.features) matched += table.row_of(feature.code).has_value();
    if (matched == 0 && !units.features.empty())
        throw invalid_input("no unit of " + units.label() + " has a row: key column '" + key_column +
                                "' holds none of its codes (such as '" + units.features.front().code +
                                "'); name the column that holds them",
                            detail::at_field(detail::in_file(table_path), key_column));
    if (2 * matched < units.size())
        note(settings, "warning: " + table_path + ": only " + std::to_string(matched) + " of " +
                           std::to_string(units.size()) + " units of " + units.label() + " have a row (key column '" +
                           key_column + "'); the others get no value");
    return table;
}

}  // namespace

std::vector<double> join_table(const std::string& table_path, const std::string& key, const std::string& column,
                               const Layer& units, const RunSettings& settings, ProblemSink& problems,
                               double missing_value) {
    const Table table = joinable_table(table_path, key, column, units, settings);
    return join_numeric(units, table, column, problems, missing_value);
}

void check_population(const Layer& units, const std::vector<double>& values, const std::string& from) {
    if (values.size() != units.size())
        throw invalid_input(std::to_string(values.size()) + " population values for the " + std::to_string(units.size()) +
                            " units of " + units.label());
    check_population_values(PopulationSource{&units, values}, from);
}

std::vector<double> population_from_table(const std::string& table_path, const std::string& key,
                                          const std::string& column, const Layer& units, const RunSettings& settings,
                                          ProblemSink& problems) {
    const Table table = joinable_table(table_path, key, column, units, settings);
    std::vector<double> values = join_numeric(units, table, column, problems, 0.0);
    // A bad value is named where it is written: the table's line and column.
    for (std::size_t i = 0; i < values.size(); ++i) {
        const std::string fault = population_fault(values[i]);
        if (fault.empty()) continue;
        const std::string& code = units.features[i].code;
        Location where = detail::at_field(detail::at_code(detail::in_file(table_path), code), column);
        if (const auto row = table.row_of(code)) where.fid = static_cast<std::int64_t>(table.lines[*row]);
        throw invalid_input("the population " + fault, where);
    }
    check_population(units, values, table_path);
    return values;
}

void check_population_units(const Layer& units, const RunSettings& settings, ProblemSink& problems) {
    const bool fail = settings.invalid == InvalidPolicy::fail;
    for (const UnitOverlap& overlap : overlapping_units(units, population_overlap_share, settings.threads)) {
        const Feature& first = units.features[overlap.first];
        const Feature& second = units.features[overlap.second];
        std::ostringstream detail;
        // Whole square metres where they are many, else three figures.
        if (overlap.area_m2 >= 100) detail << std::fixed << std::setprecision(0);
        else detail << std::setprecision(3);
        detail << "overlaps unit " << first.code << " (feature " << first.fid << ") by " << overlap.area_m2 << " m2 ("
               << std::fixed << std::setprecision(1) << 100 * overlap.share
               << "% of the smaller); the people there are counted twice";
        const Location where{units.source, units.name, second.fid, second.code, {}};
        problems.report(Problem{ProblemKind::overlapping_units, fail ? ProblemAction::failed : ProblemAction::kept, where,
                                detail.str()});
        if (fail) throw invalid_input("population units overlap: " + detail.str() + " (policy 'fail')", where);
    }
}

LoadedPopulation load_population(const PopulationInput& input, const RunSettings& settings, ProblemSink& problems,
                                 std::shared_ptr<const Layer> units) {
    if (!units) units = load_input(input.units, settings, problems);
    check_population_units(*units, settings, problems);
    LoadedPopulation loaded;
    loaded.units = units;
    loaded.source.layer = units.get();
    if (!input.table.empty()) {
        if (input.column.empty()) throw invalid_input("a population table needs its population column", detail::in_file(input.table));
        loaded.source.population = population_from_table(input.table, input.key, input.column, *units, settings, problems);
    } else {
        if (input.values.empty() && !units->features.empty())
            throw invalid_input("a population needs a table and its column, or one value per unit");
        loaded.source.population = input.values;
        check_population(*units, loaded.source.population, units->source);
    }
    return loaded;
}

std::vector<double> population_on(const Layer& target, const PopulationSource& population, unsigned threads) {
    const Layer& units = *population.layer;
    const bool same_layer = &target == &units || (target.source == units.source && target.name == units.name &&
                                                   target.code_column == units.code_column && target.crs == units.crs);
    if (same_layer) {
        std::vector<double> values;
        values.reserve(target.size());
        for (const Feature& feature : target.features) {
            const std::optional<std::size_t> unit = units.find(feature.code);
            if (!unit) return apportion_population(target, population, threads);  // not a pick of the same units
            values.push_back(population.population[*unit]);
        }
        return values;
    }
    return apportion_population(target, population, threads);
}

void write_problems_csv(const ProblemSink& problems, const std::string& path) {
    CsvWriter csv(path);
    csv.header({"kind", "action", "file", "layer", "fid", "code", "field", "detail"});
    for (const Problem& p : problems.problems()) {
        csv.cell(to_string(p.kind)).cell(to_string(p.action)).cell(p.where.file).cell(p.where.layer);
        if (p.where.fid) csv.cell(*p.where.fid);
        else csv.cell(std::string());
        csv.cell(p.where.code).cell(p.where.field).cell(p.detail);
        csv.end_row();
    }
    csv.close();
}

}  // namespace pipeline
}  // namespace placedef
