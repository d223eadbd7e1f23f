#pragma once
/// @file
/// Maximum-likelihood fitting: options and results shared by every model.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "crmkit/core/error.hpp"

namespace crmkit::analytics::clv {

/// A fit that could not produce finite estimates: the message says which model, why (the
/// optimizer's reason, a non-finite likelihood at the start, too few customers) and what to try.
class FitError : public Error {
 public:
  /// @param model the model being fitted, @param reason what went wrong, in words
  FitError(std::string_view model, const std::string& reason);
};

/// The models crmkit fits.
enum class Model {
  bgnbd,      ///< BG/NBD (Fader, Hardie & Lee 2005)
  mbgnbd,     ///< MBG/NBD (Batislam, Denizel & Filiztekin 2007)
  paretonbd,  ///< Pareto/NBD (Schmittlein, Morrison & Colombo 1987)
  bgbb,       ///< BG/BB, discrete opportunities (Fader, Hardie & Shang 2010)
  gammagamma  ///< Gamma-Gamma spend (Fader, Hardie & Lee 2005; Fader & Hardie 2013)
};

/// `bgnbd`, `mbgnbd`, `paretonbd`, `bgbb` or `gammagamma`.
[[nodiscard]] std::string_view to_string(Model model) noexcept;
/// Parses a model name as `to_string` writes it. @throws ValidationError naming `field`.
[[nodiscard]] Model parse_model(std::string_view text, std::string_view field = "model");

/// How a maximum-likelihood fit runs. Parameters are optimized in log space (they are all
/// positive), with NLopt's L-BFGS on analytic or finite-difference gradients, and a derivative-free
/// fallback (NLopt's Nelder-Mead, then L-BFGS again) when L-BFGS fails.
struct FitOptions {
  /// L2 penalty as `lifetimes` applies it: the objective minimized is
  /// −(weighted mean log-likelihood) + penalizer · Σ parameter². 0 (the default) is plain ML.
  double penalizer = 0;
  /// Starting parameters in natural units, in the model's parameter order; empty: the model's
  /// defaults (all 1, or moment-based starts where the model documents them).
  std::vector<double> initial;
  int max_evaluations = 5000;       ///< objective evaluations allowed, per optimizer run
  double relative_tolerance = 1e-10;  ///< stop when the objective changes by less, relatively
  bool standard_errors = true;      ///< compute them from the observed information (numerical Hessian)
  unsigned threads = 0;             ///< worker threads, 0 = all; results never depend on it
};

/// The outcome of a fit. A fit that fails throws FitError; it never returns NaN parameters.
struct FitResult {
  Model model = Model::bgnbd;                ///< what was fitted
  std::vector<std::string> parameter_names;  ///< e.g. r, alpha, a, b
  std::vector<double> parameters;            ///< the estimates, natural units
  /// Standard errors from the inverse of the observed information matrix (the numerical Hessian of
  /// the negative log-likelihood at the estimates, in natural units); empty when not requested or
  /// when the matrix is not positive definite (see `standard_error_note`).
  std::vector<double> standard_errors;
  std::string standard_error_note;  ///< why standard errors are missing, else empty
  double log_likelihood = 0;        ///< Σ weight · log-likelihood at the estimates (no penalty)
  int evaluations = 0;              ///< objective evaluations, every optimizer run included
  bool converged = false;           ///< whether the optimizer met its tolerance
  std::string reason;               ///< the optimizer's stopping reason, in words
  std::string algorithm;            ///< the optimizer(s) used, e.g. "L-BFGS" or "Nelder-Mead + L-BFGS"
  double customers = 0;             ///< Σ weights: the customers the fit saw
  std::size_t distinct_rows = 0;    ///< rows after compression
};

}  // namespace crmkit::analytics::clv
