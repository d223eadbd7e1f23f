#include <catch2/catch.hpp>

#include "crmkit/analytics/cohorts.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "crmkit/core/error.hpp"
#include "crmkit/core/time.hpp"
#include "support/validation_matchers.hpp"

using crmkit::Date;
using crmkit::analytics::CohortOptions;
using crmkit::analytics::CohortTable;
using crmkit::analytics::Period;
using crmkit::analytics::PurchaseData;
using crmkit::analytics::PurchaseView;
using crmkit::test::require_invalid;

namespace {

std::int64_t at(const char* text) { return crmkit::parse_timestamp(text).time_since_epoch().count(); }

Date day(const char* text) { return crmkit::parse_date(text); }

CohortTable cohorts_of(const PurchaseData& data, CohortOptions options = {}) {
  return crmkit::analytics::cohorts(data.view(), options);
}

void require_same(const CohortTable& a, const CohortTable& b) {
  CHECK(a.period == b.period);
  CHECK(a.as_of == b.as_of);
  CHECK(a.cohorts == b.cohorts);
  CHECK(a.sizes == b.sizes);
  CHECK(a.ages == b.ages);
  CHECK(a.active == b.active);
  CHECK(a.revenue == b.revenue);  // exact: the summation order does not depend on threads
}

// The hand-worked example: months January to March 2023, as_of 2023-03-31.
PurchaseData months_example() {
  PurchaseData d;
  d.push_back(1, at("2023-01-05T10:00:00Z"), 10);
  d.push_back(1, at("2023-01-20T10:00:00Z"), 5);
  d.push_back(2, at("2023-01-31T23:59:59Z"), 20);
  d.push_back(2, at("2023-02-01T00:00:00Z"), 1);
  d.push_back(3, at("2023-02-15T00:00:00Z"), 4);
  d.push_back(3, at("2023-02-16T00:00:00Z"), 6);
  d.push_back(1, at("2023-03-02T00:00:00Z"), 7);
  d.push_back(4, at("2023-03-31T23:59:59.999999Z"), 8);
  d.push_back(5, at("2023-04-01T00:00:00Z"), 100);  // after as_of
  return d;
}

// Every cohort cell the plain way, with maps, for comparison on random data.
struct Reference {
  std::map<std::pair<std::int64_t, std::int64_t>, std::int64_t> active;  // (cohort period, age)
  std::map<std::pair<std::int64_t, std::int64_t>, double> revenue;
  std::map<std::int64_t, std::int64_t> sizes;
};

Reference reference(const PurchaseData& d, Period period, std::int64_t last_us) {
  struct Row {
    std::int64_t customer;
    std::int64_t period;
    double amount;
  };
  std::vector<Row> rows;
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (d.times_us[i] > last_us) continue;
    rows.push_back({d.customer_ids[i], crmkit::analytics::period_index(d.times_us[i], period), d.amounts[i]});
  }
  // By customer, then period: a customer's first row holds its cohort.
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(a.customer, a.period) < std::tie(b.customer, b.period);
  });
  Reference r;
  for (std::size_t begin = 0; begin < rows.size();) {
    std::size_t end = begin;
    while (end < rows.size() && rows[end].customer == rows[begin].customer) ++end;
    const std::int64_t first = rows[begin].period;
    ++r.sizes[first];
    for (std::size_t i = begin; i < end; ++i) {
      const std::int64_t age = rows[i].period - first;
      r.revenue[{first, age}] += rows[i].amount;
      if (i == begin || rows[i].period != rows[i - 1].period) ++r.active[{first, age}];
    }
    begin = end;
  }
  return r;
}

PurchaseData random_purchases(std::size_t rows, std::int64_t customers, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  PurchaseData d;
  const std::int64_t start = at("2021-01-01T00:00:00Z");
  const std::int64_t span = at("2023-12-31T23:59:59Z") - start;
  for (std::size_t i = 0; i < rows; ++i) {
    // Sparse 64-bit ids (negative too), times in random order, amounts with returns.
    const auto c = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(customers));
    const std::int64_t id = (c - customers / 2) * 1'000'003'417;
    const std::int64_t t = start + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(span));
    const double amount = static_cast<double>(static_cast<std::int64_t>(rng() % 20'000) - 2'000) / 100.0;
    d.push_back(id, t, amount);
  }
  return d;
}

