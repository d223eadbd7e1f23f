#pragma once
/// @file
/// @brief The Crm facade: validated operations on customers, interactions, pipelines, deals and
/// purchases over any Store, with domain events.

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "crmkit/core/time.hpp"
#include "crmkit/crm/events.hpp"
#include "crmkit/crm/pipeline_metrics.hpp"
#include "crmkit/crm/timeline.hpp"
#include "crmkit/storage/store.hpp"

namespace crmkit {

/// Settings of a Crm.
struct CrmOptions {
  /// Source of "now" for created/updated stamps and stage changes; replace it for deterministic tests.
  Clock clock = &crmkit::now;
  /// ISO 3166 alpha-2 region used to read national phone numbers in find_by_phone(), e.g. `FR`.
  std::string default_region;
};

/// How a deal moves to another stage.
struct MoveOptions {
  std::string by;                 ///< who moves it (recorded in the history)
  std::string lost_reason;        ///< required when the target stage is a lost stage
  std::optional<Timestamp> at;    ///< when; defaults to the clock's now; not before the last move
};

/// The operational CRM over a Store: validates every write (types, references, transitions),
/// stamps times and versions, records stage history, builds timelines and pipeline figures, and
/// publishes domain events.
///
/// Thread-safety: a Crm may be shared between threads when its store may (the built-in ones can).
/// Events of a write are published when the write commits: at once for a lone call, at commit of
/// the enclosing Crm::Transaction otherwise (and never when it rolls back).
class Crm {
 public:
  /// Works on `store` (shared, so several facades or the host may hold it).
  /// @throws ValidationError when `store` is null or `options.default_region` is not a known region.
  explicit Crm(std::shared_ptr<storage::Store> store, CrmOptions options = {});
  ~Crm();
  Crm(const Crm&) = delete;             ///< Not copyable.
  Crm& operator=(const Crm&) = delete;  ///< Not copyable.

  /// The underlying store.
  [[nodiscard]] storage::Store& store() noexcept;

  /// A transaction over several facade calls made on this thread: their writes commit together,
  /// and their events are published only at commit. Movable; rolls back when destroyed active.
  class Transaction {
   public:
    Transaction(Transaction&&) noexcept;             ///< Moves; `other` becomes inactive.
    Transaction& operator=(Transaction&&) noexcept;  ///< Rolls back this one if active, then moves.
    Transaction(const Transaction&) = delete;             ///< Not copyable.
    Transaction& operator=(const Transaction&) = delete;  ///< Not copyable.
    /// Rolls back when still active.
    ~Transaction();
    /// Commits the writes, then publishes their events.
    /// @throws StorageError (kind `transaction`) when no longer active, or as the backend throws.
    void commit();
    /// Discards the writes and their events.
    void rollback() noexcept;
    /// True until commit() or rollback().
    [[nodiscard]] bool active() const noexcept;

   private:
    friend class Crm;
    struct State;
    explicit Transaction(std::unique_ptr<State> state) noexcept;
    std::unique_ptr<State> state_;
  };
  /// Begins a Transaction on this thread (nested ones are savepoints).
  [[nodiscard]] Transaction transaction();

  /// @name Customers
  /// @{

  /// Creates a customer: validates it, fills in a primary contact point when a non-empty list
  /// has none (the first becomes primary), stamps created/updated with the clock, and stores it.
  /// @throws ValidationError, ConflictError (external ref taken).
  Customer create_customer(Customer customer);
  /// Saves changes to a customer; `customer.version` must be the stored one (ConflictError).
  /// `created_at` and `deleted_at` are kept from the stored record.
  /// @throws NotFoundError, ValidationError, ConflictError.
  Customer update_customer(Customer customer);
  /// The customer with `id`. @throws NotFoundError.
  [[nodiscard]] Customer customer(CustomerId id);
  /// The customer with `id`, or nullopt.
  [[nodiscard]] std::optional<Customer> find_customer(CustomerId id);
  /// Customers (not deleted) with this email, case-insensitively. @throws ValidationError for a malformed address.
  [[nodiscard]] std::vector<Customer> find_by_email(std::string_view email);
  /// Customers (not deleted) with this phone, read with the default region. @throws ValidationError.
  [[nodiscard]] std::vector<Customer> find_by_phone(std::string_view phone);
  /// The customer with this external reference, or nullopt.
  [[nodiscard]] std::optional<Customer> find_by_external_ref(std::string_view external_ref);
  /// A page of customers.
  [[nodiscard]] storage::CustomerPage customers(const storage::CustomerQuery& query = {});
  /// Soft-deletes: sets `deleted_at`. @throws NotFoundError; ValidationError when already deleted.
  Customer delete_customer(CustomerId id);
  /// Clears `deleted_at`. @throws NotFoundError; ValidationError when not deleted.
  Customer restore_customer(CustomerId id);
  /// @}

