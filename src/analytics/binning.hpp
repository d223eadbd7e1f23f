#pragma once
// Score binning shared by bin_scores and rfm: integer columns (recency days, purchase counts) take
// a counting sort, doubles a radix sort; both give the same scores a stable comparison sort would.

#include <cstdint>
#include <span>

#include "crmkit/analytics/rfm.hpp"

namespace crmkit::analytics::detail {

/// @throws ValidationError (field `bins`) unless 2 <= bins <= 100.
void check_bins(int bins);

/// bin_scores for finite doubles (not checked here); `bins` must be valid.
[[nodiscard]] BinnedScores bin_doubles(std::span<const double> values, int bins, Binning binning);
/// bin_scores for integers; `bins` must be valid.
[[nodiscard]] BinnedScores bin_integers(std::span<const std::int64_t> values, int bins, Binning binning);
/// bin_scores for integers; `bins` must be valid.
[[nodiscard]] BinnedScores bin_integers(std::span<const std::int32_t> values, int bins, Binning binning);

}  // namespace crmkit::analytics::detail
