// `crmkit cohorts`: customers grouped by the period of their first purchase, followed period by
// period: retention, active customers or revenue at each age.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/purchase_input.hpp"
#include "crmkit/analytics/cohorts.hpp"

namespace crmkit::cli {

namespace {

enum class Metric { retention, active, revenue };

constexpr std::array<Choice<Metric>, 3> metric_choices{{
    {"retention", Metric::retention},
    {"active", Metric::active},
    {"revenue", Metric::revenue},
}};

ResultColumn age_column(std::size_t age, Metric metric) {
  switch (metric) {
    case Metric::retention:
      return {std::to_string(age), TableStyle::percent, 1};
    case Metric::active:
      return {std::to_string(age), TableStyle::count};
    case Metric::revenue:
      break;
  }
  return {std::to_string(age), TableStyle::plain, 2};
}

// A cohort without customers has no retention: blank, not a division by zero.
Cell retention_cell(const analytics::CohortTable& table, std::size_t cohort, std::size_t age) {
  if (table.sizes[cohort] == 0) return std::monostate{};
  return table.retention(cohort, age);
}

Json cohort_json(const analytics::CohortTable& table, std::size_t cohort,
                 const std::string& start) {
  Json active = Json::array();
  Json revenue = Json::array();
  Json retention = Json::array();
  for (std::size_t age = 0; table.observed(cohort, age); ++age) {
    active.push_back(table.active_at(cohort, age));
    revenue.push_back(table.revenue_at(cohort, age));
    retention.push_back(table.sizes[cohort] == 0 ? Json(nullptr)
                                                 : Json(table.retention(cohort, age)));
  }
  Json object = Json::object();
  object["cohort"] = start;
  object["size"] = table.sizes[cohort];
  object["active"] = std::move(active);
  object["revenue"] = std::move(revenue);
  object["retention"] = std::move(retention);
  return object;
}

}  // namespace

int run_cohorts(const Args& args, Context& context) {
  PurchaseInputSettings input_settings;
  std::string period_text = "month";
  std::string as_of_text;
  std::string metric_text = "retention";
  std::string format_text;
  CommandLine line(
      "crmkit cohorts", "(--input FILE | --db PATH) [options]",
      "Groups customers into cohorts by the period of their first purchase and follows each\n"
      "cohort: one row per cohort (the first day of its period, its size), one column per age\n"
      "(0 = the acquisition period, 1 = the next...). --metric picks the cells: retention (the\n"
      "share of the cohort that bought at that age; a percentage in tables, a fraction in CSV),\n"
      "active (how many bought) or revenue (what they spent). Cells after --as-of are blank.\n"
      "JSON gives all three per cohort, over the observed ages.");
  add_purchase_input_options(line, input_settings);
  auto option = line.options().add_options();
  option("period", po::value(&period_text)->value_name("PERIOD")->default_value(period_text),
         "cohort and age period: month, week or day");
  option("as-of", po::value(&as_of_text)->value_name("DATE"),
         "the last day observed (YYYY-MM-DD, inclusive); later purchases are ignored; default: "
         "the day of the latest purchase");
  option("metric", po::value(&metric_text)->value_name("METRIC")->default_value(metric_text),
         "the cells of table and CSV output: retention, active or revenue");
  add_format_option(line, format_text);
  if (!line.parse(args, context.out)) return 0;

  const OutputFormat format = output_format(line, format_text);
  const PurchaseInput input = purchase_input(line, input_settings);
  analytics::CohortOptions options;
  options.period = period_option(line, "--period", period_text);
  options.as_of = date_option(line, "--as-of", as_of_text);
  options.threads = input.threads;
  const Metric metric = parse_choice(line, "--metric", metric_text, metric_choices);

  const analytics::PurchaseData purchases = load_purchases(input);
  const analytics::CohortTable table = analytics::cohorts(purchases.view(), options);
  std::vector<std::string> starts;
  starts.reserve(table.size());
  for (const Date& start : table.cohorts) starts.push_back(format_date(start));

  if (format == OutputFormat::json) {
    Json cohorts = Json::array();
    for (std::size_t c = 0; c < table.size(); ++c)
      cohorts.push_back(cohort_json(table, c, starts[c]));
    Json document = Json::object();
    document["period"] = std::string(analytics::to_string(table.period));
    document["as_of"] = format_date(table.as_of);
    document["ages"] = table.ages;
    document["cohorts"] = std::move(cohorts);
    print_json(context.out, document);
    return 0;
  }

  Results results;
  results.columns = {{"cohort", TableStyle::plain, 2, false}, {"size", TableStyle::count}};
  for (std::size_t age = 0; age < table.ages; ++age)
    results.columns.push_back(age_column(age, metric));
  results.rows = table.size();
  results.cell = [&](std::size_t cohort, std::size_t column) -> Cell {
    if (column == 0) return std::string_view(starts[cohort]);
    if (column == 1) return table.sizes[cohort];
    const std::size_t age = column - 2;
    if (!table.observed(cohort, age)) return std::monostate{};
    switch (metric) {
      case Metric::retention:
        return retention_cell(table, cohort, age);
      case Metric::active:
        return table.active_at(cohort, age);
      case Metric::revenue:
        break;
    }
    return table.revenue_at(cohort, age);
  };
  write_results(context.out, format, results);
  return 0;
}

}  // namespace crmkit::cli
