#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "crmkit/analytics/clv/holdout.hpp"
#include "crmkit/analytics/clv/models.hpp"
#include "crmkit/analytics/customer_summary.hpp"
#include "crmkit/io/csv_reader.hpp"
#include "crmkit/io/purchase_columns.hpp"
#include "support/validation_matchers.hpp"

using crmkit::analytics::clv::BgNbd;
using crmkit::analytics::clv::HoldoutValidation;
using crmkit::analytics::clv::SummaryData;
using crmkit::analytics::clv::SummaryView;
using crmkit::analytics::clv::validate_holdout;
using crmkit::test::require_invalid;

namespace {

// BG/NBD as Fader, Hardie & Lee (2005) estimated it on the CDNOW sample (weeks).
const BgNbd& cdnow_model() {
  static const BgNbd model({0.2426, 4.4135, 0.7929, 2.4259});
  return model;
}

SummaryData rows(std::vector<double> x, std::vector<double> t_x, std::vector<double> T,
                 std::vector<double> weights = {}) {
  SummaryData data;
  data.frequency = std::move(x);
  data.recency = std::move(t_x);
  data.T = std::move(T);
  data.weights = std::move(weights);
  return data;
}

// The CDNOW sample's purchases, split as in Fader, Hardie & Lee (2005): calibration to 1997-09-30,
// holdout to 1998-06-30, days counted in weeks.
crmkit::analytics::CalibrationHoldout cdnow_split() {
  crmkit::io::PurchaseColumnsOptions columns;
  columns.customer_column = "customer_id";
  columns.time_column = "date";
  columns.amount_column = "amount";
  columns.time_format = crmkit::io::TimeFormat::compact_date;
  const auto purchases = crmkit::io::read_purchase_columns(
      std::string(CRMKIT_TEST_DATA_DIR) + "/../../examples/data/cdnow_sample.csv", columns);
  crmkit::analytics::HoldoutOptions split;
  split.calibration_end = crmkit::parse_date("1997-09-30");
  split.observation_end = crmkit::parse_date("1998-06-30");
  split.period = crmkit::analytics::Period::day;
  split.time_unit = crmkit::analytics::Period::week;
  return crmkit::analytics::calibration_holdout_summary(purchases.view(), split);
}

struct PublishedSummary {
  std::vector<std::int64_t> id;
  std::vector<double> x;
  std::vector<double> t_x;
  std::vector<double> T;
};

PublishedSummary read_cdnow_summary() {
  crmkit::io::CsvReader reader(std::string(CRMKIT_TEST_DATA_DIR) + "/clv/cdnow_customers_summary.csv");
  PublishedSummary data;
  std::vector<std::string_view> fields;
  while (reader.next(fields)) {
    data.id.push_back(std::strtoll(std::string(fields[0]).c_str(), nullptr, 10));
    data.x.push_back(std::strtod(std::string(fields[1]).c_str(), nullptr));
    data.t_x.push_back(std::strtod(std::string(fields[2]).c_str(), nullptr));
    data.T.push_back(std::strtod(std::string(fields[3]).c_str(), nullptr));
  }
  return data;
}

double round2(double value) { return std::round(value * 100) / 100; }

}  // namespace

