// `crmkit import customers|purchases|interactions`: mapping flags, reports, abort and skip
// modes, and the failures that exit 1 or 2.

#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include "cli_fixture.hpp"
#include "crmkit/storage/sqlite_store.hpp"

using Catch::Contains;
using Catch::StartsWith;
using cli_test::data_file;
using cli_test::Result;
using cli_test::TempStore;
using nlohmann::json;

namespace {

json stats_of(const TempStore& store) {
  const Result result = store.run({"stats", "--format", "json"});
  REQUIRE(result.status == 0);
  return json::parse(result.out);
}

json customer_by_ref(const TempStore& store, const std::string& ref) {
  const Result result = store.run({"customers", "show", "--external-ref", ref, "--format", "json"});
  INFO(result.err);
  REQUIRE(result.status == 0);
  return json::parse(result.out);
}

// The purchases of a customer, newest first, as the timeline shows them.
std::vector<std::string> purchase_summaries(const TempStore& store, const std::string& ref) {
  const Result result = store.run({"timeline", "--external-ref", ref, "--format", "json"});
  REQUIRE(result.status == 0);
  const json timeline = json::parse(result.out);
  std::vector<std::string> summaries;
  for (const json& entry : timeline.at("entries")) {
    if (entry.at("kind") == "purchase") summaries.push_back(entry.at("summary").get<std::string>());
  }
  return summaries;
}

// The value of a `  label   value` line of an import report.
std::string report_value(const std::string& report, const std::string& label) {
  for (const std::string& line : cli_test::lines_of(report)) {
    if (line.starts_with("  " + label + "  ")) return line.substr(line.find_last_of(' ') + 1);
  }
  FAIL("no line '" << label << "' in the report:\n" << report);
  return {};
}

// The mapping of the Online Retail file, as scripts/demo passes it.
const std::vector<std::string> retail_mapping{
    "--customer-column", "CustomerID", "--strip-decimal-zero-keys", "--skip-rows-without-customer",
    "--time-column", "InvoiceDate",
    "--unit-price-column", "UnitPrice", "--quantity-column", "Quantity", "--currency", "GBP",
    "--order-ref-column", "InvoiceNo", "--product-ref-column", "StockCode"};

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

}  // namespace

TEST_CASE("import purchases reports what it did and writes the store", "[cli]") {
  const TempStore store;
  const Result result = store.run({"import", "purchases", data_file("purchases.csv")});
  INFO(result.err);
  REQUIRE(result.status == 0);
  CHECK(result.err.empty());  // no progress bar: stderr is not a terminal
  CHECK_THAT(result.out, StartsWith("imported purchases from " + data_file("purchases.csv") +
                                    " into " + store.db() + "\n"));
  CHECK(report_value(result.out, "rows read") == "5");
  CHECK(report_value(result.out, "rows imported") == "5");
  CHECK(report_value(result.out, "customers created") == "3");
  CHECK(report_value(result.out, "rows without customer") == "0");
  CHECK(report_value(result.out, "rows rejected") == "0");
  CHECK_THAT(report_value(result.out, "time"), Contains("s"));  // "0.012 s": the unit ends it
  CHECK_THAT(result.out, Contains("  rows per second "));

  const json stats = stats_of(store);
  CHECK(stats.at("purchases") == 5);
  CHECK(stats.at("customers") == 3);
  CHECK(purchase_summaries(store, "C-1") ==
        std::vector<std::string>{"purchase -15.00 EUR order SO-2-R product SKU-MUG",
                                 "purchase 15.00 EUR order SO-2 product SKU-MUG",
                                 "purchase 129.90 EUR order SO-1 product SKU-CHAIR"});
}

TEST_CASE("import --quiet prints no report", "[cli]") {
  const TempStore store;
  const Result result = store.run({"import", "purchases", data_file("purchases.csv"), "--quiet"});
  CHECK(result.status == 0);
  CHECK(result.out.empty());
  CHECK(result.err.empty());
  CHECK(stats_of(store).at("purchases") == 5);
}

