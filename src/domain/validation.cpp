#include "crmkit/domain/validation.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "crmkit/core/error.hpp"

namespace crmkit {
namespace {

// Length limits, in bytes of UTF-8. Generous enough for real data, small enough that an import
// of garbage (a whole file in one cell) is caught at the boundary.
constexpr std::size_t name_max = 200;
constexpr std::size_t label_max = 64;
constexpr std::size_t ref_max = 128;
constexpr std::size_t user_max = 128;
constexpr std::size_t subject_max = 500;
constexpr std::size_t body_max = 1 << 20;
constexpr std::size_t stage_key_max = 64;

[[noreturn]] void fail(const std::string& field, std::string value, std::string rule) {
  throw ValidationError(field, std::move(value), std::move(rule));
}

std::string indexed(std::string_view list, std::size_t index) {
  return fmt::format("{}[{}]", list, index);
}

std::string timestamp_text(Timestamp t) { return format_timestamp(t); }

// Length of the UTF-8 sequence starting at text[i], or 0 when it is not a valid scalar value
// (overlong forms, surrogates and code points above U+10FFFF are invalid, as RFC 3629 says).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  char32_t code = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code = lead & 0x0Fu;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code = lead & 0x07u;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    const unsigned char continuation = byte(i + k);
    if ((continuation & 0xC0u) != 0x80u) return 0;
    code = (code << 6) | (continuation & 0x3Fu);
  }
  const bool overlong = (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
  const bool surrogate = code >= 0xD800 && code <= 0xDFFF;
  if (overlong || surrogate || code > 0x10FFFF) return 0;
  return length;
}

void check_not_blank(std::string_view text, const std::string& field) {
  if (std::all_of(text.begin(), text.end(), [](char c) { return c == ' '; })) {
    fail(field, std::string(text), "must not be empty");
  }
}

void check_optional_ref(const std::optional<std::string>& ref, const std::string& field) {
  if (!ref) return;
  if (ref->empty()) fail(field, *ref, "must not be empty when present (leave it unset instead)");
  validate_text(*ref, field, ref_max);
}

void check_id(std::int64_t value, const std::string& field) {
  if (value <= 0) fail(field, std::to_string(value), "must be a stored record's id (> 0)");
}

void check_set(Timestamp t, const std::string& field) {
  if (t == Timestamp{}) fail(field, timestamp_text(t), "must be set (it is the Unix epoch)");
}

void check_version(std::int64_t version, const std::string& field) {
  if (version < 0) fail(field, std::to_string(version), "must not be negative");
}

template <class Contact>
void check_one_primary(const std::vector<Contact>& contacts, const std::string& field) {
  if (contacts.empty()) return;
  const auto primaries = std::count_if(contacts.begin(), contacts.end(),
                                       [](const Contact& c) { return c.primary; });
  if (primaries != 1) {
    fail(field, fmt::format("{} primary entries", primaries),
         "must mark exactly one entry as primary");
  }
}

bool is_country_code(std::string_view code) noexcept {
  return code.size() == 2 && std::all_of(code.begin(), code.end(), [](char c) {
           return c >= 'A' && c <= 'Z';
         });
}

void validate_names(const Customer& c) {
  validate_text(c.given_name, "customer.given_name", name_max);
  validate_text(c.family_name, "customer.family_name", name_max);
  validate_text(c.legal_name, "customer.legal_name", name_max);
  if (c.kind == CustomerKind::person) {
    if (c.given_name.empty() && c.family_name.empty()) {
      fail("customer.given_name", "", "must not be empty when the family name is empty too (a person needs a name)");
    }
    if (!c.legal_name.empty()) fail("customer.legal_name", c.legal_name, "must be empty for a person");
  } else {
    if (c.legal_name.empty()) fail("customer.legal_name", "", "must not be empty for an organization");
    check_not_blank(c.legal_name, "customer.legal_name");
    if (!c.given_name.empty()) fail("customer.given_name", c.given_name, "must be empty for an organization");
    if (!c.family_name.empty()) fail("customer.family_name", c.family_name, "must be empty for an organization");
    if (!c.memberships.empty()) {
      fail("customer.memberships", fmt::format("{} memberships", c.memberships.size()),
           "must be empty for an organization (only persons belong to organizations)");
    }
  }
}

void validate_contact_points(const Customer& c) {
  for (std::size_t i = 0; i < c.emails.size(); ++i) {
    validate_text(c.emails[i].label, indexed("customer.emails", i) + ".label", label_max);
  }
  check_one_primary(c.emails, "customer.emails");
  for (std::size_t i = 0; i < c.phones.size(); ++i) {
    validate_text(c.phones[i].label, indexed("customer.phones", i) + ".label", label_max);
  }
  check_one_primary(c.phones, "customer.phones");
  for (std::size_t i = 0; i < c.addresses.size(); ++i) {
    const PostalAddress& a = c.addresses[i];
    const std::string field = indexed("customer.addresses", i);
    if (std::all_of(a.lines.begin(), a.lines.end(), [](const std::string& l) { return l.empty(); })) {
      fail(field + ".lines", fmt::format("{} lines", a.lines.size()), "must have at least one non-empty line");
    }
    for (std::size_t k = 0; k < a.lines.size(); ++k) {
      validate_text(a.lines[k], indexed(field + ".lines", k), name_max);
    }
    validate_text(a.city, field + ".city", name_max);
    validate_text(a.region, field + ".region", name_max);
    validate_text(a.postal_code, field + ".postal_code", label_max);
    validate_text(a.label, field + ".label", label_max);
    if (!a.country.empty() && !is_country_code(a.country)) {
      fail(field + ".country", a.country, "must be an ISO 3166 alpha-2 code such as FR (two upper-case letters)");
    }
  }
  check_one_primary(c.addresses, "customer.addresses");
}

void validate_memberships(const Customer& c) {
  std::set<std::int64_t> seen;
  for (std::size_t i = 0; i < c.memberships.size(); ++i) {
    const Membership& m = c.memberships[i];
    const std::string field = indexed("customer.memberships", i);
    check_id(m.organization.value(), field + ".organization");
    if (c.id.valid() && m.organization == c.id) {
      fail(field + ".organization", m.organization.to_string(), "must not be the customer itself");
    }
    if (!seen.insert(m.organization.value()).second) {
      fail(field + ".organization", m.organization.to_string(), "must not repeat an organization already listed");
    }
    validate_text(m.role, field + ".role", name_max);
  }
}

void validate_consent(const Consent& consent) {
  if (consent.status == ConsentStatus::unknown) return;
  if (!consent.at) {
    fail("customer.consent.at", "", fmt::format("must be set when the status is {}", to_string(consent.status)));
  }
  if (consent.status == ConsentStatus::granted && consent.basis == LawfulBasis::none) {
    fail("customer.consent.basis", "none", "must name a lawful basis when consent is granted");
  }
}

void validate_stage(const Stage& stage, const std::string& field) {
  if (stage.key.empty() || stage.key.size() > stage_key_max ||
      !std::all_of(stage.key.begin(), stage.key.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
      })) {
    fail(field + ".key", stage.key, "must be 1 to 64 characters of a-z, 0-9, '_' and '-'");
  }
  if (stage.name.empty()) fail(field + ".name", "", "must not be empty");
  validate_text(stage.name, field + ".name", name_max);
  if (!std::isfinite(stage.probability) || stage.probability < 0.0 || stage.probability > 1.0) {
    fail(field + ".probability", fmt::format("{}", stage.probability), "must be between 0 and 1");
  }
  if (stage.category == StageCategory::won && stage.probability != 1.0) {
    fail(field + ".probability", fmt::format("{}", stage.probability), "must be 1 for a won stage");
  }
  if (stage.category == StageCategory::lost && stage.probability != 0.0) {
    fail(field + ".probability", fmt::format("{}", stage.probability), "must be 0 for a lost stage");
  }
  if (stage.rotting_days && *stage.rotting_days <= 0) {
    fail(field + ".rotting_days", std::to_string(*stage.rotting_days), "must be a positive number of days");
  }
}

