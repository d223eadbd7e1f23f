#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "crmkit/analytics/clv/models.hpp"
#include "crmkit/analytics/clv/simulate.hpp"
#include "crmkit/analytics/clv/transaction_model.hpp"
#include "support/clv_data.hpp"
#include "support/validation_matchers.hpp"
// The likelihood handed to the optimizer (an internal interface), tested for its gradient and its
// independence of the thread count.
#include "../../src/analytics/clv/problems.hpp"

using crmkit::analytics::clv::BgNbd;
using crmkit::analytics::clv::compress;
using crmkit::analytics::clv::fit_transaction_model;
using crmkit::analytics::clv::FitError;
using crmkit::analytics::clv::FitOptions;
using crmkit::analytics::clv::Model;
using crmkit::analytics::clv::simulate;
using crmkit::analytics::clv::SimulationOptions;
using crmkit::analytics::clv::SummaryData;
using crmkit::test::read_cdnow_summary;
using crmkit::test::require_invalid;
using crmkit::test::significant;

namespace {

// The estimates of Fader, Hardie & Lee (2005), "Counting your customers the easy way",
// Marketing Science 24(2):275-84, on the CDNOW sample.
const BgNbd& published() {
  static const BgNbd model({0.2426, 4.4135, 0.7929, 2.4259});
  return model;
}

// ₂F₁(a, b; c; z) by its plain power series, for the checks (|z| well below 1).
double series_2f1(double a, double b, double c, double z) {
  double term = 1;
  double sum = 1;
  for (int n = 0; n < 2000 && std::abs(term) > 1e-18 * std::abs(sum); ++n) {
    term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
    sum += term;
  }
  return sum;
}

}  // namespace

TEST_CASE("BG/NBD reproduces Fader, Hardie & Lee (2005) on CDNOW", "[clv][bgnbd]") {
  const SummaryData cdnow = read_cdnow_summary();
  REQUIRE(cdnow.size() == 2357);
  // FHL 2005 report LL = −9582.43 at their (rounded) estimates.
  CHECK(published().total_log_likelihood(cdnow.view()) == Approx(-9582.43).margin(0.01));

  const auto fit = fit_transaction_model(Model::bgnbd, cdnow.view());
  const auto& p = fit.result.parameters;
  REQUIRE(p.size() == 4);
  CHECK(fit.result.parameter_names == std::vector<std::string>{"r", "alpha", "a", "b"});
  // r = 0.2426, α = 4.4135, a = 0.7929, b = 2.4259, to 3 significant digits; LL to 0.01.
  CHECK(significant(p[0], 3) == Approx(0.243));
  CHECK(significant(p[1], 3) == Approx(4.41));
  CHECK(significant(p[2], 3) == Approx(0.793));
  CHECK(significant(p[3], 3) == Approx(2.43));
  CHECK(fit.result.log_likelihood == Approx(-9582.43).margin(0.01));
  CHECK(fit.result.converged);
  CHECK(fit.result.model == Model::bgnbd);
  CHECK(fit.result.customers == 2357);
  CHECK(fit.result.distinct_rows < 2357);
  CHECK(fit.result.evaluations > 0);
  CHECK(fit.model->parameters() == p);
  CHECK(fit.model->total_log_likelihood(cdnow.view()) == Approx(fit.result.log_likelihood).epsilon(1e-12));

  // Standard errors against an independent observed information: central second differences of the
  // public total log-likelihood at the estimates (step 1e-3 relative), inverted by hand below.
  REQUIRE(fit.result.standard_errors.size() == 4);
  CHECK(fit.result.standard_error_note.empty());
  const auto ll = [&](std::vector<double> q) {
    return BgNbd({q[0], q[1], q[2], q[3]}).total_log_likelihood(cdnow.view());
  };
  double h[4][4];
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 4; ++j) {
      const auto ui = static_cast<std::size_t>(i);
      const auto uj = static_cast<std::size_t>(j);
      const double si = 1e-3 * p[ui];
      const double sj = 1e-3 * p[uj];
      auto at = [&](double di, double dj) {
        std::vector<double> q = p;
        q[ui] += di;
        q[uj] += dj;
        return ll(q);
      };
      h[i][j] = -(at(si, sj) - at(si, -sj) - at(-si, sj) + at(-si, -sj)) / (4 * si * sj);
    }
  }
  // Gauss-Jordan inverse of the 4x4 matrix.
  double inv[4][4] = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
  for (int c = 0; c < 4; ++c) {
    const double pivot = h[c][c];
    for (int k = 0; k < 4; ++k) {
      h[c][k] /= pivot;
      inv[c][k] /= pivot;
    }
    for (int r = 0; r < 4; ++r) {
      if (r == c) continue;
      const double f = h[r][c];
      for (int k = 0; k < 4; ++k) {
        h[r][k] -= f * h[c][k];
        inv[r][k] -= f * inv[c][k];
      }
    }
  }
  for (int i = 0; i < 4; ++i) {
    CHECK(fit.result.standard_errors[static_cast<std::size_t>(i)] ==
          Approx(std::sqrt(inv[i][i])).epsilon(1e-3));
  }
  // lifetimes' BetaGeoFitter.summary of this fit (its Quickstart documentation) prints standard
  // errors 0.012557, 0.378221, 0.185719, 0.705345.
  CHECK(fit.result.standard_errors[0] == Approx(0.012557).epsilon(1e-3));
  CHECK(fit.result.standard_errors[1] == Approx(0.378221).epsilon(1e-3));
  CHECK(fit.result.standard_errors[2] == Approx(0.185719).epsilon(1e-3));
  CHECK(fit.result.standard_errors[3] == Approx(0.705345).epsilon(1e-3));
}

