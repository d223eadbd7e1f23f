#pragma once
/// @file
/// @brief The SQLite backend (`sqlite:path/to/crm.db`, `sqlite::memory:`), crmkit's embedded default.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "crmkit/storage/store.hpp"

namespace crmkit::storage {

/// How a SqliteStore opens its database file.
struct SqliteOptions {
  /// How long a write waits for another connection's lock before failing with StorageError(busy).
  std::chrono::milliseconds busy_timeout{5000};
  /// Create the file (and its schema) when it does not exist; when false, a missing file is an error.
  bool create = true;
  /// Open read-only: every write throws StorageError. The schema must already be current.
  bool read_only = false;
  /// Page cache of the connection, in KiB (PRAGMA cache_size). SQLite's default of 2 MiB makes
  /// bulk appends to large, indexed tables wait on I/O; 64 MiB keeps their index pages in memory.
  std::int64_t cache_kib = 64 * 1024;
};

/// A Store in one SQLite file, through SQLiteCpp. The schema is created and upgraded by versioned
/// migrations kept in the code (PRAGMA user_version): opening an older file migrates it inside one
/// transaction; opening a file written by a newer crmkit fails with StorageError (kind `schema`).
/// The database runs in WAL mode with foreign keys on and a busy timeout; every write runs in a
/// transaction, and SQLite's errors are translated into crmkit's error types.
///
/// Thread-safety: safe to share between threads. Calls are serialized on one connection; a
/// Transaction holds the connection from begin() to commit/rollback, so other threads wait for it.
/// Several processes may open the same file; their writes serialize on SQLite's lock.
class SqliteStore final : public Store {
 public:
  /// The schema version this build of crmkit writes.
  static const int current_schema_version;

  /// Opens (or creates) the database at `path`; `:memory:` gives a private in-memory database.
  /// @throws StorageError when the file cannot be opened, is not a crmkit database, or has a newer schema.
  explicit SqliteStore(const std::string& path, SqliteOptions options = {});
  ~SqliteStore() override;

  /// The schema version of the open database (equal to current_schema_version once open).
  [[nodiscard]] int schema_version() const;
  /// The path the store was opened with.
  [[nodiscard]] const std::string& path() const noexcept;

  [[nodiscard]] std::string_view backend() const noexcept override;
  [[nodiscard]] Transaction begin() override;

  Customer insert_customer(const Customer& customer) override;
  Customer update_customer(const Customer& customer) override;
  std::optional<Customer> get_customer(CustomerId id) override;
  CustomerPage find_customers(const CustomerQuery& query) override;
  std::optional<Customer> find_customer_by_external_ref(std::string_view external_ref) override;
  std::vector<Customer> find_customers_by_email(const Email& email) override;
  std::vector<Customer> find_customers_by_phone(const Phone& phone) override;
  bool remove_customer(CustomerId id) override;

  Interaction insert_interaction(const Interaction& interaction) override;
  void append_interactions(std::span<Interaction> interactions) override;
  Interaction update_interaction(const Interaction& interaction) override;
  std::optional<Interaction> get_interaction(InteractionId id) override;
  InteractionPage find_interactions(const InteractionQuery& query) override;
  bool remove_interaction(InteractionId id) override;

  Pipeline insert_pipeline(const Pipeline& pipeline) override;
  Pipeline update_pipeline(const Pipeline& pipeline) override;
  std::optional<Pipeline> get_pipeline(PipelineId id) override;
  std::vector<Pipeline> list_pipelines() override;
  bool remove_pipeline(PipelineId id) override;

  Deal insert_deal(const Deal& deal) override;
  Deal update_deal(const Deal& deal) override;
  std::optional<Deal> get_deal(DealId id) override;
  DealPage find_deals(const DealQuery& query) override;
  bool remove_deal(DealId id) override;

  void append_purchases(std::span<Purchase> purchases) override;
  std::optional<Purchase> get_purchase(PurchaseId id) override;
  PurchasePage find_purchases(const PurchaseQuery& query) override;
  PurchaseColumns scan_purchases(const PurchaseScan& scan) override;
  bool remove_purchase(PurchaseId id) override;

  StoreCounts counts() override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace crmkit::storage
