#include "placedef/error.hpp"
#include "placedef/geometry.hpp"

#include "core/parallel.hpp"

#include <map>
#include <optional>

namespace placedef {
inline namespace geometry {

namespace {

Location where(const Layer& layer, const Feature& feature, const std::string& field = {}) {
    Location location;
    location.file = layer.source;
    location.layer = layer.name;
    location.fid = feature.fid;
    location.code = feature.code;
    location.field = field;
    return location;
}

/// What the geometry check found for one feature, computed in parallel and
/// reported afterwards in feature order so that the report is deterministic.
struct Verdict {
    Validity validity;
    bool collapsed = false;  ///< repair left no polygon, or was not possible
    std::string repair_error;
    std::vector<DroppedRing> dropped;  ///< degenerate rings, taken out before repair
    Validity after_drop;               ///< the validity of what they left
};

/// False for faults nothing sensible can be rebuilt from: NaN, inf, 1e300 or
/// 1e-320 coordinates, or a sliver that GEOS calls valid.
bool repairable(ValidityReason reason) {
    return reason != ValidityReason::non_finite_coordinate && reason != ValidityReason::coordinate_out_of_range &&
           reason != ValidityReason::zero_area;
}

void check_all(std::vector<Feature>& features, std::vector<Verdict>& verdicts,
                    InvalidPolicy policy, unsigned threads) {
    detail::parallel_for(features.size(), threads, 64, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            Feature& feature = features[i];
            normalise(feature.shape);
            Verdict& verdict = verdicts[i];
            verdict.validity = check_validity(feature.shape);
            if (verdict.validity.ok()) continue;
            // A degenerate hole or part cannot even be given to GEOS, so it is
            // taken out first and only it is lost, whatever its neighbours.
            MultiPolygon rest = feature.shape;
            verdict.dropped = drop_degenerate_rings(rest);
            if (policy != InvalidPolicy::repair) continue;
            if (!verdict.dropped.empty()) {
                feature.shape = std::move(rest);
                verdict.after_drop = check_validity(feature.shape);
                if (feature.shape.empty()) {
                    verdict.collapsed = true;
                    continue;
                }
                if (verdict.after_drop.ok()) continue;
            }
            const ValidityReason reason = verdict.dropped.empty() ? verdict.validity.reason : verdict.after_drop.reason;
            if (!repairable(reason)) {
                verdict.collapsed = true;
                continue;
            }
            try {
                feature.shape = make_valid(feature.shape);
                verdict.collapsed = feature.shape.empty() || area(feature.shape) <= 0.0;
            } catch (const error& e) {
                verdict.repair_error = e.reason();
                verdict.collapsed = true;
            }
        }
    });
}

/// Reports the degenerate rings of a feature, one problem each, or one
/// collapsed_geometry when no ring is left; false when the feature goes.
bool report_dropped_rings(const Verdict& verdict, InvalidPolicy policy, const Location& at, ProblemSink& problems) {
    if (policy == InvalidPolicy::repair && verdict.collapsed && verdict.after_drop.reason == ValidityReason::empty) {
        std::string detail = "no ring can be built (";
        for (std::size_t i = 0; i < verdict.dropped.size(); ++i)
            detail += (i ? "; " : "") + verdict.dropped[i].describe();
        problems.report(Problem{ProblemKind::collapsed_geometry, ProblemAction::skipped, at, detail + "); feature skipped"});
        return false;
    }
    for (const DroppedRing& ring : verdict.dropped) {
        Problem problem{ProblemKind::degenerate_ring, ProblemAction::repaired, at, ring.describe()};
        if (policy == InvalidPolicy::fail) {
            problem.action = ProblemAction::failed;
            problems.report(problem);
            throw invalid_input("degenerate ring, " + ring.fault() + " (use --invalid repair to drop it and go on)",
                                at);
        }
        if (policy == InvalidPolicy::skip) {
            problem.action = ProblemAction::skipped;
            problem.detail = ring.fault() + "; feature skipped";
            problems.report(problem);
            return false;  // one report says why the feature went
        }
        problems.report(problem);
    }
    return true;
}

}  // namespace

