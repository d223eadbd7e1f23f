#include <fmt/format.h>

#include <algorithm>

#include "crmkit/core/error.hpp"
#include "crmkit/domain/validation.hpp"
#include "crmkit/io/import.hpp"
#include "io/cells.hpp"
#include "io/csv_row.hpp"
#include "io/customer_keys.hpp"
#include "io/import_run.hpp"
#include "io/json_cells.hpp"

namespace crmkit::io {
namespace {

using detail::Column;
using detail::Row;

struct CustomerColumns {
  Column id;
  Column external_ref;
  Column kind;
  Column given_name;
  Column family_name;
  Column legal_name;
  Column email;
  Column phone;
  Column emails;
  Column phones;
  Column addresses;
  Column memberships;
  Column owner;
  Column tags;
  Column lifecycle;
  Column source;
  Column consent_status;
  Column consent_at;
  Column consent_basis;
  Column attributes;
  Column created_at;
  Column updated_at;
  Column deleted_at;

  // The column a validation field (`customer.emails[0]`, `customer.consent.at`...) maps to.
  [[nodiscard]] const Column& of(std::string_view field) const noexcept {
    using Member = Column CustomerColumns::*;
    static constexpr std::pair<std::string_view, Member> by_field[] = {
        {"consent.at", &CustomerColumns::consent_at},
        {"consent.basis", &CustomerColumns::consent_basis},
        {"consent", &CustomerColumns::consent_status},
        {"external_ref", &CustomerColumns::external_ref},
        {"kind", &CustomerColumns::kind},
        {"given_name", &CustomerColumns::given_name},
        {"family_name", &CustomerColumns::family_name},
        {"legal_name", &CustomerColumns::legal_name},
        {"emails", &CustomerColumns::emails},
        {"phones", &CustomerColumns::phones},
        {"addresses", &CustomerColumns::addresses},
        {"memberships", &CustomerColumns::memberships},
        {"owner", &CustomerColumns::owner},
        {"tags", &CustomerColumns::tags},
        {"lifecycle", &CustomerColumns::lifecycle},
        {"source", &CustomerColumns::source},
        {"attributes", &CustomerColumns::attributes},
        {"created_at", &CustomerColumns::created_at},
        {"updated_at", &CustomerColumns::updated_at},
        {"deleted_at", &CustomerColumns::deleted_at}};
    if (field.starts_with("customer.")) field.remove_prefix(9);
    for (const auto& [name, member] : by_field) {
      const bool match =
          field.starts_with(name) &&
          (field.size() == name.size() || field[name.size()] == '.' || field[name.size()] == '[');
      if (!match) continue;
      // Contact points may come from the plain one-value columns instead of the JSON ones.
      if (member == &CustomerColumns::emails && !emails.present() && email.present()) return email;
      if (member == &CustomerColumns::phones && !phones.present() && phone.present()) return phone;
      return this->*member;
    }
    return id;
  }
};

CustomerColumns resolve_columns(const CsvReader& reader, const CustomerImportOptions& o) {
  const detail::Header h(reader);
  return CustomerColumns{h.optional(o.id_column),
                         h.optional(o.external_ref_column),
                         h.optional(o.kind_column),
                         h.optional(o.given_name_column),
                         h.optional(o.family_name_column),
                         h.optional(o.legal_name_column),
                         h.optional(o.email_column),
                         h.optional(o.phone_column),
                         h.optional(o.emails_column),
                         h.optional(o.phones_column),
                         h.optional(o.addresses_column),
                         h.optional(o.memberships_column),
                         h.optional(o.owner_column),
                         h.optional(o.tags_column),
                         h.optional(o.lifecycle_column),
                         h.optional(o.source_column),
                         h.optional(o.consent_status_column),
                         h.optional(o.consent_at_column),
                         h.optional(o.consent_basis_column),
                         h.optional(o.attributes_column),
                         h.optional(o.created_at_column),
                         h.optional(o.updated_at_column),
                         h.optional(o.deleted_at_column)};
}

std::set<std::string> split_tags(std::string_view text) {
  std::set<std::string> tags;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    std::string_view tag = text.substr(0, comma);
    const std::size_t first = tag.find_first_not_of(" \t");
    tag = first == std::string_view::npos
              ? std::string_view{}
              : tag.substr(first, tag.find_last_not_of(" \t") - first + 1);
    if (!tag.empty()) tags.emplace(tag);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return tags;
}

template <class Contact>
bool has_primary(const std::vector<Contact>& contacts) {
  return std::any_of(contacts.begin(), contacts.end(), [](const Contact& c) { return c.primary; });
}

// Reads rows into Customers and writes them, one store call per row (customers have no bulk path).
class CustomerImporter {
 public:
  CustomerImporter(detail::ImportRun& run, const CustomerColumns& columns,
                   const CustomerImportOptions& options)
      : run_(run), c_(columns), options_(options), stamp_(options.clock()) {}

