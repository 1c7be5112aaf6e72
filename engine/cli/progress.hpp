// A one-line progress bar on standard error, drawn only when it is a terminal
// (logs and CI see just the final summary lines).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace placedef::cli {

class ProgressBar {
public:
    ProgressBar(std::string label, bool enabled);
    ~ProgressBar();
    void update(std::size_t done, std::size_t total);
    void finish();

private:
    std::string m_label;
    bool m_enabled;
    bool m_drawn = false;
    std::chrono::steady_clock::time_point m_last{};
};

/// True when standard error is a terminal.
bool stderr_is_terminal();

}  // namespace placedef::cli
