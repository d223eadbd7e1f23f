#pragma once
// How customers are shown: a row of a list, every field for `customers show`, and JSON.

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/output.hpp"

#include "cli/table.hpp"
#include "crmkit/domain/customer.hpp"

namespace crmkit::cli {

/// A list of customers, one per row: id, external_ref, kind, name, email, phone, lifecycle,
/// owner, tags (primary email and phone; tags comma-separated).
[[nodiscard]] Table customer_list(const std::vector<Customer>& customers);

/// Finds the name of an organization for a membership, when it exists.
using NameLookup = std::function<std::optional<std::string>(CustomerId)>;

/// Every field of a customer as (field, text) rows, in a fixed order; lists give one row per
/// element (`emails[0]`...), attributes one row each (`attributes.NAME`).
[[nodiscard]] Table customer_fields(const Customer& customer, const NameLookup& organization_name);

/// Every field of a customer as a JSON object: lists as arrays, absent values as null,
/// timestamps as ISO 8601 text, attributes with their JSON types.
[[nodiscard]] Json customer_json(const Customer& customer);

}  // namespace crmkit::cli
