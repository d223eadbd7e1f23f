#pragma once
/// @file
/// @brief UTC timestamps and calendar dates, with strict ISO 8601 parsing and formatting.

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace crmkit {

/// A point in time, UTC, with microsecond resolution.
using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;
/// A calendar day (proleptic Gregorian).
using Date = std::chrono::year_month_day;
/// A length of time, microseconds.
using Duration = std::chrono::microseconds;

/// Parses an ISO 8601 / RFC 3339 timestamp, strictly:
/// `YYYY-MM-DDTHH:MM[:SS[.f{1,6}]][Z|±HH:MM]`, where `T` may also be a single space.
/// A timestamp without an offset is taken as UTC. Fields must be zero-padded and in range
/// (no 24:00, no leap second, no 30 February). A bare date `YYYY-MM-DD` means its midnight UTC.
/// @param text the text to parse
/// @param field the name reported in errors
/// @throws ParseError naming `field`, the text and the first rule it broke (with the column).
[[nodiscard]] Timestamp parse_timestamp(std::string_view text, std::string_view field = "timestamp");

/// Formats as `YYYY-MM-DDTHH:MM:SSZ`, or with `.ffffff` when the sub-second part is not zero.
[[nodiscard]] std::string format_timestamp(Timestamp t);

/// Parses a strict ISO 8601 calendar date `YYYY-MM-DD` (years 0001 to 9999).
/// @throws ParseError naming `field`, the text and the rule.
[[nodiscard]] Date parse_date(std::string_view text, std::string_view field = "date");

/// Formats as `YYYY-MM-DD`.
[[nodiscard]] std::string format_date(Date d);

/// The UTC calendar day a timestamp falls on.
[[nodiscard]] Date date_of(Timestamp t) noexcept;

/// Midnight UTC at the start of a day.
[[nodiscard]] Timestamp start_of(Date d) noexcept;

/// The current time, truncated to microseconds.
[[nodiscard]] Timestamp now() noexcept;

/// A source of the current time. The Crm facade takes one so that tests and replays are deterministic.
using Clock = std::function<Timestamp()>;

}  // namespace crmkit
