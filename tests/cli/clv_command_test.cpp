// `crmkit clv fit|predict`: the published fits on the CDNOW and donation data through the
// command line, the summary file's column names, predictions from transactions, a summary file
// and a store, and usage errors.
//
// Published values checked here (the library's own tests check them to the digit; these check
// that the command reads the files and wires the columns as the papers did):
// - BG/NBD on the CDNOW summary: r = 0.2426, alpha = 4.4135, a = 0.7929, b = 2.4259,
//   LL = -9582.43 (Fader, Hardie & Lee 2005, "Counting your customers the easy way", Marketing
//   Science 24(2):275-284).
// - Pareto/NBD on the same: r = 0.5534, alpha = 10.5802, s = 0.6061, beta = 11.6562,
//   LL = -9594.98 (Fader, Hardie & Lee 2005, "A note on deriving the Pareto/NBD model and
//   related expressions").
// - MBG/NBD on the same: r = 0.525, alpha = 6.183, a = 0.891, b = 1.614, the values lifetimes'
//   test_modified_beta_geo_fitter compares with BTYDplus (a peer's value, not a paper's).
// - BG/BB on donations.csv: alpha = 1.204, beta = 0.750, gamma = 0.657, delta = 2.783,
//   LL = -33225.6 (Fader, Hardie & Shang 2010, Marketing Science 29(6); the BTYD vignette
//   prints LL = -33225.58).
// - Gamma-Gamma on the 946 repeat buyers: p = 6.25, q = 3.74, gamma = 15.44 (Fader & Hardie
//   2013, "The Gamma-Gamma model of monetary value", note 025); LL = -4055.92 in a local refit.
// - lifetimes' Quickstart (docs/Quickstart.md) on the same summary with monetary value: expected
//   average profit 24.658619, 18.911489, 35.170981 for customers 1, 2, 3, and 12 "months" of CLV
//   at 1 % a month 140.096211, 18.943467, 38.180574 and 1003.868107 for customers 1, 2, 3, 6;
//   lifetimes' default freq "D" made a month 30 time units of that weekly data: --step 30.

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_fixture.hpp"
#include "crmkit/analytics/clv.hpp"

using Catch::Contains;
using Catch::EndsWith;
using Catch::StartsWith;
using cli_test::data_file;
using cli_test::Result;
using cli_test::TempStore;
using nlohmann::json;

