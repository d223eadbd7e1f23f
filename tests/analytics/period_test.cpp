#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <limits>

#include "crmkit/analytics/period.hpp"
#include "support/validation_matchers.hpp"

using crmkit::analytics::days_in;
using crmkit::analytics::parse_period;
using crmkit::analytics::Period;
using crmkit::analytics::period_index;
using crmkit::analytics::period_start;
using crmkit::analytics::units_per_period;

namespace {

constexpr std::int64_t day_us = 86'400'000'000;

std::int64_t us(const char* text) { return crmkit::parse_timestamp(text).time_since_epoch().count(); }

crmkit::Date date(int y, unsigned m, unsigned d) {
  return crmkit::Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

}  // namespace

TEST_CASE("period names round-trip and bad names are rejected", "[analytics]") {
  for (const Period p : {Period::day, Period::week, Period::month}) {
    CHECK(parse_period(crmkit::analytics::to_string(p)) == p);
  }
  CHECK(crmkit::analytics::to_string(Period::week) == "week");
  crmkit::test::require_invalid([] { (void)parse_period("Week"); }, "period", "Week", "day, week or month");
  crmkit::test::require_invalid([] { (void)parse_period("", "options.time_unit"); }, "options.time_unit", "",
                                "expected day, week or month");
}

TEST_CASE("day index is floor division, negative times included", "[analytics]") {
  CHECK(period_index(std::int64_t{0}, Period::day) == 0);
  CHECK(period_index(day_us - 1, Period::day) == 0);
  CHECK(period_index(day_us, Period::day) == 1);
  CHECK(period_index(std::int64_t{-1}, Period::day) == -1);  // 1969-12-31T23:59:59.999999
  CHECK(period_index(-day_us, Period::day) == -1);
  CHECK(period_index(-day_us - 1, Period::day) == -2);
  CHECK(period_index(us("2020-01-01T23:59:59.999999Z"), Period::day) == 18262);
  // The int64 extremes: -290308-12-21 and 294247-01-10 (checked with Python on shifted
  // 400-year cycles): days -106751992 and 106751991.
  CHECK(period_index(std::numeric_limits<std::int64_t>::min(), Period::day) == -106751992);
  CHECK(period_index(std::numeric_limits<std::int64_t>::max(), Period::day) == 106751991);
}

TEST_CASE("week index counts Monday-start weeks from Monday 1969-12-29", "[analytics]") {
  CHECK(period_index(us("1969-12-29T00:00:00Z"), Period::week) == 0);  // Monday, day -3
  CHECK(period_index(us("1969-12-28T23:59:59Z"), Period::week) == -1);  // Sunday before
  CHECK(period_index(us("1970-01-01T00:00:00Z"), Period::week) == 0);  // Thursday
  CHECK(period_index(us("1970-01-04T23:59:59Z"), Period::week) == 0);  // Sunday
  CHECK(period_index(us("1970-01-05T00:00:00Z"), Period::week) == 1);  // Monday
  // 2020-01-01 is a Wednesday, day 18262: floor(18265 / 7) = 2609; Monday 2020-01-06 starts 2610.
  CHECK(period_index(us("2020-01-01T12:00:00Z"), Period::week) == 2609);
  CHECK(period_index(us("2020-01-05T23:00:00Z"), Period::week) == 2609);
  CHECK(period_index(us("2020-01-06T00:00:00Z"), Period::week) == 2610);
  CHECK(period_index(std::numeric_limits<std::int64_t>::min(), Period::week) == -15250285);
  CHECK(period_index(std::numeric_limits<std::int64_t>::max(), Period::week) == 15250284);
}

TEST_CASE("month index counts calendar months from 1970-01", "[analytics]") {
  CHECK(period_index(us("1970-01-31T23:59:59Z"), Period::month) == 0);
  CHECK(period_index(us("1970-02-01T00:00:00Z"), Period::month) == 1);
  CHECK(period_index(us("1969-12-31T23:59:59Z"), Period::month) == -1);
  CHECK(period_index(us("1969-01-01T00:00:00Z"), Period::month) == -12);
  CHECK(period_index(us("1968-12-31T00:00:00Z"), Period::month) == -13);
  CHECK(period_index(us("2000-02-29T12:00:00Z"), Period::month) == 30 * 12 + 1);
  CHECK(period_index(us("2024-03-15T00:00:00Z"), Period::month) == 54 * 12 + 2);
  // -290308-12 and 294247-01.
  CHECK(period_index(std::numeric_limits<std::int64_t>::min(), Period::month) == (-290308 - 1970) * 12 + 11);
  CHECK(period_index(std::numeric_limits<std::int64_t>::max(), Period::month) == (294247 - 1970) * 12);
}

TEST_CASE("period of a date agrees with the period of its instants", "[analytics]") {
  // Every day from 1895 to 2105 (the century rules of 1900, 2000 and 2100 included), first and
  // last microsecond of the day.
  const auto first = std::chrono::sys_days{date(1895, 1, 1)};
  const auto last = std::chrono::sys_days{date(2105, 12, 31)};
  for (auto d = first; d <= last; d += std::chrono::days{1}) {
    const crmkit::Date ymd{d};
    const std::int64_t start = std::chrono::duration_cast<std::chrono::microseconds>(d.time_since_epoch()).count();
    for (const Period p : {Period::day, Period::week, Period::month}) {
      const std::int64_t index = period_index(ymd, p);
      if (index != period_index(start, p) || index != period_index(start + day_us - 1, p)) {
        FAIL("period " << crmkit::analytics::to_string(p) << " disagrees on " << crmkit::format_date(ymd));
      }
    }
  }
  CHECK(period_index(date(1970, 1, 1), Period::day) == 0);
  CHECK(period_index(date(1969, 12, 29), Period::week) == 0);
  CHECK(period_index(date(1969, 12, 28), Period::week) == -1);
  CHECK(period_index(date(1969, 12, 1), Period::month) == -1);
}

TEST_CASE("period start is the first day of the period", "[analytics]") {
  CHECK(period_start(0, Period::day) == date(1970, 1, 1));
  CHECK(period_start(-1, Period::day) == date(1969, 12, 31));
  CHECK(period_start(18262, Period::day) == date(2020, 1, 1));
  CHECK(period_start(0, Period::week) == date(1969, 12, 29));
  CHECK(period_start(1, Period::week) == date(1970, 1, 5));
  CHECK(period_start(-1, Period::week) == date(1969, 12, 22));
  CHECK(period_start(2610, Period::week) == date(2020, 1, 6));
  CHECK(period_start(0, Period::month) == date(1970, 1, 1));
  CHECK(period_start(13, Period::month) == date(1971, 2, 1));
  CHECK(period_start(-1, Period::month) == date(1969, 12, 1));
  CHECK(period_start(-13, Period::month) == date(1968, 12, 1));
  for (std::int64_t i = -40; i <= 40; ++i) {
    for (const Period p : {Period::day, Period::week, Period::month}) {
      CHECK(period_index(period_start(i, p), p) == i);
    }
  }
}

TEST_CASE("durations convert between units", "[analytics]") {
  CHECK(days_in(Period::day) == 1.0);
  CHECK(days_in(Period::week) == 7.0);
  CHECK(days_in(Period::month) == Approx(30.436875).epsilon(1e-15));
  CHECK(units_per_period(Period::day, Period::day) == 1.0);
  CHECK(units_per_period(Period::month, Period::month) == 1.0);
  CHECK(units_per_period(Period::day, Period::week) == 1.0 / 7.0);
  CHECK(units_per_period(Period::week, Period::day) == 7.0);
  CHECK(units_per_period(Period::month, Period::day) == Approx(30.436875));
  CHECK(units_per_period(Period::month, Period::week) == Approx(30.436875 / 7.0));
  CHECK(units_per_period(Period::day, Period::month) == Approx(1.0 / 30.436875));
  // The CDNOW summaries: 213 days = 30.43 weeks.
  CHECK(213 * units_per_period(Period::day, Period::week) == Approx(30.428571).epsilon(1e-7));
}
