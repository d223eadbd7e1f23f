#include "crmkit/crm/crm.hpp"

#include <algorithm>
#include <iterator>
#include <limits>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <boost/signals2.hpp>
#include <fmt/format.h>

#include "crmkit/core/error.hpp"

namespace crmkit {

namespace {

// A Subscription's hold on one handler of the Crm's signal. scoped_connection disconnects on
// destruction, so a Subscription that outlives its Crm stays safe: boost tracks the signal's life.
class SignalConnection final : public Subscription::Connection {
 public:
  explicit SignalConnection(boost::signals2::connection connection) : connection_(connection) {}
  void disconnect() noexcept override { connection_.disconnect(); }
  [[nodiscard]] bool connected() const noexcept override { return connection_.connected(); }

 private:
  boost::signals2::scoped_connection connection_;
};

using EventBuffer = std::vector<Event>;

// --- references and contact points -----------------------------------------------------------

// The facade refuses links to soft-deleted customers, which a store accepts; having looked the
// customer up, it reports unknown ones too, in the same words.
Customer require_live_customer(storage::Store& store, CustomerId id, const std::string& field) {
  auto customer = store.get_customer(id);
  if (!customer) {
    throw ValidationError(field, id.to_string(), "refers to an unknown customer");
  }
  if (customer->deleted()) {
    throw ValidationError(field, id.to_string(), "refers to a deleted customer");
  }
  return *customer;
}

template <class ContactPoint>
void default_primary(std::vector<ContactPoint>& points) {
  const bool has_primary = std::any_of(points.begin(), points.end(),
                                       [](const ContactPoint& point) { return point.primary; });
  if (!points.empty() && !has_primary) {
    points.front().primary = true;
  }
}

void default_primaries(Customer& customer) {
  default_primary(customer.emails);
  default_primary(customer.phones);
  default_primary(customer.addresses);
}

// --- deals ------------------------------------------------------------------------------------

std::string describe(const Pipeline& pipeline) {
  return fmt::format("pipeline {} (id {})", quote_value(pipeline.name), pipeline.id.value());
}

const Stage& require_stage(const Pipeline& pipeline, std::string_view key, const std::string& field) {
  const Stage* stage = pipeline.find_stage(key);
  if (stage == nullptr) {
    throw ValidationError(field, std::string(key), "is not a stage of " + describe(pipeline));
  }
  return *stage;
}

bool is_closed(const Deal& deal) noexcept { return deal.won_at || deal.lost_at; }

// Puts the close fields of `deal` in line with the category of the stage it just entered at `at`.
void apply_stage_category(Deal& deal, StageCategory category, Timestamp at,
                          const std::string& lost_reason) {
  switch (category) {
    case StageCategory::won:
      deal.probability = 1.0;
      deal.won_at = at;
      deal.lost_at.reset();
      deal.lost_reason.clear();
      break;
    case StageCategory::lost:
      // A lost deal is worth nothing, whatever override it carried while open.
      deal.probability = 0.0;
      deal.lost_at = at;
      deal.lost_reason = lost_reason;
      deal.won_at.reset();
      break;
    case StageCategory::open:
      if (is_closed(deal)) {
        deal.probability.reset();
        deal.won_at.reset();
        deal.lost_at.reset();
        deal.lost_reason.clear();
      }
      break;
  }
}

void push_close_event(EventBuffer& events, const Deal& deal, StageCategory category) {
  if (category == StageCategory::won) {
    events.emplace_back(DealWon{deal});
  } else if (category == StageCategory::lost) {
    events.emplace_back(DealLost{deal});
  }
}

std::string format_optional(const std::optional<Timestamp>& at) {
  return at ? format_timestamp(*at) : std::string();
}

// update_deal() may not touch what only move_deal() keeps consistent.
void require_unchanged_stage_fields(const Deal& stored, const Deal& changed) {
  constexpr std::string_view rule = "changes only through move_deal";
  if (changed.pipeline != stored.pipeline) {
    throw ValidationError("deal.pipeline", changed.pipeline.to_string(),
                          "cannot change once the deal is opened");
  }
  if (changed.stage != stored.stage) {
    throw ValidationError("deal.stage", changed.stage, std::string(rule));
  }
  if (changed.history != stored.history) {
    throw ValidationError("deal.history", fmt::format("{} entries", changed.history.size()),
                          std::string(rule));
  }
  if (changed.won_at != stored.won_at) {
    throw ValidationError("deal.won_at", format_optional(changed.won_at), std::string(rule));
  }
  if (changed.lost_at != stored.lost_at) {
    throw ValidationError("deal.lost_at", format_optional(changed.lost_at), std::string(rule));
  }
  if (changed.lost_reason != stored.lost_reason) {
    throw ValidationError("deal.lost_reason", changed.lost_reason, std::string(rule));
  }
}

// --- paging -----------------------------------------------------------------------------------

void require_page_size(std::size_t limit, const std::string& field) {
  if (limit < 1 || limit > storage::max_page_size) {
    throw ValidationError(field, std::to_string(limit),
                          fmt::format("is not between 1 and {}", storage::max_page_size));
  }
}

std::vector<Deal> all_deals(storage::Store& store, storage::DealQuery query) {
  query.limit = storage::max_page_size;
  std::vector<Deal> deals;
  while (true) {
    auto page = store.find_deals(query);
    deals.insert(deals.end(), std::make_move_iterator(page.items.begin()),
                 std::make_move_iterator(page.items.end()));
    if (!page.next || page.items.empty()) {
      return deals;
    }
    query.after = page.next;
  }
}

// --- timeline ---------------------------------------------------------------------------------

// True when `a` comes before `b` in timeline order: newest first, then kind, then id and
// sequence descending.
bool precedes(const TimelineCursor& a, const TimelineCursor& b) noexcept {
  if (a.at != b.at) {
    return a.at > b.at;
  }
  if (a.kind != b.kind) {
    return a.kind < b.kind;
  }
  if (a.id != b.id) {
    return a.id > b.id;
  }
  return a.sequence > b.sequence;
}

// The keyset bound that selects, from a source of one kind ordered by (time, id) descending,
// exactly the records that follow `cursor` in timeline order. Ids are positive, so an id of 0
// excludes the cursor's time and the largest id includes all of it.
std::optional<storage::TimeKey> source_bound(const std::optional<TimelineCursor>& cursor,
                                             TimelineKind kind) {
  if (!cursor) {
    return std::nullopt;
  }
  if (kind < cursor->kind) {
    return storage::TimeKey{cursor->at, 0};
  }
  if (kind > cursor->kind) {
    return storage::TimeKey{cursor->at, std::numeric_limits<std::int64_t>::max()};
  }
  return storage::TimeKey{cursor->at, cursor->id};
}

TimelineEntry make_entry(Interaction interaction) {
  const Timestamp at = interaction.occurred_at;
  return TimelineEntry{at, TimelineKind::interaction, std::move(interaction)};
}

TimelineEntry make_entry(Purchase purchase) {
  const Timestamp at = purchase.occurred_at;
  return TimelineEntry{at, TimelineKind::purchase, std::move(purchase)};
}

TimelineEntry make_entry(DealEvent event) {
  const Timestamp at = event.change.at;
  return TimelineEntry{at, TimelineKind::deal_event, std::move(event)};
}

bool entry_precedes(const TimelineEntry& a, const TimelineEntry& b) {
  return precedes(a.cursor(), b.cursor());
}

// Adds to `entries` up to `fetch` records of the customer from one time-ordered source (`find`
// reads a page of it for a query such as storage::InteractionQuery), the newest that follow
// `after` in timeline order. True when the source holds more than it gave.
template <class Query, class Find>
bool add_source_entries(std::vector<TimelineEntry>& entries, CustomerId customer,
                        const std::optional<TimelineCursor>& after, TimelineKind kind,
                        std::size_t fetch, Find&& find) {
  Query query;
  query.customer = customer;
  query.before = source_bound(after, kind);
  query.limit = fetch;
  auto page = find(query);
  for (auto& record : page.items) entries.push_back(make_entry(std::move(record)));
  return page.items.size() == fetch && page.next.has_value();
}

}  // namespace

// --- Impl -------------------------------------------------------------------------------------

struct Crm::Impl {
  std::shared_ptr<storage::Store> store;
  CrmOptions options;
  boost::signals2::signal<void(const Event&)> signal;

