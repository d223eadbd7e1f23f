#pragma once
// The RFM flags that `crmkit rfm`, `crmkit segments` and `crmkit kmeans` share, and the
// segment rules file of --rules.

#include <string>

#include "cli/command_line.hpp"
#include "crmkit/analytics/rfm.hpp"
#include "crmkit/analytics/segments.hpp"

namespace crmkit::cli {

/// The RFM flags as typed.
struct RfmSettings {
  std::string as_of;             ///< --as-of DATE
  std::string period = "day";    ///< --period
  long long bins = 5;            ///< --bins N
  std::string binning = "rank";  ///< --binning
  std::string rules;             ///< --rules FILE
};

/// Adds --as-of and --period: the window and the purchase period of the RFM values.
void add_rfm_window_options(CommandLine& line, RfmSettings& settings);

/// Adds --bins and --binning: how values become scores.
void add_rfm_scoring_options(CommandLine& line, RfmSettings& settings);

/// Adds --rules FILE.
void add_rules_option(CommandLine& line, RfmSettings& settings);

/// The RFM options the flags give. @throws UsageError (through `line`) naming a bad flag.
[[nodiscard]] analytics::RfmOptions rfm_options(const CommandLine& line,
                                                const RfmSettings& settings, unsigned threads);

/// The segment rules: read from --rules FILE, else the standard grid, which needs 5 bins.
/// @throws UsageError (through `line`) when there is no rules file and `bins` is not 5, with
/// `alternative` appended to the message (e.g. ` or --no-segments`); ParseError naming the file,
/// line and column of a bad rules file; Error when it cannot be read.
[[nodiscard]] analytics::SegmentRules segment_rules(const CommandLine& line,
                                                    const RfmSettings& settings, int bins,
                                                    const std::string& alternative);

/// Reads a rules file: a header naming the column `label` and any of `r_min`, `r_max`, `f_min`,
/// `f_max`, `m_min`, `m_max`, then one rule per row, tried in order. An empty cell (or `*`)
/// admits any score. A last row that admits every score is the fallback: its label names the
/// customers no other rule matches (otherwise they are `Other`).
/// @throws ParseError naming the file, line, column and cell of the first error (a score outside
/// 1..bins, a range whose min exceeds its max, an empty label, an unknown or repeated column, a
/// row admitting every score before the last, no rule at all); Error when the file cannot be read.
[[nodiscard]] analytics::SegmentRules read_segment_rules(const std::string& file, int bins);

}  // namespace crmkit::cli
