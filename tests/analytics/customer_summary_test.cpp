#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <map>
#include <numeric>
#include <random>
#include <vector>

#include "crmkit/analytics/customer_summary.hpp"
#include "support/validation_matchers.hpp"
// The grouping engine's customer numbering: an internal header, tested here with the summary it
// was written for (cohorts and ABC use it too).
#include "../../src/analytics/customer_index.hpp"

using crmkit::Date;
using crmkit::analytics::calibration_holdout_summary;
using crmkit::analytics::customer_summary;
using crmkit::analytics::CustomerSummary;
using crmkit::analytics::HoldoutOptions;
using crmkit::analytics::Period;
using crmkit::analytics::PurchaseData;
using crmkit::analytics::SummaryOptions;

namespace {

constexpr std::int64_t day_us = 86'400'000'000;
constexpr std::int64_t int64_min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();

std::int64_t us(const char* text) { return crmkit::parse_timestamp(text).time_since_epoch().count(); }

Date date(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

// Three customers, hand-worked below. Rows are not in time order overall, but each customer's are.
PurchaseData sample() {
  PurchaseData d;
  d.push_back(10, us("2020-01-01T10:00:00Z"), 10.0);
  d.push_back(30, us("2020-01-03T00:00:00Z"), 4.0);
  d.push_back(10, us("2020-01-01T15:00:00Z"), 5.0);  // same day: one purchase period
  d.push_back(30, us("2020-01-03T00:00:00Z"), 6.0);  // identical timestamp
  d.push_back(10, us("2020-01-05T08:00:00Z"), 20.0);
  d.push_back(30, us("2020-01-25T09:30:00Z"), 100.0);
  d.push_back(2, us("2020-01-10T12:00:00Z"), 7.0);
  d.push_back(10, us("2020-01-20T23:59:59.999999Z"), 30.0);  // last microsecond of the day
  return d;
}

SummaryOptions with(Period period, std::optional<Period> unit = std::nullopt, std::optional<Date> as_of = std::nullopt,
                    unsigned threads = 1) {
  SummaryOptions o;
  o.period = period;
  o.time_unit = unit;
  o.as_of = as_of;
  o.threads = threads;
  return o;
}

void require_same(const CustomerSummary& a, const CustomerSummary& b) {
  REQUIRE(a.customer_ids == b.customer_ids);
  CHECK(a.first_purchase_us == b.first_purchase_us);
  CHECK(a.last_purchase_us == b.last_purchase_us);
  CHECK(a.frequency == b.frequency);
  CHECK(a.recency == b.recency);
  CHECK(a.T == b.T);
  CHECK(a.monetary_value == b.monetary_value);
  CHECK(a.total_spend == b.total_spend);
  CHECK(a.purchase_periods == b.purchase_periods);
  CHECK(a.period == b.period);
  CHECK(a.time_unit == b.time_unit);
  CHECK(a.as_of == b.as_of);
}

// Random purchases: amounts are multiples of 0.25, so every sum is exact in any order and results
// can be compared exactly. Customer ids 1..customers, each with at least one row (the first
// `customers` rows); a quarter of the rows repeat the previous row's time (identical timestamps),
// and times may fall before 1970 when `base` does.
PurchaseData random_purchases(std::uint64_t seed, std::int64_t customers, std::size_t rows, std::int64_t base_us,
                              bool chronological) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::int64_t> customer(1, customers);
  std::uniform_int_distribution<std::int64_t> offset(0, 730 * day_us);
  std::uniform_int_distribution<int> quarters(-40, 2000);
  std::uniform_int_distribution<int> coin(0, 3);
  PurchaseData d;
  std::int64_t previous = base_us;
  for (std::size_t i = 0; i < rows; ++i) {
    const std::int64_t t = (i > 0 && coin(rng) == 0) ? previous : base_us + offset(rng);
    const std::int64_t id = static_cast<std::int64_t>(i) < customers ? static_cast<std::int64_t>(i) + 1 : customer(rng);
    d.push_back(id, t, quarters(rng) * 0.25);
    previous = t;
  }
  if (chronological) {
    std::vector<std::size_t> order(rows);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return d.times_us[a] < d.times_us[b]; });
    PurchaseData sorted;
    for (const std::size_t i : order) sorted.push_back(d.customer_ids[i], d.times_us[i], d.amounts[i]);
    return sorted;
  }
  return d;
}

