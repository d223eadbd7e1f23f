#pragma once
// How a command names one customer: its id as an argument, or --external-ref.

#include <string>

#include "cli/command_line.hpp"
#include "crmkit/crm/crm.hpp"

namespace crmkit::cli {

/// Adds the optional argument `CUSTOMER` (an id) and `--external-ref REF` to `line`.
void add_customer_selector(CommandLine& line, std::string& external_ref);

/// The customer the command line names, by id or by external ref (exactly one of them).
/// @throws UsageError for both, neither or a malformed id; NotFoundError when there is no such
/// customer.
[[nodiscard]] Customer select_customer(Crm& crm, const CommandLine& line,
                                       const std::string& external_ref);

}  // namespace crmkit::cli
