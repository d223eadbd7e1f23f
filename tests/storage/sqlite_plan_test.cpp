#include <catch2/catch.hpp>

#include <string>
#include <vector>

// Private headers of the SQLite backend: the schema's migrations, the exact SQL of the store's
// lookups, and a bare connection to ask SQLite for its query plans.
#include "../../src/storage/sqlite/migrations.hpp"
#include "../../src/storage/sqlite/queries.hpp"
#include "../../src/storage/sqlite/raw_connection.hpp"

using crmkit::storage::sqlite::RawConnection;
namespace sql = crmkit::storage::sqlite::sql;

namespace {

constexpr int customer_count = 1'000'000;

// The plan's steps, one `detail` text each (e.g. `SEARCH e USING INDEX ... (lookup_key=?)`).
std::vector<std::string> plan_of(RawConnection& db, const std::string& statement) {
  std::vector<std::string> steps;
  for (const auto& row : db.rows("EXPLAIN QUERY PLAN " + statement)) {
    steps.push_back(row.at(3).value_or(""));
  }
  return steps;
}

std::string joined(const std::vector<std::string>& steps) {
  std::string text;
  for (const std::string& step : steps) text += step + "\n";
  return text;
}

bool any_step_contains(const std::vector<std::string>& steps, const std::string& part) {
  for (const std::string& step : steps) {
    if (step.find(part) != std::string::npos) return true;
  }
  return false;
}

bool scans_a_table(const std::vector<std::string>& steps) {
  for (const std::string& step : steps) {
    if (step.rfind("SCAN ", 0) == 0) return true;
  }
  return false;
}

// A database of the current schema with a million customers, each with an email and a phone,
// and two purchases for one customer in ten, built with recursive CTEs in one transaction, then
// ANALYZEd so that the planner works from realistic statistics. The rows go in under the first
// migration and the later ones (the indexes) run after them, as when an old file is upgraded:
// building an index over existing rows is much faster than growing it row by row.
void fill(RawConnection& db) {
  const auto& migrations = crmkit::storage::sqlite::migrations;
  db.execute(std::string(migrations.front().sql));
  const std::string n = std::to_string(customer_count);
  db.execute("BEGIN");
  db.execute(
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + n +
      ") "
      "INSERT INTO customers (id, kind, given_name, family_name, legal_name, external_ref, owner, "
      "lifecycle, source, consent_status, consent_at, consent_basis, created_at, updated_at, "
      "version, deleted_at) "
      "SELECT i, 'person', 'Given', 'Family ' || i, '', 'ERP-' || i, 'owner-' || (i % 50), 'lead', "
      "'import', 'unknown', NULL, 'none', i * 1000000, i * 1000000, 1, "
      "CASE WHEN i % 100 = 0 THEN i * 1000000 END FROM n");
  db.execute(
      "INSERT INTO customer_emails (customer_id, position, address, lookup_key, label, is_primary) "
      "SELECT id, 0, 'User' || id || '@example.com', 'user' || id || '@example.com', '', 1 "
      "FROM customers");
  db.execute(
      "INSERT INTO customer_phones (customer_id, position, number, label, is_primary) "
      "SELECT id, 0, '+3361' || printf('%07d', id), '', 1 FROM customers");
  db.execute(
      "INSERT INTO purchases (customer_id, occurred_at, amount_minor, currency, order_ref, "
      "quantity, product_ref) "
      "SELECT id, id * 1000000 + k, 1000 + k, 'EUR', 'SO-' || id || '-' || k, NULL, '' "
      "FROM customers, (SELECT 0 AS k UNION ALL SELECT 1) WHERE id % 10 = 0");
  for (std::size_t i = 1; i < migrations.size(); ++i) db.execute(std::string(migrations[i].sql));
  db.execute("COMMIT");
  db.execute("ANALYZE");
}

}  // namespace

// One test case without SECTIONs: Catch2 would rebuild the million rows for each of them.
TEST_CASE("sqlite lookups use their indexes on a million customers", "[storage][plan]") {
  RawConnection db(":memory:");
  fill(db);
  REQUIRE(db.value("SELECT count(*) FROM customers") == std::to_string(customer_count));
  REQUIRE(db.value("SELECT count(*) FROM customer_emails") == std::to_string(customer_count));

  {
    INFO("the detector sees a table scan when there is no index to use");
    const auto steps = plan_of(db, "SELECT id FROM customers WHERE source = ?1");
    INFO(joined(steps));
    CHECK(scans_a_table(steps));
  }
  {
    INFO("by email");
    const auto steps = plan_of(db, sql::customers_by_email);
    INFO(joined(steps));
    CHECK(any_step_contains(steps, "INDEX customer_emails_by_lookup_key (lookup_key=?)"));
    CHECK_FALSE(scans_a_table(steps));
  }
  {
    INFO("by phone");
    const auto steps = plan_of(db, sql::customers_by_phone);
    INFO(joined(steps));
    CHECK(any_step_contains(steps, "INDEX customer_phones_by_number (number=?)"));
    CHECK_FALSE(scans_a_table(steps));
  }
  {
    INFO("by external reference");
    const auto steps = plan_of(db, sql::customer_by_external_ref);
    INFO(joined(steps));
    CHECK(any_step_contains(steps, "INDEX customers_by_external_ref (external_ref=?)"));
    CHECK_FALSE(scans_a_table(steps));
  }
  {
    INFO("purchases of one customer, newest first");
    const auto steps = plan_of(db, sql::purchases_of_customer);
    INFO(joined(steps));
    CHECK(any_step_contains(steps, "INDEX purchases_by_customer_time (customer_id=?"));
    CHECK_FALSE(scans_a_table(steps));
    CHECK_FALSE(any_step_contains(steps, "TEMP B-TREE"));  // the index gives the order
  }
  {
    INFO("purchases of everyone, newest first");
    const auto steps = plan_of(db, sql::purchases_of_everyone);
    INFO(joined(steps));
    CHECK(any_step_contains(steps, "INDEX purchases_by_time"));
    CHECK_FALSE(any_step_contains(steps, "TEMP B-TREE"));
  }
}
