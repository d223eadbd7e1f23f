#pragma once
// The customer summary files of `crmkit clv`: CSV with one row per customer (or per pattern, with
// a weight), read as columns of doubles, the columns found by their well-known names (those of
// `lifetimes`, of the Fader-Hardie data sets and of BTYD) unless a flag names them.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace crmkit::cli {

/// The columns the flags name; an empty name means "find it by its usual names".
struct SummaryColumnNames {
  std::string frequency;  ///< --frequency-column
  std::string recency;    ///< --recency-column
  std::string T;          ///< --T-column
  std::string monetary;   ///< --monetary-column
  std::string weights;    ///< --weights-column
};

/// What a command needs from the file.
struct SummaryFileNeeds {
  bool recency_and_T = true;  ///< the transaction models need t_x and T; Gamma-Gamma does not
  bool monetary = false;      ///< the mean repeat spend must be there
  bool discrete = false;      ///< BG/BB: T may also be called `periods` or `n`
  bool ids = false;           ///< read a customer id column when there is one
};

/// A summary file read into columns. Absent optional columns are empty vectors.
struct SummaryFile {
  std::string path;                    ///< as given, for messages
  std::vector<std::string> header;     ///< the file's column names
  std::string frequency_column;        ///< the column read as x
  std::string recency_column;          ///< the column read as t_x (empty when not needed)
  std::string T_column;                ///< the column read as T (empty when not needed)
  std::string monetary_column;         ///< the column read as mean spend (empty when absent)
  std::string weights_column;          ///< the column read as weights (empty when absent)
  std::string id_column;               ///< the customer id column (empty when absent)
  std::vector<double> frequency;       ///< x
  std::vector<double> recency;         ///< t_x
  std::vector<double> T;               ///< T (or n)
  std::vector<double> monetary_value;  ///< mean repeat spend
  std::vector<double> weights;         ///< customers per row
  std::vector<std::uint64_t> lines;    ///< the line each row starts on, for messages
  /// The customer ids as written, end to end: id `i` ends at `id_ends[i]`. One buffer rather
  /// than a string per row: a million customers are a million rows.
  std::string id_text;
  std::vector<std::size_t> id_ends;  ///< see id_text

  /// Number of rows.
  [[nodiscard]] std::size_t size() const noexcept { return frequency.size(); }
  /// Whether the file has a customer id column.
  [[nodiscard]] bool has_ids() const noexcept { return !id_column.empty(); }
  /// The customer id of `row` as written (only with has_ids()).
  [[nodiscard]] std::string_view id(std::size_t row) const noexcept {
    const std::size_t begin = row == 0 ? 0 : id_ends[row - 1];
    return std::string_view(id_text).substr(begin, id_ends[row] - begin);
  }
};

/// Reads `path` (CSV with a header, plain or gzip). Columns named by a flag must exist; the
/// others are looked up by their usual names: frequency or x; recency or t_x; T (also periods or
/// n when `discrete`); monetary_value, zbar or m; weights, weight or count; customer_id, ID or id.
/// @throws Error naming the columns tried and found when a needed column is missing; ParseError
/// naming the file, line and column of a cell that is not a finite number.
[[nodiscard]] SummaryFile read_summary_file(const std::string& path,
                                            const SummaryColumnNames& names,
                                            const SummaryFileNeeds& needs);

}  // namespace crmkit::cli
