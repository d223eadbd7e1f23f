#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "crmkit/analytics/clv/lifetime_value.hpp"
#include "crmkit/analytics/clv/models.hpp"
#include "support/clv_data.hpp"
#include "support/validation_matchers.hpp"

using crmkit::analytics::clv::BgBb;
using crmkit::analytics::clv::BgNbd;
using crmkit::analytics::clv::ClvOptions;
using crmkit::analytics::clv::Discounting;
using crmkit::analytics::clv::GammaGamma;
using crmkit::analytics::clv::lifetime_value;
using crmkit::analytics::clv::SummaryData;
using crmkit::analytics::clv::SummaryView;
using crmkit::test::read_cdnow_summary;
using crmkit::test::require_invalid;

namespace {

// BG/NBD as Fader, Hardie & Lee (2005) estimated it on the CDNOW sample (weeks).
const BgNbd& cdnow_model() {
  static const BgNbd model({0.2426, 4.4135, 0.7929, 2.4259});
  return model;
}

SummaryData rows(std::vector<double> x, std::vector<double> t_x, std::vector<double> T) {
  SummaryData data;
  data.frequency = std::move(x);
  data.recency = std::move(t_x);
  data.T = std::move(T);
  return data;
}

ClvOptions options(double horizon, double step, double rate, Discounting discounting = Discounting::steps) {
  ClvOptions o;
  o.horizon = horizon;
  o.step = step;
  o.discount_rate = rate;
  o.discounting = discounting;
  return o;
}

}  // namespace

TEST_CASE("CLV in steps reproduces lifetimes' known values", "[clv][lifetime_value]") {
  // lifetimes, tests/test_utils.py, test_customer_lifetime_value_with_known_values (kept by
  // pymc-marketing, tests/clv/test_utils.py, with the exact parameters of lifetimes' BetaGeoFitter
  // on its example data): r = 0.16385072, α = 1.86428187, a = 1.85034151, b = 3.18105431; days.
  // E[Y(30)] of its five customers is 0.016053, 0.021171, 0.030461, 0.031686, 0.001607 (lifetimes),
  // digits beyond from the same formula evaluated by mpmath at 40 digits.
  const BgNbd model({0.16385072, 1.86428187, 1.85034151, 3.18105431});
  const SummaryData data = rows({0, 0, 6, 0, 2}, {0, 0, 142, 0, 9}, {298, 224, 292, 147, 183});
  const std::vector<double> ones(5, 1.0);
  const double e30[] = {0.016052991146416217, 0.021171038480393479, 0.030461325260326396, 0.031686120659815984,
                        0.0016067610458227114};
  const double e60[] = {0.031469293721216713, 0.041253124565254602, 0.057631176392547968, 0.061012571769010725,
                        0.0030278767723618557};
  const double lifetimes_e30[] = {0.016053, 0.021171, 0.030461, 0.031686, 0.001607};
  const double e45_rate1[] = {0.010778557531300676, 0.014180772770609243, 0.020166215646633594,
                              0.021122480603235773, 0.0010619562364230772};

  // One month (30 days), no discount: E[Y(30)] (lifetimes asserts 5 decimals).
  const auto d0 = lifetime_value(model, data.view(), ones, options(1, 30, 0));
  // One month at 100 % a month: half of it.
  const auto d1 = lifetime_value(model, data.view(), ones, options(1, 30, 1));
  // Two months, no discount: E[Y(60)] (lifetimes: about twice E[Y(30)], rtol 0.1).
  const auto t2d0 = lifetime_value(model, data.view(), ones, options(2, 30, 0));
  // Two months at 100 %: E[Y(30)]/2 + (E[Y(60)] − E[Y(30)])/4.
  const auto t2d1 = lifetime_value(model, data.view(), ones, options(2, 30, 1));
  // A month and a half at 100 %: the partial step is discounted by 2^1.5:
  // E[Y(30)]/2 + (E[Y(45)] − E[Y(30)])/2^1.5.
  const auto half = lifetime_value(model, data.view(), ones, options(1.5, 30, 1));
  for (std::size_t i = 0; i < 5; ++i) {
    INFO("customer " << i);
    CHECK(d0[i] == Approx(lifetimes_e30[i]).margin(5e-6));
    CHECK(d0[i] == Approx(e30[i]).epsilon(1e-9));
    CHECK(d1[i] == Approx(e30[i] / 2).epsilon(1e-9));
    CHECK(t2d0[i] == Approx(e60[i]).epsilon(1e-9));
    CHECK(t2d0[i] == Approx(2 * lifetimes_e30[i]).epsilon(0.1));
    CHECK(t2d1[i] == Approx(e30[i] / 2 + (e60[i] - e30[i]) / 4).epsilon(1e-9));
    CHECK(half[i] == Approx(e45_rate1[i]).epsilon(1e-9));
  }
}

