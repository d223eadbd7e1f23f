#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <numeric>
#include <random>
#include <vector>

#include "crmkit/analytics/customer_summary.hpp"
#include "crmkit/analytics/rfm.hpp"
#include "support/validation_matchers.hpp"

using crmkit::Date;
using crmkit::analytics::bin_scores;
using crmkit::analytics::BinnedScores;
using crmkit::analytics::Binning;
using crmkit::analytics::Period;
using crmkit::analytics::PurchaseData;
using crmkit::analytics::rfm;
using crmkit::analytics::RfmOptions;
using crmkit::analytics::RfmScores;

namespace {

using Scores = std::vector<std::uint8_t>;
using Values = std::vector<double>;
constexpr std::int64_t day_us = 86'400'000'000;

std::int64_t us(const char* text) { return crmkit::parse_timestamp(text).time_since_epoch().count(); }

Date date(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

// The rank rule written the way pandas does it: qcut's edges on the ranks 1..n are the linear
// quantiles 1 + (n - 1) k / bins, and rank i gets the first k with i <= edge k.
Scores reference_rank_scores(const Values& values, int bins) {
  const std::size_t n = values.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  Scores scores(n, 1);
  for (std::size_t i = 1; i <= n; ++i) {
    int k = 1;
    if (n > 1) {
      while (static_cast<double>(i) > 1.0 + static_cast<double>(n - 1) * k / bins) ++k;
    }
    scores[order[i - 1]] = static_cast<std::uint8_t>(k);
  }
  return scores;
}

// Value binning written out: numpy's linear quantiles, then the first edge at or above the value.
BinnedScores reference_value_scores(const Values& values, int bins) {
  Values sorted = values;
  std::sort(sorted.begin(), sorted.end());
  const std::size_t n = sorted.size();
  BinnedScores out;
  for (int k = 0; k <= bins; ++k) {
    const std::size_t num = static_cast<std::size_t>(k) * (n - 1);
    const std::size_t lo = num / static_cast<std::size_t>(bins);
    const double t = static_cast<double>(num % static_cast<std::size_t>(bins)) / bins;
    if (t == 0) {
      out.edges.push_back(sorted[lo]);
    } else {
      const double a = sorted[lo];
      const double b = sorted[lo + 1];
      out.edges.push_back(t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t);
    }
  }
  for (const double v : values) {
    int k = 1;
    while (v > out.edges[static_cast<std::size_t>(k)]) ++k;
    out.scores.push_back(static_cast<std::uint8_t>(k));
  }
  return out;
}

PurchaseData sample() {
  PurchaseData d;
  d.push_back(10, us("2020-01-01T10:00:00Z"), 10.0);
  d.push_back(30, us("2020-01-03T00:00:00Z"), 4.0);
  d.push_back(10, us("2020-01-01T15:00:00Z"), 5.0);
  d.push_back(30, us("2020-01-03T00:00:00Z"), 6.0);
  d.push_back(10, us("2020-01-05T08:00:00Z"), 20.0);
  d.push_back(30, us("2020-01-25T09:30:00Z"), 100.0);
  d.push_back(2, us("2020-01-10T12:00:00Z"), 7.0);
  d.push_back(10, us("2020-01-20T23:59:59.999999Z"), 30.0);
  return d;
}

RfmOptions options(int bins = 5, Binning binning = Binning::rank, Period period = Period::day,
                   std::optional<Date> as_of = std::nullopt, unsigned threads = 1) {
  RfmOptions o;
  o.bins = bins;
  o.binning = binning;
  o.period = period;
  o.as_of = as_of;
  o.threads = threads;
  return o;
}

void require_same(const RfmScores& a, const RfmScores& b) {
  REQUIRE(a.customer_ids == b.customer_ids);
  CHECK(a.recency_days == b.recency_days);
  CHECK(a.frequency == b.frequency);
  CHECK(a.monetary == b.monetary);
  CHECK(a.r == b.r);
  CHECK(a.f == b.f);
  CHECK(a.m == b.m);
  CHECK(a.bins == b.bins);
  CHECK(a.binning == b.binning);
  CHECK(a.period == b.period);
  CHECK(a.as_of == b.as_of);
  CHECK(a.edges.recency_days == b.edges.recency_days);
  CHECK(a.edges.frequency == b.edges.frequency);
  CHECK(a.edges.monetary == b.edges.monetary);
}

// A seeded shop: heavy-tailed purchase counts (gamma-Poisson), log-normal baskets, two years of
// chronological rows, sparse customer ids, a few returns.
PurchaseData realistic_shop(std::uint64_t seed, int customers) {
  std::mt19937_64 rng(seed);
  std::gamma_distribution<double> rate(0.6, 4.0);
  std::lognormal_distribution<double> basket(3.0, 0.9);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const std::int64_t start = us("2022-01-01T00:00:00Z");
  const std::int64_t span = 730 * day_us;
  struct Row {
    std::int64_t id;
    std::int64_t time;
    double amount;
  };
  std::vector<Row> rows;
  for (int c = 0; c < customers; ++c) {
    const std::int64_t id = 1'000'000'007LL * c + 12'345;
    std::poisson_distribution<int> count(std::max(rate(rng), 1e-6));
    const int purchases = 1 + count(rng);
    const auto joined = static_cast<std::int64_t>(unit(rng) * static_cast<double>(span));
    for (int p = 0; p < purchases; ++p) {
      const auto t = joined + static_cast<std::int64_t>(unit(rng) * static_cast<double>(span - joined));
      double amount = std::round(basket(rng) * 100.0) / 100.0;
      if (unit(rng) < 0.03) amount = -amount;
      rows.push_back({id, start + t, amount});
    }
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.time < b.time; });
  PurchaseData d;
  for (const Row& r : rows) d.push_back(r.id, r.time, r.amount);
  return d;
}

}  // namespace

