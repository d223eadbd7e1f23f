#include "crmkit/core/contact.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "crmkit/core/error.hpp"

namespace crmkit {

namespace {

// ---------------------------------------------------------------------------------------------
// Character helpers

bool is_blank(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

char to_lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lower_cased(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), to_lower);
  return out;
}

std::string_view trim_blanks(std::string_view text) noexcept {
  while (!text.empty() && is_blank(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && is_blank(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

bool is_utf8_continuation(char c) noexcept {
  return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U;
}

// Names the character at `pos` for a message: printable ASCII and whole UTF-8 characters are
// shown quoted, control bytes in hex.
std::string describe_char(std::string_view text, std::size_t pos) {
  const auto byte = static_cast<unsigned char>(text[pos]);
  if (byte < 0x20U || byte == 0x7FU) {
    return fmt::format("the control byte 0x{:02X}", byte);
  }
  if (byte < 0x80U) {
    return byte == ' ' ? std::string("a space") : quote_value(text.substr(pos, 1));
  }
  std::size_t end = pos + 1;
  while (end < text.size() && is_utf8_continuation(text[end])) {
    ++end;
  }
  return fmt::format("the non-ASCII character {}", quote_value(text.substr(pos, end - pos)));
}

// ---------------------------------------------------------------------------------------------
// Email

constexpr std::size_t max_local_part = 64;
constexpr std::size_t max_domain = 253;
constexpr std::size_t max_label = 63;

// RFC 5322 `atext`, plus the dot that joins dot-atoms.
bool is_local_char(char c) noexcept {
  constexpr std::string_view specials = "!#$%&'*+-/=?^_`{|}~.";
  return is_alpha(c) || is_digit(c) || specials.find(c) != std::string_view::npos;
}

bool is_label_char(char c) noexcept { return is_alpha(c) || is_digit(c) || c == '-'; }

class EmailChecker {
 public:
  EmailChecker(std::string_view text, std::string_view field) : text_(text), field_(field) {}

  [[noreturn]] void fail(std::string_view reason) const {
    throw ValidationError(std::string(field_), std::string(text_),
                          fmt::format("is not a valid email address: {}", reason));
  }

  void check_local_part(std::string_view local) const {
    if (local.empty()) {
      fail("the local part before '@' is empty");
    }
    if (local.size() > max_local_part) {
      fail(fmt::format("the local part has {} characters, more than {}", local.size(),
                       max_local_part));
    }
    for (std::size_t i = 0; i < local.size(); ++i) {
      if (!is_local_char(local[i])) {
        fail(fmt::format("the local part contains {}", describe_char(local, i)));
      }
    }
    if (local.front() == '.') {
      fail("the local part starts with a dot");
    }
    if (local.back() == '.') {
      fail("the local part ends with a dot");
    }
    if (local.find("..") != std::string_view::npos) {
      fail("the local part has two dots in a row");
    }
  }

  void check_domain(std::string_view domain) const {
    if (domain.empty()) {
      fail("the domain after '@' is empty");
    }
    if (domain.size() > max_domain) {
      fail(fmt::format("the domain has {} characters, more than {}", domain.size(), max_domain));
    }
    for (std::size_t i = 0; i < domain.size(); ++i) {
      if (!is_label_char(domain[i]) && domain[i] != '.') {
        fail(fmt::format("the domain contains {}", describe_char(domain, i)));
      }
    }
    if (domain.find('.') == std::string_view::npos) {
      fail("the domain has no dot");
    }
    if (domain.front() == '.') {
      fail("the domain starts with a dot");
    }
    if (domain.back() == '.') {
      fail("the domain ends with a dot");
    }
    if (domain.find("..") != std::string_view::npos) {
      fail("the domain has two dots in a row");
    }
    std::string_view rest = domain;
    std::string_view label;
    while (!rest.empty()) {
      const std::size_t dot = rest.find('.');
      label = rest.substr(0, dot);
      rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
      check_label(label);
    }
    if (!std::all_of(label.begin(), label.end(), is_alpha)) {
      fail(fmt::format("the top-level domain {} is not all letters", quote_value(label)));
    }
  }

 private:
  void check_label(std::string_view label) const {
    if (label.size() > max_label) {
      fail(fmt::format("the domain label {} has {} characters, more than {}",
                       quote_value(label, 20), label.size(), max_label));
    }
    if (label.front() == '-' || label.back() == '-') {
      fail(fmt::format("the domain label {} starts or ends with a hyphen", quote_value(label)));
    }
  }

  std::string_view text_;
  std::string_view field_;
};

// ---------------------------------------------------------------------------------------------
// Phone regions

struct Region {
  std::string_view code;          // ISO 3166 alpha-2
  std::string_view calling_code;  // ITU-T E.164 country code
  std::string_view trunk_prefix;  // dialled before national numbers inside the country
};

// Countries without a trunk prefix (IT, ES, PT, DK, NO, GR, ...) keep every national digit in
// E.164; Italy's leading 0 of landlines is part of the number. NANP members share code 1 and
// trunk prefix 1; Russia and Kazakhstan share 7 and dial 8; Mexico dropped its 01 in 2019 but
// people still type it, and no Mexican number starts with 0. Sorted by region (checked below).
constexpr Region region_table[] = {
    {"AD", "376", ""},  {"AE", "971", "0"}, {"AL", "355", "0"}, {"AM", "374", "0"},
    {"AR", "54", "0"},  {"AT", "43", "0"},  {"AU", "61", "0"},  {"AZ", "994", "0"},
    {"BA", "387", "0"}, {"BD", "880", "0"}, {"BE", "32", "0"},  {"BG", "359", "0"},
    {"BH", "973", ""},  {"BO", "591", "0"}, {"BR", "55", "0"},  {"BY", "375", "8"},
    {"CA", "1", "1"},   {"CH", "41", "0"},  {"CI", "225", ""},  {"CL", "56", "0"},
    {"CM", "237", ""},  {"CN", "86", "0"},  {"CO", "57", "0"},  {"CR", "506", ""},
    {"CY", "357", ""},  {"CZ", "420", ""},  {"DE", "49", "0"},  {"DK", "45", ""},
    {"DO", "1", "1"},   {"DZ", "213", "0"}, {"EC", "593", "0"}, {"EE", "372", ""},
    {"EG", "20", "0"},  {"ES", "34", ""},   {"ET", "251", "0"}, {"FI", "358", "0"},
    {"FO", "298", ""},  {"FR", "33", "0"},  {"GB", "44", "0"},  {"GE", "995", "0"},
    {"GH", "233", "0"}, {"GI", "350", ""},  {"GL", "299", ""},  {"GR", "30", ""},
    {"GT", "502", ""},  {"HK", "852", ""},  {"HR", "385", "0"}, {"HU", "36", "06"},
    {"ID", "62", "0"},  {"IE", "353", "0"}, {"IL", "972", "0"}, {"IN", "91", "0"},
    {"IQ", "964", "0"}, {"IR", "98", "0"},  {"IS", "354", ""},  {"IT", "39", ""},
    {"JM", "1", "1"},   {"JO", "962", "0"}, {"JP", "81", "0"},  {"KE", "254", "0"},
    {"KR", "82", "0"},  {"KW", "965", ""},  {"KZ", "7", "8"},   {"LB", "961", "0"},
    {"LI", "423", ""},  {"LK", "94", "0"},  {"LT", "370", "8"}, {"LU", "352", ""},
    {"LV", "371", ""},  {"MA", "212", "0"}, {"MC", "377", ""},  {"MD", "373", "0"},
    {"ME", "382", "0"}, {"MK", "389", "0"}, {"MT", "356", ""},  {"MX", "52", "01"},
    {"MY", "60", "0"},  {"NG", "234", "0"}, {"NL", "31", "0"},  {"NO", "47", ""},
    {"NP", "977", "0"}, {"NZ", "64", "0"},  {"OM", "968", ""},  {"PA", "507", ""},
    {"PE", "51", "0"},  {"PH", "63", "0"},  {"PK", "92", "0"},  {"PL", "48", ""},
    {"PR", "1", "1"},   {"PT", "351", ""},  {"PY", "595", "0"}, {"QA", "974", ""},
    {"RO", "40", "0"},  {"RS", "381", "0"}, {"RU", "7", "8"},   {"SA", "966", "0"},
    {"SE", "46", "0"},  {"SG", "65", ""},   {"SI", "386", "0"}, {"SK", "421", "0"},
    {"SM", "378", ""},  {"SN", "221", ""},  {"TH", "66", "0"},  {"TN", "216", ""},
    {"TR", "90", "0"},  {"TW", "886", "0"}, {"TZ", "255", "0"}, {"UA", "380", "0"},
    {"UG", "256", "0"}, {"US", "1", "1"},   {"UY", "598", "0"}, {"VA", "39", ""},
    {"VE", "58", "0"},  {"VN", "84", "0"},  {"ZA", "27", "0"},
};

constexpr bool by_region(const Region& a, const Region& b) { return a.code < b.code; }

static_assert(std::is_sorted(std::begin(region_table), std::end(region_table), by_region),
              "the region table must stay sorted for binary search");

const Region* find_region(std::string_view code) noexcept {
  const auto* it = std::lower_bound(std::begin(region_table), std::end(region_table),
                                    Region{code, "", ""}, by_region);
  if (it == std::end(region_table) || it->code != code) {
    return nullptr;
  }
  return it;
}

// ---------------------------------------------------------------------------------------------
// Phone parsing

constexpr std::size_t min_phone_digits = 8;
constexpr std::size_t max_phone_digits = 15;

bool is_phone_separator(char c) noexcept {
  return c == ' ' || c == '.' || c == '-' || c == '/' || c == '(' || c == ')';
}

struct DialledDigits {
  bool international = false;  // written with a leading `+` or `00`
  std::string digits;          // after the `+` or `00`
};

class PhoneReader {
 public:
  PhoneReader(std::string_view text, std::string_view field) : text_(text), field_(field) {}

  [[noreturn]] void fail(std::string rule) const {
    throw ValidationError(std::string(field_), std::string(text_), std::move(rule));
  }

  DialledDigits read() const {
    const std::string_view input = trim_blanks(text_);
    DialledDigits out;
    bool seen_plus = false;
    for (std::size_t i = 0; i < input.size(); ++i) {
      const char c = input[i];
      if (is_digit(c)) {
        out.digits += c;
      } else if (c == '+' && !seen_plus && out.digits.empty()) {
        seen_plus = true;
      } else if (c == '+') {
        fail("is not a valid phone number: a '+' may only start the number");
      } else if (!is_phone_separator(c)) {
        fail(fmt::format(
            "is not a valid phone number: it contains {}; only digits, a leading '+' and the "
            "separators space . - / ( ) are allowed",
            describe_char(input, i)));
      }
    }
    if (out.digits.empty()) {
      fail("is not a valid phone number: it has no digits");
    }
    if (seen_plus) {
      out.international = true;
    } else if (out.digits.rfind("00", 0) == 0) {
      out.international = true;
      out.digits.erase(0, 2);
    }
    if (out.international) {
      drop_parenthesized_trunk_zero(input, out.digits);
    }
    return out;
  }

 private:
  // `+44 (0)20 7946 0958` is a common way of writing a number for callers at home and abroad;
  // the `(0)` is the trunk prefix and is not dialled from abroad.
  static void drop_parenthesized_trunk_zero(std::string_view input, std::string& digits) {
    const std::size_t group = input.find("(0)");
    if (group == std::string_view::npos) {
      return;
    }
    const auto digits_before = static_cast<std::size_t>(
        std::count_if(input.begin(), input.begin() + static_cast<std::ptrdiff_t>(group), is_digit));
    // The digits before `(0)` include the `00` of the international prefix, if any.
    const std::size_t prefix_digits = input.find('+') == std::string_view::npos ? 2 : 0;
    if (digits_before > prefix_digits) {
      digits.erase(digits_before - prefix_digits, 1);
    }
  }

  std::string_view text_;
  std::string_view field_;
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// Email

Email::Email(std::string_view text, std::string_view field) {
  const EmailChecker checker(text, field);
  const std::string_view address = trim_blanks(text);
  if (address.empty()) {
    throw ValidationError(std::string(field), std::string(text), "must not be empty");
  }
  const std::size_t at = address.find('@');
  if (at == std::string_view::npos) {
    checker.fail("it has no '@'");
  }
  if (address.find('@', at + 1) != std::string_view::npos) {
    checker.fail("it has more than one '@'");
  }
  const std::string_view local = address.substr(0, at);
  const std::string domain = lower_cased(address.substr(at + 1));
  checker.check_local_part(local);
  checker.check_domain(domain);
  value_ = fmt::format("{}@{}", local, domain);
}

std::string_view Email::local_part() const noexcept {
  const std::string_view text = value_;
  return text.substr(0, text.find('@'));
}

std::string_view Email::domain() const noexcept {
  const std::string_view text = value_;
  const std::size_t at = text.find('@');
  return at == std::string_view::npos ? std::string_view{} : text.substr(at + 1);
}

std::string Email::lookup_key() const { return lower_cased(value_); }

// ---------------------------------------------------------------------------------------------
// Phone

Phone::Phone(std::string_view text, std::string_view default_region, std::string_view field) {
  const Region* region = nullptr;
  if (!default_region.empty()) {
    region = find_region(default_region);
    if (region == nullptr) {
      throw ValidationError("default_region", std::string(default_region),
                            "is not a supported ISO 3166 alpha-2 region (upper-case, e.g. FR)");
    }
  }
  const PhoneReader reader(text, field);
  DialledDigits dialled = reader.read();
  std::string digits;
  if (dialled.international) {
    if (!dialled.digits.empty() && dialled.digits.front() == '0') {
      reader.fail("is not a valid phone number: no country code starts with 0");
    }
    digits = std::move(dialled.digits);
  } else {
    if (region == nullptr) {
      reader.fail("is not in international form and no default region was given");
    }
    std::string_view national = dialled.digits;
    if (!region->trunk_prefix.empty() && national.rfind(region->trunk_prefix, 0) == 0) {
      national.remove_prefix(region->trunk_prefix.size());
    }
    digits = fmt::format("{}{}", region->calling_code, national);
  }
  if (digits.size() < min_phone_digits || digits.size() > max_phone_digits) {
    reader.fail(fmt::format(
        "is not a valid phone number: it has {} digits with the country code; it needs {} to {}",
        digits.size(), min_phone_digits, max_phone_digits));
  }
  value_ = "+" + digits;
}

std::string_view Phone::calling_code(std::string_view region) noexcept {
  const Region* found = find_region(region);
  return found == nullptr ? std::string_view{} : found->calling_code;
}

}  // namespace crmkit
