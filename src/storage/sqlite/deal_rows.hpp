#pragma once
// Deals in their tables: the deals row, its deal_contacts and its deal_history rows.

#include <cstdint>
#include <optional>
#include <vector>

#include "crmkit/domain/deal.hpp"
#include "crmkit/storage/query.hpp"
#include "storage/sqlite/connection.hpp"

namespace crmkit::storage::sqlite {

/// Inserts `deal` (already checked) with version 1; returns its new id.
DealId insert_deal_rows(Connection& c, const Deal& deal);
/// Replaces the stored deal if its version is still `expected_version`, storing
/// `expected_version + 1`. Returns false when no row had that id and version.
bool update_deal_rows(Connection& c, const Deal& deal, std::int64_t expected_version);
/// Deletes the deal, its contacts and its history. Returns false when there was none.
bool delete_deal_rows(Connection& c, DealId id);

/// The stored deal, or nullopt.
std::optional<Deal> load_deal(Connection& c, DealId id);
/// The stored deals with these ids, in the same order (ids that vanished are skipped).
std::vector<Deal> load_deals(Connection& c, const std::vector<std::int64_t>& ids);
/// The stored version, or nullopt when there is none.
std::optional<std::int64_t> deal_version(Connection& c, DealId id);
/// Ids of the deals matching `query`, ascending, at most `rows` of them.
std::vector<std::int64_t> find_deal_ids(Connection& c, const DealQuery& query, std::size_t rows);
/// Ids of every deal of a pipeline, ascending.
std::vector<std::int64_t> deal_ids_of_pipeline(Connection& c, PipelineId pipeline);

}  // namespace crmkit::storage::sqlite
