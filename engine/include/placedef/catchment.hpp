// PCN footprints: areas drawn for Primary Care Networks from their member
// practices' locations, since NHS England publishes membership, never a
// boundary. Three methods:
//  - voronoi: Thiessen cells of the practices' sites (practices at one
//    address merged first), dissolved by PCN and clipped to the clip area;
//  - blocks: each building block (e.g. LSOA) goes to the PCN holding most of
//    it under the Voronoi partition (or to its nearest practice's PCN), and
//    blocks are dissolved by PCN, so footprints nest in the statistical
//    geography that ICBs report on;
//  - registered: each block goes to the PCN whose practices have the most
//    patients registered from it (NHS Digital's "patients registered at a GP
//    practice by LSOA" table), as health analysts do where the data exists.
// Every practice is accounted for: used, without a location, unallocated to a
// PCN, outside the clip area, or sharing a site with another PCN's practice.
#pragma once

#include "placedef/layer.hpp"
#include "placedef/overlay.hpp"
#include "placedef/problems.hpp"

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace placedef {
inline namespace catchment {

enum class PcnMethod { voronoi, blocks, registered };
const char* to_string(PcnMethod method);
/// "voronoi" | "blocks" | "registered"; throws invalid_input otherwise.
PcnMethod pcn_method_from_string(const std::string& text);

/// Columns of the practices layer (its code column is the practice code).
struct PracticeColumns {
    std::string pcn_code = "PCN_CODE";
    std::string pcn_name = "PCN_NAME";
    std::string practice_name = "PRACTICE_NAME";
};

/// Patients registered at each practice from each block (NHS Digital
/// "gp-reg-pat-prac-lsoa": PRACTICE_CODE, LSOA_CODE, NUMBER_OF_PATIENTS).
struct RegisteredPatients {
    std::vector<std::string> practice;
    std::vector<std::string> block;
    std::vector<double> patients;
    std::string source;
};

/// Reads the registered-patients CSV. Columns, case-insensitive: the practice
/// (PRACTICE_CODE), the block (LSOA_CODE, or LSOA11CD / LSOA21CD / LSOA_CD),
/// the count (NUMBER_OF_PATIENTS, or PATIENTS); an optional SEX column keeps
/// only rows "ALL" when the file has them (otherwise male and female rows are
/// added). Other columns are ignored. Throws invalid_input naming the file,
/// line and column for a missing column or a count that is not a number.
RegisteredPatients read_registered_patients(const std::string& path);

struct PcnOptions {
    PcnMethod method = PcnMethod::voronoi;
    PracticeColumns columns;
    /// PCN codes that mean "in no PCN" (NHS Digital uses "U", "Unallocated").
    std::vector<std::string> unallocated = {"U"};
    /// Units of the clip layer that make the clip area (empty: all of them).
    std::vector<std::string> clip_codes;
    /// Practices closer than this (metres) share one site: one Voronoi cell.
    double same_site = 1.0;
    /// blocks: give each block to its nearest site's PCN instead of the PCN
    /// holding most of it under the Voronoi partition.
    bool nearest_practice = false;
    const RegisteredPatients* registered = nullptr;  ///< registered: required
    const PopulationSource* population = nullptr;    ///< population per footprint
    unsigned threads = 0;
};

enum class PracticeStatus {
    used,              ///< its site's cell went to its PCN
    no_location,       ///< no geometry: cannot be placed
    unallocated,       ///< in no PCN
    outside_clip,      ///< its location lies outside the clip area
    shares_site,       ///< at one site with practices of another PCN, which took the cell
};
const char* to_string(PracticeStatus status);

struct PracticeReport {
    std::string code;
    std::string name;
    std::string pcn;
    PracticeStatus status = PracticeStatus::used;
};

struct PcnFootprint {
    std::string code;
    std::string name;
    std::size_t practices = 0;  ///< member practices placed inside the clip area
    MultiPolygon shape;
    double area_m2 = 0;
    std::size_t parts = 0;      ///< a footprint in several pieces stays one multipolygon
    double population = std::numeric_limits<double>::quiet_NaN();
};

/// How a block was assigned (blocks and registered methods).
struct BlockAssignment {
    std::string block;
    std::string pcn;
    double share = 0;  ///< of the block's area (voronoi majority) or of its registered patients
    std::string how;   ///< "voronoi majority", "nearest practice", "registered patients", "no patients: voronoi majority"
};

struct PcnResult {
    PcnMethod method = PcnMethod::voronoi;
    std::vector<PcnFootprint> footprints;  ///< sorted by PCN code
    std::vector<PracticeReport> practices; ///< every practice of the layer, in layer order
    std::vector<BlockAssignment> blocks;   ///< blocks and registered methods, by block code
    /// PCNs with located, allocated practices none of which lies in the clip area.
    std::vector<std::pair<std::string, std::string>> pcns_outside;  ///< code, name
    std::size_t sites = 0;          ///< distinct practice sites used
    double clip_area = 0;           ///< m²
    double covered_area = 0;        ///< of the clip area, inside some footprint
    double footprint_area = 0;      ///< sum of the footprints' areas (larger than covered when they overlap or stick out)
    /// blocks and registered methods: share of the clip area whose footprint
    /// is the one the Voronoi partition gives (NaN for voronoi). With blocks by
    /// Voronoi majority this is the most any assignment of whole blocks can
    /// reach, so it measures what nesting in the blocks costs.
    double voronoi_agreement = std::numeric_limits<double>::quiet_NaN();
    /// The same agreement weighted by population, when a population is given.
    double voronoi_agreement_population = std::numeric_limits<double>::quiet_NaN();
};

/// Draws PCN footprints. `practices` is a point layer (read with
/// keep_unlocated_points so that practices without a location are reported
/// by name); `blocks` is needed by the blocks and registered methods. Every
/// practice that is not used goes to `problems` too. Throws invalid_input
/// when a column is missing or no practice lies in the clip area.
PcnResult pcn_footprints(const Layer& practices, const Layer& clip, const Layer* blocks, const PcnOptions& options,
                         ProblemSink& problems);

/// The footprints as a polygon layer (code column "pcn_code"), for overlay,
/// align and matrix.
Layer footprint_layer(const PcnResult& result, const std::string& crs, const std::string& name = "pcn_footprints");

/// Writes a GeoPackage (or any OGR path) with layers `pcn_footprints`,
/// `practices` (points with their status; unlocated ones as rows without
/// geometry) and, for the block methods, `blocks` (a table); or, for a .csv
/// path, the footprints' table without geometry.
/// `styles` go to VectorWriter::set_style (render.hpp pcn_styles() gives the
/// colours and labels of the maps).
void write_pcn_result(const PcnResult& result, const Layer& practices, const std::string& path, const std::string& crs,
                      const std::vector<LayerStyle>& styles = {});

}  // namespace catchment
}  // namespace placedef