namespace {

namespace fs = std::filesystem;
namespace clv = crmkit::analytics::clv;

// The CLV data sets and the CDNOW transactions live outside tests/data/cli.
const fs::path project_dir = fs::path(CRMKIT_CLI_TEST_DATA_DIR).parent_path().parent_path().parent_path();
const std::string cdnow_summary = (project_dir / "tests/data/clv/cdnow_customers_summary.csv").string();
const std::string cdnow_money =
    (project_dir / "tests/data/clv/cdnow_customers_summary_with_transactions.csv").string();
const std::string donations = (project_dir / "tests/data/clv/donations.csv").string();
const std::string cdnow_purchases = (project_dir / "examples/data/cdnow_sample.csv").string();

// How examples/data/cdnow_sample.csv is read: customer_id,date(YYYYMMDD),cds,amount.
const std::vector<std::string> cdnow_columns{"--time-column", "date", "--time-format",
                                             "compact-date"};

Result run(std::vector<std::string> args) { return cli_test::run(args); }

// Unlike cli_test::succeeded, warnings on standard error are allowed (predictions warn).
Result exited_zero(const Result& result) {
  INFO(result.err);
  REQUIRE(result.status == 0);
  return result;
}

json fit_json(const std::string& file, const std::string& model,
              std::vector<std::string> more = {}) {
  std::vector<std::string> args{"clv", "fit", "--summary", file, "--model", model, "--format",
                                "json"};
  args.insert(args.end(), more.begin(), more.end());
  const Result result = exited_zero(run(args));
  CHECK(result.err.empty());
  return json::parse(result.out);
}

// Half a unit of the third significant digit: 0.0005 for 0.2426, 0.05 for 11.6562.
double three_digits(double value) {
  return 0.5 * std::pow(10.0, std::floor(std::log10(std::abs(value))) - 2);
}

// The papers print four or five digits; the issue asks for three.
void check_parameters(const json& document, const std::vector<std::string>& names,
                      const std::vector<double>& expected) {
  const json& parameters = document.at("parameters");
  REQUIRE(parameters.size() == names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    INFO(names[i]);
    CHECK(parameters.at(names[i]).get<double>() ==
          Approx(expected[i]).margin(three_digits(expected[i])));
  }
}

// The standard errors are there, positive, and smaller than the estimates on these data.
void check_standard_errors(const json& document) {
  const json& errors = document.at("standard_errors");
  REQUIRE(errors.is_object());
  for (const auto& [name, value] : document.at("parameters").items()) {
    INFO(name);
    CHECK(errors.at(name).get<double>() > 0);
    CHECK(errors.at(name).get<double>() < value.get<double>());
  }
  CHECK(document.at("standard_error_note").is_null());
}

std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  for (const std::string& line : cli_test::lines_of(text)) {
    std::vector<std::string> cells;
    std::string cell;
    for (const char c : line) {
      if (c == ',') {
        cells.push_back(cell);
        cell.clear();
      } else {
        cell += c;
      }
    }
    cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

double number(const std::string& text) { return std::stod(text); }

// The row of `id` in CSV rows whose first cell is the customer id.
const std::vector<std::string>& row_of(const std::vector<std::vector<std::string>>& rows,
                                       const std::string& id) {
  for (const auto& row : rows) {
    if (row.front() == id) return row;
  }
  FAIL("no customer " << id);
  return rows.front();
}

// BG/NBD's P(alive | x, t_x, T) (Fader, Hardie & Lee 2005, eq. 11 as lifetimes writes it): 1 for
// x = 0, else 1 / (1 + a / (b + x - 1) * ((alpha + T) / (alpha + t_x))^(r + x)).
double bgnbd_alive(const json& p, double x, double t_x, double T) {
  if (x == 0) return 1;
  const double r = p.at("r");
  const double alpha = p.at("alpha");
  const double a = p.at("a");
  const double b = p.at("b");
  return 1 / (1 + a / (b + x - 1) * std::pow((alpha + T) / (alpha + t_x), r + x));
}

// Gamma-Gamma's E[M | x, m] = p (gamma + x m) / (p x + q - 1) (Fader & Hardie 2013, note 025).
double gg_spend(const json& p, double x, double m) {
  const double pp = p.at("p");
  const double q = p.at("q");
  const double gamma = p.at("gamma");
  return pp * (gamma + x * m) / (pp * x + q - 1);
}

}  // namespace

TEST_CASE("clv fit BG/NBD reproduces Fader, Hardie & Lee (2005) on CDNOW", "[cli][clv]") {
  const json document = fit_json(cdnow_summary, "bgnbd");
  check_parameters(document, {"r", "alpha", "a", "b"}, {0.2426, 4.4135, 0.7929, 2.4259});
  CHECK(document.at("log_likelihood").get<double>() == Approx(-9582.43).margin(0.01));
  check_standard_errors(document);
  CHECK(document.at("model") == "bgnbd");
  CHECK(document.at("columns") == json{{"frequency", "frequency"},
                                       {"recency", "recency"},
                                       {"T", "T"},
                                       {"monetary_value", nullptr},
                                       {"weights", nullptr}});
  CHECK(document.at("rows") == 2357);
  CHECK(document.at("rows_fitted") == 2357);
  CHECK(document.at("rows_left_out") == 0);
  CHECK(document.at("customers") == 2357.0);
  CHECK(document.at("distinct_rows").get<int>() <= 2357);
  CHECK(document.at("converged") == true);
  CHECK(document.at("evaluations").get<int>() > 0);
  CHECK(document.at("penalizer") == 0.0);

  SECTION("as a table for people") {
    const Result result = exited_zero(run({"clv", "fit", "--summary", cdnow_summary, "--model", "bgnbd"}));
    CHECK(result.err.empty());
    CHECK_THAT(result.out, StartsWith("BG/NBD fit of " + cdnow_summary +
                                      " (columns frequency, recency, T)\n\n"
                                      "parameter  estimate  standard_error\n"
                                      "---------  --------  --------------\n"
                                      "r          0.24259"));
    CHECK_THAT(result.out, Contains("\nalpha       4.4135"));
    CHECK_THAT(result.out, Contains("\ncustomers       2,357 (2,357 rows)\n"));
    CHECK_THAT(result.out, Contains("\nlog-likelihood  -9,582.43\n"));
    CHECK_THAT(result.out, Contains("\nconverged       yes"));
  }
  SECTION("as CSV: the parameters") {
    const auto rows = csv_rows(
        exited_zero(run({"clv", "fit", "--summary", cdnow_summary, "--model", "bgnbd", "--format",
                       "csv"}))
            .out);
    REQUIRE(rows.size() == 5);
    CHECK(rows[0] == std::vector<std::string>{"parameter", "estimate", "standard_error"});
    CHECK(rows[1][0] == "r");
    CHECK(number(rows[1][1]) == document.at("parameters").at("r").get<double>());
    CHECK(number(rows[4][2]) == document.at("standard_errors").at("b").get<double>());
  }
}

TEST_CASE("clv fit Pareto/NBD and MBG/NBD on CDNOW", "[cli][clv]") {
  SECTION("Pareto/NBD: Fader, Hardie & Lee (2005), the note on the Pareto/NBD") {
    const json document = fit_json(cdnow_summary, "paretonbd");
    check_parameters(document, {"r", "alpha", "s", "beta"}, {0.5534, 10.5802, 0.6061, 11.6562});
    CHECK(document.at("log_likelihood").get<double>() == Approx(-9594.98).margin(0.01));
    check_standard_errors(document);
  }
  SECTION("MBG/NBD: lifetimes' values from BTYDplus") {
    const json document = fit_json(cdnow_summary, "mbgnbd");
    check_parameters(document, {"r", "alpha", "a", "b"}, {0.525, 6.183, 0.891, 1.614});
  }
}

TEST_CASE("clv fit BG/BB reads donations.csv as it is (Fader, Hardie & Shang 2010)",
          "[cli][clv]") {
  const json document = fit_json(donations, "bgbb");
  check_parameters(document, {"alpha", "beta", "gamma", "delta"}, {1.204, 0.750, 0.657, 2.783});
  CHECK(document.at("log_likelihood").get<double>() == Approx(-33225.58).margin(0.01));
  // frequency,recency,periods,weights: periods is T, weights the customers of each pattern.
  CHECK(document.at("columns") == json{{"frequency", "frequency"},
                                       {"recency", "recency"},
                                       {"T", "periods"},
                                       {"monetary_value", nullptr},
                                       {"weights", "weights"}});
  CHECK(document.at("rows") == 22);
  CHECK(document.at("customers") == 11104.0);
  CHECK(document.at("distinct_rows") == 22);

  SECTION("columns named by flags give the same fit") {
    const json renamed = fit_json(data_file("clv/renamed_donations.csv"), "bgbb",
                                  {"--frequency-column", "repeats", "--recency-column", "last",
                                   "--T-column", "opportunities", "--weights-column",
                                   "supporters"});
    CHECK(renamed.at("parameters") == document.at("parameters"));
    CHECK(renamed.at("log_likelihood") == document.at("log_likelihood"));
  }
  SECTION("periods is T for BG/BB only") {
    const Result result = run({"clv", "fit", "--summary", donations, "--model", "bgnbd"});
    CHECK(result.status == 1);
    CHECK(result.err == "crmkit: error: " + donations +
                            " has no T column: looked for T; its columns are: frequency, "
                            "recency, periods, weights (name the column with --T-column)\n");
  }
}

TEST_CASE("clv fit Gamma-Gamma on the repeat buyers (Fader & Hardie 2013)", "[cli][clv]") {
  // ID,x,t_x,T,zbar: x is the frequency, zbar the mean repeat spend.
  const json document = fit_json(cdnow_money, "gammagamma");
  check_parameters(document, {"p", "q", "gamma"}, {6.25, 3.74, 15.44});
  CHECK(document.at("log_likelihood").get<double>() == Approx(-4055.92).margin(0.01));
  check_standard_errors(document);
  CHECK(document.at("columns").at("frequency") == "x");
  CHECK(document.at("columns").at("monetary_value") == "zbar");
  CHECK(document.at("columns").at("recency").is_null());
  CHECK(document.at("rows") == 2357);
  CHECK(document.at("rows_fitted") == 946);
  CHECK(document.at("customers") == 946.0);
  // E[M] = p gamma / (q - 1).
  const json& p = document.at("parameters");
  CHECK(document.at("mean_spend").get<double>() ==
        Approx(p.at("p").get<double>() * p.at("gamma").get<double>() /
               (p.at("q").get<double>() - 1)));

  const Result table = exited_zero(run({"clv", "fit", "--summary", cdnow_money, "--model", "gammagamma"}));
  CHECK_THAT(table.out, StartsWith("Gamma-Gamma fit of " + cdnow_money + " (columns x, zbar)\n"));
  CHECK_THAT(table.out, Contains("\ncustomers       946 repeat buyers (rows with x > 0: 946 of 2,357)\n"));
  CHECK_THAT(table.out, Contains("\nmean spend      "));
}

TEST_CASE("clv fit: penalizer, threads and rows with T = 0", "[cli][clv]") {
  const json plain = fit_json(cdnow_summary, "bgnbd");
  SECTION("a penalizer shrinks the parameters and costs likelihood") {
    const json penalized = fit_json(cdnow_summary, "bgnbd", {"--penalizer", "0.1"});
    CHECK(penalized.at("penalizer") == 0.1);
    double plain_squares = 0;
    double penalized_squares = 0;
    for (const char* name : {"r", "alpha", "a", "b"}) {
      plain_squares += std::pow(plain.at("parameters").at(name).get<double>(), 2);
      penalized_squares += std::pow(penalized.at("parameters").at(name).get<double>(), 2);
    }
    CHECK(penalized_squares < plain_squares);
    CHECK(penalized.at("log_likelihood").get<double>() < plain.at("log_likelihood").get<double>());
  }
  SECTION("the thread count changes nothing") {
    for (const char* threads : {"1", "2", "3"}) {
      CHECK(fit_json(cdnow_summary, "bgnbd", {"--threads", threads}) == plain);
    }
  }
  SECTION("customers first seen on the last day are left out, with a note") {
    // The CDNOW summary plus two customers with x = t_x = T = 0: the same fit.
    const crmkit::test::TempDir dir("clv-fit");
    const std::string file = dir.file("with_new.csv");
    {
      std::ofstream out(file);
      out << cli_test::read_text(cdnow_summary) << "9998,0,0,0\n9999,0,0.0,0.0\n";
    }
    const Result result =
        exited_zero(run({"clv", "fit", "--summary", file, "--model", "bgnbd", "--format", "json"}));
    CHECK(result.err ==
          "crmkit: note: 2 customers with T = 0 (first seen on the last day observed) are not "
          "fitted: the models need some time observed\n");
    const json document = json::parse(result.out);
    CHECK(document.at("rows") == 2359);
    CHECK(document.at("rows_fitted") == 2357);
    CHECK(document.at("rows_left_out") == 2);
    CHECK(document.at("parameters") == plain.at("parameters"));
  }
}

TEST_CASE("clv fit: bad files and usage errors", "[cli][clv]") {
  SECTION("a missing column is named, with the columns the file has") {
    const Result result = run({"clv", "fit", "--summary", cdnow_money, "--model", "bgnbd",
                               "--recency-column", "recency"});
    CHECK(result.status == 1);
    CHECK(result.err == "crmkit: error: " + cdnow_money +
                            " has no column 'recency' (--recency-column); its columns are: ID, x, "
                            "t_x, T, zbar\n");
    const Result spend = run({"clv", "fit", "--summary", cdnow_summary, "--model", "gammagamma"});
    CHECK(spend.status == 1);
    CHECK_THAT(spend.err, Contains("has no monetary value column: looked for monetary_value, zbar, "
                                   "m; its columns are: ID, frequency, recency, T (name the column "
                                   "with --monetary-column)"));
  }
  SECTION("a cell that is no number is named with its line and column") {
    const Result result = run({"clv", "fit", "--summary", data_file("clv/bad_cell.csv"), "--model",
                               "bgnbd"});
    CHECK(result.status == 1);
    CHECK(result.err == "crmkit: error: " + data_file("clv/bad_cell.csv") +
                            ":3:5: 'zero' in column 'recency' is not a finite number\n");
  }
  SECTION("invalid rows are reported by the model's rule, at the file's line and column") {
    // A row with T = 0 before it is not fitted: the model's row 0 is the file's line 4.
    const crmkit::test::TempDir dir("clv-fit");
    const std::string file = dir.file("late.csv");
    std::ofstream(file) << "frequency,t_x,T\n0,0,0\n\n1,5,4\n";
    const Result result = run({"clv", "fit", "--summary", file, "--model", "bgnbd"});
    CHECK(result.status == 1);
    CHECK_THAT(result.err, EndsWith("crmkit: error: " + file +
                                    ":4: '5' in column 't_x' must not exceed T (4)\n"));
    const std::string spend = dir.file("spend.csv");
    std::ofstream(spend) << "x,m\n0,0\n2,-3\n";
    const Result gg = run({"clv", "fit", "--summary", spend, "--model", "gammagamma"});
    CHECK(gg.status == 1);
    CHECK_THAT(gg.err, StartsWith("crmkit: error: " + spend + ":3: '-3' in column 'm' must be"));
  }
  SECTION("no rows to fit") {
    const crmkit::test::TempDir dir("clv-fit");
    const std::string empty = dir.file("empty.csv");
    std::ofstream(empty) << "frequency,recency,T\n";
    const Result none = run({"clv", "fit", "--summary", empty, "--model", "bgnbd"});
    CHECK(none.status == 1);
    CHECK_THAT(none.err, StartsWith("crmkit: error: cannot fit bgnbd: "));
    // Only a customer with T = 0: said before the fit fails for want of customers.
    const std::string new_only = dir.file("new_only.csv");
    std::ofstream(new_only) << "frequency,recency,T\n0,0,0\n";
    const Result fresh = run({"clv", "fit", "--summary", new_only, "--model", "bgnbd"});
    CHECK(fresh.status == 1);
    CHECK_THAT(fresh.err, StartsWith("crmkit: note: 1 customer with T = 0 (first seen on the last "
                                     "day observed) is not fitted"));
    CHECK_THAT(fresh.err, Contains("\ncrmkit: error: cannot fit bgnbd: "));
    const Result spend = run({"clv", "fit", "--summary", new_only, "--model", "gammagamma",
                              "--monetary-column", "T"});
    CHECK(spend.status == 1);
    CHECK_THAT(spend.err, StartsWith("crmkit: error: cannot fit gammagamma: "));
  }
  SECTION("a missing file") {
    const Result result = run({"clv", "fit", "--summary", "no/such/file.csv", "--model", "bgnbd"});
    CHECK(result.status == 1);
    CHECK_THAT(result.err, Contains("no/such/file.csv"));
  }
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"clv", "fit", "--model", "bgnbd"}, "--summary FILE is required"},
      {{"clv", "fit", "--summary", "x.csv"},
       "--model is required: one of bgnbd, mbgnbd, paretonbd, bgbb, gammagamma"},
      {{"clv", "fit", "--summary", "x.csv", "--model", "bgnb"},
       "invalid value 'bgnb' for --model: expected one of bgnbd, mbgnbd, paretonbd, bgbb, "
       "gammagamma"},
      {{"clv", "fit", "--summary", "x.csv", "--model", "gammagamma", "--T-column", "T"},
       "--T-column does not apply to gammagamma"},
      {{"clv", "fit", "--summary", "x.csv", "--model", "bgnbd", "--monetary-column", "m"},
       "--monetary-column applies to gammagamma only"},
      {{"clv", "fit", "--summary", "x.csv", "--model", "bgnbd", "--penalizer", "-1"},
       "invalid value '-1' for --penalizer: expected a number of at least 0"},
      {{"clv", "fit", "--summary", "x.csv", "--model", "bgnbd", "--format", "xml"},
       "invalid value 'xml' for --format"},
      {{"clv", "fit", "--summary", "x.csv", "--model", "bgnbd", "--frequency-column", ""},
       "invalid value '' for --frequency-column: expected a column name"},
      {{"clv"}, "missing subcommand: expected one of fit, predict"},
      {{"clv", "fits"}, "unknown subcommand 'fits' for 'crmkit clv'"},
  };
  for (const auto& [args, message] : cases) {
    INFO(args.back());
    const Result result = run(args);
    CHECK(result.status == 2);
    CHECK_THAT(result.err, StartsWith("crmkit: error: " + message));
    CHECK_THAT(result.err, Contains("usage: crmkit clv"));
    CHECK(result.out.empty());
  }
}

