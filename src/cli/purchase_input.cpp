#include "cli/purchase_input.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <memory>
#include <ostream>

#include <fmt/format.h>

#include "cli/store_access.hpp"
#include "cli/time_format_choices.hpp"
#include "crmkit/analytics/store_purchases.hpp"
#include "crmkit/core/error.hpp"
#include "crmkit/storage/query.hpp"

namespace crmkit::cli {

namespace {

constexpr const char* database_variable = "CRMKIT_DB";

// More threads than this is a typo, not a machine.
constexpr long long max_threads = 1024;

// CSV output is built in memory and handed to the stream in pieces of about this size.
constexpr std::size_t csv_flush_bytes = std::size_t{1} << 20U;

constexpr std::array<Choice<analytics::Period>, 3> period_choices{{
    {"day", analytics::Period::day},
    {"week", analytics::Period::week},
    {"month", analytics::Period::month},
}};

constexpr std::array<Choice<OutputFormat>, 3> format_choices{{
    {"table", OutputFormat::table},
    {"csv", OutputFormat::csv},
    {"json", OutputFormat::json},
}};

// The flags that describe a CSV file: meaningless with --db.
constexpr std::array<const char*, 12> csv_flags{
    "customer-column",
    "time-column",
    "amount-column",
    "unit-price-column",
    "quantity-column",
    "time-format",
    "strip-decimal-zero-keys",
    "skip-rows-without-customer",
    "skip-nonpositive",
    "exclude",
    "delimiter",
    "quote",
};

void add_column(CommandLine& line, const char* flag, std::string& column, const char* help) {
  auto* value = po::value(&column)->value_name("NAME");
  if (!column.empty()) value->default_value(column);
  line.options().add_options()(flag, value, help);
}

char single_character(const CommandLine& line, std::string_view option, const std::string& text) {
  if (text == "tab" || text == "\\t") return '\t';
  if (text.size() == 1) return text.front();
  line.fail(invalid_value_message(option, text, "expected one character, or 'tab'"));
}

// A blank cell would be dropped by readers that trim; a delimiter, quote or line break would
// split it: those are quoted, as io::CsvWriter does.
bool needs_quotes(std::string_view text) {
  if (text.empty()) return false;
  if (text.front() == ' ' || text.front() == '\t' || text.back() == ' ' || text.back() == '\t') {
    return true;
  }
  return text.find_first_of(",\"\r\n") != std::string_view::npos;
}

void append_csv_text(fmt::memory_buffer& buffer, std::string_view text) {
  if (!needs_quotes(text)) {
    buffer.append(text);
    return;
  }
  buffer.push_back('"');
  for (const char c : text) {
    if (c == '"') buffer.push_back('"');
    buffer.push_back(c);
  }
  buffer.push_back('"');
}

void append_csv_cell(fmt::memory_buffer& buffer, const Cell& cell) {
  if (const auto* integer = std::get_if<std::int64_t>(&cell)) {
    fmt::format_to(std::back_inserter(buffer), "{}", *integer);
  } else if (const auto* real = std::get_if<double>(&cell)) {
    // NaN and infinities are no numbers a CSV reader agrees on: blank, as pandas writes NaN.
    if (std::isfinite(*real)) fmt::format_to(std::back_inserter(buffer), "{}", *real);
  } else if (const auto* text = std::get_if<std::string_view>(&cell)) {
    append_csv_text(buffer, *text);
  }
}

void flush(std::ostream& out, fmt::memory_buffer& buffer) {
  out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  buffer.clear();
}

std::string table_text(const ResultColumn& column, const Cell& cell) {
  if (const auto* integer = std::get_if<std::int64_t>(&cell)) {
    if (column.style == TableStyle::count && *integer >= 0) {
      return format_count(static_cast<std::uint64_t>(*integer));
    }
    return std::to_string(*integer);
  }
  if (const auto* real = std::get_if<double>(&cell)) {
    if (!std::isfinite(*real)) return {};
    if (column.style == TableStyle::percent) {
      return fmt::format("{:.{}f}%", *real * 100.0, column.decimals);
    }
    return format_real(*real, column.decimals);
  }
  if (const auto* text = std::get_if<std::string_view>(&cell)) return std::string(*text);
  return {};
}

Json json_value(const Cell& cell) {
  if (const auto* integer = std::get_if<std::int64_t>(&cell)) return *integer;
  // nlohmann writes NaN as null, as JSON has no NaN.
  if (const auto* real = std::get_if<double>(&cell)) return *real;
  if (const auto* text = std::get_if<std::string_view>(&cell)) return std::string(*text);
  return nullptr;
}

}  // namespace

std::string format_real(double value, int decimals) {
  std::string text = fmt::format("{:.{}f}", value, decimals);
  const std::size_t start = text.front() == '-' ? 1 : 0;
  const std::size_t point = std::min(text.find('.'), text.size());
  for (std::size_t i = point; i > start + 3; i -= 3) text.insert(i - 3, 1, ',');
  return text;
}

void add_purchase_input_options(CommandLine& line, PurchaseInputSettings& settings) {
  io::PurchaseColumnsOptions& columns = settings.columns;
  line.options().add_options()(
      "input", po::value(&settings.input)->value_name("FILE"),
      "read purchases from a CSV file (plain or gzip) with a header row, rather than from a "
      "store; the flags up to --quote describe it");
  add_column(line, "customer-column", columns.customer_column,
             "column of the customer id (an integer)");
  add_column(line, "time-column", columns.time_column, "column of the purchase time (UTC)");
  add_column(line, "amount-column", columns.amount_column,
             "column of the amount (unused with --unit-price-column and --quantity-column)");
  add_column(line, "unit-price-column", columns.unit_price_column,
             "column of the unit price: amount = unit price x quantity; off by default");
  add_column(line, "quantity-column", columns.quantity_column,
             "column of the quantity (with --unit-price-column); off by default");
  auto option = line.options().add_options();
  option(
      "time-format",
      po::value(&settings.time_format)->value_name("FORMAT")->default_value(settings.time_format),
      "how times are written: iso8601 (2011-12-09 12:50:00, 2011-12-09T12:50:00Z, 2011-12-09), "
      "compact-date (20111209) or unix-seconds");
  option("strip-decimal-zero-keys", po::bool_switch(&columns.strip_decimal_zero_keys),
         "read float-looking ids such as 17850.0 as 17850 (a spreadsheet artefact)");
  option("skip-rows-without-customer", po::bool_switch(&columns.skip_rows_without_customer),
         "drop rows with an empty customer id, instead of failing");
  option("skip-nonpositive", po::bool_switch(&columns.skip_nonpositive),
         "drop rows whose quantity (or amount, without a quantity column) is zero or negative: "
         "returns and adjustments");
  option("exclude", po::value(&settings.exclude)->value_name("COLUMN=PREFIX"),
         "drop rows whose COLUMN starts with PREFIX, e.g. InvoiceNo=C for cancelled invoices");
  option("delimiter",
         po::value(&settings.delimiter)->value_name("CHAR")->default_value(settings.delimiter),
         "field separator: one character, or 'tab'");
  option("quote", po::value(&settings.quote)->value_name("CHAR")->default_value(settings.quote),
         "quote character (doubled inside quotes)");
  add_db_option(line, settings.db);
  option("currency", po::value(&settings.currency)->value_name("CODE"),
         "with --db: analyse only purchases in this currency (needed when the store mixes "
         "several), e.g. GBP");
  option("threads", po::value(&settings.threads)->value_name("N")->default_value(settings.threads),
         "worker threads, 0 = every hardware thread; results never depend on it");
}

PurchaseInput purchase_input(const CommandLine& line, const PurchaseInputSettings& settings) {
  PurchaseInput input;
  input.threads =
      static_cast<unsigned>(checked_integer(line, "--threads", settings.threads, 0, max_threads));
  const bool from_file = !settings.input.empty();
  const bool from_db = !settings.db.empty();
  if (from_file && from_db) line.fail("--input and --db cannot be combined: give one of them");
  if (line.given("input") && !from_file) {
    line.fail(invalid_value_message("--input", settings.input, "expected a file name"));
  }

  if (!from_file) {
    const char* from_environment = std::getenv(database_variable);
    if (!from_db && (from_environment == nullptr || *from_environment == '\0')) {
      line.fail(fmt::format("no purchases to analyse: pass --input FILE or --db PATH (or set {})",
                            database_variable));
    }
    for (const char* flag : csv_flags) {
      if (line.given(flag)) {
        line.fail(fmt::format("--{} describes a CSV file: it applies to --input only", flag));
      }
    }
    input.store_location = database_location(line, settings.db);
    if (!settings.currency.empty()) {
      if (!Currency::is_known(settings.currency)) {
        line.fail(invalid_value_message("--currency", settings.currency,
                                        "expected an ISO 4217 code such as EUR or GBP"));
      }
      input.currency = Currency(settings.currency);
    }
    return input;
  }

  if (line.given("currency")) {
    line.fail("--currency picks purchases in a store: it applies to --db only");
  }
  input.file = settings.input;
  input.columns = settings.columns;
  input.columns.threads = input.threads;
  input.columns.time_format =
      parse_choice(line, "--time-format", settings.time_format, time_format_choices);
  if (!settings.exclude.empty()) {
    const std::size_t equals = settings.exclude.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == settings.exclude.size()) {
      line.fail(invalid_value_message("--exclude", settings.exclude,
                                      "expected COLUMN=PREFIX, e.g. InvoiceNo=C"));
    }
    input.columns.exclude_column = settings.exclude.substr(0, equals);
    input.columns.exclude_prefix = settings.exclude.substr(equals + 1);
  }
  input.columns.format.delimiter = single_character(line, "--delimiter", settings.delimiter);
  input.columns.format.quote = single_character(line, "--quote", settings.quote);
  if (input.columns.format.delimiter == input.columns.format.quote) {
    line.fail("--delimiter and --quote must be different characters");
  }
  return input;
}

