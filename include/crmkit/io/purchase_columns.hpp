#pragma once
/// @file
/// Reads a purchases CSV file straight into analytics columns, without a store: the fast path of
/// `crmkit rfm --input FILE`.

#include <cstdint>
#include <filesystem>
#include <string>

#include "crmkit/analytics/purchases.hpp"
#include "crmkit/io/csv_reader.hpp"
#include "crmkit/io/import.hpp"

namespace crmkit::io {

/// Which columns hold what, and which rows to drop. Defaults read `customer_id,timestamp,amount`.
struct PurchaseColumnsOptions {
  std::string customer_column = "customer_id";  ///< integer customer ids (any 64-bit value)
  std::string time_column = "timestamp";        ///< purchase times, written as `time_format` says
  /// The amount in major units. Ignored when `unit_price_column` and `quantity_column` are both
  /// set: the amount is then unit price × quantity.
  std::string amount_column = "amount";
  std::string unit_price_column;  ///< price of one unit (with `quantity_column`)
  std::string quantity_column;    ///< number of units (with `unit_price_column`)
  TimeFormat time_format = TimeFormat::iso8601;  ///< how times are written
  /// Accept float-looking ids such as `17850.0` (as in the Online Retail file) as `17850`.
  bool strip_decimal_zero_keys = false;
  /// Drop rows with an empty customer id instead of failing (counted in the report).
  bool skip_rows_without_customer = false;
  /// Drop rows whose quantity (or amount, without a quantity column) is zero or negative:
  /// returns and adjustments (counted in the report).
  bool skip_nonpositive = false;
  /// With `exclude_prefix`, drop rows whose `exclude_column` starts with it, e.g. cancelled
  /// invoices: column `InvoiceNo`, prefix `C` (counted in the report).
  std::string exclude_column;
  std::string exclude_prefix;  ///< see `exclude_column`
  CsvFormat format;            ///< delimiter, quote, header (a header is required)
  /// Worker threads for parsing, 0 = all hardware threads. Only plain (not gzip) files without
  /// quote characters are split between threads; results never depend on this number.
  unsigned threads = 0;
};

/// What reading kept and dropped.
struct PurchaseColumnsReport {
  std::uint64_t rows_read = 0;              ///< data rows in the file
  std::uint64_t rows_kept = 0;              ///< rows in the result
  std::uint64_t rows_without_customer = 0;  ///< dropped by `skip_rows_without_customer`
  std::uint64_t rows_nonpositive = 0;       ///< dropped by `skip_nonpositive`
  std::uint64_t rows_excluded = 0;          ///< dropped by `exclude_column`/`exclude_prefix`
};

/// Reads `path` (plain or gzip CSV) into purchase columns, in file order. The currency is left
/// unset (XXX): a CSV file of amounts does not say it.
/// @throws ParseError naming the file, line, column, cell text and rule for a missing column, a
/// bad id, time or number; Error when the file cannot be read; ValidationError for inconsistent
/// options (field named).
[[nodiscard]] analytics::PurchaseData read_purchase_columns(const std::filesystem::path& path,
                                                            const PurchaseColumnsOptions& options = {},
                                                            PurchaseColumnsReport* report = nullptr);

}  // namespace crmkit::io
