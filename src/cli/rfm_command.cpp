// `crmkit rfm`: RFM values, scores and segments, one row per customer; and the RFM flags and the
// rules file that `segments` and `kmeans` share.

#include "cli/rfm_command.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/purchase_input.hpp"
#include "crmkit/core/error.hpp"
#include "crmkit/io/csv_reader.hpp"

namespace crmkit::cli {

namespace {

constexpr std::array<Choice<analytics::Binning>, 2> binning_choices{{
    {"rank", analytics::Binning::rank},
    {"value", analytics::Binning::value},
}};

// The columns of a rules file; the order of the ranges is that of SegmentRule's members.
enum RuleColumn : std::size_t { label, r_min, r_max, f_min, f_max, m_min, m_max, rule_columns };
constexpr std::array<std::string_view, rule_columns> rule_column_names{
    "label", "r_min", "r_max", "f_min", "f_max", "m_min", "m_max"};

std::string rule_column_list() {
  std::string names;
  for (const std::string_view name : rule_column_names) {
    if (!names.empty()) names += ", ";
    names += name;
  }
  return names;
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) {
    if (!text.empty()) text += ',';
    text += name;
  }
  return text;
}

// Which field of the row holds each rules column, when the header has it.
using ColumnIndexes = std::array<std::optional<std::size_t>, rule_columns>;

ColumnIndexes rule_column_indexes(const io::CsvReader& reader, const std::string& file) {
  ColumnIndexes indexes;
  const std::vector<std::string>& names = reader.columns();
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto* found = std::find(rule_column_names.begin(), rule_column_names.end(), names[i]);
    if (found == rule_column_names.end()) {
      throw ParseError(file, 1, 0, names[i],
                       "is not a column of a rules file: expected " + rule_column_list());
    }
    auto& index = indexes[static_cast<std::size_t>(found - rule_column_names.begin())];
    if (index) throw ParseError(file, 1, 0, names[i], "is a repeated column");
    index = i;
  }
  if (!indexes[label]) {
    throw ParseError(file, 1, 0, joined(names),
                     "has no 'label' column: a rules file has the columns " + rule_column_list() +
                         " (the ranges are optional)");
  }
  return indexes;
}

// Reads one bound of a range from its cell, if the header has the column: nullopt for any score.
std::optional<int> score_bound(const io::CsvReader& reader, const std::string& file,
                               const std::vector<std::string_view>& fields,
                               const ColumnIndexes& indexes, RuleColumn column, int bins) {
  if (!indexes[column]) return std::nullopt;
  const std::size_t field = *indexes[column];
  const std::string_view text = fields[field];
  if (text.empty() || text == "*") return std::nullopt;
  int score = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), score);
  if (error != std::errc{} || end != text.data() + text.size() || score < 1 || score > bins) {
    throw ParseError(file, reader.line_of(field), reader.column_of(field), std::string(text),
                     fmt::format("in column '{}' is not a score from 1 to {} (an empty cell, "
                                 "or *, admits any score)",
                                 rule_column_names[column], bins));
  }
  return score;
}

// The range of one dimension; `any` is cleared when a bound is given.
analytics::ScoreRange score_range(const io::CsvReader& reader, const std::string& file,
                                  const std::vector<std::string_view>& fields,
                                  const ColumnIndexes& indexes, RuleColumn min_column, int bins,
                                  bool& any) {
  const auto max_column = static_cast<RuleColumn>(min_column + 1);
  const std::optional<int> min = score_bound(reader, file, fields, indexes, min_column, bins);
  const std::optional<int> max = score_bound(reader, file, fields, indexes, max_column, bins);
  if (min || max) any = false;
  const analytics::ScoreRange range{min.value_or(1), max.value_or(bins)};
  if (range.min > range.max) {
    // Only possible with both bounds given: a lone bound is within 1..bins.
    const std::size_t field = *indexes[max_column];
    throw ParseError(file, reader.line_of(field), reader.column_of(field),
                     std::string(fields[field]),
                     fmt::format("in column '{}' is below {} {}", rule_column_names[max_column],
                                 rule_column_names[min_column], range.min));
  }
  return range;
}

}  // namespace

