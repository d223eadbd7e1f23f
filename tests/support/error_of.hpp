#pragma once
// Test helper: the exception a call throws, so that a test can inspect its fields.

#include <catch2/catch.hpp>

#include <stdexcept>

#include "crmkit/core/error.hpp"

namespace crmkit::test {

/// The `Error` that `call()` throws; fails the test, saying it `expected` one, when it throws
/// nothing.
template <class Error, class Call>
Error error_of(Call&& call, const char* expected) {
  try {
    call();
  } catch (const Error& error) {
    return error;
  }
  FAIL("expected " << expected);
  throw std::logic_error("unreachable");
}

/// The ValidationError that `call()` throws.
template <class Call>
ValidationError validation_error_of(Call&& call) {
  return error_of<ValidationError>(call, "a ValidationError");
}

/// The ParseError that `call()` throws.
template <class Call>
ParseError parse_error_of(Call&& call) {
  return error_of<ParseError>(call, "a ParseError");
}

}  // namespace crmkit::test