TEST_CASE("clv predict from the CDNOW transactions with a calibration/holdout split",
          "[cli][clv]") {
  // Calibration to 1997-09-30 by day in weeks: the CDNOW summary of the papers (customer 1:
  // purchases on 1997-01-01, 01-18, 08-02, so x = 2, t_x = 213 / 7, T = 272 / 7). The holdout
  // runs to the last purchase, 1998-06-30: 273 days, 39 weeks, the default horizon. pandas
  // counts 1,882 distinct purchase days of the 2,357 customers in it.
  std::vector<std::string> args{"clv", "predict", "--input", cdnow_purchases,
                                "--calibration-end", "1997-09-30", "--time-unit", "week",
                                "--spend", "gammagamma", "--format", "json"};
  args.insert(args.end(), cdnow_columns.begin(), cdnow_columns.end());
  const Result result = exited_zero(run(args));
  CHECK(result.err.empty());
  const json document = json::parse(result.out);
  CHECK(document.at("model") == "bgnbd");
  CHECK(document.at("time_unit") == "week");
  CHECK(document.at("as_of") == "1997-09-30");
  CHECK(document.at("horizon") == Approx(39.0));
  CHECK(document.at("step") == 4.345);
  CHECK(document.at("discount_rate") == 0.01);
  CHECK(document.at("discounting") == "steps");
  // Days rather than the file's two decimals of weeks: the same fit to three digits.
  check_parameters(document, {"r", "alpha", "a", "b"}, {0.2426, 4.4135, 0.7929, 2.4259});
  const json& customers = document.at("customers");
  REQUIRE(customers.size() == 2357);
  const json& holdout = document.at("holdout");
  CHECK(holdout.at("duration") == Approx(39.0));
  CHECK(holdout.at("total_actual") == 1882.0);
  // The horizon is the holdout: the table's prediction is the customers' expected purchases.
  double expected = 0;
  for (const json& customer : customers) expected += customer.at("expected_purchases").get<double>();
  CHECK(holdout.at("total_predicted").get<double>() == Approx(expected));
  REQUIRE(holdout.at("by_frequency").size() == 8);  // x = 0..6 and 7+
  CHECK(holdout.at("by_frequency")[0].at("frequency") == 0);
  CHECK(holdout.at("by_frequency")[7].at("frequency") == 7);

  const json& first = customers[0];
  CHECK(first.at("customer_id") == 1);
  CHECK(first.at("frequency") == 2);
  CHECK(first.at("recency").get<double>() == Approx(213.0 / 7));
  CHECK(first.at("T").get<double>() == Approx(272.0 / 7));
  const json& p = document.at("parameters");
  for (const json& customer : customers) {
    const double x = customer.at("frequency");
    const double t_x = customer.at("recency");
    const double T = customer.at("T");
    INFO(customer.dump());
    CHECK(customer.at("p_alive").get<double>() == Approx(bgnbd_alive(p, x, t_x, T)));
    CHECK(customer.at("expected_spend").get<double>() > 0);
    CHECK(customer.at("clv").get<double>() > 0);
    CHECK(customer.at("actual_purchases").get<double>() >= 0);
  }
  // Customer 1's expected purchases, from the model the command fitted.
  const auto model = clv::make_transaction_model(
      clv::Model::bgnbd, std::vector<double>{p.at("r"), p.at("alpha"), p.at("a"), p.at("b")});
  CHECK(first.at("expected_purchases").get<double>() ==
        Approx(model->conditional_expected_purchases(39, 2, 213.0 / 7, 272.0 / 7)));
  // Its spend: 1 bought on 01-18 (29.73) and 08-02 (14.96) after the first day: m = 22.345.
  CHECK(first.at("expected_spend").get<double>() ==
        Approx(gg_spend(document.at("spend_parameters"), 2, (29.73 + 14.96) / 2)));
}

