#include "storage/sqlite/transaction_handle.hpp"

#include <mutex>
#include <string>

namespace crmkit::storage::sqlite {
namespace {

class SqliteTransaction final : public TransactionHandle {
 public:
  explicit SqliteTransaction(Connection& c) : c_(c), lock_(c.mutex()), depth_(c.depth()) {
    try {
      serial_ = c_.push_frame();
    } catch (const SQLite::Exception& error) {
      throw_translated(error, "beginning a transaction", c_.path());
    }
  }
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;
  ~SqliteTransaction() override { rollback(); }

  void commit() override {
    if (!lock_.owns_lock()) fail("commit() called on a transaction that already ended");
    if (!c_.frame_alive(depth_, serial_)) {
      fail(
          "cannot commit a savepoint that an enclosing transaction already rolled back (or "
          "that SQLite rolled back after an error)");
    }
    if (c_.depth() != depth_ + 1) {
      fail("cannot commit while a nested transaction begun inside this one is still active");
    }
    try {
      c_.commit_top();
    } catch (const SQLite::Exception& error) {
      throw_translated(error, "committing a transaction", c_.path());
    }
    lock_.unlock();
  }

  void rollback() noexcept override {
    if (!lock_.owns_lock()) return;
    // An enclosing transaction's rollback may already have ended this level.
    if (c_.frame_alive(depth_, serial_)) c_.rollback_to(depth_);
    lock_.unlock();
  }

 private:
  [[noreturn]] static void fail(const std::string& message) {
    throw storage_error(StorageError::Kind::transaction, message);
  }

  Connection& c_;
  std::unique_lock<std::recursive_mutex> lock_;
  std::size_t depth_;
  std::uint64_t serial_ = 0;
};

}  // namespace

std::unique_ptr<TransactionHandle> begin_transaction(Connection& c) {
  return std::make_unique<SqliteTransaction>(c);
}

}  // namespace crmkit::storage::sqlite
