// `crmkit rfm`: RFM values, scores and segments per customer, from a CSV file or a store; the
// input flags every analytics command shares; the rules file; usage errors.
//
// The fixture tests/data/cli/analytics/purchases.csv (as of its latest day, 2024-03-31), worked by
// hand (and checked with pandas: qcut(values.rank(method="first"), 5) per column):
//
//   customer  purchase days (amounts)                         recency_days  frequency  monetary
//   1         01-05 (100 + 50), 02-10 (25.50), 03-30 (40)     1             3          215.5
//   2         01-20 (20), 03-01 (30)                          30            2          50
//   3         02-03 (300), 03-30 (-50, a refund)              1             2          250
//   4         02-28 23:59:59 (10)                             32            1          10
//   5         03-15 (5.25)                                    16            1          5.25
//   6         03-31 (80)                                      0             1          80
//
// By rank with n = 6 and 5 bins, rank i scores max(1, ceil(5 (i - 1) / 5)) = 1, 1, 2, 3, 4, 5.
// recency ascending, ties by id: 6, 1, 3, 5, 2, 4 -> scores 1 1 2 3 4 5, R = 6 - score:
//   R(6) = 5, R(1) = 5, R(3) = 4, R(5) = 3, R(2) = 2, R(4) = 1.
// frequency ascending: 4, 5, 6, 2, 3, 1 -> F(4) = 1, F(5) = 1, F(6) = 2, F(2) = 3, F(3) = 4,
//   F(1) = 5.
// monetary ascending: 5, 4, 2, 6, 1, 3 -> M(5) = 1, M(4) = 1, M(2) = 2, M(6) = 3, M(1) = 4,
//   M(3) = 5.
// Segments on (R, F): 1 (5, 5) Champions; 2 (2, 3) At Risk; 3 (4, 4) Loyal Customers;
// 4 (1, 1) Hibernating; 5 (3, 1) About to Sleep; 6 (5, 2) Potential Loyalists.

#include <sstream>
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

const std::string expected_csv =
    "customer_id,recency_days,frequency,monetary,r,f,m,segment\n"
    "1,1,3,215.5,5,5,4,Champions\n"
    "2,30,2,50,2,3,2,At Risk\n"
    "3,1,2,250,4,4,5,Loyal Customers\n"
    "4,32,1,10,1,1,1,Hibernating\n"
    "5,16,1,5.25,3,1,1,About to Sleep\n"
    "6,0,1,80,5,2,3,Potential Loyalists\n";

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

Result rfm(const std::vector<std::string>& more = {}) {
  return cli_test::run(with({"rfm", "--input", fixture}, more));
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// The usage error of `args`: exit 2, nothing on stdout, the message and the usage on stderr.
void require_usage_error(const std::vector<std::string>& args, const std::string& message) {
  const Result result = cli_test::run(args);
  INFO(result.err);
  CHECK(result.status == 2);
  CHECK(result.out.empty());
  CHECK_THAT(result.err, StartsWith("crmkit: error: "));
  CHECK_THAT(result.err, Contains(message));
  CHECK_THAT(result.err, Contains("usage: crmkit " + args.front() + " (--input FILE | --db PATH)"));
}

}  // namespace

TEST_CASE("rfm scores every customer of a CSV file, as CSV by default", "[cli][analytics]") {
  CHECK(succeeded(rfm()).out == expected_csv);
  // The latest purchase day is the default as_of.
  CHECK(succeeded(rfm({"--as-of", "2024-03-31", "--format", "csv"})).out == expected_csv);
}

TEST_CASE("rfm prints an aligned table and a JSON document", "[cli][analytics]") {
  SECTION("table: monetary with two decimals") {
    CHECK(succeeded(rfm({"--format", "table"})).out ==
          "customer_id  recency_days  frequency  monetary  r  f  m  segment\n"
          "-----------  ------------  ---------  --------  -  -  -  -------------------\n"
          "          1             1          3    215.50  5  5  4  Champions\n"
          "          2            30          2     50.00  2  3  2  At Risk\n"
          "          3             1          2    250.00  4  4  5  Loyal Customers\n"
          "          4            32          1     10.00  1  1  1  Hibernating\n"
          "          5            16          1      5.25  3  1  1  About to Sleep\n"
          "          6             0          1     80.00  5  2  3  Potential Loyalists\n");
  }
  SECTION("JSON: the settings used, the bin edges and one object per customer") {
    const json document = json::parse(succeeded(rfm({"--format", "json"})).out);
    CHECK(document.at("as_of") == "2024-03-31");
    CHECK(document.at("period") == "day");
    CHECK(document.at("bins") == 5);
    CHECK(document.at("binning") == "rank");
    CHECK(document.at("edges").at("frequency").size() == 6);
    const json& customers = document.at("customers");
    REQUIRE(customers.size() == 6);
    CHECK(customers[0] == json{{"customer_id", 1},
                               {"recency_days", 1},
                               {"frequency", 3},
                               {"monetary", 215.5},
                               {"r", 5},
                               {"f", 5},
                               {"m", 4},
                               {"segment", "Champions"}});
    CHECK(customers[4].at("monetary") == 5.25);
    CHECK(customers[5].at("segment") == "Potential Loyalists");
  }
}

