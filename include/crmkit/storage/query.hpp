#pragma once
/// @file
/// @brief Query, page and column types of the storage interface.

#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "crmkit/core/id.hpp"
#include "crmkit/core/money.hpp"
#include "crmkit/core/time.hpp"
#include "crmkit/domain/customer.hpp"
#include "crmkit/domain/deal.hpp"
#include "crmkit/domain/interaction.hpp"
#include "crmkit/domain/purchase.hpp"

namespace crmkit::storage {

/// The largest `limit` a query accepts; larger limits throw ValidationError.
inline constexpr std::size_t max_page_size = 10000;

/// One page of a keyset-paginated list. `next` is the cursor to pass in the following query;
/// it is empty on the last page. A page may be shorter than the limit only when it is the last.
template <class T, class Cursor>
struct Page {
  std::vector<T> items;         ///< the records, in the list's order
  std::optional<Cursor> next;   ///< where the next page starts; empty on the last page
};

/// Keyset cursor of lists ordered newest first: a (time, id) pair; the next page holds the records
/// strictly before it in (time descending, id descending) order.
struct TimeKey {
  Timestamp at{};        ///< time of the last record returned
  std::int64_t id = 0;   ///< id of the last record returned
  /// Lexicographic order on (at, id).
  friend auto operator<=>(const TimeKey&, const TimeKey&) = default;
};

/// Filters and cursor for listing customers, ordered by id ascending. Filters combine with AND.
struct CustomerQuery {
  std::optional<std::string> owner;          ///< only records with this owner
  std::optional<std::string> tag;            ///< only records carrying this tag
  std::optional<LifecycleStage> lifecycle;   ///< only records in this lifecycle stage
  std::optional<CustomerKind> kind;          ///< only persons or only organizations
  std::optional<Timestamp> updated_since;    ///< only records with `updated_at >= updated_since`
  bool include_deleted = false;              ///< also soft-deleted records
  std::optional<CustomerId> after;           ///< cursor: only ids greater than this
  std::size_t limit = 100;                   ///< page size, 1 to max_page_size
};
/// A page of customers; the cursor is the last id.
using CustomerPage = Page<Customer, CustomerId>;

/// Filters and cursor for listing interactions, newest first (occurred_at, then id, descending).
struct InteractionQuery {
  std::optional<CustomerId> customer;  ///< only interactions involving this customer
  std::optional<DealId> deal;          ///< only interactions about this deal
  std::optional<Timestamp> since;      ///< only `occurred_at >= since`
  std::optional<TimeKey> before;       ///< cursor: only records strictly before this key
  std::size_t limit = 100;             ///< page size, 1 to max_page_size
};
/// A page of interactions; the cursor is the last (occurred_at, id).
using InteractionPage = Page<Interaction, TimeKey>;

/// Status of a deal, derived from its timestamps: won (`won_at` set), lost (`lost_at` set) or open.
enum class DealStatus {
  open,  ///< neither won nor lost
  won,   ///< `won_at` is set
  lost   ///< `lost_at` is set
};

/// Filters and cursor for listing deals, ordered by id ascending.
struct DealQuery {
  std::optional<PipelineId> pipeline;  ///< only deals of this pipeline
  std::optional<std::string> stage;    ///< only deals in this stage key
  std::optional<CustomerId> customer;  ///< only deals of this customer (not as contact)
  std::optional<std::string> owner;    ///< only deals with this owner
  std::optional<DealStatus> status;    ///< only open, won or lost deals
  std::optional<DealId> after;         ///< cursor: only ids greater than this
  std::size_t limit = 100;             ///< page size, 1 to max_page_size
};
/// A page of deals; the cursor is the last id.
using DealPage = Page<Deal, DealId>;

/// Filters and cursor for listing purchases, newest first (occurred_at, then id, descending).
struct PurchaseQuery {
  std::optional<CustomerId> customer;  ///< only this customer's purchases
  std::optional<Timestamp> since;      ///< only `occurred_at >= since`
  std::optional<TimeKey> before;       ///< cursor: only records strictly before this key
  std::size_t limit = 100;             ///< page size, 1 to max_page_size
};
/// A page of purchases; the cursor is the last (occurred_at, id).
using PurchasePage = Page<Purchase, TimeKey>;

/// What a column scan of purchases reads. Without `currency`, every purchase in range must share
/// one currency, or the scan throws ValidationError.
struct PurchaseScan {
  std::optional<Currency> currency;  ///< only purchases in this currency
  std::optional<Timestamp> since;    ///< only `occurred_at >= since`
  std::optional<Timestamp> until;    ///< only `occurred_at < until`
};

/// Purchases read column-wise, in id (insertion) order, for analytics: three equally long columns.
struct PurchaseColumns {
  std::vector<std::int64_t> customer_ids;   ///< CustomerId values
  std::vector<std::int64_t> times_us;       ///< `occurred_at` as microseconds since the Unix epoch
  std::vector<std::int64_t> amounts_minor;  ///< amounts in minor units of `currency`
  Currency currency;                        ///< the currency of every amount (XXX when empty)
  /// Number of rows.
  [[nodiscard]] std::size_t size() const noexcept { return customer_ids.size(); }
};

/// How many records a store holds.
struct StoreCounts {
  std::int64_t customers = 0;          ///< customers not soft-deleted
  std::int64_t deleted_customers = 0;  ///< soft-deleted customers
  std::int64_t interactions = 0;       ///< interactions
  std::int64_t pipelines = 0;          ///< pipelines
  std::int64_t deals = 0;              ///< deals
  std::int64_t purchases = 0;          ///< purchases
  /// Field-wise equality.
  friend bool operator==(const StoreCounts&, const StoreCounts&) = default;
};

/// `open`, `won` or `lost`.
[[nodiscard]] std::string_view to_string(DealStatus status) noexcept;
/// The status a deal's timestamps give it.
[[nodiscard]] DealStatus status_of(const Deal& deal) noexcept;

}  // namespace crmkit::storage
