// Colours: parsing, categorical colouring of a layer's adjacency graph, and
// quantile classes for choropleths.
#include "placedef/error.hpp"
#include "placedef/render.hpp"

#include "core/text.hpp"
#include "render/detail/canvas.hpp"
#include "render/detail/classes.hpp"
#include "render/detail/palette.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <numeric>

namespace placedef {
inline namespace render {

}  // namespace render

namespace detail {

Colour parse_colour(const std::string& text, const std::string& what) {
    auto hex_digit = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    const bool long_form = text.size() == 7, short_form = text.size() == 4;
    bool ok = !text.empty() && text[0] == '#' && (long_form || short_form);
    for (std::size_t i = 1; ok && i < text.size(); ++i) ok = hex_digit(text[i]) >= 0;
    if (!ok) throw invalid_input(what + ": colour '" + text + "' is not #rrggbb");
    auto channel = [&](std::size_t index) {
        const int value = long_form ? hex_digit(text[1 + 2 * index]) * 16 + hex_digit(text[2 + 2 * index])
                                    : hex_digit(text[1 + index]) * 17;
        return value / 255.0;
    };
    return {channel(0), channel(1), channel(2), 1.0};
}

std::string to_hex(const Colour& colour) {
    auto byte = [](double value) { return static_cast<unsigned>(std::lround(std::clamp(value, 0.0, 1.0) * 255)); };
    char text[8];
    std::snprintf(text, sizeof text, "#%02x%02x%02x", byte(colour.r), byte(colour.g), byte(colour.b));
    return text;
}

namespace {

std::string with_decimals(double value, int decimals) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    std::string out = text;
    if (out.front() == '-' && out.find_first_not_of("-0.") == std::string::npos) out.erase(0, 1);  // "-0.00"
    // Thousands separators in the whole part.
    const std::size_t sign = out.front() == '-' ? 1 : 0;
    std::size_t point = out.find('.');
    if (point == std::string::npos) point = out.size();
    for (std::size_t at = point; at > sign + 3; at -= 3) out.insert(at - 3, ",");
    return out;
}

}  // namespace

std::vector<std::string> class_labels(const ChoroplethClasses& classes) {
    std::vector<std::string> labels;
    if (classes.whole_numbers) {
        // Whole numbers: each class from the number after the previous bound ("6 – 7"), or just "8".
        for (std::size_t i = 0; i < classes.upper.size(); ++i) {
            const double lower = i == 0 ? classes.min : classes.upper[i - 1] + 1;
            labels.push_back(lower == classes.upper[i]
                                 ? with_decimals(lower, 0)
                                 : with_decimals(lower, 0) + " \u2013 " + with_decimals(classes.upper[i], 0));
        }
        return labels;
    }
    std::vector<double> bounds = {classes.min};
    bounds.insert(bounds.end(), classes.upper.begin(), classes.upper.end());
    const double step = (bounds.back() - bounds.front()) / static_cast<double>(classes.upper.size());
    int decimals = step > 0 ? std::clamp(static_cast<int>(std::ceil(-std::log10(step))) + 1, 0, 6) : 3;
    auto distinct = [&] {
        for (std::size_t i = 1; i < bounds.size(); ++i)
            if (with_decimals(bounds[i], decimals) == with_decimals(bounds[i - 1], decimals)) return false;
        return true;
    };
    while (decimals < 10 && !distinct()) ++decimals;
    for (std::size_t i = 1; i < bounds.size(); ++i)
        labels.push_back(with_decimals(bounds[i - 1], decimals) + " \u2013 " + with_decimals(bounds[i], decimals));
    return labels;
}

}  // namespace detail

