// `crmkit customers list|show|find` on the fixture store, in every output format.

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_fixture.hpp"
#include "crmkit/io/csv_reader.hpp"

using Catch::Contains;
using Catch::StartsWith;
using cli_test::Result;
using cli_test::TempStore;
using nlohmann::json;

namespace {

std::vector<std::int64_t> ids_in(const json& customers) {
  std::vector<std::int64_t> ids;
  for (const json& customer : customers) ids.push_back(customer.at("id").get<std::int64_t>());
  return ids;
}

// The rows of CSV text, read back with crmkit's own reader.
std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::istringstream in(text);
  crmkit::io::CsvReader reader(in, "output");
  std::vector<std::vector<std::string>> rows{reader.columns()};
  std::vector<std::string_view> fields;
  while (reader.next(fields)) rows.emplace_back(fields.begin(), fields.end());
  return rows;
}

}  // namespace

TEST_CASE("customers list pages through customers by id", "[cli]") {
  const TempStore store;
  store.import_fixtures();

  SECTION("an aligned table, with the cursor of the next page") {
    const Result result = store.run({"customers", "list", "--limit", "2"});
    REQUIRE(result.status == 0);
    const std::vector<std::string> lines = cli_test::lines_of(result.out);
    REQUIRE(lines.size() == 5);
    CHECK_THAT(lines[0], StartsWith("id  external_ref  kind          name                email"));
    CHECK_THAT(lines[1], StartsWith("--  ------------  ------------  ------------------  -----"));
    CHECK_THAT(
        lines[2],
        StartsWith(" 1  ORG-1         organization  ACME Industries SA  contact@acme.example"));
    CHECK_THAT(
        lines[3],
        StartsWith(" 2  C-1           person        Ann Lee             ann.lee@example.com"));
    CHECK(lines[4] == "(more: --after 2)");
  }
  SECTION("--after continues where the last page ended") {
    const Result result = store.run({"customers", "list", "--after", "2", "--format", "json"});
    REQUIRE(result.status == 0);
    const json page = json::parse(result.out);
    CHECK(ids_in(page.at("customers")) == std::vector<std::int64_t>{3, 4, 5, 6});
    CHECK(page.at("next_after").is_null());
  }
  SECTION("JSON pages give the next cursor") {
    const json page =
        json::parse(store.run({"customers", "list", "--limit", "3", "--format", "json"}).out);
    CHECK(ids_in(page.at("customers")) == std::vector<std::int64_t>{1, 2, 3});
    CHECK(page.at("next_after") == 3);
  }
  SECTION("CSV has a header and one row per customer") {
    const Result result = store.run({"customers", "list", "--format", "csv"});
    REQUIRE(result.status == 0);
    const auto rows = csv_rows(result.out);
    REQUIRE(rows.size() == 7);
    CHECK(rows[0] == std::vector<std::string>{"id", "external_ref", "kind", "name", "email",
                                              "phone", "lifecycle", "owner", "tags"});
    CHECK(rows[1] == std::vector<std::string>{"1", "ORG-1", "organization", "ACME Industries SA",
                                              "contact@acme.example", "+33123456789", "customer",
                                              "alice", "b2b,key-account"});
    CHECK(rows[4][3] == "Chloé Dupont");
  }
  SECTION("filters combine") {
    auto ids = [&](std::vector<std::string> args) {
      args.insert(args.begin(), {"customers", "list"});
      args.insert(args.end(), {"--format", "json"});
      const Result result = store.run(args);
      INFO(result.err);
      REQUIRE(result.status == 0);
      return ids_in(json::parse(result.out).at("customers"));
    };
    CHECK(ids({"--owner", "alice"}) == std::vector<std::int64_t>{1, 2, 4});
    CHECK(ids({"--tag", "vip"}) == std::vector<std::int64_t>{2, 4});
    CHECK(ids({"--lifecycle", "lead"}) == std::vector<std::int64_t>{4, 5});
    CHECK(ids({"--kind", "organization"}) == std::vector<std::int64_t>{1});
    CHECK(ids({"--owner", "alice", "--tag", "vip", "--lifecycle", "customer"}) ==
          std::vector<std::int64_t>{2});
    CHECK(ids({"--updated-since", "2999-01-01"}).empty());
  }
}

TEST_CASE("customers list rejects bad filters as usage errors", "[cli]") {
  const TempStore store;
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"--limit", "0"}, "invalid value '0' for --limit: expected an integer from 1 to 10000"},
      {{"--limit", "10001"}, "invalid value '10001' for --limit"},
      {{"--lifecycle", "vip"},
       "invalid value 'vip' for --lifecycle: expected one of lead, prospect, customer, inactive"},
      {{"--kind", "robot"},
       "invalid value 'robot' for --kind: expected one of person, organization"},
      {{"--updated-since", "yesterday"}, "invalid value 'yesterday' for --updated-since"},
  };
  for (const auto& [flags, message] : cases) {
    std::vector<std::string> args{"customers", "list"};
    args.insert(args.end(), flags.begin(), flags.end());
    const Result result = store.run(args);
    INFO(message);
    CHECK(result.status == 2);
    CHECK_THAT(result.err, Contains(message));
  }
}

