#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "crmkit/core/error.hpp"
#include "crmkit/storage/sqlite_store.hpp"
#include "crmkit/testing/store_contract.hpp"
#include "support/temp_file.hpp"

// Private headers of the SQLite backend: the exact migration SQL an older crmkit ran, and a bare
// connection to run SQL with.
#include "../../src/storage/sqlite/migrations.hpp"
#include "../../src/storage/sqlite/raw_connection.hpp"

using crmkit::Customer;
using crmkit::CustomerId;
using crmkit::StorageError;
using crmkit::storage::SqliteOptions;
using crmkit::storage::SqliteStore;
using crmkit::storage::sqlite::RawConnection;
using namespace crmkit::testing::fixtures;

namespace {

using crmkit::test::TempDir;

std::string text_of(RawConnection& raw, const std::string& sql) {
  const std::optional<std::string> value = raw.value(sql);
  REQUIRE(value.has_value());
  return *value;
}

std::set<std::string> index_names(RawConnection& raw) {
  std::set<std::string> names;
  for (const auto& row : raw.rows("SELECT name FROM sqlite_schema WHERE type = 'index'")) {
    names.insert(row.at(0).value_or(""));
  }
  return names;
}

// The indexes version 2 adds, read from its SQL so that the list cannot drift from it.
std::set<std::string> v2_index_names() {
  std::set<std::string> names;
  const std::string_view sql = crmkit::storage::sqlite::schema_v2;
  for (std::size_t pos = sql.find("INDEX "); pos != std::string_view::npos;
       pos = sql.find("INDEX ", pos + 1)) {
    const std::size_t start = pos + 6;
    names.insert(std::string(sql.substr(start, sql.find_first_of(" \n", start) - start)));
  }
  return names;
}

// A version-1 file, as crmkit 0.1 with only the first migration would have left it.
void create_v1_file(const std::string& path) {
  RawConnection raw(path);
  raw.execute(std::string(crmkit::storage::sqlite::schema_v1));
  raw.execute("PRAGMA application_id = " +
              std::to_string(crmkit::storage::sqlite::crmkit_application_id));
  raw.execute("PRAGMA user_version = 1");
}

// Rows a version-1 crmkit wrote: an organization, a person with every child row, a pipeline, a
// won deal, a meeting and two purchases. Times are microseconds since the epoch.
constexpr const char* v1_rows = R"sql(
INSERT INTO customers VALUES (1, 'organization', '', '', 'Analytical Engines Ltd', 'ERP-ORG',
  'maria.k', 'customer', '', 'unknown', NULL, 'none', 1700000000000000, 1700000000000000, 3, NULL);
INSERT INTO customers VALUES (2, 'person', 'Zoë', 'Ødegård', '', 'ERP-42', 'maria.k', 'prospect',
  'web-form', 'granted', 1700000001000000, 'consent', 1700000000000000, 1700000002000000, 1, NULL);
INSERT INTO customer_emails
  VALUES (2, 0, 'Zoe.Odegard@example.com', 'zoe.odegard@example.com', 'work', 1);
INSERT INTO customer_emails
  VALUES (2, 1, 'zoe@privat.example.org', 'zoe@privat.example.org', '', 0);
INSERT INTO customer_phones VALUES (2, 0, '+33612345678', 'mobile', 1);
INSERT INTO customer_addresses VALUES (2, 0, 'Paris', '', '75005', 'FR', 'billing', 1);
INSERT INTO customer_address_lines VALUES (2, 0, 0, '12 rue des Écoles');
INSERT INTO customer_address_lines VALUES (2, 0, 1, 'Bâtiment B');
INSERT INTO customer_memberships VALUES (2, 0, 1, 'CFO');
INSERT INTO customer_tags VALUES (2, 'vip');
INSERT INTO customer_attributes VALUES (2, 'score', 'double', 0.8125);
INSERT INTO customer_attributes VALUES (2, 'code', 'string', '007');
INSERT INTO pipelines VALUES (1, 'New business', 1690000000000000, 1690000000000000, 1);
INSERT INTO pipeline_stages VALUES (1, 0, 'lead', 'Lead', 'open', 0.1, NULL);
INSERT INTO pipeline_stages VALUES (1, 1, 'won', 'Won', 'won', 1.0, NULL);
INSERT INTO pipeline_stages VALUES (1, 2, 'lost', 'Lost', 'lost', 0.0, 30);
INSERT INTO deals VALUES (1, 1, 'won', 1, 'Licence', 1200000, 'EUR', 0.5, '2024-06-30',
  'maria.k', '', 1700000005000000, NULL, 'OPP-1', 1700000003000000, 1700000005000000, 2);
INSERT INTO deal_contacts VALUES (1, 0, 2, 'sponsor');
INSERT INTO deal_history VALUES (1, 0, NULL, 'lead', 1700000003000000, 'maria.k', '');
INSERT INTO deal_history VALUES (1, 1, 'lead', 'won', 1700000005000000, 'maria.k', 'signed');
INSERT INTO interactions VALUES (1, 'meeting', 'inbound', 1700000004000000, 2700, 'Démo', 'Agenda',
  'completed', 'maria.k', 1, 'ACT-1', 1700000004500000, 1);
INSERT INTO interaction_customers VALUES (1, 0, 2, 1700000004000000);
INSERT INTO interaction_customers VALUES (1, 1, 1, 1700000004000000);
INSERT INTO purchases VALUES (1, 2, 1700000006000000, 1999, 'EUR', 'SO-1', 2.5, 'SKU-1');
INSERT INTO purchases VALUES (2, 1, 1700000007000000, 500, 'EUR', 'SO-2', NULL, '');
)sql";

