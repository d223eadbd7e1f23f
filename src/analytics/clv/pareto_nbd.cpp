// Pareto/NBD (Schmittlein, Morrison & Colombo 1987), likelihood and expressions as in Fader, Hardie
// & Lee (2005), "A note on deriving the Pareto/NBD model and related expressions" (FHL note).
//
// The likelihood (FHL note, eqs. 18-22) is
//   L = Γ(r+x) α^r β^s / Γ(r) · [ (α+T)^-(r+x) (β+T)^-s + s ∫_{t_x}^T (α+τ)^-(r+x) (β+τ)^-(s+1) dτ ].
// The note writes the integral as a difference of two 2F1 terms (its A_0), which cancel badly when
// t_x is near T. Integrating the first term by parts instead gives a sum of two positive tails,
//   [...] = (r+x) G(r+x+1, s; T) + s G(r+x, s+1; t_x),
//   G(p_a, p_b; u) = ∫_u^∞ (α+τ)^-p_a (β+τ)^-p_b dτ,
// so the log-likelihood is a log-sum-exp of two positive terms and never cancels. With M = max(α, β)
// (exponent p_M), m = min(α, β) (exponent p_m), c = p_M + p_m and z = (M−m)/(M+u) in [0, 1),
//   G = (M+u)^-p_M (m+u)^-(p_m−1) · S / (c−1),   S = 2F1(1, p_M; c; z) = Σ_k (p_M)_k/(c)_k z^k,
// which is the note's 2F1(r+s+x, ·; r+s+x+1; z) after Euler's transformation: every term of S is
// positive and the term ratio is below z, so choosing the larger of α and β (as the note does)
// makes the series converge. It is summed together with its derivatives by p_M, c and z (running
// sums of 1/(p+j), 1/(c+j): no special function per term), which gives the analytic gradient. When
// z is near 1 (α and β far apart, u small) and p_m small, the series converges slowly; then G is
// split at the point v where z = 1/2: ∫_u^v by adaptive Gauss-Kronrod quadrature (Boost.Math) on a
// log scale, where the integrand is smooth, and the tail from v by the series.
//
// The rows' likelihood sum computes each tail once per distinct (x, T) or (x, t_x) and the
// logarithms once per distinct T or t_x, so a row costs one exp and one log.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <boost/math/policies/policy.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <fmt/format.h>

#include "analytics/clv/likelihood_sum.hpp"
#include "analytics/clv/problems.hpp"
#include "analytics/clv/special.hpp"
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

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

// log(e^a + e^b), exact when one side is -infinity.
double log_add(double a, double b) noexcept {
  if (a < b) std::swap(a, b);
  if (b == -inf) return a;
  return a + std::log1p(std::exp(b - a));
}

// (1 − e^(−k·L)) / k, with its limit L at k = 0: the integral of e^(−k·u) over u in [0, L].
double one_minus_exp_over(double k, double L) noexcept {
  if (k == 0) return L;
  return -std::expm1(-k * L) / k;
}

void check_positive(const char* name, double value) {
  if (!std::isfinite(value) || value <= 0) {
    throw ValidationError(name, fmt::format("{}", value), "must be a finite number > 0");
  }
}

// ----------------------------------------------------------------------------------------------
// The tail integral G and its log-derivatives.

// G = e^log_pref · S / (c−1), log_pref = −p_M log(M+u) − (p_m−1) log(m+u), and the derivatives of
// log G by the exponents and the bases, in (larger, smaller) order: p_M is the exponent of (M+τ),
// p_m that of (m+τ). Keeping S apart saves the caller a logarithm per tail.
struct OrderedTail {
  double log_pref = nan;
  double S = nan;
  double d_pM = 0;
  double d_pm = 0;
  double d_M = 0;
  double d_m = 0;
};

// Up to this z the series always converges within a few hundred terms. Beyond it, it is tried
// with a budget of terms (it still converges fast when p_m is large: the term ratio
// (p_M+k)/(c+k)·z is then far below z), and the quadrature split takes over when it runs out.
constexpr double series_z_max = 0.9;
constexpr int series_budget = 400;
// A hard bound on the number of terms (at z = 0.9 about 500 are needed).
constexpr int series_max_terms = 100000;