void validate_history(const Deal& deal, const Pipeline& pipeline) {
  if (deal.history.empty()) {
    fail("deal.history", "0 entries", "must record at least the stage the deal was opened in");
  }
  for (std::size_t i = 0; i < deal.history.size(); ++i) {
    const StageChange& change = deal.history[i];
    const std::string field = indexed("deal.history", i);
    if (i == 0 && change.from) {
      fail(field + ".from", *change.from, "must be empty for the opening entry");
    }
    if (i > 0) {
      const std::string& previous = deal.history[i - 1].to;
      if (!change.from || *change.from != previous) {
        fail(field + ".from", change.from.value_or(""),
             fmt::format("must be the stage the previous entry entered ('{}')", previous));
      }
      if (change.at < deal.history[i - 1].at) {
        fail(field + ".at", timestamp_text(change.at), "must not be earlier than the previous entry");
      }
    }
    if (!pipeline.find_stage(change.to)) {
      fail(field + ".to", change.to, fmt::format("is not a stage of pipeline '{}'", pipeline.name));
    }
    check_set(change.at, field + ".at");
    validate_text(change.by, field + ".by", user_max);
    validate_text(change.note, field + ".note", subject_max);
  }
  if (deal.history.back().to != deal.stage) {
    fail("deal.history", deal.history.back().to,
         fmt::format("must end in the deal's current stage '{}'", deal.stage));
  }
}

