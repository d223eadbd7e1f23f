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
// The likelihood handed to the optimizer (an internal interface), tested here for its gradient and
// its independence of the thread count.
#include "../../src/analytics/clv/problems.hpp"

using crmkit::analytics::clv::compress;
using crmkit::analytics::clv::fit_transaction_model;
using crmkit::analytics::clv::FitOptions;
using crmkit::analytics::clv::Model;
using crmkit::analytics::clv::ParetoNbd;
using crmkit::analytics::clv::SimulationOptions;
using crmkit::analytics::clv::simulate;
using crmkit::analytics::clv::SummaryData;
using crmkit::test::read_cdnow_summary;
using crmkit::test::require_invalid;
using crmkit::test::significant;

namespace {

// The estimates of Fader, Hardie & Lee (2005), "A note on deriving the Pareto/NBD model and
// related expressions", on the CDNOW sample.
const ParetoNbd& note_model() {
  static const ParetoNbd model({0.5534, 10.5802, 0.6061, 11.6562});
  return model;
}

struct Case {
  double r, alpha, s, beta, x, t_x, T, expected;
};

}  // namespace

TEST_CASE("Pareto/NBD log-likelihood: hand-worked value with alpha = beta", "[clv][paretonbd]") {
  // r = s = 1, α = β = 1, x = 0, t_x = 0, T = 1 (FHL note, eq. 18 with the integral written out):
  //   L = (α+T)^-(r+x) (β+T)^-s + s ∫_0^1 (1+τ)^-1 (1+τ)^-2 dτ = 1/4 + [1/2 − 1/8] = 5/8.
  const ParetoNbd model({1, 1, 1, 1});
  CHECK(model.log_likelihood(0, 0, 1) == Approx(std::log(5.0 / 8.0)).epsilon(1e-15));
  // x = 1, t_x = T = 2: only the alive term, Γ(2)/Γ(1) · 3^-2 · 3^-1 = 1/27.
  CHECK(model.log_likelihood(1, 2, 2) == Approx(-std::log(27.0)).epsilon(1e-15));
}

TEST_CASE("Pareto/NBD log-likelihood matches a 40-digit quadrature of FHL's eq. 18, edges included",
          "[clv][paretonbd]") {
  // Reference: mpmath at 40 digits, Γ(r+x) α^r β^s/Γ(r) · [(α+T)^-(r+x)(β+T)^-s
  // + s ∫_{t_x}^T (α+τ)^-(r+x) (β+τ)^-(s+1) dτ] with the integral by tanh-sinh quadrature.
  const std::vector<Case> cases = {
      {0.55, 10.58, 0.61, 11.67, 0, 0, 39, -0.5174814046193432687},  // x = 0, α < β
      {1, 1e-3, 1, 1e3, 0, 0, 40, -10.272904499247370846},           // α << β: z near 1
      {0.5, 1e-3, 0.7, 1e3, 3, 2, 40, -12.698497175827729778},
      {1, 1e3, 1, 1e-3, 0, 0, 40, -1.0519053882670197717e-05},       // α >> β: z near 1
      {0.5, 1e3, 0.7, 1e-3, 3, 2, 40, -25.455178046871827303},
      {0.55, 10.58, 0.61, 11.67, 1000, 30, 39, 2196.3187705479375818},  // large x
      {0.55, 10.58, 0.61, 11.67, 1000, 39, 39, 2003.2067945767906231},  // large x, t_x = T
      {1e-4, 1e-4, 1e-4, 1e-4, 3, 2, 5, -13.347093496750704543},        // tiny, α = β
      {1e4, 1e5, 1e3, 1e6, 5, 10, 20, -13.515586734965218332},          // huge
      {10.465, 7.98565181e-03, 3.0516, 2.820, 400, 5, 6, 1323.1889309678175712},  // lifetimes' overflow case
      {10.465, 7.98565181e-03, 3.0516, 2.820, 500, 1, 37, 2594.4044546227566745},
      {0.5, 5, 0.6, 100, 2, 1, 50, -7.6959253047263959136},
      {0.5, 100, 0.6, 5, 2, 1, 50, -10.011769189414150761},
      {2, 7, 3, 7, 4, 3, 9, -7.2761472815605363783},
      {0.3, 1e-8, 0.2, 1e8, 0, 0, 1, -5.5262042253285737094},
      {0.001, 0.001, 0.001, 1000, 0, 0, 100, -0.0115128377746924272},
      {0.8, 2, 1.0, 1e6, 10, 20, 30, -22.39141696873041773},
  };
  for (const Case& c : cases) {
    INFO("r " << c.r << " alpha " << c.alpha << " s " << c.s << " beta " << c.beta << " x " << c.x << " t_x "
              << c.t_x << " T " << c.T);
    const double ll = ParetoNbd({c.r, c.alpha, c.s, c.beta}).log_likelihood(c.x, c.t_x, c.T);
    // Relative 1e-12, or absolute 1e-12 near 0 (lgamma(r+x) − lgamma(r) for r = 1e4 costs ~1e-12).
    CHECK(std::abs(ll - c.expected) <= 1e-12 * std::max(1.0, std::abs(c.expected)));
  }
  // Where α and β meet, the two series (α >= β and α < β) agree.
  const double below = ParetoNbd({0.7, 5 * (1 - 1e-12), 0.9, 5}).log_likelihood(3, 4, 12);
  const double above = ParetoNbd({0.7, 5 * (1 + 1e-12), 0.9, 5}).log_likelihood(3, 4, 12);
  CHECK(below == Approx(above).epsilon(1e-11));
}

