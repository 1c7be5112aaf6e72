// Reading layers and tables, writing results. The only module that talks to
// GDAL/PROJ. Layers are reprojected once, here, to the study CRS.
#pragma once

#include "placedef/error.hpp"
#include "placedef/layer.hpp"
#include "placedef/problems.hpp"
#include "placedef/shapes.hpp"
#include "placedef/table.hpp"

#include <cstdint>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace placedef {

namespace detail {
class StagedOutput;
}

inline namespace io {

/// `path[:layer][@code_column]`, as written on the command line.
/// The split is decided by the file system: `a.gpkg:lsoa` names layer `lsoa`
/// only when `a.gpkg` exists (or the path is a `PG:` connection string), so
/// file names that contain ':' still work. `@code` is taken when the text
/// after the last '@' is a plain column name.
struct LayerAddress {
    std::string path;
    std::string layer;        ///< empty: the dataset's only (or first) layer
    std::string code_column;  ///< empty: guessed
    std::string label_column;  ///< column of unit names, after the code: `@CODE,NAME`; empty: guessed
    static LayerAddress parse(std::string_view text);
    std::string to_string() const;
};

struct ReadOptions {
    /// CRS every layer is reprojected to. Must be projected (metres) and keep
    /// areas over the layer (check_area_crs): a geographic CRS is refused
    /// because areas are never computed in degrees, and one that distorts
    /// area (Web Mercator) because its square metres are not square metres.
    std::string study_crs = "EPSG:27700";
    /// CRS assumed for a source that declares none. Empty: such a source is refused.
    std::string assume_crs;
    InvalidPolicy invalid = InvalidPolicy::repair;
    /// Polygons or points expected; a layer of the other kind is refused.
    LayerKind expect = LayerKind::polygon;
    /// Worker threads for validation and repair (0: all cores).
    unsigned threads = 0;
    /// Point layers only: keep features with a null or empty geometry (with
    /// Feature::located false, and reported as kept) instead of skipping them,
    /// for callers that must account for each one by name (GP practices).
    bool keep_unlocated_points = false;
};

/// Reads a layer and reprojects it to the study CRS. Features with a null or
/// empty geometry or of the wrong geometry type are skipped (repair, skip) or
/// fail the read (fail), and each goes to `problems`; an empty code is replaced
/// by "<layer>#<fid>" under repair. Polygons are returned as read: validity,
/// repair and duplicate codes are the geometry module's check_layer (see
/// load_layer). Throws io_error (cannot open, corrupt) or invalid_input (no
/// such layer, missing or ambiguous code column, no CRS, a study CRS that is
/// geographic or distorts area over the layer (check_area_crs), wrong kind of
/// layer).
Layer read_layer(const LayerAddress& address, const ReadOptions& options, ProblemSink& problems);

/// One feature given in memory (the C API's and Python's layers): its code
/// and its geometry as WKB or EWKB, null for none. The bytes are the caller's.
struct WkbFeature {
    std::string code;
    const unsigned char* wkb = nullptr;
    std::size_t size = 0;
    std::string name;  ///< the unit's name, for tables and labels ("" = none)
};

/// Features given as WKB, read by read_layer's rules: the same problems
/// (empty, null, corrupt or curved geometry, wrong type, empty code, outside
/// the CRS's area of use), the same policy and the same reprojection. The
/// layer is named `name` (also its source); `crs` is the CRS of the
/// coordinates. fid is the feature's index. Throws invalid_input, naming the
/// feature, for bytes after a geometry and for an EWKB SRID that is not `crs`.
Layer read_wkb_layer(const std::string& name, const std::string& crs, const std::vector<WkbFeature>& features,
                     const ReadOptions& options, ProblemSink& problems);

/// The layout of WKB (ISO or extended, either byte order), walked without
/// reading coordinates.
struct WkbLayout {
    bool ok = false;                      ///< false: bytes the walk cannot follow
    std::size_t end = 0;                  ///< bytes the geometry takes
    std::optional<std::uint32_t> srid;    ///< the EWKB SRID of the outer head
    std::vector<std::size_t> srid_heads;  ///< offsets of the heads that carry an SRID
};
WkbLayout wkb_layout(const unsigned char* data, std::size_t size);
/// "WKB of N bytes has M trailing bytes after the geometry, from byte
/// offset E" when bytes follow a geometry the walk could follow (a second
/// geometry, or a buffer cut wrong, that a parser would silently ignore).
std::optional<std::string> trailing_bytes(const WkbLayout& layout, std::size_t size);
/// The same bytes with every EWKB SRID taken out (GDAL reads EWKB's Z and M
/// flags but not its SRID).
std::vector<unsigned char> without_srid(const unsigned char* data, std::size_t size, const WkbLayout& layout);

/// The code and name columns of a table of features (its column `names` and
/// its `rows` of text), chosen as read_layer chooses them for a layer: the
/// address's columns when given, else the code guessed (the one column ending
/// in "CD" whose values are all present and unique) and the names guessed
/// (the code column with "CD" made "NM", else "name"; none is fine). Front ends
/// that hold a table of their own (a GeoDataFrame) use it before they make a
/// layer from WKB. Throws invalid_input as read_layer does, naming
/// `address.path` and how to name the column.
struct ChosenColumns {
    std::size_t code = 0;
    bool code_guessed = false;
    std::optional<std::size_t> label;
    bool label_guessed = false;
};
ChosenColumns choose_columns(const LayerAddress& address, const std::vector<std::string>& names,
                             const std::vector<std::vector<std::string>>& rows);

/// Takes the units' names (Feature::name) from attribute `column` of `layer`,
/// trimmed, as read_layer does with a label column; `guessed` is recorded in
/// Layer::label_column_guessed. Throws invalid_input naming the layer and its
/// columns when it has no such column (exact, then case-insensitive match).
void set_label_column(Layer& layer, const std::string& column, bool guessed = false);

/// Names of the layers in a dataset.
std::vector<std::string> list_layers(const std::string& path);

// ---- the study CRS --------------------------------------------------------------
// Areas are measured in the study CRS, so it must keep them: projected, in
// metres, and with an area scale close to 1 where the data are. Every layer
// is checked when it is loaded (read_layer, and layers made from WKB through
// Reprojection).

/// The area error a study CRS may have over the data by default: 0.5 %.
constexpr double default_max_area_error = 0.005;

/// How much `study_crs` distorts area over `extent` (in study CRS units): the
/// largest |areal scale - 1| of its map projection (PROJ's proj_factors) at a
/// 5 x 5 grid of points spanning the extent (corners, edge midpoints, centre).
/// 0 for an equal-area CRS. Throws invalid_input as check_area_crs does for a
/// CRS that is not projected in metres, an extent that is empty or not finite,
/// or a grid point the CRS cannot take to longitude and latitude.
double area_distortion(const std::string& study_crs, const Box& extent);

/// Throws invalid_input when `study_crs` cannot be used to measure areas over
/// `extent` (in study CRS units): not a CRS, geographic, not projected in
/// metres, or its area distortion over the extent (area_distortion) above
/// `max_area_error`. The message names the CRS, the distortion as a
/// percentage and a CRS to use instead: EPSG:27700 when the data lie in its
/// area of use (Great Britain) and it keeps areas there, otherwise a Lambert
/// azimuthal equal-area projection centred on the data, as a PROJ string.
/// An empty extent (a layer without located features) checks the CRS alone.
void check_area_crs(const std::string& study_crs, const Box& extent,
                    double max_area_error = default_max_area_error);

/// Taking features from a source CRS to the study CRS: the one path by which
/// layers reach it, from files (read_layer) and from WKB (the C API). Made
/// once per layer; apply() reprojects each feature and keeps the extent of
/// what it was given, check_area() then checks the study CRS over it.
/// How far, in degrees, coordinates may lie beyond a CRS's area of use
/// before they are reported: generous, as areas of use are drawn tight.
constexpr double area_of_use_margin = 1.0;

class Reprojection {
public:
    /// `source_crs` and `study_crs` as GDAL reads them: "EPSG:4326", WKT, a
    /// PROJ string. Throws invalid_input when the study CRS is not a projected
    /// CRS in metres, the source CRS is not a CRS, or no transformation
    /// between them exists; errors from here on name `where` (the layer).
    Reprojection(const std::string& source_crs, const std::string& study_crs, const Location& where = {});
    struct Impl;
    explicit Reprojection(std::unique_ptr<Impl> impl);  ///< io's own (read_layer)
    Reprojection(Reprojection&&) noexcept;
    Reprojection& operator=(Reprojection&&) noexcept;
    ~Reprojection();

    /// The source CRS as "EPSG:4326", or its name when it has no code.
    const std::string& source_label() const;
    /// Moves the coordinates to the study CRS, in place (nothing to do when
    /// the source is the study CRS). When PROJ cannot transform them
    /// (coordinates outside the source CRS), returns why, as a problem detail
    /// naming both CRSs, and leaves them undefined.
    std::optional<std::string> apply(MultiPolygon& shape);
    std::optional<std::string> apply(Coord& point);
    /// When coordinates were to be transformed and none could be: the reason
    /// for the first, as the CRS is then wrong rather than a feature.
    std::optional<std::string> nothing_transformed() const;
    /// Why a feature whose bounding box in the source CRS is `source_box`
    /// lies outside the area of use PROJ gives the source CRS or the study CRS
    /// (widened by area_of_use_margin degrees), or nothing when it lies within
    /// both or a CRS names no area.
    std::optional<std::string> outside_area_of_use(const Box& source_box) const;
    /// Why a layer whose extent in the source CRS is `source_extent` looks
    /// like longitude and latitude under a projected CRS (every coordinate
    /// within +-180, +-90), or nothing.
    std::optional<std::string> looks_like_degrees(const Box& source_extent) const;
    /// check_area_crs over the extent of the features apply() returned in the
    /// study CRS, leaving out corrupt ones (a coordinate that is not finite,
    /// beyond max_coordinate or nonzero below min_coordinate, which
    /// check_layer skips). Nothing to check when there are none.
    void check_area(double max_area_error = default_max_area_error) const;

private:
    std::unique_ptr<Impl> m_impl;
};

/// Coordinates of the study CRS as longitude and latitude (WGS 84, EPSG:4326,
/// in that order), for web maps, which draw in degrees. Throws invalid_input
/// when no transformation from `crs` exists.
class LonLatTransform {
public:
    explicit LonLatTransform(const std::string& crs);
    LonLatTransform(LonLatTransform&&) noexcept;
    ~LonLatTransform();
    /// In place; returns false when PROJ cannot transform a coordinate.
    bool apply(std::vector<Coord>& points) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// Whether a table's key must be unique (a lookup) or may repeat (a list of
/// records, such as patients by practice and LSOA).
enum class KeyRule { unique, repeated };

/// Reads a delimited text table (CSV; RFC 4180 quoting; UTF-8 BOM and CRLF
/// accepted). `key_column` empty: the first column. Throws io_error when the
/// file cannot be read, invalid_input on a missing key column, an empty key,
/// or a duplicate key under KeyRule::unique (naming the line). With repeated
/// keys, Table::row_of finds the first row.
Table read_table(const std::string& path, const std::string& key_column = {}, KeyRule keys = KeyRule::unique);
/// The header of a delimited text table (its column names), with the same
/// checks and errors as read_table's.
std::vector<std::string> read_table_columns(const std::string& path);

/// Values of `column` for each feature of `layer`, joined on the feature code.
/// A unit with no row gets `missing_value` and a missing_key problem; a cell
/// that is not a number throws invalid_input naming file, line, column and value.
std::vector<double> join_numeric(const Layer& layer, const Table& table, const std::string& column,
                                 ProblemSink& problems, double missing_value = 0.0);

/// Named places (e.g. town centres) from a CSV: a name column (name, town or
/// place) and coordinates as lon/lat (longitude/latitude; EPSG:4326 unless
/// `crs` says otherwise) or x/y (easting/northing; the study CRS unless `crs`
/// says otherwise), reprojected to the study CRS. Returns a point layer whose
/// codes are the names. Throws invalid_input naming the file, line and
/// column for a missing column, an empty name, a name given twice (both lines)
/// or a value that is not a number.
Layer read_places(const std::string& path, const std::string& crs, const std::string& study_crs = "EPSG:27700");

enum class FieldType { text, integer, real };

struct OutputField {
    std::string name;
    FieldType type = FieldType::text;
};

/// A cell of an output record; monostate writes NULL.
using FieldValue = std::variant<std::monostate, std::int64_t, double, std::string>;

/// How a table's numbers are written: in full for programs (shares 0 to 1,
/// areas in m², full precision), or for people (`--readable`: shares as
/// percentages and areas in hectares, both to one decimal; people whole).
enum class NumberForm { full, readable };

/// What a number of a table measures, which sets its readable form.
enum class Quantity {
    share,    ///< 0 to 1; readable: percent, column `<name>_pct`
    area_m2,  ///< square metres; readable: hectares, column `..._ha` for `..._m2`
    people,   ///< a count of people; readable: rounded to whole people
};

/// The column name of a quantity named `name` (its full form) in `form`.
std::string quantity_column(const std::string& name, Quantity quantity, NumberForm form);
/// The cell of `value` in `form`; NaN is an empty cell.
FieldValue quantity_value(double value, Quantity quantity, NumberForm form);

/// A QGIS style for one layer of an output (see VectorWriter::set_style).
struct LayerStyle {
    std::string layer;  ///< name of the output layer
    std::string qml;    ///< QGIS style document (QML), e.g. from render.hpp
};

/// Writes features to anything OGR writes; the driver follows the path:
/// `.gpkg` GeoPackage, `.shp` Shapefile, `.geojson`/`.json` GeoJSON, `.fgb`
/// FlatGeobuf, `PG:` PostGIS. Several layers may go into one GeoPackage.
/// Every failure throws output_error naming path and layer.
///
/// Files are written under a temporary name in the target's folder and
/// renamed over the target by close(), so that a failed or killed run leaves
/// the previous output as it was. An existing GeoPackage keeps its other
/// layers and their styles, since one file often gathers a user's layers:
/// only the layers written here (and their rows of `layer_styles`) are
/// replaced; a file there that is not a GeoPackage is refused, not replaced.
/// The single-layer formats are replaced whole (a Shapefile file by file).
/// `PG:` is written in place, a layer per transaction.
class VectorWriter {
public:
    explicit VectorWriter(const std::string& path);
    /// Without a successful close(), removes what was written: the target
    /// keeps its previous content (or stays absent).
    ~VectorWriter();
    VectorWriter(const VectorWriter&) = delete;
    VectorWriter& operator=(const VectorWriter&) = delete;

    /// Starts a layer; `crs` like "EPSG:27700" (empty with LayerKind-less tables).
    void begin_layer(const std::string& name, const std::string& crs, LayerKind kind,
                     const std::vector<OutputField>& fields);
    /// Starts a layer with no geometry (an attribute table).
    void begin_table(const std::string& name, const std::vector<OutputField>& fields);
    void add(const MultiPolygon& shape, const std::vector<FieldValue>& values);
    void add(const Coord& point, const std::vector<FieldValue>& values);
    void add(const std::vector<FieldValue>& values);  ///< tables
    /// Starts a layer of (multi) lines, e.g. shared boundaries.
    void begin_line_layer(const std::string& name, const std::string& crs, const std::vector<OutputField>& fields);
    /// One feature of a line layer: its lines (each two points or more); no
    /// lines writes the feature without geometry.
    void add_lines(const std::vector<std::vector<Coord>>& lines, const std::vector<FieldValue>& values);
    /// Attaches a QGIS style to layer `layer_name`, written by close() as
    /// that layer's default style. GeoPackage: a row of the `layer_styles`
    /// table, which QGIS reads when it opens the layer, so that it opens with
    /// the style's colours and labels. Other formats have no place that QGIS
    /// reads styles from and leave it out. A second call for the same layer
    /// replaces the style. close() throws output_error when no layer of that
    /// name was written by this writer.
    void set_style(const std::string& layer_name, const std::string& qml);
    /// Commits, closes and puts the output in place of the target. After a
    /// failure nothing of this writer's output is left, and a second call does nothing.
    void close();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// A file written whole or not at all (CSV tables, maps, the study report):
/// the bytes go to a temporary file beside the target, which close() renames
/// over it, so that a failed, cancelled or killed run leaves the previous
/// file as it was. "-" is standard output, written as it goes.
class FileWriter {
public:
    /// Throws output_error naming `path` when the temporary file cannot be made.
    explicit FileWriter(const std::string& path);
    /// Without a successful close(), removes the temporary file.
    ~FileWriter();
    FileWriter(const FileWriter&) = delete;
    FileWriter& operator=(const FileWriter&) = delete;
    /// Where to write; a stream in a failed state makes close() throw.
    std::ostream& stream();
    /// Flushes and puts the file in place of the target; throws output_error
    /// when the disk refused the data (the target is then left as it was).
    void close();
    bool closed() const { return m_out == nullptr; }
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
    std::unique_ptr<detail::StagedOutput> m_staged;  ///< the temporary file; null for standard output
    std::ofstream m_file;
    std::ostream* m_out = nullptr;
};

/// CSV output with RFC 4180 quoting and round-trip formatting of numbers.
/// Like VectorWriter, a file is written under a temporary name beside the
/// target and replaces it only in close(); standard output is written as it goes.
class CsvWriter {
public:
    /// Opens `path` for writing ("-" is standard output); throws output_error.
    explicit CsvWriter(const std::string& path);
    /// Without a successful close(), removes the temporary file: the target is left as it was.
    ~CsvWriter();
    CsvWriter(const CsvWriter&) = delete;
    CsvWriter& operator=(const CsvWriter&) = delete;
    void header(const std::vector<std::string>& names);
    /// A text cell, with csv_guard's apostrophe before a formula start
    /// (placedef/text.hpp; read_table takes it off again).
    CsvWriter& cell(const std::string& text);
    CsvWriter& cell(double value);        ///< shortest text that reads back the same
    CsvWriter& cell(std::int64_t value);
    CsvWriter& cell(std::size_t value) { return cell(static_cast<std::int64_t>(value)); }
    CsvWriter& cell(int value) { return cell(static_cast<std::int64_t>(value)); }
    CsvWriter& cell(const char* text) { return cell(std::string(text)); }
    CsvWriter& cell(const FieldValue& value);  ///< monostate writes an empty cell
    void end_row();
    /// Flushes and puts the file in place of the target; throws output_error
    /// when the disk refused the data (the target is then left as it was).
    void close();

private:
    CsvWriter& put(const std::string& text);  ///< the cell as it is, quoted where needed
    FileWriter m_file;
    bool m_row_started = false;
    std::size_t m_rows_written = 0;
    std::string m_buffer;
};

/// A table as both writers take it: named, typed columns and rows of values
/// (a CSV file, or a table of a GeoPackage).
struct Records {
    std::vector<OutputField> fields;
    std::vector<std::vector<FieldValue>> rows;
};
/// Writes the records as a CSV file, a header row of the field names first.
void write_records_csv(const Records& records, const std::string& path);
/// Writes the records as a table (no geometry) `name` of the writer's output.
void write_records_table(VectorWriter& writer, const std::string& name, const Records& records);

/// An output a command will write: a file, "-" (standard output) or a `PG:` connection.
struct OutputTarget {
    std::string path;
    /// GeoPackage only: the layers written into it. Empty: the whole file is
    /// taken as written (and so any input in it as overwritten).
    std::vector<std::string> layers;
};

/// Checks, before any work, that the outputs can be written without
/// destroying an input or each other, so that a run does not fail (or
/// overwrite a source) only at its end. Throws output_error naming the output
/// path when an output
///  - is the same file as an input (resolved paths, links followed), unless it
///    is a GeoPackage written layer by layer and none of those layers is read
///    from it ("would overwrite input layer 'x' of 'f.gpkg'"); an input that
///    names no layer counts as reading every layer of its file;
///  - is the same file as another output, unless both write different layers
///    of one GeoPackage;
///  - is a folder, or its folder does not exist or does not accept new files
///    (tried by creating and removing the temporary file a writer would use).
/// `inputs` are layer addresses (`path[:layer][@column]`, see LayerAddress)
/// or table paths. "-", `PG:` and GDAL's `/vsi...` are not files and are not checked.
void check_outputs(const std::vector<std::string>& inputs, const std::vector<OutputTarget>& outputs);

/// True for "-" (standard output) and paths ending in ".csv": where the
/// writers of tables choose CSV over a vector format.
bool is_csv_path(const std::string& path);
/// True for paths ending in .png, .svg or .pdf (any case): where a job draws a map.
bool is_map_path(const std::string& path);

/// A double as the shortest decimal text that parses back to the same value.
std::string format_number(double value);

}  // namespace io
}  // namespace placedef
