// Shared helpers for the test suite: where the data is, temporary folders,
// running the command-line program.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace placedef::test {

/// Root of the source tree (for shapefiles/ and tests/data/).
std::string source_path(const std::string& relative);
/// The full Surrey data set (../shared/data/uk), or "" when it is absent.
std::string uk_data_path(const std::string& relative);
bool have_uk_data();
/// The Sardinian commuting data (../shared/data/sardinia), or "" when it is absent.
std::string sardinia_data_path(const std::string& relative);
/// A fresh empty directory under the build tree, unique per call.
std::string temp_dir(const std::string& name);
/// Runs the placedef executable with `args` (shell-quoted by the caller);
/// returns the exit code and fills `output` with stdout+stderr.
int run_cli(const std::string& args, std::string& output);
/// run_cli under coreutils' `timeout`: a run still going after `seconds` is
/// killed and gives exit code 124, so that a hang fails the test.
int run_cli(const std::string& args, int seconds, std::string& output);
/// Rows of a simple CSV (no quoted commas) as column -> text.
std::vector<std::map<std::string, std::string>> read_csv_rows(const std::string& path);
/// Whole file as text.
std::string read_text(const std::string& path);

}  // namespace placedef::test

/// Skips the rest of a test case, saying so, when the full data is absent.
/// (Catch2 v2 has no SKIP; the message shows with -s and in the summary.)
#define PDEF_REQUIRE_UK_DATA()                                                       \
    do {                                                                             \
        if (!placedef::test::have_uk_data()) {                                       \
            WARN("SKIPPED: full data set not found at " PDEF_UK_DATA                 \
                 " (tests on ../shared/data/uk skip when it is absent)");            \
            return;                                                                  \
        }                                                                            \
    } while (false)
