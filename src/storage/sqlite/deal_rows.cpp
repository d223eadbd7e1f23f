#include "storage/sqlite/deal_rows.hpp"

#include "storage/sqlite/codec.hpp"
#include "storage/sqlite/select_builder.hpp"
#include "storage/sqlite/row_access.hpp"

namespace crmkit::storage::sqlite {
namespace {

// Bound as ?1..?16 in this order, read back as columns 0..15.
#define CRMKIT_DEAL_COLUMNS                                                                     \
  "pipeline_id, stage, customer_id, title, amount_minor, currency, probability, "               \
  "expected_close, owner, lost_reason, won_at, lost_at, external_ref, created_at, updated_at, " \
  "version"

constexpr const char* insert_deal_sql =
    "INSERT INTO deals (" CRMKIT_DEAL_COLUMNS ") "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";
constexpr const char* select_deal_sql = "SELECT " CRMKIT_DEAL_COLUMNS " FROM deals WHERE id = ?1";
#undef CRMKIT_DEAL_COLUMNS

void bind_deal(Query& q, const Deal& d, std::int64_t version, const std::string& close_text) {
  q.bind_int(1, d.pipeline.value());
  q.bind_text(2, d.stage);
  q.bind_int(3, d.customer.value());
  q.bind_text(4, d.title);
  q.bind_int(5, d.amount.minor_units());
  q.bind_text_copy(6, d.amount.currency().code());
  if (d.probability) {
    q.bind_real(7, *d.probability);
  } else {
    q.bind_null(7);
  }
  if (d.expected_close) {
    q.bind_text(8, close_text);
  } else {
    q.bind_null(8);
  }
  q.bind_text(9, d.owner);
  q.bind_text(10, d.lost_reason);
  bind_time(q, 11, d.won_at);
  bind_time(q, 12, d.lost_at);
  bind_text(q, 13, d.external_ref);
  bind_time(q, 14, d.created_at);
  bind_time(q, 15, d.updated_at);
  q.bind_int(16, version);
}

std::string close_text_of(const Deal& deal) {
  return deal.expected_close ? date_text(*deal.expected_close) : std::string();
}

void insert_children(Connection& c, std::int64_t id, const Deal& deal) {
  {
    Query q = c.query(
        "INSERT INTO deal_contacts (deal_id, position, person_id, role) VALUES (?1, ?2, ?3, ?4)");
    for (std::size_t i = 0; i < deal.contacts.size(); ++i) {
      q.reset();
      q.bind_int(1, id).bind_int(2, static_cast<std::int64_t>(i));
      q.bind_int(3, deal.contacts[i].person.value()).bind_text(4, deal.contacts[i].role);
      q.run();
    }
  }
  Query q = c.query(
      "INSERT INTO deal_history (deal_id, position, from_stage, to_stage, changed_at, changed_by, "
      "note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  for (std::size_t i = 0; i < deal.history.size(); ++i) {
    const StageChange& change = deal.history[i];
    q.reset();
    q.bind_int(1, id).bind_int(2, static_cast<std::int64_t>(i));
    bind_text(q, 3, change.from);
    q.bind_text(4, change.to);
    bind_time(q, 5, change.at);
    q.bind_text(6, change.by).bind_text(7, change.note);
    q.run();
  }
}

void delete_children(Connection& c, std::int64_t id) {
  c.query("DELETE FROM deal_contacts WHERE deal_id = ?1").bind_int(1, id).run();
  c.query("DELETE FROM deal_history WHERE deal_id = ?1").bind_int(1, id).run();
}

void read_children(Connection& c, Deal& deal) {
  {
    Query q =
        c.query("SELECT person_id, role FROM deal_contacts WHERE deal_id = ?1 ORDER BY position");
    q.bind_int(1, deal.id.value());
    while (q.step()) deal.contacts.push_back({CustomerId{q.int_at(0)}, q.text_at(1)});
  }
  Query q = c.query(
      "SELECT from_stage, to_stage, changed_at, changed_by, note FROM deal_history "
      "WHERE deal_id = ?1 ORDER BY position");
  q.bind_int(1, deal.id.value());
  while (q.step()) {
    deal.history.push_back(
        {q.optional_text_at(0), q.text_at(1), time_at(q, 2), q.text_at(3), q.text_at(4)});
  }
}

}  // namespace

DealId insert_deal_rows(Connection& c, const Deal& deal) {
  const std::string close_text = close_text_of(deal);
  Query q = c.query(insert_deal_sql);
  bind_deal(q, deal, 1, close_text);
  q.run();
  const std::int64_t id = c.last_insert_id();
  insert_children(c, id, deal);
  return DealId{id};
}

bool update_deal_rows(Connection& c, const Deal& deal, std::int64_t expected_version) {
  const std::string close_text = close_text_of(deal);
  Query q = c.query(
      "UPDATE deals SET pipeline_id = ?1, stage = ?2, customer_id = ?3, title = ?4, "
      "amount_minor = ?5, currency = ?6, probability = ?7, expected_close = ?8, owner = ?9, "
      "lost_reason = ?10, won_at = ?11, lost_at = ?12, external_ref = ?13, created_at = ?14, "
      "updated_at = ?15, version = ?16 WHERE id = ?17 AND version = ?18");
  bind_deal(q, deal, expected_version + 1, close_text);
  q.bind_int(17, deal.id.value()).bind_int(18, expected_version);
  if (q.run() == 0) return false;
  delete_children(c, deal.id.value());
  insert_children(c, deal.id.value(), deal);
  return true;
}

bool delete_deal_rows(Connection& c, DealId id) {
  delete_children(c, id.value());
  return c.query("DELETE FROM deals WHERE id = ?1").bind_int(1, id.value()).run() > 0;
}

std::optional<Deal> load_deal(Connection& c, DealId id) {
  Deal d;
  {
    Query q = c.query(select_deal_sql);
    q.bind_int(1, id.value());
    if (!q.step()) return std::nullopt;
    d.id = id;
    d.pipeline = PipelineId{q.int_at(0)};
    d.stage = q.text_at(1);
    d.customer = CustomerId{q.int_at(2)};
    d.title = q.text_at(3);
    d.amount = Money(q.int_at(4), currency_of(q.text_at(5)));
    if (!q.is_null(6)) d.probability = q.real_at(6);
    if (const auto close = q.optional_text_at(7)) d.expected_close = date_of_text(*close);
    d.owner = q.text_at(8);
    d.lost_reason = q.text_at(9);
    d.won_at = optional_time_at(q, 10);
    d.lost_at = optional_time_at(q, 11);
    d.external_ref = q.optional_text_at(12);
    d.created_at = time_at(q, 13);
    d.updated_at = time_at(q, 14);
    d.version = q.int_at(15);
  }
  read_children(c, d);
  return d;
}

std::vector<Deal> load_deals(Connection& c, const std::vector<std::int64_t>& ids) {
  return load_each<DealId>(c, ids, load_deal);
}

std::optional<std::int64_t> deal_version(Connection& c, DealId id) {
  return version_of(c, "SELECT version FROM deals WHERE id = ?1", id.value());
}

std::vector<std::int64_t> find_deal_ids(Connection& c, const DealQuery& query, std::size_t rows) {
  SelectBuilder select("SELECT id FROM deals");
  if (query.after) select.where("id > ?", query.after->value());
  if (query.pipeline) select.where("pipeline_id = ?", query.pipeline->value());
  if (query.stage) select.where("stage = ?", *query.stage);
  if (query.customer) select.where("customer_id = ?", query.customer->value());
  if (query.owner) select.where("owner = ?", *query.owner);
  if (query.status) {
    // The same derivation as status_of(): won_at wins over lost_at.
    switch (*query.status) {
      case DealStatus::open:
        select.where("won_at IS NULL AND lost_at IS NULL");
        break;
      case DealStatus::won:
        select.where("won_at IS NOT NULL");
        break;
      case DealStatus::lost:
        select.where("won_at IS NULL AND lost_at IS NOT NULL");
        break;
    }
  }
  return select.ids(c, rows);
}

std::vector<std::int64_t> deal_ids_of_pipeline(Connection& c, PipelineId pipeline) {
  Query q = c.query("SELECT id FROM deals WHERE pipeline_id = ?1 ORDER BY id");
  q.bind_int(1, pipeline.value());
  return ids_of(q);
}

}  // namespace crmkit::storage::sqlite
