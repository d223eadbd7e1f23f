#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "crmkit/analytics/clv/gamma_gamma.hpp"
#include "crmkit/analytics/clv/simulate.hpp"
#include "crmkit/io/csv_reader.hpp"
#include "support/clv_data.hpp"
#include "support/validation_matchers.hpp"
// The likelihood handed to the optimizer: an internal header, tested here for its gradient.
#include "../../src/analytics/clv/spend_likelihood.hpp"

using crmkit::analytics::clv::fit_gamma_gamma;
using crmkit::analytics::clv::FitError;
using crmkit::analytics::clv::FitOptions;
using crmkit::analytics::clv::GammaGamma;
using crmkit::analytics::clv::Model;
using crmkit::analytics::clv::simulate_spend;
using crmkit::analytics::clv::spend_rows;
using crmkit::analytics::clv::SpendData;
using crmkit::analytics::clv::SpendView;
using crmkit::test::require_invalid;
using crmkit::test::significant;

namespace {

// The CDNOW sample's calibration summary with mean repeat spend: columns ID,x,t_x,T,zbar.
struct CdnowSpend {
  std::vector<double> x;
  std::vector<double> zbar;
};

CdnowSpend read_cdnow_spend() {
  crmkit::io::CsvReader reader(std::string(CRMKIT_TEST_DATA_DIR) + "/clv/cdnow_customers_summary_with_transactions.csv");
  const std::size_t x_column = *reader.column_index("x");
  const std::size_t zbar_column = *reader.column_index("zbar");
  CdnowSpend data;
  std::vector<std::string_view> fields;
  while (reader.next(fields)) {
    data.x.push_back(std::strtod(std::string(fields[x_column]).c_str(), nullptr));
    data.zbar.push_back(std::strtod(std::string(fields[zbar_column]).c_str(), nullptr));
  }
  return data;
}

const GammaGamma& note_025_model() {
  static const GammaGamma model({6.25, 3.74, 15.44});
  return model;
}

}  // namespace

TEST_CASE("Gamma-Gamma log-likelihood equals note 025's eq. (1a) evaluated to 50 digits", "[clv][gammagamma]") {
  // Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary Value", note 025, eq. (1a):
  //   ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m + px ln x − (px+q) ln(xm+γ),
  // reference values from mpmath at 50 digits. Hand check of the first: p=6.25, q=3.74, γ=15.44,
  // x=2, m=22.35: lnΓ(16.24) − lnΓ(12.5) − lnΓ(3.74) = 28.5590 − 18.7343 − 1.4750 = 8.3496;
  // 3.74·ln 15.44 = 10.2362; 11.5·ln 22.35 = 35.7285; 12.5·ln 2 = 8.6643; −16.24·ln 60.14 = −66.5300;
  // sum −3.5513 (the mpmath value: −3.5513167597317).
  const GammaGamma& model = note_025_model();
  CHECK(model.log_likelihood(2, 22.35) == Approx(-3.5513167597317047066).epsilon(1e-13));
  CHECK(model.log_likelihood(1, 11.77) == Approx(-3.7377096787408399066).epsilon(1e-13));
  // Many purchases: px = 6250 and 625,000, where ln Γ(px+q) − ln Γ(px) is a difference of huge numbers.
  CHECK(model.log_likelihood(1000, 35) == Approx(-3.994629180499931505).epsilon(1e-12));
  CHECK(model.log_likelihood(100000, 35) == Approx(-3.9944095237293066239).epsilon(1e-11));
  // Tiny spend: s = x·m far below γ.
  CHECK(model.log_likelihood(1, 1e-9) == Approx(-119.81844955813222877).epsilon(1e-13));
  // Tiny and huge parameters.
  CHECK(GammaGamma({1e-6, 3.74, 15.44}).log_likelihood(3, 20) == Approx(-21.645672550295212154).epsilon(1e-12));
  CHECK(GammaGamma({6.25, 1e6, 1e8}).log_likelihood(2, 30) == Approx(-29.120800635958804896).epsilon(1e-11));
  CHECK(GammaGamma({1e3, 1e-3, 1e-4}).log_likelihood(5, 1e6) == Approx(-20.738807738902429424).epsilon(1e-12));
}

