#include "crmkit/analytics/abc.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "analytics/customer_groups.hpp"
#include "analytics/customer_index.hpp"
#include "analytics/parallel.hpp"
#include "analytics/purchase_checks.hpp"
#include "analytics/radix_sort.hpp"
#include "crmkit/core/error.hpp"

namespace crmkit::analytics {

namespace {

constexpr std::size_t preferred_group = std::size_t{1} << 14;

void check_thresholds(const AbcOptions& options) {
  if (!(options.a > 0 && options.a <= 1)) {
    throw ValidationError("a", fmt::format("{}", options.a), "must lie in 0 < a <= b <= 1");
  }
  if (!(options.b >= options.a && options.b <= 1)) {
    throw ValidationError("b", fmt::format("{}", options.b),
                          fmt::format("must lie in a <= b <= 1 (a is {})", options.a));
  }
}

std::size_t class_index(AbcClass abc_class) noexcept { return static_cast<std::size_t>(abc_class); }

// Ranks customers (ids ascending, revenue aligned with them) and classifies them.
AbcResult rank(std::span<const std::int64_t> ids, std::span<const double> revenue, const AbcOptions& options) {
  const std::size_t n = ids.size();
  AbcResult result;
  result.options = options;
  // Descending revenue; the stable sort keeps ascending ids among equal revenues.
  std::vector<std::uint64_t> keys(n);
  std::vector<std::uint32_t> order(n);
  for (std::size_t i = 0; i < n; ++i) {
    keys[i] = ~detail::order_key(revenue[i]);
    order[i] = static_cast<std::uint32_t>(i);
  }
  detail::radix_sort(keys, order);

  result.customer_ids.resize(n);
  result.revenue.resize(n);
  result.cumulative_share.resize(n);
  result.classes.resize(n);
  double cumulative = 0;
  for (std::size_t r = 0; r < n; ++r) {
    result.customer_ids[r] = ids[order[r]];
    result.revenue[r] = revenue[order[r]];
    cumulative += std::max(result.revenue[r], 0.0);
    result.cumulative_share[r] = cumulative;  // divided by the total below
  }
  // The total is the last cumulative sum, so the last positive customer's share is exactly 1.
  const double total = cumulative;
  result.total_revenue = total;
  double before = 0;  // share of the customers ranked before
  for (std::size_t r = 0; r < n; ++r) {
    const double share = total > 0 ? result.cumulative_share[r] / total : 0.0;
    result.cumulative_share[r] = share;
    AbcClass abc_class = AbcClass::C;
    if (result.revenue[r] > 0) {
      abc_class = before < options.a ? AbcClass::A : before < options.b ? AbcClass::B : AbcClass::C;
    }
    result.classes[r] = abc_class;
    AbcClassTotals& totals = result.totals[class_index(abc_class)];
    ++totals.customers;
    totals.revenue += result.revenue[r];
    before = share;
  }
  for (AbcClassTotals& totals : result.totals) {
    totals.customer_share = n > 0 ? static_cast<double>(totals.customers) / static_cast<double>(n) : 0.0;
    totals.revenue_share = total > 0 ? totals.revenue / total : 0.0;
  }
  return result;
}

}  // namespace

char to_char(AbcClass abc_class) noexcept {
  switch (abc_class) {
    case AbcClass::A: return 'A';
    case AbcClass::B: return 'B';
    case AbcClass::C: break;
  }
  return 'C';
}

AbcResult abc_analysis(const PurchaseView& purchases, const AbcOptions& options) {
  check_thresholds(options);
  const unsigned threads = detail::thread_count(0);
  const std::optional<std::int64_t> latest = detail::validate_view(purchases, threads);
  const bool filter = options.as_of && latest && *latest > detail::last_microsecond_of(*options.as_of);
  const detail::CustomerIndex index =
      filter ? detail::build_customer_index(purchases.customer_ids, purchases.times_us,
                                            detail::last_microsecond_of(*options.as_of), threads)
             : detail::build_customer_index(purchases.customer_ids, threads);

  // Each customer's revenue, summed in input order by the task that owns its group.
  const std::size_t group_size = detail::group_size_for(index.size(), preferred_group, index.size());
  const auto rows = detail::group_rows(purchases, index, group_size, threads,
                                       [](std::size_t) { return detail::NoExtra{}; });
  std::vector<double> revenue(index.size(), 0.0);
  detail::parallel_for(rows.groups(), threads, [&](std::size_t g) {
    double* group_revenue = revenue.data() + g * group_size;
    for (std::size_t i = rows.start[g]; i < rows.start[g + 1]; ++i) group_revenue[rows.local[i]] += rows.amounts[i];
  });
  return rank(index.ids, revenue, options);
}

AbcResult abc_analysis(std::span<const std::int64_t> customer_ids, std::span<const double> revenue,
                       const AbcOptions& options) {
  check_thresholds(options);
  const std::size_t n = customer_ids.size();
  if (revenue.size() != n) {
    throw ValidationError("revenue", fmt::format("{} values", revenue.size()),
                          fmt::format("must have as many values as customer_ids ({})", n));
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(revenue[i])) {
      throw ValidationError(fmt::format("revenue[{}]", i), fmt::format("{}", revenue[i]), "must be a finite number");
    }
  }
  std::vector<std::uint64_t> keys(n);
  std::vector<std::uint32_t> order(n);
  for (std::size_t i = 0; i < n; ++i) {
    keys[i] = detail::order_key(customer_ids[i]);
    order[i] = static_cast<std::uint32_t>(i);
  }
  detail::radix_sort(keys, order);
  std::vector<std::int64_t> ids(n);
  std::vector<double> sorted_revenue(n);
  for (std::size_t i = 0; i < n; ++i) {
    ids[i] = customer_ids[order[i]];
    sorted_revenue[i] = revenue[order[i]];
    if (i > 0 && ids[i] == ids[i - 1]) {
      throw ValidationError("customer_ids", std::to_string(ids[i]), "must be distinct: this id appears more than once");
    }
  }
  return rank(ids, sorted_revenue, options);
}

}  // namespace crmkit::analytics
