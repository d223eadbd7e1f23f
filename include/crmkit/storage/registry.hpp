#pragma once
/// @file
/// @brief Opening stores by URI, and the registry where users add their own backends.

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "crmkit/storage/store.hpp"

namespace crmkit::storage {

/// Makes a store from the part of a URI after `scheme:` (e.g. `path/to/crm.db` for `sqlite:path/to/crm.db`).
using StoreFactory = std::function<std::unique_ptr<Store>(std::string_view location)>;

/// Registers (or replaces) the factory for `scheme` (lower-case letters, digits, `+`, `-`, `.`,
/// starting with a letter). Thread-safe. Built-in: `memory` and `sqlite`.
/// @throws ValidationError (field `scheme`) for a malformed scheme or an empty factory.
void register_backend(std::string_view scheme, StoreFactory factory);

/// Opens a store by URI: `memory:` (a new, empty in-memory store), `sqlite:path/to/crm.db` (a SqliteStore
/// on that file, created when missing), `sqlite::memory:` (a private in-memory SQLite database), or any
/// registered `scheme:location`.
/// @throws StorageError (kind `unsupported`) naming the scheme when no backend is registered for it,
///         ValidationError for a URI without a scheme, or whatever the backend throws.
[[nodiscard]] std::unique_ptr<Store> open(std::string_view uri);

/// The registered schemes, sorted.
[[nodiscard]] std::vector<std::string> registered_backends();

}  // namespace crmkit::storage