TEST_CASE("CLV on the CDNOW model: steps and continuous discounting against an independent evaluation",
          "[clv][lifetime_value]") {
  // FHL 2005 BG/NBD, 12 months of 4.345 weeks, 1 % a month, spend 1. Reference values from scipy:
  // steps Σ_i (E[Y(4.345 i)] − E[Y(4.345 (i−1))])/1.01^i; continuous ∫ e^(−δv) dE[Y(4.345 v)] with
  // δ = ln 1.01, by quad on the derivative form and on the integrated-by-parts form (they agree to
  // 1e-9). Large-x rows from mpmath (40 digits).
  const SummaryData data = rows({0, 2, 1, 10, 1000, 1000}, {0, 30.43, 1.71, 38.86, 38.86, 38.0},
                                {38.86, 38.86, 38.86, 38.86, 38.86, 38.86});
  const std::vector<double> ones(data.size(), 1.0);
  const double steps[] = {0.2372513561987588, 1.4712473013429794, 0.24522638848720155, 8.07472847886544,
                          810.66697940028746, 0.001952361149529912};
  const double continuous[] = {0.23844027640024668, 1.4786364172953348, 0.24645699102328547, 8.11536003766655,
                               814.75057704458889, 0.001962195838241353};
  const double undiscounted[] = {0.2522696632546285, 1.5620354206231684, 0.26050196398849984, 8.562366034400387};
  const auto by_steps = lifetime_value(cdnow_model(), data.view(), ones, options(12, 4.345, 0.01));
  const auto by_integral =
      lifetime_value(cdnow_model(), data.view(), ones, options(12, 4.345, 0.01, Discounting::continuous));
  const auto steps_rate0 = lifetime_value(cdnow_model(), data.view(), ones, options(12, 4.345, 0));
  const auto continuous_rate0 =
      lifetime_value(cdnow_model(), data.view(), ones, options(12, 4.345, 0, Discounting::continuous));
  for (std::size_t i = 0; i < data.size(); ++i) {
    INFO("row " << i);
    CHECK(by_steps[i] == Approx(steps[i]).epsilon(1e-8));
    CHECK(by_integral[i] == Approx(continuous[i]).epsilon(1e-8));
    // Continuous discounting starts at once, steps discount a whole step's purchases at its end:
    // the continuous value is the higher one, by about half a step's discount (0.5 %).
    CHECK(by_integral[i] > by_steps[i]);
    CHECK(by_integral[i] < by_steps[i] * 1.01);
    // Rate 0: both are E[Y(12 · 4.345)].
    CHECK(steps_rate0[i] == Approx(continuous_rate0[i]).epsilon(1e-12));
    if (i < 4) CHECK(steps_rate0[i] == Approx(undiscounted[i]).epsilon(1e-9));
  }
}

TEST_CASE("CLV in ever finer steps converges to the continuous value", "[clv][lifetime_value]") {
  // Cutting each month into k steps at the equivalent rate 1.01^(1/k) − 1 discounts each step's
  // purchases closer to when they happen: the error is about half a step's discount, O(1/k).
  const SummaryData data = rows({2}, {30.43}, {38.86});
  const std::vector<double> ones{1.0};
  const double continuous = 1.4786364172953348;
  double previous_error = std::numeric_limits<double>::infinity();
  for (const double k : {1.0, 10.0, 100.0, 1000.0}) {
    const double rate = std::pow(1.01, 1 / k) - 1;
    const double value = lifetime_value(cdnow_model(), data.view(), ones, options(12 * k, 4.345 / k, rate))[0];
    const double error = continuous - value;
    INFO("k = " << k << ": " << value);
    CHECK(error > 0);
    CHECK(error < previous_error / 5);
    previous_error = error;
  }
  CHECK(previous_error < 1e-5 * continuous);
  // The continuous value itself does not depend on how the horizon is expressed.
  const double in_months =
      lifetime_value(cdnow_model(), data.view(), ones, options(12, 4.345, 0.01, Discounting::continuous))[0];
  const double in_weeks = lifetime_value(cdnow_model(), data.view(), ones,
                                         options(52.14, 1, std::pow(1.01, 1 / 4.345) - 1, Discounting::continuous))[0];
  CHECK(in_weeks == Approx(in_months).epsilon(1e-9));
}

