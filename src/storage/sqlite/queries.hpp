#pragma once
// The SQL of the store's lookups by key, kept apart so that a test can ask SQLite for the plan of
// exactly the statements the store runs (tests/storage/sqlite_plan_test.cpp). Standard library
// only, for the same reason as migrations.hpp.

namespace crmkit::storage::sqlite::sql {

/// ?1 = Email::lookup_key(). Ids of live customers having that address, ascending.
inline constexpr const char* customers_by_email =
    "SELECT DISTINCT e.customer_id FROM customer_emails AS e "
    "JOIN customers AS c ON c.id = e.customer_id "
    "WHERE e.lookup_key = ?1 AND c.deleted_at IS NULL ORDER BY e.customer_id";

/// ?1 = canonical phone number. Ids of live customers having that number, ascending.
inline constexpr const char* customers_by_phone =
    "SELECT DISTINCT p.customer_id FROM customer_phones AS p "
    "JOIN customers AS c ON c.id = p.customer_id "
    "WHERE p.number = ?1 AND c.deleted_at IS NULL ORDER BY p.customer_id";

/// ?1 = external reference. The id of the customer that has it, soft-deleted or not.
inline constexpr const char* customer_by_external_ref =
    "SELECT id FROM customers WHERE external_ref = ?1";

/// The columns are those read by the purchase reader (purchase_rows.cpp).
/// ?1 = customer id, ?2 = since (inclusive), ?3/?4 = cursor (occurred_at, id), exclusive,
/// ?5 = row limit. One customer's purchases, newest first, ties by id descending. Absent bounds
/// are bound as the int64 extremes, so that one statement (and one plan) serves every query.
inline constexpr const char* purchases_of_customer =
    "SELECT id, customer_id, occurred_at, amount_minor, currency, order_ref, quantity, product_ref "
    "FROM purchases "
    "WHERE customer_id = ?1 AND occurred_at >= ?2 AND occurred_at <= ?3 "
    "AND (occurred_at, id) < (?3, ?4) "
    "ORDER BY occurred_at DESC, id DESC LIMIT ?5";

/// As purchases_of_customer, for every customer (?1 is not used).
inline constexpr const char* purchases_of_everyone =
    "SELECT id, customer_id, occurred_at, amount_minor, currency, order_ref, quantity, product_ref "
    "FROM purchases "
    "WHERE occurred_at >= ?2 AND occurred_at <= ?3 "
    "AND (occurred_at, id) < (?3, ?4) "
    "ORDER BY occurred_at DESC, id DESC LIMIT ?5";

}  // namespace crmkit::storage::sqlite::sql
