#pragma once
// Mapped columns and the row being imported: reading cells and failing with the file, line,
// column, value and rule.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crmkit/core/error.hpp"
#include "crmkit/io/csv_reader.hpp"

namespace crmkit::io::detail {

// A column the options name, and where the header has it (nullopt: not in this file).
struct Column {
  std::string name;
  std::optional<std::size_t> index;
  [[nodiscard]] bool present() const noexcept { return index.has_value(); }
};

// Resolves the options' column names against a reader's header.
class Header {
 public:
  explicit Header(const CsvReader& reader) : reader_(&reader) {}
  // The column, absent when `name` is empty or not in the header.
  [[nodiscard]] Column optional(const std::string& name) const;
  // The column. @throws ParseError (line of the header) when `name` is not in the header;
  // `option` names the setting that chose it.
  [[nodiscard]] Column required(const std::string& name, std::string_view option) const;
  // Fails like required() for a column the import cannot do without, saying `why`.
  [[noreturn]] void fail_missing(const std::string& name, std::string_view why) const;

 private:
  const CsvReader* reader_;
};

// A bad row: a ParseError that also knows the CSV column (or domain field) at fault.
class RowFailure : public ParseError {
 public:
  RowFailure(ParseError error, std::string field)
      : ParseError(std::move(error)), field_(std::move(field)) {}
  [[nodiscard]] const std::string& field() const noexcept { return field_; }

 private:
  std::string field_;
};

// The row being imported.
class Row {
 public:
  Row(const CsvReader& reader, const std::vector<std::string_view>& fields) noexcept
      : reader_(&reader), fields_(&fields) {}

  // The cell of `column`, empty when the column is absent.
  [[nodiscard]] std::string_view operator[](const Column& column) const noexcept {
    return column.index ? (*fields_)[*column.index] : std::string_view{};
  }
  [[nodiscard]] std::uint64_t line() const noexcept { return reader_->line(); }

  // Fails the row at `column` for `value`: `<file>:<line>:<col>: '<value>' in column '<name>'
  // <rule>`.
  [[noreturn]] void fail(const Column& column, std::string value, std::string_view rule) const;
  // Fails the row at `column` with the error of a parser or of validation; `field` names the
  // domain field when it says more than the column name.
  [[noreturn]] void fail(const Column& column, const Error& error) const;

  // Runs `parse` on the cell of `column`, turning ValidationError and ParseError into a failure
  // of the row at that column.
  template <class Parse>
  auto parse(const Column& column, Parse&& parse) const -> decltype(parse(std::string_view{})) {
    try {
      return parse((*this)[column]);
    } catch (const RowFailure&) {
      throw;
    } catch (const ValidationError& error) {
      fail(column, error);
    } catch (const ParseError& error) {
      fail(column, error);
    }
  }

 private:
  const CsvReader* reader_;
  const std::vector<std::string_view>* fields_;
};

// A failure of a record (line known, row gone) at a column: for errors a store reports later.
RowFailure record_failure(const std::string& source, std::uint64_t line, const Column& column,
                          const ValidationError& error);

}  // namespace crmkit::io::detail
