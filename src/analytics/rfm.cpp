#include "crmkit/analytics/rfm.hpp"

#include <exception>
#include <string>
#include <thread>
#include <utility>

#include "analytics/binning.hpp"
#include "analytics/customer_aggregates.hpp"
#include "analytics/customer_index.hpp"
#include "analytics/parallel.hpp"
#include "analytics/period_math.hpp"
#include "analytics/purchase_checks.hpp"
#include "crmkit/core/error.hpp"

namespace crmkit::analytics {

namespace {

// Fills the scores and edges of values already in `s`. The three columns are independent:
// monetary (a radix sort of doubles) takes about as long as the two counting sorts together.
void score(RfmScores& s, unsigned threads) {
  BinnedScores recency;
  BinnedScores frequency;
  BinnedScores monetary;
  const auto counts = [&] {
    recency = detail::bin_integers(std::span<const std::int32_t>(s.recency_days), s.bins, s.binning);
    frequency = detail::bin_integers(std::span<const std::int64_t>(s.frequency), s.bins, s.binning);
  };
  if (detail::thread_count(threads) > 1 && s.size() > 4096) {
    // The radix sort (the big buffers) stays on the calling thread, whose allocator arena the
    // next call reuses; a worker thread's arena would hand out fresh pages again.
    std::exception_ptr failure;
    {
      const std::jthread other([&] {
        try {
          counts();
        } catch (...) {
          failure = std::current_exception();
        }
      });
      monetary = detail::bin_doubles(s.monetary, s.bins, s.binning);
    }  // joins
    if (failure) std::rethrow_exception(failure);
  } else {
    counts();
    monetary = detail::bin_doubles(s.monetary, s.bins, s.binning);
  }
  // Fewer days since the last purchase is better: reverse the recency score.
  const auto top = static_cast<std::uint8_t>(s.bins + 1);
  for (std::uint8_t& r : recency.scores) r = static_cast<std::uint8_t>(top - r);
  s.r = std::move(recency.scores);
  s.f = std::move(frequency.scores);
  s.m = std::move(monetary.scores);
  s.edges = RfmEdges{std::move(recency.edges), std::move(frequency.edges), std::move(monetary.edges)};
}

}  // namespace

RfmScores rfm(const PurchaseView& purchases, const RfmOptions& options) {
  detail::check_bins(options.bins);
  const unsigned threads = detail::thread_count(options.threads);
  const auto latest = detail::validate_view(purchases, threads);
  const Date as_of = options.as_of.value_or(
      latest ? detail::day_of(*latest) : Date{std::chrono::year{1970}, std::chrono::January, std::chrono::day{1}});
  detail::TimeWindow window;
  const std::int64_t last_us = detail::last_microsecond_of(as_of);
  if (latest && *latest > last_us) window.last_us = last_us;  // else: no time test per row
  auto totals = detail::rfm_totals(purchases, options.period, window, threads);

  RfmScores s;
  s.bins = options.bins;
  s.binning = options.binning;
  s.period = options.period;
  s.as_of = as_of;
  const std::size_t n = totals.ids.size();
  s.customer_ids = std::move(totals.ids);
  s.recency_days.resize(n);
  s.frequency.resize(n);
  s.monetary.resize(n);
  const std::int64_t as_of_day = detail::days_since_epoch(as_of);
  for (std::size_t c = 0; c < n; ++c) {
    const detail::RfmTotals& t = totals.totals[c];
    s.recency_days[c] = static_cast<std::int32_t>(as_of_day - t.last_day);
    s.frequency[c] = static_cast<std::int64_t>(t.periods);
    s.monetary[c] = t.total;
  }
  score(s, threads);
  return s;
}

RfmScores rfm(const CustomerSummary& summary, int bins, Binning binning) {
  detail::check_bins(bins);
  // A summary built by hand could have ragged columns: refuse rather than read past one.
  const std::size_t rows = summary.customer_ids.size();
  const auto check_column = [rows](std::size_t size, const char* field) {
    if (size != rows) {
      throw ValidationError(field, std::to_string(size) + " rows",
                            "must have one entry per customer_ids entry (" + std::to_string(rows) + ")");
    }
  };
  check_column(summary.last_purchase_us.size(), "last_purchase_us");
  check_column(summary.purchase_periods.size(), "purchase_periods");
  check_column(summary.total_spend.size(), "total_spend");
  RfmScores s;
  s.bins = bins;
  s.binning = binning;
  s.period = summary.period;
  s.as_of = summary.as_of;
  s.customer_ids = summary.customer_ids;
  const std::size_t n = summary.size();
  s.recency_days.resize(n);
  const std::int64_t as_of_day = detail::days_since_epoch(summary.as_of);
  for (std::size_t c = 0; c < n; ++c) {
    s.recency_days[c] = static_cast<std::int32_t>(as_of_day - detail::day_index(summary.last_purchase_us[c]));
  }
  s.frequency = summary.purchase_periods;
  s.monetary = summary.total_spend;
  score(s, 0);
  return s;
}

}  // namespace crmkit::analytics