// G by the series, for z = (M−m)/(M+u) < 1; log_Mu = log(M+u), log_mu = log(m+u). `converged`
// is false when `max_terms` did not suffice.
template <bool Gradient>
OrderedTail tail_by_series(double pM, double pm, double M, double m, double u, double log_Mu, double log_mu,
                           int max_terms, bool& converged) {
  const double c = pM + pm;
  const double Mu = M + u;
  const double mu = m + u;
  const double z = (M - m) / Mu;
  // S = Σ t_k, t_0 = 1, t_(k+1) = t_k (p+k) z / (c+k); the derivatives of log t_k are
  // Σ_(j<k) 1/(p+j) by p, −Σ_(j<k) 1/(c+j) by c and k/z by z.
  double term = 1;
  double sum = 1;
  double sum_p = 0;
  double sum_c = 0;
  double sum_k = 0;
  double h_p = 0;
  double h_c = 0;
  converged = true;
  if (z > 0) {
    converged = false;
    // What is left of the sums after a term t_k is at most t_k times a geometric tail (the term
    // ratio stays below z) and, when p_m > 2, at most t_k times a polynomial one (the ratio is
    // below (1 − p_m/(c+k))): whichever is smaller, squared for the derivatives' weights k and h.
    const double geometric = 1 / ((1 - z) * (1 - z));
    const double inv_pm2 = pm > 2 ? 1 / (pm - 2) : 0.0;
    for (int k = 0; k < max_terms; ++k) {
      const double pk = pM + k;
      const double inv_ck = 1 / (c + k);
      term *= pk * z * inv_ck;
      sum += term;
      if constexpr (Gradient) {
        h_p += 1 / pk;
        h_c += inv_ck;
        sum_p += term * h_p;
        sum_c += term * h_c;
        sum_k += (k + 1) * term;
      }
      double tail = geometric;
      if (pm > 2) {
        const double polynomial = (c + k) * inv_pm2 + 1;
        tail = std::min(tail, polynomial * polynomial);
      }
      if (term * (k + 2 + h_p + h_c) * tail <= 1e-17 * sum) {
        converged = true;
        break;
      }
    }
  }
  OrderedTail out;
  out.log_pref = -pM * log_Mu - (pm - 1) * log_mu;
  out.S = sum;
  if constexpr (Gradient) {
    const double dlogS_p = sum_p / sum;
    const double dlogS_c = -sum_c / sum;
    const double dlogS_z = z > 0 ? sum_k / (z * sum) : pM / c;
    out.d_pM = -log_Mu + dlogS_p + dlogS_c - 1 / (c - 1);
    out.d_pm = -log_mu + dlogS_c - 1 / (c - 1);
    out.d_M = -pM / Mu + dlogS_z * mu / (Mu * Mu);
    out.d_m = -(pm - 1) / mu - dlogS_z / Mu;
  }
  return out;
}

// Five integrals computed by one adaptive quadrature: the integrand g and its moments
// y·g, log1p(ρe^y)·g, g/(1+ρe^y), e^(−y)·g. Boost's Gauss-Kronrod accepts any value type with
// vector-space arithmetic and an `abs` (here the L1 norm, to control the error of all five).
struct Moments {
  double g = 0;
  double y_g = 0;
  double log1p_g = 0;
  double inv_g = 0;
  double exp_g = 0;

  Moments() = default;
  // Boost constructs its accumulators from 0 (and from NaN on a domain error).
  Moments(double v) : g(v), y_g(v), log1p_g(v), inv_g(v), exp_g(v) {}  // NOLINT(google-explicit-constructor)
  Moments(double a, double b, double c, double d, double e) : g(a), y_g(b), log1p_g(c), inv_g(d), exp_g(e) {}

