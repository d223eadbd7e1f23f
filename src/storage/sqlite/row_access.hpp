#pragma once
// Reading patterns that the *_rows.cpp files share.

#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "storage/sqlite/connection.hpp"

namespace crmkit::storage::sqlite {

/// The integers of the first column of every row `q` selects, in order.
inline std::vector<std::int64_t> ids_of(Query& q) {
  std::vector<std::int64_t> ids;
  while (q.step()) ids.push_back(q.int_at(0));
  return ids;
}

/// The stored version of record `id`, read by `sql` (`SELECT version FROM <table> WHERE id = ?1`),
/// or nullopt when there is none.
inline std::optional<std::int64_t> version_of(Connection& c, std::string_view sql,
                                              std::int64_t id) {
  Query q = c.query(sql);
  q.bind_int(1, id);
  if (!q.step()) return std::nullopt;
  return q.int_at(0);
}

/// The records with these ids, in the same order, each read by `load(c, Id)` (an optional);
/// ids that vanished are skipped.
template <class Id, class Load>
auto load_each(Connection& c, const std::vector<std::int64_t>& ids, Load&& load) {
  using Record = typename std::invoke_result_t<Load&, Connection&, Id>::value_type;
  std::vector<Record> records;
  records.reserve(ids.size());
  for (const std::int64_t id : ids) {
    if (std::optional<Record> record = load(c, Id{id})) records.push_back(std::move(*record));
  }
  return records;
}

}  // namespace crmkit::storage::sqlite
