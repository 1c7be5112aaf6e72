#include "placedef/cancel.hpp"
#include "placedef/error.hpp"
#include "placedef/io.hpp"

#include "io/detail/gdal_handles.hpp"
#include "core/location.hpp"
#include "core/text.hpp"
#include "io/detail/staged_output.hpp"

#include <cpl_string.h>

#include <cmath>
#include <ctime>
#include <filesystem>
#include <optional>
#include <system_error>

namespace placedef {
inline namespace io {

namespace {

using detail::GdalErrorCapture;

bool is_database(const std::string& path) { return detail::istarts_with(path, "PG:"); }

/// The OGR driver for an output path, or nullptr when the name does not say.
const char* driver_for(const std::string& path) {
    if (is_database(path)) return "PostgreSQL";
    const std::string extension = std::filesystem::path(path).extension().string();
    if (detail::iequals(extension, ".gpkg")) return "GPKG";
    if (detail::iequals(extension, ".shp")) return "ESRI Shapefile";
    if (detail::iequals(extension, ".geojson") || detail::iequals(extension, ".json")) return "GeoJSON";
    if (detail::iequals(extension, ".fgb")) return "FlatGeobuf";
    return nullptr;
}

/// Files of a Shapefile besides the .shp: renamed with it, and removed when
/// left from an older version (a stale index would hide features).
const std::vector<std::string> shapefile_side_extensions{".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx"};

/// GeoPackage layers are SQLite tables, whose names ignore ASCII case.
bool contains_name(const std::vector<std::string>& names, const std::string& name) {
    return detail::find_name(names, name).has_value();
}

OGRFieldType ogr_type(FieldType type) {
    switch (type) {
        case FieldType::integer: return OFTInteger64;
        case FieldType::real: return OFTReal;
        case FieldType::text: return OFTString;
    }
    return OFTString;
}

/// Our rings are open; OGR rings repeat the first point at the end.
/// The size is set first: point by point, GDAL 3.6 grows the array by one
/// each time, quadratic in the ring's length (a 1,000,000-vertex polygon).
OGRLinearRing* closed_ring(const Ring& ring) {
    auto* out = new OGRLinearRing;
    const bool close = ring.size() > 1 && ring.front() != ring.back();
    out->setNumPoints(static_cast<int>(ring.size() + (close ? 1 : 0)), FALSE);
    int i = 0;
    for (const Coord& c : ring) out->setPoint(i++, c.x, c.y);
    if (close) out->setPoint(i, ring.front().x, ring.front().y);
    return out;
}

OGRMultiPolygon* to_ogr(const MultiPolygon& shape) {
    auto* multi = new OGRMultiPolygon;
    for (const Polygon& polygon : shape.polygons) {
        auto* part = new OGRPolygon;
        part->addRingDirectly(closed_ring(polygon.outer));
        for (const Ring& hole : polygon.holes) part->addRingDirectly(closed_ring(hole));
        multi->addGeometryDirectly(part);
    }
    return multi;
}

/// Writes one FieldValue into field `index` of a feature; NaN and infinities
/// become NULL, as they do in CSV output.
struct FieldSetter {
    OGRFeature& feature;
    int index;
    void operator()(std::monostate) const { feature.SetFieldNull(index); }
    void operator()(std::int64_t value) const { feature.SetField(index, static_cast<GIntBig>(value)); }
    void operator()(double value) const {
        if (std::isfinite(value))
            feature.SetField(index, value);
        else
            feature.SetFieldNull(index);
    }
    void operator()(const std::string& value) const { feature.SetField(index, value.c_str()); }
};

}  // namespace

struct VectorWriter::Impl {
    std::string path;        ///< as given
    std::string shown_path;  ///< password removed, for messages
    std::string ogr_driver;  ///< name of the OGR driver writing the dataset
    std::vector<LayerStyle> styles;  ///< written by close()
    /// The temporary file GDAL writes; null when written in place (PG:).
    /// Declared before `dataset`, so that the dataset is closed before the file is removed.
    std::unique_ptr<detail::StagedOutput> staged;
    detail::DatasetPtr dataset;
    std::vector<std::string> kept_layers;     ///< of an existing GeoPackage, not (yet) replaced
    std::vector<std::string> written_layers;  ///< by this writer
    OGRLayer* layer = nullptr;
    std::string layer_name;
    OGRwkbGeometryType geometry_type = wkbNone;
    std::size_t field_count = 0;
    std::int64_t written = 0;
    bool in_transaction = false;

    Location where() const { return detail::in_file(shown_path, layer_name); }

    /// GDAL's words, with the temporary file's name put back to the one the user gave.
    std::string reason(const GdalErrorCapture& errors) const {
        std::string text = errors.message();
        if (!staged) return text;
        const std::string& temp = staged->temp_path();
        for (std::size_t at = text.find(temp); at != std::string::npos; at = text.find(temp, at + shown_path.size()))
            text.replace(at, temp.size(), shown_path);
        return text;
    }

    [[noreturn]] void fail(const std::string& what, const GdalErrorCapture& errors) const {
        throw output_error(what + ": " + reason(errors), where());
    }

    void open(const char* driver_name) {
        GdalErrorCapture errors;
        GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name);
        if (!driver)
            throw output_error(std::string("this GDAL has no '") + driver_name + "' driver",
                               detail::in_file(shown_path));
        if (is_database(path)) {
            dataset.reset(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE | GDAL_OF_VERBOSE_ERROR));
            if (!dataset) fail("cannot be opened for writing", errors);
            return;
        }
        if (detail::is_written_in_place(path)) {  // a GDAL virtual file, which cannot be renamed
            VSIStatBufL status;
            if (VSIStatExL(path.c_str(), &status, VSI_STAT_EXISTS_FLAG) == 0 &&
                driver->Delete(path.c_str()) != CE_None && VSIUnlink(path.c_str()) != 0)
                fail("exists and cannot be replaced", errors);
            errors.clear();
            dataset.reset(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
            if (!dataset) fail("cannot be created", errors);
            return;
        }
        staged = std::make_unique<detail::StagedOutput>(path, shown_path);
        std::error_code error;
        if (ogr_driver == "GPKG" && staged->target_exists() &&
            std::filesystem::file_size(staged->target_path(), error) > 0) {
            open_copy_of_geopackage(errors);
            return;
        }
        dataset.reset(driver->Create(staged->temp_path().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!dataset) fail("cannot be created", errors);
    }

    /// The existing GeoPackage, copied to the temporary file and opened there,
    /// so that its other layers are kept and the target is untouched until close().
    void open_copy_of_geopackage(GdalErrorCapture& errors) {
        std::error_code error;
        std::filesystem::copy_file(staged->target_path(), staged->temp_path(), error);
        if (error)
            throw output_error("exists and cannot be copied to keep its other layers: " + error.message(),
                               detail::in_file(shown_path));
        const char* const only_geopackage[] = {"GPKG", nullptr};
        dataset.reset(GDALDataset::Open(staged->temp_path().c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE,
                                        only_geopackage, nullptr, nullptr));
        if (!dataset)
            fail("exists and is not a GeoPackage that can be updated; it is left as it is "
                 "(remove it, or write to another name)",
                 errors);
        for (OGRLayer* existing : dataset->GetLayers()) kept_layers.emplace_back(existing->GetName());
    }

    /// A layer of an existing GeoPackage that this writer rewrites is deleted first.
    void drop_kept_layer(const std::string& name, const GdalErrorCapture& errors) {
        const std::optional<std::size_t> kept = detail::find_name(kept_layers, name);
        if (!kept) return;
        for (int i = 0; i < dataset->GetLayerCount(); ++i)
            if (dataset->GetLayer(i)->GetName() == kept_layers[*kept]) {
                if (dataset->DeleteLayer(i) != OGRERR_NONE) fail("cannot replace the existing layer", errors);
                break;
            }
        kept_layers.erase(kept_layers.begin() + static_cast<std::ptrdiff_t>(*kept));
    }

    /// Closes without putting anything in place: an open transaction is rolled
    /// back and the temporary file removed. Never throws.
    void abandon() noexcept {
        try {
            GdalErrorCapture quiet;
            if (in_transaction) dataset->RollbackTransaction();
            in_transaction = false;
            layer = nullptr;
            dataset.reset();
        } catch (...) {
            // Out of memory while closing: the temporary file is removed below all the same.
        }
        if (staged) staged->discard();
    }

    void start_layer(const std::string& name, const std::string& crs, OGRwkbGeometryType type,
                     const std::vector<OutputField>& fields) {
        finish_layer();
        layer_name = name;
        written = 0;
        GdalErrorCapture errors;
        drop_kept_layer(name, errors);
        OGRSpatialReference srs;
        if (!crs.empty()) {
            if (srs.SetFromUserInput(crs.c_str()) != OGRERR_NONE) fail("CRS '" + crs + "' is not understood", errors);
            srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        }
        CPLStringList options;
        if (is_database(path)) {
            options.SetNameValue("OVERWRITE", "YES");
            // The column names of our GeoPackages (and of bench/lib/pg.sh's tables), not OGR's wkb_geometry/ogc_fid.
            options.SetNameValue("GEOMETRY_NAME", "geom");
            options.SetNameValue("FID", "fid");
        }
        layer = dataset->CreateLayer(name.c_str(), crs.empty() ? nullptr : &srs, type, options.List());
        if (!layer) fail("cannot create the layer", errors);
        written_layers.push_back(name);
        for (const OutputField& field : fields) {
            OGRFieldDefn definition(field.name.c_str(), ogr_type(field.type));
            if (layer->CreateField(&definition) != OGRERR_NONE)
                throw output_error("cannot create the field: " + reason(errors),
                                   detail::at_field(where(), field.name));
        }
        if (layer->GetLayerDefn()->GetFieldCount() != static_cast<int>(fields.size()))
            fail("the driver did not create the " + std::to_string(fields.size()) + " fields asked for", errors);
        geometry_type = type;
        field_count = fields.size();
        // One transaction per layer: GeoPackage writes are many times faster.
        if (dataset->TestCapability(ODsCTransactions)) {
            if (dataset->StartTransaction() != OGRERR_NONE) fail("cannot start a transaction", errors);
            in_transaction = true;
        }
    }

    void finish_layer() {
        if (in_transaction) {
            GdalErrorCapture errors;
            in_transaction = false;
            if (dataset->CommitTransaction() != OGRERR_NONE) fail("cannot commit the layer", errors);
        }
        layer = nullptr;
    }

    void require_layer(OGRwkbGeometryType type, const char* what) const {
        if (!layer) throw output_error(std::string("a ") + what + " was added before begin_layer()", where());
        if (type != wkbNone && type != geometry_type)
            throw output_error(
                std::string("a ") + what + " cannot go into a layer of " + OGRGeometryTypeToName(geometry_type),
                where());
    }

    /// QGIS's `layer_styles` table, in the layout QGIS itself creates in a
    /// GeoPackage, with one default style per styled layer. The old rows of
    /// the layers written here go, styled now or not, since they described
    /// the replaced layers; the rows of kept layers stay.
    void write_styles() {
        if (ogr_driver != "GPKG") return;
        for (const LayerStyle& style : styles)
            if (!contains_name(written_layers, style.layer))
                throw output_error("a style was given for layer '" + style.layer + "', which was not written",
                                   detail::in_file(shown_path));
        GdalErrorCapture errors;
        layer_name = "layer_styles";
        layer = dataset->GetLayerByName(layer_name.c_str());  // kept from an existing GeoPackage
        if (layer) remove_styles_of_written_layers(errors);
        if (!styles.empty()) {
            if (!layer) create_style_table(errors);
            add_styles(errors);
        }
        layer = nullptr;
    }

    void remove_styles_of_written_layers(const GdalErrorCapture& errors) {
        const int name_field = layer->GetLayerDefn()->GetFieldIndex("f_table_name");
        if (name_field < 0) fail("is not QGIS's table of styles (no field f_table_name)", errors);
        std::vector<GIntBig> replaced;
        layer->ResetReading();
        for (const auto& row : *layer)
            if (contains_name(written_layers, row->GetFieldAsString(name_field))) replaced.push_back(row->GetFID());
        for (GIntBig fid : replaced)
            if (layer->DeleteFeature(fid) != OGRERR_NONE)
                throw output_error("cannot remove an old style: " + reason(errors), detail::at_fid(where(), fid));
    }

    void create_style_table(const GdalErrorCapture& errors) {
        struct Column {
            const char* name;
            OGRFieldType type;
            int width;
            OGRFieldSubType subtype;
        };
        static const Column columns[] = {
            {"f_table_catalog", OFTString, 256, OFSTNone}, {"f_table_schema", OFTString, 256, OFSTNone},
            {"f_table_name", OFTString, 256, OFSTNone},    {"f_geometry_column", OFTString, 256, OFSTNone},
            {"styleName", OFTString, 30, OFSTNone},        {"styleQML", OFTString, 0, OFSTNone},
            {"styleSLD", OFTString, 0, OFSTNone},          {"useAsDefault", OFTInteger, 0, OFSTBoolean},
            {"description", OFTString, 0, OFSTNone},       {"owner", OFTString, 30, OFSTNone},
            {"ui", OFTString, 30, OFSTNone},               {"update_time", OFTDateTime, 0, OFSTNone}};
        CPLStringList options;
        options.SetNameValue("FID", "id");
        layer = dataset->CreateLayer(layer_name.c_str(), nullptr, wkbNone, options.List());
        if (!layer) fail("cannot create the table", errors);
        for (const Column& column : columns) {
            OGRFieldDefn definition(column.name, column.type);
            definition.SetWidth(column.width);
            definition.SetSubType(column.subtype);
            if (layer->CreateField(&definition) != OGRERR_NONE)
                throw output_error("cannot create the field: " + reason(errors),
                                   detail::at_field(where(), column.name));
        }
    }

    void add_styles(const GdalErrorCapture& errors) {
        const std::time_t now = std::time(nullptr);
        std::tm utc{};
        gmtime_r(&now, &utc);
        std::int64_t row = 0;
        for (const LayerStyle& style : styles) {
            OGRLayer* styled = dataset->GetLayerByName(style.layer.c_str());
            detail::FeaturePtr feature(OGRFeature::CreateFeature(layer->GetLayerDefn()));
            feature->SetField("f_table_catalog", "");
            feature->SetField("f_table_schema", "");
            feature->SetField("f_table_name", styled->GetName());
            feature->SetField("f_geometry_column", styled->GetGeometryColumn());
            feature->SetField("styleName", style.layer.substr(0, 30).c_str());
            feature->SetField("styleQML", style.qml.c_str());
            feature->SetField("styleSLD", "");
            feature->SetField("useAsDefault", 1);
            feature->SetField("description", "written by placedef " PDEF_VERSION);
            feature->SetField("owner", "");
            feature->SetField("update_time", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min,
                              static_cast<float>(utc.tm_sec), 100);  // 100: UTC
            if (layer->CreateFeature(feature.get()) != OGRERR_NONE)
                throw output_error("cannot write the style of layer '" + style.layer + "': " + reason(errors),
                                   detail::at_fid(where(), ++row));
        }
    }

    void write(OGRGeometry* geometry, const std::vector<FieldValue>& values) {
        detail::GeometryPtr<> owned(geometry);
        // A cancelled run stops here too; the staged file is then discarded.
        if (written % 256 == 255) check_cancelled();
        const Location feature_where = detail::at_fid(where(), written + 1);
        if (values.size() != field_count)
            throw output_error(std::to_string(values.size()) + " values for " + std::to_string(field_count) + " fields",
                               feature_where);
        detail::FeaturePtr feature(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        if (owned) feature->SetGeometryDirectly(owned.release());
        for (std::size_t i = 0; i < values.size(); ++i)
            std::visit(FieldSetter{*feature, static_cast<int>(i)}, values[i]);
        GdalErrorCapture errors;
        if (layer->CreateFeature(feature.get()) != OGRERR_NONE)
            throw output_error("cannot write the feature: " + reason(errors), feature_where);
        ++written;
    }
};

VectorWriter::VectorWriter(const std::string& path) : m_impl(std::make_unique<Impl>()) {
    detail::register_gdal_drivers();
    m_impl->path = path;
    m_impl->shown_path = detail::without_password(path);
    const char* driver = driver_for(path);
    if (!driver)
        throw output_error("cannot tell the format from the name; use .gpkg, .shp, .geojson, .json, .fgb or PG:",
                           detail::in_file(m_impl->shown_path));
    m_impl->ogr_driver = driver;
    m_impl->open(driver);
}

VectorWriter::~VectorWriter() {
    if (m_impl) m_impl->abandon();  // after a successful close() there is nothing left to abandon
}

void VectorWriter::begin_layer(const std::string& name, const std::string& crs, LayerKind kind,
                               const std::vector<OutputField>& fields) {
    m_impl->start_layer(name, crs, kind == LayerKind::polygon ? wkbMultiPolygon : wkbPoint, fields);
}

void VectorWriter::begin_table(const std::string& name, const std::vector<OutputField>& fields) {
    m_impl->start_layer(name, {}, wkbNone, fields);
}

void VectorWriter::add(const MultiPolygon& shape, const std::vector<FieldValue>& values) {
    m_impl->require_layer(wkbMultiPolygon, "polygon");
    m_impl->write(to_ogr(shape), values);
}

void VectorWriter::add(const Coord& point, const std::vector<FieldValue>& values) {
    m_impl->require_layer(wkbPoint, "point");
    m_impl->write(new OGRPoint(point.x, point.y), values);
}

void VectorWriter::add(const std::vector<FieldValue>& values) {
    m_impl->require_layer(wkbNone, "row");
    m_impl->write(nullptr, values);
}

void VectorWriter::begin_line_layer(const std::string& name, const std::string& crs, const std::vector<OutputField>& fields) {
    m_impl->start_layer(name, crs, wkbMultiLineString, fields);
}

void VectorWriter::add_lines(const std::vector<std::vector<Coord>>& lines, const std::vector<FieldValue>& values) {
    m_impl->require_layer(wkbMultiLineString, "line");
    if (lines.empty()) {
        m_impl->write(nullptr, values);
        return;
    }
    auto* multi = new OGRMultiLineString;
    for (const std::vector<Coord>& line : lines) {
        auto* part = new OGRLineString;
        part->setNumPoints(static_cast<int>(line.size()), FALSE);
        int i = 0;
        for (const Coord& c : line) part->setPoint(i++, c.x, c.y);
        multi->addGeometryDirectly(part);
    }
    m_impl->write(multi, values);
}

void VectorWriter::set_style(const std::string& layer_name, const std::string& qml) {
    for (LayerStyle& style : m_impl->styles)
        if (style.layer == layer_name) {
            style.qml = qml;
            return;
        }
    m_impl->styles.push_back({layer_name, qml});
}

void VectorWriter::close() {
    Impl& impl = *m_impl;
    if (!impl.dataset) return;
    try {
        impl.finish_layer();
        impl.write_styles();
        GdalErrorCapture errors;
        impl.dataset.reset();  // GDALClose writes what is still buffered
        if (errors.failed())
            throw output_error("could not be completed: " + impl.reason(errors), detail::in_file(impl.shown_path));
        if (impl.staged)
            impl.staged->commit(impl.ogr_driver == "ESRI Shapefile" ? shapefile_side_extensions
                                                                    : std::vector<std::string>{});
    } catch (...) {
        impl.abandon();
        throw;
    }
}

void write_records_table(VectorWriter& writer, const std::string& name, const Records& records) {
    writer.begin_table(name, records.fields);
    for (const std::vector<FieldValue>& row : records.rows) writer.add(row);
}

}  // namespace io
}  // namespace placedef
