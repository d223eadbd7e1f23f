#include <catch2/catch.hpp>

#include "crmkit/domain/deal.hpp"

using namespace crmkit;

TEST_CASE("effective probability prefers the manual override", "[domain]") {
  Pipeline p;
  p.name = "Renewals";
  p.stages = {{"talks", "Talks", StageCategory::open, 0.4, std::nullopt},
              {"won", "Won", StageCategory::won, 1.0, std::nullopt}};
  Deal d;
  d.stage = "talks";
  CHECK(d.effective_probability(p) == 0.4);
  d.probability = 0.75;
  CHECK(d.effective_probability(p) == 0.75);
  d.probability.reset();
  d.stage = "gone";  // a stage the pipeline does not have weighs nothing
  CHECK(d.effective_probability(p) == 0.0);
}

TEST_CASE("stage_entered_at is the last history entry, else created_at", "[domain]") {
  Deal d;
  d.created_at = parse_timestamp("2026-01-05T09:00:00Z");
  CHECK(d.stage_entered_at() == d.created_at);
  d.history.push_back({std::nullopt, "talks", parse_timestamp("2026-01-05T09:00:00Z"), "sam", ""});
  d.history.push_back({"talks", "won", parse_timestamp("2026-02-11T16:30:00Z"), "sam", ""});
  CHECK(d.stage_entered_at() == parse_timestamp("2026-02-11T16:30:00Z"));
}
