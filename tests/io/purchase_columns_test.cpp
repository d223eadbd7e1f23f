#include <catch2/catch.hpp>

#include "crmkit/io/purchase_columns.hpp"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "crmkit/core/error.hpp"
#include "crmkit/core/time.hpp"
#include "support/error_of.hpp"
#include "support/temp_file.hpp"
#include "support/validation_matchers.hpp"

using crmkit::ParseError;
using crmkit::analytics::PurchaseData;
using crmkit::io::PurchaseColumnsOptions;
using crmkit::io::PurchaseColumnsReport;
using crmkit::io::read_purchase_columns;
using crmkit::io::TimeFormat;
using crmkit::test::parse_error_of;
using crmkit::test::require_invalid;
using crmkit::test::TempDir;

namespace {

const std::filesystem::path data_dir = std::filesystem::path(CRMKIT_TEST_DATA_DIR) / "io";
const std::filesystem::path online_retail =
    std::filesystem::path(CRMKIT_TEST_DATA_DIR) / ".." / ".." / "examples" / "data" /
    "online_retail.csv.gz";

constexpr std::int64_t second = 1'000'000;
constexpr std::int64_t day = 86'400 * second;

std::string write(const TempDir& dir, const std::string& name, const std::string& text) {
  const std::string path = dir.file(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

PurchaseData read(const std::string& path, const PurchaseColumnsOptions& options = {},
                  PurchaseColumnsReport* report = nullptr) {
  return read_purchase_columns(path, options, report);
}

void require_same(const PurchaseData& a, const PurchaseData& b) {
  REQUIRE(a.size() == b.size());
  CHECK(a.customer_ids == b.customer_ids);
  CHECK(a.times_us == b.times_us);
  CHECK(a.amounts == b.amounts);  // exact: the same text gives the same double
}

PurchaseColumnsOptions online_retail_options() {
  PurchaseColumnsOptions o;
  o.customer_column = "CustomerID";
  o.time_column = "InvoiceDate";
  o.unit_price_column = "UnitPrice";
  o.quantity_column = "Quantity";
  o.strip_decimal_zero_keys = true;
  o.skip_rows_without_customer = true;
  o.skip_nonpositive = true;
  o.exclude_column = "InvoiceNo";
  o.exclude_prefix = "C";
  return o;
}

// A file of `rows` purchases with blank lines and CRLF line ends sprinkled in (seeded), big
// enough to be split into several 1 MiB ranges.
std::string generated_csv(std::size_t rows) {
  std::mt19937_64 rng(7);
  std::string text = "customer_id,timestamp,amount\n";
  text.reserve(rows * 40);
  for (std::size_t i = 0; i < rows; ++i) {
    const auto r = rng();
    text += std::to_string(static_cast<std::int64_t>(r % 100'000) - 50);
    text += ",2023-0";
    text += static_cast<char>('1' + r % 9);
    text += "-1";
    text += static_cast<char>('0' + (r >> 8) % 10);
    text += (r >> 12) % 2 == 0 ? ' ' : 'T';
    text += "12:3";
    text += static_cast<char>('0' + (r >> 16) % 10);
    text += ":0";
    text += static_cast<char>('0' + (r >> 20) % 10);
    text += ',';
    if ((r >> 60) % 4 == 0) text += '-';  // a return now and then
    text += std::to_string((r >> 24) % 100'000);
    text += '.';
    text += std::to_string((r >> 40) % 90 + 10);
    text += (r >> 48) % 50 == 0 ? "\r\n" : "\n";
    if ((r >> 56) % 100 == 0) text += '\n';  // a blank line now and then
  }
  return text;
}

}  // namespace

TEST_CASE("read_purchase_columns reads ids, times and amounts in file order", "[io]") {
  TempDir dir("purchase-columns");
  const std::string path = write(dir, "p.csv",
                                 "customer_id,timestamp,amount\n"
                                 "17,2023-04-05 13:45:10,12.5\n"
                                 "-3,1969-12-31 23:59:59,-4.25\n"
                                 "9223372036854775807,1960-02-29,0\n"
                                 "17,2023-04-05T13:45:10.5Z,1e3\n");
  PurchaseColumnsReport report;
  for (unsigned threads : {1U, 2U, 3U}) {
    PurchaseColumnsOptions options;
    options.threads = threads;
    const PurchaseData data = read(path, options, &report);
    REQUIRE(data.size() == 4);
    CHECK(data.customer_ids == std::vector<std::int64_t>{17, -3, INT64_MAX, 17});
    // 2023-04-05: 53 years after 1970 with 13 leap days = 19358 days to 2023-01-01, plus
    // 31 + 28 + 31 + 4 = 94 -> day 19452; 13:45:10 = 49510 s.
    CHECK(data.times_us[0] == 19452 * day + 49'510 * second);
    CHECK(data.times_us[1] == -1 * second);  // one second before the epoch
    // 1960-02-29: 1960..1969 has 3653 days (3 leap years), Feb 29 is day 59 of 1960.
    CHECK(data.times_us[2] == (-3653 + 59) * day);
    CHECK(data.times_us[3] == data.times_us[0] + 500'000);
    CHECK(data.amounts == std::vector<double>{12.5, -4.25, 0.0, 1000.0});
    CHECK(data.currency.code() == "XXX");
    CHECK(report.rows_read == 4);
    CHECK(report.rows_kept == 4);
    CHECK(report.rows_without_customer + report.rows_nonpositive + report.rows_excluded == 0);
  }
}

TEST_CASE("read_purchase_columns reads every timestamp layout as parse_timestamp does", "[io]") {
  TempDir dir("purchase-columns");
  const std::vector<std::string> times = {
      "2023-04-05",
      "2023-04-05 13:45",
      "2023-04-05T13:45",
      "2023-04-05 13:45:10",
      "2023-04-05T13:45:10Z",
      "2023-04-05 13:45:10.1",
      "2023-04-05 13:45:10.123456",
      "2023-04-05T13:45:10.000001Z",
      "2023-04-05T13:45Z",
      "2023-04-05T13:45:10+00:00",
      "2023-04-05T13:45:10+01:30",
      "2023-04-05T13:45:10-05:00",
      "2023-04-05T00:30:00+23:59",
      "2000-02-29 23:59:59",
      "1900-03-01",
      "0001-01-01",
      "9999-12-31T23:59:59.999999Z",
      "1969-12-31T23:59:59.999999",
      "1970-01-01 00:00:00",
  };
  std::string text = "customer_id,timestamp,amount\n";
  for (const std::string& t : times) text += "1," + t + ",1\n";
  const std::string path = write(dir, "times.csv", text);
  const PurchaseData data = read(path);
  REQUIRE(data.size() == times.size());
  for (std::size_t i = 0; i < times.size(); ++i) {
    INFO(times[i]);
    CHECK(data.times_us[i] == crmkit::parse_timestamp(times[i]).time_since_epoch().count());
  }
  // Hand-checked anchors: +01:30 is 90 minutes east, so UTC is 12:15:10.
  CHECK(data.times_us[10] == 19452 * day + (12 * 3600 + 15 * 60 + 10) * second);
  CHECK(data.times_us[11] == 19452 * day + (18 * 3600 + 45 * 60 + 10) * second);
  CHECK(data.times_us[17] == -1);
  CHECK(data.times_us[18] == 0);
}

TEST_CASE("read_purchase_columns rejects a bad timestamp exactly as parse_timestamp does", "[io]") {
  TempDir dir("purchase-columns");
  const std::vector<std::string> bad = {
      "2023-02-29",           "2023-13-01",           "0000-01-01",          "2023-04-05 24:00",
      "2023-04-05 12:60",     "2023-04-05 12:00:60",  "2023-04-05 12:00:00.", "2023-04-05 12:00:00.1234567",
      "2023-04-05Z",          "2023-04-05 12",        "2023-4-05",           "2023-04-05 12:00:00+24:00",
      "2023-04-05 12:00+0100", "2023-04-05 12:00:00Zx", "",                   "2023-04-05  12:00",
      "2023-04-05 12:00.5",   "20230405",
  };
  for (const std::string& t : bad) {
    INFO("timestamp '" << t << "'");
    const std::string path =
        write(dir, "bad.csv", "customer_id,amount,timestamp\n1,2,2023-01-01\n\n1,2," + t + "\n");
    std::string expected_rule;
    try {
      (void)crmkit::parse_timestamp(t, "timestamp");
      FAIL("parse_timestamp accepts it");
    } catch (const ParseError& error) {
      expected_rule = error.rule();
    }
    const ParseError error = parse_error_of([&] { (void)read(path); });
    CHECK(error.source() == path);
    CHECK(error.line() == 4);    // header, a row, a blank line, the bad row
    CHECK(error.column() == 5);  // `1,2,` then the cell
    CHECK(error.value() == t);
    CHECK(error.rule() == "in column 'timestamp' " + expected_rule);
  }
}

TEST_CASE("read_purchase_columns computes unit price x quantity and applies the drop rules", "[io]") {
  TempDir dir("purchase-columns");
  // Rows, and what becomes of them (exclusion is decided first, then the missing customer, then
  // the sign of the quantity):
  //  2: kept, 3 x 2.5 = 7.5            3: excluded (C...), though its customer is empty
  //  4: without customer               5: nonpositive (quantity 0)
  //  6: nonpositive (quantity -2)      7: kept, id 18.000 -> 18, 1 x 0 = 0 (price 0 is kept)
  //  8: kept, 0.5 x 4 = 2
  const std::string path = write(dir, "retail.csv",
                                 "Invoice;Qty;When;Price;Customer;Extra\n"
                                 "A1;3;2011-01-02 10:00:00;2.5;17.0;x\n"
                                 "C2;-1;2011-01-02 10:00:00;2.5;;x\n"
                                 "A3;1;2011-01-02 10:00:00;2.5;;x\n"
                                 "A4;0;2011-01-02 10:00:00;2.5;17.0;x\n"
                                 "A5;-2;2011-01-02 10:00:00;2.5;17.0;x\n"
                                 "A6;1;2011-01-03;0;18.000;\n"
                                 "A7;0.5;2011-01-04;4;19;\n");
  PurchaseColumnsOptions options;
  options.format.delimiter = ';';
  options.customer_column = "Customer";
  options.time_column = "When";
  options.unit_price_column = "Price";
  options.quantity_column = "Qty";
  options.strip_decimal_zero_keys = true;
  options.skip_rows_without_customer = true;
  options.skip_nonpositive = true;
  options.exclude_column = "Invoice";
  options.exclude_prefix = "C";
  for (unsigned threads : {1U, 2U}) {
    options.threads = threads;
    PurchaseColumnsReport report;
    const PurchaseData data = read(path, options, &report);
    CHECK(data.customer_ids == std::vector<std::int64_t>{17, 18, 19});
    CHECK(data.amounts == std::vector<double>{7.5, 0.0, 2.0});
    CHECK(report.rows_read == 7);
    CHECK(report.rows_kept == 3);
    CHECK(report.rows_excluded == 1);
    CHECK(report.rows_without_customer == 1);
    CHECK(report.rows_nonpositive == 2);
  }

  SECTION("without the drop rules the same rows are errors or kept") {
    options.exclude_column.clear();
    options.exclude_prefix.clear();
    options.skip_rows_without_customer = false;
    const ParseError error = parse_error_of([&] { (void)read(path, options); });
    CHECK(error.line() == 3);
    CHECK(error.column() == 31);  // after `C2;-1;2011-01-02 10:00:00;2.5;` (30 bytes)
    CHECK(error.value().empty());
    CHECK(error.rule().find("in column 'Customer' must not be empty") == 0);
    CHECK(error.rule().find("skip_rows_without_customer") != std::string::npos);
  }
  SECTION("without strip_decimal_zero_keys, 17.0 is not an id") {
    options.strip_decimal_zero_keys = false;
    const ParseError error = parse_error_of([&] { (void)read(path, options); });
    CHECK(error.line() == 2);
    CHECK(error.value() == "17.0");
    CHECK(error.rule().find("in column 'Customer' is not a whole number") == 0);
    CHECK(error.rule().find("strip_decimal_zero_keys") != std::string::npos);
  }
  SECTION("skip_nonpositive looks at the amount when there is no quantity") {
    const std::string amounts = write(dir, "amounts.csv",
                                      "customer_id,timestamp,amount\n1,2020-01-01,0\n2,2020-01-01,-0.0\n"
                                      "3,2020-01-01,-1\n4,2020-01-01,0.01\n");
    PurchaseColumnsOptions o;
    o.skip_nonpositive = true;
    PurchaseColumnsReport report;
    const PurchaseData data = read(amounts, o, &report);
    CHECK(data.customer_ids == std::vector<std::int64_t>{4});
    CHECK(report.rows_nonpositive == 3);
  }
}

TEST_CASE("read_purchase_columns reads compact dates and Unix seconds", "[io]") {
  TempDir dir("purchase-columns");
  PurchaseColumnsOptions options;
  options.time_format = TimeFormat::compact_date;
  const PurchaseData dates =
      read(write(dir, "cdnow.csv", "customer_id,timestamp,amount\n1,19970101,29.33\n2,19691231,1\n"), options);
  // 1997-01-01: 27 years after 1970 with 7 leap days (1972..1996) = 9855 + 7 = 9862 days.
  CHECK(dates.times_us == std::vector<std::int64_t>{9862 * day, -day});

  options.time_format = TimeFormat::unix_seconds;
  const PurchaseData seconds =
      read(write(dir, "unix.csv", "customer_id,timestamp,amount\n1,0,1\n2,-1,1\n3,1680702310,1\n"), options);
  CHECK(seconds.times_us == std::vector<std::int64_t>{0, -second, 1'680'702'310 * second});

  options.time_format = TimeFormat::compact_date;
  const ParseError error = parse_error_of(
      [&] { (void)read(write(dir, "bad.csv", "customer_id,timestamp,amount\n1,19970231,1\n"), options); });
  CHECK(error.line() == 2);
  CHECK(error.column() == 3);
  CHECK(error.rule().find("in column 'timestamp' is not a compact date YYYYMMDD: day 31") == 0);
}

TEST_CASE("read_purchase_columns follows CsvReader on line ends, BOM, blanks and layout", "[io]") {
  TempDir dir("purchase-columns");
  const std::string plain = "customer_id,timestamp,amount\n1,2020-01-01,1.5\n2,2020-01-02,2.5\n";
  const PurchaseData expected = read(write(dir, "plain.csv", plain));
  REQUIRE(expected.size() == 2);
  // BOM, CRLF, blank lines (LF and CRLF) before the header and between rows, no final line end.
  require_same(expected, read(write(dir, "crlf.csv",
                                    "\xEF\xBB\xBF\r\n\ncustomer_id,timestamp,amount\r\n1,2020-01-01,1.5\r\n"
                                    "\r\n\n2,2020-01-02,2.5")));
  // Other column order and unused columns.
  require_same(expected, read(write(dir, "order.csv",
                                    "note,amount,timestamp,customer_id\nx,1.5,2020-01-01,1\n,2.5,2020-01-02,2\n")));
  // Quotes send the file through CsvReader: the same values.
  require_same(expected, read(write(dir, "quoted.csv",
                                    "customer_id,timestamp,amount,note\n1,2020-01-01,1.5,\"a, b\"\n"
                                    "\"2\",\"2020-01-02\",2.5,\"say \"\"hi\"\"\"\n")));
  // Gzip goes through CsvReader too.
  const PurchaseColumnsOptions retail = online_retail_options();
  PurchaseColumnsReport plain_report;
  PurchaseColumnsReport gzip_report;
  require_same(read((data_dir / "online_retail_sample.csv").string(), retail, &plain_report),
               read((data_dir / "online_retail_sample.csv.gz").string(), retail, &gzip_report));
  // 29 rows: 3 cancelled (C...), 3 without customer, 23 kept.
  CHECK(gzip_report.rows_read == 29);
  CHECK(gzip_report.rows_excluded == 3);
  CHECK(gzip_report.rows_without_customer == 3);
  CHECK(gzip_report.rows_kept == 23);
  CHECK(plain_report.rows_kept == gzip_report.rows_kept);

  SECTION("a header with no data rows gives empty columns") {
    PurchaseColumnsReport report;
    const PurchaseData none = read(write(dir, "empty.csv", "customer_id,timestamp,amount\n\n"), {}, &report);
    CHECK(none.size() == 0);
    CHECK(report.rows_read == 0);
  }
}

TEST_CASE("read_purchase_columns names the file, line, column, cell and rule of bad input", "[io]") {
  TempDir dir("purchase-columns");
  // The error of the parallel path; a quoted header sends the same rows through CsvReader,
  // which must report the same error.
  const auto error_in = [&](const std::string& text) {
    const std::string path = write(dir, "bad.csv", text);
    const ParseError error = parse_error_of([&] { (void)read(path); });
    if (text.starts_with("customer_id,")) {
      const std::string quoted = write(dir, "quoted.csv", "\"customer_id\"" + text.substr(11));
      const ParseError same = parse_error_of([&] { (void)read(quoted); });
      CHECK(same.line() == error.line());
      CHECK(same.column() == error.column());
      CHECK(same.value() == error.value());
      CHECK(same.rule() == error.rule());
    }
    return error;
  };
  SECTION("a missing column") {
    const ParseError error = error_in("customer_id,time,amount\n1,2020-01-01,1\n");
    CHECK(error.line() == 1);
    CHECK(error.value() == "timestamp");
    CHECK(error.rule().find("is a required column missing from the header (the time_column") == 0);
  }
  SECTION("an empty file has no header") {
    const ParseError error = error_in("");
    CHECK(error.value() == "customer_id");
    CHECK(error.rule().find("missing from the header") != std::string::npos);
  }
  SECTION("a bad id") {
    const ParseError error = error_in("customer_id,timestamp,amount\n1,2020-01-01,1\nx1,2020-01-01,1\n");
    CHECK(error.line() == 3);
    CHECK(error.column() == 1);
    CHECK(error.value() == "x1");
    CHECK(error.rule().find("in column 'customer_id' is not a whole number") == 0);
  }
  SECTION("an id beyond 64 bits") {
    const ParseError error = error_in("customer_id,timestamp,amount\n9223372036854775808,2020-01-01,1\n");
    CHECK(error.value() == "9223372036854775808");
  }
  SECTION("a bad amount") {
    for (const std::string amount : {"1;5", "abc", "", "inf", "1e999", "+1", "1.2.3", "0x10"}) {
      INFO(amount);
      const ParseError error = error_in("customer_id,timestamp,amount,x\n1,2020-01-01," + amount + ",\n");
      CHECK(error.line() == 2);
      CHECK(error.column() == 14);
      CHECK(error.value() == amount);
      CHECK(error.rule() == "in column 'amount' is not a finite decimal number");
    }
  }
  SECTION("too many fields, as CsvReader says it") {
    const ParseError error = error_in("customer_id,timestamp,amount\n1,2020-01-01,1,extra\n");
    CHECK(error.line() == 2);
    CHECK(error.column() == 16);
    CHECK(error.value() == "extra");
    CHECK(error.rule() == "is an extra field: the row has 4 fields where the header has 3");
  }
  SECTION("too few fields, as CsvReader says it") {
    const ParseError error = error_in("customer_id,timestamp,amount\n\n1,2020-01-01\r\n");
    CHECK(error.line() == 3);
    CHECK(error.column() == 13);
    CHECK(error.value() == "2020-01-01");
    CHECK(error.rule() ==
          "ends the row too early: the row has 2 fields where the header has 3 (missing: amount)");
  }
  SECTION("a file that does not exist") {
    CHECK_THROWS_AS(read(dir.file("missing.csv")), crmkit::Error);
  }
}

TEST_CASE("read_purchase_columns rejects inconsistent options, naming the field", "[io]") {
  TempDir dir("purchase-columns");
  const std::string path = write(dir, "p.csv", "customer_id,timestamp,amount\n1,2020-01-01,1\n");
  PurchaseColumnsOptions o;
  o.unit_price_column = "price";
  require_invalid([&] { (void)read(path, o); }, "quantity_column", "", "unit_price_column");
  o = {};
  o.quantity_column = "qty";
  require_invalid([&] { (void)read(path, o); }, "unit_price_column", "", "quantity_column");
  o = {};
  o.exclude_column = "InvoiceNo";
  require_invalid([&] { (void)read(path, o); }, "exclude_prefix", "", "exclude_column");
  o = {};
  o.format.header = false;
  require_invalid([&] { (void)read(path, o); }, "format.header", "false", "must be true");
  o = {};
  o.customer_column.clear();
  require_invalid([&] { (void)read(path, o); }, "customer_column", "", "must name");
  o = {};
  o.amount_column.clear();
  require_invalid([&] { (void)read(path, o); }, "amount_column", "", "must name");
  o = {};
  o.format.delimiter = '"';
  require_invalid([&] { (void)read(path, o); }, "format.delimiter", "\"", "quote");
}

TEST_CASE("read_purchase_columns gives the same result and errors on any thread count", "[io]") {
  TempDir dir("purchase-columns");
  // 70k rows, ~2.6 MiB: 3 ranges of 1 MiB, read in parallel.
  const std::size_t rows = 70'000;
  const std::string text = generated_csv(rows);
  const std::string path = write(dir, "big.csv", text);
  PurchaseColumnsOptions options;
  options.threads = 1;
  PurchaseColumnsReport report;
  const PurchaseData one = read(path, options, &report);
  REQUIRE(one.size() == rows);
  CHECK(report.rows_read == rows);
  for (unsigned threads : {2U, 3U}) {
    options.threads = threads;
    require_same(one, read(path, options));
  }
  // A quoted header sends the same rows through CsvReader, one row at a time.
  require_same(one, read(write(dir, "quoted.csv", "\"customer_id\"" + text.substr(11)), options));
  // A quarter of the amounts are negative: dropping them leaves no gap between ranges.
  options.skip_nonpositive = true;
  const PurchaseData positive = read(path, options, &report);
  std::size_t expected_positive = 0;
  for (double amount : one.amounts) expected_positive += amount > 0 ? 1 : 0;
  CHECK(positive.size() == expected_positive);
  CHECK(report.rows_nonpositive == rows - expected_positive);
  std::vector<double> kept_amounts;
  for (double amount : one.amounts) {
    if (amount > 0) kept_amounts.push_back(amount);
  }
  CHECK(positive.amounts == kept_amounts);

  SECTION("an error near the end names its line whatever the thread count") {
    // Break the first row after 90% of the text; count its line (blank lines included).
    std::string broken = text;
    std::size_t row_start = broken.find('\n', broken.size() / 10 * 9) + 1;
    while (broken[row_start] == '\n' || broken[row_start] == '\r') row_start = broken.find('\n', row_start) + 1;
    broken.insert(row_start, "x");
    const auto line = static_cast<std::uint64_t>(
        std::count(broken.begin(), broken.begin() + static_cast<std::ptrdiff_t>(row_start), '\n') + 1);
    const std::string bad = write(dir, "broken.csv", broken);
    for (unsigned threads : {1U, 3U}) {
      options.threads = threads;
      const ParseError error = parse_error_of([&] { (void)read(bad, options); });
      CHECK(error.line() == line);
      CHECK(error.column() == 1);
      CHECK(error.value().front() == 'x');
    }
  }
}

TEST_CASE("read_purchase_columns cleans the Online Retail file as pandas does", "[io][online_retail]") {
  // Independent counts, computed with pandas (the same rules: exclusion by InvoiceNo prefix C
  // first, then an empty CustomerID, then Quantity <= 0):
  //   /usr/bin/python3 -c "import pandas as pd; df = pd.read_csv('examples/data/online_retail.csv.gz',
  //     dtype=str, keep_default_na=False); x = df.InvoiceNo.str.startswith('C');
  //     n = ~x & (df.CustomerID == ''); r = ~x & ~n; q = pd.to_numeric(df.Quantity);
  //     print(len(df), x.sum(), n.sum(), (r & (q <= 0)).sum(), (r & (q > 0)).sum())"
  //   -> 541909 9288 134697 0 397924
  // and on the kept rows: 4339 distinct customers (ids 12346..18287), total of Quantity x
  // UnitPrice 8911407.904, first 17850 at 2010-12-01 08:26:00 for 15.30 (6 x 2.55), last 12680 at
  // 2011-12-09 12:50:00 for 14.85; customer 12346 spent 77183.60.
  PurchaseColumnsReport report;
  const PurchaseData data = read_purchase_columns(online_retail, online_retail_options(), &report);
  CHECK(report.rows_read == 541'909);
  CHECK(report.rows_excluded == 9'288);
  CHECK(report.rows_without_customer == 134'697);
  CHECK(report.rows_nonpositive == 0);
  CHECK(report.rows_kept == 397'924);
  REQUIRE(data.size() == 397'924);
  std::vector<std::int64_t> customers = data.customer_ids;
  std::sort(customers.begin(), customers.end());
  customers.erase(std::unique(customers.begin(), customers.end()), customers.end());
  CHECK(customers.size() == 4'339);
  CHECK(customers.front() == 12'346);
  CHECK(customers.back() == 18'287);
  CHECK(std::accumulate(data.amounts.begin(), data.amounts.end(), 0.0) == Approx(8'911'407.904));
  CHECK(data.customer_ids.front() == 17'850);
  CHECK(data.times_us.front() == crmkit::parse_timestamp("2010-12-01 08:26:00").time_since_epoch().count());
  CHECK(data.amounts.front() == Approx(15.30));
  CHECK(data.customer_ids.back() == 12'680);
  CHECK(data.times_us.back() == crmkit::parse_timestamp("2011-12-09 12:50:00").time_since_epoch().count());
  CHECK(data.amounts.back() == Approx(14.85));
  double spent_12346 = 0;
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (data.customer_ids[i] == 12'346) spent_12346 += data.amounts[i];
  }
  CHECK(spent_12346 == Approx(77'183.60));
}
