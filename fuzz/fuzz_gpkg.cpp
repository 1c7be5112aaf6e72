// GeoPackages with corrupt geometry blobs through the layer reader
// (load_layer: read_layer and check_layer). Each input is a small but valid
// SQLite file: a seed GeoPackage of four squares near Guildford whose blobs
// the input replaces or damages.
//
// Input: one options byte, then up to four records (fuzz_input.hpp), the
// blobs of features 1 to 4:
//   bits 0-1  0: the record is the whole blob; 1: the record is XORed into
//             the feature's own blob from the offset its first byte gives;
//             2: the record is WKB after the feature's own GeoPackage header;
//             3: as 2, and an empty record makes the geometry NULL
//   bit 2     --invalid skip instead of repair
// An empty record leaves the blob as it is (but for mode 3).
//
// Invariants: the reader throws nothing but placedef's errors, which name the
// file, and never an io_error (the file is sound: one bad blob must not stop
// the reading); and no feature is lost without a word: each of the four is in
// the layer or named (by its fid) in a problem that skipped it.
#include "fuzz_input.hpp"

#include "placedef/error.hpp"
#include "placedef/geometry.hpp"
#include "placedef/io.hpp"

#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

using namespace placedef;
using placedef::fuzz::require;

namespace {

constexpr int feature_count = 4;
const char* const seed_path = "/vsimem/fuzz_gpkg_seed.gpkg";
const char* const input_path = "/vsimem/fuzz_gpkg_input.gpkg";

std::vector<std::uint8_t> file_bytes(const char* path) {
    vsi_l_offset size = 0;
    GByte* buffer = VSIGetMemFileBuffer(path, &size, FALSE);
    return std::vector<std::uint8_t>(buffer, buffer + size);
}

/// The seed GeoPackage and the blob of each of its features.
struct Seed {
    std::vector<std::uint8_t> file;
    std::vector<std::vector<std::uint8_t>> blobs;

    Seed() {
        GDALAllRegister();
        GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
        require(driver != nullptr, "GDAL has its GeoPackage driver");
        GDALDataset* dataset = driver->Create(seed_path, 0, 0, 0, GDT_Unknown, nullptr);
        require(dataset != nullptr, "the seed GeoPackage can be made");
        OGRSpatialReference bng;
        bng.importFromEPSG(27700);
        // No spatial index: its triggers would read every blob written.
        const char* options[] = {"SPATIAL_INDEX=NO", nullptr};
        OGRLayer* layer = dataset->CreateLayer("squares", &bng, wkbPolygon, const_cast<char**>(options));
        OGRFieldDefn code("SQCD", OFTString);
        layer->CreateField(&code);
        for (int i = 0; i < feature_count; ++i) {
            OGRFeature feature(layer->GetLayerDefn());
            feature.SetField("SQCD", ("SQ" + std::to_string(i + 1)).c_str());
            const double x = 500000.0 + 100.0 * i, y = 150000.0;
            OGRPolygon square;
            OGRLinearRing ring;
            ring.addPoint(x, y);
            ring.addPoint(x + 100, y);
            ring.addPoint(x + 100, y + 100);
            ring.addPoint(x, y + 100);
            ring.addPoint(x, y);
            square.addRing(&ring);
            feature.SetGeometry(&square);
            require(layer->CreateFeature(&feature) == OGRERR_NONE, "a seed feature can be written");
        }
        OGRLayer* rows = dataset->ExecuteSQL("SELECT hex(geom) FROM squares ORDER BY fid", nullptr, nullptr);
        require(rows != nullptr, "the seed blobs can be read back");
        for (OGRFeature* row = rows->GetNextFeature(); row; row = rows->GetNextFeature()) {
            const std::string hex = row->GetFieldAsString(0);
            std::vector<std::uint8_t> blob;
            for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
                blob.push_back(static_cast<std::uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16)));
            blobs.push_back(std::move(blob));
            OGRFeature::DestroyFeature(row);
        }
        dataset->ReleaseResultSet(rows);
        GDALClose(dataset);
        require(blobs.size() == feature_count, "the seed has its four blobs");
        file = file_bytes(seed_path);
        VSIUnlink(seed_path);
    }
};

