#pragma once
// Test helper: a Crm over a fresh MemoryStore with a clock that only moves when the test says so,
// and builders of the records the Crm tests write.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "crmkit/crm/crm.hpp"
#include "crmkit/storage/memory_store.hpp"

namespace crmkit::test {

/// The time every Crm test starts at: 2024-03-04 09:00 UTC.
inline const Timestamp t0 =
    std::chrono::sys_days{std::chrono::year{2024} / 3 / 4} + std::chrono::hours{9};

/// A Crm (default region FR) over a fresh MemoryStore; its clock reads t0 + elapsed. Not
/// copyable: the clock refers to the fixture.
struct CrmFixture {
  std::chrono::seconds elapsed{0};
  std::shared_ptr<storage::MemoryStore> store = std::make_shared<storage::MemoryStore>();
  Crm crm{store, CrmOptions{[this] { return Timestamp{t0 + elapsed}; }, "FR"}};

  CrmFixture() = default;
  CrmFixture(const CrmFixture&) = delete;
  CrmFixture& operator=(const CrmFixture&) = delete;

  [[nodiscard]] Timestamp now() const { return t0 + elapsed; }
  void advance(std::chrono::seconds by) { elapsed += by; }
  void set_clock(Timestamp at) {
    elapsed = std::chrono::duration_cast<std::chrono::seconds>(at - t0);
  }
};

inline Customer person(std::string given, std::string family = "Martin") {
  Customer customer;
  customer.kind = CustomerKind::person;
  customer.given_name = std::move(given);
  customer.family_name = std::move(family);
  return customer;
}

inline Customer organization(std::string legal_name) {
  Customer customer;
  customer.kind = CustomerKind::organization;
  customer.legal_name = std::move(legal_name);
  return customer;
}

/// A deal to open, worth `cents` of `currency`.
inline Deal deal_draft(CustomerId customer, PipelineId pipeline, std::string title,
                       std::int64_t cents = 100000, const std::string& currency = "EUR") {
  Deal deal;
  deal.pipeline = pipeline;
  deal.customer = customer;
  deal.title = std::move(title);
  deal.amount = Money(cents, Currency(currency));
  return deal;
}

/// A purchase of `cents` euro cents.
inline Purchase purchase_of(CustomerId customer, Timestamp at, std::int64_t cents) {
  Purchase purchase;
  purchase.customer = customer;
  purchase.occurred_at = at;
  purchase.amount = Money(cents, Currency("EUR"));
  return purchase;
}

}  // namespace crmkit::test
