#pragma once
// Dense customer numbering: the grouping engine under every per-customer analysis.
//
// Analytics group purchase rows by customer. Customer ids are arbitrary 64-bit values, so the
// first step maps each distinct id to a dense index 0..m-1, numbered in ascending id order, and
// gives every row the dense index of its customer. Per-customer state then lives in plain arrays
// indexed by that number (no hash map in the hot loops), and results come out already in the
// ascending-id order the public results use.
//
// Two paths, chosen automatically, with identical results:
//   - ids spanning a small range (max - min below about 4 per row): a presence bitmap over the
//     range plus per-word rank counts, small enough to stay in cache while rows are numbered;
//   - any other ids: the id range is split into partitions of consecutive ids (id_layout.hpp),
//     each with a small open-addressing hash table (tasks own ranges of partitions), then each
//     partition's distinct ids are radix-sorted to number all ids in ascending order.
// Thread-safe to call concurrently; the result does not depend on the thread count.
//
// Example (per-customer revenue):
//   const auto index = detail::build_customer_index(view.customer_ids, threads);
//   std::vector<double> revenue(index.size());
//   for (std::size_t row = 0; row < view.size(); ++row)
//     revenue[index.row_customer[row]] += view.amounts[row];
//   // revenue[c] belongs to customer index.ids[c]

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "crmkit/core/time.hpp"

namespace crmkit::analytics::detail {

/// Distinct customer ids in ascending order, and each row's index into them.
struct CustomerIndex {
  /// The row_customer value of a row left out by the time filter of build_customer_index.
  static constexpr std::uint32_t excluded = std::numeric_limits<std::uint32_t>::max();

  /// Distinct customer ids of the (included) rows, ascending.
  std::vector<std::int64_t> ids;
  /// Per input row: the index into `ids` of its customer, or `excluded`.
  std::vector<std::uint32_t> row_customer;

  /// Number of distinct customers.
  [[nodiscard]] std::size_t size() const noexcept { return ids.size(); }
  /// The dense index of `customer_id` (binary search), nullopt when it has no included row.
  [[nodiscard]] std::optional<std::uint32_t> find(std::int64_t customer_id) const noexcept;
};

/// Numbers the customers of every row. Deterministic: the result does not depend on `threads`
/// (0 = every hardware thread).
/// @throws ValidationError (field `customer_ids`) when there are 2^32 - 1 or more distinct ids.
[[nodiscard]] CustomerIndex build_customer_index(std::span<const std::int64_t> customer_ids,
                                                 unsigned threads);

/// As above, but rows with `times_us[row] > last_time_us` are left out: their row_customer is
/// CustomerIndex::excluded and a customer with no other row gets no index. Use it for an as_of
/// day with last_time_us = last_microsecond_of(as_of). `times_us` must be as long as `customer_ids`.
[[nodiscard]] CustomerIndex build_customer_index(std::span<const std::int64_t> customer_ids,
                                                 std::span<const std::int64_t> times_us,
                                                 std::int64_t last_time_us, unsigned threads);

/// Days since 1970-01-01 of a calendar day (negative before).
[[nodiscard]] std::int64_t days_since_epoch(Date day) noexcept;

/// The last microsecond of calendar day `day` (UTC): a purchase at time t is on or before `day`
/// exactly when t <= last_microsecond_of(day). Saturates at the int64 limits for far dates.
[[nodiscard]] std::int64_t last_microsecond_of(Date day) noexcept;

/// The calendar day (UTC) holding the instant `time_us`, for instants within the years Date
/// holds (-32767 to 32767).
[[nodiscard]] Date day_of(std::int64_t time_us) noexcept;

}  // namespace crmkit::analytics::detail
