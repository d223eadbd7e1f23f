#pragma once
/// @file
/// Customer segments from RFM scores: the default 10-segment R×F grid, user rules, and a
/// per-segment summary.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "crmkit/analytics/rfm.hpp"

namespace crmkit::analytics {

/// An inclusive range of scores. The default admits every score: a `max` of 100 (the largest
/// number of bins) means "and above", whatever the number of bins.
struct ScoreRange {
  int min = 1;    ///< lowest score admitted
  int max = 100;  ///< highest score admitted (100: no upper limit)
  /// True when `min <= score <= max`.
  [[nodiscard]] bool contains(int score) const noexcept { return min <= score && score <= max; }
};

/// One rule: customers whose R, F and M scores all lie in the ranges get the label.
struct SegmentRule {
  std::string label;  ///< the segment's name, not empty
  ScoreRange r;       ///< admitted recency scores
  ScoreRange f;       ///< admitted frequency scores
  ScoreRange m;       ///< admitted monetary scores
};

/// Ordered rules: the first rule a customer matches names its segment; customers matching none
/// get `fallback`. Several rules may share a label (one segment made of several ranges).
struct SegmentRules {
  std::vector<SegmentRule> rules;  ///< tried in order
  std::string fallback = "Other";  ///< the label of customers no rule matches

  /// The default grid of DOMAIN.md §3 on R and F with 5 bins, which covers all 25 cells exactly
  /// once: Champions, Loyal Customers, Potential Loyalists, New Customers, Promising,
  /// Need Attention, About to Sleep, Can't Lose Them, At Risk, Hibernating.
  [[nodiscard]] static SegmentRules standard();

  /// Checks the rules against scores 1..bins.
  /// @throws ValidationError naming the rule (`rules[i].label`, `rules[i].r`, ...) when a label is
  /// empty or a range is empty or reaches outside 1..bins (a `max` of 100 excepted), or `fallback`
  /// is empty.
  void validate(int bins) const;
};

/// Which segment each customer is in.
struct Segmentation {
  /// Distinct labels: the rules' in first-appearance order, then the fallback (once).
  std::vector<std::string> labels;
  /// Per customer (aligned with RfmScores::customer_ids): an index into `labels`.
  std::vector<std::uint16_t> segment;

  /// The label of customer row `row`.
  [[nodiscard]] const std::string& label_of(std::size_t row) const { return labels.at(segment.at(row)); }
};

/// Assigns every scored customer to a segment.
/// @throws ValidationError when the rules are invalid for `scores.bins` (see SegmentRules::validate;
/// the standard rules need 5 bins), or when the score columns are not as long as `customer_ids`
/// (field `scores`).
[[nodiscard]] Segmentation assign_segments(const RfmScores& scores,
                                           const SegmentRules& rules = SegmentRules::standard());

/// Summary of one segment.
struct SegmentStats {
  std::string label;               ///< the segment
  std::int64_t customers = 0;      ///< customers in it
  double customer_share = 0;       ///< customers / all customers (0..1)
  double revenue = 0;              ///< sum of its customers' monetary values
  double revenue_share = 0;        ///< revenue / all revenue (0 when all revenue is 0)
  double mean_recency_days = 0;    ///< mean recency in days (0 for an empty segment)
  double mean_frequency = 0;       ///< mean number of purchase periods (0 for an empty segment)
  double mean_monetary = 0;        ///< mean total spend (0 for an empty segment)
};

/// One row per label of `segmentation`, in its order, empty segments included.
/// @throws ValidationError when `segmentation` does not match `scores` (field `segment`, e.g. an
/// index beyond the labels), or the value columns of `scores` differ in length (field `scores`).
[[nodiscard]] std::vector<SegmentStats> summarize_segments(const RfmScores& scores,
                                                           const Segmentation& segmentation);

}  // namespace crmkit::analytics
