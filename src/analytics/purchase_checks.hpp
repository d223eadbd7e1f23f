#pragma once
// The one pass every analysis makes over its input first: the checks of PurchaseView::validate,
// spread over threads, and the latest purchase time (the default end of the observation window).

#include <cstdint>
#include <optional>

#include "crmkit/analytics/purchases.hpp"

namespace crmkit::analytics::detail {

/// Checks `view` as PurchaseView::validate does (the same error for the same input, the first bad
/// row reported whatever the thread count) and returns the latest time, nullopt when empty.
/// @throws ValidationError as PurchaseView::validate.
[[nodiscard]] std::optional<std::int64_t> validate_view(const PurchaseView& view, unsigned threads);

}  // namespace crmkit::analytics::detail
