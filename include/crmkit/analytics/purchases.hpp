#pragma once
/// @file
/// Purchases as columns: the input of every analytics function.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "crmkit/core/money.hpp"

namespace crmkit::analytics {

/// Read-only purchase columns, one entry per purchase, in any order: the input of the analytics.
/// Customer ids are arbitrary 64-bit values (dense or not); times are microseconds since the Unix
/// epoch, UTC; amounts are in major units (e.g. pounds, not pence) and may be negative (returns).
/// The view does not own the data: the spans must outlive every call given the view.
struct PurchaseView {
  std::span<const std::int64_t> customer_ids;  ///< the purchasing customer of each row
  std::span<const std::int64_t> times_us;      ///< when, microseconds since 1970-01-01 UTC
  std::span<const double> amounts;             ///< how much, in major currency units

  /// Number of rows (the length of `customer_ids`).
  [[nodiscard]] std::size_t size() const noexcept { return customer_ids.size(); }
  /// True when there are no rows.
  [[nodiscard]] bool empty() const noexcept { return customer_ids.empty(); }

  /// Checks that the three columns have the same length and every amount is finite.
  /// @throws ValidationError naming the column (`times_us`, `amounts`, or `amounts[i]` with the
  /// row index) and the offending length or value.
  void validate() const;
};

/// Purchase columns that own their data, e.g. as loaded from a store or a CSV file.
struct PurchaseData {
  std::vector<std::int64_t> customer_ids;  ///< the purchasing customer of each row
  std::vector<std::int64_t> times_us;      ///< when, microseconds since 1970-01-01 UTC
  std::vector<double> amounts;             ///< how much, in major units of `currency`
  Currency currency;                       ///< the currency of every amount (XXX when unknown)

  /// Number of rows.
  [[nodiscard]] std::size_t size() const noexcept { return customer_ids.size(); }
  /// Reserves room for `rows` rows in every column.
  void reserve(std::size_t rows);
  /// Appends one row.
  void push_back(std::int64_t customer_id, std::int64_t time_us, double amount);
  /// A view of the columns, valid while this object lives and is not modified.
  [[nodiscard]] PurchaseView view() const noexcept { return {customer_ids, times_us, amounts}; }
};

}  // namespace crmkit::analytics
