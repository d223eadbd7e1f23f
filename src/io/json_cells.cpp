#include "io/json_cells.hpp"

#include <fmt/format.h>

#include <limits>
#include <nlohmann/json.hpp>

#include "crmkit/core/error.hpp"
#include "io/cells.hpp"

namespace crmkit::io::detail {
namespace {

using nlohmann::json;

constexpr std::string_view timestamp_tag = "$timestamp";

std::string indexed(std::string_view list, std::size_t index) {
  return fmt::format("{}[{}]", list, index);
}

// nlohmann's messages start with an `[json.exception.parse_error.101] ` tag users do not need.
std::string without_tag(std::string_view message) {
  const std::size_t close = message.find("] ");
  return std::string(close == std::string_view::npos ? message : message.substr(close + 2));
}

std::string dump(const json& value) {
  try {
    return value.dump();
  } catch (const json::exception& error) {
    throw Error(fmt::format("cannot write JSON: {}", without_tag(error.what())));
  }
}

json parse_json(std::string_view text, std::string_view field) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& error) {
    throw ValidationError(std::string(field), std::string(text),
                          "is not valid JSON: " + without_tag(error.what()));
  }
}

// The elements of a JSON array cell; an empty cell is an empty list.
json parse_array(std::string_view text, std::string_view field, std::string_view example) {
  if (text.empty()) return json::array();
  json value = parse_json(text, field);
  if (!value.is_array()) {
    throw ValidationError(std::string(field), std::string(text),
                          fmt::format("must be a JSON array, e.g. {}", example));
  }
  return value;
}

void require_object(const json& value, const std::string& field) {
  if (!value.is_object()) {
    throw ValidationError(field, value.dump(), "must be a JSON object");
  }
}

std::string string_member(const json& object, std::string_view key, const std::string& field,
                          bool required = false) {
  const auto it = object.find(key);
  if (it == object.end()) {
    if (required) throw ValidationError(field + "." + std::string(key), "", "must be present");
    return {};
  }
  if (!it->is_string()) {
    throw ValidationError(field + "." + std::string(key), it->dump(), "must be a JSON string");
  }
  return it->get<std::string>();
}

bool bool_member(const json& object, std::string_view key, const std::string& field) {
  const auto it = object.find(key);
  if (it == object.end()) return false;
  if (!it->is_boolean()) {
    throw ValidationError(field + "." + std::string(key), it->dump(), "must be true or false");
  }
  return it->get<bool>();
}

void put_if(json& object, std::string_view key, const std::string& value) {
  if (!value.empty()) object[std::string(key)] = value;
}

void put_primary(json& object, bool primary) {
  if (primary) object["primary"] = true;
}

std::string array_cell(const json& array) { return array.empty() ? std::string() : dump(array); }

json attribute_json(const AttributeValue& value) {
  return std::visit(
      [](const auto& v) -> json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return nullptr;
        } else if constexpr (std::is_same_v<T, Timestamp>) {
          return json{{std::string(timestamp_tag), format_time(v)}};
        } else {
          return v;
        }
      },
      value);
}

AttributeValue attribute_value(const json& value, const std::string& field) {
  switch (value.type()) {
    case json::value_t::null:
      return std::monostate{};
    case json::value_t::boolean:
      return value.get<bool>();
    case json::value_t::number_integer:
      return value.get<std::int64_t>();
    case json::value_t::number_unsigned: {
      const auto number = value.get<std::uint64_t>();
      if (number > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        throw ValidationError(field, value.dump(), "is too large for a 64-bit integer attribute");
      }
      return static_cast<std::int64_t>(number);
    }
    case json::value_t::number_float:
      return value.get<double>();
    case json::value_t::string:
      return value.get<std::string>();
    case json::value_t::object:
      if (value.size() == 1 && value.contains(timestamp_tag) && value.begin()->is_string()) {
        return parse_timestamp(value.begin()->get<std::string>(), field);
      }
      break;
    default:
      break;
  }
  throw ValidationError(field, value.dump(),
                        "must be null, true/false, a number, a string or "
                        "{\"$timestamp\": \"<ISO 8601>\"}");
}

}  // namespace

std::string emails_json(const std::vector<ContactEmail>& emails) {
  json array = json::array();
  for (const ContactEmail& email : emails) {
    json object{{"address", email.address.str()}};
    put_if(object, "label", email.label);
    put_primary(object, email.primary);
    array.push_back(std::move(object));
  }
  return array_cell(array);
}

std::vector<ContactEmail> parse_emails(std::string_view text) {
  const json array =
      parse_array(text, "customer.emails", R"([{"address":"ann@example.com","primary":true}])");
  std::vector<ContactEmail> emails;
  for (std::size_t i = 0; i < array.size(); ++i) {
    const std::string field = indexed("customer.emails", i);
    require_object(array[i], field);
    ContactEmail email{Email(string_member(array[i], "address", field, true), field + ".address"),
                       string_member(array[i], "label", field),
                       bool_member(array[i], "primary", field)};
    emails.push_back(std::move(email));
  }
  return emails;
}

