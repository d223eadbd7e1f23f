#pragma once
// Special functions and argument checks shared by the closed forms of the CLV models: log-sum-exp,
// log-beta, the Gauss hypergeometric function (Boost.Math's pFq, with failure reported as NaN),
// negative-binomial tails (Boost.Math's incomplete beta), and expectations over a beta distribution
// by tanh-sinh quadrature (the fallback where a closed form is singular or slow).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include <boost/math/quadrature/tanh_sinh.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/hypergeometric_pFq.hpp>
#include <fmt/format.h>

#include "crmkit/core/error.hpp"

namespace crmkit::analytics::clv::detail {

/// ln Γ(x) for x > 0; Boost's, which (unlike std::lgamma) writes no global and so is thread-safe.
[[nodiscard]] inline double log_gamma(double x) { return boost::math::lgamma(x); }

/// ψ(x), the digamma function.
[[nodiscard]] inline double digamma(double x) { return boost::math::digamma(x); }

/// ln B(a, b).
[[nodiscard]] inline double log_beta(double a, double b) {
  return log_gamma(a) + log_gamma(b) - log_gamma(a + b);
}

/// ln Γ(s + n) − ln Γ(s) for a whole n ≥ 0: the sum Σ_{j<n} ln(s + j) for n ≤ 64, which keeps its
/// digits when s is huge (the log-gamma difference would cancel), else the difference.
[[nodiscard]] inline double log_rising(double s, double n) {
  if (n > 64) return log_gamma(s + n) - log_gamma(s);
  double sum = 0;
  for (double j = 0; j < n; ++j) sum += std::log(s + j);
  return sum;
}

/// ψ(s + n) − ψ(s) for a whole n ≥ 0, likewise: Σ_{j<n} 1/(s + j) for n ≤ 64.
[[nodiscard]] inline double digamma_rising(double s, double n) {
  if (n > 64) return digamma(s + n) - digamma(s);
  double sum = 0;
  for (double j = 0; j < n; ++j) sum += 1 / (s + j);
  return sum;
}

/// ln(e^u + e^v) without overflow or underflow.
[[nodiscard]] inline double log_add_exp(double u, double v) noexcept {
  if (u == -std::numeric_limits<double>::infinity()) return v;
  if (v == -std::numeric_limits<double>::infinity()) return u;
  return std::max(u, v) + std::log1p(std::exp(-std::abs(u - v)));
}

/// 1 / (1 + e^(−u)), the logistic function, stable for any u.
[[nodiscard]] inline double logistic(double u) noexcept {
  if (u >= 0) return 1 / (1 + std::exp(-u));
  const double e = std::exp(u);
  return e / (1 + e);
}

/// ₂F₁(a, b; c; z) for 0 ≤ z < 1 by its power series (Boost.Math); NaN when the series fails
/// or loses more than ~1e-10 relative accuracy, so that callers can fall back to quadrature.
[[nodiscard]] inline double hyp2f1(double a, double b, double c, double z) noexcept {
  try {
    double error = 0;
    const double value = boost::math::hypergeometric_pFq({a, b}, {c}, z, &error);
    if (!std::isfinite(value) || !(error <= 1e-10 * std::abs(value))) return std::nan("");
    return value;
  } catch (...) {
    return std::nan("");
  }
}

/// P(N ≥ n) for N negative binomial with shape r and success probability α/(α+t), i.e. purchases
/// of a Gamma(r, α)-mixed Poisson process in a span t: the regularized incomplete beta I_z(n, r),
/// z = t/(α+t). n ≥ 1, t > 0.
[[nodiscard]] inline double negative_binomial_tail(double n, double r, double alpha, double t) {
  const double p = alpha / (alpha + t);
  return p < 0.5 ? boost::math::ibetac(r, n, p) : boost::math::ibeta(n, r, t / (alpha + t));
}

/// ln P(N = n) for the same negative binomial (n ≥ 0, t > 0).
[[nodiscard]] inline double log_negative_binomial(double n, double r, double alpha, double t) {
  const double log_p = -std::log1p(t / alpha);             // ln(α/(α+t))
  const double log_q = std::log(t) - std::log(alpha + t);  // ln(t/(α+t))
  return log_rising(r, n) - log_gamma(n + 1) + r * log_p + (n == 0 ? 0.0 : n * log_q);
}

/// E[f(p)] for p ~ Beta(a, b), f bounded on [0, 1], by tanh-sinh quadrature. The halves [0, ½]
/// and [½, 1] are integrated in u = p^a and v = (1 − p)^b, which absorb the density's endpoint
/// singularities, so tiny and large a and b stay accurate.
template <class F>
[[nodiscard]] double beta_expectation(double a, double b, F f) {
  // Not const: Boost 1.74 declares integrate() const but defines it without (its row cache is
  // guarded by a mutex, so sharing it between threads is safe).
  static boost::math::quadrature::tanh_sinh<double> integrator;
  const double lower_end = std::exp2(-a);  // u at p = ½
  const double upper_end = std::exp2(-b);  // v at p = ½
  // a and b beyond 1074 (both halves underflow): p ~ Beta(a, b) is a/(a + b) give or take a
  // standard deviation below 0.011, so E[f(p)] is f(a/(a + b)) up to that spread.
  if (lower_end == 0 && upper_end == 0) return f(a / (a + b));
  double lower = 0;
  if (lower_end > 0) {
    lower = integrator.integrate(
        [&](double u) {
          const double p = std::pow(u, 1 / a);
          return std::pow(1 - p, b - 1) * f(p);
        },
        0.0, lower_end, 1e-10);
  }
  double upper = 0;
  if (upper_end > 0) {
    upper = integrator.integrate(
        [&](double v) {
          const double q = std::pow(v, 1 / b);
          return std::pow(1 - q, a - 1) * f(1 - q);
        },
        0.0, upper_end, 1e-10);
  }
  const double lb = log_beta(a, b);
  return lower * std::exp(-std::log(a) - lb) + upper * std::exp(-std::log(b) - lb);
}

/// E[(1 − (β/(β + p·t))^s) / p] for p ~ Beta(a, b): the expected purchases in t of a customer who
/// is alive now, with purchase rate ~ Gamma(s, β) and dropout probability p after each purchase
/// (E[(1 − e^(−λpt)) / p]). Closed form (a+b−1)/(a−1)·[1 − (1−z)^(a−1)·₂F₁(a+b−1−s, a−1; a+b−1; z)],
/// z = t/(β+t) (the Euler transform of FHL 2005 eq. 9/10, which keeps the series short for large
/// x), with tanh-sinh quadrature where that is singular (a ≈ 1, a + b − 1 small) or slow (z ≈ 1).
[[nodiscard]] inline double expected_purchases_alive(double s, double beta, double a, double b, double t) {
  if (t == 0) return 0;
  const double c = a + b - 1;
  const double z = t / (beta + t);
  const double q = a - 1;
  if (std::abs(q) >= 1e-4 && c >= 0.5 && z <= 0.95) {
    const double f = hyp2f1(c - s, q, c, z);
    if (f > 0) {
      const double value = c / q * -std::expm1(q * std::log1p(-z) + std::log(f));
      if (std::isfinite(value) && value >= 0) return value;
    }
  }
  return beta_expectation(a, b, [&](double p) {
    // (1 − (1 + p·t/β)^(−s)) / p, with its limit s·t/β at p = 0.
    if (p == 0) return s * t / beta;
    return -std::expm1(-s * std::log1p(p * t / beta)) / p;
  });
}

/// Throws ValidationError unless `value` is finite and ≥ 0.
inline void check_duration(std::string_view field, double value) {
  if (!std::isfinite(value) || value < 0) {
    throw ValidationError(std::string(field), fmt::format("{}", value), "must be a finite number >= 0");
  }
}

/// Throws ValidationError unless (x, t_x, T) is a valid continuous-time history (as SummaryView).
inline void check_history(double x, double t_x, double T) {
  if (!std::isfinite(x) || x < 0 || x != std::floor(x)) {
    throw ValidationError("x", fmt::format("{}", x), "must be a whole number >= 0");
  }
  if (!std::isfinite(T) || T <= 0)
    throw ValidationError("T", fmt::format("{}", T), "must be a finite number > 0");
  if (!std::isfinite(t_x) || t_x < 0 || t_x > T) {
    throw ValidationError("t_x", fmt::format("{}", t_x), fmt::format("must lie in [0, T] = [0, {}]", T));
  }
  if (x == 0 && t_x != 0) throw ValidationError("t_x", fmt::format("{}", t_x), "must be 0 when x is 0");
}

/// Throws ValidationError unless n ≥ 0.
inline void check_count(std::string_view field, std::int64_t n) {
  if (n < 0) throw ValidationError(std::string(field), std::to_string(n), "must be >= 0");
}

}  // namespace crmkit::analytics::clv::detail
