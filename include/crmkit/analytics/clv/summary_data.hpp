#pragma once
/// @file
/// The inputs of the lifetime-value models: per-customer (x, t_x, T) rows with weights, and the
/// compression of identical rows into weights.

#include <cstddef>
#include <span>
#include <vector>

#include "crmkit/analytics/customer_summary.hpp"

namespace crmkit::analytics::clv {

/// Customers as rows of sufficient statistics, read-only columns of equal length.
///
/// For the continuous-time models (BG/NBD, MBG/NBD, Pareto/NBD): x = repeat purchases, t_x = time of
/// the last purchase since the first, T = time since the first purchase, all durations in one time
/// unit. For the discrete-time BG/BB: x = purchase opportunities used (repeat transactions),
/// t_x = the opportunity of the last one (0 when none), T = n, the number of opportunities; all
/// three are whole numbers.
struct SummaryView {
  std::span<const double> frequency;  ///< x, ≥ 0 (a whole number)
  std::span<const double> recency;    ///< t_x, 0 ≤ t_x ≤ T; 0 when x = 0
  std::span<const double> T;          ///< T (or n for BG/BB), > 0
  /// How many customers each row stands for (> 0); empty means 1 for every row.
  std::span<const double> weights;

  /// Number of rows.
  [[nodiscard]] std::size_t size() const noexcept { return frequency.size(); }
  /// The weight of row `row` (1 without weights).
  [[nodiscard]] double weight(std::size_t row) const noexcept {
    return weights.empty() ? 1.0 : weights[row];
  }
  /// Checks lengths and the rules above (x a whole number ≥ 0, 0 ≤ t_x ≤ T, t_x = 0 when x = 0,
  /// T > 0, weights > 0, everything finite; with `discrete`, t_x and T whole numbers and x ≤ t_x).
  /// @throws ValidationError naming the column and row (`recency[12]`), the value and the rule.
  void validate(bool discrete = false) const;
};

/// Summary rows that own their data.
struct SummaryData {
  std::vector<double> frequency;  ///< x
  std::vector<double> recency;    ///< t_x
  std::vector<double> T;          ///< T (or n)
  std::vector<double> weights;    ///< customers per row (empty: 1 each)
  /// Number of rows.
  [[nodiscard]] std::size_t size() const noexcept { return frequency.size(); }
  /// A view valid while this object lives and is not modified.
  [[nodiscard]] SummaryView view() const noexcept { return {frequency, recency, T, weights}; }
};

/// The (x, t_x, T) columns of a customer summary (in its time unit), one row per customer.
[[nodiscard]] SummaryData summary_data(const CustomerSummary& summary);

/// Identical rows merged: what a fit actually iterates over.
struct CompressedSummary {
  SummaryData rows;  ///< distinct (x, t_x, T) rows, with the summed weights
  /// For every input row, the index of its distinct row in `rows`.
  std::vector<std::size_t> row_of;
};

/// Merges rows with equal (x, t_x, T) (bitwise equal doubles), summing their weights. Rows come out
/// sorted by (x, t_x, T). Compression is what makes a million customers cost little more than their
/// distinct rows: fits call it themselves.
/// @throws ValidationError as SummaryView::validate.
[[nodiscard]] CompressedSummary compress(const SummaryView& summary);

}  // namespace crmkit::analytics::clv
