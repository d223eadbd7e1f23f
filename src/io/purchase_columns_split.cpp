#include "io/purchase_columns_split.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "analytics/parallel.hpp"
#include "crmkit/core/error.hpp"

#if defined(__unix__) || defined(__APPLE__)
#define CRMKIT_HAVE_MMAP 1
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace crmkit::io::detail {
namespace {

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

[[noreturn]] void fail_to_read(const std::filesystem::path& path) {
  throw Error(fmt::format("{}: cannot read the file: {}", path.string(), std::strerror(errno)));
}

// Where the first data row starts: after the BOM, the blank lines and the header line, as
// CsvReader reads them; `lines` gets the number of line ends before it.
std::size_t data_start(std::string_view file, std::uint64_t& lines) {
  std::size_t pos = file.starts_with(utf8_bom) ? utf8_bom.size() : 0;
  lines = 0;
  while (pos < file.size()) {
    const std::size_t lf = file.find('\n', pos);
    const std::size_t line_end = lf == std::string_view::npos ? file.size() : lf;
    const std::string_view content = file.substr(pos, line_end - pos);
    pos = lf == std::string_view::npos ? file.size() : lf + 1;
    if (lf != std::string_view::npos) ++lines;
    if (!content.empty() && content != "\r") break;  // the header
  }
  return pos;
}

// One range of whole lines, and what reading it found.
struct Range {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::uint64_t line_ends = 0;  // LFs in the range
  bool has_quote = false;
  std::size_t first_row = 0;  // where its rows go in the output
  std::size_t capacity = 0;   // at most this many rows
  RowCounts counts;
  // The first bad row: its line relative to the range's first line, column and message.
  bool failed = false;
  std::uint64_t error_line = 0;
  std::uint64_t error_column = 0;
  std::string error_value;
  std::string error_rule;
};

std::vector<Range> split(std::string_view file, std::size_t begin) {
  std::vector<Range> ranges;
  while (begin < file.size()) {
    std::size_t end = std::min(file.size(), begin + split_range_bytes);
    if (end < file.size()) {
      const std::size_t lf = file.find('\n', end - 1);
      end = lf == std::string_view::npos ? file.size() : lf + 1;
    }
    Range& range = ranges.emplace_back();
    range.begin = begin;
    range.end = end;
    begin = end;
  }
  return ranges;
}

// Counts line ends and looks for a quote in one pass. Byte-wide counters over blocks of 255
// bytes let the compiler vectorize it 16 or 32 bytes at a time.
void survey(std::string_view bytes, char quote, Range& range) {
  std::uint64_t line_ends = 0;
  unsigned char quotes = 0;
  const char* p = bytes.data();
  std::size_t left = bytes.size();
  while (left != 0) {
    const std::size_t block = std::min<std::size_t>(left, 255);
    unsigned char count = 0;
    for (std::size_t i = 0; i < block; ++i) {
      count = static_cast<unsigned char>(count + (p[i] == '\n' ? 1 : 0));
      quotes = static_cast<unsigned char>(quotes | (p[i] == quote ? 1 : 0));
    }
    line_ends += count;
    p += block;
    left -= block;
  }
  range.line_ends = line_ends;
  range.has_quote = quotes != 0;
}

std::string joined_columns(const std::vector<std::string>& names, std::size_t from) {
  std::string text;
  for (std::size_t i = from; i < names.size(); ++i) {
    if (!text.empty()) text += ", ";
    text += names[i];
  }
  return text;
}

class RangeReader {
 public:
  RangeReader(std::string_view file, const PurchaseLayout& layout,
              const PurchaseColumnsOptions& options, analytics::PurchaseData& out)
      : file_(file),
        layout_(layout),
        delimiter_(options.format.delimiter),
        parser_(layout, options),
        out_(out) {
    fields_.reserve(layout.fields + 1);
  }

  void read(Range& range) {
    const char* p = file_.data() + range.begin;
    const char* const end = file_.data() + range.end;
    std::size_t row = range.first_row;
    for (std::uint64_t line = 0; p < end; ++line) {
      const char* const line_start = p;
      const char* field = p;
      const char* stop = nullptr;
      fields_.clear();
      for (;;) {
        stop = find_stop(p, end);
        if (stop == end || *stop == '\n') break;
        fields_.emplace_back(field, static_cast<std::size_t>(stop - field));
        p = field = stop + 1;
      }
      p = stop == end ? end : stop + 1;
      const char* content_end = stop;
      if (content_end > field && content_end[-1] == '\r') --content_end;
      if (content_end == line_start) continue;  // a blank line
      fields_.emplace_back(field, static_cast<std::size_t>(content_end - field));
      if (fields_.size() != layout_.fields) {
        fail_field_count(range, line, line_start, content_end);
        return;
      }
      RowOutcome outcome{};
      try {
        outcome = parser_.parse(fields_.data(), out_.customer_ids[row], out_.times_us[row],
                                out_.amounts[row]);
      } catch (CellFailure& failure) {
        const std::string_view cell = fields_[failure.field];
        fail(range, line, static_cast<std::uint64_t>(cell.data() - line_start) + 1,
             std::move(failure.value), std::move(failure.rule));
        return;
      }
      range.counts.add(outcome);
      if (outcome == RowOutcome::kept) ++row;
    }
  }

 private:
  // The first delimiter or LF in [p, end), or end. Eight bytes at a time: a byte equal to the
  // one sought becomes zero after the XOR, and the classic zero-byte test flags it; the lowest
  // flag is always exact (false flags only sit above a true one).
  const char* find_stop(const char* p, const char* end) const noexcept {
    if constexpr (std::endian::native == std::endian::little) {
      constexpr std::uint64_t ones = 0x0101'0101'0101'0101ULL;
      constexpr std::uint64_t highs = 0x8080'8080'8080'8080ULL;
      const std::uint64_t lf = ones * static_cast<unsigned char>('\n');
      const std::uint64_t delimiter = ones * static_cast<unsigned char>(delimiter_);
      // The last position an 8-byte load may start at without reading past the file.
      const std::size_t words_end = file_.size() < 8 ? 0 : file_.size() - 7;
      while (p < end && static_cast<std::size_t>(p - file_.data()) < words_end) {
        std::uint64_t word = 0;
        std::memcpy(&word, p, sizeof word);
        const std::uint64_t a = word ^ lf;
        const std::uint64_t b = word ^ delimiter;
        const std::uint64_t flags = (((a - ones) & ~a) | ((b - ones) & ~b)) & highs;
        if (flags != 0) {
          const char* const found = p + std::countr_zero(flags) / 8;
          return found < end ? found : end;
        }
        p += 8;
      }
    }
    while (p < end && *p != '\n' && *p != delimiter_) ++p;
    return p < end ? p : end;
  }

  static void fail(Range& range, std::uint64_t line, std::uint64_t column, std::string value,
                   std::string rule) {
    range.failed = true;
    range.error_line = line;
    range.error_column = column;
    range.error_value = std::move(value);
    range.error_rule = std::move(rule);
  }

  // The same errors as CsvReader's for a row with too many or too few fields.
  void fail_field_count(Range& range, std::uint64_t line, const char* line_start,
                        const char* content_end) {
    const std::size_t expected = layout_.fields;
    const std::size_t actual = fields_.size();
    const std::string counts =
        fmt::format("the row has {} fields where the header has {}", actual, expected);
    if (actual > expected) {
      const std::string_view extra = fields_[expected];
      fail(range, line, static_cast<std::uint64_t>(extra.data() - line_start) + 1, std::string(extra),
           fmt::format("is an extra field: {}", counts));
      return;
    }
    fail(range, line, static_cast<std::uint64_t>(content_end - line_start) + 1,
         std::string(fields_.back()),
         fmt::format("ends the row too early: {} (missing: {})", counts,
                     joined_columns(layout_.names, actual)));
  }

  std::string_view file_;
  const PurchaseLayout& layout_;
  char delimiter_;
  RowParser parser_;
  analytics::PurchaseData& out_;
  std::vector<std::string_view> fields_;
};

// Moves each range's rows down to follow the previous range's, where rows were dropped.
template <class T>
void close_gaps(std::vector<T>& column, const std::vector<Range>& ranges) {
  std::size_t next = 0;
  for (const Range& range : ranges) {
    const auto kept = static_cast<std::size_t>(range.counts.kept);
    if (range.first_row != next && kept != 0) {
      std::memmove(column.data() + next, column.data() + range.first_row, kept * sizeof(T));
    }
    next += kept;
  }
  column.resize(next);
}

}  // namespace

#ifdef CRMKIT_HAVE_MMAP

FileBytes::FileBytes(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail_to_read(path);
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    ::close(fd);
    fail_to_read(path);
  }
  size_ = static_cast<std::size_t>(info.st_size);
  if (size_ == 0) {
    ::close(fd);
    return;
  }
  void* map = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);  // the mapping keeps the file
  if (map == MAP_FAILED) fail_to_read(path);
  data_ = static_cast<const char*>(map);
  mapped_ = true;
}

