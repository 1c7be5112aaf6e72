// Shared by the command-line commands: global options, problem reporting,
// loading layers and population, exit codes.
#pragma once

#include "progress.hpp"

#include "placedef/io.hpp"
#include "placedef/pipeline.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <streambuf>
#include <string>
#include <vector>

namespace placedef::cli {

enum ExitCode { ok = 0, usage = 1, input_error = 2, processing_error = 3, output_failure = 4 };

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
    Outputs outputs(std::vector<std::string> paths) const;
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

/// A subcommand and what runs it once the command line is parsed.
struct Command {
    CLI::App* app;
    std::function<int()> run;
};
std::vector<Command> add_layer_commands(CLI::App& app, const Globals& globals);    // info, overlay
std::vector<Command> add_scoring_commands(CLI::App& app, const Globals& globals);  // align, bestfit, matrix
std::vector<Command> add_catchment_commands(CLI::App& app, const Globals& globals);  // pcn
std::vector<Command> add_cluster_commands(CLI::App& app, const Globals& globals);    // footprints
std::vector<Command> add_render_commands(CLI::App& app, const Globals& globals);     // map
std::vector<Command> add_study_commands(CLI::App& app, const Globals& globals);      // study

}  // namespace placedef::cli
