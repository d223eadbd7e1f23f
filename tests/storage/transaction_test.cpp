#include <catch2/catch.hpp>

#include "crmkit/storage/transaction.hpp"

#include <memory>
#include <utility>

#include "crmkit/core/error.hpp"

using crmkit::StorageError;
using crmkit::storage::Transaction;
using crmkit::storage::TransactionHandle;

namespace {

// What a backend saw of a transaction.
struct Calls {
  int commits = 0;
  int rollbacks = 0;
  int destroyed = 0;
};

class FakeHandle final : public TransactionHandle {
 public:
  explicit FakeHandle(Calls& calls, bool commit_fails = false)
      : calls_(calls), commit_fails_(commit_fails) {}
  FakeHandle(const FakeHandle&) = delete;
  FakeHandle& operator=(const FakeHandle&) = delete;
  ~FakeHandle() override { ++calls_.destroyed; }
  void commit() override {
    ++calls_.commits;
    if (commit_fails_) {
      throw StorageError(StorageError::Kind::io, "fake", "disk full while committing", 13);
    }
  }
  void rollback() noexcept override { ++calls_.rollbacks; }

 private:
  Calls& calls_;
  bool commit_fails_;
};

Transaction make_transaction(Calls& calls, bool commit_fails = false) {
  return Transaction(std::make_unique<FakeHandle>(calls, commit_fails));
}

StorageError::Kind kind_of_failed_commit(Transaction& tx) {
  try {
    tx.commit();
  } catch (const StorageError& error) {
    return error.kind();
  }
  FAIL("commit() did not throw");
  return StorageError::Kind::other;
}

}  // namespace

TEST_CASE("a transaction commits once and then ends", "[storage]") {
  Calls calls;
  {
    Transaction tx = make_transaction(calls);
    CHECK(tx.active());
    tx.commit();
    CHECK_FALSE(tx.active());
    CHECK(calls.destroyed == 1);  // the handle is released at once
  }
  CHECK(calls.commits == 1);
  CHECK(calls.rollbacks == 0);
}

TEST_CASE("a transaction destroyed while active rolls back exactly once", "[storage]") {
  Calls calls;
  { Transaction tx = make_transaction(calls); }
  CHECK(calls.rollbacks == 1);
  CHECK(calls.commits == 0);
  CHECK(calls.destroyed == 1);
}

TEST_CASE("rollback is idempotent", "[storage]") {
  Calls calls;
  Transaction tx = make_transaction(calls);
  tx.rollback();
  CHECK_FALSE(tx.active());
  tx.rollback();
  tx.rollback();
  CHECK(calls.rollbacks == 1);
}

TEST_CASE("commit after commit or rollback throws StorageError of kind transaction", "[storage]") {
  Calls calls;
  Transaction committed = make_transaction(calls);
  committed.commit();
  CHECK(kind_of_failed_commit(committed) == StorageError::Kind::transaction);
  REQUIRE_THROWS_WITH(committed.commit(), Catch::Contains("already ended"));
  CHECK(calls.commits == 1);

  Transaction rolled_back = make_transaction(calls);
  rolled_back.rollback();
  CHECK(kind_of_failed_commit(rolled_back) == StorageError::Kind::transaction);
  CHECK(calls.commits == 1);
  CHECK(calls.rollbacks == 1);
}

TEST_CASE("a failed commit rolls back, ends the transaction and passes the error on", "[storage]") {
  Calls calls;
  Transaction tx = make_transaction(calls, /*commit_fails=*/true);
  CHECK(kind_of_failed_commit(tx) == StorageError::Kind::io);
  CHECK_FALSE(tx.active());
  CHECK(calls.commits == 1);
  CHECK(calls.rollbacks == 1);
  CHECK(calls.destroyed == 1);
  CHECK(kind_of_failed_commit(tx) == StorageError::Kind::transaction);
}

TEST_CASE("moving a transaction moves its handle", "[storage]") {
  Calls calls;
  SECTION("move construction leaves the source inactive") {
    Transaction source = make_transaction(calls);
    Transaction target = std::move(source);
    CHECK_FALSE(source.active());  // NOLINT(bugprone-use-after-move)
    CHECK(target.active());
    source.rollback();
    CHECK(calls.rollbacks == 0);
    target.commit();
    CHECK(calls.commits == 1);
    CHECK(kind_of_failed_commit(source) == StorageError::Kind::transaction);
  }
  SECTION("move assignment rolls back the target's own transaction first") {
    Calls other;
    Transaction target = make_transaction(other);
    Transaction source = make_transaction(calls);
    target = std::move(source);
    CHECK(other.rollbacks == 1);
    CHECK(other.destroyed == 1);
    CHECK(target.active());
    CHECK_FALSE(source.active());  // NOLINT(bugprone-use-after-move)
    target.commit();
    CHECK(calls.commits == 1);
    CHECK(calls.rollbacks == 0);
  }
  SECTION("self move assignment keeps the transaction") {
    Transaction tx = make_transaction(calls);
    Transaction& alias = tx;
    tx = std::move(alias);
    CHECK(tx.active());
    CHECK(calls.rollbacks == 0);
  }
  SECTION("a moved-from transaction can be assigned a new one") {
    Transaction first = make_transaction(calls);
    Transaction second = std::move(first);
    Calls later;
    first = make_transaction(later);  // NOLINT(bugprone-use-after-move)
    CHECK(first.active());
    first.commit();
    second.rollback();
    CHECK(later.commits == 1);
    CHECK(calls.rollbacks == 1);
  }
}

TEST_CASE("a transaction without a handle is inactive", "[storage]") {
  Transaction none(nullptr);
  CHECK_FALSE(none.active());
  none.rollback();
  CHECK(kind_of_failed_commit(none) == StorageError::Kind::transaction);
}
