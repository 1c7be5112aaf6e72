// Exception hierarchy of the C++ API. Every error names where it happened
// (file, layer, feature, field) so that a user can find the bad input.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace placedef {
inline namespace core {

/// Where an error or problem was found. Empty members are unknown.
struct Location {
    std::string file;                 ///< dataset path or connection string (no password)
    std::string layer;                ///< layer name inside the dataset
    std::optional<std::int64_t> fid;  ///< feature id (OGR FID) or 1-based CSV line
    std::string code;                 ///< the feature's code, when known
    std::string field;                ///< column involved
    /// "file 'a.gpkg', layer 'lsoa', feature 12 (code E01000001), field 'LSOA11CD'"
    std::string describe() const;
};

/// Root of every exception placedef throws.
class error : public std::runtime_error {
public:
    error(const std::string& message, Location where = {});
    const Location& where() const noexcept { return m_where; }
    /// The message without the location prefix.
    const std::string& reason() const noexcept { return m_reason; }

private:
    Location m_where;
    std::string m_reason;
};

/// Input that cannot be used: bad address, missing field, wrong geometry type,
/// non-numeric value, feature that fails the `fail` policy.
class invalid_input : public error {
public:
    using error::error;
};

/// A file or connection that cannot be opened, read or is corrupt.
class io_error : public error {
public:
    using error::error;
};

/// An input file that does not exist (where().file names it), so that front
/// ends can say so as their platform does (Python's FileNotFoundError).
class file_not_found : public io_error {
public:
    using io_error::io_error;
};

/// An output that cannot be written (exit code 4 on the command line).
class output_error : public io_error {
public:
    using io_error::io_error;
};

/// A geometry operation that failed on valid-looking input (GEOS error).
class topology_error : public error {
public:
    using error::error;
};

/// A run stopped on request (pdef_context_cancel(), Ctrl-C in Python):
/// not a fault of the input or of the engine.
class cancelled : public error {
public:
    using error::error;
};

}  // namespace core
}  // namespace placedef
