#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "crmkit/analytics/clv/gamma_gamma.hpp"
#include "crmkit/analytics/clv/models.hpp"
#include "crmkit/analytics/clv/simulate.hpp"
#include "crmkit/analytics/clv/transaction_model.hpp"
#include "support/validation_matchers.hpp"

using crmkit::analytics::clv::BgBb;
using crmkit::analytics::clv::BgNbd;
using crmkit::analytics::clv::fit_gamma_gamma;
using crmkit::analytics::clv::fit_transaction_model;
using crmkit::analytics::clv::FitResult;
using crmkit::analytics::clv::GammaGamma;
using crmkit::analytics::clv::Model;
using crmkit::analytics::clv::ModifiedBgNbd;
using crmkit::analytics::clv::ParetoNbd;
using crmkit::analytics::clv::simulate;
using crmkit::analytics::clv::simulate_spend;
using crmkit::analytics::clv::SimulationOptions;
using crmkit::analytics::clv::SpendData;
using crmkit::analytics::clv::SummaryData;
using crmkit::analytics::clv::TransactionModel;
using crmkit::test::require_invalid;

namespace {

SimulationOptions options(std::size_t customers, double T, std::uint64_t seed, double spread = 0, double grain = 0) {
  SimulationOptions o;
  o.customers = customers;
  o.T = T;
  o.T_spread = spread;
  o.grain = grain;
  o.seed = seed;
  return o;
}

struct Moments {
  double mean = 0;
  double standard_error = 0;  // of the mean
};

Moments moments(const std::vector<double>& values) {
  double sum = 0;
  for (const double v : values) sum += v;
  const double n = static_cast<double>(values.size());
  const double mean = sum / n;
  double squares = 0;
  for (const double v : values) squares += (v - mean) * (v - mean);
  return {mean, std::sqrt(squares / (n - 1) / n)};
}

// The simulated distribution of x against the model's own P(X(T) = k) and E[X(T)]: every
// customer observed for the same T, so the counts are draws from exactly those probabilities.
// Each check allows 4 standard errors.
void check_counts_match_model(const TransactionModel& model, const SummaryData& data, double T, std::int64_t up_to) {
  const double n = static_cast<double>(data.size());
  const Moments x = moments(data.frequency);
  INFO(std::string(to_string(model.model())) << ": mean x " << x.mean << " ± " << x.standard_error
                                              << ", E[X(T)] " << model.expected_purchases(T));
  CHECK(std::abs(x.mean - model.expected_purchases(T)) < 4 * x.standard_error);
  for (std::int64_t k = 0; k <= up_to; ++k) {
    double count = 0;
    for (const double v : data.frequency) count += v == static_cast<double>(k) ? 1 : 0;
    const double p = model.probability_of_purchases(k, T);
    INFO("P(X = " << k << "): simulated " << count / n << ", model " << p);
    CHECK(std::abs(count / n - p) < 4 * std::sqrt(p * (1 - p) / n) + 1e-12);
  }
}

// Every row is a valid summary row; with a grain, t_x and T lie on it. (Violations are counted,
// not checked one by one: a hundred thousand assertions would dominate the test's time.)
void check_rows(const SummaryData& data, const SimulationOptions& o, bool discrete) {
  REQUIRE(data.size() == o.customers);
  CHECK(data.weights.empty());
  CHECK_NOTHROW(data.view().validate(discrete));
  std::size_t outside = 0;
  std::size_t off_grid = 0;
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (data.T[i] > o.T || data.T[i] < o.T - o.T_spread - (o.grain > 0 ? o.grain / 2 : 0.0)) ++outside;
    if (o.grain > 0) {
      const double T_steps = data.T[i] / o.grain;
      const double t_steps = data.recency[i] / o.grain;
      if (std::abs(T_steps - std::round(T_steps)) > 1e-9 || std::abs(t_steps - std::round(t_steps)) > 1e-9) {
        ++off_grid;
      }
    }
  }
  CHECK(outside == 0);
  CHECK(off_grid == 0);
}

