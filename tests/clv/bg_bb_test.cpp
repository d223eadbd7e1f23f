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

using crmkit::analytics::clv::BgBb;
using crmkit::analytics::clv::fit_transaction_model;
using crmkit::analytics::clv::FitOptions;
using crmkit::analytics::clv::Model;
using crmkit::analytics::clv::SimulationOptions;
using crmkit::analytics::clv::simulate;
using crmkit::analytics::clv::SummaryData;
using crmkit::test::read_donations;
using crmkit::test::require_invalid;
using crmkit::test::significant;

namespace {

// Fader, Hardie & Shang (2010)'s estimates on the donation data.
const BgBb& paper_model() {
  static const BgBb model({1.204, 0.750, 0.657, 2.783});
  return model;
}

}  // namespace

TEST_CASE("BG/BB closed forms: hand-worked values with uniform p and theta", "[clv][bgbb]") {
  // α = β = γ = δ = 1: p and θ uniform. One opportunity, no transaction: gone before it (E[θ] = 1/2)
  // or alive without buying (E[1−θ] E[1−p] = 1/4): L = 3/4 (FHS eq. 7).
  const BgBb model({1, 1, 1, 1});
  CHECK(model.log_likelihood(0, 0, 1) == Approx(std::log(0.75)).epsilon(1e-15));
  // P(alive at 2) = E[(1−θ)^2 (1−p)] / L = (1/3)(1/2)/(3/4) = 2/9 (eq. 11).
  CHECK(model.probability_alive(0, 0, 1) == Approx(2.0 / 9.0).epsilon(1e-14));
  // Next opportunity: E[(1−θ)^2 (1−p) p] / L = (1/3)(1/6)/(3/4) = 2/27 (eq. 13).
  CHECK(model.conditional_expected_purchases(1, 0, 0, 1) == Approx(2.0 / 27.0).epsilon(1e-14));
  // E[X(1)] = E[p] E[1−θ] = 1/4; E[X(2)] = E[p] (E[1−θ] + E[(1−θ)^2]) = 1/2 (1/2 + 1/3) = 5/12 (eq. 9,
  // at γ = 1 where it is a limit).
  CHECK(model.expected_purchases(1) == Approx(0.25).epsilon(1e-15));
  CHECK(model.expected_purchases(2) == Approx(5.0 / 12.0).epsilon(1e-15));
  CHECK(model.expected_purchases(0) == 0);
  // P(X(1) = 1) = E[(1−θ) p] = 1/4, P(X(1) = 0) = 3/4 (eq. 8).
  CHECK(model.probability_of_purchases(1, 1) == Approx(0.25).epsilon(1e-15));
  CHECK(model.probability_of_purchases(0, 1) == Approx(0.75).epsilon(1e-15));
  CHECK(model.probability_of_purchases(2, 1) == 0);
  CHECK(model.probability_of_purchases(0, 0) == 1);
}