  Moments& operator+=(const Moments& o) {
    g += o.g;
    y_g += o.y_g;
    log1p_g += o.log1p_g;
    inv_g += o.inv_g;
    exp_g += o.exp_g;
    return *this;
  }
  friend Moments operator+(Moments a, const Moments& b) { return a += b; }
  friend Moments operator-(const Moments& a, const Moments& b) {
    return {a.g - b.g, a.y_g - b.y_g, a.log1p_g - b.log1p_g, a.inv_g - b.inv_g, a.exp_g - b.exp_g};
  }
  friend Moments operator-(const Moments& a) { return {-a.g, -a.y_g, -a.log1p_g, -a.inv_g, -a.exp_g}; }
  friend Moments operator*(const Moments& a, double k) {
    return {a.g * k, a.y_g * k, a.log1p_g * k, a.inv_g * k, a.exp_g * k};
  }
  friend Moments operator*(double k, const Moments& a) { return a * k; }
  friend double abs(const Moments& a) {
    return std::abs(a.g) + std::abs(a.y_g) + std::abs(a.log1p_g) + std::abs(a.inv_g) + std::abs(a.exp_g);
  }
};

// G where the series is slow (z near 1 and p_m small): G(u) = ∫_u^v f dτ + G(v), with v = M − 2m
// where z = 1/2. On [u, v],
// m+τ = (m+u)e^y with y in [0, Y], Y = log(1/ρ), ρ = (m+u)/(M−m), and
//   f dτ = (M−m)^-p_M (m+u)^(1−p_m) · e^((1−p_m)y) (1+ρe^y)^-p_M dy,
// a smooth integrand on a finite interval (ρe^y <= 1 there).
template <bool Gradient>
OrderedTail tail_by_quadrature(double pM, double pm, double M, double m, double u, double log_Mu, double log_mu) {
  const double D = M - m;
  const double mu = m + u;
  const double log_D = std::log(D);
  const double log_rho = log_mu - log_D;
  const double Y = -log_rho;
  const auto h = [&](double y) { return (1 - pm) * y - pM * std::log1p(std::exp(log_rho + y)); };
  // Scale by the largest value of the integrand on [0, Y] (it is log-concave: one peak).
  double y_peak = 0;
  if (pm < 1) {
    const double q = (1 - pm) / pM;  // < 1 since p_M + p_m > 1
    y_peak = q < 1 ? std::clamp(std::log(q / (1 - q)) - log_rho, 0.0, Y) : Y;
  }
  const double h_peak = h(y_peak);
  // The moments at y, times `jacobian_g` = g(y)·dy/dσ for the integration variable σ.
  const auto moments = [&](double y, double rho_e, double l1p, double jacobian_g) -> Moments {
    if constexpr (Gradient) {
      return {jacobian_g, y * jacobian_g, l1p * jacobian_g, jacobian_g / (1 + rho_e), std::exp(-y) * jacobian_g};
    } else {
      return {jacobian_g, 0, 0, 0, 0};
    }
  };
  // 61 points: most of these integrands need no subdivision then (fewer evaluations than 31).
  using Rule = boost::math::quadrature::gauss_kronrod<double, 61>;
  const Moments I = Rule::integrate(
      [&](double y) {
        const double rho_e = std::exp(log_rho + y);
        const double l1p = std::log1p(rho_e);
        return moments(y, rho_e, l1p, std::exp((1 - pm) * y - pM * l1p - h_peak));
      },
      0.0, Y, 15, 1e-13);
  const double log_c1 = std::log(pM + pm - 1);
  // log F and log G(v), both with the factor 1/(c−1) taken out as in the series form.
  const double log_F = -pM * log_D + (1 - pm) * log_mu + h_peak + std::log(I.g) + log_c1;
  bool converged = false;  // always, at z = 1/2
  const OrderedTail rest =
      tail_by_series<Gradient>(pM, pm, M, m, M - 2 * m, std::log(2 * D), log_D, series_max_terms, converged);
  const double log_rest = rest.log_pref + std::log(rest.S);
  const double log_total = log_add(log_F, log_rest);
  OrderedTail out;
  out.log_pref = -pM * log_Mu - (pm - 1) * log_mu;
  out.S = std::exp(log_total - out.log_pref);
  if constexpr (Gradient) {
    const double w_F = std::exp(log_F - log_total);
    const double w_rest = std::exp(log_rest - log_total);
    // Derivatives of log F with the limits u, v fixed in τ (moving v changes F and G(v) by
    // opposite amounts, so only the integrands' derivatives count).
    const double F_pM = -(log_D + I.log1p_g / I.g);
    const double F_pm = -(log_mu + I.y_g / I.g);
    const double F_M = -pM / D * (I.inv_g / I.g);
    const double F_m = -pm / mu * (I.exp_g / I.g);
    out.d_pM = w_F * F_pM + w_rest * rest.d_pM;
    out.d_pm = w_F * F_pm + w_rest * rest.d_pm;
    out.d_M = w_F * F_M + w_rest * rest.d_M;
    out.d_m = w_F * F_m + w_rest * rest.d_m;
  }
  return out;
}

