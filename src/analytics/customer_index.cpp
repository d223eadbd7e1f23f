#include "analytics/customer_index.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <string>

#include "analytics/id_layout.hpp"
#include "analytics/parallel.hpp"
#include "analytics/period_math.hpp"
#include "analytics/radix_sort.hpp"
#include "crmkit/core/error.hpp"

namespace crmkit::analytics::detail {

namespace {

constexpr std::size_t rows_per_task = std::size_t{1} << 18;

// std::popcount compiles to a libgcc call unless the build targets a CPU with POPCNT; this
// branch-free version is as fast as that call's fast path, inline.
constexpr std::uint32_t bit_count(std::uint64_t x) noexcept {
  x = x - ((x >> 1) & 0x5555'5555'5555'5555ULL);
  x = (x & 0x3333'3333'3333'3333ULL) + ((x >> 2) & 0x3333'3333'3333'3333ULL);
  x = (x + (x >> 4)) & 0x0F0F'0F0F'0F0F'0F0FULL;
  return static_cast<std::uint32_t>((x * 0x0101'0101'0101'0101ULL) >> 56);
}

// Which rows count: all of them, or those at or before a time.
struct RowFilter {
  std::span<const std::int64_t> times_us;  // empty: every row
  std::int64_t last_time_us = std::numeric_limits<std::int64_t>::max();

  [[nodiscard]] bool active() const noexcept { return !times_us.empty(); }
  [[nodiscard]] bool includes(std::size_t row) const noexcept {
    return times_us.empty() || times_us[row] <= last_time_us;
  }
};

void check_customer_count(std::size_t count) {
  if (count >= CustomerIndex::excluded) {
    throw ValidationError("customer_ids", std::to_string(count) + " distinct ids",
                          "are too many: at most 4294967294 distinct customers are supported");
  }
}

// Dense path: ids lie in [min, min + span]. A bitmap of present offsets plus the count of set
// bits before each word gives every id its rank with one popcount; for a million customers the
// two arrays take under 200 KB and stay in cache while ten million rows are numbered.
CustomerIndex index_by_bitmap(std::span<const std::int64_t> ids, const RowFilter& filter, std::int64_t min,
                              std::uint64_t span, unsigned threads) {
  const std::size_t words = static_cast<std::size_t>(span / 64) + 1;
  const auto offset_of = [min](std::int64_t id) {
    return static_cast<std::uint64_t>(id) - static_cast<std::uint64_t>(min);
  };
  // Each worker marks its own bitmap; OR-ing them gives the same bitmap for any split.
  const std::size_t workers = std::min<std::size_t>(thread_count(threads), chunk_count(ids.size(), rows_per_task));
  std::vector<std::vector<std::uint64_t>> marks(workers);
  const std::size_t rows_per_worker = (ids.size() + workers - 1) / workers;
  parallel_for(workers, threads, [&](std::size_t w) {
    std::vector<std::uint64_t> bits(words, 0);
    const std::size_t begin = std::min(ids.size(), w * rows_per_worker);
    const std::size_t end = std::min(ids.size(), begin + rows_per_worker);
    for (std::size_t row = begin; row < end; ++row) {
      if (!filter.includes(row)) continue;
      const std::uint64_t off = offset_of(ids[row]);
      bits[static_cast<std::size_t>(off >> 6)] |= std::uint64_t{1} << (off & 63);
    }
    marks[w] = std::move(bits);
  });
  std::vector<std::uint64_t> bitmap = std::move(marks[0]);
  for (std::size_t w = 1; w < workers; ++w) {
    for (std::size_t i = 0; i < words; ++i) bitmap[i] |= marks[w][i];
    marks[w] = {};
  }
  std::vector<std::uint32_t> rank_before(words);
  std::size_t count = 0;
  for (std::size_t i = 0; i < words; ++i) {
    check_customer_count(count);
    rank_before[i] = static_cast<std::uint32_t>(count);
    count += bit_count(bitmap[i]);
  }
  check_customer_count(count);

  CustomerIndex index;
  index.ids.reserve(count);
  for (std::size_t i = 0; i < words; ++i) {
    for (std::uint64_t bits = bitmap[i]; bits != 0; bits &= bits - 1) {
      const auto off = (static_cast<std::uint64_t>(i) << 6) + static_cast<std::uint64_t>(std::countr_zero(bits));
      index.ids.push_back(static_cast<std::int64_t>(static_cast<std::uint64_t>(min) + off));
    }
  }
  index.row_customer.resize(ids.size());
  const std::size_t tasks = chunk_count(ids.size(), rows_per_task);
  parallel_for(tasks, threads, [&](std::size_t task) {
    const std::size_t begin = task * rows_per_task;
    const std::size_t end = std::min(ids.size(), begin + rows_per_task);
    for (std::size_t row = begin; row < end; ++row) {
      if (!filter.includes(row)) {
        index.row_customer[row] = CustomerIndex::excluded;
        continue;
      }
      const std::uint64_t off = offset_of(ids[row]);
      const std::uint64_t word = bitmap[static_cast<std::size_t>(off >> 6)];
      const std::uint64_t below = word & ((std::uint64_t{1} << (off & 63)) - 1);
      index.row_customer[row] =
          rank_before[static_cast<std::size_t>(off >> 6)] + bit_count(below);
    }
  });
  return index;
}

// Open addressing for one partition of sparse ids: key -> the customer's number in the
// partition, in order of first appearance.
class PartitionTable {
 public:
  std::uint32_t number_of(std::uint64_t key) {
    if ((keys_.size() + 1) * 4 > slots_.size() * 3) grow();
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = static_cast<std::size_t>(mix64(key)) & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.number == empty) {
        slot = Slot{key, static_cast<std::uint32_t>(keys_.size())};
        keys_.push_back(key);
        return slot.number;
      }
      if (slot.key == key) return slot.number;
    }
  }
  void prefetch(std::uint64_t key) const noexcept {
    __builtin_prefetch(&slots_[static_cast<std::size_t>(mix64(key)) & (slots_.size() - 1)], 1);
  }
  [[nodiscard]] const std::vector<std::uint64_t>& keys() const noexcept { return keys_; }

 private:
  static constexpr std::uint32_t empty = CustomerIndex::excluded;
  struct Slot {
    std::uint64_t key = 0;
    std::uint32_t number = empty;
  };
  void grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    const std::size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.number == empty) continue;
      std::size_t i = static_cast<std::size_t>(mix64(s.key)) & mask;
      while (slots_[i].number != empty) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }
  std::vector<Slot> slots_ = std::vector<Slot>(512);
  std::vector<std::uint64_t> keys_;
};

// General path: ids are split into partitions of consecutive ids (see id_layout.hpp), each with
// a small table, tasks owning ranges of partitions. Rows first get their number within the
// partition; then each partition's ids are sorted, and a last pass turns the numbers into ranks
// among all ids. The slot of the row a few rows ahead is prefetched: the tables together are too
// big for the cache, and each lookup would otherwise wait for memory.
CustomerIndex index_by_partition(std::span<const std::int64_t> ids, const RowFilter& filter, const KeyRange& range,
                                 unsigned threads) {
  constexpr std::size_t ahead = 32;
  const TimeWindow window{std::numeric_limits<std::int64_t>::min(), filter.last_time_us};
  const SparseLayout layout = sparse_layout(ids, filter.times_us, filter.active() ? window : TimeWindow{}, range,
                                            range.rows / 16384);
  const std::size_t partitions = layout.partitions;
  const std::size_t tasks = std::min({static_cast<std::size_t>(thread_count(threads)), partitions, std::size_t{16}});
  std::vector<PartitionTable> tables(partitions);
  CustomerIndex index;
  index.row_customer.resize(ids.size());
  const std::size_t rows = ids.size();
  parallel_for(tasks, threads, [&](std::size_t task) {
    const std::size_t first = partitions * task / tasks;
    const std::size_t count = partitions * (task + 1) / tasks - first;
    for (std::size_t row = 0; row < rows; ++row) {
      if (row + ahead < rows) {
        const std::uint64_t next_key = key_of(ids[row + ahead]);
        const std::size_t q = layout.partition_of(next_key) - first;
        if (q < count && filter.includes(row + ahead)) tables[first + q].prefetch(next_key);
      }
      if (!filter.includes(row)) {
        if (task == 0) index.row_customer[row] = CustomerIndex::excluded;
        continue;
      }
      const std::uint64_t key = key_of(ids[row]);
      const std::size_t q = layout.partition_of(key) - first;
      if (q < count) index.row_customer[row] = tables[first + q].number_of(key);
    }
  });
  std::vector<std::size_t> offset(partitions + 1, 0);
  for (std::size_t p = 0; p < partitions; ++p) offset[p + 1] = offset[p] + tables[p].keys().size();
  const std::size_t total = offset[partitions];
  check_customer_count(total);
  index.ids.resize(total);
  std::vector<std::uint32_t> rank(total);  // offset[p] + number -> rank among all ids
  parallel_for(partitions, threads, [&](std::size_t p) {
    std::vector<std::uint64_t> keys = tables[p].keys();
    std::vector<std::uint32_t> numbers(keys.size());
    for (std::size_t i = 0; i < numbers.size(); ++i) numbers[i] = static_cast<std::uint32_t>(i);
    radix_sort(keys, numbers);
    for (std::size_t i = 0; i < keys.size(); ++i) {
      index.ids[offset[p] + i] = id_of(keys[i]);
      rank[offset[p] + numbers[i]] = static_cast<std::uint32_t>(offset[p] + i);
    }
  });
  tables.clear();
  const std::size_t chunks = chunk_count(rows, rows_per_task);
  parallel_for(chunks, threads, [&](std::size_t chunk) {
    const std::size_t begin = chunk * rows_per_task;
    const std::size_t end = std::min(rows, begin + rows_per_task);
    for (std::size_t row = begin; row < end; ++row) {
      std::uint32_t& number = index.row_customer[row];
      if (number == CustomerIndex::excluded) continue;
      number = rank[offset[layout.partition_of(key_of(ids[row]))] + number];
    }
  });
  return index;
}

CustomerIndex build(std::span<const std::int64_t> ids, const RowFilter& filter, unsigned threads) {
  const TimeWindow window{std::numeric_limits<std::int64_t>::min(), filter.last_time_us};
  const KeyRange range = scan_keys(ids, filter.times_us, filter.active() ? window : TimeWindow{}, threads);
  if (range.rows == 0) {
    CustomerIndex index;
    index.row_customer.assign(ids.size(), CustomerIndex::excluded);
    return index;
  }
  const std::uint64_t span = range.max - range.min;
  // The bitmap costs span / 8 bytes (plus half that for ranks): at most about 1 byte per row.
  const std::uint64_t dense_limit = 4 * static_cast<std::uint64_t>(ids.size()) + 1024;
  if (span < dense_limit) return index_by_bitmap(ids, filter, id_of(range.min), span, threads);
  return index_by_partition(ids, filter, range, threads);
}

}  // namespace

