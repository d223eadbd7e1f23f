// BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way: an alternative to the
// Pareto/NBD model", Marketing Science 24(2):275-84), and the likelihood sum it shares with MBG/NBD.
// Expressions follow the paper's equation numbers and lifetimes' BetaGeoFitter.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "analytics/clv/likelihood_sum.hpp"
#include "analytics/clv/problems.hpp"
#include "analytics/clv/special.hpp"
#include "analytics/parallel.hpp"
#include "crmkit/analytics/clv/models.hpp"
#include "crmkit/core/error.hpp"

namespace crmkit::analytics::clv {

namespace detail {

namespace {

// Rows per task of the likelihood sum: fixed, so sums never depend on the thread count, and large
// enough that starting a thread pays (a row costs ~20 ns).
constexpr std::size_t likelihood_chunk_rows = 8192;
// At most this many (x, t_x) or (x, T) combinations for the pair tables of IndexedRows (16 MB).
constexpr std::size_t pair_table_limit = std::size_t{1} << 22;
// Exponents beyond this could overflow a product of two factors: the per-row exp is used instead.
constexpr double max_factor_exponent = 300;

// Σ_{j<n} ln(s + j) and Σ_{j<n} 1/(s + j), i.e. ln Γ(s+n)/Γ(s) and ψ(s+n) − ψ(s), for n asked in
// ascending order: extended term by term up to 64 (where they keep their digits for huge s, unlike
// differences of log-gammas), by log-gamma and digamma differences beyond.
class RisingSums {
 public:
  explicit RisingSums(double s) : s_(s) {}
  double log_sum(double n) {
    if (n > limit) return log_gamma(s_ + n) - log_gamma(s_);
    extend(n);
    return log_;
  }
  double inverse_sum(double n) {
    if (n > limit) return digamma(s_ + n) - digamma(s_);
    extend(n);
    return inverse_;
  }