TEST_CASE("clv predict writes one CSV row per customer", "[cli][clv]") {
  std::vector<std::string> args{"clv", "predict", "--input", cdnow_purchases, "--as-of",
                                "1997-09-30", "--time-unit", "week", "--horizon", "52"};
  args.insert(args.end(), cdnow_columns.begin(), cdnow_columns.end());
  const auto with = [&](std::vector<std::string> more) {
    std::vector<std::string> all = args;
    all.insert(all.end(), more.begin(), more.end());
    return exited_zero(run(all)).out;
  };
  const std::string csv = with({});
  const auto rows = csv_rows(csv);
  REQUIRE(rows.size() == 2358);
  CHECK(rows[0] == std::vector<std::string>{"customer_id", "frequency", "recency", "T", "p_alive",
                                            "expected_purchases", "expected_spend", "clv"});
  CHECK(rows[1][0] == "1");
  CHECK(rows[1][1] == "2");
  // Without --spend, expected_spend and clv are blank.
  for (std::size_t i = 1; i < rows.size(); ++i) {
    CHECK(rows[i][6].empty());
    CHECK(rows[i][7].empty());
  }

  // --spend observed: each customer's mean repeat spend. Customer 1: (29.73 + 14.96) / 2;
  // customer 3 bought once: 0, so a clv of 0. A single step of 52 weeks at rate 0: clv = spend
  // times expected purchases.
  const auto observed =
      csv_rows(with({"--spend", "observed", "--discount-rate", "0", "--step", "52"}));
  CHECK(number(row_of(observed, "1")[6]) == Approx(22.345));
  CHECK(number(row_of(observed, "3")[6]) == 0);
  CHECK(number(row_of(observed, "3")[7]) == 0);
  CHECK(number(row_of(observed, "1")[7]) == Approx(22.345 * number(row_of(observed, "1")[5])));
  CHECK(row_of(observed, "1")[5] == row_of(rows, "1")[5]);

  // --output writes the file, and nothing to standard output; the table is for people.
  const crmkit::test::TempDir dir("clv-predict");
  const std::string file = dir.file("clv.csv");
  CHECK(with({"--output", file}).empty());
  CHECK(cli_test::read_text(file) == csv);
  CHECK_THAT(with({"--format", "table"}),
             StartsWith("customer_id  frequency  recency      T  p_alive  expected_purchases  "
                        "expected_spend  clv\n"));
}

