#include "crmkit/analytics/kmeans.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "crmkit/core/error.hpp"
#include "support/validation_matchers.hpp"

using crmkit::analytics::FeatureMatrix;
using crmkit::analytics::FeatureTable;
using crmkit::analytics::inertia_curve;
using crmkit::analytics::kmeans;
using crmkit::analytics::KMeansOptions;
using crmkit::analytics::KMeansResult;
using crmkit::analytics::parse_scaling;
using crmkit::analytics::RfmScores;
using crmkit::analytics::rfm_features;
using crmkit::analytics::Scaling;
using crmkit::analytics::silhouette_score;
using crmkit::test::require_invalid;

namespace {

/// Features with their storage, for tests.
struct Data {
  std::vector<double> values;
  std::size_t cols = 1;
  [[nodiscard]] FeatureMatrix matrix() const { return {values, values.size() / cols, cols}; }
};

Data one_column(std::vector<double> values) { return {std::move(values), 1}; }

KMeansOptions options_with(int k, Scaling scaling = Scaling::none) {
  KMeansOptions options;
  options.k = k;
  options.scaling = scaling;
  options.threads = 1;
  return options;
}

// Two blobs of 1-D points: {0, 1, 2} and {10, 11, 12}.
Data two_groups_1d() { return one_column({0, 1, 2, 10, 11, 12}); }

// Seeded blobs, generated from the raw 64-bit output of mt19937_64 (fully specified by the
// standard) so that the data are the same everywhere.
Data blobs(std::size_t rows, std::size_t cols, std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  const auto unit = [&engine] { return static_cast<double>(engine() >> 11U) * 0x1.0p-53; };
  Data data;
  data.cols = cols;
  data.values.reserve(rows * cols);
  for (std::size_t r = 0; r < rows; ++r) {
    const auto blob = static_cast<double>(r % 4);
    for (std::size_t c = 0; c < cols; ++c) {
      data.values.push_back(blob * (c % 2 == 0 ? 3.0 : -2.0) + unit() + unit() + unit());
    }
  }
  return data;
}

// The 60 points of the scikit-learn comparison: three interleaved groups (row i in group i % 3).
Data sixty_points() {
  Data data;
  data.cols = 3;
  for (int i = 0; i < 60; ++i) {
    const int g = i % 3;
    const int a = (i * 37 + 11) % 17;
    const int b = (i * 53 + 7) % 13;
    const int c = (i * 29 + 3) % 19;
    data.values.push_back(g * 6 + a / 4.0);
    data.values.push_back((2 - g) * 5 + b / 3.0);
    data.values.push_back(100.0 * (g + 1) + c * 7.5);
  }
  return data;
}

std::vector<double> rows_of(const Data& data, const std::vector<std::size_t>& rows) {
  std::vector<double> out;
  for (const std::size_t r : rows) {
    for (std::size_t c = 0; c < data.cols; ++c) out.push_back(data.values[r * data.cols + c]);
  }
  return out;
}

void require_identical(const KMeansResult& a, const KMeansResult& b) {
  CHECK(a.labels == b.labels);
  CHECK(a.centroids == b.centroids);
  CHECK(a.scaled_centroids == b.scaled_centroids);
  CHECK(a.sizes == b.sizes);
  CHECK(a.inertia == b.inertia);
  CHECK(a.iterations == b.iterations);
  CHECK(a.best_init == b.best_init);
}

void check_close(const std::vector<double>& actual, const std::vector<double>& expected, double rel) {
  REQUIRE(actual.size() == expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    INFO("index " << i);
    CHECK(actual[i] == Approx(expected[i]).epsilon(rel).margin(1e-12));
  }
}

}  // namespace

TEST_CASE("Scaling names round-trip and unknown names name the field", "[analytics]") {
  for (const Scaling s : {Scaling::none, Scaling::standardize, Scaling::log1p_standardize}) {
    CHECK(parse_scaling(to_string(s)) == s);
  }
  CHECK(to_string(Scaling::log1p_standardize) == "log1p_standardize");
  require_invalid([] { (void)parse_scaling("zscore"); }, "scaling", "zscore", "must be one of");
  require_invalid([] { (void)parse_scaling("", "options.scaling"); }, "options.scaling");
}

