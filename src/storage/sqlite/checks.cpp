#include "storage/sqlite/checks.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "crmkit/domain/validation.hpp"
#include "crmkit/storage/query.hpp"
#include "storage/sqlite/customer_rows.hpp"
#include "storage/sqlite/deal_rows.hpp"
#include "storage/sqlite/pipeline_rows.hpp"

namespace crmkit::storage::sqlite {
namespace {

// The records that still refer to another one: the lowest ids and how many there are in all.
struct Referrers {
  std::vector<std::int64_t> first;
  std::int64_t total = 0;
};

constexpr std::size_t shown_ids = 5;

// `sql` selects the referring ids as `ref_id`, given ?1 = the referred record's id.
Referrers referrers(Connection& c, const char* sql, std::int64_t id) {
  Query q = c.query(sql);
  q.bind_int(1, id);
  Referrers found;
  while (q.step()) {
    found.first.push_back(q.int_at(0));
    found.total = q.int_at(1);
  }
  return found;
}

#define CRMKIT_FIRST_IDS(inner) \
  "SELECT ref_id, count(*) OVER () FROM (" inner ") ORDER BY ref_id LIMIT 5"

constexpr const char* deals_of_customer_sql = CRMKIT_FIRST_IDS(
    "SELECT id AS ref_id FROM deals WHERE customer_id = ?1 "
    "UNION SELECT deal_id FROM deal_contacts WHERE person_id = ?1");
constexpr const char* deals_with_contact_sql =
    CRMKIT_FIRST_IDS("SELECT DISTINCT deal_id AS ref_id FROM deal_contacts WHERE person_id = ?1");
constexpr const char* interactions_of_customer_sql = CRMKIT_FIRST_IDS(
    "SELECT DISTINCT interaction_id AS ref_id FROM interaction_customers WHERE customer_id = ?1");
constexpr const char* purchases_of_customer_sql =
    CRMKIT_FIRST_IDS("SELECT id AS ref_id FROM purchases WHERE customer_id = ?1");
constexpr const char* members_of_organization_sql = CRMKIT_FIRST_IDS(
    "SELECT DISTINCT customer_id AS ref_id FROM customer_memberships WHERE organization_id = ?1");
constexpr const char* deals_of_pipeline_sql =
    CRMKIT_FIRST_IDS("SELECT id AS ref_id FROM deals WHERE pipeline_id = ?1");
constexpr const char* interactions_of_deal_sql =
    CRMKIT_FIRST_IDS("SELECT id AS ref_id FROM interactions WHERE deal_id = ?1");
#undef CRMKIT_FIRST_IDS

// "deals 3, 5 and 2 more": names what still refers to a record, without flooding the message.
std::string describe(std::string_view noun, const Referrers& ids) {
  std::string text =
      fmt::format("{}{} {}", noun, ids.total == 1 ? "" : "s", fmt::join(ids.first, ", "));
  if (ids.total > static_cast<std::int64_t>(shown_ids)) {
    text += fmt::format(" and {} more", ids.total - static_cast<std::int64_t>(shown_ids));
  }
  return text;
}

void add_if_any(std::vector<std::string>& parts, std::string_view noun, const Referrers& ids) {
  if (ids.total > 0) parts.push_back(describe(noun, ids));
}

bool deal_exists(Connection& c, DealId id) {
  Query q = c.query("SELECT 1 FROM deals WHERE id = ?1");
  q.bind_int(1, id.value());
  return q.step();
}

void check_stage_kept(const Pipeline& pipeline, std::string_view key, const Deal& deal,
                      std::string_view how) {
  if (!pipeline.find_stage(key)) {
    throw ValidationError("pipeline.stages", std::string(key),
                          fmt::format("cannot be removed: {} of deal {}", how, deal.id.value()));
  }
}

}  // namespace

void check_limit(std::size_t limit) {
  if (limit < 1 || limit > max_page_size) {
    throw ValidationError("query.limit", std::to_string(limit),
                          fmt::format("must be between 1 and {}", max_page_size));
  }
}

void check_version(std::string_view entity, std::int64_t id, std::int64_t given,
                   std::int64_t stored) {
  if (given != stored) {
    throw ConflictError(
        std::string(entity), std::to_string(id),
        fmt::format("version {} is stale: the stored version is {}", given, stored));
  }
}

void throw_rerooted(const ValidationError& error, std::string_view root,
                    const std::string& element) {
  const std::string_view field = error.field();
  const bool rooted =
      field.starts_with(root) &&
      (field.size() == root.size() || field[root.size()] == '.' || field[root.size()] == '[');
  const std::string renamed =
      rooted ? element + std::string(field.substr(root.size())) : element + "." + error.field();
  throw ValidationError(renamed, error.value(), error.rule());
}

bool customer_exists(Connection& c, CustomerId id) {
  Query q = c.query("SELECT 1 FROM customers WHERE id = ?1");
  q.bind_int(1, id.value());
  return q.step();
}

void check_customer_references(Connection& c, const Customer& customer) {
  for (std::size_t i = 0; i < customer.memberships.size(); ++i) {
    const CustomerId organization = customer.memberships[i].organization;
    const std::string field = fmt::format("customer.memberships[{}].organization", i);
    const std::optional<CustomerKind> kind = customer_kind(c, organization);
    if (!kind) {
      throw ValidationError(field, organization.to_string(),
                            "does not refer to an existing customer");
    }
    if (*kind != CustomerKind::organization) {
      throw ValidationError(field, organization.to_string(),
                            "refers to a person, not an organization");
    }
  }
}

void check_external_ref_free(Connection& c, const Customer& customer, CustomerId self) {
  if (!customer.external_ref) return;
  const std::optional<CustomerId> owner = customer_with_external_ref(c, *customer.external_ref);
  if (owner && *owner != self) {
    throw ConflictError("customer", *customer.external_ref,
                        fmt::format("external_ref is already used by customer {}", owner->value()));
  }
}

void check_kind_change(Connection& c, CustomerKind stored_kind, const Customer& updated) {
  if (stored_kind == updated.kind) return;
  const std::string value(to_string(updated.kind));
  const Referrers members = referrers(c, members_of_organization_sql, updated.id.value());
  if (members.total > 0) {
    throw ValidationError("customer.kind", value,
                          fmt::format("cannot be set while the organization has members: {}",
                                      describe("customer", members)));
  }
  const Referrers contact_of = referrers(c, deals_with_contact_sql, updated.id.value());
  if (contact_of.total > 0) {
    throw ValidationError("customer.kind", value,
                          fmt::format("cannot be set while the person is a contact of {}",
                                      describe("deal", contact_of)));
  }
}

void check_customer_removable(Connection& c, CustomerId id) {
  std::vector<std::string> parts;
  add_if_any(parts, "deal", referrers(c, deals_of_customer_sql, id.value()));
  add_if_any(parts, "interaction", referrers(c, interactions_of_customer_sql, id.value()));
  add_if_any(parts, "purchase", referrers(c, purchases_of_customer_sql, id.value()));
  add_if_any(parts, "member", referrers(c, members_of_organization_sql, id.value()));
  if (!parts.empty()) {
    throw ConflictError(
        "customer", id.to_string(),
        fmt::format("cannot be removed: still referred to by {}", fmt::join(parts, "; ")));
  }
}

void check_interaction(Connection& c, const Interaction& interaction,
                       std::optional<std::size_t> index) {
  const auto element = [&] {
    return index ? fmt::format("interactions[{}]", *index) : std::string("interaction");
  };
  try {
    validate(interaction);
  } catch (const ValidationError& error) {
    if (!index) throw;
    throw_rerooted(error, "interaction", element());
  }
  for (std::size_t i = 0; i < interaction.customers.size(); ++i) {
    const CustomerId customer = interaction.customers[i];
    if (!customer_exists(c, customer)) {
      throw ValidationError(fmt::format("{}.customers[{}]", element(), i), customer.to_string(),
                            "does not refer to an existing customer");
    }
  }
  if (interaction.deal && !deal_exists(c, *interaction.deal)) {
    throw ValidationError(element() + ".deal", interaction.deal->to_string(),
                          "does not refer to an existing deal");
  }
}

void check_deal(Connection& c, const Deal& deal) {
  const std::optional<Pipeline> pipeline = load_pipeline(c, deal.pipeline);
  if (!pipeline) {
    throw ValidationError("deal.pipeline", deal.pipeline.to_string(),
                          "does not refer to an existing pipeline");
  }
  validate(deal, *pipeline);
  if (!customer_exists(c, deal.customer)) {
    throw ValidationError("deal.customer", deal.customer.to_string(),
                          "does not refer to an existing customer");
  }
  for (std::size_t i = 0; i < deal.contacts.size(); ++i) {
    const CustomerId person = deal.contacts[i].person;
    const std::string field = fmt::format("deal.contacts[{}].person", i);
    const std::optional<CustomerKind> kind = customer_kind(c, person);
    if (!kind) {
      throw ValidationError(field, person.to_string(), "does not refer to an existing customer");
    }
    if (*kind != CustomerKind::person) {
      throw ValidationError(field, person.to_string(), "refers to an organization, not a person");
    }
  }
}

void check_deal_removable(Connection& c, DealId id) {
  const Referrers interactions = referrers(c, interactions_of_deal_sql, id.value());
  if (interactions.total > 0) {
    throw ConflictError("deal", id.to_string(),
                        fmt::format("cannot be removed: still referred to by {}",
                                    describe("interaction", interactions)));
  }
}

void check_pipeline_change(Connection& c, const Pipeline& pipeline) {
  for (const Deal& deal : load_deals(c, deal_ids_of_pipeline(c, pipeline.id))) {
    check_stage_kept(pipeline, deal.stage, deal, "it is the current stage");
    for (const StageChange& change : deal.history) {
      if (change.from) check_stage_kept(pipeline, *change.from, deal, "it is named in the history");
      check_stage_kept(pipeline, change.to, deal, "it is named in the history");
    }
    try {
      validate(deal, pipeline);
    } catch (const ValidationError& error) {
      throw ValidationError("pipeline.stages", deal.stage,
                            fmt::format("cannot change this way: deal {} would no longer be "
                                        "valid ({})",
                                        deal.id.value(), error.what()));
    }
  }
}

void check_pipeline_removable(Connection& c, PipelineId id) {
  const Referrers deals = referrers(c, deals_of_pipeline_sql, id.value());
  if (deals.total > 0) {
    throw ConflictError(
        "pipeline", id.to_string(),
        fmt::format("cannot be removed: still used by {}", describe("deal", deals)));
  }
}

void PurchaseChecker::check(const Purchase& purchase, std::size_t index) {
  try {
    validate(purchase);
  } catch (const ValidationError& error) {
    throw_rerooted(error, "purchase", fmt::format("purchases[{}]", index));
  }
  if (purchase.customer == last_found_) return;
  if (!customer_exists(c_, purchase.customer)) {
    throw ValidationError(fmt::format("purchases[{}].customer", index),
                          purchase.customer.to_string(), "does not refer to an existing customer");
  }
  last_found_ = purchase.customer;
}

}  // namespace crmkit::storage::sqlite
