#include "common.hpp"

#include "placedef/geometry.hpp"
#include "placedef/text.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <future>
#include <iostream>
#include <mutex>
#include <sstream>
#include <system_error>
#include <thread>
#include <type_traits>
#include <utility>

namespace placedef::cli {

// ---- terminal ----------------------------------------------------------------

class TerminalOutput::Buffer : public std::streambuf {
public:
    explicit Buffer(std::streambuf* target) : m_target(target) {}
    ~Buffer() override { write_out(true); }
    Buffer(const Buffer&) = delete;
    Buffer& operator=(const Buffer&) = delete;

protected:
    int_type overflow(int_type c) override {
        if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
        m_pending += traits_type::to_char_type(c);
        if (c == '\n' || m_pending.size() >= chunk) write_out(false);
        return c;
    }
    std::streamsize xsputn(const char* text, std::streamsize count) override {
        m_pending.append(text, static_cast<std::size_t>(count));
        if (m_pending.size() >= chunk || std::memchr(text, '\n', static_cast<std::size_t>(count))) write_out(false);
        return count;
    }
    int sync() override {
        write_out(false);
        return m_target->pubsync();
    }

private:
    static constexpr std::size_t chunk = 4096;

    /// Bytes at the end that start a UTF-8 sequence not yet complete.
    static std::size_t unfinished_tail(const std::string& text) {
        for (std::size_t back = 1; back <= 3 && back <= text.size(); ++back) {
            const auto byte = static_cast<unsigned char>(text[text.size() - back]);
            if ((byte & 0xC0) == 0x80) continue;  // a continuation byte: look further back
            const std::size_t needed = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
            return needed > back ? back : 0;
        }
        return 0;
    }

    void write_out(bool everything) {
        const std::size_t ready = m_pending.size() - (everything ? 0 : unfinished_tail(m_pending));
        const std::string shown = terminal_text(std::string_view(m_pending).substr(0, ready));
        m_target->sputn(shown.data(), static_cast<std::streamsize>(shown.size()));
        m_pending.erase(0, ready);
    }

