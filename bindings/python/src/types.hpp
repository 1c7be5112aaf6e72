// Shared by the binding files: a context per call, errors as Python
// exceptions, the Layer and Population types, and small conversions.
#pragma once

#include "placedef/pdef_c.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstddef>
#include <functional>
#include <initializer_list>
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
/// (problems as warnings); a failed call raises placedef's exception for its
/// status (placedef/_errors.py: OptionError and InputError are ValueErrors,
/// MissingFileError a FileNotFoundError, ReadError and OutputError OSErrors,
/// TopologyError and InternalError RuntimeErrors), or MemoryError.
class Context {
public:
    explicit Context(const Settings& settings = {});
    ~Context();
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    pdef_context* get() const { return m_ctx; }
    void check(pdef_status status) const;
    /// Runs `call`, a long C call that touches no Python object, on a worker
    /// thread with the GIL released (other Python threads run meanwhile). Every
    /// 50 ms it looks for signals and runs the hooks of placedef.hooks()
    /// (progress, cancelled); on a signal (Ctrl-C) or a hook that raises it
    /// cancels the call and raises that exception (KeyboardInterrupt) once it
    /// has stopped, within a second. Then checks the status (cancelled by the
    /// hook: CancelledError).
    void run(const std::function<pdef_status()>& call) const;
    /// Problems reported to this context, as dicts.
    py::list problems() const;

private:
    pdef_context* m_ctx = nullptr;
};

/// Raises ValueError with `message` (checks made before any C call).
[[noreturn]] void value_error(const std::string& message);
/// Raises TypeError with `message` (an argument of the wrong type).
[[noreturn]] void type_error(const std::string& message);

/// Whether `value` is a path: a str or an os.PathLike (pathlib.Path).
bool is_path(const py::handle& value);
/// The text of a path argument (str, bytes or os.PathLike): TypeError for
/// anything else, ValueError for a NUL character, at which C would cut it.
std::string path_text(const py::handle& value, const std::string& argument);
/// Text passed on to C: ValueError for a NUL character, at which C would cut it.
const std::string& c_text(const std::string& text, const std::string& argument);
/// Numbers from a sequence of numbers (a list, a NumPy array): TypeError
/// naming `what` and the type given for anything else (a str, a number).
std::vector<double> numbers_of(const py::handle& value, const std::string& what);

template <class Handle>
using Owned = std::shared_ptr<Handle>;

/// Engine-allocated WKB as bytes (None for a point without location); frees it.
py::object wkb_bytes(unsigned char* wkb, std::size_t size);

/// The geometry of item `index` of `handle` as WKB bytes, through one of the
/// C API's `pdef_*_wkb` getters (which all take these arguments).
template <class Handle>
py::object wkb_at(const Context& ctx,
                  pdef_status (*getter)(pdef_context*, const Handle*, std::size_t, unsigned char**, std::size_t*),
                  const Handle* handle, std::size_t index) {
    unsigned char* wkb = nullptr;
    std::size_t size = 0;
    ctx.check(getter(ctx.get(), handle, index, &wkb, &size));
    return wkb_bytes(wkb, size);
}

/// Float arrays of one shape, one per name, filled item by item and then
/// put into a dict under their names.
class NumberColumns {
public:
    NumberColumns(std::vector<const char*> names, std::vector<py::ssize_t> shape);
    /// Item `flat` (row-major) of every array: one value per name, in order.
    void set(std::size_t flat, std::initializer_list<double> values);
    void add_to(py::dict& out) const;

private:
    std::vector<const char*> m_names;
    std::vector<py::array_t<double>> m_arrays;
};

/// The C strings of `texts`, valid while `texts` lives (ValueError for a NUL
/// character in one, naming `argument`).
std::vector<const char*> c_strings(const std::vector<std::string>& texts, const std::string& argument = "text");

