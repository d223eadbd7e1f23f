#pragma once
// The rules a write must pass beyond crmkit::validate, checked against the database before
// anything is written, with the same fields and wording as the memory store (the reference
// behaviour of the Store contract).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crmkit/core/error.hpp"
#include "crmkit/domain/customer.hpp"
#include "crmkit/domain/deal.hpp"
#include "crmkit/domain/interaction.hpp"
#include "crmkit/domain/pipeline.hpp"
#include "crmkit/domain/purchase.hpp"
#include "storage/sqlite/connection.hpp"

namespace crmkit::storage::sqlite {

/// @throws ValidationError (query.limit) outside 1 to max_page_size.
void check_limit(std::size_t limit);

/// @throws ConflictError when `given` is not the stored version.
void check_version(std::string_view entity, std::int64_t id, std::int64_t given,
                   std::int64_t stored);

/// Throws `error` again with its field moved from the record's own root (`purchase.amount`) to
/// the element of a bulk call (`purchases[17].amount`).
[[noreturn]] void throw_rerooted(const ValidationError& error, std::string_view root,
                                 const std::string& element);

/// Memberships name existing organizations.
void check_customer_references(Connection& c, const Customer& customer);
/// @throws ConflictError when another customer than `self` has the external reference.
void check_external_ref_free(Connection& c, const Customer& customer, CustomerId self);
/// A kind change must not strand members (who need an organization) or deal contacts (persons).
void check_kind_change(Connection& c, CustomerKind stored_kind, const Customer& updated);
/// @throws ConflictError while deals, interactions, purchases or members refer to the customer.
void check_customer_removable(Connection& c, CustomerId id);

/// validate() plus: the customers and the deal exist. Fields are rooted at `interaction`, or at
/// `interactions[index]` for an element of a bulk append (the name is built only on failure).
void check_interaction(Connection& c, const Interaction& interaction,
                       std::optional<std::size_t> index = std::nullopt);
/// The pipeline exists, validate() against it, the customer exists, contacts are persons.
void check_deal(Connection& c, const Deal& deal);
/// @throws ConflictError while interactions refer to the deal.
void check_deal_removable(Connection& c, DealId id);
/// Every deal of the pipeline stays valid: its stages kept and its category rules still met.
void check_pipeline_change(Connection& c, const Pipeline& pipeline);
/// @throws ConflictError while deals use the pipeline.
void check_pipeline_removable(Connection& c, PipelineId id);

/// Checks purchases of a bulk append; remembers the last customer found, since imports tend to
/// list a customer's purchases together.
class PurchaseChecker {
 public:
  explicit PurchaseChecker(Connection& c) : c_(c) {}
  /// validate() plus: the customer exists. Fields are rooted at `purchases[index]`.
  void check(const Purchase& purchase, std::size_t index);

 private:
  Connection& c_;
  CustomerId last_found_;
};

/// True when a customer with this id exists.
bool customer_exists(Connection& c, CustomerId id);

}  // namespace crmkit::storage::sqlite
