// The Crm facade: construction, customers, interactions, pipelines and purchases.
// Deals are in crm_deals_test.cpp, transactions in crm_transactions_test.cpp.

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>

#include "crmkit/core/error.hpp"
#include "crmkit/crm/crm.hpp"
#include "support/crm_fixture.hpp"
#include "support/validation_matchers.hpp"

namespace {

using namespace crmkit;
using namespace std::chrono_literals;
using crmkit::test::organization;
using crmkit::test::person;
using crmkit::test::purchase_of;
using crmkit::test::require_invalid;
using crmkit::test::t0;
using Fixture = crmkit::test::CrmFixture;

ContactEmail email(std::string_view address, std::string label = "work") {
  return ContactEmail{Email(address), std::move(label), false};
}

Interaction call(CustomerId customer, std::string subject) {
  Interaction interaction;
  interaction.channel = Channel::phone;
  interaction.direction = Direction::outbound;
  interaction.customers = {customer};
  interaction.subject = std::move(subject);
  return interaction;
}

Pipeline simple_pipeline() {
  Pipeline pipeline;
  pipeline.name = "New business";
  pipeline.stages = {Stage{"lead", "Lead", StageCategory::open, 0.1, std::nullopt},
                     Stage{"won", "Won", StageCategory::won, 1.0, std::nullopt},
                     Stage{"lost", "Lost", StageCategory::lost, 0.0, std::nullopt}};
  return pipeline;
}

}  // namespace

TEST_CASE("Crm refuses a null store and an unknown default region", "[crm]") {
  require_invalid([] { Crm crm(nullptr); }, "store");
  require_invalid(
      [] {
        Crm crm(std::make_shared<storage::MemoryStore>(), CrmOptions{&crmkit::now, "ZZ"});
      },
      "options.default_region", "ZZ");
  REQUIRE_THROWS_WITH(Crm(std::make_shared<storage::MemoryStore>(), CrmOptions{&crmkit::now, "ZZ"}),
                      Catch::Contains("options.default_region") && Catch::Contains("'ZZ'"));
}

TEST_CASE("Crm exposes the store it works on", "[crm]") {
  Fixture f;
  CHECK(&f.crm.store() == f.store.get());
}

TEST_CASE("create_customer stamps times and defaults the primary contact points", "[crm]") {
  Fixture f;
  f.advance(90s);
  Customer alice = person("Alice", "Martin");
  alice.emails = {email("alice@example.com"), email("alice.martin@home.example", "home")};
  alice.phones = {ContactPhone{Phone("+33 6 12 34 56 78"), "mobile", false}};

  const Customer stored = f.crm.create_customer(alice);

  CHECK(stored.id.valid());
  CHECK(stored.version == 1);
  CHECK(stored.created_at == f.now());
  CHECK(stored.updated_at == f.now());
  REQUIRE(stored.emails.size() == 2);
  CHECK(stored.emails[0].primary);
  CHECK_FALSE(stored.emails[1].primary);
  REQUIRE(stored.primary_phone() != nullptr);
  CHECK(stored.primary_phone()->number.str() == "+33612345678");
  CHECK(f.crm.customer(stored.id) == stored);
}

TEST_CASE("create_customer keeps an explicit primary contact point", "[crm]") {
  Fixture f;
  Customer alice = person("Alice", "Martin");
  alice.emails = {email("alice@example.com"), email("alice@home.example", "home")};
  alice.emails[1].primary = true;
  const Customer stored = f.crm.create_customer(alice);
  CHECK_FALSE(stored.emails[0].primary);
  CHECK(stored.emails[1].primary);
}

TEST_CASE("create_customer passes the store's validation through", "[crm]") {
  Fixture f;
  require_invalid([&] { f.crm.create_customer(organization("")); }, "customer.legal_name");
  CHECK(f.store->counts().customers == 0);
}

