// The study's maps: each drawn by the render module as a PNG and a PDF file
// in the output folder and as SVG for the report.
//
// Each map has one purpose: one filled layer and at most two outline layers,
// titles from the layers' titles, the data's vintages and the date in the
// credit line, and the land beyond the study area in grey (study_context).
#include "placedef/render.hpp"
#include "placedef/study.hpp"

#include "study/results.hpp"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <stdexcept>

namespace placedef::detail {

namespace {

/// Outline colours: dark for administrative boundaries, a colour-blind-safe
/// red for PCN footprints (Paul Tol's "bright" red) so the two read apart.
constexpr const char* boundary_colour = "#222222";
constexpr const char* pcn_colour = "#ee6677";
constexpr const char* unstable_colour = "#d62728";  ///< ensemble runs: the unstable blocks' outline

/// More outlines than this over a filled layer and a map stops saying one thing.
constexpr std::size_t max_outline_layers = 2;

/// The land beyond the study area: the units of the layer the study clips
/// to (a layer's `clip`, or the [pcn] clip) that its `clip_codes` leave out,
/// e.g. the counties around Surrey. Without clip codes the clip layer is all
/// study area, and there is no context (an empty layer).
Layer study_context(const StudyResults& results, std::string& clip_title) {
    const StudyResults::Area area = results.area();
    Layer context;
    if (area.clip.empty()) return context;
    const Layer& source = results.layer(area.clip);
    clip_title = results.title_of(area.clip);
    context.name = source.name + "_context";
    context.kind = source.kind;
    context.crs = source.crs;
    for (const Feature& feature : source.features)
        if (!area.holds(feature)) context.features.push_back(feature);
    return context;
}

class MapMaker {
public:
    MapMaker(const StudyResults& results, const std::string& outdir) : m_results(results), m_outdir(outdir) {
        const StudyMaps& maps = results.config->maps;
        m_options.width_px = maps.width_px;
        m_options.height_px = maps.height_px;
        m_options.dpi = maps.dpi;
        m_options.credit = maps.credit;
        m_options.paper = maps.paper;
        m_options.date = drawing_date();
        std::string clip_title;
        m_context = study_context(results, clip_title);
        if (!m_context.features.empty()) {
            m_options.context = &m_context;
            m_options.context_title = "Beyond the study area (" + clip_title + ")";
        }
    }

    std::vector<MapFigure> all() {
        overview();
        if (m_results.pcn_set) pcn();
        for (const FootprintSet& set : m_results.runs) footprints(set);
        deprivation();
        for (const ComparisonSection& comparison : m_results.comparisons) compared(comparison);
        for (const FlowsSection& section : m_results.flows) functional_areas(section);
        return std::move(m_figures);
    }

private:
    const StudyResults& m_results;
    std::string m_outdir;
    MapOptions m_options;
    Layer m_context;
    std::vector<MapFigure> m_figures;

    const StudyConfig& config() const { return *m_results.config; }

    void draw(const std::string& id, const std::string& title, const std::string& caption,
              const std::vector<MapLayer>& layers) {
        if (layers.size() > 1 + max_outline_layers)
            throw std::logic_error("study map '" + id + "' has " + std::to_string(layers.size() - 1) +
                                   " outline layers; a map takes at most " + std::to_string(max_outline_layers));
        keep(id, title, caption, [&](const MapOptions& options, const std::string& path) { render_map(layers, options, path); },
             [&](const MapOptions& options) { return render_svg(layers, options); });
    }

    /// A figure of small multiples, drawn as draw() draws a map.
    void draw(const std::string& id, const std::string& title, const std::string& caption,
              const std::vector<MapPanel>& panels) {
        keep(id, title, caption,
             [&](const MapOptions& options, const std::string& path) { render_panels(panels, options, path); },
             [&](const MapOptions& options) { return render_panels_svg(panels, options); });
    }

    /// Writes the PNG and PDF files of a figure and keeps its SVG for the report.
    void keep(const std::string& id, const std::string& title, const std::string& caption,
              const std::function<void(const MapOptions&, const std::string&)>& write,
              const std::function<std::string(const MapOptions&)>& svg) {
        MapOptions options = m_options;
        options.title = title;
        MapFigure figure{id, title, caption, {}, "map_" + id + ".png", "map_" + id + ".pdf"};
        for (const std::string* file : {&figure.png, &figure.pdf}) write(options, (std::filesystem::path(m_outdir) / *file).string());
        figure.svg = svg(options);
        // Inline in HTML, the document's XML declaration has no place.
        if (const std::size_t start = figure.svg.find("<svg"); start != std::string::npos) figure.svg.erase(0, start);
        m_figures.push_back(std::move(figure));
    }

