#pragma once
// The `crmkit` program as a function, so that tests can run it in-process.

#include <iosfwd>
#include <string>
#include <vector>

namespace crmkit::cli {

/// Exit status: success.
inline constexpr int exit_ok = 0;
/// Exit status: the command failed (a crmkit::Error or another runtime failure).
inline constexpr int exit_failure = 1;
/// Exit status: the command line could not be understood.
inline constexpr int exit_usage = 2;

/// Runs `crmkit` with `args` (the words after the program name), writing results on `out` and
/// diagnostics on `err`. Never throws: failures print `crmkit: error: <message>` on `err` and
/// return exit_failure; usage errors also print the usage, and return exit_usage.
/// A progress bar is drawn only when `err` is std::cerr (or std::clog) and standard error is a
/// terminal.
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace crmkit::cli
