#include "crmkit/storage/memory_store.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "crmkit/core/error.hpp"
#include "crmkit/domain/validation.hpp"
#include "storage/store_rules.hpp"

namespace crmkit::storage {
namespace {

constexpr std::string_view backend_name = "memory";

template <class T>
using IdOf = decltype(T::id);

// One entity's records, ordered by id (the order of the id-ordered lists), and the counter that
// assigns the next id.
template <class T>
struct Table {
  std::map<IdOf<T>, T> rows;
  std::int64_t last_id = 0;
};

// The inverse of one write: put `before` back or, when the records did not exist, erase the ids
// [first, first + count). A bulk append is one entry, whatever its size.
template <class T>
struct Undo {
  IdOf<T> first;
  std::int64_t count = 1;
  std::unique_ptr<T> before;
};
using UndoEntry =
    std::variant<Undo<Customer>, Undo<Interaction>, Undo<Pipeline>, Undo<Deal>, Undo<Purchase>>;

using LastIds = std::array<std::int64_t, 5>;

// One level of the transaction stack: a transaction, a savepoint, or the frame that makes a
// single call atomic. Rolling it back replays `undo` backwards and restores the id counters.
struct Frame {
  std::uint64_t serial = 0;
  LastIds last_ids{};
  std::vector<UndoEntry> undo;
};

template <class Key, class Value>
using MultiIndex = std::unordered_map<Key, std::set<Value>>;

template <class Key, class Value>
void add(MultiIndex<Key, Value>& index, const Key& key, const Value& value) {
  index[key].insert(value);
}

template <class Key, class Value>
void remove(MultiIndex<Key, Value>& index, const Key& key, const Value& value) {
  const auto it = index.find(key);
  if (it == index.end()) return;
  it->second.erase(value);
  if (it->second.empty()) index.erase(it);  // keeps the index from growing with dead keys
}

template <class Key, class Value>
const std::set<Value>& lookup(const MultiIndex<Key, Value>& index, const Key& key) {
  static const std::set<Value> none;
  const auto it = index.find(key);
  return it == index.end() ? none : it->second;
}

TimeKey key_of(const Interaction& interaction) {
  return {interaction.occurred_at, interaction.id.value()};
}
TimeKey key_of(const Purchase& purchase) { return {purchase.occurred_at, purchase.id.value()}; }

// Everything the store holds. Writes go through put/erase/append, which log their inverse in
// the innermost frame and keep every index in step; rollback replays through the same functions.
struct Db {
  std::recursive_mutex mutex;
  std::tuple<Table<Customer>, Table<Interaction>, Table<Pipeline>, Table<Deal>, Table<Purchase>>
      tables;
  std::vector<Frame> frames;
  std::uint64_t last_serial = 0;

  std::unordered_map<std::string, CustomerId> customer_by_external_ref;
  MultiIndex<std::string, CustomerId> customers_by_email;  // by Email::lookup_key()
  MultiIndex<std::string, CustomerId> customers_by_phone;  // by canonical number
  MultiIndex<std::string, CustomerId> customers_by_owner;
  MultiIndex<std::string, CustomerId> customers_by_tag;
  MultiIndex<CustomerId, CustomerId> members_by_organization;
  std::int64_t deleted_customers = 0;

  std::set<TimeKey> interactions_by_time;
  MultiIndex<CustomerId, TimeKey> interactions_by_customer;
  MultiIndex<DealId, TimeKey> interactions_by_deal;

  MultiIndex<PipelineId, DealId> deals_by_pipeline;
  MultiIndex<CustomerId, DealId> deals_by_customer;
  MultiIndex<CustomerId, DealId> deals_by_contact;

  std::set<TimeKey> purchases_by_time;
  MultiIndex<CustomerId, TimeKey> purchases_by_customer;

  template <class T>
  Table<T>& table() {
    return std::get<Table<T>>(tables);
  }
  template <class T>
  const Table<T>& table() const {
    return std::get<Table<T>>(tables);
  }
  template <class T>
  [[nodiscard]] const T* find(IdOf<T> id) const {
    const auto& rows = table<T>().rows;
    const auto it = rows.find(id);
    return it == rows.end() ? nullptr : &it->second;
  }
  template <class T>
  [[nodiscard]] IdOf<T> next_id() {
    return IdOf<T>{++table<T>().last_id};
  }

