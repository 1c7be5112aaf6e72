// Wall-clock laps, for the timings the engine reports (--verbose, stats).
#pragma once

#include <chrono>

namespace placedef {
inline namespace core {

class Stopwatch {
public:
    /// Seconds since the last lap (or construction), and starts a new lap.
    double lap() {
        const auto now = std::chrono::steady_clock::now();
        const double seconds = std::chrono::duration<double>(now - m_mark).count();
        m_mark = now;
        return seconds;
    }
    /// Seconds since construction.
    double elapsed() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    }

private:
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point m_mark = m_start;
};

}  // namespace core
}  // namespace placedef
