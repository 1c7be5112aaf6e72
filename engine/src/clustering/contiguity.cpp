// contiguity_graph(): queen and rook adjacency computed from the block
// boundaries with a snapping tolerance, without GEOS.
//
// Every ring edge of every block is a segment in one grid index. For each
// block (in parallel) each of its segments looks up the segments of other
// blocks within `snap`: any such pair makes the two blocks queen neighbours,
// and the stretch of the segment whose normals meet the other segment within
// `snap` counts towards the shared length. Measuring along normals (not by
// plain distance) is what keeps a boundary that runs into a corner from
// counting: a square's side shares exactly its length with the square next
// to it and nothing with the one diagonally across. Each block measures its
// own boundary along the other; an edge's shared_length is the mean of the
// two (they differ where generalisation put different vertices on each side).
// A block wholly inside another with no boundary near is found by a point-in-
// polygon test and is a queen neighbour with shared length 0.
#include "placedef/clustering.hpp"
#include "placedef/text.hpp"

#include "placedef/error.hpp"
#include "placedef/geometry.hpp"

#include "clustering/detail/contiguity_index.hpp"
#include "core/parallel.hpp"
#include "geometry/predicates.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

namespace placedef {
inline namespace clustering {
namespace {

struct Segment {
    Coord a, b;
    std::uint32_t block;
};

Box box_of(const Segment& s) {
    return {std::min(s.a.x, s.b.x), std::min(s.a.y, s.b.y), std::max(s.a.x, s.b.x), std::max(s.a.y, s.b.y)};
}

Box grown(Box box, double by) {
    box.minx -= by;
    box.miny -= by;
    box.maxx += by;
    box.maxy += by;
    return box;
}

/// Every ring edge of every block, block by block: block i owns
/// segments[first[i]] .. segments[first[i + 1] - 1].
struct Boundaries {
    std::vector<Segment> segments;
    std::vector<std::size_t> first;
};

Boundaries boundaries_of(const Layer& blocks) {
    Boundaries out;
    out.segments.reserve(std::accumulate(blocks.features.begin(), blocks.features.end(), std::size_t{0},
                                         [](std::size_t sum, const Feature& f) { return sum + vertex_count(f.shape); }));
    out.first.reserve(blocks.size() + 1);
    auto add_ring = [&](const Ring& ring, std::uint32_t block) {
        for (std::size_t i = 0, n = ring.size(); n > 1 && i < n; ++i) out.segments.push_back({ring[i], ring[(i + 1) % n], block});
    };
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        out.first.push_back(out.segments.size());
        const auto block = static_cast<std::uint32_t>(i);
        for (const Polygon& polygon : blocks.features[i].shape.polygons) {
            add_ring(polygon.outer, block);
            for (const Ring& hole : polygon.holes) add_ring(hole, block);
        }
    }
    out.first.push_back(out.segments.size());
    return out;
}

double squared_point_segment_distance(const Coord& p, const Coord& a, const Coord& b) {
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double length2 = dx * dx + dy * dy;
    const double t = length2 > 0 ? std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / length2, 0.0, 1.0) : 0.0;
    const double ex = p.x - (a.x + t * dx), ey = p.y - (a.y + t * dy);
    return ex * ex + ey * ey;
}

/// Square of the least distance from an endpoint of either segment to the
/// other segment: the distance between the segments unless they cross.
/// Symmetric bit for bit, so two blocks always agree on whether they are
/// neighbours.
double squared_endpoint_distance(const Segment& s, const Segment& t) {
    return std::min({squared_point_segment_distance(s.a, t.a, t.b), squared_point_segment_distance(s.b, t.a, t.b),
                     squared_point_segment_distance(t.a, s.a, s.b), squared_point_segment_distance(t.b, s.a, s.b)});
}

/// Whether the segments come within sqrt(squared_reach) of each other. The
/// exact crossing test runs only when no endpoint is that close: on shared
/// boundaries (collinear, common vertices) it would take its slow path.
bool within(const Segment& s, const Segment& t, double squared_reach) {
    // Neighbours in a clean coverage share vertices: the cheapest test first.
    if (s.a == t.a || s.a == t.b || s.b == t.a || s.b == t.b) return true;
    return squared_endpoint_distance(s, t) <= squared_reach || detail::segments_intersect(s.a, s.b, t.a, t.b);
}

double segment_distance(const Segment& s, const Segment& t) {
    const double squared = squared_endpoint_distance(s, t);
    return squared > 0 && detail::segments_intersect(s.a, s.b, t.a, t.b) ? 0.0 : std::sqrt(squared);
}

/// A segment's own frame: its start, unit direction and length.
struct Frame {
    Coord origin;
    double ux = 0, uy = 0, length = 0;
    explicit Frame(const Segment& s) : origin(s.a), length(std::hypot(s.b.x - s.a.x, s.b.y - s.a.y)) {
        if (length > 0) {
            ux = (s.b.x - s.a.x) / length;
            uy = (s.b.y - s.a.y) / length;
        }
    }
    double along(const Coord& c) const { return (c.x - origin.x) * ux + (c.y - origin.y) * uy; }
    double across(const Coord& c) const { return (c.y - origin.y) * ux - (c.x - origin.x) * uy; }
};

/// The stretch [from, to] of segment s (metres from its start; `frame` is
/// s's) whose normals meet t within `snap`; empty (from == to) when t only
/// touches s end-on or at a right angle.
std::pair<double, double> normal_cover(const Frame& frame, const Segment& t, double snap) {
    if (frame.length == 0) return {0, 0};
    // t(λ) = t.a + λ (t.b − t.a): the part with |across| <= snap is one λ interval.
    const double across_a = frame.across(t.a), across_b = frame.across(t.b);
    double low = 0, high = 1;
    if (across_a == across_b) {
        if (std::abs(across_a) > snap) return {0, 0};
    } else {
        double enter = (-snap - across_a) / (across_b - across_a), leave = (snap - across_a) / (across_b - across_a);
        if (enter > leave) std::swap(enter, leave);
        low = std::max(low, enter);
        high = std::min(high, leave);
        if (low >= high) return {0, 0};
    }
    const double along_a = frame.along(t.a), along_b = frame.along(t.b);
    double from = along_a + low * (along_b - along_a), to = along_a + high * (along_b - along_a);
    if (from > to) std::swap(from, to);
    from = std::max(from, 0.0);
    to = std::min(to, frame.length);
    return from < to ? std::make_pair(from, to) : std::make_pair(0.0, 0.0);
}

/// A block that another one comes within snap of, and the length of the
/// first block's boundary that lies along it (normals within snap).
struct Contact {
    std::uint32_t block;
    double length;
};

bool by_block(const Contact& l, const Contact& r) { return l.block < r.block; }

/// A stretch [from, to] of one segment that a neighbour's segment covers.
struct Cover {
    std::uint32_t block;
    double from, to;
};

/// A stretch [from, to] of segment `segment` that the boundary of `block` covers.
struct Stretch {
    std::size_t segment;
    std::uint32_t block;
    double from, to;
};

/// The contacts of one block, sorted by block. `covers` is scratch space;
/// `stretches`, when given, receives the covered stretches of the block's
/// segments, segment by segment, each neighbour's in order along the segment.
std::vector<Contact> contacts_of(std::size_t block, const Boundaries& boundaries, const detail::GridIndex& index,
                                 double snap, std::vector<Cover>& covers, std::vector<Stretch>* stretches = nullptr) {
    std::vector<Contact> contacts;
    auto add = [&](std::uint32_t neighbour, double length) {
        const auto known = std::find_if(contacts.begin(), contacts.end(), [&](const Contact& c) { return c.block == neighbour; });
        if (known == contacts.end())
            contacts.push_back({neighbour, length});
        else
            known->length += length;
    };
    const std::vector<Segment>& segments = boundaries.segments;
    auto segment_box = [&](std::size_t i) { return box_of(segments[i]); };
    for (std::size_t k = boundaries.first[block]; k < boundaries.first[block + 1]; ++k) {
        const Segment& s = segments[k];
        const Frame frame(s);
        covers.clear();
        index.query(grown(box_of(s), snap), segment_box, [&](std::uint32_t other) {
            const Segment& t = segments[other];
            if (t.block == block || !within(s, t, snap * snap)) return;
            const auto [from, to] = normal_cover(frame, t, snap);
            if (from < to)
                covers.push_back({t.block, from, to});
            else
                add(t.block, 0.0);  // a corner or end-on contact
        });
        // Per neighbour, the union of the stretches of s its segments cover.
        std::sort(covers.begin(), covers.end(), [](const Cover& l, const Cover& r) {
            return l.block < r.block || (l.block == r.block && (l.from < r.from || (l.from == r.from && l.to < r.to)));
        });
        for (std::size_t i = 0; i < covers.size();) {
            double covered = 0, from = covers[i].from, to = covers[i].to;
            std::size_t j = i + 1;
            for (; j < covers.size() && covers[j].block == covers[i].block; ++j) {
                if (covers[j].from > to) {
                    covered += to - from;
                    if (stretches) stretches->push_back({k, covers[i].block, from, to});
                    from = covers[j].from;
                }
                to = std::max(to, covers[j].to);
            }
            if (stretches) stretches->push_back({k, covers[i].block, from, to});
            add(covers[i].block, covered + (to - from));
            i = j;
        }
    }
    std::sort(contacts.begin(), contacts.end(), by_block);
    return contacts;
}

/// Adds a contact of length 0 for each block lying wholly inside another
/// with no boundary within snap (overlapping features, or an enclave kept as
/// a separate feature without a matching hole): such pairs overlap, so they
/// are queen neighbours.
void add_enclosures(const Layer& blocks, std::vector<std::vector<Contact>>& contacts, unsigned threads) {
    const std::size_t n = blocks.size();
    std::vector<Box> boxes(n);
    double extent_sum = 0;
    for (std::size_t i = 0; i < n; ++i) {
        boxes[i] = bounds(blocks.features[i].shape);
        extent_sum += std::max(boxes[i].width(), boxes[i].height());
    }
    auto block_box = [&](std::size_t i) { return boxes[i]; };
    const detail::GridIndex index(n, block_box, extent_sum / static_cast<double>(n));
    detail::parallel_for(n, threads, 64, [&](std::size_t begin, std::size_t end) {
        for (std::size_t inner = begin; inner < end; ++inner) {
            const MultiPolygon& shape = blocks.features[inner].shape;
            if (shape.empty() || shape.polygons[0].outer.empty()) continue;
            std::vector<Contact>& known = contacts[inner];
            const std::size_t known_count = known.size();
            index.query(boxes[inner], block_box, [&](std::uint32_t outer) {
                if (outer == inner || !boxes[outer].contains(boxes[inner])) return;
                // The first known_count contacts are sorted; later ones are enclosures just found.
                if (std::binary_search(known.begin(), known.begin() + static_cast<std::ptrdiff_t>(known_count), Contact{outer, 0},
                                       by_block))
                    return;
                if (covers(blocks.features[outer].shape, shape.polygons[0].outer[0])) known.push_back({outer, 0.0});
            });
            std::sort(known.begin(), known.end(), by_block);
        }
    });
}

/// The least boundary distance between two blocks of different components,
/// ordered by distance, then by the blocks (so ties break the same way on
/// every run).
struct Link {
    double distance;
    std::uint32_t a, b;  ///< a < b
    friend bool operator<(const Link& l, const Link& r) {
        return l.distance < r.distance || (l.distance == r.distance && (l.a < r.a || (l.a == r.a && l.b < r.b)));
    }
};

/// The nearest pair between `members` (blocks of one group) and any block of
/// another group: grid searches of growing radius, until one finds a pair
/// within its radius (then nothing nearer can exist).
Link nearest_link(const std::vector<std::uint32_t>& members, const std::vector<std::uint32_t>& group,
                  const Boundaries& boundaries, const detail::GridIndex& index, const std::vector<std::string>& codes) {
    const std::vector<Segment>& segments = boundaries.segments;
    auto segment_box = [&](std::size_t i) { return box_of(segments[i]); };
    const std::uint32_t own = group[members.front()];
    const double reach = index.extent().width() + index.extent().height();
    for (double radius = index.cell_size();; radius *= 2) {
        Link best{std::numeric_limits<double>::infinity(), 0, 0};
        for (const std::uint32_t block : members)
            for (std::size_t k = boundaries.first[block]; k < boundaries.first[block + 1]; ++k) {
                const Segment& s = segments[k];
                index.query(grown(box_of(s), radius), segment_box, [&](std::uint32_t other) {
                    const Segment& t = segments[other];
                    if (group[t.block] == own) return;
                    const double d = segment_distance(s, t);
                    const Link link{d, std::min(block, t.block), std::max(block, t.block)};
                    if (d <= radius && link < best) best = link;
                });
            }
        if (best.distance <= radius) return best;
        if (radius > reach)
            throw invalid_input("cannot join block '" + codes[members.front()] +
                                "' to the other blocks: one side has no boundary (an empty geometry)");
    }
}

/// join_nearest: each round, every component but the largest finds its
/// nearest block in another component, and those links are added shortest
/// first unless they would close a cycle, until one component is left. Each
/// added link is the shortest leaving its component, so the links are the
/// minimum spanning tree of the components (Borůvka, like Kruskal over
/// components).
std::vector<std::pair<std::uint32_t, std::uint32_t>> join_components(const ContiguityGraph& graph,
                                                                     const Boundaries& boundaries,
                                                                     const detail::GridIndex& index, unsigned threads) {
    std::vector<std::uint32_t> parent(graph.component_count);
    std::iota(parent.begin(), parent.end(), 0u);
    auto find = [&](std::uint32_t c) {
        while (parent[c] != c) c = parent[c] = parent[parent[c]];
        return c;
    };
    std::vector<std::pair<std::uint32_t, std::uint32_t>> joined;
    std::size_t remaining = graph.component_count;
    std::vector<std::uint32_t> group(graph.size());
    while (remaining > 1) {
        // Groups in order of their first block; the largest (first on ties) does not search.
        std::vector<std::vector<std::uint32_t>> members;
        std::vector<std::size_t> slot(graph.component_count, std::numeric_limits<std::size_t>::max());
        for (std::size_t i = 0; i < graph.size(); ++i) {
            const std::uint32_t root = find(graph.component[i]);
            group[i] = root;
            if (slot[root] == std::numeric_limits<std::size_t>::max()) {
                slot[root] = members.size();
                members.emplace_back();
            }
            members[slot[root]].push_back(static_cast<std::uint32_t>(i));
        }
        const auto largest = std::max_element(members.begin(), members.end(), [](const auto& l, const auto& r) {
            return l.size() < r.size();
        });
        members.erase(largest);
        std::vector<Link> links(members.size());
        detail::parallel_for(members.size(), threads, 1, [&](std::size_t begin, std::size_t end) {
            for (std::size_t g = begin; g < end; ++g) links[g] = nearest_link(members[g], group, boundaries, index, graph.codes);
        });
        std::sort(links.begin(), links.end());
        for (const Link& link : links) {
            const std::uint32_t ra = find(graph.component[link.a]), rb = find(graph.component[link.b]);
            if (ra == rb) continue;
            parent[std::max(ra, rb)] = std::min(ra, rb);
            joined.emplace_back(link.a, link.b);
            --remaining;
        }
    }
    return joined;
}

void check_options(const Layer& blocks, const ContiguityOptions& options) {
    if (blocks.kind != LayerKind::polygon)
        throw invalid_input("the block layer " + blocks.label() + " holds points: a contiguity graph needs polygons");
    if (blocks.size() == 0) throw invalid_input("the block layer " + blocks.label() + " has no features");
    if (blocks.size() > std::numeric_limits<std::uint32_t>::max())
        throw invalid_input("the block layer " + blocks.label() + " has more blocks than a graph can index");
    if (!(options.snap >= 0) || !std::isfinite(options.snap))
        throw invalid_input("the snap distance must be a finite number of metres >= 0, not " + readable_number(options.snap));
    if (options.adjacency == Adjacency::rook && (!(options.min_shared_length >= 0) || !std::isfinite(options.min_shared_length)))
        throw invalid_input("the least shared length for rook contiguity must be a finite number of metres >= 0, not " +
                            readable_number(options.min_shared_length));
}

}  // namespace

