#include "io/csv_scanner.hpp"

#include <algorithm>
#include <cstring>

namespace crmkit::io::detail {
namespace {

const char* find(const char* from, const char* to, char c) noexcept {
  if (from >= to) return nullptr;
  return static_cast<const char*>(std::memchr(from, c, static_cast<std::size_t>(to - from)));
}

// One scan of one row. The field readers return where the next field starts, or nullptr with
// status_ set when the row is malformed or cannot be completed from the bytes at hand.
class RowScan {
 public:
  RowScan(const char* begin, const char* end, bool at_eof, char delimiter, char quote,
          ScannedRow& row) noexcept
      : begin_(begin), end_(end), eof_(at_eof), delimiter_(delimiter), quote_(quote), row_(row) {}

  ScanStatus run() {
    if (blank_line()) return status_;
    const char* p = begin_;
    for (;;) {
      if (p == end_) {
        // After a delimiter at the very end: the row ends with an empty field.
        if (!eof_) return ScanStatus::need_more;
        push(p, std::string_view(p, 0));
        return finish(end_, end_);
      }
      const char* next = *p == quote_ ? quoted(p) : unquoted(p);
      if (next == nullptr) return status_;
      if (done_) return ScanStatus::row;
      p = next;
    }
  }

 private:
  bool blank_line() noexcept {
    if (*begin_ == '\n') {
      row_.size = 1;
      status_ = ScanStatus::blank_line;
      return true;
    }
    if (*begin_ != '\r') return false;
    if (begin_ + 1 == end_) {
      status_ = eof_ ? ScanStatus::blank_line : ScanStatus::need_more;
      row_.size = 1;
      return true;
    }
    if (begin_[1] == '\n') {
      row_.size = 2;
      status_ = ScanStatus::blank_line;
      return true;
    }
    return false;
  }

  [[nodiscard]] std::size_t offset(const char* p) const noexcept {
    return static_cast<std::size_t>(p - begin_);
  }

  void push(const char* start, std::string_view field) {
    row_.fields.push_back(field);
    row_.starts.push_back(offset(start));
  }

  // Ends the row: its text stops at `content_end`, the next row starts at `next_row`.
  ScanStatus finish(const char* content_end, const char* next_row) {
    row_.content_end = offset(content_end);
    row_.size = offset(next_row);
    for (const ScannedRow::Pending& pending : row_.pending) {
      row_.fields[pending.field] =
          std::string_view(row_.unescaped).substr(pending.offset, pending.size);
    }
    done_ = true;
    status_ = ScanStatus::row;
    return status_;
  }

  // The LF ending the physical line at `p`, `end_` at the end of input, nullptr when unknown yet.
  const char* line_end(const char* p) {
    if (line_end_ != nullptr && line_end_ >= p) return line_end_;
    line_end_ = find(p, end_, '\n');
    if (line_end_ == nullptr && eof_) line_end_ = end_;
    if (line_end_ == nullptr) status_ = ScanStatus::need_more;
    return line_end_;
  }

  // The first quote in [p, eol), or nullptr: one search per line rather than one per field.
  const char* first_quote(const char* p, const char* eol) {
    if (quote_line_ != eol || (next_quote_ != nullptr && next_quote_ < p)) {
      next_quote_ = find(p, eol, quote_);
      quote_line_ = eol;
    }
    return next_quote_;
  }

  const char* fail(const char* at, const char* value_begin, const char* value_end,
                   std::string_view rule) {
    row_.error.offset = offset(at);
    row_.error.value =
        std::string_view(value_begin, static_cast<std::size_t>(value_end - value_begin));
    row_.error.rule = rule;
    // Resume at the line after the one holding the error.
    const char* lf = find(at, end_, '\n');
    if (lf == nullptr && !eof_) {
      status_ = ScanStatus::need_more;
      return nullptr;
    }
    row_.size = lf == nullptr ? offset(end_) : offset(lf) + 1;
    status_ = ScanStatus::error;
    return nullptr;
  }

  // Returns where the next field starts, or nullptr (status set). Sets done_ at the row's end.
  const char* unquoted(const char* p) {
    const char* eol = line_end(p);
    if (eol == nullptr) return nullptr;
    const char* stop = find(p, eol, delimiter_);
    if (stop == nullptr) stop = eol;
    const char* quote = first_quote(p, eol);
    if (const char* stray = quote != nullptr && quote < stop ? quote : nullptr) {
      return fail(stray, p, stop > p && stop[-1] == '\r' && stop == eol ? stop - 1 : stop,
                  "has a quote inside an unquoted field (quote the whole field and double the "
                  "quotes inside it)");
    }
    std::string_view field(p, static_cast<std::size_t>(stop - p));
    if (stop != eol) {
      push(p, field);
      return stop + 1;
    }
    if (!field.empty() && field.back() == '\r') field.remove_suffix(1);
    push(p, field);
    finish(p + field.size(), eol == end_ ? end_ : eol + 1);
    return end_;
  }

