// The Crm facade: pipelines, deals, stage rules and the pipeline figures built over the store.

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>

#include "crmkit/core/error.hpp"
#include "crmkit/crm/crm.hpp"
#include "support/crm_fixture.hpp"
#include "support/validation_matchers.hpp"

namespace {

using namespace crmkit;
using namespace std::chrono_literals;
using crmkit::test::require_invalid;
using crmkit::test::t0;

// The Crm fixture with one customer and the usual sales pipeline.
struct Fixture : test::CrmFixture {
  Customer acme;
  Pipeline pipeline;

  Fixture() {
    acme = crm.create_customer(test::organization("ACME SA"));
    pipeline = crm.create_pipeline(sales_pipeline());
  }

  [[nodiscard]] Deal draft(std::string title, std::int64_t cents, std::string currency = "EUR") const {
    return test::deal_draft(acme.id, pipeline.id, std::move(title), cents, currency);
  }

  static Pipeline sales_pipeline() {
    Pipeline pipeline;
    pipeline.name = "New business";
    pipeline.stages = {Stage{"lead", "Lead", StageCategory::open, 0.1, 14},
                       Stage{"qualified", "Qualified", StageCategory::open, 0.3, std::nullopt},
                       Stage{"proposal", "Proposal", StageCategory::open, 0.6, std::nullopt},
                       Stage{"won", "Won", StageCategory::won, 1.0, std::nullopt},
                       Stage{"lost", "Lost", StageCategory::lost, 0.0, std::nullopt}};
    return pipeline;
  }
};

MoveOptions by(std::string who) {
  MoveOptions options;
  options.by = std::move(who);
  return options;
}

MoveOptions lost_because(std::string reason) {
  MoveOptions options;
  options.by = "sam";
  options.lost_reason = std::move(reason);
  return options;
}

}  // namespace

TEST_CASE("open_deal starts in the first open stage with an opening history entry", "[crm]") {
  Fixture f;
  f.advance(2h);
  const Deal deal = f.crm.open_deal(f.draft("ACME renewal", 1200000), "sam");

  CHECK(deal.id.valid());
  CHECK(deal.stage == "lead");
  CHECK(deal.created_at == f.now());
  CHECK(deal.updated_at == f.now());
  REQUIRE(deal.history.size() == 1);
  CHECK_FALSE(deal.history[0].from.has_value());
  CHECK(deal.history[0].to == "lead");
  CHECK(deal.history[0].at == f.now());
  CHECK(deal.history[0].by == "sam");
  CHECK_FALSE(deal.won_at.has_value());
  CHECK_FALSE(deal.lost_at.has_value());
  CHECK(f.crm.deal(deal.id) == deal);
}

TEST_CASE("open_deal into a given stage keeps the probability override", "[crm]") {
  Fixture f;
  Deal draft = f.draft("Pilot", 500000);
  draft.stage = "qualified";
  draft.probability = 0.45;
  const Deal deal = f.crm.open_deal(draft);
  CHECK(deal.stage == "qualified");
  CHECK(deal.probability == 0.45);
  CHECK(deal.history.at(0).to == "qualified");
}

TEST_CASE("open_deal straight into a won or lost stage follows the move rules", "[crm]") {
  Fixture f;
  f.advance(1h);
  SECTION("won") {
    Deal draft = f.draft("Signed on the spot", 90000);
    draft.stage = "won";
    const Deal deal = f.crm.open_deal(draft, "sam");
    CHECK(deal.probability == 1.0);
    CHECK(deal.won_at == f.now());
    CHECK_FALSE(deal.lost_at.has_value());
  }
  SECTION("lost needs a reason") {
    Deal draft = f.draft("Never started", 90000);
    draft.stage = "lost";
    require_invalid([&] { f.crm.open_deal(draft); }, "deal.lost_reason", "", "must not be empty");
    draft.lost_reason = "budget frozen";
    const Deal deal = f.crm.open_deal(draft, "sam");
    CHECK(deal.lost_at == f.now());
    CHECK(deal.lost_reason == "budget frozen");
    CHECK(deal.history.at(0).note == "budget frozen");
  }
  SECTION("a lost reason is refused for other stages") {
    Deal draft = f.draft("Confused", 90000);
    draft.lost_reason = "too early";
    require_invalid([&] { f.crm.open_deal(draft); }, "deal.lost_reason", "too early");
  }
}

