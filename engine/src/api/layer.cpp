// Layers (opened from GDAL or made from WKB), joined columns and population.
#include "api/detail/handles.hpp"

#include "placedef/geometry.hpp"
#include "placedef/overlay.hpp"

#include <cmath>
#include <optional>
#include <string>

using namespace placedef;
using namespace placedef::detail::capi;

namespace {

LayerKind layer_kind(pdef_layer_kind kind) {
    check_option(kind == PDEF_LAYER_POLYGON || kind == PDEF_LAYER_POINT,
                 "the layer kind " + std::to_string(static_cast<int>(kind)) +
                     " is not PDEF_LAYER_POLYGON or PDEF_LAYER_POINT");
    return kind == PDEF_LAYER_POINT ? LayerKind::point : LayerKind::polygon;
}

const Feature& feature_of(const pdef_layer* handle, std::size_t index) {
    const Layer& layer = *use(handle, "layer").layer;
    check_index(index, layer.size(), "feature");
    return layer.features[index];
}

const Feature& polygon_feature(const pdef_layer* handle, std::size_t index, const char* what) {
    const Feature& feature = feature_of(handle, index);
    const Layer& layer = *use(handle, "layer").layer;
    if (layer.kind != LayerKind::polygon)
        throw Misuse(PDEF_ERROR_NOT_AVAILABLE, layer.label() + " is a point layer: it has no " + what);
    return feature;
}

std::vector<double> joined_column(ContextObject& ctx, const Layer& layer, const char* table_path, const char* key_column,
                                  const char* column, double missing_value) {
    require(table_path, "table_path");
    require(column, "column");
    return join_table(table_path, key_column ? key_column : "", column, layer, ctx.settings(), ctx.problems, missing_value);
}

pdef_population* new_population(const LayerObject& units, std::vector<double> values) {
    auto data = std::make_shared<PopulationData>();
    data->units = units.layer;
    data->source = PopulationSource{units.layer.get(), std::move(values)};
    auto handle = std::make_unique<PopulationObject>();
    handle->data = std::move(data);
    return publish(std::move(handle));
}

void require_polygon_units(const Layer& layer) {
    if (layer.kind != LayerKind::polygon)
        throw invalid_input("population needs polygon units; " + layer.label() + " holds points");
}

}  // namespace

namespace placedef::detail::capi {

std::vector<std::string> sources_of(const std::vector<const Layer*>& layers) {
    std::vector<std::string> sources;
    for (const Layer* layer : layers)
        if (layer) sources.push_back(layer->source + (layer->name.empty() ? "" : ":" + layer->name));
    return sources;
}

void check_write(const std::vector<std::string>& inputs, const char* path, const std::vector<std::string>& layers) {
    require(path, "path");
    check_outputs(inputs, {{path, is_csv_path(path) ? std::vector<std::string>{} : layers}});
}

PopulationInput population_input(const pdef_population* population) {
    PopulationInput input;
    if (!population) return input;
    const PopulationData& data = *use(population, "population").data;
    input.units = LayerInput(data.units);
    input.values = data.source.population;
    return input;
}

pdef_layer* new_layer_handle(Layer layer, std::size_t problems) {
    auto handle = std::make_unique<LayerObject>();
    handle->layer = std::make_shared<Layer>(std::move(layer));
    handle->problems = problems;
    return publish(std::move(handle));
}

}  // namespace placedef::detail::capi

extern "C" {

pdef_status pdef_dataset_list_layers(pdef_context* ctx, const char* path, char*** names, size_t* count) {
    return guarded(ctx, __func__, [&] {
        require(path, "path");
        require(names, "names");
        require(count, "count");
        const std::vector<std::string> found = list_layers(path);
        *names = allocated_copy(found);
        *count = found.size();
    });
}

pdef_status pdef_layer_open(pdef_context* ctx, const char* address, pdef_layer_kind kind, pdef_layer** out) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        require(address, "address");
        require(out, "out");
        const std::size_t before = context.problems.count();
        // A layer is opened as every front end opens it; an empty one can still be described.
        Layer layer = open_layer(address, context.settings(), context.problems, layer_kind(kind), EmptyLayer::allow);
        const std::size_t problems = context.problems.count() - before;
        *out = new_layer_handle(std::move(layer), problems);
    });
}