TEST_CASE("FeatureMatrix::validate names the field, the value and the rule", "[analytics]") {
  const std::vector<double> five = {1, 2, 3, 4, 5};
  require_invalid([&] { FeatureMatrix{five, 2, 3}.validate(); }, "values", "5", "rows × cols");
  require_invalid([&] { FeatureMatrix{five, 5, 0}.validate(); }, "cols", "0", "at least 1");
  const std::vector<double> with_nan = {1, 2, std::nan(""), 4};
  require_invalid([&] { FeatureMatrix{with_nan, 2, 2}.validate(); }, "values[1][0]", "nan", "finite");
  const std::vector<double> with_inf = {1, 2, 3, -std::numeric_limits<double>::infinity()};
  require_invalid([&] { FeatureMatrix{with_inf, 2, 2}.validate(); }, "values[1][1]", "inf", "finite");
  CHECK_NOTHROW(FeatureMatrix{five, 5, 1}.validate());
  CHECK_NOTHROW(FeatureMatrix{{}, 0, 3}.validate());  // no rows is a valid (empty) matrix
}

TEST_CASE("rfm_features takes recency_days, frequency and monetary row by row", "[analytics]") {
  RfmScores scores;
  scores.customer_ids = {3, 7};
  scores.recency_days = {0, 40};
  scores.frequency = {5, 1};
  scores.monetary = {120.5, 9.99};
  const FeatureTable table = rfm_features(scores);
  CHECK(table.rows == 2);
  CHECK(table.cols == 3);
  CHECK(table.names == std::vector<std::string>{"recency_days", "frequency", "monetary"});
  CHECK(table.values == std::vector<double>{0, 5, 120.5, 40, 1, 9.99});
  const FeatureMatrix m = table.matrix();
  CHECK(m.at(1, 2) == 9.99);

  CHECK(rfm_features(RfmScores{}).rows == 0);
  scores.monetary.pop_back();
  require_invalid([&] { (void)rfm_features(scores); }, "scores.monetary", "1", "one value per customer");
}

TEST_CASE("kmeans finds two obvious groups with the centroids and inertia worked by hand", "[analytics]") {
  // Group A (0,0) (1,0) (0,1): centroid (1/3, 1/3); squared distances 2/9 + 5/9 + 5/9 = 4/3.
  // Group B (10,10) (12,10): centroid (11, 10); squared distances 1 + 1 = 2. Inertia 10/3.
  const Data data{{0, 0, 10, 10, 1, 0, 12, 10, 0, 1}, 2};
  const KMeansResult r = kmeans(data.matrix(), options_with(2));
  CHECK(r.k == 2);
  CHECK(r.cols == 2);
  REQUIRE(r.labels.size() == 5);
  const auto a = static_cast<std::size_t>(r.labels[0]);
  const auto b = static_cast<std::size_t>(r.labels[1]);
  CHECK(a != b);
  CHECK(r.labels == std::vector<std::int32_t>{r.labels[0], r.labels[1], r.labels[0], r.labels[1], r.labels[0]});
  CHECK(r.centroids[a * 2] == Approx(1.0 / 3));
  CHECK(r.centroids[a * 2 + 1] == Approx(1.0 / 3));
  CHECK(r.centroids[b * 2] == Approx(11));
  CHECK(r.centroids[b * 2 + 1] == Approx(10));
  CHECK(r.scaled_centroids == r.centroids);  // Scaling::none
  CHECK(r.sizes[a] == 3);
  CHECK(r.sizes[b] == 2);
  CHECK(r.inertia == Approx(10.0 / 3));
  CHECK(r.converged);
  CHECK(r.scaling == Scaling::none);
  CHECK(r.feature_means == std::vector<double>{0, 0});
  CHECK(r.feature_scales == std::vector<double>{1, 1});
}

