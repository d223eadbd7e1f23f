#include "crmkit/core/error.hpp"
#include "crmkit/io/csv_reader.hpp"

namespace crmkit::io {
namespace {

bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }

}  // namespace

CsvWriter::CsvWriter(std::ostream& out, char delimiter) : out_(&out), delimiter_(delimiter) {}

void CsvWriter::row(const std::vector<std::string_view>& fields) { write_row(fields); }

void CsvWriter::row(const std::vector<std::string>& fields) { write_row(fields); }

void CsvWriter::row(std::initializer_list<std::string_view> fields) { write_row(fields); }

template <class Range>
void CsvWriter::write_row(const Range& fields) {
  line_.clear();
  bool first = true;
  for (const auto& field : fields) {
    if (!first) line_ += delimiter_;
    first = false;
    append_field(field);
  }
  // A lone empty field would be an empty line, which readers skip.
  if (line_.empty() && !first) line_ = "\"\"";
  line_ += '\n';
  out_->write(line_.data(), static_cast<std::streamsize>(line_.size()));
  if (!*out_) throw Error("CSV output: writing to the stream failed");
}

void CsvWriter::append_field(std::string_view field) {
  const char specials[] = {delimiter_, '"', '\r', '\n', '\0'};
  const bool needs_quotes = field.find_first_of(specials) != std::string_view::npos ||
                            (!field.empty() && (is_blank(field.front()) || is_blank(field.back())));
  if (!needs_quotes) {
    line_ += field;
    return;
  }
  line_ += '"';
  for (const char c : field) {
    if (c == '"') line_ += '"';
    line_ += c;
  }
  line_ += '"';
}

}  // namespace crmkit::io
