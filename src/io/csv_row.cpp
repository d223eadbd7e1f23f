#include "io/csv_row.hpp"

#include <fmt/format.h>

namespace crmkit::io::detail {
namespace {

std::string header_list(const std::vector<std::string>& columns) {
  std::string text;
  for (const std::string& column : columns) {
    if (!text.empty()) text += ", ";
    text += column;
  }
  return text.empty() ? "none" : text;
}

// `in column 'amount' <rule>`, naming the domain field too when it says more than the column.
std::string column_rule(const Column& column, std::string_view field, std::string_view rule) {
  const bool say_field = !field.empty() && field != column.name;
  if (column.name.empty()) return fmt::format("({}) {}", field, rule);
  if (!say_field) return fmt::format("in column {} {}", quote_value(column.name), rule);
  return fmt::format("in column {} ({}) {}", quote_value(column.name), field, rule);
}

struct Detail {
  std::string field;
  std::string value;
  std::string rule;
};

Detail detail_of(const Error& error) {
  if (const auto* validation = dynamic_cast<const ValidationError*>(&error)) {
    return {validation->field(), validation->value(), validation->rule()};
  }
  if (const auto* parse = dynamic_cast<const ParseError*>(&error)) {
    return {parse->source(), parse->value(), parse->rule()};
  }
  return {"", "", error.what()};
}

}  // namespace

Column Header::optional(const std::string& name) const {
  if (name.empty()) return {};
  return {name, reader_->column_index(name)};
}

Column Header::required(const std::string& name, std::string_view option) const {
  Column column = optional(name);
  if (!column.present()) {
    fail_missing(name, fmt::format("the {} option names it", option));
  }
  return column;
}

void Header::fail_missing(const std::string& name, std::string_view why) const {
  const std::uint64_t header_line = reader_->format().header ? 1 : 0;
  throw ParseError(reader_->source(), header_line, 0, name,
                   fmt::format("is a required column missing from the header ({}; the header "
                               "has: {})",
                               why, header_list(reader_->columns())));
}

void Row::fail(const Column& column, std::string value, std::string_view rule) const {
  const std::uint64_t line = column.index ? reader_->line_of(*column.index) : reader_->line();
  const std::uint64_t at = column.index ? reader_->column_of(*column.index) : 0;
  std::string field = column.name;
  throw RowFailure(
      ParseError(reader_->source(), line, at, std::move(value), column_rule(column, "", rule)),
      std::move(field));
}

void Row::fail(const Column& column, const Error& error) const {
  Detail d = detail_of(error);
  const std::uint64_t line = column.index ? reader_->line_of(*column.index) : reader_->line();
  const std::uint64_t at = column.index ? reader_->column_of(*column.index) : 0;
  std::string field = column.name.empty() ? d.field : column.name;
  throw RowFailure(ParseError(reader_->source(), line, at, std::move(d.value),
                              column_rule(column, d.field, d.rule)),
                   std::move(field));
}

RowFailure record_failure(const std::string& source, std::uint64_t line, const Column& column,
                          const ValidationError& error) {
  std::string field = column.name.empty() ? error.field() : column.name;
  return RowFailure(
      ParseError(source, line, 0, error.value(), column_rule(column, error.field(), error.rule())),
      std::move(field));
}

}  // namespace crmkit::io::detail
