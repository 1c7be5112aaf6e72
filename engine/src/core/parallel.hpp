// A small fork-join loop: the engine's parallel work is "the same function
// over many independent items", so a shared atomic cursor over chunks is all
// the scheduling it needs. Results must not depend on the thread count, so
// callers write into per-item slots and merge in item order.
// Every chunk starts with a check of the cancel token of the calling thread
// (placedef/cancel.hpp), which the workers check too.
#pragma once

#include "placedef/cancel.hpp"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace placedef::detail {

inline unsigned resolve_threads(unsigned requested) {
    if (requested) return requested;
    const unsigned hardware = std::thread::hardware_concurrency();
    return hardware ? hardware : 1;
}

/// Calls body(begin, end) on chunks of [0, count) from `threads` workers
/// (0: all cores). The first exception thrown by a worker is rethrown here
/// after every worker has stopped; a cancel stops it between chunks.
template <typename Body>
void parallel_for(std::size_t count, unsigned threads, std::size_t chunk, Body&& body) {
    chunk = std::max<std::size_t>(chunk, 1);
    const unsigned workers = static_cast<unsigned>(std::min<std::size_t>(resolve_threads(threads), (count + chunk - 1) / chunk));
    if (workers <= 1) {
        for (std::size_t begin = 0; begin < count; begin += chunk) {
            check_cancelled();
            body(begin, std::min(count, begin + chunk));
        }
        return;
    }
    const CancelToken* const token = current_cancel_token();
    std::atomic<std::size_t> cursor{0};
    std::atomic<bool> stop{false};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    auto run = [&] {
        const CancelScope scope(token);
        while (!stop.load(std::memory_order_relaxed)) {
            const std::size_t begin = cursor.fetch_add(chunk);
            if (begin >= count) return;
            try {
                check_cancelled();
                body(begin, std::min(count, begin + chunk));
            } catch (...) {
                std::lock_guard<std::mutex> lock(failure_mutex);
                if (!failure) failure = std::current_exception();
                stop = true;
            }
        }
    };
    std::vector<std::thread> pool;
    for (unsigned i = 1; i < workers; ++i) {
        try {
            pool.emplace_back(run);
        } catch (const std::system_error&) {
            break;  // no room for another thread (e.g. under a memory limit): those started share the work
        }
    }
    run();
    for (std::thread& t : pool) t.join();
    if (failure) std::rethrow_exception(failure);
}

}  // namespace placedef::detail