TEST_CASE("open_deal names an unknown stage and its pipeline", "[crm]") {
  Fixture f;
  Deal draft = f.draft("Typo", 1000);
  draft.stage = "negotiation";
  require_invalid([&] { f.crm.open_deal(draft); }, "deal.stage", "negotiation", "New business");
  REQUIRE_THROWS_WITH(f.crm.open_deal(draft), Catch::Contains("'negotiation'") &&
                                                  Catch::Contains("New business"));

  Deal elsewhere = f.draft("Nowhere", 1000);
  elsewhere.pipeline = PipelineId(99);
  REQUIRE_THROWS_AS(f.crm.open_deal(elsewhere), NotFoundError);
  CHECK(f.store->counts().deals == 0);
}

TEST_CASE("move_deal records the change and follows the stage category", "[crm]") {
  Fixture f;
  Deal draft = f.draft("ACME renewal", 1200000);
  draft.probability = 0.2;
  const Deal opened = f.crm.open_deal(draft, "sam");
  f.advance(24h);

  const Deal qualified = f.crm.move_deal(opened.id, "qualified", by("alex"));
  CHECK(qualified.stage == "qualified");
  CHECK(qualified.updated_at == f.now());
  CHECK(qualified.version == opened.version + 1);
  CHECK(qualified.probability == 0.2);  // open -> open keeps the override
  REQUIRE(qualified.history.size() == 2);
  CHECK(qualified.history[1] == StageChange{"lead", "qualified", f.now(), "alex", ""});

  SECTION("into won: probability 1 and won_at at the move time") {
    f.advance(2h);
    MoveOptions options = by("alex");
    options.at = f.now() - 1h;
    const Deal won = f.crm.move_deal(opened.id, "won", options);
    CHECK(won.probability == 1.0);
    CHECK(won.won_at == f.now() - 1h);
    CHECK(won.history.back().at == f.now() - 1h);
    CHECK(won.updated_at == f.now());

    SECTION("won -> lost swaps the close fields") {
      f.advance(1h);
      const Deal lost = f.crm.move_deal(opened.id, "lost", lost_because("chargeback"));
      CHECK_FALSE(lost.won_at.has_value());
      CHECK(lost.lost_at == f.now());
      CHECK(lost.lost_reason == "chargeback");
      CHECK(lost.probability == 0.0);
      CHECK(lost.history.back().note == "chargeback");
      CHECK(lost.history.back().from == "won");
    }
    SECTION("reopening clears the close fields and the override") {
      f.advance(1h);
      const Deal reopened = f.crm.move_deal(opened.id, "proposal", by("alex"));
      CHECK_FALSE(reopened.won_at.has_value());
      CHECK_FALSE(reopened.probability.has_value());
      CHECK(reopened.effective_probability(f.pipeline) == 0.6);
    }
  }
  SECTION("into lost: needs a reason, recorded as the note") {
    require_invalid([&] { f.crm.move_deal(opened.id, "lost", by("alex")); }, "lost_reason", "",
                    "must not be empty");
    const Deal lost = f.crm.move_deal(opened.id, "lost", lost_because("went with a competitor"));
    CHECK(lost.lost_at == f.now());
    CHECK(lost.lost_reason == "went with a competitor");
    CHECK(lost.history.back().note == "went with a competitor");
    CHECK(lost.probability == 0.0);

    SECTION("reopening clears lost_at and the reason") {
      f.advance(2h);
      const Deal reopened = f.crm.move_deal(opened.id, "qualified", by("alex"));
      CHECK_FALSE(reopened.lost_at.has_value());
      CHECK(reopened.lost_reason.empty());
      CHECK_FALSE(reopened.probability.has_value());
      CHECK(reopened.history.size() == 4);
    }
  }
}

