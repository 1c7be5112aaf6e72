// An output file written under a temporary name beside its target and
// renamed over it only when complete, so that a failed or killed run leaves
// the previous output as it was (and at worst a stray hidden temporary file).
#pragma once

#include <string>
#include <vector>

namespace placedef::detail {

/// Outputs written in place, with no temporary file: standard output ("-"),
/// database connections ("PG:") and GDAL's virtual files ("/vsi..."), which
/// cannot be renamed.
bool is_written_in_place(const std::string& path);

/// `.gpkg`, whatever its case: the one format that holds several layers.
bool is_geopackage_path(const std::string& path);

class StagedOutput {
public:
    /// Picks an unused name `.<stem>.tmp-<pid>-<n><extension>` in the
    /// target's folder (the same file system, so the rename is atomic). A
    /// target that is a symbolic link is replaced where the link points.
    /// Creates nothing. Throws output_error naming `shown` (the path as the
    /// user gave it, for messages) when the target is a folder.
    StagedOutput(const std::string& target, const std::string& shown);
    /// Removes the temporary files unless commit() succeeded.
    ~StagedOutput();
    StagedOutput(const StagedOutput&) = delete;
    StagedOutput& operator=(const StagedOutput&) = delete;

    const std::string& temp_path() const { return m_temp; }
    /// Where the output goes (a symbolic link's destination).
    const std::string& target_path() const { return m_target; }
    /// Whether the target exists now.
    bool target_exists() const;

    /// Syncs the temporary file to disk and renames it over the target.
    /// `side_extensions` (".dbf", ".shx", ...) name the files that belong to
    /// a dataset of several files (Shapefile): those written beside the
    /// temporary file are renamed with it, before it; the target's own that
    /// were not rewritten are removed after, so that no stale index or
    /// attribute file outlives what it described. Throws output_error.
    void commit(const std::vector<std::string>& side_extensions = {});
    /// Removes the temporary file and every side file of it; never throws.
    void discard() noexcept;
    bool committed() const { return m_committed; }

private:
    std::string m_target;
    std::string m_shown;
    std::string m_temp;
    std::string m_temp_stem;  ///< the temporary file's folder and name without extension
    bool m_committed = false;
};

/// Throws output_error naming `shown` when `target` is a folder or no file
/// can be created in the folder it would be written to: creates and removes
/// the temporary file a writer would use.
void check_writable_folder(const std::string& target, const std::string& shown);

}  // namespace placedef::detail
