#include "pipeline/outputs.hpp"

#include "placedef/error.hpp"
#include "placedef/io.hpp"

#include <algorithm>
#include <filesystem>

namespace placedef::detail {

namespace {

struct OutputTarget {
    std::string path;
    std::vector<std::string> layers;
};

bool is_file_path(const std::string& path) { return path != "-" && path.rfind("PG:", 0) != 0; }

std::filesystem::path resolved(const std::string& path) {
    std::error_code error;
    std::filesystem::path full = std::filesystem::weakly_canonical(path, error);
    return error ? std::filesystem::path(path).lexically_normal() : full;
}

// Interim check (replaced by io's check_outputs): same file as an input, or twice.
void check_outputs(const std::vector<std::string>& inputs, const std::vector<OutputTarget>& outputs) {
    std::vector<std::filesystem::path> seen;
    for (const std::string& input : inputs)
        if (is_file_path(input)) seen.push_back(resolved(LayerAddress::parse(input).path));
    const std::size_t input_count = seen.size();
    for (const OutputTarget& output : outputs) {
        if (!is_file_path(output.path)) continue;
        const std::filesystem::path path = resolved(output.path);
        const auto same = std::find(seen.begin(), seen.end(), path);
        if (same != seen.end())
            throw output_error(same - seen.begin() < static_cast<std::ptrdiff_t>(input_count)
                                   ? "is an input of this run; an output never replaces an input"
                                   : "is named twice as an output",
                               Location{output.path, {}, {}, {}, {}});
        seen.push_back(path);
    }
}

}  // namespace

OutputPlan::OutputPlan(const std::vector<std::string>& inputs, const Outputs& outputs,
                       const std::vector<std::string>& layers)
    : m_outputs(outputs) {
    std::vector<OutputTarget> targets;
    for (const std::string& path : outputs.paths) targets.push_back({path, is_csv_path(path) ? std::vector<std::string>{} : layers});
    if (!outputs.problems.empty()) targets.push_back({outputs.problems, {}});
    check_outputs(inputs, targets);
}

bool OutputPlan::needs_geometry() const {
    return !std::all_of(m_outputs.paths.begin(), m_outputs.paths.end(), is_csv_path);
}

void OutputPlan::write(const std::function<void(const std::string& path)>& write) const {
    for (const std::string& path : m_outputs.paths) write(path);
}

void OutputPlan::write_problems(const ProblemSink& problems) const {
    if (!m_outputs.problems.empty()) write_problems_csv(problems, m_outputs.problems);
}

}  // namespace placedef::detail