TEST_CASE("BG/NBD predictions match Hardie's BG/NBD spreadsheet (as lifetimes' tests quote it)",
          "[clv][bgnbd]") {
  // lifetimes' tests/test_estimation.py: E[X(t)] at t = 0.1429, 1, 3, 31.8571, 32, 78 is 0.0078,
  // 0.0532, 0.1506, 1.0405, 1.0437, 1.8576, and E[Y(39) | x = 2, t_x = 30.43, T = 38.86] = 1.226,
  // to 0.001, from the spreadsheet accompanying FHL 2005.
  const BgNbd& m = published();
  CHECK(m.expected_purchases(0.1429) == Approx(0.0078).margin(0.001));
  CHECK(m.expected_purchases(1) == Approx(0.0532).margin(0.001));
  CHECK(m.expected_purchases(3) == Approx(0.1506).margin(0.001));
  CHECK(m.expected_purchases(31.8571) == Approx(1.0405).margin(0.001));
  CHECK(m.expected_purchases(32) == Approx(1.0437).margin(0.001));
  CHECK(m.expected_purchases(78) == Approx(1.8576).margin(0.001));
  CHECK(m.conditional_expected_purchases(39, 2, 30.43, 38.86) == Approx(1.226).margin(0.001));
}

TEST_CASE("BG/NBD expressions match 40-digit references", "[clv][bgnbd]") {
  // References by mpmath at 40 digits: E[X(t)] as the quadrature ∫ Beta(p; a, b)·(1 − (α/(α + p·t))^r)/p dp,
  // E[Y] as P(alive) times the same quadrature under the posterior Beta(a, b + x), Gamma(r + x, α + T);
  // the log-likelihood from FHL eq. 6 term by term; P(X(t) = n) from FHL eq. 8 with its finite sum.
  const BgNbd& m = published();
  CHECK(m.expected_purchases(0.1429) == Approx(0.0078163572248714855253).epsilon(1e-12));
  CHECK(m.expected_purchases(78) == Approx(1.8580492108479017372).epsilon(1e-12));
  CHECK(m.conditional_expected_purchases(39, 2, 30.43, 38.86) ==
        Approx(1.2259246459773749115).epsilon(1e-12));
  CHECK(m.probability_alive(2, 30.43, 38.86) == Approx(0.72661379578816876727).epsilon(1e-14));
  CHECK(m.log_likelihood(2, 30.43, 38.86) == Approx(-9.4596734216681646948).epsilon(1e-14));
  CHECK(m.log_likelihood(0, 0, 38.86) == Approx(-0.55382484737883624368).epsilon(1e-14));
  CHECK(m.probability_of_purchases(0, 39) == Approx(0.5742970838734891119).epsilon(1e-13));
  CHECK(m.probability_of_purchases(1, 39) == Approx(0.19919431054007515951).epsilon(1e-13));
  CHECK(m.probability_of_purchases(2, 39) == Approx(0.085324665515324609419).epsilon(1e-13));
  CHECK(m.probability_of_purchases(5, 39) == Approx(0.017939267655994880582).epsilon(1e-13));
}

