#pragma once
// The likelihood of each transaction model over compressed rows, for fit_transaction_model()
// (transaction_model.cpp) to hand to fit_by_likelihood(). One function per model, defined in the
// model's source file.

// Relative, so that tests (without src/ on their include path) can include this header.
#include "mle.hpp"
#include "crmkit/analytics/clv/summary_data.hpp"

namespace crmkit::analytics::clv::detail {

/// BG/NBD over `rows` (distinct rows with weights, kept alive by the caller during the fit).
[[nodiscard]] LikelihoodProblem bgnbd_problem(const SummaryData& rows, unsigned threads);
/// MBG/NBD over `rows`.
[[nodiscard]] LikelihoodProblem mbgnbd_problem(const SummaryData& rows, unsigned threads);
/// Pareto/NBD over `rows`.
[[nodiscard]] LikelihoodProblem paretonbd_problem(const SummaryData& rows, unsigned threads);
/// BG/BB over `rows` (whole numbers, already validated as discrete).
[[nodiscard]] LikelihoodProblem bgbb_problem(const SummaryData& rows, unsigned threads);

}  // namespace crmkit::analytics::clv::detail
