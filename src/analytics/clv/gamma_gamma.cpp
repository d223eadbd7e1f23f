#include "crmkit/analytics/clv/gamma_gamma.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <boost/math/policies/policy.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include "analytics/clv/mle.hpp"
#include "analytics/clv/spend_likelihood.hpp"
#include "analytics/parallel.hpp"
#include "analytics/radix_sort.hpp"
#include "crmkit/core/error.hpp"

namespace crmkit::analytics::clv {

namespace {

// Special functions report overflow and poles as infinities instead of throwing: the optimizer
// may probe absurd parameters and must see "not here", not an exception. No promotion to long
// double: double precision is what the likelihood needs, and promotion is several times slower.
using MathPolicy = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
    boost::math::policies::pole_error<boost::math::policies::ignore_error>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::evaluation_error<boost::math::policies::ignore_error>,
    boost::math::policies::promote_double<false>>;

double log_gamma(double z) { return boost::math::lgamma(z, MathPolicy()); }
double digamma(double z) { return boost::math::digamma(z, MathPolicy()); }

// ln Γ(z + d) − ln Γ(z). For large z (customers with many purchases) the two log-gammas are huge
// and nearly equal: Boost's ratio Γ(z)/Γ(z + d) keeps the digits while it stays in range.
double log_gamma_ratio(double z, double d) {
  if (z >= 1 && d * std::log(z + d) < 600) {
    return -std::log(boost::math::tgamma_delta_ratio(z, d, MathPolicy()));
  }
  return log_gamma(z + d) - log_gamma(z);
}

// ln Γ(u + v) − ln Γ(u) − ln Γ(v): the ratio taken from the larger argument, whose log-gamma is
// the one that may be huge.
double log_gamma_terms(double u, double v) {
  return u >= v ? log_gamma_ratio(u, v) - log_gamma(v) : log_gamma_ratio(v, u) - log_gamma(u);
}

bool is_whole(double value) noexcept { return std::isfinite(value) && value == std::floor(value); }

void check_parameter(const char* name, double value) {
  if (!(std::isfinite(value) && value > 0)) {
    throw ValidationError(name, fmt::format("{}", value), "must be a finite number > 0");
  }
}

void check_length(const char* column, std::size_t size, std::size_t expected) {
  if (size != expected) {
    throw ValidationError(column, fmt::format("{} rows", size),
                          fmt::format("must have as many rows as frequency ({})", expected));
  }
}

// log1p(γ/s) and log1p(s/γ), with s = x·m: the smaller one directly by log1p, the larger one from
// it and the difference of logs (the two differ by ln γ − ln s), so neither loses digits when s
// and γ are orders of magnitude apart.
struct SpendLogs {
  double a;  // log1p(γ/s) = ln((s + γ)/s)
  double b;  // log1p(s/γ) = ln((s + γ)/γ)
};

SpendLogs spend_logs(double s, double log_s, double gamma, double log_gamma_value) {
  if (s >= gamma) {
    const double a = std::log1p(gamma / s);
    return {a, a + log_s - log_gamma_value};
  }
  const double b = std::log1p(s / gamma);
  return {b + log_gamma_value - log_s, b};
}

// Identical (x, m) rows merged into weights, sorted by (x, m); rows of equal x are therefore
// contiguous, which lets the likelihood evaluate the gamma functions once per distinct x.
struct SpendRows {
  std::vector<double> x;
  std::vector<double> s;      // x·m
  std::vector<double> log_s;  // ln(x·m)
  std::vector<double> w;
  std::vector<double> wx;     // w·x
  double weight_log_m = 0;    // Σ w·ln m: a constant of the likelihood
  double total_weight = 0;
  // Distinct x values and their summed weights.
  std::vector<double> group_x;
  std::vector<double> group_w;
};

SpendRows compress_spend(const SpendView& spend) {
  // Sorted by m, then stably by x: (x, m) order, equal rows in input order (so that their
  // weights are summed in a fixed order). Radix sorts: a million rows sort in milliseconds.
  struct Row {
    double x;
    double m;
    double w;
  };
  const std::size_t n = spend.size();
  std::vector<Row> sorted(n);
  for (std::size_t i = 0; i < n; ++i) {
    sorted[i] = {spend.frequency[i], spend.monetary_value[i], spend.weights.empty() ? 1.0 : spend.weights[i]};
  }
  analytics::detail::radix_sort_by_key(sorted, [](const Row& row) { return analytics::detail::order_key(row.m); });
  analytics::detail::radix_sort_by_key(sorted, [](const Row& row) { return analytics::detail::order_key(row.x); });
  SpendRows rows;
  std::vector<double> m;
  rows.x.reserve(n);
  rows.w.reserve(n);
  m.reserve(n);
  for (const Row& row : sorted) {
    if (!rows.x.empty() && rows.x.back() == row.x && m.back() == row.m) {
      rows.w.back() += row.w;
    } else {
      rows.x.push_back(row.x);
      m.push_back(row.m);
      rows.w.push_back(row.w);
    }
  }
  const std::size_t distinct = rows.x.size();
  rows.s.resize(distinct);
  rows.log_s.resize(distinct);
  rows.wx.resize(distinct);
  for (std::size_t r = 0; r < distinct; ++r) {
    rows.s[r] = rows.x[r] * m[r];
    rows.log_s[r] = std::log(rows.s[r]);
    rows.wx[r] = rows.w[r] * rows.x[r];
    rows.weight_log_m += rows.w[r] * std::log(m[r]);
    rows.total_weight += rows.w[r];
    if (rows.group_x.empty() || rows.group_x.back() != rows.x[r]) {
      rows.group_x.push_back(rows.x[r]);
      rows.group_w.push_back(rows.w[r]);
    } else {
      rows.group_w.back() += rows.w[r];
    }
  }
  return rows;
}

// Rows per task of the likelihood's sums: large enough that a task outweighs handing it to a
// thread, fixed so that the sums (combined in task order) do not depend on the thread count.
constexpr std::size_t likelihood_chunk = std::size_t{1} << 14;

// The weighted log-likelihood of Fader & Hardie (2013), note 025, eq. (1a), per customer
//   ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m + px ln x − (px+q) ln(xm+γ)
// = ln Γ(px+q) − ln Γ(px) − ln Γ(q) − px·log1p(γ/s) − q·log1p(s/γ) − ln m,   s = x·m,
// and its gradient
//   ∂/∂p = x[ψ(px+q) − ψ(px) − log1p(γ/s)],  ∂/∂q = ψ(px+q) − ψ(q) − log1p(s/γ),
//   ∂/∂γ = q/γ − (px+q)/(s+γ).
double spend_log_likelihood(const SpendRows& rows, unsigned threads, std::span<const double> parameters,
                            std::span<double> gradient) {
  const double p = parameters[0];
  const double q = parameters[1];
  const double gamma = parameters[2];
  if (!(p > 0 && q > 0 && gamma > 0) || !std::isfinite(p) || !std::isfinite(q) || !std::isfinite(gamma)) {
    return -std::numeric_limits<double>::infinity();
  }
  const double log_gamma_value = std::log(gamma);
  // Per row: A = Σ w·x·log1p(γ/s), B = Σ w·log1p(s/γ), C1 = Σ w·x/(s+γ), C0 = Σ w/(s+γ).
  const std::size_t n = rows.x.size();
  const std::size_t tasks = analytics::detail::chunk_count(n, likelihood_chunk);
  std::vector<std::array<double, 4>> partial(tasks, std::array<double, 4>{0, 0, 0, 0});
  const bool want_gradient = !gradient.empty();
  analytics::detail::parallel_for(tasks, threads, [&](std::size_t task) {
    const std::size_t begin = task * likelihood_chunk;
    const std::size_t end = std::min(n, begin + likelihood_chunk);
    double a_sum = 0;
    double b_sum = 0;
    double c1 = 0;
    double c0 = 0;
    for (std::size_t r = begin; r < end; ++r) {
      const SpendLogs logs = spend_logs(rows.s[r], rows.log_s[r], gamma, log_gamma_value);
      a_sum += rows.wx[r] * logs.a;
      b_sum += rows.w[r] * logs.b;
      if (want_gradient) {
        const double inverse = 1.0 / (rows.s[r] + gamma);
        c1 += rows.wx[r] * inverse;
        c0 += rows.w[r] * inverse;
      }
    }
    partial[task] = {a_sum, b_sum, c1, c0};
  });
  double a_sum = 0;
  double b_sum = 0;
  double c1 = 0;
  double c0 = 0;
  for (const auto& sums : partial) {
    a_sum += sums[0];
    b_sum += sums[1];
    c1 += sums[2];
    c0 += sums[3];
  }
  // The gamma functions depend on x only: once per distinct x.
  const double digamma_q = want_gradient ? digamma(q) : 0.0;
  double gamma_terms = 0;
  double dp_terms = 0;
  double dq_terms = 0;
  for (std::size_t g = 0; g < rows.group_x.size(); ++g) {
    const double px = p * rows.group_x[g];
    const double weight = rows.group_w[g];
    gamma_terms += weight * log_gamma_terms(px, q);
    if (want_gradient) {
      const double digamma_sum = digamma(px + q);
      dp_terms += weight * rows.group_x[g] * (digamma_sum - digamma(px));
      dq_terms += weight * (digamma_sum - digamma_q);
    }
  }
  if (want_gradient) {
    gradient[0] = dp_terms - a_sum;
    gradient[1] = dq_terms - b_sum;
    gradient[2] = rows.total_weight * q / gamma - p * c1 - q * c0;
  }
  return gamma_terms - p * a_sum - q * b_sum - rows.weight_log_m;
}

}  // namespace

namespace detail {

LikelihoodProblem gammagamma_problem(const SpendView& spend, unsigned threads) {
  auto rows = std::make_shared<const SpendRows>(compress_spend(spend));
  LikelihoodProblem problem;
  problem.model = Model::gammagamma;
  problem.parameter_names = GammaGamma::parameter_names();
  problem.default_initial = {1.0, 1.0, 1.0};
  problem.analytic_gradient = true;
  problem.customers = rows->total_weight;
  problem.distinct_rows = rows->x.size();
  problem.log_likelihood = [rows, threads](std::span<const double> parameters, std::span<double> gradient) {
    return spend_log_likelihood(*rows, threads, parameters, gradient);
  };
  return problem;
}

}  // namespace detail

void SpendView::validate() const {
  const std::size_t n = frequency.size();
  check_length("monetary_value", monetary_value.size(), n);
  if (!weights.empty()) check_length("weights", weights.size(), n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!(is_whole(frequency[i]) && frequency[i] >= 1)) {
      throw ValidationError(fmt::format("frequency[{}]", i), fmt::format("{}", frequency[i]),
                            "must be a whole number >= 1 (repeat buyers only)");
    }
    if (!(std::isfinite(monetary_value[i]) && monetary_value[i] > 0)) {
      throw ValidationError(fmt::format("monetary_value[{}]", i), fmt::format("{}", monetary_value[i]),
                            "must be a finite number > 0");
    }
    if (!weights.empty() && !(std::isfinite(weights[i]) && weights[i] > 0)) {
      throw ValidationError(fmt::format("weights[{}]", i), fmt::format("{}", weights[i]),
                            "must be a finite number > 0");
    }
  }
}