TEST_CASE("kmeans standardizes with the population deviation and keeps constant features at scale 1",
          "[analytics]") {
  // Feature 0: 1 2 3 4, mean 2.5, population variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25.
  // Feature 1: constant 7, scale 1 (so it becomes all zeros).
  // k = 1: the centroid is the mean; the inertia is the sum of squared standardized values,
  // 4 × variance 1 for feature 0 and 0 for feature 1, so 4.
  const Data data{{1, 7, 2, 7, 3, 7, 4, 7}, 2};
  const KMeansResult r = kmeans(data.matrix(), options_with(1, Scaling::standardize));
  CHECK(r.feature_means[0] == Approx(2.5));
  CHECK(r.feature_scales[0] == Approx(std::sqrt(1.25)));
  CHECK(r.feature_means[1] == 7);
  CHECK(r.feature_scales[1] == 1);
  CHECK(r.centroids[0] == Approx(2.5));
  CHECK(r.centroids[1] == Approx(7));
  CHECK(r.scaled_centroids[0] == Approx(0).margin(1e-12));
  CHECK(r.scaled_centroids[1] == Approx(0).margin(1e-12));
  CHECK(r.inertia == Approx(4));
  CHECK(r.sizes == std::vector<std::int64_t>{4});
  CHECK(r.labels == std::vector<std::int32_t>{0, 0, 0, 0});
}

TEST_CASE("kmeans with log1p_standardize takes log(1 + x) first and maps centroids back", "[analytics]") {
  // log1p of e − 1 and e² − 1 is 1 and 2: mean 1.5, population deviation 0.5, and the k = 1
  // centroid maps back to expm1(1.5) in original units.
  const double e = std::exp(1.0);
  const Data data = one_column({e - 1, e * e - 1});
  const KMeansResult r = kmeans(data.matrix(), options_with(1, Scaling::log1p_standardize));
  CHECK(r.feature_means[0] == Approx(1.5));
  CHECK(r.feature_scales[0] == Approx(0.5));
  CHECK(r.centroids[0] == Approx(std::expm1(1.5)));
  CHECK(r.inertia == Approx(2));  // two standardized values ±1
  // Values may be negative down to (not including) −1.
  CHECK_NOTHROW(kmeans(one_column({-0.5, 0, 3}).matrix(), options_with(2, Scaling::log1p_standardize)));
}

TEST_CASE("kmeans with k equal to the number of rows puts every row alone", "[analytics]") {
  const Data data{{5, -1, 2, 2, -3, 0, 8, 8}, 2};
  const KMeansResult r = kmeans(data.matrix(), options_with(4, Scaling::standardize));
  CHECK(r.inertia == 0);
  CHECK(std::set<std::int32_t>(r.labels.begin(), r.labels.end()).size() == 4);
  CHECK(r.sizes == std::vector<std::int64_t>{1, 1, 1, 1});
  for (std::size_t row = 0; row < 4; ++row) {
    const auto j = static_cast<std::size_t>(r.labels[row]);
    CHECK(r.centroids[j * 2] == Approx(data.values[row * 2]));
    CHECK(r.centroids[j * 2 + 1] == Approx(data.values[row * 2 + 1]));
  }
}

TEST_CASE("kmeans handles duplicate points, even with more clusters than distinct points", "[analytics]") {
  const Data data{{1, 1, 5, 5, 1, 1, 5, 5, 1, 1}, 2};
  const KMeansResult two = kmeans(data.matrix(), options_with(2));
  CHECK(two.inertia == 0);
  CHECK(two.labels[0] == two.labels[2]);
  CHECK(two.labels[0] == two.labels[4]);
  CHECK(two.labels[1] == two.labels[3]);
  CHECK(two.labels[0] != two.labels[1]);

  // Five clusters, two distinct points: three clusters stay empty, nothing breaks.
  const KMeansResult five = kmeans(data.matrix(), options_with(5));
  CHECK(five.inertia == 0);
  std::int64_t total = 0;
  for (const std::int64_t s : five.sizes) total += s;
  CHECK(total == 5);
  CHECK(std::count(five.sizes.begin(), five.sizes.end(), 0) == 3);
  for (const double c : five.centroids) CHECK((c == 1 || c == 5));

  // All rows identical: a single point, any k up to the row count.
  const KMeansResult same = kmeans(one_column({4, 4, 4}).matrix(), options_with(3, Scaling::standardize));
  CHECK(same.inertia == 0);
  CHECK(same.feature_scales[0] == 1);
  CHECK(same.centroids == std::vector<double>{4, 4, 4});
}