pdef_status pdef_layer_create_from_wkb(pdef_context* ctx, const char* name, const char* crs, pdef_layer_kind kind,
                                       size_t count, const char* const* codes, const unsigned char* const* wkb,
                                       const size_t* wkb_sizes, pdef_layer** out) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        require(name, "name");
        require(crs, "crs");
        require(codes, "codes");
        require(wkb, "wkb");
        require(wkb_sizes, "wkb_sizes");
        require(out, "out");
        const LayerKind layer_kind_wanted = layer_kind(kind);
        const std::vector<std::string> code_texts = texts(codes, count, "codes");
        std::vector<WkbFeature> features(count);
        for (std::size_t i = 0; i < count; ++i) features[i] = WkbFeature{code_texts[i], wkb[i], wkb_sizes[i], {}};
        const std::size_t before = context.problems.count();
        // Read and checked as an opened layer is: the same problems, policy and reprojection.
        Layer layer = open_wkb_layer(name, crs, features, context.settings(), context.problems, layer_kind_wanted);
        *out = new_layer_handle(std::move(layer), context.problems.count() - before);
    });
}

pdef_status pdef_layer_add_attribute(pdef_context* ctx, pdef_layer* layer, const char* column,
                                     const char* const* values) {
    return guarded(ctx, __func__, [&] {
        Layer& target = *use(layer, "layer").layer;
        require(column, "column");
        require(values, "values");
        for (const std::string& name : target.attribute_names)
            if (name == column)
                throw invalid_input("layer " + target.label() + " already has a column '" + name + "'");
        const std::vector<std::string> cells = texts(values, target.size(), "values");
        target.attribute_names.emplace_back(column);
        for (std::size_t i = 0; i < target.size(); ++i) target.features[i].attributes.push_back(cells[i]);
    });
}

pdef_status pdef_layer_set_label_column(pdef_context* ctx, pdef_layer* layer, const char* column) {
    return guarded(ctx, __func__, [&] {
        Layer& target = *use(layer, "layer").layer;
        require(column, "column");
        set_label_column(target, column);
    });
}

pdef_status pdef_choose_code_column(pdef_context* ctx, const char* name, size_t columns,
                                    const char* const* column_names, size_t rows, const char* const* values,
                                    const char* code, const char* label, size_t* code_index, size_t* label_index) {
    return guarded(ctx, __func__, [&] {
        require(name, "name");
        require(code_index, "code_index");
        require(label_index, "label_index");
        const std::vector<std::string> names = texts(column_names, columns, "column_names");
        if (rows && columns) require(values, "values");
        std::vector<std::vector<std::string>> table(rows);
        for (std::size_t r = 0; r < rows; ++r) table[r] = texts(values + r * columns, columns, "values");
        const LayerAddress address{name, "", code ? code : "", label ? label : ""};
        const ChosenColumns chosen = choose_columns(address, names, table);
        *code_index = chosen.code;
        *label_index = chosen.label.value_or(columns);
    });
}

pdef_status pdef_layer_open_places(pdef_context* ctx, const char* path, const char* crs, pdef_layer** out) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        require(path, "path");
        require(crs, "crs");
        require(out, "out");
        *out = new_layer_handle(read_places(path, crs, context.study_crs));
    });
}

pdef_status pdef_layer_create_within(pdef_context* ctx, const pdef_layer* layer, const pdef_layer* area,
                                     const char* const* codes, size_t count, pdef_layer** out) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        const Layer& from = *use(layer, "layer").layer;
        const Layer& within = *use(area, "area").layer;
        const std::vector<std::string> chosen = texts(codes, count, "codes");
        require(out, "out");
        *out = new_layer_handle(units_within(from, within, chosen, context.threads));
    });
}

void pdef_layer_destroy(pdef_layer* layer) { destroy(layer); }

pdef_status pdef_layer_get_count(pdef_context* ctx, const pdef_layer* layer, size_t* count) {
    return guarded(ctx, __func__, [&] {
        const Layer& l = *use(layer, "layer").layer;
        require(count, "count");
        *count = l.size();
    });
}

pdef_status pdef_layer_get_features_read(pdef_context* ctx, const pdef_layer* layer, size_t* count) {
    return guarded(ctx, __func__, [&] {
        const Layer& l = *use(layer, "layer").layer;
        require(count, "count");
        *count = l.features_read;
    });
}

pdef_status pdef_layer_get_problem_count(pdef_context* ctx, const pdef_layer* layer, size_t* count) {
    return guarded(ctx, __func__, [&] {
        const LayerObject& l = use(layer, "layer");
        require(count, "count");
        *count = l.problems;
    });
}

pdef_status pdef_layer_get_kind(pdef_context* ctx, const pdef_layer* layer, pdef_layer_kind* kind) {
    return guarded(ctx, __func__, [&] {
        const Layer& l = *use(layer, "layer").layer;
        require(kind, "kind");
        *kind = l.kind == LayerKind::point ? PDEF_LAYER_POINT : PDEF_LAYER_POLYGON;
    });
}

