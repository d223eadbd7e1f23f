#pragma once
// What every subcommand shares: where it writes, how it reads its command line (through
// Boost.Program_options), its help text and its usage errors.

#include <array>
#include <cstddef>
#include <functional>
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options.hpp>

namespace crmkit::cli {

namespace po = boost::program_options;

/// The words of a command line after the program name.
using Args = std::vector<std::string>;

/// Where a command writes, and what it knows about the terminal.
struct Context {
  std::ostream& out;             ///< results
  std::ostream& err;             ///< diagnostics, progress
  bool err_is_terminal = false;  ///< draw progress bars on `err`
};

/// The command line cannot be understood: run_cli() prints the message and the usage, exits 2.
class UsageError : public std::runtime_error {
 public:
  /// `command` is the full command, e.g. `crmkit import purchases`; `usage` its usage line.
  UsageError(const std::string& message, std::string command, std::string usage);
  /// The full command whose usage was broken.
  [[nodiscard]] const std::string& command() const noexcept { return command_; }
  /// Its usage line, e.g. `crmkit import purchases FILE [options]`.
  [[nodiscard]] const std::string& usage() const noexcept { return usage_; }

 private:
  std::string command_;
  std::string usage_;
};

/// The command line of a leaf command (one that does the work): options, positional arguments,
/// help. Options are added with options().add_options(); `--help` is always there.
class CommandLine {
 public:
  /// @param command full command, e.g. `crmkit import purchases`
  /// @param synopsis what follows it in the usage line, e.g. `FILE [options]`
  /// @param description paragraphs shown by --help under the usage line
  CommandLine(std::string command, std::string synopsis, std::string description);

  /// The options shown by --help.
  [[nodiscard]] po::options_description& options() noexcept { return options_; }
  /// Declares the next positional argument, named `name` (e.g. `FILE`) in help and errors.
  void positional(std::string name, bool required);
  /// Reads `args`. Returns false after printing the help on `out` when `--help` was given.
  /// @throws UsageError for anything Program_options or the positional rules reject.
  [[nodiscard]] bool parse(const Args& args, std::ostream& out);

  /// The positional argument `name`, when given.
  [[nodiscard]] std::optional<std::string> argument(std::string_view name) const;
  /// True when the option was on the command line (not merely defaulted).
  [[nodiscard]] bool given(const std::string& option) const;
  /// Throws a UsageError with this command's usage.
  [[noreturn]] void fail(const std::string& message) const;

  /// `crmkit import purchases FILE [options]`.
  [[nodiscard]] std::string usage() const;
  /// The full help: usage, description, options with their defaults.
  void print_help(std::ostream& out) const;

 private:
  std::string command_;
  std::string synopsis_;
  std::string description_;
  po::options_description options_;
  std::vector<std::pair<std::string, bool>> positionals_;
  po::variables_map values_;
};

/// A subcommand of a group such as `crmkit import`.
struct Subcommand {
  std::string_view name;                          ///< e.g. `purchases`
  std::string_view summary;                       ///< one line for the group's help
  std::function<int(const Args&, Context&)> run;  ///< gets the words after the name
};

/// A command made of subcommands (`crmkit`, `crmkit import`, `crmkit customers`...).
struct CommandGroup {
  std::string command;                  ///< full command, e.g. `crmkit import`
  std::string synopsis;                 ///< usage after the command
  std::string description;              ///< shown by --help
  std::vector<Subcommand> subcommands;  ///< in help order
};

/// Runs the subcommand named by `args[0]` with the remaining words, or prints the group's help
/// for `--help`/`-h`. @throws UsageError for a missing or unknown subcommand.
int dispatch(const CommandGroup& group, const Args& args, Context& context);

/// Prints the help of a group: usage, description and the subcommands with their summaries.
void print_group_help(const CommandGroup& group, std::ostream& out);

/// Prints `crmkit: error: <message>` on `err`: how every failure starts.
void print_error(std::ostream& err, std::string_view message);

/// `invalid value 'x' for --option: <expectation>`.
[[nodiscard]] std::string invalid_value_message(std::string_view option, std::string_view text,
                                                std::string_view expectation);

/// An integer option's value, checked to lie in [min, max]. @throws UsageError (through `line`).
long long checked_integer(const CommandLine& line, std::string_view option, long long value,
                          long long min, long long max);

/// One allowed value of an option taking a name, e.g. `skip` for `--on-error`.
template <class Value>
struct Choice {
  std::string_view name;  ///< as typed on the command line
  Value value;            ///< what it means
};

/// `abort, skip`: the names of `choices`, for help texts and errors.
template <class Value, std::size_t N>
std::string choice_names(const std::array<Choice<Value>, N>& choices) {
  std::string names;
  for (const Choice<Value>& choice : choices) {
    if (!names.empty()) names += ", ";
    names += choice.name;
  }
  return names;
}

/// The value `text` names among `choices`. @throws UsageError (through `line`) otherwise.
template <class Value, std::size_t N>
Value parse_choice(const CommandLine& line, std::string_view option, std::string_view text,
                   const std::array<Choice<Value>, N>& choices) {
  for (const Choice<Value>& choice : choices) {
    if (choice.name == text) return choice.value;
  }
  line.fail(invalid_value_message(option, text, "expected one of " + choice_names(choices)));
}

}  // namespace crmkit::cli
