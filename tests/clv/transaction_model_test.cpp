#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "crmkit/analytics/clv/models.hpp"
#include "crmkit/analytics/clv/simulate.hpp"
#include "crmkit/analytics/clv/transaction_model.hpp"
#include "support/validation_matchers.hpp"

using crmkit::analytics::clv::BgNbd;
using crmkit::analytics::clv::fit_transaction_model;
using crmkit::analytics::clv::FitError;
using crmkit::analytics::clv::FitOptions;
using crmkit::analytics::clv::make_transaction_model;
using crmkit::analytics::clv::Model;
using crmkit::analytics::clv::ModifiedBgNbd;
using crmkit::analytics::clv::predict;
using crmkit::analytics::clv::simulate;
using crmkit::analytics::clv::SimulationOptions;
using crmkit::analytics::clv::SummaryData;
using crmkit::test::require_invalid;

namespace {

// A small data set with repeated rows: 8 rows, 5 distinct.
SummaryData small_rows() {
  return SummaryData{
      {0, 2, 0, 5, 2, 1, 0, 2}, {0, 10, 0, 30, 10, 4, 0, 20}, {20, 30, 40, 35, 30, 25, 20, 30}, {}};
}

}  // namespace

TEST_CASE("make_transaction_model builds each model and checks its parameters", "[clv][transaction_model]") {
  const std::vector<double> p{0.5, 6, 0.9, 1.6};
  for (const Model m : {Model::bgnbd, Model::mbgnbd, Model::paretonbd, Model::bgbb}) {
    const auto model = make_transaction_model(m, p);
    REQUIRE(model != nullptr);
    CHECK(model->model() == m);
    CHECK(model->parameters() == p);
    CHECK(model->parameter_names().size() == 4);
  }
  CHECK(make_transaction_model(Model::bgnbd, p)->parameter_names() ==
        std::vector<std::string>{"r", "alpha", "a", "b"});
  CHECK(make_transaction_model(Model::paretonbd, p)->parameter_names() ==
        std::vector<std::string>{"r", "alpha", "s", "beta"});
  CHECK(make_transaction_model(Model::bgbb, p)->parameter_names() ==
        std::vector<std::string>{"alpha", "beta", "gamma", "delta"});
  require_invalid(
      [] {
        (void)make_transaction_model(Model::gammagamma, std::vector<double>{1, 1, 1});
      },
      "model", "gammagamma", "not a transaction model");
  require_invalid(
      [] {
        (void)make_transaction_model(Model::bgnbd, std::vector<double>{1, 1, 1});
      },
      "parameters", "3 values", "must have 4 values for bgnbd (r, alpha, a, b)");
  require_invalid(
      [] {
        (void)make_transaction_model(Model::mbgnbd, std::vector<double>{1, 0, 1, 1});
      },
      "parameters[1]", "0", "(alpha)");
  require_invalid(
      [] {
        (void)make_transaction_model(Model::bgbb, std::vector<double>{1, 1, 1, -2});
      },
      "parameters[3]", "-2", "(delta)");
}

TEST_CASE("total_log_likelihood is the weighted sum of the rows' log-likelihoods",
          "[clv][transaction_model]") {
  const BgNbd model({0.3, 5, 0.8, 2.5});
  const SummaryData data = small_rows();
  double expected = 0;
  for (std::size_t i = 0; i < data.size(); ++i) {
    expected += model.log_likelihood(data.frequency[i], data.recency[i], data.T[i]);
  }
  CHECK(model.total_log_likelihood(data.view()) == Approx(expected).epsilon(1e-14));
  // Weights count customers: the rows (0, 0, 20) ×2.5 and (2, 10, 30) ×4.
  const SummaryData weighted{{0, 2}, {0, 10}, {20, 30}, {2.5, 4}};
  CHECK(model.total_log_likelihood(weighted.view()) ==
        Approx(2.5 * model.log_likelihood(0, 0, 20) + 4 * model.log_likelihood(2, 10, 30)).epsilon(1e-14));
  CHECK(model.total_log_likelihood(SummaryData{}.view()) == 0.0);
  require_invalid(
      [&] {
        (void)model.total_log_likelihood(SummaryData{{1}, {5}, {4}, {}}.view());
      },
      "recency[0]", "5", "must not exceed T");
  // BG/BB rows must be whole opportunities.
  const auto bgbb = make_transaction_model(Model::bgbb, std::vector<double>{1.2, 0.75, 0.66, 2.8});
  require_invalid(
      [&] {
        (void)bgbb->total_log_likelihood(SummaryData{{1}, {1.5}, {6}, {}}.view());
      },
      "recency[0]", "1.5", "whole number");
}