  // Runs one public write in a frame of its own, so that a write failing half-way leaves
  // nothing behind, inside a transaction or not.
  template <class Write>
  auto atomically(Write&& write) -> decltype(write()) {
    const std::lock_guard lock(mutex);
    push_frame();
    try {
      if constexpr (std::is_void_v<decltype(write())>) {
        write();
        commit_top();
      } else {
        auto result = write();
        commit_top();
        return result;
      }
    } catch (...) {
      rollback_top();
      throw;
    }
  }

  std::uint64_t push_frame() {
    frames.push_back(Frame{++last_serial, last_ids(), {}});
    return last_serial;
  }
  [[nodiscard]] bool frame_alive(std::size_t depth, std::uint64_t serial) const noexcept {
    return depth < frames.size() && frames[depth].serial == serial;
  }
  // The top frame's writes become the parent's, to be undone if the parent rolls back.
  void commit_top() {
    Frame& top = frames.back();
    if (frames.size() > 1) {
      std::vector<UndoEntry>& parent = frames[frames.size() - 2].undo;
      const std::size_t needed = parent.size() + top.undo.size();
      if (parent.capacity() < needed) parent.reserve(std::max(needed, 2 * parent.capacity()));
      std::move(top.undo.begin(), top.undo.end(), std::back_inserter(parent));
    }
    frames.pop_back();
  }
  void rollback_top() noexcept {
    Frame& top = frames.back();
    for (auto it = top.undo.rbegin(); it != top.undo.rend(); ++it) {
      std::visit([this](auto& undo) { revert(undo); }, *it);
    }
    restore_last_ids(top.last_ids);
    frames.pop_back();
  }
  void rollback_to(std::size_t depth) noexcept {
    while (frames.size() > depth) rollback_top();
  }

  // Stores `record` (new or replacing the one with its id).
  template <class T>
  void put(T record) {
    const auto& rows = table<T>().rows;
    const auto it = rows.find(record.id);
    log(Undo<T>{record.id, 1, it == rows.end() ? nullptr : std::make_unique<T>(it->second)});
    store(std::move(record));
  }
  // Removes the record with `id`, if any.
  template <class T>
  void erase(IdOf<T> id) {
    const T* record = find<T>(id);
    if (!record) return;
    log(Undo<T>{id, 1, std::make_unique<T>(*record)});
    drop<T>(id);
  }
  // Stores new records with consecutive ids, logged as one undo entry.
  template <class T>
  void append(std::vector<T> records) {
    if (records.empty()) return;
    log(Undo<T>{records.front().id, static_cast<std::int64_t>(records.size()), nullptr});
    for (T& record : records) store(std::move(record));
  }

 private:
  [[nodiscard]] LastIds last_ids() const {
    return {table<Customer>().last_id, table<Interaction>().last_id, table<Pipeline>().last_id,
            table<Deal>().last_id, table<Purchase>().last_id};
  }
  void restore_last_ids(const LastIds& ids) noexcept {
    table<Customer>().last_id = ids[0];
    table<Interaction>().last_id = ids[1];
    table<Pipeline>().last_id = ids[2];
    table<Deal>().last_id = ids[3];
    table<Purchase>().last_id = ids[4];
  }

  void log(UndoEntry entry) { frames.back().undo.push_back(std::move(entry)); }

  template <class T>
  void revert(Undo<T>& undo) {
    if (undo.before) {
      store(std::move(*undo.before));
      return;
    }
    for (std::int64_t k = 0; k < undo.count; ++k) drop<T>(IdOf<T>{undo.first.value() + k});
  }

  template <class T>
  void store(T record) {
    auto& rows = table<T>().rows;
    const IdOf<T> id = record.id;
    auto it = rows.find(id);
    if (it != rows.end()) {
      unindex(it->second);
      it->second = std::move(record);
    } else {
      it = rows.emplace_hint(rows.end(), id, std::move(record));  // new ids are the largest
    }
    index(it->second);
  }
  template <class T>
  void drop(IdOf<T> id) {
    auto& rows = table<T>().rows;
    const auto it = rows.find(id);
    if (it == rows.end()) return;
    unindex(it->second);
    rows.erase(it);
  }

