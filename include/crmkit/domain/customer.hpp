#pragma once
/// @file
/// @brief Customers: people and organizations, with their contact points and consent.

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "crmkit/core/attribute.hpp"
#include "crmkit/core/contact.hpp"
#include "crmkit/core/id.hpp"
#include "crmkit/core/time.hpp"

namespace crmkit {

/// Whether a customer is a natural person or an organization.
enum class CustomerKind {
  person,       ///< a natural person: has given and family names
  organization  ///< a company or other body: has a legal name
};

/// Where a customer stands in the relationship.
enum class LifecycleStage {
  lead,      ///< known but not qualified
  prospect,  ///< qualified, no purchase yet
  customer,  ///< has bought
  inactive   ///< no longer active
};

/// State of the customer's marketing consent.
enum class ConsentStatus {
  unknown,   ///< never asked or not recorded
  granted,   ///< the customer agreed
  withdrawn  ///< the customer withdrew a previous agreement
};

/// GDPR Art. 6 lawful basis for processing.
enum class LawfulBasis {
  none,                 ///< not recorded
  consent,              ///< Art. 6(1)(a)
  contract,             ///< Art. 6(1)(b)
  legal_obligation,     ///< Art. 6(1)(c)
  vital_interests,      ///< Art. 6(1)(d)
  public_task,          ///< Art. 6(1)(e)
  legitimate_interests  ///< Art. 6(1)(f)
};

/// Marketing consent: status, when it was given or withdrawn, and the lawful basis.
/// Rule: `granted` and `withdrawn` need `at`; `granted` needs a lawful basis other than `none`.
struct Consent {
  ConsentStatus status = ConsentStatus::unknown;  ///< current status
  std::optional<Timestamp> at;                    ///< when the status was recorded
  LawfulBasis basis = LawfulBasis::none;          ///< lawful basis for processing
  /// Field-wise equality.
  friend bool operator==(const Consent&, const Consent&) = default;
};

/// An email address of a customer. Rule: in a non-empty list exactly one is primary.
struct ContactEmail {
  Email address;       ///< the validated address
  std::string label;                       ///< free label, e.g. `work`
  bool primary = false;                    ///< the address to use by default
  /// Field-wise equality.
  friend bool operator==(const ContactEmail&, const ContactEmail&) = default;
};

/// A phone number of a customer. Rule: in a non-empty list exactly one is primary.
struct ContactPhone {
  Phone number;         ///< the canonical number
  std::string label;             ///< free label, e.g. `mobile`
  bool primary = false;          ///< the number to use by default
  /// Field-wise equality.
  friend bool operator==(const ContactPhone&, const ContactPhone&) = default;
};

/// A postal address. Rules: at least one of `lines` non-empty; `country` is ISO 3166 alpha-2
/// (two upper-case letters) or empty; in a non-empty list exactly one address is primary.
struct PostalAddress {
  std::vector<std::string> lines;  ///< street lines, in order
  std::string city;                ///< city or locality
  std::string region;              ///< state, province or county
  std::string postal_code;         ///< postal code as written locally
  std::string country;             ///< ISO 3166 alpha-2, e.g. `FR`
  std::string label;               ///< free label, e.g. `billing`
  bool primary = false;            ///< the address to use by default
  /// Field-wise equality.
  friend bool operator==(const PostalAddress&, const PostalAddress&) = default;
};

/// A person's membership of an organization, with a role. Only persons have memberships,
/// and the organization must be an existing customer of kind organization.
struct Membership {
  CustomerId organization;  ///< the organization
  std::string role;         ///< e.g. `CFO`, `buyer`; may be empty
  /// Field-wise equality.
  friend bool operator==(const Membership&, const Membership&) = default;
};

/// A customer: a person or an organization, with contact points, relationship data and
/// custom attributes. A plain value type: the store assigns `id` and `version`; the Crm
/// facade stamps `created_at`/`updated_at`.
///
/// Rules (checked by validate(const Customer&)): a person has a given or a family name and no
/// legal name; an organization has a legal name, no given/family name and no memberships;
/// names are at most 200 bytes of valid UTF-8 without control characters; exactly one primary
/// per non-empty contact list; `external_ref` when present is 1 to 128 bytes and unique in a store;
/// tags are 1 to 64 bytes without control characters or commas.
struct Customer {
  CustomerId id;                                   ///< assigned by the store on insert
  CustomerKind kind = CustomerKind::person;        ///< person or organization
  std::string given_name;                          ///< persons: first name
  std::string family_name;                         ///< persons: last name
  std::string legal_name;                          ///< organizations: registered name
  std::vector<ContactEmail> emails;                ///< email addresses, one primary
  std::vector<ContactPhone> phones;                ///< phone numbers, one primary
  std::vector<PostalAddress> addresses;            ///< postal addresses, one primary
  std::vector<Membership> memberships;             ///< persons: organizations they belong to
  std::optional<std::string> external_ref;         ///< the host ERP's key; unique when present
  std::string owner;                               ///< user who owns the record (free text id)
  std::set<std::string> tags;                      ///< free tags
  LifecycleStage lifecycle = LifecycleStage::lead; ///< stage of the relationship
  std::string source;                              ///< acquisition source, e.g. `web-form`
  Consent consent;                                 ///< marketing consent
  Attributes attributes;                           ///< custom fields
  Timestamp created_at{};                          ///< when the record was created
  Timestamp updated_at{};                          ///< when the record last changed
  std::int64_t version = 0;                        ///< optimistic-concurrency version; 1 after insert
  std::optional<Timestamp> deleted_at;             ///< set when soft-deleted

  /// "Given Family" for persons (either part may be empty), the legal name for organizations.
  [[nodiscard]] std::string display_name() const;
  /// The primary email, if any.
  [[nodiscard]] const ContactEmail* primary_email() const noexcept;
  /// The primary phone, if any.
  [[nodiscard]] const ContactPhone* primary_phone() const noexcept;
  /// True when soft-deleted.
  [[nodiscard]] bool deleted() const noexcept { return deleted_at.has_value(); }
  /// Field-wise equality.
  friend bool operator==(const Customer&, const Customer&) = default;
};

/// `person` or `organization`.
[[nodiscard]] std::string_view to_string(CustomerKind kind) noexcept;
/// `lead`, `prospect`, `customer` or `inactive`.
[[nodiscard]] std::string_view to_string(LifecycleStage stage) noexcept;
/// `unknown`, `granted` or `withdrawn`.
[[nodiscard]] std::string_view to_string(ConsentStatus status) noexcept;
/// `none`, `consent`, `contract`, `legal_obligation`, `vital_interests`, `public_task`, `legitimate_interests`.
[[nodiscard]] std::string_view to_string(LawfulBasis basis) noexcept;

/// Parses a CustomerKind name. @throws ValidationError (field `customer.kind`) for other text.
[[nodiscard]] CustomerKind parse_customer_kind(std::string_view text);
/// Parses a LifecycleStage name. @throws ValidationError (field `customer.lifecycle`) for other text.
[[nodiscard]] LifecycleStage parse_lifecycle_stage(std::string_view text);
/// Parses a ConsentStatus name. @throws ValidationError (field `customer.consent.status`) for other text.
[[nodiscard]] ConsentStatus parse_consent_status(std::string_view text);
/// Parses a LawfulBasis name. @throws ValidationError (field `customer.consent.basis`) for other text.
[[nodiscard]] LawfulBasis parse_lawful_basis(std::string_view text);

}  // namespace crmkit