TEST_CASE("kmeans honours initial centroids, iterating as worked by hand", "[analytics]") {
  // Start (0, 1) on {0, 1, 2, 10, 11, 12}: iteration 1 puts {0} and {1, 2, 10, 11, 12} (mean 7.2);
  // iteration 2 gives {0, 1, 2} and {10, 11, 12}, means 1 and 11; iteration 3 changes no label.
  // Inertia 2 + 2 = 4.
  const Data data = two_groups_1d();
  KMeansOptions options = options_with(2);
  options.initial_centroids = {0, 1};
  options.n_init = 7;  // ignored with initial centroids
  const KMeansResult r = kmeans(data.matrix(), options);
  CHECK(r.centroids == std::vector<double>{1, 11});
  CHECK(r.labels == std::vector<std::int32_t>{0, 0, 0, 1, 1, 1});
  CHECK(r.inertia == 4);
  CHECK(r.iterations == 3);
  CHECK(r.converged);
  CHECK(r.best_init == 0);

  // The order of the starting centroids is the order of the clusters.
  options.initial_centroids = {12, 0};
  const KMeansResult swapped = kmeans(data.matrix(), options);
  CHECK(swapped.centroids == std::vector<double>{11, 1});
  CHECK(swapped.labels == std::vector<std::int32_t>{1, 1, 1, 0, 0, 0});

  // Starting centroids are given in original units and scaled like the data.
  options.scaling = Scaling::standardize;
  options.initial_centroids = {0, 1};
  const KMeansResult standardized = kmeans(data.matrix(), options);
  CHECK(standardized.centroids[0] == Approx(1));
  CHECK(standardized.centroids[1] == Approx(11));
  // mean 6, population variance (36 + 25 + 16 + 16 + 25 + 36) / 6 = 154 / 6.
  const double scale = std::sqrt(154.0 / 6);
  CHECK(standardized.scaled_centroids[0] == Approx(-5 / scale));
  CHECK(standardized.scaled_centroids[1] == Approx(5 / scale));
  CHECK(standardized.inertia == Approx(4 / (scale * scale)));
}

TEST_CASE("kmeans labels and inertia match the final centroids when it stops early", "[analytics]") {
  // One iteration from (0, 1): centroids 0 and 7.2. The last assignment then uses them:
  // {0, 1, 2} (closer to 0 than to 7.2) and {10, 11, 12}, inertia 0 + 1 + 4 + 2.8² + 3.8² + 4.8²
  // = 5 + 7.84 + 14.44 + 23.04 = 50.32.
  KMeansOptions options = options_with(2);
  options.initial_centroids = {0, 1};
  options.max_iterations = 1;
  const KMeansResult r = kmeans(two_groups_1d().matrix(), options);
  CHECK(r.iterations == 1);
  CHECK_FALSE(r.converged);
  CHECK(r.centroids[0] == 0);
  CHECK(r.centroids[1] == Approx(7.2));
  CHECK(r.labels == std::vector<std::int32_t>{0, 0, 0, 1, 1, 1});
  CHECK(r.sizes == std::vector<std::int64_t>{3, 3});
  CHECK(r.inertia == Approx(50.32));
}