TEST_CASE("CLV scales with each customer's spend, and the Gamma-Gamma form uses its conditional spend",
          "[clv][lifetime_value]") {
  const SummaryData data = rows({0, 2, 1, 0}, {0, 30.43, 1.71, 0}, {38.86, 38.86, 38.86, 20});
  const std::vector<double> ones(4, 1.0);
  const std::vector<double> spend{10, 20.5, -3, 0};  // a margin may be negative
  const auto unit = lifetime_value(cdnow_model(), data.view(), ones, options(12, 4.345, 0.01));
  const auto scaled = lifetime_value(cdnow_model(), data.view(), spend, options(12, 4.345, 0.01));
  for (std::size_t i = 0; i < 4; ++i) CHECK(scaled[i] == Approx(spend[i] * unit[i]).epsilon(1e-14));

  // lifetimes' GammaGammaFitter.customer_lifetime_value: the spend is E[M | x, m].
  const GammaGamma gamma_gamma({6.25, 3.74, 15.44});
  const std::vector<double> monetary{0, 22.35, 11.77, 0};
  std::vector<double> expected_spend(4);
  for (std::size_t i = 0; i < 4; ++i) {
    expected_spend[i] = gamma_gamma.conditional_expected_spend(data.frequency[i], monetary[i]);
  }
  // x = 0: the population mean 35.218978; x = 2, m = 22.35: 24.663714 (see gamma_gamma_test).
  CHECK(expected_spend[0] == Approx(35.218978102189777).epsilon(1e-14));
  CHECK(expected_spend[1] == Approx(24.663713910761152).epsilon(1e-14));
  for (const Discounting discounting : {Discounting::steps, Discounting::continuous}) {
    const auto with_model =
        lifetime_value(cdnow_model(), gamma_gamma, data.view(), monetary, options(12, 4.345, 0.01, discounting));
    const auto with_spend =
        lifetime_value(cdnow_model(), data.view(), expected_spend, options(12, 4.345, 0.01, discounting));
    CHECK(with_model == with_spend);
  }
  // Hand check of row 1: 24.663714 × 1.4712473 = 36.286.
  CHECK(lifetime_value(cdnow_model(), gamma_gamma, data.view(), monetary, options(12, 4.345, 0.01))[1] ==
        Approx(24.663713910761152 * 1.4712473013429794).epsilon(1e-8));
  // Horizon 0: nothing yet.
  for (const Discounting discounting : {Discounting::steps, Discounting::continuous}) {
    for (const double value : lifetime_value(cdnow_model(), data.view(), spend, options(0, 4.345, 0.01, discounting))) {
      CHECK(value == 0);
    }
  }
  // No customers: no values.
  CHECK(lifetime_value(cdnow_model(), SummaryView{}, {}, options(12, 4.345, 0.01)).empty());
}

TEST_CASE("CLV of BG/BB customers counts whole opportunities", "[clv][lifetime_value]") {
  // BG/BB with Fader, Hardie & Shang's donation estimates; five yearly opportunities at 10 % a year:
  // Σ_k (E[Y(k)] − E[Y(k−1)])/1.1^k, from FHS eq. 13 evaluated by mpmath (40 digits).
  const BgBb model({1.204, 0.750, 0.657, 2.783});
  const SummaryData data = rows({3, 0, 6}, {4, 0, 6}, {6, 6, 6});
  const std::vector<double> ones(3, 1.0);
  const auto value = lifetime_value(model, data.view(), ones, options(5, 1, 0.1));
  CHECK(value[0] == Approx(0.79265921840402237).epsilon(1e-10));
  CHECK(value[1] == Approx(0.055797990526301099).epsilon(1e-10));
  CHECK(value[2] == Approx(2.8757175318820359).epsilon(1e-10));
  // Rate 0: E[Y(5)].
  const auto undiscounted = lifetime_value(model, data.view(), ones, options(5, 1, 0));
  CHECK(undiscounted[0] == Approx(1.0342284984211045).epsilon(1e-10));
  CHECK(undiscounted[1] == Approx(0.072802877475043012).epsilon(1e-10));
  CHECK(undiscounted[2] == Approx(3.7521156075998148).epsilon(1e-10));
  // Discrete opportunities: no continuous discounting, no fractional steps.
  require_invalid([&] { (void)lifetime_value(model, data.view(), ones, options(5, 1, 0.1, Discounting::continuous)); },
                  "discounting", "continuous", "discrete");
  require_invalid([&] { (void)lifetime_value(model, data.view(), ones, options(5, 0.5, 0.1)); }, "step", "0.5",
                  "whole number");
  require_invalid([&] { (void)lifetime_value(model, data.view(), ones, options(2.5, 1, 0.1)); }, "horizon", "2.5",
                  "whole number");
  // BG/BB rows must be whole numbers.
  const SummaryData fractional = rows({1}, {2.5}, {6});
  CHECK_THROWS_AS(lifetime_value(model, fractional.view(), {ones.data(), 1}, options(5, 1, 0.1)),
                  crmkit::ValidationError);
}

