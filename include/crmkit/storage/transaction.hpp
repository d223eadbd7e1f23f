#pragma once
/// @file
/// @brief RAII transactions: roll back unless committed.

#include <memory>

namespace crmkit::storage {

/// What a backend implements to support Transaction. Backends nest transactions as savepoints.
class TransactionHandle {
 public:
  virtual ~TransactionHandle() = default;
  /// Makes the transaction's writes durable (or, when nested, part of the enclosing one).
  /// @throws StorageError when the commit fails; the transaction is then rolled back.
  virtual void commit() = 0;
  /// Undoes every write made since the transaction began. Must not throw.
  virtual void rollback() noexcept = 0;
};

/// A unit of work on a store: every write made through the store by the thread that began it,
/// until commit() or rollback(), is applied all together or not at all. Destroying an active
/// transaction rolls it back. Transactions nest: an inner one is a savepoint of the outer.
/// Not copyable; movable. Use it on the thread that began it, and end it before its store is destroyed.
class Transaction {
 public:
  /// Takes over a backend's handle.
  explicit Transaction(std::unique_ptr<TransactionHandle> handle) noexcept;
  Transaction(Transaction&& other) noexcept;             ///< Moves; `other` becomes inactive.
  Transaction& operator=(Transaction&& other) noexcept;  ///< Rolls back this one if active, then moves.
  Transaction(const Transaction&) = delete;              ///< Not copyable.
  Transaction& operator=(const Transaction&) = delete;   ///< Not copyable.
  /// Rolls back when still active.
  ~Transaction();
  /// Commits. @throws StorageError (kind `transaction`) when already committed or rolled back,
  /// or whatever the backend throws when the commit fails.
  void commit();
  /// Rolls back now; does nothing when no longer active.
  void rollback() noexcept;
  /// True until commit() or rollback().
  [[nodiscard]] bool active() const noexcept { return handle_ != nullptr; }

 private:
  std::unique_ptr<TransactionHandle> handle_;
};

}  // namespace crmkit::storage