TEST_CASE("Pareto/NBD reproduces FHL 2005's note on CDNOW: parameters and log-likelihood", "[clv][paretonbd]") {
  // Fader, Hardie & Lee (2005), "A note on deriving the Pareto/NBD model and related expressions"
  // (also BTYD's vignette): r = 0.5534, α = 10.5802, s = 0.6061, β = 11.6562, LL = −9594.98.
  const SummaryData cdnow = read_cdnow_summary();
  CHECK(note_model().total_log_likelihood(cdnow.view()) == Approx(-9594.98).margin(0.01));

  const auto fit = fit_transaction_model(Model::paretonbd, cdnow.view());
  const auto& result = fit.result;
  REQUIRE(result.parameters.size() == 4);
  CHECK(result.parameter_names == std::vector<std::string>{"r", "alpha", "s", "beta"});
  CHECK(significant(result.parameters[0], 3) == Approx(0.553));
  CHECK(significant(result.parameters[1], 3) == Approx(10.6));
  CHECK(significant(result.parameters[2], 3) == Approx(0.606));
  CHECK(significant(result.parameters[3], 3) == Approx(11.7));
  CHECK(result.log_likelihood == Approx(-9594.98).margin(0.01));
  CHECK(result.converged);
  CHECK(result.customers == 2357);
  CHECK(result.distinct_rows < 2357);
  REQUIRE(result.standard_errors.size() == 4);
  for (const double se : result.standard_errors) CHECK((std::isfinite(se) && se > 0));
  CHECK(fit.model->model() == Model::paretonbd);

  // The same data in days: r and s unchanged, α and β in days (7 times larger).
  SummaryData days = cdnow;
  for (double& v : days.recency) v *= 7;
  for (double& v : days.T) v *= 7;
  const auto in_days = fit_transaction_model(Model::paretonbd, days.view());
  CHECK(in_days.result.parameters[0] == Approx(result.parameters[0]).epsilon(1e-4));
  CHECK(in_days.result.parameters[1] == Approx(7 * result.parameters[1]).epsilon(1e-4));
  CHECK(in_days.result.parameters[2] == Approx(result.parameters[2]).epsilon(1e-4));
  CHECK(in_days.result.parameters[3] == Approx(7 * result.parameters[3]).epsilon(1e-4));
}

TEST_CASE("Pareto/NBD predictions match BTYD's vignette and lifetimes' tests", "[clv][paretonbd]") {
  const ParetoNbd& model = note_model();
  // BTYD walkthrough (cited by lifetimes' test_conditional_probability_alive): customer 1516,
  // x = 26, t_x = 30.86, T = 31: P(alive) = 0.9979, 25.46 purchases expected in the next 52 weeks.
  CHECK(model.probability_alive(26, 30.86, 31) == Approx(0.9979).margin(0.0005));
  CHECK(model.conditional_expected_purchases(52, 26, 30.86, 31) == Approx(25.46).margin(0.01));
  // The same to 12 digits against mpmath (FHL note eqs. 36-37 and 41 at 40 digits).
  CHECK(model.probability_alive(26, 30.86, 31) == Approx(0.997917766551906624).epsilon(1e-12));
  CHECK(model.conditional_expected_purchases(52, 26, 30.86, 31) == Approx(25.454913511499723536).epsilon(1e-12));
  CHECK(model.probability_alive(0, 0, 39) == Approx(0.29414223925153292522).epsilon(1e-12));
  CHECK(model.conditional_expected_purchases(39, 0, 0, 39) == Approx(0.10647429360026565675).epsilon(1e-12));
  // x = 1000 purchases long ago: P(alive) ~ 1e-84, no underflow to NaN.
  CHECK(model.probability_alive(1000, 30, 39) == Approx(1.3664154508525763923e-84).epsilon(1e-9));
  CHECK(model.conditional_expected_purchases(10, 1000, 30, 39) == Approx(2.6079982051944116593e-82).epsilon(1e-9));
  CHECK(ParetoNbd({0.3, 1e-3, 0.7, 1e3}).conditional_expected_purchases(20, 3, 2, 40) ==
        Approx(0.12418982399226291289).epsilon(1e-12));
  CHECK(ParetoNbd({2, 7, 3.5, 7}).probability_alive(4, 3, 9) == Approx(0.030622037449815519477).epsilon(1e-12));
}

