// `crmkit export customers|purchases|interactions`: to a file or standard output, and back.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_fixture.hpp"

using Catch::Contains;
using Catch::StartsWith;
using cli_test::Result;
using cli_test::TempStore;
using nlohmann::json;

TEST_CASE("export writes CSV the importers read back", "[cli]") {
  const TempStore store;
  store.import_fixtures();

  SECTION("purchases to standard output, the count on stderr") {
    const Result result = store.run({"export", "purchases"});
    REQUIRE(result.status == 0);
    const std::vector<std::string> lines = cli_test::lines_of(result.out);
    REQUIRE(lines.size() == 6);
    CHECK(lines[0] == "id,customer_id,timestamp,amount,currency,order_ref,quantity,product_ref");
    CHECK_THAT(result.out,
               Contains(",C-2,2024-01-07T14:02:11.000000Z,2499.00,EUR,SO-3,1,SKU-DESK\n"));
    CHECK(result.err == "exported 5 purchases to standard output\n");
  }
  SECTION("customers to a file, then into a new store") {
    const std::string file = store.file("customers.csv");
    const Result result = store.run({"export", "customers", "--output", file});
    REQUIRE(result.status == 0);
    CHECK(result.out.empty());
    CHECK(result.err == "exported 6 customers to " + file + "\n");
    CHECK_THAT(cli_test::read_text(file),
               StartsWith("id,external_ref,kind,given_name,family_name"));

    const TempStore copy;
    REQUIRE(copy.run({"import", "customers", file, "-q"}).status == 0);
    const auto show = [](const TempStore& s) {
      json ann = json::parse(
          s.run({"customers", "show", "--external-ref", "C-1", "--format", "json"}).out);
      ann.erase("id");  // ids are the store's own
      ann.at("memberships").at(0).erase("organization");
      return ann;
    };
    CHECK(show(copy) == show(store));
  }
  SECTION("interactions, gzip-compressed, with another delimiter") {
    const std::string file = store.file("interactions.csv.gz");
    REQUIRE(store.run({"export", "interactions", "-o", file, "--delimiter", "tab", "-q"}).status ==
            0);
    const TempStore copy;
    const Result imported = copy.run({"import", "interactions", file, "--delimiter", "tab"});
    INFO(imported.err);
    REQUIRE(imported.status == 0);
    CHECK_THAT(imported.out, Contains("  rows imported                      3\n"));
    // The copy has the interactions alone, under customers created from their keys.
    CHECK(copy.run({"timeline", "--external-ref", "C-1", "--format", "csv"}).out ==
          "at,kind,id,summary\n"
          "2024-02-11T10:30:00Z,interaction,2,\"email inbound \"\"Re: mug order\"\"\"\n"
          "2024-01-04T09:00:00Z,interaction,1,\"phone outbound \"\"Intro call\"\" (completed)\"\n");
  }
}

TEST_CASE("export failures", "[cli]") {
  const TempStore store;
  const Result missing = store.run({"export", "customers"});
  CHECK(missing.status == 1);
  CHECK_THAT(missing.err, Contains("no database at"));
  const Result delimiter = store.run({"export", "customers", "--delimiter", "\""});
  CHECK(delimiter.status == 2);
  CHECK_THAT(delimiter.err, Contains("invalid value '\"' for --delimiter"));

  store.import_fixtures();
  const Result unwritable =
      store.run({"export", "customers", "-o", store.file("no/such/dir/out.csv")});
  CHECK(unwritable.status == 1);
  CHECK_THAT(unwritable.err, StartsWith("crmkit: error: "));
  CHECK_THAT(unwritable.err, Contains("out.csv"));
}
