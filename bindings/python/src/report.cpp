// placedef.align(): an alignment report as layer scores and unit columns.
#include "types.hpp"

namespace placedef::python {

namespace {

py::dict units_of(const Context& ctx, const pdef_report* report, pdef_side side) {
    std::size_t count = 0;
    ctx.check(pdef_report_get_unit_count(ctx.get(), report, side, &count));
    const auto n = static_cast<py::ssize_t>(count);
    py::list code, name, relation, best, best_name, also_within, pieces;
    py::array_t<std::int64_t> fragmentation(n);
    NumberColumns numbers({"coverage", "best_share_of_b", "iou", "covered", "built_from", "area_m2", "pop",
                           "pop_covered", "pop_coverage", "boundary_alignment", "outer_boundary"},
                          {n});
    for (std::size_t i = 0; i < count; ++i) {
        pdef_unit_relation u;
        ctx.check(pdef_report_get_unit(ctx.get(), report, side, i, &u));
        const char* unit_name = nullptr;
        const char* best_unit_name = nullptr;
        ctx.check(pdef_report_get_unit_names(ctx.get(), report, side, i, &unit_name, &best_unit_name));
        code.append(u.code);
        name.append(unit_name);
        relation.append(pdef_relation_to_string(u.relation));
        best.append(u.best);
        best_name.append(best_unit_name);
        std::size_t others = 0;
        ctx.check(pdef_report_get_also_within_count(ctx.get(), report, side, i, &others));
        py::list unit_also_within;
        for (std::size_t k = 0; k < others; ++k) {
            const char* other = nullptr;
            ctx.check(pdef_report_get_also_within(ctx.get(), report, side, i, k, &other));
            unit_also_within.append(other);
        }
        also_within.append(unit_also_within);
        fragmentation.mutable_data()[i] = static_cast<std::int64_t>(u.fragmentation);
        numbers.set(i, {u.coverage, u.best_share_of_b, u.iou, u.covered, u.built_from, u.area_m2, u.pop,
                        u.pop_covered, u.pop_coverage, u.boundary_alignment, u.outer_boundary});
        py::list unit_pieces;
        for (std::size_t p = 0; p < u.piece_count; ++p) {
            pdef_split_piece piece;
            ctx.check(pdef_report_get_piece(ctx.get(), report, side, i, p, &piece));
            unit_pieces.append(py::make_tuple(piece.code, piece.share, piece.pop_share));
        }
        pieces.append(unit_pieces);
    }
    py::dict out;
    out["code"] = code;
    out["name"] = name;
    out["relation"] = relation;
    out["best"] = best;
    out["best_name"] = best_name;
    out["also_within"] = also_within;
    out["fragmentation"] = fragmentation;
    numbers.add_to(out);
    out["pieces"] = pieces;
    return out;
}

py::dict align(const py::object& a, const py::object& b, const py::object& population, double tolerance,
               double distance, double min_piece, bool alignment, const py::object& output, unsigned threads,
               const std::string& study_crs) {
    const Settings settings = scoring_settings_of(threads, study_crs, tolerance, distance, min_piece);
    const Layer layer_a = as_layer(a, false, settings);
    const Layer layer_b = as_layer(b, false, settings);
    const std::vector<std::string> outputs = output_paths(output);
    Context ctx(settings);
    pdef_table* table = nullptr;
    const pdef_population* people = population_handle(population);
    ctx.run([&] { return pdef_overlay(ctx.get(), layer_a.handle.get(), layer_b.handle.get(), people, 0.0, false, &table); });
    const Owned<pdef_table> owned_table(table, pdef_table_destroy);
    pdef_report* made = nullptr;
    ctx.run([&] {
        return pdef_report_create(ctx.get(), table, alignment ? layer_a.handle.get() : nullptr,
                                  alignment ? layer_b.handle.get() : nullptr, &made);
    });
    const Owned<pdef_report> report(made, pdef_report_destroy);
    for (const std::string& path : outputs) ctx.run([&] { return pdef_report_write_csv(ctx.get(), report.get(), path.c_str()); });

    py::dict out;
    out["_writer"] = Writer::of(report, pdef_report_write_csv, settings);
    pdef_layer_score score;
    ctx.check(pdef_report_get_layer_score(ctx.get(), report.get(), PDEF_SIDE_A, &score));
    out["a_in_b"] = layer_score_dict(score);
    ctx.check(pdef_report_get_layer_score(ctx.get(), report.get(), PDEF_SIDE_B, &score));
    out["b_in_a"] = layer_score_dict(score);
    out["a_units"] = units_of(ctx, report.get(), PDEF_SIDE_A);
    out["b_units"] = units_of(ctx, report.get(), PDEF_SIDE_B);
    char* text = nullptr;
    ctx.check(pdef_report_describe(ctx.get(), report.get(), &text));
    out["text"] = take_text(text);
    out["problems"] = job_problems(ctx, {&layer_a, &layer_b}, population);
    return out;
}

}  // namespace

void bind_report(py::module_& m) {
    m.def("align", &align, py::arg("a"), py::arg("b"), py::arg("population") = py::none(),
          py::arg("tolerance") = 0.995, py::arg("distance") = 20.0, py::arg("min_piece") = 0.01,
          py::arg("alignment") = true, py::arg("output") = py::none(), py::arg("threads") = 0u,
          py::arg("study_crs") = "EPSG:27700",
          "`placedef align A B`: how each unit of A relates to B (coterminous, nested, built_from,\n"
          "split, outside) and the other way round. Returns {'a_in_b', 'b_in_a'} (layer scores),\n"
          "{'a_units', 'b_units'} (columns with names, pieces as (code, share, pop_share) lists, also_within:\n"
          "the other units that also hold the unit wholly, where the other layer's units overlap), 'text'\n"
          "and 'problems' (as --problems\n"
          "lists them: the inputs', the population's and the job's).");
}

}  // namespace placedef::python
