// BG/BB (Fader, Hardie & Shang 2010, "Customer-base analysis in a discrete-time noncontractual
// setting", Marketing Science 29(6), FHS below): at each of n opportunities an alive customer
// transacts with probability p ~ Beta(α, β), and becomes inactive at the start of an opportunity
// with probability θ ~ Beta(γ, δ).
//
// Every expression is a ratio of beta functions, computed from log-gamma (Boost.Math) and summed in
// log space. The sums over opportunities use the term ratios (each term is the previous one times a
// rational factor below 1), so a row costs one log-beta per sum, and the gradient's digamma values
// follow the same way from ψ(v+1) = ψ(v) + 1/v.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <boost/math/policies/policy.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/polygamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>
#include <fmt/format.h>

#include "analytics/clv/problems.hpp"
#include "analytics/parallel.hpp"
#include "crmkit/analytics/clv/models.hpp"
#include "crmkit/core/error.hpp"

namespace crmkit::analytics::clv {

namespace {

// Special functions return NaN or infinity instead of throwing (the optimizer may probe anywhere),
// and stay in double precision (speed).
using Policy = boost::math::policies::policy<
    boost::math::policies::promote_double<false>,
    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
    boost::math::policies::pole_error<boost::math::policies::ignore_error>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::evaluation_error<boost::math::policies::ignore_error>>;

double log_gamma(double v) { return boost::math::lgamma(v, Policy()); }
double digamma(double v) { return boost::math::digamma(v, Policy()); }
double log_beta(double a, double b) { return log_gamma(a) + log_gamma(b) - log_gamma(a + b); }

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

// log(e^a + e^b), exact when one side is -infinity.
double log_add(double a, double b) noexcept {
  if (a < b) std::swap(a, b);
  if (b == -inf) return a;
  return a + std::log1p(std::exp(b - a));
}

bool is_whole(double v) noexcept { return std::isfinite(v) && v == std::floor(v); }

void check_positive(const char* name, double value) {
  if (!std::isfinite(value) || value <= 0) {
    throw ValidationError(name, fmt::format("{}", value), "must be a finite number > 0");
  }
}

void check_count(const char* name, double value) {
  if (!is_whole(value) || value < 0) {
    throw ValidationError(name, fmt::format("{}", value), "must be a whole number >= 0");
  }
}

// The discrete rules of SummaryView::validate(true): whole numbers, x <= t_x <= n, t_x = 0 when x = 0.
void check_history(double x, double t_x, double n) {
  check_count("x", x);
  check_count("t_x", t_x);
  check_count("n", n);
  if (t_x > n) throw ValidationError("t_x", fmt::format("{}", t_x), fmt::format("must not exceed n ({})", n));
  if (x > t_x) throw ValidationError("x", fmt::format("{}", x), fmt::format("must not exceed t_x ({})", t_x));
  if (x == 0 && t_x != 0) throw ValidationError("t_x", fmt::format("{}", t_x), "must be 0 when x is 0");
}

struct Params {
  double alpha;
  double beta;
  double gamma;
  double delta;
};

// Per-parameter constants of the likelihood.
struct Constants {
  Params p{};
  double log_beta_ab = 0;
  double log_beta_gd = 0;
  // Digamma values (gradient only).
  double psi_alpha = 0;
  double psi_beta = 0;
  double psi_ab = 0;
  double psi_delta = 0;
  double psi_gd = 0;