 private:
  static constexpr double limit = 64;
  void extend(double n) {
    for (; j_ < n; ++j_) {
      log_ += std::log(s_ + j_);
      inverse_ += 1 / (s_ + j_);
    }
  }
  double s_;
  double j_ = 0;
  double log_ = 0;
  double inverse_ = 0;
};

}  // namespace

IndexedRows index_rows(const SummaryData& rows) {
  IndexedRows out;
  out.rows = rows.size();
  out.weights = rows.weights.empty() ? std::vector<double>(rows.size(), 1.0) : rows.weights;
  out.x = index_values(rows.frequency);
  out.t_x = index_values(rows.recency);
  out.T = index_values(rows.T);
  out.x_order.resize(out.x.values.size());
  std::iota(out.x_order.begin(), out.x_order.end(), 0U);
  std::sort(out.x_order.begin(), out.x_order.end(),
            [&out](std::uint32_t a, std::uint32_t b) { return out.x.values[a] < out.x.values[b]; });
  out.x_weight.assign(out.x.values.size(), 0.0);
  for (std::size_t i = 0; i < out.rows; ++i) {
    out.x_weight[out.x.index[i]] += out.weights[i];
    out.customers += out.weights[i];
  }
  // The pairs, numbered through direct-address tables while those stay small.
  const std::size_t nx = out.x.values.size();
  const std::size_t nt = out.t_x.values.size();
  const std::size_t nT = out.T.values.size();
  if (nx * nt <= pair_table_limit && nx * nT <= pair_table_limit) {
    constexpr std::uint32_t none = 0xFFFF'FFFFU;
    std::vector<std::uint32_t> xt_id(nx * nt, none);
    std::vector<std::uint32_t> xT_id(nx * nT, none);
    out.xt_pair.resize(out.rows);
    out.xT_pair.resize(out.rows);
    for (std::size_t i = 0; i < out.rows; ++i) {
      const std::uint32_t kx = out.x.index[i];
      std::uint32_t& xt = xt_id[kx * nt + out.t_x.index[i]];
      if (xt == none) {
        xt = static_cast<std::uint32_t>(out.xt_pairs.size());
        out.xt_pairs.emplace_back(kx, out.t_x.index[i]);
      }
      std::uint32_t& xT = xT_id[kx * nT + out.T.index[i]];
      if (xT == none) {
        xT = static_cast<std::uint32_t>(out.xT_pairs.size());
        out.xT_pairs.emplace_back(kx, out.T.index[i]);
      }
      out.xt_pair[i] = xt;
      out.xT_pair[i] = xT;
    }
  }
  return out;
}

double bg_family_log_likelihood(const IndexedRows& rows, bool modified, unsigned threads,
                                std::span<const double> parameters, std::span<double> gradient) {
  const double r = parameters[0];
  const double alpha = parameters[1];
  const double a = parameters[2];
  const double b = parameters[3];
  for (const double p : parameters) {
    if (!std::isfinite(p) || p <= 0) return std::numeric_limits<double>::quiet_NaN();
  }
  const bool want = !gradient.empty();
  const double shift = modified ? 1.0 : 0.0;  // MBG/NBD's beta terms count one more survival
  const double log_alpha = std::log(alpha);

  // Terms of each distinct x: A1 + A2 + the ln α parts of A3 and A4, summed here with the x's
  // total weight, as −x·ln α + ln Γ(r+x)/Γ(r) + ln Γ(b+x)/Γ(b) − ln Γ(a+b+x)/Γ(a+b) (x + 1 in the
  // beta terms for MBG/NBD): ln α cancels between A1 and A3/A4 analytically, and the ratios of
  // gamma functions are rising sums (RisingSums), so huge parameters keep their digits. Also
  // ln(a/(b + x − 1)) of A4 (b + x for MBG/NBD).
  const std::size_t nx = rows.x.values.size();
  std::vector<double> rx(nx);
  std::vector<double> log_ratio(nx);  // ln(a/(b + x − 1 + shift)); NaN: no A4 (BG/NBD, x = 0)
  std::vector<double> ratio_db(nx);   // its derivative by b
  double total = 0;
  std::array<double, 4> g{};  // ∂/∂(r, α, a, b)
  RisingSums rising_r(r);
  RisingSums rising_b(b);
  RisingSums rising_ab(a + b);
  for (const std::uint32_t k : rows.x_order) {  // ascending x: the rising sums only grow
    const double x = rows.x.values[k];
    const double w = rows.x_weight[k];
    rx[k] = r + x;
    total += w * (-x * log_alpha + rising_r.log_sum(x) + rising_b.log_sum(x + shift) -
                  rising_ab.log_sum(x + shift));
    const bool has_a4 = modified || x > 0;
    const double bx = b + x - 1 + shift;
    log_ratio[k] = has_a4 ? std::log(a / bx) : std::numeric_limits<double>::quiet_NaN();
    if (want) {
      const double psi_abx = rising_ab.inverse_sum(x + shift);
      g[0] += w * rising_r.inverse_sum(x);
      g[1] += w * (r / alpha);
      g[2] -= w * psi_abx;
      g[3] += w * (rising_b.inverse_sum(x + shift) - psi_abx);
      ratio_db[k] = has_a4 ? -1 / bx : 0.0;
    }
  }
  // Per distinct T and t_x: ln(1 + T/α) (A3 without its ln α) and 1/(α + T) for the gradient.
  const std::size_t nT = rows.T.values.size();
  std::vector<double> log_T(nT);
  std::vector<double> inv_T(nT);
  for (std::size_t k = 0; k < nT; ++k) {
    log_T[k] = std::log1p(rows.T.values[k] / alpha);
    inv_T[k] = 1 / (alpha + rows.T.values[k]);
  }
  const std::size_t nt = rows.t_x.values.size();
  std::vector<double> log_t(nt);
  std::vector<double> inv_t(nt);
  for (std::size_t k = 0; k < nt; ++k) {
    log_t[k] = std::log1p(rows.t_x.values[k] / alpha);
    inv_t[k] = 1 / (alpha + rows.t_x.values[k]);
  }

  // e^(A4 − A3) = e^(ln(a/(b+x−1)) − (r+x)·ln(1 + t_x/α)) · e^((r+x)·ln(1 + T/α)): one factor per
  // (x, t_x) pair and one per (x, T) pair, when they stay far from overflow.
  std::vector<double> xt_factor(rows.xt_pairs.size());
  std::vector<double> xT_factor(rows.xT_pairs.size());
  bool factored = !rows.xt_pairs.empty();
  for (std::size_t k = 0; factored && k < rows.xt_pairs.size(); ++k) {
    const auto [kx, kt] = rows.xt_pairs[k];
    const double exponent = log_ratio[kx] - rx[kx] * log_t[kt];  // NaN for BG/NBD's x = 0: unused
    if (std::abs(exponent) > max_factor_exponent) factored = false;
    xt_factor[k] = std::exp(exponent);
  }
  for (std::size_t k = 0; factored && k < rows.xT_pairs.size(); ++k) {
    const auto [kx, kT] = rows.xT_pairs[k];
    const double exponent = rx[kx] * log_T[kT];
    if (exponent > max_factor_exponent) factored = false;
    xT_factor[k] = std::exp(exponent);
  }

  // Per row: ln(e^A3 + e^A4) with A3 = −(r + x)·ln(1 + T/α) and A4 = ln(a/(b + x − 1)) −
  // (r + x)·ln(1 + t_x/α) (ln α taken out above), and its derivatives through the weights w3, w4 of
  // the two terms (softmax).
  const std::size_t chunks = analytics::detail::chunk_count(rows.rows, likelihood_chunk_rows);
  std::vector<std::array<double, 5>> partial(chunks);
  auto sum_chunk = [&](std::size_t c) {
    const std::size_t begin = c * likelihood_chunk_rows;
    const std::size_t end = std::min(rows.rows, begin + likelihood_chunk_rows);
    double ll = 0;
    double dr = 0;
    double dalpha = 0;
    double da = 0;
    double db = 0;
    for (std::size_t i = begin; i < end; ++i) {
      const std::uint32_t kx = rows.x.index[i];
      const std::uint32_t kT = rows.T.index[i];
      const double w = rows.weights[i];
      const double s = rx[kx];
      const double a3 = -s * log_T[kT];
      if (std::isnan(log_ratio[kx])) {  // BG/NBD, x = 0: A3 alone
        ll += w * a3;
        if (want) {
          dr -= w * log_T[kT];
          dalpha -= w * s * inv_T[kT];
        }
        continue;
      }
      const std::uint32_t kt = rows.t_x.index[i];
      if (factored) {
        // q = e^(A4 − A3); ln(e^A3 + e^A4) = A3 + ln(1 + q), with weights 1/(1 + q) and q/(1 + q).
        const double q = xt_factor[rows.xt_pair[i]] * xT_factor[rows.xT_pair[i]];
        ll += w * (a3 + std::log(1 + q));
        if (want) {
          const double w3 = 1 / (1 + q);
          const double w4 = q * w3;
          dr -= w * (w3 * log_T[kT] + w4 * log_t[kt]);
          dalpha -= w * s * (w3 * inv_T[kT] + w4 * inv_t[kt]);
          da += w * w4;
          db += w * w4 * ratio_db[kx];
        }
        continue;
      }
      const double a4 = log_ratio[kx] - s * log_t[kt];
      const double e = std::exp(-std::abs(a3 - a4));
      // log(1 + e) rather than log1p(e): e ≤ 1 and the row's term is added to a sum of order
      // one or more, so the absolute error (≤ 1.2e-16) is the same, and log is cheaper.
      ll += w * (std::max(a3, a4) + std::log(1 + e));
      if (want) {
        const double big = 1 / (1 + e);
        const double w4 = a4 >= a3 ? big : e * big;
        const double w3 = 1 - w4;
        dr -= w * (w3 * log_T[kT] + w4 * log_t[kt]);
        dalpha -= w * s * (w3 * inv_T[kT] + w4 * inv_t[kt]);
        da += w * w4;  // divided by a once, below
        db += w * w4 * ratio_db[kx];
      }
    }
    partial[c] = {ll, dr, dalpha, da, db};
  };
  analytics::detail::parallel_for(chunks, chunks > 1 ? analytics::detail::thread_count(threads) : 1U,
                                  sum_chunk);
  for (const auto& p : partial) {
    total += p[0];
    g[0] += p[1];
    g[1] += p[2];
    g[2] += p[3] / a;
    g[3] += p[4];
  }
  if (want) {
    for (std::size_t i = 0; i < 4; ++i) gradient[i] = g[i];
  }
  return total;
}

LikelihoodProblem bg_family_problem(const SummaryData& rows, bool modified, unsigned threads) {
  auto indexed = std::make_shared<const IndexedRows>(index_rows(rows));
  LikelihoodProblem problem;
  problem.model = modified ? Model::mbgnbd : Model::bgnbd;
  problem.parameter_names = {"r", "alpha", "a", "b"};
  problem.default_initial = {1.0, 1.0, 1.0, 1.0};
  problem.analytic_gradient = true;
  problem.customers = indexed->customers;
  problem.distinct_rows = rows.size();
  problem.log_likelihood = [indexed, modified, threads](std::span<const double> p, std::span<double> g) {
    return bg_family_log_likelihood(*indexed, modified, threads, p, g);
  };
  return problem;
}

LikelihoodProblem bgnbd_problem(const SummaryData& rows, unsigned threads) {
  return bg_family_problem(rows, false, threads);
}

}  // namespace detail

namespace {

void check_parameter(std::string_view name, double value) {
  if (!std::isfinite(value) || value <= 0) {
    throw ValidationError(std::string(name), fmt::format("{}", value), "must be a finite number > 0");
  }
}

}  // namespace

BgNbd::BgNbd(const Parameters& parameters) : parameters_(parameters) {
  check_parameter("r", parameters.r);
  check_parameter("alpha", parameters.alpha);
  check_parameter("a", parameters.a);
  check_parameter("b", parameters.b);
}

std::vector<double> BgNbd::parameters() const {
  return {parameters_.r, parameters_.alpha, parameters_.a, parameters_.b};
}

std::vector<std::string> BgNbd::parameter_names() const { return {"r", "alpha", "a", "b"}; }

// FHL 2005 eq. 6: L = A1·A2·(A3 + δ(x > 0)·A4), summed in logs, with ln α cancelled between A1
// and A3/A4 and the gamma-function ratios as rising sums (exact for huge parameters).
double BgNbd::log_likelihood(double x, double t_x, double T) const {
  detail::check_history(x, t_x, T);
  const auto [r, alpha, a, b] = parameters_;
  const double head = -x * std::log(alpha) + detail::log_rising(r, x) + detail::log_rising(b, x) -
                      detail::log_rising(a + b, x);
  const double a3 = -(r + x) * std::log1p(T / alpha);
  if (x == 0) return head + a3;
  const double a4 = std::log(a / (b + x - 1)) - (r + x) * std::log1p(t_x / alpha);
  return head + detail::log_add_exp(a3, a4);
}

// FHL 2005 eq. 9, as E[(1 − (α/(α + p·t))^r) / p] over p ~ Beta(a, b).
double BgNbd::expected_purchases(double t) const {
  detail::check_duration("t", t);
  const auto [r, alpha, a, b] = parameters_;
  return detail::expected_purchases_alive(r, alpha, a, b, t);
}

// FHL 2005 eq. 10: P(alive) times the expected purchases of an alive customer, whose rate and
// dropout probability follow the posteriors Gamma(r + x, α + T) and Beta(a, b + x).
double BgNbd::conditional_expected_purchases(double t, double x, double t_x, double T) const {
  detail::check_duration("t", t);
  const double alive = probability_alive(x, t_x, T);
  const auto [r, alpha, a, b] = parameters_;
  return alive * detail::expected_purchases_alive(r + x, alpha + T, a, b + x, t);
}

// Fader, Hardie & Lee, "Computing P(alive) using the BG/NBD model" (note 021), as lifetimes:
// 1 / (1 + δ(x > 0)·a/(b + x − 1)·((α + T)/(α + t_x))^(r + x)).
double BgNbd::probability_alive(double x, double t_x, double T) const {
  detail::check_history(x, t_x, T);
  if (x == 0) return 1.0;
  const auto [r, alpha, a, b] = parameters_;
  const double log_odds_dead = std::log(a / (b + x - 1)) + (r + x) * std::log1p((T - t_x) / (alpha + t_x));
  return detail::logistic(-log_odds_dead);
}

// FHL 2005 eq. 8, with the negative-binomial tail 1 − Σ_{j<n} P(N = j) as an incomplete beta.
double BgNbd::probability_of_purchases(std::int64_t n, double t) const {
  detail::check_count("n", n);
  detail::check_duration("t", t);
  if (t == 0) return n == 0 ? 1.0 : 0.0;
  const auto [r, alpha, a, b] = parameters_;
  const auto x = static_cast<double>(n);
  // B(a, b + n)/B(a, b) and B(a + 1, b + n − 1)/B(a, b) as rising sums.
  const double survived = std::exp(detail::log_rising(b, x) - detail::log_rising(a + b, x) +
                                   detail::log_negative_binomial(x, r, alpha, t));
  if (n == 0) return survived;
  const double dropped = std::exp(std::log(a) + detail::log_rising(b, x - 1) - detail::log_rising(a + b, x)) *
                         detail::negative_binomial_tail(x, r, alpha, t);
  return survived + dropped;
}

}  // namespace crmkit::analytics::clv
