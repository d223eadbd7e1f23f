// 01_quickstart: a first tour of crmkit.
//
// A small sales story over an in-memory store: an organization and the person we talk to there,
// a few interactions, a sales pipeline with a deal that moves to "won", purchases, and then the
// customer's timeline, the weighted value of the open deals and the time the deal spent in each
// stage. Every domain event is printed as it happens.
//
// The Crm is given a clock we move by hand, so the output is the same on every run (the build
// checks it against 01_quickstart.expected).

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <variant>

#include <crmkit/crmkit.hpp>

namespace {

using namespace std::chrono_literals;

// "2d 05:30" style, enough for durations measured in days and hours.
std::string format_duration(crmkit::Duration duration) {
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(duration).count();
  char text[32];
  std::snprintf(text, sizeof text, "%lldd %02lld:%02lld", static_cast<long long>(minutes / 1440),
                static_cast<long long>(minutes / 60 % 24), static_cast<long long>(minutes % 60));
  return text;
}

// One line per event; a real application would update a search index, send a webhook, ...
void print_event(const crmkit::Event& event) {
  std::cout << "  [event] " << crmkit::event_name(event);
  if (const auto* created = std::get_if<crmkit::CustomerCreated>(&event)) {
    std::cout << ": " << created->customer.display_name();
  } else if (const auto* logged = std::get_if<crmkit::InteractionLogged>(&event)) {
    std::cout << ": " << logged->interaction.subject;
  } else if (const auto* opened = std::get_if<crmkit::DealOpened>(&event)) {
    std::cout << ": " << opened->deal.title << " in " << opened->deal.stage;
  } else if (const auto* moved = std::get_if<crmkit::DealStageChanged>(&event)) {
    std::cout << ": " << moved->deal.title << ", " << moved->change.from.value_or("-") << " -> "
              << moved->change.to;
  } else if (const auto* won = std::get_if<crmkit::DealWon>(&event)) {
    std::cout << ": " << won->deal.title << " for " << won->deal.amount.format();
  }
  std::cout << '\n';
}

}  // namespace

