#pragma once
// Name tables for the domain enums: one array per enum, indexed by the enumerator's value, so that
// to_string and parse_* share one source of truth.

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "crmkit/core/error.hpp"

namespace crmkit::detail {

template <class Enum, std::size_t N>
std::string_view enum_name(const std::array<std::string_view, N>& names, Enum value) noexcept {
  const auto index = static_cast<std::size_t>(value);
  return index < N ? names[index] : std::string_view{"?"};
}

template <class Enum, std::size_t N>
Enum parse_enum(const std::array<std::string_view, N>& names, std::string_view text,
                std::string_view field) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == text) return static_cast<Enum>(i);
  }
  std::string allowed;
  for (std::size_t i = 0; i < N; ++i) {
    if (i != 0) allowed += ", ";
    allowed += names[i];
  }
  throw ValidationError(std::string(field), std::string(text), "must be one of: " + allowed);
}

}  // namespace crmkit::detail