crmkit::Timestamp us(std::int64_t micros) {
  return crmkit::Timestamp{crmkit::Duration{micros}};
}

}  // namespace

TEST_CASE("sqlite upgrades a version-1 file to the current schema, keeping its data", "[storage]") {
  TempDir dir("migrate");
  const std::string path = dir.file("v1.db");
  create_v1_file(path);
  {
    RawConnection raw(path);
    raw.execute(v1_rows);
    REQUIRE(text_of(raw, "PRAGMA user_version") == "1");
    for (const std::string& name : v2_index_names()) CHECK(index_names(raw).count(name) == 0);
  }

  SqliteStore store(path);
  CHECK(store.schema_version() == SqliteStore::current_schema_version);

  const std::optional<Customer> zoe = store.get_customer(CustomerId{2});
  REQUIRE(zoe.has_value());
  CHECK(zoe->given_name == "Zoë");
  CHECK(zoe->family_name == "Ødegård");
  CHECK(zoe->external_ref == std::optional<std::string>("ERP-42"));
  CHECK(zoe->lifecycle == crmkit::LifecycleStage::prospect);
  CHECK(zoe->consent.status == crmkit::ConsentStatus::granted);
  CHECK(zoe->consent.at == us(1700000001000000));
  CHECK(zoe->consent.basis == crmkit::LawfulBasis::consent);
  REQUIRE(zoe->emails.size() == 2);
  CHECK(zoe->emails[0].address.str() == "Zoe.Odegard@example.com");
  CHECK(zoe->emails[0].primary);
  CHECK(zoe->phones.at(0).number.str() == "+33612345678");
  REQUIRE(zoe->addresses.size() == 1);
  CHECK(zoe->addresses[0].lines == std::vector<std::string>{"12 rue des Écoles", "Bâtiment B"});
  CHECK(zoe->memberships == std::vector<crmkit::Membership>{{CustomerId{1}, "CFO"}});
  CHECK(zoe->tags == std::set<std::string>{"vip"});
  CHECK(zoe->attributes.at("score") == crmkit::AttributeValue{0.8125});
  CHECK(zoe->attributes.at("code") == crmkit::AttributeValue{std::string("007")});
  CHECK(zoe->updated_at == us(1700000002000000));
  CHECK(zoe->version == 1);

  // The lookups now run on the indexes version 2 added.
  CHECK(crmkit::testing::ids_of(store.find_customers_by_email(
            crmkit::Email("ZOE.ODEGARD@example.com"))) == std::vector<std::int64_t>{2});
  CHECK(crmkit::testing::ids_of(store.find_customers_by_phone(
            crmkit::Phone("+33 6 12 34 56 78"))) == std::vector<std::int64_t>{2});
  REQUIRE(store.find_customer_by_external_ref("ERP-ORG").has_value());
  CHECK(store.find_customer_by_external_ref("ERP-ORG")->legal_name == "Analytical Engines Ltd");

  const auto deal = store.get_deal(crmkit::DealId{1});
  REQUIRE(deal.has_value());
  CHECK(deal->won_at == us(1700000005000000));
  CHECK(deal->expected_close == crmkit::parse_date("2024-06-30"));
  CHECK(deal->history.size() == 2);
  CHECK(deal->contacts.at(0).role == "sponsor");
  const auto meeting = store.get_interaction(crmkit::InteractionId{1});
  REQUIRE(meeting.has_value());
  CHECK(meeting->customers == std::vector<CustomerId>{CustomerId{2}, CustomerId{1}});
  CHECK(meeting->duration == std::chrono::seconds(2700));
  crmkit::storage::PurchaseQuery of_zoe;
  of_zoe.customer = CustomerId{2};
  const auto purchases = store.find_purchases(of_zoe).items;
  REQUIRE(purchases.size() == 1);
  CHECK(purchases[0].quantity == std::optional<double>(2.5));
  CHECK(purchases[0].amount == money(1999));
  CHECK(store.scan_purchases({}).amounts_minor == std::vector<std::int64_t>{1999, 500});

  // New records continue after the old ones.
  CHECK(store.insert_customer(person("New", "Comer")).id == CustomerId{3});

  RawConnection raw(path);
  CHECK(text_of(raw, "PRAGMA user_version") == std::to_string(SqliteStore::current_schema_version));
  CHECK(text_of(raw, "PRAGMA application_id") ==
        std::to_string(crmkit::storage::sqlite::crmkit_application_id));
  const std::set<std::string> indexes = index_names(raw);
  const std::set<std::string> expected = v2_index_names();
  REQUIRE(expected.size() >= 10);
  for (const std::string& name : expected) {
    INFO("index " << name);
    CHECK(indexes.count(name) == 1);
  }
  CHECK(text_of(raw, "PRAGMA journal_mode") == "wal");
  CHECK(text_of(raw, "PRAGMA integrity_check") == "ok");
}