  void index(const Customer& c) {
    if (c.external_ref) customer_by_external_ref[*c.external_ref] = c.id;
    for (const ContactEmail& e : c.emails) add(customers_by_email, e.address.lookup_key(), c.id);
    for (const ContactPhone& p : c.phones) add(customers_by_phone, p.number.str(), c.id);
    add(customers_by_owner, c.owner, c.id);
    for (const std::string& tag : c.tags) add(customers_by_tag, tag, c.id);
    for (const Membership& m : c.memberships) add(members_by_organization, m.organization, c.id);
    if (c.deleted()) ++deleted_customers;
  }
  void unindex(const Customer& c) {
    if (c.external_ref) {
      const auto it = customer_by_external_ref.find(*c.external_ref);
      if (it != customer_by_external_ref.end() && it->second == c.id) {
        customer_by_external_ref.erase(it);
      }
    }
    for (const ContactEmail& e : c.emails) remove(customers_by_email, e.address.lookup_key(), c.id);
    for (const ContactPhone& p : c.phones) remove(customers_by_phone, p.number.str(), c.id);
    remove(customers_by_owner, c.owner, c.id);
    for (const std::string& tag : c.tags) remove(customers_by_tag, tag, c.id);
    for (const Membership& m : c.memberships) remove(members_by_organization, m.organization, c.id);
    if (c.deleted()) --deleted_customers;
  }

  void index(const Interaction& i) {
    const TimeKey key = key_of(i);
    interactions_by_time.insert(key);
    for (const CustomerId customer : i.customers) add(interactions_by_customer, customer, key);
    if (i.deal) add(interactions_by_deal, *i.deal, key);
  }
  void unindex(const Interaction& i) {
    const TimeKey key = key_of(i);
    interactions_by_time.erase(key);
    for (const CustomerId customer : i.customers) remove(interactions_by_customer, customer, key);
    if (i.deal) remove(interactions_by_deal, *i.deal, key);
  }

  static void index(const Pipeline&) noexcept {}
  static void unindex(const Pipeline&) noexcept {}

  void index(const Deal& d) {
    add(deals_by_pipeline, d.pipeline, d.id);
    add(deals_by_customer, d.customer, d.id);
    for (const DealContact& contact : d.contacts) add(deals_by_contact, contact.person, d.id);
  }
  void unindex(const Deal& d) {
    remove(deals_by_pipeline, d.pipeline, d.id);
    remove(deals_by_customer, d.customer, d.id);
    for (const DealContact& contact : d.contacts) remove(deals_by_contact, contact.person, d.id);
  }

  void index(const Purchase& p) {
    const TimeKey key = key_of(p);
    purchases_by_time.insert(key);
    add(purchases_by_customer, p.customer, key);
  }
  void unindex(const Purchase& p) {
    const TimeKey key = key_of(p);
    purchases_by_time.erase(key);
    remove(purchases_by_customer, p.customer, key);
  }
};

// A transaction or savepoint: holds the store's lock from begin to commit/rollback, so other
// threads wait (serializable), and owns the frame at `depth_` of the transaction stack.
class MemoryTransaction final : public TransactionHandle {
 public:
  explicit MemoryTransaction(Db& db) : db_(db), lock_(db.mutex), depth_(db.frames.size()) {
    serial_ = db_.push_frame();
  }
  MemoryTransaction(const MemoryTransaction&) = delete;
  MemoryTransaction& operator=(const MemoryTransaction&) = delete;
  ~MemoryTransaction() override { rollback(); }

  void commit() override {
    if (!lock_.owns_lock()) fail("commit() called on a transaction that already ended");
    if (!db_.frame_alive(depth_, serial_)) {
      fail("cannot commit a savepoint that an enclosing transaction already rolled back");
    }
    if (db_.frames.size() != depth_ + 1) {
      fail("cannot commit while a nested transaction begun inside this one is still active");
    }
    db_.commit_top();
    lock_.unlock();
  }

  void rollback() noexcept override {
    if (!lock_.owns_lock()) return;
    // An enclosing transaction's rollback may already have dropped this frame.
    if (db_.frame_alive(depth_, serial_)) db_.rollback_to(depth_);
    lock_.unlock();
  }

 private:
  [[noreturn]] static void fail(const std::string& message) {
    throw StorageError(StorageError::Kind::transaction, std::string(backend_name), message);
  }

