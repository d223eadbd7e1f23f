// Feature matrices for k-means: validation, RFM features, and the scaling transform (fitted on
// every row, stored column-major for the distance loops).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "analytics/kmeans_scaled.hpp"
#include "analytics/parallel.hpp"
#include "crmkit/analytics/kmeans.hpp"
#include "crmkit/core/error.hpp"

namespace crmkit::analytics {

namespace {

std::string number_text(double value) { return fmt::format("{}", value); }

}  // namespace

void FeatureMatrix::validate() const {
  if (cols == 0) throw ValidationError("cols", "0", "must be at least 1");
  const bool overflow = rows > std::numeric_limits<std::size_t>::max() / cols;
  if (overflow || values.size() != rows * cols) {
    throw ValidationError(
        "values", fmt::format("{} values", values.size()),
        overflow ? fmt::format("do not match rows ({}) × cols ({})", rows, cols)
                 : fmt::format("must hold rows × cols = {} × {} = {} values", rows, cols, rows * cols));
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      throw ValidationError(fmt::format("values[{}][{}]", i / cols, i % cols), number_text(values[i]),
                            "must be finite");
    }
  }
}

FeatureTable rfm_features(const RfmScores& scores) {
  const std::size_t rows = scores.customer_ids.size();
  const auto check_size = [rows](std::size_t size, std::string_view field) {
    if (size != rows) {
      throw ValidationError(std::string(field), fmt::format("{} values", size),
                            fmt::format("must have one value per customer ({})", rows));
    }
  };
  check_size(scores.recency_days.size(), "scores.recency_days");
  check_size(scores.frequency.size(), "scores.frequency");
  check_size(scores.monetary.size(), "scores.monetary");

  FeatureTable table;
  table.rows = rows;
  table.cols = 3;
  table.names = {"recency_days", "frequency", "monetary"};
  table.values.resize(rows * 3);
  for (std::size_t r = 0; r < rows; ++r) {
    table.values[r * 3] = static_cast<double>(scores.recency_days[r]);
    table.values[r * 3 + 1] = static_cast<double>(scores.frequency[r]);
    table.values[r * 3 + 2] = scores.monetary[r];
  }
  return table;
}