TEST_CASE("move_deal refuses bad moves and changes nothing", "[crm]") {
  Fixture f;
  const Deal opened = f.crm.open_deal(f.draft("ACME renewal", 1200000));
  f.advance(24h);
  f.crm.move_deal(opened.id, "qualified");
  const Deal before = f.crm.deal(opened.id);

  require_invalid([&] { f.crm.move_deal(opened.id, "qualified"); }, "stage", "qualified",
                  "already the deal's stage");
  require_invalid([&] { f.crm.move_deal(opened.id, "closing"); }, "stage", "closing",
                  "New business");
  MoveOptions too_early;
  too_early.at = f.now() - 1s;
  require_invalid([&] { f.crm.move_deal(opened.id, "proposal", too_early); }, "at",
                  "2024-03-05T08:59:59Z", "before the deal's last stage change");
  REQUIRE_THROWS_AS(f.crm.move_deal(DealId(999), "won"), NotFoundError);

  CHECK(f.crm.deal(opened.id) == before);
}

TEST_CASE("move_deal accepts a move at the same time as the last one", "[crm]") {
  Fixture f;
  const Deal opened = f.crm.open_deal(f.draft("Fast", 1000));
  MoveOptions same_time;
  same_time.at = opened.history.back().at;
  CHECK(f.crm.move_deal(opened.id, "qualified", same_time).history.size() == 2);
}

TEST_CASE("update_deal changes own fields only", "[crm]") {
  Fixture f;
  const Deal opened = f.crm.open_deal(f.draft("ACME renewal", 1200000));
  f.advance(1h);

  Deal changed = opened;
  changed.title = "ACME renewal 2025";
  changed.amount = Money(1500000, Currency("EUR"));
  changed.probability = 0.5;
  changed.expected_close = std::chrono::year{2024} / 6 / 30;
  changed.owner = "alex";
  const Deal updated = f.crm.update_deal(changed);
  CHECK(updated.title == "ACME renewal 2025");
  CHECK(updated.amount.minor_units() == 1500000);
  CHECK(updated.probability == 0.5);
  CHECK(updated.updated_at == f.now());
  CHECK(updated.created_at == opened.created_at);
  CHECK(updated.version == 2);

  SECTION("stage fields change only through move_deal") {
    Deal stage = updated;
    stage.stage = "proposal";
    require_invalid([&] { f.crm.update_deal(stage); }, "deal.stage", "proposal", "move_deal");
    Deal history = updated;
    history.history.push_back(StageChange{"lead", "lead", f.now(), "x", ""});
    require_invalid([&] { f.crm.update_deal(history); }, "deal.history", "2 entries", "move_deal");
    Deal won = updated;
    won.won_at = f.now();
    require_invalid([&] { f.crm.update_deal(won); }, "deal.won_at", "2024-03-04T10:00:00Z",
                    "move_deal");
    Deal lost = updated;
    lost.lost_at = f.now();
    require_invalid([&] { f.crm.update_deal(lost); }, "deal.lost_at", "2024-03-04T10:00:00Z",
                    "move_deal");
    Deal reason = updated;
    reason.lost_reason = "price";
    require_invalid([&] { f.crm.update_deal(reason); }, "deal.lost_reason", "price", "move_deal");
    Deal other_pipeline = updated;
    other_pipeline.pipeline = PipelineId(7);
    require_invalid([&] { f.crm.update_deal(other_pipeline); }, "deal.pipeline", "7");
    CHECK(f.crm.deal(opened.id) == updated);
  }
  SECTION("a stale version is a conflict") {
    Deal stale = opened;
    stale.title = "Old copy";
    REQUIRE_THROWS_AS(f.crm.update_deal(stale), ConflictError);
  }
  SECTION("an unknown deal is not found") {
    Deal unknown = updated;
    unknown.id = DealId(999);
    REQUIRE_THROWS_AS(f.crm.update_deal(unknown), NotFoundError);
  }
  SECTION("a new customer must not be deleted") {
    Customer other;
    other.kind = CustomerKind::organization;
    other.legal_name = "Globex";
    const Customer globex = f.crm.create_customer(other);
    f.crm.delete_customer(globex.id);
    Deal moved = updated;
    moved.customer = globex.id;
    require_invalid([&] { f.crm.update_deal(moved); }, "deal.customer", globex.id.to_string(),
                    "deleted customer");
  }
}

