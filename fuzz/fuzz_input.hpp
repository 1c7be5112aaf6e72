// Helpers shared by the fuzz harnesses: splitting an input into records, a
// scratch file for readers that take a path, and a check that aborts (so that
// libFuzzer keeps the input) when an invariant the headers promise fails.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace placedef::fuzz {

struct Record {
    const std::uint8_t* data = nullptr;
    std::size_t size = 0;
};

/// Records of an input: each is a 2-byte little-endian length followed by
/// that many bytes (fewer when the input ends first). At most `max_records`.
std::vector<Record> split_records(const std::uint8_t* data, std::size_t size, std::size_t max_records);

/// Writes the bytes to this process's scratch file and returns its path.
std::string write_scratch_file(const std::uint8_t* data, std::size_t size, const std::string& extension);

/// Prints "invariant failed: <what>" and aborts when `holds` is false.
void require(bool holds, const std::string& what);

}  // namespace placedef::fuzz
