#include <catch2/catch.hpp>

#include "crmkit/analytics/abc.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <vector>

#include "crmkit/core/error.hpp"
#include "crmkit/core/time.hpp"
#include "support/validation_matchers.hpp"

using crmkit::analytics::abc_analysis;
using crmkit::analytics::AbcClass;
using crmkit::analytics::AbcOptions;
using crmkit::analytics::AbcResult;
using crmkit::analytics::PurchaseData;
using crmkit::test::require_invalid;

namespace {

std::int64_t at(const char* text) { return crmkit::parse_timestamp(text).time_since_epoch().count(); }

constexpr AbcClass A = AbcClass::A;
constexpr AbcClass B = AbcClass::B;
constexpr AbcClass C = AbcClass::C;

AbcResult abc_of(const PurchaseData& data, const AbcOptions& options = {}) {
  return abc_analysis(data.view(), options);
}

AbcResult abc_of(const std::vector<std::int64_t>& ids, const std::vector<double>& revenue,
                 const AbcOptions& options = {}) {
  return abc_analysis(ids, revenue, options);
}

// Revenue per customer: 1 -> 20 + 30 = 50, 2 -> 30, 3 -> 10, 4 -> 4 + 6 = 10, 5 -> 5 - 5 = 0,
// 6 -> -5. The total positive revenue is 100.
PurchaseData example() {
  PurchaseData d;
  d.push_back(4, at("2024-01-01T00:00:00Z"), 4);
  d.push_back(1, at("2024-01-01T00:00:00Z"), 20);
  d.push_back(6, at("2024-01-02T00:00:00Z"), -5);
  d.push_back(3, at("2024-01-02T00:00:00Z"), 10);
  d.push_back(5, at("2024-01-03T00:00:00Z"), 5);
  d.push_back(2, at("2024-01-03T00:00:00Z"), 30);
  d.push_back(1, at("2024-01-04T00:00:00Z"), 30);
  d.push_back(4, at("2024-01-04T00:00:00Z"), 6);
  d.push_back(5, at("2024-01-05T00:00:00Z"), -5);
  return d;
}

void require_same(const AbcResult& a, const AbcResult& b) {
  CHECK(a.customer_ids == b.customer_ids);
  CHECK(a.revenue == b.revenue);
  CHECK(a.cumulative_share == b.cumulative_share);
  CHECK(a.classes == b.classes);
  CHECK(a.total_revenue == b.total_revenue);
  for (std::size_t k = 0; k < 3; ++k) {
    CHECK(a.totals[k].customers == b.totals[k].customers);
    CHECK(a.totals[k].revenue == b.totals[k].revenue);
  }
}

}  // namespace