  Db& db_;
  std::unique_lock<std::recursive_mutex> lock_;
  std::size_t depth_;
  std::uint64_t serial_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Checks, all made before anything is written: the shared rules, answered from the indexes.

template <class Tag>
std::vector<std::int64_t> values_of(const std::set<Id<Tag>>& ids) {
  std::vector<std::int64_t> values;
  values.reserve(ids.size());
  for (const Id<Tag> id : ids) values.push_back(id.value());
  return values;
}

std::vector<std::int64_t> values_of(const std::set<TimeKey>& keys) {
  std::vector<std::int64_t> values;
  values.reserve(keys.size());
  for (const TimeKey& key : keys) values.push_back(key.id);
  return values;
}

template <class T>
const T& existing(const Db& db, IdOf<T> id, std::string_view entity) {
  const T* record = db.find<T>(id);
  if (!record) throw NotFoundError(std::string(entity), id.to_string());
  return *record;
}

class IndexLookup final : public rules::ReferenceLookup {
 public:
  explicit IndexLookup(const Db& db) : db_(db) {}

  bool customer_exists(CustomerId id) override { return db_.find<Customer>(id) != nullptr; }
  std::optional<CustomerKind> customer_kind(CustomerId id) override {
    const Customer* customer = db_.find<Customer>(id);
    return customer ? std::optional(customer->kind) : std::nullopt;
  }
  std::optional<CustomerId> customer_with_external_ref(const std::string& ref) override {
    const auto it = db_.customer_by_external_ref.find(ref);
    return it == db_.customer_by_external_ref.end() ? std::nullopt : std::optional(it->second);
  }
  bool deal_exists(DealId id) override { return db_.find<Deal>(id) != nullptr; }
  const Pipeline* pipeline(PipelineId id) override { return db_.find<Pipeline>(id); }
  rules::Referrers referrers(rules::Reference reference, std::int64_t id) override {
    return rules::referrers_among(referring_ids(reference, id));
  }

 private:
  [[nodiscard]] std::vector<std::int64_t> referring_ids(rules::Reference reference,
                                                        std::int64_t id) const {
    using rules::Reference;
    const CustomerId customer{id};
    switch (reference) {
      case Reference::deals_of_customer: {
        std::set<DealId> deals = lookup(db_.deals_by_customer, customer);
        const auto& as_contact = lookup(db_.deals_by_contact, customer);
        deals.insert(as_contact.begin(), as_contact.end());
        return values_of(deals);
      }
      case Reference::deals_with_contact:
        return values_of(lookup(db_.deals_by_contact, customer));
      case Reference::interactions_of_customer:
        return values_of(lookup(db_.interactions_by_customer, customer));
      case Reference::purchases_of_customer:
        return values_of(lookup(db_.purchases_by_customer, customer));
      case Reference::members_of_organization:
        return values_of(lookup(db_.members_by_organization, customer));
      case Reference::deals_of_pipeline:
        return values_of(lookup(db_.deals_by_pipeline, PipelineId{id}));
      case Reference::interactions_of_deal:
        return values_of(lookup(db_.interactions_by_deal, DealId{id}));
    }
    return {};
  }

  const Db& db_;
};

// ---------------------------------------------------------------------------------------------
// Reading.

// Fills a page and looks one record ahead, so that `next` is set only when a record follows.
template <class T, class Cursor>
class PageBuilder {
 public:
  explicit PageBuilder(std::size_t limit) : limit_(limit) {}
  // Adds a matching record; false once the page is full and known to have a successor.
  bool offer(const T& record, Cursor key) {
    if (page_.items.size() == limit_) {
      page_.next = last_key_;
      return false;
    }
    page_.items.push_back(record);
    last_key_ = key;
    return true;
  }
  Page<T, Cursor> finish() { return std::move(page_); }

