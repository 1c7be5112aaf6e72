#include "support.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <vector>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace placedef::test {

std::string source_path(const std::string& relative) {
    return (fs::path(PDEF_SOURCE_DIR) / relative).string();
}

std::string uk_data_path(const std::string& relative) {
    if (!have_uk_data()) return {};
    return (fs::path(PDEF_UK_DATA) / relative).string();
}

std::string sardinia_data_path(const std::string& relative) {
    const fs::path folder = fs::path(PDEF_UK_DATA).parent_path() / "sardinia";
    if (!fs::exists(folder / "commuting_flows_2001.csv")) return {};
    return (folder / relative).string();
}

bool have_uk_data() {
    static const bool present = fs::exists(fs::path(PDEF_UK_DATA) / "lsoa_2021_bgc.gpkg");
    return present;
}

namespace {
/// Removes the test's temporary folders when the test program ends
/// (set PDEF_KEEP_TEST_FILES to keep them for a look).
struct TempRegistry {
    std::mutex mutex;
    std::vector<fs::path> made;
    ~TempRegistry() {
        if (std::getenv("PDEF_KEEP_TEST_FILES")) return;
        std::error_code ignored;
        for (const fs::path& dir : made) fs::remove_all(dir, ignored);
    }
};
TempRegistry& temp_registry() {
    static TempRegistry registry;
    return registry;
}
}  // namespace

std::string temp_dir(const std::string& name) {
    static std::atomic<int> counter{0};
    fs::path dir = fs::temp_directory_path() /
                   ("placedef-test-" + std::to_string(::getpid()) + "-" + name + "-" +
                    std::to_string(counter++));
    fs::remove_all(dir);
    fs::create_directories(dir);
    TempRegistry& registry = temp_registry();
    std::lock_guard<std::mutex> lock(registry.mutex);
    registry.made.push_back(dir);
    return dir.string();
}

namespace {
int run_command(const std::string& command, std::string& output) {
    output.clear();
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) return -1;
    char buffer[4096];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
    int status = ::pclose(pipe);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
}  // namespace

int run_cli(const std::string& args, std::string& output) {
    return run_command(std::string("'") + PDEF_CLI + "' " + args + " 2>&1", output);
}

int run_cli(const std::string& args, int seconds, std::string& output) {
    return run_command("timeout --kill-after=10 " + std::to_string(seconds) + " '" + PDEF_CLI + "' " + args + " 2>&1",
                       output);
}

std::vector<std::map<std::string, std::string>> read_csv_rows(const std::string& path) {
    std::ifstream in(path);
    // RFC 4180 cells: a quoted cell may hold commas and doubled quotes (names like "Godalming South, Milford").
    auto split = [](const std::string& line) {
        std::vector<std::string> cells(1);
        bool quoted = false;
        for (std::size_t i = 0; i < line.size(); ++i) {
            const char c = line[i];
            if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                cells.back() += '"';
                ++i;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                cells.emplace_back();
            } else {
                cells.back() += c;
            }
        }
        return cells;
    };
    std::string line;
    std::getline(in, line);
    const std::vector<std::string> header = split(line);
    std::vector<std::map<std::string, std::string>> rows;
    while (std::getline(in, line)) {
        const std::vector<std::string> cells = split(line);
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i) row[header[i]] = cells[i];
        rows.push_back(std::move(row));
    }
    return rows;
}

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace placedef::test
