#include "crmkit/domain/customer.hpp"

#include <algorithm>

#include "domain/enum_names.hpp"

namespace crmkit {
namespace {

constexpr std::array<std::string_view, 2> kind_names{"person", "organization"};
constexpr std::array<std::string_view, 4> lifecycle_names{"lead", "prospect", "customer", "inactive"};
constexpr std::array<std::string_view, 3> consent_names{"unknown", "granted", "withdrawn"};
constexpr std::array<std::string_view, 7> basis_names{
    "none", "consent", "contract", "legal_obligation", "vital_interests", "public_task",
    "legitimate_interests"};

template <class Contact>
const Contact* primary_of(const std::vector<Contact>& contacts) noexcept {
  const auto it = std::find_if(contacts.begin(), contacts.end(),
                               [](const Contact& c) { return c.primary; });
  return it == contacts.end() ? nullptr : &*it;
}

}  // namespace

std::string Customer::display_name() const {
  if (kind == CustomerKind::organization) return legal_name;
  if (given_name.empty()) return family_name;
  if (family_name.empty()) return given_name;
  return given_name + ' ' + family_name;
}

const ContactEmail* Customer::primary_email() const noexcept { return primary_of(emails); }
const ContactPhone* Customer::primary_phone() const noexcept { return primary_of(phones); }

std::string_view to_string(CustomerKind kind) noexcept { return detail::enum_name(kind_names, kind); }
std::string_view to_string(LifecycleStage stage) noexcept {
  return detail::enum_name(lifecycle_names, stage);
}
std::string_view to_string(ConsentStatus status) noexcept {
  return detail::enum_name(consent_names, status);
}
std::string_view to_string(LawfulBasis basis) noexcept { return detail::enum_name(basis_names, basis); }

CustomerKind parse_customer_kind(std::string_view text) {
  return detail::parse_enum<CustomerKind>(kind_names, text, "customer.kind");
}
LifecycleStage parse_lifecycle_stage(std::string_view text) {
  return detail::parse_enum<LifecycleStage>(lifecycle_names, text, "customer.lifecycle");
}
ConsentStatus parse_consent_status(std::string_view text) {
  return detail::parse_enum<ConsentStatus>(consent_names, text, "customer.consent.status");
}
LawfulBasis parse_lawful_basis(std::string_view text) {
  return detail::parse_enum<LawfulBasis>(basis_names, text, "customer.consent.basis");
}

}  // namespace crmkit