  void import(const Row& row) {
    Customer customer = parse(row);
    const std::optional<std::int64_t> file_id = id_in_file(row);
    customer.memberships = memberships(row);
    try {
      validate(customer);
    } catch (const ValidationError& error) {
      row.fail(c_.of(error.field()), error);
    }
    const std::optional<CustomerId> stored = write(row, customer);
    if (!stored) return;
    if (file_id) run_.report().customer_ids[*file_id] = *stored;
    if (customer.external_ref) refs_[*customer.external_ref] = *stored;
  }

 private:
  static std::string text(const Row& row, const Column& column) { return std::string(row[column]); }

  Timestamp time_or(const Row& row, const Column& column, Timestamp fallback) const {
    if (row[column].empty()) return fallback;
    return row.parse(column, [&](std::string_view t) { return parse_timestamp(t, column.name); });
  }

  Email plain_email(const Row& row) const {
    return row.parse(c_.email, [](std::string_view t) { return Email(t, "email"); });
  }

  Phone plain_phone(const Row& row) const {
    return row.parse(
        c_.phone, [&](std::string_view t) { return Phone(t, options_.default_region, "phone"); });
  }

  Customer parse(const Row& row) const {
    Customer c;
    if (!row[c_.external_ref].empty()) c.external_ref = text(row, c_.external_ref);
    if (!row[c_.kind].empty()) c.kind = row.parse(c_.kind, parse_customer_kind);
    c.given_name = text(row, c_.given_name);
    c.family_name = text(row, c_.family_name);
    c.legal_name = text(row, c_.legal_name);
    c.emails = row.parse(c_.emails, detail::parse_emails);
    if (!row[c_.email].empty()) c.emails.push_back({plain_email(row), "", !has_primary(c.emails)});
    c.phones = row.parse(c_.phones, [&](std::string_view t) {
      return detail::parse_phones(t, options_.default_region);
    });
    if (!row[c_.phone].empty()) c.phones.push_back({plain_phone(row), "", !has_primary(c.phones)});
    c.addresses = row.parse(c_.addresses, detail::parse_addresses);
    c.owner = text(row, c_.owner);
    c.tags = split_tags(row[c_.tags]);
    if (!row[c_.lifecycle].empty()) c.lifecycle = row.parse(c_.lifecycle, parse_lifecycle_stage);
    c.source = text(row, c_.source);
    if (!row[c_.consent_status].empty()) {
      c.consent.status = row.parse(c_.consent_status, parse_consent_status);
    }
    if (!row[c_.consent_at].empty()) c.consent.at = time_or(row, c_.consent_at, {});
    if (!row[c_.consent_basis].empty()) {
      c.consent.basis = row.parse(c_.consent_basis, parse_lawful_basis);
    }
    c.attributes = row.parse(c_.attributes, detail::parse_attributes);
    c.created_at = time_or(row, c_.created_at, stamp_);
    c.updated_at = time_or(row, c_.updated_at, std::max(stamp_, c.created_at));
    if (!row[c_.deleted_at].empty()) c.deleted_at = time_or(row, c_.deleted_at, {});
    return c;
  }

  std::optional<std::int64_t> id_in_file(const Row& row) const {
    if (row[c_.id].empty()) return std::nullopt;
    const std::optional<std::int64_t> id = detail::to_int(row[c_.id]);
    if (!id || *id <= 0) {
      row.fail(c_.id, text(row, c_.id), "is not a positive whole number (a customer id)");
    }
    return id;
  }

