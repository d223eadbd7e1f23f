#include "crmkit/analytics/store_purchases.hpp"


namespace crmkit::analytics {

PurchaseData to_purchase_data(const storage::PurchaseColumns& columns) {
  PurchaseData data;
  data.customer_ids = columns.customer_ids;
  data.times_us = columns.times_us;
  data.currency = columns.currency;
  // minor / 10^exponent: both exact doubles (for amounts below 2^53 minor units), so the division
  // gives the double nearest to the decimal amount, as parsing its text would (1234 -> 12.34).
  double scale = 1;
  for (int i = 0; i < columns.currency.exponent(); ++i) scale *= 10;
  data.amounts.resize(columns.amounts_minor.size());
  for (std::size_t i = 0; i < columns.amounts_minor.size(); ++i) {
    data.amounts[i] = static_cast<double>(columns.amounts_minor[i]) / scale;
  }
  return data;
}

PurchaseData load_purchases(storage::Store& store, const storage::PurchaseScan& scan) {
  return to_purchase_data(store.scan_purchases(scan));
}

CustomerSummary customer_summary(storage::Store& store, const SummaryOptions& options,
                                 const storage::PurchaseScan& scan) {
  const PurchaseData data = load_purchases(store, scan);
  return customer_summary(data.view(), options);
}

RfmScores rfm(storage::Store& store, const RfmOptions& options, const storage::PurchaseScan& scan) {
  const PurchaseData data = load_purchases(store, scan);
  return rfm(data.view(), options);
}

CohortTable cohorts(storage::Store& store, const CohortOptions& options, const storage::PurchaseScan& scan) {
  const PurchaseData data = load_purchases(store, scan);
  return cohorts(data.view(), options);
}

AbcResult abc_analysis(storage::Store& store, const AbcOptions& options, const storage::PurchaseScan& scan) {
  const PurchaseData data = load_purchases(store, scan);
  return abc_analysis(data.view(), options);
}

}  // namespace crmkit::analytics
