// k-means: scikit-learn's greedy k-means++ seeding and Lloyd iterations (same convergence rule,
// same relocation of empty clusters, same final re-assignment), on column-major scaled features.
// Every pass runs over fixed chunks of rows whose partial results are combined in chunk order, so
// results never depend on the thread count.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "analytics/kmeans_kernels.hpp"
#include "analytics/kmeans_scaled.hpp"
#include "analytics/parallel.hpp"
#include "crmkit/analytics/kmeans.hpp"
#include "crmkit/core/error.hpp"

namespace crmkit::analytics {

std::string_view to_string(Scaling scaling) noexcept {
  switch (scaling) {
    case Scaling::none: return "none";
    case Scaling::standardize: return "standardize";
    case Scaling::log1p_standardize: return "log1p_standardize";
  }
  return "standardize";
}

Scaling parse_scaling(std::string_view text, std::string_view field) {
  if (text == "none") return Scaling::none;
  if (text == "standardize") return Scaling::standardize;
  if (text == "log1p_standardize") return Scaling::log1p_standardize;
  throw ValidationError(std::string(field), std::string(text),
                        "must be one of none, standardize, log1p_standardize");
}

namespace {

using detail::block_distances;
using detail::kmeans_block_rows;
using detail::kmeans_chunk_rows;
using detail::KMeansRandom;
using detail::parallel_for;
using detail::ScaledFeatures;

struct Range {
  std::size_t begin;
  std::size_t end;
};

Range chunk_range(std::size_t rows, std::size_t chunk) {
  const std::size_t begin = chunk * kmeans_chunk_rows;
  return {begin, std::min(rows, begin + kmeans_chunk_rows)};
}

// Sums in index order: the one way partial results are combined.
double ordered_sum(const std::vector<double>& values) {
  double total = 0;
  for (const double v : values) total += v;
  return total;
}

/// One k-means run's outcome; labels live in a buffer owned by the caller.
struct Run {
  std::vector<double> centroids;  // k × cols, scaled space
  std::vector<std::int64_t> sizes;
  double inertia = 0;
  int iterations = 0;
  bool converged = false;
};

/// Seeding and Lloyd iterations for features with C columns (0: known at run time only).
template <std::size_t C>
class Runner {
 public:
  Runner(const ScaledFeatures& x, std::size_t k, unsigned threads)
      : x_(x),
        rows_(x.rows),
        cols_(C == 0 ? x.cols : C),
        k_(k),
        threads_(threads),
        chunks_(detail::chunk_count(x.rows, kmeans_chunk_rows)),
        chunk_sums_(chunks_),
        chunk_changed_(chunks_),
        chunk_centroid_sums_(chunks_ * k * cols_),
        chunk_counts_(chunks_ * k),
        splat_(2 * k * cols_) {}

  /// Greedy k-means++ (scikit-learn's `_kmeans_plusplus`): first centre uniform, then for each
  /// further centre 2 + floor(ln k) candidates drawn by D² sampling, keeping the one that lowers
  /// the potential most.
  std::vector<double> seed(KMeansRandom& random) {
    std::vector<double> centers(k_ * cols_);
    closest_.resize(rows_);
    copy_row(random.below(rows_), centers.data());
    parallel_for(chunks_, threads_, [&](std::size_t chunk) {
      chunk_sums_[chunk] = update_closest(chunk, centers.data(), false);
    });
    double potential = ordered_sum(chunk_sums_);

    const std::size_t trials = 2 + static_cast<std::size_t>(std::log(static_cast<double>(k_)));
    std::vector<std::size_t> candidates(trials);
    std::vector<double> candidate_points(trials * cols_);
    std::vector<double> candidate_partials(chunks_ * trials);
    for (std::size_t c = 1; c < k_; ++c) {
      for (std::size_t t = 0; t < trials; ++t) {
        candidates[t] = sample(random, potential);
        copy_row(candidates[t], candidate_points.data() + t * cols_);
      }
      parallel_for(chunks_, threads_, [&](std::size_t chunk) {
        candidate_potentials(chunk, candidate_points.data(), trials,
                             candidate_partials.data() + chunk * trials);
      });
      std::size_t best = 0;
      double best_potential = std::numeric_limits<double>::infinity();
      for (std::size_t t = 0; t < trials; ++t) {
        double total = 0;
        for (std::size_t chunk = 0; chunk < chunks_; ++chunk) total += candidate_partials[chunk * trials + t];
        if (total < best_potential) {
          best_potential = total;
          best = t;
        }
      }
      double* center = centers.data() + c * cols_;
      std::copy_n(candidate_points.data() + best * cols_, cols_, center);
      parallel_for(chunks_, threads_, [&](std::size_t chunk) {
        chunk_sums_[chunk] = update_closest(chunk, center, true);
      });
      potential = ordered_sum(chunk_sums_);
    }
    return centers;
  }