TEST_CASE("Pareto/NBD closed forms: hand-worked expectations, s = 1, t_x = T", "[clv][paretonbd]") {
  // FHL note eq. 27: E[X(t)] = r β/(α(s−1)) [1 − (β/(β+t))^(s−1)].
  // r = 2, α = 4, s = 2, β = 2, t = 2: 2·2/4 · (1 − 2/4) = 0.5.
  CHECK(ParetoNbd({2, 4, 2, 2}).expected_purchases(2) == Approx(0.5).epsilon(1e-15));
  // s = 1 is the limit r β/α · ln(1 + t/β) = 1 · ln 2.
  CHECK(ParetoNbd({2, 4, 1, 2}).expected_purchases(2) == Approx(std::log(2.0)).epsilon(1e-15));
  // ... and s = 1 ± 1e-12 stays next to it (no 0/0).
  CHECK(ParetoNbd({2, 4, 1 + 1e-12, 2}).expected_purchases(2) == Approx(std::log(2.0)).epsilon(1e-11));
  CHECK(ParetoNbd({2, 4, 1 - 1e-12, 2}).expected_purchases(2) == Approx(std::log(2.0)).epsilon(1e-11));
  CHECK(ParetoNbd({2, 4, 2, 2}).expected_purchases(0) == 0);

  // A purchase at T means alive for sure; then eq. 41 is (r+x)(β+T)/((α+T)(s−1)) [1 − ((β+T)/(β+T+t))^(s−1)]:
  // r = 2, α = 4, s = 2, β = 2, x = 3, t_x = T = 6, t = 8: 5·8/10 · (1 − 8/16) = 2.
  const ParetoNbd model({2, 4, 2, 2});
  CHECK(model.probability_alive(3, 6, 6) == Approx(1).epsilon(1e-15));
  CHECK(model.conditional_expected_purchases(8, 3, 6, 6) == Approx(2).epsilon(1e-14));
  CHECK(model.conditional_expected_purchases(0, 3, 6, 6) == 0);
  // A brand-new customer (T → 0) expects what the population does.
  CHECK(note_model().conditional_expected_purchases(52, 0, 0, 1e-9) ==
        Approx(note_model().expected_purchases(52)).epsilon(1e-8));
}

TEST_CASE("Pareto/NBD P(alive) is a probability that falls with silence, rises with a recent purchase",
          "[clv][paretonbd]") {
  const ParetoNbd& model = note_model();
  double previous = 1;
  for (double T = 2; T <= 100; T += 7) {
    const double p = model.probability_alive(2, 1, T);
    CHECK((p >= 0 && p <= 1));
    CHECK(p < previous);
    previous = p;
  }
  // A recent purchase makes a customer more likely alive; the same silence after many purchases
  // less likely (the frequent buyer would have bought again).
  CHECK(model.probability_alive(5, 38, 39) > model.probability_alive(5, 30, 39));
  CHECK(model.probability_alive(5, 30, 39) < model.probability_alive(1, 30, 39));
  // Extreme parameters (lifetimes' overflow test) stay in [0, 1] and finite.
  const ParetoNbd extreme({10.465, 7.98565181e-03, 3.0516, 2.820});
  for (const double x : {40.0, 50.0, 400.0}) {
    for (const double t_x : {1.0, 4.0, 5.0}) {
      const double p = extreme.probability_alive(x, t_x, 37);
      CHECK((std::isfinite(p) && p >= 0 && p <= 1));
    }
  }
}

