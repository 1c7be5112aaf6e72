// placedef.overlay(): the intersection table as columns.
#include "types.hpp"

namespace placedef::python {

namespace {

bool is_csv(const std::string& path) {
    return path == "-" || (path.size() >= 4 && path.compare(path.size() - 4, 4, ".csv") == 0);
}

py::dict units_of(const Context& ctx, const pdef_table* table, pdef_side side, std::size_t count, bool population) {
    py::list codes, names;
    py::array_t<double> areas(static_cast<py::ssize_t>(count)), people(static_cast<py::ssize_t>(count));
    for (std::size_t i = 0; i < count; ++i) {
        pdef_table_unit unit;
        ctx.check(pdef_table_get_unit(ctx.get(), table, side, i, &unit));
        const char* name = nullptr;
        ctx.check(pdef_table_get_unit_name(ctx.get(), table, side, i, &name));
        codes.append(unit.code);
        names.append(name);
        areas.mutable_data()[i] = unit.area_m2;
        people.mutable_data()[i] = unit.pop;
    }
    py::dict out;
    out["code"] = codes;
    out["name"] = names;
    out["area_m2"] = areas;
    if (population) out["pop"] = people;
    return out;
}

py::dict rows_of(const Context& ctx, const pdef_table* table, const pdef_table_summary& summary) {
    const auto n = static_cast<py::ssize_t>(summary.rows);
    py::list a_code, b_code, a_name, b_name, pieces;
    py::array_t<std::int64_t> a_index(n), b_index(n);
    for (std::size_t i = 0; i < summary.rows; ++i) {
        pdef_table_row row;
        ctx.check(pdef_table_get_row(ctx.get(), table, i, &row));
        const char* name_a = nullptr;
        const char* name_b = nullptr;
        ctx.check(pdef_table_get_unit_name(ctx.get(), table, PDEF_SIDE_A, row.a_index, &name_a));
        ctx.check(pdef_table_get_unit_name(ctx.get(), table, PDEF_SIDE_B, row.b_index, &name_b));
        a_code.append(row.a_code);
        b_code.append(row.b_code);
        a_name.append(name_a);
        b_name.append(name_b);
        a_index.mutable_data()[i] = static_cast<std::int64_t>(row.a_index);
        b_index.mutable_data()[i] = static_cast<std::int64_t>(row.b_index);
        if (summary.has_geometry) pieces.append(wkb_at(ctx, pdef_table_get_piece_wkb, table, i));
    }
    py::dict out;
    out["a_code"] = a_code;
    out["b_code"] = b_code;
    out["a_name"] = a_name;
    out["b_name"] = b_name;
    out["a_index"] = a_index;
    out["b_index"] = b_index;
    const std::pair<const char*, pdef_table_column> columns[] = {
        {"area_m2", PDEF_COLUMN_AREA_M2},       {"share_of_a", PDEF_COLUMN_SHARE_OF_A},
        {"share_of_b", PDEF_COLUMN_SHARE_OF_B}, {"pop", PDEF_COLUMN_POP},
        {"pop_share_of_a", PDEF_COLUMN_POP_SHARE_OF_A}, {"pop_share_of_b", PDEF_COLUMN_POP_SHARE_OF_B}};
    for (const auto& [name, column] : columns) {
        if (column >= PDEF_COLUMN_POP && !summary.has_population) continue;
        py::array_t<double> values(n);
        ctx.check(pdef_table_copy_column(ctx.get(), table, column, values.mutable_data(), summary.rows));
        out[name] = values;
    }
    if (summary.has_geometry) out["wkb"] = pieces;
    return out;
}

py::dict overlay(const py::object& a, const py::object& b, const py::object& population, double min_share,
                 const std::optional<bool>& geometry, const py::object& output, unsigned threads,
                 const std::string& study_crs) {
    const Settings settings = settings_of(threads, study_crs);
    const Layer layer_a = as_layer(a, false, settings);
    const Layer layer_b = as_layer(b, false, settings);
    const std::vector<std::string> outputs = output_paths(output);
    bool with_geometry = false;
    for (const std::string& path : outputs) with_geometry = with_geometry || !is_csv(path);
    with_geometry = geometry.value_or(with_geometry);

    Context ctx(settings);
    pdef_table* made = nullptr;
    const pdef_population* people = population_handle(population);
    ctx.run([&] {
        return pdef_overlay(ctx.get(), layer_a.handle.get(), layer_b.handle.get(), people, min_share, with_geometry, &made);
    });
    const Owned<pdef_table> table(made, pdef_table_destroy);
    for (const std::string& path : outputs) ctx.run([&] { return pdef_table_write(ctx.get(), table.get(), path.c_str()); });

    pdef_table_summary summary;
    ctx.check(pdef_table_get_summary(ctx.get(), table.get(), &summary));
    py::dict about;
    about["a_layer"] = summary.a_layer;
    about["b_layer"] = summary.b_layer;
    about["rows"] = summary.rows;
    about["candidate_pairs"] = summary.candidate_pairs;
    about["covered_pairs"] = summary.covered_pairs;
    about["dropped_below_min_share"] = summary.dropped_below_min_share;
    about["seconds"] = summary.seconds;
    about["has_population"] = summary.has_population;
    about["has_geometry"] = summary.has_geometry;
    py::dict out;
    out["_writer"] = Writer::of(table, pdef_table_write, settings);
    out["summary"] = about;
    out["rows"] = rows_of(ctx, table.get(), summary);
    out["a_units"] = units_of(ctx, table.get(), PDEF_SIDE_A, summary.a_units, summary.has_population);
    out["b_units"] = units_of(ctx, table.get(), PDEF_SIDE_B, summary.b_units, summary.has_population);
    out["problems"] = job_problems(ctx, {&layer_a, &layer_b}, population);
    return out;
}

}  // namespace

void bind_table(py::module_& m) {
    m.def("overlay", &overlay, py::arg("a"), py::arg("b"), py::arg("population") = py::none(),
          py::arg("min_share") = 0.0, py::arg("geometry") = py::none(), py::arg("output") = py::none(),
          py::arg("threads") = 0u, py::arg("study_crs") = "EPSG:27700",
          "`placedef overlay A B`: every pair of units with positive intersection area.\n"
          "Returns {'summary', 'rows', 'a_units', 'b_units', 'problems'}; 'rows' holds columns a_code, b_code,\n"
          "a_index, b_index, area_m2, share_of_a, share_of_b (pop, pop_share_of_a, pop_share_of_b with a\n"
          "population; wkb with geometry, which is on when an output is not a .csv). A and B are Layers\n"
          "or addresses; output is a path or a list of them (.csv, .gpkg, ...).");
}

}  // namespace placedef::python