TEST_CASE("BG/NBD hand-worked values with r = alpha = a = b = 1", "[clv][bgnbd]") {
  const BgNbd m({1, 1, 1, 1});
  // x = 0, T = 1: A1 = 0, A2 = lnΓ(2) + lnΓ(1) − lnΓ(1) − lnΓ(2) = 0, A3 = −ln 2.
  CHECK(m.log_likelihood(0, 0, 1) == Approx(-std::log(2.0)).epsilon(1e-15));
  // x = 1, t_x = 1, T = 2: A1 = 0, A2 = lnΓ(2) + lnΓ(2) − lnΓ(1) − lnΓ(3) = −ln 2,
  // A3 = −2 ln 3, A4 = ln 1 − ln 1 − 2 ln 2: LL = −ln 2 + ln(1/9 + 1/4) = ln(13/72).
  CHECK(m.log_likelihood(1, 1, 2) == Approx(std::log(13.0 / 72.0)).epsilon(1e-14));
  // P(alive | x = 1, t_x = T) = 1 / (1 + a/(b + x − 1)) = 1/2; x = 0 is alive for sure.
  CHECK(m.probability_alive(1, 2, 2) == Approx(0.5).epsilon(1e-15));
  CHECK(m.probability_alive(0, 0, 5) == 1.0);
  // P(X(1) = 0) = B(1, 1)/B(1, 1) · (α/(α + t))^r = 1/2.
  CHECK(m.probability_of_purchases(0, 1) == Approx(0.5).epsilon(1e-15));
  // t = 0: nothing happens yet.
  CHECK(m.expected_purchases(0) == 0.0);
  CHECK(m.conditional_expected_purchases(0, 3, 2, 4) == 0.0);
  CHECK(m.probability_of_purchases(0, 0) == 1.0);
  CHECK(m.probability_of_purchases(2, 0) == 0.0);
}

TEST_CASE("BG/NBD closed forms agree with lifetimes' series form and with P(X(t) = n)", "[clv][bgnbd]") {
  const BgNbd& m = published();
  const double r = 0.2426, alpha = 4.4135, a = 0.7929, b = 2.4259;
  // lifetimes' FHL eq. 10 with ₂F₁(r + x, b + x; a + b + x − 1; z) summed directly (crmkit uses
  // the Euler-transformed series): x = 3, t_x = 20, T = 35, t = 10.
  const double x = 3, t_x = 20, T = 35, t = 10;
  const double z = t / (alpha + T + t);
  const double numerator =
      (a + b + x - 1) / (a - 1) *
      (1 - series_2f1(r + x, b + x, a + b + x - 1, z) * std::pow((alpha + T) / (alpha + T + t), r + x));
  const double denominator = 1 + a / (b + x - 1) * std::pow((alpha + T) / (alpha + t_x), r + x);
  CHECK(m.conditional_expected_purchases(t, x, t_x, T) == Approx(numerator / denominator).epsilon(1e-12));
  // E[X(t)] = Σ n·P(X(t) = n), and the probabilities sum to 1 (eq. 8 against eq. 9).
  for (const double span : {0.5, 10.0, 39.0}) {
    double total = 0;
    double mean = 0;
    for (std::int64_t n = 0; n < 600; ++n) {
      const double pn = m.probability_of_purchases(n, span);
      total += pn;
      mean += static_cast<double>(n) * pn;
    }
    CHECK(total == Approx(1).epsilon(1e-12));
    CHECK(mean == Approx(m.expected_purchases(span)).epsilon(1e-10));
  }
}