TEST_CASE("Holdout table of a small hand-worked case, with weights", "[clv][holdout]") {
  // Four rows, the last standing for two customers; cap 2, so x = 3 and x = 9 share the last group.
  // E[Y(5) | x, t_x, T] under the CDNOW BG/NBD (scipy, lifetimes' formula):
  //   (0, 0, 10): 0.08011856306595533   (1, 2, 10): 0.2127966622556647
  //   (3, 8, 10): 0.8001077637218698    (9, 9.5, 10): 2.6150744304686624
  // Group 2+: 3 customers, actual (2 + 2·5)/3 = 4, predicted (0.80011 + 2·2.61507)/3 = 2.01009.
  // Totals: actual 0 + 1 + 2 + 10 = 13, predicted 6.32317; MAE = Σw|e|/5 = 1.367413,
  // RMSE = √(Σw e²/5) = 1.639609, weighted correlation 0.991422.
  const SummaryData data = rows({0, 1, 3, 9}, {0, 2, 8, 9.5}, {10, 10, 10, 10}, {1, 1, 1, 2});
  const std::vector<double> actual{0, 1, 2, 5};
  const HoldoutValidation table = validate_holdout(cdnow_model(), data.view(), actual, 5, 2);
  REQUIRE(table.rows.size() == 3);
  CHECK(table.rows[0].frequency == 0);
  CHECK(table.rows[0].customers == 1);
  CHECK(table.rows[0].actual == 0);
  CHECK(table.rows[0].predicted == Approx(0.08011856306595533).epsilon(1e-10));
  CHECK(table.rows[1].frequency == 1);
  CHECK(table.rows[1].actual == 1);
  CHECK(table.rows[1].predicted == Approx(0.2127966622556647).epsilon(1e-10));
  CHECK(table.rows[2].frequency == 2);
  CHECK(table.rows[2].customers == 3);
  CHECK(table.rows[2].actual == Approx(4).epsilon(1e-15));
  CHECK(table.rows[2].predicted == Approx(2.0100855415530647).epsilon(1e-10));
  CHECK(table.total_actual == 13);
  CHECK(table.total_predicted == Approx(6.323171849980815).epsilon(1e-10));
  CHECK(table.mae == Approx(1.367413055230219).epsilon(1e-10));
  CHECK(table.rmse == Approx(1.6396090632948366).epsilon(1e-10));
  CHECK(table.correlation == Approx(0.9914217558847954).epsilon(1e-9));

  // Cap 0: one group of everybody, labelled 0.
  const HoldoutValidation pooled = validate_holdout(cdnow_model(), data.view(), actual, 5, 0);
  REQUIRE(pooled.rows.size() == 1);
  CHECK(pooled.rows[0].frequency == 0);
  CHECK(pooled.rows[0].customers == 5);
  CHECK(pooled.rows[0].actual == Approx(13.0 / 5).epsilon(1e-15));
  CHECK(pooled.mae == table.mae);
  // A large cap: only frequencies someone has appear.
  const HoldoutValidation wide = validate_holdout(cdnow_model(), data.view(), actual, 5, 100);
  REQUIRE(wide.rows.size() == 4);
  CHECK(wide.rows[2].frequency == 3);
  CHECK(wide.rows[3].frequency == 9);
  CHECK(wide.rows[3].customers == 2);
}

TEST_CASE("Holdout edge cases: nobody, nobody buying, one customer", "[clv][holdout]") {
  const HoldoutValidation empty = validate_holdout(cdnow_model(), SummaryView{}, {}, 39);
  CHECK(empty.rows.empty());
  CHECK(empty.total_actual == 0);
  CHECK(empty.total_predicted == 0);
  CHECK(empty.mae == 0);
  CHECK(std::isnan(empty.correlation));

  // Nobody bought in the holdout: the errors are the predictions; the correlation is undefined.
  const SummaryData data = rows({0, 4}, {0, 20}, {30, 30});
  const std::vector<double> zeros{0, 0};
  const HoldoutValidation quiet = validate_holdout(cdnow_model(), data.view(), zeros, 10);
  CHECK(quiet.total_actual == 0);
  CHECK(quiet.mae == Approx(quiet.total_predicted / 2).epsilon(1e-14));
  CHECK(std::isnan(quiet.correlation));

  // One customer who bought on the last day (t_x = T).
  const SummaryData one = rows({5}, {30}, {30});
  const std::vector<double> three{3};
  const HoldoutValidation single = validate_holdout(cdnow_model(), one.view(), three, 10);
  REQUIRE(single.rows.size() == 1);
  CHECK(single.rows[0].frequency == 5);
  const double predicted = cdnow_model().conditional_expected_purchases(10, 5, 30, 30);
  CHECK(single.rows[0].predicted == Approx(predicted).epsilon(1e-14));
  CHECK(single.mae == Approx(std::abs(predicted - 3)).epsilon(1e-14));
  CHECK(single.rmse == Approx(std::abs(predicted - 3)).epsilon(1e-14));
}