TEST_CASE("update_customer saves changes with the stored version only", "[crm]") {
  Fixture f;
  const Customer created = f.crm.create_customer(person("Alice", "Martin"));
  f.advance(1h);

  Customer changed = created;
  changed.family_name = "Durand";
  changed.created_at = t0 - 100h;  // ignored: creation time is kept
  const Customer updated = f.crm.update_customer(changed);
  CHECK(updated.family_name == "Durand");
  CHECK(updated.version == 2);
  CHECK(updated.created_at == created.created_at);
  CHECK(updated.updated_at == f.now());

  SECTION("a stale version is a conflict and changes nothing") {
    Customer stale = created;  // still version 1
    stale.family_name = "Bernard";
    REQUIRE_THROWS_AS(f.crm.update_customer(stale), ConflictError);
    CHECK(f.crm.customer(created.id).family_name == "Durand");
  }
  SECTION("an unknown id is not found") {
    Customer unknown = updated;
    unknown.id = CustomerId(999);
    REQUIRE_THROWS_AS(f.crm.update_customer(unknown), NotFoundError);
  }
  SECTION("deleted_at is kept from the stored record") {
    const Customer deleted = f.crm.delete_customer(created.id);
    Customer undelete = deleted;
    undelete.deleted_at.reset();
    undelete.given_name = "Alicia";
    const Customer saved = f.crm.update_customer(undelete);
    CHECK(saved.given_name == "Alicia");
    CHECK(saved.deleted_at == deleted.deleted_at);
  }
}

TEST_CASE("customer() throws for unknown ids, find_customer() returns nothing", "[crm]") {
  Fixture f;
  REQUIRE_THROWS_AS(f.crm.customer(CustomerId(42)), NotFoundError);
  REQUIRE_THROWS_WITH(f.crm.customer(CustomerId(42)), Catch::Contains("42"));
  CHECK_FALSE(f.crm.find_customer(CustomerId(42)).has_value());
}

TEST_CASE("find_by_email matches addresses in another case", "[crm]") {
  Fixture f;
  Customer alice = person("Alice", "Martin");
  alice.emails = {email("Alice.Martin@Example.com")};
  const Customer stored = f.crm.create_customer(alice);
  f.crm.create_customer(person("Bob", "Leroy"));

  const auto found = f.crm.find_by_email("alice.martin@EXAMPLE.COM");
  REQUIRE(found.size() == 1);
  CHECK(found[0].id == stored.id);
  CHECK(f.crm.find_by_email("someone.else@example.com").empty());

  require_invalid([&] { (void)f.crm.find_by_email("alice.example.com"); }, "email",
                  "alice.example.com");
}

TEST_CASE("find_by_phone reads national numbers with the default region", "[crm]") {
  Fixture f;
  Customer alice = person("Alice", "Martin");
  alice.phones = {ContactPhone{Phone("+33 6 12 34 56 78"), "mobile", true}};
  const Customer stored = f.crm.create_customer(alice);

  const auto found = f.crm.find_by_phone("06 12 34 56 78");
  REQUIRE(found.size() == 1);
  CHECK(found[0].id == stored.id);
  CHECK(f.crm.find_by_phone("+44 20 7946 0958").empty());

  require_invalid([&] { (void)f.crm.find_by_phone("12"); }, "phone", "12");
}

TEST_CASE("find_by_external_ref finds the ERP's customer", "[crm]") {
  Fixture f;
  Customer acme = organization("ACME SA");
  acme.external_ref = "ERP-0042";
  const Customer stored = f.crm.create_customer(acme);

  const auto found = f.crm.find_by_external_ref("ERP-0042");
  REQUIRE(found.has_value());
  CHECK(found->id == stored.id);
  CHECK_FALSE(f.crm.find_by_external_ref("ERP-0043").has_value());

  SECTION("a second customer with the same reference is a conflict") {
    Customer copy = organization("ACME Copy");
    copy.external_ref = "ERP-0042";
    REQUIRE_THROWS_AS(f.crm.create_customer(copy), ConflictError);
  }
  SECTION("the reference still finds the customer once deleted, so the ERP can restore it") {
    f.crm.delete_customer(stored.id);
    const auto deleted = f.crm.find_by_external_ref("ERP-0042");
    REQUIRE(deleted.has_value());
    CHECK(deleted->deleted());
  }
}

