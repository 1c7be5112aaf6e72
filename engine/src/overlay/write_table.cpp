#include "placedef/error.hpp"
#include "placedef/io.hpp"
#include "placedef/overlay.hpp"

namespace placedef {
inline namespace overlays {

namespace {

std::vector<std::string> column_names(const IntersectionTable& table) {
    std::vector<std::string> names{"a_code", "b_code", "area_m2", "share_of_a", "share_of_b"};
    if (table.has_population) names.insert(names.end(), {"pop", "pop_share_of_a", "pop_share_of_b"});
    return names;
}

std::vector<FieldValue> row_values(const IntersectionTable& table, const IntersectionRow& row) {
    std::vector<FieldValue> values{row.a_code, row.b_code, row.area_m2, row.share_of_a, row.share_of_b};
    if (table.has_population) values.insert(values.end(), {row.pop, row.pop_share_of_a, row.pop_share_of_b});
    return values;
}

}  // namespace

void write_intersection_table(const IntersectionTable& table, const std::string& path, const std::string& crs,
                              const std::vector<LayerStyle>& styles) {
    if (is_csv_path(path)) {
        CsvWriter csv(path);
        csv.header(column_names(table));
        for (const IntersectionRow& row : table.rows) {
            for (const FieldValue& value : row_values(table, row)) csv.cell(value);
            csv.end_row();
        }
        csv.close();
        return;
    }
    std::vector<OutputField> fields;
    for (const std::string& name : column_names(table))
        fields.push_back({name, name.size() > 5 && name.compare(name.size() - 5, 5, "_code") == 0 ? FieldType::text
                                                                                                 : FieldType::real});
    VectorWriter writer(path);
    writer.begin_layer("pieces", crs, LayerKind::polygon, fields);
    for (const IntersectionRow& row : table.rows) {
        if (row.piece.empty() && row.area_m2 > 0)
            throw output_error("piece geometry of " + row.a_code + " x " + row.b_code +
                               " was not computed (overlay without with_geometry)",
                               Location{path, "pieces", {}, {}, {}});
        writer.add(row.piece, row_values(table, row));
    }
    for (const LayerStyle& style : styles) writer.set_style(style.layer, style.qml);
    writer.close();
}

}  // namespace overlays
}  // namespace placedef
