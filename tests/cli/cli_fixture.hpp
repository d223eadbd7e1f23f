#pragma once
// Helpers of the CLI tests: running `crmkit` in-process, fixture files, and temporary stores.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/run_cli.hpp"
#include "support/temp_file.hpp"

namespace cli_test {

/// What a run of `crmkit` printed, and its exit status.
struct Result {
  int status = -1;
  std::string out;
  std::string err;
};

/// Runs `crmkit args...` in-process.
inline Result run(const std::vector<std::string>& args) {
  std::ostringstream out;
  std::ostringstream err;
  Result result;
  result.status = crmkit::cli::run_cli(args, out, err);
  result.out = out.str();
  result.err = err.str();
  return result;
}

/// Checks that a run succeeded quietly (exit status 0, nothing on standard error) and returns it.
inline Result succeeded(const Result& result) {
  INFO(result.err);
  REQUIRE(result.status == 0);
  CHECK(result.err.empty());
  return result;
}

/// Runs `crmkit <command> --input <file> more...`.
inline Result run_on_file(std::string command, const std::string& file,
                          const std::vector<std::string>& more = {}) {
  std::vector<std::string> args{std::move(command), "--input", file};
  args.insert(args.end(), more.begin(), more.end());
  return run(args);
}

/// A fixture file of tests/data/cli.
inline std::string data_file(std::string_view name) {
  return (std::filesystem::path(CRMKIT_CLI_TEST_DATA_DIR) / name).string();
}

/// An SQLite store in a temporary directory, filled by the CLI's own imports on demand.
class TempStore {
 public:
  /// The `--db` path of the store.
  [[nodiscard]] const std::string& db() const noexcept { return db_; }
  /// A path for another file in the same temporary directory.
  [[nodiscard]] std::string file(std::string_view name) const { return dir_.file(name); }

  /// Runs `crmkit args... --db <this store>`.
  Result run(std::vector<std::string> args) const {
    args.emplace_back("--db");
    args.push_back(db_);
    return cli_test::run(args);
  }

  /// Imports the fixture customers (ids 1 to 5, the national phone numbers read in FR),
  /// purchases (creating customer 6, `N-9`) and interactions, checking each succeeds.
  void import_fixtures() const {
    const std::vector<std::vector<std::string>> imports{
        {"import", "customers", data_file("customers.csv"), "--default-region", "FR", "-q"},
        {"import", "purchases", data_file("purchases.csv"), "-q"},
        {"import", "interactions", data_file("interactions.csv"), "-q"},
    };
    for (const auto& import : imports) {
      const Result result = run(import);
      INFO(result.err);
      REQUIRE(result.status == 0);
    }
  }

 private:
  crmkit::test::TempDir dir_{"cli-test"};
  std::string db_ = dir_.file("crm.db");
};

/// Reads a whole text file.
inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The lines of `text`, without their line breaks.
inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

/// Sets or unsets an environment variable for the life of the object, then restores it.
class ScopedEnv {
 public:
  /// Sets `name` to `value`, or unsets it when `value` is null.
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value != nullptr) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_.c_str(), old_->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }

 private:
  std::string name_;
  std::optional<std::string> old_;
};

}  // namespace cli_test
