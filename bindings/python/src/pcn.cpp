// placedef.pcn(): PCN footprints with the fate of every practice.
#include "types.hpp"

namespace placedef::python {

namespace {

Owned<pdef_pcn_options> options_of(const Context& ctx, const std::string& method, const py::object& registered,
                                   const std::vector<std::string>& clip_codes, bool nearest, double same_site,
                                   const std::string& pcn_code, const std::string& pcn_name,
                                   const std::string& practice_name, const std::vector<std::string>& unallocated,
                                   const py::object& population) {
    pdef_pcn_options* made = nullptr;
    ctx.check(pdef_pcn_options_create(ctx.get(), &made));
    Owned<pdef_pcn_options> options(made, pdef_pcn_options_destroy);
    pdef_pcn_method chosen = PDEF_PCN_VORONOI;
    ctx.check(pdef_pcn_method_from_string(ctx.get(), method.c_str(), &chosen));
    ctx.check(pdef_pcn_options_set_method(ctx.get(), made, chosen));
    ctx.check(pdef_pcn_options_set_columns(ctx.get(), made, pcn_code.c_str(), pcn_name.c_str(), practice_name.c_str()));
    ctx.check(pdef_pcn_options_set_unallocated(ctx.get(), made, c_strings(unallocated).data(), unallocated.size()));
    ctx.check(pdef_pcn_options_set_clip_codes(ctx.get(), made, c_strings(clip_codes).data(), clip_codes.size()));
    ctx.check(pdef_pcn_options_set_same_site(ctx.get(), made, same_site));
    ctx.check(pdef_pcn_options_set_nearest_practice(ctx.get(), made, nearest));
    if (!registered.is_none())
        ctx.check(pdef_pcn_options_set_registered(ctx.get(), made, path_text(registered, "registered").c_str()));
    ctx.check(pdef_pcn_options_set_population(ctx.get(), made, population_handle(population)));
    return options;
}

py::dict footprints_of(const Context& ctx, const pdef_pcn* pcn, std::size_t count) {
    py::list code, name, wkb;
    py::array_t<std::int64_t> practices(static_cast<py::ssize_t>(count)), parts(static_cast<py::ssize_t>(count));
    py::array_t<double> area(static_cast<py::ssize_t>(count)), population(static_cast<py::ssize_t>(count));
    for (std::size_t i = 0; i < count; ++i) {
        pdef_pcn_footprint f;
        ctx.check(pdef_pcn_get_footprint(ctx.get(), pcn, i, &f));
        code.append(f.code);
        name.append(f.name);
        practices.mutable_data()[i] = static_cast<std::int64_t>(f.practices);
        parts.mutable_data()[i] = static_cast<std::int64_t>(f.parts);
        area.mutable_data()[i] = f.area_m2;
        population.mutable_data()[i] = f.population;
        wkb.append(wkb_at(ctx, pdef_pcn_get_footprint_wkb, pcn, i));
    }
    py::dict out;
    out["code"] = code;
    out["name"] = name;
    out["practices"] = practices;
    out["area_m2"] = area;
    out["parts"] = parts;
    out["population"] = population;
    out["wkb"] = wkb;
    return out;
}

py::dict practices_of(const Context& ctx, const pdef_pcn* pcn, std::size_t count) {
    py::list code, name, pcn_code, status;
    for (std::size_t i = 0; i < count; ++i) {
        pdef_practice p;
        ctx.check(pdef_pcn_get_practice(ctx.get(), pcn, i, &p));
        code.append(p.code);
        name.append(p.name);
        pcn_code.append(p.pcn);
        status.append(pdef_practice_status_to_string(p.status));
    }
    py::dict out;
    out["code"] = code;
    out["name"] = name;
    out["pcn"] = pcn_code;
    out["status"] = status;
    return out;
}

py::dict blocks_of(const Context& ctx, const pdef_pcn* pcn, std::size_t count) {
    py::list block, pcn_code, how;
    py::array_t<double> share(static_cast<py::ssize_t>(count));
    for (std::size_t i = 0; i < count; ++i) {
        pdef_block_assignment b;
        ctx.check(pdef_pcn_get_block(ctx.get(), pcn, i, &b));
        block.append(b.block);
        pcn_code.append(b.pcn);
        share.mutable_data()[i] = b.share;
        how.append(b.how);
    }
    py::dict out;
    out["block"] = block;
    out["pcn"] = pcn_code;
    out["share"] = share;
    out["how"] = how;
    return out;
}

py::dict pcn(const py::object& practices, const py::object& clip, const std::string& method, const py::object& blocks,
             const py::object& registered, const std::vector<std::string>& clip_codes, bool nearest,
             double same_site, const std::string& pcn_code, const std::string& pcn_name,
             const std::string& practice_name, const std::vector<std::string>& unallocated,
             const py::object& population, const py::object& output, unsigned threads, const std::string& study_crs) {
    const Settings settings = settings_of(threads, study_crs);
    const Layer practice_layer = as_layer(practices, true, settings);
    const Layer clip_layer = as_layer(clip, false, settings);
    std::optional<Layer> block_layer;
    if (!blocks.is_none()) block_layer = as_layer(blocks, false, settings);
    const std::vector<std::string> outputs = output_paths(output);
    Context ctx(settings);
    const Owned<pdef_pcn_options> options = options_of(ctx, method, registered, clip_codes, nearest, same_site, pcn_code,
                                                       pcn_name, practice_name, unallocated, population);
    pdef_pcn* made = nullptr;
    ctx.run([&] {
        return pdef_pcn_create(ctx.get(), practice_layer.handle.get(), clip_layer.handle.get(),
                               block_layer ? block_layer->handle.get() : nullptr, options.get(), &made);
    });
    const Owned<pdef_pcn> result(made, pdef_pcn_destroy);
    for (const std::string& path : outputs) ctx.run([&] { return pdef_pcn_write(ctx.get(), made, path.c_str()); });

    pdef_pcn_summary s;
    ctx.check(pdef_pcn_get_summary(ctx.get(), made, &s));
    py::dict summary;
    summary["method"] = pdef_pcn_method_to_string(s.method);
    summary["sites"] = s.sites;
    summary["clip_area"] = s.clip_area;
    summary["covered_area"] = s.covered_area;
    summary["footprint_area"] = s.footprint_area;
    summary["voronoi_agreement"] = s.voronoi_agreement;
    py::list outside;
    for (std::size_t i = 0; i < s.pcns_outside; ++i) {
        const char* code = nullptr;
        const char* name = nullptr;
        ctx.check(pdef_pcn_get_pcn_outside(ctx.get(), made, i, &code, &name));
        outside.append(py::make_tuple(code, name));
    }
    const char* crs = nullptr;
    ctx.check(pdef_layer_get_crs(ctx.get(), clip_layer.handle.get(), &crs));
    py::dict out;
    out["_writer"] = Writer::of(result, pdef_pcn_write, settings);
    out["summary"] = summary;
    out["footprints"] = footprints_of(ctx, made, s.footprints);
    out["practices"] = practices_of(ctx, made, s.practices);
    out["blocks"] = blocks_of(ctx, made, s.blocks);
    out["pcns_outside"] = outside;
    std::vector<const Layer*> inputs{&practice_layer, &clip_layer};
    if (block_layer) inputs.push_back(&*block_layer);
    out["problems"] = job_problems(ctx, inputs, population);
    out["crs"] = crs;
    return out;
}

}  // namespace

void bind_pcn(py::module_& m) {
    m.def("pcn", &pcn, py::arg("practices"), py::arg("clip"), py::arg("method") = "voronoi",
          py::arg("blocks") = py::none(), py::arg("registered") = py::none(),
          py::arg("clip_codes") = std::vector<std::string>{}, py::arg("nearest") = false, py::arg("same_site") = 1.0,
          py::arg("pcn_code") = "PCN_CODE", py::arg("pcn_name") = "PCN_NAME",
          py::arg("practice_name") = "PRACTICE_NAME", py::arg("unallocated") = std::vector<std::string>{"U"},
          py::arg("population") = py::none(), py::arg("output") = py::none(), py::arg("threads") = 0u,
          py::arg("study_crs") = "EPSG:27700",
          "`placedef pcn PRACTICES --clip LAYER`: PCN footprints by 'voronoi', 'blocks' (needs blocks=) or\n"
          "'registered' (needs blocks= and registered=CSV). Practices are a point Layer or an address\n"
          "'gp_practices.gpkg@PRACTICE_CODE'. Returns 'summary', 'footprints' (columns with wkb),\n"
          "'practices' (the status of each), 'blocks', 'pcns_outside', 'problems' and 'crs'.");
}

}  // namespace placedef::python