TEST_CASE("clv predict: the two discountings", "[cli][clv]") {
  // 200 CDNOW customers (a summary file with ID,x,t_x,T,zbar), a year in months of weeks.
  const std::vector<std::string> args{"clv", "predict", "--summary",
                                      data_file("clv/cdnow_first_200.csv"), "--spend",
                                      "gammagamma", "--time-unit", "week", "--horizon", "52.14"};
  const auto with = [&](std::vector<std::string> more) {
    std::vector<std::string> all = args;
    all.insert(all.end(), more.begin(), more.end());
    return csv_rows(exited_zero(run(all)).out);
  };
  const auto steps = with({});
  const auto continuous = with({"--discounting", "continuous"});
  REQUIRE(steps.size() == 201);
  REQUIRE(continuous.size() == 201);
  for (std::size_t i = 1; i < steps.size(); ++i) {
    const double undiscounted = number(steps[i][5]) * number(steps[i][6]);
    // Twelve steps of 4.345 weeks at 1 % a step: between 1 / 1.01^12 and 1 of the undiscounted
    // value, by either discounting; and the two within 1 % of each other.
    CHECK(number(steps[i][7]) < undiscounted);
    CHECK(number(steps[i][7]) > undiscounted / std::pow(1.01, 12));
    CHECK(number(continuous[i][7]) < undiscounted);
    CHECK(number(continuous[i][7]) > undiscounted / std::pow(1.01, 12));
    CHECK(number(continuous[i][7]) == Approx(number(steps[i][7])).epsilon(0.01));
  }
  SECTION("at rate 0 both give spend times expected purchases") {
    for (const char* discounting : {"steps", "continuous"}) {
      INFO(discounting);
      const auto free = with({"--discount-rate", "0", "--discounting", discounting});
      for (std::size_t i = 1; i < free.size(); ++i) {
        CHECK(number(free[i][7]) == Approx(number(free[i][5]) * number(free[i][6])));
        CHECK(free[i][5] == steps[i][5]);
      }
    }
  }
  SECTION("--time-unit week means monthly steps of 4.345 weeks") {
    const std::vector<std::string> explicit_step{"clv", "predict", "--summary",
                                                 data_file("clv/cdnow_first_200.csv"), "--spend",
                                                 "gammagamma", "--step", "4.345", "--horizon",
                                                 "52.14"};
    CHECK(csv_rows(exited_zero(run(explicit_step)).out) == steps);
  }
  SECTION("the thread count changes nothing") {
    for (const char* threads : {"1", "2", "3"}) {
      CHECK(with({"--threads", threads, "--discounting", "continuous"}) == continuous);
    }
  }
}

