// An exact referee for intersection areas, for tests only: the area of a∩b
// for polygonal shapes with double coordinates, in rational arithmetic
// (boost::multiprecision::cpp_rational), by a method independent of the
// engine's kernel.
//
// Method. Each edge e of a shape, with the region under it down to a line
// y0 below both shapes, is a trapezoid T(e); with weight w(e) = +1 for edges
// running towards -x around the interior (left of the edge) and -1 towards
// +x, the sum of w(e)·1[T(e)] is the shape's indicator almost everywhere. So
//   area(a∩b) = Σ over e in a, g in b of w(e)·w(g)·area(T(e) ∩ T(g)),
// and T(e) ∩ T(g) is the region over their common x range under the lower of
// the two edges: a linear integral, split where the edges cross. Only edge
// pairs whose x ranges overlap contribute. Inputs must be valid polygons
// (rings neither crossing nor overlapping), as the kernel's are.
#pragma once

#include "placedef/shapes.hpp"

#include <boost/multiprecision/cpp_int.hpp>

namespace placedef::test {

using Rational = boost::multiprecision::cpp_rational;

/// Exact area of a∩b. `pair_limit` bounds the work: when more edge pairs
/// would be needed, `*complete` is set false and 0 returned.
Rational exact_intersection_area(const MultiPolygon& a, const MultiPolygon& b, std::size_t pair_limit = 20000000,
                                 bool* complete = nullptr);
/// Exact area of a shape (shoelace in rationals).
Rational exact_area(const MultiPolygon& shape);

}  // namespace placedef::test
