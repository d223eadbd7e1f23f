#include "crmkit/io/csv_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "crmkit/core/error.hpp"
#include "io/byte_source.hpp"
#include "io/csv_scanner.hpp"

namespace crmkit::io {
namespace {

// Big reads amortize the system call and decompressor overhead; rows longer than this grow it.
constexpr std::size_t chunk_size = std::size_t{1} << 20;
constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

std::unique_ptr<std::ifstream> open_file(const std::filesystem::path& file) {
  auto in = std::make_unique<std::ifstream>(file, std::ios::binary);
  if (!*in) {
    throw Error(fmt::format("{}: cannot open the file for reading: {}", file.string(),
                            std::strerror(errno)));
  }
  return in;
}

std::uint64_t file_size_or_zero(const std::filesystem::path& file) noexcept {
  std::error_code error;
  const std::uintmax_t size = std::filesystem::file_size(file, error);
  return error ? 0 : static_cast<std::uint64_t>(size);
}

std::string joined_columns(const std::vector<std::string>& columns, std::size_t from) {
  std::string text;
  for (std::size_t i = from; i < columns.size(); ++i) {
    if (!text.empty()) text += ", ";
    text += columns[i];
  }
  return text;
}

}  // namespace

struct CsvReader::Impl {
  Impl(std::istream& in, std::string name, CsvFormat csv_format, bool require_gzip)
      : source(std::move(name)),
        format(csv_format),
        input(detail::open_source(in, source, require_gzip)),
        scanner(csv_format.delimiter, csv_format.quote),
        buffer(std::make_unique<char[]>(chunk_size)),
        capacity(chunk_size) {}

  std::string source;
  CsvFormat format;
  std::unique_ptr<std::ifstream> file;  // owned input of the file constructor
  std::unique_ptr<detail::ByteSource> input;
  std::uint64_t total = 0;
  detail::CsvScanner scanner;
  detail::ScannedRow row;

  std::unique_ptr<char[]> buffer;
  std::size_t capacity;
  std::size_t begin = 0;  // first unread byte
  std::size_t end = 0;    // end of the bytes read
  bool eof = false;
  bool started = false;  // the first chunk (and its byte-order mark) has been read

  std::uint64_t next_line = 1;  // line on which the next row starts
  std::uint64_t row_line = 0;   // line of the last row returned
  std::vector<std::string> columns;
  std::optional<std::size_t> expected_fields;

  void fill() {
    if (begin > 0) {
      std::memmove(buffer.get(), buffer.get() + begin, end - begin);
      end -= begin;
      begin = 0;
    }
    if (end == capacity) grow();
    const std::size_t n = input->read(buffer.get() + end, capacity - end);
    if (n == 0) eof = true;
    end += n;
    if (!started) {
      started = true;
      if (std::string_view(buffer.get(), end).starts_with(utf8_bom)) begin = utf8_bom.size();
    }
  }

  void grow() {
    auto bigger = std::make_unique<char[]>(capacity * 2);
    std::memcpy(bigger.get(), buffer.get(), end);
    buffer = std::move(bigger);
    capacity *= 2;
  }

  // Reads the next row into `row`; false at the end of input.
  bool scan_row() {
    for (;;) {
      if (begin == end) {
        if (eof) return false;
        fill();
        continue;
      }
      const char* data = buffer.get();
      switch (scanner.scan(data + begin, data + end, eof, row)) {
        case detail::ScanStatus::need_more:
          fill();
          break;
        case detail::ScanStatus::blank_line:
          begin += row.size;
          ++next_line;
          break;
        case detail::ScanStatus::error:
          fail_malformed();
        case detail::ScanStatus::row:
          row_line = next_line;
          next_line += row.line_breaks.size() + 1;
          begin += row.size;
          return true;
      }
    }
  }

