// A seeded generator whose sequence is the same on every platform: the
// standard distributions are implementation-defined, so the engine draws
// through these two functions only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

namespace placedef::detail {

class Random {
public:
    explicit Random(std::uint64_t seed) : m_engine(seed) {}
    /// Uniform in [0, bound), bound > 0 (rejection sampling: no modulo bias).
    std::size_t below(std::size_t bound) {
        const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() -
                                    std::numeric_limits<std::uint64_t>::max() % static_cast<std::uint64_t>(bound);
        std::uint64_t draw;
        do draw = m_engine();
        while (draw >= limit);
        return static_cast<std::size_t>(draw % bound);
    }
    /// Uniform in [0, 1) with 53 random bits.
    double unit() { return static_cast<double>(m_engine() >> 11) * 0x1.0p-53; }
    template <typename T>
    void shuffle(std::vector<T>& items) {
        for (std::size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[below(i)]);
    }
    std::uint64_t next() { return m_engine(); }

private:
    std::mt19937_64 m_engine;
};

}  // namespace placedef::detail
