// The program as a whole: help everywhere, usage errors (exit 2) and failures (exit 1).

#include <string>
#include <vector>

#include "cli_fixture.hpp"
#include "crmkit/version.hpp"

using Catch::Contains;
using Catch::StartsWith;
using cli_test::run;

namespace {

// Every command of the program, as typed before --help.
const std::vector<std::vector<std::string>> all_commands{
    {},
    {"import"},
    {"import", "customers"},
    {"import", "purchases"},
    {"import", "interactions"},
    {"customers"},
    {"customers", "list"},
    {"customers", "show"},
    {"customers", "find"},
    {"timeline"},
    {"stats"},
    {"export"},
    {"export", "customers"},
    {"export", "purchases"},
    {"export", "interactions"},
    {"summary"},
    {"rfm"},
    {"segments"},
    {"kmeans"},
    {"cohorts"},
    {"abc"},
    {"clv"},
    {"clv", "fit"},
    {"clv", "predict"},
};

std::string joined(const std::vector<std::string>& words) {
  std::string text = "crmkit";
  for (const std::string& word : words) text += " " + word;
  return text;
}

}  // namespace

TEST_CASE("every command prints its help with --help and -h, and exits 0", "[cli]") {
  for (const auto& command : all_commands) {
    for (const char* flag : {"--help", "-h"}) {
      std::vector<std::string> args = command;
      args.emplace_back(flag);
      INFO(joined(args));
      const cli_test::Result result = run(args);
      CHECK(result.status == 0);
      CHECK(result.err.empty());
      CHECK_THAT(result.out, StartsWith("usage: " + joined(command) + " "));
      for (const std::string& line : cli_test::lines_of(result.out)) {
        CHECK_FALSE(line.ends_with(' '));  // wrapped help lines are trimmed
      }
    }
  }
}

TEST_CASE("the help of a leaf command lists its options with their defaults", "[cli]") {
  const cli_test::Result result = run({"import", "purchases", "--help"});
  REQUIRE(result.status == 0);
  CHECK_THAT(result.out, Contains("usage: crmkit import purchases FILE"));
  CHECK_THAT(result.out, Contains("--db PATH"));
  CHECK_THAT(result.out, Contains("--customer-column NAME (=customer_id)"));
  CHECK_THAT(result.out, Contains("--on-error MODE (=abort)"));
  CHECK_THAT(result.out, Contains("--batch-size N (=10000)"));
  CHECK_THAT(result.out, Contains("--unit-price-column NAME"));
  CHECK_THAT(result.out, Contains("--strip-decimal-zero-keys"));
  CHECK_THAT(result.out, Contains("--skip-rows-without-customer"));
  CHECK_THAT(result.out, Contains("--currency CODE"));
}

TEST_CASE("a group's help lists its subcommands", "[cli]") {
  const cli_test::Result top = run({"--help"});
  REQUIRE(top.status == 0);
  for (const char* command : {"import", "customers", "timeline", "stats", "export"}) {
    CHECK_THAT(top.out, Contains(std::string("\n  ") + command + " "));
  }
  const cli_test::Result import = run({"import", "--help"});
  for (const char* kind : {"customers", "purchases", "interactions"}) {
    CHECK_THAT(import.out, Contains(std::string("\n  ") + kind + " "));
  }
}

TEST_CASE("crmkit help COMMAND is COMMAND --help", "[cli]") {
  const cli_test::Result help = run({"help", "customers", "find"});
  const cli_test::Result flag = run({"customers", "find", "--help"});
  CHECK(help.status == 0);
  CHECK(help.out == flag.out);
  CHECK_THAT(help.out, StartsWith("usage: crmkit customers find "));
  CHECK(run({"help"}).out == run({"--help"}).out);
}

TEST_CASE("crmkit --version prints the library's version", "[cli]") {
  const cli_test::Result result = run({"--version"});
  CHECK(result.status == 0);
  CHECK(result.out == std::string("crmkit ") + crmkit::version + "\n");
}

