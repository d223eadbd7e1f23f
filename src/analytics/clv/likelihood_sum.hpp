#pragma once
// Compressed rows and fast weighted log-likelihood sums over them.
//
// Rows share few distinct values of x, t_x and T (whole purchase counts; days or weeks): compress
// numbers each column's distinct values (ValueTable) to merge identical rows, and the likelihood
// sums compute the terms that depend on one value only (rising sums of r + x, ln(1 + T/α), ...)
// once per distinct value per evaluation, so that each row costs one exp and one log. The row sum
// runs over fixed chunks whose partial sums are added in chunk order: the result never depends on
// the thread count.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

// Relative, so that tests (without src/ on their include path) can include this header.
#include "mle.hpp"
#include "crmkit/analytics/clv/summary_data.hpp"

namespace crmkit::analytics::clv::detail {

/// A set of doubles numbering its values 0, 1, 2, ... in order of insertion: an open-addressing
/// hash table at most a quarter full (so that probes rarely go past the first slot) with
/// Fibonacci hashing (the high bits of the product depend on every bit of the value; whole numbers
/// have all-zero low mantissa bits). -0.0 and +0.0 are one value.
class ValueTable {
 public:
  ValueTable() : slots_(std::size_t{1} << bits_) {}

  /// The number of `value`, added when new. `value` must not be NaN.
  std::uint32_t insert(double value) {
    const std::uint64_t key = key_of(value);
    Slot& slot = slots_[probe(key)];
    if (slot.id != empty) return slot.id;
    const auto id = static_cast<std::uint32_t>(values_.size());
    values_.push_back(std::bit_cast<double>(key));
    slot = {key, id};
    if (4 * values_.size() > slots_.size()) grow();
    return id;
  }
  /// The number of `value`, which must have been inserted.
  [[nodiscard]] std::uint32_t find(double value) const noexcept { return slots_[probe(key_of(value))].id; }
  /// The values in order of insertion.
  [[nodiscard]] const std::vector<double>& values() const noexcept { return values_; }

 private:
  static constexpr std::uint32_t empty = 0xFFFF'FFFFU;
  struct Slot {  // the value's bits are kept in the slot: one memory access and an integer compare a probe
    std::uint64_t key = 0;
    std::uint32_t id = empty;
  };

  static std::uint64_t key_of(double value) noexcept { return std::bit_cast<std::uint64_t>(value + 0.0); }
  [[nodiscard]] std::size_t probe(std::uint64_t key) const noexcept {
    const std::size_t mask = slots_.size() - 1;
    std::size_t slot = static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> (64 - bits_));
    while (slots_[slot].id != empty && slots_[slot].key != key) slot = (slot + 1) & mask;
    return slot;
  }
  void grow() {
    ++bits_;
    slots_.assign(std::size_t{1} << bits_, Slot{});
    for (std::size_t k = 0; k < values_.size(); ++k) {
      const std::uint64_t key = key_of(values_[k]);
      slots_[probe(key)] = {key, static_cast<std::uint32_t>(k)};
    }
  }

  int bits_ = 6;
  std::vector<Slot> slots_;
  std::vector<double> values_;
};

/// The distinct values of a column and, for each row, the index of its value.
struct ValueIndex {
  std::vector<double> values;        ///< distinct values, in order of first appearance
  std::vector<std::uint32_t> index;  ///< per row, into `values`
};

/// Builds the index of `column`.
[[nodiscard]] inline ValueIndex index_values(std::span<const double> column) {
  ValueTable table;
  ValueIndex out;
  out.index.resize(column.size());
  for (std::size_t i = 0; i < column.size(); ++i) out.index[i] = table.insert(column[i]);
  out.values = table.values();
  return out;
}

/// compress() without validation, for callers that validated the rows already; `row_of` is left
/// empty unless `with_row_of` (fits do not need it).
[[nodiscard]] CompressedSummary compress_rows(const SummaryView& summary, bool with_row_of);

/// Compressed rows prepared for the BG/NBD-family likelihood sum.
struct IndexedRows {
  std::size_t rows = 0;
  std::vector<double> weights;         ///< per row
  ValueIndex x;                        ///< distinct frequencies
  ValueIndex t_x;                      ///< distinct recencies
  ValueIndex T;                        ///< distinct ages
  std::vector<std::uint32_t> x_order;  ///< distinct x indices by ascending x
  std::vector<double> x_weight;        ///< Σ weights per distinct x
  double customers = 0;                ///< Σ weights
  /// The (x, t_x) and (x, T) pairs that occur, as (x index, t_x or T index), and each row's pair:
  /// per evaluation, e^(A4 − A3) is then a product of one factor per pair of each kind instead of
  /// an exp per row. Empty when there would be too many pairs.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> xt_pairs;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> xT_pairs;
  std::vector<std::uint32_t> xt_pair;  ///< per row, into xt_pairs
  std::vector<std::uint32_t> xT_pair;  ///< per row, into xT_pairs
};

/// Indexes `rows` (weights empty means 1 each).
[[nodiscard]] IndexedRows index_rows(const SummaryData& rows);

/// The BG/NBD (`modified` false: FHL 2005 eq. 6) or MBG/NBD (`modified` true: Batislam et al. 2007,
/// as lifetimes' ModifiedBetaGeoFitter) weighted log-likelihood with its analytic gradient.
[[nodiscard]] double bg_family_log_likelihood(const IndexedRows& rows, bool modified, unsigned threads,
                                              std::span<const double> parameters, std::span<double> gradient);

/// A LikelihoodProblem over `rows` for BG/NBD or MBG/NBD.
[[nodiscard]] LikelihoodProblem bg_family_problem(const SummaryData& rows, bool modified, unsigned threads);

}  // namespace crmkit::analytics::clv::detail
