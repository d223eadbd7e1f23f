// `crmkit segments`: one row per RFM segment, with customers, revenue and mean RFM values.
//
// The fixture tests/data/cli/analytics/purchases.csv is worked by hand in rfm_command_test.cpp:
// customers 1..6 fall in Champions (1), At Risk (2), Loyal Customers (3), Hibernating (4), About to
// Sleep (5) and Potential Loyalists (6), with monetary values 215.5, 50, 250, 10, 5.25 and 80
// (total 610.75, every sum exact in binary), recency days 1, 30, 1, 32, 16, 0 and frequencies
// 3, 2, 2, 1, 1, 1. Revenue shares: 215.5 / 610.75 = 0.3528448628735162 (35.3 %), 250 / 610.75 =
// 0.4093327875562833 (40.9 %), 80 / 610.75 = 0.13098649201801063 (13.1 %), 5.25 / 610.75 =
// 0.008595988538681949 (0.9 %), 50 / 610.75 = 0.08186655751125665 (8.2 %), 10 / 610.75 =
// 0.01637331150225133 (1.6 %).

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

Result segments(const std::vector<std::string>& more = {}) {
  return cli_test::run_on_file("segments", fixture, more);
}

// The standard grid, in its order; the empty fallback segment `Other` is left out.
const std::string expected_csv =
    "segment,customers,customer_share,revenue,revenue_share,mean_recency_days,mean_frequency,"
    "mean_monetary\n"
    "Champions,1,0.16666666666666666,215.5,0.3528448628735162,1,3,215.5\n"
    "Loyal Customers,1,0.16666666666666666,250,0.4093327875562833,1,2,250\n"
    "Potential Loyalists,1,0.16666666666666666,80,0.13098649201801063,0,1,80\n"
    "New Customers,0,0,0,0,0,0,0\n"
    "Promising,0,0,0,0,0,0,0\n"
    "Need Attention,0,0,0,0,0,0,0\n"
    "About to Sleep,1,0.16666666666666666,5.25,0.008595988538681949,16,1,5.25\n"
    "Can't Lose Them,0,0,0,0,0,0,0\n"
    "At Risk,1,0.16666666666666666,50,0.08186655751125665,30,2,50\n"
    "Hibernating,1,0.16666666666666666,10,0.01637331150225133,32,1,10\n";

}  // namespace

TEST_CASE("segments prints the standard grid as a table by default", "[cli][analytics]") {
  CHECK(succeeded(segments()).out ==
        "segment              customers  customer_share  revenue  revenue_share  "
        "mean_recency_days  mean_frequency  mean_monetary\n"
        "-------------------  ---------  --------------  -------  -------------  "
        "-----------------  --------------  -------------\n"
        "Champions                    1           16.7%   215.50          35.3%  "
        "              1.0            3.00         215.50\n"
        "Loyal Customers              1           16.7%   250.00          40.9%  "
        "              1.0            2.00         250.00\n"
        "Potential Loyalists          1           16.7%    80.00          13.1%  "
        "              0.0            1.00          80.00\n"
        "New Customers                0            0.0%     0.00           0.0%  "
        "              0.0            0.00           0.00\n"
        "Promising                    0            0.0%     0.00           0.0%  "
        "              0.0            0.00           0.00\n"
        "Need Attention               0            0.0%     0.00           0.0%  "
        "              0.0            0.00           0.00\n"
        "About to Sleep               1           16.7%     5.25           0.9%  "
        "             16.0            1.00           5.25\n"
        "Can't Lose Them              0            0.0%     0.00           0.0%  "
        "              0.0            0.00           0.00\n"
        "At Risk                      1           16.7%    50.00           8.2%  "
        "             30.0            2.00          50.00\n"
        "Hibernating                  1           16.7%    10.00           1.6%  "
        "             32.0            1.00          10.00\n");
}

TEST_CASE("segments as CSV and JSON carry shares as fractions", "[cli][analytics]") {
  CHECK(succeeded(segments({"--format", "csv"})).out == expected_csv);

  const json document = json::parse(succeeded(segments({"--format", "json"})).out);
  CHECK(document.at("as_of") == "2024-03-31");
  CHECK(document.at("bins") == 5);
  CHECK(document.at("binning") == "rank");
  CHECK(document.at("customers") == 6);
  const json& rows = document.at("segments");
  REQUIRE(rows.size() == 10);
  CHECK(rows[0] == json{{"segment", "Champions"},
                        {"customers", 1},
                        {"customer_share", 1.0 / 6.0},
                        {"revenue", 215.5},
                        {"revenue_share", 215.5 / 610.75},
                        {"mean_recency_days", 1.0},
                        {"mean_frequency", 3.0},
                        {"mean_monetary", 215.5}});
  CHECK(rows[7].at("segment") == "Can't Lose Them");
}

