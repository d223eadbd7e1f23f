#include "storage/sqlite/codec.hpp"

#include <charconv>
#include <system_error>

#include <fmt/format.h>

namespace crmkit::storage::sqlite {
namespace {

// Parses a decimal integer of `text[pos..]` up to `stop` (or the end), advancing `pos`.
template <class Int>
bool read_number(std::string_view text, std::size_t& pos, char stop, Int& out) {
  const std::size_t end = stop == '\0' ? text.size() : text.find(stop, pos + 1);
  if (end == std::string_view::npos || end == pos) return false;
  const auto [ptr, ec] = std::from_chars(text.data() + pos, text.data() + end, out);
  if (ec != std::errc{} || ptr != text.data() + end) return false;
  pos = end + (stop == '\0' ? 0 : 1);
  return true;
}

}  // namespace

std::string date_text(Date date) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
}

Date date_of_text(std::string_view text) {
  std::size_t pos = 0;
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  // The year may be negative: its '-' sign is not the separator searched for after it.
  if (!read_number(text, pos, '-', year) || !read_number(text, pos, '-', month) ||
      !read_number(text, pos, '\0', day) || month > 255 || day > 255) {
    throw_corrupt_value("date", text, "expected YYYY-MM-DD");
  }
  return Date{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
}

Currency currency_of(std::string_view code) {
  try {
    return Currency(code);
  } catch (const ValidationError& error) {
    throw_corrupt_value("currency", code, error.rule());
  }
}

}  // namespace crmkit::storage::sqlite
