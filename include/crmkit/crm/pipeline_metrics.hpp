#pragma once
/// @file
/// @brief Weighted pipeline value and time in stage, computed from deals and their history.

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "crmkit/core/money.hpp"
#include "crmkit/core/time.hpp"
#include "crmkit/domain/deal.hpp"
#include "crmkit/domain/pipeline.hpp"

namespace crmkit {

/// Open-deal value of a pipeline in one currency.
struct PipelineValue {
  Currency currency;        ///< the currency of both sums
  Money total;              ///< sum of open deals' amounts
  Money weighted;           ///< sum of amount × effective probability, each rounded half to even
  std::size_t open_deals = 0;  ///< number of open deals counted
};

/// Open-deal value expected to close in one month, in one currency.
struct CloseMonthValue {
  std::optional<std::chrono::year_month> month;  ///< expected close month; none for deals without a date
  Currency currency;         ///< the currency of both sums
  Money total;               ///< sum of amounts
  Money weighted;            ///< sum of weighted amounts
  std::size_t open_deals = 0;  ///< number of open deals counted
};

/// Time a deal spent in one stage, over all its visits.
struct StageTime {
  std::string stage;          ///< the stage key
  Duration time{0};           ///< total time in the stage
  std::size_t visits = 0;     ///< how many times the deal entered it
};

/// Average time deals of a pipeline spent in one stage.
struct StageTimeSummary {
  std::string stage;          ///< the stage key, in pipeline order
  Duration mean{0};           ///< mean total time per deal that visited the stage
  std::size_t deals = 0;      ///< deals that visited the stage
};

/// Weighted value of the open deals among `deals` that belong to `pipeline`, one row per currency
/// (sorted by code). Closed deals and deals of other pipelines are skipped.
[[nodiscard]] std::vector<PipelineValue> weighted_value(std::span<const Deal> deals,
                                                        const Pipeline& pipeline);

/// Like weighted_value(), grouped by expected close month (deals without a date last) and currency.
[[nodiscard]] std::vector<CloseMonthValue> weighted_value_by_close_month(std::span<const Deal> deals,
                                                                         const Pipeline& pipeline);

/// Time the deal spent in each stage it visited, from its history; the current stage counts up
/// to `now` unless the deal is closed (won or lost), when it counts up to the close time.
/// Stages appear in the order first visited.
[[nodiscard]] std::vector<StageTime> time_in_stage(const Deal& deal, Timestamp now);

/// Mean time in each stage of `pipeline` over `deals` of that pipeline (stages no deal visited
/// are listed with 0 deals).
[[nodiscard]] std::vector<StageTimeSummary> average_time_in_stage(std::span<const Deal> deals,
                                                                  const Pipeline& pipeline,
                                                                  Timestamp now);

/// True when an open deal has sat in its current stage longer than the stage's `rotting_days`
/// (false for closed deals and stages without a threshold).
[[nodiscard]] bool is_rotting(const Deal& deal, const Pipeline& pipeline, Timestamp now) noexcept;

}  // namespace crmkit
