#include "crmkit/core/time.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

#include "crmkit/core/error.hpp"
#include "support/error_of.hpp"

using crmkit::Date;
using crmkit::format_date;
using crmkit::format_timestamp;
using crmkit::parse_date;
using crmkit::parse_timestamp;
using crmkit::ParseError;
using crmkit::Timestamp;

namespace {

using crmkit::test::parse_error_of;

using namespace std::chrono_literals;

Date ymd(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

// Parses and formats back, so expectations read as ISO 8601 text.
std::string normalized(std::string_view text) { return format_timestamp(parse_timestamp(text)); }

ParseError timestamp_error(std::string_view text) {
  return parse_error_of([text] { (void)parse_timestamp(text); });
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Parsing timestamps

TEST_CASE("parse_timestamp reads UTC timestamps", "[core]") {
  const Timestamp t = parse_timestamp("2024-03-10T01:30:15Z");
  CHECK(t == std::chrono::sys_days{ymd(2024, 3, 10)} + 1h + 30min + 15s);
  CHECK(normalized("2024-03-10T01:30:15Z") == "2024-03-10T01:30:15Z");
}

TEST_CASE("parse_timestamp applies the offset to reach UTC", "[core]") {
  CHECK(normalized("2024-03-10T01:30:00+05:30") == "2024-03-09T20:00:00Z");
  CHECK(normalized("2024-12-31T20:00:00-08:00") == "2025-01-01T04:00:00Z");
  CHECK(normalized("2024-06-01T12:00:00+00:00") == "2024-06-01T12:00:00Z");
  CHECK(normalized("2024-06-01T12:00:00-00:00") == "2024-06-01T12:00:00Z");
  CHECK(normalized("2024-06-01T00:15+23:59") == "2024-05-31T00:16:00Z");
  CHECK(parse_timestamp("2024-03-10T01:30:00+05:30") == parse_timestamp("2024-03-09T20:00:00Z"));
}

TEST_CASE("parse_timestamp takes a timestamp without offset as UTC", "[core]") {
  CHECK(parse_timestamp("2024-03-10T08:00:00") == parse_timestamp("2024-03-10T08:00:00Z"));
}

TEST_CASE("parse_timestamp accepts a space for the T and omitted seconds", "[core]") {
  CHECK(normalized("2024-03-10 01:30") == "2024-03-10T01:30:00Z");
  CHECK(normalized("2024-03-10T01:30Z") == "2024-03-10T01:30:00Z");
  CHECK(normalized("2024-03-10 01:30+01:00") == "2024-03-10T00:30:00Z");
}

TEST_CASE("a bare date means its midnight UTC", "[core]") {
  CHECK(parse_timestamp("2024-03-10") == std::chrono::sys_days{ymd(2024, 3, 10)});
  CHECK(normalized("2024-03-10") == "2024-03-10T00:00:00Z");
}

TEST_CASE("parse_timestamp reads fractions of 1 to 6 digits", "[core]") {
  const Timestamp whole = parse_timestamp("2024-03-10T01:30:00Z");
  CHECK(parse_timestamp("2024-03-10T01:30:00.5Z") - whole == 500'000us);
  CHECK(parse_timestamp("2024-03-10T01:30:00.05Z") - whole == 50'000us);
  CHECK(parse_timestamp("2024-03-10T01:30:00.123456Z") - whole == 123'456us);
  CHECK(parse_timestamp("2024-03-10T01:30:00.000001Z") - whole == 1us);
  CHECK(parse_timestamp("2024-03-10T01:30:00.999999+01:00") - whole == -1h + 999'999us);
}

TEST_CASE("parse_timestamp checks the calendar, leap years included", "[core]") {
  CHECK(normalized("2024-02-29T12:00Z") == "2024-02-29T12:00:00Z");
  CHECK(normalized("2000-02-29T12:00Z") == "2000-02-29T12:00:00Z");
  for (const char* text : {"2023-02-29T12:00Z", "1900-02-29T12:00Z", "2024-04-31T12:00Z",
                           "2024-02-30T12:00Z", "2024-01-00T12:00Z", "2024-01-32T12:00Z"}) {
    INFO(text);
    const ParseError error = timestamp_error(text);
    CHECK(error.column() == 9);
    CHECK_THAT(error.rule(), Catch::Contains("does not exist"));
  }
}

TEST_CASE("parse_timestamp covers years 0001 to 9999", "[core]") {
  CHECK(normalized("0001-01-01T00:00:00Z") == "0001-01-01T00:00:00Z");
  CHECK(normalized("9999-12-31T23:59:59.999999Z") == "9999-12-31T23:59:59.999999Z");
  const ParseError zero = timestamp_error("0000-01-01T00:00Z");
  CHECK(zero.column() == 1);
  CHECK_THAT(zero.rule(), Catch::Contains("year 0000"));
}

TEST_CASE("parse_timestamp reports the column of the first bad character", "[core]") {
  struct Case {
    const char* text;
    std::uint64_t column;
    const char* rule;
  };
  const Case cases[] = {
      {"", 1, "the year"},
      {"24-03-10T01:30Z", 3, "the year"},
      {"10000-01-01", 5, "'-' after the year"},
      {"2024/03/10", 5, "'-' after the year"},
      {"2024-3-10T01:30Z", 7, "the month"},
      {"2024-13-01T01:30Z", 6, "month 13 is out of range"},
      {"2024-00-01T01:30Z", 6, "month 00 is out of range"},
      {"2024-03-10t01:30Z", 11, "'T' or a space"},
      {"2024-03-10T1:30Z", 13, "the hour"},
      {"2024-03-10T24:00:00Z", 12, "the hour 24 is out of range 00-23"},
      {"2024-03-10T23:60:00Z", 15, "the minute 60 is out of range"},
      {"2024-03-10T23:59:60Z", 18, "the second 60 is out of range"},
      {"2024-03-10T0130Z", 14, "':' after the hour"},
      {"2024-03-10T01:30:00.Z", 21, "digits after the '.'"},
      {"2024-03-10T01:30:00.1234567Z", 27, "more than 6 digits"},
      {"2024-03-10T01:30:00,5Z", 20, "'Z' or an offset"},
      {"2024-03-10T01:30.5Z", 17, "'Z' or an offset"},
      {"2024-03-10T01:30:00z", 20, "'Z' or an offset"},
      {"2024-03-10T01:30:00 Z", 20, "'Z' or an offset"},
      {"2024-03-10T01:30:00+0530", 23, "':' in the offset"},
      {"2024-03-10T01:30:00+5:30", 22, "the offset hour"},
      {"2024-03-10T01:30:00+24:00", 21, "the offset hour 24 is out of range"},
      {"2024-03-10T01:30:00+05:60", 24, "the offset minute 60 is out of range"},
      {"2024-03-10T01:30:00Z ", 21, "unexpected text"},
      {"2024-03-10T01:30:00+01:00Z", 26, "unexpected text"},
      {" 2024-03-10", 1, "the year"},
  };
  for (const Case& c : cases) {
    INFO("text: '" << c.text << "'");
    const ParseError error = timestamp_error(c.text);
    CHECK(error.source() == "timestamp");
    CHECK(error.value() == c.text);
    CHECK(error.line() == 0);
    CHECK(error.column() == c.column);
    CHECK_THAT(error.rule(),
               Catch::StartsWith("is not a valid ISO 8601 timestamp") && Catch::Contains(c.rule));
  }
}

TEST_CASE("a timestamp error message names the field, the text and the column", "[core]") {
  REQUIRE_THROWS_AS(parse_timestamp("2024-13-01", "deal.closed_at"), ParseError);
  REQUIRE_THROWS_WITH(parse_timestamp("2024-13-01", "deal.closed_at"),
                      "deal.closed_at: '2024-13-01' is not a valid ISO 8601 timestamp: month 13 "
                      "is out of range 01-12 (column 6)");
  CHECK(parse_error_of([] { (void)parse_timestamp("soon", "deal.closed_at"); }).source() ==
        "deal.closed_at");
}

// ---------------------------------------------------------------------------------------------
// Formatting timestamps

TEST_CASE("format_timestamp prints microseconds only when there are some", "[core]") {
  const Timestamp midnight{std::chrono::sys_days{ymd(2024, 3, 10)}};
  CHECK(format_timestamp(midnight) == "2024-03-10T00:00:00Z");
  CHECK(format_timestamp(midnight + 1us) == "2024-03-10T00:00:00.000001Z");
  CHECK(format_timestamp(midnight + 13h + 5min + 7s + 250ms) == "2024-03-10T13:05:07.250000Z");
  CHECK(format_timestamp(Timestamp{}) == "1970-01-01T00:00:00Z");
}

TEST_CASE("format_timestamp handles times before 1970", "[core]") {
  CHECK(format_timestamp(Timestamp{} - 1us) == "1969-12-31T23:59:59.999999Z");
  CHECK(normalized("1969-07-20T20:17:40Z") == "1969-07-20T20:17:40Z");
}

TEST_CASE("timestamps round-trip through text", "[core]") {
  for (const char* text :
       {"2024-03-10T01:30:00Z", "2024-02-29T23:59:59.999999Z", "1999-12-31T23:59:59Z",
        "2038-01-19T03:14:08.000500Z", "1900-01-01T00:00:00.100000Z"}) {
    CHECK(format_timestamp(parse_timestamp(text)) == text);
  }
}

// ---------------------------------------------------------------------------------------------
// Dates

TEST_CASE("parse_date reads a strict calendar date", "[core]") {
  CHECK(parse_date("2024-02-29") == ymd(2024, 2, 29));
  CHECK(parse_date("0001-01-01") == ymd(1, 1, 1));
  CHECK(parse_date("9999-12-31") == ymd(9999, 12, 31));
}

TEST_CASE("parse_date rejects anything but YYYY-MM-DD", "[core]") {
  struct Case {
    const char* text;
    std::uint64_t column;
  };
  const Case cases[] = {
      {"2023-02-29", 9},        {"1900-02-29", 9}, {"2024-13-01", 6}, {"20240310", 5},
      {"2024-03-10T00:00", 11}, {"2024-03-1", 10}, {"0000-01-01", 1}, {"", 1}};
  for (const Case& c : cases) {
    INFO("text: '" << c.text << "'");
    const ParseError error =
        parse_error_of([&c] { (void)parse_date(c.text, "deal.expected_close"); });
    CHECK(error.source() == "deal.expected_close");
    CHECK(error.value() == c.text);
    CHECK(error.column() == c.column);
    CHECK_THAT(error.rule(), Catch::StartsWith("is not a valid ISO 8601 date"));
  }
  REQUIRE_THROWS_WITH(parse_date("2023-02-29"),
                      "date: '2023-02-29' is not a valid ISO 8601 date: day 29 does not exist in "
                      "2023-02 (column 9)");
}

TEST_CASE("format_date zero-pads every field", "[core]") {
  CHECK(format_date(ymd(2024, 3, 9)) == "2024-03-09");
  CHECK(format_date(ymd(1, 1, 1)) == "0001-01-01");
  CHECK(format_date(ymd(9999, 12, 31)) == "9999-12-31");
  CHECK(format_date(parse_date("2000-02-29")) == "2000-02-29");
}

TEST_CASE("date_of gives the UTC day, also before 1970", "[core]") {
  CHECK(crmkit::date_of(parse_timestamp("2024-03-10T23:59:59.999999Z")) == ymd(2024, 3, 10));
  CHECK(crmkit::date_of(parse_timestamp("2024-03-10T01:30:00+05:30")) == ymd(2024, 3, 9));
  CHECK(crmkit::date_of(parse_timestamp("1969-12-31T12:00:00Z")) == ymd(1969, 12, 31));
}

TEST_CASE("start_of gives midnight UTC", "[core]") {
  CHECK(crmkit::start_of(ymd(2024, 3, 10)) == parse_timestamp("2024-03-10T00:00:00Z"));
  CHECK(crmkit::date_of(crmkit::start_of(ymd(1950, 6, 1))) == ymd(1950, 6, 1));
}

TEST_CASE("now reads the system clock at microsecond resolution", "[core]") {
  const Timestamp t = crmkit::now();
  STATIC_REQUIRE(std::is_same_v<decltype(crmkit::now()), Timestamp>);
  CHECK(t > parse_timestamp("2024-01-01"));
  CHECK(t < parse_timestamp("9999-01-01"));
}