analytics::PurchaseData load_purchases(const PurchaseInput& input) {
  if (input.file) return io::read_purchase_columns(*input.file, input.columns);
  const std::shared_ptr<storage::Store> store = open_store(input.store_location, StoreUse::read);
  storage::PurchaseScan scan;
  scan.currency = input.currency;
  return analytics::load_purchases(*store, scan);
}

std::optional<Date> date_option(const CommandLine& line, std::string_view option,
                                const std::string& text) {
  if (text.empty()) {
    if (line.given(std::string(option.substr(2)))) {
      line.fail(invalid_value_message(option, text, "expected a date YYYY-MM-DD"));
    }
    return std::nullopt;
  }
  try {
    return parse_date(text, option);
  } catch (const ParseError&) {
    line.fail(invalid_value_message(option, text, "expected a date YYYY-MM-DD"));
  }
}

std::string period_names() { return choice_names(period_choices); }

analytics::Period period_option(const CommandLine& line, std::string_view option,
                                const std::string& text) {
  return parse_choice(line, option, text, period_choices);
}

OutputFormat format_option(const CommandLine& line, const std::string& text) {
  return parse_choice(line, "--format", text, format_choices);
}

void add_format_option(CommandLine& line, std::string& text, const char* default_format) {
  line.options().add_options()(
      "format", po::value(&text)->value_name("FORMAT")->default_value(default_format),
      "output format: csv, table (aligned, for people) or json");
}

