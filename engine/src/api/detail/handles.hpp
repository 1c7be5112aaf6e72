// What stands behind the opaque handles of pdef_c.h, and the one wrapper
// through which every fallible C call runs: it checks the context, catches
// every exception, maps it to a pdef_status and keeps the message.
#pragma once

#include "placedef/pdef_c.h"

#include "placedef/cancel.hpp"
#include "placedef/catchment.hpp"
#include "placedef/clustering.hpp"
#include "placedef/error.hpp"
#include "placedef/io.hpp"
#include "placedef/overlay.hpp"
#include "placedef/pipeline.hpp"
#include "placedef/problems.hpp"
#include "placedef/scoring.hpp"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <new>
#include <string>
#include <type_traits>
#include <vector>

namespace placedef::detail::capi {

/// The type of a handle, kept in its table slot and encoded in its value.
/// Small numbers: they fit the tag bits of a handle on 32-bit targets too.
enum class Tag : std::uint8_t {
    context = 1,
    layer,
    population,
    table,
    report,
    lookup,
    matrix,
    pcn_options,
    pcn,
    graph,
    footprint_options,
    footprints,
    deprivation,
    comparison,
    functional_areas,
};

/// "pdef_layer" for messages.
const char* type_name(Tag tag);
/// "a pdef_layer", or "not a placedef handle" for a tag of no handle.
std::string what_it_is(Tag tag);

/// A misuse of the API (the call is wrong, not the data), with its status.
class Misuse : public std::exception {
public:
    Misuse(pdef_status status, std::string message) : m_status(status), m_message(std::move(message)) {}
    pdef_status status() const noexcept { return m_status; }
    const char* what() const noexcept override { return m_message.c_str(); }

private:
    pdef_status m_status;
    std::string m_message;
};

/// Throws Misuse(NULL_ARGUMENT) naming the argument.
void require(const void* pointer, const char* argument);

/// What a handle stands for; the table owns it and deletes it through this base.
struct Object {
    virtual ~Object() = default;
};

/// The base of the object behind a `Public *` handle of type `T`.
template <class Public, Tag T>
struct Tagged : Object {
    using public_type = Public;
    static constexpr Tag tag = T;
};

/// The object type behind each public handle type (specialised below).
template <class Public>
struct ObjectOf;

// The handle table. A handle given to the caller is no address: it packs the
// index of a slot in this library-owned table, the slot's generation (raised
// each time the slot is freed) and the type tag, with the lowest bit set so
// that no aligned pointer is ever mistaken for one. A handle is checked
// against its slot before use, so a destroyed (stale), doubly destroyed,
// wrong-type or made-up handle is an error, never a read of freed memory,
// and a stale handle never reaches a newer object in a reused slot.
// The table is the one piece of global state; a mutex guards it.

/// Adds `object` to the table and returns its handle value.
std::uintptr_t table_add(std::unique_ptr<Object> object, Tag tag);
/// The object behind `handle`, which must be a live handle of type `expected`;
/// Misuse(WRONG_HANDLE) says what it is otherwise (another type, a destroyed
/// handle, or no handle).
Object& table_find(std::uintptr_t handle, Tag expected, const char* argument);
/// Removes a live handle of type `expected` and returns its object (null for
/// anything else, which destroy calls ignore).
std::unique_ptr<Object> table_remove(std::uintptr_t handle, Tag expected) noexcept;
/// Runs `body` on the object of a live handle of type `expected` while the
/// table is locked, so that a destroy in another thread waits for it; false
/// when the handle is not live. For the calls made from other threads (cancel).
bool table_locked_call(std::uintptr_t handle, Tag expected, void (*body)(Object&)) noexcept;

template <class Public>
std::uintptr_t handle_value(Public* handle) {
    return reinterpret_cast<std::uintptr_t>(handle);
}

/// The object behind `handle`, checked: NULL_ARGUMENT or WRONG_HANDLE otherwise.
template <class Public>
auto use(Public* handle, const char* argument)
    -> std::conditional_t<std::is_const_v<Public>, const typename ObjectOf<std::remove_const_t<Public>>::type&,
                          typename ObjectOf<std::remove_const_t<Public>>::type&> {
    using Type = typename ObjectOf<std::remove_const_t<Public>>::type;
    require(handle, argument);
    return static_cast<Type&>(table_find(handle_value(handle), Type::tag, argument));
}

/// Gives `object` to the table and returns its handle.
template <class Type>
typename Type::public_type* publish(std::unique_ptr<Type> object) {
    return reinterpret_cast<typename Type::public_type*>(table_add(std::move(object), Type::tag));
}

/// Destroys a live handle of the right type; NULL, other types and handles
/// already destroyed are left alone, as a destroy call has no way to report them.
template <class Public>
void destroy(Public* handle) noexcept {
    using Type = typename ObjectOf<std::remove_const_t<Public>>::type;
    if (handle) table_remove(handle_value(handle), Type::tag);
}

/// Throws Misuse(BAD_OPTION) when `ok` is false.
void check_option(bool ok, const std::string& message);
/// Throws Misuse(OUT_OF_RANGE) unless index < count.
void check_index(std::size_t index, std::size_t count, const char* what);
/// Throws Misuse(BUFFER_TOO_SMALL) unless buffer_size >= count (and buffer is not NULL).
void check_buffer(const void* buffer, std::size_t buffer_size, std::size_t count);

/// Engine-allocated copies, freed by pdef_free().
unsigned char* allocated_copy(const std::vector<unsigned char>& bytes);
char* allocated_copy(const std::string& text);
/// One block: an array of `texts.size()` pointers followed by the strings.
char** allocated_copy(const std::vector<std::string>& texts);

/// Writes WKB through the two out-parameters.
void give_wkb(const std::vector<unsigned char>& bytes, unsigned char** wkb, std::size_t* size);

/// Texts of a NULL-checked array of `count` C strings.
std::vector<std::string> texts(const char* const* values, std::size_t count, const char* argument);

/// A population handle as the pipeline takes it (no population for NULL).
PopulationInput population_input(const pdef_population* population);

/// The addresses (`source:layer`) of the layers a result was made from.
std::vector<std::string> sources_of(const std::vector<const Layer*>& layers);
/// Output safety for a result's write: `path` may not replace any of `inputs`
/// (io's check_outputs, as the pipeline checks every job's outputs);
/// `layers` are the GeoPackage layers the write makes.
void check_write(const std::vector<std::string>& inputs, const char* path, const std::vector<std::string>& layers = {});

/// Contiguity options from the C arguments, checked (BAD_OPTION for an
/// undefined adjacency or a negative or infinite distance).
placedef::ContiguityOptions contiguity_of(pdef_adjacency adjacency, double snap, double min_shared_length,
                                          bool join_islands);

/// A new layer handle owning `layer`, with the problems reported while it was made.
pdef_layer* new_layer_handle(Layer layer, std::size_t problems = 0);

/// Shared by population handles and the options that keep a population.
struct PopulationData {
    std::shared_ptr<const Layer> units;
    PopulationSource source;
};

struct ContextObject : Tagged<pdef_context, Tag::context> {
    ContextObject();
    mutable std::string last_error;
    mutable int last_os_error = 0;        ///< errno behind the last failure (ENOENT), or 0
    mutable std::string last_error_file;  ///< the file that error concerns
    pdef_log_callback log_callback = nullptr;
    void* log_user_data = nullptr;
    pdef_progress_callback progress_callback = nullptr;
    void* progress_user_data = nullptr;
    unsigned threads = 0;
    placedef::ScoringOptions scoring;
    std::string study_crs = "EPSG:27700";
    std::string assume_crs;
    placedef::InvalidPolicy invalid = placedef::InvalidPolicy::repair;
    placedef::ProblemSink problems;
    std::string problem_description;  ///< backs pdef_problem::description until the next call
    placedef::CancelToken cancel;     ///< set by pdef_context_cancel(), from any thread