void check_layer(Layer& layer, InvalidPolicy policy, ProblemSink& problems, unsigned threads) {
    if (layer.kind != LayerKind::polygon) return;
    std::vector<Verdict> verdicts(layer.features.size());
    check_all(layer.features, verdicts, policy, threads);

    std::vector<Feature> kept;
    kept.reserve(layer.features.size());
    for (std::size_t i = 0; i < layer.features.size(); ++i) {
        Feature& feature = layer.features[i];
        const Verdict& verdict = verdicts[i];
        if (verdict.validity.ok()) {
            kept.push_back(std::move(feature));
            continue;
        }
        const Location at = where(layer, feature, layer.geometry_column);
        if (!verdict.dropped.empty()) {
            if (!report_dropped_rings(verdict, policy, at, problems)) continue;
            if (verdict.after_drop.ok()) {
                kept.push_back(std::move(feature));
                continue;
            }
        }
        const Validity& validity = verdict.dropped.empty() ? verdict.validity : verdict.after_drop;
        Problem problem{ProblemKind::invalid_geometry, ProblemAction::repaired, at, validity.describe()};
        if (policy == InvalidPolicy::fail) {
            problem.action = ProblemAction::failed;
            problems.report(problem);
            throw invalid_input("invalid geometry: " + validity.describe() +
                                    " (use --invalid repair or skip to go on)",
                                problem.where);
        }
        if (policy == InvalidPolicy::skip || verdict.collapsed) {
            problem.action = ProblemAction::skipped;
            if (verdict.collapsed) {
                problem.kind = ProblemKind::collapsed_geometry;
                if (!repairable(validity.reason)) problem.detail += "; not repairable, feature skipped";
                else if (!verdict.repair_error.empty()) problem.detail += "; repair failed: " + verdict.repair_error;
                else problem.detail += "; repair left no polygon, feature skipped";
            }
            problems.report(problem);
            continue;
        }
        problems.report(problem);
        kept.push_back(std::move(feature));
    }

    // Duplicate codes: a unit exported as several rows (multipart features
    // written one part per row) is the usual cause, so repair merges them.
    std::map<std::string, std::size_t> first_of;
    std::vector<Feature> unique;
    unique.reserve(kept.size());
    std::vector<std::vector<MultiPolygon>> merge_parts;
    for (Feature& feature : kept) {
        auto [it, inserted] = first_of.emplace(feature.code, unique.size());
        if (inserted) {
            unique.push_back(std::move(feature));
            merge_parts.emplace_back();
            continue;
        }
        const Feature& first = unique[it->second];
        Problem problem{ProblemKind::duplicate_code, ProblemAction::merged, where(layer, feature, layer.code_column),
                        "code also used by feature " + std::to_string(first.fid)};
        if (policy == InvalidPolicy::fail) {
            problem.action = ProblemAction::failed;
            problems.report(problem);
            throw invalid_input("duplicate code '" + feature.code + "' (first at feature " +
                                    std::to_string(first.fid) + ")",
                                problem.where);
        }
        if (policy == InvalidPolicy::skip) {
            problem.action = ProblemAction::skipped;
            problem.detail += "; this later feature is skipped";
        } else {
            problem.detail += "; merged into one unit";
            merge_parts[it->second].push_back(std::move(feature.shape));
        }
        problems.report(problem);
    }
    for (std::size_t i = 0; i < unique.size(); ++i) {
        if (merge_parts[i].empty()) continue;
        merge_parts[i].push_back(std::move(unique[i].shape));
        unique[i].shape = union_all(merge_parts[i]);
    }
    layer.features = std::move(unique);
}

Layer load_layer(const LayerAddress& address, const ReadOptions& options, ProblemSink& problems) {
    Layer layer = read_layer(address, options, problems);
    check_layer(layer, options.invalid, problems, options.threads);
    return layer;
}

Layer load_wkb_layer(const std::string& name, const std::string& crs, const std::vector<WkbFeature>& features,
                     const ReadOptions& options, ProblemSink& problems) {
    Layer layer = read_wkb_layer(name, crs, features, options, problems);
    check_layer(layer, options.invalid, problems, options.threads);
    return layer;
}

}  // namespace geometry
}  // namespace placedef
