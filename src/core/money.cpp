#include "crmkit/core/money.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <system_error>

#include "crmkit/core/error.hpp"

namespace crmkit {

namespace {

// GCC and Clang provide 128-bit integers; `__extension__` keeps -Wpedantic quiet about them.
__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

struct CurrencyInfo {
  std::string_view code;
  int exponent;
};

// ISO 4217 list one (active codes), with the minor-unit exponents. Funds, precious metals,
// SDRs and the testing / "no currency" codes have no minor unit ("N.A."), stored as 0.
// Sorted by code for binary search (checked below).
constexpr CurrencyInfo currency_table[] = {
    {"AED", 2}, {"AFN", 2}, {"ALL", 2}, {"AMD", 2}, {"ANG", 2}, {"AOA", 2}, {"ARS", 2}, {"AUD", 2},
    {"AWG", 2}, {"AZN", 2}, {"BAM", 2}, {"BBD", 2}, {"BDT", 2}, {"BGN", 2}, {"BHD", 3}, {"BIF", 0},
    {"BMD", 2}, {"BND", 2}, {"BOB", 2}, {"BOV", 2}, {"BRL", 2}, {"BSD", 2}, {"BTN", 2}, {"BWP", 2},
    {"BYN", 2}, {"BZD", 2}, {"CAD", 2}, {"CDF", 2}, {"CHE", 2}, {"CHF", 2}, {"CHW", 2}, {"CLF", 4},
    {"CLP", 0}, {"CNY", 2}, {"COP", 2}, {"COU", 2}, {"CRC", 2}, {"CUC", 2}, {"CUP", 2}, {"CVE", 2},
    {"CZK", 2}, {"DJF", 0}, {"DKK", 2}, {"DOP", 2}, {"DZD", 2}, {"EGP", 2}, {"ERN", 2}, {"ETB", 2},
    {"EUR", 2}, {"FJD", 2}, {"FKP", 2}, {"GBP", 2}, {"GEL", 2}, {"GHS", 2}, {"GIP", 2}, {"GMD", 2},
    {"GNF", 0}, {"GTQ", 2}, {"GYD", 2}, {"HKD", 2}, {"HNL", 2}, {"HTG", 2}, {"HUF", 2}, {"IDR", 2},
    {"ILS", 2}, {"INR", 2}, {"IQD", 3}, {"IRR", 2}, {"ISK", 0}, {"JMD", 2}, {"JOD", 3}, {"JPY", 0},
    {"KES", 2}, {"KGS", 2}, {"KHR", 2}, {"KMF", 0}, {"KPW", 2}, {"KRW", 0}, {"KWD", 3}, {"KYD", 2},
    {"KZT", 2}, {"LAK", 2}, {"LBP", 2}, {"LKR", 2}, {"LRD", 2}, {"LSL", 2}, {"LYD", 3}, {"MAD", 2},
    {"MDL", 2}, {"MGA", 2}, {"MKD", 2}, {"MMK", 2}, {"MNT", 2}, {"MOP", 2}, {"MRU", 2}, {"MUR", 2},
    {"MVR", 2}, {"MWK", 2}, {"MXN", 2}, {"MXV", 2}, {"MYR", 2}, {"MZN", 2}, {"NAD", 2}, {"NGN", 2},
    {"NIO", 2}, {"NOK", 2}, {"NPR", 2}, {"NZD", 2}, {"OMR", 3}, {"PAB", 2}, {"PEN", 2}, {"PGK", 2},
    {"PHP", 2}, {"PKR", 2}, {"PLN", 2}, {"PYG", 0}, {"QAR", 2}, {"RON", 2}, {"RSD", 2}, {"RUB", 2},
    {"RWF", 0}, {"SAR", 2}, {"SBD", 2}, {"SCR", 2}, {"SDG", 2}, {"SEK", 2}, {"SGD", 2}, {"SHP", 2},
    {"SLE", 2}, {"SLL", 2}, {"SOS", 2}, {"SRD", 2}, {"SSP", 2}, {"STN", 2}, {"SVC", 2}, {"SYP", 2},
    {"SZL", 2}, {"THB", 2}, {"TJS", 2}, {"TMT", 2}, {"TND", 3}, {"TOP", 2}, {"TRY", 2}, {"TTD", 2},
    {"TWD", 2}, {"TZS", 2}, {"UAH", 2}, {"UGX", 0}, {"USD", 2}, {"USN", 2}, {"UYI", 0}, {"UYU", 2},
    {"UYW", 4}, {"UZS", 2}, {"VED", 2}, {"VES", 2}, {"VND", 0}, {"VUV", 0}, {"WST", 2}, {"XAF", 0},
    {"XAG", 0}, {"XAU", 0}, {"XBA", 0}, {"XBB", 0}, {"XBC", 0}, {"XBD", 0}, {"XCD", 2}, {"XCG", 2},
    {"XDR", 0}, {"XOF", 0}, {"XPD", 0}, {"XPF", 0}, {"XPT", 0}, {"XSU", 0}, {"XTS", 0}, {"XUA", 0},
    {"XXX", 0}, {"YER", 2}, {"ZAR", 2}, {"ZMW", 2}, {"ZWG", 2}, {"ZWL", 2},
};

constexpr bool by_code(const CurrencyInfo& a, const CurrencyInfo& b) { return a.code < b.code; }

static_assert(std::is_sorted(std::begin(currency_table), std::end(currency_table), by_code),
              "the currency table must stay sorted for binary search");
static_assert(std::adjacent_find(std::begin(currency_table), std::end(currency_table),
                                 [](const CurrencyInfo& a, const CurrencyInfo& b) {
                                   return a.code == b.code;
                                 }) == std::end(currency_table),
              "the currency table must not repeat a code");

const CurrencyInfo* find_currency(std::string_view code) noexcept {
  const auto* it = std::lower_bound(std::begin(currency_table), std::end(currency_table),
                                    CurrencyInfo{code, 0}, by_code);
  if (it == std::end(currency_table) || it->code != code) {
    return nullptr;
  }
  return it;
}

bool is_three_upper_letters(std::string_view code) noexcept {
  return code.size() == 3 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// Shows a printable character quoted; any other byte in hex, since a lone byte of a multi-byte
// character would not print.
std::string describe_byte(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x20U && byte < 0x7FU) {
    return quote_value(std::string_view(&c, 1));
  }
  return fmt::format("byte 0x{:02X}", byte);
}

constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t int64_min = std::numeric_limits<std::int64_t>::min();

// 10^n for 0 <= n <= 38 (10^38 still fits an unsigned 128-bit integer).
UInt128 power_of_ten(int n) noexcept {
  UInt128 result = 1;
  for (int i = 0; i < n; ++i) {
    result *= 10;
  }
  return result;
}

std::uint64_t magnitude(std::int64_t value) noexcept {
  return value < 0 ? 0U - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
}

bool fits_int64(Int128 value) noexcept { return value >= int64_min && value <= int64_max; }

std::string range_rule(const Currency& currency) {
  const Money biggest{int64_max, currency};
  return fmt::format("is out of range for {}: the limit is +/-{}", currency.code(),
                     biggest.to_string());
}

[[noreturn]] void throw_overflow(std::string value, std::string_view operation) {
  throw ValidationError(
      "amount", std::move(value),
      fmt::format("overflows the 64-bit range of minor units when {}", operation));
}

// Amounts of different currencies cannot be added or compared.
void require_same_currency(const Money& mine, const Money& other, std::string_view verb) {
  if (!(mine.currency() == other.currency())) {
    throw ValidationError("amount", other.format(),
                          fmt::format("cannot be {} {} amounts", verb, mine.currency().code()));
  }
}

enum class Rounding { half_even, half_away_from_zero };

// Divides by a positive divisor, rounding the quotient to an integer.
Int128 divide_rounded(Int128 numerator, Int128 divisor, Rounding rounding) noexcept {
  Int128 quotient = numerator / divisor;
  const Int128 remainder = numerator % divisor;
  if (remainder == 0) {
    return quotient;
  }
  const Int128 twice = (remainder < 0 ? -remainder : remainder) * 2;
  const bool up =
      twice > divisor ||
      (twice == divisor && (rounding == Rounding::half_away_from_zero || quotient % 2 != 0));
  if (up) {
    quotient += numerator < 0 ? -1 : 1;
  }
  return quotient;
}

// An exact decimal: digits × 10^power.
struct Decimal {
  Int128 digits = 0;
  int power = 0;
};

// The double's shortest round-trip decimal, so that 0.1 scales by exactly one tenth, as the
// person who wrote 0.1 meant, and not by the binary value 0.1000000000000000055...
Decimal shortest_decimal(double value) {
  char buffer[64];
  const auto [end, error] =
      std::to_chars(std::begin(buffer), std::end(buffer), value, std::chars_format::scientific);
  if (error != std::errc{}) {
    throw Error(fmt::format("cannot format the number {} as a decimal", value));
  }
  // The text reads `[-]d[.ddd]e(+|-)dd`.
  const std::string_view text(buffer, static_cast<std::size_t>(end - buffer));
  Decimal result;
  bool negative = false;
  std::size_t i = 0;
  if (text[i] == '-') {
    negative = true;
    ++i;
  }
  int fraction_digits = 0;
  bool after_point = false;
  for (; i < text.size() && text[i] != 'e'; ++i) {
    if (text[i] == '.') {
      after_point = true;
      continue;
    }
    result.digits = result.digits * 10 + (text[i] - '0');
    fraction_digits += after_point ? 1 : 0;
  }
  int exponent = 0;
  const char* exponent_begin = text.data() + i + 1;
  if (*exponent_begin == '+') {
    ++exponent_begin;
  }
  std::from_chars(exponent_begin, text.data() + text.size(), exponent);
  result.power = exponent - fraction_digits;
  if (negative) {
    result.digits = -result.digits;
  }
  return result;
}

// base × factor, rounded to an integer; nullopt when the result leaves the int64 range.
std::optional<std::int64_t> multiply_by_double(std::int64_t base, double factor, int extra_power,
                                               Rounding rounding) {
  const Decimal decimal = shortest_decimal(factor);
  // |base| < 2^63 and |digits| < 10^17, so the product fits 128 bits.
  const Int128 product = static_cast<Int128>(base) * decimal.digits;
  const int power = decimal.power + extra_power;
  if (product == 0) {
    return 0;
  }
  if (power >= 0) {
    // Any non-zero product times 10^19 or more is beyond int64.
    if (power >= 19) {
      return std::nullopt;
    }
    Int128 result = 0;
    if (__builtin_mul_overflow(product, static_cast<Int128>(power_of_ten(power)), &result) ||
        !fits_int64(result)) {
      return std::nullopt;
    }
    return static_cast<std::int64_t>(result);
  }
  // |product| < 10^37, so dividing by 10^39 or more leaves less than one hundredth: zero.
  if (-power > 38) {
    return 0;
  }
  const Int128 result =
      divide_rounded(product, static_cast<Int128>(power_of_ten(-power)), rounding);
  if (!fits_int64(result)) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(result);
}

std::string double_text(double value) { return fmt::format("{}", value); }

constexpr int max_rate_decimals = 12;

// A positive decimal rate: numerator / 10^decimals.
struct ParsedRate {
  Int128 numerator = 0;
  int decimals = 0;
};

ParsedRate parse_rate(const std::string& text) {
  const auto fail = [&text](std::string rule) {
    throw ValidationError("rate.rate", text, std::move(rule));
  };
  if (text.empty()) {
    fail("must not be empty");
  }
  const std::size_t point = text.find('.');
  const std::string_view whole = std::string_view(text).substr(0, point);
  const std::string_view fraction =
      point == std::string::npos ? std::string_view{} : std::string_view(text).substr(point + 1);
  const auto all_digits = [](std::string_view part) {
    return std::all_of(part.begin(), part.end(), is_digit);
  };
  if (whole.empty() || !all_digits(whole) || !all_digits(fraction) ||
      (point != std::string::npos && fraction.empty())) {
    fail("is not a decimal rate: write digits with an optional '.' and decimals, e.g. 1.0842");
  }
  if (fraction.size() > max_rate_decimals) {
    fail(fmt::format("has more than {} decimals", max_rate_decimals));
  }
  ParsedRate rate;
  rate.decimals = static_cast<int>(fraction.size());
  // Capping the numerator at 10^19 keeps amount × numerator within 128 bits.
  const UInt128 cap = power_of_ten(19);
  for (const char c : std::string(whole) + std::string(fraction)) {
    rate.numerator = rate.numerator * 10 + (c - '0');
    if (static_cast<UInt128>(rate.numerator) >= cap) {
      fail("is too large for an exchange rate");
    }
  }
  if (rate.numerator == 0) {
    fail("must be greater than zero");
  }
  return rate;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Currency

Currency::Currency(std::string_view code) {
  if (!is_three_upper_letters(code)) {
    throw ValidationError("currency", std::string(code),
                          "is not a currency code: expected three upper-case letters, e.g. EUR");
  }
  const CurrencyInfo* info = find_currency(code);
  if (info == nullptr) {
    throw ValidationError("currency", std::string(code), "is not an ISO 4217 currency code");
  }
  std::copy(code.begin(), code.end(), code_.begin());
  exponent_ = info->exponent;
}

bool Currency::is_known(std::string_view code) noexcept { return find_currency(code) != nullptr; }

// ---------------------------------------------------------------------------------------------
// Money

Money Money::parse(std::string_view text, Currency currency) {
  const std::string value(text);
  const auto fail = [&value](std::string rule) {
    throw ValidationError("amount", value, std::move(rule));
  };
  if (text.empty()) {
    fail("is not a decimal amount: it is empty");
  }
  std::size_t i = 0;
  const bool negative = text[0] == '-';
  if (text[0] == '-' || text[0] == '+') {
    ++i;
  }
  std::string_view whole;
  std::string_view fraction;
  bool has_point = false;
  const std::size_t whole_begin = i;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (is_digit(c)) {
      continue;
    }
    if (c == '.' && !has_point) {
      has_point = true;
      whole = text.substr(whole_begin, i - whole_begin);
      continue;
    }
    fail(fmt::format(
        "is not a decimal amount: {} at position {} is not allowed (only digits, one '.' and a "
        "leading sign)",
        describe_byte(c), i + 1));
  }
  if (has_point) {
    fraction = text.substr(whole_begin + whole.size() + 1);
  } else {
    whole = text.substr(whole_begin);
  }
  if (whole.empty() && !has_point) {
    fail("is not a decimal amount: it has no digits");
  }
  if (whole.empty() || (has_point && fraction.empty())) {
    fail("is not a decimal amount: write digits on both sides of the '.', e.g. 0.50");
  }
  const auto exponent = static_cast<std::size_t>(currency.exponent());
  if (fraction.size() > exponent) {
    const std::string_view extra = fraction.substr(exponent);
    if (extra.find_first_not_of('0') != std::string_view::npos) {
      fail(fmt::format("has more than {} decimals, the most {} allows", exponent, currency.code()));
    }
    fraction = fraction.substr(0, exponent);
  }
  // Accumulate the magnitude in 128 bits and stop as soon as it exceeds every int64.
  const UInt128 limit = UInt128{1} << 63U;
  UInt128 minor = 0;
  const auto push_digit = [&](char c) {
    minor = minor * 10 + static_cast<unsigned>(c - '0');
    if (minor > limit) {
      fail(range_rule(currency));
    }
  };
  for (const char c : whole) {
    push_digit(c);
  }
  for (const char c : fraction) {
    push_digit(c);
  }
  for (std::size_t pad = fraction.size(); pad < exponent; ++pad) {
    push_digit('0');
  }
  // -2^63 is representable, +2^63 is not.
  if (!negative && minor == limit) {
    fail(range_rule(currency));
  }
  const Int128 signed_minor = negative ? -static_cast<Int128>(minor) : static_cast<Int128>(minor);
  return Money(static_cast<std::int64_t>(signed_minor), currency);
}

Money Money::from_double(double major, Currency currency) {
  if (!std::isfinite(major)) {
    throw ValidationError("amount", double_text(major), "must be a finite number");
  }
  const auto minor =
      multiply_by_double(1, major, currency.exponent(), Rounding::half_away_from_zero);
  if (!minor) {
    throw ValidationError("amount", double_text(major), range_rule(currency));
  }
  return Money(*minor, currency);
}

double Money::to_double() const noexcept {
  return static_cast<double>(minor_) /
         static_cast<double>(static_cast<std::uint64_t>(power_of_ten(currency_.exponent())));
}

std::string Money::to_string() const {
  const std::uint64_t units = magnitude(minor_);
  const std::string_view sign = minor_ < 0 ? "-" : "";
  const int exponent = currency_.exponent();
  if (exponent == 0) {
    return fmt::format("{}{}", sign, units);
  }
  const auto scale = static_cast<std::uint64_t>(power_of_ten(exponent));
  return fmt::format("{}{}.{:0{}}", sign, units / scale, units % scale, exponent);
}

std::string Money::format() const { return fmt::format("{} {}", to_string(), currency_.code()); }

Money& Money::operator+=(const Money& other) {
  require_same_currency(*this, other, "combined with");
  std::int64_t sum = 0;
  if (__builtin_add_overflow(minor_, other.minor_, &sum)) {
    throw_overflow(format(), fmt::format("adding {}", other.format()));
  }
  minor_ = sum;
  return *this;
}

Money& Money::operator-=(const Money& other) {
  require_same_currency(*this, other, "combined with");
  std::int64_t difference = 0;
  if (__builtin_sub_overflow(minor_, other.minor_, &difference)) {
    throw_overflow(format(), fmt::format("subtracting {}", other.format()));
  }
  minor_ = difference;
  return *this;
}

Money Money::operator-() const {
  if (minor_ == int64_min) {
    throw_overflow(format(), "negated");
  }
  return Money(-minor_, currency_);
}

Money Money::times(std::int64_t factor) const {
  std::int64_t product = 0;
  if (__builtin_mul_overflow(minor_, factor, &product)) {
    throw_overflow(format(), fmt::format("multiplied by {}", factor));
  }
  return Money(product, currency_);
}

Money Money::scaled(double factor) const {
  if (!std::isfinite(factor)) {
    throw ValidationError("factor", double_text(factor), "must be a finite number");
  }
  const auto minor = multiply_by_double(minor_, factor, 0, Rounding::half_even);
  if (!minor) {
    throw_overflow(format(), fmt::format("scaled by {}", double_text(factor)));
  }
  return Money(*minor, currency_);
}

std::strong_ordering operator<=>(const Money& a, const Money& b) {
  require_same_currency(a, b, "compared with");
  return a.minor_units() <=> b.minor_units();
}

// ---------------------------------------------------------------------------------------------
// Conversion

Money convert(const Money& amount, const ExchangeRate& rate) {
  if (!(amount.currency() == rate.from)) {
    throw ValidationError("amount", amount.format(),
                          fmt::format("cannot be converted with a rate from {} to {}",
                                      rate.from.code(), rate.to.code()));
  }
  const ParsedRate parsed = parse_rate(rate.rate);
  // |minor| <= 2^63 and numerator < 10^19, so the product stays below 2^127.
  const Int128 product = static_cast<Int128>(amount.minor_units()) * parsed.numerator;
  const int power = rate.to.exponent() - rate.from.exponent() - parsed.decimals;
  Int128 result = 0;
  bool overflow = false;
  if (power >= 0) {
    overflow = __builtin_mul_overflow(product, static_cast<Int128>(power_of_ten(power)), &result);
  } else {
    result =
        divide_rounded(product, static_cast<Int128>(power_of_ten(-power)), Rounding::half_even);
  }
  if (overflow || !fits_int64(result)) {
    throw ValidationError("amount", amount.format(),
                          fmt::format("overflows the 64-bit range of minor units when converted "
                                      "to {} at {}",
                                      rate.to.code(), rate.rate));
  }
  return Money(static_cast<std::int64_t>(result), rate.to);
}

}  // namespace crmkit
