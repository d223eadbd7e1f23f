// Crm::Transaction: writes commit together, and their events are published only at the
// outermost commit (never after a rollback).

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "crmkit/core/error.hpp"
#include "crmkit/crm/crm.hpp"
#include "support/crm_fixture.hpp"

namespace {

using namespace crmkit;
using namespace std::chrono_literals;

// The Crm fixture, recording what it publishes.
struct Fixture : test::CrmFixture {
  std::vector<std::string> published;  // names of the events published so far, as "name:detail"
  Subscription subscription = crm.subscribe([this](const Event& event) {
    std::string detail;
    if (const auto* created = std::get_if<CustomerCreated>(&event)) {
      detail = created->customer.given_name;
    } else if (const auto* logged = std::get_if<InteractionLogged>(&event)) {
      detail = logged->interaction.subject;
    }
    published.push_back(std::string(event_name(event)) + ":" + detail);
  });
};

using crmkit::test::person;

Interaction note_about(CustomerId customer, std::string subject) {
  Interaction note;
  note.direction = Direction::internal;
  note.customers = {customer};
  note.subject = std::move(subject);
  return note;
}

using Names = std::vector<std::string>;

}  // namespace

TEST_CASE("a committed Crm transaction publishes its events at commit, in order", "[crm]") {
  Fixture f;
  auto transaction = f.crm.transaction();
  CHECK(transaction.active());
  const Customer alice = f.crm.create_customer(person("Alice"));
  f.crm.log_interaction(note_about(alice.id, "first note"));
  CHECK(f.published.empty());

  transaction.commit();
  CHECK_FALSE(transaction.active());
  CHECK(f.published == Names{"customer_created:Alice", "interaction_logged:first note"});
  CHECK(f.crm.find_customer(alice.id).has_value());
}

TEST_CASE("a rolled-back Crm transaction undoes its writes and drops its events", "[crm]") {
  Fixture f;
  const auto before = f.store->counts();
  CustomerId alice;
  SECTION("explicit rollback") {
    auto transaction = f.crm.transaction();
    alice = f.crm.create_customer(person("Alice")).id;
    transaction.rollback();
    CHECK_FALSE(transaction.active());
    transaction.rollback();  // harmless once finished
  }
  SECTION("destroyed while active") {
    auto transaction = f.crm.transaction();
    alice = f.crm.create_customer(person("Alice")).id;
  }
  SECTION("an exception unwinds through it") {
    try {
      auto transaction = f.crm.transaction();
      alice = f.crm.create_customer(person("Alice")).id;
      f.crm.restore_customer(alice);  // not deleted: throws
      transaction.commit();
    } catch (const ValidationError&) {
    }
  }
  CHECK(f.published.empty());
  CHECK_FALSE(f.crm.find_customer(alice).has_value());
  CHECK(f.store->counts() == before);

  // Later calls publish at once again: the dropped transaction left no buffer behind.
  f.crm.create_customer(person("Bob"));
  CHECK(f.published == Names{"customer_created:Bob"});
}

TEST_CASE("nested Crm transactions hand their events to the enclosing one", "[crm]") {
  Fixture f;
  auto outer = f.crm.transaction();
  f.crm.create_customer(person("Alice"));
  {
    auto inner = f.crm.transaction();
    f.crm.create_customer(person("Bob"));
    inner.commit();
  }
  CHECK(f.published.empty());  // the inner commit is only a savepoint
  {
    auto dropped = f.crm.transaction();
    f.crm.create_customer(person("Carol"));
    dropped.rollback();
  }
  f.crm.create_customer(person("Dave"));
  CHECK(f.published.empty());

  outer.commit();
  CHECK(f.published ==
        Names{"customer_created:Alice", "customer_created:Bob", "customer_created:Dave"});
  CHECK(f.store->counts().customers == 3);
}

TEST_CASE("rolling back the outer Crm transaction drops the committed inner events too", "[crm]") {
  Fixture f;
  {
    auto outer = f.crm.transaction();
    auto inner = f.crm.transaction();
    f.crm.create_customer(person("Alice"));
    inner.commit();
    outer.rollback();
  }
  CHECK(f.published.empty());
  CHECK(f.store->counts().customers == 0);
}

TEST_CASE("a finished Crm transaction cannot commit", "[crm]") {
  Fixture f;
  auto transaction = f.crm.transaction();
  transaction.commit();
  try {
    transaction.commit();
    FAIL("a second commit must throw");
  } catch (const StorageError& error) {
    CHECK(error.kind() == StorageError::Kind::transaction);
    CHECK(error.backend() == "memory");
  }
}

TEST_CASE("a Crm transaction can be moved", "[crm]") {
  Fixture f;
  auto first = f.crm.transaction();
  f.crm.create_customer(person("Alice"));
  Crm::Transaction second = std::move(first);
  CHECK_FALSE(first.active());  // NOLINT(bugprone-use-after-move): checking the moved-from state
  CHECK(second.active());
  REQUIRE_THROWS_AS(first.commit(), StorageError);
  CHECK(f.published.empty());
  second.commit();
  CHECK(f.published == Names{"customer_created:Alice"});

  SECTION("move assignment rolls back the overwritten transaction") {
    auto kept = f.crm.transaction();
    {
      auto replaced = f.crm.transaction();
      f.crm.create_customer(person("Bob"));
      replaced = std::move(kept);  // rolls back Bob's savepoint, takes over `kept`
      replaced.commit();
    }
    CHECK(f.published == Names{"customer_created:Alice"});
    CHECK(f.store->counts().customers == 1);
  }
}
