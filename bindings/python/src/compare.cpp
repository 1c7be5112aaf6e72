// placedef.compare(): proposals side by side, as `placedef compare` scores them.
#include "types.hpp"

#include <limits>

namespace placedef::python {

namespace {

/// One proposal argument: a layer, an address, a lookup CSV path, or a
/// (name, any of those) pair.
struct ProposalArgument {
    std::string name;
    std::optional<Layer> layer;
    std::string lookup;
};

bool is_lookup_path(const py::handle& item) {
    if (!is_path(item)) return false;
    const std::string text = py::str(item).cast<std::string>();
    return text.size() > 4 && text.compare(text.size() - 4, 4, ".csv") == 0;
}

ProposalArgument proposal_of(const py::handle& item, const Settings& settings) {
    ProposalArgument proposal;
    py::handle given = item;
    if (py::isinstance<py::tuple>(item)) {
        const py::tuple pair = py::reinterpret_borrow<py::tuple>(item);
        if (pair.size() != 2) value_error("a proposal given as a tuple is (name, layer or lookup)");
        proposal.name = py::str(pair[0]).cast<std::string>();
        given = pair[1];
    }
    if (is_lookup_path(given)) proposal.lookup = py::str(given).cast<std::string>();
    else proposal.layer = as_layer(given, false, settings);
    return proposal;
}

py::dict proposals_of(const Context& ctx, const pdef_comparison* made, std::size_t count) {
    py::list names;
    py::array_t<std::int64_t> places(static_cast<py::ssize_t>(count)), below(static_cast<py::ssize_t>(count)),
        above(static_cast<py::ssize_t>(count));
    NumberColumns numbers({"people_min", "people_max", "people_ratio", "people_cv", "deprived_min", "deprived_max"},
                          {static_cast<py::ssize_t>(count)});
    for (std::size_t i = 0; i < count; ++i) {
        pdef_proposal_summary s;
        ctx.check(pdef_comparison_get_proposal(ctx.get(), made, i, &s));
        names.append(s.name);
        places.mutable_data()[i] = static_cast<std::int64_t>(s.places);
        below.mutable_data()[i] = static_cast<std::int64_t>(s.below);
        above.mutable_data()[i] = static_cast<std::int64_t>(s.above);
        numbers.set(i, {s.people_min, s.people_max, s.people_ratio, s.people_cv, s.deprived_min, s.deprived_max});
    }
    py::dict out;
    out["name"] = names;
    out["places"] = places;
    numbers.add_to(out);
    out["below_target"] = below;
    out["above_target"] = above;
    return out;
}

py::dict scorecard_of(const Context& ctx, const pdef_comparison* made, std::size_t proposals, std::size_t partners) {
    const auto rows = static_cast<py::ssize_t>(proposals * partners);
    py::list proposal, partner;
    py::array_t<std::int64_t> units(rows), split(rows);
    NumberColumns numbers({"people_in_split_units", "people_outside_main_place", "units_in_places",
                           "units_in_places_by_people", "places_in_units", "places_in_units_by_people",
                           "place_lines_on_partner_lines", "partner_lines_on_place_lines"},
                          {rows});
    for (std::size_t p = 0; p < proposals; ++p)
        for (std::size_t q = 0; q < partners; ++q) {
            pdef_proposal_fit f;
            ctx.check(pdef_comparison_get_fit(ctx.get(), made, p, q, &f));
            const std::size_t row = p * partners + q;
            proposal.append(f.proposal);
            partner.append(f.partner);
            units.mutable_data()[row] = static_cast<std::int64_t>(f.partner_units);
            split.mutable_data()[row] = static_cast<std::int64_t>(f.split_units);
            numbers.set(row, {f.people_in_split_units, f.people_outside_main, f.units_in_places,
                              f.units_in_places_by_people, f.places_in_units, f.places_in_units_by_people,
                              f.place_lines_aligned, f.partner_lines_aligned});
        }
    py::dict out;
    out["proposal"] = proposal;
    out["partner"] = partner;
    out["partner_units"] = units;
    out["partner_units_split"] = split;
    numbers.add_to(out);
    return out;
}

py::dict places_of(const Context& ctx, const pdef_comparison* made, std::size_t proposals) {
    std::vector<std::size_t> counts;
    std::size_t total = 0;
    for (std::size_t p = 0; p < proposals; ++p) {
        pdef_proposal_summary s;
        ctx.check(pdef_comparison_get_proposal(ctx.get(), made, p, &s));
        counts.push_back(s.places);
        total += s.places;
    }
    py::list proposal, code, name;
    py::array_t<std::int64_t> blocks(static_cast<py::ssize_t>(total)), parts(static_cast<py::ssize_t>(total));
    NumberColumns numbers({"people", "area_m2", "polsby_popper", "hull_ratio", "people_deciles_1_2", "share_deciles_1_2"},
                          {static_cast<py::ssize_t>(total)});
    std::size_t row = 0;
    for (std::size_t p = 0; p < proposals; ++p)
        for (std::size_t i = 0; i < counts[p]; ++i, ++row) {
            pdef_proposal_summary s;
            ctx.check(pdef_comparison_get_proposal(ctx.get(), made, p, &s));
            pdef_proposal_place place;
            ctx.check(pdef_comparison_get_place(ctx.get(), made, p, i, &place));
            proposal.append(s.name);
            code.append(place.code);
            name.append(place.name);
            blocks.mutable_data()[row] = static_cast<std::int64_t>(place.blocks);
            parts.mutable_data()[row] = static_cast<std::int64_t>(place.parts);
            numbers.set(row, {place.people, place.area_m2, place.polsby_popper, place.hull_ratio,
                              place.people_deciles_1_2, place.share_deciles_1_2});
        }
    py::dict out;
    out["proposal"] = proposal;
    out["code"] = code;
    out["name"] = name;
    out["blocks"] = blocks;
    out["parts"] = parts;
    numbers.add_to(out);
    return out;
}

py::list changes_of(const Context& ctx, const pdef_comparison* made, std::size_t moves, std::size_t partner_changes) {
    py::list out;
    for (std::size_t i = 0; i < moves; ++i) {
        pdef_place_move m;
        ctx.check(pdef_comparison_get_move(ctx.get(), made, i, &m));
        py::dict move;
        move["kind"] = "move";
        move["from_proposal"] = m.from_proposal;
        move["to_proposal"] = m.to_proposal;
        move["from_place"] = m.from_place;
        move["from_name"] = m.from_name;
        move["to_place"] = m.to_place;
        move["to_name"] = m.to_name;
        move["blocks"] = m.blocks;
        move["people"] = m.people;
        out.append(move);
    }
    for (std::size_t i = 0; i < partner_changes; ++i) {
        pdef_partner_change c;
        ctx.check(pdef_comparison_get_partner_change(ctx.get(), made, i, &c));
        py::dict change;
        change["kind"] = "partner";
        change["from_proposal"] = c.from_proposal;
        change["to_proposal"] = c.to_proposal;
        change["partner"] = c.partner;
        change["code"] = c.code;
        change["name"] = c.name;
        change["before"] = c.before;
        change["after"] = c.after;
        out.append(change);
    }
    return out;
}

py::dict compare(const py::object& blocks, const py::sequence& proposals, const py::sequence& partners,
                 const py::object& population, const py::object& deprivation, const std::string& key,
                 const std::string& place_column, const std::string& block_column, double min_population,
                 double max_population, double tolerance, double distance, double min_piece, const py::object& output,
                 unsigned threads, const std::string& study_crs) {
    const Settings settings = scoring_settings_of(threads, study_crs, tolerance, distance, min_piece);
    if (population.is_none()) value_error("compare needs the blocks' population");
    const Layer block_layer = as_layer(blocks, false, settings);
    std::vector<ProposalArgument> chosen;
    for (const py::handle item : proposals) chosen.push_back(proposal_of(item, settings));
    std::vector<Layer> partner_layers;
    for (const py::handle item : partners) partner_layers.push_back(as_layer(item, false, settings));
    std::vector<std::string> names;
    for (const ProposalArgument& p : chosen) names.push_back(p.name);
    const std::vector<const char*> name_texts = c_strings(names, "proposal name");
    std::vector<pdef_proposal> given;
    for (std::size_t i = 0; i < chosen.size(); ++i)
        given.push_back({name_texts[i], chosen[i].layer ? chosen[i].layer->handle.get() : nullptr,
                         chosen[i].layer ? nullptr : chosen[i].lookup.c_str()});
    std::vector<const pdef_layer*> partner_handles;
    for (const Layer& layer : partner_layers) partner_handles.push_back(layer.handle.get());

    pdef_compare_options options;
    pdef_compare_options_init(&options);
    options.key = key.c_str();
    options.place_column = place_column.c_str();
    options.block_column = block_column.c_str();
    options.min_population = min_population;
    options.max_population = max_population;
    std::optional<Layer> deprivation_units;
    std::string deprivation_table, deprivation_column;
    if (!deprivation.is_none()) {
        const py::tuple spec = py::tuple(deprivation);
        if (spec.size() != 3) value_error("deprivation is (units, table, column): e.g. (lsoas, 'imd.csv', 'IMD_rank')");
        deprivation_units = as_layer(spec[0], false, settings);
        deprivation_table = py::str(spec[1]).cast<std::string>();
        deprivation_column = py::str(spec[2]).cast<std::string>();
        options.deprivation_units = deprivation_units->handle.get();
        options.deprivation_table = deprivation_table.c_str();
        options.deprivation_column = deprivation_column.c_str();
    }
    const std::vector<std::string> outputs = output_paths(output);
    Context ctx(settings);
    pdef_comparison* made = nullptr;
    ctx.run([&] {
        return pdef_compare(ctx.get(), block_layer.handle.get(), population_handle(population), given.data(), given.size(),
                            partner_handles.data(), partner_handles.size(), &options, &made);
    });
    const Owned<pdef_comparison> owned(made, pdef_comparison_destroy);
    for (const std::string& path : outputs) ctx.run([&] { return pdef_comparison_write(ctx.get(), made, path.c_str()); });

    std::size_t count = 0, partner_count = 0, moves = 0, changes = 0;
    ctx.check(pdef_comparison_get_counts(ctx.get(), made, &count, &partner_count, &moves, &changes));
    py::dict out;
    out["_writer"] = Writer::of(owned, pdef_comparison_write, settings);
    out["proposals"] = proposals_of(ctx, made, count);
    out["scorecard"] = scorecard_of(ctx, made, count, partner_count);
    out["places"] = places_of(ctx, made, count);
    out["changes"] = changes_of(ctx, made, moves, changes);
    std::vector<const Layer*> inputs{&block_layer};
    for (const ProposalArgument& p : chosen)
        if (p.layer) inputs.push_back(&*p.layer);
    for (const Layer& layer : partner_layers) inputs.push_back(&layer);
    if (deprivation_units) inputs.push_back(&*deprivation_units);
    out["problems"] = job_problems(ctx, inputs, population);
    return out;
}

}  // namespace

void bind_compare(py::module_& m) {
    m.def("compare", &compare, py::arg("blocks"), py::arg("proposals"), py::arg("partners"),
          py::arg("population") = py::none(), py::arg("deprivation") = py::none(), py::arg("key") = "",
          py::arg("place_column") = "area", py::arg("block_column") = "", py::arg("min_population") = 0.0,
          py::arg("max_population") = std::numeric_limits<double>::infinity(), py::arg("tolerance") = 0.995,
          py::arg("distance") = 20.0, py::arg("min_piece") = 0.01, py::arg("output") = py::none(),
          py::arg("threads") = 0u, py::arg("study_crs") = "EPSG:27700",
          "`placedef compare PROPOSAL... --blocks B --partner P...`: proposals side by side. Each\n"
          "proposal is a layer (or address) of places, a lookup CSV path of blocks and places, or a\n"
          "(name, either) pair; population (required) is on the blocks or another layer; deprivation is\n"
          "(units, table, column), the column a rank or a score with national deciles beside it.\n"
          "Returns 'proposals' (name, places, people_min, people_max, people_ratio, people_cv,\n"
          "deprived_min, deprived_max, below_target, above_target), 'scorecard' (one row per proposal and\n"
          "partner: partner_units, partner_units_split, people_in_split_units, people_outside_main_place,\n"
          "units_in_places (and by people), places_in_units (and by people), place_lines_on_partner_lines,\n"
          "partner_lines_on_place_lines), 'places' (per place of each proposal), 'changes' (moves of\n"
          "blocks and partner units that sit differently, between each pair) and 'problems'. `output`\n"
          "writes what `-o` writes (a .csv scorecard with its companion tables, or a GeoPackage).");
}

}  // namespace placedef::python
