#include "io/detail/staged_output.hpp"

#include "placedef/error.hpp"

#include "core/location.hpp"
#include "core/text.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <set>
#include <system_error>

namespace placedef::detail {

namespace fs = std::filesystem;

bool is_written_in_place(const std::string& path) {
    return path == "-" || istarts_with(path, "PG:") || istarts_with(path, "/vsi");
}

bool is_geopackage_path(const std::string& path) { return iends_with(path, ".gpkg"); }

namespace {

std::string errno_text(int number) { return std::generic_category().message(number); }

/// lstat, so that a dangling symbolic link counts as taken.
bool name_taken(const std::string& path) {
    struct stat status {};
    return ::lstat(path.c_str(), &status) == 0;
}

/// Data reach the disk before the rename makes them the output, so that a
/// crash of the machine cannot leave an empty file in place of the old one.
void sync_to_disk(const std::string& path, const std::string& shown) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) {
        const int number = errno;
        if (fd >= 0) ::close(fd);
        throw output_error("could not be saved to disk: " + errno_text(number), in_file(shown));
    }
    ::close(fd);
}

void rename_over(const std::string& from, const std::string& to, const std::string& shown) {
    if (std::rename(from.c_str(), to.c_str()) != 0)
        throw output_error("cannot be replaced: " + errno_text(errno), in_file(shown));
}

/// The extensions (".dbf", ".shp.xml", ...) of the files in `folder` named `stem` plus an extension.
std::vector<std::string> extensions_of(const fs::path& folder, const std::string& stem) {
    std::vector<std::string> found;
    std::error_code error;
    for (fs::directory_iterator it(folder.empty() ? fs::path(".") : folder, error), end; !error && it != end;
         it.increment(error)) {
        const std::string name = it->path().filename().string();
        if (name.size() > stem.size() + 1 && name.compare(0, stem.size(), stem) == 0 && name[stem.size()] == '.')
            found.push_back(name.substr(stem.size()));
    }
    return found;
}

bool is_listed(const std::string& suffix, const std::vector<std::string>& extensions) {
    for (const std::string& extension : extensions)
        if (iequals(suffix, extension)) return true;
    return false;
}

}  // namespace

StagedOutput::StagedOutput(const std::string& target, const std::string& shown) : m_target(target), m_shown(shown) {
    static std::atomic<unsigned> counter{0};
    std::error_code error;
    if (fs::is_symlink(m_target, error)) {
        const fs::path resolved = fs::canonical(m_target, error);
        if (!error) m_target = resolved.string();
    }
    if (fs::is_directory(m_target, error)) throw output_error("is a folder; a file was expected", in_file(shown));
    const fs::path path(m_target);
    const std::string prefix = "." + path.stem().string() + ".tmp-" + std::to_string(::getpid()) + "-";
    do {
        m_temp_stem = (path.parent_path() / (prefix + std::to_string(++counter))).string();
        m_temp = m_temp_stem + path.extension().string();
    } while (name_taken(m_temp));
}

StagedOutput::~StagedOutput() { discard(); }

bool StagedOutput::target_exists() const { return name_taken(m_target); }

void StagedOutput::commit(const std::vector<std::string>& side_extensions) {
    if (m_committed) return;
    const fs::path folder = fs::path(m_target).parent_path();
    const std::string target_stem = (folder / fs::path(m_target).stem()).string();
    std::set<std::string> written;
    if (!side_extensions.empty()) {
        for (const std::string& suffix : extensions_of(folder, fs::path(m_temp_stem).filename().string())) {
            if (!is_listed(suffix, side_extensions)) continue;
            sync_to_disk(m_temp_stem + suffix, m_shown);
            written.insert(suffix);
        }
    }
    sync_to_disk(m_temp, m_shown);
    // The main file last: a reader that finds it finds the side files that go with it.
    for (const std::string& suffix : written) rename_over(m_temp_stem + suffix, target_stem + suffix, m_shown);
    rename_over(m_temp, m_target, m_shown);
    m_committed = true;
    if (side_extensions.empty()) return;
    for (const std::string& suffix : extensions_of(folder, fs::path(m_target).stem().string()))
        if (is_listed(suffix, side_extensions) && !written.count(suffix)) std::remove((target_stem + suffix).c_str());
}

void StagedOutput::discard() noexcept {
    if (m_committed || m_temp.empty()) return;
    try {
        std::remove(m_temp.c_str());
        // Side files and whatever the driver left beside it (journals, indexes).
        const fs::path stem(m_temp_stem);
        for (const std::string& suffix : extensions_of(stem.parent_path(), stem.filename().string()))
            std::remove((m_temp_stem + suffix).c_str());
    } catch (...) {
        // Out of memory while listing: a stray hidden file is all that is left.
    }
}

void check_writable_folder(const std::string& target, const std::string& shown) {
    const StagedOutput probe(target, shown);
    const int fd = ::open(probe.temp_path().c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        ::close(fd);  // the probe's destructor removes it
        return;
    }
    const int number = errno;
    std::string folder = fs::path(probe.target_path()).parent_path().string();
    if (folder.empty()) folder = ".";
    const std::string why = number == ENOENT    ? "folder '" + folder + "' does not exist"
                            : number == ENOTDIR ? "'" + folder + "' is not a folder"
                                                : "folder '" + folder + "' does not accept new files (" +
                                                      errno_text(number) + ")";
    throw output_error("cannot be written: " + why, in_file(shown));
}

}  // namespace placedef::detail