TEST_CASE("BG/NBD at a = 1, where the closed form is 0/0, and near it", "[clv][bgnbd]") {
  // References by mpmath quadrature (40 digits) for r = 0.24, α = 4.4, a = 1, b = 2.4.
  const BgNbd at_one({0.24, 4.4, 1, 2.4});
  CHECK(at_one.expected_purchases(39) == Approx(1.0708086679226452843).epsilon(1e-9));
  CHECK(at_one.conditional_expected_purchases(39, 2, 30, 38) == Approx(1.1219634521653675963).epsilon(1e-9));
  // Across the switch between quadrature (|a − 1| < 1e-4) and the closed form the values are
  // continuous: the slope in a is about −0.5, so a step of 2e-6 moves them by about 1e-6.
  const BgNbd below({0.24, 4.4, 1 - 0.99e-4, 2.4});
  const BgNbd above({0.24, 4.4, 1 - 1.01e-4, 2.4});
  CHECK(below.expected_purchases(39) == Approx(above.expected_purchases(39)).epsilon(1e-5));
  CHECK(below.conditional_expected_purchases(39, 2, 30, 38) ==
        Approx(above.conditional_expected_purchases(39, 2, 30, 38)).epsilon(1e-5));
}

TEST_CASE("BG/NBD stays finite at the edges: x = 0, t_x = T, x = 1500, tiny and huge parameters",
          "[clv][bgnbd]") {
  const BgNbd& m = published();
  // x = 1500 with t_x = T (references by mpmath): LL, P(alive), E[Y(10)].
  CHECK(m.log_likelihood(1500, 38.86, 38.86) == Approx(3810.5537775502113147).epsilon(1e-13));
  CHECK(m.probability_alive(1500, 38.86, 38.86) == Approx(0.99947218075023425349).epsilon(1e-13));
  CHECK(m.conditional_expected_purchases(10, 1500, 38.86, 38.86) ==
        Approx(318.57449132879339452).epsilon(1e-10));
  // x = 1500 with a last purchase 0.86 weeks ago: almost surely gone.
  CHECK(m.log_likelihood(1500, 38, 38.86) == Approx(3833.1224867187610147).epsilon(1e-13));
  CHECK(m.probability_alive(1500, 38, 38.86) == Approx(1.5787190696110954364e-10).epsilon(1e-8));
  CHECK(m.conditional_expected_purchases(10, 1500, 38, 38.86) >= 0);
  // Huge parameters (references by mpmath).
  const BgNbd huge({1e8, 1e8, 1e8, 1e8});
  CHECK(huge.expected_purchases(10) == Approx(1.9865241130708220491).epsilon(1e-10));
  CHECK(huge.conditional_expected_purchases(10, 2, 5, 10) == Approx(0.013295513602508683884).epsilon(1e-10));
  CHECK(huge.log_likelihood(2, 5, 10) == Approx(-6.3795789807233116163).epsilon(1e-12));
  CHECK(huge.probability_of_purchases(2, 10) == Approx(0.25044264819349579326).epsilon(1e-12));
  CHECK(huge.probability_alive(2, 5, 10) == Approx(0.0066928528189811287411).epsilon(1e-12));
  // A horizon far beyond α (quadrature, with p ≈ ½ ± 4e-5): each customer makes about 1/p = 2
  // purchases before dropping out.
  CHECK(huge.expected_purchases(1e12) == Approx(2).epsilon(1e-3));
  // Tiny parameters: p ~ Beta(1e-8, 1e-8) puts half the customers at p ≈ 0 (never dropping out,
  // E = r·t/α = 10) and half at p ≈ 1 (gone after their first purchase, E ≈ 0), so E[X(10)] ≈ 5;
  // a customer with x = 2 has p ≈ 0 a posteriori: E[Y(10)] = (r + x)·t/(α + T) = 2.
  const BgNbd tiny({1e-8, 1e-8, 1e-8, 1e-8});
  CHECK(tiny.expected_purchases(10) == Approx(5).epsilon(1e-6));
  CHECK(tiny.conditional_expected_purchases(10, 2, 5, 10) == Approx(2).epsilon(1e-6));
  CHECK(tiny.log_likelihood(2, 5, 10) == Approx(-23.718998279733061431).epsilon(1e-12));
  CHECK(tiny.probability_of_purchases(2, 10) == Approx(2.500000463081584249e-9).epsilon(1e-8));
  // Probabilities stay in [0, 1] over a grid, x = 0 included.
  for (double x = 0; x <= 100; x += 10) {
    for (double t_x = 0; t_x <= 100; t_x += 10) {
      for (double T = std::max(t_x, 1.0); T <= 100; T += 10) {
        const double p = m.probability_alive(x, x == 0 ? 0 : t_x, T);
        REQUIRE(p >= 0);
        REQUIRE(p <= 1);
      }
    }
  }
}

