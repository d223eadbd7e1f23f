#pragma once
// Internals shared by k-means, its feature transform and the silhouette: features transformed for
// clustering and stored feature after feature, so that every distance loop runs over contiguous
// doubles of one feature (vectorizable across rows), plus the seeded random numbers they use.

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string_view>
#include <vector>

#include "crmkit/analytics/kmeans.hpp"

namespace crmkit::analytics::detail {

/// Rows per task in every pass over the features. Fixed, so that partial sums are taken over the
/// same rows and combined in the same order whatever the thread count.
inline constexpr std::size_t kmeans_chunk_rows = 8192;

/// Features after the Scaling transform, column-major.
struct ScaledFeatures {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<double> columns;  // feature c of row r at [c * rows + r]
  Scaling scaling = Scaling::standardize;
  std::vector<double> means;   // subtracted after the log1p (0 with Scaling::none)
  std::vector<double> scales;  // divided by (1 with Scaling::none and for constant features)
  double mean_variance = 0;    // mean over features of the variance of the scaled values

  [[nodiscard]] const double* column(std::size_t c) const noexcept { return columns.data() + c * rows; }
};

/// Validates `features` (and the log1p domain), fits the scaling on every row and transforms them.
[[nodiscard]] ScaledFeatures scale_features(const FeatureMatrix& features, Scaling scaling,
                                            unsigned threads);

/// Transforms a point given in original units with the fitted parameters of `scaled`, in place.
/// Values must be finite and, for log1p, greater than −1 (`field` is used as `field[point][col]`).
void scale_points(const ScaledFeatures& scaled, std::span<double> points, std::string_view field);

/// Back from the scaled space to original units (the inverse of the transform).
[[nodiscard]] double unscale_value(const ScaledFeatures& scaled, std::size_t col, double value) noexcept;

/// Mean silhouette over a seeded sample of at most `sample_size` rows of `scaled` (all rows when
/// fewer), measured against that sample. 0 when the sample holds fewer than 2 clusters.
/// `labels` has one entry per row (any int32 values). `sample_field` names `sample_size` in errors.
[[nodiscard]] double silhouette_scaled(const ScaledFeatures& scaled, std::span<const std::int32_t> labels,
                                       std::size_t sample_size, std::uint64_t seed, unsigned threads,
                                       std::string_view sample_field);

/// Random numbers generated the same way on every platform: std::mt19937_64 is fully specified,
/// but the standard distributions are not, so doubles and bounded integers are made here.
class KMeansRandom {
 public:
  /// `stream` separates independent uses of one seed (one per k-means initialization, ...).
  KMeansRandom(std::uint64_t seed, std::uint64_t stream) : engine_(mix(seed, stream)) {}

  /// Uniform in [0, 1), 53 random bits.
  [[nodiscard]] double uniform() { return static_cast<double>(engine_() >> 11U) * 0x1.0p-53; }

  /// Uniform in [0, bound), unbiased (rejection of the short tail); bound must be positive.
  [[nodiscard]] std::uint64_t below(std::uint64_t bound) {
    const std::uint64_t threshold = (0 - bound) % bound;  // 2^64 mod bound
    for (;;) {
      const std::uint64_t x = engine_();
      if (x >= threshold) return x % bound;
    }
  }

  /// The stream of the silhouette's sample (k-means initializations use 0, 1, 2, ...).
  static constexpr std::uint64_t silhouette_stream = 0x5111'0E77'E000'0000ULL;

 private:
  static std::uint64_t splitmix(std::uint64_t x) noexcept {
    x += 0x9E37'79B9'7F4A'7C15ULL;
    x = (x ^ (x >> 30U)) * 0xBF58'476D'1CE4'E5B9ULL;
    x = (x ^ (x >> 27U)) * 0x94D0'49BB'1331'11EBULL;
    return x ^ (x >> 31U);
  }
  static std::uint64_t mix(std::uint64_t seed, std::uint64_t stream) noexcept {
    return splitmix(seed ^ splitmix(stream));
  }

  std::mt19937_64 engine_;
};

/// Calls `f.template operator()<C>()` with C = cols for the small column counts the kernels are
/// specialised for (unrolled, vectorized across rows), and C = 0 (run-time count) otherwise.
template <class F>
void with_cols(std::size_t cols, F&& f) {
  switch (cols) {
    case 1: f.template operator()<1>(); break;
    case 2: f.template operator()<2>(); break;
    case 3: f.template operator()<3>(); break;
    case 4: f.template operator()<4>(); break;
    case 5: f.template operator()<5>(); break;
    case 6: f.template operator()<6>(); break;
    default: f.template operator()<0>(); break;
  }
}

}  // namespace crmkit::analytics::detail
