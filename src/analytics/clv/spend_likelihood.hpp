#pragma once
// The Gamma-Gamma likelihood as fit_by_likelihood() takes it: built by fit_gamma_gamma(), and
// open to the tests, which compare its analytic gradient with finite differences.

// Relative, so that tests (without src/ on their include path) can include this header.
#include "mle.hpp"
#include "crmkit/analytics/clv/gamma_gamma.hpp"

namespace crmkit::analytics::clv::detail {

/// The weighted Gamma-Gamma log-likelihood (Fader & Hardie 2013, note 025, eq. 1a) with its analytic
/// gradient, over `spend` with identical (x, m) rows merged (the problem owns that copy). `spend`
/// must be valid (SpendView::validate). `threads` as FitOptions::threads.
[[nodiscard]] LikelihoodProblem gammagamma_problem(const SpendView& spend, unsigned threads);

}  // namespace crmkit::analytics::clv::detail
