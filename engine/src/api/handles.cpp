// The handle table behind every pdef_ handle (see detail/handles.hpp).
#include "api/detail/handles.hpp"

#include <atomic>
#include <climits>
#include <deque>
#include <mutex>

namespace placedef::detail::capi {

namespace {

// A handle value, low bit first: 1 marker bit (never set in an aligned
// pointer), the tag, the generation, the slot index. On 64-bit targets:
// 7 tag bits, 24 generation bits, 32 index bits; on 32-bit ones 4, 11, 16.
constexpr unsigned value_bits = sizeof(std::uintptr_t) * CHAR_BIT;
constexpr unsigned tag_bits = value_bits >= 64 ? 7 : 4;
constexpr unsigned generation_bits = value_bits >= 64 ? 24 : 11;
constexpr unsigned index_bits = value_bits - 1 - tag_bits - generation_bits;
constexpr std::uintptr_t tag_mask = (std::uintptr_t{1} << tag_bits) - 1;
constexpr std::uintptr_t generation_mask = (std::uintptr_t{1} << generation_bits) - 1;
constexpr std::uintptr_t index_limit = index_bits >= 32 ? std::uintptr_t{0xffffffff} : (std::uintptr_t{1} << index_bits);
static_assert(static_cast<std::uintptr_t>(Tag::functional_areas) <= tag_mask, "every tag fits its bits");

struct Decoded {
    bool marked;
    Tag tag;
    std::uintptr_t generation;
    std::uintptr_t index;
};

Decoded decode(std::uintptr_t value) {
    return Decoded{(value & 1) != 0, static_cast<Tag>((value >> 1) & tag_mask), (value >> (1 + tag_bits)) & generation_mask,
                   value >> (1 + tag_bits + generation_bits)};
}

std::uintptr_t encode(Tag tag, std::uintptr_t generation, std::uintptr_t index) {
    return 1 | (static_cast<std::uintptr_t>(tag) << 1) | (generation << (1 + tag_bits)) |
           (index << (1 + tag_bits + generation_bits));
}

bool known(Tag tag) { return tag >= Tag::context && tag <= Tag::functional_areas; }

struct Slot {
    std::unique_ptr<Object> object;  ///< null while free
    Tag tag = Tag::context;
    std::uintptr_t generation = 1;  ///< of the live handle, or of the next one once freed
};

// Slots never move (a deque grows at the end without moving its elements);
// a freed slot is reused with the next generation; one whose generations are
// used up is retired, so that no handle value is ever given out twice.
class HandleTable {
public:
    std::uintptr_t add(std::unique_ptr<Object> object, Tag tag) {
        const std::lock_guard<std::mutex> lock(m_mutex);
        std::uintptr_t index;
        if (!m_free.empty()) {
            index = m_free.back();
            m_free.pop_back();
        } else {
            if (m_slots.size() >= index_limit) throw std::bad_alloc();
            m_free.reserve(m_slots.size() + 1);  // so that remove() never needs memory
            m_slots.emplace_back();
            index = m_slots.size() - 1;
        }
        Slot& slot = m_slots[index];
        slot.object = std::move(object);
        slot.tag = tag;
        return encode(tag, slot.generation, index);
    }

    /// The live slot of `value` with tag `expected`, or null; the lock is held.
    Slot* live(std::uintptr_t value, Tag expected) {
        const Decoded d = decode(value);
        if (!d.marked || d.tag != expected || d.index >= m_slots.size()) return nullptr;
        Slot& slot = m_slots[d.index];
        if (!slot.object || slot.tag != d.tag || slot.generation != d.generation) return nullptr;
        return &slot;
    }

    Object& find(std::uintptr_t value, Tag expected, const char* argument) {
        {
            const std::lock_guard<std::mutex> lock(m_mutex);
            if (Slot* slot = live(value, expected)) return *slot->object;
        }
        throw Misuse(PDEF_ERROR_WRONG_HANDLE,
                     std::string("argument '") + argument + "' is not " + what_it_is(expected) + " (it is " +
                         describe(value) + ")");
    }

    std::unique_ptr<Object> remove(std::uintptr_t value, Tag expected) noexcept {
        const std::lock_guard<std::mutex> lock(m_mutex);
        Slot* slot = live(value, expected);
        if (!slot) return nullptr;
        std::unique_ptr<Object> object = std::move(slot->object);
        const std::uintptr_t index = decode(value).index;
        if (slot->generation < generation_mask) {
            ++slot->generation;
            m_free.push_back(index);  // capacity reserved in add()
        }
        return object;
    }

    bool locked_call(std::uintptr_t value, Tag expected, void (*body)(Object&)) noexcept {
        const std::lock_guard<std::mutex> lock(m_mutex);
        Slot* slot = live(value, expected);
        if (!slot) return false;
        body(*slot->object);
        return true;
    }

    /// What `value` is: "a pdef_table", "a destroyed pdef_layer", "not a placedef handle".
    std::string describe(std::uintptr_t value) {
        const Decoded d = decode(value);
        if (!d.marked || !known(d.tag)) return "not a placedef handle";
        const std::lock_guard<std::mutex> lock(m_mutex);
        if (d.index >= m_slots.size() || d.generation == 0) return "not a placedef handle";
        const Slot& slot = m_slots[d.index];
        if (slot.object && slot.tag == d.tag && slot.generation == d.generation) return what_it_is(d.tag);
        if (d.generation < slot.generation || (!slot.object && d.generation == slot.generation))
            return "a " + std::string(type_name(d.tag)) + " that was destroyed (a stale handle)";
        return "not a placedef handle";
    }

    /// At exit: objects still in the table are let go unfreed, so that memory
    /// checkers report a handle the caller never destroyed as a leak.
    ~HandleTable() {
        for (Slot& slot : m_slots) static_cast<void>(slot.object.release());
    }

private:
    std::mutex m_mutex;
    std::deque<Slot> m_slots;
    std::vector<std::uintptr_t> m_free;
};

// Set once the table is gone at exit (a plain flag outlives it): a call made
// later, from a static destructor of the caller, finds no handle.
std::atomic<bool> table_gone{false};

struct TableHolder {
    HandleTable table;
    ~TableHolder() { table_gone = true; }
};

HandleTable* table() {
    static TableHolder holder;
    return table_gone ? nullptr : &holder.table;
}

}  // namespace

namespace {
[[noreturn]] void table_is_gone() { throw Misuse(PDEF_ERROR_WRONG_HANDLE, "placedef is shutting down: no handle is live"); }
}  // namespace

std::uintptr_t table_add(std::unique_ptr<Object> object, Tag tag) {
    HandleTable* t = table();
    if (!t) table_is_gone();
    return t->add(std::move(object), tag);
}

Object& table_find(std::uintptr_t handle, Tag expected, const char* argument) {
    HandleTable* t = table();
    if (!t) table_is_gone();
    return t->find(handle, expected, argument);
}

std::unique_ptr<Object> table_remove(std::uintptr_t handle, Tag expected) noexcept {
    HandleTable* t = table();
    return t ? t->remove(handle, expected) : nullptr;
}

bool table_locked_call(std::uintptr_t handle, Tag expected, void (*body)(Object&)) noexcept {
    HandleTable* t = table();
    return t && t->locked_call(handle, expected, body);
}

}  // namespace placedef::detail::capi
