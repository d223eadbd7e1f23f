#include "analytics/customer_aggregates.hpp"

#include <algorithm>
#include <bit>
#include <numeric>
#include <span>
#include <type_traits>

#include "analytics/id_layout.hpp"
#include "analytics/parallel.hpp"
#include "analytics/period_math.hpp"
#include "analytics/radix_sort.hpp"

namespace crmkit::analytics::detail {

namespace {

// Rows are scattered a block at a time: the buffer stays a few MB, small enough for the allocator
// to reuse between calls (fresh pages cost more than the scatter itself on some machines).
constexpr std::size_t block_rows = std::size_t{1} << 20;
constexpr std::size_t max_tasks = 16;
constexpr std::size_t max_partitions = 1024;
constexpr std::size_t prefetch_distance = 48;

// `c ? a : b` with masks: compilers turn the conditional into a branch, which is mispredicted
// for about every other row when several tasks share the rows.
constexpr std::size_t choose(bool c, std::size_t a, std::size_t b) noexcept {
  return b ^ ((a ^ b) & (std::size_t{0} - static_cast<std::size_t>(c)));
}

template <class F>
decltype(auto) with_period(Period period, F&& f) {
  switch (period) {
    case Period::week: return f.template operator()<Period::week>();
    case Period::month: return f.template operator()<Period::month>();
    case Period::day: break;
  }
  return f.template operator()<Period::day>();
}

// ---------------------------------------------------------------------------------------------
// What is kept per customer, and how a row is added. add() returns false for a row in an earlier
// period than the customer's latest: the one-pass period count cannot take it, the customer is
// redone from its sorted rows.

template <class Totals>
struct Mode;

template <>
struct Mode<RfmTotals> {
  using Time = std::int32_t;  // a day index: the record is 16 bytes
  static constexpr int dense_bits = 15;  // 32768 customers x 16 bytes = 512 KiB of state
  static Time time_of(std::int64_t time_us) noexcept { return static_cast<Time>(day_index(time_us)); }
  template <Period P>
  static std::int64_t period_of(Time day) noexcept {
    return period_of_day(day, P);
  }
  template <Period P>
  static bool add(RfmTotals& s, Time day, double amount) noexcept {
    if (s.periods == 0) {
      s = RfmTotals{amount, day, 1};
      return true;
    }
    const std::int64_t p = period_of<P>(day);
    const std::int64_t last = period_of<P>(s.last_day);
    if (p < last) return false;
    s.total += amount;
    if (p > last) {
      ++s.periods;
      s.last_day = day;
    } else {
      s.last_day = std::max(s.last_day, day);
    }
    return true;
  }
};

template <>
struct Mode<CustomerTotals> {
  using Time = std::int64_t;
  static constexpr int dense_bits = 14;  // 16384 customers x 48 bytes = 768 KiB of state
  static Time time_of(std::int64_t time_us) noexcept { return time_us; }
  template <Period P>
  static std::int64_t period_of(Time time_us) noexcept {
    return period_of_day(day_index(time_us), P);
  }
  template <Period P>
  static bool add(CustomerTotals& s, Time t, double amount) noexcept {
    const auto p = static_cast<std::int32_t>(period_of<P>(t));
    if (s.periods == 0) {
      s = CustomerTotals{t, t, amount, 0.0, amount, 1, p};
      return true;
    }
    if (p < s.last_period) return false;
    s.first_us = std::min(s.first_us, t);
    s.last_us = std::max(s.last_us, t);
    s.total += amount;
    if (p == s.last_period) {
      (s.periods == 1 ? s.first_total : s.repeat_total) += amount;
    } else {
      ++s.periods;
      s.last_period = p;
      s.repeat_total += amount;
    }
    return true;
  }
};

// One scattered row. Dense ids carry their slot in the partition, sparse ones the id itself.
template <class Time, class Key>
struct Record {
  double amount;
  Time time;
  Key key;
};

// ---------------------------------------------------------------------------------------------
// The state of every customer, for each layout; a thread only touches the partitions it owns. A
// customer whose rows break the period order is flagged in the high bit of `periods` (the flag
// moves with the state when a table grows) and redone at the end.

constexpr std::uint32_t disorder_flag = 0x8000'0000U;

// Dense ids: the state of slot s of partition p is totals[p << bits | s].
template <class Totals>
struct DenseState {
  using Key = std::uint32_t;
  const DenseLayout& layout;
  std::vector<Totals> totals;

