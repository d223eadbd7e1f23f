#include "crmkit/storage/transaction.hpp"

#include <utility>

#include "crmkit/core/error.hpp"

namespace crmkit::storage {

Transaction::Transaction(std::unique_ptr<TransactionHandle> handle) noexcept
    : handle_(std::move(handle)) {}

Transaction::Transaction(Transaction&& other) noexcept = default;

Transaction& Transaction::operator=(Transaction&& other) noexcept {
  if (this != &other) {
    rollback();
    handle_ = std::move(other.handle_);
  }
  return *this;
}

Transaction::~Transaction() { rollback(); }

void Transaction::commit() {
  if (!handle_) {
    // The handle (and with it the backend's name) is gone once a transaction has ended.
    throw StorageError(StorageError::Kind::transaction, "",
                       "commit() called on a transaction that already ended: it was committed or "
                       "rolled back before");
  }
  // Whatever happens below, this transaction is over: a failed commit rolls back.
  const std::unique_ptr<TransactionHandle> handle = std::move(handle_);
  try {
    handle->commit();
  } catch (...) {
    handle->rollback();
    throw;
  }
}

void Transaction::rollback() noexcept {
  if (handle_) {
    const std::unique_ptr<TransactionHandle> handle = std::move(handle_);
    handle->rollback();
  }
}

}  // namespace crmkit::storage
