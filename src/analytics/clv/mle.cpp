// Maximum likelihood over positive parameters with NLopt's C API.
//
// The optimizer works on θ = log(parameter), so every point it tries is a valid parameter vector,
// within bounds [1e-10, 1e10] that keep the special functions accurate. The objective is the
// weighted mean negative log-likelihood plus the L2 penalty (lifetimes' objective), so tolerances do
// not depend on the number of customers. Non-finite values are reported to NLopt as +HUGE_VAL ("not
// here"), and the best finite point seen is what the fit returns. Standard errors come from the
// numerical Hessian of the total negative log-likelihood in natural units.

#include "analytics/clv/mle.hpp"

#include <nlopt.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <exception>
#include <limits>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "crmkit/core/error.hpp"

namespace crmkit::analytics::clv::detail {

namespace {

// Parameters live in [1e-10, 1e10]: beyond, log-gamma differences lose their digits.
constexpr double min_parameter = 1e-10;
constexpr double max_parameter = 1e10;
// Central-difference step of the objective's gradient in log space (≈ cube root of epsilon).
constexpr double log_step = 6e-6;
// Relative steps of the Hessian: from gradients (forward differences) or from values (central,
// fourth root of epsilon).
constexpr double hessian_gradient_step = 1e-6;
constexpr double hessian_value_step = 1e-4;
// A stopped run whose largest log-space gradient component is below this is at a stationary point.
constexpr double stationary_gradient = 1e-6;

std::string describe(const std::vector<std::string>& names, std::span<const double> values) {
  std::string text;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) text += ", ";
    text += fmt::format("{}={:.6g}", names[i], values[i]);
  }
  return text;
}

std::string reason_of(nlopt_result result, int max_evaluations) {
  switch (result) {
    case NLOPT_SUCCESS: return "converged";
    case NLOPT_STOPVAL_REACHED: return "reached the stopping value";
    case NLOPT_FTOL_REACHED: return "converged: the objective changed by less than the relative tolerance";
    case NLOPT_XTOL_REACHED: return "converged: the parameters changed by less than the tolerance";
    case NLOPT_MAXEVAL_REACHED:
      return fmt::format("stopped after max_evaluations ({}) objective evaluations", max_evaluations);
    case NLOPT_MAXTIME_REACHED: return "stopped: out of time";
    case NLOPT_FAILURE: return "the optimizer failed";
    case NLOPT_INVALID_ARGS: return "the optimizer rejected its arguments";
    case NLOPT_OUT_OF_MEMORY: return "the optimizer ran out of memory";
    case NLOPT_ROUNDOFF_LIMITED: return "stopped by roundoff errors before meeting the tolerance";
    case NLOPT_FORCED_STOP: return "stopped by an error in the likelihood";
    default: break;
  }
  return fmt::format("stopped with NLopt code {}", static_cast<int>(result));
}

bool is_converged(nlopt_result result) noexcept {
  return result == NLOPT_SUCCESS || result == NLOPT_STOPVAL_REACHED || result == NLOPT_FTOL_REACHED ||
         result == NLOPT_XTOL_REACHED;
}

// The penalized mean negative log-likelihood over log parameters, as NLopt calls it.
class Objective {
 public:
  Objective(const LikelihoodProblem& problem, double penalizer)
      : problem_(problem),
        penalizer_(penalizer),
        n_(problem.parameter_names.size()),
        natural_(n_),
        gradient_(n_),
        shifted_(n_),
        best_theta_(n_) {}

  // Σ weight · log-likelihood at natural parameters (gradient filled when not empty); the raw value.
  double log_likelihood(std::span<const double> natural, std::span<double> gradient) const {
    return problem_.log_likelihood(natural, gradient);
  }

  // The objective at θ; `grad` (may be null) receives its gradient by θ. Non-finite: +HUGE_VAL.
  double operator()(const double* theta, double* grad) {
    ++evaluations_;
    const double value = evaluate(theta, grad);
    if (std::isfinite(value) && value < best_value_) {
      best_value_ = value;
      std::copy(theta, theta + n_, best_theta_.begin());
    }
    return value;
  }