TEST_CASE("customers show prints every field of one customer", "[cli]") {
  const TempStore store;
  store.import_fixtures();

  SECTION("by id, as field and value lines") {
    const Result result = store.run({"customers", "show", "2"});
    REQUIRE(result.status == 0);
    for (const char* line :
         {"id                  2\n", "external_ref        C-1\n", "name                Ann Lee\n",
          "emails[0]           ann.lee@example.com (primary)\n",
          "phones[0]           +442079460958 (primary)\n",
          "addresses[0]        1 Main St, EC1A 1BB London, GB (work, primary)\n",
          "memberships[0]      #1 ACME Industries SA (CFO)\n", "tags                vip\n",
          "lifecycle           customer\n", "source              web-form\n",
          "consent.status      unknown\n", "attributes.score    42\n", "attributes.segment  gold\n",
          "version             1\n"}) {
      CHECK_THAT(result.out, Contains(line));
    }
    CHECK_THAT(result.out, Contains("\ncreated_at          20"));
  }
  SECTION("by external ref, as JSON") {
    const Result result =
        store.run({"customers", "show", "--external-ref", "ORG-1", "--format", "json"});
    REQUIRE(result.status == 0);
    const json organization = json::parse(result.out);
    CHECK(organization.at("id") == 1);
    CHECK(organization.at("kind") == "organization");
    CHECK(organization.at("legal_name") == "ACME Industries SA");
    CHECK(organization.at("tags") == json::array({"b2b", "key-account"}));
    CHECK(organization.at("deleted_at").is_null());
    CHECK(organization.at("consent").at("basis") == "none");
  }
  SECTION("as CSV field,value rows") {
    const auto rows = csv_rows(store.run({"customers", "show", "4", "--format", "csv"}).out);
    REQUIRE(rows.size() > 3);
    CHECK(rows[0] == std::vector<std::string>{"field", "value"});
    CHECK(rows[1] == std::vector<std::string>{"id", "4"});
    CHECK(std::find(rows.begin(), rows.end(), std::vector<std::string>{"tags", "newsletter,vip"}) !=
          rows.end());
  }
  SECTION("an unknown customer fails") {
    const Result by_id = store.run({"customers", "show", "99"});
    CHECK(by_id.status == 1);
    CHECK(by_id.err == "crmkit: error: customer '99' not found\n");
    const Result by_ref = store.run({"customers", "show", "--external-ref", "C-404"});
    CHECK(by_ref.status == 1);
    CHECK(by_ref.err == "crmkit: error: customer with external ref 'C-404' not found\n");
  }
  SECTION("the customer must be named once, by a valid id") {
    const Result neither = store.run({"customers", "show"});
    CHECK(neither.status == 2);
    CHECK_THAT(neither.err, Contains("missing argument CUSTOMER"));
    const Result both = store.run({"customers", "show", "2", "--external-ref", "C-1"});
    CHECK(both.status == 2);
    CHECK_THAT(both.err, Contains("give a customer id or --external-ref, not both"));
    const Result malformed = store.run({"customers", "show", "C-1"});
    CHECK(malformed.status == 2);
    CHECK_THAT(malformed.err, Contains("invalid value 'C-1' for CUSTOMER: expected a customer id"));
  }
}

TEST_CASE("customers find looks customers up by email, phone or external ref", "[cli]") {
  const TempStore store;
  store.import_fixtures();
  auto found = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"customers", "find"});
    args.insert(args.end(), {"--format", "json"});
    const Result result = store.run(args);
    INFO(result.err);
    REQUIRE(result.status == 0);
    return ids_in(json::parse(result.out));
  };
  CHECK(found({"--email", "BOB@example.com"}) == std::vector<std::int64_t>{3});
  CHECK(found({"--phone", "+33 6 12 34 56 78"}) == std::vector<std::int64_t>{4});
  CHECK(found({"--phone", "06 12 34 56 78", "--region", "FR"}) == std::vector<std::int64_t>{4});
  CHECK(found({"--external-ref", "N-9"}) == std::vector<std::int64_t>{6});
  CHECK(found({"--email", "nobody@example.com"}).empty());
  CHECK(found({"--external-ref", "nobody"}).empty());

  const Result table = store.run({"customers", "find", "--email", "ann.lee@example.com"});
  CHECK_THAT(table.out, Contains("\n 2  C-1           person  Ann Lee"));

  SECTION("exactly one criterion") {
    CHECK(store.run({"customers", "find"}).status == 2);
    const Result two =
        store.run({"customers", "find", "--email", "a@b.example", "--external-ref", "x"});
    CHECK(two.status == 2);
    CHECK_THAT(two.err, Contains("give exactly one of --email, --phone and --external-ref"));
    const Result region =
        store.run({"customers", "find", "--email", "a@b.example", "--region", "FR"});
    CHECK(region.status == 2);
    CHECK_THAT(region.err, Contains("--region only applies to --phone"));
    const Result unknown_region =
        store.run({"customers", "find", "--phone", "0612", "--region", "ZZ"});
    CHECK(unknown_region.status == 2);
    CHECK_THAT(unknown_region.err, Contains("invalid value 'ZZ' for --region"));
  }
  SECTION("a malformed address fails with the library's reason") {
    const Result result = store.run({"customers", "find", "--email", "not-an-address"});
    CHECK(result.status == 1);
    CHECK_THAT(result.err, StartsWith("crmkit: error: "));
    CHECK_THAT(result.err, Contains("'not-an-address'"));
  }
}

TEST_CASE("reading a store that does not exist fails and creates nothing", "[cli]") {
  const TempStore store;
  for (const std::vector<std::string>& args : {std::vector<std::string>{"customers", "list"},
                                               {"customers", "show", "1"},
                                               {"customers", "find", "--email", "a@b.example"}}) {
    const Result result = store.run(args);
    CHECK(result.status == 1);
    CHECK(result.err ==
          "crmkit: error: no database at '" + store.db() + "': check --db, or import data first\n");
  }
  CHECK_FALSE(std::filesystem::exists(store.db()));
}
