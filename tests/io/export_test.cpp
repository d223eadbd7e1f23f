#include <catch2/catch.hpp>

#include "crmkit/io/export.hpp"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "crmkit/core/error.hpp"
#include "crmkit/io/csv_reader.hpp"
#include "crmkit/io/import.hpp"
#include "crmkit/storage/memory_store.hpp"

using crmkit::Attributes;
using crmkit::ConsentStatus;
using crmkit::Currency;
using crmkit::Customer;
using crmkit::CustomerId;
using crmkit::CustomerKind;
using crmkit::Email;
using crmkit::Interaction;
using crmkit::LawfulBasis;
using crmkit::LifecycleStage;
using crmkit::Money;
using crmkit::parse_timestamp;
using crmkit::Phone;
using crmkit::Purchase;
using crmkit::Timestamp;
using crmkit::io::CsvReader;
using crmkit::io::CsvWriter;
using crmkit::io::ExportOptions;
using crmkit::storage::MemoryStore;
using crmkit::storage::Store;

namespace {

Timestamp at(const char* text) { return parse_timestamp(text); }

// The records of a fully populated store, with ids that have gaps (so that a store importing
// them assigns different ids).
struct Fixture {
  MemoryStore store;
  CustomerId globex;
  CustomerId initech;  // no external ref: exported as `#N`
  CustomerId hank;
  CustomerId renee;  // no external ref, soft-deleted
  CustomerId solo;

  Fixture() {
    burn_an_id();
    globex = store.insert_customer(globex_record()).id;
    burn_an_id();
    Customer initech_record;
    initech_record.kind = CustomerKind::organization;
    initech_record.legal_name = "Initech, Inc.";
    initech_record.created_at = at("2022-05-06T07:08:09Z");
    initech_record.updated_at = initech_record.created_at;
    initech = store.insert_customer(initech_record).id;
    hank = store.insert_customer(hank_record()).id;
    renee = store.insert_customer(renee_record()).id;
    Customer solo_record;
    solo_record.given_name = "Solo";
    solo = store.insert_customer(solo_record).id;
    add_purchases();
    add_interactions();
  }

  void burn_an_id() {
    Customer gap;
    gap.given_name = "Gap";
    store.remove_customer(store.insert_customer(gap).id);
  }

  static Customer globex_record() {
    Customer c;
    c.kind = CustomerKind::organization;
    c.legal_name = "Globex Corporation";
    c.external_ref = "ORG-GLOBEX";
    c.emails = {{Email("info@globex.example"), "info", true}};
    c.phones = {{Phone("+1 555 123 4567"), "switchboard", true}};
    c.addresses = {
        {{"1 Globex Way", "Building 7"}, "Cypress Creek", "OR", "97000", "US", "hq", true}};
    c.owner = "alice";
    c.tags = {"b2b", "enterprise"};
    c.lifecycle = LifecycleStage::customer;
    c.source = "referral";
    c.attributes = {{"tier", std::string("gold")}, {"seats", std::int64_t{250}}};
    c.created_at = at("2023-01-02T03:04:05.123456Z");
    c.updated_at = at("2023-02-03T04:05:06.5Z");
    return c;
  }

  Customer hank_record() const {
    Customer c;
    c.given_name = "Hank";
    c.family_name = "Scorpio";
    c.external_ref = "P-HANK";
    c.emails = {{Email("hank@globex.example"), "work", true},
                {Email("Hank.S@Home.Example"), "", false}};
    c.phones = {{Phone("+1 555 987 6543"), "mobile", false}, {Phone("+33612345678"), "", true}};
    c.addresses = {{{"12 Volcano Road"}, "Cypress Creek", "", "97001", "US", "home", true},
                   {{"", "PO Box 42"}, "", "", "", "", "mail, \"drop\"", false}};
    c.memberships = {{globex, "CEO"}, {initech, "advisor"}};
    c.owner = "bob";
    c.tags = {"newsletter", "vip"};
    c.lifecycle = LifecycleStage::customer;
    c.source = "web-form";
    c.consent = {ConsentStatus::granted, at("2023-03-04T05:06:07.000001Z"), LawfulBasis::consent};
    c.attributes = {{"none", std::monostate{}},
                    {"active", true},
                    {"score", std::int64_t{-42}},
                    {"ratio", 0.1},
                    {"big", 1e300},
                    {"whole_double", 3.0},
                    {"note", std::string("says \"hi\", then\nleaves")},
                    {"since", at("2020-02-29T23:59:59.999999Z")}};
    c.created_at = at("2023-03-01T00:00:00Z");
    c.updated_at = at("2023-03-05T10:00:00.000100Z");
    return c;
  }