TEST_CASE("a failed upgrade leaves the file at its old version", "[storage]") {
  TempDir dir("failed-upgrade");
  const std::string path = dir.file("v1.db");
  create_v1_file(path);
  {
    // Version 1 had no unique index on external_ref: two customers sharing one block version 2.
    RawConnection raw(path);
    raw.execute(
        "INSERT INTO customers VALUES (1, 'person', 'A', '', '', 'DUP', '', 'lead', '', 'unknown', "
        "NULL, 'none', 0, 0, 1, NULL);"
        "INSERT INTO customers VALUES (2, 'person', 'B', '', '', 'DUP', '', 'lead', '', 'unknown', "
        "NULL, 'none', 0, 0, 1, NULL);");
  }
  try {
    SqliteStore store(path);
    FAIL("expected a StorageError");
  } catch (const StorageError& error) {
    CHECK(error.kind() == StorageError::Kind::schema);
    CHECK(error.native_code() != 0);
    CHECK_THAT(
        std::string(error.what()),
        Catch::Contains(path) && Catch::Contains("external_ref") &&
            Catch::Contains("version 1 to " + std::to_string(SqliteStore::current_schema_version)));
  }
  RawConnection raw(path);
  CHECK(text_of(raw, "PRAGMA user_version") == "1");
  const std::set<std::string> indexes = index_names(raw);
  for (const std::string& name : v2_index_names()) {
    INFO("index " << name);
    CHECK(indexes.count(name) == 0);  // the whole upgrade was rolled back, not just its last step
  }
  CHECK(text_of(raw, "SELECT count(*) FROM customers") == "2");
}

TEST_CASE("sqlite refuses a file written by a newer crmkit", "[storage]") {
  TempDir dir("newer");
  const std::string path = dir.file("future.db");
  { SqliteStore store(path); }
  {
    RawConnection raw(path);
    raw.execute("PRAGMA user_version = 99");
  }
  try {
    SqliteStore store(path);
    FAIL("expected a StorageError");
  } catch (const StorageError& error) {
    CHECK(error.kind() == StorageError::Kind::schema);
    CHECK(error.backend() == "sqlite");
    const std::string message = error.what();
    CHECK_THAT(message, Catch::Contains("99") &&
                            Catch::Contains(std::to_string(SqliteStore::current_schema_version)) &&
                            Catch::Contains(path));
  }
  RawConnection raw(path);
  CHECK(text_of(raw, "PRAGMA user_version") == "99");
}

