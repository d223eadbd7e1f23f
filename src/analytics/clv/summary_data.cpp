// Summary rows: validation, extraction from a customer summary, and compression of identical rows.
//
// Compression ranks each column's values (hashing per chunk of rows, in parallel; only the few
// distinct values are sorted), packs a row's three ranks into one integer key, and radix-sorts the
// row numbers by it: a million rows cost a few milliseconds, rows come out in (x, t_x, T) order,
// and the weight sums run in input order within each distinct row, whatever the thread count.

#include "crmkit/analytics/clv/summary_data.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "analytics/clv/likelihood_sum.hpp"
#include "analytics/parallel.hpp"
#include "analytics/radix_sort.hpp"
#include "crmkit/core/error.hpp"

namespace crmkit::analytics::clv {

namespace {

[[noreturn]] void invalid(std::string_view column, std::size_t row, double value, std::string_view rule) {
  throw ValidationError(fmt::format("{}[{}]", column, row), fmt::format("{}", value), std::string(rule));
}

void check_length(std::string_view column, std::size_t size, std::size_t expected) {
  if (size != expected) {
    throw ValidationError(std::string(column), fmt::format("{} rows", size),
                          fmt::format("must have as many rows as frequency ({})", expected));
  }
}

bool is_whole(double v) noexcept { return v == std::floor(v); }

// Rows per indexing task: fixed, so that nothing depends on the thread count.
constexpr std::size_t compress_chunk_rows = std::size_t{1} << 17;

// The detailed checks of one row (throwing on the first broken rule).
void check_row(const SummaryView& view, std::size_t i, bool discrete) {
  const double x = view.frequency[i];
  const double t = view.recency[i];
  const double age = view.T[i];
  if (!std::isfinite(x) || x < 0 || !is_whole(x)) invalid("frequency", i, x, "must be a whole number >= 0");
  if (!std::isfinite(age) || age <= 0) invalid("T", i, age, "must be a finite number > 0");
  if (!std::isfinite(t) || t < 0) invalid("recency", i, t, "must be a finite number >= 0");
  if (t > age) invalid("recency", i, t, fmt::format("must not exceed T ({})", age));
  if (x == 0 && t != 0) invalid("recency", i, t, "must be 0 when frequency is 0");
  if (discrete) {
    if (!is_whole(age)) invalid("T", i, age, "must be a whole number of opportunities");
    if (!is_whole(t)) invalid("recency", i, t, "must be a whole number of opportunities");
    if (x > t) invalid("frequency", i, x, fmt::format("must not exceed recency ({})", t));
  }
  if (!view.weights.empty() && (!std::isfinite(view.weights[i]) || view.weights[i] <= 0)) {
    invalid("weights", i, view.weights[i], "must be a finite number > 0");
  }
}

// Whole and below 2^53, by a round trip through int64 (cheaper than floor on baseline x86-64);
// false also for NaN and infinities.
bool small_whole(double v) noexcept {
  return v >= 0 && v < 9007199254740992.0 && v == static_cast<double>(static_cast<std::int64_t>(v));
}

}  // namespace

namespace detail {

CompressedSummary compress_rows(const SummaryView& summary, bool with_row_of) {
  const std::size_t n = summary.size();
  CompressedSummary out;
  if (n == 0) return out;
  if (n >= 0xFFFF'FFFFU) {
    throw ValidationError("frequency", fmt::format("{} rows", n),
                          "are too many to compress: at most 4294967294");
  }
  const unsigned threads = analytics::detail::thread_count(0);
  const std::size_t chunks = analytics::detail::chunk_count(n, compress_chunk_rows);
  auto chunk_begin = [](std::size_t c) { return c * compress_chunk_rows; };
  auto chunk_end = [n](std::size_t c) { return std::min(n, (c + 1) * compress_chunk_rows); };

  // Each column's distinct values per chunk (hashing, in parallel) ...
  const std::array<std::span<const double>, 3> columns{summary.frequency, summary.recency, summary.T};
  std::vector<std::array<ValueTable, 3>> local(chunks);
  analytics::detail::parallel_for(chunks, threads, [&](std::size_t c) {
    for (std::size_t k = 0; k < 3; ++k) {
      for (std::size_t i = chunk_begin(c); i < chunk_end(c); ++i) (void)local[c][k].insert(columns[k][i]);
    }
  });
  // ... merged and sorted (they are few), then numbered by rank.
  std::array<std::vector<double>, 3> values;
  std::array<ValueTable, 3> rank;
  for (std::size_t k = 0; k < 3; ++k) {
    for (const auto& chunk : local) {
      values[k].insert(values[k].end(), chunk[k].values().begin(), chunk[k].values().end());
    }
    std::sort(values[k].begin(), values[k].end());
    values[k].erase(std::unique(values[k].begin(), values[k].end()), values[k].end());
    for (const double v : values[k]) (void)rank[k].insert(v);
  }
  local.clear();

  // A row's key packs its three ranks, so key order is (x, t_x, T) order.
  const std::uint64_t nt = values[1].size();
  const std::uint64_t nT = values[2].size();
  const std::uint64_t nxt = values[0].size() * nt;  // < 2^64: each count is below 2^32
  const bool one_key = nxt <= std::numeric_limits<std::uint64_t>::max() / nT;
  auto xt_of = [&](std::size_t i) {
    return std::uint64_t{rank[0].find(summary.frequency[i])} * nt + rank[1].find(summary.recency[i]);
  };
  auto key_of = [&](std::size_t i) { return xt_of(i) * nT + rank[2].find(summary.T[i]); };
  SummaryData& rows = out.rows;
  const std::uint64_t dense_limit = std::max<std::uint64_t>(4 * std::uint64_t{n}, 1U << 16);

  if (one_key && nxt <= dense_limit) {
    // Values on a grain: the (x, t_x) pairs that occur (often a third of all combinations, since
    // t_x > 0 needs x > 0, ...) numbered in order, so that a row's key is its pair's number · nT +
    // rank(T) ...
    std::vector<std::uint32_t> pair_of(static_cast<std::size_t>(nxt), 0);
    analytics::detail::parallel_for(chunks, threads, [&](std::size_t c) {
      for (std::size_t i = chunk_begin(c); i < chunk_end(c); ++i) {
        std::atomic_ref<std::uint32_t>(pair_of[xt_of(i)]).store(1, std::memory_order_relaxed);
      }
    });
    std::vector<std::uint64_t> pairs;  // the xt of each pair, ascending
    for (std::size_t xt = 0; xt < pair_of.size(); ++xt) {
      if (pair_of[xt] == 0) continue;
      pair_of[xt] = static_cast<std::uint32_t>(pairs.size());
      pairs.push_back(xt);
    }
    const std::uint64_t key_count = pairs.size() * nT;
    const bool weighted = !summary.weights.empty();
    if (key_count <= (weighted ? dense_limit / 2 : dense_limit)) {
      // ... and a direct-address table of the keys counts the rows (4 bytes a key) or sums their
      // weights (in input order, a fixed order); its non-empty entries, in key order, are the
      // distinct rows.
      auto compact_key = [&](std::size_t i) {
        return std::uint64_t{pair_of[xt_of(i)]} * nT + rank[2].find(summary.T[i]);
      };
      std::vector<std::uint32_t> count;
      std::vector<double> weight;
      if (with_row_of) {
        out.row_of.resize(n);
        analytics::detail::parallel_for(chunks, threads, [&](std::size_t c) {
          for (std::size_t i = chunk_begin(c); i < chunk_end(c); ++i) out.row_of[i] = compact_key(i);
        });
      }
      auto key_at = [&](std::size_t i) { return with_row_of ? out.row_of[i] : compact_key(i); };
      // Keys are computed a block at a time and then applied in a tight loop, so that the table's
      // cache misses overlap instead of waiting behind the hashing.
      auto blocked_keys = [&](std::size_t begin, std::size_t end, const auto& apply) {
        std::array<std::uint64_t, 256> block{};
        for (std::size_t i = begin; i < end; i += block.size()) {
          const std::size_t m = std::min(block.size(), end - i);
          for (std::size_t j = 0; j < m; ++j) block[j] = key_at(i + j);
          for (std::size_t j = 0; j < m; ++j) apply(i + j, block[j]);
        }
      };
      // Two halves of the rows, each with its own table, added in order: a fixed split, so the
      // sums do not depend on the thread count.
      const std::size_t half = n / 2;
      const auto keys = static_cast<std::size_t>(key_count);
      if (weighted) {
        std::vector<double> second;
        analytics::detail::parallel_for(2, n >= compress_chunk_rows ? threads : 1U, [&](std::size_t h) {
          std::vector<double>& table = h == 0 ? weight : second;
          table.assign(keys, 0.0);
          blocked_keys(h == 0 ? 0 : half, h == 0 ? half : n,
                       [&](std::size_t i, std::uint64_t key) { table[key] += summary.weights[i]; });
        });
        for (std::size_t k = 0; k < keys; ++k) weight[k] += second[k];
      } else {
        std::vector<std::uint32_t> second;
        analytics::detail::parallel_for(2, n >= compress_chunk_rows ? threads : 1U, [&](std::size_t h) {
          std::vector<std::uint32_t>& table = h == 0 ? count : second;
          table.assign(keys, 0);
          blocked_keys(h == 0 ? 0 : half, h == 0 ? half : n,
                       [&](std::size_t, std::uint64_t key) { ++table[key]; });
        });
        for (std::size_t k = 0; k < keys; ++k) count[k] += second[k];
      }
      std::size_t distinct = 0;
      for (std::size_t k = 0; k < keys; ++k) distinct += (weighted ? weight[k] > 0 : count[k] > 0) ? 1U : 0U;
      rows.frequency.resize(distinct);
      rows.recency.resize(distinct);
      rows.T.resize(distinct);
      rows.weights.resize(distinct);
      std::size_t key = 0;
      std::size_t row = 0;
      for (const std::uint64_t xt : pairs) {
        const double x = values[0][xt / nt];
        const double t = values[1][xt % nt];
        for (const double age : values[2]) {
          const double w = weighted ? weight[key] : static_cast<double>(count[key]);
          if (w > 0) {  // weights are > 0: empty keys hold 0
            rows.frequency[row] = x;
            rows.recency[row] = t;
            rows.T[row] = age;
            rows.weights[row] = w;
            // From now on the entry holds the row's place (exact in either type).
            if (weighted) {
              weight[key] = static_cast<double>(row);
            } else {
              count[key] = static_cast<std::uint32_t>(row);
            }
            ++row;
          }
          ++key;
        }
      }
      if (with_row_of) {
        analytics::detail::parallel_for(chunks, threads, [&](std::size_t c) {
          for (std::size_t i = chunk_begin(c); i < chunk_end(c); ++i) {
            const std::size_t k = out.row_of[i];
            out.row_of[i] = weighted ? static_cast<std::size_t>(weight[k]) : std::size_t{count[k]};
          }
        });
      }
      return out;
    }
  }

  // Many possible keys (times not on a grain): a stable radix sort of the row numbers by key (or,
  // when the key would overflow 64 bits, by T's rank and then stably by (x, t_x)); equal rows keep
  // their input order, so the weight sums run in a fixed order.
  std::vector<std::uint64_t> keys(n);
  std::vector<std::uint32_t> order(n);
  std::vector<std::uint32_t> T_rank;  // only without one key
  if (!one_key) T_rank.resize(n);
  analytics::detail::parallel_for(chunks, threads, [&](std::size_t c) {
    for (std::size_t i = chunk_begin(c); i < chunk_end(c); ++i) {
      if (one_key) {
        keys[i] = key_of(i);
      } else {
        T_rank[i] = rank[2].find(summary.T[i]);
        keys[i] = T_rank[i];
      }
      order[i] = static_cast<std::uint32_t>(i);
    }
  });
  analytics::detail::radix_sort(keys, order);
  if (!one_key) {
    for (std::size_t j = 0; j < n; ++j) keys[j] = xt_of(order[j]);
    analytics::detail::radix_sort(keys, order);
  }
  // Runs of equal keys are the distinct rows, already in (x, t_x, T) order.
  if (with_row_of) out.row_of.resize(n);
  auto same = [&](std::size_t j) {
    return keys[j] == keys[j - 1] && (one_key || T_rank[order[j]] == T_rank[order[j - 1]]);
  };
  for (std::size_t j = 0; j < n; ++j) {
    const std::uint32_t i = order[j];
    if (j == 0 || !same(j)) {
      rows.frequency.push_back(summary.frequency[i] + 0.0);
      rows.recency.push_back(summary.recency[i] + 0.0);
      rows.T.push_back(summary.T[i] + 0.0);
      rows.weights.push_back(0.0);
    }
    rows.weights.back() += summary.weight(i);
    if (with_row_of) out.row_of[i] = rows.weights.size() - 1;
  }
  return out;
}

}  // namespace detail

void SummaryView::validate(bool discrete) const {
  const std::size_t n = frequency.size();
  check_length("recency", recency.size(), n);
  check_length("T", T.size(), n);
  if (!weights.empty()) check_length("weights", weights.size(), n);
  // A branch-free test per row; the detailed checks name the rule only for a row that fails it
  // (or that is valid but unusual, such as a frequency of 2^53 or more).
  const bool weighted = !weights.empty();
  for (std::size_t i = 0; i < n; ++i) {
    const double x = frequency[i];
    const double t = recency[i];
    const double age = T[i];
    bool ok = small_whole(x) & (age > 0) & (age < HUGE_VAL) & (t >= 0) & (t <= age) & ((x != 0) | (t == 0));
    if (discrete) ok = ok & small_whole(t) & small_whole(age) & (x <= t);
    if (weighted) ok = ok & (weights[i] > 0) & (weights[i] < HUGE_VAL);
    if (!ok) check_row(*this, i, discrete);
  }
}

SummaryData summary_data(const CustomerSummary& summary) {
  SummaryData data;
  data.frequency.resize(summary.frequency.size());
  std::transform(summary.frequency.begin(), summary.frequency.end(), data.frequency.begin(),
                 [](std::int64_t x) { return static_cast<double>(x); });
  data.recency = summary.recency;
  data.T = summary.T;
  return data;
}

CompressedSummary compress(const SummaryView& summary) {
  summary.validate();
  return detail::compress_rows(summary, true);
}

}  // namespace crmkit::analytics::clv