TEST_CASE("Gamma-Gamma expected spend: the population mean and the customer's weighted mean", "[clv][gammagamma]") {
  const GammaGamma& model = note_025_model();
  // E[M] = pγ/(q−1) = 6.25·15.44/2.74 = 96.5/2.74 = 35.218978...
  CHECK(model.expected_spend() == Approx(35.218978102189777147).epsilon(1e-14));
  // x = 0: nothing known about the customer, the population mean.
  CHECK(model.conditional_expected_spend(0, 0) == Approx(35.218978102189777147).epsilon(1e-14));
  // x = 2, m = 22.35: p(γ + xm)/(px + q − 1) = 6.25·(15.44 + 44.70)/(12.5 + 2.74) = 375.875/15.24
  // = 24.66371391...; the same as (1 − w)·35.21898 + w·22.35 with w = 12.5/15.24 = 0.820210.
  CHECK(model.conditional_expected_spend(2, 22.35) == Approx(24.663713910761151869).epsilon(1e-14));
  const double w = 12.5 / 15.24;
  CHECK(model.conditional_expected_spend(2, 22.35) == Approx((1 - w) * 35.218978102189777 + w * 22.35).epsilon(1e-13));
  // Many purchases: the customer's own mean dominates.
  CHECK(model.conditional_expected_spend(1e6, 50) == Approx(50).epsilon(1e-5));
  // q <= 1: no population mean.
  const GammaGamma heavy({2, 0.9, 10});
  CHECK(std::isinf(heavy.expected_spend()));
  require_invalid([&] { (void)heavy.conditional_expected_spend(3, 10); }, "q", "0.9", "greater than 1");
  require_invalid([&] { (void)GammaGamma({2, 1, 10}).conditional_expected_spend(3, 10); }, "q", "1", "greater than 1");
  require_invalid([&] { (void)model.conditional_expected_spend(1.5, 10); }, "frequency", "1.5", "whole number");
  require_invalid([&] { (void)model.conditional_expected_spend(-1, 10); }, "frequency", "-1", "whole number");
  require_invalid([&] { (void)model.conditional_expected_spend(2, -3); }, "monetary_value", "-3", ">= 0");
}

TEST_CASE("Gamma-Gamma rejects invalid parameters and rows", "[clv][gammagamma]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  require_invalid([] { (void)GammaGamma({0, 1, 1}); }, "p", "0", "finite number > 0");
  require_invalid([&] { (void)GammaGamma({1, nan, 1}); }, "q", "nan", "finite number > 0");
  require_invalid([&] { (void)GammaGamma({1, 1, inf}); }, "gamma", "inf", "finite number > 0");
  require_invalid([] { (void)GammaGamma({1, 1, -2}); }, "gamma", "-2", "finite number > 0");
  CHECK(GammaGamma::parameter_names() == std::vector<std::string>{"p", "q", "gamma"});

  const GammaGamma& model = note_025_model();
  require_invalid([&] { (void)model.log_likelihood(0, 10); }, "frequency", "0", "whole number >= 1");
  require_invalid([&] { (void)model.log_likelihood(2.5, 10); }, "frequency", "2.5", "whole number >= 1");
  require_invalid([&] { (void)model.log_likelihood(2, 0); }, "monetary_value", "0", "> 0");
  require_invalid([&] { (void)model.log_likelihood(2, nan); }, "monetary_value", "nan", "> 0");

  const std::vector<double> x{1, 0, 2};
  const std::vector<double> m{10, 5, 7};
  const std::vector<double> short_m{10, 5};
  const std::vector<double> good_x{1, 3, 2};
  const std::vector<double> bad_m{10, 5, -7};
  const std::vector<double> bad_w{1, 0, 1};
  require_invalid([&] { SpendView{x, m, {}}.validate(); }, "frequency[1]", "0", "whole number >= 1");
  require_invalid([&] { SpendView{good_x, short_m, {}}.validate(); }, "monetary_value", "2 rows", "as many rows as frequency (3)");
  require_invalid([&] { SpendView{good_x, bad_m, {}}.validate(); }, "monetary_value[2]", "-7", "> 0");
  require_invalid([&] { SpendView{good_x, m, bad_w}.validate(); }, "weights[1]", "0", "> 0");
  require_invalid([&] { SpendView{good_x, m, short_m}.validate(); }, "weights", "2 rows", "as many rows");
  require_invalid([&] { (void)fit_gamma_gamma(SpendView{x, m, {}}); }, "frequency[1]", "0", "whole number >= 1");
  CHECK_NOTHROW(SpendView{good_x, m, {}}.validate());
}

TEST_CASE("spend_rows keeps the repeat buyers with their row numbers", "[clv][gammagamma]") {
  const std::vector<double> x{0, 3, 0, 1};
  const std::vector<double> m{0, 12.5, 0, 4};
  const SpendData rows = spend_rows(x, m);
  CHECK(rows.frequency == std::vector<double>{3, 1});
  CHECK(rows.monetary_value == std::vector<double>{12.5, 4});
  CHECK(rows.rows == std::vector<std::size_t>{1, 3});
  CHECK(rows.view().size() == 2);
  CHECK(spend_rows({}, {}).frequency.empty());
  const std::vector<double> short_m{0, 12.5};
  require_invalid([&] { (void)spend_rows(x, short_m); }, "monetary_value", "2 rows", "as many rows as frequency (4)");
}