TEST_CASE("rfm reads a store with --db or $CRMKIT_DB, with the same result", "[cli][analytics]") {
  const TempStore store;
  // The keys 1..6 first appear in that order, so the store gives the customers the ids 1..6.
  const Result import = store.run({"import", "purchases", fixture, "--currency", "GBP", "-q"});
  INFO(import.err);
  REQUIRE(import.status == 0);

  CHECK(succeeded(store.run({"rfm"})).out == expected_csv);
  CHECK(succeeded(store.run({"rfm", "--currency", "GBP"})).out == expected_csv);
  {
    const cli_test::ScopedEnv set("CRMKIT_DB", store.db().c_str());
    CHECK(succeeded(cli_test::run({"rfm"})).out == expected_csv);
    // --input wins over the variable, which is only a default.
    CHECK(succeeded(cli_test::run({"rfm", "--input", fixture})).out == expected_csv);
  }
  SECTION("another currency selects no purchase") {
    CHECK(succeeded(store.run({"rfm", "--currency", "EUR"})).out ==
          "customer_id,recency_days,frequency,monetary,r,f,m,segment\n");
  }
  SECTION("a missing store fails") {
    const Result result = cli_test::run({"rfm", "--db", store.file("missing.db")});
    CHECK(result.status == 1);
    CHECK_THAT(result.err, Contains("no database at"));
  }
}

TEST_CASE("rfm --output writes the file and keeps stdout clean", "[cli][analytics]") {
  const TempStore dir;
  const std::string file = dir.file("rfm.csv");
  const Result result = succeeded(rfm({"--output", file}));
  CHECK(result.out.empty());
  CHECK(cli_test::read_text(file) == expected_csv);

  const std::string json_file = dir.file("rfm.json");
  CHECK(succeeded(rfm({"-o", json_file, "--format", "json"})).out.empty());
  CHECK(json::parse(cli_test::read_text(json_file)).at("customers").size() == 6);

  const Result unwritable = rfm({"--output", dir.file("no/such/dir/rfm.csv")});
  CHECK(unwritable.status == 1);
  CHECK_THAT(unwritable.err, Contains("cannot create"));
}

