#include "cli/id_map.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "crmkit/core/error.hpp"
#include "crmkit/io/csv_reader.hpp"

namespace crmkit::cli {

namespace {

constexpr std::string_view exported_column = "exported_id";
constexpr std::string_view id_column = "id";

std::size_t required_column(const io::CsvReader& reader, std::string_view name) {
  const std::optional<std::size_t> index = reader.column_index(name);
  if (!index) {
    throw ParseError(reader.source(), 1, 0, std::string(name),
                     "is a required column missing from the header of an id map "
                     "(expected exported_id,id)");
  }
  return *index;
}

std::int64_t positive_id(const io::CsvReader& reader, const std::vector<std::string_view>& fields,
                         std::size_t index) {
  const std::string_view text = fields[index];
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value <= 0) {
    throw ParseError(reader.source(), reader.line_of(index), reader.column_of(index),
                     std::string(text), "is not a positive integer id");
  }
  return value;
}

}  // namespace

void save_id_map(const io::CustomerIdMap& map, const std::filesystem::path& file) {
  std::vector<std::pair<std::int64_t, std::int64_t>> pairs;
  pairs.reserve(map.size());
  for (const auto& [exported, id] : map) pairs.emplace_back(exported, id.value());
  std::sort(pairs.begin(), pairs.end());

  std::ofstream out(file, std::ios::binary);
  io::CsvWriter writer(out);
  writer.row({exported_column, id_column});
  for (const auto& [exported, id] : pairs) {
    const std::vector<std::string> cells{std::to_string(exported), std::to_string(id)};
    writer.row(cells);
  }
  out.flush();
  if (!out) {
    throw Error(fmt::format("cannot write the id map {}", quote_value(file.string())));
  }
}

io::CustomerIdMap load_id_map(const std::filesystem::path& file) {
  io::CsvReader reader(file);
  const std::size_t exported_index = required_column(reader, exported_column);
  const std::size_t id_index = required_column(reader, id_column);
  io::CustomerIdMap map;
  std::vector<std::string_view> fields;
  while (reader.next(fields)) {
    map.emplace(positive_id(reader, fields, exported_index),
                CustomerId(positive_id(reader, fields, id_index)));
  }
  return map;
}

}  // namespace crmkit::cli
