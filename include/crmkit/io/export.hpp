#pragma once
/// @file
/// @brief CSV export of customers, purchases and interactions, readable back by the importers.

#include <cstdint>
#include <filesystem>
#include <ostream>

#include "crmkit/storage/store.hpp"

namespace crmkit::io {

/// Settings of every export.
///
/// Exports are lossless and stable: importing an export into an empty store (customers first,
/// passing ImportReport::customer_ids on) and exporting again gives the same bytes, apart from
/// ids. To make that hold, records come in an order the importers preserve: organizations, then
/// persons, each by id; purchases and interactions grouped by customer in that same order, oldest
/// first. Customers are named by key: their external ref, or `#N` (N their id) when they have none.
/// Amounts are Money::to_string() text; timestamps are ISO 8601 UTC with microseconds
/// (`2011-12-09T12:50:00.000000Z`). Not exported: versions (a store assigns its own) and the
/// deals of interactions beyond their id (deals are not imported).
struct ExportOptions {
  char delimiter = ',';  ///< field separator
  /// Also soft-deleted customers, with their purchases and interactions.
  bool include_deleted = true;
};

/// Writes every customer as CSV with the columns
/// `id,external_ref,kind,given_name,family_name,legal_name,emails,phones,addresses,memberships,`
/// `owner,tags,lifecycle,source,consent_status,consent_at,consent_basis,attributes,created_at,`
/// `updated_at,deleted_at` (lists and attributes as JSON; see docs/import-export.md).
/// @returns the number of customers written. @throws whatever the store throws; Error when the
///          stream fails.
std::uint64_t export_customers(storage::Store& store, std::ostream& out,
                               const ExportOptions& options = {});
/// Writes the customers to a file, gzip-compressed when its name ends in `.gz`.
/// @throws Error when the file cannot be written; whatever the store throws.
std::uint64_t export_customers(storage::Store& store, const std::filesystem::path& file,
                               const ExportOptions& options = {});

/// Writes every purchase as CSV with the columns
/// `id,customer_id,timestamp,amount,currency,order_ref,quantity,product_ref` (`customer_id` is
/// the customer's key; `quantity` is empty when unknown).
/// @returns the number of purchases written. @throws as export_customers().
std::uint64_t export_purchases(storage::Store& store, std::ostream& out,
                               const ExportOptions& options = {});
/// Writes the purchases to a file, gzip-compressed when its name ends in `.gz`.
/// @throws as export_customers().
std::uint64_t export_purchases(storage::Store& store, const std::filesystem::path& file,
                               const ExportOptions& options = {});

/// Writes every interaction as CSV with the columns
/// `id,customer_id,other_customers,timestamp,channel,direction,duration,subject,body,outcome,`
/// `author,deal_id,external_ref,created_at` (`customer_id` is the key of its first customer,
/// `other_customers` a JSON array of the others' keys, `duration` whole seconds). An interaction
/// is written once, with its first customer.
/// @returns the number of interactions written. @throws as export_customers().
std::uint64_t export_interactions(storage::Store& store, std::ostream& out,
                                  const ExportOptions& options = {});
/// Writes the interactions to a file, gzip-compressed when its name ends in `.gz`.
/// @throws as export_customers().
std::uint64_t export_interactions(storage::Store& store, const std::filesystem::path& file,
                                  const ExportOptions& options = {});

}  // namespace crmkit::io
