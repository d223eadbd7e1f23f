#include "crmkit/analytics/clv/lifetime_value.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include <boost/math/quadrature/gauss_kronrod.hpp>

#include "analytics/parallel.hpp"
#include "crmkit/core/error.hpp"

namespace crmkit::analytics::clv {

namespace {

void check_options(const ClvOptions& options) {
  if (!(std::isfinite(options.horizon) && options.horizon >= 0)) {
    throw ValidationError("horizon", fmt::format("{}", options.horizon), "must be a finite number of steps >= 0");
  }
  if (!(std::isfinite(options.step) && options.step > 0)) {
    throw ValidationError("step", fmt::format("{}", options.step), "must be a finite duration > 0");
  }
  if (!(std::isfinite(options.discount_rate) && options.discount_rate >= 0)) {
    throw ValidationError("discount_rate", fmt::format("{}", options.discount_rate),
                          "must be a finite rate per step >= 0");
  }
}

// BG/BB counts whole transaction opportunities: its expectations exist at whole durations only.
void check_discrete_options(const ClvOptions& options) {
  if (options.discounting == Discounting::continuous) {
    throw ValidationError("discounting", "continuous",
                          "is not defined for BG/BB, whose transaction opportunities are discrete: use steps");
  }
  if (options.step != std::floor(options.step)) {
    throw ValidationError("step", fmt::format("{}", options.step), "must be a whole number of opportunities for BG/BB");
  }
  if (options.horizon != std::floor(options.horizon)) {
    throw ValidationError("horizon", fmt::format("{}", options.horizon), "must be a whole number of steps for BG/BB");
  }
}

void check_length(const char* column, std::size_t size, std::size_t expected) {
  if (size != expected) {
    throw ValidationError(column, fmt::format("{} rows", size),
                          fmt::format("must have as many rows as the summary ({})", expected));
  }
}

// Σ over steps i = 1..⌊h⌋ of (E[Y(i·step)] − E[Y((i−1)·step)]) / (1 + rate)^i, as lifetimes'
// `_customer_lifetime_value` computes it; a fractional horizon adds the last partial step,
// discounted by (1 + rate)^h, so that the value is continuous in the horizon.
double stepped_purchases(const std::function<double(double)>& purchases, const ClvOptions& options) {
  const double whole_steps = std::floor(options.horizon);
  const auto steps = static_cast<std::size_t>(whole_steps);
  double total = 0;
  double before = 0;  // E[Y(0)] = 0
  for (std::size_t i = 1; i <= steps; ++i) {
    const double at = static_cast<double>(i);
    const double now = purchases(at * options.step);
    total += (now - before) / std::pow(1 + options.discount_rate, at);
    before = now;
  }
  if (options.horizon > whole_steps) {
    const double now = purchases(options.horizon * options.step);
    total += (now - before) / std::pow(1 + options.discount_rate, options.horizon);
  }
  return total;
}

// ∫₀^H e^(−δv) dE[Y(v·step)] with δ = ln(1 + rate), H = horizon and v in steps, integrated by parts
//   = e^(−δH)·E[Y(H·step)] + δ ∫₀^H e^(−δv) E[Y(v·step)] dv     (E[Y(0)] = 0),
// so that no derivative of E[Y] is needed: the integral is smooth and needs only the model's own
// conditional expectation. Rate 0 gives E[Y(H·step)] exactly.
double continuous_purchases(const std::function<double(double)>& purchases, const ClvOptions& options) {
  const double horizon = options.horizon;
  if (horizon == 0) return 0;
  const double end = purchases(horizon * options.step);
  const double force = std::log1p(options.discount_rate);
  if (force == 0) return end;
  const std::function<double(double)> integrand = [&](double v) {
    return std::exp(-force * v) * purchases(v * options.step);
  };
  // Gauss–Kronrod G7/K15 on [0, H], halving panels (at most 12 times) until each panel's K15−G7
  // difference is below 1e-10 of the integral: deterministic, so results do not depend on threads.
  // E[Y] bends most near v = 0, on the scale of the model's time parameters, which may be much
  // shorter than the horizon; on typical rows the first 15 points already meet the tolerance.
  const double integral =
      boost::math::quadrature::gauss_kronrod<double, 15>::integrate(integrand, 0.0, horizon, 12, 1e-10);
  return std::exp(-force * horizon) * end + force * integral;
}

// Rows per task: each costs about a dozen model evaluations (steps) or 16 and more (continuous).
constexpr std::size_t rows_per_task = 64;

}  // namespace

std::vector<double> lifetime_value(const TransactionModel& model, const SummaryView& summary,
                                   std::span<const double> expected_spend, const ClvOptions& options) {
  check_options(options);
  if (model.model() == Model::bgbb) check_discrete_options(options);
  check_length("expected_spend", expected_spend.size(), summary.size());
  summary.validate(model.model() == Model::bgbb);
  for (std::size_t i = 0; i < expected_spend.size(); ++i) {
    if (!std::isfinite(expected_spend[i])) {
      throw ValidationError(fmt::format("expected_spend[{}]", i), fmt::format("{}", expected_spend[i]),
                            "must be a finite amount");
    }
  }
  // The discounted expected purchases depend on (x, t_x, T) only: once per distinct row; the spend
  // multiplies them per customer.
  const CompressedSummary compressed = compress(summary);
  const SummaryData& rows = compressed.rows;
  std::vector<double> discounted(rows.size());
  const std::size_t tasks = analytics::detail::chunk_count(rows.size(), rows_per_task);
  analytics::detail::parallel_for(tasks, options.threads, [&](std::size_t task) {
    const std::size_t begin = task * rows_per_task;
    const std::size_t end = std::min(rows.size(), begin + rows_per_task);
    for (std::size_t r = begin; r < end; ++r) {
      const double x = rows.frequency[r];
      const double t_x = rows.recency[r];
      const double T = rows.T[r];
      const std::function<double(double)> purchases = [&](double t) {
        return model.conditional_expected_purchases(t, x, t_x, T);
      };
      discounted[r] = options.discounting == Discounting::steps ? stepped_purchases(purchases, options)
                                                                : continuous_purchases(purchases, options);
    }
  });
  std::vector<double> values(summary.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    values[i] = expected_spend[i] * discounted[compressed.row_of[i]];
  }
  return values;
}

std::vector<double> lifetime_value(const TransactionModel& model, const GammaGamma& gamma_gamma,
                                   const SummaryView& summary, std::span<const double> monetary_value,
                                   const ClvOptions& options) {
  check_options(options);
  if (model.model() == Model::bgbb) check_discrete_options(options);
  check_length("monetary_value", monetary_value.size(), summary.size());
  summary.validate(model.model() == Model::bgbb);
  std::vector<double> spend(summary.size());
  for (std::size_t i = 0; i < spend.size(); ++i) {
    try {
      spend[i] = gamma_gamma.conditional_expected_spend(summary.frequency[i], monetary_value[i]);
    } catch (const ValidationError& error) {
      // Name the row: the spend model's own check only knows the single value.
      if (error.field() != "monetary_value") throw;
      throw ValidationError(fmt::format("monetary_value[{}]", i), error.value(), error.rule());
    }
  }
  return lifetime_value(model, summary, spend, options);
}

}  // namespace crmkit::analytics::clv
