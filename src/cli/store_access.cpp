#include "cli/store_access.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

#include "crmkit/core/error.hpp"
#include "crmkit/storage/registry.hpp"
#include "crmkit/storage/sqlite_store.hpp"

namespace crmkit::cli {

namespace {

constexpr const char* database_variable = "CRMKIT_DB";

std::string lower_case(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  return lower;
}

}  // namespace

void add_db_option(CommandLine& line, std::string& db) {
  line.options().add_options()(
      "db", po::value(&db)->value_name("PATH"),
      "the store: an SQLite file (created by imports when missing), or a store URI such as "
      "sqlite:PATH or memory:; default: $CRMKIT_DB");
}

std::string database_location(const CommandLine& line, const std::string& db) {
  if (!db.empty()) return db;
  // An empty variable counts as unset, as a shell's `CRMKIT_DB= crmkit ...` means.
  const char* from_environment = std::getenv(database_variable);
  if (from_environment != nullptr && *from_environment != '\0') return from_environment;
  line.fail(fmt::format("no store given: pass --db PATH or set {}", database_variable));
}

bool is_store_uri(std::string_view location) {
  const std::size_t colon = location.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  const std::string scheme = lower_case(location.substr(0, colon));
  const std::vector<std::string> schemes = storage::registered_backends();
  return std::find(schemes.begin(), schemes.end(), scheme) != schemes.end();
}

std::shared_ptr<storage::Store> open_store(const std::string& location, StoreUse use) {
  if (is_store_uri(location)) return storage::open(location);
  // Opened directly rather than through `sqlite:` so that reading a mistyped path fails instead
  // of leaving an empty database behind.
  if (use == StoreUse::read && !std::filesystem::exists(location)) {
    throw Error(
        fmt::format("no database at {}: check --db, or import data first", quote_value(location)));
  }
  storage::SqliteOptions options;
  options.create = use == StoreUse::write;
  return std::make_shared<storage::SqliteStore>(location, options);
}

}  // namespace crmkit::cli
