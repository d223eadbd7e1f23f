#include "crmkit/core/time.hpp"

#include <fmt/format.h>

#include "crmkit/core/error.hpp"

namespace crmkit {

namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr int max_fraction_digits = 6;

// Reads ISO 8601 text left to right; every failure names the 1-based column of the first
// character that broke a rule.
class Scanner {
 public:
  Scanner(std::string_view text, std::string_view field, std::string_view what)
      : text_(text), field_(field), what_(what) {}

  [[nodiscard]] bool at_end() const noexcept { return pos_ == text_.size(); }
  [[nodiscard]] std::size_t position() const noexcept { return pos_; }
  [[nodiscard]] char peek() const noexcept { return at_end() ? '\0' : text_[pos_]; }

  [[noreturn]] void fail_at(std::size_t pos, std::string_view rule) const {
    throw ParseError(std::string(field_), 0, pos + 1, std::string(text_),
                     fmt::format("is not a valid {}: {}", what_, rule));
  }
  [[noreturn]] void fail(std::string_view rule) const { fail_at(pos_, rule); }

  // Exactly `count` digits, as a number; `name` says what they are, e.g. "the month (MM)".
  int digits(int count, std::string_view name) {
    int value = 0;
    for (int i = 0; i < count; ++i) {
      const char c = peek();
      if (c < '0' || c > '9') {
        fail(fmt::format("expected {} as {} digits", name, count));
      }
      value = value * 10 + (c - '0');
      ++pos_;
    }
    return value;
  }

  // Two digits in [0, max].
  int field_in_range(std::string_view name, int max) {
    const std::size_t start = pos_;
    const int value = digits(2, name);
    if (value > max) {
      fail_at(start, fmt::format("{} {:02} is out of range 00-{:02}", name, value, max));
    }
    return value;
  }

  void expect(char c, std::string_view what) {
    if (peek() != c) {
      fail(fmt::format("expected {}", what));
    }
    ++pos_;
  }

  void expect_end() const {
    if (!at_end()) {
      fail("unexpected text after the end");
    }
  }

  bool accept(char c) noexcept {
    if (peek() == c) {
      ++pos_;
      return true;
    }
    return false;
  }

 private:
  std::string_view text_;
  std::string_view field_;
  std::string_view what_;
  std::size_t pos_ = 0;
};

Date scan_date(Scanner& in) {
  const std::size_t year_pos = in.position();
  const int year = in.digits(4, "the year (YYYY)");
  if (year == 0) {
    in.fail_at(year_pos, "year 0000 is out of range 0001-9999");
  }
  in.expect('-', "'-' after the year");
  const std::size_t month_pos = in.position();
  const int month = in.digits(2, "the month (MM)");
  if (month < 1 || month > 12) {
    in.fail_at(month_pos, fmt::format("month {:02} is out of range 01-12", month));
  }
  in.expect('-', "'-' after the month");
  const std::size_t day_pos = in.position();
  const int day = in.digits(2, "the day (DD)");
  const Date date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                  std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) {
    in.fail_at(day_pos, fmt::format("day {:02} does not exist in {:04}-{:02}", day, year, month));
  }
  return date;
}

Duration scan_fraction(Scanner& in) {
  const std::size_t start = in.position();
  std::int64_t micros = 0;
  int count = 0;
  while (in.peek() >= '0' && in.peek() <= '9') {
    if (count == max_fraction_digits) {
      in.fail(fmt::format("the fraction of a second has more than {} digits", max_fraction_digits));
    }
    micros = micros * 10 + (in.peek() - '0');
    ++count;
    in.accept(in.peek());
  }
  if (count == 0) {
    in.fail_at(start, "expected digits after the '.' of the seconds");
  }
  for (; count < max_fraction_digits; ++count) {
    micros *= 10;
  }
  return microseconds{micros};
}

// `Z`, `+HH:MM` or `-HH:MM`; nothing means UTC. Returns the offset east of UTC.
minutes scan_offset(Scanner& in) {
  if (in.at_end() || in.accept('Z')) {
    return minutes{0};
  }
  const char sign = in.peek();
  if (sign != '+' && sign != '-') {
    in.fail("expected 'Z' or an offset +HH:MM / -HH:MM");
  }
  in.accept(sign);
  const int offset_hours = in.field_in_range("the offset hour", 23);
  in.expect(':', "':' in the offset (+HH:MM)");
  const int offset_minutes = in.field_in_range("the offset minute", 59);
  const minutes offset = hours{offset_hours} + minutes{offset_minutes};
  return sign == '-' ? -offset : offset;
}

Duration scan_time_of_day(Scanner& in) {
  const int hour = in.field_in_range("the hour", 23);
  in.expect(':', "':' after the hour");
  const int minute = in.field_in_range("the minute", 59);
  Duration time = hours{hour} + minutes{minute};
  if (in.accept(':')) {
    time += seconds{in.field_in_range("the second", 59)};
    if (in.accept('.')) {
      time += scan_fraction(in);
    }
  }
  return time;
}

}  // namespace

Timestamp parse_timestamp(std::string_view text, std::string_view field) {
  Scanner in(text, field, "ISO 8601 timestamp");
  const Date date = scan_date(in);
  const Timestamp midnight = start_of(date);
  if (in.at_end()) {
    return midnight;
  }
  if (!in.accept('T') && !in.accept(' ')) {
    in.fail("expected 'T' or a space between the date and the time");
  }
  const Duration time = scan_time_of_day(in);
  const minutes offset = scan_offset(in);
  in.expect_end();
  // Local time = UTC + offset.
  return midnight + time - offset;
}

std::string format_timestamp(Timestamp t) {
  const auto day = std::chrono::floor<days>(t);
  const Date date{day};
  const std::chrono::hh_mm_ss<Duration> time{t - day};
  const auto micros = time.subseconds().count();
  const std::string fraction = micros == 0 ? std::string() : fmt::format(".{:06}", micros);
  return fmt::format("{}T{:02}:{:02}:{:02}{}Z", format_date(date), time.hours().count(),
                     time.minutes().count(), time.seconds().count(), fraction);
}

Date parse_date(std::string_view text, std::string_view field) {
  Scanner in(text, field, "ISO 8601 date");
  const Date date = scan_date(in);
  in.expect_end();
  return date;
}

std::string format_date(Date d) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()),
                     static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
}

Date date_of(Timestamp t) noexcept { return Date{std::chrono::floor<days>(t)}; }

Timestamp start_of(Date d) noexcept { return Timestamp{std::chrono::sys_days{d}}; }

Timestamp now() noexcept {
  return std::chrono::floor<microseconds>(std::chrono::system_clock::now());
}

}  // namespace crmkit
