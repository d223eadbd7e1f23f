#pragma once
/// @file
/// The interface of the transaction (purchase-count) models, their fitting, and vectorized predictions.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "crmkit/analytics/clv/fit.hpp"
#include "crmkit/analytics/clv/summary_data.hpp"

namespace crmkit::analytics::clv {

/// A fitted (or given) model of how many purchases customers make and when they stop: BG/NBD,
/// MBG/NBD, Pareto/NBD or BG/BB. Durations are in the time unit of the data it was fitted on
/// (opportunities for BG/BB). Immutable and thread-safe.
class TransactionModel {
 public:
  virtual ~TransactionModel() = default;
  /// Which model this is.
  [[nodiscard]] virtual Model model() const noexcept = 0;
  /// The parameters in the model's order (see parameter_names()).
  [[nodiscard]] virtual std::vector<double> parameters() const = 0;
  /// The parameter names, e.g. `r`, `alpha`, `a`, `b`.
  [[nodiscard]] virtual std::vector<std::string> parameter_names() const = 0;

  /// Log-likelihood of one customer's (x, t_x, T).
  [[nodiscard]] virtual double log_likelihood(double x, double t_x, double T) const = 0;
  /// E[X(t)]: expected purchases of a new customer in its first t time units (after the first purchase).
  [[nodiscard]] virtual double expected_purchases(double t) const = 0;
  /// E[Y(t) | x, t_x, T]: expected purchases in the next t time units of a customer with this history.
  [[nodiscard]] virtual double conditional_expected_purchases(double t, double x, double t_x,
                                                              double T) const = 0;
  /// P(alive | x, t_x, T): the probability the customer has not dropped out by T.
  [[nodiscard]] virtual double probability_alive(double x, double t_x, double T) const = 0;
  /// P(X(t) = n): the probability a new customer makes exactly n purchases in t time units.
  [[nodiscard]] virtual double probability_of_purchases(std::int64_t n, double t) const = 0;

  /// Σ weight · log_likelihood over `summary` (compressed first).
  /// @throws ValidationError as SummaryView::validate.
  [[nodiscard]] double total_log_likelihood(const SummaryView& summary) const;

 protected:
  TransactionModel() = default;
  /// Copyable by derived classes only.
  TransactionModel(const TransactionModel&) = default;
  /// Assignable by derived classes only.
  TransactionModel& operator=(const TransactionModel&) = default;
};

/// Builds a model from its parameters in natural units, in the model's order.
/// @throws ValidationError when `model` is gammagamma, the count is wrong, or a parameter is not
/// finite and positive (field `parameters[i]` named by its parameter name).
[[nodiscard]] std::unique_ptr<TransactionModel> make_transaction_model(Model model,
                                                                       std::span<const double> parameters);

/// A fitted transaction model with its fit report.
struct TransactionFit {
  std::shared_ptr<const TransactionModel> model;  ///< the model at the estimates
  FitResult result;                               ///< estimates, errors, log-likelihood, ...
};

/// Fits `model` (not gammagamma) to `summary` by maximum likelihood.
/// @throws ValidationError on invalid data (BG/BB checks whole numbers) or options; FitError when
/// the optimizer cannot find finite estimates.
[[nodiscard]] TransactionFit fit_transaction_model(Model model, const SummaryView& summary,
                                                   const FitOptions& options = {});

/// Predictions for many customers at once, one value per row of `summary` (weights ignored).
/// Rows are evaluated once per distinct (x, t_x, T) and in parallel.
struct Predictions {
  std::vector<double> probability_alive;      ///< P(alive | x, t_x, T)
  std::vector<double> expected_purchases;     ///< E[Y(horizon) | x, t_x, T]
};

/// P(alive) and the expected purchases over the next `horizon` time units of every row.
/// @throws ValidationError on invalid rows or a negative horizon.
[[nodiscard]] Predictions predict(const TransactionModel& model, const SummaryView& summary,
                                  double horizon, unsigned threads = 0);

}  // namespace crmkit::analytics::clv
