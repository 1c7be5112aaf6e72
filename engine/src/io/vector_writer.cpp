#include "placedef/error.hpp"
#include "placedef/io.hpp"

#include "io/detail/gdal_handles.hpp"
#include "core/location.hpp"
#include "core/text.hpp"

#include <cpl_string.h>

#include <cmath>
#include <ctime>
#include <filesystem>

namespace placedef {

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
    std::string path;        ///< as given, for GDAL
    std::string shown_path;  ///< password removed, for messages
    std::string ogr_driver;  ///< name of the OGR driver writing the dataset
    std::vector<LayerStyle> styles;  ///< written by close()
    detail::DatasetPtr dataset;
    OGRLayer* layer = nullptr;
    std::string layer_name;
    OGRwkbGeometryType geometry_type = wkbNone;
    std::size_t field_count = 0;
    std::int64_t written = 0;
    bool in_transaction = false;

    Location where() const { return detail::in_file(shown_path, layer_name); }

    [[noreturn]] void fail(const std::string& what, const GdalErrorCapture& errors) const {
        throw output_error(what + ": " + errors.message(), where());
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
        VSIStatBufL status;
        if (VSIStatExL(path.c_str(), &status, VSI_STAT_EXISTS_FLAG) == 0) {
            // The driver also removes side files (.shx, .dbf, ...); a file it
            // does not recognise is simply unlinked.
            if (driver->Delete(path.c_str()) != CE_None && VSIUnlink(path.c_str()) != 0)
                fail("exists and cannot be replaced", errors);
            errors.clear();
        }
        dataset.reset(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!dataset) fail("cannot be created", errors);
    }

    void start_layer(const std::string& name, const std::string& crs, OGRwkbGeometryType type,
                     const std::vector<OutputField>& fields) {
        finish_layer();
        layer_name = name;
        written = 0;
        GdalErrorCapture errors;
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
        for (const OutputField& field : fields) {
            OGRFieldDefn definition(field.name.c_str(), ogr_type(field.type));
            if (layer->CreateField(&definition) != OGRERR_NONE)
                throw output_error("cannot create the field: " + errors.message(),
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
    /// GeoPackage, with one default style per styled layer.
    void write_styles() {
        // Taken out first, so that the destructor's close() after a failure does not retry.
        const std::vector<LayerStyle> pending = std::move(styles);
        styles.clear();
        if (pending.empty() || ogr_driver != "GPKG") return;
        for (const LayerStyle& style : pending)
            if (!dataset->GetLayerByName(style.layer.c_str()))
                throw output_error("a style was given for layer '" + style.layer + "', which was not written",
                                   detail::in_file(shown_path));
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
        layer_name = "layer_styles";
        GdalErrorCapture errors;
        layer = dataset->CreateLayer(layer_name.c_str(), nullptr, wkbNone, options.List());
        if (!layer) fail("cannot create the table", errors);
        for (const Column& column : columns) {
            OGRFieldDefn definition(column.name, column.type);
            definition.SetWidth(column.width);
            definition.SetSubType(column.subtype);
            if (layer->CreateField(&definition) != OGRERR_NONE)
                throw output_error("cannot create the field: " + errors.message(), detail::at_field(where(), column.name));
        }
        const std::time_t now = std::time(nullptr);
        std::tm utc{};
        gmtime_r(&now, &utc);
        std::int64_t row = 0;
        for (const LayerStyle& style : pending) {
            OGRLayer* styled = dataset->GetLayerByName(style.layer.c_str());
            detail::FeaturePtr feature(OGRFeature::CreateFeature(layer->GetLayerDefn()));
            feature->SetField("f_table_catalog", "");
            feature->SetField("f_table_schema", "");
            feature->SetField("f_table_name", style.layer.c_str());
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
                throw output_error("cannot write the style of layer '" + style.layer + "': " + errors.message(),
                                   detail::at_fid(where(), ++row));
        }
        layer = nullptr;
    }

    void write(OGRGeometry* geometry, const std::vector<FieldValue>& values) {
        detail::GeometryPtr<> owned(geometry);
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
            throw output_error("cannot write the feature: " + errors.message(), feature_where);
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
    try {
        close();
    } catch (...) {
        // A destructor cannot report; callers who care call close().
    }
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

void VectorWriter::set_style(const std::string& layer_name, const std::string& qml) {
    for (LayerStyle& style : m_impl->styles)
        if (style.layer == layer_name) {
            style.qml = qml;
            return;
        }
    m_impl->styles.push_back({layer_name, qml});
}

void VectorWriter::close() {
    if (!m_impl || !m_impl->dataset) return;
    m_impl->finish_layer();
    m_impl->write_styles();
    GdalErrorCapture errors;
    m_impl->dataset.reset();  // GDALClose writes what is still buffered
    if (errors.failed())
        throw output_error("could not be completed: " + errors.message(), detail::in_file(m_impl->shown_path));
}

}  // namespace placedef
