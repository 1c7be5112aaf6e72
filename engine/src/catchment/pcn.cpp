#include "placedef/catchment.hpp"
#include "placedef/choice.hpp"

#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "placedef/io.hpp"
#include "placedef/scoring.hpp"

#include "core/text.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <tuple>

namespace placedef {
inline namespace catchment {

const char* to_string(PcnMethod method) {
    switch (method) {
        case PcnMethod::voronoi: return "voronoi";
        case PcnMethod::blocks: return "blocks";
        case PcnMethod::registered: return "registered";
    }
    return "voronoi";
}

PcnMethod pcn_method_from_string(const std::string& text) {
    return choice_from_string(text, "PCN method", std::array{PcnMethod::voronoi, PcnMethod::blocks, PcnMethod::registered});
}

const char* to_string(PracticeStatus status) {
    switch (status) {
        case PracticeStatus::used: return "used";
        case PracticeStatus::no_location: return "no_location";
        case PracticeStatus::unallocated: return "unallocated";
        case PracticeStatus::outside_clip: return "outside_clip";
        case PracticeStatus::shares_site: return "shares_site";
    }
    return "used";
}

namespace {

using detail::iequals;

/// Index of the first of `names` among `columns`.
std::optional<std::size_t> find_column(const std::vector<std::string>& columns, std::initializer_list<const char*> names) {
    for (const char* name : names)
        if (auto found = detail::find_name(columns, name)) return found;
    return std::nullopt;
}

}  // namespace

RegisteredPatients read_registered_patients(const std::string& path) {
    const Table table = read_table(path, {}, KeyRule::repeated);
    auto require = [&](std::initializer_list<const char*> names, const char* what) {
        if (auto found = find_column(table.columns, names)) return *found;
        std::string accepted;
        for (const char* name : names) accepted += std::string(accepted.empty() ? "" : ", ") + name;
        throw invalid_input(std::string("has no ") + what + " column (accepted: " + accepted + ")",
                            Location{path, {}, {}, {}, *names.begin()});
    };
    const std::size_t practice = require({"PRACTICE_CODE"}, "practice");
    const std::size_t block = require({"LSOA_CODE", "LSOA11CD", "LSOA21CD", "LSOA_CD"}, "LSOA");
    const std::size_t count = require({"NUMBER_OF_PATIENTS", "PATIENTS"}, "patient count");
    const std::optional<std::size_t> sex = find_column(table.columns, {"SEX"});
    bool has_all = false;
    if (sex)
        for (const auto& row : table.rows) has_all = has_all || iequals(row[*sex], "ALL");

    RegisteredPatients result;
    result.source = path;
    // Each (practice, LSOA) pair once: a repeated pair would be summed and could
    // change which PCN wins the LSOA, so it is refused with both lines named.
    std::map<std::pair<std::string, std::string>, std::size_t> line_of;
    for (std::size_t r = 0; r < table.size(); ++r) {
        const auto& row = table.rows[r];
        if (sex && has_all && !iequals(row[*sex], "ALL")) continue;  // the file also splits by sex
        const Location where{path, {}, static_cast<std::int64_t>(table.lines[r]), row[practice], table.columns[count]};
        const double patients = table.number(r, count);
        if (patients < 0)
            throw invalid_input("a negative number of patients (" + row[count] + ") for LSOA " + row[block], where);
        const auto [seen, first] = line_of.emplace(std::make_pair(row[practice], row[block]), table.lines[r]);
        if (!first)
            throw invalid_input("practice " + row[practice] + " and LSOA " + row[block] + " are given on line " +
                                    std::to_string(seen->second) + " and again here; give each pair once",
                                where);
        result.practice.push_back(row[practice]);
        result.block.push_back(row[block]);
        result.patients.push_back(patients);
    }
    return result;
}

namespace {

Layer single_unit_layer(const Layer& like, const std::string& name, MultiPolygon shape) {
    Layer layer;
    layer.name = name;
    layer.source = like.source;
    layer.crs = like.crs;
    layer.code_column = "code";
    Feature feature;
    feature.code = name;
    feature.shape = std::move(shape);
    layer.features.push_back(std::move(feature));
    return layer;
}

/// The clip area: the chosen units of the clip layer, as one shape.
MultiPolygon clip_area(const Layer& clip, const std::vector<std::string>& codes) {
    std::vector<MultiPolygon> shapes;
    if (codes.empty()) {
        for (const Feature& feature : clip.features) shapes.push_back(feature.shape);
    } else {
        for (const std::string& code : codes) {
            const auto index = clip.find(code);
            if (!index)
                throw invalid_input("the clip layer has no unit '" + code + "'",
                                    Location{clip.source, clip.name, {}, code, clip.code_column});
            shapes.push_back(clip.features[*index].shape);
        }
    }
    if (shapes.empty()) throw invalid_input("the clip layer " + clip.label() + " has no units");
    return shapes.size() == 1 ? shapes.front() : union_all(shapes);
}

struct Site {
    Coord at;
    std::string pcn;
};

/// The PCN with the largest value for a block. PCNs within best_fit_tie
/// (relative) of it tie: the code that sorts first wins and `tie` says
/// " (tie with ...)", naming the others.
struct Choice {
    std::string pcn;
    double value = 0;
    std::string tie;
};

Choice choose(const std::map<std::string, double>& values) {
    double largest = -std::numeric_limits<double>::infinity();
    for (const auto& entry : values) largest = std::max(largest, entry.second);
    const double floor = largest - best_fit_tie * std::abs(largest);
    Choice choice;
    std::string others;
    for (const auto& [pcn, value] : values) {  // map order: the first code at the top wins
        if (value < floor) continue;
        if (choice.pcn.empty()) choice = Choice{pcn, value, {}};
        else others += (others.empty() ? "" : ", ") + pcn;
    }
    if (!others.empty()) choice.tie = " (tie with " + others + ")";
    return choice;
}

class PcnBuilder {
public:
    PcnBuilder(const Layer& practices, const Layer& clip, const PcnOptions& options, ProblemSink& problems)
        : m_practices(practices), m_clip(clip), m_options(options), m_problems(problems) {
        if (practices.kind != LayerKind::point)
            throw invalid_input("the practices layer " + practices.label() + " must hold points");
        if (practices.crs != clip.crs)
            throw invalid_input("layers " + practices.label() + " and " + clip.label() + " are in different CRS");
        // A practice listed twice would be counted twice and could sit in two PCNs.
        std::map<std::string, std::int64_t> fid_of;
        for (const Feature& practice : practices.features) {
            const auto [first, inserted] = fid_of.emplace(practice.code, practice.fid);
            if (!inserted)
                throw invalid_input("practice code '" + practice.code + "' is given twice (features " +
                                        std::to_string(first->second) + " and " + std::to_string(practice.fid) +
                                        "); each practice must be listed once",
                                    Location{practices.source, practices.name, practice.fid, practice.code,
                                             practices.code_column});
        }
        auto column = [&](const std::string& name, bool required) -> std::optional<std::size_t> {
            auto index = practices.attribute_index(name);
            if (!index && required)
                throw invalid_input("has no column '" + name + "' (give --pcn-code / --pcn-name)",
                                    Location{practices.source, practices.name, {}, {}, name});
            return index;
        };
        m_pcn_code = *column(options.columns.pcn_code, true);
        m_pcn_name = column(options.columns.pcn_name, false);
        m_practice_name = column(options.columns.practice_name, false);
        m_clip_shape = clip_area(clip, options.clip_codes);
        m_clip_layer = single_unit_layer(clip, "clip", m_clip_shape);
    }

    PcnResult build(const Layer* blocks) {
        PcnResult result;
        result.method = m_options.method;
        place_practices(result);
        const std::vector<PcnFootprint> by_voronoi = voronoi();
        switch (m_options.method) {
            case PcnMethod::voronoi: result.footprints = by_voronoi; break;
            case PcnMethod::blocks:
            case PcnMethod::registered: {
                if (!blocks) throw invalid_input(std::string("the ") + to_string(m_options.method) + " method needs --blocks LAYER");
                if (blocks->crs != m_clip.crs) throw invalid_input("layers " + blocks->label() + " and " + m_clip.label() + " are in different CRS");
                result.footprints = from_blocks(*blocks, by_voronoi, result.blocks);
                std::tie(result.voronoi_agreement, result.voronoi_agreement_population) =
                    agreement(by_voronoi, result.footprints);
                break;
            }
        }
        finish(result);
        return result;
    }

private:
    std::string attribute(const Feature& feature, std::optional<std::size_t> index) const {
        return index ? feature.attributes[*index] : std::string();
    }
    bool unallocated(const std::string& pcn) const {
        return pcn.empty() || std::any_of(m_options.unallocated.begin(), m_options.unallocated.end(),
                                          [&](const std::string& code) { return iequals(code, pcn); });
    }

    void report(const PracticeReport& practice, const Feature& feature, const std::string& why) {
        Location where{m_practices.source, m_practices.name, feature.fid, feature.code, {}};
        m_problems.report(Problem{ProblemKind::practice_not_used, ProblemAction::skipped, where,
                                  practice.name + " (" + practice.pcn + "): " + why});
    }

    /// Decides each practice's fate and gathers the sites inside the clip area.
    void place_practices(PcnResult& result) {
        std::vector<Coord> points;
        std::vector<std::size_t> located;
        for (std::size_t i = 0; i < m_practices.size(); ++i)
            if (m_practices.features[i].located) {
                points.push_back(m_practices.features[i].point);
                located.push_back(i);
            }
        std::vector<bool> inside(m_practices.size(), false);
        const std::vector<long> holder = containing_units(points, m_clip_layer, m_options.threads);
        for (std::size_t k = 0; k < located.size(); ++k) inside[located[k]] = holder[k] >= 0;

        std::vector<std::size_t> candidates;
        std::map<std::string, std::size_t> located_members, inside_members;
        for (std::size_t i = 0; i < m_practices.size(); ++i) {
            const Feature& feature = m_practices.features[i];
            PracticeReport practice{feature.code, attribute(feature, m_practice_name), attribute(feature, m_pcn_code),
                                    PracticeStatus::used};
            if (!m_names.count(practice.pcn)) m_names[practice.pcn] = attribute(feature, m_pcn_name);
            if (!feature.located) {
                practice.status = PracticeStatus::no_location;
                report(practice, feature, "no location, so no footprint can include it");
            } else if (unallocated(practice.pcn)) {
                practice.status = PracticeStatus::unallocated;
                report(practice, feature, "in no PCN");
            } else {
                ++located_members[practice.pcn];
                if (inside[i]) {
                    ++inside_members[practice.pcn];
                    candidates.push_back(i);
                } else {
                    practice.status = PracticeStatus::outside_clip;
                }
            }
            result.practices.push_back(practice);
        }
        for (const auto& [pcn, count] : located_members)
            if (!inside_members.count(pcn)) result.pcns_outside.emplace_back(pcn, m_names[pcn]);
        if (candidates.empty())
            throw invalid_input("no practice with a location and a PCN lies in the clip area of " + m_clip.label());
        group_sites(candidates, result);
    }

    /// Practices within `same_site` metres of each other share one site; its
    /// PCN is the one most of them belong to (ties: the code that sorts first).
    void group_sites(std::vector<std::size_t> candidates, PcnResult& result) {
        auto at = [&](std::size_t i) { return m_practices.features[i].point; };
        std::sort(candidates.begin(), candidates.end(), [&](std::size_t l, std::size_t r) {
            return at(l).x < at(r).x || (at(l).x == at(r).x && (at(l).y < at(r).y || (at(l).y == at(r).y && l < r)));
        });
        std::vector<std::size_t> parent(candidates.size());
        std::iota(parent.begin(), parent.end(), std::size_t{0});
        auto root = [&](std::size_t k) {
            while (parent[k] != k) k = parent[k] = parent[parent[k]];
            return k;
        };
        const double reach = m_options.same_site;
        for (std::size_t a = 0; a < candidates.size(); ++a)
            for (std::size_t b = a + 1; b < candidates.size() && at(candidates[b]).x - at(candidates[a]).x <= reach; ++b)
                if (std::hypot(at(candidates[b]).x - at(candidates[a]).x, at(candidates[b]).y - at(candidates[a]).y) <= reach)
                    parent[root(b)] = root(a);
        std::map<std::size_t, std::vector<std::size_t>> groups;  // root -> members, first member lowest position
        for (std::size_t k = 0; k < candidates.size(); ++k) groups[root(k)].push_back(k);
        for (const auto& [group_root, members] : groups) {
            std::map<std::string, std::size_t> votes;
            for (std::size_t k : members) ++votes[result.practices[candidates[k]].pcn];
            const auto winner = std::max_element(votes.begin(), votes.end(), [](const auto& l, const auto& r) {
                return l.second < r.second;  // max_element keeps the first of equals: the code sorting first
            });
            m_sites.push_back({at(candidates[members.front()]), winner->first});
            for (std::size_t k : members) {
                PracticeReport& practice = result.practices[candidates[k]];
                if (practice.pcn == winner->first) continue;
                practice.status = PracticeStatus::shares_site;
                report(practice, m_practices.features[candidates[k]],
                       "shares a site with practices of " + winner->first + ", whose footprint takes the site");
            }
        }
        result.sites = m_sites.size();
    }

    PcnFootprint footprint(const std::string& pcn, MultiPolygon shape) const {
        PcnFootprint f;
        f.code = pcn;
        auto name = m_names.find(pcn);
        f.name = name == m_names.end() ? std::string() : name->second;
        f.shape = std::move(shape);
        return f;
    }

    std::vector<PcnFootprint> voronoi() const {
        Box extent = bounds(m_clip_shape);
        extent.minx -= 1000; extent.miny -= 1000; extent.maxx += 1000; extent.maxy += 1000;
        std::vector<Coord> points;
        for (const Site& site : m_sites) points.push_back(site.at);
        const std::vector<MultiPolygon> cells = voronoi_cells(points, extent);
        std::map<std::string, std::vector<MultiPolygon>> by_pcn;
        for (std::size_t i = 0; i < m_sites.size(); ++i) by_pcn[m_sites[i].pcn].push_back(cells[i]);
        std::vector<PcnFootprint> result;
        for (auto& [pcn, pieces] : by_pcn) {
            MultiPolygon clipped = intersection(union_all(pieces), m_clip_shape);
            if (!clipped.empty()) result.push_back(footprint(pcn, std::move(clipped)));
        }
        return result;
    }

    /// PCN of each block by the Voronoi partition (largest piece), or by the nearest site.
    std::vector<BlockAssignment> by_partition(const Layer& blocks, const std::vector<PcnFootprint>& cells) const {
        std::vector<BlockAssignment> assignment(blocks.size());
        for (std::size_t i = 0; i < blocks.size(); ++i) assignment[i].block = blocks.features[i].code;
        if (!m_options.nearest_practice) {
            PcnResult partition;
            partition.footprints = cells;
            const IntersectionTable table = overlay(blocks, footprint_layer(partition, blocks.crs), OverlayOptions{});
            std::vector<std::map<std::string, double>> shares(blocks.size());  // block -> PCN -> share of its area
            for (const IntersectionRow& row : table.rows) shares[row.a_index][row.b_code] += row.share_of_a;
            for (std::size_t i = 0; i < blocks.size(); ++i) {
                if (shares[i].empty()) continue;
                const Choice choice = choose(shares[i]);
                assignment[i].pcn = choice.pcn;
                assignment[i].share = choice.value;
                assignment[i].how = "voronoi majority" + choice.tie;
            }
        }
        for (std::size_t i = 0; i < blocks.size(); ++i) {
            if (!assignment[i].pcn.empty()) continue;
            const Coord at = point_on_surface(blocks.features[i].shape);
            std::map<std::string, double> nearness;  // PCN -> minus the distance to its nearest site
            for (const Site& site : m_sites) {
                const double closeness = -std::hypot(site.at.x - at.x, site.at.y - at.y);
                auto [it, inserted] = nearness.emplace(site.pcn, closeness);
                if (!inserted) it->second = std::max(it->second, closeness);
            }
            const Choice choice = choose(nearness);
            assignment[i].pcn = choice.pcn;
            assignment[i].share = std::numeric_limits<double>::quiet_NaN();
            assignment[i].how = "nearest practice" + choice.tie;
        }
        return assignment;
    }

    /// PCN of each block by registered patients; blocks without any fall back to `fallback`.
    std::vector<BlockAssignment> by_registration(const Layer& blocks, std::vector<BlockAssignment> fallback) {
        if (!m_options.registered) throw invalid_input("the registered method needs the registered-patients table (--registered FILE)");
        const RegisteredPatients& registered = *m_options.registered;
        std::map<std::string, std::string> pcn_of;  // practice -> PCN, for every allocated practice
        for (const Feature& feature : m_practices.features) {
            const std::string pcn = attribute(feature, m_pcn_code);
            if (!unallocated(pcn)) pcn_of[feature.code] = pcn;
        }
        std::map<std::string, std::map<std::string, double>> patients;  // block -> PCN -> patients
        std::size_t unknown_practices = 0;
        for (std::size_t r = 0; r < registered.block.size(); ++r) {
            const auto pcn = pcn_of.find(registered.practice[r]);
            if (pcn == pcn_of.end()) {
                ++unknown_practices;
                continue;
            }
            patients[registered.block[r]][pcn->second] += registered.patients[r];
        }
        if (unknown_practices)
            m_problems.report(Problem{ProblemKind::missing_key, ProblemAction::skipped, Location{registered.source, {}, {}, {}, "PRACTICE_CODE"},
                                      std::to_string(unknown_practices) +
                                          " rows name practices not in the practices layer or in no PCN; their patients are not counted"});
        for (std::size_t i = 0; i < blocks.size(); ++i) {
            BlockAssignment& a = fallback[i];
            const auto found = patients.find(a.block);
            double total = 0;
            Choice choice;
            if (found != patients.end()) {
                for (const auto& [pcn, count] : found->second) total += count;
                if (total > 0) choice = choose(found->second);
            }
            if (choice.pcn.empty()) {
                a.how = "no patients: " + a.how;
                m_problems.report(Problem{ProblemKind::missing_key, ProblemAction::kept,
                                          Location{registered.source, blocks.name, {}, a.block, "LSOA_CODE"},
                                          "no registered patients from this block; " + a.how});
                continue;
            }
            a.pcn = choice.pcn;
            a.share = choice.value / total;
            a.how = "registered patients" + choice.tie;
        }
        return fallback;
    }

    std::vector<PcnFootprint> from_blocks(const Layer& all_blocks, const std::vector<PcnFootprint>& cells,
                                          std::vector<BlockAssignment>& assignment) {
        const Layer blocks = units_within(all_blocks, m_clip_layer, {}, m_options.threads);
        assignment = by_partition(blocks, cells);
        if (m_options.method == PcnMethod::registered) assignment = by_registration(blocks, std::move(assignment));
        std::map<std::string, std::vector<MultiPolygon>> by_pcn;
        for (std::size_t i = 0; i < blocks.size(); ++i) by_pcn[assignment[i].pcn].push_back(blocks.features[i].shape);
        std::vector<PcnFootprint> result;
        for (auto& [pcn, shapes] : by_pcn) result.push_back(footprint(pcn, union_all(shapes)));
        std::sort(assignment.begin(), assignment.end(),
                  [](const BlockAssignment& l, const BlockAssignment& r) { return l.block < r.block; });
        return result;
    }

    /// Shares of the clip area and of its population (NaN without one) where
    /// two footprint sets name the same PCN.
    std::pair<double, double> agreement(const std::vector<PcnFootprint>& reference,
                                        const std::vector<PcnFootprint>& other) const {
        PcnResult a, b;
        a.footprints = reference;
        b.footprints = other;
        OverlayOptions options;
        options.threads = m_options.threads;
        options.population = m_options.population;
        const IntersectionTable table = overlay(footprint_layer(a, m_clip.crs), footprint_layer(b, m_clip.crs), options);
        double same_area = 0, same_people = 0, people = 0;
        for (const IntersectionRow& row : table.rows) {
            people += row.pop;
            if (row.a_code != row.b_code) continue;
            same_area += row.area_m2;
            same_people += row.pop;
        }
        const double nan = std::numeric_limits<double>::quiet_NaN();
        return {same_area / area(m_clip_shape), m_options.population && people > 0 ? same_people / people : nan};
    }

    void finish(PcnResult& result) const {
        std::map<std::string, std::size_t> used;
        for (const PracticeReport& practice : result.practices)
            if (practice.status == PracticeStatus::used) ++used[practice.pcn];
        for (PcnFootprint& f : result.footprints) {
            f.practices = used[f.code];
            f.area_m2 = area(f.shape);
            f.parts = f.shape.polygons.size();
            result.footprint_area += f.area_m2;
            result.covered_area += intersection_area(f.shape, m_clip_shape);
        }
        result.clip_area = area(m_clip_shape);
        if (m_options.population) {
            const std::vector<double> people = apportion_population(footprint_layer(result, m_clip.crs), *m_options.population, m_options.threads);
            for (std::size_t i = 0; i < people.size(); ++i) result.footprints[i].population = people[i];
        }
    }

    const Layer& m_practices;
    const Layer& m_clip;
    const PcnOptions& m_options;
    ProblemSink& m_problems;
    std::size_t m_pcn_code = 0;
    std::optional<std::size_t> m_pcn_name, m_practice_name;
    MultiPolygon m_clip_shape;
    Layer m_clip_layer;
    std::map<std::string, std::string> m_names;  // PCN code -> name
    std::vector<Site> m_sites;
};

}  // namespace

PcnResult pcn_footprints(const Layer& practices, const Layer& clip, const Layer* blocks, const PcnOptions& options,
                         ProblemSink& problems) {
    if (!(options.same_site >= 0)) throw invalid_input("the same-site distance must be zero or more metres");
    return PcnBuilder(practices, clip, options, problems).build(blocks);
}

Layer footprint_layer(const PcnResult& result, const std::string& crs, const std::string& name) {
    Layer layer;
    layer.name = name;
    layer.source = name;
    layer.crs = crs;
    layer.code_column = "pcn_code";
    layer.attribute_names = {"pcn_name"};
    layer.label_column = "pcn_name";
    std::int64_t fid = 1;
    for (const PcnFootprint& f : result.footprints) {
        Feature feature;
        feature.fid = fid++;
        feature.code = f.code;
        feature.shape = f.shape;
        feature.name = f.name;
        feature.attributes = {f.name};
        layer.features.push_back(std::move(feature));
    }
    return layer;
}

void write_pcn_result(const PcnResult& result, const Layer& practices, const std::string& path, const std::string& crs,
                      const std::vector<LayerStyle>& styles) {
    const std::vector<OutputField> fields = {{"pcn_code", FieldType::text}, {"pcn_name", FieldType::text},
                                             {"practices", FieldType::integer}, {"area_m2", FieldType::real},
                                             {"parts", FieldType::integer}, {"population", FieldType::real},
                                             {"method", FieldType::text}};
    auto values = [&](const PcnFootprint& f) {
        return std::vector<FieldValue>{f.code, f.name, static_cast<std::int64_t>(f.practices), f.area_m2,
                                       static_cast<std::int64_t>(f.parts),
                                       std::isnan(f.population) ? FieldValue{} : FieldValue{f.population},
                                       std::string(to_string(result.method))};
    };
    if (is_csv_path(path)) {
        CsvWriter out(path);
        std::vector<std::string> names;
        for (const OutputField& field : fields) names.push_back(field.name);
        out.header(names);
        for (const PcnFootprint& f : result.footprints) {
            for (const FieldValue& value : values(f)) out.cell(value);
            out.end_row();
        }
        out.close();
        return;
    }
    VectorWriter writer(path);
    writer.begin_layer("pcn_footprints", crs, LayerKind::polygon, fields);
    for (const PcnFootprint& f : result.footprints) writer.add(f.shape, values(f));
    writer.begin_layer("practices", crs, LayerKind::point,
                       {{"practice_code", FieldType::text}, {"practice_name", FieldType::text},
                        {"pcn_code", FieldType::text}, {"status", FieldType::text}});
    for (std::size_t i = 0; i < result.practices.size(); ++i) {
        const PracticeReport& p = result.practices[i];
        const std::vector<FieldValue> row{p.code, p.name, p.pcn, std::string(to_string(p.status))};
        if (practices.features[i].located) writer.add(practices.features[i].point, row);
        else writer.add(row);  // no location: a row without geometry, still listed
    }
    if (!result.blocks.empty()) {
        writer.begin_table("blocks", {{"block_code", FieldType::text}, {"pcn_code", FieldType::text},
                                      {"share", FieldType::real}, {"how", FieldType::text}});
        for (const BlockAssignment& b : result.blocks)
            writer.add({b.block, b.pcn, std::isnan(b.share) ? FieldValue{} : FieldValue{b.share}, b.how});
    }
    for (const LayerStyle& style : styles) writer.set_style(style.layer, style.qml);
    writer.close();
}

}  // namespace catchment
}  // namespace placedef
