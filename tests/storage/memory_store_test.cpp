#include <catch2/catch.hpp>

#include "crmkit/testing/store_contract.hpp"

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "crmkit/storage/memory_store.hpp"
#include "crmkit/storage/registry.hpp"
#include "support/store_checks.hpp"

using crmkit::ConflictError;
using crmkit::Customer;
using crmkit::CustomerId;
using crmkit::StorageError;
using crmkit::storage::MemoryStore;
using crmkit::storage::StoreCounts;
using crmkit::storage::Transaction;
using crmkit::test::message_of;
using crmkit::testing::require_invalid;
using namespace crmkit::testing::fixtures;

CRMKIT_STORE_CONTRACT_TESTS("memory", [] { return std::make_unique<MemoryStore>(); })
CRMKIT_STORE_CONTRACT_TESTS("memory (opened by URI)", [] { return crmkit::storage::open("memory:"); })

TEST_CASE("memory ids count from 1 per entity, and a rollback gives them back", "[storage]") {
  MemoryStore store;
  CHECK(store.backend() == "memory");
  const Customer ada = store.insert_customer(person("Ada", "Lovelace"));
  const auto pipeline = store.insert_pipeline(sales_pipeline());
  const auto deal = store.insert_deal(open_deal(pipeline.id, ada.id));
  CHECK(ada.id.value() == 1);
  CHECK(pipeline.id.value() == 1);
  CHECK(deal.id.value() == 1);
  {
    Transaction tx = store.begin();
    CHECK(store.insert_customer(person("Grace", "Hopper")).id.value() == 2);
  }
  CHECK(store.insert_customer(person("Alan", "Turing")).id.value() == 2);
  std::vector<crmkit::Purchase> purchases = {purchase(ada.id, at("2024-03-01T00:00:00Z"), 1),
                                             purchase(ada.id, at("2024-03-02T00:00:00Z"), 2)};
  store.append_purchases(purchases);
  CHECK(purchases[0].id.value() == 1);
  CHECK(purchases[1].id.value() == 2);
}

TEST_CASE("memory error messages name the values involved", "[storage]") {
  MemoryStore store;
  Customer first = person("Ada", "Lovelace");
  first.external_ref = "ERP-1";
  const Customer ada = store.insert_customer(first);
  Customer updated = ada;
  updated.family_name = "King";
  store.update_customer(updated);

  CHECK(message_of([&] { store.update_customer(ada); }) ==
        "customer '1': version 1 is stale: the stored version is 2");
  Customer clash = person("Grace", "Hopper");
  clash.external_ref = "ERP-1";
  CHECK(message_of([&] { store.insert_customer(clash); }) ==
        "customer 'ERP-1': external_ref is already used by customer 1");
  Customer ghost = person("No", "Body");
  ghost.id = CustomerId{42};
  CHECK(message_of([&] { store.update_customer(ghost); }) == "customer '42' not found");

  const auto pipeline = store.insert_pipeline(sales_pipeline());
  const auto deal = store.insert_deal(open_deal(pipeline.id, ada.id));
  std::vector<crmkit::Purchase> purchases;
  for (int i = 0; i < 7; ++i) {
    purchases.push_back(purchase(ada.id, at("2024-03-01T00:00:00Z"), i + 1));
  }
  store.append_purchases(purchases);
  CHECK(message_of([&] { store.remove_customer(ada.id); }) ==
        "customer '1': cannot be removed: still referred to by deal 1; "
        "purchases 1, 2, 3, 4, 5 and 2 more");
  CHECK(message_of([&] { store.remove_pipeline(pipeline.id); }) ==
        "pipeline '1': cannot be removed: still used by deal 1");
  store.insert_interaction(interaction({ada.id}, at("2024-03-01T00:00:00Z"), deal.id));
  CHECK(message_of([&] { store.remove_deal(deal.id); }) ==
        "deal '1': cannot be removed: still referred to by interaction 1");
}

TEST_CASE("memory scan names every currency it found", "[storage]") {
  MemoryStore store;
  const Customer ada = store.insert_customer(person("Ada", "Lovelace"));
  std::vector<crmkit::Purchase> purchases = {purchase(ada.id, at("2024-03-01T00:00:00Z"), 1, "USD"),
                                             purchase(ada.id, at("2024-03-02T00:00:00Z"), 2, "EUR"),
                                             purchase(ada.id, at("2024-03-03T00:00:00Z"), 3, "GBP")};
  store.append_purchases(purchases);
  CHECK(message_of([&] { store.scan_purchases({}); }) ==
        "scan.currency: '' must be set: the purchases in range are in EUR, GBP and USD");
}

