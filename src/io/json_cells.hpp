#pragma once
// The JSON encodings of the list-valued cells of customer and interaction files: emails, phones,
// addresses, memberships, attributes and lists of customer keys. Empty lists are empty cells.
// Parsers throw ValidationError naming the domain field (e.g. `customer.emails[1].address`).

#include <string>
#include <string_view>
#include <vector>

#include "crmkit/domain/customer.hpp"

namespace crmkit::io::detail {

// A membership as files write it: the organization by key (external ref or `#N`).
struct MembershipKey {
  std::string organization;
  std::string role;
};

std::string emails_json(const std::vector<ContactEmail>& emails);
std::vector<ContactEmail> parse_emails(std::string_view text);

std::string phones_json(const std::vector<ContactPhone>& phones);
// `default_region` reads national numbers (see Phone).
std::vector<ContactPhone> parse_phones(std::string_view text, std::string_view default_region);

std::string addresses_json(const std::vector<PostalAddress>& addresses);
std::vector<PostalAddress> parse_addresses(std::string_view text);

std::string memberships_json(const std::vector<MembershipKey>& memberships);
std::vector<MembershipKey> parse_memberships(std::string_view text);

// Values keep their type: JSON null, booleans, integers, floats (with a `.` or exponent) and
// strings map to their AttributeValue alternative; a timestamp is `{"$timestamp": "<ISO 8601>"}`.
std::string attributes_json(const Attributes& attributes);
Attributes parse_attributes(std::string_view text);

std::string keys_json(const std::vector<std::string>& keys);
// `field` names the list in errors.
std::vector<std::string> parse_keys(std::string_view text, std::string_view field);

}  // namespace crmkit::io::detail
