#pragma once
// How domain values are written to and read from columns: timestamps as INTEGER microseconds,
// dates as `YYYY-MM-DD` text, enums as their to_string() names, money as (minor units, code).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crmkit/core/error.hpp"
#include "crmkit/core/money.hpp"
#include "crmkit/core/time.hpp"
#include "storage/sqlite/connection.hpp"
#include "storage/sqlite/errors.hpp"

namespace crmkit::storage::sqlite {

[[nodiscard]] inline std::int64_t micros(Timestamp t) noexcept {
  return t.time_since_epoch().count();
}
[[nodiscard]] inline Timestamp timestamp_of(std::int64_t us) noexcept {
  return Timestamp{Duration{us}};
}

/// `YYYY-MM-DD`, written from the fields as they are, so that any year_month_day round-trips.
[[nodiscard]] std::string date_text(Date date);
/// Reads date_text() back. @throws StorageError(corrupt) for other text.
[[nodiscard]] Date date_of_text(std::string_view text);

/// A currency read back from its code. @throws StorageError(corrupt) for an unknown code.
[[nodiscard]] Currency currency_of(std::string_view code);

/// Decodes a stored enum name with crmkit's parse_* function, turning its ValidationError into
/// StorageError(corrupt): a bad name in the file is damage, not a caller's mistake.
template <class Parse>
[[nodiscard]] auto decode_enum(std::string_view what, const std::string& text, Parse&& parse) {
  try {
    return parse(text);
  } catch (const ValidationError& error) {
    throw_corrupt_value(what, text, error.rule());
  }
}

/// Binds an optional timestamp, NULL when absent.
inline void bind_time(Query& q, int index, const std::optional<Timestamp>& t) {
  if (t) {
    q.bind_int(index, micros(*t));
  } else {
    q.bind_null(index);
  }
}
inline void bind_time(Query& q, int index, Timestamp t) {
  q.bind_int(index, micros(t));
}

/// Binds optional text, NULL when absent.
inline void bind_text(Query& q, int index, const std::optional<std::string>& text) {
  if (text) {
    q.bind_text(index, *text);
  } else {
    q.bind_null(index);
  }
}

[[nodiscard]] inline Timestamp time_at(const Query& q, int column) {
  return timestamp_of(q.int_at(column));
}
[[nodiscard]] inline std::optional<Timestamp> optional_time_at(const Query& q, int column) {
  if (q.is_null(column)) return std::nullopt;
  return time_at(q, column);
}

}  // namespace crmkit::storage::sqlite
