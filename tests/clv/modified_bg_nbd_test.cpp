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
// The likelihood handed to the optimizer (an internal interface), tested for its gradient.
#include "../../src/analytics/clv/problems.hpp"

using crmkit::analytics::clv::compress;
using crmkit::analytics::clv::fit_transaction_model;
using crmkit::analytics::clv::FitOptions;
using crmkit::analytics::clv::Model;
using crmkit::analytics::clv::ModifiedBgNbd;
using crmkit::analytics::clv::simulate;
using crmkit::analytics::clv::SimulationOptions;
using crmkit::analytics::clv::SummaryData;
using crmkit::test::read_cdnow_summary;
using crmkit::test::require_invalid;

namespace {

// lifetimes' test_params_out_is_close_to_BTYDplus (a peer value: BTYDplus's MBG/NBD fit of CDNOW).
const ModifiedBgNbd& peer() {
  static const ModifiedBgNbd model({0.525, 6.183, 0.891, 1.614});
  return model;
}

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

TEST_CASE("MBG/NBD on CDNOW matches lifetimes' and BTYDplus's estimates", "[clv][mbgnbd]") {
  // Peer values (not a publication): lifetimes' tests expect r = 0.525, α = 6.183, a = 0.891,
  // b = 1.614 to 3 decimals, from BTYDplus (github.com/mplatzer/BTYDplus).
  const SummaryData cdnow = read_cdnow_summary();
  const auto fit = fit_transaction_model(Model::mbgnbd, cdnow.view());
  const auto& p = fit.result.parameters;
  CHECK(p[0] == Approx(0.525).margin(0.0005));
  CHECK(p[1] == Approx(6.183).margin(0.0005));
  CHECK(p[2] == Approx(0.891).margin(0.0005));
  CHECK(p[3] == Approx(1.614).margin(0.0005));
  CHECK(fit.result.converged);
  CHECK(fit.result.model == Model::mbgnbd);
  CHECK(fit.model->model() == Model::mbgnbd);
  // Slightly better than BG/NBD's −9582.43 on the same data, as Batislam et al. report for theirs.
  CHECK(fit.result.log_likelihood == Approx(-9582.13).margin(0.01));
  REQUIRE(fit.result.standard_errors.size() == 4);
  for (const double e : fit.result.standard_errors) CHECK(e > 0);
}

TEST_CASE("MBG/NBD expressions match 40-digit references", "[clv][mbgnbd]") {
  // mpmath at 40 digits: E[X(t)] as the quadrature ∫ Beta(p; a, b)·(1 − p)/p·(1 − (α/(α + p·t))^r) dp
  // (equal to lifetimes' b/(a − 1)·(1 − ₂F₁(r, b + 1; a + b; z)(α/(α + t))^r)), E[Y] as P(alive)
  // times the quadrature under Beta(a, b + x + 1) and Gamma(r + x, α + T) (Wagner & Hoppe 2008),
  // the log-likelihood and P(alive) as lifetimes' ModifiedBetaGeoFitter writes them.
  const ModifiedBgNbd& m = peer();
  CHECK(m.expected_purchases(1) == Approx(0.053084795263701838189).epsilon(1e-12));
  CHECK(m.expected_purchases(39) == Approx(1.1829536655971726405).epsilon(1e-12));
  CHECK(m.expected_purchases(78) == Approx(1.8047575775531416551).epsilon(1e-12));
  CHECK(m.conditional_expected_purchases(39, 2, 30.43, 38.86) ==
        Approx(1.2629606232673656765).epsilon(1e-12));
  CHECK(m.conditional_expected_purchases(39, 0, 0, 38.86) == Approx(0.15401274667514667952).epsilon(1e-12));
  CHECK(m.probability_alive(2, 30.43, 38.86) == Approx(0.70620226511848727576).epsilon(1e-14));
  CHECK(m.probability_alive(0, 0, 38.86) == Approx(0.38973508091876290083).epsilon(1e-14));
  CHECK(m.log_likelihood(2, 30.43, 38.86) == Approx(-9.4855513145339315392).epsilon(1e-14));
  CHECK(m.log_likelihood(0, 0, 38.86) == Approx(-0.53983746353101455604).epsilon(1e-14));
  CHECK(m.probability_of_purchases(0, 39) == Approx(0.58247318949328896996).epsilon(1e-13));
  CHECK(m.probability_of_purchases(1, 39) == Approx(0.1827830772875405111).epsilon(1e-13));
  CHECK(m.probability_of_purchases(2, 39) == Approx(0.086894825673490519206).epsilon(1e-13));
  CHECK(m.probability_of_purchases(5, 39) == Approx(0.01938732355357034983).epsilon(1e-13));
}

TEST_CASE("MBG/NBD hand-worked values with r = alpha = a = b = 1", "[clv][mbgnbd]") {
  const ModifiedBgNbd m({1, 1, 1, 1});
  // x = 0, T = 1, in lifetimes' form A1 + A2 + A3 + ln(1 + e^A4): A1 = 0,
  // A2 = lnΓ(2) + lnΓ(2) − lnΓ(1) − lnΓ(3) = −ln 2, A3 = −ln 2, A4 = ln 1 − ln 1 + (ln 2 − ln 1) = ln 2:
  // LL = −2 ln 2 + ln 3 = ln(3/4).
  CHECK(m.log_likelihood(0, 0, 1) == Approx(std::log(3.0 / 4.0)).epsilon(1e-15));
  // P(alive | x = 0, t_x = 0, T) = 1/(1 + a/b · ((α + T)/α)^r) = 1/(1 + 2) at T = 1.
  CHECK(m.probability_alive(0, 0, 1) == Approx(1.0 / 3.0).epsilon(1e-15));
  // t_x = T: 1/(1 + a/(b + x)) = (1 + x)/(2 + x).
  CHECK(m.probability_alive(3, 4, 4) == Approx(0.8).epsilon(1e-15));
  // P(X(t) = 0) = B(a, b + 1)/B(a, b)·(α/(α + t))^r + B(a + 1, b)/B(a, b) = ½·½ + ½ at t = 1.
  CHECK(m.probability_of_purchases(0, 1) == Approx(0.75).epsilon(1e-15));
  CHECK(m.probability_of_purchases(0, 0) == 1.0);
  CHECK(m.expected_purchases(0) == 0.0);
}

TEST_CASE("MBG/NBD closed forms agree with lifetimes' series form and with P(X(t) = n)", "[clv][mbgnbd]") {
  const ModifiedBgNbd& m = peer();
  const double r = 0.525, alpha = 6.183, a = 0.891, b = 1.614;
  // lifetimes' conditional expectation with ₂F₁(r + x, b + x + 1; a + b + x; z) summed directly.
  const double x = 4, t_x = 25, T = 36, t = 12;
  const double z = t / (alpha + T + t);
  const double numerator =
      (a + b + x) / (a - 1) *
      (1 - series_2f1(r + x, b + x + 1, a + b + x, z) * std::pow((alpha + T) / (alpha + T + t), r + x));
  const double denominator = 1 + a / (b + x) * std::pow((alpha + T) / (alpha + t_x), r + x);
  CHECK(m.conditional_expected_purchases(t, x, t_x, T) == Approx(numerator / denominator).epsilon(1e-12));
  // lifetimes' E[X(t)] = b/(a − 1)·(1 − ₂F₁(r, b + 1; a + b; t/(α + t))·(α/(α + t))^r).
  const double zt = t / (alpha + t);
  CHECK(m.expected_purchases(t) ==
        Approx(b / (a - 1) * (1 - series_2f1(r, b + 1, a + b, zt) * std::pow(alpha / (alpha + t), r)))
            .epsilon(1e-12));
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

TEST_CASE("MBG/NBD stays finite at the edges: a = 1, x = 1500, tiny and huge parameters", "[clv][mbgnbd]") {
  // References by mpmath (40 digits).
  const ModifiedBgNbd at_one({0.5, 6, 1, 1.6});
  CHECK(at_one.expected_purchases(39) == Approx(1.0514338621820603017).epsilon(1e-9));
  CHECK(at_one.conditional_expected_purchases(39, 2, 30, 38) == Approx(1.2141908184049734583).epsilon(1e-9));
  const ModifiedBgNbd& m = peer();
  CHECK(m.log_likelihood(1500, 38.86, 38.86) == Approx(3751.8205519752649261).epsilon(1e-13));
  CHECK(m.probability_alive(1500, 38.86, 38.86) == Approx(0.99940699032615532061).epsilon(1e-13));
  CHECK(m.conditional_expected_purchases(10, 1500, 38.86, 38.86) ==
        Approx(304.01566665317773463).epsilon(1e-10));
  const ModifiedBgNbd huge({1e8, 1e8, 1e8, 1e8});
  CHECK(huge.expected_purchases(10) == Approx(0.99326206133327262885).epsilon(1e-10));
  CHECK(huge.conditional_expected_purchases(10, 2, 5, 10) == Approx(0.013295513798796732173).epsilon(1e-10));
  CHECK(huge.log_likelihood(2, 5, 10) == Approx(-7.0727261612163283982).epsilon(1e-12));
  CHECK(huge.probability_of_purchases(2, 10) == Approx(0.1252213240995853931).epsilon(1e-12));
  CHECK(huge.probability_alive(2, 5, 10) == Approx(0.0066928528854617134731).epsilon(1e-12));
  const ModifiedBgNbd tiny({1e-8, 1e-8, 1e-8, 1e-8});
  CHECK(tiny.log_likelihood(2, 5, 10) == Approx(-23.718998304733060592).epsilon(1e-12));
  CHECK(tiny.probability_of_purchases(2, 10) == Approx(2.4999999574999993783e-9).epsilon(1e-8));
  CHECK(tiny.probability_alive(2, 5, 10) == Approx(0.99999998000000040137).epsilon(1e-14));
  // As for BG/NBD, a customer with x = 2 has p ≈ 0 a posteriori: E[Y(10)] = (r + x)·t/(α + T) = 2.
  CHECK(tiny.conditional_expected_purchases(10, 2, 5, 10) == Approx(2).epsilon(1e-6));
  CHECK(std::isfinite(tiny.expected_purchases(10)));
  // Unlike BG/NBD, silent customers are not all alive, and P(alive) stays a probability.
  CHECK(m.probability_alive(0, 0, 1) < 1.0);
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

TEST_CASE("MBG/NBD likelihood gradient equals central differences", "[clv][mbgnbd]") {
  const SummaryData cdnow = read_cdnow_summary();
  const auto rows = compress(cdnow.view()).rows;
  const auto problem = crmkit::analytics::clv::detail::mbgnbd_problem(rows, 1);
  REQUIRE(problem.analytic_gradient);
  for (const std::vector<double>& at :
       {std::vector<double>{0.525, 6.183, 0.891, 1.614}, std::vector<double>{2, 0.5, 3, 0.7},
        std::vector<double>{0.05, 30, 0.2, 9}}) {
    std::vector<double> gradient(4);
    const double value = problem.log_likelihood(at, gradient);
    CHECK(value == Approx(ModifiedBgNbd({at[0], at[1], at[2], at[3]}).total_log_likelihood(cdnow.view()))
                       .epsilon(1e-12));
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

TEST_CASE("MBG/NBD recovers the parameters of simulated customers", "[clv][mbgnbd]") {
  const ModifiedBgNbd truth({0.5, 6, 0.9, 1.6});
  SimulationOptions options;
  options.customers = 50000;
  options.T = 52;
  options.T_spread = 26;
  options.grain = 1.0 / 7;
  options.seed = 99;
  const SummaryData data = simulate(truth, options);
  FitOptions fit_options;
  fit_options.threads = 2;
  const auto fit = fit_transaction_model(Model::mbgnbd, data.view(), fit_options);
  REQUIRE(fit.result.standard_errors.size() == 4);
  const auto expected = truth.parameters();
  for (std::size_t i = 0; i < 4; ++i) {
    INFO(fit.result.parameter_names[i] << " = " << fit.result.parameters[i] << " ± "
                                       << fit.result.standard_errors[i]);
    CHECK(std::abs(fit.result.parameters[i] - expected[i]) < 3 * fit.result.standard_errors[i]);
  }
}

TEST_CASE("MBG/NBD rejects bad parameters and histories, naming the field", "[clv][mbgnbd]") {
  require_invalid([] { ModifiedBgNbd({1, 1, 0, 1}); }, "a", "0", "> 0");
  require_invalid([] { ModifiedBgNbd({1, 1, 1, -3}); }, "b", "-3");
  const ModifiedBgNbd& m = peer();
  require_invalid([&] { (void)m.log_likelihood(-1, 0, 2); }, "x", "-1");
  require_invalid([&] { (void)m.probability_alive(2, 2.5, 2); }, "t_x", "2.5");
  require_invalid(
      [&] { (void)m.conditional_expected_purchases(std::numeric_limits<double>::infinity(), 1, 1, 2); }, "t",
      "inf");
  require_invalid([&] { (void)m.probability_of_purchases(-2, 1); }, "n", "-2");
}