GammaGamma::GammaGamma(const Parameters& parameters) : parameters_(parameters) {
  check_parameter("p", parameters.p);
  check_parameter("q", parameters.q);
  check_parameter("gamma", parameters.gamma);
}

std::vector<std::string> GammaGamma::parameter_names() { return {"p", "q", "gamma"}; }

double GammaGamma::log_likelihood(double x, double monetary_value) const {
  if (!(is_whole(x) && x >= 1)) {
    throw ValidationError("frequency", fmt::format("{}", x), "must be a whole number >= 1 (repeat buyers only)");
  }
  if (!(std::isfinite(monetary_value) && monetary_value > 0)) {
    throw ValidationError("monetary_value", fmt::format("{}", monetary_value), "must be a finite number > 0");
  }
  const auto& [p, q, gamma] = parameters_;
  const double s = x * monetary_value;
  const SpendLogs logs = spend_logs(s, std::log(s), gamma, std::log(gamma));
  const double px = p * x;
  return log_gamma_terms(px, q) - px * logs.a - q * logs.b - std::log(monetary_value);
}

double GammaGamma::expected_spend() const noexcept {
  const auto& [p, q, gamma] = parameters_;
  if (q <= 1) return std::numeric_limits<double>::infinity();
  return p * gamma / (q - 1);
}

