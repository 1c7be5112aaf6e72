#include "pipeline/blocks.hpp"

#include "placedef/error.hpp"

#include "core/location.hpp"

#include <map>
#include <optional>

namespace placedef::detail {

std::vector<std::shared_ptr<const Layer>> load_blocks(const LayerInput& blocks, const PopulationInput& people,
                                                      const RunSettings& settings, ProblemSink& problems) {
    return people.given() ? load_inputs({blocks, people.units}, settings, problems) : load_inputs({blocks}, settings, problems);
}

std::vector<double> people_on_blocks(const PopulationInput& people, const std::shared_ptr<const Layer>& units,
                                     const std::shared_ptr<const Layer>& blocks, const RunSettings& settings,
                                     ProblemSink& problems) {
    if (people.given()) {
        const LoadedPopulation loaded = load_population(people, settings, problems, units);
        return population_on(*blocks, loaded.source, settings.threads);
    }
    if (!people.table.empty()) return load_population(people, settings, problems, blocks).source.population;
    return {};
}

namespace {

/// The blocks under the codes a lookup's keys match: the blocks themselves,
/// or a copy whose codes are the values of their attribute `column`.
Layer keyed_blocks(const Layer& blocks, const std::string& column, const std::string& path) {
    const std::optional<std::size_t> attribute = blocks.attribute_index(column);
    if (!attribute)
        throw invalid_input("has no attribute '" + column + "' for the keys of " + path + " to match",
                            detail::at_field(detail::in_file(blocks.source, blocks.name), column));
    Layer keyed;
    keyed.name = blocks.name + "." + column;
    keyed.source = blocks.source;
    for (const Feature& block : blocks.features) {
        Feature feature;
        feature.fid = block.fid;
        feature.code = *attribute < block.attributes.size() ? block.attributes[*attribute] : std::string();
        keyed.features.push_back(std::move(feature));
    }
    return keyed;
}

}  // namespace

Membership membership_from_lookup(const std::string& path, const LookupColumns& columns, const Layer& blocks,
                                  const RunSettings& settings) {
    const Layer keyed = columns.block_column.empty() ? Layer() : keyed_blocks(blocks, columns.block_column, path);
    const Layer& keys = columns.block_column.empty() ? blocks : keyed;
    const std::string key = table_key(path, columns.key, keys, settings);
    const Table table = read_table(path, key);
    const std::optional<std::size_t> column = table.column_index(columns.place);
    if (!column)
        throw invalid_input("has no column '" + columns.place + "' giving each block's " + columns.noun,
                            detail::at_field(detail::in_file(path), columns.place));
    const std::optional<std::size_t> name = table.column_index("name");
    // Places are numbered in the order of the first row that holds a block.
    std::vector<std::optional<std::size_t>> row_of_block(blocks.size());
    std::vector<bool> used(table.size(), false);
    for (std::size_t b = 0; b < blocks.size(); ++b) {
        row_of_block[b] = table.row_of(keys.features[b].code);
        if (row_of_block[b] && !table.rows[*row_of_block[b]][*column].empty()) used[*row_of_block[b]] = true;
    }
    Membership membership;
    std::map<std::string, std::int32_t> index;
    for (std::size_t row = 0; row < table.size(); ++row) {
        if (!used[row]) continue;
        const std::string& code = table.rows[row][*column];
        if (index.emplace(code, static_cast<std::int32_t>(membership.codes.size())).second) {
            membership.codes.push_back(code);
            membership.names.push_back(name ? table.rows[row][*name] : std::string());
        }
    }
    membership.place.assign(blocks.size(), -1);
    for (std::size_t b = 0; b < blocks.size(); ++b)
        if (row_of_block[b] && used[*row_of_block[b]]) membership.place[b] = index.at(table.rows[*row_of_block[b]][*column]);
    return membership;
}

Membership membership_from_polygons(const Layer& places, const Layer& blocks, unsigned threads) {
    Membership membership;
    membership.place = block_units(blocks, places, 0.5, threads);
    std::vector<std::int32_t> renumber(places.size(), -1);
    for (std::int32_t p : membership.place)
        if (p >= 0) renumber[static_cast<std::size_t>(p)] = 0;
    for (std::size_t unit = 0; unit < places.size(); ++unit)  // the places holding blocks, in layer order
        if (renumber[unit] == 0) {
            renumber[unit] = static_cast<std::int32_t>(membership.codes.size());
            membership.codes.push_back(places.features[unit].code);
            membership.names.push_back(places.features[unit].name);
        }
    for (std::int32_t& p : membership.place)
        if (p >= 0) p = renumber[static_cast<std::size_t>(p)];
    return membership;
}

}  // namespace placedef::detail