pdef_status pdef_layer_get_name(pdef_context* ctx, const pdef_layer* layer, const char** name) {
    return guarded(ctx, __func__, [&] {
        const Layer& l = *use(layer, "layer").layer;
        require(name, "name");
        *name = l.name.c_str();
    });
}

pdef_status pdef_layer_get_source(pdef_context* ctx, const pdef_layer* layer, const char** source) {
    return guarded(ctx, __func__, [&] {
        const Layer& l = *use(layer, "layer").layer;
        require(source, "source");
        *source = l.source.c_str();
    });
}

pdef_status pdef_layer_get_crs(pdef_context* ctx, const pdef_layer* layer, const char** crs) {
    return guarded(ctx, __func__, [&] {
        const Layer& l = *use(layer, "layer").layer;
        require(crs, "crs");
        *crs = l.crs.c_str();
    });
}

pdef_status pdef_layer_get_source_crs(pdef_context* ctx, const pdef_layer* layer, const char** crs) {
    return guarded(ctx, __func__, [&] {
        const Layer& l = *use(layer, "layer").layer;
        require(crs, "crs");
        *crs = l.source_crs.c_str();
    });
}

pdef_status pdef_layer_get_code_column(pdef_context* ctx, const pdef_layer* layer, const char** column,
                                       bool* guessed) {
    return guarded(ctx, __func__, [&] {
        const Layer& l = *use(layer, "layer").layer;
        require(column, "column");
        *column = l.code_column.c_str();
        if (guessed) *guessed = l.code_column_guessed;
    });
}

pdef_status pdef_layer_get_extent(pdef_context* ctx, const pdef_layer* layer, pdef_box* extent) {
    return guarded(ctx, __func__, [&] {
        const Layer& l = *use(layer, "layer").layer;
        require(extent, "extent");
        const Box box = l.extent();
        if (box.empty()) throw Misuse(PDEF_ERROR_NOT_AVAILABLE, l.label() + " has no located feature: no extent");
        *extent = pdef_box{box.minx, box.miny, box.maxx, box.maxy};
    });
}

pdef_status pdef_layer_get_code(pdef_context* ctx, const pdef_layer* layer, size_t index, const char** code) {
    return guarded(ctx, __func__, [&] {
        const Feature& feature = feature_of(layer, index);
        require(code, "code");
        *code = feature.code.c_str();
    });
}

pdef_status pdef_layer_get_unit_name(pdef_context* ctx, const pdef_layer* layer, size_t index, const char** name) {
    return guarded(ctx, __func__, [&] {
        const Feature& feature = feature_of(layer, index);
        require(name, "name");
        *name = feature.name.c_str();
    });
}

pdef_status pdef_layer_get_label_column(pdef_context* ctx, const pdef_layer* layer, const char** column,
                                        bool* guessed) {
    return guarded(ctx, __func__, [&] {
        const Layer& l = *use(layer, "layer").layer;
        require(column, "column");
        *column = l.label_column.c_str();
        if (guessed) *guessed = l.label_column_guessed;
    });
}

pdef_status pdef_layer_find(pdef_context* ctx, const pdef_layer* layer, const char* code, size_t* index,
                            bool* found) {
    return guarded(ctx, __func__, [&] {
        const Layer& l = *use(layer, "layer").layer;
        require(code, "code");
        require(index, "index");
        require(found, "found");
        const std::optional<std::size_t> at = l.find(code);
        *found = at.has_value();
        *index = at.value_or(0);
    });
}

pdef_status pdef_layer_get_area(pdef_context* ctx, const pdef_layer* layer, size_t index, double* area_m2) {
    return guarded(ctx, __func__, [&] {
        const Feature& feature = polygon_feature(layer, index, "area");
        require(area_m2, "area_m2");
        *area_m2 = area(feature.shape);
    });
}

pdef_status pdef_layer_get_vertex_count(pdef_context* ctx, const pdef_layer* layer, size_t index, size_t* count) {
    return guarded(ctx, __func__, [&] {
        const Feature& feature = polygon_feature(layer, index, "vertices");
        require(count, "count");
        *count = vertex_count(feature.shape);
    });
}

pdef_status pdef_layer_get_point(pdef_context* ctx, const pdef_layer* layer, size_t index, double* x, double* y,
                                 bool* located) {
    return guarded(ctx, __func__, [&] {
        const Feature& feature = feature_of(layer, index);
        require(x, "x");
        require(y, "y");
        require(located, "located");
        const Layer& l = *use(layer, "layer").layer;
        if (l.kind != LayerKind::point)
            throw Misuse(PDEF_ERROR_NOT_AVAILABLE, l.label() + " is a polygon layer: it has no points");
        *located = feature.located;
        *x = feature.located ? feature.point.x : 0.0;
        *y = feature.located ? feature.point.y : 0.0;
    });
}