inline namespace render {

namespace {

/// Colour number `index`: the palette, then ever darker shades of it for the
/// rare unit whose neighbours already hold every palette colour.
std::string palette_colour(std::size_t index) {
    const std::size_t size = detail::categorical_palette.size();
    if (index < size) return detail::categorical_palette[index];
    detail::Colour colour = detail::parse_colour(detail::categorical_palette[index % size], "palette");
    const double shade = std::pow(0.75, static_cast<double>(index / size));
    colour.r *= shade;
    colour.g *= shade;
    colour.b *= shade;
    return detail::to_hex(colour);
}

}  // namespace

namespace {

/// Which units touch, queen: units meeting at a corner look alike there, so they too must differ.
ContiguityGraph touching_units(const Layer& layer) {
    if (layer.kind != LayerKind::polygon)
        throw invalid_input(layer.label() + ": categorical colours need a polygon layer");
    ContiguityOptions touching;
    touching.adjacency = Adjacency::queen;
    return contiguity_graph(layer, touching);
}

/// A palette colour per unit, neighbours apart: greedy, largest degree
/// first, each unit taking the least used colour its neighbours leave free.
std::vector<std::string> greedy_colours(const std::vector<std::vector<std::size_t>>& neighbours) {
    const std::size_t n = neighbours.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return neighbours[a].size() > neighbours[b].size(); });
    const std::size_t palette_size = detail::categorical_palette.size();
    constexpr std::size_t unset = static_cast<std::size_t>(-1);
    std::vector<std::size_t> colour(n, unset);
    std::vector<std::size_t> uses(palette_size, 0);
    std::vector<bool> taken;
    for (const std::size_t unit : order) {
        taken.assign(uses.size() + 1, false);
        for (const std::size_t neighbour : neighbours[unit])
            if (colour[neighbour] != unset) taken[colour[neighbour]] = true;
        // The least used free palette colour keeps the map varied; past the
        // palette, the first free shade.
        std::size_t chosen = unset;
        for (std::size_t c = 0; c < palette_size; ++c)
            if (!taken[c] && (chosen == unset || uses[c] < uses[chosen])) chosen = c;
        if (chosen == unset) {
            chosen = palette_size;
            while (taken[chosen]) ++chosen;
            if (chosen >= uses.size()) uses.resize(chosen + 1, 0);
        }
        colour[unit] = chosen;
        ++uses[chosen];
    }
    std::vector<std::string> out;
    out.reserve(n);
    for (const std::size_t c : colour) out.push_back(palette_colour(c));
    return out;
}

}  // namespace

std::vector<std::string> categorical_colours(const Layer& layer) {
    if (layer.kind == LayerKind::polygon && layer.features.empty()) return {};
    const ContiguityGraph graph = touching_units(layer);
    std::vector<std::vector<std::size_t>> neighbours(graph.size());
    for (std::size_t unit = 0; unit < graph.size(); ++unit)
        neighbours[unit].assign(graph.begin(unit), graph.end(unit));
    return greedy_colours(neighbours);
}

std::vector<std::vector<std::string>> shared_categorical_colours(const std::vector<const Layer*>& layers) {
    // A node per name (in the order names first appear), linked when units of those names touch in any layer.
    std::map<std::string, std::size_t> node_of_name;
    std::vector<std::vector<std::size_t>> node_of_unit;
    for (const Layer* layer : layers) {
        std::vector<std::size_t>& nodes = node_of_unit.emplace_back();
        for (const Feature& feature : layer->features)
            nodes.push_back(node_of_name.emplace(feature.name.empty() ? feature.code : feature.name, node_of_name.size())
                                .first->second);
    }
    std::vector<std::vector<std::size_t>> neighbours(node_of_name.size());
    for (std::size_t l = 0; l < layers.size(); ++l) {
        if (layers[l]->kind == LayerKind::polygon && layers[l]->features.empty()) continue;
        const ContiguityGraph graph = touching_units(*layers[l]);
        const std::vector<std::size_t>& nodes = node_of_unit[l];
        for (std::size_t unit = 0; unit < graph.size(); ++unit)
            for (const std::uint32_t* other = graph.begin(unit); other != graph.end(unit); ++other) {
                const std::size_t a = nodes[unit], b = nodes[*other];
                if (a != b && std::find(neighbours[a].begin(), neighbours[a].end(), b) == neighbours[a].end()) {
                    neighbours[a].push_back(b);
                    neighbours[b].push_back(a);
                }
            }
    }
    const std::vector<std::string> colour_of_node = greedy_colours(neighbours);
    std::vector<std::vector<std::string>> colours;
    for (const std::vector<std::size_t>& nodes : node_of_unit) {
        std::vector<std::string>& of_layer = colours.emplace_back();
        for (const std::size_t node : nodes) of_layer.push_back(colour_of_node[node]);
    }
    return colours;
}

std::size_t ChoroplethClasses::class_of(double value) const {
    if (!std::isfinite(value)) return upper.size();
    const auto at = std::lower_bound(upper.begin(), upper.end(), value);
    // Values above the last bound (none, for the values classified) join the last class.
    return at == upper.end() ? upper.size() - 1 : static_cast<std::size_t>(at - upper.begin());
}

