#pragma once
// Opening a database file: is it a crmkit database, which schema version, and the migrations
// that bring it to the current one.

#include <string_view>

#include "crmkit/storage/sqlite_store.hpp"

namespace SQLite {
class Database;
}

namespace crmkit::storage::sqlite {

/// Applies the migrations after `from_version` up to `to_version`, in order, each followed by
/// its PRAGMA user_version. The caller holds the transaction that makes them one step.
void apply_migrations(SQLite::Database& db, int from_version, int to_version);

/// Sets the connection's PRAGMAs, checks that the database is a crmkit database of a version this
/// build can use, creates or upgrades its schema in one transaction, and returns its version.
/// @throws StorageError: `corrupt` when the file is not SQLite or belongs to another application,
///         `schema` when it is newer than this build or needs an upgrade but was opened read-only.
int open_schema(SQLite::Database& db, std::string_view path, const SqliteOptions& options);

}  // namespace crmkit::storage::sqlite
