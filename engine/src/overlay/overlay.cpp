#include "placedef/overlay.hpp"

#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "placedef/stopwatch.hpp"

#include "core/parallel.hpp"
#include "overlay/detail/area_kernel.hpp"
#include "overlay/detail/prepared_layer.hpp"
#include "core/location.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <numeric>

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>

namespace placedef {
inline namespace overlays {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

}  // namespace overlays

namespace detail {

namespace {
using RPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using RBox = bg::model::box<RPoint>;
using RValue = std::pair<RBox, std::uint32_t>;
RBox to_rbox(const Box& box) { return RBox(RPoint(box.minx, box.miny), RPoint(box.maxx, box.maxy)); }
}  // namespace

struct PreparedLayer::Index {
    bgi::rtree<RValue, bgi::rstar<16>> tree;
};

PreparedLayer::PreparedLayer(const Layer& layer, unsigned threads) : m_layer(&layer), m_index(std::make_unique<Index>()) {
    if (layer.kind != LayerKind::polygon)
        throw invalid_input("layer " + layer.label() + " holds points; an overlay needs polygons");
    m_shapes.resize(layer.size());
    parallel_for(layer.size(), threads, 32, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) m_shapes[i] = PreparedShape(layer.features[i].shape);
    });
    std::vector<RValue> values;
    values.reserve(layer.size());
    for (std::size_t i = 0; i < layer.size(); ++i)
        if (!m_shapes[i].box().empty()) values.emplace_back(to_rbox(m_shapes[i].box()), static_cast<std::uint32_t>(i));
    m_index->tree = bgi::rtree<RValue, bgi::rstar<16>>(values.begin(), values.end());  // packed bulk load
}

PreparedLayer::~PreparedLayer() = default;
PreparedLayer::PreparedLayer(PreparedLayer&&) noexcept = default;

void PreparedLayer::query(const Box& box, std::vector<std::uint32_t>& out) const {
    out.clear();
    if (box.empty()) return;
    for (auto it = m_index->tree.qbegin(bgi::intersects(to_rbox(box))); it != m_index->tree.qend(); ++it)
        out.push_back(it->second);
    std::sort(out.begin(), out.end());  // the tree's visiting order is not part of its contract
}

std::vector<double> apportion_population(const PreparedLayer& target, const PreparedLayer& population_units,
                                         const std::vector<double>& population, unsigned threads) {
    std::vector<double> result(target.size(), 0.0);
    parallel_for(target.size(), threads, 16, [&](std::size_t begin, std::size_t end) {
        AreaKernel kernel;
        std::vector<std::uint32_t> hits;
        for (std::size_t i = begin; i < end; ++i)
            result[i] = population_in(target.shape(i), population_units, population, kernel, hits);
    });
    return result;
}

double population_in(const PreparedShape& shape, const PreparedLayer& population_units,
                     const std::vector<double>& population, AreaKernel& kernel, std::vector<std::uint32_t>& hits) {
    population_units.query(shape.box(), hits);
    double total = 0.0;
    for (std::uint32_t u : hits) {
        const PreparedShape& unit = population_units.shape(u);
        if (unit.area() <= 0 || population[u] == 0) continue;
        total += population[u] * kernel.intersection_area(shape, unit).area / unit.area();
    }
    return total;
}

}  // namespace detail

