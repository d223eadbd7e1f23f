#include "crmkit/core/attribute.hpp"

#include <fmt/format.h>

#include <cmath>
#include <type_traits>

#include "crmkit/core/error.hpp"

namespace crmkit {

namespace {

constexpr std::size_t max_name_length = 64;

bool is_lower_letter(char c) noexcept { return c >= 'a' && c <= 'z'; }

bool is_name_char(char c) noexcept {
  return is_lower_letter(c) || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

// A lone byte of a multi-byte character would not print, so only printable ASCII is quoted.
std::string describe_byte(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x20U && byte < 0x7FU) {
    return quote_value(std::string_view(&c, 1));
  }
  return fmt::format("byte 0x{:02X}", byte);
}

// The broken rule, or empty when the name is valid.
std::string name_problem(std::string_view name) {
  if (name.empty()) {
    return "it is empty";
  }
  if (name.size() > max_name_length) {
    return fmt::format("it has {} characters, more than {}", name.size(), max_name_length);
  }
  if (!is_lower_letter(name.front())) {
    return "it must start with a lower-case letter a-z";
  }
  for (const char c : name) {
    if (!is_name_char(c)) {
      return fmt::format("{} is not allowed (only a-z, 0-9, '_', '.' and '-')", describe_byte(c));
    }
  }
  return {};
}

}  // namespace

std::string_view attribute_type_name(const AttributeValue& value) noexcept {
  return std::visit(
      [](const auto& v) -> std::string_view {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return "null";
        } else if constexpr (std::is_same_v<T, bool>) {
          return "bool";
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return "integer";
        } else if constexpr (std::is_same_v<T, double>) {
          return "double";
        } else if constexpr (std::is_same_v<T, std::string>) {
          return "string";
        } else {
          static_assert(std::is_same_v<T, Timestamp>);
          return "timestamp";
        }
      },
      value);
}

std::string attribute_to_string(const AttributeValue& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return "null";
        } else if constexpr (std::is_same_v<T, bool>) {
          return v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, double>) {
          // fmt prints doubles in their shortest round-trip form.
          return fmt::format("{}", v);
        } else if constexpr (std::is_same_v<T, std::string>) {
          return v;
        } else {
          static_assert(std::is_same_v<T, Timestamp>);
          return format_timestamp(v);
        }
      },
      value);
}

void validate_attributes(const Attributes& attributes, std::string_view field) {
  for (const auto& [name, value] : attributes) {
    const std::string path = fmt::format("{}[{}]", field, name);
    if (const std::string problem = name_problem(name); !problem.empty()) {
      throw ValidationError(path, name, fmt::format("is not a valid attribute name: {}", problem));
    }
    if (const auto* number = std::get_if<double>(&value); number && !std::isfinite(*number)) {
      throw ValidationError(path, attribute_to_string(value), "must be a finite number");
    }
  }
}

}  // namespace crmkit
