#pragma once
/// @file
/// @brief Typed custom attributes ("custom fields") carried by domain records.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>

#include "crmkit/core/time.hpp"

namespace crmkit {

/// The value of a custom attribute: null, bool, integer, double, string or timestamp.
using AttributeValue = std::variant<std::monostate, bool, std::int64_t, double, std::string, Timestamp>;

/// Custom attributes by name. Names are 1 to 64 characters of `[a-z0-9_.-]` starting with a letter;
/// doubles must be finite.
using Attributes = std::map<std::string, AttributeValue, std::less<>>;

/// The type name of an attribute value: `null`, `bool`, `integer`, `double`, `string`, `timestamp`.
[[nodiscard]] std::string_view attribute_type_name(const AttributeValue& value) noexcept;

/// Renders a value as text: `null`, `true`/`false`, decimal integer, shortest round-trip double,
/// the string itself, or an ISO 8601 timestamp.
[[nodiscard]] std::string attribute_to_string(const AttributeValue& value);

/// Checks every attribute name and value against the rules above.
/// @param attributes the attributes to check
/// @param field prefix for error field names, e.g. `customer.attributes`
/// @throws ValidationError naming `field[name]`, the value and the rule.
void validate_attributes(const Attributes& attributes, std::string_view field);

}  // namespace crmkit
