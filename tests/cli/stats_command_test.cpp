// `crmkit stats`: the counts of each kind of record.

#include <string>

#include <nlohmann/json.hpp>

#include "cli_fixture.hpp"

using Catch::Contains;
using cli_test::Result;
using cli_test::TempStore;
using nlohmann::json;

TEST_CASE("stats counts the records of each kind", "[cli]") {
  const TempStore store;
  store.import_fixtures();

  SECTION("JSON") {
    const Result result = store.run({"stats", "--format", "json"});
    REQUIRE(result.status == 0);
    const json counts = json::parse(result.out);
    CHECK(counts == json{{"customers", 6},
                         {"deleted_customers", 0},
                         {"interactions", 3},
                         {"pipelines", 0},
                         {"deals", 0},
                         {"purchases", 5}});
  }
  SECTION("CSV") {
    CHECK(store.run({"stats", "--format", "csv"}).out ==
          "entity,count\ncustomers,6\ndeleted_customers,0\ninteractions,3\npipelines,0\ndeals,0\n"
          "purchases,5\n");
  }
  SECTION("an aligned table") {
    CHECK(store.run({"stats"}).out ==
          "entity             count\n"
          "-----------------  -----\n"
          "customers              6\n"
          "deleted_customers      0\n"
          "interactions           3\n"
          "pipelines              0\n"
          "deals                  0\n"
          "purchases              5\n");
  }
}

TEST_CASE("stats groups the digits of large counts in tables only", "[cli]") {
  // 1,200 purchases of one customer, written here rather than stored as a large fixture.
  const TempStore store;
  const std::string file = store.file("many.csv");
  {
    std::ofstream out(file);
    out << "customer_id,timestamp,amount,currency\n";
    for (int day = 0; day < 1200; ++day)
      out << "C-1," << (1704067200 + day * 86400) << ",1.00,EUR\n";
  }
  REQUIRE(store.run({"import", "purchases", file, "--time-format", "unix-seconds", "-q"}).status ==
          0);
  CHECK_THAT(store.run({"stats"}).out, Contains("purchases          1,200\n"));
  CHECK_THAT(store.run({"stats", "--format", "csv"}).out, Contains("purchases,1200\n"));
}

TEST_CASE("stats of a missing database fails", "[cli]") {
  const TempStore store;
  const Result result = store.run({"stats"});
  CHECK(result.status == 1);
  CHECK_THAT(result.err, Contains("no database at '" + store.db() + "'"));
}
