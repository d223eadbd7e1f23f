// Domain events: names, subscriptions, and what the Crm facade publishes for each write.
// Publication inside Crm transactions is in crm_transactions_test.cpp.

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "crmkit/crm/crm.hpp"
#include "support/crm_fixture.hpp"

namespace {

using namespace crmkit;
using namespace std::chrono_literals;
using crmkit::test::person;
using crmkit::test::t0;
using Fixture = crmkit::test::CrmFixture;

Pipeline sales_pipeline() {
  Pipeline pipeline;
  pipeline.name = "New business";
  pipeline.stages = {Stage{"lead", "Lead", StageCategory::open, 0.1, std::nullopt},
                     Stage{"proposal", "Proposal", StageCategory::open, 0.6, std::nullopt},
                     Stage{"won", "Won", StageCategory::won, 1.0, std::nullopt},
                     Stage{"lost", "Lost", StageCategory::lost, 0.0, std::nullopt}};
  return pipeline;
}

Deal draft(CustomerId customer, PipelineId pipeline, std::string title) {
  return test::deal_draft(customer, pipeline, std::move(title));
}

// Records every event it receives.
struct Recorder {
  std::vector<Event> events;

  [[nodiscard]] EventHandler handler() {
    return [this](const Event& event) { events.push_back(event); };
  }
  [[nodiscard]] std::vector<std::string> names() const {
    std::vector<std::string> result;
    for (const Event& event : events) result.emplace_back(event_name(event));
    return result;
  }
};

using Names = std::vector<std::string>;

}  // namespace

TEST_CASE("event_name gives each event's snake-case name", "[crm]") {
  const Customer customer;
  const Deal deal;
  CHECK(event_name(CustomerCreated{customer}) == "customer_created");
  CHECK(event_name(CustomerUpdated{customer, customer}) == "customer_updated");
  CHECK(event_name(CustomerDeleted{customer}) == "customer_deleted");
  CHECK(event_name(InteractionLogged{Interaction{}}) == "interaction_logged");
  CHECK(event_name(DealOpened{deal}) == "deal_opened");
  CHECK(event_name(DealStageChanged{deal, StageChange{}}) == "deal_stage_changed");
  CHECK(event_name(DealWon{deal}) == "deal_won");
  CHECK(event_name(DealLost{deal}) == "deal_lost");
}

TEST_CASE("an empty Subscription is not connected and disconnects harmlessly", "[crm]") {
  Subscription empty;
  CHECK_FALSE(empty.connected());
  empty.disconnect();
  empty.disconnect();
  CHECK_FALSE(empty.connected());
}

TEST_CASE("customer writes publish their events with the stored records", "[crm]") {
  Fixture f;
  Recorder recorder;
  const auto subscription = f.crm.subscribe(recorder.handler());
  CHECK(subscription.connected());

  const Customer created = f.crm.create_customer(person("Alice", "Martin"));
  Customer changed = created;
  changed.family_name = "Durand";
  f.advance(1min);
  const Customer updated = f.crm.update_customer(changed);
  const Customer deleted = f.crm.delete_customer(created.id);
  const Customer restored = f.crm.restore_customer(created.id);

  REQUIRE(recorder.names() ==
          Names{"customer_created", "customer_updated", "customer_deleted", "customer_updated"});
  CHECK(std::get<CustomerCreated>(recorder.events[0]).customer == created);
  const auto& update = std::get<CustomerUpdated>(recorder.events[1]);
  CHECK(update.before == created);
  CHECK(update.customer == updated);
  CHECK(std::get<CustomerDeleted>(recorder.events[2]).customer == deleted);
  const auto& restore = std::get<CustomerUpdated>(recorder.events[3]);
  CHECK(restore.before == deleted);
  CHECK(restore.customer == restored);
}

TEST_CASE("deal and interaction writes publish their events in order", "[crm]") {
  Fixture f;
  const Customer alice = f.crm.create_customer(person("Alice", "Martin"));
  const Pipeline pipeline = f.crm.create_pipeline(sales_pipeline());
  Recorder recorder;
  const auto subscription = f.crm.subscribe(recorder.handler());

  Interaction note;
  note.direction = Direction::internal;
  note.customers = {alice.id};
  note.subject = "Met at the fair";
  const Interaction logged = f.crm.log_interaction(note);
  const Deal opened = f.crm.open_deal(draft(alice.id, pipeline.id, "Fair lead"), "sam");
  f.advance(1h);
  const Deal proposal = f.crm.move_deal(opened.id, "proposal");
  f.advance(1h);
  const Deal won = f.crm.move_deal(opened.id, "won");
  MoveOptions lost;
  lost.lost_reason = "cancelled";
  const Deal cancelled = f.crm.move_deal(opened.id, "lost", lost);

  REQUIRE(recorder.names() == Names{"interaction_logged", "deal_opened", "deal_stage_changed",
                                    "deal_stage_changed", "deal_won", "deal_stage_changed",
                                    "deal_lost"});
  CHECK(std::get<InteractionLogged>(recorder.events[0]).interaction == logged);
  CHECK(std::get<DealOpened>(recorder.events[1]).deal == opened);
  const auto& to_proposal = std::get<DealStageChanged>(recorder.events[2]);
  CHECK(to_proposal.deal == proposal);
  CHECK(to_proposal.change == proposal.history.back());
  CHECK(to_proposal.change.from == "lead");
  CHECK(to_proposal.change.to == "proposal");
  CHECK(std::get<DealStageChanged>(recorder.events[3]).change.to == "won");
  CHECK(std::get<DealWon>(recorder.events[4]).deal == won);
  CHECK(std::get<DealStageChanged>(recorder.events[5]).change.note == "cancelled");
  CHECK(std::get<DealLost>(recorder.events[6]).deal == cancelled);
}