// The fit recovers each parameter within 3 standard errors.
void check_recovered(const FitResult& result, const std::vector<double>& truth) {
  REQUIRE(result.parameters.size() == truth.size());
  REQUIRE(result.standard_errors.size() == truth.size());
  CHECK(result.converged);
  for (std::size_t k = 0; k < truth.size(); ++k) {
    INFO(result.parameter_names[k] << ": estimate " << result.parameters[k] << " ± " << result.standard_errors[k]
                                   << ", truth " << truth[k]);
    CHECK(std::abs(result.parameters[k] - truth[k]) < 3 * result.standard_errors[k]);
  }
}

const BgNbd bgnbd({0.25, 4.0, 0.8, 2.5});
const ModifiedBgNbd mbgnbd({0.25, 4.0, 0.8, 2.5});
const ParetoNbd paretonbd({0.55, 10.5, 0.6, 11.7});
const BgBb bgbb({1.2, 0.75, 0.66, 2.78});

}  // namespace

TEST_CASE("Simulators are determined by the seed", "[clv][simulate]") {
  const SimulationOptions a = options(10000, 52, 42, 20, 1.0 / 7);
  SimulationOptions b = a;
  b.seed = 43;
  const auto same = [](const SummaryData& u, const SummaryData& v) {
    return u.frequency == v.frequency && u.recency == v.recency && u.T == v.T;
  };
  CHECK(same(simulate(bgnbd, a), simulate(bgnbd, a)));
  CHECK_FALSE(same(simulate(bgnbd, a), simulate(bgnbd, b)));
  CHECK(same(simulate(mbgnbd, a), simulate(mbgnbd, a)));
  CHECK_FALSE(same(simulate(mbgnbd, a), simulate(mbgnbd, b)));
  CHECK(same(simulate(paretonbd, a), simulate(paretonbd, a)));
  CHECK_FALSE(same(simulate(paretonbd, a), simulate(paretonbd, b)));
  const SimulationOptions discrete = options(10000, 6, 42, 2);
  SimulationOptions other = discrete;
  other.seed = 43;
  CHECK(same(simulate(bgbb, discrete), simulate(bgbb, discrete)));
  CHECK_FALSE(same(simulate(bgbb, discrete), simulate(bgbb, other)));
  // A prefix of the customers does not depend on how many follow (each block of customers has
  // its own stream), nor on the threads that drew them.
  const SummaryData small = simulate(bgnbd, options(5000, 52, 42, 20, 1.0 / 7));
  const SummaryData large = simulate(bgnbd, a);
  CHECK(std::vector<double>(large.frequency.begin(), large.frequency.begin() + 4096) ==
        std::vector<double>(small.frequency.begin(), small.frequency.begin() + 4096));

  const std::vector<double> x{1, 2, 3, 10};
  const GammaGamma spend_model({6.25, 3.74, 15.44});
  CHECK(simulate_spend(spend_model, x, 7).monetary_value == simulate_spend(spend_model, x, 7).monetary_value);
  CHECK(simulate_spend(spend_model, x, 7).monetary_value != simulate_spend(spend_model, x, 8).monetary_value);
  // Nobody: no rows.
  CHECK(simulate(bgnbd, options(0, 52, 1)).size() == 0);
  CHECK(simulate_spend(spend_model, {}, 1).frequency.empty());
}

