// The study's maps: each drawn twice by the render module, as a PNG file in
// the output folder and as SVG for the report.
#include "placedef/render.hpp"
#include "placedef/study.hpp"

#include "study/results.hpp"

#include <filesystem>

namespace placedef::detail {

namespace {

/// Outline colours: dark for administrative boundaries, a colour-blind-safe
/// red for PCN footprints (Paul Tol's "bright" red) so the two read apart.
constexpr const char* boundary_colour = "#222222";
constexpr const char* pcn_colour = "#ee6677";

class MapMaker {
public:
    MapMaker(const StudyResults& results, const std::string& outdir) : m_results(results), m_outdir(outdir) {
        const StudyMaps& maps = results.config->maps;
        m_options.width_px = maps.width_px;
        m_options.height_px = maps.height_px;
        m_options.dpi = maps.dpi;
        m_options.credit = maps.credit;
    }

    std::vector<MapFigure> all() {
        overview();
        if (m_results.pcn_set) pcn();
        for (const FootprintSet& set : m_results.runs) footprints(set);
        deprivation();
        return std::move(m_figures);
    }

private:
    const StudyResults& m_results;
    std::string m_outdir;
    MapOptions m_options;
    std::vector<MapFigure> m_figures;

    void draw(const std::string& id, const std::string& title, const std::string& caption,
              const std::vector<MapLayer>& layers) {
        MapOptions options = m_options;
        options.title = title;
        MapFigure figure{id, title, caption, {}, "map_" + id + ".png"};
        render_map(layers, options, (std::filesystem::path(m_outdir) / figure.png).string());
        figure.svg = render_svg(layers, options);
        // Inline in HTML, the document's XML declaration has no place.
        if (const std::size_t start = figure.svg.find("<svg"); start != std::string::npos) figure.svg.erase(0, start);
        m_figures.push_back(std::move(figure));
    }

    /// The configured layers of a role, in config order.
    std::vector<std::size_t> layers_of(LayerRole role) const {
        std::vector<std::size_t> found;
        for (std::size_t i = 0; i < m_results.config->layers.size(); ++i)
            if (m_results.config->layers[i].role == role) found.push_back(i);
        return found;
    }

    MapLayer outline(std::size_t index, const char* colour, double width) const {
        const StudyLayer& c = m_results.config->layers[index];
        MapLayer layer;
        layer.layer = &m_results.layers[index];
        layer.style = MapStyle::outline;
        layer.legend_title = c.title;
        layer.outline_colour = colour;
        layer.line_width = width;
        return layer;
    }

    /// Outlines of the districts (bold) and of `divisions` when asked.
    std::vector<MapLayer> boundaries(bool divisions) const {
        std::vector<MapLayer> layers;
        if (divisions)
            for (std::size_t i : layers_of(LayerRole::division)) layers.push_back(outline(i, boundary_colour, 0.8));
        for (std::size_t i : layers_of(LayerRole::district)) layers.push_back(outline(i, boundary_colour, 2.0));
        return layers;
    }

    MapLayer filled(const FootprintSet& set) const {
        MapLayer layer;
        layer.layer = &set.polygons;
        layer.style = MapStyle::categorical;
        layer.legend_title = set.title;
        layer.label_attribute = set.polygons.attribute_names.front();
        return layer;
    }

    void overview() {
        // Filled by the finest boundary layer that has units to tell apart:
        // divisions, else wards, else any boundary layer.
        std::optional<std::size_t> fill;
        for (LayerRole role : {LayerRole::division, LayerRole::ward, LayerRole::district, LayerRole::boundary,
                               LayerRole::nhs, LayerRole::county, LayerRole::lep, LayerRole::ttwa})
            if (const std::vector<std::size_t> found = layers_of(role); !fill && !found.empty()) fill = found.front();
        if (!fill) return;
        const StudyLayer& c = m_results.config->layers[*fill];
        MapLayer base;
        base.layer = &m_results.layers[*fill];
        base.style = MapStyle::categorical;
        base.legend_title = c.title;
        base.label_attribute = c.label_column;
        std::vector<MapLayer> layers{base};
        for (MapLayer& layer : boundaries(false))
            if (layer.layer != base.layer) layers.push_back(layer);
        draw("overview", m_results.config->title + ": " + c.title, c.title + ", with district boundaries in bold.",
             layers);
    }

