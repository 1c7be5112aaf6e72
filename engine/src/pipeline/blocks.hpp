// Blocks and the places made of them: the people on the blocks, and which
// place each block lies in, read from a lookup table or from polygons. The
// repair and the comparison of proposals read places the same way.
#pragma once

#include "placedef/pipeline.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace placedef::detail {

/// The blocks and the population's units, read together (once when they are
/// one layer): {blocks, population units}, or {blocks} without a population layer.
std::vector<std::shared_ptr<const Layer>> load_blocks(const LayerInput& blocks, const PopulationInput& people,
                                                      const RunSettings& settings, ProblemSink& problems);

/// The people on `blocks` (units picked from the layer read with the
/// population's units, `units`): apportioned from the population, or a table
/// without its own layer keyed by the blocks; empty without a population.
std::vector<double> people_on_blocks(const PopulationInput& people, const std::shared_ptr<const Layer>& units,
                                     const std::shared_ptr<const Layer>& blocks, const RunSettings& settings,
                                     ProblemSink& problems);

/// Where each block lies among some places: an index into `codes` (and
/// `names`), or -1.
struct Membership {
    std::vector<std::int32_t> place;
    std::vector<std::string> codes, names;
};

/// How a lookup table gives each block its place.
struct LookupColumns {
    std::string key;  ///< the column matching the blocks; empty: the one matching the most
    std::string place = "footprint";  ///< each row's place code (a "name" column names the places)
    /// The blocks' attribute the keys match (a district code column, for a
    /// table of districts); empty: the block codes.
    std::string block_column;
    std::string noun = "footprint";  ///< what a place is called in messages
};

/// A CSV of blocks (or of the values of a block attribute) and places, the
/// places in the order they first appear. Throws invalid_input naming the
/// file and column when the place column, or the blocks' attribute, is missing.
Membership membership_from_lookup(const std::string& path, const LookupColumns& columns, const Layer& blocks,
                                  const RunSettings& settings);

/// A polygon layer of places: each block in the one holding at least half of
/// its area; the places holding blocks, in layer order.
Membership membership_from_polygons(const Layer& places, const Layer& blocks, unsigned threads);

}  // namespace placedef::detail