  static Customer renee_record() {
    Customer c;
    c.given_name = "Renée \"Ren\"";
    c.family_name = "O'Brien, Jr.";
    c.lifecycle = LifecycleStage::inactive;
    c.consent = {ConsentStatus::withdrawn, at("2023-06-01T12:00:00Z"), LawfulBasis::none};
    c.created_at = at("2023-04-01T08:00:00Z");
    c.updated_at = at("2023-06-01T12:00:00Z");
    c.deleted_at = at("2023-06-02T00:00:00Z");
    return c;
  }

  void add_purchases() {
    const auto purchase = [](CustomerId customer, const char* when, Money amount, std::string order,
                             std::optional<double> quantity, std::string product) {
      Purchase p;
      p.customer = customer;
      p.occurred_at = at(when);
      p.amount = amount;
      p.order_ref = std::move(order);
      p.quantity = quantity;
      p.product_ref = std::move(product);
      return p;
    };
    std::vector<Purchase> purchases{
        purchase(hank, "2024-01-05T09:15:00Z", Money(12990, Currency("EUR")), "SO-1", 1.0, "SKU-1"),
        purchase(hank, "2024-01-05T09:15:00Z", Money(1500, Currency("EUR")), "SO-1", 3.0,
                 "SKU, \"2\""),
        purchase(hank, "2024-01-06T10:00:00.000001Z", Money(12000, Currency("JPY")), "SO-2", 2.5,
                 ""),
        purchase(hank, "2024-01-04T00:00:00Z", Money(-12990, Currency("EUR")), "RT-1", std::nullopt,
                 ""),
        purchase(globex, "2024-02-01T12:00:00Z", Money(310000, Currency("KWD")), "SO-3", 1.0,
                 "GOLD"),
        purchase(initech, "2024-02-02T12:00:00Z", Money(99, Currency("USD")), "", std::nullopt, ""),
        purchase(renee, "2023-05-01T12:00:00Z", Money(2500, Currency("GBP")), "SO-4", 0.75, "TEA")};
    store.append_purchases(purchases);
  }

  void add_interactions() {
    Interaction meeting;
    meeting.channel = crmkit::Channel::meeting;
    meeting.direction = crmkit::Direction::outbound;
    meeting.occurred_at = at("2024-03-01T14:00:00Z");
    meeting.duration = std::chrono::seconds{5400};
    meeting.subject = "Quarterly review, \"Q1\"";
    meeting.body = "Agenda:\n- pricing, volumes\r\n- \"next steps\"";
    meeting.outcome = "follow-up";
    meeting.author = "alice";
    meeting.customers = {hank, initech, globex};
    meeting.external_ref = "MEET-1";
    meeting.created_at = at("2024-03-01T16:00:00.250000Z");
    Interaction mail;
    mail.channel = crmkit::Channel::email;
    mail.occurred_at = at("2024-03-01T14:00:00Z");
    mail.subject = "Unsubscribe";
    mail.customers = {renee};
    mail.created_at = at("2024-03-01T14:00:01Z");
    Interaction call;
    call.channel = crmkit::Channel::phone;
    call.direction = crmkit::Direction::internal;
    call.occurred_at = at("2024-03-01T14:00:00Z");  // same time as the meeting: order by id
    call.customers = {hank};
    call.created_at = at("2024-03-01T14:00:00Z");
    std::vector<Interaction> all{meeting, mail, call};
    store.append_interactions(all);
  }
};

std::string export_text(std::uint64_t (*exporter)(Store&, std::ostream&, const ExportOptions&),
                        Store& store, const ExportOptions& options = {}) {
  std::ostringstream out;
  exporter(store, out, options);
  return out.str();
}

std::string customers_csv(Store& store, const ExportOptions& options = {}) {
  return export_text(&crmkit::io::export_customers, store, options);
}
std::string purchases_csv(Store& store, const ExportOptions& options = {}) {
  return export_text(&crmkit::io::export_purchases, store, options);
}
std::string interactions_csv(Store& store, const ExportOptions& options = {}) {
  return export_text(&crmkit::io::export_interactions, store, options);
}

// The CSV with what may differ between stores blanked: the `id` column and `#N` keys.
std::string without_ids(const std::string& csv) {
  static const std::regex hash_key("#[0-9]+");
  std::istringstream in(csv);
  CsvReader reader(in, "export");
  std::ostringstream out;
  CsvWriter writer(out);
  writer.row(reader.columns());
  const std::optional<std::size_t> id = reader.column_index("id");
  std::vector<std::string_view> fields;
  while (reader.next(fields)) {
    std::vector<std::string> row;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      row.push_back(i == id ? std::string()
                            : std::regex_replace(std::string(fields[i]), hash_key, "#?"));
    }
    writer.row(row);
  }
  return out.str();
}