TEST_CASE("kmeans relocates empty clusters to the farthest points, ties to the lowest row", "[analytics]") {
  // Start (100, 0, 1) on {0, 1, 2, 10, 11, 12}, Scaling::none.
  // Iteration 1: nothing is near 100; 0 goes to centroid 1, the rest to centroid 2. Distances to
  //   the assigned centroids: 0 0 1 81 100 121, so cluster 0 takes 12 and cluster 2 keeps
  //   {1, 2, 10, 11}: centroids (12, 0, 6).
  // Iteration 2: 0 1 2 go to centroid 1, 10 11 12 to centroid 0, cluster 2 is empty. Distances:
  //   0 1 4 4 1 0: rows 2 and 10 tie at 4, the lower row (value 2) moves: centroids (11, 0.5, 2).
  // Iteration 3: 2 moves to cluster 2, the centroids do not move: converged.
  KMeansOptions options = options_with(3);
  options.initial_centroids = {100, 0, 1};
  const KMeansResult r = kmeans(two_groups_1d().matrix(), options);
  CHECK(r.centroids == std::vector<double>{11, 0.5, 2});
  CHECK(r.labels == std::vector<std::int32_t>{1, 1, 2, 0, 0, 0});
  CHECK(r.sizes == std::vector<std::int64_t>{3, 2, 1});
  CHECK(r.inertia == 2.5);
  CHECK(r.iterations == 3);
  CHECK(r.converged);
}

TEST_CASE("kmeans is reproducible for a seed and independent of the thread count", "[analytics]") {
  // 20000 rows span three chunks of rows, so threads really split the work.
  const Data data = blobs(20000, 2, 11);
  KMeansOptions options = options_with(3, Scaling::standardize);
  options.n_init = 2;
  options.seed = 5;
  options.threads = 1;
  const KMeansResult one = kmeans(data.matrix(), options);
  options.threads = 2;
  const KMeansResult two = kmeans(data.matrix(), options);
  options.threads = 3;
  const KMeansResult three = kmeans(data.matrix(), options);
  require_identical(one, two);
  require_identical(one, three);
  std::int64_t total = 0;
  for (const std::int64_t s : one.sizes) total += s;
  CHECK(total == 20000);
}

TEST_CASE("kmeans seeds: equal seeds give equal results, each seed is reproducible", "[analytics]") {
  const Data data = blobs(400, 3, 3);
  KMeansOptions options = options_with(6, Scaling::standardize);
  options.n_init = 3;
  bool any_difference = false;
  KMeansResult first;
  for (std::uint64_t seed = 0; seed < 4; ++seed) {
    options.seed = seed;
    const KMeansResult a = kmeans(data.matrix(), options);
    const KMeansResult b = kmeans(data.matrix(), options);
    require_identical(a, b);
    CHECK(a.best_init >= 0);
    CHECK(a.best_init < 3);
    if (seed == 0) {
      first = a;
    } else if (a.labels != first.labels || a.inertia != first.inertia) {
      any_difference = true;
    }
  }
  // Six clusters on four blobs have many local optima: some seeds must land elsewhere.
  CHECK(any_difference);
}

