#pragma once
// How commands print their results: `--format table|csv|json`, and number formatting.

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/command_line.hpp"
#include "cli/table.hpp"

namespace crmkit::cli {

/// JSON documents keep their keys in insertion order, so that an `id` comes first.
using Json = nlohmann::ordered_json;

/// The output formats of `--format`.
enum class OutputFormat {
  table,  ///< aligned columns, for people (the default)
  csv,    ///< RFC 4180 CSV with a header row
  json    ///< one JSON document
};

/// Adds `--format table|csv|json` to `line`, stored in `text`.
void add_format_option(CommandLine& line, std::string& text);

/// The format `text` names. @throws UsageError (through `line`) for other text.
[[nodiscard]] OutputFormat output_format(const CommandLine& line, const std::string& text);

/// Prints `table` as an aligned table or as CSV (never JSON: commands build their JSON).
void print_rows(std::ostream& out, OutputFormat format, const Table& table);

/// Prints a JSON document, indented by two, with a final line break.
void print_json(std::ostream& out, const Json& document);

/// `1,234,567`: a count with thousands separators, for people.
[[nodiscard]] std::string format_count(std::uint64_t count);

/// `2.35 s`, `0.041 s`: a duration in seconds with three significant digits at least.
[[nodiscard]] std::string format_seconds(std::chrono::duration<double> duration);

}  // namespace crmkit::cli
