// run_study: the steps of a study in order (layers, PCN footprints, matrix,
// town footprints, maps, outputs), each error tied to the config line that
// asked for the step.
#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "placedef/pipeline.hpp"
#include "placedef/stopwatch.hpp"
#include "placedef/study.hpp"
#include "placedef/text.hpp"

#include "core/text.hpp"
#include "study/results.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <map>
#include <sstream>

namespace placedef {
inline namespace pipeline {

}  // namespace pipeline

namespace detail {

const Layer& StudyResults::layer(const std::string& name) const {
    for (std::size_t i = 0; i < config->layers.size(); ++i)
        if (config->layers[i].name == name) return layers[i];
    if (pcn_set && name == pcn_set->id) return pcn_set->polygons;
    throw invalid_input("no layer '" + name + "' in the study");
}

std::vector<const FootprintSet*> StudyResults::footprint_sets() const {
    std::vector<const FootprintSet*> sets;
    for (const FootprintSet& set : runs) sets.push_back(&set);
    if (pcn_set) sets.push_back(&*pcn_set);
    return sets;
}

bool StudyResults::Area::holds(const Feature& unit) const {
    return std::find(codes.begin(), codes.end(), unit.code) != codes.end();
}

StudyResults::Area StudyResults::area() const {
    for (const StudyLayer& layer : config->layers)
        if (!layer.clip_codes.empty()) return {layer.clip, layer.clip_codes};
    if (config->pcn && !config->pcn->options.clip_codes.empty()) return {config->pcn->clip, config->pcn->options.clip_codes};
    return {};
}

StudyResults::DeprivationShown StudyResults::deprivation_shown() const {
    if (!deprivation_deciles.empty()) return {&deprivation_deciles, deprivation_decile_column, true};
    return {&deprivation, config->deprivation ? config->deprivation->column : std::string(), false};
}

std::string StudyResults::title_of(const std::string& layer_name) const {
    if (pcn_set && layer_name == pcn_set->id) return pcn_set->title;
    const StudyLayer* configured = config->layer(layer_name);
    return configured ? configured->title : layer_name;
}

std::string StudyResults::unit_name(const std::string& layer_name, const std::string& code) const {
    const Layer* source = nullptr;
    const auto run = std::find_if(runs.begin(), runs.end(), [&](const FootprintSet& set) { return set.id == layer_name; });
    if (pcn_set && layer_name == pcn_set->id)
        source = &pcn_set->polygons;
    else if (run != runs.end())
        source = &run->polygons;
    else if (config->layer(layer_name))
        source = &layer(layer_name);
    if (!source) return {};
    const std::optional<std::size_t> unit = source->find(code);
    return unit ? source->features[*unit].name : std::string();
}

}  // namespace detail

inline namespace pipeline {

namespace {

using detail::FootprintRow;
using detail::FootprintSet;
using detail::StudyResults;

/// Runs `body`, prefixing any input error with the config place it came from.
template <typename Body>
auto at(const ConfigPlace& where, Body&& body) -> decltype(body()) {
    try {
        return body();
    } catch (const output_error&) {
        throw;
    } catch (const io_error& e) {
        throw io_error(where.describe() + ": " + e.what());
    } catch (const invalid_input& e) {
        throw invalid_input(where.describe() + ": " + e.what());
    }
}

std::string fixed(double value, int digits) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(digits) << value;
    return out.str();
}

/// The overlay of `a` with `b` weighted by the study's people (weighted_means
/// and deprivation_profile read it).
IntersectionTable weighting_overlay(const Layer& a, const Layer& b, const PopulationSource* population,
                                    unsigned threads) {
    OverlayOptions options;
    options.population = population;
    options.threads = threads;
    return overlay(a, b, options);
}

/// Mean of `values` (one per unit of the table's B side) over each unit of
/// its A side, weighted by the people in each piece (by area when
/// `by_people` is false); NaN values are left out, and a unit with none gets
/// NaN. One overlay serves every column averaged over the same two layers.
std::vector<double> weighted_means(const IntersectionTable& table, const std::vector<double>& values, bool by_people) {
    const std::size_t units = table.a_codes.size();
    std::vector<double> sum(units, 0.0), weight(units, 0.0);
    for (const IntersectionRow& row : table.rows) {
        const double value = values[row.b_index];
        const double w = by_people ? row.pop : row.area_m2;
        if (std::isnan(value) || !(w > 0)) continue;
        sum[row.a_index] += w * value;
        weight[row.a_index] += w;
    }
    std::vector<double> means(units, detail::not_a_number);
    for (std::size_t i = 0; i < units; ++i)
        if (weight[i] > 0) means[i] = sum[i] / weight[i];
    return means;
}

class Runner {
public:
    Runner(const StudyConfig& config, const std::string& outdir, ProblemSink& problems, const StudyRunOptions& options)
        : m_config(config), m_outdir(outdir), m_problems(problems), m_options(options) {
        m_results.config = &config;
        m_results.problems = &problems;
        m_settings.study_crs = config.read.study_crs;
        m_settings.assume_crs = config.read.assume_crs;
        m_settings.invalid = config.read.invalid;
        m_settings.threads = options.threads;
        m_settings.note = [this](const std::string& line) { log("  note: " + line); };
        m_settings.warning = [this](const std::string& line) { log("  warning: " + line); };
        m_settings.progress = options.progress;
    }

    StudySummary run() {
        Stopwatch total;
        log("study '" + m_config.title + "' (" + m_config.path + ") -> " + m_outdir);
        check_outputs(inputs(), targets());
        step("layers", [&] { load_layers(); });
        if (m_config.pcn) step("PCN footprints", [&] { pcn_footprints_step(); });
        // One layer against itself says nothing: a matrix needs two.
        if (matrix_layer_count() > 1) step("co-terminosity matrix", [&] { matrix_step(); });
        for (const StudyFootprints& run : m_config.footprints)
            step("town footprints '" + run.id + "'", [&] { footprints_step(run); });
        if (m_results.pcn_set) step("PCN footprints scored", [&] { evaluate(*m_results.pcn_set); });
        if (m_config.deprivation && m_config.deprivation->most_deprived > 0)
            step("most deprived units", [&] { most_deprived_step(); });
        for (const StudyComparison& comparison : m_config.comparisons)
            step("comparison '" + comparison.id + "'", [&] { comparison_step(comparison); });
        for (const StudyFlows& flows : m_config.flows)
            step("functional areas '" + flows.id + "'", [&] { flows_step(flows); });
        // Made only now: a study that fails on its input leaves nothing behind.
        {
            std::error_code error;
            std::filesystem::create_directories(m_outdir, error);
            if (error || !std::filesystem::is_directory(m_outdir))
                throw output_error("cannot create the output folder: " + error.message(), Location{m_outdir, {}, {}, {}, {}});
        }
        if (m_options.maps && m_config.maps.enabled)
            step("maps", [&] {
                m_results.maps = detail::draw_maps(m_results, m_outdir);
                for (const detail::MapFigure& map : m_results.maps) m_files.insert(m_files.end(), {map.png, map.pdf});
                log("  " + std::to_string(m_results.maps.size()) + " maps");
            });
        step("tables and GeoPackage", [&] {
            for (std::string& file : detail::write_tables(m_results, m_outdir)) m_files.push_back(std::move(file));
        });
        if (!m_comparisons.empty()) step("comparison tables", [&] { write_comparisons(); });
        if (!m_flows.empty()) step("functional area tables", [&] { write_flows(); });
        const std::string report = (std::filesystem::path(m_outdir) / "report.html").string();
        detail::write_report(m_results, report);
        m_files.emplace_back("report.html");
        if (!m_options.problems.empty()) write_problems_csv(m_problems, m_options.problems);

        StudySummary summary;
        summary.layers = m_results.layers.size();
        summary.matrix_size = m_results.matrix.layers.size();
        summary.pcn_footprints = m_results.pcn ? m_results.pcn->footprints.size() : 0;
        for (const FootprintSet& set : m_results.runs) summary.footprints.emplace_back(set.id, set.rows.size());
        summary.maps = m_results.maps.size();
        summary.problems = m_problems.count();
        summary.files = m_files;
        summary.steps = m_steps;
        summary.seconds = total.elapsed();
        log("report: " + report + " (" + fixed(summary.seconds, 1) + " s)");
        return summary;
    }

private:
    const StudyConfig& m_config;
    std::string m_outdir;
    ProblemSink& m_problems;
    const StudyRunOptions& m_options;
    RunSettings m_settings;
    StudyResults m_results;
    std::vector<StudyStep> m_steps;
    std::vector<std::string> m_files;
    std::vector<std::pair<CompareRequest, CompareResult>> m_comparisons;  ///< one per [[comparisons]] table
    std::vector<std::pair<FlowsRequest, FlowsResult>> m_flows;             ///< one per [[flows]] table

    void log(const std::string& line) const {
        if (m_options.log) m_options.log(line);
    }
    ProgressCallback progress(const std::string& name) const {
        if (!m_options.progress) return {};
        return [this, name](std::size_t done, std::size_t total) { m_options.progress(name, done, total); };
    }
    template <typename Body>
    void step(const std::string& name, Body&& body) {
        Stopwatch clock;
        log(name + " ...");
        body();
        m_steps.push_back({name, clock.elapsed()});
        log("  " + name + ": " + fixed(m_steps.back().seconds, 2) + " s");
    }
    std::size_t index_of(const std::string& name) const {
        for (std::size_t i = 0; i < m_config.layers.size(); ++i)
            if (m_config.layers[i].name == name) return i;
        throw invalid_input("no layer '" + name + "' in the study");
    }
    const Layer& layer(const std::string& name) const { return m_results.layers[index_of(name)]; }

    // ---- what the run reads and writes, checked before any work

    std::vector<std::string> inputs() const {
        std::vector<std::string> paths;
        for (const StudyLayer& layer : m_config.layers) paths.push_back(layer.address.to_string());
        for (const auto* table : {&m_config.population, &m_config.deprivation})
            if (*table) paths.push_back((*table)->path);
        if (m_config.towns) paths.push_back(m_config.towns->path);
        if (m_config.pcn && !m_config.pcn->registered.empty()) paths.push_back(m_config.pcn->registered);
        for (const StudyFlows& flows : m_config.flows) paths.push_back(flows.table);
        return paths;
    }

    std::vector<OutputTarget> targets() const {
        auto in_outdir = [this](const std::string& name) { return (std::filesystem::path(m_outdir) / name).string(); };
        std::vector<OutputTarget> files;
        if (!m_options.problems.empty()) files.push_back({m_options.problems, {}});
        // A folder still to be made holds nothing to protect; it is made once the work is done.
        if (!std::filesystem::is_directory(m_outdir)) return files;
        for (const char* name : {"layers.csv", "matrix.csv", "pcn.csv", "footprints.csv", "membership.csv", "problems.csv",
                                 "report.html", "boundary_frequency.csv"})
            files.push_back({in_outdir(name), {}});
        std::vector<std::string> layers{"matrix", "layers", "problems"};
        if (m_config.pcn) layers.insert(layers.end(), {"pcn_footprints", "practices"});
        for (const StudyFootprints& run : m_config.footprints)
            layers.insert(layers.end(), {"footprints_" + run.id, "membership_" + run.id, "boundary_frequency_" + run.id});
        files.push_back({in_outdir("study.gpkg"), layers});
        for (const StudyComparison& comparison : m_config.comparisons) {
            const std::string csv = in_outdir("comparison_" + comparison.id + ".csv");
            files.push_back({csv, {}});
            for (const std::string& side : compare_csv_paths(csv)) files.push_back({side, {}});
            files.push_back({in_outdir("comparison_" + comparison.id + ".gpkg"), {}});
        }
        for (const StudyFlows& flows : m_config.flows) {
            const std::string csv = in_outdir("flows_" + flows.id + ".csv");
            files.push_back({csv, {}});
            files.push_back({flows_membership_path(csv), {}});
            files.push_back({in_outdir("flows_" + flows.id + ".gpkg"), {}});
        }
        return files;
    }

    // ---- layers and tables

    void load_layers() {
        const std::size_t count = m_config.layers.size();
        m_results.layers.resize(count);
        m_results.info.resize(count);
        // Clip layers first: the layers they clip need them.
        std::vector<std::size_t> order(count);
        for (std::size_t i = 0; i < count; ++i) order[i] = i;
        std::stable_partition(order.begin(), order.end(), [&](std::size_t i) { return m_config.layers[i].clip.empty(); });
        for (std::size_t i : order) load_layer_step(i);
        for (std::size_t i = 0; i < count; ++i) {
            const StudyLayer& c = m_config.layers[i];
            const Layer& l = m_results.layers[i];
            const detail::LayerInfo& info = m_results.info[i];
            std::ostringstream line;
            line << "  " << std::left << std::setw(12) << c.name << std::setw(14) << to_string(c.role) << std::right
                 << std::setw(6) << l.size() << (l.kind == LayerKind::point ? " points" : " units ");
            if (info.before_clip) line << " (of " << info.before_clip << ", clipped to " << c.clip << ')';
            line << "  code " << l.code_column << (l.code_column_guessed ? " (guessed)" : "");
            if (info.problems) line << "  problems " << info.problems;
            log(line.str());
        }
        if (m_config.population) {
            const StudyTable& t = *m_config.population;
            m_results.population = at(t.where, [&] {
                const Layer& units = layer(t.layer);
                PopulationInput input;
                input.table = t.path;
                input.key = t.key;
                input.column = t.column;
                const std::shared_ptr<const Layer> shared(&units, [](const Layer*) {});  // owned by m_results
                return load_population(input, m_settings, m_problems, shared).source;
            });
            double people = 0;
            for (double p : m_results.population->population) people += p;
            log("  population: " + fixed(people, 0) + " people in " + t.layer + " (" + t.column + ")");
        }
        if (m_config.deprivation) {
            const StudyTable& t = *m_config.deprivation;
            m_results.deprivation = at(t.where, [&] {
                return join_table(t.path, t.key, t.column, layer(t.layer), m_settings, m_problems, detail::not_a_number);
            });
            // A rank's national deciles, when the table has them, map better than
            // ranks re-classed over the study area (whose classes say nothing nationally).
            const std::string decile_column = decile_column_beside(t.path, t.column);
            if (!decile_column.empty()) {
                ProblemSink already_reported;  // the same keys as the rank's join
                m_results.deprivation_deciles = at(t.where, [&] {
                    return join_table(t.path, t.key, decile_column, layer(t.layer), m_settings, already_reported,
                                      detail::not_a_number);
                });
                m_results.deprivation_decile_column = decile_column;
            }
            at(t.where, [&] { deprivation_values(t); });
        }
    }

    /// The measures deprivation_profile reads: the column is a rank or a score
    /// by its name (IMD_rank: 1 = most deprived), and `score` adds a score
    /// beside a rank.
    void deprivation_values(const StudyTable& t) {
        DeprivationValues& values = m_results.deprivation_values;
        const bool rank = measure_dark_end(t.column) == DarkEnd::low;
        (rank ? values.rank : values.score) = m_results.deprivation;
        (rank ? m_results.deprivation_rank_column : m_results.deprivation_score_column) = t.column;
        values.decile = m_results.deprivation_deciles;
        if (t.score.empty()) return;
        if (!rank)
            throw invalid_input("'" + t.column + "' is already a score (not a rank), so 'score' has nothing to add");
        ProblemSink already_reported;  // the same keys as the column's join
        values.score = join_table(t.path, t.key, t.score, layer(t.layer), m_settings, already_reported, detail::not_a_number);
        m_results.deprivation_score_column = t.score;
    }

    void load_layer_step(std::size_t i) {
        const StudyLayer& c = m_config.layers[i];
        Layer& target = m_results.layers[i];
        detail::LayerInfo& info = m_results.info[i];
        const std::size_t before = m_problems.count();
        at(c.where, [&] {
            const LayerKind kind = c.role == LayerRole::pcn_practices ? LayerKind::point : LayerKind::polygon;
            target = *load_input(LayerInput(c.address.to_string()), m_settings, m_problems, kind);
            if (!c.clip.empty()) {
                info.before_clip = target.size();
                target = units_within(target, layer(c.clip), c.clip_codes, m_options.threads);
            }
            // The snap of contiguity: gaps between independently generalised units close.
            if (!c.dissolve.empty()) target = dissolve_by(target, c.dissolve, ContiguityOptions{}.snap);
        });
        target.name = c.name;
        info.problems = m_problems.count() - before;
        if (target.kind == LayerKind::polygon) {
            double total = 0;
            for (const Feature& feature : target.features) total += area(feature.shape);
            info.area_km2 = total / 1e6;
        }
    }

    // ---- PCN footprints

    void pcn_footprints_step() {
        const StudyPcn& c = *m_config.pcn;
        PcnOptions options = c.options;
        options.threads = m_options.threads;
        options.population = population();
        RegisteredPatients registered;
        m_results.pcn = at(c.where, [&] {
            if (!c.registered.empty()) {
                registered = read_registered_patients(c.registered);
                options.registered = &registered;
            }
            return pcn_footprints(layer(c.practices), layer(c.clip), c.blocks.empty() ? nullptr : &layer(c.blocks), options,
                                  m_problems);
        });
        const PcnResult& result = *m_results.pcn;

        FootprintSet set;
        set.id = "pcn";
        set.title = std::string("PCN footprints (") + to_string(result.method) + ")";
        set.members_word = "practices";
        set.polygons = footprint_layer(result, m_config.read.study_crs, set.id);
        for (const PcnFootprint& f : result.footprints) {
            FootprintRow row;
            row.code = f.code;
            row.name = f.name;
            row.members = f.practices;
            row.population = f.population;
            row.area_km2 = f.area_m2 / 1e6;
            row.parts = f.parts;
            set.rows.push_back(std::move(row));
        }
        std::size_t status[5] = {};
        for (const PracticeReport& p : result.practices) ++status[static_cast<int>(p.status)];
        std::ostringstream summary;
        summary << result.footprints.size() << " PCN footprints by " << to_string(result.method) << " from "
                << result.sites << " practice sites, covering " << fixed(100 * result.covered_area / result.clip_area, 2)
                << " % of the clip area (" << fixed(result.clip_area / 1e6, 1) << " km2).";
        set.summary.push_back(summary.str());
        set.summary.push_back("Practices: " + std::to_string(status[0]) + " used, " + std::to_string(status[1]) +
                              " without a location, " + std::to_string(status[2]) + " in no PCN, " +
                              std::to_string(status[3]) + " outside the clip area, " + std::to_string(status[4]) +
                              " sharing a site with another PCN.");
        if (!std::isnan(result.voronoi_agreement))
            set.summary.push_back("The footprints agree with the Voronoi partition on " +
                                  fixed(100 * result.voronoi_agreement, 1) + " % of the clip area.");
        if (!result.pcns_outside.empty()) {
            std::string names;
            for (const auto& [code, name] : result.pcns_outside) names += (names.empty() ? "" : ", ") + code + " " + name;
            set.summary.push_back(std::to_string(result.pcns_outside.size()) + " PCNs have no practice in the clip area: " +
                                  names + ".");
        }
        for (const std::string& line : set.summary) log("  " + line);
        m_results.pcn_set = std::move(set);
    }

    // ---- matrix

    std::vector<const Layer*> matrix_layers() const {
        std::vector<const Layer*> layers;
        for (const std::string& name : m_config.matrix_layers) layers.push_back(&layer(name));
        if (m_config.matrix_with_pcn && m_results.pcn_set) layers.push_back(&m_results.pcn_set->polygons);
        return layers;
    }
    std::size_t matrix_layer_count() const {
        return m_config.matrix_layers.size() + (m_config.matrix_with_pcn && m_config.pcn ? 1 : 0);
    }

    void matrix_step() {
        MatrixOptions options;
        options.scoring = m_config.scoring;
        options.population = m_config.matrix_population ? population() : nullptr;
        options.alignment = m_config.alignment;
        options.threads = m_options.threads;
        options.progress = progress("matrix");
        const std::vector<const Layer*> layers = matrix_layers();
        m_results.matrix = coterminosity_matrix(layers, options);
        log("  " + std::to_string(layers.size()) + " layers, " + std::to_string(layers.size() * layers.size()) +
            " ordered pairs");
        std::istringstream tables(describe(m_results.matrix));
        for (std::string line; std::getline(tables, line);)
            if (!line.empty()) log("  " + line);
    }

    // ---- town footprints

    const PopulationSource* population() const { return detail::population_of(m_results); }

    std::vector<double> block_population(const Layer& blocks) const {
        if (!m_results.population) return {};
        return population_on(blocks, *m_results.population, m_options.threads);
    }

    /// The deprivation table's `column` on each block: joined when the table
    /// describes the blocks, else the population-weighted mean over the
    /// overlay with the deprivation layer.
    std::vector<double> block_values(const std::string& column, const Layer& blocks, const std::string& blocks_name) {
        const StudyTable& t = *m_config.deprivation;
        const Table table = read_table(t.path, t.key);
        if (!table.column_index(column))
            throw invalid_input("the deprivation table has no column '" + column + "'", Location{t.path, {}, {}, {}, column});
        const Layer& units = layer(t.layer);
        // A missing row misses every column: it was reported when the
        // deprivation column was joined, so it is not reported again.
        ProblemSink reported;
        std::vector<double> values = join_numeric(units, table, column, reported, detail::not_a_number);
        if (t.layer == blocks_name) return values;
        return weighted_means(weighting_overlay(blocks, units, population(), m_options.threads), values,
                              population() != nullptr);
    }

    /// The run's attributes; an objective term among them ("boundary") is set in the request instead.
    std::vector<FootprintAttribute> attributes(const StudyFootprints& run, const Layer& blocks,
                                               const std::vector<double>& people, FootprintRequest& request) {
        std::vector<FootprintAttribute> result;
        for (const StudyAttribute& a : run.attributes) {
            if (set_objective_term(a.column, a.weight, request)) continue;
            std::vector<FootprintAttribute> builtin = builtin_attribute(a.column, a.weight, blocks, people);
            if (!builtin.empty()) {
                for (FootprintAttribute& attribute : builtin) result.push_back(std::move(attribute));
            } else {
                result.push_back({a.column, block_values(a.column, blocks, run.blocks), a.weight});
            }
        }
        return result;
    }

    /// The towns, less those outside every block when the config says so.
    Layer towns(const Layer& blocks) {
        const StudyTowns& t = *m_config.towns;
        Layer places = read_places(t.path, t.crs, m_config.read.study_crs);
        if (!t.skip_outside) return places;
        std::vector<Coord> points;
        for (const Feature& place : places.features) points.push_back(place.point);
        const std::vector<long> inside = containing_units(points, blocks, m_options.threads);
        Layer kept = places;
        kept.features.clear();
        std::string left_out;
        for (std::size_t i = 0; i < places.size(); ++i) {
            if (inside[i] >= 0) kept.features.push_back(places.features[i]);
            else left_out += (left_out.empty() ? "" : ", ") + places.features[i].code;
        }
        if (!left_out.empty()) {
            const std::size_t count = places.size() - kept.size();
            m_results.notes.push_back(std::to_string(count) + " of the " + std::to_string(places.size()) + " towns in " +
                                      std::filesystem::path(t.path).filename().string() + " lie outside the blocks of '" +
                                      blocks.name + "' and were left out: " + left_out + ".");
            log("  " + m_results.notes.back());
        }
        if (kept.features.empty()) throw invalid_input("no town lies in the blocks of '" + blocks.name + "'");
        return kept;
    }

    /// An ensemble run's stability: per block, per edge, the unstable blocks
    /// for the map, and a sentence for the report.
    void add_ensemble(FootprintSet& set, const FootprintResult& result, const Layer& blocks, const FootprintRequest& request) {
        const EnsembleResult& e = result.ensemble;
        set.ensemble_runs = e.runs;
        set.unstable.name = "unstable_" + set.id;
        set.unstable.source = set.unstable.name;
        set.unstable.crs = blocks.crs;
        set.unstable.code_column = blocks.code_column;
        for (std::size_t i = 0; i < blocks.size(); ++i) {
            set.membership[i].stability = e.stability[i];
            set.membership[i].unstable = e.unstable(i);
            if (e.unstable(i)) {
                Feature block = blocks.features[i];
                block.attributes.clear();
                set.unstable.features.push_back(std::move(block));
            }
        }
        std::vector<std::vector<std::vector<Coord>>> lines = shared_boundaries(blocks, result.graph, m_options.threads);
        for (std::size_t k = 0; k < e.boundaries.size(); ++k) {
            const BoundaryFrequency& edge = e.boundaries[k];
            set.boundaries.push_back({blocks.features[edge.a].code, blocks.features[edge.b].code,
                                      set.membership[edge.a].footprint, set.membership[edge.b].footprint, edge.frequency,
                                      edge.shared_length, std::move(lines[k])});
        }
        std::string methods;
        for (ClusterMethod m : e.methods)
            if (methods.find(to_string(m)) == std::string::npos) methods += (methods.empty() ? "" : ", ") + std::string(to_string(m));
        const double share = 100.0 * static_cast<double>(e.unstable_blocks) / static_cast<double>(blocks.size());
        std::string sentence = "Stability over " + std::to_string(e.runs) + " runs (" + methods + ", seeds derived from " +
                               std::to_string(request.cluster.seed) + "; these footprints are run " +
                               std::to_string(e.consensus_run + 1) + ", the closest to the others, mean ARI " +
                               fixed(e.mean_ari[e.consensus_run], 3) + "): " + std::to_string(e.unstable_blocks) + " of " +
                               std::to_string(blocks.size()) + " blocks (" + fixed(share, 1) + " %";
        if (!request.population.empty()) {
            double total = 0;
            for (double p : request.population) total += p;
            sentence += "; " + fixed(e.unstable_population, 0) + " people, " +
                        fixed(total > 0 ? 100.0 * e.unstable_population / total : 0.0, 1) + " %";
        }
        sentence += ") are unstable: they sit with their footprint's core in fewer than " +
                    fixed(100.0 * unstable_stability, 0) + " % of the runs (outlined on the map).";
        set.summary.push_back(sentence);
    }

    void footprints_step(const StudyFootprints& run) {
        const Layer& blocks = layer(run.blocks);
        FootprintRequest request = run.request;
        request.cluster.threads = m_options.threads;
        request.contiguity.threads = m_options.threads;
        request.cluster.progress = progress(run.id);
        Layer places;
        if (request.cluster.method == ClusterMethod::seeded) {
            places = at(m_config.towns->where, [&] { return towns(blocks); });
            request.places = &places;
        }
        FootprintResult result = at(run.where, [&] {
            request.population = block_population(blocks);
            request.attributes = attributes(run, blocks, request.population, request);
            if (!run.nest_layer.empty()) request.nest_layer = &layer(run.nest_layer);
            for (const StudyPartner& partner : run.respect) request.respect.push_back({&m_results.layer(partner.layer), partner.weight});
            for (const StudyPartner& partner : run.align) request.align.push_back({&m_results.layer(partner.layer), partner.weight});
            return town_footprints(blocks, request);
        });

        FootprintSet set;
        set.id = run.id;
        set.title = run.title;
        set.printed = run.printed;
        set.members_word = "blocks";
        set.polygons = footprint_polygons(result, m_config.read.study_crs, run.id);
        for (const FootprintMetrics& m : result.metrics.footprints) {
            const std::size_t r = static_cast<std::size_t>(m.region);
            FootprintRow row;
            row.code = set.polygons.features[r].code;
            row.name = set.polygons.features[r].attributes[0];
            row.members = m.blocks;
            row.population = request.population.empty() ? detail::not_a_number : m.population;
            row.area_km2 = m.area_m2 / 1e6;
            row.parts = m.parts;
            row.polsby_popper = m.polsby_popper;
            set.rows.push_back(std::move(row));
        }
        for (std::size_t i = 0; i < blocks.size(); ++i) {
            const auto r = static_cast<std::size_t>(result.partition.region[i]);
            set.membership.push_back({blocks.features[i].code, set.polygons.features[r].code,
                                      set.polygons.features[r].attributes[0], result.parent.empty() ? std::string() : result.parent[i]});
        }
        const PartitionMetrics& m = result.metrics;
        std::ostringstream line;
        line << m.footprints.size() << " footprints by " << to_string(request.cluster.method) << " (seed "
             << request.cluster.seed << ") from " << blocks.size() << " blocks of '" << run.blocks << "' ("
             << result.graph.edge_count() << ' ' << to_string(request.contiguity.adjacency) << " adjacencies";
        if (!result.graph.joined.empty()) line << ", " << result.graph.joined.size() << " links joining islands";
        line << ").";
        set.summary.push_back(line.str());
        if (!request.attributes.empty())
            set.summary.push_back("Within-footprint sum of squares over total (WSS/TSS): " + fixed(result.partition.ratio(), 3) + ".");
        if (!request.population.empty())
            set.summary.push_back("Population per footprint " + fixed(m.min_population, 0) + " to " + fixed(m.max_population, 0) +
                                  "; footprints in more than one part: " + std::to_string(m.non_contiguous) + ".");
        if (result.ensemble.runs > 0) add_ensemble(set, result, blocks, request);
        for (const std::string& note : result.notes) set.summary.push_back(note + ".");
        for (const PartnerFit& fit : result.respect_fit)
            set.summary.push_back("Respecting " + fit.layer + " (weight " + readable_number(fit.weight) + "): " + describe_respect(fit) + ".");
        for (const PartnerFit& fit : result.align_fit)
            set.summary.push_back("Aligned with " + fit.layer + " (weight " + readable_number(fit.weight) + "): " +
                                  describe_align(fit, m_config.scoring.tolerance) + ".");
        for (const std::string& text : set.summary) log("  " + text);
        evaluate(set);
        m_results.runs.push_back(std::move(set));
    }

    // ---- proposals compared

    /// A layer the study holds, as a job's input (the study keeps it alive).
    static LayerInput held(const Layer& layer) { return LayerInput(std::shared_ptr<const Layer>(&layer, [](const Layer*) {})); }

    /// A comparison's partner or proposal by name: a footprint run, the PCN footprints or a layer.
    const Layer& polygons_named(const std::string& name) const {
        if (name == "pcn" && m_results.pcn_set) return m_results.pcn_set->polygons;
        for (const FootprintSet& set : m_results.runs)
            if (set.id == name) return set.polygons;
        return layer(name);
    }

    /// The data and date of a configured layer ("" for footprints, or a layer without one).
    std::string vintage_of(const std::string& name) const {
        const StudyLayer* configured = m_config.layer(name);
        return configured ? configured->vintage : std::string();
    }

    void comparison_step(const StudyComparison& c) {
        CompareRequest request;
        request.blocks = held(layer(c.blocks));
        const PopulationSource& people = *population();
        request.population.units = held(*people.layer);
        request.population.values = people.population;
        if (m_config.deprivation) {
            const StudyTable& t = *m_config.deprivation;
            request.deprivation = {held(layer(t.layer)), t.path, t.key, t.column, {}};
        }
        for (const StudyProposal& p : c.proposals) {
            ProposalInput input{p.name, {}, p.lookup};
            if (p.lookup.empty()) input.layer = held(polygons_named(p.footprints.empty() ? p.layer : p.footprints));
            request.proposals.push_back(std::move(input));
        }
        for (const std::string& partner : c.partners) request.partners.push_back(held(polygons_named(partner)));
        request.key = c.key;
        request.place_column = c.place_column;
        request.block_column = c.block_column;
        request.min_population = c.min_population;
        request.max_population = c.max_population;
        request.scoring = m_config.scoring;
        CompareResult result = at(c.where, [&] { return run_compare(request, m_settings, m_problems); });
        for (const ProposalScore& proposal : result.proposals)
            log("  " + proposal.name + ": " + std::to_string(proposal.places.size()) + " places, CV " +
                fixed(proposal.balance.cv, 3));
        std::vector<std::string> partner_titles;  // readers know the layers by their titles, not the config's ids
        for (const std::string& partner : c.partners) partner_titles.push_back(m_results.title_of(partner));
        m_results.comparisons.push_back(shown(c, result, partner_titles));
        for (std::size_t p = 0; p < c.partners.size(); ++p) {
            std::vector<MapPanel> panels = comparison_panels(result, p, partner_titles[p]);
            for (MapPanel& panel : panels) {
                panel.layers[0].vintage = vintage_of(c.blocks);
                panel.layers[1].vintage = vintage_of(c.partners[p]);
            }
            m_results.comparisons.back().figures.emplace_back(c.partners[p], std::move(panels));
        }
        m_comparisons.emplace_back(std::move(request), std::move(result));
    }

    /// The comparison in the report's words: shares as percentages, people
    /// whole, partners by their titles (one per request partner).
    static detail::ComparisonSection shown(const StudyComparison& c, const CompareResult& result,
                                           const std::vector<std::string>& partner_titles) {
        detail::ComparisonSection section{c.id, c.title, {}, {}, {}, {}, {}};
        auto people = [](double value) { return std::isnan(value) ? std::string() : grouped_number(value); };
        auto share = [](double value) { return std::isnan(value) ? std::string() : percent_text(value); };
        section.scorecard = {{"proposal", "partner", "partner units split", "people in split units",
                              "people outside their unit's main place", "units in places", "units in places (people)",
                              "places in units", "lines on the partner's lines", "split units"},
                             {},
                             {false, false, true, true, true, true, true, true, true, false}};
        section.proposals = {{"proposal", "places", "fewest people", "most people", "largest / smallest", "CV",
                              "within the target", "deciles 1-2, lowest", "deciles 1-2, highest", "in parts",
                              "lowest Polsby-Popper"},
                             {},
                             {false, true, true, true, true, true, false, true, true, true, true}};
        for (const ProposalScore& p : result.proposals) {
            const PopulationBalance& b = p.balance;
            section.proposals.rows.push_back({p.name, std::to_string(b.places), people(b.min), people(b.max),
                                              std::isnan(b.ratio) ? std::string() : fixed(b.ratio, 2), fixed(b.cv, 3),
                                              b.target ? (b.within_target() ? "yes" : "no") : "", share(p.deprived_min),
                                              share(p.deprived_max), std::to_string(p.places_in_parts),
                                              fixed(p.polsby_popper_min, 3)});
            std::string sentence = p.name + ": " + std::to_string(b.places) + " places of " + people(b.min) + " to " +
                                   people(b.max) + " people";
            for (std::size_t f = 0; f < p.fits.size(); ++f) {
                const ProposalFit& fit = p.fits[f];
                const std::string& partner = partner_titles[f];
                std::string split;
                for (const CrosswalkUnit& unit : fit.split) split += (split.empty() ? "" : "; ") + (unit.name.empty() ? unit.code : unit.name) + " (" + falls_in_text(unit) + ")";
                section.scorecard.rows.push_back(
                    {p.name, partner, std::to_string(fit.split_units) + " of " + std::to_string(fit.report.b_in_a.scored),
                     people(fit.people_in_split_units), people(fit.people_outside_main),
                     share(fit.report.b_in_a.coterminosity_index), share(fit.report.b_in_a.coterminosity_index_pop),
                     share(fit.report.a_in_b.coterminosity_index), share(fit.report.a_in_b.boundary_alignment), split});
                sentence += "; splits " + std::to_string(fit.split_units) + " of the " +
                            std::to_string(fit.report.b_in_a.scored) + " units of " + partner;
            }
            section.summary.push_back(sentence + ".");
        }
        section.moves = {{"from", "place", "to", "place", "blocks", "people"}, {}, {false, false, false, false, true, true}};
        for (const PlaceMove& move : result.moves) {
            const ProposalScore &from = result.proposals[move.from_proposal], &to = result.proposals[move.to_proposal];
            section.moves.rows.push_back({from.name, from.places[static_cast<std::size_t>(move.from_place)].name, to.name,
                                          to.places[static_cast<std::size_t>(move.to_place)].name,
                                          std::to_string(move.blocks.size()), people(move.people)});
        }
        if (result.proposals.size() > 1) {
            double moved = 0;
            for (const PlaceMove& move : result.moves) moved += move.people;
            section.summary.push_back("Between the proposals, " + people(moved) + " people change place, and " +
                                      std::to_string(result.partner_changes.size()) + " partner units sit differently.");
        }
        return section;
    }

    /// Writes each job's tables and GeoPackage as "<prefix><id>.csv" and
    /// ".gpkg", and lists them with the tables written beside the CSV.
    template <typename Jobs, typename Configs, typename Write, typename Beside>
    void write_job_files(const Jobs& jobs, const Configs& configs, const std::string& prefix, const Write& write,
                         const Beside& beside) {
        for (std::size_t i = 0; i < jobs.size(); ++i) {
            const auto& [request, result] = jobs[i];
            const std::string base = prefix + configs[i].id;
            for (const char* extension : {".csv", ".gpkg"}) {
                write(result, request, (std::filesystem::path(m_outdir) / (base + extension)).string());
                m_files.push_back(base + extension);
            }
            for (const std::string& side : beside(base + ".csv")) m_files.push_back(side);
        }
    }

    void write_comparisons() {
        write_job_files(m_comparisons, m_config.comparisons, "comparison_", write_comparison, compare_csv_paths);
    }

    // ---- functional areas from commuting flows

    void flows_step(const StudyFlows& f) {
        FlowsRequest request;
        request.units = held(layer(f.units));
        request.table = f.table;
        request.residence_column = f.residence;
        request.workplace_column = f.workplace;
        request.count_column = f.count;
        request.rules = f.rules;
        request.contiguity = f.contiguity;
        request.scoring = m_config.scoring;
        for (const std::string& name : f.against) request.score_against.push_back(held(layer(name)));
        FlowsResult result = at(f.where, [&] { return run_flows(request, m_settings, m_problems); });
        const FunctionalAreas& p = result.partition;
        log("  " + std::to_string(p.areas.size()) + " areas from " + std::to_string(result.flows) + " flows, " +
            std::to_string(p.invalid()) + " short of the rule, " + std::to_string(p.reserve.size()) + " units from the reserve");
        m_results.flows.push_back(shown(f, result));
        m_results.flows.back().units = index_of(f.units);
        m_flows.emplace_back(std::move(request), std::move(result));
    }

    /// Functional areas in the report's words: people whole, shares as percentages, units by name.
    detail::FlowsSection shown(const StudyFlows& f, const FlowsResult& result) const {
        detail::FlowsSection section;
        section.id = f.id;
        section.title = f.title;
        section.area_layer = result.areas;
        const FunctionalAreas& p = result.partition;
        const FunctionalAreaRules& r = f.rules;
        const std::string units_title = m_results.title_of(f.units);
        auto name_of = [](const Feature& feature) { return feature.name.empty() ? feature.code : feature.name; };
        section.summary.push_back(
            std::to_string(p.areas.size()) + " functional areas of the " + std::to_string(result.units->size()) + " " +
            units_title + ", from " + grouped_number(static_cast<double>(result.flows)) + " flows of " +
            grouped_number(result.commuters) + " people in work (rules " + f.rules_name + ": at least " +
            grouped_number(r.min_size) + " residents in work and " + percent_text(r.target_containment) +
            " self-contained, relaxed to " + percent_text(r.min_containment) + " from " + grouped_number(r.target_size) + ").");
        if (result.working_outside > 0 || result.coming_in > 0)
            section.summary.push_back(grouped_number(result.working_outside) + " residents of the " + units_title +
                                      " work outside them and " + grouped_number(result.coming_in) +
                                      " of their jobs are filled from outside; the areas' self-containment counts them.");
        section.summary.push_back(p.invalid() == 0 ? "Every area meets the rule."
                                                   : std::to_string(p.invalid()) + " areas fall short of the rule (validity below 1).");
        section.summary.push_back(std::to_string(p.reserve.size()) +
                                  " units were set aside in the reserve (they would have made their area less valid) and placed last; " +
                                  std::to_string(p.without_flows.size()) + " units have no flows.");
        if (!result.island_links.empty()) {
            std::string islands;
            for (const auto& [island, mainland] : result.island_links)
                islands += (islands.empty() ? "" : "; ") + name_of(result.units->features[island]) + " to " +
                           name_of(result.units->features[mainland]);
            section.summary.push_back("Units that touch no other are linked to the unit their people most work in: " + islands + ".");
        }
        std::vector<std::size_t> from_reserve(p.areas.size(), 0);
        for (const ReservedUnit& unit : p.reserve)
            if (unit.area >= 0) ++from_reserve[static_cast<std::size_t>(unit.area)];
        section.areas = {{"area", "code", "units", "residents in work", "jobs", "live and work in it", "supply side",
                          "demand side", "validity", "from the reserve"},
                         {},
                         {false, false, true, true, true, true, true, true, true, true}};
        for (std::size_t a = 0; a < p.areas.size(); ++a) {
            const FunctionalArea& area = p.areas[a];
            const Feature& feature = result.areas->features[a];
            section.popups.push_back({f.title + ": " + feature.name,
                                      grouped_number(area.residents) + " residents in work, " + grouped_number(area.jobs) + " jobs",
                                      "Work where they live: " + percent_text(area.supply_containment()) +
                                          "; jobs filled from within: " + percent_text(area.demand_containment()),
                                      std::to_string(area.units.size()) + " " + units_title + ", validity " + fixed(area.validity, 3)});
            section.areas.rows.push_back({feature.name, feature.code, std::to_string(area.units.size()),
                                          grouped_number(area.residents), grouped_number(area.jobs),
                                          grouped_number(area.internal), percent_text(area.supply_containment()),
                                          percent_text(area.demand_containment()), fixed(area.validity, 3),
                                          std::to_string(from_reserve[a])});
        }
        // Alphabetical, as a reader looks a place up (the CSV keeps the areas' order).
        std::sort(section.areas.rows.begin(), section.areas.rows.end(), [](const auto& a, const auto& b) {
            return std::lexicographical_compare(a[0].begin(), a[0].end(), b[0].begin(), b[0].end(), [](char x, char y) {
                return std::tolower(static_cast<unsigned char>(x)) < std::tolower(static_cast<unsigned char>(y));
            });
        });
        section.reserve = {{"unit", "code", "placed in"}, {}, {false, false, false}};
        for (const ReservedUnit& unit : p.reserve) {
            const Feature& feature = result.units->features[unit.unit];
            section.reserve.rows.push_back(
                {name_of(feature), feature.code,
                 unit.area >= 0 ? result.areas->features[static_cast<std::size_t>(unit.area)].name : "none (it touches no area)"});
        }
        section.scores = {{"layer", "areas", "areas in one unit", "index (areas in units)", "units", "units in one area",
                           "index (units in areas)"},
                          {},
                          {false, true, true, true, true, true, true}};
        for (std::size_t s = 0; s < result.scores.size(); ++s) {
            const AlignmentReport& report = result.scores[s].second;
            auto nested = [](const LayerScore& score) { return score.count(Relation::nested) + score.count(Relation::coterminous); };
            section.scores.rows.push_back({m_results.title_of(f.against[s]), std::to_string(report.a_in_b.scored),
                                           std::to_string(nested(report.a_in_b)), percent_text(report.a_in_b.coterminosity_index),
                                           std::to_string(report.b_in_a.scored), std::to_string(nested(report.b_in_a)),
                                           percent_text(report.b_in_a.coterminosity_index)});
        }
        return section;
    }

    void write_flows() {
        write_job_files(m_flows, m_config.flows, "flows_", write_functional_areas,
                        [](const std::string& csv) { return std::vector<std::string>{flows_membership_path(csv)}; });
    }

    // ---- deprivation by place

    /// The most deprived units of the deprivation layer, each with the
    /// footprint of every run it mainly lies in (from each run's profile,
    /// which lists the same units in the same order).
    void most_deprived_step() {
        const StudyTable& t = *m_config.deprivation;
        const Layer& units = layer(t.layer);
        std::vector<DeprivedUnit> listed;
        if (!m_results.runs.empty()) {
            listed = m_results.runs.front().deprivation.most_deprived;
        } else {
            std::vector<std::string> codes, names;
            for (const Feature& unit : units.features) {
                codes.push_back(unit.code);
                names.push_back(unit.name);
            }
            listed = most_deprived_units(codes, names, m_results.deprivation_values, t.most_deprived);
        }
        for (std::size_t i = 0; i < listed.size(); ++i) {
            detail::DeprivedUnitRow row{listed[i], {}};
            for (const FootprintSet& set : m_results.runs) row.footprints.push_back(set.deprivation.most_deprived[i].footprint);
            m_results.most_deprived.push_back(std::move(row));
        }
        log("  the " + std::to_string(m_results.most_deprived.size()) + " most deprived units of " + t.layer +
            " listed with their footprints");
    }

    // ---- scoring footprints

    /// The deprivation profile and co-terminosity of each footprint with the targets.
    void evaluate(FootprintSet& set) {
        if (m_config.deprivation) {
            const StudyTable& t = *m_config.deprivation;
            set.deprivation = deprivation_profile(weighting_overlay(layer(t.layer), set.polygons, population(), m_options.threads),
                                                  m_results.deprivation_values, t.most_deprived);
            for (const FootprintDeprivation& footprint : set.deprivation.footprints)
                row_of(set, footprint.code).deprivation = footprint;
        }
        for (const std::string& target : m_config.footprints_against) {
            if (target == set.id) continue;
            const Layer& other = target == "pcn" ? m_results.pcn_set->polygons : layer(target);
            set.targets.push_back(target);
            set.reports.push_back(compare_layers(set.polygons, other, population(), m_config.scoring, false, m_options.threads));
            const LayerScore& s = set.reports.back().a_in_b;
            log("  " + set.id + " against " + target + ": co-terminosity index " + fixed(s.coterminosity_index, 3) +
                ", nested " + std::to_string(s.count(Relation::nested) + s.count(Relation::coterminous)) + " of " +
                std::to_string(s.scored));
        }
        crosswalks(set);
        for (FootprintRow& row : set.rows) row.fits.resize(set.reports.size());
        for (std::size_t t = 0; t < set.reports.size(); ++t)
            for (const UnitRelation& unit : set.reports[t].a_units) row_of(set, unit.code).fits[t] = unit;
    }

    /// The set read against its targets and the local government layers
    /// (districts, divisions, wards), both ways, for the crosswalk table.
    void crosswalks(FootprintSet& set) {
        for (std::size_t t = 0; t < set.targets.size(); ++t) append(set.crosswalk, crosswalk(set.reports[t]));
        for (const StudyLayer& c : m_config.layers) {
            const bool local = c.role == LayerRole::district || c.role == LayerRole::division || c.role == LayerRole::ward;
            if (!local || std::find(set.targets.begin(), set.targets.end(), c.name) != set.targets.end()) continue;
            append(set.crosswalk, crosswalk(compare_layers(set.polygons, layer(c.name), population(), m_config.scoring,
                                                           false, m_options.threads)));
        }
    }

    template <typename T>
    static void append(std::vector<T>& to, std::vector<T> more) {
        to.insert(to.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
    }

    static FootprintRow& row_of(FootprintSet& set, const std::string& code) {
        for (FootprintRow& row : set.rows)
            if (row.code == code) return row;
        throw invalid_input("footprint '" + code + "' has no row");  // unreachable: rows are made from the same polygons
    }
};

}  // namespace

StudySummary run_study(const StudyConfig& config, const std::string& outdir, ProblemSink& problems,
                       const StudyRunOptions& options) {
    return Runner(config, outdir, problems, options).run();
}

}  // namespace pipeline
}  // namespace placedef