TEST_CASE("kmeans matches scikit-learn's KMeans from the same starting centroids", "[analytics]") {
  // Expected values produced once with Debian's python3 (scikit-learn 1.2.1, numpy 1.24.2):
  //   X = the 60 rows of sixty_points(); Xs = StandardScaler().fit(f(X)).transform(f(X))
  //   km = KMeans(n_clusters=k, init=scaler.transform(f(X[rows])), n_init=1, max_iter=300,
  //               tol=1e-4, algorithm="lloyd").fit(Xs)
  //   print(km.inertia_, km.n_iter_, km.cluster_centers_.ravel(), km.labels_)
  // with f = identity, k = 3, rows [0, 3, 1] and f = numpy.log1p, k = 4, rows [0, 1, 2, 5].
  const Data data = sixty_points();
  SECTION("standardize, k = 3") {
    KMeansOptions options = options_with(3, Scaling::standardize);
    options.initial_centroids = rows_of(data, {0, 3, 1});
    const KMeansResult r = kmeans(data.matrix(), options);
    CHECK(r.inertia == Approx(21.022364424363435).epsilon(1e-9));
    CHECK(r.iterations == 8);
    check_close(r.scaled_centroids,
                {-1.200460995516425, 1.1773120366955316, -1.1083231241746263, 0.02848267539955226,
                 -0.01691166461551589, 0.025965646558961653, 1.1719783201168725, -1.1604003720800156,
                 1.0823574776156646},
                1e-9);
    check_close(r.feature_means, {7.995833333333334, 7.055555555555555, 266.625}, 1e-12);
    check_close(r.feature_scales, {4.973783701122874, 4.270556675772803, 91.46700794093282}, 1e-12);
    for (std::size_t i = 0; i < 60; ++i) CHECK(r.labels[i] == static_cast<std::int32_t>(i % 3));
    CHECK(r.sizes == std::vector<std::int64_t>{20, 20, 20});
  }
  SECTION("log1p_standardize, k = 4") {
    KMeansOptions options = options_with(4, Scaling::log1p_standardize);
    options.initial_centroids = rows_of(data, {0, 1, 2, 5});
    const KMeansResult r = kmeans(data.matrix(), options);
    CHECK(r.inertia == Approx(25.30167086947084).epsilon(1e-9));
    CHECK(r.iterations == 5);
    check_close(r.scaled_centroids,
                {-1.3010882700198907, 0.9528676492457889, -1.2013857269264756, 0.2703665790614866,
                 0.2936691892531953, 0.15330620929952835, 0.9533285350257259, -2.031254529280107,
                 0.9476541521568811, 0.9515137865312746, -0.7732889696174099, 0.9979476424011545},
                1e-9);
    const std::vector<std::int32_t> expected = {
        0, 1, 3, 0, 1, 3, 0, 1, 2, 0, 1, 3, 0, 1, 3, 0, 1, 3, 0, 1, 2, 0, 1, 2, 0, 1, 3, 0, 1, 3,
        1, 1, 2, 0, 1, 2, 0, 1, 3, 0, 1, 3, 0, 1, 3, 0, 1, 2, 0, 1, 3, 0, 1, 3, 0, 1, 3, 0, 1, 2};
    CHECK(r.labels == expected);
    CHECK(r.sizes == std::vector<std::int64_t>{19, 21, 7, 13});
  }
}

TEST_CASE("kmeans rejects invalid options and values, naming the field", "[analytics]") {
  const Data data = two_groups_1d();
  const auto run = [&data](KMeansOptions options) { return [&data, options] { (void)kmeans(data.matrix(), options); }; };
  KMeansOptions options = options_with(2);
  options.k = 0;
  require_invalid(run(options), "k", "0", "between 1 and the number of rows (6)");
  options.k = 7;
  require_invalid(run(options), "k", "7", "between 1 and the number of rows (6)");
  options = options_with(2);
  options.n_init = 0;
  require_invalid(run(options), "n_init", "0", "at least 1");
  options = options_with(2);
  options.max_iterations = 0;
  require_invalid(run(options), "max_iterations", "0", "at least 1");
  options = options_with(2);
  options.tolerance = -1e-3;
  require_invalid(run(options), "tolerance", "-0.001", "not negative");
  options.tolerance = std::nan("");
  require_invalid(run(options), "tolerance", "nan", "finite");
  options = options_with(2);
  options.initial_centroids = {1, 2, 3};
  require_invalid(run(options), "initial_centroids", "3", "k × cols");
  options.initial_centroids = {1, std::numeric_limits<double>::infinity()};
  require_invalid(run(options), "initial_centroids[1][0]", "inf", "finite");
  options = options_with(2, Scaling::log1p_standardize);
  options.initial_centroids = {0, -1};
  require_invalid(run(options), "initial_centroids[1][0]", "-1", "greater than -1");

  // The values: not finite, or outside the log1p domain (the first in row-major order).
  const Data bad{{1, 2, 3, -2, 5, -7}, 2};
  require_invalid([&] { (void)kmeans(bad.matrix(), options_with(1, Scaling::log1p_standardize)); },
                  "values[1][1]", "-2", "greater than -1");
  const Data with_nan{{1, 2, std::nan(""), 4}, 2};
  require_invalid([&] { (void)kmeans(with_nan.matrix(), options_with(1)); }, "values[1][0]", "nan", "finite");
  // No rows: no k is valid.
  require_invalid([] { (void)kmeans(FeatureMatrix{{}, 0, 2}, options_with(1)); }, "k", "1",
                  "number of rows (0)");
}

