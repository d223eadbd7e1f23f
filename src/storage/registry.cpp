#include "crmkit/storage/registry.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "crmkit/core/error.hpp"
#include "crmkit/storage/memory_store.hpp"
#include "crmkit/storage/sqlite_store.hpp"

namespace crmkit::storage {
namespace {

struct Registry {
  std::mutex mutex;
  std::map<std::string, StoreFactory, std::less<>> factories;
};

std::map<std::string, StoreFactory, std::less<>> builtin_backends() {
  std::map<std::string, StoreFactory, std::less<>> factories;
  factories["memory"] = [](std::string_view) -> std::unique_ptr<Store> {
    return std::make_unique<MemoryStore>();
  };
  // `sqlite:path/to/crm.db`, and `sqlite::memory:` for a private in-memory database.
  factories["sqlite"] = [](std::string_view location) -> std::unique_ptr<Store> {
    if (location.empty()) {
      throw ValidationError("uri", "sqlite:", "must name a database file, e.g. sqlite:crm.db or sqlite::memory:");
    }
    return std::make_unique<SqliteStore>(std::string(location));
  };
  return factories;
}

// The one registry of the process (DESIGN.md allows this singleton): function-local so that it is
// built on first use, whatever the order in which static initializers of other units run.
Registry& registry() {
  static Registry instance{{}, builtin_backends()};
  return instance;
}

bool is_lower_alpha(char c) noexcept { return c >= 'a' && c <= 'z'; }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

bool is_valid_scheme(std::string_view scheme) noexcept {
  return !scheme.empty() && is_lower_alpha(scheme.front()) &&
         std::all_of(scheme.begin(), scheme.end(), [](char c) {
           return is_lower_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.';
         });
}

std::string lower_case(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  return out;
}

std::vector<std::string> schemes_of(const Registry& r) {
  std::vector<std::string> schemes;
  schemes.reserve(r.factories.size());
  for (const auto& entry : r.factories) schemes.push_back(entry.first);
  return schemes;
}

}  // namespace

void register_backend(std::string_view scheme, StoreFactory factory) {
  if (!is_valid_scheme(scheme)) {
    throw ValidationError("scheme", std::string(scheme),
                          "is not a valid URI scheme: it must start with a lower-case letter "
                          "followed by lower-case letters, digits, '+', '-' or '.'");
  }
  if (!factory) {
    throw ValidationError("scheme", std::string(scheme),
                          "cannot be registered with an empty factory");
  }
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  r.factories.insert_or_assign(std::string(scheme), std::move(factory));
}

std::unique_ptr<Store> open(std::string_view uri) {
  const std::size_t colon = uri.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    throw ValidationError("uri", std::string(uri),
                          "has no scheme: expected 'scheme:location', e.g. 'memory:' or "
                          "'sqlite:crm.db'");
  }
  const std::string scheme = lower_case(uri.substr(0, colon));
  StoreFactory factory;
  std::vector<std::string> known;
  {
    Registry& r = registry();
    const std::lock_guard lock(r.mutex);
    const auto it = r.factories.find(scheme);
    if (it != r.factories.end()) {
      factory = it->second;
    } else {
      known = schemes_of(r);
    }
  }
  if (!factory) {
    throw StorageError(StorageError::Kind::unsupported, scheme,
                       fmt::format("no backend is registered for the URI scheme {} of {} "
                                   "(registered: {})",
                                   quote_value(scheme), quote_value(uri), fmt::join(known, ", ")));
  }
  // Called outside the lock: opening may be slow (a database file, a server) and a factory may
  // itself register backends.
  std::unique_ptr<Store> store = factory(uri.substr(colon + 1));
  if (!store) {
    throw StorageError(StorageError::Kind::other, scheme,
                       fmt::format("the factory registered for {} returned no store for {}",
                                   quote_value(scheme), quote_value(uri)));
  }
  return store;
}

std::vector<std::string> registered_backends() {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  return schemes_of(r);  // a std::map iterates in sorted order
}

}  // namespace crmkit::storage
