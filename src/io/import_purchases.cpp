#include <fmt/format.h>

#include <cmath>
#include <fstream>

#include "crmkit/core/error.hpp"
#include "crmkit/domain/validation.hpp"
#include "crmkit/io/import.hpp"
#include "io/cells.hpp"
#include "io/csv_row.hpp"
#include "io/customer_keys.hpp"
#include "io/import_run.hpp"

namespace crmkit::io {
namespace {

using detail::Column;
using detail::Row;

// Validation runs before the customer is resolved, so that customers are created only for
// otherwise good rows; this stands in for the customer until then.
constexpr CustomerId unresolved_customer{1};

struct PurchaseColumns {
  Column customer;
  Column time;
  Column amount;
  Column unit_price;
  Column currency;
  Column order_ref;
  Column quantity;
  Column product_ref;

  // The column a validation field (`purchase.amount`, or `.amount` from a bulk append) maps to.
  [[nodiscard]] const Column& of(std::string_view field) const noexcept {
    if (field.ends_with("occurred_at")) return time;
    if (field.ends_with("amount")) return unit_price.present() ? unit_price : amount;
    if (field.ends_with("quantity")) return quantity;
    if (field.ends_with("order_ref")) return order_ref;
    if (field.ends_with("product_ref")) return product_ref;
    return customer;
  }
};

PurchaseColumns resolve_columns(const CsvReader& reader, const PurchaseImportOptions& options) {
  const detail::Header header(reader);
  PurchaseColumns c;
  c.customer = header.required(options.customer_column, "customer_column");
  c.time = header.required(options.time_column, "time_column");
  if (options.unit_price_column.empty()) {
    c.amount = header.required(options.amount_column, "amount_column");
    c.quantity = header.optional(options.quantity_column);
  } else {
    c.unit_price = header.required(options.unit_price_column, "unit_price_column");
    c.quantity = header.required(options.quantity_column,
                                 "quantity_column (amount = unit price x quantity)");
  }
  c.currency = header.optional(options.currency_column);
  c.order_ref = header.optional(options.order_ref_column);
  c.product_ref = header.optional(options.product_ref_column);
  if (!c.currency.present() && !options.default_currency) {
    header.fail_missing(options.currency_column.empty() ? "currency" : options.currency_column,
                        "amounts need a currency and no default_currency is set");
  }
  return c;
}

// Parses the cells of one row into a Purchase; the customer is left to the caller.
class PurchaseParser {
 public:
  PurchaseParser(const PurchaseColumns& columns, const PurchaseImportOptions& options)
      : c_(columns), options_(options) {}

  Purchase parse(const Row& row) {
    Purchase p;
    p.customer = unresolved_customer;
    p.occurred_at = row.parse(c_.time, [&](std::string_view text) {
      return detail::parse_time(text, options_.time_format, c_.time.name);
    });
    const Currency currency = currency_of(row);
    if (c_.unit_price.present()) {
      const std::int64_t units = whole_quantity(row);
      p.amount = row.parse(c_.unit_price, [&](std::string_view text) {
        return Money::parse(text, currency).times(units);
      });
      p.quantity = std::abs(static_cast<double>(units));
    } else {
      p.amount =
          row.parse(c_.amount, [&](std::string_view text) { return Money::parse(text, currency); });
      p.quantity = optional_quantity(row);
    }
    p.order_ref = std::string(row[c_.order_ref]);
    p.product_ref = std::string(row[c_.product_ref]);
    try {
      validate(p);
    } catch (const ValidationError& error) {
      row.fail(c_.of(error.field()), error);
    }
    return p;
  }

 private:
  Currency currency_of(const Row& row) {
    const std::string_view code = row[c_.currency];
    if (code.empty()) {
      if (options_.default_currency) return *options_.default_currency;
      row.fail(c_.currency, "", "must not be empty: no default_currency is set");
    }
    if (code != last_code_) {
      last_currency_ = row.parse(c_.currency, [](std::string_view text) { return Currency(text); });
      last_code_.assign(code);
    }
    return last_currency_;
  }

  std::int64_t whole_quantity(const Row& row) const {
    const std::string_view text = row[c_.quantity];
    // `6.0` is six whole units too (spreadsheets write integers that way).
    const std::optional<std::int64_t> units = detail::to_int(detail::strip_decimal_zeros(text));
    if (!units) {
      row.fail(c_.quantity, std::string(text),
               "is not a whole number: amount = unit price x quantity needs whole units");
    }
    return *units;
  }

  std::optional<double> optional_quantity(const Row& row) const {
    const std::string_view text = row[c_.quantity];
    if (text.empty()) return std::nullopt;
    const std::optional<double> units = detail::to_double(text);
    if (!units) row.fail(c_.quantity, std::string(text), "is not a number");
    return std::abs(*units);
  }

  const PurchaseColumns& c_;
  const PurchaseImportOptions& options_;
  std::string last_code_;
  Currency last_currency_;
};

}  // namespace

ImportReport import_purchases(storage::Store& store, CsvReader& reader,
                              const PurchaseImportOptions& options) {
  const PurchaseColumns columns = resolve_columns(reader, options);
  PurchaseParser parser(columns, options);
  detail::ImportRun run(store, reader, options);
  detail::CustomerKeys keys(store, options, LifecycleStage::customer, options.clock());
  const auto make = [&](const Row& row, std::string_view key) {
    detail::require_customer_key(row, columns.customer, key);
    Purchase purchase = parser.parse(row);
    purchase.customer = row.parse(
        columns.customer, [&](std::string_view) { return keys.resolve(key, run.report()); });
    return purchase;
  };
  return detail::import_customer_rows<Purchase>(
      run, keys, options, columns.customer, "purchases", "purchase", make,
      [&](std::vector<Purchase>& records) { store.append_purchases(records); },
      [&](std::string_view field) { return columns.of(field); });
}

ImportReport import_purchases(storage::Store& store, const std::filesystem::path& file,
                              const PurchaseImportOptions& options) {
  CsvReader reader(file, options.format);
  return import_purchases(store, reader, options);
}

ImportReport import_purchases(storage::Store& store, std::istream& in, const std::string& source,
                              const PurchaseImportOptions& options) {
  CsvReader reader(in, source, options.format);
  return import_purchases(store, reader, options);
}

}  // namespace crmkit::io
