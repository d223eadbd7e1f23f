// The worked example of docs/analytics.md, computed by hand there: if this fails, the guide is
// wrong or the library is, and both must be put right together.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "crmkit/analytics/customer_summary.hpp"
#include "crmkit/analytics/rfm.hpp"
#include "crmkit/analytics/segments.hpp"
#include "crmkit/core/time.hpp"
#include "crmkit/io/purchase_columns.hpp"

namespace analytics = crmkit::analytics;

namespace {

analytics::PurchaseData guide_purchases() {
  return crmkit::io::read_purchase_columns(std::string(CRMKIT_TEST_DATA_DIR) +
                                           "/analytics/guide_purchases.csv");
}

}  // namespace

TEST_CASE("guide example: RFM scores by rank and segments", "[analytics][guide]") {
  const analytics::PurchaseData purchases = guide_purchases();
  analytics::RfmOptions options;
  options.as_of = crmkit::parse_date("2024-03-31");
  const analytics::RfmScores scores = analytics::rfm(purchases.view(), options);

  CHECK(scores.customer_ids == std::vector<std::int64_t>{1, 2, 3, 4, 5});
  CHECK(scores.recency_days == std::vector<std::int32_t>{1, 30, 64, 121, 0});
  CHECK(scores.frequency == std::vector<std::int64_t>{3, 1, 2, 1, 1});
  CHECK(scores.monetary == std::vector<double>{120, 200, 30, 80, 5});
  CHECK(scores.r == std::vector<std::uint8_t>{4, 3, 2, 1, 5});
  CHECK(scores.f == std::vector<std::uint8_t>{5, 1, 4, 2, 3});
  CHECK(scores.m == std::vector<std::uint8_t>{4, 5, 2, 3, 1});

  const analytics::Segmentation segments = analytics::assign_segments(scores);
  std::vector<std::string> labels;
  for (std::size_t row = 0; row < scores.size(); ++row) labels.push_back(segments.label_of(row));
  CHECK(labels == std::vector<std::string>{"Loyal Customers", "About to Sleep", "At Risk",
                                           "Hibernating", "Potential Loyalists"});
}

TEST_CASE("guide example: frequency binned by value", "[analytics][guide]") {
  const analytics::PurchaseData purchases = guide_purchases();
  analytics::RfmOptions options;
  options.as_of = crmkit::parse_date("2024-03-31");
  options.binning = analytics::Binning::value;
  const analytics::RfmScores scores = analytics::rfm(purchases.view(), options);

  CHECK(scores.binning == analytics::Binning::value);
  CHECK(scores.f == std::vector<std::uint8_t>{5, 1, 4, 1, 1});
  REQUIRE(scores.edges.frequency.size() == 6);
  const std::vector<double> expected{1, 1, 1, 1.4, 2.2, 3};
  for (std::size_t k = 0; k < expected.size(); ++k) {
    CHECK(scores.edges.frequency[k] == Approx(expected[k]).margin(1e-12));
  }
}

TEST_CASE("guide example: customer 1's summary in days", "[analytics][guide]") {
  const analytics::PurchaseData purchases = guide_purchases();
  analytics::SummaryOptions options;
  options.as_of = crmkit::parse_date("2024-03-31");
  const analytics::CustomerSummary summary = analytics::customer_summary(purchases.view(), options);

  REQUIRE(summary.size() == 5);
  const std::size_t row = summary.find(1).value();
  CHECK(summary.frequency[row] == 2);
  CHECK(summary.recency[row] == 85);
  CHECK(summary.T[row] == 86);
  CHECK(summary.monetary_value[row] == 45);
  CHECK(summary.total_spend[row] == 120);
  CHECK(summary.purchase_periods[row] == 3);
  // Customer 5's purchase of 2024-04-02 is after as_of and does not count.
  const std::size_t five = summary.find(5).value();
  CHECK(summary.frequency[five] == 0);
  CHECK(summary.total_spend[five] == 5);
  CHECK(summary.T[five] == 0);
}