// G(p_a, p_b; u) = ∫_u^∞ (α+τ)^-p_a (β+τ)^-p_b dτ = e^log_pref · S / (p_a+p_b−1) and the
// derivatives of log G, given log(α+u) and log(β+u).
struct Tail {
  double log_pref = nan;
  double S = nan;
  double d_pa = 0;
  double d_pb = 0;
  double d_alpha = 0;
  double d_beta = 0;
};

template <bool Gradient>
Tail tail(double pa, double pb, double alpha, double beta, double u, double log_alpha_u, double log_beta_u) {
  const bool alpha_larger = alpha >= beta;
  const double pM = alpha_larger ? pa : pb;
  const double pm = alpha_larger ? pb : pa;
  const double M = alpha_larger ? alpha : beta;
  const double m = alpha_larger ? beta : alpha;
  const double log_Mu = alpha_larger ? log_alpha_u : log_beta_u;
  const double log_mu = alpha_larger ? log_beta_u : log_alpha_u;
  const double z = (M - m) / (M + u);
  bool converged = false;
  OrderedTail t = tail_by_series<Gradient>(pM, pm, M, m, u, log_Mu, log_mu,
                                           z <= series_z_max ? series_max_terms : series_budget, converged);
  // (The split needs z > 1/2; below 0.9 the series always converges anyway.)
  if (!converged && z > 0.5) t = tail_by_quadrature<Gradient>(pM, pm, M, m, u, log_Mu, log_mu);
  Tail out;
  out.log_pref = t.log_pref;
  out.S = t.S;
  if (alpha_larger) {
    out.d_pa = t.d_pM;
    out.d_pb = t.d_pm;
    out.d_alpha = t.d_M;
    out.d_beta = t.d_m;
  } else {
    out.d_pa = t.d_pm;
    out.d_pb = t.d_pM;
    out.d_alpha = t.d_m;
    out.d_beta = t.d_M;
  }
  return out;
}

// ----------------------------------------------------------------------------------------------
// One customer's likelihood.

struct Params {
  double r;
  double alpha;
  double s;
  double beta;
};

// What the likelihood needs of the parameters alone, and of the parameters and x.
struct Constants {
  Params p{};
  double log_alpha = 0;
  double log_beta = 0;
  double log_s = 0;
  double log_gamma_r = 0;
  double digamma_r = 0;

  Constants(const Params& params, bool gradient)
      : p(params), log_alpha(std::log(p.alpha)), log_beta(std::log(p.beta)), log_s(std::log(p.s)),
        log_gamma_r(log_gamma(p.r)), digamma_r(gradient ? digamma(p.r) : 0.0) {}
};

// The terms that depend on x only.
class PerFrequency {
 public:
  template <bool Gradient>
  void at(const Constants& k, double x) {
    if (x == x_) return;
    x_ = x;
    log_rx = std::log(k.p.r + x);
    log_c1 = std::log(k.p.r + k.p.s + x);
    log_gamma_ratio = log_gamma(k.p.r + x) - k.log_gamma_r;
    if constexpr (Gradient) digamma_diff = digamma(k.p.r + x) - k.digamma_r;
  }
  double log_rx = 0;           // log(r+x)
  double log_c1 = 0;           // log(r+s+x)
  double log_gamma_ratio = 0;  // lgamma(r+x) − lgamma(r)
  double digamma_diff = 0;     // ψ(r+x) − ψ(r)

 private:
  double x_ = -1;
};

