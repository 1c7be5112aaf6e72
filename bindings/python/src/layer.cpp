// placedef.Layer and placedef.info().
#include "types.hpp"

#include <cmath>
#include <limits>

namespace placedef::python {

namespace {

std::string text_of(const Context& ctx, const Layer& layer,
                    pdef_status (*getter)(pdef_context*, const pdef_layer*, const char**)) {
    const char* text = nullptr;
    ctx.check(getter(ctx.get(), layer.handle.get(), &text));
    return text;
}

bool is_points(const Context& ctx, const Layer& layer) {
    pdef_layer_kind kind = PDEF_LAYER_POLYGON;
    ctx.check(pdef_layer_get_kind(ctx.get(), layer.handle.get(), &kind));
    return kind == PDEF_LAYER_POINT;
}

py::list wkb_of(const Layer& layer) {
    Context ctx;
    py::list out;
    const std::size_t count = layer_count(ctx, layer);
    for (std::size_t i = 0; i < count; ++i) out.append(wkb_at(ctx, pdef_layer_get_wkb, layer.handle.get(), i));
    return out;
}

py::array_t<double> areas_of(const Layer& layer) {
    Context ctx;
    const std::size_t count = layer_count(ctx, layer);
    py::array_t<double> areas(static_cast<py::ssize_t>(count));
    double* out = areas.mutable_data();
    for (std::size_t i = 0; i < count; ++i) ctx.check(pdef_layer_get_area(ctx.get(), layer.handle.get(), i, &out[i]));
    return areas;
}

/// n x 2 coordinates of a point layer; NaN for points without location.
py::array_t<double> points_of(const Layer& layer) {
    Context ctx;
    const std::size_t count = layer_count(ctx, layer);
    py::array_t<double> points({static_cast<py::ssize_t>(count), py::ssize_t{2}});
    auto out = points.mutable_unchecked<2>();
    for (std::size_t i = 0; i < count; ++i) {
        double x = 0, y = 0;
        bool located = false;
        ctx.check(pdef_layer_get_point(ctx.get(), layer.handle.get(), i, &x, &y, &located));
        const double nan = std::numeric_limits<double>::quiet_NaN();
        out(static_cast<py::ssize_t>(i), 0) = located ? x : nan;
        out(static_cast<py::ssize_t>(i), 1) = located ? y : nan;
    }
    return points;
}

py::list attribute_names_of(const Layer& layer) {
    Context ctx;
    std::size_t columns = 0;
    ctx.check(pdef_layer_get_attribute_count(ctx.get(), layer.handle.get(), &columns));
    py::list names;
    for (std::size_t c = 0; c < columns; ++c) {
        const char* name = nullptr;
        ctx.check(pdef_layer_get_attribute_name(ctx.get(), layer.handle.get(), c, &name));
        names.append(name);
    }
    return names;
}

/// Columns code, every attribute and wkb: what a GeoDataFrame is made from.
py::dict to_dict(const Layer& layer) {
    Context ctx;
    py::dict out;
    out["code"] = layer_codes(layer);
    const py::list names = attribute_names_of(layer);
    const std::size_t count = layer_count(ctx, layer);
    for (std::size_t c = 0; c < names.size(); ++c) {
        py::list values;
        for (std::size_t i = 0; i < count; ++i) {
            const char* value = nullptr;
            ctx.check(pdef_layer_get_attribute(ctx.get(), layer.handle.get(), i, c, &value));
            values.append(value);
        }
        out[names[c]] = values;
    }
    out["wkb"] = wkb_of(layer);
    return out;
}

py::object to_geodataframe(const Layer& layer) {
    py::module_ geopandas = py::module_::import("geopandas");
    py::dict columns = to_dict(layer);
    py::object geometry = geopandas.attr("GeoSeries").attr("from_wkb")(columns["wkb"]);
    PyDict_DelItemString(columns.ptr(), "wkb");
    Context ctx;
    return geopandas.attr("GeoDataFrame")(columns, py::arg("geometry") = geometry,
                                          py::arg("crs") = text_of(ctx, layer, pdef_layer_get_crs));
}

/// "EPSG:27700" when the CRS has an EPSG code (as opened layers are named), else its WKT.
std::string crs_text(const py::object& crs, const std::string& frame) {
    if (crs.is_none())
        value_error("the GeoDataFrame '" + frame + "' has no CRS; set the one its coordinates are in " +
                    "(frame.set_crs(...)) first, as a layer without a CRS is refused");
    const py::object epsg = crs.attr("to_epsg")();
    if (!epsg.is_none()) return "EPSG:" + std::to_string(epsg.cast<int>());
    return crs.attr("to_wkt")().cast<std::string>();
}

/// The frame's columns other than its geometry, and their values as text ("" for a missing one).
std::pair<std::vector<std::string>, std::vector<std::vector<std::string>>> text_columns(const py::object& frame,
                                                                                        const std::string& geometry) {
    std::vector<std::string> names;
    std::vector<std::vector<std::string>> values;
    for (const py::handle column : frame.attr("columns").attr("tolist")().cast<py::list>()) {
        const std::string column_name = py::str(column);
        if (column_name == geometry) continue;
        py::object cells = frame.attr("__getitem__")(column);
        cells = cells.attr("where")(cells.attr("notna")(), "").attr("astype")("str");
        names.push_back(column_name);
        values.push_back(cells.attr("tolist")().cast<std::vector<std::string>>());
    }
    return {names, values};
}

Layer from_geodataframe(const py::object& frame, const std::optional<std::string>& code,
                        const std::optional<std::string>& name, const std::string& study_crs,
                        const std::string& invalid, unsigned threads) {
    const std::string layer_name = name.value_or("frame");
    // The frame's CRS is where the coordinates come from; the engine reprojects them.
    const std::string crs = crs_text(frame.attr("crs"), layer_name);
    const py::object geometry = frame.attr("geometry");
    const std::string geometry_name = geometry.attr("name").cast<std::string>();
    const std::vector<std::string> types = geometry.attr("geom_type").attr("dropna")().attr("unique")().attr("tolist")().cast<std::vector<std::string>>();
    bool points = false;
    for (const std::string& type : types) {
        const bool point = type == "Point";
        if (!point && type != "Polygon" && type != "MultiPolygon")
            value_error("the GeoDataFrame holds " + type + " geometries; a layer holds polygons or points");
        if (point != (types.front() == "Point"))
            value_error("the GeoDataFrame mixes points and polygons; a layer holds one kind");
        points = point;
    }
    const auto [columns, values] = text_columns(frame, geometry_name);
    // The code and name columns, as the engine chooses them for a file (guessed when not given).
    const std::size_t rows = py::len(frame);
    std::vector<const char*> cells;
    cells.reserve(rows * columns.size());
    for (std::size_t r = 0; r < rows; ++r)
        for (const std::vector<std::string>& column : values) cells.push_back(c_text(column[r], "a value").c_str());
    const std::vector<const char*> column_names = c_strings(columns, "a column name");
    std::size_t code_index = 0, label_index = 0;
    {
        const Context ctx;
        ctx.check(pdef_choose_code_column(ctx.get(), layer_name.c_str(), columns.size(), column_names.data(), rows,
                                          cells.data(), code ? c_text(*code, "code").c_str() : nullptr, nullptr,
                                          &code_index, &label_index));
    }
    // None stays None: a feature without geometry (reported, or a point kept without location).
    const py::list wkb = geometry.attr("to_wkb")().attr("tolist")();
    py::dict attributes;
    for (std::size_t c = 0; c < columns.size(); ++c) attributes[py::str(columns[c])] = py::cast(values[c]);
    Layer layer = Layer::from_wkb(values[code_index], wkb, crs, points, layer_name, attributes,
                                  settings_of(threads, study_crs, "", invalid));
    if (label_index < columns.size()) {
        const Context ctx;
        ctx.check(pdef_layer_set_label_column(ctx.get(), layer.handle.get(), column_names[label_index]));
    }
    return layer;
}

py::dict info(const py::object& layer_or_address, bool points, const std::string& study_crs,
              const std::string& assume_crs, const std::string& invalid, unsigned threads) {
    const Layer layer = as_layer(layer_or_address, points, settings_of(threads, study_crs, assume_crs, invalid));
    Context ctx;
    py::dict out;
    const std::size_t count = layer_count(ctx, layer);
    std::size_t read = 0, problems = 0;
    ctx.check(pdef_layer_get_features_read(ctx.get(), layer.handle.get(), &read));
    ctx.check(pdef_layer_get_problem_count(ctx.get(), layer.handle.get(), &problems));
    const char* code_column = nullptr;
    bool guessed = false;
    ctx.check(pdef_layer_get_code_column(ctx.get(), layer.handle.get(), &code_column, &guessed));
    out["name"] = text_of(ctx, layer, pdef_layer_get_name);
    out["source"] = text_of(ctx, layer, pdef_layer_get_source);
    out["kind"] = is_points(ctx, layer) ? "point" : "polygon";
    out["features"] = count;
    out["features_read"] = read;
    out["code_column"] = code_column;
    out["code_column_guessed"] = guessed;
    out["crs"] = text_of(ctx, layer, pdef_layer_get_crs);
    out["source_crs"] = text_of(ctx, layer, pdef_layer_get_source_crs);
    pdef_box box{};
    const pdef_status extent = pdef_layer_get_extent(ctx.get(), layer.handle.get(), &box);
    out["extent"] = extent == PDEF_OK ? py::object(py::make_tuple(box.minx, box.miny, box.maxx, box.maxy)) : py::none();
    if (!is_points(ctx, layer)) {
        double area = 0;
        std::size_t vertices = 0;
        for (std::size_t i = 0; i < count; ++i) {
            double one = 0;
            std::size_t n = 0;
            ctx.check(pdef_layer_get_area(ctx.get(), layer.handle.get(), i, &one));
            ctx.check(pdef_layer_get_vertex_count(ctx.get(), layer.handle.get(), i, &n));
            area += one;
            vertices += n;
        }
        out["area_km2"] = area / 1e6;
        out["vertices"] = vertices;
    }
    out["problems"] = problems;
    return out;
}

}  // namespace

std::size_t layer_count(const Context& ctx, const Layer& layer) {
    std::size_t count = 0;
    ctx.check(pdef_layer_get_count(ctx.get(), layer.handle.get(), &count));
    return count;
}

py::list layer_codes(const Layer& layer) {
    Context ctx;
    py::list codes;
    const std::size_t count = layer_count(ctx, layer);
    for (std::size_t i = 0; i < count; ++i) {
        const char* code = nullptr;
        ctx.check(pdef_layer_get_code(ctx.get(), layer.handle.get(), i, &code));
        codes.append(code);
    }
    return codes;
}

/// The names of a layer's features, in order ("" where a unit has none).
py::list layer_names(const Layer& layer) {
    Context ctx;
    py::list names;
    const std::size_t count = layer_count(ctx, layer);
    for (std::size_t i = 0; i < count; ++i) {
        const char* name = nullptr;
        ctx.check(pdef_layer_get_unit_name(ctx.get(), layer.handle.get(), i, &name));
        names.append(name);
    }
    return names;
}

Layer Layer::adopt(pdef_layer* handle, py::list problems) {
    return Layer{Owned<pdef_layer>(handle, pdef_layer_destroy), std::move(problems)};
}

Layer Layer::open(const std::string& address, bool points, const Settings& settings) {
    Context ctx(settings);
    pdef_layer* layer = nullptr;
    ctx.run([&] { return pdef_layer_open(ctx.get(), address.c_str(), points ? PDEF_LAYER_POINT : PDEF_LAYER_POLYGON, &layer); });
    return adopt(layer, ctx.problems());
}

Layer Layer::from_wkb(const std::vector<std::string>& codes, const py::sequence& wkb, const std::string& crs,
                      bool points, const std::string& name, const py::dict& attributes, const Settings& settings) {
    if (wkb.size() != codes.size())
        value_error(std::to_string(codes.size()) + " codes but " + std::to_string(wkb.size()) + " geometries");
    std::vector<std::string> blobs(codes.size());
    std::vector<const unsigned char*> pointers(codes.size(), nullptr);
    std::vector<std::size_t> sizes(codes.size(), 0);
    for (std::size_t i = 0; i < codes.size(); ++i) {
        const py::object item = wkb[i];
        if (item.is_none()) continue;
        if (!py::isinstance<py::bytes>(item))
            value_error("geometry " + std::to_string(i) + " (code " + codes[i] + ") is not WKB bytes or None");
        blobs[i] = item.cast<std::string>();
        pointers[i] = reinterpret_cast<const unsigned char*>(blobs[i].data());
        sizes[i] = blobs[i].size();
    }
    // Reprojected from `crs` to the study CRS of `settings`, which is checked over it.
    Context ctx(settings);
    pdef_layer* made = nullptr;
    ctx.check(pdef_layer_create_from_wkb(ctx.get(), name.c_str(), crs.c_str(),
                                         points ? PDEF_LAYER_POINT : PDEF_LAYER_POLYGON, codes.size(),
                                         c_strings(codes).data(), pointers.data(), sizes.data(), &made));
    Layer layer = adopt(made);
    const std::size_t count = layer_count(ctx, layer);
    if (!attributes.empty() && count != codes.size())
        value_error("attributes need one value per feature, but " + std::to_string(codes.size() - count) +
                    " features were left out (see the layer's problems)");
    for (const auto& [column, values] : attributes) {
        const std::vector<std::string> cells = values.cast<std::vector<std::string>>();
        if (cells.size() != count)
            value_error("attribute '" + py::str(column).cast<std::string>() + "' has " + std::to_string(cells.size()) +
                        " values for " + std::to_string(count) + " features");
        ctx.check(pdef_layer_add_attribute(ctx.get(), made, py::str(column).cast<std::string>().c_str(),
                                           c_strings(cells).data()));
    }
    layer.problems = ctx.problems();
    return layer;
}

Layer as_layer(const py::handle& object, bool points, const Settings& settings) {
    if (py::isinstance<Layer>(object)) return object.cast<Layer>();
    if (is_path(object)) return Layer::open(path_text(object, "the layer address"), points, settings);
    for (const py::handle type : py::type::handle_of(object).attr("__mro__"))
        if (py::str(type.attr("__name__")).cast<std::string>() == "GeoDataFrame")
            return from_geodataframe(py::reinterpret_borrow<py::object>(object), std::nullopt, std::nullopt,
                                     settings.study_crs, settings.invalid, settings.threads);
    type_error("a layer must be a placedef.Layer, an address 'path[:layer][@code_column]' (str or os.PathLike) or a "
               "GeoDataFrame, not " +
               py::str(py::type::handle_of(object).attr("__name__")).cast<std::string>());
}

void bind_layer(py::module_& m) {
    py::class_<Layer>(m, "Layer",
                      "Polygons or points with unique codes, in one projected CRS. Open one from any GDAL source\n"
                      "(Layer.open), or make one from WKB (Layer.from_wkb) or a GeoDataFrame (Layer.from_geodataframe).\n"
                      "\n"
                      ">>> import placedef\n"
                      ">>> wards = placedef.Layer.open(\"shapefiles/ward_2025.gpkg@WD25CD,WD25NM\")\n"
                      ">>> len(wards), wards.crs, wards.names[0]\n"
                      "(45, 'EPSG:27700', 'Ash South')\n")
        .def_static(
            "open",
            [](const py::object& address, bool points, const std::string& study_crs, const std::string& assume_crs,
               const std::string& invalid, unsigned threads) {
                return Layer::open(path_text(address, "address"), points,
                                   settings_of(threads, study_crs, assume_crs, invalid));
            },
            py::arg("address"), py::arg("points") = false, py::arg("study_crs") = "EPSG:27700",
            py::arg("assume_crs") = "", py::arg("invalid") = "repair", py::arg("threads") = 0u,
            "Opens `path[:layer][@code_column]`, reprojected to study_crs; invalid polygons are\n"
            "repaired, skipped or fail the load (invalid='repair'|'skip'|'fail').")
        .def_static(
            "from_wkb",
            [](const std::vector<std::string>& codes, const py::sequence& wkb, const std::string& crs, bool points,
               const std::string& name, const py::dict& attributes, const std::string& study_crs,
               const std::string& invalid, unsigned threads) {
                return Layer::from_wkb(codes, wkb, crs, points, name, attributes,
                                       settings_of(threads, study_crs, "", invalid));
            },
            py::arg("codes"), py::arg("wkb"), py::arg("crs"), py::arg("points") = false, py::arg("name") = "layer",
            py::arg("attributes") = py::dict(), py::arg("study_crs") = "EPSG:27700", py::arg("invalid") = "repair",
            py::arg("threads") = 0u,
            "A layer from codes and WKB geometries (bytes, or None for a feature without geometry) whose\n"
            "coordinates are in `crs` ('EPSG:4326' as longitude, latitude; WKT; a PROJ string), reprojected\n"
            "to study_crs, which must keep areas over them; attributes: {column: [text per feature]}.")
        .def_static("from_geodataframe", &from_geodataframe, py::arg("frame"), py::arg("code") = py::none(),
                    py::arg("name") = py::none(), py::arg("study_crs") = "EPSG:27700", py::arg("invalid") = "repair",
                    py::arg("threads") = 0u,
                    "A layer from a GeoDataFrame in any CRS, reprojected to study_crs (which must keep areas\n"
                    "over it): `code` names the code column (None: guessed as for a file: the one column ending\n"
                    "in CD with a unique value in each row), the names are guessed as for a file (LAD21CD ->\n"
                    "LAD21NM, else 'name'); every column other than the geometry becomes a text attribute.")
        .def_property_readonly("name", [](const Layer& l) { return text_of(Context(), l, pdef_layer_get_name); })
        .def_property_readonly("source", [](const Layer& l) { return text_of(Context(), l, pdef_layer_get_source); })
        .def_property_readonly("crs", [](const Layer& l) { return text_of(Context(), l, pdef_layer_get_crs); })
        .def_property_readonly("source_crs",
                               [](const Layer& l) { return text_of(Context(), l, pdef_layer_get_source_crs); })
        .def_property_readonly("code_column",
                               [](const Layer& l) {
                                   Context ctx;
                                   const char* column = nullptr;
                                   ctx.check(pdef_layer_get_code_column(ctx.get(), l.handle.get(), &column, nullptr));
                                   return std::string(column);
                               })
        .def_property_readonly("code_column_guessed",
                               [](const Layer& l) {
                                   Context ctx;
                                   const char* column = nullptr;
                                   bool guessed = false;
                                   ctx.check(pdef_layer_get_code_column(ctx.get(), l.handle.get(), &column, &guessed));
                                   return guessed;
                               })
        .def_property_readonly("kind", [](const Layer& l) { return is_points(Context(), l) ? "point" : "polygon"; })
        .def_property_readonly("features_read",
                               [](const Layer& l) {
                                   Context ctx;
                                   std::size_t read = 0;
                                   ctx.check(pdef_layer_get_features_read(ctx.get(), l.handle.get(), &read));
                                   return read;
                               })
        .def_readonly("problems", &Layer::problems, "problems reported while the layer was loaded (dicts)")
        .def_property_readonly("codes", &layer_codes)
        .def_property_readonly("names", &layer_names, "the units' names, from the label column ('' when none)")
        .def_property_readonly("label_column",
                               [](const Layer& l) {
                                   Context ctx;
                                   const char* column = nullptr;
                                   ctx.check(pdef_layer_get_label_column(ctx.get(), l.handle.get(), &column, nullptr));
                                   return std::string(column);
                               },
                               "the column the names come from ('' when none)")
        .def(
            "set_label_column",
            [](Layer& l, const std::string& column) {
                Context ctx;
                ctx.check(pdef_layer_set_label_column(ctx.get(), l.handle.get(), c_text(column, "column").c_str()));
            },
            py::arg("column"),
            "takes the units' names from an attribute column (e.g. one given to from_wkb); results made\n"
            "from the layer afterwards carry them")
        .def_property_readonly("attribute_names", &attribute_names_of)
        .def_property_readonly("areas", &areas_of, "area of each polygon (m2), as a NumPy array")
        .def_property_readonly("points", &points_of, "n x 2 coordinates of a point layer (NaN: no location)")
        .def_property_readonly("extent",
                               [](const Layer& l) {
                                   Context ctx;
                                   pdef_box box{};
                                   ctx.check(pdef_layer_get_extent(ctx.get(), l.handle.get(), &box));
                                   return py::make_tuple(box.minx, box.miny, box.maxx, box.maxy);
                               })
        .def("wkb", &wkb_of, "the geometry of each feature as WKB bytes (None: a point without location)")
        .def("to_dict", &to_dict, "columns code, each attribute and wkb")
        .def("to_geodataframe", &to_geodataframe, "the layer as a geopandas.GeoDataFrame")
        .def("find",
             [](const Layer& l, const std::string& code) -> py::object {
                 Context ctx;
                 std::size_t index = 0;
                 bool found = false;
                 ctx.check(pdef_layer_find(ctx.get(), l.handle.get(), code.c_str(), &index, &found));
                 return found ? py::object(py::int_(index)) : py::object(py::none());
             },
             py::arg("code"), "index of the feature with this code, or None")
        .def("__len__", [](const Layer& l) { return layer_count(Context(), l); })
        .def("__repr__", [](const Layer& l) {
            Context ctx;
            return "<placedef.Layer " + text_of(ctx, l, pdef_layer_get_name) + ": " +
                   std::to_string(layer_count(ctx, l)) + (is_points(ctx, l) ? " points" : " polygons") + " in " +
                   text_of(ctx, l, pdef_layer_get_crs) + ">";
        });

    m.def("info", &info, py::arg("layer"), py::arg("points") = false, py::arg("study_crs") = "EPSG:27700",
          py::arg("assume_crs") = "", py::arg("invalid") = "repair", py::arg("threads") = 0u,
          "What `placedef info` prints: kind, feature counts, code column, CRS, extent, area, vertices\n"
          "and problems of a layer (a Layer or an address).");
}

}  // namespace placedef::python
