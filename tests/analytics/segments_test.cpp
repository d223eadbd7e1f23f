#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "crmkit/analytics/rfm.hpp"
#include "crmkit/analytics/segments.hpp"
#include "support/validation_matchers.hpp"

using crmkit::analytics::assign_segments;
using crmkit::analytics::RfmScores;
using crmkit::analytics::SegmentRule;
using crmkit::analytics::SegmentRules;
using crmkit::analytics::Segmentation;
using crmkit::analytics::summarize_segments;

namespace {

struct Cell {
  int r;
  int f;
  int m;
};

// Scores for customers 1..n with the given cells; recency/frequency/monetary derived from the index.
RfmScores scores_of(const std::vector<Cell>& cells, int bins = 5) {
  RfmScores s;
  s.bins = bins;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    s.customer_ids.push_back(static_cast<std::int64_t>(i) + 1);
    s.r.push_back(static_cast<std::uint8_t>(cells[i].r));
    s.f.push_back(static_cast<std::uint8_t>(cells[i].f));
    s.m.push_back(static_cast<std::uint8_t>(cells[i].m));
    s.recency_days.push_back(static_cast<std::int32_t>(i));
    s.frequency.push_back(static_cast<std::int64_t>(i) + 1);
    s.monetary.push_back(10.0 * static_cast<double>(i));
  }
  return s;
}

}  // namespace

TEST_CASE("the standard grid puts each of the 25 R x F cells in exactly one segment", "[analytics]") {
  const SegmentRules standard = SegmentRules::standard();
  CHECK_NOTHROW(standard.validate(5));
  REQUIRE(standard.rules.size() == 10);
  CHECK(standard.fallback == "Other");
  for (int r = 1; r <= 5; ++r) {
    for (int f = 1; f <= 5; ++f) {
      for (int m = 1; m <= 5; ++m) {
        const auto matching = std::count_if(standard.rules.begin(), standard.rules.end(), [&](const SegmentRule& rule) {
          return rule.r.contains(r) && rule.f.contains(f) && rule.m.contains(m);
        });
        INFO("R" << r << " F" << f << " M" << m);
        CHECK(matching == 1);
      }
    }
  }
}

TEST_CASE("standard segments of every cell, in rule order", "[analytics]") {
  std::vector<Cell> cells;
  for (int r = 1; r <= 5; ++r) {
    for (int f = 1; f <= 5; ++f) cells.push_back({r, f, (r + f) % 5 + 1});
  }
  const RfmScores scores = scores_of(cells);
  const Segmentation seg = assign_segments(scores);
  CHECK(seg.labels == std::vector<std::string>{"Champions", "Loyal Customers", "Potential Loyalists", "New Customers",
                                               "Promising", "Need Attention", "About to Sleep", "Can't Lose Them",
                                               "At Risk", "Hibernating", "Other"});
  REQUIRE(seg.segment.size() == 25);
  const auto label = [&](int r, int f) { return seg.label_of(static_cast<std::size_t>((r - 1) * 5 + (f - 1))); };
  CHECK(label(5, 5) == "Champions");
  CHECK(label(5, 4) == "Champions");
  CHECK(label(4, 5) == "Loyal Customers");
  CHECK(label(3, 4) == "Loyal Customers");
  CHECK(label(5, 2) == "Potential Loyalists");
  CHECK(label(4, 3) == "Potential Loyalists");
  CHECK(label(5, 1) == "New Customers");
  CHECK(label(4, 1) == "Promising");
  CHECK(label(3, 3) == "Need Attention");
  CHECK(label(3, 2) == "About to Sleep");
  CHECK(label(3, 1) == "About to Sleep");
  CHECK(label(1, 5) == "Can't Lose Them");
  CHECK(label(2, 5) == "Can't Lose Them");
  CHECK(label(2, 4) == "At Risk");
  CHECK(label(1, 3) == "At Risk");
  CHECK(label(2, 2) == "Hibernating");
  CHECK(label(1, 1) == "Hibernating");
  // Cells per segment: 2 4 4 1 1 1 2 2 4 4, and nobody in Other.
  std::vector<int> counts(seg.labels.size(), 0);
  for (const auto s : seg.segment) ++counts[s];
  CHECK(counts == std::vector<int>{2, 4, 4, 1, 1, 1, 2, 2, 4, 4, 0});
}