namespace {

/// `k` colours of the sequential ramp, light to dark: spread over its inner
/// steps (the near-white first step only when all nine are needed), and
/// interpolated between its steps for more than nine.
std::vector<std::string> ramp_colours(std::size_t k) {
    const std::size_t ramp = detail::sequential_ramp.size();
    std::vector<std::string> colours;
    if (k <= ramp) {
        for (std::size_t i = 0; i < k; ++i) {
            std::size_t index = ramp / 2;
            if (k == ramp) index = i;
            else if (k > 1) index = 1 + static_cast<std::size_t>(std::lround(static_cast<double>(i * (ramp - 2)) / static_cast<double>(k - 1)));
            colours.emplace_back(detail::sequential_ramp[index]);
        }
        return colours;
    }
    for (std::size_t i = 0; i < k; ++i) {
        const double at = static_cast<double>(i) * static_cast<double>(ramp - 1) / static_cast<double>(k - 1);
        const std::size_t below = std::min(static_cast<std::size_t>(at), ramp - 2);
        const double t = at - static_cast<double>(below);
        const detail::Colour a = detail::parse_colour(detail::sequential_ramp[below], "ramp");
        const detail::Colour b = detail::parse_colour(detail::sequential_ramp[below + 1], "ramp");
        char hex[8];
        std::snprintf(hex, sizeof hex, "#%02X%02X%02X", static_cast<int>(std::lround((a.r + t * (b.r - a.r)) * 255)),
                      static_cast<int>(std::lround((a.g + t * (b.g - a.g)) * 255)),
                      static_cast<int>(std::lround((a.b + t * (b.b - a.b)) * 255)));
        colours.emplace_back(hex);
    }
    return colours;
}

/// Upper bounds of Jenks natural breaks over sorted values, by dynamic
/// programming on the least within-class sum of squared deviations. Over
/// 2,000 values it runs on 2,000 evenly spaced order statistics, which keeps
/// it fast and deterministic.
std::vector<double> natural_bounds(const std::vector<double>& sorted, std::size_t k) {
    std::vector<double> x;
    const std::size_t limit = 2000;
    if (sorted.size() <= limit) {
        x = sorted;
    } else {
        for (std::size_t i = 0; i < limit; ++i) x.push_back(sorted[i * (sorted.size() - 1) / (limit - 1)]);
    }
    const std::size_t n = x.size();
    k = std::min(k, n);
    // Prefix sums about the mean keep the squared sums from losing precision.
    const double mean = std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(n);
    std::vector<double> sum(n + 1, 0.0), squares(n + 1, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        sum[i + 1] = sum[i] + (x[i] - mean);
        squares[i + 1] = squares[i] + (x[i] - mean) * (x[i] - mean);
    }
    auto cost = [&](std::size_t from, std::size_t to) {  // values [from, to)
        const double s = sum[to] - sum[from], count = static_cast<double>(to - from);
        return std::max(0.0, squares[to] - squares[from] - s * s / count);
    };
    const double infinite = std::numeric_limits<double>::infinity();
    std::vector<std::vector<double>> best(k + 1, std::vector<double>(n + 1, infinite));
    std::vector<std::vector<std::size_t>> start(k + 1, std::vector<std::size_t>(n + 1, 0));
    best[0][0] = 0;
    for (std::size_t c = 1; c <= k; ++c)
        for (std::size_t end = c; end <= n; ++end)
            for (std::size_t from = c - 1; from < end; ++from) {
                if (best[c - 1][from] == infinite) continue;
                const double total = best[c - 1][from] + cost(from, end);
                if (total < best[c][end]) {
                    best[c][end] = total;
                    start[c][end] = from;
                }
            }
    std::vector<double> upper(k);
    for (std::size_t c = k, end = n; c > 0; --c) {
        upper[c - 1] = x[end - 1];
        end = start[c][end];
    }
    upper.back() = sorted.back();
    return upper;
}

}  // namespace

ClassBreaks class_breaks_from_string(const std::string& text) {
    if (text == "quantile") return ClassBreaks::quantile;
    if (text == "equal") return ClassBreaks::equal;
    if (text == "natural") return ClassBreaks::natural;
    if (text == "fixed") return ClassBreaks::fixed;
    throw invalid_input("class breaks must be quantile, equal, natural or fixed, not '" + text + "'");
}