TEST_CASE("clv predict leaves customers with T = 0 unpredicted", "[cli][clv]") {
  // Every CDNOW customer first bought by 1997-03-25; the 30 whose first day it is have T = 0.
  std::vector<std::string> args{"clv", "predict", "--input", cdnow_purchases, "--as-of",
                                "1997-03-25", "--time-unit", "week", "--horizon", "12"};
  args.insert(args.end(), cdnow_columns.begin(), cdnow_columns.end());
  const Result result = exited_zero(run(args));
  CHECK(result.err ==
        "crmkit: note: 30 customers with T = 0 (first seen on the last day observed) are not "
        "fitted: the models need some time observed\n");
  const auto rows = csv_rows(result.out);
  REQUIRE(rows.size() == 2358);
  std::size_t blank = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    if (number(rows[i][3]) == 0) {
      ++blank;
      CHECK(rows[i][4].empty());
      CHECK(rows[i][5].empty());
    } else {
      CHECK_FALSE(rows[i][4].empty());
    }
  }
  CHECK(blank == 30);
}

TEST_CASE("clv predict from a summary file agrees with lifetimes' Quickstart", "[cli][clv]") {
  // lifetimes' 12 "months" of freq "D" on weekly data: 12 steps of 30 weeks, 1 % a step.
  const Result result = exited_zero(run({"clv", "predict", "--summary", cdnow_money, "--spend",
                                       "gammagamma", "--step", "30", "--horizon", "360"}));
  CHECK(result.err.empty());
  const auto rows = csv_rows(result.out);
  REQUIRE(rows.size() == 2358);
  // The ID column names the customers; frequency, recency and T are the file's.
  CHECK(rows[1][0] == "1");
  CHECK(number(rows[1][1]) == 2);
  CHECK(number(rows[1][2]) == 30.43);
  CHECK(number(rows[1][3]) == 38.86);
  CHECK(number(row_of(rows, "1")[6]) == Approx(24.658619).epsilon(1e-3));
  CHECK(number(row_of(rows, "2")[6]) == Approx(18.911489).epsilon(1e-3));
  CHECK(number(row_of(rows, "3")[6]) == Approx(35.170981).epsilon(1e-3));
  CHECK(number(row_of(rows, "1")[7]) == Approx(140.096211).epsilon(2e-3));
  CHECK(number(row_of(rows, "2")[7]) == Approx(18.943467).epsilon(2e-3));
  CHECK(number(row_of(rows, "3")[7]) == Approx(38.180574).epsilon(2e-3));
  CHECK(number(row_of(rows, "6")[7]) == Approx(1003.868107).epsilon(2e-3));
}

