// The render module: maps of layers as PNG, SVG or PDF (drawn with Cairo),
// the colours they use, and the same styles as QGIS style documents (QML)
// for the GeoPackages placedef writes, so that QGIS opens them looking like
// the maps.
//
// A map fills its first layer (categorical colours where touching units
// never share a colour, or a choropleth of one value per unit in quantile
// classes) and draws the other layers as outlines on top, over the context
// (units beyond the study area, in grey). Labels go at each unit's point on
// surface (or, when that box is taken, just above, below or beside it, still
// over the unit), larger units first. No label is dropped silently: when the
// filled layer has at most max_identified_units units, a unit whose name
// finds no place gets a number (at its point, or beside it with a leader
// line) keyed in the legend ("12  Walton-on-Thames"), and the legend says how
// many labels are left out, if any; on larger layers it says how many names
// are not shown. The map carries a title, a legend, a scale bar in
// kilometres, a north arrow and a credit line with the date and the data's
// vintages. Coordinates are those of the study CRS (metres, y up; British
// National Grid by default).
//
// Errors: bad input (no layer, a null layer, values that do not match the
// features, an unknown label attribute, a colour that is not "#rrggbb", a
// size or resolution that is not positive) throws invalid_input; a map or
// GeoPackage that cannot be written throws output_error naming the path.
// Threads: every function may be called from several threads at once.
#pragma once

