// Version, status texts, buffers, the context and its problem list.
#include "api/detail/handles.hpp"
#include "placedef/text.hpp"

#include <cmath>
#include <cstdlib>

using namespace placedef;
using namespace placedef::detail::capi;

namespace placedef::detail::capi {

const char* type_name(Tag tag) {
    switch (tag) {
        case Tag::context: return "pdef_context";
        case Tag::layer: return "pdef_layer";
        case Tag::population: return "pdef_population";
        case Tag::table: return "pdef_table";
        case Tag::report: return "pdef_report";
        case Tag::lookup: return "pdef_lookup";
        case Tag::matrix: return "pdef_matrix";
        case Tag::pcn_options: return "pdef_pcn_options";
        case Tag::pcn: return "pdef_pcn";
        case Tag::graph: return "pdef_graph";
        case Tag::footprint_options: return "pdef_footprint_options";
        case Tag::footprints: return "pdef_footprints";
        case Tag::deprivation: return "pdef_deprivation";
        case Tag::comparison: return "pdef_comparison";
        case Tag::functional_areas: return "pdef_functional_areas";
    }
    return "not a placedef handle";
}

std::string what_it_is(Tag tag) {
    const std::string name = type_name(tag);
    return name.rfind("pdef_", 0) == 0 ? "a " + name : name;
}

void require(const void* pointer, const char* argument) {
    if (!pointer) throw Misuse(PDEF_ERROR_NULL_ARGUMENT, std::string("argument '") + argument + "' is NULL");
}

void check_option(bool ok, const std::string& message) {
    if (!ok) throw Misuse(PDEF_ERROR_BAD_OPTION, message);
}

void check_index(std::size_t index, std::size_t count, const char* what) {
    if (index >= count)
        throw Misuse(PDEF_ERROR_OUT_OF_RANGE, std::string(what) + " " + std::to_string(index) + " is out of range (" +
                                                  std::to_string(count) + " " + what + "s)");
}

void check_buffer(const void* buffer, std::size_t buffer_size, std::size_t count) {
    require(buffer, "values");
    if (buffer_size < count)
        throw Misuse(PDEF_ERROR_BUFFER_TOO_SMALL, "the buffer holds " + std::to_string(buffer_size) +
                                                      " values; it needs " + std::to_string(count));
}

namespace {

void* allocate(std::size_t bytes) {
    void* block = std::malloc(bytes ? bytes : 1);
    if (!block) throw std::bad_alloc();
    return block;
}

}  // namespace

unsigned char* allocated_copy(const std::vector<unsigned char>& bytes) {
    auto* copy = static_cast<unsigned char*>(allocate(bytes.size()));
    if (!bytes.empty()) std::memcpy(copy, bytes.data(), bytes.size());
    return copy;
}

char* allocated_copy(const std::string& text) {
    auto* copy = static_cast<char*>(allocate(text.size() + 1));
    std::memcpy(copy, text.c_str(), text.size() + 1);
    return copy;
}

char** allocated_copy(const std::vector<std::string>& texts) {
    std::size_t bytes = texts.size() * sizeof(char*);
    for (const std::string& text : texts) bytes += text.size() + 1;
    auto* pointers = static_cast<char**>(allocate(bytes));
    char* next = reinterpret_cast<char*>(pointers + texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i) {
        std::memcpy(next, texts[i].c_str(), texts[i].size() + 1);
        pointers[i] = next;
        next += texts[i].size() + 1;
    }
    return pointers;
}

void give_wkb(const std::vector<unsigned char>& bytes, unsigned char** wkb, std::size_t* size) {
    unsigned char* copy = allocated_copy(bytes);
    *wkb = copy;
    *size = bytes.size();
}

std::vector<std::string> texts(const char* const* values, std::size_t count, const char* argument) {
    if (count) require(values, argument);
    std::vector<std::string> out;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        if (!values[i])
            throw Misuse(PDEF_ERROR_NULL_ARGUMENT,
                         std::string("argument '") + argument + "[" + std::to_string(i) + "]' is NULL");
        out.emplace_back(values[i]);
    }
    return out;
}

pdef_status fail(const ContextObject& ctx, const char* function, pdef_status status, const char* message) noexcept {
    try {
        // Messages are for people, and may name codes from data: shown safe for a terminal.
        ctx.last_error = terminal_text(std::string(function) + ": " + message);
    } catch (...) {
        ctx.last_error.clear();  // no memory for the message: the status still tells
    }
    return status;
}

}  // namespace placedef::detail::capi

ContextObject::ContextObject() { reset_problems(); }

void ContextObject::log(pdef_log_level level, const std::string& message) const {
    if (log_callback) log_callback(level, terminal_text(message).c_str(), log_user_data);
}

