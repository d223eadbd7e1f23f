#include "crmkit/io/export.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "crmkit/io/csv_reader.hpp"
#include "io/cells.hpp"
#include "io/json_cells.hpp"
#include "io/output_file.hpp"

namespace crmkit::io {
namespace {

using storage::Store;

// Organizations first, then persons, each by id: the order an import keeps, and the one in which
// every membership refers to a row above it.
template <class Visit>
void for_each_customer(Store& store, bool include_deleted, Visit&& visit) {
  for (const CustomerKind kind : {CustomerKind::organization, CustomerKind::person}) {
    storage::CustomerQuery query;
    query.kind = kind;
    query.include_deleted = include_deleted;
    query.limit = storage::max_page_size;
    for (;;) {
      storage::CustomerPage page = store.find_customers(query);
      for (const Customer& customer : page.items) visit(customer);
      if (!page.next) break;
      query.after = page.next;
    }
  }
}

// Pages come newest first; the export wants oldest first, so that ids assigned on import follow
// the same order and a second export matches the first.
std::vector<Purchase> purchases_of(Store& store, CustomerId customer) {
  std::vector<Purchase> all;
  storage::PurchaseQuery query;
  query.customer = customer;
  query.limit = storage::max_page_size;
  for (;;) {
    storage::PurchasePage page = store.find_purchases(query);
    std::move(page.items.begin(), page.items.end(), std::back_inserter(all));
    if (!page.next) break;
    query.before = page.next;
  }
  std::reverse(all.begin(), all.end());
  return all;
}

// The interactions whose first customer is `customer` (each is written once), oldest first.
std::vector<Interaction> interactions_of(Store& store, CustomerId customer) {
  std::vector<Interaction> all;
  storage::InteractionQuery query;
  query.customer = customer;
  query.limit = storage::max_page_size;
  for (;;) {
    storage::InteractionPage page = store.find_interactions(query);
    for (Interaction& interaction : page.items) {
      if (interaction.customers.front() == customer) all.push_back(std::move(interaction));
    }
    if (!page.next) break;
    query.before = page.next;
  }
  std::reverse(all.begin(), all.end());
  return all;
}

// Customer keys by id, filled as customers are visited and looked up for the others.
class KeyBook {
 public:
  explicit KeyBook(Store& store) : store_(&store) {}
  const std::string& add(const Customer& customer) {
    return keys_
        .insert_or_assign(customer.id.value(),
                          detail::customer_key(customer.id, customer.external_ref))
        .first->second;
  }
  const std::string& key_of(CustomerId id) {
    if (const auto it = keys_.find(id.value()); it != keys_.end()) return it->second;
    const std::optional<Customer> customer = store_->get_customer(id);
    return keys_
        .emplace(id.value(),
                 detail::customer_key(id, customer ? customer->external_ref : std::nullopt))
        .first->second;
  }

