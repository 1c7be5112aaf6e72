#include "placedef/error.hpp"
#include "placedef/io.hpp"
#include "placedef/overlay.hpp"

#include <optional>

namespace placedef {
inline namespace overlays {

namespace {

struct Column {
    std::string name;
    std::optional<Quantity> quantity;  ///< none: text
};

std::vector<Column> columns(const IntersectionTable& table) {
    std::vector<Column> out{{"a_code", {}},
                            {"a_name", {}},
                            {"b_code", {}},
                            {"b_name", {}},
                            {"area_m2", Quantity::area_m2},
                            {"share_of_a", Quantity::share},
                            {"share_of_b", Quantity::share}};
    if (table.has_population)
        out.insert(out.end(),
                   {{"pop", Quantity::people}, {"pop_share_of_a", Quantity::share}, {"pop_share_of_b", Quantity::share}});
    return out;
}

std::vector<std::string> column_names(const IntersectionTable& table, NumberForm form) {
    std::vector<std::string> names;
    for (const Column& column : columns(table))
        names.push_back(column.quantity ? quantity_column(column.name, *column.quantity, form) : column.name);
    return names;
}

std::vector<FieldValue> row_values(const IntersectionTable& table, const IntersectionRow& row, NumberForm form) {
    std::vector<FieldValue> values{row.a_code, table.a_names[row.a_index], row.b_code, table.b_names[row.b_index]};
    std::vector<double> numbers{row.area_m2, row.share_of_a, row.share_of_b};
    if (table.has_population) numbers.insert(numbers.end(), {row.pop, row.pop_share_of_a, row.pop_share_of_b});
    const std::vector<Column> all = columns(table);
    for (std::size_t i = 0; i < numbers.size(); ++i)
        values.push_back(quantity_value(numbers[i], *all[values.size()].quantity, form));
    return values;
}

}  // namespace

void write_intersection_table(const IntersectionTable& table, const std::string& path, const std::string& crs,
                              const std::vector<LayerStyle>& styles, NumberForm form) {
    if (is_csv_path(path)) {
        CsvWriter csv(path);
        csv.header(column_names(table, form));
        for (const IntersectionRow& row : table.rows) {
            for (const FieldValue& value : row_values(table, row, form)) csv.cell(value);
            csv.end_row();
        }
        csv.close();
        return;
    }
    std::vector<OutputField> fields;
    const std::vector<std::string> names = column_names(table, form);
    const std::vector<Column> all = columns(table);
    for (std::size_t i = 0; i < all.size(); ++i)
        fields.push_back({names[i], all[i].quantity ? FieldType::real : FieldType::text});
    VectorWriter writer(path);
    writer.begin_layer("pieces", crs, LayerKind::polygon, fields);
    for (const IntersectionRow& row : table.rows) {
        if (row.piece.empty() && row.area_m2 > 0)
            throw output_error("piece geometry of " + row.a_code + " x " + row.b_code +
                               " was not computed (overlay without with_geometry)",
                               Location{path, "pieces", {}, {}, {}});
        writer.add(row.piece, row_values(table, row, form));
    }
    for (const LayerStyle& style : styles) writer.set_style(style.layer, style.qml);
    writer.close();
}

}  // namespace overlays
}  // namespace placedef