TEST_CASE("rfm options: bins, binning, as-of, no-segments", "[cli][analytics]") {
  SECTION("--bins 3 needs --rules or --no-segments") {
    require_usage_error({"rfm", "--input", fixture, "--bins", "3"},
                        "the standard segments are defined on 5 bins, not 3: pass --rules FILE "
                        "with rules for 3 bins, or --no-segments");
    // n = 6, 3 bins: ranks 1..6 score max(1, ceil(3 (i - 1) / 5)) = 1, 1, 2, 2, 3, 3, in the
    // orders above: recency 6, 1, 3, 5, 2, 4 -> R = 4 - score = 3, 3, 2, 2, 1, 1.
    CHECK(succeeded(rfm({"--bins", "3", "--no-segments"})).out ==
          "customer_id,recency_days,frequency,monetary,r,f,m\n"
          "1,1,3,215.5,3,3,3\n"
          "2,30,2,50,1,2,2\n"
          "3,1,2,250,2,3,3\n"
          "4,32,1,10,1,1,1\n"
          "5,16,1,5.25,2,1,1\n"
          "6,0,1,80,3,2,2\n");
  }
  SECTION("--binning value: equal values share a score") {
    // Frequencies 3 2 2 1 1 1: quantile edges at k/5 (linear) are 1, 1, 1, 2, 2, 3; a value
    // scores the smallest k with value <= edge[k]: 1 -> 1, 2 -> 3, 3 -> 5.
    // Recency days 1 30 1 32 16 0: edges 0, 1, 1, 16, 30, 32 -> 0 and 1 score 1 (R = 5),
    // 16 -> 3 (R = 3), 30 -> 4 (R = 2), 32 -> 5 (R = 1). Monetary: as by rank (no ties).
    CHECK(succeeded(rfm({"--binning", "value"})).out ==
          "customer_id,recency_days,frequency,monetary,r,f,m,segment\n"
          "1,1,3,215.5,5,5,4,Champions\n"
          "2,30,2,50,2,3,2,At Risk\n"
          "3,1,2,250,5,3,5,Potential Loyalists\n"
          "4,32,1,10,1,1,1,Hibernating\n"
          "5,16,1,5.25,3,1,1,About to Sleep\n"
          "6,0,1,80,5,1,3,New Customers\n");
    CHECK(json::parse(succeeded(rfm({"--binning", "value", "--format", "json"})).out)
              .at("edges")
              .at("frequency") == json{1, 1, 1, 2, 2, 3});
  }
  SECTION("--as-of ignores later purchases") {
    // Up to 2024-02-29: 1 bought 01-05 (150) and 02-10 (25.5); 2 on 01-20 (20); 3 on 02-03
    // (300); 4 on 02-28 (10). n = 4: ranks score max(1, ceil(5 (i - 1) / 3)) = 1, 2, 4, 5.
    // recency 19 40 26 1 -> order 4, 1, 3, 2 -> R = 5, 4, 2, 1; frequency 2 1 1 1 -> order
    // 2, 3, 4, 1 -> F = 1, 2, 4, 5; monetary 175.5 20 300 10 -> order 4, 2, 1, 3 -> M = 1, 2, 4, 5.
    CHECK(succeeded(rfm({"--as-of", "2024-02-29"})).out ==
          "customer_id,recency_days,frequency,monetary,r,f,m,segment\n"
          "1,19,2,175.5,4,5,4,Loyal Customers\n"
          "2,40,1,20,1,1,2,Hibernating\n"
          "3,26,1,300,2,2,5,Hibernating\n"
          "4,1,1,10,5,4,1,Champions\n");
  }
  SECTION("--period month counts months") {
    // Every customer here buys in distinct months on distinct days: the frequencies stay.
    CHECK(succeeded(rfm({"--period", "month"})).out == expected_csv);
    CHECK(json::parse(succeeded(rfm({"--period", "week", "--format", "json"})).out).at("period") ==
          "week");
  }
}

TEST_CASE("rfm gives the same result on any number of threads", "[cli][analytics]") {
  for (const char* threads : {"1", "2", "3", "0"}) {
    INFO("threads " << threads);
    CHECK(succeeded(rfm({"--threads", threads})).out == expected_csv);
  }
}

TEST_CASE("rfm segments with a rules file", "[cli][analytics]") {
  const TempStore dir;
  const std::string rules = dir.file("rules.csv");
  SECTION("the fixture's rules: ranges on M and R, and a last row naming everyone else") {
    // 3 has M = 5: Big spenders; 1 and 6 have R = 5: Recent; 2 (R 2), 4 (R 1), 5 (R 3) are left.
    const Result result = succeeded(rfm({"--rules", data_file("analytics/rules.csv")}));
    CHECK(result.out ==
          "customer_id,recency_days,frequency,monetary,r,f,m,segment\n"
          "1,1,3,215.5,5,5,4,Recent\n"
          "2,30,2,50,2,3,2,Everyone else\n"
          "3,1,2,250,4,4,5,Big spenders\n"
          "4,32,1,10,1,1,1,Everyone else\n"
          "5,16,1,5.25,3,1,1,Everyone else\n"
          "6,0,1,80,5,2,3,Recent\n");
  }
  SECTION("without a catch-all row the rest is Other; some range columns may be left out") {
    write_text(rules, "label,f_min\nRepeat,3\n");
    // F >= 3: customers 1 (F 5), 2 (F 3), 3 (F 4).
    CHECK(succeeded(rfm({"--rules", rules, "--bins", "5"})).out ==
          "customer_id,recency_days,frequency,monetary,r,f,m,segment\n"
          "1,1,3,215.5,5,5,4,Repeat\n"
          "2,30,2,50,2,3,2,Repeat\n"
          "3,1,2,250,4,4,5,Repeat\n"
          "4,32,1,10,1,1,1,Other\n"
          "5,16,1,5.25,3,1,1,Other\n"
          "6,0,1,80,5,2,3,Other\n");
  }
  SECTION("rules for 3 bins; labels with commas and quotes are quoted in the CSV") {
    write_text(rules,
               "label,r_min,r_max\n"
               "\"Fresh, \"\"hot\"\"\",3,3\n"
               "Stale,1,2\n");
    // R with 3 bins: 3, 1, 2, 1, 2, 3 (see the --bins 3 case).
    CHECK(succeeded(rfm({"--rules", rules, "--bins", "3"})).out ==
          "customer_id,recency_days,frequency,monetary,r,f,m,segment\n"
          "1,1,3,215.5,3,3,3,\"Fresh, \"\"hot\"\"\"\n"
          "2,30,2,50,1,2,2,Stale\n"
          "3,1,2,250,2,3,3,Stale\n"
          "4,32,1,10,1,1,1,Stale\n"
          "5,16,1,5.25,2,1,1,Stale\n"
          "6,0,1,80,3,2,2,\"Fresh, \"\"hot\"\"\"\n");
  }
}