PurchaseData shuffled(const PurchaseData& d, std::uint64_t seed) {
  std::vector<std::size_t> order(d.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::shuffle(order.begin(), order.end(), std::mt19937_64(seed));
  PurchaseData out;
  for (const std::size_t i : order) out.push_back(d.customer_ids[i], d.times_us[i], d.amounts[i]);
  return out;
}

// The summary computed the obvious way: per customer, a map of period -> total.
CustomerSummary reference_summary(const PurchaseData& d, Period period, Period unit, Date as_of) {
  struct Customer {
    std::int64_t first = int64_max;
    std::int64_t last = int64_min;
    std::map<std::int64_t, double> totals;  // per period
  };
  std::map<std::int64_t, Customer> customers;
  const std::int64_t as_of_day = std::chrono::sys_days{as_of}.time_since_epoch().count();
  for (std::size_t i = 0; i < d.size(); ++i) {
    const std::int64_t t = d.times_us[i];
    if (crmkit::analytics::period_index(t, Period::day) > as_of_day) continue;
    Customer& c = customers[d.customer_ids[i]];
    c.first = std::min(c.first, t);
    c.last = std::max(c.last, t);
    c.totals[crmkit::analytics::period_index(t, period)] += d.amounts[i];
  }
  CustomerSummary s;
  s.period = period;
  s.time_unit = unit;
  s.as_of = as_of;
  const double scale = crmkit::analytics::units_per_period(period, unit);
  for (const auto& [id, c] : customers) {
    const std::int64_t first = c.totals.begin()->first;
    const std::int64_t last = c.totals.rbegin()->first;
    const auto x = static_cast<std::int64_t>(c.totals.size()) - 1;
    double repeat = 0;
    double total = 0;
    for (const auto& [p, amount] : c.totals) {
      total += amount;
      if (p != first) repeat += amount;
    }
    s.customer_ids.push_back(id);
    s.first_purchase_us.push_back(c.first);
    s.last_purchase_us.push_back(c.last);
    s.frequency.push_back(x);
    s.recency.push_back(static_cast<double>(last - first) * scale);
    s.T.push_back(static_cast<double>(crmkit::analytics::period_index(as_of, period) - first) * scale);
    s.monetary_value.push_back(x > 0 ? repeat / static_cast<double>(x) : 0.0);
    s.total_spend.push_back(total);
    s.purchase_periods.push_back(x + 1);
  }
  return s;
}

}  // namespace

TEST_CASE("summary by day, hand-worked", "[analytics]") {
  const PurchaseData d = sample();
  const CustomerSummary s = customer_summary(d.view(), with(Period::day));
  // as_of defaults to the latest purchase day, 2020-01-25.
  CHECK(s.as_of == date(2020, 1, 25));
  CHECK(s.period == Period::day);
  CHECK(s.time_unit == Period::day);
  REQUIRE(s.customer_ids == std::vector<std::int64_t>{2, 10, 30});
  CHECK(s.first_purchase_us ==
        std::vector<std::int64_t>{us("2020-01-10T12:00:00Z"), us("2020-01-01T10:00:00Z"), us("2020-01-03T00:00:00Z")});
  CHECK(s.last_purchase_us == std::vector<std::int64_t>{us("2020-01-10T12:00:00Z"), us("2020-01-20T23:59:59.999999Z"),
                                                        us("2020-01-25T09:30:00Z")});
  // Customer 10: days 1 (10 + 5), 5 (20), 20 (30): x = 2, t_x = 19, T = 24, monetary (20 + 30) / 2.
  // Customer 30: days 3 (4 + 6), 25 (100): x = 1, t_x = 22, T = 22. Customer 2: day 10 only, T = 15.
  CHECK(s.frequency == std::vector<std::int64_t>{0, 2, 1});
  CHECK(s.recency == std::vector<double>{0, 19, 22});
  CHECK(s.T == std::vector<double>{15, 24, 22});
  CHECK(s.monetary_value == std::vector<double>{0, 25, 100});
  CHECK(s.total_spend == std::vector<double>{7, 65, 110});
  CHECK(s.purchase_periods == std::vector<std::int64_t>{1, 3, 2});
  CHECK(s.size() == 3);
  CHECK(s.find(10) == std::optional<std::size_t>{1});
  CHECK(s.find(30) == std::optional<std::size_t>{2});
  CHECK_FALSE(s.find(3).has_value());
  CHECK_FALSE(s.find(1000).has_value());
}

