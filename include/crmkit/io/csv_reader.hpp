#pragma once
/// @file
/// @brief A fast, strict RFC 4180 CSV reader over plain or gzip-compressed input, and a writer.

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace crmkit::io {

/// How CSV text is read.
struct CsvFormat {
  char delimiter = ',';  ///< field separator
  char quote = '"';      ///< quote character; a doubled quote inside quotes is one quote
  bool header = true;    ///< the first row names the columns
};

/// Reads CSV rows one at a time with their line numbers, without copying unquoted fields.
///
/// Accepts LF and CRLF line ends, quoted fields with embedded delimiters, quotes and line breaks,
/// and a UTF-8 byte-order mark at the start. Empty lines are skipped. Rejects, with ParseError
/// naming the source, line and column: a quote inside an unquoted field, text after a closing
/// quote, an unterminated quote, and rows whose field count differs from the header's (without a
/// header: from the first row's). After such a ParseError the reader stands at the line after the
/// bad row, so a caller that wants to skip bad rows may simply call next() again.
///
/// Input is read in 1 MiB chunks and scanned with memchr. Input starting with the gzip magic
/// bytes is decompressed on the fly (Boost.Iostreams); a file whose name ends in `.gz` must be
/// gzip data. Not thread-safe: one reader per thread.
class CsvReader {
 public:
  /// Opens a file. @throws Error when it cannot be opened or read, or when it is named `*.gz`
  /// but is not gzip data.
  explicit CsvReader(const std::filesystem::path& file, CsvFormat format = {});
  /// Reads from a stream (decompressing gzip when it starts with the gzip magic bytes), which must
  /// outlive the reader; `source` names it in errors. @throws Error when the stream fails.
  CsvReader(std::istream& in, std::string source, CsvFormat format = {});
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;             ///< Not copyable.
  CsvReader& operator=(const CsvReader&) = delete;  ///< Not copyable.

  /// The header's column names (empty without a header).
  [[nodiscard]] const std::vector<std::string>& columns() const noexcept;
  /// The index of the first header column with this exact name, or nullopt.
  [[nodiscard]] std::optional<std::size_t> column_index(std::string_view name) const noexcept;
  /// Reads the next row into `fields` (views valid until the next call). False at the end of input.
  /// @throws ParseError on malformed CSV (the bad row is then consumed); Error when the input
  ///         cannot be read or its gzip data is corrupt.
  bool next(std::vector<std::string_view>& fields);
  /// The 1-based line on which the last row returned by next() starts.
  [[nodiscard]] std::uint64_t line() const noexcept;
  /// The 1-based line on which field `index` of the last row starts (after a quoted line break
  /// it is later than line()).
  [[nodiscard]] std::uint64_t line_of(std::size_t index) const noexcept;
  /// The 1-based column (byte offset in its line + 1) where field `index` of the last row starts.
  [[nodiscard]] std::uint64_t column_of(std::size_t index) const noexcept;
  /// Bytes of input consumed so far (compressed bytes, read ahead by the decompressor, for gzip).
  [[nodiscard]] std::uint64_t bytes_read() const noexcept;
  /// Total input size in bytes when known (file input), else 0.
  [[nodiscard]] std::uint64_t bytes_total() const noexcept;
  /// The source name used in errors.
  [[nodiscard]] const std::string& source() const noexcept;
  /// The format the reader was opened with.
  [[nodiscard]] const CsvFormat& format() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Writes RFC 4180 CSV: fields are quoted only when they contain the delimiter, a quote, CR or LF,
/// or start or end with a blank (space or tab), with quotes doubled; rows end with LF. A row made
/// of one empty field is written as `""` so that it does not read back as an (ignored) empty line.
class CsvWriter {
 public:
  /// Writes to `out`, which must outlive the writer.
  explicit CsvWriter(std::ostream& out, char delimiter = ',');
  /// Writes one row.
  void row(const std::vector<std::string_view>& fields);
  /// Writes one row of strings.
  void row(const std::vector<std::string>& fields);
  /// Writes one row given in place, e.g. `writer.row({"id", "name"})`.
  void row(std::initializer_list<std::string_view> fields);

 private:
  template <class Range>
  void write_row(const Range& fields);
  void append_field(std::string_view field);

  std::ostream* out_;
  char delimiter_;
  std::string line_;
};

}  // namespace crmkit::io
