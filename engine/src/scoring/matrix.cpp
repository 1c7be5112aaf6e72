// The partner matrix: every layer scored against every other. This file
// orchestrates overlays and alignments; the scores themselves come from
// score(), which reads the tables only.
#include "placedef/error.hpp"
#include "placedef/io.hpp"
#include "placedef/scoring.hpp"

#include "geometry/detail/parallel.hpp"

#include <cmath>
#include <memory>
#include <iomanip>
#include <mutex>
#include <sstream>

namespace placedef {

Matrix coterminosity_matrix(const std::vector<const Layer*>& layers, const MatrixOptions& options) {
    if (layers.empty()) throw invalid_input("the matrix needs at least one layer");
    for (const Layer* layer : layers)
        if (layer->crs != layers.front()->crs)
            throw invalid_input("layers " + layers.front()->label() + " and " + layer->label() +
                                " are in different CRS");
    const std::size_t n = layers.size();
    Matrix matrix;
    for (const Layer* layer : layers) matrix.layers.push_back(layer->name);
    matrix.scores.assign(n, std::vector<LayerScore>(n));

    std::vector<std::pair<std::size_t, std::size_t>> pairs;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i; j < n; ++j) pairs.emplace_back(i, j);
    // Each layer's boundaries are indexed once, for all the pairs it is in.
    std::vector<std::unique_ptr<BoundaryIndex>> boundaries(n);
    if (options.alignment)
        detail::parallel_for(n, options.threads, 1, [&](std::size_t begin, std::size_t end) {
            for (std::size_t i = begin; i < end; ++i) boundaries[i] = std::make_unique<BoundaryIndex>(*layers[i], 1);
        });
    std::mutex progress_mutex;
    std::size_t done = 0;
    // Pairs run side by side, each on one thread: small layers gain more from
    // that than from splitting one overlay.
    detail::parallel_for(pairs.size(), options.threads, 1, [&](std::size_t begin, std::size_t end) {
        for (std::size_t k = begin; k < end; ++k) {
            const auto [i, j] = pairs[k];
            OverlayOptions overlay_options;
            overlay_options.threads = 1;
            overlay_options.population = options.population;
            const IntersectionTable table = overlay(*layers[i], *layers[j], overlay_options);
            BoundaryAlignment a_against_b, b_against_a;
            if (options.alignment) {
                a_against_b = boundary_alignment(*layers[i], *boundaries[j], options.scoring.distance, 1);
                b_against_a = i == j ? a_against_b
                                     : boundary_alignment(*layers[j], *boundaries[i], options.scoring.distance, 1);
            }
            const AlignmentReport report = score(table, options.scoring, options.alignment ? &a_against_b : nullptr,
                                                 options.alignment ? &b_against_a : nullptr);
            matrix.scores[i][j] = report.a_in_b;
            matrix.scores[j][i] = report.b_in_a;
            if (options.progress) {
                std::lock_guard<std::mutex> lock(progress_mutex);
                options.progress(++done, pairs.size());
            }
        }
    });
    return matrix;
}

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

}  // namespace placedef
