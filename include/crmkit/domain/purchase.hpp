#pragma once
/// @file
/// @brief Purchases: what the ERP feeds in, and what RFM and CLV consume.

#include <optional>
#include <string>

#include "crmkit/core/id.hpp"
#include "crmkit/core/money.hpp"
#include "crmkit/core/time.hpp"

namespace crmkit {

/// One purchase (order line or order) by a customer.
/// Rules (validate(const Purchase&)): customer set; `occurred_at` set; amount in a real
/// currency (not `XXX`); quantity finite and > 0 when set; order and product refs at most
/// 128 bytes of valid UTF-8. Amounts may be negative (refunds) — analytics decide what to keep.
struct Purchase {
  PurchaseId id;                  ///< assigned by the store on insert
  CustomerId customer;            ///< who bought
  Timestamp occurred_at{};        ///< when (UTC)
  Money amount;                   ///< how much, exact
  std::string order_ref;          ///< the order or invoice number in the host system
  std::optional<double> quantity; ///< units bought, when known
  std::string product_ref;        ///< product or SKU, when known
  /// Field-wise equality.
  friend bool operator==(const Purchase&, const Purchase&) = default;
};

}  // namespace crmkit
