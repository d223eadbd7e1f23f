#include "io/purchase_columns_rows.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstring>

#include "crmkit/core/time.hpp"
#include "io/cells.hpp"

namespace crmkit::io::detail {
namespace {

constexpr std::int64_t micros_per_second = 1'000'000;
constexpr std::int64_t micros_per_day = 86'400 * micros_per_second;

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// Two digits at `p`, or -1.
constexpr int two_digits(const char* p) noexcept {
  if (!is_digit(p[0]) || !is_digit(p[1])) return -1;
  return (p[0] - '0') * 10 + (p[1] - '0');
}

constexpr bool is_leap(int year) noexcept {
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

constexpr int days_in_month(int year, int month) noexcept {
  constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

// Days since 1970-01-01 of a valid proleptic Gregorian date (H. Hinnant's days_from_civil).
constexpr std::int64_t days_from_civil(int year, int month, int day) noexcept {
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return std::int64_t{era} * 146'097 + doe - 719'468;
}

// A plain decimal integer `-?[0-9]{1,18}` (no overflow possible), or false for anything else,
// which to_int then decides.
bool fast_int(std::string_view text, std::int64_t& value) noexcept {
  const char* p = text.data();
  const char* const end = p + text.size();
  const bool negative = p != end && *p == '-';
  if (negative) ++p;
  const auto digits = end - p;
  if (digits < 1 || digits > 18) return false;
  std::int64_t v = 0;
  for (; p != end; ++p) {
    if (!is_digit(*p)) return false;
    v = v * 10 + (*p - '0');
  }
  value = negative ? -v : v;
  return true;
}

// A plain decimal `-?[0-9]+(\.[0-9]+)?` of at most 15 digits, or false for anything else
// (exponents, long mantissas...), which to_double then decides. Such a number is m / 10^k with m
// and 10^k exact doubles, and IEEE division rounds correctly: the same double from_chars gives.
bool fast_double(std::string_view text, double& value) noexcept {
  static constexpr double powers[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  const char* p = text.data();
  const char* const end = p + text.size();
  const bool negative = p != end && *p == '-';
  if (negative) ++p;
  std::int64_t mantissa = 0;
  int digits = 0;
  const char* const whole = p;
  for (; p != end && is_digit(*p); ++p, ++digits) {
    if (digits == 15) return false;  // beyond exact doubles, and before int64 overflows
    mantissa = mantissa * 10 + (*p - '0');
  }
  if (p == whole) return false;
  int decimals = 0;
  if (p != end) {
    if (*p != '.') return false;
    const char* const fraction = ++p;
    for (; p != end && is_digit(*p); ++p, ++digits) {
      if (digits == 15) return false;
      mantissa = mantissa * 10 + (*p - '0');
    }
    if (p != end || p == fraction) return false;
    decimals = static_cast<int>(p - fraction);
  }
  const double magnitude = static_cast<double>(mantissa) / powers[decimals];
  value = negative ? -magnitude : magnitude;
  return true;
}

// `in column 'amount' <rule>`, naming the domain field too when it says more (as imports do).
std::string column_rule(const std::string& column, std::string_view field, std::string_view rule) {
  if (field.empty() || field == column) {
    return fmt::format("in column {} {}", quote_value(column), rule);
  }
  return fmt::format("in column {} ({}) {}", quote_value(column), field, rule);
}

}  // namespace

bool FastTimestamp::parse_date(const char* text, std::int64_t& days) noexcept {
  if (cached_ && std::memcmp(text, cached_text_, sizeof cached_text_) == 0) {
    days = cached_days_;
    return true;
  }
  const int century = two_digits(text);
  const int year_in_century = two_digits(text + 2);
  const int month = two_digits(text + 5);
  const int day = two_digits(text + 8);
  if (century < 0 || year_in_century < 0 || month < 0 || day < 0 || text[4] != '-' ||
      text[7] != '-') {
    return false;
  }
  const int year = century * 100 + year_in_century;
  if (year == 0 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) {
    return false;
  }
  days = days_from_civil(year, month, day);
  std::memcpy(cached_text_, text, sizeof cached_text_);
  cached_days_ = days;
  cached_ = true;
  return true;
}

bool FastTimestamp::parse(std::string_view text, std::int64_t& micros) noexcept {
  const std::size_t n = text.size();
  const char* s = text.data();
  std::int64_t days = 0;
  if (n < 10 || !parse_date(s, days)) return false;
  if (n == 10) {
    micros = days * micros_per_day;
    return true;
  }
  if (n < 16 || (s[10] != 'T' && s[10] != ' ') || s[13] != ':') return false;
  const int hour = two_digits(s + 11);
  const int minute = two_digits(s + 14);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return false;
  std::int64_t seconds = hour * 3600 + minute * 60;
  std::int64_t fraction = 0;
  std::size_t pos = 16;
  if (pos < n && s[pos] == ':') {
    if (pos + 3 > n) return false;
    const int second = two_digits(s + pos + 1);
    if (second < 0 || second > 59) return false;
    seconds += second;
    pos += 3;
    if (pos < n && s[pos] == '.') {
      ++pos;
      int digits = 0;
      while (pos < n && is_digit(s[pos])) {
        if (digits == 6) return false;
        fraction = fraction * 10 + (s[pos] - '0');
        ++digits;
        ++pos;
      }
      if (digits == 0) return false;
      for (; digits < 6; ++digits) fraction *= 10;
    }
  }
  std::int64_t offset_seconds = 0;
  if (pos < n) {
    if (s[pos] == 'Z') {
      if (pos + 1 != n) return false;
    } else {
      if ((s[pos] != '+' && s[pos] != '-') || pos + 6 != n || s[pos + 3] != ':') return false;
      const int offset_hour = two_digits(s + pos + 1);
      const int offset_minute = two_digits(s + pos + 4);
      if (offset_hour < 0 || offset_hour > 23 || offset_minute < 0 || offset_minute > 59) {
        return false;
      }
      offset_seconds = offset_hour * 3600 + offset_minute * 60;
      if (s[pos] == '-') offset_seconds = -offset_seconds;
    }
  }
  micros = days * micros_per_day + (seconds - offset_seconds) * micros_per_second + fraction;
  return true;
}

void RowParser::fail(std::size_t field, std::string_view value, std::string_view rule) const {
  throw CellFailure{field, std::string(value), column_rule(layout_->names[field], "", rule)};
}

void RowParser::fail(std::size_t field, const Error& error) const {
  if (const auto* validation = dynamic_cast<const ValidationError*>(&error)) {
    throw CellFailure{field, validation->value(),
                      column_rule(layout_->names[field], validation->field(), validation->rule())};
  }
  if (const auto* parse = dynamic_cast<const ParseError*>(&error)) {
    throw CellFailure{field, parse->value(),
                      column_rule(layout_->names[field], parse->source(), parse->rule())};
  }
  throw CellFailure{field, "", column_rule(layout_->names[field], "", error.what())};
}

std::int64_t RowParser::parse_time(std::size_t field, std::string_view text) {
  std::int64_t micros = 0;
  if (options_->time_format == TimeFormat::iso8601 && fast_time_.parse(text, micros)) return micros;
  try {
    const Timestamp t = detail::parse_time(text, options_->time_format, layout_->names[field]);
    return t.time_since_epoch().count();
  } catch (const Error& error) {
    fail(field, error);
  }
}

double RowParser::parse_number(std::size_t field, std::string_view text) const {
  double fast = 0;
  if (fast_double(text, fast)) return fast;
  const std::optional<double> value = to_double(text);
  if (!value) fail(field, text, "is not a finite decimal number");
  return *value;
}

RowOutcome RowParser::parse(const std::string_view* fields, std::int64_t& customer_id,
                            std::int64_t& time_us, double& amount) {
  const PurchaseLayout& layout = *layout_;
  const PurchaseColumnsOptions& options = *options_;
  if (layout.exclude != no_column && fields[layout.exclude].starts_with(options.exclude_prefix)) {
    return RowOutcome::excluded;
  }
  std::string_view key = fields[layout.customer];
  if (options.strip_decimal_zero_keys) key = strip_decimal_zeros(key);
  if (key.empty()) {
    if (options.skip_rows_without_customer) return RowOutcome::without_customer;
    fail(layout.customer, fields[layout.customer],
         "must not be empty: every row needs a customer id (set skip_rows_without_customer to "
         "drop such rows)");
  }
  std::int64_t fast_id = 0;
  const std::optional<std::int64_t> id = fast_int(key, fast_id) ? fast_id : to_int(key);
  if (!id) {
    fail(layout.customer, fields[layout.customer],
         options.strip_decimal_zero_keys
             ? "is not a whole number: customer ids must be 64-bit integers"
             : "is not a whole number: customer ids must be 64-bit integers (set "
               "strip_decimal_zero_keys to read 17850.0 as 17850)");
  }
  customer_id = *id;
  time_us = parse_time(layout.time, fields[layout.time]);
  double sign_of = 0;  // the value whose sign decides skip_nonpositive
  if (layout.unit_price != no_column) {
    const double quantity = parse_number(layout.quantity, fields[layout.quantity]);
    const double price = parse_number(layout.unit_price, fields[layout.unit_price]);
    amount = price * quantity;
    if (!std::isfinite(amount)) {
      fail(layout.unit_price, fields[layout.unit_price],
           fmt::format("times the quantity {} is not a finite amount", quote_value(fields[layout.quantity])));
    }
    sign_of = quantity;
  } else {
    amount = parse_number(layout.amount, fields[layout.amount]);
    sign_of = amount;
  }
  if (options.skip_nonpositive && !(sign_of > 0)) return RowOutcome::nonpositive;
  return RowOutcome::kept;
}

}  // namespace crmkit::io::detail
