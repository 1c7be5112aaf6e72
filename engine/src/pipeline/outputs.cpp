#include "pipeline/outputs.hpp"

#include "placedef/error.hpp"
#include "placedef/io.hpp"

#include <algorithm>

namespace placedef::detail {


std::string input_address(const LayerInput& input) { return input.address.empty() ? input.source() : input.address; }

void add_population_inputs(std::vector<std::string>& inputs, const PopulationInput& population) {
    if (!population.given()) return;
    inputs.push_back(input_address(population.units));
    if (!population.table.empty()) inputs.push_back(population.table);
}

OutputPlan::OutputPlan(const std::vector<std::string>& inputs, const Outputs& outputs,
                       const std::vector<std::string>& layers, const std::vector<std::string>& companions)
    : m_outputs(outputs) {
    std::vector<OutputTarget> targets;
    for (const std::string& path : outputs.paths) targets.push_back({path, is_csv_path(path) ? std::vector<std::string>{} : layers});
    for (const std::string& path : companions) targets.push_back({path, {}});
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
