// `crmkit summary`: the customer summary of the `lifetimes` library (frequency, recency, T,
// monetary_value), with the same column names so that its CSV feeds CLV model fits; and its
// calibration/holdout split.

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/purchase_input.hpp"
#include "crmkit/analytics/customer_summary.hpp"

namespace crmkit::cli {

namespace {

struct SummarySettings {
  std::string period = "day";
  std::string time_unit;
  std::string as_of;
  std::string calibration_end;
  std::string observation_end;
  std::string output;
  std::string format;
};

std::vector<ResultColumn> summary_columns(bool holdout) {
  std::vector<ResultColumn> columns{
      {"customer_id"}, {"frequency"}, {"recency"}, {"T"}, {"monetary_value"}};
  if (holdout) {
    columns.push_back({"frequency_holdout"});
    columns.push_back({"monetary_value_holdout"});
    columns.push_back({"duration_holdout"});
  }
  return columns;
}

Cell summary_cell(const analytics::CustomerSummary& summary, std::size_t row, std::size_t column) {
  switch (column) {
    case 0:
      return summary.customer_ids[row];
    case 1:
      return summary.frequency[row];
    case 2:
      return summary.recency[row];
    case 3:
      return summary.T[row];
    default:
      return summary.monetary_value[row];
  }
}

Json summary_head(const analytics::CustomerSummary& summary) {
  Json head = Json::object();
  head["period"] = std::string(analytics::to_string(summary.period));
  head["time_unit"] = std::string(analytics::to_string(summary.time_unit));
  head["as_of"] = format_date(summary.as_of);
  return head;
}

}  // namespace

int run_summary(const Args& args, Context& context) {
  PurchaseInputSettings input_settings;
  SummarySettings settings;
  CommandLine line(
      "crmkit summary", "(--input FILE | --db PATH) [options]",
      "Summarizes each customer's purchases as the 'lifetimes' library does, one row per\n"
      "customer in ascending id: customer_id,frequency,recency,T,monetary_value. frequency counts\n"
      "the repeat purchase periods (distinct periods - 1); recency the time from the first to the\n"
      "last period, T from the first period to --as-of, both in --time-unit; monetary_value is\n"
      "the mean spend of the repeat periods (0 without any). With --calibration-end the summary\n"
      "stops there and frequency_holdout,monetary_value_holdout,duration_holdout describe the\n"
      "holdout, up to --observation-end. CSV by default.");
  add_purchase_input_options(line, input_settings);
  auto option = line.options().add_options();
  option("period",
         po::value(&settings.period)->value_name("PERIOD")->default_value(settings.period),
         "purchases of a customer within one period count once: day, week or month");
  option("time-unit", po::value(&settings.time_unit)->value_name("UNIT"),
         "unit of recency, T and duration_holdout: day, week or month; default: the period "
         "(--period day --time-unit week gives the CDNOW summaries)");
  option("as-of", po::value(&settings.as_of)->value_name("DATE"),
         "the last day observed (YYYY-MM-DD, inclusive); later purchases are ignored; default: "
         "the day of the latest purchase");
  option("calibration-end", po::value(&settings.calibration_end)->value_name("DATE"),
         "split: the last day of the calibration period (the holdout starts the next day)");
  option("observation-end", po::value(&settings.observation_end)->value_name("DATE"),
         "with --calibration-end: the last day of the holdout; default: the day of the latest "
         "purchase");
  option("output,o", po::value(&settings.output)->value_name("FILE"),
         "write the result to FILE instead of standard output");
  add_format_option(line, settings.format, "csv");
  if (!line.parse(args, context.out)) return 0;

  const OutputFormat format = format_option(line, settings.format);
  const PurchaseInput input = purchase_input(line, input_settings);
  const analytics::Period period = period_option(line, "--period", settings.period);
  std::optional<analytics::Period> time_unit;
  if (line.given("time-unit")) time_unit = period_option(line, "--time-unit", settings.time_unit);
  const std::optional<Date> as_of = date_option(line, "--as-of", settings.as_of);
  const std::optional<Date> calibration_end =
      date_option(line, "--calibration-end", settings.calibration_end);
  const std::optional<Date> observation_end =
      date_option(line, "--observation-end", settings.observation_end);
  if (calibration_end && as_of) {
    line.fail(
        "--as-of and --calibration-end cannot be combined: the calibration ends at "
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
  if (line.given("output") && settings.output.empty()) {
    line.fail(invalid_value_message("--output", settings.output, "expected a file name"));
  }

  const analytics::PurchaseData purchases = load_purchases(input);
  analytics::CustomerSummary summary;
  std::optional<analytics::CalibrationHoldout> split;
  if (calibration_end) {
    analytics::HoldoutOptions options;
    options.calibration_end = *calibration_end;
    options.observation_end = observation_end;
    options.period = period;
    options.time_unit = time_unit;
    options.threads = input.threads;
    split = analytics::calibration_holdout_summary(purchases.view(), options);
  } else {
    analytics::SummaryOptions options;
    options.period = period;
    options.time_unit = time_unit;
    options.as_of = as_of;
    options.threads = input.threads;
    summary = analytics::customer_summary(purchases.view(), options);
  }
  const analytics::CustomerSummary& rows = split ? split->calibration : summary;

  Results results;
  results.columns = summary_columns(split.has_value());
  results.rows = rows.size();
  results.cell = [&](std::size_t row, std::size_t column) -> Cell {
    switch (column) {
      case 5:
        return split->holdout_frequency[row];
      case 6:
        return split->holdout_monetary_value[row];
      case 7:
        return split->holdout_duration;
      default:
        return summary_cell(rows, row, column);
    }
  };

  const auto write = [&](std::ostream& out) {
    if (format != OutputFormat::json) {
      write_results(out, format, results);
      return;
    }
    Json document = summary_head(rows);
    if (split) {
      document["calibration_end"] = format_date(rows.as_of);
      document["observation_end"] = format_date(split->observation_end);
      document["duration_holdout"] = split->holdout_duration;
    }
    document["customers"] = results_json(results);
    print_json(out, document);
  };
  if (settings.output.empty()) {
    write(context.out);
  } else {
    write_file(settings.output, write);
  }
  return 0;
}

}  // namespace crmkit::cli
