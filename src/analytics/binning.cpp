#include "analytics/binning.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include <fmt/format.h>

#include "analytics/radix_sort.hpp"
#include "crmkit/core/error.hpp"

namespace crmkit::analytics {

namespace detail {

namespace {

// Counting sort only pays while its count array stays near the size of the input.
constexpr std::uint64_t counting_slack = 65536;

// numpy's linear interpolation (`_lerp`): from the nearer end, so that t = 1 gives b exactly.
double lerp(double a, double b, double t) noexcept {
  const double diff = b - a;
  return t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t;
}

// Edges from the sorted values (sorted_at(p) is the value at 0-based sorted position p). Both
// binnings look at position floor(k (n - 1) / bins): rank binning's last rank with score <= k
// (so an empty bin repeats the previous edge), and the lower neighbour of numpy's quantile k/bins,
// whose fractional part is computed exactly from integers.
template <class SortedAt>
std::vector<double> make_edges(std::size_t n, int bins, Binning binning, SortedAt&& sorted_at) {
  const auto b = static_cast<std::size_t>(bins);
  std::vector<double> edges(b + 1, 0.0);
  if (n == 0) return edges;
  for (std::size_t k = 0; k <= b; ++k) {
    const std::size_t num = k * (n - 1);
    const std::size_t lo = num / b;
    const std::size_t rem = num % b;
    if (binning == Binning::rank || rem == 0) {
      edges[k] = sorted_at(lo);
    } else {
      edges[k] = lerp(sorted_at(lo), sorted_at(lo + 1), static_cast<double>(rem) / static_cast<double>(b));
    }
  }
  return edges;
}

// Rank binning score of each 0-based sorted position p: max(1, ceil(bins p / (n - 1))), filled as
// runs: positions up to floor(k (n - 1) / bins) not yet scored get k. No division per customer.
std::vector<std::uint8_t> position_scores(std::size_t n, int bins) {
  std::vector<std::uint8_t> scores(n, 1);
  if (n <= 1) return scores;
  const auto b = static_cast<std::size_t>(bins);
  std::size_t p = 0;
  for (std::size_t k = 1; k <= b; ++k) {
    const std::size_t last = k * (n - 1) / b;
    for (; p <= last; ++p) scores[p] = static_cast<std::uint8_t>(k);
  }
  return scores;
}

template <class T>
void value_scores(std::span<const T> values, const std::vector<double>& edges, std::vector<std::uint8_t>& scores) {
  const auto top = static_cast<std::ptrdiff_t>(edges.size() - 1);
  for (std::size_t j = 0; j < values.size(); ++j) {
    const auto v = static_cast<double>(values[j]);
    const std::ptrdiff_t k = std::lower_bound(edges.begin() + 1, edges.end(), v) - edges.begin();
    scores[j] = static_cast<std::uint8_t>(std::min(k, top));
  }
}

// Sorts (order key, position) pairs: the stable ascending order of any column.
template <class T>
BinnedScores bin_by_sorting(std::span<const T> values, int bins, Binning binning) {
  const std::size_t n = values.size();
  std::vector<std::uint64_t> keys(n);
  std::vector<std::uint32_t> order(n);
  for (std::size_t j = 0; j < n; ++j) {
    keys[j] = order_key(values[j]);
    order[j] = static_cast<std::uint32_t>(j);
  }
  radix_sort(keys, order);
  keys = {};
  BinnedScores out;
  out.scores.resize(n);
  out.edges = make_edges(n, bins, binning, [&](std::size_t p) { return static_cast<double>(values[order[p]]); });
  if (binning == Binning::rank) {
    const auto by_position = position_scores(n, bins);
    for (std::size_t p = 0; p < n; ++p) out.scores[order[p]] = by_position[p];
  } else {
    value_scores(values, out.edges, out.scores);
  }
  return out;
}

template <class T>
BinnedScores bin_ints(std::span<const T> values, int bins, Binning binning) {
  const std::size_t n = values.size();
  if (n == 0) return BinnedScores{{}, make_edges(0, bins, binning, [](std::size_t) { return 0.0; })};
  if (n >= 0xFFFF'FFFFULL) {
    throw ValidationError("values", fmt::format("{} values", n), "are too many to bin: at most 4294967294");
  }
  const auto [lo_it, hi_it] = std::minmax_element(values.begin(), values.end());
  const auto min = static_cast<std::int64_t>(*lo_it);
  const std::uint64_t range =
      static_cast<std::uint64_t>(static_cast<std::int64_t>(*hi_it)) - static_cast<std::uint64_t>(min);
  if (range > 2 * static_cast<std::uint64_t>(n) + counting_slack) {
    std::vector<std::int64_t> wide(values.begin(), values.end());
    return bin_by_sorting(std::span<const std::int64_t>(wide), bins, binning);
  }
  // start[v] = the first sorted position of value min + v.
  const auto width = static_cast<std::size_t>(range) + 1;
  std::vector<std::uint32_t> start(width + 1, 0);
  const auto slot = [min](T v) {
    return static_cast<std::size_t>(static_cast<std::uint64_t>(static_cast<std::int64_t>(v)) -
                                    static_cast<std::uint64_t>(min));
  };
  for (const T v : values) ++start[slot(v) + 1];
  std::partial_sum(start.begin(), start.end(), start.begin());
  BinnedScores out;
  out.scores.resize(n);
  out.edges = make_edges(n, bins, binning, [&](std::size_t p) {
    // The value whose run [start[v], start[v + 1]) holds position p.
    const auto it = std::upper_bound(start.begin(), start.end(), static_cast<std::uint32_t>(p));
    return static_cast<double>(min + static_cast<std::int64_t>(it - start.begin()) - 1);
  });
  if (binning == Binning::rank) {
    const auto by_position = position_scores(n, bins);
    for (std::size_t j = 0; j < n; ++j) out.scores[j] = by_position[start[slot(values[j])]++];
  } else {
    value_scores(values, out.edges, out.scores);
  }
  return out;
}

}  // namespace

void check_bins(int bins) {
  if (bins < 2 || bins > 100) throw ValidationError("bins", std::to_string(bins), "must be between 2 and 100");
}

BinnedScores bin_doubles(std::span<const double> values, int bins, Binning binning) {
  if (values.size() >= 0xFFFF'FFFFULL) {
    throw ValidationError("values", fmt::format("{} values", values.size()), "are too many to bin: at most 4294967294");
  }
  return bin_by_sorting(values, bins, binning);
}

BinnedScores bin_integers(std::span<const std::int64_t> values, int bins, Binning binning) {
  return bin_ints(values, bins, binning);
}

BinnedScores bin_integers(std::span<const std::int32_t> values, int bins, Binning binning) {
  return bin_ints(values, bins, binning);
}

}  // namespace detail

std::string_view to_string(Binning binning) noexcept {
  return binning == Binning::value ? "value" : "rank";
}

Binning parse_binning(std::string_view text, std::string_view field) {
  if (text == "rank") return Binning::rank;
  if (text == "value") return Binning::value;
  throw ValidationError(std::string(field), std::string(text), "is not a binning: expected rank or value");
}

BinnedScores bin_scores(std::span<const double> values, int bins, Binning binning) {
  detail::check_bins(bins);
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      throw ValidationError(fmt::format("values[{}]", i), fmt::format("{}", values[i]), "must be a finite number");
    }
  }
  return detail::bin_doubles(values, bins, binning);
}

}  // namespace crmkit::analytics
