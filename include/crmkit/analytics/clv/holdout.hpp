#pragma once
/// @file
/// Holdout validation of a transaction model: predicted against actual purchases in a holdout period.

#include <cstdint>
#include <span>
#include <vector>

#include "crmkit/analytics/clv/summary_data.hpp"
#include "crmkit/analytics/clv/transaction_model.hpp"

namespace crmkit::analytics::clv {

/// One group of customers with the same calibration frequency (the last group collects x ≥ cap).
struct HoldoutRow {
  std::int64_t frequency = 0;  ///< calibration repeat purchases x (the cap for the last group)
  double customers = 0;        ///< customers in the group
  double actual = 0;           ///< mean actual holdout purchases
  double predicted = 0;        ///< mean predicted E[Y(duration) | x, t_x, T]
};

/// The comparison table and overall error figures.
struct HoldoutValidation {
  std::vector<HoldoutRow> rows;  ///< by calibration frequency, ascending
  double total_actual = 0;       ///< Σ actual holdout purchases
  double total_predicted = 0;    ///< Σ predicted holdout purchases
  double mae = 0;                ///< mean absolute error per customer
  double rmse = 0;               ///< root mean squared error per customer
  /// Pearson correlation of actual and predicted per customer; NaN when either side is constant
  /// or there are no customers (the correlation is then undefined).
  double correlation = 0;
};

/// Compares `model`'s predictions over `duration` with each customer's actual holdout purchases.
/// `max_frequency` caps the table's groups (x ≥ cap are pooled), as the papers' tables do (7+).
/// @throws ValidationError when lengths differ, the duration is not positive, or the rows are invalid.
[[nodiscard]] HoldoutValidation validate_holdout(const TransactionModel& model,
                                                 const SummaryView& calibration,
                                                 std::span<const double> holdout_frequency,
                                                 double duration, std::int64_t max_frequency = 7);

}  // namespace crmkit::analytics::clv
