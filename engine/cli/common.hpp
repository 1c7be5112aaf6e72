// Shared by the command-line commands: global options, problem reporting,
// loading layers and population, exit codes.
#pragma once

#include "progress.hpp"

#include "placedef/io.hpp"
#include "placedef/pipeline.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <limits>
#include <memory>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <vector>

namespace placedef::cli {

enum ExitCode { ok = 0, usage = 1, input_error = 2, processing_error = 3, output_failure = 4 };

/// A command line that names values no run can take (exit code 1), found
/// after parsing: e.g. a map larger than the engine draws.
struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Globals {
    std::string study_crs = "EPSG:27700";
    std::string assume_crs;
    std::string invalid = "repair";
    unsigned threads = 0;
    bool quiet = false;
    bool verbose = false;
    std::string problems_path;
    double time_limit = 0;      ///< --time-limit, seconds (0: none)
    unsigned memory_limit = 0;  ///< --memory-limit, MB of address space (0: none)
};

/// While it lives, everything written to std::cout and std::cerr passes
/// through terminal_text (placedef/text.hpp): codes, names and paths from the
/// data are shown with their control characters escaped, whichever message
/// or result carries them. UTF-8 sequences split between writes are kept
/// whole.
class TerminalOutput {
public:
    TerminalOutput();
    ~TerminalOutput();
    TerminalOutput(const TerminalOutput&) = delete;
    TerminalOutput& operator=(const TerminalOutput&) = delete;

private:
    class Buffer;
    std::unique_ptr<Buffer> m_out, m_err;
    std::streambuf* m_cout = nullptr;
    std::streambuf* m_cerr = nullptr;
};

/// Every numeric option of every command is read by these two, strictly: a
/// whole number is decimal digits (a '-' only where negatives are allowed),
/// within [min, max] of its type, and a real number is a finite decimal
/// number within [min, max] (above min when `above_min`). Anything else
/// ("-1" for a count, "1e23" for a seed, "nan", "0x10", "5 m") stops the run
/// with exit code 1: "error: --seed: '-1' is not a whole number from 0 to
/// 18446744073709551615"; never clamped or wrapped.
template <typename T>
CLI::Option* add_whole(CLI::App* command, const std::string& name, T& target, const std::string& description,
                       T min = 0, T max = std::numeric_limits<T>::max());
CLI::Option* add_real(CLI::App* command, const std::string& name, double& target, const std::string& description,
                      double min = std::numeric_limits<double>::lowest(),
                      double max = std::numeric_limits<double>::max(), bool above_min = false);
/// A comma-separated list of finite numbers, each read as add_real reads one.
CLI::Option* add_reals(CLI::App* command, const std::string& name, std::vector<double>& target,
                       const std::string& description);

/// The page of a map or a figure of maps: --title, --credit, --paper,
/// --width, --height and --dpi.
struct MapPageArguments {
    std::string title, credit, paper = "a4";
    int width = 1600, height = 1200;
    double dpi = 150;
    /// The page as the render module takes it (the date is left to the job).
    /// A size no map can have is a usage error, found before any layer is read.
    MapOptions options() const;
};
void add_map_page_options(CLI::App* command, MapPageArguments& page, const std::string& what);

/// What the run is doing, for the messages of --time-limit and
/// --memory-limit ("reading 'a.gpkg'"). The scope sets it and, unless an
/// exception is leaving it, gives back the one before, so that an error
/// handler still sees where the run stopped.
class Activity {
public:
    explicit Activity(std::string what);
    ~Activity();
    Activity(const Activity&) = delete;
    Activity& operator=(const Activity&) = delete;
    static std::string current();

private:
    std::string m_previous;
    int m_exceptions;
};

/// Applies --memory-limit (setrlimit RLIMIT_AS) and runs the --time-limit
/// watchdog, which ends the process with exit code 3 and says so, for as
/// long as it lives.
class RunLimits {
public:
    explicit RunLimits(const Globals& globals);
    ~RunLimits();
    RunLimits(const RunLimits&) = delete;
    RunLimits& operator=(const RunLimits&) = delete;
    /// "memory limit of N MB reached while ...", or "out of memory while ..."
    /// when no limit was set.
    static std::string memory_message();
    /// True when --memory-limit is in force (so that a thread that cannot
    /// be started means the limit was reached).
    static bool memory_limited();

private:
    struct Watchdog;
    std::unique_ptr<Watchdog> m_watchdog;
};

/// Prints the first problems as they come, keeps all for the summary and the
/// optional problems CSV.
class Reporter {
public:
    explicit Reporter(const Globals& globals) : m_globals(globals) {
        m_sink.set_listener([this](const Problem& problem) {
            if (m_globals.quiet) return;
            if (m_shown < shown_limit)
                std::cerr << "warning: " << problem.describe() << '\n';
            else if (m_shown == shown_limit)
                std::cerr << "warning: further problems are counted in the summary"
                          << (m_globals.problems_path.empty() ? " (write them all with --problems FILE.csv)" : "")
                          << '\n';
            ++m_shown;
        });
    }
    ProblemSink& sink() { return m_sink; }
    /// Prints the summary of the problems (the pipeline writes --problems).
    void finish();

private:
    static constexpr std::size_t shown_limit = 20;
    const Globals& m_globals;
    ProblemSink m_sink;
    std::size_t m_shown = 0;
};

/// The pipeline's run settings from the global options: notes on standard
/// error (unless --quiet), a progress bar per step on a terminal.
class Session {
public:
    explicit Session(const Globals& globals);
    const RunSettings& settings() const { return m_settings; }
    /// The outputs of a job: its -o paths and --problems.
    Outputs outputs(std::vector<std::string> paths, bool readable = false) const;
    /// Where a command says what it did and wrote (standard output, or
    /// standard error when `on_stderr`, for a command whose CSV may go to
    /// standard output). The one -q rule: under --quiet this prints nothing,
    /// so that only errors and the results themselves (the -o outputs, and
    /// info's descriptions, which are its result) are printed.
    std::ostream& summary(bool on_stderr = false) const;
    /// Ends the progress bar of the step that is drawing.
    void finish_progress();

private:
    const Globals& m_globals;
    RunSettings m_settings;
    std::unique_ptr<ProgressBar> m_bar;
    std::string m_step;
};

struct PopulationArguments {
    std::string layer, table, column, key;
    PopulationInput input() const;
};
void add_population_options(CLI::App* command, PopulationArguments& args);

/// --readable: tables written for people (percentages and hectares to one
/// decimal, whole people) instead of in full precision.
void add_readable_option(CLI::App* command, bool& readable);

/// A subcommand and what runs it once the command line is parsed.
struct Command {
    CLI::App* app;
    std::function<int()> run;
};
std::vector<Command> add_layer_commands(CLI::App& app, const Globals& globals);    // info, overlay
std::vector<Command> add_scoring_commands(CLI::App& app, const Globals& globals);  // align, bestfit, matrix
std::vector<Command> add_catchment_commands(CLI::App& app, const Globals& globals);  // pcn
std::vector<Command> add_cluster_commands(CLI::App& app, const Globals& globals);    // footprints
std::vector<Command> add_repair_commands(CLI::App& app, const Globals& globals);     // repair
std::vector<Command> add_render_commands(CLI::App& app, const Globals& globals);     // map
std::vector<Command> add_study_commands(CLI::App& app, const Globals& globals);      // study

}  // namespace placedef::cli
