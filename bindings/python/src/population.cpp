// placedef.Population: people on the units of a polygon layer.
#include "types.hpp"

#include <algorithm>

namespace placedef::python {

namespace {

Population make(const py::object& units_argument, const py::object& table_argument,
                const std::optional<std::string>& column, const std::optional<std::string>& key,
                const std::optional<std::vector<double>>& values, unsigned threads) {
    const std::optional<std::string> table =
        table_argument.is_none() ? std::nullopt : std::optional<std::string>(path_text(table_argument, "table"));
    if (column) c_text(*column, "column");
    if (key) c_text(*key, "key");
    const Layer units = as_layer(units_argument, false, settings_of(threads));
    Context ctx(settings_of(threads));
    pdef_population* made = nullptr;
    if (values && !table && !column && !key) {
        ctx.check(pdef_population_create_from_values(ctx.get(), units.handle.get(), values->size(), values->data(),
                                                     &made));
    } else if (table && column && !values) {
        ctx.run([&] {
            return pdef_population_create(ctx.get(), units.handle.get(), table->c_str(), key ? key->c_str() : nullptr,
                                          column->c_str(), &made);
        });
    } else {
        value_error("give a population either as table= and column= (and key=), or as values=");
    }
    return Population{Owned<pdef_population>(made, pdef_population_destroy), units, ctx.problems()};
}

py::array_t<double> values_of(const Population& population) {
    Context ctx;
    const std::size_t count = layer_count(ctx, population.units);
    py::array_t<double> values(static_cast<py::ssize_t>(count));
    ctx.check(pdef_population_copy_values(ctx.get(), population.handle.get(), values.mutable_data(), count));
    return values;
}

py::array_t<double> apportion(const Population& population, const py::object& target_argument, unsigned threads) {
    const Layer target = as_layer(target_argument, false, settings_of(threads));
    Context ctx(settings_of(threads));
    const std::size_t count = layer_count(ctx, target);
    py::array_t<double> values(static_cast<py::ssize_t>(count));
    double* out = values.mutable_data();
    ctx.run([&] { return pdef_population_apportion(ctx.get(), population.handle.get(), target.handle.get(), out, count); });
    return values;
}

}  // namespace

const pdef_population* population_handle(const py::object& population) {
    if (population.is_none()) return nullptr;
    if (!py::isinstance<Population>(population)) value_error("population must be a placedef.Population or None");
    return population.cast<const Population&>().handle.get();
}

py::list job_problems(const Context& ctx, const std::vector<const Layer*>& inputs, const py::object& population) {
    py::list all;
    std::vector<const pdef_layer*> seen;
    auto add_layer = [&](const Layer& layer) {
        if (std::find(seen.begin(), seen.end(), layer.handle.get()) != seen.end()) return;
        seen.push_back(layer.handle.get());
        for (const py::handle problem : layer.problems) all.append(problem);
    };
    for (const Layer* layer : inputs) add_layer(*layer);
    if (!population.is_none() && py::isinstance<Population>(population)) {
        const Population& people = population.cast<const Population&>();
        add_layer(people.units);
        for (const py::handle problem : people.problems) all.append(problem);
    }
    for (const py::handle problem : ctx.problems()) all.append(problem);
    return all;
}

void bind_population(py::module_& m) {
    py::class_<Population>(m, "Population",
                           "People on the units of a polygon layer (e.g. LSOAs); wherever it is used it is\n"
                           "apportioned to pieces by area.\n"
                           "\n"
                           ">>> import placedef\n"
                           ">>> people = placedef.Population(\"shapefiles/lsoa_2011.gpkg\", table=\"shapefiles/population_mid2020_lsoa11.csv\",\n"
                           "...                              column=\"total_population\", key=\"lsoa11_code\")\n"
                           ">>> int(people.values.sum())\n"
                           "276908\n")
        .def(py::init(&make), py::arg("units"), py::arg("table") = py::none(), py::arg("column") = py::none(),
             py::arg("key") = py::none(), py::arg("values") = py::none(), py::arg("threads") = 0u,
             "From a CSV (table=path, column=numeric column, key=code column; default: the column matching the\n"
             "most unit codes, as in every front end)\n"
             "joined on the unit codes, or from one value per unit (values=).")
        .def_readonly("units", &Population::units)
        .def_readonly("problems", &Population::problems, "problems reported while the table was joined (dicts)")
        .def_property_readonly("values", &values_of, "the population of each unit (NumPy array)")
        .def("apportion", &apportion, py::arg("target"), py::arg("threads") = 0u,
             "the population of each unit of `target`, apportioned by area (NumPy array)");
}

}  // namespace placedef::python
