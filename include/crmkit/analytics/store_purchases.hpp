#pragma once
/// @file
/// Adapters that load purchase columns from a storage backend in bulk, so that every analysis runs
/// directly on a store: `rfm(store)`, `customer_summary(store, ...)`, `cohorts(store)`, ...

#include "crmkit/analytics/abc.hpp"
#include "crmkit/analytics/cohorts.hpp"
#include "crmkit/analytics/customer_summary.hpp"
#include "crmkit/analytics/purchases.hpp"
#include "crmkit/analytics/rfm.hpp"
#include "crmkit/storage/query.hpp"
#include "crmkit/storage/store.hpp"

namespace crmkit::analytics {

/// Converts scanned columns (amounts in minor units) to analytics columns (major units, e.g.
/// 1234 pence → 12.34), keeping the currency.
[[nodiscard]] PurchaseData to_purchase_data(const storage::PurchaseColumns& columns);

/// Loads the purchases `scan` selects with one Store::scan_purchases call.
/// @throws whatever the store throws, e.g. StorageError when purchases mix currencies and no
/// currency was chosen.
[[nodiscard]] PurchaseData load_purchases(storage::Store& store, const storage::PurchaseScan& scan = {});

/// customer_summary() of the purchases `scan` selects in `store`.
[[nodiscard]] CustomerSummary customer_summary(storage::Store& store, const SummaryOptions& options = {},
                                               const storage::PurchaseScan& scan = {});
/// rfm() of the purchases `scan` selects in `store`.
[[nodiscard]] RfmScores rfm(storage::Store& store, const RfmOptions& options = {},
                            const storage::PurchaseScan& scan = {});
/// cohorts() of the purchases `scan` selects in `store`.
[[nodiscard]] CohortTable cohorts(storage::Store& store, const CohortOptions& options = {},
                                  const storage::PurchaseScan& scan = {});
/// abc_analysis() of the purchases `scan` selects in `store`.
[[nodiscard]] AbcResult abc_analysis(storage::Store& store, const AbcOptions& options = {},
                                     const storage::PurchaseScan& scan = {});

}  // namespace crmkit::analytics
