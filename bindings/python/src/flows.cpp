// placedef.flows(): functional areas (travel-to-work areas) from commuting flows, as `placedef flows` makes them.
#include "types.hpp"

namespace placedef::python {

namespace {

/// A rule value for the C options: None is 0, the preset's own; a value given must be above 0.
double rule_value(const py::object& value, const char* argument) {
    if (value.is_none()) return 0.0;
    const double number = value.cast<double>();
    if (!(number > 0)) value_error(std::string(argument) + " must be above 0 (None: the rules' own)");
    return number;
}

py::dict areas_of(const Context& ctx, const pdef_functional_areas* made, std::size_t count) {
    py::list code, name;
    py::array_t<std::int64_t> units(static_cast<py::ssize_t>(count));
    py::array_t<bool> valid(static_cast<py::ssize_t>(count));
    NumberColumns numbers({"residents_in_work", "jobs", "living_and_working_in_it", "supply_containment",
                           "demand_containment", "validity"},
                          {static_cast<py::ssize_t>(count)});
    for (std::size_t i = 0; i < count; ++i) {
        pdef_functional_area a;
        ctx.check(pdef_functional_areas_get_area(ctx.get(), made, i, &a));
        code.append(a.code);
        name.append(a.name);
        units.mutable_data()[i] = static_cast<std::int64_t>(a.units);
        valid.mutable_data()[i] = a.valid;
        numbers.set(i, {a.residents, a.jobs, a.internal, a.supply_containment, a.demand_containment, a.validity});
    }
    py::dict out;
    out["area"] = code;
    out["name"] = name;
    out["units"] = units;
    numbers.add_to(out);
    out["valid"] = valid;
    return out;
}

py::dict flows(const py::object& units_argument, const py::object& flows_csv, const std::string& residence,
               const std::string& workplace, const std::string& count, const std::string& rules,
               const py::object& min_size, const py::object& target_size, const py::object& min_containment,
               const py::object& target_containment, const std::string& regrouping, const std::string& adjacency,
               double snap, double min_shared, const py::object& agree_with,
               const py::object& output, unsigned threads, const std::string& study_crs) {
    const Settings settings = settings_of(threads, study_crs);
    const std::string table = path_text(flows_csv, "flows_csv");
    pdef_flows_options options;
    pdef_flows_options_init(&options);
    options.residence_column = c_text(residence, "residence").c_str();
    options.workplace_column = c_text(workplace, "workplace").c_str();
    options.count_column = c_text(count, "count").c_str();
    options.rules = c_text(rules, "rules").c_str();
    options.min_size = rule_value(min_size, "min_size");
    options.target_size = rule_value(target_size, "target_size");
    options.min_containment = rule_value(min_containment, "min_containment");
    options.target_containment = rule_value(target_containment, "target_containment");
    options.regrouping = c_text(regrouping, "regrouping").c_str();
    options.snap = snap;
    options.min_shared_length = min_shared;
    const std::string other_partition = agree_with.is_none() ? std::string() : path_text(agree_with, "agree_with");
    options.agree_with = other_partition.c_str();
    const Layer units = as_layer(units_argument, false, settings);
    const std::vector<std::string> outputs = output_paths(output);
    Context ctx(settings);
    options.adjacency = choice(ctx, pdef_adjacency_from_string, adjacency);
    pdef_functional_areas* made = nullptr;
    ctx.run([&] { return pdef_flows(ctx.get(), units.handle.get(), table.c_str(), &options, &made); });
    const Owned<pdef_functional_areas> owned(made, pdef_functional_areas_destroy);
    for (const std::string& path : outputs) ctx.run([&] { return pdef_functional_areas_write(ctx.get(), made, path.c_str()); });

    pdef_functional_areas_summary s;
    ctx.check(pdef_functional_areas_get_summary(ctx.get(), made, &s));
    py::dict summary;
    summary["rules"] = rules;
    summary["units"] = s.units;
    summary["areas"] = s.areas;
    summary["invalid"] = s.invalid;
    summary["reserved"] = s.reserved;
    summary["without_flows"] = s.without_flows;
    summary["island_links"] = s.island_links;
    summary["dissolved"] = s.dissolved;
    summary["flows"] = s.flows;
    summary["commuters"] = s.commuters;
    double working_outside = 0, coming_in = 0;
    ctx.check(pdef_functional_areas_get_outside(ctx.get(), made, &working_outside, &coming_in));
    summary["working_outside"] = working_outside;
    summary["coming_in"] = coming_in;
    pdef_partition_agreement agreement;
    bool measured = false;
    ctx.check(pdef_functional_areas_get_agreement(ctx.get(), made, &agreement, &measured));
    if (measured) {
        py::dict a;
        a["units"] = agreement.units;
        a["areas"] = agreement.areas;
        a["other_areas"] = agreement.other_areas;
        a["adjusted_rand"] = agreement.adjusted_rand;
        a["matched_areas"] = agreement.matched_areas;
        a["identical_areas"] = agreement.identical_areas;
        a["units_matched"] = agreement.units_matched;
        summary["agreement"] = a;
    } else {
        summary["agreement"] = py::none();
    }

    const py::list unit_codes = layer_codes(units);
    py::dict areas = areas_of(ctx, made, s.areas);
    const py::list area_codes = areas["area"];
    py::array_t<std::int32_t> membership(static_cast<py::ssize_t>(s.units));
    ctx.check(pdef_functional_areas_copy_membership(ctx.get(), made, membership.mutable_data(), s.units));
    py::list unit_area;
    for (std::size_t u = 0; u < s.units; ++u) unit_area.append(area_codes[static_cast<std::size_t>(membership.data()[u])]);
    py::dict unit_columns;
    unit_columns["code"] = unit_codes;
    unit_columns["region"] = membership;
    unit_columns["area"] = unit_area;
    py::list reserved_unit, reserved_area;
    for (std::size_t i = 0; i < s.reserved; ++i) {
        std::size_t unit = 0;
        std::int32_t area = -1;
        ctx.check(pdef_functional_areas_get_reserved(ctx.get(), made, i, &unit, &area));
        reserved_unit.append(unit_codes[unit]);
        reserved_area.append(area < 0 ? py::str("") : py::str(area_codes[static_cast<std::size_t>(area)]));
    }
    py::dict reserve;
    reserve["unit"] = reserved_unit;
    reserve["area"] = reserved_area;
    py::list links;
    for (std::size_t i = 0; i < s.island_links; ++i) {
        std::size_t a = 0, b = 0;
        ctx.check(pdef_functional_areas_get_island_link(ctx.get(), made, i, &a, &b));
        links.append(py::make_tuple(unit_codes[a], unit_codes[b]));
    }
    const char* crs = nullptr;
    ctx.check(pdef_layer_get_crs(ctx.get(), units.handle.get(), &crs));

    py::dict out;
    out["_writer"] = Writer::of(owned, pdef_functional_areas_write, settings);
    out["summary"] = summary;
    out["areas"] = areas;
    out["units"] = unit_columns;
    out["reserve"] = reserve;
    out["island_links"] = links;
    out["problems"] = job_problems(ctx, {&units}, py::none());
    out["crs"] = crs;
    return out;
}

}  // namespace

void bind_flows(py::module_& m) {
    m.def("flows", &flows, py::arg("units"), py::arg("flows_csv"), py::arg("residence") = "", py::arg("workplace") = "",
          py::arg("count") = "", py::arg("rules") = "ttwa2011", py::arg("min_size") = py::none(),
          py::arg("target_size") = py::none(), py::arg("min_containment") = py::none(),
          py::arg("target_containment") = py::none(), py::arg("regrouping") = "", py::arg("adjacency") = "queen", py::arg("snap") = 5.0,
          py::arg("min_shared") = 10.0, py::arg("agree_with") = py::none(), py::arg("output") = py::none(),
          py::arg("threads") = 0u,
          py::arg("study_crs") = "EPSG:27700",
          "`placedef flows UNITS --flows CSV`: functional areas (travel-to-work areas) from commuting\n"
          "flows, contiguous by construction. The CSV has a row per pair of units: residence, workplace\n"
          "and count (its first three columns unless residence=, workplace=, count= name them); rules is\n"
          "\"ttwa2011\" or \"istat\", and min_size, target_size, min_containment, target_containment\n"
          "(None: the rules' own) change them, as regrouping (\"whole_area\" or \"one_unit\"; \"\": the rules') does.\n"
          "agree_with (a CSV of unit code and area: another tool's areas) puts the agreement with it in\n"
          "summary['agreement'] (adjusted_rand, matched_areas, identical_areas, units_matched; None without).\n"
          "Returns 'summary', 'areas' (area, name, units,\n"
          "residents_in_work, jobs, living_and_working_in_it, supply_containment, demand_containment,\n"
          "validity, valid), 'units' (code, region, area), 'reserve' (unit, area), 'island_links' (pairs of\n"
          "unit codes) and 'problems'. `output` writes what `-o` writes (a .csv of the areas with its\n"
          "_membership.csv, a map, or a GeoPackage).");
}

}  // namespace placedef::python
