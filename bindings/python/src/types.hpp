// Shared by the binding files: a context per call, errors as Python
// exceptions, the Layer and Population types, and small conversions.
#pragma once

#include "placedef/pdef_c.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace py = pybind11;

namespace placedef::python {

/// Settings a call passes to its context, with the command line's defaults.
struct Settings {
    unsigned threads = 0;
    std::string study_crs = "EPSG:27700";
    std::string assume_crs;
    std::string invalid = "repair";
    double tolerance = 0.995;
    double min_piece = 0.01;
    double distance = 20.0;
};

/// A pdef_context for one call. Messages go to the `placedef` logger
/// (problems as warnings); a failed call raises: ValueError for bad input
/// (API misuse, invalid input, an unreadable file), OSError when an output
/// cannot be written, MemoryError, and RuntimeError for processing failures.
class Context {
public:
    explicit Context(const Settings& settings = {});
    ~Context();
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    pdef_context* get() const { return m_ctx; }
    void check(pdef_status status) const;
    /// Problems reported to this context, as dicts.
    py::list problems() const;

private:
    pdef_context* m_ctx = nullptr;
};

/// Raises ValueError with `message` (checks made before any C call).
[[noreturn]] void value_error(const std::string& message);

template <class Handle>
using Owned = std::shared_ptr<Handle>;

/// Engine-allocated WKB as bytes (None for a point without location); frees it.
py::object wkb_bytes(unsigned char* wkb, std::size_t size);
/// Engine-allocated text as str; frees it.
std::string take_text(char* text);
/// One output path or a list of them.
std::vector<std::string> output_paths(const py::object& output);

/// A layer: polygons or points with unique codes, in the study CRS.
class Layer {
public:
    Owned<pdef_layer> handle;
    py::list problems;  ///< reported while it was loaded

    static Layer open(const std::string& address, bool points, const Settings& settings);
    static Layer from_wkb(const std::vector<std::string>& codes, const py::sequence& wkb, const std::string& crs,
                          bool points, const std::string& name, const py::dict& attributes, const Settings& settings);
};

/// The codes of a layer's features, in order.
py::list layer_codes(const Layer& layer);

/// A Layer argument given as a Layer or as an address `path[:layer][@code]`.
Layer as_layer(const py::handle& object, bool points, const Settings& settings);

/// Population on the units of a polygon layer.
class Population {
public:
    Owned<pdef_population> handle;
    Layer units;
};

/// The C handle of an optional Population argument (None: NULL).
const pdef_population* population_handle(const py::object& population);

/// Settings from the keyword arguments every function shares.
Settings settings_of(unsigned threads, const std::string& study_crs = "EPSG:27700",
                     const std::string& assume_crs = "", const std::string& invalid = "repair");

/// A pdef_layer_score as a dict.
py::dict layer_score_dict(const pdef_layer_score& score);

/// A contiguity graph as a dict of codes, per-block neighbour arrays and components.
py::dict graph_dict(const Context& ctx, const pdef_graph* graph);
/// "queen" | "rook"; ValueError otherwise.
pdef_adjacency adjacency_from(const std::string& adjacency);

void bind_context(py::module_& m);
void bind_layer(py::module_& m);
void bind_population(py::module_& m);
void bind_table(py::module_& m);
void bind_report(py::module_& m);
void bind_lookup(py::module_& m);
void bind_matrix(py::module_& m);
void bind_pcn(py::module_& m);
void bind_graph(py::module_& m);
void bind_footprints(py::module_& m);

}  // namespace placedef::python
