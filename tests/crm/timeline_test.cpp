// Timelines: entry summaries and cursors, and Crm::timeline() merging interactions, deal events
// and purchases newest first, page by page.

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <set>
#include <tuple>
#include <vector>

#include "crmkit/core/error.hpp"
#include "crmkit/crm/crm.hpp"
#include "support/crm_fixture.hpp"
#include "support/validation_matchers.hpp"

namespace {

using namespace crmkit;
using namespace std::chrono_literals;
using crmkit::test::person;
using crmkit::test::require_invalid;
using crmkit::test::t0;

// The Crm fixture with two customers and a pipeline.
struct Fixture : test::CrmFixture {
  Customer alice;
  Customer bob;
  Pipeline pipeline;

  Fixture() {
    alice = crm.create_customer(person("Alice"));
    bob = crm.create_customer(person("Bob"));
    Pipeline draft;
    draft.name = "New business";
    draft.stages = {Stage{"lead", "Lead", StageCategory::open, 0.1, std::nullopt},
                    Stage{"qualified", "Qualified", StageCategory::open, 0.3, std::nullopt},
                    Stage{"won", "Won", StageCategory::won, 1.0, std::nullopt},
                    Stage{"lost", "Lost", StageCategory::lost, 0.0, std::nullopt}};
    pipeline = crm.create_pipeline(draft);
  }

  Interaction log(CustomerId customer, Timestamp at, std::string subject) {
    Interaction interaction;
    interaction.channel = Channel::email;
    interaction.direction = Direction::inbound;
    interaction.customers = {customer};
    interaction.occurred_at = at;
    interaction.subject = std::move(subject);
    return crm.log_interaction(interaction);
  }

  Purchase buy(CustomerId customer, Timestamp at, std::int64_t cents) {
    return crm.record_purchase(test::purchase_of(customer, at, cents));
  }

  Deal open(CustomerId customer, Timestamp at, std::string title) {
    set_clock(at);
    return crm.open_deal(test::deal_draft(customer, pipeline.id, std::move(title)), "sam");
  }

  Deal move(DealId deal, Timestamp at, std::string_view stage, std::string reason = "") {
    MoveOptions options;
    options.at = at;
    options.by = "sam";
    options.lost_reason = std::move(reason);
    return crm.move_deal(deal, stage, options);
  }

  // Every entry of the customer's timeline, read `limit` at a time. A broken cursor could page
  // forever: more pages than these small histories can fill is a failure.
  std::vector<TimelineEntry> read_all(CustomerId customer, std::size_t limit) {
    std::vector<TimelineEntry> entries;
    TimelineRequest request;
    request.limit = limit;
    for (int pages = 1;; ++pages) {
      REQUIRE(pages <= 500);
      const TimelinePage page = crm.timeline(customer, request);
      REQUIRE(page.entries.size() <= limit);
      if (pages > 1) REQUIRE_FALSE(page.entries.empty());  // a cursor promised more
      if (page.next) REQUIRE(page.entries.size() == limit);
      entries.insert(entries.end(), page.entries.begin(), page.entries.end());
      if (!page.next) return entries;
      request.before = page.next;
    }
  }
};

// What identifies an entry, in an order where `<` means "comes before in the timeline".
auto order_key(const TimelineEntry& entry) {
  const TimelineCursor c = entry.cursor();
  return std::make_tuple(-c.at.time_since_epoch().count(), static_cast<int>(c.kind), -c.id,
                         -static_cast<std::int64_t>(c.sequence));
}

TimelineEntry interaction_entry(std::string subject, std::string outcome) {
  Interaction interaction;
  interaction.id = InteractionId(5);
  interaction.channel = Channel::email;
  interaction.direction = Direction::inbound;
  interaction.subject = std::move(subject);
  interaction.outcome = std::move(outcome);
  return TimelineEntry{t0, TimelineKind::interaction, interaction};
}

TimelineEntry deal_entry(std::optional<std::string> from, std::string to, std::string note) {
  DealEvent event{DealId(7), "ACME renewal", StageCategory::open,
                  StageChange{std::move(from), std::move(to), t0, "sam", std::move(note)}, 3};
  return TimelineEntry{t0, TimelineKind::deal_event, event};
}

TimelineEntry purchase_entry(std::string order, std::string product) {
  Purchase purchase;
  purchase.id = PurchaseId(9);
  purchase.amount = Money(12050, Currency("EUR"));
  purchase.order_ref = std::move(order);
  purchase.product_ref = std::move(product);
  return TimelineEntry{t0, TimelineKind::purchase, purchase};
}

}  // namespace