TEST_CASE("Simulators reject invalid options, naming the field", "[clv][simulate]") {
  require_invalid([] { (void)simulate(bgnbd, options(10, 0, 1)); }, "T", "0", "> 0");
  require_invalid([] { (void)simulate(bgnbd, options(10, std::nan(""), 1)); }, "T", "nan", "> 0");
  require_invalid([] { (void)simulate(paretonbd, options(10, 52, 1, 52)); }, "T_spread", "52", "T_spread < T");
  require_invalid([] { (void)simulate(mbgnbd, options(10, 52, 1, -1)); }, "T_spread", "-1", "0 <= T_spread");
  require_invalid([] { (void)simulate(bgnbd, options(10, 52, 1, 0, -0.5)); }, "grain", "-0.5", ">= 0");
  require_invalid([] { (void)simulate(bgbb, options(10, 6.5, 1)); }, "T", "6.5", "whole number");
  require_invalid([] { (void)simulate(bgbb, options(10, 6, 1, 1.5)); }, "T_spread", "1.5", "whole number");
  const GammaGamma spend_model({6.25, 3.74, 15.44});
  const std::vector<double> zero{1, 0};
  const std::vector<double> fraction{1.5};
  require_invalid([&] { (void)simulate_spend(spend_model, zero, 1); }, "frequency[1]", "0", "whole number >= 1");
  require_invalid([&] { (void)simulate_spend(spend_model, fraction, 1); }, "frequency[0]", "1.5", "whole number >= 1");
}

TEST_CASE("Simulated BG/NBD and MBG/NBD counts follow the models' own distributions", "[clv][simulate]") {
  // 100,000 customers observed 52 weeks: mean x against E[X(52)], and P(x = k) for k = 0..3.
  const SimulationOptions o = options(100000, 52, 2024);
  const SummaryData bg = simulate(bgnbd, o);
  check_rows(bg, o, false);
  check_counts_match_model(bgnbd, bg, 52, 3);
  const SummaryData mbg = simulate(mbgnbd, o);
  check_rows(mbg, o, false);
  check_counts_match_model(mbgnbd, mbg, 52, 3);
  // MBG/NBD customers may leave right after the first purchase: fewer repeat purchases.
  CHECK(moments(mbg.frequency).mean < moments(bg.frequency).mean);
  // Recency: buyers' last purchases lie inside the window, after the first purchase.
  std::size_t misplaced = 0;
  for (std::size_t i = 0; i < bg.size(); ++i) {
    if (bg.frequency[i] > 0 && !(bg.recency[i] > 0 && bg.recency[i] <= 52)) ++misplaced;
  }
  CHECK(misplaced == 0);
}

TEST_CASE("Simulated Pareto/NBD and BG/BB counts follow the models' own distributions", "[clv][simulate]") {
  const SimulationOptions o = options(100000, 52, 77);
  const SummaryData pareto = simulate(paretonbd, o);
  check_rows(pareto, o, false);
  check_counts_match_model(paretonbd, pareto, 52, 3);
  // BG/BB over 6 opportunities: the whole distribution of x.
  const SimulationOptions d = options(100000, 6, 78);
  const SummaryData bb = simulate(bgbb, d);
  check_rows(bb, d, true);
  check_counts_match_model(bgbb, bb, 6, 6);
  std::size_t impossible = 0;
  for (std::size_t i = 0; i < bb.size(); ++i) {
    // x transactions need x opportunities, the last of them at t_x.
    if (bb.recency[i] < bb.frequency[i] || bb.T[i] != 6) ++impossible;
  }
  CHECK(impossible == 0);
}

