#pragma once
/// @file
/// RFM scoring: recency, frequency and monetary scores by rank or by value (DOMAIN.md §3).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "crmkit/analytics/customer_summary.hpp"
#include "crmkit/analytics/period.hpp"
#include "crmkit/analytics/purchases.hpp"
#include "crmkit/core/time.hpp"

namespace crmkit::analytics {

/// How values are cut into score bins.
enum class Binning {
  /// By rank (the default): customers ranked by value ascending, ties by customer id ascending
  /// (rank i of n), then score = max(1, ceil(bins·(i−1)/(n−1))): equal-count bins, the same as
  /// pandas `qcut(values.rank(method="first"), bins)` on rows sorted by customer id. Equal values
  /// may get different scores.
  rank,
  /// By value: the bin edges are the quantiles at k/bins (linear interpolation, as numpy's
  /// default), and a value scores the smallest k with value ≤ edge[k]. Equal values always share
  /// a score; some bins may be empty.
  value
};

/// `rank` or `value`.
[[nodiscard]] std::string_view to_string(Binning binning) noexcept;
/// Parses `rank` or `value`. @throws ValidationError naming `field` and the text.
[[nodiscard]] Binning parse_binning(std::string_view text, std::string_view field = "binning");

/// Scores of one column of values, 1 (lowest values) to `bins` (highest), with the bin edges.
struct BinnedScores {
  std::vector<std::uint8_t> scores;  ///< one per value, in the order given
  /// bins + 1 edges: a value with score k lies in [edges[k−1], edges[k]]; edges[0] is the
  /// smallest value and edges[bins] the largest. Empty bins repeat the previous edge; without
  /// values, every edge is 0.
  std::vector<double> edges;
};

/// Cuts `values` into `bins` scores. With Binning::rank, ties are broken by position, so pass the
/// values in ascending customer id. A single value, or all values equal under Binning::value,
/// scores 1.
/// @throws ValidationError when `bins` is outside 2..100 (field `bins`) or a value is not finite
/// (field `values[i]`).
[[nodiscard]] BinnedScores bin_scores(std::span<const double> values, int bins,
                                      Binning binning = Binning::rank);

/// How RFM scores are computed.
struct RfmOptions {
  int bins = 5;                     ///< score bins per dimension (quintiles by default), 2..100
  Binning binning = Binning::rank;  ///< how values are cut into bins
  /// Purchases within one period count as one for the frequency (a calendar day by default).
  Period period = Period::day;
  /// The day recency is measured to (inclusive end of the window); later purchases are ignored.
  /// Unset: the day of the latest purchase.
  std::optional<Date> as_of;
  unsigned threads = 0;  ///< worker threads, 0 = all hardware threads; results never depend on it
};

/// The bin edges of each dimension (see BinnedScores::edges), in the units of the values.
struct RfmEdges {
  std::vector<double> recency_days;  ///< edges of recency_days (ascending days; R reverses them)
  std::vector<double> frequency;     ///< edges of frequency
  std::vector<double> monetary;      ///< edges of monetary
};

/// RFM values and scores, one row per customer in ascending customer id, as columns.
struct RfmScores {
  std::vector<std::int64_t> customer_ids;  ///< ascending, each once
  /// Whole days from the last purchase day to the as_of day (0 when it is the as_of day).
  std::vector<std::int32_t> recency_days;
  std::vector<std::int64_t> frequency;  ///< number of distinct purchase periods
  std::vector<double> monetary;         ///< total spend
  /// Recency score: bins + 1 − the score of recency_days, so the most recent customers score highest.
  std::vector<std::uint8_t> r;
  std::vector<std::uint8_t> f;  ///< frequency score, 1..bins
  std::vector<std::uint8_t> m;  ///< monetary score, 1..bins
  int bins = 5;                     ///< the number of bins used
  Binning binning = Binning::rank;  ///< the binning used
  Period period = Period::day;      ///< the purchase period used for the frequency
  Date as_of{};                     ///< the day recency was measured to
  RfmEdges edges;                   ///< the bin edges, in value units

  /// Number of customers.
  [[nodiscard]] std::size_t size() const noexcept { return customer_ids.size(); }
};

/// RFM scores of every customer with a purchase on or before the as_of day.
/// @throws ValidationError on an inconsistent view or invalid options (naming the field).
[[nodiscard]] RfmScores rfm(const PurchaseView& purchases, const RfmOptions& options = {});

/// RFM scores from a customer summary already computed (its period and as_of are used):
/// recency_days from `last_purchase_us` to `as_of`, frequency = `purchase_periods`,
/// monetary = `total_spend`.
/// @throws ValidationError when `bins` is outside 2..100, or the summary's columns differ in length
/// (field `last_purchase_us`, `purchase_periods` or `total_spend`).
[[nodiscard]] RfmScores rfm(const CustomerSummary& summary, int bins = 5,
                            Binning binning = Binning::rank);

}  // namespace crmkit::analytics