TEST_CASE("a bad rules file fails naming the file, line and column", "[cli][analytics]") {
  const TempStore dir;
  const std::string rules = dir.file("rules.csv");
  struct Case {
    std::string text;
    std::string message;
  };
  const std::vector<Case> cases{
      {"label,r_min,r_max\nA,1,2\nB,6,\n",
       rules + ":3:3: '6' in column 'r_min' is not a score from 1 to 5"},
      {"label,r_min,r_max\nA,4,2\n", rules + ":2:5: '2' in column 'r_max' is below r_min 4"},
      {"label,r_min\nA,x\n", rules + ":2:3: 'x' in column 'r_min' is not a score from 1 to 5"},
      {"label,r_min\nA,0\n", rules + ":2:3: '0' in column 'r_min' is not a score"},
      {"label,r_min\n,1\n", rules + ":2:1: '' is an empty label"},
      {"label,r_min\nAll,\nLater,5\n",
       rules + ":2:1: 'All' admits every score, so the rules after it could never match"},
      {"label,recency\nA,1\n", rules + ":1: 'recency' is not a column of a rules file: expected "
                                       "label, r_min, r_max, f_min, f_max, m_min, m_max"},
      {"label,r_min,r_min\nA,1,1\n", rules + ":1: 'r_min' is a repeated column"},
      {"r_min,r_max\n1,2\n", rules + ":1: 'r_min,r_max' has no 'label' column"},
      {"label,r_min\n", rules + ": no rules"},
      {"label,r_min\nA,1,2\n",
       rules + ":2"},  // more fields than the header: the CSV reader's error
  };
  for (const Case& c : cases) {
    INFO(c.text);
    write_text(rules, c.text);
    const Result result = rfm({"--rules", rules});
    CHECK(result.status == 1);
    CHECK(result.out.empty());
    CHECK_THAT(result.err, StartsWith("crmkit: error: " + c.message));
  }
  SECTION("a missing rules file") {
    const Result result = rfm({"--rules", dir.file("missing.csv")});
    CHECK(result.status == 1);
    CHECK_THAT(result.err, Contains("missing.csv"));
  }
}

TEST_CASE("rfm reads any CSV layout through the input flags", "[cli][analytics]") {
  // retail_like.csv: ';'-separated, unix seconds, amount = price x qty, ids written 10.0.
  //   invoice 1:  customer 10, 2024-01-01, 2.50 x 4 = 10   kept
  //   invoice C2: customer 10, a cancellation               excluded (InvoiceNo=C)
  //   invoice 3:  no customer                               skipped
  //   invoice 4:  customer 11, quantity 0                    skipped (nonpositive)
  //   invoice 5:  customer 11, 2024-01-04, 1.25 x 2 = 2.5  kept
  // as_of 2024-01-04; n = 2 scores ranks 1, 5: R(10) = 6 - 5 = 1, R(11) = 5; F ties by id:
  // F(10) = 1, F(11) = 5; M(11) = 1, M(10) = 5.
  const std::vector<std::string> flags{"rfm",
                                       "--input",
                                       data_file("analytics/retail_like.csv"),
                                       "--delimiter",
                                       ";",
                                       "--customer-column",
                                       "cust",
                                       "--time-column",
                                       "when",
                                       "--time-format",
                                       "unix-seconds",
                                       "--unit-price-column",
                                       "price",
                                       "--quantity-column",
                                       "qty",
                                       "--strip-decimal-zero-keys",
                                       "--skip-rows-without-customer",
                                       "--skip-nonpositive",
                                       "--exclude",
                                       "invoice=C"};
  CHECK(succeeded(cli_test::run(flags)).out ==
        "customer_id,recency_days,frequency,monetary,r,f,m,segment\n"
        "10,3,1,10,1,1,5,Hibernating\n"
        "11,0,1,2.5,5,5,1,Champions\n");

  SECTION("without the cleaning flags the file is refused, naming the cell") {
    const Result result =
        cli_test::run({"rfm", "--input", data_file("analytics/retail_like.csv"), "--delimiter", ";",
                       "--customer-column", "cust", "--time-column", "when", "--time-format",
                       "unix-seconds", "--unit-price-column", "price", "--quantity-column", "qty"});
    CHECK(result.status == 1);
    CHECK_THAT(result.err, Contains("retail_like.csv:2:"));
    CHECK_THAT(result.err, Contains("'10.0'"));
  }
  SECTION("a missing column") {
    const Result result = rfm({"--amount-column", "price"});
    CHECK(result.status == 1);
    CHECK_THAT(result.err, Contains("price"));
  }
  SECTION("a missing file") {
    const Result result = cli_test::run({"rfm", "--input", data_file("analytics/none.csv")});
    CHECK(result.status == 1);
    CHECK_THAT(result.err, Contains("none.csv"));
  }
}