  /// Lloyd iterations from `centers` (scikit-learn's `_kmeans_single_lloyd`), then a last
  /// assignment so that labels, sizes and inertia match the returned centroids.
  Run lloyd(std::vector<double> centers, int max_iterations, double tolerance,
            std::vector<std::int32_t>& labels) {
    labels.assign(rows_, -1);
    Run run;
    std::vector<double> next(k_ * cols_);
    std::vector<double> sums(k_ * cols_);
    std::vector<std::int64_t> counts(k_);
    for (int iteration = 0; iteration < max_iterations; ++iteration) {
      const std::size_t changed = assign(centers.data(), labels.data(), sums, counts);
      relocate_empty_clusters(centers.data(), labels.data(), sums, counts);
      double shift = 0;
      for (std::size_t j = 0; j < k_; ++j) {
        for (std::size_t c = 0; c < cols_; ++c) {
          const double old = centers[j * cols_ + c];
          // A cluster left empty (only when points are duplicates) keeps its centroid.
          const double now =
              counts[j] > 0 ? sums[j * cols_ + c] / static_cast<double>(counts[j]) : old;
          next[j * cols_ + c] = now;
          shift += (now - old) * (now - old);
        }
      }
      std::swap(centers, next);
      run.iterations = iteration + 1;
      if (changed == 0 || shift <= tolerance) {
        run.converged = true;
        break;
      }
    }
    assign(centers.data(), labels.data(), sums, counts);
    run.inertia = ordered_sum(chunk_sums_);
    run.sizes = std::move(counts);
    run.centroids = std::move(centers);
    return run;
  }

 private:
  void copy_row(std::size_t row, double* out) const {
    for (std::size_t c = 0; c < cols_; ++c) out[c] = x_.column(c)[row];
  }

  // closest = distance to `center` (or the smaller of both when `keep_min`) over the chunk; its sum.
  double update_closest(std::size_t chunk, const double* center, bool keep_min) {
    const auto [begin, end] = chunk_range(rows_, chunk);
    double dist[kmeans_block_rows];
    double sum = 0;
    for (std::size_t b = begin; b < end; b += kmeans_block_rows) {
      const std::size_t n = std::min(kmeans_block_rows, end - b);
      block_distances<C>(x_.columns.data(), rows_, cols_, b, n, center, dist);
      double* closest = closest_.data() + b;
      if (keep_min) {
        for (std::size_t i = 0; i < n; ++i) closest[i] = std::min(closest[i], dist[i]);
      } else {
        std::copy_n(dist, n, closest);
      }
      sum += detail::block_sum(closest, n);
    }
    return sum;
  }

  // The potential each candidate would leave over the chunk: the sum of min(closest, distance).
  void candidate_potentials(std::size_t chunk, const double* points, std::size_t trials, double* out) {
    const auto [begin, end] = chunk_range(rows_, chunk);
    double dist[kmeans_block_rows];
    for (std::size_t t = 0; t < trials; ++t) out[t] = 0;
    for (std::size_t b = begin; b < end; b += kmeans_block_rows) {
      const std::size_t n = std::min(kmeans_block_rows, end - b);
      const double* closest = closest_.data() + b;
      for (std::size_t t = 0; t < trials; ++t) {
        block_distances<C>(x_.columns.data(), rows_, cols_, b, n, points + t * cols_, dist);
        for (std::size_t i = 0; i < n; ++i) dist[i] = std::min(closest[i], dist[i]);
        out[t] += detail::block_sum(dist, n);
      }
    }
  }

  // D² sampling: the first row whose running sum of `closest` exceeds u × potential. The running
  // sum starts from the chunk sums, so a draw costs one chunk scan rather than the whole data.
  std::size_t sample(KMeansRandom& random, double potential) const {
    const double u = random.uniform();
    if (!(potential > 0)) return random.below(rows_);  // every row is already a centre
    const double target = u * potential;
    double prefix = 0;
    std::size_t last_positive_chunk = 0;
    for (std::size_t chunk = 0; chunk < chunks_; ++chunk) {
      const double sum = chunk_sums_[chunk];
      if (sum > 0) last_positive_chunk = chunk;
      if (sum > 0 && prefix + sum > target) return scan_chunk(chunk, prefix, target);
      prefix += sum;
    }
    // Rounding put the target at the very end: take the last row with a positive weight.
    return scan_chunk(last_positive_chunk, 0, std::numeric_limits<double>::infinity());
  }

