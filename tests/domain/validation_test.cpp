#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>

#include "crmkit/domain/validation.hpp"
#include "support/validation_matchers.hpp"

using namespace crmkit;
using crmkit::test::require_invalid;

namespace {

Timestamp at(const char* text) { return parse_timestamp(text); }

Customer valid_person() {
  Customer c;
  c.kind = CustomerKind::person;
  c.given_name = "Zoë";
  c.family_name = "Ndiaye-Łukasiewicz";
  c.emails = {{Email("zoe@Example.COM"), "work", true}, {Email("zoe.n@home.example"), "home", false}};
  c.phones = {{Phone("06 12 34 56 78", "FR"), "mobile", true}};
  c.addresses = {{{"12 rue de la Paix", "Bâtiment B"}, "Paris", "Île-de-France", "75002", "FR",
                  "billing", true}};
  c.memberships = {{CustomerId(7), "CFO"}};
  c.external_ref = "ERP-000042";
  c.owner = "sam";
  c.tags = {"vip", "newsletter"};
  c.lifecycle = LifecycleStage::customer;
  c.source = "trade fair 2026";
  c.consent = {ConsentStatus::granted, at("2026-03-01T10:00:00Z"), LawfulBasis::consent};
  c.attributes = {{"segment", std::string("B2B")}, {"score", std::int64_t{87}}};
  c.created_at = at("2026-03-01T10:00:00Z");
  c.updated_at = at("2026-03-02T08:00:00Z");
  return c;
}

Customer valid_organization() {
  Customer c;
  c.kind = CustomerKind::organization;
  c.legal_name = "Société Générale d'Exemple SA";
  return c;
}

Pipeline valid_pipeline() {
  Pipeline p;
  p.id = PipelineId(3);
  p.name = "New business";
  p.stages = {{"lead", "Lead", StageCategory::open, 0.1, 30},
              {"proposal", "Proposal", StageCategory::open, 0.6, 14},
              {"won", "Won", StageCategory::won, 1.0, std::nullopt},
              {"lost", "Lost", StageCategory::lost, 0.0, std::nullopt}};
  return p;
}

Deal valid_open_deal() {
  Deal d;
  d.pipeline = PipelineId(3);
  d.stage = "proposal";
  d.customer = CustomerId(7);
  d.contacts = {{CustomerId(8), "decision maker"}};
  d.title = "ACME renewal 2027";
  d.amount = Money::parse("12500.00", Currency("EUR"));
  d.expected_close = parse_date("2026-12-15");
  d.owner = "sam";
  d.history = {{std::nullopt, "lead", at("2026-10-01T09:00:00Z"), "sam", ""},
               {"lead", "proposal", at("2026-10-20T15:00:00Z"), "sam", ""}};
  d.created_at = at("2026-10-01T09:00:00Z");
  d.updated_at = at("2026-10-20T15:00:00Z");
  return d;
}

Interaction valid_interaction() {
  Interaction i;
  i.channel = Channel::phone;
  i.direction = Direction::outbound;
  i.occurred_at = at("2026-10-02T14:00:00Z");
  i.duration = std::chrono::seconds(540);
  i.subject = "Discovery call";
  i.body = "Talked about volumes.\nFollow-up:\tsend the price list.";
  i.outcome = "completed";
  i.author = "sam";
  i.customers = {CustomerId(7), CustomerId(8)};
  i.deal = DealId(1);
  return i;
}

Purchase valid_purchase() {
  Purchase p;
  p.customer = CustomerId(7);
  p.occurred_at = at("2011-12-09T12:50:00Z");
  p.amount = Money::parse("16.60", Currency("GBP"));
  p.order_ref = "581587";
  p.quantity = 4;
  p.product_ref = "22138";
  return p;
}

}  // namespace

TEST_CASE("realistic records pass validation", "[domain]") {
  CHECK_NOTHROW(validate(valid_person()));
  CHECK_NOTHROW(validate(valid_organization()));
  CHECK_NOTHROW(validate(valid_pipeline()));
  CHECK_NOTHROW(validate(valid_open_deal(), valid_pipeline()));
  CHECK_NOTHROW(validate(valid_interaction()));
  CHECK_NOTHROW(validate(valid_purchase()));
}