/// A word (method, rule) read by the C API's parser for it, so that Python
/// takes the same words as every front end and says the same when one is wrong.
template <typename Enum>
Enum choice(const Context& ctx, pdef_status (*parse)(pdef_context*, const char*, Enum*), const std::string& text) {
    Enum value{};
    ctx.check(parse(ctx.get(), text.c_str(), &value));
    return value;
}
/// Engine-allocated text as str; frees it.
std::string take_text(char* text);
/// One output path or a list of them.
std::vector<std::string> output_paths(const py::object& output);

/// A job's result kept by the engine, to write what the command line's `-o`
/// writes when asked (placedef's result objects read their tables and layers
/// from it), for as long as the Python result lives.
class Writer {
public:
    template <class Handle>
    static py::object of(Owned<Handle> handle, pdef_status (*write)(pdef_context*, const Handle*, const char*),
                         const Settings& settings) {
        Writer writer;
        writer.m_settings = settings;
        writer.m_write = [handle, write](pdef_context* ctx, const char* path) { return write(ctx, handle.get(), path); };
        return py::cast(std::move(writer));
    }
    /// Writes to `path` (.csv: the table and its companions; else a layered output), as `-o path` does.
    void write(const py::object& path) const;

private:
    Settings m_settings;
    std::function<pdef_status(pdef_context*, const char*)> m_write;
};

/// A layer: polygons or points with unique codes, in the study CRS.
class Layer {
public:
    Owned<pdef_layer> handle;
    py::list problems;  ///< reported while it was loaded

    /// Takes ownership of a handle the C API made.
    static Layer adopt(pdef_layer* handle, py::list problems = py::list());
    static Layer open(const std::string& address, bool points, const Settings& settings);
    static Layer from_wkb(const std::vector<std::string>& codes, const py::sequence& wkb, const std::string& crs,
                          bool points, const std::string& name, const py::dict& attributes, const Settings& settings);
};

/// The number of features of a layer.
std::size_t layer_count(const Context& ctx, const Layer& layer);
/// The codes of a layer's features, in order.
py::list layer_codes(const Layer& layer);

/// A Layer argument given as a Layer or as an address `path[:layer][@code]`.
Layer as_layer(const py::handle& object, bool points, const Settings& settings);

/// Population on the units of a polygon layer.
class Population {
public:
    Owned<pdef_population> handle;
    Layer units;
    py::list problems;  ///< reported while its table was joined
};

/// The C handle of an optional Population argument (None: NULL).
const pdef_population* population_handle(const py::object& population);

/// Every problem a job met, as the command line's --problems lists them: those
/// of its input layers (each once), of its population (its units and its
/// table), and of the job itself (`ctx`).
py::list job_problems(const Context& ctx, const std::vector<const Layer*>& inputs, const py::object& population);

/// Settings from the keyword arguments every function shares.
Settings settings_of(unsigned threads, const std::string& study_crs = "EPSG:27700",
                     const std::string& assume_crs = "", const std::string& invalid = "repair");
/// The same with the scoring keywords of align() and matrix().
Settings scoring_settings_of(unsigned threads, const std::string& study_crs, double tolerance, double distance,
                             double min_piece);

/// A pdef_layer_score as a dict.
py::dict layer_score_dict(const pdef_layer_score& score);

/// A contiguity graph as a dict of codes, per-block neighbour arrays and components.
py::dict graph_dict(const Context& ctx, const pdef_graph* graph);
/// "queen" | "rook"; ValueError otherwise.

void bind_context(py::module_& m);
void bind_writer(py::module_& m);
void bind_layer(py::module_& m);
void bind_population(py::module_& m);
void bind_table(py::module_& m);
void bind_report(py::module_& m);
void bind_lookup(py::module_& m);
void bind_matrix(py::module_& m);
void bind_pcn(py::module_& m);
void bind_graph(py::module_& m);
void bind_footprints(py::module_& m);
void bind_deprivation(py::module_& m);
void bind_compare(py::module_& m);
void bind_flows(py::module_& m);

}  // namespace placedef::python
