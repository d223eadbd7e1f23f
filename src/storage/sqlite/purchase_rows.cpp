#include "storage/sqlite/purchase_rows.hpp"

#include <algorithm>
#include <limits>

#include "storage/sqlite/codec.hpp"
#include "storage/sqlite/queries.hpp"

namespace crmkit::storage::sqlite {
namespace {

// Reads the columns named in queries.hpp, in their order.
Purchase purchase_at(const Query& q) {
  Purchase p;
  p.id = PurchaseId{q.int_at(0)};
  p.customer = CustomerId{q.int_at(1)};
  p.occurred_at = time_at(q, 2);
  p.amount = Money(q.int_at(3), currency_of(q.text_at(4)));
  p.order_ref = q.text_at(5);
  if (!q.is_null(6)) p.quantity = q.real_at(6);
  p.product_ref = q.text_at(7);
  return p;
}

const char* scan_sql(const PurchaseScan& scan) {
  // The currency is read only when the scan must check that there is just one.
  if (scan.currency) {
    return "SELECT customer_id, occurred_at, amount_minor FROM purchases "
           "WHERE currency = ?1 AND occurred_at >= ?2 AND (?3 IS NULL OR occurred_at < ?3) "
           "ORDER BY id";
  }
  return "SELECT customer_id, occurred_at, amount_minor, currency FROM purchases "
         "WHERE occurred_at >= ?2 AND (?3 IS NULL OR occurred_at < ?3) ORDER BY id";
}

template <class T>
void grow(std::vector<T>& column) {
  if (column.size() == column.capacity())
    column.reserve(std::max<std::size_t>(1024, 2 * column.size()));
}

}  // namespace

PurchaseInserter::PurchaseInserter(Connection& c)
    : c_(c),
      row_(c.query("INSERT INTO purchases (customer_id, occurred_at, amount_minor, currency, "
                   "order_ref, quantity, product_ref) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")) {}

std::int64_t PurchaseInserter::insert(const Purchase& p) {
  row_.reset();
  row_.bind_int(1, p.customer.value());
  row_.bind_int(2, micros(p.occurred_at));
  row_.bind_int(3, p.amount.minor_units());
  row_.bind_text_copy(4, p.amount.currency().code());  // three bytes: no heap allocation
  row_.bind_text(5, p.order_ref);
  if (p.quantity) {
    row_.bind_real(6, *p.quantity);
  } else {
    row_.bind_null(6);
  }
  row_.bind_text(7, p.product_ref);
  row_.run();
  return c_.last_insert_id();
}

std::optional<Purchase> load_purchase(Connection& c, PurchaseId id) {
  Query q = c.query(
      "SELECT id, customer_id, occurred_at, amount_minor, currency, order_ref, quantity, "
      "product_ref FROM purchases WHERE id = ?1");
  q.bind_int(1, id.value());
  if (!q.step()) return std::nullopt;
  return purchase_at(q);
}

bool delete_purchase_row(Connection& c, PurchaseId id) {
  return c.query("DELETE FROM purchases WHERE id = ?1").bind_int(1, id.value()).run() > 0;
}

std::vector<Purchase> find_purchase_rows(Connection& c, const PurchaseQuery& query,
                                         std::size_t rows) {
  Query q = c.query(query.customer ? sql::purchases_of_customer : sql::purchases_of_everyone);
  if (query.customer) q.bind_int(1, query.customer->value());
  q.bind_int(2, query.since ? micros(*query.since) : std::numeric_limits<std::int64_t>::min());
  q.bind_int(3, query.before ? micros(query.before->at) : std::numeric_limits<std::int64_t>::max());
  q.bind_int(4, query.before ? query.before->id : std::numeric_limits<std::int64_t>::max());
  q.bind_int(5, static_cast<std::int64_t>(rows));
  std::vector<Purchase> found;
  found.reserve(rows);
  while (q.step()) found.push_back(purchase_at(q));
  return found;
}

ScanResult scan_purchase_rows(Connection& c, const PurchaseScan& scan) {
  ScanResult result;
  PurchaseColumns& columns = result.columns;
  Query q = c.query(scan_sql(scan));
  if (scan.currency) q.bind_text_copy(1, scan.currency->code());
  q.bind_int(2, scan.since ? micros(*scan.since) : std::numeric_limits<std::int64_t>::min());
  // `until` is exclusive; NULL stands for none, so that the int64 maximum stays in range.
  if (scan.until) {
    q.bind_int(3, micros(*scan.until));
  } else {
    q.bind_null(3);
  }
  std::string first_currency;
  while (q.step()) {
    grow(columns.customer_ids);
    grow(columns.times_us);
    grow(columns.amounts_minor);
    columns.customer_ids.push_back(q.int_at(0));
    columns.times_us.push_back(q.int_at(1));
    columns.amounts_minor.push_back(q.int_at(2));
    if (!scan.currency) {
      // Compared in place: a string is made only for the first currency and for others met.
      if (result.currencies.empty()) {
        first_currency = q.text_at(3);
        result.currencies.insert(first_currency);
      } else if (!q.text_equals(3, first_currency)) {
        result.currencies.insert(q.text_at(3));
      }
    }
  }
  return result;
}

}  // namespace crmkit::storage::sqlite