// The bracket of one customer's likelihood, log[(r+x) G(r+x+1, s; T) + s G(r+x, s+1; t_x)]; both
// tails share the factor 1/(r+s+x). (The likelihood sum below does the same per distinct row.)
double log_bracket(const Constants& k, const PerFrequency& f, double x, double t_x, double T) {
  const Params& p = k.p;
  const double rx = p.r + x;
  const Tail K = tail<false>(rx + 1, p.s, p.alpha, p.beta, T, std::log(p.alpha + T), std::log(p.beta + T));
  const Tail I = tail<false>(rx, p.s + 1, p.alpha, p.beta, t_x, std::log(p.alpha + t_x), std::log(p.beta + t_x));
  const double ak = f.log_rx + K.log_pref;
  const double ai = k.log_s + I.log_pref;
  const double top = std::max(ak, ai);
  const double total = K.S * std::exp(ak - top) + I.S * std::exp(ai - top);
  return top + std::log(total) - f.log_c1;
}

double log_likelihood_of(const Params& p, double x, double t_x, double T) {
  const Constants k(p, false);
  PerFrequency f;
  f.at<false>(k, x);
  return f.log_gamma_ratio + p.r * k.log_alpha + p.s * k.log_beta + log_bracket(k, f, x, t_x, T);
}

// log P(alive | x, t_x, T) = log[(α+T)^-(r+x) (β+T)^-s] − log bracket.
double log_probability_alive(const Params& p, double x, double t_x, double T) {
  const Constants k(p, false);
  PerFrequency f;
  f.at<false>(k, x);
  const double log_alive_term = -(p.r + x) * std::log(p.alpha + T) - p.s * std::log(p.beta + T);
  return std::min(0.0, log_alive_term - log_bracket(k, f, x, t_x, T));
}

// ----------------------------------------------------------------------------------------------
// The weighted likelihood over distinct rows, for the optimizer.

// The rows indexed for the likelihood sum. K = G(r+x+1, s; T) depends on (x, T) only and
// I = G(r+x, s+1; t_x) on (x, t_x) only, and rows share few distinct values of x, t_x and T: each
// evaluation computes the logarithms once per distinct t_x and T, the terms of x once per distinct
// x, each tail once per distinct pair, and then costs one exp and one log per row.
struct ParetoRows {
  std::vector<double> weights;
  detail::ValueIndex x;
  detail::ValueIndex t_x;
  detail::ValueIndex T;
  std::vector<std::uint32_t> k_x, k_T;  // distinct (x, T) pairs
  std::vector<std::uint32_t> i_x, i_t;  // distinct (x, t_x) pairs
  std::vector<std::uint32_t> row_k;     // per row, its (x, T) pair
  std::vector<std::uint32_t> row_i;     // per row, its (x, t_x) pair
};

