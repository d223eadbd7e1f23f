#pragma once
/// @file
/// Raw binary purchase columns shared by the bench programs (written by generate_purchases, read
/// by rfm_bench, kmeans_bench and the Python peers with numpy). Benchmarks load data from this
/// file so that they time the analytics, not CSV parsing.
///
/// Format of `PREFIX.bin` (all little-endian, no padding):
///
///     offset 0        8 bytes   magic "CRMKPUR1"
///     offset 8        uint64    n, the row count
///     offset 16       int64     customer_ids[n]
///     offset 16+8n    int64     times_us[n]   (microseconds since 1970-01-01 UTC)
///     offset 16+16n   float64   amounts[n]    (major currency units)
///
/// numpy: `n = np.fromfile(f, "<u8", 1, offset=8)[0]`, then
/// `np.fromfile(f, "<i8", n, offset=16)`, `np.fromfile(f, "<i8", n, offset=16+8*n)`,
/// `np.fromfile(f, "<f8", n, offset=16+16*n)`.

#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "crmkit/analytics/purchases.hpp"

namespace crmkit::bench {

/// The 8 magic bytes that open a purchase columns file.
inline constexpr char purchase_bin_magic[8] = {'C', 'R', 'M', 'K', 'P', 'U', 'R', '1'};

namespace detail {

static_assert(std::endian::native == std::endian::little,
              "the purchase columns file is little-endian; add byte swapping for this target");

struct FileCloser {
  void operator()(std::FILE* file) const noexcept { std::fclose(file); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

inline FilePtr open_file(const std::string& path, const char* mode) {
  FilePtr file(std::fopen(path.c_str(), mode));
  if (!file) throw std::runtime_error("cannot open '" + path + "' (mode " + mode + ")");
  return file;
}

inline void read_exact(std::FILE* file, void* data, std::size_t bytes, const std::string& path) {
  if (bytes != 0 && std::fread(data, 1, bytes, file) != bytes) {
    throw std::runtime_error("'" + path + "' is truncated: not a complete purchase columns file");
  }
}

inline void write_exact(std::FILE* file, const void* data, std::size_t bytes, const std::string& path) {
  if (bytes != 0 && std::fwrite(data, 1, bytes, file) != bytes) {
    throw std::runtime_error("cannot write '" + path + "'");
  }
}

}  // namespace detail

/// Writes `view` to `path` in the format above (replacing the file).
/// @throws std::runtime_error when the columns differ in length or the file cannot be written.
inline void write_purchase_bin(const std::string& path, const crmkit::analytics::PurchaseView& view) {
  const std::size_t n = view.customer_ids.size();
  if (view.times_us.size() != n || view.amounts.size() != n) {
    throw std::runtime_error("write_purchase_bin: the three columns must have the same length");
  }
  auto file = detail::open_file(path, "wb");
  const auto rows = static_cast<std::uint64_t>(n);
  detail::write_exact(file.get(), purchase_bin_magic, sizeof purchase_bin_magic, path);
  detail::write_exact(file.get(), &rows, sizeof rows, path);
  detail::write_exact(file.get(), view.customer_ids.data(), n * sizeof(std::int64_t), path);
  detail::write_exact(file.get(), view.times_us.data(), n * sizeof(std::int64_t), path);
  detail::write_exact(file.get(), view.amounts.data(), n * sizeof(double), path);
  if (std::fclose(file.release()) != 0) throw std::runtime_error("cannot write '" + path + "'");
}

/// Writes `data` to `path` in the format above (replacing the file).
inline void write_purchase_bin(const std::string& path, const crmkit::analytics::PurchaseData& data) {
  write_purchase_bin(path, data.view());
}

/// Reads a file written by `write_purchase_bin`. The currency is left unset (XXX).
/// @throws std::runtime_error when the file is missing, has the wrong magic or is truncated.
inline crmkit::analytics::PurchaseData read_purchase_bin(const std::string& path) {
  auto file = detail::open_file(path, "rb");
  char magic[sizeof purchase_bin_magic];
  detail::read_exact(file.get(), magic, sizeof magic, path);
  if (std::memcmp(magic, purchase_bin_magic, sizeof magic) != 0) {
    throw std::runtime_error("'" + path + "' is not a purchase columns file (magic CRMKPUR1)");
  }
  std::uint64_t rows = 0;
  detail::read_exact(file.get(), &rows, sizeof rows, path);
  // Guard the allocation: a corrupt count must not ask for terabytes.
  if (std::fseek(file.get(), 0, SEEK_END) != 0) throw std::runtime_error("cannot seek '" + path + "'");
  const long end = std::ftell(file.get());
  if (end < 0 || static_cast<std::uint64_t>(end) != 16 + rows * 24) {
    throw std::runtime_error("'" + path + "' has " + std::to_string(end) + " bytes, expected " +
                             std::to_string(16 + rows * 24) + " for " + std::to_string(rows) + " rows");
  }
  if (std::fseek(file.get(), 16, SEEK_SET) != 0) throw std::runtime_error("cannot seek '" + path + "'");
  const auto n = static_cast<std::size_t>(rows);
  crmkit::analytics::PurchaseData data;
  data.customer_ids.resize(n);
  data.times_us.resize(n);
  data.amounts.resize(n);
  detail::read_exact(file.get(), data.customer_ids.data(), n * sizeof(std::int64_t), path);
  detail::read_exact(file.get(), data.times_us.data(), n * sizeof(std::int64_t), path);
  detail::read_exact(file.get(), data.amounts.data(), n * sizeof(double), path);
  return data;
}

}  // namespace crmkit::bench
