#include "crmkit/domain/deal.hpp"

namespace crmkit {

double Deal::effective_probability(const Pipeline& stages_of) const noexcept {
  if (probability) return *probability;
  const Stage* current = stages_of.find_stage(stage);
  return current ? current->probability : 0.0;
}

Timestamp Deal::stage_entered_at() const noexcept {
  return history.empty() ? created_at : history.back().at;
}

}  // namespace crmkit
