#pragma once
/// @file
/// The customer summary (frequency, recency, T, monetary value): the sufficient statistics of the
/// RFM and customer-lifetime-value models, as DOMAIN.md §3 and the `lifetimes` library define them.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "crmkit/analytics/period.hpp"
#include "crmkit/analytics/purchases.hpp"
#include "crmkit/core/time.hpp"

namespace crmkit::analytics {

/// How a customer summary is computed.
struct SummaryOptions {
  /// Purchases by one customer within one period count as one purchase period.
  Period period = Period::day;
  /// The unit of `recency` and `T`; the period when unset. A longer unit gives fractions
  /// (daily periods measured in weeks, as in the CDNOW summaries).
  std::optional<Period> time_unit;
  /// The last day of the observation window (inclusive). Purchases on later days are ignored.
  /// Unset: the day of the latest purchase in the data (1970-01-01 when there is none).
  std::optional<Date> as_of;
  /// Worker threads; 0 uses every hardware thread. Results never depend on this number.
  unsigned threads = 0;
};

/// One row per customer with a purchase on or before `as_of`, as columns, in ascending customer id.
struct CustomerSummary {
  std::vector<std::int64_t> customer_ids;       ///< ascending, each once
  std::vector<std::int64_t> first_purchase_us;  ///< time of the customer's earliest purchase
  std::vector<std::int64_t> last_purchase_us;   ///< time of the customer's latest purchase
  std::vector<std::int64_t> frequency;          ///< x: distinct purchase periods − 1 (repeat periods)
  std::vector<double> recency;                  ///< t_x: last − first purchase period, in time units
  std::vector<double> T;                        ///< as_of period − first purchase period, in time units
  /// Mean of the per-period totals of the repeat periods (the first period excluded); 0 when x = 0.
  std::vector<double> monetary_value;
  std::vector<double> total_spend;              ///< sum of every purchase amount, first period included
  std::vector<std::int64_t> purchase_periods;   ///< number of distinct purchase periods (x + 1)
  Period period = Period::day;                  ///< the period purchases were grouped by
  Period time_unit = Period::day;               ///< the unit of `recency` and `T`
  Date as_of{};                                 ///< the last day of the observation window

  /// Number of customers.
  [[nodiscard]] std::size_t size() const noexcept { return customer_ids.size(); }
  /// The row of `customer_id`, found by binary search; nullopt when absent.
  [[nodiscard]] std::optional<std::size_t> find(std::int64_t customer_id) const noexcept;
};

/// Summarizes purchases per customer.
/// @throws ValidationError when the view is inconsistent (see PurchaseView::validate).
[[nodiscard]] CustomerSummary customer_summary(const PurchaseView& purchases,
                                               const SummaryOptions& options = {});

/// How a calibration/holdout split is computed.
struct HoldoutOptions {
  /// The last day of the calibration period (inclusive); the holdout starts the next day.
  Date calibration_end{};
  /// The last day of the holdout period (inclusive). Unset: the day of the latest purchase.
  std::optional<Date> observation_end;
  Period period = Period::day;      ///< as SummaryOptions::period
  std::optional<Period> time_unit;  ///< as SummaryOptions::time_unit
  unsigned threads = 0;             ///< as SummaryOptions::threads
};

/// A calibration summary plus what each of its customers did in the holdout period.
/// Customers whose first purchase falls in the holdout are not included (as in `lifetimes`).
struct CalibrationHoldout {
  CustomerSummary calibration;  ///< the summary up to and including `calibration_end` (its as_of)
  /// Distinct purchase periods in the holdout, aligned with `calibration.customer_ids`.
  std::vector<std::int64_t> holdout_frequency;
  /// Mean per-period total in the holdout, 0 when there is none, aligned likewise (`lifetimes`
  /// averages per transaction instead; the two agree when each period holds one purchase).
  std::vector<double> holdout_monetary_value;
  double holdout_duration = 0;  ///< observation_end − calibration_end, in time units
  Date observation_end{};       ///< the last day of the holdout
};

/// Splits purchases at `options.calibration_end` and summarizes both sides.
/// @throws ValidationError when the view is inconsistent, or `observation_end` is before
/// `calibration_end` (field `observation_end`).
[[nodiscard]] CalibrationHoldout calibration_holdout_summary(const PurchaseView& purchases,
                                                             const HoldoutOptions& options);

}  // namespace crmkit::analytics