TEST_CASE("soft delete hides a customer from lookups until restored", "[crm]") {
  Fixture f;
  Customer alice = person("Alice", "Martin");
  alice.emails = {email("alice@example.com")};
  alice.phones = {ContactPhone{Phone("+33612345678"), "mobile", true}};
  const Customer created = f.crm.create_customer(alice);
  const Customer bob = f.crm.create_customer(person("Bob", "Leroy"));
  f.advance(24h);

  const Customer deleted = f.crm.delete_customer(created.id);
  CHECK(deleted.deleted_at == f.now());
  CHECK(deleted.updated_at == f.now());
  CHECK(f.crm.find_by_email("alice@example.com").empty());
  CHECK(f.crm.find_by_phone("06 12 34 56 78").empty());
  const auto live = f.crm.customers();
  REQUIRE(live.items.size() == 1);
  CHECK(live.items[0].id == bob.id);
  storage::CustomerQuery all;
  all.include_deleted = true;
  CHECK(f.crm.customers(all).items.size() == 2);
  // Direct access by id still works (that is how one restores).
  CHECK(f.crm.customer(created.id).deleted());

  require_invalid([&] { f.crm.delete_customer(created.id); }, "customer.id",
                  created.id.to_string(), "already deleted");

  f.advance(1h);
  const Customer restored = f.crm.restore_customer(created.id);
  CHECK_FALSE(restored.deleted());
  CHECK(restored.updated_at == f.now());
  CHECK(f.crm.find_by_email("alice@example.com").size() == 1);

  require_invalid([&] { f.crm.restore_customer(created.id); }, "customer.id",
                  created.id.to_string(), "not deleted");
  REQUIRE_THROWS_AS(f.crm.delete_customer(CustomerId(999)), NotFoundError);
  REQUIRE_THROWS_AS(f.crm.restore_customer(CustomerId(999)), NotFoundError);
}

TEST_CASE("deleted customers are refused as interaction, deal and purchase customers", "[crm]") {
  Fixture f;
  const Customer alice = f.crm.create_customer(person("Alice", "Martin"));
  const Customer bob = f.crm.create_customer(person("Bob", "Leroy"));
  const Pipeline pipeline = f.crm.create_pipeline(simple_pipeline());
  f.crm.delete_customer(bob.id);
  const auto before = f.store->counts();

  SECTION("interaction") {
    Interaction meeting = call(alice.id, "Kick-off");
    meeting.customers.push_back(bob.id);
    require_invalid([&] { f.crm.log_interaction(meeting); }, "interaction.customers[1]",
                    bob.id.to_string(), "refers to a deleted customer");
  }
  SECTION("deal customer") {
    Deal deal;
    deal.pipeline = pipeline.id;
    deal.customer = bob.id;
    deal.title = "Renewal";
    deal.amount = Money(100000, Currency("EUR"));
    require_invalid([&] { f.crm.open_deal(deal); }, "deal.customer", bob.id.to_string(),
                    "refers to a deleted customer");
  }
  SECTION("deal contact") {
    Deal deal;
    deal.pipeline = pipeline.id;
    deal.customer = alice.id;
    deal.contacts = {DealContact{bob.id, "buyer"}};
    deal.title = "Renewal";
    deal.amount = Money(100000, Currency("EUR"));
    require_invalid([&] { f.crm.open_deal(deal); }, "deal.contacts[0].person", bob.id.to_string(),
                    "refers to a deleted customer");
  }
  SECTION("one purchase") {
    require_invalid([&] { f.crm.record_purchase(purchase_of(bob.id, t0, 1000)); },
                    "purchase.customer", bob.id.to_string(), "refers to a deleted customer");
  }
  SECTION("purchases in bulk, all or nothing") {
    std::vector<Purchase> batch = {purchase_of(alice.id, t0, 1000), purchase_of(bob.id, t0, 2000)};
    require_invalid([&] { f.crm.record_purchases(batch); }, "purchases[1].customer",
                    bob.id.to_string(), "refers to a deleted customer");
  }
  CHECK(f.store->counts() == before);
}