TEST_CASE("a deal opened straight into a won stage publishes deal_opened then deal_won", "[crm]") {
  Fixture f;
  const Customer alice = f.crm.create_customer(person("Alice", "Martin"));
  const Pipeline pipeline = f.crm.create_pipeline(sales_pipeline());
  Recorder recorder;
  const auto subscription = f.crm.subscribe(recorder.handler());
  Deal signed_deal = draft(alice.id, pipeline.id, "Signed");
  signed_deal.stage = "won";
  f.crm.open_deal(signed_deal);
  CHECK(recorder.names() == Names{"deal_opened", "deal_won"});
}

TEST_CASE("failed writes and plain reads publish nothing", "[crm]") {
  Fixture f;
  const Customer alice = f.crm.create_customer(person("Alice", "Martin"));
  Recorder recorder;
  const auto subscription = f.crm.subscribe(recorder.handler());

  Customer nameless;
  CHECK_THROWS(f.crm.create_customer(nameless));
  CHECK_THROWS(f.crm.restore_customer(alice.id));  // not deleted
  (void)f.crm.customer(alice.id);
  (void)f.crm.customers();
  CHECK(recorder.events.empty());
}

TEST_CASE("a throwing subscriber neither blocks the others nor fails the write", "[crm]") {
  Fixture f;
  Recorder first;
  Recorder last;
  int throws = 0;
  const auto a = f.crm.subscribe(first.handler());
  const auto b = f.crm.subscribe([&](const Event&) {
    ++throws;
    throw std::runtime_error("subscriber bug");
  });
  const auto c = f.crm.subscribe([&](const Event&) { throw 42; });  // not even an exception type
  const auto d = f.crm.subscribe(last.handler());

  Customer stored;
  REQUIRE_NOTHROW(stored = f.crm.create_customer(person("Alice", "Martin")));
  CHECK(f.crm.find_customer(stored.id).has_value());
  CHECK(throws == 1);
  CHECK(first.names() == Names{"customer_created"});
  CHECK(last.names() == Names{"customer_created"});
}

TEST_CASE("disconnected subscriptions receive nothing more", "[crm]") {
  Fixture f;
  Recorder kept;
  Recorder dropped;
  const auto keep = f.crm.subscribe(kept.handler());

  SECTION("disconnect()") {
    auto subscription = f.crm.subscribe(dropped.handler());
    f.crm.create_customer(person("Alice", "Martin"));
    subscription.disconnect();
    CHECK_FALSE(subscription.connected());
    subscription.disconnect();  // idempotent
  }
  SECTION("destruction") {
    {
      const auto subscription = f.crm.subscribe(dropped.handler());
      f.crm.create_customer(person("Alice", "Martin"));
    }
  }
  SECTION("move assignment disconnects the overwritten one") {
    auto subscription = f.crm.subscribe(dropped.handler());
    f.crm.create_customer(person("Alice", "Martin"));
    subscription = Subscription{};
    CHECK_FALSE(subscription.connected());
  }
  f.crm.create_customer(person("Bob", "Leroy"));
  CHECK(dropped.names() == Names{"customer_created"});
  CHECK(kept.names() == Names{"customer_created", "customer_created"});
}

TEST_CASE("a moved Subscription keeps delivering", "[crm]") {
  Fixture f;
  Recorder recorder;
  auto original = f.crm.subscribe(recorder.handler());
  Subscription moved = std::move(original);
  CHECK(moved.connected());
  f.crm.create_customer(person("Alice", "Martin"));
  CHECK(recorder.names() == Names{"customer_created"});
}

TEST_CASE("a Subscription may outlive its Crm", "[crm]") {
  Subscription subscription;
  {
    Fixture f;
    subscription = f.crm.subscribe([](const Event&) {});
    CHECK(subscription.connected());
  }
  CHECK_FALSE(subscription.connected());
  subscription.disconnect();
}