void add_rfm_window_options(CommandLine& line, RfmSettings& settings) {
  auto option = line.options().add_options();
  option("as-of", po::value(&settings.as_of)->value_name("DATE"),
         "the last day observed (YYYY-MM-DD, inclusive): recency is measured to it and later "
         "purchases are ignored; default: the day of the latest purchase");
  option("period",
         po::value(&settings.period)->value_name("PERIOD")->default_value(settings.period),
         "purchases of a customer within one period count once in the frequency: day, week or "
         "month");
}

void add_rfm_scoring_options(CommandLine& line, RfmSettings& settings) {
  auto option = line.options().add_options();
  option("bins", po::value(&settings.bins)->value_name("N")->default_value(settings.bins),
         "score bins per dimension, 2 to 100 (5: quintiles)");
  option("binning",
         po::value(&settings.binning)->value_name("METHOD")->default_value(settings.binning),
         "rank (equal-count bins, ties broken by customer id, as pandas qcut of rank(method="
         "'first')) or value (quantile edges: equal values share a score)");
}

void add_rules_option(CommandLine& line, RfmSettings& settings) {
  line.options().add_options()(
      "rules", po::value(&settings.rules)->value_name("FILE"),
      "segment rules, a CSV file with the columns label,r_min,r_max,f_min,f_max,m_min,m_max "
      "(empty: any score), tried in order; a last row admitting every score names the rest; "
      "default: the standard 10-segment grid on R and F (5 bins)");
}

analytics::RfmOptions rfm_options(const CommandLine& line, const RfmSettings& settings,
                                  unsigned threads) {
  analytics::RfmOptions options;
  options.as_of = date_option(line, "--as-of", settings.as_of);
  options.period = period_option(line, "--period", settings.period);
  options.bins = static_cast<int>(checked_integer(line, "--bins", settings.bins, 2, 100));
  options.binning = parse_choice(line, "--binning", settings.binning, binning_choices);
  options.threads = threads;
  return options;
}

analytics::SegmentRules segment_rules(const CommandLine& line, const RfmSettings& settings,
                                      int bins, const std::string& alternative) {
  if (!settings.rules.empty()) return read_segment_rules(settings.rules, bins);
  if (line.given("rules")) {
    line.fail(invalid_value_message("--rules", settings.rules, "expected a file name"));
  }
  if (bins != 5) {
    line.fail(fmt::format(
        "the standard segments are defined on 5 bins, not {}: pass --rules FILE with rules for "
        "{} bins{}",
        bins, bins, alternative));
  }
  return analytics::SegmentRules::standard();
}

analytics::SegmentRules read_segment_rules(const std::string& file, int bins) {
  io::CsvReader reader(file);
  const ColumnIndexes indexes = rule_column_indexes(reader, file);
  const std::size_t label_field = *indexes[label];

  struct ReadRule {
    analytics::SegmentRule rule;
    bool any = true;  // admits every score
    std::uint64_t line = 0;
    std::uint64_t label_column = 0;
  };
  std::vector<ReadRule> read;
  std::vector<std::string_view> fields;
  while (reader.next(fields)) {
    ReadRule entry;
    entry.line = reader.line_of(label_field);
    entry.label_column = reader.column_of(label_field);
    entry.rule.label = std::string(fields[label_field]);
    if (entry.rule.label.empty()) {
      throw ParseError(file, entry.line, entry.label_column, "",
                       "is an empty label: every rule names its segment");
    }
    entry.rule.r = score_range(reader, file, fields, indexes, r_min, bins, entry.any);
    entry.rule.f = score_range(reader, file, fields, indexes, f_min, bins, entry.any);
    entry.rule.m = score_range(reader, file, fields, indexes, m_min, bins, entry.any);
    read.push_back(std::move(entry));
  }
  if (read.empty()) {
    throw Error(fmt::format("{}: no rules: write one rule per row under the header ({})", file,
                            rule_column_list()));
  }

  analytics::SegmentRules rules;
  for (std::size_t i = 0; i < read.size(); ++i) {
    const ReadRule& entry = read[i];
    const bool last = i + 1 == read.size();
    if (entry.any && !last) {
      throw ParseError(file, entry.line, entry.label_column, entry.rule.label,
                       "admits every score, so the rules after it could never match: only the "
                       "last row may (it names the customers no other rule matches)");
    }
    const bool label_taken = std::any_of(
        rules.rules.begin(), rules.rules.end(),
        [&](const analytics::SegmentRule& rule) { return rule.label == entry.rule.label; });
    // A catch-all row is the fallback itself, unless its segment already has rules: then it is
    // one more range of that segment.
    if (entry.any && !label_taken) {
      rules.fallback = entry.rule.label;
    } else {
      rules.rules.push_back(entry.rule);
    }
  }
  rules.validate(bins);
  return rules;
}