TEST_CASE("BG/BB reproduces Fader, Hardie & Shang (2010) on the donation data", "[clv][bgbb]") {
  // FHS 2010 (Marketing Science 29(6)): α = 1.204, β = 0.750, γ = 0.657, δ = 2.783, LL = −33,225.6;
  // BTYD's vignette prints 1.203507, 0.7497667, 0.6567568, 2.783887 and LL = −33225.58.
  const SummaryData donations = read_donations();
  REQUIRE(donations.size() == 22);
  CHECK(paper_model().total_log_likelihood(donations.view()) == Approx(-33225.6).margin(0.1));

  const auto fit = fit_transaction_model(Model::bgbb, donations.view());
  const auto& result = fit.result;
  REQUIRE(result.parameters.size() == 4);
  CHECK(result.parameter_names == std::vector<std::string>{"alpha", "beta", "gamma", "delta"});
  CHECK(significant(result.parameters[0], 4) == Approx(1.204));
  CHECK(significant(result.parameters[1], 3) == Approx(0.750));
  CHECK(significant(result.parameters[2], 3) == Approx(0.657));
  CHECK(significant(result.parameters[3], 4) == Approx(2.783));
  CHECK(result.parameters[0] == Approx(1.203507).epsilon(1e-4));
  CHECK(result.parameters[1] == Approx(0.7497667).epsilon(1e-4));
  CHECK(result.parameters[2] == Approx(0.6567568).epsilon(1e-4));
  CHECK(result.parameters[3] == Approx(2.783887).epsilon(1e-3));
  CHECK(result.log_likelihood == Approx(-33225.58).margin(0.01));
  CHECK(result.converged);
  CHECK(result.customers == 11104);
  CHECK(result.distinct_rows == 22);
  REQUIRE(result.standard_errors.size() == 4);
  for (const double se : result.standard_errors) CHECK((std::isfinite(se) && se > 0));

  // Hardie's BG/BB spreadsheet (note 010), as lifetimes' tests cite it: of 11,104 donors, 3,454.9
  // expected with no repeat donation in 6 years and 1,253.1 with 6 (In-Sample Fit, C18 and C24);
  // 12,884.2 donations expected from all of them in the next 5 years (Conditional Expectations (II)).
  const auto& model = *fit.model;
  CHECK(11104 * model.probability_of_purchases(0, 6) == Approx(3454.9).margin(0.5));
  CHECK(11104 * model.probability_of_purchases(6, 6) == Approx(1253.1).margin(0.5));
  double next_five_years = 0;
  for (std::size_t i = 0; i < donations.size(); ++i) {
    next_five_years += donations.weights[i] * model.conditional_expected_purchases(5, donations.frequency[i],
                                                                                     donations.recency[i], donations.T[i]);
  }
  CHECK(next_five_years == Approx(12884.2).margin(0.5));
}

TEST_CASE("BG/BB P(alive in 2002) matches FHS 2010's Table 6", "[clv][bgbb]") {
  // Table 6 (lifetimes' test_prob_alive_is_close_to_Hardie_paper_table_6): last donation in 1995
  // (x = 0), 1999 with 2 repeats, 2001 with 6: 0.11, 0.59, 0.93. To 12 digits: mpmath's value of
  // eq. 11 at 40 digits.
  const BgBb& model = paper_model();
  CHECK(model.probability_alive(0, 0, 6) == Approx(0.11).margin(0.005));
  CHECK(model.probability_alive(2, 4, 6) == Approx(0.59).margin(0.005));
  CHECK(model.probability_alive(6, 6, 6) == Approx(0.93).margin(0.005));
  CHECK(model.probability_alive(0, 0, 6) == Approx(0.10801658416867419098).epsilon(1e-12));
  CHECK(model.probability_alive(2, 4, 6) == Approx(0.58951411643369788046).epsilon(1e-12));
  CHECK(model.probability_alive(6, 6, 6) == Approx(0.93040254237288135253).epsilon(1e-12));
}

