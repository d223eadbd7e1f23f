// `crmkit summary`: the lifetimes customer summary, and its calibration/holdout split.
//
// The fixture tests/data/cli/analytics/purchases.csv by day, as of its latest day 2024-03-31
// (2024 is a leap year), worked by hand and checked with pandas (x: repeat days; t_x: first to
// last day; T: first day to as_of; monetary_value: mean total of the repeat days):
//
//   customer  purchase days (day totals)               x  t_x  T   monetary_value
//   1         01-05 (150), 02-10 (25.5), 03-30 (40)    2  85   86  (25.5 + 40) / 2 = 32.75
//   2         01-20 (20), 03-01 (30)                   1  41   71  30
//   3         02-03 (300), 03-30 (-50)                 1  56   57  -50
//   4         02-28 (10)                               0  0    32  0
//   5         03-15 (5.25)                             0  0    16  0
//   6         03-31 (80)                               0  0    0   0

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

Result summary(const std::vector<std::string>& more = {}) {
  return cli_test::run_on_file("summary", fixture, more);
}

const std::string expected_csv =
    "customer_id,frequency,recency,T,monetary_value\n"
    "1,2,85,86,32.75\n"
    "2,1,41,71,30\n"
    "3,1,56,57,-50\n"
    "4,0,0,32,0\n"
    "5,0,0,16,0\n"
    "6,0,0,0,0\n";

}  // namespace

TEST_CASE("summary writes the lifetimes columns as CSV by default", "[cli][analytics]") {
  CHECK(succeeded(summary()).out == expected_csv);
  CHECK(succeeded(summary({"--as-of", "2024-03-31", "--period", "day"})).out == expected_csv);
}

TEST_CASE("summary as a table and as JSON", "[cli][analytics]") {
  CHECK(succeeded(summary({"--format", "table"})).out ==
        "customer_id  frequency  recency      T  monetary_value\n"
        "-----------  ---------  -------  -----  --------------\n"
        "          1          2    85.00  86.00           32.75\n"
        "          2          1    41.00  71.00           30.00\n"
        "          3          1    56.00  57.00          -50.00\n"
        "          4          0     0.00  32.00            0.00\n"
        "          5          0     0.00  16.00            0.00\n"
        "          6          0     0.00   0.00            0.00\n");
  const json document = json::parse(succeeded(summary({"--format", "json"})).out);
  CHECK(document.at("period") == "day");
  CHECK(document.at("time_unit") == "day");
  CHECK(document.at("as_of") == "2024-03-31");
  REQUIRE(document.at("customers").size() == 6);
  CHECK(document.at("customers")[0] == json{{"customer_id", 1},
                                            {"frequency", 2},
                                            {"recency", 85.0},
                                            {"T", 86.0},
                                            {"monetary_value", 32.75}});
}

TEST_CASE("summary periods and time units", "[cli][analytics]") {
  SECTION("--period month") {
    // Months since the first purchase month: 1 bought in Jan, Feb, Mar (x = 2, t_x = T = 2);
    // 2 in Jan and Mar (x = 1, t_x = T = 2); 3 in Feb and Mar (x = 1, t_x = T = 1); 4 in Feb
    // (T = 1); 5 and 6 in Mar (T = 0). Monetary values are month totals: as by day here.
    CHECK(succeeded(summary({"--period", "month"})).out ==
          "customer_id,frequency,recency,T,monetary_value\n"
          "1,2,2,2,32.75\n"
          "2,1,2,2,30\n"
          "3,1,1,1,-50\n"
          "4,0,0,1,0\n"
          "5,0,0,0,0\n"
          "6,0,0,0,0\n");
  }
  SECTION("--time-unit week measures days in weeks (the CDNOW convention)") {
    const json document =
        json::parse(succeeded(summary({"--time-unit", "week", "--format", "json"})).out);
    CHECK(document.at("period") == "day");
    CHECK(document.at("time_unit") == "week");
    const json& first = document.at("customers")[0];
    CHECK(first.at("frequency") == 2);
    CHECK(first.at("recency").get<double>() == Approx(85.0 / 7.0));
    CHECK(first.at("T").get<double>() == Approx(86.0 / 7.0));
  }
  SECTION("--period month --time-unit day uses the mean month, 30.436875 days") {
    const json document = json::parse(
        succeeded(summary({"--period", "month", "--time-unit", "day", "--format", "json"})).out);
    CHECK(document.at("customers")[0].at("recency").get<double>() == Approx(2 * 30.436875));
  }
}

