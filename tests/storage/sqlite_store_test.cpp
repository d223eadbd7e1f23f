#include <catch2/catch.hpp>

#include "crmkit/testing/store_contract.hpp"

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "crmkit/storage/memory_store.hpp"
#include "crmkit/storage/sqlite_store.hpp"
#include "support/store_checks.hpp"
#include "support/temp_file.hpp"

using crmkit::ConflictError;
using crmkit::Customer;
using crmkit::CustomerId;
using crmkit::StorageError;
using crmkit::storage::SqliteOptions;
using crmkit::storage::SqliteStore;
using crmkit::storage::StoreCounts;
using crmkit::storage::Transaction;
using crmkit::test::message_of;
using crmkit::testing::require_invalid;
using crmkit::test::TempDir;
using namespace crmkit::testing::fixtures;

CRMKIT_STORE_CONTRACT_TESTS("sqlite memory",
                            [] { return std::make_unique<SqliteStore>(":memory:"); })

namespace {

// One directory for the whole "sqlite file" run of the contract suite, removed at exit; each run
// of a test case gets a fresh file in it.
TempDir& contract_dir() {
  static TempDir dir("contract");
  return dir;
}

}  // namespace

CRMKIT_STORE_CONTRACT_TESTS("sqlite file", [] {
  return std::make_unique<SqliteStore>(contract_dir().fresh_file());
})

TEST_CASE("sqlite store names itself and reports its schema version and path", "[storage]") {
  TempDir dir("identity");
  const std::string path = dir.fresh_file();
  SqliteStore store(path);
  CHECK(store.backend() == "sqlite");
  CHECK(store.path() == path);
  CHECK(store.schema_version() == SqliteStore::current_schema_version);
  CHECK(SqliteStore::current_schema_version >= 2);
  CHECK(std::filesystem::exists(path));
}

TEST_CASE("sqlite data outlives the store: a reopened file holds every record", "[storage]") {
  TempDir dir("reopen");
  const std::string path = dir.fresh_file();
  Customer zoe;
  crmkit::Deal deal;
  crmkit::Interaction meeting;
  std::vector<crmkit::Purchase> purchases;
  {
    SqliteStore store(path);
    const Customer org = store.insert_customer(organization("Analytical Engines Ltd"));
    zoe = store.insert_customer(full_person(org.id));
    const auto pipeline = store.insert_pipeline(sales_pipeline());
    deal = store.insert_deal(full_deal(pipeline.id, org.id, {zoe.id}));
    meeting = store.insert_interaction(full_interaction({zoe.id, org.id}, deal.id));
    purchases = {purchase(zoe.id, at("2024-03-01T10:00:00.000001Z"), 1999),
                 purchase(org.id, at("2024-03-02T10:00:00Z"), -500, "JPY")};
    purchases[0].quantity = 0.1;
    store.append_purchases(purchases);
  }
  SqliteStore reopened(path);
  CHECK(reopened.get_customer(zoe.id) == zoe);
  CHECK(reopened.get_deal(deal.id) == deal);
  CHECK(reopened.get_interaction(meeting.id) == meeting);
  CHECK(reopened.get_purchase(purchases[0].id) == purchases[0]);
  CHECK(reopened.get_purchase(purchases[1].id) == purchases[1]);
  CHECK(reopened.counts() == StoreCounts{2, 0, 1, 1, 1, 2});
}

