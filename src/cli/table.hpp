#pragma once
// Rows of text, printed as an aligned table for people or as CSV for programs.

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace crmkit::cli {

/// A table of text cells. Every row has as many cells as there are columns.
struct Table {
  std::vector<std::string> columns;            ///< header names
  std::vector<std::vector<std::string>> rows;  ///< cells
  std::vector<std::size_t> right_aligned;      ///< indexes of numeric columns
  bool header = true;  ///< print the header (tables only; CSV always has it)
};

/// Prints `table` with its columns aligned (widths in UTF-8 characters), two blanks apart, the
/// header underlined with dashes. The last column is not padded, so lines carry no trailing blanks.
void print_aligned(std::ostream& out, const Table& table);

/// Prints `table` as RFC 4180 CSV, header first.
void print_csv(std::ostream& out, const Table& table);

/// The width of `text` on a terminal, counting UTF-8 characters (not bytes).
[[nodiscard]] std::size_t display_width(std::string_view text) noexcept;

}  // namespace crmkit::cli