  explicit DenseState(const DenseLayout& l) : layout(l), totals(l.partitions << l.bits) {}

  [[nodiscard]] Key key_of_row(std::uint64_t key) const noexcept { return layout.slot_of(key); }
  void prefetch(std::size_t p, Key slot) const noexcept { __builtin_prefetch(&totals[(p << layout.bits) | slot], 1); }
  [[nodiscard]] std::span<const Totals> region(std::size_t p) const noexcept {
    return {totals.data() + (p << layout.bits), std::size_t{1} << layout.bits};
  }
  Totals& locate(std::size_t p, Key slot) noexcept { return totals[(p << layout.bits) | slot]; }
  Totals* find(std::size_t p, std::uint64_t key) noexcept { return &totals[(p << layout.bits) | layout.slot_of(key)]; }

  // The number of customers of partitions [first, last) with a row.
  [[nodiscard]] std::size_t count(std::size_t first, std::size_t last) const noexcept {
    return static_cast<std::size_t>(std::count_if(totals.begin() + static_cast<std::ptrdiff_t>(first << layout.bits),
                                                  totals.begin() + static_cast<std::ptrdiff_t>(last << layout.bits),
                                                  [](const Totals& t) { return t.periods != 0; }));
  }

  // Writes those customers, in id order.
  void emit(std::int64_t* ids, Totals* out, std::size_t first, std::size_t last) const {
    for (std::size_t i = first << layout.bits; i < (last << layout.bits); ++i) {
      if (totals[i].periods == 0) continue;
      *ids++ = id_of(layout.min_key + i);
      *out++ = totals[i];
    }
  }
};

// Sparse ids: one open-addressing table per partition, the state stored in the slot (one cache
// miss per row at most, and that one prefetched). A slot is taken when its periods is not 0:
// every customer gets its first row as it is added.
template <class Totals>
struct SparseState {
  using Key = std::uint64_t;
  struct Slot {
    std::uint64_t key = 0;
    Totals totals;
  };
  struct Table {
    std::vector<Slot> slots = std::vector<Slot>(1024);
    std::size_t size = 0;
  };
  std::vector<Table> tables;

  explicit SparseState(const SparseLayout& l) : tables(l.partitions) {}

  // Ids in a partition share their high bits: mix them all down.
  static std::size_t hash(std::uint64_t x) noexcept { return static_cast<std::size_t>(mix64(x)); }

  [[nodiscard]] static Key key_of_row(std::uint64_t key) noexcept { return key; }
  void prefetch(std::size_t p, Key key) const noexcept {
    const auto& slots = tables[p].slots;
    __builtin_prefetch(&slots[hash(key) & (slots.size() - 1)], 1);
  }
  [[nodiscard]] std::span<const Slot> region(std::size_t p) const noexcept { return tables[p].slots; }

  // The state of `key`, a fresh one (periods 0) when it is new.
  Totals& locate(std::size_t p, Key key) {
    Table& t = tables[p];
    if ((t.size + 1) * 4 > t.slots.size() * 3) grow(t);  // load <= 3/4: linear probing stays short
    const std::size_t mask = t.slots.size() - 1;
    for (std::size_t i = hash(key) & mask;; i = (i + 1) & mask) {
      Slot& slot = t.slots[i];
      if (slot.totals.periods == 0) {
        slot.key = key;
        ++t.size;
        return slot.totals;
      }
      if (slot.key == key) return slot.totals;
    }
  }

  Totals* find(std::size_t p, std::uint64_t key) noexcept {
    Table& t = tables[p];
    const std::size_t mask = t.slots.size() - 1;
    for (std::size_t i = hash(key) & mask;; i = (i + 1) & mask) {
      Slot& slot = t.slots[i];
      if (slot.totals.periods == 0) return nullptr;
      if (slot.key == key) return &slot.totals;
    }
  }

  static void grow(Table& t) {
    std::vector<Slot> old(t.slots.size() * 2);
    old.swap(t.slots);
    const std::size_t mask = t.slots.size() - 1;
    for (const Slot& s : old) {
      if (s.totals.periods == 0) continue;
      std::size_t i = hash(s.key) & mask;
      while (t.slots[i].totals.periods != 0) i = (i + 1) & mask;
      t.slots[i] = s;
    }
  }

  // The number of customers of partitions [first, last).
  [[nodiscard]] std::size_t count(std::size_t first, std::size_t last) const noexcept {
    std::size_t n = 0;
    for (std::size_t p = first; p < last; ++p) n += tables[p].size;
    return n;
  }