TEST_CASE("deals() lists deals with the store's filters", "[crm]") {
  Fixture f;
  const Deal a = f.crm.open_deal(f.draft("A", 1000));
  f.crm.open_deal(f.draft("B", 1000));
  f.crm.move_deal(a.id, "won");
  storage::DealQuery won;
  won.status = storage::DealStatus::won;
  const auto page = f.crm.deals(won);
  REQUIRE(page.items.size() == 1);
  CHECK(page.items[0].id == a.id);
  CHECK(f.crm.deals().items.size() == 2);
}

TEST_CASE("weighted_value sums open deals per currency with overrides", "[crm]") {
  Fixture f;
  f.crm.open_deal(f.draft("Lead EUR", 1000000));  // 10000.00 EUR x 0.1 = 1000.00
  Deal proposal = f.draft("Proposal EUR", 500000);  // 5000.00 EUR x 0.75 (override) = 3750.00
  proposal.stage = "proposal";
  proposal.probability = 0.75;
  f.crm.open_deal(proposal);
  Deal usd = f.draft("Qualified USD", 200000, "USD");  // 2000.00 USD x 0.3 = 600.00
  usd.stage = "qualified";
  f.crm.open_deal(usd);
  const Deal won = f.crm.open_deal(f.draft("Won EUR", 9900000));  // closed: not counted
  f.crm.move_deal(won.id, "won");

  const auto rows = f.crm.weighted_value(f.pipeline.id);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].currency.code() == "EUR");
  CHECK(rows[0].total.minor_units() == 1500000);
  CHECK(rows[0].weighted.minor_units() == 475000);
  CHECK(rows[0].open_deals == 2);
  CHECK(rows[1].currency.code() == "USD");
  CHECK(rows[1].total.minor_units() == 200000);
  CHECK(rows[1].weighted.minor_units() == 60000);
  CHECK(rows[1].open_deals == 1);

  REQUIRE_THROWS_AS(f.crm.weighted_value(PipelineId(99)), NotFoundError);
}

TEST_CASE("weighted_value_by_close_month groups open deals by month and currency", "[crm]") {
  Fixture f;
  Deal april = f.draft("April A", 100000);
  april.expected_close = std::chrono::year{2024} / 4 / 2;
  f.crm.open_deal(april);
  april.title = "April B";
  april.expected_close = std::chrono::year{2024} / 4 / 30;
  april.stage = "proposal";
  f.crm.open_deal(april);
  Deal undated = f.draft("Someday", 300000);
  f.crm.open_deal(undated);
  Deal march = f.draft("March USD", 50000, "USD");
  march.expected_close = std::chrono::year{2024} / 3 / 15;
  f.crm.open_deal(march);

  const auto rows = f.crm.weighted_value_by_close_month(f.pipeline.id);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].month == std::chrono::year{2024} / 3);
  CHECK(rows[0].currency.code() == "USD");
  CHECK(rows[0].weighted.minor_units() == 5000);
  CHECK(rows[1].month == std::chrono::year{2024} / 4);
  CHECK(rows[1].open_deals == 2);
  CHECK(rows[1].total.minor_units() == 200000);
  CHECK(rows[1].weighted.minor_units() == 10000 + 60000);
  CHECK_FALSE(rows[2].month.has_value());
  CHECK(rows[2].weighted.minor_units() == 30000);

  REQUIRE_THROWS_AS(f.crm.weighted_value_by_close_month(PipelineId(99)), NotFoundError);
}