TEST_CASE("import customers maps every column and can save the id map", "[cli]") {
  const TempStore store;
  const std::string map_file = store.file("ids.csv");
  const Result result = store.run({"import", "customers", data_file("customers.csv"),
                                   "--default-region", "FR", "--save-id-map", map_file});
  INFO(result.err);
  REQUIRE(result.status == 0);
  CHECK(report_value(result.out, "rows read") == "5");
  CHECK(report_value(result.out, "rows imported") == "5");
  CHECK(report_value(result.out, "rows unchanged") == "0");

  const json ann = customer_by_ref(store, "C-1");
  CHECK(ann.at("name") == "Ann Lee");
  CHECK(ann.at("emails").at(0).at("address") == "ann.lee@example.com");
  CHECK(ann.at("memberships").at(0).at("role") == "CFO");
  CHECK(ann.at("addresses").at(0).at("city") == "London");
  CHECK(ann.at("attributes").at("score") == 42);
  // The national number was read in the region given.
  CHECK(customer_by_ref(store, "C-3").at("phones").at(0).at("number") == "+33612345678");
  // The fixture has no id column, so the map has only its header.
  CHECK(cli_test::read_text(map_file) == "exported_id,id\n");
}

TEST_CASE("import customers --existing-customers chooses what happens to known external refs",
          "[cli]") {
  const TempStore store;
  const std::vector<std::string> import{"import", "customers", data_file("customers.csv"),
                                        "--default-region", "FR"};
  REQUIRE(store.run(import).status == 0);
  SECTION("reject (the default) fails on the first known ref") {
    const Result again = store.run(import);
    CHECK(again.status == 1);
    CHECK_THAT(again.err, Contains(data_file("customers.csv") + ":2:"));
    CHECK_THAT(again.err, Contains("'ORG-1'"));
  }
  SECTION("skip leaves them alone and counts them") {
    const Result again = store.run(with(import, {"--existing-customers", "skip"}));
    REQUIRE(again.status == 0);
    // Four rows have a known external ref; the one without is imported again.
    CHECK(report_value(again.out, "rows unchanged") == "4");
    CHECK(report_value(again.out, "rows imported") == "1");
    CHECK(stats_of(store).at("customers") == 6);
  }
}

TEST_CASE("the Online Retail mapping: unit prices, float-looking keys, rows without customer",
          "[cli]") {
  const TempStore store;
  const Result result = store.run(
      with({"import", "purchases", data_file("retail.csv"), "--on-error", "skip"}, retail_mapping));
  INFO(result.err);
  REQUIRE(result.status == 0);
  CHECK(report_value(result.out, "rows read") == "6");
  CHECK(report_value(result.out, "rows imported") == "4");
  CHECK(report_value(result.out, "rows without customer") == "1");
  CHECK(report_value(result.out, "customers created") == "3");
  CHECK(report_value(result.out, "rows rejected") == "1");
  // 0.001 GBP is not a whole number of pence: reported with the file, line and column.
  CHECK_THAT(result.out, Contains("rejected rows (first 1 of 1):\n  " + data_file("retail.csv") +
                                  ":7:62: '0.001' in column 'UnitPrice'"));
  // `17850.0` became the key 17850; 6 x 2.55 + 6 x 3.39; the refund keeps its sign.
  CHECK(purchase_summaries(store, "17850") ==
        std::vector<std::string>{"purchase 20.34 GBP order 536365 product 71053",
                                 "purchase 15.30 GBP order 536365 product 85123A"});
  CHECK(purchase_summaries(store, "14527") ==
        std::vector<std::string>{"purchase -27.50 GBP order C536379 product D"});
}

TEST_CASE("without the mapping flags the Online Retail file is rejected", "[cli]") {
  const TempStore store;
  SECTION("keys stay opaque without --strip-decimal-zero-keys") {
    std::vector<std::string> args{"import", "purchases", data_file("retail.csv"), "--on-error",
                                  "skip"};
    for (const std::string& flag : retail_mapping) {
      if (flag != "--strip-decimal-zero-keys") args.push_back(flag);
    }
    REQUIRE(store.run(args).status == 0);
    CHECK(customer_by_ref(store, "17850.0").at("external_ref") == "17850.0");
  }
  SECTION("an empty key is a bad row without --skip-rows-without-customer") {
    std::vector<std::string> args{"import", "purchases", data_file("retail.csv")};
    for (const std::string& flag : retail_mapping) {
      if (flag != "--skip-rows-without-customer") args.push_back(flag);
    }
    const Result result = store.run(args);
    CHECK(result.status == 1);
    CHECK_THAT(result.err, StartsWith("crmkit: error: " + data_file("retail.csv") + ":4:"));
    CHECK_THAT(result.err, Contains("nothing was imported"));
  }
}

