#include "storage/sqlite/customer_rows.hpp"

#include <set>
#include <type_traits>
#include <variant>

#include "storage/sqlite/codec.hpp"
#include "storage/sqlite/queries.hpp"
#include "storage/sqlite/select_builder.hpp"
#include "storage/sqlite/row_access.hpp"

namespace crmkit::storage::sqlite {
namespace {

// The customers columns: bound as ?1..?15 in this order (?14 is the version to store), and read
// back as columns 0..14.
#define CRMKIT_CUSTOMER_COLUMNS                                                         \
  "kind, given_name, family_name, legal_name, external_ref, owner, lifecycle, source, " \
  "consent_status, consent_at, consent_basis, created_at, updated_at, version, deleted_at"

constexpr const char* insert_customer_sql =
    "INSERT INTO customers (" CRMKIT_CUSTOMER_COLUMNS ") "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
constexpr const char* select_customer_sql =
    "SELECT " CRMKIT_CUSTOMER_COLUMNS " FROM customers WHERE id = ?1";
#undef CRMKIT_CUSTOMER_COLUMNS

void bind_customer(Query& q, const Customer& c, std::int64_t version) {
  q.bind_text_copy(1, to_string(c.kind));
  q.bind_text(2, c.given_name);
  q.bind_text(3, c.family_name);
  q.bind_text(4, c.legal_name);
  bind_text(q, 5, c.external_ref);
  q.bind_text(6, c.owner);
  q.bind_text_copy(7, to_string(c.lifecycle));
  q.bind_text(8, c.source);
  q.bind_text_copy(9, to_string(c.consent.status));
  bind_time(q, 10, c.consent.at);
  q.bind_text_copy(11, to_string(c.consent.basis));
  bind_time(q, 12, c.created_at);
  bind_time(q, 13, c.updated_at);
  q.bind_int(14, version);
  bind_time(q, 15, c.deleted_at);
}

void insert_emails(Connection& c, std::int64_t id, const std::vector<ContactEmail>& emails) {
  for (std::size_t i = 0; i < emails.size(); ++i) {
    const ContactEmail& e = emails[i];
    const std::string key = e.address.lookup_key();
    Query q = c.query(
        "INSERT INTO customer_emails (customer_id, position, address, lookup_key, label, "
        "is_primary) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    q.bind_int(1, id).bind_int(2, static_cast<std::int64_t>(i));
    q.bind_text(3, e.address.str()).bind_text(4, key).bind_text(5, e.label).bind_bool(6, e.primary);
    q.run();
  }
}

void insert_phones(Connection& c, std::int64_t id, const std::vector<ContactPhone>& phones) {
  for (std::size_t i = 0; i < phones.size(); ++i) {
    const ContactPhone& p = phones[i];
    Query q = c.query(
        "INSERT INTO customer_phones (customer_id, position, number, label, is_primary) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    q.bind_int(1, id).bind_int(2, static_cast<std::int64_t>(i));
    q.bind_text(3, p.number.str()).bind_text(4, p.label).bind_bool(5, p.primary);
    q.run();
  }
}

void insert_addresses(Connection& c, std::int64_t id, const std::vector<PostalAddress>& addresses) {
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    const PostalAddress& a = addresses[i];
    const auto position = static_cast<std::int64_t>(i);
    Query q = c.query(
        "INSERT INTO customer_addresses (customer_id, position, city, region, postal_code, "
        "country, label, is_primary) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    q.bind_int(1, id).bind_int(2, position).bind_text(3, a.city).bind_text(4, a.region);
    q.bind_text(5, a.postal_code).bind_text(6, a.country).bind_text(7, a.label);
    q.bind_bool(8, a.primary);
    q.run();
    for (std::size_t k = 0; k < a.lines.size(); ++k) {
      Query line = c.query(
          "INSERT INTO customer_address_lines (customer_id, address_position, position, line) "
          "VALUES (?1, ?2, ?3, ?4)");
      line.bind_int(1, id).bind_int(2, position).bind_int(3, static_cast<std::int64_t>(k));
      line.bind_text(4, a.lines[k]);
      line.run();
    }
  }
}

void insert_memberships(Connection& c, std::int64_t id, const std::vector<Membership>& members) {
  for (std::size_t i = 0; i < members.size(); ++i) {
    Query q = c.query(
        "INSERT INTO customer_memberships (customer_id, position, organization_id, role) "
        "VALUES (?1, ?2, ?3, ?4)");
    q.bind_int(1, id).bind_int(2, static_cast<std::int64_t>(i));
    q.bind_int(3, members[i].organization.value()).bind_text(4, members[i].role);
    q.run();
  }
}

void insert_tags(Connection& c, std::int64_t id, const std::set<std::string>& tags) {
  for (const std::string& tag : tags) {
    Query q = c.query("INSERT INTO customer_tags (customer_id, tag) VALUES (?1, ?2)");
    q.bind_int(1, id).bind_text(2, tag);
    q.run();
  }
}

void bind_attribute_value(Query& q, int index, const AttributeValue& value) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          q.bind_null(index);
        } else if constexpr (std::is_same_v<T, bool>) {
          q.bind_bool(index, v);
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          q.bind_int(index, v);
        } else if constexpr (std::is_same_v<T, double>) {
          q.bind_real(index, v);
        } else if constexpr (std::is_same_v<T, std::string>) {
          q.bind_text(index, v);  // any bytes: attribute strings are not restricted to UTF-8
        } else {
          static_assert(std::is_same_v<T, Timestamp>);
          q.bind_int(index, micros(v));
        }
      },
      value);
}