TEST_CASE("summary as_of is inclusive and later purchases are ignored", "[analytics]") {
  const PurchaseData d = sample();
  SECTION("as_of on the day of a purchase at its last microsecond") {
    const CustomerSummary s = customer_summary(d.view(), with(Period::day, {}, date(2020, 1, 20)));
    CHECK(s.as_of == date(2020, 1, 20));
    REQUIRE(s.customer_ids == std::vector<std::int64_t>{2, 10, 30});
    CHECK(s.frequency == std::vector<std::int64_t>{0, 2, 0});  // customer 30 loses day 25
    CHECK(s.recency == std::vector<double>{0, 19, 0});
    CHECK(s.T == std::vector<double>{10, 19, 17});
    CHECK(s.monetary_value == std::vector<double>{0, 25, 0});
    CHECK(s.total_spend == std::vector<double>{7, 65, 10});
    CHECK(s.last_purchase_us[2] == us("2020-01-03T00:00:00Z"));
  }
  SECTION("one day earlier drops that purchase") {
    const CustomerSummary s = customer_summary(d.view(), with(Period::day, {}, date(2020, 1, 19)));
    REQUIRE(s.customer_ids == std::vector<std::int64_t>{2, 10, 30});
    CHECK(s.frequency == std::vector<std::int64_t>{0, 1, 0});
    CHECK(s.recency == std::vector<double>{0, 4, 0});
    CHECK(s.T == std::vector<double>{9, 18, 16});
    CHECK(s.monetary_value == std::vector<double>{0, 20, 0});
    CHECK(s.last_purchase_us[1] == us("2020-01-05T08:00:00Z"));
  }
  SECTION("customers with only later purchases are left out") {
    const CustomerSummary s = customer_summary(d.view(), with(Period::day, {}, date(2020, 1, 4)));
    REQUIRE(s.customer_ids == std::vector<std::int64_t>{10, 30});
    CHECK(s.frequency == std::vector<std::int64_t>{0, 0});
    CHECK(s.T == std::vector<double>{3, 1});
    CHECK(s.total_spend == std::vector<double>{15, 10});
  }
  SECTION("as_of before every purchase gives an empty summary") {
    const CustomerSummary s = customer_summary(d.view(), with(Period::day, {}, date(2019, 12, 31)));
    CHECK(s.size() == 0);
    CHECK(s.as_of == date(2019, 12, 31));
  }
  SECTION("as_of after every purchase stretches T only") {
    const CustomerSummary s = customer_summary(d.view(), with(Period::day, {}, date(2020, 2, 1)));
    CHECK(s.T == std::vector<double>{22, 31, 29});
    CHECK(s.recency == std::vector<double>{0, 19, 22});
  }
}

TEST_CASE("summary by week and month, in other units", "[analytics]") {
  const PurchaseData d = sample();
  // Monday weeks: 2609 = Dec 30 - Jan 5, 2610 = Jan 6 - 12, 2612 = Jan 20 - 26 (as_of Jan 25).
  SECTION("weeks in weeks") {
    const CustomerSummary s = customer_summary(d.view(), with(Period::week));
    CHECK(s.time_unit == Period::week);
    CHECK(s.frequency == std::vector<std::int64_t>{0, 1, 1});  // customer 10: Jan 1 and Jan 5 share a week
    CHECK(s.recency == std::vector<double>{0, 3, 3});
    CHECK(s.T == std::vector<double>{2, 3, 3});
    CHECK(s.monetary_value == std::vector<double>{0, 30, 100});
    CHECK(s.total_spend == std::vector<double>{7, 65, 110});
    CHECK(s.purchase_periods == std::vector<std::int64_t>{1, 2, 2});
  }
  SECTION("weeks in days") {
    const CustomerSummary s = customer_summary(d.view(), with(Period::week, Period::day));
    CHECK(s.time_unit == Period::day);
    CHECK(s.recency == std::vector<double>{0, 21, 21});
    CHECK(s.T == std::vector<double>{14, 21, 21});
  }
  SECTION("days in weeks: fractions") {
    const CustomerSummary s = customer_summary(d.view(), with(Period::day, Period::week));
    CHECK(s.frequency == std::vector<std::int64_t>{0, 2, 1});
    CHECK(s.recency[1] == Approx(19.0 / 7.0));
    CHECK(s.T[1] == Approx(24.0 / 7.0));
    CHECK(s.T[0] == Approx(15.0 / 7.0));
  }
  SECTION("months: everything in January is one period") {
    const CustomerSummary s = customer_summary(d.view(), with(Period::month));
    CHECK(s.frequency == std::vector<std::int64_t>{0, 0, 0});
    CHECK(s.recency == std::vector<double>{0, 0, 0});
    CHECK(s.T == std::vector<double>{0, 0, 0});
    CHECK(s.monetary_value == std::vector<double>{0, 0, 0});
    CHECK(s.total_spend == std::vector<double>{7, 65, 110});
  }
  SECTION("months in days") {
    const CustomerSummary s = customer_summary(d.view(), with(Period::month, Period::day, date(2020, 3, 1)));
    CHECK(s.T[0] == Approx(2 * 30.436875));
  }
}

