#include "crmkit/core/attribute.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

#include "crmkit/core/error.hpp"
#include "support/error_of.hpp"

using crmkit::attribute_to_string;
using crmkit::attribute_type_name;
using crmkit::Attributes;
using crmkit::AttributeValue;
using crmkit::validate_attributes;
using crmkit::ValidationError;

namespace {

using crmkit::test::validation_error_of;

ValidationError attributes_error(const Attributes& attributes) {
  return validation_error_of(
      [&attributes] { validate_attributes(attributes, "customer.attributes"); });
}

}  // namespace

TEST_CASE("attribute_type_name names each alternative", "[core]") {
  CHECK(attribute_type_name(AttributeValue{}) == "null");
  CHECK(attribute_type_name(AttributeValue{true}) == "bool");
  CHECK(attribute_type_name(AttributeValue{std::int64_t{42}}) == "integer");
  CHECK(attribute_type_name(AttributeValue{0.25}) == "double");
  CHECK(attribute_type_name(AttributeValue{std::string("gold")}) == "string");
  CHECK(attribute_type_name(AttributeValue{crmkit::parse_timestamp("2024-03-10T01:30:00Z")}) ==
        "timestamp");
}

TEST_CASE("attribute_to_string renders each alternative", "[core]") {
  CHECK(attribute_to_string(AttributeValue{}) == "null");
  CHECK(attribute_to_string(AttributeValue{true}) == "true");
  CHECK(attribute_to_string(AttributeValue{false}) == "false");
  CHECK(attribute_to_string(AttributeValue{std::int64_t{-1234567890123}}) == "-1234567890123");
  CHECK(attribute_to_string(AttributeValue{std::numeric_limits<std::int64_t>::min()}) ==
        "-9223372036854775808");
  CHECK(attribute_to_string(AttributeValue{std::string("Key account")}) == "Key account");
  CHECK(attribute_to_string(AttributeValue{std::string()}).empty());
  CHECK(attribute_to_string(AttributeValue{crmkit::parse_timestamp(
            "2024-03-10T01:30:00.5+01:00")}) == "2024-03-10T00:30:00.500000Z");
}

TEST_CASE("attribute_to_string prints doubles in their shortest round-trip form", "[core]") {
  CHECK(attribute_to_string(AttributeValue{0.1}) == "0.1");
  CHECK(attribute_to_string(AttributeValue{-2.5}) == "-2.5");
  CHECK(attribute_to_string(AttributeValue{1.0 / 3.0}) == "0.3333333333333333");
  const double tricky = 0.1 + 0.2;
  const std::string text = attribute_to_string(AttributeValue{tricky});
  CHECK(text == "0.30000000000000004");
  CHECK(std::stod(text) == tricky);
  CHECK(attribute_to_string(AttributeValue{std::numeric_limits<double>::infinity()}) == "inf");
}

TEST_CASE("validate_attributes accepts well-formed names and values", "[core]") {
  Attributes attributes;
  attributes["a"] = AttributeValue{};
  attributes["loyalty_tier"] = std::string("gold");
  attributes["erp.customer-no"] = std::int64_t{100234};
  attributes["score2"] = 0.75;
  attributes["vip"] = true;
  attributes["last_visit"] = crmkit::parse_timestamp("2024-03-10");
  attributes[std::string(64, 'x')] = -0.0;
  attributes["lowest"] = std::numeric_limits<double>::lowest();
  CHECK_NOTHROW(validate_attributes(attributes, "customer.attributes"));
  CHECK_NOTHROW(validate_attributes(Attributes{}, "customer.attributes"));
}

TEST_CASE("validate_attributes rejects bad names, naming the field and the name", "[core]") {
  struct Case {
    std::string name;
    const char* reason;
  };
  const Case cases[] = {
      {"", "it is empty"},
      {std::string(65, 'x'), "it has 65 characters, more than 64"},
      {"Tier", "start with a lower-case letter"},
      {"9lives", "start with a lower-case letter"},
      {"_hidden", "start with a lower-case letter"},
      {"loyalty tier", "' ' is not allowed"},
      {"loyaltyTier", "'T' is not allowed"},
      {"price€", "byte 0xE2 is not allowed"},
      {"a/b", "'/' is not allowed"},
  };
  for (const Case& c : cases) {
    INFO("name: '" << c.name << "'");
    Attributes attributes;
    attributes[c.name] = std::string("value");
    const ValidationError error = attributes_error(attributes);
    CHECK(error.field() == "customer.attributes[" + c.name + "]");
    CHECK(error.value() == c.name);
    CHECK_THAT(error.rule(),
               Catch::StartsWith("is not a valid attribute name: ") && Catch::Contains(c.reason));
  }
}

TEST_CASE("validate_attributes rejects non-finite doubles", "[core]") {
  for (const double bad :
       {std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
        std::numeric_limits<double>::quiet_NaN()}) {
    Attributes attributes;
    attributes["ok"] = 1.5;
    attributes["score"] = bad;
    const ValidationError error = attributes_error(attributes);
    INFO(error.what());
    CHECK(error.field() == "customer.attributes[score]");
    CHECK(error.value() == attribute_to_string(AttributeValue{bad}));
    CHECK(error.rule() == "must be a finite number");
  }
  Attributes attributes{{"churn_risk", std::numeric_limits<double>::quiet_NaN()}};
  REQUIRE_THROWS_AS(validate_attributes(attributes, "deal.attributes"), ValidationError);
  REQUIRE_THROWS_WITH(validate_attributes(attributes, "deal.attributes"),
                      "deal.attributes[churn_risk]: 'nan' must be a finite number");
}
