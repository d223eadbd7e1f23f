#include "storage/sqlite/connection.hpp"

#include <sqlite3.h>

#include <cstring>
#include <limits>
#include <utility>

#include <SQLiteCpp/Column.h>
#include <fmt/format.h>

#include "storage/sqlite/schema.hpp"

namespace crmkit::storage::sqlite {
namespace {

int open_flags(const std::string& path, const SqliteOptions& options) {
  int flags = SQLite::OPEN_URI;  // `file:` URIs carry their own parameters (see docs/sqlite.md)
  if (options.read_only) return flags | SQLite::OPEN_READONLY;
  flags |= SQLite::OPEN_READWRITE;
  if (options.create || path == ":memory:") flags |= SQLite::OPEN_CREATE;
  return flags;
}

int busy_timeout_ms(const SqliteOptions& options) {
  const auto ms = options.busy_timeout.count();
  if (ms < 0) return 0;
  return ms > std::numeric_limits<int>::max() ? std::numeric_limits<int>::max()
                                              : static_cast<int>(ms);
}

SQLite::Database open_database(const std::string& path, const SqliteOptions& options) {
  try {
    return SQLite::Database(path, open_flags(path, options), busy_timeout_ms(options));
  } catch (const SQLite::Exception& error) {
    throw_translated(error, "opening the database", path);
  }
}

std::string savepoint_name(std::size_t depth) {
  return fmt::format("crmkit_{}", depth);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Query

Query::Query(CachedStatement& cached) : cached_(&cached), statement_(&cached.statement) {
  cached.in_use = true;
  statement_->reset();
  statement_->clearBindings();
}

Query::Query(const SQLite::Database& db, const std::string& sql)
    : own_(std::make_unique<SQLite::Statement>(db, sql)), statement_(own_.get()) {}

Query::~Query() {
  statement_->tryReset();
  if (cached_) cached_->in_use = false;
}

Query& Query::bind_int(int index, std::int64_t value) {
  statement_->bind(index, value);
  return *this;
}

Query& Query::bind_real(int index, double value) {
  statement_->bind(index, value);
  return *this;
}

Query& Query::bind_bool(int index, bool value) {
  return bind_int(index, value ? 1 : 0);
}

Query& Query::bind_text(int index, const std::string& value) {
  statement_->bindNoCopy(index, value);
  return *this;
}

Query& Query::bind_text_copy(int index, std::string_view value) {
  statement_->bind(index, std::string(value));
  return *this;
}

Query& Query::bind_null(int index) {
  statement_->bind(index);
  return *this;
}

Query& Query::reset() {
  statement_->reset();
  return *this;
}

bool Query::step() {
  return statement_->executeStep();
}

int Query::run() {
  return statement_->exec();
}

bool Query::is_null(int column) const {
  return statement_->isColumnNull(column);
}

std::int64_t Query::int_at(int column) const {
  return statement_->getColumn(column).getInt64();
}

double Query::real_at(int column) const {
  return statement_->getColumn(column).getDouble();
}

std::string Query::text_at(int column) const {
  return statement_->getColumn(column).getString();
}

bool Query::text_equals(int column, std::string_view expected) const {
  const SQLite::Column value = statement_->getColumn(column);
  const char* text = value.getText();  // before getBytes(), as SQLite asks
  const auto size = static_cast<std::size_t>(value.getBytes());
  return size == expected.size() && std::memcmp(text, expected.data(), size) == 0;
}

std::optional<std::int64_t> Query::optional_int_at(int column) const {
  if (is_null(column)) return std::nullopt;
  return int_at(column);
}

std::optional<std::string> Query::optional_text_at(int column) const {
  if (is_null(column)) return std::nullopt;
  return text_at(column);
}

SQLite::Column Query::column(int column) const {
  return statement_->getColumn(column);
}

// ---------------------------------------------------------------------------------------------
// Connection

Connection::Connection(std::string path, const SqliteOptions& options)
    : path_(std::move(path)), options_(options), db_(open_database(path_, options)) {
  schema_version_ = open_schema(db_, path_, options_);
}

Connection::~Connection() = default;

Query Connection::query(std::string_view sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    const std::string text(sql);
    auto cached =
        std::make_unique<CachedStatement>(CachedStatement{SQLite::Statement(db_, text), false});
    it = statements_.emplace(text, std::move(cached)).first;
  }
  if (it->second->in_use) return Query(db_, std::string(sql));
  return Query(*it->second);
}

std::int64_t Connection::last_insert_id() const noexcept {
  return db_.getLastInsertRowid();
}

void Connection::exec(std::string_view sql) {
  query(sql).run();
}

bool Connection::in_transaction() const noexcept {
  return sqlite3_get_autocommit(db_.getHandle()) == 0;
}

std::uint64_t Connection::push_frame() {
  if (frames_.empty()) {
    // A read-only connection cannot take the write lock; its transactions only read.
    exec(options_.read_only ? "BEGIN" : "BEGIN IMMEDIATE");
  } else {
    exec("SAVEPOINT " + savepoint_name(frames_.size()));
  }
  frames_.push_back(++last_serial_);
  return last_serial_;
}

void Connection::commit_top() {
  if (frames_.size() == 1) {
    exec("COMMIT");
  } else {
    exec("RELEASE " + savepoint_name(frames_.size() - 1));
  }
  frames_.pop_back();
}

void Connection::rollback_to(std::size_t depth) noexcept {
  while (frames_.size() > depth) {
    const std::size_t top = frames_.size() - 1;
    // Failures are ignored on purpose: SQLite may already have rolled back on its own after an
    // I/O error or a full disk, and that is checked just below.
    if (top == 0) {
      db_.tryExec("ROLLBACK");
    } else {
      const std::string name = savepoint_name(top);
      db_.tryExec(fmt::format("ROLLBACK TO {0}; RELEASE {0}", name));
    }
    frames_.pop_back();
  }
  // When SQLite rolled back the whole transaction by itself, every enclosing level is gone too:
  // their handles find their frames dead and refuse to commit.
  if (!frames_.empty() && !in_transaction()) frames_.clear();
}

void Connection::begin_read() {
  exec("BEGIN");
}

void Connection::end_read() {
  exec("COMMIT");
}

void Connection::abandon_read() noexcept {
  if (in_transaction()) db_.tryExec("ROLLBACK");
}

void Connection::require_writable(std::string_view action) const {
  if (options_.read_only) {
    throw storage_error(
        StorageError::Kind::unsupported,
        fmt::format("{} is a write, and {} was opened read-only", action, quote_value(path_)));
  }
}

}  // namespace crmkit::storage::sqlite
