// Layer addressing strings: LayerAddress::parse, `path[:layer][@code_column]`.
#include "fuzz_input.hpp"

#include "placedef/error.hpp"
#include "placedef/io.hpp"

#include <cstdint>
#include <string_view>

using namespace placedef;
using placedef::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    // parse() asks GDAL's virtual file systems whether a path exists; the
    // network and stdin ones (/vsicurl/, /vsistdin/, ...) are not the parser's
    // business and would make runs depend on the outside world.
    if (text.find("/vsi") != std::string_view::npos) return 0;
    try {
        const LayerAddress address = LayerAddress::parse(text);
        require(!address.path.empty(), "a parsed address has a path");
        require(text.substr(0, address.path.size()) == address.path, "the path starts the address");
        require(address.code_column.empty() || text.size() > address.code_column.size(),
                "the code column comes from the text");
        const std::string written = address.to_string();
        require(written.size() <= text.size(), "to_string adds nothing to the text");
    } catch (const invalid_input&) {
    }
    return 0;
}
