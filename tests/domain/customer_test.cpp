#include <catch2/catch.hpp>

#include "crmkit/core/error.hpp"
#include "crmkit/domain/customer.hpp"

using namespace crmkit;

TEST_CASE("display_name follows the customer's kind", "[domain]") {
  Customer person;
  person.given_name = "Ada";
  person.family_name = "Lovelace";
  CHECK(person.display_name() == "Ada Lovelace");
  person.given_name.clear();
  CHECK(person.display_name() == "Lovelace");
  person.given_name = "Ada";
  person.family_name.clear();
  CHECK(person.display_name() == "Ada");

  Customer org;
  org.kind = CustomerKind::organization;
  org.legal_name = "Analytical Engines Ltd";
  org.given_name = "ignored for organizations";
  CHECK(org.display_name() == "Analytical Engines Ltd");
}

TEST_CASE("primary contact points are found, or null", "[domain]") {
  Customer c;
  CHECK(c.primary_email() == nullptr);
  CHECK(c.primary_phone() == nullptr);
  c.emails.push_back({Email("ada@work.example"), "work", false});
  c.emails.push_back({Email("ada@home.example"), "home", true});
  c.phones.push_back({Phone("+442079460958"), "office", true});
  REQUIRE(c.primary_email() != nullptr);
  CHECK(c.primary_email()->address.str() == "ada@home.example");
  REQUIRE(c.primary_phone() != nullptr);
  CHECK(c.primary_phone()->number.str() == "+442079460958");
}

TEST_CASE("customer enums round-trip through their names", "[domain]") {
  for (auto kind : {CustomerKind::person, CustomerKind::organization}) {
    CHECK(parse_customer_kind(to_string(kind)) == kind);
  }
  for (auto stage : {LifecycleStage::lead, LifecycleStage::prospect, LifecycleStage::customer,
                     LifecycleStage::inactive}) {
    CHECK(parse_lifecycle_stage(to_string(stage)) == stage);
  }
  for (auto status : {ConsentStatus::unknown, ConsentStatus::granted, ConsentStatus::withdrawn}) {
    CHECK(parse_consent_status(to_string(status)) == status);
  }
  for (auto basis : {LawfulBasis::none, LawfulBasis::consent, LawfulBasis::contract,
                     LawfulBasis::legal_obligation, LawfulBasis::vital_interests,
                     LawfulBasis::public_task, LawfulBasis::legitimate_interests}) {
    CHECK(parse_lawful_basis(to_string(basis)) == basis);
  }
  CHECK(to_string(LawfulBasis::legitimate_interests) == "legitimate_interests");
}

TEST_CASE("unknown customer enum names are rejected with the allowed list", "[domain]") {
  REQUIRE_THROWS_WITH(parse_customer_kind("company"),
                      Catch::Contains("customer.kind") && Catch::Contains("'company'") &&
                          Catch::Contains("person, organization"));
  REQUIRE_THROWS_AS(parse_lifecycle_stage("Lead"), ValidationError);  // names are case-sensitive
  REQUIRE_THROWS_WITH(parse_consent_status(""), Catch::Contains("customer.consent.status"));
  REQUIRE_THROWS_WITH(parse_lawful_basis("gdpr"), Catch::Contains("customer.consent.basis"));
}
