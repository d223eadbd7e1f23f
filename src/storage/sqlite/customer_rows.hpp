#pragma once
// Customers in their tables: the customers row and its child rows (emails, phones, addresses and
// their lines, memberships, tags, attributes), written and read back field by field.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "crmkit/domain/customer.hpp"
#include "crmkit/storage/query.hpp"
#include "storage/sqlite/connection.hpp"

namespace crmkit::storage::sqlite {

/// Inserts `customer` (already checked) with version 1; returns its new id.
CustomerId insert_customer_rows(Connection& c, const Customer& customer);
/// Replaces the stored customer `customer.id` if its version is still `expected_version`,
/// storing `expected_version + 1`. Returns false when no row had that id and version.
bool update_customer_rows(Connection& c, const Customer& customer, std::int64_t expected_version);
/// Deletes the customer and its child rows. Returns false when there was none.
bool delete_customer_rows(Connection& c, CustomerId id);

/// The stored customer, or nullopt.
std::optional<Customer> load_customer(Connection& c, CustomerId id);
/// The stored customers with these ids, in the same order (ids that vanished are skipped).
std::vector<Customer> load_customers(Connection& c, const std::vector<std::int64_t>& ids);
/// The stored version of a customer, or nullopt when there is none.
std::optional<std::int64_t> customer_version(Connection& c, CustomerId id);
/// The stored kind of a customer, or nullopt when there is none.
std::optional<CustomerKind> customer_kind(Connection& c, CustomerId id);

/// The id of the customer with this external reference, or nullopt.
std::optional<CustomerId> customer_with_external_ref(Connection& c, const std::string& ref);
/// Ids of live customers having an email with this lookup key, ascending.
std::vector<std::int64_t> customers_with_email_key(Connection& c, const std::string& key);
/// Ids of live customers having this canonical phone number, ascending.
std::vector<std::int64_t> customers_with_phone(Connection& c, const std::string& number);
/// Ids of the customers matching `query`, ascending, at most `rows` of them.
std::vector<std::int64_t> find_customer_ids(Connection& c, const CustomerQuery& query,
                                            std::size_t rows);

}  // namespace crmkit::storage::sqlite
