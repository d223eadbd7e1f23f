#include "crmkit/analytics/segments.hpp"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "crmkit/core/error.hpp"

namespace crmkit::analytics {

namespace {

// Segment indexes are uint16: the rules' labels plus the fallback must fit.
constexpr std::size_t max_labels = std::numeric_limits<std::uint16_t>::max() + std::size_t{1};
// The default ScoreRange: "any score", accepted whatever the bin count.
constexpr int any_score_max = 100;

bool same_range(const ScoreRange& a, const ScoreRange& b) noexcept { return a.min == b.min && a.max == b.max; }

bool same_rules(const SegmentRules& a, const SegmentRules& b) {
  if (a.fallback != b.fallback || a.rules.size() != b.rules.size()) return false;
  for (std::size_t i = 0; i < a.rules.size(); ++i) {
    const SegmentRule& x = a.rules[i];
    const SegmentRule& y = b.rules[i];
    if (x.label != y.label || !same_range(x.r, y.r) || !same_range(x.f, y.f) || !same_range(x.m, y.m)) return false;
  }
  return true;
}

void check_range(const ScoreRange& range, int bins, std::size_t rule, const char* dimension) {
  const auto field = [&] { return fmt::format("rules[{}].{}", rule, dimension); };
  const auto value = [&] { return fmt::format("{}..{}", range.min, range.max); };
  if (range.min > range.max) throw ValidationError(field(), value(), "is empty: min is above max");
  // max = 100 (the default) means "and above", so a range written for any bin count stays valid.
  if (range.min < 1 || range.min > bins || (range.max > bins && range.max != any_score_max)) {
    throw ValidationError(field(), value(), fmt::format("reaches outside the scores 1..{}", bins));
  }
}

}  // namespace

SegmentRules SegmentRules::standard() {
  SegmentRules s;
  s.rules = {
      {"Champions", {5, 5}, {4, 5}, {}},
      {"Loyal Customers", {3, 4}, {4, 5}, {}},
      {"Potential Loyalists", {4, 5}, {2, 3}, {}},
      {"New Customers", {5, 5}, {1, 1}, {}},
      {"Promising", {4, 4}, {1, 1}, {}},
      {"Need Attention", {3, 3}, {3, 3}, {}},
      {"About to Sleep", {3, 3}, {1, 2}, {}},
      {"Can't Lose Them", {1, 2}, {5, 5}, {}},
      {"At Risk", {1, 2}, {3, 4}, {}},
      {"Hibernating", {1, 2}, {1, 2}, {}},
  };
  return s;
}

void SegmentRules::validate(int bins) const {
  if (bins != 5 && same_rules(*this, standard())) {
    throw ValidationError("bins", std::to_string(bins),
                          "does not fit the standard segment grid, which needs 5 bins (give your own rules "
                          "for other bin counts)");
  }
  if (rules.size() >= max_labels) {
    throw ValidationError("rules", fmt::format("{} rules", rules.size()),
                          fmt::format("are too many: at most {}", max_labels - 1));
  }
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const SegmentRule& rule = rules[i];
    if (rule.label.empty()) throw ValidationError(fmt::format("rules[{}].label", i), "", "must not be empty");
    check_range(rule.r, bins, i, "r");
    check_range(rule.f, bins, i, "f");
    check_range(rule.m, bins, i, "m");
  }
  if (fallback.empty()) throw ValidationError("fallback", "", "must not be empty");
}