TEST_CASE("TimelineKind names", "[crm]") {
  CHECK(to_string(TimelineKind::interaction) == "interaction");
  CHECK(to_string(TimelineKind::deal_event) == "deal_event");
  CHECK(to_string(TimelineKind::purchase) == "purchase");
}

TEST_CASE("TimelineEntry::summary describes each kind on one line", "[crm]") {
  CHECK(interaction_entry("Intro call", "completed").summary() ==
        "email inbound \"Intro call\" (completed)");
  CHECK(interaction_entry("Re: quote", "").summary() == "email inbound \"Re: quote\"");
  CHECK(interaction_entry("", "no answer").summary() == "email inbound (no answer)");
  CHECK(deal_entry("qualified", "won", "").summary() == "deal \"ACME renewal\" qualified -> won");
  CHECK(deal_entry(std::nullopt, "lead", "").summary() == "deal \"ACME renewal\" opened in lead");
  CHECK(deal_entry("proposal", "lost", "price").summary() ==
        "deal \"ACME renewal\" proposal -> lost (price)");
  CHECK(purchase_entry("A-1001", "").summary() == "purchase 120.50 EUR order A-1001");
  CHECK(purchase_entry("", "").summary() == "purchase 120.50 EUR");
  CHECK(purchase_entry("A-1001", "SKU-7").summary() == "purchase 120.50 EUR order A-1001 product SKU-7");
}

TEST_CASE("TimelineEntry::cursor identifies the entry", "[crm]") {
  const TimelineCursor interaction = interaction_entry("x", "").cursor();
  CHECK(interaction.at == t0);
  CHECK(interaction.kind == TimelineKind::interaction);
  CHECK(interaction.id == 5);
  CHECK(interaction.sequence == 0);
  const TimelineCursor deal = deal_entry("a", "b", "").cursor();
  CHECK(deal.kind == TimelineKind::deal_event);
  CHECK(deal.id == 7);
  CHECK(deal.sequence == 3);
  const TimelineCursor purchase = purchase_entry("", "").cursor();
  CHECK(purchase.kind == TimelineKind::purchase);
  CHECK(purchase.id == 9);
}

TEST_CASE("timeline merges the three sources newest first", "[crm]") {
  Fixture f;
  const Interaction call = f.log(f.alice.id, t0 + 1h, "Intro call");
  const Deal deal = f.open(f.alice.id, t0 + 2h, "ACME renewal");
  const Purchase purchase = f.buy(f.alice.id, t0 + 3h, 12050);
  f.move(deal.id, t0 + 4h, "won");
  f.log(f.bob.id, t0 + 5h, "Bob's, not Alice's");
  f.buy(f.bob.id, t0 + 5h, 100);

  const TimelinePage page = f.crm.timeline(f.alice.id);
  CHECK_FALSE(page.next.has_value());
  REQUIRE(page.entries.size() == 4);
  CHECK(page.entries[0].summary() == "deal \"ACME renewal\" lead -> won");
  CHECK(page.entries[0].at == t0 + 4h);
  const auto& won = std::get<DealEvent>(page.entries[0].item);
  CHECK(won.category == StageCategory::won);
  CHECK(won.sequence == 1);
  CHECK(won.deal == deal.id);
  CHECK(std::get<Purchase>(page.entries[1].item) == purchase);
  CHECK(page.entries[2].kind == TimelineKind::deal_event);
  CHECK(std::get<DealEvent>(page.entries[2].item).category == StageCategory::open);
  CHECK(std::get<Interaction>(page.entries[3].item) == call);
}

