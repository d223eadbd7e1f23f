#pragma once
// The one place where SQLite's and SQLiteCpp's errors become crmkit's error types.

#include <string>
#include <string_view>

#include "crmkit/core/error.hpp"

namespace SQLite {
class Exception;
}

namespace crmkit::storage::sqlite {

/// The backend name carried by every StorageError of this backend.
inline constexpr std::string_view backend_name = "sqlite";

/// The StorageError kind of an SQLite result code (primary or extended).
[[nodiscard]] StorageError::Kind kind_of(int sqlite_code) noexcept;

/// Throws the crmkit error for `error`, raised while doing `action` on the database at `path`:
/// a ConflictError for the unique customer external reference, a StorageError otherwise, with
/// SQLite's extended result code as the native code.
[[noreturn]] void throw_translated(const SQLite::Exception& error, std::string_view action,
                                   std::string_view path);

/// Throws StorageError(corrupt) for a stored value that does not decode, e.g. an unknown enum name
/// written by another tool.
[[noreturn]] void throw_corrupt_value(std::string_view what, std::string_view value,
                                      std::string_view problem);

/// A StorageError of this backend.
[[nodiscard]] StorageError storage_error(StorageError::Kind kind, const std::string& message,
                                         int native_code = 0);

}  // namespace crmkit::storage::sqlite
