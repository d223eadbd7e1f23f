#pragma once
// Test helper: backend-specific checks that the memory and SQLite tests run alike on their own
// store (each adds what only its backend does).

#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <string_view>

#include "crmkit/core/error.hpp"
#include "crmkit/storage/store.hpp"
#include "crmkit/testing/store_contract.hpp"

namespace crmkit::test {

/// The message of the crmkit::Error that `action` throws.
inline std::string message_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    return error.what();
  }
  FAIL("expected a crmkit::Error");
  return {};
}

/// An organization with a member and a person who is a deal contact keep their kinds: `store`
/// refuses to change them and keeps them as they were.
inline void check_kinds_kept(storage::Store& store) {
  using namespace crmkit::testing::fixtures;
  const Customer org = store.insert_customer(organization("Analytical Engines Ltd"));
  Customer member = person("Ada", "Lovelace");
  member.memberships = {{org.id, "CFO"}};
  const Customer ada = store.insert_customer(member);
  const auto pipeline = store.insert_pipeline(sales_pipeline());
  Deal deal = open_deal(pipeline.id, org.id);
  deal.contacts = {{ada.id, "sponsor"}};
  store.insert_deal(deal);

  Customer org_as_person = org;
  org_as_person.kind = CustomerKind::person;
  org_as_person.legal_name.clear();
  org_as_person.given_name = "Analytical";
  testing::require_invalid([&] { store.update_customer(org_as_person); }, "customer.kind",
                           "person");
  Customer ada_as_org = ada;
  ada_as_org.kind = CustomerKind::organization;
  ada_as_org.given_name.clear();
  ada_as_org.family_name.clear();
  ada_as_org.memberships.clear();
  ada_as_org.legal_name = "Ada Ltd";
  testing::require_invalid([&] { store.update_customer(ada_as_org); }, "customer.kind",
                           "organization");
  CHECK(store.get_customer(org.id) == org);
  CHECK(store.get_customer(ada.id) == ada);
}

/// A pipeline change that would make a stored deal invalid is refused and changes nothing.
inline void check_pipeline_change_refused(storage::Store& store) {
  using namespace crmkit::testing::fixtures;
  const Customer ada = store.insert_customer(person("Ada", "Lovelace"));
  const auto pipeline = store.insert_pipeline(sales_pipeline());
  store.insert_deal(open_deal(pipeline.id, ada.id));  // open, in `qualified`
  auto qualified_now_lost = pipeline;
  qualified_now_lost.stages[1].category = StageCategory::lost;
  qualified_now_lost.stages[1].probability = 0.0;
  testing::require_invalid([&] { store.update_pipeline(qualified_now_lost); }, "pipeline.stages",
                           "qualified");
  CHECK(store.get_pipeline(pipeline.id) == pipeline);
}

/// Committing an outer transaction while an inner one is active fails (a StorageError of kind
/// transaction from `backend`) and rolls back both; rolling back the outer one ends the inner one.
inline void check_nested_transactions_end_innermost_first(storage::Store& store,
                                                          std::string_view backend) {
  using namespace crmkit::testing::fixtures;
  using storage::StoreCounts;
  using storage::Transaction;
  SECTION("committing the outer one while an inner one is active fails and rolls back both") {
    Transaction outer = store.begin();
    store.insert_customer(person("Outer", "Write"));
    Transaction inner = store.begin();
    store.insert_customer(person("Inner", "Write"));
    try {
      outer.commit();
      FAIL("expected a StorageError");
    } catch (const StorageError& error) {
      CHECK(error.kind() == StorageError::Kind::transaction);
      CHECK(error.backend() == backend);
      CHECK_THAT(std::string(error.what()), Catch::Contains("nested"));
    }
    CHECK_FALSE(outer.active());
    CHECK(inner.active());
    CHECK(store.counts() == StoreCounts{});
    REQUIRE_THROWS_AS(inner.commit(), StorageError);  // its savepoint went with the outer one
    CHECK(store.counts() == StoreCounts{});
  }
  SECTION("rolling back the outer one ends the inner one's savepoint") {
    Transaction outer = store.begin();
    Transaction inner = store.begin();
    store.insert_customer(person("Inner", "Write"));
    outer.rollback();
    inner.rollback();  // nothing left to undo
    CHECK(store.counts() == StoreCounts{});
    store.insert_customer(person("After", "Both"));
    CHECK(store.counts().customers == 1);
  }
}

}  // namespace crmkit::test