TEST_CASE("summary with a calibration/holdout split", "[cli][analytics]") {
  // Calibration up to 2024-02-29: 1 bought 01-05 and 02-10 (x = 1, t_x = 36, T = 55, mv 25.5);
  // 2 on 01-20 (T = 40); 3 on 02-03 (T = 26); 4 on 02-28 (T = 1). 5 and 6 first bought in the
  // holdout: left out, as lifetimes does. Holdout 03-01..03-31 (31 days): 1 bought on 03-30 (40),
  // 2 on 03-01 (30), 3 on 03-30 (-50), 4 never.
  CHECK(succeeded(summary({"--calibration-end", "2024-02-29"})).out ==
        "customer_id,frequency,recency,T,monetary_value,frequency_holdout,monetary_value_holdout,"
        "duration_holdout\n"
        "1,1,36,55,25.5,1,40,31\n"
        "2,0,0,40,0,1,30,31\n"
        "3,0,0,26,0,1,-50,31\n"
        "4,0,0,1,0,0,0,31\n");
  SECTION("--observation-end shortens the holdout") {
    // 03-01..03-15: only 2 (03-01, 30) bought; 15 days.
    CHECK(succeeded(summary({"--calibration-end", "2024-02-29", "--observation-end", "2024-03-15"}))
              .out ==
          "customer_id,frequency,recency,T,monetary_value,frequency_holdout,monetary_value_holdout,"
          "duration_holdout\n"
          "1,1,36,55,25.5,0,0,15\n"
          "2,0,0,40,0,1,30,15\n"
          "3,0,0,26,0,0,0,15\n"
          "4,0,0,1,0,0,0,15\n");
  }
  SECTION("JSON names the split") {
    const json document = json::parse(
        succeeded(summary({"--calibration-end", "2024-02-29", "--format", "json"})).out);
    CHECK(document.at("calibration_end") == "2024-02-29");
    CHECK(document.at("observation_end") == "2024-03-31");
    CHECK(document.at("duration_holdout") == 31.0);
    CHECK(document.at("customers")[2].at("monetary_value_holdout") == -50.0);
  }
}

TEST_CASE("summary reads a store, writes --output, on any number of threads", "[cli][analytics]") {
  const TempStore store;
  REQUIRE(store.run({"import", "purchases", fixture, "--currency", "GBP", "-q"}).status == 0);
  CHECK(succeeded(store.run({"summary"})).out == expected_csv);

  const std::string file = store.file("summary.csv");
  CHECK(succeeded(summary({"--output", file})).out.empty());
  CHECK(cli_test::read_text(file) == expected_csv);

  for (const char* threads : {"1", "2", "3"}) {
    INFO("threads " << threads);
    CHECK(succeeded(summary({"--threads", threads})).out == expected_csv);
  }
}

TEST_CASE("summary of a file without purchases", "[cli][analytics]") {
  CHECK(succeeded(cli_test::run({"summary", "--input", data_file("analytics/empty.csv")})).out ==
        "customer_id,frequency,recency,T,monetary_value\n");
}

TEST_CASE("summary usage errors", "[cli][analytics]") {
  struct Case {
    std::vector<std::string> more;
    std::string message;
  };
  const std::vector<Case> cases{
      {{"--calibration-end", "2024-02-29", "--as-of", "2024-03-31"},
       "--as-of and --calibration-end cannot be combined"},
      {{"--observation-end", "2024-03-31"}, "--observation-end needs --calibration-end"},
      {{"--calibration-end", "2024-02-29", "--observation-end", "2024-02-01"},
       "invalid value '2024-02-01' for --observation-end: expected a day on or after "
       "--calibration-end 2024-02-29"},
      {{"--time-unit", "year"},
       "invalid value 'year' for --time-unit: expected one of day, week, month"},
      {{"--calibration-end", "29/02/2024"}, "invalid value '29/02/2024' for --calibration-end"},
      {{"--period", "quarter"}, "invalid value 'quarter' for --period"},
  };
  for (const Case& c : cases) {
    INFO(c.message);
    const Result result = summary(c.more);
    CHECK(result.status == 2);
    CHECK(result.out.empty());
    CHECK_THAT(result.err, Contains(c.message));
    CHECK_THAT(result.err, Contains("usage: crmkit summary (--input FILE | --db PATH) [options]"));
  }
}

TEST_CASE("summary --help", "[cli][analytics]") {
  const Result result = succeeded(cli_test::run({"summary", "--help"}));
  CHECK_THAT(result.out,
             StartsWith("usage: crmkit summary (--input FILE | --db PATH) [options]\n"));
  for (const char* flag : {"--period", "--time-unit", "--as-of", "--calibration-end",
                           "--observation-end", "--output", "--format", "--input", "--db"}) {
    CHECK_THAT(result.out, Contains(flag));
  }
}