inline namespace overlays {

std::string population_fault(double value) {
    if (std::isnan(value)) return "is not a number";
    if (std::isinf(value)) return "is infinite";
    if (value < 0) return format_number(value) + " is negative";
    if (value > max_population)
        return format_number(value) + " is above the limit of " + format_number(max_population) + " people per unit";
    return {};
}

void check_population_values(const PopulationSource& population, const std::string& from) {
    const Layer* units = population.layer;
    if (!units) throw invalid_input("population source has no layer");
    if (population.population.size() != units->size())
        throw invalid_input("population source: " + std::to_string(population.population.size()) + " values for " +
                            std::to_string(units->size()) + " units of " + units->label());
    const std::string file = from.empty() ? units->source : from;
    double total = 0;
    for (std::size_t i = 0; i < units->size(); ++i) {
        const std::string fault = population_fault(population.population[i]);
        const Feature& unit = units->features[i];
        if (!fault.empty())
            throw invalid_input("the population " + fault,
                                detail::at_code(detail::at_fid(detail::in_file(file, units->name), unit.fid), unit.code));
        total += population.population[i];
    }
    // Each value is at most max_population, so this sum is finite.
    if (total > max_population)
        throw invalid_input("the population totals " + format_number(total) + ", above the limit of " +
                                format_number(max_population) + " people",
                            detail::in_file(file, units->name));
}

namespace {

using detail::AreaKernel;
using detail::PreparedLayer;

void check_inputs(const Layer& a, const Layer& b, const OverlayOptions& options) {
    if (a.crs != b.crs)
        throw invalid_input("layers " + a.label() + " (" + a.crs + ") and " + b.label() + " (" + b.crs +
                            ") are in different CRS; layers are reprojected at load and never overlaid across CRS");
    if (options.snap_tolerance != 0.0)
        throw invalid_input("snap tolerance must be 0: the overlay is exact, and tolerance is applied by scoring");
    if (!(options.min_share >= 0.0 && options.min_share <= 1.0))
        throw invalid_input("min share must lie between 0 and 1");
    if (const PopulationSource* pop = options.population) {
        if (!pop->layer) throw invalid_input("population source has no layer");
        if (pop->layer->crs != a.crs)
            throw invalid_input("population layer " + pop->layer->label() + " is in " + pop->layer->crs +
                                ", not in the study CRS " + a.crs);
        check_population_values(*pop);
    }
}

/// Rank of each feature when the layer is sorted by code, for the row order.
std::vector<std::uint32_t> code_ranks(const Layer& layer) {
    std::vector<std::uint32_t> order(layer.size());
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](std::uint32_t l, std::uint32_t r) {
        const std::string& cl = layer.features[l].code;
        const std::string& cr = layer.features[r].code;
        return cl < cr || (cl == cr && l < r);
    });
    std::vector<std::uint32_t> rank(layer.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) rank[order[i]] = i;
    return rank;
}

struct Pair {
    std::uint32_t a;
    std::uint32_t b;
    double area;
    bool row;  ///< the interiors meet
    bool a_within_b;
    bool b_within_a;
};

/// Candidate pairs in (a, b) order: b sorted within each a.
std::vector<Pair> candidate_pairs(const PreparedLayer& a, const PreparedLayer& b, unsigned threads) {
    std::vector<std::vector<std::uint32_t>> per_a(a.size());
    detail::parallel_for(a.size(), threads, 256, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) b.query(a.shape(i).box(), per_a[i]);
    });
    std::size_t total = 0;
    for (const auto& hits : per_a) total += hits.size();
    std::vector<Pair> pairs;
    pairs.reserve(total);
    for (std::uint32_t i = 0; i < per_a.size(); ++i)
        for (std::uint32_t j : per_a[i]) pairs.push_back({i, j, 0.0, false, false, false});
    return pairs;
}

/// Calls the progress callback from one thread at a time, at most ~200 times a run.
class ProgressGate {
public:
    ProgressGate(const ProgressCallback& callback, std::size_t total) : m_callback(callback), m_total(total) {}
    void advance(std::size_t n) {
        if (!m_callback) return;
        std::lock_guard<std::mutex> lock(m_mutex);
        m_done += n;
        if (m_done == m_total || m_done >= m_next) {
            m_callback(m_done, m_total);
            m_next = m_done + std::max<std::size_t>(1, m_total / 200);
        }
    }

private:
    const ProgressCallback& m_callback;
    std::size_t m_total;
    std::size_t m_done = 0;
    std::size_t m_next = 0;
    std::mutex m_mutex;
};

}  // namespace