    void log(pdef_log_level level, const std::string& message) const;
    /// The progress callback as the engine takes it (empty without one).
    placedef::ProgressCallback progress() const;
    /// The pipeline's settings: notes go to the log at info level.
    placedef::RunSettings settings() const;
    /// Empties the problem list; new problems still reach the log.
    void reset_problems();
};

struct LayerObject : Tagged<pdef_layer, Tag::layer> {
    std::shared_ptr<placedef::Layer> layer;
    std::size_t problems = 0;  ///< reported while it was loaded
};

struct PopulationObject : Tagged<pdef_population, Tag::population> {
    std::shared_ptr<const PopulationData> data;
};

struct TableObject : Tagged<pdef_table, Tag::table> {
    std::vector<std::string> inputs;  ///< the layers it was made from, which no write may replace
    placedef::IntersectionTable table;
    std::string crs;
    bool with_geometry = false;
};

struct ReportObject : Tagged<pdef_report, Tag::report> {
    std::vector<std::string> inputs;  ///< the layers it was made from, which no write may replace
    placedef::AlignmentReport report;
};

struct LookupObject : Tagged<pdef_lookup, Tag::lookup> {
    std::vector<std::string> inputs;  ///< the layers it was made from, which no write may replace
    std::vector<placedef::BestFitRow> rows;
};

struct MatrixObject : Tagged<pdef_matrix, Tag::matrix> {
    std::vector<std::string> inputs;  ///< the layers it was made from, which no write may replace
    placedef::Matrix matrix;
};

struct PcnOptionsObject : Tagged<pdef_pcn_options, Tag::pcn_options> {
    placedef::PcnOptions options;  ///< registered and population are set from the members below when used
    std::shared_ptr<const placedef::RegisteredPatients> registered;
    std::shared_ptr<const PopulationData> population;
};

struct PcnObject : Tagged<pdef_pcn, Tag::pcn> {
    std::vector<std::string> inputs;  ///< the layers it was made from, which no write may replace
    placedef::PcnResult result;
    std::shared_ptr<const placedef::Layer> practices;
    std::string crs;
};

struct GraphObject : Tagged<pdef_graph, Tag::graph> {
    placedef::ContiguityGraph graph;
};

struct FootprintOptionsObject : Tagged<pdef_footprint_options, Tag::footprint_options> {
    placedef::FootprintRequest request;  ///< places and nest_layer are set from the members below when used
    std::vector<placedef::AttributeSpec> builtin;  ///< density, position: made from the blocks when used
    std::shared_ptr<const placedef::Layer> places;
    std::shared_ptr<const placedef::Layer> nest;
    /// Partner layers and their weights (request.respect and .align are filled from them when used).
    std::vector<std::pair<std::shared_ptr<const placedef::Layer>, double>> respect, align;
};

struct FootprintsObject : Tagged<pdef_footprints, Tag::footprints> {
    std::vector<std::string> inputs;  ///< the layers it was made from, which no write may replace
    placedef::FootprintResult result;
    std::shared_ptr<const placedef::Layer> blocks;  ///< null for footprints clustered on a graph alone
};

struct DeprivationObject : Tagged<pdef_deprivation, Tag::deprivation> {
    placedef::DeprivationProfile profile;
};

struct ComparisonObject : Tagged<pdef_comparison, Tag::comparison> {
    std::vector<std::string> inputs;  ///< the layers and files it was made from, which no write may replace
    placedef::CompareRequest request;
    placedef::CompareResult result;
};

struct FunctionalAreasObject : Tagged<pdef_functional_areas, Tag::functional_areas> {
    std::vector<std::string> inputs;  ///< the units and the flows table, which no write may replace
    placedef::FlowsRequest request;
    placedef::FlowsResult result;
};

// clang-format off
template <> struct ObjectOf<pdef_context> { using type = ContextObject; };
template <> struct ObjectOf<pdef_layer> { using type = LayerObject; };
template <> struct ObjectOf<pdef_population> { using type = PopulationObject; };
template <> struct ObjectOf<pdef_table> { using type = TableObject; };
template <> struct ObjectOf<pdef_report> { using type = ReportObject; };
template <> struct ObjectOf<pdef_lookup> { using type = LookupObject; };
template <> struct ObjectOf<pdef_matrix> { using type = MatrixObject; };
template <> struct ObjectOf<pdef_pcn_options> { using type = PcnOptionsObject; };
template <> struct ObjectOf<pdef_pcn> { using type = PcnObject; };
template <> struct ObjectOf<pdef_graph> { using type = GraphObject; };
template <> struct ObjectOf<pdef_footprint_options> { using type = FootprintOptionsObject; };
template <> struct ObjectOf<pdef_footprints> { using type = FootprintsObject; };
template <> struct ObjectOf<pdef_deprivation> { using type = DeprivationObject; };
template <> struct ObjectOf<pdef_comparison> { using type = ComparisonObject; };
template <> struct ObjectOf<pdef_functional_areas> { using type = FunctionalAreasObject; };
// clang-format on

/// Stores the message of a failure in the context and returns its status.
pdef_status fail(const ContextObject& ctx, const char* function, pdef_status status, const char* message) noexcept;

/// Runs `body` for the C function `function`: the context is checked, its
/// last error cleared, and any exception becomes a status and a message.
/// `body` takes the context's object when it needs it.
template <class Body>
pdef_status guarded(const pdef_context* handle, const char* function, Body&& body) noexcept {
    if (!handle) return PDEF_ERROR_NULL_ARGUMENT;
    ContextObject* found = nullptr;
    try {
        found = &const_cast<ContextObject&>(use(handle, "ctx"));
    } catch (const Misuse& e) {
        return e.status();  // no context to hold the message; pdef_context_last_error(handle) tells
    }
    ContextObject& ctx = *found;
    ctx.last_error.clear();
    ctx.last_os_error = 0;
    ctx.last_error_file.clear();
    // A cancel applies to this call and is used up when it returns.
    struct UseUpCancel {
        CancelToken& token;
        ~UseUpCancel() { token.reset(); }
    } use_up{ctx.cancel};
    try {
        const CancelScope scope(ctx.cancel);  // the engine's loops stop on pdef_context_cancel()
        if constexpr (std::is_invocable_v<Body, ContextObject&>)
            body(ctx);
        else
            body();
        return PDEF_OK;
    } catch (const Misuse& e) {
        return fail(ctx, function, e.status(), e.what());
    } catch (const cancelled& e) {
        return fail(ctx, function, PDEF_ERROR_CANCELLED, e.what());
    } catch (const file_not_found& e) {
        ctx.last_os_error = ENOENT;
        ctx.last_error_file = e.where().file;
        return fail(ctx, function, PDEF_ERROR_IO, e.what());
    } catch (const output_error& e) {
        return fail(ctx, function, PDEF_ERROR_OUTPUT, e.what());
    } catch (const io_error& e) {
        return fail(ctx, function, PDEF_ERROR_IO, e.what());
    } catch (const invalid_input& e) {
        return fail(ctx, function, PDEF_ERROR_INVALID_INPUT, e.what());
    } catch (const topology_error& e) {
        return fail(ctx, function, PDEF_ERROR_TOPOLOGY, e.what());
    } catch (const std::bad_alloc&) {
        return fail(ctx, function, PDEF_ERROR_OUT_OF_MEMORY, "out of memory");
    } catch (const std::exception& e) {
        return fail(ctx, function, PDEF_ERROR_INTERNAL, e.what());
    } catch (...) {
        return fail(ctx, function, PDEF_ERROR, "an exception of unknown type");
    }
}

}  // namespace placedef::detail::capi
