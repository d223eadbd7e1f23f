#include "crmkit/analytics/purchases.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <string>

#include <fmt/format.h>

#include "analytics/parallel.hpp"
#include "analytics/purchase_checks.hpp"
#include "crmkit/core/error.hpp"

namespace crmkit::analytics {

namespace detail {

namespace {

constexpr std::size_t rows_per_task = std::size_t{1} << 18;

// Inf and NaN are exactly the doubles with every exponent bit set; testing the bits keeps the
// loop branch-free and vectorizable.
constexpr bool is_finite_bits(double value) noexcept {
  constexpr std::uint64_t exponent = 0x7FF0'0000'0000'0000ULL;
  return (std::bit_cast<std::uint64_t>(value) & exponent) != exponent;
}

}  // namespace

std::optional<std::int64_t> validate_view(const PurchaseView& view, unsigned threads) {
  const std::size_t rows = view.customer_ids.size();
  if (view.times_us.size() != rows) {
    throw ValidationError("times_us", fmt::format("{} rows", view.times_us.size()),
                          fmt::format("must have as many rows as customer_ids ({})", rows));
  }
  if (view.amounts.size() != rows) {
    throw ValidationError("amounts", fmt::format("{} rows", view.amounts.size()),
                          fmt::format("must have as many rows as customer_ids ({})", rows));
  }
  if (rows == 0) return std::nullopt;
  struct Part {
    std::int64_t latest = std::numeric_limits<std::int64_t>::min();
    std::size_t first_bad = std::numeric_limits<std::size_t>::max();
  };
  const std::size_t tasks = chunk_count(rows, rows_per_task);
  std::vector<Part> parts(tasks);
  parallel_for(tasks, threads, [&](std::size_t task) {
    const std::size_t begin = task * rows_per_task;
    const std::size_t end = std::min(rows, begin + rows_per_task);
    std::int64_t latest = std::numeric_limits<std::int64_t>::min();
    bool all_finite = true;
    for (std::size_t row = begin; row < end; ++row) {
      latest = std::max(latest, view.times_us[row]);
      all_finite &= is_finite_bits(view.amounts[row]);
    }
    Part part{latest, std::numeric_limits<std::size_t>::max()};
    if (!all_finite) {
      for (std::size_t row = begin; row < end; ++row) {
        if (!is_finite_bits(view.amounts[row])) {
          part.first_bad = row;
          break;
        }
      }
    }
    parts[task] = part;
  });
  std::int64_t latest = std::numeric_limits<std::int64_t>::min();
  for (const Part& part : parts) {
    if (part.first_bad != std::numeric_limits<std::size_t>::max()) {
      throw ValidationError(fmt::format("amounts[{}]", part.first_bad), fmt::format("{}", view.amounts[part.first_bad]),
                            "must be a finite number");
    }
    latest = std::max(latest, part.latest);
  }
  return latest;
}

}  // namespace detail

void PurchaseView::validate() const { (void)detail::validate_view(*this, 1); }

void PurchaseData::reserve(std::size_t rows) {
  customer_ids.reserve(rows);
  times_us.reserve(rows);
  amounts.reserve(rows);
}

void PurchaseData::push_back(std::int64_t customer_id, std::int64_t time_us, double amount) {
  customer_ids.push_back(customer_id);
  times_us.push_back(time_us);
  amounts.push_back(amount);
}

}  // namespace crmkit::analytics
