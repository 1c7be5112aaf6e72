// The report's interactive map: the study's layers as GeoJSON in longitude
// and latitude, simplified for the screen, each feature with the lines a
// reader sees when clicking it. Leaflet draws it; the page inlines Leaflet
// so that the report stays one file that opens offline.
#include "placedef/geometry.hpp"
#include "placedef/io.hpp"
#include "placedef/render.hpp"
#include "placedef/text.hpp"

#include "study/results.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace placedef::detail {

namespace {

/// Vertices closer than this to the simplified outline go: under a pixel
/// at the zoom that shows a town (Leaflet zoom 13 is about 19 m a pixel).
constexpr double screen_tolerance_m = 10;

std::string json_string(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            // "</script>" must not end the page's script element early.
            case '<': out += "\\u003c"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char escaped[8];
                    std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
                    out += escaped;
                } else {
                    out += c;
                }
        }
    }
    return out + "\"";
}

/// Thousands separated, no decimals: "12,345".
std::string people_text(double people) { return readable_number(std::round(people)); }

/// What a layer of the web map shows.
struct WebLayer {
    std::string id;
    std::string title;
    bool filled = true;        ///< false: outlines only
    bool visible = false;      ///< on when the page opens
    std::string line = "#333333";
    double weight = 1;
    const Layer* layer = nullptr;
    std::vector<std::string> colours;             ///< per feature, for filled layers
    std::vector<std::vector<std::string>> lines;  ///< per feature: what a click shows
};

class WebMapWriter {
public:
    explicit WebMapWriter(const StudyResults& results)
        : m_results(results), m_to_lon_lat(results.config->read.study_crs) {}

    std::string json() {
        std::vector<WebLayer> layers;
        if (const StudyLayer* division = first_of(LayerRole::division)) layers.push_back(outlines(*division, "#222222", 1.2));
        if (const StudyLayer* district = first_of(LayerRole::district)) layers.push_back(outlines(*district, "#000000", 2.4));
        for (std::size_t r = 0; r < m_results.runs.size(); ++r) layers.push_back(footprints(m_results.runs[r], r == 0));
        for (const FootprintSet& run : m_results.runs)
            if (!run.unstable.features.empty()) layers.push_back(unstable(run));
        if (m_results.pcn_set) layers.push_back(footprints(*m_results.pcn_set, m_results.runs.empty()));
        if (auto deprived = deprivation()) layers.push_back(std::move(*deprived));
        for (const FlowsSection& section : m_results.flows) {
            const bool first_filled = std::none_of(layers.begin(), layers.end(), [](const WebLayer& l) { return l.filled; });
            layers.push_back({"flows_" + section.id, section.title, true, first_filled, "#555555", 0.8,
                              section.area_layer.get(), categorical_colours(*section.area_layer), section.popups});
        }
        // Fills first, so that the outlines lie over them when both are on.
        std::stable_partition(layers.begin(), layers.end(), [](const WebLayer& l) { return l.filled; });

        std::ostringstream out;
        out << "{\"layers\":[";
        for (std::size_t i = 0; i < layers.size(); ++i) {
            if (i > 0) out << ',';
            write(out, layers[i]);
        }
        out << "]}";
        return out.str();
    }

private:
    const StudyResults& m_results;
    LonLatTransform m_to_lon_lat;

    const StudyLayer* first_of(LayerRole role) const {
        for (const StudyLayer& c : m_results.config->layers)
            if (c.role == role) return &c;
        return nullptr;
    }

    /// The crosswalk entry of unit `code` of `layer` against `other`, in any footprint set.
    const CrosswalkUnit* crosswalk_of(const std::string& layer, const std::string& other, const std::string& code) const {
        for (const FootprintSet* set : m_results.footprint_sets())
            for (const CrosswalkUnit& unit : set->crosswalk)
                if (unit.layer == layer && unit.other_layer == other && unit.code == code) return &unit;
        return nullptr;
    }

    WebLayer outlines(const StudyLayer& c, const char* colour, double weight) const {
        WebLayer web{c.name, c.title, false, true, colour, weight, &m_results.layer(c.name), {}, {}};
        for (const Feature& feature : web.layer->features) {
            std::vector<std::string> lines{c.title + ": " + feature.code};
            for (const FootprintSet* set : m_results.footprint_sets())
                if (const CrosswalkUnit* unit = crosswalk_of(c.name, set->id, feature.code))
                    lines.push_back(set->title + ": " + falls_in_text(*unit));
            web.lines.push_back(std::move(lines));
        }
        return web;
    }

    WebLayer footprints(const FootprintSet& set, bool visible) const {
        WebLayer web{set.id, set.title, true, visible, "#555555", 0.8, &set.polygons, categorical_colours(set.polygons), {}};
        const char* measure = m_results.population ? "people" : "area";
        for (const Feature& feature : set.polygons.features) {
            std::vector<std::string> lines{set.title + ": " + feature.code};
            for (const FootprintRow& row : set.rows) {
                if (row.code != feature.code) continue;
                if (std::isfinite(row.population)) lines.push_back("People: " + people_text(row.population));
                lines.push_back("Area: " + readable_number(std::round(row.area_km2 * 10) / 10) + " km²");
                const FootprintDeprivation& deprivation = row.deprivation;
                if (std::isfinite(deprivation.mean_score))
                    lines.push_back("Mean " + m_results.deprivation_score_column + ": " +
                                    readable_number(std::round(deprivation.mean_score * 10) / 10));
                if (std::isfinite(deprivation.share_deciles_1_2))
                    lines.push_back(std::string("In national deprivation deciles 1–2: ") +
                                    percent_text(deprivation.share_deciles_1_2) + " of its " + measure);
                if (!deprivation.most_deprived.code.empty())
                    lines.push_back("Most deprived unit: " +
                                    (deprivation.most_deprived.name.empty() ? deprivation.most_deprived.code
                                                                            : deprivation.most_deprived.name));
                for (std::size_t t = 0; t < set.targets.size() && t < row.fits.size(); ++t) {
                    const MainUnit main = main_unit(row.fits[t]);
                    if (main.code.empty()) continue;
                    lines.push_back("Main unit of " + m_results.title_of(set.targets[t]) + ": " +
                                    (main.name.empty() ? main.code : main.name) + " (" + percent_text(main.share) +
                                    " of its " + (main.by_people ? "people" : "area") + ")");
                }
            }
            if (const StudyLayer* division = first_of(LayerRole::division))
                if (const CrosswalkUnit* unit = crosswalk_of(set.id, division->name, feature.code))
                    lines.push_back(division->title + ": " + falls_in_text(*unit));
            web.lines.push_back(std::move(lines));
        }
        return web;
    }