TEST_CASE("abc_analysis ranks customers by revenue and cuts at the cumulative share", "[analytics]") {
  const AbcResult r = abc_of(example());
  // Ranked: 1 (50), 2 (30), 3 (10) before 4 (10) by id, 5 (0), 6 (-5).
  // Cumulative positive revenue 50, 80, 90, 100, 100, 100 of 100.
  // Share before each: 0, .5, .8, .9, 1, 1. A while it is below .8 (so 2, which reaches .8, is
  // still A), B while below .95, and C for 5 and 6, which bring no positive revenue.
  CHECK(r.customer_ids == std::vector<std::int64_t>{1, 2, 3, 4, 5, 6});
  CHECK(r.revenue == std::vector<double>{50, 30, 10, 10, 0, -5});
  CHECK(r.cumulative_share == std::vector<double>{0.5, 0.8, 0.9, 1.0, 1.0, 1.0});
  CHECK(r.classes == std::vector<AbcClass>{A, A, B, B, C, C});
  CHECK(r.total_revenue == 100);
  CHECK(r.size() == 6);
  CHECK(r.options.a == 0.80);
  const auto& a = r.totals[static_cast<std::size_t>(A)];
  const auto& b = r.totals[static_cast<std::size_t>(B)];
  const auto& c = r.totals[static_cast<std::size_t>(C)];
  CHECK(a.customers == 2);
  CHECK(a.revenue == 80);
  CHECK(a.customer_share == Approx(2.0 / 6));
  CHECK(a.revenue_share == 0.8);
  CHECK(b.customers == 2);
  CHECK(b.revenue == 20);
  CHECK(b.revenue_share == 0.2);
  CHECK(c.customers == 2);
  CHECK(c.revenue == -5);  // their revenue, returns included
  CHECK(c.revenue_share == -0.05);
  CHECK(to_char(A) == 'A');
  CHECK(to_char(B) == 'B');
  CHECK(to_char(C) == 'C');

  SECTION("precomputed revenue gives the same result, in any id order") {
    require_same(r, abc_of({6, 5, 4, 3, 2, 1}, {-5, 0, 10, 10, 30, 50}));
    require_same(r, abc_of({3, 1, 6, 4, 2, 5}, {10, 50, -5, 10, 30, 0}));
  }
  SECTION("a = b leaves class B empty") {
    AbcOptions o;
    o.a = 0.8;
    o.b = 0.8;
    CHECK(abc_of(example(), o).classes == std::vector<AbcClass>{A, A, C, C, C, C});
  }
  SECTION("b = 1 puts every positive customer in A or B") {
    AbcOptions o;
    o.a = 0.5;
    o.b = 1.0;
    // Shares before: 0 -> A, .5 -> B (not below .5), .8 and .9 -> B.
    CHECK(abc_of(example(), o).classes == std::vector<AbcClass>{A, B, B, B, C, C});
  }
  SECTION("as_of leaves later purchases out") {
    AbcOptions o;
    o.as_of = crmkit::parse_date("2024-01-03");
    const AbcResult early = abc_of(example(), o);
    // Up to the 3rd: 2 -> 30, 1 -> 20, 3 -> 10, 5 -> 5, 4 -> 4, 6 -> -5; total 69.
    CHECK(early.customer_ids == std::vector<std::int64_t>{2, 1, 3, 5, 4, 6});
    CHECK(early.revenue == std::vector<double>{30, 20, 10, 5, 4, -5});
    CHECK(early.total_revenue == 69);
    // Shares before: 0, 30/69 = .43, 50/69 = .72, 60/69 = .87, 65/69 = .94.
    CHECK(early.classes == std::vector<AbcClass>{A, A, A, B, B, C});
    CHECK(early.cumulative_share[2] == Approx(60.0 / 69));
    o.as_of = crmkit::parse_date("2023-12-31");
    CHECK(abc_of(example(), o).size() == 0);
  }
}

TEST_CASE("abc_analysis on ties, a single customer, all equal and no revenue", "[analytics]") {
  SECTION("all equal: shares .25, .5, .75, 1") {
    const AbcResult all = abc_of({40, 10, 30, 20}, {25, 25, 25, 25});
    CHECK(all.customer_ids == std::vector<std::int64_t>{10, 20, 30, 40});
    CHECK(all.cumulative_share == std::vector<double>{0.25, 0.5, 0.75, 1.0});
    CHECK(all.classes == std::vector<AbcClass>{A, A, A, A});  // shares before: 0, .25, .5, .75
    AbcOptions o;
    o.a = 0.5;
    CHECK(abc_of({40, 10, 30, 20}, {25, 25, 25, 25}, o).classes == std::vector<AbcClass>{A, A, B, B});
  }
  SECTION("a single customer is A") {
    const AbcResult one = abc_of({INT64_MIN}, {0.01});
    CHECK(one.classes == std::vector<AbcClass>{A});
    CHECK(one.cumulative_share == std::vector<double>{1.0});
    CHECK(one.totals[0].customer_share == 1.0);
  }
  SECTION("no positive revenue: everyone is C, every share 0") {
    const AbcResult none = abc_of({1, 2, 3}, {0, -1, -0.0});
    CHECK(none.customer_ids == std::vector<std::int64_t>{1, 3, 2});  // 0 and -0 tie: by id
    CHECK(none.classes == std::vector<AbcClass>{C, C, C});
    CHECK(none.cumulative_share == std::vector<double>{0, 0, 0});
    CHECK(none.total_revenue == 0);
    CHECK(none.totals[2].revenue_share == 0);
  }
  SECTION("no customer at all") {
    const AbcResult empty = abc_of(PurchaseData{});
    CHECK(empty.size() == 0);
    CHECK(empty.total_revenue == 0);
    CHECK(empty.totals[0].customers == 0);
    CHECK(empty.totals[0].customer_share == 0);
    CHECK(abc_of(std::vector<std::int64_t>{}, std::vector<double>{}).size() == 0);
  }
}

