#pragma once
// A SELECT of ids assembled from optional filters, for the id-ordered lists (customers, deals).
// The text depends only on which filters are present, so each combination is prepared once and
// then found in the connection's statement cache.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "storage/sqlite/connection.hpp"

namespace crmkit::storage::sqlite {

class SelectBuilder {
 public:
  /// `head` is the statement up to its WHERE clause, e.g. `SELECT id FROM deals`.
  explicit SelectBuilder(std::string head) : sql_(std::move(head)) {}

  /// Adds a condition without a parameter.
  void where(std::string_view condition) { append(condition); }
  /// Adds a condition with one `?` parameter.
  void where(std::string_view condition, std::int64_t value) {
    append(condition);
    params_.emplace_back(value);
  }
  void where(std::string_view condition, std::string value) {
    append(condition);
    params_.emplace_back(std::move(value));
  }

  /// Runs the statement with `ORDER BY id LIMIT rows` and returns the first column of each row.
  std::vector<std::int64_t> ids(Connection& c, std::size_t rows) {
    const std::string sql = sql_ + " ORDER BY id LIMIT ?";
    Query q = c.query(sql);
    int index = 1;
    for (const auto& param : params_) {
      if (const auto* number = std::get_if<std::int64_t>(&param)) {
        q.bind_int(index++, *number);
      } else {
        q.bind_text(index++, std::get<std::string>(param));
      }
    }
    q.bind_int(index, static_cast<std::int64_t>(rows));
    std::vector<std::int64_t> found;
    found.reserve(rows);
    while (q.step()) found.push_back(q.int_at(0));
    return found;
  }

 private:
  void append(std::string_view condition) {
    sql_ += conditions_++ == 0 ? " WHERE " : " AND ";
    sql_ += condition;
  }

  std::string sql_;
  std::vector<std::variant<std::int64_t, std::string>> params_;
  int conditions_ = 0;
};

}  // namespace crmkit::storage::sqlite
