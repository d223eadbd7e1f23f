#include "crmkit/io/purchase_columns.hpp"

#include <fmt/format.h>

#include <fstream>

#include "analytics/parallel.hpp"
#include "crmkit/core/error.hpp"
#include "io/csv_row.hpp"
#include "io/purchase_columns_rows.hpp"
#include "io/purchase_columns_split.hpp"

namespace crmkit::io {
namespace {

using detail::no_column;

void require_together(const std::string& first, std::string_view first_name,
                      const std::string& second, std::string_view second_name) {
  if (first.empty() == second.empty()) return;
  const bool first_missing = first.empty();
  throw ValidationError(std::string(first_missing ? first_name : second_name), "",
                        fmt::format("must be set together with {} ('{}')",
                                    first_missing ? second_name : first_name,
                                    first_missing ? second : first));
}

void validate(const PurchaseColumnsOptions& options) {
  if (options.customer_column.empty()) {
    throw ValidationError("customer_column", "", "must name the column of customer ids");
  }
  if (options.time_column.empty()) {
    throw ValidationError("time_column", "", "must name the column of purchase times");
  }
  require_together(options.unit_price_column, "unit_price_column", options.quantity_column,
                   "quantity_column");
  if (options.unit_price_column.empty() && options.amount_column.empty()) {
    throw ValidationError("amount_column", "",
                          "must name the column of amounts (or set unit_price_column and "
                          "quantity_column)");
  }
  require_together(options.exclude_column, "exclude_column", options.exclude_prefix,
                   "exclude_prefix");
  if (!options.format.header) {
    throw ValidationError("format.header", "false",
                          "must be true: columns are found by their names in the header");
  }
  const char delimiter = options.format.delimiter;
  if (delimiter == '\n' || delimiter == '\r' || delimiter == options.format.quote) {
    throw ValidationError("format.delimiter", std::string(1, delimiter),
                          "must not be a line break or the quote character");
  }
}

std::size_t index_of(const detail::Column& column) {
  return column.present() ? *column.index : no_column;
}

detail::PurchaseLayout resolve(const CsvReader& reader, const PurchaseColumnsOptions& options) {
  const detail::Header header(reader);
  detail::PurchaseLayout layout;
  layout.names = reader.columns();
  layout.fields = layout.names.size();
  layout.customer = index_of(header.required(options.customer_column, "customer_column"));
  layout.time = index_of(header.required(options.time_column, "time_column"));
  if (options.unit_price_column.empty()) {
    layout.amount = index_of(header.required(options.amount_column, "amount_column"));
  } else {
    layout.unit_price = index_of(header.required(options.unit_price_column, "unit_price_column"));
    layout.quantity = index_of(header.required(options.quantity_column, "quantity_column"));
  }
  if (!options.exclude_column.empty()) {
    layout.exclude = index_of(header.required(options.exclude_column, "exclude_column"));
  }
  return layout;
}

// Gzip data (by magic bytes or name) goes through CsvReader, which decompresses it.
bool is_plain_file(const std::filesystem::path& path) {
  if (path.extension() == ".gz") return false;
  std::ifstream in(path, std::ios::binary);
  char magic[2] = {};
  in.read(magic, 2);
  return !(in.gcount() == 2 && magic[0] == '\x1f' && magic[1] == '\x8b');
}

// The single-threaded path: any CSV CsvReader reads (quotes, gzip), row by row.
void read_rows(CsvReader& reader, const detail::PurchaseLayout& layout,
               const PurchaseColumnsOptions& options, analytics::PurchaseData& out,
               detail::RowCounts& counts) {
  detail::RowParser parser(layout, options);
  std::vector<std::string_view> fields;
  std::int64_t id = 0;
  std::int64_t time = 0;
  double amount = 0;
  while (reader.next(fields)) {
    detail::RowOutcome outcome{};
    try {
      outcome = parser.parse(fields.data(), id, time, amount);
    } catch (detail::CellFailure& failure) {
      throw ParseError(reader.source(), reader.line_of(failure.field),
                       reader.column_of(failure.field), std::move(failure.value),
                       std::move(failure.rule));
    }
    counts.add(outcome);
    if (outcome == detail::RowOutcome::kept) out.push_back(id, time, amount);
  }
}

}  // namespace

analytics::PurchaseData read_purchase_columns(const std::filesystem::path& path,
                                              const PurchaseColumnsOptions& options,
                                              PurchaseColumnsReport* report) {
  validate(options);
  CsvReader reader(path, options.format);
  const detail::PurchaseLayout layout = resolve(reader, options);
  analytics::PurchaseData data;
  detail::RowCounts counts;
  bool done = false;
  if (is_plain_file(path)) {
    const detail::FileBytes file(path);
    done = detail::read_split(file.bytes(), reader.source(), layout, options,
                              analytics::detail::thread_count(options.threads), data, counts);
  }
  if (!done) read_rows(reader, layout, options, data, counts);
  if (report != nullptr) {
    report->rows_read = counts.read;
    report->rows_kept = counts.kept;
    report->rows_without_customer = counts.without_customer;
    report->rows_nonpositive = counts.nonpositive;
    report->rows_excluded = counts.excluded;
  }
  return data;
}

}  // namespace crmkit::io
