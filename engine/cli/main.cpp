// The placedef command line: argument parsing and reporting only; the work is
// done by the engine library. Exit codes (docs/cli.md): 0 ok, 1 usage,
// 2 input error, 3 processing error, 4 output error, 128 + the signal when
// stopped by Ctrl-C (130) or SIGTERM (143).
#include "common.hpp"

#include "placedef/cancel.hpp"
#include "placedef/error.hpp"

#include <csignal>
#include <iostream>
#include <system_error>

#include <signal.h>
#include <unistd.h>

namespace placedef::cli {
namespace {

int run(int argc, char** argv) {
    CLI::App app{"placedef: define places from boundary layers: overlay, co-terminosity, footprints.\n"
                 "A LAYER is path[:layer][@CODE[,NAME]]; the code column is guessed when one column ending\n"
                 "in CD has unique values, and the name column from it (LAD21CD -> LAD21NM) or 'name'."};
    app.set_version_flag("--version", PDEF_VERSION);
    app.require_subcommand(1);
    app.fallthrough();
    // Usage errors read like every other error: "error: --seed: '-1' is not a whole number ...".
    app.failure_message([](const CLI::App*, const CLI::Error& e) {
        return "error: " + std::string(e.what()) + "\nRun with --help for more information.\n";
    });
    Globals globals;
    app.add_option("--study-crs", globals.study_crs, "CRS every layer is reprojected to (projected, metres, area kept within 0.5 %)")
        ->default_val("EPSG:27700");
    app.add_option("--assume-crs", globals.assume_crs, "CRS of layers that declare none (otherwise refused)");
    app.add_option("--invalid", globals.invalid, "what to do with an invalid geometry: repair, skip or fail")
        ->default_val("repair")
        ->check(CLI::IsMember({"repair", "skip", "fail"}));
    add_whole(&app, "--threads", globals.threads, "worker threads (0: all cores)")->default_val(0);
    app.add_flag("-q,--quiet", globals.quiet, "print only errors");
    app.add_flag("-v,--verbose", globals.verbose, "also print how long each step took");
    app.add_option("--problems", globals.problems_path, "write every reported problem to this CSV");
    add_real(&app, "--time-limit", globals.time_limit, "stop with exit code 3 after this many seconds (0: no limit)", 0.0,
             1e9)
        ->default_val(0);
    add_whole(&app, "--memory-limit", globals.memory_limit,
              "stop with exit code 3 when the process needs more than this many MB of address space (0: no limit)", 0u,
              1u << 24)
        ->default_val(0);

    std::vector<Command> commands = add_layer_commands(app, globals);
    for (Command& command : add_scoring_commands(app, globals)) commands.push_back(std::move(command));
    for (Command& command : add_catchment_commands(app, globals)) commands.push_back(std::move(command));
    for (Command& command : add_cluster_commands(app, globals)) commands.push_back(std::move(command));
    for (Command& command : add_repair_commands(app, globals)) commands.push_back(std::move(command));
    for (Command& command : add_render_commands(app, globals)) commands.push_back(std::move(command));
    for (Command& command : add_study_commands(app, globals)) commands.push_back(std::move(command));

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? ok : usage;
    }
    const RunLimits limits(globals);
    for (const Command& command : commands) {
        if (!command.app->parsed()) continue;
        const Activity activity("running '" + command.app->get_name() + "'");
        return command.run();
    }
    return usage;  // unreachable: require_subcommand(1)
}

// Ctrl-C or SIGTERM asks the engine to stop at its next check, so that
// outputs being written are removed and earlier ones stay as they were; the
// handler is then reset, so a second signal ends the process at once.
CancelToken interrupt_token;
volatile std::sig_atomic_t interrupt_signal = 0;

extern "C" void on_interrupt(int signal_number) {
    interrupt_signal = signal_number;
    interrupt_token.request();
    static const char message[] = "\nstopping: press Ctrl-C again to stop at once\n";
    // write(2) is async-signal-safe; nothing can be done if it fails.
    [[maybe_unused]] const ssize_t written = ::write(STDERR_FILENO, message, sizeof message - 1);
}

void install_interrupt_handler() {
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    for (int signal_number : {SIGINT, SIGTERM}) {
        struct sigaction previous {};
        // A signal ignored by the caller (nohup, a background job) stays ignored.
        if (::sigaction(signal_number, nullptr, &previous) == 0 && previous.sa_handler == SIG_IGN) continue;
        ::sigaction(signal_number, &action, nullptr);
    }
}

}  // namespace
}  // namespace placedef::cli

int main(int argc, char** argv) {
    using namespace placedef;
    using placedef::cli::ExitCode;
    const cli::TerminalOutput terminal;  // also for the error messages below
    cli::install_interrupt_handler();
    const CancelScope cancel_scope(cli::interrupt_token);
    try {
        return placedef::cli::run(argc, argv);
    } catch (const cancelled&) {
        const int signal_number = cli::interrupt_signal != 0 ? cli::interrupt_signal : SIGINT;
        std::cerr << "error: stopped by " << (signal_number == SIGTERM ? "SIGTERM" : "Ctrl-C")
                  << "; an output not finished was not written, and files it would have replaced are as they were\n";
        return 128 + signal_number;
    } catch (const cli::usage_error& e) {
        std::cerr << "error: " << e.what() << "\nRun with --help for more information.\n";
        return ExitCode::usage;
    } catch (const output_error& e) {
        std::cerr << "error: " << e.what() << '\n';
        return ExitCode::output_failure;
    } catch (const io_error& e) {
        std::cerr << "error: " << e.what() << '\n';
        return ExitCode::input_error;
    } catch (const invalid_input& e) {
        std::cerr << "error: " << e.what() << '\n';
        return ExitCode::input_error;
    } catch (const std::bad_alloc&) {
        std::cerr << "error: " << cli::RunLimits::memory_message() << '\n';
        return ExitCode::processing_error;
    } catch (const std::system_error& e) {
        // Under --memory-limit a worker thread fails to start for want of room for its stack.
        if (cli::RunLimits::memory_limited() && e.code() == std::errc::resource_unavailable_try_again)
            std::cerr << "error: " << cli::RunLimits::memory_message() << " (no room for another thread)\n";
        else
            std::cerr << "error: " << e.what() << '\n';
        return ExitCode::processing_error;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << '\n';
        return ExitCode::processing_error;
    }
}
