#include "fuzz_input.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace placedef::fuzz {

std::vector<Record> split_records(const std::uint8_t* data, std::size_t size, std::size_t max_records) {
    std::vector<Record> records;
    std::size_t at = 0;
    while (at + 2 <= size && records.size() < max_records) {
        const std::size_t length = static_cast<std::size_t>(data[at]) | static_cast<std::size_t>(data[at + 1]) << 8;
        at += 2;
        const std::size_t available = std::min(length, size - at);
        records.push_back(Record{data + at, available});
        at += available;
    }
    return records;
}

namespace {

/// The scratch file of this process (libFuzzer may run several jobs in one
/// folder), removed when the process exits normally.
struct ScratchFile {
    std::filesystem::path path;
    ~ScratchFile() {
        std::error_code ignored;
        if (!path.empty()) std::filesystem::remove(path, ignored);
    }
};

}  // namespace

std::string write_scratch_file(const std::uint8_t* data, std::size_t size, const std::string& extension) {
    static ScratchFile scratch;
    scratch.path = std::filesystem::temp_directory_path() /
                   ("placedef-fuzz-" + std::to_string(getpid()) + extension);
    std::ofstream out(scratch.path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    out.close();
    require(static_cast<bool>(out), "the scratch file " + scratch.path.string() + " can be written");
    return scratch.path.string();
}

void require(bool holds, const std::string& what) {
    if (holds) return;
    std::fprintf(stderr, "invariant failed: %s\n", what.c_str());
    std::abort();
}

}  // namespace placedef::fuzz
