#include "crmkit/analytics/clv/simulate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "analytics/parallel.hpp"
#include "crmkit/core/error.hpp"

namespace crmkit::analytics::clv {

namespace {

// Customers per task. Every task draws from its own engine, seeded from the seed and the task
// number, so the data depend on the seed only, never on the number of threads.
constexpr std::size_t customers_per_task = 4096;

using Engine = std::mt19937_64;

// SplitMix64 (Steele, Lea & Flood 2014): spreads (seed, task) pairs over the engines' seeds.
std::uint64_t mix(std::uint64_t value) noexcept {
  value += 0x9E37'79B9'7F4A'7C15ULL;
  value = (value ^ (value >> 30U)) * 0xBF58'476D'1CE4'E5B9ULL;
  value = (value ^ (value >> 27U)) * 0x94D0'49BB'1331'11EBULL;
  return value ^ (value >> 31U);
}

// One task's random source. The gamma distribution object is kept, not rebuilt per draw: it
// caches the second normal deviate of each polar-method pair, which halves the normal draws.
class Sampler {
 public:
  Sampler(std::uint64_t seed, std::size_t task)
      : engine_(mix(mix(seed) ^ mix(static_cast<std::uint64_t>(task) + 1))) {}

  Engine& engine() noexcept { return engine_; }

  // Uniform in (0, 1]: safe under a logarithm.
  double uniform_open() { return 1.0 - uniform_(engine_); }

  // Gamma(shape) with the given scale.
  double gamma(double shape, double scale) {
    return gamma_(engine_, std::gamma_distribution<double>::param_type(shape, 1.0)) * scale;
  }

  // Beta(a, b) as G_a / (G_a + G_b). When both gammas underflow (tiny shapes), the beta mass sits
  // at 0 and 1 in the ratio a : b.
  double beta(double a, double b) {
    const double x = gamma(a, 1.0);
    const double y = gamma(b, 1.0);
    if (x + y > 0) return x / (x + y);
    return uniform_open() <= a / (a + b) ? 1.0 : 0.0;
  }

  // Poisson(mean) as a double (an int64 draw cannot hold absurd means).
  double poisson(double mean) {
    if (!(mean > 0)) return 0;
    if (mean > 1e15) return std::round(mean);  // sd/mean < 1e-7: the mean is the draw
    return static_cast<double>(std::poisson_distribution<std::int64_t>(mean)(engine_));
  }

  // Failures before the first success, success probability p: floor(ln U / ln(1 − p)), +infinity
  // when p = 0.
  double geometric_failures(double p) {
    if (p >= 1) return 0;
    if (!(p > 0)) return std::numeric_limits<double>::infinity();
    return std::floor(std::log(uniform_open()) / std::log1p(-p));
  }

  // The k-th smallest of n uniform (0, 1) values: Beta(k, n − k + 1).
  double order_statistic(double k, double n) {
    if (k == n) return std::pow(uniform_open(), 1.0 / n);
    return beta(k, n - k + 1);
  }