IntersectionTable overlay(const Layer& a, const Layer& b, const OverlayOptions& options) {
    Stopwatch clock;
    check_inputs(a, b, options);
    const PreparedLayer prepared_a(a, options.threads);
    const PreparedLayer prepared_b(b, options.threads);
    const double prepare_seconds = clock.lap();

    std::vector<Pair> pairs = candidate_pairs(prepared_a, prepared_b, options.threads);
    std::vector<char> boundaries_met(pairs.size(), 0);
    ProgressGate progress(options.progress, pairs.size());
    detail::parallel_for(pairs.size(), options.threads, 512, [&](std::size_t begin, std::size_t end) {
        AreaKernel kernel;
        for (std::size_t i = begin; i < end; ++i) {
            const detail::AreaResult result =
                kernel.intersection_area(prepared_a.shape(pairs[i].a), prepared_b.shape(pairs[i].b));
            pairs[i].area = result.area;
            pairs[i].row = result.interiors_meet;
            pairs[i].a_within_b = result.a_within_b;
            pairs[i].b_within_a = result.b_within_a;
            boundaries_met[i] = result.boundaries_meet;
        }
        progress.advance(end - begin);
    });

    IntersectionTable table;
    table.a_layer = a.name;
    table.b_layer = b.name;
    table.stats.prepare_seconds = prepare_seconds;
    table.stats.areas_seconds = clock.lap();
    table.stats.candidate_pairs = pairs.size();
    table.stats.covered_pairs = static_cast<std::size_t>(std::count(boundaries_met.begin(), boundaries_met.end(), 0));
    for (const Feature& feature : a.features) {
        table.a_codes.push_back(feature.code);
        table.a_names.push_back(feature.name);
    }
    for (const Feature& feature : b.features) {
        table.b_codes.push_back(feature.code);
        table.b_names.push_back(feature.name);
    }
    table.a_area.resize(a.size());
    table.b_area.resize(b.size());
    for (std::size_t i = 0; i < a.size(); ++i) table.a_area[i] = prepared_a.shape(i).area();
    for (std::size_t j = 0; j < b.size(); ++j) table.b_area[j] = prepared_b.shape(j).area();

    // Order pairs by code before making rows: sorting 16-byte pairs is far
    // cheaper than sorting rows that carry strings and geometry.
    // A row exists when the interiors meet, decided exactly: a sliver whose
    // area rounds to nothing keeps its row (with the least positive area).
    pairs.erase(std::remove_if(pairs.begin(), pairs.end(), [](const Pair& p) { return !p.row; }), pairs.end());
    const std::vector<std::uint32_t> rank_a = code_ranks(a), rank_b = code_ranks(b);
    std::sort(pairs.begin(), pairs.end(), [&](const Pair& l, const Pair& r) {
        return rank_a[l.a] < rank_a[r.a] || (rank_a[l.a] == rank_a[r.a] && rank_b[l.b] < rank_b[r.b]);
    });
    table.rows.reserve(pairs.size());
    for (const Pair& pair : pairs) {
        IntersectionRow row;
        row.a_index = pair.a;
        row.b_index = pair.b;
        row.area_m2 = pair.area;
        // A unit within the other has share 1 exactly (its area is the
        // row's). Otherwise the area is at most either unit's, so the
        // quotient, correctly rounded, is at most 1.
        row.share_of_a = pair.a_within_b ? 1.0 : table.a_area[pair.a] > 0 ? pair.area / table.a_area[pair.a] : 0.0;
        row.share_of_b = pair.b_within_a ? 1.0 : table.b_area[pair.b] > 0 ? pair.area / table.b_area[pair.b] : 0.0;
        if (row.share_of_a < options.min_share && row.share_of_b < options.min_share) {
            ++table.stats.dropped_below_min_share;
            continue;
        }
        row.a_code = a.features[pair.a].code;
        row.b_code = b.features[pair.b].code;
        table.rows.push_back(std::move(row));
    }
    pairs = {};

    const bool need_pieces = options.with_geometry || options.population;
    if (need_pieces) {
        detail::parallel_for(table.rows.size(), options.threads, 16, [&](std::size_t begin, std::size_t end) {
            for (std::size_t i = begin; i < end; ++i) {
                IntersectionRow& row = table.rows[i];
                // A piece that is the whole of a (or b) needs no overlay.
                if (row.share_of_a == 1.0) row.piece = a.features[row.a_index].shape;
                else if (row.share_of_b == 1.0) row.piece = b.features[row.b_index].shape;
                else row.piece = intersection(a.features[row.a_index].shape, b.features[row.b_index].shape);
            }
        });
    }
    if (const PopulationSource* pop = options.population) {
        table.has_population = true;
        const PreparedLayer units(*pop->layer, options.threads);
        table.a_pop = detail::apportion_population(prepared_a, units, pop->population, options.threads);
        table.b_pop = detail::apportion_population(prepared_b, units, pop->population, options.threads);
        detail::parallel_for(table.rows.size(), options.threads, 16, [&](std::size_t begin, std::size_t end) {
            AreaKernel kernel;
            std::vector<std::uint32_t> hits;
            for (std::size_t i = begin; i < end; ++i) {
                IntersectionRow& row = table.rows[i];
                row.pop = detail::population_in(detail::PreparedShape(row.piece), units, pop->population, kernel, hits);
                const double pop_a = table.a_pop[row.a_index], pop_b = table.b_pop[row.b_index];
                // The piece's people and the unit's are apportioned from
                // different polygons (GEOS's piece, the unit), so a piece that
                // is nearly the whole unit can round above it: clamped to 1.
                // A piece that is the whole unit gets share 1 exactly.
                row.pop_share_of_a = pop_a > 0 ? std::min(1.0, row.pop / pop_a) : 0.0;
                row.pop_share_of_b = pop_b > 0 ? std::min(1.0, row.pop / pop_b) : 0.0;
            }
        });
        if (!options.with_geometry)
            for (IntersectionRow& row : table.rows) row.piece = MultiPolygon{};
    }
    table.stats.pieces_seconds = clock.lap();
    table.stats.rows = table.rows.size();
    table.stats.seconds = clock.elapsed();
    return table;
}

