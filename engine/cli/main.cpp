// The placedef command line: argument parsing and reporting only; the work is
// done by the engine library. Exit codes (docs/cli.md): 0 ok, 1 usage,
// 2 input error, 3 processing error, 4 output error.
#include "common.hpp"

#include "placedef/error.hpp"

#include <iostream>
#include <system_error>

namespace placedef::cli {
namespace {

int run(int argc, char** argv) {
    CLI::App app{"placedef: define places from boundary layers: overlay, co-terminosity, footprints.\n"
                 "A LAYER is path[:layer][@code_column]; the code column is guessed when one column ending\n"
                 "in CD has unique values."};
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

}  // namespace
}  // namespace placedef::cli

int main(int argc, char** argv) {
    using namespace placedef;
    using placedef::cli::ExitCode;
    const cli::TerminalOutput terminal;  // also for the error messages below
    try {
        return placedef::cli::run(argc, argv);
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