std::size_t count_lines_starting(const std::string& text, const std::string& prefix) {
  std::size_t count = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(prefix, 0) == 0) ++count;
  }
  return count;
}

// A scratch directory removed at the end of the test.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    path = std::filesystem::temp_directory_path() /
           ("crmkit_io_export_" + std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

}  // namespace

TEST_CASE("export then import into an empty store then export again is lossless", "[io]") {
  Fixture source;
  const std::string customers = customers_csv(source.store);
  const std::string purchases = purchases_csv(source.store);
  const std::string interactions = interactions_csv(source.store);

  MemoryStore target;
  std::istringstream customers_in(customers);
  const auto imported = crmkit::io::import_customers(target, customers_in, "customers.csv");
  REQUIRE(imported.rows_imported == 5);
  crmkit::io::PurchaseImportOptions purchase_options;
  purchase_options.customer_ids = &imported.customer_ids;
  purchase_options.missing_customers = crmkit::io::MissingCustomers::reject;
  std::istringstream purchases_in(purchases);
  REQUIRE(crmkit::io::import_purchases(target, purchases_in, "purchases.csv", purchase_options)
              .rows_imported == 7);
  crmkit::io::InteractionImportOptions interaction_options;
  interaction_options.customer_ids = &imported.customer_ids;
  interaction_options.missing_customers = crmkit::io::MissingCustomers::reject;
  std::istringstream interactions_in(interactions);
  REQUIRE(crmkit::io::import_interactions(target, interactions_in, "interactions.csv",
                                          interaction_options)
              .rows_imported == 3);
  CHECK(target.counts() == source.store.counts());

  // The ids did change (the source has gaps), so only the id-free parts can be equal...
  const std::string customers_again = customers_csv(target);
  CHECK(customers_again != customers);
  // ...and they are, byte for byte.
  CHECK(without_ids(customers_again) == without_ids(customers));
  CHECK(without_ids(purchases_csv(target)) == without_ids(purchases));
  CHECK(without_ids(interactions_csv(target)) == without_ids(interactions));

  // The records themselves survived, references translated to the new ids.
  Customer hank = *target.find_customer_by_external_ref("P-HANK");
  const Customer globex = *target.find_customer_by_external_ref("ORG-GLOBEX");
  REQUIRE(hank.memberships.size() == 2);
  CHECK(hank.memberships[0].organization == globex.id);
  CHECK(target.get_customer(hank.memberships[1].organization)->legal_name == "Initech, Inc.");
  Customer original = *source.store.get_customer(source.hank);
  hank.id = original.id;
  hank.memberships = original.memberships;
  CHECK(hank == original);
}

