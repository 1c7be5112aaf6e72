// placedef.footprints(): town footprints by spatially constrained clustering.
#include "types.hpp"

#include <cmath>
#include <limits>

namespace placedef::python {

namespace {

/// One value per block: a Population apportioned to the blocks, or the values themselves.
std::vector<double> block_population(const Context& ctx, const py::object& population, const Layer& blocks,
                                     std::size_t count) {
    if (population.is_none()) return {};
    std::vector<double> values(count);
    if (py::isinstance<Population>(population)) {
        const pdef_population* given = population.cast<const Population&>().handle.get();
        ctx.run([&] { return pdef_population_apportion(ctx.get(), given, blocks.handle.get(), values.data(), count); });
        return values;
    }
    return population.cast<std::vector<double>>();
}

void add_attributes(const Context& ctx, pdef_footprint_options* options, const py::object& attributes) {
    if (attributes.is_none()) return;
    if (!py::isinstance<py::dict>(attributes))
        value_error("attributes must be a dict {name: values}, {name: (values, weight)} or {\"density\": weight}");
    for (const auto& [key, value] : attributes.cast<py::dict>()) {
        const std::string name = py::str(key);
        // A number alone is the weight of a built-in attribute ("density", "position"), made from the blocks.
        if ((py::isinstance<py::float_>(value) || py::isinstance<py::int_>(value)) && !py::isinstance<py::bool_>(value)) {
            ctx.check(pdef_footprint_options_add_builtin_attribute(ctx.get(), options, name.c_str(), value.cast<double>()));
            continue;
        }
        double weight = 1.0;
        py::object values = py::reinterpret_borrow<py::object>(value);
        if (py::isinstance<py::tuple>(values)) {
            const py::tuple pair = values.cast<py::tuple>();
            if (pair.size() != 2) value_error("attribute '" + name + "': give values or (values, weight)");
            values = pair[0];
            if (!py::isinstance<py::float_>(pair[1]) && !py::isinstance<py::int_>(pair[1]))
                type_error("attribute '" + name + "': the weight must be a number");
            weight = pair[1].cast<double>();
        }
        const std::vector<double> numbers = numbers_of(values, "attribute '" + name + "'");
        ctx.check(pdef_footprint_options_add_attribute(ctx.get(), options, name.c_str(), numbers.data(), numbers.size(),
                                                       weight));
    }
}

/// respect / align: a layer (a Layer or a path), a (layer, weight) pair, or a list of them.
std::vector<std::pair<Layer, double>> partner_layers(const py::object& given, const std::string& argument,
                                                     const Settings& settings) {
    std::vector<std::pair<Layer, double>> layers;
    if (given.is_none()) return layers;
    auto one = [&](const py::handle& item) {
        if (py::isinstance<py::tuple>(item)) {
            const py::tuple pair = item.cast<py::tuple>();
            if (pair.size() != 2) value_error(argument + ": give a layer or (layer, weight)");
            if (!py::isinstance<py::float_>(pair[1]) && !py::isinstance<py::int_>(pair[1]))
                type_error(argument + ": the weight must be a number");
            layers.emplace_back(as_layer(pair[0], false, settings), pair[1].cast<double>());
        } else {
            layers.emplace_back(as_layer(item, false, settings), 1.0);
        }
    };
    if (py::isinstance<py::list>(given)) {
        for (const py::handle item : given.cast<py::list>()) one(item);
    } else {
        one(given);
    }
    return layers;
}

/// How the footprints sit against each partner layer of a role, as dicts.
py::list partner_fits(const Context& ctx, const pdef_footprints* made, pdef_partner_role role) {
    size_t count = 0;
    ctx.check(pdef_footprints_get_partner_count(ctx.get(), made, role, &count));
    py::list fits;
    for (std::size_t i = 0; i < count; ++i) {
        pdef_partner_fit f;
        ctx.check(pdef_footprints_get_partner_fit(ctx.get(), made, role, i, &f));
        py::dict fit;
        fit["layer"] = f.layer;
        fit["weight"] = f.weight;
        fit["footprints_in_units"] = f.footprints_in_units;
        fit["units_in_footprints"] = f.units_in_footprints;
        fit["footprints"] = f.footprints;
        fit["footprints_across"] = f.footprints_across;
        fit["units"] = f.units;
        fit["units_whole"] = f.units_whole;
        fits.append(fit);
    }
    return fits;
}

py::dict footprints_of(const Context& ctx, const pdef_footprints* made, const pdef_footprints_summary& summary,
                       const Layer& polygons) {
    const auto n = static_cast<py::ssize_t>(summary.regions);
    py::list name, wkb;
    py::array_t<std::int64_t> blocks(n), parts(n);
    py::array_t<bool> contiguous(n);
    NumberColumns numbers({"population", "area_m2", "perimeter_m", "polsby_popper", "hull_ratio", "wss"}, {n});
    for (std::size_t r = 0; r < summary.regions; ++r) {
        pdef_town_footprint f;
        ctx.check(pdef_footprints_get_footprint(ctx.get(), made, r, &f));
        name.append(f.name);
        blocks.mutable_data()[r] = static_cast<std::int64_t>(f.blocks);
        parts.mutable_data()[r] = static_cast<std::int64_t>(f.parts);
        contiguous.mutable_data()[r] = f.contiguous_graph && f.parts == 1;
        numbers.set(r, {f.population, f.area_m2, f.perimeter_m, f.polsby_popper, f.hull_ratio, f.wss});
        wkb.append(wkb_at(ctx, pdef_footprints_get_footprint_wkb, made, r));
    }
    py::dict out;
    out["code"] = layer_codes(polygons);
    out["name"] = name;
    out["blocks"] = blocks;
    numbers.add_to(out);
    out["parts"] = parts;
    out["contiguous"] = contiguous;
    out["wkb"] = wkb;
    return out;
}

py::dict footprints(const py::object& blocks_argument, const std::string& method, std::size_t k, double mean_pop,
                    const py::object& attributes, const py::object& population, double min_pop, double max_pop,
                    const py::object& places, const std::string& places_crs, double rural_distance, std::size_t rural,
                    const py::object& balance, const py::object& nest_in, const py::object& within, const py::object& clip,
                    const std::vector<std::string>& clip_codes, const std::string& adjacency, double snap,
                    double min_shared, bool join_islands, const std::string& linkage, const std::string& search,
                    bool refine, std::size_t tries, std::size_t restarts, std::uint64_t seed, const py::object& output,
                    unsigned threads, const std::string& study_crs, double boundary, std::size_t ensemble,
                    const std::vector<std::string>& ensemble_methods, const py::object& respect, const py::object& align) {
    const Settings settings = settings_of(threads, study_crs);
    Context ctx(settings);
    const Layer loaded_blocks = as_layer(blocks_argument, false, settings);
    Layer blocks = loaded_blocks;
    std::optional<Layer> area;
    if (!clip.is_none()) {
        area = as_layer(clip, false, settings);
        pdef_layer* chosen = nullptr;
        const std::vector<const char*> codes = c_strings(clip_codes);
        ctx.run([&] {
            return pdef_layer_create_within(ctx.get(), blocks.handle.get(), area->handle.get(), codes.data(), codes.size(),
                                            &chosen);
        });
        blocks = Layer::adopt(chosen);
    }
    if (!nest_in.is_none() && !within.is_none()) value_error("give nest_in or within, not both");
    const std::size_t count = layer_count(ctx, blocks);
    const std::vector<std::string> outputs = output_paths(output);

    pdef_footprint_options* raw = nullptr;
    ctx.check(pdef_footprint_options_create(ctx.get(), &raw));
    const Owned<pdef_footprint_options> options(raw, pdef_footprint_options_destroy);
    pdef_cluster_method chosen = PDEF_CLUSTER_SKATER;
    ctx.check(pdef_cluster_method_from_string(ctx.get(), method.c_str(), &chosen));
    ctx.check(pdef_footprint_options_set_method(ctx.get(), raw, chosen));
    ctx.check(pdef_footprint_options_set_seed(ctx.get(), raw, seed));
    ctx.check(pdef_footprint_options_set_count(ctx.get(), raw, k));
    const std::vector<double> people = block_population(ctx, population, blocks, count);
    ctx.check(pdef_footprint_options_set_population(ctx.get(), raw, people.data(), people.size()));
    ctx.check(pdef_footprint_options_set_mean_population(ctx.get(), raw, mean_pop));
    ctx.check(pdef_footprint_options_set_population_bounds(ctx.get(), raw, min_pop, max_pop));
    add_attributes(ctx, raw, attributes);
    ctx.check(pdef_footprint_options_set_boundary(ctx.get(), raw, boundary));
    std::optional<Layer> towns;
    if (is_path(places)) {
        pdef_layer* opened = nullptr;
        const std::string path = path_text(places, "places");
        ctx.run([&] { return pdef_layer_open_places(ctx.get(), path.c_str(), places_crs.c_str(), &opened); });
        towns = Layer::adopt(opened);
    } else if (!places.is_none()) {
        towns = as_layer(places, true, settings);
    }
    // None: the method's default balance (0.5 for seeded growth, none for the others).
    const double balance_value = balance.is_none() ? std::numeric_limits<double>::quiet_NaN() : balance.cast<double>();
    ctx.check(pdef_footprint_options_set_seeded(ctx.get(), raw, towns ? towns->handle.get() : nullptr, rural_distance,
                                                rural, balance_value));
    ctx.check(pdef_footprint_options_set_search(
        ctx.get(), raw,
        choice(ctx, pdef_linkage_from_string, linkage), choice(ctx, pdef_local_search_from_string, search),
        refine, tries, restarts));
    ctx.check(pdef_footprint_options_set_contiguity(ctx.get(), raw, choice(ctx, pdef_adjacency_from_string, adjacency), snap, min_shared,
                                                    join_islands));
    std::optional<Layer> nest;
    if (!nest_in.is_none() || !within.is_none()) {
        nest = as_layer(nest_in.is_none() ? within : nest_in, false, settings);
        ctx.check(pdef_footprint_options_set_nesting(ctx.get(), raw, nest->handle.get(),
                                                     nest_in.is_none() ? PDEF_NESTING_WITHIN_UNITS
                                                                       : PDEF_NESTING_WHOLE_UNITS));
    }

    std::vector<pdef_cluster_method> run_methods;
    for (const std::string& name : ensemble_methods) {
        pdef_cluster_method m = PDEF_CLUSTER_SKATER;
        ctx.check(pdef_cluster_method_from_string(ctx.get(), name.c_str(), &m));
        run_methods.push_back(m);
    }
    ctx.check(pdef_footprint_options_set_ensemble(ctx.get(), raw, ensemble, run_methods.data(), run_methods.size()));
    const std::vector<std::pair<Layer, double>> respected = partner_layers(respect, "respect", settings);
    const std::vector<std::pair<Layer, double>> aligned = partner_layers(align, "align", settings);
    for (const auto& [role, partners] : {std::pair{PDEF_PARTNER_RESPECT, &respected}, std::pair{PDEF_PARTNER_ALIGN, &aligned}})
        for (const auto& [layer, weight] : *partners)
            ctx.check(pdef_footprint_options_add_partner(ctx.get(), raw, layer.handle.get(), role, weight));

    pdef_footprints* made = nullptr;
    ctx.run([&] { return pdef_footprints_create(ctx.get(), blocks.handle.get(), raw, &made); });
    const Owned<pdef_footprints> result(made, pdef_footprints_destroy);
    for (const std::string& path : outputs) ctx.run([&] { return pdef_footprints_write(ctx.get(), made, path.c_str()); });

    pdef_footprints_summary s;
    ctx.check(pdef_footprints_get_summary(ctx.get(), made, &s));
    pdef_layer* polygon_layer = nullptr;
    ctx.check(pdef_footprints_to_layer(ctx.get(), made, &polygon_layer));
    const Layer polygons = Layer::adopt(polygon_layer);

    py::dict summary;
    summary["method"] = pdef_cluster_method_to_string(chosen);
    summary["regions"] = s.regions;
    summary["blocks"] = s.blocks;
    summary["wss"] = s.wss;
    summary["tss"] = s.tss;
    summary["ratio"] = s.tss > 0 ? s.wss / s.tss : 0.0;
    summary["non_contiguous"] = s.non_contiguous;
    summary["min_population"] = s.min_population;
    summary["max_population"] = s.max_population;
    summary["groups"] = s.groups;
    std::size_t note_count = 0;
    ctx.check(pdef_footprints_get_note_count(ctx.get(), made, &note_count));
    py::list notes;
    for (std::size_t i = 0; i < note_count; ++i) {
        const char* note = nullptr;
        ctx.check(pdef_footprints_get_note(ctx.get(), made, i, &note));
        notes.append(note);
    }
    summary["notes"] = notes;

    py::array_t<std::int32_t> regions(static_cast<py::ssize_t>(s.blocks));
    ctx.check(pdef_footprints_copy_regions(ctx.get(), made, regions.mutable_data(), s.blocks));
    const py::list codes = layer_codes(polygons);
    py::list block_footprint, parent;
    for (std::size_t i = 0; i < s.blocks; ++i) {
        block_footprint.append(codes[static_cast<std::size_t>(regions.data()[i])]);
        const char* unit = nullptr;
        if (nest) {
            ctx.check(pdef_footprints_get_parent(ctx.get(), made, i, &unit));
            parent.append(unit);
        }
    }
    py::dict block_columns;
    block_columns["code"] = layer_codes(blocks);
    block_columns["region"] = regions;
    block_columns["footprint"] = block_footprint;
    if (nest) block_columns["parent"] = parent;
    pdef_ensemble_summary e;
    ctx.check(pdef_footprints_get_ensemble(ctx.get(), made, &e));
    py::dict edge_columns;
    if (e.runs > 0) {
        py::dict ensemble_summary;
        ensemble_summary["runs"] = e.runs;
        ensemble_summary["consensus_run"] = e.consensus_run;
        ensemble_summary["mean_ari"] = e.consensus_mean_ari;
        ensemble_summary["unstable_blocks"] = e.unstable_blocks;
        ensemble_summary["unstable_population"] = e.unstable_population;
        ensemble_summary["unstable_below"] = e.unstable_below;
        summary["ensemble"] = ensemble_summary;
        py::array_t<double> stability(static_cast<py::ssize_t>(s.blocks));
        ctx.check(pdef_footprints_copy_stability(ctx.get(), made, stability.mutable_data(), s.blocks));
        py::array_t<bool> unstable(static_cast<py::ssize_t>(s.blocks));
        for (std::size_t i = 0; i < s.blocks; ++i) unstable.mutable_data()[i] = stability.data()[i] < e.unstable_below;
        block_columns["stability"] = stability;
        block_columns["unstable"] = unstable;
        std::vector<std::uint32_t> pairs(2 * e.edges);
        py::array_t<double> frequency(static_cast<py::ssize_t>(e.edges));
        ctx.check(pdef_footprints_copy_boundary_frequency(ctx.get(), made, pairs.data(), frequency.mutable_data(), e.edges));
        const py::list block_codes = layer_codes(blocks);
        py::list block_a, block_b;
        for (std::size_t edge = 0; edge < e.edges; ++edge) {
            block_a.append(block_codes[pairs[2 * edge]]);
            block_b.append(block_codes[pairs[2 * edge + 1]]);
        }
        edge_columns["block_a"] = block_a;
        edge_columns["block_b"] = block_b;
        edge_columns["frequency"] = frequency;
    }

    pdef_graph* graph = nullptr;
    ctx.check(pdef_footprints_get_graph(ctx.get(), made, &graph));
    const Owned<pdef_graph> owned_graph(graph, pdef_graph_destroy);
    const char* crs = nullptr;
    ctx.check(pdef_layer_get_crs(ctx.get(), blocks.handle.get(), &crs));

    py::dict out;
    out["_writer"] = Writer::of(result, pdef_footprints_write, settings);
    out["summary"] = summary;
    out["footprints"] = footprints_of(ctx, made, s, polygons);
    out["blocks"] = block_columns;
    if (e.runs > 0) out["boundary_frequency"] = edge_columns;
    out["graph"] = graph_dict(ctx, graph);
    py::dict partners;
    partners["respect"] = partner_fits(ctx, made, PDEF_PARTNER_RESPECT);
    partners["align"] = partner_fits(ctx, made, PDEF_PARTNER_ALIGN);
    out["partners"] = partners;
    std::vector<const Layer*> inputs{&loaded_blocks};
    for (const std::optional<Layer>* layer : {&area, &towns, &nest})
        if (*layer) inputs.push_back(&**layer);
    for (const auto* partners_of_role : {&respected, &aligned})
        for (const auto& partner : *partners_of_role) inputs.push_back(&partner.first);
    out["problems"] = job_problems(ctx, inputs, population);
    out["crs"] = crs;
    return out;
}

}  // namespace

void bind_footprints(py::module_& m) {
    const double none = std::numeric_limits<double>::infinity();
    m.def("footprints", &footprints, py::arg("blocks"), py::arg("method") = "skater", py::arg("k") = 0, py::arg("mean_pop") = 0.0,
          py::arg("attributes") = py::none(), py::arg("population") = py::none(), py::arg("min_pop") = 0.0,
          py::arg("max_pop") = none, py::arg("places") = py::none(), py::arg("places_crs") = "",
          py::arg("rural_distance") = none, py::arg("rural") = 0, py::arg("balance") = py::none(),
          py::arg("nest_in") = py::none(), py::arg("within") = py::none(), py::arg("clip") = py::none(),
          py::arg("clip_codes") = std::vector<std::string>{}, py::arg("adjacency") = "rook", py::arg("snap") = 5.0,
          py::arg("min_shared") = 10.0, py::arg("join_islands") = false, py::arg("linkage") = "average",
          py::arg("search") = "annealing", py::arg("refine") = false, py::arg("tries") = 100,
          py::arg("restarts") = 10, py::arg("seed") = 1, py::arg("output") = py::none(), py::arg("threads") = 0u,
          py::arg("study_crs") = "EPSG:27700", py::arg("boundary") = 0.0, py::arg("ensemble") = 0,
          py::arg("ensemble_methods") = std::vector<std::string>{},
          py::arg("respect") = py::none(), py::arg("align") = py::none(),
          "`placedef footprints BLOCKS`: contiguous groups of blocks by 'skater', 'redcap', 'maxp', 'azp'\n"
          "or 'seeded' (grown from places: a point Layer or a CSV of town centres). attributes:\n"
          "{name: values or (values, weight)}, one raw value per block, or {'density' or 'position': weight},\n"
          "made from the blocks as --attr makes them; boundary: the weight of the\n"
          "boundary term (local searches keep blocks with long shared boundaries together); population: a Population\n"
          "(apportioned to the blocks) or one value per block; nest_in / within: a layer whose units the\n"
          "footprints are made of / never cross; clip (and clip_codes): keep the blocks lying in it.\n"
          "mean_pop instead of k: k = the blocks' people / mean_pop (carries from county to county).\n"
          "min_pop / max_pop hold every footprint, whatever the method. balance (0 to 4; None: the method's\n"
          "default): seeded, how evenly towns grow (0.5); the others, with k, each footprint within\n"
          "1/(2 x balance) of the mean population (none). summary['notes'] tells what a reader must know\n"
          "(a unit without a town that is a rural footprint of its own). respect / align: partner layers in\n"
          "the objective (a layer, (layer, weight), or a list of them): a soft boundary / units kept whole.\n"
          "Returns 'summary', 'footprints' (columns with wkb), 'blocks' (code, region, footprint[, parent]),\n"
          "'graph', 'partners' ({'respect': [...], 'align': [...]}: how the footprints sit against each),\n"
          "'problems' and 'crs'. ensemble=N runs N seeds (methods taken in turn from ensemble_methods) and\n"
          "keeps the consensus: summary['ensemble'], blocks 'stability' and 'unstable', and\n"
          "'boundary_frequency' (block_a, block_b, frequency) are added.");
}

}  // namespace placedef::python