TEST_CASE("memory keeps kinds that other records rely on", "[storage]") {
  MemoryStore store;
  crmkit::test::check_kinds_kept(store);
  // A customer nothing relies on may change kind.
  const Customer lone = store.insert_customer(person("Grace", "Hopper"));
  Customer lone_as_org = lone;
  lone_as_org.kind = crmkit::CustomerKind::organization;
  lone_as_org.given_name.clear();
  lone_as_org.family_name.clear();
  lone_as_org.legal_name = "Hopper Inc";
  CHECK(store.update_customer(lone_as_org).kind == crmkit::CustomerKind::organization);
}

TEST_CASE("memory refuses pipeline changes that would break its deals", "[storage]") {
  MemoryStore store;
  crmkit::test::check_pipeline_change_refused(store);
}

TEST_CASE("memory nested transactions must end innermost first", "[storage]") {
  MemoryStore store;
  crmkit::test::check_nested_transactions_end_innermost_first(store, "memory");
}

TEST_CASE("memory store stays consistent under concurrent writers and readers", "[storage]") {
  constexpr int writers = 4;
  constexpr int per_writer = 150;
  MemoryStore store;
  std::atomic<int> mismatches{0};
  std::vector<std::vector<std::int64_t>> ids(writers);
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < per_writer; ++i) {
        const Customer c =
            store.insert_customer(person("Writer " + std::to_string(w), std::to_string(i)));
        ids[static_cast<std::size_t>(w)].push_back(c.id.value());
        std::vector<crmkit::Purchase> bought = {purchase(c.id, at("2024-03-01T00:00:00Z"), i),
                                                purchase(c.id, at("2024-03-02T00:00:00Z"), i)};
        store.append_purchases(bought);
        if (store.get_customer(c.id) != c) ++mismatches;
        crmkit::storage::CustomerQuery page;
        page.limit = 5;
        if (store.find_customers(page).items.empty()) ++mismatches;
      }
    });
  }
  threads.emplace_back([&] {  // a writer whose every other transaction rolls back
    for (int i = 0; i < per_writer; ++i) {
      Transaction tx = store.begin();
      store.insert_customer(person("Transactional", std::to_string(i)));
      store.insert_customer(person("Transactional", std::to_string(i) + "b"));
      if (i % 2 == 0) tx.commit();
    }
  });
  for (std::thread& t : threads) t.join();

  CHECK(mismatches == 0);
  const StoreCounts counts = store.counts();
  CHECK(counts.customers == writers * per_writer + per_writer);
  CHECK(counts.purchases == 2 * writers * per_writer);
  std::set<std::int64_t> distinct;
  for (const auto& list : ids) distinct.insert(list.begin(), list.end());
  CHECK(distinct.size() == static_cast<std::size_t>(writers * per_writer));
  CHECK(store.scan_purchases({}).size() == static_cast<std::size_t>(2 * writers * per_writer));
}

TEST_CASE("a memory transaction holds other threads' writes until it ends", "[storage]") {
  MemoryStore store;
  std::atomic<bool> started{false};
  std::atomic<bool> finished{false};
  CustomerId other_id;
  std::int64_t seen_by_other = -1;
  const auto other_writer = [&] {
    started = true;
    other_id = store.insert_customer(person("Other", "Thread")).id;
    seen_by_other = store.counts().customers;
    finished = true;
  };

  SECTION("commit") {
    Transaction tx = store.begin();
    store.insert_customer(person("Mine", "First"));
    std::thread other(other_writer);
    while (!started) std::this_thread::yield();
    for (int i = 0; i < 50; ++i) store.insert_customer(person("Mine", std::to_string(i)));
    CHECK_FALSE(finished);  // it cannot get past the lock this transaction holds
    tx.commit();
    other.join();
    CHECK(finished);
    CHECK(seen_by_other == 52);  // it ran after the commit, so it saw every committed write
    CHECK(other_id.value() == 52);
  }
  SECTION("rollback") {
    Transaction tx = store.begin();
    for (int i = 0; i < 10; ++i) store.insert_customer(person("Mine", std::to_string(i)));
    std::thread other(other_writer);
    while (!started) std::this_thread::yield();
    for (int i = 0; i < 50; ++i) store.get_customer(CustomerId{i});
    CHECK_FALSE(finished);
    tx.rollback();
    other.join();
    CHECK(seen_by_other == 1);
    CHECK(other_id.value() == 1);
  }
}