  // The objective and (when `grad` is not null) its gradient, without counting or tracking.
  double evaluate(const double* theta, double* grad) {
    for (std::size_t i = 0; i < n_; ++i) natural_[i] = std::exp(theta[i]);
    const bool analytic = grad != nullptr && problem_.analytic_gradient;
    const double value = penalized(natural_, analytic ? std::span<double>(gradient_) : std::span<double>());
    if (!std::isfinite(value)) return fail(grad);
    if (grad == nullptr) return value;
    if (analytic) {
      for (std::size_t i = 0; i < n_; ++i) {
        grad[i] = (-gradient_[i] / problem_.customers + 2 * penalizer_ * natural_[i]) * natural_[i];
        if (!std::isfinite(grad[i])) return fail(grad);
      }
      return value;
    }
    // Central differences in log space (one-sided where one side is not finite).
    for (std::size_t i = 0; i < n_; ++i) {
      for (std::size_t k = 0; k < n_; ++k) shifted_[k] = natural_[k];
      shifted_[i] = std::exp(theta[i] + log_step);
      const double up = penalized(shifted_, {});
      shifted_[i] = std::exp(theta[i] - log_step);
      const double down = penalized(shifted_, {});
      if (std::isfinite(up) && std::isfinite(down)) {
        grad[i] = (up - down) / (2 * log_step);
      } else if (std::isfinite(up)) {
        grad[i] = (up - value) / log_step;
      } else if (std::isfinite(down)) {
        grad[i] = (value - down) / log_step;
      } else {
        return fail(grad);
      }
    }
    return value;
  }

  [[nodiscard]] int evaluations() const noexcept { return evaluations_; }
  [[nodiscard]] double best_value() const noexcept { return best_value_; }
  [[nodiscard]] const std::vector<double>& best_theta() const noexcept { return best_theta_; }

  // Exceptions must not cross NLopt's C frames: the callback parks them here.
  std::exception_ptr error;
  nlopt_opt running = nullptr;

 private:
  double penalized(std::span<const double> natural, std::span<double> gradient) const {
    const double ll = problem_.log_likelihood(natural, gradient);
    double penalty = 0;
    for (const double p : natural) penalty += p * p;
    return -ll / problem_.customers + penalizer_ * penalty;
  }

  double fail(double* grad) const {
    if (grad != nullptr) std::fill(grad, grad + n_, 0.0);
    return HUGE_VAL;
  }

  const LikelihoodProblem& problem_;
  double penalizer_;
  std::size_t n_;
  std::vector<double> natural_;
  std::vector<double> gradient_;
  std::vector<double> shifted_;
  std::vector<double> best_theta_;
  double best_value_ = HUGE_VAL;
  int evaluations_ = 0;
};

double nlopt_objective(unsigned /*n*/, const double* theta, double* grad, void* data) {
  auto& objective = *static_cast<Objective*>(data);
  try {
    return objective(theta, grad);
  } catch (...) {
    objective.error = std::current_exception();
    nlopt_force_stop(objective.running);
    return HUGE_VAL;
  }
}

// One optimizer run from `theta` (updated in place); returns NLopt's result code.
nlopt_result run(nlopt_algorithm algorithm, Objective& objective, std::vector<double>& theta,
                 const FitOptions& options) {
  const auto n = static_cast<unsigned>(theta.size());
  nlopt_opt opt = nlopt_create(algorithm, n);
  if (opt == nullptr) return NLOPT_OUT_OF_MEMORY;
  struct Destroy {
    nlopt_opt opt;
    ~Destroy() { nlopt_destroy(opt); }
  } destroy{opt};
  nlopt_set_min_objective(opt, nlopt_objective, &objective);
  nlopt_set_lower_bounds1(opt, std::log(min_parameter));
  nlopt_set_upper_bounds1(opt, std::log(max_parameter));
  nlopt_set_ftol_rel(opt, options.relative_tolerance);
  nlopt_set_maxeval(opt, options.max_evaluations);
  if (algorithm == NLOPT_LN_NELDERMEAD) nlopt_set_initial_step1(opt, 0.5);
  objective.running = opt;
  double value = 0;
  const nlopt_result result = nlopt_optimize(opt, theta.data(), &value);
  objective.running = nullptr;
  if (objective.error) std::rethrow_exception(objective.error);
  return result;
}

double largest_gradient(Objective& objective, const std::vector<double>& theta) {
  std::vector<double> grad(theta.size());
  const double value = objective.evaluate(theta.data(), grad.data());
  if (!std::isfinite(value)) return HUGE_VAL;
  double largest = 0;
  for (const double g : grad) largest = std::max(largest, std::abs(g));
  return largest;
}

