// placedef.matrix(): every ordered pair of layers scored, as square arrays.
#include "types.hpp"

namespace placedef::python {

namespace {

py::dict matrix(const py::sequence& layers, const py::object& population, double tolerance, double distance,
                double min_piece, bool alignment, const py::object& output, unsigned threads,
                const std::string& study_crs) {
    const Settings settings = scoring_settings_of(threads, study_crs, tolerance, distance, min_piece);
    if (is_path(layers) || py::isinstance<py::bytes>(layers))
        type_error("layers must be a list of layers or addresses, not a single " +
                   py::str(py::type::handle_of(layers).attr("__name__")).cast<std::string>());
    std::vector<Layer> chosen;
    for (const py::handle layer : layers) chosen.push_back(as_layer(layer, false, settings));
    std::vector<const pdef_layer*> handles;
    for (const Layer& layer : chosen) handles.push_back(layer.handle.get());
    const std::vector<std::string> outputs = output_paths(output);
    Context ctx(settings);
    pdef_matrix* made = nullptr;
    const pdef_population* people = population_handle(population);
    ctx.run([&] { return pdef_matrix_create(ctx.get(), handles.data(), handles.size(), people, alignment, &made); });
    const Owned<pdef_matrix> owned(made, pdef_matrix_destroy);
    for (const std::string& path : outputs) ctx.run([&] { return pdef_matrix_write_csv(ctx.get(), made, path.c_str()); });

    std::size_t n = 0;
    ctx.check(pdef_matrix_get_layer_count(ctx.get(), made, &n));
    py::list names;
    for (std::size_t i = 0; i < n; ++i) {
        const char* name = nullptr;
        ctx.check(pdef_matrix_get_layer_name(ctx.get(), made, i, &name));
        names.append(name);
    }
    const auto side = static_cast<py::ssize_t>(n);
    NumberColumns figures({"coterminosity_index", "coterminosity_index_pop", "nesting_rate", "coterminous_rate",
                           "boundary_alignment"},
                          {side, side});
    py::list pairs;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) {
            pdef_layer_score score;
            ctx.check(pdef_matrix_get_score(ctx.get(), made, i, j, &score));
            figures.set(i * n + j, {score.coterminosity_index, score.coterminosity_index_pop, score.nesting_rate,
                                    score.coterminous_rate, score.boundary_alignment});
            pairs.append(layer_score_dict(score));
        }
    py::dict out;
    out["_writer"] = Writer::of(owned, pdef_matrix_write_csv, settings);
    out["layers"] = names;
    figures.add_to(out);
    out["scores"] = pairs;
    char* text = nullptr;
    ctx.check(pdef_matrix_describe(ctx.get(), made, &text));
    out["text"] = take_text(text);
    std::vector<const Layer*> inputs;
    for (const Layer& layer : chosen) inputs.push_back(&layer);
    out["problems"] = job_problems(ctx, inputs, population);
    return out;
}

}  // namespace

void bind_matrix(py::module_& m) {
    m.def("matrix", &matrix, py::arg("layers"), py::arg("population") = py::none(), py::arg("tolerance") = 0.995,
          py::arg("distance") = 20.0, py::arg("min_piece") = 0.01, py::arg("alignment") = true,
          py::arg("output") = py::none(), py::arg("threads") = 0u, py::arg("study_crs") = "EPSG:27700",
          "`placedef matrix LAYER...`: every ordered pair scored. Returns 'layers', n x n arrays\n"
          "(row scored against column) of coterminosity_index, coterminosity_index_pop, nesting_rate,\n"
          "coterminous_rate and boundary_alignment, 'scores' (one dict per ordered pair, row-major)\n"
          "'text' and 'problems' (as --problems lists them).");
}

}  // namespace placedef::python
