// placedef.contiguity(): the contiguity graph of a block layer.
#include "types.hpp"

namespace placedef::python {

namespace {

py::dict contiguity(const py::object& blocks, const std::string& adjacency, double snap, double min_shared,
                    bool join_islands, unsigned threads, const std::string& study_crs) {
    const Settings settings = settings_of(threads, study_crs);
    const Layer layer = as_layer(blocks, false, settings);
    Context ctx(settings);
    pdef_graph* made = nullptr;
    ctx.check(pdef_graph_create(ctx.get(), layer.handle.get(), choice(ctx, pdef_adjacency_from_string, adjacency), snap, min_shared, join_islands,
                                &made));
    return graph_dict(ctx, Owned<pdef_graph>(made, pdef_graph_destroy).get());
}

}  // namespace

py::dict graph_dict(const Context& ctx, const pdef_graph* graph) {
    pdef_graph_summary summary;
    ctx.check(pdef_graph_get_summary(ctx.get(), graph, &summary));
    py::list codes, neighbours, shared_length;
    for (std::size_t block = 0; block < summary.blocks; ++block) {
        const char* code = nullptr;
        std::size_t degree = 0;
        ctx.check(pdef_graph_get_code(ctx.get(), graph, block, &code));
        ctx.check(pdef_graph_get_degree(ctx.get(), graph, block, &degree));
        py::array_t<std::uint32_t> ids(static_cast<py::ssize_t>(degree));
        py::array_t<double> lengths(static_cast<py::ssize_t>(degree));
        ctx.check(pdef_graph_copy_neighbours(ctx.get(), graph, block, ids.mutable_data(), lengths.mutable_data(), degree));
        codes.append(code);
        neighbours.append(ids);
        shared_length.append(lengths);
    }
    py::array_t<std::uint32_t> components(static_cast<py::ssize_t>(summary.blocks));
    py::array_t<std::uint32_t> islands(static_cast<py::ssize_t>(summary.islands));
    py::array_t<std::uint32_t> joined({static_cast<py::ssize_t>(summary.joined), py::ssize_t{2}});
    ctx.check(pdef_graph_copy_components(ctx.get(), graph, components.mutable_data(), summary.blocks));
    ctx.check(pdef_graph_copy_islands(ctx.get(), graph, islands.mutable_data(), summary.islands));
    ctx.check(pdef_graph_copy_joined(ctx.get(), graph, joined.mutable_data(), 2 * summary.joined));
    py::dict out;
    out["codes"] = codes;
    out["neighbours"] = neighbours;
    out["shared_length"] = shared_length;
    out["edges"] = summary.edges;
    out["component"] = components;
    out["components"] = summary.components;
    out["islands"] = islands;
    out["joined"] = joined;
    return out;
}

void bind_graph(py::module_& m) {
    m.def("contiguity", &contiguity, py::arg("blocks"), py::arg("adjacency") = "rook", py::arg("snap") = 5.0,
          py::arg("min_shared") = 10.0, py::arg("join_islands") = false, py::arg("threads") = 0u,
          py::arg("study_crs") = "EPSG:27700",
          "The contiguity graph of a block layer: queen or rook adjacency with boundaries within `snap`\n"
          "metres touching. Returns codes, neighbours and shared_length (one NumPy array per block),\n"
          "edges, component (per block), components, islands and joined (links added by join_islands).");
}

}  // namespace placedef::python