TEST_CASE("Gamma-Gamma fit reproduces Fader & Hardie's CDNOW estimates (note 025)", "[clv][gammagamma]") {
  // Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary Value", note 025: on the 946 repeat
  // buyers of the CDNOW sample's 39-week calibration period, p = 6.25, q = 3.74, γ = 15.44. A refit
  // to more digits (scipy Nelder-Mead, tolerance 1e-12) gives 6.2488, 3.7446, 15.4477, LL −4055.92.
  const CdnowSpend cdnow = read_cdnow_spend();
  const SpendData repeat = spend_rows(cdnow.x, cdnow.zbar);
  REQUIRE(repeat.frequency.size() == 946);
  const auto fit = fit_gamma_gamma(repeat.view());
  const auto& estimates = fit.result.parameters;
  REQUIRE(estimates.size() == 3);
  CHECK(fit.result.model == Model::gammagamma);
  CHECK(fit.result.parameter_names == std::vector<std::string>{"p", "q", "gamma"});
  CHECK(significant(estimates[0], 3) == Approx(6.25).epsilon(1e-12));
  CHECK(significant(estimates[1], 3) == Approx(3.74).epsilon(1e-12));
  CHECK(significant(estimates[2], 3) == Approx(15.4).epsilon(1e-12));  // 15.44 to 3 digits
  CHECK(estimates[0] == Approx(6.2488).epsilon(1e-4));
  CHECK(estimates[1] == Approx(3.7446).epsilon(1e-4));
  CHECK(estimates[2] == Approx(15.4477).epsilon(1e-4));
  CHECK(fit.result.log_likelihood == Approx(-4055.92).margin(0.01));
  CHECK(fit.result.converged);
  CHECK(fit.result.customers == 946);
  CHECK(fit.result.distinct_rows <= 946);
  REQUIRE(fit.result.standard_errors.size() == 3);
  for (const double error : fit.result.standard_errors) {
    CHECK(std::isfinite(error));
    CHECK(error > 0);
  }
  CHECK(fit.model.values().p == estimates[0]);
  CHECK(fit.model.values().q == estimates[1]);
  CHECK(fit.model.values().gamma == estimates[2]);

  // The same customers given twice, or once with weight 2: the same estimates, twice the LL.
  std::vector<double> x2 = repeat.frequency;
  std::vector<double> m2 = repeat.monetary_value;
  x2.insert(x2.end(), repeat.frequency.begin(), repeat.frequency.end());
  m2.insert(m2.end(), repeat.monetary_value.begin(), repeat.monetary_value.end());
  const std::vector<double> twos(repeat.frequency.size(), 2.0);
  const auto doubled = fit_gamma_gamma(SpendView{x2, m2, {}});
  const auto weighted = fit_gamma_gamma(SpendView{repeat.frequency, repeat.monetary_value, twos});
  CHECK(doubled.result.customers == 1892);
  CHECK(weighted.result.customers == 1892);
  CHECK(doubled.result.distinct_rows == fit.result.distinct_rows);
  for (std::size_t k = 0; k < 3; ++k) {
    CHECK(doubled.result.parameters[k] == Approx(estimates[k]).epsilon(1e-6));
    CHECK(weighted.result.parameters[k] == Approx(estimates[k]).epsilon(1e-6));
  }
  CHECK(weighted.result.log_likelihood == Approx(2 * fit.result.log_likelihood).epsilon(1e-9));
  // Standard errors shrink by √2 with twice the customers.
  CHECK(weighted.result.standard_errors[0] == Approx(fit.result.standard_errors[0] / std::sqrt(2.0)).epsilon(1e-3));

  // An L2 penalty (lifetimes' penalizer_coef) pulls the estimates away from the ML point: lower LL.
  FitOptions penalized;
  penalized.penalizer = 0.01;
  const auto shrunk = fit_gamma_gamma(repeat.view(), penalized);
  CHECK(shrunk.result.log_likelihood < fit.result.log_likelihood - 0.1);
  CHECK(std::isfinite(shrunk.result.parameters[2]));
}

