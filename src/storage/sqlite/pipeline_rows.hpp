#pragma once
// Pipelines in their tables: the pipelines row and its ordered pipeline_stages rows.

#include <cstdint>
#include <optional>
#include <vector>

#include "crmkit/domain/pipeline.hpp"
#include "storage/sqlite/connection.hpp"

namespace crmkit::storage::sqlite {

/// Inserts `pipeline` (already checked) with version 1; returns its new id.
PipelineId insert_pipeline_rows(Connection& c, const Pipeline& pipeline);
/// Replaces the stored pipeline if its version is still `expected_version`, storing
/// `expected_version + 1`. Returns false when no row had that id and version.
bool update_pipeline_rows(Connection& c, const Pipeline& pipeline, std::int64_t expected_version);
/// Deletes the pipeline and its stages. Returns false when there was none.
bool delete_pipeline_rows(Connection& c, PipelineId id);

/// The stored pipeline, or nullopt.
std::optional<Pipeline> load_pipeline(Connection& c, PipelineId id);
/// Every stored pipeline, by id.
std::vector<Pipeline> load_all_pipelines(Connection& c);
/// The stored version, or nullopt when there is none.
std::optional<std::int64_t> pipeline_version(Connection& c, PipelineId id);

}  // namespace crmkit::storage::sqlite
