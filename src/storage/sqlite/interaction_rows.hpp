#pragma once
// Interactions in their tables: the interactions row and its interaction_customers rows.

#include <cstdint>
#include <optional>
#include <vector>

#include "crmkit/domain/interaction.hpp"
#include "crmkit/storage/query.hpp"
#include "storage/sqlite/connection.hpp"

namespace crmkit::storage::sqlite {

/// Inserts interactions (already checked) with version 1, through the same two prepared
/// statements however many there are: the bulk path of append_interactions.
class InteractionInserter {
 public:
  explicit InteractionInserter(Connection& c);
  /// Inserts one interaction; returns its new id.
  InteractionId insert(const Interaction& interaction);

 private:
  Connection& c_;
  Query row_;
  Query link_;
};
/// Replaces the stored interaction if its version is still `expected_version`, storing
/// `expected_version + 1`. Returns false when no row had that id and version.
bool update_interaction_rows(Connection& c, const Interaction& interaction,
                             std::int64_t expected_version);
/// Deletes the interaction and its customer links. Returns false when there was none.
bool delete_interaction_rows(Connection& c, InteractionId id);

/// The stored interaction, or nullopt.
std::optional<Interaction> load_interaction(Connection& c, InteractionId id);
/// The stored interactions with these ids, in the same order (ids that vanished are skipped).
std::vector<Interaction> load_interactions(Connection& c, const std::vector<std::int64_t>& ids);
/// The stored version, or nullopt when there is none.
std::optional<std::int64_t> interaction_version(Connection& c, InteractionId id);
/// Ids of the interactions matching `query`, newest first, at most `rows` of them.
std::vector<std::int64_t> find_interaction_ids(Connection& c, const InteractionQuery& query,
                                               std::size_t rows);

}  // namespace crmkit::storage::sqlite
