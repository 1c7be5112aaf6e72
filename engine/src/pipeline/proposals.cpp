// The comparison of proposals: several drawings of one area's places scored
// side by side against the partners' layers, with their balance, deprivation
// and shapes, and what changes from one to the next.
#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "placedef/pipeline.hpp"

#include "pipeline/blocks.hpp"
#include "pipeline/outputs.hpp"
#include "core/location.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>

namespace placedef {
inline namespace pipeline {

PopulationBalance population_balance(const std::vector<double>& people, double min_population, double max_population) {
    PopulationBalance balance;
    balance.places = people.size();
    balance.target = min_population > 0 || std::isfinite(max_population);
    if (people.empty()) return balance;
    balance.min = *std::min_element(people.begin(), people.end());
    balance.max = *std::max_element(people.begin(), people.end());
    double sum = 0;
    for (double p : people) sum += p;
    balance.mean = sum / static_cast<double>(people.size());
    double squares = 0;
    for (double p : people) squares += (p - balance.mean) * (p - balance.mean);
    const double deviation = std::sqrt(squares / static_cast<double>(people.size()));
    balance.cv = balance.mean > 0 ? deviation / balance.mean : 0.0;
    if (balance.min > 0) balance.ratio = balance.max / balance.min;
    for (double p : people) {
        balance.below += p < min_population;
        balance.above += p > max_population;
    }
    return balance;
}

std::vector<std::string> compare_csv_paths(const std::string& csv_path) {
    const std::string stem = csv_path.size() > 4 ? csv_path.substr(0, csv_path.size() - 4) : csv_path;
    return {stem + "_proposals.csv", stem + "_places.csv", stem + "_moves.csv", stem + "_partner_changes.csv"};
}

namespace {

/// The name a proposal goes by: the one given, else its file's name without
/// folder and extension (a loaded layer's own name).
std::string proposal_name(const ProposalInput& input) {
    if (!input.name.empty()) return input.name;
    if (input.layer.loaded) return input.layer.loaded->name;
    std::string path = input.lookup.empty() ? LayerAddress::parse(input.layer.address).path : input.lookup;
    if (const auto slash = path.find_last_of('/'); slash != std::string::npos) path.erase(0, slash + 1);
    if (const auto dot = path.rfind('.'); dot != std::string::npos && dot > 0) path.erase(dot);
    return path;
}

/// A GeoPackage layer name from a proposal's name: letters, digits and '_'.
std::string layer_name(const std::string& name) {
    std::string out = "proposal_";
    for (char c : name) out += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
    return out;
}

/// A proposal's places as a polygon layer (code, name), one per place.
std::shared_ptr<Layer> places_layer(const std::string& name, const std::string& crs,
                                    const detail::Membership& membership, std::vector<MultiPolygon> shapes) {
    auto layer = std::make_shared<Layer>();
    layer->name = name;
    layer->source = name;
    layer->crs = crs;
    layer->code_column = "place";
    layer->label_column = "name";
    layer->attribute_names = {"name"};
    for (std::size_t p = 0; p < membership.codes.size(); ++p) {
        Feature feature;
        feature.fid = static_cast<std::int64_t>(p) + 1;
        feature.code = membership.codes[p];
        feature.name = membership.names[p].empty() ? membership.codes[p] : membership.names[p];
        feature.attributes = {feature.name};
        feature.shape = std::move(shapes[p]);
        layer->features.push_back(std::move(feature));
    }
    return layer;
}

/// The places of a lookup proposal, each its blocks dissolved (as footprints
/// are: partition_metrics, over the blocks' graph and its snap distance).
std::vector<MultiPolygon> dissolved_places(const Layer& blocks, const detail::Membership& membership, unsigned threads) {
    auto kept = std::make_shared<Layer>(blocks);
    kept->features.clear();
    Partition partition;
    for (std::size_t b = 0; b < blocks.size(); ++b)
        if (membership.place[b] >= 0) {
            kept->features.push_back(blocks.features[b]);
            partition.region.push_back(membership.place[b]);
        }
    partition.regions = membership.codes.size();
    ContiguityOptions contiguity;
    contiguity.threads = threads;
    const ContiguityGraph graph = contiguity_graph(*kept, contiguity);
    ClusteringProblem problem;
    problem.graph = &graph;
    return partition_metrics(*kept, problem, partition, threads).shapes;
}

/// The partner's units as the proposal holds them (B's side of the crosswalk).
std::vector<CrosswalkUnit> partner_units_of(const AlignmentReport& report) {
    std::vector<CrosswalkUnit> units = crosswalk(report);
    units.erase(units.begin(), units.begin() + static_cast<std::ptrdiff_t>(report.a_units.size()));
    return units;
}

double people_of(const CrosswalkPart& part) { return std::isnan(part.people) ? 0.0 : part.people; }

ProposalFit fit_of(const std::string& partner, AlignmentReport report) {
    ProposalFit fit;
    fit.partner = partner;
    for (CrosswalkUnit& unit : partner_units_of(report)) {
        if (unit.status != CrosswalkStatus::split) continue;
        ++fit.split_units;
        for (const CrosswalkPart& part : unit.parts) {
            fit.people_in_split_units += people_of(part);
            if (!part.main) fit.people_outside_main += people_of(part);
        }
        fit.split.push_back(std::move(unit));
    }
    auto people = [](const CrosswalkUnit& unit) {
        double sum = 0;
        for (const CrosswalkPart& part : unit.parts) sum += people_of(part);
        return sum;
    };
    std::stable_sort(fit.split.begin(), fit.split.end(),
                     [&](const CrosswalkUnit& a, const CrosswalkUnit& b) { return people(a) > people(b); });
    fit.report = std::move(report);
    return fit;
}

/// The place of a later proposal each place of an earlier one mostly goes to
/// (by people, then blocks, then the lower index); -1 for a place none of
/// whose blocks the later proposal holds.
std::vector<std::int32_t> successors(const ProposalScore& from, const ProposalScore& to, const std::vector<double>& people) {
    std::map<std::pair<std::int32_t, std::int32_t>, std::pair<double, std::size_t>> shared;
    for (std::size_t b = 0; b < from.block_place.size(); ++b) {
        const std::int32_t a = from.block_place[b], c = to.block_place[b];
        if (a < 0 || c < 0) continue;
        auto& [sum, count] = shared[{a, c}];
        sum += people[b];
        ++count;
    }
    std::vector<std::int32_t> next(from.places.size(), -1);
    std::vector<std::pair<double, std::size_t>> best(from.places.size(), {-1.0, 0});
    for (const auto& [pair, measure] : shared) {
        auto& held = best[static_cast<std::size_t>(pair.first)];
        if (measure > held) {  // ascending `to` order: the lower index wins ties
            held = measure;
            next[static_cast<std::size_t>(pair.first)] = pair.second;
        }
    }
    return next;
}

std::int32_t place_index(const ProposalScore& proposal, const std::string& code) {
    for (std::size_t p = 0; p < proposal.places.size(); ++p)
        if (proposal.places[p].code == code) return static_cast<std::int32_t>(p);
    return -1;
}

std::string main_code(const CrosswalkUnit& unit) {
    for (const CrosswalkPart& part : unit.parts)
        if (part.main) return part.code;
    return {};
}

void read_changes(CompareResult& result, std::size_t i, std::size_t j) {
    const ProposalScore &from = result.proposals[i], &to = result.proposals[j];
    const std::vector<std::int32_t> next = successors(from, to, result.population);
    std::map<std::pair<std::int32_t, std::int32_t>, PlaceMove> moves;
    for (std::size_t b = 0; b < from.block_place.size(); ++b) {
        const std::int32_t a = from.block_place[b], c = to.block_place[b];
        if (a < 0 || c < 0 || next[static_cast<std::size_t>(a)] == c) continue;
        PlaceMove& move = moves[{a, c}];
        move.from_proposal = i;
        move.to_proposal = j;
        move.from_place = a;
        move.to_place = c;
        move.blocks.push_back(b);
        move.people += result.population[b];
    }
    for (auto& [pair, move] : moves) result.moves.push_back(std::move(move));

    for (std::size_t p = 0; p < result.partners.size(); ++p) {
        const std::vector<CrosswalkUnit> before = partner_units_of(from.fits[p].report);
        const std::vector<CrosswalkUnit> after = partner_units_of(to.fits[p].report);
        for (std::size_t u = 0; u < before.size() && u < after.size(); ++u) {  // both in code order, the same units
            const CrosswalkUnit &was = before[u], &is = after[u];
            if (was.status == CrosswalkStatus::outside && is.status == CrosswalkStatus::outside) continue;
            const std::int32_t was_main = place_index(from, main_code(was)), is_main = place_index(to, main_code(is));
            const bool moved = was_main < 0 || is_main < 0 || next[static_cast<std::size_t>(was_main)] != is_main;
            if (was.status != is.status || moved) result.partner_changes.push_back({i, j, p, was, is});
        }
    }
}

/// The deprivation measures of the request, one per unit of `units`.
DeprivationValues deprivation_values(const DeprivationInput& input, const Layer& units, const RunSettings& settings,
                                     ProblemSink& problems) {
    DeprivationValues values;
    const bool rank = measure_dark_end(input.column) == DarkEnd::low;
    const std::string key = table_key(input.table, input.key, units, settings);  // found (and said) once
    (rank ? values.rank : values.score) =
        join_table(input.table, key, input.column, units, settings, problems, std::numeric_limits<double>::quiet_NaN());
    const std::string decile =
        input.decile_column.empty() ? decile_column_beside(input.table, input.column) : input.decile_column;
    if (decile.empty())
        throw invalid_input("has no national decile column beside '" + input.column +
                                "' (people in deciles 1-2 need one); name it",
                            detail::in_file(input.table));
    ProblemSink already_reported;  // the same keys as the measure's join
    values.decile = join_table(input.table, key, decile, units, settings, already_reported, std::numeric_limits<double>::quiet_NaN());
    return values;
}

// ---- the tables and layers written

using detail::Columns;

/// "NHS Surrey Heartlands ICB (E54000052): West Surrey 62.3 %, East Surrey 37.7 %"
std::string split_text(const CrosswalkUnit& unit) {
    return (unit.name.empty() ? unit.code : unit.name + " (" + unit.code + ")") + ": " + falls_in_text(unit);
}

Records scorecard_sheet(const CompareResult& result, const Columns& c) {
    Records sheet{{c.text("proposal"), c.text("partner"), c.count("places"), c.count("partner_units"),
                 c.count("partner_units_whole"), c.count("partner_units_split"), c.people("people_in_split_units"),
                 c.people("people_outside_main_place"), c.share("units_in_places"), c.share("units_in_places_by_people"),
                 c.share("places_in_units"), c.share("places_in_units_by_people"), c.share("place_lines_on_partner_lines"),
                 c.share("partner_lines_on_place_lines"), c.text("split_units")},
                {}};
    for (const ProposalScore& proposal : result.proposals)
        for (const ProposalFit& fit : proposal.fits) {
            const LayerScore &units = fit.report.b_in_a, &places = fit.report.a_in_b;
            std::string split;
            for (const CrosswalkUnit& unit : fit.split) split += (split.empty() ? "" : "; ") + split_text(unit);
            sheet.rows.push_back({proposal.name, fit.partner, Columns::count(proposal.places.size()),
                                  Columns::count(units.scored), Columns::count(units.scored - fit.split_units),
                                  Columns::count(fit.split_units), c.people(fit.people_in_split_units),
                                  c.people(fit.people_outside_main), c.share(units.coterminosity_index),
                                  c.share(units.coterminosity_index_pop), c.share(places.coterminosity_index),
                                  c.share(places.coterminosity_index_pop), c.share(places.boundary_alignment),
                                  c.share(units.boundary_alignment), split});
        }
    return sheet;
}

Records proposals_sheet(const CompareResult& result, const CompareRequest& request, const Columns& c) {
    Records sheet{{c.text("proposal"), c.text("source"), c.count("places"), c.people("people"), c.people("people_min"),
                 c.people("people_max"), c.real("people_ratio"), c.real("people_cv"), c.people("target_min"),
                 c.people("target_max"), c.text("within_target"), c.count("places_below_target"),
                 c.count("places_above_target"), c.share("deprived_share_min"), c.share("deprived_share_max"),
                 c.share("deprived_spread"), c.count("places_in_parts"), c.real("polsby_popper_min"),
                 c.real("hull_ratio_min")},
                {}};
    for (const ProposalScore& p : result.proposals) {
        const PopulationBalance& b = p.balance;
        double people = 0;
        for (const ProposalPlace& place : p.places) people += place.people;
        const FieldValue none;
        sheet.rows.push_back({p.name, p.source, Columns::count(b.places), c.people(people), c.people(b.min),
                              c.people(b.max), Columns::real(b.ratio), Columns::real(b.cv),
                              b.target ? c.people(request.min_population) : none,
                              b.target && std::isfinite(request.max_population) ? c.people(request.max_population) : none,
                              b.target ? FieldValue{std::string(b.within_target() ? "yes" : "no")} : none,
                              b.target ? Columns::count(b.below) : none, b.target ? Columns::count(b.above) : none,
                              c.share(p.deprived_min), c.share(p.deprived_max), c.share(p.deprived_max - p.deprived_min),
                              Columns::count(p.places_in_parts), Columns::real(p.polsby_popper_min),
                              Columns::real(p.hull_ratio_min)});
    }
    return sheet;
}

/// The places of every proposal (`proposal` given: of that one, without the proposal column).
Records places_sheet(const CompareResult& result, const CompareRequest& request, const Columns& c,
                   const ProposalScore* proposal = nullptr) {
    Records sheet;
    if (!proposal) sheet.fields.push_back(c.text("proposal"));
    for (const OutputField& field :
         {c.text("place"), c.text("name"), c.count("blocks"), c.people("people"), c.real("area_km2"), c.count("parts"),
          c.real("polsby_popper"), c.real("hull_ratio"), c.people("people_deciles_1_2"), c.share("share_deciles_1_2"),
          c.text("within_target")})
        sheet.fields.push_back(field);
    for (const ProposalScore& p : result.proposals) {
        if (proposal && &p != proposal) continue;
        for (const ProposalPlace& place : p.places) {
            std::vector<FieldValue> row;
            if (!proposal) row.emplace_back(p.name);
            const bool within = place.people >= request.min_population && place.people <= request.max_population;
            for (FieldValue& value :
                 std::vector<FieldValue>{place.code, place.name, Columns::count(place.blocks), c.people(place.people),
                                         place.shape.area_m2 / 1e6, Columns::count(place.shape.parts),
                                         place.shape.polsby_popper, place.shape.hull_ratio,
                                         c.people(place.deprivation.people_deciles_1_2),
                                         c.share(place.deprivation.share_deciles_1_2),
                                         p.balance.target ? FieldValue{std::string(within ? "yes" : "no")} : FieldValue{}})
                row.push_back(std::move(value));
            sheet.rows.push_back(std::move(row));
        }
    }
    return sheet;
}

Records moves_sheet(const CompareResult& result, const Columns& c) {
    Records sheet{{c.text("from_proposal"), c.text("to_proposal"), c.text("block"), c.text("block_name"),
                 c.text("from_place"), c.text("from_name"), c.text("to_place"), c.text("to_name"), c.people("people")},
                {}};
    for (const PlaceMove& move : result.moves) {
        const ProposalPlace& from = result.proposals[move.from_proposal].places[static_cast<std::size_t>(move.from_place)];
        const ProposalPlace& to = result.proposals[move.to_proposal].places[static_cast<std::size_t>(move.to_place)];
        for (std::size_t b : move.blocks) {
            const Feature& block = result.blocks->features[b];
            sheet.rows.push_back({result.proposals[move.from_proposal].name, result.proposals[move.to_proposal].name,
                                  block.code, block.name, from.code, from.name, to.code, to.name,
                                  c.people(result.population[b])});
        }
    }
    return sheet;
}

Records partner_changes_sheet(const CompareResult& result, const Columns& c) {
    Records sheet{{c.text("from_proposal"), c.text("to_proposal"), c.text("partner"), c.text("unit"), c.text("unit_name"),
                 c.text("before"), c.text("before_places"), c.text("after"), c.text("after_places")},
                {}};
    for (const PartnerChange& change : result.partner_changes)
        sheet.rows.push_back({result.proposals[change.from_proposal].name, result.proposals[change.to_proposal].name,
                              result.partners[change.partner], change.before.code, change.before.name,
                              std::string(to_string(change.before.status)), falls_in_text(change.before),
                              std::string(to_string(change.after.status)), falls_in_text(change.after)});
    return sheet;
}

void write_comparison_csv(const CompareResult& result, const std::string& path, const CompareRequest& request) {
    const Columns c(request.outputs.numbers);
    const std::vector<std::string> sides = compare_csv_paths(path);
    write_records_csv(scorecard_sheet(result, c), path);
    write_records_csv(proposals_sheet(result, request, c), sides[0]);
    write_records_csv(places_sheet(result, request, c), sides[1]);
    write_records_csv(moves_sheet(result, c), sides[2]);
    write_records_csv(partner_changes_sheet(result, c), sides[3]);
}

/// The differences as a layer: the blocks of each move dissolved, one
/// feature per move, coded "from -> to" for its colour and label.
Layer differences_layer(const CompareResult& result) {
    Layer layer;
    layer.name = "differences";
    layer.source = "differences";
    layer.crs = result.blocks->crs;
    layer.code_column = "move";
    for (const PlaceMove& move : result.moves) {
        std::vector<MultiPolygon> shapes;
        for (std::size_t b : move.blocks) shapes.push_back(result.blocks->features[b].shape);
        Feature feature;
        feature.fid = static_cast<std::int64_t>(layer.size()) + 1;
        const ProposalScore &from = result.proposals[move.from_proposal], &to = result.proposals[move.to_proposal];
        feature.code = from.places[static_cast<std::size_t>(move.from_place)].name + " -> " +
                       to.places[static_cast<std::size_t>(move.to_place)].name;
        feature.shape = dissolve(shapes, ContiguityOptions{}.snap);
        layer.features.push_back(std::move(feature));
    }
    return layer;
}

void write_comparison_layers(const CompareResult& result, const std::string& path, const CompareRequest& request) {
    const Columns c(request.outputs.numbers);
    VectorWriter writer(path);
    // In the maps' colours: a place of one name is one colour in every proposal's layer.
    std::vector<const Layer*> places_layers;
    for (const ProposalScore& proposal : result.proposals) places_layers.push_back(proposal.polygons.get());
    const std::vector<std::vector<std::string>> colours = shared_categorical_colours(places_layers);
    for (std::size_t i = 0; i < result.proposals.size(); ++i) {
        const ProposalScore& proposal = result.proposals[i];
        const Records places = places_sheet(result, request, c, &proposal);
        const std::string name = layer_name(proposal.name);
        writer.begin_layer(name, result.blocks->crs, LayerKind::polygon, places.fields);
        for (std::size_t p = 0; p < proposal.places.size(); ++p) writer.add(proposal.polygons->features[p].shape, places.rows[p]);
        writer.set_style(name, qgis_categorical_qml(*proposal.polygons, colours[i], "name"));
    }
    const Layer differences = differences_layer(result);
    writer.begin_layer(differences.name, differences.crs, LayerKind::polygon,
                       {c.text("move"), c.text("from_proposal"), c.text("to_proposal"), c.text("from_place"),
                        c.text("from_name"), c.text("to_place"), c.text("to_name"), c.count("blocks"), c.people("people")});
    for (std::size_t m = 0; m < result.moves.size(); ++m) {
        const PlaceMove& move = result.moves[m];
        const ProposalPlace& from = result.proposals[move.from_proposal].places[static_cast<std::size_t>(move.from_place)];
        const ProposalPlace& to = result.proposals[move.to_proposal].places[static_cast<std::size_t>(move.to_place)];
        writer.add(differences.features[m].shape,
                   {differences.features[m].code, result.proposals[move.from_proposal].name,
                    result.proposals[move.to_proposal].name, from.code, from.name, to.code, to.name,
                    Columns::count(move.blocks.size()), c.people(move.people)});
    }
    if (!differences.features.empty())
        writer.set_style(differences.name,
                         qgis_categorical_qml(differences, categorical_colours(differences), differences.code_column));
    write_records_table(writer, "scorecard", scorecard_sheet(result, c));
    write_records_table(writer, "proposals", proposals_sheet(result, request, c));
    write_records_table(writer, "moves", moves_sheet(result, c));
    write_records_table(writer, "partner_changes", partner_changes_sheet(result, c));
    writer.close();
}

/// A partner's layer name as a file name takes it: lower case, '_' for all but letters and digits.
std::string partner_file_name(std::string name) {
    for (char& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
    return name;
}

/// "Two unitaries and Three unitaries": the proposals' names in a sentence.
std::string names_in_a_sentence(const CompareResult& result) {
    std::string text;
    for (std::size_t i = 0; i < result.proposals.size(); ++i)
        text += (i == 0 ? "" : i + 1 == result.proposals.size() ? " and " : ", ") + result.proposals[i].name;
    return text;
}

void write_comparison_maps(const CompareResult& result, const CompareRequest& request, const std::string& path) {
    const std::vector<std::string> paths = compare_map_paths(path, result.partners);
    MapOptions options = request.map;
    if (options.date.empty()) options.date = drawing_date();
    for (std::size_t p = 0; p < paths.size(); ++p) {
        options.title = (request.map.title.empty() ? names_in_a_sentence(result) : request.map.title) + ", with the units of " +
                        result.partners[p];
        render_panels(comparison_panels(result, p), options, paths[p]);
    }
}

}  // namespace

std::vector<std::string> compare_map_paths(const std::string& map_path, const std::vector<std::string>& partners) {
    if (partners.size() <= 1) return {map_path};
    const std::filesystem::path path(map_path);
    const std::string stem = (path.parent_path() / path.stem()).string();
    std::vector<std::string> paths, names;
    for (const std::string& partner : partners) {
        names.push_back(partner_file_name(partner));
        const auto same = std::count(names.begin(), names.end(), names.back());
        // Two partners of one name (boundaries.gpkg in two folders) still get a file each.
        paths.push_back(stem + "_" + names.back() + (same > 1 ? "_" + std::to_string(same) : "") + path.extension().string());
    }
    return paths;
}

std::vector<std::string> compare_written_paths(const std::string& path, const std::vector<std::string>& partners) {
    if (is_map_path(path)) return compare_map_paths(path, partners);
    std::vector<std::string> written{path};
    if (is_csv_path(path))
        for (const std::string& side : compare_csv_paths(path)) written.push_back(side);
    return written;
}

std::vector<MapPanel> comparison_panels(const CompareResult& result, std::size_t partner, const std::string& partner_title) {
    if (partner >= result.partner_layers.size())
        throw invalid_input("partner " + std::to_string(partner + 1) + " of a comparison with " +
                            std::to_string(result.partner_layers.size()) + " partners");
    std::vector<std::pair<std::string, const Layer*>> places;
    for (const ProposalScore& proposal : result.proposals) {
        const std::size_t count = proposal.places.size();
        places.emplace_back(proposal.name + ": " + std::to_string(count) + (count == 1 ? " place" : " places"),
                            proposal.polygons.get());
    }
    MapLayer outline;
    outline.layer = result.partner_layers[partner].get();
    outline.style = MapStyle::outline;
    outline.outline_colour = "#CC3311";  // Paul Tol's vibrant red: apart from every fill of the places
    outline.line_width = 1.6;
    outline.legend_title = partner_title.empty() ? result.partners[partner] : partner_title;
    return side_by_side(places, "name", "Places", {outline});
}

void write_comparison(const CompareResult& result, const CompareRequest& request, const std::string& path) {
    if (is_csv_path(path)) write_comparison_csv(result, path, request);
    else if (is_map_path(path)) write_comparison_maps(result, request, path);
    else write_comparison_layers(result, path, request);
}

CompareResult run_compare(const CompareRequest& request, const RunSettings& settings, ProblemSink& problems) {
    if (request.proposals.empty()) throw invalid_input("a comparison needs at least one proposal");
    if (request.partners.empty()) throw invalid_input("a comparison needs at least one partner layer to score against");
    if (!request.population.given() && request.population.table.empty())
        throw invalid_input("a comparison needs the blocks' population");
    if (request.deprivation.given() && (request.deprivation.table.empty() || request.deprivation.column.empty()))
        throw invalid_input("deprivation needs its table and column");
    std::vector<std::string> sources{detail::input_address(request.blocks)};
    std::vector<std::string> names, layers;
    for (const ProposalInput& proposal : request.proposals) {
        if (!proposal.given()) throw invalid_input("a proposal needs a polygon layer or a lookup");
        sources.push_back(proposal.lookup.empty() ? detail::input_address(proposal.layer) : proposal.lookup);
        names.push_back(proposal_name(proposal));
        if (std::count(names.begin(), names.end(), names.back()) > 1)
            throw invalid_input("two proposals are named '" + names.back() + "': name them apart");
        layers.push_back(layer_name(names.back()));
    }
    for (const LayerInput& partner : request.partners) sources.push_back(detail::input_address(partner));
    detail::add_population_inputs(sources, request.population);
    if (request.deprivation.given()) {
        sources.push_back(detail::input_address(request.deprivation.units));
        sources.push_back(request.deprivation.table);
    }
    // Checked with the rest: the companion tables of a scorecard. A map's figures are checked
    // once the partners are read (against several, the named path is not written; its figures are).
    std::vector<std::string> companions;
    for (const std::string& path : request.outputs.paths)
        for (const std::string& companion : compare_written_paths(path, {}))  // no partners yet: no figures
            if (companion != path) companions.push_back(companion);
    layers.insert(layers.end(), {"differences", "scorecard", "proposals", "moves", "partner_changes"});
    const detail::OutputPlan plan(sources, request.outputs, layers, companions);

    CompareResult result;
    const PopulationInput& people = request.population;
    const std::vector<std::shared_ptr<const Layer>> read = detail::load_blocks(request.blocks, people, settings, problems);
    result.blocks = read.front();
    const Layer& blocks = *result.blocks;
    // Read once: on the blocks' own units (a table keyed by them), or apportioned from its layer.
    const LoadedPopulation population = load_population(people, settings, problems, people.given() ? read.back() : result.blocks);
    result.population = people.given() ? population_on(blocks, population.source, settings.threads) : population.source.population;

    for (const LayerInput& input : request.partners) {
        result.partner_layers.push_back(load_input(input, settings, problems));
        warn_if_apart({&blocks, result.partner_layers.back().get()}, settings);
        result.partners.push_back(result.partner_layers.back()->name);
    }
    std::vector<std::string> figures;
    for (const std::string& path : request.outputs.paths)
        if (is_map_path(path))
            for (const std::string& figure : compare_map_paths(path, result.partners))
                if (figure != path) figures.push_back(figure);
    if (!figures.empty()) detail::OutputPlan checked_figures(sources, {}, {}, figures);

    std::shared_ptr<const Layer> deprivation_units;
    DeprivationValues deprivation;
    if (request.deprivation.given()) {
        deprivation_units = load_input(request.deprivation.units, settings, problems);
        deprivation = deprivation_values(request.deprivation, *deprivation_units, settings, problems);
    }

    for (std::size_t i = 0; i < request.proposals.size(); ++i) {
        const ProposalInput& input = request.proposals[i];
        ProposalScore score;
        score.name = names[i];
        detail::Membership membership;
        std::vector<MultiPolygon> shapes;
        if (!input.lookup.empty()) {
            score.source = input.lookup;
            membership = detail::membership_from_lookup(
                input.lookup, {request.key, request.place_column, request.block_column, "place"}, blocks, settings);
            if (membership.codes.empty())
                throw invalid_input("no block of " + blocks.label() + " lies in a place of " + input.lookup,
                                    detail::in_file(input.lookup));
            shapes = dissolved_places(blocks, membership, settings.threads);
        } else {
            const std::shared_ptr<const Layer> polygons = load_input(input.layer, settings, problems);
            warn_if_apart({&blocks, polygons.get()}, settings);
            score.source = polygons->label();
            membership = detail::membership_from_polygons(*polygons, blocks, settings.threads);
            if (membership.codes.empty())
                throw invalid_input("no block of " + blocks.label() + " lies in a place of " + polygons->label());
            for (const std::string& code : membership.codes) shapes.push_back(polygons->features[*polygons->find(code)].shape);
        }
        score.block_place = membership.place;
        score.polygons = places_layer(score.name, blocks.crs, membership, std::move(shapes));
        score.places.resize(membership.codes.size());
        for (std::size_t p = 0; p < score.places.size(); ++p) {
            const Feature& feature = score.polygons->features[p];
            score.places[p].code = feature.code;
            score.places[p].name = feature.name;
            const ShapeMeasures& shape = score.places[p].shape = measure_shape(feature.shape);
            score.places_in_parts += shape.parts > 1;
            score.polsby_popper_min = std::min(score.polsby_popper_min, shape.polsby_popper);
            score.hull_ratio_min = std::min(score.hull_ratio_min, shape.hull_ratio);
        }
        for (std::size_t b = 0; b < blocks.size(); ++b)
            if (membership.place[b] >= 0) {
                ProposalPlace& place = score.places[static_cast<std::size_t>(membership.place[b])];
                ++place.blocks;
                place.people += result.population[b];
            }
        std::vector<double> place_people;
        for (const ProposalPlace& place : score.places) place_people.push_back(place.people);
        score.balance = population_balance(place_people, request.min_population, request.max_population);

        if (deprivation_units) {
            OverlayOptions options;
            options.population = &population.source;
            options.threads = settings.threads;
            const DeprivationProfile profile =
                deprivation_profile(overlay(*deprivation_units, *score.polygons, options), deprivation, 0);
            for (std::size_t p = 0; p < score.places.size(); ++p) {
                score.places[p].deprivation = profile.footprints[p];
                const double share = profile.footprints[p].share_deciles_1_2;
                if (std::isnan(share)) continue;
                score.deprived_min = std::isnan(score.deprived_min) ? share : std::min(score.deprived_min, share);
                score.deprived_max = std::isnan(score.deprived_max) ? share : std::max(score.deprived_max, share);
            }
        }
        for (const std::shared_ptr<const Layer>& partner : result.partner_layers)
            score.fits.push_back(fit_of(partner->name, compare_layers(*score.polygons, *partner, &population.source,
                                                                          request.scoring, request.alignment, settings.threads)));
        result.proposals.push_back(std::move(score));
    }
    for (std::size_t i = 0; i < result.proposals.size(); ++i)
        for (std::size_t j = i + 1; j < result.proposals.size(); ++j) read_changes(result, i, j);

    plan.write([&](const std::string& path) { write_comparison(result, request, path); });
    plan.write_problems(problems);
    return result;
}

}  // namespace pipeline
}  // namespace placedef