TEST_CASE("customer names follow the kind", "[domain]") {
  auto c = valid_person();
  c.given_name.clear();
  CHECK_NOTHROW(validate(c));  // a family name alone is enough
  c.family_name.clear();
  require_invalid([&] { validate(c); }, "customer.given_name", "", "needs a name");
  c = valid_person();
  c.legal_name = "Zoë Ltd";
  require_invalid([&] { validate(c); }, "customer.legal_name", "Zoë Ltd", "person");

  auto o = valid_organization();
  o.legal_name.clear();
  require_invalid([&] { validate(o); }, "customer.legal_name", "", "organization");
  o.legal_name = "   ";
  require_invalid([&] { validate(o); }, "customer.legal_name", "", "empty");
  o = valid_organization();
  o.given_name = "Bob";
  require_invalid([&] { validate(o); }, "customer.given_name", "Bob");
  o = valid_organization();
  o.family_name = "Smith";
  require_invalid([&] { validate(o); }, "customer.family_name", "Smith");
  o = valid_organization();
  o.memberships = {{CustomerId(9), "parent"}};
  require_invalid([&] { validate(o); }, "customer.memberships", "1 memberships", "only persons");
}

TEST_CASE("customer text fields must be valid UTF-8 of bounded length", "[domain]") {
  auto c = valid_person();
  c.given_name = std::string(201, 'a');
  require_invalid([&] { validate(c); }, "customer.given_name", "aaaa", "at most 200 bytes");
  c = valid_person();
  c.family_name = std::string("Smith\0Jones", 11);
  require_invalid([&] { validate(c); }, "customer.family_name", "Smith", "control character 0x00");
  c = valid_person();
  c.family_name = "Caf\xC3";  // truncated two-byte sequence
  require_invalid([&] { validate(c); }, "customer.family_name", "Caf", "UTF-8");
  c = valid_person();
  c.family_name = "\xC0\xAF";  // overlong encoding of '/'
  require_invalid([&] { validate(c); }, "customer.family_name", "", "UTF-8");
  c = valid_person();
  c.family_name = "\xED\xA0\x80";  // UTF-16 surrogate half
  require_invalid([&] { validate(c); }, "customer.family_name", "", "UTF-8");
  c = valid_person();
  c.family_name = "\xF4\x90\x80\x80";  // beyond U+10FFFF
  require_invalid([&] { validate(c); }, "customer.family_name", "", "UTF-8");
  c = valid_person();
  c.family_name = "\xF0\x9F\x98\x80 emoji ok";  // U+1F600 is fine
  CHECK_NOTHROW(validate(c));
  c = valid_person();
  c.owner = std::string(129, 'o');
  require_invalid([&] { validate(c); }, "customer.owner", "", "at most 128");
  c = valid_person();
  c.source = "line\nbreak";
  require_invalid([&] { validate(c); }, "customer.source", "line", "0x0A");
}

TEST_CASE("contact lists need exactly one primary entry", "[domain]") {
  auto c = valid_person();
  c.emails[1].primary = true;
  require_invalid([&] { validate(c); }, "customer.emails", "2 primary", "exactly one");
  c = valid_person();
  c.emails[0].primary = false;
  require_invalid([&] { validate(c); }, "customer.emails", "0 primary", "exactly one");
  c = valid_person();
  c.phones[0].primary = false;
  require_invalid([&] { validate(c); }, "customer.phones", "0 primary");
  c = valid_person();
  c.addresses.push_back(c.addresses[0]);
  require_invalid([&] { validate(c); }, "customer.addresses", "2 primary");
  c = valid_person();
  c.emails.clear();
  c.phones.clear();
  c.addresses.clear();
  CHECK_NOTHROW(validate(c));  // empty lists need no primary
  c = valid_person();
  c.emails[1].label = "tab\tlabel";
  require_invalid([&] { validate(c); }, "customer.emails[1].label", "tab");
  c = valid_person();
  c.phones[0].label = std::string(65, 'x');
  require_invalid([&] { validate(c); }, "customer.phones[0].label", "", "at most 64");
}