TEST_CASE("A fit on weighted rows equals the fit on the rows written out", "[clv][transaction_model]") {
  SimulationOptions options;
  options.customers = 3000;
  options.T = 39;
  options.T_spread = 12;
  options.grain = 1;  // whole weeks: many repeated rows
  options.seed = 5;
  const SummaryData data = simulate(BgNbd({0.25, 4, 0.8, 2.4}), options);
  const auto compressed = crmkit::analytics::clv::compress(data.view());
  REQUIRE(compressed.rows.size() < data.size() / 2);
  for (const Model m : {Model::bgnbd, Model::mbgnbd}) {
    const auto expanded = fit_transaction_model(m, data.view());
    const auto weighted = fit_transaction_model(m, compressed.rows.view());
    CHECK(weighted.result.customers == 3000);
    CHECK(weighted.result.distinct_rows == expanded.result.distinct_rows);
    CHECK(weighted.result.log_likelihood == Approx(expanded.result.log_likelihood).epsilon(1e-12));
    for (std::size_t i = 0; i < 4; ++i) {
      CHECK(weighted.result.parameters[i] == Approx(expanded.result.parameters[i]).epsilon(1e-8));
    }
  }
}

TEST_CASE("fit_transaction_model rejects what it cannot fit, saying why", "[clv][transaction_model]") {
  require_invalid([] { (void)fit_transaction_model(Model::gammagamma, small_rows().view()); }, "model",
                  "gammagamma");
  require_invalid(
      [] {
        (void)fit_transaction_model(Model::bgnbd, SummaryData{{0, 1}, {0, 2}, {1, 3}, {1, -1}}.view());
      },
      "weights[1]", "-1");
  require_invalid(
      [] {
        (void)fit_transaction_model(Model::bgbb, SummaryData{{1}, {2}, {5.5}, {}}.view());
      },
      "T[0]", "5.5", "whole number");
  CHECK_THROWS_AS(fit_transaction_model(Model::bgnbd, SummaryData{}.view()), FitError);
  try {
    (void)fit_transaction_model(Model::mbgnbd, SummaryData{{0, 0}, {0, 0}, {3, 9}, {}}.view());
    FAIL("expected a FitError");
  } catch (const FitError& error) {
    CHECK(
        std::string(error.what()) ==
        "cannot fit mbgnbd: no customer made a repeat purchase (every frequency is 0), so the purchase rate "
        "cannot be estimated");
  }
  FitOptions options;
  options.initial = {1, 1};
  require_invalid([&] { (void)fit_transaction_model(Model::bgnbd, small_rows().view(), options); }, "initial",
                  "2 values", "(r, alpha, a, b)");
}

TEST_CASE("predict gives each row's P(alive) and expected purchases", "[clv][transaction_model]") {
  const ModifiedBgNbd model({0.5, 6, 0.9, 1.6});
  SummaryData data = small_rows();
  data.weights = {1, 2, 3, 4, 5, 6, 7, 8};  // ignored
  const auto out = predict(model, data.view(), 26);
  REQUIRE(out.probability_alive.size() == data.size());
  REQUIRE(out.expected_purchases.size() == data.size());
  for (std::size_t i = 0; i < data.size(); ++i) {
    CHECK(out.probability_alive[i] == model.probability_alive(data.frequency[i], data.recency[i], data.T[i]));
    CHECK(out.expected_purchases[i] ==
          model.conditional_expected_purchases(26, data.frequency[i], data.recency[i], data.T[i]));
  }
  const auto none = predict(model, SummaryData{}.view(), 26);
  CHECK(none.probability_alive.empty());
  const auto now = predict(model, data.view(), 0);
  for (const double e : now.expected_purchases) CHECK(e == 0.0);
  require_invalid([&] { (void)predict(model, data.view(), -1); }, "horizon", "-1", ">= 0");
  require_invalid([&] { (void)predict(model, SummaryData{{0}, {1}, {2}, {}}.view(), 1); }, "recency[0]", "1");
}

TEST_CASE("predict does not depend on the thread count", "[clv][transaction_model]") {
  SimulationOptions options;
  options.customers = 4000;
  options.T = 52;
  options.seed = 3;
  const SummaryData data = simulate(BgNbd({0.3, 5, 0.8, 2.5}), options);  // exact times: 4000 distinct rows
  const BgNbd model({0.3, 5, 0.8, 2.5});
  const auto one = predict(model, data.view(), 10, 1);
  for (const unsigned threads : {2U, 3U}) {
    const auto many = predict(model, data.view(), 10, threads);
    CHECK(many.probability_alive == one.probability_alive);
    CHECK(many.expected_purchases == one.expected_purchases);
  }
}