  std::vector<Membership> memberships(const Row& row) {
    const std::vector<detail::MembershipKey> keys =
        row.parse(c_.memberships, detail::parse_memberships);
    std::vector<Membership> result;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const std::string field = fmt::format("customer.memberships[{}].organization", i);
      const CustomerId organization = row.parse(c_.memberships, [&](std::string_view) {
        return organization_id(keys[i].organization, field);
      });
      result.push_back({organization, keys[i].role});
    }
    return result;
  }

  // `#N`: the customer with id N in this file (when it has an id column) or in the store;
  // otherwise an external ref of an earlier row or of the store.
  CustomerId organization_id(const std::string& key, const std::string& field) {
    if (const std::optional<std::int64_t> id = detail::hash_key_id(key)) {
      if (c_.id.present()) {
        const auto& ids = run_.report().customer_ids;
        const auto it = ids.find(*id);
        if (it != ids.end()) return it->second;
        throw ValidationError(
            field, key,
            "names no customer of an earlier row (organizations must come before their members)");
      }
      if (run_.store().get_customer(CustomerId{*id})) return CustomerId{*id};
      throw ValidationError(field, key, "names no customer of the store");
    }
    if (const auto it = refs_.find(key); it != refs_.end()) return it->second;
    if (const std::optional<Customer> found = run_.store().find_customer_by_external_ref(key)) {
      return found->id;
    }
    throw ValidationError(field, key,
                          "is the external ref of no customer in the store or in an earlier row");
  }

  // Inserts, updates or leaves the customer as options say; the stored id, or nullopt when left.
  std::optional<CustomerId> write(const Row& row, Customer& customer) {
    try {
      if (customer.external_ref && options_.existing_customers != ExistingCustomers::reject) {
        if (const std::optional<Customer> existing =
                run_.store().find_customer_by_external_ref(*customer.external_ref)) {
          return write_existing(customer, *existing);
        }
      }
      const CustomerId id = run_.store().insert_customer(customer).id;
      ++run_.report().rows_imported;
      return id;
    } catch (const ValidationError& error) {
      row.fail(c_.of(error.field()), error);
    } catch (const ConflictError& error) {
      row.fail(c_.external_ref, customer.external_ref.value_or(""),
               fmt::format("is taken: {}", error.what()));
    }
  }

  std::optional<CustomerId> write_existing(Customer& customer, const Customer& existing) {
    if (options_.existing_customers == ExistingCustomers::skip) {
      ++run_.report().rows_unchanged;
      return std::nullopt;
    }
    customer.id = existing.id;
    customer.version = existing.version;
    if (!c_.created_at.present()) customer.created_at = existing.created_at;
    run_.store().update_customer(customer);
    ++run_.report().rows_imported;
    return existing.id;
  }

  detail::ImportRun& run_;
  const CustomerColumns& c_;
  const CustomerImportOptions& options_;
  Timestamp stamp_;
  std::unordered_map<std::string, CustomerId, detail::KeyHash, std::equal_to<>> refs_;
};

}  // namespace

ImportReport import_customers(storage::Store& store, CsvReader& reader,
                              const CustomerImportOptions& options) {
  const CustomerColumns columns = resolve_columns(reader, options);
  detail::ImportRun run(store, reader, options);
  CustomerImporter importer(run, columns, options);
  std::vector<std::string_view> fields;
  while (run.next(fields)) {
    run.open_batch();
    try {
      importer.import(Row(reader, fields));
    } catch (const detail::RowFailure& failure) {
      run.reject(failure);
    }
    if (run.batch_full()) run.close_batch();
  }
  run.close_batch();
  return run.finish();
}

ImportReport import_customers(storage::Store& store, const std::filesystem::path& file,
                              const CustomerImportOptions& options) {
  CsvReader reader(file, options.format);
  return import_customers(store, reader, options);
}

ImportReport import_customers(storage::Store& store, std::istream& in, const std::string& source,
                              const CustomerImportOptions& options) {
  CsvReader reader(in, source, options.format);
  return import_customers(store, reader, options);
}

}  // namespace crmkit::io
