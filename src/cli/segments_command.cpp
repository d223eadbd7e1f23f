// `crmkit segments`: the RFM segments as a table: customers, revenue and mean RFM values of each.

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/purchase_input.hpp"
#include "cli/rfm_command.hpp"
#include "crmkit/analytics/segments.hpp"

namespace crmkit::cli {

namespace {

// The fallback segment of the standard grid can never have a customer: a row of zeros would only
// puzzle. It is shown whenever a customer falls in it, or when rules name it too.
void drop_empty_fallback(std::vector<analytics::SegmentStats>& stats,
                         const analytics::SegmentRules& rules) {
  if (stats.empty() || stats.back().customers != 0 || stats.back().label != rules.fallback) return;
  const bool ruled =
      std::any_of(rules.rules.begin(), rules.rules.end(),
                  [&](const analytics::SegmentRule& rule) { return rule.label == rules.fallback; });
  if (!ruled) stats.pop_back();
}

}  // namespace

int run_segments(const Args& args, Context& context) {
  PurchaseInputSettings input_settings;
  RfmSettings settings;
  std::string format_text;
  CommandLine line(
      "crmkit segments", "(--input FILE | --db PATH) [options]",
      "Scores customers by RFM (as 'crmkit rfm' does), puts them in segments (the standard grid,\n"
      "or --rules FILE) and prints one row per segment: its customers and their share, its\n"
      "revenue (total spend) and its share, and the mean recency in days, frequency (purchase\n"
      "periods) and monetary value (total spend) of its customers. Tables show shares as\n"
      "percentages; CSV and JSON as fractions (0 to 1).");
  add_purchase_input_options(line, input_settings);
  add_rfm_window_options(line, settings);
  add_rfm_scoring_options(line, settings);
  add_rules_option(line, settings);
  add_format_option(line, format_text);
  if (!line.parse(args, context.out)) return 0;

  const OutputFormat format = output_format(line, format_text);
  const PurchaseInput input = purchase_input(line, input_settings);
  const analytics::RfmOptions options = rfm_options(line, settings, input.threads);
  const analytics::SegmentRules rules = segment_rules(line, settings, options.bins, "");

  const analytics::PurchaseData purchases = load_purchases(input);
  const analytics::RfmScores scores = analytics::rfm(purchases.view(), options);
  const analytics::Segmentation segmentation = analytics::assign_segments(scores, rules);
  std::vector<analytics::SegmentStats> stats = analytics::summarize_segments(scores, segmentation);
  drop_empty_fallback(stats, rules);

  Results results;
  results.columns = {
      {"segment", TableStyle::plain, 2, false},   {"customers", TableStyle::count},
      {"customer_share", TableStyle::percent, 1}, {"revenue", TableStyle::plain, 2},
      {"revenue_share", TableStyle::percent, 1},  {"mean_recency_days", TableStyle::plain, 1},
      {"mean_frequency", TableStyle::plain, 2},   {"mean_monetary", TableStyle::plain, 2}};
  results.rows = stats.size();
  results.cell = [&](std::size_t row, std::size_t column) -> Cell {
    const analytics::SegmentStats& s = stats[row];
    switch (column) {
      case 0:
        return std::string_view(s.label);
      case 1:
        return s.customers;
      case 2:
        return s.customer_share;
      case 3:
        return s.revenue;
      case 4:
        return s.revenue_share;
      case 5:
        return s.mean_recency_days;
      case 6:
        return s.mean_frequency;
      default:
        return s.mean_monetary;
    }
  };

  if (format != OutputFormat::json) {
    write_results(context.out, format, results);
    return 0;
  }
  Json document = Json::object();
  document["as_of"] = format_date(scores.as_of);
  document["period"] = std::string(analytics::to_string(scores.period));
  document["bins"] = scores.bins;
  document["binning"] = std::string(analytics::to_string(scores.binning));
  document["customers"] = scores.size();
  document["segments"] = results_json(results);
  print_json(context.out, document);
  return 0;
}

}  // namespace crmkit::cli