// Numbers the distinct pairs (a[i], b[i]): fills the pairs' columns and each row's pair.
void index_pairs(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b,
                 std::vector<std::uint32_t>& pair_a, std::vector<std::uint32_t>& pair_b,
                 std::vector<std::uint32_t>& row_pair) {
  std::vector<std::uint64_t> keys(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) keys[i] = (std::uint64_t{a[i]} << 32) | b[i];
  std::vector<std::uint64_t> distinct = keys;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  pair_a.resize(distinct.size());
  pair_b.resize(distinct.size());
  for (std::size_t q = 0; q < distinct.size(); ++q) {
    pair_a[q] = static_cast<std::uint32_t>(distinct[q] >> 32);
    pair_b[q] = static_cast<std::uint32_t>(distinct[q] & 0xFFFF'FFFFU);
  }
  row_pair.resize(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    row_pair[i] = static_cast<std::uint32_t>(std::lower_bound(distinct.begin(), distinct.end(), keys[i]) - distinct.begin());
  }
}

ParetoRows index_pareto_rows(const SummaryData& rows) {
  ParetoRows out;
  out.weights = rows.weights.empty() ? std::vector<double>(rows.size(), 1.0) : rows.weights;
  out.x = detail::index_values(rows.frequency);
  out.t_x = detail::index_values(rows.recency);
  out.T = detail::index_values(rows.T);
  index_pairs(out.x.index, out.T.index, out.k_x, out.k_T, out.row_k);
  index_pairs(out.x.index, out.t_x.index, out.i_x, out.i_t, out.row_i);
  return out;
}

// Items per task: fixed, so that sums never depend on the thread count; large enough that starting
// a thread (tens of microseconds) pays.
constexpr std::size_t chunk_items = 4096;

// Runs body(begin, end) over fixed chunks of [0, n).
template <class Body>
void for_chunks(std::size_t n, unsigned threads, const Body& body) {
  const std::size_t chunks = analytics::detail::chunk_count(n, chunk_items);
  analytics::detail::parallel_for(chunks, analytics::detail::thread_count(threads), [&](std::size_t c) {
    const std::size_t begin = c * chunk_items;
    body(begin, std::min(n, begin + chunk_items));
  });
}

struct RowSum {
  double ll = 0;
  double grad[4] = {0, 0, 0, 0};
};

template <bool Gradient>
double indexed_log_likelihood(const ParetoRows& rows, unsigned threads, const Params& p, std::span<double> gradient) {
  const Constants k(p, Gradient);
  // Logarithms of α+T, β+T, α+t_x, β+t_x per distinct value.
  const auto logs_of = [&](const std::vector<double>& values, std::vector<double>& la, std::vector<double>& lb) {
    la.resize(values.size());
    lb.resize(values.size());
    for (std::size_t j = 0; j < values.size(); ++j) {
      la[j] = std::log(p.alpha + values[j]);
      lb[j] = std::log(p.beta + values[j]);
    }
  };
  std::vector<double> la_T, lb_T, la_t, lb_t;
  logs_of(rows.T.values, la_T, lb_T);
  logs_of(rows.t_x.values, la_t, lb_t);
  std::vector<PerFrequency> per_x(rows.x.values.size());
  for (std::size_t j = 0; j < per_x.size(); ++j) per_x[j].at<Gradient>(k, rows.x.values[j]);

  std::vector<Tail> K(rows.k_x.size());
  for_chunks(K.size(), threads, [&](std::size_t begin, std::size_t end) {
    for (std::size_t q = begin; q < end; ++q) {
      const std::uint32_t j = rows.k_T[q];
      K[q] = tail<Gradient>(p.r + rows.x.values[rows.k_x[q]] + 1, p.s, p.alpha, p.beta, rows.T.values[j], la_T[j], lb_T[j]);
    }
  });
  std::vector<Tail> I(rows.i_x.size());
  for_chunks(I.size(), threads, [&](std::size_t begin, std::size_t end) {
    for (std::size_t q = begin; q < end; ++q) {
      const std::uint32_t j = rows.i_t[q];
      I[q] = tail<Gradient>(p.r + rows.x.values[rows.i_x[q]], p.s + 1, p.alpha, p.beta, rows.t_x.values[j], la_t[j], lb_t[j]);
    }
  });

  const std::size_t n = rows.weights.size();
  std::vector<RowSum> partial(analytics::detail::chunk_count(n, chunk_items));
  const double log_prior = p.r * k.log_alpha + p.s * k.log_beta;
  for_chunks(n, threads, [&](std::size_t begin, std::size_t end) {
    RowSum sum;
    for (std::size_t i = begin; i < end; ++i) {
      const double w = rows.weights[i];
      const std::uint32_t xi = rows.x.index[i];
      const PerFrequency& f = per_x[xi];
      const Tail& Ki = K[rows.row_k[i]];
      const Tail& Ii = I[rows.row_i[i]];
      // log[(r+x) K + s I], both tails sharing the factor 1/(r+s+x).
      const double ak = f.log_rx + Ki.log_pref;
      const double ai = k.log_s + Ii.log_pref;
      const double top = std::max(ak, ai);
      const double wk = Ki.S * (ak == top ? 1.0 : std::exp(ak - top));
      const double wi = Ii.S * (ai == top ? 1.0 : std::exp(ai - top));
      const double total = wk + wi;
      sum.ll += w * (f.log_gamma_ratio + log_prior + top + std::log(total) - f.log_c1);
      if constexpr (Gradient) {
        const double sk = w * wk / total;
        const double si = w * wi / total;
        const double rx = p.r + rows.x.values[xi];
        sum.grad[0] += w * (f.digamma_diff + k.log_alpha) + sk * (1 / rx + Ki.d_pa) + si * Ii.d_pa;
        sum.grad[1] += w * (p.r / p.alpha) + sk * Ki.d_alpha + si * Ii.d_alpha;
        sum.grad[2] += w * k.log_beta + sk * Ki.d_pb + si * (1 / p.s + Ii.d_pb);
        sum.grad[3] += w * (p.s / p.beta) + sk * Ki.d_beta + si * Ii.d_beta;
      }
    }
    partial[begin / chunk_items] = sum;
  });
  RowSum total;
  for (const RowSum& part : partial) {
    total.ll += part.ll;
    for (int j = 0; j < 4; ++j) total.grad[j] += part.grad[j];
  }
  if constexpr (Gradient) {
    for (std::size_t j = 0; j < 4 && j < gradient.size(); ++j) gradient[j] = total.grad[j];
  }
  return total.ll;
}

double weighted_log_likelihood(const ParetoRows& rows, unsigned threads, std::span<const double> theta,
                               std::span<double> gradient) {
  if (theta.size() != 4) return nan;
  for (const double v : theta) {
    if (!std::isfinite(v) || v <= 0) return nan;
  }
  const Params p{theta[0], theta[1], theta[2], theta[3]};
  return gradient.empty() ? indexed_log_likelihood<false>(rows, threads, p, gradient)
                          : indexed_log_likelihood<true>(rows, threads, p, gradient);
}

// ----------------------------------------------------------------------------------------------
// P(X(t) = n) by quadrature of the gamma mixture.

// ∫_0^t y^n (α+y)^-(r+n) (β+y)^-(s+1) dy, in logs: with y = e^w the log-integrand
// φ(w) = (n+1)w − (r+n) log(α+e^w) − (s+1) log(β+e^w) is concave (φ' decreases from n+1 to
// −(r+s)), so it has one peak w*: integrate (−∞, w*] and [w*, log t] with Gauss-Kronrod, scaled
// by the peak value.
double log_death_integral(const Params& p, double n, double t) {
  const auto phi = [&](double w) {
    const double e = std::exp(w);
    return (n + 1) * w - (p.r + n) * std::log(p.alpha + e) - (p.s + 1) * std::log(p.beta + e);
  };
  const auto slope = [&](double w) {
    const double e = std::exp(w);
    return (n + 1) - (p.r + n) * e / (p.alpha + e) - (p.s + 1) * e / (p.beta + e);
  };
  const double w_end = std::log(t);
  double lo = -745;
  double hi = 745;
  for (int i = 0; i < 200 && hi - lo > 1e-9 * (1 + std::abs(lo)); ++i) {
    const double mid = 0.5 * (lo + hi);
    (slope(mid) > 0 ? lo : hi) = mid;
  }
  const double w_peak = std::min(0.5 * (lo + hi), w_end);
  const double phi_peak = phi(w_peak);
  const auto integrand = [&](double w) { return std::exp(phi(w) - phi_peak); };
  using Rule = boost::math::quadrature::gauss_kronrod<double, 31>;
  double total = Rule::integrate(integrand, -inf, w_peak, 15, 1e-12);
  if (w_end > w_peak) total += Rule::integrate(integrand, w_peak, w_end, 15, 1e-12);
  return phi_peak + std::log(total);
}

}  // namespace