TEST_CASE("BG/NBD likelihood gradient equals central differences", "[clv][bgnbd]") {
  const SummaryData cdnow = read_cdnow_summary();
  const auto rows = compress(cdnow.view()).rows;
  const auto problem = crmkit::analytics::clv::detail::bgnbd_problem(rows, 1);
  REQUIRE(problem.analytic_gradient);
  for (const std::vector<double>& at :
       {std::vector<double>{0.2426, 4.4135, 0.7929, 2.4259}, std::vector<double>{2, 0.5, 3, 0.7},
        std::vector<double>{0.05, 30, 0.2, 9}}) {
    std::vector<double> gradient(4);
    const double value = problem.log_likelihood(at, gradient);
    CHECK(value ==
          Approx(BgNbd({at[0], at[1], at[2], at[3]}).total_log_likelihood(cdnow.view())).epsilon(1e-12));
    for (std::size_t i = 0; i < 4; ++i) {
      std::vector<double> up = at;
      std::vector<double> down = at;
      const double step = 1e-6 * at[i];
      up[i] += step;
      down[i] -= step;
      const double numeric = (problem.log_likelihood(up, {}) - problem.log_likelihood(down, {})) / (2 * step);
      INFO("parameter " << i << " at r = " << at[0]);
      CHECK(gradient[i] == Approx(numeric).epsilon(1e-6).margin(1e-4));
    }
  }
}

TEST_CASE("BG/NBD likelihood sum and fit do not depend on the thread count", "[clv][bgnbd]") {
  // Enough distinct rows (exact times) for several chunks of the likelihood sum.
  SimulationOptions options;
  options.customers = 20000;
  options.T = 52;
  options.T_spread = 26;
  options.seed = 7;
  const SummaryData data = simulate(BgNbd({0.3, 5, 0.8, 2.5}), options);
  const auto rows = compress(data.view()).rows;
  REQUIRE(rows.size() > 16384);
  const std::vector<double> at{0.3, 5, 0.8, 2.5};
  std::vector<double> g1(4);
  const double one = crmkit::analytics::clv::detail::bgnbd_problem(rows, 1).log_likelihood(at, g1);
  for (const unsigned threads : {2U, 3U}) {
    std::vector<double> g(4);
    CHECK(crmkit::analytics::clv::detail::bgnbd_problem(rows, threads).log_likelihood(at, g) == one);
    CHECK(g == g1);
  }
  FitOptions fit_options;
  fit_options.threads = 1;
  const auto fit1 = fit_transaction_model(Model::bgnbd, data.view(), fit_options);
  fit_options.threads = 3;
  const auto fit3 = fit_transaction_model(Model::bgnbd, data.view(), fit_options);
  CHECK(fit1.result.parameters == fit3.result.parameters);
  CHECK(fit1.result.log_likelihood == fit3.result.log_likelihood);
  CHECK(fit1.result.standard_errors == fit3.result.standard_errors);
}

