#pragma once
// A bare SQLite connection, without crmkit's schema checks: for tests and maintenance tools that
// need SQL itself (building files of an older schema version, EXPLAIN QUERY PLAN, integrity
// checks). Not part of the public API. Standard library only, so that tests can include it by a
// relative path; SQLite's errors still arrive as crmkit::StorageError.

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace crmkit::storage::sqlite {

/// One row of a result, every value as text (NULL as nullopt).
using RawRow = std::vector<std::optional<std::string>>;

class RawConnection {
 public:
  /// Opens (or creates) the database at `path` for reading and writing; no PRAGMA is changed.
  explicit RawConnection(const std::string& path);
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  ~RawConnection();

  /// Runs one or more statements that return no rows.
  void execute(const std::string& sql);
  /// Every row of one statement.
  [[nodiscard]] std::vector<RawRow> rows(const std::string& sql);
  /// The first column of the first row, or nullopt when there is no row or it is NULL.
  [[nodiscard]] std::optional<std::string> value(const std::string& sql);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace crmkit::storage::sqlite
