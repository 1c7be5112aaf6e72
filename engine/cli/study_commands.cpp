// study: a whole run over a region from one TOML config.
#include "common.hpp"

#include "placedef/pipeline.hpp"
#include "placedef/study.hpp"

#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

namespace placedef::cli {
namespace {

struct StudyArguments {
    std::string config;
    std::string outdir;
    bool no_maps = false;
};

int run_study_command(const StudyArguments& args, const Globals& globals) {
    Reporter reporter(globals);
    const StudyConfig config = read_study_config(args.config);

    // One progress bar per long step; a log line closes the bar being drawn.
    Session session(globals);
    StudyRunOptions options;
    options.threads = globals.threads;
    options.maps = !args.no_maps;
    options.log = [&](const std::string& line) {
        session.finish_progress();
        session.summary(true) << line << '\n';
    };
    options.progress = session.settings().progress;
    options.problems = globals.problems_path;
    const StudySummary summary = run_study(config, args.outdir, reporter.sink(), options);
    session.finish_progress();

    {
        std::ostringstream out;
        out << std::fixed << std::setprecision(2);
        out << "study: " << summary.layers << " layers";
        if (summary.matrix_size) out << ", a " << summary.matrix_size << " x " << summary.matrix_size << " matrix";
        if (summary.pcn_footprints) out << ", " << summary.pcn_footprints << " PCN footprints";
        for (const auto& [run, count] : summary.footprints) out << ", " << count << " footprints (" << run << ')';
        out << ", " << summary.maps << " maps in " << summary.seconds << " s\n";
        if (globals.verbose)
            for (const StudyStep& step : summary.steps)
                out << "  " << std::left << std::setw(36) << step.name << std::right << std::setw(8) << step.seconds << " s\n";
        out << "wrote:";
        for (const std::string& file : summary.files) out << ' ' << file;
        out << '\n';
        session.summary(true) << out.str();
    }
    reporter.finish();
    return ok;
}

}  // namespace

std::vector<Command> add_study_commands(CLI::App& app, const Globals& globals) {
    auto args = std::make_shared<StudyArguments>();
    CLI::App* study = app.add_subcommand(
        "study", "a whole study from one config: layers, matrix, PCN and town footprints, maps, report.html");
    study->add_option("CONFIG", args->config, "study config (TOML; see examples/surrey/study.toml)")->required();
    study->add_option("-o,--output", args->outdir, "output folder (created if needed)")->required();
    study->add_flag("--no-maps", args->no_maps, "skip the maps (faster; the report has none)");
    study->footer("The config's [study] crs, assume_crs and invalid settings apply; --threads, -q, -v and --problems "
                  "apply as for every command.");
    return {{study, [args, &globals] { return run_study_command(*args, globals); }}};
}

}  // namespace placedef::cli
