// MBG/NBD (Batislam, Denizel & Filiztekin 2007, "Empirical validation and comparison of models for
// customer base analysis", IJRM 24(3):201-209; Wagner & Hoppe 2008, "Erratum on the MBG/NBD
// model", IJRM 25(3):225-226): BG/NBD where a customer may also drop out right after the first
// purchase. Expressions follow lifetimes' ModifiedBetaGeoFitter.

#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "analytics/clv/likelihood_sum.hpp"
#include "analytics/clv/problems.hpp"
#include "analytics/clv/special.hpp"
#include "crmkit/analytics/clv/models.hpp"
#include "crmkit/core/error.hpp"

namespace crmkit::analytics::clv {

namespace detail {

LikelihoodProblem mbgnbd_problem(const SummaryData& rows, unsigned threads) {
  return bg_family_problem(rows, true, threads);
}

}  // namespace detail

namespace {

void check_parameter(std::string_view name, double value) {
  if (!std::isfinite(value) || value <= 0) {
    throw ValidationError(std::string(name), fmt::format("{}", value), "must be a finite number > 0");
  }
}

}  // namespace

ModifiedBgNbd::ModifiedBgNbd(const Parameters& parameters) : parameters_(parameters) {
  check_parameter("r", parameters.r);
  check_parameter("alpha", parameters.alpha);
  check_parameter("a", parameters.a);
  check_parameter("b", parameters.b);
}

std::vector<double> ModifiedBgNbd::parameters() const {
  return {parameters_.r, parameters_.alpha, parameters_.a, parameters_.b};
}

std::vector<std::string> ModifiedBgNbd::parameter_names() const { return {"r", "alpha", "a", "b"}; }

// L = A1·A2·(A3 + A4) for every x (x = 0 included), with one more survival in the beta terms;
// summed in logs as BgNbd's (ln α cancelled, gamma-function ratios as rising sums).
double ModifiedBgNbd::log_likelihood(double x, double t_x, double T) const {
  detail::check_history(x, t_x, T);
  const auto [r, alpha, a, b] = parameters_;
  const double head = -x * std::log(alpha) + detail::log_rising(r, x) + detail::log_rising(b, x + 1) -
                      detail::log_rising(a + b, x + 1);
  const double a3 = -(r + x) * std::log1p(T / alpha);
  const double a4 = std::log(a / (b + x)) - (r + x) * std::log1p(t_x / alpha);
  return head + detail::log_add_exp(a3, a4);
}

// E[(1 − p)/p · (1 − (α/(α + p·t))^r)] over p ~ Beta(a, b): the customer survives the start with
// probability 1 − p, which turns Beta(a, b) into Beta(a, b + 1) with weight b/(a + b). Equal to
// lifetimes' b/(a − 1)·(1 − ₂F₁(r, b + 1; a + b; z)·(α/(α + t))^r).
double ModifiedBgNbd::expected_purchases(double t) const {
  detail::check_duration("t", t);
  const auto [r, alpha, a, b] = parameters_;
  return b / (a + b) * detail::expected_purchases_alive(r, alpha, a, b + 1, t);
}

// P(alive) times the expected purchases of an alive customer with posteriors Gamma(r + x, α + T)
// and Beta(a, b + x + 1) (Wagner & Hoppe 2008).
double ModifiedBgNbd::conditional_expected_purchases(double t, double x, double t_x, double T) const {
  detail::check_duration("t", t);
  const double alive = probability_alive(x, t_x, T);
  const auto [r, alpha, a, b] = parameters_;
  return alive * detail::expected_purchases_alive(r + x, alpha + T, a, b + x + 1, t);
}

// Batislam et al. 2007, appendix A eq. 5: 1 / (1 + a/(b + x)·((α + T)/(α + t_x))^(r + x)).
double ModifiedBgNbd::probability_alive(double x, double t_x, double T) const {
  detail::check_history(x, t_x, T);
  const auto [r, alpha, a, b] = parameters_;
  const double log_odds_dead = std::log(a / (b + x)) + (r + x) * std::log1p((T - t_x) / (alpha + t_x));
  return detail::logistic(-log_odds_dead);
}

// Alive through n purchases with exactly n in t, or dropped out at the start (n = 0) or right after
// the n-th purchase, which came before t.
double ModifiedBgNbd::probability_of_purchases(std::int64_t n, double t) const {
  detail::check_count("n", n);
  detail::check_duration("t", t);
  const auto [r, alpha, a, b] = parameters_;
  if (t == 0) return n == 0 ? 1.0 : 0.0;
  const auto x = static_cast<double>(n);
  // B(a, b + n + 1)/B(a, b) and B(a + 1, b + n)/B(a, b) as rising sums.
  const double survived = std::exp(detail::log_rising(b, x + 1) - detail::log_rising(a + b, x + 1) +
                                   detail::log_negative_binomial(x, r, alpha, t));
  const double dropped_weight =
      std::exp(std::log(a) + detail::log_rising(b, x) - detail::log_rising(a + b, x + 1));
  const double tail = n == 0 ? 1.0 : detail::negative_binomial_tail(x, r, alpha, t);
  return survived + dropped_weight * tail;
}

}  // namespace crmkit::analytics::clv