TEST_CASE("Pareto/NBD P(X(t) = n): hand value, quadrature references, sums to 1, mean E[X(t)]", "[clv][paretonbd]") {
  // r = s = 1, α = β = 1, t = 1: P(X = 0) = (1/2)^2 + ∫_0^1 (1+y)^-1 (1+y)^-2 dy = 1/4 + 3/8 = 5/8.
  CHECK(ParetoNbd({1, 1, 1, 1}).probability_of_purchases(0, 1) == Approx(0.625).epsilon(1e-12));
  // mpmath, 40 digits: NB(n; t)(β/(β+t))^s + ∫_0^t NB(n; y) s β^s (β+y)^-(s+1) dy.
  const ParetoNbd& model = note_model();
  CHECK(model.probability_of_purchases(0, 39) == Approx(0.59357593702822906428).epsilon(1e-11));
  CHECK(model.probability_of_purchases(1, 39) == Approx(0.16558437956850139306).epsilon(1e-11));
  CHECK(model.probability_of_purchases(5, 39) == Approx(0.0214873983794361392).epsilon(1e-11));
  CHECK(model.probability_of_purchases(30, 39) == Approx(0.000018936630713773557802).epsilon(1e-10));
  CHECK(ParetoNbd({2, 1e-3, 1, 1e3}).probability_of_purchases(50, 10) == Approx(1.4967673441576582014e-6).epsilon(1e-10));
  CHECK(ParetoNbd({0.3, 100, 3, 0.01}).probability_of_purchases(3, 500) ==
        Approx(2.5898429768442540108e-12).epsilon(1e-10));
  CHECK(ParetoNbd({5, 0.5, 0.2, 20}).probability_of_purchases(200, 20) == Approx(0.0039392243381988408407).epsilon(1e-10));

  double total = 0;
  double mean = 0;
  for (std::int64_t n = 0; n < 400; ++n) {
    const double p = model.probability_of_purchases(n, 39);
    CHECK((p >= 0 && p <= 1));
    total += p;
    mean += static_cast<double>(n) * p;
  }
  CHECK(total == Approx(1).epsilon(1e-10));
  CHECK(mean == Approx(model.expected_purchases(39)).epsilon(1e-9));
  CHECK(model.probability_of_purchases(0, 0) == 1);
  CHECK(model.probability_of_purchases(3, 0) == 0);
}

TEST_CASE("Pareto/NBD likelihood gradient equals central differences, series and quadrature paths",
          "[clv][paretonbd]") {
  SummaryData rows;
  rows.frequency = {0, 1, 3, 7, 40, 1000, 2};
  rows.recency = {0, 2.5, 10, 30, 38, 39, 0.5};
  rows.T = {39, 39, 12, 35, 39, 39, 50};
  rows.weights = {10, 3, 1, 2, 1, 1, 5};
  const auto problem = crmkit::analytics::clv::detail::paretonbd_problem(rows, 1);
  CHECK(problem.analytic_gradient);
  CHECK(problem.parameter_names == std::vector<std::string>{"r", "alpha", "s", "beta"});
  CHECK(problem.customers == 23);
  // Parameters where α ≈ β (z ≈ 0), α > β and α < β moderately (series), and far apart (quadrature).
  const std::vector<std::vector<double>> points = {
      {0.55, 10.58, 0.61, 11.67}, {0.7, 30, 1.3, 2}, {2, 1, 0.4, 25}, {0.3, 1e-3, 0.8, 1e3}, {1.5, 1e3, 0.2, 1e-2},
      {1e-3, 5, 1e-3, 5}, {50, 100, 20, 300}};
  for (const auto& theta : points) {
    INFO("theta " << theta[0] << " " << theta[1] << " " << theta[2] << " " << theta[3]);
    std::vector<double> gradient(4);
    const double ll = problem.log_likelihood(theta, gradient);
    REQUIRE(std::isfinite(ll));
    CHECK(problem.log_likelihood(theta, {}) == Approx(ll).epsilon(1e-14));
    for (std::size_t k = 0; k < 4; ++k) {
      // Derivative by log θ_k (what the optimizer sees), from central differences with step 1e-6.
      const double h = 1e-6;
      std::vector<double> up = theta;
      std::vector<double> down = theta;
      up[k] *= std::exp(h);
      down[k] *= std::exp(-h);
      const double numeric = (problem.log_likelihood(up, {}) - problem.log_likelihood(down, {})) / (2 * h);
      CHECK(theta[k] * gradient[k] == Approx(numeric).epsilon(1e-6).margin(1e-6 * (1 + std::abs(ll))));
    }
  }
  // Outside the domain: NaN, not an exception.
  CHECK(std::isnan(problem.log_likelihood(std::vector<double>{0.5, -1, 1, 1}, {})));
  CHECK(std::isnan(problem.log_likelihood(std::vector<double>{0.5, std::numeric_limits<double>::infinity(), 1, 1}, {})));
}

