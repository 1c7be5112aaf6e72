// The jobs that compare layers: overlay, align, best fit and the matrix.
#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "placedef/pipeline.hpp"

#include "core/parallel.hpp"
#include "pipeline/outputs.hpp"

#include <memory>
#include <mutex>
#include <set>

namespace placedef {
inline namespace pipeline {

namespace {

/// The layers of a two-layer job and, when asked, its population, whose units
/// are read with them (side by side).
struct PairInputs {
    std::shared_ptr<const Layer> a, b;
    LoadedPopulation population;
    bool has_population = false;
};

PairInputs load_pair(const LayerInput& a, const LayerInput& b, const PopulationInput& population,
                     const RunSettings& settings, ProblemSink& problems) {
    std::vector<LayerInput> inputs{a, b};
    if (population.given()) inputs.push_back(population.units);
    const std::vector<std::shared_ptr<const Layer>> layers = load_inputs(inputs, settings, problems);
    PairInputs loaded{layers[0], layers[1], {}, population.given()};
    if (loaded.has_population) loaded.population = load_population(population, settings, problems, layers[2]);
    return loaded;
}

std::vector<std::string> sources_of(const std::vector<LayerInput>& layers, const PopulationInput& population) {
    std::vector<std::string> sources;
    for (const LayerInput& layer : layers) sources.push_back(detail::input_address(layer));
    detail::add_population_inputs(sources, population);
    return sources;
}

}  // namespace

AlignmentReport compare_layers(const Layer& a, const Layer& b, const PopulationSource* population,
                               const ScoringOptions& scoring, bool alignment, unsigned threads,
                               const BoundaryIndex* a_boundaries, const BoundaryIndex* b_boundaries) {
    OverlayOptions options;
    options.threads = threads;
    options.population = population;
    const IntersectionTable table = overlay(a, b, options);
    if (!alignment) return score(table, scoring);
    auto against = [&](const Layer& layer, const Layer& other, const BoundaryIndex* index) {
        return index ? boundary_alignment(layer, *index, scoring.distance, threads)
                     : boundary_alignment(layer, other, scoring.distance, threads);
    };
    const BoundaryAlignment a_against_b = against(a, b, b_boundaries);
    const BoundaryAlignment b_against_a = &a == &b ? a_against_b : against(b, a, a_boundaries);
    return score(table, scoring, &a_against_b, &b_against_a);
}

OverlayResult run_overlay(const OverlayRequest& request, const RunSettings& settings, ProblemSink& problems) {
    if (!(request.min_share >= 0 && request.min_share <= 1))
        throw invalid_input("the minimum share must lie in [0, 1] (0 keeps every row)");
    const detail::OutputPlan plan(sources_of({request.a, request.b}, request.population), request.outputs, {"pieces"});
    PairInputs inputs = load_pair(request.a, request.b, request.population, settings, problems);
    OverlayOptions options;
    options.population = inputs.has_population ? &inputs.population.source : nullptr;
    options.with_geometry = request.with_geometry || plan.needs_geometry();
    options.min_share = request.min_share;
    options.threads = settings.threads;
    options.progress = settings.progress_of("overlay");
    OverlayResult result{inputs.a, inputs.b, overlay(*inputs.a, *inputs.b, options)};
    plan.write([&](const std::string& path) {
        write_intersection_table(result.table, path, result.a->crs, overlay_styles(result.table),
                                 request.outputs.numbers);
    });
    plan.write_problems(problems);
    return result;
}

namespace {

/// Loads two layers (and a population), scores them against each other and
/// writes each output with `write(result, path)`: the one path of align and crosswalk.
template <typename Write>
AlignResult scored_pair(const LayerInput& a, const LayerInput& b, const PopulationInput& population,
                        const ScoringOptions& scoring, bool alignment, const Outputs& outputs,
                        const RunSettings& settings, ProblemSink& problems, Write write) {
    const detail::OutputPlan plan(sources_of({a, b}, population), outputs);
    PairInputs inputs = load_pair(a, b, population, settings, problems);
    AlignResult result{inputs.a, inputs.b,
                       compare_layers(*inputs.a, *inputs.b, inputs.has_population ? &inputs.population.source : nullptr,
                                      scoring, alignment, settings.threads)};
    plan.write([&](const std::string& path) { write(result, path); });
    plan.write_problems(problems);
    return result;
}

}  // namespace

AlignResult run_align(const AlignRequest& request, const RunSettings& settings, ProblemSink& problems) {
    return scored_pair(request.a, request.b, request.population, request.scoring, request.alignment, request.outputs,
                       settings, problems, [&](const AlignResult& result, const std::string& path) {
                           write_alignment_csv(result.report, path, request.outputs.numbers);
                       });
}

CrosswalkResult run_crosswalk(const CrosswalkRequest& request, const RunSettings& settings, ProblemSink& problems) {
    std::vector<CrosswalkUnit> units;
    AlignResult scored = scored_pair(request.a, request.b, request.population, request.scoring, false, request.outputs,
                                     settings, problems, [&](const AlignResult& result, const std::string& path) {
                                         if (units.empty()) units = crosswalk(result.report);
                                         write_crosswalk_csv(units, path, request.outputs.numbers);
                                     });
    if (units.empty()) units = crosswalk(scored.report);
    return CrosswalkResult{std::move(scored.a), std::move(scored.b), std::move(scored.report), std::move(units)};
}

BestFitResult run_best_fit(const BestFitRequest& request, const RunSettings& settings, ProblemSink& problems) {
    if (!(request.options.ambiguous_below >= 0 && request.options.ambiguous_below <= 1))
        throw invalid_input("the ambiguity threshold must lie in [0, 1] (default 0.9)");
    const bool by_population = request.options.method == BestFitMethod::population;
    if (by_population && !request.population.given())
        throw invalid_input("the population method needs a population (a layer, a table and its column)");
    const detail::OutputPlan plan(sources_of({request.child, request.parent}, request.population), request.outputs);
    PopulationInput population = by_population ? request.population : PopulationInput{};
    PairInputs inputs = load_pair(request.child, request.parent, population, settings, problems);
    OverlayOptions overlay_options;
    overlay_options.threads = settings.threads;
    if (by_population) overlay_options.population = &inputs.population.source;
    const IntersectionTable table = overlay(*inputs.a, *inputs.b, overlay_options);
    std::vector<long> containing;
    if (request.options.method == BestFitMethod::centroid) {
        std::vector<Coord> points;
        points.reserve(inputs.a->size());
        for (const Feature& feature : inputs.a->features) points.push_back(point_on_surface(feature.shape));
        containing = containing_units(points, *inputs.b, settings.threads);
    }
    BestFitResult result{inputs.a, inputs.b, best_fit(table, request.options, containing)};
    for (const BestFitRow& row : result.rows) {
        result.ambiguous += row.ambiguous;
        result.orphans += row.parent.empty();
        result.fallbacks += row.method != request.options.method;
    }
    plan.write([&](const std::string& path) { write_best_fit_csv(result.rows, path, request.outputs.numbers); });
    plan.write_problems(problems);
    return result;
}

Matrix run_matrix(const MatrixRequest& request, const RunSettings& settings, ProblemSink& problems) {
    if (request.layers.size() < 2)
        throw invalid_input("the matrix needs two or more layers; " + std::to_string(request.layers.size()) + " given");
    const detail::OutputPlan plan(sources_of(request.layers, request.population), request.outputs);
    std::vector<LayerInput> inputs = request.layers;
    if (request.population.given()) inputs.push_back(request.population.units);
    const std::vector<std::shared_ptr<const Layer>> loaded = load_inputs(inputs, settings, problems);
    LoadedPopulation population;
    if (request.population.given()) population = load_population(request.population, settings, problems, loaded.back());
    std::vector<const Layer*> layers;
    for (std::size_t i = 0; i < request.layers.size(); ++i) layers.push_back(loaded[i].get());
    MatrixOptions options;
    options.scoring = request.scoring;
    options.alignment = request.alignment;
    options.threads = settings.threads;
    options.population = request.population.given() ? &population.source : nullptr;
    options.progress = settings.progress_of("matrix");
    Matrix matrix = coterminosity_matrix(layers, options);
    plan.write([&](const std::string& path) { write_matrix_csv(matrix, path); });
    plan.write_problems(problems);
    return matrix;
}

Matrix coterminosity_matrix(const std::vector<const Layer*>& layers, const MatrixOptions& options) {
    if (layers.empty()) throw invalid_input("the matrix needs at least one layer");
    for (const Layer* layer : layers)
        if (layer->crs != layers.front()->crs)
            throw invalid_input("layers " + layers.front()->label() + " and " + layer->label() +
                                " are in different CRS");
    const std::size_t n = layers.size();
    Matrix matrix;
    // Two layers of one name (ward.gpkg from two folders) get distinct labels:
    // "ward", "ward (2)", never a label another layer already has.
    std::set<std::string> labels;
    for (const Layer* layer : layers) labels.insert(layer->name);
    std::set<std::string> used;
    for (const Layer* layer : layers) {
        std::string label = layer->name;
        for (std::size_t copy = 2; used.count(label); ++copy) {
            label = layer->name + " (" + std::to_string(copy) + ")";
            if (labels.count(label)) label = layer->name;  // another layer's own name: try the next number
        }
        used.insert(label);
        matrix.layers.push_back(label);
    }
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
            const AlignmentReport report = compare_layers(*layers[i], *layers[j], options.population, options.scoring,
                                                          options.alignment, 1, boundaries[i].get(), boundaries[j].get());
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

}  // namespace pipeline
}  // namespace placedef