TEST_CASE("silhouette_score matches hand-worked cases", "[analytics]") {
  // 0 1 | 4 6: s = (5−1)/5, (4−1)/4, (3.5−2)/3.5, (5.5−2)/5.5 = 4/5, 3/4, 3/7, 7/11;
  // mean 4027/6160 (scikit-learn: 0.6537337662337662).
  const Data four = one_column({0, 1, 4, 6});
  const std::vector<std::int32_t> labels = {0, 0, 1, 1};
  CHECK(silhouette_score(four.matrix(), labels, Scaling::none) == Approx(4027.0 / 6160).epsilon(1e-12));
  // Label values are only names.
  const std::vector<std::int32_t> renamed = {7, 7, -3, -3};
  CHECK(silhouette_score(four.matrix(), renamed, Scaling::none) == Approx(4027.0 / 6160).epsilon(1e-12));

  // A singleton cluster scores 0: 0 1 | 10 gives (0.9 + 8/9 + 0) / 3 = 161/270.
  const std::vector<std::int32_t> singleton = {0, 0, 1};
  CHECK(silhouette_score(one_column({0, 1, 10}).matrix(), singleton, Scaling::none) ==
        Approx(161.0 / 270).epsilon(1e-12));

  // Euclidean in 2-D, negative s: (0,0) (3,4) | (6,8) (6,0). a, b per point: 5, 8 → 3/8;
  // 5, 5 → 0; 8, 7.5 → −1/16; 8, 5.5 → −5/16. Mean 0 (scikit-learn: 0.0).
  const Data square{{0, 0, 3, 4, 6, 8, 6, 0}, 2};
  CHECK(silhouette_score(square.matrix(), labels, Scaling::none) == Approx(0).margin(1e-15));

  // Scaling: standardizing one feature scales every distance alike, so nothing changes.
  CHECK(silhouette_score(four.matrix(), labels, Scaling::standardize) == Approx(4027.0 / 6160).epsilon(1e-12));
}