  // Writes those customers in id order (each partition's ids sorted).
  void emit(std::int64_t* ids, Totals* out, std::size_t first, std::size_t last) const {
    for (std::size_t p = first; p < last; ++p) {
      const Table& t = tables[p];
      std::vector<std::uint64_t> keys;
      std::vector<std::uint32_t> where;
      keys.reserve(t.size);
      where.reserve(t.size);
      for (std::size_t i = 0; i < t.slots.size(); ++i) {
        if (t.slots[i].totals.periods == 0) continue;
        keys.push_back(t.slots[i].key);
        where.push_back(static_cast<std::uint32_t>(i));
      }
      radix_sort(keys, where);
      for (std::size_t i = 0; i < keys.size(); ++i) {
        *ids++ = id_of(keys[i]);
        *out++ = t.slots[where[i]].totals;
      }
    }
  }
};

// ---------------------------------------------------------------------------------------------
// The engine. Per block of rows: the rows are split into chunks, one per thread, each counted and
// then scattered by partition (chunk after chunk within a partition, so records keep their row
// order); then each thread adds the records of the partitions it owns.

template <class Totals, Period P, class Layout, class State>
class Engine {
 public:
  using M = Mode<Totals>;
  using Rec = Record<typename M::Time, typename State::Key>;

  Engine(const PurchaseView& view, TimeWindow window, const Layout& layout, State& state, std::size_t threads)
      : view_(view),
        window_(window),
        layout_(layout),
        state_(state),
        threads_(threads),
        buffer_(std::min(block_rows, view.size()) + threads),  // + a trash record per chunk
        disordered_(threads, 0) {
    for (std::size_t t = 0; t <= threads; ++t) owned_.push_back(layout.partitions * t / threads);
  }

  CustomerAggregates<Totals> run() {
    const std::size_t rows = view_.size();
    const std::size_t partitions = layout_.partitions;
    const std::size_t chunks = threads_;
    // Per chunk, per partition (plus the chunk's trash slot): counts, then write positions. Each
    // chunk's counters sit a cache line apart from the next chunk's, since both are written for
    // every row.
    const std::size_t stride = (partitions + 1 + 7) / 8 * 8 + 8;
    std::vector<std::size_t> next(chunks * stride);
    std::vector<std::size_t> start(partitions + 1);
    const auto workers = static_cast<unsigned>(threads_);
    for (std::size_t begin = 0; begin < rows; begin += block_rows) {
      const std::size_t end = std::min(rows, begin + block_rows);
      const auto chunk_rows = [&](std::size_t c) {
        return std::pair{begin + (end - begin) * c / chunks, begin + (end - begin) * (c + 1) / chunks};
      };
      parallel_for(chunks, workers, [&](std::size_t c) {
        const auto [first, last] = chunk_rows(c);
        count(first, last, next.data() + c * stride);
      });
      std::size_t position = 0;
      for (std::size_t p = 0; p < partitions; ++p) {
        start[p] = position;
        for (std::size_t c = 0; c < chunks; ++c) {
          std::size_t& n = next[c * stride + p];
          const std::size_t here = n;
          n = position;
          position += here;
        }
      }
      start[partitions] = position;
      for (std::size_t c = 0; c < chunks; ++c) next[c * stride + partitions] = position + c;
      parallel_for(chunks, workers, [&](std::size_t c) {
        const auto [first, last] = chunk_rows(c);
        scatter(first, last, next.data() + c * stride);
      });
      parallel_for(threads_, workers, [&](std::size_t t) {
        for (std::size_t p = owned_[t]; p < owned_[t + 1]; ++p) disordered_[t] |= sum_partition(p, start[p], start[p + 1]);
      });
    }
    // Each thread counts its customers, then writes them at its offset in a result allocated
    // here: no concatenation, and the memory comes from the caller's allocator arena (reused by
    // the next call, where a worker thread's would be fresh pages again).
    std::vector<std::size_t> offset(threads_ + 1, 0);
    parallel_for(threads_, workers, [&](std::size_t t) {
      if (disordered_[t] != 0) redo_disordered(owned_[t], owned_[t + 1]);
      offset[t + 1] = state_.count(owned_[t], owned_[t + 1]);
    });
    std::partial_sum(offset.begin(), offset.end(), offset.begin());
    CustomerAggregates<Totals> out;
    out.ids.resize(offset[threads_]);
    out.totals.resize(offset[threads_]);
    parallel_for(threads_, workers, [&](std::size_t t) {
      state_.emit(out.ids.data() + offset[t], out.totals.data() + offset[t], owned_[t], owned_[t + 1]);
    });
    return out;
  }

