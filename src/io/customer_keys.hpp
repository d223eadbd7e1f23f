#pragma once
// Turns the customer keys of purchase and interaction rows into customer ids, looking the store
// up once per distinct key and creating missing customers when the options allow it.

#include <string>
#include <string_view>
#include <unordered_map>

#include "crmkit/core/error.hpp"
#include "crmkit/io/import.hpp"

namespace crmkit::io::detail {

// Hashing for heterogeneous lookup: find a std::string key with a string_view, without a copy.
struct KeyHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view key) const noexcept {
    return std::hash<std::string_view>{}(key);
  }
};

class CustomerKeys {
 public:
  // `lifecycle`: the stage of customers created from keys (purchasers are customers).
  CustomerKeys(storage::Store& store, const KeyedImportOptions& options, LifecycleStage lifecycle,
               Timestamp stamp);

  // The key as the options want it read (e.g. `17850.0` -> `17850`).
  [[nodiscard]] std::string_view normalize(std::string_view key) const noexcept;
  // The customer a non-empty normalized key names, created when missing and allowed.
  // @throws ValidationError (field `customer key`) when the key names no customer and none may
  //         be created; whatever insert_customer throws when creating one fails.
  CustomerId resolve(std::string_view key, ImportReport& report);

 private:
  CustomerId look_up(std::string_view key, ImportReport& report);
  CustomerId by_id(std::string_view key, std::int64_t id) const;
  CustomerId create(std::string_view key, ImportReport& report);

  storage::Store* store_;
  const KeyedImportOptions* options_;
  LifecycleStage lifecycle_;
  Timestamp stamp_;
  std::unordered_map<std::string, CustomerId, KeyHash, std::equal_to<>> ids_;
  // Keys that named no customer (or whose customer could not be created): one store call each,
  // however many rows repeat them.
  std::unordered_map<std::string, ValidationError, KeyHash, std::equal_to<>> failed_;
  // Rows of one customer often follow each other (the lines of an invoice).
  std::string last_key_;
  CustomerId last_id_;
};

}  // namespace crmkit::io::detail