void validate_close_fields(const Deal& deal, StageCategory category) {
  const bool lost = category == StageCategory::lost;
  const bool won = category == StageCategory::won;
  if (lost && deal.lost_reason.empty()) fail("deal.lost_reason", "", "must not be empty for a lost deal");
  if (!lost && !deal.lost_reason.empty()) fail("deal.lost_reason", deal.lost_reason, "must be empty unless the deal is lost");
  if (lost != deal.lost_at.has_value()) {
    fail("deal.lost_at", deal.lost_at ? timestamp_text(*deal.lost_at) : "",
         lost ? "must be set for a deal in a lost stage" : "must be empty unless the deal is in a lost stage");
  }
  if (won != deal.won_at.has_value()) {
    fail("deal.won_at", deal.won_at ? timestamp_text(*deal.won_at) : "",
         won ? "must be set for a deal in a won stage" : "must be empty unless the deal is in a won stage");
  }
}

}  // namespace

void validate_text(std::string_view text, std::string_view field, std::size_t max_bytes,
                   bool single_line) {
  const std::string field_name(field);
  if (text.size() > max_bytes) {
    fail(field_name, std::string(text), fmt::format("must be at most {} bytes long (it has {})", max_bytes, text.size()));
  }
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const bool control = byte < 0x20 || byte == 0x7F;
    const bool allowed_in_text = !single_line && (byte == '\n' || byte == '\r' || byte == '\t');
    if (control && !allowed_in_text) {
      fail(field_name, std::string(text),
           fmt::format("must not contain control character 0x{:02X} (at byte {})", byte, i));
    }
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      fail(field_name, std::string(text), fmt::format("must be valid UTF-8 (bad byte 0x{:02X} at byte {})", byte, i));
    }
    i += length;
  }
}

void validate(const Customer& customer) {
  check_version(customer.version, "customer.version");
  validate_names(customer);
  validate_contact_points(customer);
  validate_memberships(customer);
  check_optional_ref(customer.external_ref, "customer.external_ref");
  validate_text(customer.owner, "customer.owner", user_max);
  validate_text(customer.source, "customer.source", name_max);
  for (const std::string& tag : customer.tags) {
    if (tag.empty()) fail("customer.tags", tag, "must not contain an empty tag");
    validate_text(tag, "customer.tags", label_max);
    if (tag.find(',') != std::string::npos) fail("customer.tags", tag, "must not contain a comma");
  }
  validate_consent(customer.consent);
  validate_attributes(customer.attributes, "customer.attributes");
  if (customer.updated_at < customer.created_at) {
    fail("customer.updated_at", timestamp_text(customer.updated_at),
         fmt::format("must not be earlier than created_at ({})", timestamp_text(customer.created_at)));
  }
}

void validate(const Interaction& interaction) {
  check_version(interaction.version, "interaction.version");
  if (interaction.customers.empty()) fail("interaction.customers", "0 customers", "must name at least one customer");
  std::set<std::int64_t> seen;
  for (std::size_t i = 0; i < interaction.customers.size(); ++i) {
    const CustomerId id = interaction.customers[i];
    check_id(id.value(), indexed("interaction.customers", i));
    if (!seen.insert(id.value()).second) {
      fail(indexed("interaction.customers", i), id.to_string(), "must not repeat a customer already listed");
    }
  }
  if (interaction.deal) check_id(interaction.deal->value(), "interaction.deal");
  check_set(interaction.occurred_at, "interaction.occurred_at");
  if (interaction.duration.count() < 0) {
    fail("interaction.duration", fmt::format("{} s", interaction.duration.count()), "must not be negative");
  }
  validate_text(interaction.subject, "interaction.subject", subject_max);
  validate_text(interaction.body, "interaction.body", body_max, /*single_line=*/false);
  validate_text(interaction.outcome, "interaction.outcome", name_max);
  validate_text(interaction.author, "interaction.author", user_max);
  check_optional_ref(interaction.external_ref, "interaction.external_ref");
}

