#pragma once
// Integer calendar arithmetic for the hot loops: period indexes from microsecond times, exact
// for every int64 instant (std::chrono::year_month_day cannot hold the far years int64 reaches).

#include <cstdint>

#include "crmkit/analytics/period.hpp"

namespace crmkit::analytics::detail {

inline constexpr std::int64_t microseconds_per_day = 86'400'000'000;

/// floor(a / b) for b > 0, negative a included.
[[nodiscard]] constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  const std::int64_t q = a / b;
  return (a % b < 0) ? q - 1 : q;
}

/// Days since 1970-01-01 of the instant `time_us` (floor, so negative times fall on earlier days).
[[nodiscard]] constexpr std::int64_t day_index(std::int64_t time_us) noexcept {
  return floor_div(time_us, microseconds_per_day);
}

/// Months since 1970-01 of the day `day` (days since 1970-01-01), by H. Hinnant's
/// civil_from_days algorithm, valid for every int64 day this code produces.
[[nodiscard]] constexpr std::int64_t month_of_day(std::int64_t day) noexcept {
  const std::int64_t z = day + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;                                // [0, 146096]
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);         // [0, 365], from March
  const std::int64_t mp = (5 * doy + 2) / 153;                              // [0, 11], March = 0
  const std::int64_t year = yoe + era * 400 + (mp >= 10 ? 1 : 0);
  const std::int64_t month0 = mp < 10 ? mp + 2 : mp - 10;                   // January = 0
  return (year - 1970) * 12 + month0;
}

/// The index of the period holding day `day` (days since 1970-01-01).
[[nodiscard]] constexpr std::int64_t period_of_day(std::int64_t day, Period period) noexcept {
  switch (period) {
    case Period::day: return day;
    case Period::week: return floor_div(day + 3, 7);  // 1970-01-01 is a Thursday
    case Period::month: return month_of_day(day);
  }
  return day;
}

}  // namespace crmkit::analytics::detail