TEST_CASE("rfm of a file without purchases prints the header only", "[cli][analytics]") {
  const std::string empty = data_file("analytics/empty.csv");
  CHECK(succeeded(cli_test::run({"rfm", "--input", empty})).out ==
        "customer_id,recency_days,frequency,monetary,r,f,m,segment\n");
  CHECK(json::parse(succeeded(cli_test::run({"rfm", "--input", empty, "--format", "json"})).out)
            .at("customers")
            .empty());
}

TEST_CASE("rfm usage errors name the flag", "[cli][analytics]") {
  const cli_test::ScopedEnv unset("CRMKIT_DB", nullptr);
  const std::vector<std::string> input{"rfm", "--input", fixture};
  require_usage_error({"rfm"},
                      "no purchases to analyse: pass --input FILE or --db PATH (or set "
                      "CRMKIT_DB)");
  require_usage_error({"rfm", "--input", fixture, "--db", "x.db"},
                      "--input and --db cannot be combined");
  require_usage_error(with(input, {"--bins", "1"}),
                      "invalid value '1' for --bins: expected an integer from 2 to 100");
  require_usage_error(with(input, {"--bins", "101", "--no-segments"}),
                      "invalid value '101' for --bins");
  require_usage_error(with(input, {"--bins", "five"}),
                      "the argument ('five') for option '--bins' is invalid");
  require_usage_error(with(input, {"--binning", "quantile"}),
                      "invalid value 'quantile' for --binning: expected one of rank, value");
  require_usage_error(with(input, {"--period", "year"}),
                      "invalid value 'year' for --period: expected one of day, week, month");
  require_usage_error(with(input, {"--as-of", "2024-02-30"}),
                      "invalid value '2024-02-30' for --as-of: expected a date YYYY-MM-DD");
  require_usage_error(with(input, {"--format", "xml"}),
                      "invalid value 'xml' for --format: expected one of table, csv, json");
  require_usage_error(with(input, {"--rules", "r.csv", "--no-segments"}),
                      "--rules and --no-segments cannot be combined");
  require_usage_error(with(input, {"--threads", "-1"}), "invalid value '-1' for --threads");
  require_usage_error(with(input, {"--currency", "GBP"}), "--currency picks purchases in a store");
  require_usage_error({"rfm", "--db", "x.db", "--customer-column", "id"},
                      "--customer-column describes a CSV file: it applies to --input only");
  require_usage_error({"rfm", "--db", "x.db", "--skip-nonpositive"},
                      "--skip-nonpositive describes a CSV file");
  require_usage_error({"rfm", "--db", "x.db", "--currency", "ZZZ"},
                      "invalid value 'ZZZ' for --currency");
  require_usage_error(with(input, {"--exclude", "InvoiceNo"}),
                      "invalid value 'InvoiceNo' for --exclude: expected COLUMN=PREFIX");
  require_usage_error(with(input, {"--delimiter", "::"}), "invalid value '::' for --delimiter");
  require_usage_error(with(input, {"--time-format", "excel"}),
                      "invalid value 'excel' for --time-format");
  require_usage_error(with(input, {"--input", "other.csv"}),
                      "option '--input' cannot be specified more than once");
}