// Compares the table with the reference cell by cell, through the reference's cells (the
// table's other cells must then be zero: their totals agree).
void require_matches_reference(const CohortTable& t, const PurchaseData& d, Period period) {
  const Reference r = reference(d, period, at("2023-06-30T23:59:59.999999Z"));
  const std::int64_t base = crmkit::analytics::period_index(t.cohorts.front(), period);
  REQUIRE(t.size() == t.ages);
  REQUIRE(t.active.size() == t.ages * t.ages);
  REQUIRE(t.revenue.size() == t.ages * t.ages);
  for (std::size_t c = 0; c < t.size(); ++c) {
    const std::int64_t p = base + static_cast<std::int64_t>(c);
    if (t.cohorts[c] != crmkit::analytics::period_start(p, period)) FAIL("cohort " << c << " starts elsewhere");
    if (t.sizes[c] != (r.sizes.count(p) ? r.sizes.at(p) : 0)) FAIL("cohort " << c << " has another size");
  }
  std::int64_t active_total = 0;
  for (const auto& [key, active] : r.active) {
    const auto c = static_cast<std::size_t>(key.first - base);
    const auto a = static_cast<std::size_t>(key.second);
    if (!t.observed(c, a)) FAIL("data in an unobserved cell " << c << ", " << a);
    if (t.active_at(c, a) != active) FAIL("active differs at cohort " << c << " age " << a);
    if (t.revenue_at(c, a) != Approx(r.revenue.at(key)).margin(1e-9)) FAIL("revenue differs at " << c << ", " << a);
    active_total += active;
  }
  CHECK(std::accumulate(t.active.begin(), t.active.end(), std::int64_t{0}) == active_total);
  std::size_t nonzero_revenue = 0;
  for (const double revenue : t.revenue) nonzero_revenue += revenue != 0 ? 1 : 0;
  CHECK(nonzero_revenue <= r.revenue.size());
}

}  // namespace