TEST_CASE("abc_analysis rejects bad thresholds and bad revenue, naming the field", "[analytics]") {
  const PurchaseData d = example();
  const auto with = [&](double a, double b) {
    AbcOptions o;
    o.a = a;
    o.b = b;
    return [&d, o] { (void)abc_of(d, o); };
  };
  require_invalid(with(0, 0.9), "a", "0", "0 < a <= b <= 1");
  require_invalid(with(-0.1, 0.9), "a", "-0.1");
  require_invalid(with(1.5, 1.5), "a", "1.5");
  require_invalid(with(std::nan(""), 0.9), "a", "nan");
  require_invalid(with(0.9, 0.8), "b", "0.8", "a <= b <= 1");
  require_invalid(with(0.5, 1.01), "b", "1.01");
  require_invalid([] { (void)abc_of({1, 2}, {1}); }, "revenue", "1 values", "as many values as customer_ids (2)");
  require_invalid([] { (void)abc_of({1, 2, 1}, {1, 2, 3}); }, "customer_ids", "1", "distinct");
  require_invalid([] { (void)abc_of({1, 2}, {1, std::numeric_limits<double>::infinity()}); }, "revenue[1]",
                  "inf", "finite");
  const std::vector<std::int64_t> ids = {1, 2};
  const std::vector<std::int64_t> times = {0, 0};
  const std::vector<double> amounts = {1};
  require_invalid([&] { (void)abc_analysis(crmkit::analytics::PurchaseView{ids, times, amounts}); }, "amounts");
}

TEST_CASE("abc_analysis of purchases equals abc_analysis of summed revenue", "[analytics]") {
  // 30k customers with sparse 64-bit ids: two groups of customers summed in parallel.
  std::mt19937_64 rng(5);
  PurchaseData d;
  std::map<std::int64_t, double> revenue;
  for (int i = 0; i < 60'000; ++i) {
    const auto id = static_cast<std::int64_t>(rng() % 30'000) * -7'919'000'000'017 + 3;
    const double amount = static_cast<double>(static_cast<std::int64_t>(rng() % 10'000) - 1'000) / 100.0;
    d.push_back(id, static_cast<std::int64_t>(rng() % 1'000'000'000'000), amount);
    revenue[id] += amount;
  }
  std::vector<std::int64_t> ids;
  std::vector<double> totals;
  for (const auto& [id, total] : revenue) {
    ids.push_back(id);
    totals.push_back(total);
  }
  const AbcResult from_rows = abc_of(d);
  const AbcResult from_totals = abc_of(ids, totals);
  require_same(from_rows, from_totals);
  // Ranks descend, ties by id; classes never go back from C to A.
  for (std::size_t i = 1; i < from_rows.size(); ++i) {
    const bool ordered = from_rows.revenue[i - 1] > from_rows.revenue[i] ||
                         (from_rows.revenue[i - 1] == from_rows.revenue[i] &&
                          from_rows.customer_ids[i - 1] < from_rows.customer_ids[i]);
    if (!ordered) FAIL("rank " << i << " is out of order");
    if (from_rows.classes[i] < from_rows.classes[i - 1]) FAIL("class goes back at rank " << i);
  }
  CHECK(from_rows.cumulative_share.back() == 1.0);
}
