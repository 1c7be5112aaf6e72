#include "geometry/predicates.hpp"

namespace placedef::detail::exact {

int sign_of_sum(const double* terms, int n) {
    // Grow an expansion one term at a time; components stay sorted by
    // magnitude and non-overlapping, so the last nonzero one has the sign.
    double expansion[64];
    int size = 0;
    for (int t = 0; t < n; ++t) {
        double carry = terms[t];
        int out = 0;
        for (int i = 0; i < size; ++i) {
            double hi, lo;
            two_sum(carry, expansion[i], hi, lo);
            if (lo != 0.0) expansion[out++] = lo;
            carry = hi;
        }
        if (carry != 0.0) expansion[out++] = carry;
        size = out;
    }
    for (int i = size - 1; i >= 0; --i) {
        if (expansion[i] > 0) return 1;
        if (expansion[i] < 0) return -1;
    }
    return 0;
}

}  // namespace placedef::detail::exact