// ------------------------------------------------------------------------------------------------

ParetoNbd::ParetoNbd(const Parameters& parameters) : parameters_(parameters) {
  check_positive("r", parameters.r);
  check_positive("alpha", parameters.alpha);
  check_positive("s", parameters.s);
  check_positive("beta", parameters.beta);
}

std::vector<double> ParetoNbd::parameters() const {
  return {parameters_.r, parameters_.alpha, parameters_.s, parameters_.beta};
}

std::vector<std::string> ParetoNbd::parameter_names() const { return {"r", "alpha", "s", "beta"}; }

double ParetoNbd::log_likelihood(double x, double t_x, double T) const {
  detail::check_history(x, t_x, T);
  const Params p{parameters_.r, parameters_.alpha, parameters_.s, parameters_.beta};
  return log_likelihood_of(p, x, t_x, T);
}

// FHL note, eq. 27: E[X(t)] = r β / (α (s−1)) · [1 − (β/(β+t))^(s−1)], written so that s = 1
// (where it becomes r β/α · log(1 + t/β)) and s near 1 lose no precision.
double ParetoNbd::expected_purchases(double t) const {
  detail::check_duration("t", t);
  const auto& [r, alpha, s, beta] = parameters_;
  return r / alpha * beta * one_minus_exp_over(s - 1, std::log1p(t / beta));
}