 private:
  void count(std::size_t first, std::size_t last, std::size_t* counts) const {
    const std::size_t partitions = layout_.partitions;
    std::fill(counts, counts + partitions + 1, 0);
    const std::int64_t* ids = view_.customer_ids.data();
    const std::int64_t* times = view_.times_us.data();
    const TimeWindow window = window_;
    if (window.everything()) {
      for (std::size_t row = first; row < last; ++row) ++counts[layout_.partition_of(key_of(ids[row]))];
    } else {
      for (std::size_t row = first; row < last; ++row) {
        const std::size_t p = layout_.partition_of(key_of(ids[row]));
        ++counts[choose(window.contains(times[row]), p, partitions)];
      }
    }
  }

  // Rows outside the window go to the chunk's trash record, overwritten again and again: a
  // branch skipping them would be mispredicted whenever rows are not in time order.
  void scatter(std::size_t first, std::size_t last, std::size_t* next) {
    const std::size_t trash = layout_.partitions;
    const std::int64_t* ids = view_.customer_ids.data();
    const std::int64_t* times = view_.times_us.data();
    const double* amounts = view_.amounts.data();
    const TimeWindow window = window_;
    Rec* buffer = buffer_.data();
    for (std::size_t row = first; row < last; ++row) {
      const std::int64_t t = times[row];
      const std::uint64_t key = key_of(ids[row]);
      const bool inside = window.contains(t);
      std::size_t& slot = next[choose(inside, layout_.partition_of(key), trash)];
      buffer[slot] = Rec{amounts[row], M::time_of(t), state_.key_of_row(key)};
      slot += static_cast<std::size_t>(inside);
    }
  }

  // Adds the records [begin, end) of partition p to their customers; true when a customer's rows
  // broke the period order. With about a record per cache line of state or more, the partition's
  // state is streamed into cache first (sequential, at memory bandwidth); then the state of the
  // customer some records ahead is fetched early, so that misses overlap.
  bool sum_partition(std::size_t p, std::size_t begin, std::size_t end) {
    const Rec* records = buffer_.data();
    const auto region = state_.region(p);
    const std::size_t region_bytes = region.size_bytes();
    if ((end - begin) * 64 >= region_bytes) {
      const auto* bytes = reinterpret_cast<const char*>(region.data());
      for (std::size_t offset = 0; offset < region_bytes; offset += 64) __builtin_prefetch(bytes + offset, 1, 3);
    }
    for (std::size_t i = begin; i < std::min(end, begin + prefetch_distance); ++i) state_.prefetch(p, records[i].key);
    bool disorder = false;
    for (std::size_t i = begin; i < end; ++i) {
      if (i + prefetch_distance < end) state_.prefetch(p, records[i + prefetch_distance].key);
      const Rec& r = records[i];
      Totals& s = state_.locate(p, r.key);
      if (!M::template add<P>(s, r.time, r.amount)) {
        s.periods |= disorder_flag;
        disorder = true;
      }
    }
    return disorder;
  }