TEST_CASE("export_customers writes organizations first, JSON lists and exact times", "[io]") {
  Fixture source;
  const std::string csv = customers_csv(source.store);
  std::istringstream in(csv);
  CsvReader reader(in, "customers");
  CHECK(reader.columns() ==
        std::vector<std::string>{
            "id",         "external_ref",  "kind",       "given_name", "family_name",
            "legal_name", "emails",        "phones",     "addresses",  "memberships",
            "owner",      "tags",          "lifecycle",  "source",     "consent_status",
            "consent_at", "consent_basis", "attributes", "created_at", "updated_at",
            "deleted_at"});
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string_view> fields;
  while (reader.next(fields)) rows.emplace_back(fields.begin(), fields.end());
  REQUIRE(rows.size() == 5);
  CHECK(rows[0][0] == source.globex.to_string());
  CHECK(rows[1][0] == source.initech.to_string());
  CHECK(rows[2][0] == source.hank.to_string());
  CHECK(rows[0][2] == "organization");
  CHECK(rows[0][6] == R"([{"address":"info@globex.example","label":"info","primary":true}])");
  CHECK(rows[0][11] == "b2b,enterprise");
  CHECK(rows[0][17] == R"({"seats":250,"tier":"gold"})");
  CHECK(rows[0][18] == "2023-01-02T03:04:05.123456Z");
  CHECK(rows[0][19] == "2023-02-03T04:05:06.500000Z");
  CHECK(rows[2][9] == R"([{"organization":"ORG-GLOBEX","role":"CEO"},{"organization":"#)" +
                          source.initech.to_string() + R"(","role":"advisor"}])");
  CHECK(rows[2][14] == "granted");
  CHECK(rows[2][15] == "2023-03-04T05:06:07.000001Z");
  CHECK(rows[3][20] == "2023-06-02T00:00:00.000000Z");
  CHECK(rows[4][6].empty());  // no emails: an empty cell
}

TEST_CASE("export_purchases writes exact amounts, grouped by customer, oldest first", "[io]") {
  Fixture source;
  const std::string csv = purchases_csv(source.store);
  const std::string hank = "P-HANK";
  CHECK(csv.rfind("id,customer_id,timestamp,amount,currency,order_ref,quantity,product_ref\n", 0) ==
        0);
  CHECK_THAT(csv, Catch::Contains(",P-HANK,2024-01-04T00:00:00.000000Z,-129.90,EUR,RT-1,,\n"));
  CHECK_THAT(csv, Catch::Contains(",P-HANK,2024-01-05T09:15:00.000000Z,129.90,EUR,SO-1,1,SKU-1\n"));
  CHECK_THAT(csv, Catch::Contains(
                      ",P-HANK,2024-01-05T09:15:00.000000Z,15.00,EUR,SO-1,3,\"SKU, \"\"2\"\"\"\n"));
  CHECK_THAT(csv, Catch::Contains(",P-HANK,2024-01-06T10:00:00.000001Z,12000,JPY,SO-2,2.5,\n"));
  CHECK_THAT(csv,
             Catch::Contains(",ORG-GLOBEX,2024-02-01T12:00:00.000000Z,310.000,KWD,SO-3,1,GOLD\n"));
  CHECK_THAT(csv, Catch::Contains(",#" + source.initech.to_string() +
                                  ",2024-02-02T12:00:00.000000Z,0.99,USD,,,\n"));
  // Organizations first; within a customer by time then id.
  CHECK(csv.find("ORG-GLOBEX") < csv.find("P-HANK"));
  CHECK(csv.find("RT-1") < csv.find("SKU-1"));
  CHECK(csv.find("SKU-1") < csv.find("SKU, "));
}

