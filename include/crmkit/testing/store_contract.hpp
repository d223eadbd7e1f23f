#pragma once
/// @file
/// @brief The backend contract suite: one set of Catch2 tests that every crmkit::storage::Store
/// implementation must pass (memory, SQLite, PostgreSQL, and your own).
///
/// Include it from a Catch2 test file, after `<catch2/catch.hpp>`, and instantiate it once per
/// backend:
///
/// @code
/// #include <catch2/catch.hpp>
/// #include <crmkit/testing/store_contract.hpp>
///
/// CRMKIT_STORE_CONTRACT_TESTS("erp", [] { return std::make_unique<ErpStore>(test_connection()); })
/// @endcode
///
/// Every test starts from a fresh, empty store made by the factory (Catch2 re-runs a test case
/// once per leaf SECTION, and each run calls the factory again). The tests are also the
/// executable specification of the Store interface: where store.hpp states a rule in words,
/// a SECTION below shows it in code. Fields named by the store itself (references, cursors,
/// bulk indexes) are checked exactly, as are those that crmkit::validate names.

#if !defined(CATCH_VERSION_MAJOR)
#error "Include <catch2/catch.hpp> before <crmkit/testing/store_contract.hpp>"
#endif

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "crmkit/core/contact.hpp"
#include "crmkit/core/error.hpp"
#include "crmkit/core/money.hpp"
#include "crmkit/core/time.hpp"
#include "crmkit/storage/store.hpp"