TEST_CASE("clv predict BG/BB on donation patterns", "[cli][clv]") {
  const json document = json::parse(
      exited_zero(run({"clv", "predict", "--summary", donations, "--model", "bgbb", "--horizon",
                     "5", "--format", "json"}))
          .out);
  // No id column: the rows are numbered.
  const json& patterns = document.at("customers");
  REQUIRE(patterns.size() == 22);
  CHECK(patterns[0].at("customer_id") == 1);
  CHECK(patterns[21].at("customer_id") == 22);
  // Pattern 22 gave at all 6 opportunities: its likelihood is its first term alone, so
  // P(alive at 7) = B(gamma, delta + 7) / B(gamma, delta + 6) = (delta + 6) / (gamma + delta + 6)
  // (Fader, Hardie & Shang 2010); about 8.783 / 9.44 = 0.930 with the published values.
  const double gamma = document.at("parameters").at("gamma");
  const double delta = document.at("parameters").at("delta");
  CHECK(patterns[21].at("frequency") == 6.0);
  CHECK(patterns[21].at("p_alive").get<double>() == Approx((delta + 6) / (gamma + delta + 6)));
  // Pattern 1 never gave again: far less likely alive (0.108 with the published values, by
  // the paper's eq. for P(alive) worked in scipy).
  CHECK(patterns[0].at("p_alive").get<double>() == Approx(0.108).margin(0.001));
  CHECK(patterns[0].at("expected_purchases").get<double>() <
        patterns[21].at("expected_purchases").get<double>());
}