  void record_line_breaks(const char* from, const char* to) {
    for (const char* lf = find(from, to, '\n'); lf != nullptr; lf = find(lf + 1, to, '\n')) {
      row_.line_breaks.push_back(offset(lf));
    }
  }

  // Finds the closing quote of the field opened at `open`, unescaping doubled quotes into
  // row_.unescaped. Returns the closing quote, or nullptr (status set).
  const char* closing_quote(const char* open, bool& escaped) {
    const char* segment = open + 1;
    for (const char* q = open + 1;;) {
      const char* close = find(q, end_, quote_);
      if (close == nullptr) {
        if (!eof_) {
          status_ = ScanStatus::need_more;
          return nullptr;
        }
        const char* eol = find(open, end_, '\n');
        fail(open, open, eol == nullptr ? end_ : eol, "opens a quoted field that is never closed");
        row_.size = offset(end_);  // the rest of the input is inside the quotes
        return nullptr;
      }
      if (close + 1 == end_ && !eof_) {
        status_ = ScanStatus::need_more;
        return nullptr;
      }
      if (close + 1 == end_ || close[1] != quote_) {
        if (escaped) row_.unescaped.append(segment, close);
        return close;
      }
      if (!escaped) {
        escaped = true;
        pending_offset_ = row_.unescaped.size();
      }
      row_.unescaped.append(segment, close + 1);  // keeps one of the two quotes
      q = close + 2;
      segment = q;
    }
  }

  const char* quoted(const char* open) {
    bool escaped = false;
    const char* close = closing_quote(open, escaped);
    if (close == nullptr) return nullptr;
    record_line_breaks(open + 1, close);
    std::string_view field(open + 1, static_cast<std::size_t>(close - open - 1));
    if (escaped) {
      row_.pending.push_back(
          {row_.fields.size(), pending_offset_, row_.unescaped.size() - pending_offset_});
    }
    const char* after = close + 1;
    if (after == end_) {
      push(open, field);
      finish(after, end_);
      return end_;
    }
    if (*after == delimiter_) {
      push(open, field);
      return after + 1;
    }
    if (*after == '\n') {
      push(open, field);
      finish(after, after + 1);
      return end_;
    }
    if (*after == '\r' && after + 1 == end_) {
      if (!eof_) {
        status_ = ScanStatus::need_more;
        return nullptr;
      }
      push(open, field);
      finish(after, end_);
      return end_;
    }
    if (*after == '\r' && after[1] == '\n') {
      push(open, field);
      finish(after, after + 2);
      return end_;
    }
    const char* eol = find(after, end_, '\n');
    const char* stop = find(after, eol == nullptr ? end_ : eol, delimiter_);
    if (stop == nullptr) stop = eol == nullptr ? end_ : eol;
    if (stop > after && stop[-1] == '\r') --stop;
    return fail(after, open, stop,
                "has text after the closing quote of a quoted field (a quote inside a quoted "
                "field must be doubled)");
  }

  const char* begin_;
  const char* end_;
  bool eof_;
  char delimiter_;
  char quote_;
  ScannedRow& row_;
  const char* line_end_ = nullptr;
  const char* next_quote_ = nullptr;  // the next quote on the line ending at quote_line_
  const char* quote_line_ = nullptr;
  std::size_t pending_offset_ = 0;
  bool done_ = false;
  ScanStatus status_ = ScanStatus::need_more;
};

}  // namespace

std::size_t ScannedRow::line_breaks_before(std::size_t offset) const noexcept {
  return static_cast<std::size_t>(std::lower_bound(line_breaks.begin(), line_breaks.end(), offset) -
                                  line_breaks.begin());
}

std::size_t ScannedRow::column_of(std::size_t offset) const noexcept {
  const std::size_t before = line_breaks_before(offset);
  const std::size_t line_start = before == 0 ? 0 : line_breaks[before - 1] + 1;
  return offset - line_start + 1;
}

void ScannedRow::clear() noexcept {
  fields.clear();
  starts.clear();
  line_breaks.clear();
  unescaped.clear();
  pending.clear();
  content_end = 0;
  size = 0;
  error = ScanError{};
}

ScanStatus CsvScanner::scan(const char* begin, const char* end, bool at_eof,
                            ScannedRow& row) const {
  row.clear();
  return RowScan(begin, end, at_eof, delimiter_, quote_, row).run();
}

}  // namespace crmkit::io::detail
