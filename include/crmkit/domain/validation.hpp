#pragma once
/// @file
/// @brief Invariants of the domain types, checked on every write by the facade and every backend.

#include "crmkit/domain/customer.hpp"
#include "crmkit/domain/deal.hpp"
#include "crmkit/domain/interaction.hpp"
#include "crmkit/domain/pipeline.hpp"
#include "crmkit/domain/purchase.hpp"

namespace crmkit {

/// Checks the rules documented on Customer (not the uniqueness of `external_ref`,
/// nor that member organizations exist: that needs a store).
/// @throws ValidationError naming the field (e.g. `customer.emails[1]`), the value and the rule.
void validate(const Customer& customer);
/// Checks the rules documented on Interaction. @throws ValidationError.
void validate(const Interaction& interaction);
/// Checks the rules documented on Pipeline and Stage. @throws ValidationError.
void validate(const Pipeline& pipeline);
/// Checks the rules documented on Deal against its pipeline. @throws ValidationError.
void validate(const Deal& deal, const Pipeline& pipeline);
/// Checks the rules documented on Purchase. @throws ValidationError.
void validate(const Purchase& purchase);

/// Checks that `text` is valid UTF-8 of at most `max_bytes` bytes; with `single_line`,
/// also that it has no control characters (tab included).
/// @throws ValidationError naming `field`.
void validate_text(std::string_view text, std::string_view field, std::size_t max_bytes,
                   bool single_line = true);

}  // namespace crmkit