int run_rfm(const Args& args, Context& context) {
  PurchaseInputSettings input_settings;
  RfmSettings settings;
  std::string format_text;
  std::string output;
  bool no_segments = false;
  CommandLine line(
      "crmkit rfm", "(--input FILE | --db PATH) [options]",
      "Scores every customer's recency, frequency and monetary value (RFM) and names their\n"
      "segment. One row per customer, in ascending id:\n"
      "customer_id,recency_days,frequency,monetary,r,f,m,segment. recency_days counts the days\n"
      "from the last purchase to --as-of; frequency the purchase periods; monetary the total\n"
      "spend. Scores run from 1 (worst) to --bins (best). CSV by default.");
  add_purchase_input_options(line, input_settings);
  add_rfm_window_options(line, settings);
  add_rfm_scoring_options(line, settings);
  add_rules_option(line, settings);
  auto option = line.options().add_options();
  option("no-segments", po::bool_switch(&no_segments), "leave out the segment column");
  option("output,o", po::value(&output)->value_name("FILE"),
         "write the result to FILE instead of standard output");
  add_format_option(line, format_text, "csv");
  if (!line.parse(args, context.out)) return 0;

  const OutputFormat format = format_option(line, format_text);
  const PurchaseInput input = purchase_input(line, input_settings);
  const analytics::RfmOptions options = rfm_options(line, settings, input.threads);
  if (no_segments && line.given("rules")) {
    line.fail("--rules and --no-segments cannot be combined");
  }
  if (line.given("output") && output.empty()) {
    line.fail(invalid_value_message("--output", output, "expected a file name"));
  }
  std::optional<analytics::SegmentRules> rules;
  if (!no_segments) rules = segment_rules(line, settings, options.bins, ", or --no-segments");

  const analytics::PurchaseData purchases = load_purchases(input);
  const analytics::RfmScores scores = analytics::rfm(purchases.view(), options);
  std::optional<analytics::Segmentation> segments;
  if (rules) segments = analytics::assign_segments(scores, *rules);

  Results results;
  results.columns = {
      {"customer_id"}, {"recency_days"}, {"frequency"}, {"monetary"}, {"r"}, {"f"}, {"m"}};
  if (segments) results.columns.push_back({"segment", TableStyle::plain, 2, false});
  results.rows = scores.size();
  results.cell = [&](std::size_t row, std::size_t column) -> Cell {
    switch (column) {
      case 0:
        return scores.customer_ids[row];
      case 1:
        return std::int64_t{scores.recency_days[row]};
      case 2:
        return scores.frequency[row];
      case 3:
        return scores.monetary[row];
      case 4:
        return std::int64_t{scores.r[row]};
      case 5:
        return std::int64_t{scores.f[row]};
      case 6:
        return std::int64_t{scores.m[row]};
      default:
        return std::string_view(segments->label_of(row));
    }
  };

  const auto write = [&](std::ostream& out) {
    if (format != OutputFormat::json) {
      write_results(out, format, results);
      return;
    }
    Json document = Json::object();
    document["as_of"] = format_date(scores.as_of);
    document["period"] = std::string(analytics::to_string(scores.period));
    document["bins"] = scores.bins;
    document["binning"] = std::string(analytics::to_string(scores.binning));
    document["edges"] = Json{{"recency_days", scores.edges.recency_days},
                             {"frequency", scores.edges.frequency},
                             {"monetary", scores.edges.monetary}};
    document["customers"] = results_json(results);
    print_json(out, document);
  };
  if (output.empty()) {
    write(context.out);
  } else {
    write_file(output, write);
  }
  return 0;
}

}  // namespace crmkit::cli