TEST_CASE("Gamma-Gamma analytic gradient agrees with central differences", "[clv][gammagamma]") {
  const CdnowSpend cdnow = read_cdnow_spend();
  const SpendData repeat = spend_rows(cdnow.x, cdnow.zbar);
  const auto problem = crmkit::analytics::clv::detail::gammagamma_problem(repeat.view(), 1);
  CHECK(problem.analytic_gradient);
  CHECK(problem.customers == 946);
  CHECK(problem.parameter_names.size() == 3);
  const std::vector<std::vector<double>> points{{6.2488, 3.7446, 15.4477}, {1, 1, 1}, {0.05, 20, 400}, {300, 2, 0.2}};
  for (const auto& point : points) {
    std::vector<double> gradient(3);
    const double value = problem.log_likelihood(point, gradient);
    REQUIRE(std::isfinite(value));
    for (std::size_t k = 0; k < 3; ++k) {
      std::vector<double> up = point;
      std::vector<double> down = point;
      const double h = 1e-6 * point[k];
      up[k] += h;
      down[k] -= h;
      const double numeric = (problem.log_likelihood(up, {}) - problem.log_likelihood(down, {})) / (2 * h);
      INFO("point " << point[0] << ", " << point[1] << ", " << point[2] << " parameter " << k);
      CHECK(gradient[k] == Approx(numeric).epsilon(1e-5).margin(1e-4));
    }
  }
  // The weighted sum of the per-customer log-likelihood.
  double sum = 0;
  const GammaGamma model({6.2488, 3.7446, 15.4477});
  for (std::size_t i = 0; i < repeat.frequency.size(); ++i) {
    sum += model.log_likelihood(repeat.frequency[i], repeat.monetary_value[i]);
  }
  const std::vector<double> at{6.2488, 3.7446, 15.4477};
  CHECK(problem.log_likelihood(at, {}) == Approx(sum).epsilon(1e-12));
  // Outside the domain: −infinity, never an exception.
  const std::vector<double> outside{-1, 1, 1};
  CHECK(problem.log_likelihood(outside, {}) == -std::numeric_limits<double>::infinity());
}

TEST_CASE("Gamma-Gamma likelihood and fit do not depend on the thread count", "[clv][gammagamma]") {
  // 40,000 customers: three tasks of the likelihood's sums.
  std::vector<double> x(40000);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<double>(1 + i % 9);
  const SpendData spend = simulate_spend(GammaGamma({4, 3, 20}), x, 11);
  const std::vector<double> at{4.1, 2.9, 21};
  std::vector<double> reference(3);
  const double reference_value =
      crmkit::analytics::clv::detail::gammagamma_problem(spend.view(), 1).log_likelihood(at, reference);
  for (const unsigned threads : {2U, 3U}) {
    std::vector<double> gradient(3);
    const double value =
        crmkit::analytics::clv::detail::gammagamma_problem(spend.view(), threads).log_likelihood(at, gradient);
    CHECK(value == reference_value);
    CHECK(gradient == reference);
  }
  FitOptions one;
  one.threads = 1;
  FitOptions three;
  three.threads = 3;
  const auto a = fit_gamma_gamma(spend.view(), one);
  const auto b = fit_gamma_gamma(spend.view(), three);
  CHECK(a.result.parameters == b.result.parameters);
  CHECK(a.result.log_likelihood == b.result.log_likelihood);
}

TEST_CASE("Gamma-Gamma fits of degenerate data say why and never return NaN", "[clv][gammagamma]") {
  CHECK_THROWS_AS(fit_gamma_gamma(SpendView{}), FitError);
  try {
    (void)fit_gamma_gamma(SpendView{});
  } catch (const FitError& error) {
    CHECK(std::string(error.what()).find("repeat buyers") != std::string::npos);
  }
  // Every customer spends the same: no spread between customers, so the likelihood keeps rising as
  // q and γ grow together (the maximum is at infinity). One customer: the same. The fit either
  // throws FitError or reports that it did not converge, with finite parameters.
  const std::vector<double> x{1, 2, 3, 4, 5};
  const std::vector<double> same{10, 10, 10, 10, 10};
  const std::vector<double> one_x{1};
  const std::vector<double> one_m{10};
  for (const SpendView view : {SpendView{x, same, {}}, SpendView{one_x, one_m, {}}}) {
    try {
      const auto fit = fit_gamma_gamma(view);
      CHECK_FALSE(fit.result.converged);
      CHECK_FALSE(fit.result.reason.empty());
      for (const double value : fit.result.parameters) CHECK(std::isfinite(value));
      CHECK(std::isfinite(fit.result.log_likelihood));
      for (const double value : fit.result.standard_errors) CHECK(std::isfinite(value));
    } catch (const FitError& error) {
      CHECK(std::string(error.what()).find("gammagamma") != std::string::npos);
    }
  }
}