    /// The configured layers of a role, in config order.
    std::vector<std::size_t> layers_of(LayerRole role) const {
        std::vector<std::size_t> found;
        for (std::size_t i = 0; i < config().layers.size(); ++i)
            if (config().layers[i].role == role) found.push_back(i);
        return found;
    }

    /// A configured layer as the map draws it: titled and dated from the config.
    MapLayer configured(std::size_t index, MapStyle style) const {
        const StudyLayer& c = config().layers[index];
        MapLayer layer;
        layer.layer = &m_results.layers[index];
        layer.style = style;
        layer.legend_title = c.title;
        layer.vintage = c.vintage;
        return layer;
    }

    MapLayer outline(std::size_t index, const char* colour, double width) const {
        MapLayer layer = configured(index, MapStyle::outline);
        layer.outline_colour = colour;
        layer.line_width = width;
        return layer;
    }

    /// Outlines of the first division layer and the first district layer (bold).
    std::vector<MapLayer> boundaries(bool divisions) const {
        std::vector<MapLayer> layers;
        const std::vector<std::size_t> division_layers = layers_of(LayerRole::division);
        const std::vector<std::size_t> district_layers = layers_of(LayerRole::district);
        if (divisions && !division_layers.empty()) layers.push_back(outline(division_layers.front(), boundary_colour, 0.8));
        if (!district_layers.empty()) layers.push_back(outline(district_layers.front(), boundary_colour, 2.0));
        return layers;
    }

    /// What the footprints of a set were made of, for the credit line: the
    /// blocks of a town run, the practices (and the clip area's boundary) of
    /// the PCN footprints.
    void date_footprints(const FootprintSet& set, MapLayer& layer) const {
        if (m_results.pcn_set && &set == &*m_results.pcn_set) {
            if (const StudyLayer* practices = config().layer(config().pcn->practices))
                layer.values_vintage = practices->vintage;
            if (const StudyLayer* clip = config().layer(config().pcn->clip)) layer.vintage = clip->vintage;
            return;
        }
        for (const StudyFootprints& run : config().footprints)
            if (run.id == set.id)
                if (const StudyLayer* blocks = config().layer(run.blocks)) layer.vintage = blocks->vintage;
    }

    MapLayer filled(const FootprintSet& set) const {
        MapLayer layer;
        layer.layer = &set.polygons;
        layer.style = MapStyle::categorical;
        layer.legend_title = set.title;
        layer.label_attribute = set.polygons.attribute_names.front();
        date_footprints(set, layer);
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
        const StudyLayer& c = config().layers[*fill];
        MapLayer base = configured(*fill, MapStyle::categorical);
        base.label_attribute = c.label_column;
        std::vector<MapLayer> layers{base};
        for (MapLayer& layer : boundaries(false))
            if (layer.layer != base.layer) layers.push_back(layer);
        draw("overview", config().title + ": " + c.title, c.title + ", with district boundaries in bold.", layers);
    }

    void pcn() {
        const FootprintSet& set = *m_results.pcn_set;
        std::vector<MapLayer> layers{filled(set)};
        for (MapLayer& layer : boundaries(true)) layers.push_back(layer);
        draw("pcn", config().title + ": " + set.title, set.title + " with county division and district boundaries.", layers);
    }

    void footprints(const FootprintSet& set) {
        // The footprints against the divisions and districts they are discussed with;
        // how they sit in the PCN footprints is the co-terminosity map's to show.
        // With an ensemble the map shows the footprints' stability: the
        // unstable blocks take the divisions' place, so that the map still
        // says one thing.
        const bool stability = !set.unstable.features.empty();
        std::vector<MapLayer> layers{filled(set)};
        for (MapLayer& layer : boundaries(!stability)) layers.push_back(layer);
        std::string caption = set.title + (stability ? " with district boundaries." : " with county division and district boundaries.");
        if (stability) {
            // Over everything else, so that the flag is never hidden by a boundary.
            MapLayer unstable;
            unstable.layer = &set.unstable;
            unstable.style = MapStyle::outline;
            unstable.outline_colour = unstable_colour;
            unstable.line_width = 2.0;
            unstable.legend_title = "Unstable blocks (with their footprint's core in under " +
                                    std::to_string(static_cast<int>(100 * unstable_stability)) + "\u00A0% of " +
                                    std::to_string(set.ensemble_runs) + " runs)";
            layers.push_back(unstable);
            caption += " Blocks outlined in red are unstable: in " + std::to_string(set.ensemble_runs) +
                       " runs under other seeds they sat with their footprint's core in fewer than " +
                       std::to_string(static_cast<int>(100 * unstable_stability)) + "\u00A0% of them.";
        }
        draw("footprints_" + set.id, config().title + ": " + set.title, caption, layers);
        if (set.targets.empty()) return;

        // How each footprint sits in the first target: its largest share in one unit.
        const std::string& target = set.targets.front();
        const std::string target_title = m_results.title_of(target);
        MapLayer share;
        share.layer = &set.polygons;
        share.style = MapStyle::choropleth;
        share.legend_title = "Largest share in one unit";
        share.label_attribute = set.polygons.attribute_names.front();
        date_footprints(set, share);
        for (const FootprintRow& row : set.rows) share.values.push_back(row.fits.front().coverage);
        std::vector<MapLayer> layers_share{share};
        if (target == "pcn" && m_results.pcn_set) {
            MapLayer pcn = filled(*m_results.pcn_set);
            pcn.style = MapStyle::outline;
            pcn.label_attribute.clear();
            pcn.outline_colour = pcn_colour;
            pcn.line_width = 1.5;
            layers_share.push_back(pcn);
        } else if (const StudyLayer* target_layer = config().layer(target)) {
            layers_share.push_back(
                outline(static_cast<std::size_t>(target_layer - config().layers.data()), boundary_colour, 1.0));
        }
        draw("coterminosity_" + set.id, config().title + ": " + set.title + " in " + target_title,
             set.title + ": each footprint's largest share in one unit of " + target_title +
                 " (1: it lies wholly in one unit), with that layer's boundaries.",
             layers_share);
    }

