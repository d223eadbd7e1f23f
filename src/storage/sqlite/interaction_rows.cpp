#include "storage/sqlite/interaction_rows.hpp"

#include <limits>

#include "storage/sqlite/codec.hpp"
#include "storage/sqlite/row_access.hpp"

namespace crmkit::storage::sqlite {
namespace {

// Bound as ?1..?12 in this order, read back as columns 0..11.
#define CRMKIT_INTERACTION_COLUMNS                                                         \
  "channel, direction, occurred_at, duration_s, subject, body, outcome, author, deal_id, " \
  "external_ref, created_at, version"

constexpr const char* insert_interaction_sql =
    "INSERT INTO interactions (" CRMKIT_INTERACTION_COLUMNS ") "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
constexpr const char* select_interaction_sql =
    "SELECT " CRMKIT_INTERACTION_COLUMNS " FROM interactions WHERE id = ?1";
#undef CRMKIT_INTERACTION_COLUMNS

constexpr const char* insert_link_sql =
    "INSERT INTO interaction_customers (interaction_id, position, customer_id, occurred_at) "
    "VALUES (?1, ?2, ?3, ?4)";

void bind_interaction(Query& q, const Interaction& i, std::int64_t version) {
  q.bind_text_copy(1, to_string(i.channel));
  q.bind_text_copy(2, to_string(i.direction));
  bind_time(q, 3, i.occurred_at);
  q.bind_int(4, i.duration.count());
  q.bind_text(5, i.subject);
  q.bind_text(6, i.body);
  q.bind_text(7, i.outcome);
  q.bind_text(8, i.author);
  if (i.deal) {
    q.bind_int(9, i.deal->value());
  } else {
    q.bind_null(9);
  }
  bind_text(q, 10, i.external_ref);
  bind_time(q, 11, i.created_at);
  q.bind_int(12, version);
}

void insert_links(Query& link, std::int64_t id, const Interaction& interaction) {
  for (std::size_t k = 0; k < interaction.customers.size(); ++k) {
    link.reset();
    link.bind_int(1, id).bind_int(2, static_cast<std::int64_t>(k));
    link.bind_int(3, interaction.customers[k].value());
    bind_time(link, 4, interaction.occurred_at);
    link.run();
  }
}

void delete_links(Connection& c, std::int64_t id) {
  c.query("DELETE FROM interaction_customers WHERE interaction_id = ?1").bind_int(1, id).run();
}

// Bounds of the newest-first lists: absent ones are the int64 extremes, so that one statement
// serves queries with and without them.
struct TimeWindow {
  std::int64_t since = std::numeric_limits<std::int64_t>::min();
  std::int64_t before_at = std::numeric_limits<std::int64_t>::max();
  std::int64_t before_id = std::numeric_limits<std::int64_t>::max();
};

TimeWindow window_of(const InteractionQuery& query) {
  TimeWindow w;
  if (query.since) w.since = micros(*query.since);
  if (query.before) {
    w.before_at = micros(query.before->at);
    w.before_id = query.before->id;
  }
  return w;
}

const char* list_sql(const InteractionQuery& query) {
  if (query.customer && query.deal) {
    return "SELECT ic.interaction_id FROM interaction_customers AS ic "
           "JOIN interactions AS i ON i.id = ic.interaction_id "
           "WHERE ic.customer_id = ?1 AND i.deal_id = ?5 AND ic.occurred_at >= ?2 "
           "AND ic.occurred_at <= ?3 AND (ic.occurred_at, ic.interaction_id) < (?3, ?4) "
           "ORDER BY ic.occurred_at DESC, ic.interaction_id DESC LIMIT ?6";
  }
  if (query.customer) {
    return "SELECT interaction_id FROM interaction_customers "
           "WHERE customer_id = ?1 AND occurred_at >= ?2 AND occurred_at <= ?3 "
           "AND (occurred_at, interaction_id) < (?3, ?4) "
           "ORDER BY occurred_at DESC, interaction_id DESC LIMIT ?6";
  }
  if (query.deal) {
    return "SELECT id FROM interactions "
           "WHERE deal_id = ?5 AND occurred_at >= ?2 AND occurred_at <= ?3 "
           "AND (occurred_at, id) < (?3, ?4) ORDER BY occurred_at DESC, id DESC LIMIT ?6";
  }
  return "SELECT id FROM interactions "
         "WHERE occurred_at >= ?2 AND occurred_at <= ?3 AND (occurred_at, id) < (?3, ?4) "
         "ORDER BY occurred_at DESC, id DESC LIMIT ?6";
}

}  // namespace

InteractionInserter::InteractionInserter(Connection& c)
    : c_(c), row_(c.query(insert_interaction_sql)), link_(c.query(insert_link_sql)) {}

InteractionId InteractionInserter::insert(const Interaction& interaction) {
  row_.reset();
  bind_interaction(row_, interaction, 1);
  row_.run();
  const std::int64_t id = c_.last_insert_id();
  insert_links(link_, id, interaction);
  return InteractionId{id};
}

bool update_interaction_rows(Connection& c, const Interaction& interaction,
                             std::int64_t expected_version) {
  Query q = c.query(
      "UPDATE interactions SET channel = ?1, direction = ?2, occurred_at = ?3, duration_s = ?4, "
      "subject = ?5, body = ?6, outcome = ?7, author = ?8, deal_id = ?9, external_ref = ?10, "
      "created_at = ?11, version = ?12 WHERE id = ?13 AND version = ?14");
  bind_interaction(q, interaction, expected_version + 1);
  q.bind_int(13, interaction.id.value()).bind_int(14, expected_version);
  if (q.run() == 0) return false;
  delete_links(c, interaction.id.value());
  Query link = c.query(insert_link_sql);
  insert_links(link, interaction.id.value(), interaction);
  return true;
}

bool delete_interaction_rows(Connection& c, InteractionId id) {
  delete_links(c, id.value());
  return c.query("DELETE FROM interactions WHERE id = ?1").bind_int(1, id.value()).run() > 0;
}

std::optional<Interaction> load_interaction(Connection& c, InteractionId id) {
  Interaction i;
  {
    Query q = c.query(select_interaction_sql);
    q.bind_int(1, id.value());
    if (!q.step()) return std::nullopt;
    i.id = id;
    i.channel = decode_enum("interaction channel", q.text_at(0), parse_channel);
    i.direction = decode_enum("interaction direction", q.text_at(1), parse_direction);
    i.occurred_at = time_at(q, 2);
    i.duration = std::chrono::seconds(q.int_at(3));
    i.subject = q.text_at(4);
    i.body = q.text_at(5);
    i.outcome = q.text_at(6);
    i.author = q.text_at(7);
    if (const auto deal = q.optional_int_at(8)) i.deal = DealId{*deal};
    i.external_ref = q.optional_text_at(9);
    i.created_at = time_at(q, 10);
    i.version = q.int_at(11);
  }
  Query q = c.query(
      "SELECT customer_id FROM interaction_customers WHERE interaction_id = ?1 ORDER BY position");
  q.bind_int(1, id.value());
  while (q.step()) i.customers.emplace_back(q.int_at(0));
  return i;
}

std::vector<Interaction> load_interactions(Connection& c, const std::vector<std::int64_t>& ids) {
  return load_each<InteractionId>(c, ids, load_interaction);
}

std::optional<std::int64_t> interaction_version(Connection& c, InteractionId id) {
  return version_of(c, "SELECT version FROM interactions WHERE id = ?1", id.value());
}

std::vector<std::int64_t> find_interaction_ids(Connection& c, const InteractionQuery& query,
                                               std::size_t rows) {
  const TimeWindow w = window_of(query);
  Query q = c.query(list_sql(query));
  if (query.customer) q.bind_int(1, query.customer->value());
  q.bind_int(2, w.since).bind_int(3, w.before_at).bind_int(4, w.before_id);
  if (query.deal) q.bind_int(5, query.deal->value());
  q.bind_int(6, static_cast<std::int64_t>(rows));
  std::vector<std::int64_t> ids;
  ids.reserve(rows);
  while (q.step()) ids.push_back(q.int_at(0));
  return ids;
}

}  // namespace crmkit::storage::sqlite