TEST_CASE("silhouette_score samples rows reproducibly", "[analytics]") {
  const Data data = blobs(1500, 2, 9);
  std::vector<std::int32_t> labels(1500);
  for (std::size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<std::int32_t>(i % 4);
  const double full = silhouette_score(data.matrix(), labels, Scaling::standardize, 1500);
  const double a = silhouette_score(data.matrix(), labels, Scaling::standardize, 300, 1);
  const double b = silhouette_score(data.matrix(), labels, Scaling::standardize, 300, 1);
  const double c = silhouette_score(data.matrix(), labels, Scaling::standardize, 300, 2);
  CHECK(a == b);
  CHECK(a != c);
  CHECK(full > 0.5);  // the labels are the blobs, well separated
  CHECK(a == Approx(full).margin(0.05));
  CHECK(c == Approx(full).margin(0.05));
  // More than the rows: every row, whatever the seed.
  CHECK(silhouette_score(data.matrix(), labels, Scaling::standardize, 10000, 3) == full);
}

TEST_CASE("silhouette_score rejects inconsistent input, naming the field", "[analytics]") {
  const Data data = one_column({0, 1, 4, 6});
  const std::vector<std::int32_t> three = {0, 1, 1};
  require_invalid([&] { (void)silhouette_score(data.matrix(), three); }, "labels", "3", "one label per row");
  const std::vector<std::int32_t> one_cluster = {2, 2, 2, 2};
  require_invalid([&] { (void)silhouette_score(data.matrix(), one_cluster); }, "labels", "2", "at least 2 clusters");
  const std::vector<std::int32_t> two = {0, 0, 1, 1};
  require_invalid([&] { (void)silhouette_score(data.matrix(), two, Scaling::none, 1); }, "sample_size", "1",
                  "at least 2");
  const Data negative = one_column({0, 1, -3, 6});
  require_invalid([&] { (void)silhouette_score(negative.matrix(), two, Scaling::log1p_standardize); },
                  "values[2][0]", "-3", "greater than -1");
}

TEST_CASE("inertia_curve gives the inertia and silhouette of every k", "[analytics]") {
  // {0, 1, 2, 10, 11, 12}: k = 1 inertia Σ(x − 6)² = 36 + 25 + 16 + 16 + 25 + 36 = 154;
  // k = 2 inertia 2 + 2 = 4, silhouette: for 0, 1, 2: a = 1.5, 1, 1.5 and b = 11, 10, 9, so
  // s = 19/22, 9/10, 5/6, mirrored in the other group: mean 857/990 (scikit-learn:
  // 0.8656565656565657); k = 3: the best split leaves 2 + 0.5 (e.g. {0,1,2} {10,11} {12}).
  KMeansOptions options = options_with(99);  // k is ignored
  options.initial_centroids = {1, 2, 3};     // cannot fit every k: ignored
  const std::vector<crmkit::analytics::KChoice> curve = inertia_curve(two_groups_1d().matrix(), 1, 3, options);
  REQUIRE(curve.size() == 3);
  CHECK(curve[0].k == 1);
  CHECK(curve[0].inertia == Approx(154));
  CHECK(curve[0].silhouette == 0);
  CHECK(curve[1].k == 2);
  CHECK(curve[1].inertia == Approx(4));
  CHECK(curve[1].silhouette == Approx(857.0 / 990).epsilon(1e-12));
  CHECK(curve[2].k == 3);
  CHECK(curve[2].inertia == Approx(2.5));
  CHECK(curve[2].silhouette < curve[1].silhouette);

  const std::vector<crmkit::analytics::KChoice> single = inertia_curve(two_groups_1d().matrix(), 2, 2, options);
  REQUIRE(single.size() == 1);
  CHECK(single[0].inertia == curve[1].inertia);
}

TEST_CASE("inertia_curve is independent of the thread count", "[analytics]") {
  const Data data = blobs(17000, 2, 21);
  KMeansOptions options = options_with(0, Scaling::standardize);
  options.n_init = 1;
  options.seed = 8;
  std::vector<std::vector<crmkit::analytics::KChoice>> curves;
  for (const unsigned threads : {1U, 2U, 3U}) {
    options.threads = threads;
    curves.push_back(inertia_curve(data.matrix(), 2, 3, options, 400));
  }
  for (std::size_t t = 1; t < curves.size(); ++t) {
    REQUIRE(curves[t].size() == 2);
    for (std::size_t i = 0; i < 2; ++i) {
      CHECK(curves[t][i].inertia == curves[0][i].inertia);
      CHECK(curves[t][i].silhouette == curves[0][i].silhouette);
    }
  }
  CHECK(curves[0][0].silhouette > 0.3);
}

TEST_CASE("inertia_curve rejects an empty or invalid range, naming the field", "[analytics]") {
  const Data data = two_groups_1d();
  require_invalid([&] { (void)inertia_curve(data.matrix(), 0, 3); }, "k_min", "0", "at least 1");
  require_invalid([&] { (void)inertia_curve(data.matrix(), 3, 2); }, "k_max", "2", "at least k_min (3)");
  require_invalid([&] { (void)inertia_curve(data.matrix(), 2, 7); }, "k_max", "7", "number of rows (6)");
  require_invalid([&] { (void)inertia_curve(data.matrix(), 1, 2, {}, 1); }, "silhouette_sample", "1",
                  "at least 2");
  KMeansOptions options;
  options.n_init = 0;
  require_invalid([&] { (void)inertia_curve(data.matrix(), 1, 2, options); }, "n_init", "0", "at least 1");
}