TEST_CASE("log_interaction stamps times and checks what it refers to", "[crm]") {
  Fixture f;
  const Customer alice = f.crm.create_customer(person("Alice", "Martin"));
  f.advance(10min);

  const Interaction now_call = f.crm.log_interaction(call(alice.id, "Intro call"));
  CHECK(now_call.id.valid());
  CHECK(now_call.occurred_at == f.now());
  CHECK(now_call.created_at == f.now());

  Interaction earlier = call(alice.id, "Voicemail");
  earlier.occurred_at = t0 - 48h;
  const Interaction stored = f.crm.log_interaction(earlier);
  CHECK(stored.occurred_at == t0 - 48h);
  CHECK(stored.created_at == f.now());

  Interaction about_deal = call(alice.id, "About a deal");
  about_deal.deal = DealId(77);
  require_invalid([&] { f.crm.log_interaction(about_deal); }, "interaction.deal", "77",
                  "unknown deal");
  Interaction stranger = call(CustomerId(55), "Who?");
  require_invalid([&] { f.crm.log_interaction(stranger); }, "interaction.customers[0]", "55",
                  "unknown customer");
  CHECK(f.store->counts().interactions == 2);
}

TEST_CASE("interactions() pages a customer's interactions newest first", "[crm]") {
  Fixture f;
  const Customer alice = f.crm.create_customer(person("Alice", "Martin"));
  const Customer bob = f.crm.create_customer(person("Bob", "Leroy"));
  for (int i = 0; i < 5; ++i) {
    Interaction interaction = call(alice.id, "Call " + std::to_string(i));
    interaction.occurred_at = t0 + std::chrono::hours{i};
    f.crm.log_interaction(interaction);
  }
  f.crm.log_interaction(call(bob.id, "Not Alice's"));

  std::vector<std::string> subjects;
  std::optional<storage::TimeKey> cursor;
  do {
    const auto page = f.crm.interactions(alice.id, cursor, 2);
    CHECK(page.items.size() <= 2);
    for (const auto& interaction : page.items) subjects.push_back(interaction.subject);
    cursor = page.next;
  } while (cursor);
  CHECK(subjects == std::vector<std::string>{"Call 4", "Call 3", "Call 2", "Call 1", "Call 0"});

  REQUIRE_THROWS_AS(f.crm.interactions(CustomerId(999)), NotFoundError);
  require_invalid([&] { (void)f.crm.interactions(alice.id, std::nullopt, 0); }, "limit", "0");
}

TEST_CASE("pipelines are stamped, listed and looked up", "[crm]") {
  Fixture f;
  f.advance(5s);
  const Pipeline created = f.crm.create_pipeline(simple_pipeline());
  CHECK(created.id.valid());
  CHECK(created.created_at == f.now());
  CHECK(created.updated_at == f.now());
  Pipeline renewals = simple_pipeline();
  renewals.name = "Renewals";
  f.crm.create_pipeline(renewals);

  const auto all = f.crm.pipelines();
  REQUIRE(all.size() == 2);
  CHECK(all[0] == created);
  CHECK(all[1].name == "Renewals");
  CHECK(f.crm.pipeline(created.id) == created);
  REQUIRE_THROWS_AS(f.crm.pipeline(PipelineId(99)), NotFoundError);

  Pipeline empty;
  empty.name = "No stages";
  REQUIRE_THROWS_AS(f.crm.create_pipeline(empty), ValidationError);
}

TEST_CASE("record_purchase and record_purchases assign ids", "[crm]") {
  Fixture f;
  const Customer alice = f.crm.create_customer(person("Alice", "Martin"));
  const Purchase one = f.crm.record_purchase(purchase_of(alice.id, t0, 12050));
  CHECK(one.id.valid());
  CHECK(f.store->get_purchase(one.id) == one);

  std::vector<Purchase> batch = {purchase_of(alice.id, t0 + 1h, 1000),
                                 purchase_of(alice.id, t0 + 2h, 2000)};
  f.crm.record_purchases(batch);
  CHECK(batch[0].id.valid());
  CHECK(batch[1].id.valid());
  CHECK(batch[0].id != batch[1].id);
  CHECK(f.store->counts().purchases == 3);
}
