// The per-call context, errors and logging, and the conversions every binding file uses.
#include "types.hpp"

#include <cassert>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <atomic>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>

namespace placedef::python {

namespace {

/// Problems and notes go to logging.getLogger("placedef"); a logging failure
/// is dropped, as it cannot cross the C API. Called on the worker thread of
/// Context::run too, so it takes the GIL.
void to_logger(pdef_log_level level, const char* message, void*) {
    static const int python_level[] = {10, 20, 30};  // DEBUG, INFO, WARNING
    const py::gil_scoped_acquire gil;
    try {
        py::module_::import("logging").attr("getLogger")("placedef").attr("log")(python_level[level], message);
    } catch (py::error_already_set& e) {
        e.discard_as_unraisable("placedef logging");
    }
}

/// The C message without the C function's name, which means nothing in Python.
std::string python_message(const char* message) {
    std::string text = message;
    const std::size_t colon = text.find(": ");
    if (text.rfind("pdef_", 0) == 0 && colon != std::string::npos) text.erase(0, colon + 2);
    return text;
}

}  // namespace

void value_error(const std::string& message) { throw py::value_error(message); }

void type_error(const std::string& message) { throw py::type_error(message); }

namespace {
std::string type_name(const py::handle& value) { return py::str(py::type::handle_of(value).attr("__name__")); }
}  // namespace

bool is_path(const py::handle& value) { return py::isinstance<py::str>(value) || py::hasattr(value, "__fspath__"); }

std::string path_text(const py::handle& value, const std::string& argument) {
    if (!is_path(value) && !py::isinstance<py::bytes>(value))
        type_error(argument + " must be a path (str or os.PathLike), not " + type_name(value));
    const py::module_ os = py::module_::import("os");
    const std::string text = os.attr("fsdecode")(os.attr("fspath")(value)).cast<std::string>();
    return c_text(text, argument);
}

const std::string& c_text(const std::string& text, const std::string& argument) {
    if (text.find('\0') != std::string::npos)
        value_error(argument + " contains a NUL character, which would cut it short: " +
                    py::repr(py::str(text)).cast<std::string>());
    return text;
}

std::vector<double> numbers_of(const py::handle& value, const std::string& what) {
    const bool sequence = py::isinstance<py::sequence>(value) || py::hasattr(value, "__array__");
    if (!sequence || py::isinstance<py::str>(value) || py::isinstance<py::bytes>(value))
        type_error(what + " must be a sequence of numbers, not " + type_name(value));
    try {
        return value.cast<std::vector<double>>();
    } catch (const py::cast_error&) {
        type_error(what + " must be a sequence of numbers; it holds a value that is not a number");
    }
}

Context::Context(const Settings& settings) {
    if (pdef_context_create(&m_ctx) != PDEF_OK) throw std::bad_alloc();
    check(pdef_context_set_log_callback(m_ctx, to_logger, nullptr));
    check(pdef_context_set_threads(m_ctx, settings.threads));
    check(pdef_context_set_study_crs(m_ctx, settings.study_crs.c_str()));
    check(pdef_context_set_assume_crs(m_ctx, settings.assume_crs.c_str()));
    pdef_invalid_policy policy = PDEF_INVALID_REPAIR;
    check(pdef_invalid_policy_from_string(m_ctx, settings.invalid.c_str(), &policy));
    check(pdef_context_set_invalid_policy(m_ctx, policy));
    check(pdef_context_set_tolerance(m_ctx, settings.tolerance));
    check(pdef_context_set_min_piece(m_ctx, settings.min_piece));
    check(pdef_context_set_distance(m_ctx, settings.distance));
}

Context::~Context() { pdef_context_destroy(m_ctx); }

namespace {

/// Raises placedef's exception `type_name` (placedef/_errors.py) made from
/// `args`, with the C API's status as its `status`.
[[noreturn]] void raise_engine_error(const char* type_name, pdef_status status, const py::tuple& args) {
    const py::object type = py::module_::import("placedef._errors").attr(type_name);
    const py::object error = type(*args);
    error.attr("status") = static_cast<int>(status);
    PyErr_SetObject(type.ptr(), error.ptr());
    throw py::error_already_set();
}

/// The exception of each status, so that a caller can tell bad options from
/// bad data from a failed output (the C API's ranges, pdef_c.h).
const char* error_type_of(pdef_status status) {
    if (status == PDEF_ERROR_CANCELLED) return "CancelledError";
    if (status >= 100 && status < 200) return "OptionError";
    if (status == PDEF_ERROR_INVALID_INPUT) return "InputError";
    if (status == PDEF_ERROR_IO) return "ReadError";
    if (status == PDEF_ERROR_TOPOLOGY) return "TopologyError";
    if (status == PDEF_ERROR_INTERNAL) return "InternalError";
    if (status == PDEF_ERROR_OUTPUT) return "OutputError";
    return "Error";
}

}  // namespace

void Context::check(pdef_status status) const {
    if (status == PDEF_OK) return;
    if (status == PDEF_ERROR_OUT_OF_MEMORY) throw std::bad_alloc();
    const std::string message = python_message(pdef_context_last_error(m_ctx));
    const char* file = nullptr;
    const int os_error = pdef_context_last_os_error(m_ctx, &file);
    // FileNotFoundError(errno, message, filename), as open() raises it
    if (status == PDEF_ERROR_IO && os_error == ENOENT)
        raise_engine_error("MissingFileError", status, py::make_tuple(os_error, message, file));
    if ((status == PDEF_ERROR_IO || status == PDEF_ERROR_OUTPUT) && os_error != 0)
        raise_engine_error(error_type_of(status), status, py::make_tuple(os_error, message, file));
    raise_engine_error(error_type_of(status), status, py::make_tuple(message));
}

namespace {

/// Progress of the running call, written by the engine's thread and read by
/// the thread that holds the GIL.
struct Progress {
    std::atomic<std::size_t> done{0}, total{0};
    std::atomic<bool> changed{false};
    std::size_t reported = static_cast<std::size_t>(-1);
};

void on_progress(std::size_t done, std::size_t total, void* user_data) {
    auto& progress = *static_cast<Progress*>(user_data);
    progress.total = total;
    progress.done = done;
    progress.changed = true;
}

}  // namespace

void Context::run(const std::function<pdef_status()>& call) const {
    struct Shared {
        std::mutex mutex;
        std::condition_variable done_signal;
        bool done = false;
        pdef_status status = PDEF_ERROR;
    } shared;
    // The caller's hooks (placedef.hooks(progress=, cancelled=)), or None.
    const py::object hooks = py::module_::import("placedef._hooks").attr("current")();
    const py::object on_step = hooks.is_none() ? py::none() : py::object(hooks.attr("progress"));
    const py::object cancelled = hooks.is_none() ? py::none() : py::object(hooks.attr("cancelled"));
    Progress progress;
    if (!on_step.is_none()) check(pdef_context_set_progress_callback(m_ctx, on_progress, &progress));
    // Taken off when this frame ends, after the call's error has been read: setting it
    // is a call of its own, which would clear the message of the one that failed.
    struct ProgressOff {
        pdef_context* ctx;
        bool set;
        ~ProgressOff() {
            if (set) pdef_context_set_progress_callback(ctx, nullptr, nullptr);
        }
    } progress_off{m_ctx, !on_step.is_none()};
    std::thread worker;
    try {
        worker = std::thread([&shared, &call] {
            const pdef_status status = call();
            const std::lock_guard<std::mutex> lock(shared.mutex);
            shared.status = status;
            shared.done = true;
            shared.done_signal.notify_one();
        });
    } catch (const std::system_error&) {
        // No thread to be had: run here, holding the GIL, as before.
        check(call());
        return;
    }
    std::optional<py::error_already_set> interrupted;
    bool cancel_sent = false;
    try {
        for (;;) {
            bool done;
            {
                const py::gil_scoped_release no_gil;
                std::unique_lock<std::mutex> lock(shared.mutex);
                done = shared.done_signal.wait_for(lock, std::chrono::milliseconds(50), [&] { return shared.done; });
            }
            if (done) break;
            if (interrupted) continue;
            try {
                // Signal handlers run here, on the thread that holds the GIL (the main one).
                if (PyErr_CheckSignals() != 0) throw py::error_already_set();  // KeyboardInterrupt
                if (!on_step.is_none() && progress.changed.exchange(false) && progress.done != progress.reported) {
                    progress.reported = progress.done;
                    on_step(progress.done.load(), progress.total.load());
                }
                if (!cancel_sent && !cancelled.is_none() && cancelled().cast<bool>()) {
                    pdef_context_cancel(m_ctx);  // the call returns PDEF_ERROR_CANCELLED: CancelledError
                    cancel_sent = true;
                }
            } catch (py::error_already_set& error) {
                // Ctrl-C, or a hook that raised: stop the call, and raise once it has stopped.
                interrupted.emplace(std::move(error));
                pdef_context_cancel(m_ctx);
            }
        }
    } catch (...) {
        // Anything else (a hook's value that is not a bool): the call must not outlive this frame.
        pdef_context_cancel(m_ctx);
        const py::gil_scoped_release no_gil;
        worker.join();
        throw;
    }
    {
        const py::gil_scoped_release no_gil;
        worker.join();
    }
    if (interrupted) throw std::move(*interrupted);
    // The last step, reported after the last look (a call's 100 %).
    if (!on_step.is_none() && progress.changed && progress.done != progress.reported)
        on_step(progress.done.load(), progress.total.load());
    check(shared.status);
}

py::list Context::problems() const {
    py::list out;
    std::size_t count = 0;
    check(pdef_context_get_problem_count(m_ctx, &count));
    for (std::size_t i = 0; i < count; ++i) {
        pdef_problem p;
        check(pdef_context_get_problem(m_ctx, i, &p));
        py::dict problem;
        problem["kind"] = p.kind;
        problem["action"] = p.action;
        problem["file"] = p.file;
        problem["layer"] = p.layer;
        problem["fid"] = p.has_fid ? py::object(py::int_(p.fid)) : py::object(py::none());
        problem["code"] = p.code;
        problem["field"] = p.field;
        problem["detail"] = p.detail;
        problem["description"] = p.description;
        out.append(problem);
    }
    return out;
}

py::object wkb_bytes(unsigned char* wkb, std::size_t size) {
    if (!wkb) return py::none();
    py::bytes bytes(reinterpret_cast<const char*>(wkb), size);
    pdef_free(wkb);
    return std::move(bytes);
}

std::string take_text(char* text) {
    std::string out = text ? text : "";
    pdef_free(text);
    return out;
}

NumberColumns::NumberColumns(std::vector<const char*> names, std::vector<py::ssize_t> shape)
    : m_names(std::move(names)) {
    for (std::size_t c = 0; c < m_names.size(); ++c) m_arrays.emplace_back(shape);
}

void NumberColumns::set(std::size_t flat, std::initializer_list<double> values) {
    assert(values.size() == m_arrays.size());
    auto array = m_arrays.begin();
    for (double value : values) (array++)->mutable_data()[flat] = value;
}

void NumberColumns::add_to(py::dict& out) const {
    for (std::size_t c = 0; c < m_names.size(); ++c) out[m_names[c]] = m_arrays[c];
}

std::vector<const char*> c_strings(const std::vector<std::string>& texts, const std::string& argument) {
    std::vector<const char*> out;
    out.reserve(texts.size());
    for (const std::string& text : texts) out.push_back(c_text(text, argument).c_str());
    return out;
}

std::vector<std::string> output_paths(const py::object& output) {
    if (output.is_none()) return {};
    if (is_path(output)) return {path_text(output, "output")};
    if (!py::isinstance<py::sequence>(output) || py::isinstance<py::bytes>(output))
        type_error("output must be a path or a list of paths, not " + type_name(output));
    std::vector<std::string> paths;
    for (const py::handle path : output.cast<py::sequence>()) paths.push_back(path_text(path, "output"));
    return paths;
}

Settings settings_of(unsigned threads, const std::string& study_crs, const std::string& assume_crs,
                     const std::string& invalid) {
    Settings settings;
    settings.threads = threads;
    settings.study_crs = study_crs;
    settings.assume_crs = assume_crs;
    settings.invalid = invalid;
    return settings;
}

Settings scoring_settings_of(unsigned threads, const std::string& study_crs, double tolerance, double distance,
                             double min_piece) {
    Settings settings = settings_of(threads, study_crs);
    settings.tolerance = tolerance;
    settings.distance = distance;
    settings.min_piece = min_piece;
    return settings;
}

py::dict layer_score_dict(const pdef_layer_score& score) {
    py::dict out;
    out["layer"] = score.layer;
    out["other"] = score.other;
    out["units"] = score.units;
    out["scored"] = score.scored;
    py::dict counts;
    for (int relation = 0; relation < PDEF_RELATION_COUNT; ++relation)
        counts[pdef_relation_to_string(static_cast<pdef_relation>(relation))] = score.counts[relation];
    out["counts"] = counts;
    out["coterminosity_index"] = score.coterminosity_index;
    out["coterminosity_index_pop"] = score.coterminosity_index_pop;
    out["nesting_rate"] = score.nesting_rate;
    out["coterminous_rate"] = score.coterminous_rate;
    out["boundary_alignment"] = score.boundary_alignment;
    return out;
}

void Writer::write(const py::object& path) const {
    const std::string text = path_text(path, "path");
    Context ctx(m_settings);
    ctx.run([&] { return m_write(ctx.get(), text.c_str()); });
}

void bind_writer(py::module_& m) {
    py::class_<Writer>(m, "_Writer", "a job's result as the engine holds it, written as `-o` writes it")
        .def("write", &Writer::write, py::arg("path"), "writes what `-o path` writes");
}

void bind_context(py::module_& m) {
    m.attr("__version__") = pdef_version();
    m.def("version", &pdef_version, "placedef's version (the C library's VERSION).");
}

}  // namespace placedef::python