void insert_attributes(Connection& c, std::int64_t id, const Attributes& attributes) {
  for (const auto& [name, value] : attributes) {
    Query q = c.query(
        "INSERT INTO customer_attributes (customer_id, name, value_type, value) "
        "VALUES (?1, ?2, ?3, ?4)");
    q.bind_int(1, id).bind_text(2, name).bind_text_copy(3, attribute_type_name(value));
    bind_attribute_value(q, 4, value);
    q.run();
  }
}

void insert_children(Connection& c, std::int64_t id, const Customer& customer) {
  insert_emails(c, id, customer.emails);
  insert_phones(c, id, customer.phones);
  insert_addresses(c, id, customer.addresses);
  insert_memberships(c, id, customer.memberships);
  insert_tags(c, id, customer.tags);
  insert_attributes(c, id, customer.attributes);
}

// Deleted one by one rather than through ON DELETE CASCADE, so that correctness does not hang on
// the foreign_keys pragma of whoever opened the file.
void delete_children(Connection& c, std::int64_t id) {
  for (const char* sql : {"DELETE FROM customer_emails WHERE customer_id = ?1",
                          "DELETE FROM customer_phones WHERE customer_id = ?1",
                          "DELETE FROM customer_address_lines WHERE customer_id = ?1",
                          "DELETE FROM customer_addresses WHERE customer_id = ?1",
                          "DELETE FROM customer_memberships WHERE customer_id = ?1",
                          "DELETE FROM customer_tags WHERE customer_id = ?1",
                          "DELETE FROM customer_attributes WHERE customer_id = ?1"}) {
    c.query(sql).bind_int(1, id).run();
  }
}

Email email_of(const std::string& text) {
  try {
    return Email(text);
  } catch (const ValidationError& error) {
    throw_corrupt_value("email address", text, error.rule());
  }
}

Phone phone_of(const std::string& text) {
  try {
    return Phone(text);
  } catch (const ValidationError& error) {
    throw_corrupt_value("phone number", text, error.rule());
  }
}

// Emails and phones alike: rows of (value, label, is_primary) for ?1 = the customer's id, in order.
template <class Contact, class Parse>
void read_contact_points(Connection& c, const char* sql, CustomerId id,
                         std::vector<Contact>& points, Parse&& parse) {
  Query q = c.query(sql);
  q.bind_int(1, id.value());
  while (q.step()) points.push_back({parse(q.text_at(0)), q.text_at(1), q.bool_at(2)});
}

void read_emails(Connection& c, Customer& customer) {
  read_contact_points(c,
                      "SELECT address, label, is_primary FROM customer_emails "
                      "WHERE customer_id = ?1 ORDER BY position",
                      customer.id, customer.emails, email_of);
}