TEST_CASE("timeline orders ties by kind, then id and sequence descending", "[crm]") {
  Fixture f;
  const Timestamp at = t0 + 1h;
  const Purchase p1 = f.buy(f.alice.id, at, 100);
  const Purchase p2 = f.buy(f.alice.id, at, 200);
  const Interaction i1 = f.log(f.alice.id, at, "first");
  const Deal d1 = f.open(f.alice.id, at, "one");
  f.move(d1.id, at, "qualified");
  const Deal d2 = f.open(f.alice.id, at, "two");
  const Interaction i2 = f.log(f.alice.id, at, "second");

  using Key = std::tuple<TimelineKind, std::int64_t, std::size_t>;
  const std::vector<Key> expected = {
      {TimelineKind::interaction, i2.id.value(), 0}, {TimelineKind::interaction, i1.id.value(), 0},
      {TimelineKind::deal_event, d2.id.value(), 0},  {TimelineKind::deal_event, d1.id.value(), 1},
      {TimelineKind::deal_event, d1.id.value(), 0},  {TimelineKind::purchase, p2.id.value(), 0},
      {TimelineKind::purchase, p1.id.value(), 0}};

  for (std::size_t limit : {1U, 2U, 3U, 50U}) {
    INFO("limit " << limit);
    std::vector<Key> keys;
    for (const TimelineEntry& entry : f.read_all(f.alice.id, limit)) {
      const TimelineCursor c = entry.cursor();
      CHECK(c.at == at);
      keys.emplace_back(c.kind, c.id, c.sequence);
    }
    CHECK(keys == expected);
  }
}

TEST_CASE("paging through a long mixed history yields every entry once, in order", "[crm]") {
  Fixture f;
  std::size_t expected_count = 0;
  // Times repeat on purpose (every 3 hours, sources interleaved) so that pages cut through ties.
  for (int i = 0; i < 40; ++i) {
    f.log(f.alice.id, t0 + std::chrono::hours{3 * (i / 3)}, "mail " + std::to_string(i));
    ++expected_count;
  }
  for (int i = 0; i < 25; ++i) {
    f.buy(f.alice.id, t0 + std::chrono::hours{3 * (i / 2)}, 100 * (i + 1));
    ++expected_count;
  }
  for (int d = 0; d < 4; ++d) {
    const Timestamp opened = t0 + std::chrono::hours{6 * d};
    const Deal deal = f.open(f.alice.id, opened, "deal " + std::to_string(d));
    f.move(deal.id, opened + 3h, "qualified");
    f.move(deal.id, opened + 3h, "lost", "no budget");  // same time as the previous move
    f.move(deal.id, opened + 9h, "lead");
    expected_count += 4;
  }
  f.log(f.bob.id, t0 + 5h, "not Alice's");

  const auto everything = f.read_all(f.alice.id, storage::max_page_size);
  REQUIRE(everything.size() == expected_count);
  for (std::size_t i = 1; i < everything.size(); ++i) {
    INFO("entry " << i);
    REQUIRE(order_key(everything[i - 1]) < order_key(everything[i]));
  }

  for (std::size_t limit : {1U, 2U, 3U, 7U, 10U}) {
    INFO("limit " << limit);
    const auto paged = f.read_all(f.alice.id, limit);
    REQUIRE(paged.size() == everything.size());
    std::set<std::tuple<int, std::int64_t, std::size_t>> seen;
    for (std::size_t i = 0; i < paged.size(); ++i) {
      const TimelineCursor c = paged[i].cursor();
      CHECK(seen.emplace(static_cast<int>(c.kind), c.id, c.sequence).second);
      CHECK(order_key(paged[i]) == order_key(everything[i]));
    }
  }
}

TEST_CASE("timeline checks its customer and its limit", "[crm]") {
  Fixture f;
  REQUIRE_THROWS_AS(f.crm.timeline(CustomerId(999)), NotFoundError);
  TimelineRequest zero;
  zero.limit = 0;
  require_invalid([&] { (void)f.crm.timeline(f.alice.id, zero); }, "limit", "0");
  TimelineRequest huge;
  huge.limit = storage::max_page_size + 1;
  require_invalid([&] { (void)f.crm.timeline(f.alice.id, huge); }, "limit",
                  std::to_string(storage::max_page_size + 1));
  CHECK(f.crm.timeline(f.alice.id).entries.empty());
}