/// Bytes of the GeoPackage blob header: magic, version, flags, srs_id and
/// the envelope its flags announce.
std::size_t header_size(const std::vector<std::uint8_t>& blob) {
    static const std::size_t envelope_doubles[] = {0, 4, 6, 6, 8, 0, 0, 0};
    return blob.size() < 8 ? blob.size() : std::min(blob.size(), 8 + 8 * envelope_doubles[(blob[3] >> 1) & 7]);
}

std::string sql_blob(const std::vector<std::uint8_t>& bytes) {
    static const char digits[] = "0123456789ABCDEF";
    std::string text = "X'";
    for (std::uint8_t byte : bytes) {
        text += digits[byte >> 4];
        text += digits[byte & 15];
    }
    return text + "'";
}

/// The blob feature `fid` gets from `record`, or "NULL".
std::string damaged_blob(int mode, const std::vector<std::uint8_t>& own, const fuzz::Record& record) {
    if (record.size == 0) return mode == 3 ? "NULL" : sql_blob(own);
    if (mode == 0) return sql_blob(std::vector<std::uint8_t>(record.data, record.data + record.size));
    if (mode == 1) {
        std::vector<std::uint8_t> blob = own;
        const std::size_t from = record.data[0] % blob.size();
        for (std::size_t i = 1; i < record.size && from + i - 1 < blob.size(); ++i) blob[from + i - 1] ^= record.data[i];
        return sql_blob(blob);
    }
    std::vector<std::uint8_t> blob(own.begin(), own.begin() + static_cast<std::ptrdiff_t>(header_size(own)));
    blob.insert(blob.end(), record.data, record.data + record.size);
    return sql_blob(blob);
}

/// Writes the input GeoPackage (a statement SQLite refuses leaves its blob).
void write_input(const Seed& seed, int mode, const std::vector<fuzz::Record>& records) {
    VSILFILE* out = VSIFOpenL(input_path, "wb");
    require(out != nullptr, "a /vsimem file can be made");
    VSIFWriteL(seed.file.data(), 1, seed.file.size(), out);
    VSIFCloseL(out);
    const char* drivers[] = {"GPKG", nullptr};
    GDALDataset* dataset = GDALDataset::Open(input_path, GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers);
    require(dataset != nullptr, "the seed GeoPackage opens for update");
    for (std::size_t i = 0; i < records.size(); ++i) {
        const std::string sql = "UPDATE squares SET geom = " + damaged_blob(mode, seed.blobs[i], records[i]) +
                                " WHERE fid = " + std::to_string(i + 1);
        dataset->ExecuteSQL(sql.c_str(), nullptr, nullptr);
    }
    GDALClose(dataset);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const Seed seed;
    if (size == 0) return 0;
    const int mode = data[0] & 3;
    const std::vector<fuzz::Record> records = fuzz::split_records(data + 1, size - 1, feature_count);
    CPLPushErrorHandler(CPLQuietErrorHandler);  // GDAL's words reach us through the reader's errors
    write_input(seed, mode, records);

    ReadOptions options;
    options.invalid = (data[0] & 4) ? InvalidPolicy::skip : InvalidPolicy::repair;
    options.threads = 1;
    ProblemSink problems;
    try {
        const Layer layer = load_layer(LayerAddress::parse(std::string(input_path) + "@SQCD"), options, problems);
        require(layer.features_read == feature_count, "every feature of the file is read");
        for (std::int64_t fid = 1; fid <= feature_count; ++fid) {
            bool accounted = false;
            for (const Feature& feature : layer.features) accounted = accounted || feature.fid == fid;
            for (const Problem& problem : problems.problems())
                accounted = accounted || (problem.where.fid == fid && problem.action == ProblemAction::skipped);
            require(accounted, "feature " + std::to_string(fid) + " is in the layer or named as skipped");
        }
        for (const Feature& feature : layer.features) {
            const double a = area(feature.shape);
            require(std::isfinite(a) && a >= 0, "a kept feature has a finite area");
        }
    } catch (const io_error& e) {
        require(false, std::string("a valid SQLite file is read to its end, bad blobs and all: ") + e.what());
    } catch (const error& e) {
        const std::string message = e.what();
        require(message.find("fuzz_gpkg_input.gpkg") != std::string::npos, "an error names the file: " + message);
    }
    for (const Problem& problem : problems.problems())
        require(problem.where.file == input_path, "a problem names the file: " + problem.describe());
    CPLPopErrorHandler();
    VSIUnlink(input_path);
    return 0;
}
