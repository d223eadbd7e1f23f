// `crmkit abc`: ABC classes of customers by revenue.
//
// The fixture tests/data/cli/analytics/purchases.csv, by hand: revenues 1: 215.5, 2: 50, 3: 250,
// 4: 10, 5: 5.25, 6: 80; total 610.75 (sums exact in binary). Ranked: 3, 1, 6, 2, 4, 5, with
// cumulative shares 250 / 610.75 = 0.4093327875562833, 465.5 / 610.75 = 0.7621776504297995,
// 545.5 / 610.75 = 0.8931641424478101, 595.5 / 610.75 = 0.9750306999590668,
// 605.5 / 610.75 = 0.9914040114613181, 1. A customer is A while the share before it is below
// 0.8 (3: 0, 1: 0.409, 6: 0.762), B below 0.95 (2: 0.893), else C (4: 0.975, 5: 0.991).
// A: 3 customers, 545.5 (89.3 %); B: 1, 50 (8.2 %); C: 2, 15.25 (2.5 %).

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

Result abc(const std::vector<std::string>& more = {}) {
  return cli_test::run_on_file("abc", fixture, more);
}

const std::string expected_table =
    "class  customers  customer_share  revenue  revenue_share\n"
    "-----  ---------  --------------  -------  -------------\n"
    "A              3           50.0%   545.50          89.3%\n"
    "B              1           16.7%    50.00           8.2%\n"
    "C              2           33.3%    15.25           2.5%\n";

}  // namespace

TEST_CASE("abc prints the class totals as a table by default", "[cli][analytics]") {
  CHECK(succeeded(abc()).out == expected_table);
}

TEST_CASE("abc totals as CSV and JSON", "[cli][analytics]") {
  const std::string csv = succeeded(abc({"--format", "csv"})).out;
  const std::vector<std::string> lines = cli_test::lines_of(csv);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "class,customers,customer_share,revenue,revenue_share");
  CHECK(lines[1] == "A,3,0.5,545.5,0.8931641424478101");
  CHECK_THAT(lines[2], StartsWith("B,1,0.16666666666666"));
  CHECK_THAT(lines[3], StartsWith("C,2,0.33333333333333"));

  const json document = json::parse(succeeded(abc({"--format", "json"})).out);
  CHECK(document.at("a") == 0.8);
  CHECK(document.at("b") == 0.95);
  CHECK(document.at("as_of") == nullptr);
  CHECK(document.at("customers") == 6);
  CHECK(document.at("total_revenue") == 610.75);
  const json& classes = document.at("classes");
  REQUIRE(classes.size() == 3);
  CHECK(classes[1].at("class") == "B");
  CHECK(classes[1].at("revenue") == 50.0);
  CHECK(classes[2].at("revenue").get<double>() == Approx(15.25));
  CHECK(classes[2].at("revenue_share").get<double>() == Approx(15.25 / 610.75));
}

TEST_CASE("abc --output writes every customer and still prints the totals", "[cli][analytics]") {
  const TempStore dir;
  const std::string file = dir.file("abc.csv");
  CHECK(succeeded(abc({"--output", file})).out == expected_table);
  CHECK(cli_test::read_text(file) ==
        "rank,customer_id,revenue,cumulative_share,class\n"
        "1,3,250,0.4093327875562833,A\n"
        "2,1,215.5,0.7621776504297995,A\n"
        "3,6,80,0.8931641424478101,A\n"
        "4,2,50,0.9750306999590668,B\n"
        "5,4,10,0.9914040114613181,C\n"
        "6,5,5.25,1,C\n");
}

