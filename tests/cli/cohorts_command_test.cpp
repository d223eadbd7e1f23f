// `crmkit cohorts`: acquisition cohorts followed period by period.
//
// The fixture tests/data/cli/analytics/purchases.csv by month, as of 2024-03-31, by hand:
//   cohort 2024-01 (size 2: customers 1, 2):
//     age 0 (Jan): 1 and 2 bought (100 + 50 + 20 = 170); age 1 (Feb): 1 (25.5);
//     age 2 (Mar): 1 (40) and 2 (30) = 70.
//   cohort 2024-02 (size 2: 3, 4): age 0: 3 (300) and 4 (10) = 310; age 1: 3 (a refund, -50).
//   cohort 2024-03 (size 2: 5, 6): age 0: 5.25 + 80 = 85.25.
// Retention = active / size: 1, 0.5, 1; 1, 0.5; 1. Cells after March are not observed.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_fixture.hpp"

using Catch::Contains;
using Catch::StartsWith;
using cli_test::data_file;
using cli_test::Result;
using cli_test::succeeded;
using cli_test::TempStore;
using nlohmann::json;

namespace {

const std::string fixture = data_file("analytics/purchases.csv");

Result cohorts(const std::vector<std::string>& more = {}) {
  return cli_test::run_on_file("cohorts", fixture, more);
}

}  // namespace

TEST_CASE("cohorts prints retention by month as a table by default", "[cli][analytics]") {
  // Unobserved cells are blank; the lines carry no trailing blanks.
  CHECK(succeeded(cohorts()).out ==
        "cohort      size       0      1       2\n"
        "----------  ----  ------  -----  ------\n"
        "2024-01-01     2  100.0%  50.0%  100.0%\n"
        "2024-02-01     2  100.0%  50.0%\n"
        "2024-03-01     2  100.0%\n");
}

TEST_CASE("cohorts metrics as CSV", "[cli][analytics]") {
  SECTION("retention as fractions") {
    CHECK(succeeded(cohorts({"--format", "csv"})).out ==
          "cohort,size,0,1,2\n"
          "2024-01-01,2,1,0.5,1\n"
          "2024-02-01,2,1,0.5,\n"
          "2024-03-01,2,1,,\n");
  }
  SECTION("active customers") {
    CHECK(succeeded(cohorts({"--format", "csv", "--metric", "active"})).out ==
          "cohort,size,0,1,2\n"
          "2024-01-01,2,2,1,2\n"
          "2024-02-01,2,2,1,\n"
          "2024-03-01,2,2,,\n");
  }
  SECTION("revenue, refunds included") {
    CHECK(succeeded(cohorts({"--format", "csv", "--metric", "revenue"})).out ==
          "cohort,size,0,1,2\n"
          "2024-01-01,2,170,25.5,70\n"
          "2024-02-01,2,310,-50,\n"
          "2024-03-01,2,85.25,,\n");
    CHECK(succeeded(cohorts({"--metric", "revenue"})).out ==
          "cohort      size       0       1      2\n"
          "----------  ----  ------  ------  -----\n"
          "2024-01-01     2  170.00   25.50  70.00\n"
          "2024-02-01     2  310.00  -50.00\n"
          "2024-03-01     2   85.25\n");
  }
}

TEST_CASE("cohorts as JSON: every metric over the observed ages", "[cli][analytics]") {
  const json document = json::parse(succeeded(cohorts({"--format", "json"})).out);
  CHECK(document.at("period") == "month");
  CHECK(document.at("as_of") == "2024-03-31");
  CHECK(document.at("ages") == 3);
  const json& rows = document.at("cohorts");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0] == json{{"cohort", "2024-01-01"},
                        {"size", 2},
                        {"active", {2, 1, 2}},
                        {"revenue", {170.0, 25.5, 70.0}},
                        {"retention", {1.0, 0.5, 1.0}}});
  CHECK(rows[1].at("revenue") == json{310.0, -50.0});
  CHECK(rows[2].at("active") == json{2});
}

TEST_CASE("cohorts by week, with empty cohorts", "[cli][analytics]") {
  // 2024-01-01 is a Monday. First purchases: 1 in the week of 01-01, 2 of 01-15, 3 of 01-29,
  // 4 of 02-26, 5 of 03-11, 6 of 03-25 (as_of 03-31, a Sunday): 13 weekly cohorts, 13 ages.
  // Customer 1 bought in the weeks of 01-01 (age 0), 02-05 (age 5) and 03-25 (age 12).
  const Result result = succeeded(cohorts({"--period", "week", "--format", "csv"}));
  const std::vector<std::string> lines = cli_test::lines_of(result.out);
  REQUIRE(lines.size() == 1 + 13);
  CHECK(lines[0] == "cohort,size,0,1,2,3,4,5,6,7,8,9,10,11,12");
  CHECK(lines[1] == "2024-01-01,1,1,0,0,0,0,1,0,0,0,0,0,0,1");
  // No customer started in the week of 01-08: no retention at all.
  CHECK(lines[2] == "2024-01-08,0" + std::string(13, ','));
  CHECK(lines[13] == "2024-03-25,1,1" + std::string(12, ','));
}

TEST_CASE("cohorts --as-of and --db", "[cli][analytics]") {
  // Up to 2024-02-15: cohort Jan (1, 2), and Feb with 3 only (4 bought on 02-28).
  const std::string expected =
      "cohort,size,0,1\n"
      "2024-01-01,2,2,1\n"
      "2024-02-01,1,1,\n";
  CHECK(
      succeeded(cohorts({"--as-of", "2024-02-15", "--metric", "active", "--format", "csv"})).out ==
      expected);
  const TempStore store;
  REQUIRE(store.run({"import", "purchases", fixture, "--currency", "GBP", "-q"}).status == 0);
  CHECK(succeeded(store.run({"cohorts", "--as-of", "2024-02-15", "--metric", "active", "--format",
                             "csv"}))
            .out == expected);
  for (const char* threads : {"1", "2", "3"}) {
    CHECK(succeeded(cohorts({"--threads", threads, "--format", "json"})).out ==
          succeeded(cohorts({"--format", "json"})).out);
  }
}

TEST_CASE("cohorts usage errors and help", "[cli][analytics]") {
  const Result metric = cohorts({"--metric", "churn"});
  CHECK(metric.status == 2);
  CHECK_THAT(
      metric.err,
      Contains("invalid value 'churn' for --metric: expected one of retention, active, revenue"));
  const Result period = cohorts({"--period", "quarter"});
  CHECK(period.status == 2);
  CHECK_THAT(period.err, Contains("invalid value 'quarter' for --period"));
  const Result help = succeeded(cli_test::run({"cohorts", "--help"}));
  CHECK_THAT(help.out, StartsWith("usage: crmkit cohorts (--input FILE | --db PATH) [options]\n"));
  CHECK_THAT(help.out, Contains("--metric"));
}
