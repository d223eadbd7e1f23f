#include "crmkit/core/error.hpp"

#include <fmt/format.h>

#include <string_view>
#include <utility>

namespace crmkit {

namespace {

std::string_view kind_name(StorageError::Kind kind) noexcept {
  switch (kind) {
    case StorageError::Kind::io: return "io";
    case StorageError::Kind::busy: return "busy";
    case StorageError::Kind::corrupt: return "corrupt";
    case StorageError::Kind::constraint: return "constraint";
    case StorageError::Kind::schema: return "schema";
    case StorageError::Kind::transaction: return "transaction";
    case StorageError::Kind::unsupported: return "unsupported";
    case StorageError::Kind::other: return "other";
  }
  return "other";
}

bool is_utf8_continuation(char c) noexcept {
  return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U;
}

// Cutting inside a multi-byte character would leave an invalid sequence in the message.
std::size_t truncation_point(std::string_view value, std::size_t max_bytes) noexcept {
  std::size_t cut = max_bytes;
  while (cut > 0 && is_utf8_continuation(value[cut])) {
    --cut;
  }
  return cut;
}

void append_escaped(std::string& out, char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (c == '\'') {
    out += "\\'";
  } else if (byte < 0x20U || byte == 0x7FU) {
    out += fmt::format("\\x{:02X}", byte);
  } else {
    out += c;
  }
}

std::string storage_message(StorageError::Kind kind, const std::string& backend,
                            const std::string& message, int native_code) {
  // A transaction that has already ended no longer knows its backend: say "storage error" alone.
  std::string text = backend.empty()
                         ? fmt::format("storage error ({}): {}", kind_name(kind), message)
                         : fmt::format("{} storage error ({}): {}", backend, kind_name(kind), message);
  if (native_code != 0) {
    text += fmt::format(" [native code {}]", native_code);
  }
  return text;
}

// A column without a line (text that came from a field, not a file) reads better in words than
// as `source:column`, which would look like a line number.
std::string parse_message(const std::string& source, std::uint64_t line, std::uint64_t column,
                          const std::string& value, const std::string& rule) {
  if (line > 0 && column > 0) {
    return fmt::format("{}:{}:{}: {} {}", source, line, column, quote_value(value), rule);
  }
  if (line > 0) {
    return fmt::format("{}:{}: {} {}", source, line, quote_value(value), rule);
  }
  if (column > 0) {
    return fmt::format("{}: {} {} (column {})", source, quote_value(value), rule, column);
  }
  return fmt::format("{}: {} {}", source, quote_value(value), rule);
}

}  // namespace

std::string quote_value(std::string_view value, std::size_t max_bytes) {
  const bool truncated = value.size() > max_bytes;
  const std::string_view shown =
      truncated ? value.substr(0, truncation_point(value, max_bytes)) : value;
  std::string out;
  out.reserve(shown.size() + 5);
  out += '\'';
  for (const char c : shown) {
    append_escaped(out, c);
  }
  out += '\'';
  if (truncated) {
    out += "...";
  }
  return out;
}

Error::Error(const std::string& message) : std::runtime_error(message) {}

ValidationError::ValidationError(std::string field, std::string value, std::string rule)
    : Error(fmt::format("{}: {} {}", field, quote_value(value), rule)),
      field_(std::move(field)),
      value_(std::move(value)),
      rule_(std::move(rule)) {}

NotFoundError::NotFoundError(std::string entity, std::string key)
    : Error(fmt::format("{} {} not found", entity, quote_value(key))),
      entity_(std::move(entity)),
      key_(std::move(key)) {}

ConflictError::ConflictError(std::string entity, std::string key, std::string detail)
    : Error(fmt::format("{} {}: {}", entity, quote_value(key), detail)),
      entity_(std::move(entity)),
      key_(std::move(key)) {}

StorageError::StorageError(Kind kind, std::string backend, const std::string& message,
                           int native_code)
    : Error(storage_message(kind, backend, message, native_code)),
      kind_(kind),
      backend_(std::move(backend)),
      native_code_(native_code) {}

ParseError::ParseError(std::string source, std::uint64_t line, std::uint64_t column,
                       std::string value, std::string rule)
    : Error(parse_message(source, line, column, value, rule)),
      source_(std::move(source)),
      line_(line),
      column_(column),
      value_(std::move(value)),
      rule_(std::move(rule)) {}

}  // namespace crmkit
