#include "crmkit/analytics/clv/holdout.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "crmkit/core/error.hpp"

namespace crmkit::analytics::clv {

HoldoutValidation validate_holdout(const TransactionModel& model, const SummaryView& calibration,
                                   std::span<const double> holdout_frequency, double duration,
                                   std::int64_t max_frequency) {
  const std::size_t n = calibration.size();
  if (holdout_frequency.size() != n) {
    throw ValidationError("holdout_frequency", fmt::format("{} rows", holdout_frequency.size()),
                          fmt::format("must have as many rows as the calibration summary ({})", n));
  }
  if (!(std::isfinite(duration) && duration > 0)) {
    throw ValidationError("duration", fmt::format("{}", duration), "must be a finite duration > 0");
  }
  if (max_frequency < 0) {
    throw ValidationError("max_frequency", fmt::format("{}", max_frequency), "must be >= 0");
  }
  for (std::size_t i = 0; i < n; ++i) {
    const double actual = holdout_frequency[i];
    if (!(std::isfinite(actual) && actual >= 0 && actual == std::floor(actual))) {
      throw ValidationError(fmt::format("holdout_frequency[{}]", i), fmt::format("{}", actual),
                            "must be a whole number >= 0");
    }
  }
  // Validates the rows (whole numbers for BG/BB) and evaluates each distinct row once, in parallel.
  calibration.validate(model.model() == Model::bgbb);
  const Predictions predictions = predict(model, calibration, duration);
  const std::vector<double>& predicted = predictions.expected_purchases;

  // Per group: customers, Σ actual, Σ predicted; the last group pools x >= cap.
  const auto groups = static_cast<std::size_t>(max_frequency) + 1;
  std::vector<double> customers(groups, 0.0);
  std::vector<double> actual_sum(groups, 0.0);
  std::vector<double> predicted_sum(groups, 0.0);
  HoldoutValidation result;
  double weight_total = 0;
  double absolute_error = 0;
  double squared_error = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double weight = calibration.weight(i);
    const double x = calibration.frequency[i];
    const std::size_t group =
        x >= static_cast<double>(max_frequency) ? groups - 1 : static_cast<std::size_t>(x);
    const double actual = holdout_frequency[i];
    const double error = predicted[i] - actual;
    customers[group] += weight;
    actual_sum[group] += weight * actual;
    predicted_sum[group] += weight * predicted[i];
    weight_total += weight;
    absolute_error += weight * std::abs(error);
    squared_error += weight * error * error;
  }
  for (std::size_t g = 0; g < groups; ++g) {
    if (customers[g] == 0) continue;  // no customer made exactly this many repeat purchases
    result.rows.push_back({static_cast<std::int64_t>(g), customers[g], actual_sum[g] / customers[g],
                           predicted_sum[g] / customers[g]});
    result.total_actual += actual_sum[g];
    result.total_predicted += predicted_sum[g];
  }
  if (weight_total == 0) {
    // No customers: no errors to report, and no correlation either.
    result.correlation = std::numeric_limits<double>::quiet_NaN();
    return result;
  }
  result.mae = absolute_error / weight_total;
  result.rmse = std::sqrt(squared_error / weight_total);
  // Weighted Pearson correlation, centred on the means (a second pass) for accuracy.
  const double mean_actual = result.total_actual / weight_total;
  const double mean_predicted = result.total_predicted / weight_total;
  double covariance = 0;
  double variance_actual = 0;
  double variance_predicted = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double weight = calibration.weight(i);
    const double da = holdout_frequency[i] - mean_actual;
    const double dp = predicted[i] - mean_predicted;
    covariance += weight * da * dp;
    variance_actual += weight * da * da;
    variance_predicted += weight * dp * dp;
  }
  // Undefined when either side is constant (e.g. nobody bought in the holdout): NaN, as numpy says.
  result.correlation = variance_actual > 0 && variance_predicted > 0
                           ? covariance / std::sqrt(variance_actual * variance_predicted)
                           : std::numeric_limits<double>::quiet_NaN();
  return result;
}

}  // namespace crmkit::analytics::clv
