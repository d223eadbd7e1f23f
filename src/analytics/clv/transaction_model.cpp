// The transaction-model interface: construction by name, fitting, and vectorized predictions.

#include "crmkit/analytics/clv/transaction_model.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "analytics/clv/likelihood_sum.hpp"
#include "analytics/clv/mle.hpp"
#include "analytics/clv/problems.hpp"
#include "analytics/parallel.hpp"
#include "crmkit/analytics/clv/models.hpp"
#include "crmkit/core/error.hpp"

namespace crmkit::analytics::clv {

namespace {

// Distinct rows per prediction task: fixed, so results never depend on the thread count.
constexpr std::size_t predict_chunk_rows = 512;

std::vector<std::string> names_of(Model model) {
  switch (model) {
    case Model::bgnbd:
    case Model::mbgnbd: return {"r", "alpha", "a", "b"};
    case Model::paretonbd: return {"r", "alpha", "s", "beta"};
    case Model::bgbb: return {"alpha", "beta", "gamma", "delta"};
    case Model::gammagamma: break;
  }
  return {};
}

void check_transaction_model(Model model) {
  if (model == Model::gammagamma) {
    throw ValidationError("model", std::string(to_string(model)),
                          "is not a transaction model (use fit_gamma_gamma for spend)");
  }
}

}  // namespace

double TransactionModel::total_log_likelihood(const SummaryView& summary) const {
  summary.validate(model() == Model::bgbb);
  const CompressedSummary compressed = detail::compress_rows(summary, false);
  const SummaryData& rows = compressed.rows;
  double total = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    total += rows.weights[i] * log_likelihood(rows.frequency[i], rows.recency[i], rows.T[i]);
  }
  return total;
}

std::unique_ptr<TransactionModel> make_transaction_model(Model model, std::span<const double> parameters) {
  check_transaction_model(model);
  const std::vector<std::string> names = names_of(model);
  if (parameters.size() != names.size()) {
    throw ValidationError("parameters", fmt::format("{} values", parameters.size()),
                          fmt::format("must have {} values for {} ({}, {}, {}, {})", names.size(),
                                      to_string(model), names[0], names[1], names[2], names[3]));
  }
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    if (!std::isfinite(parameters[i]) || parameters[i] <= 0) {
      throw ValidationError(fmt::format("parameters[{}]", i), fmt::format("{}", parameters[i]),
                            fmt::format("must be a finite number > 0 ({})", names[i]));
    }
  }
  const double p0 = parameters[0];
  const double p1 = parameters[1];
  const double p2 = parameters[2];
  const double p3 = parameters[3];
  switch (model) {
    case Model::bgnbd: return std::make_unique<BgNbd>(BgNbd::Parameters{p0, p1, p2, p3});
    case Model::mbgnbd: return std::make_unique<ModifiedBgNbd>(ModifiedBgNbd::Parameters{p0, p1, p2, p3});
    case Model::paretonbd: return std::make_unique<ParetoNbd>(ParetoNbd::Parameters{p0, p1, p2, p3});
    case Model::bgbb: return std::make_unique<BgBb>(BgBb::Parameters{p0, p1, p2, p3});
    case Model::gammagamma: break;
  }
  check_transaction_model(model);
  return {};
}

TransactionFit fit_transaction_model(Model model, const SummaryView& summary, const FitOptions& options) {
  check_transaction_model(model);
  summary.validate(model == Model::bgbb);
  const CompressedSummary compressed = detail::compress_rows(summary, false);
  const SummaryData& rows = compressed.rows;

  double purchases = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) purchases += rows.weights[i] * rows.frequency[i];
  if (rows.size() > 0 && purchases == 0) {
    throw FitError(to_string(model),
                   "no customer made a repeat purchase (every frequency is 0), so the purchase rate "
                   "cannot be estimated");
  }

  detail::LikelihoodProblem problem;
  switch (model) {
    case Model::bgnbd: problem = detail::bgnbd_problem(rows, options.threads); break;
    case Model::mbgnbd: problem = detail::mbgnbd_problem(rows, options.threads); break;
    case Model::paretonbd: problem = detail::paretonbd_problem(rows, options.threads); break;
    case Model::bgbb: problem = detail::bgbb_problem(rows, options.threads); break;
    case Model::gammagamma: break;
  }
  TransactionFit fit;
  fit.result = detail::fit_by_likelihood(problem, options);
  fit.model = make_transaction_model(model, fit.result.parameters);
  return fit;
}

Predictions predict(const TransactionModel& model, const SummaryView& summary, double horizon,
                    unsigned threads) {
  if (!std::isfinite(horizon) || horizon < 0) {
    throw ValidationError("horizon", fmt::format("{}", horizon), "must be a finite number >= 0");
  }
  summary.validate(model.model() == Model::bgbb);
  const SummaryView rows_only{summary.frequency, summary.recency, summary.T, {}};
  const CompressedSummary compressed = detail::compress_rows(rows_only, true);
  const SummaryData& rows = compressed.rows;
  const std::size_t distinct = rows.size();
  std::vector<double> alive(distinct);
  std::vector<double> expected(distinct);
  auto predict_chunk = [&](std::size_t chunk) {
    const std::size_t begin = chunk * predict_chunk_rows;
    const std::size_t end = std::min(distinct, begin + predict_chunk_rows);
    for (std::size_t i = begin; i < end; ++i) {
      const double x = rows.frequency[i];
      const double t_x = rows.recency[i];
      const double T = rows.T[i];
      alive[i] = model.probability_alive(x, t_x, T);
      expected[i] = model.conditional_expected_purchases(horizon, x, t_x, T);
    }
  };
  analytics::detail::parallel_for(analytics::detail::chunk_count(distinct, predict_chunk_rows),
                                  analytics::detail::thread_count(threads), predict_chunk);
  Predictions out;
  const std::size_t n = summary.size();
  out.probability_alive.resize(n);
  out.expected_purchases.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t k = compressed.row_of[i];
    out.probability_alive[i] = alive[k];
    out.expected_purchases[i] = expected[k];
  }
  return out;
}

}  // namespace crmkit::analytics::clv
