// 03_customer_lifetime_value: who will keep buying, how much, and what are they worth?
//
// Reads the CDNOW sample (2,357 customers' CD purchases, 1997-01 to 1998-06, bundled in
// examples/data) and walks through crmkit's lifetime-value models as Fader, Hardie & Lee (2005)
// did: fit BG/NBD on the first 39 weeks, check its predictions against the next 39, fit the
// Gamma-Gamma spend model on the repeat buyers, and combine both into a 12-month lifetime value.
//
//   03_customer_lifetime_value [examples/data/cdnow_sample.csv]
//
// The build runs it as a test and checks its output against 03_customer_lifetime_value.expected.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <numeric>
#include <string>
#include <vector>

#include <crmkit/analytics/clv.hpp>
#include <crmkit/crmkit.hpp>

namespace analytics = crmkit::analytics;
namespace clv = crmkit::analytics::clv;

namespace {

void print_fit(const clv::FitResult& fit) {
  std::printf("  %-6s %10s %10s\n", "", "estimate", "std.err");
  for (std::size_t k = 0; k < fit.parameters.size(); ++k) {
    const double error = k < fit.standard_errors.size() ? fit.standard_errors[k] : std::nan("");
    std::printf("  %-6s %10.4f %10.4f\n", fit.parameter_names[k].c_str(), fit.parameters[k], error);
  }
  std::printf("  log-likelihood %.2f over %.0f customers (%zu distinct rows), %s\n", fit.log_likelihood,
              fit.customers, fit.distinct_rows, fit.converged ? "converged" : "NOT converged");
}

// Pearson correlation: Gamma-Gamma assumes spend per purchase does not depend on how often one buys.
double correlation(const std::vector<double>& a, const std::vector<double>& b) {
  const double n = static_cast<double>(a.size());
  const double mean_a = std::accumulate(a.begin(), a.end(), 0.0) / n;
  const double mean_b = std::accumulate(b.begin(), b.end(), 0.0) / n;
  double ab = 0;
  double aa = 0;
  double bb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    ab += (a[i] - mean_a) * (b[i] - mean_b);
    aa += (a[i] - mean_a) * (a[i] - mean_a);
    bb += (b[i] - mean_b) * (b[i] - mean_b);
  }
  return ab / std::sqrt(aa * bb);
}

}  // namespace

