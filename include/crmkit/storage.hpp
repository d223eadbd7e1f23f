#pragma once
/// @file
/// @brief The storage layer: the Store interface, queries, transactions, `open(uri)` and the memory backend.

#include "crmkit/storage/memory_store.hpp"
#include "crmkit/storage/query.hpp"
#include "crmkit/storage/registry.hpp"
#include "crmkit/storage/store.hpp"
#include "crmkit/storage/transaction.hpp"
