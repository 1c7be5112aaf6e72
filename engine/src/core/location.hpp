// Builders for Location. It is an aggregate, and -Wextra warns about every
// member left out of a brace initialiser, so partial locations are built here.
#pragma once

#include "placedef/error.hpp"

#include <cstdint>
#include <string>

namespace placedef::detail {

inline Location in_file(std::string file, std::string layer = {}) {
    Location where;
    where.file = std::move(file);
    where.layer = std::move(layer);
    return where;
}

inline Location at_fid(Location where, std::int64_t fid) {
    where.fid = fid;
    return where;
}

inline Location at_code(Location where, std::string code) {
    where.code = std::move(code);
    return where;
}

inline Location at_field(Location where, std::string field) {
    where.field = std::move(field);
    return where;
}

}  // namespace placedef::detail
