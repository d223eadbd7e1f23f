#pragma once
// Purchases in their table: the bulk insert, the newest-first list and the column scan.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "crmkit/domain/purchase.hpp"
#include "crmkit/storage/query.hpp"
#include "storage/sqlite/connection.hpp"

namespace crmkit::storage::sqlite {

/// Inserts purchases (already checked) one after another through one prepared statement.
class PurchaseInserter {
 public:
  explicit PurchaseInserter(Connection& c);
  /// Inserts one purchase; returns its new id.
  std::int64_t insert(const Purchase& purchase);

 private:
  Connection& c_;
  Query row_;
};

/// The stored purchase, or nullopt.
std::optional<Purchase> load_purchase(Connection& c, PurchaseId id);
/// Deletes a purchase. Returns false when there was none.
bool delete_purchase_row(Connection& c, PurchaseId id);
/// The purchases matching `query`, newest first, at most `rows` of them.
std::vector<Purchase> find_purchase_rows(Connection& c, const PurchaseQuery& query,
                                         std::size_t rows);

/// The columns of a scan, and the distinct currencies met when the scan asked for none.
struct ScanResult {
  PurchaseColumns columns;
  std::set<std::string> currencies;
};
/// Reads the purchases in `scan` column-wise, in id order, with one statement.
ScanResult scan_purchase_rows(Connection& c, const PurchaseScan& scan);

}  // namespace crmkit::storage::sqlite