namespace {

// Runs the same failing calls on `store` and returns their messages, in order.
std::vector<std::string> failure_messages(crmkit::storage::Store& store) {
  std::vector<std::string> messages;
  Customer first = person("Ada", "Lovelace");
  first.external_ref = "ERP-1";
  const Customer ada = store.insert_customer(first);
  Customer updated = ada;
  updated.family_name = "King";
  store.update_customer(updated);
  messages.push_back(message_of([&] { store.update_customer(ada); }));
  Customer clash = person("Grace", "Hopper");
  clash.external_ref = "ERP-1";
  messages.push_back(message_of([&] { store.insert_customer(clash); }));
  Customer ghost = person("No", "Body");
  ghost.id = CustomerId{42};
  messages.push_back(message_of([&] { store.update_customer(ghost); }));

  const Customer org = store.insert_customer(organization("Analytical Engines Ltd"));
  Customer member = person("Grace", "Hopper");
  member.memberships = {{org.id, "CTO"}};
  store.insert_customer(member);
  const auto pipeline = store.insert_pipeline(sales_pipeline());
  crmkit::Deal deal = open_deal(pipeline.id, ada.id);
  deal.contacts = {{ada.id, "sponsor"}};
  deal = store.insert_deal(deal);
  std::vector<crmkit::Purchase> purchases;
  for (int i = 0; i < 7; ++i)
    purchases.push_back(purchase(ada.id, at("2024-03-01T00:00:00Z"), i + 1));
  store.append_purchases(purchases);
  messages.push_back(message_of([&] { store.remove_customer(ada.id); }));
  messages.push_back(message_of([&] { store.remove_customer(org.id); }));
  messages.push_back(message_of([&] { store.remove_pipeline(pipeline.id); }));
  store.insert_interaction(interaction({ada.id}, at("2024-03-01T00:00:00Z"), deal.id));
  messages.push_back(message_of([&] { store.remove_deal(deal.id); }));

  Customer org_as_person = *store.get_customer(org.id);
  org_as_person.kind = crmkit::CustomerKind::person;
  org_as_person.legal_name.clear();
  org_as_person.given_name = "Analytical";
  messages.push_back(message_of([&] { store.update_customer(org_as_person); }));
  Customer ada_as_org = *store.get_customer(ada.id);
  ada_as_org.kind = crmkit::CustomerKind::organization;
  ada_as_org.given_name.clear();
  ada_as_org.family_name.clear();
  ada_as_org.legal_name = "Ada Ltd";
  messages.push_back(message_of([&] { store.update_customer(ada_as_org); }));

  std::vector<crmkit::Purchase> mixed = {purchase(ada.id, at("2024-04-01T00:00:00Z"), 1, "USD"),
                                         purchase(ada.id, at("2024-04-02T00:00:00Z"), 2, "GBP")};
  store.append_purchases(mixed);
  messages.push_back(message_of([&] { store.scan_purchases({}); }));
  std::vector<crmkit::Purchase> bad = {purchase(ada.id, at("2024-04-01T00:00:00Z"), 1),
                                       purchase(CustomerId{999}, at("2024-04-01T00:00:00Z"), 1)};
  messages.push_back(message_of([&] { store.append_purchases(bad); }));
  return messages;
}

}  // namespace

TEST_CASE("sqlite error messages are the memory store's, word for word", "[storage]") {
  crmkit::storage::MemoryStore reference;
  SqliteStore store(":memory:");
  const std::vector<std::string> expected = failure_messages(reference);
  const std::vector<std::string> got = failure_messages(store);
  REQUIRE(got.size() == expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("failure " << i);
    CHECK(got[i] == expected[i]);
  }
  // The messages name the values involved, whatever their wording.
  CHECK_THAT(got[0], Catch::Contains("version 1") && Catch::Contains("2"));
  CHECK_THAT(got[1], Catch::Contains("ERP-1"));
  CHECK_THAT(got[2], Catch::Contains("42"));
  CHECK_THAT(got[3], Catch::Contains("deal 1") && Catch::Contains("1, 2, 3, 4, 5 and 2 more"));
  CHECK_THAT(got[9], Catch::Contains("EUR, GBP and USD"));
  CHECK_THAT(got[10], Catch::Contains("purchases[1].customer") && Catch::Contains("999"));
}

TEST_CASE("sqlite keeps kinds that other records rely on", "[storage]") {
  SqliteStore store(":memory:");
  crmkit::test::check_kinds_kept(store);
}

TEST_CASE("sqlite refuses pipeline changes that would break its deals", "[storage]") {
  SqliteStore store(":memory:");
  crmkit::test::check_pipeline_change_refused(store);
}

TEST_CASE("sqlite ids of removed records are never handed out again", "[storage]") {
  SqliteStore store(":memory:");
  const Customer first = store.insert_customer(person("Ada", "Lovelace"));
  const Customer second = store.insert_customer(person("Grace", "Hopper"));
  REQUIRE(store.remove_customer(second.id));
  const Customer third = store.insert_customer(person("Alan", "Turing"));
  CHECK(third.id > second.id);
  CHECK(third.id != first.id);
}

