#include "crmkit/storage/sqlite_store.hpp"

#include <utility>

#include <fmt/format.h>

#include "crmkit/domain/validation.hpp"
#include "storage/sqlite/checks.hpp"
#include "storage/sqlite/codec.hpp"
#include "storage/sqlite/connection.hpp"
#include "storage/sqlite/customer_rows.hpp"
#include "storage/sqlite/deal_rows.hpp"
#include "storage/sqlite/interaction_rows.hpp"
#include "storage/sqlite/migrations.hpp"
#include "storage/sqlite/pipeline_rows.hpp"
#include "storage/sqlite/purchase_rows.hpp"
#include "storage/sqlite/transaction_handle.hpp"
#include "storage/store_rules.hpp"

namespace crmkit::storage {

using sqlite::Connection;

namespace {

[[noreturn]] void throw_update_lost(std::string_view entity, std::int64_t id) {
  // The version was checked under the write lock, so nobody can have changed the row since.
  throw sqlite::storage_error(StorageError::Kind::other,
                              fmt::format("the update of {} {} matched no row although its "
                                          "version had just been checked",
                                          entity, id));
}

// The stored version of an existing record; NotFoundError when there is none, ConflictError
// when `given` is stale.
template <class Id, class Lookup>
std::int64_t checked_version(Connection& c, std::string_view entity, Id id, std::int64_t given,
                             Lookup&& stored_version) {
  const std::optional<std::int64_t> stored = stored_version(c, id);
  if (!stored) throw NotFoundError(std::string(entity), id.to_string());
  rules::check_version(entity, id.value(), given, *stored);
  return *stored;
}

// Lists are read one row past the page (`limit + 1`), so that `next` is set only when a record
// follows, as with the memory store's look-ahead: never a cursor to an empty page.
template <class T, class Cursor, class KeyOf>
Page<T, Cursor> page_of(std::vector<T> rows, std::size_t limit, KeyOf&& key_of) {
  Page<T, Cursor> page;
  if (rows.size() > limit) {
    rows.resize(limit);
    page.next = key_of(rows.back());
  }
  page.items = std::move(rows);
  return page;
}

// The same from the ids of `limit + 1` rows: only the records of the page are loaded.
template <class T, class Cursor, class Load, class KeyOf>
Page<T, Cursor> page_of_ids(std::vector<std::int64_t> ids, std::size_t limit, Load&& load,
                            KeyOf&& key_of) {
  const bool more = ids.size() > limit;
  if (more) ids.resize(limit);
  Page<T, Cursor> page;
  page.items = load(ids);
  if (more && !page.items.empty()) page.next = key_of(page.items.back());
  return page;
}

TimeKey time_key(const Interaction& i) {
  return {i.occurred_at, i.id.value()};
}
TimeKey time_key(const Purchase& p) {
  return {p.occurred_at, p.id.value()};
}

}  // namespace

struct SqliteStore::Impl {
  Impl(const std::string& path, const SqliteOptions& options) : connection(path, options) {}
  Connection connection;
};

const int SqliteStore::current_schema_version = sqlite::latest_schema_version;

SqliteStore::SqliteStore(const std::string& path, SqliteOptions options)
    : impl_(std::make_unique<Impl>(path, options)) {}

SqliteStore::~SqliteStore() = default;

int SqliteStore::schema_version() const {
  return impl_->connection.schema_version();
}

const std::string& SqliteStore::path() const noexcept {
  return impl_->connection.path();
}

std::string_view SqliteStore::backend() const noexcept {
  return sqlite::backend_name;
}

Transaction SqliteStore::begin() {
  return Transaction(sqlite::begin_transaction(impl_->connection));
}

// ---------------------------------------------------------------------------------------------
// Customers

Customer SqliteStore::insert_customer(const Customer& customer) {
  Connection& c = impl_->connection;
  return c.write("insert_customer", [&] {
    Customer record = customer;
    record.id = CustomerId{};  // inserts ignore the given id and version
    record.version = 0;
    validate(record);
    sqlite::RecordLookup lookup(c);
    rules::check_customer_references(lookup, record);
    rules::check_external_ref_free(lookup, record, CustomerId{});
    record.id = sqlite::insert_customer_rows(c, record);
    record.version = 1;
    return record;
  });
}

Customer SqliteStore::update_customer(const Customer& customer) {
  Connection& c = impl_->connection;
  return c.write("update_customer", [&] {
    const std::int64_t stored =
        checked_version(c, "customer", customer.id, customer.version, sqlite::customer_version);
    validate(customer);
    sqlite::RecordLookup lookup(c);
    rules::check_customer_references(lookup, customer);
    rules::check_external_ref_free(lookup, customer, customer.id);
    rules::check_kind_change(lookup, *sqlite::customer_kind(c, customer.id), customer);
    if (!sqlite::update_customer_rows(c, customer, stored)) {
      throw_update_lost("customer", customer.id.value());
    }
    Customer record = customer;
    record.version = stored + 1;
    return record;
  });
}

std::optional<Customer> SqliteStore::get_customer(CustomerId id) {
  Connection& c = impl_->connection;
  return c.read("get_customer", [&] { return sqlite::load_customer(c, id); });
}

CustomerPage SqliteStore::find_customers(const CustomerQuery& query) {
  rules::check_limit(query.limit);
  Connection& c = impl_->connection;
  return c.read("find_customers", [&] {
    return page_of_ids<Customer, CustomerId>(
        sqlite::find_customer_ids(c, query, query.limit + 1), query.limit,
        [&](const std::vector<std::int64_t>& ids) { return sqlite::load_customers(c, ids); },
        [](const Customer& last) { return last.id; });
  });
}

std::optional<Customer> SqliteStore::find_customer_by_external_ref(std::string_view external_ref) {
  Connection& c = impl_->connection;
  const std::string ref(external_ref);
  return c.read("find_customer_by_external_ref", [&]() -> std::optional<Customer> {
    const std::optional<CustomerId> id = sqlite::customer_with_external_ref(c, ref);
    if (!id) return std::nullopt;
    return sqlite::load_customer(c, *id);
  });
}

std::vector<Customer> SqliteStore::find_customers_by_email(const Email& email) {
  Connection& c = impl_->connection;
  const std::string key = email.lookup_key();
  return c.read("find_customers_by_email", [&] {
    return sqlite::load_customers(c, sqlite::customers_with_email_key(c, key));
  });
}

std::vector<Customer> SqliteStore::find_customers_by_phone(const Phone& phone) {
  Connection& c = impl_->connection;
  return c.read("find_customers_by_phone", [&] {
    return sqlite::load_customers(c, sqlite::customers_with_phone(c, phone.str()));
  });
}

bool SqliteStore::remove_customer(CustomerId id) {
  Connection& c = impl_->connection;
  return c.write("remove_customer", [&] {
    if (!sqlite::customer_exists(c, id)) return false;
    sqlite::RecordLookup lookup(c);
    rules::check_customer_removable(lookup, id);
    return sqlite::delete_customer_rows(c, id);
  });
}

// ---------------------------------------------------------------------------------------------
// Interactions

Interaction SqliteStore::insert_interaction(const Interaction& interaction) {
  Connection& c = impl_->connection;
  return c.write("insert_interaction", [&] {
    Interaction record = interaction;
    record.version = 0;
    sqlite::RecordLookup lookup(c);
    rules::check_interaction(lookup, record);
    record.id = sqlite::InteractionInserter(c).insert(record);
    record.version = 1;
    return record;
  });
}

void SqliteStore::append_interactions(std::span<Interaction> interactions) {
  Connection& c = impl_->connection;
  const std::vector<InteractionId> ids = c.write("append_interactions", [&] {
    std::vector<InteractionId> assigned;
    assigned.reserve(interactions.size());
    sqlite::RecordLookup lookup(c);
    sqlite::InteractionInserter inserter(c);
    Interaction reset;
    for (std::size_t i = 0; i < interactions.size(); ++i) {
      // Inserts ignore the given version, so validate() must not see it; the caller's span stays
      // untouched until everything is written, and a copy is made only when it has to be.
      const Interaction* record = &interactions[i];
      if (record->version != 0) {
        reset = *record;
        reset.version = 0;
        record = &reset;
      }
      rules::check_interaction(lookup, *record, i);
      assigned.push_back(inserter.insert(*record));
    }
    return assigned;
  });
  for (std::size_t i = 0; i < interactions.size(); ++i) {
    interactions[i].id = ids[i];
    interactions[i].version = 1;
  }
}

Interaction SqliteStore::update_interaction(const Interaction& interaction) {
  Connection& c = impl_->connection;
  return c.write("update_interaction", [&] {
    const std::int64_t stored = checked_version(c, "interaction", interaction.id,
                                                interaction.version, sqlite::interaction_version);
    sqlite::RecordLookup lookup(c);
    rules::check_interaction(lookup, interaction);
    if (!sqlite::update_interaction_rows(c, interaction, stored)) {
      throw_update_lost("interaction", interaction.id.value());
    }
    Interaction record = interaction;
    record.version = stored + 1;
    return record;
  });
}

std::optional<Interaction> SqliteStore::get_interaction(InteractionId id) {
  Connection& c = impl_->connection;
  return c.read("get_interaction", [&] { return sqlite::load_interaction(c, id); });
}

InteractionPage SqliteStore::find_interactions(const InteractionQuery& query) {
  rules::check_limit(query.limit);
  Connection& c = impl_->connection;
  return c.read("find_interactions", [&] {
    return page_of_ids<Interaction, TimeKey>(
        sqlite::find_interaction_ids(c, query, query.limit + 1), query.limit,
        [&](const std::vector<std::int64_t>& ids) { return sqlite::load_interactions(c, ids); },
        [](const Interaction& last) { return time_key(last); });
  });
}

bool SqliteStore::remove_interaction(InteractionId id) {
  Connection& c = impl_->connection;
  return c.write("remove_interaction", [&] { return sqlite::delete_interaction_rows(c, id); });
}

// ---------------------------------------------------------------------------------------------
// Pipelines

Pipeline SqliteStore::insert_pipeline(const Pipeline& pipeline) {
  Connection& c = impl_->connection;
  return c.write("insert_pipeline", [&] {
    Pipeline record = pipeline;
    record.id = PipelineId{};
    record.version = 0;
    validate(record);
    record.id = sqlite::insert_pipeline_rows(c, record);
    record.version = 1;
    return record;
  });
}

Pipeline SqliteStore::update_pipeline(const Pipeline& pipeline) {
  Connection& c = impl_->connection;
  return c.write("update_pipeline", [&] {
    const std::int64_t stored =
        checked_version(c, "pipeline", pipeline.id, pipeline.version, sqlite::pipeline_version);
    validate(pipeline);
    for (const Deal& deal : sqlite::load_deals(c, sqlite::deal_ids_of_pipeline(c, pipeline.id))) {
      rules::check_pipeline_keeps(pipeline, deal);
    }
    if (!sqlite::update_pipeline_rows(c, pipeline, stored)) {
      throw_update_lost("pipeline", pipeline.id.value());
    }
    Pipeline record = pipeline;
    record.version = stored + 1;
    return record;
  });
}

std::optional<Pipeline> SqliteStore::get_pipeline(PipelineId id) {
  Connection& c = impl_->connection;
  return c.read("get_pipeline", [&] { return sqlite::load_pipeline(c, id); });
}

std::vector<Pipeline> SqliteStore::list_pipelines() {
  Connection& c = impl_->connection;
  return c.read("list_pipelines", [&] { return sqlite::load_all_pipelines(c); });
}

bool SqliteStore::remove_pipeline(PipelineId id) {
  Connection& c = impl_->connection;
  return c.write("remove_pipeline", [&] {
    if (!sqlite::pipeline_version(c, id)) return false;
    sqlite::RecordLookup lookup(c);
    rules::check_pipeline_removable(lookup, id);
    return sqlite::delete_pipeline_rows(c, id);
  });
}

// ---------------------------------------------------------------------------------------------
// Deals

Deal SqliteStore::insert_deal(const Deal& deal) {
  Connection& c = impl_->connection;
  return c.write("insert_deal", [&] {
    Deal record = deal;
    record.id = DealId{};
    record.version = 0;
    sqlite::RecordLookup lookup(c);
    rules::check_deal(lookup, record);
    record.id = sqlite::insert_deal_rows(c, record);
    record.version = 1;
    return record;
  });
}

Deal SqliteStore::update_deal(const Deal& deal) {
  Connection& c = impl_->connection;
  return c.write("update_deal", [&] {
    const std::int64_t stored =
        checked_version(c, "deal", deal.id, deal.version, sqlite::deal_version);
    sqlite::RecordLookup lookup(c);
    rules::check_deal(lookup, deal);
    if (!sqlite::update_deal_rows(c, deal, stored)) throw_update_lost("deal", deal.id.value());
    Deal record = deal;
    record.version = stored + 1;
    return record;
  });
}

std::optional<Deal> SqliteStore::get_deal(DealId id) {
  Connection& c = impl_->connection;
  return c.read("get_deal", [&] { return sqlite::load_deal(c, id); });
}

DealPage SqliteStore::find_deals(const DealQuery& query) {
  rules::check_limit(query.limit);
  Connection& c = impl_->connection;
  return c.read("find_deals", [&] {
    return page_of_ids<Deal, DealId>(
        sqlite::find_deal_ids(c, query, query.limit + 1), query.limit,
        [&](const std::vector<std::int64_t>& ids) { return sqlite::load_deals(c, ids); },
        [](const Deal& last) { return last.id; });
  });
}

bool SqliteStore::remove_deal(DealId id) {
  Connection& c = impl_->connection;
  return c.write("remove_deal", [&] {
    if (!sqlite::deal_version(c, id)) return false;
    sqlite::RecordLookup lookup(c);
    rules::check_deal_removable(lookup, id);
    return sqlite::delete_deal_rows(c, id);
  });
}

// ---------------------------------------------------------------------------------------------
// Purchases

void SqliteStore::append_purchases(std::span<Purchase> purchases) {
  Connection& c = impl_->connection;
  const std::vector<std::int64_t> ids = c.write("append_purchases", [&] {
    std::vector<std::int64_t> assigned;
    assigned.reserve(purchases.size());
    sqlite::RecordLookup lookup(c);
    rules::PurchaseChecker checker(lookup);
    sqlite::PurchaseInserter inserter(c);
    for (std::size_t i = 0; i < purchases.size(); ++i) {
      checker.check(purchases[i], i);
      assigned.push_back(inserter.insert(purchases[i]));
    }
    return assigned;
  });
  // Only once the write has committed: a failed append leaves the caller's records untouched.
  for (std::size_t i = 0; i < purchases.size(); ++i) purchases[i].id = PurchaseId{ids[i]};
}

std::optional<Purchase> SqliteStore::get_purchase(PurchaseId id) {
  Connection& c = impl_->connection;
  return c.read("get_purchase", [&] { return sqlite::load_purchase(c, id); });
}

PurchasePage SqliteStore::find_purchases(const PurchaseQuery& query) {
  rules::check_limit(query.limit);
  Connection& c = impl_->connection;
  return c.read("find_purchases", [&] {
    return page_of<Purchase, TimeKey>(sqlite::find_purchase_rows(c, query, query.limit + 1),
                                      query.limit,
                                      [](const Purchase& last) { return time_key(last); });
  });
}

PurchaseColumns SqliteStore::scan_purchases(const PurchaseScan& scan) {
  Connection& c = impl_->connection;
  sqlite::ScanResult result =
      c.read("scan_purchases", [&] { return sqlite::scan_purchase_rows(c, scan); });
  if (scan.currency) {
    result.columns.currency = *scan.currency;
  } else if (result.currencies.size() > 1) {
    rules::throw_mixed_currencies({result.currencies.begin(), result.currencies.end()});
  } else if (!result.currencies.empty()) {
    result.columns.currency = sqlite::currency_of(*result.currencies.begin());
  }
  return std::move(result.columns);
}

bool SqliteStore::remove_purchase(PurchaseId id) {
  Connection& c = impl_->connection;
  return c.write("remove_purchase", [&] { return sqlite::delete_purchase_row(c, id); });
}

StoreCounts SqliteStore::counts() {
  Connection& c = impl_->connection;
  return c.read("counts", [&] {
    sqlite::Query q = c.query(
        "SELECT (SELECT count(*) FROM customers WHERE deleted_at IS NULL), "
        "(SELECT count(*) FROM customers WHERE deleted_at IS NOT NULL), "
        "(SELECT count(*) FROM interactions), (SELECT count(*) FROM pipelines), "
        "(SELECT count(*) FROM deals), (SELECT count(*) FROM purchases)");
    q.step();
    StoreCounts counts;
    counts.customers = q.int_at(0);
    counts.deleted_customers = q.int_at(1);
    counts.interactions = q.int_at(2);
    counts.pipelines = q.int_at(3);
    counts.deals = q.int_at(4);
    counts.purchases = q.int_at(5);
    return counts;
  });
}

}  // namespace crmkit::storage