TEST_CASE("binning names round-trip and bad names are rejected", "[analytics]") {
  CHECK(crmkit::analytics::to_string(Binning::rank) == "rank");
  CHECK(crmkit::analytics::to_string(Binning::value) == "value");
  CHECK(crmkit::analytics::parse_binning("rank") == Binning::rank);
  CHECK(crmkit::analytics::parse_binning("value") == Binning::value);
  crmkit::test::require_invalid([] { (void)crmkit::analytics::parse_binning("quantile"); }, "binning", "quantile",
                                "rank or value");
  crmkit::test::require_invalid([] { (void)crmkit::analytics::parse_binning("", "rfm.binning"); }, "rfm.binning");
}

TEST_CASE("rank binning, hand-worked", "[analytics]") {
  SECTION("ties are broken by position") {
    // Sorted: 1 (pos 1), 2 (pos 4), 3 (pos 2), 3 (pos 3), 5 (pos 0): ranks 5 1 3 4 2 of n = 5.
    // score = max(1, ceil(5 (i - 1) / 4)): 1 2 3 4 5 for i = 1..5.
    const BinnedScores b = bin_scores(Values{5, 1, 3, 3, 2}, 5);
    CHECK(b.scores == Scores{5, 1, 3, 4, 2});
    // Edge k is the value at sorted position floor(4 k / 5): 0 0 1 2 3 4.
    CHECK(b.edges == Values{1, 1, 2, 3, 3, 5});
  }
  SECTION("ten values in quartiles, as pandas qcut of the ranks") {
    // ceil(4 (i - 1) / 9) for i = 1..10: 0 1 1 2 2 3 3 4 4 4 (the first raised to 1).
    const BinnedScores b = bin_scores(Values{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, 4);
    CHECK(b.scores == Scores{4, 4, 4, 3, 3, 2, 2, 1, 1, 1});
    CHECK(b.edges == Values{1, 3, 5, 7, 10});
  }
  SECTION("fewer values than bins: empty bins repeat the previous edge") {
    // n = 3: scores max(1, ceil(5 (i - 1) / 2)) = 1 3 5; edges at positions floor(2 k / 5) = 0 0 0 1 1 2.
    const BinnedScores b = bin_scores(Values{30, 10, 20}, 5);
    CHECK(b.scores == Scores{5, 1, 3});
    CHECK(b.edges == Values{10, 10, 10, 20, 20, 30});
  }
  SECTION("all values equal still fill the bins by position") {
    const BinnedScores b = bin_scores(Values{7, 7, 7, 7}, 2);
    CHECK(b.scores == Scores{1, 1, 2, 2});
    CHECK(b.edges == Values{7, 7, 7});
  }
  SECTION("two values") {
    CHECK(bin_scores(Values{2, 1}, 3).scores == Scores{3, 1});
  }
  SECTION("a single value scores 1") {
    const BinnedScores b = bin_scores(Values{-4.5}, 5);
    CHECK(b.scores == Scores{1});
    CHECK(b.edges == Values(6, -4.5));
  }
  SECTION("no values") {
    const BinnedScores b = bin_scores(Values{}, 3);
    CHECK(b.scores.empty());
    CHECK(b.edges == Values(4, 0.0));
  }
  SECTION("-0.0 and +0.0 are equal: position decides") {
    CHECK(bin_scores(Values{0.0, -0.0, -1.0}, 3).scores == Scores{2, 3, 1});
  }
}

TEST_CASE("value binning, hand-worked against numpy", "[analytics]") {
  SECTION("numpy.quantile(1..10, [0, .25, .5, .75, 1]) = 1, 3.25, 5.5, 7.75, 10") {
    const BinnedScores b = bin_scores(Values{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 4, Binning::value);
    CHECK(b.edges == Values{1, 3.25, 5.5, 7.75, 10});
    CHECK(b.scores == Scores{1, 1, 1, 2, 2, 3, 3, 4, 4, 4});
  }
  SECTION("ties share a bin and some bins stay empty") {
    // numpy.quantile([1]*6 + [2, 3, 4, 10], linspace(0, 1, 6)) = 1, 1, 1, 1.4, 3.2, 10.
    const BinnedScores b = bin_scores(Values{1, 1, 2, 1, 1, 10, 1, 3, 4, 1}, 5, Binning::value);
    REQUIRE(b.edges.size() == 6);
    CHECK(b.edges[0] == 1);
    CHECK(b.edges[1] == 1);
    CHECK(b.edges[2] == 1);
    CHECK(b.edges[3] == Approx(1.4));
    CHECK(b.edges[4] == Approx(3.2));
    CHECK(b.edges[5] == 10);
    // Every 1 scores 1; 2 and 3 are at most 3.2: score 4; 4 and 10 score 5. Bins 2 and 3 are empty.
    CHECK(b.scores == Scores{1, 1, 4, 1, 1, 5, 1, 4, 5, 1});
  }
  SECTION("all values equal score 1") {
    const BinnedScores b = bin_scores(Values{3, 3, 3}, 5, Binning::value);
    CHECK(b.scores == Scores{1, 1, 1});
    CHECK(b.edges == Values(6, 3.0));
  }
  SECTION("a single value scores 1") {
    CHECK(bin_scores(Values{8}, 4, Binning::value).scores == Scores{1});
  }
}

TEST_CASE("bin_scores rejects bad bins and values", "[analytics]") {
  crmkit::test::require_invalid([] { (void)bin_scores(Values{1, 2}, 1); }, "bins", "1", "between 2 and 100");
  crmkit::test::require_invalid([] { (void)bin_scores(Values{1, 2}, 101, Binning::value); }, "bins", "101");
  crmkit::test::require_invalid([] { (void)bin_scores(Values{1, std::nan(""), 2}, 5); }, "values[1]", "nan",
                                "finite");
  crmkit::test::require_invalid(
      [] { (void)bin_scores(Values{1, 2, -std::numeric_limits<double>::infinity()}, 5); }, "values[2]", "-inf");
}

TEST_CASE("binning matches the references on random data", "[analytics]") {
  std::mt19937_64 rng(99);
  for (const std::size_t n : {std::size_t{2}, std::size_t{3}, std::size_t{7}, std::size_t{100}, std::size_t{511},
                              std::size_t{512}, std::size_t{3001}}) {
    for (const int bins : {2, 3, 5, 10, 100}) {
      // Small integers (many ties), and spread doubles of both signs (the radix path for n >= 512).
      Values ties(n);
      Values spread(n);
      std::uniform_int_distribution<int> small(0, 6);
      std::normal_distribution<double> wide(0.0, 1e6);
      for (std::size_t i = 0; i < n; ++i) {
        ties[i] = small(rng);
        spread[i] = wide(rng);
      }
      for (const Values* values : {&ties, &spread}) {
        INFO("n = " << n << ", bins = " << bins);
        CHECK(bin_scores(*values, bins).scores == reference_rank_scores(*values, bins));
        const BinnedScores expected = reference_value_scores(*values, bins);
        const BinnedScores got = bin_scores(*values, bins, Binning::value);
        CHECK(got.scores == expected.scores);
        CHECK(got.edges == expected.edges);
      }
    }
  }
}

TEST_CASE("rfm of purchases, hand-worked", "[analytics]") {
  const PurchaseData d = sample();
  const RfmScores s = rfm(d.view(), options());
  CHECK(s.as_of == date(2020, 1, 25));
  CHECK(s.bins == 5);
  CHECK(s.binning == Binning::rank);
  CHECK(s.period == Period::day);
  REQUIRE(s.customer_ids == std::vector<std::int64_t>{2, 10, 30});
  // Last purchase days 10, 20, 25 against as_of 25; distinct days 1, 3, 2; spend 7, 65, 110.
  CHECK(s.recency_days == std::vector<std::int32_t>{15, 5, 0});
  CHECK(s.frequency == std::vector<std::int64_t>{1, 3, 2});
  CHECK(s.monetary == Values{7, 65, 110});
  // n = 3 ranks score 1, 3, 5. Recency ascending 0 (30), 5 (10), 15 (2): scores 1, 3, 5, so
  // R = 6 - score = 5 for customer 30, 3 for 10, 1 for 2.
  CHECK(s.r == Scores{1, 3, 5});
  CHECK(s.f == Scores{1, 5, 3});
  CHECK(s.m == Scores{1, 3, 5});
  CHECK(s.edges.recency_days == Values{0, 0, 0, 5, 5, 15});
  CHECK(s.edges.frequency == Values{1, 1, 1, 2, 2, 3});
  CHECK(s.edges.monetary == Values{7, 7, 7, 65, 65, 110});
  CHECK(s.size() == 3);
}

TEST_CASE("rfm with as_of, week periods, value binning, ties", "[analytics]") {
  const PurchaseData d = sample();
  SECTION("purchases after as_of are ignored") {
    const RfmScores s = rfm(d.view(), options(5, Binning::rank, Period::day, date(2020, 1, 4)));
    REQUIRE(s.customer_ids == std::vector<std::int64_t>{10, 30});
    CHECK(s.recency_days == std::vector<std::int32_t>{3, 1});
    CHECK(s.frequency == std::vector<std::int64_t>{1, 1});
    CHECK(s.monetary == Values{15, 10});
    // Frequency tie: customer 10 (lower id) ranks first: scores 1 and 5.
    CHECK(s.f == Scores{1, 5});
    CHECK(s.r == Scores{1, 5});
    CHECK(s.m == Scores{5, 1});
  }
  SECTION("frequency counts weeks") {
    const RfmScores s = rfm(d.view(), options(2, Binning::rank, Period::week));
    CHECK(s.period == Period::week);
    CHECK(s.frequency == std::vector<std::int64_t>{1, 2, 2});
    CHECK(s.recency_days == std::vector<std::int32_t>{15, 5, 0});  // always in days
    // Ranks of 1, 2, 2 (ties by id): ceil(2 (i - 1) / 2) = 1, 1, 2.
    CHECK(s.f == Scores{1, 1, 2});
  }
  SECTION("value binning: ties share a score") {
    const RfmScores s = rfm(d.view(), options(2, Binning::value, Period::week));
    CHECK(s.binning == Binning::value);
    // Frequency 1, 2, 2: edges 1, 2, 2 (the median is 2), and every value is <= edge 1: all score 1.
    CHECK(s.edges.frequency == Values{1, 2, 2});
    CHECK(s.f == Scores{1, 1, 1});
    // Recency 15, 5, 0: edges 0, 5, 15: scores 2, 1, 1 so R = 1, 2, 2.
    CHECK(s.edges.recency_days == Values{0, 5, 15});
    CHECK(s.r == Scores{1, 2, 2});
  }
  SECTION("no purchase on or before as_of") {
    const RfmScores s = rfm(d.view(), options(5, Binning::rank, Period::day, date(2019, 1, 1)));
    CHECK(s.size() == 0);
    CHECK(s.r.empty());
    CHECK(s.edges.monetary == Values(6, 0.0));
  }
}

TEST_CASE("rfm of a summary equals rfm of the purchases", "[analytics]") {
  const PurchaseData d = realistic_shop(5, 3'000);
  for (const Binning binning : {Binning::rank, Binning::value}) {
    crmkit::analytics::SummaryOptions so;
    so.period = Period::week;
    so.as_of = date(2023, 6, 30);
    const auto summary = crmkit::analytics::customer_summary(d.view(), so);
    require_same(rfm(summary, 4, binning), rfm(d.view(), options(4, binning, Period::week, date(2023, 6, 30))));
  }
}

TEST_CASE("rfm rejects bad options and views", "[analytics]") {
  const PurchaseData d = sample();
  crmkit::test::require_invalid([&] { (void)rfm(d.view(), options(1)); }, "bins", "1", "between 2 and 100");
  crmkit::test::require_invalid([&] { (void)rfm(d.view(), options(101)); }, "bins", "101");
  crmkit::test::require_invalid([&] { (void)rfm(crmkit::analytics::CustomerSummary{}, 0); }, "bins", "0");
  PurchaseData bad = sample();
  bad.amounts[3] = std::numeric_limits<double>::infinity();
  crmkit::test::require_invalid([&] { (void)rfm(bad.view()); }, "amounts[3]", "inf");
  crmkit::analytics::CustomerSummary ragged;
  ragged.customer_ids = {1, 2};
  ragged.last_purchase_us = {0};
  crmkit::test::require_invalid([&] { (void)rfm(ragged); }, "last_purchase_us", "1 rows");
}

TEST_CASE("rfm on a realistic shop matches a reference, whatever the threads or row order", "[analytics]") {
  // 17,500 customers with sparse ids (more than one block of the grouping engine), about 60,000
  // chronological rows.
  const PurchaseData d = realistic_shop(2024, 17'500);
  const Date as_of = date(2023, 12, 20);  // leaves out the purchases of the last days
  const RfmScores s = rfm(d.view(), options(5, Binning::rank, Period::day, as_of, 1));
  REQUIRE(s.size() > 16384);

  // The reference: per customer, the set of purchase days, the last day and the spend.
  struct Customer {
    std::int64_t last_day = std::numeric_limits<std::int64_t>::min();
    std::map<std::int64_t, bool> days;
    double spend = 0;
  };
  std::map<std::int64_t, Customer> customers;
  const std::int64_t as_of_day = std::chrono::sys_days{as_of}.time_since_epoch().count();
  for (std::size_t i = 0; i < d.size(); ++i) {
    const std::int64_t day = crmkit::analytics::period_index(d.times_us[i], Period::day);
    if (day > as_of_day) continue;
    Customer& c = customers[d.customer_ids[i]];
    c.last_day = std::max(c.last_day, day);
    c.days[day] = true;
    c.spend += d.amounts[i];
  }
  REQUIRE(s.size() == customers.size());
  Values recency;
  Values frequency;
  Values monetary;
  std::size_t row = 0;
  for (const auto& [id, c] : customers) {
    REQUIRE(s.customer_ids[row] == id);
    REQUIRE(s.recency_days[row] == as_of_day - c.last_day);
    REQUIRE(s.frequency[row] == static_cast<std::int64_t>(c.days.size()));
    REQUIRE(s.monetary[row] == Approx(c.spend).margin(1e-9));
    recency.push_back(static_cast<double>(s.recency_days[row]));
    frequency.push_back(static_cast<double>(s.frequency[row]));
    monetary.push_back(s.monetary[row]);
    ++row;
  }
  Scores r = reference_rank_scores(recency, 5);
  for (auto& score : r) score = static_cast<std::uint8_t>(6 - score);
  CHECK(s.r == r);
  CHECK(s.f == reference_rank_scores(frequency, 5));
  CHECK(s.m == reference_rank_scores(monetary, 5));
  // Equal-count quintiles: every score holds n / 5 customers, give or take one.
  for (const Scores* column : {&s.r, &s.f, &s.m}) {
    for (std::uint8_t k = 1; k <= 5; ++k) {
      const auto count = static_cast<double>(std::count(column->begin(), column->end(), k));
      CHECK(std::abs(count - static_cast<double>(s.size()) / 5.0) <= 1.2);
    }
  }

  for (const unsigned threads : {2U, 3U}) {
    require_same(rfm(d.view(), options(5, Binning::rank, Period::day, as_of, threads)), s);
  }
  // The rows reversed: every customer's rows arrive out of time order.
  PurchaseData reversed;
  for (std::size_t i = d.size(); i-- > 0;) reversed.push_back(d.customer_ids[i], d.times_us[i], d.amounts[i]);
  const RfmScores back = rfm(reversed.view(), options(5, Binning::rank, Period::day, as_of, 2));
  CHECK(back.customer_ids == s.customer_ids);
  CHECK(back.recency_days == s.recency_days);
  CHECK(back.frequency == s.frequency);
  CHECK(back.r == s.r);
  CHECK(back.f == s.f);
  for (std::size_t i = 0; i < s.size(); ++i) REQUIRE(back.monetary[i] == Approx(s.monetary[i]).margin(1e-9));

  const RfmScores by_value = rfm(d.view(), options(5, Binning::value, Period::day, as_of, 2));
  const BinnedScores expected_m = reference_value_scores(monetary, 5);
  CHECK(by_value.m == expected_m.scores);
  CHECK(by_value.edges.monetary == expected_m.edges);
}

TEST_CASE("rfm agrees across id layouts, row orders, engines and thread counts", "[analytics]") {
  // 140,000 rows of 40,000 customers: several partitions of the grouping engine on both the
  // dense path (ids 1..40000) and the sparse one (ids spread over the whole int64 range).
  std::mt19937_64 rng(31);
  std::uniform_int_distribution<std::int64_t> customer(1, 40'000);
  std::uniform_int_distribution<std::int64_t> offset(0, 400 * day_us);
  std::uniform_int_distribution<int> cents(-500, 50'000);
  PurchaseData chronological;
  const std::int64_t start = us("2021-01-01T00:00:00Z");
  for (std::size_t i = 0; i < 140'000; ++i) {
    chronological.push_back(customer(rng), start + static_cast<std::int64_t>(i) * (400 * day_us / 140'000),
                            cents(rng) * 0.25);
  }
  PurchaseData shuffled = chronological;
  {
    std::vector<std::size_t> order(shuffled.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::shuffle(order.begin(), order.end(), rng);
    for (std::size_t i = 0; i < order.size(); ++i) {
      shuffled.customer_ids[i] = chronological.customer_ids[order[i]];
      shuffled.times_us[i] = chronological.times_us[order[i]];
      shuffled.amounts[i] = chronological.amounts[order[i]];
    }
  }
  const auto sparse = [](std::int64_t id) { return (id - 20'000) * 230'584'300'921'369; };
  PurchaseData sparse_shuffled = shuffled;
  for (auto& id : sparse_shuffled.customer_ids) id = sparse(id);
  const Date as_of = date(2021, 12, 31);

  const RfmScores expected = rfm(chronological.view(), options(5, Binning::rank, Period::week, as_of, 1));
  REQUIRE(expected.size() > 32768);
  // Shuffled rows: every customer's rows out of order, redone from sorted rows.
  require_same(rfm(shuffled.view(), options(5, Binning::rank, Period::week, as_of, 2)), expected);
  // The summary engine (another state layout) agrees on the chronological rows.
  crmkit::analytics::SummaryOptions so;
  so.period = Period::week;
  so.as_of = as_of;
  so.threads = 3;
  require_same(rfm(crmkit::analytics::customer_summary(chronological.view(), so), 5), expected);
  // Sparse ids, in time order and shuffled.
  PurchaseData sparse_chronological = chronological;
  for (auto& id : sparse_chronological.customer_ids) id = sparse(id);
  std::vector<std::int64_t> mapped = expected.customer_ids;
  for (auto& id : mapped) id = sparse(id);
  for (const auto& [data, threads] : {std::pair{&sparse_chronological, 3U}, std::pair{&sparse_shuffled, 1U}}) {
    RfmScores s = rfm(data->view(), options(5, Binning::rank, Period::week, as_of, threads));
    CHECK(s.customer_ids == mapped);
    s.customer_ids = expected.customer_ids;
    require_same(s, expected);
  }
}
