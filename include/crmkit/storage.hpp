#pragma once
/// @file
/// @brief The storage layer: the Store interface, queries, transactions, `open(uri)`, and the memory and SQLite backends.

#include "crmkit/storage/memory_store.hpp"
#include "crmkit/storage/query.hpp"
#include "crmkit/storage/registry.hpp"
#include "crmkit/storage/sqlite_store.hpp"
#include "crmkit/storage/store.hpp"
#include "crmkit/storage/transaction.hpp"
