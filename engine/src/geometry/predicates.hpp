// Exact orientation test. The overlay kernel decides every topological
// question (does this edge cross that one, is this point inside) with it, so
// that nearly-collinear boundaries of independently generalised layers never
// give inconsistent answers. Floating-point filter first; when the filter
// cannot decide, the determinant is evaluated exactly as a sum of error-free
// products (the expansion arithmetic idea of Priest and Shewchuk).
#pragma once

#include "placedef/shapes.hpp"

#include <algorithm>
#include <cmath>

namespace placedef::detail {

namespace exact {

/// a*b == hi + lo exactly (fma gives the rounding error of the product).
inline void two_product(double a, double b, double& hi, double& lo) {
    hi = a * b;
    lo = std::fma(a, b, -hi);
}

/// a+b == hi + lo exactly (Knuth's two-sum).
inline void two_sum(double a, double b, double& hi, double& lo) {
    hi = a + b;
    const double b_virtual = hi - a;
    const double a_virtual = hi - b_virtual;
    lo = (a - a_virtual) + (b - b_virtual);
}

/// Sign of the exact sum of `n` doubles: the terms are accumulated into a
/// non-overlapping expansion (grow-expansion), whose largest nonzero component
/// carries the sign.
int sign_of_sum(const double* terms, int n);

}  // namespace exact

/// > 0 when c lies left of the directed line a→b, < 0 right, 0 on it. Exact.
inline int orientation(const Coord& a, const Coord& b, const Coord& c) {
    const double left = (b.x - a.x) * (c.y - a.y);
    const double right = (b.y - a.y) * (c.x - a.x);
    const double det = left - right;
    // Error bound of the rounded determinant (Shewchuk's ccwerrboundA with the
    // subtractions' rounding folded in, kept on the safe side).
    const double bound = 4.0e-16 * (std::abs(left) + std::abs(right));
    if (det > bound) return 1;
    if (det < -bound) return -1;
    // Exact: expand (bx-ax)(cy-ay) - (by-ay)(cx-ax) into products of inputs.
    double terms[16];
    int n = 0;
    auto product = [&](double p, double q, double sign) {
        double hi, lo;
        exact::two_product(p, q, hi, lo);
        terms[n++] = sign * hi;
        terms[n++] = sign * lo;
    };
    product(b.x, c.y, +1); product(b.x, a.y, -1); product(a.x, c.y, -1); product(a.x, a.y, +1);
    product(b.y, c.x, -1); product(b.y, a.x, +1); product(a.y, c.x, +1); product(a.y, a.x, -1);
    return exact::sign_of_sum(terms, n);
}

}  // namespace placedef::detail

namespace placedef::detail {

/// True when the closed segments p1-p2 and q1-q2 share at least one point. Exact.
inline bool segments_intersect(const Coord& p1, const Coord& p2, const Coord& q1, const Coord& q2) {
    const int o1 = orientation(p1, p2, q1), o2 = orientation(p1, p2, q2);
    const int o3 = orientation(q1, q2, p1), o4 = orientation(q1, q2, p2);
    if (o1 * o2 < 0 && o3 * o4 < 0) return true;
    auto within = [](const Coord& a, const Coord& b, const Coord& c) {
        // c is collinear with a-b: is it between them?
        return std::min(a.x, b.x) <= c.x && c.x <= std::max(a.x, b.x) &&
               std::min(a.y, b.y) <= c.y && c.y <= std::max(a.y, b.y);
    };
    return (o1 == 0 && within(p1, p2, q1)) || (o2 == 0 && within(p1, p2, q2)) ||
           (o3 == 0 && within(q1, q2, p1)) || (o4 == 0 && within(q1, q2, p2));
}

}  // namespace placedef::detail