 private:
  std::size_t limit_;
  Page<T, Cursor> page_;
  Cursor last_key_{};
};

// Visits `keys` newest first, strictly before `before`, down to `since`, while `visit` says so.
template <class Visit>
void newest_first(const std::set<TimeKey>& keys, const std::optional<TimeKey>& before,
                  const std::optional<Timestamp>& since, Visit&& visit) {
  auto it = before ? keys.lower_bound(*before) : keys.end();
  while (it != keys.begin()) {
    --it;
    if (since && it->at < *since) return;
    if (!visit(*it)) return;
  }
}

// Visits the ids of `ids` (a set or a map keyed by id) greater than `after`, while `visit` says so.
template <class Ordered, class Id, class Visit>
void ids_after(const Ordered& ids, const std::optional<Id>& after, Visit&& visit) {
  for (auto it = after ? ids.upper_bound(*after) : ids.begin(); it != ids.end(); ++it) {
    if constexpr (std::is_same_v<typename Ordered::value_type, Id>) {
      if (!visit(*it)) return;
    } else {
      if (!visit(it->first)) return;
    }
  }
}

// The smaller of the candidate sets the filters allow, or nullptr when no filter has an index.
template <class Key>
const std::set<Key>* narrowest(std::initializer_list<const std::set<Key>*> candidates) {
  const std::set<Key>* best = nullptr;
  for (const std::set<Key>* set : candidates) {
    if (set && (!best || set->size() < best->size())) best = set;
  }
  return best;
}

bool matches(const Customer& c, const CustomerQuery& q) {
  return (q.include_deleted || !c.deleted()) && (!q.owner || c.owner == *q.owner) &&
         (!q.tag || c.tags.contains(*q.tag)) && (!q.lifecycle || c.lifecycle == *q.lifecycle) &&
         (!q.kind || c.kind == *q.kind) && (!q.updated_since || c.updated_at >= *q.updated_since);
}

bool matches(const Deal& d, const DealQuery& q) {
  return (!q.pipeline || d.pipeline == *q.pipeline) && (!q.stage || d.stage == *q.stage) &&
         (!q.customer || d.customer == *q.customer) && (!q.owner || d.owner == *q.owner) &&
         (!q.status || status_of(d) == *q.status);
}

std::vector<Customer> live_customers(const Db& db, const std::set<CustomerId>& ids) {
  std::vector<Customer> found;
  for (const CustomerId id : ids) {
    // The lookup indexes only hold stored ids, so the record is there.
    if (const Customer* customer = db.find<Customer>(id); customer && !customer->deleted()) {
      found.push_back(*customer);
    }
  }
  return found;
}

// The purchases a scan reads, in id order: through the time index when the scan has a range.
std::vector<const Purchase*> purchases_in(const Db& db, const PurchaseScan& scan) {
  std::vector<const Purchase*> selected;
  const auto wanted = [&](const Purchase& p) {
    return !scan.currency || p.amount.currency() == *scan.currency;
  };
  if (!scan.since && !scan.until) {
    for (const auto& [id, purchase] : db.table<Purchase>().rows) {
      if (wanted(purchase)) selected.push_back(&purchase);
    }
    return selected;
  }
  const auto& keys = db.purchases_by_time;
  constexpr std::int64_t lowest_id = std::numeric_limits<std::int64_t>::min();
  auto it = scan.since ? keys.lower_bound(TimeKey{*scan.since, lowest_id}) : keys.begin();
  for (; it != keys.end() && (!scan.until || it->at < *scan.until); ++it) {
    const Purchase& purchase = *db.find<Purchase>(PurchaseId{it->id});
    if (wanted(purchase)) selected.push_back(&purchase);
  }
  std::sort(selected.begin(), selected.end(),
            [](const Purchase* a, const Purchase* b) { return a->id < b->id; });
  return selected;
}

// Without a requested currency the columns must share one.
Currency single_currency(const std::vector<const Purchase*>& purchases) {
  std::set<std::string_view> codes;
  for (const Purchase* p : purchases) codes.insert(p->amount.currency().code());
  if (codes.size() > 1) {
    rules::throw_mixed_currencies(std::vector<std::string>(codes.begin(), codes.end()));
  }
  return purchases.empty() ? Currency{} : purchases.front()->amount.currency();
}

// A page of the records matching `query` in id order, read through `candidates` (the narrowest
// index the query's filters allow) or, when there is none, through the whole table.
template <class T, class Query>
Page<T, IdOf<T>> page_in_id_order(const Db& db, const Query& query,
                                  const std::set<IdOf<T>>* candidates) {
  PageBuilder<T, IdOf<T>> page(query.limit);
  const auto visit = [&](IdOf<T> id) {
    const T& record = *db.find<T>(id);
    return !matches(record, query) || page.offer(record, id);
  };
  if (candidates) {
    ids_after(*candidates, query.after, visit);
  } else {
    ids_after(db.table<T>().rows, query.after, visit);
  }
  return page.finish();
}

// ---------------------------------------------------------------------------------------------
// The shape every write of one kind of record shares.

template <class T>
concept Versioned = requires(T record) { record.version; };

template <class T>
std::optional<T> copy_of(Db& db, IdOf<T> id) {
  const std::lock_guard lock(db.mutex);
  const T* record = db.find<T>(id);
  return record ? std::optional(*record) : std::nullopt;
}

// Stores `given` as a new record once `check(indexes, record)` accepts it; the given id and
// version are ignored.
template <class T, class Check>
T insert_new(Db& db, const T& given, Check&& check) {
  return db.atomically([&] {
    T record = given;
    record.id = IdOf<T>{};
    record.version = 0;
    IndexLookup indexes(db);
    check(indexes, record);
    record.id = db.next_id<T>();
    record.version = 1;
    db.put(record);
    return record;
  });
}

// Replaces the stored record once its version is confirmed and `check(indexes, stored)` accepts
// the change.
template <class T, class Check>
T replace_stored(Db& db, const T& updated, std::string_view entity, Check&& check) {
  return db.atomically([&] {
    const T& stored = existing<T>(db, updated.id, entity);
    rules::check_version(entity, updated.id.value(), updated.version, stored.version);
    IndexLookup indexes(db);
    check(indexes, stored);
    T record = updated;
    record.version = stored.version + 1;
    db.put(record);
    return record;
  });
}

// Stores checked new records under consecutive ids, then gives the caller's records (`given`,
// untouched until everything is stored) those ids.
template <class T>
void append_new(Db& db, std::vector<T> records, std::span<T> given) {
  for (T& record : records) {
    record.id = db.next_id<T>();
    if constexpr (Versioned<T>) record.version = 1;
  }
  const std::int64_t first = records.empty() ? 0 : records.front().id.value();
  db.append(std::move(records));
  for (std::size_t i = 0; i < given.size(); ++i) {
    given[i].id = IdOf<T>{first + static_cast<std::int64_t>(i)};
    if constexpr (Versioned<T>) given[i].version = 1;
  }
}

// Erases the record once `check(indexes, id)` allows it; false when there is none.
template <class T, class Check>
bool remove_stored(Db& db, IdOf<T> id, Check&& check) {
  return db.atomically([&] {
    if (!db.find<T>(id)) return false;
    IndexLookup indexes(db);
    check(indexes, id);
    db.erase<T>(id);
    return true;
  });
}

// Interactions and purchases are not referred to by anything: they can always go.
constexpr auto always_removable = [](const IndexLookup&, auto) {};

}  // namespace

struct MemoryStore::State {
  Db db;
};

MemoryStore::MemoryStore() : state_(std::make_unique<State>()) {}
MemoryStore::~MemoryStore() = default;

std::string_view MemoryStore::backend() const noexcept { return backend_name; }

Transaction MemoryStore::begin() {
  return Transaction(std::make_unique<MemoryTransaction>(state_->db));
}

// ---------------------------------------------------------------------------------------------
// Customers

Customer MemoryStore::insert_customer(const Customer& customer) {
  return insert_new(state_->db, customer, [](IndexLookup& indexes, const Customer& record) {
    validate(record);
    rules::check_customer_references(indexes, record);
    rules::check_external_ref_free(indexes, record, CustomerId{});
  });
}

Customer MemoryStore::update_customer(const Customer& customer) {
  const auto check = [&](IndexLookup& indexes, const Customer& stored) {
    validate(customer);
    rules::check_customer_references(indexes, customer);
    rules::check_external_ref_free(indexes, customer, customer.id);
    rules::check_kind_change(indexes, stored.kind, customer);
  };
  return replace_stored(state_->db, customer, "customer", check);
}

std::optional<Customer> MemoryStore::get_customer(CustomerId id) {
  return copy_of<Customer>(state_->db, id);
}

CustomerPage MemoryStore::find_customers(const CustomerQuery& query) {
  rules::check_limit(query.limit);
  Db& db = state_->db;
  const std::lock_guard lock(db.mutex);
  return page_in_id_order<Customer>(
      db, query,
      narrowest<CustomerId>(
          {query.owner ? &lookup(db.customers_by_owner, *query.owner) : nullptr,
           query.tag ? &lookup(db.customers_by_tag, *query.tag) : nullptr}));
}

std::optional<Customer> MemoryStore::find_customer_by_external_ref(std::string_view external_ref) {
  Db& db = state_->db;
  const std::lock_guard lock(db.mutex);
  const auto it = db.customer_by_external_ref.find(std::string(external_ref));
  if (it == db.customer_by_external_ref.end()) return std::nullopt;
  return *db.find<Customer>(it->second);
}

std::vector<Customer> MemoryStore::find_customers_by_email(const Email& email) {
  Db& db = state_->db;
  const std::lock_guard lock(db.mutex);
  return live_customers(db, lookup(db.customers_by_email, email.lookup_key()));
}

std::vector<Customer> MemoryStore::find_customers_by_phone(const Phone& phone) {
  Db& db = state_->db;
  const std::lock_guard lock(db.mutex);
  return live_customers(db, lookup(db.customers_by_phone, phone.str()));
}

bool MemoryStore::remove_customer(CustomerId id) {
  return remove_stored<Customer>(state_->db, id, rules::check_customer_removable);
}

// ---------------------------------------------------------------------------------------------
// Interactions

Interaction MemoryStore::insert_interaction(const Interaction& interaction) {
  return insert_new(state_->db, interaction, [](IndexLookup& indexes, const Interaction& record) {
    rules::check_interaction(indexes, record);
  });
}

void MemoryStore::append_interactions(std::span<Interaction> interactions) {
  Db& db = state_->db;
  db.atomically([&] {
    std::vector<Interaction> records(interactions.begin(), interactions.end());
    IndexLookup indexes(db);
    for (std::size_t i = 0; i < records.size(); ++i) {
      records[i].version = 0;  // inserts ignore the given version
      rules::check_interaction(indexes, records[i], i);
    }
    append_new(db, std::move(records), interactions);
  });
}

Interaction MemoryStore::update_interaction(const Interaction& interaction) {
  const auto check = [&](IndexLookup& indexes, const Interaction&) {
    rules::check_interaction(indexes, interaction);
  };
  return replace_stored(state_->db, interaction, "interaction", check);
}

std::optional<Interaction> MemoryStore::get_interaction(InteractionId id) {
  return copy_of<Interaction>(state_->db, id);
}

InteractionPage MemoryStore::find_interactions(const InteractionQuery& query) {
  rules::check_limit(query.limit);
  Db& db = state_->db;
  const std::lock_guard lock(db.mutex);
  const std::set<TimeKey>* keys = narrowest<TimeKey>(
      {query.customer ? &lookup(db.interactions_by_customer, *query.customer) : nullptr,
       query.deal ? &lookup(db.interactions_by_deal, *query.deal) : nullptr});
  const auto wanted = [&](const Interaction& i) {
    return (!query.deal || i.deal == query.deal) &&
           (!query.customer || std::find(i.customers.begin(), i.customers.end(),
                                         *query.customer) != i.customers.end());
  };
  PageBuilder<Interaction, TimeKey> page(query.limit);
  newest_first(keys ? *keys : db.interactions_by_time, query.before, query.since,
               [&](const TimeKey& key) {
                 const Interaction& interaction = *db.find<Interaction>(InteractionId{key.id});
                 return !wanted(interaction) || page.offer(interaction, key);
               });
  return page.finish();
}

bool MemoryStore::remove_interaction(InteractionId id) {
  return remove_stored<Interaction>(state_->db, id, always_removable);
}

// ---------------------------------------------------------------------------------------------
// Pipelines

Pipeline MemoryStore::insert_pipeline(const Pipeline& pipeline) {
  return insert_new(state_->db, pipeline,
                    [](IndexLookup&, const Pipeline& record) { validate(record); });
}

Pipeline MemoryStore::update_pipeline(const Pipeline& pipeline) {
  Db& db = state_->db;
  return replace_stored(db, pipeline, "pipeline", [&](IndexLookup&, const Pipeline&) {
    validate(pipeline);
    for (const DealId id : lookup(db.deals_by_pipeline, pipeline.id)) {
      rules::check_pipeline_keeps(pipeline, *db.find<Deal>(id));
    }
  });
}

std::optional<Pipeline> MemoryStore::get_pipeline(PipelineId id) {
  return copy_of<Pipeline>(state_->db, id);
}

std::vector<Pipeline> MemoryStore::list_pipelines() {
  Db& db = state_->db;
  const std::lock_guard lock(db.mutex);
  std::vector<Pipeline> pipelines;
  for (const auto& [id, pipeline] : db.table<Pipeline>().rows) pipelines.push_back(pipeline);
  return pipelines;
}

bool MemoryStore::remove_pipeline(PipelineId id) {
  return remove_stored<Pipeline>(state_->db, id, rules::check_pipeline_removable);
}

// ---------------------------------------------------------------------------------------------
// Deals

Deal MemoryStore::insert_deal(const Deal& deal) {
  return insert_new(state_->db, deal, rules::check_deal);
}

Deal MemoryStore::update_deal(const Deal& deal) {
  return replace_stored(state_->db, deal, "deal", [&](IndexLookup& indexes, const Deal&) {
    rules::check_deal(indexes, deal);
  });
}

std::optional<Deal> MemoryStore::get_deal(DealId id) { return copy_of<Deal>(state_->db, id); }

DealPage MemoryStore::find_deals(const DealQuery& query) {
  rules::check_limit(query.limit);
  Db& db = state_->db;
  const std::lock_guard lock(db.mutex);
  return page_in_id_order<Deal>(
      db, query,
      narrowest<DealId>(
          {query.customer ? &lookup(db.deals_by_customer, *query.customer) : nullptr,
           query.pipeline ? &lookup(db.deals_by_pipeline, *query.pipeline) : nullptr}));
}

bool MemoryStore::remove_deal(DealId id) {
  return remove_stored<Deal>(state_->db, id, rules::check_deal_removable);
}

// ---------------------------------------------------------------------------------------------
// Purchases

void MemoryStore::append_purchases(std::span<Purchase> purchases) {
  Db& db = state_->db;
  db.atomically([&] {
    IndexLookup indexes(db);
    rules::PurchaseChecker checker(indexes);
    for (std::size_t i = 0; i < purchases.size(); ++i) checker.check(purchases[i], i);
    append_new(db, std::vector<Purchase>(purchases.begin(), purchases.end()), purchases);
  });
}

std::optional<Purchase> MemoryStore::get_purchase(PurchaseId id) {
  return copy_of<Purchase>(state_->db, id);
}

PurchasePage MemoryStore::find_purchases(const PurchaseQuery& query) {
  rules::check_limit(query.limit);
  Db& db = state_->db;
  const std::lock_guard lock(db.mutex);
  const std::set<TimeKey>& keys = query.customer
                                      ? lookup(db.purchases_by_customer, *query.customer)
                                      : db.purchases_by_time;
  PageBuilder<Purchase, TimeKey> page(query.limit);
  newest_first(keys, query.before, query.since, [&](const TimeKey& key) {
    return page.offer(*db.find<Purchase>(PurchaseId{key.id}), key);
  });
  return page.finish();
}

PurchaseColumns MemoryStore::scan_purchases(const PurchaseScan& scan) {
  Db& db = state_->db;
  const std::lock_guard lock(db.mutex);
  const std::vector<const Purchase*> selected = purchases_in(db, scan);
  PurchaseColumns columns;
  columns.currency = scan.currency ? *scan.currency : single_currency(selected);
  columns.customer_ids.reserve(selected.size());
  columns.times_us.reserve(selected.size());
  columns.amounts_minor.reserve(selected.size());
  for (const Purchase* p : selected) {
    columns.customer_ids.push_back(p->customer.value());
    columns.times_us.push_back(p->occurred_at.time_since_epoch().count());
    columns.amounts_minor.push_back(p->amount.minor_units());
  }
  return columns;
}

bool MemoryStore::remove_purchase(PurchaseId id) {
  return remove_stored<Purchase>(state_->db, id, always_removable);
}

StoreCounts MemoryStore::counts() {
  Db& db = state_->db;
  const std::lock_guard lock(db.mutex);
  const auto size_of = [](const auto& table) {
    return static_cast<std::int64_t>(table.rows.size());
  };
  StoreCounts counts;
  counts.customers = size_of(db.table<Customer>()) - db.deleted_customers;
  counts.deleted_customers = db.deleted_customers;
  counts.interactions = size_of(db.table<Interaction>());
  counts.pipelines = size_of(db.table<Pipeline>());
  counts.deals = size_of(db.table<Deal>());
  counts.purchases = size_of(db.table<Purchase>());
  return counts;
}

}  // namespace crmkit::storage