TEST_CASE("sqlite refuses a file that is not an SQLite database", "[storage]") {
  TempDir dir("not-sqlite");
  const std::string path = dir.file("notes.db");
  {
    std::ofstream text(path);
    text << "These are my meeting notes, not a database.\n";
    for (int i = 0; i < 100; ++i) text << "Line " << i << " of plain text.\n";
  }
  const auto size_before = std::filesystem::file_size(path);
  try {
    SqliteStore store(path);
    FAIL("expected a StorageError");
  } catch (const StorageError& error) {
    CHECK(error.kind() == StorageError::Kind::corrupt);
    CHECK(error.native_code() != 0);
    CHECK_THAT(std::string(error.what()), Catch::Contains(path));
  }
  CHECK(std::filesystem::file_size(path) == size_before);  // left as it was
}

TEST_CASE("sqlite refuses another application's SQLite file and leaves it alone", "[storage]") {
  TempDir dir("foreign");
  const std::string path = dir.file("other-app.db");
  {
    RawConnection raw(path);
    raw.execute(
        "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL);"
        "INSERT INTO invoices VALUES (1, 9.5);"
        "PRAGMA application_id = 305419896;");  // 0x12345678
  }
  try {
    SqliteStore store(path);
    FAIL("expected a StorageError");
  } catch (const StorageError& error) {
    CHECK(error.kind() == StorageError::Kind::corrupt);
    CHECK_THAT(std::string(error.what()), Catch::Contains("application_id") &&
                                              Catch::Contains("0x12345678") &&
                                              Catch::Contains(path));
  }
  RawConnection raw(path);
  CHECK(text_of(raw, "PRAGMA journal_mode") == "delete");  // not switched to WAL
  CHECK(text_of(raw, "PRAGMA user_version") == "0");
  CHECK(text_of(raw, "SELECT count(*) FROM sqlite_schema") == "1");
}

TEST_CASE("sqlite refuses an SQLite file with tables but no application_id", "[storage]") {
  TempDir dir("unmarked");
  const std::string path = dir.file("unmarked.db");
  {
    RawConnection raw(path);
    raw.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
  }
  try {
    SqliteStore store(path);
    FAIL("expected a StorageError");
  } catch (const StorageError& error) {
    CHECK(error.kind() == StorageError::Kind::corrupt);
    CHECK_THAT(std::string(error.what()), Catch::Contains("not a crmkit database"));
  }
}

TEST_CASE("a read-only sqlite store cannot upgrade an old file", "[storage]") {
  TempDir dir("read-only-upgrade");
  const std::string path = dir.file("v1.db");
  create_v1_file(path);
  SqliteOptions options;
  options.read_only = true;
  try {
    SqliteStore store(path, options);
    FAIL("expected a StorageError");
  } catch (const StorageError& error) {
    CHECK(error.kind() == StorageError::Kind::schema);
    CHECK_THAT(std::string(error.what()),
               Catch::Contains("read-only") && Catch::Contains("schema version 1"));
  }
  RawConnection raw(path);
  CHECK(text_of(raw, "PRAGMA user_version") == "1");
}

TEST_CASE("a fresh sqlite file gets crmkit's application_id, WAL and the current version",
          "[storage]") {
  TempDir dir("fresh");
  const std::string path = dir.file("fresh.db");
  { SqliteStore store(path); }
  RawConnection raw(path);
  CHECK(text_of(raw, "PRAGMA application_id") ==
        std::to_string(crmkit::storage::sqlite::crmkit_application_id));
  CHECK(text_of(raw, "PRAGMA user_version") == std::to_string(SqliteStore::current_schema_version));
  CHECK(text_of(raw, "PRAGMA journal_mode") == "wal");
  SqliteStore again(path);  // opening a current file changes nothing
  CHECK(again.schema_version() == SqliteStore::current_schema_version);
}
