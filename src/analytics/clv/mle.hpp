#pragma once
// Maximum-likelihood estimation shared by every CLV model: the models give the weighted
// log-likelihood (and its gradient when they can), this optimizes it over positive parameters.

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "crmkit/analytics/clv/fit.hpp"

namespace crmkit::analytics::clv::detail {

/// Σ weight · log-likelihood at natural-unit `parameters`. When `gradient` is not empty (same size as
/// parameters) it must be filled with the derivatives by the natural parameters. May return −infinity
/// or NaN where the likelihood is not defined: the optimizer treats that as "not here".
using Likelihood = std::function<double(std::span<const double> parameters, std::span<double> gradient)>;

/// What the optimizer needs to know about a model's likelihood.
struct LikelihoodProblem {
  Model model = Model::bgnbd;
  std::vector<std::string> parameter_names;  ///< also fixes the number of parameters
  std::vector<double> default_initial;       ///< natural units, used when FitOptions::initial is empty
  Likelihood log_likelihood;                 ///< the weighted sum over the (compressed) rows
  bool analytic_gradient = false;            ///< whether log_likelihood fills the gradient
  double customers = 0;                      ///< Σ weights (the penalty is on the weighted mean)
  std::size_t distinct_rows = 0;             ///< rows after compression
};

/// Minimizes −LL/customers + penalizer·Σ p² (natural parameters p, as lifetimes) over θ = log p,
/// within p ∈ [1e-10, 1e10]: L-BFGS (analytic gradient, or central differences in log space),
/// falling back to Nelder-Mead then L-BFGS again when the first run fails (a stationary point
/// counts as converged), and searching again from the start (Nelder-Mead + L-BFGS) when the estimate
/// lies at the edge of the range. Non-finite values steer the optimizer away; the best finite point
/// seen is the estimate. Fills every field of FitResult, including standard errors from the
/// numerical Hessian of −LL in natural units (forward differences of the analytic gradient, or
/// central second differences of values), when requested and positive definite.
/// @throws ValidationError on invalid options (initial size, initial outside [1e-10, 1e10],
/// negative penalizer, max_evaluations below 1, relative_tolerance outside (0, 1));
/// FitError when no finite optimum is found (the message names the model and the reason).
[[nodiscard]] FitResult fit_by_likelihood(const LikelihoodProblem& problem, const FitOptions& options);

}  // namespace crmkit::analytics::clv::detail
