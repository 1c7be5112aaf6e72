// report.html: one self-contained page (inline CSS, SVG and scripts, Leaflet
// included, no external resources) that opens offline in any browser. Its
// only date is the drawing date (SOURCE_DATE_EPOCH when set) and it holds no
// timings, so that two runs of the same config on a day give the same file.
#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "placedef/render.hpp"
#include "placedef/study.hpp"

#include "placedef/text.hpp"
#include "study/results.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

namespace placedef::detail {

namespace {

std::string escape(const std::string& text) { return xml_escape(text); }

/// A number for people: thousands separated, `digits` decimals; "–" for NaN.
std::string number(double value, int digits) { return std::isfinite(value) ? grouped_number(value, digits) : "&ndash;"; }
std::string number(std::size_t value) { return number(static_cast<double>(value), 0); }
/// `html` with the space before each '%' made unbreakable, so that no line starts with "%".
std::string nbsp_before_percent(std::string html) {
    for (std::size_t at = html.find(" %"); at != std::string::npos; at = html.find(" %", at)) html.replace(at, 1, "&nbsp;");
    return html;
}

/// A share in [0, 1] as a percentage to one decimal ("47.9 %").
std::string percent(double share) {
    if (!std::isfinite(share)) return "&ndash;";
    std::string text = escape(percent_text(share));
    for (std::size_t at = text.find(' '); at != std::string::npos; at = text.find(' ', at)) text.replace(at, 1, "&nbsp;");
    return text;
}

/// A file by its name; a connection string (PG:...) as it is.
std::string shown_source(const std::string& source) {
    if (source.find(':') != std::string::npos && !std::filesystem::exists(source)) return source;
    return std::filesystem::path(source).filename().string();
}

/// Large values (ranks, scores in the thousands) without decimals, small ones with two.
std::string measure(double value) { return number(value, std::abs(value) >= 100 ? 0 : 2); }

/// Background of a cell holding a share in [0, 1]: a sequential blue ramp
/// (light is low), readable by colour-blind readers, with white text on the
/// dark end.
std::string shade(double value) {
    if (!std::isfinite(value)) return "";
    const double t = std::clamp(value, 0.0, 1.0);
    static constexpr int light[3] = {0xf7, 0xfb, 0xff}, dark[3] = {0x08, 0x45, 0x94};
    std::ostringstream out;
    out << " style=\"background:#" << std::hex << std::setfill('0');
    for (int c = 0; c < 3; ++c) out << std::setw(2) << static_cast<int>(std::lround(light[c] + t * (dark[c] - light[c])));
    out << (t > 0.55 ? ";color:#fff" : "") << '"';
    return out.str();
}

/// A file's bytes; empty when it cannot be read.
std::string file_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return in ? bytes.str() : std::string();
}

std::string base64(const std::string& bytes) {
    static constexpr char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                           static_cast<unsigned char>(bytes[i + 2]);
        for (int shift : {18, 12, 6, 0}) out += digits[(n >> shift) & 63];
    }
    if (i < bytes.size()) {
        const bool two = i + 1 < bytes.size();
        const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) |
                           (two ? static_cast<unsigned char>(bytes[i + 1]) << 8 : 0);
        out += digits[(n >> 18) & 63];
        out += digits[(n >> 12) & 63];
        out += two ? digits[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

/// Leaflet, to inline: its script, and its style sheet with the images it
/// names made data: URLs, so that the page fetches nothing. Empty when the
/// files are missing (the report then says why it has no interactive map).
struct Leaflet {
    std::string folder = PDEF_LEAFLET_DIR;
    std::string script, style;

    Leaflet() {
        const std::filesystem::path dir(folder);
        script = file_bytes(dir / "leaflet.js");
        style = file_bytes(dir / "leaflet.css");
        for (std::size_t at = style.find("url(images/"); at != std::string::npos; at = style.find("url(images/", at)) {
            const std::size_t end = style.find(')', at);
            if (end == std::string::npos) break;
            const std::string name = style.substr(at + 4, end - at - 4);
            const std::string image = file_bytes(dir / name);
            const std::string url = "url(data:image/png;base64," + base64(image) + ")";
            style.replace(at, end - at + 1, url);
            at += url.size();
        }
    }
    bool found() const { return !script.empty() && !style.empty(); }
};

/// The page's own script: the interactive map (when Leaflet is there) and
/// sortable tables. Texts come in as JSON and go out through textContent, never as HTML.
const char* page_script = R"(
(function () {
  function sortable(table) {
    var head = table.rows[0];
    Array.prototype.forEach.call(head.cells, function (th, column) {
      th.tabIndex = 0;
      th.title = 'Sort by this column';
      function sort() {
        var rows = Array.prototype.slice.call(table.rows, 1);
        var up = th.getAttribute('aria-sort') !== 'ascending';
        var text = function (row) { return row.cells[column] ? row.cells[column].textContent.trim() : ''; };
        var number = function (t) { var v = parseFloat(t.replace(/[,\u00a0<>%]/g, '')); return isNaN(v) ? null : v; };
        var numeric = rows.every(function (r) { var t = text(r); return t === '' || t === '\u2013' || number(t) !== null; });
        rows.sort(function (a, b) {
          var x = text(a), y = text(b), order;
          if (numeric) order = (number(x) === null ? -Infinity : number(x)) - (number(y) === null ? -Infinity : number(y));
          else order = x.localeCompare(y, undefined, {numeric: true});
          return up ? order : -order;
        });
        Array.prototype.forEach.call(head.cells, function (other) { other.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', up ? 'ascending' : 'descending');
        rows.forEach(function (row) { row.parentNode.appendChild(row); });
      }
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter') sort(); });
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), sortable);

  var data = document.getElementById('map-data');
  if (!data || typeof L === 'undefined') return;
  var spec = JSON.parse(data.textContent);
  var map = L.map('webmap', {zoomSnap: 0.25});
  var layers = {}, overlays = {}, bounds = null;
  function popup(properties) {
    var box = document.createElement('div');
    var title = document.createElement('b');
    title.textContent = properties.name || properties.code;
    box.appendChild(title);
    properties.lines.forEach(function (line) {
      box.appendChild(document.createElement('br'));
      box.appendChild(document.createTextNode(line));
    });
    return box;
  }
  spec.layers.forEach(function (layer) {
    var drawn = L.geoJSON(layer.features, {
      style: function (feature) {
        return layer.filled
          ? {color: layer.line, weight: layer.weight, fillColor: feature.properties.colour, fillOpacity: 0.6}
          : {color: layer.line, weight: layer.weight, fill: false};
      },
      onEachFeature: function (feature, shape) {
        shape.bindTooltip(feature.properties.name || feature.properties.code, {sticky: true});
        shape.bindPopup(function () { return popup(feature.properties); }, {maxWidth: 420});
      }
    });
    layers[layer.id] = drawn;
    overlays[layer.title] = drawn;
    if (layer.visible) drawn.addTo(map);
    var extent = drawn.getBounds();
    if (extent.isValid()) bounds = bounds ? bounds.extend(extent) : extent;
  });
  L.control.layers(null, overlays, {collapsed: false}).addTo(map);
  L.control.scale({imperial: false}).addTo(map);
  if (bounds) map.fitBounds(bounds);
  window.placedefMap = {
    map: map,
    layers: layers,
    count: function (id) { return layers[id] ? layers[id].getLayers().length : 0; }
  };
})();
)";

const char* style_sheet = R"(
body{font-family:"DejaVu Sans",Verdana,Arial,sans-serif;margin:0;color:#222;background:#fff;line-height:1.45}
dt{font-weight:bold;margin-top:.5em}dd{margin:0 0 .2em 1.5em}
header,main,footer{max-width:1180px;margin:0 auto;padding:0 20px}
header{border-bottom:3px solid #084594;padding-top:18px}
h1{font-size:1.7em;margin:0 0 4px}
h2{font-size:1.3em;border-bottom:1px solid #ccc;padding-bottom:3px;margin-top:2em}
h3{font-size:1.05em;margin-top:1.5em}
.meta{color:#555;font-size:.9em}
nav ol{columns:2;font-size:.95em}
table{border-collapse:collapse;font-size:.85em;margin:8px 0 14px}
th,td{border:1px solid #ccc;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#eef2f7}
td.n{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:14px 0}
figure svg{width:100%;height:auto;max-width:1100px;border:1px solid #ddd}
figcaption{font-size:.85em;color:#555}
td.split{background:#fff3e0}
.note{background:#fff8e1;border-left:4px solid #f0b400;padding:6px 10px;font-size:.9em}
.key span{display:inline-block;padding:1px 8px;font-size:.8em}
footer{color:#666;font-size:.8em;border-top:1px solid #ccc;margin-top:3em;padding-bottom:20px}
#webmap{height:640px;border:1px solid #ccc;margin:10px 0}
th[aria-sort=ascending]:after{content:" \25B2"}th[aria-sort=descending]:after{content:" \25BC"}
table.sortable th{cursor:pointer}
@media screen{table.footprints{display:block;overflow-x:auto;max-width:100%}}
@media print{
@page{size:A4;margin:10mm}
.code,.rel{display:none}
body{font-size:8.5pt;line-height:1.3}
header,main,footer{max-width:none;padding:0}
nav,#interactive,.screen-only{display:none}
h2{margin-top:1em}
#pcn,section[id^=run-]{break-before:page}
#files{display:none}
#glossary dl{columns:2;column-gap:2em}
h2,h3{break-after:avoid}
figure{break-inside:avoid;margin:6px 0}
figure svg{max-height:8.5cm;width:auto;max-width:100%}
figure[id^=map-coterminosity]{display:none}
table{font-size:6.5pt;margin:4px 0 8px;line-height:1.15;width:100%}
th,td{padding:1px 3px}
tr{break-inside:avoid}
a{color:inherit;text-decoration:none}
}
)";

class Report {
public:
    explicit Report(const StudyResults& results) : m_results(results), m_config(*results.config) {}

    std::string html() {
        m_out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
              << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
              << "<title>" << escape(m_config.title) << " &ndash; placedef study</title>\n"
              << "<style>" << style_sheet << "</style>\n";
        if (m_leaflet.found()) m_out << "<style>" << m_leaflet.style << "</style>\n";
        m_out << "</head>\n<body>\n";
        header();
        m_out << "<main>\n";
        contents();
        summary();
        interactive_map();
        layers();
        matrix();
        if (m_results.pcn_set) footprint_section(*m_results.pcn_set, "pcn");
        for (const FootprintSet& set : m_results.runs) footprint_section(set, "run-" + set.id);
        divisions();
        deprivation();
        for (const ComparisonSection& comparison : m_results.comparisons) comparison_section(comparison);
        for (const FlowsSection& section : m_results.flows) flows_section(section);
        problems();
        glossary();
        files();
        m_out << "</main>\n<footer><p>Made by placedef " << PDEF_VERSION
              << ". The words of the tables are explained in the <a href=\"#glossary\">glossary</a>.</p>"
                 "</footer>\n";
        if (m_leaflet.found()) m_out << "<script>" << m_leaflet.script << "</script>\n";
        m_out << "<script>" << page_script << "</script>\n</body>\n</html>\n";
        return m_out.str();
    }

private:
    const StudyResults& m_results;
    const StudyConfig& m_config;
    const Leaflet m_leaflet;
    std::ostringstream m_out;

    void interactive_map() {
        m_out << "<section id=\"interactive\">\n<h2>Interactive map</h2>\n";
        if (!m_leaflet.found()) {
            m_out << "<p class=\"note\">No interactive map: Leaflet (Debian package libjs-leaflet) was not found in "
                  << escape(m_leaflet.folder) << " when this report was made. The maps below show the same layers.</p>\n"
                  << "</section>\n";
            return;
        }
        m_out << "<p>Turn layers on and off with the box at the top right. Hover over a unit for its name; click it "
                 "for its people, its main units and the units of the other layers it falls in. Divisions and "
                 "districts are outlines: point at a line.</p>\n<div id=\"webmap\"></div>\n"
                 "<script type=\"application/json\" id=\"map-data\">"
              << web_map_json(m_results) << "</script>\n</section>\n";
    }

    const MapFigure* map(const std::string& id) const {
        for (const MapFigure& figure : m_results.maps)
            if (figure.id == id) return &figure;
        return nullptr;
    }
    void figure(const std::string& id) {
        const MapFigure* f = map(id);
        if (!f) return;
        m_out << "<figure id=\"map-" << escape(id) << "\">\n" << f->svg << "\n<figcaption>" << escape(f->caption)
              << " Also as <a href=\"" << escape(f->png) << "\">" << escape(f->png) << "</a>";
        if (!f->pdf.empty()) m_out << " and <a href=\"" << escape(f->pdf) << "\">" << escape(f->pdf) << "</a> (to print)";
        m_out << ".</figcaption>\n</figure>\n";
    }
    void shade_key() {
        m_out << "<p class=\"key\">Shading: ";
        for (double v : {0.0, 0.25, 0.5, 0.75, 1.0}) m_out << "<span" << shade(v) << ">" << number(v, 2) << "</span>";
        m_out << "</p>\n";
    }

    void header() {
        m_out << "<header>\n<h1>" << escape(m_config.title) << "</h1>\n<p class=\"meta\">Study config <code>"
              << escape(std::filesystem::path(m_config.path).filename().string()) << "</code>; study CRS "
              << escape(m_config.read.study_crs) << "; tolerance &epsilon; " << number(m_config.scoring.tolerance, 3)
              << " of area, " << number(m_config.scoring.distance, 0) << " m for boundary alignment; pieces under "
              << number(100 * m_config.scoring.min_share, 1) << " % are not counted as fragments.</p>\n"
              << "<p class=\"meta\">Made " << escape(drawing_date()) << ". Data: " << escape(vintages()) << ".</p>\n</header>\n";
    }

    /// Every input by its vintage (the config's, else its title), in config order.
    std::string vintages() const {
        std::vector<std::string> items;
        for (const StudyLayer& c : m_config.layers) items.push_back(c.vintage.empty() ? c.title : c.vintage);
        for (const auto* table : {&m_config.population, &m_config.deprivation})
            if (*table) items.push_back((*table)->vintage.empty() ? (*table)->title : (*table)->vintage);
        return join(items);
    }

    void contents() {
        m_out << "<nav><h2>Contents</h2><ol>\n<li><a href=\"#summary\">Summary</a></li>\n"
              << "<li><a href=\"#interactive\">Interactive map</a></li>\n"
              << "<li><a href=\"#layers\">Layers</a></li>\n";
        if (!m_results.matrix.layers.empty()) m_out << "<li><a href=\"#matrix\">Co-terminosity matrix</a></li>\n";
        if (m_results.pcn_set) m_out << "<li><a href=\"#pcn\">" << escape(m_results.pcn_set->title) << "</a></li>\n";
        for (const FootprintSet& set : m_results.runs)
            m_out << "<li><a href=\"#run-" << escape(set.id) << "\">" << escape(set.title) << "</a></li>\n";
        for (const StudyLayer* local : division_layers())
            m_out << "<li><a href=\"#in-" << escape(local->name) << "\">" << escape(local->title)
                  << " and footprints</a></li>\n";
        if (map("deprivation") || !m_results.most_deprived.empty())
            m_out << "<li><a href=\"#deprivation\">Deprivation</a></li>\n";
        for (const ComparisonSection& comparison : m_results.comparisons)
            m_out << "<li><a href=\"#compare-" << escape(comparison.id) << "\">" << escape(comparison.title) << "</a></li>\n";
        for (const FlowsSection& section : m_results.flows)
            m_out << "<li><a href=\"#flows-" << escape(section.id) << "\">" << escape(section.title) << "</a></li>\n";
        m_out << "<li><a href=\"#problems\">Problems</a></li>\n<li><a href=\"#glossary\">Glossary</a></li>\n"
                 "<li><a href=\"#files\">Files</a></li>\n</ol></nav>\n";
    }

    void summary() {
        m_out << "<section id=\"summary\">\n<h2>Summary</h2>\n<ul>\n<li>" << m_results.layers.size() << " layers";
        if (m_results.population) {
            double people = 0;
            for (double p : m_results.population->population) people += p;
            m_out << "; " << number(people, 0) << " people in " << escape(m_config.population->layer) << " ("
                  << escape(m_config.population->title) << ")";
        }
        m_out << ".</li>\n";
        if (!m_results.matrix.layers.empty())
            m_out << "<li>Co-terminosity of " << m_results.matrix.layers.size() << " layers, each scored against each.</li>\n";
        auto set_line = [&](const FootprintSet& set) {
            m_out << "<li" << classes(set) << ">" << escape(set.title) << ": " << set.rows.size() << " footprints";
            for (std::size_t t = 0; t < set.targets.size(); ++t)
                m_out << "; co-terminosity index " << number(set.reports[t].a_in_b.coterminosity_index, 3) << " against "
                      << escape(m_results.title_of(set.targets[t]));
            if (set.ensemble_runs > 0) {
                const auto unstable = static_cast<std::size_t>(std::count_if(
                    set.membership.begin(), set.membership.end(), [](const Membership& m) { return m.unstable; }));
                m_out << "; " << unstable << " of " << set.membership.size() << " blocks unstable over "
                      << set.ensemble_runs << " runs";
            }
            m_out << ".</li>\n";
        };
        if (m_results.pcn_set) set_line(*m_results.pcn_set);
        for (const FootprintSet& set : m_results.runs) set_line(set);
        m_out << "<li>" << m_results.problems->count() << (m_results.problems->count() == 1 ? " problem" : " problems")
              << " reported"
              << (m_results.problems->count() ? " (see <a href=\"#problems\">Problems</a>)" : "") << ".</li>\n</ul>\n";
        for (const std::string& note : m_results.notes) m_out << "<p class=\"note\">" << escape(note) << "</p>\n";
        m_out << "</section>\n";
    }

    void layers() {
        m_out << "<section id=\"layers\">\n<h2>Layers</h2>\n<table class=\"sortable\">\n<tr><th>name</th><th>title</th><th>role</th>"
                 "<th>source</th><th>code column</th><th>CRS (source)</th><th>units</th><th>area km&sup2;</th>"
                 "<th>problems</th></tr>\n";
        for (std::size_t i = 0; i < m_results.layers.size(); ++i) {
            const Layer& layer = m_results.layers[i];
            const StudyLayer& c = m_config.layers[i];
            const LayerInfo& info = m_results.info[i];
            m_out << "<tr><td>" << escape(c.name) << "</td><td>" << escape(c.title) << "</td><td>" << to_string(c.role)
                  << "</td><td>" << escape(shown_source(layer.source))
                  << (c.address.layer.empty() ? std::string() : ":" + escape(c.address.layer))
                  << "</td><td>" << escape(layer.code_column) << (layer.code_column_guessed ? " (guessed)" : "")
                  << "</td><td>" << escape(layer.crs) << " (" << escape(layer.source_crs) << ")</td><td class=\"n\">"
                  << number(layer.size()) << (layer.kind == LayerKind::point ? " points" : "");
            if (info.before_clip)
                m_out << "<br><small>of " << number(info.before_clip) << ", in " << escape(c.clip)
                      << (c.clip_codes.empty() ? std::string() : " " + escape(join(c.clip_codes))) << "</small>";
            m_out << "</td><td class=\"n\">" << number(info.area_km2, 1) << "</td><td class=\"n\">" << info.problems
                  << "</td></tr>\n";
        }
        m_out << "</table>\n";
        figure("overview");
        m_out << "</section>\n";
    }

    static std::string join(const std::vector<std::string>& items) {
        std::string text;
        for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
        return text;
    }

    /// One score of every pair; only the first (`printed`) goes to paper, to keep the print short.
    void matrix_table(const char* title, double LayerScore::*field, bool printed = false) {
        const Matrix& matrix = m_results.matrix;
        const char* screen_only = printed ? "" : " screen-only";
        m_out << "<div class=\"matrix-block" << screen_only << "\"><h3>" << title
              << "</h3>\n<table class=\"matrix\">\n<tr><th>row in column</th>";
        for (const std::string& name : matrix.layers) m_out << "<th>" << escape(name) << "</th>";
        m_out << "</tr>\n";
        for (std::size_t i = 0; i < matrix.layers.size(); ++i) {
            m_out << "<tr><th>" << escape(matrix.layers[i]) << "</th>";
            for (const LayerScore& score : matrix.scores[i])
                m_out << "<td class=\"n\"" << shade(score.*field) << ">" << number(score.*field, 3) << "</td>";
            m_out << "</tr>\n";
        }
        m_out << "</table></div>\n";
    }

    void matrix() {
        if (m_results.matrix.layers.empty()) return;
        m_out << "<section id=\"matrix\">\n<h2>Co-terminosity matrix</h2>\n"
              << "<p>Each row's layer is scored against each column's layer. The <b>co-terminosity index</b> is the "
                 "area-weighted mean, over the row's units, of their largest share in one unit of the column's layer: "
                 "1 means every unit lies wholly in one unit of the other layer. The <b>nesting rate</b> is the share "
                 "of units nested (share &ge; "
              << number(m_config.scoring.tolerance, 3)
              << "), and <b>boundary alignment</b> the share of boundary length within "
              << number(m_config.scoring.distance, 0) << " m of the other layer's boundaries.</p>\n";
        shade_key();
        matrix_table("Co-terminosity index", &LayerScore::coterminosity_index, true);
        if (m_results.population && m_config.matrix_population)
            matrix_table("Co-terminosity index, population-weighted", &LayerScore::coterminosity_index_pop);
        matrix_table("Nesting rate", &LayerScore::nesting_rate);
        if (m_config.alignment) matrix_table("Boundary alignment", &LayerScore::boundary_alignment);
        m_out << "<p>All figures: <a href=\"matrix.csv\">matrix.csv</a>.</p>\n</section>\n";
    }

    /// The class attribute of what belongs to a footprint set (`also`, and screen-only for a
    /// set left out of the print), or "" for none.
    static std::string classes(const FootprintSet& set, const std::string& also = {}) {
        const std::string names = also + (set.printed ? "" : (also.empty() ? "" : " ") + std::string("screen-only"));
        return names.empty() ? std::string() : " class=\"" + names + "\"";
    }

    void footprint_section(const FootprintSet& set, const std::string& anchor) {
        m_out << "<section id=\"" << escape(anchor) << "\"" << classes(set) << ">\n<h2>" << escape(set.title) << "</h2>\n";
        for (const std::string& line : set.summary) m_out << "<p>" << escape(line) << "</p>\n";
        for (std::size_t t = 0; t < set.targets.size(); ++t) {
            const LayerScore& s = set.reports[t].a_in_b;
            m_out << "<p>Against <b>" << escape(m_results.title_of(set.targets[t])) << "</b> (" << escape(set.targets[t])
                  << "): co-terminosity index "
                  << number(s.coterminosity_index, 3);
            if (std::isfinite(s.coterminosity_index_pop)) m_out << " (population-weighted " << number(s.coterminosity_index_pop, 3) << ")";
            m_out << "; " << s.count(Relation::coterminous) << " co-terminous, " << s.count(Relation::nested) << " nested, "
                  << s.count(Relation::built_from) << " built from its units, " << s.count(Relation::split) << " split, of "
                  << s.scored << " scored.</p>\n";
        }
        figure(set.id == "pcn" ? "pcn" : "footprints_" + set.id);
        figure("coterminosity_" + set.id);
        const bool deprivation = m_config.deprivation.has_value();
        const std::string& score = m_results.deprivation_score_column;
        const std::string& rank = m_results.deprivation_rank_column;
        if (deprivation && score.empty())
            m_out << "<p class=\"note\">No mean deprivation is shown: " << escape(m_config.deprivation->column)
                  << " is a rank, and ranks do not average. A score column ([deprivation] score) gives one.</p>\n";
        m_out << "<table class=\"sortable footprints\">\n<tr><th>code</th><th>name</th><th class=\"rel\">"
              << escape(set.members_word) << "</th><th>population</th><th>area km&sup2;</th><th class=\"rel\">parts</th>";
        if (deprivation && !score.empty())
            m_out << "<th>mean " << escape(score) << (m_results.population ? " (population-weighted)" : " (area-weighted)")
                  << "</th>";
        const bool deciles = !m_results.deprivation_deciles.empty();
        if (deciles)
            m_out << "<th>" << (m_results.population ? "people" : "share of area")
                  << " in national deprivation deciles 1&ndash;2</th>";
        if (deprivation) m_out << "<th>most deprived unit (" << escape(rank.empty() ? score : rank) << ")</th>";
        // The main unit is the one holding most of the footprint's people (most of its area without a
        // population), and the share shown is of that same measure.
        const char* measure_word = m_results.population ? "people" : "area";
        for (const std::string& target : set.targets) {
            const std::string title = escape(m_results.title_of(target));
            m_out << "<th class=\"rel\">against " << title << ": relation</th><th>main unit of " << title << ": share of "
                  << measure_word << "</th>";
        }
        m_out << "</tr>\n";
        for (const FootprintRow& row : set.rows) {
            m_out << "<tr><td>" << escape(row.code) << "</td><td>" << escape(row.name) << "</td><td class=\"n rel\">"
                  << number(row.members) << "</td><td class=\"n\">" << number(row.population, 0) << "</td><td class=\"n\">"
                  << number(row.area_km2, 1) << "</td><td class=\"n rel\">" << row.parts << "</td>";
            const FootprintDeprivation& d = row.deprivation;
            if (deprivation && !score.empty()) m_out << "<td class=\"n\">" << number(d.mean_score, 1) << "</td>";
            if (deciles)
                m_out << "<td class=\"n\">"
                      << (m_results.population ? number(d.people_deciles_1_2, 0) + " (" + percent(d.share_deciles_1_2) + ")"
                                               : percent(d.share_deciles_1_2))
                      << "</td>";
            if (deprivation) {
                const DeprivedUnit& worst = d.most_deprived;
                m_out << "<td>";
                if (!worst.code.empty())
                    m_out << (worst.name.empty() ? "" : escape(worst.name) + " ") << "(" << escape(worst.code) << "): "
                          << measure(rank.empty() ? worst.score : worst.rank);
                m_out << "</td>";
            }
            for (std::size_t t = 0; t < set.targets.size(); ++t) {
                const UnitRelation& fit = row.fits[t];
                const MainUnit main = main_unit(fit);
                const std::string name = m_results.unit_name(set.targets[t], main.code);
                m_out << "<td class=\"rel\">" << to_string(fit.relation) << (fit.fragmentation > 1 ? " (" + std::to_string(fit.fragmentation) + " units)" : "")
                      << "</td><td" << shade(main.share) << ">" << percent(main.share) << ": "
                      << (name.empty() ? escape(main.code) : escape(name) + " <span class=\"code\">(" + escape(main.code) + ")</span>") << "</td>";
            }
            m_out << "</tr>\n";
        }
        m_out << "</table>\n";
        if (!set.targets.empty()) shade_key();
        m_out << "</section>\n";
    }

    /// The layers a reader is asked to place in footprints unit by unit: the divisions.
    std::vector<const StudyLayer*> division_layers() const {
        std::vector<const StudyLayer*> out;
        if (m_results.runs.empty() && !m_results.pcn_set) return out;
        for (const StudyLayer& c : m_config.layers)
            if (c.role == LayerRole::division) out.push_back(&c);
        return out;
    }

    /// Division by division: the footprints of each set that each division falls in, with its people.
    void divisions() {
        for (const StudyLayer* local : division_layers()) {
            const std::string title = escape(local->title);
            m_out << "<section id=\"in-" << escape(local->name) << "\">\n<h2>" << title << " and footprints</h2>\n";
            const std::vector<const FootprintSet*> sets = m_results.footprint_sets();
            std::vector<std::vector<const CrosswalkUnit*>> columns;
            for (const FootprintSet* set : sets) {
                std::vector<const CrosswalkUnit*> units;
                for (const CrosswalkUnit& unit : set->crosswalk)
                    if (unit.layer == local->name && unit.other_layer == set->id) units.push_back(&unit);
                const auto whole = std::count_if(units.begin(), units.end(), [](const CrosswalkUnit* u) {
                    return u->status == CrosswalkStatus::whole;
                });
                m_out << "<p" << classes(*set) << ">" << escape(set->title) << ": " << whole << " of " << units.size()
                      << " lie wholly in one footprint; the others are split between footprints.</p>\n";
                columns.push_back(std::move(units));
            }
            m_out << "<p>Each unit with the footprints it falls in and the share of its "
                  << (m_results.population ? "people" : "area") << " in each, largest first. Both ways, for every "
                  << "district, division and ward layer: <a href=\"crosswalks.csv\">crosswalks.csv</a>.</p>\n"
                  << "<table class=\"sortable\">\n<tr><th class=\"code\">code</th><th>name</th>";
            for (const FootprintSet* set : sets) m_out << "<th" << classes(*set) << ">" << escape(set->title) << "</th>";
            m_out << "</tr>\n";
            const std::size_t rows = columns.empty() ? 0 : columns.front().size();
            for (std::size_t r = 0; r < rows; ++r) {
                const CrosswalkUnit& first = *columns.front()[r];
                m_out << "<tr><td class=\"code\">" << escape(first.code) << "</td><td>" << escape(first.name) << "</td>";
                for (std::size_t c = 0; c < columns.size(); ++c) {
                    const std::vector<const CrosswalkUnit*>& column = columns[c];
                    if (r >= column.size()) continue;  // every set is read against the same units
                    const CrosswalkUnit& unit = *column[r];
                    m_out << "<td" << classes(*sets[c], unit.status == CrosswalkStatus::whole ? "" : "split") << ">"
                          << nbsp_before_percent(escape(falls_in_text(unit))) << "</td>";
                }
                m_out << "</tr>\n";
            }
            m_out << "</table>\n</section>\n";
        }
    }

    void deprivation() {
        if (!map("deprivation") && m_results.most_deprived.empty()) return;
        m_out << "<section id=\"deprivation\">\n<h2>Deprivation</h2>\n";
        if (map("deprivation")) figure("deprivation");
        most_deprived_table();
        m_out << "</section>\n";
    }

    /// The most deprived units with the footprint of each run they lie in.
    void most_deprived_table() {
        if (m_results.most_deprived.empty()) return;
        const StudyTable& table = *m_config.deprivation;
        m_out << "<h3>The " << m_results.most_deprived.size() << " most deprived units of "
              << escape(m_results.title_of(table.layer)) << "</h3>\n<p>Most deprived first, by "
              << escape(table.title) << ", with the footprint each lies in (most of its "
              << (m_results.population ? "people" : "area") << "). Also in "
              << "<a href=\"most_deprived.csv\">most_deprived.csv</a>.</p>\n<table class=\"sortable\">\n<tr><th>order</th><th>code</th><th>name</th>";
        const std::string& rank = m_results.deprivation_rank_column;
        const std::string& score = m_results.deprivation_score_column;
        if (!rank.empty()) m_out << "<th>" << escape(rank) << "</th>";
        if (!score.empty()) m_out << "<th>" << escape(score) << "</th>";
        m_out << "<th>national decile</th>";
        for (const FootprintSet& set : m_results.runs) m_out << "<th" << classes(set) << ">" << escape(set.title) << "</th>";
        m_out << "</tr>\n";
        std::size_t order = 0;
        for (const DeprivedUnitRow& row : m_results.most_deprived) {
            const DeprivedUnit& unit = row.unit;
            m_out << "<tr><td class=\"n\">" << ++order << "</td><td>" << escape(unit.code) << "</td><td>" << escape(unit.name)
                  << "</td>";
            if (!rank.empty()) m_out << "<td class=\"n\">" << measure(unit.rank) << "</td>";
            if (!score.empty()) m_out << "<td class=\"n\">" << number(unit.score, 1) << "</td>";
            m_out << "<td class=\"n\">" << number(unit.decile, 0) << "</td>";
            for (std::size_t r = 0; r < m_results.runs.size(); ++r) {
                const std::string& code = row.footprints[r];
                const std::string name = m_results.unit_name(m_results.runs[r].id, code);
                m_out << "<td" << classes(m_results.runs[r]) << ">" << escape(name.empty() ? code : name) << "</td>";
            }
            m_out << "</tr>\n";
        }
        m_out << "</table>\n";
    }

    void shown_table(const ShownTable& table) {
        m_out << "<table class=\"sortable\">\n<tr>";
        for (const std::string& heading : table.header) m_out << "<th>" << escape(heading) << "</th>";
        m_out << "</tr>\n";
        for (const std::vector<std::string>& row : table.rows) {
            m_out << "<tr>";
            for (std::size_t c = 0; c < row.size(); ++c)
                m_out << (c < table.numeric.size() && table.numeric[c] ? "<td class=\"n\">" : "<td>")
                      << nbsp_before_percent(escape(row[c])) << "</td>";
            m_out << "</tr>\n";
        }
        m_out << "</table>\n";
    }

    /// Proposals side by side: the scorecard, the balance and the blocks that change place.
    void comparison_section(const ComparisonSection& c) {
        const std::string file = "comparison_" + c.id;
        // On screen only: the printed report keeps to its pages (issue 17), and the tables are in the CSVs.
        m_out << "<section id=\"compare-" << escape(c.id) << "\" class=\"screen-only\">\n<h2>" << escape(c.title)
              << "</h2>\n<ul>\n";
        for (const std::string& sentence : c.summary) m_out << "<li>" << nbsp_before_percent(escape(sentence)) << "</li>\n";
        m_out << "</ul>\n<h3>Scorecard</h3>\n<p>Each proposal against each partner: the partner's units that fall in "
                 "more than one place and the people in them, how much of each partner unit lies in one place (by area "
                 "and by people), how much of each place lies in one partner unit, and the share of the places' inner "
                 "lines that run along the partner's. Also in <a href=\""
              << escape(file) << ".csv\">" << escape(file) << ".csv</a>.</p>\n";
        shown_table(c.scorecard);
        if (!c.figures.empty()) m_out << "<h3>Maps</h3>\n";
        for (const auto& figure_of_partner : c.figures) figure("comparison_" + c.id + "_" + figure_of_partner.first);
        m_out << "<h3>Balance, deprivation and shape</h3>\n<p>People per place, how much place sizes vary (CV: the "
                 "coefficient of variation), the share of each place's people in the country's most deprived fifth "
                 "of neighbourhoods (national deciles 1-2), places in more than one piece, and the least compact "
                 "place (Polsby-Popper: 1 for a circle).</p>\n";
        shown_table(c.proposals);
        if (!c.moves.rows.empty()) {
            m_out << "<h3>Differences</h3>\n<p>Each place of a proposal goes on as the place of the next that holds "
                     "most of its people; these blocks go elsewhere (block by block in <a href=\""
                  << escape(file) << "_moves.csv\">" << escape(file) << "_moves.csv</a>; the partner units that sit "
                     "differently in <a href=\"" << escape(file) << "_partner_changes.csv\">" << escape(file)
                  << "_partner_changes.csv</a>).</p>\n";
            shown_table(c.moves);
        }
        m_out << "</section>\n";
    }

    /// Functional areas from commuting flows: what they are, each area, the reserve and the scores.
    void flows_section(const FlowsSection& f) {
        const std::string file = "flows_" + f.id;
        // On screen only, as comparisons are: the printed report keeps to its pages.
        m_out << "<section id=\"flows-" << escape(f.id) << "\" class=\"screen-only\">\n<h2>" << escape(f.title)
              << "</h2>\n<p>Areas where most people who live there work there, and most people who work there live "
                 "there, built from commuting flows by the Coombes and Bond method of the official travel-to-work "
                 "areas, with one difference: an area only ever takes units it touches, so each is one piece of "
                 "land.</p>\n<ul>\n";
        for (const std::string& sentence : f.summary) m_out << "<li>" << nbsp_before_percent(escape(sentence)) << "</li>\n";
        m_out << "</ul>\n";
        figure(file);
        m_out << "<h3>Areas</h3>\n<p>Residents in work live in the area; jobs are in it. The supply side is the share "
                 "of its residents in work who work in it, the demand side the share of its jobs held by its residents. "
                 "Validity is 1 or more when the area is large and self-contained enough for the rules. Also in <a href=\""
              << escape(file) << ".csv\">" << escape(file) << ".csv</a>, unit by unit in <a href=\"" << escape(file)
              << "_membership.csv\">" << escape(file) << "_membership.csv</a>.</p>\n";
        shown_table(f.areas);
        if (!f.reserve.rows.empty()) {
            m_out << "<h3>Reserve</h3>\n<p>Units that would have lowered the validity of the area they were most tied "
                     "to, in the order they were set aside, and where they were placed at the end: the touching area they "
                     "are most tied to among those that still meet the rule with them.</p>\n";
            shown_table(f.reserve);
        }
        if (!f.scores.rows.empty()) {
            m_out << "<h3>Against other boundaries</h3>\n<p>How the areas sit in each layer's units (an area in one "
                     "unit lies wholly in it), and each layer's units in the areas; the index is the area-weighted "
                     "share of each lying in its main unit.</p>\n";
            shown_table(f.scores);
        }
        m_out << "</section>\n";
    }

    /// Whether a problem is about a feature that lies outside the study area
    /// (a GP practice elsewhere in England); false when that cannot be told.
    bool outside(const Problem& problem, const std::vector<const MultiPolygon*>& area) const {
        if (area.empty() || !problem.where.fid) return false;
        for (const Layer& layer : m_results.layers) {
            if (layer.source != problem.where.file) continue;
            for (const Feature& feature : layer.features) {
                if (feature.fid != *problem.where.fid) continue;
                if (layer.kind == LayerKind::point && !feature.located) return false;
                const Coord at = layer.kind == LayerKind::point ? feature.point : point_on_surface(feature.shape);
                return std::none_of(area.begin(), area.end(), [&](const MultiPolygon* shape) { return covers(*shape, at); });
            }
        }
        return false;
    }

    void problems() {
        const ProblemSink& sink = *m_results.problems;
        m_out << "<section id=\"problems\">\n<h2>Problems</h2>\n";
        if (!sink.count()) {
            m_out << "<p>No problem was reported: every feature was read as it is.</p>\n</section>\n";
            return;
        }
        m_out << "<p>Bad features never stop the run or vanish: each is repaired, skipped or kept as the policy says "
                 "(here <code>"
              << to_string(m_config.read.invalid) << "</code>), and listed here.</p>\n<table>\n<tr><th>problem</th><th>action</th><th>count</th></tr>\n";
        for (const auto& [key, count] : sink.tally())
            m_out << "<tr><td>" << to_string(key.first) << "</td><td>" << to_string(key.second) << "</td><td class=\"n\">"
                  << count << "</td></tr>\n";
        m_out << "</table>\n";
        // Features outside the study area (practices elsewhere in England) are counted, not listed.
        std::vector<const MultiPolygon*> area;
        if (const StudyResults::Area bound = m_results.area(); !bound.clip.empty())
            for (const Feature& unit : m_results.layer(bound.clip).features)
                if (bound.holds(unit)) area.push_back(&unit.shape);
        std::vector<const Problem*> inside;
        std::size_t beyond = 0;
        for (const Problem& p : sink.problems()) {
            if (outside(p, area)) ++beyond;
            else inside.push_back(&p);
        }
        constexpr std::size_t shown = 300;
        if (!inside.empty()) {
            m_out << "<table class=\"sortable screen-only\">\n<tr><th>problem</th><th>action</th><th>where</th><th>detail</th></tr>\n";
            for (std::size_t i = 0; i < std::min(shown, inside.size()); ++i) {
                const Problem& p = *inside[i];
                m_out << "<tr><td>" << to_string(p.kind) << "</td><td>" << to_string(p.action) << "</td><td>"
                      << escape(p.where.describe()) << "</td><td>" << escape(p.detail) << "</td></tr>\n";
            }
            m_out << "</table>\n";
        }
        if (inside.size() > shown)
            m_out << "<p>" << inside.size() - shown << " more in the study area in <a href=\"problems.csv\">problems.csv</a>.</p>\n";
        if (beyond > 0)
            m_out << "<p>" << beyond << (beyond == 1 ? " problem concerns a feature" : " problems concern features")
                  << " outside the study area (such as GP practices elsewhere in England): counted above, listed in "
                     "<a href=\"problems.csv\">problems.csv</a>.</p>\n";
        m_out << "</section>\n";
    }

    /// The words of the tables, for a reader who has not met them.
    void glossary() {
        static const std::pair<const char*, const char*> terms[] = {
            {"layer", "one partner's map: a set of units that do not overlap (divisions, districts, PCN footprints, ...)."},
            {"unit", "one area of a layer: a division, a district, a PCN footprint, a town footprint."},
            {"footprint", "an area built by placedef from small areas (LSOAs): a town footprint, or a PCN footprint "
                          "from the GP practices of a Primary Care Network."},
            {"co-terminous", "two units that cover the same ground (each holds at least the tolerance of the other)."},
            {"nested", "a unit lying wholly (to the tolerance) inside one unit of the other layer; where that layer's "
                       "units overlap, a unit can be nested in two."},
            {"built from", "a unit made up (to the tolerance) of whole units of the other layer."},
            {"split", "a unit divided between units of the other layer; the number in brackets says between how many."},
            {"main unit", "the unit of the other layer holding most of a footprint's people (most of its area when no "
                          "population is given); its share is of the same measure."},
            {"co-terminosity index", "the area-weighted mean, over a layer's units, of their largest share in one unit "
                                     "of the other layer: 1 when every unit lies wholly in one unit."},
            {"tolerance", "the share treated as \"all\" (0.995 unless the study says otherwise), because partners' "
                          "maps are drawn independently and their shared edges differ by metres."},
            {"IMD decile", "the Index of Multiple Deprivation places each LSOA of England in a tenth: decile 1 holds the "
                           "most deprived 10 % nationally, decile 10 the least; ranks run from 1, the most deprived."},
        };
        m_out << "<section id=\"glossary\">\n<h2>Glossary</h2>\n<dl>\n";
        for (const auto& [term, meaning] : terms) m_out << "<dt>" << term << "</dt><dd>" << escape(meaning) << "</dd>\n";
        m_out << "</dl>\n</section>\n";
    }

    void files() {
        m_out << "<section id=\"files\">\n<h2>Files</h2>\n<ul>\n";
        auto item = [&](const std::string& file, const std::string& what) {
            m_out << "<li><a href=\"" << escape(file) << "\">" << escape(file) << "</a>: " << escape(what) << "</li>\n";
        };
        item("study.gpkg", "every result layer, styled for QGIS");
        item("layers.csv", "the layers and their problems");
        if (!m_results.matrix.layers.empty()) item("matrix.csv", "every ordered pair of layers scored");
        if (m_results.pcn_set) item("pcn.csv", "the PCN footprints");
        if (!m_results.runs.empty()) {
            item("footprints.csv", "the town footprints of every run");
            item("membership.csv", "each block's footprint, per run");
        }
        if (std::any_of(m_results.runs.begin(), m_results.runs.end(), [](const FootprintSet& set) { return set.ensemble_runs > 0; }))
            item("boundary_frequency.csv", "runs with an ensemble: how often each shared edge of the blocks was a footprint "
                                           "boundary (stability per block is in membership.csv)");
        if (!m_results.most_deprived.empty()) item("most_deprived.csv", "the most deprived units and their footprints");
        if (!m_results.footprint_sets().empty())
            item("crosswalks.csv", "each footprint in the units of every district, division and ward layer, and "
                                   "each of their units in the footprints, with people and shares");
        for (const ComparisonSection& c : m_results.comparisons) {
            item("comparison_" + c.id + ".csv", c.title + ": the scorecard (and the tables beside it)");
            item("comparison_" + c.id + ".gpkg", c.title + ": every proposal's places, styled for QGIS");
        }
        for (const FlowsSection& f : m_results.flows) {
            item("flows_" + f.id + ".csv", f.title + ": the areas");
            item("flows_" + f.id + "_membership.csv", f.title + ": each unit's area, and how it was placed");
            item("flows_" + f.id + ".gpkg", f.title + ": the areas and the membership, styled for QGIS");
        }
        item("problems.csv", "every reported problem");
        for (const MapFigure& figure : m_results.maps) item(figure.png, figure.title);
        m_out << "</ul>\n</section>\n";
    }
};

}  // namespace

void write_report(const StudyResults& results, const std::string& path) {
    const std::string html = Report(results).html();
    FileWriter out(path);  // staged: a failed write leaves the previous report in place
    out.stream() << html;
    out.close();
}

}  // namespace placedef::detail