  // Event buffers of the Crm transactions active on each thread, innermost last.
  std::mutex buffers_mutex;
  std::unordered_map<std::thread::id, std::vector<EventBuffer*>> buffers;

  Timestamp now() const { return options.clock(); }

  // Queues `events` in the innermost Crm transaction of this thread, or publishes them when
  // there is none. Called once the write that caused them has committed (or been savepointed).
  void emit(EventBuffer events) {
    {
      std::lock_guard lock(buffers_mutex);
      auto stack = buffers.find(std::this_thread::get_id());
      if (stack != buffers.end() && !stack->second.empty()) {
        EventBuffer& target = *stack->second.back();
        std::move(events.begin(), events.end(), std::back_inserter(target));
        return;
      }
    }
    publish(events);
  }

  void publish(const EventBuffer& events) {
    for (const Event& event : events) {
      signal(event);
    }
  }

  void push_buffer(EventBuffer& buffer) {
    std::lock_guard lock(buffers_mutex);
    buffers[std::this_thread::get_id()].push_back(&buffer);
  }

  // Removes `buffer` from its thread's stack; returns the buffer of the enclosing Crm transaction,
  // or nullptr when `buffer` belonged to the outermost one.
  EventBuffer* pop_buffer(const EventBuffer& buffer, std::thread::id thread) {
    std::lock_guard lock(buffers_mutex);
    auto stack = buffers.find(thread);
    if (stack == buffers.end()) {
      return nullptr;
    }
    auto& entries = stack->second;
    auto position = std::find(entries.begin(), entries.end(), &buffer);
    if (position == entries.end()) {
      return nullptr;
    }
    EventBuffer* parent = position == entries.begin() ? nullptr : *std::prev(position);
    entries.erase(position);
    if (entries.empty()) {
      buffers.erase(stack);
    }
    return parent;
  }