TEST_CASE("abc thresholds and as-of", "[cli][analytics]") {
  SECTION("--a 0.5 --b 0.9") {
    // A while the share before is below 0.5: 3 (0), 1 (0.409); B below 0.9: 6 (0.762),
    // 2 (0.893); C: 4, 5.
    const json classes =
        json::parse(succeeded(abc({"--a", "0.5", "--b", "0.9", "--format", "json"})).out)
            .at("classes");
    CHECK(classes[0].at("customers") == 2);
    CHECK(classes[1].at("customers") == 2);
    CHECK(classes[2].at("customers") == 2);
    CHECK(classes[0].at("revenue").get<double>() == Approx(465.5));
  }
  SECTION("--as-of 2024-02-29") {
    // Revenues up to then: 3: 300, 1: 175.5, 2: 20, 4: 10 (total 505.5); shares before each:
    // 0, 0.593, 0.941, 0.980: A, A, B, C.
    const TempStore dir;
    const std::string file = dir.file("abc.csv");
    const json document = json::parse(
        succeeded(abc({"--as-of", "2024-02-29", "--format", "json", "--output", file})).out);
    CHECK(document.at("as_of") == "2024-02-29");
    CHECK(document.at("total_revenue") == 505.5);
    CHECK(cli_test::read_text(file) ==
          "rank,customer_id,revenue,cumulative_share,class\n"
          "1,3,300,0.5934718100890207,A\n"
          "2,1,175.5,0.9406528189910979,A\n"
          "3,2,20,0.9802176063303659,B\n"
          "4,4,10,1,C\n");
  }
}

TEST_CASE("abc reads a store, on any number of threads", "[cli][analytics]") {
  const TempStore store;
  REQUIRE(store.run({"import", "purchases", fixture, "--currency", "GBP", "-q"}).status == 0);
  CHECK(succeeded(store.run({"abc"})).out == expected_table);
  for (const char* threads : {"1", "2", "3"}) {
    CHECK(succeeded(abc({"--threads", threads})).out == expected_table);
  }
}

TEST_CASE("abc usage errors and help", "[cli][analytics]") {
  struct Case {
    std::vector<std::string> more;
    std::string message;
  };
  const std::vector<Case> cases{
      {{"--a", "0"}, "invalid value '0' for --a: expected a share above 0 and at most 1"},
      {{"--a", "1.5"}, "invalid value '1.5' for --a"},
      {{"--b", "0.7"}, "invalid value '0.7' for --b: expected a share from --a (0.8) to 1"},
      {{"--b", "1.01"}, "invalid value '1.01' for --b"},
      {{"--a", "most"}, "the argument ('most') for option '--a' is invalid"},
      {{"--output", ""}, "invalid value '' for --output"},
  };
  for (const Case& c : cases) {
    INFO(c.message);
    const Result result = abc(c.more);
    CHECK(result.status == 2);
    CHECK_THAT(result.err, Contains(c.message));
  }
  const Result help = succeeded(cli_test::run({"abc", "--help"}));
  CHECK_THAT(help.out, StartsWith("usage: crmkit abc (--input FILE | --db PATH) [options]\n"));
  for (const char* flag : {"--a", "--b", "--as-of", "--output", "--format"}) {
    CHECK_THAT(help.out, Contains(flag));
  }
}

TEST_CASE("abc tables group the thousands of amounts", "[cli][analytics]") {
  // Customer 1 spent 1,234,567.50; customer 2 only has a refund of 2,500: class C.
  const TempStore dir;
  const std::string file = dir.file("big.csv");
  {
    std::ofstream out(file);
    out << "customer_id,timestamp,amount\n1,2024-01-01,1234567.50\n2,2024-01-02,-2500\n";
  }
  const std::vector<std::string> lines =
      cli_test::lines_of(succeeded(cli_test::run({"abc", "--input", file})).out);
  REQUIRE(lines.size() == 5);
  CHECK_THAT(lines[2], StartsWith("A              1           50.0%  1,234,567.50"));
  CHECK_THAT(lines[3], StartsWith("B              0            0.0%          0.00"));
  CHECK_THAT(lines[4], StartsWith("C              1           50.0%     -2,500.00"));
  // CSV keeps plain numbers.
  CHECK_THAT(succeeded(cli_test::run({"abc", "--input", file, "--format", "csv"})).out,
             Contains("\nA,1,0.5,1234567.5,1\n"));
}
