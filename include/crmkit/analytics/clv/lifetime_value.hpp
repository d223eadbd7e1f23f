#pragma once
/// @file
/// Customer lifetime value: expected purchases × expected spend, discounted over a horizon.

#include <span>
#include <vector>

#include "crmkit/analytics/clv/gamma_gamma.hpp"
#include "crmkit/analytics/clv/summary_data.hpp"
#include "crmkit/analytics/clv/transaction_model.hpp"

namespace crmkit::analytics::clv {

/// How future value is discounted.
enum class Discounting {
  /// As `lifetimes.utils._customer_lifetime_value`: the horizon is cut into steps (months by
  /// default); the value of step i is m · (E[Y(i·step)] − E[Y((i−1)·step)]) / (1 + rate)^i. A
  /// fractional horizon ends with a partial step discounted by (1 + rate)^horizon. The only choice for
  /// BG/BB, whose step and horizon must then be whole numbers of opportunities.
  steps,
  /// Continuous: ∫ m · e^(−rate·u/step) dE[Y(u)] over the horizon, with `rate` the rate per step
  /// turned into a force of interest ln(1 + rate); integrated by parts (no derivative of E[Y] is
  /// needed) with adaptive Gauss–Kronrod (G7/K15) quadrature.
  continuous
};

/// The horizon and discounting of a CLV.
struct ClvOptions {
  double horizon = 12;        ///< how far ahead, in steps (12 months by default)
  /// The length of one step in the model's time unit: 30 for months of days (lifetimes' "D"),
  /// 4.345 for months of weeks ("W"), 1 when the unit is the step.
  double step = 30;
  double discount_rate = 0.01;  ///< per step, ≥ 0 (0.01 = 1 % a month)
  Discounting discounting = Discounting::steps;  ///< how to discount
  unsigned threads = 0;        ///< worker threads, 0 = all; results never depend on it
};

/// Lifetime values of every row of `summary`: m_i = `gamma_gamma.conditional_expected_spend(x_i,
/// monetary_value_i)` (pass the same monetary values as `lifetimes` does: mean repeat spend, 0 when x = 0).
/// @throws ValidationError on invalid rows, lengths or options (field named).
[[nodiscard]] std::vector<double> lifetime_value(const TransactionModel& model,
                                                 const GammaGamma& gamma_gamma,
                                                 const SummaryView& summary,
                                                 std::span<const double> monetary_value,
                                                 const ClvOptions& options = {});

/// Lifetime values with a given expected spend per transaction for each row (e.g. a margin).
/// @throws ValidationError on invalid rows, lengths or options.
[[nodiscard]] std::vector<double> lifetime_value(const TransactionModel& model,
                                                 const SummaryView& summary,
                                                 std::span<const double> expected_spend,
                                                 const ClvOptions& options = {});

}  // namespace crmkit::analytics::clv