  void append_to(EventBuffer& parent, EventBuffer&& events) {
    std::lock_guard lock(buffers_mutex);
    std::move(events.begin(), events.end(), std::back_inserter(parent));
  }

  Pipeline require_pipeline(PipelineId id) {
    auto pipeline = store->get_pipeline(id);
    if (!pipeline) {
      throw NotFoundError("pipeline", id.to_string());
    }
    return *pipeline;
  }

  Deal require_deal(DealId id) {
    auto deal = store->get_deal(id);
    if (!deal) {
      throw NotFoundError("deal", id.to_string());
    }
    return *deal;
  }

  Customer require_customer(CustomerId id) {
    auto customer = store->get_customer(id);
    if (!customer) {
      throw NotFoundError("customer", id.to_string());
    }
    return *customer;
  }

  // A deal's customer and contacts must be live. On update only new links are checked, so a deal
  // whose customer was deleted since can still be edited; unset ids are left to validation.
  void check_deal_parties(const Deal& deal, const Deal* stored) {
    if (deal.customer.valid() && (stored == nullptr || stored->customer != deal.customer)) {
      require_live_customer(*store, deal.customer, "deal.customer");
    }
    for (std::size_t i = 0; i < deal.contacts.size(); ++i) {
      const CustomerId person = deal.contacts[i].person;
      const bool known = stored != nullptr &&
                         std::any_of(stored->contacts.begin(), stored->contacts.end(),
                                     [&](const DealContact& c) { return c.person == person; });
      if (person.valid() && !known) {
        require_live_customer(*store, person, fmt::format("deal.contacts[{}].person", i));
      }
    }
  }