 private:
  Store* store_;
  std::unordered_map<std::int64_t, std::string> keys_;
};

std::string optional_time(const std::optional<Timestamp>& t) {
  return t ? detail::format_time(*t) : std::string();
}

std::string joined_tags(const std::set<std::string>& tags) {
  return fmt::format("{}", fmt::join(tags, ","));
}

std::string memberships_cell(const std::vector<Membership>& memberships, KeyBook& keys) {
  std::vector<detail::MembershipKey> listed;
  for (const Membership& m : memberships) listed.push_back({keys.key_of(m.organization), m.role});
  return detail::memberships_json(listed);
}

std::vector<std::string> customer_row(const Customer& c, KeyBook& keys) {
  return {c.id.to_string(),
          c.external_ref.value_or(""),
          std::string(to_string(c.kind)),
          c.given_name,
          c.family_name,
          c.legal_name,
          detail::emails_json(c.emails),
          detail::phones_json(c.phones),
          detail::addresses_json(c.addresses),
          memberships_cell(c.memberships, keys),
          c.owner,
          joined_tags(c.tags),
          std::string(to_string(c.lifecycle)),
          c.source,
          std::string(to_string(c.consent.status)),
          optional_time(c.consent.at),
          std::string(to_string(c.consent.basis)),
          detail::attributes_json(c.attributes),
          detail::format_time(c.created_at),
          detail::format_time(c.updated_at),
          optional_time(c.deleted_at)};
}

std::vector<std::string> purchase_row(const Purchase& p, const std::string& key) {
  return {p.id.to_string(),
          key,
          detail::format_time(p.occurred_at),
          p.amount.to_string(),
          std::string(p.amount.currency().code()),
          p.order_ref,
          p.quantity ? detail::format_double(*p.quantity) : std::string(),
          p.product_ref};
}

std::vector<std::string> interaction_row(const Interaction& it, KeyBook& keys) {
  std::vector<std::string> others;
  for (std::size_t i = 1; i < it.customers.size(); ++i)
    others.push_back(keys.key_of(it.customers[i]));
  return {it.id.to_string(),
          keys.key_of(it.customers.front()),
          detail::keys_json(others),
          detail::format_time(it.occurred_at),
          std::string(to_string(it.channel)),
          std::string(to_string(it.direction)),
          std::to_string(it.duration.count()),
          it.subject,
          it.body,
          it.outcome,
          it.author,
          it.deal ? it.deal->to_string() : std::string(),
          it.external_ref.value_or(""),
          detail::format_time(it.created_at)};
}

template <class Export>
std::uint64_t to_file(Store& store, const std::filesystem::path& file, const ExportOptions& options,
                      Export&& write) {
  detail::OutputFile output(file);
  const std::uint64_t rows = write(store, output.stream(), options);
  output.close();
  return rows;
}

}  // namespace

std::uint64_t export_customers(Store& store, std::ostream& out, const ExportOptions& options) {
  CsvWriter writer(out, options.delimiter);
  writer.row({"id",         "external_ref",  "kind",       "given_name", "family_name",
              "legal_name", "emails",        "phones",     "addresses",  "memberships",
              "owner",      "tags",          "lifecycle",  "source",     "consent_status",
              "consent_at", "consent_basis", "attributes", "created_at", "updated_at",
              "deleted_at"});
  KeyBook keys(store);
  std::uint64_t rows = 0;
  for_each_customer(store, options.include_deleted, [&](const Customer& customer) {
    keys.add(customer);
    writer.row(customer_row(customer, keys));
    ++rows;
  });
  return rows;
}

std::uint64_t export_purchases(Store& store, std::ostream& out, const ExportOptions& options) {
  CsvWriter writer(out, options.delimiter);
  writer.row({"id", "customer_id", "timestamp", "amount", "currency", "order_ref", "quantity",
              "product_ref"});
  std::uint64_t rows = 0;
  for_each_customer(store, options.include_deleted, [&](const Customer& customer) {
    const std::string key = detail::customer_key(customer.id, customer.external_ref);
    for (const Purchase& purchase : purchases_of(store, customer.id)) {
      writer.row(purchase_row(purchase, key));
      ++rows;
    }
  });
  return rows;
}

std::uint64_t export_interactions(Store& store, std::ostream& out, const ExportOptions& options) {
  CsvWriter writer(out, options.delimiter);
  writer.row({"id", "customer_id", "other_customers", "timestamp", "channel", "direction",
              "duration", "subject", "body", "outcome", "author", "deal_id", "external_ref",
              "created_at"});
  KeyBook keys(store);
  std::uint64_t rows = 0;
  for_each_customer(store, options.include_deleted, [&](const Customer& customer) {
    keys.add(customer);
    for (const Interaction& interaction : interactions_of(store, customer.id)) {
      writer.row(interaction_row(interaction, keys));
      ++rows;
    }
  });
  return rows;
}

std::uint64_t export_customers(Store& store, const std::filesystem::path& file,
                               const ExportOptions& options) {
  return to_file(store, file, options, [](Store& s, std::ostream& out, const ExportOptions& o) {
    return export_customers(s, out, o);
  });
}

std::uint64_t export_purchases(Store& store, const std::filesystem::path& file,
                               const ExportOptions& options) {
  return to_file(store, file, options, [](Store& s, std::ostream& out, const ExportOptions& o) {
    return export_purchases(s, out, o);
  });
}

std::uint64_t export_interactions(Store& store, const std::filesystem::path& file,
                                  const ExportOptions& options) {
  return to_file(store, file, options, [](Store& s, std::ostream& out, const ExportOptions& o) {
    return export_interactions(s, out, o);
  });
}

}  // namespace crmkit::io