void read_phones(Connection& c, Customer& customer) {
  read_contact_points(c,
                      "SELECT number, label, is_primary FROM customer_phones "
                      "WHERE customer_id = ?1 ORDER BY position",
                      customer.id, customer.phones, phone_of);
}

void read_addresses(Connection& c, Customer& customer) {
  {
    Query q = c.query(
        "SELECT city, region, postal_code, country, label, is_primary FROM customer_addresses "
        "WHERE customer_id = ?1 ORDER BY position");
    q.bind_int(1, customer.id.value());
    while (q.step()) {
      PostalAddress a;
      a.city = q.text_at(0);
      a.region = q.text_at(1);
      a.postal_code = q.text_at(2);
      a.country = q.text_at(3);
      a.label = q.text_at(4);
      a.primary = q.bool_at(5);
      customer.addresses.push_back(std::move(a));
    }
  }
  if (customer.addresses.empty()) return;
  Query q = c.query(
      "SELECT address_position, line FROM customer_address_lines WHERE customer_id = ?1 "
      "ORDER BY address_position, position");
  q.bind_int(1, customer.id.value());
  while (q.step()) {
    const std::int64_t position = q.int_at(0);
    if (position < 0 || static_cast<std::size_t>(position) >= customer.addresses.size()) {
      throw_corrupt_value("address line position", std::to_string(position),
                          "no such address of customer " + customer.id.to_string());
    }
    customer.addresses[static_cast<std::size_t>(position)].lines.push_back(q.text_at(1));
  }
}

void read_memberships(Connection& c, Customer& customer) {
  Query q = c.query(
      "SELECT organization_id, role FROM customer_memberships WHERE customer_id = ?1 "
      "ORDER BY position");
  q.bind_int(1, customer.id.value());
  while (q.step()) customer.memberships.push_back({CustomerId{q.int_at(0)}, q.text_at(1)});
}

void read_tags(Connection& c, Customer& customer) {
  Query q = c.query("SELECT tag FROM customer_tags WHERE customer_id = ?1");
  q.bind_int(1, customer.id.value());
  while (q.step()) customer.tags.insert(q.text_at(0));
}

AttributeValue attribute_at(const Query& q, const std::string& type, int column) {
  if (type == "null") return std::monostate{};
  if (type == "bool") return q.int_at(column) != 0;
  if (type == "integer") return q.int_at(column);
  if (type == "double") return q.real_at(column);
  if (type == "string") return q.text_at(column);
  if (type == "timestamp") return time_at(q, column);
  throw_corrupt_value("attribute type", type,
                      "expected null, bool, integer, double, string or timestamp");
}

void read_attributes(Connection& c, Customer& customer) {
  Query q =
      c.query("SELECT name, value_type, value FROM customer_attributes WHERE customer_id = ?1");
  q.bind_int(1, customer.id.value());
  while (q.step()) {
    std::string name = q.text_at(0);
    AttributeValue value = attribute_at(q, q.text_at(1), 2);
    customer.attributes.emplace(std::move(name), std::move(value));
  }
}

std::optional<Customer> read_customer_row(Connection& c, CustomerId id) {
  Query q = c.query(select_customer_sql);
  q.bind_int(1, id.value());
  if (!q.step()) return std::nullopt;
  Customer customer;
  customer.id = id;
  customer.kind = decode_enum("customer kind", q.text_at(0), parse_customer_kind);
  customer.given_name = q.text_at(1);
  customer.family_name = q.text_at(2);
  customer.legal_name = q.text_at(3);
  customer.external_ref = q.optional_text_at(4);
  customer.owner = q.text_at(5);
  customer.lifecycle = decode_enum("customer lifecycle", q.text_at(6), parse_lifecycle_stage);
  customer.source = q.text_at(7);
  customer.consent.status = decode_enum("consent status", q.text_at(8), parse_consent_status);
  customer.consent.at = optional_time_at(q, 9);
  customer.consent.basis = decode_enum("lawful basis", q.text_at(10), parse_lawful_basis);
  customer.created_at = time_at(q, 11);
  customer.updated_at = time_at(q, 12);
  customer.version = q.int_at(13);
  customer.deleted_at = optional_time_at(q, 14);
  return customer;
}

}  // namespace

