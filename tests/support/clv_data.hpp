#pragma once
// The CLV test data of tests/data/clv (origins in its README) as SummaryData, and the rounding to
// significant digits with which the papers report their estimates.

#include <cmath>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "crmkit/analytics/clv/summary_data.hpp"
#include "crmkit/io/csv_reader.hpp"

namespace crmkit::test {

/// Reads the columns `frequency`, `recency`, `time_column` (T, or n for discrete data) and, when
/// given, `weight_column` of the CSV file `tests/data/clv/<file>`.
inline analytics::clv::SummaryData read_clv_summary(std::string_view file,
                                                    std::string_view time_column = "T",
                                                    std::string_view weight_column = {}) {
  io::CsvReader reader(std::string(CRMKIT_TEST_DATA_DIR) + "/clv/" + std::string(file));
  const std::size_t x = *reader.column_index("frequency");
  const std::size_t t_x = *reader.column_index("recency");
  const std::size_t T = *reader.column_index(time_column);
  const auto w = weight_column.empty() ? std::nullopt : reader.column_index(weight_column);
  const auto number = [](std::string_view text) { return std::strtod(std::string(text).c_str(), nullptr); };
  analytics::clv::SummaryData data;
  std::vector<std::string_view> fields;
  while (reader.next(fields)) {
    data.frequency.push_back(number(fields[x]));
    data.recency.push_back(number(fields[t_x]));
    data.T.push_back(number(fields[T]));
    if (w) data.weights.push_back(number(fields[*w]));
  }
  return data;
}

/// The CDNOW sample's 39-week calibration summary (ID,frequency,recency,T; weeks): 2,357 customers.
inline analytics::clv::SummaryData read_cdnow_summary() {
  return read_clv_summary("cdnow_customers_summary.csv");
}

/// The donation data of Fader, Hardie & Shang (2010): 22 (x, t_x, n) patterns with their customer
/// counts (columns frequency,recency,periods,weights).
inline analytics::clv::SummaryData read_donations() {
  return read_clv_summary("donations.csv", "periods", "weights");
}

/// Rounds to `digits` significant digits, as the papers report their estimates.
inline double significant(double value, int digits) {
  const double scale =
      std::pow(10.0, digits - 1 - static_cast<int>(std::floor(std::log10(std::abs(value)))));
  return std::round(value * scale) / scale;
}

}  // namespace crmkit::test
