#pragma once
// The customer id map of an import, kept in a file between two runs of the program: importing
// a customers export records which new id each exported id received, and the purchases and
// interactions exports that name customers as `#N` need that map (io::CustomerIdMap).

#include <filesystem>

#include "crmkit/io/import.hpp"

namespace crmkit::cli {

/// Writes `map` as CSV with the columns `exported_id,id`, by exported id.
/// @throws Error when the file cannot be written.
void save_id_map(const io::CustomerIdMap& map, const std::filesystem::path& file);

/// Reads a file written by save_id_map().
/// @throws ParseError naming the file, line and column of a bad cell or a missing column;
///         Error when the file cannot be read.
[[nodiscard]] io::CustomerIdMap load_id_map(const std::filesystem::path& file);

}  // namespace crmkit::cli
