// placedef.deprivation(): the deprivation profile of a footprint layer.
#include "types.hpp"

namespace placedef::python {

namespace {

/// One value per unit, or none (an empty list) for None.
std::vector<double> measure_of(const py::object& values, const std::string& what, std::size_t units) {
    if (values.is_none()) return {};
    std::vector<double> numbers = numbers_of(values, what);
    if (numbers.size() != units)
        value_error(what + " has " + std::to_string(numbers.size()) + " values for " + std::to_string(units) + " units");
    return numbers;
}

const double* data_or_null(const std::vector<double>& values) { return values.empty() ? nullptr : values.data(); }

py::dict footprints_of(const Context& ctx, const pdef_deprivation* profile) {
    std::size_t count = 0;
    ctx.check(pdef_deprivation_get_footprint_count(ctx.get(), profile, &count));
    py::list code, name, worst, worst_name;
    NumberColumns numbers({"people", "people_deciles_1_2", "share_deciles_1_2", "mean_score", "most_deprived_rank",
                           "most_deprived_score", "most_deprived_decile"},
                          {static_cast<py::ssize_t>(count)});
    for (std::size_t i = 0; i < count; ++i) {
        pdef_footprint_deprivation f;
        ctx.check(pdef_deprivation_get_footprint(ctx.get(), profile, i, &f));
        code.append(f.code);
        name.append(f.name);
        worst.append(f.most_deprived.code[0] ? py::object(py::str(f.most_deprived.code)) : py::object(py::none()));
        worst_name.append(f.most_deprived.name);
        numbers.set(i, {f.people, f.people_deciles_1_2, f.share_deciles_1_2, f.mean_score, f.most_deprived.rank,
                        f.most_deprived.score, f.most_deprived.decile});
    }
    py::dict out;
    out["code"] = code;
    out["name"] = name;
    numbers.add_to(out);
    out["most_deprived"] = worst;
    out["most_deprived_name"] = worst_name;
    return out;
}

py::dict most_deprived_of(const Context& ctx, const pdef_deprivation* profile) {
    std::size_t count = 0;
    ctx.check(pdef_deprivation_get_most_deprived_count(ctx.get(), profile, &count));
    py::list code, name, footprint, footprint_name;
    py::array_t<std::int64_t> index(static_cast<py::ssize_t>(count));
    NumberColumns numbers({"rank", "score", "decile"}, {static_cast<py::ssize_t>(count)});
    for (std::size_t i = 0; i < count; ++i) {
        pdef_deprived_unit u;
        ctx.check(pdef_deprivation_get_most_deprived(ctx.get(), profile, i, &u));
        code.append(u.code);
        name.append(u.name);
        index.mutable_data()[i] = static_cast<std::int64_t>(u.index);
        footprint.append(u.footprint[0] ? py::object(py::str(u.footprint)) : py::object(py::none()));
        footprint_name.append(u.footprint_name);
        numbers.set(i, {u.rank, u.score, u.decile});
    }
    py::dict out;
    out["code"] = code;
    out["name"] = name;
    out["index"] = index;
    numbers.add_to(out);
    out["footprint"] = footprint;
    out["footprint_name"] = footprint_name;
    return out;
}

py::dict deprivation(const py::object& footprints, const py::object& units, const py::object& ranks,
                     const py::object& scores, const py::object& deciles, const py::object& population,
                     std::size_t most_deprived, unsigned threads, const std::string& study_crs) {
    const Settings settings = settings_of(threads, study_crs);
    const Layer footprint_layer = as_layer(footprints, false, settings);
    const Layer unit_layer = as_layer(units, false, settings);
    Context ctx(settings);
    const std::size_t count = layer_count(ctx, unit_layer);
    const std::vector<double> rank_values = measure_of(ranks, "ranks", count);
    const std::vector<double> score_values = measure_of(scores, "scores", count);
    const std::vector<double> decile_values = measure_of(deciles, "deciles", count);
    pdef_deprivation* made = nullptr;
    const pdef_population* people = population_handle(population);
    ctx.run([&] {
        return pdef_deprivation_create(ctx.get(), footprint_layer.handle.get(), unit_layer.handle.get(), people, count,
                                       data_or_null(rank_values), data_or_null(score_values),
                                       data_or_null(decile_values), most_deprived, &made);
    });
    const Owned<pdef_deprivation> profile(made, pdef_deprivation_destroy);
    py::dict out;
    out["footprints"] = footprints_of(ctx, profile.get());
    out["most_deprived"] = most_deprived_of(ctx, profile.get());
    out["by_people"] = people != nullptr;  // the pieces carry people exactly when a population is given
    out["problems"] = job_problems(ctx, {&footprint_layer, &unit_layer}, population);
    return out;
}

}  // namespace

void bind_deprivation(py::module_& m) {
    m.def("deprivation", &deprivation, py::arg("footprints"), py::arg("units"), py::arg("ranks") = py::none(),
          py::arg("scores") = py::none(), py::arg("deciles") = py::none(), py::arg("population") = py::none(),
          py::arg("most_deprived") = 21, py::arg("threads") = 0u, py::arg("study_crs") = "EPSG:27700",
          "Deprivation by place, the study's rule: the deprivation units (e.g. LSOAs) with one value per\n"
          "unit for each measure given (ranks: 1 = most deprived; scores: higher = more deprived; national\n"
          "deciles; NaN: none; ranks or scores needed) read against the footprints. Returns 'footprints'\n"
          "(columns code, name, people, people_deciles_1_2, share_deciles_1_2, mean_score (NaN without\n"
          "scores: ranks do not average), most_deprived (None: no unit lies mainly in it), most_deprived_name,\n"
          "most_deprived_rank, most_deprived_score, most_deprived_decile), 'most_deprived' (the N most\n"
          "deprived units, most deprived first: code, name, index, rank, score, decile, footprint,\n"
          "footprint_name), 'by_people' (False: weighed by area, people NaN) and 'problems'.");
}

}  // namespace placedef::python
