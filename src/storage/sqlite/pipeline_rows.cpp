#include "storage/sqlite/pipeline_rows.hpp"

#include <limits>

#include "storage/sqlite/codec.hpp"
#include "storage/sqlite/row_access.hpp"

namespace crmkit::storage::sqlite {
namespace {

void insert_stages(Connection& c, std::int64_t id, const std::vector<Stage>& stages) {
  Query q = c.query(
      "INSERT INTO pipeline_stages (pipeline_id, position, stage_key, name, category, "
      "probability, rotting_days) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  for (std::size_t i = 0; i < stages.size(); ++i) {
    const Stage& s = stages[i];
    q.reset();
    q.bind_int(1, id).bind_int(2, static_cast<std::int64_t>(i));
    q.bind_text(3, s.key).bind_text(4, s.name).bind_text_copy(5, to_string(s.category));
    q.bind_real(6, s.probability);
    if (s.rotting_days) {
      q.bind_int(7, *s.rotting_days);
    } else {
      q.bind_null(7);
    }
    q.run();
  }
}

int rotting_days_of(std::int64_t stored) {
  if (stored < std::numeric_limits<int>::min() || stored > std::numeric_limits<int>::max()) {
    throw_corrupt_value("rotting_days", std::to_string(stored), "does not fit an int");
  }
  return static_cast<int>(stored);
}

void read_stages(Connection& c, Pipeline& pipeline) {
  Query q = c.query(
      "SELECT stage_key, name, category, probability, rotting_days FROM pipeline_stages "
      "WHERE pipeline_id = ?1 ORDER BY position");
  q.bind_int(1, pipeline.id.value());
  while (q.step()) {
    Stage s;
    s.key = q.text_at(0);
    s.name = q.text_at(1);
    s.category = decode_enum("stage category", q.text_at(2), parse_stage_category);
    s.probability = q.real_at(3);
    if (const auto days = q.optional_int_at(4)) s.rotting_days = rotting_days_of(*days);
    pipeline.stages.push_back(std::move(s));
  }
}

Pipeline pipeline_at(const Query& q) {
  Pipeline p;
  p.id = PipelineId{q.int_at(0)};
  p.name = q.text_at(1);
  p.created_at = time_at(q, 2);
  p.updated_at = time_at(q, 3);
  p.version = q.int_at(4);
  return p;
}

}  // namespace

PipelineId insert_pipeline_rows(Connection& c, const Pipeline& pipeline) {
  Query q = c.query(
      "INSERT INTO pipelines (name, created_at, updated_at, version) VALUES (?1, ?2, ?3, 1)");
  q.bind_text(1, pipeline.name);
  bind_time(q, 2, pipeline.created_at);
  bind_time(q, 3, pipeline.updated_at);
  q.run();
  const std::int64_t id = c.last_insert_id();
  insert_stages(c, id, pipeline.stages);
  return PipelineId{id};
}

bool update_pipeline_rows(Connection& c, const Pipeline& pipeline, std::int64_t expected_version) {
  Query q = c.query(
      "UPDATE pipelines SET name = ?1, created_at = ?2, updated_at = ?3, version = ?4 "
      "WHERE id = ?5 AND version = ?6");
  q.bind_text(1, pipeline.name);
  bind_time(q, 2, pipeline.created_at);
  bind_time(q, 3, pipeline.updated_at);
  q.bind_int(4, expected_version + 1).bind_int(5, pipeline.id.value());
  q.bind_int(6, expected_version);
  if (q.run() == 0) return false;
  c.query("DELETE FROM pipeline_stages WHERE pipeline_id = ?1")
      .bind_int(1, pipeline.id.value())
      .run();
  insert_stages(c, pipeline.id.value(), pipeline.stages);
  return true;
}

bool delete_pipeline_rows(Connection& c, PipelineId id) {
  c.query("DELETE FROM pipeline_stages WHERE pipeline_id = ?1").bind_int(1, id.value()).run();
  return c.query("DELETE FROM pipelines WHERE id = ?1").bind_int(1, id.value()).run() > 0;
}

std::optional<Pipeline> load_pipeline(Connection& c, PipelineId id) {
  std::optional<Pipeline> pipeline;
  {
    Query q =
        c.query("SELECT id, name, created_at, updated_at, version FROM pipelines WHERE id = ?1");
    q.bind_int(1, id.value());
    if (!q.step()) return std::nullopt;
    pipeline = pipeline_at(q);
  }
  read_stages(c, *pipeline);
  return pipeline;
}

std::vector<Pipeline> load_all_pipelines(Connection& c) {
  std::vector<Pipeline> pipelines;
  {
    Query q =
        c.query("SELECT id, name, created_at, updated_at, version FROM pipelines ORDER BY id");
    while (q.step()) pipelines.push_back(pipeline_at(q));
  }
  for (Pipeline& pipeline : pipelines) read_stages(c, pipeline);
  return pipelines;
}

std::optional<std::int64_t> pipeline_version(Connection& c, PipelineId id) {
  return version_of(c, "SELECT version FROM pipelines WHERE id = ?1", id.value());
}

}  // namespace crmkit::storage::sqlite