TEST_CASE("user rules: first match wins, shared labels, fallback", "[analytics]") {
  SegmentRules rules;
  rules.rules = {
      {"High", {4, 5}, {}, {}},
      {"Frequent", {}, {4, 5}, {}},
      {"High", {}, {}, {5, 5}},  // a second range of the same segment
  };
  rules.fallback = "Rest";
  const RfmScores scores = scores_of({{5, 5, 1}, {1, 5, 1}, {1, 1, 5}, {1, 1, 1}, {3, 4, 5}, {4, 1, 1}});
  const Segmentation seg = assign_segments(scores, rules);
  CHECK(seg.labels == std::vector<std::string>{"High", "Frequent", "Rest"});
  CHECK(seg.segment == std::vector<std::uint16_t>{0, 1, 0, 2, 1, 0});
  CHECK(seg.label_of(3) == "Rest");
  CHECK_THROWS_AS(seg.label_of(6), std::out_of_range);

  SECTION("a fallback equal to a rule label is listed once") {
    rules.fallback = "Frequent";
    const Segmentation again = assign_segments(scores, rules);
    CHECK(again.labels == std::vector<std::string>{"High", "Frequent"});
    CHECK(again.segment == std::vector<std::uint16_t>{0, 1, 0, 1, 1, 0});
  }
  SECTION("no rules: everyone falls back") {
    const Segmentation all = assign_segments(scores, SegmentRules{{}, "Everyone"});
    CHECK(all.labels == std::vector<std::string>{"Everyone"});
    CHECK(all.segment == std::vector<std::uint16_t>(6, 0));
  }
}

TEST_CASE("user rules with many bins use the same first-match rule", "[analytics]") {
  // 20 bins: beyond the cell table; compare with a direct evaluation of the rules.
  SegmentRules rules;
  rules.rules = {{"A", {15, 20}, {10, 100}, {}}, {"B", {1, 5}, {}, {18, 20}}, {"C", {6, 14}, {6, 14}, {6, 14}}};
  std::mt19937 rng(4);
  std::uniform_int_distribution<int> score(1, 20);
  std::vector<Cell> cells;
  for (int i = 0; i < 2000; ++i) cells.push_back({score(rng), score(rng), score(rng)});
  const Segmentation seg = assign_segments(scores_of(cells, 20), rules);
  CHECK(seg.labels == std::vector<std::string>{"A", "B", "C", "Other"});
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const Cell& c = cells[i];
    std::uint16_t expected = 3;
    if (c.r >= 15 && c.f >= 10) {
      expected = 0;
    } else if (c.r <= 5 && c.m >= 18) {
      expected = 1;
    } else if (c.r >= 6 && c.r <= 14 && c.f >= 6 && c.f <= 14 && c.m >= 6 && c.m <= 14) {
      expected = 2;
    }
    REQUIRE(seg.segment[i] == expected);
  }
}

TEST_CASE("segment rules are validated against the bin count", "[analytics]") {
  using crmkit::test::require_invalid;
  SECTION("the standard grid needs 5 bins") {
    require_invalid([] { SegmentRules::standard().validate(4); }, "bins", "4", "needs 5 bins");
    require_invalid([] { SegmentRules::standard().validate(7); }, "bins", "7", "needs 5 bins");
    RfmScores three = scores_of({{1, 1, 1}}, 3);
    require_invalid([&] { (void)assign_segments(three); }, "bins", "3", "needs 5 bins");
    RfmScores ten = scores_of({{1, 1, 1}}, 10);
    require_invalid([&] { (void)assign_segments(ten); }, "bins", "10", "needs 5 bins");
  }
  SECTION("labels, empty ranges, ranges outside the scores, fallback") {
    SegmentRules rules;
    rules.rules = {{"A", {4, 5}, {}, {}}, {"", {1, 2}, {}, {}}};
    require_invalid([&] { rules.validate(5); }, "rules[1].label", "", "must not be empty");
    rules.rules = {{"A", {4, 3}, {}, {}}};
    require_invalid([&] { rules.validate(5); }, "rules[0].r", "4..3", "is empty");
    rules.rules = {{"A", {}, {0, 2}, {}}};
    require_invalid([&] { rules.validate(5); }, "rules[0].f", "0..2", "outside the scores 1..5");
    rules.rules = {{"A", {}, {}, {}}, {"B", {}, {}, {}}, {"C", {}, {}, {3, 6}}};
    require_invalid([&] { rules.validate(5); }, "rules[2].m", "3..6", "outside the scores 1..5");
    rules.rules = {{"A", {6, 100}, {}, {}}};
    require_invalid([&] { rules.validate(5); }, "rules[0].r", "6..100", "outside");
    // 100, the default maximum, means "and above": accepted for any bin count.
    rules.rules = {{"A", {3, 100}, {1, 100}, {2, 100}}};
    CHECK_NOTHROW(rules.validate(3));
    rules.fallback = "";
    require_invalid([&] { rules.validate(5); }, "fallback", "", "must not be empty");
  }
  SECTION("assign_segments validates the rules") {
    SegmentRules rules;
    rules.rules = {{"A", {1, 4}, {}, {}}};
    RfmScores two = scores_of({{1, 1, 1}}, 2);
    require_invalid([&] { (void)assign_segments(two, rules); }, "rules[0].r", "1..4");
  }
}