TEST_CASE("Staggered and day-grained simulations stay on the grid and keep the mean", "[clv][simulate]") {
  // T uniform on [32, 52] weeks, times in whole days: the mean x is E[X(T)] averaged over T
  // (Simpson's rule on 200 panels; rounding to days moves no purchase in or out of the window).
  const SimulationOptions o = options(100000, 52, 5, 20, 1.0 / 7);
  const SummaryData bg = simulate(bgnbd, o);
  check_rows(bg, o, false);
  const auto average = [](const TransactionModel& model, double lo, double hi) {
    const int panels = 200;
    const double h = (hi - lo) / panels;
    double sum = model.expected_purchases(lo) + model.expected_purchases(hi);
    for (int k = 1; k < panels; ++k) sum += (k % 2 == 1 ? 4 : 2) * model.expected_purchases(lo + k * h);
    return sum * h / 3 / (hi - lo);
  };
  const Moments x = moments(bg.frequency);
  CHECK(std::abs(x.mean - average(bgnbd, 32, 52)) < 4 * x.standard_error);
  const SummaryData pareto = simulate(paretonbd, o);
  check_rows(pareto, o, false);
  const Moments y = moments(pareto.frequency);
  CHECK(std::abs(y.mean - average(paretonbd, 32, 52)) < 4 * y.standard_error);
  // BG/BB with whole T between 4 and 6.
  const SimulationOptions d = options(30000, 6, 6, 2);
  const SummaryData bb = simulate(bgbb, d);
  check_rows(bb, d, true);
  const Moments z = moments(bb.frequency);
  const double expected =
      (bgbb.expected_purchases(4) + bgbb.expected_purchases(5) + bgbb.expected_purchases(6)) / 3;
  CHECK(std::abs(z.mean - expected) < 4 * z.standard_error);
}

TEST_CASE("Simulated spend has the Gamma-Gamma mean", "[clv][simulate]") {
  // E[z̄] = pγ/(q − 1) = 6·15/3 = 30 whatever x; z̄ → the customer's own mean p/ν as x grows, so
  // its spread across customers shrinks towards sd(p/ν) = p·γ/((q−1)·√(q−2)) = 30/√2 = 21.2.
  const GammaGamma model({6, 4, 15});
  for (const double x : {1.0, 5.0, 50.0}) {
    const std::vector<double> frequency(100000, x);
    const SpendData spend = simulate_spend(model, frequency, 9);
    REQUIRE(spend.monetary_value.size() == frequency.size());
    CHECK(spend.frequency == frequency);
    CHECK(spend.rows[99999] == 99999);
    const Moments m = moments(spend.monetary_value);
    INFO("x = " << x << ": mean " << m.mean << " ± " << m.standard_error);
    CHECK(std::abs(m.mean - 30) < 4 * m.standard_error);
    std::size_t not_positive = 0;
    for (const double v : spend.monetary_value) not_positive += v > 0 ? 0 : 1;
    CHECK(not_positive == 0);
  }
}

// Parameter recovery: 100,000 customers, 52 weeks each, days as the grain (as real data are, and
// it lets identical rows compress); every estimate within 3 of its standard errors of the truth.
// (Over seeds 1 to 12 the estimates' z-scores looked like standard normal draws, and fits of
// 2 million simulated customers land within 2.2 standard errors: no bias from the simulator.)
TEST_CASE("The BG/NBD fit recovers the parameters of simulated data", "[clv][simulate]") {
  const SummaryData bg = simulate(bgnbd, options(100000, 52, 99, 0, 1.0 / 7));
  check_recovered(fit_transaction_model(Model::bgnbd, bg.view()).result, bgnbd.parameters());
}

TEST_CASE("The Pareto/NBD fit recovers the parameters of simulated data", "[clv][simulate]") {
  const SummaryData pareto = simulate(paretonbd, options(100000, 52, 99, 0, 1.0 / 7));
  check_recovered(fit_transaction_model(Model::paretonbd, pareto.view()).result, paretonbd.parameters());
}

TEST_CASE("The BG/BB fit recovers the parameters of simulated data", "[clv][simulate]") {
  const SummaryData bb = simulate(bgbb, options(100000, 6, 99));
  check_recovered(fit_transaction_model(Model::bgbb, bb.view()).result, bgbb.parameters());
}

TEST_CASE("The Gamma-Gamma fit recovers the parameters of simulated spend", "[clv][simulate]") {
  std::vector<double> x(100000);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<double>(1 + i % 8);
  const GammaGamma truth({6.25, 3.74, 15.44});
  const SpendData spend = simulate_spend(truth, x, 99);
  check_recovered(fit_gamma_gamma(spend.view()).result, {6.25, 3.74, 15.44});
}
