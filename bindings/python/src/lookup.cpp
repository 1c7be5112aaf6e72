// placedef.bestfit(): a best-fit lookup as columns.
#include "types.hpp"

namespace placedef::python {

namespace {

py::dict bestfit(const py::object& child, const py::object& parent, const std::string& method,
                 double ambiguous_below, const py::object& population, const py::object& output, unsigned threads,
                 const std::string& study_crs) {
    const Settings settings = settings_of(threads, study_crs);
    const Layer children = as_layer(child, false, settings);
    const Layer parents = as_layer(parent, false, settings);
    const std::vector<std::string> outputs = output_paths(output);
    Context ctx(settings);
    pdef_best_fit_method chosen = PDEF_BEST_FIT_AREA;
    ctx.check(pdef_best_fit_method_from_string(ctx.get(), method.c_str(), &chosen));
    pdef_lookup* made = nullptr;
    const pdef_population* people = population_handle(population);
    ctx.run([&] {
        return pdef_lookup_create(ctx.get(), children.handle.get(), parents.handle.get(), people, chosen, ambiguous_below,
                                  &made);
    });
    const Owned<pdef_lookup> lookup(made, pdef_lookup_destroy);
    for (const std::string& path : outputs) ctx.run([&] { return pdef_lookup_write_csv(ctx.get(), lookup.get(), path.c_str()); });

    std::size_t count = 0;
    ctx.check(pdef_lookup_get_count(ctx.get(), lookup.get(), &count));
    py::list child_code, parent_code, child_name, parent_name, row_method, note;
    py::array_t<double> share(static_cast<py::ssize_t>(count));
    py::array_t<bool> ambiguous(static_cast<py::ssize_t>(count));
    for (std::size_t i = 0; i < count; ++i) {
        pdef_lookup_row row;
        ctx.check(pdef_lookup_get_row(ctx.get(), lookup.get(), i, &row));
        const char* child_text = nullptr;
        const char* parent_text = nullptr;
        ctx.check(pdef_lookup_get_row_names(ctx.get(), lookup.get(), i, &child_text, &parent_text));
        child_code.append(row.child);
        parent_code.append(row.parent[0] ? py::object(py::str(row.parent)) : py::object(py::none()));
        child_name.append(child_text);
        parent_name.append(parent_text);
        row_method.append(pdef_best_fit_method_to_string(row.method));
        share.mutable_data()[i] = row.share;
        ambiguous.mutable_data()[i] = row.ambiguous;
        note.append(row.note);
    }
    py::dict out;
    out["_writer"] = Writer::of(lookup, pdef_lookup_write_csv, settings);
    out["child"] = child_code;
    out["parent"] = parent_code;
    out["child_name"] = child_name;
    out["parent_name"] = parent_name;
    out["method"] = row_method;
    out["share"] = share;
    out["ambiguous"] = ambiguous;
    out["note"] = note;
    out["problems"] = job_problems(ctx, {&children, &parents}, population);
    return out;
}

}  // namespace

void bind_lookup(py::module_& m) {
    m.def("bestfit", &bestfit, py::arg("child"), py::arg("parent"), py::arg("method") = "area",
          py::arg("ambiguous_below") = 0.9, py::arg("population") = py::none(), py::arg("output") = py::none(),
          py::arg("threads") = 0u, py::arg("study_crs") = "EPSG:27700",
          "`placedef bestfit CHILD PARENT`: each child unit assigned to one parent by 'area', 'centroid'\n"
          "or 'population' (which needs population=). Returns columns child, parent (None: no parent),\n"
          "child_name, parent_name, method, share, ambiguous, note, and 'problems' (as --problems lists them).");
}

}  // namespace placedef::python
