// Styles for the GeoPackages the engine writes (footprints, PCN footprints,
// the layers of a map), built from the same colours as the maps.
#include "placedef/error.hpp"
#include "placedef/render.hpp"

#include "render/detail/palette.hpp"
#include "render/detail/qml.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace placedef {
inline namespace render {

std::vector<LayerStyle> footprint_styles(const FootprintResult& result, const Layer& blocks) {
    const Layer footprints = footprint_polygons(result, blocks.crs);
    // Footprints drawn without town names are labelled with their codes.
    const bool named = std::any_of(footprints.features.begin(), footprints.features.end(),
                                   [](const Feature& f) { return !f.attributes.empty() && !f.attributes[0].empty(); });
    std::vector<LayerStyle> styles{
        {footprints.name, qgis_categorical_qml(footprints, categorical_colours(footprints), named ? "name" : footprints.code_column)}};
    if (result.ensemble.runs > 0) styles.push_back({"boundary_frequency", qgis_boundary_frequency_qml()});
    return styles;
}

std::vector<LayerStyle> overlay_styles(const IntersectionTable& table) {
    if (table.rows.empty()) return {};
    std::vector<double> shares;
    shares.reserve(table.rows.size());
    for (const IntersectionRow& row : table.rows) shares.push_back(row.share_of_a);
    return {{"pieces", qgis_choropleth_qml("share_of_a", choropleth_classes(shares))}};
}

std::vector<LayerStyle> pcn_styles(const PcnResult& result, const std::string& crs) {
    // The layer write_pcn_result writes, with its names and fields.
    const Layer footprints = footprint_layer(result, crs, "pcn_footprints");
    const std::vector<std::string> colours = categorical_colours(footprints);
    std::vector<detail::QmlCategory> practices;
    for (std::size_t i = 0; i < footprints.size(); ++i)
        practices.push_back({footprints.features[i].code, footprints.features[i].attributes[0], colours[i]});
    // The empty value is QGIS's "all other values": practices in no footprint.
    practices.push_back({"", "no PCN footprint", detail::uncategorised_colour});
    return {{footprints.name, qgis_categorical_qml(footprints, colours, "pcn_name")},
            {"practices", detail::categorized_qml("pcn_code", practices, detail::QmlSymbol::marker, "")}};
}

namespace {

/// The field a map layer's labels come from in the written layer ("" = none).
std::string label_field(const MapLayer& map_layer, const std::string& code_field) {
    if (map_layer.label_attribute.empty()) return {};
    if (map_layer.label_attribute == "code") return code_field;
    const std::optional<std::size_t> index = map_layer.layer->attribute_index(map_layer.label_attribute);
    if (!index)
        throw invalid_input(map_layer.layer->label() + ": no attribute '" + map_layer.label_attribute +
                            "' to label with (use \"code\" for the feature codes)");
    return map_layer.layer->attribute_names[*index];
}

}  // namespace

void write_map_layers(const std::vector<MapLayer>& layers, const std::string& path) {
    if (layers.empty()) throw invalid_input("a map needs at least one layer");
    for (std::size_t i = 0; i < layers.size(); ++i)
        if (!layers[i].layer) throw invalid_input("map layer " + std::to_string(i + 1) + " has no layer");
    const MapLayer& first = layers.front();
    const bool choropleth = first.style == MapStyle::choropleth;
    if (choropleth && first.values.size() != first.layer->size())
        throw invalid_input(first.layer->label() + ": a choropleth needs one value per feature, " +
                            std::to_string(first.values.size()) + " given for " + std::to_string(first.layer->size()));
    VectorWriter writer(path);
    std::map<std::string, int> names_used;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const MapLayer& map_layer = layers[i];
        const Layer& layer = *map_layer.layer;
        const std::string base = layer.name.empty() ? "layer" : layer.name;
        const int seen = names_used[base]++;
        const std::string name = seen == 0 ? base : base + "_" + std::to_string(seen + 1);

        const std::string code_field = layer.code_column.empty() ? "code" : layer.code_column;
        const bool code_in_attributes = layer.attribute_index(code_field).has_value();
        std::vector<OutputField> fields;
        std::set<std::string> field_names;
        if (!code_in_attributes) fields.push_back({code_field, FieldType::text});
        for (const std::string& attribute : layer.attribute_names) fields.push_back({attribute, FieldType::text});
        for (const OutputField& field : fields) field_names.insert(field.name);
        std::string value_field;
        if (i == 0 && choropleth) {
            value_field = "value";
            while (field_names.count(value_field)) value_field += '_';
            fields.push_back({value_field, FieldType::real});
        }

        writer.begin_layer(name, layer.crs, layer.kind, fields);
        for (std::size_t f = 0; f < layer.size(); ++f) {
            const Feature& feature = layer.features[f];
            std::vector<FieldValue> values;
            if (!code_in_attributes) values.emplace_back(feature.code);
            for (std::size_t a = 0; a < layer.attribute_names.size(); ++a)
                values.push_back(a < feature.attributes.size() ? FieldValue{feature.attributes[a]} : FieldValue{});
            if (!value_field.empty()) values.emplace_back(map_layer.values[f]);
            if (layer.kind == LayerKind::polygon) writer.add(feature.shape, values);
            else if (feature.located) writer.add(feature.point, values);
            else writer.add(values);
        }

        const std::string labels = label_field(map_layer, code_field);
        std::string qml;
        if (i > 0 || first.style == MapStyle::outline) {
            qml = layer.kind == LayerKind::point ? detail::single_marker_qml(map_layer.outline_colour, labels)
                                                 : qgis_outline_qml(map_layer.outline_colour, map_layer.line_width, labels);
        } else if (choropleth) {
            qml = qgis_choropleth_qml(value_field, choropleth_classes(map_layer.values, map_layer.classing), labels);
        } else if (layer.kind == LayerKind::point) {
            qml = detail::single_marker_qml(detail::categorical_palette[0], labels);
        } else {
            qml = detail::categorized_qml(code_field, detail::feature_categories(layer, categorical_colours(layer)),
                                          detail::QmlSymbol::fill, labels);
        }
        writer.set_style(name, qml);
    }
    writer.close();
}

}  // namespace render
}  // namespace placedef
