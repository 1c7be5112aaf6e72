// The study config parser: parse_study_config on fuzzed TOML, as if it were
// examples/surrey/study.toml (so that relative paths in the seeds resolve to
// the sample data). Errors must be invalid_input naming the config file.
#include "fuzz_input.hpp"

#include "placedef/error.hpp"
#include "placedef/study.hpp"

#include <cstdint>
#include <string>

using namespace placedef;
using placedef::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path = PDEF_SOURCE_DIR "/examples/surrey/study.toml";
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const StudyConfig config = parse_study_config(text, path);
        for (const StudyLayer& layer : config.layers)
            require(config.layer(layer.name) == &layer, "layer names are unique and found");
    } catch (const invalid_input& e) {
        require(std::string(e.what()).find(path) != std::string::npos,
                std::string("a config error names the file: ") + e.what());
    }
    return 0;
}
