#include "crmkit/storage/query.hpp"

namespace crmkit::storage {

std::string_view to_string(DealStatus status) noexcept {
  switch (status) {
    case DealStatus::open: return "open";
    case DealStatus::won: return "won";
    case DealStatus::lost: return "lost";
  }
  return "open";  // unreachable for valid enumerators; keeps -Wreturn-type quiet
}

DealStatus status_of(const Deal& deal) noexcept {
  if (deal.won_at) return DealStatus::won;
  if (deal.lost_at) return DealStatus::lost;
  return DealStatus::open;
}

}  // namespace crmkit::storage
