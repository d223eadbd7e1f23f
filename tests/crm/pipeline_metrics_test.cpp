// Pipeline figures computed from deals and their history, without a store.

#include <catch2/catch.hpp>

#include <chrono>
#include <vector>

#include "crmkit/crm/pipeline_metrics.hpp"

namespace {

using namespace crmkit;
using namespace std::chrono_literals;
using std::chrono::days;

const Timestamp t0 = std::chrono::sys_days{std::chrono::year{2024} / 3 / 4} + 9h;

Pipeline sales_pipeline() {
  Pipeline pipeline;
  pipeline.id = PipelineId(1);
  pipeline.name = "New business";
  pipeline.stages = {Stage{"lead", "Lead", StageCategory::open, 0.1, 14},
                     Stage{"qualified", "Qualified", StageCategory::open, 0.3, std::nullopt},
                     Stage{"proposal", "Proposal", StageCategory::open, 0.6, 7},
                     Stage{"won", "Won", StageCategory::won, 1.0, std::nullopt},
                     Stage{"lost", "Lost", StageCategory::lost, 0.0, std::nullopt}};
  return pipeline;
}

// A deal that went through `stages` at the given offsets from t0; closes when the last stage is
// won or lost.
Deal deal_through(std::vector<std::pair<std::string, Duration>> stages, std::int64_t minor = 100000,
                  std::string currency = "EUR") {
  Deal deal;
  deal.id = DealId(1);
  deal.pipeline = PipelineId(1);
  deal.customer = CustomerId(1);
  deal.title = "deal";
  deal.amount = Money(minor, Currency(currency));
  std::optional<std::string> from;
  for (const auto& [stage, offset] : stages) {
    deal.history.push_back(StageChange{from, stage, t0 + offset, "sam", ""});
    from = stage;
  }
  deal.stage = deal.history.back().to;
  deal.created_at = t0;
  if (deal.stage == "won") deal.won_at = deal.history.back().at;
  if (deal.stage == "lost") {
    deal.lost_at = deal.history.back().at;
    deal.lost_reason = "price";
  }
  return deal;
}

Deal open_in(std::string stage, std::int64_t minor, std::string currency = "EUR") {
  return deal_through({{std::move(stage), Duration{0}}}, minor, std::move(currency));
}

}  // namespace

TEST_CASE("weighted_value: open deals per currency, overrides applied", "[crm]") {
  const Pipeline pipeline = sales_pipeline();
  std::vector<Deal> deals = {open_in("lead", 1000000),              // 10000.00 x 0.1  = 1000.00
                             open_in("proposal", 500000),           // 5000.00 x 0.75 = 3750.00
                             open_in("qualified", 200000, "USD"),   // 2000.00 x 0.3 = 600.00
                             open_in("won", 9900000),               // closed
                             open_in("lost", 9900000),              // closed
                             open_in("lead", 7700000)};             // other pipeline
  deals[1].probability = 0.75;
  deals[5].pipeline = PipelineId(2);

  const auto rows = weighted_value(deals, pipeline);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].currency == Currency("EUR"));
  CHECK(rows[0].total == Money(1500000, Currency("EUR")));
  CHECK(rows[0].weighted == Money(475000, Currency("EUR")));
  CHECK(rows[0].open_deals == 2);
  CHECK(rows[1].currency == Currency("USD"));
  CHECK(rows[1].total == Money(200000, Currency("USD")));
  CHECK(rows[1].weighted == Money(60000, Currency("USD")));
  CHECK(rows[1].open_deals == 1);

  CHECK(weighted_value(std::vector<Deal>{}, pipeline).empty());
}

TEST_CASE("weighted_value rounds each deal half to even before summing", "[crm]") {
  Pipeline pipeline = sales_pipeline();
  std::vector<Deal> deals = {open_in("lead", 5), open_in("lead", 15)};
  deals[0].probability = 0.5;  // 2.5 cents -> 2
  deals[1].probability = 0.5;  // 7.5 cents -> 8
  const auto rows = weighted_value(deals, pipeline);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].weighted.minor_units() == 10);
}

TEST_CASE("weighted_value_by_close_month groups by month (undated last) and currency", "[crm]") {
  const Pipeline pipeline = sales_pipeline();
  std::vector<Deal> deals = {open_in("lead", 100000), open_in("proposal", 100000),
                             open_in("lead", 300000), open_in("lead", 50000, "USD"),
                             open_in("lead", 40000), open_in("won", 999900)};
  deals[0].expected_close = std::chrono::year{2024} / 4 / 2;
  deals[1].expected_close = std::chrono::year{2024} / 4 / 30;
  deals[3].expected_close = std::chrono::year{2024} / 4 / 15;
  deals[4].expected_close = std::chrono::year{2023} / 12 / 31;
  deals[5].expected_close = std::chrono::year{2024} / 4 / 1;  // closed: not counted

  const auto rows = weighted_value_by_close_month(deals, pipeline);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].month == std::chrono::year{2023} / 12);
  CHECK(rows[0].weighted.minor_units() == 4000);
  CHECK(rows[1].month == std::chrono::year{2024} / 4);
  CHECK(rows[1].currency.code() == "EUR");
  CHECK(rows[1].open_deals == 2);
  CHECK(rows[1].total.minor_units() == 200000);
  CHECK(rows[1].weighted.minor_units() == 10000 + 60000);
  CHECK(rows[2].month == std::chrono::year{2024} / 4);
  CHECK(rows[2].currency.code() == "USD");
  CHECK(rows[2].weighted.minor_units() == 5000);
  CHECK_FALSE(rows[3].month.has_value());
  CHECK(rows[3].total.minor_units() == 300000);
}

