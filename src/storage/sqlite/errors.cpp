#include "storage/sqlite/errors.hpp"

#include <sqlite3.h>

#include <SQLiteCpp/Exception.h>
#include <fmt/format.h>

namespace crmkit::storage::sqlite {
namespace {

constexpr int primary_code(int code) noexcept {
  return code & 0xFF;
}

// SQLiteCpp's own misuse errors (no row, column out of range) carry -1 and no SQLite code.
int native_code_of(const SQLite::Exception& error) noexcept {
  const int extended = error.getExtendedErrorCode();
  return extended > 0 ? extended : error.getErrorCode();
}

bool is_external_ref_clash(const SQLite::Exception& error) {
  return error.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE &&
         std::string_view(error.what()).find("customers.external_ref") != std::string_view::npos;
}

}  // namespace

StorageError::Kind kind_of(int sqlite_code) noexcept {
  switch (primary_code(sqlite_code)) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return StorageError::Kind::busy;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_FORMAT:
      return StorageError::Kind::corrupt;
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
      return StorageError::Kind::constraint;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_NOLFS:
    case SQLITE_PROTOCOL:
      return StorageError::Kind::io;
    case SQLITE_SCHEMA:
      return StorageError::Kind::schema;
    default:
      return StorageError::Kind::other;
  }
}

void throw_translated(const SQLite::Exception& error, std::string_view action,
                      std::string_view path) {
  if (is_external_ref_clash(error)) {
    // The store checks references before writing; this is the database's own safety net.
    throw ConflictError("customer", "", "external_ref is already used by another customer");
  }
  const int code = native_code_of(error);
  const std::string name = code > 0 ? fmt::format(" ({})", sqlite3_errstr(code)) : "";
  throw StorageError(
      kind_of(code), std::string(backend_name),
      fmt::format("{} failed on {}: {}{}", action, quote_value(path), error.what(), name), code);
}

void throw_corrupt_value(std::string_view what, std::string_view value, std::string_view problem) {
  throw StorageError(
      StorageError::Kind::corrupt, std::string(backend_name),
      fmt::format("the stored {} {} cannot be read: {}", what, quote_value(value), problem));
}

StorageError storage_error(StorageError::Kind kind, const std::string& message, int native_code) {
  return StorageError(kind, std::string(backend_name), message, native_code);
}

}  // namespace crmkit::storage::sqlite
