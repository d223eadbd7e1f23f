#pragma once
// The CSV tokenizer: splits one row out of a byte range, without copying unless a quoted field
// holds doubled quotes. It keeps no state between rows, so a row cut by the end of the buffer
// is simply scanned again once more bytes are in.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace crmkit::io::detail {

enum class ScanStatus {
  row,         // a row was read
  blank_line,  // an empty line was skipped
  need_more,   // the range ends inside the row: read more and scan again
  error        // malformed CSV: see ScannedRow::error
};

// A malformed row. Offsets count bytes from the start of the row.
struct ScanError {
  std::size_t offset = 0;  // the offending byte
  std::string_view value;  // the offending field's raw text
  std::string_view rule;   // what is wrong, phrased to follow the value
};

struct ScannedRow {
  std::vector<std::string_view> fields;  // views into the range or into `unescaped`
  std::vector<std::size_t> starts;       // where each field starts
  std::vector<std::size_t> line_breaks;  // LFs inside quoted fields
  std::size_t content_end = 0;           // where the row's text ends (before its line end)
  std::size_t size = 0;                  // bytes consumed, line end included
  ScanError error;

  // How many lines `offset` is below the row's first line, and its 1-based column in its line.
  [[nodiscard]] std::size_t line_breaks_before(std::size_t offset) const noexcept;
  [[nodiscard]] std::size_t column_of(std::size_t offset) const noexcept;

  std::string unescaped;  // quoted fields that contained doubled quotes
  // (field index, offset in `unescaped`, size), fixed up into `fields` once the row is complete
  struct Pending {
    std::size_t field;
    std::size_t offset;
    std::size_t size;
  };
  std::vector<Pending> pending;

  void clear() noexcept;
};

class CsvScanner {
 public:
  CsvScanner(char delimiter, char quote) noexcept : delimiter_(delimiter), quote_(quote) {}
  // Scans the row starting at `begin` (not at `end`). `at_eof`: no bytes follow `end`.
  ScanStatus scan(const char* begin, const char* end, bool at_eof, ScannedRow& row) const;

 private:
  char delimiter_;
  char quote_;
};

}  // namespace crmkit::io::detail