    std::streambuf* m_target;
    std::string m_pending;
};

TerminalOutput::TerminalOutput()
    : m_out(std::make_unique<Buffer>(std::cout.rdbuf())), m_err(std::make_unique<Buffer>(std::cerr.rdbuf())) {
    m_cout = std::cout.rdbuf(m_out.get());
    m_cerr = std::cerr.rdbuf(m_err.get());
}

TerminalOutput::~TerminalOutput() {
    std::cout.flush();
    std::cerr.flush();
    std::cout.rdbuf(m_cout);
    std::cerr.rdbuf(m_cerr);
    m_out.reset();  // writes out what is left
    m_err.reset();
    std::cout.flush();
    std::cerr.flush();
}

// ---- numbers --------------------------------------------------------------------

namespace {

template <typename T>
std::string whole_check(const std::string& text, T min, T max) {
    T value{};
    const char* end = text.data() + text.size();
    bool negative_allowed = false;
    if constexpr (std::is_signed_v<T>) negative_allowed = min < 0;
    const bool digits = !text.empty() && (std::isdigit(static_cast<unsigned char>(text.front())) ||
                                          (negative_allowed && text.front() == '-' && text.size() > 1));
    const auto [ptr, error] = std::from_chars(text.data(), end, value);
    if (digits && error == std::errc() && ptr == end && value >= min && value <= max) return {};
    return "'" + text + "' is not a whole number from " + std::to_string(min) + " to " + std::to_string(max);
}

/// The range part of a real number's message and --help text.
std::string real_range(double min, double max, bool above_min) {
    constexpr double lowest = std::numeric_limits<double>::lowest(), highest = std::numeric_limits<double>::max();
    if (min == lowest && max == highest) return "";
    if (max == highest) return (above_min ? "above " : "from ") + readable_number(min);
    return (above_min ? "above " : "from ") + readable_number(min) + " to " + readable_number(max);
}

}  // namespace

template <typename T>
CLI::Option* add_whole(CLI::App* command, const std::string& name, T& target, const std::string& description, T min,
                       T max) {
    const bool full = min == (std::is_signed_v<T> ? std::numeric_limits<T>::lowest() : T{0}) &&
                      max == std::numeric_limits<T>::max();
    const std::string range = full ? "" : "from " + std::to_string(min) + " to " + std::to_string(max);
    return command->add_option(name, target, description)
        ->check(CLI::Validator([min, max](std::string& text) { return whole_check(text, min, max); }, range));
}

template CLI::Option* add_whole<unsigned>(CLI::App*, const std::string&, unsigned&, const std::string&, unsigned,
                                          unsigned);
template CLI::Option* add_whole<int>(CLI::App*, const std::string&, int&, const std::string&, int, int);
template CLI::Option* add_whole<unsigned long>(CLI::App*, const std::string&, unsigned long&, const std::string&,
                                               unsigned long, unsigned long);
template CLI::Option* add_whole<unsigned long long>(CLI::App*, const std::string&, unsigned long long&,
                                                    const std::string&, unsigned long long, unsigned long long);

namespace {

CLI::Validator real_validator(double min, double max, bool above_min) {
    const std::string range = real_range(min, max, above_min);
    auto check = [min, max, above_min, range](std::string& text) -> std::string {
        double value = 0;
        const char* end = text.data() + text.size();
        const auto [ptr, error] = std::from_chars(text.data(), end, value);
        const bool number = !text.empty() && text.front() != '+' && error == std::errc() && ptr == end &&
                            std::isfinite(value);
        if (number && (above_min ? value > min : value >= min) && value <= max) return {};
        return "'" + text + "' is not a finite number" + (range.empty() ? "" : " " + range);
    };
    return CLI::Validator(check, range);
}

}  // namespace

CLI::Option* add_real(CLI::App* command, const std::string& name, double& target, const std::string& description,
                      double min, double max, bool above_min) {
    return command->add_option(name, target, description)->check(real_validator(min, max, above_min));
}

MapOptions MapPageArguments::options() const {
    try {
        check_map_size(width, height);
    } catch (const invalid_input& e) {
        throw usage_error(std::string("--width, --height: ") + e.what());
    }
    MapOptions options;
    options.title = title;
    options.credit = credit;
    options.paper = paper_from_string(paper);
    options.width_px = width;
    options.height_px = height;
    options.dpi = dpi;
    return options;
}

void add_map_page_options(CLI::App* command, MapPageArguments& page, const std::string& what) {
    command->add_option("--title", page.title, "title over the " + what);
    command->add_option("--credit", page.credit,
                        "small print under the " + what +
                            ", e.g. the data's copyright line; the credit line begins with the date "
                            "(SOURCE_DATE_EPOCH's, if set) and the vintages");
    command->add_option("--paper", page.paper, "the page of a PDF " + what + ", landscape (default a4)")
        ->check(CLI::IsMember({"a4", "a3"}));
    add_whole(command, "--width", page.width, "width in pixels", 16, 30000)->default_val(1600);
    add_whole(command, "--height", page.height, "height in pixels", 16, 30000)->default_val(1200);
    add_real(command, "--dpi", page.dpi, "resolution: sets the size of text and lines in pixels", 10.0, 2400.0)
        ->default_val(150);
}

CLI::Option* add_reals(CLI::App* command, const std::string& name, std::vector<double>& target,
                       const std::string& description) {
    return command->add_option(name, target, description)
        ->delimiter(',')
        ->check(real_validator(std::numeric_limits<double>::lowest(), std::numeric_limits<double>::max(), false));
}

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
                std::fputs(terminal_text(Activity::current()).c_str(), stderr);
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
    if (!globals.quiet)
        m_settings.warning = [](const std::string& line) { std::cerr << "warning: " << line << '\n'; };
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

std::ostream& Session::summary(bool on_stderr) const {
    static std::ostream nowhere(nullptr);  // a stream without a buffer takes and drops everything
    if (m_globals.quiet) return nowhere;
    return on_stderr ? std::cerr : std::cout;
}

Outputs Session::outputs(std::vector<std::string> paths, bool readable) const {
    return Outputs{std::move(paths), m_globals.problems_path, readable ? NumberForm::readable : NumberForm::full};
}

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

void add_readable_option(CLI::App* command, bool& readable) {
    command->add_flag("--readable", readable,
                      "tables for people: shares in percent and areas in hectares to one decimal, whole people");
}

}  // namespace placedef::cli
