// What stands behind the opaque handles of pdef_c.h, and the one wrapper
// through which every fallible C call runs: it checks the context, catches
// every exception, maps it to a pdef_status and keeps the message.
#pragma once

#include "placedef/pdef_c.h"

#include "placedef/catchment.hpp"
#include "placedef/clustering.hpp"
#include "placedef/error.hpp"
#include "placedef/io.hpp"
#include "placedef/overlay.hpp"
#include "placedef/pipeline.hpp"
#include "placedef/problems.hpp"
#include "placedef/scoring.hpp"

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <new>
#include <string>
#include <vector>

namespace placedef::detail::capi {

/// First member of every handle: tells a handle of one type from another
/// (and from memory that is no handle at all) before it is used.
enum class Tag : std::uint32_t {
    context = 0x70640001,
    layer = 0x70640002,
    population = 0x70640003,
    table = 0x70640004,
    report = 0x70640005,
    lookup = 0x70640006,
    matrix = 0x70640007,
    pcn_options = 0x70640008,
    pcn = 0x70640009,
    graph = 0x7064000a,
    footprint_options = 0x7064000b,
    footprints = 0x7064000c,
};

/// The base of every handle: its tag, the first bytes of the object (a
/// single non-virtual base sits at offset 0), which use() reads before
/// trusting the pointer.
template <Tag T>
struct Tagged {
    static constexpr Tag expected_tag = T;
    const Tag tag = T;
};

/// The tag in the first bytes of what `pointer` points to, a handle or not.
inline Tag tag_of(const void* pointer) {
    Tag tag;
    std::memcpy(&tag, pointer, sizeof tag);
    return tag;
}

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

/// The handle behind `pointer`, checked: NULL_ARGUMENT or WRONG_HANDLE otherwise.
template <class Handle>
Handle& use(Handle* pointer, const char* argument) {
    require(pointer, argument);
    const Tag tag = tag_of(pointer);
    if (tag != Handle::expected_tag)
        throw Misuse(PDEF_ERROR_WRONG_HANDLE, std::string("argument '") + argument + "' is not " +
                                                  what_it_is(Handle::expected_tag) + " (it is " + what_it_is(tag) +
                                                  ")");
    return *pointer;
}

/// Destroys a handle of the right type; NULL and other types are left alone,
/// as a destroy call has no way to report them.
template <class Handle>
void destroy(Handle* pointer) noexcept {
    if (pointer && tag_of(pointer) == Handle::expected_tag) delete pointer;
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
std::vector<std::string> sources_of(std::initializer_list<const Layer*> layers);
/// Output safety for a result's write: `path` may not replace any of `inputs`
/// (io's check_outputs, as the pipeline checks every job's outputs);
/// `layers` are the GeoPackage layers the write makes.
void check_write(const std::vector<std::string>& inputs, const char* path, const std::vector<std::string>& layers = {});

/// A new layer handle owning `layer`, with the problems reported while it was made.
pdef_layer* new_layer_handle(Layer layer, std::size_t problems = 0);

/// Shared by population handles and the options that keep a population.
struct PopulationData {
    std::shared_ptr<const Layer> units;
    PopulationSource source;
};

}  // namespace placedef::detail::capi

struct pdef_context : placedef::detail::capi::Tagged<placedef::detail::capi::Tag::context> {
    pdef_context();
    mutable std::string last_error;
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