TEST_CASE("clv predict reads a store as it reads the file", "[cli][clv]") {
  const TempStore store;
  REQUIRE(store.run({"import", "purchases", cdnow_purchases, "--time-column", "date",
                     "--time-format", "compact-date", "--currency", "USD", "-q"})
              .status == 0);
  const std::vector<std::string> common{"clv", "predict", "--as-of", "1997-09-30", "--time-unit",
                                        "week", "--horizon", "26"};
  std::vector<std::string> from_file = common;
  from_file.insert(from_file.end(), {"--input", cdnow_purchases});
  from_file.insert(from_file.end(), cdnow_columns.begin(), cdnow_columns.end());
  const std::string file_csv = exited_zero(run(from_file)).out;
  // Customers are created in the file's order, so the store's ids are the file's.
  CHECK(exited_zero(store.run(common)).out == file_csv);
}

TEST_CASE("clv predict usage errors", "[cli][clv]") {
  const std::string input = cdnow_purchases;
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"clv", "predict", "--input", input}, "--horizon is required"},
      {{"clv", "predict", "--summary", "x.csv", "--input", input, "--horizon", "1"},
       "--summary and --input cannot be combined"},
      {{"clv", "predict", "--summary", "x.csv", "--db", "x.db", "--horizon", "1"},
       "--summary and --db cannot be combined"},
      {{"clv", "predict", "--summary", "x.csv", "--time-column", "date", "--horizon", "1"},
       "--summary and --time-column cannot be combined"},
      {{"clv", "predict", "--summary", "x.csv", "--period", "week", "--horizon", "1"},
       "--period describes how purchases are summarized"},
      {{"clv", "predict", "--summary", "x.csv", "--spend", "gammagamma", "--horizon", "1"},
       "with --summary and --spend, give --time-unit"},
      {{"clv", "predict", "--input", input, "--frequency-column", "x", "--horizon", "1"},
       "--frequency-column names a column of a --summary file"},
      {{"clv", "predict", "--input", input, "--model", "gammagamma", "--horizon", "1"},
       "invalid value 'gammagamma' for --model: expected one of bgnbd, mbgnbd, paretonbd, bgbb"},
      {{"clv", "predict", "--input", input, "--spend", "mean", "--horizon", "1"},
       "invalid value 'mean' for --spend: expected one of gammagamma, observed"},
      {{"clv", "predict", "--input", input, "--horizon", "0"},
       "invalid value '0' for --horizon: expected a number above 0"},
      {{"clv", "predict", "--input", input, "--horizon", "1", "--spend", "observed", "--step",
        "0"},
       "invalid value '0' for --step"},
      {{"clv", "predict", "--input", input, "--horizon", "1", "--spend", "observed",
        "--discount-rate", "-0.1"},
       "invalid value '-0.1' for --discount-rate"},
      {{"clv", "predict", "--input", input, "--horizon", "1", "--spend", "observed",
        "--discounting", "yearly"},
       "invalid value 'yearly' for --discounting: expected one of steps, continuous"},
      {{"clv", "predict", "--input", input, "--horizon", "1", "--step", "4"},
       "--step discounts the clv of --spend: give --spend too"},
      {{"clv", "predict", "--input", input, "--horizon", "1", "--observation-end", "1998-01-01"},
       "--observation-end needs --calibration-end"},
      {{"clv", "predict", "--input", input, "--horizon", "1", "--as-of", "1998-01-01",
        "--calibration-end", "1997-09-30"},
       "--as-of and --calibration-end cannot be combined"},
  };
  const cli_test::ScopedEnv no_db("CRMKIT_DB", nullptr);
  for (const auto& [args, message] : cases) {
    INFO(message);
    const Result result = run(args);
    CHECK(result.status == 2);
    CHECK_THAT(result.err, StartsWith("crmkit: error: " + message));
    CHECK_THAT(result.err, Contains("usage: crmkit clv predict"));
  }
  SECTION("BG/BB on days measured in weeks: the customer is named, with the remedy") {
    const Result result = run({"clv", "predict", "--input", data_file("analytics/purchases.csv"),
                               "--horizon", "3", "--model", "bgbb", "--time-unit", "week"});
    CHECK(result.status == 1);
    // Customer 1: first purchase 2024-01-05, as of 2024-03-31: T = 86 days.
    CHECK_THAT(result.err, Contains("crmkit: error: customer 1: T '12.2857"));
    CHECK_THAT(result.err, Contains("' must be a whole number"));
    CHECK_THAT(result.err, EndsWith("(BG/BB counts opportunities: give --time-unit the same as "
                                    "--period)\n"));
  }
  SECTION("refunds make Gamma-Gamma fail with the customer named") {
    const Result result = run({"clv", "predict", "--input",
                               data_file("analytics/purchases.csv"), "--horizon", "30",
                               "--spend", "gammagamma"});
    CHECK(result.status == 1);
    CHECK_THAT(result.err, Contains("customer 3 has a mean repeat spend of -50: Gamma-Gamma needs "
                                    "positive spend (leave returns out with --skip-nonpositive"));
  }
}