  Constants(const Params& params, bool gradient) : p(params) {
    log_beta_ab = log_beta(p.alpha, p.beta);
    log_beta_gd = log_beta(p.gamma, p.delta);
    if (gradient) {
      psi_alpha = digamma(p.alpha);
      psi_beta = digamma(p.beta);
      psi_ab = digamma(p.alpha + p.beta);
      psi_delta = digamma(p.delta);
      psi_gd = digamma(p.gamma + p.delta);
    }
  }
};

// FHS eq. 7 (BTYD's bgbb.LL):
//   L = B(α+x, β+n−x)/B(α,β) · B(γ, δ+n)/B(γ,δ)
//     + Σ_(i=0)^(n−t_x−1) B(α+x, β+t_x−x+i)/B(α,β) · B(γ+1, δ+t_x+i)/B(γ,δ).
// Returns log L and, with Gradient, its derivatives by α, β, γ, δ in `grad`.
template <bool Gradient>
double row_log_likelihood(const Constants& k, double x, double t_x, double n, double* grad) {
  const auto& [alpha, beta, gamma, delta] = k.p;
  // Alive through all n opportunities.
  const double term0 = log_beta(alpha + x, beta + n - x) - k.log_beta_ab + log_beta(gamma, delta + n) - k.log_beta_gd;
  double g0[4] = {0, 0, 0, 0};
  double psi_ax = 0;
  if constexpr (Gradient) {
    psi_ax = digamma(alpha + x);
    const double psi_abn = digamma(alpha + beta + n);
    const double psi_gdn = digamma(gamma + delta + n);
    g0[0] = psi_ax - psi_abn - k.psi_alpha + k.psi_ab;
    g0[1] = digamma(beta + n - x) - psi_abn - k.psi_beta + k.psi_ab;
    g0[2] = k.psi_gd - psi_gdn;
    g0[3] = digamma(delta + n) - psi_gdn - k.psi_delta + k.psi_gd;
  }
  const auto dead_terms = static_cast<std::int64_t>(n - t_x);
  if (dead_terms <= 0) {
    if constexpr (Gradient) std::copy(g0, g0 + 4, grad);
    return term0;
  }
  // Dropped out at the start of opportunity t_x + i + 1: the terms shrink with i (their ratio is
  // below 1), so they are summed relative to the first one.
  const double a0 = log_beta(alpha + x, beta + t_x - x) - k.log_beta_ab + log_beta(gamma + 1, delta + t_x) - k.log_beta_gd;
  double e = 1;
  double sum = 0;
  double sum_g[4] = {0, 0, 0, 0};
  // ψ(α+β+t_x+i), ψ(β+t_x−x+i), ψ(γ+δ+1+t_x+i), ψ(δ+t_x+i), advanced with ψ(v+1) = ψ(v) + 1/v.
  double psi_A = 0;
  double psi_B = 0;
  double psi_C = 0;
  double psi_D = 0;
  if constexpr (Gradient) {
    psi_A = digamma(alpha + beta + t_x);
    psi_B = digamma(beta + t_x - x);
    psi_C = digamma(gamma + delta + 1 + t_x);
    psi_D = digamma(delta + t_x);
  }
  for (std::int64_t i = 0; i < dead_terms; ++i) {
    const double di = static_cast<double>(i);
    sum += e;
    if constexpr (Gradient) {
      sum_g[0] += e * (psi_ax - psi_A - k.psi_alpha + k.psi_ab);
      sum_g[1] += e * (psi_B - psi_A - k.psi_beta + k.psi_ab);
      sum_g[2] += e * (1 / gamma - psi_C + k.psi_gd);  // ψ(γ+1) − ψ(γ) = 1/γ
      sum_g[3] += e * (psi_D - psi_C - k.psi_delta + k.psi_gd);
    }
    const double vA = alpha + beta + t_x + di;
    const double vB = beta + t_x - x + di;
    const double vC = gamma + delta + 1 + t_x + di;
    const double vD = delta + t_x + di;
    e *= (vB * vD) / (vA * vC);
    if constexpr (Gradient) {
      psi_A += 1 / vA;
      psi_B += 1 / vB;
      psi_C += 1 / vC;
      psi_D += 1 / vD;
    }
    // Every later term is at most e: stop once they cannot matter.
    if (e * static_cast<double>(dead_terms - i - 1) <= 1e-17 * sum) break;
  }
  const double log_dead = a0 + std::log(sum);
  const double ll = log_add(term0, log_dead);
  if constexpr (Gradient) {
    const double w0 = std::exp(term0 - ll);
    const double w1 = std::exp(log_dead - ll);
    for (int j = 0; j < 4; ++j) grad[j] = w0 * g0[j] + w1 * sum_g[j] / sum;
  }
  return ll;
}

double log_likelihood_of(const Params& p, double x, double t_x, double n) {
  const Constants k(p, false);
  return row_log_likelihood<false>(k, x, t_x, n, nullptr);
}

// Q(y, m, ε) = log[Γ(y+m) Γ(y+ε) / (Γ(y+m+ε) Γ(y))] for a whole m >= 0: a product of m factors
// y+j over y+j+ε, summed as log1p for moderate m (exact for any ε), from log-gamma ratios
// (Boost's tgamma_delta_ratio, accurate for small ε) or their Taylor series in ε beyond.
double log_gamma_product(double y, double m, double eps) {
  if (m == 0 || eps == 0) return 0;
  if (m <= 4096) {
    double q = 0;
    for (double j = 0; j < m; ++j) q -= std::log1p(eps / (y + j));
    return q;
  }
  if (std::abs(eps) < 1e-3) {
    // Σ_k ε^k/k! (ψ^(k−1)(y) − ψ^(k−1)(y+m)), k = 1..4: the rest is below ε^5 relative.
    const double e2 = eps * eps;
    return eps * (digamma(y) - digamma(y + m)) +
           e2 / 2 * (boost::math::trigamma(y, Policy()) - boost::math::trigamma(y + m, Policy())) +
           e2 * eps / 6 * (boost::math::polygamma(2, y, Policy()) - boost::math::polygamma(2, y + m, Policy())) +
           e2 * e2 / 24 * (boost::math::polygamma(3, y, Policy()) - boost::math::polygamma(3, y + m, Policy()));
  }
  // lgamma(y+ε) − lgamma(y) = −log(Γ(y)/Γ(y+ε)).
  return std::log(boost::math::tgamma_delta_ratio(y + m, eps, Policy())) -
         std::log(boost::math::tgamma_delta_ratio(y, eps, Policy()));
}

// (1 − e^Q(y, m, ε)) / ε, and its limit ψ(y+m) − ψ(y) at ε = 0. With y = 1+δ(+n) and ε = γ−1 it is
// the bracket of FHS eqs. 9 and 13 divided by (γ−1), which is finite at γ = 1.
double one_minus_ratio_over_eps(double y, double m, double eps) {
  if (m == 0) return 0;
  if (eps == 0) {
    if (m <= 4096) {
      double h = 0;
      for (double j = 0; j < m; ++j) h += 1 / (y + j);
      return h;
    }
    return digamma(y + m) - digamma(y);
  }
  return -std::expm1(log_gamma_product(y, m, eps)) / eps;
}

// ----------------------------------------------------------------------------------------------
// The weighted likelihood over distinct rows, for the optimizer.

constexpr std::size_t chunk_rows = 1024;  // fixed: sums never depend on the thread count

struct RowSum {
  double ll = 0;
  double grad[4] = {0, 0, 0, 0};
};

template <bool Gradient>
RowSum sum_rows(const SummaryData& rows, const Constants& k, std::size_t begin, std::size_t end) {
  RowSum out;
  for (std::size_t i = begin; i < end; ++i) {
    const double w = rows.weights.empty() ? 1.0 : rows.weights[i];
    double g[4] = {0, 0, 0, 0};
    out.ll += w * row_log_likelihood<Gradient>(k, rows.frequency[i], rows.recency[i], rows.T[i], g);
    if constexpr (Gradient) {
      for (int j = 0; j < 4; ++j) out.grad[j] += w * g[j];
    }
  }
  return out;
}

double weighted_log_likelihood(const SummaryData& rows, unsigned threads, std::span<const double> theta,
                               std::span<double> gradient) {
  if (theta.size() != 4) return nan;
  for (const double v : theta) {
    if (!std::isfinite(v) || v <= 0) return nan;
  }
  const bool want_gradient = !gradient.empty();
  const Constants k(Params{theta[0], theta[1], theta[2], theta[3]}, want_gradient);
  const std::size_t n = rows.size();
  const std::size_t chunks = analytics::detail::chunk_count(n, chunk_rows);
  std::vector<RowSum> partial(chunks);
  analytics::detail::parallel_for(chunks, analytics::detail::thread_count(threads), [&](std::size_t c) {
    const std::size_t begin = c * chunk_rows;
    const std::size_t end = std::min(n, begin + chunk_rows);
    partial[c] = want_gradient ? sum_rows<true>(rows, k, begin, end) : sum_rows<false>(rows, k, begin, end);
  });
  RowSum total;
  for (const RowSum& part : partial) {
    total.ll += part.ll;
    for (int j = 0; j < 4; ++j) total.grad[j] += part.grad[j];
  }
  if (want_gradient) {
    for (std::size_t j = 0; j < 4 && j < gradient.size(); ++j) gradient[j] = total.grad[j];
  }
  return total.ll;
}

}  // namespace

// ------------------------------------------------------------------------------------------------

BgBb::BgBb(const Parameters& parameters) : parameters_(parameters) {
  check_positive("alpha", parameters.alpha);
  check_positive("beta", parameters.beta);
  check_positive("gamma", parameters.gamma);
  check_positive("delta", parameters.delta);
}

std::vector<double> BgBb::parameters() const {
  return {parameters_.alpha, parameters_.beta, parameters_.gamma, parameters_.delta};
}

std::vector<std::string> BgBb::parameter_names() const { return {"alpha", "beta", "gamma", "delta"}; }

double BgBb::log_likelihood(double x, double t_x, double n) const {
  check_history(x, t_x, n);
  const Params p{parameters_.alpha, parameters_.beta, parameters_.gamma, parameters_.delta};
  return log_likelihood_of(p, x, t_x, n);
}

// FHS eq. 9 (BTYD's bgbb.Expectation): E[X(n)] = α/(α+β) · δ/(γ−1) ·
// [1 − Γ(γ+δ) Γ(1+δ+n) / (Γ(1+δ) Γ(γ+δ+n))], finite and accurate at γ = 1 as written here.
double BgBb::expected_purchases(double n) const {
  check_count("n", n);
  const auto& [alpha, beta, gamma, delta] = parameters_;
  return alpha / (alpha + beta) * delta * one_minus_ratio_over_eps(1 + delta, n, gamma - 1);
}

// FHS eq. 13 (BTYD's bgbb.ConditionalExpectedTransactions): the expected transactions in the next
// n* opportunities,
//   1/L · B(α+x+1, β+n−x)/B(α,β) · δ/(γ−1) · Γ(γ+δ)/Γ(1+δ) ·
//   [Γ(1+δ+n)/Γ(γ+δ+n) − Γ(1+δ+n+n*)/Γ(γ+δ+n+n*)].
double BgBb::conditional_expected_purchases(double n_star, double x, double t_x, double n) const {
  check_count("n_star", n_star);
  check_history(x, t_x, n);
  if (n_star == 0) return 0;
  const Params p{parameters_.alpha, parameters_.beta, parameters_.gamma, parameters_.delta};
  const double eps = p.gamma - 1;
  const double log_scale = log_beta(p.alpha + x + 1, p.beta + n - x) - log_beta(p.alpha, p.beta) -
                           log_likelihood_of(p, x, t_x, n) + log_gamma_product(1 + p.delta, n, eps);
  return std::exp(log_scale) * p.delta * one_minus_ratio_over_eps(1 + p.delta + n, n_star, eps);
}

// FHS eq. 11 (BTYD's bgbb.PAlive, lifetimes' conditional_probability_alive with one period ahead):
// the probability of being alive at opportunity n+1,
//   B(α+x, β+n−x)/B(α,β) · B(γ, δ+n+1)/B(γ,δ) / L.
double BgBb::probability_alive(double x, double t_x, double n) const {
  check_history(x, t_x, n);
  const Params p{parameters_.alpha, parameters_.beta, parameters_.gamma, parameters_.delta};
  const double log_alive = log_beta(p.alpha + x, p.beta + n - x) - log_beta(p.alpha, p.beta) +
                           log_beta(p.gamma, p.delta + n + 1) - log_beta(p.gamma, p.delta);
  return std::min(1.0, std::exp(log_alive - log_likelihood_of(p, x, t_x, n)));
}

// FHS eq. 8 (BTYD's bgbb.pmf):
//   P(X(n) = x) = C(n,x) B(α+x, β+n−x)/B(α,β) · B(γ, δ+n)/B(γ,δ)
//               + Σ_(i=x)^(n−1) C(i,x) B(α+x, β+i−x)/B(α,β) · B(γ+1, δ+i)/B(γ,δ),
// the terms of the sum following each other by their ratios, summed in log space.
double BgBb::probability_of_purchases(std::int64_t x, double n) const {
  if (x < 0) throw ValidationError("x", fmt::format("{}", x), "must be >= 0");
  check_count("n", n);
  const auto k = static_cast<double>(x);
  if (k > n) return 0;
  const auto& [alpha, beta, gamma, delta] = parameters_;
  const double lb_ab = log_beta(alpha, beta);
  const double lb_gd = log_beta(gamma, delta);
  const double log_choose_nk = log_gamma(n + 1) - log_gamma(k + 1) - log_gamma(n - k + 1);
  const double alive = log_choose_nk + log_beta(alpha + k, beta + n - k) - lb_ab + log_beta(gamma, delta + n) - lb_gd;
  if (k == n) return std::min(1.0, std::exp(alive));
  // i = x: C(x, x) = 1.
  double log_term = log_beta(alpha + k, beta) - lb_ab + log_beta(gamma + 1, delta + k) - lb_gd;
  double log_max = log_term;
  double scaled_sum = 1;  // Σ e^(log_term − log_max)
  for (double i = k; i < n - 1; ++i) {
    // term(i+1)/term(i) = (i+1)/(i+1−x) · (β+i−x)/(α+β+i) · (δ+i)/(γ+δ+1+i)
    log_term += std::log((i + 1) / (i + 1 - k)) + std::log((beta + i - k) / (alpha + beta + i)) +
                std::log((delta + i) / (gamma + delta + 1 + i));
    if (log_term > log_max) {
      scaled_sum = scaled_sum * std::exp(log_max - log_term) + 1;
      log_max = log_term;
    } else {
      scaled_sum += std::exp(log_term - log_max);
    }
  }
  return std::min(1.0, std::exp(log_add(alive, log_max + std::log(scaled_sum))));
}

namespace detail {

LikelihoodProblem bgbb_problem(const SummaryData& rows, unsigned threads) {
  LikelihoodProblem problem;
  problem.model = Model::bgbb;
  problem.parameter_names = {"alpha", "beta", "gamma", "delta"};
  problem.default_initial = {1.0, 1.0, 1.0, 1.0};  // BTYD's start; the parameters have no unit
  double customers = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) customers += rows.weights.empty() ? 1.0 : rows.weights[i];
  problem.analytic_gradient = true;
  problem.customers = customers;
  problem.distinct_rows = rows.size();
  const SummaryData* data = &rows;
  problem.log_likelihood = [data, threads](std::span<const double> theta, std::span<double> gradient) {
    return weighted_log_likelihood(*data, threads, theta, gradient);
  };
  return problem;
}

}  // namespace detail

}  // namespace crmkit::analytics::clv