TEST_CASE("export_interactions writes each interaction once, with the others' keys", "[io]") {
  Fixture source;
  const std::string csv = interactions_csv(source.store);
  CHECK(csv.rfind("id,customer_id,other_customers,timestamp,channel,direction,duration,subject,"
                  "body,outcome,author,deal_id,external_ref,created_at\n",
                  0) == 0);
  std::istringstream in(csv);
  CsvReader reader(in, "interactions");
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string_view> fields;
  while (reader.next(fields)) rows.emplace_back(fields.begin(), fields.end());
  REQUIRE(rows.size() == 3);
  CHECK(rows[0][1] == "P-HANK");
  CHECK(rows[0][2] == R"(["#)" + source.initech.to_string() + R"(","ORG-GLOBEX"])");
  CHECK(rows[0][6] == "5400");
  CHECK(rows[0][8] == "Agenda:\n- pricing, volumes\r\n- \"next steps\"");
  CHECK(rows[0][13] == "2024-03-01T16:00:00.250000Z");
  CHECK(rows[1][1] == "P-HANK");  // the call, same time as the meeting, later id
  CHECK(rows[1][5] == "internal");
  CHECK(rows[2][1] == "#" + source.renee.to_string());
  CHECK(rows[2][4] == "email");
}

TEST_CASE("exports can leave soft-deleted customers out", "[io]") {
  Fixture source;
  ExportOptions options;
  options.include_deleted = false;
  const std::string renee_key = "#" + source.renee.to_string();
  CHECK(count_lines_starting(customers_csv(source.store, options),
                             source.renee.to_string() + ",") == 0);
  CHECK(count_lines_starting(customers_csv(source.store), source.renee.to_string() + ",") == 1);
  CHECK(purchases_csv(source.store, options).find(renee_key) == std::string::npos);
  CHECK(purchases_csv(source.store).find(renee_key) != std::string::npos);
  CHECK(interactions_csv(source.store, options).find(renee_key) == std::string::npos);
}

TEST_CASE("exports use the delimiter they are given", "[io]") {
  Fixture source;
  ExportOptions options;
  options.delimiter = ';';
  const std::string csv = purchases_csv(source.store, options);
  CHECK(csv.rfind("id;customer_id;timestamp;amount;currency;order_ref;quantity;product_ref\n", 0) ==
        0);
  CHECK_THAT(csv, Catch::Contains(
                      ";P-HANK;2024-01-05T09:15:00.000000Z;15.00;EUR;SO-1;3;\"SKU, \"\"2\"\"\"\n"));
  MemoryStore target;
  crmkit::io::CustomerImportOptions customer_options;
  customer_options.format.delimiter = ';';
  std::istringstream customers_in(customers_csv(source.store, options));
  const auto customers =
      crmkit::io::import_customers(target, customers_in, "c.csv", customer_options);
  CHECK(customers.rows_imported == 5);
  crmkit::io::PurchaseImportOptions import_options;
  import_options.format.delimiter = ';';
  import_options.customer_ids = &customers.customer_ids;
  std::istringstream in(csv);
  CHECK(crmkit::io::import_purchases(target, in, "semicolons.csv", import_options).rows_imported ==
        7);
}

TEST_CASE("exports to a .gz file are gzip data that imports read back", "[io]") {
  Fixture source;
  TempDir dir;
  const auto plain = dir.path / "purchases.csv";
  const auto gz = dir.path / "purchases.csv.gz";
  CHECK(crmkit::io::export_purchases(source.store, plain) == 7);
  CHECK(crmkit::io::export_purchases(source.store, gz) == 7);
  CHECK(crmkit::io::export_customers(source.store, dir.path / "customers.csv.gz") == 5);
  CHECK(crmkit::io::export_interactions(source.store, dir.path / "interactions.csv") == 3);

  std::ifstream raw(gz, std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(raw), std::istreambuf_iterator<char>()};
  REQUIRE(bytes.size() > 2);
  CHECK(bytes.substr(0, 2) == "\x1F\x8B");
  CHECK(bytes.size() < std::filesystem::file_size(plain));

  CsvReader from_gz(gz);
  CsvReader from_plain(plain);
  std::vector<std::string_view> a;
  std::vector<std::string_view> b;
  std::size_t rows = 0;
  while (from_plain.next(b)) {
    REQUIRE(from_gz.next(a));
    CHECK(std::vector<std::string>(a.begin(), a.end()) ==
          std::vector<std::string>(b.begin(), b.end()));
    ++rows;
  }
  CHECK_FALSE(from_gz.next(a));
  CHECK(rows == 7);

  MemoryStore target;
  const auto customers = crmkit::io::import_customers(target, dir.path / "customers.csv.gz");
  crmkit::io::PurchaseImportOptions options;
  options.customer_ids = &customers.customer_ids;
  CHECK(crmkit::io::import_purchases(target, gz, options).rows_imported == 7);
}

TEST_CASE("exports report a failing stream or file", "[io]") {
  Fixture source;
  std::ostringstream broken;
  broken.setstate(std::ios::badbit);
  REQUIRE_THROWS_AS(crmkit::io::export_customers(source.store, broken), crmkit::Error);
  REQUIRE_THROWS_WITH(
      crmkit::io::export_purchases(source.store, std::filesystem::path("/nonexistent/dir/p.csv")),
      Catch::Contains("/nonexistent/dir/p.csv: cannot open the file for writing"));
}
