// The study config: TOML (toml++, header-only), read strictly. Every key is
// known, typed and range-checked, and every error names the file, the line
// and the dotted key, so that a user can go straight to it.
#include "placedef/error.hpp"
#include "placedef/choice.hpp"
#include "placedef/study.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <vector>
#include <sstream>

namespace placedef {
inline namespace study {

namespace fs = std::filesystem;

std::string ConfigPlace::describe() const {
    std::string text = file;
    if (line > 0) text += " line " + std::to_string(line);
    if (!key.empty()) text += ": key '" + key + "'";
    return text;
}

const char* to_string(LayerRole role) {
    switch (role) {
        case LayerRole::blocks: return "blocks";
        case LayerRole::area: return "area";
        case LayerRole::pcn_practices: return "pcn_practices";
        case LayerRole::district: return "district";
        case LayerRole::division: return "division";
        case LayerRole::ward: return "ward";
        case LayerRole::county: return "county";
        case LayerRole::nhs: return "nhs";
        case LayerRole::lep: return "lep";
        case LayerRole::ttwa: return "ttwa";
        case LayerRole::boundary: return "boundary";
    }
    return "?";
}

bool is_boundary(LayerRole role) {
    return role != LayerRole::blocks && role != LayerRole::area && role != LayerRole::pcn_practices;
}

const StudyLayer* StudyConfig::layer(const std::string& name) const {
    for (const StudyLayer& candidate : layers)
        if (candidate.name == name) return &candidate;
    return nullptr;
}

namespace {

constexpr std::array all_roles{LayerRole::blocks,   LayerRole::area,   LayerRole::pcn_practices, LayerRole::district,
                               LayerRole::division, LayerRole::ward,   LayerRole::county,        LayerRole::nhs,
                               LayerRole::lep,      LayerRole::ttwa,   LayerRole::boundary};

bool is_database(const std::string& text) {
    return text.size() >= 3 && std::toupper(static_cast<unsigned char>(text[0])) == 'P' &&
           std::toupper(static_cast<unsigned char>(text[1])) == 'G' && text[2] == ':';
}

[[noreturn]] void fail(const ConfigPlace& where, const std::string& reason) {
    throw invalid_input(where.describe() + ": " + reason);
}

const char* type_name(const toml::node& node) {
    switch (node.type()) {
        case toml::node_type::string: return "a string";
        case toml::node_type::integer: return "an integer";
        case toml::node_type::floating_point: return "a number";
        case toml::node_type::boolean: return "true or false";
        case toml::node_type::array: return "an array";
        case toml::node_type::table: return "a table";
        default: return "a date or time";
    }
}

/// The enum value whose to_string() is `text`; the error lists the accepted ones.
template <typename Enum, std::size_t N>
Enum enum_value(const std::string& text, const std::array<Enum, N>& values, const ConfigPlace& where) {
    try {
        const std::string what = where.key.substr(where.key.rfind('.') + 1);
        return choice_from_string(text, what.c_str(), values);
    } catch (const invalid_input& e) {
        fail(where, e.reason());
    }
}

/// One TOML table being read, with typed getters. The keys it may hold are
/// given up front, and any other key is refused before any value is read: a
/// misspelt key would otherwise be silently ignored, or reported as the key
/// it was meant to be missing.
class Section {
public:
    Section(const toml::table& table, std::string prefix, const std::string& file, std::vector<std::string> known)
        : m_table(table), m_prefix(std::move(prefix)), m_file(file), m_known(std::move(known)) {
        for (auto&& [key, node] : m_table) {
            const std::string name(key.str());
            if (std::find(m_known.begin(), m_known.end(), name) != m_known.end()) continue;
            std::string list;
            for (const std::string& k : m_known) list += (list.empty() ? "" : ", ") + k;
            fail(ConfigPlace{m_file, static_cast<long>(key.source().begin.line), m_prefix.empty() ? name : m_prefix + "." + name},
                 "unknown key (known here: " + list + ")");
        }
    }

    const std::string& prefix() const { return m_prefix; }

    /// Where `key` is given; where the table starts when it is absent.
    ConfigPlace place(const std::string& key) const {
        const toml::node* node = m_table.get(key);
        const auto& source = node ? node->source() : m_table.source();
        return {m_file, static_cast<long>(source.begin.line), m_prefix.empty() ? key : m_prefix + "." + key};
    }
    ConfigPlace place() const { return {m_file, static_cast<long>(m_table.source().begin.line), m_prefix}; }

    const toml::node* get(const std::string& key) const {
        assert(std::find(m_known.begin(), m_known.end(), key) != m_known.end());
        return m_table.get(key);
    }
    bool has(const std::string& key) const { return m_table.contains(key); }

    std::optional<std::string> text(const std::string& key) const {
        const toml::node* node = get(key);
        if (!node) return std::nullopt;
        if (!node->is_string()) fail(place(key), std::string("must be a string, not ") + type_name(*node));
        return node->value<std::string>();
    }
    std::string required_text(const std::string& key) const {
        std::optional<std::string> value = text(key);
        if (!value) fail(place(key), "is missing");
        if (value->empty()) fail(place(key), "is empty");
        return *value;
    }
    /// A number in [low, high]; integers are accepted, and so are inf and nan
    /// where the range allows them.
    std::optional<double> number(const std::string& key, double low, double high) const {
        const toml::node* node = get(key);
        if (!node) return std::nullopt;
        if (!node->is_number()) fail(place(key), std::string("must be a number, not ") + type_name(*node));
        const double value = node->is_integer() ? static_cast<double>(*node->value<std::int64_t>()) : *node->value<double>();
        if (!(value >= low && value <= high)) {
            std::ostringstream range;
            range << "must be between " << low << " and " << high;
            fail(place(key), range.str());
        }
        return value;
    }
    std::optional<std::int64_t> integer(const std::string& key, std::int64_t low, std::int64_t high) const {
        const toml::node* node = get(key);
        if (!node) return std::nullopt;
        if (!node->is_integer()) fail(place(key), std::string("must be an integer, not ") + type_name(*node));
        const std::int64_t value = *node->value<std::int64_t>();
        if (value < low || value > high)
            fail(place(key), "must be between " + std::to_string(low) + " and " + std::to_string(high));
        return value;
    }
    std::optional<bool> flag(const std::string& key) const {
        const toml::node* node = get(key);
        if (!node) return std::nullopt;
        if (!node->is_boolean()) fail(place(key), std::string("must be true or false, not ") + type_name(*node));
        return node->value<bool>();
    }
    std::optional<std::vector<std::string>> texts(const std::string& key) const {
        const toml::node* node = get(key);
        if (!node) return std::nullopt;
        const toml::array* array = node->as_array();
        if (!array) fail(place(key), std::string("must be an array of strings, not ") + type_name(*node));
        std::vector<std::string> values;
        for (const toml::node& item : *array) {
            if (!item.is_string()) fail(place(key), std::string("must hold strings only, not ") + type_name(item));
            values.push_back(*item.value<std::string>());
        }
        return values;
    }
    /// A sub-table, or nullptr when absent.
    const toml::table* table(const std::string& key) const {
        const toml::node* node = get(key);
        if (!node) return nullptr;
        if (!node->is_table()) fail(place(key), std::string("must be a table, not ") + type_name(*node));
        return node->as_table();
    }

private:
    const toml::table& m_table;
    std::string m_prefix;
    const std::string& m_file;
    std::vector<std::string> m_known;
};

class ConfigReader {
public:
    ConfigReader(const toml::table& root, std::string path) : m_root(root) {
        m_config.path = std::move(path);
        m_folder = fs::path(m_config.path).parent_path();
    }

    StudyConfig read() {
        Section root(m_root, "", m_config.path,
                     {"study", "layers", "population", "deprivation", "towns", "scoring", "matrix", "pcn", "footprints",
                      "comparisons", "flows", "maps"});
        read_study(root);
        read_layers(root);
        read_tables(root);
        read_towns(root);
        read_scoring(root);
        read_matrix(root);
        read_pcn(root);
        read_footprints(root);
        check_footprints_against();
        read_comparisons(root);
        read_flows(root);
        read_maps(root);
        return std::move(m_config);
    }

private:
    const toml::table& m_root;
    StudyConfig m_config;
    fs::path m_folder;
    std::optional<ConfigPlace> m_against_place;  ///< where footprints_against was given
    std::map<std::string, ConfigPlace> m_clip_places;  ///< layer name -> where its clip was given

    /// A path relative to the config's folder; PG: connection strings as given.
    std::string resolve(const std::string& text) const {
        if (is_database(text)) return text;
        const fs::path path(text);
        if (path.is_absolute() || m_folder.empty()) return path.lexically_normal().string();
        return (m_folder / path).lexically_normal().string();
    }
    std::string existing_file(const Section& section, const std::string& key) {
        const std::string path = resolve(section.required_text(key));
        if (!is_database(path)) {
            std::error_code error;
            if (!fs::is_regular_file(path, error)) fail(section.place(key), "file not found: " + path);
        }
        return path;
    }
    /// A layer named under [layers], optionally of the given kinds.
    std::string layer_name(const Section& section, const std::string& key, bool required,
                           const std::vector<LayerRole>& roles = {}) {
        std::optional<std::string> name = required ? section.required_text(key) : section.text(key);
        if (!name) return {};
        const StudyLayer* layer = m_config.layer(*name);
        if (!layer) fail(section.place(key), "no layer '" + *name + "' under [layers]");
        if (!roles.empty() && std::find(roles.begin(), roles.end(), layer->role) == roles.end()) {
            std::string wanted;
            for (LayerRole role : roles) wanted += std::string(wanted.empty() ? "" : " or ") + to_string(role);
            fail(section.place(key), "layer '" + *name + "' has role " + to_string(layer->role) + "; a layer of role " +
                                         wanted + " is needed here");
        }
        if (roles.empty() && layer->role == LayerRole::pcn_practices)
            fail(section.place(key), "layer '" + *name + "' holds points; a polygon layer is needed here");
        return *name;
    }

    void read_study(const Section& root) {
        const toml::table* table = root.table("study");
        m_config.title = fs::path(m_config.path).stem().string();
        if (!table) return;
        Section study(*table, "study", m_config.path, {"title", "crs", "assume_crs", "invalid"});
        if (auto title = study.text("title")) m_config.title = *title;
        if (auto crs = study.text("crs")) m_config.read.study_crs = *crs;
        if (auto crs = study.text("assume_crs")) m_config.read.assume_crs = *crs;
        if (auto invalid = study.text("invalid"))
            m_config.read.invalid = enum_value(*invalid, std::array{InvalidPolicy::repair, InvalidPolicy::skip, InvalidPolicy::fail},
                                               study.place("invalid"));
    }

    void read_layers(const Section& root) {
        const toml::table* table = root.table("layers");
        if (!table || table->empty()) fail(root.place("layers"), "no layers: give at least one [layers.NAME] table");
        for (auto&& [key, node] : *table) {
            const std::string name(key.str());
            const ConfigPlace where{m_config.path, static_cast<long>(key.source().begin.line), "layers." + name};
            if (!node.is_table()) fail(where, std::string("must be a table, not ") + type_name(node));
            Section section(*node.as_table(), "layers." + name, m_config.path,
                            {"title", "role", "path", "layer", "code", "label", "clip", "clip_codes", "vintage", "dissolve"});
            StudyLayer layer;
            layer.name = name;
            layer.where = section.place();
            layer.title = section.text("title").value_or(name);
            layer.vintage = section.text("vintage").value_or(layer.title);
            layer.role = enum_value(section.required_text("role"), all_roles, section.place("role"));
            layer.address.path = existing_file(section, "path");
            layer.address.layer = section.text("layer").value_or("");
            layer.address.code_column = section.text("code").value_or("");
            layer.label_column = section.text("label").value_or("");
            layer.address.label_column = layer.label_column;
            if (auto clip = section.text("clip")) {
                layer.clip = *clip;
                m_clip_places[name] = section.place("clip");
            }
            if (auto codes = section.texts("clip_codes")) layer.clip_codes = *codes;
            layer.dissolve = section.text("dissolve").value_or("");
            if (!layer.dissolve.empty() && layer.role == LayerRole::pcn_practices)
                fail(section.place("dissolve"), "points cannot be dissolved");
            if (layer.clip.empty() && !layer.clip_codes.empty()) fail(section.place("clip_codes"), "needs 'clip' (the layer the codes belong to)");
            m_config.layers.push_back(std::move(layer));
        }
        // A TOML table is a map; the report lists the layers in the order written.
        std::stable_sort(m_config.layers.begin(), m_config.layers.end(),
                         [](const StudyLayer& a, const StudyLayer& b) { return a.where.line < b.where.line; });
        for (const StudyLayer& layer : m_config.layers) {
            if (layer.clip.empty()) continue;
            const ConfigPlace& where = m_clip_places.at(layer.name);
            const StudyLayer* clip = m_config.layer(layer.clip);
            if (!clip) fail(where, "no layer '" + layer.clip + "' under [layers]");
            if (clip == &layer) fail(where, "a layer cannot clip itself");
            if (!clip->clip.empty()) fail(where, "layer '" + layer.clip + "' is itself clipped; clip with an unclipped layer");
            if (clip->role == LayerRole::pcn_practices) fail(where, "layer '" + layer.clip + "' holds points");
        }
    }

    std::optional<StudyTable> read_table(const Section& root, const std::string& name) {
        const toml::table* table = root.table(name);
        if (!table) return std::nullopt;
        std::vector<std::string> keys{"layer", "table", "key", "column", "title", "vintage"};
        if (name == "deprivation") keys.insert(keys.end(), {"most_deprived", "score"});
        Section section(*table, name, m_config.path, keys);
        StudyTable result;
        result.where = section.place();
        result.layer = layer_name(section, "layer", true);
        result.path = existing_file(section, "table");
        result.key = section.required_text("key");
        result.column = section.required_text("column");
        result.title = section.text("title").value_or(result.column);
        result.vintage = section.text("vintage").value_or(result.title);
        if (name == "deprivation") {
            result.most_deprived = static_cast<std::size_t>(section.integer("most_deprived", 0, 100000).value_or(21));
            result.score = section.text("score").value_or("");
            if (!result.score.empty() && result.score == result.column)
                fail(section.place("score"), "is the column itself; give score only beside a rank column");
        }
        return result;
    }

    void read_tables(const Section& root) {
        m_config.population = read_table(root, "population");
        m_config.deprivation = read_table(root, "deprivation");
    }

    void read_towns(const Section& root) {
        const toml::table* table = root.table("towns");
        if (!table) return;
        Section section(*table, "towns", m_config.path, {"path", "crs", "outside"});
        StudyTowns towns;
        towns.where = section.place();
        towns.path = existing_file(section, "path");
        towns.crs = section.text("crs").value_or("");
        if (auto outside = section.text("outside")) {
            if (*outside != "skip" && *outside != "fail") fail(section.place("outside"), "'" + *outside + "' is not one of skip, fail");
            towns.skip_outside = *outside == "skip";
        }
        m_config.towns = towns;
    }

    void read_scoring(const Section& root) {
        const toml::table* table = root.table("scoring");
        if (!table) return;
        Section section(*table, "scoring", m_config.path,
                        {"tolerance", "min_share", "distance", "alignment", "footprints_against"});
        ScoringOptions& s = m_config.scoring;
        s.tolerance = section.number("tolerance", 0.5, 1.0).value_or(s.tolerance);
        s.min_share = section.number("min_share", 0.0, 0.5).value_or(s.min_share);
        s.distance = section.number("distance", 0.0, 10000.0).value_or(s.distance);
        m_config.alignment = section.flag("alignment").value_or(true);
        if (auto names = section.texts("footprints_against")) {
            // Checked once [pcn] is read: "pcn" needs it.
            m_config.footprints_against = *names;
            m_against_place = section.place("footprints_against");
        }
    }

    void read_matrix(const Section& root) {
        for (const StudyLayer& layer : m_config.layers)
            if (is_boundary(layer.role)) m_config.matrix_layers.push_back(layer.name);
        const toml::table* table = root.table("matrix");
        if (!table) return;
        Section section(*table, "matrix", m_config.path, {"layers", "pcn", "population"});
        if (auto names = section.texts("layers")) {
            std::set<std::string> seen;
            for (const std::string& name : *names) {
                const StudyLayer* layer = m_config.layer(name);
                if (!layer) fail(section.place("layers"), "no layer '" + name + "' under [layers]");
                if (layer->role == LayerRole::pcn_practices) fail(section.place("layers"), "layer '" + name + "' holds points");
                if (!seen.insert(name).second) fail(section.place("layers"), "layer '" + name + "' is listed twice");
            }
            m_config.matrix_layers = *names;
        }
        m_config.matrix_with_pcn = section.flag("pcn").value_or(true);
        m_config.matrix_population = section.flag("population").value_or(true);
    }

    void read_pcn(const Section& root) {
        const toml::table* table = root.table("pcn");
        if (!table) return;
        Section section(*table, "pcn", m_config.path,
                        {"practices", "method", "clip", "clip_codes", "blocks", "registered", "nearest", "same_site",
                         "pcn_code", "pcn_name", "practice_name", "unallocated"});
        StudyPcn pcn;
        pcn.where = section.place();
        if (section.has("practices")) {
            pcn.practices = layer_name(section, "practices", true, {LayerRole::pcn_practices});
        } else {
            for (const StudyLayer& layer : m_config.layers)
                if (layer.role == LayerRole::pcn_practices) {
                    if (!pcn.practices.empty()) fail(section.place("practices"), "is missing, and several layers have role pcn_practices");
                    pcn.practices = layer.name;
                }
            if (pcn.practices.empty()) fail(section.place("practices"), "is missing, and no layer has role pcn_practices");
        }
        PcnOptions& options = pcn.options;
        if (auto method = section.text("method"))
            options.method = enum_value(*method, std::array{PcnMethod::voronoi, PcnMethod::blocks, PcnMethod::registered},
                                        section.place("method"));
        pcn.clip = layer_name(section, "clip", true);
        if (auto codes = section.texts("clip_codes")) options.clip_codes = *codes;
        pcn.blocks = layer_name(section, "blocks", false);
        if (options.method != PcnMethod::voronoi && pcn.blocks.empty())
            fail(section.place("blocks"), std::string("is needed by the ") + to_string(options.method) + " method");
        if (section.has("registered")) pcn.registered = existing_file(section, "registered");
        if (options.method == PcnMethod::registered && pcn.registered.empty())
            fail(section.place("registered"), "is needed by the registered method (patients registered by practice and LSOA)");
        options.nearest_practice = section.flag("nearest").value_or(false);
        options.same_site = section.number("same_site", 0.0, 1000.0).value_or(options.same_site);
        options.columns.pcn_code = section.text("pcn_code").value_or(options.columns.pcn_code);
        options.columns.pcn_name = section.text("pcn_name").value_or(options.columns.pcn_name);
        options.columns.practice_name = section.text("practice_name").value_or(options.columns.practice_name);
        if (auto unallocated = section.texts("unallocated")) options.unallocated = *unallocated;
        m_config.pcn = pcn;
    }

    StudyAttribute attribute(const toml::node& node, const Section& section) {
        const ConfigPlace where = section.place("attributes");
        StudyAttribute result;
        if (node.is_string()) {
            result.column = *node.value<std::string>();
        } else if (const toml::table* table = node.as_table()) {
            Section item(*table, section.prefix() + ".attributes", m_config.path, {"column", "weight"});
            result.column = item.required_text("column");
            result.weight = item.number("weight", 0.0, 1000.0).value_or(1.0);
        } else {
            fail(where, std::string("must hold column names or { column = \"...\", weight = ... } tables, not ") + type_name(node));
        }
        const bool derived = result.column == "density" || result.column == "position" || result.column == "boundary";
        if (!derived && !m_config.deprivation)
            fail(where, "'" + result.column + "' needs a [deprivation] table (its columns are the attributes), or use density, position or boundary");
        if (result.column == "density" && !m_config.population) fail(where, "density needs a [population] table");
        return result;
    }

    /// respect or align: a layer name, or an array of layer names and
    /// { layer = "...", weight = ... } tables.
    std::vector<StudyPartner> partners(const Section& section, const std::string& key) {
        const toml::node* node = section.get(key);
        if (!node) return {};
        std::vector<StudyPartner> result;
        auto read = [&](const toml::node& item) {
            StudyPartner partner;
            if (item.is_string()) {
                partner.layer = *item.value<std::string>();
            } else if (const toml::table* table = item.as_table()) {
                Section entry(*table, section.prefix() + "." + key, m_config.path, {"layer", "weight"});
                partner.layer = entry.required_text("layer");
                partner.weight = entry.number("weight", 1e-6, 1e6).value_or(1.0);
            } else {
                fail(section.place(key), std::string("must hold layer names or { layer = \"...\", weight = ... } tables, not ") +
                                             type_name(item));
            }
            if (partner.layer == "pcn") {  // the study's own PCN footprints, made before any [[footprints]] run
                if (!m_config.pcn) fail(section.place(key), "'pcn' needs a [pcn] table");
                result.push_back(partner);
                return;
            }
            const StudyLayer* layer = m_config.layer(partner.layer);
            if (!layer) fail(section.place(key), "no layer '" + partner.layer + "' under [layers] (or 'pcn' with a [pcn] table)");
            if (layer->role == LayerRole::pcn_practices)
                fail(section.place(key), "layer '" + partner.layer + "' holds points; a polygon layer is needed here");
            result.push_back(partner);
        };
        if (const toml::array* array = node->as_array()) {
            for (const toml::node& item : *array) read(item);
        } else {
            read(*node);
        }
        return result;
    }

    void read_footprints(const Section& root) {
        const toml::node* node = root.get("footprints");
        if (!node) return;
        const toml::array* runs = node->as_array();
        if (!runs || !runs->is_array_of_tables()) fail(root.place("footprints"), "must be written as [[footprints]] tables");
        std::set<std::string> ids;
        std::size_t index = 0;
        for (const toml::node& run : *runs) {
            const std::string prefix = "footprints[" + std::to_string(++index) + "]";
            Section section(*run.as_table(), prefix, m_config.path,
                            {"id", "title", "blocks", "method", "k", "mean_population", "min_population", "max_population", "attributes",
                             "seed", "adjacency", "snap", "min_shared_length", "join_islands", "linkage", "search",
                             "refine", "tries", "restarts", "rural_distance", "rural_footprints", "balance", "nest_in",
                             "within",
                             "ensemble", "ensemble_methods", "respect", "align", "printed"});
            StudyFootprints f;
            f.where = section.place();
            f.id = table_id(section, "run", index, ids, "[[footprints]] run");
            f.blocks = layer_name(section, "blocks", true, {LayerRole::blocks});
            FootprintRequest& r = f.request;
            ClusterOptions& c = r.cluster;
            try {
                c.method = cluster_method_from_string(section.required_text("method"));
            } catch (const invalid_input& e) {
                fail(section.place("method"), e.reason());
            }
            f.title = section.text("title").value_or(std::string("Town footprints by ") + to_string(c.method));
            f.printed = section.flag("printed").value_or(true);
            r.k = static_cast<std::size_t>(section.integer("k", 0, 100000).value_or(0));
            const double inf = std::numeric_limits<double>::infinity();
            r.mean_population = section.number("mean_population", 1.0, 1e12).value_or(0.0);
            r.min_population = section.number("min_population", 0.0, 1e12).value_or(0.0);
            r.max_population = section.number("max_population", 1.0, inf).value_or(inf);
            if ((r.min_population > 0 || std::isfinite(r.max_population) || r.mean_population > 0) && !m_config.population)
                fail(section.place(r.mean_population > 0   ? "mean_population"
                                   : r.min_population > 0 ? "min_population"
                                                          : "max_population"),
                     "needs a [population] table");
            if (r.mean_population > 0 && r.k > 0) fail(section.place("mean_population"), "give k or mean_population, not both");
            if (r.mean_population > 0 && c.method == ClusterMethod::seeded)
                fail(section.place("mean_population"), "does not apply to seeded growth (one footprint per town)");
            if (c.method != ClusterMethod::maxp && c.method != ClusterMethod::seeded && r.k == 0 && r.mean_population == 0)
                fail(section.place("k"), std::string("(or mean_population) is needed by ") + to_string(c.method) + " (the number of footprints)");
            if (c.method == ClusterMethod::maxp && r.k == 0 && r.mean_population == 0 && r.min_population <= 0)
                fail(section.place("min_population"), "max-p needs a population floor (min_population) or k");
            if (c.method == ClusterMethod::seeded && !m_config.towns) fail(section.place("method"), "seeded growth needs a [towns] table");
            if (const toml::node* list = section.get("attributes")) {
                const toml::array* array = list->as_array();
                if (!array) fail(section.place("attributes"), std::string("must be an array, not ") + type_name(*list));
                for (const toml::node& item : *array) f.attributes.push_back(attribute(item, section));
            }
            if (f.attributes.empty() && c.method != ClusterMethod::seeded)
                fail(section.place("attributes"), std::string("is needed by ") + to_string(c.method) +
                                                      " (deprivation columns, density or position)");
            c.seed = static_cast<std::uint64_t>(section.integer("seed", 0, std::numeric_limits<std::int64_t>::max()).value_or(1));
            if (auto adjacency = section.text("adjacency"))
                r.contiguity.adjacency = enum_value(*adjacency, std::array{Adjacency::queen, Adjacency::rook}, section.place("adjacency"));
            r.contiguity.snap = section.number("snap", 0.0, 1000.0).value_or(r.contiguity.snap);
            r.contiguity.min_shared_length = section.number("min_shared_length", 0.0, 10000.0).value_or(r.contiguity.min_shared_length);
            if (section.flag("join_islands").value_or(false)) r.contiguity.islands = IslandPolicy::join_nearest;
            if (auto linkage = section.text("linkage"))
                c.linkage = enum_value(*linkage, std::array{Linkage::single, Linkage::average, Linkage::complete}, section.place("linkage"));
            if (auto search = section.text("search"))
                c.search = enum_value(*search, std::array{LocalSearch::greedy, LocalSearch::tabu, LocalSearch::annealing},
                                      section.place("search"));
            c.refine = section.flag("refine").value_or(false);
            c.construction_tries = static_cast<std::size_t>(section.integer("tries", 1, 100000).value_or(100));
            c.restarts = static_cast<std::size_t>(section.integer("restarts", 1, 100000).value_or(10));
            c.rural_distance = section.number("rural_distance", 0.0, inf).value_or(inf);
            c.rural_footprints = static_cast<std::size_t>(section.integer("rural_footprints", 0, 100000).value_or(0));
            if (const std::optional<double> balance = section.number("balance", 0.0, 4.0)) c.balance = *balance;
            const std::string nest_in = layer_name(section, "nest_in", false);
            const std::string within = layer_name(section, "within", false);
            if (!nest_in.empty() && !within.empty()) fail(section.place("within"), "give nest_in or within, not both");
            f.nest_layer = nest_in.empty() ? within : nest_in;
            r.nesting = !nest_in.empty() ? Nesting::whole_units : !within.empty() ? Nesting::within_units : Nesting::none;
            // ensemble: N seeds (and methods), the consensus and each block's stability
            r.ensemble.runs = static_cast<std::size_t>(section.integer("ensemble", 2, 100000).value_or(0));
            if (const toml::node* list = section.get("ensemble_methods")) {
                const toml::array* array = list->as_array();
                if (!array) fail(section.place("ensemble_methods"), std::string("must be an array, not ") + type_name(*list));
                for (const toml::node& item : *array) {
                    const std::optional<std::string> name = item.value<std::string>();
                    if (!name) fail(section.place("ensemble_methods"), "must list method names (azp, maxp, skater, redcap)");
                    try {
                        r.ensemble.methods.push_back(cluster_method_from_string(*name));
                    } catch (const invalid_input& e) {
                        fail(section.place("ensemble_methods"), e.reason());
                    }
                }
                if (r.ensemble.runs == 0) fail(section.place("ensemble_methods"), "needs ensemble = N (the number of runs)");
            }
            f.respect = partners(section, "respect");
            f.align = partners(section, "align");
            m_config.footprints.push_back(std::move(f));
        }
    }

    /// footprints_against names layers, or "pcn" when there is a [pcn]; by
    /// default the division layers and the PCN footprints.
    void check_footprints_against() {
        if (!m_against_place) {
            for (const StudyLayer& layer : m_config.layers)
                if (layer.role == LayerRole::division) m_config.footprints_against.push_back(layer.name);
            if (m_config.pcn) m_config.footprints_against.emplace_back("pcn");
            return;
        }
        for (const std::string& name : m_config.footprints_against) {
            if (name == "pcn") {
                if (!m_config.pcn) fail(*m_against_place, "'pcn' needs a [pcn] table");
                continue;
            }
            const StudyLayer* layer = m_config.layer(name);
            if (!layer) fail(*m_against_place, "no layer '" + name + "' under [layers] (or 'pcn')");
            if (layer->role == LayerRole::pcn_practices) fail(*m_against_place, "layer '" + name + "' holds points");
        }
    }

    /// The id of the index-th table of an array ([[footprints]] and the
    /// like), `fallback` and its number when not given: it names files and
    /// layers, so [a-z0-9_]+, and no other table of the array has it (`ids`).
    static std::string table_id(const Section& section, const std::string& fallback, std::size_t index,
                                std::set<std::string>& ids, const std::string& other) {
        const std::string id = section.text("id").value_or(fallback + std::to_string(index));
        if (id.empty() || !std::all_of(id.begin(), id.end(), [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
            }))
            fail(section.place("id"), "'" + id + "' must be lower-case letters, digits and _ (it names files and layers)");
        if (!ids.insert(id).second) fail(section.place("id"), "'" + id + "' is used by another " + other);
        return id;
    }

    bool is_footprint_run(const std::string& id) const {
        return std::any_of(m_config.footprints.begin(), m_config.footprints.end(),
                           [&](const StudyFootprints& f) { return f.id == id; });
    }

    /// An array of tables `key` of `section` ([[key]]), each read by `read`.
    template <typename Read>
    void each_table(const Section& section, const std::string& key, const Read& read) {
        const toml::node* node = section.get(key);
        if (!node) return;
        const toml::array* tables = node->as_array();
        const std::string full = section.prefix().empty() ? key : section.prefix() + "." + key;
        if (!tables || !tables->is_array_of_tables()) fail(section.place(key), "must be written as [[" + full + "]] tables");
        std::size_t index = 0;
        for (const toml::node& table : *tables) {
            ++index;
            read(*table.as_table(), full + "[" + std::to_string(index) + "]", index);
        }
    }

    void read_comparisons(const Section& root) {
        std::set<std::string> ids;
        each_table(root, "comparisons", [&](const toml::table& table, const std::string& prefix, std::size_t index) {
            Section section(table, prefix, m_config.path,
                            {"id", "title", "blocks", "partners", "min_population", "max_population", "key",
                             "place_column", "block_column", "proposals"});
            StudyComparison c;
            c.where = section.place();
            c.id = table_id(section, "comparison", index, ids, "[[comparisons]] table");
            c.title = section.text("title").value_or("Proposals compared");
            c.blocks = layer_name(section, "blocks", true, {LayerRole::blocks});
            if (!m_config.population) fail(section.place(), "a comparison needs a [population] table");
            const double inf = std::numeric_limits<double>::infinity();
            c.min_population = section.number("min_population", 0.0, 1e12).value_or(0.0);
            c.max_population = section.number("max_population", 1.0, inf).value_or(inf);
            c.key = section.text("key").value_or("");
            c.place_column = section.text("place_column").value_or(c.place_column);
            c.block_column = section.text("block_column").value_or("");
            c.partners = section.texts("partners").value_or(std::vector<std::string>{});
            if (c.partners.empty()) fail(section.place("partners"), "names no partner layer to score against");
            for (const std::string& name : c.partners) {
                if (name == "pcn" ? m_config.pcn.has_value() : is_footprint_run(name)) continue;
                const StudyLayer* layer = m_config.layer(name);
                if (!layer) fail(section.place("partners"), "no layer '" + name + "' under [layers], footprint run or 'pcn'");
                if (layer->role == LayerRole::pcn_practices) fail(section.place("partners"), "layer '" + name + "' holds points");
            }
            std::set<std::string> names;
            each_table(section, "proposals", [&](const toml::table& item, const std::string& item_prefix, std::size_t) {
                Section proposal(item, item_prefix, m_config.path, {"name", "lookup", "layer", "footprints"});
                StudyProposal p;
                p.where = proposal.place();
                p.name = proposal.required_text("name");
                if (!names.insert(p.name).second) fail(proposal.place("name"), "'" + p.name + "' names another proposal");
                if (proposal.has("lookup")) p.lookup = existing_file(proposal, "lookup");
                p.layer = layer_name(proposal, "layer", false);
                p.footprints = proposal.text("footprints").value_or("");
                if (!p.footprints.empty() && !is_footprint_run(p.footprints))
                    fail(proposal.place("footprints"), "no [[footprints]] run '" + p.footprints + "'");
                if (!p.lookup.empty() + !p.layer.empty() + !p.footprints.empty() != 1)
                    fail(proposal.place(), "give one of lookup, layer or footprints");
                c.proposals.push_back(std::move(p));
            });
            if (c.proposals.empty()) fail(section.place("proposals"), "has no [[" + prefix + ".proposals]] to compare");
            m_config.comparisons.push_back(std::move(c));
        });
    }

    void read_flows(const Section& root) {
        std::set<std::string> ids;
        each_table(root, "flows", [&](const toml::table& table, const std::string& prefix, std::size_t index) {
            Section section(table, prefix, m_config.path,
                            {"id", "title", "units", "table", "residence", "workplace", "count", "rules", "min_size",
                             "target_size", "min_containment", "target_containment", "adjacency", "snap",
                             "min_shared_length", "against", "regrouping"});
            StudyFlows f;
            f.where = section.place();
            f.id = table_id(section, "flows", index, ids, "[[flows]] table");
            f.title = section.text("title").value_or("Functional areas");
            f.units = layer_name(section, "units", true);
            f.table = existing_file(section, "table");
            f.residence = section.text("residence").value_or("");
            f.workplace = section.text("workplace").value_or("");
            f.count = section.text("count").value_or("");
            f.rules_name = section.text("rules").value_or(f.rules_name);
            try {
                FunctionalAreaRules::preset(f.rules_name);
            } catch (const invalid_input& e) {
                fail(section.place("rules"), e.reason());
            }
            const double keep = std::numeric_limits<double>::quiet_NaN();  // the rules' own
            try {
                f.rules = FunctionalAreaRules::preset(
                    f.rules_name, section.number("min_size", 1.0, 1e12).value_or(keep),
                    section.number("target_size", 1.0, 1e12).value_or(keep),
                    section.number("min_containment", 0.0, 1.0).value_or(keep),
                    section.number("target_containment", 0.0, 1.0).value_or(keep));
            } catch (const invalid_input& e) {
                fail(section.place(), e.reason());
            }
            if (auto regrouping = section.text("regrouping"))
                f.rules.regrouping = enum_value(*regrouping, std::array{Regrouping::whole_area, Regrouping::one_unit},
                                                section.place("regrouping"));
            if (auto adjacency = section.text("adjacency"))
                f.contiguity.adjacency = enum_value(*adjacency, std::array{Adjacency::queen, Adjacency::rook}, section.place("adjacency"));
            f.contiguity.snap = section.number("snap", 0.0, 1000.0).value_or(f.contiguity.snap);
            f.contiguity.min_shared_length = section.number("min_shared_length", 0.0, 10000.0).value_or(f.contiguity.min_shared_length);
            if (const std::optional<std::vector<std::string>> against = section.texts("against")) {
                for (const std::string& name : *against) {
                    const StudyLayer* layer = m_config.layer(name);
                    if (!layer) fail(section.place("against"), "no layer '" + name + "' under [layers]");
                    if (layer->role == LayerRole::pcn_practices) fail(section.place("against"), "layer '" + name + "' holds points");
                }
                f.against = *against;
            } else {
                for (const StudyLayer& layer : m_config.layers)
                    if (layer.name != f.units &&
                        (layer.role == LayerRole::district || layer.role == LayerRole::lep || layer.role == LayerRole::ttwa))
                        f.against.push_back(layer.name);
            }
            m_config.flows.push_back(std::move(f));
        });
    }

    void read_maps(const Section& root) {
        const toml::table* table = root.table("maps");
        if (!table) return;
        Section section(*table, "maps", m_config.path, {"enabled", "width_px", "height_px", "dpi", "credit", "paper"});
        StudyMaps& maps = m_config.maps;
        maps.enabled = section.flag("enabled").value_or(true);
        maps.width_px = static_cast<int>(section.integer("width_px", 200, 10000).value_or(maps.width_px));
        maps.height_px = static_cast<int>(section.integer("height_px", 200, 10000).value_or(maps.height_px));
        maps.dpi = section.number("dpi", 36.0, 1200.0).value_or(maps.dpi);
        maps.credit = section.text("credit").value_or("");
        if (auto paper = section.text("paper")) {
            try {
                maps.paper = paper_from_string(*paper);
            } catch (const invalid_input& e) {
                fail(section.place("paper"), e.what());
            }
        }
    }
};

/// The length of the UTF-8 sequence that starts with `lead`, or 0 when no
/// sequence starts with it.
std::size_t utf8_length(unsigned char lead) {
    if (lead < 0x80) return 1;
    if ((lead & 0xE0) == 0xC0) return 2;
    if ((lead & 0xF0) == 0xE0) return 3;
    if ((lead & 0xF8) == 0xF0) return 4;
    return 0;
}

/// toml++ 3.3 (Debian 12) reaches __builtin_unreachable(), undefined
/// behaviour, when it tests many non-ASCII characters for whitespace ('é',
/// 'Ư', '©', U+FE3F, ...), which it does outside strings and after a
/// backslash in one (found by fuzzing). So toml++ is given the config in
/// ASCII, with the same meaning: in a basic string each non-ASCII character
/// becomes its \uXXXX escape, a literal string becomes the basic string of
/// the same text, a comment's non-ASCII characters become '?'. Anywhere else
/// a non-ASCII character is never valid TOML, and is refused here. Newlines
/// are kept, so toml++'s line numbers stay right.
class AsciiToml {
public:
    AsciiToml(const std::string& text, const std::string& path) : m_text(text), m_path(path) {}

    std::string convert() {
        if (std::all_of(m_text.begin(), m_text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
            return m_text;
        m_out.reserve(m_text.size() + m_text.size() / 4);
        while (m_at < m_text.size()) {
            const char c = m_text[m_at];
            if (c == '#') {
                comment();
            } else if (c == '"' || c == '\'') {
                string(c);
            } else if (static_cast<unsigned char>(c) >= 0x80) {
                fail_here("a non-ASCII character outside quotes; names and texts go in quotes, as in "
                          "name = \"Egham\"");
            } else {
                copy_byte();
            }
        }
        return m_out;
    }

private:
    const std::string& m_text;
    const std::string& m_path;
    std::string m_out;
    std::size_t m_at = 0;
    long m_line = 1;

    [[noreturn]] void fail_here(const std::string& what) const {
        fail(ConfigPlace{m_path, m_line, {}}, "not valid TOML: " + what);
    }
    bool at(const std::string& token) const { return m_text.compare(m_at, token.size(), token) == 0; }
    void copy_byte() {
        if (m_text[m_at] == '\n') ++m_line;
        m_out += m_text[m_at++];
    }

    /// The code point of the UTF-8 sequence at m_at, which it passes.
    char32_t code_point() {
        const auto lead = static_cast<unsigned char>(m_text[m_at]);
        const std::size_t length = utf8_length(lead);
        if (length < 2 || m_at + length > m_text.size()) fail_here("a byte that is not UTF-8");
        char32_t value = lead & (0x7F >> length);
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(m_text[m_at + k]);
            if ((next & 0xC0) != 0x80) fail_here("a byte that is not UTF-8");
            value = value << 6 | (next & 0x3F);
        }
        m_at += length;
        return value;
    }

    void escape(char32_t value) {
        char buffer[12];
        std::snprintf(buffer, sizeof buffer, value > 0xFFFF ? "\\U%08X" : "\\u%04X", static_cast<unsigned>(value));
        m_out += buffer;
    }

    void comment() {
        while (m_at < m_text.size() && m_text[m_at] != '\n') {
            if (static_cast<unsigned char>(m_text[m_at]) < 0x80) {
                copy_byte();
            } else {
                code_point();
                m_out += '?';
            }
        }
    }

    /// A string opened at m_at by `quote`, written out as a basic string. A
    /// single-line one also ends at the line's end (toml++ then reports it).
    void string(char quote) {
        const bool multi_line = at(std::string(3, quote));
        const std::string delimiter(multi_line ? 3 : 1, quote);
        const bool literal = quote == '\'';
        m_out += std::string(delimiter.size(), '"');
        m_at += delimiter.size();
        while (m_at < m_text.size()) {
            if (at(delimiter)) {
                // A run of up to five quotes closes a multi-line string: the
                // last three are the delimiter, the others are text.
                std::size_t run = 0;
                while (multi_line && run < 5 && m_at + run < m_text.size() && m_text[m_at + run] == quote) ++run;
                for (std::size_t k = 3; k < run; ++k) text_byte(literal);
                m_out += std::string(delimiter.size(), '"');
                m_at += delimiter.size();
                return;
            }
            const char c = m_text[m_at];
            if (c == '\n' && !multi_line) return;
            if (static_cast<unsigned char>(c) >= 0x80) {
                escape(code_point());
            } else if (!literal && c == '\\') {
                copy_byte();  // toml++ tests the escape's second character for whitespace: it must be ASCII
                if (m_at < m_text.size() && static_cast<unsigned char>(m_text[m_at]) >= 0x80)
                    fail_here("a non-ASCII character after a backslash in a string");
                if (m_at < m_text.size()) copy_byte();
            } else {
                text_byte(literal);
            }
        }
    }

    /// One ASCII byte of a string's text; in a literal one, what a basic
    /// string would read as an escape or its end is escaped.
    void text_byte(bool literal) {
        if (literal && (m_text[m_at] == '\\' || m_text[m_at] == '"')) m_out += '\\';
        copy_byte();
    }
};

}  // namespace

StudyConfig parse_study_config(const std::string& text, const std::string& path) {
    const std::string ascii = AsciiToml(text, path).convert();
    toml::table root;
    try {
        root = toml::parse(std::string_view(ascii), std::string_view(path));
    } catch (const toml::parse_error& e) {
        fail(ConfigPlace{path, static_cast<long>(e.source().begin.line), {}},
             "not valid TOML: " + std::string(e.description()));
    }
    return ConfigReader(root, path).read();
}

StudyConfig read_study_config(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw io_error("cannot open the study config", Location{path, {}, {}, {}, {}});
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw io_error("cannot read the study config", Location{path, {}, {}, {}, {}});
    return parse_study_config(text.str(), path);
}

}  // namespace study
}  // namespace placedef