TEST_CASE("import --on-error abort: a bad row fails, named by file:line:column, and nothing is written",
          "[cli]") {
  const TempStore store;
  const Result result = store.run({"import", "purchases", data_file("purchases_bad.csv")});
  CHECK(result.status == 1);
  CHECK(result.out.empty());
  CHECK_THAT(result.err, StartsWith("crmkit: error: " + data_file("purchases_bad.csv") +
                                    ":3:26: '12.5O' in column 'amount'"));
  CHECK(stats_of(store).at("purchases") == 0);
  CHECK(stats_of(store).at("customers") == 0);
}

TEST_CASE("import --on-error skip imports the good rows and lists the bad ones", "[cli]") {
  const TempStore store;
  SECTION("every error shown") {
    const Result result =
        store.run({"import", "purchases", data_file("purchases_bad.csv"), "--on-error", "skip"});
    REQUIRE(result.status == 0);
    CHECK(report_value(result.out, "rows imported") == "2");
    CHECK(report_value(result.out, "rows rejected") == "2");
    CHECK_THAT(result.out, Contains("rejected rows (first 2 of 2):\n  " +
                                    data_file("purchases_bad.csv") + ":3:26: '12.5O'"));
    CHECK_THAT(result.out,
               Contains("\n  " + data_file("purchases_bad.csv") + ":5:5: '2024-13-01T10:00:00Z'"));
    CHECK(stats_of(store).at("purchases") == 2);
  }
  SECTION("--show-errors limits the list, the count stays") {
    const Result result = store.run({"import", "purchases", data_file("purchases_bad.csv"),
                                     "--on-error", "skip", "--show-errors", "1"});
    REQUIRE(result.status == 0);
    CHECK_THAT(result.out, Contains("rejected rows (first 1 of 2):\n"));
    CHECK_THAT(result.out, Contains("  ... and 1 more"));
    CHECK_THAT(result.out, !Contains(":5:5:"));
  }
}

TEST_CASE("import interactions, with the time format and the delimiter of the file", "[cli]") {
  const TempStore store;
  REQUIRE(store.run({"import", "interactions", data_file("interactions.csv"), "-q"}).status == 0);
  CHECK(stats_of(store).at("interactions") == 3);

  const Result semicolons =
      store.run({"import", "purchases", data_file("purchases_semicolon_unix.csv"), "--delimiter",
                 ";", "--time-format", "unix-seconds", "--currency", "EUR"});
  INFO(semicolons.err);
  REQUIRE(semicolons.status == 0);
  CHECK(report_value(semicolons.out, "rows imported") == "2");
  const Result timeline = store.run({"timeline", "--external-ref", "U-2", "--format", "csv"});
  CHECK_THAT(timeline.out, Contains("2024-01-02T00:00:00Z,purchase,"));
}

TEST_CASE("import --missing-customers reject refuses unknown keys", "[cli]") {
  const TempStore store;
  const Result result = store.run(
      {"import", "purchases", data_file("purchases.csv"), "--missing-customers", "reject"});
  CHECK(result.status == 1);
  CHECK_THAT(result.err, Contains(data_file("purchases.csv") + ":2:1: 'C-1'"));
}

TEST_CASE("the id map carries #N keys from an export into another store", "[cli]") {
  // Customer 5 of the fixtures has no external ref: exports name it `#5`, its id there.
  const TempStore source;
  source.import_fixtures();
  REQUIRE(source.run({"import", "purchases", data_file("purchases_by_id.csv"), "-q"}).status == 0);
  const std::string customers = source.file("customers-export.csv");
  const std::string purchases = source.file("purchases-export.csv");
  REQUIRE(source.run({"export", "customers", "-o", customers, "-q"}).status == 0);
  REQUIRE(source.run({"export", "purchases", "-o", purchases, "-q"}).status == 0);

  const TempStore target;
  // Two customers first, so that the exported ids and the target's differ.
  REQUIRE(target
              .run({"import", "purchases", data_file("purchases_semicolon_unix.csv"), "-q",
                    "--delimiter", ";", "--time-format", "unix-seconds", "--currency", "EUR"})
              .status == 0);
  const std::string map_file = target.file("ids.csv");
  REQUIRE(target.run({"import", "customers", customers, "-q", "--save-id-map", map_file}).status ==
          0);
  const std::vector<std::string> map_lines = cli_test::lines_of(cli_test::read_text(map_file));
  REQUIRE(map_lines.size() == 7);  // the header and 6 customers
  CHECK(map_lines[0] == "exported_id,id");
  CHECK(map_lines[1] == "1,3");  // the organization, exported first
  std::string dan_id;
  for (const std::string& line : map_lines) {
    if (line.starts_with("5,")) dan_id = line.substr(2);
  }
  REQUIRE_FALSE(dan_id.empty());
  CHECK(dan_id != "5");

  const Result imported = target.run({"import", "purchases", purchases, "--id-map", map_file});
  INFO(imported.err);
  REQUIRE(imported.status == 0);
  CHECK(report_value(imported.out, "rows imported") == "6");
  CHECK(report_value(imported.out, "customers created") == "0");
  CHECK(purchase_summaries(target, "C-1") == purchase_summaries(source, "C-1"));
  const Result dan = target.run({"timeline", dan_id, "--format", "csv"});
  CHECK_THAT(dan.out, Contains("2024-04-01T10:00:00Z,purchase,") && Contains("purchase 99.00 EUR"));
}

