#include "crmkit/core/contact.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

#include "crmkit/core/error.hpp"
#include "support/error_of.hpp"

using crmkit::Email;
using crmkit::Phone;
using crmkit::ValidationError;

namespace {

using crmkit::test::validation_error_of;

ValidationError email_error(const std::string& text) {
  return validation_error_of([&text] { (void)Email(text); });
}

ValidationError phone_error(const std::string& text, std::string_view region = "") {
  return validation_error_of([&text, region] { (void)Phone(text, region); });
}

std::string phone(std::string_view text, std::string_view region = "") {
  return Phone(text, region).str();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Email

TEST_CASE("Email trims blanks and lower-cases the domain only", "[core]") {
  const Email email("  Alice.Smith@Example.COM \t");
  CHECK(email.str() == "Alice.Smith@example.com");
  CHECK(email.local_part() == "Alice.Smith");
  CHECK(email.domain() == "example.com");
  CHECK(email.lookup_key() == "alice.smith@example.com");
}

TEST_CASE("Email accepts the RFC 5322 atext characters", "[core]") {
  CHECK(Email("o'brien+crm@mail.example.co.uk").str() == "o'brien+crm@mail.example.co.uk");
  CHECK(Email("x@a.io").str() == "x@a.io");
  CHECK(Email("user_name-1!#$%&*/=?^`{|}~@sub-domain.example.org").local_part() ==
        "user_name-1!#$%&*/=?^`{|}~");
  CHECK(Email("first.middle.last@example.com").local_part() == "first.middle.last");
  // An IDN domain written in its ASCII (punycode) form is fine below the top level.
  CHECK(Email("info@xn--mnchen-3ya.de").domain() == "xn--mnchen-3ya.de");
}

TEST_CASE("Email compares by normalized text; lookups ignore case", "[core]") {
  CHECK(Email("bob@Example.com") == Email("bob@example.com"));
  CHECK_FALSE(Email("Bob@example.com") == Email("bob@example.com"));
  CHECK(Email("Bob@example.com").lookup_key() == Email("bob@EXAMPLE.com").lookup_key());
  CHECK(Email("a@example.com") < Email("b@example.com"));
}

TEST_CASE("Email local part is at most 64 characters", "[core]") {
  const std::string local64(64, 'a');
  CHECK(Email(local64 + "@example.com").local_part() == local64);
  const ValidationError error = email_error(std::string(65, 'a') + "@example.com");
  CHECK(error.field() == "email");
  CHECK(error.value() == std::string(65, 'a') + "@example.com");
  CHECK_THAT(error.rule(), Catch::Contains("the local part has 65 characters, more than 64"));
}

TEST_CASE("Email domain labels and length are bounded", "[core]") {
  const std::string label63(63, 'b');
  CHECK(Email("a@" + label63 + ".com").domain() == label63 + ".com");
  CHECK_THAT(email_error("a@" + std::string(64, 'b') + ".com").rule(),
             Catch::Contains("more than 63"));
  // 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253 characters.
  const std::string domain253 =
      label63 + "." + label63 + "." + label63 + "." + std::string(61, 'd');
  REQUIRE(domain253.size() == 253);
  CHECK(Email("a@" + domain253).domain() == domain253);
  const std::string domain254 =
      label63 + "." + label63 + "." + label63 + "." + std::string(62, 'd');
  CHECK_THAT(email_error("a@" + domain254).rule(),
             Catch::Contains("254 characters, more than 253"));
}

TEST_CASE("Email names the rule each bad address breaks", "[core]") {
  struct Case {
    std::string text;
    const char* reason;
  };
  const Case cases[] = {
      {"alice", "it has no '@'"},
      {"alice＠example.com", "it has no '@'"},
      {"alice@@example.com", "more than one '@'"},
      {"alice@home@example.com", "more than one '@'"},
      {"@example.com", "the local part before '@' is empty"},
      {"alice@", "the domain after '@' is empty"},
      {".alice@example.com", "the local part starts with a dot"},
      {"alice.@example.com", "the local part ends with a dot"},
      {"al..ice@example.com", "the local part has two dots in a row"},
      {"alice smith@example.com", "the local part contains a space"},
      {"\"alice\"@example.com", "the local part contains '\"'"},
      {"alice(work)@example.com", "the local part contains '('"},
      {"ali\nce@example.com", "the local part contains the control byte 0x0A"},
      {"josé@exemple.fr", "the local part contains the non-ASCII character 'é'"},
      {"\xD0\xB0lice@example.com", "the local part contains the non-ASCII character"},
      {"alice@exämple.com", "the domain contains the non-ASCII character 'ä'"},
      {"alice@example", "the domain has no dot"},
      {"alice@localhost", "the domain has no dot"},
      {"alice@example.com.", "the domain ends with a dot"},
      {"alice@.example.com", "the domain starts with a dot"},
      {"alice@example..com", "the domain has two dots in a row"},
      {"alice@exa_mple.com", "the domain contains '_'"},
      {"alice@-example.com", "the domain label '-example' starts or ends with a hyphen"},
      {"alice@example-.com", "starts or ends with a hyphen"},
      {"alice@example.c0m", "the top-level domain 'c0m' is not all letters"},
      {"alice@192.168.0.1", "the top-level domain '1' is not all letters"},
      {"alice@[192.168.0.1]", "the domain contains '['"},
      {"alice@example.xn--p1ai", "is not all letters"},
  };
  for (const Case& c : cases) {
    INFO("address: " << c.text);
    const ValidationError error = email_error(c.text);
    CHECK(error.field() == "email");
    CHECK(error.value() == c.text);
    CHECK_THAT(error.rule(),
               Catch::StartsWith("is not a valid email address: ") && Catch::Contains(c.reason));
  }
}

TEST_CASE("Email rejects an empty address", "[core]") {
  REQUIRE_THROWS_AS(Email(""), ValidationError);
  REQUIRE_THROWS_WITH(Email("   "), "email: '   ' must not be empty");
}

TEST_CASE("Email errors carry the caller's field name and the value", "[core]") {
  REQUIRE_THROWS_WITH(Email("bob@example", "customer.emails[1].address"),
                      "customer.emails[1].address: 'bob@example' is not a valid email address: "
                      "the domain has no dot");
}

// ---------------------------------------------------------------------------------------------
// Phone

TEST_CASE("Phone reads French numbers", "[core]") {
  CHECK(phone("06 12 34 56 78", "FR") == "+33612345678");
  CHECK(phone("06.12.34.56.78", "FR") == "+33612345678");
  CHECK(phone("01-23-45-67-89", "FR") == "+33123456789");
  CHECK(phone("612345678", "FR") == "+33612345678");
  CHECK(phone("+33 6 12 34 56 78") == "+33612345678");
  CHECK(phone("0033 6 12 34 56 78") == "+33612345678");
  CHECK(phone("+33 (0)6 12 34 56 78") == "+33612345678");
  CHECK(phone("0033 (0)6 12 34 56 78") == "+33612345678");
}

TEST_CASE("Phone reads British numbers", "[core]") {
  CHECK(phone("020 7946 0958", "GB") == "+442079460958");
  CHECK(phone("(020) 7946 0958", "GB") == "+442079460958");
  CHECK(phone("+44 (0)20 7946 0958") == "+442079460958");
  CHECK(phone("07700 900123", "GB") == "+447700900123");
}

TEST_CASE("Phone reads North American numbers", "[core]") {
  CHECK(phone("(415) 555-2671", "US") == "+14155552671");
  CHECK(phone("1-415-555-2671", "US") == "+14155552671");
  CHECK(phone("415.555.2671", "US") == "+14155552671");
  CHECK(phone("+1 415 555 2671") == "+14155552671");
  CHECK(phone("(613) 555-0123", "CA") == "+16135550123");
}

TEST_CASE("Phone strips the trunk prefix of other regions", "[core]") {
  CHECK(phone("0151 23456789", "DE") == "+4915123456789");
  CHECK(phone("030/1234567", "DE") == "+49301234567");
  CHECK(phone("020-1234567", "NL") == "+31201234567");
  CHECK(phone("(02) 9876 5432", "AU") == "+61298765432");
  CHECK(phone("03-1234-5678", "JP") == "+81312345678");
  CHECK(phone("8 (495) 123-45-67", "RU") == "+74951234567");
  CHECK(phone("06 1 234 5678", "HU") == "+3612345678");
}

TEST_CASE("Phone keeps the leading 0 of Italian numbers", "[core]") {
  CHECK(phone("06 6982 1234", "IT") == "+390669821234");
  CHECK(phone("+39 06 6982 1234") == "+390669821234");
  CHECK(phone("347 123 4567", "IT") == "+393471234567");
}

TEST_CASE("Phone keeps every digit where there is no trunk prefix", "[core]") {
  CHECK(phone("912 34 56 78", "ES") == "+34912345678");
  CHECK(phone("21 234 5678", "PT") == "+351212345678");
  CHECK(phone("32 12 34 56", "DK") == "+4532123456");
  CHECK(phone("2123 4567", "NO") == "+4721234567");
  CHECK(phone("6123 4567", "SG") == "+6561234567");
}

TEST_CASE("an international number ignores the default region", "[core]") {
  CHECK(phone("+44 20 7946 0958", "FR") == "+442079460958");
  CHECK(phone("0049 30 1234567", "US") == "+49301234567");
}

TEST_CASE("Phones compare by canonical form", "[core]") {
  CHECK(Phone("06 12 34 56 78", "FR") == Phone("+33 6 12 34 56 78"));
  CHECK_FALSE(Phone("06 12 34 56 78", "FR") == Phone("06 12 34 56 79", "FR"));
}

TEST_CASE("Phone rejects characters other than digits and separators", "[core]") {
  struct Case {
    const char* text;
    const char* detail;
  };
  const Case cases[] = {
      {"1-800-FLOWERS", "it contains 'F'"},
      {"06 12 34 56 78 ext 5", "it contains 'e'"},
      {"06_12_34_56_78", "it contains '_'"},
      {"06\t12 34 56 78", "it contains the control byte 0x09"},
      {"06 12 34 56 78 #2", "it contains '#'"},
      {"０６ 12 34 56 78", "it contains the non-ASCII character '０'"},
      {"+33 +6 12 34 56 78", "a '+' may only start the number"},
      {"33+612345678", "a '+' may only start the number"},
  };
  for (const Case& c : cases) {
    INFO("number: " << c.text);
    const ValidationError error = phone_error(c.text, "FR");
    CHECK(error.field() == "phone");
    CHECK(error.value() == c.text);
    CHECK_THAT(error.rule(),
               Catch::StartsWith("is not a valid phone number") && Catch::Contains(c.detail));
  }
}

TEST_CASE("a national number needs a default region", "[core]") {
  REQUIRE_THROWS_AS(Phone("06 12 34 56 78"), ValidationError);
  REQUIRE_THROWS_WITH(Phone("06 12 34 56 78"),
                      "phone: '06 12 34 56 78' is not in international form and no default "
                      "region was given");
}

TEST_CASE("an unknown default region is rejected", "[core]") {
  for (const char* region : {"XX", "fr", "FRA", "F"}) {
    INFO("region: " << region);
    const ValidationError error =
        validation_error_of([region] { (void)Phone("+33 6 12 34 56 78", region); });
    CHECK(error.field() == "default_region");
    CHECK(error.value() == region);
  }
}

TEST_CASE("Phone numbers have 8 to 15 digits with the country code", "[core]") {
  CHECK(phone("+1234 5678") == "+12345678");
  CHECK(phone("+123 456 789 012 345") == "+123456789012345");
  const ValidationError short_error = phone_error("+33 6 12 34");
  CHECK(short_error.value() == "+33 6 12 34");
  CHECK_THAT(short_error.rule(), Catch::Contains("it has 7 digits with the country code; it "
                                                 "needs 8 to 15"));
  CHECK_THAT(phone_error("+33 6 12 34 56 78 90 12 34").rule(), Catch::Contains("it has 17 digits"));
  CHECK_THAT(phone_error("0612", "FR").rule(), Catch::Contains("it has 5 digits"));
  CHECK(phone("1234567890123", "FR") == "+331234567890123");
  CHECK_THAT(phone_error("12345678901234", "FR").rule(), Catch::Contains("it has 16 digits"));
}

TEST_CASE("Phone rejects numbers without digits or with a bad country code", "[core]") {
  CHECK_THAT(phone_error("").rule(), Catch::Contains("it has no digits"));
  CHECK_THAT(phone_error(" ( ) - ", "FR").rule(), Catch::Contains("it has no digits"));
  CHECK_THAT(phone_error("+0612345678").rule(), Catch::Contains("no country code starts with 0"));
  CHECK_THAT(phone_error("000612345678").rule(), Catch::Contains("no country code starts with 0"));
  CHECK_THAT(phone_error("00", "FR").rule(), Catch::Contains("it has 0 digits"));
}

TEST_CASE("Phone errors carry the caller's field name", "[core]") {
  REQUIRE_THROWS_WITH(Phone("call me", "FR", "customer.phones[0].number"),
                      Catch::StartsWith("customer.phones[0].number: 'call me' is not a valid "
                                        "phone number: it contains 'c'"));
}

TEST_CASE("calling_code knows the regions of the table", "[core]") {
  CHECK(Phone::calling_code("FR") == "33");
  CHECK(Phone::calling_code("US") == "1");
  CHECK(Phone::calling_code("CA") == "1");
  CHECK(Phone::calling_code("IT") == "39");
  CHECK(Phone::calling_code("GB") == "44");
  CHECK(Phone::calling_code("RU") == "7");
  CHECK(Phone::calling_code("HK") == "852");
  CHECK(Phone::calling_code("AE") == "971");
  CHECK(Phone::calling_code("XX").empty());
  CHECK(Phone::calling_code("fr").empty());
  CHECK(Phone::calling_code("").empty());
}

TEST_CASE("the region table covers the EU/EEA and major markets", "[core]") {
  const char* const regions[] = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE",
                                 "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT",
                                 "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO", "GB", "CH", "US",
                                 "CA", "MX", "BR", "AR", "CL", "CO", "PE", "AU", "NZ", "JP", "KR",
                                 "CN", "HK", "SG", "IN", "ID", "MY", "TH", "VN", "PH", "IL", "TR",
                                 "AE", "SA", "EG", "MA", "DZ", "TN", "ZA", "NG", "KE", "RU", "UA"};
  for (const char* region : regions) {
    INFO("region: " << region);
    const std::string_view code = Phone::calling_code(region);
    REQUIRE_FALSE(code.empty());
    // A national number of the region comes out behind its calling code.
    CHECK(Phone("23456789", region).str() == "+" + std::string(code) + "23456789");
  }
}