ProgressCallback ContextObject::progress() const {
    if (!progress_callback) return {};
    return [callback = progress_callback, user_data = progress_user_data](std::size_t done, std::size_t total) {
        callback(done, total, user_data);
    };
}

RunSettings ContextObject::settings() const {
    RunSettings settings;
    settings.study_crs = study_crs;
    settings.assume_crs = assume_crs;
    settings.invalid = invalid;
    settings.threads = threads;
    settings.note = [this](const std::string& line) { log(PDEF_LOG_INFO, line); };
    settings.warning = [this](const std::string& line) { log(PDEF_LOG_WARNING, line); };
    if (progress_callback) {
        const ProgressCallback callback = progress();
        settings.progress = [callback](const std::string&, std::size_t done, std::size_t total) { callback(done, total); };
    }
    return settings;
}

void ContextObject::reset_problems() {
    problems = ProblemSink();
    problems.set_listener([this](const Problem& problem) { log(PDEF_LOG_WARNING, problem.describe()); });
}

extern "C" {

const char* pdef_version(void) { return PDEF_VERSION; }

const char* pdef_status_string(pdef_status status) {
    switch (status) {
        case PDEF_OK: return "ok";
        case PDEF_ERROR: break;
        case PDEF_ERROR_OUT_OF_MEMORY: return "out of memory";
        case PDEF_ERROR_CANCELLED: return "cancelled";
        case PDEF_ERROR_NULL_ARGUMENT: return "NULL argument";
        case PDEF_ERROR_WRONG_HANDLE: return "wrong handle type";
        case PDEF_ERROR_BAD_OPTION: return "option out of range";
        case PDEF_ERROR_OUT_OF_RANGE: return "index out of range";
        case PDEF_ERROR_BUFFER_TOO_SMALL: return "buffer too small";
        case PDEF_ERROR_NOT_AVAILABLE: return "result not available";
        case PDEF_ERROR_INVALID_INPUT: return "invalid input";
        case PDEF_ERROR_IO: return "cannot read input";
        case PDEF_ERROR_TOPOLOGY: return "geometry operation failed";
        case PDEF_ERROR_INTERNAL: return "internal error";
        case PDEF_ERROR_OUTPUT: return "cannot write output";
    }
    return "error";
}

void pdef_free(void* buffer) { std::free(buffer); }

pdef_status pdef_context_create(pdef_context** out) {
    if (!out) return PDEF_ERROR_NULL_ARGUMENT;
    try {
        *out = publish(std::make_unique<ContextObject>());
        return PDEF_OK;
    } catch (...) {
        return PDEF_ERROR_OUT_OF_MEMORY;
    }
}

void pdef_context_destroy(pdef_context* ctx) { destroy(ctx); }

void pdef_context_cancel(pdef_context* ctx) {
    // Under the table's lock, so that a destroy in another thread waits.
    if (ctx)
        table_locked_call(handle_value(ctx), Tag::context,
                          [](Object& object) { static_cast<ContextObject&>(object).cancel.request(); });
}

const char* pdef_context_last_error(const pdef_context* ctx) {
    if (!ctx) return "pdef_context_last_error: argument 'ctx' is NULL";
    try {
        return use(ctx, "ctx").last_error.c_str();
    } catch (const std::exception& e) {
        // No context to keep the message: it lives until this thread's next such call.
        thread_local std::string message;
        message = std::string("pdef_context_last_error: ") + e.what();
        return message.c_str();
    }
}

int pdef_context_last_os_error(const pdef_context* ctx, const char** file) {
    if (file) *file = "";
    if (!ctx) return 0;
    try {
        const ContextObject& context = use(ctx, "ctx");
        if (file) *file = context.last_error_file.c_str();
        return context.last_os_error;
    } catch (const std::exception&) {
        return 0;
    }
}

pdef_status pdef_context_set_log_callback(pdef_context* ctx, pdef_log_callback callback, void* user_data) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        context.log_callback = callback;
        context.log_user_data = user_data;
    });
}

pdef_status pdef_context_set_progress_callback(pdef_context* ctx, pdef_progress_callback callback, void* user_data) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        context.progress_callback = callback;
        context.progress_user_data = user_data;
    });
}

pdef_status pdef_context_set_threads(pdef_context* ctx, unsigned threads) {
    return guarded(ctx, __func__, [&](ContextObject& context) { context.threads = threads; });
}

pdef_status pdef_context_get_threads(const pdef_context* ctx, unsigned* threads) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        require(threads, "threads");
        *threads = context.threads;
    });
}

