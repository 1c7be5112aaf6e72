#include "progress.hpp"

#include <cstdio>
#include <unistd.h>

namespace placedef::cli {

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

ProgressBar::ProgressBar(std::string label, bool enabled) : m_label(std::move(label)), m_enabled(enabled) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::update(std::size_t done, std::size_t total) {
    if (!m_enabled || total == 0) return;
    const auto now = std::chrono::steady_clock::now();
    // Redrawing more than ~10 times a second only costs time.
    if (done < total && m_drawn && now - m_last < std::chrono::milliseconds(100)) return;
    m_last = now;
    constexpr int width = 30;
    const int filled = static_cast<int>(width * done / total);
    std::fprintf(stderr, "\r%s [%.*s%*s] %3d%% %zu/%zu", m_label.c_str(), filled,
                 "##############################", width - filled, "", static_cast<int>(100 * done / total), done,
                 total);
    std::fflush(stderr);
    m_drawn = true;
}

void ProgressBar::finish() {
    if (m_drawn) std::fputs("\n", stderr);
    m_drawn = false;
}

}  // namespace placedef::cli
