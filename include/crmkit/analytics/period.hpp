#pragma once
/// @file
/// Purchase periods and time units: how purchase times are grouped and how durations are measured.

#include <cstdint>
#include <string_view>

#include "crmkit/core/time.hpp"

namespace crmkit::analytics {

/// A calendar period in UTC. Purchases by one customer in the same period count as one purchase
/// period (DOMAIN.md §3); the same names serve as time units for durations.
enum class Period {
  day,   ///< a calendar day, 00:00 to 24:00 UTC
  week,  ///< an ISO week, Monday 00:00 to the next Monday 00:00 UTC
  month  ///< a calendar month
};

/// `day`, `week` or `month`.
[[nodiscard]] std::string_view to_string(Period period) noexcept;

/// Parses `day`, `week` or `month`.
/// @throws ValidationError naming `field`, the text and the accepted names.
[[nodiscard]] Period parse_period(std::string_view text, std::string_view field = "period");

/// The index of the period holding the instant `time_us` (microseconds since the Unix epoch):
/// days since 1970-01-01, weeks since Monday 1969-12-29, or months since 1970-01.
/// Negative before those origins; exact for every representable instant.
[[nodiscard]] std::int64_t period_index(std::int64_t time_us, Period period) noexcept;

/// The index of the period holding the calendar day `day` (same origins as above).
[[nodiscard]] std::int64_t period_index(Date day, Period period) noexcept;

/// The first day of the period with index `index`.
[[nodiscard]] Date period_start(std::int64_t index, Period period) noexcept;

/// The length of `period` in days: 1, 7, or 30.436875 for a month (the Gregorian mean,
/// 365.2425 / 12), used to express a count of periods in another time unit.
[[nodiscard]] double days_in(Period period) noexcept;

/// How many `unit`s one `period` lasts: 1 when they are the same, 1/7 for days in weeks, 7 for
/// weeks in days, `days_in(period) / days_in(unit)` otherwise. A duration of `n` periods is
/// `n * units_per_period(period, unit)` units (the CDNOW summaries: 213 days = 30.43 weeks).
[[nodiscard]] double units_per_period(Period period, Period unit) noexcept;

}  // namespace crmkit::analytics
