#pragma once
// Which store a command works on: `--db`, or $CRMKIT_DB, naming an SQLite file or a store URI.

#include <memory>
#include <string>
#include <string_view>

#include "cli/command_line.hpp"
#include "crmkit/storage/store.hpp"

namespace crmkit::cli {

/// What a command does with its store.
enum class StoreUse {
  read,  ///< the store must exist already
  write  ///< an SQLite file is created when missing
};

/// Adds `--db PATH` to `line`, stored in `db`.
void add_db_option(CommandLine& line, std::string& db);

/// The location `--db` gave, else $CRMKIT_DB. @throws UsageError when neither is set.
[[nodiscard]] std::string database_location(const CommandLine& line, const std::string& db);

/// True when `location` starts with a registered scheme and a colon (`memory:`, `sqlite:x.db`),
/// rather than being a path.
[[nodiscard]] bool is_store_uri(std::string_view location);

/// Opens a location: a URI through storage::open(), a path as an SQLite file.
/// @throws Error when a path to read from does not exist; whatever the backend throws.
[[nodiscard]] std::shared_ptr<storage::Store> open_store(const std::string& location, StoreUse use);

}  // namespace crmkit::cli
