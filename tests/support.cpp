#include "support.hpp"

#include <atomic>
#include <cstdio>
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

bool have_uk_data() {
    static const bool present = fs::exists(fs::path(PDEF_UK_DATA) / "lsoa_2021_bgc.gpkg");
    return present;
}

std::string temp_dir(const std::string& name) {
    static std::atomic<int> counter{0};
    fs::path dir = fs::temp_directory_path() /
                   ("placedef-test-" + std::to_string(::getpid()) + "-" + name + "-" +
                    std::to_string(counter++));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir.string();
}

int run_cli(const std::string& args, std::string& output) {
    std::string command = std::string("'") + PDEF_CLI + "' " + args + " 2>&1";
    output.clear();
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) return -1;
    char buffer[4096];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
    int status = ::pclose(pipe);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace placedef::test