  // Recomputes the flagged customers of partitions [first, last) from their rows sorted by
  // period, ties in row order (the order the one-pass sums use for in-order customers). Their
  // rows are collected in one sequential pass, grouped by customer with a stable radix sort on
  // the state's address (moving the rows, not indexes to them), and each customer's few rows
  // sorted by period: fully shuffled input costs a few sequential passes, not a sort per row.
  void redo_disordered(std::size_t first, std::size_t last) {
    struct Entry {
      std::uint64_t state;  // address of the customer's state
      typename M::Time time;
      double amount;
    };
    std::vector<Entry> entries;
    const std::size_t rows = view_.size();
    for (std::size_t row = 0; row < rows; ++row) {
      if (row + prefetch_distance < rows) {  // the customer's state: a miss per row otherwise
        const std::uint64_t ahead = key_of(view_.customer_ids[row + prefetch_distance]);
        const std::size_t q = layout_.partition_of(ahead);
        if (q >= first && q < last) state_.prefetch(q, state_.key_of_row(ahead));
      }
      const std::int64_t t = view_.times_us[row];
      if (!window_.contains(t)) continue;
      const std::uint64_t key = key_of(view_.customer_ids[row]);
      const std::size_t p = layout_.partition_of(key);
      if (p < first || p >= last) continue;
      Totals* state = state_.find(p, key);
      if ((state->periods & disorder_flag) == 0) continue;
      entries.push_back(Entry{reinterpret_cast<std::uintptr_t>(state), M::time_of(t), view_.amounts[row]});
    }
    radix_sort_by_key(entries, [](const Entry& e) { return e.state; });
    struct Row {
      std::int64_t period;
      typename M::Time time;
      double amount;
    };
    std::vector<Row> group;
    for (std::size_t begin = 0; begin < entries.size();) {
      std::size_t end = begin;
      group.clear();
      for (; end < entries.size() && entries[end].state == entries[begin].state; ++end) {
        group.push_back(Row{M::template period_of<P>(entries[end].time), entries[end].time, entries[end].amount});
      }
      const auto by_period = [](const Row& a, const Row& b) { return a.period < b.period; };
      if (group.size() <= 32) {  // insertion sort: stable, and no buffer to allocate per customer
        for (std::size_t i = 1; i < group.size(); ++i) {
          const Row r = group[i];
          std::size_t j = i;
          for (; j > 0 && by_period(r, group[j - 1]); --j) group[j] = group[j - 1];
          group[j] = r;
        }
      } else {
        std::stable_sort(group.begin(), group.end(), by_period);
      }
      Totals& s = *reinterpret_cast<Totals*>(static_cast<std::uintptr_t>(entries[begin].state));
      s = Totals{};
      for (const Row& r : group) (void)M::template add<P>(s, r.time, r.amount);
      begin = end;
    }
  }

  const PurchaseView& view_;
  TimeWindow window_;
  const Layout& layout_;
  State& state_;
  std::size_t threads_;
  std::vector<Rec> buffer_;
  std::vector<std::size_t> owned_;        // thread t owns partitions [owned_[t], owned_[t + 1])
  std::vector<std::uint8_t> disordered_;  // per thread
};

template <class Totals, class Layout>
CustomerAggregates<Totals> run(const PurchaseView& view, Period period, TimeWindow window, const Layout& layout,
                               unsigned threads) {
  using State = std::conditional_t<std::is_same_v<Layout, DenseLayout>, DenseState<Totals>, SparseState<Totals>>;
  // More threads than partitions would idle; far more than a few dozen would only add overhead.
  const std::size_t workers = std::min({static_cast<std::size_t>(thread_count(threads)), layout.partitions, max_tasks});
  State state(layout);
  return with_period(period, [&]<Period P>() {
    return Engine<Totals, P, Layout, State>(view, window, layout, state, workers).run();
  });
}

template <class Totals>
CustomerAggregates<Totals> aggregate(const PurchaseView& view, Period period, TimeWindow window, unsigned threads) {
  const KeyRange range = scan_keys(view.customer_ids, view.times_us, window, threads);
  if (range.rows == 0) return {};
  const std::uint64_t span = range.max - range.min;
  // Dense when direct indexing costs no more state than about one entry per row (plus 1 MiB).
  const std::uint64_t dense_limit =
      static_cast<std::uint64_t>(range.rows) * 16 / sizeof(Totals) + (std::uint64_t{1} << 20) / sizeof(Totals);
  if (span < dense_limit) {
    DenseLayout layout;
    layout.min_key = range.min;
    layout.bits = Mode<Totals>::dense_bits;
    while ((span >> layout.bits) + 1 > max_partitions) ++layout.bits;
    layout.partitions = static_cast<std::size_t>(span >> layout.bits) + 1;
    return run<Totals>(view, period, window, layout, threads);
  }
  const SparseLayout layout = sparse_layout(view.customer_ids, view.times_us, window, range,
                                           std::min<std::size_t>(range.rows / 65536, max_partitions));
  return run<Totals>(view, period, window, layout, threads);
}

}  // namespace

CustomerAggregates<CustomerTotals> summary_totals(const PurchaseView& view, Period period, TimeWindow window,
                                                  unsigned threads) {
  return aggregate<CustomerTotals>(view, period, window, threads);
}

CustomerAggregates<RfmTotals> rfm_totals(const PurchaseView& view, Period period, TimeWindow window,
                                         unsigned threads) {
  return aggregate<RfmTotals>(view, period, window, threads);
}

}  // namespace crmkit::analytics::detail
