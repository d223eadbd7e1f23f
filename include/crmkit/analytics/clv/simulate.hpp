#pragma once
/// @file
/// Seeded simulators of each model's generative process, to test fits and to plan.

#include <cstddef>
#include <cstdint>

#include "crmkit/analytics/clv/gamma_gamma.hpp"
#include "crmkit/analytics/clv/models.hpp"
#include "crmkit/analytics/clv/summary_data.hpp"

namespace crmkit::analytics::clv {

/// Who is simulated, and for how long.
struct SimulationOptions {
  std::size_t customers = 1000;  ///< how many
  /// Observation length T of each customer, in time units (whole opportunities for BG/BB). When
  /// `T_spread` > 0, customers' T are drawn uniformly from [T − T_spread, T] (staggered acquisition).
  double T = 52;
  double T_spread = 0;   ///< see `T`
  /// Round t_x and T to this grain (e.g. 1/7 for days in weeks), as real data are; 0 keeps exact times.
  double grain = 0;
  std::uint64_t seed = 0;  ///< equal seeds give equal data
};

/// Simulated (x, t_x, T) rows from BG/NBD. @throws ValidationError on invalid options.
[[nodiscard]] SummaryData simulate(const BgNbd& model, const SimulationOptions& options);
/// Simulated rows from MBG/NBD. @throws ValidationError on invalid options.
[[nodiscard]] SummaryData simulate(const ModifiedBgNbd& model, const SimulationOptions& options);
/// Simulated rows from Pareto/NBD. @throws ValidationError on invalid options.
[[nodiscard]] SummaryData simulate(const ParetoNbd& model, const SimulationOptions& options);
/// Simulated (x, t_x, n) rows from BG/BB (T must be a whole number). @throws ValidationError.
[[nodiscard]] SummaryData simulate(const BgBb& model, const SimulationOptions& options);

/// Simulated spend: for each given x ≥ 1, the mean of x Gamma(p, ν) values with ν ~ Gamma(q, γ).
/// @throws ValidationError when a frequency is below 1 or not whole.
[[nodiscard]] SpendData simulate_spend(const GammaGamma& model, std::span<const double> frequency,
                                       std::uint64_t seed);

}  // namespace crmkit::analytics::clv
