#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "crmkit/analytics/clv/fit.hpp"
#include "crmkit/analytics/clv/transaction_model.hpp"
#include "support/clv_data.hpp"
#include "support/validation_matchers.hpp"
// fit_by_likelihood (an internal interface) on likelihoods whose optimum and information are known.
#include "../../src/analytics/clv/mle.hpp"

using crmkit::analytics::clv::fit_transaction_model;
using crmkit::analytics::clv::FitError;
using crmkit::analytics::clv::FitOptions;
using crmkit::analytics::clv::Model;
using crmkit::analytics::clv::parse_model;
using crmkit::analytics::clv::SummaryData;
using crmkit::analytics::clv::to_string;
using crmkit::analytics::clv::detail::fit_by_likelihood;
using crmkit::analytics::clv::detail::LikelihoodProblem;
using crmkit::test::read_cdnow_summary;
using crmkit::test::require_invalid;

namespace {

// N customers whose log-likelihood is −N/2 · Σ ((p_i − c_i)/s_i)²: the maximum is at c, and the
// observed information is diag(N/s_i²), so the standard errors are s_i/√N exactly.
LikelihoodProblem gaussian(bool analytic, double customers = 400) {
  LikelihoodProblem problem;
  problem.model = Model::bgnbd;
  problem.parameter_names = {"u", "v"};
  problem.default_initial = {1, 1};
  problem.analytic_gradient = analytic;
  problem.customers = customers;
  problem.distinct_rows = 3;
  problem.log_likelihood = [customers](std::span<const double> p, std::span<double> g) {
    const double c[2] = {2.5, 0.04};
    const double s[2] = {0.5, 0.01};
    double ll = 0;
    for (std::size_t i = 0; i < 2; ++i) {
      const double z = (p[i] - c[i]) / s[i];
      ll -= customers / 2 * z * z;
      if (!g.empty()) g[i] = -customers * z / s[i];
    }
    return ll;
  };
  return problem;
}

}  // namespace

TEST_CASE("Model names round-trip and unknown names are rejected", "[clv][fit]") {
  for (const Model m : {Model::bgnbd, Model::mbgnbd, Model::paretonbd, Model::bgbb, Model::gammagamma}) {
    CHECK(parse_model(to_string(m)) == m);
  }
  CHECK(to_string(Model::paretonbd) == "paretonbd");
  require_invalid([] { (void)parse_model("BGNBD"); }, "model", "BGNBD",
                  "bgnbd, mbgnbd, paretonbd, bgbb, gammagamma");
  require_invalid([] { (void)parse_model("", "options.model"); }, "options.model");
}

TEST_CASE("FitError names the model and the reason", "[clv][fit]") {
  const FitError error("bgnbd", "the log-likelihood is not finite");
  CHECK(std::string(error.what()) == "cannot fit bgnbd: the log-likelihood is not finite");
  const crmkit::Error& base = error;
  CHECK(std::string(base.what()).find("bgnbd") != std::string::npos);
}

TEST_CASE("fit_by_likelihood finds a known optimum and exact standard errors", "[clv][fit]") {
  for (const bool analytic : {true, false}) {
    INFO("analytic gradient: " << analytic);
    const auto result = fit_by_likelihood(gaussian(analytic), {});
    REQUIRE(result.parameters.size() == 2);
    CHECK(result.parameters[0] == Approx(2.5).epsilon(1e-5));
    CHECK(result.parameters[1] == Approx(0.04).epsilon(1e-5));
    CHECK(result.log_likelihood == Approx(0).margin(1e-6));
    CHECK(result.converged);
    CHECK(result.parameter_names == std::vector<std::string>{"u", "v"});
    CHECK(result.customers == 400);
    CHECK(result.distinct_rows == 3);
    CHECK(result.evaluations > 0);
    // s/√N = 0.5/20 and 0.01/20.
    REQUIRE(result.standard_errors.size() == 2);
    CHECK(result.standard_errors[0] == Approx(0.025).epsilon(1e-4));
    CHECK(result.standard_errors[1] == Approx(0.0005).epsilon(1e-4));
    CHECK(result.standard_error_note.empty());
  }
  FitOptions options;
  options.standard_errors = false;
  const auto without = fit_by_likelihood(gaussian(true), options);
  CHECK(without.standard_errors.empty());
  CHECK_FALSE(without.standard_error_note.empty());
}

TEST_CASE("fit_by_likelihood applies the penalty on the mean log-likelihood", "[clv][fit]") {
  // Objective (1/2)·Σ ((p − c)/s)² + λ·Σ p² per customer: p = c/(1 + 2λs²). λ = 10: u = 2.5/6,
  // v = 0.04/1.002.
  FitOptions options;
  options.penalizer = 10;
  const auto result = fit_by_likelihood(gaussian(true), options);
  CHECK(result.parameters[0] == Approx(2.5 / 6).epsilon(1e-5));
  CHECK(result.parameters[1] == Approx(0.04 / 1.002).epsilon(1e-5));
  // The log-likelihood is reported without the penalty: −N/2·((u − 2.5)/0.5)² − ...
  const double zu = (2.5 / 6 - 2.5) / 0.5;
  const double zv = (0.04 / 1.002 - 0.04) / 0.01;
  CHECK(result.log_likelihood == Approx(-200 * (zu * zu + zv * zv)).epsilon(1e-6));
  // The same penalty with 100 times the customers: the mean is unchanged, so the estimates are too.
  const auto more = fit_by_likelihood(gaussian(true, 40000), options);
  CHECK(more.parameters[0] == Approx(result.parameters[0]).epsilon(1e-5));
}

