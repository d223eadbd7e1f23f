#include <catch2/catch.hpp>

#include "crmkit/analytics/store_purchases.hpp"

#include <memory>
#include <string>
#include <vector>

#include "crmkit/core/error.hpp"
#include "crmkit/storage/registry.hpp"
#include "crmkit/testing/store_contract.hpp"
#include "support/validation_matchers.hpp"

using crmkit::Currency;
using crmkit::CustomerId;
using crmkit::Purchase;
using crmkit::analytics::PurchaseData;
using crmkit::storage::PurchaseColumns;
using crmkit::storage::PurchaseScan;
using crmkit::storage::Store;
using crmkit::testing::fixtures::at;
using crmkit::testing::fixtures::person;
using crmkit::testing::fixtures::purchase;

namespace {

// Three customers and their purchases in EUR, plus one in GBP, in insertion order.
struct Shop {
  std::unique_ptr<Store> store;
  std::vector<CustomerId> customers;
};

Shop shop(const std::string& uri) {
  Shop s{crmkit::storage::open(uri), {}};
  for (const char* name : {"Ada", "Grace", "Edsger"}) {
    s.customers.push_back(s.store->insert_customer(person(name, "Tester")).id);
  }
  const CustomerId ada = s.customers[0];
  const CustomerId grace = s.customers[1];
  const CustomerId edsger = s.customers[2];
  std::vector<Purchase> purchases = {
      purchase(ada, at("2024-01-05T10:00:00Z"), 1234),       // 12.34 EUR
      purchase(grace, at("2024-01-20T09:00:00Z"), 500),      // 5.00 EUR
      purchase(ada, at("2024-02-03T12:00:00Z"), -199),       // a 1.99 EUR refund
      purchase(edsger, at("2024-03-01T00:00:00Z"), 99'999),  // 999.99 EUR
      purchase(grace, at("2024-03-15T08:30:00Z"), 4250),     // 42.50 EUR
      purchase(ada, at("2024-03-20T18:00:00Z"), 1, "GBP"),   // 0.01 GBP
  };
  s.store->append_purchases(purchases);
  return s;
}

PurchaseScan in(const char* code) {
  PurchaseScan scan;
  scan.currency = Currency(code);
  return scan;
}

}  // namespace

TEST_CASE("to_purchase_data turns minor units into major units", "[analytics]") {
  PurchaseColumns columns;
  columns.customer_ids = {1, 2, 3};
  columns.times_us = {0, -1, 5};
  columns.amounts_minor = {1234, -5, 0};
  columns.currency = Currency("EUR");
  const PurchaseData eur = crmkit::analytics::to_purchase_data(columns);
  CHECK(eur.customer_ids == columns.customer_ids);
  CHECK(eur.times_us == columns.times_us);
  CHECK(eur.amounts == std::vector<double>{12.34, -0.05, 0});
  CHECK(eur.currency.code() == "EUR");
  columns.currency = Currency("JPY");  // no minor unit
  CHECK(crmkit::analytics::to_purchase_data(columns).amounts == std::vector<double>{1234, -5, 0});
  columns.currency = Currency("BHD");  // three decimals
  CHECK(crmkit::analytics::to_purchase_data(columns).amounts == std::vector<double>{1.234, -0.005, 0});
  CHECK(crmkit::analytics::to_purchase_data(PurchaseColumns{}).size() == 0);
}

TEST_CASE("analyses on a store equal the same analyses on its purchase columns", "[analytics]") {
  for (const std::string uri : {"memory:", "sqlite::memory:"}) {
    INFO(uri);
    Shop s = shop(uri);
    const PurchaseData eur = crmkit::analytics::load_purchases(*s.store, in("EUR"));
    REQUIRE(eur.size() == 5);
    CHECK(eur.currency.code() == "EUR");
    const std::vector<std::int64_t> ids = {s.customers[0].value(), s.customers[1].value(), s.customers[0].value(),
                                           s.customers[2].value(), s.customers[1].value()};
    CHECK(eur.customer_ids == ids);
    CHECK(eur.amounts == std::vector<double>{12.34, 5, -1.99, 999.99, 42.5});
    CHECK(eur.times_us.front() == at("2024-01-05T10:00:00Z").time_since_epoch().count());

    // Ada: 12.34 - 1.99 = 10.35 over two days; Grace: 47.50 over two; Edsger: 999.99 over one.
    const auto from_store = crmkit::analytics::rfm(*s.store, {}, in("EUR"));
    const auto from_view = crmkit::analytics::rfm(eur.view());
    CHECK(from_store.customer_ids == from_view.customer_ids);
    CHECK(from_store.recency_days == from_view.recency_days);
    CHECK(from_store.frequency == from_view.frequency);
    CHECK(from_store.monetary == from_view.monetary);
    CHECK(from_store.r == from_view.r);
    CHECK(from_store.f == from_view.f);
    CHECK(from_store.m == from_view.m);
    CHECK(from_store.as_of == crmkit::parse_date("2024-03-15"));
    CHECK(from_store.frequency == std::vector<std::int64_t>{2, 2, 1});

    const auto summary = crmkit::analytics::customer_summary(*s.store, {}, in("EUR"));
    const auto summary_view = crmkit::analytics::customer_summary(eur.view());
    CHECK(summary.customer_ids == summary_view.customer_ids);
    CHECK(summary.total_spend == summary_view.total_spend);

    const auto table = crmkit::analytics::cohorts(*s.store, {}, in("EUR"));
    // Cohorts January (Ada, Grace) to March (Edsger); February is empty.
    CHECK(table.sizes == std::vector<std::int64_t>{2, 0, 1});
    CHECK(table.active == crmkit::analytics::cohorts(eur.view()).active);
    CHECK(table.revenue_at(0, 0) == Approx(17.34));

    const auto abc = crmkit::analytics::abc_analysis(*s.store, {}, in("EUR"));
    CHECK(abc.customer_ids ==
          std::vector<std::int64_t>{s.customers[2].value(), s.customers[1].value(), s.customers[0].value()});
    CHECK(abc.revenue == crmkit::analytics::abc_analysis(eur.view()).revenue);

    // A time range narrows the scan; mixed currencies without a choice are refused by the store.
    PurchaseScan march = in("EUR");
    march.since = at("2024-03-01T00:00:00Z");
    CHECK(crmkit::analytics::load_purchases(*s.store, march).size() == 2);
    CHECK(crmkit::analytics::load_purchases(*s.store, in("GBP")).amounts == std::vector<double>{0.01});
    crmkit::test::require_invalid([&] { (void)crmkit::analytics::rfm(*s.store); }, "scan.currency", "", "GBP");
  }
}