void validate(const Pipeline& pipeline) {
  check_version(pipeline.version, "pipeline.version");
  if (pipeline.name.empty()) fail("pipeline.name", "", "must not be empty");
  check_not_blank(pipeline.name, "pipeline.name");
  validate_text(pipeline.name, "pipeline.name", name_max);
  std::set<std::string_view> keys;
  for (std::size_t i = 0; i < pipeline.stages.size(); ++i) {
    const std::string field = indexed("pipeline.stages", i);
    validate_stage(pipeline.stages[i], field);
    if (!keys.insert(pipeline.stages[i].key).second) {
      fail(field + ".key", pipeline.stages[i].key, "must be unique in the pipeline");
    }
  }
  if (!pipeline.first_open_stage()) {
    fail("pipeline.stages", fmt::format("{} stages", pipeline.stages.size()), "must include at least one open stage");
  }
}

void validate(const Deal& deal, const Pipeline& pipeline) {
  check_version(deal.version, "deal.version");
  if (pipeline.id.valid() && deal.pipeline != pipeline.id) {
    fail("deal.pipeline", deal.pipeline.to_string(),
         fmt::format("must be the pipeline it is checked against ({})", pipeline.id.to_string()));
  }
  const Stage* stage = pipeline.find_stage(deal.stage);
  if (!stage) fail("deal.stage", deal.stage, fmt::format("is not a stage of pipeline '{}'", pipeline.name));
  check_id(deal.customer.value(), "deal.customer");
  if (deal.title.empty()) fail("deal.title", "", "must not be empty");
  check_not_blank(deal.title, "deal.title");
  validate_text(deal.title, "deal.title", name_max);
  if (deal.amount.minor_units() < 0) fail("deal.amount", deal.amount.format(), "must not be negative");
  if (deal.probability &&
      (!std::isfinite(*deal.probability) || *deal.probability < 0.0 || *deal.probability > 1.0)) {
    fail("deal.probability", fmt::format("{}", *deal.probability), "must be between 0 and 1");
  }
  std::set<std::int64_t> seen;
  for (std::size_t i = 0; i < deal.contacts.size(); ++i) {
    const std::string field = indexed("deal.contacts", i);
    check_id(deal.contacts[i].person.value(), field + ".person");
    if (!seen.insert(deal.contacts[i].person.value()).second) {
      fail(field + ".person", deal.contacts[i].person.to_string(), "must not repeat a contact already listed");
    }
    validate_text(deal.contacts[i].role, field + ".role", name_max);
  }
  validate_text(deal.owner, "deal.owner", user_max);
  validate_text(deal.lost_reason, "deal.lost_reason", subject_max);
  validate_close_fields(deal, stage->category);
  validate_history(deal, pipeline);
  check_optional_ref(deal.external_ref, "deal.external_ref");
  if (deal.updated_at < deal.created_at) {
    fail("deal.updated_at", timestamp_text(deal.updated_at),
         fmt::format("must not be earlier than created_at ({})", timestamp_text(deal.created_at)));
  }
}

void validate(const Purchase& purchase) {
  check_id(purchase.customer.value(), "purchase.customer");
  check_set(purchase.occurred_at, "purchase.occurred_at");
  if (!purchase.amount.currency().is_set()) {
    fail("purchase.amount", purchase.amount.format(), "must be in a real currency, not XXX");
  }
  if (purchase.quantity && (!std::isfinite(*purchase.quantity) || *purchase.quantity <= 0.0)) {
    fail("purchase.quantity", fmt::format("{}", *purchase.quantity), "must be a positive number when set");
  }
  validate_text(purchase.order_ref, "purchase.order_ref", ref_max);
  validate_text(purchase.product_ref, "purchase.product_ref", ref_max);
}

}  // namespace crmkit