    void pcn() {
        const FootprintSet& set = *m_results.pcn_set;
        std::vector<MapLayer> layers{filled(set)};
        for (MapLayer& layer : boundaries(true)) layers.push_back(layer);
        draw("pcn", m_results.config->title + ": " + set.title, set.title + " with county division and district boundaries.",
             layers);
    }

    void footprints(const FootprintSet& set) {
        std::vector<MapLayer> layers{filled(set)};
        for (MapLayer& layer : boundaries(true)) layers.push_back(layer);
        std::string caption = set.title + " with county division and district boundaries";
        if (m_results.pcn_set) {
            MapLayer pcn;
            pcn.layer = &m_results.pcn_set->polygons;
            pcn.style = MapStyle::outline;
            pcn.legend_title = m_results.pcn_set->title;
            pcn.outline_colour = pcn_colour;
            pcn.line_width = 1.5;
            layers.push_back(pcn);
            caption += ", and the PCN footprints in red";
        }
        draw("footprints_" + set.id, m_results.config->title + ": " + set.title, caption + ".", layers);
        if (set.targets.empty()) return;

        // How each footprint sits in the first target: its largest share in one unit.
        const std::string& target = set.targets.front();
        const std::string target_title = m_results.title_of(target);
        MapLayer share;
        share.layer = &set.polygons;
        share.style = MapStyle::choropleth;
        share.legend_title = "Largest share in one unit";
        share.label_attribute = set.polygons.attribute_names.front();
        for (const FootprintRow& row : set.rows) share.values.push_back(row.fits.front().coverage);
        std::vector<MapLayer> layers_share{share};
        if (target == "pcn" && m_results.pcn_set) {
            layers_share.push_back(layers.back());
        } else if (const StudyLayer* configured = m_results.config->layer(target)) {
            const std::size_t index = static_cast<std::size_t>(configured - m_results.config->layers.data());
            layers_share.push_back(outline(index, boundary_colour, 1.0));
        }
        draw("coterminosity_" + set.id, m_results.config->title + ": footprints '" + set.id + "' in " + target_title,
             set.title + ": each footprint's largest share in one unit of " + target_title +
                 " (1: it lies wholly in one unit), with that layer's boundaries.",
             layers_share);
    }

    void deprivation() {
        const auto& table = m_results.config->deprivation;
        if (!table) return;
        const StudyLayer* units = m_results.config->layer(table->layer);
        MapLayer base;
        base.layer = &m_results.layer(units->name);
        base.style = MapStyle::choropleth;
        std::string caption = table->title + " of each unit of " + units->name;
        if (!m_results.deprivation_deciles.empty()) {
            // National deciles in ten fixed classes, 1 (the most deprived tenth of England) darkest.
            base.values = m_results.deprivation_deciles;
            base.classing = ClassingOptions::for_measure(m_results.deprivation_decile_column);
            base.legend_title = "National decile (" + m_results.deprivation_decile_column + "; 1 = most deprived 10 %)";
            caption = "National deciles of " + table->title + " of each unit of " + units->name +
                      ": 1 is the most deprived tenth of England, 10 the least";
        } else {
            base.values = m_results.deprivation;
            base.classing = ClassingOptions::for_measure(table->column);
            base.legend_title = table->title;
        }
        std::vector<MapLayer> layers{base};
        if (!m_results.runs.empty()) {
            MapLayer footprints;
            footprints.layer = &m_results.runs.front().polygons;
            footprints.style = MapStyle::outline;
            footprints.legend_title = m_results.runs.front().title;
            footprints.outline_colour = boundary_colour;
            footprints.line_width = 1.5;
            layers.push_back(footprints);
            caption += ", with the footprints of run '" + m_results.runs.front().id + "'";
        } else {
            for (MapLayer& layer : boundaries(false)) layers.push_back(layer);
        }
        const std::string heading = m_results.deprivation_deciles.empty()
                                        ? table->title
                                        : table->title + ", in national deciles";
        draw("deprivation", m_results.config->title + ": " + heading, caption + ".", layers);
    }
};

}  // namespace

std::vector<MapFigure> draw_maps(const StudyResults& results, const std::string& outdir) {
    return MapMaker(results, outdir).all();
}

}  // namespace placedef::detail
