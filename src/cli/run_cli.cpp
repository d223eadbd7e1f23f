#include "cli/run_cli.hpp"

#include <exception>
#include <iostream>
#include <new>

#include <unistd.h>

#include <fmt/format.h>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "crmkit/version.hpp"

namespace crmkit::cli {

namespace {

// A caller's ostream says nothing about the file behind it: only the process's own standard
// error can be asked whether it is a terminal.
bool is_terminal_stderr(const std::ostream& stream) {
  return (&stream == &std::cerr || &stream == &std::clog) && ::isatty(STDERR_FILENO) == 1;
}

int run_help(const Args& words, Context& context);

CommandGroup program() {
  return {"crmkit",
          "<command> [options]",
          "crmkit, the command line of the crmkit CRM library: imports CSV data into a store (an\n"
          "SQLite file by default), reads it back, and analyses purchases (summary, rfm,\n"
          "segments, kmeans, cohorts, abc) and fits customer-lifetime-value models (clv). Every\n"
          "command takes --db PATH, or reads $CRMKIT_DB; the analyses also read a CSV file with\n"
          "--input FILE. 'crmkit --version' prints the version.\n\n"
          "Exit status: 0 on success, 1 when the command failed, 2 for a usage error.",
          {
              {"import", "import customers, purchases or interactions from CSV", run_import},
              {"customers", "list, show and find customers", run_customers},
              {"timeline", "show a customer's timeline, newest first", run_timeline},
              {"stats", "count the records of each kind", run_stats},
              {"export", "export customers, purchases or interactions as CSV", run_export},
              {"summary", "per-customer frequency, recency, T and monetary value (lifetimes)",
               run_summary},
              {"rfm", "RFM scores and segment of every customer", run_rfm},
              {"segments", "customers, revenue and mean RFM values per segment", run_segments},
              {"kmeans", "k-means clusters of the customers' RFM values", run_kmeans},
              {"cohorts", "acquisition cohorts: retention, active customers or revenue by age",
               run_cohorts},
              {"abc", "ABC (Pareto) classes of customers by revenue", run_abc},
              {"clv", "customer-lifetime-value models: fit, and predict P(alive), purchases and CLV",
               run_clv},
              {"help", "show the help of a command, e.g. crmkit help import purchases", run_help},
          }};
}

// `crmkit help import purchases` is `crmkit import purchases --help`.
int run_help(const Args& words, Context& context) {
  Args with_help = words;
  with_help.emplace_back("--help");
  return dispatch(program(), with_help, context);
}

int run_program(const Args& args, Context& context) {
  if (!args.empty() && args.front() == "--version") {
    context.out << "crmkit " << crmkit::version << '\n';
    return exit_ok;
  }
  return dispatch(program(), args, context);
}

void print_usage_error(std::ostream& err, const UsageError& error) {
  print_error(err, error.what());
  err << "usage: " << error.usage() << '\n'
      << fmt::format("Run '{} --help' for more information.\n", error.command());
}

}  // namespace

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  Context context{out, err, is_terminal_stderr(err)};
  try {
    return run_program(args, context);
  } catch (const UsageError& error) {
    print_usage_error(err, error);
    return exit_usage;
  } catch (const std::bad_alloc&) {
    print_error(err, "out of memory");
  } catch (const std::exception& error) {
    // crmkit::Error and the standard library's failures alike: their messages say what failed.
    print_error(err, error.what());
  }
  return exit_failure;
}

}  // namespace crmkit::cli
