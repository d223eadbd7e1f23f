#pragma once
// Rows regrouped by customer: the included rows of a view scattered into groups of consecutive
// dense customers (see customer_index.hpp), each group's rows kept in input order. A task then
// owns a group: its per-customer state is a small array that stays in cache, no two tasks touch
// the same customer, and sums come out in a fixed order whatever the thread count.

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "analytics/customer_index.hpp"
#include "analytics/parallel.hpp"
#include "crmkit/analytics/purchases.hpp"

namespace crmkit::analytics::detail {

/// Placeholder for "no extra value per row".
struct NoExtra {};

/// The included rows of a view, grouped by customer.
template <class Extra>
struct GroupedRows {
  std::size_t group_size = 1;        ///< customers per group: group g holds g·size .. (g+1)·size − 1
  std::vector<std::size_t> start;    ///< group g's rows are [start[g], start[g + 1])
  std::vector<std::uint32_t> local;  ///< the row's customer minus its group's first customer
  std::vector<double> amounts;       ///< the row's amount
  std::vector<Extra> extra;          ///< extra_of(row) (empty for NoExtra)

  /// Number of groups.
  [[nodiscard]] std::size_t groups() const noexcept { return start.empty() ? 0 : start.size() - 1; }
};

/// Groups of `preferred` customers (a power of two), or bigger ones (powers of two too) so that
/// there are at most `max_groups` groups (at least one). A power of two turns the group of a
/// customer into a shift in the hot loops.
[[nodiscard]] inline std::size_t group_size_for(std::size_t customers, std::size_t preferred,
                                                std::size_t max_groups) noexcept {
  std::size_t size = std::bit_ceil(std::max<std::size_t>(preferred, 1));
  while (chunk_count(customers, size) > std::max<std::size_t>(max_groups, 1)) size *= 2;
  return size;
}

/// Scatters the rows of `view` whose customer `index` includes into groups of `group_size` (a
/// power of two) customers, keeping input order within each group (a stable counting sort on fixed row
/// chunks: the result does not depend on `threads`). `extra_of(row)` gives a value stored per row.
template <class ExtraOf>
[[nodiscard]] auto group_rows(const PurchaseView& view, const CustomerIndex& index, std::size_t group_size,
                              unsigned threads, ExtraOf&& extra_of) {
  using Extra = std::invoke_result_t<ExtraOf&, std::size_t>;
  constexpr bool has_extra = !std::is_same_v<Extra, NoExtra>;
  constexpr std::size_t rows_per_task = std::size_t{1} << 18;
  const std::size_t rows = view.size();
  const std::size_t groups = chunk_count(index.size(), group_size);
  const std::size_t tasks = chunk_count(rows, rows_per_task);
  const int shift = std::countr_zero(group_size);

  std::vector<std::size_t> offsets(tasks * groups, 0);  // per task, per group
  parallel_for(tasks, threads, [&](std::size_t task) {
    const std::size_t end = std::min(rows, (task + 1) * rows_per_task);
    std::size_t* count = offsets.data() + task * groups;
    for (std::size_t row = task * rows_per_task; row < end; ++row) {
      const std::uint32_t c = index.row_customer[row];
      if (c != CustomerIndex::excluded) ++count[c >> shift];
    }
  });
  GroupedRows<Extra> out;
  out.group_size = group_size;
  out.start.assign(groups + 1, 0);
  std::size_t position = 0;
  for (std::size_t g = 0; g < groups; ++g) {  // group-major, then task order: stable
    out.start[g] = position;
    for (std::size_t task = 0; task < tasks; ++task) {
      const std::size_t here = offsets[task * groups + g];
      offsets[task * groups + g] = position;
      position += here;
    }
  }
  out.start[groups] = position;
  out.local.resize(position);
  out.amounts.resize(position);
  if constexpr (has_extra) out.extra.resize(position);
  parallel_for(tasks, threads, [&](std::size_t task) {
    const std::size_t end = std::min(rows, (task + 1) * rows_per_task);
    std::size_t* next = offsets.data() + task * groups;
    for (std::size_t row = task * rows_per_task; row < end; ++row) {
      const std::uint32_t c = index.row_customer[row];
      if (c == CustomerIndex::excluded) continue;
      const std::size_t slot = next[c >> shift]++;
      out.local[slot] = static_cast<std::uint32_t>(c & (group_size - 1));
      out.amounts[slot] = view.amounts[row];
      if constexpr (has_extra) out.extra[slot] = extra_of(row);
    }
  });
  return out;
}

}  // namespace crmkit::analytics::detail
