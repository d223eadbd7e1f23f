#pragma once
// Where the CSV reader's bytes come from: a plain stream, or gzip data decompressed on the fly.

#include <cstdint>
#include <filesystem>
#include <istream>
#include <memory>
#include <string>

namespace crmkit::io::detail {

// A sequential source of bytes. read() blocks until it fills `size` bytes or the input ends.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Returns the number of bytes read; 0 only at the end of input.
  // Throws crmkit::Error when the input cannot be read or is corrupt.
  virtual std::size_t read(char* out, std::size_t size) = 0;
  // Input bytes taken from the underlying stream so far (compressed bytes for gzip).
  [[nodiscard]] virtual std::uint64_t raw_bytes() const noexcept = 0;
  // True when read() decompresses.
  [[nodiscard]] virtual bool compressed() const noexcept = 0;
};

// Opens `in` for reading: sniffs the first bytes and decompresses when they are the gzip magic.
// `in` must outlive the source. `require_gzip` (a `.gz` file name) turns other data into an error.
std::unique_ptr<ByteSource> open_source(std::istream& in, const std::string& name,
                                        bool require_gzip);

}  // namespace crmkit::io::detail