pdef_status pdef_context_set_tolerance(pdef_context* ctx, double tolerance) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        check_option(tolerance >= 0.5 && tolerance <= 1.0,
                     "the tolerance must lie in [0.5, 1]; it is the share treated as \"all\" (default 0.995)");
        context.scoring.tolerance = tolerance;
    });
}

pdef_status pdef_context_get_tolerance(const pdef_context* ctx, double* tolerance) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        require(tolerance, "tolerance");
        *tolerance = context.scoring.tolerance;
    });
}

pdef_status pdef_context_set_min_piece(pdef_context* ctx, double min_piece) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        check_option(min_piece >= 0.0 && min_piece <= 0.5,
                     "the minimum piece must lie in [0, 0.5]; it is the share from which a piece counts (default 0.01)");
        context.scoring.min_share = min_piece;
    });
}

pdef_status pdef_context_get_min_piece(const pdef_context* ctx, double* min_piece) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        require(min_piece, "min_piece");
        *min_piece = context.scoring.min_share;
    });
}

pdef_status pdef_context_set_distance(pdef_context* ctx, double metres) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        check_option(std::isfinite(metres) && metres >= 0,
                     "the alignment distance must be a finite number of metres, zero or more (default 20)");
        context.scoring.distance = metres;
    });
}

pdef_status pdef_context_get_distance(const pdef_context* ctx, double* metres) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        require(metres, "metres");
        *metres = context.scoring.distance;
    });
}

pdef_status pdef_context_set_study_crs(pdef_context* ctx, const char* crs) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        require(crs, "crs");
        check_option(*crs != '\0', "the study CRS cannot be empty (default EPSG:27700)");
        context.study_crs = crs;
    });
}

pdef_status pdef_context_get_study_crs(const pdef_context* ctx, const char** crs) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        require(crs, "crs");
        *crs = context.study_crs.c_str();
    });
}

pdef_status pdef_context_set_assume_crs(pdef_context* ctx, const char* crs) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        require(crs, "crs");
        context.assume_crs = crs;
    });
}

pdef_status pdef_context_get_assume_crs(const pdef_context* ctx, const char** crs) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        require(crs, "crs");
        *crs = context.assume_crs.c_str();
    });
}

pdef_status pdef_context_set_invalid_policy(pdef_context* ctx, pdef_invalid_policy policy) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        check_option(policy == PDEF_INVALID_REPAIR || policy == PDEF_INVALID_SKIP || policy == PDEF_INVALID_FAIL,
                     "the invalid-geometry policy " + std::to_string(static_cast<int>(policy)) +
                         " is not one of PDEF_INVALID_REPAIR, PDEF_INVALID_SKIP, PDEF_INVALID_FAIL");
        context.invalid = static_cast<InvalidPolicy>(policy);
    });
}

pdef_status pdef_context_get_invalid_policy(const pdef_context* ctx, pdef_invalid_policy* policy) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        require(policy, "policy");
        *policy = static_cast<pdef_invalid_policy>(context.invalid);
    });
}

pdef_status pdef_invalid_policy_from_string(pdef_context* ctx, const char* text, pdef_invalid_policy* policy) {
    return guarded(ctx, __func__, [&] {
        require(text, "text");
        require(policy, "policy");
        *policy = static_cast<pdef_invalid_policy>(invalid_policy_from_string(text));
    });
}

pdef_status pdef_context_get_problem_count(const pdef_context* ctx, size_t* count) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        require(count, "count");
        *count = context.problems.count();
    });
}

pdef_status pdef_context_get_problem(pdef_context* ctx, size_t index, pdef_problem* problem) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        require(problem, "problem");
        check_index(index, context.problems.count(), "problem");
        const Problem& p = context.problems.problems()[index];
        context.problem_description = terminal_text(p.describe());
        problem->kind = to_string(p.kind);
        problem->action = to_string(p.action);
        problem->file = p.where.file.c_str();
        problem->layer = p.where.layer.c_str();
        problem->has_fid = p.where.fid.has_value();
        problem->fid = p.where.fid.value_or(0);
        problem->code = p.where.code.c_str();
        problem->field = p.where.field.c_str();
        problem->detail = p.detail.c_str();
        problem->description = context.problem_description.c_str();
    });
}

pdef_status pdef_context_clear_problems(pdef_context* ctx) {
    return guarded(ctx, __func__, [&](ContextObject& context) { context.reset_problems(); });
}

}  // extern "C"

static_assert(static_cast<int>(InvalidPolicy::repair) == PDEF_INVALID_REPAIR &&
                  static_cast<int>(InvalidPolicy::skip) == PDEF_INVALID_SKIP &&
                  static_cast<int>(InvalidPolicy::fail) == PDEF_INVALID_FAIL,
              "pdef_invalid_policy mirrors placedef::InvalidPolicy");
