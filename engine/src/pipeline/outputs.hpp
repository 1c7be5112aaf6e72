// A job's outputs, checked before any work and written one after another.
#pragma once

#include "placedef/pipeline.hpp"

#include <functional>
#include <string>
#include <vector>

namespace placedef::detail {

/// What an output is checked against for one input: its address, or the
/// source of a layer given loaded.
std::string input_address(const LayerInput& input);
/// The population's units and table, when there is a population.
void add_population_inputs(std::vector<std::string>& inputs, const PopulationInput& population);

class OutputPlan {
public:
    /// Checks `outputs` against each other and against `inputs` (layer
    /// addresses or table paths) before any work: an output never replaces
    /// an input, and every location must be writable. `layers` are the
    /// layers the job writes into a GeoPackage (empty: a whole file).
    OutputPlan(const std::vector<std::string>& inputs, const Outputs& outputs,
               const std::vector<std::string>& layers = {});
    /// Whether some output holds geometry (not every output is a CSV table).
    bool needs_geometry() const;
    /// Calls `write` for each output path, in order.
    void write(const std::function<void(const std::string& path)>& write) const;
    /// Writes the problems CSV, when one was asked for.
    void write_problems(const ProblemSink& problems) const;

private:
    Outputs m_outputs;
};

}  // namespace placedef::detail