Segmentation assign_segments(const RfmScores& scores, const SegmentRules& rules) {
  rules.validate(scores.bins);
  const std::size_t n = scores.size();
  if (scores.r.size() != n || scores.f.size() != n || scores.m.size() != n) {
    throw ValidationError("scores",
                          fmt::format("{}/{}/{} r/f/m scores", scores.r.size(), scores.f.size(), scores.m.size()),
                          fmt::format("must have one score of each kind per customer ({})", n));
  }
  Segmentation out;
  std::vector<std::uint16_t> rule_label(rules.rules.size());
  const auto label_index = [&out](const std::string& label) {
    const auto it = std::find(out.labels.begin(), out.labels.end(), label);
    if (it != out.labels.end()) return static_cast<std::uint16_t>(it - out.labels.begin());
    out.labels.push_back(label);
    return static_cast<std::uint16_t>(out.labels.size() - 1);
  };
  for (std::size_t i = 0; i < rules.rules.size(); ++i) rule_label[i] = label_index(rules.rules[i].label);
  const std::uint16_t fallback = label_index(rules.fallback);

  const auto match = [&](int r, int f, int m) {
    for (std::size_t i = 0; i < rules.rules.size(); ++i) {
      const SegmentRule& rule = rules.rules[i];
      if (rule.r.contains(r) && rule.f.contains(f) && rule.m.contains(m)) return rule_label[i];
    }
    return fallback;
  };
  out.segment.resize(n);
  const int bins = scores.bins;
  // Few bins: decide each (R, F, M) cell once, then one table lookup per customer.
  if (bins <= 16) {
    const auto b = static_cast<std::size_t>(bins);
    std::vector<std::uint16_t> cell(b * b * b);
    for (int r = 1; r <= bins; ++r) {
      for (int f = 1; f <= bins; ++f) {
        for (int m = 1; m <= bins; ++m) {
          cell[((static_cast<std::size_t>(r) - 1) * b + static_cast<std::size_t>(f) - 1) * b +
               static_cast<std::size_t>(m) - 1] = match(r, f, m);
        }
      }
    }
    const auto in_range = [bins](std::uint8_t s) { return s >= 1 && s <= bins; };
    for (std::size_t row = 0; row < n; ++row) {
      const std::uint8_t r = scores.r[row];
      const std::uint8_t f = scores.f[row];
      const std::uint8_t m = scores.m[row];
      out.segment[row] = (in_range(r) && in_range(f) && in_range(m))
                             ? cell[((std::size_t{r} - 1) * b + std::size_t{f} - 1) * b + std::size_t{m} - 1]
                             : match(r, f, m);
    }
  } else {
    for (std::size_t row = 0; row < n; ++row) out.segment[row] = match(scores.r[row], scores.f[row], scores.m[row]);
  }
  return out;
}

std::vector<SegmentStats> summarize_segments(const RfmScores& scores, const Segmentation& segmentation) {
  const std::size_t n = scores.size();
  if (segmentation.segment.size() != n) {
    throw ValidationError("segment", fmt::format("{} entries", segmentation.segment.size()),
                          fmt::format("must have one entry per scored customer ({})", n));
  }
  if (scores.recency_days.size() != n || scores.frequency.size() != n || scores.monetary.size() != n) {
    throw ValidationError("scores",
                          fmt::format("{}/{}/{} recency/frequency/monetary values", scores.recency_days.size(),
                                      scores.frequency.size(), scores.monetary.size()),
                          fmt::format("must have one value of each kind per customer ({})", n));
  }
  const std::size_t labels = segmentation.labels.size();
  struct Sums {
    std::int64_t customers = 0;
    double revenue = 0;
    double recency = 0;
    double frequency = 0;
  };
  std::vector<Sums> sums(labels);
  double total_revenue = 0;
  for (std::size_t row = 0; row < n; ++row) {
    const std::size_t s = segmentation.segment[row];
    if (s >= labels) {
      throw ValidationError("segment", fmt::format("segment[{}] = {}", row, s),
                            fmt::format("must be an index into the {} labels", labels));
    }
    Sums& sum = sums[s];
    ++sum.customers;
    sum.revenue += scores.monetary[row];
    sum.recency += static_cast<double>(scores.recency_days[row]);
    sum.frequency += static_cast<double>(scores.frequency[row]);
    total_revenue += scores.monetary[row];
  }
  std::vector<SegmentStats> stats(labels);
  for (std::size_t s = 0; s < labels; ++s) {
    const Sums& sum = sums[s];
    SegmentStats& out = stats[s];
    out.label = segmentation.labels[s];
    out.customers = sum.customers;
    out.customer_share = n == 0 ? 0.0 : static_cast<double>(sum.customers) / static_cast<double>(n);
    out.revenue = sum.revenue;
    out.revenue_share = total_revenue == 0.0 ? 0.0 : sum.revenue / total_revenue;
    if (sum.customers > 0) {
      const auto count = static_cast<double>(sum.customers);
      out.mean_recency_days = sum.recency / count;
      out.mean_frequency = sum.frequency / count;
      out.mean_monetary = sum.revenue / count;
    }
  }
  return stats;
}

}  // namespace crmkit::analytics
