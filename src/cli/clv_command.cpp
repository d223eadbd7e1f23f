// `crmkit clv fit|predict`: customer-lifetime-value models (BG/NBD, MBG/NBD, Pareto/NBD, BG/BB,
// Gamma-Gamma) fitted to a customer summary, and per-customer predictions: P(alive), expected
// purchases, expected spend and the discounted lifetime value.

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "cli/clv_summary_file.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/purchase_input.hpp"
#include "crmkit/analytics/clv.hpp"
#include "crmkit/analytics/customer_summary.hpp"
#include "crmkit/core/error.hpp"

namespace crmkit::cli {

namespace {

namespace clv = analytics::clv;

constexpr std::size_t no_row = std::numeric_limits<std::size_t>::max();

// More threads than this is a typo, not a machine (as in purchase_input.cpp).
constexpr long long max_threads = 1024;

constexpr std::array<Choice<clv::Model>, 5> model_choices{{
    {"bgnbd", clv::Model::bgnbd},
    {"mbgnbd", clv::Model::mbgnbd},
    {"paretonbd", clv::Model::paretonbd},
    {"bgbb", clv::Model::bgbb},
    {"gammagamma", clv::Model::gammagamma},
}};

constexpr std::array<Choice<clv::Model>, 4> transaction_model_choices{{
    {"bgnbd", clv::Model::bgnbd},
    {"mbgnbd", clv::Model::mbgnbd},
    {"paretonbd", clv::Model::paretonbd},
    {"bgbb", clv::Model::bgbb},
}};

// How expected spend per transaction is found: the Gamma-Gamma model, or each customer's
// observed mean repeat spend as it is.
enum class Spend { gammagamma, observed };

constexpr std::array<Choice<Spend>, 2> spend_choices{{
    {"gammagamma", Spend::gammagamma},
    {"observed", Spend::observed},
}};

constexpr std::array<Choice<clv::Discounting>, 2> discounting_choices{{
    {"steps", clv::Discounting::steps},
    {"continuous", clv::Discounting::continuous},
}};

constexpr std::array<Choice<OutputFormat>, 3> format_choices{{
    {"table", OutputFormat::table},
    {"csv", OutputFormat::csv},
    {"json", OutputFormat::json},
}};

// The flags that name the columns of a --summary file.
constexpr std::array<const char*, 5> summary_column_flags{
    "frequency-column", "recency-column", "T-column", "monetary-column", "weights-column"};

std::string_view model_title(clv::Model model) noexcept {
  switch (model) {
    case clv::Model::bgnbd:
      return "BG/NBD";
    case clv::Model::mbgnbd:
      return "MBG/NBD";
    case clv::Model::paretonbd:
      return "Pareto/NBD";
    case clv::Model::bgbb:
      return "BG/BB";
    case clv::Model::gammagamma:
      return "Gamma-Gamma";
  }
  return "?";
}

// A month in the time unit: lifetimes' factors for freq "D", "W" and "M".
double month_in(analytics::Period unit) noexcept {
  switch (unit) {
    case analytics::Period::day:
      return 30.0;
    case analytics::Period::week:
      return 4.345;
    case analytics::Period::month:
      return 1.0;
  }
  return 30.0;
}

// Six significant digits: parameters range from 1e-6 to 1e6, so fixed decimals would not do.
std::string significant(double value) { return fmt::format("{:.6g}", value); }

void add_summary_column_options(CommandLine& line, SummaryColumnNames& names) {
  auto option = line.options().add_options();
  option("frequency-column", po::value(&names.frequency)->value_name("NAME"),
         "column of x, the repeat purchases; default: frequency or x");
  option("recency-column", po::value(&names.recency)->value_name("NAME"),
         "column of t_x, the time from the first to the last purchase; default: recency or t_x");
  option("T-column", po::value(&names.T)->value_name("NAME"),
         "column of T, the time from the first purchase to the end of the data; default: T "
         "(BG/BB: T, periods or n, the number of opportunities)");
  option("monetary-column", po::value(&names.monetary)->value_name("NAME"),
         "column of the mean repeat spend; default: monetary_value, zbar or m");
  option("weights-column", po::value(&names.weights)->value_name("NAME"),
         "column of the number of customers each row stands for; default: weights, weight or "
         "count when there is one, else 1 per row");
}

void check_named_columns(const CommandLine& line, const SummaryColumnNames& names) {
  const std::array<std::pair<const char*, const std::string*>, 5> flags{{
      {"frequency-column", &names.frequency},
      {"recency-column", &names.recency},
      {"T-column", &names.T},
      {"monetary-column", &names.monetary},
      {"weights-column", &names.weights},
  }};
  for (const auto& [flag, name] : flags) {
    if (line.given(flag) && name->empty()) {
      line.fail(invalid_value_message(fmt::format("--{}", flag), *name, "expected a column name"));
    }
  }
}

double checked_real(const CommandLine& line, std::string_view option, double value, double min,
                    bool inclusive, std::string_view expectation) {
  if (std::isfinite(value) && (inclusive ? value >= min : value > min)) return value;
  line.fail(invalid_value_message(option, fmt::format("{}", value), expectation));
}

// The rows a model sees: the customers less those with T = 0 (first seen on the last day
// observed, so without repeat purchases), about whom the models have nothing to condition on and
// which SummaryView rejects. Copies, so that the caller's columns stay aligned with its customers.
struct ModelRows {
  std::vector<double> frequency;
  std::vector<double> recency;
  std::vector<double> T;
  std::vector<double> weights;         // empty: 1 each
  std::vector<double> monetary_value;  // empty when not needed
  std::vector<std::size_t> model_row;  // for each customer, its row here, or no_row
  std::vector<std::size_t> source_row; // for each row here, its customer
  std::size_t left_out = 0;            // customers with T = 0