// FHL note, eq. 41: E[Y(t) | x, t_x, T] = P(alive) · (r+x)(β+T) / ((α+T)(s−1)) ·
// [1 − ((β+T)/(β+T+t))^(s−1)], the same as lifetimes' conditional_expected_number_of_purchases_up_to_time.
double ParetoNbd::conditional_expected_purchases(double t, double x, double t_x, double T) const {
  detail::check_duration("t", t);
  detail::check_history(x, t_x, T);
  const Params p{parameters_.r, parameters_.alpha, parameters_.s, parameters_.beta};
  if (t == 0) return 0;
  const double log_alive = log_probability_alive(p, x, t_x, T);
  const double bT = p.beta + T;
  return std::exp(log_alive + std::log(p.r + x) - std::log(p.alpha + T)) * bT *
         one_minus_exp_over(p.s - 1, std::log1p(t / bT));
}

// FHL note, eqs. 36-37 (lifetimes' conditional_probability_alive): the share of the likelihood that
// comes from customers still alive at T.
double ParetoNbd::probability_alive(double x, double t_x, double T) const {
  detail::check_history(x, t_x, T);
  const Params p{parameters_.r, parameters_.alpha, parameters_.s, parameters_.beta};
  return std::exp(log_probability_alive(p, x, t_x, T));
}

// P(X(t) = n) = NB(n; r, α, t) · (β/(β+t))^s + ∫_0^t NB(n; r, α, y) · s β^s (β+y)^-(s+1) dy: alive
// throughout, or dead at y after n purchases (NB the gamma-Poisson probability of n in a time y).
// The second term is the FHL note's sum of 2F1 terms; its integral form is evaluated by quadrature
// (log_death_integral), which stays stable for large n and extreme parameters.
double ParetoNbd::probability_of_purchases(std::int64_t n, double t) const {
  detail::check_count("n", n);
  detail::check_duration("t", t);
  if (t == 0) return n == 0 ? 1.0 : 0.0;
  const Params p{parameters_.r, parameters_.alpha, parameters_.s, parameters_.beta};
  const auto k = static_cast<double>(n);
  const double log_nb_coefficient = log_gamma(p.r + k) - log_gamma(p.r) - log_gamma(k + 1);
  const double alive = log_nb_coefficient - p.r * std::log1p(t / p.alpha) -
                       (k > 0 ? k * std::log1p(p.alpha / t) : 0.0) - p.s * std::log1p(t / p.beta);
  const double dead = log_nb_coefficient + p.r * std::log(p.alpha) + std::log(p.s) + p.s * std::log(p.beta) +
                      log_death_integral(p, k, t);
  return std::min(1.0, std::exp(log_add(alive, dead)));
}

namespace detail {

LikelihoodProblem paretonbd_problem(const SummaryData& rows, unsigned threads) {
  LikelihoodProblem problem;
  problem.model = Model::paretonbd;
  problem.parameter_names = {"r", "alpha", "s", "beta"};
  double customers = 0;
  double sum_x = 0;
  double sum_T = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const double w = rows.weights.empty() ? 1.0 : rows.weights[i];
    customers += w;
    sum_x += w * rows.frequency[i];
    sum_T += w * rows.T[i];
  }
  // Starts in the data's time unit, so that a fit in days starts where one in weeks does: with
  // r = s = 1, a purchase rate of about mean(x)/mean(T) (α = mean(T)/mean(x)) and lifetimes of the
  // order of the observation length (β = mean(T)).
  const double mean_T = customers > 0 && sum_T > 0 ? sum_T / customers : 1.0;
  const double mean_x = customers > 0 ? sum_x / customers : 0.0;
  problem.default_initial = {1.0, mean_T / std::max(mean_x, 0.1), 1.0, mean_T};
  problem.analytic_gradient = true;
  problem.customers = customers;
  problem.distinct_rows = rows.size();
  auto indexed = std::make_shared<const ParetoRows>(index_pareto_rows(rows));
  problem.log_likelihood = [indexed, threads](std::span<const double> theta, std::span<double> gradient) {
    return weighted_log_likelihood(*indexed, threads, theta, gradient);
  };
  return problem;
}

}  // namespace detail

}  // namespace crmkit::analytics::clv
