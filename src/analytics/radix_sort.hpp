#pragma once
// Stable LSD radix sort of (uint64 key, uint32 payload) pairs: the sort under customer numbering
// and rank binning, where comparison sorts of a million doubles would dominate the run time.

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <vector>

namespace crmkit::analytics::detail {

/// A key whose unsigned order is the numeric order of `value` (-0.0 and +0.0 get the same key,
/// so they stay in input order). `value` must not be NaN.
[[nodiscard]] inline std::uint64_t order_key(double value) noexcept {
  const auto bits = std::bit_cast<std::uint64_t>(value + 0.0);  // + 0.0 turns -0.0 into +0.0
  return (bits & 0x8000'0000'0000'0000ULL) != 0 ? ~bits : bits | 0x8000'0000'0000'0000ULL;
}

/// A key whose unsigned order is the numeric order of `value`.
[[nodiscard]] constexpr std::uint64_t order_key(std::int64_t value) noexcept {
  return static_cast<std::uint64_t>(value) ^ 0x8000'0000'0000'0000ULL;
}

/// Sorts `keys` ascending, carrying `payload` along; stable (equal keys keep their order).
/// Both vectors must have the same length.
inline void radix_sort(std::vector<std::uint64_t>& keys, std::vector<std::uint32_t>& payload) {
  const std::size_t n = keys.size();
  if (n < 512) {  // small inputs: an index sort beats six histogram passes
    std::vector<std::uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0U);
    std::stable_sort(order.begin(), order.end(),
                     [&keys](std::uint32_t a, std::uint32_t b) { return keys[a] < keys[b]; });
    std::vector<std::uint64_t> sorted_keys(n);
    std::vector<std::uint32_t> sorted_payload(n);
    for (std::size_t i = 0; i < n; ++i) {
      sorted_keys[i] = keys[order[i]];
      sorted_payload[i] = payload[order[i]];
    }
    keys.swap(sorted_keys);
    payload.swap(sorted_payload);
    return;
  }
  constexpr int digit_bits = 11;  // 2048 counters per pass stay in L1; 6 passes cover 64 bits
  constexpr int passes = (64 + digit_bits - 1) / digit_bits;
  constexpr std::size_t radix = std::size_t{1} << digit_bits;
  std::vector<std::array<std::size_t, radix>> counts(passes);
  for (auto& c : counts) c.fill(0);
  for (const std::uint64_t key : keys) {
    for (int p = 0; p < passes; ++p) ++counts[static_cast<std::size_t>(p)][(key >> (p * digit_bits)) & (radix - 1)];
  }
  std::vector<std::uint64_t> key_buffer(n);
  std::vector<std::uint32_t> payload_buffer(n);
  for (int p = 0; p < passes; ++p) {
    auto& count = counts[static_cast<std::size_t>(p)];
    const int shift = p * digit_bits;
    // A digit every key shares does not reorder anything: skip the pass (common for the high
    // digits of small integers and of doubles of similar magnitude).
    if (count[(keys[0] >> shift) & (radix - 1)] == n) continue;
    std::size_t offset = 0;
    for (auto& c : count) {
      const std::size_t here = c;
      c = offset;
      offset += here;
    }
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t slot = count[(keys[i] >> shift) & (radix - 1)]++;
      key_buffer[slot] = keys[i];
      payload_buffer[slot] = payload[i];
    }
    keys.swap(key_buffer);
    payload.swap(payload_buffer);
  }
}

/// Sorts `items` by `key_of(item)` (a uint64), stably, moving the items themselves: for large
/// records whose order is needed in the end, cheaper than sorting indexes and then gathering
/// the records back with a random read each.
template <class T, class KeyOf>
void radix_sort_by_key(std::vector<T>& items, KeyOf&& key_of) {
  const std::size_t n = items.size();
  if (n < 512) {
    std::stable_sort(items.begin(), items.end(),
                     [&key_of](const T& a, const T& b) { return key_of(a) < key_of(b); });
    return;
  }
  constexpr int digit_bits = 11;
  constexpr int passes = (64 + digit_bits - 1) / digit_bits;
  constexpr std::size_t radix = std::size_t{1} << digit_bits;
  std::vector<std::array<std::size_t, radix>> counts(passes);
  for (auto& c : counts) c.fill(0);
  for (const T& item : items) {
    const std::uint64_t key = key_of(item);
    for (int p = 0; p < passes; ++p) ++counts[static_cast<std::size_t>(p)][(key >> (p * digit_bits)) & (radix - 1)];
  }
  std::vector<T> buffer(n);
  for (int p = 0; p < passes; ++p) {
    auto& count = counts[static_cast<std::size_t>(p)];
    const int shift = p * digit_bits;
    if (count[(key_of(items[0]) >> shift) & (radix - 1)] == n) continue;  // a digit all keys share
    std::size_t offset = 0;
    for (auto& c : count) {
      const std::size_t here = c;
      c = offset;
      offset += here;
    }
    for (const T& item : items) buffer[count[(key_of(item) >> shift) & (radix - 1)]++] = item;
    items.swap(buffer);
  }
}

}  // namespace crmkit::analytics::detail