std::string phones_json(const std::vector<ContactPhone>& phones) {
  json array = json::array();
  for (const ContactPhone& phone : phones) {
    json object{{"number", phone.number.str()}};
    put_if(object, "label", phone.label);
    put_primary(object, phone.primary);
    array.push_back(std::move(object));
  }
  return array_cell(array);
}

std::vector<ContactPhone> parse_phones(std::string_view text, std::string_view default_region) {
  const json array =
      parse_array(text, "customer.phones", R"([{"number":"+33612345678","primary":true}])");
  std::vector<ContactPhone> phones;
  for (std::size_t i = 0; i < array.size(); ++i) {
    const std::string field = indexed("customer.phones", i);
    require_object(array[i], field);
    ContactPhone phone{
        Phone(string_member(array[i], "number", field, true), default_region, field + ".number"),
        string_member(array[i], "label", field), bool_member(array[i], "primary", field)};
    phones.push_back(std::move(phone));
  }
  return phones;
}

std::string addresses_json(const std::vector<PostalAddress>& addresses) {
  json array = json::array();
  for (const PostalAddress& address : addresses) {
    json object{{"lines", address.lines}};
    put_if(object, "city", address.city);
    put_if(object, "region", address.region);
    put_if(object, "postal_code", address.postal_code);
    put_if(object, "country", address.country);
    put_if(object, "label", address.label);
    put_primary(object, address.primary);
    array.push_back(std::move(object));
  }
  return array_cell(array);
}

std::vector<PostalAddress> parse_addresses(std::string_view text) {
  const json array =
      parse_array(text, "customer.addresses",
                  R"([{"lines":["1 Main St"],"city":"Springfield","primary":true}])");
  std::vector<PostalAddress> addresses;
  for (std::size_t i = 0; i < array.size(); ++i) {
    const std::string field = indexed("customer.addresses", i);
    const json& object = array[i];
    require_object(object, field);
    PostalAddress address;
    const auto lines = object.find("lines");
    if (lines != object.end()) {
      if (!lines->is_array()) {
        throw ValidationError(field + ".lines", lines->dump(), "must be a JSON array of strings");
      }
      for (std::size_t k = 0; k < lines->size(); ++k) {
        const json& line = (*lines)[k];
        if (!line.is_string()) {
          throw ValidationError(indexed(field + ".lines", k), line.dump(), "must be a JSON string");
        }
        address.lines.push_back(line.get<std::string>());
      }
    }
    address.city = string_member(object, "city", field);
    address.region = string_member(object, "region", field);
    address.postal_code = string_member(object, "postal_code", field);
    address.country = string_member(object, "country", field);
    address.label = string_member(object, "label", field);
    address.primary = bool_member(object, "primary", field);
    addresses.push_back(std::move(address));
  }
  return addresses;
}

std::string memberships_json(const std::vector<MembershipKey>& memberships) {
  json array = json::array();
  for (const MembershipKey& membership : memberships) {
    json object{{"organization", membership.organization}};
    put_if(object, "role", membership.role);
    array.push_back(std::move(object));
  }
  return array_cell(array);
}

std::vector<MembershipKey> parse_memberships(std::string_view text) {
  const json array =
      parse_array(text, "customer.memberships", R"([{"organization":"ACME-001","role":"buyer"}])");
  std::vector<MembershipKey> memberships;
  for (std::size_t i = 0; i < array.size(); ++i) {
    const std::string field = indexed("customer.memberships", i);
    require_object(array[i], field);
    memberships.push_back({string_member(array[i], "organization", field, true),
                           string_member(array[i], "role", field)});
  }
  return memberships;
}

std::string attributes_json(const Attributes& attributes) {
  if (attributes.empty()) return {};
  json object = json::object();
  for (const auto& [name, value] : attributes) object[name] = attribute_json(value);
  return dump(object);
}

Attributes parse_attributes(std::string_view text) {
  if (text.empty()) return {};
  const json object = parse_json(text, "customer.attributes");
  if (!object.is_object()) {
    throw ValidationError("customer.attributes", std::string(text),
                          R"(must be a JSON object, e.g. {"vip":true,"score":3})");
  }
  Attributes attributes;
  for (const auto& [name, value] : object.items()) {
    attributes.emplace(name, attribute_value(value, fmt::format("customer.attributes[{}]", name)));
  }
  return attributes;
}

std::string keys_json(const std::vector<std::string>& keys) {
  return keys.empty() ? std::string() : dump(json(keys));
}

std::vector<std::string> parse_keys(std::string_view text, std::string_view field) {
  const json array = parse_array(text, field, R"(["C-1002","#17"])");
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < array.size(); ++i) {
    if (!array[i].is_string() || array[i].get_ref<const std::string&>().empty()) {
      throw ValidationError(indexed(field, i), array[i].dump(), "must be a non-empty JSON string");
    }
    keys.push_back(array[i].get<std::string>());
  }
  return keys;
}

}  // namespace crmkit::io::detail
