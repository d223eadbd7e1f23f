#include "io/cells.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "crmkit/core/error.hpp"

namespace crmkit::io::detail {
namespace {

using std::chrono::seconds;

// 9999-12-31T23:59:59Z and 0001-01-01T00:00:00Z: the range ISO 8601 text can express.
constexpr std::int64_t max_unix_seconds = 253402300799;
constexpr std::int64_t min_unix_seconds = -62135596800;

bool all_digits(std::string_view text) noexcept {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Timestamp parse_compact_date(std::string_view text, std::string_view field) {
  const auto fail = [&](const std::string& rule) {
    throw ValidationError(std::string(field), std::string(text),
                          "is not a compact date YYYYMMDD: " + rule);
  };
  if (text.size() != 8 || !all_digits(text)) fail("expected exactly 8 digits");
  const auto number = [&](std::size_t at, std::size_t size) {
    return static_cast<unsigned>(*to_int(text.substr(at, size)));
  };
  const unsigned year = number(0, 4);
  const unsigned month = number(4, 2);
  const unsigned day = number(6, 2);
  if (year == 0) fail("year 0000 is out of range 0001-9999");
  if (month < 1 || month > 12) fail(fmt::format("month {:02} is out of range 01-12", month));
  const Date date{std::chrono::year{static_cast<int>(year)}, std::chrono::month{month},
                  std::chrono::day{day}};
  if (!date.ok()) fail(fmt::format("day {:02} does not exist in {:04}-{:02}", day, year, month));
  return start_of(date);
}

Timestamp parse_unix_seconds(std::string_view text, std::string_view field) {
  const std::optional<std::int64_t> value = to_int(text);
  if (!value) {
    throw ValidationError(std::string(field), std::string(text),
                          "is not a whole number of seconds since the Unix epoch");
  }
  if (*value < min_unix_seconds || *value > max_unix_seconds) {
    throw ValidationError(std::string(field), std::string(text),
                          "is out of range: Unix seconds must fall in years 0001 to 9999");
  }
  return Timestamp{seconds{*value}};
}

}  // namespace

std::optional<std::int64_t> to_int(std::string_view text) noexcept {
  if (text.empty()) return std::nullopt;
  std::int64_t value = 0;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (*first == '+') ++first;
  const auto [end, error] = std::from_chars(first, last, value);
  if (error != std::errc{} || end != last || first == last) return std::nullopt;
  return value;
}

std::optional<double> to_double(std::string_view text) noexcept {
  double value = 0;
  const char* last = text.data() + text.size();
  const auto [end, error] = std::from_chars(text.data(), last, value);
  if (text.empty() || error != std::errc{} || end != last || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

Timestamp parse_time(std::string_view text, TimeFormat format, std::string_view field) {
  switch (format) {
    case TimeFormat::compact_date:
      return parse_compact_date(text, field);
    case TimeFormat::unix_seconds:
      return parse_unix_seconds(text, field);
    case TimeFormat::iso8601:
      break;
  }
  return parse_timestamp(text, field);
}

std::string format_time(Timestamp t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::hh_mm_ss<Duration> time{t - day};
  return fmt::format("{}T{:02}:{:02}:{:02}.{:06}Z", format_date(Date{day}), time.hours().count(),
                     time.minutes().count(), time.seconds().count(), time.subseconds().count());
}

std::string_view strip_decimal_zeros(std::string_view key) noexcept {
  const std::size_t dot = key.find('.');
  if (dot == std::string_view::npos || dot + 1 == key.size()) return key;
  std::string_view whole = key.substr(0, dot);
  if (!whole.empty() && (whole.front() == '-' || whole.front() == '+')) whole.remove_prefix(1);
  const std::string_view zeros = key.substr(dot + 1);
  const bool float_like =
      all_digits(whole) && zeros.find_first_not_of('0') == std::string_view::npos;
  return float_like ? key.substr(0, dot) : key;
}

std::optional<std::int64_t> hash_key_id(std::string_view key) noexcept {
  if (key.size() < 2 || key.front() != '#' || !all_digits(key.substr(1))) return std::nullopt;
  const std::optional<std::int64_t> id = to_int(key.substr(1));
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

std::string customer_key(CustomerId id, const std::optional<std::string>& external_ref) {
  return external_ref ? *external_ref : "#" + id.to_string();
}

std::string format_double(double value) { return fmt::format("{}", value); }

}  // namespace crmkit::io::detail