    /// A comparison's proposals side by side, a figure per partner. The land
    /// beyond the study area is left out: the partners' outlines reach into it.
    void compared(const ComparisonSection& comparison) {
        const MapOptions kept = m_options;
        m_options.context = nullptr;
        for (const auto& [partner, panels] : comparison.figures) {
            const std::string partner_title = m_results.title_of(partner);
            draw("comparison_" + comparison.id + "_" + partner, comparison.title + ", against " + partner_title,
                 "Each proposal in a panel of its own, all at the same scale, with the units of " + partner_title +
                     " outlined in red.",
                 panels);
        }
        m_options = kept;
    }

    /// Functional areas filled, over the units they are made of, with the
    /// first district layer outlined for the reader's bearings.
    void functional_areas(const FlowsSection& section) {
        MapLayer areas;
        areas.layer = section.area_layer.get();
        areas.style = MapStyle::categorical;
        areas.label_attribute = "name";
        areas.legend_title = section.title;
        areas.vintage = config().layers[section.units].vintage;
        std::vector<MapLayer> layers{areas, outline(section.units, "#777777", 0.4)};
        const std::vector<std::size_t> districts = layers_of(LayerRole::district);
        if (!districts.empty()) layers.push_back(outline(districts.front(), boundary_colour, 1.5));
        draw("flows_" + section.id, config().title + ": " + section.title,
             section.title + ": each area named after the unit with the most jobs in it, over the units of " +
                 config().layers[section.units].title + " (grey)" +
                 (districts.empty() ? std::string() : " and " + config().layers[districts.front()].title + " (dark)") + ".",
             layers);
    }

    void deprivation() {
        const auto& table = config().deprivation;
        if (!table) return;
        const StudyLayer* units = config().layer(table->layer);
        MapLayer base = configured(static_cast<std::size_t>(units - config().layers.data()), MapStyle::choropleth);
        base.values_vintage = table->vintage;
        std::string caption = table->title + " of each unit of " + units->title;
        // National deciles in ten fixed classes, 1 (the most deprived tenth of England) darkest.
        const StudyResults::DeprivationShown shown = m_results.deprivation_shown();
        base.values = *shown.values;
        base.classing = ClassingOptions::for_measure(shown.column);
        base.legend_title = shown.deciles ? "National decile (1 = most deprived 10\u00A0%)" : table->title;
        if (shown.deciles)
            caption = "National deciles of " + table->title + " of each unit of " + units->title +
                      ": 1 is the most deprived tenth of England, 10 the least";
        std::vector<MapLayer> layers{base};
        if (!m_results.runs.empty()) {
            const FootprintSet& run = m_results.runs.front();
            MapLayer footprints = filled(run);
            footprints.style = MapStyle::outline;
            footprints.label_attribute.clear();
            footprints.outline_colour = boundary_colour;
            footprints.line_width = 1.5;
            layers.push_back(footprints);
            caption += ", with the footprints of " + run.title;
        } else {
            for (MapLayer& layer : boundaries(false)) layers.push_back(layer);
        }
        const std::string heading =
            m_results.deprivation_deciles.empty() ? table->title : table->title + ", in national deciles";
        draw("deprivation", config().title + ": " + heading, caption + ".", layers);
    }
};

}  // namespace

std::vector<MapFigure> draw_maps(const StudyResults& results, const std::string& outdir) {
    return MapMaker(results, outdir).all();
}

}  // namespace placedef::detail
