#include "cli/customer_view.hpp"

#include <type_traits>
#include <variant>

#include <fmt/format.h>

namespace crmkit::cli {

namespace {

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string text;
  for (const std::string& part : parts) {
    if (part.empty()) continue;
    if (!text.empty()) text += separator;
    text += part;
  }
  return text;
}

std::string joined_tags(const Customer& customer) {
  return join(std::vector<std::string>(customer.tags.begin(), customer.tags.end()), ",");
}

std::string optional_time(const std::optional<Timestamp>& at) {
  return at ? format_timestamp(*at) : std::string();
}

Json optional_time_json(const std::optional<Timestamp>& at) {
  return at ? Json(format_timestamp(*at)) : Json(nullptr);
}

// `work, primary`: the label and the primary mark, as shown after a contact point.
std::string contact_notes(const std::string& label, bool primary) {
  return join({label, primary ? "primary" : ""}, ", ");
}

std::string with_notes(const std::string& value, const std::string& notes) {
  return notes.empty() ? value : fmt::format("{} ({})", value, notes);
}

std::string address_text(const PostalAddress& address) {
  std::vector<std::string> parts = address.lines;
  parts.push_back(join({address.postal_code, address.city}, " "));
  parts.push_back(address.region);
  parts.push_back(address.country);
  return with_notes(join(parts, ", "), contact_notes(address.label, address.primary));
}

std::string membership_text(const Membership& membership, const NameLookup& organization_name) {
  std::string text = fmt::format("#{}", membership.organization.value());
  if (const std::optional<std::string> name = organization_name(membership.organization)) {
    text += " " + *name;
  }
  return with_notes(text, membership.role);
}

Json attribute_json(const AttributeValue& value) {
  return std::visit(
      [](const auto& v) -> Json {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::monostate>) {
          return nullptr;
        } else if constexpr (std::is_same_v<V, Timestamp>) {
          return format_timestamp(v);
        } else {
          return v;
        }
      },
      value);
}

Json emails_json(const Customer& customer) {
  Json emails = Json::array();
  for (const ContactEmail& email : customer.emails) {
    emails.push_back(
        {{"address", email.address.str()}, {"label", email.label}, {"primary", email.primary}});
  }
  return emails;
}

Json phones_json(const Customer& customer) {
  Json phones = Json::array();
  for (const ContactPhone& phone : customer.phones) {
    phones.push_back(
        {{"number", phone.number.str()}, {"label", phone.label}, {"primary", phone.primary}});
  }
  return phones;
}

Json addresses_json(const Customer& customer) {
  Json addresses = Json::array();
  for (const PostalAddress& address : customer.addresses) {
    addresses.push_back({{"lines", address.lines},
                         {"city", address.city},
                         {"region", address.region},
                         {"postal_code", address.postal_code},
                         {"country", address.country},
                         {"label", address.label},
                         {"primary", address.primary}});
  }
  return addresses;
}

Json memberships_json(const Customer& customer) {
  Json memberships = Json::array();
  for (const Membership& membership : customer.memberships) {
    memberships.push_back(
        {{"organization", membership.organization.value()}, {"role", membership.role}});
  }
  return memberships;
}

}  // namespace

Table customer_list(const std::vector<Customer>& customers) {
  Table table;
  table.columns = {"id",    "external_ref", "kind",  "name", "email",
                   "phone", "lifecycle",    "owner", "tags"};
  table.right_aligned = {0};
  for (const Customer& customer : customers) {
    const ContactEmail* email = customer.primary_email();
    const ContactPhone* phone = customer.primary_phone();
    table.rows.push_back(
        {customer.id.to_string(), customer.external_ref.value_or(""),
         std::string(to_string(customer.kind)), customer.display_name(),
         email != nullptr ? email->address.str() : "", phone != nullptr ? phone->number.str() : "",
         std::string(to_string(customer.lifecycle)), customer.owner, joined_tags(customer)});
  }
  return table;
}

Table customer_fields(const Customer& customer, const NameLookup& organization_name) {
  Table table;
  table.columns = {"field", "value"};
  table.header = false;
  auto add = [&](std::string field, std::string value) {
    table.rows.push_back({std::move(field), std::move(value)});
  };
  add("id", customer.id.to_string());
  add("external_ref", customer.external_ref.value_or(""));
  add("kind", std::string(to_string(customer.kind)));
  add("name", customer.display_name());
  add("given_name", customer.given_name);
  add("family_name", customer.family_name);
  add("legal_name", customer.legal_name);
  for (std::size_t i = 0; i < customer.emails.size(); ++i) {
    const ContactEmail& email = customer.emails[i];
    add(fmt::format("emails[{}]", i),
        with_notes(email.address.str(), contact_notes(email.label, email.primary)));
  }
  for (std::size_t i = 0; i < customer.phones.size(); ++i) {
    const ContactPhone& phone = customer.phones[i];
    add(fmt::format("phones[{}]", i),
        with_notes(phone.number.str(), contact_notes(phone.label, phone.primary)));
  }
  for (std::size_t i = 0; i < customer.addresses.size(); ++i) {
    add(fmt::format("addresses[{}]", i), address_text(customer.addresses[i]));
  }
  for (std::size_t i = 0; i < customer.memberships.size(); ++i) {
    add(fmt::format("memberships[{}]", i),
        membership_text(customer.memberships[i], organization_name));
  }
  add("owner", customer.owner);
  add("tags", joined_tags(customer));
  add("lifecycle", std::string(to_string(customer.lifecycle)));
  add("source", customer.source);
  add("consent.status", std::string(to_string(customer.consent.status)));
  add("consent.at", optional_time(customer.consent.at));
  add("consent.basis", std::string(to_string(customer.consent.basis)));
  for (const auto& [name, value] : customer.attributes) {
    add(fmt::format("attributes.{}", name), attribute_to_string(value));
  }
  add("created_at", format_timestamp(customer.created_at));
  add("updated_at", format_timestamp(customer.updated_at));
  add("deleted_at", optional_time(customer.deleted_at));
  add("version", std::to_string(customer.version));
  return table;
}

Json customer_json(const Customer& customer) {
  Json attributes = Json::object();
  for (const auto& [name, value] : customer.attributes) attributes[name] = attribute_json(value);
  return {
      {"id", customer.id.value()},
      {"external_ref", customer.external_ref ? Json(*customer.external_ref) : Json(nullptr)},
      {"kind", std::string(to_string(customer.kind))},
      {"name", customer.display_name()},
      {"given_name", customer.given_name},
      {"family_name", customer.family_name},
      {"legal_name", customer.legal_name},
      {"emails", emails_json(customer)},
      {"phones", phones_json(customer)},
      {"addresses", addresses_json(customer)},
      {"memberships", memberships_json(customer)},
      {"owner", customer.owner},
      {"tags", customer.tags},
      {"lifecycle", std::string(to_string(customer.lifecycle))},
      {"source", customer.source},
      {"consent",
       {{"status", std::string(to_string(customer.consent.status))},
        {"at", optional_time_json(customer.consent.at)},
        {"basis", std::string(to_string(customer.consent.basis))}}},
      {"attributes", attributes},
      {"created_at", format_timestamp(customer.created_at)},
      {"updated_at", format_timestamp(customer.updated_at)},
      {"deleted_at", optional_time_json(customer.deleted_at)},
      {"version", customer.version},
  };
}

}  // namespace crmkit::cli
