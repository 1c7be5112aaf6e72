#include "detail/local_search.hpp"

#include "placedef/cancel.hpp"
#include "placedef/error.hpp"
#include "placedef/text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <functional>
#include <limits>
#include <optional>
#include <tuple>

namespace placedef::detail {

std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t index) {
    std::uint64_t z = seed + 0x9E3779B97F4A7C15ull * (index + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

std::string describe_bounds(const ClusteringProblem& problem) {
    auto people = [](double count) {
        char text[32];
        std::snprintf(text, sizeof text, "%.0f", count);
        return std::string(text);
    };
    std::string text = problem.min_population > 0 ? "a floor of " + people(problem.min_population) + " people" : "";
    if (problem.max_population < std::numeric_limits<double>::infinity())
        text += (text.empty() ? "a ceiling of " : " and a ceiling of ") + people(problem.max_population) + " people";
    return text;
}

void ProgressCounter::advance(std::size_t steps) {
    if (!m_progress) return;
    std::lock_guard<std::mutex> lock(m_mutex);
    m_done += steps;
    m_progress(m_done, m_total);
}

// ---------------------------------------------------------------- MoveState

MoveState::MoveState(const ClusteringProblem& problem, std::vector<std::int32_t> region, std::size_t regions)
    : m_problem(problem),
      m_region(std::move(region)),
      m_sums(region_sums(problem, m_region, regions)),
      m_partners(problem, m_region, regions),
      m_connectivity(problem.size()),
      m_region_changes(regions, 0),
      m_holds_together_at(problem.size(), 0) {
    m_region_wss.reserve(regions);
    for (const RegionSums& s : m_sums) {
        m_region_wss.push_back(s.wss());
        m_wss += m_region_wss.back();
    }
    if (problem.boundary > 0) {
        m_lengths = boundary_lengths(*problem.graph);
        m_per_length = boundary_cost_per_length(problem, m_lengths);
        for (std::size_t block = 0; block < problem.size(); ++block)
            for (std::size_t e = problem.graph->offsets[block]; e < problem.graph->offsets[block + 1]; ++e)
                if (m_region[block] != m_region[problem.graph->neighbours[e]]) m_wss += m_per_length * m_lengths[e] / 2;
    }
    m_partner_cost = m_partners.cost();
    m_violation = total_violation();
    m_best_wss = m_wss;
    m_best_partner_cost = m_partner_cost;
    m_best_violation = m_violation;
}

void MoveState::pin(const std::vector<std::size_t>& blocks) {
    if (m_pinned.empty()) m_pinned.assign(m_problem.size(), false);
    for (const std::size_t block : blocks) m_pinned[block] = true;
}

double MoveState::bound_violation(double population) const {
    return std::max(0.0, m_problem.min_population - population) + std::max(0.0, population - m_problem.max_population);
}

double MoveState::total_violation() const {
    double total = 0;
    for (const RegionSums& s : m_sums) total += bound_violation(s.population());
    return total;
}

double MoveState::boundary_into(std::size_t block, std::int32_t region) const {
    if (m_per_length == 0) return 0.0;
    const ContiguityGraph& graph = *m_problem.graph;
    double length = 0;
    for (std::size_t e = graph.offsets[block]; e < graph.offsets[block + 1]; ++e)
        if (m_region[graph.neighbours[e]] == region) length += m_lengths[e];
    return m_per_length * length;
}

double MoveState::leave_delta(std::size_t block) const {
    // Leaving cuts the block from the neighbours it leaves behind.
    const std::int32_t from = m_region[block];
    return sums(from).wss_with(m_problem, block, -1.0) - m_region_wss[static_cast<std::size_t>(from)] +
           boundary_into(block, from);
}

double MoveState::join_delta(std::size_t block, std::int32_t to) const {
    const double join = sums(to).wss_with(m_problem, block, 1.0) - m_region_wss[static_cast<std::size_t>(to)] -
                        boundary_into(block, to);
    return m_partners.empty() ? join : join + m_partners.delta(block, m_region[block], to);
}

double MoveState::delta(std::size_t block, std::int32_t to) const { return leave_delta(block) + join_delta(block, to); }

double MoveState::violation_delta(std::size_t block, std::int32_t to) const {
    const double moving = m_problem.population_of(block);
    const double from = region_population(m_region[block]), into = region_population(to);
    return bound_violation(from - moving) + bound_violation(into + moving) - bound_violation(from) - bound_violation(into);
}

bool MoveState::bounds_allow(std::size_t block, std::int32_t to) const {
    const std::int32_t own = m_region[block];
    if (region_size(own) <= 1 || pinned(block)) return false;
    const double moving = m_problem.population_of(block);
    const double from = region_population(own), into = region_population(to);
    return bound_violation(from - moving) <= bound_violation(from) && bound_violation(into + moving) <= bound_violation(into);
}

bool MoveState::keeps_contiguity(std::size_t block) {
    const std::uint32_t changes = m_region_changes[static_cast<std::size_t>(m_region[block])];
    if (m_holds_together_at[block] == changes + 1) return false;  // its region is as it was when last searched
    if (m_connectivity.stays_connected(*m_problem.graph, m_region, block)) return true;
    m_holds_together_at[block] = changes + 1;
    return false;
}

void MoveState::neighbour_regions(std::size_t block, std::vector<std::int32_t>& out) const {
    out.clear();
    const std::int32_t own = m_region[block];
    const ContiguityGraph& graph = *m_problem.graph;
    for (const std::uint32_t* n = graph.begin(block); n != graph.end(block); ++n) {
        const std::int32_t other = m_region[*n];
        if (other != own && std::find(out.begin(), out.end(), other) == out.end()) out.push_back(other);
    }
}

void MoveState::shift(std::size_t block, std::int32_t to) {
    m_violation += violation_delta(block, to);
    const std::int32_t from = m_region[block];
    m_wss += boundary_into(block, from) - boundary_into(block, to);
    RegionSums& leaving = m_sums[static_cast<std::size_t>(from)];
    RegionSums& joining = m_sums[static_cast<std::size_t>(to)];
    leaving.remove(m_problem, block);
    joining.add(m_problem, block);
    double& leaving_wss = m_region_wss[static_cast<std::size_t>(from)];
    double& joining_wss = m_region_wss[static_cast<std::size_t>(to)];
    const double left = leaving.wss(), joined = joining.wss();
    m_wss += (left - leaving_wss) + (joined - joining_wss);
    leaving_wss = left;
    joining_wss = joined;
    if (!m_partners.empty()) {
        m_partner_cost += m_partners.delta(block, from, to);
        m_partners.move(block, from, to);
    }
    // What holds a region together: a block leaving changes it only for its
    // neighbours (it may have been one side of the split all by itself); one
    // joining may link any two sides.
    const ContiguityGraph& graph = *m_problem.graph;
    for (const std::uint32_t* n = graph.begin(block); n != graph.end(block); ++n)
        if (m_region[*n] == from) m_holds_together_at[*n] = 0;
    ++m_region_changes[static_cast<std::size_t>(to)];
    m_holds_together_at[block] = 0;
    m_region[block] = to;
}

void MoveState::move(std::size_t block, std::int32_t to) {
    m_since_best.emplace_back(static_cast<std::uint32_t>(block), m_region[block]);
    shift(block, to);
    // Moves never raise the violation, so "better" is first less of it,
    // then a lower cost.
    const double rounding = 1e-9 * (1.0 + m_problem.min_population);
    if (m_violation < m_best_violation - rounding ||
        (m_violation <= m_best_violation + rounding && cost() < best_cost() - improvement_tolerance()))
        mark_best();
}

void MoveState::mark_best() {
    m_best_wss = m_wss;
    m_best_partner_cost = m_partner_cost;
    m_best_violation = m_violation;
    m_since_best.clear();
}

void MoveState::return_to_best() {
    for (auto undo = m_since_best.rbegin(); undo != m_since_best.rend(); ++undo) shift(undo->first, undo->second);
    m_since_best.clear();
    // the same labelling: drop the rounding the round trip picked up
    m_wss = m_best_wss;
    m_partner_cost = m_best_partner_cost;
    m_violation = m_best_violation;
}

double MoveState::improvement_tolerance() const { return 1e-12 * (1.0 + best_cost()); }

// ------------------------------------------------------------ local search

namespace {

std::vector<std::uint32_t> all_blocks(const MoveState& state) {
    std::vector<std::uint32_t> blocks(state.problem().size());
    for (std::size_t i = 0; i < blocks.size(); ++i) blocks[i] = static_cast<std::uint32_t>(i);
    return blocks;
}

/// Offers every boundary block, in a fresh random order, its cheapest move
/// the bounds allow; the block moves when `accept(delta)` agrees and its
/// region stays connected. Returns the number of moves made.
template <typename Accept>
std::size_t sweep(MoveState& state, std::vector<std::uint32_t>& order, std::vector<std::int32_t>& targets, Random& random,
                  Accept&& accept) {
    check_cancelled();  // a sweep is the unit of work of AZP and annealing
    random.shuffle(order);
    std::size_t moves = 0;
    for (const std::uint32_t block : order) {
        if (state.region_size(state.region_of(block)) <= 1) continue;
        state.neighbour_regions(block, targets);
        if (targets.empty()) continue;
        const double leave = state.leave_delta(block);
        std::int32_t best_target = -1;
        double best_delta = std::numeric_limits<double>::infinity();
        for (const std::int32_t target : targets) {
            if (!state.bounds_allow(block, target)) continue;
            const double delta = leave + state.join_delta(block, target);
            if (delta < best_delta) {
                best_delta = delta;
                best_target = target;
            }
        }
        if (best_target < 0 || !accept(best_delta) || !state.keeps_contiguity(block)) continue;
        state.move(block, best_target);
        ++moves;
    }
    return moves;
}

/// AZP: improving moves until a whole sweep finds none.
void descend(MoveState& state, Random& random) {
    std::vector<std::uint32_t> order = all_blocks(state);
    std::vector<std::int32_t> targets;
    while (sweep(state, order, targets, random, [&](double delta) { return delta < -state.improvement_tolerance(); }) > 0) {
    }
    state.return_to_best();
}

/// The mean cost of the worsening moves on offer at the start.
double mean_worsening(const MoveState& state, const std::vector<std::uint32_t>& blocks, std::vector<std::int32_t>& targets) {
    double total = 0;
    std::size_t count = 0;
    for (const std::uint32_t block : blocks) {
        if (state.region_size(state.region_of(block)) <= 1) continue;
        state.neighbour_regions(block, targets);
        for (const std::int32_t target : targets) {
            if (!state.bounds_allow(block, target)) continue;
            const double delta = state.delta(block, target);
            if (delta > 0) {
                total += delta;
                ++count;
            }
        }
    }
    return count ? total / static_cast<double>(count) : 0.0;
}

/// AZP-SA (Openshaw and Rao 1995): sweeps at a geometrically falling
/// temperature, a worsening move of cost Δ accepted with probability
/// exp(−Δ/T); it stops once the temperature is low and the best has not
/// improved for a few sweeps, then returns to the best labelling seen.
/// The schedule was tuned on the Surrey problem (AZP, k = 29): a hot start
/// that accepts most worsening moves, and slow cooling, pay for themselves.
void anneal(MoveState& state, Random& random) {
    constexpr double warmth = 3.0;       // start: a move of mean cost is taken with probability e^(-1/3)
    constexpr double cooling = 0.95;     // per sweep
    constexpr double cold = 0.05;        // of the mean cost: worsening moves have stopped mattering
    constexpr std::size_t patience = 3;  // sweeps without a new best, once cold
    constexpr std::size_t most_sweeps = 1000;
    std::vector<std::uint32_t> order = all_blocks(state);
    std::vector<std::int32_t> targets;
    const double typical = mean_worsening(state, order, targets);
    if (typical <= 0) return;
    double temperature = warmth * typical;
    std::size_t stale = 0;
    for (std::size_t round = 0; round < most_sweeps; ++round) {
        const double best_before = state.best_cost();
        sweep(state, order, targets, random,
              [&](double delta) { return delta < 0 || random.unit() < std::exp(-delta / temperature); });
        stale = state.best_cost() < best_before ? 0 : stale + 1;
        temperature *= cooling;
        if (temperature < cold * typical && stale >= patience) break;
    }
    state.return_to_best();
}

/// AZP-tabu (Openshaw and Rao 1995): each step makes the best move on
/// offer, improving or not, except that a block may not go back to the
/// region it left for `tenure` steps unless that gives a new best; it stops
/// after `patience` steps without a new best. Moves are kept in a heap and
/// re-priced only when a region they involve changes.
class TabuSearch {
public:
    explicit TabuSearch(MoveState& state)
        : m_state(state),
          m_version(state.problem().size(), 0),
          m_seen(state.problem().size(), 0),
          m_tabu_region(state.problem().size(), -1),
          m_tabu_until(state.problem().size(), 0),
          m_members(state.regions()),
          m_position(state.problem().size(), 0) {
        for (std::size_t block = 0; block < state.problem().size(); ++block) {
            auto& members = m_members[static_cast<std::size_t>(state.region_of(block))];
            m_position[block] = members.size();
            members.push_back(static_cast<std::uint32_t>(block));
        }
    }

    void run() {
        const std::size_t n = m_state.problem().size();
        const std::size_t patience = std::max<std::size_t>(100, n / 4);  // more did not help on Surrey: the tenure limits it
        reprice_all();
        std::size_t stale = 0;
        while (stale < patience) {
            while (!m_expiring.empty() && m_expiring.front().first <= m_step) {
                reprice(m_expiring.front().second);
                m_expiring.pop_front();
            }
            if (m_heap.size() > 8 * n + 1024) reprice_all();
            const double best_before = m_state.best_cost();
            if (!step()) break;
            stale = m_state.best_cost() < best_before ? 0 : stale + 1;
        }
        m_state.return_to_best();
    }

private:
    struct Entry {
        double delta;
        std::uint32_t block;
        std::int32_t to;
        std::uint32_t version;
    };
    // std heap functions keep the largest first: "larger" is the worse move.
    static bool worse(const Entry& a, const Entry& b) {
        if (a.delta != b.delta) return a.delta > b.delta;
        if (a.block != b.block) return a.block > b.block;
        return a.to > b.to;
    }

    static constexpr std::size_t tenure = 30;  // tuned on Surrey (AZP, k = 29): 10 lets the search cycle

    void reprice(std::uint32_t block) {
        ++m_version[block];
        if (m_state.region_size(m_state.region_of(block)) <= 1) return;
        m_state.neighbour_regions(block, m_targets);
        const double leave = m_targets.empty() ? 0.0 : m_state.leave_delta(block);
        for (const std::int32_t target : m_targets) {
            if (!m_state.bounds_allow(block, target)) continue;
            m_heap.push_back({leave + m_state.join_delta(block, target), block, target, m_version[block]});
            std::push_heap(m_heap.begin(), m_heap.end(), worse);
        }
    }

    void reprice_all() {
        m_heap.clear();
        for (std::size_t block = 0; block < m_state.problem().size(); ++block) reprice(static_cast<std::uint32_t>(block));
    }

    /// Makes the best allowed move; false when there is none.
    bool step() {
        if (m_step % 1024 == 0) check_cancelled();
        while (!m_heap.empty()) {
            std::pop_heap(m_heap.begin(), m_heap.end(), worse);
            const Entry move = m_heap.back();
            m_heap.pop_back();
            if (move.version != m_version[move.block]) continue;  // priced before a region it involves changed
            const bool tabu = m_tabu_region[move.block] == move.to && m_step < m_tabu_until[move.block];
            if (tabu && !(m_state.cost() + move.delta < m_state.best_cost() - m_state.improvement_tolerance()))
                continue;  // comes back when the tabu expires
            if (!m_state.keeps_contiguity(move.block)) {
                ++m_version[move.block];  // none of its moves is open until its region changes
                continue;
            }
            apply(move.block, move.to);
            return true;
        }
        return false;
    }

    void apply(std::uint32_t block, std::int32_t to) {
        const std::int32_t from = m_state.region_of(block);
        m_state.move(block, to);
        ++m_step;
        m_tabu_region[block] = from;
        m_tabu_until[block] = m_step + tenure;
        m_expiring.emplace_back(m_tabu_until[block], block);
        // regroup the member lists
        auto& old_members = m_members[static_cast<std::size_t>(from)];
        const std::uint32_t last = old_members.back();
        old_members[m_position[block]] = last;
        m_position[last] = m_position[block];
        old_members.pop_back();
        auto& new_members = m_members[static_cast<std::size_t>(to)];
        m_position[block] = new_members.size();
        new_members.push_back(block);
        // every block in either region, and every block touching one, has new prices
        const ContiguityGraph& graph = *m_state.problem().graph;
        for (const std::int32_t changed : {from, to})
            for (const std::uint32_t member : m_members[static_cast<std::size_t>(changed)]) {
                reprice_once(member);
                for (const std::uint32_t* n = graph.begin(member); n != graph.end(member); ++n) reprice_once(*n);
            }
        // and so has every block of the moved block's unit of an aligned layer
        m_state.partners().for_column_partners(block, [&](std::uint32_t other) { reprice_once(other); });
    }

    void reprice_once(std::uint32_t block) {
        if (m_seen[block] == m_step) return;
        m_seen[block] = m_step;
        reprice(block);
    }

    MoveState& m_state;
    std::vector<Entry> m_heap;
    std::vector<std::uint32_t> m_version;
    std::vector<std::size_t> m_seen;  ///< step at which a block was last repriced
    std::vector<std::int32_t> m_tabu_region;
    std::vector<std::size_t> m_tabu_until;
    std::deque<std::pair<std::size_t, std::uint32_t>> m_expiring;  ///< (step, block), in step order
    std::vector<std::vector<std::uint32_t>> m_members;
    std::vector<std::size_t> m_position;  ///< of each block in its region's member list
    std::vector<std::int32_t> m_targets;
    std::size_t m_step = 0;
};

}  // namespace

namespace {

/// Hops from each region to the nearest region that `breaks` holds for, over
/// the regions' adjacency; regions out of reach get the region count.
std::vector<std::size_t> hops_to(const MoveState& state, const std::vector<std::vector<std::int32_t>>& adjacent,
                                 const std::function<bool(std::int32_t)>& breaks) {
    const std::size_t regions = state.regions();
    std::vector<std::size_t> hops(regions, regions);
    std::vector<std::int32_t> queue;
    for (std::int32_t r = 0; r < static_cast<std::int32_t>(regions); ++r)
        if (breaks(r)) {
            hops[static_cast<std::size_t>(r)] = 0;
            queue.push_back(r);
        }
    for (std::size_t head = 0; head < queue.size(); ++head)
        for (const std::int32_t next : adjacent[static_cast<std::size_t>(queue[head])])
            if (hops[static_cast<std::size_t>(next)] == regions) {
                hops[static_cast<std::size_t>(next)] = hops[static_cast<std::size_t>(queue[head])] + 1;
                queue.push_back(next);
            }
    return hops;
}

/// The regions each region touches, sorted.
std::vector<std::vector<std::int32_t>> region_adjacency(const MoveState& state) {
    const ContiguityGraph& graph = *state.problem().graph;
    std::vector<std::vector<std::int32_t>> adjacent(state.regions());
    for (std::size_t i = 0; i < graph.size(); ++i)
        for (const std::uint32_t* n = graph.begin(i); n != graph.end(i); ++n)
            if (state.region_of(*n) != state.region_of(i))
                adjacent[static_cast<std::size_t>(state.region_of(i))].push_back(state.region_of(*n));
    for (auto& list : adjacent) {
        std::sort(list.begin(), list.end());
        list.erase(std::unique(list.begin(), list.end()), list.end());
    }
    return adjacent;
}

/// The sweeps of repair_bounds(). `channelled`: a move that evens out two
/// populations must also carry people towards the nearest region below the
/// floor, or away from the nearest one above the ceiling, so that regions
/// far from any fault keep their shape; the hops are measured afresh each
/// sweep, and a cap on the sweeps stops moves that could chase them.
void repair_sweeps(MoveState& state, Random& random, bool channelled) {
    std::vector<std::uint32_t> order = all_blocks(state);
    std::vector<std::int32_t> targets;
    const ClusteringProblem& problem = state.problem();
    std::vector<std::size_t> to_short, to_over;
    const std::size_t most_sweeps = 4 * state.regions() + 100;
    bool moved = state.total_violation() > 0;
    for (std::size_t sweep = 0; moved && (!channelled || sweep < most_sweeps); ++sweep) {
        check_cancelled();
        if (channelled) {
            const std::vector<std::vector<std::int32_t>> adjacent = region_adjacency(state);
            to_short = hops_to(state, adjacent, [&](std::int32_t r) { return state.region_population(r) < problem.min_population; });
            to_over = hops_to(state, adjacent, [&](std::int32_t r) { return state.region_population(r) > problem.max_population; });
        }
        moved = false;
        random.shuffle(order);
        for (const std::uint32_t block : order) {
            const std::int32_t own = state.region_of(block);
            if (state.region_size(own) <= 1 || state.pinned(block)) continue;
            state.neighbour_regions(block, targets);
            const double moving = problem.population_of(block);
            const double from = state.region_population(own);
            std::int32_t best_target = -1;
            double best_cost = std::numeric_limits<double>::infinity();
            for (const std::int32_t target : targets) {
                // Less violation, or as much and two populations evened out
                // (the sum of squared populations falls): either way the
                // moves must stop, and the second lets people flow from
                // where there is room towards a region short of the floor
                // or over the ceiling that no neighbour could mend at once.
                const double violation = state.violation_delta(block, target);
                bool evens = violation <= 0 && from - state.region_population(target) > moving;
                if (evens && channelled) {
                    const auto f = static_cast<std::size_t>(own), t = static_cast<std::size_t>(target);
                    evens = to_short[t] < to_short[f] || to_over[f] < to_over[t];
                }
                if (!(violation < 0 || evens)) continue;
                const double cost = state.delta(block, target);
                if (cost < best_cost) {
                    best_cost = cost;
                    best_target = target;
                }
            }
            if (best_target < 0 || !state.keeps_contiguity(block)) continue;
            state.move(block, best_target);
            moved = true;
        }
        moved = moved && state.total_violation() > 0;
    }
}

}  // namespace

void repair_bounds(MoveState& state, Random& random) {
    repair_sweeps(state, random, false);
    state.mark_best();  // feasibility came first: the search starts from here
}

void meet_bounds(const ClusteringProblem& problem, const ClusterOptions& options, Partition& partition,
                 const std::vector<bool>& fixed) {
    // The footprint furthest outside the bounds, or -1 when all are within
    // them; from fresh sums, not the moves' running totals.
    auto furthest_outside = [&](const std::vector<std::int32_t>& region) {
        const std::vector<RegionSums> sums = region_sums(problem, region, partition.regions);
        std::int32_t worst = -1;
        double worst_gap = 0;
        for (std::size_t r = 0; r < sums.size(); ++r) {
            const double people = sums[r].population();
            const double gap = std::max(problem.min_population - people, people - problem.max_population);
            if (gap > worst_gap) {
                worst_gap = gap;
                worst = static_cast<std::int32_t>(r);
            }
        }
        return std::pair{worst, worst < 0 ? 0.0 : sums[static_cast<std::size_t>(worst)].population()};
    };
    if (furthest_outside(partition.region).first < 0) return;
    std::vector<std::size_t> pinned;
    for (std::size_t block = 0; block < fixed.size(); ++block)
        if (fixed[block]) pinned.push_back(block);
    // The repair is a local search and can stall one block short; other
    // random orders of the moves often do not. A few tries, each on its own
    // stream, the first that succeeds kept.
    constexpr std::size_t tries = 8;
    std::optional<MoveState> state;
    std::pair<std::int32_t, double> outside;
    for (std::size_t attempt = 0; attempt <= tries; ++attempt) {
        state.emplace(problem, partition.region, partition.regions);
        state->pin(pinned);
        Random random(stream_seed(options.seed, 0x626f756e6473ull + attempt));  // streams of their own ("bounds")
        repair_sweeps(*state, random, attempt == 0);  // first the repair that reshapes least
        outside = furthest_outside(state->labels());
        if (outside.first < 0) break;
    }
    const auto [worst, people] = outside;
    if (worst >= 0) {
        std::size_t first = 0, blocks = 0;
        for (std::size_t i = problem.size(); i-- > 0;)
            if (state->region_of(i) == worst) {
                first = i;
                ++blocks;
            }
        const bool over = people > problem.max_population, k = problem.k > 0;
        const std::string bound = over ? "above the ceiling of " + readable_number(problem.max_population) +
                                             (k ? " (raise k or the ceiling)" : " (raise the ceiling or lower the floor)")
                                       : "below the floor of " + readable_number(problem.min_population) +
                                             (k ? " (lower k or the floor)" : " (lower the floor or raise the ceiling)");
        throw invalid_input(std::string(to_string(options.method)) + ": no contiguous partition into " +
                            std::to_string(partition.regions) + " footprints within " + describe_bounds(problem) +
                            " was found: the footprint of " + std::to_string(blocks) + " block(s) holding '" +
                            problem.graph->codes[first] + "' has " + readable_number(std::round(people)) + " people, " +
                            bound);
    }
    partition.region = state->labels();
    std::tie(partition.wss, partition.tss) = sums_of_squares(problem, partition.region);
}

void local_search(MoveState& state, LocalSearch search, Random& random) {
    switch (search) {
        case LocalSearch::greedy: break;
        case LocalSearch::tabu: TabuSearch(state).run(); break;
        case LocalSearch::annealing: anneal(state, random); break;
    }
    descend(state, random);
}

std::size_t best_candidate(const std::vector<Candidate>& candidates) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < candidates.size(); ++i) {
        const Candidate& c = candidates[i];
        const Candidate& b = candidates[best];
        if (c.violation < b.violation || (c.violation == b.violation && c.cost < b.cost)) best = i;
    }
    return best;
}

}  // namespace placedef::detail
