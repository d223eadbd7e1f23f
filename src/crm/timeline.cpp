#include "crmkit/crm/timeline.hpp"

#include <fmt/format.h>

namespace crmkit {

namespace {

// Summaries are meant for one-line lists (activity feeds, logs): they stay short and their
// format is stable, documented in docs/crm.md.

std::string summarize(const Interaction& interaction) {
  std::string text = fmt::format("{} {}", to_string(interaction.channel),
                                 to_string(interaction.direction));
  if (!interaction.subject.empty()) {
    text += fmt::format(" \"{}\"", interaction.subject);
  }
  if (!interaction.outcome.empty()) {
    text += fmt::format(" ({})", interaction.outcome);
  }
  return text;
}

std::string summarize(const DealEvent& event) {
  const StageChange& change = event.change;
  std::string text = change.from
                         ? fmt::format("deal \"{}\" {} -> {}", event.title, *change.from, change.to)
                         : fmt::format("deal \"{}\" opened in {}", event.title, change.to);
  if (!change.note.empty()) {
    text += fmt::format(" ({})", change.note);
  }
  return text;
}

std::string summarize(const Purchase& purchase) {
  std::string text = fmt::format("purchase {}", purchase.amount.format());
  if (!purchase.order_ref.empty()) {
    text += fmt::format(" order {}", purchase.order_ref);
  }
  if (!purchase.product_ref.empty()) {
    text += fmt::format(" product {}", purchase.product_ref);
  }
  return text;
}

}  // namespace

std::string TimelineEntry::summary() const {
  return std::visit([](const auto& record) { return summarize(record); }, item);
}

TimelineCursor TimelineEntry::cursor() const {
  TimelineCursor cursor{at, kind, 0, 0};
  if (const auto* interaction = std::get_if<Interaction>(&item)) {
    cursor.id = interaction->id.value();
  } else if (const auto* event = std::get_if<DealEvent>(&item)) {
    cursor.id = event->deal.value();
    cursor.sequence = event->sequence;
  } else if (const auto* purchase = std::get_if<Purchase>(&item)) {
    cursor.id = purchase->id.value();
  }
  return cursor;
}

std::string_view to_string(TimelineKind kind) noexcept {
  switch (kind) {
    case TimelineKind::interaction:
      return "interaction";
    case TimelineKind::deal_event:
      return "deal_event";
    case TimelineKind::purchase:
      return "purchase";
  }
  return "unknown";
}

}  // namespace crmkit