TEST_CASE("sqlite nested transactions must end innermost first", "[storage]") {
  SqliteStore store(":memory:");
  crmkit::test::check_nested_transactions_end_innermost_first(store, "sqlite");
}

TEST_CASE("a sqlite transaction holds other threads' calls until it ends", "[storage]") {
  SqliteStore store(":memory:");
  std::atomic<bool> started{false};
  std::atomic<bool> finished{false};
  std::int64_t seen_by_other = -1;
  Transaction tx = store.begin();
  for (int i = 0; i < 10; ++i) store.insert_customer(person("Mine", std::to_string(i)));
  std::thread other([&] {
    started = true;
    store.insert_customer(person("Other", "Thread"));
    seen_by_other = store.counts().customers;
    finished = true;
  });
  while (!started) std::this_thread::yield();
  for (int i = 0; i < 50; ++i) (void)store.get_customer(CustomerId{i});
  CHECK_FALSE(finished);
  tx.rollback();
  other.join();
  CHECK(seen_by_other == 1);
}

TEST_CASE("a read-only sqlite store reads and refuses every write", "[storage]") {
  TempDir dir("read-only");
  const std::string path = dir.fresh_file();
  Customer ada;
  {
    SqliteStore writer(path);
    ada = writer.insert_customer(person("Ada", "Lovelace"));
  }
  SqliteOptions options;
  options.read_only = true;
  SqliteStore reader(path, options);
  CHECK(reader.get_customer(ada.id) == ada);
  CHECK(reader.counts().customers == 1);
  try {
    reader.insert_customer(person("Grace", "Hopper"));
    FAIL("expected a StorageError");
  } catch (const StorageError& error) {
    CHECK(error.kind() == StorageError::Kind::unsupported);
    CHECK_THAT(std::string(error.what()), Catch::Contains("read-only") && Catch::Contains(path));
  }
  {
    Transaction tx = reader.begin();  // a read transaction: one snapshot for several reads
    CHECK(reader.get_customer(ada.id) == ada);
    tx.commit();
  }
  CHECK(reader.counts().customers == 1);
}

TEST_CASE("a missing sqlite file is an error when creation is off", "[storage]") {
  TempDir dir("missing");
  const std::string path = dir.fresh_file();
  SqliteOptions options;
  options.create = false;
  try {
    SqliteStore store(path, options);
    FAIL("expected a StorageError");
  } catch (const StorageError& error) {
    CHECK(error.kind() == StorageError::Kind::io);
    CHECK(error.native_code() != 0);
    CHECK_THAT(std::string(error.what()), Catch::Contains(path));
  }
  CHECK_FALSE(std::filesystem::exists(path));
}

namespace {

// Inserts records carrying stray versions; returns the versions stored.
std::vector<std::int64_t> versions_after_inserts(crmkit::storage::Store& store) {
  Customer ada = person("Ada", "Lovelace");
  ada.version = -1;
  const Customer stored = store.insert_customer(ada);
  auto pipeline = sales_pipeline();
  pipeline.version = -7;
  const auto stored_pipeline = store.insert_pipeline(pipeline);
  crmkit::Deal deal = open_deal(stored_pipeline.id, stored.id);
  deal.version = -2;
  const auto stored_deal = store.insert_deal(deal);
  crmkit::Interaction call = interaction({stored.id}, at("2024-03-01T10:00:00Z"));
  call.version = -3;
  const auto stored_call = store.insert_interaction(call);
  std::vector<crmkit::Interaction> batch = {call,
                                            interaction({stored.id}, at("2024-03-02T10:00:00Z"))};
  batch[1].version = 12;
  store.append_interactions(batch);
  return {stored.version,
          stored_pipeline.version,
          stored_deal.version,
          stored_call.version,
          batch[0].version,
          batch[1].version,
          store.get_interaction(batch[0].id)->version};
}

}  // namespace

TEST_CASE("sqlite inserts ignore the versions they are given, as the memory store does",
          "[storage]") {
  crmkit::storage::MemoryStore reference;
  SqliteStore store(":memory:");
  const std::vector<std::int64_t> expected = versions_after_inserts(reference);
  CHECK(versions_after_inserts(store) == expected);
  CHECK(expected == std::vector<std::int64_t>(expected.size(), 1));
}