  // The first row of the chunk where prefix + running sum exceeds target, else its last row with
  // a positive weight (the chunk's sum is positive, so there is one).
  std::size_t scan_chunk(std::size_t chunk, double prefix, double target) const {
    const auto [begin, end] = chunk_range(rows_, chunk);
    double running = prefix;
    std::size_t last_positive = begin;
    for (std::size_t r = begin; r < end; ++r) {
      if (closest_[r] > 0) {
        running += closest_[r];
        last_positive = r;
        if (running > target) return r;
      }
    }
    return last_positive;
  }

  // Assigns every row to its nearest centroid (lowest index on ties, as scikit-learn), summing
  // the rows of each cluster. Returns how many labels changed; chunk_sums_ holds the inertia.
  std::size_t assign(const double* centers, std::int32_t* labels, std::vector<double>& sums,
                     std::vector<std::int64_t>& counts) {
    detail::splat_centers(centers, k_ * cols_, splat_.data());
    parallel_for(chunks_, threads_, [&](std::size_t chunk) { assign_chunk(chunk, centers, labels); });
    std::fill(sums.begin(), sums.end(), 0.0);
    std::fill(counts.begin(), counts.end(), 0);
    std::size_t changed = 0;
    for (std::size_t chunk = 0; chunk < chunks_; ++chunk) {
      changed += chunk_changed_[chunk];
      const double* chunk_sums = chunk_centroid_sums_.data() + chunk * k_ * cols_;
      const std::int64_t* chunk_counts = chunk_counts_.data() + chunk * k_;
      for (std::size_t i = 0; i < k_ * cols_; ++i) sums[i] += chunk_sums[i];
      for (std::size_t j = 0; j < k_; ++j) counts[j] += chunk_counts[j];
    }
    return changed;
  }

  void assign_chunk(std::size_t chunk, const double* centers, std::int32_t* labels) {
    const std::size_t cols = C == 0 ? cols_ : C;  // a constant in the specialised kernels
    const std::size_t values = k_ * cols;
    const auto [begin, end] = chunk_range(rows_, chunk);
    // Sums are accumulated in buffers of this task (the chunk slots of neighbouring chunks share
    // cache lines, which two threads would fight over row by row) and copied out at the end.
    // Two sets, for even and odd rows: consecutive rows of one cluster then add into different
    // memory, which halves the store-to-load chains of the scatter. They are merged in a fixed
    // order, so results stay independent of the thread count.
    std::vector<double> sum_buffer(2 * values, 0.0);
    std::vector<std::int64_t> count_buffer(2 * k_, 0);
    double* sums = sum_buffer.data();
    double* odd_sums = sums + values;
    std::int64_t* counts = count_buffer.data();
    std::int64_t* odd_counts = counts + k_;
    // Labels are kept as doubles inside a block so that the nearest-centroid selection runs on
    // lanes of one width.
    double best[kmeans_block_rows];
    double nearest[kmeans_block_rows];
    double scratch[kmeans_block_rows];
    const double* columns = x_.columns.data();
    double inertia = 0;
    std::size_t changed = 0;
    for (std::size_t b = begin; b < end; b += kmeans_block_rows) {
      const std::size_t n = std::min(kmeans_block_rows, end - b);
      detail::nearest_centers<C>(columns, rows_, cols, b, n, centers, splat_.data(), k_, best, nearest,
                                 scratch);
      std::int32_t* block_labels = labels + b;
      for (std::size_t i = 0; i < n; ++i) {
        const auto label = static_cast<std::int32_t>(nearest[i]);
        changed += block_labels[i] != label ? 1U : 0U;
        block_labels[i] = label;
      }
      const double* x = columns + b;
      std::size_t i = 0;
      for (; i + 2 <= n; i += 2) {
        const auto j0 = static_cast<std::size_t>(block_labels[i]);
        const auto j1 = static_cast<std::size_t>(block_labels[i + 1]);
        ++counts[j0];
        ++odd_counts[j1];
        for (std::size_t c = 0; c < cols; ++c) {
          sums[j0 * cols + c] += x[c * rows_ + i];
          odd_sums[j1 * cols + c] += x[c * rows_ + i + 1];
        }
      }
      if (i < n) {
        const auto j = static_cast<std::size_t>(block_labels[i]);
        ++counts[j];
        for (std::size_t c = 0; c < cols; ++c) sums[j * cols + c] += x[c * rows_ + i];
      }
      inertia += detail::block_sum(best, n);
    }
    double* chunk_sums = chunk_centroid_sums_.data() + chunk * values;
    std::int64_t* chunk_counts = chunk_counts_.data() + chunk * k_;
    for (std::size_t v = 0; v < values; ++v) chunk_sums[v] = sums[v] + odd_sums[v];
    for (std::size_t j = 0; j < k_; ++j) chunk_counts[j] = counts[j] + odd_counts[j];
    chunk_sums_[chunk] = inertia;
    chunk_changed_[chunk] = changed;
  }