std::vector<double> apportion_population(const Layer& target, const PopulationSource& population, unsigned threads) {
    check_population_values(population);
    if (population.layer->crs != target.crs)
        throw invalid_input("population layer " + population.layer->label() + " is not in the CRS of " + target.label());
    const PreparedLayer prepared(target, threads);
    const PreparedLayer units(*population.layer, threads);
    return detail::apportion_population(prepared, units, population.population, threads);
}

std::vector<UnitOverlap> overlapping_units(const Layer& layer, double min_share, unsigned threads) {
    const PreparedLayer prepared(layer, threads);
    std::vector<std::vector<UnitOverlap>> found(layer.size());  // per first unit: the same whatever the threads
    detail::parallel_for(layer.size(), threads, 32, [&](std::size_t begin, std::size_t end) {
        AreaKernel kernel;
        std::vector<std::uint32_t> hits;
        for (std::size_t i = begin; i < end; ++i) {
            const detail::PreparedShape& a = prepared.shape(i);
            prepared.query(a.box(), hits);
            for (const std::uint32_t j : hits) {
                if (j <= i) continue;
                const detail::PreparedShape& b = prepared.shape(j);
                const double smaller = std::min(a.area(), b.area());
                const double overlap = kernel.intersection_area(a, b).area;
                if (smaller > 0 && overlap > min_share * smaller)
                    found[i].push_back(UnitOverlap{i, j, overlap, overlap / smaller});
            }
        }
    });
    std::vector<UnitOverlap> pairs;
    for (const std::vector<UnitOverlap>& of_unit : found) pairs.insert(pairs.end(), of_unit.begin(), of_unit.end());
    return pairs;
}

double intersection_area(const MultiPolygon& a, const MultiPolygon& b) {
    detail::AreaKernel kernel;
    return kernel.intersection_area(detail::PreparedShape(a), detail::PreparedShape(b)).area;
}

}  // namespace overlays
}  // namespace placedef