TEST_CASE("import failures exit 1 with the reason", "[cli]") {
  const TempStore store;
  SECTION("a missing input file") {
    const std::string missing = store.file("no-such-file.csv");
    const Result result = store.run({"import", "purchases", missing});
    CHECK(result.status == 1);
    CHECK_THAT(result.err, StartsWith("crmkit: error: "));
    CHECK_THAT(result.err, Contains(missing));
  }
  SECTION("a required column missing from the header") {
    const Result result = store.run(
        {"import", "purchases", data_file("purchases.csv"), "--customer-column", "client"});
    CHECK(result.status == 1);
    CHECK_THAT(result.err, Contains("'client' is a required column missing from the header"));
  }
  SECTION("a database written by a newer crmkit") {
    REQUIRE(store.run({"import", "purchases", data_file("purchases.csv"), "-q"}).status == 0);
    const int newer = crmkit::storage::SqliteStore::current_schema_version + 1;
    {
      SQLite::Database database(store.db(), SQLite::OPEN_READWRITE);
      database.exec("PRAGMA user_version = " + std::to_string(newer));
    }
    const Result result = store.run({"import", "purchases", data_file("purchases.csv")});
    CHECK(result.status == 1);
    CHECK_THAT(result.err, StartsWith("crmkit: error: "));
    CHECK_THAT(result.err, Contains("schema version " + std::to_string(newer)));
    CHECK(store.run({"stats"}).status == 1);
  }
  SECTION("an unreadable id map") {
    const Result result = store.run({"import", "purchases", data_file("purchases.csv"), "--id-map",
                                     data_file("purchases.csv")});
    CHECK(result.status == 1);
    CHECK_THAT(result.err,
               Contains("'exported_id' is a required column missing from the header of an id map"));
  }
}

TEST_CASE("bad import option values are usage errors", "[cli]") {
  const TempStore store;
  struct Case {
    std::vector<std::string> flags;
    std::string message;
  };
  const std::vector<Case> cases{
      {{"--on-error", "ignore"},
       "invalid value 'ignore' for --on-error: expected one of abort, skip"},
      {{"--time-format", "rfc822"},
       "invalid value 'rfc822' for --time-format: expected one of iso8601, compact-date, "
       "unix-seconds"},
      {{"--missing-customers", "maybe"}, "invalid value 'maybe' for --missing-customers"},
      {{"--batch-size", "0"},
       "invalid value '0' for --batch-size: expected an integer from 1 to 1000000"},
      {{"--max-errors", "-1"},
       "invalid value '-1' for --max-errors: expected an integer of at least 0"},
      {{"--delimiter", "ab"},
       "invalid value 'ab' for --delimiter: expected one character, or 'tab'"},
      {{"--delimiter", "\""}, "--delimiter and --quote must be different characters"},
      {{"--currency", "GPB"}, "invalid value 'GPB' for --currency: expected an ISO 4217 code"},
  };
  for (const Case& c : cases) {
    INFO(c.message);
    const Result result =
        store.run(with({"import", "purchases", data_file("purchases.csv")}, c.flags));
    CHECK(result.status == 2);
    CHECK_THAT(result.err, Contains(c.message));
    CHECK_THAT(result.err, Contains("usage: crmkit import purchases FILE"));
  }
  const Result region =
      store.run({"import", "customers", data_file("customers.csv"), "--default-region", "XX"});
  CHECK(region.status == 2);
  CHECK_THAT(region.err, Contains("invalid value 'XX' for --default-region"));
  const Result existing = store.run(
      {"import", "customers", data_file("customers.csv"), "--existing-customers", "merge"});
  CHECK(existing.status == 2);
  CHECK_THAT(existing.err, Contains("expected one of reject, skip, update"));
  // Nothing was opened or written by a command line that could not be understood.
  CHECK_FALSE(std::filesystem::exists(store.db()));
}