const char* to_string(ClassBreaks breaks) {
    switch (breaks) {
        case ClassBreaks::quantile: return "quantile";
        case ClassBreaks::equal: return "equal";
        case ClassBreaks::natural: return "natural";
        case ClassBreaks::fixed: return "fixed";
    }
    return "quantile";
}

DarkEnd dark_end_from_string(const std::string& text) {
    if (text == "auto") return DarkEnd::automatic;
    if (text == "high") return DarkEnd::high;
    if (text == "low") return DarkEnd::low;
    throw invalid_input("the dark end must be auto, high or low, not '" + text + "'");
}

DarkEnd measure_dark_end(const std::string& column) {
    return detail::icontains(column, "rank") || detail::icontains(column, "decile") ? DarkEnd::low : DarkEnd::high;
}

bool is_decile_measure(const std::string& column) { return detail::icontains(column, "decile"); }

ClassingOptions ClassingOptions::for_measure(const std::string& column) {
    ClassingOptions options;
    options.dark = measure_dark_end(column);
    if (is_decile_measure(column)) {
        options.breaks = ClassBreaks::fixed;
        options.bounds = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    }
    return options;
}

ChoroplethClasses choropleth_classes(const std::vector<double>& values, std::size_t classes) {
    ClassingOptions options;
    options.classes = classes;
    return choropleth_classes(values, options);
}

ChoroplethClasses choropleth_classes(const std::vector<double>& values, const ClassingOptions& options) {
    std::vector<double> sorted;
    for (const double value : values)
        if (std::isfinite(value)) sorted.push_back(value);
    if (sorted.empty()) throw invalid_input("a choropleth needs at least one value that is a finite number");
    std::size_t classes = options.classes;
    if (classes > max_classes)
        throw invalid_input("a choropleth has at most " + std::to_string(max_classes) + " classes; " +
                            std::to_string(classes) + " were asked for");
    std::sort(sorted.begin(), sorted.end());
    const std::size_t n = sorted.size();
    if (classes == 0) {
        const auto sturges = static_cast<std::size_t>(std::ceil(std::log2(static_cast<double>(n)))) + 1;
        classes = std::clamp<std::size_t>(sturges, 5, 7);
    }
    ChoroplethClasses out;
    out.min = sorted.front();
    out.whole_numbers = std::all_of(sorted.begin(), sorted.end(), [](double v) { return v == std::floor(v); });
    auto add_bound = [&](double bound) {
        if (out.upper.empty() || bound > out.upper.back()) out.upper.push_back(bound);
    };
    switch (options.breaks) {
        case ClassBreaks::quantile:
            for (std::size_t i = 0; i < classes; ++i)
                add_bound(sorted[((i + 1) * n + classes - 1) / classes - 1]);  // rank ceil((i+1)·n/k), 1-based
            break;
        case ClassBreaks::equal: {
            const double width = (sorted.back() - sorted.front()) / static_cast<double>(classes);
            for (std::size_t i = 1; i < classes; ++i) add_bound(sorted.front() + width * static_cast<double>(i));
            add_bound(sorted.back());
            break;
        }
        case ClassBreaks::natural:
            for (const double bound : natural_bounds(sorted, classes)) add_bound(bound);
            break;
        case ClassBreaks::fixed: {
            if (options.bounds.empty()) throw invalid_input("fixed class breaks need their bounds");
            if (options.bounds.size() + 1 > max_classes)
                throw invalid_input("a choropleth has at most " + std::to_string(max_classes) + " classes; " +
                                    std::to_string(options.bounds.size() + 1) + " bounds' worth were given");
            for (std::size_t i = 0; i < options.bounds.size(); ++i)
                if (!std::isfinite(options.bounds[i]) || (i > 0 && options.bounds[i] <= options.bounds[i - 1]))
                    throw invalid_input("fixed class bounds must be finite and increasing");
            // Kept as given, so that maps of the same measure compare; the last class takes the rest.
            out.upper = options.bounds;
            out.upper.push_back(std::max(sorted.back(), options.bounds.back() + 1));
            out.min = std::min(out.min, options.bounds.front());
            break;
        }
    }
    out.colours = ramp_colours(out.upper.size());
    const DarkEnd dark = options.dark == DarkEnd::automatic ? DarkEnd::high : options.dark;
    if (dark == DarkEnd::low) std::reverse(out.colours.begin(), out.colours.end());
    return out;
}

}  // namespace render
}  // namespace placedef