TEST_CASE("cohorts counts active customers and revenue by acquisition month and age", "[analytics]") {
  const PurchaseData data = months_example();
  CohortOptions options;
  options.as_of = day("2023-03-31");
  const CohortTable t = cohorts_of(data, options);
  CHECK(t.period == Period::month);
  CHECK(t.as_of == day("2023-03-31"));
  // January: customers 1 and 2 (2 spent at 23:59:59 on the 31st: still January).
  //   age 0: both, 10 + 5 + 20 = 35; age 1 (February): customer 2, 1; age 2 (March): customer 1, 7.
  // February: customer 3; age 0: 4 + 6 = 10; age 1 (March): nobody.
  // March: customer 4 at the last microsecond of as_of; age 0: 8.
  // Customer 5 buys after as_of: not counted anywhere.
  REQUIRE(t.size() == 3);
  CHECK(t.cohorts == std::vector<Date>{day("2023-01-01"), day("2023-02-01"), day("2023-03-01")});
  CHECK(t.sizes == std::vector<std::int64_t>{2, 1, 1});
  CHECK(t.ages == 3);
  CHECK(t.active == std::vector<std::int64_t>{2, 1, 1, /**/ 1, 0, 0, /**/ 1, 0, 0});
  CHECK(t.revenue == std::vector<double>{35, 1, 7, /**/ 10, 0, 0, /**/ 8, 0, 0});
  CHECK(t.retention(0, 0) == 1.0);
  CHECK(t.retention(0, 1) == 0.5);
  CHECK(t.retention(1, 1) == 0.0);
  CHECK(t.observed(0, 2));
  CHECK(t.observed(1, 1));
  CHECK_FALSE(t.observed(1, 2));  // February + 2 months = April, after as_of
  CHECK(t.observed(2, 0));
  CHECK_FALSE(t.observed(2, 1));
  CHECK_FALSE(t.observed(3, 0));
  CHECK_THROWS_AS(t.active_at(0, 3), std::out_of_range);
  CHECK_THROWS_AS(t.revenue_at(3, 0), std::out_of_range);
  CHECK_THROWS_AS(t.retention(3, 0), std::out_of_range);

  SECTION("without as_of, the table runs to the latest purchase day") {
    const CohortTable all = cohorts_of(data);
    CHECK(all.as_of == day("2023-04-01"));
    REQUIRE(all.size() == 4);
    CHECK(all.sizes == std::vector<std::int64_t>{2, 1, 1, 1});
    CHECK(all.active_at(3, 0) == 1);
    CHECK(all.revenue_at(3, 0) == 100);
    CHECK(all.active_at(0, 2) == 1);
    CHECK(all.active_at(0, 3) == 0);  // January customers in April: none
  }
  SECTION("the order of the rows and the thread count do not matter") {
    PurchaseData shuffled;
    std::vector<std::size_t> order(data.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::reverse(order.begin(), order.end());
    for (std::size_t i : order) shuffled.push_back(data.customer_ids[i], data.times_us[i], data.amounts[i]);
    for (unsigned threads : {1U, 2U, 3U}) {
      options.threads = threads;
      require_same(t, cohorts_of(shuffled, options));
    }
  }
}

TEST_CASE("cohorts run without gaps to the as_of period", "[analytics]") {
  PurchaseData d;
  d.push_back(7, at("2023-01-10T00:00:00Z"), 1);
  d.push_back(9, at("2023-04-10T00:00:00Z"), 2);
  CohortOptions options;
  options.as_of = day("2023-06-15");
  const CohortTable t = cohorts_of(d, options);
  // January to June: 6 cohorts, of which only January and April acquired anyone.
  REQUIRE(t.size() == 6);
  CHECK(t.cohorts.back() == day("2023-06-01"));
  CHECK(t.sizes == std::vector<std::int64_t>{1, 0, 0, 1, 0, 0});
  CHECK(t.ages == 6);
  CHECK(t.active_at(0, 0) == 1);
  CHECK(t.active_at(3, 0) == 1);
  CHECK(t.revenue_at(3, 0) == 2);
  CHECK(std::accumulate(t.active.begin(), t.active.end(), std::int64_t{0}) == 2);
}

TEST_CASE("cohorts by ISO week and by day, negative times included", "[analytics]") {
  SECTION("weeks start on Monday") {
    PurchaseData d;
    // 2024-01-01 is a Monday: the 1st and the 7th (Sunday) are one week, the 8th the next.
    d.push_back(1, at("2024-01-01T00:00:00Z"), 3);
    d.push_back(1, at("2024-01-07T23:59:59Z"), 4);
    d.push_back(1, at("2024-01-08T00:00:00Z"), 5);
    d.push_back(2, at("2024-01-09T12:00:00Z"), 6);
    CohortOptions options;
    options.period = Period::week;
    options.as_of = day("2024-01-14");
    const CohortTable t = cohorts_of(d, options);
    REQUIRE(t.size() == 2);
    CHECK(t.cohorts == std::vector<Date>{day("2024-01-01"), day("2024-01-08")});
    CHECK(t.sizes == std::vector<std::int64_t>{1, 1});
    CHECK(t.active == std::vector<std::int64_t>{1, 1, /**/ 1, 0});
    CHECK(t.revenue == std::vector<double>{7, 5, /**/ 6, 0});
  }
  SECTION("days across the epoch") {
    PurchaseData d;
    d.push_back(-5, at("1969-12-31T23:00:00Z"), 1.5);
    d.push_back(-5, at("1970-01-01T01:00:00Z"), 2.5);
    d.push_back(-5, at("1970-01-01T01:00:00Z"), 1);  // the same instant: one active customer
    d.push_back(INT64_MAX, at("1970-01-01T00:00:00Z"), 4);
    CohortOptions options;
    options.period = Period::day;
    const CohortTable t = cohorts_of(d, options);
    CHECK(t.as_of == day("1970-01-01"));
    REQUIRE(t.size() == 2);
    CHECK(t.cohorts == std::vector<Date>{day("1969-12-31"), day("1970-01-01")});
    CHECK(t.sizes == std::vector<std::int64_t>{1, 1});
    CHECK(t.active == std::vector<std::int64_t>{1, 1, /**/ 1, 0});
    CHECK(t.revenue == std::vector<double>{1.5, 3.5, /**/ 4, 0});
  }
  SECTION("a customer whose purchases come out of time order") {
    PurchaseData d;
    d.push_back(1, at("2023-03-05T00:00:00Z"), 1);
    d.push_back(1, at("2023-01-05T00:00:00Z"), 2);
    d.push_back(1, at("2023-03-20T00:00:00Z"), 4);
    d.push_back(1, at("2023-02-05T00:00:00Z"), 8);
    d.push_back(1, at("2023-01-25T00:00:00Z"), 16);
    const CohortTable t = cohorts_of(d);
    REQUIRE(t.size() == 3);
    CHECK(t.active == std::vector<std::int64_t>{1, 1, 1, /**/ 0, 0, 0, /**/ 0, 0, 0});
    CHECK(t.revenue == std::vector<double>{18, 8, 5, /**/ 0, 0, 0, /**/ 0, 0, 0});
  }
}

TEST_CASE("cohorts of nothing, of a single customer, and of purchases all after as_of", "[analytics]") {
  const CohortTable empty = cohorts_of(PurchaseData{});
  CHECK(empty.size() == 0);
  CHECK(empty.ages == 0);
  CHECK(empty.as_of == day("1970-01-01"));
  CHECK_FALSE(empty.observed(0, 0));

  PurchaseData one;
  one.push_back(42, at("2022-05-05T05:05:05Z"), 9.5);
  const CohortTable single = cohorts_of(one);
  CHECK(single.size() == 1);
  CHECK(single.sizes == std::vector<std::int64_t>{1});
  CHECK(single.active == std::vector<std::int64_t>{1});
  CHECK(single.revenue == std::vector<double>{9.5});
  CHECK(single.retention(0, 0) == 1.0);

  CohortOptions options;
  options.as_of = day("2022-05-04");
  const CohortTable before = cohorts_of(one, options);
  CHECK(before.size() == 0);
  CHECK(before.as_of == day("2022-05-04"));
}

TEST_CASE("cohorts rejects an inconsistent view and a table too large to allocate", "[analytics]") {
  const std::vector<std::int64_t> ids = {1, 2};
  const std::vector<std::int64_t> times = {0};
  const std::vector<double> amounts = {1, 2};
  require_invalid([&] { (void)crmkit::analytics::cohorts(PurchaseView{ids, times, amounts}); }, "times_us");
  const std::vector<std::int64_t> two_times = {0, 0};
  const std::vector<double> bad_amounts = {1, std::numeric_limits<double>::infinity()};
  require_invalid([&] { (void)crmkit::analytics::cohorts(PurchaseView{ids, two_times, bad_amounts}); },
                  "amounts[1]");

  PurchaseData d;
  d.push_back(1, at("1970-01-01T00:00:00Z"), 1);
  CohortOptions options;
  options.period = Period::day;
  options.as_of = day("2000-01-01");  // 10957 day cohorts
  require_invalid([&] { (void)cohorts_of(d, options); }, "period", "day", "at most 8192");
  options.period = Period::month;  // 361 month cohorts are fine
  CHECK(cohorts_of(d, options).size() == 361);
}

TEST_CASE("cohorts match a plain reference and do not depend on the thread count", "[analytics]") {
  // About 21k of 40k customers buy: two groups of customers, whose partial tables are merged.
  const PurchaseData shuffled = random_purchases(30'000, 40'000, 11);
  // The same rows in time order: each customer's periods then only go up (the one-pass count).
  PurchaseData sorted;
  std::vector<std::size_t> order(shuffled.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return shuffled.times_us[a] < shuffled.times_us[b]; });
  for (std::size_t i : order) sorted.push_back(shuffled.customer_ids[i], shuffled.times_us[i], shuffled.amounts[i]);

  const auto check = [](const PurchaseData& d, Period period) {
    INFO("period " << crmkit::analytics::to_string(period));
    CohortOptions options;
    options.period = period;
    options.as_of = day("2023-06-30");
    options.threads = 1;
    const CohortTable one = cohorts_of(d, options);
    require_matches_reference(one, d, period);
    for (unsigned threads : {2U, 3U}) {
      options.threads = threads;
      require_same(one, cohorts_of(d, options));
    }
    return one;
  };
  for (const Period period : {Period::month, Period::week, Period::day}) (void)check(shuffled, period);
  const CohortTable in_order = check(sorted, Period::month);
  const CohortTable any_order = cohorts_of(shuffled, CohortOptions{Period::month, day("2023-06-30"), 1});
  CHECK(in_order.active == any_order.active);
  CHECK(in_order.sizes == any_order.sizes);
}