// Standard errors sqrt(diag(H⁻¹)) from the Cholesky factor of the observed information H; empty
// with a note when H is not positive definite. `ll` is the log-likelihood at `p`, and `here` its
// gradient there (when the problem has an analytic gradient).
std::pair<std::vector<double>, std::string> standard_errors(const LikelihoodProblem& problem,
                                                            const std::vector<double>& p, double ll,
                                                            const std::vector<double>& here) {
  const std::size_t n = p.size();
  std::vector<double> h(n * n, 0.0);
  auto at = [&h, n](std::size_t i, std::size_t j) -> double& { return h[i * n + j]; };
  std::vector<double> q = p;
  if (problem.analytic_gradient) {
    // Forward differences of the gradient: n + 1 evaluations, accurate to ~1e-6 relatively, which
    // is plenty for standard errors.
    std::vector<double> up(n);
    for (std::size_t j = 0; j < n; ++j) {
      const double step = hessian_gradient_step * p[j];
      q[j] = p[j] + step;
      (void)problem.log_likelihood(q, up);
      q[j] = p[j];
      for (std::size_t i = 0; i < n; ++i) at(i, j) = -(up[i] - here[i]) / step;
    }
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < i; ++j) at(i, j) = at(j, i) = 0.5 * (at(i, j) + at(j, i));
    }
  } else {
    auto f = [&](std::size_t i, double di, std::size_t j, double dj) {
      q = p;
      q[i] += di;
      q[j] += dj;
      return problem.log_likelihood(q, {});
    };
    for (std::size_t i = 0; i < n; ++i) {
      const double si = hessian_value_step * p[i];
      at(i, i) = -(f(i, si, i, 0) - 2 * ll + f(i, -si, i, 0)) / (si * si);
      for (std::size_t j = 0; j < i; ++j) {
        const double sj = hessian_value_step * p[j];
        at(i, j) = at(j, i) =
            -(f(i, si, j, sj) - f(i, si, j, -sj) - f(i, -si, j, sj) + f(i, -si, j, -sj)) / (4 * si * sj);
      }
    }
  }
  const std::string not_definite =
      "the observed information matrix is not positive definite (a flat likelihood, or an estimate "
      "at the edge of the parameter space): no standard errors";
  // Cholesky H = L·Lᵀ, in place in the lower triangle.
  for (std::size_t j = 0; j < n; ++j) {
    double d = at(j, j);
    for (std::size_t k = 0; k < j; ++k) d -= at(j, k) * at(j, k);
    if (!(d > 0) || !std::isfinite(d)) return {{}, not_definite};
    at(j, j) = std::sqrt(d);
    for (std::size_t i = j + 1; i < n; ++i) {
      double s = at(i, j);
      for (std::size_t k = 0; k < j; ++k) s -= at(i, k) * at(j, k);
      at(i, j) = s / at(j, j);
    }
  }
  // diag(H⁻¹)_i = Σ_k (L⁻¹)_ki²: solve L·y = e_i for each i.
  std::vector<double> errors(n);
  std::vector<double> y(n);
  for (std::size_t i = 0; i < n; ++i) {
    double sum = 0;
    for (std::size_t r = 0; r < n; ++r) {
      double s = r == i ? 1.0 : 0.0;
      for (std::size_t k = i; k < r; ++k) s -= at(r, k) * y[k];
      y[r] = r < i ? 0.0 : s / at(r, r);
      sum += y[r] * y[r];
    }
    errors[i] = std::sqrt(sum);
    if (!std::isfinite(errors[i])) return {{}, not_definite};
  }
  return {errors, {}};
}

void check_options(const LikelihoodProblem& problem, const FitOptions& options) {
  const std::size_t n = problem.parameter_names.size();
  if (!options.initial.empty()) {
    if (options.initial.size() != n) {
      std::string names;
      for (const auto& name : problem.parameter_names) names += (names.empty() ? "" : ", ") + name;
      throw ValidationError(
          "initial", fmt::format("{} values", options.initial.size()),
          fmt::format("must have {} values for {} ({})", n, to_string(problem.model), names));
    }
    for (std::size_t i = 0; i < n; ++i) {
      const double v = options.initial[i];
      if (!std::isfinite(v) || v < min_parameter || v > max_parameter) {
        throw ValidationError(
            fmt::format("initial[{}]", i), fmt::format("{}", v),
            fmt::format("must be a number in [1e-10, 1e10] ({})", problem.parameter_names[i]));
      }
    }
  }
  if (!std::isfinite(options.penalizer) || options.penalizer < 0) {
    throw ValidationError("penalizer", fmt::format("{}", options.penalizer), "must be a finite number >= 0");
  }
  if (options.max_evaluations < 1) {
    throw ValidationError("max_evaluations", std::to_string(options.max_evaluations), "must be at least 1");
  }
  if (!(options.relative_tolerance > 0 && options.relative_tolerance < 1)) {
    throw ValidationError("relative_tolerance", fmt::format("{}", options.relative_tolerance),
                          "must lie in (0, 1)");
  }
}

}  // namespace

