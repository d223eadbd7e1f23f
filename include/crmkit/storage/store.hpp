#pragma once
/// @file
/// @brief The abstract storage interface that every backend implements.

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "crmkit/domain/customer.hpp"
#include "crmkit/domain/deal.hpp"
#include "crmkit/domain/interaction.hpp"
#include "crmkit/domain/pipeline.hpp"
#include "crmkit/domain/purchase.hpp"
#include "crmkit/storage/query.hpp"
#include "crmkit/storage/transaction.hpp"

namespace crmkit::storage {

/// Persistence of the domain types, at the level of the domain (not SQL): small enough that an
/// ERP team can implement it over its own tables, and checked by the backend contract suite
/// (crmkit/testing/store_contract.hpp).
///
/// Common rules, for every backend:
/// - Every write validates its record (crmkit::validate) and its references, and throws
///   ValidationError naming the field; a failed write changes nothing.
/// - Inserts ignore the given `id` and `version`, assign a new positive id and version 1, and
///   return the stored record. Timestamps are stored as given (the Crm facade stamps them).
/// - Updates need the stored `version`: a different one throws ConflictError and changes nothing;
///   success stores `version + 1` and returns the stored record. Unknown ids throw NotFoundError.
/// - Each call is atomic; begin() groups calls into one Transaction.
/// - `get_*` returns nullopt for unknown ids; failures throw.
/// - Query limits outside 1 to max_page_size throw ValidationError.
///
/// Thread-safety: each backend documents its own; the built-in ones are safe to share between threads.
class Store {
 public:
  Store() = default;
  virtual ~Store() = default;
  Store(const Store&) = delete;             ///< Stores are not copyable.
  Store& operator=(const Store&) = delete;  ///< Stores are not copyable.

  /// The backend's name, e.g. `memory` or `sqlite`.
  [[nodiscard]] virtual std::string_view backend() const noexcept = 0;

  /// Begins a transaction (a savepoint when one is already active on this thread).
  [[nodiscard]] virtual Transaction begin() = 0;

  /// @name Customers
  /// @{

  /// Inserts a customer. Rules beyond validate(): `external_ref` unique among all customers
  /// (ConflictError); member organizations exist and are organizations (ValidationError).
  virtual Customer insert_customer(const Customer& customer) = 0;
  /// Replaces a stored customer (same rules as insert; version checked). Soft delete is an update
  /// that sets `deleted_at`. A customer's kind cannot change while persons are members of it or
  /// deals name it as a contact (ValidationError on `customer.kind`).
  virtual Customer update_customer(const Customer& customer) = 0;
  /// The customer with `id` (soft-deleted ones included), or nullopt.
  virtual std::optional<Customer> get_customer(CustomerId id) = 0;
  /// A page of customers matching `query`.
  virtual CustomerPage find_customers(const CustomerQuery& query) = 0;
  /// The customer with this external reference (soft-deleted included), or nullopt.
  virtual std::optional<Customer> find_customer_by_external_ref(std::string_view external_ref) = 0;
  /// Customers not soft-deleted having this email, compared by Email::lookup_key(); by id.
  virtual std::vector<Customer> find_customers_by_email(const Email& email) = 0;
  /// Customers not soft-deleted having this phone (canonical form); by id.
  virtual std::vector<Customer> find_customers_by_phone(const Phone& phone) = 0;
  /// Deletes a customer for good. Returns false when there was none.
  /// @throws ConflictError while deals, interactions, purchases or memberships refer to it.
  virtual bool remove_customer(CustomerId id) = 0;
  /// @}

  /// @name Interactions
  /// @{

  /// Inserts an interaction. Its customers and deal must exist (ValidationError).
  virtual Interaction insert_interaction(const Interaction& interaction) = 0;
  /// Inserts many interactions at once, all or nothing, assigning their ids and versions in place.
  virtual void append_interactions(std::span<Interaction> interactions) = 0;
  /// Replaces a stored interaction (version checked).
  virtual Interaction update_interaction(const Interaction& interaction) = 0;
  /// The interaction with `id`, or nullopt.
  virtual std::optional<Interaction> get_interaction(InteractionId id) = 0;
  /// A page of interactions matching `query`, newest first.
  virtual InteractionPage find_interactions(const InteractionQuery& query) = 0;
  /// Deletes an interaction. Returns false when there was none.
  virtual bool remove_interaction(InteractionId id) = 0;
  /// @}

  /// @name Pipelines
  /// @{

  /// Inserts a pipeline.
  virtual Pipeline insert_pipeline(const Pipeline& pipeline) = 0;
  /// Replaces a pipeline (version checked). A stage still used by a deal, or named in a deal's
  /// history, cannot be removed, and no change may make a stored deal invalid, such as changing the
  /// category of a stage a deal is in (ValidationError on `pipeline.stages`).
  virtual Pipeline update_pipeline(const Pipeline& pipeline) = 0;
  /// The pipeline with `id`, or nullopt.
  virtual std::optional<Pipeline> get_pipeline(PipelineId id) = 0;
  /// Every pipeline, by id.
  virtual std::vector<Pipeline> list_pipelines() = 0;
  /// Deletes a pipeline. Returns false when there was none. @throws ConflictError while deals use it.
  virtual bool remove_pipeline(PipelineId id) = 0;
  /// @}

  /// @name Deals
  /// @{

  /// Inserts a deal. Its pipeline and customer must exist and its contacts be persons
  /// (ValidationError); the deal is validated against its pipeline.
  virtual Deal insert_deal(const Deal& deal) = 0;
  /// Replaces a deal (same rules; version checked).
  virtual Deal update_deal(const Deal& deal) = 0;
  /// The deal with `id`, or nullopt.
  virtual std::optional<Deal> get_deal(DealId id) = 0;
  /// A page of deals matching `query`.
  virtual DealPage find_deals(const DealQuery& query) = 0;
  /// Deletes a deal. Returns false when there was none. @throws ConflictError while interactions refer to it.
  virtual bool remove_deal(DealId id) = 0;
  /// @}

  /// @name Purchases
  /// @{

  /// Appends purchases in bulk, all or nothing, assigning ids in place. Each is validated and its
  /// customer must exist; the first bad one throws ValidationError naming its index
  /// (`purchases[i].field`) and nothing is written.
  virtual void append_purchases(std::span<Purchase> purchases) = 0;
  /// The purchase with `id`, or nullopt.
  virtual std::optional<Purchase> get_purchase(PurchaseId id) = 0;
  /// A page of purchases matching `query`, newest first.
  virtual PurchasePage find_purchases(const PurchaseQuery& query) = 0;
  /// Reads the purchases in `scan` column-wise, in id order, for analytics.
  virtual PurchaseColumns scan_purchases(const PurchaseScan& scan) = 0;
  /// Deletes a purchase. Returns false when there was none.
  virtual bool remove_purchase(PurchaseId id) = 0;
  /// @}

  /// How many records of each kind the store holds.
  virtual StoreCounts counts() = 0;
};

}  // namespace crmkit::storage
