#include "crmkit/analytics/customer_summary.hpp"

#include <algorithm>
#include <utility>

#include "analytics/customer_aggregates.hpp"
#include "analytics/customer_index.hpp"
#include "analytics/parallel.hpp"
#include "analytics/period_math.hpp"
#include "analytics/purchase_checks.hpp"
#include "crmkit/core/error.hpp"

namespace crmkit::analytics {

namespace {

// The summary columns of the customers with a purchase in the window, in ascending id.
CustomerSummary summarize(detail::CustomerAggregates<detail::CustomerTotals> agg, Period period, Period unit,
                          Date as_of) {
  CustomerSummary s;
  s.period = period;
  s.time_unit = unit;
  s.as_of = as_of;
  const std::size_t n = agg.ids.size();
  s.customer_ids = std::move(agg.ids);
  s.first_purchase_us.resize(n);
  s.last_purchase_us.resize(n);
  s.frequency.resize(n);
  s.recency.resize(n);
  s.T.resize(n);
  s.monetary_value.resize(n);
  s.total_spend.resize(n);
  s.purchase_periods.resize(n);
  const double scale = units_per_period(period, unit);
  const std::int64_t as_of_period = period_index(as_of, period);
  for (std::size_t c = 0; c < n; ++c) {
    const detail::CustomerTotals& t = agg.totals[c];
    const std::int64_t first_period = detail::period_of_day(detail::day_index(t.first_us), period);
    const std::int64_t repeats = static_cast<std::int64_t>(t.periods) - 1;
    s.first_purchase_us[c] = t.first_us;
    s.last_purchase_us[c] = t.last_us;
    s.frequency[c] = repeats;
    s.recency[c] = static_cast<double>(t.last_period - first_period) * scale;
    s.T[c] = static_cast<double>(as_of_period - first_period) * scale;
    s.monetary_value[c] = repeats > 0 ? t.repeat_total / static_cast<double>(repeats) : 0.0;
    s.total_spend[c] = t.total;
    s.purchase_periods[c] = static_cast<std::int64_t>(t.periods);
  }
  return s;
}

Date default_end(const std::optional<std::int64_t>& latest_us) {
  return latest_us ? detail::day_of(*latest_us)
                   : Date{std::chrono::year{1970}, std::chrono::January, std::chrono::day{1}};
}

// The rows on or before `last_us`; the whole view when no row is later (no time test per row).
detail::TimeWindow up_to(std::int64_t last_us, const std::optional<std::int64_t>& latest_us) {
  detail::TimeWindow window;
  if (latest_us && *latest_us > last_us) window.last_us = last_us;
  return window;
}

}  // namespace

std::optional<std::size_t> CustomerSummary::find(std::int64_t customer_id) const noexcept {
  const auto it = std::lower_bound(customer_ids.begin(), customer_ids.end(), customer_id);
  if (it == customer_ids.end() || *it != customer_id) return std::nullopt;
  return static_cast<std::size_t>(it - customer_ids.begin());
}

CustomerSummary customer_summary(const PurchaseView& purchases, const SummaryOptions& options) {
  const unsigned threads = detail::thread_count(options.threads);
  const auto latest = detail::validate_view(purchases, threads);
  const Date as_of = options.as_of.value_or(default_end(latest));
  auto totals = detail::summary_totals(purchases, options.period,
                                             up_to(detail::last_microsecond_of(as_of), latest), threads);
  return summarize(std::move(totals), options.period, options.time_unit.value_or(options.period), as_of);
}

CalibrationHoldout calibration_holdout_summary(const PurchaseView& purchases, const HoldoutOptions& options) {
  const unsigned threads = detail::thread_count(options.threads);
  const auto latest = detail::validate_view(purchases, threads);
  const Date observation_end = options.observation_end.value_or(default_end(latest));
  if (observation_end < options.calibration_end) {
    throw ValidationError("observation_end", format_date(observation_end),
                          "must not be before calibration_end (" + format_date(options.calibration_end) + ")");
  }
  const Period unit = options.time_unit.value_or(options.period);
  const std::int64_t calibration_last_us = detail::last_microsecond_of(options.calibration_end);
  const std::int64_t observation_last_us = detail::last_microsecond_of(observation_end);

  CalibrationHoldout result;
  const auto calibration =
      detail::summary_totals(purchases, options.period, up_to(calibration_last_us, latest), threads);
  result.calibration = summarize(calibration, options.period, unit, options.calibration_end);
  result.observation_end = observation_end;
  result.holdout_duration =
      static_cast<double>(period_index(observation_end, options.period) -
                          period_index(options.calibration_end, options.period)) *
      units_per_period(options.period, unit);
  const std::size_t n = calibration.ids.size();
  result.holdout_frequency.assign(n, 0);
  result.holdout_monetary_value.assign(n, 0.0);
  if (calibration_last_us >= observation_last_us) return result;  // an empty holdout

  const auto holdout = detail::summary_totals(
      purchases, options.period, detail::TimeWindow{calibration_last_us + 1, observation_last_us}, threads);
  // Both id lists ascend: walk them together. Holdout-only customers are not in the result.
  std::size_t h = 0;
  for (std::size_t c = 0; c < n; ++c) {
    while (h < holdout.ids.size() && holdout.ids[h] < calibration.ids[c]) ++h;
    if (h == holdout.ids.size()) break;
    if (holdout.ids[h] != calibration.ids[c]) continue;
    const detail::CustomerTotals& t = holdout.totals[h];
    result.holdout_frequency[c] = static_cast<std::int64_t>(t.periods);
    result.holdout_monetary_value[c] = t.total / static_cast<double>(t.periods);
  }
  return result;
}

}  // namespace crmkit::analytics
