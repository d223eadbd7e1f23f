#include "storage/sqlite/schema.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <fmt/format.h>

#include "storage/sqlite/errors.hpp"
#include "storage/sqlite/migrations.hpp"

namespace crmkit::storage::sqlite {
namespace {

// What the file says about itself, before anything is written to it.
struct Identity {
  std::int64_t application_id = 0;
  int version = 0;
  std::int64_t objects = 0;  // tables, indexes, views and triggers
};

Identity read_identity(SQLite::Database& db) {
  Identity identity;
  identity.application_id = db.execAndGet("PRAGMA application_id").getInt64();
  identity.version = db.execAndGet("PRAGMA user_version").getInt();
  identity.objects = db.execAndGet("SELECT count(*) FROM sqlite_schema").getInt64();
  return identity;
}

bool is_in_memory(std::string_view path, SQLite::Database& db) {
  // An in-memory or temporary database has no file name (URIs with mode=memory included).
  return path == ":memory:" || path.empty() || db.getFilename().empty();
}

void check_identity(const Identity& identity, std::string_view path) {
  if (identity.application_id != 0 && identity.application_id != crmkit_application_id) {
    const auto id = static_cast<std::uint32_t>(identity.application_id);
    throw storage_error(
        StorageError::Kind::corrupt,
        fmt::format("{} is not a crmkit database: its application_id is 0x{:08X} ({}), crmkit's "
                    "is 0x{:08X}",
                    quote_value(path), id, identity.application_id,
                    static_cast<std::uint32_t>(crmkit_application_id)));
  }
  if (identity.application_id == 0 && identity.objects > 0) {
    throw storage_error(
        StorageError::Kind::corrupt,
        fmt::format("{} is not a crmkit database: it holds {} schema objects but no crmkit "
                    "application_id (0x{:08X})",
                    quote_value(path), identity.objects,
                    static_cast<std::uint32_t>(crmkit_application_id)));
  }
  if (identity.version > latest_schema_version) {
    throw storage_error(
        StorageError::Kind::schema,
        fmt::format("{} has schema version {}, newer than version {}, the newest this crmkit "
                    "knows: open it with a newer crmkit",
                    quote_value(path), identity.version, latest_schema_version));
  }
}

// A migration that fails (say, a unique index over data an older version let in) is a schema
// problem of the file, whatever SQLite's own error was.
void migrate(SQLite::Database& db, std::string_view path, int from_version) {
  try {
    apply_migrations(db, from_version, latest_schema_version);
  } catch (const SQLite::Exception& error) {
    throw storage_error(
        StorageError::Kind::schema,
        fmt::format("{} cannot be upgraded from schema version {} to {}: {}", quote_value(path),
                    from_version, latest_schema_version, error.what()),
        error.getExtendedErrorCode());
  }
}

void upgrade(SQLite::Database& db, std::string_view path) {
  db.exec("BEGIN IMMEDIATE");
  try {
    // Another process may have created or upgraded the file while this one waited for the lock.
    const Identity identity = read_identity(db);
    check_identity(identity, path);
    if (identity.version < latest_schema_version) {
      migrate(db, path, identity.version);
      if (identity.version == 0) {
        db.exec(fmt::format("PRAGMA application_id = {}", crmkit_application_id));
      }
    }
    db.exec("COMMIT");
  } catch (...) {
    db.tryExec("ROLLBACK");
    throw;
  }
}

int open_schema_unguarded(SQLite::Database& db, std::string_view path,
                          const SqliteOptions& options) {
  const Identity identity = read_identity(db);  // fails with SQLITE_NOTADB on a non-SQLite file
  check_identity(identity, path);
  db.exec("PRAGMA foreign_keys = ON");
  db.exec(fmt::format("PRAGMA cache_size = -{}", std::max<std::int64_t>(options.cache_kib, 1)));
  if (options.read_only) {
    if (identity.version < latest_schema_version) {
      throw storage_error(
          StorageError::Kind::schema,
          fmt::format("{} has schema version {} and needs an upgrade to version {}, but it was "
                      "opened read-only",
                      quote_value(path), identity.version, latest_schema_version));
    }
    return identity.version;
  }
  if (!is_in_memory(path, db)) {
    // WAL lets readers work while one writer commits; with it, synchronous=NORMAL stays safe
    // against application crashes and only risks the last commits on power loss (docs/sqlite.md).
    db.execAndGet("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = NORMAL");
  }
  upgrade(db, path);
  return latest_schema_version;
}

}  // namespace

void apply_migrations(SQLite::Database& db, int from_version, int to_version) {
  for (const Migration& migration : migrations) {
    if (migration.version <= from_version || migration.version > to_version) continue;
    db.exec(std::string(migration.sql));
    db.exec(fmt::format("PRAGMA user_version = {}", migration.version));
  }
}

int open_schema(SQLite::Database& db, std::string_view path, const SqliteOptions& options) {
  try {
    return open_schema_unguarded(db, path, options);
  } catch (const SQLite::Exception& error) {
    throw_translated(error, "opening the database", path);
  }
}

}  // namespace crmkit::storage::sqlite