int main() {
  // --- Set up: a store, a clock, the facade -----------------------------------------------------
  // "memory:" keeps everything in process memory; "sqlite:crm.db" would persist it instead.
  std::shared_ptr<crmkit::storage::Store> store = crmkit::storage::open("memory:");

  // Our story starts on Monday 4 March 2024 at 09:00 UTC; `clock` is moved as the story goes on.
  crmkit::Timestamp clock = crmkit::parse_timestamp("2024-03-04T09:00:00Z");
  crmkit::CrmOptions options;
  options.clock = [&clock] { return clock; };
  options.default_region = "FR";  // phone numbers typed without +33 are French
  crmkit::Crm crm(store, options);

  // Keep the subscription alive for as long as events should be printed.
  std::cout << "Events as they happen:\n";
  const crmkit::Subscription subscription = crm.subscribe(print_event);

  // --- Customers: an organization and a person who works there ----------------------------------
  crmkit::Customer acme_draft;
  acme_draft.kind = crmkit::CustomerKind::organization;
  acme_draft.legal_name = "ACME SA";
  acme_draft.external_ref = "ERP-1001";  // the ERP's customer number
  acme_draft.lifecycle = crmkit::LifecycleStage::prospect;
  const crmkit::Customer acme = crm.create_customer(acme_draft);

  crmkit::Customer claire_draft;
  claire_draft.kind = crmkit::CustomerKind::person;
  claire_draft.given_name = "Claire";
  claire_draft.family_name = "Dubois";
  claire_draft.memberships = {{acme.id, "Head of purchasing"}};
  // Contact points are validated and normalized; the first one becomes primary by default.
  claire_draft.emails = {{crmkit::Email("Claire.Dubois@ACME.example"), "work", false}};
  claire_draft.phones = {{crmkit::Phone("06 12 34 56 78", "FR"), "mobile", false}};
  const crmkit::Customer claire = crm.create_customer(claire_draft);

  // --- Interactions over several channels --------------------------------------------------------
  crmkit::Interaction request;
  request.channel = crmkit::Channel::email;
  request.direction = crmkit::Direction::inbound;
  request.occurred_at = crmkit::parse_timestamp("2024-03-04T09:30:00Z");
  request.subject = "Request for a quote";
  request.outcome = "answered";
  request.author = "sam";
  request.customers = {claire.id, acme.id};
  crm.log_interaction(request);

  crmkit::Interaction discovery;
  discovery.channel = crmkit::Channel::phone;
  discovery.direction = crmkit::Direction::outbound;
  discovery.occurred_at = crmkit::parse_timestamp("2024-03-05T14:00:00Z");
  discovery.duration = 30min;
  discovery.subject = "Discovery call";
  discovery.outcome = "completed";
  discovery.author = "sam";
  discovery.customers = {claire.id};
  crm.log_interaction(discovery);

  // --- A pipeline, and a deal that moves through it to "won" ------------------------------------
  crmkit::Pipeline sales;
  sales.name = "New business";
  sales.stages = {
      {"lead", "Lead", crmkit::StageCategory::open, 0.10, 14},  // rots after 14 idle days
      {"qualified", "Qualified", crmkit::StageCategory::open, 0.30, std::nullopt},
      {"proposal", "Proposal sent", crmkit::StageCategory::open, 0.60, std::nullopt},
      {"won", "Won", crmkit::StageCategory::won, 1.0, std::nullopt},
      {"lost", "Lost", crmkit::StageCategory::lost, 0.0, std::nullopt},
  };
  const crmkit::Pipeline pipeline = crm.create_pipeline(sales);

  clock = crmkit::parse_timestamp("2024-03-04T10:00:00Z");
  crmkit::Deal fleet;
  fleet.pipeline = pipeline.id;
  fleet.customer = acme.id;
  fleet.contacts = {{claire.id, "decision maker"}};
  fleet.title = "ACME fleet renewal";
  fleet.amount = crmkit::Money::parse("48000.00", crmkit::Currency("EUR"));
  fleet = crm.open_deal(fleet, "sam");  // no stage given: starts in the first open stage, "lead"

  crmkit::MoveOptions by_sam;  // who moves the deal is recorded in its stage history
  by_sam.by = "sam";
  clock = crmkit::parse_timestamp("2024-03-05T15:00:00Z");
  crm.move_deal(fleet.id, "qualified", by_sam);

  crmkit::Interaction demo;
  demo.channel = crmkit::Channel::meeting;
  demo.direction = crmkit::Direction::outbound;
  demo.occurred_at = crmkit::parse_timestamp("2024-03-07T10:00:00Z");
  demo.duration = 90min;
  demo.subject = "On-site demo";
  demo.outcome = "completed";
  demo.author = "sam";
  demo.customers = {claire.id, acme.id};
  demo.deal = fleet.id;
  crm.log_interaction(demo);

  clock = crmkit::parse_timestamp("2024-03-08T11:00:00Z");
  crm.move_deal(fleet.id, "proposal", by_sam);
  clock = crmkit::parse_timestamp("2024-03-16T16:30:00Z");
  fleet = crm.move_deal(fleet.id, "won", by_sam);  // sets probability 1 and won_at

  // Two more deals stay open, so the pipeline has something to weigh.
  clock = crmkit::parse_timestamp("2024-03-20T09:00:00Z");
  crmkit::Deal support;
  support.pipeline = pipeline.id;
  support.customer = acme.id;
  support.title = "ACME support contract";
  support.stage = "proposal";
  support.amount = crmkit::Money::parse("12000.00", crmkit::Currency("EUR"));
  support.expected_close = crmkit::parse_date("2024-04-30");
  crm.open_deal(support, "alex");

  clock = crmkit::parse_timestamp("2024-03-21T14:00:00Z");

  crmkit::Deal pilot;
  pilot.pipeline = pipeline.id;
  pilot.customer = acme.id;
  pilot.title = "ACME Inc. pilot";
  pilot.amount = crmkit::Money::parse("8000.00", crmkit::Currency("USD"));
  pilot.probability = 0.25;  // the sales rep's own estimate overrides the stage's 10%
  crm.open_deal(pilot, "alex");

  // --- Purchases, as the ERP would feed them ----------------------------------------------------
  crmkit::Purchase order;
  order.customer = acme.id;
  order.occurred_at = crmkit::parse_timestamp("2024-03-18T08:00:00Z");
  order.amount = crmkit::Money::parse("48000.00", crmkit::Currency("EUR"));
  order.order_ref = "A-1001";
  crm.record_purchase(order);
  order.occurred_at = crmkit::parse_timestamp("2024-04-12T13:45:00Z");
  order.amount = crmkit::Money::parse("1250.50", crmkit::Currency("EUR"));
  order.order_ref = "A-1042";
  crm.record_purchase(order);

  // --- Reading it back --------------------------------------------------------------------------
  // Lookups normalize what is typed: another case for the email, a national phone number.
  std::cout << "\nLookups:\n";
  std::cout << "  claire.dubois@acme.example -> "
            << crm.find_by_email("claire.dubois@acme.example").at(0).display_name() << '\n';
  std::cout << "  06 12 34 56 78             -> "
            << crm.find_by_phone("06 12 34 56 78").at(0).display_name() << '\n';

  // The timeline merges interactions, deal events and purchases, newest first, page by page.
  // (The discovery call involved only Claire: it is on her timeline, not on ACME's.)
  std::cout << "\nTimeline of " << acme.display_name() << ", newest first:\n";
  crmkit::TimelineRequest page_request;
  page_request.limit = 4;
  for (;;) {
    const crmkit::TimelinePage page = crm.timeline(acme.id, page_request);
    for (const crmkit::TimelineEntry& entry : page.entries) {
      std::cout << "  " << crmkit::format_timestamp(entry.at) << "  " << entry.summary() << '\n';
    }
    if (!page.next) break;
    page_request.before = page.next;  // the cursor of the last entry shown
  }

  // Weighted value: each open deal's amount times its probability, summed per currency.
  std::cout << "\nWeighted value of the open deals in \"" << pipeline.name << "\":\n";
  for (const crmkit::PipelineValue& value : crm.weighted_value(pipeline.id)) {
    std::cout << "  " << value.currency.code() << ": " << value.open_deals << " open, total "
              << value.total.format() << ", weighted " << value.weighted.format() << '\n';
  }

  std::cout << "\nTime \"" << fleet.title << "\" spent in each stage:\n";
  for (const crmkit::StageTime& stage : crm.time_in_stage(fleet.id)) {
    std::cout << "  " << stage.stage << ": " << format_duration(stage.time) << '\n';
  }
  return 0;
}