  [[noreturn]] void fail_malformed() {
    const detail::ScanError& error = row.error;
    const std::uint64_t line = next_line + row.line_breaks_before(error.offset);
    const std::uint64_t column = row.column_of(error.offset);
    std::string value(error.value);
    std::string rule(error.rule);
    next_line += row.line_breaks.size() + 1;
    begin += row.size;
    throw ParseError(source, line, column, std::move(value), std::move(rule));
  }

  [[nodiscard]] std::uint64_t line_of(std::size_t index) const noexcept {
    if (index >= row.starts.size()) return row_line;
    return row_line + row.line_breaks_before(row.starts[index]);
  }

  [[nodiscard]] std::uint64_t column_of(std::size_t index) const noexcept {
    if (index >= row.starts.size()) return row.column_of(row.content_end);
    return row.column_of(row.starts[index]);
  }

  void check_field_count() const {
    const std::size_t expected = *expected_fields;
    const std::size_t actual = row.fields.size();
    if (actual == expected) return;
    const std::string counts = fmt::format("the row has {} fields where the {} has {}", actual,
                                           format.header ? "header" : "first row", expected);
    if (actual > expected) {
      throw ParseError(source, line_of(expected), column_of(expected),
                       std::string(row.fields[expected]),
                       fmt::format("is an extra field: {}", counts));
    }
    const std::string missing =
        format.header ? fmt::format(" (missing: {})", joined_columns(columns, actual)) : "";
    throw ParseError(source, row_line + row.line_breaks.size(), row.column_of(row.content_end),
                     std::string(row.fields.back()),
                     fmt::format("ends the row too early: {}{}", counts, missing));
  }

  void read_header() {
    if (!format.header || !scan_row()) return;
    columns.assign(row.fields.begin(), row.fields.end());
    expected_fields = columns.size();
  }
};

CsvReader::CsvReader(const std::filesystem::path& file, CsvFormat format) {
  auto stream = open_file(file);
  impl_ = std::make_unique<Impl>(*stream, file.string(), format, file.extension() == ".gz");
  impl_->file = std::move(stream);
  impl_->total = file_size_or_zero(file);
  impl_->read_header();
}

CsvReader::CsvReader(std::istream& in, std::string source, CsvFormat format)
    : impl_(std::make_unique<Impl>(in, std::move(source), format, false)) {
  impl_->read_header();
}

CsvReader::~CsvReader() = default;

const std::vector<std::string>& CsvReader::columns() const noexcept { return impl_->columns; }

std::optional<std::size_t> CsvReader::column_index(std::string_view name) const noexcept {
  const auto& columns = impl_->columns;
  const auto it = std::find(columns.begin(), columns.end(), name);
  if (it == columns.end()) return std::nullopt;
  return static_cast<std::size_t>(it - columns.begin());
}

bool CsvReader::next(std::vector<std::string_view>& fields) {
  fields.clear();
  if (!impl_->scan_row()) return false;
  if (!impl_->expected_fields) impl_->expected_fields = impl_->row.fields.size();
  impl_->check_field_count();
  fields.assign(impl_->row.fields.begin(), impl_->row.fields.end());
  return true;
}

std::uint64_t CsvReader::line() const noexcept { return impl_->row_line; }

std::uint64_t CsvReader::line_of(std::size_t index) const noexcept { return impl_->line_of(index); }

std::uint64_t CsvReader::column_of(std::size_t index) const noexcept {
  return impl_->column_of(index);
}

std::uint64_t CsvReader::bytes_read() const noexcept {
  const std::uint64_t raw = impl_->input->raw_bytes();
  if (impl_->input->compressed()) return raw;
  return raw - (impl_->end - impl_->begin);
}

std::uint64_t CsvReader::bytes_total() const noexcept { return impl_->total; }

const std::string& CsvReader::source() const noexcept { return impl_->source; }

const CsvFormat& CsvReader::format() const noexcept { return impl_->format; }

}  // namespace crmkit::io