TEST_CASE("postal addresses are checked field by field", "[domain]") {
  auto c = valid_person();
  c.addresses[0].lines = {"", ""};
  require_invalid([&] { validate(c); }, "customer.addresses[0].lines", "2 lines", "non-empty line");
  c = valid_person();
  c.addresses[0].country = "France";
  require_invalid([&] { validate(c); }, "customer.addresses[0].country", "France", "ISO 3166");
  c = valid_person();
  c.addresses[0].country = "fr";
  require_invalid([&] { validate(c); }, "customer.addresses[0].country", "fr");
  c = valid_person();
  c.addresses[0].lines[1] = std::string(201, 'b');
  require_invalid([&] { validate(c); }, "customer.addresses[0].lines[1]");
  c = valid_person();
  c.addresses[0].city = "Pa\x01ris";
  require_invalid([&] { validate(c); }, "customer.addresses[0].city");
  c = valid_person();
  c.addresses[0].region = "\xFF";
  require_invalid([&] { validate(c); }, "customer.addresses[0].region", "", "UTF-8");
  c = valid_person();
  c.addresses[0].postal_code = std::string(65, '7');
  require_invalid([&] { validate(c); }, "customer.addresses[0].postal_code");
  c = valid_person();
  c.addresses[0].label = "a\rb";
  require_invalid([&] { validate(c); }, "customer.addresses[0].label");
}

TEST_CASE("memberships name distinct organizations other than the customer", "[domain]") {
  auto c = valid_person();
  c.memberships.push_back({CustomerId(0), "board"});
  require_invalid([&] { validate(c); }, "customer.memberships[1].organization", "0", "> 0");
  c = valid_person();
  c.memberships.push_back({CustomerId(7), "advisor"});
  require_invalid([&] { validate(c); }, "customer.memberships[1].organization", "7", "repeat");
  c = valid_person();
  c.id = CustomerId(7);
  require_invalid([&] { validate(c); }, "customer.memberships[0].organization", "7", "itself");
  c = valid_person();
  c.memberships[0].role = std::string(201, 'r');
  require_invalid([&] { validate(c); }, "customer.memberships[0].role");
}

TEST_CASE("external refs, tags and consent follow their rules", "[domain]") {
  auto c = valid_person();
  c.external_ref = "";
  require_invalid([&] { validate(c); }, "customer.external_ref", "", "unset");
  c.external_ref = std::string(129, '9');
  require_invalid([&] { validate(c); }, "customer.external_ref", "999", "at most 128");
  c.external_ref = std::nullopt;
  CHECK_NOTHROW(validate(c));

  c = valid_person();
  c.tags.insert("");
  require_invalid([&] { validate(c); }, "customer.tags", "", "empty tag");
  c = valid_person();
  c.tags.insert("a,b");
  require_invalid([&] { validate(c); }, "customer.tags", "a,b", "comma");
  c = valid_person();
  c.tags.insert(std::string(65, 't'));
  require_invalid([&] { validate(c); }, "customer.tags", "ttt", "at most 64");

  c = valid_person();
  c.consent.at.reset();
  require_invalid([&] { validate(c); }, "customer.consent.at", "", "granted");
  c = valid_person();
  c.consent.basis = LawfulBasis::none;
  require_invalid([&] { validate(c); }, "customer.consent.basis", "none", "lawful basis");
  c = valid_person();
  c.consent = {ConsentStatus::withdrawn, std::nullopt, LawfulBasis::none};
  require_invalid([&] { validate(c); }, "customer.consent.at", "", "withdrawn");
  c.consent.at = at("2026-05-01T00:00:00Z");
  CHECK_NOTHROW(validate(c));  // withdrawal needs a time, not a basis
}

