#pragma once
// Test helper: run a callable that must throw crmkit::ValidationError and check which field,
// which value and which rule the error names.

#include <catch2/catch.hpp>

#include <string>

#include "crmkit/core/error.hpp"

namespace crmkit::test {

/// Requires `action()` to throw ValidationError for `field`; when `value_part` is non-empty the
/// offending value must contain it, and the message must contain the field and the rule text.
template <class Action>
void require_invalid(Action&& action, const std::string& field, const std::string& value_part = "",
                     const std::string& rule_part = "") {
  try {
    action();
    FAIL("expected a ValidationError for " << field);
  } catch (const ValidationError& error) {
    INFO("message: " << error.what());
    CHECK(error.field() == field);
    CHECK(std::string(error.what()).find(field) != std::string::npos);
    if (!value_part.empty()) CHECK(error.value().find(value_part) != std::string::npos);
    if (!rule_part.empty()) CHECK(error.rule().find(rule_part) != std::string::npos);
  }
}

}  // namespace crmkit::test
