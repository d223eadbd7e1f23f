#include <catch2/catch.hpp>

#include "crmkit/core/error.hpp"
#include "crmkit/domain/pipeline.hpp"

using namespace crmkit;

namespace {
Pipeline sales() {
  Pipeline p;
  p.name = "New business";
  p.stages = {{"won-early", "Won (fast track)", StageCategory::won, 1.0, std::nullopt},
              {"lead", "Lead", StageCategory::open, 0.1, 30},
              {"proposal", "Proposal", StageCategory::open, 0.6, 14},
              {"lost", "Lost", StageCategory::lost, 0.0, std::nullopt}};
  return p;
}
}  // namespace

TEST_CASE("stages are found by key, in order", "[domain]") {
  const Pipeline p = sales();
  REQUIRE(p.find_stage("proposal") != nullptr);
  CHECK(p.find_stage("proposal")->probability == 0.6);
  CHECK(p.find_stage("Proposal") == nullptr);
  CHECK(p.stage_index("lost") == 3u);
  CHECK_FALSE(p.stage_index("nope").has_value());
  // The first open stage skips stages of other categories listed before it.
  REQUIRE(p.first_open_stage() != nullptr);
  CHECK(p.first_open_stage()->key == "lead");
  CHECK(Pipeline{}.first_open_stage() == nullptr);
}

TEST_CASE("stage categories round-trip through their names", "[domain]") {
  for (auto c : {StageCategory::open, StageCategory::won, StageCategory::lost}) {
    CHECK(parse_stage_category(to_string(c)) == c);
  }
  REQUIRE_THROWS_WITH(parse_stage_category("closed"),
                      Catch::Contains("stage.category") && Catch::Contains("open, won, lost"));
}
