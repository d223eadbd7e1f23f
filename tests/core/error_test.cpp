#include "crmkit/core/error.hpp"

#include <catch2/catch.hpp>

#include <string>

using crmkit::ConflictError;
using crmkit::Error;
using crmkit::NotFoundError;
using crmkit::ParseError;
using crmkit::quote_value;
using crmkit::StorageError;
using crmkit::ValidationError;

TEST_CASE("quote_value wraps plain text in single quotes", "[core]") {
  CHECK(quote_value("ACME Corp") == "'ACME Corp'");
  CHECK(quote_value("") == "''");
}

TEST_CASE("quote_value escapes quotes and control bytes", "[core]") {
  CHECK(quote_value("O'Brien") == "'O\\'Brien'");
  CHECK(quote_value("line1\nline2") == "'line1\\x0Aline2'");
  CHECK(quote_value(std::string("a\0b", 3)) == "'a\\x00b'");
  CHECK(quote_value("tab\there") == "'tab\\x09here'");
  CHECK(quote_value("del\x7F") == "'del\\x7F'");
}

TEST_CASE("quote_value keeps UTF-8 text as it is", "[core]") {
  CHECK(quote_value("Zoë Müller") == "'Zoë Müller'");
}

TEST_CASE("quote_value truncates long values with a trailing ellipsis", "[core]") {
  const std::string long_value(300, 'x');
  const std::string quoted = quote_value(long_value);
  CHECK(quoted == "'" + std::string(200, 'x') + "'...");
  CHECK(quote_value("abcdef", 3) == "'abc'...");
  CHECK(quote_value("abc", 3) == "'abc'");
}

TEST_CASE("quote_value never cuts a UTF-8 character in half", "[core]") {
  // "é" is two bytes (C3 A9): a limit of 2 would split it, so only "a" is kept.
  CHECK(quote_value("aéz", 2) == "'a'...");
  CHECK(quote_value("aéz", 3) == "'aé'...");
  // "€" is three bytes.
  CHECK(quote_value("€€", 4) == "'€'...");
  CHECK(quote_value("€€", 2) == "''...");
}

TEST_CASE("ValidationError names the field, the quoted value and the rule", "[core]") {
  const ValidationError error("customer.emails[1].address", "bob@", "is not a valid email address");
  CHECK(std::string(error.what()) ==
        "customer.emails[1].address: 'bob@' is not a valid email address");
  CHECK(error.field() == "customer.emails[1].address");
  CHECK(error.value() == "bob@");
  CHECK(error.rule() == "is not a valid email address");
}

TEST_CASE("ValidationError keeps the whole value but truncates it in the message", "[core]") {
  const std::string long_value(250, 'n');
  const ValidationError error("customer.name", long_value, "is too long");
  CHECK(error.value() == long_value);
  CHECK(std::string(error.what()) ==
        "customer.name: '" + std::string(200, 'n') + "'... is too long");
}

TEST_CASE("NotFoundError quotes the key", "[core]") {
  const NotFoundError error("customer", "42");
  CHECK(std::string(error.what()) == "customer '42' not found");
  CHECK(error.entity() == "customer");
  CHECK(error.key() == "42");
}

TEST_CASE("ConflictError says what conflicted", "[core]") {
  const ConflictError error("deal", "7", "version 3 is stale: the stored version is 4");
  CHECK(std::string(error.what()) == "deal '7': version 3 is stale: the stored version is 4");
  CHECK(error.entity() == "deal");
  CHECK(error.key() == "7");
}

TEST_CASE("StorageError names the backend, the kind and the native code", "[core]") {
  const StorageError busy(StorageError::Kind::busy, "sqlite", "database is locked", 5);
  CHECK(std::string(busy.what()) ==
        "sqlite storage error (busy): database is locked [native code 5]");
  CHECK(busy.kind() == StorageError::Kind::busy);
  CHECK(busy.backend() == "sqlite");
  CHECK(busy.native_code() == 5);

  const StorageError unsupported(StorageError::Kind::unsupported, "registry",
                                 "unknown URI scheme 'mongo'");
  CHECK(std::string(unsupported.what()) ==
        "registry storage error (unsupported): unknown URI scheme 'mongo'");
  CHECK(unsupported.native_code() == 0);
}

TEST_CASE("StorageError has a name for every kind", "[core]") {
  using Kind = StorageError::Kind;
  const auto message = [](Kind kind) {
    return std::string(StorageError(kind, "memory", "x").what());
  };
  CHECK(message(Kind::io) == "memory storage error (io): x");
  CHECK(message(Kind::corrupt) == "memory storage error (corrupt): x");
  CHECK(message(Kind::constraint) == "memory storage error (constraint): x");
  CHECK(message(Kind::schema) == "memory storage error (schema): x");
  CHECK(message(Kind::transaction) == "memory storage error (transaction): x");
  CHECK(message(Kind::other) == "memory storage error (other): x");
}

TEST_CASE("StorageError without a backend name says storage error alone", "[core]") {
  const StorageError error(StorageError::Kind::transaction, "", "the transaction has ended");
  CHECK(std::string(error.what()) == "storage error (transaction): the transaction has ended");
}

TEST_CASE("ParseError places the line and column like a compiler", "[core]") {
  const ParseError error("customers.csv", 12, 7, "2024-13-01", "is not a valid date");
  CHECK(std::string(error.what()) == "customers.csv:12:7: '2024-13-01' is not a valid date");
  CHECK(error.source() == "customers.csv");
  CHECK(error.line() == 12);
  CHECK(error.column() == 7);
  CHECK(error.value() == "2024-13-01");
  CHECK(error.rule() == "is not a valid date");
}

TEST_CASE("ParseError omits the line and column when they are unknown", "[core]") {
  CHECK(std::string(ParseError("import.csv", 3, 0, "x", "is bad").what()) ==
        "import.csv:3: 'x' is bad");
  CHECK(std::string(ParseError("created_at", 0, 6, "2024-13-01", "is bad").what()) ==
        "created_at: '2024-13-01' is bad (column 6)");
  CHECK(std::string(ParseError("created_at", 0, 0, "x", "is bad").what()) ==
        "created_at: 'x' is bad");
}

TEST_CASE("every crmkit error is caught as crmkit::Error and std::runtime_error", "[core]") {
  REQUIRE_THROWS_AS(throw ValidationError("f", "v", "r"), Error);
  REQUIRE_THROWS_AS(throw NotFoundError("customer", "1"), Error);
  REQUIRE_THROWS_AS(throw ConflictError("deal", "1", "stale"), Error);
  REQUIRE_THROWS_AS(throw StorageError(StorageError::Kind::io, "sqlite", "disk full"), Error);
  REQUIRE_THROWS_AS(throw ParseError("f", 1, 1, "v", "r"), Error);
  REQUIRE_THROWS_AS(throw Error("plain"), std::runtime_error);
}
