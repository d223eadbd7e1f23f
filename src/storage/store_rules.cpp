#include "storage/store_rules.hpp"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "crmkit/core/error.hpp"
#include "crmkit/domain/validation.hpp"
#include "crmkit/storage/query.hpp"

namespace crmkit::storage::rules {
namespace {

// "deals 3, 5 and 2 more": names what still refers to a record, without flooding the message.
std::string describe(std::string_view noun, const Referrers& ids) {
  std::string text =
      fmt::format("{}{} {}", noun, ids.total == 1 ? "" : "s", fmt::join(ids.lowest, ", "));
  const auto shown = static_cast<std::int64_t>(shown_referrers);
  if (ids.total > shown) text += fmt::format(" and {} more", ids.total - shown);
  return text;
}

void add_if_any(std::vector<std::string>& parts, std::string_view noun, const Referrers& ids) {
  if (ids.total > 0) parts.push_back(describe(noun, ids));
}

[[noreturn]] void throw_dangling(const std::string& field, std::string value,
                                 std::string_view entity) {
  throw ValidationError(field, std::move(value),
                        fmt::format("does not refer to an existing {}", entity));
}

// validate() names fields from the record's own root (`purchase.amount`); a bulk call must say
// which element failed (`purchases[17].amount`).
[[noreturn]] void throw_rerooted(const ValidationError& error, std::string_view root,
                                 const std::string& element) {
  const std::string_view field = error.field();
  const bool rooted =
      field.starts_with(root) &&
      (field.size() == root.size() || field[root.size()] == '.' || field[root.size()] == '[');
  const std::string renamed =
      rooted ? element + std::string(field.substr(root.size())) : element + "." + error.field();
  throw ValidationError(renamed, error.value(), error.rule());
}

// A customer named at `field` must exist and be of kind `wanted`.
void check_party(ReferenceLookup& lookup, const std::string& field, CustomerId id,
                 CustomerKind wanted, std::string_view mismatch) {
  const std::optional<CustomerKind> kind = lookup.customer_kind(id);
  if (!kind) throw_dangling(field, id.to_string(), "customer");
  if (*kind != wanted) throw ValidationError(field, id.to_string(), std::string(mismatch));
}

void check_stage_kept(const Pipeline& pipeline, std::string_view key, const Deal& deal,
                      std::string_view how) {
  if (!pipeline.find_stage(key)) {
    throw ValidationError("pipeline.stages", std::string(key),
                          fmt::format("cannot be removed: {} of deal {}", how, deal.id.value()));
  }
}

}  // namespace

Referrers referrers_among(std::vector<std::int64_t> ids) {
  const std::size_t shown = std::min(ids.size(), shown_referrers);
  const auto end = ids.begin() + static_cast<std::ptrdiff_t>(shown);
  std::partial_sort(ids.begin(), end, ids.end());
  Referrers found;
  found.total = static_cast<std::int64_t>(ids.size());
  found.lowest.assign(ids.begin(), end);
  return found;
}

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

void check_customer_references(ReferenceLookup& lookup, const Customer& customer) {
  for (std::size_t i = 0; i < customer.memberships.size(); ++i) {
    check_party(lookup, fmt::format("customer.memberships[{}].organization", i),
                customer.memberships[i].organization, CustomerKind::organization,
                "refers to a person, not an organization");
  }
}

void check_external_ref_free(ReferenceLookup& lookup, const Customer& customer, CustomerId self) {
  if (!customer.external_ref) return;
  const std::optional<CustomerId> owner = lookup.customer_with_external_ref(*customer.external_ref);
  if (owner && *owner != self) {
    throw ConflictError("customer", *customer.external_ref,
                        fmt::format("external_ref is already used by customer {}", owner->value()));
  }
}

void check_kind_change(ReferenceLookup& lookup, CustomerKind stored_kind, const Customer& updated) {
  if (stored_kind == updated.kind) return;
  const std::string value(to_string(updated.kind));
  const Referrers members = lookup.referrers(Reference::members_of_organization, updated.id.value());
  if (members.total > 0) {
    throw ValidationError("customer.kind", value,
                          fmt::format("cannot be set while the organization has members: {}",
                                      describe("customer", members)));
  }
  const Referrers contact_of = lookup.referrers(Reference::deals_with_contact, updated.id.value());
  if (contact_of.total > 0) {
    throw ValidationError("customer.kind", value,
                          fmt::format("cannot be set while the person is a contact of {}",
                                      describe("deal", contact_of)));
  }
}

void check_customer_removable(ReferenceLookup& lookup, CustomerId id) {
  std::vector<std::string> parts;
  add_if_any(parts, "deal", lookup.referrers(Reference::deals_of_customer, id.value()));
  add_if_any(parts, "interaction",
             lookup.referrers(Reference::interactions_of_customer, id.value()));
  add_if_any(parts, "purchase", lookup.referrers(Reference::purchases_of_customer, id.value()));
  add_if_any(parts, "member", lookup.referrers(Reference::members_of_organization, id.value()));
  if (!parts.empty()) {
    throw ConflictError(
        "customer", id.to_string(),
        fmt::format("cannot be removed: still referred to by {}", fmt::join(parts, "; ")));
  }
}

void check_interaction(ReferenceLookup& lookup, const Interaction& interaction,
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
    if (!lookup.customer_exists(customer)) {
      throw_dangling(fmt::format("{}.customers[{}]", element(), i), customer.to_string(),
                     "customer");
    }
  }
  if (interaction.deal && !lookup.deal_exists(*interaction.deal)) {
    throw_dangling(element() + ".deal", interaction.deal->to_string(), "deal");
  }
}

void check_deal(ReferenceLookup& lookup, const Deal& deal) {
  const Pipeline* pipeline = lookup.pipeline(deal.pipeline);
  if (!pipeline) throw_dangling("deal.pipeline", deal.pipeline.to_string(), "pipeline");
  validate(deal, *pipeline);
  if (!lookup.customer_exists(deal.customer)) {
    throw_dangling("deal.customer", deal.customer.to_string(), "customer");
  }
  for (std::size_t i = 0; i < deal.contacts.size(); ++i) {
    check_party(lookup, fmt::format("deal.contacts[{}].person", i), deal.contacts[i].person,
                CustomerKind::person, "refers to an organization, not a person");
  }
}

void check_deal_removable(ReferenceLookup& lookup, DealId id) {
  const Referrers interactions = lookup.referrers(Reference::interactions_of_deal, id.value());
  if (interactions.total > 0) {
    throw ConflictError("deal", id.to_string(),
                        fmt::format("cannot be removed: still referred to by {}",
                                    describe("interaction", interactions)));
  }
}

void check_pipeline_keeps(const Pipeline& pipeline, const Deal& deal) {
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

void check_pipeline_removable(ReferenceLookup& lookup, PipelineId id) {
  const Referrers deals = lookup.referrers(Reference::deals_of_pipeline, id.value());
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
  if (!lookup_.customer_exists(purchase.customer)) {
    throw_dangling(fmt::format("purchases[{}].customer", index), purchase.customer.to_string(),
                   "customer");
  }
  last_found_ = purchase.customer;
}

void throw_mixed_currencies(const std::vector<std::string>& sorted_codes) {
  throw ValidationError(
      "scan.currency", "",
      fmt::format("must be set: the purchases in range are in {} and {}",
                  fmt::join(sorted_codes.begin(), std::prev(sorted_codes.end()), ", "),
                  sorted_codes.back()));
}

}  // namespace crmkit::storage::rules
