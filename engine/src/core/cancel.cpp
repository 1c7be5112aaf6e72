#include "placedef/cancel.hpp"

namespace placedef {
inline namespace core {

namespace {
thread_local const CancelToken* current_token = nullptr;
}

CancelScope::CancelScope(const CancelToken* token) noexcept : m_previous(current_token) { current_token = token; }

CancelScope::~CancelScope() { current_token = m_previous; }

const CancelToken* current_cancel_token() noexcept { return current_token; }

void check_cancelled() {
    if (current_token && current_token->requested()) throw cancelled("cancelled: the run was stopped on request");
}

}  // namespace core
}  // namespace placedef
