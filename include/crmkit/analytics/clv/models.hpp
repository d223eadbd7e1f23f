#pragma once
/// @file
/// The four transaction models, each with its parameters and closed-form expressions.

#include <cstdint>
#include <string>
#include <vector>

#include "crmkit/analytics/clv/transaction_model.hpp"

namespace crmkit::analytics::clv {

/// BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): purchases follow a
/// Poisson process with rate λ ~ Gamma(r, α); after each purchase the customer drops out with
/// probability p ~ Beta(a, b).
class BgNbd final : public TransactionModel {
 public:
  /// The parameters, all positive.
  struct Parameters {
    double r = 1;      ///< shape of the purchase-rate gamma distribution
    double alpha = 1;  ///< scale (rate) of the purchase-rate gamma distribution, in time units
    double a = 1;      ///< beta distribution of the dropout probability
    double b = 1;      ///< beta distribution of the dropout probability
  };
  /// @throws ValidationError when a parameter is not finite and positive.
  explicit BgNbd(const Parameters& parameters);
  /// The parameters.
  [[nodiscard]] const Parameters& values() const noexcept { return parameters_; }

  [[nodiscard]] Model model() const noexcept override { return Model::bgnbd; }
  [[nodiscard]] std::vector<double> parameters() const override;
  [[nodiscard]] std::vector<std::string> parameter_names() const override;
  [[nodiscard]] double log_likelihood(double x, double t_x, double T) const override;
  [[nodiscard]] double expected_purchases(double t) const override;
  [[nodiscard]] double conditional_expected_purchases(double t, double x, double t_x,
                                                      double T) const override;
  [[nodiscard]] double probability_alive(double x, double t_x, double T) const override;
  [[nodiscard]] double probability_of_purchases(std::int64_t n, double t) const override;

 private:
  Parameters parameters_;
};

/// MBG/NBD (Batislam, Denizel & Filiztekin 2007): BG/NBD where a customer may also drop out right
/// after the first purchase, so customers with x = 0 are not all alive.
class ModifiedBgNbd final : public TransactionModel {
 public:
  /// The parameters, all positive (the same meaning as BgNbd's).
  struct Parameters {
    double r = 1;      ///< shape of the purchase-rate gamma distribution
    double alpha = 1;  ///< scale of the purchase-rate gamma distribution, in time units
    double a = 1;      ///< beta distribution of the dropout probability
    double b = 1;      ///< beta distribution of the dropout probability
  };
  /// @throws ValidationError when a parameter is not finite and positive.
  explicit ModifiedBgNbd(const Parameters& parameters);
  /// The parameters.
  [[nodiscard]] const Parameters& values() const noexcept { return parameters_; }

  [[nodiscard]] Model model() const noexcept override { return Model::mbgnbd; }
  [[nodiscard]] std::vector<double> parameters() const override;
  [[nodiscard]] std::vector<std::string> parameter_names() const override;
  [[nodiscard]] double log_likelihood(double x, double t_x, double T) const override;
  [[nodiscard]] double expected_purchases(double t) const override;
  [[nodiscard]] double conditional_expected_purchases(double t, double x, double t_x,
                                                      double T) const override;
  [[nodiscard]] double probability_alive(double x, double t_x, double T) const override;
  [[nodiscard]] double probability_of_purchases(std::int64_t n, double t) const override;

 private:
  Parameters parameters_;
};

/// Pareto/NBD (Schmittlein, Morrison & Colombo 1987; likelihood as in Fader, Hardie & Lee 2005,
/// "A note on deriving the Pareto/NBD model"): Poisson purchases with rate λ ~ Gamma(r, α) and an
/// exponential lifetime with rate μ ~ Gamma(s, β). Fits start, unless told otherwise, from r = s = 1,
/// α = mean(T) / max(mean(x), 0.1) and β = mean(T), so that data in days and in weeks start alike.
class ParetoNbd final : public TransactionModel {
 public:
  /// The parameters, all positive.
  struct Parameters {
    double r = 1;      ///< shape of the purchase-rate gamma distribution
    double alpha = 1;  ///< scale of the purchase-rate gamma distribution, in time units
    double s = 1;      ///< shape of the dropout-rate gamma distribution
    double beta = 1;   ///< scale of the dropout-rate gamma distribution, in time units
  };
  /// @throws ValidationError when a parameter is not finite and positive.
  explicit ParetoNbd(const Parameters& parameters);
  /// The parameters.
  [[nodiscard]] const Parameters& values() const noexcept { return parameters_; }

  [[nodiscard]] Model model() const noexcept override { return Model::paretonbd; }
  [[nodiscard]] std::vector<double> parameters() const override;
  [[nodiscard]] std::vector<std::string> parameter_names() const override;
  [[nodiscard]] double log_likelihood(double x, double t_x, double T) const override;
  [[nodiscard]] double expected_purchases(double t) const override;
  [[nodiscard]] double conditional_expected_purchases(double t, double x, double t_x,
                                                      double T) const override;
  [[nodiscard]] double probability_alive(double x, double t_x, double T) const override;
  [[nodiscard]] double probability_of_purchases(std::int64_t n, double t) const override;

 private:
  Parameters parameters_;
};

/// BG/BB (Fader, Hardie & Shang 2010): at each of n discrete opportunities an alive customer
/// transacts with probability p ~ Beta(α, β) and, after it, drops out with probability
/// θ ~ Beta(γ, δ). Durations (t, T) count opportunities and must be whole numbers (predict() with a
/// fractional horizon throws, naming `n_star`). probability_alive(x, t_x, n) is the probability of
/// being alive at opportunity n + 1, as in the paper's eq. 11, BTYD and lifetimes.
class BgBb final : public TransactionModel {
 public:
  /// The parameters, all positive.
  struct Parameters {
    double alpha = 1;  ///< beta distribution of the transaction probability
    double beta = 1;   ///< beta distribution of the transaction probability
    double gamma = 1;  ///< beta distribution of the dropout probability
    double delta = 1;  ///< beta distribution of the dropout probability
  };
  /// @throws ValidationError when a parameter is not finite and positive.
  explicit BgBb(const Parameters& parameters);
  /// The parameters.
  [[nodiscard]] const Parameters& values() const noexcept { return parameters_; }

  [[nodiscard]] Model model() const noexcept override { return Model::bgbb; }
  [[nodiscard]] std::vector<double> parameters() const override;
  [[nodiscard]] std::vector<std::string> parameter_names() const override;
  [[nodiscard]] double log_likelihood(double x, double t_x, double n) const override;
  [[nodiscard]] double expected_purchases(double n) const override;
  [[nodiscard]] double conditional_expected_purchases(double n_star, double x, double t_x,
                                                      double n) const override;
  [[nodiscard]] double probability_alive(double x, double t_x, double n) const override;
  [[nodiscard]] double probability_of_purchases(std::int64_t x, double n) const override;

 private:
  Parameters parameters_;
};

}  // namespace crmkit::analytics::clv
