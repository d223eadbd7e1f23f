#pragma once
// Splitting customer ids into partitions of consecutive ids, shared by the customer index and the
// per-customer aggregation. Both layouts are monotone (a lower partition holds lower ids), so
// partition order is id order and results need no final sort of the customers.

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "analytics/parallel.hpp"

namespace crmkit::analytics::detail {

/// Ids as unsigned keys in the same order, so that offsets and spans need no signed overflow.
[[nodiscard]] constexpr std::uint64_t key_of(std::int64_t id) noexcept {
  return static_cast<std::uint64_t>(id) ^ 0x8000'0000'0000'0000ULL;
}
/// The id of a key.
[[nodiscard]] constexpr std::int64_t id_of(std::uint64_t key) noexcept {
  return static_cast<std::int64_t>(key ^ 0x8000'0000'0000'0000ULL);
}

/// The MurmurHash3 finalizer: spreads ids that share their high bits (or are consecutive).
[[nodiscard]] constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

/// Rows counted: times in [first_us, last_us].
struct TimeWindow {
  std::int64_t first_us = std::numeric_limits<std::int64_t>::min();  ///< inclusive
  std::int64_t last_us = std::numeric_limits<std::int64_t>::max();   ///< inclusive
  /// True when every time is inside.
  [[nodiscard]] bool everything() const noexcept {
    return first_us == std::numeric_limits<std::int64_t>::min() &&
           last_us == std::numeric_limits<std::int64_t>::max();
  }
  /// True when `time_us` is inside.
  [[nodiscard]] bool contains(std::int64_t time_us) const noexcept {
    return time_us >= first_us && time_us <= last_us;
  }
};

/// The smallest and largest key of the rows in a window, and how many rows that is.
struct KeyRange {
  std::uint64_t min = ~std::uint64_t{0};  ///< smallest key (when rows > 0)
  std::uint64_t max = 0;                  ///< largest key (when rows > 0)
  std::size_t rows = 0;                   ///< rows in the window
};

/// The key range of the rows whose time is in `window` (`times` may be empty when the window is
/// everything).
[[nodiscard]] inline KeyRange scan_keys(std::span<const std::int64_t> ids, std::span<const std::int64_t> times,
                                        TimeWindow window, unsigned threads) {
  constexpr std::size_t rows_per_task = std::size_t{1} << 18;
  const std::size_t rows = ids.size();
  const std::size_t tasks = chunk_count(rows, rows_per_task);
  std::vector<KeyRange> parts(tasks);
  parallel_for(tasks, threads, [&](std::size_t task) {
    const std::size_t begin = task * rows_per_task;
    const std::size_t end = std::min(rows, begin + rows_per_task);
    KeyRange r;
    if (window.everything()) {
      for (std::size_t row = begin; row < end; ++row) {
        const std::uint64_t k = key_of(ids[row]);
        r.min = std::min(r.min, k);
        r.max = std::max(r.max, k);
      }
      r.rows = end - begin;
    } else {
      for (std::size_t row = begin; row < end; ++row) {
        if (!window.contains(times[row])) continue;
        const std::uint64_t k = key_of(ids[row]);
        r.min = std::min(r.min, k);
        r.max = std::max(r.max, k);
        ++r.rows;
      }
    }
    parts[task] = r;
  });
  KeyRange total;
  for (const KeyRange& r : parts) {
    total.min = std::min(total.min, r.min);
    total.max = std::max(total.max, r.max);
    total.rows += r.rows;
  }
  return total;
}

/// Dense ids: partition p holds the keys min + [p << bits, (p + 1) << bits), and a customer's
/// state can be indexed directly by its offset.
struct DenseLayout {
  std::uint64_t min_key = 0;   ///< the smallest key
  int bits = 0;                ///< log2 of the keys per partition
  std::size_t partitions = 1;  ///< number of partitions

  /// The partition of `key`.
  [[nodiscard]] std::size_t partition_of(std::uint64_t key) const noexcept {
    return static_cast<std::size_t>((key - min_key) >> bits);
  }
  /// The offset of `key` in its partition.
  [[nodiscard]] std::uint32_t slot_of(std::uint64_t key) const noexcept {
    return static_cast<std::uint32_t>((key - min_key) & ((std::uint64_t{1} << bits) - 1));
  }
};

/// Sparse ids: the key range is cut into 2^16 fine buckets, and runs of consecutive fine buckets
/// form partitions holding about the same number of sampled rows. Balanced unless most ids crowd
/// into one fine bucket (that partition is then just bigger).
struct SparseLayout {
  std::uint64_t min_key = 0;               ///< the smallest key
  int shift = 0;                           ///< a key's fine bucket is (key - min_key) >> shift
  std::vector<std::uint16_t> fine;         ///< partition of each fine bucket, non-decreasing
  std::size_t partitions = 1;              ///< number of partitions

  /// The partition of `key`; a key outside the range of the layout (a row outside its window)
  /// gets some partition, without reading past the table.
  [[nodiscard]] std::size_t partition_of(std::uint64_t key) const noexcept {
    const std::uint64_t bucket = std::min<std::uint64_t>((key - min_key) >> shift, fine.size() - 1);
    return fine[static_cast<std::size_t>(bucket)];
  }
};

/// A sparse layout of about `wanted` partitions (at most 65536) from a deterministic sample of
/// the rows in `window`.
[[nodiscard]] inline SparseLayout sparse_layout(std::span<const std::int64_t> ids, std::span<const std::int64_t> times,
                                                TimeWindow window, const KeyRange& range, std::size_t wanted) {
  constexpr int fine_bits = 16;
  constexpr std::size_t sample_size = 65536;
  wanted = std::clamp<std::size_t>(wanted, 1, 65536);
  SparseLayout layout;
  layout.min_key = range.min;
  const std::uint64_t span = range.max - range.min;
  layout.shift = std::max(0, static_cast<int>(std::bit_width(span)) - fine_bits);
  const std::size_t fine = static_cast<std::size_t>(span >> layout.shift) + 1;
  std::vector<std::uint32_t> counts(fine, 0);
  const std::size_t rows = ids.size();
  const std::size_t stride = std::max<std::size_t>(1, rows / sample_size);
  std::size_t sampled = 0;
  for (std::size_t row = 0; row < rows; row += stride) {
    if (!window.everything() && !window.contains(times[row])) continue;
    ++counts[static_cast<std::size_t>((key_of(ids[row]) - range.min) >> layout.shift)];
    ++sampled;
  }
  layout.fine.resize(fine);
  std::size_t before = 0;
  for (std::size_t f = 0; f < fine; ++f) {
    layout.fine[f] = static_cast<std::uint16_t>(sampled == 0 ? 0 : std::min(wanted - 1, before * wanted / sampled));
    before += counts[f];
  }
  layout.partitions = static_cast<std::size_t>(layout.fine.back()) + 1;
  return layout;
}

}  // namespace crmkit::analytics::detail