double GammaGamma::conditional_expected_spend(double x, double monetary_value) const {
  if (!(is_whole(x) && x >= 0)) {
    throw ValidationError("frequency", fmt::format("{}", x), "must be a whole number >= 0");
  }
  if (!(std::isfinite(monetary_value) && monetary_value >= 0)) {
    throw ValidationError("monetary_value", fmt::format("{}", monetary_value), "must be a finite number >= 0");
  }
  const auto& [p, q, gamma] = parameters_;
  if (q <= 1) {
    throw ValidationError("q", fmt::format("{}", q),
                          "must be greater than 1: the population mean spend p*gamma/(q-1) does not exist");
  }
  // The posterior of ν is Gamma(px + q, γ + x·m), so E[p/ν | x, m] = p(γ + x·m)/(px + q − 1): the
  // weighted mean (1 − w)·pγ/(q − 1) + w·m with w = px/(px + q − 1), without its cancellation.
  return p * (gamma + x * monetary_value) / (p * x + q - 1);
}

GammaGammaFit fit_gamma_gamma(const SpendView& spend, const FitOptions& options) {
  spend.validate();
  if (spend.size() == 0) {
    throw FitError(to_string(Model::gammagamma), "there are no repeat buyers (rows with x >= 1) to fit");
  }
  FitResult result = detail::fit_by_likelihood(detail::gammagamma_problem(spend, options.threads), options);
  const GammaGamma model({result.parameters.at(0), result.parameters.at(1), result.parameters.at(2)});
  return {model, std::move(result)};
}

SpendData spend_rows(std::span<const double> frequency, std::span<const double> monetary_value) {
  check_length("monetary_value", monetary_value.size(), frequency.size());
  SpendData data;
  for (std::size_t i = 0; i < frequency.size(); ++i) {
    if (frequency[i] > 0) {
      data.frequency.push_back(frequency[i]);
      data.monetary_value.push_back(monetary_value[i]);
      data.rows.push_back(i);
    }
  }
  return data;
}

}  // namespace crmkit::analytics::clv
