#pragma once
/// @file
/// k-means segmentation: k-means++ seeding, several seeded initializations, Lloyd iterations on
/// scaled features, a silhouette score and an inertia curve to choose k.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "crmkit/analytics/rfm.hpp"

namespace crmkit::analytics {

/// A read-only row-major matrix of features: `rows` observations of `cols` features each.
struct FeatureMatrix {
  std::span<const double> values;  ///< rows × cols values, row after row
  std::size_t rows = 0;            ///< observations
  std::size_t cols = 0;            ///< features per observation

  /// The value of feature `col` of observation `row`.
  [[nodiscard]] double at(std::size_t row, std::size_t col) const { return values[row * cols + col]; }
  /// @throws ValidationError when `values.size() != rows * cols` (field `values`), `cols` is 0
  /// (field `cols`), or a value is not finite (field `values[row][col]`).
  void validate() const;
};

/// Features with their storage and names, e.g. built from RFM values.
struct FeatureTable {
  std::vector<double> values;       ///< rows × cols values, row after row
  std::size_t rows = 0;             ///< observations
  std::size_t cols = 0;             ///< features per observation
  std::vector<std::string> names;   ///< one per feature
  /// A view valid while this table lives and is not modified.
  [[nodiscard]] FeatureMatrix matrix() const noexcept { return {values, rows, cols}; }
};

/// The features `recency_days`, `frequency`, `monetary` of every scored customer (one row each,
/// in RfmScores order).
[[nodiscard]] FeatureTable rfm_features(const RfmScores& scores);

/// How features are transformed before clustering; distances and inertia are measured after it.
enum class Scaling {
  none,              ///< raw values
  standardize,       ///< (x − mean) / standard deviation (population, as scikit-learn's StandardScaler)
  log1p_standardize  ///< log(1 + x), then standardized: for skewed counts and amounts (needs x > −1)
};

/// `none`, `standardize` or `log1p_standardize`.
[[nodiscard]] std::string_view to_string(Scaling scaling) noexcept;
/// Parses `none`, `standardize` or `log1p_standardize`. @throws ValidationError naming `field`.
[[nodiscard]] Scaling parse_scaling(std::string_view text, std::string_view field = "scaling");

/// How k-means runs.
struct KMeansOptions {
  int k = 4;                 ///< clusters, 1..rows
  int n_init = 10;           ///< k-means++ initializations; the run with the lowest inertia wins
  int max_iterations = 300;  ///< Lloyd iterations per initialization
  /// Convergence: a run stops when the squared centroid shift summed over centroids is at most
  /// `tolerance` × the mean variance of the scaled features (scikit-learn's rule), or when no
  /// label changes.
  double tolerance = 1e-4;
  std::uint64_t seed = 0;                ///< seeds k-means++; equal seeds give equal results
  Scaling scaling = Scaling::standardize;  ///< feature transform
  /// Optional starting centroids, k × cols row-major in original feature units (transformed like
  /// the data); when given, one run starts from them and `n_init` is ignored.
  std::vector<double> initial_centroids;
  unsigned threads = 0;  ///< worker threads, 0 = all hardware threads; results never depend on it
};

/// The best k-means run.
struct KMeansResult {
  int k = 0;                          ///< clusters
  std::size_t cols = 0;               ///< features
  std::vector<std::int32_t> labels;   ///< per observation, the cluster 0..k−1
  std::vector<double> centroids;      ///< k × cols, in original feature units
  std::vector<double> scaled_centroids;  ///< k × cols, in the scaled space where distances are measured
  std::vector<std::int64_t> sizes;    ///< observations per cluster
  double inertia = 0;                 ///< sum of squared distances to the nearest centroid, scaled space
  int iterations = 0;                 ///< Lloyd iterations of the winning run
  bool converged = false;             ///< whether the winning run met the tolerance
  int best_init = 0;                  ///< which initialization won (0-based)
  Scaling scaling = Scaling::standardize;  ///< the transform used
  std::vector<double> feature_means;  ///< per feature, subtracted after the log1p (0 with Scaling::none)
  std::vector<double> feature_scales; ///< per feature, divided by (1 with Scaling::none; 1 for constant features)
};

/// Clusters the rows of `features`.
/// @throws ValidationError on an invalid matrix or options (field `k`, `n_init`,
/// `max_iterations`, `tolerance`, `initial_centroids`, or the feature value log1p cannot take).
[[nodiscard]] KMeansResult kmeans(const FeatureMatrix& features, const KMeansOptions& options = {});

/// Mean silhouette coefficient of a clustering, in the space `scaling` gives (−1..1, higher is
/// better), over a seeded sample of at most `sample_size` rows (all rows when fewer), measured
/// against that sample, as scikit-learn's `silhouette_score(..., sample_size=...)`.
/// Singleton clusters score 0, and a sample holding a single cluster scores 0.
/// @throws ValidationError when labels and rows differ in number, fewer than 2 clusters occur, or
/// `sample_size` is below 2.
[[nodiscard]] double silhouette_score(const FeatureMatrix& features,
                                      std::span<const std::int32_t> labels,
                                      Scaling scaling = Scaling::standardize,
                                      std::size_t sample_size = 10000, std::uint64_t seed = 0);

/// One point of the curve that helps choose k.
struct KChoice {
  int k = 0;            ///< clusters
  double inertia = 0;   ///< of the best run with k clusters
  double silhouette = 0;  ///< sampled silhouette score (0 for k = 1)
};

/// k-means for every k in `k_min..k_max` with `options` (its `k` and `initial_centroids`
/// ignored): look for the elbow of the inertia and the highest silhouette.
/// @throws ValidationError when the range is empty, k_min < 1, k_max exceeds the rows (field
/// `k_max`), or `silhouette_sample` is below 2.
[[nodiscard]] std::vector<KChoice> inertia_curve(const FeatureMatrix& features, int k_min, int k_max,
                                                 const KMeansOptions& options = {},
                                                 std::size_t silhouette_sample = 10000);

}  // namespace crmkit::analytics