pdef_status pdef_layer_get_wkb(pdef_context* ctx, const pdef_layer* layer, size_t index, unsigned char** wkb,
                               size_t* size) {
    return guarded(ctx, __func__, [&] {
        const Feature& feature = feature_of(layer, index);
        require(wkb, "wkb");
        require(size, "size");
        if (use(layer, "layer").layer->kind == LayerKind::polygon) {
            give_wkb(to_wkb(feature.shape), wkb, size);
        } else if (feature.located) {
            give_wkb(to_wkb(feature.point), wkb, size);
        } else {
            *wkb = nullptr;
            *size = 0;
        }
    });
}

pdef_status pdef_layer_get_attribute_count(pdef_context* ctx, const pdef_layer* layer, size_t* count) {
    return guarded(ctx, __func__, [&] {
        const Layer& l = *use(layer, "layer").layer;
        require(count, "count");
        *count = l.attribute_names.size();
    });
}

pdef_status pdef_layer_get_attribute_name(pdef_context* ctx, const pdef_layer* layer, size_t column,
                                          const char** name) {
    return guarded(ctx, __func__, [&] {
        const Layer& l = *use(layer, "layer").layer;
        require(name, "name");
        check_index(column, l.attribute_names.size(), "column");
        *name = l.attribute_names[column].c_str();
    });
}

pdef_status pdef_layer_get_attribute(pdef_context* ctx, const pdef_layer* layer, size_t index, size_t column,
                                     const char** value) {
    return guarded(ctx, __func__, [&] {
        const Feature& feature = feature_of(layer, index);
        require(value, "value");
        check_index(column, use(layer, "layer").layer->attribute_names.size(), "column");
        *value = column < feature.attributes.size() ? feature.attributes[column].c_str() : "";
    });
}

pdef_status pdef_layer_join_numeric(pdef_context* ctx, const pdef_layer* layer, const char* table_path,
                                    const char* key_column, const char* column, double missing_value,
                                    double* values, size_t buffer_size) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        const Layer& l = *use(layer, "layer").layer;
        check_buffer(values, buffer_size, l.size());
        const std::vector<double> joined = joined_column(context, l, table_path, key_column, column, missing_value);
        std::copy(joined.begin(), joined.end(), values);
    });
}

pdef_status pdef_population_create(pdef_context* ctx, const pdef_layer* units, const char* table_path,
                                   const char* key_column, const char* column, pdef_population** out) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        const LayerObject& handle = use(units, "units");
        require(out, "out");
        require_polygon_units(*handle.layer);
        require(table_path, "table_path");
        require(column, "column");
        std::vector<double> values = population_from_table(table_path, key_column ? key_column : "", column,
                                                           *handle.layer, context.settings(), context.problems);
        check_population_units(*handle.layer, context.settings(), context.problems);
        *out = new_population(handle, std::move(values));
    });
}

pdef_status pdef_population_create_from_values(pdef_context* ctx, const pdef_layer* units, size_t count,
                                               const double* values, pdef_population** out) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        const LayerObject& handle = use(units, "units");
        require(values, "values");
        require(out, "out");
        require_polygon_units(*handle.layer);
        std::vector<double> copied(values, values + count);
        check_population(*handle.layer, copied, handle.layer->source);
        check_population_units(*handle.layer, context.settings(), context.problems);
        *out = new_population(handle, std::move(copied));
    });
}

void pdef_population_destroy(pdef_population* population) { destroy(population); }

pdef_status pdef_population_copy_values(pdef_context* ctx, const pdef_population* population, double* values,
                                        size_t buffer_size) {
    return guarded(ctx, __func__, [&] {
        const std::vector<double>& own = use(population, "population").data->source.population;
        check_buffer(values, buffer_size, own.size());
        std::copy(own.begin(), own.end(), values);
    });
}

pdef_status pdef_population_apportion(pdef_context* ctx, const pdef_population* population,
                                      const pdef_layer* target, double* values, size_t buffer_size) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        const PopulationData& data = *use(population, "population").data;
        const Layer& to = *use(target, "target").layer;
        check_buffer(values, buffer_size, to.size());
        const std::vector<double> people = population_on(to, data.source, context.threads);
        std::copy(people.begin(), people.end(), values);
    });
}

}  // extern "C"