#include "placedef/catchment.hpp"
#include "placedef/clustering.hpp"
#include "placedef/io.hpp"
#include "placedef/layer.hpp"
#include "placedef/overlay.hpp"

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace placedef {
inline namespace render {

enum class MapStyle {
    categorical,  ///< one colour per unit; touching units differ (categorical_colours)
    choropleth,   ///< one value per unit, in quantile classes on a sequential ramp
    outline       ///< boundaries only
};

/// How class bounds are chosen.
enum class ClassBreaks {
    quantile,  ///< as many values in each class as can be (the default)
    equal,     ///< classes of equal width from the smallest value to the largest
    natural,   ///< Jenks natural breaks: the least sum of squared deviations within classes
    fixed,     ///< the bounds given (ClassingOptions::bounds)
};
/// "quantile" | "equal" | "natural" | "fixed"; throws invalid_input otherwise.
ClassBreaks class_breaks_from_string(const std::string& text);
const char* to_string(ClassBreaks breaks);

/// Which end of a measure is drawn darkest: the end a reader looks for.
enum class DarkEnd {
    automatic,  ///< from the measure's name (measure_dark_end)
    high,       ///< the largest values darkest (population, density, IMD scores)
    low,        ///< the smallest values darkest (IMD ranks and deciles: 1 = most deprived)
};
/// "auto" | "high" | "low"; throws invalid_input otherwise.
DarkEnd dark_end_from_string(const std::string& text);

/// The end of a measure named `column` to draw darkest: low for ranks and
/// deciles (the English, Welsh and Scottish indices of deprivation number
/// the most deprived 1), high otherwise.
DarkEnd measure_dark_end(const std::string& column);

/// A measure of national deciles (a column named "..._decile" or "decile"):
/// mapped in ten classes, one per decile, not re-classed over the study area.
bool is_decile_measure(const std::string& column);

struct ClassingOptions {
    ClassBreaks breaks = ClassBreaks::quantile;
    std::size_t classes = 0;     ///< 0: chosen from the count (5 to 7); at most max_classes
    std::vector<double> bounds;  ///< fixed: the upper bound of each class but the last, increasing
    DarkEnd dark = DarkEnd::high;
    /// The classing of a measure by its name: deciles in ten fixed classes,
    /// and the dark end from measure_dark_end.
    static ClassingOptions for_measure(const std::string& column);
};

/// The most classes a choropleth takes (ten, for deciles).
constexpr std::size_t max_classes = 10;

/// One layer of a map. The first layer of a map is filled in its style; the
/// others are drawn as outlines over it, whatever their style.
struct MapLayer {
    const Layer* layer = nullptr;  ///< borrowed; must outlive the call
    MapStyle style = MapStyle::categorical;
    std::vector<double> values;     ///< choropleth: one per feature (NaN = no data)
    std::string legend_title;       ///< legend heading for this layer ("" = the layer's name)
    std::string label_attribute;    ///< "" = no labels, "code" = feature code, else an attribute name of the layer
    std::string outline_colour = "#333333";  ///< outline style, "#rrggbb"
    double line_width = 1.0;        ///< points at 96 dpi (CSS pixels), scaled to MapOptions::dpi
    ClassingOptions classing = {};  ///< choropleth: how the values are classed and coloured
    /// Categorical polygons: a "#rrggbb" per feature in place of
    /// categorical_colours (empty: those), e.g. shared_categorical_colours.
    std::vector<std::string> colours = {};
    /// The data the layer draws and its date, for the credit line ("CED 2025";
    /// "" = not named). Polygon layers are listed as boundaries, points after them.
    std::string vintage = {};
    /// Choropleth: the data of the values ("IMD 2019"), listed after the boundaries.
    std::string values_vintage = {};
};

/// A filled layer of at most this many units is identified unit by unit:
/// each is named on the map or numbered and keyed in the legend.
constexpr std::size_t max_identified_units = 40;

/// Paper of a PDF map, landscape.
enum class Paper { a4, a3 };
/// "a4" | "a3"; throws invalid_input otherwise.
Paper paper_from_string(const std::string& text);
/// Width and height of the landscape page in PDF points (1/72 inch).
std::pair<double, double> paper_size_points(Paper paper);

/// The date a map says it was drawn, "YYYY-MM-DD" (UTC): the date of
/// SOURCE_DATE_EPOCH (seconds since 1970) when that variable is set, so that
/// tests and reproducible builds get the same maps every day; else today.
/// Throws invalid_input when SOURCE_DATE_EPOCH is not a whole number.
std::string drawing_date();

/// The largest map: each side at most max_map_side_px pixels and the whole at
/// most max_map_pixels (a PNG is drawn in memory at 4 bytes a pixel, so this
/// is 400 MB; 10000 x 10000, or 30000 x 3333). Larger sizes are refused
/// before any work (check_map_size), for SVG too, so that the same request
/// gives the same answer whichever the format.
constexpr int max_map_side_px = 30000;
constexpr long long max_map_pixels = 100'000'000;

/// Throws invalid_input naming the size and the limit when a map of
/// `width_px` x `height_px` is outside the limits above.
void check_map_size(int width_px, int height_px);

struct MapOptions {
    std::string title;
    int width_px = 1600, height_px = 1200;
    double dpi = 150;  ///< sets the size of text and lines in pixels: 10 pt text is 10/72 inch
    bool legend = true, scale_bar = true;
    std::string credit;  ///< small print under the map, e.g. the data's copyright line ("" = none)
    /// "YYYY-MM-DD": the credit line begins "Drawn DATE" ("" = no date; see drawing_date).
    /// The credit line then names the layers' vintages and ends with `credit`:
    /// "Drawn 2026-12-03 · Boundaries: CED 2025, LSOA 2011; IMD 2019 · Contains OS data ...".
    std::string date;
    /// Area to show, in the study CRS, widened to the frame's shape; empty:
    /// fitted to every layer but the context, with a margin.
    Box extent;
    /// Borrowed, may be null: units beyond the study area, drawn in muted grey
    /// under the map so that the reader sees where the study stops, with one
    /// legend entry (`context_title`). The map is not fitted to them.
    const Layer* context = nullptr;
    std::string context_title = "Beyond the study area";
    Paper paper = Paper::a4;  ///< PDF: the page; PNG and SVG take width_px, height_px and dpi
};

/// Renders to .png, .svg or .pdf by extension (a PDF keeps its text as text,
/// on a landscape page of `options.paper`, with the same layout); throws
/// output_error naming the path, and std::bad_alloc when Cairo has no memory
/// for the image.
void render_map(const std::vector<MapLayer>& layers, const MapOptions& options, const std::string& path);

/// The same map as an SVG document in a string (for inline use in HTML reports).
/// Text stays text (<text> elements), so titles and legends can be searched.
std::string render_svg(const std::vector<MapLayer>& layers, const MapOptions& options);

/// One panel of a figure of small multiples: its title and its layers, as
/// for a map (the first filled, the others outlined over it).
struct MapPanel {
    std::string title;
    std::vector<MapLayer> layers;
};

/// Small multiples: the panels in a grid on one page (the grid that shows
/// the land largest), under `options.title` and over one credit line. Every
/// panel shows the same extent at the same scale, so that they can be laid
/// side by side: `options.extent`, or the panels' first layers with a margin
/// (outlined layers reaching further are cut at the frame). Each panel has
/// its own legend, all of one width, and its own scale bar. Writes .png,
/// .svg or .pdf by extension; throws as render_map, and invalid_input for no
/// panel or a panel render_map would refuse.
void render_panels(const std::vector<MapPanel>& panels, const MapOptions& options, const std::string& path);
/// The same figure as an SVG document in a string; each panel is a group of class "panel".
std::string render_panels_svg(const std::vector<MapPanel>& panels, const MapOptions& options);

/// Panels that set polygon layers side by side: a panel per (title, layer),
/// the layer filled by category (a name the same colour in every panel,
/// shared_categorical_colours) with its units named by `label_attribute`
/// under the legend heading `legend_title`, and the same `outlines` over each.
std::vector<MapPanel> side_by_side(const std::vector<std::pair<std::string, const Layer*>>& titled_layers,
                                   const std::string& label_attribute, const std::string& legend_title,
                                   const std::vector<MapLayer>& outlines);

/// Categorical colours for a polygon layer such that touching units never
/// share a colour (greedy graph colouring, largest degree first, each unit
/// taking the least used colour its neighbours leave free; deterministic) from
/// Paul Tol's colour-blind-safe "light" palette, meant for areas under black
/// labels. Units touch when their boundaries come within 5 m of each other
/// (queen contiguity with snap, as contiguity_graph). Should a unit have
/// every palette colour among its neighbours, darker shades of the palette
/// follow. Returns one "#rrggbb" per feature; throws invalid_input for a
/// point layer.
std::vector<std::string> categorical_colours(const Layer& layer);

/// Categorical colours for polygon layers shown side by side: units of the
/// same name (else code) take the same colour in every layer, and units
/// that touch in any layer differ (the greedy colouring of
/// categorical_colours over the names). One list per layer, one colour per feature.
std::vector<std::vector<std::string>> shared_categorical_colours(const std::vector<const Layer*>& layers);

/// Quantile classes of a choropleth: class i holds the values in
/// (upper[i-1], upper[i]], the first class [min, upper[0]].
struct ChoroplethClasses {
    double min = 0;
    std::vector<double> upper;         ///< increasing; the last is the largest value
    std::vector<std::string> colours;  ///< one "#rrggbb" per class, in class order (light to dark, or dark to light)
    /// Every value classified is a whole number (ranks, deciles): class i > 0
    /// then holds upper[i-1]+1 to upper[i], and its legend says so.
    bool whole_numbers = false;
    /// Index of the class holding `value`; upper.size() for NaN (no data).
    std::size_t class_of(double value) const;
};

/// Colour of units without a value on choropleth maps.
inline constexpr const char* no_data_colour = "#888888";

/// Classes of the finite values by quantile: class i ends at the value of
/// rank ceil((i+1)·n/k) in increasing order, classes that would end at the
/// same value are merged, and the colours come from Paul Tol's colour-blind-
/// safe sequential YlOrBr ramp. `classes` 0 chooses 5 to 7 from the count
/// (Sturges' rule); never more classes than distinct values. Throws
/// invalid_input when no value is finite or `classes` exceeds 9.
ChoroplethClasses choropleth_classes(const std::vector<double>& values, std::size_t classes = 0);

/// Classes of the finite values under `options`: bounds by the method asked
/// for (classes that would end at the same value merged; never more classes
/// than distinct values, but for fixed bounds, which are kept as given so
/// that two maps of deciles compare), colours from the sequential ramp with
/// the dark end as asked. Throws invalid_input when no value is finite, for
/// more than max_classes, or for fixed bounds that are missing or not increasing.
ChoroplethClasses choropleth_classes(const std::vector<double>& values, const ClassingOptions& options);

// ------------------------------------------------------------- QGIS styles

/// QGIS style (QML) of a categorized renderer on `layer`'s code column
/// (the field written under the name Layer::code_column), one category per
/// feature with the feature's colour in `colours` (one "#rrggbb" per
/// feature, e.g. from categorical_colours), and labels from the field
/// `label_field` ("" = none) in 8 pt text with a white halo. Points get
/// markers, polygons fills with a thin grey border.
std::string qgis_categorical_qml(const Layer& layer, const std::vector<std::string>& colours,
                                 const std::string& label_field);

/// QGIS style of outlines only: no fill, lines of `colour` and `line_width`
/// points at 96 dpi (as MapLayer), labels from `label_field` ("" = none).
std::string qgis_outline_qml(const std::string& colour, double line_width, const std::string& label_field = {});

/// QGIS style of a graduated renderer on the numeric field `field` with the
/// classes and colours of `classes`, labels from `label_field` ("" = none).
std::string qgis_choropleth_qml(const std::string& field, const ChoroplethClasses& classes,
                                const std::string& label_field = {});

/// QGIS style of an ensemble's boundary_frequency line layer (field
/// `frequency`, the share of runs in which the edge is a footprint boundary):
/// a faint hairline for edges never a boundary, then ever darker and wider
/// lines for "in up to half the runs", "in more than half" and "in every
/// run", each named so in the legend.
std::string qgis_boundary_frequency_qml();

/// Styles for write_footprints: the footprints filled with categorical
/// colours (the colours a map of footprint_polygons shows) and labelled with
/// their names; with an ensemble, its boundary_frequency layer.
std::vector<LayerStyle> footprint_styles(const FootprintResult& result, const Layer& blocks);

/// Styles for write_intersection_table: the pieces shaded by the share of
/// their unit of A they hold (none for a table without rows).
std::vector<LayerStyle> overlay_styles(const IntersectionTable& table);

/// Styles for write_pcn_result: PCN footprints filled with categorical
/// colours and labelled with their names, and each practice a marker in the
/// colour of its PCN (grey when it has none).
std::vector<LayerStyle> pcn_styles(const PcnResult& result, const std::string& crs);

/// Writes the layers of a map to a GeoPackage (or any path VectorWriter
/// takes), one output layer per map layer named after its layer (with a
/// suffix when two share a name), with the code column, the layer's
/// attributes and, for a choropleth, its values in a field `value`; each is
/// styled for QGIS as the map draws it (the first layer filled, the others
/// outlined). Throws output_error.
void write_map_layers(const std::vector<MapLayer>& layers, const std::string& path);

}  // namespace render
}  // namespace placedef