TEST_CASE("usage errors exit 2 with the message and the usage on stderr", "[cli]") {
  struct Case {
    std::vector<std::string> args;
    std::string message;
    std::string usage;
  };
  const std::vector<Case> cases{
      {{}, "missing subcommand", "usage: crmkit <command>"},
      {{"frobnicate"}, "unknown subcommand 'frobnicate'", "usage: crmkit <command>"},
      {{"--frobnicate"}, "unknown option '--frobnicate'", "usage: crmkit <command>"},
      {{"import"},
       "missing subcommand: expected one of customers, purchases, interactions",
       "usage: crmkit import <customers|purchases|interactions>"},
      {{"import", "orders", "x.csv"}, "unknown subcommand 'orders'", "usage: crmkit import "},
      {{"import", "purchases", "--db", "x.db"},
       "missing argument FILE",
       "usage: crmkit import purchases FILE"},
      {{"import", "purchases", "a.csv", "b.csv", "--db", "x.db"},
       "too many positional options",
       "usage: crmkit import purchases FILE"},
      {{"import", "purchases", "a.csv", "--db"},
       "the required argument for option '--db' is missing",
       "usage: crmkit import purchases FILE"},
      {{"stats", "--db", "x.db", "--colour"},
       "unrecognised option '--colour'",
       "usage: crmkit stats"},
      // Abbreviations are refused: they would change meaning when a longer option is added.
      {{"stats", "--form", "json", "--db", "x.db"},
       "unrecognised option '--form'",
       "usage: crmkit stats"},
      {{"stats", "--db", "x.db", "--format", "xml"},
       "invalid value 'xml' for --format: expected one of table, csv, json",
       "usage: crmkit stats"},
      {{"customers", "list", "--db", "x.db", "--limit", "ten"},
       "the argument ('ten') for option '--limit' is invalid",
       "usage: crmkit customers list"},
  };
  for (const Case& c : cases) {
    INFO(joined(c.args));
    const cli_test::Result result = run(c.args);
    CHECK(result.status == 2);
    CHECK(result.out.empty());
    CHECK_THAT(result.err, StartsWith("crmkit: error: "));
    CHECK_THAT(result.err, Contains(c.message));
    CHECK_THAT(result.err, Contains(c.usage));
    CHECK_THAT(result.err, Contains("--help' for more information"));
  }
}

TEST_CASE("the store defaults to $CRMKIT_DB, and is required without it", "[cli]") {
  SECTION("neither --db nor CRMKIT_DB: a usage error") {
    const cli_test::ScopedEnv unset("CRMKIT_DB", nullptr);
    const cli_test::Result result = run({"stats"});
    CHECK(result.status == 2);
    CHECK_THAT(result.err, Contains("no store given: pass --db PATH or set CRMKIT_DB"));
  }
  SECTION("CRMKIT_DB names the store") {
    const cli_test::TempStore store;
    REQUIRE(store.run({"import", "purchases", cli_test::data_file("purchases.csv"), "-q"}).status ==
            0);
    const cli_test::ScopedEnv set("CRMKIT_DB", store.db().c_str());
    const cli_test::Result result = run({"stats", "--format", "csv"});
    CHECK(result.status == 0);
    CHECK_THAT(result.out, Contains("purchases,5\n"));
  }
  SECTION("--db wins over CRMKIT_DB") {
    const cli_test::TempStore store;
    const cli_test::ScopedEnv set("CRMKIT_DB", "/nonexistent/crmkit-test/crm.db");
    REQUIRE(store.run({"import", "purchases", cli_test::data_file("purchases.csv"), "-q"}).status ==
            0);
    CHECK(store.run({"stats"}).status == 0);
  }
}

TEST_CASE("the store may be a URI of registered schemes", "[cli]") {
  SECTION("memory: is a fresh, empty store") {
    const cli_test::Result result = run({"stats", "--db", "memory:", "--format", "csv"});
    CHECK(result.status == 0);
    CHECK_THAT(result.out, Contains("customers,0\n"));
  }
  SECTION("sqlite:PATH is the SQLite file at PATH") {
    const cli_test::TempStore store;
    REQUIRE(store.run({"import", "purchases", cli_test::data_file("purchases.csv"), "-q"}).status ==
            0);
    const cli_test::Result result =
        run({"stats", "--db", "sqlite:" + store.db(), "--format", "csv"});
    CHECK(result.status == 0);
    CHECK_THAT(result.out, Contains("purchases,5\n"));
  }
  SECTION("an unknown scheme is a path, and reading a missing path fails") {
    const cli_test::Result result = run({"stats", "--db", "nosuchscheme:crm.db"});
    CHECK(result.status == 1);
    CHECK(result.err ==
          "crmkit: error: no database at 'nosuchscheme:crm.db': check --db, or import "
          "data first\n");
  }
}