TEST_CASE("BG/BB expressions match 40-digit references, edges included", "[clv][bgbb]") {
  // mpmath at 40 digits: eq. 7 summed term by term; eq. 13 as Σ_(t=n+1)^(n+n*) of
  // B(α+x+1, β+n−x)/B(α,β) · B(γ, δ+t)/B(γ,δ) / L; eq. 9 as E[p] Σ_(t=1)^n B(γ, δ+t)/B(γ,δ).
  const BgBb& model = paper_model();
  CHECK(model.log_likelihood(0, 0, 6) == Approx(-1.167262472673893726).epsilon(1e-13));
  CHECK(model.log_likelihood(1, 1, 6) == Approx(-2.2885316856662579571).epsilon(1e-13));
  CHECK(model.log_likelihood(3, 6, 6) == Approx(-5.8093720794354341098).epsilon(1e-13));
  CHECK(model.conditional_expected_purchases(5, 0, 0, 6) == Approx(0.072802877475043007098).epsilon(1e-12));
  CHECK(model.conditional_expected_purchases(5, 2, 4, 6) == Approx(1.0573489419096805202).epsilon(1e-12));
  CHECK(model.conditional_expected_purchases(5, 6, 6, 6) == Approx(3.7521156075998147157).epsilon(1e-12));
  CHECK(model.expected_purchases(1) == Approx(0.49849027635619241239).epsilon(1e-13));
  CHECK(model.expected_purchases(6) == Approx(2.2196313934872987618).epsilon(1e-13));
  CHECK(model.expected_purchases(1000) == Approx(31.203076823414678613).epsilon(1e-12));

  // Tiny and huge parameters, n = 1000 with x = 500 (a likelihood near e^-634).
  struct Case {
    BgBb::Parameters p;
    double x, t_x, n, ll, alive, next7;
  };
  const std::vector<Case> cases = {
      {{1e-3, 1e-3, 1e-3, 1e-3}, 3, 5, 10, -13.821364812601249374, 0.99327591701226306693, 2.0856569741165659293},
      {{1e3, 1e3, 1e3, 1e3}, 20, 40, 50, -55.497972478808930867, 9.4132490650033739927e-7, 9.5207744066209234427e-7},
      {{0.5, 2, 1.0, 3}, 500, 900, 1000, -634.17657382783553889, 1.5397088622127226511e-30, 5.3649083275493156987e-30},
      {{2, 0.5, 0.3, 1e4}, 0, 0, 200, -9.6671820401909689687, 0.29139543071502995084, 0.020144079966607028446},
      {{1.204, 0.75, 1.0, 2.783}, 2, 4, 6, -5.3742906731595471954, 0.4709730458137766535, 1.0423436079852193753},
  };
  for (const Case& c : cases) {
    INFO("alpha " << c.p.alpha << " beta " << c.p.beta << " gamma " << c.p.gamma << " delta " << c.p.delta << " x "
                  << c.x << " t_x " << c.t_x << " n " << c.n);
    const BgBb m(c.p);
    CHECK(m.log_likelihood(c.x, c.t_x, c.n) == Approx(c.ll).epsilon(1e-12));
    CHECK(m.probability_alive(c.x, c.t_x, c.n) == Approx(c.alive).epsilon(1e-10));
    CHECK(m.conditional_expected_purchases(7, c.x, c.t_x, c.n) == Approx(c.next7).epsilon(1e-10));
  }
}

TEST_CASE("BG/BB eq. 9 and eq. 13 stay finite and continuous at gamma = 1", "[clv][bgbb]") {
  // δ/(γ−1) · [1 − Γ(γ+δ)Γ(1+δ+n)/(Γ(1+δ)Γ(γ+δ+n))] is 0/0 at γ = 1; its limit (mpmath, summed
  // form at γ = 1): E[X(6)] = 1.7767175290766637256, E[X(1000)] = 9.8060687862669704704.
  const auto at = [](double gamma, double n) { return BgBb({1.204, 0.75, gamma, 2.783}).expected_purchases(n); };
  CHECK(at(1, 6) == Approx(1.7767175290766637256).epsilon(1e-13));
  CHECK(at(1, 1000) == Approx(9.8060687862669704704).epsilon(1e-12));
  for (const double n : {6.0, 1000.0, 100000.0}) {
    INFO("n " << n);
    const double limit = at(1, n);
    CHECK(std::isfinite(limit));
    for (const double d : {1e-12, 1e-8, 1e-5, 1e-3}) {
      // The derivative by γ is of order E[X(n)] · log n: a step d moves the value by about that.
      CHECK(at(1 + d, n) == Approx(limit).epsilon(20 * d + 1e-12));
      CHECK(at(1 - d, n) == Approx(limit).epsilon(20 * d + 1e-12));
      CHECK(at(1 + d, n) < limit);  // a larger γ means earlier dropout
      CHECK(at(1 - d, n) > limit);
    }
  }
  // Eq. 13 the same way: x = 2, t_x = 4, n = 6 and the next 7 (mpmath: 1.0423436079852193753).
  const auto next = [](double gamma) {
    return BgBb({1.204, 0.75, gamma, 2.783}).conditional_expected_purchases(7, 2, 4, 6);
  };
  CHECK(next(1) == Approx(1.0423436079852193753).epsilon(1e-12));
  CHECK(next(1 + 1e-9) == Approx(next(1)).epsilon(1e-8));
  CHECK(next(1 - 1e-9) == Approx(next(1)).epsilon(1e-8));
}