int main(int argc, char** argv) try {
  const std::string path = argc > 1 ? argv[1] : "examples/data/cdnow_sample.csv";

  crmkit::io::PurchaseColumnsOptions columns;
  columns.customer_column = "customer_id";
  columns.time_column = "date";
  columns.amount_column = "amount";
  columns.time_format = crmkit::io::TimeFormat::compact_date;  // 19970101
  const analytics::PurchaseData purchases = crmkit::io::read_purchase_columns(path, columns);

  // Calibrate on 1997-01-01..1997-09-30, hold out 1997-10-01..1998-06-30; purchases on one day
  // count once; durations in weeks, as in the papers.
  analytics::HoldoutOptions split_options;
  split_options.calibration_end = crmkit::parse_date("1997-09-30");
  split_options.observation_end = crmkit::parse_date("1998-06-30");
  split_options.period = analytics::Period::day;
  split_options.time_unit = analytics::Period::week;
  const analytics::CalibrationHoldout split = analytics::calibration_holdout_summary(purchases.view(), split_options);
  const analytics::CustomerSummary& calibration = split.calibration;
  const clv::SummaryData summary = clv::summary_data(calibration);
  std::vector<double> holdout(split.holdout_frequency.begin(), split.holdout_frequency.end());
  std::printf("Read %zu purchases of %zu customers. Calibration to %s, holdout of %.0f weeks to %s.\n\n",
              purchases.size(), calibration.size(), crmkit::format_date(calibration.as_of).c_str(),
              split.holdout_duration, crmkit::format_date(split.observation_end).c_str());

  // BG/NBD by maximum likelihood (FHL 2005 report r 0.2426, alpha 4.4135, a 0.7929, b 2.4259).
  const clv::TransactionFit bgnbd = clv::fit_transaction_model(clv::Model::bgnbd, summary.view());
  const clv::TransactionModel& model = *bgnbd.model;
  std::printf("BG/NBD fitted on the calibration period:\n");
  print_fit(bgnbd.result);

  // Three customers: a typical one, a frequent recent buyer, and a frequent buyer gone quiet.
  std::printf("\nThree customers at the end of the calibration period (weeks):\n");
  std::printf("%8s %4s %7s %7s %8s %12s %12s\n", "customer", "x", "t_x", "T", "P(alive)", "E[next 39w]",
              "actual 39w");
  for (const std::int64_t id : {1, 157, 1901}) {
    const std::size_t i = calibration.find(id).value();
    const double x = summary.frequency[i];
    const double t_x = summary.recency[i];
    const double T = summary.T[i];
    std::printf("%8lld %4.0f %7.2f %7.2f %8.3f %12.3f %12.0f\n", static_cast<long long>(id), x, t_x, T,
                model.probability_alive(x, t_x, T), model.conditional_expected_purchases(39, x, t_x, T),
                holdout[i]);
  }

  // Holdout validation: actual against predicted purchases in weeks 40-78, by calibration frequency.
  const clv::HoldoutValidation check = clv::validate_holdout(model, summary.view(), holdout, split.holdout_duration);
  std::printf("\nHoldout purchases by calibration frequency (means per customer):\n");
  std::printf("%5s %9s %8s %9s\n", "x", "customers", "actual", "predicted");
  for (const clv::HoldoutRow& row : check.rows) {
    const std::string label = std::to_string(row.frequency) + (&row == &check.rows.back() ? "+" : "");
    std::printf("%5s %9.0f %8.3f %9.3f\n", label.c_str(), row.customers, row.actual, row.predicted);
  }
  std::printf("total: actual %.0f, predicted %.1f; per customer MAE %.3f, RMSE %.3f, correlation %.3f\n",
              check.total_actual, check.total_predicted, check.mae, check.rmse, check.correlation);

  // Gamma-Gamma on the repeat buyers' mean spend per repeat purchase (note 025: p 6.25, q 3.74,
  // gamma 15.44).
  const clv::SpendData spend = clv::spend_rows(summary.frequency, calibration.monetary_value);
  std::printf("\nGamma-Gamma fitted on the %zu repeat buyers (frequency-spend correlation %.3f):\n",
              spend.frequency.size(), correlation(spend.frequency, spend.monetary_value));
  const clv::GammaGammaFit gamma_gamma = clv::fit_gamma_gamma(spend.view());
  print_fit(gamma_gamma.result);
  std::printf("  population mean spend per purchase %.2f\n", gamma_gamma.model.expected_spend());

  // Lifetime value over the next 12 months of 4.345 weeks, 1 % a month, as lifetimes computes it.
  clv::ClvOptions clv_options;
  clv_options.horizon = 12;
  clv_options.step = 4.345;
  clv_options.discount_rate = 0.01;
  const std::vector<double> value =
      clv::lifetime_value(model, gamma_gamma.model, summary.view(), calibration.monetary_value, clv_options);
  clv_options.discounting = clv::Discounting::continuous;
  const std::vector<double> continuous =
      clv::lifetime_value(model, gamma_gamma.model, summary.view(), calibration.monetary_value, clv_options);
  std::vector<std::size_t> order(value.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return value[a] > value[b]; });
  std::printf("\nTop 5 customers by 12-month lifetime value (monthly steps, 1 %% a month):\n");
  std::printf("%8s %4s %7s %7s %8s %9s %10s %9s\n", "customer", "x", "t_x", "T", "spend", "E[spend]", "P(alive)",
              "CLV");
  for (std::size_t rank = 0; rank < 5 && rank < order.size(); ++rank) {
    const std::size_t i = order[rank];
    const double x = summary.frequency[i];
    std::printf("%8lld %4.0f %7.2f %7.2f %8.2f %9.2f %10.3f %9.2f\n",
                static_cast<long long>(calibration.customer_ids[i]), x, summary.recency[i], summary.T[i],
                calibration.monetary_value[i],
                gamma_gamma.model.conditional_expected_spend(x, calibration.monetary_value[i]),
                model.probability_alive(x, summary.recency[i], summary.T[i]), value[i]);
  }
  std::printf("Total 12-month value of the %zu customers: %.0f (continuous discounting: %.0f)\n", value.size(),
              std::accumulate(value.begin(), value.end(), 0.0),
              std::accumulate(continuous.begin(), continuous.end(), 0.0));
  return 0;
} catch (const std::exception& error) {
  std::fprintf(stderr, "03_customer_lifetime_value: %s\n", error.what());
  return 1;
}