FileBytes::~FileBytes() {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-const-cast): munmap takes a non-const pointer.
  if (mapped_) ::munmap(const_cast<char*>(data_), size_);
}

#else

FileBytes::FileBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) fail_to_read(path);
  size_ = static_cast<std::size_t>(in.tellg());
  owned_ = std::make_unique<char[]>(size_ == 0 ? 1 : size_);
  in.seekg(0);
  if (!in.read(owned_.get(), static_cast<std::streamsize>(size_))) fail_to_read(path);
  data_ = owned_.get();
}

FileBytes::~FileBytes() = default;

#endif

bool read_split(std::string_view file, const std::string& source, const PurchaseLayout& layout,
                const PurchaseColumnsOptions& options, unsigned threads,
                analytics::PurchaseData& out, RowCounts& counts) {
  const char quote = options.format.quote;
  std::uint64_t header_line_ends = 0;
  const std::size_t begin = data_start(file, header_line_ends);
  if (file.substr(0, begin).find(quote) != std::string_view::npos) return false;
  std::vector<Range> ranges = split(file, begin);

  analytics::detail::parallel_for(ranges.size(), threads, [&](std::size_t i) {
    Range& range = ranges[i];
    survey(file.substr(range.begin, range.end - range.begin), quote, range);
  });
  std::size_t rows = 0;
  for (Range& range : ranges) {
    if (range.has_quote) return false;
    range.first_row = rows;
    // A row per line end, plus the last line when the file does not end with one.
    range.capacity = range.line_ends + (file[range.end - 1] == '\n' ? 0 : 1);
    rows += range.capacity;
  }

  // Zero-filling 24 bytes a row is a pass over memory of its own: one column per task.
  analytics::detail::parallel_for(3, threads, [&](std::size_t column) {
    if (column == 0) out.customer_ids.resize(rows);
    if (column == 1) out.times_us.resize(rows);
    if (column == 2) out.amounts.resize(rows);
  });
  std::atomic<std::size_t> first_failed{ranges.size()};
  analytics::detail::parallel_for(ranges.size(), threads, [&](std::size_t i) {
    // Ranges after a bad one are not needed: the first error is the one reported.
    if (i > first_failed.load(std::memory_order_relaxed)) return;
    RangeReader reader(file, layout, options, out);
    reader.read(ranges[i]);
    if (ranges[i].failed) {
      std::size_t seen = first_failed.load();
      while (i < seen && !first_failed.compare_exchange_weak(seen, i)) {
      }
    }
  });

  std::uint64_t line = header_line_ends + 1;  // the first line of the range
  for (const Range& range : ranges) {
    if (range.failed) {
      throw ParseError(source, line + range.error_line, range.error_column, range.error_value,
                       range.error_rule);
    }
    line += range.line_ends;
    counts += range.counts;
  }
  close_gaps(out.customer_ids, ranges);
  close_gaps(out.times_us, ranges);
  close_gaps(out.amounts, ranges);
  return true;
}

}  // namespace crmkit::io::detail
