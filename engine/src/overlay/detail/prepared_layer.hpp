// A polygon layer prepared once for many overlays: each unit's prepared shape
// and an R-tree of their boxes. Issue-4 scoring (the matrix) reuses one per layer.
#pragma once

#include "overlay/detail/area_kernel.hpp"
#include "placedef/layer.hpp"

#include <cstdint>
#include <memory>
#include <vector>

namespace placedef::detail {

class PreparedLayer {
public:
    PreparedLayer(const Layer& layer, unsigned threads);
    ~PreparedLayer();
    PreparedLayer(PreparedLayer&&) noexcept;

    const Layer& layer() const { return *m_layer; }
    std::size_t size() const { return m_shapes.size(); }
    const PreparedShape& shape(std::size_t i) const { return m_shapes[i]; }
    /// Units whose boxes meet `box`, ascending.
    void query(const Box& box, std::vector<std::uint32_t>& out) const;

private:
    struct Index;
    const Layer* m_layer;
    std::vector<PreparedShape> m_shapes;
    std::unique_ptr<Index> m_index;
};

/// Population of a shape by areal weighting of the population units.
double population_in(const PreparedShape& shape, const PreparedLayer& population_units,
                     const std::vector<double>& population, AreaKernel& kernel, std::vector<std::uint32_t>& hits);

/// population_in for every unit of `target`.
std::vector<double> apportion_population(const PreparedLayer& target, const PreparedLayer& population_units,
                                         const std::vector<double>& population, unsigned threads);

}  // namespace placedef::detail
