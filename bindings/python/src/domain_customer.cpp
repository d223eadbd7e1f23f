// crmkit._crmkit.domain, part 1: Customer and its parts (domain/customer.hpp).
#include "bindings.hpp"
// (bindings.hpp first)
#include "domain_parts.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace crmkit::python {

namespace {

constexpr const char* values_note =
    " A value (list/set/dict fields are copies: assign the whole value back to change it).";

void bind_consent(py::module_& domain) {
  py::class_<Consent> cls(domain, "Consent", R"doc(Marketing consent: status, when it was given or withdrawn, and the lawful basis.

Rule (``validate(customer)``): ``granted`` and ``withdrawn`` need ``at``; ``granted`` needs a lawful
basis other than ``none``. Fields are values: reading one gives a copy.)doc");
  cls.def(py::init([](ConsentStatus status, std::optional<Timestamp> at, LawfulBasis basis) {
            return Consent{status, at, basis};
          }),
          py::kw_only(), py::arg("status") = enum_object(ConsentStatus::unknown), py::arg("at") = py::none(),
          py::arg("basis") = enum_object(LawfulBasis::none),
          "Every field is optional, with the C++ defaults (unknown, no time, no basis).");
  value_field(cls, "status", &Consent::status, "Current status (``ConsentStatus``).");
  value_field(cls, "at", &Consent::at,
              "When the status was recorded (aware ``datetime.datetime``), or None.");
  value_field(cls, "basis", &Consent::basis, "Lawful basis for processing (``LawfulBasis``).");
  value_semantics(cls);
  cls.def(
      "__repr__",
      [](const Consent& c) {
        return "Consent(status=" + repr_of(c.status) + ", at=" +
               (c.at ? repr_of(format_timestamp(*c.at)) : std::string("None")) +
               ", basis=" + repr_of(c.basis) + ")";
      },
      "The fields, times in ISO 8601.");
}

void bind_contact_points(py::module_& domain) {
  py::class_<ContactEmail> email(domain, "ContactEmail", R"doc(An email address of a customer.

Rule: in a non-empty list exactly one is primary. Fields are values: reading one gives a copy.)doc");
  email.def(py::init([](const TextOr<Email>& address, std::string label, bool primary) {
              return ContactEmail{address.get(), std::move(label), primary};
            }),
            py::kw_only(), py::arg("address"), py::arg("label") = "", py::arg("primary") = false,
            "``address`` (required) is an ``Email`` or a str, validated and normalized.\n\n"
            "Raises:\n    crmkit.ValidationError: (field ``email``) for an invalid address.");
  email.def_property(
      "address", [](const ContactEmail& c) { return c.address; },
      [](ContactEmail& c, const TextOr<Email>& address) { c.address = address.get(); },
      "The validated address (an ``Email``; a str is validated on assignment).");
  value_field(email, "label", &ContactEmail::label, "Free label, e.g. ``work``.");
  value_field(email, "primary", &ContactEmail::primary, "The address to use by default.");
  value_semantics(email);
  email.def(
      "__repr__",
      [](const ContactEmail& c) {
        return "ContactEmail(address=" + repr_of(c.address.str()) + ", label=" + repr_of(c.label) +
               ", primary=" + (c.primary ? "True" : "False") + ")";
      },
      "The fields.");

  py::class_<ContactPhone> phone(domain, "ContactPhone", R"doc(A phone number of a customer.

Rule: in a non-empty list exactly one is primary. Fields are values: reading one gives a copy.)doc");
  phone.def(py::init([](const TextOr<Phone>& number, std::string label, bool primary) {
              return ContactPhone{number.get(), std::move(label), primary};
            }),
            py::kw_only(), py::arg("number"), py::arg("label") = "", py::arg("primary") = false,
            "``number`` (required) is a ``Phone`` or an international str (``+33 6 12 34 56 78``; "
            "for a national number build ``Phone(text, default_region)``).\n\n"
            "Raises:\n    crmkit.ValidationError: (field ``phone``) for an invalid number.");
  phone.def_property(
      "number", [](const ContactPhone& c) { return c.number; },
      [](ContactPhone& c, const TextOr<Phone>& number) { c.number = number.get(); },
      "The canonical number (a ``Phone``; an international str is validated on assignment).");
  value_field(phone, "label", &ContactPhone::label, "Free label, e.g. ``mobile``.");
  value_field(phone, "primary", &ContactPhone::primary, "The number to use by default.");
  value_semantics(phone);
  phone.def(
      "__repr__",
      [](const ContactPhone& c) {
        return "ContactPhone(number=" + repr_of(c.number.str()) + ", label=" + repr_of(c.label) +
               ", primary=" + (c.primary ? "True" : "False") + ")";
      },
      "The fields.");

  py::class_<PostalAddress> address(domain, "PostalAddress", R"doc(A postal address.

Rules: at least one of ``lines`` non-empty; ``country`` is ISO 3166 alpha-2 (two upper-case
letters) or empty; in a non-empty list exactly one address is primary. Fields are values: reading
``lines`` gives a copy of the list; assign a whole list to change it.)doc");
  address.def(py::init([](std::vector<std::string> lines, std::string city, std::string region,
                          std::string postal_code, std::string country, std::string label,
                          bool primary) {
                return PostalAddress{std::move(lines),   std::move(city),    std::move(region),
                                     std::move(postal_code), std::move(country), std::move(label),
                                     primary};
              }),
              py::kw_only(), py::arg("lines") = std::vector<std::string>{}, py::arg("city") = "",
              py::arg("region") = "", py::arg("postal_code") = "", py::arg("country") = "",
              py::arg("label") = "", py::arg("primary") = false,
              "Every field is optional (empty by default).");
  value_field(address, "lines", &PostalAddress::lines,
              "Street lines, in order (a list of str; a copy: assign a whole list).");
  value_field(address, "city", &PostalAddress::city, "City or locality.");
  value_field(address, "region", &PostalAddress::region, "State, province or county.");
  value_field(address, "postal_code", &PostalAddress::postal_code, "Postal code as written locally.");
  value_field(address, "country", &PostalAddress::country, "ISO 3166 alpha-2, e.g. ``FR``.");
  value_field(address, "label", &PostalAddress::label, "Free label, e.g. ``billing``.");
  value_field(address, "primary", &PostalAddress::primary, "The address to use by default.");
  value_semantics(address);
  address.def(
      "__repr__",
      [](const PostalAddress& a) {
        return "PostalAddress(lines=" + repr_of(a.lines) + ", city=" + repr_of(a.city) +
               ", postal_code=" + repr_of(a.postal_code) + ", country=" + repr_of(a.country) +
               ", primary=" + (a.primary ? "True" : "False") + ")";
      },
      "The key fields.");

  py::class_<Membership> membership(domain, "Membership", R"doc(A person's membership of an organization, with a role.

Only persons have memberships, and the organization must be an existing customer of kind
organization.)doc");
  membership.def(py::init([](CustomerId organization, std::string role) {
                   return Membership{organization, std::move(role)};
                 }),
                 py::kw_only(), py::arg("organization") = 0, py::arg("role") = "",
                 "``organization`` is the organization's customer id (int).");
  value_field(membership, "organization", &Membership::organization,
              "The organization's customer id (int).");
  value_field(membership, "role", &Membership::role, "E.g. ``CFO``, ``buyer``; may be empty.");
  value_semantics(membership);
  membership.def(
      "__repr__",
      [](const Membership& m) {
        return "Membership(organization=" + std::to_string(m.organization.value()) +
               ", role=" + repr_of(m.role) + ")";
      },
      "The fields.");
}

std::string customer_repr(const Customer& c) {
  std::string text = "Customer(id=" + std::to_string(c.id.value()) + ", kind=" + repr_of(c.kind);
  if (c.kind == CustomerKind::organization || !c.legal_name.empty()) {
    text += ", legal_name=" + repr_of(c.legal_name);
  }
  if (c.kind == CustomerKind::person || !c.given_name.empty() || !c.family_name.empty()) {
    text += ", given_name=" + repr_of(c.given_name) + ", family_name=" + repr_of(c.family_name);
  }
  if (const ContactEmail* email = c.primary_email()) {
    text += ", email=" + repr_of(email->address.str());
  }
  text += ", lifecycle=" + repr_of(c.lifecycle) + ", version=" + std::to_string(c.version);
  if (c.deleted_at) text += ", deleted";
  return text + ")";
}

void bind_customer(py::module_& domain) {
  py::class_<Customer> cls(domain, "Customer", R"doc(A customer: a person or an organization, with contact points, relationship data and custom attributes.

A plain value type: the store assigns ``id`` and ``version``; the Crm facade stamps
``created_at``/``updated_at``. Build one with keywords, every field optional with the C++ default:
``Customer(kind="person", given_name="Ada", emails=[ContactEmail(address="ada@example.org",
primary=True)])``.

Fields are values: ``c.emails``, ``c.tags``, ``c.attributes``... return COPIES, so
``c.tags.add("vip")`` does not change ``c``; assign the whole value (``c.tags = c.tags | {"vip"}``).

Rules (checked by ``validate(customer)``, and on every write): a person has a given or a family name
and no legal name; an organization has a legal name, no given/family name and no memberships;
names are at most 200 bytes of valid UTF-8 without control characters; exactly one primary per
non-empty contact list; ``external_ref`` when present is 1 to 128 bytes and unique in a store;
tags are 1 to 64 bytes without control characters or commas.)doc");
  cls.def(py::init([](CustomerId id, CustomerKind kind, std::string given_name,
                      std::string family_name, std::string legal_name,
                      std::vector<ContactEmail> emails, std::vector<ContactPhone> phones,
                      std::vector<PostalAddress> addresses, std::vector<Membership> memberships,
                      std::optional<std::string> external_ref, std::string owner,
                      const StringSet& tags, LifecycleStage lifecycle, std::string source,
                      Consent consent, AttributesArg attributes, Timestamp created_at,
                      Timestamp updated_at, std::int64_t version,
                      std::optional<Timestamp> deleted_at) {
            Customer c;
            c.id = id;
            c.kind = kind;
            c.given_name = std::move(given_name);
            c.family_name = std::move(family_name);
            c.legal_name = std::move(legal_name);
            c.emails = std::move(emails);
            c.phones = std::move(phones);
            c.addresses = std::move(addresses);
            c.memberships = std::move(memberships);
            c.external_ref = std::move(external_ref);
            c.owner = std::move(owner);
            c.tags = tags.value;
            c.lifecycle = lifecycle;
            c.source = std::move(source);
            c.consent = consent;
            c.attributes = std::move(attributes.value);
            c.created_at = created_at;
            c.updated_at = updated_at;
            c.version = version;
            c.deleted_at = deleted_at;
            return c;
          }),
          py::kw_only(), py::arg("id") = 0, py::arg("kind") = enum_object(CustomerKind::person),
          py::arg("given_name") = "", py::arg("family_name") = "", py::arg("legal_name") = "",
          py::arg("emails") = std::vector<ContactEmail>{},
          py::arg("phones") = std::vector<ContactPhone>{},
          py::arg("addresses") = std::vector<PostalAddress>{},
          py::arg("memberships") = std::vector<Membership>{}, py::arg("external_ref") = py::none(),
          py::arg("owner") = "", py::arg("tags") = StringSet{},
          py::arg("lifecycle") = enum_object(LifecycleStage::lead), py::arg("source") = "",
          py::arg("consent") = Consent{}, py::arg("attributes") = AttributesArg{},
          py::arg("created_at") = Timestamp{}, py::arg("updated_at") = Timestamp{},
          py::arg("version") = 0, py::arg("deleted_at") = py::none(),
          "Every field is optional, with the C++ defaults. Nothing is validated here: call "
          "``validate(customer)`` or store it.");
  value_field(cls, "id", &Customer::id, "Assigned by the store on insert (int; 0 = not yet).");
  value_field(cls, "kind", &Customer::kind, "Person or organization (``CustomerKind``).");
  value_field(cls, "given_name", &Customer::given_name, "Persons: first name.");
  value_field(cls, "family_name", &Customer::family_name, "Persons: last name.");
  value_field(cls, "legal_name", &Customer::legal_name, "Organizations: registered name.");
  const std::string emails_doc =
      std::string("Email addresses (list of ``ContactEmail``), one primary.") + values_note;
  value_field(cls, "emails", &Customer::emails, emails_doc.c_str());
  const std::string phones_doc =
      std::string("Phone numbers (list of ``ContactPhone``), one primary.") + values_note;
  value_field(cls, "phones", &Customer::phones, phones_doc.c_str());
  const std::string addresses_doc =
      std::string("Postal addresses (list of ``PostalAddress``), one primary.") + values_note;
  value_field(cls, "addresses", &Customer::addresses, addresses_doc.c_str());
  const std::string memberships_doc =
      std::string("Persons: organizations they belong to (list of ``Membership``).") + values_note;
  value_field(cls, "memberships", &Customer::memberships, memberships_doc.c_str());
  value_field(cls, "external_ref", &Customer::external_ref,
              "The host ERP's key (str), unique when present; None when absent.");
  value_field(cls, "owner", &Customer::owner, "User who owns the record (free text id).");
  const std::string tags_doc = std::string("Free tags (a set of str; any iterable of str may be "
                                           "assigned).") +
                               values_note;
  cls.def_property(
      "tags", [](const Customer& c) { return c.tags; },
      [](Customer& c, const StringSet& tags) { c.tags = tags.value; }, tags_doc.c_str());
  value_field(cls, "lifecycle", &Customer::lifecycle,
              "Stage of the relationship (``LifecycleStage``).");
  value_field(cls, "source", &Customer::source, "Acquisition source, e.g. ``web-form``.");
  value_field(cls, "consent", &Customer::consent,
              "Marketing consent (a ``Consent``; a copy: assign a whole ``Consent`` to change it).");
  const std::string attributes_doc =
      std::string("Custom fields: a dict from name to None, bool, int, float, str or aware "
                  "datetime.") +
      values_note;
  cls.def_property(
      "attributes", [](const Customer& c) { return c.attributes; },
      [](Customer& c, AttributesArg attributes) { c.attributes = std::move(attributes.value); },
      attributes_doc.c_str());
  value_field(cls, "created_at", &Customer::created_at,
              "When the record was created (aware UTC ``datetime.datetime``).");
  value_field(cls, "updated_at", &Customer::updated_at,
              "When the record last changed (aware UTC ``datetime.datetime``).");
  value_field(cls, "version", &Customer::version,
              "Optimistic-concurrency version; 1 after insert.");
  value_field(cls, "deleted_at", &Customer::deleted_at, "Set when soft-deleted, else None.");

  cls.def("display_name", &Customer::display_name,
          "\"Given Family\" for persons (either part may be empty), the legal name for "
          "organizations.");
  cls.def(
      "primary_email",
      [](const Customer& c) -> std::optional<ContactEmail> {
        if (const ContactEmail* e = c.primary_email()) return *e;
        return std::nullopt;
      },
      "The primary email (a copy), or None.");
  cls.def(
      "primary_phone",
      [](const Customer& c) -> std::optional<ContactPhone> {
        if (const ContactPhone* p = c.primary_phone()) return *p;
        return std::nullopt;
      },
      "The primary phone (a copy), or None.");
  cls.def("deleted", &Customer::deleted, "True when soft-deleted (``deleted_at`` is set).");
  value_semantics(cls);
  cls.def("__repr__", &customer_repr, "The key fields.");
}

}  // namespace

void init_domain_customer(py::module_& domain) {
  bind_consent(domain);
  bind_contact_points(domain);
  bind_customer(domain);
}

}  // namespace crmkit::python
