// A uniform grid over boxes, the spatial index of contiguity_graph(): every
// item is listed in each cell its box overlaps, and a query reports an item
// once, from the cell holding the lower-left corner of the overlap of the
// item's box and the query box (so no "seen" marks and no shared state
// between threads).
#pragma once

#include "placedef/shapes.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace placedef::detail {

class GridIndex {
public:
    /// Indexes items 0..count-1 whose boxes box_of(i) gives, in square cells
    /// of `cell_size` (enlarged when needed so that there are at most about
    /// twice as many cells as items).
    template <typename BoxOf>
    GridIndex(std::size_t count, BoxOf&& box_of, double cell_size) {
        for (std::size_t i = 0; i < count; ++i) m_extent.expand(box_of(i));
        if (m_extent.empty()) m_extent.expand(Coord{0, 0});
        const double width = m_extent.width(), height = m_extent.height();
        const double max_cells = 2.0 * static_cast<double>(count) + 16.0;
        m_cell = cell_size > 0 ? cell_size : 1.0;
        if ((width / m_cell + 1) * (height / m_cell + 1) > max_cells)
            m_cell = std::max({m_cell, std::sqrt(width * height / max_cells), (width + height) / max_cells});
        m_per_cell = 1.0 / m_cell;
        m_columns = static_cast<std::size_t>(width / m_cell) + 1;
        m_rows = static_cast<std::size_t>(height / m_cell) + 1;

        m_offsets.assign(m_columns * m_rows + 1, 0);
        for (std::size_t i = 0; i < count; ++i)
            for_cells(box_of(i), [&](std::size_t cell) { ++m_offsets[cell + 1]; });
        for (std::size_t c = 0; c + 1 < m_offsets.size(); ++c) m_offsets[c + 1] += m_offsets[c];
        m_items.resize(m_offsets.back());
        std::vector<std::size_t> fill(m_offsets.begin(), m_offsets.end() - 1);
        for (std::size_t i = 0; i < count; ++i)
            for_cells(box_of(i), [&](std::size_t cell) { m_items[fill[cell]++] = static_cast<std::uint32_t>(i); });
    }

    double cell_size() const { return m_cell; }
    const Box& extent() const { return m_extent; }

    /// Calls visit(i) once for each item whose box meets `query` (closed
    /// boxes), cell by cell in row-major order: the same order every time.
    template <typename BoxOf, typename Visit>
    void query(const Box& query, BoxOf&& box_of, Visit&& visit) const {
        if (!query.intersects(m_extent)) return;
        const std::size_t c0 = column(query.minx), c1 = column(query.maxx);
        const std::size_t r0 = row(query.miny), r1 = row(query.maxy);
        for (std::size_t r = r0; r <= r1; ++r)
            for (std::size_t c = c0; c <= c1; ++c) {
                const std::size_t cell = r * m_columns + c;
                for (std::size_t k = m_offsets[cell]; k < m_offsets[cell + 1]; ++k) {
                    const std::uint32_t item = m_items[k];
                    const Box box = box_of(item);
                    if (!query.intersects(box)) continue;
                    // Report from one cell only: the one holding the overlap's lower-left corner.
                    if (column(std::max(query.minx, box.minx)) != c || row(std::max(query.miny, box.miny)) != r) continue;
                    visit(item);
                }
            }
    }

private:
    std::size_t column(double x) const { return clamp_index((x - m_extent.minx) * m_per_cell, m_columns); }
    std::size_t row(double y) const { return clamp_index((y - m_extent.miny) * m_per_cell, m_rows); }
    static std::size_t clamp_index(double position, std::size_t size) {
        if (!(position > 0)) return 0;
        if (position >= static_cast<double>(size - 1)) return size - 1;
        return static_cast<std::size_t>(position);
    }
    template <typename Visit>
    void for_cells(const Box& box, Visit&& visit) const {
        if (box.empty()) return;
        for (std::size_t r = row(box.miny), r1 = row(box.maxy); r <= r1; ++r)
            for (std::size_t c = column(box.minx), c1 = column(box.maxx); c <= c1; ++c) visit(r * m_columns + c);
    }

    Box m_extent;
    double m_cell = 1.0, m_per_cell = 1.0;
    std::size_t m_columns = 1, m_rows = 1;
    std::vector<std::size_t> m_offsets;  ///< per cell, into m_items
    std::vector<std::uint32_t> m_items;
};

}  // namespace placedef::detail
