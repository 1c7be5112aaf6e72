// A co-terminosity matrix with the C++ API (placedef::core): every pair of
// layers scored both ways, with population apportioned from LSOAs.
//   matrix OUT.csv POP_LAYER POP_TABLE POP_KEY POP_COLUMN LAYER LAYER...
// e.g. matrix matrix.csv shapefiles/lsoa_2011.gpkg shapefiles/population_mid2020_lsoa11.csv lsoa11_code
//      total_population shapefiles/lad_2021.gpkg shapefiles/ward_2025.gpkg@WD25CD shapefiles/ced_2025.gpkg
#include <placedef/error.hpp>
#include <placedef/geometry.hpp>
#include <placedef/io.hpp>
#include <placedef/pipeline.hpp>
#include <placedef/scoring.hpp>

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    using namespace placedef;
    if (argc < 8) {
        std::cerr << "usage: " << argv[0] << " OUT.csv POP_LAYER POP_TABLE POP_KEY POP_COLUMN LAYER LAYER...\n";
        return 1;
    }
    try {
        ProblemSink problems;
        problems.set_listener([](const Problem& problem) { std::cerr << "warning: " << problem.describe() << '\n'; });
        const ReadOptions options;  // EPSG:27700, repair invalid polygons, all cores

        const Layer units = load_layer(LayerAddress::parse(argv[2]), options, problems);
        const Table table = read_table(argv[3], argv[4]);
        const PopulationSource population{&units, join_numeric(units, table, argv[5], problems)};

        std::vector<Layer> layers;
        for (int i = 6; i < argc; ++i) layers.push_back(load_layer(LayerAddress::parse(argv[i]), options, problems));
        std::vector<const Layer*> chosen;
        for (const Layer& layer : layers) chosen.push_back(&layer);

        MatrixOptions matrix_options;
        matrix_options.population = &population;
        const Matrix matrix = coterminosity_matrix(chosen, matrix_options);
        write_matrix_csv(matrix, argv[1]);
        std::cout << describe(matrix);
        const LayerScore& first = matrix.scores[1][0];
        std::cout << first.layer << " in " << first.other << ": co-terminosity index " << first.coterminosity_index
                  << ", by population " << first.coterminosity_index_pop << " -> " << argv[1] << '\n';
    } catch (const error& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 2;
    }
    return 0;
}
