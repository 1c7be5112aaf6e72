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
}

Session::Session(const Globals& globals) : m_globals(globals) {
    m_settings.study_crs = globals.study_crs;
    m_settings.assume_crs = globals.assume_crs;
    m_settings.invalid = invalid_policy_from_string(globals.invalid);
    m_settings.threads = globals.threads;
    if (!globals.quiet) m_settings.note = [](const std::string& line) { std::cerr << "note: " << line << '\n'; };
    const bool drawn = !globals.quiet && stderr_is_terminal();
    m_settings.progress = [this, drawn](const std::string& step, std::size_t done, std::size_t total) {
        if (!m_bar || step != m_step) {
            if (m_bar) m_bar->finish();
            m_bar = std::make_unique<ProgressBar>(step, drawn);
            m_step = step;
        }
        m_bar->update(done, total);
    };
}

Outputs Session::outputs(std::vector<std::string> paths) const { return Outputs{std::move(paths), m_globals.problems_path}; }

void Session::finish_progress() {
    if (m_bar) m_bar->finish();
    m_bar.reset();
}

PopulationInput PopulationArguments::input() const {
    PopulationInput input;
    if (!layer.empty()) input.units = LayerInput(layer);
    input.table = table;
    input.key = key;
    input.column = column;
    if (!layer.empty() && (table.empty() || column.empty()))
        throw invalid_input("--pop needs --pop-table FILE and --pop-column COLUMN");
    return input;
}

void add_population_options(CLI::App* command, PopulationArguments& args) {
    command->add_option("--pop", args.layer,
                        "population layer (e.g. LSOA polygons); population is apportioned to pieces by area");
    command->add_option("--pop-table", args.table, "CSV with one row per population unit");
    command->add_option("--pop-column", args.column, "population column of the table");
    command->add_option("--pop-key", args.key, "code column of the table (default: the column matching the layer's codes)");
}

}  // namespace placedef::cli
