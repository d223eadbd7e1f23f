#pragma once
/// @file
/// @brief The crmkit error hierarchy: one root, typed children, messages that name the value.

#include <cstdint>
#include <stdexcept>
#include <string>

namespace crmkit {

/// Root of every exception crmkit throws on purpose.
/// Catch this to handle any crmkit failure; the message always says what was wrong and with which value.
class Error : public std::runtime_error {
 public:
  /// Creates an error with a complete, human-readable message.
  explicit Error(const std::string& message);
};

/// A value broke a rule of the domain (bad email, negative amount, unknown stage...).
/// The message reads `field: 'value' rule`, e.g. `customer.emails[0]: 'x@' is not a valid email address`.
class ValidationError : public Error {
 public:
  /// @param field dotted path of the offending field, e.g. `customer.emails[1].address`
  /// @param value the offending value as text (shown quoted, truncated to 200 bytes)
  /// @param rule the rule it broke, phrased to follow the value, e.g. `must not be empty`
  ValidationError(std::string field, std::string value, std::string rule);
  /// Dotted path of the offending field.
  [[nodiscard]] const std::string& field() const noexcept { return field_; }
  /// The offending value as text (not truncated).
  [[nodiscard]] const std::string& value() const noexcept { return value_; }
  /// The rule that was broken.
  [[nodiscard]] const std::string& rule() const noexcept { return rule_; }

 private:
  std::string field_;
  std::string value_;
  std::string rule_;
};

/// An operation needed an entity that does not exist (lookups return `std::optional` instead).
class NotFoundError : public Error {
 public:
  /// @param entity entity kind, e.g. `customer`
  /// @param key the key that was looked up, as text
  NotFoundError(std::string entity, std::string key);
  /// Entity kind, e.g. `customer`.
  [[nodiscard]] const std::string& entity() const noexcept { return entity_; }
  /// The key that was not found.
  [[nodiscard]] const std::string& key() const noexcept { return key_; }

 private:
  std::string entity_;
  std::string key_;
};

/// An update carried a stale version: someone else changed the record since it was read
/// (optimistic concurrency), or a unique key is already taken.
class ConflictError : public Error {
 public:
  /// @param entity entity kind, e.g. `deal`
  /// @param key the record's key as text
  /// @param detail what conflicted, e.g. `version 3 is stale: the stored version is 4`
  ConflictError(std::string entity, std::string key, std::string detail);
  /// Entity kind.
  [[nodiscard]] const std::string& entity() const noexcept { return entity_; }
  /// The record's key.
  [[nodiscard]] const std::string& key() const noexcept { return key_; }

 private:
  std::string entity_;
  std::string key_;
};

/// The storage backend failed (I/O, corruption, busy database, misuse of a transaction...).
class StorageError : public Error {
 public:
  /// Broad class of storage failure.
  enum class Kind {
    io,           ///< reading or writing the medium failed
    busy,         ///< the database stayed locked past the busy timeout
    corrupt,      ///< the stored data is damaged or not a crmkit store
    constraint,   ///< a storage-level constraint failed
    schema,       ///< the schema is newer than this crmkit or cannot be migrated
    transaction,  ///< a transaction was misused (commit twice, wrong thread...)
    unsupported,  ///< the backend or URI scheme is unknown or cannot do this
    other         ///< anything else
  };
  /// @param kind broad class of failure
  /// @param backend backend name, e.g. `memory` or `sqlite`
  /// @param message what went wrong, naming the value involved
  /// @param native_code the backend's own error code, 0 when there is none
  StorageError(Kind kind, std::string backend, const std::string& message, int native_code = 0);
  /// Broad class of failure.
  [[nodiscard]] Kind kind() const noexcept { return kind_; }
  /// Backend name.
  [[nodiscard]] const std::string& backend() const noexcept { return backend_; }
  /// The backend's own error code (0 when none).
  [[nodiscard]] int native_code() const noexcept { return native_code_; }

 private:
  Kind kind_;
  std::string backend_;
  int native_code_;
};

/// Text could not be parsed. Carries the source (file name or field), and the 1-based
/// line and column when the text came from a file (0 when unknown).
class ParseError : public Error {
 public:
  /// @param source file name or field name the text came from
  /// @param line 1-based line, 0 when not applicable
  /// @param column 1-based column, 0 when not applicable
  /// @param value the offending text
  /// @param rule what the text should have been
  ParseError(std::string source, std::uint64_t line, std::uint64_t column, std::string value,
             std::string rule);
  /// File or field the text came from.
  [[nodiscard]] const std::string& source() const noexcept { return source_; }
  /// 1-based line (0 when not applicable).
  [[nodiscard]] std::uint64_t line() const noexcept { return line_; }
  /// 1-based column (0 when not applicable).
  [[nodiscard]] std::uint64_t column() const noexcept { return column_; }
  /// The offending text.
  [[nodiscard]] const std::string& value() const noexcept { return value_; }
  /// What the text should have been.
  [[nodiscard]] const std::string& rule() const noexcept { return rule_; }

 private:
  std::string source_;
  std::uint64_t line_;
  std::uint64_t column_;
  std::string value_;
  std::string rule_;
};

/// Quotes a value for an error message: wraps it in single quotes, escapes control bytes
/// and truncates it to `max_bytes` with a trailing `...`.
[[nodiscard]] std::string quote_value(std::string_view value, std::size_t max_bytes = 200);

}  // namespace crmkit
