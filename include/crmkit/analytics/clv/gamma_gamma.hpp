#pragma once
/// @file
/// The Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005, "RFM and CLV";
/// Fader & Hardie 2013, note 025).

#include <cstddef>
#include <span>
#include <vector>

#include "crmkit/analytics/clv/fit.hpp"

namespace crmkit::analytics::clv {

/// Repeat buyers' spend: x repeat transactions with mean value m each, read-only columns.
struct SpendView {
  std::span<const double> frequency;       ///< x ≥ 1, a whole number
  std::span<const double> monetary_value;  ///< mean repeat-transaction value, > 0
  std::span<const double> weights;         ///< customers per row, > 0; empty: 1 each
  /// Number of rows.
  [[nodiscard]] std::size_t size() const noexcept { return frequency.size(); }
  /// @throws ValidationError naming the column and row, the value and the rule.
  void validate() const;
};

/// Spend per transaction varies around each customer's mean ν, ν ~ Gamma(q, γ); transaction values
/// are Gamma(p, ν). Spend is independent of the transaction process (check it: the correlation of
/// frequency and monetary value should be weak).
class GammaGamma {
 public:
  /// The parameters, all positive.
  struct Parameters {
    double p = 1;      ///< shape of the transaction-value gamma distribution
    double q = 1;      ///< shape of the mean-value gamma distribution
    double gamma = 1;  ///< scale of the mean-value gamma distribution (in money)
  };
  /// @throws ValidationError when a parameter is not finite and positive.
  explicit GammaGamma(const Parameters& parameters);
  /// The parameters.
  [[nodiscard]] const Parameters& values() const noexcept { return parameters_; }
  /// `p`, `q`, `gamma`.
  [[nodiscard]] static std::vector<std::string> parameter_names();

  /// Log-likelihood of one customer's (x, m).
  [[nodiscard]] double log_likelihood(double x, double monetary_value) const;
  /// E[M]: the population mean transaction value, p·γ / (q − 1); +infinity when q ≤ 1.
  [[nodiscard]] double expected_spend() const noexcept;
  /// E[M | x, m]: a customer's expected mean transaction value, a weighted mean of the population
  /// mean and the customer's own mean (x = 0 gives the population mean). @throws ValidationError
  /// when q ≤ 1 (field `q`: the population mean does not exist).
  [[nodiscard]] double conditional_expected_spend(double x, double monetary_value) const;

 private:
  Parameters parameters_;
};

/// A fitted Gamma-Gamma model with its fit report.
struct GammaGammaFit {
  GammaGamma model;  ///< the model at the estimates
  FitResult result;  ///< estimates, errors, log-likelihood, ...
};

/// Fits Gamma-Gamma to repeat buyers (rows with x = 0 must be left out by the caller; see
/// spend_rows()).
/// @throws ValidationError on invalid data or options; FitError when no finite estimate is found.
[[nodiscard]] GammaGammaFit fit_gamma_gamma(const SpendView& spend, const FitOptions& options = {});

/// The rows of (frequency, monetary_value) with frequency > 0, as owned columns.
struct SpendData {
  std::vector<double> frequency;       ///< x ≥ 1
  std::vector<double> monetary_value;  ///< mean repeat value
  std::vector<std::size_t> rows;       ///< the input row of each
  /// A view valid while this object lives.
  [[nodiscard]] SpendView view() const noexcept { return {frequency, monetary_value, {}}; }
};

/// Picks the repeat buyers of a summary's columns. @throws ValidationError when lengths differ.
[[nodiscard]] SpendData spend_rows(std::span<const double> frequency,
                                   std::span<const double> monetary_value);

}  // namespace crmkit::analytics::clv
