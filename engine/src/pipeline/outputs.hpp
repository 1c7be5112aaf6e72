// A job's outputs, checked before any work and written one after another.
#pragma once

#include "placedef/pipeline.hpp"

#include <cmath>
#include <functional>
#include <string>
#include <vector>

namespace placedef::detail {

/// What an output is checked against for one input: its address, or the
/// source of a layer given loaded.
std::string input_address(const LayerInput& input);
/// The population's units and table, when there is a population.
void add_population_inputs(std::vector<std::string>& inputs, const PopulationInput& population);

/// The columns of tables whose numbers follow the output's NumberForm.
class Columns {
public:
    explicit Columns(NumberForm form) : m_form(form) {}
    OutputField text(const std::string& name) const { return {name, FieldType::text}; }
    OutputField count(const std::string& name) const { return {name, FieldType::integer}; }
    OutputField real(const std::string& name) const { return {name, FieldType::real}; }
    OutputField share(const std::string& name) const { return {quantity_column(name, Quantity::share, m_form), FieldType::real}; }
    OutputField people(const std::string& name) const {
        return {quantity_column(name, Quantity::people, m_form), m_form == NumberForm::full ? FieldType::real : FieldType::integer};
    }
    FieldValue share(double value) const { return quantity_value(value, Quantity::share, m_form); }
    FieldValue people(double value) const { return quantity_value(value, Quantity::people, m_form); }
    static FieldValue count(std::size_t value) { return static_cast<std::int64_t>(value); }
    static FieldValue real(double value) { return std::isnan(value) ? FieldValue{} : FieldValue{value}; }

private:
    NumberForm m_form;
};

class OutputPlan {
public:
    /// Checks `outputs` against each other and against `inputs` (layer
    /// addresses or table paths) before any work: an output never replaces
    /// an input, and every location must be writable. `layers` are the
    /// layers the job writes into a GeoPackage (empty: a whole file).
    /// `companions` are files an output writes beside itself (a scorecard's
    /// tables): checked with the outputs, but write() does not visit them.
    OutputPlan(const std::vector<std::string>& inputs, const Outputs& outputs,
               const std::vector<std::string>& layers = {}, const std::vector<std::string>& companions = {});
    /// Whether some output holds geometry (not every output is a CSV table).
    bool needs_geometry() const;
    /// Calls `write` for each output path, in order (not for the companions).
    void write(const std::function<void(const std::string& path)>& write) const;
    /// Writes the problems CSV, when one was asked for.
    void write_problems(const ProblemSink& problems) const;

private:
    Outputs m_outputs;
};

}  // namespace placedef::detail
