#pragma once
/// @file
/// @brief The io layer: the CSV reader and writer, CSV (and gzip) import and export.

#include "crmkit/io/csv_reader.hpp"
#include "crmkit/io/export.hpp"
#include "crmkit/io/import.hpp"
#include "crmkit/io/purchase_columns.hpp"
