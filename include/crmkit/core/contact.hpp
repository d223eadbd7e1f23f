#pragma once
/// @file
/// @brief Validated, normalized email addresses and phone numbers.

#include <compare>
#include <string>
#include <string_view>

namespace crmkit {

/// A syntactically valid email address, normalized: surrounding blanks trimmed and the domain
/// lower-cased (the local part keeps its case, as RFC 5321 allows it to matter).
/// Rules: one `@`; local part of 1 to 64 characters from RFC 5322 `atext` and dots, with no leading,
/// trailing or doubled dot; domain of 1 to 253 characters, at least two dot-separated labels of
/// letters, digits and inner hyphens (1 to 63 each), the last one alphabetic.
/// Quoted local parts and IP-literal domains are rejected on purpose: they are valid but
/// almost always a typing or import error in customer data.
class Email {
 public:
  /// Validates and normalizes.
  /// @throws ValidationError (field `email` unless `field` says otherwise) naming the broken rule.
  explicit Email(std::string_view text, std::string_view field = "email");
  /// The normalized address.
  [[nodiscard]] const std::string& str() const noexcept { return value_; }
  /// The local part (before `@`).
  [[nodiscard]] std::string_view local_part() const noexcept;
  /// The lower-cased domain (after `@`).
  [[nodiscard]] std::string_view domain() const noexcept;
  /// The fully lower-cased address: the key under which lookups match, since in practice
  /// mail providers treat local parts case-insensitively.
  [[nodiscard]] std::string lookup_key() const;
  /// Addresses compare by normalized text.
  auto operator<=>(const Email&) const = default;

 private:
  std::string value_;
};

/// A phone number in an E.164-like canonical form: `+`, the country calling code and the
/// national significant number, digits only (e.g. `+33612345678`).
/// Input may contain blanks, dots, hyphens, slashes and parentheses. It may start with `+` or
/// the international prefix `00`; otherwise it is a national number of `default_region`
/// (ISO 3166 alpha-2, e.g. `FR`), whose trunk prefix (`0` in most of Europe, `1` in NANP)
/// is removed. The canonical form has 8 to 15 digits (E.164 allows at most 15).
class Phone {
 public:
  /// Validates and normalizes.
  /// @param text the number as typed
  /// @param default_region ISO 3166 alpha-2 region for national numbers; empty means the number
  ///        must be international
  /// @param field the name reported in errors
  /// @throws ValidationError naming the broken rule; also for an unknown `default_region`.
  explicit Phone(std::string_view text, std::string_view default_region = "",
                 std::string_view field = "phone");
  /// The canonical form, e.g. `+33612345678`.
  [[nodiscard]] const std::string& str() const noexcept { return value_; }
  /// Numbers compare by canonical form.
  auto operator<=>(const Phone&) const = default;
  /// The calling code of an ISO 3166 alpha-2 region (e.g. `"33"` for `FR`), empty when unknown.
  [[nodiscard]] static std::string_view calling_code(std::string_view region) noexcept;

 private:
  std::string value_;
};

}  // namespace crmkit