TEST_CASE("BG/BB P(X(n) = x) sums to 1 over x and its mean is E[X(n)]", "[clv][bgbb]") {
  for (const double n : {1.0, 6.0, 200.0}) {
    for (const auto& p : {BgBb::Parameters{1.204, 0.75, 0.657, 2.783}, BgBb::Parameters{0.5, 2, 1, 3},
                          BgBb::Parameters{20, 0.1, 5, 0.2}}) {
      const BgBb model(p);
      double total = 0;
      double mean = 0;
      for (std::int64_t x = 0; x <= static_cast<std::int64_t>(n); ++x) {
        const double probability = model.probability_of_purchases(x, n);
        CHECK((probability >= 0 && probability <= 1));
        total += probability;
        mean += static_cast<double>(x) * probability;
      }
      CHECK(total == Approx(1).epsilon(1e-12));
      CHECK(mean == Approx(model.expected_purchases(n)).epsilon(1e-11));
    }
  }
  // mpmath, 40 digits.
  CHECK(BgBb({0.5, 2, 1.0, 3}).probability_of_purchases(17, 200) == Approx(0.0018648134399299032636).epsilon(1e-11));
  CHECK(BgBb({0.5, 2, 1.0, 3}).probability_of_purchases(0, 200) == Approx(0.63837460901250005602).epsilon(1e-12));
  CHECK(paper_model().probability_of_purchases(0, 6) * 11104 == Approx(3455.761821).epsilon(1e-9));
}

TEST_CASE("BG/BB likelihood gradient equals central differences", "[clv][bgbb]") {
  SummaryData rows = read_donations();
  rows.frequency.push_back(40);  // a long history too
  rows.recency.push_back(90);
  rows.T.push_back(100);
  rows.weights.push_back(3);
  const auto problem = crmkit::analytics::clv::detail::bgbb_problem(rows, 1);
  CHECK(problem.analytic_gradient);
  CHECK(problem.customers == 11107);
  CHECK(problem.default_initial == std::vector<double>{1, 1, 1, 1});
  const std::vector<std::vector<double>> points = {
      {1.204, 0.75, 0.657, 2.783}, {1, 1, 1, 1}, {0.01, 5, 30, 0.2}, {200, 300, 0.05, 0.05}};
  for (const auto& theta : points) {
    INFO("theta " << theta[0] << " " << theta[1] << " " << theta[2] << " " << theta[3]);
    std::vector<double> gradient(4);
    const double ll = problem.log_likelihood(theta, gradient);
    REQUIRE(std::isfinite(ll));
    CHECK(problem.log_likelihood(theta, {}) == Approx(ll).epsilon(1e-14));
    for (std::size_t k = 0; k < 4; ++k) {
      const double h = 1e-6;  // in log θ_k, as the optimizer sees it
      std::vector<double> up = theta;
      std::vector<double> down = theta;
      up[k] *= std::exp(h);
      down[k] *= std::exp(-h);
      const double numeric = (problem.log_likelihood(up, {}) - problem.log_likelihood(down, {})) / (2 * h);
      CHECK(theta[k] * gradient[k] == Approx(numeric).epsilon(1e-6).margin(1e-7 * std::abs(ll)));
    }
  }
  CHECK(std::isnan(problem.log_likelihood(std::vector<double>{1, 0, 1, 1}, {})));
}

TEST_CASE("BG/BB likelihood sum and fit do not depend on the thread count", "[clv][bgbb]") {
  // n = 60 opportunities: 1,100-odd distinct (x, t_x) patterns, two chunks of the sum.
  SimulationOptions options;
  options.customers = 12000;
  options.T = 60;
  options.seed = 5;
  const SummaryData data = simulate(BgBb({1.2, 0.8, 0.6, 2.8}), options);
  const auto compressed = crmkit::analytics::clv::compress(data.view());
  REQUIRE(compressed.rows.size() > 1024);
  const std::vector<double> theta = {1.1, 0.9, 0.7, 2.5};
  std::vector<double> g1(4);
  const double ll1 = crmkit::analytics::clv::detail::bgbb_problem(compressed.rows, 1).log_likelihood(theta, g1);
  for (const unsigned threads : {2U, 3U}) {
    std::vector<double> g(4);
    CHECK(crmkit::analytics::clv::detail::bgbb_problem(compressed.rows, threads).log_likelihood(theta, g) == ll1);
    CHECK(g == g1);
  }
  FitOptions one;
  one.threads = 1;
  one.standard_errors = false;
  FitOptions three = one;
  three.threads = 3;
  CHECK(fit_transaction_model(Model::bgbb, data.view(), one).result.parameters ==
        fit_transaction_model(Model::bgbb, data.view(), three).result.parameters);
}