namespace detail {

namespace {

constexpr std::string_view log1p_rule = "must be greater than -1 for log1p";

// Partial sums per chunk and feature, combined in chunk order: fixed rounding for any thread count.
double combine(const std::vector<double>& partial, std::size_t chunks, std::size_t cols, std::size_t c) {
  double total = 0;
  for (std::size_t k = 0; k < chunks; ++k) total += partial[k * cols + c];
  return total;
}

}  // namespace

ScaledFeatures scale_features(const FeatureMatrix& features, Scaling scaling, unsigned threads) {
  features.validate();
  const bool log1p = scaling == Scaling::log1p_standardize;
  if (log1p) {
    // Checked before the parallel transform so that the first offending value (row-major order)
    // is the one reported, whatever the thread count.
    for (std::size_t i = 0; i < features.values.size(); ++i) {
      if (!(features.values[i] > -1.0)) {
        throw ValidationError(fmt::format("values[{}][{}]", i / features.cols, i % features.cols),
                              number_text(features.values[i]), std::string(log1p_rule));
      }
    }
  }

  ScaledFeatures out;
  const std::size_t rows = features.rows;
  const std::size_t cols = features.cols;
  out.rows = rows;
  out.cols = cols;
  out.scaling = scaling;
  out.columns.resize(rows * cols);
  out.means.assign(cols, 0.0);
  out.scales.assign(cols, 1.0);
  if (rows == 0) return out;

  const std::size_t chunks = chunk_count(rows, kmeans_chunk_rows);
  const auto chunk_range = [rows](std::size_t chunk) {
    const std::size_t begin = chunk * kmeans_chunk_rows;
    return std::pair{begin, std::min(rows, begin + kmeans_chunk_rows)};
  };
  const double n = static_cast<double>(rows);

  // Pass 1: transpose (and log1p), summing each feature per chunk.
  std::vector<double> sums(chunks * cols, 0.0);
  parallel_for(chunks, threads, [&](std::size_t chunk) {
    const auto [begin, end] = chunk_range(chunk);
    const double* in = features.values.data();
    for (std::size_t c = 0; c < cols; ++c) {
      double* col = out.columns.data() + c * rows;
      double sum = 0;
      for (std::size_t r = begin; r < end; ++r) {
        const double v = log1p ? std::log1p(in[r * cols + c]) : in[r * cols + c];
        col[r] = v;
        sum += v;
      }
      sums[chunk * cols + c] = sum;
    }
  });
  std::vector<double> means(cols);
  for (std::size_t c = 0; c < cols; ++c) means[c] = combine(sums, chunks, cols, c) / n;

  // Pass 2: the corrected two-pass variance (Chan, Golub & LeVeque), as scikit-learn's scaler.
  std::vector<double> deviations(chunks * cols, 0.0);
  std::vector<double> squares(chunks * cols, 0.0);
  parallel_for(chunks, threads, [&](std::size_t chunk) {
    const auto [begin, end] = chunk_range(chunk);
    for (std::size_t c = 0; c < cols; ++c) {
      const double* col = out.columns.data() + c * rows;
      double dev = 0;
      double sq = 0;
      for (std::size_t r = begin; r < end; ++r) {
        const double d = col[r] - means[c];
        dev += d;
        sq += d * d;
      }
      deviations[chunk * cols + c] = dev;
      squares[chunk * cols + c] = sq;
    }
  });

  constexpr double eps = std::numeric_limits<double>::epsilon();
  double variance_sum = 0;
  for (std::size_t c = 0; c < cols; ++c) {
    const double dev = combine(deviations, chunks, cols, c);
    const double var = std::max(0.0, (combine(squares, chunks, cols, c) - dev * dev / n) / n);
    if (scaling == Scaling::none) {
      variance_sum += var;
      continue;
    }
    // scikit-learn's _is_constant_feature: a variance within the rounding error of the two-pass
    // algorithm is a constant feature, whose scale stays 1 (so it becomes all zeros).
    const double bound = n * eps * var + (n * means[c] * eps) * (n * means[c] * eps);
    const bool constant = var <= bound;
    out.means[c] = means[c];
    out.scales[c] = constant ? 1.0 : std::sqrt(var);
    variance_sum += var / (out.scales[c] * out.scales[c]);
  }
  out.mean_variance = variance_sum / static_cast<double>(cols);

  if (scaling != Scaling::none) {
    parallel_for(chunks, threads, [&](std::size_t chunk) {
      const auto [begin, end] = chunk_range(chunk);
      for (std::size_t c = 0; c < cols; ++c) {
        double* col = out.columns.data() + c * rows;
        const double mean = out.means[c];
        const double scale = out.scales[c];
        for (std::size_t r = begin; r < end; ++r) col[r] = (col[r] - mean) / scale;
      }
    });
  }
  return out;
}

void scale_points(const ScaledFeatures& scaled, std::span<double> points, std::string_view field) {
  const std::size_t cols = scaled.cols;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const double v = points[i];
    const auto name = [&] { return fmt::format("{}[{}][{}]", field, i / cols, i % cols); };
    if (!std::isfinite(v)) throw ValidationError(name(), number_text(v), "must be finite");
    if (scaled.scaling == Scaling::log1p_standardize && !(v > -1.0)) {
      throw ValidationError(name(), number_text(v), std::string(log1p_rule));
    }
  }
  for (std::size_t i = 0; i < points.size(); ++i) {
    const std::size_t c = i % cols;
    const double v = scaled.scaling == Scaling::log1p_standardize ? std::log1p(points[i]) : points[i];
    points[i] = scaled.scaling == Scaling::none ? v : (v - scaled.means[c]) / scaled.scales[c];
  }
}

double unscale_value(const ScaledFeatures& scaled, std::size_t col, double value) noexcept {
  if (scaled.scaling == Scaling::none) return value;
  const double v = value * scaled.scales[col] + scaled.means[col];
  return scaled.scaling == Scaling::log1p_standardize ? std::expm1(v) : v;
}

}  // namespace detail

}  // namespace crmkit::analytics
