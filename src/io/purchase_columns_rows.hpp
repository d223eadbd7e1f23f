#pragma once
// The row logic of read_purchase_columns, shared by the single-threaded path (CsvReader) and the
// parallel path (split plain files): which cells hold what, the drop rules, and the cell parsers,
// with a fast fixed-layout ISO 8601 parser in front of parse_timestamp.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "crmkit/core/error.hpp"
#include "crmkit/io/purchase_columns.hpp"

namespace crmkit::io::detail {

inline constexpr std::size_t no_column = std::numeric_limits<std::size_t>::max();

// Where the columns the options name sit in the file's header (no_column when not used).
struct PurchaseLayout {
  std::size_t fields = 0;  // columns in the header
  std::size_t customer = no_column;
  std::size_t time = no_column;
  std::size_t amount = no_column;
  std::size_t unit_price = no_column;
  std::size_t quantity = no_column;
  std::size_t exclude = no_column;
  std::vector<std::string> names;  // the header's column names, for errors
};

// What became of one data row.
enum class RowOutcome : std::uint8_t { kept, without_customer, nonpositive, excluded };

// A bad cell: `field` is its index in the row; `rule` is complete (names the column).
struct CellFailure {
  std::size_t field = 0;
  std::string value;
  std::string rule;
};

// Counts of a run of rows.
struct RowCounts {
  std::uint64_t read = 0;
  std::uint64_t kept = 0;
  std::uint64_t without_customer = 0;
  std::uint64_t nonpositive = 0;
  std::uint64_t excluded = 0;

  void add(RowOutcome outcome) noexcept {
    ++read;
    switch (outcome) {
      case RowOutcome::kept: ++kept; break;
      case RowOutcome::without_customer: ++without_customer; break;
      case RowOutcome::nonpositive: ++nonpositive; break;
      case RowOutcome::excluded: ++excluded; break;
    }
  }
  RowCounts& operator+=(const RowCounts& other) noexcept {
    read += other.read;
    kept += other.kept;
    without_customer += other.without_customer;
    nonpositive += other.nonpositive;
    excluded += other.excluded;
    return *this;
  }
};

// The microseconds of an ISO 8601 timestamp in the common layouts (`YYYY-MM-DD`,
// `YYYY-MM-DD[T ]HH:MM[:SS[.f{1,6}]][Z|±HH:MM]`), or false for anything else, valid or not:
// the caller then asks parse_timestamp, which has the final word and the error messages. Never
// accepts text parse_timestamp rejects. The last date seen is cached, as rows come in time order.
class FastTimestamp {
 public:
  bool parse(std::string_view text, std::int64_t& micros) noexcept;

 private:
  bool parse_date(const char* text, std::int64_t& days) noexcept;

  char cached_text_[10] = {};
  std::int64_t cached_days_ = 0;
  bool cached_ = false;
};

// Parses the cells of one row. One per thread (it keeps a cache).
class RowParser {
 public:
  RowParser(const PurchaseLayout& layout, const PurchaseColumnsOptions& options) noexcept
      : layout_(&layout), options_(&options) {}

  // Decides what becomes of the row `fields` (layout.fields cells) and, when it is kept, its
  // values. @throws CellFailure for a bad cell.
  RowOutcome parse(const std::string_view* fields, std::int64_t& customer_id, std::int64_t& time_us,
                   double& amount);

 private:
  [[noreturn]] void fail(std::size_t field, std::string_view value, std::string_view rule) const;
  [[noreturn]] void fail(std::size_t field, const Error& error) const;
  std::int64_t parse_time(std::size_t field, std::string_view text);
  double parse_number(std::size_t field, std::string_view text) const;

  const PurchaseLayout* layout_;
  const PurchaseColumnsOptions* options_;
  FastTimestamp fast_time_;
};

}  // namespace crmkit::io::detail