 private:
  Engine engine_;
  std::uniform_real_distribution<double> uniform_{0.0, 1.0};
  std::gamma_distribution<double> gamma_{1.0, 1.0};
};

struct Customer {
  double x;
  double t_x;
};

void check_options(const SimulationOptions& options, bool discrete) {
  if (!(std::isfinite(options.T) && options.T > 0)) {
    throw ValidationError("T", fmt::format("{}", options.T), "must be a finite duration > 0");
  }
  if (!(std::isfinite(options.T_spread) && options.T_spread >= 0 && options.T_spread < options.T)) {
    throw ValidationError("T_spread", fmt::format("{}", options.T_spread),
                          fmt::format("must lie in 0 <= T_spread < T (T is {})", options.T));
  }
  if (!(std::isfinite(options.grain) && options.grain >= 0)) {
    throw ValidationError("grain", fmt::format("{}", options.grain), "must be a finite duration >= 0");
  }
  if (discrete) {
    if (options.T != std::floor(options.T)) {
      throw ValidationError("T", fmt::format("{}", options.T), "must be a whole number of opportunities for BG/BB");
    }
    if (options.T_spread != std::floor(options.T_spread)) {
      throw ValidationError("T_spread", fmt::format("{}", options.T_spread),
                            "must be a whole number of opportunities for BG/BB");
    }
  }
}

// Runs `draw(sampler, T)` for every customer, in fixed tasks, and collects the rows. Continuous
// models get T uniform on [T − spread, T] and times rounded to the grain; BG/BB gets whole T.
template <class Draw>
SummaryData simulate_rows(const SimulationOptions& options, bool discrete, const Draw& draw) {
  check_options(options, discrete);
  const std::size_t n = options.customers;
  SummaryData data;
  data.frequency.resize(n);
  data.recency.resize(n);
  data.T.resize(n);
  const double grain = discrete ? 0.0 : options.grain;
  const auto round_to_grain = [grain](double value) {
    return grain > 0 ? std::round(value / grain) * grain : value;
  };
  const std::size_t tasks = n == 0 ? 0 : analytics::detail::chunk_count(n, customers_per_task);
  analytics::detail::parallel_for(tasks, 0, [&](std::size_t task) {
    Sampler sampler(options.seed, task);
    const std::size_t begin = task * customers_per_task;
    const std::size_t end = std::min(n, begin + customers_per_task);
    for (std::size_t i = begin; i < end; ++i) {
      double T = options.T;
      if (options.T_spread > 0) {
        if (discrete) {
          const auto spread = static_cast<std::int64_t>(options.T_spread);
          T -= static_cast<double>(std::uniform_int_distribution<std::int64_t>(0, spread)(sampler.engine()));
        } else {
          T -= options.T_spread * (1.0 - sampler.uniform_open());
        }
      }
      const Customer customer = draw(sampler, T);
      double t_x = customer.t_x;
      if (grain > 0) {
        // Rounding is monotone, so t_x <= T survives it; T stays at least one grain.
        T = std::max(grain, round_to_grain(T));
        t_x = std::min(T, round_to_grain(t_x));
      }
      data.frequency[i] = customer.x;
      data.recency[i] = customer.x > 0 ? t_x : 0.0;
      data.T[i] = T;
    }
  });
  return data;
}

// BG/NBD and MBG/NBD: purchases come at rate λ; the customer drops out after the J-th repeat
// purchase, J = 1 + Geometric(p) failures (BG/NBD) or, when dropping out right after the first
// purchase is allowed (MBG/NBD), J = Geometric(p) failures. Given N(T) = n Poisson arrivals, the
// customer makes x = min(J, n) of them and the x-th is the x-th order statistic of n uniforms on
// (0, T): one O(1) draw per customer instead of one per purchase.
template <class Parameters>
SummaryData simulate_bg(const Parameters& parameters, const SimulationOptions& options, bool may_drop_at_start) {
  return simulate_rows(options, false, [&](Sampler& sampler, double T) {
    const double lambda = sampler.gamma(parameters.r, 1.0 / parameters.alpha);
    const double p = sampler.beta(parameters.a, parameters.b);
    const double arrivals = sampler.poisson(lambda * T);
    const double purchases_before_dropout = sampler.geometric_failures(p) + (may_drop_at_start ? 0.0 : 1.0);
    const double x = std::min(purchases_before_dropout, arrivals);
    return Customer{x, x > 0 ? T * sampler.order_statistic(x, arrivals) : 0.0};
  });
}

}  // namespace

SummaryData simulate(const BgNbd& model, const SimulationOptions& options) {
  return simulate_bg(model.values(), options, false);
}

SummaryData simulate(const ModifiedBgNbd& model, const SimulationOptions& options) {
  return simulate_bg(model.values(), options, true);
}

// Pareto/NBD: an exponential lifetime τ with rate μ; Poisson purchases at rate λ until min(τ, T).
// The last of n uniform arrivals on (0, L) is L·U^(1/n).
SummaryData simulate(const ParetoNbd& model, const SimulationOptions& options) {
  const ParetoNbd::Parameters& parameters = model.values();
  return simulate_rows(options, false, [&](Sampler& sampler, double T) {
    const double lambda = sampler.gamma(parameters.r, 1.0 / parameters.alpha);
    const double mu = sampler.gamma(parameters.s, 1.0 / parameters.beta);
    const double lifetime = mu > 0 ? -std::log(sampler.uniform_open()) / mu : std::numeric_limits<double>::infinity();
    const double observed = std::min(lifetime, T);
    const double x = sampler.poisson(lambda * observed);
    return Customer{x, x > 0 ? observed * std::pow(sampler.uniform_open(), 1.0 / x) : 0.0};
  });
}

// BG/BB, as its likelihood (Fader, Hardie & Shang 2010, eq. 4) reads it: the customer is alive
// for K ~ Geometric(θ) opportunities (K = 0: gone before the first), transacts at each of the
// first L = min(K, n) with probability p; t_x is the last transacting opportunity. Given x
// successes among L, t_x is found by scanning back from L: opportunity k holds one of the j
// successes not yet placed with probability j/k.
SummaryData simulate(const BgBb& model, const SimulationOptions& options) {
  const BgBb::Parameters& parameters = model.values();
  return simulate_rows(options, true, [&](Sampler& sampler, double n) {
    const double p = sampler.beta(parameters.alpha, parameters.beta);
    const double theta = sampler.beta(parameters.gamma, parameters.delta);
    const double alive = std::min(sampler.geometric_failures(theta), n);
    const auto opportunities = static_cast<std::int64_t>(alive);
    const std::int64_t x =
        opportunities > 0 ? std::binomial_distribution<std::int64_t>(opportunities, p)(sampler.engine()) : 0;
    std::int64_t last = 0;
    if (x > 0) {
      for (last = opportunities; last > x; --last) {
        if (sampler.uniform_open() * static_cast<double>(last) <= static_cast<double>(x)) break;
      }
    }
    return Customer{static_cast<double>(x), static_cast<double>(last)};
  });
}

// Each customer's ν ~ Gamma(q, rate γ); the mean of x Gamma(p, rate ν) values is Gamma(px, rate xν).
SpendData simulate_spend(const GammaGamma& model, std::span<const double> frequency, std::uint64_t seed) {
  for (std::size_t i = 0; i < frequency.size(); ++i) {
    const double x = frequency[i];
    if (!(std::isfinite(x) && x >= 1 && x == std::floor(x))) {
      throw ValidationError(fmt::format("frequency[{}]", i), fmt::format("{}", x),
                            "must be a whole number >= 1 (repeat buyers only)");
    }
  }
  const GammaGamma::Parameters& parameters = model.values();
  const std::size_t n = frequency.size();
  SpendData data;
  data.frequency.assign(frequency.begin(), frequency.end());
  data.monetary_value.resize(n);
  data.rows.resize(n);
  const std::size_t tasks = n == 0 ? 0 : analytics::detail::chunk_count(n, customers_per_task);
  analytics::detail::parallel_for(tasks, 0, [&](std::size_t task) {
    Sampler sampler(seed, task);
    const std::size_t begin = task * customers_per_task;
    const std::size_t end = std::min(n, begin + customers_per_task);
    for (std::size_t i = begin; i < end; ++i) {
      const double x = frequency[i];
      const double nu = sampler.gamma(parameters.q, 1.0 / parameters.gamma);
      data.monetary_value[i] = sampler.gamma(parameters.p * x, 1.0 / (x * nu));
      data.rows[i] = i;
    }
  });
  return data;
}

}  // namespace crmkit::analytics::clv
