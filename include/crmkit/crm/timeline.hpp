#pragma once
/// @file
/// @brief A customer's timeline: interactions, deal events and purchases, newest first.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "crmkit/domain/deal.hpp"
#include "crmkit/domain/interaction.hpp"
#include "crmkit/domain/purchase.hpp"

namespace crmkit {

/// What a timeline entry is. At equal times, entries order by kind in this order.
enum class TimelineKind {
  interaction,  ///< an Interaction involving the customer
  deal_event,   ///< a stage change (or the opening) of one of the customer's deals
  purchase      ///< a Purchase by the customer
};

/// A stage change of a deal, as shown on a timeline.
struct DealEvent {
  DealId deal;                ///< the deal
  std::string title;          ///< the deal's title
  StageCategory category = StageCategory::open;  ///< category of the stage entered
  StageChange change;         ///< the history entry
  std::size_t sequence = 0;   ///< index of the entry in the deal's history
};

/// Where a timeline page starts: entries strictly after this one in timeline order
/// (time descending; then kind ascending; then id and sequence descending).
struct TimelineCursor {
  Timestamp at{};              ///< time of the last entry returned
  TimelineKind kind = TimelineKind::interaction;  ///< its kind
  std::int64_t id = 0;         ///< its record id (the deal id for deal events)
  std::size_t sequence = 0;    ///< history index for deal events, else 0
};

/// One entry of a timeline.
struct TimelineEntry {
  Timestamp at{};                                       ///< when it happened
  TimelineKind kind = TimelineKind::interaction;        ///< which alternative `item` holds
  std::variant<Interaction, DealEvent, Purchase> item;  ///< the record
  /// A one-line description, e.g. `email inbound "Re: quote" (completed)`,
  /// `deal "ACME renewal" qualified -> won` or `purchase 120.50 EUR order A-1001`.
  [[nodiscard]] std::string summary() const;
  /// The cursor that starts the page after this entry.
  [[nodiscard]] TimelineCursor cursor() const;
};

/// What page of a timeline to read.
struct TimelineRequest {
  std::optional<TimelineCursor> before;  ///< start after this entry; none for the newest
  std::size_t limit = 50;                ///< 1 to storage::max_page_size
};

/// A page of a timeline.
struct TimelinePage {
  std::vector<TimelineEntry> entries;  ///< newest first
  std::optional<TimelineCursor> next;  ///< where the next page starts; empty on the last page
};

/// `interaction`, `deal_event` or `purchase`.
[[nodiscard]] std::string_view to_string(TimelineKind kind) noexcept;

}  // namespace crmkit
