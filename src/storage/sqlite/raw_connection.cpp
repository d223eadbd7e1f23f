#include "storage/sqlite/raw_connection.hpp"

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include "storage/sqlite/errors.hpp"

namespace crmkit::storage::sqlite {
namespace {

SQLite::Database open_raw(const std::string& path) {
  try {
    return SQLite::Database(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_URI);
  } catch (const SQLite::Exception& error) {
    throw_translated(error, "opening a raw connection", path);
  }
}

}  // namespace

struct RawConnection::Impl {
  explicit Impl(const std::string& path) : db(open_raw(path)) {}
  SQLite::Database db;
};

RawConnection::RawConnection(const std::string& path) : impl_(std::make_unique<Impl>(path)) {}

RawConnection::~RawConnection() = default;

void RawConnection::execute(const std::string& sql) {
  try {
    impl_->db.exec(sql);
  } catch (const SQLite::Exception& error) {
    throw_translated(error, "running raw SQL", impl_->db.getFilename());
  }
}

std::vector<RawRow> RawConnection::rows(const std::string& sql) {
  try {
    SQLite::Statement statement(impl_->db, sql);
    std::vector<RawRow> result;
    while (statement.executeStep()) {
      RawRow row;
      for (int i = 0; i < statement.getColumnCount(); ++i) {
        const SQLite::Column column = statement.getColumn(i);
        row.push_back(column.isNull() ? std::nullopt : std::optional(column.getString()));
      }
      result.push_back(std::move(row));
    }
    return result;
  } catch (const SQLite::Exception& error) {
    throw_translated(error, "running raw SQL", impl_->db.getFilename());
  }
}

std::optional<std::string> RawConnection::value(const std::string& sql) {
  const std::vector<RawRow> result = rows(sql);
  if (result.empty() || result.front().empty()) return std::nullopt;
  return result.front().front();
}

}  // namespace crmkit::storage::sqlite
