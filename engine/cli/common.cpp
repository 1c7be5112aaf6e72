#include "common.hpp"

#include "placedef/geometry.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <future>
#include <iostream>
#include <mutex>
#include <sstream>
#include <system_error>
#include <thread>
#include <utility>

namespace placedef::cli {

// ---- limits ------------------------------------------------------------------

namespace {
std::mutex activity_mutex;
std::string activity_text = "starting";  // guarded by activity_mutex
unsigned applied_memory_limit = 0;       // MB; set before any command runs
}  // namespace

Activity::Activity(std::string what) : m_exceptions(std::uncaught_exceptions()) {
    std::lock_guard<std::mutex> lock(activity_mutex);
    m_previous = std::exchange(activity_text, std::move(what));
}

Activity::~Activity() {
    if (std::uncaught_exceptions() != m_exceptions) return;  // keep where the run stopped
    std::lock_guard<std::mutex> lock(activity_mutex);
    activity_text = std::move(m_previous);
}

std::string Activity::current() {
    std::lock_guard<std::mutex> lock(activity_mutex);
    return activity_text;
}

struct RunLimits::Watchdog {
    std::mutex mutex;
    std::condition_variable wake;
    bool stopped = false;
    std::thread thread;
};

RunLimits::RunLimits(const Globals& globals) {
    // The watchdog starts first: under the memory limit its stack might not fit.
    if (globals.time_limit > 0) {
        m_watchdog = std::make_unique<Watchdog>();
        Watchdog& watchdog = *m_watchdog;
        const auto deadline = std::chrono::steady_clock::now() +
                              std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                  std::chrono::duration<double>(globals.time_limit));
        std::ostringstream seconds;
        seconds << globals.time_limit;
        // Written before the deadline, so that a run out of memory can still be told why it stops.
        std::string message = "error: time limit of " + seconds.str() + " s reached while ";
        watchdog.thread = std::thread([&watchdog, deadline, message] {
            std::unique_lock<std::mutex> lock(watchdog.mutex);
            if (watchdog.wake.wait_until(lock, deadline, [&watchdog] { return watchdog.stopped; })) return;
            std::fputs(message.c_str(), stderr);
            try {
                std::fputs(Activity::current().c_str(), stderr);
            } catch (const std::exception&) {
                std::fputs("running", stderr);
            }
            std::fputs("\n", stderr);
            std::fflush(stderr);
            // Other threads may be anywhere in the engine: end the process without unwinding them.
            std::_Exit(processing_error);
        });
    }
    if (globals.memory_limit > 0) {
        rlimit limit{};
        if (::getrlimit(RLIMIT_AS, &limit) != 0)
            throw std::system_error(errno, std::generic_category(), "--memory-limit: getrlimit");
        const rlim_t bytes = static_cast<rlim_t>(globals.memory_limit) * 1024 * 1024;
        limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? bytes : std::min(bytes, limit.rlim_max);
        if (::setrlimit(RLIMIT_AS, &limit) != 0)
            throw std::system_error(errno, std::generic_category(), "--memory-limit: setrlimit");
        applied_memory_limit = globals.memory_limit;
    }
}

RunLimits::~RunLimits() {
    if (!m_watchdog) return;
    {
        std::lock_guard<std::mutex> lock(m_watchdog->mutex);
        m_watchdog->stopped = true;
    }
    m_watchdog->wake.notify_one();
    m_watchdog->thread.join();
}

std::string RunLimits::memory_message() {
    const std::string where = " while " + Activity::current();
    if (!applied_memory_limit) return "out of memory" + where;
    return "memory limit of " + std::to_string(applied_memory_limit) + " MB reached" + where;
}

bool RunLimits::memory_limited() { return applied_memory_limit > 0; }

// ---- reporting and loading -----------------------------------------------------

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
    const Activity reading("reading '" + argument + "'");
    Layer layer = load_layer(LayerAddress::parse(argument), read_options(globals, kind), problems);
    if (layer.code_column_guessed && !globals.quiet)
        std::cerr << "note: " << layer.label() << ": code column guessed as " << layer.code_column
                  << " (give path@COLUMN to choose)\n";
    return layer;
}

std::vector<Layer> load_all(const std::vector<std::string>& arguments, const Globals& globals, ProblemSink& problems) {
    std::string names;
    for (const std::string& argument : arguments) names += (names.empty() ? "'" : ", '") + argument + "'";
    const Activity reading("reading " + names);
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
    // Every command that loads layers this way computes with their units: an
    // empty layer would give an empty result that looks like "no overlap".
    for (const Layer& layer : layers)
        if (layer.features.empty())
            throw invalid_input("the layer has no features to work with (" + std::to_string(layer.features_read) +
                                    " read" + (layer.features_read ? ", none usable: see the problems above" : "") + ")",
                                Location{layer.source, layer.name, {}, {}, {}});
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
    std::ifstream in(table_path, std::ios::binary);
    std::string header;
    if (!in || !std::getline(in, header)) {
        read_table(table_path);  // throws the reader's own words: unreadable, or empty
        throw io_error("cannot read the header", Location{table_path, {}, {}, {}, {}});
    }
    constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";
    if (header.compare(0, utf8_bom.size(), utf8_bom) == 0) header.erase(0, utf8_bom.size());
    std::vector<std::string> columns;
    std::stringstream split(header);
    for (std::string column; std::getline(split, column, ',');) {
        while (!column.empty() && (column.back() == '\r' || column.back() == '"')) column.pop_back();
        while (!column.empty() && column.front() == '"') column.erase(0, 1);
        columns.push_back(column);
    }
    std::string best;
    std::size_t best_matches = 0;
    std::exception_ptr first_failure;
    std::size_t readable = 0;
    std::string turned_down;  // columns that cannot be a key, and why
    for (const std::string& column : columns) {
        Table table;
        try {
            table = read_table(table_path, column);
        } catch (const invalid_input& e) {
            // Empty or duplicate keys: not the key column. A fault of the whole
            // table (a ragged row, an open quote) fails every column, and is
            // reported as it is below.
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