namespace crmkit::testing {

/// Makes a fresh, empty store for one run of a contract test. Called once per run; the store is
/// destroyed at the end of the run.
using StoreFactory = std::function<std::unique_ptr<crmkit::storage::Store>()>;

/// Realistic records for the contract tests: every one passes crmkit::validate as built, so a test
/// changes just the field it is about.
namespace fixtures {

/// Parses an ISO 8601 timestamp (shorthand for crmkit::parse_timestamp in fixtures).
inline Timestamp at(std::string_view text) { return parse_timestamp(text, "fixture"); }

/// An amount of `minor` minor units of the ISO 4217 currency `code` (`money(1250)` is 12.50 EUR).
inline Money money(std::int64_t minor, std::string_view code = "EUR") {
  return Money(minor, Currency(code));
}

/// A person with just a given and a family name: the least a valid person needs.
inline Customer person(std::string given_name, std::string family_name) {
  Customer c;
  c.kind = CustomerKind::person;
  c.given_name = std::move(given_name);
  c.family_name = std::move(family_name);
  c.created_at = at("2024-01-15T08:00:00Z");
  c.updated_at = c.created_at;
  return c;
}

/// An organization with a legal name, a primary email and a primary phone.
inline Customer organization(std::string legal_name) {
  Customer c;
  c.kind = CustomerKind::organization;
  c.legal_name = std::move(legal_name);
  c.emails = {{Email("contact@analytical-engines.example.com"), "main", true}};
  c.phones = {{Phone("+44 20 7946 0958"), "switchboard", true}};
  c.lifecycle = LifecycleStage::customer;
  c.owner = "maria.k";
  c.created_at = at("2023-11-02T09:30:00Z");
  c.updated_at = at("2024-01-05T16:45:00Z");
  return c;
}

/// A person with every field set, for round trips: unicode names, three emails, two phones, two
/// addresses, a membership of `organization`, an external reference, owner, tags, lifecycle,
/// source, granted consent, one attribute of every type, and both timestamps.
inline Customer full_person(CustomerId organization) {
  Customer c;
  c.kind = CustomerKind::person;
  c.given_name = "Zoë";
  c.family_name = "Ødegård-Nuñez";
  c.emails = {{Email("Zoe.Odegard@Example.COM"), "work", true},
              {Email("zoe@privat.example.org"), "home", false},
              {Email("z.odegard+crm@mail.example.net"), "", false}};
  c.phones = {{Phone("+33 6 12 34 56 78"), "mobile", true},
              {Phone("01 42 68 53 00", "FR"), "office", false}};
  c.addresses = {{{"12 rue des Écoles", "Bâtiment B"}, "Paris", "Île-de-France", "75005", "FR",
                  "billing", true},
                 {{"Storgata 1"}, "Oslo", "", "0155", "NO", "home", false}};
  c.memberships = {{organization, "Directrice financière"}};
  c.external_ref = "ERP-000042";
  c.owner = "maria.k";
  c.tags = {"vip", "newsletter", "région-nord"};
  c.lifecycle = LifecycleStage::customer;
  c.source = "web-form";
  c.consent = {ConsentStatus::granted, at("2024-02-29T23:59:59.123456Z"), LawfulBasis::consent};
  c.attributes = {{"active", true},
                  {"loyalty_points", std::int64_t{1250}},
                  {"score", 0.8125},
                  {"nickname", std::string("Zo 🌿")},
                  {"last_seen", at("2024-03-01T12:00:00.5Z")},
                  {"fax", std::monostate{}}};
  c.created_at = at("2024-01-15T08:00:00Z");
  c.updated_at = at("2024-03-02T10:15:30.25Z");
  return c;
}

/// A pipeline with three open stages (`lead`, `qualified`, `proposal`), a won stage (`won`) and a
/// lost stage (`lost`).
inline Pipeline sales_pipeline(std::string name = "New business") {
  Pipeline p;
  p.name = std::move(name);
  p.stages = {{"lead", "Lead", StageCategory::open, 0.1, std::nullopt},
              {"qualified", "Qualified", StageCategory::open, 0.3, 30},
              {"proposal", "Proposal sent", StageCategory::open, 0.6, 14},
              {"won", "Won", StageCategory::won, 1.0, std::nullopt},
              {"lost", "Lost", StageCategory::lost, 0.0, std::nullopt}};
  p.created_at = at("2023-06-01T00:00:00Z");
  p.updated_at = p.created_at;
  return p;
}

/// An open deal of `customer` in the `qualified` stage of a sales_pipeline(), opened in `lead`.
inline Deal open_deal(PipelineId pipeline, CustomerId customer,
                      std::string title = "Annual licence") {
  Deal d;
  d.pipeline = pipeline;
  d.customer = customer;
  d.stage = "qualified";
  d.title = std::move(title);
  d.amount = money(1'200'000);
  d.owner = "maria.k";
  d.history = {{std::nullopt, "lead", at("2024-02-01T10:00:00Z"), "maria.k", ""},
               {"lead", "qualified", at("2024-02-08T15:30:00Z"), "maria.k", "budget confirmed"}};
  d.created_at = at("2024-02-01T10:00:00Z");
  d.updated_at = at("2024-02-08T15:30:00Z");
  return d;
}

/// open_deal() moved on to the `won` stage.
inline Deal won_deal(PipelineId pipeline, CustomerId customer, std::string title = "Support plan") {
  Deal d = open_deal(pipeline, customer, std::move(title));
  d.history.push_back({"qualified", "won", at("2024-03-01T11:00:00Z"), "maria.k", "signed"});
  d.stage = "won";
  d.won_at = at("2024-03-01T11:00:00Z");
  d.updated_at = *d.won_at;
  return d;
}

/// open_deal() moved on to the `lost` stage, with its lost reason.
inline Deal lost_deal(PipelineId pipeline, CustomerId customer, std::string title = "Training") {
  Deal d = open_deal(pipeline, customer, std::move(title));
  d.history.push_back(
      {"qualified", "lost", at("2024-03-04T09:00:00Z"), "li.w", "chose a competitor"});
  d.stage = "lost";
  d.lost_reason = "chose a competitor";
  d.lost_at = at("2024-03-04T09:00:00Z");
  d.updated_at = *d.lost_at;
  return d;
}

/// open_deal() with every optional field set: contacts, probability override, expected close
/// date and external reference.
inline Deal full_deal(PipelineId pipeline, CustomerId customer, std::vector<CustomerId> contacts) {
  Deal d = open_deal(pipeline, customer, "Rollout — 250 seats");
  for (const CustomerId person : contacts) d.contacts.push_back({person, "decision maker"});
  d.probability = 0.45;
  d.expected_close = parse_date("2024-06-30");
  d.external_ref = "OPP-7";
  return d;
}

/// A call with `customers` at `when`, optionally about `deal`.
inline Interaction interaction(std::vector<CustomerId> customers, Timestamp when,
                               std::optional<DealId> deal = std::nullopt) {
  Interaction i;
  i.channel = Channel::phone;
  i.direction = Direction::outbound;
  i.occurred_at = when;
  i.duration = std::chrono::seconds(300);
  i.subject = "Follow-up call";
  i.customers = std::move(customers);
  i.deal = deal;
  i.created_at = when;
  return i;
}

/// A meeting with every field set, including a multi-line unicode body.
inline Interaction full_interaction(std::vector<CustomerId> customers, DealId deal) {
  Interaction i = interaction(std::move(customers), at("2024-03-05T14:00:00.000250Z"), deal);
  i.channel = Channel::meeting;
  i.direction = Direction::inbound;
  i.duration = std::chrono::seconds(2700);
  i.subject = "Démo produit";
  i.body = "Agenda:\n- pricing\n- rollout in Q3 ✓\n\tnotes follow";
  i.outcome = "completed";
  i.author = "maria.k";
  i.external_ref = "ACT-991";
  i.created_at = at("2024-03-05T15:00:00Z");
  return i;
}

/// A purchase by `customer` at `when` of `minor` minor units of `currency`.
inline Purchase purchase(CustomerId customer, Timestamp when, std::int64_t minor,
                         std::string_view currency = "EUR") {
  Purchase p;
  p.customer = customer;
  p.occurred_at = when;
  p.amount = money(minor, currency);
  p.order_ref = "SO-" + std::to_string(minor);
  return p;
}

}  // namespace fixtures

/// Requires `action()` to throw ValidationError for exactly `field`, with a message that names
/// the field and, when `value` is given, carries that value.
template <class Action>
void require_invalid(Action&& action, const std::string& field,
                     const std::optional<std::string>& value = std::nullopt) {
  try {
    action();
  } catch (const ValidationError& error) {
    INFO("message: " << error.what());
    CHECK(error.field() == field);
    CHECK_THAT(std::string(error.what()), Catch::Contains(field));
    if (value) {
      CHECK(error.value() == *value);
      CHECK_THAT(std::string(error.what()), Catch::Contains(value->substr(0, 100)));
    }
    return;
  }
  FAIL("expected a ValidationError naming " << field);
}

/// The raw ids of `records`, in order.
template <class T>
std::vector<std::int64_t> ids_of(const std::vector<T>& records) {
  std::vector<std::int64_t> ids;
  ids.reserve(records.size());
  for (const T& record : records) ids.push_back(record.id.value());
  return ids;
}

/// Reads a keyset-paginated list to its end: `fetch` takes the cursor (nullopt for the first
/// page) and returns a crmkit::storage::Page. Checks every page against the paging rules: at most
/// `limit` items; `next` only on a full page; no empty page after the first. Returns the pages.
template <class Cursor, class Fetch>
auto read_pages(std::size_t limit, Fetch&& fetch) {
  using PageType = decltype(fetch(std::optional<Cursor>{}));
  std::vector<PageType> pages;
  std::optional<Cursor> cursor;
  for (std::size_t guard = 0; guard <= 100000; ++guard) {
    PageType page = fetch(cursor);
    CHECK(page.items.size() <= limit);
    if (page.next) CHECK(page.items.size() == limit);
    if (!pages.empty()) CHECK_FALSE(page.items.empty());
    const bool last = !page.next;
    cursor = page.next;
    pages.push_back(std::move(page));
    if (last) return pages;
  }
  FAIL("the list did not end after 100000 pages");
  return pages;
}

/// The raw ids of every item of `pages`, in order.
template <class PageType>
std::vector<std::int64_t> ids_in(const std::vector<PageType>& pages) {
  std::vector<std::int64_t> ids;
  for (const PageType& page : pages) {
    for (const auto& item : page.items) ids.push_back(item.id.value());
  }
  return ids;
}

/// The number of items of each page of `pages`.
template <class PageType>
std::vector<std::size_t> sizes_of(const std::vector<PageType>& pages) {
  std::vector<std::size_t> sizes;
  for (const PageType& page : pages) sizes.push_back(page.items.size());
  return sizes;
}

/// The raw ids of `records` in the order of the newest-first lists: `occurred_at` descending,
/// then id descending.
template <class T>
std::vector<std::int64_t> newest_first(std::vector<T> records) {
  std::sort(records.begin(), records.end(), [](const T& a, const T& b) {
    return std::tuple(a.occurred_at, a.id) > std::tuple(b.occurred_at, b.id);
  });
  return ids_of(records);
}

/// Customers: insert, update, get, the three lookups, find_customers and its filters, soft
/// delete, removal rules, memberships, external reference uniqueness and version conflicts.
inline void contract_customers(const StoreFactory& factory) {
  using namespace fixtures;
  using storage::CustomerQuery;
  using storage::StoreCounts;
  const std::unique_ptr<storage::Store> store = factory();
  REQUIRE(store != nullptr);
  storage::Store& s = *store;

  SECTION("a fresh store is empty") {
    CHECK(s.counts() == StoreCounts{});
    CHECK_FALSE(s.get_customer(CustomerId{1}).has_value());
    CHECK(s.find_customers({}).items.empty());
    CHECK_FALSE(s.backend().empty());
  }

  SECTION("insert assigns a new positive id and version 1, ignoring the given ones") {
    Customer given = person("Ada", "Lovelace");
    given.id = CustomerId{4242};
    given.version = 7;
    const Customer stored = s.insert_customer(given);
    CHECK(stored.id.valid());
    CHECK(stored.id != CustomerId{4242});
    CHECK(stored.version == 1);
    Customer expected = given;
    expected.id = stored.id;
    expected.version = 1;
    CHECK(stored == expected);
    CHECK(s.get_customer(stored.id) == stored);
    CHECK_FALSE(s.get_customer(CustomerId{4242}).has_value());
    const Customer second = s.insert_customer(person("Grace", "Hopper"));
    CHECK(second.id.valid());
    CHECK(second.id != stored.id);
    CHECK(s.counts().customers == 2);
  }

  SECTION("a fully populated customer round-trips field by field") {
    const Customer org = s.insert_customer(organization("Analytical Engines Ltd"));
    const Customer given = full_person(org.id);
    const Customer stored = s.insert_customer(given);
    const std::optional<Customer> got = s.get_customer(stored.id);
    REQUIRE(got.has_value());
    CHECK(got->id == stored.id);
    CHECK(got->version == 1);
    CHECK(got->kind == CustomerKind::person);
    CHECK(got->given_name == given.given_name);
    CHECK(got->family_name == given.family_name);
    CHECK(got->legal_name.empty());
    CHECK(got->emails == given.emails);
    CHECK(got->phones == given.phones);
    CHECK(got->addresses == given.addresses);
    CHECK(got->memberships == given.memberships);
    CHECK(got->external_ref == given.external_ref);
    CHECK(got->owner == given.owner);
    CHECK(got->tags == given.tags);
    CHECK(got->lifecycle == given.lifecycle);
    CHECK(got->source == given.source);
    CHECK(got->consent == given.consent);
    REQUIRE(got->attributes.size() == given.attributes.size());
    for (const auto& [name, value] : given.attributes) {
      INFO("attribute " << name);
      REQUIRE(got->attributes.count(name) == 1);
      CHECK(got->attributes.find(name)->second == value);
    }
    CHECK(got->created_at == given.created_at);
    CHECK(got->updated_at == given.updated_at);
    CHECK_FALSE(got->deleted_at.has_value());
    CHECK(*got == stored);
    const Customer org_again = *s.get_customer(org.id);
    CHECK(org_again.legal_name == "Analytical Engines Ltd");
    CHECK(org_again.kind == CustomerKind::organization);
  }

  SECTION("update stores version + 1 and re-indexes the record") {
    Customer c = person("Ada", "Lovelace");
    c.emails = {{Email("ada@old.example.com"), "", true}};
    c.phones = {{Phone("+44 7700 900001"), "", true}};
    c.tags = {"old-tag"};
    c.owner = "ana";
    c.external_ref = "ERP-1";
    Customer stored = s.insert_customer(c);
    stored.emails = {{Email("ada@new.example.com"), "", true}};
    stored.phones = {{Phone("+44 7700 900002"), "", true}};
    stored.tags = {"new-tag"};
    stored.owner = "ben";
    stored.external_ref = "ERP-2";
    stored.lifecycle = LifecycleStage::prospect;
    stored.updated_at = at("2024-05-01T00:00:00Z");
    const Customer updated = s.update_customer(stored);
    CHECK(updated.version == 2);
    Customer expected = stored;
    expected.version = 2;
    CHECK(updated == expected);
    CHECK(s.get_customer(stored.id) == updated);
    CHECK(s.find_customers_by_email(Email("ada@old.example.com")).empty());
    CHECK(ids_of(s.find_customers_by_email(Email("ada@new.example.com"))) ==
          std::vector{stored.id.value()});
    CHECK(s.find_customers_by_phone(Phone("+44 7700 900001")).empty());
    CHECK(s.find_customers_by_phone(Phone("+44 7700 900002")).size() == 1);
    CHECK_FALSE(s.find_customer_by_external_ref("ERP-1").has_value());
    CHECK(s.find_customer_by_external_ref("ERP-2") == updated);
    CustomerQuery by_old_tag;
    by_old_tag.tag = "old-tag";
    CHECK(s.find_customers(by_old_tag).items.empty());
    CustomerQuery by_new_tag;
    by_new_tag.tag = "new-tag";
    CHECK(ids_of(s.find_customers(by_new_tag).items) == std::vector{stored.id.value()});
    CustomerQuery by_owner;
    by_owner.owner = "ana";
    CHECK(s.find_customers(by_owner).items.empty());
    by_owner.owner = "ben";
    CHECK(s.find_customers(by_owner).items.size() == 1);
    expected.version = 3;
    CHECK(s.update_customer(updated) == expected);
  }

  SECTION("an update with a stale version throws ConflictError and changes nothing") {
    const Customer stored = s.insert_customer(person("Ada", "Lovelace"));
    Customer first = stored;
    first.family_name = "King";
    const Customer after_first = s.update_customer(first);
    Customer stale = stored;  // still version 1
    stale.family_name = "Byron";
    REQUIRE_THROWS_AS(s.update_customer(stale), ConflictError);
    CHECK(s.get_customer(stored.id) == after_first);
    Customer ahead = after_first;
    ahead.version = after_first.version + 5;
    ahead.family_name = "Future";
    REQUIRE_THROWS_AS(s.update_customer(ahead), ConflictError);
    CHECK(s.get_customer(stored.id) == after_first);
    CHECK(s.counts().customers == 1);
  }

  SECTION("an update of an unknown id throws NotFoundError") {
    Customer ghost = person("No", "Body");
    ghost.id = CustomerId{999};
    ghost.version = 1;
    REQUIRE_THROWS_AS(s.update_customer(ghost), NotFoundError);
    CHECK(s.counts() == StoreCounts{});
  }

  SECTION("invalid customers throw ValidationError naming the field and change nothing") {
    const Customer kept = s.insert_customer(person("Ada", "Lovelace"));
    const StoreCounts before = s.counts();

    Customer legal_person = person("Ada", "Lovelace");
    legal_person.legal_name = "Ada Ltd";
    require_invalid([&] { s.insert_customer(legal_person); }, "customer.legal_name", "Ada Ltd");

    Customer comma_tag = person("Ada", "Lovelace");
    comma_tag.tags = {"vip,gold"};
    require_invalid([&] { s.insert_customer(comma_tag); }, "customer.tags", "vip,gold");

    Customer two_primaries = person("Ada", "Lovelace");
    two_primaries.emails = {{Email("a@example.com"), "", true}, {Email("b@example.com"), "", true}};
    require_invalid([&] { s.insert_customer(two_primaries); }, "customer.emails");

    Customer empty_ref = person("Ada", "Lovelace");
    empty_ref.external_ref = "";
    require_invalid([&] { s.insert_customer(empty_ref); }, "customer.external_ref", "");

    CHECK(s.counts() == before);
    CHECK(ids_of(s.find_customers({}).items) == std::vector{kept.id.value()});
    CHECK(s.find_customers_by_email(Email("a@example.com")).empty());

    Customer bad_update = kept;
    bad_update.given_name.clear();
    bad_update.family_name.clear();
    require_invalid([&] { s.update_customer(bad_update); }, "customer.given_name");
    CHECK(s.get_customer(kept.id) == kept);
  }

  SECTION("memberships must name existing organizations") {
    const Customer org = s.insert_customer(organization("Analytical Engines Ltd"));
    const Customer other_person = s.insert_customer(person("Charles", "Babbage"));
    const StoreCounts before = s.counts();
    const CustomerId missing{org.id.value() + other_person.id.value() + 1000};

    Customer dangling = person("Ada", "Lovelace");
    dangling.memberships = {{missing, "advisor"}};
    require_invalid([&] { s.insert_customer(dangling); }, "customer.memberships[0].organization",
                    missing.to_string());

    Customer member_of_person = person("Ada", "Lovelace");
    member_of_person.memberships = {{org.id, "CFO"}, {other_person.id, "friend"}};
    require_invalid([&] { s.insert_customer(member_of_person); },
                    "customer.memberships[1].organization", other_person.id.to_string());
    CHECK(s.counts() == before);

    Customer member = person("Ada", "Lovelace");
    member.memberships = {{org.id, "CFO"}};
    const Customer stored = s.insert_customer(member);
    Customer moved = stored;
    moved.memberships = {{missing, "CFO"}};
    require_invalid([&] { s.update_customer(moved); }, "customer.memberships[0].organization",
                    missing.to_string());
    CHECK(s.get_customer(stored.id) == stored);
  }

  SECTION("external references are unique among all customers, soft-deleted ones included") {
    Customer first = person("Ada", "Lovelace");
    first.external_ref = "ERP-1";
    const Customer a = s.insert_customer(first);
    Customer second = person("Grace", "Hopper");
    second.external_ref = "ERP-2";
    const Customer b = s.insert_customer(second);
    const StoreCounts before = s.counts();

    Customer clash = person("Alan", "Turing");
    clash.external_ref = "ERP-1";
    REQUIRE_THROWS_AS(s.insert_customer(clash), ConflictError);
    CHECK(s.counts() == before);

    Customer steal = b;
    steal.external_ref = "ERP-1";
    REQUIRE_THROWS_AS(s.update_customer(steal), ConflictError);
    CHECK(s.get_customer(b.id) == b);

    Customer keep_own = a;  // keeping one's own reference is no conflict
    keep_own.family_name = "King";
    const Customer a2 = s.update_customer(keep_own);
    CHECK(a2.external_ref == std::optional<std::string>("ERP-1"));

    Customer soft_deleted = a2;
    soft_deleted.deleted_at = at("2024-06-01T00:00:00Z");
    const Customer a3 = s.update_customer(soft_deleted);
    REQUIRE_THROWS_AS(s.insert_customer(clash), ConflictError);
    CHECK(s.find_customer_by_external_ref("ERP-1") == a3);

    Customer release = a3;
    release.external_ref.reset();
    s.update_customer(release);
    const Customer c = s.insert_customer(clash);  // the reference is free again
    CHECK(s.find_customer_by_external_ref("ERP-1") == c);
  }

  SECTION("find_customer_by_external_ref finds exact references only") {
    Customer c = person("Ada", "Lovelace");
    c.external_ref = "ERP-000042";
    const Customer stored = s.insert_customer(c);
    CHECK(s.find_customer_by_external_ref("ERP-000042") == stored);
    CHECK_FALSE(s.find_customer_by_external_ref("erp-000042").has_value());
    CHECK_FALSE(s.find_customer_by_external_ref("ERP-00004").has_value());
    CHECK_FALSE(s.find_customer_by_external_ref("").has_value());
    REQUIRE(s.remove_customer(stored.id));
    CHECK_FALSE(s.find_customer_by_external_ref("ERP-000042").has_value());
  }

  SECTION("email lookup is case-insensitive, covers every address and skips soft-deleted") {
    const Customer org = s.insert_customer(organization("Analytical Engines Ltd"));
    const Customer zoe = s.insert_customer(full_person(org.id));
    Customer namesake = person("Zoe", "Other");
    namesake.emails = {{Email("zoe.odegard@example.com"), "", true}};  // same key, other case
    const Customer other = s.insert_customer(namesake);

    const std::vector<std::int64_t> both = {zoe.id.value(), other.id.value()};
    std::vector<std::int64_t> sorted_both = both;
    std::sort(sorted_both.begin(), sorted_both.end());
    CHECK(ids_of(s.find_customers_by_email(Email("ZOE.ODEGARD@EXAMPLE.com"))) == sorted_both);
    CHECK(ids_of(s.find_customers_by_email(Email("Zoe@Privat.Example.Org"))) ==
          std::vector{zoe.id.value()});
    CHECK(ids_of(s.find_customers_by_email(Email("z.odegard+crm@mail.example.net"))) ==
          std::vector{zoe.id.value()});
    CHECK(s.find_customers_by_email(Email("nobody@example.com")).empty());

    Customer deleted = other;
    deleted.deleted_at = at("2024-06-01T00:00:00Z");
    s.update_customer(deleted);
    CHECK(ids_of(s.find_customers_by_email(Email("zoe.odegard@example.com"))) ==
          std::vector{zoe.id.value()});
  }

  SECTION("phone lookup compares canonical numbers and skips soft-deleted") {
    const Customer org = s.insert_customer(organization("Analytical Engines Ltd"));
    const Customer zoe = s.insert_customer(full_person(org.id));
    CHECK(ids_of(s.find_customers_by_phone(Phone("06 12 34 56 78", "FR"))) ==
          std::vector{zoe.id.value()});
    CHECK(ids_of(s.find_customers_by_phone(Phone("+33142685300"))) == std::vector{zoe.id.value()});
    CHECK(ids_of(s.find_customers_by_phone(Phone("+44 20 7946 0958"))) ==
          std::vector{org.id.value()});
    CHECK(s.find_customers_by_phone(Phone("+33 6 00 00 00 00")).empty());
    Customer deleted = zoe;
    deleted.deleted_at = at("2024-06-01T00:00:00Z");
    s.update_customer(deleted);
    CHECK(s.find_customers_by_phone(Phone("+33612345678")).empty());
  }

  SECTION("find_customers filters combine with AND, ordered by id") {
    const auto make = [&](Customer c, std::string owner, std::set<std::string> tags,
                          LifecycleStage lifecycle, const char* updated) {
      c.owner = std::move(owner);
      c.tags = std::move(tags);
      c.lifecycle = lifecycle;
      c.created_at = at("2024-01-01T00:00:00Z");
      c.updated_at = at(updated);
      return s.insert_customer(c).id.value();
    };
    const auto a = make(person("Ada", "Lovelace"), "ana", {"vip"}, LifecycleStage::customer,
                        "2024-01-10T00:00:00Z");
    const auto b = make(organization("Babbage & Co"), "ben", {"vip", "partner"},
                        LifecycleStage::prospect, "2024-02-10T00:00:00Z");
    const auto c = make(person("Charles", "Xavier"), "ana", {}, LifecycleStage::lead,
                        "2024-03-10T00:00:00Z");
    const auto d = make(person("Dorothy", "Vaughan"), "ana", {"vip"}, LifecycleStage::customer,
                        "2024-04-10T00:00:00Z");
    const auto e = make(organization("Engines SA"), "ben", {"partner"}, LifecycleStage::customer,
                        "2024-05-10T00:00:00Z");
    Customer deleted = *s.get_customer(CustomerId{d});
    deleted.deleted_at = at("2024-06-01T00:00:00Z");
    s.update_customer(deleted);

    const auto ids = [&](const CustomerQuery& q) { return ids_of(s.find_customers(q).items); };
    const auto sorted = [](std::vector<std::int64_t> v) {
      std::sort(v.begin(), v.end());
      return v;
    };
    CHECK(ids({}) == sorted({a, b, c, e}));
    CustomerQuery q;
    q.include_deleted = true;
    CHECK(ids(q) == sorted({a, b, c, d, e}));
    q = {};
    q.owner = "ana";
    CHECK(ids(q) == sorted({a, c}));
    q.include_deleted = true;
    CHECK(ids(q) == sorted({a, c, d}));
    q = {};
    q.tag = "vip";
    CHECK(ids(q) == sorted({a, b}));
    q.owner = "ana";
    CHECK(ids(q) == sorted({a}));
    q.include_deleted = true;
    CHECK(ids(q) == sorted({a, d}));
    q = {};
    q.lifecycle = LifecycleStage::customer;
    CHECK(ids(q) == sorted({a, e}));
    q = {};
    q.kind = CustomerKind::organization;
    CHECK(ids(q) == sorted({b, e}));
    q.tag = "partner";
    q.lifecycle = LifecycleStage::prospect;
    CHECK(ids(q) == sorted({b}));
    q = {};
    q.updated_since = at("2024-03-10T00:00:00Z");  // inclusive
    CHECK(ids(q) == sorted({c, e}));
    q = {};
    q.owner = "nobody";
    CHECK(ids(q).empty());
    q = {};
    q.tag = "no-such-tag";
    CHECK(ids(q).empty());
  }

  SECTION("soft delete is an update: counted apart, listed and looked up only on request") {
    Customer c = person("Ada", "Lovelace");
    c.emails = {{Email("ada@example.com"), "", true}};
    c.external_ref = "ERP-1";
    const Customer stored = s.insert_customer(c);
    s.insert_customer(person("Grace", "Hopper"));
    Customer deleted = stored;
    deleted.deleted_at = at("2024-06-01T00:00:00Z");
    const Customer after = s.update_customer(deleted);
    CHECK(after.deleted());
    CHECK(after.version == 2);
    const StoreCounts counts = s.counts();
    CHECK(counts.customers == 1);
    CHECK(counts.deleted_customers == 1);
    CHECK(s.get_customer(stored.id) == after);
    CHECK(s.find_customers({}).items.size() == 1);
    CustomerQuery all;
    all.include_deleted = true;
    CHECK(s.find_customers(all).items.size() == 2);
    CHECK(s.find_customers_by_email(Email("ada@example.com")).empty());
    CHECK(s.find_customer_by_external_ref("ERP-1") == after);

    Customer restored = after;
    restored.deleted_at.reset();
    s.update_customer(restored);
    CHECK(s.counts().customers == 2);
    CHECK(s.counts().deleted_customers == 0);
    CHECK(s.find_customers_by_email(Email("ada@example.com")).size() == 1);
  }

  SECTION("remove_customer deletes for good, unless other records refer to the customer") {
    CHECK_FALSE(s.remove_customer(CustomerId{12345}));
    const Customer lone = s.insert_customer(person("Ada", "Lovelace"));
    CHECK(s.remove_customer(lone.id));
    CHECK_FALSE(s.get_customer(lone.id).has_value());
    CHECK_FALSE(s.remove_customer(lone.id));
    CHECK(s.counts() == StoreCounts{});

    const Customer org = s.insert_customer(organization("Analytical Engines Ltd"));
    Customer m = person("Grace", "Hopper");
    m.memberships = {{org.id, "engineer"}};
    const Customer member = s.insert_customer(m);
    const Customer buyer = s.insert_customer(person("Alan", "Turing"));
    const Customer contact = s.insert_customer(person("Joan", "Clarke"));
    const Customer caller = s.insert_customer(person("Tommy", "Flowers"));
    const Customer shopper = s.insert_customer(person("Hedy", "Lamarr"));
    const Pipeline pipeline = s.insert_pipeline(sales_pipeline());
    Deal deal = open_deal(pipeline.id, buyer.id);
    deal.contacts = {{contact.id, "sponsor"}};
    const Deal stored_deal = s.insert_deal(deal);
    const Interaction call =
        s.insert_interaction(interaction({caller.id}, at("2024-03-01T10:00:00Z")));
    std::vector<Purchase> purchases = {purchase(shopper.id, at("2024-03-02T10:00:00Z"), 1999)};
    s.append_purchases(purchases);
    const StoreCounts before = s.counts();

    for (const CustomerId referred : {org.id, buyer.id, contact.id, caller.id, shopper.id}) {
      INFO("customer " << referred.value());
      const Customer kept = *s.get_customer(referred);
      REQUIRE_THROWS_AS(s.remove_customer(referred), ConflictError);
      CHECK(s.get_customer(referred) == kept);
    }
    CHECK(s.counts() == before);

    REQUIRE(s.remove_purchase(purchases[0].id));
    CHECK(s.remove_customer(shopper.id));
    REQUIRE(s.remove_interaction(call.id));
    CHECK(s.remove_customer(caller.id));
    REQUIRE(s.remove_deal(stored_deal.id));
    CHECK(s.remove_customer(buyer.id));
    CHECK(s.remove_customer(contact.id));
    CHECK(s.remove_customer(member.id));  // a member refers to the organization, not the reverse
    CHECK(s.remove_customer(org.id));
    CHECK(s.counts().customers == 0);
  }
}

/// Interactions: insert, bulk append, update, get, find_interactions filters and order, removal,
/// references to customers and deals.
inline void contract_interactions(const StoreFactory& factory) {
  using namespace fixtures;
  using storage::InteractionQuery;
  using storage::StoreCounts;
  const std::unique_ptr<storage::Store> store = factory();
  REQUIRE(store != nullptr);
  storage::Store& s = *store;
  const Customer alice = s.insert_customer(person("Alice", "Martin"));
  const Customer bob = s.insert_customer(person("Bob", "Dupont"));
  const Pipeline pipeline = s.insert_pipeline(sales_pipeline());
  const Deal deal = s.insert_deal(open_deal(pipeline.id, alice.id));

  SECTION("a fully populated interaction round-trips field by field") {
    Interaction given = full_interaction({alice.id, bob.id}, deal.id);
    given.id = InteractionId{777};
    given.version = 9;
    const Interaction stored = s.insert_interaction(given);
    CHECK(stored.id.valid());
    CHECK(stored.version == 1);
    const std::optional<Interaction> got = s.get_interaction(stored.id);
    REQUIRE(got.has_value());
    CHECK(got->channel == given.channel);
    CHECK(got->direction == given.direction);
    CHECK(got->occurred_at == given.occurred_at);
    CHECK(got->duration == given.duration);
    CHECK(got->subject == given.subject);
    CHECK(got->body == given.body);
    CHECK(got->outcome == given.outcome);
    CHECK(got->author == given.author);
    CHECK(got->customers == given.customers);
    CHECK(got->deal == given.deal);
    CHECK(got->external_ref == given.external_ref);
    CHECK(got->created_at == given.created_at);
    CHECK(*got == stored);
    CHECK(s.counts().interactions == 1);
    CHECK_FALSE(s.get_interaction(InteractionId{stored.id.value() + 1}).has_value());
  }

  SECTION("references and rules are checked, and a failed insert changes nothing") {
    const StoreCounts before = s.counts();
    const CustomerId missing{alice.id.value() + bob.id.value() + 1000};
    const Timestamp when = at("2024-03-01T10:00:00Z");
    require_invalid([&] { s.insert_interaction(interaction({alice.id, missing}, when)); },
                    "interaction.customers[1]", missing.to_string());
    const DealId missing_deal{deal.id.value() + 1000};
    require_invalid(
        [&] { s.insert_interaction(interaction({alice.id}, when, missing_deal)); },
        "interaction.deal", missing_deal.to_string());
    require_invalid([&] { s.insert_interaction(interaction({}, at("2024-03-01T10:00:00Z"))); },
                    "interaction.customers");
    Interaction negative = interaction({alice.id}, at("2024-03-01T10:00:00Z"));
    negative.duration = std::chrono::seconds(-5);
    require_invalid([&] { s.insert_interaction(negative); }, "interaction.duration");
    CHECK(s.counts() == before);
  }

  SECTION("append_interactions assigns ids in place, all or nothing") {
    std::vector<Interaction> none;
    s.append_interactions(none);
    CHECK(s.counts().interactions == 0);

    std::vector<Interaction> batch = {interaction({alice.id}, at("2024-03-01T10:00:00Z")),
                                      interaction({bob.id}, at("2024-03-02T10:00:00Z"), deal.id),
                                      interaction({alice.id, bob.id}, at("2024-03-03T10:00:00Z"))};
    const std::vector<Interaction> given = batch;
    s.append_interactions(batch);
    CHECK(s.counts().interactions == 3);
    std::vector<std::int64_t> ids = ids_of(batch);
    std::sort(ids.begin(), ids.end());
    CHECK(std::adjacent_find(ids.begin(), ids.end()) == ids.end());
    for (std::size_t i = 0; i < batch.size(); ++i) {
      INFO("batch[" << i << "]");
      CHECK(batch[i].id.valid());
      CHECK(batch[i].version == 1);
      Interaction expected = given[i];
      expected.id = batch[i].id;
      expected.version = 1;
      CHECK(s.get_interaction(batch[i].id) == expected);
    }

    std::vector<Interaction> bad = {interaction({alice.id}, at("2024-04-01T10:00:00Z")),
                                    interaction({bob.id}, at("2024-04-02T10:00:00Z")),
                                    interaction({CustomerId{99999}}, at("2024-04-03T10:00:00Z"))};
    require_invalid([&] { s.append_interactions(bad); }, "interactions[2].customers[0]", "99999");
    bad[2].customers = {alice.id};
    bad[1].duration = std::chrono::seconds(-1);
    require_invalid([&] { s.append_interactions(bad); }, "interactions[1].duration");
    CHECK(s.counts().interactions == 3);
    InteractionQuery since_april;
    since_april.since = at("2024-04-01T00:00:00Z");
    CHECK(s.find_interactions(since_april).items.empty());
  }

  SECTION("update stores version + 1, re-indexes, and checks versions and references") {
    const Interaction stored =
        s.insert_interaction(interaction({alice.id}, at("2024-03-01T10:00:00Z")));
    Interaction moved = stored;
    moved.customers = {bob.id};
    moved.deal = deal.id;
    moved.outcome = "no answer";
    const Interaction updated = s.update_interaction(moved);
    CHECK(updated.version == 2);
    CHECK(s.get_interaction(stored.id) == updated);
    InteractionQuery of_alice;
    of_alice.customer = alice.id;
    CHECK(s.find_interactions(of_alice).items.empty());
    InteractionQuery of_bob;
    of_bob.customer = bob.id;
    CHECK(ids_of(s.find_interactions(of_bob).items) == std::vector{stored.id.value()});
    InteractionQuery of_deal;
    of_deal.deal = deal.id;
    CHECK(ids_of(s.find_interactions(of_deal).items) == std::vector{stored.id.value()});

    REQUIRE_THROWS_AS(s.update_interaction(stored), ConflictError);  // version 1 is stale
    Interaction ghost = updated;
    ghost.id = InteractionId{updated.id.value() + 1000};
    REQUIRE_THROWS_AS(s.update_interaction(ghost), NotFoundError);
    Interaction dangling = updated;
    dangling.customers = {CustomerId{99999}};
    require_invalid([&] { s.update_interaction(dangling); }, "interaction.customers[0]", "99999");
    CHECK(s.get_interaction(stored.id) == updated);
  }

  SECTION("find_interactions filters by customer, deal and since, newest first, ties by id") {
    std::vector<Interaction> batch = {
        interaction({alice.id}, at("2024-03-01T09:00:00Z")),
        interaction({alice.id, bob.id}, at("2024-03-01T10:00:00Z"), deal.id),
        interaction({bob.id}, at("2024-03-01T11:00:00Z")),
        interaction({alice.id}, at("2024-03-01T10:00:00Z")),  // same time as the second
    };
    s.append_interactions(batch);
    const auto ids = [&](const InteractionQuery& q) { return ids_of(s.find_interactions(q).items); };
    const auto expect = [&](std::initializer_list<std::size_t> picks) {
      std::vector<Interaction> chosen;
      for (const std::size_t k : picks) chosen.push_back(batch[k]);
      return newest_first(chosen);
    };
    CHECK(ids({}) == expect({0, 1, 2, 3}));
    InteractionQuery q;
    q.customer = alice.id;
    CHECK(ids(q) == expect({0, 1, 3}));
    q.customer = bob.id;
    CHECK(ids(q) == expect({1, 2}));
    q.deal = deal.id;
    CHECK(ids(q) == expect({1}));
    q = {};
    q.deal = deal.id;
    CHECK(ids(q) == expect({1}));
    q = {};
    q.since = at("2024-03-01T10:00:00Z");  // inclusive
    CHECK(ids(q) == expect({1, 2, 3}));
    q.customer = alice.id;
    CHECK(ids(q) == expect({1, 3}));
    q = {};
    q.customer = CustomerId{99999};
    CHECK(ids(q).empty());
  }

  SECTION("remove_interaction deletes and unlists") {
    const Interaction stored =
        s.insert_interaction(interaction({alice.id}, at("2024-03-01T10:00:00Z"), deal.id));
    CHECK_FALSE(s.remove_interaction(InteractionId{stored.id.value() + 1000}));
    CHECK(s.remove_interaction(stored.id));
    CHECK_FALSE(s.get_interaction(stored.id).has_value());
    CHECK_FALSE(s.remove_interaction(stored.id));
    CHECK(s.counts().interactions == 0);
    InteractionQuery of_alice;
    of_alice.customer = alice.id;
    CHECK(s.find_interactions(of_alice).items.empty());
    CHECK(s.remove_deal(deal.id));  // nothing refers to the deal any more
  }
}

/// Pipelines: insert, update, get, list, removal, and the rule that a stage in use by a deal
/// (current stage or history) cannot be removed.
inline void contract_pipelines(const StoreFactory& factory) {
  using namespace fixtures;
  using storage::StoreCounts;
  const std::unique_ptr<storage::Store> store = factory();
  REQUIRE(store != nullptr);
  storage::Store& s = *store;

  SECTION("pipelines round-trip and are listed by id") {
    CHECK(s.list_pipelines().empty());
    Pipeline given = sales_pipeline("New business");
    given.id = PipelineId{55};
    given.version = 4;
    const Pipeline first = s.insert_pipeline(given);
    const Pipeline second = s.insert_pipeline(sales_pipeline("Renewals"));
    CHECK(first.id.valid());
    CHECK(first.version == 1);
    CHECK(first.id != second.id);
    const std::optional<Pipeline> got = s.get_pipeline(first.id);
    REQUIRE(got.has_value());
    CHECK(got->name == "New business");
    CHECK(got->stages == given.stages);
    CHECK(got->created_at == given.created_at);
    CHECK(got->updated_at == given.updated_at);
    CHECK(*got == first);
    std::vector<std::int64_t> expected = {first.id.value(), second.id.value()};
    std::sort(expected.begin(), expected.end());
    CHECK(ids_of(s.list_pipelines()) == expected);
    CHECK(s.counts().pipelines == 2);
    CHECK_FALSE(s.get_pipeline(PipelineId{first.id.value() + second.id.value()}).has_value());
  }

  SECTION("invalid pipelines throw ValidationError and change nothing") {
    Pipeline no_open = sales_pipeline();
    no_open.stages = {{"won", "Won", StageCategory::won, 1.0, std::nullopt}};
    require_invalid([&] { s.insert_pipeline(no_open); }, "pipeline.stages");
    Pipeline duplicate = sales_pipeline();
    duplicate.stages[1].key = "lead";
    require_invalid([&] { s.insert_pipeline(duplicate); }, "pipeline.stages[1].key", "lead");
    Pipeline unnamed = sales_pipeline();
    unnamed.name.clear();
    require_invalid([&] { s.insert_pipeline(unnamed); }, "pipeline.name", "");
    CHECK(s.counts() == StoreCounts{});
    CHECK(s.list_pipelines().empty());
  }

  SECTION("update stores version + 1 and checks the version") {
    const Pipeline stored = s.insert_pipeline(sales_pipeline());
    Pipeline renamed = stored;
    renamed.name = "Enterprise";
    renamed.stages.insert(renamed.stages.begin() + 2,
                          Stage{"demo", "Demo given", StageCategory::open, 0.45, 7});
    const Pipeline updated = s.update_pipeline(renamed);
    CHECK(updated.version == 2);
    CHECK(s.get_pipeline(stored.id) == updated);
    REQUIRE_THROWS_AS(s.update_pipeline(stored), ConflictError);
    CHECK(s.get_pipeline(stored.id) == updated);
    Pipeline ghost = updated;
    ghost.id = PipelineId{stored.id.value() + 1000};
    REQUIRE_THROWS_AS(s.update_pipeline(ghost), NotFoundError);
    Pipeline invalid = updated;
    invalid.stages.clear();
    require_invalid([&] { s.update_pipeline(invalid); }, "pipeline.stages");
    CHECK(s.get_pipeline(stored.id) == updated);
  }

  SECTION("a stage used by a deal, now or in its history, cannot be removed") {
    const Pipeline stored = s.insert_pipeline(sales_pipeline());
    const Customer buyer = s.insert_customer(person("Alan", "Turing"));
    s.insert_deal(open_deal(stored.id, buyer.id));  // in `qualified`, opened in `lead`

    Pipeline without_unused = stored;  // nobody uses `proposal`
    without_unused.stages.erase(without_unused.stages.begin() + 2);
    const Pipeline updated = s.update_pipeline(without_unused);
    CHECK(updated.find_stage("proposal") == nullptr);

    Pipeline without_current = updated;
    without_current.stages.erase(without_current.stages.begin() + 1);
    require_invalid([&] { s.update_pipeline(without_current); }, "pipeline.stages", "qualified");
    Pipeline without_history = updated;
    without_history.stages.erase(without_history.stages.begin());
    require_invalid([&] { s.update_pipeline(without_history); }, "pipeline.stages", "lead");
    CHECK(s.get_pipeline(stored.id) == updated);
  }

  SECTION("remove_pipeline refuses while deals use the pipeline") {
    CHECK_FALSE(s.remove_pipeline(PipelineId{4321}));
    const Pipeline unused = s.insert_pipeline(sales_pipeline("Unused"));
    const Pipeline used = s.insert_pipeline(sales_pipeline("Used"));
    const Customer buyer = s.insert_customer(person("Alan", "Turing"));
    const Deal deal = s.insert_deal(open_deal(used.id, buyer.id));
    CHECK(s.remove_pipeline(unused.id));
    CHECK_FALSE(s.get_pipeline(unused.id).has_value());
    CHECK_FALSE(s.remove_pipeline(unused.id));
    REQUIRE_THROWS_AS(s.remove_pipeline(used.id), ConflictError);
    CHECK(s.get_pipeline(used.id) == used);
    CHECK(s.counts().pipelines == 1);
    REQUIRE(s.remove_deal(deal.id));
    CHECK(s.remove_pipeline(used.id));
    CHECK(s.list_pipelines().empty());
  }
}

/// Deals: insert, update, get, find_deals filters (status included), references to the
/// pipeline, customer and contact persons, validation against the pipeline, removal rules.
inline void contract_deals(const StoreFactory& factory) {
  using namespace fixtures;
  using storage::DealQuery;
  using storage::DealStatus;
  using storage::StoreCounts;
  const std::unique_ptr<storage::Store> store = factory();
  REQUIRE(store != nullptr);
  storage::Store& s = *store;
  const Pipeline pipeline = s.insert_pipeline(sales_pipeline());
  const Customer org = s.insert_customer(organization("Analytical Engines Ltd"));
  Customer contact_person = person("Ada", "Lovelace");
  contact_person.memberships = {{org.id, "CFO"}};
  const Customer ada = s.insert_customer(contact_person);
  const Customer grace = s.insert_customer(person("Grace", "Hopper"));

  SECTION("a fully populated deal round-trips field by field") {
    Deal given = full_deal(pipeline.id, org.id, {ada.id, grace.id});
    given.id = DealId{31};
    given.version = 3;
    const Deal stored = s.insert_deal(given);
    CHECK(stored.id.valid());
    CHECK(stored.version == 1);
    const std::optional<Deal> got = s.get_deal(stored.id);
    REQUIRE(got.has_value());
    CHECK(got->pipeline == given.pipeline);
    CHECK(got->stage == given.stage);
    CHECK(got->customer == given.customer);
    CHECK(got->contacts == given.contacts);
    CHECK(got->title == given.title);
    CHECK(got->amount == given.amount);
    CHECK(got->probability == given.probability);
    CHECK(got->expected_close == given.expected_close);
    CHECK(got->owner == given.owner);
    CHECK(got->lost_reason.empty());
    CHECK_FALSE(got->won_at.has_value());
    CHECK_FALSE(got->lost_at.has_value());
    CHECK(got->history == given.history);
    CHECK(got->external_ref == given.external_ref);
    CHECK(got->created_at == given.created_at);
    CHECK(got->updated_at == given.updated_at);
    CHECK(*got == stored);
    CHECK_FALSE(s.get_deal(DealId{stored.id.value() + 1}).has_value());
  }

  SECTION("won and lost deals round-trip with their closing fields") {
    const Deal won = s.insert_deal(won_deal(pipeline.id, org.id));
    const Deal lost = s.insert_deal(lost_deal(pipeline.id, grace.id));
    CHECK(s.get_deal(won.id) == won);
    CHECK(s.get_deal(lost.id) == lost);
    CHECK(s.get_deal(won.id)->won_at == won_deal(pipeline.id, org.id).won_at);
    CHECK(s.get_deal(lost.id)->lost_reason == "chose a competitor");
    CHECK(storage::status_of(*s.get_deal(won.id)) == DealStatus::won);
    CHECK(storage::status_of(*s.get_deal(lost.id)) == DealStatus::lost);
    CHECK(s.counts().deals == 2);
  }

  SECTION("references and the pipeline's rules are checked, and nothing changes on failure") {
    const StoreCounts before = s.counts();
    const PipelineId missing_pipeline{pipeline.id.value() + 1000};
    const CustomerId missing{org.id.value() + ada.id.value() + grace.id.value() + 1000};
    require_invalid([&] { s.insert_deal(open_deal(missing_pipeline, org.id)); }, "deal.pipeline",
                    missing_pipeline.to_string());
    require_invalid([&] { s.insert_deal(open_deal(pipeline.id, missing)); }, "deal.customer",
                    missing.to_string());
    require_invalid([&] { s.insert_deal(full_deal(pipeline.id, org.id, {ada.id, missing})); },
                    "deal.contacts[1].person", missing.to_string());
    require_invalid([&] { s.insert_deal(full_deal(pipeline.id, grace.id, {org.id})); },
                    "deal.contacts[0].person", org.id.to_string());
    Deal unknown_stage = open_deal(pipeline.id, org.id);
    unknown_stage.stage = "negotiation";
    require_invalid([&] { s.insert_deal(unknown_stage); }, "deal.stage", "negotiation");
    Deal lost_without_reason = lost_deal(pipeline.id, org.id);
    lost_without_reason.lost_reason.clear();
    require_invalid([&] { s.insert_deal(lost_without_reason); }, "deal.lost_reason", "");
    CHECK(s.counts() == before);
    CHECK(s.find_deals({}).items.empty());
  }

  SECTION("update moves a deal, stores version + 1 and checks the version") {
    const Deal stored = s.insert_deal(open_deal(pipeline.id, org.id));
    Deal moved = stored;
    moved.history.push_back({"qualified", "proposal", at("2024-02-20T09:00:00Z"), "li.w", ""});
    moved.stage = "proposal";
    moved.owner = "li.w";
    moved.updated_at = at("2024-02-20T09:00:00Z");
    const Deal updated = s.update_deal(moved);
    CHECK(updated.version == 2);
    CHECK(s.get_deal(stored.id) == updated);
    DealQuery in_proposal;
    in_proposal.stage = "proposal";
    CHECK(ids_of(s.find_deals(in_proposal).items) == std::vector{stored.id.value()});

    REQUIRE_THROWS_AS(s.update_deal(stored), ConflictError);
    Deal ghost = updated;
    ghost.id = DealId{stored.id.value() + 1000};
    REQUIRE_THROWS_AS(s.update_deal(ghost), NotFoundError);
    Deal broken = updated;
    broken.stage = "lost";  // no lost reason, no lost_at, history not ending in `lost`
    REQUIRE_THROWS_AS(s.update_deal(broken), ValidationError);
    Deal bad_contact = updated;
    bad_contact.contacts = {{org.id, "buyer"}};
    require_invalid([&] { s.update_deal(bad_contact); }, "deal.contacts[0].person",
                    org.id.to_string());
    CHECK(s.get_deal(stored.id) == updated);
  }

  SECTION("find_deals filters combine with AND, ordered by id") {
    const Pipeline renewals = s.insert_pipeline(sales_pipeline("Renewals"));
    Deal a = open_deal(pipeline.id, org.id, "A");
    a.contacts = {{ada.id, "sponsor"}};
    Deal b = won_deal(pipeline.id, grace.id, "B");
    b.owner = "li.w";
    Deal c = lost_deal(renewals.id, org.id, "C");
    Deal d = open_deal(renewals.id, grace.id, "D");
    d.owner = "li.w";
    const auto ida = s.insert_deal(a).id.value();
    const auto idb = s.insert_deal(b).id.value();
    const auto idc = s.insert_deal(c).id.value();
    const auto idd = s.insert_deal(d).id.value();
    const auto ids = [&](const DealQuery& q) { return ids_of(s.find_deals(q).items); };
    const auto sorted = [](std::vector<std::int64_t> v) {
      std::sort(v.begin(), v.end());
      return v;
    };
    CHECK(ids({}) == sorted({ida, idb, idc, idd}));
    DealQuery q;
    q.pipeline = pipeline.id;
    CHECK(ids(q) == sorted({ida, idb}));
    q.status = DealStatus::won;
    CHECK(ids(q) == sorted({idb}));
    q = {};
    q.status = DealStatus::open;
    CHECK(ids(q) == sorted({ida, idd}));
    q.status = DealStatus::lost;
    CHECK(ids(q) == sorted({idc}));
    q = {};
    q.customer = org.id;
    CHECK(ids(q) == sorted({ida, idc}));
    q.customer = ada.id;  // a contact person is not the deal's customer
    CHECK(ids(q).empty());
    q = {};
    q.owner = "li.w";
    CHECK(ids(q) == sorted({idb, idd}));
    q.pipeline = renewals.id;
    CHECK(ids(q) == sorted({idd}));
    q = {};
    q.stage = "qualified";
    CHECK(ids(q) == sorted({ida, idd}));
    q.customer = grace.id;
    CHECK(ids(q) == sorted({idd}));
    q = {};
    q.pipeline = PipelineId{renewals.id.value() + 1000};
    CHECK(ids(q).empty());
  }

  SECTION("remove_deal refuses while interactions refer to the deal") {
    CHECK_FALSE(s.remove_deal(DealId{8888}));
    const Deal deal = s.insert_deal(open_deal(pipeline.id, org.id));
    const Interaction call =
        s.insert_interaction(interaction({ada.id}, at("2024-03-01T10:00:00Z"), deal.id));
    REQUIRE_THROWS_AS(s.remove_deal(deal.id), ConflictError);
    CHECK(s.get_deal(deal.id) == deal);
    CHECK(s.counts().deals == 1);
    REQUIRE(s.remove_interaction(call.id));
    CHECK(s.remove_deal(deal.id));
    CHECK_FALSE(s.get_deal(deal.id).has_value());
    CHECK_FALSE(s.remove_deal(deal.id));
    CHECK(s.counts().deals == 0);
  }
}

/// Purchases: bulk append (ids in place, all or nothing, errors naming the index), get,
/// find_purchases, scan_purchases with its filters and the mixed-currency rule, removal.
inline void contract_purchases(const StoreFactory& factory) {
  using namespace fixtures;
  using storage::PurchaseColumns;
  using storage::PurchaseQuery;
  using storage::PurchaseScan;
  using storage::StoreCounts;
  const std::unique_ptr<storage::Store> store = factory();
  REQUIRE(store != nullptr);
  storage::Store& s = *store;
  const Customer alice = s.insert_customer(person("Alice", "Martin"));
  const Customer bob = s.insert_customer(person("Bob", "Dupont"));

  // The expected columns of `purchases` (taken in id order), computed from the records.
  const auto columns_of = [](std::vector<Purchase> purchases) {
    std::sort(purchases.begin(), purchases.end(),
              [](const Purchase& a, const Purchase& b) { return a.id < b.id; });
    PurchaseColumns columns;
    for (const Purchase& p : purchases) {
      columns.customer_ids.push_back(p.customer.value());
      columns.times_us.push_back(
          std::chrono::duration_cast<std::chrono::microseconds>(p.occurred_at.time_since_epoch())
              .count());
      columns.amounts_minor.push_back(p.amount.minor_units());
    }
    return columns;
  };
  const auto same_rows = [](const PurchaseColumns& got, const PurchaseColumns& expected) {
    CHECK(got.size() == expected.size());
    CHECK(got.customer_ids == expected.customer_ids);
    CHECK(got.times_us == expected.times_us);
    CHECK(got.amounts_minor == expected.amounts_minor);
  };

  SECTION("append_purchases assigns increasing ids in place and round-trips every field") {
    Purchase full = purchase(alice.id, at("2024-03-05T10:30:00.000001Z"), 12'999);
    full.quantity = 2.5;
    full.order_ref = "SO-2024-0001";
    full.product_ref = "SKU-ÆØÅ-1";
    full.id = PurchaseId{404};
    std::vector<Purchase> batch = {full, purchase(bob.id, at("2024-01-10T08:00:00Z"), 2500),
                                   purchase(alice.id, at("2024-02-01T12:00:00Z"), -300, "USD")};
    const std::vector<Purchase> given = batch;
    s.append_purchases(batch);
    CHECK(s.counts().purchases == 3);
    CHECK(batch[0].id.valid());
    CHECK(batch[0].id < batch[1].id);  // id order is insertion order
    CHECK(batch[1].id < batch[2].id);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      INFO("batch[" << i << "]");
      const std::optional<Purchase> got = s.get_purchase(batch[i].id);
      REQUIRE(got.has_value());
      CHECK(got->customer == given[i].customer);
      CHECK(got->occurred_at == given[i].occurred_at);
      CHECK(got->amount == given[i].amount);
      CHECK(got->order_ref == given[i].order_ref);
      CHECK(got->quantity == given[i].quantity);
      CHECK(got->product_ref == given[i].product_ref);
      CHECK(*got == batch[i]);
    }
    CHECK_FALSE(s.get_purchase(PurchaseId{batch[2].id.value() + 1}).has_value());
    std::vector<Purchase> none;
    s.append_purchases(none);
    CHECK(s.counts().purchases == 3);
    std::vector<Purchase> more = {purchase(bob.id, at("2024-05-01T08:00:00Z"), 100)};
    s.append_purchases(more);
    CHECK(more[0].id > batch[2].id);
  }

  SECTION("a bad purchase names its index and nothing of the batch is written") {
    std::vector<Purchase> batch;
    for (int i = 0; i < 5; ++i) {
      batch.push_back(purchase(i % 2 == 0 ? alice.id : bob.id, at("2024-03-01T10:00:00Z"), 1000 + i));
    }
    std::vector<Purchase> no_currency = batch;
    no_currency[2].amount = Money(1002, Currency{});
    require_invalid([&] { s.append_purchases(no_currency); }, "purchases[2].amount");
    std::vector<Purchase> unknown_customer = batch;
    unknown_customer[4].customer = CustomerId{99999};
    require_invalid([&] { s.append_purchases(unknown_customer); }, "purchases[4].customer", "99999");
    std::vector<Purchase> bad_quantity = batch;
    bad_quantity[1].quantity = -1.0;
    require_invalid([&] { s.append_purchases(bad_quantity); }, "purchases[1].quantity");
    CHECK(s.counts().purchases == 0);
    CHECK(s.find_purchases({}).items.empty());
    CHECK(s.scan_purchases({}).size() == 0);
  }

  SECTION("find_purchases filters by customer and since, newest first, ties by id") {
    std::vector<Purchase> batch = {purchase(alice.id, at("2024-03-01T10:00:00Z"), 100),
                                   purchase(bob.id, at("2024-03-02T10:00:00Z"), 200),
                                   purchase(alice.id, at("2024-03-03T10:00:00Z"), 300),
                                   purchase(alice.id, at("2024-03-01T10:00:00Z"), 400)};
    s.append_purchases(batch);
    const auto ids = [&](const PurchaseQuery& q) { return ids_of(s.find_purchases(q).items); };
    const auto expect = [&](std::initializer_list<std::size_t> picks) {
      std::vector<Purchase> chosen;
      for (const std::size_t k : picks) chosen.push_back(batch[k]);
      return newest_first(chosen);
    };
    CHECK(ids({}) == expect({0, 1, 2, 3}));
    PurchaseQuery q;
    q.customer = alice.id;
    CHECK(ids(q) == expect({0, 2, 3}));
    q.since = at("2024-03-02T00:00:00Z");
    CHECK(ids(q) == expect({2}));
    q = {};
    q.since = at("2024-03-02T10:00:00Z");  // inclusive
    CHECK(ids(q) == expect({1, 2}));
    q = {};
    q.customer = CustomerId{99999};
    CHECK(ids(q).empty());
  }

  SECTION("scan_purchases reads columns in id order, filtered by currency and time range") {
    std::vector<Purchase> batch = {purchase(alice.id, at("2024-03-05T00:00:00Z"), 1000),
                                   purchase(bob.id, at("2024-01-10T00:00:00Z"), 2500),
                                   purchase(alice.id, at("2024-02-01T00:00:00Z"), 700, "USD"),
                                   purchase(bob.id, at("2024-04-01T00:00:00Z"), -300)};
    s.append_purchases(batch);
    const auto pick = [&](std::initializer_list<std::size_t> picks) {
      std::vector<Purchase> chosen;
      for (const std::size_t k : picks) chosen.push_back(batch[k]);
      return columns_of(chosen);
    };
    PurchaseScan scan;
    scan.currency = Currency("EUR");
    PurchaseColumns eur = s.scan_purchases(scan);
    same_rows(eur, pick({0, 1, 3}));
    CHECK(eur.currency == Currency("EUR"));
    scan.since = at("2024-03-05T00:00:00Z");  // inclusive
    same_rows(s.scan_purchases(scan), pick({0, 3}));
    scan.until = at("2024-04-01T00:00:00Z");  // exclusive
    same_rows(s.scan_purchases(scan), pick({0}));
    scan.since.reset();
    same_rows(s.scan_purchases(scan), pick({0, 1}));
    scan.currency = Currency("USD");
    PurchaseColumns usd = s.scan_purchases(scan);
    same_rows(usd, pick({2}));
    CHECK(usd.currency == Currency("USD"));

    PurchaseScan one_currency_in_range;  // no currency given, but only USD in range
    one_currency_in_range.since = at("2024-02-01T00:00:00Z");
    one_currency_in_range.until = at("2024-03-01T00:00:00Z");
    PurchaseColumns only_usd = s.scan_purchases(one_currency_in_range);
    same_rows(only_usd, pick({2}));
    CHECK(only_usd.currency == Currency("USD"));

    PurchaseScan empty_range;
    empty_range.since = at("2025-01-01T00:00:00Z");
    const PurchaseColumns nothing = s.scan_purchases(empty_range);
    CHECK(nothing.size() == 0);
    CHECK_FALSE(nothing.currency.is_set());
  }

  SECTION("a scan over mixed currencies needs a currency") {
    std::vector<Purchase> batch = {purchase(alice.id, at("2024-03-05T00:00:00Z"), 1000),
                                   purchase(bob.id, at("2024-03-06T00:00:00Z"), 700, "USD")};
    s.append_purchases(batch);
    try {
      s.scan_purchases({});
      FAIL("expected a ValidationError for scan.currency");
    } catch (const ValidationError& error) {
      CHECK(error.field() == "scan.currency");
      CHECK(error.value().empty());
      CHECK_THAT(std::string(error.what()), Catch::Contains("EUR") && Catch::Contains("USD"));
    }
    PurchaseScan eur_range;
    eur_range.until = at("2024-03-06T00:00:00Z");
    same_rows(s.scan_purchases(eur_range), columns_of({batch[0]}));
  }

  SECTION("an empty store scans to empty columns without a currency") {
    const PurchaseColumns nothing = s.scan_purchases({});
    CHECK(nothing.size() == 0);
    CHECK(nothing.times_us.empty());
    CHECK(nothing.amounts_minor.empty());
    CHECK_FALSE(nothing.currency.is_set());
  }

  SECTION("remove_purchase deletes from every read path") {
    std::vector<Purchase> batch = {purchase(alice.id, at("2024-03-01T10:00:00Z"), 100),
                                   purchase(alice.id, at("2024-03-02T10:00:00Z"), 200)};
    s.append_purchases(batch);
    CHECK_FALSE(s.remove_purchase(PurchaseId{batch[1].id.value() + 1000}));
    CHECK(s.remove_purchase(batch[0].id));
    CHECK_FALSE(s.remove_purchase(batch[0].id));
    CHECK_FALSE(s.get_purchase(batch[0].id).has_value());
    CHECK(s.counts().purchases == 1);
    PurchaseQuery of_alice;
    of_alice.customer = alice.id;
    CHECK(ids_of(s.find_purchases(of_alice).items) == std::vector{batch[1].id.value()});
    same_rows(s.scan_purchases({}), columns_of({batch[1]}));
  }
}

/// Transactions: commit, explicit and RAII rollback of every kind of write (indexes included),
/// nested savepoints, failed writes inside a transaction, moves, and misuse.
inline void contract_transactions(const StoreFactory& factory) {
  using namespace fixtures;
  using storage::CustomerQuery;
  using storage::InteractionQuery;
  using storage::StoreCounts;
  using storage::Transaction;
  const std::unique_ptr<storage::Store> store = factory();
  REQUIRE(store != nullptr);
  storage::Store& s = *store;

  SECTION("committed writes stay") {
    Transaction tx = s.begin();
    CHECK(tx.active());
    const Customer a = s.insert_customer(person("Ada", "Lovelace"));
    const Pipeline p = s.insert_pipeline(sales_pipeline());
    const Deal d = s.insert_deal(open_deal(p.id, a.id));
    CHECK(s.get_customer(a.id) == a);  // the transaction reads its own writes
    tx.commit();
    CHECK_FALSE(tx.active());
    CHECK(s.get_customer(a.id) == a);
    CHECK(s.get_deal(d.id) == d);
    CHECK(s.counts().deals == 1);
  }

  SECTION("rollback undoes inserts, updates and removals of every entity, indexes included") {
    Customer org_record = organization("Analytical Engines Ltd");
    org_record.external_ref = "ERP-ORG";
    const Customer org = s.insert_customer(org_record);
    Customer zoe_record = full_person(org.id);
    const Customer zoe = s.insert_customer(zoe_record);
    const Pipeline pipeline = s.insert_pipeline(sales_pipeline());
    const Deal deal = s.insert_deal(full_deal(pipeline.id, org.id, {zoe.id}));
    const Interaction call =
        s.insert_interaction(interaction({zoe.id}, at("2024-03-01T10:00:00Z"), deal.id));
    std::vector<Purchase> purchases = {purchase(zoe.id, at("2024-03-02T10:00:00Z"), 100),
                                       purchase(org.id, at("2024-03-03T10:00:00Z"), 200)};
    s.append_purchases(purchases);
    const StoreCounts before = s.counts();
    const storage::PurchaseColumns scan_before = s.scan_purchases({});
    InteractionQuery of_zoe;
    of_zoe.customer = zoe.id;

    {
      Transaction tx = s.begin();
      Customer new_customer = person("New", "Comer");
      new_customer.emails = {{Email("new@example.com"), "", true}};
      new_customer.external_ref = "ERP-NEW";
      s.insert_customer(new_customer);
      Customer changed = zoe;
      changed.emails = {{Email("changed@example.com"), "", true}};
      changed.phones.clear();
      changed.external_ref = "ERP-CHANGED";
      changed.tags = {"changed"};
      s.update_customer(changed);
      Customer org_deleted = org;
      org_deleted.deleted_at = at("2024-06-01T00:00:00Z");
      s.update_customer(org_deleted);
      Pipeline renamed = pipeline;
      renamed.name = "Renamed";
      s.update_pipeline(renamed);
      s.insert_pipeline(sales_pipeline("Second"));
      Deal moved = deal;
      moved.history.push_back({"qualified", "proposal", at("2024-03-10T00:00:00Z"), "li.w", ""});
      moved.stage = "proposal";
      s.update_deal(moved);
      REQUIRE(s.remove_interaction(call.id));
      s.insert_interaction(interaction({org.id}, at("2024-03-11T00:00:00Z")));
      std::vector<Purchase> more = {purchase(zoe.id, at("2024-03-12T10:00:00Z"), 300)};
      s.append_purchases(more);
      REQUIRE(s.remove_purchase(purchases[0].id));
      CHECK(s.counts() != before);
      tx.rollback();
      CHECK_FALSE(tx.active());
    }

    CHECK(s.counts() == before);
    CHECK(s.get_customer(org.id) == org);
    CHECK(s.get_customer(zoe.id) == zoe);
    CHECK(s.get_pipeline(pipeline.id) == pipeline);
    CHECK(ids_of(s.list_pipelines()) == std::vector{pipeline.id.value()});
    CHECK(s.get_deal(deal.id) == deal);
    CHECK(s.get_interaction(call.id) == call);
    CHECK(s.get_purchase(purchases[0].id) == purchases[0]);
    CHECK(ids_of(s.find_customers_by_email(Email("Zoe.Odegard@example.com"))) ==
          std::vector{zoe.id.value()});
    CHECK(s.find_customers_by_email(Email("changed@example.com")).empty());
    CHECK(s.find_customers_by_email(Email("new@example.com")).empty());
    CHECK(ids_of(s.find_customers_by_phone(Phone("+33612345678"))) == std::vector{zoe.id.value()});
    CHECK(s.find_customer_by_external_ref("ERP-000042") == zoe);
    CHECK(s.find_customer_by_external_ref("ERP-ORG") == org);
    CHECK_FALSE(s.find_customer_by_external_ref("ERP-CHANGED").has_value());
    CHECK_FALSE(s.find_customer_by_external_ref("ERP-NEW").has_value());
    CustomerQuery vip;
    vip.tag = "vip";
    CHECK(ids_of(s.find_customers(vip).items) == std::vector{zoe.id.value()});
    CHECK(ids_of(s.find_interactions(of_zoe).items) == std::vector{call.id.value()});
    const storage::PurchaseColumns scan_after = s.scan_purchases({});
    CHECK(scan_after.customer_ids == scan_before.customer_ids);
    CHECK(scan_after.times_us == scan_before.times_us);
    CHECK(scan_after.amounts_minor == scan_before.amounts_minor);
    REQUIRE_THROWS_AS(s.remove_customer(zoe.id), ConflictError);  // references restored too

    const Customer later = s.insert_customer(person("Later", "Insert"));  // ids stay unique
    CHECK(later.id != org.id);
    CHECK(later.id != zoe.id);
    CHECK(s.counts().customers == before.customers + 1);
  }

  SECTION("destroying an active transaction rolls it back") {
    const Customer kept = s.insert_customer(person("Kept", "Record"));
    {
      Transaction tx = s.begin();
      s.insert_customer(person("Dropped", "Record"));
      Customer changed = kept;
      changed.family_name = "Changed";
      s.update_customer(changed);
    }
    CHECK(s.counts().customers == 1);
    CHECK(s.get_customer(kept.id) == kept);
  }

  SECTION("an exception leaving the transaction's scope rolls it back") {
    struct Abort {};
    try {
      Transaction tx = s.begin();
      s.insert_customer(person("Dropped", "Record"));
      throw Abort{};
    } catch (const Abort&) {
    }
    CHECK(s.counts() == StoreCounts{});
  }

  SECTION("a failed write inside a transaction keeps the transaction's earlier writes") {
    Transaction tx = s.begin();
    const Customer a = s.insert_customer(person("Ada", "Lovelace"));
    Customer invalid = person("Bad", "Tags");
    invalid.tags = {"a,b"};
    REQUIRE_THROWS_AS(s.insert_customer(invalid), ValidationError);
    std::vector<Purchase> bad = {purchase(a.id, at("2024-03-01T00:00:00Z"), 1),
                                 purchase(CustomerId{99999}, at("2024-03-01T00:00:00Z"), 2)};
    REQUIRE_THROWS_AS(s.append_purchases(bad), ValidationError);
    CHECK(s.counts().customers == 1);
    CHECK(s.counts().purchases == 0);
    tx.commit();
    CHECK(s.get_customer(a.id) == a);
    CHECK(s.counts().customers == 1);
  }

  SECTION("an inner rollback keeps the outer transaction's writes") {
    Transaction outer = s.begin();
    const Customer a = s.insert_customer(person("Outer", "Write"));
    Customer inner_write;
    {
      Transaction inner = s.begin();
      inner_write = s.insert_customer(person("Inner", "Write"));
      Customer changed = a;
      changed.family_name = "Changed inside";
      s.update_customer(changed);
      inner.rollback();
    }
    CHECK(s.get_customer(a.id) == a);
    CHECK_FALSE(s.get_customer(inner_write.id).has_value());
    const Customer c = s.insert_customer(person("After", "Savepoint"));
    outer.commit();
    CHECK(s.get_customer(a.id) == a);
    CHECK(s.get_customer(c.id) == c);
    CHECK(s.counts().customers == 2);
  }

  SECTION("an outer rollback drops what inner transactions committed") {
    Transaction outer = s.begin();
    s.insert_customer(person("Outer", "Write"));
    {
      Transaction inner = s.begin();
      const Customer b = s.insert_customer(person("Inner", "Write"));
      std::vector<Purchase> bought = {purchase(b.id, at("2024-03-01T00:00:00Z"), 100)};
      s.append_purchases(bought);
      inner.commit();
    }
    CHECK(s.counts().customers == 2);
    CHECK(s.counts().purchases == 1);
    outer.rollback();
    CHECK(s.counts() == StoreCounts{});
    CHECK(s.find_customers({}).items.empty());
  }

  SECTION("nested commits all keep their writes") {
    Transaction outer = s.begin();
    const Customer a = s.insert_customer(person("Outer", "Write"));
    Transaction inner = s.begin();
    const Customer b = s.insert_customer(person("Inner", "Write"));
    Transaction innermost = s.begin();
    const Customer c = s.insert_customer(person("Innermost", "Write"));
    innermost.commit();
    inner.commit();
    outer.commit();
    CHECK(ids_of(s.find_customers({}).items).size() == 3);
    CHECK(s.get_customer(a.id) == a);
    CHECK(s.get_customer(b.id) == b);
    CHECK(s.get_customer(c.id) == c);
  }

  SECTION("a moved transaction carries the work; the source becomes inactive") {
    Transaction first = s.begin();
    const Customer a = s.insert_customer(person("Ada", "Lovelace"));
    Transaction second = std::move(first);
    CHECK_FALSE(first.active());  // NOLINT(bugprone-use-after-move): checking the moved-from state
    CHECK(second.active());
    first.rollback();  // inactive: does nothing
    CHECK(s.get_customer(a.id) == a);
    second.commit();
    CHECK(s.get_customer(a.id) == a);
  }

  SECTION("commit after commit or rollback throws StorageError (transaction)") {
    Transaction committed = s.begin();
    const Customer a = s.insert_customer(person("Ada", "Lovelace"));
    committed.commit();
    try {
      committed.commit();
      FAIL("expected a StorageError");
    } catch (const StorageError& error) {
      CHECK(error.kind() == StorageError::Kind::transaction);
    }
    committed.rollback();  // no longer active: does nothing
    CHECK(s.get_customer(a.id) == a);

    Transaction rolled_back = s.begin();
    s.insert_customer(person("Grace", "Hopper"));
    rolled_back.rollback();
    rolled_back.rollback();  // idempotent
    try {
      rolled_back.commit();
      FAIL("expected a StorageError");
    } catch (const StorageError& error) {
      CHECK(error.kind() == StorageError::Kind::transaction);
    }
    CHECK(s.counts().customers == 1);
  }
}

/// Pagination of every list: empty stores, limit bounds, limit 1, exact multiples of the limit
/// (no trailing empty page), ties in time broken by id, cursors past the end, filters with cursors.
inline void contract_pagination(const StoreFactory& factory) {
  using namespace fixtures;
  using storage::CustomerQuery;
  using storage::DealQuery;
  using storage::InteractionQuery;
  using storage::max_page_size;
  using storage::PurchaseQuery;
  using storage::TimeKey;
  const std::unique_ptr<storage::Store> store = factory();
  REQUIRE(store != nullptr);
  storage::Store& s = *store;

  const auto customers_page = [&](CustomerQuery q) {
    return [&s, q](std::optional<CustomerId> after) mutable {
      q.after = after;
      return s.find_customers(q);
    };
  };
  const auto deals_page = [&](DealQuery q) {
    return [&s, q](std::optional<DealId> after) mutable {
      q.after = after;
      return s.find_deals(q);
    };
  };
  const auto interactions_page = [&](InteractionQuery q) {
    return [&s, q](std::optional<TimeKey> before) mutable {
      q.before = before;
      return s.find_interactions(q);
    };
  };
  const auto purchases_page = [&](PurchaseQuery q) {
    return [&s, q](std::optional<TimeKey> before) mutable {
      q.before = before;
      return s.find_purchases(q);
    };
  };
  using Sizes = std::vector<std::size_t>;

  SECTION("every list of an empty store is one empty page without a cursor") {
    const auto customers = s.find_customers({});
    CHECK(customers.items.empty());
    CHECK_FALSE(customers.next.has_value());
    const auto deals = s.find_deals({});
    CHECK(deals.items.empty());
    CHECK_FALSE(deals.next.has_value());
    const auto interactions = s.find_interactions({});
    CHECK(interactions.items.empty());
    CHECK_FALSE(interactions.next.has_value());
    const auto purchases = s.find_purchases({});
    CHECK(purchases.items.empty());
    CHECK_FALSE(purchases.next.has_value());
  }

  SECTION("limits outside 1 to max_page_size throw ValidationError (query.limit)") {
    for (const std::size_t limit : {std::size_t{0}, max_page_size + 1}) {
      INFO("limit " << limit);
      const std::string text = std::to_string(limit);
      CustomerQuery cq;
      cq.limit = limit;
      require_invalid([&] { s.find_customers(cq); }, "query.limit", text);
      DealQuery dq;
      dq.limit = limit;
      require_invalid([&] { s.find_deals(dq); }, "query.limit", text);
      InteractionQuery iq;
      iq.limit = limit;
      require_invalid([&] { s.find_interactions(iq); }, "query.limit", text);
      PurchaseQuery pq;
      pq.limit = limit;
      require_invalid([&] { s.find_purchases(pq); }, "query.limit", text);
    }
    CustomerQuery largest;
    largest.limit = max_page_size;
    CHECK(s.find_customers(largest).items.empty());
    InteractionQuery smallest;
    smallest.limit = 1;
    CHECK(s.find_interactions(smallest).items.empty());
  }

  SECTION("customers and deals page by id ascending") {
    std::vector<std::int64_t> customer_ids;
    const Pipeline pipeline = s.insert_pipeline(sales_pipeline());
    std::vector<std::int64_t> deal_ids;
    for (int i = 0; i < 7; ++i) {
      Customer c = person("Person", "No " + std::to_string(i));
      c.tags = {i % 2 == 0 ? "even" : "odd"};
      const Customer stored = s.insert_customer(c);
      customer_ids.push_back(stored.id.value());
      if (i < 6) deal_ids.push_back(s.insert_deal(open_deal(pipeline.id, stored.id)).id.value());
    }
    std::sort(customer_ids.begin(), customer_ids.end());
    std::sort(deal_ids.begin(), deal_ids.end());

    CustomerQuery cq;
    cq.limit = 3;
    const auto by_three = read_pages<CustomerId>(3, customers_page(cq));
    CHECK(sizes_of(by_three) == Sizes{3, 3, 1});
    CHECK(ids_in(by_three) == customer_ids);
    cq.limit = 1;
    const auto by_one = read_pages<CustomerId>(1, customers_page(cq));
    CHECK(by_one.size() == 7);
    CHECK(ids_in(by_one) == customer_ids);
    cq.limit = 7;  // exactly all: one page, no cursor to an empty page
    const auto whole = read_pages<CustomerId>(7, customers_page(cq));
    CHECK(sizes_of(whole) == Sizes{7});
    cq.limit = 2;
    cq.tag = "even";  // ids 0, 2, 4, 6 of the seven: two full pages, nothing after
    const auto evens = read_pages<CustomerId>(2, customers_page(cq));
    CHECK(sizes_of(evens) == Sizes{2, 2});
    CHECK(ids_in(evens) == std::vector{customer_ids[0], customer_ids[2], customer_ids[4],
                                       customer_ids[6]});

    CustomerQuery past_end;
    past_end.after = CustomerId{customer_ids.back()};
    const auto after_last = s.find_customers(past_end);
    CHECK(after_last.items.empty());
    CHECK_FALSE(after_last.next.has_value());
    past_end.after = CustomerId{customer_ids.back() + 1000};
    CHECK(s.find_customers(past_end).items.empty());
    CustomerQuery from_middle;
    from_middle.after = CustomerId{customer_ids[3]};
    CHECK(ids_of(s.find_customers(from_middle).items) ==
          std::vector(customer_ids.begin() + 4, customer_ids.end()));

    DealQuery dq;
    dq.limit = 3;  // six deals: two full pages and no trailing empty one
    const auto deals = read_pages<DealId>(3, deals_page(dq));
    CHECK(sizes_of(deals) == Sizes{3, 3});
    CHECK(ids_in(deals) == deal_ids);
    dq.limit = 1;
    CHECK(ids_in(read_pages<DealId>(1, deals_page(dq))) == deal_ids);
    DealQuery deals_past_end;
    deals_past_end.after = DealId{deal_ids.back()};
    const auto no_deals = s.find_deals(deals_past_end);
    CHECK(no_deals.items.empty());
    CHECK_FALSE(no_deals.next.has_value());
  }

  SECTION("interactions page newest first, ties in time broken by id, without repeats") {
    const Customer alice = s.insert_customer(person("Alice", "Martin"));
    const Customer bob = s.insert_customer(person("Bob", "Dupont"));
    std::vector<Interaction> batch;
    for (int i = 0; i < 9; ++i) {  // three instants, three interactions each
      const Timestamp when = at("2024-03-01T10:00:00Z") + std::chrono::hours(i % 3);
      batch.push_back(interaction({i < 6 ? alice.id : bob.id}, when));
    }
    s.append_interactions(batch);
    const std::vector<std::int64_t> expected = newest_first(batch);

    for (const std::size_t limit : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{4},
                                    std::size_t{9}, std::size_t{10}}) {
      INFO("limit " << limit);
      InteractionQuery q;
      q.limit = limit;
      const auto pages = read_pages<TimeKey>(limit, interactions_page(q));
      CHECK(ids_in(pages) == expected);
      CHECK(pages.size() == (batch.size() + limit - 1) / limit);
    }
    InteractionQuery of_alice;
    of_alice.customer = alice.id;
    of_alice.limit = 2;  // six of alice's: three full pages
    const auto alice_pages = read_pages<TimeKey>(2, interactions_page(of_alice));
    CHECK(sizes_of(alice_pages) == Sizes{2, 2, 2});
    CHECK(ids_in(alice_pages) == newest_first(std::vector(batch.begin(), batch.begin() + 6)));
    InteractionQuery recent;
    recent.since = at("2024-03-01T11:00:00Z");
    recent.limit = 4;
    std::vector<Interaction> expected_recent;
    std::copy_if(batch.begin(), batch.end(), std::back_inserter(expected_recent),
                 [&](const Interaction& i) { return i.occurred_at >= *recent.since; });
    const auto recent_pages = read_pages<TimeKey>(4, interactions_page(recent));
    CHECK(sizes_of(recent_pages) == Sizes{4, 2});
    CHECK(ids_in(recent_pages) == newest_first(expected_recent));

    const Interaction oldest = *s.get_interaction(InteractionId{expected.back()});
    InteractionQuery before_oldest;
    before_oldest.before = TimeKey{oldest.occurred_at, oldest.id.value()};
    const auto nothing = s.find_interactions(before_oldest);
    CHECK(nothing.items.empty());
    CHECK_FALSE(nothing.next.has_value());
    InteractionQuery before_time;
    before_time.before = TimeKey{at("2024-03-01T10:00:00Z"), 0};
    CHECK(s.find_interactions(before_time).items.empty());
  }