TEST_CASE("time_in_stage follows a reopened deal up to the clock", "[crm]") {
  Fixture f;
  const Deal deal = f.crm.open_deal(f.draft("Back and forth", 100000));  // lead at day 0
  f.advance(std::chrono::days{2});
  f.crm.move_deal(deal.id, "qualified");  // day 2
  f.advance(std::chrono::days{3});
  f.crm.move_deal(deal.id, "won");  // day 5
  f.advance(std::chrono::days{1});
  f.crm.move_deal(deal.id, "qualified");  // day 6: reopened
  f.advance(std::chrono::days{4});
  f.crm.move_deal(deal.id, "proposal");  // day 10
  f.advance(12h);                        // now: day 10.5

  const auto stages = f.crm.time_in_stage(deal.id);
  REQUIRE(stages.size() == 4);
  CHECK(stages[0].stage == "lead");
  CHECK(stages[0].time == std::chrono::days{2});
  CHECK(stages[1].stage == "qualified");
  CHECK(stages[1].visits == 2);
  CHECK(stages[1].time == std::chrono::days{3 + 4});
  CHECK(stages[2].stage == "won");
  CHECK(stages[2].time == std::chrono::days{1});
  CHECK(stages[3].stage == "proposal");
  CHECK(stages[3].time == std::chrono::hours{12});

  REQUIRE_THROWS_AS(f.crm.time_in_stage(DealId(999)), NotFoundError);
}

TEST_CASE("average_time_in_stage averages over the pipeline's deals", "[crm]") {
  Fixture f;
  const Deal a = f.crm.open_deal(f.draft("A", 1000));
  const Deal b = f.crm.open_deal(f.draft("B", 1000));
  f.advance(std::chrono::days{1});
  f.crm.move_deal(a.id, "qualified");  // a: 1 day in lead
  f.advance(std::chrono::days{2});
  f.crm.move_deal(b.id, "qualified");  // b: 3 days in lead
  f.advance(std::chrono::days{1});
  f.crm.move_deal(a.id, "lost", lost_because("no budget"));  // a: 3 days in qualified
  f.advance(std::chrono::days{5});                            // b: 6 days in qualified so far

  const auto rows = f.crm.average_time_in_stage(f.pipeline.id);
  REQUIRE(rows.size() == 5);
  CHECK(rows[0].stage == "lead");
  CHECK(rows[0].deals == 2);
  CHECK(rows[0].mean == std::chrono::days{2});
  CHECK(rows[1].stage == "qualified");
  CHECK(rows[1].mean == std::chrono::hours{(3 * 24 + 6 * 24) / 2});
  CHECK(rows[2].deals == 0);
  CHECK(rows[3].deals == 0);
  CHECK(rows[4].stage == "lost");
  CHECK(rows[4].deals == 1);
  CHECK(rows[4].mean == Duration{0});

  REQUIRE_THROWS_AS(f.crm.average_time_in_stage(PipelineId(99)), NotFoundError);
}

TEST_CASE("a deal idle in a stage with a threshold starts rotting", "[crm]") {
  Fixture f;
  const Deal deal = f.crm.open_deal(f.draft("Forgotten", 1000));  // lead rots after 14 days
  CHECK_FALSE(is_rotting(deal, f.pipeline, f.now() + std::chrono::days{14}));
  CHECK(is_rotting(deal, f.pipeline, f.now() + std::chrono::days{14} + 1s));
  f.advance(std::chrono::days{20});
  const Deal moved = f.crm.move_deal(deal.id, "qualified");  // no threshold there
  CHECK_FALSE(is_rotting(moved, f.pipeline, f.now() + std::chrono::days{400}));
}
