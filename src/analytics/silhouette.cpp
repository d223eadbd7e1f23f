// Silhouette score (Rousseeuw 1987) as scikit-learn's silhouette_score: over a seeded sample,
// distances measured against that sample only, s(i) = 0 for a row alone in its cluster.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "analytics/kmeans_kernels.hpp"
#include "analytics/kmeans_scaled.hpp"
#include "analytics/parallel.hpp"
#include "crmkit/analytics/kmeans.hpp"
#include "crmkit/core/error.hpp"

namespace crmkit::analytics {

namespace detail {

namespace {

/// Sampled rows per task: fixed, so the work split never depends on the thread count.
constexpr std::size_t silhouette_task_rows = 32;

// Knuth's selection sampling (Algorithm S): `count` of `rows` rows without replacement, ascending,
// in one pass and without an index array of every row.
std::vector<std::size_t> sample_rows(std::size_t rows, std::size_t count, std::uint64_t seed) {
  std::vector<std::size_t> picked;
  picked.reserve(count);
  if (count >= rows) {
    for (std::size_t r = 0; r < rows; ++r) picked.push_back(r);
    return picked;
  }
  KMeansRandom random(seed, KMeansRandom::silhouette_stream);
  for (std::size_t r = 0; r < rows && picked.size() < count; ++r) {
    const double needed = static_cast<double>(count - picked.size());
    if (random.uniform() * static_cast<double>(rows - r) < needed) picked.push_back(r);
  }
  return picked;
}

// Sum of the distances from `point` to the sampled points [begin, end) (column-major, `stride`).
template <std::size_t C>
double distance_sum(const double* columns, std::size_t stride, std::size_t cols, std::size_t begin,
                    std::size_t end, const double* point) {
  double dist[kmeans_block_rows];
  double sum = 0;
  for (std::size_t b = begin; b < end; b += kmeans_block_rows) {
    const std::size_t n = std::min(kmeans_block_rows, end - b);
    block_distances<C>(columns, stride, cols, b, n, point, dist);
    for (std::size_t i = 0; i < n; ++i) dist[i] = std::sqrt(dist[i]);
    sum += block_sum(dist, n);
  }
  return sum;
}

}  // namespace

double silhouette_scaled(const ScaledFeatures& scaled, std::span<const std::int32_t> labels,
                         std::size_t sample_size, std::uint64_t seed, unsigned threads,
                         std::string_view sample_field) {
  if (sample_size < 2) {
    throw ValidationError(std::string(sample_field), std::to_string(sample_size), "must be at least 2");
  }
  const std::vector<std::size_t> rows = sample_rows(scaled.rows, sample_size, seed);
  const std::size_t n = rows.size();

  // Dense cluster ids 0..m−1 of the sampled rows, whatever the label values.
  std::vector<std::int32_t> distinct(n);
  for (std::size_t i = 0; i < n; ++i) distinct[i] = labels[rows[i]];
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  const std::size_t clusters = distinct.size();
  if (clusters < 2) return 0.0;  // no other cluster to compare with
  std::vector<std::size_t> cluster_of(n);
  std::vector<std::size_t> starts(clusters + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const auto at = std::lower_bound(distinct.begin(), distinct.end(), labels[rows[i]]);
    cluster_of[i] = static_cast<std::size_t>(at - distinct.begin());
    ++starts[cluster_of[i] + 1];
  }
  for (std::size_t c = 0; c < clusters; ++c) starts[c + 1] += starts[c];

  // The sample grouped by cluster (stable), column-major, so each cluster is one contiguous run.
  const std::size_t cols = scaled.cols;
  std::vector<double> points(n * cols);
  {
    std::vector<std::size_t> next(starts.begin(), starts.end() - 1);
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t at = next[cluster_of[i]]++;
      for (std::size_t c = 0; c < cols; ++c) points[c * n + at] = scaled.column(c)[rows[i]];
    }
  }

  std::vector<double> values(n);
  const std::size_t tasks = chunk_count(n, silhouette_task_rows);
  with_cols(cols, [&]<std::size_t C>() {
    parallel_for(tasks, threads, [&](std::size_t task) {
      const std::size_t begin = task * silhouette_task_rows;
      const std::size_t end = std::min(n, begin + silhouette_task_rows);
      std::vector<double> point(cols);
      std::size_t own = 0;
      for (std::size_t i = begin; i < end; ++i) {
        while (i >= starts[own + 1]) ++own;
        const std::size_t own_size = starts[own + 1] - starts[own];
        if (own_size == 1) {  // scikit-learn: s(i) = 0 for a singleton cluster
          values[i] = 0;
          continue;
        }
        for (std::size_t c = 0; c < cols; ++c) point[c] = points[c * n + i];
        double a = 0;
        double b = std::numeric_limits<double>::infinity();
        for (std::size_t cl = 0; cl < clusters; ++cl) {
          const double sum = distance_sum<C>(points.data(), n, cols, starts[cl], starts[cl + 1], point.data());
          if (cl == own) {
            a = sum / static_cast<double>(own_size - 1);  // the row itself adds 0
          } else {
            b = std::min(b, sum / static_cast<double>(starts[cl + 1] - starts[cl]));
          }
        }
        const double larger = std::max(a, b);
        values[i] = larger > 0 ? (b - a) / larger : 0.0;
      }
    });
  });
  double total = 0;
  for (const double v : values) total += v;
  return total / static_cast<double>(n);
}

}  // namespace detail

double silhouette_score(const FeatureMatrix& features, std::span<const std::int32_t> labels,
                        Scaling scaling, std::size_t sample_size, std::uint64_t seed) {
  features.validate();
  if (labels.size() != features.rows) {
    throw ValidationError("labels", fmt::format("{} labels", labels.size()),
                          fmt::format("must have one label per row ({})", features.rows));
  }
  const bool two_clusters =
      std::any_of(labels.begin(), labels.end(), [&](std::int32_t l) { return l != labels.front(); });
  if (!two_clusters) {
    throw ValidationError("labels", labels.empty() ? "no labels" : fmt::format("all {}", labels.front()),
                          "must name at least 2 clusters");
  }
  if (sample_size < 2) {
    throw ValidationError("sample_size", std::to_string(sample_size), "must be at least 2");
  }
  const detail::ScaledFeatures scaled = detail::scale_features(features, scaling, 0);
  return detail::silhouette_scaled(scaled, labels, sample_size, seed, 0, "sample_size");
}

}  // namespace crmkit::analytics
