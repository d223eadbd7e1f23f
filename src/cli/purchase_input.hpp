#pragma once
// What the analytics commands (summary, rfm, segments, kmeans, cohorts, abc) share: where their
// purchases come from (--input FILE with the CSV column flags, or --db PATH), --threads, dates and
// periods given as flags, and how per-customer results are written (CSV, aligned table, JSON).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cli/command_line.hpp"
#include "cli/output.hpp"
#include "cli/table.hpp"
#include "crmkit/analytics/period.hpp"
#include "crmkit/analytics/purchases.hpp"
#include "crmkit/core/money.hpp"
#include "crmkit/core/time.hpp"
#include "crmkit/io/purchase_columns.hpp"

namespace crmkit::cli {

/// The input flags as typed, bound by add_purchase_input_options(). The CSV settings that are
/// plain strings or switches are bound straight to `columns`, so that their defaults are the
/// library's.
struct PurchaseInputSettings {
  std::string input;                    ///< --input FILE
  std::string db;                       ///< --db PATH
  std::string currency;                 ///< --currency CODE (stores only)
  io::PurchaseColumnsOptions columns;   ///< the CSV columns and cleaning switches
  std::string time_format = "iso8601";  ///< --time-format
  std::string exclude;                  ///< --exclude COLUMN=PREFIX
  std::string delimiter = ",";          ///< --delimiter
  std::string quote = "\"";             ///< --quote
  long long threads = 0;                ///< --threads
};

/// Where the purchases come from, once the flags are checked: a CSV file or a store.
struct PurchaseInput {
  std::optional<std::string> file;     ///< --input, when given
  std::string store_location;          ///< --db or $CRMKIT_DB, when there is no file
  std::optional<Currency> currency;    ///< the currency to keep in a store
  io::PurchaseColumnsOptions columns;  ///< how to read the file
  unsigned threads = 0;                ///< worker threads, 0 = all
};

/// Adds --input, the CSV flags, --db, --currency and --threads to `line`.
void add_purchase_input_options(CommandLine& line, PurchaseInputSettings& settings);

/// Checks the input flags. @throws UsageError (through `line`) when neither or both of --input
/// and --db (or $CRMKIT_DB) are given, when a CSV flag comes with --db or --currency with --input,
/// or when a value is invalid.
[[nodiscard]] PurchaseInput purchase_input(const CommandLine& line,
                                           const PurchaseInputSettings& settings);

/// Reads the purchases: the CSV file through io::read_purchase_columns, or the store's purchases
/// through analytics::load_purchases. @throws whatever those throw.
[[nodiscard]] analytics::PurchaseData load_purchases(const PurchaseInput& input);

/// The date `text` names (YYYY-MM-DD), nullopt when `text` is empty.
/// @throws UsageError (through `line`) naming `option`.
[[nodiscard]] std::optional<Date> date_option(const CommandLine& line, std::string_view option,
                                              const std::string& text);

/// `day, week, month`: the names period_option() accepts.
[[nodiscard]] std::string period_names();

/// The period `text` names. @throws UsageError (through `line`) naming `option`.
[[nodiscard]] analytics::Period period_option(const CommandLine& line, std::string_view option,
                                              const std::string& text);

/// The format `text` names, for commands that take `--format` with a default other than table.
/// @throws UsageError (through `line`).
[[nodiscard]] OutputFormat format_option(const CommandLine& line, const std::string& text);

/// Adds `--format FORMAT` with `default_format` (`csv` for commands whose output is data).
void add_format_option(CommandLine& line, std::string& text, const char* default_format);

/// `1,234,567.89`: a number with `decimals` decimals and its thousands grouped, for people.
[[nodiscard]] std::string format_real(double value, int decimals);

/// One cell of a result: nothing (a blank cell, null in JSON), an integer, a real or a text.
using Cell = std::variant<std::monostate, std::int64_t, double, std::string_view>;

/// How a column shows in aligned tables (CSV and JSON always carry the plain value).
enum class TableStyle {
  plain,    ///< integers and texts as they are, reals with `decimals` decimals, thousands grouped
  count,    ///< integers with thousands separators
  percent,  ///< a fraction shown as a percentage with `decimals` decimals and a % sign
};

/// A column of results.
struct ResultColumn {
  std::string name;                      ///< header, and the key in JSON
  TableStyle style = TableStyle::plain;  ///< how a table shows it
  int decimals = 2;                      ///< decimals of reals and percentages in tables
  bool numeric = true;                   ///< right-aligned in tables
};

/// Rows of results, produced cell by cell on demand, so that a million customers are never held
/// as text.
struct Results {
  std::vector<ResultColumn> columns;                              ///< in order
  std::size_t rows = 0;                                           ///< number of rows
  std::function<Cell(std::size_t row, std::size_t column)> cell;  ///< the value of one cell
};

/// Writes `results` as CSV with a header; reals with full round-trip precision.
void write_csv(std::ostream& out, const Results& results);

/// The results as an aligned table for people.
[[nodiscard]] Table results_table(const Results& results);

/// The results as a JSON array of objects keyed by column name (blank cells are null).
[[nodiscard]] Json results_json(const Results& results);

/// Writes `results` in `format`; JSON as the array of results_json() alone.
void write_results(std::ostream& out, OutputFormat format, const Results& results);

/// Runs `write` on a new file at `path` (replacing it), then checks that everything was written.
/// @throws Error naming the file when it cannot be created or written.
void write_file(const std::string& path, const std::function<void(std::ostream&)>& write);

}  // namespace crmkit::cli
