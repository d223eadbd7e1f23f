#include <catch2/catch.hpp>

#include "crmkit/io/import.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "crmkit/core/error.hpp"
#include "crmkit/storage/memory_store.hpp"
#include "support/error_of.hpp"

using crmkit::ConsentStatus;
using crmkit::Currency;
using crmkit::Customer;
using crmkit::CustomerId;
using crmkit::CustomerKind;
using crmkit::Interaction;
using crmkit::LifecycleStage;
using crmkit::Money;
using crmkit::parse_timestamp;
using crmkit::ParseError;
using crmkit::Purchase;
using crmkit::StorageError;
using crmkit::Timestamp;
using crmkit::io::CustomerIdMap;
using crmkit::io::CustomerImportOptions;
using crmkit::io::ExistingCustomers;
using crmkit::io::ImportReport;
using crmkit::io::InteractionImportOptions;
using crmkit::io::MissingCustomers;
using crmkit::io::OnError;
using crmkit::io::Progress;
using crmkit::io::PurchaseImportOptions;
using crmkit::io::TimeFormat;
using crmkit::storage::MemoryStore;
using crmkit::storage::Store;
using crmkit::storage::StoreCounts;
using crmkit::test::parse_error_of;

namespace {

const std::filesystem::path data_dir = std::filesystem::path(CRMKIT_TEST_DATA_DIR) / "io";

// Every record `find` pages through (newest first, as the store lists them), by id.
template <class Query, class Find>
auto all_by_id(Find&& find) {
  Query query;
  query.limit = crmkit::storage::max_page_size;
  decltype(find(query).items) all;
  for (;;) {
    auto page = find(query);
    std::move(page.items.begin(), page.items.end(), std::back_inserter(all));
    if (!page.next) break;
    query.before = page.next;
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return all;
}

std::vector<Purchase> purchases_by_id(Store& store) {
  return all_by_id<crmkit::storage::PurchaseQuery>(
      [&](const auto& query) { return store.find_purchases(query); });
}

std::vector<Interaction> interactions_by_id(Store& store) {
  return all_by_id<crmkit::storage::InteractionQuery>(
      [&](const auto& query) { return store.find_interactions(query); });
}

Customer customer_named(Store& store, const std::string& external_ref) {
  const std::optional<Customer> found = store.find_customer_by_external_ref(external_ref);
  REQUIRE(found.has_value());
  return *found;
}

CustomerId insert_person(Store& store, const std::string& external_ref, const std::string& name) {
  Customer customer;
  customer.given_name = name;
  customer.external_ref = external_ref;
  return store.insert_customer(customer).id;
}

ImportReport purchases_from_text(Store& store, const std::string& text,
                                 const PurchaseImportOptions& options = {}) {
  std::istringstream in(text);
  return crmkit::io::import_purchases(store, in, "cases.csv", options);
}

PurchaseImportOptions online_retail_options() {
  PurchaseImportOptions o;
  o.customer_column = "CustomerID";
  o.time_column = "InvoiceDate";
  o.unit_price_column = "UnitPrice";
  o.quantity_column = "Quantity";
  o.order_ref_column = "InvoiceNo";
  o.product_ref_column = "StockCode";
  o.default_currency = Currency("GBP");
  o.strip_decimal_zero_keys = true;
  o.skip_rows_without_customer = true;
  o.on_error = OnError::skip;
  return o;
}

Timestamp fixed_now() { return parse_timestamp("2024-06-01T12:00:00Z"); }

// A Store that forwards to a MemoryStore, counts bulk appends and can fail one of them, to see
// what the importer does with the store (one append per batch, rollback on failure).
class ObservedStore final : public Store {
 public:
  int purchase_appends = 0;
  int interaction_appends = 0;
  int fail_purchase_append = 0;  // 1-based call that throws StorageError; 0: none
  int external_ref_lookups = 0;

  std::string_view backend() const noexcept override { return "observed"; }
  crmkit::storage::Transaction begin() override { return inner.begin(); }
  Customer insert_customer(const Customer& c) override { return inner.insert_customer(c); }
  Customer update_customer(const Customer& c) override { return inner.update_customer(c); }
  std::optional<Customer> get_customer(CustomerId id) override { return inner.get_customer(id); }
  crmkit::storage::CustomerPage find_customers(const crmkit::storage::CustomerQuery& q) override {
    return inner.find_customers(q);
  }
  std::optional<Customer> find_customer_by_external_ref(std::string_view ref) override {
    ++external_ref_lookups;
    return inner.find_customer_by_external_ref(ref);
  }
  std::vector<Customer> find_customers_by_email(const crmkit::Email& e) override {
    return inner.find_customers_by_email(e);
  }
  std::vector<Customer> find_customers_by_phone(const crmkit::Phone& p) override {
    return inner.find_customers_by_phone(p);
  }
  bool remove_customer(CustomerId id) override { return inner.remove_customer(id); }
  Interaction insert_interaction(const Interaction& i) override {
    return inner.insert_interaction(i);
  }
  void append_interactions(std::span<Interaction> items) override {
    ++interaction_appends;
    inner.append_interactions(items);
  }
  Interaction update_interaction(const Interaction& i) override {
    return inner.update_interaction(i);
  }
  std::optional<Interaction> get_interaction(crmkit::InteractionId id) override {
    return inner.get_interaction(id);
  }
  crmkit::storage::InteractionPage find_interactions(
      const crmkit::storage::InteractionQuery& q) override {
    return inner.find_interactions(q);
  }
  bool remove_interaction(crmkit::InteractionId id) override {
    return inner.remove_interaction(id);
  }
  crmkit::Pipeline insert_pipeline(const crmkit::Pipeline& p) override {
    return inner.insert_pipeline(p);
  }
  crmkit::Pipeline update_pipeline(const crmkit::Pipeline& p) override {
    return inner.update_pipeline(p);
  }
  std::optional<crmkit::Pipeline> get_pipeline(crmkit::PipelineId id) override {
    return inner.get_pipeline(id);
  }
  std::vector<crmkit::Pipeline> list_pipelines() override { return inner.list_pipelines(); }
  bool remove_pipeline(crmkit::PipelineId id) override { return inner.remove_pipeline(id); }
  crmkit::Deal insert_deal(const crmkit::Deal& d) override { return inner.insert_deal(d); }
  crmkit::Deal update_deal(const crmkit::Deal& d) override { return inner.update_deal(d); }
  std::optional<crmkit::Deal> get_deal(crmkit::DealId id) override { return inner.get_deal(id); }
  crmkit::storage::DealPage find_deals(const crmkit::storage::DealQuery& q) override {
    return inner.find_deals(q);
  }
  bool remove_deal(crmkit::DealId id) override { return inner.remove_deal(id); }
  void append_purchases(std::span<Purchase> items) override {
    if (++purchase_appends == fail_purchase_append) {
      throw StorageError(StorageError::Kind::io, "observed", "disk full while appending");
    }
    inner.append_purchases(items);
  }
  std::optional<Purchase> get_purchase(crmkit::PurchaseId id) override {
    return inner.get_purchase(id);
  }
  crmkit::storage::PurchasePage find_purchases(const crmkit::storage::PurchaseQuery& q) override {
    return inner.find_purchases(q);
  }
  crmkit::storage::PurchaseColumns scan_purchases(const crmkit::storage::PurchaseScan& s) override {
    return inner.scan_purchases(s);
  }
  bool remove_purchase(crmkit::PurchaseId id) override { return inner.remove_purchase(id); }
  StoreCounts counts() override { return inner.counts(); }

  MemoryStore inner;
};

// A CSV file of the header and one row.
std::string csv_of(const std::vector<std::string>& header, const std::vector<std::string>& row) {
  std::ostringstream text;
  crmkit::io::CsvWriter writer(text);
  writer.row(header);
  writer.row(row);
  return text.str();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Purchases

TEST_CASE("import_purchases reads the default columns exactly", "[io]") {
  MemoryStore store;
  PurchaseImportOptions options;
  options.clock = fixed_now;
  const ImportReport report =
      crmkit::io::import_purchases(store, data_dir / "purchases_default.csv", options);
  CHECK(report.rows_read == 10);
  CHECK(report.rows_imported == 10);
  CHECK(report.rows_rejected == 0);
  CHECK(report.customers_created == 6);
  CHECK(report.errors.empty());

  const std::vector<Purchase> purchases = purchases_by_id(store);
  REQUIRE(purchases.size() == 10);
  const Customer first = customer_named(store, "C-1001");
  CHECK(first.kind == CustomerKind::person);
  CHECK(first.family_name == "C-1001");
  CHECK(first.lifecycle == LifecycleStage::customer);
  CHECK(first.created_at == fixed_now());

  CHECK(purchases[0].customer == first.id);
  CHECK(purchases[0].occurred_at == parse_timestamp("2024-01-05T09:15:00Z"));
  CHECK(purchases[0].amount == Money(12990, Currency("EUR")));
  CHECK(purchases[0].order_ref == "SO-24-0001");
  CHECK(purchases[0].quantity == 1.0);
  CHECK(purchases[0].product_ref == "SKU-CHAIR-01");
  CHECK(purchases[2].occurred_at == parse_timestamp("2024-01-07T14:02:11Z"));
  // An offset is converted to UTC; an amount with fewer decimals is exact in minor units.
  CHECK(purchases[3].occurred_at == parse_timestamp("2024-01-09T07:00:00Z"));
  CHECK(purchases[3].amount.format() == "45.50 GBP");
  CHECK(purchases[4].occurred_at == parse_timestamp("2024-01-11T00:00:00Z"));
  CHECK(purchases[4].amount == Money(12000, Currency("JPY")));
  CHECK(purchases[5].occurred_at == parse_timestamp("2024-01-15T16:45:30.25Z"));
  CHECK(purchases[5].amount.format() == "-129.90 EUR");
  CHECK_FALSE(purchases[6].quantity.has_value());
  CHECK(purchases[7].quantity == 2.5);
  CHECK(purchases[8].amount == Money(310000, Currency("KWD")));
  CHECK(purchases[9].product_ref.empty());
  CHECK(purchases[9].customer == purchases[3].customer);
}

TEST_CASE("import_purchases reads a BOM and CRLF file like the plain one", "[io]") {
  MemoryStore plain;
  MemoryStore bom;
  crmkit::io::import_purchases(plain, data_dir / "purchases_default.csv");
  crmkit::io::import_purchases(bom, data_dir / "purchases_bom_crlf.csv");
  const auto a = purchases_by_id(plain);
  const auto b = purchases_by_id(bom);
  REQUIRE(a.size() == 10);
  CHECK(a == b);
  CHECK(bom.find_customer_by_external_ref("C-1001").has_value());
}

TEST_CASE("import_purchases maps the Online Retail columns, with unit price x quantity", "[io]") {
  MemoryStore store;
  const ImportReport report = crmkit::io::import_purchases(
      store, data_dir / "online_retail_sample.csv", online_retail_options());
  CHECK(report.rows_read == 29);
  CHECK(report.rows_without_customer == 3);
  CHECK(report.rows_rejected == 1);
  CHECK(report.rows_imported == 25);
  CHECK(report.customers_created == 7);

  // The only bad row: a price of 0.001 GBP cannot be stored exactly in pence.
  REQUIRE(report.errors.size() == 1);
  const auto& error = report.errors.front();
  CHECK(error.line == 30);
  CHECK(error.column == 62);
  CHECK(error.field == "UnitPrice");
  CHECK(error.value == "0.001");
  CHECK_THAT(error.message, Catch::Contains("online_retail_sample.csv:30:62: '0.001' in column "
                                            "'UnitPrice' (amount) has more than 2 decimals"));

  // Float-looking keys were stripped.
  CHECK(store.find_customer_by_external_ref("17850").has_value());
  CHECK_FALSE(store.find_customer_by_external_ref("17850.0").has_value());
  CHECK_FALSE(store.find_customer_by_external_ref("13952").has_value());

  const std::vector<Purchase> purchases = purchases_by_id(store);
  REQUIRE(purchases.size() == 25);
  // 6 x 2.55 is 15.30 exactly (in double arithmetic it is 15.299999999999999).
  CHECK(purchases[0].amount == Money(1530, Currency("GBP")));
  CHECK(purchases[0].quantity == 6.0);
  CHECK(purchases[0].order_ref == "536365");
  CHECK(purchases[0].product_ref == "85123A");
  CHECK(purchases[0].occurred_at == parse_timestamp("2010-12-01T08:26:00Z"));
  // A cancellation: the sign lives in the amount, the quantity is the number of units.
  const auto cancelled = std::find_if(purchases.begin(), purchases.end(),
                                      [](const Purchase& p) { return p.order_ref == "C536391"; });
  REQUIRE(cancelled != purchases.end());
  CHECK(cancelled->amount.format() == "-19.80 GBP");
  CHECK(cancelled->quantity == 12.0);
  CHECK(cancelled->customer == customer_named(store, "17548").id);
}

TEST_CASE("import_purchases keeps keys as written unless asked to strip them", "[io]") {
  MemoryStore store;
  PurchaseImportOptions options = online_retail_options();
  options.strip_decimal_zero_keys = false;
  crmkit::io::import_purchases(store, data_dir / "online_retail_sample.csv", options);
  CHECK(store.find_customer_by_external_ref("17850.0").has_value());
  CHECK_FALSE(store.find_customer_by_external_ref("17850").has_value());
}

TEST_CASE("import_purchases rejects rows without a customer unless told to skip them", "[io]") {
  MemoryStore store;
  PurchaseImportOptions options = online_retail_options();
  options.skip_rows_without_customer = false;
  const ImportReport report =
      crmkit::io::import_purchases(store, data_dir / "online_retail_sample.csv", options);
  CHECK(report.rows_without_customer == 0);
  CHECK(report.rows_rejected == 4);
  REQUIRE(report.errors.size() == 4);
  CHECK(report.errors[0].line == 26);
  CHECK(report.errors[0].field == "CustomerID");
  CHECK(report.errors[0].column == 42);
  CHECK_THAT(report.errors[0].message, Catch::Contains("in column 'CustomerID' must not be empty"));

  options.on_error = OnError::abort;
  MemoryStore other;
  const ParseError error = parse_error_of(
      [&] { crmkit::io::import_purchases(other, data_dir / "online_retail_sample.csv", options); });
  CHECK(error.line() == 26);
  CHECK(other.counts() == StoreCounts{});
}

TEST_CASE("import_purchases reads gzip files and gzip streams", "[io]") {
  MemoryStore plain;
  crmkit::io::import_purchases(plain, data_dir / "online_retail_sample.csv",
                               online_retail_options());
  const auto expected = purchases_by_id(plain);
  REQUIRE(expected.size() == 25);

  SECTION("a .gz file") {
    MemoryStore store;
    const ImportReport report = crmkit::io::import_purchases(
        store, data_dir / "online_retail_sample.csv.gz", online_retail_options());
    CHECK(report.rows_imported == 25);
    CHECK(purchases_by_id(store) == expected);
    // Errors name the file as given.
    REQUIRE(report.errors.size() == 1);
    CHECK_THAT(report.errors[0].message, Catch::Contains("online_retail_sample.csv.gz:30:62:"));
  }
  SECTION("a stream") {
    std::ifstream file(data_dir / "online_retail_sample.csv.gz", std::ios::binary);
    std::stringstream in;
    in << file.rdbuf();
    MemoryStore store;
    const ImportReport report =
        crmkit::io::import_purchases(store, in, "upload.csv.gz", online_retail_options());
    CHECK(report.rows_imported == 25);
    CHECK(purchases_by_id(store) == expected);
  }
}

TEST_CASE("import_purchases reads CDNOW compact dates with CRLF line ends", "[io]") {
  MemoryStore store;
  PurchaseImportOptions options;
  options.time_column = "date";
  options.time_format = TimeFormat::compact_date;
  options.amount_column = "dollar_value";
  options.quantity_column = "number_of_cds";
  options.default_currency = Currency("USD");
  const ImportReport report =
      crmkit::io::import_purchases(store, data_dir / "cdnow_sample.csv", options);
  CHECK(report.rows_imported == 30);
  CHECK(report.customers_created == 8);
  const auto purchases = purchases_by_id(store);
  REQUIRE(purchases.size() == 30);
  CHECK(purchases[0].customer == customer_named(store, "00001").id);
  CHECK(purchases[0].occurred_at == parse_timestamp("1997-01-01"));
  CHECK(purchases[0].amount.format() == "11.77 USD");
  CHECK(purchases[2].occurred_at == parse_timestamp("1997-01-12"));
  CHECK(purchases[2].quantity == 5.0);
  CHECK(purchases[2].amount.format() == "77.00 USD");
}

TEST_CASE("import_purchases reads Unix seconds", "[io]") {
  MemoryStore store;
  PurchaseImportOptions options;
  options.time_format = TimeFormat::unix_seconds;
  options.default_currency = Currency("EUR");
  const ImportReport report =
      crmkit::io::import_purchases(store, data_dir / "purchases_unix.csv", options);
  CHECK(report.rows_imported == 3);
  const auto purchases = purchases_by_id(store);
  REQUIRE(purchases.size() == 3);
  CHECK(purchases[0].occurred_at == parse_timestamp("2024-01-01T00:00:00Z"));
  CHECK(purchases[1].occurred_at == parse_timestamp("2024-01-02T00:00:00Z"));
  CHECK(purchases[2].occurred_at == parse_timestamp("1969-12-31T00:00:00Z"));
  CHECK(purchases[1].amount.format() == "20.50 EUR");
}

TEST_CASE("import_purchases names the file, line, column and value of a bad time format", "[io]") {
  MemoryStore store;
  PurchaseImportOptions options;
  options.default_currency = Currency("EUR");

  SECTION("compact date that does not exist") {
    options.time_format = TimeFormat::compact_date;
    const ParseError error = parse_error_of([&] {
      purchases_from_text(
          store, "customer_id,timestamp,amount\nK-1,19970101,1.00\nK-2,19970230,2.00\n", options);
    });
    CHECK(error.line() == 3);
    CHECK(error.column() == 5);
    CHECK(error.value() == "19970230");
    CHECK_THAT(error.what(), Catch::Contains("cases.csv:3:5: '19970230' in column 'timestamp' is "
                                             "not a compact date YYYYMMDD: day 30 does not exist"));
  }
  SECTION("compact date of the wrong length") {
    options.time_format = TimeFormat::compact_date;
    const ParseError error = parse_error_of([&] {
      purchases_from_text(store, "customer_id,timestamp,amount\nK-1,1997-01-01,1.00\n", options);
    });
    CHECK(error.value() == "1997-01-01");
    CHECK_THAT(error.what(), Catch::Contains("expected exactly 8 digits"));
  }
  SECTION("Unix seconds that are not a whole number") {
    options.time_format = TimeFormat::unix_seconds;
    const ParseError error = parse_error_of([&] {
      purchases_from_text(store, "customer_id,timestamp,amount\nK-1,1.7e9,1.00\n", options);
    });
    CHECK(error.line() == 2);
    CHECK(error.column() == 5);
    CHECK_THAT(error.what(),
               Catch::Contains("'1.7e9' in column 'timestamp' is not a whole number"));
  }
  CHECK(store.counts() == StoreCounts{});
}

TEST_CASE("import_purchases names the file, line, column and value of every bad value", "[io]") {
  struct Case {
    const char* name;
    const char* row;
    std::uint64_t column;
    const char* value;
    const char* message;
  };
  const Case cases[] = {
      {"bad time", "K-2,2024-02-30T10:00:00Z,1.00,EUR", 5, "2024-02-30T10:00:00Z",
       "cases.csv:3:5: '2024-02-30T10:00:00Z' in column 'timestamp' is not a valid ISO 8601 "
       "timestamp: day 30 does not exist in 2024-02"},
      {"bad amount", "K-2,2024-03-01T10:00:00Z,12.5O,EUR", 26, "12.5O",
       "cases.csv:3:26: '12.5O' in column 'amount' is not a decimal amount"},
      {"too many decimals", "K-2,2024-03-01T10:00:00Z,1.005,EUR", 26, "1.005",
       "cases.csv:3:26: '1.005' in column 'amount' has more than 2 decimals, the most EUR allows"},
      {"unknown currency", "K-2,2024-03-01T10:00:00Z,1.00,EUX", 31, "EUX",
       "cases.csv:3:31: 'EUX' in column 'currency' is not an ISO 4217 currency code"},
      {"empty currency without a default", "K-2,2024-03-01T10:00:00Z,1.00,", 31, "",
       "cases.csv:3:31: '' in column 'currency' must not be empty"},
      {"empty customer key", ",2024-03-01T10:00:00Z,1.00,EUR", 1, "",
       "cases.csv:3:1: '' in column 'customer_id' must not be empty"},
  };
  for (const Case& c : cases) {
    SECTION(c.name) {
      MemoryStore store;
      const std::string text = std::string("customer_id,timestamp,amount,currency\n") +
                               "K-1,2024-03-01T10:00:00Z,1.00,EUR\n" + c.row + "\n";
      const ParseError error = parse_error_of([&] { purchases_from_text(store, text); });
      CHECK(error.source() == "cases.csv");
      CHECK(error.line() == 3);
      CHECK(error.column() == c.column);
      CHECK(error.value() == c.value);
      CHECK_THAT(error.what(), Catch::Contains(c.message));
      // All or nothing: the good first row was not kept either.
      CHECK(store.counts() == StoreCounts{});
    }
  }
  SECTION("a domain rule broken by a cell: the order ref is longer than 128 bytes") {
    MemoryStore store;
    const std::string long_ref(129, 'R');
    const ParseError error = parse_error_of([&] {
      purchases_from_text(store,
                          "customer_id,timestamp,amount,currency,order_ref\n"
                          "K-1,2024-03-01T10:00:00Z,1.00,EUR," +
                              long_ref + "\n");
    });
    CHECK(error.line() == 2);
    CHECK(error.column() == 35);
    CHECK(error.value() == long_ref);
    CHECK_THAT(error.what(), Catch::Contains("in column 'order_ref' (purchase.order_ref) must be "
                                             "at most 128 bytes long"));
  }
}

TEST_CASE("import_purchases names a required column missing from the header", "[io]") {
  MemoryStore store;
  SECTION("the default amount column") {
    const ParseError error = parse_error_of([&] {
      purchases_from_text(store, "customer_id,timestamp,total,currency\nK-1,2024-01-01,1,EUR\n");
    });
    CHECK(error.source() == "cases.csv");
    CHECK(error.line() == 1);
    CHECK(error.value() == "amount");
    CHECK_THAT(error.what(),
               Catch::Contains("cases.csv:1: 'amount' is a required column missing "
                               "from the header (the amount_column option names it; "
                               "the header has: customer_id, timestamp, total, currency)"));
  }
  SECTION("a mapped customer column") {
    PurchaseImportOptions options;
    options.customer_column = "CustomerID";
    const ParseError error = parse_error_of([&] {
      purchases_from_text(store, "customer_id,timestamp,amount,currency\nK-1,2024-01-01,1,EUR\n",
                          options);
    });
    CHECK(error.value() == "CustomerID");
    CHECK_THAT(error.what(), Catch::Contains("customer_column"));
  }
  SECTION("the quantity that a unit price needs") {
    PurchaseImportOptions options;
    options.unit_price_column = "price";
    const ParseError error = parse_error_of([&] {
      purchases_from_text(store, "customer_id,timestamp,price,currency\nK-1,2024-01-01,1,EUR\n",
                          options);
    });
    CHECK(error.value() == "quantity");
  }
  SECTION("no currency column and no default currency") {
    const ParseError error = parse_error_of(
        [&] { purchases_from_text(store, "customer_id,timestamp,amount\nK-1,2024-01-01,1\n"); });
    CHECK(error.value() == "currency");
    CHECK_THAT(error.what(), Catch::Contains("no default_currency is set"));
  }
  CHECK(store.counts() == StoreCounts{});
}

TEST_CASE("import_purchases uses the default currency for rows without one", "[io]") {
  MemoryStore store;
  PurchaseImportOptions options;
  options.default_currency = Currency("CHF");
  purchases_from_text(
      store, "customer_id,timestamp,amount,currency\nK-1,2024-01-01,1.50,\nK-1,2024-01-02,2,EUR\n",
      options);
  const auto purchases = purchases_by_id(store);
  REQUIRE(purchases.size() == 2);
  CHECK(purchases[0].amount.format() == "1.50 CHF");
  CHECK(purchases[1].amount.format() == "2.00 EUR");
}

TEST_CASE("import_purchases multiplies unit price by whole quantities exactly", "[io]") {
  MemoryStore store;
  PurchaseImportOptions options;
  options.unit_price_column = "unit_price";
  options.default_currency = Currency("EUR");
  options.on_error = OnError::skip;
  const ImportReport report = purchases_from_text(store,
                                                  "customer_id,timestamp,unit_price,quantity\n"
                                                  "K-1,2024-01-01,0.10,3\n"
                                                  "K-1,2024-01-02,19.99,6.0\n"
                                                  "K-1,2024-01-03,1.00,1.5\n"
                                                  "K-1,2024-01-04,0.07,-100\n"
                                                  "K-1,2024-01-05,2.00,0\n",
                                                  options);
  const auto purchases = purchases_by_id(store);
  REQUIRE(purchases.size() == 3);
  CHECK(purchases[0].amount == Money(30, Currency("EUR")));  // 0.1 * 3 is 0.30000000000000004
  CHECK(purchases[1].amount.format() == "119.94 EUR");
  CHECK(purchases[1].quantity == 6.0);
  CHECK(purchases[2].amount.format() == "-7.00 EUR");
  CHECK(purchases[2].quantity == 100.0);
  REQUIRE(report.errors.size() == 2);
  CHECK(report.errors[0].line == 4);
  CHECK(report.errors[0].field == "quantity");
  CHECK(report.errors[0].value == "1.5");
  CHECK_THAT(report.errors[0].message, Catch::Contains("is not a whole number"));
  CHECK(report.errors[1].line == 6);
  CHECK(report.errors[1].field == "quantity");
  CHECK_THAT(report.errors[1].message, Catch::Contains("must be a positive number"));
}

TEST_CASE("import_purchases in abort mode leaves the store unchanged", "[io]") {
  MemoryStore store;
  const CustomerId existing = insert_person(store, "C-0001", "Existing");
  Purchase purchase;
  purchase.customer = existing;
  purchase.occurred_at = parse_timestamp("2023-12-31T10:00:00Z");
  purchase.amount = Money(500, Currency("EUR"));
  std::vector<Purchase> one{purchase};
  store.append_purchases(one);
  const StoreCounts before = store.counts();

  PurchaseImportOptions options;
  options.batch_size = 1;  // the good first row has already been appended when the bad one comes
  const ParseError error = parse_error_of(
      [&] { crmkit::io::import_purchases(store, data_dir / "purchases_bad_values.csv", options); });
  CHECK(error.line() == 3);
  CHECK(error.column() == 8);
  CHECK_THAT(error.what(),
             Catch::Contains("purchases_bad_values.csv:3:8: '2024-13-01T10:00:00Z' in column "
                             "'timestamp' is not a valid ISO 8601 timestamp: month 13 is out of "
                             "range 01-12"));
  CHECK(store.counts() == before);
  CHECK_FALSE(store.find_customer_by_external_ref("C-2001").has_value());
  CHECK(purchases_by_id(store) == one);
}

TEST_CASE("import_purchases in skip mode imports the good rows and reports the bad ones", "[io]") {
  for (const std::size_t batch_size : {std::size_t{2}, std::size_t{10000}}) {
    MemoryStore store;
    PurchaseImportOptions options;
    options.on_error = OnError::skip;
    options.batch_size = batch_size;
    const ImportReport report =
        crmkit::io::import_purchases(store, data_dir / "purchases_bad_values.csv", options);
    INFO("batch size " << batch_size);
    CHECK(report.rows_read == 9);
    CHECK(report.rows_imported == 3);
    CHECK(report.rows_rejected == 6);
    CHECK(report.customers_created == 2);
    struct Expected {
      std::uint64_t line;
      std::uint64_t column;
      const char* field;
      const char* value;
    };
    const Expected expected[] = {{3, 8, "timestamp", "2024-13-01T10:00:00Z"},
                                 {4, 29, "amount", "12.5O"},
                                 {5, 29, "amount", "3.999"},
                                 {6, 35, "currency", "EUX"},
                                 {7, 1, "customer_id", ""},
                                 {9, 29, "amount", "100.5"}};
    REQUIRE(report.errors.size() == 6);
    for (std::size_t i = 0; i < 6; ++i) {
      CHECK(report.errors[i].line == expected[i].line);
      CHECK(report.errors[i].column == expected[i].column);
      CHECK(report.errors[i].field == expected[i].field);
      CHECK(report.errors[i].value == expected[i].value);
      CHECK_THAT(
          report.errors[i].message,
          Catch::Contains("purchases_bad_values.csv:" + std::to_string(expected[i].line) + ":"));
    }
    const auto purchases = purchases_by_id(store);
    REQUIRE(purchases.size() == 3);
    CHECK(purchases[0].order_ref == "A-1");
    CHECK(purchases[1].order_ref == "A-7");
    CHECK(purchases[2].order_ref == "A-9");
    CHECK(store.counts().customers == 2);
  }
}

TEST_CASE("import_purchases keeps at most max_reported_errors but counts them all", "[io]") {
  MemoryStore store;
  PurchaseImportOptions options;
  options.on_error = OnError::skip;
  options.max_reported_errors = 2;
  const ImportReport report =
      crmkit::io::import_purchases(store, data_dir / "purchases_bad_values.csv", options);
  CHECK(report.rows_rejected == 6);
  REQUIRE(report.errors.size() == 2);
  CHECK(report.errors[1].line == 4);
}

TEST_CASE("import_purchases in skip mode passes over malformed CSV rows", "[io]") {
  MemoryStore store;
  PurchaseImportOptions options;
  options.on_error = OnError::skip;
  options.default_currency = Currency("EUR");
  const ImportReport report = purchases_from_text(store,
                                                  "customer_id,timestamp,amount\n"
                                                  "K-1,2024-01-01,1.00\n"
                                                  "K-2,2024-01-02,2\"00\n"
                                                  "K-3,2024-01-03,3.00,extra\n"
                                                  "K-4,2024-01-04,4.00\n",
                                                  options);
  CHECK(report.rows_read == 4);
  CHECK(report.rows_imported == 2);
  REQUIRE(report.errors.size() == 2);
  CHECK(report.errors[0].line == 3);
  CHECK(report.errors[0].column == 17);
  CHECK_THAT(report.errors[0].message, Catch::Contains("has a quote inside an unquoted field"));
  CHECK(report.errors[1].line == 4);
  CHECK_THAT(report.errors[1].message, Catch::Contains("is an extra field"));
}

TEST_CASE("import_purchases creates missing customers or rejects them", "[io]") {
  MemoryStore store;
  const CustomerId known = insert_person(store, "C-1001", "Known");
  PurchaseImportOptions options;
  options.missing_customers = MissingCustomers::reject;

  SECTION("abort mode stops at the first unknown key") {
    const ParseError error = parse_error_of(
        [&] { crmkit::io::import_purchases(store, data_dir / "purchases_default.csv", options); });
    CHECK(error.line() == 4);
    CHECK(error.column() == 1);
    CHECK(error.value() == "C-1002");
    CHECK_THAT(error.what(), Catch::Contains("purchases_default.csv:4:1: 'C-1002' in column "
                                             "'customer_id' (customer key) is not the external ref "
                                             "of any customer"));
    CHECK(store.counts().purchases == 0);
  }
  SECTION("skip mode keeps the rows of known customers") {
    options.on_error = OnError::skip;
    const ImportReport report =
        crmkit::io::import_purchases(store, data_dir / "purchases_default.csv", options);
    CHECK(report.rows_imported == 3);
    CHECK(report.rows_rejected == 7);
    CHECK(report.customers_created == 0);
    CHECK(store.counts().customers == 1);
    for (const Purchase& p : purchases_by_id(store)) CHECK(p.customer == known);
  }
  SECTION("create mode makes one customer per distinct key") {
    options.missing_customers = MissingCustomers::create;
    const ImportReport report =
        crmkit::io::import_purchases(store, data_dir / "purchases_default.csv", options);
    CHECK(report.customers_created == 5);
    CHECK(store.counts().customers == 6);
    CHECK(customer_named(store, "C-1001").id == known);
  }
}

TEST_CASE("import_purchases reads #N keys as ids, through the id map when given", "[io]") {
  MemoryStore store;
  const CustomerId ann = insert_person(store, "ANN", "Ann");
  const std::string text =
      "customer_id,timestamp,amount,currency\n#" + ann.to_string() + ",2024-01-01,1,EUR\n";

  SECTION("without a map: ids of this store") {
    purchases_from_text(store, text);
    REQUIRE(purchases_by_id(store).size() == 1);
    CHECK(purchases_by_id(store)[0].customer == ann);
    const ParseError error = parse_error_of([&] {
      purchases_from_text(store, "customer_id,timestamp,amount,currency\n#999,2024-01-01,1,EUR\n");
    });
    CHECK(error.value() == "#999");
    CHECK_THAT(error.what(), Catch::Contains("names a customer id that is not in the store"));
  }
  SECTION("with a map: ids of the exporting store") {
    const CustomerIdMap map{{77, ann}};
    PurchaseImportOptions options;
    options.customer_ids = &map;
    purchases_from_text(store, "customer_id,timestamp,amount,currency\n#77,2024-01-01,1,EUR\n",
                        options);
    REQUIRE(purchases_by_id(store).size() == 1);
    CHECK(purchases_by_id(store)[0].customer == ann);
    const ParseError error = parse_error_of([&] { purchases_from_text(store, text, options); });
    CHECK_THAT(error.what(), Catch::Contains("not in the customer id map"));
  }
  SECTION("turned off: an external ref like any other") {
    PurchaseImportOptions options;
    options.hash_keys_are_ids = false;
    const ImportReport report = purchases_from_text(store, text, options);
    CHECK(report.customers_created == 1);
    CHECK(store.find_customer_by_external_ref("#" + ann.to_string()).has_value());
  }
}

TEST_CASE("import_purchases appends once per batch and reports growing progress", "[io]") {
  ObservedStore store;
  PurchaseImportOptions options = online_retail_options();
  options.batch_size = 5;
  std::vector<Progress> calls;
  options.progress = [&](const Progress& p) { calls.push_back(p); };
  const ImportReport report =
      crmkit::io::import_purchases(store, data_dir / "online_retail_sample.csv", options);
  CHECK(report.rows_imported == 25);
  // 29 rows in batches of 5: 6 batches, each one bulk append (the last batch holds 4 rows).
  CHECK(store.purchase_appends == 6);
  REQUIRE(calls.size() >= 6);
  for (std::size_t i = 1; i < calls.size(); ++i) {
    CHECK(calls[i].rows >= calls[i - 1].rows);
    CHECK(calls[i].bytes_read >= calls[i - 1].bytes_read);
  }
  CHECK(calls.front().rows == 5);
  CHECK(calls.back().rows == 29);
  const auto size = std::filesystem::file_size(data_dir / "online_retail_sample.csv");
  CHECK(calls.back().bytes_total == size);
  CHECK(calls.back().bytes_read == size);
}

TEST_CASE("import_purchases looks each distinct customer key up in the store once", "[io]") {
  SECTION("known and created keys") {
    ObservedStore store;
    crmkit::io::import_purchases(store, data_dir / "online_retail_sample.csv",
                                 online_retail_options());
    // 26 rows with a key, 7 distinct keys whose rows are good.
    CHECK(store.external_ref_lookups == 7);
    CHECK(store.counts().customers == 7);
  }
  SECTION("unknown keys, rejected, each on several rows") {
    ObservedStore store;
    insert_person(store, "C-1001", "Known");
    PurchaseImportOptions options;
    options.missing_customers = MissingCustomers::reject;
    options.on_error = OnError::skip;
    const ImportReport report =
        crmkit::io::import_purchases(store, data_dir / "purchases_default.csv", options);
    CHECK(report.rows_rejected == 7);
    CHECK(store.external_ref_lookups == 6);  // C-1001 to C-1006, whatever their row count
  }
}

TEST_CASE("import_purchases never leaves a half-written batch when the store fails", "[io]") {
  ObservedStore store;
  store.fail_purchase_append = 2;
  PurchaseImportOptions options;
  options.batch_size = 3;

  SECTION("skip mode keeps the batches committed before the failure") {
    options.on_error = OnError::skip;
    REQUIRE_THROWS_AS(
        crmkit::io::import_purchases(store, data_dir / "purchases_default.csv", options),
        StorageError);
    CHECK(store.counts().purchases == 3);
    // The customers created for the failed batch went with it.
    CHECK(store.find_customer_by_external_ref("C-1002").has_value());
    CHECK_FALSE(store.find_customer_by_external_ref("C-1003").has_value());
    CHECK_FALSE(store.find_customer_by_external_ref("C-1004").has_value());
  }
  SECTION("abort mode keeps nothing") {
    REQUIRE_THROWS_AS(
        crmkit::io::import_purchases(store, data_dir / "purchases_default.csv", options),
        StorageError);
    CHECK(store.counts() == StoreCounts{});
  }
}

// ---------------------------------------------------------------------------------------------
// Interactions

TEST_CASE("import_interactions reads channels, directions, durations and multi-line bodies",
          "[io]") {
  MemoryStore store;
  InteractionImportOptions options;
  options.clock = fixed_now;
  const ImportReport report =
      crmkit::io::import_interactions(store, data_dir / "interactions_basic.csv", options);
  CHECK(report.rows_imported == 4);
  CHECK(report.customers_created == 3);
  CHECK(customer_named(store, "C-5001").lifecycle == LifecycleStage::lead);
  const auto all = interactions_by_id(store);
  REQUIRE(all.size() == 4);
  CHECK(all[0].customers == std::vector<CustomerId>{customer_named(store, "C-5001").id});
  CHECK(all[0].channel == crmkit::Channel::phone);
  CHECK(all[0].direction == crmkit::Direction::outbound);
  CHECK(all[0].duration == std::chrono::seconds{300});
  CHECK(all[0].body == "Discussed pricing, delivery and support.\nFollow-up next week.");
  CHECK(all[0].outcome == "completed");
  CHECK(all[0].author == "alice");
  CHECK(all[0].created_at == fixed_now());
  CHECK(all[1].subject == "Re: quote \"Q-17\"");
  CHECK(all[1].channel == crmkit::Channel::email);
  CHECK(all[2].occurred_at == parse_timestamp("2024-04-09T09:00:00Z"));
  CHECK(all[3].duration == std::chrono::seconds{0});
  CHECK(all[3].direction == crmkit::Direction::inbound);
}

TEST_CASE("import_interactions names the line below a multi-line field and the column", "[io]") {
  MemoryStore store;
  std::istringstream in(
      "customer_id,timestamp,channel,body\n"
      "C-1,2024-04-02T09:00:00Z,phone,\"two\nlines\"\n"
      "C-2,2024-04-03T09:00:00Z,fax,x\n");
  const ParseError error =
      parse_error_of([&] { crmkit::io::import_interactions(store, in, "calls.csv"); });
  CHECK(error.line() == 4);
  CHECK(error.column() == 26);
  CHECK(error.value() == "fax");
  CHECK_THAT(error.what(), Catch::Contains("calls.csv:4:26: 'fax' in column 'channel' "
                                           "(interaction.channel)"));
  CHECK(store.counts() == StoreCounts{});
}

TEST_CASE("import_interactions links several customers and reports bad ones", "[io]") {
  MemoryStore store;
  InteractionImportOptions options;
  options.on_error = OnError::skip;
  std::istringstream in(
      "customer_id,other_customers,timestamp,duration\n"
      "C-1,\"[\"\"C-2\"\",\"\"C-3\"\"]\",2024-04-02T09:00:00Z,60\n"
      "C-1,\"[\"\"C-1\"\"]\",2024-04-02T10:00:00Z,60\n"
      "C-1,not json,2024-04-02T11:00:00Z,60\n"
      "C-1,,2024-04-02T12:00:00Z,-5\n");
  const ImportReport report = crmkit::io::import_interactions(store, in, "multi.csv", options);
  CHECK(report.rows_imported == 1);
  const auto all = interactions_by_id(store);
  REQUIRE(all.size() == 1);
  CHECK(all[0].customers == std::vector<CustomerId>{customer_named(store, "C-1").id,
                                                    customer_named(store, "C-2").id,
                                                    customer_named(store, "C-3").id});
  REQUIRE(report.errors.size() == 3);
  CHECK(report.errors[0].field == "other_customers");
  CHECK_THAT(report.errors[0].message, Catch::Contains("repeats a customer key"));
  CHECK(report.errors[1].field == "other_customers");
  CHECK_THAT(report.errors[1].message, Catch::Contains("is not valid JSON"));
  CHECK(report.errors[2].field == "duration");
  CHECK(report.errors[2].value == "-5 s");
  CHECK_THAT(report.errors[2].message, Catch::Contains("must not be negative"));
}

TEST_CASE("import_interactions turns a store rejection of one element into a row error", "[io]") {
  // The deal id is checked by the store's bulk append only; the importer pins the error on the row.
  ObservedStore store;
  InteractionImportOptions options;
  options.deal_column = "deal_id";
  const std::string text =
      "customer_id,timestamp,deal_id\n"
      "C-1,2024-04-02T09:00:00Z,\n"
      "C-2,2024-04-02T10:00:00Z,42\n"
      "C-3,2024-04-02T11:00:00Z,\n";
  SECTION("skip mode appends the others") {
    options.on_error = OnError::skip;
    std::istringstream in(text);
    const ImportReport report = crmkit::io::import_interactions(store, in, "deals.csv", options);
    CHECK(report.rows_imported == 2);
    REQUIRE(report.errors.size() == 1);
    CHECK(report.errors[0].line == 3);
    CHECK(report.errors[0].field == "deal_id");
    CHECK(report.errors[0].value == "42");
    CHECK_THAT(report.errors[0].message, Catch::Contains("does not refer to an existing deal"));
    CHECK(store.counts().interactions == 2);
    CHECK(store.interaction_appends == 2);  // the rejected try, then the good rows
  }
  SECTION("abort mode throws a ParseError naming the row") {
    std::istringstream in(text);
    const ParseError error =
        parse_error_of([&] { crmkit::io::import_interactions(store, in, "deals.csv", options); });
    CHECK(error.line() == 3);
    CHECK(error.value() == "42");
    CHECK_THAT(error.what(), Catch::Contains("deals.csv:3: '42' in column 'deal_id'"));
    CHECK(store.counts() == StoreCounts{});
  }
}

// One bad cell in an otherwise good row: the ParseError names the line, the column and the value.
struct BadCell {
  const char* column;
  std::string value;
  std::string reported;  // the value the error names
};

template <class Import>
void check_bad_cells(const std::vector<std::string>& header, const std::vector<std::string>& good,
                     const std::vector<BadCell>& cases, Import&& import) {
  for (const BadCell& c : cases) {
    INFO("column " << c.column << ", value '" << c.value << "'");
    std::vector<std::string> row = good;
    const auto at = std::find(header.begin(), header.end(), c.column);
    REQUIRE(at != header.end());
    row[static_cast<std::size_t>(at - header.begin())] = c.value;
    MemoryStore store;
    std::istringstream in(csv_of(header, row));
    const ParseError error = parse_error_of([&] { import(store, in); });
    CHECK(error.source() == "cells.csv");
    CHECK(error.line() == 2);
    CHECK(error.column() > 0);
    CHECK(error.value() == c.reported);
    CHECK_THAT(error.what(), Catch::Contains(std::string("in column '") + c.column + "'"));
    CHECK(store.counts() == StoreCounts{});
  }
}

TEST_CASE("import_interactions names the column and value of every bad cell", "[io]") {
  const std::vector<std::string> header{"customer_id", "timestamp",  "channel",     "direction",
                                        "duration",    "created_at", "external_ref"};
  const std::vector<std::string> good{"C-1", "2024-01-01T00:00:00Z", "phone", "inbound",
                                      "10",  "2024-01-01T00:00:00Z", "E-1"};
  // The good row is good.
  MemoryStore store;
  std::istringstream in(csv_of(header, good));
  CHECK(crmkit::io::import_interactions(store, in, "cells.csv").rows_imported == 1);

  check_bad_cells(
      header, good,
      {{"timestamp", "2024-01-01T25:00:00Z", "2024-01-01T25:00:00Z"},
       {"channel", "fax", "fax"},
       {"direction", "sideways", "sideways"},
       {"duration", "ten", "ten"},
       {"duration", "-1", "-1 s"},
       {"created_at", "yesterday", "yesterday"},
       {"external_ref", std::string(129, 'E'), std::string(129, 'E')}},
      [](Store& s, std::istream& i) { crmkit::io::import_interactions(s, i, "cells.csv"); });
}

TEST_CASE("import_customers names the column and value of every bad cell", "[io]") {
  const std::vector<std::string> header{
      "id",         "external_ref", "kind",           "given_name", "phones",
      "addresses",  "tags",         "consent_status", "consent_at", "consent_basis",
      "created_at", "deleted_at",   "attributes"};
  const std::vector<std::string> good{"1", "X-1", "person", "Ann", "", "", "vip",
                                      "",  "",    "",       "",    "", ""};
  MemoryStore store;
  std::istringstream in(csv_of(header, good));
  CHECK(crmkit::io::import_customers(store, in, "cells.csv").rows_imported == 1);

  check_bad_cells(
      header, good,
      {{"id", "abc", "abc"},
       {"id", "0", "0"},
       {"external_ref", std::string(129, 'X'), std::string(129, 'X')},
       {"kind", "robot", "robot"},
       {"given_name", "", ""},
       {"phones", R"([{"number":"12"}])", "12"},
       {"addresses", R"([{"lines":[""],"primary":true}])", "1 lines"},
       {"tags", std::string(65, 't'), std::string(65, 't')},
       {"consent_status", "maybe", "maybe"},
       {"consent_at", "yesterday", "yesterday"},
       {"consent_basis", "whim", "whim"},
       {"created_at", "2024-02-30", "2024-02-30"},
       {"deleted_at", "soon", "soon"},
       {"attributes", R"({"Bad Name":1})", "Bad Name"}},
      [](Store& s, std::istream& i) { crmkit::io::import_customers(s, i, "cells.csv"); });
  // A rule across columns: granted consent needs a time; the error names the time's column.
  std::vector<std::string> granted = good;
  granted[7] = "granted";
  granted[9] = "consent";
  std::istringstream granted_in(csv_of(header, granted));
  MemoryStore other;
  const ParseError error =
      parse_error_of([&] { crmkit::io::import_customers(other, granted_in, "cells.csv"); });
  CHECK_THAT(error.what(), Catch::Contains("in column 'consent_at' (customer.consent.at) must be "
                                           "set when the status is granted"));
}

TEST_CASE("import_interactions requires the customer and time columns", "[io]") {
  MemoryStore store;
  std::istringstream in("customer,timestamp\nC-1,2024-01-01\n");
  const ParseError error =
      parse_error_of([&] { crmkit::io::import_interactions(store, in, "i.csv"); });
  CHECK(error.value() == "customer_id");
  CHECK(error.line() == 1);
}

// ---------------------------------------------------------------------------------------------
// Customers

TEST_CASE("import_customers reads plain columns of a hand-made file", "[io]") {
  MemoryStore store;
  CustomerImportOptions options;
  options.default_region = "FR";
  options.clock = fixed_now;
  const ImportReport report =
      crmkit::io::import_customers(store, data_dir / "customers_basic.csv", options);
  CHECK(report.rows_imported == 4);
  CHECK(report.errors.empty());

  const Customer acme = customer_named(store, "ORG-ACME");
  CHECK(acme.kind == CustomerKind::organization);
  CHECK(acme.legal_name == "ACME Industries SA");
  REQUIRE(acme.emails.size() == 1);
  CHECK(acme.emails[0].address.str() == "contact@acme.example");
  CHECK(acme.emails[0].primary);
  REQUIRE(acme.phones.size() == 1);
  CHECK(acme.phones[0].number.str() == "+33123456789");
  CHECK(acme.tags == std::set<std::string>{"b2b", "key-account"});
  CHECK(acme.lifecycle == LifecycleStage::customer);
  CHECK(acme.source == "trade-show");
  CHECK(acme.created_at == fixed_now());

  const Customer ann = customer_named(store, "C-3001");
  CHECK(ann.phones[0].number.str() == "+33612345678");  // a national number of the default region
  const Customer bob = customer_named(store, "C-3002");
  CHECK(bob.family_name == "O'Hara");
  CHECK(bob.emails[0].address.str() == "Bob@example.com");
  CHECK(bob.phones.empty());
  CHECK(bob.lifecycle == LifecycleStage::prospect);
  const Customer chloe = customer_named(store, "C-3003");
  CHECK(chloe.kind == CustomerKind::person);
  CHECK(chloe.given_name == "Chloé");
  CHECK(chloe.phones[0].number.str() == "+442079460958");
  CHECK(chloe.tags == std::set<std::string>{"newsletter", "vip"});
}

TEST_CASE("import_customers turns domain errors into row errors naming the column", "[io]") {
  MemoryStore store;
  CustomerImportOptions options;

  SECTION("abort mode") {
    const ParseError error = parse_error_of(
        [&] { crmkit::io::import_customers(store, data_dir / "customers_bad.csv", options); });
    CHECK(error.line() == 3);
    CHECK(error.column() == 19);
    CHECK(error.value() == "fox@@fbi.example");
    CHECK_THAT(error.what(), Catch::Contains("customers_bad.csv:3:19: 'fox@@fbi.example' in column "
                                             "'email' is not a valid email address"));
    CHECK(store.counts() == StoreCounts{});
  }
  SECTION("skip mode") {
    options.on_error = OnError::skip;
    const ImportReport report =
        crmkit::io::import_customers(store, data_dir / "customers_bad.csv", options);
    CHECK(report.rows_imported == 2);
    REQUIRE(report.errors.size() == 3);
    CHECK(report.errors[0].line == 3);
    CHECK(report.errors[0].field == "email");
    CHECK(report.errors[1].line == 4);
    CHECK(report.errors[1].field == "lifecycle");
    CHECK(report.errors[1].value == "retired");
    CHECK(report.errors[2].line == 5);
    CHECK(report.errors[2].field == "given_name");
    CHECK_THAT(report.errors[2].message,
               Catch::Contains("(customer.given_name) must not be empty"));
    CHECK(store.counts().customers == 2);
    CHECK(store.find_customer_by_external_ref("C-4005").has_value());
  }
  SECTION("a national phone number without a default region") {
    const ParseError error = parse_error_of(
        [&] { crmkit::io::import_customers(store, data_dir / "customers_basic.csv", options); });
    CHECK(error.line() == 3);
    CHECK(error.value() == "06 12 34 56 78");
    CHECK_THAT(error.what(), Catch::Contains("in column 'phone'"));
  }
}

TEST_CASE("import_customers rejects, skips or updates customers already in the store", "[io]") {
  MemoryStore store;
  const CustomerId old = insert_person(store, "C-3001", "Old");
  CustomerImportOptions options;
  options.default_region = "FR";

  SECTION("reject") {
    const ParseError error = parse_error_of(
        [&] { crmkit::io::import_customers(store, data_dir / "customers_basic.csv", options); });
    CHECK(error.line() == 3);
    CHECK(error.value() == "C-3001");
    CHECK_THAT(error.what(), Catch::Contains("in column 'external_ref' is taken"));
    CHECK(store.counts().customers == 1);
  }
  SECTION("skip") {
    options.existing_customers = ExistingCustomers::skip;
    const ImportReport report =
        crmkit::io::import_customers(store, data_dir / "customers_basic.csv", options);
    CHECK(report.rows_imported == 3);
    CHECK(report.rows_unchanged == 1);
    CHECK(customer_named(store, "C-3001").given_name == "Old");
  }
  SECTION("update") {
    options.existing_customers = ExistingCustomers::update;
    const ImportReport report =
        crmkit::io::import_customers(store, data_dir / "customers_basic.csv", options);
    CHECK(report.rows_imported == 4);
    const Customer ann = customer_named(store, "C-3001");
    CHECK(ann.id == old);
    CHECK(ann.given_name == "Ann");
    CHECK(ann.version == 2);
  }
}

TEST_CASE("import_customers reads JSON lists, memberships and typed attributes", "[io]") {
  MemoryStore store;
  CustomerImportOptions options;
  options.on_error = OnError::skip;
  std::istringstream in(
      "id,external_ref,kind,given_name,legal_name,emails,memberships,attributes\n"
      "10,ORG-1,organization,,Globex,,,\n"
      "11,,organization,,Initech,,,\n"
      "12,P-1,person,Hank,,\"[{\"\"address\"\":\"\"hank@globex.example\"\",\"\"label\"\":"
      "\"\"work\"\","
      "\"\"primary\"\":true},{\"\"address\"\":\"\"h@home.example\"\"}]\","
      "\"[{\"\"organization\"\":\"\"ORG-1\"\",\"\"role\"\":\"\"CEO\"\"},{\"\"organization\"\":\"\"#"
      "11\"\"}]\","
      "\"{\"\"score\"\":3,\"\"ratio\"\":0.5,\"\"vip\"\":true,\"\"note\"\":\"\"x\"\",\"\"none\"\":"
      "null,"
      "\"\"since\"\":{\"\"$timestamp\"\":\"\"2024-01-01T00:00:00Z\"\"}}\"\n"
      "13,P-2,person,Peter,,,\"[{\"\"organization\"\":\"\"ORG-9\"\"}]\",\n"
      "14,P-3,person,Milton,,\"[{\"\"address\"\":1}]\",,\n"
      "15,P-4,person,Bill,,,,\"{\"\"weird\"\":[1]}\"\n");
  const ImportReport report = crmkit::io::import_customers(store, in, "json.csv", options);
  CHECK(report.rows_imported == 3);
  CHECK(report.customer_ids.size() == 3);

  const Customer hank = customer_named(store, "P-1");
  CHECK(report.customer_ids.at(12) == hank.id);
  REQUIRE(hank.emails.size() == 2);
  CHECK(hank.emails[0].label == "work");
  CHECK(hank.emails[0].primary);
  CHECK_FALSE(hank.emails[1].primary);
  REQUIRE(hank.memberships.size() == 2);
  CHECK(hank.memberships[0].organization == customer_named(store, "ORG-1").id);
  CHECK(hank.memberships[0].role == "CEO");
  CHECK(hank.memberships[1].organization == report.customer_ids.at(11));
  CHECK(std::get<std::int64_t>(hank.attributes.at("score")) == 3);
  CHECK(std::get<double>(hank.attributes.at("ratio")) == 0.5);
  CHECK(std::get<bool>(hank.attributes.at("vip")));
  CHECK(std::get<std::string>(hank.attributes.at("note")) == "x");
  CHECK(std::holds_alternative<std::monostate>(hank.attributes.at("none")));
  CHECK(std::get<Timestamp>(hank.attributes.at("since")) == parse_timestamp("2024-01-01"));

  REQUIRE(report.errors.size() == 3);
  CHECK(report.errors[0].line == 5);
  CHECK(report.errors[0].field == "memberships");
  CHECK(report.errors[0].value == "ORG-9");
  CHECK_THAT(
      report.errors[0].message,
      Catch::Contains("(customer.memberships[0].organization) is the external ref of no customer"));
  CHECK(report.errors[1].field == "emails");
  CHECK_THAT(report.errors[1].message,
             Catch::Contains("(customer.emails[0].address) must be a JSON string"));
  CHECK(report.errors[2].field == "attributes");
  CHECK_THAT(report.errors[2].message, Catch::Contains("customer.attributes[weird]"));
}
