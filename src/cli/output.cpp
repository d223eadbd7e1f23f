#include "cli/output.hpp"

#include <array>
#include <ostream>

#include <fmt/format.h>

namespace crmkit::cli {

namespace {

constexpr std::array<Choice<OutputFormat>, 3> format_choices{{
    {"table", OutputFormat::table},
    {"csv", OutputFormat::csv},
    {"json", OutputFormat::json},
}};

}  // namespace

void add_format_option(CommandLine& line, std::string& text) {
  line.options().add_options()("format",
                               po::value(&text)->value_name("FORMAT")->default_value("table"),
                               "output format: table (aligned, for people), csv or json");
}

OutputFormat output_format(const CommandLine& line, const std::string& text) {
  return parse_choice(line, "--format", text, format_choices);
}

void print_rows(std::ostream& out, OutputFormat format, const Table& table) {
  if (format == OutputFormat::csv) {
    print_csv(out, table);
  } else {
    print_aligned(out, table);
  }
}

void print_json(std::ostream& out, const Json& document) { out << document.dump(2) << '\n'; }

std::string format_count(std::uint64_t count) {
  std::string digits = std::to_string(count);
  for (std::size_t i = digits.size(); i > 3; i -= 3) digits.insert(i - 3, 1, ',');
  return digits;
}

std::string format_seconds(std::chrono::duration<double> duration) {
  const double seconds = duration.count();
  return seconds >= 10.0  ? fmt::format("{:.1f} s", seconds)
         : seconds >= 1.0 ? fmt::format("{:.2f} s", seconds)
                          : fmt::format("{:.3f} s", seconds);
}

}  // namespace crmkit::cli