  // scikit-learn's _relocate_empty_clusters: each empty cluster takes one of the rows farthest
  // from their assigned centroid (farthest first; ties: lowest row), moved out of its cluster's
  // sums. Nothing moves when every row sits on its centroid (duplicate points).
  void relocate_empty_clusters(const double* centers, const std::int32_t* labels,
                               std::vector<double>& sums, std::vector<std::int64_t>& counts) {
    std::vector<std::size_t> empty;
    for (std::size_t j = 0; j < k_; ++j) {
      if (counts[j] == 0) empty.push_back(j);
    }
    if (empty.empty()) return;
    // The m farthest rows, kept sorted by distance descending, earlier rows first on ties.
    std::vector<std::pair<double, std::size_t>> far;
    far.reserve(empty.size() + 1);
    for (std::size_t r = 0; r < rows_; ++r) {
      const double* center = centers + static_cast<std::size_t>(labels[r]) * cols_;
      double d = 0;
      for (std::size_t c = 0; c < cols_; ++c) {
        const double t = x_.column(c)[r] - center[c];
        d += t * t;
      }
      if (far.size() == empty.size() && !(d > far.back().first)) continue;
      const auto at = std::find_if(far.begin(), far.end(), [d](const auto& e) { return d > e.first; });
      far.insert(at, {d, r});
      if (far.size() > empty.size()) far.pop_back();
    }
    if (!(far.front().first > 0)) return;
    for (std::size_t i = 0; i < empty.size(); ++i) {
      const std::size_t to = empty[i];
      const std::size_t row = far[i].second;
      const auto from = static_cast<std::size_t>(labels[row]);
      for (std::size_t c = 0; c < cols_; ++c) {
        const double v = x_.column(c)[row];
        sums[from * cols_ + c] -= v;
        sums[to * cols_ + c] = v;
      }
      --counts[from];
      counts[to] = 1;
    }
  }