TEST_CASE("customer attributes, versions and stamps are checked", "[domain]") {
  auto c = valid_person();
  c.attributes["Bad Name"] = std::int64_t{1};
  REQUIRE_THROWS_WITH(validate(c), Catch::Contains("customer.attributes") &&
                                       Catch::Contains("Bad Name"));
  c = valid_person();
  c.attributes["ratio"] = std::numeric_limits<double>::quiet_NaN();
  REQUIRE_THROWS_AS(validate(c), ValidationError);
  c = valid_person();
  c.version = -1;
  require_invalid([&] { validate(c); }, "customer.version", "-1");
  c = valid_person();
  c.updated_at = at("2026-02-01T00:00:00Z");
  require_invalid([&] { validate(c); }, "customer.updated_at", "2026-02-01", "created_at");
}

TEST_CASE("interactions need customers, a time and bounded text", "[domain]") {
  auto i = valid_interaction();
  i.customers.clear();
  require_invalid([&] { validate(i); }, "interaction.customers", "0 customers");
  i = valid_interaction();
  i.customers.push_back(CustomerId(7));
  require_invalid([&] { validate(i); }, "interaction.customers[2]", "7", "repeat");
  i = valid_interaction();
  i.customers[1] = CustomerId(-4);
  require_invalid([&] { validate(i); }, "interaction.customers[1]", "-4");
  i = valid_interaction();
  i.deal = DealId(0);
  require_invalid([&] { validate(i); }, "interaction.deal", "0");
  i = valid_interaction();
  i.occurred_at = Timestamp{};
  require_invalid([&] { validate(i); }, "interaction.occurred_at", "1970-01-01", "epoch");
  i = valid_interaction();
  i.duration = std::chrono::seconds(-5);
  require_invalid([&] { validate(i); }, "interaction.duration", "-5 s", "negative");
  i = valid_interaction();
  i.subject = "two\nlines";
  require_invalid([&] { validate(i); }, "interaction.subject", "two");
  i = valid_interaction();
  i.subject = std::string(501, 's');
  require_invalid([&] { validate(i); }, "interaction.subject", "", "at most 500");
  i = valid_interaction();
  i.body = std::string((1 << 20) + 1, 'b');
  require_invalid([&] { validate(i); }, "interaction.body", "", "at most 1048576");
  i = valid_interaction();
  i.body = std::string("nul\0inside", 10);
  require_invalid([&] { validate(i); }, "interaction.body", "nul", "0x00");
  i = valid_interaction();
  i.outcome = std::string(201, 'o');
  require_invalid([&] { validate(i); }, "interaction.outcome");
  i = valid_interaction();
  i.author = "\x80";
  require_invalid([&] { validate(i); }, "interaction.author", "", "UTF-8");
  i = valid_interaction();
  i.external_ref = "";
  require_invalid([&] { validate(i); }, "interaction.external_ref");
  i = valid_interaction();
  i.version = -2;
  require_invalid([&] { validate(i); }, "interaction.version");
}

