#include "crmkit/crm/pipeline_metrics.hpp"

#include <algorithm>
#include <map>
#include <string_view>
#include <tuple>

namespace crmkit {

namespace {

bool is_closed(const Deal& deal) noexcept { return deal.won_at || deal.lost_at; }

bool counts_as_open(const Deal& deal, const Pipeline& pipeline) noexcept {
  return deal.pipeline == pipeline.id && !is_closed(deal);
}

// Adds one deal to a row with `total`, `weighted` and `open_deals` members.
template <class Row>
void add_open_deal(Row& row, const Deal& deal, const Pipeline& pipeline) {
  row.total += deal.amount;
  row.weighted += deal.amount.scaled(deal.effective_probability(pipeline));
  ++row.open_deals;
}

template <class Row>
Row empty_row(const Currency& currency) {
  Row row;
  row.currency = currency;
  row.total = Money(0, currency);
  row.weighted = Money(0, currency);
  return row;
}

// Deals without an expected close date sort after every month.
struct CloseMonthKey {
  std::optional<std::chrono::year_month> month;
  std::string currency;

  friend bool operator<(const CloseMonthKey& a, const CloseMonthKey& b) {
    const auto rank = [](const CloseMonthKey& key) {
      return std::make_tuple(!key.month.has_value(), key.month.value_or(std::chrono::year_month{}),
                             std::string_view(key.currency));
    };
    return rank(a) < rank(b);
  }
};

Timestamp close_time(const Deal& deal) noexcept {
  return deal.won_at ? *deal.won_at : *deal.lost_at;
}

}  // namespace

std::vector<PipelineValue> weighted_value(std::span<const Deal> deals, const Pipeline& pipeline) {
  std::map<std::string, PipelineValue, std::less<>> by_currency;
  for (const Deal& deal : deals) {
    if (!counts_as_open(deal, pipeline)) {
      continue;
    }
    const Currency& currency = deal.amount.currency();
    auto row = by_currency.try_emplace(std::string(currency.code()),
                                       empty_row<PipelineValue>(currency)).first;
    add_open_deal(row->second, deal, pipeline);
  }
  std::vector<PipelineValue> rows;
  rows.reserve(by_currency.size());
  for (auto& entry : by_currency) {
    rows.push_back(std::move(entry.second));
  }
  return rows;
}

std::vector<CloseMonthValue> weighted_value_by_close_month(std::span<const Deal> deals,
                                                           const Pipeline& pipeline) {
  std::map<CloseMonthKey, CloseMonthValue> by_month;
  for (const Deal& deal : deals) {
    if (!counts_as_open(deal, pipeline)) {
      continue;
    }
    std::optional<std::chrono::year_month> month;
    if (deal.expected_close) {
      month = deal.expected_close->year() / deal.expected_close->month();
    }
    const Currency& currency = deal.amount.currency();
    auto fresh = empty_row<CloseMonthValue>(currency);
    fresh.month = month;
    auto row = by_month.try_emplace(CloseMonthKey{month, std::string(currency.code())},
                                    std::move(fresh)).first;
    add_open_deal(row->second, deal, pipeline);
  }
  std::vector<CloseMonthValue> rows;
  rows.reserve(by_month.size());
  for (auto& entry : by_month) {
    rows.push_back(std::move(entry.second));
  }
  return rows;
}

std::vector<StageTime> time_in_stage(const Deal& deal, Timestamp now) {
  std::vector<StageTime> stages;
  const auto& history = deal.history;
  for (std::size_t i = 0; i < history.size(); ++i) {
    const Timestamp start = history[i].at;
    Timestamp end = now;
    if (i + 1 < history.size()) {
      end = history[i + 1].at;
    } else if (is_closed(deal)) {
      end = close_time(deal);
    }
    auto stage = std::find_if(stages.begin(), stages.end(),
                              [&](const StageTime& s) { return s.stage == history[i].to; });
    if (stage == stages.end()) {
      stage = stages.insert(stages.end(), StageTime{history[i].to, Duration{0}, 0});
    }
    // A `now` earlier than the last move (a clock behind the data) counts as no time, not negative.
    stage->time += std::max(end - start, Duration{0});
    ++stage->visits;
  }
  return stages;
}

std::vector<StageTimeSummary> average_time_in_stage(std::span<const Deal> deals,
                                                    const Pipeline& pipeline, Timestamp now) {
  struct Sum {
    Duration total{0};
    std::size_t deals = 0;
  };
  std::map<std::string, Sum, std::less<>> sums;
  for (const Deal& deal : deals) {
    if (deal.pipeline != pipeline.id) {
      continue;
    }
    for (const StageTime& stage : time_in_stage(deal, now)) {
      Sum& sum = sums[stage.stage];
      sum.total += stage.time;
      ++sum.deals;
    }
  }
  std::vector<StageTimeSummary> rows;
  rows.reserve(pipeline.stages.size());
  for (const Stage& stage : pipeline.stages) {
    StageTimeSummary row{stage.key, Duration{0}, 0};
    if (auto sum = sums.find(stage.key); sum != sums.end()) {
      const auto count = static_cast<Duration::rep>(sum->second.deals);
      // Round to the nearest microsecond (times are never negative).
      row.mean = Duration{(sum->second.total.count() + count / 2) / count};
      row.deals = sum->second.deals;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

bool is_rotting(const Deal& deal, const Pipeline& pipeline, Timestamp now) noexcept {
  if (is_closed(deal)) {
    return false;
  }
  const Stage* stage = pipeline.find_stage(deal.stage);
  if (stage == nullptr || !stage->rotting_days) {
    return false;
  }
  return now - deal.stage_entered_at() > std::chrono::days{*stage->rotting_days};
}

}  // namespace crmkit