  SECTION("purchases page newest first, ties in time broken by id, without repeats") {
    const Customer alice = s.insert_customer(person("Alice", "Martin"));
    const Customer bob = s.insert_customer(person("Bob", "Dupont"));
    std::vector<Purchase> batch;
    for (int i = 0; i < 8; ++i) {  // four instants, two purchases each
      const Timestamp when = at("2024-03-01T00:00:00Z") + std::chrono::days(i % 4);
      batch.push_back(purchase(i % 2 == 0 ? alice.id : bob.id, when, 100 * (i + 1)));
    }
    s.append_purchases(batch);
    const std::vector<std::int64_t> expected = newest_first(batch);
    for (const std::size_t limit : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{8}}) {
      INFO("limit " << limit);
      PurchaseQuery q;
      q.limit = limit;
      const auto pages = read_pages<TimeKey>(limit, purchases_page(q));
      CHECK(ids_in(pages) == expected);
      CHECK(pages.size() == (batch.size() + limit - 1) / limit);
    }
    PurchaseQuery of_bob;
    of_bob.customer = bob.id;
    of_bob.limit = 2;
    std::vector<Purchase> bobs;
    std::copy_if(batch.begin(), batch.end(), std::back_inserter(bobs),
                 [&](const Purchase& p) { return p.customer == bob.id; });
    const auto bob_pages = read_pages<TimeKey>(2, purchases_page(of_bob));
    CHECK(sizes_of(bob_pages) == Sizes{2, 2});
    CHECK(ids_in(bob_pages) == newest_first(bobs));
    PurchaseQuery since;
    since.since = at("2024-03-03T00:00:00Z");
    since.limit = 3;
    const auto since_pages = read_pages<TimeKey>(3, purchases_page(since));
    CHECK(sizes_of(since_pages) == Sizes{3, 1});