TEST_CASE("time_in_stage of a won deal ends at the close", "[crm]") {
  const Deal deal = deal_through({{"lead", days{0}}, {"qualified", days{2}},
                                  {"proposal", days{5}}, {"won", days{6}}});
  const auto stages = time_in_stage(deal, t0 + days{30});
  REQUIRE(stages.size() == 4);
  CHECK(stages[0].stage == "lead");
  CHECK(stages[0].time == days{2});
  CHECK(stages[1].time == days{3});
  CHECK(stages[2].stage == "proposal");
  CHECK(stages[2].time == days{1});
  CHECK(stages[3].stage == "won");
  CHECK(stages[3].time == Duration{0});
  CHECK(stages[3].visits == 1);
}

TEST_CASE("time_in_stage adds up the visits of a reopened deal", "[crm]") {
  const Deal deal = deal_through({{"lead", days{0}},
                                  {"qualified", days{1}},
                                  {"won", days{3}},
                                  {"qualified", days{4}},  // reopened
                                  {"proposal", days{6}}});
  const auto stages = time_in_stage(deal, t0 + days{10});
  REQUIRE(stages.size() == 4);
  CHECK(stages[0].stage == "lead");
  CHECK(stages[1].stage == "qualified");
  CHECK(stages[1].visits == 2);
  CHECK(stages[1].time == days{2 + 2});
  CHECK(stages[2].stage == "won");
  CHECK(stages[2].time == days{1});
  CHECK(stages[3].stage == "proposal");
  CHECK(stages[3].time == days{4});  // open: up to now
}

TEST_CASE("time_in_stage never counts negative time", "[crm]") {
  const Deal deal = deal_through({{"lead", days{0}}, {"qualified", days{5}}});
  const auto stages = time_in_stage(deal, t0 + days{3});  // a clock behind the data
  REQUIRE(stages.size() == 2);
  CHECK(stages[0].time == days{5});
  CHECK(stages[1].time == Duration{0});
  CHECK(time_in_stage(Deal{}, t0).empty());
}

TEST_CASE("average_time_in_stage lists every stage of the pipeline in order", "[crm]") {
  const Pipeline pipeline = sales_pipeline();
  std::vector<Deal> deals = {
      deal_through({{"lead", days{0}}, {"qualified", days{1}}, {"lost", days{4}}}),
      deal_through({{"lead", days{0}}, {"qualified", days{2}}}),
      deal_through({{"lead", days{0}}, {"qualified", 1h}}),
      deal_through({{"lead", days{0}}, {"proposal", days{50}}})};
  deals[3].pipeline = PipelineId(2);  // other pipeline: ignored

  const auto rows = average_time_in_stage(deals, pipeline, t0 + days{5});
  REQUIRE(rows.size() == 5);
  CHECK(rows[0].stage == "lead");
  CHECK(rows[0].deals == 3);
  // (1 day + 2 days + 1 hour) / 3, rounded to the microsecond
  CHECK(rows[0].mean == Duration{days{3} + 1h} / 3);
  CHECK(rows[1].stage == "qualified");
  CHECK(rows[1].deals == 3);
  // (3 days + 3 days + (5 days - 1 hour)) / 3
  CHECK(rows[1].mean == Duration{days{11} - 1h} / 3);
  CHECK(rows[2].stage == "proposal");
  CHECK(rows[2].deals == 0);
  CHECK(rows[2].mean == Duration{0});
  CHECK(rows[3].deals == 0);
  CHECK(rows[4].stage == "lost");
  CHECK(rows[4].deals == 1);
}

TEST_CASE("is_rotting compares idle time in the current stage with its threshold", "[crm]") {
  const Pipeline pipeline = sales_pipeline();
  const Deal in_lead = deal_through({{"lead", days{0}}});  // lead rots after 14 days
  CHECK_FALSE(is_rotting(in_lead, pipeline, t0 + days{14}));
  CHECK(is_rotting(in_lead, pipeline, t0 + days{14} + 1s));

  const Deal in_proposal = deal_through({{"lead", days{0}}, {"proposal", days{20}}});
  CHECK_FALSE(is_rotting(in_proposal, pipeline, t0 + days{27}));  // 7 days in proposal
  CHECK(is_rotting(in_proposal, pipeline, t0 + days{28}));

  const Deal qualified = deal_through({{"qualified", days{0}}});  // no threshold
  CHECK_FALSE(is_rotting(qualified, pipeline, t0 + days{365}));
  const Deal lost = deal_through({{"lead", days{0}}, {"lost", days{1}}});
  CHECK_FALSE(is_rotting(lost, pipeline, t0 + days{365}));
  Deal unknown_stage = in_lead;
  unknown_stage.stage = "gone";
  CHECK_FALSE(is_rotting(unknown_stage, pipeline, t0 + days{365}));
}
