// Colours: parsing, categorical colouring of a layer's adjacency graph, and
// quantile classes for choropleths.
#include "placedef/error.hpp"
#include "placedef/render.hpp"

#include "render/detail/canvas.hpp"
#include "render/detail/classes.hpp"
#include "render/detail/palette.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
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

std::vector<std::string> categorical_colours(const Layer& layer) {
    if (layer.kind != LayerKind::polygon)
        throw invalid_input(layer.label() + ": categorical colours need a polygon layer");
    if (layer.features.empty()) return {};
    const ContiguityGraph graph = contiguity_graph(layer, ContiguityOptions{});
    const std::size_t n = graph.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return graph.degree(a) > graph.degree(b); });
    const std::size_t palette_size = detail::categorical_palette.size();
    constexpr std::size_t unset = static_cast<std::size_t>(-1);
    std::vector<std::size_t> colour(n, unset);
    std::vector<std::size_t> uses(palette_size, 0);
    std::vector<bool> taken;
    for (const std::size_t unit : order) {
        taken.assign(uses.size() + 1, false);
        for (const std::uint32_t* neighbour = graph.begin(unit); neighbour != graph.end(unit); ++neighbour)
            if (colour[*neighbour] != unset) taken[colour[*neighbour]] = true;
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

std::size_t ChoroplethClasses::class_of(double value) const {
    if (!std::isfinite(value)) return upper.size();
    const auto at = std::lower_bound(upper.begin(), upper.end(), value);
    // Values above the last bound (none, for the values classified) join the last class.
    return at == upper.end() ? upper.size() - 1 : static_cast<std::size_t>(at - upper.begin());
}

ChoroplethClasses choropleth_classes(const std::vector<double>& values, std::size_t classes) {
    std::vector<double> sorted;
    for (const double value : values)
        if (std::isfinite(value)) sorted.push_back(value);
    if (sorted.empty()) throw invalid_input("a choropleth needs at least one value that is a finite number");
    if (classes > detail::sequential_ramp.size())
        throw invalid_input("a choropleth has at most " + std::to_string(detail::sequential_ramp.size()) +
                            " classes; " + std::to_string(classes) + " were asked for");
    std::sort(sorted.begin(), sorted.end());
    const std::size_t n = sorted.size();
    if (classes == 0) {
        const auto sturges = static_cast<std::size_t>(std::ceil(std::log2(static_cast<double>(n)))) + 1;
        classes = std::clamp<std::size_t>(sturges, 5, 7);
    }
    ChoroplethClasses out;
    out.min = sorted.front();
    out.whole_numbers = std::all_of(sorted.begin(), sorted.end(), [](double v) { return v == std::floor(v); });
    for (std::size_t i = 0; i < classes; ++i) {
        const std::size_t rank = ((i + 1) * n + classes - 1) / classes;  // ceil((i+1)·n/k), 1-based
        const double bound = sorted[rank - 1];
        if (out.upper.empty() || bound > out.upper.back()) out.upper.push_back(bound);
    }
    // Light to dark; the near-white first step of the ramp only when all nine are needed.
    const std::size_t k = out.upper.size(), ramp = detail::sequential_ramp.size();
    for (std::size_t i = 0; i < k; ++i) {
        std::size_t index = ramp / 2;
        if (k == ramp) index = i;
        else if (k > 1) index = 1 + static_cast<std::size_t>(std::lround(static_cast<double>(i * (ramp - 2)) / static_cast<double>(k - 1)));
        out.colours.emplace_back(detail::sequential_ramp[index]);
    }
    return out;
}

}  // namespace render
}  // namespace placedef
