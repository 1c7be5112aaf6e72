// CSV tables: read_table (unique and repeated keys, then every cell as a
// number), read_places and read_registered_patients on the same bytes. Each
// may refuse the input with a placedef::error; anything else (another
// exception, a crash, a sanitizer report, a broken invariant) is a defect.
#include "fuzz_input.hpp"

#include "placedef/catchment.hpp"
#include "placedef/error.hpp"
#include "placedef/io.hpp"

#include <cmath>
#include <cstdint>

using namespace placedef;
using placedef::fuzz::require;

namespace {

void check_table(const Table& table, KeyRule keys) {
    require(!table.columns.empty(), "a table has a header");
    require(table.keys.size() == table.size() && table.lines.size() == table.size(), "one key and line per row");
    for (std::size_t r = 0; r < table.size(); ++r) {
        require(table.rows[r].size() == table.columns.size(), "every row has as many cells as the header");
        require(!table.keys[r].empty(), "keys are not empty");
        require(r == 0 || table.lines[r] > table.lines[r - 1], "row lines increase");
        const auto found = table.row_of(table.keys[r]);
        require(found && (keys == KeyRule::repeated ? *found <= r : *found == r), "row_of finds each key");
        for (std::size_t c = 0; c < table.columns.size(); ++c) {
            try {
                require(std::isfinite(table.number(r, c)), "Table::number is finite");
            } catch (const invalid_input&) {
            }
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string path = fuzz::write_scratch_file(data, size, ".csv");
    for (KeyRule keys : {KeyRule::unique, KeyRule::repeated}) {
        try {
            check_table(read_table(path, {}, keys), keys);
        } catch (const error&) {
        }
    }
    try {
        const Layer places = read_places(path, {});
        require(!places.features.empty(), "read_places returns places");
        for (const Feature& place : places.features) require(!place.code.empty(), "every place has a name");
    } catch (const error&) {
    }
    try {
        const RegisteredPatients patients = read_registered_patients(path);
        require(patients.practice.size() == patients.block.size() && patients.block.size() == patients.patients.size(),
                "one practice, block and count per row");
    } catch (const error&) {
    }
    return 0;
}