  // The entries of the deals' histories that follow `cursor` (all of them without one), unsorted.
  std::vector<TimelineEntry> deal_events(const std::vector<Deal>& deals,
                                         const std::optional<TimelineCursor>& cursor) {
    std::map<PipelineId, std::optional<Pipeline>> pipelines;
    std::vector<TimelineEntry> entries;
    for (const Deal& deal : deals) {
      auto cached = pipelines.find(deal.pipeline);
      if (cached == pipelines.end()) {
        cached = pipelines.emplace(deal.pipeline, store->get_pipeline(deal.pipeline)).first;
      }
      for (std::size_t i = 0; i < deal.history.size(); ++i) {
        const StageChange& change = deal.history[i];
        const TimelineCursor key{change.at, TimelineKind::deal_event, deal.id.value(), i};
        if (cursor && !precedes(*cursor, key)) {
          continue;
        }
        DealEvent event{deal.id, deal.title, StageCategory::open, change, i};
        if (cached->second) {
          if (const Stage* stage = cached->second->find_stage(change.to)) {
            event.category = stage->category;
          }
        }
        entries.push_back(make_entry(std::move(event)));
      }
    }
    return entries;
  }
};

// --- Transaction ------------------------------------------------------------------------------

struct Crm::Transaction::State {
  Crm::Impl* impl;
  storage::Transaction transaction;
  std::thread::id thread = std::this_thread::get_id();
  EventBuffer events;
  bool finished = false;
};

Crm::Transaction::Transaction(std::unique_ptr<State> state) noexcept : state_(std::move(state)) {}

Crm::Transaction::Transaction(Transaction&&) noexcept = default;

Crm::Transaction& Crm::Transaction::operator=(Transaction&& other) noexcept {
  if (this != &other) {
    rollback();
    state_ = std::move(other.state_);
  }
  return *this;
}

Crm::Transaction::~Transaction() { rollback(); }

void Crm::Transaction::commit() {
  if (!active()) {
    const std::string backend = state_ ? std::string(state_->impl->store->backend()) : "unknown";
    throw StorageError(StorageError::Kind::transaction, backend,
                       "cannot commit a Crm transaction that is no longer active "
                       "(already committed, rolled back or moved from)");
  }
  State& state = *state_;
  state.finished = true;
  // Out of the thread's stack first: whatever happens to the commit, this buffer is done.
  EventBuffer* parent = state.impl->pop_buffer(state.events, state.thread);
  EventBuffer events = std::move(state.events);
  state.transaction.commit();
  if (parent != nullptr) {
    state.impl->append_to(*parent, std::move(events));
  } else {
    state.impl->publish(events);
  }
}

void Crm::Transaction::rollback() noexcept {
  if (!active()) {
    return;
  }
  state_->finished = true;
  state_->impl->pop_buffer(state_->events, state_->thread);
  state_->events.clear();
  state_->transaction.rollback();
}

bool Crm::Transaction::active() const noexcept { return state_ != nullptr && !state_->finished; }

// --- Crm --------------------------------------------------------------------------------------

Crm::Crm(std::shared_ptr<storage::Store> store, CrmOptions options) : impl_(std::make_unique<Impl>()) {
  if (!store) {
    throw ValidationError("store", "null", "must not be null");
  }
  if (!options.default_region.empty() && Phone::calling_code(options.default_region).empty()) {
    throw ValidationError("options.default_region", options.default_region,
                          "is not a known ISO 3166 alpha-2 region");
  }
  if (!options.clock) {
    options.clock = &crmkit::now;
  }
  impl_->store = std::move(store);
  impl_->options = std::move(options);
}

Crm::~Crm() = default;

storage::Store& Crm::store() noexcept { return *impl_->store; }

Crm::Transaction Crm::transaction() {
  auto state = std::make_unique<Transaction::State>(
      Transaction::State{impl_.get(), impl_->store->begin(), std::this_thread::get_id(), {}, false});
  impl_->push_buffer(state->events);
  return Transaction(std::move(state));
}

// --- customers --------------------------------------------------------------------------------

Customer Crm::create_customer(Customer customer) {
  default_primaries(customer);
  customer.created_at = customer.updated_at = impl_->now();
  Customer stored = impl_->store->insert_customer(customer);
  impl_->emit({CustomerCreated{stored}});
  return stored;
}

Customer Crm::update_customer(Customer customer) {
  auto transaction = impl_->store->begin();
  Customer before = impl_->require_customer(customer.id);
  default_primaries(customer);
  customer.created_at = before.created_at;
  customer.deleted_at = before.deleted_at;
  customer.updated_at = impl_->now();
  Customer stored = impl_->store->update_customer(customer);
  transaction.commit();
  impl_->emit({CustomerUpdated{std::move(before), stored}});
  return stored;
}

Customer Crm::customer(CustomerId id) { return impl_->require_customer(id); }

std::optional<Customer> Crm::find_customer(CustomerId id) { return impl_->store->get_customer(id); }

std::vector<Customer> Crm::find_by_email(std::string_view email) {
  return impl_->store->find_customers_by_email(Email(email, "email"));
}

std::vector<Customer> Crm::find_by_phone(std::string_view phone) {
  return impl_->store->find_customers_by_phone(
      Phone(phone, impl_->options.default_region, "phone"));
}

std::optional<Customer> Crm::find_by_external_ref(std::string_view external_ref) {
  return impl_->store->find_customer_by_external_ref(external_ref);
}

storage::CustomerPage Crm::customers(const storage::CustomerQuery& query) {
  return impl_->store->find_customers(query);
}

Customer Crm::delete_customer(CustomerId id) {
  auto transaction = impl_->store->begin();
  Customer customer = impl_->require_customer(id);
  if (customer.deleted()) {
    throw ValidationError("customer.id", id.to_string(),
                          "is already deleted (since " + format_timestamp(*customer.deleted_at) + ")");
  }
  customer.deleted_at = customer.updated_at = impl_->now();
  Customer stored = impl_->store->update_customer(customer);
  transaction.commit();
  impl_->emit({CustomerDeleted{stored}});
  return stored;
}

Customer Crm::restore_customer(CustomerId id) {
  auto transaction = impl_->store->begin();
  Customer before = impl_->require_customer(id);
  if (!before.deleted()) {
    throw ValidationError("customer.id", id.to_string(), "is not deleted");
  }
  Customer customer = before;
  customer.deleted_at.reset();
  customer.updated_at = impl_->now();
  Customer stored = impl_->store->update_customer(customer);
  transaction.commit();
  impl_->emit({CustomerUpdated{std::move(before), stored}});
  return stored;
}

// --- interactions and timeline ----------------------------------------------------------------

Interaction Crm::log_interaction(Interaction interaction) {
  const Timestamp now = impl_->now();
  if (interaction.occurred_at == Timestamp{}) {
    interaction.occurred_at = now;
  }
  interaction.created_at = now;
  auto transaction = impl_->store->begin();
  for (std::size_t i = 0; i < interaction.customers.size(); ++i) {
    if (interaction.customers[i].valid()) {
      require_live_customer(*impl_->store, interaction.customers[i],
                            fmt::format("interaction.customers[{}]", i));
    }
  }
  if (interaction.deal && interaction.deal->valid() && !impl_->store->get_deal(*interaction.deal)) {
    throw ValidationError("interaction.deal", interaction.deal->to_string(),
                          "refers to an unknown deal");
  }
  Interaction stored = impl_->store->insert_interaction(interaction);
  transaction.commit();
  impl_->emit({InteractionLogged{stored}});
  return stored;
}

storage::InteractionPage Crm::interactions(CustomerId customer,
                                           std::optional<storage::TimeKey> before,
                                           std::size_t limit) {
  require_page_size(limit, "limit");
  impl_->require_customer(customer);
  storage::InteractionQuery query;
  query.customer = customer;
  query.before = before;
  query.limit = limit;
  return impl_->store->find_interactions(query);
}

TimelinePage Crm::timeline(CustomerId customer, const TimelineRequest& request) {
  require_page_size(request.limit, "limit");
  storage::Store& store = *impl_->store;
  // One read transaction, so the three sources show the same state of the store.
  auto transaction = store.begin();
  impl_->require_customer(customer);

  // Reading one more than the page from each source tells whether anything follows the page.
  const std::size_t fetch = std::min(request.limit + 1, storage::max_page_size);
  bool source_truncated = false;
  std::vector<TimelineEntry> entries;

  source_truncated |= add_source_entries<storage::InteractionQuery>(
      entries, customer, request.before, TimelineKind::interaction, fetch,
      [&](const storage::InteractionQuery& query) { return store.find_interactions(query); });
  source_truncated |= add_source_entries<storage::PurchaseQuery>(
      entries, customer, request.before, TimelineKind::purchase, fetch,
      [&](const storage::PurchaseQuery& query) { return store.find_purchases(query); });

  storage::DealQuery deals;
  deals.customer = customer;
  auto deal_entries = impl_->deal_events(all_deals(store, deals), request.before);
  std::move(deal_entries.begin(), deal_entries.end(), std::back_inserter(entries));
  transaction.commit();

  std::sort(entries.begin(), entries.end(), entry_precedes);
  TimelinePage page;
  const bool more = entries.size() > request.limit || source_truncated;
  if (entries.size() > request.limit) {
    entries.resize(request.limit);
  }
  page.entries = std::move(entries);
  if (more && !page.entries.empty()) {
    page.next = page.entries.back().cursor();
  }
  return page;
}

// --- pipelines and deals ----------------------------------------------------------------------

Pipeline Crm::create_pipeline(Pipeline pipeline) {
  pipeline.created_at = pipeline.updated_at = impl_->now();
  return impl_->store->insert_pipeline(pipeline);
}

Pipeline Crm::pipeline(PipelineId id) { return impl_->require_pipeline(id); }

std::vector<Pipeline> Crm::pipelines() { return impl_->store->list_pipelines(); }

Deal Crm::open_deal(Deal deal, std::string_view by) {
  const Timestamp now = impl_->now();
  auto transaction = impl_->store->begin();
  const Pipeline pipeline = impl_->require_pipeline(deal.pipeline);
  if (deal.stage.empty()) {
    const Stage* first_open = pipeline.first_open_stage();
    if (first_open == nullptr) {
      throw ValidationError("deal.pipeline", deal.pipeline.to_string(), "has no open stage");
    }
    deal.stage = first_open->key;
  }
  const Stage& stage = require_stage(pipeline, deal.stage, "deal.stage");
  if (stage.category == StageCategory::lost && deal.lost_reason.empty()) {
    throw ValidationError("deal.lost_reason", deal.lost_reason,
                          "must not be empty when a deal is opened in a lost stage");
  }
  if (stage.category != StageCategory::lost && !deal.lost_reason.empty()) {
    throw ValidationError("deal.lost_reason", deal.lost_reason,
                          "must be empty unless the deal is opened in a lost stage");
  }
  impl_->check_deal_parties(deal, nullptr);

  const std::string lost_reason = deal.lost_reason;
  deal.won_at.reset();
  deal.lost_at.reset();
  deal.history = {StageChange{std::nullopt, deal.stage, now, std::string(by),
                              stage.category == StageCategory::lost ? lost_reason : std::string()}};
  apply_stage_category(deal, stage.category, now, lost_reason);
  deal.created_at = deal.updated_at = now;
  Deal stored = impl_->store->insert_deal(deal);
  transaction.commit();

  EventBuffer events{DealOpened{stored}};
  push_close_event(events, stored, stage.category);
  impl_->emit(std::move(events));
  return stored;
}

Deal Crm::update_deal(Deal deal) {
  auto transaction = impl_->store->begin();
  const Deal stored = impl_->require_deal(deal.id);
  require_unchanged_stage_fields(stored, deal);
  impl_->check_deal_parties(deal, &stored);
  deal.created_at = stored.created_at;
  deal.updated_at = impl_->now();
  Deal updated = impl_->store->update_deal(deal);
  transaction.commit();
  return updated;
}

Deal Crm::move_deal(DealId id, std::string_view to_stage, const MoveOptions& options) {
  const Timestamp now = impl_->now();
  auto transaction = impl_->store->begin();
  Deal deal = impl_->require_deal(id);
  const Pipeline pipeline = impl_->require_pipeline(deal.pipeline);
  const Stage& target = require_stage(pipeline, to_stage, "stage");
  if (target.key == deal.stage) {
    throw ValidationError("stage", target.key, "is already the deal's stage");
  }
  const Timestamp at = options.at.value_or(now);
  if (!deal.history.empty() && at < deal.history.back().at) {
    throw ValidationError("at", format_timestamp(at),
                          "is before the deal's last stage change at " +
                              format_timestamp(deal.history.back().at));
  }
  const bool into_lost = target.category == StageCategory::lost;
  if (into_lost && options.lost_reason.empty()) {
    throw ValidationError("lost_reason", options.lost_reason,
                          "must not be empty when moving into a lost stage");
  }

  StageChange change{deal.stage, target.key, at, options.by,
                     into_lost ? options.lost_reason : std::string()};
  deal.history.push_back(change);
  deal.stage = target.key;
  apply_stage_category(deal, target.category, at, options.lost_reason);
  deal.updated_at = now;
  Deal stored = impl_->store->update_deal(deal);
  transaction.commit();

  EventBuffer events{DealStageChanged{stored, std::move(change)}};
  push_close_event(events, stored, target.category);
  impl_->emit(std::move(events));
  return stored;
}

Deal Crm::deal(DealId id) { return impl_->require_deal(id); }

storage::DealPage Crm::deals(const storage::DealQuery& query) {
  return impl_->store->find_deals(query);
}

std::vector<PipelineValue> Crm::weighted_value(PipelineId pipeline) {
  const Pipeline loaded = impl_->require_pipeline(pipeline);
  storage::DealQuery query;
  query.pipeline = pipeline;
  query.status = storage::DealStatus::open;
  const auto deals = all_deals(*impl_->store, query);
  return crmkit::weighted_value(deals, loaded);
}

std::vector<CloseMonthValue> Crm::weighted_value_by_close_month(PipelineId pipeline) {
  const Pipeline loaded = impl_->require_pipeline(pipeline);
  storage::DealQuery query;
  query.pipeline = pipeline;
  query.status = storage::DealStatus::open;
  const auto deals = all_deals(*impl_->store, query);
  return crmkit::weighted_value_by_close_month(deals, loaded);
}

std::vector<StageTime> Crm::time_in_stage(DealId deal) {
  return crmkit::time_in_stage(impl_->require_deal(deal), impl_->now());
}

std::vector<StageTimeSummary> Crm::average_time_in_stage(PipelineId pipeline) {
  const Pipeline loaded = impl_->require_pipeline(pipeline);
  storage::DealQuery query;
  query.pipeline = pipeline;
  const auto deals = all_deals(*impl_->store, query);
  return crmkit::average_time_in_stage(deals, loaded, impl_->now());
}

// --- purchases --------------------------------------------------------------------------------

Purchase Crm::record_purchase(Purchase purchase) {
  auto transaction = impl_->store->begin();
  if (purchase.customer.valid()) {
    require_live_customer(*impl_->store, purchase.customer, "purchase.customer");
  }
  impl_->store->append_purchases(std::span<Purchase>(&purchase, 1));
  transaction.commit();
  return purchase;
}

void Crm::record_purchases(std::span<Purchase> purchases) {
  auto transaction = impl_->store->begin();
  // Bulk imports repeat customers: look each one up once.
  std::unordered_set<CustomerId> checked;
  for (std::size_t i = 0; i < purchases.size(); ++i) {
    const CustomerId customer = purchases[i].customer;
    if (customer.valid() && checked.insert(customer).second) {
      require_live_customer(*impl_->store, customer, fmt::format("purchases[{}].customer", i));
    }
  }
  impl_->store->append_purchases(purchases);
  transaction.commit();
}

// --- events -----------------------------------------------------------------------------------

Subscription Crm::subscribe(EventHandler handler) {
  // Each handler gets its own catching wrapper, so one that throws cannot stop the others
  // nor make a committed write look failed.
  auto guarded = [handler = std::move(handler)](const Event& event) {
    try {
      handler(event);
    } catch (...) {  // NOLINT(bugprone-empty-catch): ignoring is the documented contract
    }
  };
  return Subscription(
      std::make_unique<SignalConnection>(impl_->signal.connect(std::move(guarded))));
}

}  // namespace crmkit
