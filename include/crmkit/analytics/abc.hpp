#pragma once
/// @file
/// ABC (Pareto) analysis: customers ranked by revenue, cumulative revenue share, classes A/B/C.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "crmkit/analytics/purchases.hpp"
#include "crmkit/core/time.hpp"

namespace crmkit::analytics {

/// An ABC class.
enum class AbcClass : std::uint8_t {
  A,  ///< the few customers that bring most of the revenue
  B,  ///< the middle
  C   ///< the long tail, and every customer with no positive revenue
};

/// `A`, `B` or `C`.
[[nodiscard]] char to_char(AbcClass abc_class) noexcept;

/// Class thresholds on the cumulative revenue share.
struct AbcOptions {
  /// A customer is class A when the revenue share of the customers ranked before it is below `a`
  /// (so the customer that crosses `a` is still A), class B when it is below `b`, else C.
  double a = 0.80;
  double b = 0.95;  ///< see `a`; a ≤ b ≤ 1
  /// The last day counted (inclusive); later purchases are ignored. Unset: every purchase.
  std::optional<Date> as_of;
};

/// Totals of one class.
struct AbcClassTotals {
  std::int64_t customers = 0;  ///< customers in the class
  double revenue = 0;          ///< their revenue
  double customer_share = 0;   ///< customers / all customers
  double revenue_share = 0;    ///< revenue / total positive revenue (0 when there is none)
};

/// Customers ranked by revenue, descending, ties by customer id ascending, as columns.
struct AbcResult {
  std::vector<std::int64_t> customer_ids;  ///< in rank order
  std::vector<double> revenue;             ///< each customer's total revenue
  /// Positive revenue of this customer and every one ranked before it, over the total positive
  /// revenue (0..1; 0 everywhere when no revenue is positive).
  std::vector<double> cumulative_share;
  std::vector<AbcClass> classes;           ///< each customer's class
  std::array<AbcClassTotals, 3> totals{};  ///< per class, indexed by AbcClass
  double total_revenue = 0;                ///< sum of the positive revenues
  AbcOptions options;                      ///< the thresholds used

  /// Number of customers.
  [[nodiscard]] std::size_t size() const noexcept { return customer_ids.size(); }
};

/// ABC analysis of purchases: each customer's revenue is the sum of their amounts.
/// @throws ValidationError on an inconsistent view or thresholds outside 0 < a ≤ b ≤ 1
/// (field `a` or `b`).
[[nodiscard]] AbcResult abc_analysis(const PurchaseView& purchases, const AbcOptions& options = {});

/// ABC analysis of per-customer revenue already computed (e.g. RfmScores::monetary); ids must be
/// distinct.
/// @throws ValidationError when the spans differ in length, an id repeats (field
/// `customer_ids`), a revenue is not finite, or the thresholds are invalid.
[[nodiscard]] AbcResult abc_analysis(std::span<const std::int64_t> customer_ids,
                                     std::span<const double> revenue, const AbcOptions& options = {});

}  // namespace crmkit::analytics
