// `crmkit abc`: ABC (Pareto) analysis: customers ranked by revenue, in classes A, B and C by the
// cumulative share of revenue.

#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/purchase_input.hpp"
#include "crmkit/analytics/abc.hpp"

namespace crmkit::cli {

namespace {

constexpr std::array<std::string_view, 3> class_names{"A", "B", "C"};

std::string_view class_name(analytics::AbcClass abc_class) {
  return class_names.at(static_cast<std::size_t>(abc_class));
}

// A threshold must be a share: 0 < a <= b <= 1.
double threshold(const CommandLine& line, std::string_view option, double value, double min,
                 bool min_allowed, std::string_view expectation) {
  const bool above_min = min_allowed ? value >= min : value > min;
  if (!std::isfinite(value) || !above_min || value > 1.0) {
    line.fail(invalid_value_message(option, fmt::format("{}", value), expectation));
  }
  return value;
}

}  // namespace

int run_abc(const Args& args, Context& context) {
  PurchaseInputSettings input_settings;
  const analytics::AbcOptions defaults;
  double a = defaults.a;
  double b = defaults.b;
  std::string as_of_text;
  std::string output;
  std::string format_text;
  CommandLine line(
      "crmkit abc", "(--input FILE | --db PATH) [options]",
      "Ranks customers by revenue (the sum of their purchases, descending, ties by id) and puts\n"
      "them in classes: A while the customers ranked before hold less than --a of the revenue\n"
      "(so the customer that crosses it is still A), B below --b, C after, as is every customer\n"
      "without positive revenue. Prints the classes: customers, their share, revenue and its "
      "share\n"
      "of the positive revenue. --output also writes every customer:\n"
      "rank,customer_id,revenue,cumulative_share,class.");
  add_purchase_input_options(line, input_settings);
  auto option = line.options().add_options();
  option("a", po::value(&a)->value_name("SHARE")->default_value(a),
         "cumulative revenue share of class A, above 0 and at most 1");
  option("b", po::value(&b)->value_name("SHARE")->default_value(b),
         "cumulative revenue share of classes A and B, from --a to 1");
  option("as-of", po::value(&as_of_text)->value_name("DATE"),
         "the last day counted (YYYY-MM-DD, inclusive); later purchases are ignored; default: "
         "every purchase");
  option("output,o", po::value(&output)->value_name("FILE"),
         "also write every customer's rank, revenue, cumulative share and class to FILE as CSV");
  add_format_option(line, format_text);
  if (!line.parse(args, context.out)) return 0;

  const OutputFormat format = output_format(line, format_text);
  const PurchaseInput input = purchase_input(line, input_settings);
  analytics::AbcOptions options;
  options.a = threshold(line, "--a", a, 0.0, false, "expected a share above 0 and at most 1");
  options.b = threshold(line, "--b", b, options.a, true,
                        fmt::format("expected a share from --a ({}) to 1", options.a));
  options.as_of = date_option(line, "--as-of", as_of_text);
  if (line.given("output") && output.empty()) {
    line.fail(invalid_value_message("--output", output, "expected a file name"));
  }

  const analytics::PurchaseData purchases = load_purchases(input);
  const analytics::AbcResult result = analytics::abc_analysis(purchases.view(), options);

  if (!output.empty()) {
    Results customers;
    customers.columns = {{"rank"}, {"customer_id"}, {"revenue"}, {"cumulative_share"}, {"class"}};
    customers.rows = result.size();
    customers.cell = [&](std::size_t row, std::size_t column) -> Cell {
      switch (column) {
        case 0:
          return static_cast<std::int64_t>(row + 1);
        case 1:
          return result.customer_ids[row];
        case 2:
          return result.revenue[row];
        case 3:
          return result.cumulative_share[row];
        default:
          return class_name(result.classes[row]);
      }
    };
    write_file(output, [&](std::ostream& out) { write_csv(out, customers); });
  }

  Results classes;
  classes.columns = {{"class", TableStyle::plain, 2, false},
                     {"customers", TableStyle::count},
                     {"customer_share", TableStyle::percent, 1},
                     {"revenue", TableStyle::plain, 2},
                     {"revenue_share", TableStyle::percent, 1}};
  classes.rows = result.totals.size();
  classes.cell = [&](std::size_t row, std::size_t column) -> Cell {
    const analytics::AbcClassTotals& totals = result.totals[row];
    switch (column) {
      case 0:
        return class_names[row];
      case 1:
        return totals.customers;
      case 2:
        return totals.customer_share;
      case 3:
        return totals.revenue;
      default:
        return totals.revenue_share;
    }
  };
  if (format != OutputFormat::json) {
    write_results(context.out, format, classes);
    return 0;
  }
  Json document = Json::object();
  document["a"] = options.a;
  document["b"] = options.b;
  document["as_of"] = options.as_of ? Json(format_date(*options.as_of)) : Json(nullptr);
  document["customers"] = result.size();
  document["total_revenue"] = result.total_revenue;
  document["classes"] = results_json(classes);
  print_json(context.out, document);
  return 0;
}

}  // namespace crmkit::cli