TEST_CASE("Holdout validation rejects bad input, naming the field", "[clv][holdout]") {
  const SummaryData data = rows({0, 2}, {0, 5}, {10, 10});
  const std::vector<double> actual{0, 1};
  const std::vector<double> short_actual{0};
  require_invalid([&] { (void)validate_holdout(cdnow_model(), data.view(), short_actual, 5); }, "holdout_frequency",
                  "1 rows", "as many rows as the calibration summary (2)");
  require_invalid([&] { (void)validate_holdout(cdnow_model(), data.view(), actual, 0); }, "duration", "0", "> 0");
  require_invalid([&] { (void)validate_holdout(cdnow_model(), data.view(), actual, std::nan("")); }, "duration",
                  "nan", "> 0");
  require_invalid([&] { (void)validate_holdout(cdnow_model(), data.view(), actual, 5, -1); }, "max_frequency", "-1",
                  ">= 0");
  const std::vector<double> fraction{0, 1.5};
  require_invalid([&] { (void)validate_holdout(cdnow_model(), data.view(), fraction, 5); }, "holdout_frequency[1]",
                  "1.5", "whole number >= 0");
  const std::vector<double> negative{-1, 1};
  require_invalid([&] { (void)validate_holdout(cdnow_model(), data.view(), negative, 5); }, "holdout_frequency[0]",
                  "-1", "whole number >= 0");
  const SummaryData bad = rows({0, 2}, {0, 12}, {10, 10});
  CHECK_THROWS_AS(validate_holdout(cdnow_model(), bad.view(), actual, 5), crmkit::ValidationError);
}

TEST_CASE("CDNOW calibration/holdout split reproduces the published summary and holdout counts",
          "[clv][holdout]") {
  const auto split = cdnow_split();
  const auto& calibration = split.calibration;
  // The calibration summary equals the (x, t_x, T) file FHL 2005 fitted (2 decimals there).
  const PublishedSummary published = read_cdnow_summary();
  REQUIRE(calibration.size() == 2357);
  REQUIRE(published.id.size() == 2357);
  CHECK(calibration.customer_ids == published.id);
  std::size_t mismatches = 0;
  for (std::size_t i = 0; i < calibration.size(); ++i) {
    if (static_cast<double>(calibration.frequency[i]) != published.x[i] ||
        round2(calibration.recency[i]) != published.t_x[i] || round2(calibration.T[i]) != published.T[i]) {
      ++mismatches;
    }
  }
  CHECK(mismatches == 0);
  CHECK(split.holdout_duration == Approx(39).epsilon(1e-14));  // 273 days = 1997-10-01 to 1998-06-30

  // Actual holdout purchases by calibration frequency, as BTYD's vignette prints them
  // (pnbd.PlotFreqVsConditionalExpectedFrequency, censor 7): bin sizes 1411 439 214 100 62 38 29 64,
  // means 0.2367116 0.6970387 1.392523 1.560000 2.532258 2.947368 3.862069 6.359375: 1,882 in all.
  // (Purchase days: several purchases on one day count once.) The predictions are lifetimes'
  // conditional expectation under FHL's published parameters, from scipy on the same summary.
  std::vector<double> x(calibration.size());
  std::vector<double> holdout(calibration.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    x[i] = static_cast<double>(calibration.frequency[i]);
    holdout[i] = static_cast<double>(split.holdout_frequency[i]);
  }
  const SummaryView view{x, calibration.recency, calibration.T, {}};
  const HoldoutValidation table = validate_holdout(cdnow_model(), view, holdout, split.holdout_duration);
  const double sizes[] = {1411, 439, 214, 100, 62, 38, 29, 64};
  const double actual[] = {0.2367116, 0.6970387, 1.392523, 1.560000, 2.532258, 2.947368, 3.862069, 6.359375};
  const double predicted[] = {0.225093401951105, 0.523139419076091, 1.044150089324500, 1.520302197617958,
                              2.163896738500417, 2.653882120436450, 3.504091078993711, 6.157266471811163};
  REQUIRE(table.rows.size() == 8);
  for (std::size_t g = 0; g < 8; ++g) {
    INFO("frequency " << g);
    CHECK(table.rows[g].frequency == static_cast<std::int64_t>(g));
    CHECK(table.rows[g].customers == sizes[g]);
    CHECK(table.rows[g].actual == Approx(actual[g]).epsilon(1e-6));
    CHECK(table.rows[g].predicted == Approx(predicted[g]).epsilon(1e-9));
  }
  CHECK(table.total_actual == 1882);
  CHECK(table.total_predicted == Approx(1653.436147854995).epsilon(1e-9));
  CHECK(table.mae == Approx(0.7854582657506395).epsilon(1e-9));
  CHECK(table.rmse == Approx(1.6079815659539358).epsilon(1e-9));
  CHECK(table.correlation == Approx(0.6256475325433344).epsilon(1e-8));
}