  /// @name Interactions and timeline
  /// @{

  /// Logs an interaction; its customers must exist and not be deleted, its deal exist.
  /// `occurred_at` defaults to now when unset. @throws ValidationError.
  Interaction log_interaction(Interaction interaction);
  /// A page of one customer's interactions, newest first. @throws NotFoundError for an unknown customer.
  [[nodiscard]] storage::InteractionPage interactions(CustomerId customer,
                                                      std::optional<storage::TimeKey> before = {},
                                                      std::size_t limit = 50);
  /// A page of the customer's timeline: interactions, deal events and purchases merged, newest first.
  /// Reads only about one page from each source, however long the history.
  /// @throws NotFoundError for an unknown customer; ValidationError for a bad limit.
  [[nodiscard]] TimelinePage timeline(CustomerId customer, const TimelineRequest& request = {});
  /// @}

  /// @name Pipelines and deals
  /// @{

  /// Creates a pipeline. @throws ValidationError.
  Pipeline create_pipeline(Pipeline pipeline);
  /// The pipeline with `id`. @throws NotFoundError.
  [[nodiscard]] Pipeline pipeline(PipelineId id);
  /// Every pipeline, by id.
  [[nodiscard]] std::vector<Pipeline> pipelines();
  /// Opens a deal. An empty `stage` means the pipeline's first open stage. The history starts with
  /// an entry (no `from`) by `by`; opening straight into a won or lost stage follows move rules.
  /// The customer must exist and not be deleted; contacts must be persons.
  /// @throws ValidationError, NotFoundError (pipeline).
  Deal open_deal(Deal deal, std::string_view by = {});
  /// Saves changes to a deal's own fields (title, amount, probability override, expected close,
  /// owner, contacts, external ref). Stage, history and close fields change only through move_deal().
  /// @throws NotFoundError, ValidationError, ConflictError.
  Deal update_deal(Deal deal);
  /// Moves a deal to `to_stage`, recording the change. Into a lost stage: needs a lost reason, sets
  /// `lost_at`. Into a won stage: sets probability 1 and `won_at`. Back to an open stage from a
  /// closed one (reopening): clears the close fields and the probability override.
  /// @throws NotFoundError, ValidationError (unknown or same stage, missing reason, time before
  ///         the last move), ConflictError.
  Deal move_deal(DealId id, std::string_view to_stage, const MoveOptions& options = {});
  /// The deal with `id`. @throws NotFoundError.
  [[nodiscard]] Deal deal(DealId id);
  /// A page of deals.
  [[nodiscard]] storage::DealPage deals(const storage::DealQuery& query = {});
  /// Weighted value of a pipeline's open deals, per currency. @throws NotFoundError.
  [[nodiscard]] std::vector<PipelineValue> weighted_value(PipelineId pipeline);
  /// Weighted value of a pipeline's open deals per expected close month and currency. @throws NotFoundError.
  [[nodiscard]] std::vector<CloseMonthValue> weighted_value_by_close_month(PipelineId pipeline);
  /// Time a deal spent in each stage, up to now. @throws NotFoundError.
  [[nodiscard]] std::vector<StageTime> time_in_stage(DealId deal);
  /// Mean time in each stage over a pipeline's deals, up to now. @throws NotFoundError.
  [[nodiscard]] std::vector<StageTimeSummary> average_time_in_stage(PipelineId pipeline);
  /// @}

  /// @name Purchases
  /// @{

  /// Records one purchase. @throws ValidationError.
  Purchase record_purchase(Purchase purchase);
  /// Records purchases in bulk, all or nothing, assigning ids in place. @throws ValidationError.
  void record_purchases(std::span<Purchase> purchases);
  /// @}

  /// Subscribes a handler to every event; keep the Subscription alive as long as it should run.
  [[nodiscard]] Subscription subscribe(EventHandler handler);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace crmkit
