#pragma once
/// @file
/// @brief The in-memory backend (`memory:`), for tests, caches and small embedded uses.

#include <memory>

#include "crmkit/storage/store.hpp"

namespace crmkit::storage {

/// A Store that keeps everything in process memory, with indexes for every lookup of the interface.
///
/// Thread-safety: safe to share between threads. Calls are serialized by one lock; a Transaction
/// holds that lock from begin() to commit/rollback, so other threads wait for it (serializable).
/// Rollback replays an undo log, so its cost is that of the transaction's writes, not the store's size.
class MemoryStore final : public Store {
 public:
  /// An empty store.
  MemoryStore();
  ~MemoryStore() override;

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
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace crmkit::storage
