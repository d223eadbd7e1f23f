#pragma once
// The parallel path of read_purchase_columns: a plain CSV file without quote characters, mapped
// into memory, cut into fixed byte ranges at line ends and parsed range by range on several
// threads straight into the result columns.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>

#include "crmkit/analytics/purchases.hpp"
#include "io/purchase_columns_rows.hpp"

namespace crmkit::io::detail {

// The bytes of a whole file, mapped read-only where the system can, else read into memory.
class FileBytes {
 public:
  // @throws Error when the file cannot be opened or read.
  explicit FileBytes(const std::filesystem::path& path);
  ~FileBytes();
  FileBytes(const FileBytes&) = delete;
  FileBytes& operator=(const FileBytes&) = delete;

  [[nodiscard]] std::string_view bytes() const noexcept { return {data_, size_}; }

 private:
  const char* data_ = nullptr;
  std::size_t size_ = 0;
  bool mapped_ = false;
  std::unique_ptr<char[]> owned_;
};

// Bytes per range: fixed, so that ranges (and everything computed from them) do not depend on
// the thread count. Big enough to make the per-range overhead vanish, small enough to keep two
// threads busy on a file of a few MiB.
inline constexpr std::size_t split_range_bytes = std::size_t{1} << 20;

// Reads the data rows of `file` (the whole file's bytes; `source` names it in errors) into
// `out`, on `threads` threads. Returns false, having read nothing, when the file holds a quote
// character (the caller then reads it with CsvReader). The header is the first line that is not
// blank, after an optional UTF-8 byte-order mark; `layout` was resolved from it.
// @throws ParseError naming the file, line, column, cell and rule for the first bad row.
bool read_split(std::string_view file, const std::string& source, const PurchaseLayout& layout,
                const PurchaseColumnsOptions& options, unsigned threads,
                analytics::PurchaseData& out, RowCounts& counts);

}  // namespace crmkit::io::detail
