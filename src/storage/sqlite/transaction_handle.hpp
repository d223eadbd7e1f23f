#pragma once
// Store::begin() for SQLite: a transaction level of the connection held by a Transaction.

#include <memory>

#include "crmkit/storage/transaction.hpp"
#include "storage/sqlite/connection.hpp"

namespace crmkit::storage::sqlite {

/// Opens a transaction (a savepoint when one is open) that holds the connection's lock until it
/// ends, so that other threads wait for it, exactly as the memory store's transactions do.
std::unique_ptr<TransactionHandle> begin_transaction(Connection& c);

}  // namespace crmkit::storage::sqlite