TEST_CASE("segments reads a store, on any number of threads", "[cli][analytics]") {
  const TempStore store;
  REQUIRE(store.run({"import", "purchases", fixture, "--currency", "GBP", "-q"}).status == 0);
  CHECK(succeeded(store.run({"segments", "--format", "csv"})).out == expected_csv);
  for (const char* threads : {"1", "2", "3"}) {
    INFO("threads " << threads);
    CHECK(succeeded(segments({"--format", "csv", "--threads", threads})).out == expected_csv);
  }
}

TEST_CASE("segments with a rules file", "[cli][analytics]") {
  SECTION("the fixture's rules: the last row names everyone else") {
    // Big spenders: 3 (250). Recent: 1 and 6 (215.5 + 80 = 295.5, recency (1 + 0) / 2 = 0.5,
    // frequency (3 + 1) / 2 = 2, monetary 147.75). Everyone else: 2, 4, 5 (50 + 10 + 5.25 =
    // 65.25, recency (30 + 32 + 16) / 3 = 26, frequency 4 / 3, monetary 21.75).
    const json rows =
        json::parse(
            succeeded(segments({"--rules", data_file("analytics/rules.csv"), "--format", "json"}))
                .out)
            .at("segments");
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].at("segment") == "Big spenders");
    CHECK(rows[0].at("customers") == 1);
    CHECK(rows[0].at("revenue") == 250.0);
    CHECK(rows[1].at("segment") == "Recent");
    CHECK(rows[1].at("customers") == 2);
    CHECK(rows[1].at("revenue").get<double>() == Approx(295.5));
    CHECK(rows[1].at("revenue_share").get<double>() == Approx(295.5 / 610.75));
    CHECK(rows[1].at("mean_recency_days").get<double>() == Approx(0.5));
    CHECK(rows[1].at("mean_frequency").get<double>() == Approx(2.0));
    CHECK(rows[1].at("mean_monetary").get<double>() == Approx(147.75));
    CHECK(rows[2].at("segment") == "Everyone else");
    CHECK(rows[2].at("customers") == 3);
    CHECK(rows[2].at("customer_share").get<double>() == Approx(0.5));
    CHECK(rows[2].at("revenue").get<double>() == Approx(65.25));
    CHECK(rows[2].at("mean_recency_days").get<double>() == Approx(26.0));
    CHECK(rows[2].at("mean_frequency").get<double>() == Approx(4.0 / 3.0));
    CHECK(rows[2].at("mean_monetary").get<double>() == Approx(21.75));
  }
  SECTION("the fallback Other shows when customers fall in it") {
    const TempStore dir;
    const std::string rules = dir.file("rules.csv");
    {
      std::ofstream out(rules);
      out << "label,f_min\nRepeat,3\n";
    }
    // F >= 3: customers 1, 2, 3 (215.5 + 50 + 250 = 515.5); Other: 4, 5, 6 (10 + 5.25 + 80).
    const Result result = succeeded(segments({"--rules", rules, "--format", "csv"}));
    const std::vector<std::string> lines = cli_test::lines_of(result.out);
    REQUIRE(lines.size() == 3);
    CHECK_THAT(lines[1], StartsWith("Repeat,3,0.5,515.5,"));
    CHECK_THAT(lines[2], StartsWith("Other,3,0.5,95.25,"));
  }
}

TEST_CASE("segments usage errors", "[cli][analytics]") {
  const Result bins = segments({"--bins", "4"});
  CHECK(bins.status == 2);
  CHECK_THAT(bins.err, Contains("the standard segments are defined on 5 bins, not 4: pass --rules "
                                "FILE with rules for 4 bins\n"));
  const Result no_segments = segments({"--no-segments"});
  CHECK(no_segments.status == 2);
  CHECK_THAT(no_segments.err, Contains("unrecognised option '--no-segments'"));
  const Result binning = segments({"--binning", "equal"});
  CHECK(binning.status == 2);
  CHECK_THAT(binning.err, Contains("invalid value 'equal' for --binning"));
  const Result both = segments({"--db", "x.db"});
  CHECK(both.status == 2);
  CHECK_THAT(both.err, Contains("--input and --db cannot be combined"));
}

TEST_CASE("segments --help", "[cli][analytics]") {
  const Result result = succeeded(cli_test::run({"segments", "--help"}));
  CHECK_THAT(result.out,
             StartsWith("usage: crmkit segments (--input FILE | --db PATH) [options]\n"));
  for (const char* flag : {"--input", "--db", "--rules", "--bins", "--binning", "--as-of",
                           "--period", "--threads", "--format"}) {
    CHECK_THAT(result.out, Contains(flag));
  }
}
