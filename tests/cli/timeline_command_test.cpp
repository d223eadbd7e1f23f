// `crmkit timeline CUSTOMER`: newest first, one summary per entry, limited.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_fixture.hpp"

using Catch::Contains;
using Catch::StartsWith;
using cli_test::Result;
using cli_test::TempStore;
using nlohmann::json;

TEST_CASE("timeline lists a customer's interactions and purchases, newest first", "[cli]") {
  const TempStore store;
  store.import_fixtures();

  SECTION("a table with a title line") {
    const Result result = store.run({"timeline", "2"});
    REQUIRE(result.status == 0);
    const std::vector<std::string> lines = cli_test::lines_of(result.out);
    REQUIRE(lines.size() == 8);
    CHECK(lines[0] == "timeline of customer 2 (Ann Lee, external ref C-1), newest first:");
    CHECK_THAT(lines[1], StartsWith("at                    kind         id  summary"));
    CHECK(
        lines[3] ==
        "2024-03-01T08:00:00Z  purchase      4  purchase -15.00 EUR order SO-2-R product SKU-MUG");
    CHECK(lines[4] == "2024-02-11T10:30:00Z  interaction   2  email inbound \"Re: mug order\"");
    CHECK(lines[7] ==
          "2024-01-04T09:00:00Z  interaction   1  phone outbound \"Intro call\" (completed)");
  }
  SECTION("JSON, by external ref, limited") {
    const Result result =
        store.run({"timeline", "--external-ref", "C-1", "--limit", "2", "--format", "json"});
    REQUIRE(result.status == 0);
    const json timeline = json::parse(result.out);
    CHECK(timeline.at("customer") == 2);
    CHECK(timeline.at("more") == true);
    const json& entries = timeline.at("entries");
    REQUIRE(entries.size() == 2);
    CHECK(entries[0].at("at") == "2024-03-01T08:00:00Z");
    CHECK(entries[0].at("kind") == "purchase");
    CHECK(entries[1].at("kind") == "interaction");
    CHECK(entries[1].at("summary") == "email inbound \"Re: mug order\"");
  }
  SECTION("CSV") {
    const Result result = store.run({"timeline", "3", "--format", "csv"});
    REQUIRE(result.status == 0);
    CHECK(result.out ==
          "at,kind,id,summary\n"
          "2024-01-07T14:02:11Z,purchase,3,purchase 2499.00 EUR order SO-3 product SKU-DESK\n"
          "2024-01-06T16:00:00Z,interaction,3,\"meeting outbound \"\"Demo\"\" (interested)\"\n");
  }
  SECTION("a customer without history has an empty timeline") {
    const json timeline = json::parse(store.run({"timeline", "1", "--format", "json"}).out);
    CHECK(timeline.at("entries").empty());
    CHECK(timeline.at("more") == false);
  }
}

TEST_CASE("timeline failures", "[cli]") {
  const TempStore store;
  store.import_fixtures();
  const Result unknown = store.run({"timeline", "42"});
  CHECK(unknown.status == 1);
  CHECK(unknown.err == "crmkit: error: customer '42' not found\n");
  const Result no_customer = store.run({"timeline"});
  CHECK(no_customer.status == 2);
  CHECK_THAT(no_customer.err, Contains("missing argument CUSTOMER"));
  const Result bad_limit = store.run({"timeline", "2", "--limit", "0"});
  CHECK(bad_limit.status == 2);
  CHECK_THAT(bad_limit.err, Contains("invalid value '0' for --limit"));
}