void write_csv(std::ostream& out, const Results& results) {
  fmt::memory_buffer buffer;
  for (std::size_t c = 0; c < results.columns.size(); ++c) {
    if (c > 0) buffer.push_back(',');
    append_csv_text(buffer, results.columns[c].name);
  }
  buffer.push_back('\n');
  for (std::size_t row = 0; row < results.rows; ++row) {
    for (std::size_t c = 0; c < results.columns.size(); ++c) {
      if (c > 0) buffer.push_back(',');
      append_csv_cell(buffer, results.cell(row, c));
    }
    buffer.push_back('\n');
    if (buffer.size() >= csv_flush_bytes) flush(out, buffer);
  }
  flush(out, buffer);
}

Table results_table(const Results& results) {
  Table table;
  table.columns.reserve(results.columns.size());
  for (std::size_t c = 0; c < results.columns.size(); ++c) {
    table.columns.push_back(results.columns[c].name);
    if (results.columns[c].numeric) table.right_aligned.push_back(c);
  }
  table.rows.reserve(results.rows);
  for (std::size_t row = 0; row < results.rows; ++row) {
    std::vector<std::string> cells;
    cells.reserve(results.columns.size());
    for (std::size_t c = 0; c < results.columns.size(); ++c) {
      cells.push_back(table_text(results.columns[c], results.cell(row, c)));
    }
    table.rows.push_back(std::move(cells));
  }
  return table;
}

Json results_json(const Results& results) {
  Json array = Json::array();
  for (std::size_t row = 0; row < results.rows; ++row) {
    Json object = Json::object();
    for (std::size_t c = 0; c < results.columns.size(); ++c) {
      object[results.columns[c].name] = json_value(results.cell(row, c));
    }
    array.push_back(std::move(object));
  }
  return array;
}

void write_results(std::ostream& out, OutputFormat format, const Results& results) {
  switch (format) {
    case OutputFormat::csv:
      write_csv(out, results);
      break;
    case OutputFormat::table:
      print_aligned(out, results_table(results));
      break;
    case OutputFormat::json:
      print_json(out, results_json(results));
      break;
  }
}

void write_file(const std::string& path, const std::function<void(std::ostream&)>& write) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) {
    throw Error(fmt::format("cannot create {}: {}", quote_value(path), std::strerror(errno)));
  }
  write(file);
  file.flush();
  if (!file) {
    throw Error(fmt::format("cannot write {}: {}", quote_value(path), std::strerror(errno)));
  }
}

}  // namespace crmkit::cli
