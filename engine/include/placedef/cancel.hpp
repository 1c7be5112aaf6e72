// Cancellation of a running job. A front end (a C API caller through
// pdef_context_cancel(), Python on Ctrl-C) sets a token from any thread; the
// engine's long loops check the token of the job running on their thread and
// stop by throwing `cancelled`. Worker threads of the parallel helpers check
// the token of the thread that started them.
#pragma once

#include "placedef/error.hpp"

#include <atomic>

namespace placedef {
inline namespace core {

/// A request to stop, set from any thread (or a signal handler: it is one
/// lock-free atomic flag) and read by the engine's loops.
class CancelToken {
public:
    CancelToken() = default;
    CancelToken(const CancelToken&) = delete;
    CancelToken& operator=(const CancelToken&) = delete;

    void request() noexcept { m_requested.store(true, std::memory_order_relaxed); }
    void reset() noexcept { m_requested.store(false, std::memory_order_relaxed); }
    bool requested() const noexcept { return m_requested.load(std::memory_order_relaxed); }

private:
    std::atomic<bool> m_requested{false};
};

/// Makes `token` the one checked on this thread while the scope lives
/// (scopes nest; a null token checks none).
class CancelScope {
public:
    explicit CancelScope(const CancelToken* token) noexcept;
    explicit CancelScope(const CancelToken& token) noexcept : CancelScope(&token) {}
    ~CancelScope();
    CancelScope(const CancelScope&) = delete;
    CancelScope& operator=(const CancelScope&) = delete;

private:
    const CancelToken* m_previous;
};

/// The token checked on this thread (null: none), for helpers that hand work
/// to other threads.
const CancelToken* current_cancel_token() noexcept;

/// Throws `cancelled` when the token of this thread has been set.
void check_cancelled();

}  // namespace core
}  // namespace placedef