  [[nodiscard]] std::size_t size() const noexcept { return frequency.size(); }
  [[nodiscard]] clv::SummaryView view() const noexcept {
    return {frequency, recency, T, weights};
  }
};

// `monetary_value` may be empty (no spend wanted), `weights` too (1 each).
ModelRows model_rows(std::span<const double> frequency, std::span<const double> recency,
                     std::span<const double> T, std::span<const double> weights,
                     std::span<const double> monetary_value) {
  ModelRows rows;
  const std::size_t n = frequency.size();
  rows.model_row.assign(n, no_row);
  const auto reserve = [n](std::vector<double>& column, bool used) {
    if (used) column.reserve(n);
  };
  reserve(rows.frequency, true);
  reserve(rows.recency, true);
  reserve(rows.T, true);
  reserve(rows.weights, !weights.empty());
  reserve(rows.monetary_value, !monetary_value.empty());
  rows.source_row.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    // Only x = 0 with T = 0 is a customer just acquired; anything else at T = 0 is invalid data,
    // which the models' validation reports with its row.
    if (T[i] == 0 && frequency[i] == 0 && recency[i] == 0) {
      ++rows.left_out;
      continue;
    }
    rows.model_row[i] = rows.frequency.size();
    rows.source_row.push_back(i);
    rows.frequency.push_back(frequency[i]);
    rows.recency.push_back(recency[i]);
    rows.T.push_back(T[i]);
    if (!weights.empty()) rows.weights.push_back(weights[i]);
    if (!monetary_value.empty()) rows.monetary_value.push_back(monetary_value[i]);
  }
  return rows;
}

// Said on standard error, so that a count of rows in the output never surprises.
void note_left_out(std::ostream& err, std::size_t left_out) {
  if (left_out == 0) return;
  err << fmt::format(
      "crmkit: note: {} with T = 0 (first seen on the last day observed) {} not fitted: the "
      "models need some time observed\n",
      left_out == 1 ? std::string("1 customer") : format_count(left_out) + " customers",
      left_out == 1 ? "is" : "are");
}

// `recency[12]`: a column and a row below `rows`, as the models' validation names a value.
struct FieldRow {
  std::string_view name;
  std::size_t row = 0;
};

std::optional<FieldRow> field_row(std::string_view field, std::size_t rows) {
  const std::size_t open = field.find('[');
  if (open == std::string_view::npos || !field.ends_with(']')) return std::nullopt;
  std::size_t row = 0;
  const char* const first = field.data() + open + 1;
  const char* const last = field.data() + field.size() - 1;
  const auto [end, failure] = std::from_chars(first, last, row);
  if (failure != std::errc{} || end != last || row >= rows) return std::nullopt;
  return FieldRow{field.substr(0, open), row};
}

// The models name a bad value by its column and its row among the rows they were given
// (`recency[12]`); a file's reader wants its line and its own column name. Called in the handler
// of `error`: rethrows it as it is when it names no row of the file.
[[noreturn]] void rethrow_at_line(const ValidationError& error, const SummaryFile& file,
                                  std::span<const std::size_t> source_row) {
  const std::optional<FieldRow> at = field_row(error.field(), source_row.size());
  if (!at) throw;
  const std::string_view name = at->name;
  const std::size_t index = at->row;
  const std::string* column = nullptr;
  if (name == "frequency") column = &file.frequency_column;
  if (name == "recency") column = &file.recency_column;
  if (name == "T") column = &file.T_column;
  if (name == "monetary_value") column = &file.monetary_column;
  if (name == "weights") column = &file.weights_column;
  if (column == nullptr || column->empty()) throw;
  throw ParseError(file.path, file.lines[source_row[index]], 0, error.value(),
                   fmt::format("in column '{}' {}", *column, error.rule()));
}

// The same for a summary computed from purchases: the row is a customer, and a BG/BB row that
// is not whole comes from a time unit longer or shorter than the period.
[[noreturn]] void rethrow_for_customer(const ValidationError& error,
                                       const std::function<std::string(std::size_t)>& customer,
                                       std::span<const std::size_t> source_row, bool discrete) {
  const std::optional<FieldRow> at = field_row(error.field(), source_row.size());
  if (!at) throw;
  throw Error(fmt::format("customer {}: {} {} {}{}", customer(source_row[at->row]), at->name,
                          quote_value(error.value()), error.rule(),
                          discrete ? " (BG/BB counts opportunities: give --time-unit the same as "
                                     "--period)"
                                   : ""));
}

void warn_unconverged(std::ostream& err, const clv::FitResult& result) {
  if (result.converged) return;
  err << fmt::format("crmkit: warning: the {} fit did not converge ({}); the estimates are the "
                     "best point found\n",
                     model_title(result.model), result.reason);
}

// ---------------------------------------------------------------------------------------------
// clv fit

struct FitSettings {
  std::string summary;
  std::string model;
  SummaryColumnNames columns;
  double penalizer = 0;
  long long threads = 0;
  std::string format = "table";
};

// What `clv fit` read and fitted.
struct FitReport {
  clv::FitResult result;
  const SummaryFile* file = nullptr;
  std::size_t rows_fitted = 0;   // rows given to the fit
  std::size_t left_out = 0;      // T = 0 rows
  std::optional<double> mean_spend;  // Gamma-Gamma: E[M] of the population
};

Json columns_json(const SummaryFile& file) {
  const auto name = [](const std::string& column) {
    return column.empty() ? Json(nullptr) : Json(column);
  };
  Json columns = Json::object();
  columns["frequency"] = name(file.frequency_column);
  columns["recency"] = name(file.recency_column);
  columns["T"] = name(file.T_column);
  columns["monetary_value"] = name(file.monetary_column);
  columns["weights"] = name(file.weights_column);
  return columns;
}

Json parameters_json(const clv::FitResult& result) {
  Json parameters = Json::object();
  for (std::size_t i = 0; i < result.parameters.size(); ++i) {
    parameters[result.parameter_names[i]] = result.parameters[i];
  }
  return parameters;
}

Json standard_errors_json(const clv::FitResult& result) {
  if (result.standard_errors.empty()) return nullptr;
  Json errors = Json::object();
  for (std::size_t i = 0; i < result.standard_errors.size(); ++i) {
    errors[result.parameter_names[i]] = result.standard_errors[i];
  }
  return errors;
}

Json fit_json(const FitReport& report, double penalizer) {
  const clv::FitResult& result = report.result;
  Json document = Json::object();
  document["model"] = std::string(clv::to_string(result.model));
  document["summary"] = report.file->path;
  document["columns"] = columns_json(*report.file);
  document["rows"] = report.file->size();
  document["rows_fitted"] = report.rows_fitted;
  document["rows_left_out"] = report.left_out;
  document["customers"] = result.customers;
  document["distinct_rows"] = result.distinct_rows;
  document["penalizer"] = penalizer;
  document["parameters"] = parameters_json(result);
  document["standard_errors"] = standard_errors_json(result);
  document["standard_error_note"] =
      result.standard_error_note.empty() ? Json(nullptr) : Json(result.standard_error_note);
  document["log_likelihood"] = result.log_likelihood;
  document["evaluations"] = result.evaluations;
  document["converged"] = result.converged;
  document["reason"] = result.reason;
  document["algorithm"] = result.algorithm;
  if (report.mean_spend) document["mean_spend"] = *report.mean_spend;
  return document;
}

Results parameter_results(const clv::FitResult& result) {
  Results results;
  results.columns = {{"parameter", TableStyle::plain, 0, false},
                     {"estimate"},
                     {"standard_error"}};
  results.rows = result.parameters.size();
  results.cell = [&result](std::size_t row, std::size_t column) -> Cell {
    switch (column) {
      case 0:
        return std::string_view(result.parameter_names[row]);
      case 1:
        return result.parameters[row];
      default:
        if (result.standard_errors.empty()) return std::monostate{};
        return result.standard_errors[row];
    }
  };
  return results;
}

// `yes`, or `yes (the objective changed by less than ...)`: the optimizer's reason without the
// word the first column already says.
std::string convergence(const clv::FitResult& result) {
  std::string_view reason = result.reason;
  if (result.converged && reason.starts_with("converged")) {
    reason.remove_prefix(std::string_view("converged").size());
    while (!reason.empty() && (reason.front() == ':' || reason.front() == ',' ||
                               reason.front() == ' ')) {
      reason.remove_prefix(1);
    }
  }
  std::string text = result.converged ? "yes" : "no";
  if (!reason.empty()) text += fmt::format(" ({})", reason);
  return text;
}

void print_fit_table(std::ostream& out, const FitReport& report) {
  const clv::FitResult& result = report.result;
  const SummaryFile& file = *report.file;
  std::string columns = file.frequency_column;
  for (const std::string* name : {&file.recency_column, &file.T_column, &file.monetary_column,
                                  &file.weights_column}) {
    if (!name->empty()) columns += ", " + *name;
  }
  out << fmt::format("{} fit of {} (columns {})\n\n", model_title(result.model), file.path,
                     columns);

  Table parameters;
  parameters.columns = {"parameter", "estimate", "standard_error"};
  parameters.right_aligned = {1, 2};
  for (std::size_t i = 0; i < result.parameters.size(); ++i) {
    parameters.rows.push_back(
        {result.parameter_names[i], significant(result.parameters[i]),
         result.standard_errors.empty() ? std::string() : significant(result.standard_errors[i])});
  }
  print_aligned(out, parameters);

  Table facts;
  facts.header = false;
  facts.columns = {"name", "value"};
  std::string customers = format_real(result.customers, 0);
  if (result.model == clv::Model::gammagamma) {
    customers += fmt::format(" repeat buyers (rows with x > 0: {} of {})",
                             format_count(report.rows_fitted), format_count(file.size()));
  } else {
    customers += fmt::format(" ({} rows", format_count(report.rows_fitted));
    if (report.left_out > 0) {
      customers += fmt::format("; {} with T = 0 left out", format_count(report.left_out));
    }
    customers += ")";
  }
  facts.rows.push_back({"customers", customers});
  facts.rows.push_back({"distinct rows", format_count(result.distinct_rows)});
  facts.rows.push_back({"log-likelihood", format_real(result.log_likelihood, 2)});
  facts.rows.push_back({"evaluations", std::to_string(result.evaluations)});
  facts.rows.push_back({"converged", convergence(result)});
  facts.rows.push_back({"algorithm", result.algorithm});
  if (!result.standard_error_note.empty()) {
    facts.rows.push_back({"standard errors", result.standard_error_note});
  }
  if (report.mean_spend) {
    facts.rows.push_back({"mean spend", std::isfinite(*report.mean_spend)
                                            ? format_real(*report.mean_spend, 2)
                                            : "infinite (q <= 1)"});
  }
  out << '\n';
  print_aligned(out, facts);
}

int clv_fit(const Args& args, Context& context) {
  FitSettings settings;
  CommandLine line(
      "crmkit clv fit", "--summary FILE --model MODEL [options]",
      "Fits a customer-lifetime-value model by maximum likelihood to a customer summary (CSV,\n"
      "one row per customer or per pattern with a weight, as 'crmkit summary' writes it) and\n"
      "prints the parameters with their standard errors, the log-likelihood, the evaluations\n"
      "and whether the optimizer converged. Models: bgnbd (BG/NBD), mbgnbd (MBG/NBD), paretonbd\n"
      "(Pareto/NBD) and bgbb (BG/BB, discrete opportunities) on frequency, recency and T;\n"
      "gammagamma (Gamma-Gamma spend) on the frequency and mean repeat spend of the repeat\n"
      "buyers (x > 0). Columns are found by their usual names (frequency/x, recency/t_x, T,\n"
      "monetary_value/zbar/m, weights/weight/count) unless named by a flag. Rows with T = 0\n"
      "(customers first seen on the last day) are left out: the models need time observed.");
  auto option = line.options().add_options();
  option("summary", po::value(&settings.summary)->value_name("FILE"),
         "the customer summary: CSV with a header, plain or gzip");
  option("model", po::value(&settings.model)->value_name("MODEL"),
         "bgnbd, mbgnbd, paretonbd, bgbb or gammagamma");
  add_summary_column_options(line, settings.columns);
  option("penalizer",
         po::value(&settings.penalizer)->value_name("X")->default_value(settings.penalizer),
         "L2 penalty on the parameters, as lifetimes' penalizer_coef; 0 is plain maximum "
         "likelihood");
  option("threads", po::value(&settings.threads)->value_name("N")->default_value(settings.threads),
         "worker threads, 0 = every hardware thread; results never depend on it");
  option("format", po::value(&settings.format)->value_name("FORMAT")->default_value(settings.format),
         "output format: table (for people), csv (the parameters) or json (everything)");
  if (!line.parse(args, context.out)) return 0;

  const OutputFormat format = parse_choice(line, "--format", settings.format, format_choices);
  if (settings.summary.empty()) {
    if (line.given("summary")) {
      line.fail(invalid_value_message("--summary", settings.summary, "expected a file name"));
    }
    line.fail("--summary FILE is required: the customer summary to fit");
  }
  if (!line.given("model")) {
    line.fail("--model is required: one of " + choice_names(model_choices));
  }
  const clv::Model model = parse_choice(line, "--model", settings.model, model_choices);
  check_named_columns(line, settings.columns);
  if (model == clv::Model::gammagamma) {
    for (const char* flag : {"recency-column", "T-column"}) {
      if (line.given(flag)) {
        line.fail(fmt::format("--{} does not apply to gammagamma, which models spend alone",
                              flag));
      }
    }
  } else if (line.given("monetary-column")) {
    line.fail(fmt::format("--monetary-column applies to gammagamma only: {} models purchases",
                          settings.model));
  }
  clv::FitOptions options;
  options.penalizer = checked_real(line, "--penalizer", settings.penalizer, 0, true,
                                   "expected a number of at least 0");
  options.threads =
      static_cast<unsigned>(checked_integer(line, "--threads", settings.threads, 0, max_threads));

  SummaryFileNeeds needs;
  needs.recency_and_T = model != clv::Model::gammagamma;
  needs.monetary = model == clv::Model::gammagamma;
  needs.discrete = model == clv::Model::bgbb;
  const SummaryFile file = read_summary_file(settings.summary, settings.columns, needs);

  FitReport report;
  report.file = &file;
  if (model == clv::Model::gammagamma) {
    // Gamma-Gamma describes the spend of repeat transactions: one-time buyers have none.
    clv::SpendData spend;
    std::vector<double> weights;
    for (std::size_t i = 0; i < file.size(); ++i) {
      // Only x = 0 rows: a negative x is for the spend model's validation to report.
      if (file.frequency[i] == 0) continue;
      spend.frequency.push_back(file.frequency[i]);
      spend.monetary_value.push_back(file.monetary_value[i]);
      spend.rows.push_back(i);
      if (!file.weights.empty()) weights.push_back(file.weights[i]);
    }
    report.rows_fitted = spend.frequency.size();
    const clv::SpendView view{spend.frequency, spend.monetary_value, weights};
    try {
      const clv::GammaGammaFit fit = clv::fit_gamma_gamma(view, options);
      report.result = fit.result;
      report.mean_spend = fit.model.expected_spend();
    } catch (const ValidationError& error) {
      rethrow_at_line(error, file, spend.rows);
    }
  } else {
    const ModelRows rows = model_rows(file.frequency, file.recency, file.T, file.weights, {});
    report.rows_fitted = rows.size();
    report.left_out = rows.left_out;
    note_left_out(context.err, report.left_out);  // before a fit that may fail for want of rows
    try {
      report.result = clv::fit_transaction_model(model, rows.view(), options).result;
    } catch (const ValidationError& error) {
      rethrow_at_line(error, file, rows.source_row);
    }
  }
  warn_unconverged(context.err, report.result);

  switch (format) {
    case OutputFormat::json:
      print_json(context.out, fit_json(report, options.penalizer));
      break;
    case OutputFormat::csv:
      write_csv(context.out, parameter_results(report.result));
      break;
    case OutputFormat::table:
      print_fit_table(context.out, report);
      break;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// clv predict

struct PredictSettings {
  std::string summary;
  SummaryColumnNames columns;
  std::string model = "bgnbd";
  std::string spend;
  std::string period = "day";
  std::string time_unit;
  std::string as_of;
  std::string calibration_end;
  std::string observation_end;
  double horizon = 0;
  double step = 0;
  double discount_rate = 0.01;
  std::string discounting = "steps";
  double penalizer = 0;
  std::string output;
  std::string format;
};

// The customers to predict for, from a summary file or from purchases: one row each, in the
// source's order, with their columns as doubles.
struct Customers {
  const SummaryFile* file = nullptr;     // the summary file, or
  std::vector<std::int64_t> ids;         // the customer ids of the purchases
  std::vector<double> frequency;         // x
  std::vector<double> recency;           // t_x
  std::vector<double> T;                 // T
  std::vector<double> monetary_value;    // mean repeat spend (empty when not needed)
  std::vector<double> weights;           // empty: 1 each
  std::vector<double> holdout;           // actual holdout purchases (with --calibration-end)
  bool whole_frequency = false;          // print x as an integer (purchases)
  std::optional<double> holdout_duration;

  [[nodiscard]] std::size_t size() const noexcept { return frequency.size(); }
  // The id column's cell: the id from the purchases or the file, else the 1-based row number.
  [[nodiscard]] Cell id(std::size_t row) const {
    if (file == nullptr) return ids[row];
    if (file->has_ids()) return file->id(row);
    return static_cast<std::int64_t>(row + 1);
  }
  [[nodiscard]] std::string id_text(std::size_t row) const {
    const Cell cell = id(row);
    if (const auto* text = std::get_if<std::string_view>(&cell)) return std::string(*text);
    return std::to_string(std::get<std::int64_t>(cell));
  }
};

// Per-customer results, aligned with Customers; NaN where a customer has no prediction.
struct Predictions {
  std::vector<double> probability_alive;
  std::vector<double> expected_purchases;
  std::vector<double> expected_spend;  // empty without --spend
  std::vector<double> clv;             // empty without --spend
};

std::vector<double> scatter(std::span<const double> values, const ModelRows& rows) {
  std::vector<double> out(rows.model_row.size(), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (rows.model_row[i] != no_row) out[i] = values[rows.model_row[i]];
  }
  return out;
}

// Takes the file's columns: the file keeps its ids, column names and lines, for messages.
Customers customers_from_file(SummaryFile& file) {
  Customers customers;
  customers.file = &file;
  customers.frequency = std::move(file.frequency);
  customers.recency = std::move(file.recency);
  customers.T = std::move(file.T);
  customers.monetary_value = std::move(file.monetary_value);
  customers.weights = std::move(file.weights);
  return customers;
}

// A prediction the library could not compute would leave a blank cell, which reads like a
// customer left out: say how many, once.
void warn_not_finite(std::ostream& err, const ModelRows& rows, const Predictions& results) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < rows.model_row.size(); ++i) {
    if (rows.model_row[i] == no_row) continue;
    const bool finite = std::isfinite(results.probability_alive[i]) &&
                        std::isfinite(results.expected_purchases[i]) &&
                        (results.clv.empty() || std::isfinite(results.clv[i]));
    if (!finite) ++count;
  }
  if (count == 0) return;
  err << fmt::format("crmkit: warning: the model gave no finite prediction for {} of {} customers "
                     "(blank cells): its expressions fail at these parameters\n",
                     format_count(count), format_count(rows.size()));
}

Customers customers_from_summary(const analytics::CustomerSummary& summary) {
  Customers customers;
  customers.whole_frequency = true;
  customers.ids = summary.customer_ids;
  customers.frequency.assign(summary.frequency.begin(), summary.frequency.end());
  customers.recency = summary.recency;
  customers.T = summary.T;
  customers.monetary_value = summary.monetary_value;
  return customers;
}

// Gamma-Gamma needs positive spend: refunds make a customer's mean zero or negative, which the
// command names by customer rather than by row of the repeat buyers.
void check_spend(const Customers& customers, bool from_purchases) {
  for (std::size_t i = 0; i < customers.size(); ++i) {
    if (customers.frequency[i] > 0 && !(customers.monetary_value[i] > 0)) {
      throw Error(fmt::format(
          "customer {} has a mean repeat spend of {}: Gamma-Gamma needs positive spend{}",
          customers.id_text(i), customers.monetary_value[i],
          from_purchases ? " (leave returns out with --skip-nonpositive, or drop --spend)"
                         : " (drop --spend, or leave the row out)"));
    }
  }
}

Json holdout_json(const clv::HoldoutValidation& validation, double duration) {
  Json holdout = Json::object();
  holdout["duration"] = duration;
  Json rows = Json::array();
  for (const clv::HoldoutRow& row : validation.rows) {
    Json item = Json::object();
    item["frequency"] = row.frequency;
    item["customers"] = row.customers;
    item["actual"] = row.actual;
    item["predicted"] = row.predicted;
    rows.push_back(std::move(item));
  }
  holdout["by_frequency"] = std::move(rows);
  holdout["total_actual"] = validation.total_actual;
  holdout["total_predicted"] = validation.total_predicted;
  holdout["mae"] = validation.mae;
  holdout["rmse"] = validation.rmse;
  holdout["correlation"] = validation.correlation;
  return holdout;
}

int clv_predict(const Args& args, Context& context) {
  PurchaseInputSettings input_settings;
  PredictSettings settings;
  const clv::ClvOptions defaults;
  settings.discount_rate = defaults.discount_rate;
  CommandLine line(
      "crmkit clv predict",
      "(--input FILE | --db PATH | --summary FILE) --horizon H [options]",
      "Fits a transaction model (--model, BG/NBD by default) to the customer summary of the\n"
      "purchases (or to a --summary file) and writes one row per customer:\n"
      "customer_id,frequency,recency,T,p_alive,expected_purchases,expected_spend,clv.\n"
      "p_alive is P(alive | x, t_x, T); expected_purchases the expected repeat purchases in the\n"
      "next --horizon time units. With --spend, expected_spend is the expected value of a\n"
      "transaction (gammagamma: the Gamma-Gamma model fitted to the repeat buyers; observed: the\n"
      "customer's own mean repeat spend) and clv the discounted value over the same horizon, in\n"
      "steps of --step time units (default: a month, 30 days, 4.345 weeks or 1 month) at\n"
      "--discount-rate per step; without --spend both are blank. With --calibration-end the\n"
      "model sees the purchases up to that day and actual_purchases gives each customer's\n"
      "purchases in the holdout that follows. Customers with T = 0 (first seen on the last day)\n"
      "are not fitted and get blank predictions. CSV by default.");
  add_purchase_input_options(line, input_settings);
  // The purchase input's own flags: they describe purchases, and are refused with --summary.
  std::vector<std::string> purchase_flags;
  for (const auto& description : line.options().options()) {
    if (description->long_name() != "help" && description->long_name() != "threads") {
      purchase_flags.push_back(description->long_name());
    }
  }
  auto option = line.options().add_options();
  option("summary", po::value(&settings.summary)->value_name("FILE"),
         "read a customer summary (CSV, as 'crmkit summary' writes it) instead of purchases; "
         "the flags up to --weights-column name its columns; customer_id comes from its "
         "customer_id, ID or id column, else the row number");
  add_summary_column_options(line, settings.columns);
  option("model", po::value(&settings.model)->value_name("MODEL")->default_value(settings.model),
         "the transaction model: bgnbd, mbgnbd, paretonbd or bgbb");
  option("spend", po::value(&settings.spend)->value_name("MODEL"),
         "expected spend per transaction: gammagamma or observed; without it, expected_spend "
         "and clv are blank");
  option("period",
         po::value(&settings.period)->value_name("PERIOD")->default_value(settings.period),
         "purchases of a customer within one period count once: day, week or month");
  option("time-unit", po::value(&settings.time_unit)->value_name("UNIT"),
         "unit of recency, T, --horizon and --step: day, week or month; default: the period. "
         "With --summary: the unit of the file, which sets the default --step");
  option("as-of", po::value(&settings.as_of)->value_name("DATE"),
         "the last day observed (YYYY-MM-DD); default: the day of the latest purchase");
  option("calibration-end", po::value(&settings.calibration_end)->value_name("DATE"),
         "fit on the purchases up to this day and compare with the holdout after it: adds "
         "actual_purchases; --horizon defaults to the holdout's length");
  option("observation-end", po::value(&settings.observation_end)->value_name("DATE"),
         "with --calibration-end: the last day of the holdout; default: the latest purchase");
  option("horizon", po::value(&settings.horizon)->value_name("H"),
         "how far ahead, in time units (BG/BB: opportunities), for expected_purchases and clv");
  option("step", po::value(&settings.step)->value_name("S"),
         "length of a discounting step in time units; default: a month (30 days, 4.345 weeks, "
         "1 month)");
  option("discount-rate",
         po::value(&settings.discount_rate)->value_name("R")->default_value(settings.discount_rate),
         "discount rate per step (0.01: 1 % a month)");
  option("discounting",
         po::value(&settings.discounting)->value_name("HOW")->default_value(settings.discounting),
         "steps (as lifetimes: each step's purchases discounted by (1 + R)^i) or continuous "
         "(at the force of interest ln(1 + R) per step)");
  option("penalizer",
         po::value(&settings.penalizer)->value_name("X")->default_value(settings.penalizer),
         "L2 penalty of the fits, as lifetimes' penalizer_coef");
  option("output,o", po::value(&settings.output)->value_name("FILE"),
         "write the result to FILE instead of standard output");
  add_format_option(line, settings.format, "csv");
  if (!line.parse(args, context.out)) return 0;

  const OutputFormat format = format_option(line, settings.format);
  const bool from_summary = line.given("summary");
  std::optional<PurchaseInput> input;
  unsigned threads = 0;
  if (from_summary) {
    if (settings.summary.empty()) {
      line.fail(invalid_value_message("--summary", settings.summary, "expected a file name"));
    }
    for (const std::string& flag : purchase_flags) {
      if (line.given(flag)) {
        line.fail(fmt::format("--summary and --{} cannot be combined: --{} describes purchases",
                              flag, flag));
      }
    }
    for (const char* flag : {"period", "as-of", "calibration-end", "observation-end"}) {
      if (line.given(flag)) {
        line.fail(fmt::format("--{} describes how purchases are summarized: it does not apply "
                              "to --summary",
                              flag));
      }
    }
    threads = static_cast<unsigned>(
        checked_integer(line, "--threads", input_settings.threads, 0, max_threads));
  } else {
    for (const char* flag : summary_column_flags) {
      if (line.given(flag)) {
        line.fail(fmt::format("--{} names a column of a --summary file", flag));
      }
    }
    input = purchase_input(line, input_settings);
    threads = input->threads;
  }
  check_named_columns(line, settings.columns);

  const clv::Model model =
      parse_choice(line, "--model", settings.model, transaction_model_choices);
  std::optional<Spend> spend;
  if (line.given("spend")) spend = parse_choice(line, "--spend", settings.spend, spend_choices);
  if (!spend && line.given("monetary-column")) {
    line.fail("--monetary-column is the spend of --spend: give --spend too");
  }
  const clv::Discounting discounting =
      parse_choice(line, "--discounting", settings.discounting, discounting_choices);
  const double discount_rate = checked_real(line, "--discount-rate", settings.discount_rate, 0,
                                            true, "expected a number of at least 0");
  const double penalizer = checked_real(line, "--penalizer", settings.penalizer, 0, true,
                                        "expected a number of at least 0");
  const analytics::Period period = period_option(line, "--period", settings.period);
  std::optional<analytics::Period> time_unit;
  if (line.given("time-unit")) time_unit = period_option(line, "--time-unit", settings.time_unit);
  if (!from_summary && !time_unit) time_unit = period;

  const std::optional<Date> as_of = date_option(line, "--as-of", settings.as_of);
  const std::optional<Date> calibration_end =
      date_option(line, "--calibration-end", settings.calibration_end);
  const std::optional<Date> observation_end =
      date_option(line, "--observation-end", settings.observation_end);
  if (calibration_end && as_of) {
    line.fail("--as-of and --calibration-end cannot be combined: the calibration ends at "
              "--calibration-end, the holdout at --observation-end");
  }
  if (observation_end && !calibration_end) {
    line.fail("--observation-end needs --calibration-end (it ends the holdout of a split)");
  }
  if (calibration_end && observation_end && *observation_end < *calibration_end) {
    line.fail(invalid_value_message(
        "--observation-end", settings.observation_end,
        "expected a day on or after --calibration-end " + settings.calibration_end));
  }

  std::optional<double> horizon;
  if (line.given("horizon")) {
    horizon = checked_real(line, "--horizon", settings.horizon, 0, false,
                           "expected a number above 0");
  } else if (!calibration_end) {
    line.fail("--horizon is required: how far ahead to predict, in time units");
  }
  std::optional<double> step;
  if (line.given("step")) {
    step = checked_real(line, "--step", settings.step, 0, false, "expected a number above 0");
  } else if (time_unit) {
    step = month_in(*time_unit);
  } else if (spend) {
    line.fail("with --summary and --spend, give --time-unit (the unit of the file's recency and "
              "T) or --step: the discounting steps are months by default");
  }
  if (!spend) {
    for (const char* flag : {"step", "discount-rate", "discounting"}) {
      if (line.given(flag)) line.fail(fmt::format("--{} discounts the clv of --spend: give --spend too", flag));
    }
  }
  if (line.given("output") && settings.output.empty()) {
    line.fail(invalid_value_message("--output", settings.output, "expected a file name"));
  }

  // The customers, from the file or summarized from the purchases.
  std::optional<SummaryFile> file;
  Customers customers;
  std::optional<Date> summary_as_of;
  if (from_summary) {
    SummaryFileNeeds needs;
    needs.monetary = spend.has_value();
    needs.discrete = model == clv::Model::bgbb;
    needs.ids = true;
    file = read_summary_file(settings.summary, settings.columns, needs);
    customers = customers_from_file(*file);
  } else {
    const analytics::PurchaseData purchases = load_purchases(*input);
    if (calibration_end) {
      analytics::HoldoutOptions options;
      options.calibration_end = *calibration_end;
      options.observation_end = observation_end;
      options.period = period;
      options.time_unit = time_unit;
      options.threads = threads;
      const analytics::CalibrationHoldout split =
          analytics::calibration_holdout_summary(purchases.view(), options);
      customers = customers_from_summary(split.calibration);
      customers.holdout.assign(split.holdout_frequency.begin(), split.holdout_frequency.end());
      customers.holdout_duration = split.holdout_duration;
      summary_as_of = split.calibration.as_of;
    } else {
      analytics::SummaryOptions options;
      options.period = period;
      options.time_unit = time_unit;
      options.as_of = as_of;
      options.threads = threads;
      const analytics::CustomerSummary summary =
          analytics::customer_summary(purchases.view(), options);
      customers = customers_from_summary(summary);
      summary_as_of = summary.as_of;
    }
    if (!spend) customers.monetary_value.clear();
  }
  if (!horizon) {
    // Only with --calibration-end: the holdout's length, so that expected and actual compare.
    if (!(*customers.holdout_duration > 0)) {
      throw Error("the holdout after --calibration-end is empty: give --horizon, or an "
                  "--observation-end after the calibration");
    }
    horizon = customers.holdout_duration;
  }

  if (spend == Spend::gammagamma) check_spend(customers, !from_summary);

  // Fit and predict on the customers with time observed.
  const ModelRows rows = model_rows(customers.frequency, customers.recency, customers.T,
                                    customers.weights, customers.monetary_value);
  note_left_out(context.err, rows.left_out);
  clv::FitOptions fit_options;
  fit_options.penalizer = penalizer;
  fit_options.threads = threads;
  // Predictions need no standard errors: skip the Hessian.
  fit_options.standard_errors = false;
  const clv::TransactionFit fit = [&] {
    try {
      return clv::fit_transaction_model(model, rows.view(), fit_options);
    } catch (const ValidationError& error) {
      if (file) rethrow_at_line(error, *file, rows.source_row);
      rethrow_for_customer(
          error, [&](std::size_t row) { return customers.id_text(row); }, rows.source_row,
          model == clv::Model::bgbb);
    }
  }();
  warn_unconverged(context.err, fit.result);
  const clv::Predictions predicted = clv::predict(*fit.model, rows.view(), *horizon, threads);

  Predictions results;
  results.probability_alive = scatter(predicted.probability_alive, rows);
  results.expected_purchases = scatter(predicted.expected_purchases, rows);

  std::optional<clv::GammaGammaFit> spend_fit;
  if (spend) {
    std::vector<double> expected_spend(rows.size());
    if (*spend == Spend::gammagamma) {
      clv::SpendData repeat;
      std::vector<double> weights;
      for (std::size_t i = 0; i < rows.size(); ++i) {
        if (rows.frequency[i] <= 0) continue;
        repeat.frequency.push_back(rows.frequency[i]);
        repeat.monetary_value.push_back(rows.monetary_value[i]);
        if (!rows.weights.empty()) weights.push_back(rows.weights[i]);
      }
      spend_fit = clv::fit_gamma_gamma({repeat.frequency, repeat.monetary_value, weights},
                                       fit_options);
      warn_unconverged(context.err, spend_fit->result);
      for (std::size_t i = 0; i < rows.size(); ++i) {
        expected_spend[i] = spend_fit->model.conditional_expected_spend(
            rows.frequency[i], rows.frequency[i] > 0 ? rows.monetary_value[i] : 0.0);
      }
    } else {
      expected_spend = rows.monetary_value;
    }
    clv::ClvOptions clv_options;
    clv_options.step = *step;
    clv_options.horizon = *horizon / *step;
    clv_options.discount_rate = discount_rate;
    clv_options.discounting = discounting;
    clv_options.threads = threads;
    const std::vector<double> values =
        clv::lifetime_value(*fit.model, rows.view(), expected_spend, clv_options);
    results.expected_spend = scatter(expected_spend, rows);
    results.clv = scatter(values, rows);
  }
  warn_not_finite(context.err, rows, results);

  Results table;
  table.columns = {{"customer_id", TableStyle::plain, 0, !(file && file->has_ids())},
                   {"frequency", TableStyle::plain, 0},  // a whole number, even from a file
                   {"recency"},
                   {"T"},
                   {"p_alive", TableStyle::plain, 4},
                   {"expected_purchases", TableStyle::plain, 4},
                   {"expected_spend"},
                   {"clv"}};
  const bool with_holdout = !customers.holdout.empty() || customers.holdout_duration.has_value();
  if (with_holdout) table.columns.push_back({"actual_purchases", TableStyle::plain, 0});
  table.rows = customers.size();
  table.cell = [&](std::size_t row, std::size_t column) -> Cell {
    switch (column) {
      case 0:
        return customers.id(row);
      case 1:
        if (customers.whole_frequency) {
          return static_cast<std::int64_t>(customers.frequency[row]);
        }
        return customers.frequency[row];
      case 2:
        return customers.recency[row];
      case 3:
        return customers.T[row];
      case 4:
        return results.probability_alive[row];
      case 5:
        return results.expected_purchases[row];
      case 6:
        if (results.expected_spend.empty()) return std::monostate{};
        return results.expected_spend[row];
      case 7:
        if (results.clv.empty()) return std::monostate{};
        return results.clv[row];
      default:
        return static_cast<std::int64_t>(customers.holdout[row]);
    }
  };

  const auto write = [&](std::ostream& out) {
    if (format != OutputFormat::json) {
      write_results(out, format, table);
      return;
    }
    Json document = Json::object();
    document["model"] = std::string(clv::to_string(model));
    document["parameters"] = parameters_json(fit.result);
    document["log_likelihood"] = fit.result.log_likelihood;
    document["converged"] = fit.result.converged;
    document["spend"] = spend ? Json(settings.spend) : Json(nullptr);
    document["spend_parameters"] = spend_fit ? parameters_json(spend_fit->result) : Json(nullptr);
    document["time_unit"] =
        time_unit ? Json(std::string(analytics::to_string(*time_unit))) : Json(nullptr);
    if (summary_as_of) document["as_of"] = format_date(*summary_as_of);
    document["horizon"] = *horizon;
    if (spend) {
      document["step"] = *step;
      document["discount_rate"] = discount_rate;
      document["discounting"] = settings.discounting;
    }
    document["customers_left_out"] = rows.left_out;
    if (with_holdout) {
      const std::vector<double> holdout_rows = [&] {
        std::vector<double> actual;
        actual.reserve(rows.size());
        for (std::size_t i = 0; i < customers.size(); ++i) {
          if (rows.model_row[i] != no_row) actual.push_back(customers.holdout[i]);
        }
        return actual;
      }();
      const double duration = *customers.holdout_duration;
      if (duration > 0) {
        document["holdout"] =
            holdout_json(clv::validate_holdout(*fit.model, rows.view(), holdout_rows, duration),
                         duration);
      }
    }
    document["customers"] = results_json(table);
    print_json(out, document);
  };
  if (settings.output.empty()) {
    write(context.out);
  } else {
    write_file(settings.output, write);
  }
  return 0;
}

}  // namespace

int run_clv(const Args& args, Context& context) {
  const CommandGroup group{
      "crmkit clv",
      "<fit|predict> [options]",
      "Customer-lifetime-value models: BG/NBD, MBG/NBD, Pareto/NBD and BG/BB for purchases,\n"
      "Gamma-Gamma for spend. 'fit' estimates a model from a customer summary and reports it;\n"
      "'predict' fits and writes each customer's P(alive), expected purchases, expected spend\n"
      "and lifetime value. docs/clv.md is the guide.",
      {
          {"fit", "fit a model to a customer summary: parameters, standard errors, fit", clv_fit},
          {"predict", "P(alive), expected purchases and CLV of every customer", clv_predict},
      }};
  return dispatch(group, args, context);
}

}  // namespace crmkit::cli