TEST_CASE("rfm --help lists every input flag", "[cli][analytics]") {
  const Result result = succeeded(cli_test::run({"rfm", "--help"}));
  CHECK_THAT(result.out, StartsWith("usage: crmkit rfm (--input FILE | --db PATH) [options]\n"));
  for (const char* flag : {"--input",
                           "--customer-column",
                           "--time-column",
                           "--amount-column",
                           "--unit-price-column",
                           "--quantity-column",
                           "--time-format",
                           "--strip-decimal-zero-keys",
                           "--skip-rows-without-customer",
                           "--skip-nonpositive",
                           "--exclude",
                           "--delimiter",
                           "--quote",
                           "--db",
                           "--currency",
                           "--threads",
                           "--as-of",
                           "--period",
                           "--bins",
                           "--binning",
                           "--rules",
                           "--no-segments",
                           "--output",
                           "--format"}) {
    CHECK_THAT(result.out, Contains(flag));
  }
  CHECK(cli_test::run({"help", "rfm"}).out == result.out);
}

TEST_CASE("rfm on the Online Retail data with the usual cleaning", "[cli][analytics]") {
  // Checked with pandas (/usr/bin/python3):
  //   df = pd.read_csv("examples/data/online_retail.csv.gz", dtype={"InvoiceNo": str,
  //                    "StockCode": str}, parse_dates=["InvoiceDate"])
  //   df = df[df.CustomerID.notna() & ~df.InvoiceNo.str.startswith("C") & (df.Quantity > 0)]
  //   df["amount"] = df.Quantity * df.UnitPrice; df["day"] = df.InvoiceDate.dt.normalize()
  //   g = df.groupby("CustomerID"); as_of = df.day.max()                    # 2011-12-09
  //   (as_of - g.day.max()).dt.days, g.day.nunique(), g.amount.sum()      # 4,339 rows
  // 4,339 customers: the often quoted 4,338 also drops the 40 lines priced 0, the only purchase
  // of customer 13256 (monetary 0 here); --skip-nonpositive looks at the quantity, as documented.
  const Result result = succeeded(cli_test::run(
      {"rfm", "--input", CRMKIT_CLI_TEST_DATA_DIR "/../../../examples/data/online_retail.csv.gz",
       "--customer-column", "CustomerID", "--time-column", "InvoiceDate", "--unit-price-column",
       "UnitPrice", "--quantity-column", "Quantity", "--strip-decimal-zero-keys",
       "--skip-rows-without-customer", "--skip-nonpositive", "--exclude", "InvoiceNo=C"}));
  const std::vector<std::string> lines = cli_test::lines_of(result.out);
  REQUIRE(lines.size() == 1 + 4339);
  // The fields of a customer's row; monetary sums are compared loosely (summation order).
  const auto row_of = [&](const std::string& id) {
    for (const std::string& line : lines) {
      if (!line.starts_with(id + ",")) continue;
      std::vector<std::string> fields;
      std::istringstream in(line);
      for (std::string field; std::getline(in, field, ',');) fields.push_back(field);
      return fields;
    }
    FAIL("no row for customer " << id);
    return std::vector<std::string>{};
  };
  struct Expected {
    std::string id, recency_days, frequency;
    double monetary;
    std::string r, f, m, segment;
  };
  // pandas: recency_days, frequency, monetary, then qcut(rank(method="first"), 5) scores.
  const std::vector<Expected> expected{
      {"12346", "325", "1", 77183.60, "1", "1", "5", "Hibernating"},
      {"12347", "2", "7", 4310.00, "5", "5", "5", "Champions"},
      {"17850", "372", "2", 5391.21, "1", "3", "5", "At Risk"},
      {"18287", "42", "3", 1837.28, "3", "4", "4", "Loyal Customers"},
      {"13256", "", "1", 0.0, "", "", "", ""},
  };
  for (const Expected& e : expected) {
    INFO("customer " << e.id);
    const std::vector<std::string> fields = row_of(e.id);
    REQUIRE(fields.size() == 8);
    if (!e.recency_days.empty()) CHECK(fields[1] == e.recency_days);
    CHECK(fields[2] == e.frequency);
    CHECK(std::stod(fields[3]) == Approx(e.monetary).margin(1e-9));
    if (e.r.empty()) continue;
    CHECK(fields[4] == e.r);
    CHECK(fields[5] == e.f);
    CHECK(fields[6] == e.m);
    CHECK(fields[7] == e.segment);
  }
}