TEST_CASE("segment summary, hand-worked", "[analytics]") {
  RfmScores scores = scores_of({{5, 5, 5}, {5, 4, 4}, {1, 1, 1}});
  scores.monetary = {100, 50, 50};
  scores.recency_days = {10, 5, 30};
  scores.frequency = {2, 1, 6};
  Segmentation seg;
  seg.labels = {"X", "Y", "Other"};
  seg.segment = {0, 0, 1};
  const auto stats = summarize_segments(scores, seg);
  REQUIRE(stats.size() == 3);
  // X: customers 1 and 2, revenue 150 of 200.
  CHECK(stats[0].label == "X");
  CHECK(stats[0].customers == 2);
  CHECK(stats[0].customer_share == Approx(2.0 / 3.0));
  CHECK(stats[0].revenue == 150);
  CHECK(stats[0].revenue_share == 0.75);
  CHECK(stats[0].mean_recency_days == 7.5);
  CHECK(stats[0].mean_frequency == 1.5);
  CHECK(stats[0].mean_monetary == 75);
  CHECK(stats[1].label == "Y");
  CHECK(stats[1].customers == 1);
  CHECK(stats[1].customer_share == Approx(1.0 / 3.0));
  CHECK(stats[1].revenue == 50);
  CHECK(stats[1].revenue_share == 0.25);
  CHECK(stats[1].mean_recency_days == 30);
  CHECK(stats[1].mean_frequency == 6);
  CHECK(stats[1].mean_monetary == 50);
  // An empty segment is listed with zeros.
  CHECK(stats[2].label == "Other");
  CHECK(stats[2].customers == 0);
  CHECK(stats[2].customer_share == 0);
  CHECK(stats[2].revenue == 0);
  CHECK(stats[2].revenue_share == 0);
  CHECK(stats[2].mean_recency_days == 0);
  CHECK(stats[2].mean_frequency == 0);
  CHECK(stats[2].mean_monetary == 0);

  SECTION("no revenue at all gives revenue shares of 0") {
    scores.monetary = {5, -5, 0};
    const auto zero = summarize_segments(scores, seg);
    CHECK(zero[0].revenue == 0);
    CHECK(zero[0].revenue_share == 0);
    CHECK(zero[1].revenue_share == 0);
  }
  SECTION("mismatched segmentation") {
    Segmentation short_seg = seg;
    short_seg.segment.pop_back();
    crmkit::test::require_invalid([&] { (void)summarize_segments(scores, short_seg); }, "segment", "2 entries",
                                  "one entry per scored customer (3)");
    Segmentation bad_index = seg;
    bad_index.segment[1] = 3;
    crmkit::test::require_invalid([&] { (void)summarize_segments(scores, bad_index); }, "segment", "segment[1] = 3",
                                  "index into the 3 labels");
  }
  SECTION("no customers") {
    const auto none = summarize_segments(RfmScores{}, Segmentation{{"Other"}, {}});
    REQUIRE(none.size() == 1);
    CHECK(none[0].customers == 0);
    CHECK(none[0].customer_share == 0);
  }
}

TEST_CASE("segments of a scored population add up", "[analytics]") {
  // Rank-binned quintiles of 1,000 customers, then the standard grid and its summary.
  std::vector<double> recency(1000);
  std::vector<double> frequency(1000);
  std::vector<double> monetary(1000);
  std::mt19937_64 rng(8);
  std::geometric_distribution<int> visits(0.3);
  std::uniform_int_distribution<int> days(0, 700);
  std::lognormal_distribution<double> spend(4.0, 1.0);
  RfmScores s;
  for (std::size_t i = 0; i < 1000; ++i) {
    s.customer_ids.push_back(static_cast<std::int64_t>(i) * 3);
    s.recency_days.push_back(days(rng));
    s.frequency.push_back(1 + visits(rng));
    s.monetary.push_back(spend(rng));
    recency[i] = s.recency_days.back();
    frequency[i] = static_cast<double>(s.frequency.back());
    monetary[i] = s.monetary.back();
  }
  s.r = crmkit::analytics::bin_scores(recency, 5).scores;
  for (auto& r : s.r) r = static_cast<std::uint8_t>(6 - r);
  s.f = crmkit::analytics::bin_scores(frequency, 5).scores;
  s.m = crmkit::analytics::bin_scores(monetary, 5).scores;
  const Segmentation seg = assign_segments(s);
  const auto stats = summarize_segments(s, seg);
  REQUIRE(stats.size() == 11);
  std::int64_t customers = 0;
  double customer_share = 0;
  double revenue = 0;
  double revenue_share = 0;
  for (const auto& st : stats) {
    customers += st.customers;
    customer_share += st.customer_share;
    revenue += st.revenue;
    revenue_share += st.revenue_share;
  }
  CHECK(customers == 1000);
  CHECK(customer_share == Approx(1.0));
  CHECK(revenue_share == Approx(1.0));
  double all = 0;
  for (const double m : s.monetary) all += m;
  CHECK(revenue == Approx(all));
  CHECK(stats.back().customers == 0);  // the grid covers every cell
  // Champions have the top recency score: R = 5 is the most recent fifth, at most 140 days here.
  CHECK(stats[0].mean_recency_days < stats[9].mean_recency_days);
}