TEST_CASE("pipelines need a name, unique well-formed keys and an open stage", "[domain]") {
  auto p = valid_pipeline();
  p.name.clear();
  require_invalid([&] { validate(p); }, "pipeline.name", "", "empty");
  p = valid_pipeline();
  p.name = std::string(201, 'n');
  require_invalid([&] { validate(p); }, "pipeline.name", "", "at most 200");
  p = valid_pipeline();
  p.stages[1].key = "lead";
  require_invalid([&] { validate(p); }, "pipeline.stages[1].key", "lead", "unique");
  p = valid_pipeline();
  p.stages[0].key = "Lead In";
  require_invalid([&] { validate(p); }, "pipeline.stages[0].key", "Lead In", "a-z");
  p = valid_pipeline();
  p.stages[0].key = "";
  require_invalid([&] { validate(p); }, "pipeline.stages[0].key");
  p = valid_pipeline();
  p.stages[0].key = std::string(65, 'k');
  require_invalid([&] { validate(p); }, "pipeline.stages[0].key");
  p = valid_pipeline();
  p.stages[1].name.clear();
  require_invalid([&] { validate(p); }, "pipeline.stages[1].name", "", "empty");
  p = valid_pipeline();
  p.stages[1].probability = 1.5;
  require_invalid([&] { validate(p); }, "pipeline.stages[1].probability", "1.5", "between 0 and 1");
  p = valid_pipeline();
  p.stages[1].probability = std::nan("");
  require_invalid([&] { validate(p); }, "pipeline.stages[1].probability");
  p = valid_pipeline();
  p.stages[2].probability = 0.9;
  require_invalid([&] { validate(p); }, "pipeline.stages[2].probability", "0.9", "won stage");
  p = valid_pipeline();
  p.stages[3].probability = 0.1;
  require_invalid([&] { validate(p); }, "pipeline.stages[3].probability", "0.1", "lost stage");
  p = valid_pipeline();
  p.stages[0].rotting_days = 0;
  require_invalid([&] { validate(p); }, "pipeline.stages[0].rotting_days", "0", "positive");
  p = valid_pipeline();
  p.stages = {p.stages[2], p.stages[3]};
  require_invalid([&] { validate(p); }, "pipeline.stages", "2 stages", "open stage");
  p.stages.clear();
  require_invalid([&] { validate(p); }, "pipeline.stages", "0 stages");
}

TEST_CASE("deals are checked against their pipeline", "[domain]") {
  const Pipeline p = valid_pipeline();
  auto d = valid_open_deal();
  d.stage = "negotiation";
  require_invalid([&] { validate(d, p); }, "deal.stage", "negotiation", "New business");
  d = valid_open_deal();
  d.pipeline = PipelineId(4);
  require_invalid([&] { validate(d, p); }, "deal.pipeline", "4");
  d = valid_open_deal();
  d.customer = CustomerId();
  require_invalid([&] { validate(d, p); }, "deal.customer", "0");
  d = valid_open_deal();
  d.title = "  ";
  require_invalid([&] { validate(d, p); }, "deal.title", "", "empty");
  d = valid_open_deal();
  d.amount = Money::parse("-1.00", Currency("EUR"));
  require_invalid([&] { validate(d, p); }, "deal.amount", "-1.00 EUR", "negative");
  d = valid_open_deal();
  d.probability = -0.1;
  require_invalid([&] { validate(d, p); }, "deal.probability", "-0.1");
  d = valid_open_deal();
  d.contacts.push_back({CustomerId(8), "user"});
  require_invalid([&] { validate(d, p); }, "deal.contacts[1].person", "8", "repeat");
  d = valid_open_deal();
  d.contacts[0].person = CustomerId(0);
  require_invalid([&] { validate(d, p); }, "deal.contacts[0].person");
  d = valid_open_deal();
  d.owner = std::string(129, 'x');
  require_invalid([&] { validate(d, p); }, "deal.owner");
  d = valid_open_deal();
  d.external_ref = std::string(129, 'e');
  require_invalid([&] { validate(d, p); }, "deal.external_ref");
  d = valid_open_deal();
  d.updated_at = at("2026-09-01T00:00:00Z");
  require_invalid([&] { validate(d, p); }, "deal.updated_at");
}

TEST_CASE("close fields match the stage's category", "[domain]") {
  const Pipeline p = valid_pipeline();
  auto d = valid_open_deal();
  d.lost_reason = "price";
  require_invalid([&] { validate(d, p); }, "deal.lost_reason", "price", "unless the deal is lost");
  d = valid_open_deal();
  d.won_at = at("2026-10-21T00:00:00Z");
  require_invalid([&] { validate(d, p); }, "deal.won_at", "2026-10-21", "unless");

  auto won = valid_open_deal();
  won.history.push_back({"proposal", "won", at("2026-11-02T10:00:00Z"), "sam", ""});
  won.stage = "won";
  require_invalid([&] { validate(won, p); }, "deal.won_at", "", "must be set");
  won.won_at = at("2026-11-02T10:00:00Z");
  CHECK_NOTHROW(validate(won, p));
  won.lost_at = won.won_at;
  require_invalid([&] { validate(won, p); }, "deal.lost_at");

  auto lost = valid_open_deal();
  lost.history.push_back({"proposal", "lost", at("2026-11-02T10:00:00Z"), "sam", "price"});
  lost.stage = "lost";
  lost.lost_at = at("2026-11-02T10:00:00Z");
  require_invalid([&] { validate(lost, p); }, "deal.lost_reason", "", "lost deal");
  lost.lost_reason = "price";
  CHECK_NOTHROW(validate(lost, p));
  lost.lost_at.reset();
  require_invalid([&] { validate(lost, p); }, "deal.lost_at", "", "must be set");
}

