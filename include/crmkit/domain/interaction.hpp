#pragma once
/// @file
/// @brief Interactions: calls, emails, meetings and other contacts with customers.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crmkit/core/id.hpp"
#include "crmkit/core/time.hpp"

namespace crmkit {

/// The channel an interaction took place on.
enum class Channel { email, phone, meeting, chat, sms, web, social, letter, in_person, other };

/// Who started the interaction.
enum class Direction {
  inbound,   ///< from the customer to us
  outbound,  ///< from us to the customer
  internal   ///< a note or internal exchange about the customer
};

/// One contact with one or more customers, optionally about a deal.
/// Rules (validate(const Interaction&)): at least one customer, no customer twice; duration ≥ 0;
/// `occurred_at` set (not the epoch); subject at most 500 bytes, body at most 1 MiB, outcome at
/// most 200 bytes and author at most 128, all valid UTF-8 (the body may hold line breaks and tabs,
/// the others no control characters); `external_ref` 1 to 128 bytes when present.
struct Interaction {
  InteractionId id;                               ///< assigned by the store on insert
  Channel channel = Channel::other;               ///< medium
  Direction direction = Direction::inbound;       ///< who started it
  Timestamp occurred_at{};                        ///< when it started (UTC)
  std::chrono::seconds duration{0};               ///< how long it lasted
  std::string subject;                            ///< one-line summary
  std::string body;                               ///< full text or notes
  std::string outcome;                            ///< outcome or status, e.g. `completed`, `no answer`
  std::string author;                             ///< user who logged it
  std::vector<CustomerId> customers;              ///< the customers involved (at least one)
  std::optional<DealId> deal;                     ///< the deal it is about, if any
  std::optional<std::string> external_ref;        ///< the host system's key
  Timestamp created_at{};                         ///< when it was logged
  std::int64_t version = 0;                       ///< 1 after insert
  /// Field-wise equality.
  friend bool operator==(const Interaction&, const Interaction&) = default;
};

/// Lower-case name, `in_person` for Channel::in_person.
[[nodiscard]] std::string_view to_string(Channel channel) noexcept;
/// `inbound`, `outbound` or `internal`.
[[nodiscard]] std::string_view to_string(Direction direction) noexcept;
/// Parses a Channel name. @throws ValidationError (field `interaction.channel`) for other text.
[[nodiscard]] Channel parse_channel(std::string_view text);
/// Parses a Direction name. @throws ValidationError (field `interaction.direction`) for other text.
[[nodiscard]] Direction parse_direction(std::string_view text);

}  // namespace crmkit