TEST_CASE("summary of times before 1970 uses floor periods", "[analytics]") {
  PurchaseData d;
  d.push_back(1, -3'600'000'000, 1.0);  // 1969-12-31T23:00
  d.push_back(1, 3'600'000'000, 2.0);   // 1970-01-01T01:00
  d.push_back(2, -1, 4.0);              // 1969-12-31T23:59:59.999999
  d.push_back(2, 0, 8.0);               // 1970-01-01T00:00
  d.push_back(3, int64_min, 16.0);      // -290308-12-21, day -106751992
  SECTION("days") {
    const CustomerSummary s = customer_summary(d.view(), with(Period::day));
    CHECK(s.as_of == date(1970, 1, 1));
    REQUIRE(s.customer_ids == std::vector<std::int64_t>{1, 2, 3});
    CHECK(s.frequency == std::vector<std::int64_t>{1, 1, 0});
    CHECK(s.recency == std::vector<double>{1, 1, 0});
    CHECK(s.T == std::vector<double>{1, 1, 106751992});
    CHECK(s.monetary_value == std::vector<double>{2, 8, 0});
    CHECK(s.first_purchase_us == std::vector<std::int64_t>{-3'600'000'000, -1, int64_min});
  }
  SECTION("weeks: both sides of midnight are in the week of Monday 1969-12-29") {
    const CustomerSummary s = customer_summary(d.view(), with(Period::week));
    CHECK(s.frequency == std::vector<std::int64_t>{0, 0, 0});
    CHECK(s.total_spend == std::vector<double>{3, 12, 16});
  }
  SECTION("months: December 1969 and January 1970") {
    const CustomerSummary s = customer_summary(d.view(), with(Period::month));
    CHECK(s.frequency == std::vector<std::int64_t>{1, 1, 0});
    CHECK(s.T[2] == static_cast<double>(0 - ((-290308 - 1970) * 12 + 11)));
  }
}

TEST_CASE("summary with sparse 64-bit ids in any order", "[analytics]") {
  PurchaseData d;
  d.push_back(int64_max, us("2021-03-01T00:00:00Z"), 1.0);
  d.push_back(0, us("2021-03-02T00:00:00Z"), 2.0);
  d.push_back(int64_min, us("2021-03-03T00:00:00Z"), 3.0);
  d.push_back(-5, us("2021-03-04T00:00:00Z"), 4.0);
  d.push_back(0, us("2021-03-05T00:00:00Z"), 5.0);
  d.push_back(int64_max, us("2021-03-06T00:00:00Z"), 6.0);
  for (const unsigned threads : {1U, 2U, 3U}) {
    const CustomerSummary s = customer_summary(d.view(), with(Period::day, {}, {}, threads));
    REQUIRE(s.customer_ids == std::vector<std::int64_t>{int64_min, -5, 0, int64_max});
    CHECK(s.frequency == std::vector<std::int64_t>{0, 0, 1, 1});
    CHECK(s.recency == std::vector<double>{0, 0, 3, 5});
    CHECK(s.T == std::vector<double>{3, 2, 4, 5});
    CHECK(s.monetary_value == std::vector<double>{0, 0, 5, 6});
    CHECK(s.total_spend == std::vector<double>{3, 4, 7, 7});
    CHECK(s.find(int64_min) == std::optional<std::size_t>{0});
    CHECK(s.find(int64_max) == std::optional<std::size_t>{3});
    CHECK_FALSE(s.find(1).has_value());
  }
}

TEST_CASE("summary of no purchases, and of a single customer", "[analytics]") {
  const PurchaseData empty;
  const CustomerSummary s = customer_summary(empty.view());
  CHECK(s.size() == 0);
  CHECK(s.as_of == date(1970, 1, 1));
  CHECK_FALSE(s.find(0).has_value());

  PurchaseData one;
  one.push_back(42, us("2022-05-05T05:05:05Z"), 9.5);
  one.push_back(42, us("2022-05-01T00:00:00Z"), 0.5);  // earlier row last: out of order
  one.push_back(42, us("2022-05-09T00:00:00Z"), -2.0);  // a return
  const CustomerSummary t = customer_summary(one.view(), with(Period::day));
  REQUIRE(t.customer_ids == std::vector<std::int64_t>{42});
  CHECK(t.first_purchase_us[0] == us("2022-05-01T00:00:00Z"));
  CHECK(t.last_purchase_us[0] == us("2022-05-09T00:00:00Z"));
  CHECK(t.frequency[0] == 2);
  CHECK(t.recency[0] == 8);
  CHECK(t.T[0] == 8);
  CHECK(t.monetary_value[0] == (9.5 - 2.0) / 2);  // days 5 and 9; day 1 is the first period
  CHECK(t.total_spend[0] == 8.0);
}

TEST_CASE("summary rejects an inconsistent view", "[analytics]") {
  const std::vector<std::int64_t> ids{1, 2};
  const std::vector<std::int64_t> times{1};
  const std::vector<double> amounts{1.0, 2.0};
  crmkit::test::require_invalid([&] { (void)customer_summary({ids, times, amounts}); }, "times_us", "1 rows");
  const std::vector<std::int64_t> times2{1, 2};
  const std::vector<double> nan{1.0, std::numeric_limits<double>::quiet_NaN()};
  crmkit::test::require_invalid([&] { (void)customer_summary({ids, times2, nan}); }, "amounts[1]", "nan", "finite");
}

TEST_CASE("summary matches a reference, in any row order, for any thread count and id spacing", "[analytics]") {
  // 17,000 customers: more than one block (16,384) of the grouping engine; times around 1970 on
  // both sides.
  const std::int64_t base = us("1969-06-01T00:00:00Z");
  const PurchaseData sorted = random_purchases(7, 17'000, 30'000, base, true);
  const PurchaseData mixed = shuffled(sorted, 11);
  const Date as_of = date(1971, 5, 20);  // cuts off the last days
  struct Run {
    Period period;
    const PurchaseData* data;
    unsigned threads;
  };
  for (const Period period : {Period::day, Period::week, Period::month}) {
    const CustomerSummary expected = reference_summary(sorted, period, Period::day, as_of);
    REQUIRE(expected.size() > 16384);
    REQUIRE(expected.size() < 17'000);
    const std::vector<Run> runs = period == Period::day ? std::vector<Run>{{period, &sorted, 1},
                                                                           {period, &sorted, 2},
                                                                           {period, &sorted, 3},
                                                                           {period, &mixed, 1},
                                                                           {period, &mixed, 3}}
                                                        : std::vector<Run>{{period, &sorted, 2}, {period, &mixed, 3}};
    for (const Run& run : runs) {
      INFO("period " << crmkit::analytics::to_string(period) << ", threads " << run.threads
                     << (run.data == &mixed ? ", shuffled" : ", chronological"));
      require_same(customer_summary(run.data->view(), with(period, Period::day, as_of, run.threads)), expected);
    }
  }

  // The same purchases under sparse ids (the hash path) give the same rows under the mapped ids.
  const auto sparse = [](std::int64_t id) { return (id - 8'000) * 919'191'919'191; };
  PurchaseData far = mixed;
  for (auto& id : far.customer_ids) id = sparse(id);
  const CustomerSummary dense_result = customer_summary(mixed.view(), with(Period::week, {}, as_of, 2));
  for (const unsigned threads : {1U, 3U}) {
    CustomerSummary sparse_result = customer_summary(far.view(), with(Period::week, {}, as_of, threads));
    std::vector<std::int64_t> mapped = dense_result.customer_ids;
    for (auto& id : mapped) id = sparse(id);
    CHECK(sparse_result.customer_ids == mapped);
    sparse_result.customer_ids = dense_result.customer_ids;
    require_same(sparse_result, dense_result);
  }
}

TEST_CASE("summary without as_of covers every purchase, negative amounts included", "[analytics]") {
  const PurchaseData d = random_purchases(3, 300, 5'000, us("2018-01-01T00:00:00Z"), false);
  const std::int64_t latest = *std::max_element(d.times_us.begin(), d.times_us.end());
  const Date last_day{std::chrono::floor<std::chrono::days>(crmkit::Timestamp{crmkit::Duration{latest}})};
  const CustomerSummary s = customer_summary(d.view(), with(Period::day, Period::week));
  CHECK(s.as_of == last_day);
  require_same(s, reference_summary(d, Period::day, Period::week, last_day));
}

namespace {

PurchaseData holdout_sample() {
  PurchaseData d;
  d.push_back(10, us("2020-01-01T10:00:00Z"), 10.0);
  d.push_back(10, us("2020-01-01T15:00:00Z"), 5.0);
  d.push_back(30, us("2020-01-03T00:00:00Z"), 4.0);
  d.push_back(30, us("2020-01-03T00:00:00Z"), 6.0);
  d.push_back(10, us("2020-01-05T08:00:00Z"), 20.0);
  d.push_back(2, us("2020-01-10T23:59:59.999999Z"), 7.0);  // the last calibration microsecond
  d.push_back(40, us("2020-01-15T00:00:00Z"), 50.0);        // first purchase in the holdout
  d.push_back(10, us("2020-01-20T00:00:00Z"), 30.0);
  d.push_back(10, us("2020-01-20T18:00:00Z"), 10.0);
  d.push_back(10, us("2020-01-22T00:00:00Z"), 5.0);
  d.push_back(30, us("2020-01-25T09:30:00Z"), 100.0);
  return d;
}

HoldoutOptions holdout(Date calibration_end, std::optional<Date> observation_end = std::nullopt,
                       Period period = Period::day, std::optional<Period> unit = std::nullopt, unsigned threads = 1) {
  HoldoutOptions o;
  o.calibration_end = calibration_end;
  o.observation_end = observation_end;
  o.period = period;
  o.time_unit = unit;
  o.threads = threads;
  return o;
}

}  // namespace

TEST_CASE("calibration and holdout by day, hand-worked", "[analytics]") {
  const PurchaseData d = holdout_sample();
  const auto r = calibration_holdout_summary(d.view(), holdout(date(2020, 1, 10)));
  CHECK(r.observation_end == date(2020, 1, 25));  // the latest purchase day
  const CustomerSummary& c = r.calibration;
  CHECK(c.as_of == date(2020, 1, 10));
  // Customer 40 first bought in the holdout: left out.
  REQUIRE(c.customer_ids == std::vector<std::int64_t>{2, 10, 30});
  // Calibration (days <= Jan 10): 2: day 10; 10: days 1 (15), 5 (20); 30: day 3 (10).
  CHECK(c.frequency == std::vector<std::int64_t>{0, 1, 0});
  CHECK(c.recency == std::vector<double>{0, 4, 0});
  CHECK(c.T == std::vector<double>{0, 9, 7});
  CHECK(c.monetary_value == std::vector<double>{0, 20, 0});
  CHECK(c.total_spend == std::vector<double>{7, 35, 10});
  // Holdout (Jan 11 - 25): 10: day 20 (30 + 10), day 22 (5): 2 periods, mean 22.5; 30: day 25 (100).
  CHECK(r.holdout_frequency == std::vector<std::int64_t>{0, 2, 1});
  CHECK(r.holdout_monetary_value == std::vector<double>{0, 22.5, 100});
  CHECK(r.holdout_duration == 15);
}

TEST_CASE("calibration and holdout with an observation end, weeks, units", "[analytics]") {
  const PurchaseData d = holdout_sample();
  SECTION("observation end cuts the holdout") {
    const auto r = calibration_holdout_summary(d.view(), holdout(date(2020, 1, 10), date(2020, 1, 20)));
    CHECK(r.observation_end == date(2020, 1, 20));
    REQUIRE(r.calibration.customer_ids == std::vector<std::int64_t>{2, 10, 30});
    CHECK(r.holdout_frequency == std::vector<std::int64_t>{0, 1, 0});
    CHECK(r.holdout_monetary_value == std::vector<double>{0, 40, 0});
    CHECK(r.holdout_duration == 10);
  }
  SECTION("weeks measured in days") {
    // Calibration ends Friday Jan 10 (week 2610), observation Saturday Jan 25 (week 2612).
    const auto r = calibration_holdout_summary(d.view(), holdout(date(2020, 1, 10), {}, Period::week, Period::day));
    const CustomerSummary& c = r.calibration;
    REQUIRE(c.customer_ids == std::vector<std::int64_t>{2, 10, 30});
    CHECK(c.frequency == std::vector<std::int64_t>{0, 0, 0});
    CHECK(c.T == std::vector<double>{0, 7, 7});
    CHECK(c.time_unit == Period::day);
    CHECK(r.holdout_frequency == std::vector<std::int64_t>{0, 1, 1});
    CHECK(r.holdout_monetary_value == std::vector<double>{0, 45, 100});
    CHECK(r.holdout_duration == 14);
  }
  SECTION("an empty holdout") {
    const auto r = calibration_holdout_summary(d.view(), holdout(date(2020, 1, 25), date(2020, 1, 25)));
    CHECK(r.calibration.size() == 4);
    CHECK(r.holdout_frequency == std::vector<std::int64_t>{0, 0, 0, 0});
    CHECK(r.holdout_monetary_value == std::vector<double>{0, 0, 0, 0});
    CHECK(r.holdout_duration == 0);
  }
  SECTION("observation end before calibration end") {
    crmkit::test::require_invalid(
        [&] { (void)calibration_holdout_summary(d.view(), holdout(date(2020, 1, 10), date(2020, 1, 9))); },
        "observation_end", "2020-01-09", "calibration_end (2020-01-10)");
    // Unset, it is the latest purchase day, here before the calibration end.
    crmkit::test::require_invalid([&] { (void)calibration_holdout_summary(d.view(), holdout(date(2020, 2, 1))); },
                                  "observation_end", "2020-01-25");
  }
}

TEST_CASE("calibration and holdout agree with two summaries and with any thread count", "[analytics]") {
  const PurchaseData d = random_purchases(21, 18'000, 50'000, us("2019-01-01T00:00:00Z"), false);
  const Date calibration_end = date(2020, 1, 31);
  const Date observation_end = date(2020, 9, 30);
  const auto first =
      calibration_holdout_summary(d.view(), holdout(calibration_end, observation_end, Period::week, {}, 1));
  require_same(first.calibration, reference_summary(d, Period::week, Period::week, calibration_end));
  // The holdout side by hand: distinct weeks and their mean total among the holdout rows.
  std::map<std::int64_t, std::map<std::int64_t, double>> weeks;
  for (std::size_t i = 0; i < d.size(); ++i) {
    const Date day{std::chrono::floor<std::chrono::days>(crmkit::Timestamp{crmkit::Duration{d.times_us[i]}})};
    if (day <= calibration_end || day > observation_end) continue;
    weeks[d.customer_ids[i]][crmkit::analytics::period_index(d.times_us[i], Period::week)] += d.amounts[i];
  }
  for (std::size_t c = 0; c < first.calibration.size(); ++c) {
    const auto it = weeks.find(first.calibration.customer_ids[c]);
    const std::int64_t count = it == weeks.end() ? 0 : static_cast<std::int64_t>(it->second.size());
    double sum = 0;
    if (it != weeks.end()) {
      for (const auto& [w, total] : it->second) sum += total;
    }
    REQUIRE(first.holdout_frequency[c] == count);
    REQUIRE(first.holdout_monetary_value[c] == (count > 0 ? sum / static_cast<double>(count) : 0.0));
  }
  CHECK(first.holdout_duration == 35);  // week of Jan 27 2020 to the week of Sep 28 2020
  for (const unsigned threads : {2U, 3U}) {
    const auto other =
        calibration_holdout_summary(d.view(), holdout(calibration_end, observation_end, Period::week, {}, threads));
    require_same(other.calibration, first.calibration);
    CHECK(other.holdout_frequency == first.holdout_frequency);
    CHECK(other.holdout_monetary_value == first.holdout_monetary_value);
  }
}

TEST_CASE("customer index numbers ids in ascending order, dense or sparse, with a time filter", "[analytics]") {
  using crmkit::analytics::detail::build_customer_index;
  using crmkit::analytics::detail::CustomerIndex;
  constexpr std::uint32_t x = CustomerIndex::excluded;
  SECTION("dense ids") {
    const std::vector<std::int64_t> ids{5, 3, 5, 9, 3};
    const CustomerIndex index = build_customer_index(ids, 1);
    CHECK(index.ids == std::vector<std::int64_t>{3, 5, 9});
    CHECK(index.row_customer == std::vector<std::uint32_t>{1, 0, 1, 2, 0});
    CHECK(index.size() == 3);
    CHECK(index.find(9) == std::optional<std::uint32_t>{2});
    CHECK_FALSE(index.find(4).has_value());
  }
  SECTION("sparse ids") {
    const std::vector<std::int64_t> ids{int64_max, int64_min, 0, int64_max, -7};
    for (const unsigned threads : {1U, 2U, 3U}) {
      const CustomerIndex index = build_customer_index(ids, threads);
      CHECK(index.ids == std::vector<std::int64_t>{int64_min, -7, 0, int64_max});
      CHECK(index.row_customer == std::vector<std::uint32_t>{3, 0, 2, 3, 1});
    }
  }
  SECTION("rows after the last time are left out") {
    const std::vector<std::int64_t> ids{8, 2, 8, 4, 1};
    const std::vector<std::int64_t> times{10, 20, 30, 40, 50};
    const CustomerIndex index = build_customer_index(ids, times, 30, 1);
    CHECK(index.ids == std::vector<std::int64_t>{2, 8});
    CHECK(index.row_customer == std::vector<std::uint32_t>{1, 0, 1, x, x});
    const CustomerIndex none = build_customer_index(ids, times, 9, 2);
    CHECK(none.size() == 0);
    CHECK(none.row_customer == std::vector<std::uint32_t>(5, x));
    const std::vector<std::int64_t> sparse{int64_max, 2, int64_max, int64_min, 1};
    const CustomerIndex far = build_customer_index(sparse, times, 30, 3);
    CHECK(far.ids == std::vector<std::int64_t>{2, int64_max});
    CHECK(far.row_customer == std::vector<std::uint32_t>{1, 0, 1, x, x});
  }
  SECTION("no rows") {
    CHECK(build_customer_index(std::vector<std::int64_t>{}, 2).size() == 0);
  }
  SECTION("random ids: both paths against a sorted reference, any thread count") {
    std::mt19937_64 rng(17);
    std::vector<std::int64_t> pool(20'000);
    for (auto& id : pool) id = static_cast<std::int64_t>(rng());
    std::vector<std::int64_t> ids(70'000);
    std::vector<std::int64_t> times(ids.size());
    std::uniform_int_distribution<std::size_t> pick(0, pool.size() - 1);
    for (std::size_t i = 0; i < ids.size(); ++i) {
      ids[i] = pool[pick(rng)];
      times[i] = static_cast<std::int64_t>(i % 100);
    }
    for (const bool dense : {false, true}) {
      std::vector<std::int64_t> input = ids;
      if (dense) {  // the same customers renumbered 0..19999 in the pool's order: the bitmap path
        std::map<std::int64_t, std::int64_t> rename;
        for (const auto id : pool) rename.emplace(id, static_cast<std::int64_t>(rename.size()));
        for (auto& id : input) id = rename[id];
      }
      std::map<std::int64_t, std::uint32_t> expected;  // id -> rank, rows with time <= 89 only
      for (std::size_t i = 0; i < input.size(); ++i) {
        if (times[i] <= 89) expected.emplace(input[i], 0);
      }
      std::uint32_t rank = 0;
      for (auto& [id, r] : expected) r = rank++;
      for (const unsigned threads : {1U, 2U, 3U}) {
        INFO((dense ? "dense" : "sparse") << ", threads " << threads);
        const CustomerIndex index = build_customer_index(input, times, 89, threads);
        REQUIRE(index.size() == expected.size());
        CHECK(std::equal(index.ids.begin(), index.ids.end(), expected.begin(),
                         [](std::int64_t a, const auto& b) { return a == b.first; }));
        bool rows_ok = true;
        for (std::size_t i = 0; i < input.size(); ++i) {
          const std::uint32_t want = times[i] <= 89 ? expected[input[i]] : x;
          rows_ok = rows_ok && index.row_customer[i] == want;
        }
        CHECK(rows_ok);
      }
    }
  }
}

TEST_CASE("day helpers of the grouping engine", "[analytics]") {
  using namespace crmkit::analytics::detail;
  CHECK(days_since_epoch(date(1970, 1, 1)) == 0);
  CHECK(days_since_epoch(date(1969, 12, 31)) == -1);
  CHECK(last_microsecond_of(date(1970, 1, 1)) == day_us - 1);
  CHECK(last_microsecond_of(date(1969, 12, 31)) == -1);
  CHECK(last_microsecond_of(date(2020, 1, 20)) == us("2020-01-20T23:59:59.999999Z"));
  CHECK(day_of(-1) == date(1969, 12, 31));
  CHECK(day_of(0) == date(1970, 1, 1));
  CHECK(day_of(us("2024-02-29T23:59:59Z")) == date(2024, 2, 29));
}
