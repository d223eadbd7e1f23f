#pragma once
// Per-customer purchase statistics in one pass over the rows: the engine under customer_summary
// and rfm.
//
// How it stays fast on ten million rows and a million customers:
//   - Customers are split into partitions of consecutive ids (id_layout.hpp: by id offset when
//     ids are dense, by a sampled histogram of the id range otherwise), so partition order is id
//     order: dense partitions come out sorted, sparse ones sort only their own few thousand ids.
//   - Rows are read in blocks of 2^20; each block is scattered by partition into a buffer
//     (stable, so a customer's rows keep their input order), then each partition's records are
//     added to its customers' state (a direct array for dense ids, a small open-addressing table
//     for sparse ones), that state streamed into cache first. No per-row index array, no global
//     hash table, and temporaries of a few MB, which the allocator can reuse between calls.
//   - Threads own ranges of partitions (each reads every row, branch-free); a customer's rows
//     are still added in input order, so results do not depend on the thread count.
//   - A customer whose rows are not in non-decreasing period order (rare: files and stores are
//     chronological) is flagged and recomputed from its rows sorted by period, ties in input
//     order, so shuffled input gives the same counts and, for exact amounts, the same sums.

#include <cstdint>
#include <vector>

#include "analytics/id_layout.hpp"
#include "crmkit/analytics/period.hpp"
#include "crmkit/analytics/purchases.hpp"

namespace crmkit::analytics::detail {

/// Everything the customer summary needs about one customer's purchases.
struct CustomerTotals {
  std::int64_t first_us = 0;  ///< earliest purchase time
  std::int64_t last_us = 0;   ///< latest purchase time
  double first_total = 0;     ///< spend in the first purchase period
  double repeat_total = 0;    ///< spend in the later purchase periods
  double total = 0;           ///< every amount, summed in the order RfmTotals::total uses
  std::uint32_t periods = 0;  ///< distinct purchase periods (0: no purchase in the window)
  std::int32_t last_period = 0;  ///< index of the latest purchase period (fits: |day| < 2^27)
};

/// What RFM needs about one customer: 16 bytes, so a partition's state stays in cache.
struct RfmTotals {
  double total = 0;            ///< every amount (same order and value as CustomerTotals::total)
  std::int32_t last_day = 0;   ///< day index of the latest purchase
  std::uint32_t periods = 0;   ///< distinct purchase periods (0: no purchase in the window)
};

/// Customers with at least one row in the window, ascending, and their totals.
template <class Totals>
struct CustomerAggregates {
  std::vector<std::int64_t> ids;  ///< ascending, each once
  std::vector<Totals> totals;     ///< aligned with ids
};

/// Summary totals of every customer with a purchase in `window`, purchases grouped by `period`.
/// The view must be valid (see validate_view). Results do not depend on `threads`.
[[nodiscard]] CustomerAggregates<CustomerTotals> summary_totals(const PurchaseView& view, Period period,
                                                                TimeWindow window, unsigned threads);

/// RFM totals of every customer with a purchase in `window`, purchases grouped by `period`.
/// `total` and `periods` equal those of summary_totals on the same input.
[[nodiscard]] CustomerAggregates<RfmTotals> rfm_totals(const PurchaseView& view, Period period, TimeWindow window,
                                                       unsigned threads);

}  // namespace crmkit::analytics::detail
