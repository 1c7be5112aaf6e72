// Text to enum, one way for every option that names a choice (methods,
// policies, rules), so that every front end accepts the same words and says
// the same when a word is wrong.
#pragma once

#include "placedef/error.hpp"

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace placedef {
inline namespace core {

/// The value among `values` whose to_string() is `text`. Throws invalid_input
/// "unknown <what> '<text>': use a, b or c".
template <typename Enum, std::size_t N>
Enum choice_from_string(std::string_view text, const char* what, const std::array<Enum, N>& values) {
    for (Enum value : values)
        if (text == to_string(value)) return value;
    std::string accepted;
    for (std::size_t i = 0; i < N; ++i)
        accepted += std::string(i == 0 ? "" : i + 1 == N ? " or " : ", ") + to_string(values[i]);
    throw invalid_input("unknown " + std::string(what) + " '" + std::string(text) + "': use " + accepted);
}

}  // namespace core
}  // namespace placedef
