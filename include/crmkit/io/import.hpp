#pragma once
/// @file
/// @brief Bulk CSV import of customers, purchases and interactions into any Store.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "crmkit/core/id.hpp"
#include "crmkit/core/money.hpp"
#include "crmkit/core/time.hpp"
#include "crmkit/io/csv_reader.hpp"
#include "crmkit/storage/store.hpp"

namespace crmkit::io {

/// What a bad row does to an import.
enum class OnError {
  abort,  ///< all-or-nothing (default): the first bad row throws ParseError and nothing is written
  skip    ///< skip-and-report: bad rows are listed in the report, every good batch is committed
};

/// What happens to a purchase or interaction whose customer key is not yet in the store.
enum class MissingCustomers {
  create,  ///< create a customer from the key (its external ref), as a person named by the key
  reject   ///< the row is bad
};

/// What a customer import does with a row whose external ref is already taken in the store.
enum class ExistingCustomers {
  reject,  ///< the row is bad (default)
  skip,    ///< leave the stored customer alone and count the row in ImportReport::rows_unchanged
  update   ///< replace the stored customer's fields with the row's (keeping its id)
};

/// How timestamps are written in the file.
enum class TimeFormat {
  iso8601,  ///< `2011-12-09 12:50:00`, `2011-12-09T12:50:00Z`, `2011-12-09` (see parse_timestamp)
  compact_date,  ///< `20111209` (as in the CDNOW files): that day's midnight UTC
  unix_seconds   ///< seconds since the Unix epoch, an integer (possibly negative)
};

/// Progress of an import, reported through ImportOptions::progress.
struct Progress {
  std::uint64_t rows = 0;         ///< data rows read so far
  std::uint64_t bytes_read = 0;   ///< input bytes consumed (compressed bytes for gzip)
  std::uint64_t bytes_total = 0;  ///< input size when known, else 0
};

/// A rejected row, in skip mode.
struct RowError {
  std::uint64_t line = 0;    ///< 1-based line of the row
  std::uint64_t column = 0;  ///< 1-based column of the offending field (0 when the row as a whole)
  std::string field;         ///< the CSV column name at fault (a domain field when no column maps)
  std::string value;         ///< the offending value
  std::string message;       ///< the full message, as a ParseError would say it
};

/// Customer ids of an exported file (the `id` column of a customers export, or the `N` of a
/// `#N` key) mapped to the ids the same customers received on import. import_customers() fills
/// one in ImportReport::customer_ids; pass it on through KeyedImportOptions::customer_ids.
using CustomerIdMap = std::unordered_map<std::int64_t, CustomerId>;

/// What an import did.
struct ImportReport {
  std::uint64_t rows_read = 0;              ///< data rows read (header excluded)
  std::uint64_t rows_imported = 0;          ///< rows written (inserted or updated)
  std::uint64_t rows_rejected = 0;          ///< bad rows skipped (skip mode), all counted
  std::uint64_t rows_without_customer = 0;  ///< rows dropped by `skip_rows_without_customer`
  std::uint64_t rows_unchanged = 0;         ///< customers left alone by ExistingCustomers::skip
  std::uint64_t customers_created = 0;      ///< customers created from unknown keys
  std::vector<RowError> errors;  ///< skipped rows, in file order (at most `max_reported_errors`)
  CustomerIdMap customer_ids;    ///< import_customers(): the file's `id` column → new ids
};

/// Settings shared by every import.
///
/// Transactions: in abort mode the whole file is imported in one store Transaction, so a bad row
/// leaves the store as it was. In skip mode each batch of `batch_size` rows is one Transaction;
/// bad rows are left out of their batch and reported, and a failure that cannot be pinned on a
/// row (the store itself failing) rolls back the current batch and throws, keeping the batches
/// committed before it.
struct ImportOptions {
  /// Delimiter and quote of the file and stream overloads; imports find their columns by
  /// header name, so `header` must stay true.
  CsvFormat format;
  OnError on_error = OnError::abort;  ///< all-or-nothing or skip-and-report
  /// Rows per bulk append to the store (and per transaction in skip mode); 0 counts as 1.
  std::size_t batch_size = 10000;
  std::function<void(const Progress&)> progress;  ///< called after each batch, and at the end
  std::size_t max_reported_errors = 1000;         ///< errors kept in the report (all are counted)
  /// Stamps the `created_at`/`updated_at` of records whose file has no such column, and of
  /// customers created from keys.
  Clock clock = &crmkit::now;
};

/// Settings of imports whose rows name a customer by key: purchases and interactions.
///
/// A key is matched against customers' `external_ref`, except keys of the form `#N` (N a
/// positive integer, as exports write for customers without an external ref): with
/// `customer_ids` set, N is an id of the exporting store translated through that map; without
/// it, N is a customer id of this store. `#N` keys never create customers.
struct KeyedImportOptions : ImportOptions {
  std::string customer_column = "customer_id";                    ///< the customer key
  std::string time_column = "timestamp";                          ///< when
  TimeFormat time_format = TimeFormat::iso8601;                   ///< how times are written
  MissingCustomers missing_customers = MissingCustomers::create;  ///< unknown keys
  /// Turns float-looking keys such as `17850.0` (a spreadsheet or pandas artefact, as in the
  /// Online Retail file) into `17850`: an optional sign, digits, a dot and only zeros. Off by
  /// default because keys are opaque: crmkit does not rewrite them unless asked.
  bool strip_decimal_zero_keys = false;
  /// Rows with an empty customer key are errors by default; with this set they are dropped and
  /// counted in ImportReport::rows_without_customer (real ERP exports contain many such rows).
  bool skip_rows_without_customer = false;
  /// Treat keys of the form `#N` as ids (see above); turn off when external refs may start with
  /// `#`.
  bool hash_keys_are_ids = true;
  /// Translates `#N` keys of an exported file into this store's ids (see
  /// ImportReport::customer_ids).
  const CustomerIdMap* customer_ids = nullptr;
};

/// Column mapping for purchases. Defaults: `customer_id,timestamp,amount` plus optional
/// `currency,order_ref,quantity,product_ref` (an optional column is used when the header has it;
/// an `id` column, as exports write, is ignored). Set a column name to empty to ignore it.
///
/// Amounts are exact: `amount` is parsed with Money::parse in the row's currency. With
/// `unit_price_column` set, amount = unit price × quantity, where quantity must be a whole number.
/// A negative quantity (a return) is stored as its magnitude: the sign lives in the amount.
struct PurchaseImportOptions : KeyedImportOptions {
  std::string amount_column = "amount";  ///< decimal amount; unused when unit_price_column is set
  std::string currency_column = "currency";    ///< ISO 4217 code per row (optional column)
  std::string order_ref_column = "order_ref";  ///< order number (optional column)
  /// Units (optional column, required with a unit price).
  std::string quantity_column = "quantity";
  std::string product_ref_column = "product_ref";  ///< product (optional column)
  /// When set, amount = quantity × unit price, computed exactly (quantity must be an integer).
  std::string unit_price_column;
  /// For rows without a currency column or with an empty currency cell; without it such rows are
  /// bad.
  std::optional<Currency> default_currency;
};

/// Column mapping for interactions. Required: `customer_id` and `timestamp`; every other column is
/// optional: `other_customers` (a JSON array of further customer keys), `channel` (default
/// `other`), `direction` (default `inbound`), `duration` (whole seconds), `subject`, `body`,
/// `outcome`, `author`, `external_ref`, `created_at` (default: the clock). Deals are linked only
/// when `deal_column` is set (its cells are deal ids of this store).
struct InteractionImportOptions : KeyedImportOptions {
  std::string other_customers_column = "other_customers";  ///< JSON array of more customer keys
  std::string channel_column = "channel";                  ///< Channel name, e.g. `email`
  std::string direction_column = "direction";              ///< `inbound`, `outbound`, `internal`
  std::string duration_column = "duration";                ///< whole seconds, ≥ 0
  std::string subject_column = "subject";                  ///< one-line summary
  std::string body_column = "body";                        ///< full text (may span lines)
  std::string outcome_column = "outcome";                  ///< outcome or status
  std::string author_column = "author";                    ///< who logged it
  std::string external_ref_column = "external_ref";        ///< the host system's key
  std::string created_at_column = "created_at";            ///< when it was logged
  std::string deal_column;  ///< deal id of this store (off by default)
};

/// Column mapping for customers. Every column is optional; the defaults are the columns
/// export_customers() writes, plus the plain `email` and `phone` columns of hand-made files:
///
/// - `id`: the id in the exporting store, recorded in ImportReport::customer_ids (and used by
///   `#N` memberships of later rows);
/// - `external_ref`, `kind` (`person` by default), `given_name`, `family_name`, `legal_name`,
///   `owner`, `source`, `lifecycle` (`lead` by default);
/// - `email`, `phone`: one address or number, primary unless the JSON lists already have one;
/// - `emails`, `phones`, `addresses`, `memberships`, `attributes`: JSON (see
/// docs/import-export.md);
///   a membership names its organization by key (external ref or `#N` of an earlier row);
/// - `tags`: comma-separated (tags cannot contain commas), blanks around each tag trimmed;
/// - `consent_status`, `consent_at`, `consent_basis`;
/// - `created_at`, `updated_at` (default: the clock), `deleted_at` (ISO 8601 timestamps).
///
/// Organizations must come before the persons that are members of them (exports write them first).
struct CustomerImportOptions : ImportOptions {
  std::string id_column = "id";                          ///< id in the exporting store
  std::string external_ref_column = "external_ref";      ///< the host ERP's key
  std::string kind_column = "kind";                      ///< `person` or `organization`
  std::string given_name_column = "given_name";          ///< first name
  std::string family_name_column = "family_name";        ///< last name
  std::string legal_name_column = "legal_name";          ///< organization name
  std::string email_column = "email";                    ///< one plain email address
  std::string phone_column = "phone";                    ///< one plain phone number
  std::string emails_column = "emails";                  ///< JSON email list
  std::string phones_column = "phones";                  ///< JSON phone list
  std::string addresses_column = "addresses";            ///< JSON address list
  std::string memberships_column = "memberships";        ///< JSON membership list
  std::string owner_column = "owner";                    ///< owning user
  std::string tags_column = "tags";                      ///< comma-separated tags
  std::string lifecycle_column = "lifecycle";            ///< LifecycleStage name
  std::string source_column = "source";                  ///< acquisition source
  std::string consent_status_column = "consent_status";  ///< ConsentStatus name
  std::string consent_at_column = "consent_at";          ///< ISO 8601 timestamp
  std::string consent_basis_column = "consent_basis";    ///< LawfulBasis name
  std::string attributes_column = "attributes";          ///< JSON object of custom fields
  std::string created_at_column = "created_at";          ///< ISO 8601 timestamp
  std::string updated_at_column = "updated_at";          ///< ISO 8601 timestamp
  std::string deleted_at_column = "deleted_at";          ///< ISO 8601 timestamp, empty when live
  /// ISO 3166 alpha-2 region for national phone numbers (see Phone); empty: numbers must be
  /// international.
  std::string default_region;
  /// Rows whose external ref is already in the store.
  ExistingCustomers existing_customers = ExistingCustomers::reject;
};

/// Imports customers from a CSV file (plain or gzip).
/// @throws ParseError (file, line, column, value, rule) on the first bad row in abort mode, or
///         when the header lacks a required column; Error when the file cannot be read;
///         whatever the store throws for failures that are not the row's fault.
ImportReport import_customers(storage::Store& store, const std::filesystem::path& file,
                              const CustomerImportOptions& options = {});
/// Imports customers from a CSV stream; `source` names it in errors.
ImportReport import_customers(storage::Store& store, std::istream& in, const std::string& source,
                              const CustomerImportOptions& options = {});
/// Imports customers from an open reader (its format wins over `options.format`).
ImportReport import_customers(storage::Store& store, CsvReader& reader,
                              const CustomerImportOptions& options = {});

/// Imports purchases from a CSV file (plain or gzip), appending them in batches.
/// @throws ParseError (file, line, column, value, rule) on the first bad row in abort mode, or
///         when a required column is missing from the header (or no currency can be known);
///         Error when the file cannot be read; whatever the store throws for failures that are
///         not the row's fault.
ImportReport import_purchases(storage::Store& store, const std::filesystem::path& file,
                              const PurchaseImportOptions& options = {});
/// Imports purchases from a CSV stream; `source` names it in errors.
ImportReport import_purchases(storage::Store& store, std::istream& in, const std::string& source,
                              const PurchaseImportOptions& options = {});
/// Imports purchases from an open reader (its format wins over `options.format`).
ImportReport import_purchases(storage::Store& store, CsvReader& reader,
                              const PurchaseImportOptions& options = {});

/// Imports interactions from a CSV file (plain or gzip), appending them in batches.
/// @throws ParseError, Error: as import_purchases().
ImportReport import_interactions(storage::Store& store, const std::filesystem::path& file,
                                 const InteractionImportOptions& options = {});
/// Imports interactions from a CSV stream; `source` names it in errors.
ImportReport import_interactions(storage::Store& store, std::istream& in, const std::string& source,
                                 const InteractionImportOptions& options = {});
/// Imports interactions from an open reader (its format wins over `options.format`).
ImportReport import_interactions(storage::Store& store, CsvReader& reader,
                                 const InteractionImportOptions& options = {});

}  // namespace crmkit::io