    void log(pdef_log_level level, const std::string& message) const;
    /// The progress callback as the engine takes it (empty without one).
    placedef::ProgressCallback progress() const;
    /// The pipeline's settings: notes go to the log at info level.
    placedef::RunSettings settings() const;
    /// Empties the problem list; new problems still reach the log.
    void reset_problems();
};

struct pdef_layer : placedef::detail::capi::Tagged<placedef::detail::capi::Tag::layer> {
    std::shared_ptr<placedef::Layer> layer;
    std::size_t problems = 0;  ///< reported while it was loaded
};

struct pdef_population : placedef::detail::capi::Tagged<placedef::detail::capi::Tag::population> {
    std::shared_ptr<const placedef::detail::capi::PopulationData> data;
};

struct pdef_table : placedef::detail::capi::Tagged<placedef::detail::capi::Tag::table> {
    std::vector<std::string> inputs;  ///< the layers it was made from, which no write may replace
    placedef::IntersectionTable table;
    std::string crs;
    bool with_geometry = false;
};

struct pdef_report : placedef::detail::capi::Tagged<placedef::detail::capi::Tag::report> {
    std::vector<std::string> inputs;  ///< the layers it was made from, which no write may replace
    placedef::AlignmentReport report;
};

struct pdef_lookup : placedef::detail::capi::Tagged<placedef::detail::capi::Tag::lookup> {
    std::vector<std::string> inputs;  ///< the layers it was made from, which no write may replace
    std::vector<placedef::BestFitRow> rows;
};

struct pdef_matrix : placedef::detail::capi::Tagged<placedef::detail::capi::Tag::matrix> {
    std::vector<std::string> inputs;  ///< the layers it was made from, which no write may replace
    placedef::Matrix matrix;
};

struct pdef_pcn_options : placedef::detail::capi::Tagged<placedef::detail::capi::Tag::pcn_options> {
    placedef::PcnOptions options;  ///< registered and population are set from the members below when used
    std::shared_ptr<const placedef::RegisteredPatients> registered;
    std::shared_ptr<const placedef::detail::capi::PopulationData> population;
};

struct pdef_pcn : placedef::detail::capi::Tagged<placedef::detail::capi::Tag::pcn> {
    std::vector<std::string> inputs;  ///< the layers it was made from, which no write may replace
    placedef::PcnResult result;
    std::shared_ptr<const placedef::Layer> practices;
    std::string crs;
};

struct pdef_graph : placedef::detail::capi::Tagged<placedef::detail::capi::Tag::graph> {
    placedef::ContiguityGraph graph;
};

struct pdef_footprint_options : placedef::detail::capi::Tagged<placedef::detail::capi::Tag::footprint_options> {
    placedef::FootprintRequest request;  ///< places and nest_layer are set from the members below when used
    std::shared_ptr<const placedef::Layer> places;
    std::shared_ptr<const placedef::Layer> nest;
};

struct pdef_footprints : placedef::detail::capi::Tagged<placedef::detail::capi::Tag::footprints> {
    std::vector<std::string> inputs;  ///< the layers it was made from, which no write may replace
    placedef::FootprintResult result;
    std::shared_ptr<const placedef::Layer> blocks;  ///< null for footprints clustered on a graph alone
};

namespace placedef::detail::capi {

/// Stores the message of a failure in the context and returns its status.
pdef_status fail(const pdef_context& ctx, const char* function, pdef_status status, const char* message) noexcept;

/// Runs `body` for the C function `function`: the context is checked, its
/// last error cleared, and any exception becomes a status and a message.
template <class Body>
pdef_status guarded(const pdef_context* ctx, const char* function, Body&& body) noexcept {
    if (!ctx) return PDEF_ERROR_NULL_ARGUMENT;
    if (tag_of(ctx) != Tag::context) return PDEF_ERROR_WRONG_HANDLE;
    ctx->last_error.clear();
    try {
        body();
        return PDEF_OK;
    } catch (const Misuse& e) {
        return fail(*ctx, function, e.status(), e.what());
    } catch (const output_error& e) {
        return fail(*ctx, function, PDEF_ERROR_OUTPUT, e.what());
    } catch (const io_error& e) {
        return fail(*ctx, function, PDEF_ERROR_IO, e.what());
    } catch (const invalid_input& e) {
        return fail(*ctx, function, PDEF_ERROR_INVALID_INPUT, e.what());
    } catch (const topology_error& e) {
        return fail(*ctx, function, PDEF_ERROR_TOPOLOGY, e.what());
    } catch (const std::bad_alloc&) {
        return fail(*ctx, function, PDEF_ERROR_OUT_OF_MEMORY, "out of memory");
    } catch (const std::exception& e) {
        return fail(*ctx, function, PDEF_ERROR_INTERNAL, e.what());
    } catch (...) {
        return fail(*ctx, function, PDEF_ERROR, "an exception of unknown type");
    }
}

}  // namespace placedef::detail::capi