    const Purchase oldest = *s.get_purchase(PurchaseId{expected.back()});
    PurchaseQuery before_oldest;
    before_oldest.before = TimeKey{oldest.occurred_at, oldest.id.value()};
    const auto nothing = s.find_purchases(before_oldest);
    CHECK(nothing.items.empty());
    CHECK_FALSE(nothing.next.has_value());
  }
}

}  // namespace crmkit::testing

/// Defines the backend contract suite for one backend: one Catch2 TEST_CASE per area (customers,
/// interactions, pipelines, deals, purchases, transactions, pagination), named
/// `<name> store contract: <area>` and tagged `[contract][storage]`.
/// @param name a string literal naming the backend; distinct per use in one test program
/// @param ... a callable returning a fresh, empty `std::unique_ptr<crmkit::storage::Store>`,
///            called once per run of a test case
#define CRMKIT_STORE_CONTRACT_TESTS(name, ...)                                                   \
  TEST_CASE(name " store contract: customers", "[contract][storage]") {                        \
    ::crmkit::testing::contract_customers(::crmkit::testing::StoreFactory(__VA_ARGS__));        \
  }                                                                                             \
  TEST_CASE(name " store contract: interactions", "[contract][storage]") {                     \
    ::crmkit::testing::contract_interactions(::crmkit::testing::StoreFactory(__VA_ARGS__));     \
  }                                                                                             \
  TEST_CASE(name " store contract: pipelines", "[contract][storage]") {                        \
    ::crmkit::testing::contract_pipelines(::crmkit::testing::StoreFactory(__VA_ARGS__));        \
  }                                                                                             \
  TEST_CASE(name " store contract: deals", "[contract][storage]") {                            \
    ::crmkit::testing::contract_deals(::crmkit::testing::StoreFactory(__VA_ARGS__));            \
  }                                                                                             \
  TEST_CASE(name " store contract: purchases", "[contract][storage]") {                        \
    ::crmkit::testing::contract_purchases(::crmkit::testing::StoreFactory(__VA_ARGS__));        \
  }                                                                                             \
  TEST_CASE(name " store contract: transactions", "[contract][storage]") {                     \
    ::crmkit::testing::contract_transactions(::crmkit::testing::StoreFactory(__VA_ARGS__));     \
  }                                                                                             \
  TEST_CASE(name " store contract: pagination", "[contract][storage]") {                       \
    ::crmkit::testing::contract_pagination(::crmkit::testing::StoreFactory(__VA_ARGS__));       \
  }
