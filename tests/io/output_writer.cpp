// Test helper for kill_during_write.sh: writes squares through the library's
// writers, so that the script can kill it in the middle, and counts the
// features of what a run left.
//
//   pdef_output_writer write PATH LAYER COUNT [MARK_AFTER MARK_FILE [pause]]
//       writes COUNT squares to layer LAYER of PATH (a CSV: rows); after
//       MARK_AFTER of them creates MARK_FILE and, with "pause", waits there,
//       the output still open, until it is killed
//   pdef_output_writer count PATH
//       prints "LAYER COUNT" for each layer of PATH
#include "placedef/io.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <unistd.h>

#include <cstdlib>
#include <exception>
#include <fstream>
#include <iostream>
#include <string>

namespace {

using namespace placedef;

MultiPolygon square(double x, double y) {
    return MultiPolygon{{Polygon{{{x, y}, {x + 10, y}, {x + 10, y + 10}, {x, y + 10}}, {}}}};
}

/// Reached after `mark_after` features: tells the script, and waits if asked.
struct Mark {
    long after = -1;
    std::string file;
    bool pause = false;
    void reached() const {
        std::ofstream(file) << "writing\n";
        while (pause) ::pause();  // ended by SIGKILL
    }
};

void write(const std::string& path, const std::string& layer, long count, const Mark& mark) {
    if (is_csv_path(path)) {
        CsvWriter csv(path);
        csv.header({"code", "x", "y"});
        for (long i = 0; i < count; ++i) {
            if (i == mark.after) mark.reached();
            csv.cell("S" + std::to_string(i))
                .cell(static_cast<double>(i % 1000) * 10)
                .cell(static_cast<double>(i / 1000) * 10);
            csv.end_row();
        }
        csv.close();
        return;
    }
    VectorWriter writer(path);
    writer.begin_layer(layer, "EPSG:27700", LayerKind::polygon, {{"SQCD", FieldType::text}, {"N", FieldType::integer}});
    for (long i = 0; i < count; ++i) {
        if (i == mark.after) mark.reached();
        const double x = 500000.0 + 10.0 * static_cast<double>(i % 1000);
        const double y = 150000.0 + 10.0 * static_cast<double>(i / 1000);
        writer.add(square(x, y), {"S" + std::to_string(i), std::int64_t{i}});
    }
    writer.close();
}

int count(const std::string& path) {
    GDALAllRegister();
    GDALDataset* dataset = GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY);
    if (!dataset) return 1;
    for (OGRLayer* layer : dataset->GetLayers())
        if (std::string(layer->GetName()) != "layer_styles")
            std::cout << layer->GetName() << ' ' << layer->GetFeatureCount() << '\n';
    GDALClose(dataset);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const std::string command = argc > 1 ? argv[1] : "";
        if (command == "count" && argc == 3) return count(argv[2]);
        if (command == "write" && (argc == 5 || argc == 7 || argc == 8)) {
            Mark mark;
            if (argc >= 7) {
                mark.after = std::atol(argv[5]);
                mark.file = argv[6];
                mark.pause = argc == 8 && std::string(argv[7]) == "pause";
            }
            write(argv[2], argv[3], std::atol(argv[4]), mark);
            return 0;
        }
        std::cerr << "usage: pdef_output_writer write PATH LAYER COUNT [MARK_AFTER MARK_FILE [pause]] | count PATH\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 1;
    }
}