TEST_CASE("BG/BB recovers simulated parameters and its predictions match simulated means", "[clv][bgbb]") {
  const BgBb truth({1.2, 0.8, 0.6, 2.8});
  SimulationOptions options;
  options.customers = 100000;
  options.T = 6;
  options.seed = 77;
  const SummaryData data = simulate(truth, options);
  const auto fit = fit_transaction_model(Model::bgbb, data.view());
  REQUIRE(fit.result.standard_errors.size() == 4);
  const std::vector<double> expected = truth.parameters();
  for (std::size_t k = 0; k < 4; ++k) {
    INFO(fit.result.parameter_names[k] << " = " << fit.result.parameters[k] << " ± " << fit.result.standard_errors[k]);
    CHECK(std::abs(fit.result.parameters[k] - expected[k]) < 4 * fit.result.standard_errors[k]);
  }
  // The share of each x and the mean x estimate P(X(6) = x) and E[X(6)] (standard errors < 0.002
  // and ~0.007 with 100,000 customers).
  std::vector<double> share(7, 0.0);
  double mean = 0;
  for (const double x : data.frequency) {
    share[static_cast<std::size_t>(x)] += 1.0 / static_cast<double>(data.size());
    mean += x / static_cast<double>(data.size());
  }
  CHECK(mean == Approx(truth.expected_purchases(6)).margin(0.03));
  for (std::int64_t x = 0; x <= 6; ++x) {
    CHECK(share[static_cast<std::size_t>(x)] == Approx(truth.probability_of_purchases(x, 6)).margin(0.008));
  }
}

TEST_CASE("BG/BB rejects bad parameters and non-whole or inconsistent histories", "[clv][bgbb]") {
  require_invalid([] { (void)BgBb({0, 1, 1, 1}); }, "alpha", "0", "> 0");
  require_invalid([] { (void)BgBb({1, -1, 1, 1}); }, "beta", "-1", "> 0");
  require_invalid([] { (void)BgBb({1, 1, std::nan(""), 1}); }, "gamma", "nan", "finite");
  require_invalid([] { (void)BgBb({1, 1, 1, std::numeric_limits<double>::infinity()}); }, "delta", "inf");
  const BgBb& model = paper_model();
  require_invalid([&] { (void)model.log_likelihood(1.5, 2, 6); }, "x", "1.5", "whole number");
  require_invalid([&] { (void)model.log_likelihood(1, 2.5, 6); }, "t_x", "2.5", "whole number");
  require_invalid([&] { (void)model.probability_alive(1, 2, 6.5); }, "n", "6.5", "whole number");
  require_invalid([&] { (void)model.probability_alive(1, 7, 6); }, "t_x", "7", "must not exceed n");
  require_invalid([&] { (void)model.probability_alive(3, 2, 6); }, "x", "3", "must not exceed t_x");
  require_invalid([&] { (void)model.probability_alive(0, 2, 6); }, "t_x", "2", "0 when x is 0");
  require_invalid([&] { (void)model.conditional_expected_purchases(2.5, 1, 2, 6); }, "n_star", "2.5", "whole number");
  require_invalid([&] { (void)model.expected_purchases(-1); }, "n", "-1", ">= 0");
  require_invalid([&] { (void)model.probability_of_purchases(-1, 6); }, "x", "-1", ">= 0");
  require_invalid([&] { (void)model.probability_of_purchases(1, 0.5); }, "n", "0.5", "whole number");
  // The summary's discrete rules apply to fits too.
  SummaryData bad = read_donations();
  bad.recency[3] = 2.5;
  require_invalid([&] { (void)fit_transaction_model(Model::bgbb, bad.view()); }, "recency[3]", "2.5", "whole number");
  CHECK(model.parameters() == std::vector<double>{1.204, 0.750, 0.657, 2.783});
  CHECK(model.parameter_names() == std::vector<std::string>{"alpha", "beta", "gamma", "delta"});
  CHECK(model.model() == Model::bgbb);
  CHECK(model.conditional_expected_purchases(0, 2, 4, 6) == 0);
}
