#include "crmkit/core/money.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

#include "crmkit/core/error.hpp"
#include "support/error_of.hpp"

using crmkit::Currency;
using crmkit::ExchangeRate;
using crmkit::Money;
using crmkit::ValidationError;

namespace {

using crmkit::test::validation_error_of;

constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t int64_min = std::numeric_limits<std::int64_t>::min();

const Currency eur{"EUR"};
const Currency usd{"USD"};
const Currency jpy{"JPY"};
const Currency kwd{"KWD"};
const Currency clf{"CLF"};

Money eur_cents(std::int64_t minor) { return Money(minor, eur); }

ExchangeRate rate(const Currency& from, const Currency& to, std::string text) {
  const crmkit::Date day{std::chrono::year{2024}, std::chrono::March, std::chrono::day{15}};
  return ExchangeRate{from, to, day, std::move(text)};
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Currency

TEST_CASE("currencies carry their ISO 4217 minor-unit exponent", "[core]") {
  CHECK(Currency("EUR").exponent() == 2);
  CHECK(Currency("USD").exponent() == 2);
  CHECK(Currency("GBP").exponent() == 2);
  CHECK(Currency("CHF").exponent() == 2);
  CHECK(Currency("JPY").exponent() == 0);
  CHECK(Currency("KRW").exponent() == 0);
  CHECK(Currency("CLP").exponent() == 0);
  CHECK(Currency("ISK").exponent() == 0);
  CHECK(Currency("VND").exponent() == 0);
  CHECK(Currency("XOF").exponent() == 0);
  CHECK(Currency("KWD").exponent() == 3);
  CHECK(Currency("BHD").exponent() == 3);
  CHECK(Currency("JOD").exponent() == 3);
  CHECK(Currency("OMR").exponent() == 3);
  CHECK(Currency("TND").exponent() == 3);
  CHECK(Currency("LYD").exponent() == 3);
  CHECK(Currency("IQD").exponent() == 3);
  CHECK(Currency("CLF").exponent() == 4);
  CHECK(Currency("UYW").exponent() == 4);
  CHECK(Currency("XAU").exponent() == 0);
  CHECK(Currency("XAG").exponent() == 0);
  CHECK(Currency("XDR").exponent() == 0);
}

TEST_CASE("a currency reports its code", "[core]") {
  CHECK(Currency("SEK").code() == "SEK");
  CHECK(Currency("ZAR").code() == "ZAR");
  CHECK(Currency("AED").code() == "AED");
}

TEST_CASE("the default currency is XXX, no currency", "[core]") {
  const Currency none;
  CHECK(none.code() == "XXX");
  CHECK(none.exponent() == 0);
  CHECK_FALSE(none.is_set());
  CHECK(Currency("EUR").is_set());
  CHECK(Currency("XXX") == none);
}

TEST_CASE("currencies compare by code", "[core]") {
  CHECK(Currency("EUR") == Currency("EUR"));
  CHECK_FALSE(Currency("EUR") == Currency("USD"));
}

TEST_CASE("is_known looks codes up in the ISO 4217 table", "[core]") {
  CHECK(Currency::is_known("EUR"));
  CHECK(Currency::is_known("AED"));
  CHECK(Currency::is_known("ZWL"));
  CHECK(Currency::is_known("XXX"));
  CHECK_FALSE(Currency::is_known("ABC"));
  CHECK_FALSE(Currency::is_known("eur"));
  CHECK_FALSE(Currency::is_known("EURO"));
  CHECK_FALSE(Currency::is_known(""));
  // Replaced by the euro in 1999 and 2023.
  CHECK_FALSE(Currency::is_known("DEM"));
  CHECK_FALSE(Currency::is_known("HRK"));
}

TEST_CASE("a malformed currency code is rejected naming the field and the code", "[core]") {
  REQUIRE_THROWS_AS(Currency("eur"), ValidationError);
  REQUIRE_THROWS_WITH(Currency("eur"),
                      Catch::Contains("currency: 'eur'") && Catch::Contains("upper-case"));
  REQUIRE_THROWS_WITH(Currency("EU"), Catch::Contains("currency: 'EU'"));
  REQUIRE_THROWS_WITH(Currency("EURO"), Catch::Contains("currency: 'EURO'"));
  REQUIRE_THROWS_WITH(Currency(""), Catch::Contains("currency: ''"));
  REQUIRE_THROWS_WITH(Currency("E1R"), Catch::Contains("currency: 'E1R'"));
}

TEST_CASE("an unknown currency code is rejected", "[core]") {
  const ValidationError error = validation_error_of([] { (void)Currency("ABC"); });
  CHECK(error.field() == "currency");
  CHECK(error.value() == "ABC");
  CHECK(error.rule() == "is not an ISO 4217 currency code");
}

// ---------------------------------------------------------------------------------------------
// Parsing

TEST_CASE("Money::parse reads decimal text exactly", "[core]") {
  CHECK(Money::parse("1234.50", eur) == eur_cents(123450));
  CHECK(Money::parse("1234.5", eur) == eur_cents(123450));
  CHECK(Money::parse("-3", eur) == eur_cents(-300));
  CHECK(Money::parse("+7.25", eur) == eur_cents(725));
  CHECK(Money::parse("0.5", eur) == eur_cents(50));
  CHECK(Money::parse("0", eur) == eur_cents(0));
  CHECK(Money::parse("-0.00", eur) == eur_cents(0));
  CHECK(Money::parse("0007.10", eur) == eur_cents(710));
  // 0.1 + 0.2 is not 0.3 in binary floating point; here it is exact.
  CHECK(Money::parse("0.10", eur) + Money::parse("0.20", eur) == Money::parse("0.30", eur));
}

TEST_CASE("Money::parse follows the currency's exponent", "[core]") {
  CHECK(Money::parse("12", jpy) == Money(12, jpy));
  CHECK(Money::parse("1.234", kwd) == Money(1234, kwd));
  CHECK(Money::parse("1.2", kwd) == Money(1200, kwd));
  CHECK(Money::parse("1.2345", clf) == Money(12345, clf));
  CHECK(Money::parse("37.1", clf) == Money(371000, clf));
}

TEST_CASE("Money::parse accepts extra decimals only when they are zeros", "[core]") {
  CHECK(Money::parse("12.00", jpy) == Money(12, jpy));
  CHECK(Money::parse("1.2300", eur) == eur_cents(123));
  REQUIRE_THROWS_AS(Money::parse("12.5", jpy), ValidationError);
  REQUIRE_THROWS_WITH(Money::parse("12.5", jpy),
                      Catch::Contains("amount: '12.5'") && Catch::Contains("more than 0 decimals"));
  REQUIRE_THROWS_WITH(Money::parse("1.234", eur), Catch::Contains("amount: '1.234'") &&
                                                      Catch::Contains("more than 2 decimals") &&
                                                      Catch::Contains("EUR"));
  REQUIRE_THROWS_WITH(Money::parse("1.23456", clf), Catch::Contains("amount: '1.23456'"));
  REQUIRE_THROWS_WITH(Money::parse("1.20001", eur), Catch::Contains("amount: '1.20001'"));
}

TEST_CASE("Money::parse rejects malformed text naming the value", "[core]") {
  const char* const bad[] = {"",  " 12", "12 ", "1,000.00", "1 000", "1e3", "12.5.1", "--1", "+-1",
                             "-", "+",   "€12", "12€",      "0x10",  "abc", "1_000",  "٣"};
  for (const char* text : bad) {
    INFO("text: " << text);
    const ValidationError error = validation_error_of([text] { (void)Money::parse(text, eur); });
    CHECK(error.field() == "amount");
    CHECK(error.value() == text);
    CHECK_THAT(error.rule(), Catch::StartsWith("is not a decimal amount"));
  }
}

TEST_CASE("Money::parse needs digits on both sides of the point", "[core]") {
  REQUIRE_THROWS_WITH(Money::parse(".5", eur),
                      Catch::Contains("amount: '.5'") && Catch::Contains("both sides"));
  REQUIRE_THROWS_WITH(Money::parse("5.", eur),
                      Catch::Contains("amount: '5.'") && Catch::Contains("both sides"));
  REQUIRE_THROWS_WITH(Money::parse("-.5", eur), Catch::Contains("amount: '-.5'"));
  REQUIRE_THROWS_WITH(Money::parse(".", eur), Catch::Contains("amount: '.'"));
}

TEST_CASE("Money::parse names the character that is not allowed", "[core]") {
  REQUIRE_THROWS_WITH(Money::parse("1,5", eur), Catch::Contains("',' at position 2"));
  REQUIRE_THROWS_WITH(Money::parse("12 ", eur), Catch::Contains("' ' at position 3"));
  REQUIRE_THROWS_WITH(Money::parse("\xE2\x82\xAC"
                                   "5",
                                   eur),
                      Catch::Contains("byte 0xE2 at position 1"));
}

TEST_CASE("Money::parse reaches the int64 limits exactly", "[core]") {
  CHECK(Money::parse("92233720368547758.07", eur) == eur_cents(int64_max));
  CHECK(Money::parse("-92233720368547758.08", eur) == eur_cents(int64_min));
  CHECK(Money::parse("9223372036854775807", jpy) == Money(int64_max, jpy));
  CHECK(Money::parse("-9223372036854775808", jpy) == Money(int64_min, jpy));
  CHECK(Money::parse("922337203685477.5807", clf) == Money(int64_max, clf));
}

TEST_CASE("Money::parse detects overflow one unit past the limits", "[core]") {
  const char* const too_big[] = {"92233720368547758.08", "-92233720368547758.09",
                                 "92233720368547759", "100000000000000000000",
                                 "99999999999999999999999999999999999999999999.99"};
  for (const char* text : too_big) {
    INFO("text: " << text);
    const ValidationError error = validation_error_of([text] { (void)Money::parse(text, eur); });
    CHECK(error.field() == "amount");
    CHECK(error.value() == text);
    CHECK_THAT(error.rule(), Catch::Contains("out of range for EUR"));
  }
  REQUIRE_THROWS_WITH(Money::parse("9223372036854775808", jpy),
                      Catch::Contains("amount: '9223372036854775808' is out of range for JPY"));
}

// ---------------------------------------------------------------------------------------------
// Formatting

TEST_CASE("to_string prints exactly the exponent's decimals", "[core]") {
  CHECK(eur_cents(123450).to_string() == "1234.50");
  CHECK(eur_cents(5).to_string() == "0.05");
  CHECK(eur_cents(-5).to_string() == "-0.05");
  CHECK(eur_cents(-100).to_string() == "-1.00");
  CHECK(eur_cents(0).to_string() == "0.00");
  CHECK(Money(12, jpy).to_string() == "12");
  CHECK(Money(-12, jpy).to_string() == "-12");
  CHECK(Money(-1234, kwd).to_string() == "-1.234");
  CHECK(Money(7, kwd).to_string() == "0.007");
  CHECK(Money(12345, clf).to_string() == "1.2345");
  CHECK(Money().to_string() == "0");
}

TEST_CASE("to_string handles the extreme amounts", "[core]") {
  CHECK(eur_cents(int64_max).to_string() == "92233720368547758.07");
  CHECK(eur_cents(int64_min).to_string() == "-92233720368547758.08");
  CHECK(Money(int64_min, jpy).to_string() == "-9223372036854775808");
}

TEST_CASE("format appends the currency code", "[core]") {
  CHECK(eur_cents(123450).format() == "1234.50 EUR");
  CHECK(Money(500, jpy).format() == "500 JPY");
  CHECK(Money().format() == "0 XXX");
}

TEST_CASE("parse and to_string round-trip", "[core]") {
  const std::int64_t amounts[] = {0, 1, -1, 99, 100, -101, 123456789, int64_max, int64_min};
  for (const Currency& currency : {eur, jpy, kwd, clf}) {
    for (const std::int64_t minor : amounts) {
      const Money money(minor, currency);
      INFO(money.format());
      CHECK(Money::parse(money.to_string(), currency) == money);
    }
  }
}

TEST_CASE("to_double gives major units", "[core]") {
  CHECK(eur_cents(123450).to_double() == 1234.5);
  CHECK(Money(12, jpy).to_double() == 12.0);
  CHECK(Money(-1500, kwd).to_double() == -1.5);
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

TEST_CASE("amounts of one currency add and subtract", "[core]") {
  Money total = eur_cents(1050);
  total += eur_cents(250);
  CHECK(total == eur_cents(1300));
  total -= eur_cents(2000);
  CHECK(total == eur_cents(-700));
  CHECK(eur_cents(100) + eur_cents(5) == eur_cents(105));
  CHECK(eur_cents(100) - eur_cents(5) == eur_cents(95));
  CHECK(-eur_cents(100) == eur_cents(-100));
  CHECK(eur_cents(1999).times(3) == eur_cents(5997));
  CHECK(eur_cents(1999).times(-2) == eur_cents(-3998));
}

TEST_CASE("amounts of different currencies cannot be combined", "[core]") {
  Money total = eur_cents(1000);
  const Money dollars(1200, usd);
  REQUIRE_THROWS_AS(total += dollars, ValidationError);
  REQUIRE_THROWS_WITH(total += dollars, "amount: '12.00 USD' cannot be combined with EUR amounts");
  REQUIRE_THROWS_WITH(total - dollars, Catch::Contains("amount: '12.00 USD'"));
  REQUIRE_THROWS_WITH(Money(5, jpy) + total, Catch::Contains("cannot be combined with JPY"));
  CHECK(total == eur_cents(1000));
}

TEST_CASE("the no-currency zero is a currency of its own", "[core]") {
  Money total;
  REQUIRE_THROWS_AS(total += eur_cents(5), ValidationError);
  CHECK_FALSE(Money() == eur_cents(0));
}

TEST_CASE("arithmetic overflow is detected", "[core]") {
  REQUIRE_THROWS_WITH(
      eur_cents(int64_max) + eur_cents(1),
      Catch::Contains("amount: '92233720368547758.07 EUR'") && Catch::Contains("overflows"));
  REQUIRE_THROWS_AS(eur_cents(int64_min) - eur_cents(1), ValidationError);
  REQUIRE_THROWS_WITH(-eur_cents(int64_min),
                      Catch::Contains("amount: '-92233720368547758.08 EUR'"));
  REQUIRE_THROWS_WITH(eur_cents(int64_max / 2 + 1).times(2), Catch::Contains("multiplied by 2"));
  REQUIRE_THROWS_AS(eur_cents(int64_min).times(-1), ValidationError);
  // Right at the limit is still fine.
  CHECK(eur_cents(int64_max - 1) + eur_cents(1) == eur_cents(int64_max));
  CHECK(eur_cents(int64_min + 1) - eur_cents(1) == eur_cents(int64_min));
  CHECK(-eur_cents(int64_max) == eur_cents(-int64_max));
}

TEST_CASE("amounts of one currency are ordered", "[core]") {
  CHECK(eur_cents(1) < eur_cents(2));
  CHECK(eur_cents(-5) < eur_cents(0));
  CHECK(eur_cents(7) >= eur_cents(7));
  CHECK((eur_cents(3) <=> eur_cents(3)) == std::strong_ordering::equal);
}

TEST_CASE("ordering across currencies throws", "[core]") {
  REQUIRE_THROWS_AS(eur_cents(1) < Money(2, usd), ValidationError);
  REQUIRE_THROWS_WITH(eur_cents(1) < Money(2, usd),
                      "amount: '0.02 USD' cannot be compared with EUR amounts");
  // Equality is not an ordering: different currencies are simply unequal.
  CHECK_FALSE(eur_cents(100) == Money(100, usd));
}

// ---------------------------------------------------------------------------------------------
// Scaling and doubles

TEST_CASE("scaled rounds half to even", "[core]") {
  CHECK(eur_cents(5).scaled(0.5) == eur_cents(2));  // 2.5 -> 2
  CHECK(eur_cents(7).scaled(0.5) == eur_cents(4));  // 3.5 -> 4
  CHECK(eur_cents(-5).scaled(0.5) == eur_cents(-2));
  CHECK(eur_cents(-7).scaled(0.5) == eur_cents(-4));
  CHECK(eur_cents(9).scaled(0.5) == eur_cents(4));    // 4.5 -> 4
  CHECK(eur_cents(11).scaled(0.5) == eur_cents(6));   // 5.5 -> 6
  CHECK(eur_cents(10).scaled(0.26) == eur_cents(3));  // 2.6 -> 3
  CHECK(eur_cents(10).scaled(0.24) == eur_cents(2));  // 2.4 -> 2
}

TEST_CASE("scaled takes the factor as the decimal it was written as", "[core]") {
  // The double nearest 0.1 is slightly above it; 25 x 0.1 is still the tie 2.5 -> 2.
  CHECK(eur_cents(25).scaled(0.1) == eur_cents(2));
  CHECK(eur_cents(35).scaled(0.1) == eur_cents(4));
  // A deal of 12,345.67 EUR at 35 % probability.
  CHECK(eur_cents(1234567).scaled(0.35) == eur_cents(432098));
  CHECK(eur_cents(100000).scaled(0.7) == eur_cents(70000));
}

TEST_CASE("scaled keeps the currency and handles extremes", "[core]") {
  CHECK(Money(1000, jpy).scaled(1.5) == Money(1500, jpy));
  CHECK(eur_cents(int64_max).scaled(1.0) == eur_cents(int64_max));
  CHECK(eur_cents(int64_max).scaled(0.0) == eur_cents(0));
  CHECK(eur_cents(int64_max).scaled(-1.0) == eur_cents(-int64_max));
  CHECK(eur_cents(123).scaled(1e-300) == eur_cents(0));
  CHECK(eur_cents(3).scaled(1e10) == eur_cents(30'000'000'000));
}

TEST_CASE("scaled rejects non-finite factors and overflow", "[core]") {
  const ValidationError error = validation_error_of(
      [] { (void)eur_cents(100).scaled(std::numeric_limits<double>::quiet_NaN()); });
  CHECK(error.field() == "factor");
  CHECK(error.value() == "nan");
  REQUIRE_THROWS_WITH(eur_cents(100).scaled(std::numeric_limits<double>::infinity()),
                      Catch::Contains("factor: 'inf' must be a finite number"));
  REQUIRE_THROWS_WITH(
      eur_cents(int64_max).scaled(2.0),
      Catch::Contains("amount: '92233720368547758.07 EUR'") && Catch::Contains("scaled by 2"));
  REQUIRE_THROWS_AS(eur_cents(1).scaled(1e300), ValidationError);
}

TEST_CASE("from_double rounds half away from zero to the minor unit", "[core]") {
  CHECK(Money::from_double(1234.5, eur) == eur_cents(123450));
  CHECK(Money::from_double(0.125, eur) == eur_cents(13));
  CHECK(Money::from_double(-0.125, eur) == eur_cents(-13));
  CHECK(Money::from_double(0.124, eur) == eur_cents(12));
  CHECK(Money::from_double(2.675, eur) == eur_cents(268));
  CHECK(Money::from_double(1234.5, jpy) == Money(1235, jpy));
  CHECK(Money::from_double(-1234.5, jpy) == Money(-1235, jpy));
  CHECK(Money::from_double(1.2345, kwd) == Money(1235, kwd));
  CHECK(Money::from_double(0.0, eur) == eur_cents(0));
  CHECK(Money::from_double(-0.0, eur).to_string() == "0.00");
}

TEST_CASE("from_double rejects non-finite and out-of-range values", "[core]") {
  const ValidationError error = validation_error_of(
      [] { (void)Money::from_double(std::numeric_limits<double>::infinity(), eur); });
  CHECK(error.field() == "amount");
  CHECK(error.value() == "inf");
  REQUIRE_THROWS_WITH(Money::from_double(std::numeric_limits<double>::quiet_NaN(), eur),
                      Catch::Contains("amount: 'nan' must be a finite number"));
  REQUIRE_THROWS_WITH(Money::from_double(1e17, eur),
                      Catch::Contains("amount: '1e+17' is out of range for EUR"));
  CHECK(Money::from_double(1e17, jpy) == Money(100'000'000'000'000'000, jpy));
}

// ---------------------------------------------------------------------------------------------
// Conversion

TEST_CASE("convert applies a dated rate exactly", "[core]") {
  CHECK(convert(eur_cents(10000), rate(eur, usd, "1.0842")) == Money(10842, usd));
  CHECK(convert(eur_cents(123456), rate(eur, usd, "1.0842")) == Money(133851, usd));  // 1338.510
  CHECK(convert(eur_cents(-10000), rate(eur, usd, "1.0842")) == Money(-10842, usd));
  CHECK(convert(eur_cents(10000), rate(eur, eur, "1")) == eur_cents(10000));
}

TEST_CASE("convert moves between exponents", "[core]") {
  // 100.00 EUR at 161.53 JPY per EUR.
  CHECK(convert(eur_cents(10000), rate(eur, jpy, "161.53")) == Money(16153, jpy));
  // 5000 JPY at 0.0062 EUR per JPY = 31.00 EUR.
  CHECK(convert(Money(5000, jpy), rate(jpy, eur, "0.0062")) == eur_cents(3100));
  // 1000 JPY at 0.002041 KWD per JPY = 2.041 KWD.
  CHECK(convert(Money(1000, jpy), rate(jpy, kwd, "0.002041")) == Money(2041, kwd));
  // 1.000 KWD at 3.2552 USD per KWD.
  CHECK(convert(Money(1000, kwd), rate(kwd, usd, "3.2552")) == Money(326, usd));
}

TEST_CASE("convert rounds half to even", "[core]") {
  // 1.00 USD at 150.5 JPY = 150.5 JPY -> 150; at 151.5 -> 152.
  CHECK(convert(Money(100, usd), rate(usd, jpy, "150.5")) == Money(150, jpy));
  CHECK(convert(Money(100, usd), rate(usd, jpy, "151.5")) == Money(152, jpy));
  CHECK(convert(Money(-100, usd), rate(usd, jpy, "150.5")) == Money(-150, jpy));
  // 0.01 EUR at 0.5 = 0.005 USD -> 0.00; 0.03 EUR at 0.5 = 0.015 USD -> 0.02.
  CHECK(convert(eur_cents(1), rate(eur, usd, "0.5")) == Money(0, usd));
  CHECK(convert(eur_cents(3), rate(eur, usd, "0.5")) == Money(2, usd));
}

TEST_CASE("convert accepts rates with up to 12 decimals", "[core]") {
  CHECK(convert(eur_cents(100'000'000'000), rate(eur, usd, "0.000000000001")) == Money(0, usd));
  CHECK(convert(Money(int64_max, jpy), rate(jpy, jpy, "0.500000000000")) ==
        Money(int64_max / 2 + 1, jpy));
  REQUIRE_THROWS_WITH(convert(eur_cents(1), rate(eur, usd, "1.0000000000001")),
                      Catch::Contains("rate.rate: '1.0000000000001' has more than 12 decimals"));
}

TEST_CASE("convert needs the amount in the rate's source currency", "[core]") {
  const ValidationError error =
      validation_error_of([] { (void)convert(Money(100, usd), rate(eur, jpy, "161.53")); });
  CHECK(error.field() == "amount");
  CHECK(error.value() == "1.00 USD");
  CHECK_THAT(std::string(error.what()), Catch::Contains("EUR"));
}

TEST_CASE("convert rejects rates that are not positive decimals", "[core]") {
  const char* const bad[] = {"0",  "0.000", "-1.08", "+1.08", "",      "abc",
                             "1.", ".5",    "1e3",   "1,08",  " 1.08", "1.08 "};
  for (const char* text : bad) {
    INFO("rate: " << text);
    const ValidationError error =
        validation_error_of([text] { (void)convert(eur_cents(100), rate(eur, usd, text)); });
    CHECK(error.field() == "rate.rate");
    CHECK(error.value() == text);
  }
  REQUIRE_THROWS_WITH(convert(eur_cents(100), rate(eur, usd, "0")),
                      "rate.rate: '0' must be greater than zero");
}

TEST_CASE("convert detects overflow", "[core]") {
  REQUIRE_THROWS_WITH(
      convert(eur_cents(int64_max), rate(eur, usd, "2")),
      Catch::Contains("amount: '92233720368547758.07 EUR'") && Catch::Contains("overflows"));
  REQUIRE_THROWS_AS(convert(eur_cents(int64_max), rate(eur, kwd, "9999999999999999")),
                    ValidationError);
  REQUIRE_THROWS_AS(convert(eur_cents(1), rate(eur, usd, "99999999999999999999")), ValidationError);
}
