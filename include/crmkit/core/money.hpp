#pragma once
/// @file
/// @brief Currencies (ISO 4217) and exact money amounts in minor units.

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "crmkit/core/time.hpp"

namespace crmkit {

/// An ISO 4217 currency: its three-letter code and its minor-unit exponent
/// (2 for EUR: cents; 0 for JPY; 3 for KWD). Only codes in crmkit's ISO 4217 table are accepted.
/// The default currency is `XXX` ("no currency", exponent 0), used by zero amounts that carry none.
class Currency {
 public:
  /// The "no currency" code XXX.
  constexpr Currency() noexcept = default;
  /// Looks up an upper-case ISO 4217 code such as `"EUR"`.
  /// @throws ValidationError (field `currency`) when the code is not three upper-case letters
  ///         or not in the ISO 4217 table.
  explicit Currency(std::string_view code);
  /// The three-letter code.
  [[nodiscard]] std::string_view code() const noexcept { return {code_.data(), 3}; }
  /// Number of decimal digits of the minor unit (0 to 4).
  [[nodiscard]] int exponent() const noexcept { return exponent_; }
  /// True unless this is `XXX`.
  [[nodiscard]] bool is_set() const noexcept { return code() != "XXX"; }
  /// Currencies compare by code.
  friend bool operator==(const Currency& a, const Currency& b) noexcept { return a.code_ == b.code_; }
  /// True when `code` is in the ISO 4217 table.
  [[nodiscard]] static bool is_known(std::string_view code) noexcept;

 private:
  std::array<char, 3> code_{'X', 'X', 'X'};
  int exponent_ = 0;
};

/// An exact amount of money: a signed 64-bit count of minor units plus its currency.
/// Arithmetic and ordering across currencies throw ValidationError; overflow throws too.
/// Formatting and parsing of decimal strings are exact (never through `double`).
class Money {
 public:
  /// Zero with no currency (`XXX`).
  constexpr Money() noexcept = default;
  /// `minor` minor units of `currency` (e.g. 123450 EUR cents = 1234.50 EUR).
  constexpr Money(std::int64_t minor, Currency currency) noexcept : minor_(minor), currency_(currency) {}
  /// Parses a decimal string such as `"1234.50"`, `"-3"`, `"0.5"` exactly.
  /// Digits beyond the currency's exponent are accepted only when they are zeros.
  /// @throws ValidationError (field `amount`) on malformed text, too many decimals, or overflow.
  static Money parse(std::string_view text, Currency currency);
  /// Converts a double amount in major units, rounding half away from zero to the minor unit.
  /// Meant for analytics outputs, never for bookkeeping.
  /// @throws ValidationError when the value is not finite or overflows.
  static Money from_double(double major, Currency currency);
  /// The count of minor units.
  [[nodiscard]] constexpr std::int64_t minor_units() const noexcept { return minor_; }
  /// The currency.
  [[nodiscard]] constexpr const Currency& currency() const noexcept { return currency_; }
  /// The amount in major units as a double (for analytics; may round for huge amounts).
  [[nodiscard]] double to_double() const noexcept;
  /// Exact decimal text with exactly `exponent` decimals, e.g. `"1234.50"`, `"-0.05"`, `"12"` (JPY).
  [[nodiscard]] std::string to_string() const;
  /// Decimal text followed by the code, e.g. `"1234.50 EUR"`.
  [[nodiscard]] std::string format() const;

  /// Sum. @throws ValidationError on different currencies or overflow.
  Money& operator+=(const Money& other);
  /// Difference. @throws ValidationError on different currencies or overflow.
  Money& operator-=(const Money& other);
  /// Sum. @throws ValidationError on different currencies or overflow.
  friend Money operator+(Money a, const Money& b) { return a += b; }
  /// Difference. @throws ValidationError on different currencies or overflow.
  friend Money operator-(Money a, const Money& b) { return a -= b; }
  /// Negation. @throws ValidationError on overflow.
  Money operator-() const;
  /// Multiplies by an integer. @throws ValidationError on overflow.
  [[nodiscard]] Money times(std::int64_t factor) const;
  /// Multiplies by a ratio (e.g. a probability) and rounds half to even to the minor unit.
  /// @throws ValidationError when the factor is not finite or the result overflows.
  [[nodiscard]] Money scaled(double factor) const;
  /// Same amount and currency.
  friend bool operator==(const Money& a, const Money& b) noexcept = default;
  /// Orders amounts of one currency. @throws ValidationError on different currencies.
  friend std::strong_ordering operator<=>(const Money& a, const Money& b);

 private:
  std::int64_t minor_ = 0;
  Currency currency_{};
};

/// An exchange rate valid on a date: one unit of `from` is worth `rate` units of `to`.
/// The rate is a decimal string kept exact (up to 12 decimals).
struct ExchangeRate {
  Currency from;      ///< source currency
  Currency to;        ///< target currency
  Date date;          ///< day the rate applies to
  std::string rate;   ///< decimal rate, e.g. `"1.0842"`; must be > 0
};

/// Converts `amount` with `rate`, rounding half to even to the target's minor unit.
/// Exact: computed with integer arithmetic on the decimal rate.
/// @throws ValidationError when the amount's currency is not `rate.from`, the rate text is not
///         a positive decimal, or the result overflows.
[[nodiscard]] Money convert(const Money& amount, const ExchangeRate& rate);

}  // namespace crmkit
