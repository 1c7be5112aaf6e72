#include "placedef/error.hpp"
#include "placedef/io.hpp"

#include "core/location.hpp"
#include "io/detail/staged_output.hpp"
#include "core/text.hpp"

#include <filesystem>
#include <optional>
#include <system_error>

namespace placedef {
inline namespace io {

namespace {

namespace fs = std::filesystem;

/// An input as a file and the layer read from it (empty: not named).
struct InputFile {
    std::string given;
    std::string path;
    std::string layer;
};

InputFile input_file(const std::string& text) {
    std::error_code error;
    if (fs::exists(text, error)) return {text, text, {}};  // a table, or a dataset named with no layer
    try {
        const LayerAddress address = LayerAddress::parse(text);
        return {text, address.path, address.layer};
    } catch (const invalid_input&) {
        return {text, text, {}};  // the read will say what is wrong with it
    }
}

/// The same file: one inode when both exist (hard links too), else the same
/// path once `.`, `..` and symbolic links are resolved.
bool same_file(const std::string& a, const std::string& b) {
    std::error_code error;
    if (fs::exists(a, error) && fs::exists(b, error)) {
        const bool equivalent = fs::equivalent(a, b, error);
        if (!error) return equivalent;
    }
    const fs::path resolved_a = fs::weakly_canonical(fs::absolute(a, error), error);
    const fs::path resolved_b = fs::weakly_canonical(fs::absolute(b, error), error);
    return resolved_a == resolved_b;
}

/// Whether `output` writes into a GeoPackage layer by layer.
bool writes_layers(const OutputTarget& output) {
    return !output.layers.empty() && detail::is_geopackage_path(output.path);
}

/// The first of `written` that is also in `other` (ASCII case ignored, as GeoPackage does).
std::optional<std::string> common_layer(const std::vector<std::string>& written,
                                        const std::vector<std::string>& other) {
    for (const std::string& name : written)
        if (detail::find_name(other, name)) return name;
    return std::nullopt;
}

/// An output that is also the file of `input`: allowed only for new layers of a GeoPackage.
void check_against_input(const OutputTarget& output, const InputFile& input) {
    const Location where = detail::in_file(output.path);
    if (!writes_layers(output))
        throw output_error("is also the input '" + input.given + "'; writing it would replace that input", where);
    std::vector<std::string> read{input.layer};
    if (input.layer.empty()) {  // the layer chosen at reading time: any of them, to be safe
        try {
            read = list_layers(input.path);
        } catch (const io_error& e) {
            throw output_error("is also the input '" + input.given + "', whose layers cannot be listed (" +
                                   e.reason() + "); write to another file",
                               where);
        }
    }
    if (const auto layer = common_layer(output.layers, read))
        throw output_error("would overwrite input layer '" + *layer + "' of '" + input.path +
                               "'; write to another layer name or file",
                           where);
}

void check_against_output(const OutputTarget& output, const OutputTarget& earlier) {
    const Location where = detail::in_file(output.path);
    if (!writes_layers(output) || !writes_layers(earlier))
        throw output_error("is given as an output twice" +
                               (earlier.path == output.path ? std::string() : " (also as '" + earlier.path + "')"),
                           where);
    if (const auto layer = common_layer(output.layers, earlier.layers))
        throw output_error("layer '" + *layer + "' would be written twice", where);
}

}  // namespace

void check_outputs(const std::vector<std::string>& inputs, const std::vector<OutputTarget>& outputs) {
    std::vector<InputFile> files;
    for (const std::string& input : inputs)
        if (!detail::is_written_in_place(input)) files.push_back(input_file(input));
    for (std::size_t i = 0; i < outputs.size(); ++i) {
        const OutputTarget& output = outputs[i];
        if (detail::is_written_in_place(output.path)) continue;
        for (const InputFile& input : files)
            if (same_file(input.path, output.path)) check_against_input(output, input);
        for (std::size_t j = 0; j < i; ++j)
            if (!detail::is_written_in_place(outputs[j].path) && same_file(outputs[j].path, output.path))
                check_against_output(output, outputs[j]);
        detail::check_writable_folder(output.path, output.path);
    }
}

}  // namespace io
}  // namespace placedef
