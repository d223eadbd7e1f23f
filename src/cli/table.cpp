#include "cli/table.hpp"

#include <algorithm>
#include <ostream>

#include "crmkit/io/csv_reader.hpp"

namespace crmkit::cli {

namespace {

bool is_right_aligned(const Table& table, std::size_t column) {
  return std::find(table.right_aligned.begin(), table.right_aligned.end(), column) !=
         table.right_aligned.end();
}

std::vector<std::size_t> column_widths(const Table& table) {
  std::vector<std::size_t> widths(table.columns.size(), 0);
  for (std::size_t i = 0; i < widths.size(); ++i) {
    if (table.header) widths[i] = display_width(table.columns[i]);
    for (const auto& row : table.rows) widths[i] = std::max(widths[i], display_width(row.at(i)));
  }
  return widths;
}

void print_line(std::ostream& out, const Table& table, const std::vector<std::size_t>& widths,
                const std::vector<std::string>& cells) {
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const std::size_t padding = widths[i] - display_width(cells[i]);
    const bool last = i + 1 == cells.size();
    if (i > 0) line += "  ";
    if (is_right_aligned(table, i)) {
      line.append(padding, ' ');
      line += cells[i];
    } else {
      line += cells[i];
      if (!last) line.append(padding, ' ');
    }
  }
  // A right-aligned or empty last cell may still leave blanks at the end.
  line.erase(line.find_last_not_of(' ') + 1);
  out << line << '\n';
}

}  // namespace

std::size_t display_width(std::string_view text) noexcept {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
  }));
}

void print_aligned(std::ostream& out, const Table& table) {
  const std::vector<std::size_t> widths = column_widths(table);
  if (table.header) {
    print_line(out, table, widths, table.columns);
    std::vector<std::string> rules;
    rules.reserve(widths.size());
    for (const std::size_t width : widths) rules.emplace_back(width, '-');
    print_line(out, table, widths, rules);
  }
  for (const auto& row : table.rows) print_line(out, table, widths, row);
}

void print_csv(std::ostream& out, const Table& table) {
  io::CsvWriter writer(out);
  writer.row(table.columns);
  for (const auto& row : table.rows) writer.row(row);
}

}  // namespace crmkit::cli