  const ScaledFeatures& x_;
  std::size_t rows_;
  std::size_t cols_;
  std::size_t k_;
  unsigned threads_;
  std::size_t chunks_;
  std::vector<double> closest_;             // k-means++: squared distance to the nearest centre
  std::vector<double> chunk_sums_;          // per chunk: potential (seeding) or inertia (Lloyd)
  std::vector<std::size_t> chunk_changed_;  // per chunk: labels changed
  std::vector<double> chunk_centroid_sums_;  // per chunk: k × cols sums of rows
  std::vector<std::int64_t> chunk_counts_;   // per chunk: k row counts
  std::vector<double> splat_;                     // the centres as two-lane broadcasts
};

void validate_options(const KMeansOptions& options, std::size_t rows, std::size_t cols) {
  if (options.k < 1 || static_cast<std::size_t>(options.k) > rows) {
    throw ValidationError("k", std::to_string(options.k),
                          fmt::format("must be between 1 and the number of rows ({})", rows));
  }
  if (options.n_init < 1) {
    throw ValidationError("n_init", std::to_string(options.n_init), "must be at least 1");
  }
  if (options.max_iterations < 1) {
    throw ValidationError("max_iterations", std::to_string(options.max_iterations),
                          "must be at least 1");
  }
  if (!std::isfinite(options.tolerance) || options.tolerance < 0) {
    throw ValidationError("tolerance", fmt::format("{}", options.tolerance),
                          "must be finite and not negative");
  }
  const std::size_t expected = static_cast<std::size_t>(options.k) * cols;
  if (!options.initial_centroids.empty() && options.initial_centroids.size() != expected) {
    throw ValidationError(
        "initial_centroids", fmt::format("{} values", options.initial_centroids.size()),
        fmt::format("must hold k × cols = {} × {} = {} values", options.k, cols, expected));
  }
}

/// k-means on features already scaled; `initial` (scaled, k × cols) replaces the k-means++ runs
/// when not empty. Options must have been validated.
KMeansResult kmeans_scaled(const ScaledFeatures& x, const KMeansOptions& options,
                           std::vector<double> initial) {
  const auto k = static_cast<std::size_t>(options.k);
  const unsigned threads = detail::thread_count(options.threads);
  const double tolerance = options.tolerance * x.mean_variance;  // scikit-learn's _tolerance
  KMeansResult result;
  std::vector<std::int32_t> labels;
  std::vector<std::int32_t> best_labels;
  Run best;
  detail::with_cols(x.cols, [&]<std::size_t C>() {
    Runner<C> runner(x, k, threads);
    if (!initial.empty()) {
      best = runner.lloyd(std::move(initial), options.max_iterations, tolerance, best_labels);
      return;
    }
    for (int init = 0; init < options.n_init; ++init) {
      KMeansRandom random(options.seed, static_cast<std::uint64_t>(init));
      Run run = runner.lloyd(runner.seed(random), options.max_iterations, tolerance, labels);
      // Strictly lower: on ties the earliest initialization wins.
      if (init == 0 || run.inertia < best.inertia) {
        best = std::move(run);
        std::swap(labels, best_labels);
        result.best_init = init;
      }
    }
  });

  result.k = options.k;
  result.cols = x.cols;
  result.labels = std::move(best_labels);
  result.scaled_centroids = best.centroids;
  result.centroids.resize(best.centroids.size());
  for (std::size_t i = 0; i < best.centroids.size(); ++i) {
    result.centroids[i] = detail::unscale_value(x, i % x.cols, best.centroids[i]);
  }
  result.sizes = std::move(best.sizes);
  result.inertia = best.inertia;
  result.iterations = best.iterations;
  result.converged = best.converged;
  result.scaling = x.scaling;
  result.feature_means = x.means;
  result.feature_scales = x.scales;
  return result;
}

}  // namespace

KMeansResult kmeans(const FeatureMatrix& features, const KMeansOptions& options) {
  features.validate();
  validate_options(options, features.rows, features.cols);
  const ScaledFeatures x = detail::scale_features(features, options.scaling, options.threads);
  std::vector<double> initial = options.initial_centroids;
  detail::scale_points(x, initial, "initial_centroids");
  return kmeans_scaled(x, options, std::move(initial));
}

std::vector<KChoice> inertia_curve(const FeatureMatrix& features, int k_min, int k_max,
                                   const KMeansOptions& options, std::size_t silhouette_sample) {
  if (k_min < 1) throw ValidationError("k_min", std::to_string(k_min), "must be at least 1");
  if (k_max < k_min) {
    throw ValidationError("k_max", std::to_string(k_max),
                          fmt::format("must be at least k_min ({})", k_min));
  }
  features.validate();
  if (static_cast<std::size_t>(k_max) > features.rows) {
    throw ValidationError("k_max", std::to_string(k_max),
                          fmt::format("must be at most the number of rows ({})", features.rows));
  }
  // Each k is seeded by k-means++: starting centroids cannot fit every k, so they are not used.
  KMeansOptions run_options = options;
  run_options.initial_centroids.clear();
  run_options.k = k_min;
  validate_options(run_options, features.rows, features.cols);
  if (k_max >= 2 && silhouette_sample < 2) {
    throw ValidationError("silhouette_sample", std::to_string(silhouette_sample), "must be at least 2");
  }
  const ScaledFeatures x = detail::scale_features(features, options.scaling, options.threads);
  std::vector<KChoice> curve;
  for (int k = k_min; k <= k_max; ++k) {
    run_options.k = k;
    const KMeansResult result = kmeans_scaled(x, run_options, {});
    KChoice choice;
    choice.k = k;
    choice.inertia = result.inertia;
    const auto occupied = std::count_if(result.sizes.begin(), result.sizes.end(),
                                        [](std::int64_t size) { return size > 0; });
    if (occupied >= 2) {
      choice.silhouette = detail::silhouette_scaled(x, result.labels, silhouette_sample, options.seed,
                                                    options.threads, "silhouette_sample");
    }
    curve.push_back(choice);
  }
  return curve;
}

}  // namespace crmkit::analytics
