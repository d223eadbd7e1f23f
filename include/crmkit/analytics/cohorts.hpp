#pragma once
/// @file
/// Cohort analysis: customers grouped by acquisition period, followed period by period.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "crmkit/analytics/period.hpp"
#include "crmkit/analytics/purchases.hpp"
#include "crmkit/core/time.hpp"

namespace crmkit::analytics {

/// How a cohort table is computed.
struct CohortOptions {
  /// The cohort and age period: a customer's cohort is the period of their first purchase, and age
  /// a counts the periods since (0 = the acquisition period). Months by default.
  Period period = Period::month;
  /// The last day observed (inclusive); later purchases are ignored. Unset: the latest purchase day.
  std::optional<Date> as_of;
  unsigned threads = 0;  ///< worker threads, 0 = all hardware threads; results never depend on it
};

/// Cohorts × ages, as row-major matrices: cell (c, a) is cohort c at age a.
struct CohortTable {
  Period period = Period::month;     ///< the cohort and age period
  Date as_of{};                      ///< the last day observed
  std::vector<Date> cohorts;         ///< first day of each acquisition period, ascending, no gaps
  std::vector<std::int64_t> sizes;   ///< customers acquired in each cohort
  std::size_t ages = 0;              ///< columns: ages 0 .. ages − 1 (the oldest cohort's span)
  /// Customers of the cohort with at least one purchase at that age (cohorts × ages).
  std::vector<std::int64_t> active;
  std::vector<double> revenue;       ///< sum of the cohort's purchase amounts at that age (cohorts × ages)

  /// Number of cohorts.
  [[nodiscard]] std::size_t size() const noexcept { return cohorts.size(); }
  /// Whether age `age` of cohort `cohort` lies on or before as_of (later cells are 0, not data).
  [[nodiscard]] bool observed(std::size_t cohort, std::size_t age) const noexcept {
    return cohort < cohorts.size() && age + cohort < ages;
  }
  /// Active customers at (cohort, age). @throws std::out_of_range outside the table.
  [[nodiscard]] std::int64_t active_at(std::size_t cohort, std::size_t age) const {
    return active.at(cell(cohort, age));
  }
  /// Revenue at (cohort, age). @throws std::out_of_range outside the table.
  [[nodiscard]] double revenue_at(std::size_t cohort, std::size_t age) const {
    return revenue.at(cell(cohort, age));
  }
  /// Retention rate: active / cohort size (1 at age 0). @throws std::out_of_range outside the table.
  [[nodiscard]] double retention(std::size_t cohort, std::size_t age) const {
    return static_cast<double>(active_at(cohort, age)) / static_cast<double>(sizes.at(cohort));
  }

 private:
  std::size_t cell(std::size_t cohort, std::size_t age) const {
    return age < ages ? cohort * ages + age : active.size();
  }
};

/// Builds the cohort table. Cohorts run without gaps from the first acquisition period to the
/// as_of period (a period with no new customer has size 0). Because cohort periods are
/// consecutive, cell (c, a) is observed exactly when c + a < ages.
/// @throws ValidationError on an inconsistent view, or when the data span more than 8192 periods
/// (field `period`: e.g. day cohorts over 22 years; use a longer period).
[[nodiscard]] CohortTable cohorts(const PurchaseView& purchases, const CohortOptions& options = {});

}  // namespace crmkit::analytics