TEST_CASE("fit_by_likelihood explains failures and never returns NaN", "[clv][fit]") {
  LikelihoodProblem nan = gaussian(true);
  nan.log_likelihood = [](std::span<const double>, std::span<double>) { return std::nan(""); };
  try {
    (void)fit_by_likelihood(nan, {});
    FAIL("expected a FitError");
  } catch (const FitError& error) {
    CHECK(std::string(error.what()).find("cannot fit bgnbd") != std::string::npos);
    CHECK(std::string(error.what()).find("not finite at the initial parameters (u=1, v=1)") !=
          std::string::npos);
  }
  // NaN away from a region: the optimizer is steered back, and the result is finite.
  LikelihoodProblem holes = gaussian(true);
  holes.log_likelihood = [inner = gaussian(true).log_likelihood](std::span<const double> p,
                                                                 std::span<double> g) {
    if (p[0] > 3) return std::numeric_limits<double>::quiet_NaN();
    return inner(p, g);
  };
  const auto steered = fit_by_likelihood(holes, {});
  CHECK(steered.parameters[0] == Approx(2.5).epsilon(1e-5));
  // No customers.
  LikelihoodProblem nobody = gaussian(true);
  nobody.customers = 0;
  CHECK_THROWS_AS(fit_by_likelihood(nobody, {}), FitError);
  // An error inside the likelihood crosses NLopt and reaches the caller.
  LikelihoodProblem throwing = gaussian(true);
  int calls = 0;
  throwing.log_likelihood = [&calls](std::span<const double>, std::span<double>) -> double {
    if (++calls > 3) throw std::runtime_error("disk on fire");
    return -1;
  };
  CHECK_THROWS_WITH(fit_by_likelihood(throwing, {}), "disk on fire");
}

TEST_CASE("fit_by_likelihood reports flat likelihoods and estimates at the parameter limits", "[clv][fit]") {
  // N·ln u grows without bound in u, and v does not matter: u stops at the limit 1e10, v stays at
  // its start, and the information matrix is singular.
  LikelihoodProblem unbounded = gaussian(true);
  unbounded.log_likelihood = [](std::span<const double> p, std::span<double> g) {
    if (!g.empty()) {
      g[0] = 400 / p[0];
      g[1] = 0;
    }
    return 400 * std::log(p[0]);
  };
  const auto result = fit_by_likelihood(unbounded, {});
  CHECK(result.parameters[0] == Approx(1e10).epsilon(1e-5));
  CHECK(result.parameters[1] == Approx(1).epsilon(1e-6));
  CHECK(result.reason.find("u=1e+10 reached the limit of the parameter range [1e-10, 1e10]") !=
        std::string::npos);
  CHECK(result.standard_errors.empty());
  CHECK(result.standard_error_note.find("not positive definite") != std::string::npos);
  for (const double p : result.parameters) CHECK(std::isfinite(p));
}

TEST_CASE("fit_by_likelihood stops at max_evaluations and says so", "[clv][fit]") {
  FitOptions options;
  options.max_evaluations = 2;
  options.initial = {9, 0.5};
  const auto result = fit_by_likelihood(gaussian(true), options);
  CHECK_FALSE(result.converged);
  CHECK(result.reason.find("max_evaluations (2)") != std::string::npos);
  CHECK(result.algorithm.rfind("L-BFGS, then Nelder-Mead + L-BFGS", 0) == 0);
  CHECK(result.evaluations < 30);
  for (const double p : result.parameters) CHECK(std::isfinite(p));
}

TEST_CASE("FitOptions are validated, naming the option", "[clv][fit]") {
  const LikelihoodProblem problem = gaussian(true);
  FitOptions options;
  options.initial = {1, 2, 3};
  require_invalid([&] { (void)fit_by_likelihood(problem, options); }, "initial", "3 values",
                  "must have 2 values");
  options.initial = {1, 0};
  require_invalid([&] { (void)fit_by_likelihood(problem, options); }, "initial[1]", "0", "(v)");
  options.initial = {1, std::nan("")};
  require_invalid([&] { (void)fit_by_likelihood(problem, options); }, "initial[1]", "nan");
  options.initial = {};
  options.penalizer = -1;
  require_invalid([&] { (void)fit_by_likelihood(problem, options); }, "penalizer", "-1", ">= 0");
  options.penalizer = 0;
  options.max_evaluations = 0;
  require_invalid([&] { (void)fit_by_likelihood(problem, options); }, "max_evaluations", "0", "at least 1");
  options.max_evaluations = 100;
  options.relative_tolerance = 0;
  require_invalid([&] { (void)fit_by_likelihood(problem, options); }, "relative_tolerance", "0", "(0, 1)");
}

TEST_CASE("The L2 penalizer shrinks the BG/NBD estimates on CDNOW, as in lifetimes", "[clv][fit]") {
  // lifetimes' test_penalizer_term_will_shrink_coefs_to_0: every parameter shrinks with 0.1, and
  // further with 10.
  const SummaryData cdnow = read_cdnow_summary();
  const auto plain = fit_transaction_model(Model::bgnbd, cdnow.view());
  FitOptions options;
  options.penalizer = 0.1;
  const auto some = fit_transaction_model(Model::bgnbd, cdnow.view(), options);
  options.penalizer = 10;
  const auto more = fit_transaction_model(Model::bgnbd, cdnow.view(), options);
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK(some.result.parameters[i] < plain.result.parameters[i]);
    CHECK(more.result.parameters[i] < some.result.parameters[i]);
  }
  CHECK(some.result.log_likelihood < plain.result.log_likelihood);
  // Given initial values far from the optimum reach the same estimates.
  options.penalizer = 0;
  options.initial = {3, 0.2, 5, 0.1};
  const auto far = fit_transaction_model(Model::bgnbd, cdnow.view(), options);
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK(far.result.parameters[i] == Approx(plain.result.parameters[i]).epsilon(1e-4));
  }
}