CustomerId insert_customer_rows(Connection& c, const Customer& customer) {
  Query q = c.query(insert_customer_sql);
  bind_customer(q, customer, 1);
  q.run();
  const std::int64_t id = c.last_insert_id();
  insert_children(c, id, customer);
  return CustomerId{id};
}

bool update_customer_rows(Connection& c, const Customer& customer, std::int64_t expected_version) {
  Query q = c.query(
      "UPDATE customers SET kind = ?1, given_name = ?2, family_name = ?3, legal_name = ?4, "
      "external_ref = ?5, owner = ?6, lifecycle = ?7, source = ?8, consent_status = ?9, "
      "consent_at = ?10, consent_basis = ?11, created_at = ?12, updated_at = ?13, version = ?14, "
      "deleted_at = ?15 WHERE id = ?16 AND version = ?17");
  bind_customer(q, customer, expected_version + 1);
  q.bind_int(16, customer.id.value()).bind_int(17, expected_version);
  if (q.run() == 0) return false;
  delete_children(c, customer.id.value());
  insert_children(c, customer.id.value(), customer);
  return true;
}

bool delete_customer_rows(Connection& c, CustomerId id) {
  delete_children(c, id.value());
  return c.query("DELETE FROM customers WHERE id = ?1").bind_int(1, id.value()).run() > 0;
}

std::optional<Customer> load_customer(Connection& c, CustomerId id) {
  std::optional<Customer> customer = read_customer_row(c, id);
  if (!customer) return std::nullopt;
  read_emails(c, *customer);
  read_phones(c, *customer);
  read_addresses(c, *customer);
  read_memberships(c, *customer);
  read_tags(c, *customer);
  read_attributes(c, *customer);
  return customer;
}

std::vector<Customer> load_customers(Connection& c, const std::vector<std::int64_t>& ids) {
  return load_each<CustomerId>(c, ids, load_customer);
}

std::optional<std::int64_t> customer_version(Connection& c, CustomerId id) {
  return version_of(c, "SELECT version FROM customers WHERE id = ?1", id.value());
}

std::optional<CustomerKind> customer_kind(Connection& c, CustomerId id) {
  Query q = c.query("SELECT kind FROM customers WHERE id = ?1");
  q.bind_int(1, id.value());
  if (!q.step()) return std::nullopt;
  return decode_enum("customer kind", q.text_at(0), parse_customer_kind);
}

std::optional<CustomerId> customer_with_external_ref(Connection& c, const std::string& ref) {
  Query q = c.query(sql::customer_by_external_ref);
  q.bind_text(1, ref);
  if (!q.step()) return std::nullopt;
  return CustomerId{q.int_at(0)};
}

std::vector<std::int64_t> customers_with_email_key(Connection& c, const std::string& key) {
  Query q = c.query(sql::customers_by_email);
  q.bind_text(1, key);
  return ids_of(q);
}

std::vector<std::int64_t> customers_with_phone(Connection& c, const std::string& number) {
  Query q = c.query(sql::customers_by_phone);
  q.bind_text(1, number);
  return ids_of(q);
}

std::vector<std::int64_t> find_customer_ids(Connection& c, const CustomerQuery& query,
                                            std::size_t rows) {
  SelectBuilder select("SELECT id FROM customers");
  if (query.after) select.where("id > ?", query.after->value());
  if (!query.include_deleted) select.where("deleted_at IS NULL");
  if (query.owner) select.where("owner = ?", *query.owner);
  if (query.tag)
    select.where("id IN (SELECT customer_id FROM customer_tags WHERE tag = ?)", *query.tag);
  if (query.lifecycle) select.where("lifecycle = ?", std::string(to_string(*query.lifecycle)));
  if (query.kind) select.where("kind = ?", std::string(to_string(*query.kind)));
  if (query.updated_since) select.where("updated_at >= ?", micros(*query.updated_since));
  return select.ids(c, rows);
}

}  // namespace crmkit::storage::sqlite