ContiguityGraph contiguity_graph(const Layer& blocks, const ContiguityOptions& options) {
    check_options(blocks, options);
    const std::size_t n = blocks.size();
    const Boundaries boundaries = boundaries_of(blocks);
    const std::vector<Segment>& segments = boundaries.segments;

    // Cells about the size of a typical query (a segment's box grown by snap).
    double extent_sum = 0;
    for (const Segment& s : segments) extent_sum += std::max(std::abs(s.b.x - s.a.x), std::abs(s.b.y - s.a.y));
    const double cell = (segments.empty() ? 0.0 : extent_sum / static_cast<double>(segments.size())) + 2 * options.snap;
    const detail::GridIndex index(segments.size(), [&](std::size_t i) { return box_of(segments[i]); }, cell);

    std::vector<std::vector<Contact>> contacts(n);
    detail::parallel_for(n, options.threads, 16, [&](std::size_t begin, std::size_t end) {
        std::vector<Cover> covers;
        for (std::size_t i = begin; i < end; ++i) contacts[i] = contacts_of(i, boundaries, index, options.snap, covers);
    });
    add_enclosures(blocks, contacts, options.threads);

    // Each pair is seen from both sides (the neighbour test is symmetric;
    // only an enclosure is listed by the inner block alone): its shared
    // length is the mean of the two directed lengths.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
    std::vector<double> lengths;
    for (std::uint32_t a = 0; a < n; ++a)
        for (const Contact& c : contacts[a]) {
            const std::vector<Contact>& other = contacts[c.block];
            const auto back = std::lower_bound(other.begin(), other.end(), Contact{a, 0.0}, by_block);
            const bool seen_back = back != other.end() && back->block == a;
            if (c.block < a && seen_back) continue;  // taken from the other side
            const double shared = (c.length + (seen_back ? back->length : 0.0)) / 2;
            if (options.adjacency == Adjacency::queen || shared >= options.min_shared_length) {
                edges.emplace_back(std::min(a, c.block), std::max(a, c.block));
                lengths.push_back(shared);
            }
        }

    std::vector<std::string> codes(n);
    for (std::size_t i = 0; i < n; ++i) codes[i] = blocks.features[i].code;
    ContiguityGraph graph = graph_from_edges(codes, edges, lengths);
    if (options.islands == IslandPolicy::join_nearest && graph.component_count > 1) {
        std::vector<std::pair<std::uint32_t, std::uint32_t>> joined = join_components(graph, boundaries, index, options.threads);
        std::vector<std::uint32_t> islands = std::move(graph.islands);
        edges.insert(edges.end(), joined.begin(), joined.end());
        lengths.resize(edges.size(), 0.0);
        graph = graph_from_edges(std::move(codes), edges, lengths);
        graph.islands = std::move(islands);
        graph.joined = std::move(joined);
    }
    graph.snap = options.snap;
    return graph;
}

