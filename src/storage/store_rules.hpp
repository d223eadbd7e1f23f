#pragma once
// The rules a write must pass beyond crmkit::validate (references, versions, limits), written once
// for every backend: the Store contract expects the same fields and the same words from each, so
// a backend only answers the questions of ReferenceLookup from its own storage and lets these
// functions decide and phrase the errors.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crmkit/domain/customer.hpp"
#include "crmkit/domain/deal.hpp"
#include "crmkit/domain/interaction.hpp"
#include "crmkit/domain/pipeline.hpp"
#include "crmkit/domain/purchase.hpp"

namespace crmkit::storage::rules {

/// How many referring ids a message lists before it says "and N more".
inline constexpr std::size_t shown_referrers = 5;

/// The records that still refer to another one: the lowest ids (ascending, at most
/// shown_referrers of them) and how many there are in all.
struct Referrers {
  std::vector<std::int64_t> lowest;
  std::int64_t total = 0;
};

/// The Referrers of a complete list of referring ids, in any order.
Referrers referrers_among(std::vector<std::int64_t> ids);

/// Which records refer to a record with a given id.
enum class Reference {
  deals_of_customer,         ///< deals of the customer or having it as a contact
  deals_with_contact,        ///< deals having the person as a contact
  interactions_of_customer,  ///< interactions linked to the customer
  purchases_of_customer,     ///< purchases of the customer
  members_of_organization,   ///< customers that are members of the organization
  deals_of_pipeline,         ///< deals in the pipeline
  interactions_of_deal,      ///< interactions linked to the deal
};

/// What the rules need to know about the stored records, asked inside the write's transaction.
class ReferenceLookup {
 public:
  virtual ~ReferenceLookup() = default;

  virtual bool customer_exists(CustomerId id) = 0;
  /// The stored kind, or nullopt when no customer has this id.
  virtual std::optional<CustomerKind> customer_kind(CustomerId id) = 0;
  /// The customer with this external reference, or nullopt.
  virtual std::optional<CustomerId> customer_with_external_ref(const std::string& ref) = 0;
  virtual bool deal_exists(DealId id) = 0;
  /// The stored pipeline, or nullptr; valid until the next call on this lookup.
  virtual const Pipeline* pipeline(PipelineId id) = 0;
  /// The records of kind `reference` that refer to the record with this id.
  virtual Referrers referrers(Reference reference, std::int64_t id) = 0;

 protected:
  ReferenceLookup() = default;
  ReferenceLookup(const ReferenceLookup&) = default;
  ReferenceLookup& operator=(const ReferenceLookup&) = default;
};

/// @throws ValidationError (query.limit) outside 1 to max_page_size.
void check_limit(std::size_t limit);

/// @throws ConflictError when `given` is not the stored version.
void check_version(std::string_view entity, std::int64_t id, std::int64_t given,
                   std::int64_t stored);

/// Memberships name existing organizations.
void check_customer_references(ReferenceLookup& lookup, const Customer& customer);
/// @throws ConflictError when another customer than `self` has the external reference.
void check_external_ref_free(ReferenceLookup& lookup, const Customer& customer, CustomerId self);
/// A kind change must not strand members (who need an organization) or deal contacts (persons).
void check_kind_change(ReferenceLookup& lookup, CustomerKind stored_kind, const Customer& updated);
/// @throws ConflictError while deals, interactions, purchases or members refer to the customer.
void check_customer_removable(ReferenceLookup& lookup, CustomerId id);

/// validate() plus: the customers and the deal exist. Fields are rooted at `interaction`, or at
/// `interactions[index]` for an element of a bulk append (the name is built only on failure).
void check_interaction(ReferenceLookup& lookup, const Interaction& interaction,
                       std::optional<std::size_t> index = std::nullopt);

/// The pipeline exists, validate() against it, the customer exists, contacts are persons.
void check_deal(ReferenceLookup& lookup, const Deal& deal);
/// @throws ConflictError while interactions refer to the deal.
void check_deal_removable(ReferenceLookup& lookup, DealId id);

/// A deal of the changed pipeline stays valid: its stages kept and its category rules still met.
/// A pipeline change must pass this for every deal of the pipeline.
void check_pipeline_keeps(const Pipeline& pipeline, const Deal& deal);
/// @throws ConflictError while deals use the pipeline.
void check_pipeline_removable(ReferenceLookup& lookup, PipelineId id);

/// Checks purchases of a bulk append; remembers the last customer found, since imports tend to
/// list a customer's purchases together.
class PurchaseChecker {
 public:
  explicit PurchaseChecker(ReferenceLookup& lookup) : lookup_(lookup) {}
  /// validate() plus: the customer exists. Fields are rooted at `purchases[index]`.
  void check(const Purchase& purchase, std::size_t index);

 private:
  ReferenceLookup& lookup_;
  CustomerId last_found_;
};

/// @throws ValidationError (scan.currency) naming the currencies a scan without a currency met;
/// mixing them would add up nonsense. `sorted_codes` holds two or more codes.
[[noreturn]] void throw_mixed_currencies(const std::vector<std::string>& sorted_codes);

}  // namespace crmkit::storage::rules
