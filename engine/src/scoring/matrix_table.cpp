// The partner matrix's table and text. The matrix itself is computed by the
// pipeline (coterminosity_matrix), which runs the overlays.
#include "placedef/error.hpp"
#include "placedef/io.hpp"
#include "placedef/scoring.hpp"

#include <cmath>
#include <iomanip>
#include <sstream>

namespace placedef {
inline namespace scoring {

void write_matrix_csv(const Matrix& matrix, const std::string& path) {
    CsvWriter csv(path);
    csv.header({"layer", "other_layer", "units", "scored", "coterminosity_index", "coterminosity_index_pop",
                "nesting_rate", "coterminous_rate", "boundary_alignment", "coterminous", "nested", "built_from",
                "split", "outside"});
    for (const auto& row : matrix.scores)
        for (const LayerScore& score : row) {
            csv.cell(score.layer).cell(score.other).cell(score.units).cell(score.scored);
            csv.cell(score.coterminosity_index).cell(score.coterminosity_index_pop).cell(score.nesting_rate);
            csv.cell(score.coterminous_rate).cell(score.boundary_alignment);
            for (std::size_t r = 0; r < relation_count; ++r) csv.cell(score.counts[r]);
            csv.end_row();
        }
    csv.close();
}

std::string describe(const Matrix& matrix) {
    std::size_t width = 6;
    for (const std::string& name : matrix.layers) width = std::max(width, name.size());
    std::ostringstream out;
    auto table = [&](const char* title, double LayerScore::*field) {
        out << title << " (row scored against column)\n" << std::setw(static_cast<int>(width)) << "";
        for (const std::string& name : matrix.layers) out << "  " << std::setw(static_cast<int>(width)) << name;
        out << '\n';
        for (std::size_t i = 0; i < matrix.layers.size(); ++i) {
            out << std::setw(static_cast<int>(width)) << std::left << matrix.layers[i] << std::right;
            for (const LayerScore& score : matrix.scores[i]) {
                const double value = score.*field;
                out << "  " << std::setw(static_cast<int>(width));
                if (std::isnan(value)) out << "-";
                else out << std::fixed << std::setprecision(3) << value;
            }
            out << '\n';
        }
        out << '\n';
    };
    table("co-terminosity index", &LayerScore::coterminosity_index);
    table("nesting rate", &LayerScore::nesting_rate);
    bool aligned = false;
    for (const auto& row : matrix.scores)
        for (const LayerScore& score : row) aligned = aligned || !std::isnan(score.boundary_alignment);
    if (aligned) table("boundary alignment", &LayerScore::boundary_alignment);
    return out.str();
}

}  // namespace scoring
}  // namespace placedef