TEST_CASE("BG/NBD recovers the parameters of 100,000 simulated customers", "[clv][bgnbd]") {
  // Day-grained times in weeks, customers acquired over 26 weeks: within 3 standard errors.
  const BgNbd truth({0.25, 4, 0.8, 2.5});
  SimulationOptions options;
  options.customers = 100000;
  options.T = 52;
  options.T_spread = 26;
  options.grain = 1.0 / 7;
  options.seed = 2024;
  const SummaryData data = simulate(truth, options);
  const auto fit = fit_transaction_model(Model::bgnbd, data.view());
  REQUIRE(fit.result.converged);
  REQUIRE(fit.result.standard_errors.size() == 4);
  const auto expected = truth.parameters();
  for (std::size_t i = 0; i < 4; ++i) {
    INFO(fit.result.parameter_names[i] << " = " << fit.result.parameters[i] << " ± "
                                       << fit.result.standard_errors[i]);
    CHECK(std::abs(fit.result.parameters[i] - expected[i]) < 3 * fit.result.standard_errors[i]);
  }
}

TEST_CASE("BG/NBD fits of degenerate data fail clearly or stay finite", "[clv][bgnbd]") {
  // Nobody came back: the purchase rate cannot be estimated.
  const SummaryData zeros{{0, 0, 0}, {0, 0, 0}, {5, 6, 7}, {}};
  try {
    (void)fit_transaction_model(Model::bgnbd, zeros.view());
    FAIL("expected a FitError");
  } catch (const FitError& error) {
    CHECK(std::string(error.what()).find("bgnbd") != std::string::npos);
    CHECK(std::string(error.what()).find("repeat purchase") != std::string::npos);
  }
  // One customer, and all customers alike: finite estimates (a boundary fit says so), never NaN.
  for (const SummaryData& data :
       {SummaryData{{2}, {3}, {5}, {}}, SummaryData{{1, 1, 1}, {2, 2, 2}, {4, 4, 4}, {}}}) {
    try {
      const auto fit = fit_transaction_model(Model::bgnbd, data.view());
      for (const double p : fit.result.parameters) CHECK(std::isfinite(p));
      CHECK(std::isfinite(fit.result.log_likelihood));
      for (const double e : fit.result.standard_errors) CHECK(std::isfinite(e));
      if (fit.result.standard_errors.empty()) CHECK_FALSE(fit.result.standard_error_note.empty());
    } catch (const FitError& error) {
      CHECK(std::string(error.what()).find("bgnbd") != std::string::npos);
    }
  }
}

TEST_CASE("BG/NBD rejects bad parameters and histories, naming the field", "[clv][bgnbd]") {
  require_invalid([] { BgNbd({0, 1, 1, 1}); }, "r", "0", "> 0");
  require_invalid([] { BgNbd({1, -1, 1, 1}); }, "alpha", "-1");
  require_invalid([] { BgNbd({1, 1, std::nan(""), 1}); }, "a", "nan");
  require_invalid([] { BgNbd({1, 1, 1, std::numeric_limits<double>::infinity()}); }, "b", "inf");
  const BgNbd& m = published();
  require_invalid([&] { (void)m.log_likelihood(1.5, 1, 2); }, "x", "1.5", "whole number");
  require_invalid([&] { (void)m.probability_alive(1, 3, 2); }, "t_x", "3", "[0, T]");
  require_invalid([&] { (void)m.probability_alive(0, 1, 2); }, "t_x", "1", "0 when x is 0");
  require_invalid([&] { (void)m.conditional_expected_purchases(1, 1, 1, 0); }, "T", "0", "> 0");
  require_invalid([&] { (void)m.conditional_expected_purchases(-1, 1, 1, 2); }, "t", "-1", ">= 0");
  require_invalid([&] { (void)m.expected_purchases(std::nan("")); }, "t", "nan");
  require_invalid([&] { (void)m.probability_of_purchases(-1, 2); }, "n", "-1", ">= 0");
}
