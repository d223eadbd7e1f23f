#pragma once
/// @file
/// @brief Strong integer ids, one type per entity, so a deal id can never stand for a customer id.

#include <compare>
#include <cstdint>
#include <functional>
#include <string>

namespace crmkit {

/// A strongly typed 64-bit id. `Tag` only distinguishes the types; ids of different tags
/// do not convert into each other. The value 0 means "not assigned yet": stores assign
/// positive ids on insert.
template <class Tag>
class Id {
 public:
  /// The underlying integer type.
  using value_type = std::int64_t;
  /// An unassigned id (value 0).
  constexpr Id() noexcept = default;
  /// Wraps a raw value.
  constexpr explicit Id(value_type value) noexcept : value_(value) {}
  /// The raw value.
  [[nodiscard]] constexpr value_type value() const noexcept { return value_; }
  /// True when the id has been assigned (value > 0).
  [[nodiscard]] constexpr bool valid() const noexcept { return value_ > 0; }
  /// Ids order and compare by value.
  constexpr auto operator<=>(const Id&) const noexcept = default;
  /// The value in decimal.
  [[nodiscard]] std::string to_string() const { return std::to_string(value_); }

 private:
  value_type value_ = 0;
};

/// Tag types for the entity ids.
namespace tags {
struct Customer {};     ///< tag of CustomerId
struct Interaction {};  ///< tag of InteractionId
struct Pipeline {};     ///< tag of PipelineId
struct Deal {};         ///< tag of DealId
struct Purchase {};     ///< tag of PurchaseId
}  // namespace tags

using CustomerId = Id<tags::Customer>;        ///< Id of a Customer (person or organization).
using InteractionId = Id<tags::Interaction>;  ///< Id of an Interaction.
using PipelineId = Id<tags::Pipeline>;        ///< Id of a Pipeline.
using DealId = Id<tags::Deal>;                ///< Id of a Deal.
using PurchaseId = Id<tags::Purchase>;        ///< Id of a Purchase.

}  // namespace crmkit

/// Hashing of ids, so they can key unordered containers.
template <class Tag>
struct std::hash<crmkit::Id<Tag>> {
  /// Hash of the raw value.
  std::size_t operator()(crmkit::Id<Tag> id) const noexcept {
    return std::hash<std::int64_t>{}(id.value());
  }
};