TEST_CASE("deal history is a chain in time ending in the current stage", "[domain]") {
  const Pipeline p = valid_pipeline();
  auto d = valid_open_deal();
  d.history.clear();
  require_invalid([&] { validate(d, p); }, "deal.history", "0 entries");
  d = valid_open_deal();
  d.history[0].from = "lead";
  require_invalid([&] { validate(d, p); }, "deal.history[0].from", "lead", "opening entry");
  d = valid_open_deal();
  d.history[1].from = "proposal";
  require_invalid([&] { validate(d, p); }, "deal.history[1].from", "proposal", "'lead'");
  d = valid_open_deal();
  d.history[1].at = at("2026-09-30T00:00:00Z");
  require_invalid([&] { validate(d, p); }, "deal.history[1].at", "2026-09-30", "earlier");
  d = valid_open_deal();
  d.history[0].to = "qualification";
  d.history[1].from = "qualification";
  require_invalid([&] { validate(d, p); }, "deal.history[0].to", "qualification", "not a stage");
  d = valid_open_deal();
  d.stage = "lead";
  require_invalid([&] { validate(d, p); }, "deal.history", "proposal", "current stage 'lead'");
  d = valid_open_deal();
  d.history[1].by = std::string(129, 'b');
  require_invalid([&] { validate(d, p); }, "deal.history[1].by");
  d = valid_open_deal();
  d.history[0].at = Timestamp{};
  require_invalid([&] { validate(d, p); }, "deal.history[0].at", "", "epoch");
}

TEST_CASE("purchases need a customer, a time and a real currency", "[domain]") {
  auto p = valid_purchase();
  p.customer = CustomerId();
  require_invalid([&] { validate(p); }, "purchase.customer", "0");
  p = valid_purchase();
  p.occurred_at = Timestamp{};
  require_invalid([&] { validate(p); }, "purchase.occurred_at");
  p = valid_purchase();
  p.amount = Money();
  require_invalid([&] { validate(p); }, "purchase.amount", "0 XXX", "real currency");
  p = valid_purchase();
  p.amount = Money::parse("-16.60", Currency("GBP"));
  CHECK_NOTHROW(validate(p));  // refunds are allowed
  p.quantity = 0.0;
  require_invalid([&] { validate(p); }, "purchase.quantity", "0", "positive");
  p.quantity = std::numeric_limits<double>::infinity();
  require_invalid([&] { validate(p); }, "purchase.quantity", "inf");
  p = valid_purchase();
  p.order_ref = std::string(129, '5');
  require_invalid([&] { validate(p); }, "purchase.order_ref");
  p = valid_purchase();
  p.product_ref = "85123A\x1b";
  require_invalid([&] { validate(p); }, "purchase.product_ref", "85123A", "0x1B");
}

TEST_CASE("validate_text distinguishes single-line and multi-line text", "[domain]") {
  CHECK_NOTHROW(validate_text("a\tb\r\nc", "note", 100, /*single_line=*/false));
  require_invalid([] { validate_text("a\tb", "note", 100); }, "note", "a", "0x09");
  require_invalid([] { validate_text(std::string("a\0b", 3), "note", 100, false); }, "note", "",
                  "0x00");
  require_invalid([] { validate_text("\x7F", "note", 100); }, "note", "", "0x7F");
  CHECK_NOTHROW(validate_text("日本語のテキスト", "note", 24));
  require_invalid([] { validate_text("日本語のテキスト", "note", 23); }, "note", "", "at most 23");
}