FitResult fit_by_likelihood(const LikelihoodProblem& problem, const FitOptions& options) {
  check_options(problem, options);
  const std::string_view model = to_string(problem.model);
  const std::size_t n = problem.parameter_names.size();
  if (!(problem.customers > 0) || problem.distinct_rows == 0) {
    throw FitError(model, "there are no customers to fit");
  }
  const std::vector<double> start = options.initial.empty() ? problem.default_initial : options.initial;
  std::vector<double> theta(n);
  for (std::size_t i = 0; i < n; ++i) {
    theta[i] = std::log(std::clamp(start[i], min_parameter, max_parameter));
  }

  Objective objective(problem, options.penalizer);
  if (!std::isfinite(objective(theta.data(), nullptr))) {
    throw FitError(model, fmt::format("the log-likelihood is not finite at the initial parameters ({}); "
                                      "try other initial values",
                                      describe(problem.parameter_names, start)));
  }

  FitResult result;
  result.model = problem.model;
  result.parameter_names = problem.parameter_names;
  result.customers = problem.customers;
  result.distinct_rows = problem.distinct_rows;
  result.algorithm = "L-BFGS";

  // A run's outcome in words; L-BFGS often ends "roundoff-limited" right at the optimum, so a
  // stationary point counts as converged.
  bool converged = false;
  std::string reason;
  auto judge = [&](nlopt_result code) {
    converged = is_converged(code);
    reason = reason_of(code, options.max_evaluations);
    if (converged) return;
    const double g = largest_gradient(objective, objective.best_theta());
    if (g < stationary_gradient) {
      converged = true;
      reason = fmt::format("converged: {}, at a stationary point (largest gradient {:.2g})", reason, g);
    }
  };
  // The derivative-free fallback: Nelder-Mead from `from`, then L-BFGS from the best point.
  auto fallback = [&](std::vector<double> from) {
    (void)run(NLOPT_LN_NELDERMEAD, objective, from, options);
    from = objective.best_theta();
    judge(run(NLOPT_LD_LBFGS, objective, from, options));
  };
  auto at_limit = [](const std::vector<double>& t) {
    return std::any_of(t.begin(), t.end(), [](double v) {
      return v <= std::log(min_parameter) + 1e-6 || v >= std::log(max_parameter) - 1e-6;
    });
  };

  judge(run(NLOPT_LD_LBFGS, objective, theta, options));
  if (!converged) {
    const std::string first = reason;
    fallback(objective.best_theta());
    result.algorithm = "L-BFGS, then Nelder-Mead + L-BFGS";
    reason = fmt::format("{} (first L-BFGS run: {})", reason, first);
  }
  if (at_limit(objective.best_theta())) {
    // A long first step can land at the edge of the range, where gradients in log space vanish:
    // search again from the start without derivatives, and keep whichever point is better.
    const double edge = objective.best_value();
    const bool edge_converged = converged;
    const std::string edge_reason = reason;
    fallback(theta);
    result.algorithm += ", Nelder-Mead + L-BFGS from the start";
    if (!(objective.best_value() < edge)) {
      converged = edge_converged;
      reason = edge_reason;
    }
  }

  const std::vector<double>& best = objective.best_theta();
  std::vector<double> estimates(n);
  std::string at_bounds;
  for (std::size_t i = 0; i < n; ++i) {
    estimates[i] = std::exp(best[i]);
    if (!std::isfinite(estimates[i])) {
      throw FitError(model, fmt::format("the optimizer ended at a non-finite {} ({})",
                                        problem.parameter_names[i], reason));
    }
    if (best[i] <= std::log(min_parameter) + 1e-6 || best[i] >= std::log(max_parameter) - 1e-6) {
      at_bounds +=
          fmt::format("{}{}={:.3g}", at_bounds.empty() ? "" : ", ", problem.parameter_names[i], estimates[i]);
    }
  }
  // With standard errors from an analytic gradient, the gradient here is the first one they need.
  const bool with_gradient = options.standard_errors && problem.analytic_gradient;
  std::vector<double> here(with_gradient ? n : 0);
  const double ll = problem.log_likelihood(estimates, here);
  if (!std::isfinite(ll)) {
    throw FitError(model, fmt::format("the log-likelihood is not finite at the estimates ({}); {}",
                                      describe(problem.parameter_names, estimates), reason));
  }
  if (!at_bounds.empty()) {
    reason += fmt::format(
        "; {} reached the limit of the parameter range [1e-10, 1e10]: the data do "
        "not identify it",
        at_bounds);
  }

  result.parameters = estimates;
  result.log_likelihood = ll;
  result.evaluations = objective.evaluations();
  result.converged = converged;
  result.reason = std::move(reason);
  if (options.standard_errors) {
    auto [errors, note] = standard_errors(problem, estimates, ll, here);
    result.standard_errors = std::move(errors);
    result.standard_error_note = std::move(note);
  } else {
    result.standard_error_note = "not requested";
  }
  return result;
}

}  // namespace crmkit::analytics::clv::detail
