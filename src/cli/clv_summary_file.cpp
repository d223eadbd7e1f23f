#include "cli/clv_summary_file.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <system_error>

#include <fmt/format.h>

#include "crmkit/core/error.hpp"
#include "crmkit/io/csv_reader.hpp"

namespace crmkit::cli {

namespace {

// The names each role goes by: lifetimes' (as `crmkit summary` writes them) first, then the
// Fader-Hardie and BTYD data sets' (x, t_x, zbar; donations.csv's periods and weights).
constexpr std::array<std::string_view, 2> frequency_names{"frequency", "x"};
constexpr std::array<std::string_view, 2> recency_names{"recency", "t_x"};
constexpr std::array<std::string_view, 1> T_names{"T"};
// `periods` or `n` only for BG/BB: in a continuous summary a `periods` column could well count
// purchase periods (x + 1), which read as T would fit nonsense without a word.
constexpr std::array<std::string_view, 3> discrete_T_names{"T", "periods", "n"};
constexpr std::array<std::string_view, 3> monetary_names{"monetary_value", "zbar", "m"};
constexpr std::array<std::string_view, 3> weights_names{"weights", "weight", "count"};
constexpr std::array<std::string_view, 3> id_names{"customer_id", "ID", "id"};

template <std::size_t N>
std::string name_list(const std::array<std::string_view, N>& names) {
  std::string text;
  for (const std::string_view name : names) {
    if (!text.empty()) text += ", ";
    text += name;
  }
  return text;
}

std::string header_list(const std::vector<std::string>& header) {
  std::string text;
  for (const std::string& name : header) {
    if (!text.empty()) text += ", ";
    text += name;
  }
  return text.empty() ? "none" : text;
}

// A column found for a role: its index and name.
struct Found {
  std::size_t index = 0;
  std::string name;
};

// The column of a role: the flag's when given (it must exist), else the first usual name the
// file has; nullopt when the role is optional and absent. `flag` is e.g. --recency-column.
template <std::size_t N>
std::optional<Found> find_column(const io::CsvReader& reader, const std::string& path,
                                 const std::string& given, std::string_view flag,
                                 std::string_view role, const std::array<std::string_view, N>& names,
                                 bool required) {
  if (!given.empty()) {
    if (const auto index = reader.column_index(given)) return Found{*index, given};
    throw Error(fmt::format("{} has no column {} ({}); its columns are: {}", path,
                            quote_value(given), flag, header_list(reader.columns())));
  }
  for (const std::string_view name : names) {
    if (const auto index = reader.column_index(name)) return Found{*index, std::string(name)};
  }
  if (!required) return std::nullopt;
  throw Error(fmt::format("{} has no {} column: looked for {}; its columns are: {} (name the "
                          "column with {})",
                          path, role, name_list(names), header_list(reader.columns()), flag));
}

double number(const io::CsvReader& reader, const std::string& path,
              const std::vector<std::string_view>& fields, const Found& column) {
  const std::string_view text = fields[column.index];
  double value = 0;
  const char* const end = text.data() + text.size();
  // from_chars takes no leading '+', which some writers put on positive numbers.
  const char* const begin = !text.empty() && text.front() == '+' ? text.data() + 1 : text.data();
  const auto [stop, error] = std::from_chars(begin, end, value);
  if (text.empty() || error != std::errc{} || stop != end || !std::isfinite(value)) {
    throw ParseError(path, reader.line_of(column.index), reader.column_of(column.index),
                     std::string(text),
                     fmt::format("in column '{}' is not a finite number", column.name));
  }
  return value;
}

}  // namespace

SummaryFile read_summary_file(const std::string& path, const SummaryColumnNames& names,
                              const SummaryFileNeeds& needs) {
  io::CsvReader reader(path);
  SummaryFile file;
  file.path = path;
  file.header = reader.columns();
  const Found frequency = *find_column(reader, path, names.frequency, "--frequency-column",
                                       "frequency", frequency_names, true);
  std::optional<Found> recency;
  std::optional<Found> T;
  if (needs.recency_and_T) {
    recency = find_column(reader, path, names.recency, "--recency-column", "recency",
                          recency_names, true);
    T = needs.discrete ? find_column(reader, path, names.T, "--T-column", "T", discrete_T_names,
                                     true)
                       : find_column(reader, path, names.T, "--T-column", "T", T_names, true);
  }
  const std::optional<Found> monetary = find_column(
      reader, path, names.monetary, "--monetary-column", "monetary value", monetary_names,
      needs.monetary);
  const std::optional<Found> weights = find_column(reader, path, names.weights,
                                                   "--weights-column", "weights", weights_names,
                                                   false);
  const std::optional<Found> id =
      needs.ids ? find_column(reader, path, std::string(), "", "customer id", id_names, false)
                : std::nullopt;

  file.frequency_column = frequency.name;
  if (recency) file.recency_column = recency->name;
  if (T) file.T_column = T->name;
  if (monetary) file.monetary_column = monetary->name;
  if (weights) file.weights_column = weights->name;
  if (id) file.id_column = id->name;

  std::vector<std::string_view> fields;
  while (reader.next(fields)) {
    file.lines.push_back(reader.line());
    file.frequency.push_back(number(reader, path, fields, frequency));
    if (recency) file.recency.push_back(number(reader, path, fields, *recency));
    if (T) file.T.push_back(number(reader, path, fields, *T));
    if (monetary) file.monetary_value.push_back(number(reader, path, fields, *monetary));
    if (weights) file.weights.push_back(number(reader, path, fields, *weights));
    if (id) {
      file.id_text.append(fields[id->index]);
      file.id_ends.push_back(file.id_text.size());
    }
  }
  return file;
}

}  // namespace crmkit::cli
