#include "crmkit/analytics/cohorts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <string>

#include "analytics/customer_groups.hpp"
#include "analytics/customer_index.hpp"
#include "analytics/parallel.hpp"
#include "analytics/period_math.hpp"
#include "analytics/purchase_checks.hpp"
#include "crmkit/core/error.hpp"

namespace crmkit::analytics {

namespace {

// Day periods over more than 22 years would make a table of more than 8192 x 8192 cells (1 GiB):
// refused rather than allocated.
constexpr std::int64_t max_ages = 8192;
// Customers per group, when the table is small enough for a copy per group.
constexpr std::size_t preferred_group = std::size_t{1} << 14;
// The per-group partial tables may use this much memory in all; bigger tables get fewer groups.
constexpr std::size_t partial_table_budget = std::size_t{64} << 20;
constexpr std::size_t rows_per_task = std::size_t{1} << 18;

std::int32_t period_of(std::int64_t time_us, Period period) noexcept {
  // |day| <= 106,751,992 for every int64 time: every period index fits in 32 bits.
  return static_cast<std::int32_t>(detail::period_of_day(detail::day_index(time_us), period));
}

// The earliest time among the rows `index` includes: its period is the first cohort's.
std::int64_t earliest_included(const PurchaseView& view, const detail::CustomerIndex& index, unsigned threads) {
  const std::size_t tasks = detail::chunk_count(view.size(), rows_per_task);
  std::vector<std::int64_t> earliest(tasks, std::numeric_limits<std::int64_t>::max());
  detail::parallel_for(tasks, threads, [&](std::size_t task) {
    const std::size_t end = std::min(view.size(), (task + 1) * rows_per_task);
    std::int64_t e = std::numeric_limits<std::int64_t>::max();
    for (std::size_t row = task * rows_per_task; row < end; ++row) {
      if (index.row_customer[row] != detail::CustomerIndex::excluded) e = std::min(e, view.times_us[row]);
    }
    earliest[task] = e;
  });
  return *std::min_element(earliest.begin(), earliest.end());
}

// One group's share of the table: counts and revenue per cell, and customers per cohort.
struct Partial {
  std::vector<std::int64_t> active;
  std::vector<double> revenue;
  std::vector<std::int64_t> sizes;
};

// Fills `part` from the rows of group g (`customers` customers; each row's extra value is its
// period). Cohort c is the period base + c.
void count_group(const detail::GroupedRows<std::int32_t>& rows, std::size_t g, std::size_t customers,
                 std::int64_t base, std::size_t ages, Partial& part) {
  const std::size_t begin = rows.start[g];
  const std::size_t end = rows.start[g + 1];
  // Each customer's first period, and whether its periods ever go back in input order.
  std::vector<std::int32_t> first(customers, std::numeric_limits<std::int32_t>::max());
  std::vector<std::int32_t> last(customers, std::numeric_limits<std::int32_t>::min());
  std::vector<std::uint8_t> disordered(customers, 0);
  for (std::size_t i = begin; i < end; ++i) {
    const std::uint32_t c = rows.local[i];
    const std::int32_t p = rows.extra[i];
    first[c] = std::min(first[c], p);
    if (p < last[c]) disordered[c] = 1;
    last[c] = std::max(last[c], p);
  }
  for (std::size_t c = 0; c < customers; ++c) {
    if (first[c] != std::numeric_limits<std::int32_t>::max()) {
      ++part.sizes[static_cast<std::size_t>(first[c] - base)];
    }
  }
  // A customer is active at an age once, however many purchases it made then. In time order a
  // new age is one above the last seen; customers out of order are counted from their sorted ages.
  std::vector<std::int32_t> last_age(customers, -1);
  struct Seen {
    std::uint32_t customer;
    std::int32_t age;
    auto operator<=>(const Seen&) const = default;
  };
  std::vector<Seen> unordered;
  for (std::size_t i = begin; i < end; ++i) {
    const std::uint32_t c = rows.local[i];
    const std::int32_t age = rows.extra[i] - first[c];
    const std::size_t cell = static_cast<std::size_t>(first[c] - base) * ages + static_cast<std::size_t>(age);
    part.revenue[cell] += rows.amounts[i];
    if (disordered[c] != 0) {
      unordered.push_back({c, age});
    } else if (age > last_age[c]) {
      ++part.active[cell];
      last_age[c] = age;
    }
  }
  std::sort(unordered.begin(), unordered.end());
  unordered.erase(std::unique(unordered.begin(), unordered.end()), unordered.end());
  for (const Seen& seen : unordered) {
    ++part.active[static_cast<std::size_t>(first[seen.customer] - base) * ages + static_cast<std::size_t>(seen.age)];
  }
}

}  // namespace

CohortTable cohorts(const PurchaseView& purchases, const CohortOptions& options) {
  const unsigned threads = detail::thread_count(options.threads);
  const std::optional<std::int64_t> latest = detail::validate_view(purchases, threads);
  const Date as_of = options.as_of.value_or(
      latest ? detail::day_of(*latest) : Date{std::chrono::year{1970}, std::chrono::January, std::chrono::day{1}});
  const std::int64_t last_us = detail::last_microsecond_of(as_of);
  const detail::CustomerIndex index =
      (latest && *latest <= last_us)
          ? detail::build_customer_index(purchases.customer_ids, threads)
          : detail::build_customer_index(purchases.customer_ids, purchases.times_us, last_us, threads);

  CohortTable table;
  table.period = options.period;
  table.as_of = as_of;
  if (index.size() == 0) return table;

  const Period period = options.period;
  const std::int64_t earliest = earliest_included(purchases, index, threads);
  const std::int64_t base = period_of(earliest, period);
  const std::int64_t span = period_index(as_of, period) - base + 1;
  if (span > max_ages) {
    throw ValidationError("period", std::string(to_string(period)),
                          fmt::format("gives {} cohorts from {} to the as_of day {}: at most {} are "
                                      "allowed (choose a longer period or a later as_of)",
                                      span, format_date(period_start(base, period)), format_date(as_of),
                                      max_ages));
  }
  const auto ages = static_cast<std::size_t>(span);
  const std::size_t cells = ages * ages;

  // One partial table per group, so that groups run in parallel; their sum, in group order,
  // does not depend on the thread count.
  const std::size_t table_bytes = cells * (sizeof(std::int64_t) + sizeof(double));
  const std::size_t group_size =
      detail::group_size_for(index.size(), preferred_group, partial_table_budget / table_bytes);
  // Every included row falls on a day from the first purchase to as_of: a table of those days'
  // periods replaces the calendar arithmetic per row.
  const std::int64_t first_day = detail::day_index(earliest);
  const std::int64_t last_day = detail::days_since_epoch(as_of);
  std::vector<std::int32_t> period_of_day(static_cast<std::size_t>(last_day - first_day + 1));
  for (std::size_t d = 0; d < period_of_day.size(); ++d) {
    period_of_day[d] = static_cast<std::int32_t>(
        detail::period_of_day(first_day + static_cast<std::int64_t>(d), period));
  }
  const auto rows = detail::group_rows(purchases, index, group_size, threads, [&](std::size_t row) {
    return period_of_day[static_cast<std::size_t>(detail::day_index(purchases.times_us[row]) - first_day)];
  });
  std::vector<Partial> parts(rows.groups());
  detail::parallel_for(parts.size(), threads, [&](std::size_t g) {
    Partial& part = parts[g];
    part.active.assign(cells, 0);
    part.revenue.assign(cells, 0.0);
    part.sizes.assign(ages, 0);
    const std::size_t customers = std::min(group_size, index.size() - g * group_size);
    count_group(rows, g, customers, base, ages, part);
  });

  table.cohorts.resize(ages);
  for (std::size_t c = 0; c < ages; ++c) table.cohorts[c] = period_start(base + static_cast<std::int64_t>(c), period);
  table.ages = ages;
  if (parts.size() == 1) {
    table.active = std::move(parts[0].active);
    table.revenue = std::move(parts[0].revenue);
    table.sizes = std::move(parts[0].sizes);
    return table;
  }
  table.active.assign(cells, 0);
  table.revenue.assign(cells, 0.0);
  table.sizes.assign(ages, 0);
  const std::size_t cell_tasks = detail::chunk_count(cells, rows_per_task);
  detail::parallel_for(cell_tasks, threads, [&](std::size_t task) {
    const std::size_t end = std::min(cells, (task + 1) * rows_per_task);
    for (const Partial& part : parts) {
      for (std::size_t cell = task * rows_per_task; cell < end; ++cell) {
        table.active[cell] += part.active[cell];
        table.revenue[cell] += part.revenue[cell];
      }
    }
  });
  for (const Partial& part : parts) {
    for (std::size_t c = 0; c < ages; ++c) table.sizes[c] += part.sizes[c];
  }
  return table;
}

}  // namespace crmkit::analytics
