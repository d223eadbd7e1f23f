// The `crmkit` program: everything happens in run_cli(), which the tests run in-process.

#include <iostream>
#include <string>
#include <vector>

#include "cli/run_cli.hpp"

int main(int argc, char* argv[]) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return crmkit::cli::run_cli(args, std::cout, std::cerr);
}
