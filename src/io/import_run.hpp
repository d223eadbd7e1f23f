#pragma once
// The machinery every import shares: transactions (one for the file, or one per batch), the
// reading of rows, the handling of bad rows (abort or skip and report), progress and the report.

#include <optional>
#include <string_view>
#include <vector>

#include "crmkit/io/import.hpp"
#include "io/csv_row.hpp"
#include "io/customer_keys.hpp"

namespace crmkit::io::detail {

class ImportRun {
 public:
  // In abort mode, begins the transaction that covers the whole file.
  ImportRun(storage::Store& store, CsvReader& reader, const ImportOptions& options);

  // Reads the next data row. In skip mode a malformed row is reported and passed over.
  bool next(std::vector<std::string_view>& fields);
  // A bad row: rethrown as a plain ParseError in abort mode, recorded in skip mode.
  void reject(const RowFailure& failure);
  // Makes sure a transaction covers the writes of the current batch.
  void open_batch();
  // True once the current batch holds batch_size rows.
  [[nodiscard]] bool batch_full() const noexcept { return rows_in_batch_ >= batch_size_; }
  // Ends the current batch (committing it in skip mode) and reports progress.
  void close_batch();
  // Commits what is left and returns the report. Call after the last close_batch().
  ImportReport finish();

  [[nodiscard]] ImportReport& report() noexcept { return report_; }
  [[nodiscard]] storage::Store& store() noexcept { return *store_; }
  [[nodiscard]] const CsvReader& reader() const noexcept { return *reader_; }
  [[nodiscard]] bool skipping() const noexcept { return options_->on_error == OnError::skip; }

 private:
  void record(const ParseError& error, std::string field);
  void report_progress() const;

  storage::Store* store_;
  CsvReader* reader_;
  const ImportOptions* options_;
  std::size_t batch_size_;
  std::size_t rows_in_batch_ = 0;
  std::optional<storage::Transaction> transaction_;
  ImportReport report_;
};

// Records waiting for their batch's bulk append, with the line each came from.
template <class Record>
struct PendingRecords {
  std::vector<Record> records;
  std::vector<std::uint64_t> lines;

  void add(Record record, std::uint64_t line) {
    records.push_back(std::move(record));
    lines.push_back(line);
  }
};

// The index `i` and the rest `.field` of a store error's field `<root>[i].field`, when it has one.
struct ElementField {
  std::size_t index;
  std::string_view rest;
};
std::optional<ElementField> element_field(std::string_view field, std::string_view root) noexcept;

// Appends a batch with `append` (one store call). When the store rejects one element with a
// ValidationError naming it (`purchases[i].x`), that row is rejected (thrown in abort mode) and
// the rest appended again; the error then names the record's field (`purchase.x`), which
// `column_of` maps to the CSV column.
template <class Record, class Append, class ColumnOf>
void append_pending(ImportRun& run, PendingRecords<Record>& pending, std::string_view root,
                    std::string_view record, Append&& append, ColumnOf&& column_of) {
  while (!pending.records.empty()) {
    try {
      append(pending.records);
      break;
    } catch (const ValidationError& error) {
      const std::optional<ElementField> element = element_field(error.field(), root);
      if (!element || element->index >= pending.records.size()) throw;
      const auto at = static_cast<std::ptrdiff_t>(element->index);
      const ValidationError renamed(std::string(record) + std::string(element->rest), error.value(),
                                    error.rule());
      run.reject(record_failure(run.reader().source(), pending.lines[element->index],
                                column_of(renamed.field()), renamed));
      pending.records.erase(pending.records.begin() + at);
      pending.lines.erase(pending.lines.begin() + at);
    }
  }
  run.report().rows_imported += pending.records.size();
  pending.records.clear();
  pending.lines.clear();
}

// Fails the row when its customer key `key` is empty: every row of an import of records that
// belong to customers needs one, unless the options drop such rows.
inline void require_customer_key(const Row& row, const Column& column, std::string_view key) {
  if (key.empty()) {
    row.fail(column, "",
             "must not be empty: every row needs a customer key (set skip_rows_without_customer "
             "to drop such rows)");
  }
}

// Imports the rows of a file of records that belong to customers (interactions, purchases): a
// row whose normalized customer key is empty is counted and dropped when the options say so;
// `make(row, key)` turns any other row into a record (throwing RowFailure for a bad row), and
// the records are appended a batch at a time through append_pending().
template <class Record, class Make, class Append, class ColumnOf>
ImportReport import_customer_rows(ImportRun& run, const CustomerKeys& keys,
                                  const KeyedImportOptions& options, const Column& customer,
                                  std::string_view root, std::string_view record, Make&& make,
                                  Append&& append, ColumnOf&& column_of) {
  PendingRecords<Record> pending;
  const auto flush = [&] {
    append_pending(run, pending, root, record, append, column_of);
    run.close_batch();
  };
  std::vector<std::string_view> fields;
  while (run.next(fields)) {
    const Row row(run.reader(), fields);
    run.open_batch();
    try {
      const std::string_view key = keys.normalize(row[customer]);
      if (key.empty() && options.skip_rows_without_customer) {
        ++run.report().rows_without_customer;
      } else {
        pending.add(make(row, key), row.line());
      }
    } catch (const RowFailure& failure) {
      run.reject(failure);
    }
    if (run.batch_full()) flush();
  }
  flush();
  return run.finish();
}

}  // namespace crmkit::io::detail
