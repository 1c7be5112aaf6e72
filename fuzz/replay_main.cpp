// Replays saved inputs through one harness without libFuzzer, so that the
// regression cases (tests/cases/fuzz/<harness>/) and the seed corpus run in
// every build and compiler, under the sanitizers when PDEF_SANITIZE is on.
//   fuzz_replay_<harness> FILE_OR_FOLDER...
// A broken invariant aborts (fuzz_input.hpp), which fails the test; an input
// that cannot be read, or no input at all, is an error too, so a moved folder
// cannot turn the test into one that always passes.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

std::vector<std::filesystem::path> inputs_in(const std::filesystem::path& argument) {
    if (!std::filesystem::is_directory(argument)) return {argument};
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(argument))
        if (entry.is_regular_file()) files.push_back(entry.path());
    std::sort(files.begin(), files.end());  // the same order on every run
    return files;
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t replayed = 0;
    for (int i = 1; i < argc; ++i) {
        for (const std::filesystem::path& path : inputs_in(argv[i])) {
            std::ifstream in(path, std::ios::binary);
            if (!in) {
                std::fprintf(stderr, "error: cannot read %s\n", path.c_str());
                return 1;
            }
            const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
            std::fprintf(stderr, "replaying %s (%zu bytes)\n", path.c_str(), bytes.size());
            LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
            ++replayed;
        }
    }
    if (replayed == 0) {
        std::fprintf(stderr, "error: no inputs to replay (usage: %s FILE_OR_FOLDER...)\n", argv[0]);
        return 1;
    }
    std::printf("%zu inputs replayed, every invariant held\n", replayed);
    return 0;
}
