// Proposals compared side by side: the pipeline's run_compare behind C handles.
#include "api/detail/handles.hpp"

using namespace placedef;
using namespace placedef::detail::capi;

namespace {

/// A C string that may be NULL, as text ("" for NULL).
std::string text_of(const char* text) { return text ? std::string(text) : std::string(); }

const CrosswalkUnit& unit_of(const ComparisonObject& c, std::size_t index) {
    check_index(index, c.result.partner_changes.size(), "partner change");
    return c.result.partner_changes[index].before;
}

}  // namespace

extern "C" {

void pdef_compare_options_init(pdef_compare_options* options) {
    if (!options) return;
    *options = pdef_compare_options{nullptr, nullptr, nullptr, 0.0, std::numeric_limits<double>::infinity(),
                                    nullptr, nullptr,  nullptr};
}

pdef_status pdef_compare(pdef_context* ctx, const pdef_layer* blocks, const pdef_population* population,
                         const pdef_proposal* proposals, size_t proposal_count, const pdef_layer* const* partners,
                         size_t partner_count, const pdef_compare_options* options, pdef_comparison** out) {
    return guarded(ctx, __func__, [&](ContextObject& context) {
        require(out, "out");
        require(proposals, "proposals");
        require(partners, "partners");
        require(population, "population");
        auto handle = std::make_unique<ComparisonObject>();
        CompareRequest& request = handle->request;
        const std::shared_ptr<const Layer>& block_layer = use(blocks, "blocks").layer;
        request.blocks = LayerInput(block_layer);
        request.population = population_input(population);
        std::vector<const Layer*> layers{block_layer.get(), request.population.units.loaded.get()};
        for (std::size_t i = 0; i < proposal_count; ++i) {
            const pdef_proposal& p = proposals[i];
            ProposalInput input;
            input.name = text_of(p.name);
            if (p.layer) {
                input.layer = LayerInput(use(p.layer, "proposals[].layer").layer);
                layers.push_back(input.layer.loaded.get());
            } else {
                require(p.lookup, "proposals[].lookup");
                input.lookup = p.lookup;
                handle->inputs.push_back(p.lookup);
            }
            request.proposals.push_back(std::move(input));
        }
        for (std::size_t i = 0; i < partner_count; ++i) {
            request.partners.push_back(LayerInput(use(partners[i], "partners[]").layer));
            layers.push_back(request.partners.back().loaded.get());
        }
        if (options) {
            request.key = text_of(options->key);
            if (options->place_column) request.place_column = options->place_column;
            request.block_column = text_of(options->block_column);
            request.min_population = options->min_population;
            request.max_population = options->max_population;
            if (options->deprivation_units) {
                require(options->deprivation_table, "options->deprivation_table");
                require(options->deprivation_column, "options->deprivation_column");
                request.deprivation = {LayerInput(use(options->deprivation_units, "options->deprivation_units").layer),
                                       options->deprivation_table, {}, options->deprivation_column, {}};
                layers.push_back(request.deprivation.units.loaded.get());
                handle->inputs.push_back(options->deprivation_table);
            }
        }
        request.scoring = context.scoring;
        for (std::string& source : sources_of(layers)) handle->inputs.push_back(std::move(source));
        handle->result = run_compare(request, context.settings(), context.problems);
        *out = publish(std::move(handle));
    });
}

void pdef_comparison_destroy(pdef_comparison* comparison) { destroy(comparison); }

pdef_status pdef_comparison_get_counts(pdef_context* ctx, const pdef_comparison* comparison, size_t* proposals,
                                       size_t* partners, size_t* moves, size_t* partner_changes) {
    return guarded(ctx, __func__, [&] {
        const CompareResult& r = use(comparison, "comparison").result;
        if (proposals) *proposals = r.proposals.size();
        if (partners) *partners = r.partners.size();
        if (moves) *moves = r.moves.size();
        if (partner_changes) *partner_changes = r.partner_changes.size();
    });
}

pdef_status pdef_comparison_get_proposal(pdef_context* ctx, const pdef_comparison* comparison, size_t index,
                                         pdef_proposal_summary* summary) {
    return guarded(ctx, __func__, [&] {
        const CompareResult& r = use(comparison, "comparison").result;
        require(summary, "summary");
        check_index(index, r.proposals.size(), "proposal");
        const ProposalScore& p = r.proposals[index];
        const PopulationBalance& b = p.balance;
        *summary = pdef_proposal_summary{p.name.c_str(), b.places, b.min,   b.max,           b.ratio,
                                         b.cv,           b.target, b.below, b.above, p.deprived_min, p.deprived_max};
    });
}

pdef_status pdef_comparison_get_fit(pdef_context* ctx, const pdef_comparison* comparison, size_t proposal, size_t partner,
                                    pdef_proposal_fit* fit) {
    return guarded(ctx, __func__, [&] {
        const CompareResult& r = use(comparison, "comparison").result;
        require(fit, "fit");
        check_index(proposal, r.proposals.size(), "proposal");
        check_index(partner, r.partners.size(), "partner");
        const ProposalScore& p = r.proposals[proposal];
        const ProposalFit& f = p.fits[partner];
        const LayerScore &units = f.report.b_in_a, &places = f.report.a_in_b;
        *fit = pdef_proposal_fit{p.name.c_str(),
                                 f.partner.c_str(),
                                 units.scored,
                                 f.split_units,
                                 f.people_in_split_units,
                                 f.people_outside_main,
                                 units.coterminosity_index,
                                 units.coterminosity_index_pop,
                                 places.coterminosity_index,
                                 places.coterminosity_index_pop,
                                 places.boundary_alignment,
                                 units.boundary_alignment};
    });
}

pdef_status pdef_comparison_get_place(pdef_context* ctx, const pdef_comparison* comparison, size_t proposal, size_t index,
                                      pdef_proposal_place* place) {
    return guarded(ctx, __func__, [&] {
        const CompareResult& r = use(comparison, "comparison").result;
        require(place, "place");
        check_index(proposal, r.proposals.size(), "proposal");
        check_index(index, r.proposals[proposal].places.size(), "place");
        const ProposalPlace& p = r.proposals[proposal].places[index];
        *place = pdef_proposal_place{p.code.c_str(),
                                     p.name.c_str(),
                                     p.blocks,
                                     p.people,
                                     p.shape.area_m2,
                                     p.shape.parts,
                                     p.shape.polsby_popper,
                                     p.shape.hull_ratio,
                                     p.deprivation.people_deciles_1_2,
                                     p.deprivation.share_deciles_1_2};
    });
}

pdef_status pdef_comparison_get_move(pdef_context* ctx, const pdef_comparison* comparison, size_t index,
                                     pdef_place_move* move) {
    return guarded(ctx, __func__, [&] {
        const CompareResult& r = use(comparison, "comparison").result;
        require(move, "move");
        check_index(index, r.moves.size(), "move");
        const PlaceMove& m = r.moves[index];
        const ProposalPlace& from = r.proposals[m.from_proposal].places[static_cast<std::size_t>(m.from_place)];
        const ProposalPlace& to = r.proposals[m.to_proposal].places[static_cast<std::size_t>(m.to_place)];
        *move = pdef_place_move{m.from_proposal, m.to_proposal, from.code.c_str(), from.name.c_str(),
                                to.code.c_str(), to.name.c_str(), m.blocks.size(), m.people};
    });
}

pdef_status pdef_comparison_get_partner_change(pdef_context* ctx, const pdef_comparison* comparison, size_t index,
                                               pdef_partner_change* change) {
    return guarded(ctx, __func__, [&] {
        const ComparisonObject& c = use(comparison, "comparison");
        require(change, "change");
        const CrosswalkUnit& unit = unit_of(c, index);
        const PartnerChange& p = c.result.partner_changes[index];
        *change = pdef_partner_change{p.from_proposal,      p.to_proposal, p.partner, unit.code.c_str(), unit.name.c_str(),
                                      to_string(p.before.status), to_string(p.after.status)};
    });
}

pdef_status pdef_comparison_write(pdef_context* ctx, const pdef_comparison* comparison, const char* path) {
    return guarded(ctx, __func__, [&] {
        const ComparisonObject& c = use(comparison, "comparison");
        std::vector<std::string> layers{"differences", "scorecard", "proposals", "moves", "partner_changes"};
        check_write(c.inputs, path, layers);
        for (const std::string& written : compare_written_paths(path, c.result.partners))
            if (written != path) check_write(c.inputs, written.c_str());
        write_comparison(c.result, c.request, path);
    });
}

}  // extern "C"
