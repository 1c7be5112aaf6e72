// Helpers shared by the io tests: checking an exception's type and message,
// and writing small layers of squares as binary fixtures at test time.
#pragma once

#include "placedef/io.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace placedef::test {

/// The message of the `Error` thrown by `action`; fails the test when
/// nothing is thrown (another exception type fails it too, by escaping).
template <typename Error, typename Action>
std::string error_message(Action&& action) {
    try {
        action();
    } catch (const Error& e) {
        return e.what();
    }
    FAIL("expected an exception, none was thrown");
    return {};
}

/// An axis-aligned square stored open, counter-clockwise.
inline MultiPolygon square(double x, double y, double side) {
    return MultiPolygon{{Polygon{{{x, y}, {x + side, y}, {x + side, y + side}, {x, y + side}}, {}}}};
}

/// `count` squares of 100 m in a row near Guildford, codes S1, S2, ... in
/// field SQCD, plus an integer and a real field.
inline void add_square_layer(VectorWriter& writer, const std::string& layer, const std::string& crs, int count) {
    writer.begin_layer(layer, crs, LayerKind::polygon,
                       {{"SQCD", FieldType::text}, {"POP", FieldType::integer}, {"SHARE", FieldType::real}});
    for (int i = 0; i < count; ++i)
        writer.add(square(500000.0 + 100.0 * i, 150000.0, 100.0),
                   {std::string("S") + std::to_string(i + 1), std::int64_t{10 * i}, 0.5 * i});
}

inline void write_square_layer(const std::string& path, const std::string& crs, int count,
                               const std::string& layer = "squares") {
    VectorWriter writer(path);
    add_square_layer(writer, layer, crs, count);
    writer.close();
}

}  // namespace placedef::test