std::vector<std::vector<std::vector<Coord>>> shared_boundaries(const Layer& blocks, const ContiguityGraph& graph,
                                                               unsigned threads) {
    if (blocks.size() != graph.size())
        throw invalid_input("the block layer " + blocks.label() + " has " + std::to_string(blocks.size()) +
                            " blocks, the contiguity graph " + std::to_string(graph.size()));
    const Boundaries boundaries = boundaries_of(blocks);
    const std::vector<Segment>& segments = boundaries.segments;
    double extent_sum = 0;
    for (const Segment& s : segments) extent_sum += std::max(std::abs(s.b.x - s.a.x), std::abs(s.b.y - s.a.y));
    const double cell = (segments.empty() ? 0.0 : extent_sum / static_cast<double>(segments.size())) + 2 * graph.snap;
    const detail::GridIndex index(segments.size(), [&](std::size_t i) { return box_of(segments[i]); }, cell);

    std::vector<std::vector<std::vector<Coord>>> lines(graph.edge_count());
    std::vector<std::size_t> first_edge(graph.size() + 1, 0);  // block a's edges to higher blocks start here
    for (std::size_t a = 0; a < graph.size(); ++a)
        first_edge[a + 1] = first_edge[a] + static_cast<std::size_t>(std::count_if(
                                                graph.begin(a), graph.end(a), [a](std::uint32_t b) { return b > a; }));
    detail::parallel_for(graph.size(), threads, 16, [&](std::size_t begin, std::size_t end) {
        std::vector<Cover> covers;
        std::vector<Stretch> stretches;
        for (std::size_t a = begin; a < end; ++a) {
            stretches.clear();
            contacts_of(a, boundaries, index, graph.snap, covers, &stretches);
            // Each edge is drawn along its lower block's boundary.
            for (const Stretch& stretch : stretches) {
                if (stretch.block <= a) continue;
                const std::uint32_t* at = std::lower_bound(graph.begin(a), graph.end(a), stretch.block);
                if (at == graph.end(a) || *at != stretch.block) continue;  // too short a contact for rook
                const std::size_t edge = first_edge[a] + static_cast<std::size_t>(std::count_if(
                                                             graph.begin(a), at, [a](std::uint32_t b) { return b > a; }));
                const Segment& s = segments[stretch.segment];
                const Frame frame(s);
                const Coord from{s.a.x + frame.ux * stretch.from, s.a.y + frame.uy * stretch.from};
                const Coord to{s.a.x + frame.ux * stretch.to, s.a.y + frame.uy * stretch.to};
                std::vector<std::vector<Coord>>& edge_lines = lines[edge];
                if (!edge_lines.empty() && edge_lines.back().back() == from)
                    edge_lines.back().push_back(to);  // the next stretch along the ring
                else
                    edge_lines.push_back({from, to});
            }
        }
    });
    return lines;
}

}  // namespace clustering
}  // namespace placedef
