// The layout of well-known binary, walked without reading coordinates: how
// many bytes a geometry takes and where EWKB heads carry an SRID. Both WKB
// readers (GEOS's in the geometry module, GDAL's for layers given as WKB)
// need it to refuse trailing bytes and to check or drop the SRID.
#include "placedef/io.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace placedef {
inline namespace io {

namespace {

/// Walks WKB (ISO or extended, either byte order, nested collections) to
/// learn how many bytes the geometry takes and where EWKB heads carry an
/// SRID; GEOS and GDAL parse it but tell neither. `ok` is false for bytes it
/// cannot walk.
class WkbWalker {
public:
    WkbWalker(const unsigned char* data, std::size_t size) : m_data(data), m_size(size) {}

    bool ok = true;
    std::optional<std::uint32_t> srid;
    std::vector<std::size_t> srid_heads;

    /// The end offset of the geometry starting at `at`.
    std::size_t geometry(std::size_t at, int depth = 0) {
        if (depth > 64 || !has(at, 5)) return fail();
        const bool little = m_data[at] == 1;
        if (m_data[at] > 1) return fail();
        const std::uint32_t raw = u32(at + 1, little);
        std::size_t pos = at + 5;
        std::uint32_t dims = 2 + ((raw & 0x80000000u) ? 1 : 0) + ((raw & 0x40000000u) ? 1 : 0);  // EWKB Z, M
        if (raw & 0x20000000u) {  // EWKB SRID
            if (!has(pos, 4)) return fail();
            if (depth == 0) srid = u32(pos, little);
            srid_heads.push_back(at);
            pos += 4;
        }
        std::uint32_t type = raw & 0x0fffffffu;
        dims += type / 1000 == 3 ? 2 : (type / 1000 == 1 || type / 1000 == 2) ? 1 : 0;  // ISO Z, M, ZM
        type %= 1000;
        const std::size_t point_bytes = 8 * std::size_t{dims};
        switch (type) {
            case 1: return skip(pos, point_bytes);
            case 2:
            case 8: return points(pos, little, point_bytes);  // LineString, CircularString
            case 3:
            case 17: {  // Polygon, Triangle
                if (!has(pos, 4)) return fail();
                const std::uint32_t rings = u32(pos, little);
                pos += 4;
                for (std::uint32_t r = 0; r < rings && ok; ++r) pos = points(pos, little, point_bytes);
                return pos;
            }
            case 4: case 5: case 6: case 7: case 9: case 10: case 11: case 12: case 15: case 16: {  // collections
                if (!has(pos, 4)) return fail();
                const std::uint32_t parts = u32(pos, little);
                pos += 4;
                for (std::uint32_t p = 0; p < parts && ok; ++p) pos = geometry(pos, depth + 1);
                return pos;
            }
            default: return fail();
        }
    }

private:
    bool has(std::size_t at, std::size_t bytes) const { return at <= m_size && bytes <= m_size - at; }
    std::size_t fail() {
        ok = false;
        return m_size;
    }
    std::uint32_t u32(std::size_t at, bool little) const {
        const unsigned char* b = m_data + at;
        return little ? std::uint32_t{b[0]} | std::uint32_t{b[1]} << 8 | std::uint32_t{b[2]} << 16 | std::uint32_t{b[3]} << 24
                      : std::uint32_t{b[3]} | std::uint32_t{b[2]} << 8 | std::uint32_t{b[1]} << 16 | std::uint32_t{b[0]} << 24;
    }
    std::size_t skip(std::size_t at, std::size_t bytes) { return has(at, bytes) ? at + bytes : fail(); }
    std::size_t points(std::size_t at, bool little, std::size_t point_bytes) {
        if (!has(at, 4)) return fail();
        const std::uint32_t n = u32(at, little);
        if (n > (m_size - at - 4) / point_bytes) return fail();
        return at + 4 + std::size_t{n} * point_bytes;
    }

    const unsigned char* m_data;
    std::size_t m_size;
};

}  // namespace

WkbLayout wkb_layout(const unsigned char* data, std::size_t size) {
    WkbLayout layout;
    if (!data) return layout;
    WkbWalker walker(data, size);
    layout.end = walker.geometry(0);
    layout.ok = walker.ok;
    layout.srid = walker.srid;
    layout.srid_heads = std::move(walker.srid_heads);
    return layout;
}

std::optional<std::string> trailing_bytes(const WkbLayout& layout, std::size_t size) {
    if (!layout.ok || layout.end >= size) return std::nullopt;
    return "WKB of " + std::to_string(size) + " bytes has " + std::to_string(size - layout.end) +
           " trailing bytes after the geometry, from byte offset " + std::to_string(layout.end);
}

std::vector<unsigned char> without_srid(const unsigned char* data, std::size_t size, const WkbLayout& layout) {
    std::vector<unsigned char> out;
    out.reserve(size);
    std::size_t from = 0;
    for (std::size_t head : layout.srid_heads) {
        // The head: byte order, then the type word whose 0x20000000 flag says an SRID follows.
        out.insert(out.end(), data + from, data + head + 5);
        const bool little = data[head] == 1;
        out[out.size() - (little ? 1 : 4)] &= static_cast<unsigned char>(~0x20u);
        from = head + 9;  // past the four bytes of the SRID
    }
    out.insert(out.end(), data + from, data + size);
    return out;
}

}  // namespace io
}  // namespace placedef