TEST_CASE("CLV does not depend on the thread count", "[clv][lifetime_value]") {
  // The first 800 CDNOW customers: over 300 distinct rows, so several tasks of 64 rows.
  SummaryData cdnow = read_cdnow_summary();
  REQUIRE(cdnow.size() == 2357);
  cdnow.frequency.resize(800);
  cdnow.recency.resize(800);
  cdnow.T.resize(800);
  std::vector<double> spend(cdnow.size());
  for (std::size_t i = 0; i < spend.size(); ++i) spend[i] = 10.0 + static_cast<double>(i % 17);
  for (const Discounting discounting : {Discounting::steps, Discounting::continuous}) {
    ClvOptions o = options(12, 4.345, 0.01, discounting);
    o.threads = 1;
    const auto one = lifetime_value(cdnow_model(), cdnow.view(), spend, o);
    for (const unsigned threads : {2U, 3U}) {
      o.threads = threads;
      CHECK(lifetime_value(cdnow_model(), cdnow.view(), spend, o) == one);
    }
    // Every value finite and non-negative (spend > 0); identical rows get identical values.
    for (const double value : one) {
      CHECK(std::isfinite(value));
      CHECK(value >= 0);
    }
  }
}

TEST_CASE("CLV rejects invalid options, lengths and rows, naming the field", "[clv][lifetime_value]") {
  const SummaryData data = rows({0, 2}, {0, 30.43}, {38.86, 38.86});
  const std::vector<double> spend{1, 2};
  const std::vector<double> short_spend{1};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto value = [&](const ClvOptions& o) { (void)lifetime_value(cdnow_model(), data.view(), spend, o); };
  require_invalid([&] { value(options(-1, 30, 0.01)); }, "horizon", "-1", ">= 0");
  require_invalid([&] { value(options(nan, 30, 0.01)); }, "horizon", "nan", ">= 0");
  require_invalid([&] { value(options(12, 0, 0.01)); }, "step", "0", "> 0");
  require_invalid([&] { value(options(12, 30, -0.01)); }, "discount_rate", "-0.01", ">= 0");
  require_invalid([&] { (void)lifetime_value(cdnow_model(), data.view(), short_spend, options(12, 30, 0)); },
                  "expected_spend", "1 rows", "as many rows as the summary (2)");
  const std::vector<double> bad_spend{1, nan};
  require_invalid([&] { (void)lifetime_value(cdnow_model(), data.view(), bad_spend, options(12, 30, 0)); },
                  "expected_spend[1]", "nan", "finite");
  const SummaryData bad = rows({0, 2}, {0, 40}, {38.86, 38.86});
  CHECK_THROWS_AS(lifetime_value(cdnow_model(), bad.view(), spend, options(12, 30, 0)), crmkit::ValidationError);

  const GammaGamma gamma_gamma({6.25, 3.74, 15.44});
  require_invalid([&] { (void)lifetime_value(cdnow_model(), gamma_gamma, data.view(), short_spend, options(12, 30, 0)); },
                  "monetary_value", "1 rows", "as many rows");
  const std::vector<double> negative{0, -5};
  require_invalid([&] { (void)lifetime_value(cdnow_model(), gamma_gamma, data.view(), negative, options(12, 30, 0)); },
                  "monetary_value[1]", "-5", ">= 0");
  const GammaGamma no_mean({6.25, 0.8, 15.44});
  require_invalid([&] { (void)lifetime_value(cdnow_model(), no_mean, data.view(), spend, options(12, 30, 0)); }, "q",
                  "0.8", "greater than 1");
}
