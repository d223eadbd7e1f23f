#pragma once
// One SQLite connection of a SqliteStore: the database handle, the cache of prepared statements,
// the stack of open transaction levels, and the lock that serializes the store's callers.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include "crmkit/storage/sqlite_store.hpp"
#include "storage/sqlite/errors.hpp"

namespace crmkit::storage::sqlite {

// A prepared statement kept by the connection, and whether a Query is using it right now.
struct CachedStatement {
  SQLite::Statement statement;
  bool in_use = false;
};

/// A prepared statement borrowed for one execution: its bindings start cleared, and it is reset
/// when the Query ends, so that a half-read result never keeps a read lock open. Text is bound
/// without a copy: the bound string must outlive the execution.
class Query {
 public:
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  ~Query();

  Query& bind_int(int index, std::int64_t value);
  Query& bind_real(int index, double value);
  Query& bind_bool(int index, bool value);
  Query& bind_text(int index, const std::string& value);
  /// Binds a copy of `value`: for short-lived text such as enum names and computed keys.
  Query& bind_text_copy(int index, std::string_view value);
  Query& bind_null(int index);

  /// Makes the statement ready to run again (bindings are kept, to be overwritten): lets a bulk
  /// path run one statement per row without looking it up again.
  Query& reset();
  /// Steps to the next row; false when there is none.
  bool step();
  /// Runs a statement that returns no rows; returns the number of rows it changed.
  int run();

  [[nodiscard]] bool is_null(int column) const;
  [[nodiscard]] std::int64_t int_at(int column) const;
  [[nodiscard]] double real_at(int column) const;
  [[nodiscard]] bool bool_at(int column) const { return int_at(column) != 0; }
  /// The text of a column, every byte of it (embedded NULs included).
  [[nodiscard]] std::string text_at(int column) const;
  /// Compares the column's bytes with `expected` without copying them.
  [[nodiscard]] bool text_equals(int column, std::string_view expected) const;
  [[nodiscard]] std::optional<std::int64_t> optional_int_at(int column) const;
  [[nodiscard]] std::optional<std::string> optional_text_at(int column) const;
  [[nodiscard]] SQLite::Column column(int column) const;

 private:
  friend class Connection;
  explicit Query(CachedStatement& cached);
  Query(const SQLite::Database& db, const std::string& sql);

  CachedStatement* cached_ = nullptr;
  std::unique_ptr<SQLite::Statement> own_;  // when the cached one is busy (re-entrant use)
  SQLite::Statement* statement_ = nullptr;
};

/// The connection of one SqliteStore. Every public operation of the store goes through read()
/// or write(), which take the lock, open a transaction level and translate SQLite's errors.
class Connection {
 public:
  Connection(std::string path, const SqliteOptions& options);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] int schema_version() const noexcept { return schema_version_; }
  [[nodiscard]] std::recursive_mutex& mutex() noexcept { return mutex_; }
  [[nodiscard]] SQLite::Database& database() noexcept { return db_; }

  /// The prepared statement for `sql`, from the cache.
  [[nodiscard]] Query query(std::string_view sql);
  /// The id SQLite gave the row last inserted on this connection.
  [[nodiscard]] std::int64_t last_insert_id() const noexcept;

  /// @name Transaction levels
  /// The outermost level is a transaction (BEGIN IMMEDIATE, so that a writer takes the write
  /// lock up front and waits for it through the busy timeout instead of failing later); inner
  /// levels are savepoints. A level is identified by its depth and a serial number, so that a
  /// handle can tell whether an enclosing rollback already ended it.
  /// @{
  std::uint64_t push_frame();
  void commit_top();
  void rollback_to(std::size_t depth) noexcept;
  [[nodiscard]] std::size_t depth() const noexcept { return frames_.size(); }
  [[nodiscard]] bool frame_alive(std::size_t depth, std::uint64_t serial) const noexcept {
    return depth < frames_.size() && frames_[depth] == serial;
  }
  /// @}

  /// Runs `body` as one atomic write: inside a level of its own, committed when `body` returns
  /// and rolled back when it throws. SQLite's errors leave as crmkit errors naming `action`.
  template <class Body>
  auto write(std::string_view action, Body&& body) -> decltype(body()) {
    const std::lock_guard lock(mutex_);
    require_writable(action);
    const std::size_t depth = frames_.size();
    try {
      push_frame();
      if constexpr (std::is_void_v<decltype(body())>) {
        body();
        commit_top();
      } else {
        auto result = body();
        commit_top();
        return result;
      }
    } catch (const SQLite::Exception& error) {
      rollback_to(depth);
      throw_translated(error, action, path_);
    } catch (...) {
      rollback_to(depth);
      throw;
    }
  }

  /// Runs `body`, which only reads, on one snapshot: in a read transaction of its own unless a
  /// transaction is already open on this connection.
  template <class Body>
  auto read(std::string_view action, Body&& body) -> decltype(body()) {
    const std::lock_guard lock(mutex_);
    const bool own = frames_.empty();
    try {
      if (own) begin_read();
      auto result = body();
      if (own) end_read();
      return result;
    } catch (const SQLite::Exception& error) {
      if (own) abandon_read();
      throw_translated(error, action, path_);
    } catch (...) {
      if (own) abandon_read();
      throw;
    }
  }

  /// Throws StorageError when the store was opened read-only.
  void require_writable(std::string_view action) const;

 private:
  void exec(std::string_view sql);
  void begin_read();
  void end_read();
  void abandon_read() noexcept;
  [[nodiscard]] bool in_transaction() const noexcept;

  struct TransparentHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };

  std::string path_;
  SqliteOptions options_;
  std::recursive_mutex mutex_;
  SQLite::Database db_;
  int schema_version_ = 0;
  // Declared after db_, so that every statement is finalized before the database closes.
  std::unordered_map<std::string, std::unique_ptr<CachedStatement>, TransparentHash,
                     std::equal_to<>>
      statements_;
  std::vector<std::uint64_t> frames_;  // serial of each open level, outermost first
  std::uint64_t last_serial_ = 0;
};

}  // namespace crmkit::storage::sqlite