    /// An ensemble run's unstable blocks, outlined as on its footprints map.
    WebLayer unstable(const FootprintSet& set) const {
        WebLayer web{set.unstable.name, "Unstable blocks: " + set.title, false, false, "#d62728", 2.0, &set.unstable, {}, {}};
        std::size_t next = 0;  // the unstable blocks come in membership order
        for (const Feature& feature : set.unstable.features) {
            while (next < set.membership.size() && set.membership[next].block != feature.code) ++next;
            std::vector<std::string> lines{"Unstable block " + feature.code};
            if (next < set.membership.size())
                lines.push_back("With its footprint's core (" + set.membership[next].footprint + ") in " +
                                percent_text(set.membership[next].stability) + " of " +
                                std::to_string(set.ensemble_runs) + " runs");
            web.lines.push_back(std::move(lines));
        }
        return web;
    }

    std::optional<WebLayer> deprivation() const {
        const auto& table = m_results.config->deprivation;
        if (!table) return std::nullopt;
        const Layer& units = m_results.layer(table->layer);
        // The classes and colours of the report's deprivation map.
        const StudyResults::DeprivationShown shown = m_results.deprivation_shown();
        const std::vector<double>& values = *shown.values;
        if (std::none_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); })) return std::nullopt;
        const ChoroplethClasses classes = choropleth_classes(values, ClassingOptions::for_measure(shown.column));
        WebLayer web{"deprivation", table->title, true, false, "#777777", 0.3, &units, {}, {}};
        for (std::size_t i = 0; i < units.size(); ++i) {
            const std::size_t k = classes.class_of(values[i]);
            web.colours.push_back(k < classes.colours.size() ? classes.colours[k] : no_data_colour);
            std::vector<std::string> lines{units.features[i].code};
            const double value = m_results.deprivation[i];
            lines.push_back(table->title + ": " + (std::isfinite(value) ? readable_number(value) : "no data"));
            if (shown.deciles && std::isfinite(m_results.deprivation_deciles[i]))
                lines.push_back("National decile: " + readable_number(m_results.deprivation_deciles[i]) +
                                " (1 = most deprived 10 % of England)");
            web.lines.push_back(std::move(lines));
        }
        return web;
    }

    void write(std::ostringstream& out, const WebLayer& web) const {
        out << "{\"id\":" << json_string(web.id) << ",\"title\":" << json_string(web.title)
            << ",\"filled\":" << (web.filled ? "true" : "false") << ",\"visible\":" << (web.visible ? "true" : "false")
            << ",\"line\":" << json_string(web.line) << ",\"weight\":" << web.weight
            << ",\"features\":{\"type\":\"FeatureCollection\",\"features\":[";
        const Layer& layer = *web.layer;
        for (std::size_t i = 0; i < layer.size(); ++i) {
            const Feature& feature = layer.features[i];
            if (i > 0) out << ',';
            out << "{\"type\":\"Feature\",\"properties\":{\"code\":" << json_string(feature.code)
                << ",\"name\":" << json_string(feature.name);
            if (!web.colours.empty()) out << ",\"colour\":" << json_string(web.colours[i]);
            out << ",\"lines\":[";
            for (std::size_t l = 0; l < web.lines[i].size(); ++l) out << (l ? "," : "") << json_string(web.lines[i][l]);
            out << "]},\"geometry\":";
            write_geometry(out, feature.shape);
            out << '}';
        }
        out << "]}}";
    }

    void write_geometry(std::ostringstream& out, const MultiPolygon& shape) const {
        const MultiPolygon drawn = simplified(shape, screen_tolerance_m);
        out << "{\"type\":\"MultiPolygon\",\"coordinates\":[";
        char number[32];
        for (std::size_t p = 0; p < drawn.polygons.size(); ++p) {
            out << (p ? ",[" : "[");
            const Polygon& polygon = drawn.polygons[p];
            std::vector<const Ring*> rings{&polygon.outer};
            for (const Ring& hole : polygon.holes) rings.push_back(&hole);
            for (std::size_t r = 0; r < rings.size(); ++r) {
                std::vector<Coord> points = *rings[r];
                m_to_lon_lat.apply(points);
                out << (r ? ",[" : "[");
                for (std::size_t i = 0; i < points.size(); ++i) {
                    // Five decimals of a degree: about a metre, finer than the screen shows.
                    std::snprintf(number, sizeof number, "%s[%.5f,%.5f]", i ? "," : "", points[i].x, points[i].y);
                    out << number;
                }
                out << ']';
            }
            out << ']';
        }
        out << "]}";
    }
};

}  // namespace

std::string web_map_json(const StudyResults& results) { return WebMapWriter(results).json(); }

}  // namespace placedef::detail