TEST_CASE("Pareto/NBD likelihood sum and fit do not depend on the thread count", "[clv][paretonbd]") {
  SimulationOptions options;
  options.customers = 12000;
  options.T = 52;
  options.T_spread = 26;
  options.grain = 1.0 / 7;
  options.seed = 11;
  const SummaryData data = simulate(ParetoNbd({0.6, 8, 0.7, 12}), options);
  const auto compressed = compress(data.view());
  REQUIRE(compressed.rows.size() > 4096);  // several chunks of the likelihood sum
  const std::vector<double> theta = {0.5, 9, 0.8, 10};
  std::vector<double> g1(4);
  const double ll1 = crmkit::analytics::clv::detail::paretonbd_problem(compressed.rows, 1).log_likelihood(theta, g1);
  for (const unsigned threads : {2U, 3U}) {
    std::vector<double> g(4);
    const double ll = crmkit::analytics::clv::detail::paretonbd_problem(compressed.rows, threads).log_likelihood(theta, g);
    CHECK(ll == ll1);
    CHECK(g == g1);
  }
  FitOptions one;
  one.threads = 1;
  one.standard_errors = false;
  FitOptions three = one;
  three.threads = 3;
  CHECK(fit_transaction_model(Model::paretonbd, data.view(), one).result.parameters ==
        fit_transaction_model(Model::paretonbd, data.view(), three).result.parameters);
}

TEST_CASE("Pareto/NBD recovers simulated parameters and its predictions match simulated means", "[clv][paretonbd]") {
  const ParetoNbd truth({0.6, 8, 0.7, 12});
  SimulationOptions options;
  options.customers = 60000;
  options.T = 52;
  options.grain = 1.0 / 7;
  options.seed = 2024;
  const SummaryData data = simulate(truth, options);
  const auto fit = fit_transaction_model(Model::paretonbd, data.view());
  REQUIRE(fit.result.standard_errors.size() == 4);
  const std::vector<double> expected = truth.parameters();
  for (std::size_t k = 0; k < 4; ++k) {
    INFO(fit.result.parameter_names[k] << " = " << fit.result.parameters[k] << " ± " << fit.result.standard_errors[k]);
    CHECK(std::abs(fit.result.parameters[k] - expected[k]) < 4 * fit.result.standard_errors[k]);
  }
  // Everyone observed for T = 52 weeks (no grain on x): the mean purchases and the share with none
  // estimate E[X(52)] and P(X(52) = 0); 60,000 customers give standard errors ~0.01 and ~0.002.
  double mean = 0;
  double zeros = 0;
  for (const double x : data.frequency) {
    mean += x;
    zeros += x == 0 ? 1 : 0;
  }
  mean /= static_cast<double>(data.size());
  zeros /= static_cast<double>(data.size());
  CHECK(mean == Approx(truth.expected_purchases(52)).margin(0.05));
  CHECK(zeros == Approx(truth.probability_of_purchases(0, 52)).margin(0.01));
}

TEST_CASE("Pareto/NBD rejects bad parameters and histories, naming the field", "[clv][paretonbd]") {
  require_invalid([] { (void)ParetoNbd({0, 1, 1, 1}); }, "r", "0", "> 0");
  require_invalid([] { (void)ParetoNbd({1, -2, 1, 1}); }, "alpha", "-2", "> 0");
  require_invalid([] { (void)ParetoNbd({1, 1, std::nan(""), 1}); }, "s", "nan", "finite");
  require_invalid([] { (void)ParetoNbd({1, 1, 1, std::numeric_limits<double>::infinity()}); }, "beta", "inf", "finite");
  const ParetoNbd& model = note_model();
  require_invalid([&] { (void)model.log_likelihood(2, 40, 39); }, "t_x", "40");
  require_invalid([&] { (void)model.log_likelihood(-1, 0, 39); }, "x", "-1");
  require_invalid([&] { (void)model.probability_alive(1, 1, 0); }, "T", "0", "> 0");
  require_invalid([&] { (void)model.conditional_expected_purchases(-1, 1, 1, 2); }, "t", "-1", ">= 0");
  require_invalid([&] { (void)model.expected_purchases(std::nan("")); }, "t", "nan");
  require_invalid([&] { (void)model.probability_of_purchases(-1, 2); }, "n", "-1", ">= 0");
  CHECK(model.parameters() == std::vector<double>{0.5534, 10.5802, 0.6061, 11.6562});
  CHECK(model.parameter_names() == std::vector<std::string>{"r", "alpha", "s", "beta"});
  CHECK(model.model() == Model::paretonbd);
}
