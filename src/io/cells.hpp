#pragma once
// Parsing and formatting of single CSV cells: numbers, times and customer keys.
// Parsers throw ValidationError naming `field` (the CSV column), so the row can report it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crmkit/core/time.hpp"
#include "crmkit/io/import.hpp"

namespace crmkit::io::detail {

// A whole decimal integer (optional sign, digits only), or nullopt.
std::optional<std::int64_t> to_int(std::string_view text) noexcept;
// A finite decimal number as from_chars reads it (no leading '+', no blanks), or nullopt.
std::optional<double> to_double(std::string_view text) noexcept;

// A timestamp written in `format`. @throws ValidationError or ParseError naming `field`.
Timestamp parse_time(std::string_view text, TimeFormat format, std::string_view field);
// ISO 8601 UTC with microseconds, e.g. `2011-12-09T12:50:00.000000Z`: fixed width, lossless.
std::string format_time(Timestamp t);

// `17850.0` -> `17850`: an optional sign, digits, a dot and only zeros; other text unchanged.
std::string_view strip_decimal_zeros(std::string_view key) noexcept;
// The N of a `#N` key (N > 0), or nullopt.
std::optional<std::int64_t> hash_key_id(std::string_view key) noexcept;
// How exports name a customer: its external ref, or `#N` without one.
std::string customer_key(CustomerId id, const std::optional<std::string>& external_ref);

// The text of a double that reads back to the same value (shortest round trip).
std::string format_double(double value);

}  // namespace crmkit::io::detail
