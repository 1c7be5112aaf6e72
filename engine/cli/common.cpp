#include "common.hpp"

#include "placedef/geometry.hpp"

#include <fstream>
#include <future>
#include <iostream>
#include <sstream>

namespace placedef::cli {

void Reporter::finish() {
    if (!m_globals.quiet && m_sink.count()) std::cerr << "problems: " << m_sink.summary() << '\n';
    if (m_globals.problems_path.empty()) return;
    CsvWriter csv(m_globals.problems_path);
    csv.header({"kind", "action", "file", "layer", "fid", "code", "field", "detail"});
    for (const Problem& p : m_sink.problems()) {
        csv.cell(to_string(p.kind)).cell(to_string(p.action)).cell(p.where.file).cell(p.where.layer);
        if (p.where.fid) csv.cell(*p.where.fid);
        else csv.cell(std::string());
        csv.cell(p.where.code).cell(p.where.field).cell(p.detail);
        csv.end_row();
    }
    csv.close();
}

ReadOptions read_options(const Globals& globals, LayerKind kind) {
    ReadOptions options;
    options.study_crs = globals.study_crs;
    options.assume_crs = globals.assume_crs;
    options.invalid = invalid_policy_from_string(globals.invalid);
    options.expect = kind;
    options.threads = globals.threads;
    return options;
}

Layer load(const std::string& argument, const Globals& globals, ProblemSink& problems,
           LayerKind kind) {
    Layer layer = load_layer(LayerAddress::parse(argument), read_options(globals, kind), problems);
    if (layer.code_column_guessed && !globals.quiet)
        std::cerr << "note: " << layer.label() << ": code column guessed as " << layer.code_column
                  << " (give path@COLUMN to choose)\n";
    return layer;
}

std::vector<Layer> load_all(const std::vector<std::string>& arguments, const Globals& globals, ProblemSink& problems) {
    std::vector<ProblemSink> sinks(arguments.size());
    std::vector<std::future<Layer>> pending;
    for (std::size_t i = 0; i < arguments.size(); ++i)
        pending.push_back(std::async(std::launch::async, [&, i] {
            return load_layer(LayerAddress::parse(arguments[i]), read_options(globals, LayerKind::polygon), sinks[i]);
        }));
    std::vector<Layer> layers;
    std::exception_ptr failure;
    for (std::size_t i = 0; i < pending.size(); ++i) {
        try {
            layers.push_back(pending[i].get());
        } catch (...) {
            if (!failure) failure = std::current_exception();
        }
        for (const Problem& problem : sinks[i].problems()) problems.report(problem);
    }
    if (failure) std::rethrow_exception(failure);
    for (const Layer& layer : layers)
        if (layer.code_column_guessed && !globals.quiet)
            std::cerr << "note: " << layer.label() << ": code column guessed as " << layer.code_column
                      << " (give path@COLUMN to choose)\n";
    return layers;
}


void add_population_options(CLI::App* command, PopulationArguments& args) {
    command->add_option("--pop", args.layer,
                        "population layer (e.g. LSOA polygons); population is apportioned to pieces by area");
    command->add_option("--pop-table", args.table, "CSV with one row per population unit");
    command->add_option("--pop-column", args.column, "population column of the table");
    command->add_option("--pop-key", args.key, "code column of the table (default: the column matching the layer's codes)");
}

std::string choose_key(const std::string& table_path, const std::string& key, const Layer& units) {
    if (!key.empty()) return key;
    std::ifstream in(table_path);
    std::string header;
    if (!in || !std::getline(in, header)) throw io_error("cannot read the header", Location{table_path, {}, {}, {}, {}});
    std::vector<std::string> columns;
    std::stringstream split(header);
    for (std::string column; std::getline(split, column, ',');) {
        while (!column.empty() && (column.back() == '\r' || column.back() == '"')) column.pop_back();
        while (!column.empty() && column.front() == '"') column.erase(0, 1);
        columns.push_back(column);
    }
    std::string best;
    std::size_t best_matches = 0;
    for (const std::string& column : columns) {
        Table table;
        try {
            table = read_table(table_path, column);
        } catch (const invalid_input&) {
            continue;  // empty or duplicate keys: not the key column
        }
        std::size_t matches = 0;
        for (const Feature& feature : units.features) matches += table.row_of(feature.code).has_value();
        if (matches > best_matches) {
            best = column;
            best_matches = matches;
        }
    }
    if (best.empty())
        throw invalid_input("no column of the table matches the codes of " + units.label() + "; name the key column",
                            Location{table_path, {}, {}, {}, {}});
    return best;
}

PopulationSource population_of(const PopulationArguments& args, const Layer& units, ProblemSink& problems) {
    if (args.table.empty() || args.column.empty())
        throw invalid_input("--pop needs --pop-table FILE and --pop-column COLUMN");
    const Table table = read_table(args.table, choose_key(args.table, args.key, units));
    return PopulationSource{&units, join_numeric(units, table, args.column, problems)};
}

std::vector<Layer> load_with_population(std::vector<std::string> arguments, const PopulationArguments& pop,
                                        const Globals& globals, ProblemSink& problems, PopulationSource& population) {
    if (pop.given()) arguments.push_back(pop.layer);
    std::vector<Layer> layers = load_all(arguments, globals, problems);
    if (pop.given()) population = population_of(pop, layers.back(), problems);
    return layers;
}

ProgressBar progress_bar(const char* label, const Globals& globals) {
    return ProgressBar(label, !globals.quiet && stderr_is_terminal());
}

}  // namespace placedef::cli