std::optional<std::uint32_t> CustomerIndex::find(std::int64_t customer_id) const noexcept {
  const auto it = std::lower_bound(ids.begin(), ids.end(), customer_id);
  if (it == ids.end() || *it != customer_id) return std::nullopt;
  return static_cast<std::uint32_t>(it - ids.begin());
}

CustomerIndex build_customer_index(std::span<const std::int64_t> customer_ids, unsigned threads) {
  return build(customer_ids, RowFilter{}, threads);
}

CustomerIndex build_customer_index(std::span<const std::int64_t> customer_ids,
                                   std::span<const std::int64_t> times_us, std::int64_t last_time_us,
                                   unsigned threads) {
  if (times_us.size() != customer_ids.size()) {
    throw ValidationError("times_us", std::to_string(times_us.size()) + " rows",
                          "must have as many rows as customer_ids (" + std::to_string(customer_ids.size()) + ")");
  }
  if (customer_ids.empty()) return {};
  return build(customer_ids, RowFilter{times_us, last_time_us}, threads);
}

std::int64_t days_since_epoch(Date day) noexcept {
  return std::chrono::sys_days(day).time_since_epoch().count();
}

std::int64_t last_microsecond_of(Date day) noexcept {
  const std::int64_t next = days_since_epoch(day) + 1;
  constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
  if (next > max / microseconds_per_day) return max;
  if (next <= std::numeric_limits<std::int64_t>::min() / microseconds_per_day) {
    return std::numeric_limits<std::int64_t>::min();
  }
  return next * microseconds_per_day - 1;
}

Date day_of(std::int64_t time_us) noexcept {
  return Date{std::chrono::sys_days{std::chrono::days{day_index(time_us)}}};
}

}  // namespace crmkit::analytics::detail
