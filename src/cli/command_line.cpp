#include "cli/command_line.hpp"

#include <algorithm>
#include <limits>
#include <ostream>
#include <sstream>
#include <utility>

#include <fmt/format.h>

#include "crmkit/core/error.hpp"

namespace crmkit::cli {

namespace {

// Help lines wrap at about the project's line length.
constexpr unsigned help_width = 100;

// Options must be typed in full: a guessed abbreviation would silently change meaning the day a
// longer option with the same prefix is added.
constexpr int parse_style =
    po::command_line_style::default_style & ~po::command_line_style::allow_guessing;

std::string subcommand_names(const CommandGroup& group) {
  std::string names;
  for (const Subcommand& subcommand : group.subcommands) {
    if (!names.empty()) names += ", ";
    names += subcommand.name;
  }
  return names;
}

std::string group_usage(const CommandGroup& group) {
  return fmt::format("{} {}", group.command, group.synopsis);
}

bool is_help(std::string_view word) { return word == "--help" || word == "-h"; }

// Program_options leaves a blank at the end of the lines it wraps.
std::string without_trailing_blanks(const std::string& text) {
  std::string result;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    line.erase(line.find_last_not_of(' ') + 1);
    result += line;
    result += '\n';
  }
  return result;
}

}  // namespace

UsageError::UsageError(const std::string& message, std::string command, std::string usage)
    : std::runtime_error(message), command_(std::move(command)), usage_(std::move(usage)) {}

CommandLine::CommandLine(std::string command, std::string synopsis, std::string description)
    : command_(std::move(command)),
      synopsis_(std::move(synopsis)),
      description_(std::move(description)),
      options_("Options", help_width, help_width / 2) {
  options_.add_options()("help,h", "show this help and exit");
}

void CommandLine::positional(std::string name, bool required) {
  positionals_.emplace_back(std::move(name), required);
}

bool CommandLine::parse(const Args& args, std::ostream& out) {
  po::options_description hidden;
  po::positional_options_description layout;
  for (const auto& [name, required] : positionals_) {
    hidden.add_options()(name.c_str(), po::value<std::string>());
    layout.add(name.c_str(), 1);
  }
  po::options_description all;
  all.add(options_).add(hidden);
  try {
    po::store(
        po::command_line_parser(args).options(all).positional(layout).style(parse_style).run(),
        values_);
    if (values_.count("help") > 0) {
      print_help(out);
      return false;
    }
    po::notify(values_);
  } catch (const po::error& error) {
    fail(error.what());
  }
  for (const auto& [name, required] : positionals_) {
    if (required && values_.count(name) == 0) fail(fmt::format("missing argument {}", name));
  }
  return true;
}

std::optional<std::string> CommandLine::argument(std::string_view name) const {
  const auto found = values_.find(std::string(name));
  if (found == values_.end()) return std::nullopt;
  return found->second.as<std::string>();
}

bool CommandLine::given(const std::string& option) const {
  const auto found = values_.find(option);
  return found != values_.end() && !found->second.defaulted();
}

void CommandLine::fail(const std::string& message) const {
  throw UsageError(message, command_, usage());
}

std::string CommandLine::usage() const { return fmt::format("{} {}", command_, synopsis_); }

void CommandLine::print_help(std::ostream& out) const {
  std::ostringstream options;
  options << options_;
  out << "usage: " << usage() << "\n\n"
      << description_ << "\n\n"
      << without_trailing_blanks(options.str());
}

int dispatch(const CommandGroup& group, const Args& args, Context& context) {
  if (args.empty()) {
    throw UsageError(fmt::format("missing subcommand: expected one of {}", subcommand_names(group)),
                     group.command, group_usage(group));
  }
  const std::string& word = args.front();
  if (is_help(word)) {
    print_group_help(group, context.out);
    return 0;
  }
  const auto found = std::find_if(group.subcommands.begin(), group.subcommands.end(),
                                  [&](const Subcommand& s) { return s.name == word; });
  if (found != group.subcommands.end()) {
    return found->run(Args(args.begin() + 1, args.end()), context);
  }
  const std::string_view what = word.starts_with('-') ? "option" : "subcommand";
  throw UsageError(fmt::format("unknown {} {} for '{}': expected one of {}", what,
                               quote_value(word), group.command, subcommand_names(group)),
                   group.command, group_usage(group));
}

void print_group_help(const CommandGroup& group, std::ostream& out) {
  std::size_t width = 0;
  for (const Subcommand& subcommand : group.subcommands) {
    width = std::max(width, subcommand.name.size());
  }
  out << "usage: " << group_usage(group) << "\n\n" << group.description << "\n\nCommands:\n";
  for (const Subcommand& subcommand : group.subcommands) {
    out << fmt::format("  {:<{}}  {}\n", subcommand.name, width, subcommand.summary);
  }
  out << fmt::format("\nRun '{} <command> --help' for the options of a command.\n", group.command);
}

void print_error(std::ostream& err, std::string_view message) {
  err << "crmkit: error: " << message << '\n';
}

std::string invalid_value_message(std::string_view option, std::string_view text,
                                  std::string_view expectation) {
  return fmt::format("invalid value {} for {}: {}", quote_value(text), option, expectation);
}

long long checked_integer(const CommandLine& line, std::string_view option, long long value,
                          long long min, long long max) {
  if (value >= min && value <= max) return value;
  const std::string expectation = max == std::numeric_limits<long long>::max()
                                      ? fmt::format("expected an integer of at least {}", min)
                                      : fmt::format("expected an integer from {} to {}", min, max);
  line.fail(invalid_value_message(option, std::to_string(value), expectation));
}

}  // namespace crmkit::cli
